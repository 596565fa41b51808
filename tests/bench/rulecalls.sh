#!/bin/sh
# tests/bench/rulecalls.sh - `make bench-rules`: the example cycled to N
# units (default 10 000, tests/bench/gen.awk), every Lua rule called on
# every unit through the backend (tests/bench/rulecalls.c); prints calls/s.
# With LIMIT (tests/bench/limit.c), also the same rules in plain Lua
# (`limit rules 1`: no sandbox, no host; the fastest of 3) and the ratio,
# both in CPU seconds of the calling thread.
#
#   [LIMIT=build/bench/limit] sh tests/bench/rulecalls.sh build/bench/rulecalls [N]
set -u
BIN=$1
N=${2:-10000}
HERE=$(cd "$(dirname "$0")" && pwd)
EX=$HERE/../../examples/dongfeng-2017
W=$(mktemp -d "${TMPDIR:-/tmp}/lawscore-rulecalls.XXXXXX") || exit 1
trap 'rm -rf "$W"' EXIT
cp -R "$EX/rules" "$W/" || exit 1
if [ "${TRIVIAL:-0}" = 1 ]; then
    for f in "$W"/rules/*.lua; do echo 'return 0' >"$f"; done
fi
sed 's/^units: units\.yaml/units: units.csv/' "$EX/scheme.yaml" >"$W/scheme.yaml"
awk -v n="$N" -v out="$W" -f "$HERE/gen.awk" \
    "$EX/units.yaml" "$EX/data/fazhiban.yaml" "$EX/data/departments.csv" || exit 1
LAWSCORE_PLUGIN_PATH=${PLUGINS:-$(dirname "$BIN")/../plugins} "$BIN" "$W/scheme.yaml" "$W/fazhiban.yaml" "$W/departments.csv" -r "${REPS:-3}" | tee "$W/calls.out" || exit 1
[ -n "${LIMIT:-}" ] || exit 0
best=
for _ in 1 2 3; do
    t=$("$LIMIT" rules 1 "$HERE/../../rules/lawscore.lua" "$W/scheme.yaml" "$W/fazhiban.yaml" "$W/departments.csv" 2>/dev/null | awk '{ print $3 }') || exit 1
    best=$(awk -v b="$best" -v t="$t" 'BEGIN { print (b == "" || t < b + 0) ? t : b }')
done
awk -v plain="$best" '/^rule calls:/ {
    for (i = 1; i <= NF; i++) if ($i == "CPU,") cpu = $(i - 2)
    calls = $3
    printf "plain Lua (limit rules, 1 thread, best of 3): %.3f s CPU, %.0f calls/s, %.0f ns/call; lawscore / plain Lua = %.2fx\n",
           plain, calls / plain, plain / calls * 1e9, cpu / plain
}' "$W/calls.out"
