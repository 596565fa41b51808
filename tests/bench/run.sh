#!/bin/sh
# tests/bench/run.sh - lawscore benchmarks (make bench).
#
#   sh tests/bench/run.sh path/to/lawscore
#
# Builds synthetic provinces from examples/dongfeng-2017 (its 20 units
# cycled to N units, with their groups, flags and data; see gen.awk), then
# measures `lawscore check` and `lawscore run` at each size and prints the
# figures: times, peak memory, throughput, how run time per unit scales with
# N, the data load throughput, rule calls per second, and whether two runs
# give byte-identical results.  It asserts nothing about speed: the machines
# are shared and noisy, so read the ratios within one run.  It exits
# non-zero only when lawscore fails or the results are not reproducible.
#
# Environment:
#   BENCH_SIZES    sizes to measure, ascending (default "1000 10000 100000")
#   BENCH_BUDGET   seconds: a size whose projected time (from the size
#                  before it) would end the bench after this is skipped
#                  and reported (default 170)
#   BENCH_REPRO_N  size at which the determinism check runs twice (10000)
#   BENCH_TIME     the time utility (default /usr/bin/time; empty: use date)
#   TMPDIR         where the synthetic provinces and results are written
#
# POSIX sh and awk only.  Times come from /usr/bin/time -f '%e %U %S %M';
# without it, from date (wall time only, memory not measured: dash has no
# `time` keyword).  The example's C plugins come from the build beside the
# binary when up to date, else are built into the work dir.  At N=100000 the
# results take ~3.7 GB in TMPDIR (removed after that size).

set -u

LS=${1:-}
if [ -z "$LS" ] || [ ! -x "$LS" ]; then
    echo "usage: sh tests/bench/run.sh path/to/lawscore" >&2
    exit 2
fi
case $LS in /*) ;; *) LS=$(pwd)/$LS ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
EX=$ROOT/examples/dongfeng-2017
SIZES=${BENCH_SIZES:-1000 10000 100000}
BUDGET=${BENCH_BUDGET:-170}
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

ROWS=$W/rows        # N check run cpu checkKB runKB inMB outMB yamlMB csvMB t0 ty tc
: >"$ROWS"
SKIPPED=
LEAVES=
REPRO="not measured (BENCH_REPRO_N=$REPRO_N not among the sizes)"
REPRO_OK=1
prevN='' prevR='' prevC='' prevOut=''

for n in $SIZES; do
    # Project this size from the one before; skip it if it would not fit.
    if [ -n "$prevN" ]; then
        extra=0; [ "$n" = "$REPRO_N" ] && extra=1
        proj=$(calc "printf \"%.0f\", ($prevR * (1 + $extra) + 4 * $prevC) * $n / $prevN * 1.2")
        elapsed=$(( $(date +%s) - START ))
        need=$(calc "printf \"%.0f\", $prevOut * $n / $prevN * 1.2 / 1024")
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
    ub=$(bytes "$d/units.csv"); yb=$(bytes "$d/fazhiban.yaml"); cb=$(bytes "$d/departments.csv")

    # Small sizes are repeated for a usable resolution (%e is 0.01 s).
    creps=1; [ "$n" -lt 10000 ] && creps=$(( 10000 / n )); [ "$creps" -gt 20 ] && creps=20

    say "N=$n: check (x$creps)"
    measure "$creps" "$LS" check "$d/scheme.yaml" "$d/fazhiban.yaml" "$d/departments.csv"
    [ "$M_RC" = 0 ] || fail "lawscore check exited $M_RC at N=$n"
    c_s=$M_S; c_kb=$M_KB
    if [ -z "$LEAVES" ]; then
        # "items: 11 categories and sub-items, 32 items, 3 bonus, 2 deduction, 1 veto"
        LEAVES=$(awk '/^items:/ { n = 0; for (i = 2; i <= NF; i++)
                         if ($(i + 1) ~ /^(items|bonus|deduction|deductions|veto|vetoes),?$/) n += $i + 0
                     print n }' "$W/cmd.out")
        [ -n "$LEAVES" ] || LEAVES=0
    fi

    # Load split: scheme + units alone, + the YAML file, + the CSV file.
    say "N=$n: load split (x$creps each)"
    measure "$creps" "$LS" check "$d/scheme-load.yaml"
    [ "$M_RC" = 0 ] || fail "lawscore check (scheme only) exited $M_RC at N=$n"
    l0=$M_S
    measure "$creps" "$LS" check "$d/scheme-load.yaml" "$d/fazhiban.yaml"
    [ "$M_RC" = 0 ] || fail "lawscore check (YAML only) exited $M_RC at N=$n"
    ly=$M_S
    measure "$creps" "$LS" check "$d/scheme-load.yaml" "$d/departments.csv"
    [ "$M_RC" = 0 ] || fail "lawscore check (CSV only) exited $M_RC at N=$n"
    lc=$M_S

    say "N=$n: run"
    measure 1 "$LS" run -q -o "$d/out" "$d/scheme.yaml" "$d/fazhiban.yaml" "$d/departments.csv"
    [ "$M_RC" = 0 ] || fail "lawscore run exited $M_RC at N=$n"
    r_s=$M_S; r_cpu=$M_CPU; r_kb=$M_KB
    ob=$(dirbytes "$d/out")

    if [ "$n" = "$REPRO_N" ]; then
        say "N=$n: run again (determinism)"
        mv "$d/out" "$d/out.first"
        measure 1 "$LS" run -q -o "$d/out" "$d/scheme.yaml" "$d/fazhiban.yaml" "$d/departments.csv"
        [ "$M_RC" = 0 ] || fail "lawscore run (second) exited $M_RC at N=$n"
        REPRO=yes
        for f in results.csv items.csv results.json results.xlsx report.html; do
            if ! cmp -s "$d/out.first/$f" "$d/out/$f"; then
                REPRO="no ($f differs: $(cmp "$d/out.first/$f" "$d/out/$f" 2>&1 | head -n 1))"
                REPRO_OK=0
                break
            fi
        done
        REPRO="$REPRO  (N=$n, two runs, results.csv items.csv results.json results.xlsx report.html)"
    fi
    rm -rf "$d"

    echo "$n $c_s $r_s $r_cpu $c_kb $r_kb $ub $yb $cb $ob $l0 $ly $lc $gen_s" >>"$ROWS"
    prevN=$n
    prevR=$r_s
    prevC=$c_s
    prevOut=$ob
done

[ -s "$ROWS" ] || fail "no size measured"

# ---- report --------------------------------------------------------------
echo
echo "lawscore benchmarks: $LS"
echo "  $cores cores; timing: $tnote; scheme: dongfeng-2017 ($LEAVES rule leaves: items, bonus, deductions, vetoes)"
echo "  synthetic provinces: the example's 20 units cycled to N (2 towns, 18 departments per 20)"
echo
awk -v leaves="$LEAVES" '
function mb(x) { return x / 1048576 }
function kbmb(x) { return x == "-" ? "-" : sprintf("%.1f", x / 1024) }
{
    n[NR] = $1; c[NR] = $2; r[NR] = $3; cpu[NR] = $4; ckb[NR] = $5; rkb[NR] = $6
    ub[NR] = $7; yb[NR] = $8; cb[NR] = $9; ob[NR] = $10; l0[NR] = $11; ly[NR] = $12; lc[NR] = $13; g[NR] = $14
}
END {
    print "scoring (wall seconds; RSS = peak resident memory)"
    printf "%8s %9s %9s %9s %9s %9s %10s %10s %11s\n", "N", "check s", "run s", "run cpu", "check MB", "run MB",
           "units/s", "run us/u", "rule calls/s"
    for (i = 1; i <= NR; i++)
        printf "%8d %9.3f %9.2f %9s %9s %9s %10.0f %10.1f %11.0f\n", n[i], c[i], r[i],
               (cpu[i] == "-" ? "-" : sprintf("%.2f", cpu[i])), kbmb(ckb[i]), kbmb(rkb[i]),
               n[i] / r[i], 1e6 * r[i] / n[i], n[i] * leaves / r[i]
    print ""
    print "input and output (MB; load = check with one data file minus check with none, same scheme without required:)"
    printf "%8s %8s %8s %8s %9s %9s %9s %9s %9s %10s %8s\n", "N", "units", "YAML", "CSV", "output",
           "scheme s", "YAML s", "YAML MB/s", "CSV s", "CSV MB/s", "gen s"
    for (i = 1; i <= NR; i++) {
        dy = ly[i] - l0[i]; dc = lc[i] - l0[i]
        printf "%8d %8.2f %8.2f %8.2f %9.1f %9.3f %9.3f %9s %9.3f %10s %8.2f\n", n[i], mb(ub[i]), mb(yb[i]), mb(cb[i]),
               mb(ob[i]), l0[i], dy, (dy > 0 ? sprintf("%.1f", mb(yb[i]) / dy) : "-"),
               dc, (dc > 0 ? sprintf("%.1f", mb(cb[i]) / dc) : "-"), g[i]
    }
    print ""
    if (NR > 1) {
        printf "scaling: run time per unit at N=%d / at N=%d = %.2f   (1.00 = linear)\n",
               n[NR], n[1], (r[NR] / n[NR]) / (r[1] / n[1])
        printf "         check time per unit at N=%d / at N=%d = %.2f\n",
               n[NR], n[1], (c[NR] / n[NR]) / (c[1] / n[1])
    }
    printf "rule calls: N x %d leaves / run s = %.0f calls/s at N=%d (%.1f us a call; a lower bound on the rate: run s also loads and writes)\n",
           leaves, n[NR] * leaves / r[NR], n[NR], 1e6 * r[NR] / (n[NR] * leaves)
    printf "output: %.1f KB per unit (results.csv + items.csv + results.json), written at %.0f MB/s of run time\n",
           ob[NR] / n[NR] / 1024, mb(ob[NR]) / r[NR]
}' "$ROWS"
[ -n "$SKIPPED" ] && echo "skipped:$SKIPPED"
echo "reproducible: $REPRO"
echo "bench time: $(( $(date +%s) - START ))s"
[ "$REPRO_OK" = 1 ] || exit 1
exit 0
