#!/bin/sh
# tests/run-cases.sh - data-driven end-to-end cases.
#
# Each directory tests/cases/NAME/ holds:
#   cmd        the arguments to lawscore, one line; paths relative to the
#              repository root; $CASE expands to the case directory and
#              $OUT to a fresh scratch directory
#   status     the expected exit status (default 0)
#   stderr     the expected standard error, exactly (optional); in both
#              streams the build directory reads as $BUILD and the
#              repository root as $ROOT, so cases do not depend on where
#              the checkout is
#   stdout     the expected standard output, exactly (optional)
#   expected/  files that must exist in $OUT with exactly this content
#              (optional); with a non-zero status $OUT must stay empty,
#              unless a file `writes-on-failure` is present (--keep-going)
# Prints one line per failure with a diff, then "N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 1
BIN=${1:-build/lawscore}
case "$BIN" in /*) ;; *) BIN="$PWD/$BIN" ;; esac
BINDIR=$(cd "$(dirname "$BIN")" && pwd)
pass=0
fail=0
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for dir in tests/cases/*/; do
    dir=${dir%/}
    [ -f "$dir/cmd" ] || continue
    name=${dir#tests/cases/}
    CASE=$dir
    OUT=$scratch/$name/out
    mkdir -p "$OUT"
    args=$(sed -e "s|\$CASE|$CASE|g" -e "s|\$OUT|$OUT|g" "$dir/cmd")
    want_status=0
    [ -f "$dir/status" ] && want_status=$(cat "$dir/status")
    # shellcheck disable=SC2086
    ${VALGRIND:-} "$BIN" $args >"$scratch/$name/stdout" 2>"$scratch/$name/stderr"
    status=$?
    for stream in stdout stderr; do
        sed -e "s|$BINDIR|\$BUILD|g" -e "s|$PWD|\$ROOT|g" "$scratch/$name/$stream" > "$scratch/$name/$stream.t"
        mv "$scratch/$name/$stream.t" "$scratch/$name/$stream"
    done
    ok=1
    why=""
    if [ "$status" != "$want_status" ]; then ok=0; why="exit status $status, expected $want_status"; fi
    for stream in stdout stderr; do
        if [ -f "$dir/$stream" ] && ! cmp -s "$dir/$stream" "$scratch/$name/$stream"; then
            ok=0
            why="$why${why:+; }$stream differs:
$(diff -u "$dir/$stream" "$scratch/$name/$stream" | head -40)"
        fi
    done
    if [ -d "$dir/expected" ]; then
        for f in "$dir"/expected/*; do
            b=$(basename "$f")
            if ! cmp -s "$f" "$OUT/$b"; then
                ok=0
                why="$why${why:+; }$b differs:
$(diff -u "$f" "$OUT/$b" 2>&1 | head -40)"
            fi
        done
    fi
    if [ "$want_status" != 0 ] && [ ! -f "$dir/writes-on-failure" ] && [ -n "$(ls -A "$OUT")" ]; then
        ok=0
        why="$why${why:+; }output files written despite failure: $(ls -A "$OUT" | tr '\n' ' ')"
    fi
    if [ $ok = 1 ]; then pass=$((pass + 1)); else
        fail=$((fail + 1))
        echo "FAIL $name: $why"
        [ -s "$scratch/$name/stderr" ] && { echo "  stderr was:"; sed 's/^/    /' "$scratch/$name/stderr" | head -20; }
    fi
done
# Reproducibility: the same inputs give byte-identical outputs.
ex=examples/dongfeng-2017
ok=1
for n in 1 2; do
    mkdir -p "$scratch/repro$n"
    ${VALGRIND:-} "$BIN" run $ex/scheme.yaml $ex/data/fazhiban.yaml $ex/data/departments.csv -q \
        -o "$scratch/repro$n" >/dev/null 2>&1 || ok=0
done
for f in results.csv items.csv results.json; do
    cmp -s "$scratch/repro1/$f" "$scratch/repro2/$f" || { ok=0; echo "FAIL reproducibility: $f differs between two runs"; }
done
if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi

echo "cases: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
