#!/bin/sh
# tests/year/compare-html.sh - `compare --format html` in the client that
# opens it (part of tests/year/run.sh; docs/year.md):
#
#   2017 and a 2018 in which 区编办 is renamed <script>alert(1)</script>
#   are published into a scratch archive and compared as HTML (-o FILE);
#   Chromium (headless) dumps the DOM: one rank-change chart (a slope
#   chart) per group with one line per unit, up and down coloured, the
#   hostile name as text and no script element; Chromium prints the page
#   to PDF and pdftotext finds each group's table and chart on it.
#
# Usage: tests/year/compare-html.sh LAWSCORE.  Prints a FAIL line per
# failed check and "compare-html: N passed, N failed"; exit 1 on failure.
# Missing clients fail the check (tools/deps.sh installs them).
set -u
cd "$(dirname "$0")/../.." || exit 1
BIN=${1:-build/lawscore}
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL compare-html: $*"; }
done_() { echo "compare-html: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }

for tool in chromium pdftotext pdfinfo; do
    command -v $tool >/dev/null 2>&1 || { bad "$tool is not installed (run tools/deps.sh)"; done_; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
HOSTILE='<script>alert(1)</script>'
export SOURCE_DATE_EPOCH=1548979200
A=$tmp/a.sqlite
e17=examples/dongfeng-2017
cp -r examples/dongfeng-2018 "$tmp/e18"
sed -i 's|name: 区编办,|name: "<script>alert(1)</script>",|' "$tmp/e18/units.yaml"
sed -i 's|^bb,区编办,|bb,<script>alert(1)</script>,|' "$tmp/e18/data/departments.csv"
"$BIN" publish $e17/scheme.yaml $e17/data/fazhiban.yaml $e17/data/departments.csv --archive "$A" \
    --label 2017 -q >"$tmp/log" 2>&1 &&
    "$BIN" publish "$tmp/e18/scheme.yaml" "$tmp/e18/data/fazhiban.yaml" "$tmp/e18/data/departments.csv" \
        --adjustments "$tmp/e18/adjustments.yaml" --archive "$A" --label 2018 -q >>"$tmp/log" 2>&1 ||
    { bad "publish failed: $(cat "$tmp/log")"; done_; }
if "$BIN" compare --archive "$A" 2017 2018 --format html -o "$tmp/compare.html" >"$tmp/log" 2>&1 &&
    [ ! -s "$tmp/log" ] && [ -s "$tmp/compare.html" ]; then ok; else bad "compare -o wrote nothing: $(cat "$tmp/log")"; done_; fi

chrome() {
    timeout -k 10 240 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run \
        --user-data-dir="$tmp/chrome-profile" "$@" 2>>"$tmp/chrome.log"
}
# the DOM dumped and the page printed in one start
chrome --dump-dom --no-pdf-header-footer --print-to-pdf="$tmp/compare.pdf" "$tmp/compare.html" >"$tmp/dom.html"
# count the occurrences of a fixed string in the DOM
count() { grep -o -F "$1" "$tmp/dom.html" | wc -l; }
[ "$(count '<svg class="chart chart-ranks"')" -eq 2 ] && ok || bad "expected 2 rank-change charts in the DOM, found $(count '<svg class="chart chart-ranks"')"
# one line per ranked unit: 2 乡镇, 17 部门 (区住建局, vetoed in both
# years, has no rank to draw)
n=$(count '<g class="slope ')
[ "$n" -eq 19 ] && ok || bad "expected 19 units in the charts, found $n"
[ "$(count '<g class="slope up"')" -eq 4 ] && [ "$(count '<g class="slope down"')" -eq 2 ] && ok ||
    bad "expected 4 units up and 2 down in the charts, found $(count '<g class="slope up"') and $(count '<g class="slope down"')"
[ "$(count 'stroke="#c62828"')" -ge 2 ] && [ "$(count 'stroke="#2e7d32"')" -ge 4 ] && ok || bad "up and down lines are not coloured"
grep -q '<title>区财政局：第3名→第4名</title>' "$tmp/dom.html" && ok || bad "区财政局's line does not say 第3名→第4名"
grep -q '区应急管理局（原区安监局）：第10名→第9名' "$tmp/dom.html" && ok || bad "the renamed unit's line does not name what it was"
# the hostile name: text in the table, the chart and its title, never an element
[ "$(count '&lt;script&gt;alert(1)&lt;/script&gt;')" -ge 4 ] && ok || bad "the hostile name is not shown as text ($(count '&lt;script&gt;alert(1)&lt;/script&gt;') times)"
[ "$(grep -c -i '<script' "$tmp/dom.html")" -eq 0 ] && ok || bad "a <script> element is in the DOM"
grep -q '说明：区财政局 总分93.25未变，名次 3→4，等次 优秀→良好（优秀不超过本组20%，本组优秀名额已满）' "$tmp/dom.html" && ok ||
    bad "the 优秀 share cap is not named for 区财政局"

pages=$(pdfinfo "$tmp/compare.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
if [ -z "$pages" ] || [ "$pages" -lt 2 ]; then
    bad "Chromium printed ${pages:-no} pages: $(tail -3 "$tmp/chrome.log")"
else
    ok
    pdftotext -layout "$tmp/compare.pdf" "$tmp/compare.txt"
    for want in '区直部门（18个单位）' '区直部门：名次变动（2017年度→2018年度）' '2018年名次' '区城管执法局' "$HOSTILE" '复核的影响'; do
        grep -q -F "$want" "$tmp/compare.txt" && ok || bad "the printed page lacks '$want'"
    done
fi
done_
