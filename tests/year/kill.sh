#!/bin/sh
# tests/year/kill.sh - an archive survives `lawscore publish` killed at any
# moment (docs/year.md).  The delays span a publication (loading and
# scoring, writing the outputs, then the archive's transaction).
#
# Publishes the 2017 example once and the 2018 example once (timing how
# long a slow publication takes: see LAWSCORE_ARCHIVE_ROW_DELAY_US below),
# then N times (default 24) starts a publication of the 2018 example and
# kills it (SIGKILL) after a random delay up to 1.2 times that, from
# before the archive is opened to after the commit.  The 2018 publications
# write CSV and JSON only (--formats csv,json: the three outputs checked
# below; the workbook and the report add nothing to the archive's
# transaction but CPU time).  After each kill the
# archive must open (`history`, which runs SQLite's quick_check and rolls
# back what a killed transaction left), every version listed before must
# still be listed, at most one version may have come, and that new version
# must be complete (`export` checks each output file against its stored
# SHA-256; the version has all three outputs): no version is ever half
# there.  A version once stored is immutable (the archive's triggers), so
# the older ones are exported once, at the end: every version listed then
# must be complete.  Prints "kill: N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
BIN=${1:-build/lawscore}
N=${2:-24}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# a killed publish leaves its temporary output directory: keep those here
export TMPDIR="$scratch"
A=$scratch/archive.sqlite
e17=examples/dongfeng-2017
e18=examples/dongfeng-2018
pass=0
fail=0
"$BIN" publish $e17/scheme.yaml $e17/data/fazhiban.yaml $e17/data/departments.csv \
    --archive "$A" --label 2017 -q >/dev/null || { echo "kill: the first publication failed"; exit 1; }
# how long a whole publication takes here: the kills are spread over it
t0=$(date +%s%N)
LAWSCORE_ARCHIVE_ROW_DELAY_US=300 "$BIN" publish $e18/scheme.yaml $e18/data/fazhiban.yaml $e18/data/departments.csv \
    --self $e18/self.csv --adjustments $e18/adjustments.yaml \
    --archive "$A" --label timing --formats csv,json -q >/dev/null || { echo "kill: the timing publication failed"; exit 1; }
t1=$(date +%s%N)
took=$(( (t1 - t0) / 1000000 + 1 ))   # ms
versions() { "$BIN" history --archive "$A" 2>"$scratch/err" | awk 'NR > 1 && $1 ~ /^[0-9]+$/ {print $1}'; }
seen=$(echo $(versions))
before=$(echo $seen | wc -w)
# complete V: version V exports (each file against its SHA-256) with its
# three outputs; else appends to $why and fails
complete() {
    rm -rf "$scratch/x"
    if ! "$BIN" export --archive "$A" --version "$1" -o "$scratch/x" 2>"$scratch/err"; then
        why="$why${why:+; }version $1 does not export: $(cat "$scratch/err")"
        return 1
    elif [ ! -f "$scratch/x/results.csv" ] || [ ! -f "$scratch/x/items.csv" ] || [ ! -f "$scratch/x/results.json" ]; then
        why="$why${why:+; }version $1 is incomplete: $(ls "$scratch/x" | tr '\n' ' ')"
        return 1
    fi
}
killed_mid=0
in_write=0
i=0
while [ $i -lt "$N" ]; do
    i=$((i + 1))
    # every other publication writes its transaction slowly (a test hook of
    # ls_archive.c: 300 µs a row, about half a second), so that the kills
    # land in it as well as before it
    delay=0
    [ $((i % 2)) = 0 ] && delay=300
    LAWSCORE_ARCHIVE_ROW_DELAY_US=$delay "$BIN" publish $e18/scheme.yaml $e18/data/fazhiban.yaml \
        $e18/data/departments.csv --self $e18/self.csv --adjustments $e18/adjustments.yaml \
        --archive "$A" --label "kill $i" --formats csv,json -q >/dev/null 2>&1 &
    pid=$!
    # a random delay from 0 to 1.2 times a (slow) publication
    ms=$(od -An -N4 -tu4 /dev/urandom | awk -v t="$took" '{print $1 % (t * 12 / 10 + 1)}')
    sleep "$(awk -v m="$ms" 'BEGIN {printf "%.3f", m / 1000}')"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    status=$?
    [ $status = 137 ] && killed_mid=$((killed_mid + 1))
    # a journal left behind: killed in the middle of writing the version
    [ -s "$A-journal" ] && in_write=$((in_write + 1))
    ok=1
    why=""
    list=$(versions) || { ok=0; why="history failed: $(cat "$scratch/err")"; }
    n=$(printf '%s\n' "$list" | grep -c .)
    if [ $ok = 1 ] && { [ "$n" -lt "$before" ] || [ "$n" -gt $((before + 1)) ]; }; then
        ok=0; why="$before versions before, $n after"
    fi
    # the versions listed before are all still there; a new one is whole
    for v in $seen; do
        printf '%s\n' "$list" | grep -qx "$v" || { ok=0; why="$why${why:+; }version $v is gone"; }
    done
    for v in $list; do
        case " $seen " in *" $v "*) continue ;; esac
        complete "$v" || ok=0
    done
    seen=$(echo $list)
    before=$n
    if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL kill $i (after ${ms} ms): $why"; fi
done
# every version, old and new, exports whole after all the kills
ok=1
why=""
for v in $seen; do complete "$v" || ok=0; done
[ -n "$seen" ] || { ok=0; why="no version listed"; }
if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL after the kills: $why"; fi
echo "kill: $pass passed, $fail failed ($killed_mid of $N publications killed before they ended, $in_write while writing the archive; $before versions in the end)"
[ "$fail" -eq 0 ]
