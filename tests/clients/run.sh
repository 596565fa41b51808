#!/bin/sh
# tests/clients/run.sh - the office documents checked in the clients that
# open them (part of `make test`; docs/output.md):
#
#   1. lawscore runs the example, with one unit renamed
#      <script>alert(1)</script>, into a scratch directory;
#   2. LibreOffice (headless, private profile) converts results.xlsx to one
#      CSV per sheet, cells as shown; office-check compares every number
#      and text of the 通报, each 评分表 and the 扣分明细 with results.csv
#      and items.csv; it prints results.xlsx as PDF: each 评分表 on at most
#      2 pages numbered from 1, its end and signatures on one page;
#   3. Chromium (headless) prints report.html to PDF; pdftotext checks page
#      by page that no page holds two units' score sheets and that each
#      unit's name, total and grade are on its pages; --dump-dom shows the
#      SVG charts with their marks and the hostile name as text;
#   4. the widest 评分表 (examples/dongfeng-2018 with --self and
#      --adjustments: 9 columns), the appealing unit renamed likewise:
#      LibreOffice prints each on at most 2 pages with every column on
#      every page, 复核调整情况 and 扣分明细's 复核 column; Chromium prints
#      the report and `diff --format html` with their last columns on
#      every page (not cut at the edge), the hostile name as text and no
#      script in the DOM; the diff the other way round (the appeals
#      withdrawn) lists each withdrawn decision whole in its table.
#
# Every document is written first; then LibreOffice starts twice (once
# for the CSV of every sheet, once for the PDFs of all four workbooks: a
# start costs about 3 s of CPU, a private profile each run) while
# Chromium, side by side, prints each page and dumps its DOM in one start
# (four starts).  The checks follow, in the order above.
#
# Usage: tests/clients/run.sh BUILD_DIR (holding lawscore and tests/office-check).
# Missing clients fail the check (tools/deps.sh installs them); a client
# that hangs is stopped (timeout) and fails it too.
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${1:-build}
BIN=$BUILD/lawscore
CHECK=$BUILD/tests/office-check
fails=0
passes=0
ok() { passes=$((passes + 1)); }
bad() { fails=$((fails + 1)); echo "FAIL clients: $*"; }

for tool in soffice chromium pdftotext pdfinfo; do
    if ! command -v $tool >/dev/null 2>&1; then
        echo "FAIL clients: $tool is not installed (run tools/deps.sh, or make check)"
        echo "clients: 0 passed, 1 failed"
        exit 1
    fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
HOSTILE='<script>alert(1)</script>'

# 1. the example, one unit renamed
cp -r examples/dongfeng-2017 "$tmp/ex"
sed -i 's|name: 区编办,|name: "<script>alert(1)</script>",|' "$tmp/ex/units.yaml"
sed -i 's|^bb,区编办,|bb,<script>alert(1)</script>,|' "$tmp/ex/data/departments.csv"
if ! "$BIN" run "$tmp/ex/scheme.yaml" "$tmp/ex/data/fazhiban.yaml" "$tmp/ex/data/departments.csv" \
        -o "$tmp/out" -q 2>"$tmp/run.err"; then
    bad "lawscore run failed: $(cat "$tmp/run.err")"
    echo "clients: $passes passed, $fails failed"
    exit 1
fi
grep -q "$HOSTILE" "$tmp/out/results.csv" && ok || bad "the renamed unit is not in results.csv"

# the documents of 4. and 5.: the 2018 example, the appealing unit renamed
# <script>…, with --self and --adjustments; `diff --format html`; the forms
cp -r examples/dongfeng-2018 "$tmp/ex18"
sed -i 's|name: 区农林水务局,|name: "<script>alert(1)</script>",|' "$tmp/ex18/units.yaml"
sed -i 's|^nlj,区农林水务局,|nlj,<script>alert(1)</script>,|' "$tmp/ex18/data/departments.csv"
e18=$tmp/ex18
in18="$e18/scheme.yaml $e18/data/fazhiban.yaml $e18/data/departments.csv"
if "$BIN" run $in18 --self $e18/self.csv -o "$tmp/out18" -q 2>"$tmp/run18.err" &&
    "$BIN" run $in18 --self $e18/self.csv --adjustments $e18/adjustments.yaml -o "$tmp/out18r" -q 2>>"$tmp/run18.err" &&
    "$BIN" diff "$tmp/out18" "$tmp/out18r" --format html -o "$tmp/diff.html" 2>>"$tmp/run18.err" &&
    "$BIN" diff "$tmp/out18r" "$tmp/out18" --format html -o "$tmp/diffw.html" 2>>"$tmp/run18.err"; then
    ok
else
    bad "lawscore run or diff of the 2018 example failed: $(cat "$tmp/run18.err")"
fi
"$BIN" template $e18/scheme.yaml --self --units nlj -o "$tmp/self.xlsx" >/dev/null 2>&1 &&
    "$BIN" template $e18/scheme.yaml --adjustments -o "$tmp/reg.xlsx" >/dev/null 2>&1 ||
    bad "lawscore template --self or --adjustments failed"

# LibreOffice in the background (one profile: one soffice at a time):
# every sheet of the 2017 workbook as CSV, then the four workbooks as PDF
# in one start, named apart (xpdf/2017.pdf, 2018.pdf, self.pdf, reg.pdf)
mkdir -p "$tmp/csv" "$tmp/xlsx" "$tmp/xpdf"
cp "$tmp/out/results.xlsx" "$tmp/xlsx/2017.xlsx"
cp "$tmp/out18r/results.xlsx" "$tmp/xlsx/2018.xlsx"
cp "$tmp/self.xlsx" "$tmp/reg.xlsx" "$tmp/xlsx/" 2>/dev/null
# lo SECONDS ARGS...: one LibreOffice start, stopped after SECONDS (180 a
# document, as when each had a start of its own)
lo() { t=$1; shift; timeout -k 10 "$t" soffice -env:UserInstallation=file://$tmp/lo-profile --headless "$@"; }
(
    lo 180 --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1' \
        --outdir "$tmp/csv" "$tmp/out/results.xlsx"
    # no sheet written (the first start makes the profile): once more
    ls "$tmp/csv" | grep -q '\.csv$' ||
        lo 180 --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1' \
            --outdir "$tmp/csv" "$tmp/out/results.xlsx"
    lo 720 --convert-to pdf --outdir "$tmp/xpdf" "$tmp/xlsx"/*.xlsx
    # a workbook that start did not print (LibreOffice ended early): once
    # more, alone
    for f in "$tmp/xlsx"/*.xlsx; do
        b=${f##*/}
        [ -s "$tmp/xpdf/${b%.xlsx}.pdf" ] || lo 180 --convert-to pdf --outdir "$tmp/xpdf" "$f"
    done
) >"$tmp/soffice.log" 2>&1 &
lo_pid=$!

# Chromium meanwhile: each page printed and its DOM dumped in one start
chrome() {
    timeout -k 10 240 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run \
        --user-data-dir="$tmp/chrome-profile" "$@" 2>>"$tmp/chrome.log"
}
chrome --no-pdf-header-footer --print-to-pdf="$tmp/report.pdf" --dump-dom "$tmp/out/report.html" > "$tmp/dom.html"
chrome --no-pdf-header-footer --print-to-pdf="$tmp/r18.pdf" "$tmp/out18r/report.html" >/dev/null
chrome --no-pdf-header-footer --print-to-pdf="$tmp/diff.pdf" --dump-dom "$tmp/diff.html" > "$tmp/diff-dom.html"
chrome --no-pdf-header-footer --print-to-pdf="$tmp/diffw.pdf" "$tmp/diffw.html" >/dev/null
wait $lo_pid

# 2. LibreOffice: every sheet as CSV, compared with results.csv and items.csv
nsheets=$(ls "$tmp/csv" | grep -c '\.csv$')
nunits=$(($(wc -l < "$tmp/out/results.csv") - 1))
# the sheets 缺报汇总 and 缺报 when the data left values to their defaults
# (run -q does not note it: the workbook's own sheet list says)
nmissing=0
unzip -p "$tmp/out/results.xlsx" xl/workbook.xml | grep -q 'sheet name="缺报汇总"' && nmissing=2
if [ "$nsheets" -ne $((nunits + 4 + nmissing)) ]; then
    bad "LibreOffice wrote $nsheets sheets, expected $((nunits + 4 + nmissing)) (通报, 扣分明细, 主要失分项目, 说明, one per unit and $nmissing for 缺报汇总 and 缺报): $(tail -3 "$tmp/soffice.log")"
else
    ok
fi
if "$CHECK" "$tmp/out/results.csv" "$tmp/out/items.csv" "$tmp/csv"/*.csv >"$tmp/check.out"; then
    ok
else
    bad "results.xlsx as LibreOffice shows it differs from the CSV files:"
    cat "$tmp/check.out"
fi
tail -1 "$tmp/check.out"

# 2b. LibreOffice prints the workbook (PDF): each unit's 评分表 (named in
# its footer) on at most 2 A4 pages, numbered from 第 1 页 on each sheet,
# its end (一票否决项目 … 总分, 等次, 名次) and the signatures on one page;
# with a column title given, every page of a 评分表 shows it (the last
# column: none cut off to a page of its own).
# lo_sheets OUT TAG [LAST_COLUMN]: OUT's results.xlsx as LibreOffice
# printed it (xpdf/TAG.pdf); sets xpages, or fails
lo_sheets() {
    out=$1 tag=$2 last=${3:-}
    pdf=$tmp/xpdf/$tag.pdf
    xpages=$(pdfinfo "$pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
    : > "$tmp/xfooters-$tag"
    p=1
    while [ "$p" -le "${xpages:-0}" ]; do
        pdftotext -layout -f "$p" -l "$p" "$pdf" "$tmp/xpage-$tag-$p.txt"
        grep '第 *[0-9][0-9]* *页' "$tmp/xpage-$tag-$p.txt" | tail -1 |
            sed 's/^ *//; s/ *第 *\([0-9]*\) *页.*/\t\1/' | sed "s/^/$p\t/" >> "$tmp/xfooters-$tag"
        p=$((p + 1))
    done
    tail -n +2 "$out/results.csv" | tr -d '\r' | cut -d, -f4 |
    while read -r name; do
        pl=$(awk -F'\t' -v n="$name" '$2 == n {print $1}' "$tmp/xfooters-$tag")
        nums=$(awk -F'\t' -v n="$name" '$2 == n {printf "%s ", $3}' "$tmp/xfooters-$tag")
        n=$(printf '%s' "$pl" | grep -c .)
        if [ "$n" -eq 0 ] || [ "$n" -gt 2 ]; then
            echo "FAIL clients: the 评分表 of $name ($tag) prints on $n pages in LibreOffice, expected 1 or 2"
            continue
        fi
        [ "$nums" = "1 " ] || [ "$nums" = "1 2 " ] ||
            echo "FAIL clients: the pages of the 评分表 of $name ($tag) are numbered $nums, expected from 1"
        end=$(for q in $pl; do grep -q '^ *总分 ' "$tmp/xpage-$tag-$q.txt" && echo "$q"; done)
        [ -n "$end" ] && grep -qF '一票否决项目' "$tmp/xpage-$tag-$end.txt" &&
            grep -qF '考核组成员签字' "$tmp/xpage-$tag-$end.txt" ||
            echo "FAIL clients: the end of the 评分表 of $name ($tag; 一票否决项目 … 总分, signatures) is split over pages in LibreOffice"
        for q in $pl; do
            [ -z "$last" ] || grep -qF "$last" "$tmp/xpage-$tag-$q.txt" ||
                echo "FAIL clients: page $q of the 评分表 of $name ($tag) has no column $last in LibreOffice"
        done
    done > "$tmp/xunits-$tag.out"
    if [ -z "$xpages" ]; then
        bad "LibreOffice printed no PDF of results.xlsx ($tag): $(tail -3 "$tmp/soffice.log")"
    elif [ -s "$tmp/xunits-$tag.out" ]; then
        cat "$tmp/xunits-$tag.out"
        fails=$((fails + $(wc -l < "$tmp/xunits-$tag.out")))
    else
        ok
    fi
}
lo_sheets "$tmp/out" 2017
xpages17=$xpages

# 3. Chromium: the report printed (PDF) and its DOM (above)
pages=$(pdfinfo "$tmp/report.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
if [ -z "$pages" ] || [ "$pages" -lt "$nunits" ]; then
    bad "Chromium printed ${pages:-no} pages for $nunits units: $(tail -3 "$tmp/chrome.log")"
    pages=0
else
    ok
fi

# the unit of each page: the name after 被考核单位： (every page of a score
# sheet repeats its heading); two on one page is a failure; each page's
# footer reads 第 N 页，共 M 页
: > "$tmp/pageunits"
: > "$tmp/nofooter"
p=1
while [ "$p" -le "$pages" ]; do
    pdftotext -layout -f "$p" -l "$p" "$tmp/report.pdf" "$tmp/page-$p.txt"
    units=$(sed -n 's/.*被考核单位：\([^ ]*\).*/\1/p' "$tmp/page-$p.txt" | sort -u)
    n=$(printf '%s' "$units" | grep -c .)
    if [ "$n" -gt 1 ]; then
        bad "page $p holds the score sheets of $(echo $units)"
    fi
    [ "$n" -eq 1 ] && printf '%s\t%s\n' "$p" "$units" >> "$tmp/pageunits"
    # the footer (the style sheet's @page margin box) counts the pages
    grep -q "第 $p 页，共 $pages 页" "$tmp/page-$p.txt" || echo "$p" >> "$tmp/nofooter"
    p=$((p + 1))
done
[ ! -s "$tmp/nofooter" ] && ok ||
    bad "pages $(echo $(cat "$tmp/nofooter")) of the report do not read 第 N 页，共 $pages 页 in their footer"

# each unit: its pages show its name, total and grade
hdr=$(head -1 "$tmp/out/results.csv" | sed 's/^\xEF\xBB\xBF//' | tr -d '\r')
ncol=$(printf '%s' "$hdr" | awk -F, '{print NF}')
tcol=$((ncol - 3))     # 总分; 等次 follows
tail -n +2 "$tmp/out/results.csv" | tr -d '\r' | awk -F, -v t=$tcol '{print $4 "\t" $t "\t" $(t+1)}' |
while IFS="$(printf '\t')" read -r name total grade; do
    pl=$(awk -F'\t' -v n="$name" '$2 == n {print $1}' "$tmp/pageunits")
    if [ -z "$pl" ]; then
        echo "FAIL clients: no page holds the score sheet of $name"
        continue
    fi
    text=$(for q in $pl; do cat "$tmp/page-$q.txt"; done)
    printf '%s\n' "$text" | grep "总分" | grep -qF "$total" ||
        echo "FAIL clients: the pages of $name ($pl) do not show 总分 $total"
    printf '%s\n' "$text" | grep "等次" | grep -qF "$grade" ||
        echo "FAIL clients: the pages of $name ($pl) do not show 等次 $grade"
    printf '%s\n' "$text" | grep -qF "考核组成员签字" ||
        echo "FAIL clients: the pages of $name ($pl) have no signature block"
done > "$tmp/units.out"
if [ -s "$tmp/units.out" ]; then
    cat "$tmp/units.out"
    fails=$((fails + $(wc -l < "$tmp/units.out")))
else
    ok
fi
cat "$tmp"/page-*.txt | grep -qF "$HOSTILE" && ok || bad "the printed report does not show the unit named $HOSTILE as text"

# the rendered DOM: charts and their marks, no script
ngroups=$(tail -n +2 "$tmp/out/results.csv" | cut -d, -f1 | sort -u | wc -l)
count() { grep -o "$1" "$tmp/dom.html" | wc -l; }
for chart in chart-distribution chart-totals chart-losses; do
    [ "$(count "class=\"chart $chart\"")" -eq "$ngroups" ] && ok ||
        bad "$(count "class=\"chart $chart\"") $chart charts in the DOM, expected $ngroups"
done
[ "$(count 'class="chart chart-profile"')" -eq "$nunits" ] && ok ||
    bad "$(count 'class="chart chart-profile"') chart-profile charts in the DOM, expected $nunits"
totbars=$(awk '/<svg /{inside = /chart-totals/} inside {n += gsub(/<rect class="bar"/, "")} END {print n + 0}' "$tmp/dom.html")
[ "$totbars" -eq "$nunits" ] && ok || bad "$totbars bars in the totals charts, expected $nunits"
for mark in 'class="bin"' 'class="band"' 'class="marker"'; do
    [ "$(count "$mark")" -gt 0 ] && ok || bad "no $mark mark in the charts"
done
[ "$(count '<script')" -eq 0 ] && ok || bad "the report's DOM holds a <script> element"
grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' "$tmp/dom.html" && ok ||
    bad "the hostile unit name is not escaped text in the DOM"

# 4. The widest 评分表 (--self and --adjustments: 9 columns) on A4, the
# 复核调整情况 and 扣分明细's 复核 column printed, and `diff --format
# html`: the 2018 example with the appealing unit renamed <script>…
# (written and printed above)
lo_sheets "$tmp/out18r" 2018 复核调整
cat "$tmp"/xpage-2018-*.txt > "$tmp/xall-2018.txt"
grep -qF "$HOSTILE 62.85 → 64.35（+1.50）：8.3 按时报送信息" "$tmp/xall-2018.txt" && ok ||
    bad "the printed workbook's 复核调整情况 does not show the appeal's change"
grep -qF '复核更正迟报次数3→2' "$tmp/xall-2018.txt" && ok ||
    bad "the printed 扣分明细 does not show the appeal in its 复核 column"

# pdf_pages TAG: TAG.pdf as Chromium printed it (above), one text file per
# page; prints the pages (a table wider than the page is cut at its edge:
# what is cut is not in the text, so the checks look for the last column)
pdf_pages() {
    n=$(pdfinfo "$tmp/$1.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
    p=1
    while [ "$p" -le "${n:-0}" ]; do
        pdftotext -layout -f "$p" -l "$p" "$tmp/$1.pdf" "$tmp/$1-page-$p.txt"
        p=$((p + 1))
    done
    echo "${n:-0}"
}
pages18=$(pdf_pages r18)
[ "$pages18" -ge "$nunits" ] && ok || bad "Chromium printed $pages18 pages of the 2018 report"
p=1
: > "$tmp/r18.out"
while [ "$p" -le "$pages18" ]; do
    f=$tmp/r18-page-$p.txt
    units=$(sed -n 's/.*被考核单位：\([^ ]*\).*/\1/p' "$f" | sort -u | grep -c .)
    [ "$units" -le 1 ] || echo "FAIL clients: page $p of the 2018 report holds $units units' score sheets"
    # a page of a 评分表 shows its last column's title: nothing cut off
    [ "$units" -eq 0 ] || grep -qF '复核调整' "$f" ||
        echo "FAIL clients: page $p of the 2018 report has no column 复核调整 (cut off?)"
    p=$((p + 1))
done >> "$tmp/r18.out"
grep -qF "$HOSTILE 62.85 → 64.35（+1.50）" "$tmp"/r18-page-*.txt || echo "FAIL clients: the 2018 report's 复核调整情况 does not show the renamed unit's change as text" >> "$tmp/r18.out"
if [ -s "$tmp/r18.out" ]; then
    cat "$tmp/r18.out"
    fails=$((fails + $(wc -l < "$tmp/r18.out")))
else
    ok
fi
# diff --format html: prints, nothing beyond the edge, the hostile name as text
dpages=$(pdf_pages diff)
[ "$dpages" -ge 1 ] && ok || bad "Chromium printed no page of diff --format html"
# the decisions' last column printed: the table is not cut at the edge
grep -qF '2019-01-18' "$tmp"/diff-page-*.txt && ok || bad "the diff page's 日期 column is not printed (cut off?)"
# the decisions' 文号 and 决定人 printed apart (the 文号 once ran into
# the 决定人 column: "东法考〔2018〕3区号法治…"), the date whole
grep -q '东法考〔2018〕3号  *区法治政府' "$tmp"/diff-page-*.txt && ok ||
    bad "the diff page's 依据 (文号) runs into the 决定人 column"
grep -q '东法考〔2018〕3号  *区法治政府' "$tmp"/r18-page-*.txt && ok ||
    bad "the 2018 report's 依据 (文号) runs into the 决定人 column"
cat "$tmp"/diff-page-*.txt | tr -d '\n' | grep -qF "$HOSTILE 62.85 → 64.35（+1.50）：8.3 按时报送信息 +1.50" && ok ||
    bad "the printed diff page does not show the renamed unit's change as text"
# the decisions withdrawn (the same year's results the other way round:
# the later holds none of the earlier's appeals) listed in the table of
# decisions, each row whole to its 日期
[ "$(pdf_pages diffw)" -ge 1 ] && ok || bad "Chromium printed no page of the diff with withdrawn decisions"
# (the cells wrap as the names' widths fall: the row's parts, each once
# on the page; its 日期 is the row's last column)
grep -q '撤销核定得分：4.5' "$tmp"/diffw-page-*.txt && grep -q ' 0\.00→1\.00 ' "$tmp"/diffw-page-*.txt &&
    grep -q '2019-01-22' "$tmp"/diffw-page-*.txt && ok ||
    bad "the printed diff page does not list the withdrawn score decision 东法考〔2018〕5号 whole"
[ "$(cat "$tmp"/diffw-page-*.txt | grep -c '撤销更正数据：')" -eq 2 ] && ok ||
    bad "the printed diff page does not list the 2 withdrawn data corrections"
[ "$(grep -c '<script' "$tmp/diff-dom.html")" -eq 0 ] && grep -qF '&lt;script&gt;alert(1)&lt;/script&gt;' "$tmp/diff-dom.html" && ok ||
    bad "the diff page's DOM holds a <script> element, or not the hostile name as text"

# 5. The forms on paper (LibreOffice): the 自评表's 填表说明 on its first
# page with its last sentence whole, the 考核项目 and 评分标准 wrapped (the
# end of a long 评分标准 is printed, not clipped at the cell's edge); the
# blank 复核登记表's header on one page (not repeated over 200 empty rows)
# (the forms written and printed above: xpdf/self.pdf, xpdf/reg.pdf)
pdftotext -layout -f 1 -l 1 "$tmp/xpdf/self.pdf" - 2>/dev/null | tr -d ' \n' |
    grep -qF '5.填好后直接保存为.xlsx（Excel、WPS、LibreOffice均可），打印、签字盖章后连同电子表格一并报送。' && ok ||
    bad "the 自评表's 填表说明 does not print whole on its first page"
pdftotext -layout "$tmp/xpdf/self.pdf" - 2>/dev/null | grep -qF '未调整的不得分' && ok ||
    bad "the 自评表's 评分标准 of 1.1 is cut off on paper (not wrapped)"
nreg=$(pdftotext -layout "$tmp/xpdf/reg.pdf" - 2>/dev/null | grep -c '核定分 *理由 *依据（文号）')
[ "$nreg" -eq 1 ] && ok || bad "the blank 复核登记表 prints its header on $nreg pages, expected 1"

echo "clients: $passes passed, $fails failed (LibreOffice: $nsheets sheets, ${xpages17:-no} pages, 2018 with 自评分 and appeals ${xpages:-no}; Chromium: $pages pages, 2018 $pages18, diff $dpages)"
[ "$fails" -eq 0 ]
