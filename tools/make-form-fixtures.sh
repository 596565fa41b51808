#!/bin/sh
# tools/make-form-fixtures.sh - remake the filled self-assessment forms of
# tests/cases/self-xlsx-*: `lawscore template --self` writes the form,
# LibreOffice (headless) types the scores in with tests/template/FillSelf.xba
# and saves it as .xlsx, as a unit would.  The example's form holds
# examples/dongfeng-2018/self.csv (the case proves it scores as the CSV);
# the others hold the bad fills whose diagnostics the cases pin.  Needs
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
echo "fixtures written"
