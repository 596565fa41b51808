#!/usr/bin/env python3
"""tests/bench/peer_python.py - the work of `lawscore run` on make bench's
synthetic province, as a plain Python program would do it (make bench-peers).

    python3 peer_python.py DIR OUT

DIR holds scheme.yaml, units.csv, fazhiban.yaml, departments.csv (see
gen.awk); OUT gets results.csv (one row a unit: group, rank, id, name,
total, grade) and results.json (every item score of every unit).  PyYAML
(its C loader when there is one), decimal, csv and json only.  The items
are scored by a port of the example's rules (rules/*.lua with the helper
library's arithmetic, without the reasons' text): the same numbers, not the
same words.  Prints "python <seconds>" (wall, whole program).
"""
import csv
import json
import os
import sys
import time
from decimal import Decimal, ROUND_HALF_UP, ROUND_CEILING

import yaml

T0 = time.monotonic()
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
EPS = 1e-9
D2 = Decimal("0.01")


def rnd(x):
    return Decimal(repr(float(x))).quantize(D2, rounding=ROUND_HALF_UP)


def load(d):
    s = yaml.load(open(os.path.join(d, "scheme.yaml"), encoding="utf-8"), Loader=Loader)
    inds = {i["id"]: i for i in s["indicators"]}
    by_name = {i["name"]: i["id"] for i in s["indicators"]}
    units = []
    with open(os.path.join(d, "units.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            units.append({"id": row["id"], "name": row["name"], "group": row["group"],
                          "flags": set(x for x in row["flags"].split(";") if x)})
    data = {u["id"]: {} for u in units}
    y = yaml.load(open(os.path.join(d, "fazhiban.yaml"), encoding="utf-8"), Loader=Loader)
    for uid, vals in (y.get("units") or {}).items():
        data[uid].update(vals or {})
    with open(os.path.join(d, "departments.csv"), encoding="utf-8", newline="") as f:
        r = csv.reader(f)
        head = next(r)
        cols = [by_name.get(h, h) for h in head]
        for row in r:
            uid = row[0]
            for k, v in zip(cols[2:], row[2:]):
                if v == "" or k not in inds:
                    continue
                t = inds[k]["type"]
                if t == "boolean":
                    v = v in ("是", "true", "1", "yes")
                elif t == "percent":
                    v = float(v.rstrip("%"))
                elif t in ("integer", "number"):
                    v = float(v)
                data[uid][k] = v
    for uid, vals in data.items():
        for k, i in inds.items():
            if k not in vals and "default" in i:
                vals[k] = i["default"]
    return s, units, data


def leaves(items, section, cond, out):
    for it in items:
        c = dict(cond)
        for k in ("only_if", "unless", "groups"):
            if k in it:
                c[k] = it[k]
        if "items" in it:
            leaves(it["items"], section, c, out)
        else:
            out.append((section, it, c))


def applies(c, u):
    if "groups" in c and u["group"] not in c["groups"]:
        return False
    if "only_if" in c:
        req = c["only_if"] if isinstance(c["only_if"], list) else [c["only_if"]]
        if not all(f in u["flags"] for f in req):
            return False
    if "unless" in c:
        req = c["unless"] if isinstance(c["unless"], list) else [c["unless"]]
        if any(f in u["flags"] for f in req):
            return False
    return True


def ratio(a, b):
    if a is None or not b:
        return None
    return a / b * 100


def rate_steps(r, target, step, each, cap):
    if r is None or r >= target - EPS:
        return 0
    steps = int(-(-((target - r) / step - EPS) // 1))
    return min(steps * each, cap) if steps > 0 else 0


def score_item(it, d, rank, points):
    """(value, kind): kind 'score' (earned), 'amount' (deducted from points)."""
    p = it.get("params") or {}
    rule = it["rule"]
    if isinstance(rule, dict):      # the formula plugin's ratio_bands
        den = d.get(p["denominator"]) or 0
        if den == 0:
            return points
        r = ratio(d.get(p["numerator"]), den)
        for b in p["bands"]:
            if r is not None and r >= b["min"] - EPS:
                return b["points"]
        return 0
    name = os.path.basename(rule)[:-4]
    if name == "binary":
        return points if d.get(p["ok"]) is True else 0
    if name == "graded":
        return p["levels"].get(d.get(p["value"]), 0)
    if name == "rate":
        r = d.get(p["rate"]) if p.get("rate") else None
        if p.get("den"):
            r = ratio(d.get(p["num"]), d.get(p["den"]))
        return points - rate_steps(r, p["target"], p["step"], p["each"], points)
    if name == "shortfall":
        req = p.get("required", d.get(p.get("required_of")))
        short = (req or 0) - (d.get(p["actual"]) or 0)
        return points - (min(short * p["each"], p.get("cap", points)) if short > 0 else 0)
    if name == "deduct":
        total = sum(min((d.get(t["count"]) or 0) * t["each"], t.get("cap", points))
                    for t in p["terms"] if (d.get(t["count"]) or 0) > 0)
        return points - min(total, points)
    if name == "checklist":
        total = sum(c["deduct"] for c in p["checks"] if not d.get(c["ok"]))
        return points - min(total, points)
    if name == "ratio_threshold":
        den = d.get(p["den"]) or 0
        if den == 0:
            return points
        r = ratio(d.get(p["num"]), den)
        return points - (0 if r is not None and r >= p["target"] - EPS else p["deduct"])
    if name == "ratio_bands":
        den = d.get(p["den"]) or 0
        if den == 0:
            return points
        r = ratio(d.get(p["num"]), den)
        for b in p["bands"]:
            if r is not None and r >= b["min"] - EPS:
                return b["points"]
        return 0
    if name == "random_checks":
        planned = d.get("random_checks_planned") or 0
        if planned == 0:
            return 0
        r = ratio(d.get("random_checks_done"), planned)
        a = rate_steps(r, p["target"], p["step"], p["each"], points)
        if d.get("random_checks_false") is True and a > 0:
            a = min(2 * a, points)
        return points - a
    if name == "discretionary":
        return points - (d.get(p["amount"]) or 0)
    if name == "rank":
        if d.get(p["value"]) is None:
            return 0
        pts = p["points"]
        return pts[rank - 1] if 1 <= rank <= len(pts) else p["otherwise"]
    if name == "tiers":
        levels = [f["level"] for f in p["flags"] if d.get(f["ok"])] if "flags" in p else [d.get(p["level"])]
        got = [p["points"][lv] for lv in levels if lv in p["points"]]
        return max(got) if got else 0
    if name == "report":
        return p["amounts"].get(d.get(p["value"]), 0)
    if name == "veto":
        return 1 if d.get(p["flag"]) is True else 0
    raise SystemExit("peer_python: no port of rule " + rule)


def main():
    d, out = sys.argv[1], sys.argv[2]
    s, units, data = load(d)
    items = []
    leaves(s["categories"], "main", {}, items)
    for sec, key in (("bonus", "bonus"), ("deduct", "deductions"), ("veto", "vetoes")):
        v = s.get(key) or []
        leaves(v.get("items", []) if isinstance(v, dict) else v, sec, {}, items)
    bonus_cap = Decimal(str((s.get("bonus") or {}).get("cap", 10**9))) if isinstance(s.get("bonus"), dict) else None
    total_pts = Decimal(str(s["assessment"]["total"]))
    # ranks of the rank-scored items' indicators within each group
    ranks = {}
    for sec, it, c in items:
        if isinstance(it["rule"], str) and it["rule"].endswith("rank.lua"):
            ind = it["params"]["value"]
            for g in set(u["group"] for u in units):
                vals = sorted((data[u["id"]].get(ind) for u in units
                               if u["group"] == g and data[u["id"]].get(ind) is not None), reverse=True)
                first = {}
                for i, v in enumerate(vals):
                    first.setdefault(v, i + 1)
                for u in units:
                    if u["group"] == g:
                        ranks[(u["id"], ind)] = first.get(data[u["id"]].get(ind), 0)
    res = []
    for u in units:
        dd = data[u["id"]]
        main = applic = bonus = deduct = Decimal(0)
        veto = False
        scores = {}
        for sec, it, c in items:
            pts = Decimal(str(it.get("points", 0) or 0))
            if not applies(c, u):
                scores[it["id"]] = None
                continue
            rank = ranks.get((u["id"], (it.get("params") or {}).get("value")), 0)
            v = score_item(it, dd, rank, float(pts))
            if sec == "deduct" and not it["rule"].endswith("report.lua"):
                v = float(pts) - v     # a deduction item's rule gives the amount deducted
            v = rnd(v)
            if sec == "veto":
                veto = veto or v != 0
            else:
                v = min(max(v, Decimal(0)), pts)
            scores[it["id"]] = str(v)
            if sec == "main":
                main += v
                applic += pts
            elif sec == "bonus":
                bonus += v
            elif sec == "deduct":
                deduct += v
        if applic and applic != total_pts:
            main = (main * total_pts / applic).quantize(D2, rounding=ROUND_HALF_UP)
        if bonus_cap is not None:
            bonus = min(bonus, bonus_cap)
        total = max(main + bonus - deduct, Decimal(0))
        res.append({"id": u["id"], "name": u["name"], "group": u["group"], "total": total,
                    "veto": veto, "scores": scores})
    groups = {g["id"]: g for g in s["groups"]}
    order = sorted(res, key=lambda r: (list(groups).index(r["group"]), r["veto"], -r["total"], r["id"]))
    rank, last, n = {}, None, 0
    for r in order:
        key = (r["group"], r["veto"], r["total"])
        n = n + 1 if last and last[0] == r["group"] else 1
        if key != last:
            rank[r["id"]] = n
        else:
            rank[r["id"]] = rank[prev]
        last, prev = key, r["id"]
    # grades: the band by total; a band capped at a share of the group
    # takes units in rank order while a whole tie fits, then stays closed
    grade = {}
    for gid, g in groups.items():
        members = [r for r in order if r["group"] == gid]
        ties = {}
        for r in members:
            ties[rank[r["id"]]] = ties.get(rank[r["id"]], 0) + 1
        closed = set()
        for r in members:
            if r["veto"]:
                grade[r["id"]] = g["veto_grade"]
                continue
            for bi, b in enumerate(g["grades"]):
                if bi in closed or r["total"] < Decimal(str(b["min"])):
                    continue
                share = b.get("max_share")
                if share and rank[r["id"]] + ties[rank[r["id"]]] - 1 > int(share * len(members) + EPS):
                    closed.add(bi)
                    continue
                grade[r["id"]] = b["grade"]
                break
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "results.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["组别", "名次", "单位编号", "单位名称", "总分", "等次"])
        for r in order:
            g = groups[r["group"]]
            # a vetoed unit has no 名次 (lawscore leaves it empty)
            w.writerow([g["name"], "" if r["veto"] else rank[r["id"]], r["id"], r["name"], str(r["total"]), grade[r["id"]]])
    with open(os.path.join(out, "results.json"), "w", encoding="utf-8") as f:
        json.dump([{"id": r["id"], "total": str(r["total"]), "rank": None if r["veto"] else rank[r["id"]], "nodes": r["scores"]}
                   for r in res], f, ensure_ascii=False, separators=(",", ":"))
    print("python %.3f" % (time.monotonic() - T0))


main()
