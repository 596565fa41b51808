#!/bin/sh
# tools/make-input-fixtures.sh - remake the example's indicator data in the
# formats offices send (the fixtures of tests/cases/input-*): .xlsx and .xls
# saved by LibreOffice from examples/dongfeng-2017/data/departments.csv,
# the same CSV in GB18030 (Excel's "CSV" on Chinese Windows) and in UTF-16
# with tabs (Excel's "Unicode text").  Needs soffice (libreoffice-calc-nogui)
# and iconv.  The cases check that every one scores exactly like the CSV.
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
iconv -f UTF-8 -t GB18030 "$src" > tests/cases/input-gbk/departments.csv
tr ',' '\t' < "$src" | iconv -f UTF-8 -t UTF-16 > tests/cases/input-utf16/departments.txt
echo "fixtures written"
