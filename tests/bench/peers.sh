#!/bin/sh
# tests/bench/peers.sh - lawscore against its peers on the same work (make
# bench-peers).
#
#   sh tests/bench/peers.sh path/to/lawscore BUILD_DIR
#
# Installs GoRules zen-engine and js-yaml from npm into BUILD_DIR/peers
# (once), builds make bench's synthetic provinces (gen.awk), and at each
# size times, end to end from the input files to the result files:
#   lawscore run (default --jobs: the cores; results.csv, items.csv and
#     results.json as a province run writes them)
#   zen-engine (peer_zen.js: the example's item scoring as one decision
#     graph, one evaluation per unit; 1, 2 and 4 evaluations in flight;
#     writes a results.csv and a results.json of item scores)
#   a plain Python port (peer_python.py: PyYAML, decimal, csv, json)
# and checks that the peers' rank, total and grade agree with lawscore's
# for every unit (the ports are only fair if they do the same sums).
# Prints the times and ratios; exits non-zero when a program fails or a
# peer disagrees.
#
# Environment: PEERS_SIZES (default "10000 100000"); PEERS_FORMATS, what
# lawscore writes (default csv,json: the machine-readable files, as the
# peers write; "all" for lawscore's default, which adds results.xlsx and
# report.html); TMPDIR.
set -u
LS=${1:-}
BUILD=${2:-build}
if [ -z "$LS" ] || [ ! -x "$LS" ]; then
    echo "usage: sh tests/bench/peers.sh path/to/lawscore BUILD_DIR" >&2
    exit 2
fi
case $LS in /*) ;; *) LS=$(pwd)/$LS ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
EX=$ROOT/examples/dongfeng-2017
SIZES=${PEERS_SIZES:-10000 100000}
FORMATS=${PEERS_FORMATS:-csv,json}
FARG="--formats $FORMATS"
[ "$FORMATS" = all ] && FARG=
mkdir -p "$BUILD/peers" || exit 1
PEERS=$(cd "$BUILD/peers" && pwd)
say() { echo "peers: $*" >&2; }
fail() { echo "peers: FAILED: $*" >&2; exit 1; }

command -v node >/dev/null 2>&1 || fail "node is not installed (apt-get install nodejs npm)"
command -v python3 >/dev/null 2>&1 || fail "python3 is not installed"
python3 -c 'import yaml' 2>/dev/null || fail "python3 has no yaml module (apt-get install python3-yaml)"
if [ ! -d "$PEERS/node_modules/@gorules/zen-engine" ] || [ ! -d "$PEERS/node_modules/js-yaml" ]; then
    say "installing @gorules/zen-engine and js-yaml from npm into $PEERS"
    (cd "$PEERS" && npm install --no-audit --no-fund --silent @gorules/zen-engine js-yaml) >&2 ||
        fail "npm install @gorules/zen-engine js-yaml"
fi
cp "$HERE/peer_zen.js" "$PEERS/peer_zen.js"
ZENV=$(cd "$PEERS" && node -e 'console.log(require("@gorules/zen-engine/package.json").version)')
PYV=$(python3 -c 'import sys, yaml; print("%d.%d.%d" % sys.version_info[:3], "PyYAML", yaml.__version__, "C loader" if getattr(yaml, "__with_libyaml__", False) else "pure Python")')

W=$(mktemp -d "${TMPDIR:-/tmp}/lawscore-peers.XXXXXX") || exit 1
trap 'rm -rf "$W"' EXIT
trap 'rm -rf "$W"; exit 130' HUP INT PIPE TERM
pdir=$(dirname "$LS")/plugins
[ -d "$pdir" ] && LAWSCORE_PLUGIN_PATH=$pdir && export LAWSCORE_PLUGIN_PATH

# timed OUTVAR CMD...: run CMD (stdout to /dev/null, stderr to $W/err); sets
# T_WALL and T_CPU (user + system seconds: what the work cost whatever else
# the machine runs).  Returns CMD's status.
timed() {
    /usr/bin/time -f '%e %U %S' -o "$W/time" "$@" >/dev/null 2>"$W/err"
    st=$?
    T_WALL=$(awk '{ printf "%.2f", $1 }' "$W/time")
    T_CPU=$(awk '{ printf "%.2f", $2 + $3 }' "$W/time")
    return $st
}
calc() { awk "BEGIN { $1 }" </dev/null; }
# agree A B: every unit's rank, total and grade in peer file B as in lawscore's results.csv A
agree() {
    awk -F, '{ sub(/\r$/, "") } FNR == 1 { f++; if (f == 1) { for (i = 1; i <= NF; i++) { if ($i == "总分") t = i; if ($i == "等次") g = i } } next }
             f == 1 { want[$3] = $2 "," $t "," $g; n++; next }
             { if (want[$3] == $2 "," $5 "," $6) ok++ }
             END { printf "%d/%d", ok, n; exit ok != n }' "$1" "$2"
}

ROWS=$W/rows
: >"$ROWS"
for n in $SIZES; do
    d=$W/n$n
    mkdir -p "$d" && cp -R "$EX/rules" "$d/"
    sed 's/^units: units\.yaml/units: units.csv/' "$EX/scheme.yaml" >"$d/scheme.yaml"
    awk -v n="$n" -v out="$d" -f "$HERE/gen.awk" "$EX/units.yaml" "$EX/data/fazhiban.yaml" "$EX/data/departments.csv" ||
        fail "gen.awk N=$n"
    say "N=$n: lawscore run"
    # shellcheck disable=SC2086 # FARG: empty or two words
    timed "$LS" run -q $FARG -o "$d/ls" "$d/scheme.yaml" "$d/fazhiban.yaml" "$d/departments.csv" ||
        fail "lawscore run at N=$n: $(head -n 3 "$W/err")"
    ls_mb=$(du -sm "$d/ls" | awk '{ print $1 }')
    line="$n $T_WALL $ls_mb $T_CPU"
    for c in 1 2 4; do
        say "N=$n: zen-engine, $c in flight"
        timed node "$PEERS/peer_zen.js" "$d" "$d/zen$c" "$c" || fail "zen at N=$n: $(head -n 5 "$W/err")"
        a=$(agree "$d/ls/results.csv" "$d/zen$c/results.csv") || fail "zen ($c in flight) disagrees with lawscore at N=$n: $a units agree"
        line="$line $T_WALL $a $T_CPU"
        rm -rf "$d/zen$c"
    done
    say "N=$n: Python"
    timed python3 "$HERE/peer_python.py" "$d" "$d/py" || fail "python at N=$n: $(head -n 5 "$W/err")"
    a=$(agree "$d/ls/results.csv" "$d/py/results.csv") || fail "the Python port disagrees with lawscore at N=$n: $a units agree"
    line="$line $T_WALL $a $T_CPU"
    echo "$line" >>"$ROWS"
    rm -rf "$d"
done

echo
echo "lawscore against its peers, end to end (input files to result files), wall seconds"
echo "  lawscore $("$LS" --version | awk '{ print $2 }') run, --jobs = $(getconf _NPROCESSORS_ONLN) cores, --formats $FORMATS"
echo "  zen-engine $ZENV (node $(node --version)): the example's item scoring as one JDM decision graph, k evaluations in flight"
echo "  Python $PYV, decimal, csv, json"
echo "  agree = units whose rank, total and grade equal lawscore's; ratio = peer / lawscore (above 1: lawscore faster);"
echo "  CPU = user + system seconds of the process (what the work cost, whatever else the machine runs)"
echo "  load avg: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?') (other work on the machine slows wall times)"
echo
awk '{
    # n lsW lsMB lsC z1W z1A z1C z2W z2A z2C z4W z4A z4C pyW pyA pyC
    printf "N=%d                          wall s    ratio    CPU s    ratio   agree\n", $1
    printf "  %-26s %8.2f %8s %8.2f %8s   (output %d MB)\n", "lawscore", $2, "", $4, "", $3
    printf "  %-26s %8.2f %7.2fx %8.2f %7.2fx   %s\n", "zen-engine, 1 in flight", $5, $5 / $2, $7, $7 / $4, $6
    printf "  %-26s %8.2f %7.2fx %8.2f %7.2fx   %s\n", "zen-engine, 2 in flight", $8, $8 / $2, $10, $10 / $4, $9
    printf "  %-26s %8.2f %7.2fx %8.2f %7.2fx   %s\n", "zen-engine, 4 in flight", $11, $11 / $2, $13, $13 / $4, $12
    printf "  %-26s %8.2f %7.2fx %8.2f %7.2fx   %s\n", "Python port", $14, $14 / $2, $16, $16 / $4, $15
    best = $5; if ($8 < best) best = $8; if ($11 < best) best = $11
    printf "  goals: faster than zen-engine at any concurrency: %s (best zen %.2f s / lawscore %.2f s wall = %.2fx);\n", \
           (best > $2 ? "met" : "not met"), best, $2, best / $2
    printf "         >= 20x the Python port: %s (%.1fx wall, %.1fx CPU)\n", ($14 / $2 >= 20 ? "met" : "not met"), $14 / $2, $16 / $4
}' "$ROWS"
