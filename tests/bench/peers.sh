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
# Environment: PEERS_SIZES (default "10000 100000"), TMPDIR.
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

now() { date +%s.%N; }
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
    t0=$(now)
    "$LS" run -q -o "$d/ls" "$d/scheme.yaml" "$d/fazhiban.yaml" "$d/departments.csv" >/dev/null 2>"$W/err" ||
        fail "lawscore run at N=$n: $(head -n 3 "$W/err")"
    t1=$(now)
    ls_s=$(calc "printf \"%.2f\", $t1 - $t0")
    ls_mb=$(du -sm "$d/ls" | awk '{ print $1 }')
    line="$n $ls_s $ls_mb"
    for c in 1 2 4; do
        say "N=$n: zen-engine, $c in flight"
        t0=$(now)
        node "$PEERS/peer_zen.js" "$d" "$d/zen$c" "$c" >/dev/null 2>"$W/err" || fail "zen at N=$n: $(head -n 5 "$W/err")"
        t1=$(now)
        a=$(agree "$d/ls/results.csv" "$d/zen$c/results.csv") || fail "zen ($c in flight) disagrees with lawscore at N=$n: $a units agree"
        line="$line $(calc "printf \"%.2f\", $t1 - $t0") $a"
        rm -rf "$d/zen$c"
    done
    say "N=$n: Python"
    t0=$(now)
    python3 "$HERE/peer_python.py" "$d" "$d/py" >/dev/null 2>"$W/err" || fail "python at N=$n: $(head -n 5 "$W/err")"
    t1=$(now)
    a=$(agree "$d/ls/results.csv" "$d/py/results.csv") || fail "the Python port disagrees with lawscore at N=$n: $a units agree"
    line="$line $(calc "printf \"%.2f\", $t1 - $t0") $a"
    echo "$line" >>"$ROWS"
    rm -rf "$d"
done

echo
echo "lawscore against its peers, end to end (input files to result files), wall seconds"
echo "  lawscore $("$LS" --version | awk '{ print $2 }') run, --jobs = $(getconf _NPROCESSORS_ONLN) cores, writing results.csv, items.csv, results.json"
echo "  zen-engine $ZENV (node $(node --version)): the example's item scoring as one JDM decision graph, k evaluations in flight"
echo "  Python $PYV, decimal, csv, json"
echo "  agree = units whose rank, total and grade equal lawscore's"
echo "  load avg: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?') (other work on the machine slows wall times)"
echo
awk '{
    printf "N=%d\n", $1
    printf "  %-28s %8.2f s   (output %d MB)\n", "lawscore", $2, $3
    printf "  %-28s %8.2f s   %5.2fx lawscore   agree %s\n", "zen-engine, 1 in flight", $4, $4 / $2, $5
    printf "  %-28s %8.2f s   %5.2fx lawscore   agree %s\n", "zen-engine, 2 in flight", $6, $6 / $2, $7
    printf "  %-28s %8.2f s   %5.2fx lawscore   agree %s\n", "zen-engine, 4 in flight", $8, $8 / $2, $9
    printf "  %-28s %8.2f s   %5.2fx lawscore   agree %s\n", "Python port", $10, $10 / $2, $11
    best = $4; if ($6 < best) best = $6; if ($8 < best) best = $8
    printf "  goals: faster than zen-engine at any concurrency: %s (best zen %.2f s / lawscore %.2f s = %.2fx);\n", \
           (best > $2 ? "met" : "not met"), best, $2, best / $2
    printf "         >= 20x the Python port: %s (%.1fx)\n", ($10 / $2 >= 20 ? "met" : "not met"), $10 / $2
}' "$ROWS"
