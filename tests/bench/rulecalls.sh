#!/bin/sh
# tests/bench/rulecalls.sh - `make bench-rules`: the example cycled to N
# units (default 10 000, tests/bench/gen.awk), every Lua rule called on
# every unit through the backend (tests/bench/rulecalls.c); prints calls/s.
#
#   sh tests/bench/rulecalls.sh build/bench/rulecalls [N]
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
LAWSCORE_PLUGIN_PATH=${PLUGINS:-$(dirname "$BIN")/../plugins} "$BIN" "$W/scheme.yaml" "$W/fazhiban.yaml" "$W/departments.csv" -r "${REPS:-3}"
