#!/bin/sh
# tests/format/run.sh - tools/check-format.sh on the repository, and on three
# planted files: one formatted (passes), one not (fails with its exact
# message), one not but pending (counted, does not fail).  Run by
# `make format-check` (make test).
set -u
cd "$(dirname "$0")/../.." || exit 1
fail=0
sh tools/check-format.sh || fail=1

# Inside the repository, so that clang-format finds .clang-format.
dir=${BUILD:-build}/format-test
rm -rf "$dir" && mkdir -p "$dir" || exit 1
trap 'rm -rf "$dir"' EXIT
printf 'static int f(int x)\n{\n    if (x) return 1;\n    return 0;\n}\n' > "$dir/good.c"
printf 'static int f(int x){\n  if (x) return 1;\n  return 0;\n}\n' > "$dir/bad.c"
cp "$dir/bad.c" "$dir/pend.c"
echo "$dir/pend.c" > "$dir/pending"
if command -v clang-format >/dev/null 2>&1 &&
   [ "$(clang-format --version | sed -n 's/.*version \([0-9][0-9]*\)\..*/\1/p')" = 14 ]; then
    got=$(FORMAT_FILES="$dir/*.c" FORMAT_PENDING="$dir/pending" sh tools/check-format.sh --count 2>&1)
    status=$?
    want="$dir/bad.c: error: clang-format would change 3 lines (-3 +4); run: clang-format -i $dir/bad.c
format-check: 1 files pending in $dir/pending, 1 of them not formatted: make format would change 3 of their lines
format-check: files differ from .clang-format (clang-format 14): format them, or, for a file many branches are editing, list it in $dir/pending"
    if [ $status != 1 ] || [ "$got" != "$want" ]; then
        fail=1
        echo "FAIL check-format self-test: status $status (want 1), output:"
        printf '%s\n' "$got" > "$dir/got"
        printf '%s\n' "$want" | diff - "$dir/got"
    fi
fi
[ $fail = 0 ] && echo "format: the checked files match .clang-format, the checker's self-test passed"
exit $fail
