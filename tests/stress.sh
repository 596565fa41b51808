#!/bin/sh
# tests/stress.sh - kill `lawscore run` at random moments and check that
# the published results are always a whole set (make stress).
#
#   sh tests/stress.sh [BIN] [KILLS] [UNITS]      (defaults: build/lawscore 30 10000)
#
# A province of UNITS units is generated from the example (tests/bench/
# gen.awk), with two data variants A and B whose results differ in every
# file.  Their complete result sets are made once as references.  Then,
# KILLS times, a run publishing the other set into the same -o directory
# is stopped after a random delay by SIGKILL, SIGTERM, SIGINT or SIGHUP
# (two kills in three aimed at the writing phase: once the run's hidden
# directory appears, within the writing time measured on the first run;
# the third anywhere in the run), and after each:
#   - the directory must hold exactly the old set or exactly the new one
#     (every file, byte for byte, nothing else);
#   - after SIGTERM/SIGINT/SIGHUP while writing, the message saying what
#     was removed, and no hidden leftovers;
# and then a complete run must publish its set and leave no hidden
# leftovers of the killed run.  Three more runs under a file-size limit
# (ulimit -f: SIGXFSZ / EFBIG) must fail with exit 3 and a message, and
# leave the old set.  Prints a summary; exits 1 on any failure.
set -u
cd "$(dirname "$0")/.." || exit 1
BIN=${1:-build/lawscore}
KILLS=${2:-30}
UNITS=${3:-10000}
case "$BIN" in /*) ;; *) BIN="$PWD/$BIN" ;; esac
EX=examples/dongfeng-2017
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
fails=0
fail() { fails=$((fails + 1)); echo "FAIL: $*"; }
rand() { od -An -N4 -tu4 /dev/urandom | tr -d ' '; }   # 0 .. 2^32-1
now_ms() { date +%s%3N; }

# ---- the province and its two data variants -------------------------------
P=$W/p
mkdir -p "$P/A" "$P/B"
cp -R "$EX/rules" "$P/"
sed 's/^units: units\.yaml/units: units.csv/' "$EX/scheme.yaml" >"$P/scheme.yaml"
awk -v n="$UNITS" -v out="$P/A" -f tests/bench/gen.awk \
    "$EX/units.yaml" "$EX/data/fazhiban.yaml" "$EX/data/departments.csv" || { echo "gen.awk failed"; exit 1; }
mv "$P/A/units.csv" "$P/units.csv"
cp "$P/A/fazhiban.yaml" "$P/B/fazhiban.yaml"
# B: every unit that published all its information publishes 90% of it
sed 's/,100%,/,90%,/' "$P/A/departments.csv" >"$P/B/departments.csv"
cmp -s "$P/A/departments.csv" "$P/B/departments.csv" && { echo "variant B equals A"; exit 1; }

# run V DIR [extra...]: publish variant V into DIR
run() {
    v=$1 d=$2
    shift 2
    "$BIN" run "$P/scheme.yaml" "$P/$v/fazhiban.yaml" "$P/$v/departments.csv" -q -o "$d" "$@"
}

# sums DIR: one line per file (hidden ones too), sorted; the set's identity
sums() { (cd "$1" && ls -A | LC_ALL=C sort | while read -r f; do printf '%s %s\n' "$f" "$(cksum <"$f")"; done); }

t0=$(now_ms)
run A "$W/refA" >/dev/null 2>"$W/err" || { cat "$W/err"; echo "reference run A failed"; exit 1; }
t1=$(now_ms)
run B "$W/refB" >/dev/null 2>"$W/err" || { cat "$W/err"; echo "reference run B failed"; exit 1; }
T=$((t1 - t0))
sums "$W/refA" >"$W/sumA"
sums "$W/refB" >"$W/sumB"
cmp -s "$W/sumA" "$W/sumB" && { echo "the two result sets are equal"; exit 1; }
for f in results.csv items.csv results.json; do
    cmp -s "$W/refA/$f" "$W/refB/$f" && { echo "$f is the same in both sets"; exit 1; }
done
size=$(du -sm "$W/refA" | cut -f1)
echo "stress: $UNITS units, a run takes ${T} ms and writes ${size} MB; $KILLS kills"

OUT=$W/out/results
mkdir -p "$W/out"
# the first run: when does writing start (its hidden directory appears)?
t0=$(now_ms)
run A "$OUT" >/dev/null 2>&1 &
pid=$!
TW=0
while kill -0 $pid 2>/dev/null; do
    if [ $TW = 0 ] && ls -A "$W/out" | grep -q '^\.results\.lawscore-'; then TW=$(($(now_ms) - t0)); fi
    sleep 0.05
done
wait $pid || { echo "first run failed"; exit 1; }
T=$(($(now_ms) - t0))
[ $TW = 0 ] && TW=$((T / 2))
echo "stress: this run took $T ms, writing from $TW ms"
cur=A

# state: which set DIR holds (A, B, or MIXED); leftovers: hidden dirs
state() {
    sums "$OUT" >"$W/now" 2>/dev/null
    if cmp -s "$W/now" "$W/sumA"; then echo A
    elif cmp -s "$W/now" "$W/sumB"; then echo B
    else echo MIXED; fi
}
leftovers() { ls -A "$W/out" | grep -c '^\.results\.lawscore-' ; }

n_scoring=0 n_writing=0 n_published=0 n_cleaned=0
i=0
sigs="KILL TERM INT HUP"
while [ $i -lt "$KILLS" ]; do
    i=$((i + 1))
    new=$([ $cur = A ] && echo B || echo A)
    k=$(( $(rand) % 4 + 1 ))
    sig=$(echo $sigs | cut -d' ' -f$k)
    if [ $((i % 3)) = 0 ]; then
        aim=run
        delay=$(( $(rand) % (T + T / 20 + 1) ))
    else
        aim=writing
        delay=$(( $(rand) % ((T - TW) + (T - TW) / 10 + 1) ))
    fi
    # a background job starts with SIGINT ignored: give it the default back
    env --default-signal=INT,TERM,HUP "$BIN" run "$P/scheme.yaml" "$P/$new/fazhiban.yaml" \
        "$P/$new/departments.csv" -q -o "$OUT" >/dev/null 2>"$W/err.$i" &
    pid=$!
    if [ $aim = writing ]; then
        # wait for the hidden directory (the writing phase), then the delay
        while kill -0 $pid 2>/dev/null && ! ls -A "$W/out" | grep -q '^\.results\.lawscore-'; do
            sleep 0.02
        done
    fi
    sleep "$(awk -v ms=$delay 'BEGIN { printf "%.3f", ms / 1000 }')"
    started=$(ls -A "$W/out" | grep -c '^\.results\.lawscore-')
    kill -s $sig $pid 2>/dev/null
    wait $pid
    st=$?
    s=$(state)
    left=$(leftovers)
    how=""
    if [ "$s" = MIXED ]; then
        fail "kill $i (SIG$sig after ${delay} ms): the directory holds neither set"
        diff "$W/now" "$W/sum$cur" | head -5
    elif [ "$s" = "$new" ]; then
        how=published; n_published=$((n_published + 1)); cur=$new
    elif [ "$left" -gt 0 ] || [ "$started" -gt 0 ] || grep -q "removed the unfinished output" "$W/err.$i"; then
        how=writing; n_writing=$((n_writing + 1))
    else
        how=scoring; n_scoring=$((n_scoring + 1))
    fi
    if [ "$sig" != KILL ] && [ "$how" = writing ]; then
        grep -q "lawscore: stopped by SIG$sig: removed the unfinished output" "$W/err.$i" ||
            fail "kill $i (SIG$sig while writing): no message saying what was removed: $(cat "$W/err.$i")"
        [ "$left" = 0 ] || fail "kill $i (SIG$sig while writing): $left hidden leftovers: $(ls -A "$W/out")"
    fi
    printf '  kill %2d: SIG%-4s %s+%5d ms (exit %3d) during %-9s -> set %s, %s hidden leftover(s)\n' \
        $i $sig "$([ $aim = writing ] && echo writing || echo '  start')" $delay $st "$how" "$s" "$left"
    # the next run publishes the other set and removes what is left
    new=$([ $cur = A ] && echo B || echo A)
    if ! run $new "$OUT" >/dev/null 2>"$W/next.$i"; then
        fail "the run after kill $i failed: $(head -3 "$W/next.$i")"
        continue
    fi
    cur=$new
    [ "$(state)" = "$cur" ] || fail "the run after kill $i did not publish set $cur"
    [ "$(leftovers)" = 0 ] || fail "the run after kill $i left $(leftovers) hidden leftovers"
    if [ "$left" -gt 0 ]; then
        if grep -q "note: removed the unfinished output of an earlier run" "$W/next.$i"; then
            n_cleaned=$((n_cleaned + 1))
        else
            fail "the run after kill $i removed leftovers without saying so: $(cat "$W/next.$i")"
        fi
    fi
done

# ---- a file-size limit -----------------------------------------------------
n_xfsz=0
for lim in 20000 100000 400000; do      # in the shell's ulimit -f blocks
    new=$([ $cur = A ] && echo B || echo A)
    (ulimit -f $lim && exec "$BIN" run "$P/scheme.yaml" "$P/$new/fazhiban.yaml" \
        "$P/$new/departments.csv" -q -o "$OUT") >/dev/null 2>"$W/xfsz"
    st=$?
    if [ $st = 3 ] && grep -q "File too large" "$W/xfsz" && [ "$(state)" = $cur ] && [ "$(leftovers)" = 0 ]; then
        n_xfsz=$((n_xfsz + 1))
        echo "  ulimit -f $lim: exit 3, $(head -1 "$W/xfsz")"
    else
        fail "ulimit -f $lim: exit $st, set $(state), $(leftovers) leftovers: $(head -2 "$W/xfsz")"
    fi
done

echo "stress: $KILLS kills: $n_scoring while scoring, $n_writing while writing, $n_published after publishing;" \
     "leftovers of $n_cleaned removed by the next run; file-size limit $n_xfsz/3; $fails failure(s)"
[ $fails = 0 ]
