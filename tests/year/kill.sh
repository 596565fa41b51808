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
# must be complete.  Prints "kill: N passed, N failed".  Then the same
# for `lawscore upgrade` (see below): "kill upgrade: N passed, N failed";
# then what a killed upgrade leaves, removed by the next upgrade or
# publish, never while an upgrade runs: "upgrade leftovers: N passed, N
# failed".
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

# ---- upgrade killed at any moment ---------------------------------------
# M times (default 8) upgrades a copy of the format-1 fixture and kills it
# (SIGKILL) after a random delay up to 1.2 times an upgrade (each of its
# steps slowed by LAWSCORE_ARCHIVE_STEP_DELAY_US, a test hook of
# ls_archive.c).  After each kill the archive is either the old file, byte
# for byte, or the new one with the old kept as .format1.bak; either way
# history prints what it printed and every version exports the same files.
# An upgrade run again then ends it.
M=${3:-8}
F1=$scratch/format1-orig.sqlite
gzip -dc tests/year/fixtures/format1.sqlite.gz >"$F1"
"$BIN" history --archive "$F1" >"$scratch/f1-history" 2>&1
for v in 1 2 3; do "$BIN" export --archive "$F1" --version $v -o "$scratch/f1-export$v" 2>&1; done
K=$scratch/k/archive.sqlite
mkdir -p "$scratch/k"
# same_archive WHY: history and the exports as the fixture's (0), or why not
same_archive() {
    "$BIN" history --archive "$K" >"$scratch/k-history" 2>&1 && cmp -s "$scratch/f1-history" "$scratch/k-history" ||
        { why="$1: history differs: $(head -c 300 "$scratch/k-history")"; return 1; }
    for v in 1 2 3; do
        rm -rf "$scratch/kx"
        "$BIN" export --archive "$K" --version $v -o "$scratch/kx" >"$scratch/err" 2>&1 &&
            diff -r "$scratch/f1-export$v" "$scratch/kx" >/dev/null ||
            { why="$1: version $v does not export as before: $(cat "$scratch/err")"; return 1; }
    done
}
cp "$F1" "$K"
t0=$(date +%s%N)
LAWSCORE_ARCHIVE_STEP_DELAY_US=40000 "$BIN" upgrade --archive "$K" >/dev/null 2>&1 || { echo "kill: the timing upgrade failed"; exit 1; }
took=$(( ($(date +%s%N) - t0) / 1000000 + 1 ))
upass=0
ufail=0
before_rename=0
after_rename=0
i=0
while [ $i -lt "$M" ]; do
    i=$((i + 1))
    rm -rf "$scratch/k" && mkdir -p "$scratch/k" && cp "$F1" "$K"
    LAWSCORE_ARCHIVE_STEP_DELAY_US=40000 "$BIN" upgrade --archive "$K" >/dev/null 2>&1 &
    pid=$!
    ms=$(od -An -N4 -tu4 /dev/urandom | awk -v t="$took" '{print $1 % (t * 12 / 10 + 1)}')
    sleep "$(awk -v m="$ms" 'BEGIN {printf "%.3f", m / 1000}')"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    ok=1
    why=""
    if cmp -s "$K" "$F1"; then
        before_rename=$((before_rename + 1))   # the old file, untouched
    elif cmp -s "$K.format1.bak" "$F1"; then
        after_rename=$((after_rename + 1))     # the new file, the old kept
    else
        ok=0; why="the archive is neither the old file nor the new one with the old kept"
    fi
    [ $ok = 1 ] && ! same_archive "after the kill" && ok=0
    # an upgrade run again finishes the work (or finds it done)
    if [ $ok = 1 ] && ! "$BIN" upgrade --archive "$K" >"$scratch/err" 2>&1; then
        ok=0; why="the upgrade run again failed: $(cat "$scratch/err")"
    fi
    [ $ok = 1 ] && ! same_archive "after the upgrade run again" && ok=0
    [ $ok = 1 ] && ! cmp -s "$K.format1.bak" "$F1" && { ok=0; why="the backup is not the old file"; }
    # and removes what the killed one left beside the archive
    if [ $ok = 1 ] && ls "$K".upgrade-* >/dev/null 2>&1; then
        ok=0; why="the upgrade run again left $(ls "$K".upgrade-* | tr '\n' ' ')"
    fi
    if [ $ok = 1 ]; then upass=$((upass + 1)); else ufail=$((ufail + 1)); echo "FAIL upgrade kill $i (after ${ms} ms): $why"; fi
done
echo "kill upgrade: $upass passed, $ufail failed ($before_rename of $M killed before the new file took the archive's place, $after_rename after)"

# ---- what a killed upgrade left, removed by the next one -----------------
# Files named as an upgrade's temporary file (ARCHIVE.upgrade-XXXXXX:
# empty, or an SQLite file, with or without its -journal; a -journal alone)
# are removed by the next upgrade or publish, each with a note; files of other names
# or contents are left.  Then the write lock: a publish while an upgrade
# (slowed: 1 s a step, the test hook's most) is writing its temporary
# file waits for the lock, gives up ("in use"), and leaves that file
# alone; the upgrade ends well.
lpass=0
lfail=0
lcheck() { if eval "$2"; then lpass=$((lpass + 1)); else lfail=$((lfail + 1)); echo "FAIL upgrade leftovers: $1"; fi; }
rm -rf "$scratch/k" && mkdir -p "$scratch/k" && cp "$F1" "$K"
: >"$K.upgrade-Ab12Cd"
head -c 8192 "$F1" >"$K.upgrade-Zz99yy"
printf 'journal' >"$K.upgrade-Zz99yy-journal"
printf 'journal' >"$K.upgrade-Qq11ww-journal"
printf 'not ours\n' >"$K.upgrade-Xy12Zz"     # not what an upgrade writes
: >"$K.upgrade-notes"                        # not mkstemp's name
: >"$scratch/k/other.sqlite.upgrade-Ab12Cd"  # another archive's
"$BIN" upgrade --archive "$K" >/dev/null 2>"$scratch/k-err"
up=$?
lcheck "the upgrade failed: $(cat "$scratch/k-err")" '[ $up = 0 ]'
sort "$scratch/k-err" >"$scratch/k-notes"
cat >"$scratch/k-want" <<EOF2
$K: note: removed $K.upgrade-Ab12Cd, left beside the archive by an upgrade that was stopped
$K: note: removed $K.upgrade-Qq11ww-journal, left beside the archive by an upgrade that was stopped
$K: note: removed $K.upgrade-Zz99yy, left beside the archive by an upgrade that was stopped
EOF2
lcheck "the notes differ: $(diff "$scratch/k-want" "$scratch/k-notes")" 'cmp -s "$scratch/k-want" "$scratch/k-notes"'
lcheck "left: $(ls "$scratch/k" | tr '\n' ' ')" \
    '[ "$(ls "$scratch/k" | tr "\n" " ")" = "archive.sqlite archive.sqlite.format1.bak archive.sqlite.upgrade-Xy12Zz archive.sqlite.upgrade-notes other.sqlite.upgrade-Ab12Cd " ]'
rm -rf "$scratch/k" && mkdir -p "$scratch/k" && cp "$F1" "$K"
LAWSCORE_ARCHIVE_STEP_DELAY_US=1000000 "$BIN" upgrade --archive "$K" >"$scratch/k-up" 2>&1 &
pid=$!
t=0
while ! ls "$K".upgrade-* >/dev/null 2>&1 && [ $t -lt 200 ]; do sleep 0.05; t=$((t + 1)); done
held=$(ls "$K".upgrade-* 2>/dev/null | grep -v -e '-journal$' | head -1)
"$BIN" publish $e17/scheme.yaml $e17/data/fazhiban.yaml $e17/data/departments.csv \
    --archive "$K" --label during -q >"$scratch/k-pub" 2>&1
pub=$?
running=0
kill -0 $pid 2>/dev/null && running=1
lcheck "the upgrade ended before the publish gave up: nothing told (raise the step delay)" '[ $running = 1 ]'
lcheck "the publish during the upgrade: status $pub, $(cat "$scratch/k-pub")" \
    '[ $pub = 3 ] && grep -q "in use by another program" "$scratch/k-pub"'
lcheck "the running upgrade's temporary file ${held:-(none seen)} was removed" '[ -n "$held" ] && [ -f "$held" ]'
wait $pid
up=$?
lcheck "the upgrade after the publish gave up: status $up, $(cat "$scratch/k-up")" '[ $up = 0 ] && same_archive "after the upgrade"'
# a publication removes them too (into the archive now of format 2)
: >"$K.upgrade-Pp22qq"
"$BIN" publish $e17/scheme.yaml $e17/data/fazhiban.yaml $e17/data/departments.csv \
    --archive "$K" --label after -q >/dev/null 2>"$scratch/k-pub"
pub=$?
lcheck "the publication after the upgrade: status $pub, $(cat "$scratch/k-pub")" \
    '[ $pub = 0 ] && [ ! -e "$K.upgrade-Pp22qq" ] && [ "$(cat "$scratch/k-pub")" = "$K: note: removed $K.upgrade-Pp22qq, left beside the archive by an upgrade that was stopped" ]'
echo "upgrade leftovers: $lpass passed, $lfail failed"
[ "$fail" -eq 0 ] && [ "$ufail" -eq 0 ] && [ "$lfail" -eq 0 ]
