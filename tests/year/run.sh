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
#   2018 (text, CSV and HTML; the page in Chromium is checked apart, by
#   compare-html.sh: make compare-html, with the real clients); the
#   archive refuses to change a version; a stale
#   appeal publishes nothing; the diff of the two 2018 versions as a page
#   (--format html, also with -o FILE) and the re-publication's report.html
#   with the same 复核调整情况 section, its outputs byte-identical when run
#   again with one scoring thread.  The appeals withdrawn by a
#   re-publication (--withdraw), named by diff and listed in the page's
#   table of decisions; compare's columns add up
#   to the change of the total.
#
#   The archive's format 2 (docs/year.md): a file is stored once however
#   many versions hold it, compressed; a blob that no longer matches its
#   SHA-256 is refused.  A format-1 archive (tests/year/fixtures/
#   format1.sqlite.gz: the same three publications by lawscore at commit
#   d772719, with --formats csv,json) reads as the format-2 one does, and
#   a publication into it is appended in format 1.
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
export TZ=UTC                         # and shown in UTC by history
A=$scratch/dongfeng.sqlite
e17=examples/dongfeng-2017
e18=examples/dongfeng-2018
in17="$e17/scheme.yaml $e17/data/fazhiban.yaml $e17/data/departments.csv"
in18="$e18/scheme.yaml $e18/data/fazhiban.yaml $e18/data/departments.csv"
pass=0
fail=0

# step NAME STATUS ARGS...: run lawscore, compare stdout+stderr with the
# expected file (with AS=OTHER: with OTHER's, which UPDATE=1 leaves alone)
step() {
    name=$1 want=$2 exp=$EXP/${AS:-$1}
    shift 2
    "$BIN" "$@" >"$scratch/$name.out" 2>&1
    status=$?
    sed -i -e "s|$scratch|\$SCRATCH|g" -e "s|$PWD|\$ROOT|g" "$scratch/$name.out"
    # what depends on the build (the plugin's bytes and path, which the
    # outputs' manifest records) reads as <build>
    [ -n "${MASK:-}" ] && sed -i -E -e '/^  (plugin|插件)  /d' \
        -E -e 's/^  (results\.json|results\.xlsx|report\.html)  [0-9]+  [0-9a-f]{64}$/  \1  <build>/' "$scratch/$name.out"
    if [ "${UPDATE:-}" = 1 ] && [ -z "${AS:-}" ]; then cp "$scratch/$name.out" "$exp"; fi
    if [ "$status" != "$want" ]; then
        fail=$((fail + 1)); echo "FAIL $name: exit status $status, expected $want"; sed 's/^/    /' "$scratch/$name.out" | head -20
    elif ! cmp -s "$exp" "$scratch/$name.out"; then
        fail=$((fail + 1)); echo "FAIL $name: output differs:"; diff -u "$exp" "$scratch/$name.out" | head -40
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
step diff-1-3.csv 0 diff --archive "$A" 1 3 --format csv
step compare 0 compare --archive "$A" 2017 2018
step compare.csv 0 compare --archive "$A" 2017 2018 --format csv
step compare.html 0 compare --archive "$A" 2017 2018 --format html
# -o where nothing can be written: an error naming the file, exit 3
step compare-unwritable 3 compare --archive "$A" 2017 2018 --format html -o "$scratch/no/such/compare.html"

# nothing archived changes, and a failed publication adds nothing
if command -v sqlite3 >/dev/null 2>&1; then
    check immutable-delete sh -c "! sqlite3 '$A' 'DELETE FROM versions' 2>/dev/null"
    check immutable-update sh -c "! sqlite3 '$A' \"UPDATE outputs SET bytes = 'x'\" 2>/dev/null"
fi
printf 'year: 2018\nadjustments:\n  - {unit: nlj, indicator: late_reports, old: 4, new: 2, reason: 复核, basis: 东法考〔2018〕9号, by: 考核办, date: 2019-01-20}\n' >"$scratch/stale.yaml"
step publish-stale 1 publish $in18 --adjustments "$scratch/stale.yaml" --archive "$A" --label stale -q
step history-after 0 history --archive "$A"
check history-unchanged cmp -s "$EXP/history" "$EXP/history-after"

# the appeals withdrawn (a re-publication without them, --withdraw): diff
# names each decision withdrawn and what it had changed (in a copy: the
# comparison above takes version 3 as 2018's latest)
W=$scratch/withdrawn.sqlite
cp "$A" "$W"
step publish-withdraw 0 publish $in18 --self $e18/self.csv --withdraw --archive "$W" \
    --label 2018年度考核结果（撤销复核决定） -q
step diff-withdraw 0 diff --archive "$W" 3 4
step diff-withdraw.csv 0 diff --archive "$W" 3 4 --format csv
# and the page's table of decisions lists the withdrawn ones (撤销…)
step diff-withdraw.html 0 diff --archive "$W" 3 4 --format html

# compare's columns per category, with 加分, 扣分 and 折算, add up to
# 总分变动 on every row (as 数据 + 方案 + 复核 do)
check compare-columns-add-up awk -F, 'NR == 1 {
        for (i = 1; i <= NF; i++)
            if ($i == "总分变动") t = i
            else if ($i ~ / 变动$/ || $i ~ /对总分的影响$/) col[i] = 1
        next
    }
    { s = 0; for (i in col) s += $i
      if (sprintf("%.2f", s) != sprintf("%.2f", $t)) { print "  " $1 ": the columns add up to " s ", 总分变动 " $t; bad = 1 } }
    END { exit bad }' "$scratch/compare.csv.out"
check compare-effects-add-up awk -F, 'NR > 1 && sprintf("%.2f", $13 + $14 + $15) != sprintf("%.2f", $7) { bad = 1 } END { exit bad }' \
    "$scratch/compare.csv.out"

# ---- format 2: each file once, compressed ------------------------------
if command -v sqlite3 >/dev/null 2>&1; then
    q() { sqlite3 "$1" "$2" 2>&1; }
    # versions 2 and 3 share the 2018 scheme, rules and data: stored once
    check blobs-once [ "$(q "$A" "SELECT count(*) FROM blobs")" = \
        "$(q "$A" "SELECT count(*) FROM (SELECT sha256 FROM inputs UNION SELECT sha256 FROM outputs)")" ]
    check blobs-shared [ "$(q "$A" "SELECT count(*) FROM inputs i JOIN inputs j ON j.sha256 = i.sha256
        WHERE i.version = 2 AND j.version = 3 AND i.role = 'scheme'")" = 1 ]
    check blobs-compressed [ "$(q "$A" "SELECT count(*) FROM outputs o JOIN blobs b USING (sha256)
        WHERE o.name = 'results.json' AND b.codec = 'zstd' AND length(b.bytes) < b.size")" = 3 ]
    check item-view [ "$(q "$A" "SELECT number || ' ' || name || ' ' || points || ' ' || original || '→' || score
        || ' ' || reasons FROM item_view WHERE version = 3 AND unit = 'nlj' AND node IN ('c8.3', 'c1.1')
        ORDER BY node")" = "1.1 权责清单动态调整 4.00 2.00→2.00 权责清单：已调整未公布，得2分
8.3 按时报送信息 4.00 1.50→3.00 迟报2次，每次扣0.5分，扣1分" ]
    # a reason is kept once however many units and versions give it
    check texts-once [ "$(q "$A" "SELECT count(*) FROM texts WHERE text = '权责清单：已调整未公布，得2分'")
$(q "$A" "SELECT count(*) > 3 FROM item_view WHERE reasons = '权责清单：已调整未公布，得2分'")" = "1
1" ]
    # a blob changed behind lawscore's back (the trigger dropped first)
    cp "$A" "$scratch/damaged.sqlite"
    q "$scratch/damaged.sqlite" "DROP TRIGGER blobs_no_update; UPDATE blobs SET bytes = zeroblob(length(bytes))
        WHERE sha256 = (SELECT sha256 FROM outputs WHERE version = 3 AND name = 'results.csv')" >/dev/null
    step export-damaged 1 export --archive "$scratch/damaged.sqlite" --version 3 -o "$scratch/x-damaged"
    check export-damaged-nothing [ ! -e "$scratch/x-damaged" ]
fi

# ---- format 1: read as before, appended to in format 1 -----------------
A1=$scratch/format1.sqlite
gzip -dc tests/year/fixtures/format1.sqlite.gz >"$A1"
AS=history step history-format1 0 history --archive "$A1"
AS=diff-2-3 step diff-2-3-format1 0 diff --archive "$A1" 2 3
AS=diff-1-3 step diff-1-3-format1 0 diff --archive "$A1" 1 3
AS=compare step compare-format1 0 compare --archive "$A1" 2017 2018
# history --version names an appeal's indicator and item from the
# version's scheme, also in format 1 (which keeps no item names)
"$BIN" history --archive "$A1" --version 3 >"$scratch/history-3-format1.out" 2>&1
check history-3-format1-names sh -c "grep -q '^  nlj  数据更正  迟报次数  3  2  ' '$scratch/history-3-format1.out' &&
    grep -q '^  cgj  评分决定  4.5 行政执法案卷评查  0.00  1.00  ' '$scratch/history-3-format1.out'"
# (items.csv as that build published it, by the SHA-256 the archive holds:
# today's items.csv differs, 差值 of a deduction item having changed sign)
for v in 1 2 3; do
    rm -rf "$scratch/f1x"
    "$BIN" export --archive "$A1" --version $v -o "$scratch/f1x" 2>&1
    sha=$("$BIN" history --archive "$A1" --version $v | awk '$1 == "items.csv" { print $3 }')
    # results.csv archived before a vetoed unit lost its 名次 (区住建局
    # was 18th, and 18th before the appeals) and before a unit ranked below
    # an equal total by tie_break got its 说明 (区发改局 under 区卫计局): the
    # same bytes but those fields
    sed -e 's/总分与区卫计局同为88\.40分[^,]*排在其后//' "$scratch/run$v/results.csv" >"$scratch/run$v.notie"
    check "export-format1-$v" sh -c "sed -e 's/^区直部门,18,zjj,/区直部门,,zjj,/' \
        -e '/^区直部门,,zjj,/s/,79\.50,18,不合格,/,79.50,,不合格,/' '$scratch/f1x/results.csv' |
        cmp -s '$scratch/run$v.notie' - &&
        [ -n '$sha' ] && [ \"\$(sha256sum <'$scratch/f1x/items.csv' | cut -d' ' -f1)\" = '$sha' ]"
done
step publish-format1 0 publish $in18 --self $e18/self.csv --adjustments $e18/adjustments.yaml \
    --archive "$A1" --label 2018年度考核结果（再次发布） -q
rm -rf "$scratch/f1x"
"$BIN" export --archive "$A1" --version 4 -o "$scratch/f1x" 2>&1
check export-format1-4 sh -c "for f in \$(ls '$scratch/run3'); do cmp -s '$scratch/run3/'\$f '$scratch/f1x/'\$f || exit 1; done"
if command -v sqlite3 >/dev/null 2>&1; then
    check publish-format1-stays [ "$(q "$A1" "SELECT value FROM archive_meta WHERE key = 'format_version'")
$(q "$A1" "SELECT count(*) FROM outputs WHERE version = 4 AND length(bytes) > 0")" = "1
5" ]
fi


# ---- format 1 upgraded to format 2 (upgrade) ----------------------------
# the fixture upgraded: every version, file and appeal carried over, read
# as before; the old file kept beside; a second upgrade changes nothing
U=$scratch/upgraded.sqlite
gzip -dc tests/year/fixtures/format1.sqlite.gz >"$U"
cp "$U" "$scratch/format1-orig.sqlite"
for v in 1 2 3; do
    "$BIN" history --archive "$U" --version $v >"$scratch/upgrade-before-$v" 2>&1
    rm -rf "$scratch/ubx$v" && "$BIN" export --archive "$U" --version $v -o "$scratch/ubx$v" 2>&1
done
"$BIN" diff --archive "$U" 2 3 --format csv >"$scratch/upgrade-before-diff.csv" 2>&1
"$BIN" compare --archive "$U" 2017 2018 --format html >"$scratch/upgrade-before-compare.html" 2>&1
step upgrade 0 upgrade --archive "$U"
check upgrade-backup-kept cmp -s "$scratch/format1-orig.sqlite" "$U.format1.bak"
check upgrade-no-temp sh -c "! ls '$U'.upgrade-* >/dev/null 2>&1"
AS=history step history-upgraded 0 history --archive "$U"
AS=diff-2-3 step diff-2-3-upgraded 0 diff --archive "$U" 2 3
AS=diff-1-3 step diff-1-3-upgraded 0 diff --archive "$U" 1 3
AS=compare step compare-upgraded 0 compare --archive "$U" 2017 2018
"$BIN" diff --archive "$U" 2 3 --format csv >"$scratch/upgrade-after-diff.csv" 2>&1
check upgrade-diff-csv-same cmp -s "$scratch/upgrade-before-diff.csv" "$scratch/upgrade-after-diff.csv"
"$BIN" compare --archive "$U" 2017 2018 --format html >"$scratch/upgrade-after-compare.html" 2>&1
check upgrade-compare-html-same cmp -s "$scratch/upgrade-before-compare.html" "$scratch/upgrade-after-compare.html"
for v in 1 2 3; do
    # what history --version shows (each file's size and SHA-256, the
    # appeals) and what export writes: the same before and after
    "$BIN" history --archive "$U" --version $v >"$scratch/upgrade-after-$v" 2>&1
    check "upgrade-history-$v-same" cmp -s "$scratch/upgrade-before-$v" "$scratch/upgrade-after-$v"
    rm -rf "$scratch/uax$v" && "$BIN" export --archive "$U" --version $v -o "$scratch/uax$v" 2>&1
    check "upgrade-export-$v-same" diff -r "$scratch/ubx$v" "$scratch/uax$v"
done
step upgrade-again 0 upgrade --archive "$U"
check upgrade-again-unchanged sh -c "[ ! -e '$U.format1.bak.format1.bak' ] && cmp -s '$U.format1.bak' '$scratch/format1-orig.sqlite'"
# a publication into it is appended in format 2, without the note
step publish-upgraded 0 publish $in18 --self $e18/self.csv --adjustments $e18/adjustments.yaml \
    --archive "$U" --label 2018年度考核结果（再次发布） -q
rm -rf "$scratch/ux4"
"$BIN" export --archive "$U" --version 4 -o "$scratch/ux4" 2>&1
check export-upgraded-4 sh -c "for f in \$(ls '$scratch/run3'); do cmp -s '$scratch/run3/'\$f '$scratch/ux4/'\$f || exit 1; done"
# a backup in the way: refused, nothing changed
B=$scratch/blocked.sqlite
cp "$scratch/format1-orig.sqlite" "$B"
echo 'an earlier backup' >"$B.format1.bak"
step upgrade-backup-exists 1 upgrade --archive "$B"
check upgrade-backup-exists-unchanged sh -c "cmp -s '$B' '$scratch/format1-orig.sqlite' && ! ls '$B'.upgrade-* >/dev/null 2>&1"
# --no-backup: the old file not kept
N=$scratch/nobackup.sqlite
cp "$scratch/format1-orig.sqlite" "$N"
step upgrade-no-backup 0 upgrade --archive "$N" --no-backup
check upgrade-no-backup-none [ ! -e "$N.format1.bak" ]
if command -v sqlite3 >/dev/null 2>&1; then
    check upgrade-format2 [ "$(q "$U" "SELECT value FROM archive_meta WHERE key = 'format_version'")
$(q "$U" "SELECT count(*) FROM outputs o JOIN blobs b USING (sha256) WHERE o.name = 'results.json' AND b.codec = 'zstd'")" = "2
4" ]
    # a stored file that no longer matches its SHA-256: refused, the
    # archive as it was, no temporary file left
    D=$scratch/damaged1.sqlite
    cp "$scratch/format1-orig.sqlite" "$D"
    q "$D" "DROP TRIGGER outputs_no_update; UPDATE outputs SET bytes = zeroblob(length(bytes))
        WHERE version = 2 AND name = 'results.csv'" >/dev/null
    cp "$D" "$scratch/damaged1-orig.sqlite"
    step upgrade-damaged-file 1 upgrade --archive "$D"
    check upgrade-damaged-unchanged sh -c "cmp -s '$D' '$scratch/damaged1-orig.sqlite' && [ ! -e '$D.format1.bak' ] &&
        ! ls '$D'.upgrade-* >/dev/null 2>&1"
fi

echo "year: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
