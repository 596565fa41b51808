#!/bin/sh
# tests/check-case-copies.sh - no end-to-end case holds a copy of a _base file.
#
#   sh tests/check-case-copies.sh [CASES_DIR]     (default tests/cases)
#
# tests/run-cases.sh lays every case directory over CASES_DIR/_base, so a
# case needs only the files that differ.  A file byte-identical to the _base
# file at the same relative path is a copy that would silently stop
# following _base when _base changes: each one is reported as
#   CASES_DIR/NAME/PATH: error: byte-identical to CASES_DIR/_base/PATH, ...
# with the command that deletes it.  Exit status 1 if any, else 0.
# Run by tests/run-cases.sh (make cases, make test).
set -u
dir=${1:-tests/cases}
dir=${dir%/}
base=$dir/_base
[ -d "$base" ] || { echo "$base: error: no such directory" >&2; exit 2; }
found=0
list=$(mktemp)
trap 'rm -f "$list"' EXIT
(cd "$base" && find . -type f | sed 's|^\./||' | LC_ALL=C sort) > "$list"
for c in "$dir"/*/; do
    c=${c%/}
    [ "$c" = "$base" ] && continue
    while IFS= read -r rel; do
        if [ -f "$c/$rel" ] && cmp -s "$c/$rel" "$base/$rel"; then
            echo "$c/$rel: error: byte-identical to $base/$rel, which every case gets from _base; delete it: git rm $c/$rel"
            found=1
        fi
    done < "$list"
done
exit $found
