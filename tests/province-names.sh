#!/bin/sh
# tests/province-names.sh - the workbook's lists of units stay short in a
# province (docs/output.md): 主要失分项目's 失分单位 and 缺报汇总's 缺报单位
# name at most 50 units (LS_LAYOUT_MAX_NAMES), then "等N个单位".
#
# A province just large enough: tests/bench/gen.awk cycles the
# dongfeng-2017 example to 60 units (54 of them 区直部门, so that an item
# on which every 部门 loses points has 54 names to cut).  `lawscore run
# --formats csv,xlsx` writes both; the workbook's sheets are read back
# (unzip) and checked against what other outputs say:
#
#   主要失分项目: every row ending in 等N个单位 names exactly 50 units,
#   N is its 失分单位数 and more than 50, and the names are the first 50
#   of the group's units in results.csv's (rank) order whose 考核分 in
#   items.csv is below the item's 分值; at least one such row.
#   缺报汇总: every row ending in 等N个单位 names exactly 50 units, N is
#   its 缺报单位数 and more than 50, and the names are the first 50 of
#   the group's units, in registry order, that `lawscore check` lists
#   with that indicator not given; at least one such row.
#
# Usage: tests/province-names.sh LAWSCORE (KEEP=1: keep the scratch
# directory, whose path is printed first).  Prints a FAIL line per failed
# check and "province-names: N passed, N failed"; exit 1 on failure.
set -u
cd "$(dirname "$0")/.." || exit 1
BIN=${1:-build/lawscore}
case "$BIN" in /*) ;; *) BIN="$PWD/$BIN" ;; esac
EX=examples/dongfeng-2017
W=$(mktemp -d)
trap "rm -rf \"$W\"" EXIT; [ -n "${KEEP:-}" ] && trap - EXIT && echo "$W"
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL province-names: $*"; }
done_() { echo "province-names: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }

P=$W/province
mkdir -p "$P"
cp -R "$EX/rules" "$P/"
sed 's/^units: units\.yaml/units: units.csv/' "$EX/scheme.yaml" >"$P/scheme.yaml"
awk -v n=60 -v out="$P" -f tests/bench/gen.awk \
    "$EX/units.yaml" "$EX/data/fazhiban.yaml" "$EX/data/departments.csv" || { bad "gen.awk"; done_; }
in="$P/scheme.yaml $P/fazhiban.yaml $P/departments.csv"
# shellcheck disable=SC2086
"$BIN" run $in -o "$W/out" --formats csv,xlsx -q 2>"$W/err" || { bad "run: $(cat "$W/err")"; done_; }
# shellcheck disable=SC2086
"$BIN" check $in >"$W/check" 2>"$W/err" || { bad "check: $(cat "$W/err")"; done_; }

# sheet NAME: the sheet's rows, one a line, its cells' texts or numbers
# separated by tabs (an empty cell an empty field); libxlsxwriter numbers
# the sheets' files in the workbook's order
sheet() {
    n=$(unzip -p "$W/out/results.xlsx" xl/workbook.xml | sed 's/<sheet /\n<sheet /g' |
        awk -v s="$1" '/^<sheet / { i++; if (index($0, "name=\"" s "\"")) print i }')
    [ -n "$n" ] || { echo "no sheet $1" >&2; return 1; }
    unzip -p "$W/out/results.xlsx" "xl/worksheets/sheet$n.xml" | sed 's/<row /\n<row /g' | awk '
        /^<row / {
            line = ""; k = split($0, c, "<c ")
            for (i = 2; i <= k; i++) {
                v = ""
                if (match(c[i], /<t[^>]*>[^<]*<\/t>/)) { v = substr(c[i], RSTART, RLENGTH); sub(/^<t[^>]*>/, "", v); sub(/<\/t>$/, "", v) }
                else if (match(c[i], /<v>[^<]*<\/v>/)) v = substr(c[i], RSTART + 3, RLENGTH - 7)
                line = line (i > 2 ? "\t" : "") v
            }
            print line
        }'
}

# cut_rows SHEETROWS COUNTCOL NAMESCOL: "group<TAB>key<TAB>count<TAB>
# names" for each row whose names end in 等N个单位 (key: the row's first
# cell; the group: the last heading row before it, "区直部门主要失分项目"
# or "区直部门（54个单位，其中…）")
cut_rows() {
    awk -F'\t' -v cc="$2" -v nc="$3" '
        $2 == "" { g = $1; sub(/主要失分项目$/, "", g); sub(/（.*/, "", g); next }
        $nc ~ /等[0-9]+个单位$/ { print g "\t" $1 "\t" $cc "\t" $nc }' "$1"
}

# check_cut GROUP KEY COUNT NAMES WANTFILE WHAT: NAMES (…等N个单位) names
# the 50 units of WANTFILE's first 50 lines, N = COUNT = WANTFILE's lines
check_cut() {
    names=${4%等*}
    n=${4##*等}
    n=${n%个单位}
    # (tr counts bytes, not characters: awk splits at 、)
    got=$(printf '%s\n' "$names" | awk '{ print split($0, f, "、") }')
    want=$(head -50 "$5" | awk '{ printf "%s、", $0 }')
    total=$(grep -c . "$5")
    if [ "$got" -ne 50 ]; then
        bad "$6 $2 ($1): $got units named before 等${n}个单位, expected 50"
    elif [ "$n" != "$3" ] || [ "$n" -le 50 ] || [ "$n" != "$total" ]; then
        bad "$6 $2 ($1): 等${n}个单位 with a count column of $3; the other outputs say $total"
    elif [ "$names、" != "$want" ]; then
        bad "$6 $2 ($1): the names are not the first 50 expected: $(printf '%s' "$names" | head -c 200)"
    else
        ok
    fi
}

# ---- 主要失分项目 -----------------------------------------------------------
sheet 主要失分项目 >"$W/losses" || bad "no sheet 主要失分项目"
cut_rows "$W/losses" 4 6 >"$W/losses-cut"
[ -s "$W/losses-cut" ] && ok || bad "no row of 主要失分项目 names more than 50 units (等N个单位)"
# items.csv's fields, quotes and all (a 评分标准 may hold a comma):
# unit id, 序号, 分值, 考核分
awk '
    function csv(line,    i, c, q, f, n) {
        n = 0; f = ""; q = 0
        for (i = 1; i <= length(line); i++) {
            c = substr(line, i, 1)
            if (q) { if (c == "\"") { if (substr(line, i + 1, 1) == "\"") { f = f c; i++ } else q = 0 } else f = f c }
            else if (c == "\"") q = 1
            else if (c == ",") { F[++n] = f; f = "" }
            else f = f c
        }
        F[++n] = f
        return n
    }
    NR > 1 { sub(/\r$/, ""); csv($0); print F[1] "\t" F[3] "\t" F[5] "\t" F[7] }' "$W/out/items.csv" >"$W/items"
while IFS="$(printf '\t')" read -r group item count names; do
    # the group's units in results.csv's order that lost points on the item
    tail -n +2 "$W/out/results.csv" | tr -d '\r' | awk -F, -v g="$group" '$1 == g { print $3 "," $4 }' >"$W/order"
    awk -F'\t' -v it="$item" '$2 == it && $4 ~ /^[0-9.]+$/ && $4 + 0 < $3 + 0 { lost[$1] = 1 }
        END { while ((getline l < ARGV[2]) > 0) { split(l, f, ","); if (f[1] in lost) print f[2] } }' \
        "$W/items" "$W/order" >"$W/want"
    check_cut "$group" "$item" "$count" "$names" "$W/want" 主要失分项目
done <"$W/losses-cut"

# ---- 缺报汇总 ---------------------------------------------------------------
sheet 缺报汇总 >"$W/missing" || bad "no sheet 缺报汇总"
cut_rows "$W/missing" 4 5 >"$W/missing-cut"
[ -s "$W/missing-cut" ] && ok || bad "no row of 缺报汇总 names more than 50 units (等N个单位)"
# check's list: "  u000001 单位000001" then "    not given: 名称=值, …"
awk '/^  u[0-9]+ / { name = $2; next }
     /^    not given: / { sub(/^    not given: /, ""); k = split($0, f, ", ")
                          for (i = 1; i <= k; i++) { sub(/=.*/, "", f[i]); print name "\t" f[i] } }' "$W/check" >"$W/notgiven"
while IFS="$(printf '\t')" read -r group ind count names; do
    tail -n +2 "$W/out/results.csv" | tr -d '\r' | awk -F, -v g="$group" '$1 == g { print $4 }' >"$W/members"
    # registry order (单位NNNNNN): check lists the units so
    awk -F'\t' -v i="$ind" 'FNR == NR { m[$0] = 1; next } $2 == i && ($1 in m) { print $1 }' \
        "$W/members" "$W/notgiven" >"$W/want"
    check_cut "$group" "$ind" "$count" "$names" "$W/want" 缺报汇总
done <"$W/missing-cut"
done_
