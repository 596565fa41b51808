#!/bin/sh
# tools/check-format.sh - the C sources are as .clang-format says.
#
#   sh tools/check-format.sh            check (make format-check, make test)
#   sh tools/check-format.sh --count    also count the lines of the files
#                                       still pending (see below)
#
# Every file of FILES (below; the same set `make format` formats) is run
# through clang-format with the repository's .clang-format and compared with
# itself.  A file that differs is reported as
#   PATH: error: clang-format would change N lines (-R +A); run: clang-format -i PATH
# and the exit status is 1.
#
# Files listed in tools/format-pending (one path a line, # comments) are
# not yet formatted: they were written before .clang-format described the
# house style, and are formatted all at once by `make format` (which then
# empties the list) when no branch is editing them.  They are reported in
# one line with the number of lines `make format` would change, and do not
# fail the check.  A new file is checked from its first commit.
#
# .clang-format was tuned with clang-format 14 (Debian 12); another major
# version formats some constructs differently, so the check then says so
# and checks nothing (exit 0).  CLANG_FORMAT names the program;
# FORMAT_FILES and FORMAT_PENDING replace the file set and the list (for
# the check's own test, tests/format/run.sh).
set -u
cd "$(dirname "$0")/.." || exit 2
CLANG_FORMAT=${CLANG_FORMAT:-clang-format}
PINNED=14
FILES=${FORMAT_FILES:-"engine/*.c engine/*.h tests/unit/*.c"}
PENDING=${FORMAT_PENDING:-tools/format-pending}
count=0
[ "${1:-}" = --count ] && count=1

if ! command -v "$CLANG_FORMAT" >/dev/null 2>&1; then
    echo "format-check: error: $CLANG_FORMAT not found (tools/deps.sh installs clang-format)" >&2
    exit 2
fi
version=$("$CLANG_FORMAT" --version | sed -n 's/.*version \([0-9][0-9]*\)\..*/\1/p')
if [ "$version" != "$PINNED" ]; then
    echo "format-check: not checked: $CLANG_FORMAT is version ${version:-unknown}, .clang-format is tuned for $PINNED"
    exit 0
fi

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
pending_list=$(sed 's/#.*//; s/[ \t]*$//' "$PENDING" 2>/dev/null | grep -v '^$')
is_pending() { printf '%s\n' "$pending_list" | grep -Fqx "$1"; }

# One clang-format for all the files (--dry-run names each file it would
# change): a process per file costs most of the check's time; the files it
# names are then formatted one by one to count the lines.
# shellcheck disable=SC2086
differ=$("$CLANG_FORMAT" --style=file --dry-run $FILES 2>&1 |
    sed -n 's/^\(.*\):[0-9][0-9]*:[0-9][0-9]*: warning: code should be clang-formatted.*/\1/p' | sort -u)
bad=0 npend=0 npend_diff=0 pend_lines=0 checked=0
for f in $FILES; do
    [ -f "$f" ] || continue
    if is_pending "$f"; then
        npend=$((npend + 1))
        [ $count = 1 ] || continue
    else
        checked=$((checked + 1))
    fi
    printf '%s\n' "$differ" | grep -Fqx "$f" || continue
    "$CLANG_FORMAT" --style=file "$f" > "$tmp" || { echo "$f: error: clang-format failed" >&2; bad=1; continue; }
    cmp -s "$f" "$tmp" && continue
    # Lines of the file that would go (R) and lines that would come (A).
    set -- $(diff "$f" "$tmp" | awk '/^</ { r++ } /^>/ { a++ } END { print r + 0, a + 0 }')
    if is_pending "$f"; then
        npend_diff=$((npend_diff + 1))
        pend_lines=$((pend_lines + $1))
        continue
    fi
    echo "$f: error: clang-format would change $1 lines (-$1 +$2); run: $CLANG_FORMAT -i $f" >&2
    bad=1
done

for p in $pending_list; do
    [ -f "$p" ] || echo "format-check: note: $PENDING lists $p, which does not exist: remove the line" >&2
done
if [ $npend -gt 0 ]; then
    if [ $count = 1 ]; then
        echo "format-check: $npend files pending in $PENDING, $npend_diff of them not formatted: make format would change $pend_lines of their lines"
    else
        echo "format-check: $npend files pending in $PENDING (make format formats them; --count counts the lines)"
    fi
fi
if [ $bad = 1 ]; then
    echo "format-check: files differ from .clang-format (clang-format $version): format them, or, for a file many branches are editing, list it in $PENDING" >&2
    exit 1
fi
echo "format-check: $checked files as .clang-format says"
