--[[
lawscore.lua — 评分规则辅助函数 (the helper library of rule scripts)

Every rule script can call the functions below.  Each one works out a
mechanic that 评分细则 use again and again ("迟报一次扣0.5分",
"结案率每低10个百分点扣1分", "国家级+5，省级+3") and returns a RESULT:

    { score = 2, deduction = 1, reasons = { "迟报2次，每次扣0.5分，扣1分" } }

A rule can return a result as it is, or pass several to combine().

  score      what the item's kind needs (see item.kind):
               "item"       an ordinary item: the score, item.points - deduction
               "deduction"  a deduction-only item: the deduction
               "bonus"      a bonus item: the bonus earned
  deduction  the points taken off (always 0 on bonus items)
  reasons    the 扣分理由 the department reads on its score sheet

Two families of helpers:

  * helpers that COUNT something against the unit work out an amount:
    per_occurrence, shortfall, rate_steps, threshold, discretionary.
    Ordinary items lose the amount, deduction-only items deduct it, and
    bonus items add it (per_occurrence(n, 1, "获市级表彰") on a bonus item
    gives 1 point per award, "获市级表彰2次，每次加1分，加2分").
  * helpers that GIVE points work out the points earned out of
    item.points: full, score, binary, graded, bands, rank_points, tiers.
    On a deduction-only item the deduction is what was not earned.

A missing value (nil: the data file did not give it) counts as 0 in
per_occurrence and shortfall, and as "not reached" in threshold,
rate_steps and bands.  A condition (binary, doubled, veto) is met when it
is true or a number other than 0.

Amounts in reasons are printed with fmt(): 0.5, 2, 1.25 (never 2.0).

This file runs inside the rule sandbox and sees what a rule sees (item,
string, math, table ...), read-only.  It keeps no state between calls.
]]

local type, tostring, error, select, ipairs = type, tostring, error, select, ipairs
local format = string.format
local ceil, mtype = math.ceil, math.type
local concat = table.concat

-- Amounts are sums of decimals such as 0.1 + 0.2 (= 0.30000000000000004 in
-- binary floating point): compare them with this tolerance.
local EPS = 1e-9

local H = {}   -- the helpers rules get

---------------------------------------------------------------------------
-- Formatting and checks
---------------------------------------------------------------------------

-- fmt(x): a number as short decimal text: 0.5, 2, 1.25, 0.3 (not
-- 0.30000000000000004).  Other values as tostring() gives them.
function H.fmt(x)
  if type(x) ~= "number" then return tostring(x) end
  if mtype(x) == "integer" then return tostring(x) end
  if x ~= x then return "NaN" end
  local s = format("%.15g", x)
  if s == "-0" then s = "0" end
  return s
end
local fmt = H.fmt

-- A value as it reads in a reason: 是/否 for true/false.
local function show(v)
  if v == true then return "是" end
  if v == false then return "否" end
  return fmt(v)
end

-- x rounded half up to two decimals, for showing rates.
local function round2(x)
  return math.floor(x * 100 + 0.5) / 100
end

-- Whether text contains an ASCII digit (then it already shows a value).
local function has_digit(text)
  for i = 1, #text do
    local c = text:byte(i)
    if c >= 48 and c <= 57 then return true end
  end
  return false
end

-- Errors point at the rule line that called the helper.
local function fail(fname, msg)
  error(fname .. "(): " .. msg, 3)
end

local function describe(v)
  local t = type(v)
  if t == "nil" then return "nil (no value)" end
  if t == "string" then return 'a string ("' .. v .. '")' end
  if t == "boolean" then return "a boolean (" .. tostring(v) .. ")" end
  return "a " .. t
end

local function need_number(fname, what, v)
  if type(v) ~= "number" then
    fail(fname, "'" .. what .. "' must be a number, found " .. describe(v))
  end
  return v
end

local function opt_number(fname, what, v, default)
  if v == nil then return default end
  return need_number(fname, what, v)
end

local function need_table(fname, what, v)
  if type(v) ~= "table" then
    fail(fname, "'" .. what .. "' must be a table, found " .. describe(v))
  end
  return v
end

local function opt_text(fname, what, v, default)
  if v == nil then return default end
  if type(v) ~= "string" then
    fail(fname, "'" .. what .. "' must be text, found " .. describe(v))
  end
  return v
end

local function truthy(v)
  return v ~= nil and v ~= false and v ~= 0
end

-- {text}, or {} when text is nil or empty.
local function list_of(text)
  if text == nil or text == "" then return {} end
  return { text }
end

local function not_veto(fname)
  if item.kind == "veto" then
    fail(fname, "item " .. item.number .. " is a veto item (一票否决): use veto(cond, reason)")
  end
end

-- "扣" for items and deduction-only items, "加" for bonus items.
local function verb()
  if item.kind == "bonus" then return "加" end
  return "扣"
end

---------------------------------------------------------------------------
-- Making results
---------------------------------------------------------------------------

-- A result from an amount counted against the unit (added on bonus items).
local function from_amount(amount, reasons)
  local kind, points = item.kind, item.points
  if kind == "bonus" then
    return { score = amount, deduction = 0, reasons = reasons }
  elseif kind == "deduction" then
    return { score = amount, deduction = amount, reasons = reasons }
  end
  return { score = points - amount, deduction = amount, reasons = reasons }
end

-- A result from points earned out of item.points.
local function from_earned(earned, reasons)
  local kind, points = item.kind, item.points
  if kind == "bonus" then
    return { score = earned, deduction = 0, reasons = reasons }
  elseif kind == "deduction" then
    return { score = points - earned, deduction = points - earned, reasons = reasons }
  end
  return { score = earned, deduction = points - earned, reasons = reasons }
end

-- The reason for points earned: "<situation>，得3分" when an ordinary item
-- loses points ("，不得分" at 0), "，扣2分" on a deduction-only item, "，加3分"
-- on a bonus item; nil when there is nothing to explain.
local function earned_reason(situation, earned)
  local kind, points = item.kind, item.points
  if kind == "bonus" then
    if earned > 0 then return situation .. "，加" .. fmt(earned) .. "分" end
  elseif kind == "deduction" then
    if points - earned > EPS then return situation .. "，扣" .. fmt(points - earned) .. "分" end
  elseif earned < points - EPS then
    if earned <= 0 then return situation .. "，不得分" end
    return situation .. "，得" .. fmt(earned) .. "分"
  end
  return nil
end

-- The amount, at most cap, and its reason "<text>，扣1分", or when the cap
-- applies "<text>，应扣4分，最多扣3分".
local function capped(amount, cap, text)
  local v = verb()
  if amount > cap + EPS then
    return cap, { text .. "，应" .. v .. fmt(amount) .. "分，最多" .. v .. fmt(cap) .. "分" }
  end
  return amount, { text .. "，" .. v .. fmt(amount) .. "分" }
end

local function is_result(r)
  return type(r) == "table" and type(r.score) == "number"
end

local function need_result(fname, i, r)
  if not is_result(r) then
    fail(fname, "argument " .. i .. " is " .. describe(r) ..
         " (expected a result, such as per_occurrence(...) returns)")
  end
  return r
end

-- What a result counts in combine(): its deduction, or on bonus items its
-- bonus.
local function amount_of(r)
  local kind = item.kind
  if kind == "bonus" then return r.score end
  if type(r.deduction) == "number" then return r.deduction end
  if kind == "deduction" then return r.score end
  return item.points - r.score
end

local function add_reasons(list, reasons)
  if type(reasons) == "string" then
    list[#list + 1] = reasons
  elseif type(reasons) == "table" then
    for _, t in ipairs(reasons) do list[#list + 1] = t end
  end
  return list
end

---------------------------------------------------------------------------
-- Helpers that give points
---------------------------------------------------------------------------

-- full([reason]): full points.  A reason, when given, is shown as it is
-- (e.g. "本年度未签订合同").
function H.full(reason)
  not_veto("full")
  return from_earned(item.points, list_of(opt_text("full", "reason", reason)))
end

-- score(x [, reason]): the score x, as the item's kind reads it (the same
-- as `return x, reason`).
function H.score(x, reason)
  local F = "score"
  not_veto(F)
  need_number(F, "x", x)
  local kind, deduction = item.kind, 0
  if kind == "item" then deduction = item.points - x
  elseif kind == "deduction" then deduction = x end
  return { score = x, deduction = deduction, reasons = list_of(opt_text(F, "reason", reason)) }
end

-- binary(ok, reason): full points when ok, else 0 with the reason
-- ("未建立法律顾问制度，不得分").
function H.binary(ok, reason)
  local F = "binary"
  not_veto(F)
  reason = opt_text(F, "reason", reason, item.name .. "未达到要求")
  if truthy(ok) then return from_earned(item.points, {}) end
  return from_earned(0, list_of(earned_reason(reason, 0)))
end

-- graded(value, levels [, what]): the points levels[value] gives; values
-- not listed score 0.  levels = {["专门机构"] = 3, ["兼管"] = 2} (in params:
-- `levels: {专门机构: 3, 兼管: 2}`).  "法律顾问制度：兼管，得2分".
function H.graded(value, levels, what)
  local F = "graded"
  not_veto(F)
  need_table(F, "levels", levels)
  what = opt_text(F, "what", what, item.name)
  local earned = 0
  if value ~= nil then
    local p = levels[value]
    if p ~= nil then earned = need_number(F, "levels[" .. show(value) .. "]", p) end
  end
  local situation
  if value == nil then situation = what .. "：无数据"
  else situation = what .. "：" .. show(value) end
  return from_earned(earned, list_of(earned_reason(situation, earned)))
end

-- bands(value, list, what): the points of the first band whose min the
-- value reaches; below every band (or no value): 0.
-- list = {{min = 95, points = 5}, {min = 85, points = 3}}, highest first.
-- `what` describes the value as the reason should read ("关联率90%").
function H.bands(value, list, what)
  local F = "bands"
  not_veto(F)
  opt_number(F, "value", value)
  need_table(F, "list", list)
  what = opt_text(F, "what", what, item.name)
  for i, b in ipairs(list) do
    need_table(F, "list[" .. i .. "]", b)
    need_number(F, "list[" .. i .. "].min", b.min)
    need_number(F, "list[" .. i .. "].points", b.points)
  end
  local earned = 0
  if value ~= nil then
    for _, b in ipairs(list) do
      if value >= b.min - EPS then
        earned = b.points
        break
      end
    end
  end
  if value == nil then what = what .. "（无数据）" end
  return from_earned(earned, list_of(earned_reason(what, earned)))
end

-- rank_points(rank, list [, otherwise]): list[rank] for ranks the list
-- covers, else `otherwise` (default 0).  rank usually comes from
-- stats(id).rank.  "组内排名第2，得57分".
function H.rank_points(rank, list, otherwise)
  local F = "rank_points"
  not_veto(F)
  opt_number(F, "rank", rank)
  need_table(F, "list", list)
  otherwise = opt_number(F, "otherwise", otherwise, 0)
  local earned, situation = otherwise, "无排名"
  if rank ~= nil and rank >= 1 then
    situation = "组内排名第" .. fmt(rank)
    local p = list[rank]
    if p ~= nil then earned = need_number(F, "list[" .. fmt(rank) .. "]", p) end
  end
  return from_earned(earned, list_of(earned_reason(situation, earned)))
end

-- tiers(levels, points, what): the points of the highest level reached,
-- counted once.  levels is one level ("省级") or a list of the levels one
-- event was recognised at ({"国家级", "省级"}); points = {国家级 = 5, 省级 = 3}.
-- Levels not in points are ignored.
-- "法治建设工作获表彰（国家级、省级），按最高级别国家级计一次，加5分".
function H.tiers(levels, points, what)
  local F = "tiers"
  not_veto(F)
  need_table(F, "points", points)
  what = opt_text(F, "what", what, item.name)
  local list = levels
  if levels == nil then list = {}
  elseif type(levels) ~= "table" then list = { levels } end
  local best, best_level, names = nil, nil, {}
  for _, level in ipairs(list) do
    local p = points[level]
    if p ~= nil then
      need_number(F, "points[" .. show(level) .. "]", p)
      names[#names + 1] = show(level)
      if best == nil or p > best then best, best_level = p, level end
    end
  end
  if best == nil then
    return from_earned(0, list_of(earned_reason(what .. "：无", 0)))
  end
  local situation
  if #names == 1 then
    situation = what .. "（" .. names[1] .. "）"
  else
    situation = what .. "（" .. concat(names, "、") .. "），按最高级别" .. show(best_level) .. "计一次"
  end
  return from_earned(best, list_of(earned_reason(situation, best)))
end

-- ratio(a, b): a / b * 100 (a percentage), or nil when b is 0 or either
-- value is missing.
function H.ratio(a, b)
  if a == nil or b == nil then return nil end
  need_number("ratio", "a", a)
  need_number("ratio", "b", b)
  if b == 0 then return nil end
  return a * 100 / b
end

---------------------------------------------------------------------------
-- Helpers that count against the unit
---------------------------------------------------------------------------

-- per_occurrence(count, each, what [, cap]): `each` per occurrence, at most
-- cap (default: the item's points).  "迟报2次，每次扣0.5分，扣1分".
function H.per_occurrence(count, each, what, cap)
  local F = "per_occurrence"
  not_veto(F)
  count = opt_number(F, "count", count, 0)
  need_number(F, "each", each)
  what = opt_text(F, "what", what, item.name)
  cap = opt_number(F, "cap", cap, item.points)
  if count <= 0 or each == 0 then return from_amount(0, {}) end
  local text = what .. fmt(count) .. "次，每次" .. verb() .. fmt(each) .. "分"
  return from_amount(capped(count * each, cap, text))
end

-- shortfall(actual, required, each, what [, cap]): `each` per occurrence
-- short of `required`, at most cap (default: the item's points).
-- "专题研究不足3次（要求3，实际1），每少1扣0.5分，扣1分".
function H.shortfall(actual, required, each, what, cap)
  local F = "shortfall"
  not_veto(F)
  actual = opt_number(F, "actual", actual, 0)
  need_number(F, "required", required)
  need_number(F, "each", each)
  what = opt_text(F, "what", what, item.name)
  cap = opt_number(F, "cap", cap, item.points)
  local short = required - actual
  if short <= 0 or each == 0 then return from_amount(0, {}) end
  local text = what .. "（要求" .. fmt(required) .. "，实际" .. fmt(actual) .. "），每少1" ..
               verb() .. fmt(each) .. "分"
  return from_amount(capped(short * each, cap, text))
end

-- rate_steps(rate, target, step, each, what [, cap]): below target %,
-- `each` per `step` percentage points short, a started step counting in
-- full; at most cap (default: the item's points).  No value counts as 0 %.
-- `what` names the rate; the rate itself is added (to two decimals) unless
-- `what` already shows a number: "结案率" reads
-- "结案率88.9%，低于90%，每低10个百分点扣1分，扣1分".
function H.rate_steps(rate, target, step, each, what, cap)
  local F = "rate_steps"
  not_veto(F)
  opt_number(F, "rate", rate)
  need_number(F, "target", target)
  need_number(F, "step", step)
  if step <= 0 then fail(F, "'step' must be more than 0, found " .. fmt(step)) end
  need_number(F, "each", each)
  what = opt_text(F, "what", what, item.name)
  cap = opt_number(F, "cap", cap, item.points)
  if rate ~= nil and rate >= target - EPS then return from_amount(0, {}) end
  local r = rate or 0
  if rate == nil then what = what .. "（无数据，按0%计）"
  elseif not has_digit(what) then what = what .. fmt(round2(rate)) .. "%" end
  local steps = ceil((target - r) / step - EPS)
  local text = what .. "，低于" .. fmt(target) .. "%，每低" .. fmt(step) .. "个百分点" ..
               verb() .. fmt(each) .. "分"
  return from_amount(capped(steps * each, cap, text))
end

-- threshold(value, target, deduction, what): `deduction` when value is
-- below target (or missing).  `what` is the reason as it should read:
-- "备案率未达100%" gives "备案率未达100%，扣15分".
function H.threshold(value, target, deduction, what)
  local F = "threshold"
  not_veto(F)
  opt_number(F, "value", value)
  need_number(F, "target", target)
  need_number(F, "deduction", deduction)
  what = opt_text(F, "what", what, item.name .. "未达到要求")
  if value ~= nil and value >= target - EPS then return from_amount(0, {}) end
  return from_amount(deduction, { what .. "，" .. verb() .. fmt(deduction) .. "分" })
end

-- discretionary(amount, reason): an assessor's deduction entered as data
-- (酌情扣分), with the assessor's reason: "台账不完整，扣1.5分".
function H.discretionary(amount, reason)
  local F = "discretionary"
  not_veto(F)
  amount = opt_number(F, "amount", amount, 0)
  if amount < 0 then fail(F, "'amount' must not be negative, found " .. fmt(amount)) end
  reason = opt_text(F, "reason", reason)
  if amount == 0 then return from_amount(0, {}) end
  if reason == nil or reason == "" then reason = "酌情" .. verb() .. "分" end
  return from_amount(amount, { reason .. "，" .. verb() .. fmt(amount) .. "分" })
end

---------------------------------------------------------------------------
-- Putting results together
---------------------------------------------------------------------------

-- combine(r1, r2, ... [, {cap = c}]): the deductions of several results
-- added up (on bonus items: the bonuses), at most cap (default: the item's
-- points), with all their reasons.  nil arguments are skipped, so
-- combine(table.unpack(parts)) works for any number of parts.
function H.combine(...)
  local F = "combine"
  not_veto(F)
  local n = select("#", ...)
  local args = { ... }
  local cap = item.points
  local last = args[n]
  if n > 0 and type(last) == "table" and last.score == nil then
    cap = opt_number(F, "cap", last.cap, item.points)
    n = n - 1
  end
  local total, reasons = 0, {}
  for i = 1, n do
    local r = args[i]
    if r ~= nil then
      need_result(F, i, r)
      total = total + amount_of(r)
      add_reasons(reasons, r.reasons)
    end
  end
  local v = verb()
  if total > cap + EPS then
    reasons[#reasons + 1] = "合计" .. v .. fmt(total) .. "分，最多" .. v .. fmt(cap) .. "分"
    total = cap
  end
  return from_amount(total, reasons)
end

-- doubled(r, verified_false [, reason]): r with its deduction doubled when
-- verified_false holds (从重扣分), at most the item's points.
-- "经核查不实，扣分加倍，扣2分".
function H.doubled(r, verified_false, reason)
  local F = "doubled"
  not_veto(F)
  need_result(F, 1, r)
  if item.kind == "bonus" then
    fail(F, "item " .. item.number .. " is a bonus item: there is no deduction to double")
  end
  reason = opt_text(F, "reason", reason, "经核查不实，扣分加倍")
  if not truthy(verified_false) then return r end
  local d = amount_of(r)
  if d <= 0 then return r end
  local reasons = add_reasons({}, r.reasons)
  local amount, why = capped(2 * d, item.points, reason)
  reasons[#reasons + 1] = why[1]
  return from_amount(amount, reasons)
end

-- veto(cond, reason): for veto items (一票否决): applies when cond holds.
function H.veto(cond, reason)
  if item.kind ~= "veto" then
    fail("veto", "item " .. item.number .. " is not a veto item (一票否决)")
  end
  reason = opt_text("veto", "reason", reason, item.name)
  if truthy(cond) then
    return { score = 1, deduction = 0, veto = true, reasons = list_of(reason) }
  end
  return { score = 0, deduction = 0, veto = false, reasons = {} }
end

return H
