/*
 * rates.c - the `rates` plugin: rates of 评分细则.
 *
 * Each function reads its rate from one indicator, or from two:
 *       indicator    a percent (or number) indicator holding the rate, or
 *       numerator    two numeric indicators: rate = numerator / denominator
 *       denominator  × 100%
 *       none         with numerator/denominator, required: what a
 *                    denominator of 0 (or not given: "no cases this year")
 *                    gives: a text gives full points (no deduction) with
 *                    that reason ("本年度无行政处罚案件"); false counts the
 *                    rate as 0%
 *       what         the rate's name in reasons (default: the item's name)
 *       show         false: leave the rate's value out of the reason
 * A rate not given (or a numerator not given) counts as 0%.  Rates show in
 * reasons with at most two decimals, rounded half up (88.89%).
 *
 *   rate_steps  "结案率达90%，低于此每10个百分点扣1分（不足10个百分点按10个百分点计）"
 *       params: target     the rate required, in percent (90)
 *               step       percentage points per step (10), more than 0
 *               each       points per step (1)
 *               cap        at most this much (default: the item's points)
 *               round      up (default: a started step counts in full) or
 *                          down (only whole steps count: 每低满10个百分点)
 *       reason: "结案率85%，低于90%，每低10个百分点扣1分，扣1分"
 *
 *   proportional  "低于80%的按 10×出庭率/80% 计分"
 *       params: target     full points at or above this rate; below it
 *                          points × rate / target, rounded half up at the
 *                          scheme's precision (0.01 by default)
 *       reason: "出庭率60%，低于80%，按比例计分，得7.5分"
 *
 *   linear      "60%得0分、100%得满分、中间按比例"
 *       params: low, high  0 points at or below low, full points at or
 *                          above high, in between in proportion (rounded
 *                          at the scheme's precision)
 *       reason: "出庭率70%（60%得0分，100%得满分，其间按比例），得2.5分"
 *
 *   threshold   "备案率未达100%扣15分"
 *       params: indicator  a numeric or boolean (1/0) indicator
 *               target     the value required (100)
 *               deduction  deducted when the value is below target or missing
 *               what       the reason (default: "<item name>未达到要求")
 *       reason: "备案率未达100%，扣15分"
 *
 * Each behaves, word for word, like the Lua helper of the same name
 * (rules/lawscore.lua) called as
 *     rate_steps(RATE, target, step, each, what, {cap =, round =, none =, show =})
 *     proportional(RATE, target, what, {none =, show =})
 *     linear(RATE, low, high, what, {none =, show =})
 *     threshold(data[indicator], target, deduction, what)
 * with RATE data[indicator] or {data[numerator], data[denominator]};
 * tests/twins checks that they do.  The result follows the item's kind:
 * the score (points - deduction) on ordinary items, the deduction on
 * deduction-only items, the amount earned on bonus items.  Veto items are
 * refused at bind time.
 *
 * Depends on: lawscore_plugin.h, libc, libm.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lawscore_plugin.h"

#define EPS 1e-9

/* A formatted string on the heap (caller frees), or NULL. */
static char *textf(const char *fmt, ...) LSP_PRINTF(1, 2);
static char *textf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s) return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* round2() of rules/lawscore.lua: half up to two decimals, a decimal that
 * binary floating point holds just below the half (6.515) rounding up. */
static double round2(double x)
{
    return floor(x * 100 + 0.5 + 1e-7) / 100;
}

/* Points earned in proportion, rounded half up at the scheme's precision
 * (h->precision, 0.01 on a host older than ABI 1.2), as proportional()
 * and linear() of rules/lawscore.lua round them with item.precision. */
static double round_points(const lsp_host *h, lsp_call *c, double x)
{
    double p = LSP_HOST_HAS(h, precision) ? h->precision(c) : 0.01;
    double m = floor(1 / p + 0.5);
    return floor(x * m + 0.5 + 1e-7) / m;
}

static int refuse_veto(const lsp_host *h, lsp_bind_ctx *b, const char *fn)
{
    const lsp_item *it = h->bind_item(b);
    if (it->kind != LSP_VETO) return 0;
    return h->bind_error(b, NULL, "item %s is a veto item (一票否决): %s cannot score it",
                         it->number, fn);
}

/* A target between 0 and 1 (0.95) is a fraction typed for a percentage
 * (95): every rate would reach it and the item never lose a point.  The
 * Lua helpers refuse it the same way (need_percent in rules/lawscore.lua). */
static int refuse_fraction(const lsp_host *h, lsp_bind_ctx *b, const char *name, double v)
{
    if (!(v > 0 && v < 1)) return 0;
    char x[LSP_FMT_SIZE], y[LSP_FMT_SIZE];
    return h->bind_error(b, name,
                         "parameter '%s' is %s, a fraction: rates are in percent, so every rate "
                         "of 1%% or more reaches it; write %s for %s%%",
                         name, h->fmt(v, x, sizeof x), h->fmt(v * 100, y, sizeof y), y);
}

/* ---- reading a rate ------------------------------------------------------ */

typedef struct rate_src {
    int ind;                  /* the rate's indicator, or -1 */
    int num, den;             /* numerator/denominator, when ind is -1 */
    const char *none;         /* NULL: none: false (0%) */
    const char *what;
    int show;
} rate_src;

enum { RATE_VALUE, RATE_MISSING, RATE_NONE, RATE_ZERO };

static int rate_bind(const lsp_host *h, lsp_bind_ctx *b, rate_src *src)
{
    *src = (rate_src){.ind = -1, .num = -1, .den = -1, .what = h->bind_item(b)->name, .show = 1};
    int bad = 0;
    if (h->param_kind(b, "indicator") != LSP_P_ABSENT) {
        bad |= h->param_indicator(b, "indicator", LSP_REQUIRED, LSP_NUMERIC, &src->ind) < 0;
        if (h->param_kind(b, "numerator") != LSP_P_ABSENT || h->param_kind(b, "denominator") != LSP_P_ABSENT)
            bad = h->bind_error(b, "indicator", "give the rate's 'indicator' or its 'numerator' and "
                                                "'denominator', not both");
    } else if (h->param_kind(b, "numerator") == LSP_P_ABSENT && h->param_kind(b, "denominator") == LSP_P_ABSENT) {
        bad = h->bind_error(b, NULL, "missing parameter 'indicator' (the rate), or 'numerator' "
                                     "and 'denominator' (the counts it is made of)");
    } else {
        bad |= h->param_indicator(b, "numerator", LSP_REQUIRED, LSP_NUMERIC, &src->num) < 0;
        bad |= h->param_indicator(b, "denominator", LSP_REQUIRED, LSP_NUMERIC, &src->den) < 0;
        int k = h->param_kind(b, "none");
        int flag;
        if (k == LSP_P_ABSENT)
            bad = h->bind_error(b, NULL, "missing parameter 'none': what a denominator of 0 gives, "
                                         "the reason for full points (none: 本年度无案件), or "
                                         "none: false to count it as 0%%");
        else if (k == LSP_P_BOOL) {
            if (h->param_bool(b, "none", LSP_REQUIRED, &flag) < 0) bad = 1;
            else if (flag)
                bad = h->bind_error(b, "none", "parameter 'none' must be a text (the reason for "
                                               "full points) or false, found true");
        } else if (h->param_string(b, "none", LSP_REQUIRED, &src->none) < 0)
            bad = 1;
    }
    if (src->ind >= 0 && h->param_kind(b, "none") != LSP_P_ABSENT)
        bad = h->bind_error(b, "none", "parameter 'none' goes with 'numerator' and 'denominator'");
    return bad ? -1 : 0;
}

/* The rate's name and whether its value shows: `what`, `show`. */
static int rate_bind_text(const lsp_host *h, lsp_bind_ctx *b, rate_src *src)
{
    int bad = h->param_string(b, "what", LSP_OPTIONAL, &src->what) < 0;
    bad |= h->param_bool(b, "show", LSP_OPTIONAL, &src->show) < 0;
    return bad ? -1 : 0;
}

/* read_rate() of rules/lawscore.lua: the rate in *r and its state. */
static int rate_read(const lsp_host *h, lsp_call *c, const rate_src *src, double *r)
{
    int set;
    *r = 0;
    if (src->ind >= 0) {
        double v = h->number(c, src->ind, &set);
        if (!set) return RATE_MISSING;
        *r = v;
        return RATE_VALUE;
    }
    /* The denominator first: a unit without one reads only it (the score
     * sheet lists the indicators a rule read). */
    double d = h->number(c, src->den, &set);
    if (!set || d == 0) return src->none ? RATE_NONE : RATE_ZERO;
    double n = h->number(c, src->num, &set);
    if (!set) return RATE_MISSING;
    *r = n * 100 / d;
    return RATE_VALUE;
}

/* rate_text() of rules/lawscore.lua: "结案率88.89%" (heap, caller frees). */
static char *rate_text(const lsp_host *h, const rate_src *src, double r, int state)
{
    char x[LSP_FMT_SIZE];
    if (state == RATE_MISSING) return textf("%s（无数据，按0%%计）", src->what);
    if (state == RATE_ZERO) return textf("%s（分母为0，按0%%计）", src->what);
    if (!src->show) return textf("%s", src->what);
    return textf("%s%s%%", src->what, h->fmt(round2(r), x, sizeof x));
}

/* full(none) of rules/lawscore.lua. */
static int rate_none(const lsp_host *h, lsp_call *c, const rate_src *src, int amount)
{
    if (amount ? h->amount(c, 0, -1, NULL) : h->earned(c, h->item(c)->points, NULL)) return -1;
    return src->none[0] ? h->reason(c, src->none) : 0;
}

static void *keep(const lsp_host *h, lsp_bind_ctx *b, const void *st, size_t size)
{
    void *p = malloc(size);
    if (!p) {
        h->bind_error(b, NULL, "out of memory");
        return NULL;
    }
    memcpy(p, st, size);
    h->set_state(b, p);
    return p;
}

/* ---- rate_steps ------------------------------------------------------- */

typedef struct rate_steps_state {
    rate_src src;
    double target, step, each, cap;   /* cap < 0: the item's points */
    int round_down;
} rate_steps_state;

static int rate_steps_bind(const lsp_host *h, lsp_bind_ctx *b)
{
    if (refuse_veto(h, b, "rate_steps")) return -1;
    rate_steps_state st = {.cap = -1};
    const char *round = "up";
    char x[LSP_FMT_SIZE];
    int bad = rate_bind(h, b, &st.src) < 0;
    if (h->param_number(b, "target", LSP_REQUIRED, &st.target) < 0) bad = 1;
    else bad |= refuse_fraction(h, b, "target", st.target) < 0;
    if (h->param_number(b, "step", LSP_REQUIRED, &st.step) < 0) bad = 1;
    else if (st.step <= 0)
        bad = h->bind_error(b, "step", "parameter 'step' must be more than 0, found %s",
                            h->fmt(st.step, x, sizeof x));
    bad |= h->param_number(b, "each", LSP_REQUIRED, &st.each) < 0;
    bad |= rate_bind_text(h, b, &st.src) < 0;
    int rc = h->param_number(b, "cap", LSP_OPTIONAL, &st.cap);
    if (rc < 0) bad = 1;
    else if (rc == 0 && st.cap < 0)
        bad = h->bind_error(b, "cap", "parameter 'cap' must not be negative, found %s",
                            h->fmt(st.cap, x, sizeof x));
    if (h->param_string(b, "round", LSP_OPTIONAL, &round) < 0) bad = 1;
    else if (!strcmp(round, "down")) st.round_down = 1;
    else if (strcmp(round, "up"))
        bad = h->bind_error(b, "round", "parameter 'round' must be up or down, found '%s'", round);
    if (bad) return -1;
    return keep(h, b, &st, sizeof st) ? 0 : -1;
}

static int rate_steps_score(const lsp_host *h, lsp_call *c)
{
    const rate_steps_state *st = h->state(c);
    const lsp_item *it = h->item(c);
    double r;
    int state = rate_read(h, c, &st->src, &r);
    if (state == RATE_NONE) return rate_none(h, c, &st->src, 1);
    if (r >= st->target - EPS) return h->amount(c, 0, st->cap, NULL);
    double steps = st->round_down ? floor((st->target - r) / st->step + EPS)
                                  : ceil((st->target - r) / st->step - EPS);
    if (steps <= 0) return h->amount(c, 0, st->cap, NULL);
    char t[LSP_FMT_SIZE], s[LSP_FMT_SIZE], e[LSP_FMT_SIZE];
    char *shown = rate_text(h, &st->src, r, state);
    char *text = shown ? textf("%s，低于%s%%，每低%s%s个百分点%s%s分", shown,
                               h->fmt(st->target, t, sizeof t), st->round_down ? "满" : "",
                               h->fmt(st->step, s, sizeof s), it->verb, h->fmt(st->each, e, sizeof e))
                       : NULL;
    free(shown);
    if (!text) return h->fail(c, "out of memory");
    int rc = h->amount(c, steps * st->each, st->cap, text);
    free(text);
    return rc;
}

/* ---- proportional and linear ---------------------------------------------- */

typedef struct scale_state {
    rate_src src;
    double low, high;         /* proportional: low 0, high the target */
    int proportional;
} scale_state;

static int scale_bind(const lsp_host *h, lsp_bind_ctx *b, int proportional)
{
    const char *fn = proportional ? "proportional" : "linear";
    if (refuse_veto(h, b, fn)) return -1;
    const lsp_item *it = h->bind_item(b);
    if (!isfinite(it->points))
        return h->bind_error(b, NULL, "item %s has no points of its own: %s has no full points "
                                      "to give", it->number, fn);
    scale_state st = {.proportional = proportional};
    char x[LSP_FMT_SIZE], y[LSP_FMT_SIZE];
    int bad = rate_bind(h, b, &st.src) < 0;
    if (proportional) {
        if (h->param_number(b, "target", LSP_REQUIRED, &st.high) < 0) bad = 1;
        else if (st.high <= 0)
            bad = h->bind_error(b, "target", "parameter 'target' must be more than 0, found %s",
                                h->fmt(st.high, x, sizeof x));
        else bad |= refuse_fraction(h, b, "target", st.high) < 0;
    } else {
        int lo = h->param_number(b, "low", LSP_REQUIRED, &st.low);
        int hi = h->param_number(b, "high", LSP_REQUIRED, &st.high);
        if (lo < 0 || hi < 0) bad = 1;
        else if (st.high <= st.low)
            bad = h->bind_error(b, "high", "parameter 'high' (%s) must be more than 'low' (%s)",
                                h->fmt(st.high, x, sizeof x), h->fmt(st.low, y, sizeof y));
        else bad |= refuse_fraction(h, b, "high", st.high) < 0;
    }
    bad |= rate_bind_text(h, b, &st.src) < 0;
    if (bad) return -1;
    return keep(h, b, &st, sizeof st) ? 0 : -1;
}

static int proportional_bind(const lsp_host *h, lsp_bind_ctx *b) { return scale_bind(h, b, 1); }
static int linear_bind(const lsp_host *h, lsp_bind_ctx *b) { return scale_bind(h, b, 0); }

static int scale_score(const lsp_host *h, lsp_call *c)
{
    const scale_state *st = h->state(c);
    double points = h->item(c)->points, r, earned;
    int state = rate_read(h, c, &st->src, &r);
    if (state == RATE_NONE) return rate_none(h, c, &st->src, 0);
    char lo[LSP_FMT_SIZE], hi[LSP_FMT_SIZE];
    char *shown = NULL, *situation = NULL;
    if (st->proportional) {
        if (r >= st->high - EPS) return h->earned(c, points, NULL);
        earned = round_points(h, c, points * (r > 0 ? r : 0) / st->high);
        shown = rate_text(h, &st->src, r, state);
        if (shown) situation = textf("%s，低于%s%%，按比例计分", shown, h->fmt(st->high, hi, sizeof hi));
    } else {
        if (r >= st->high - EPS) earned = points;
        else if (r <= st->low + EPS) earned = 0;
        else earned = round_points(h, c, points * (r - st->low) / (st->high - st->low));
        shown = rate_text(h, &st->src, r, state);
        if (shown)
            situation = textf("%s（%s%%得0分，%s%%得满分，其间按比例）", shown,
                              h->fmt(st->low, lo, sizeof lo), h->fmt(st->high, hi, sizeof hi));
    }
    free(shown);
    if (!situation) return h->fail(c, "out of memory");
    int rc = h->earned(c, earned, situation);
    free(situation);
    return rc;
}

/* ---- threshold --------------------------------------------------------- */

typedef struct threshold_state {
    int ind;
    double target, deduction;
    const char *what;     /* NULL: "<item name>未达到要求" */
} threshold_state;

static int threshold_bind(const lsp_host *h, lsp_bind_ctx *b)
{
    if (refuse_veto(h, b, "threshold")) return -1;
    threshold_state st = {.what = NULL};
    int bad = 0;
    bad |= h->param_indicator(b, "indicator", LSP_REQUIRED,
                              LSP_NUMERIC | LSP_TYPE(LSP_T_BOOLEAN), &st.ind) < 0;
    bad |= h->param_number(b, "target", LSP_REQUIRED, &st.target) < 0;
    bad |= h->param_number(b, "deduction", LSP_REQUIRED, &st.deduction) < 0;
    bad |= h->param_string(b, "what", LSP_OPTIONAL, &st.what) < 0;
    if (bad) return -1;
    threshold_state *p = malloc(sizeof *p);
    if (!p) return h->bind_error(b, NULL, "out of memory");
    *p = st;
    h->set_state(b, p);
    return 0;
}

static int threshold_score(const lsp_host *h, lsp_call *c)
{
    const threshold_state *st = h->state(c);
    const lsp_item *it = h->item(c);
    int set;
    double v = h->number(c, st->ind, &set);
    if (set && v >= st->target - EPS) return h->amount(c, 0, -1, NULL);
    char *text = st->what ? textf("%s", st->what) : textf("%s未达到要求", it->name);
    if (!text) return h->fail(c, "out of memory");
    /* threshold() deducts its amount without a cap of its own: the engine
     * keeps the item within its points. */
    int rc = h->amount(c, st->deduction, HUGE_VAL, text);
    free(text);
    return rc;
}

static const lsp_function functions[] = {
    {"rate_steps", rate_steps_bind, rate_steps_score, free,
     "below a target rate, deduct per step of percentage points (结案率达90%，低于此每10个百分点扣1分)"},
    {"threshold", threshold_bind, threshold_score, free,
     "deduct a fixed amount when a value is below a target (备案率未达100%扣15分)"},
    {"proportional", proportional_bind, scale_score, free,
     "below a target rate, points in proportion (低于80%的按 10×出庭率/80% 计分)"},
    {"linear", linear_bind, scale_score, free,
     "points in proportion between two rates (60%得0分、100%得满分、中间按比例)"},
};

LSP_PLUGIN_THREADSAFE("rates", "1.1.0", functions)
