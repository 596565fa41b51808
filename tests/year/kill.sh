#!/bin/sh
# tests/year/kill.sh - an archive survives `lawscore publish` killed at any
# moment (docs/year.md).  The delays span a publication (loading and
# scoring, writing the outputs, then the archive's transaction).
#
# Publishes the 2017 example once and the 2018 example once (timing how
# long a slow publication takes: see LAWSCORE_ARCHIVE_ROW_DELAY_US below),
# then N times (default 24) starts a publication of the 2018 example and
# kills it (SIGKILL) after a random delay up to 1.2 times that, from
# before the archive is opened to after the commit.  After each kill the archive must open (`history`), every
# version listed must be complete (`export` checks each output file
# against its stored SHA-256; the version has all three outputs) and no
# version may be half there: the number of versions only ever grows by
# whole publications.  Prints "kill: N passed, N failed".
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
    --archive "$A" --label timing -q >/dev/null || { echo "kill: the timing publication failed"; exit 1; }
t1=$(date +%s%N)
took=$(( (t1 - t0) / 1000000 + 1 ))   # ms
versions() { "$BIN" history --archive "$A" 2>"$scratch/err" | awk 'NR > 1 && $1 ~ /^[0-9]+$/ {print $1}'; }
before=$(versions | wc -l)
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
        --archive "$A" --label "kill $i" -q >/dev/null 2>&1 &
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
    for v in $list; do
        rm -rf "$scratch/x"
        if ! "$BIN" export --archive "$A" --version "$v" -o "$scratch/x" 2>"$scratch/err"; then
            ok=0; why="$why${why:+; }version $v does not export: $(cat "$scratch/err")"
        elif [ ! -f "$scratch/x/results.csv" ] || [ ! -f "$scratch/x/items.csv" ] || [ ! -f "$scratch/x/results.json" ]; then
            ok=0; why="$why${why:+; }version $v is incomplete: $(ls "$scratch/x" | tr '\n' ' ')"
        fi
    done
    before=$n
    if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL kill $i (after ${ms} ms): $why"; fi
done
echo "kill: $pass passed, $fail failed ($killed_mid of $N publications killed before they ended, $in_write while writing the archive; $before versions in the end)"
[ "$fail" -eq 0 ]
