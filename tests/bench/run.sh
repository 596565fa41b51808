#!/bin/sh
# tests/bench/run.sh - lawscore benchmarks (make bench).
#
#   sh tests/bench/run.sh path/to/lawscore path/to/limit
#
# Builds synthetic provinces from examples/dongfeng-2017 (its 20 units
# cycled to N units, with their groups, flags and data; see gen.awk), then
# at each size measures `lawscore run` with 1 and 2 scoring threads (wall
# time of each phase from --timings: load, bind, score, write; peak RSS)
# and `lawscore check`, and beside them the physical limit measured in the
# same run by tests/bench/limit.c on the same input: libyaml events of the
# YAML files, libcsv of the CSV files, the same number of bare Lua calls
# (N x rule leaves) on as many threads, writing and syncing as many bytes
# as the run wrote.  It prints each figure with its limit and the ratio,
# how time per unit scales with N, the speed-up of scoring with 2 threads,
# and the goals of issue 14 with the figures measured for them.  It
# asserts nothing about speed: the machines are shared and noisy, so read
# the ratios within one run.  It exits non-zero only when lawscore fails or
# the results are not reproducible (two runs at BENCH_REPRO_N, and -j1
# against -j2 at every size).
#
# Environment:
#   BENCH_SIZES    sizes to measure, ascending (default "1000 10000 100000")
#   BENCH_BUDGET   seconds: a size whose projected time (from the size
#                  before it) would end the bench after this is skipped
#                  and reported (default 400)
#   BENCH_REPRO_N  size at which the determinism check runs twice (10000)
#   BENCH_TIME     the time utility (default /usr/bin/time; empty: use date)
#   BENCH_FORMATS  --formats for the runs (default: lawscore's default, every
#                  format; e.g. csv,json)
#   TMPDIR         where the synthetic provinces and results are written
#
# POSIX sh and awk only.  Times come from /usr/bin/time -f '%e %U %S %M';
# without it, from date (wall time only, memory not measured: dash has no
# `time` keyword).  The example's C plugins come from the build beside the
# binary when up to date, else are built into the work dir.  At N=100000 the
# results take ~2 GB in TMPDIR (removed after that size).

set -u

LS=${1:-}
LIMIT=${2:-}
if [ -z "$LS" ] || [ ! -x "$LS" ] || [ -z "$LIMIT" ] || [ ! -x "$LIMIT" ]; then
    echo "usage: sh tests/bench/run.sh path/to/lawscore path/to/limit" >&2
    exit 2
fi
case $LS in /*) ;; *) LS=$(pwd)/$LS ;; esac
case $LIMIT in /*) ;; *) LIMIT=$(pwd)/$LIMIT ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
EX=$ROOT/examples/dongfeng-2017
SIZES=${BENCH_SIZES:-1000 10000 100000}
BUDGET=${BENCH_BUDGET:-400}
REPRO_N=${BENCH_REPRO_N:-10000}

W=$(mktemp -d "${TMPDIR:-/tmp}/lawscore-bench.XXXXXX") || exit 1
trap 'rm -rf "$W"' EXIT
trap 'rm -rf "$W"; exit 130' HUP INT PIPE TERM

START=$(date +%s)
say() { echo "bench: $*" >&2; }
fail() { echo "bench: FAILED: $*" >&2; [ -s "$W/cmd.err" ] && tail -n 5 "$W/cmd.err" >&2; exit 1; }
calc() { awk "BEGIN { $1 }" </dev/null; }

# ---- timing ------------------------------------------------------------
# measure REPS CMD...: run CMD REPS times (stdout to $W/cmd.out, stderr to
# $W/cmd.err); sets M_RC, M_S (wall seconds per run), M_CPU (user+system
# seconds per run, or -) and M_KB (peak RSS in KB, or -).
cat >"$W/loop.sh" <<'EOF'
n=$1; shift; i=0
while [ "$i" -lt "$n" ]; do
    "$@" >"$LOOP_OUT" 2>"$LOOP_ERR" || exit $?
    i=$((i + 1))
done
EOF
export LOOP_OUT="$W/cmd.out" LOOP_ERR="$W/cmd.err"

# BENCH_TIME= (empty) forces the fallback.
TIME=${BENCH_TIME-/usr/bin/time}
if [ -n "$TIME" ] && ! { command -v "$TIME" >/dev/null 2>&1 && "$TIME" -f '%e' true 2>/dev/null; }; then
    TIME=
fi
NS=0
case $(date +%N 2>/dev/null) in [0-9][0-9]*) NS=1 ;; esac
now() { if [ "$NS" = 1 ]; then date +%s.%N; else date +%s; fi; }

measure() {
    reps=$1; shift
    if [ -n "$TIME" ]; then
        "$TIME" -f '%e %U %S %M' sh "$W/loop.sh" "$reps" "$@" 2>"$W/time.out"
        M_RC=$?
        # shellcheck disable=SC2046 # the four figures, split on purpose
        set -- $(tail -n 1 "$W/time.out")
        M_S=$(calc "printf \"%.4f\", $1 / $reps")
        M_CPU=$(calc "printf \"%.4f\", ($2 + $3) / $reps")
        M_KB=$4
    else
        t0=$(now)
        sh "$W/loop.sh" "$reps" "$@"
        M_RC=$?
        t1=$(now)
        M_S=$(calc "printf \"%.4f\", ($t1 - $t0) / $reps")
        M_CPU=-
        M_KB=-
    fi
}

# sizes from ls -ln, without reading the files (the outputs reach GBs)
bytes() { ls -ln "$1" | awk '{ print $5 }'; }
dirbytes() { ls -ln "$1" | awk '$1 ~ /^-/ { s += $5 } END { print s + 0 }'; }

# ---- a synthetic province of N units in $W/nN ----------------------------
make_province() {
    d=$W/n$1
    if ! mkdir -p "$d" || ! cp -R "$EX/rules" "$d/"; then fail "cannot copy the example"; fi
    sed 's/^units: units\.yaml/units: units.csv/' "$EX/scheme.yaml" >"$d/scheme.yaml"
    grep -q '^units: units\.csv' "$d/scheme.yaml" || fail "the example's scheme has no 'units: units.yaml'"
    # the same scheme without required indicators: loads one data file alone
    sed '/^    required: true$/d' "$d/scheme.yaml" >"$d/scheme-load.yaml"
    awk -v n="$1" -v out="$d" -f "$HERE/gen.awk" \
        "$EX/units.yaml" "$EX/data/fazhiban.yaml" "$EX/data/departments.csv" ||
        fail "gen.awk failed for N=$1"
}

# ---- plugins -------------------------------------------------------------
# The example scores some items with the C plugins in plugins/.  Use the
# ones built beside the binary (make plugins) when they are all there and
# up to date; otherwise build them into the work dir with plugins/Makefile.
PLUGNOTE="none"
if ls "$ROOT"/plugins/*.c >/dev/null 2>&1; then
    pdir=$(dirname "$LS")/plugins
    fresh=1
    for c in "$ROOT"/plugins/*.c; do
        so=$pdir/$(basename "$c" .c).so
        if [ ! -f "$so" ] || [ -n "$(find "$c" "$ROOT/include/lawscore_plugin.h" -newer "$so" 2>/dev/null)" ]; then
            fresh=0
        fi
    done
    if [ "$fresh" = 0 ]; then
        pdir=$W/plugins
        say "building the plugins into $pdir"
        make -s -C "$ROOT/plugins" BUILD="$pdir" >"$W/cmd.err" 2>&1 || fail "cannot build the plugins (make -C plugins)"
    fi
    LAWSCORE_PLUGIN_PATH=$pdir
    export LAWSCORE_PLUGIN_PATH
    PLUGNOTE=$pdir
fi

# ---- measurements --------------------------------------------------------
if [ -n "$TIME" ]; then tnote="/usr/bin/time"; else tnote="date (no /usr/bin/time: memory not measured)"; fi
cores=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo "?")
say "lawscore $LS; timing with $tnote; plugins: $PLUGNOTE; work dir $W"

# The example as shipped must check before anything is measured.
"$LS" check "$EX/scheme.yaml" "$EX/data/fazhiban.yaml" "$EX/data/departments.csv" \
    >"$W/cmd.out" 2>"$W/cmd.err" || fail "lawscore check fails on the example itself"

ROWS=$W/rows
: >"$ROWS"
SKIPPED=
LEAVES=
REPRO="not measured (BENCH_REPRO_N=$REPRO_N not among the sizes)"
REPRO_OK=1
prevN='' prevT='' prevOut=''

# run_once J OUT: `lawscore run` with J threads into OUT; sets R_S (wall),
# R_KB, R_LOAD R_BIND R_SCORE R_WRITE (wall, from --timings) and R_SCPU
# (CPU seconds of the score phase, all threads).
run_once() {
    measure 1 "$LS" run -q --timings ${BENCH_FORMATS:+--formats "$BENCH_FORMATS"} -j "$1" -o "$2" \
        "$d/scheme.yaml" "$d/fazhiban.yaml" "$d/departments.csv"
    [ "$M_RC" = 0 ] || fail "lawscore run -j $1 exited $M_RC at N=$n"
    R_S=$M_S; R_KB=$M_KB; R_CPU=$M_CPU
    # lawscore: note: timings: bind 0.012 s (cpu 0.011 s), load 0.543 s (cpu 0.540 s), score 4.287 s (cpu 8.1 s), write ...
    # (by name: the phases are printed in the order they ran)
    # shellcheck disable=SC2046
    set -- $(awk '/timings:/ { for (i = 1; i <= NF; i++) if ($i ~ /^(load|bind|score|write)$/) t[$i] = $(i + 1)
                               for (i = 1; i <= NF; i++) if ($i == "score") c = $(i + 4)
                               printf "%s %s %s %s %s", t["load"], t["bind"], t["score"], t["write"], c }' "$W/cmd.err")
    [ $# = 5 ] || fail "no --timings line from lawscore run at N=$n"
    R_LOAD=$1; R_BIND=$2; R_SCORE=$3; R_WRITE=$4; R_SCPU=$5
}

# lim WHAT ARGS...: the fastest of 3 runs of the limit program (seconds).
lim() {
    best=
    for _ in 1 2 3; do
        t=$("$LIMIT" "$@" | awk '{ print $2 }') || fail "limit $1 failed"
        best=$(calc "b = \"$best\"; t = $t; print (b == \"\" || t < b + 0) ? t : b")
    done
    echo "$best"
}

for n in $SIZES; do
    if [ -n "$prevN" ]; then
        proj=$(calc "printf \"%.0f\", $prevT * $n / $prevN * 1.2")
        elapsed=$(( $(date +%s) - START ))
        need=$(calc "printf \"%.0f\", $prevOut * $n / $prevN * 2.2 / 1024")
        avail=$(df -Pk "$W" | awk 'NR == 2 { print $4 }')
        if [ $((elapsed + proj)) -gt "$BUDGET" ]; then
            SKIPPED="$SKIPPED N=$n (projected ${proj}s after ${elapsed}s, budget ${BUDGET}s);"
            say "skipping N=$n: projected ${proj}s would end after the ${BUDGET}s budget"
            continue
        fi
        if [ -n "$avail" ] && [ "$need" -gt "$avail" ]; then
            SKIPPED="$SKIPPED N=$n (needs ~$((need / 1024)) MB of disk, $((avail / 1024)) MB free);"
            say "skipping N=$n: needs ~$((need / 1024)) MB in $W, $((avail / 1024)) MB free"
            continue
        fi
    fi
    say "N=$n: generating"
    t0=$(now)
    make_province "$n"
    t1=$(now)
    gen_s=$(calc "printf \"%.2f\", $t1 - $t0")
    d=$W/n$n
    inb=$(( $(bytes "$d/units.csv") + $(bytes "$d/fazhiban.yaml") + $(bytes "$d/departments.csv") + $(bytes "$d/scheme.yaml") ))

    # Small sizes are repeated: the fastest and slowest of 3 show the noise.
    nrep=1; [ "$n" -le 10000 ] && nrep=3
    say "N=$n: check (x$nrep)"
    c_s=
    k=0
    while [ "$k" -lt "$nrep" ]; do
        measure 1 "$LS" check -j 2 "$d/scheme.yaml" "$d/fazhiban.yaml" "$d/departments.csv"
        [ "$M_RC" = 0 ] || fail "lawscore check exited $M_RC at N=$n"
        if [ -z "$c_s" ] || [ "$(calc "print ($M_S < $c_s)")" = 1 ]; then c_s=$M_S; c_kb=$M_KB; fi
        k=$((k + 1))
    done
    if [ -z "$LEAVES" ]; then
        # "items: 11 categories and sub-items, 32 items, 3 bonus, 2 deduction, 1 veto"
        LEAVES=$(awk '/^items:/ { n = 0; for (i = 2; i <= NF; i++)
                         if ($(i + 1) ~ /^(items|bonus|deduction|deductions|veto|vetoes),?$/) n += $i + 0
                     print n }' "$W/cmd.out")
        [ -n "$LEAVES" ] || LEAVES=0
    fi

    say "N=$n: run -j 1, run -j 2 (x$nrep)"
    run_once 1 "$d/out1"
    r1_s=$R_S; r1_kb=$R_KB; r1_load=$R_LOAD; r1_score=$R_SCORE; r1_write=$R_WRITE; r1_scpu=$R_SCPU
    ob=$(dirbytes "$d/out1")
    r2_min= r2_max=
    k=0
    while [ "$k" -lt "$nrep" ]; do
        rm -rf "$d/out2"
        run_once 2 "$d/out2"
        if [ -z "$r2_min" ] || [ "$(calc "print ($R_S < $r2_min)")" = 1 ]; then
            r2_min=$R_S; r2_kb=$R_KB; r2_load=$R_LOAD; r2_score=$R_SCORE; r2_write=$R_WRITE; r2_scpu=$R_SCPU
            r2_cpu=$R_CPU
        fi
        if [ -z "$r2_max" ] || [ "$(calc "print ($R_S > $r2_max)")" = 1 ]; then r2_max=$R_S; fi
        say "N=$n: run -j 2: $R_S s"
        k=$((k + 1))
    done
    for f in results.csv items.csv results.json results.xlsx report.html; do
        [ -f "$d/out1/$f" ] || continue
        if ! cmp -s "$d/out1/$f" "$d/out2/$f"; then
            REPRO_OK=0
            REPRO="no: $f differs between --jobs 1 and --jobs 2 at N=$n"
        fi
    done
    if [ "$n" = "$REPRO_N" ] && [ "$REPRO_OK" = 1 ]; then
        REPRO="yes  (N=$n: --jobs 1 against the fastest of $nrep --jobs 2 runs, results.csv items.csv results.json results.xlsx report.html)"
    fi
    rm -rf "$d/out1" "$d/out2"

    say "N=$n: limits"
    l_yaml=$(lim yaml "$d/scheme.yaml" "$d/fazhiban.yaml")
    l_csv=$(lim csv "$d/units.csv" "$d/departments.csv")
    calls=$((n * LEAVES))
    l_lua1=$(lim lua "$calls" 1)
    l_lua2=$(lim lua "$calls" 2)
    l_write=$("$LIMIT" write "$ob" "$W" | awk '{ print $2 }') || fail "limit write failed"
    rm -rf "$d"

    echo "$n $r1_s $r1_load $r1_score $r1_write $r1_kb $r2_min $r2_max $r2_load $r2_score $r2_write $r2_kb $c_s $c_kb $ob $inb $l_yaml $l_csv $l_lua1 $l_lua2 $l_write $gen_s $r1_scpu $r2_scpu $r2_cpu" >>"$ROWS"
    prevN=$n
    # what the next size costs: one run each way, one check, the limits (x1.3)
    prevT=$(calc "print ($r1_s + $r2_min + $c_s + $l_yaml + $l_csv + $l_lua1 + $l_lua2 + $l_write) * 1.3")
    prevOut=$ob
done

[ -s "$ROWS" ] || fail "no size measured"

# ---- report --------------------------------------------------------------
echo
echo "lawscore benchmarks: $LS"
echo "  $cores cores; timing: $tnote; scheme: dongfeng-2017 ($LEAVES rule leaves: items, bonus, deductions, vetoes)"
echo "  synthetic provinces: the example's 20 units cycled to N (2 towns, 18 departments per 20)"
echo "  run writes: ${BENCH_FORMATS:-every format (csv, json, xlsx, html)}"
echo "  limit = the same work by the plainest C, measured now (tests/bench/limit.c): libyaml events of the"
echo "  YAML files + libcsv of the CSV files + N x $LEAVES bare Lua calls (on as many threads) + writing and"
echo "  syncing as many bytes as the run wrote; ratio = lawscore / limit (1.00 = at the limit)"
echo "  load avg at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?') (other work on the machine slows wall times)"
echo
awk -v leaves="$LEAVES" '
function mb(x) { return x / 1048576 }
function kbmb(x) { return x == "-" ? "-" : sprintf("%.0f", x / 1024) }
function ratio(a, b) { return b > 0 ? sprintf("%.2f", a / b) : "-" }
{
    i = NR
    n[i] = $1; r1[i] = $2; r1l[i] = $3; r1s[i] = $4; r1w[i] = $5; r1kb[i] = $6
    r2[i] = $7; r2max[i] = $8; r2l[i] = $9; r2s[i] = $10; r2w[i] = $11; r2kb[i] = $12
    c[i] = $13; ckb[i] = $14; ob[i] = $15; ib[i] = $16
    ly[i] = $17; lc[i] = $18; lu1[i] = $19; lu2[i] = $20; lw[i] = $21; g[i] = $22
    c1[i] = $23; c2[i] = $24; rcpu[i] = $25
    lim2[i] = ly[i] + lc[i] + lu2[i] + lw[i]
    lim1[i] = ly[i] + lc[i] + lu1[i] + lw[i]
    limc[i] = ly[i] + lc[i] + lu2[i]
}
END {
    print "run, end to end, 2 scoring threads (the default here): wall s (fastest, slowest of the repeats) against the limit"
    print "(CPU s: user + system seconds of that run, all threads: what the work cost whatever else the machine runs)"
    printf "%8s %16s %8s %8s %8s %8s %8s %7s %8s %8s %9s\n", "N", "run s", "CPU s", "limit s", "ratio", "us/unit",
           "units/s", "RSS MB", "KB/unit", "out MB", "out KB/u"
    for (i = 1; i <= NR; i++)
        printf "%8d %7.2f..%-7.2f %8s %8.2f %8s %8.1f %8.0f %7s %8s %8.0f %9.1f\n", n[i], r2[i], r2max[i], rcpu[i],
               lim2[i], ratio(r2[i], lim2[i]), 1e6 * r2[i] / n[i], n[i] / r2[i], kbmb(r2kb[i]),
               (r2kb[i] == "-" ? "-" : sprintf("%.1f", r2kb[i] / n[i])), mb(ob[i]), ob[i] / n[i] / 1024
    print ""
    print "phases of that run (lawscore --timings) against their limits"
    printf "%8s %8s %8s %6s %9s %8s %6s %8s %8s %6s\n", "N", "load s", "limit", "ratio", "score s", "limit", "ratio",
           "write s", "limit", "ratio"
    for (i = 1; i <= NR; i++)
        printf "%8d %8.3f %8.3f %6s %9.3f %8.3f %6s %8.3f %8.3f %6s\n", n[i], r2l[i], ly[i] + lc[i],
               ratio(r2l[i], ly[i] + lc[i]), r2s[i], lu2[i], ratio(r2s[i], lu2[i]), r2w[i], lw[i], ratio(r2w[i], lw[i])
    print ""
    print "scoring threads: the score phase (wall) with 1 and 2 threads, bare Lua calls on 1 and 2 threads beside it;"
    print "cpu/wall = the cores the score phase had (2.00: both, all the time; less when the machine is busy)"
    printf "%8s %9s %9s %8s %8s %8s %9s %9s %8s %9s %9s\n", "N", "score -j1", "score -j2", "speed-up", "cpu/wall",
           "cpu/wall", "Lua 1 thr", "Lua 2 thr", "speed-up", "run -j1 s", "run -j2 s"
    for (i = 1; i <= NR; i++)
        printf "%8d %9.3f %9.3f %8s %8s %8s %9.3f %9.3f %8s %9.2f %9.2f\n", n[i], r1s[i], r2s[i], ratio(r1s[i], r2s[i]),
               ratio(c1[i], r1s[i]), ratio(c2[i], r2s[i]), lu1[i], lu2[i], ratio(lu1[i], lu2[i]), r1[i], r2[i]
    print ""
    print "check (fastest of the repeats; lint scores the data once, no output) against its limit and against run without writing"
    printf "%8s %8s %8s %6s %14s %6s %9s\n", "N", "check s", "limit", "ratio", "run-write s", "ratio", "check MB"
    for (i = 1; i <= NR; i++)
        printf "%8d %8.2f %8.2f %6s %14.2f %6s %9s\n", n[i], c[i], limc[i], ratio(c[i], limc[i]),
               r2[i] - r2w[i], ratio(c[i], r2[i] - r2w[i]), kbmb(ckb[i])
    print ""
    print "input and output"
    printf "%8s %9s %9s %8s %9s\n", "N", "input MB", "output MB", "gen s", "rule calls/s"
    for (i = 1; i <= NR; i++)
        printf "%8d %9.1f %9.1f %8.2f %9.0f\n", n[i], mb(ib[i]), mb(ob[i]), g[i], n[i] * leaves / r2s[i]
    print ""
    if (NR > 1)
        printf "scaling: run time per unit at N=%d / at N=%d = %.2f   (1.00 = linear)\n",
               n[NR], n[1], (r2[NR] / n[NR]) / (r2[1] / n[1])
    L = NR
    for (i = 1; i <= NR; i++) if (n[i] == 100000) L = i
    print ""
    printf "goals (issue 14), at N=%d:\n", n[L]
    printf "  end to end within 2x the limit:      %.2f s / %.2f s = %sx   %s   (CPU: %s s / %.2f s = %sx)\n", r2[L],
           lim2[L], ratio(r2[L], lim2[L]), (r2[L] <= 2 * lim2[L] ? "met" : "not met"), rcpu[L], lim2[L],
           (rcpu[L] == "-" ? "-" : ratio(rcpu[L], lim2[L]))
    printf "  check within 2x its limit:           %.2f s / %.2f s = %sx   %s\n", c[L], limc[L], ratio(c[L], limc[L]),
           (c[L] <= 2 * limc[L] ? "met" : "not met")
    printf "  check no dearer than run - writing:  %.2f s / %.2f s = %sx   %s\n", c[L], r2[L] - r2w[L],
           ratio(c[L], r2[L] - r2w[L]), (c[L] <= (r2[L] - r2w[L]) * 1.05 ? "met" : "not met")
    printf "  scoring >= 1.8x faster with 2 jobs:  %.3f s / %.3f s = %sx   %s\n", r1s[L], r2s[L], ratio(r1s[L], r2s[L]),
           (r1s[L] >= 1.8 * r2s[L] ? "met" : "not met")
    if (r2kb[L] != "-")
        printf "  1M units within 2 min and 4 GB:      projected %.0f s and %.1f GB from N=%d (linear)\n",
               r2[L] * 1e6 / n[L], r2kb[L] * 1e6 / n[L] / 1048576, n[L]
    printf "  output at 1M units, as written here: projected %.1f GB (goal < 10 GB with all formats)\n",
           ob[L] * 1e6 / n[L] / 1073741824
}' "$ROWS"
[ -n "$SKIPPED" ] && echo "skipped:$SKIPPED"
echo "reproducible: $REPRO"
echo "bench time: $(( $(date +%s) - START ))s"
[ "$REPRO_OK" = 1 ] || exit 1
exit 0
