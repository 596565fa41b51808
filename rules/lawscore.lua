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
    item.points: full, score, binary, graded, bands, rank_points, tiers,
    proportional, linear.  On a deduction-only item the deduction is what
    was not earned.

Rates.  rate_steps, proportional and linear take a rate in percent (a
number, or nil when not given) or the two counts it is made of,
{numerator, denominator}: {data.closed, data.filed}, or their indicator
ids {"closed", "filed"} (then the numerator is read only when there is a
denominator, as the C plugins do).  With counts, the option `none` says
what a denominator of 0 (or not given: "no cases this year") gives, and
must be written: none = "本年度无行政处罚案件" gives full points (no
deduction) with that reason; none = false counts the rate as 0 %.  Rates
are shown in reasons with at most two decimals, rounded half up (pct():
88.89%), the same as the C plugins show them (tests/unit/test_plugin.c
compares every helper that has a plugin twin, word for word).

A missing value (nil: the data file did not give it) counts as 0 in
per_occurrence and shortfall, and as "not reached" in threshold,
rate_steps and bands.  A condition (binary, doubled, veto) is met when it
is true or a number other than 0.

Amounts in reasons are printed with fmt(): 0.5, 2, 1.25 (never 2.0).
Enum codes are shown by their display names when the catalogue gives
them (`labels:`, see label_of).

This file runs inside the rule sandbox and sees what a rule sees (item,
string, math, table ...), read-only.  It keeps no state between calls
that a call could see: only memos of pure functions (tr, fmt).
]]

-- The host's functions for the helpers (not visible to rules):
--   host.enum_keys(fname, what, value, map)  checks that every key of map
--   is a value of the enum indicator `value` belongs to (graded, tiers).
--   host.type(v)  type(v), the name taken from a list made once.
--   host.only_keys(t, known)  true when every key of table t (of the
--   real table behind a read-only proxy) is a string whose known[key] is
--   true; false otherwise, and for C proxies such as `data`.
--   host.tr(msgid)  msgid translated by the message catalogue (gettext,
--   docs/messages.md).  Messages are written
--   format(tr("... %s ..."), ...), so that tools/xgettext.sh extracts them
--   and a translation can word them its own way.
local host = ...

-- tr(msgid), each message looked up once: helpers word their reasons
-- with it on every call, and the catalogue does not change during a run.
-- Only this memo outlives a call; a rule cannot see it.
local host_tr = host.tr
local translated = {}
local function tr(msgid)
  local t = translated[msgid]
  if t == nil then
    t = host_tr(msgid)
    if type(msgid) == "string" then translated[msgid] = t end
  end
  return t
end

local tostring, error, select, ipairs = tostring, error, select, ipairs
-- The checks call type() several times a helper: host.type gives the
-- same names without Lua's lookup of the name string each time.
local type = host.type
local format = string.format
local ceil, floor, mtype, huge = math.ceil, math.floor, math.type, math.huge
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
--
-- The text of each number is made once: reasons print the same few
-- amounts (0.5, 1, 2) on every unit, and string.format costs more than
-- the rest of a helper.  An integer and the float of the same value
-- share a key and a text ("2") while |x| < 1e15, where %.15g prints every
-- digit; larger numbers are not kept.  Like `translated`, this memo
-- outlives a call but no rule can see it.
local fmt_memo, fmt_kept, FMT_KEEP = {}, 0, 4096
function H.fmt(x)
  -- the memo first: it holds numbers only, and reading it with any key
  -- (nil, NaN, a table) gives nil
  local s = fmt_memo[x]
  if s ~= nil then return s end
  if type(x) ~= "number" then return tostring(x) end
  if x ~= x then return "NaN" end
  if mtype(x) == "integer" then
    s = tostring(x)
  else
    s = format("%.15g", x)
    if s == "-0" then s = "0" end
  end
  if fmt_kept < FMT_KEEP and x > -1e15 and x < 1e15 then
    fmt_memo[x] = s
    fmt_kept = fmt_kept + 1
  end
  return s
end
local fmt = H.fmt

-- A value as it reads in a reason: 是/否 for true/false, an enum code by
-- its display name when the catalogue gives one (label_of).
local function show(v)
  if v == true then return "是" end
  if v == false then return "否" end
  if type(v) == "string" then return label_of(v) end
  return fmt(v)
end

-- x rounded half up to two decimals: rates in reasons.  The small addition keeps decimals
-- that binary floating point holds just below the half (6.515 is
-- 6.51499999...) rounding up, as the office's Excel ROUND does.  The C
-- plugins round the same way (plugins/rates.c, plugins/formula.c).
local function round2(x)
  return floor(x * 100 + 0.5 + 1e-7) / 100
end

-- x rounded half up at the scheme's precision (item.precision: 0.01,
-- 0.1, 1 ...): the points proportional() and linear() give, so that the
-- reason shows the score the engine keeps.  plugins/rates.c rounds the
-- same way (h->precision).
local function round_points(x)
  local m = floor(1 / (item.precision or 0.01) + 0.5)
  return floor(x * m + 0.5 + 1e-7) / m
end

-- pct(rate): a rate as reasons show it, two decimals at most: 88.89%, 90%.
function H.pct(rate)
  if type(rate) ~= "number" then
    error("pct(): " .. format(tr("'rate' must be a number, found %s"), type(rate)), 2)
  end
  return fmt(round2(rate)) .. "%"
end
local pct = H.pct

-- Errors point at the rule line that called the helper.  msg is a
-- translated format (tr("...")), filled with the other arguments.
local function fail(fname, msg, ...)
  error(fname .. "(): " .. format(msg, ...), 3)
end

local function describe(v)
  local t = type(v)
  if t == "nil" then return tr("nil (no value)") end
  if t == "string" then return format(tr('a string ("%s")'), v) end
  if t == "boolean" then return format(tr("a boolean (%s)"), tostring(v)) end
  if t == "number" then return tr("a number") end
  if t == "table" then return tr("a table") end
  if t == "function" then return tr("a function") end
  return "a " .. t
end

local function need_number(fname, what, v)
  if type(v) ~= "number" then
    fail(fname, tr("'%s' must be a number, found %s"), what, describe(v))
  end
  return v
end

local function opt_number(fname, what, v, default)
  if v == nil then return default end
  return need_number(fname, what, v)
end

local function need_table(fname, what, v)
  if type(v) ~= "table" then
    fail(fname, tr("'%s' must be a table, found %s"), what, describe(v))
  end
  return v
end

local function opt_text(fname, what, v, default)
  if v == nil then return default end
  if type(v) ~= "string" then
    fail(fname, tr("'%s' must be text, found %s"), what, describe(v))
  end
  return v
end

local function truthy(v)
  return v ~= nil and v ~= false and v ~= 0
end

-- round(x): x rounded half up (四舍五入) at the scheme's precision
-- (item.precision, 0.01 by default), as the engine rounds the score: for
-- points a rule works out itself, so that its reason shows the score the
-- unit gets ("按比例得0.67分", not 0.666666666666667).  round(6.515) is
-- 6.52, as the office's Excel ROUND gives it.
function H.round(x)
  if type(x) ~= "number" then need_number("round", "x", x) end
  return round_points(x)
end

-- {text}, or {} when text is nil or empty.
local function list_of(text)
  if text == nil or text == "" then return {} end
  return { text }
end

-- The default cap: the item's points, or none on a bonus or deduction
-- item written without points.
local function item_cap()
  return item.points or huge
end

-- item.points, for helpers that give points out of it.
local function need_points(fname)
  if item.points == nil then
    fail(fname, tr("item %s has no points of its own: there are no full points to give"), item.number)
  end
  return item.points
end

local function not_veto(fname)
  if item.kind == "veto" then
    fail(fname, tr("item %s is a veto item (一票否决): use veto(cond, reason)"), item.number)
  end
end

-- "扣" for items and deduction-only items, "加" for bonus items.
local function verb()
  if item.kind == "bonus" then return "加" end
  return "扣"
end

-- The options table of a helper and the cap: nil gives no options, a
-- number is the cap alone (the second result), a table is checked against
-- the known keys (a misspelt option is an error) and its cap is opts.cap.
--
-- No options give NO_OPTIONS, one table for every call (the helpers only
-- read options).  The keys are checked in C (host.only_keys); the sorted
-- walk below runs only to name the first unknown key.
local NO_OPTIONS = {}
local only_keys = host.only_keys
local function options(fname, v, known)
  if v == nil then return NO_OPTIONS end
  if type(v) == "number" then return NO_OPTIONS, v end
  if type(v) ~= "table" then
    fail(fname, tr("'cap' must be a number (or a table of options such as {cap = 3}), found %s"),
         describe(v))
  end
  if only_keys(v, known) then return v, v.cap end
  for k in pairs(v) do
    if type(k) ~= "string" or not known[k] then
      fail(fname, tr("unknown option '%s' (known: %s)"), tostring(k), known[1])
    end
  end
  return v, v.cap
end

local function known(list)
  local t = { concat(list, ", ") }
  for _, k in ipairs(list) do t[k] = true end
  return t
end
local OCCURRENCE_OPTIONS = known({ "cap", "unit" })
local RATE_STEPS_OPTIONS = known({ "cap", "none", "round", "show" })
local RATE_OPTIONS = known({ "none", "show" })

-- options.round: true for "down" (whole steps only), false for "up".
local function round_mode(fname, v)
  if v == nil or v == "up" then return false end
  if v == "down" then return true end
  fail(fname, tr("option 'round' must be \"up\" or \"down\", found %s"), describe(v))
end

-- The rate a helper was given, as (value, state):
--   a number            -> rate, "value"
--   nil                 -> 0, "missing"          (counts as 0 %)
--   {num, den}, den > 0 -> num * 100 / den, "value" (num nil: 0, "missing");
--                          num and den may be indicator ids ("closed")
--   {num, den}, den 0 or nil:
--       options.none a text -> nil, "none"    (full points, that reason)
--       options.none false  -> 0, "zero"      (counts as 0 %)
-- The rule for a zero denominator must be written: without options.none
-- the counts form is an error, whatever the data.
local function read_rate(fname, rate, opts)
  if rate == nil then return 0, "missing" end
  if type(rate) == "number" then return rate, "value" end
  if type(rate) ~= "table" then
    fail(fname, tr("'rate' must be a number (a percentage) or {numerator, denominator}, found %s"),
         describe(rate))
  end
  local num, den = rate[1], rate[2]
  local none = opts.none
  -- Indicator ids: read the denominator first, and the numerator only
  -- when there is a denominator (the score sheet lists what was read).
  if type(den) == "string" then den = data[den] end
  if den ~= nil then need_number(fname, tr("rate[2] (the denominator)"), den) end
  if type(num) == "string" then
    if den == nil or den == 0 then num = nil else num = data[num] end
  end
  if num ~= nil then need_number(fname, tr("rate[1] (the numerator)"), num) end
  if none == nil then
    fail(fname, tr("a rate given as {numerator, denominator} needs the option none: the reason " ..
         "for full points when the denominator is 0 (none = \"本年度无案件\"), or none = false " ..
         "to count it as 0%%"))
  end
  if none ~= false and type(none) ~= "string" then
    fail(fname, tr("option 'none' must be text or false, found %s"), describe(none))
  end
  if den == nil or den == 0 then
    if none == false then return 0, "zero" end
    return nil, "none"
  end
  if num == nil then return 0, "missing" end
  return num * 100 / den, "value"
end

-- "<what><rate>", as reasons name a rate: "结案率88.89%";
-- "结案率（无数据，按0%计）"; "结案率（分母为0，按0%计）".  show = false
-- leaves the value out.
local function rate_text(what, r, state, show)
  if state == "missing" then return what .. "（无数据，按0%计）" end
  if state == "zero" then return what .. "（分母为0，按0%计）" end
  if show == false then return what end
  return what .. pct(r)
end

-- A target between 0 and 1 (0.95) is a fraction typed for a percentage
-- (95): every rate would reach it, and the item would never lose a point.
local function need_percent(fname, what, v)
  if v > 0 and v < 1 then
    fail(fname, tr("'%s' is %s, a fraction: rates are in percent, so every rate of 1%% or more " ..
         "reaches it; write %s for %s%%"), what, fmt(v), fmt(v * 100), fmt(v * 100))
  end
end

local function check_show(fname, v)
  if v ~= nil and type(v) ~= "boolean" then
    fail(fname, tr("option 'show' must be true or false, found %s"), describe(v))
  end
end

---------------------------------------------------------------------------
-- Making results
---------------------------------------------------------------------------

-- A result from an amount counted against the unit (added on bonus items).
local function from_amount(amount, reasons)
  local kind, points = item.kind, item.points or 0
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
  if points == nil and kind == "deduction" then
    error(format(tr("item %s is a deduction item without points: a helper that " ..
          "gives points out of the item's points cannot score it"), item.number), 3)
  end
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
  local kind, points = item.kind, item.points or huge
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
    fail(fname, tr("argument %s is %s (expected a result, such as per_occurrence(...) returns)"),
         tostring(i), describe(r))
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
  local t = type(reasons)
  if t == "string" then
    list[#list + 1] = reasons
  elseif t == "table" then
    -- what ipairs does (up to the first nil, through __index), without
    -- a call of its iterator for each reason
    local i = 1
    local r = reasons[1]
    while r ~= nil do
      list[#list + 1] = r
      i = i + 1
      r = reasons[i]
    end
  end
  return list
end

---------------------------------------------------------------------------
-- Helpers that give points
---------------------------------------------------------------------------

-- full([reason]): full points.  A reason, when given, is shown as it is
-- (e.g. "本年度未签订合同").
function H.full(reason)
  if item.kind == "veto" then not_veto("full") end
  return from_earned(need_points("full"), list_of(opt_text("full", "reason", reason)))
end

-- score(x [, reason]): the score x, as the item's kind reads it (the same
-- as `return x, reason`).
function H.score(x, reason)
  local F = "score"
  if item.kind == "veto" then not_veto(F) end
  if type(x) ~= "number" then need_number(F, "x", x) end
  local kind, deduction = item.kind, 0
  if kind == "item" then deduction = item.points - x
  elseif kind == "deduction" then deduction = x end
  return { score = x, deduction = deduction, reasons = list_of(opt_text(F, "reason", reason)) }
end

-- binary(ok, reason): full points when ok, else 0 with the reason
-- ("未建立法律顾问制度，不得分").
function H.binary(ok, reason)
  local F = "binary"
  if item.kind == "veto" then not_veto(F) end
  if reason == nil then reason = item.name .. "未达到要求"
  elseif type(reason) ~= "string" then opt_text(F, "reason", reason) end
  if truthy(ok) then return from_earned(need_points(F), {}) end
  return from_earned(0, list_of(earned_reason(reason, 0)))
end

-- graded(value, levels [, what]): the points levels[value] gives; values
-- not listed score 0.  levels = {["专门机构"] = 3, ["兼管"] = 2} (in params:
-- `levels: {专门机构: 3, 兼管: 2}`).  "法律顾问制度：兼管，得2分".
function H.graded(value, levels, what)
  local F = "graded"
  if item.kind == "veto" then not_veto(F) end
  if type(levels) ~= "table" then need_table(F, "levels", levels) end
  if what == nil then what = item.name
  elseif type(what) ~= "string" then opt_text(F, "what", what) end
  host.enum_keys(F, "levels", value, levels)
  local earned = 0
  if value ~= nil then
    local p = levels[value]
    if p ~= nil then
      -- the argument's name is made only for the message
      if type(p) ~= "number" then need_number(F, "levels[" .. show(value) .. "]", p) end
      earned = p
    end
  end
  local situation
  if value == nil then situation = what .. "：无数据"
  else situation = what .. "：" .. show(value) end
  return from_earned(earned, list_of(earned_reason(situation, earned)))
end

-- bands(value, list, what): the points of the first band the value is
-- in; outside every band (or no value): 0.  A band gives `min` (以上: the
-- value reaches it), `max` (以下: the value does not pass it) or both,
-- each counting the number itself (含本数), as 评分细则 word bands:
--   "95%以上5分，85%以上3分"  {{min = 95, points = 5}, {min = 85, points = 3}}
--   "纠错率为0的4分，5%以下3分" {{max = 0, points = 4}, {max = 5, points = 3}}
-- The bands are tried in the order listed.  `what` describes the value
-- as the reason should read ("关联率90%").
function H.bands(value, list, what)
  local F = "bands"
  if item.kind == "veto" then not_veto(F) end
  if value ~= nil and type(value) ~= "number" then need_number(F, "value", value) end
  if type(list) ~= "table" then need_table(F, "list", list) end
  if what == nil then what = item.name
  elseif type(what) ~= "string" then opt_text(F, "what", what) end
  for i, b in ipairs(list) do
    if type(b) ~= "table" then need_table(F, "list[" .. i .. "]", b) end
    local lo, hi = b.min, b.max
    if lo == nil and hi == nil then
      fail(F, tr("list[%s] has neither 'min' (以上) nor 'max' (以下): a band needs one or both"), i)
    end
    if lo ~= nil and type(lo) ~= "number" then need_number(F, "list[" .. i .. "].min", lo) end
    if hi ~= nil and type(hi) ~= "number" then need_number(F, "list[" .. i .. "].max", hi) end
    if type(b.points) ~= "number" then need_number(F, "list[" .. i .. "].points", b.points) end
  end
  local earned = 0
  if value ~= nil then
    for _, b in ipairs(list) do
      local lo, hi = b.min, b.max
      if (lo == nil or value >= lo - EPS) and (hi == nil or value <= hi + EPS) then
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
  if item.kind == "veto" then not_veto(F) end
  if rank ~= nil and type(rank) ~= "number" then need_number(F, "rank", rank) end
  if type(list) ~= "table" then need_table(F, "list", list) end
  if otherwise == nil then otherwise = 0
  elseif type(otherwise) ~= "number" then need_number(F, "otherwise", otherwise) end
  local earned, situation = otherwise, "无排名"
  if rank ~= nil and rank >= 1 then
    situation = "组内排名第" .. fmt(rank)
    local p = list[rank]
    if p ~= nil then
      if type(p) ~= "number" then need_number(F, "list[" .. fmt(rank) .. "]", p) end
      earned = p
    end
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
  if item.kind == "veto" then not_veto(F) end
  if type(points) ~= "table" then need_table(F, "points", points) end
  if what == nil then what = item.name
  elseif type(what) ~= "string" then opt_text(F, "what", what) end
  local list = levels
  if levels == nil then list = {}
  elseif type(levels) ~= "table" then list = { levels } end
  for _, level in ipairs(list) do host.enum_keys(F, "points", level, points) end
  local best, best_level, names = nil, nil, {}
  for _, level in ipairs(list) do
    local p = points[level]
    if p ~= nil then
      if type(p) ~= "number" then need_number(F, "points[" .. show(level) .. "]", p) end
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

-- proportional(rate, target, what [, options]): full points at or above
-- target %, below it points × rate / target ("低于80%的按 10×出庭率/80% 计分"),
-- rounded half up at the scheme's precision (item.precision).  `rate` and options (none, show) as for
-- rate_steps; no value counts as 0 %.
-- "出庭率60%，低于80%，按比例计分，得7.5分".
function H.proportional(rate, target, what, opts)
  local F = "proportional"
  if item.kind == "veto" then not_veto(F) end
  opts = options(F, opts, RATE_OPTIONS)
  if type(target) ~= "number" then need_number(F, "target", target) end
  if target <= 0 then fail(F, tr("'target' must be more than 0, found %s"), fmt(target)) end
  need_percent(F, "target", target)
  if what == nil then what = item.name
  elseif type(what) ~= "string" then opt_text(F, "what", what) end
  local show = opts.show
  if show ~= nil and type(show) ~= "boolean" then check_show(F, show) end
  local points = need_points(F)
  local r, state = read_rate(F, rate, opts)
  if state == "none" then return from_earned(points, list_of(opts.none)) end
  if r >= target - EPS then return from_earned(points, {}) end
  local earned = round_points(points * (r > 0 and r or 0) / target)
  local situation = rate_text(what, r, state, opts.show) .. "，低于" .. fmt(target) .. "%，按比例计分"
  return from_earned(earned, list_of(earned_reason(situation, earned)))
end

-- linear(rate, low, high, what [, options]): 0 points at or below low %,
-- full points at or above high %, in between in proportion
-- ("60%得0分、100%得满分、中间按比例"), rounded half up at the scheme's precision.  `rate` and
-- options (none, show) as for rate_steps; no value counts as 0 %.
-- "出庭率70%（60%得0分，100%得满分，其间按比例），得2.5分".
function H.linear(rate, low, high, what, opts)
  local F = "linear"
  if item.kind == "veto" then not_veto(F) end
  opts = options(F, opts, RATE_OPTIONS)
  if type(low) ~= "number" then need_number(F, "low", low) end
  if type(high) ~= "number" then need_number(F, "high", high) end
  if high <= low then
    fail(F, tr("'high' (%s) must be more than 'low' (%s)"), fmt(high), fmt(low))
  end
  need_percent(F, "high", high)
  if what == nil then what = item.name
  elseif type(what) ~= "string" then opt_text(F, "what", what) end
  local show = opts.show
  if show ~= nil and type(show) ~= "boolean" then check_show(F, show) end
  local points = need_points(F)
  local r, state = read_rate(F, rate, opts)
  if state == "none" then return from_earned(points, list_of(opts.none)) end
  local earned
  if r >= high - EPS then earned = points
  elseif r <= low + EPS then earned = 0
  else earned = round_points(points * (r - low) / (high - low)) end
  local situation = rate_text(what, r, state, opts.show) .. "（" .. fmt(low) .. "%得0分，" ..
                    fmt(high) .. "%得满分，其间按比例）"
  return from_earned(earned, list_of(earned_reason(situation, earned)))
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

-- per_occurrence(count, each, what [, cap | options]): `each` per
-- occurrence, at most cap (default: the item's points).  `count` is a
-- number, or an indicator id ("case_files_failed"): then its value is
-- read and its catalogue `unit:` is the measure word.  The measure word is
-- options.unit when given, else the indicator's unit, else 次:
-- "迟报2次，每次扣0.5分，扣1分", "评查不合格案卷3卷，每卷扣1分，扣3分".
-- options: {cap = 3, unit = "卷"}; a number alone is the cap.
--
-- The checks of the helpers that rules call most are written out: a
-- call of need_number() and the like for each argument cost more than
-- the rest of the helper.  They fail as the functions do.
function H.per_occurrence(count, each, what, opts)
  local F = "per_occurrence"
  local it = item
  if it.kind == "veto" then not_veto(F) end
  local cap
  if opts == nil then opts = NO_OPTIONS
  else opts, cap = options(F, opts, OCCURRENCE_OPTIONS) end
  local unit = opts.unit
  if unit == nil then unit = ""
  elseif type(unit) ~= "string" then opt_text(F, "unit", unit, "") end
  local ct = type(count)
  if ct == "string" then
    if unit == "" then unit = unit_of(count) end
    count = data[count]
    ct = type(count)
  end
  if unit == "" then unit = "次" end
  if count == nil then count = 0
  elseif ct ~= "number" then need_number(F, "count", count) end
  if type(each) ~= "number" then need_number(F, "each", each) end
  if what == nil then what = it.name
  elseif type(what) ~= "string" then opt_text(F, "what", what) end
  if cap == nil then cap = it.points or huge
  elseif type(cap) ~= "number" then need_number(F, "cap", cap) end
  if count <= 0 or each == 0 then return from_amount(0, {}) end
  local text = what .. fmt(count) .. unit .. "，每" .. unit .. verb() .. fmt(each) .. "分"
  return from_amount(capped(count * each, cap, text))
end

-- shortfall(actual, required, each, what [, cap]): `each` per occurrence
-- short of `required`, at most cap (default: the item's points).
-- "专题研究不足3次（要求3，实际1），每少1扣0.5分，扣1分".
function H.shortfall(actual, required, each, what, cap)
  local F = "shortfall"
  if item.kind == "veto" then not_veto(F) end
  if actual == nil then actual = 0
  elseif type(actual) ~= "number" then need_number(F, "actual", actual) end
  if type(required) ~= "number" then need_number(F, "required", required) end
  if type(each) ~= "number" then need_number(F, "each", each) end
  if what == nil then what = item.name
  elseif type(what) ~= "string" then opt_text(F, "what", what) end
  if cap == nil then cap = item_cap()
  elseif type(cap) ~= "number" then need_number(F, "cap", cap) end
  local short = required - actual
  if short <= 0 or each == 0 then return from_amount(0, {}) end
  local text = what .. "（要求" .. fmt(required) .. "，实际" .. fmt(actual) .. "），每少1" ..
               verb() .. fmt(each) .. "分"
  return from_amount(capped(short * each, cap, text))
end

-- rate_steps(rate, target, step, each, what [, cap | options]): below
-- target %, `each` per `step` percentage points short, at most cap
-- (default: the item's points).  `rate` is a percentage or
-- {numerator, denominator} (see "Rates" at the top); no value counts as
-- 0 %.  `what` names the rate; its value follows it in the reason.
--   options.round  "up" (default): a started step counts in full
--                  (不足10个百分点按10个百分点计);
--                  "down": only whole steps count (每低满10个百分点，不满的部分不扣)
--   options.none   with {numerator, denominator}: see "Rates"
--   options.show   false: do not add the rate's value after `what`
--   options.cap    as the 6th argument alone
-- "结案率88.89%，低于90%，每低10个百分点扣1分，扣1分";
-- round = "down": "结案率75%，低于90%，每低满10个百分点扣1分，扣1分".
function H.rate_steps(rate, target, step, each, what, opts)
  local F = "rate_steps"
  if item.kind == "veto" then not_veto(F) end
  local cap
  opts, cap = options(F, opts, RATE_STEPS_OPTIONS)
  if type(target) ~= "number" then need_number(F, "target", target) end
  need_percent(F, "target", target)
  if type(step) ~= "number" then need_number(F, "step", step) end
  if step <= 0 then fail(F, tr("'step' must be more than 0, found %s"), fmt(step)) end
  if type(each) ~= "number" then need_number(F, "each", each) end
  if what == nil then what = item.name
  elseif type(what) ~= "string" then opt_text(F, "what", what) end
  if cap == nil then cap = item_cap()
  elseif type(cap) ~= "number" then need_number(F, "cap", cap) end
  local down, round = false, opts.round
  if round ~= nil and round ~= "up" then down = round_mode(F, round) end
  local show = opts.show
  if show ~= nil and type(show) ~= "boolean" then check_show(F, show) end
  local r, state = read_rate(F, rate, opts)
  if state == "none" then return from_amount(0, list_of(opts.none)) end
  if r >= target - EPS then return from_amount(0, {}) end
  local steps
  if down then steps = floor((target - r) / step + EPS)
  else steps = ceil((target - r) / step - EPS) end
  if steps <= 0 then return from_amount(0, {}) end
  local text = rate_text(what, r, state, opts.show) .. "，低于" .. fmt(target) .. "%，每低" ..
               (down and "满" or "") .. fmt(step) .. "个百分点" .. verb() .. fmt(each) .. "分"
  return from_amount(capped(steps * each, cap, text))
end

-- threshold(value, target, deduction, what): `deduction` when value is
-- below target (or missing).  `what` is the reason as it should read:
-- "备案率未达100%" gives "备案率未达100%，扣15分".
function H.threshold(value, target, deduction, what)
  local F = "threshold"
  if item.kind == "veto" then not_veto(F) end
  if value ~= nil and type(value) ~= "number" then need_number(F, "value", value) end
  if type(target) ~= "number" then need_number(F, "target", target) end
  if type(deduction) ~= "number" then need_number(F, "deduction", deduction) end
  if what == nil then what = item.name .. "未达到要求"
  elseif type(what) ~= "string" then opt_text(F, "what", what) end
  if value ~= nil and value >= target - EPS then return from_amount(0, {}) end
  return from_amount(deduction, { what .. "，" .. verb() .. fmt(deduction) .. "分" })
end

-- discretionary(amount, reason): an assessor's deduction entered as data
-- (酌情扣分), with the assessor's reason: "台账不完整，扣1.5分".
function H.discretionary(amount, reason)
  local F = "discretionary"
  if item.kind == "veto" then not_veto(F) end
  if amount == nil then amount = 0
  elseif type(amount) ~= "number" then need_number(F, "amount", amount) end
  if amount < 0 then fail(F, tr("'amount' must not be negative, found %s"), fmt(amount)) end
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
  if item.kind == "veto" then not_veto(F) end
  local n = select("#", ...)
  local args = { ... }
  local cap = item_cap()
  local last = args[n]
  if n > 0 and type(last) == "table" and last.score == nil then
    cap = opt_number(F, "cap", last.cap, item_cap())
    n = n - 1
  end
  local total, reasons = 0, {}
  for i = 1, n do
    local r = args[i]
    if r ~= nil then
      if type(r) ~= "table" or type(r.score) ~= "number" then need_result(F, i, r) end
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
  if item.kind == "veto" then not_veto(F) end
  need_result(F, 1, r)
  if item.kind == "bonus" then
    fail(F, tr("item %s is a bonus item: there is no deduction to double"), item.number)
  end
  if reason == nil then reason = "经核查不实，扣分加倍"
  elseif type(reason) ~= "string" then opt_text(F, "reason", reason) end
  if not truthy(verified_false) then return r end
  local d = amount_of(r)
  if d <= 0 then return r end
  local reasons = add_reasons({}, r.reasons)
  local amount, why = capped(2 * d, item_cap(), reason)
  reasons[#reasons + 1] = why[1]
  return from_amount(amount, reasons)
end

-- veto(cond, reason): for veto items (一票否决): applies when cond holds.
function H.veto(cond, reason)
  if item.kind ~= "veto" then
    fail("veto", tr("item %s is not a veto item (一票否决)"), item.number)
  end
  reason = opt_text("veto", "reason", reason, item.name)
  if truthy(cond) then
    return { score = 1, deduction = 0, veto = true, reasons = list_of(reason) }
  end
  return { score = 0, deduction = 0, veto = false, reasons = {} }
end

-- The memos differ between states (each holds what its calls met first):
-- the host empties them before it confirms that a call is over the
-- memory cap, so that the cap does not depend on earlier calls.
function host.forget()
  translated = {}
  fmt_memo, fmt_kept = {}, 0
end

return H
