#!/bin/sh
# tests/bench/run.sh - lawscore benchmarks (make bench).
#
#   sh tests/bench/run.sh path/to/lawscore path/to/limit
#
# Builds synthetic provinces from examples/dongfeng-2017 (its 20 units
# cycled to N units, with their groups, flags and data; see gen.awk), then
# at each size measures `lawscore run` with 1 and 2 scoring threads (wall
# time of each phase from --timings: load, bind, score, write; peak RSS)
# and `lawscore check` with 2 threads and with 1 (its score phase: the
# scoring threads alone, no writer beside them), and beside them the physical limit measured in the
# same run by tests/bench/limit.c on the same input: libyaml events of the
# YAML files, libcsv of the CSV files, the same number of bare Lua calls
# (N x rule leaves) on as many threads, writing and syncing as many bytes
# as the run wrote; beside the score phase also "the same rules in plain
# Lua" (limit rules: the helper library and the example's rule scripts in
# a plain lua_State a thread, the unit's data in a plain table), the floor
# of this scheme's scoring whatever the host does.  It prints each figure with its limit and the ratio,
# how time per unit scales with N, the speed-up of scoring with 2 threads,
# and the goals of issue 14 with the figures measured for them (the
# million-unit goals from a run at N=1000000 when BENCH_SIZES asks for
# one, projected from the largest size otherwise).  It
# asserts nothing about speed: the machines are shared and noisy, so read
# the ratios within one run.  It exits non-zero only when lawscore fails or
# the results are not reproducible (two runs at BENCH_REPRO_N, and -j1
# against -j2 at every size).
#
# Environment:
#   BENCH_SIZES    sizes to measure, ascending (default "1000 10000 100000";
#                  "1000 10000 100000 1000000" measures the 1M goals)
#   BENCH_BUDGET   seconds: a size whose projected time (from the size
#                  before it) would end the bench after this is skipped
#                  and reported (default 400 with the default sizes, none
#                  when BENCH_SIZES is given)
#   BENCH_FULL_MAX sizes above this (default 100000) are measured by one
#                  `run -j 2` only: no -j 1 run, no check, no comparison
#                  of outputs (those are measured at the smaller sizes)
#   BENCH_REPRO_N  size at which the determinism check runs twice (10000)
#   BENCH_TIME     the time utility (default /usr/bin/time; empty: use date)
#   BENCH_FORMATS  --formats for the runs (default: lawscore's default, every
#                  format; e.g. csv,json)
#   TMPDIR         where the synthetic provinces and results are written
#
# POSIX sh and awk only.  Times come from /usr/bin/time -f '%e %U %S %M';
# without it, from date (wall time only, memory not measured: dash has no
# `time` keyword).  The example's C plugins come from the build beside the
# binary when up to date, else are built into the work dir.  Results are
# removed after each size; at N=100000 they take ~4 GB in TMPDIR (two runs
# side by side), at N=1000000 ~22 GB with every format, ~20 GB with
# csv,json (one run): a size is skipped when TMPDIR has not room for it.
# Peak RSS at N=1000000 is about 3 GB.

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
if [ -n "${BENCH_SIZES:-}" ]; then BUDGET=${BENCH_BUDGET:-0}; else BUDGET=${BENCH_BUDGET:-400}; fi
FULL_MAX=${BENCH_FULL_MAX:-100000}
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

# sizes from ls -ln, without reading the files (the outputs reach GBs);
# printf, since mawk prints a sum past 2^31 as 1.99e+10 (which `limit
# write` read as 1 byte at a million units)
bytes() { ls -ln "$1" | awk '{ print $5 }'; }
dirbytes() { ls -ln "$1" | awk '$1 ~ /^-/ { s += $5 } END { printf "%.0f\n", s }'; }

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
# "items: 11 categories and sub-items, 32 items, 3 bonus, 2 deduction, 1 veto"
LEAVES=$(awk '/^items:/ { n = 0; for (i = 2; i <= NF; i++)
                 if ($(i + 1) ~ /^(items|bonus|deduction|deductions|veto|vetoes),?$/) n += $i + 0
             print n }' "$W/cmd.out")
[ -n "$LEAVES" ] || LEAVES=0

ROWS=$W/rows
: >"$ROWS"
SKIPPED=
REPRO="not measured (BENCH_REPRO_N=$REPRO_N not among the sizes)"
REPRO_OK=1
prevN='' prevT='' prevOut=''

# run_once J OUT: `lawscore run` with J threads into OUT; sets R_S (wall),
# R_KB, R_LOAD R_BIND R_SCORE R_WRITE (wall, from --timings) and R_SCPU
# (CPU seconds of the score phase, all threads).  When run reads the data
# while it scores (items.csv written as units are scored), --timings has
# one "load and score" phase: R_LOAD is then 0 and R_SCORE holds both.
run_once() {
    measure 1 "$LS" run -q --timings ${BENCH_FORMATS:+--formats "$BENCH_FORMATS"} -j "$1" -o "$2" \
        "$d/scheme.yaml" "$d/fazhiban.yaml" "$d/departments.csv"
    [ "$M_RC" = 0 ] || fail "lawscore run -j $1 exited $M_RC at N=$n"
    R_S=$M_S; R_KB=$M_KB; R_CPU=$M_CPU
    # lawscore: note: timings: load 0.543 s (cpu 0.540 s), bind ..., score 4.287 s (cpu 8.1 s), write ...
    # or: timings: bind 0.1 s (cpu 0.03 s), load and score 12.1 s (cpu 6.3 s), write 36.1 s (cpu 9.9 s)
    # shellcheck disable=SC2046
    set -- $(awk '/timings:/ {
        load = 0; bind = ""; score = ""; scpu = ""; write = ""
        for (i = 1; i <= NF; i++) {
            if ($i == "load" && $(i + 1) == "and" && $(i + 2) == "score") { score = $(i + 3); scpu = $(i + 6); i += 6 }
            else if ($i == "load") load = $(i + 1)
            else if ($i == "bind") bind = $(i + 1)
            else if ($i == "score") { score = $(i + 1); scpu = $(i + 4) }
            else if ($i == "write") write = $(i + 1)
        }
        if (bind != "" && score != "" && write != "") print load, bind, score, write, scpu
    }' "$W/cmd.err")
    [ $# = 5 ] || fail "no --timings line from lawscore run at N=$n"
    R_LOAD=$1; R_BIND=$2; R_SCORE=$3; R_WRITE=$4; R_SCPU=$5
}

# check_once J: `lawscore check` with J threads; sets what measure sets,
# and C_SCORE, C_SCPU: the wall and CPU seconds of its score phase (the
# scoring threads alone: check writes nothing while it scores).
check_once() {
    measure 1 "$LS" check --timings -j "$1" "$d/scheme.yaml" "$d/fazhiban.yaml" "$d/departments.csv"
    [ "$M_RC" = 0 ] || fail "lawscore check -j $1 exited $M_RC at N=$n"
    # lawscore: note: timings: load 0.5 s (cpu 0.5 s), bind ..., score 4.2 s (cpu 8.1 s), lint ...
    # shellcheck disable=SC2046
    set -- $(awk '/timings:/ { for (i = 1; i <= NF; i++) if ($i == "score") print $(i + 1), $(i + 4) }' "$W/cmd.err")
    [ $# = 2 ] || fail "no score phase in the --timings of lawscore check at N=$n"
    C_SCORE=$1; C_SCPU=$2
}

# lim WHAT ARGS...: the fastest of LIM_REPS (3) runs of the limit program
# (seconds).
lim() {
    best=
    for _ in $(seq "${LIM_REPS:-3}"); do
        t=$("$LIMIT" "$@" | awk '{ print $2 }') || fail "limit $1 failed"
        best=$(calc "b = \"$best\"; t = $t; print (b == \"\" || t < b + 0) ? t : b")
    done
    echo "$best"
}

for n in $SIZES; do
    if [ -n "$prevN" ]; then
        # a full size: two outputs side by side (-j 1 and -j 2); a big one: one
        copies=2.2; [ "$n" -gt "$FULL_MAX" ] && copies=1.2
        proj=$(calc "printf \"%.0f\", ($n > $FULL_MAX ? $prevT1 : $prevT) * $n / $prevN * 1.2")
        elapsed=$(( $(date +%s) - START ))
        need=$(calc "printf \"%.0f\", $prevOut * $n / $prevN * $copies / 1024")
        avail=$(df -Pk "$W" | awk 'NR == 2 { print $4 }')
        if [ "$BUDGET" -gt 0 ] && [ $((elapsed + proj)) -gt "$BUDGET" ]; then
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
    # Big ones (above BENCH_FULL_MAX) get one run -j 2 only.
    nrep=1; [ "$n" -le 10000 ] && nrep=3
    big=0; [ "$n" -gt "$FULL_MAX" ] && big=1
    c_s=- c_kb=- c2_score=- c2_scpu=- c1_s=- c1_score=- c1_scpu=-
    k=0
    [ "$big" = 1 ] || say "N=$n: check -j 2 (x$nrep), check -j 1"
    while [ "$big" = 0 ] && [ "$k" -lt "$nrep" ]; do
        check_once 2
        if [ "$c_s" = - ] || [ "$(calc "print ($M_S < $c_s)")" = 1 ]; then
            c_s=$M_S; c_kb=$M_KB; c2_score=$C_SCORE; c2_scpu=$C_SCPU
        fi
        k=$((k + 1))
    done
    if [ "$big" = 0 ]; then
        check_once 1
        c1_s=$M_S; c1_score=$C_SCORE; c1_scpu=$C_SCPU
    fi

    r1_s=- r1_kb=- r1_load=- r1_score=- r1_write=- r1_scpu=-
    if [ "$big" = 0 ]; then
        say "N=$n: run -j 1, run -j 2 (x$nrep)"
        run_once 1 "$d/out1"
        r1_s=$R_S; r1_kb=$R_KB; r1_load=$R_LOAD; r1_score=$R_SCORE; r1_write=$R_WRITE; r1_scpu=$R_SCPU
    else
        say "N=$n: run -j 2 (only: a big size)"
    fi
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
    ob=$(dirbytes "$d/out2")
    csvb=0
    # every CSV file, compressed or not: results.csv, items.csv(.gz, .zst),
    # scheme-items.csv, values.csv(.gz, .zst)
    for f in "$d"/out2/*.csv "$d"/out2/*.csv.gz "$d"/out2/*.csv.zst; do
        [ -f "$f" ] && csvb=$((csvb + $(bytes "$f")))
    done
    for f in results.csv items.csv items.csv.zst values.csv.zst results.json results.xlsx report.html; do
        [ "$big" = 0 ] && [ -f "$d/out1/$f" ] || continue
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
    # the same rules in plain Lua, 2 threads (once above 10 000 units: it
    # loads the province each time)
    l_rules2=$(LIM_REPS=$nrep lim rules 2 "$ROOT/rules/lawscore.lua" "$d/scheme.yaml" "$d/fazhiban.yaml" "$d/departments.csv")
    l_write=$("$LIMIT" write "$ob" "$W" | awk '{ print $2 }') || fail "limit write failed"
    rm -rf "$d"

    echo "$n $r1_s $r1_load $r1_score $r1_write $r1_kb $r2_min $r2_max $r2_load $r2_score $r2_write $r2_kb $c_s $c_kb $ob $inb $l_yaml $l_csv $l_lua1 $l_lua2 $l_write $gen_s $r1_scpu $r2_scpu $r2_cpu $csvb $c1_s $c1_score $c2_score $c1_scpu $c2_scpu $l_rules2" >>"$ROWS"
    prevN=$n
    lims=$(calc "print $l_yaml + $l_csv + $l_lua1 + $l_lua2 + $l_write + $l_rules2 * $nrep")
    # what the next size costs (x1.3): a full one runs -j 1, -j 2 and check,
    # a big one (prevT1) one run -j 2; both measure the limits
    if [ "$big" = 0 ]; then
        prevT=$(calc "print ($r1_s + $r2_min + $c_s + $lims) * 1.3")
    else
        prevT=$(calc "print ($r2_min * 3 + $lims) * 1.3")
    fi
    prevT1=$(calc "print ($r2_min + $lims) * 1.3")
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
echo "  syncing as many bytes as the run wrote; ratio = lawscore / limit (1.00 = at the limit); the score phase"
echo "  also against the same rules in plain Lua (limit rules, 2 threads: rules/lawscore.lua and the rule scripts"
echo "  in a plain lua_State, no sandbox): the floor of this scheme's scoring, whatever the host does"
echo "  load avg at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?') (other work on the machine slows wall times)"
echo
awk -v leaves="$LEAVES" -v formats="${BENCH_FORMATS:-all formats}" '
function mb(x) { return x / 1048576 }
function kbmb(x) { return x == "-" ? "-" : sprintf("%.0f", x / 1024) }
function ratio(a, b) { return a != "-" && b != "-" && b > 0 ? sprintf("%.2f", a / b) : "-" }
function num(fmt, x) { return x == "-" ? "-" : sprintf(fmt, x) }
function met(ok) { return ok ? "met" : "not met" }
{
    i = NR
    n[i] = $1; r1[i] = $2; r1l[i] = $3; r1s[i] = $4; r1w[i] = $5; r1kb[i] = $6
    r2[i] = $7; r2max[i] = $8; r2l[i] = $9; r2s[i] = $10; r2w[i] = $11; r2kb[i] = $12
    c[i] = $13; ckb[i] = $14; ob[i] = $15; ib[i] = $16
    ly[i] = $17; lc[i] = $18; lu1[i] = $19; lu2[i] = $20; lw[i] = $21; g[i] = $22
    c1[i] = $23; c2[i] = $24; rcpu[i] = $25; csvb[i] = $26
    k1[i] = $27; k1s[i] = $28; k2s[i] = $29; k1c[i] = $30; k2c[i] = $31; lr2[i] = $32
    lim2[i] = ly[i] + lc[i] + lu2[i] + lw[i]
    lim1[i] = ly[i] + lc[i] + lu1[i] + lw[i]
    limc[i] = ly[i] + lc[i] + lu2[i]
    full[i] = r1[i] != "-"
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
    print "phases of that run (lawscore --timings) against their limits; load 0: the data are read while units are"
    print "scored (one \"load and score\" phase, items.csv written as they go), the score column then holds both"
    print "plain Lua: the same rules in plain Lua on 2 threads, the fair limit of the score phase"
    printf "%8s %8s %8s %6s %9s %8s %6s %8s %8s %6s %9s %6s\n", "N", "load s", "limit", "ratio", "score s", "limit", "ratio",
           "write s", "limit", "ratio", "plain Lua", "ratio"
    for (i = 1; i <= NR; i++) {
        ls = r2l[i] > 0 ? lu2[i] : ly[i] + lc[i] + lu2[i]
        lf = r2l[i] > 0 ? lr2[i] : ly[i] + lc[i] + lr2[i]
        printf "%8d %8.3f %8.3f %6s %9.3f %8.3f %6s %8.3f %8.3f %6s %9.3f %6s\n", n[i], r2l[i], ly[i] + lc[i],
               ratio(r2l[i], ly[i] + lc[i]), r2s[i], ls, ratio(r2s[i], ls), r2w[i], lw[i], ratio(r2w[i], lw[i]),
               lf, ratio(r2s[i], lf)
    }
    print ""
    print "scoring threads: the score phase (wall) with 1 and 2 threads, bare Lua calls on 1 and 2 threads beside it;"
    print "cpu/wall = the cores the score phase had (2.00: both, all the time; less when the machine is busy)"
    printf "%8s %9s %9s %8s %8s %8s %9s %9s %8s %9s %9s\n", "N", "score -j1", "score -j2", "speed-up", "cpu/wall",
           "cpu/wall", "Lua 1 thr", "Lua 2 thr", "speed-up", "run -j1 s", "run -j2 s"
    for (i = 1; i <= NR; i++)
        if (full[i])
            printf "%8d %9.3f %9.3f %8s %8s %8s %9.3f %9.3f %8s %9.2f %9.2f\n", n[i], r1s[i], r2s[i], ratio(r1s[i], r2s[i]),
                   ratio(c1[i], r1s[i]), ratio(c2[i], r2s[i]), lu1[i], lu2[i], ratio(lu1[i], lu2[i]), r1[i], r2[i]
    print ""
    print "the same for check, whose score phase runs the scoring threads alone (no items.csv written beside them):"
    print "the speed-up of the scorers themselves; that of run above is less when its writer shares the cores"
    printf "%8s %9s %9s %8s %8s %8s %10s %10s\n", "N", "score -j1", "score -j2", "speed-up", "cpu/wall", "cpu/wall",
           "check -j1", "check -j2"
    for (i = 1; i <= NR; i++)
        if (full[i] && k1s[i] != "-")
            printf "%8d %9.3f %9.3f %8s %8s %8s %10.2f %10.2f\n", n[i], k1s[i], k2s[i], ratio(k1s[i], k2s[i]),
                   ratio(k1c[i], k1s[i]), ratio(k2c[i], k2s[i]), k1[i], c[i]
    print ""
    print "check (fastest of the repeats; lint scores the data once, no output) against its limit and against run without writing"
    printf "%8s %8s %8s %6s %14s %6s %9s\n", "N", "check s", "limit", "ratio", "run-write s", "ratio", "check MB"
    for (i = 1; i <= NR; i++)
        if (full[i])
            printf "%8d %8.2f %8.2f %6s %14.2f %6s %9s\n", n[i], c[i], limc[i], ratio(c[i], limc[i]),
                   r2[i] - r2w[i], ratio(c[i], r2[i] - r2w[i]), kbmb(ckb[i])
    print ""
    print "input and output"
    printf "%8s %9s %9s %9s %8s %12s\n", "N", "input MB", "output MB", "CSV MB", "gen s", "rule calls/s"
    for (i = 1; i <= NR; i++)
        printf "%8d %9.1f %9.1f %9.1f %8.2f %12.0f\n", n[i], mb(ib[i]), mb(ob[i]), mb(csvb[i]), g[i], n[i] * leaves / r2s[i]
    print ""
    if (NR > 1)
        printf "scaling: run time per unit at N=%d / at N=%d = %.2f, RSS per unit %s   (1.00 = linear)\n",
               n[NR], n[1], (r2[NR] / n[NR]) / (r2[1] / n[1]),
               (r2kb[1] == "-" ? "-" : sprintf("%.2f", (r2kb[NR] / n[NR]) / (r2kb[1] / n[1])))
    L = 0; M = 0
    for (i = 1; i <= NR; i++) {
        if (full[i] && (L == 0 || n[i] <= 100000)) L = i
        if (n[i] == 1000000) M = i
    }
    print ""
    if (L) {
        printf "goals (issue 14), at N=%d:\n", n[L]
        printf "  end to end within 2x the limit:      %.2f s / %.2f s = %sx   %s   (CPU: %s s / %.2f s = %sx)\n", r2[L],
               lim2[L], ratio(r2[L], lim2[L]), met(r2[L] <= 2 * lim2[L]), rcpu[L], lim2[L], ratio(rcpu[L], lim2[L])
        printf "  check within 2x its limit:           %.2f s / %.2f s = %sx   %s\n", c[L], limc[L], ratio(c[L], limc[L]),
               met(c[L] <= 2 * limc[L])
        printf "  check no dearer than run - writing:  %.2f s / %.2f s = %sx   %s\n", c[L], r2[L] - r2w[L],
               ratio(c[L], r2[L] - r2w[L]), met(c[L] <= (r2[L] - r2w[L]) * 1.05)
        printf "  scoring >= 1.8x faster with 2 jobs:  %.3f s / %.3f s = %sx   %s   (run: score phase, items.csv written beside)\n",
               r1s[L], r2s[L], ratio(r1s[L], r2s[L]), met(r1s[L] >= 1.8 * r2s[L])
        if (k1s[L] != "-")
            printf "                                       %.3f s / %.3f s = %sx   %s   (check: the scoring threads alone)\n",
                   k1s[L], k2s[L], ratio(k1s[L], k2s[L]), met(k1s[L] >= 1.8 * k2s[L])
        lf = r2l[L] > 0 ? lr2[L] : ly[L] + lc[L] + lr2[L]
        printf "  score phase within 2x plain Lua:     %.3f s / %.3f s = %sx   %s\n", r2s[L], lf, ratio(r2s[L], lf),
               met(r2s[L] <= 2 * lf)
    }
    if (M) {
        printf "goals at 1M units, measured at N=%d:\n", n[M]
        printf "  within 2 minutes:                    %.0f s wall   %s   (CPU %s s; limit %.0f s)\n", r2[M],
               met(r2[M] <= 120), rcpu[M], lim2[M]
        if (r2kb[M] != "-")
            printf "  within 4 GB of RSS:                  %.2f GB (%.2f KB a unit)   %s\n", r2kb[M] / 1048576,
                   r2kb[M] / n[M], met(r2kb[M] <= 4 * 1048576)
        printf "  output, as written here (%s):%*s%.2f GB   %s\n", formats, 10 - length(formats), "", ob[M] / 1073741824,
               (formats == "all formats" ? met(ob[M] < 10 * 1073741824) " (goal < 10 GB with all formats)" : \
                formats == "csv" ? met(ob[M] < 1073741824) " (goal < 1 GB with CSV only)" : "")
        # the CSV files beside results.json are not what --formats csv
        # alone writes (compressed past the rows of a spreadsheet)
        if (formats != "csv")
            printf "  of which the CSV files:              %.2f GB   (the goal < 1 GB is for --formats csv alone: BENCH_FORMATS=csv)\n",
                   csvb[M] / 1073741824
    } else {
        P = NR
        printf "goals at 1M units, projected from N=%d (BENCH_SIZES=\"... 1000000\" measures them):\n", n[P]
        printf "  within 2 minutes:                    projected %.0f s (time per unit at N=%d)\n", r2[P] * 1e6 / n[P], n[P]
        # RSS: what each unit adds between the two largest sizes (the
        # fixed part, Lua states and libraries, would not grow)
        if (r2kb[P] != "-" && P > 1 && n[P] > n[P - 1] && r2kb[P - 1] != "-")
            printf "  within 4 GB of RSS:                  projected %.1f GB (%.2f KB a unit from N=%d to N=%d)\n",
                   (r2kb[P] + (r2kb[P] - r2kb[P - 1]) / (n[P] - n[P - 1]) * (1e6 - n[P])) / 1048576,
                   (r2kb[P] - r2kb[P - 1]) / (n[P] - n[P - 1]), n[P - 1], n[P]
        else if (r2kb[P] != "-")
            printf "  within 4 GB of RSS:                  projected %.1f GB (linear from N=%d)\n", r2kb[P] * 1e6 / n[P] / 1048576, n[P]
        printf "  output, as written here (%s):%*s projected %.1f GB%s\n", formats, 10 - length(formats), "",
               ob[P] * 1e6 / n[P] / 1073741824, (formats == "all formats" ? " (goal < 10 GB with all formats)" : \
                                                formats == "csv" ? " (goal < 1 GB with CSV only)" : "")
        if (formats != "csv")
            printf "  of which the CSV files:              projected %.1f GB (the goal < 1 GB is for --formats csv alone: BENCH_FORMATS=csv)\n",
                   csvb[P] * 1e6 / n[P] / 1073741824
    }
}' "$ROWS"
[ -n "$SKIPPED" ] && echo "skipped:$SKIPPED"
echo "reproducible: $REPRO"
echo "bench time: $(( $(date +%s) - START ))s"
[ "$REPRO_OK" = 1 ] || exit 1
exit 0
