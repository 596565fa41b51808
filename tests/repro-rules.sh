#!/bin/sh
# tests/repro-rules.sh - rules built to hit what made results change from
# run to run (table.sort with ties, pairs over boolean keys, addresses in
# the text of tables and functions: issue 9, items 4-6) are scored five
# times; every output file must be byte-identical to the first run's.
# The rules are those of the end-to-end case run-deterministic-rules, laid
# over tests/cases/_base as tests/run-cases.sh does.
set -u
cd "$(dirname "$0")/.." || exit 1
BIN=${1:-build/lawscore}
case "$BIN" in /*) ;; *) BIN="$PWD/$BIN" ;; esac
RUNS=${RUNS:-5}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
tree=$scratch/case
cp -R tests/cases/_base "$tree"
cp -R tests/cases/run-deterministic-rules/rules "$tree/"
fail=0
i=1
while [ "$i" -le "$RUNS" ]; do
    mkdir -p "$scratch/out$i"
    if ! ${VALGRIND:-} "$BIN" run "$tree/scheme.yaml" "$tree/data.yaml" -q -o "$scratch/out$i" \
            >"$scratch/log$i" 2>&1; then
        echo "FAIL repro-rules: run $i failed:"; sed 's/^/    /' "$scratch/log$i"
        fail=1
    fi
    if [ "$i" -gt 1 ]; then
        for f in "$scratch/out1"/*; do
            b=$(basename "$f")
            cmp -s "$f" "$scratch/out$i/$b" ||
                { echo "FAIL repro-rules: $b of run $i differs from run 1"; fail=1; }
        done
    fi
    i=$((i + 1))
done
[ -n "$(ls -A "$scratch/out1" 2>/dev/null)" ] || { echo "FAIL repro-rules: no output"; fail=1; }
if [ $fail = 0 ]; then echo "repro-rules: $RUNS runs, outputs byte-identical"; fi
exit $fail
