#!/bin/sh
# tools/make-input-fixtures.sh - remake the example's indicator data in the
# formats offices send (the fixtures of tests/cases/input-*): .xlsx and .xls
# saved by LibreOffice from examples/dongfeng-2017/data/departments.csv,
# the same CSV in GB18030 (Excel's "CSV" on Chinese Windows) and in UTF-16
# with tabs (Excel's "Unicode text"); and the .xlsx and .xls again with the
# title an office puts above the header, merged across the first cells
# (tools/TitleRow.xba: tests/cases/input-xlsx-title, input-xls-title), and
# with a row of category names above the header (input-xlsx-two-header-rows).
# Needs soffice (libreoffice-calc-nogui) and iconv.  The cases check that every one scores exactly like the CSV.
set -eu
cd "$(dirname "$0")/.."
src=examples/dongfeng-2017/data/departments.csv
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$src" "$tmp/departments.csv"
lo="soffice -env:UserInstallation=file://$tmp/profile --headless --infilter=CSV:44,34,76,1"
$lo --convert-to xlsx --outdir "$tmp" "$tmp/departments.csv" >/dev/null 2>&1
$lo --convert-to 'xls:MS Excel 97' --outdir "$tmp" "$tmp/departments.csv" >/dev/null 2>&1
cp "$tmp/departments.xlsx" tests/cases/input-xlsx/departments.xlsx
cp "$tmp/departments.xls" tests/cases/input-xls/departments.xls
# a title row above the header, merged: LibreOffice makes its profile on a
# first start; the macro then goes in as its Standard.Module1
$lo --convert-to csv --outdir "$tmp/p" "$tmp/departments.xlsx" >/dev/null 2>&1
cp tools/TitleRow.xba "$tmp/profile/user/basic/Standard/Module1.xba"
soffice -env:UserInstallation=file://$tmp/profile --headless \
    "macro:///Standard.Module1.TitleRow(\"$tmp/departments.xlsx\",\"佳木斯市东风区2017年度法治政府建设考核数据（各单位自报）\",\"$tmp/titled\")" >/dev/null 2>&1
soffice -env:UserInstallation=file://$tmp/profile --headless \
    "macro:///Standard.Module1.CategoryRow(\"$tmp/departments.xlsx\",\"$tmp/categories.xlsx\")" >/dev/null 2>&1
mkdir -p tests/cases/input-xlsx-title tests/cases/input-xls-title tests/cases/input-xlsx-two-header-rows
cp "$tmp/categories.xlsx" tests/cases/input-xlsx-two-header-rows/departments.xlsx
cp "$tmp/titled.xlsx" tests/cases/input-xlsx-title/departments.xlsx
cp "$tmp/titled.xls" tests/cases/input-xls-title/departments.xls
iconv -f UTF-8 -t GB18030 "$src" > tests/cases/input-gbk/departments.csv
tr ',' '\t' < "$src" | iconv -f UTF-8 -t UTF-16 > tests/cases/input-utf16/departments.txt
echo "fixtures written"
