#!/bin/sh
# tests/fuzz/run-regress.sh - replay the kept fuzz inputs.
#
#   sh tests/fuzz/run-regress.sh BINDIR TARGET...
#
# Runs BINDIR/replay-TARGET on each file of tests/fuzz/regressions/TARGET/,
# one process per file (so that one crash does not hide the others), each
# within $FUZZ_REPLAY_TIMEOUT seconds (default 60).  An input passes when
# the harness returns: it loaded or was refused with an error, and its
# checks held.  Prints one line per failure with the end of its output,
# then "fuzz regressions: N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
BINDIR=$1
shift
limit=${FUZZ_REPLAY_TIMEOUT:-60}
pass=0
fail=0
log=$(mktemp)
# the harnesses' scratch directories go here: a crash leaves its own behind
TMPDIR=$(mktemp -d)
export TMPDIR
trap 'rm -rf "$log" "$TMPDIR"' EXIT
for t in "$@"; do
    dir=tests/fuzz/regressions/$t
    [ -d "$dir" ] || continue
    for f in "$dir"/*; do
        [ -f "$f" ] || continue
        case "$f" in *.md|*.txt) continue ;; esac
        timeout "$limit" "$BINDIR/replay-$t" "$f" >"$log" 2>&1
        status=$?
        if [ "$status" = 0 ]; then pass=$((pass + 1)); else
            fail=$((fail + 1))
            if [ "$status" = 124 ]; then why="timed out after ${limit}s"; else why="exit status $status"; fi
            echo "FAIL fuzz regression $f: $why"
            tail -n 25 "$log" | sed 's/^/    /'
        fi
    done
done
echo "fuzz regressions: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
