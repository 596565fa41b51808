#!/bin/sh
# tools/make-form-fixtures.sh - remake the filled forms of the cases
# tests/cases/self-xlsx-* and adjust-xlsx-*: `lawscore template --self`
# (--adjustments) writes the form, LibreOffice (headless) types the entries
# in with tests/template/FillSelf.xba (FillRows.xba) and saves it as .xlsx,
# as an office would.  The example's forms hold examples/dongfeng-2018's
# self.csv and adjustments.yaml (the cases prove they score the same); the
# others hold the bad fills whose diagnostics the cases pin.  Also the
# register as LibreOffice converts a CSV whose date is a plain number
# (Excel's serial date in a General cell).  Needs
# soffice (libreoffice-calc-nogui) and a built lawscore (BIN, default
# build/lawscore).
set -eu
cd "$(dirname "$0")/.."
BIN=${BIN:-build/lawscore}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
lo="soffice -env:UserInstallation=file://$tmp/profile --headless"
# a first run creates the private profile, where the macro goes
$BIN template tests/cases/_base/scheme.yaml --self -o "$tmp/init.xlsx" >/dev/null
$lo --convert-to csv --outdir "$tmp" "$tmp/init.xlsx" >/dev/null 2>&1
cp tests/template/FillSelf.xba "$tmp/profile/user/basic/Standard/Module1.xba"
# fill SCHEME FILL OUT: the form of SCHEME, filled from FILL (单位编号,序号,自评分,说明)
fill() {
    $BIN template "$1" --self -o "$tmp/form.xlsx" >/dev/null
    rm -f "$tmp/filled.xlsx"
    LS_TEMPLATE="$tmp/form.xlsx" LS_FILL="$2" LS_OUT="$tmp/filled.xlsx" timeout 180 $lo "macro:///Standard.Module1.FillSelf" >/dev/null 2>&1
    [ -s "$tmp/filled.xlsx" ] || { echo "LibreOffice did not write $3" >&2; exit 1; }
    cp "$tmp/filled.xlsx" "$3"
}
tr -d '\r' < examples/dongfeng-2018/self.csv | sed 1d | awk -F, '{print $1 "," $3 "," $6 "," $7}' > "$tmp/ex.csv"
fill examples/dongfeng-2018/scheme.yaml "$tmp/ex.csv" tests/cases/self-xlsx-form/自评表.xlsx
base=tests/cases/_base/scheme.yaml
printf 'sfj,1.1,10.5,\nsfj,1.2,30,\nsfj,2.1,60,\n' > "$tmp/above.csv"
fill $base "$tmp/above.csv" tests/cases/self-xlsx-above-points/form.xlsx
printf 'sfj,1.1,满分,\nsfj,1.2,30,\nsfj,2.1,60,\n' > "$tmp/text.csv"
fill $base "$tmp/text.csv" tests/cases/self-xlsx-text-score/form.xlsx
printf 'sfj,1.1,10,\nsfj,1.2,30,\nsfj,2.1,60,\nsfj,3.1,5,新增工作\n' > "$tmp/row.csv"
fill $base "$tmp/row.csv" tests/cases/self-xlsx-unknown-row/form.xlsx
printf 'sfj,1.1,10,\nsfj,2.1,60,\n' > "$tmp/part.csv"
fill $base "$tmp/part.csv" tests/cases/self-xlsx-items-left-out/form.xlsx
# register SCHEME FILL OUT: the register of SCHEME, filled from FILL
register() {
    $BIN template "$1" --adjustments -o "$tmp/reg.xlsx" >/dev/null
    cp tests/template/FillRows.xba "$tmp/profile/user/basic/Standard/Module1.xba"
    rm -f "$tmp/filled.xlsx"
    LS_TEMPLATE="$tmp/reg.xlsx" LS_SHEET=复核决定 LS_FILL="$2" LS_OUT="$tmp/filled.xlsx" timeout 180 $lo "macro:///Standard.Module1.FillRows" >/dev/null 2>&1
    [ -s "$tmp/filled.xlsx" ] || { echo "LibreOffice did not write $3" >&2; exit 1; }
    cp "$tmp/filled.xlsx" "$3"
}
r1='nlj,数据更正,late_reports,,3,2,,经核对报送记录，3月份法治政府建设信息已按时报送，系统记录有误,东法考〔2018〕3号,区法治政府建设考核办'
r2='nlj,数据更正,missed_reports,,1,0,,第三季度统计报表已随季报一并报送，不属漏报,东法考〔2018〕3号,区法治政府建设考核办'
r3='cgj,评分决定,,4.5,,,1,评查不合格的2卷中1卷系区住建局移送案件，执法文书由移送机关制作，酌情核定得1分,东法考〔2018〕5号,区法治政府建设考核办'
printf '%s,2019-01-18\n%s,2019-01-18\n%s,2019-01-22\n' "$r1" "$r2" "$r3" > "$tmp/ex-reg.csv"
register examples/dongfeng-2018/scheme.yaml "$tmp/ex-reg.csv" tests/cases/adjust-xlsx-register/复核登记表.xlsx
printf 'sfj,数据更正,late_reports,,2,0,,已按时报送,1号,考核办,2018-01-10\nxfj,评分决定,,1.2,,,35,酌情给分,2号,考核办,2018-01-12\n' > "$tmp/bad-reg.csv"
register tests/cases/_base/scheme.yaml "$tmp/bad-reg.csv" tests/cases/adjust-xlsx-bad/register.xlsx
# a date typed as a number: LibreOffice reads the CSV's 43483 as a plain number
printf '单位编号,类型,指标,序号,原值,新值,核定分,理由,依据（文号）,决定人（单位）,日期\n%s,43483\n%s,43483\n' "$r1" "$r2" > "$tmp/serial.csv"
$lo --infilter=CSV:44,34,76,1 --convert-to xlsx --outdir "$tmp" "$tmp/serial.csv" >/dev/null 2>&1
cp "$tmp/serial.xlsx" tests/cases/adjust-xlsx-serial-date/register.xlsx
echo "fixtures written"
