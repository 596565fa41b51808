#!/bin/sh
# tests/bench/archive.sh - what the archive costs (make bench-archive).
#
#   sh tests/bench/archive.sh path/to/lawscore [N]
#
# Builds a synthetic province of N units (default 10000; gen.awk with
# vary=1, as make bench does) and publishes it three times into a new
# archive: the year's publication, its re-publication with the same inputs
# (what an office does after appeals that changed nothing it had), and a
# re-publication after one unit's data changed.  Prints for each the
# publish time (wall seconds) and how much the archive file grew, in bytes
# per version and per unit, the outputs and inputs a version holds, and
# (with the sqlite3 shell) the bytes per table.  Then checks that export
# gives back each version's outputs byte for byte.  Exits non-zero when
# lawscore fails or an export differs; asserts nothing about sizes or
# speed (the machine is shared).  Works with any lawscore that has
# `publish` (to measure an older one, build it elsewhere and pass it).
#
# Environment: TMPDIR (the province, its results and the archive: ~1.5 GB
# at 10,000 units with format 1).

set -u
LS=${1:-}
N=${2:-10000}
if [ -z "$LS" ] || [ ! -x "$LS" ]; then
    echo "usage: sh tests/bench/archive.sh path/to/lawscore [N]" >&2
    exit 2
fi
case $LS in /*) ;; *) LS=$(pwd)/$LS ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
EX=$HERE/../../examples/dongfeng-2017
W=$(mktemp -d "${TMPDIR:-/tmp}/lawscore-archive-bench.XXXXXX") || exit 1
trap 'rm -rf "$W"' EXIT
trap 'rm -rf "$W"; exit 130' HUP INT PIPE TERM
fail() { echo "bench-archive: FAILED: $*" >&2; [ -s "$W/err" ] && tail -n 5 "$W/err" >&2; exit 1; }
bytes() { ls -ln "$1" | awk '{ print $5 }'; }
now() { date +%s%N; }

# the province, as tests/bench/run.sh makes it
d=$W/p
mkdir -p "$d" && cp -R "$EX/rules" "$d/" || fail "cannot copy the example"
sed 's/^units: units\.yaml/units: units.csv/' "$EX/scheme.yaml" >"$d/scheme.yaml"
awk -v n="$N" -v out="$d" -v vary=1 -f "$HERE/gen.awk" \
    "$EX/units.yaml" "$EX/data/fazhiban.yaml" "$EX/data/departments.csv" || fail "gen.awk"
in="$d/scheme.yaml $d/fazhiban.yaml $d/departments.csv"
A=$W/archive.sqlite

echo "archive bench: $N units, $("$LS" --version 2>/dev/null | head -n 1)"
echo "inputs: $(cat $in "$d"/units.csv "$d"/rules/*.lua | wc -c) bytes"
# timed CMD...: run CMD; sets T (wall seconds, CPU seconds, peak RSS MB)
# from /usr/bin/time (wall time only without it).  The machine is
# shared: CPU seconds are the steadier figure.
timed() {
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f '%e %U %S %M' -o "$W/time" "$@" >/dev/null 2>"$W/err" || return 1
        T=$(awk '{ printf "%6.2f s wall %6.2f s cpu %5.0f MB", $1, $2 + $3, $4 / 1024 }' "$W/time")
    else
        t0=$(now)
        "$@" >/dev/null 2>"$W/err" || return 1
        T=$(awk -v t="$(($(now) - t0))" 'BEGIN { printf "%6.2f s wall", t / 1e9 }')
    fi
}
# what publish does beyond it: the archive's cost
# shellcheck disable=SC2086
timed "$LS" run $in -o "$W/out-run" -q || fail "run"
echo "run (no archive) $T"
rm -rf "$W/out-run"
# publish LABEL: one publication into $A, into $W/out-LABEL; prints a line
prev=0
publish() {
    rm -rf "$W/out-$1"
    # shellcheck disable=SC2086
    timed "$LS" publish $in --archive "$A" --label "$1" -o "$W/out-$1" -q || fail "publish $1"
    size=$(bytes "$A")
    grew=$((size - prev))
    prev=$size
    out=$(ls -ln "$W/out-$1" | awk '$1 ~ /^-/ { s += $5 } END { print s + 0 }')
    awk -v l="$1" -v t="$T" -v g="$grew" -v n="$N" -v o="$out" 'BEGIN {
        printf "publish %-8s %s   archive +%10d bytes (%6.0f per unit; outputs %d bytes)\n", l, t, g, g / n, o }'
}
publish first
publish again
# one unit's data changes: the re-publication after an appeal
awk '/^  u000001:/ { b = 1 } /^  u000002:/ { b = 0 }
     b && /^    exam_avg:/ { $0 = "    exam_avg: 60.5" } { print }' "$d/fazhiban.yaml" >"$d/f" && mv "$d/f" "$d/fazhiban.yaml"
publish changed
echo "archive file: $(bytes "$A") bytes, 3 versions"

if command -v sqlite3 >/dev/null 2>&1; then
    echo "bytes per table (3 versions; dbstat):"
    sqlite3 "$A" "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC" 2>/dev/null |
        awk -F'|' '$2 > 4096 { printf "  %-28s %12d\n", $1, $2 }'
fi

# export gives back what was published
v=0
for l in first again changed; do
    v=$((v + 1))
    rm -rf "$W/x"
    "$LS" export --archive "$A" --version $v -o "$W/x" 2>"$W/err" || fail "export $v"
    for f in $(ls "$W/out-$l"); do cmp -s "$W/out-$l/$f" "$W/x/$f" || fail "export $v: $f differs"; done
done
echo "export: the 3 versions byte-identical to their publications"
