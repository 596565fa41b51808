#!/bin/sh
# tests/run-unit.sh - run the cmocka unit test binaries given as arguments
# from the repository root; $VALGRIND, when set, prefixes each run.
# Each binary prints cmocka's summary; this script prints the total.
set -u
cd "$(dirname "$0")/.." || exit 1
fail=0
pass=0
for t in "$@"; do
    if ${VALGRIND:-} "$t"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAILED: $t"; fi
done
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
