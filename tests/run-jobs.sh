#!/bin/sh
# tests/run-jobs.sh - results are the same, byte for byte, for any --jobs.
#
#   sh tests/run-jobs.sh path/to/lawscore
#
# Runs `run`, `check` and `explain --format json` with 1, 2 and 3 scoring
# threads on the example (20 units) and on a generated province of
# JOBS_N units (default 600, ten chunks of 64 units for the threads to
# share; tests/bench/gen.awk with vary=1, so that the
# rank-scored item 7.3 学法用法考试 ranks units across the province, with
# ties) and compares every output byte for byte with the one-thread run
# (the example's four files; the province's CSV and JSON).
# Also runs a rule near the memory cap on the cases' two units (memcap).
# Also runs a province past a spreadsheet's rows with CSV alone (its
# default form: compact, zstd-compressed; JOBS_BIG=0 leaves it out).
# Also checks that the province's ranks of item 7.3 follow the exam
# averages (a rank-based item scored right with threads, not only the
# same wrong way).  Prints one line per comparison that differs, then
# "jobs: N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 1
BIN=${1:-build/lawscore}
case "$BIN" in /*) ;; *) BIN="$PWD/$BIN" ;; esac
N=${JOBS_N:-600}
EX=examples/dongfeng-2017
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL jobs: $*"; }

P=$W/province
mkdir -p "$P"
cp -R "$EX/rules" "$P/"
sed 's/^units: units\.yaml/units: units.csv/' "$EX/scheme.yaml" >"$P/scheme.yaml"
awk -v n="$N" -v out="$P" -v vary=1 -f tests/bench/gen.awk \
    "$EX/units.yaml" "$EX/data/fazhiban.yaml" "$EX/data/departments.csv" || { bad "gen.awk"; exit 1; }

# compare NAME SCHEME DATA...: run/check/explain at -j1, -j2, -j3; run
# writes $FORMATS (the example: all four, compared; the province: CSV and
# JSON, as its workbook and report at 600 units cost three times the rest
# of the run, and are written from the same results by the same code)
compare() {
    name=$1; shift
    for j in 1 2 3; do
        d=$W/$name-j$j
        mkdir -p "$d"
        "$BIN" run -j "$j" --formats "$FORMATS" -o "$d/out" "$@" >"$d/run.out" 2>"$d/run.err"
        echo $? >"$d/run.status"
        "$BIN" check -j "$j" "$@" >"$d/check.out" 2>"$d/check.err"
        echo $? >"$d/check.status"
        "$BIN" explain -j "$j" --format json --unit "$UNIT" "$@" >"$d/explain.out" 2>"$d/explain.err"
        echo $? >"$d/explain.status"
    done
    [ "$(cat "$W/$name-j1/run.status")" = 0 ] && [ -s "$W/$name-j1/out/results.json" ] ||
        bad "$name: the one-thread run failed: $(head -n 3 "$W/$name-j1/run.err")"
    for j in 2 3; do
        files="out/results.csv out/items.csv out/results.json"
        case $FORMATS in *xlsx*) files="$files out/results.xlsx out/report.html" ;; esac
        for f in $files run.out run.err run.status \
                 check.out check.err check.status explain.out explain.err explain.status; do
            if cmp -s "$W/$name-j1/$f" "$W/$name-j$j/$f"; then ok
            else bad "$name: $f with --jobs $j differs from --jobs 1: $(cmp "$W/$name-j1/$f" "$W/$name-j$j/$f" 2>&1 | head -n 1)"
            fi
        done
    done
}

FORMATS=csv,json,xlsx,html UNIT=sfj compare example "$EX/scheme.yaml" "$EX/data/fazhiban.yaml" "$EX/data/departments.csv"
FORMATS=csv,json UNIT=u000007 compare province "$P/scheme.yaml" "$P/fazhiban.yaml" "$P/departments.csv"

# The memory cap: sfj's call fills the helpers' memo of number texts in its
# state; xfj's call keeps about 7.5 MB alive under an 8 MB cap.  With the
# whole state counted, xfj failed with one thread (scored after sfj in
# the same state) and passed with two (a state of its own).
M=$W/memcap
mkdir -p "$M/rules"
cp tests/cases/_base/scheme.yaml tests/cases/_base/data.yaml "$M/"
cp tests/cases/_base/rules/*.lua "$M/rules/"
cat >"$M/rules/late.lua" <<'LUA'
if unit.id == "sfj" then
    for i = 1, 4096 do
        fmt(i + 0.5)
    end
    return 10, "memo"
end
local p = string.rep("x", 1 << 19)
local t = {}
for i = 1, 14 do
    t[i] = p .. i
end
t[15] = p:sub(1, 40000)
return 10, "big"
LUA
FORMATS=csv,json UNIT=xfj compare memcap "$M/scheme.yaml" "$M/data.yaml" --max-memory-mb 8 --max-instructions 20000000

# The compact items.csv (--items compact), gzip-compressed (--gzip),
# written while the units are scored like the score sheet form: the same
# bytes for any N.
for j in 1 3; do
    "$BIN" run -j "$j" -q --formats csv --items compact --gzip -o "$W/compact-j$j" \
        "$P/scheme.yaml" "$P/fazhiban.yaml" "$P/departments.csv" 2>/dev/null ||
        bad "province: run --items compact --gzip -j $j failed"
done
for f in items.csv.gz values.csv.gz scheme-items.csv results.csv; do
    if [ -s "$W/compact-j1/$f" ] && cmp -s "$W/compact-j1/$f" "$W/compact-j3/$f"; then ok
    else bad "province: --items compact --gzip: $f with --jobs 3 differs from --jobs 1 (or is missing)"
    fi
done
# the same with zstd (--zstd)
for j in 1 3; do
    "$BIN" run -j "$j" -q --formats csv --items compact --zstd -o "$W/zstd-j$j" \
        "$P/scheme.yaml" "$P/fazhiban.yaml" "$P/departments.csv" 2>/dev/null ||
        bad "province: run --items compact --zstd -j $j failed"
done
for f in items.csv.zst values.csv.zst; do
    if [ -s "$W/zstd-j1/$f" ] && cmp -s "$W/zstd-j1/$f" "$W/zstd-j3/$f"; then ok
    else bad "province: --items compact --zstd: $f with --jobs 3 differs from --jobs 1 (or is missing)"
    fi
done

# Past a spreadsheet's rows (21,400 units of 49 nodes: 1,048,600 rows)
# with CSV alone: items.csv compact and zstd-compressed, values.csv.zst
# beside it, and the note that says so; the files decompress to what
# --items compact writes uncompressed.
if [ "${JOBS_BIG:-1}" = 1 ]; then
    B=$W/big
    mkdir -p "$B"
    cp -R "$EX/rules" "$B/"
    cp "$P/scheme.yaml" "$B/"
    awk -v n=21400 -v out="$B" -f tests/bench/gen.awk \
        "$EX/units.yaml" "$EX/data/fazhiban.yaml" "$EX/data/departments.csv" || bad "gen.awk (21,400 units)"
    "$BIN" run -j 2 -q --formats csv -o "$W/big-auto" "$B/scheme.yaml" "$B/fazhiban.yaml" "$B/departments.csv" \
        2>"$W/big-auto.err" || bad "big: run --formats csv failed: $(head -n 3 "$W/big-auto.err")"
    "$BIN" run -j 2 -q --formats csv --items compact -o "$W/big-plain" \
        "$B/scheme.yaml" "$B/fazhiban.yaml" "$B/departments.csv" 2>/dev/null ||
        bad "big: run --formats csv --items compact failed"
    want="lawscore: note: items.csv: 1048600 rows, more than a spreadsheet opens (1048576): written compact and compressed, as items.csv.zst, with the scores and reasons by 单位编号 and 序号 (the items' names, points and criteria once in scheme-items.csv, the indicator values a row a unit in values.csv.zst; zstdcat or pandas reads them as they are); --items sheet writes the score sheet form, --items compact without compression"
    if [ "$(cat "$W/big-auto.err")" = "$want" ]; then ok
    else bad "big: the note differs: $(cat "$W/big-auto.err")"
    fi
    if [ "$(cd "$W/big-auto" && echo *)" = "items.csv.zst results.csv scheme-items.csv values.csv.zst" ]; then ok
    else bad "big: files written: $(cd "$W/big-auto" && echo *)"
    fi
    for f in items.csv values.csv; do
        if [ -s "$W/big-plain/$f" ] && zstd -dc "$W/big-auto/$f.zst" | cmp -s - "$W/big-plain/$f"; then ok
        else bad "big: $f.zst does not decompress to --items compact's $f"
        fi
    done
fi

# Item 7.3 scores by rank of exam_avg within the group: 3, 2.8, 2.6, 2.4,
# 2.2 for ranks 1-5, 2 for 6-10, else 1.5.  Recompute the ranks from the
# data and check items.csv of the three-thread run.
awk -F, -v items="$W/province-j3/out/items.csv" '
    FNR == 1 { file++ }
    file == 1 && FNR > 1 { group[$1] = $3; next }
    file == 2 && /^  u[0-9]+:/ { u = $1; sub(/:.*/, "", u); next }
    file == 2 && /^    exam_avg:/ { val[u] = $2 + 0; next }
    END {
        for (a in val) { r = 1; for (b in val) if (group[b] == group[a] && val[b] > val[a]) r++; rank[a] = r }
        split("3.00 2.80 2.60 2.40 2.20 2.00 2.00 2.00 2.00 2.00", pts, " ")
        n = 0; bad = 0
        while ((getline line < items) > 0) {
            if (line !~ /,7\.3,/) continue
            split(line, f, ","); u = f[1]; sub(/^\xef\xbb\xbf/, "", u)
            if (!(u in val)) continue
            want = rank[u] <= 10 ? pts[rank[u]] : "1.50"
            if (index(line, "," want ",") == 0) { if (bad++ < 3) print "unit " u " rank " rank[u] ": " line }
            n++
        }
        if (n < 100) { print "only " n " rows of item 7.3 found"; bad++ }
        exit bad > 0
    }' FS=, "$P/units.csv" FS=' ' "$P/fazhiban.yaml" >"$W/rank.out" 2>&1
if [ $? = 0 ]; then ok; else bad "province: item 7.3 does not follow the exam ranks: $(head -n 3 "$W/rank.out")"; fi

echo "jobs: $pass passed, $fail failed"
[ "$fail" = 0 ]
