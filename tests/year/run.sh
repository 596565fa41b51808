#!/bin/sh
# tests/year/run.sh - the assessment year end to end (docs/year.md), on
# examples/dongfeng-2017 and examples/dongfeng-2018:
#
#   publish 2017; publish 2018 with the units' 自评分; publish 2018 again
#   after the appeal (the re-publication); history, and what version 3
#   holds; export of each
#   version byte-identical to a `run` of the same inputs; explain of the
#   appealing unit; diff of the two 2018 versions (text, CSV, and the same
#   from two result directories) and of 2017 against 2018; compare 2017
#   2018 (text and CSV); the archive refuses to change a version; a stale
#   appeal publishes nothing; the diff of the two 2018 versions as a page
#   (--format html, also with -o FILE) and the re-publication's report.html
#   with the same 复核调整情况 section, its outputs byte-identical when run
#   again with one scoring thread.
#
# Each step's output is compared with tests/year/expected/STEP (the
# scratch directory reads as $SCRATCH, the repository as $ROOT).  UPDATE=1 rewrites the expected
# files instead.  Prints "year: N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
BIN=${1:-build/lawscore}
case "$BIN" in /*) ;; *) BIN="$PWD/$BIN" ;; esac
EXP=tests/year/expected
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# a killed publish leaves its temporary output directory: keep those here
export TMPDIR="$scratch"
export SOURCE_DATE_EPOCH=1548979200   # 2019-02-01: the archive's dates are fixed
A=$scratch/dongfeng.sqlite
e17=examples/dongfeng-2017
e18=examples/dongfeng-2018
in17="$e17/scheme.yaml $e17/data/fazhiban.yaml $e17/data/departments.csv"
in18="$e18/scheme.yaml $e18/data/fazhiban.yaml $e18/data/departments.csv"
pass=0
fail=0

# step NAME STATUS ARGS...: run lawscore, compare stdout+stderr with the expected file
step() {
    name=$1 want=$2
    shift 2
    "$BIN" "$@" >"$scratch/$name.out" 2>&1
    status=$?
    sed -i -e "s|$scratch|\$SCRATCH|g" -e "s|$PWD|\$ROOT|g" "$scratch/$name.out"
    # what depends on the build (the plugin's bytes and path, which the
    # outputs' manifest records) reads as <build>
    [ -n "${MASK:-}" ] && sed -i -E -e '/^  plugin  /d' \
        -E -e 's/^  (results\.json|results\.xlsx|report\.html)  [0-9]+  [0-9a-f]{64}$/  \1  <build>/' "$scratch/$name.out"
    if [ "${UPDATE:-}" = 1 ]; then cp "$scratch/$name.out" "$EXP/$name"; fi
    if [ "$status" != "$want" ]; then
        fail=$((fail + 1)); echo "FAIL $name: exit status $status, expected $want"; sed 's/^/    /' "$scratch/$name.out" | head -20
    elif ! cmp -s "$EXP/$name" "$scratch/$name.out"; then
        fail=$((fail + 1)); echo "FAIL $name: output differs:"; diff -u "$EXP/$name" "$scratch/$name.out" | head -40
    else
        pass=$((pass + 1))
    fi
}

# check NAME CONDITION...: a test that is not an output comparison
check() {
    name=$1
    shift
    if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $name"; fi
}

step publish-2017 0 publish $in17 --archive "$A" --label 2017年度考核结果通报 -q
step publish-2018 0 publish $in18 --self $e18/self.csv --archive "$A" --label 2018年度考核结果通报 -q
step publish-2018-review 0 publish $in18 --self $e18/self.csv --adjustments $e18/adjustments.yaml \
    --archive "$A" --label 2018年度考核结果（复核后）
step history 0 history --archive "$A"
MASK=1 step history-3 0 history --archive "$A" --version 3

# export is byte-identical to the original run
"$BIN" run $in17 -q -o "$scratch/run1" >/dev/null 2>&1
"$BIN" run $in18 --self $e18/self.csv -q -o "$scratch/run2" >/dev/null 2>&1
"$BIN" run $in18 --self $e18/self.csv --adjustments $e18/adjustments.yaml -q -o "$scratch/run3" >/dev/null 2>&1
for v in 1 2 3; do
    "$BIN" export --archive "$A" --version $v -o "$scratch/export$v" 2>&1
    same=1
    for f in $(ls "$scratch/run$v"); do
        cmp -s "$scratch/run$v/$f" "$scratch/export$v/$f" || { same=0; echo "  export $v: $f differs from the run"; }
    done
    [ "$(ls "$scratch/run$v" | wc -l)" = "$(ls "$scratch/export$v" | wc -l)" ] || same=0
    check "export-$v-byte-identical" [ $same = 1 ]
done

step explain-nlj 0 explain $in18 --self $e18/self.csv --adjustments $e18/adjustments.yaml --unit nlj
step diff-2-3 0 diff --archive "$A" 2 3
step diff-2-3.csv 0 diff --archive "$A" 2 3 --format csv
step diff-dirs 0 diff "$scratch/run2" "$scratch/run3"
step diff-2-3.html 0 diff --archive "$A" 2 3 --format html
"$BIN" diff --archive "$A" 2 3 --format html -o "$scratch/diff.html" >"$scratch/diff-o.out" 2>&1
check diff-html-file sh -c "[ ! -s '$scratch/diff-o.out' ] && cmp -s '$scratch/diff.html' '$scratch/diff-2-3.html.out' && ! ls '$scratch'/diff.html.tmp* >/dev/null 2>&1"
# the re-publication's report holds the same section, in the same words
sed -n '/<section class="appeals">/,/<\/section>/p' "$scratch/run3/report.html" >"$scratch/report-appeals.out"
[ "${UPDATE:-}" = 1 ] && cp "$scratch/report-appeals.out" "$EXP/report-appeals"
check report-appeals cmp -s "$EXP/report-appeals" "$scratch/report-appeals.out"
check report-appeals-words sh -c "grep -F \"\$(sed -n 4p '$EXP/diff-2-3')\" '$EXP/report-appeals' >/dev/null"
"$BIN" run $in18 --self $e18/self.csv --adjustments $e18/adjustments.yaml -q -j 1 -o "$scratch/run3-j1" >/dev/null 2>&1
for f in report.html results.xlsx results.json items.csv results.csv; do
    check "rerun-$f" cmp -s "$scratch/run3/$f" "$scratch/run3-j1/$f"
done
step diff-1-3 0 diff --archive "$A" 1 3
step compare 0 compare --archive "$A" 2017 2018
step compare.csv 0 compare --archive "$A" 2017 2018 --format csv

# nothing archived changes, and a failed publication adds nothing
if command -v sqlite3 >/dev/null 2>&1; then
    check immutable-delete sh -c "! sqlite3 '$A' 'DELETE FROM versions' 2>/dev/null"
    check immutable-update sh -c "! sqlite3 '$A' \"UPDATE outputs SET bytes = 'x'\" 2>/dev/null"
fi
printf 'year: 2018\nadjustments:\n  - {unit: nlj, indicator: late_reports, old: 4, new: 2, reason: 复核, basis: 东法考〔2018〕9号, by: 考核办, date: 2019-01-20}\n' >"$scratch/stale.yaml"
step publish-stale 1 publish $in18 --adjustments "$scratch/stale.yaml" --archive "$A" --label stale -q
step history-after 0 history --archive "$A"
check history-unchanged cmp -s "$EXP/history" "$EXP/history-after"

echo "year: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
