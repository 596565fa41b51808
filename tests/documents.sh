#!/bin/sh
# tests/documents.sh - what the office's documents carry besides the
# scores, read back from the files `lawscore run` writes (docs/output.md):
#
#   other warnings: a data warning that is about no value (a YAML data
#   file's full-width comma in [...]: `source: [区法制办， 区司法局]`) is
#   printed, and kept in results.json's "warnings" (kind "other", file,
#   line, column, the message in English), on the workbook's 说明 sheet
#   under 数据提示（请核实） (its position, no unit, the message) and in
#   report.html's 数据提示 section; under LANG=zh_CN.UTF-8 the warning is
#   printed in Chinese, and every output file is the same byte for byte.
#
#   自评对照: with --self, the workbook's sheet 自评对照 (right after the
#   通报) and report.html's section hold the title, the header 组别 单位
#   考核分 自评分 差值 说明 and a row per unit whose 考核分 and 自评分 are
#   results.json's total and self.total, 差值 the difference; without
#   --self, neither the sheet nor the section.
#
# Usage: tests/documents.sh LAWSCORE (KEEP=1: keep the scratch directory,
# whose path is printed first).  Prints a FAIL line per failed check and
# "documents: N passed, N failed"; exit 1 on failure.
set -u
cd "$(dirname "$0")/.." || exit 1
BIN=${1:-build/lawscore}
case "$BIN" in /*) ;; *) BIN="$PWD/$BIN" ;; esac
W=$(mktemp -d)
trap "rm -rf \"$W\"" EXIT; [ -n "${KEEP:-}" ] && trap - EXIT && echo "$W"
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL documents: $*"; }
done_() { echo "documents: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }
BASE=tests/cases/_base
SELF=tests/cases/run-self-adjust-base/self.csv

# check.py OUT MODE...: the checks on one output directory, one line
# "ok WHAT" or "FAIL WHAT: why" each
cat >"$W/check.py" <<'EOF'
import html, json, re, sys, zipfile

out, mode = sys.argv[1], sys.argv[2]
arg = sys.argv[3:]

def esc(t):
    """As report.html escapes text."""
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#39;")

def say(ok, what, why=""):
    print(("ok " + what) if ok else ("FAIL %s: %s" % (what, why)))

def sheets():
    """The workbook's sheets by name, in order: each a list of rows, a
    row the list of its cells' texts or numbers (an empty cell '')."""
    z = zipfile.ZipFile(out + "/results.xlsx")
    names = re.findall(r'<sheet name="([^"]*)"', z.read("xl/workbook.xml").decode())
    got = {}
    for i, n in enumerate(names, 1):
        xml = z.read("xl/worksheets/sheet%d.xml" % i).decode()
        rows = []
        for r in re.findall(r"<row [^>]*>(.*?)</row>", xml):
            cells = []
            for c in re.findall(r"<c [^>]*?(?:/>|>.*?</c>)", r):
                t = re.search(r"<t[^>]*>(.*?)</t>|<v>(.*?)</v>", c)
                cells.append(html.unescape((t.group(1) if t.group(1) is not None else t.group(2))) if t else "")
            rows.append(cells)
        got[html.unescape(n)] = rows
    return names, got

page = open(out + "/report.html", encoding="utf-8").read()
doc = json.load(open(out + "/results.json", encoding="utf-8"))
names, book = sheets()

if mode == "warning":
    path, line, col, msg = arg[0], int(arg[1]), int(arg[2]), arg[3]
    w = doc.get("warnings")
    want = [{"file": path, "line": line, "column": col, "unit": None, "indicator": None,
             "value": None, "kind": "other", "message": msg}]
    say(w == want, "results.json warnings", "found %r" % (w,))
    at = "%s:%d:%d" % (path, line, col)
    rows = book.get("说明", [])
    heads = [i for i, r in enumerate(rows) if r[:1] == ["数据提示（请核实）"]]
    say(len(heads) == 1 and heads[0] + 1 < len(rows) and rows[heads[0] + 1][:3] == [at, "", msg],
        "说明 sheet 数据提示", "rows %r" % (rows[heads[0]:heads[0] + 2] if heads else rows,))
    row = "<tr><td>%s</td><td></td><td>%s</td></tr>" % (esc(at), esc(msg))
    sec = page.split("<h2>数据提示（请核实）</h2>", 1)
    say(len(sec) == 2 and row in sec[1].split("</section>", 1)[0], "report.html 数据提示",
        "no %s in its section" % row)
elif mode == "self":
    title = "自评分与考核分对照（考核办内部使用，不随通报公布）"
    head = ["组别", "单位", "考核分", "自评分", "差值", "说明"]
    units = {u["name"]: u for u in doc["units"]}
    groups = {g["id"]: g["name"] for g in doc["groups"]} if "groups" in doc else {}
    rows = book.get("自评对照")
    say(rows is not None and names.index("自评对照") == names.index("通报") + 1, "自评对照 sheet after 通报",
        "sheets %r" % names)
    rows = rows or [[]]
    say(rows[0][:1] == [title] and rows[1] == head, "自评对照 title and header", "%r" % rows[:2])
    def num(v):
        return "%.2f" % float(v)
    for name in arg:
        u = units[name]
        want = [num(u["total"]), num(u["self"]["total"]), num(u["total"] - u["self"]["total"])]
        found = [r for r in rows[2:] if r[1:2] == [name]]
        say(len(found) == 1 and [num(v) for v in found[0][2:5]] == want and
            float(found[0][4]) == u["self"]["difference"], "自评对照 row of " + name,
            "want %r, found %r" % (want, found))
        cells = "".join('<td class="num">%s</td>' % v for v in want)
        say(re.search(r'<td class="name">%s</td>%s' % (re.escape(name), re.escape(cells)),
                      page.split('<section class="self">', 1)[-1].split("</section>", 1)[0]) is not None
            and '<section class="self">' in page, "report.html 自评对照 row of " + name, cells)
    sec = page.split('<section class="self">', 1)
    say(len(sec) == 2 and sec[1].startswith("\n<h2>%s</h2>" % title) and
        "<thead><tr>%s</tr>" % "".join("<th>%s</th>" % h for h in head) in sec[1].split("</section>", 1)[0],
        "report.html 自评对照 heading and header", sec[-1][:300])
elif mode == "no-self":
    say("自评对照" not in names, "no 自评对照 sheet without --self", "sheets %r" % names)
    say('class="self"' not in page and "自评分与考核分对照" not in page, "no 自评对照 section without --self")
EOF

# run OUT ARGS...: lawscore run into $W/OUT, every format, its messages
# in the language of $RUN_LANG (default C); its stderr in $W/OUT.err
run() {
    o=$1
    shift
    env -u LC_ALL -u LC_MESSAGES -u LANGUAGE LANG="${RUN_LANG:-C}" "$BIN" run "$@" -q -o "$W/$o" 2>"$W/$o.err" ||
        { bad "run $*: $(cat "$W/$o.err")"; return 1; }
}
# py OUT MODE ARGS...: check.py's lines counted
py() {
    python3 "$W/check.py" "$W/$@" >"$W/py.out" 2>&1 || { bad "check.py $*: $(cat "$W/py.out")"; return; }
    while IFS= read -r l; do
        case $l in ok\ *) ok ;; *) bad "${l#FAIL }" ;; esac
    done <"$W/py.out"
}

# ---- an other warning -------------------------------------------------------
# the scheme of _base, its data with two sources typed in a Chinese input
# method: one list item '区法制办， 区司法局', and the warning
{ echo 'source: [区法制办， 区司法局]'; grep -v '^#' $BASE/data.yaml; } >"$W/data.yaml"
msg="full-width comma '，' inside [...]: YAML separates list items with the half-width ','"
if run c $BASE/scheme.yaml "$W/data.yaml"; then
    if [ "$(cat "$W/c.err")" = "$W/data.yaml:1:14: warning: $msg" ]; then ok; else bad "stderr: $(cat "$W/c.err")"; fi
    py c warning "$W/data.yaml" 1 14 "$msg"
    RUN_LANG=zh_CN.UTF-8
    if run zh $BASE/scheme.yaml "$W/data.yaml"; then
        zmsg="$W/data.yaml:1:14: 警告: [...] 中有全角逗号“，”：YAML 用半角逗号 ',' 分隔列表项"
        if [ "$(cat "$W/zh.err")" = "$zmsg" ]; then ok; else bad "zh stderr: $(cat "$W/zh.err")"; fi
        for f in results.json results.xlsx report.html results.csv items.csv; do
            if cmp -s "$W/c/$f" "$W/zh/$f"; then ok; else bad "$f differs under LANG=zh_CN.UTF-8"; fi
        done
    fi
    RUN_LANG=
fi

# ---- 自评对照 -------------------------------------------------------------
if run self $BASE/scheme.yaml $BASE/data.yaml --self $SELF; then
    py self self 区司法局 区信访局
fi
if run plain $BASE/scheme.yaml $BASE/data.yaml; then
    py plain no-self
fi
done_
