/*
 * template.c - a complete, small lawscore plugin to copy when writing a
 * new one (docs/plugins.md walks through it).
 *
 *   per_occurrence  "迟报一次扣0.5分，扣完为止"
 *       params: indicator  an integer (or number) indicator: the count
 *               each       points per occurrence (0.5)
 *               what       what is counted, in reasons (default: the item's name)
 *               cap        at most this much (default: the item's points)
 *               unit       the count's measure word: 卷, 人, 篇, 件 (default:
 *                          the indicator's catalogue `unit:`, else 次)
 *       reason: "迟报2次，每次扣0.5分，扣1分", with unit 卷 "评查不合格案卷3卷，每卷扣1分，扣3分"
 *
 * In a scheme:
 *     - id: c8.3
 *       name: 按时报送信息
 *       points: 3
 *       rule: {plugin: template, function: per_occurrence}
 *       params: {indicator: late_reports, each: 0.5, what: 迟报}
 *
 * Behaves like the Lua helper per_occurrence(indicator, each, what,
 * {cap = cap, unit = unit}) of rules/lawscore.lua (the indicator given by
 * its id): a missing count counts as 0.
 *
 * Depends on: lawscore_plugin.h (the only lawscore header a plugin
 * includes), libc.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lawscore_plugin.h"

/* What bind works out once per item, for every call of that item. */
typedef struct per_occurrence_state {
    int count;            /* indicator handle */
    double each;
    double cap;           /* < 0: the item's points */
    const char *what;     /* lives as long as the scheme */
    const char *unit;     /* measure word */
} per_occurrence_state;

/* Runs once per item when the scheme is bound: check every parameter
 * (each accessor reports its own error, positioned in the scheme; keep
 * going so the author sees all of them at once), then keep a state. */
static int per_occurrence_bind(const lsp_host *h, lsp_bind_ctx *b)
{
    const lsp_item *it = h->bind_item(b);
    if (it->kind == LSP_VETO)
        return h->bind_error(b, NULL, "item %s is a veto item (一票否决): "
                                      "per_occurrence cannot score it", it->number);
    per_occurrence_state st = {.cap = -1, .what = it->name, .unit = "次"};
    int bad = 0;
    bad |= h->param_indicator(b, "indicator", LSP_REQUIRED,
                              LSP_TYPE(LSP_T_INTEGER) | LSP_TYPE(LSP_T_NUMBER), &st.count) < 0;
    bad |= h->param_number(b, "each", LSP_REQUIRED, &st.each) < 0;
    bad |= h->param_string(b, "what", LSP_OPTIONAL, &st.what) < 0;   /* keeps the default */
    /* The measure word: the parameter, else the catalogue's (host ABI 1.1). */
    if (!bad && h->param_kind(b, "unit") == LSP_P_ABSENT && LSP_HOST_HAS(h, indicator_unit))
        st.unit = h->indicator_unit(b, st.count);
    bad |= h->param_string(b, "unit", LSP_OPTIONAL, &st.unit) < 0;
    if (!st.unit || !st.unit[0]) st.unit = "次";
    int rc = h->param_number(b, "cap", LSP_OPTIONAL, &st.cap);
    if (rc < 0) bad = 1;
    else if (rc == 0 && st.cap < 0)
        bad = h->bind_error(b, "cap", "parameter 'cap' must not be negative");
    if (bad) return -1;
    per_occurrence_state *p = malloc(sizeof *p);
    if (!p) return h->bind_error(b, NULL, "out of memory");
    *p = st;
    h->set_state(b, p);   /* freed with free_state (below: free) */
    return 0;
}

/* Runs once per (unit, item): read, compute, set the result and reasons. */
static int per_occurrence_score(const lsp_host *h, lsp_call *c)
{
    const per_occurrence_state *st = h->state(c);
    const lsp_item *it = h->item(c);
    double count = h->number(c, st->count, NULL);      /* not given: 0 */
    if (count <= 0 || st->each == 0) return h->amount(c, 0, st->cap, NULL);
    char n[LSP_FMT_SIZE], e[LSP_FMT_SIZE];
    size_t len = strlen(st->what) + 2 * strlen(st->unit) + 2 * LSP_FMT_SIZE + 32;
    char *text = malloc(len);
    if (!text) return h->fail(c, "out of memory");
    snprintf(text, len, "%s%s%s，每%s%s%s分", st->what, h->fmt(count, n, sizeof n), st->unit,
             st->unit, it->verb, h->fmt(st->each, e, sizeof e));
    /* amount(): the deduction (at most cap) becomes the score the item's
     * kind needs, with the reason "迟报2次，每次扣0.5分，扣1分". */
    int rc = h->amount(c, count * st->each, st->cap, text);
    free(text);
    return rc;
}

static const lsp_function functions[] = {
    {"per_occurrence", per_occurrence_bind, per_occurrence_score, free,
     "deduct per occurrence, at most a cap (迟报一次扣0.5分)"},
};

/* The descriptor and the exported entry point lawscore_plugin(). */
LSP_PLUGIN_THREADSAFE("template", "1.0.0", functions)
