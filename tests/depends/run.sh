#!/bin/sh
# tests/depends/run.sh - tools/check-depends.sh on the engine, and on the
# planted mistakes of tests/depends/engine: each must give exactly the
# diagnostic in tests/depends/expected and exit status 1; the right files
# alone must pass.  Run by `make depends` (make test).
set -u
cd "$(dirname "$0")/../.." || exit 1
fail=0
sh tools/check-depends.sh engine || { fail=1; echo "FAIL engine: fix the 'Depends on:' lines named above"; }

got=$(sh tools/check-depends.sh tests/depends/engine 2>&1 >/dev/null)
status=$?
if [ $status != 1 ] || [ "$got" != "$(cat tests/depends/expected)" ]; then
    fail=1
    echo "FAIL check-depends self-test: status $status (want 1), diagnostics:"
    printf '%s\n' "$got" | diff tests/depends/expected - 
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp tests/depends/engine/ls_good.h tests/depends/engine/ls_good.c tests/depends/engine/ls_libc.h "$tmp/"
got=$(sh tools/check-depends.sh "$tmp" 2>&1)
status=$?
want="check-depends: 3 files, every 'Depends on:' line matches the includes"
if [ $status != 0 ] || [ "$got" != "$want" ]; then
    fail=1
    echo "FAIL check-depends self-test on right files: status $status (want 0), output:"
    echo "$got"
fi

got=$(sh tools/check-depends.sh --list "$tmp")
want="ls_good: Depends on: Lua, lawscore_plugin, ls_error, ls_util.
ls_libc: Depends on: libc."
if [ "$got" != "$want" ]; then
    fail=1
    echo "FAIL check-depends --list: got"
    echo "$got"
fi
[ $fail = 0 ] && echo "depends: the engine's lines match, the checker's self-test passed"
exit $fail
