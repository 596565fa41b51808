#!/bin/sh
# tests/fuzz/run-fuzz.sh - run each fuzz harness for a while (make fuzz).
#
#   sh tests/fuzz/run-fuzz.sh BUILD SECONDS TARGET...
#
# Runs BUILD/fuzz/fuzz-TARGET for SECONDS on one core, growing the corpus
# BUILD/corpus/TARGET/ from the seeds tests/fuzz/seeds/TARGET/ (read only),
# with the dictionary tests/fuzz/dicts/TARGET.dict when there is one.
# Crashes, leaks, sanitizer reports and inputs running over 2 s (archive:
# 10 s) are written
# to BUILD/artifacts/TARGET/; the log of each run is BUILD/logs/TARGET.log.
# Prints a line per target (execs, execs/s, coverage, findings) and exits 1
# when anything was found.  Extra libFuzzer options: $FUZZ_OPTS; checks to
# skip (a known bug, reported, not yet fixed): $LS_FUZZ_IGNORE, see
# fuzz_common.h.
set -u
cd "$(dirname "$0")/../.." || exit 1
B=$1
SECONDS_EACH=$2
shift 2
found=0
# the harnesses' scratch directories (a crash leaves its own behind)
TMPDIR=$(mktemp -d)
export TMPDIR
trap 'rm -rf "$TMPDIR"' EXIT
for t in "$@"; do
    mkdir -p "$B/corpus/$t" "$B/artifacts/$t" "$B/logs"
    case "$t" in
    scheme) maxlen=32768 ;;      # the example's scheme is 28 KB
    data_yaml) maxlen=12288 ;;
    data_csv) maxlen=4096 ;;
    results) maxlen=16384 ;;     # the fixture's results.json is 8 KB
    adjust | self) maxlen=24576 ;; # a filled .xlsx form is 9-15 KB
    archive) maxlen=131072 ;;    # the test cases' archives are 8-116 KB
    *) maxlen=8192 ;;
    esac
    # publishing onto an archive syncs it to disk (synchronous=FULL): on
    # a busy machine an fdatasync alone can take seconds
    timeout=2
    [ "$t" = archive ] && timeout=10
    dict=""
    [ -f "tests/fuzz/dicts/$t.dict" ] && dict="-dict=tests/fuzz/dicts/$t.dict"
    echo "fuzz $t: ${SECONDS_EACH}s ..."
    # shellcheck disable=SC2086
    "$B/fuzz/fuzz-$t" -max_total_time="$SECONDS_EACH" -timeout=$timeout -rss_limit_mb=2048 \
        -max_len=$maxlen -print_final_stats=1 -artifact_prefix="$B/artifacts/$t/" \
        $dict ${FUZZ_OPTS:-} "$B/corpus/$t" "tests/fuzz/seeds/$t" \
        </dev/null >"$B/logs/$t.log" 2>&1
    status=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$B/logs/$t.log" | tail -1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$B/logs/$t.log" | tail -1)
    cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$B/logs/$t.log" | tail -1)
    n=$(find "$B/artifacts/$t" -type f | wc -l)
    echo "fuzz $t: ${execs:-?} execs, ${speed:-?}/s, ${cov:-no coverage line}, exit $status, $n findings in $B/artifacts/$t/"
    if [ "$status" != 0 ] || [ "$n" != 0 ]; then
        found=1
        grep -m1 -A12 'ERROR: \|fuzz check failed\|runtime error' "$B/logs/$t.log" | sed 's/^/    /'
    fi
done
[ "$found" -eq 0 ]
