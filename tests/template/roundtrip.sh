#!/bin/sh
# tests/template/roundtrip.sh - the data-collection workbook, end to end:
# `lawscore template` writes the example's workbook for the source 各单位自报;
# LibreOffice (headless) opens it, types in the values of the example's
# departments.csv (tests/template/filled.csv: the same rows under the
# workbook's own column headers) with a Basic macro (Fill.xba), and saves
# it as .xlsx; `lawscore run` scores the saved workbook, and the results
# must be byte for byte those of the example's CSV.  Also: the template is
# the same bytes when written twice.
# The self-assessment form the same way: `lawscore template --self` for the
# 2018 example, the example's self.csv typed in by FillSelf.xba, and
# `lawscore run --self` on the saved form must give the results of
# `--self self.csv`, byte for byte; and the 自评总分 the form's formulas
# give in LibreOffice must be the 自评分 lawscore sums (results.csv).
# The register of appeals likewise: `template --adjustments`, the example's
# two decisions typed in by FillRows.xba, and `run --adjustments` on it must
# give the results of adjustments.yaml.  LibreOffice starts three times (a
# start costs more than a fill): once to make its private profile, once
# for the three macros, which take their files as arguments, once to show
# the filled form's sheets as CSV.  Prints "template: N passed, N
# failed".
set -u
cd "$(dirname "$0")/../.." || exit 1
BIN=${1:-build/lawscore}
ex=examples/dongfeng-2017
pass=0
fail=0
check() { if [ "$1" = 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL template: $2"; fi; }
if ! command -v soffice >/dev/null 2>&1; then
    echo "FAIL template: soffice (libreoffice-calc-nogui) is not installed: sh tools/deps.sh"
    echo "template: 0 passed, 1 failed"
    exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
e18=examples/dongfeng-2018
# the three workbooks, each written twice
$BIN template $ex/scheme.yaml --source 各单位自报 -o "$tmp/t.xlsx" >/dev/null
check $? "lawscore template failed"
$BIN template $ex/scheme.yaml --source 各单位自报 -o "$tmp/t2.xlsx" >/dev/null
cmp -s "$tmp/t.xlsx" "$tmp/t2.xlsx"
check $? "two runs of lawscore template differ"
$BIN template $e18/scheme.yaml --self -o "$tmp/self.xlsx" >/dev/null
check $? "lawscore template --self failed"
$BIN template $e18/scheme.yaml --self -o "$tmp/self2.xlsx" >/dev/null
cmp -s "$tmp/self.xlsx" "$tmp/self2.xlsx"
check $? "two runs of lawscore template --self differ"
$BIN template $e18/scheme.yaml --adjustments -o "$tmp/reg.xlsx" >/dev/null
check $? "lawscore template --adjustments failed"
$BIN template $e18/scheme.yaml --adjustments -o "$tmp/reg2.xlsx" >/dev/null
cmp -s "$tmp/reg.xlsx" "$tmp/reg2.xlsx"
check $? "two runs of lawscore template --adjustments differ"
# what the macros type in
tr -d '\r' < $e18/self.csv | sed 1d | awk -F, '{print $1 "," $3 "," $6 "," $7}' > "$tmp/self-fill.csv"
cat > "$tmp/reg-fill.csv" <<EOF
nlj,数据更正,late_reports,,3,2,,经核对报送记录，3月份法治政府建设信息已按时报送，系统记录有误,东法考〔2018〕3号,区法治政府建设考核办,2019-01-18
nlj,数据更正,missed_reports,,1,0,,第三季度统计报表已随季报一并报送，不属漏报,东法考〔2018〕3号,区法治政府建设考核办,2019-01-18
cgj,评分决定,,4.5,,,1,评查不合格的2卷中1卷系区住建局移送案件，执法文书由移送机关制作，酌情核定得1分,东法考〔2018〕5号,区法治政府建设考核办,2019-01-22
EOF

# A private LibreOffice profile, made by a first start (LibreOffice
# replaces a basic/ folder it did not write itself), then the three macros
# (Fill.xba, FillSelf.xba, FillRows.xba) as its Standard.Module1, run one
# after the other in one start, their arguments in the macro URLs: a
# start costs more than a fill.
lo="soffice -env:UserInstallation=file://$tmp/profile --headless"
timeout -k 10 120 $lo --convert-to csv --outdir "$tmp" "$tmp/t.xlsx" >/dev/null 2>&1
{
    sed -n '1,2p' tests/template/Fill.xba
    echo '<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">'
    for m in Fill FillSelf FillRows; do
        sed -e 's|^<script:module [^>]*>||' -e '/^<?xml /d' -e '/^<!DOCTYPE /d' -e 's|</script:module>||' tests/template/$m.xba
    done
    echo '</script:module>'
} > "$tmp/profile/user/basic/Standard/Module1.xba"
m=macro:///Standard.Module1
timeout -k 10 480 $lo "$m.Fill(\"$tmp/t.xlsx\",\"各单位自报\",\"$PWD/tests/template/filled.csv\",\"$tmp/filled.xlsx\")" \
    "$m.FillSelf(\"$tmp/self.xlsx\",\"$tmp/self-fill.csv\",\"$tmp/self-filled.xlsx\")" \
    "$m.FillRows(\"$tmp/reg.xlsx\",\"复核决定\",\"$tmp/reg-fill.csv\",\"$tmp/reg-filled.xlsx\")" >/dev/null 2>&1

# the data-collection workbook
[ -s "$tmp/filled.xlsx" ]
check $? "LibreOffice did not save the filled workbook"
$BIN run $ex/scheme.yaml $ex/data/fazhiban.yaml $ex/data/departments.csv -q -o "$tmp/ref" >/dev/null 2>&1
$BIN run $ex/scheme.yaml $ex/data/fazhiban.yaml "$tmp/filled.xlsx" -q -o "$tmp/got" >/dev/null 2>"$tmp/stderr"
check $? "lawscore run on the filled workbook failed: $(head -5 "$tmp/stderr")"
for f in results.csv items.csv; do
    cmp -s "$tmp/ref/$f" "$tmp/got/$f"
    check $? "$f from the filled workbook differs from the CSV's:
$(diff "$tmp/ref/$f" "$tmp/got/$f" 2>&1 | head -10)"
done

# the self-assessment form
ex=$e18
[ -s "$tmp/self-filled.xlsx" ]
check $? "LibreOffice did not save the filled self-assessment form"
data="$ex/data/fazhiban.yaml $ex/data/departments.csv"
$BIN run $ex/scheme.yaml $data --self $ex/self.csv --formats csv -q -o "$tmp/sref" >/dev/null 2>&1
$BIN run $ex/scheme.yaml $data --self "$tmp/self-filled.xlsx" --formats csv -q -o "$tmp/sgot" >/dev/null 2>"$tmp/stderr"
check $? "lawscore run --self on the filled form failed: $(head -5 "$tmp/stderr")"
for f in results.csv items.csv; do
    cmp -s "$tmp/sref/$f" "$tmp/sgot/$f"
    check $? "$f with the filled self-assessment form differs from self.csv's:
$(diff "$tmp/sref/$f" "$tmp/sgot/$f" 2>&1 | head -10)"
done
# the form's own totals: each sheet as CSV (as shown), 自评总分 against
# results.csv's 自评分 column
mkdir "$tmp/sheets"
(cd "$tmp/sheets" && cp "$tmp/self-filled.xlsx" f.xlsx &&
    timeout -k 10 120 $lo --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1' \
        f.xlsx >/dev/null 2>&1)
col=$(head -1 "$tmp/sgot/results.csv" | tr ',' '\n' | grep -n '^自评分$' | cut -d: -f1)
totals_ok=0
for u in $(cut -d, -f1 "$tmp/self-fill.csv" | sort -u); do
    want=$(awk -F, -v u="$u" -v c="$col" '$3 == u { print $c }' "$tmp/sgot/results.csv")
    got=$(grep -l "^$u," "$tmp"/sheets/f-*.csv | grep -v 填表说明 | head -1 | xargs awk -F, '$4 == "自评总分" { print $7 }')
    if [ -z "$want" ] || [ "$want" != "$got" ]; then
        totals_ok=1
        echo "unit $u: 自评总分 in the form is '$got', lawscore's 自评分 '$want'"
    fi
done
check $totals_ok "the self-assessment form's formulas disagree with lawscore's self totals"

# the register of appeals
[ -s "$tmp/reg-filled.xlsx" ]
check $? "LibreOffice did not save the filled register"
$BIN run $ex/scheme.yaml $data --adjustments $ex/adjustments.yaml --formats csv -q -o "$tmp/aref" >/dev/null 2>&1
$BIN run $ex/scheme.yaml $data --adjustments "$tmp/reg-filled.xlsx" --formats csv -q -o "$tmp/agot" >/dev/null 2>"$tmp/stderr"
check $? "lawscore run --adjustments on the filled register failed: $(head -5 "$tmp/stderr")"
for f in results.csv items.csv; do
    cmp -s "$tmp/aref/$f" "$tmp/agot/$f"
    check $? "$f with the filled register differs from adjustments.yaml's:
$(diff "$tmp/aref/$f" "$tmp/agot/$f" 2>&1 | head -10)"
done
echo "template: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
