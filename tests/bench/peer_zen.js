// tests/bench/peer_zen.js - the work of `lawscore run` on make bench's
// synthetic province, with GoRules zen-engine as the rule engine (make
// bench-peers).
//
//   node peer_zen.js DIR OUT CONCURRENCY
//
// DIR holds scheme.yaml, units.csv, fazhiban.yaml, departments.csv (see
// gen.awk).  The example's per-item scoring (rules/*.lua and the formula
// plugin, without the reasons' text) is written as one decision graph
// (JDM: input -> one expression node with an expression per rule leaf ->
// output), evaluated once per unit with the unit's indicator values (and
// its group rank for the rank-scored item, computed beforehand like
// lawscore's stats).  Totals, rescaling (折算), bonus cap, deductions,
// vetoes, ranks and grades are computed in JavaScript, in integer cents.
// CONCURRENCY evaluations are in flight at a time (zen evaluates on
// libuv's thread pool).  Writes OUT/results.csv and OUT/results.json (every
// item score of every unit); prints "zen <seconds>" (wall, whole program).
'use strict';
const t0 = process.hrtime.bigint();
const fs = require('fs');
const path = require('path');
const yaml = require('js-yaml');
const { ZenEngine } = require('@gorules/zen-engine');

const [dir, out, concArg] = process.argv.slice(2);
const CONC = Math.max(1, parseInt(concArg || '1', 10));
const EPS = '1e-9';

function csvRows(text) {           // the generated CSVs: no quoted fields
  return text.split('\n').filter((l) => l.length).map((l) => l.replace(/\r$/, '').split(','));
}

const s = yaml.load(fs.readFileSync(path.join(dir, 'scheme.yaml'), 'utf8'));
const inds = {};
const byName = {};
for (const i of s.indicators) { inds[i.id] = i; byName[i.name] = i.id; }
const unitRows = csvRows(fs.readFileSync(path.join(dir, 'units.csv'), 'utf8'));
const units = unitRows.slice(1).map((r) => ({ id: r[0], name: r[1], group: r[2], flags: new Set((r[3] || '').split(';').filter(Boolean)) }));
const data = {};
for (const u of units) data[u.id] = {};
const fz = yaml.load(fs.readFileSync(path.join(dir, 'fazhiban.yaml'), 'utf8'));
for (const [uid, vals] of Object.entries(fz.units || {})) Object.assign(data[uid], vals || {});
const dep = csvRows(fs.readFileSync(path.join(dir, 'departments.csv'), 'utf8'));
const cols = dep[0].map((h) => byName[h] || h);
for (const row of dep.slice(1)) {
  const d = data[row[0]];
  for (let k = 2; k < cols.length; k++) {
    const id = cols[k], v = row[k];
    if (v === undefined || v === '' || !inds[id]) continue;
    const t = inds[id].type;
    d[id] = t === 'boolean' ? ['是', 'true', '1', 'yes'].includes(v)
      : t === 'percent' ? parseFloat(v) : (t === 'integer' || t === 'number') ? parseFloat(v) : v;
  }
}
for (const d of Object.values(data))
  for (const [id, i] of Object.entries(inds)) if (!(id in d) && 'default' in i) d[id] = i.default;

// ---- the leaves, their applicability and their ZEN expressions ----------
const leaves = [];
function walk(items, section, cond) {
  for (const it of items) {
    const c = Object.assign({}, cond);
    for (const k of ['only_if', 'unless', 'groups']) if (k in it) c[k] = it[k];
    if (it.items) walk(it.items, section, c); else leaves.push({ section, it, c });
  }
}
walk(s.categories, 'main', {});
const bonus = s.bonus || {};
const itemsOf = (v) => (Array.isArray(v) ? v : (v && v.items) || []);
walk(itemsOf(bonus), 'bonus', {});
walk(itemsOf(s.deductions), 'deduct', {});
walk(itemsOf(s.vetoes), 'veto', {});
const list = (v) => (Array.isArray(v) ? v : [v]);
function applies(c, u) {
  if (c.groups && !c.groups.includes(u.group)) return false;
  if (c.only_if && !list(c.only_if).every((f) => u.flags.has(f))) return false;
  if (c.unless && list(c.unless).some((f) => u.flags.has(f))) return false;
  return true;
}

const q = (x) => JSON.stringify(x);
const n0 = (x) => `(${x} ?? 0)`;
const ratio = (num, den) => `((${den} ?? 0) == 0 or ${num} == null ? null : ${num} / ${den} * 100)`;
// rate_steps: the amount deducted for rate expression r (null: no deduction)
function steps(r, t, step, each, cap) {
  return `(${r} == null ? 0 : (${r} >= ${t} - ${EPS} ? 0 : min([ceil((${t} - ${r}) / ${step} - ${EPS}) * ${each}, ${cap}])))`;
}
function chain(pairs, dflt) {      // [[cond, value]...] -> nested ternary
  return pairs.reduceRight((acc, [c, v]) => `(${c} ? ${v} : ${acc})`, String(dflt));
}
const rankInds = new Set();
function expr(leaf) {
  const it = leaf.it, p = it.params || {}, P = it.points || 0, deductSec = leaf.section === 'deduct';
  const amountOf = (a) => (deductSec ? `min([${a}, ${P}])` : `${P} - min([${a}, ${P}])`);
  if (typeof it.rule === 'object') {            // formula.ratio_bands
    const r = ratio(p.numerator, p.denominator);
    return `(${n0(p.denominator)} == 0 ? ${P} : ${chain(p.bands.map((b) => [`${r} != null and ${r} >= ${b.min} - ${EPS}`, b.points]), 0)})`;
  }
  const name = path.basename(it.rule, '.lua');
  switch (name) {
    case 'binary': return `(${p.ok} == true ? ${P} : 0)`;
    case 'graded': return chain(Object.entries(p.levels).map(([k, v]) => [`${p.value} == ${q(k)}`, v]), 0);
    case 'rate': {
      const r = p.den ? ratio(p.num, p.den) : p.rate;
      return `${P} - ${steps(r, p.target, p.step, p.each, P)}`;
    }
    case 'shortfall': {
      const req = p.required !== undefined ? p.required : n0(p.required_of);
      const short = `(${req} - ${n0(p.actual)})`;
      return amountOf(`(${short} > 0 ? ${short} * ${p.each} : 0)`);
    }
    case 'deduct':
      return amountOf(p.terms.map((t) => `(${n0(t.count)} > 0 ? min([${n0(t.count)} * ${t.each}, ${t.cap ?? P}]) : 0)`).join(' + '));
    case 'checklist':
      return amountOf(p.checks.map((c) => `(${c.ok} == true ? 0 : ${c.deduct})`).join(' + '));
    case 'ratio_threshold': {
      const r = ratio(p.num, p.den);
      return `(${n0(p.den)} == 0 ? ${P} : (${r} != null and ${r} >= ${p.target} - ${EPS} ? ${P} : ${P} - ${p.deduct}))`;
    }
    case 'ratio_bands': {
      const r = ratio(p.num, p.den);
      return `(${n0(p.den)} == 0 ? ${P} : ${chain(p.bands.map((b) => [`${r} != null and ${r} >= ${b.min} - ${EPS}`, b.points]), 0)})`;
    }
    case 'random_checks': {
      const r = ratio('random_checks_done', 'random_checks_planned');
      const a = steps(r, p.target, p.step, p.each, P);
      return `(${n0('random_checks_planned')} == 0 ? 0 : ${P} - (random_checks_false == true and ${a} > 0 ? min([2 * ${a}, ${P}]) : ${a}))`;
    }
    case 'discretionary': return `${P} - ${n0(p.amount)}`;
    case 'rank': {
      rankInds.add(p.value);
      const rk = `rank_${p.value}`;
      return `(${p.value} == null ? 0 : ${chain(p.points.map((v, i) => [`${rk} == ${i + 1}`, v]), p.otherwise)})`;
    }
    case 'tiers':
      if (p.flags) return `max([0, ${p.flags.map((f) => `(${f.ok} == true ? ${p.points[f.level]} : 0)`).join(', ')}])`;
      return chain(Object.entries(p.points).map(([k, v]) => [`${p.level} == ${q(k)}`, v]), 0);
    case 'report': return chain(Object.entries(p.amounts).map(([k, v]) => [`${p.value} == ${q(k)}`, v]), 0);
    case 'veto': return `(${p.flag} == true ? 1 : 0)`;
    default: throw new Error('peer_zen: no port of rule ' + it.rule);
  }
}
const graph = {
  nodes: [
    { id: 'in', type: 'inputNode', name: 'unit', position: { x: 0, y: 0 } },
    { id: 'items', type: 'expressionNode', name: 'items', position: { x: 200, y: 0 },
      content: { expressions: leaves.map((l, i) => ({ id: 'e' + i, key: 's' + i, value: expr(l) })) } },
    { id: 'out', type: 'outputNode', name: 'scores', position: { x: 400, y: 0 } },
  ],
  edges: [{ id: 'a', sourceId: 'in', targetId: 'items', type: 'edge' },
          { id: 'b', sourceId: 'items', targetId: 'out', type: 'edge' }],
};

// group ranks of the rank-scored indicators (ties share the best rank)
for (const ind of rankInds) {
  const byGroup = {};
  for (const u of units) if (data[u.id][ind] != null) (byGroup[u.group] = byGroup[u.group] || []).push(data[u.id][ind]);
  const first = {};
  for (const [g, vals] of Object.entries(byGroup)) {
    vals.sort((a, b) => b - a);
    first[g] = new Map();
    vals.forEach((v, i) => { if (!first[g].has(v)) first[g].set(v, i + 1); });
  }
  for (const u of units) {
    const v = data[u.id][ind];
    data[u.id]['rank_' + ind] = v == null ? 0 : first[u.group].get(v);
  }
}

const cents = (x) => Math.round(parseFloat((x * 100).toPrecision(12)));
const pc = (x) => Math.round(x * 100);
const fmt = (c) => (c < 0 ? '-' : '') + Math.floor(Math.abs(c) / 100) + '.' + String(Math.abs(c) % 100).padStart(2, '0');

async function main() {
  const engine = new ZenEngine();
  const decision = engine.createDecision(graph);
  const res = new Array(units.length);
  let next = 0;
  async function worker() {
    while (next < units.length) {
      const k = next++;
      const u = units[k];
      const r = await decision.evaluate(data[u.id]);
      res[k] = r.result;
    }
  }
  await Promise.all(Array.from({ length: CONC }, worker));
  const total100 = pc(s.assessment.total);
  const cap = bonus.cap !== undefined ? pc(bonus.cap) : null;
  const rows = units.map((u, k) => {
    let main = 0, applic = 0, bon = 0, ded = 0, veto = false;
    const scores = {};
    leaves.forEach((l, i) => {
      if (!applies(l.c, u)) { scores[l.it.id] = null; return; }
      const P = pc(l.it.points || 0);
      let v = cents(res[k]['s' + i]);
      if (l.section === 'veto') { veto = veto || v !== 0; scores[l.it.id] = v / 100; return; }
      v = Math.min(Math.max(v, 0), P);
      scores[l.it.id] = fmt(v);
      if (l.section === 'main') { main += v; applic += P; } else if (l.section === 'bonus') bon += v; else ded += v;
    });
    if (applic && applic !== total100) main = Math.floor((2 * main * total100 + applic) / (2 * applic));
    if (cap !== null) bon = Math.min(bon, cap);
    return { u, total: Math.max(main + bon - ded, 0), veto, scores };
  });
  const gids = s.groups.map((g) => g.id);
  const order = rows.slice().sort((a, b) => gids.indexOf(a.u.group) - gids.indexOf(b.u.group) ||
    (a.veto - b.veto) || (b.total - a.total) || (a.u.id < b.u.id ? -1 : a.u.id > b.u.id ? 1 : 0));
  const rank = new Map();
  let last = null, n = 0, prev = null;
  for (const r of order) {
    n = last && last.g === r.u.group ? n + 1 : 1;
    const same = last && last.g === r.u.group && last.v === r.veto && last.t === r.total;
    rank.set(r.u.id, same ? rank.get(prev) : n);
    last = { g: r.u.group, v: r.veto, t: r.total };
    prev = r.u.id;
  }
  const grade = new Map();
  for (const g of s.groups) {
    const members = order.filter((r) => r.u.group === g.id);
    const ties = new Map();
    for (const r of members) ties.set(rank.get(r.u.id), (ties.get(rank.get(r.u.id)) || 0) + 1);
    const closed = new Set();
    for (const r of members) {
      if (r.veto) { grade.set(r.u.id, g.veto_grade); continue; }
      g.grades.some((b, bi) => {
        if (closed.has(bi) || r.total < pc(b.min)) return false;
        const rk = rank.get(r.u.id);
        if (b.max_share && rk + ties.get(rk) - 1 > Math.floor(b.max_share * members.length + 1e-9)) { closed.add(bi); return false; }
        grade.set(r.u.id, b.grade);
        return true;
      });
    }
  }
  fs.mkdirSync(out, { recursive: true });
  const gname = Object.fromEntries(s.groups.map((g) => [g.id, g.name]));
  // a vetoed unit has no 名次 (lawscore leaves it empty)
  const csv = ['组别,名次,单位编号,单位名称,总分,等次'];
  for (const r of order) csv.push([gname[r.u.group], r.veto ? '' : rank.get(r.u.id), r.u.id, r.u.name, fmt(r.total), grade.get(r.u.id)].join(','));
  fs.writeFileSync(path.join(out, 'results.csv'), csv.join('\n') + '\n');
  fs.writeFileSync(path.join(out, 'results.json'),
    JSON.stringify(rows.map((r) => ({ id: r.u.id, total: fmt(r.total), rank: r.veto ? null : rank.get(r.u.id), nodes: r.scores }))));
  console.log('zen ' + (Number(process.hrtime.bigint() - t0) / 1e9).toFixed(3));
}
main().catch((e) => { console.error(e); process.exit(1); });
