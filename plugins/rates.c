/*
 * rates.c - the `rates` plugin: rate thresholds of 评分细则.
 *
 *   rate_steps  "结案率达90%，低于此每10个百分点扣1分（不足10个百分点按10个百分点计）"
 *       params: indicator  a percent (or number) indicator holding the rate
 *               target     the rate required, in percent (90)
 *               step       percentage points per step (10), more than 0
 *               each       points per step (1)
 *               what       the rate's name in reasons (default: the item's name)
 *               cap        at most this much (default: the item's points)
 *               round      up (default: a started step counts in full) or
 *                          down (only whole steps count)
 *       reason: "结案率85%，低于90%，每低10个百分点扣1分，扣1分"
 *
 *   threshold   "备案率未达100%扣15分"
 *       params: indicator  a numeric or boolean (1/0) indicator
 *               target     the value required (100)
 *               deduction  deducted when the value is below target or missing
 *               what       the reason (default: "<item name>未达到要求")
 *       reason: "备案率未达100%，扣15分"
 *
 * Both behave like the Lua helpers of the same name (rules/lawscore.lua)
 * called as
 *     rate_steps(data[indicator], target, step, each, what .. "85%", cap)
 *     threshold(data[indicator], target, deduction, what)
 * where the rate is shown rounded to one decimal; a missing rate counts
 * as 0% ("结案率（无数据，按0%计），低于90%..."), a missing value as not
 * reached.  The result follows the item's kind: the score (points -
 * deduction) on ordinary items, the deduction on deduction-only items,
 * the amount earned on bonus items.  Veto items are refused at bind time.
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

static int refuse_veto(const lsp_host *h, lsp_bind_ctx *b, const char *fn)
{
    const lsp_item *it = h->bind_item(b);
    if (it->kind != LSP_VETO) return 0;
    return h->bind_error(b, NULL, "item %s is a veto item (一票否决): %s cannot score it",
                         it->number, fn);
}

/* ---- rate_steps ------------------------------------------------------- */

typedef struct rate_steps_state {
    int ind;
    double target, step, each, cap;   /* cap < 0: the item's points */
    const char *what;
    int round_down;
} rate_steps_state;

static int rate_steps_bind(const lsp_host *h, lsp_bind_ctx *b)
{
    if (refuse_veto(h, b, "rate_steps")) return -1;
    rate_steps_state st = {.cap = -1, .what = h->bind_item(b)->name};
    const char *round = "up";
    char x[LSP_FMT_SIZE];
    int bad = 0;
    bad |= h->param_indicator(b, "indicator", LSP_REQUIRED, LSP_NUMERIC, &st.ind) < 0;
    bad |= h->param_number(b, "target", LSP_REQUIRED, &st.target) < 0;
    if (h->param_number(b, "step", LSP_REQUIRED, &st.step) < 0) bad = 1;
    else if (st.step <= 0)
        bad = h->bind_error(b, "step", "parameter 'step' must be more than 0, found %s",
                            h->fmt(st.step, x, sizeof x));
    bad |= h->param_number(b, "each", LSP_REQUIRED, &st.each) < 0;
    bad |= h->param_string(b, "what", LSP_OPTIONAL, &st.what) < 0;
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
    rate_steps_state *p = malloc(sizeof *p);
    if (!p) return h->bind_error(b, NULL, "out of memory");
    *p = st;
    h->set_state(b, p);
    return 0;
}

static int rate_steps_score(const lsp_host *h, lsp_call *c)
{
    const rate_steps_state *st = h->state(c);
    const lsp_item *it = h->item(c);
    int set;
    double rate = h->number(c, st->ind, &set);
    if (set && rate >= st->target - EPS) return h->amount(c, 0, st->cap, NULL);
    double r = set ? rate : 0;
    double steps = st->round_down ? floor((st->target - r) / st->step + EPS)
                                  : ceil((st->target - r) / st->step - EPS);
    if (st->round_down && steps <= 0) return h->amount(c, 0, st->cap, NULL);
    char shown[LSP_FMT_SIZE], t[LSP_FMT_SIZE], s[LSP_FMT_SIZE], e[LSP_FMT_SIZE];
    char *text = textf("%s%s%s，低于%s%%，每低%s个百分点%s%s分", st->what,
                       set ? h->fmt(floor(rate * 10 + 0.5) / 10, shown, sizeof shown) : "",
                       set ? "%" : "（无数据，按0%计）", h->fmt(st->target, t, sizeof t),
                       h->fmt(st->step, s, sizeof s), it->verb, h->fmt(st->each, e, sizeof e));
    if (!text) return h->fail(c, "out of memory");
    int rc = h->amount(c, steps * st->each, st->cap, text);
    free(text);
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
};

LSP_PLUGIN("rates", "1.0.0", functions)
