/*
 * formula.c - the `formula` plugin: formula indicators scored in bands.
 *
 *   ratio_bands  "关联率 = 实际关联人数 / 核定人数 × 100%，95%以上5分，85%以上3分"
 *       params: numerator    numeric indicator (实际关联人数)
 *               denominator  numeric indicator (核定人数)
 *               bands        [{min: 95, points: 5}, {min: 85, points: 3}],
 *                            highest min first; the first band the ratio
 *                            reaches gives its points, below all: 0
 *               what         the ratio's name in reasons (default: the
 *                            item's name)
 *               none         optional: when the denominator is 0 or not
 *                            given, full points with this reason
 *                            ("本年度未签订合同"); without it, such a unit
 *                            has no ratio and scores 0
 *       reason: "关联率88.89%，得3分", "关联率（无数据），不得分"
 *
 * Behaves like the Lua helpers (rules/lawscore.lua) in
 *     if none and (data[denominator] or 0) == 0 then return full(none) end
 *     local r = ratio(data[numerator], data[denominator])
 *     return bands(r, bands, what .. pct(r))    -- "关联率88.89%" 
 * The result follows the item's kind: the points earned on ordinary and
 * bonus items, the points not earned on deduction-only items.  Veto items
 * are refused at bind time.
 *
 * Depends on: lawscore_plugin.h, libc, libm.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lawscore_plugin.h"

#define EPS 1e-9

typedef struct band {
    double min, points;
} band;

typedef struct bands_state {
    int num, den;
    const char *what;
    const char *none;     /* NULL: no full-points rule for a zero denominator */
    size_t nbands;
    band bands[];
} bands_state;

static int ratio_bands_bind(const lsp_host *h, lsp_bind_ctx *b)
{
    const lsp_item *it = h->bind_item(b);
    if (it->kind == LSP_VETO)
        return h->bind_error(b, NULL, "item %s is a veto item (一票否决): ratio_bands cannot score it",
                             it->number);
    int bad = 0, num = -1, den = -1;
    const char *what = it->name, *none = NULL;
    size_t n = 0;
    bad |= h->param_indicator(b, "numerator", LSP_REQUIRED, LSP_NUMERIC, &num) < 0;
    bad |= h->param_indicator(b, "denominator", LSP_REQUIRED, LSP_NUMERIC, &den) < 0;
    bad |= h->param_string(b, "what", LSP_OPTIONAL, &what) < 0;
    bad |= h->param_string(b, "none", LSP_OPTIONAL, &none) < 0;
    if (h->param_kind(b, "bands") == LSP_P_MAP)
        bad = h->bind_error(b, "bands", "parameter 'bands' must be a list such as "
                                        "[{min: 95, points: 5}, {min: 85, points: 3}]");
    else if (h->param_length(b, "bands", LSP_REQUIRED, &n) < 0)
        bad = 1;
    else if (n == 0)
        bad = h->bind_error(b, "bands", "parameter 'bands' is empty (expected a list such as "
                                        "[{min: 95, points: 5}, {min: 85, points: 3}])");
    if (bad) return -1;
    bands_state *st = malloc(sizeof *st + n * sizeof st->bands[0]);
    if (!st) return h->bind_error(b, NULL, "out of memory");
    st->num = num;
    st->den = den;
    st->what = what;
    st->none = none;
    st->nbands = n;
    h->set_state(b, st);      /* freed by lawscore, also when bind fails */
    char path[64], x[LSP_FMT_SIZE], y[LSP_FMT_SIZE];
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "bands[%zu]", i);
        if (h->param_kind(b, path) != LSP_P_MAP) {
            bad = h->bind_error(b, path, "band %zu must be a mapping such as {min: 95, points: 5}",
                                i + 1);
            continue;
        }
        snprintf(path, sizeof path, "bands[%zu].min", i);
        bad |= h->param_number(b, path, LSP_REQUIRED, &st->bands[i].min) < 0;
        snprintf(path, sizeof path, "bands[%zu].points", i);
        bad |= h->param_number(b, path, LSP_REQUIRED, &st->bands[i].points) < 0;
        if (!bad && i > 0 && st->bands[i].min >= st->bands[i - 1].min) {
            snprintf(path, sizeof path, "bands[%zu]", i);
            bad = h->bind_error(b, path, "band %zu (min %s) must have a lower min than the band "
                                         "before it (min %s): list the bands highest first",
                                i + 1, h->fmt(st->bands[i].min, x, sizeof x),
                                h->fmt(st->bands[i - 1].min, y, sizeof y));
        }
    }
    return bad ? -1 : 0;
}

static int ratio_bands_score(const lsp_host *h, lsp_call *c)
{
    const bands_state *st = h->state(c);
    int nset, dset;
    /* The denominator first: with `none`, a unit without one reads only
     * it (the score sheet lists the indicators a rule read). */
    double d = h->number(c, st->den, &dset);
    if (st->none && (!dset || d == 0)) {
        if (h->earned(c, h->item(c)->points, NULL)) return -1;
        return st->none[0] ? h->reason(c, st->none) : 0;
    }
    double a = h->number(c, st->num, &nset);
    int has = nset && dset && d != 0;
    double r = has ? a * 100 / d : 0;
    double earned = 0;
    for (size_t i = 0; has && i < st->nbands; i++)
        if (r >= st->bands[i].min - EPS) {
            earned = st->bands[i].points;
            break;
        }
    size_t len = strlen(st->what) + LSP_FMT_SIZE + 32;
    char *what = malloc(len), shown[LSP_FMT_SIZE];
    if (!what) return h->fail(c, "out of memory");
    /* Rates in reasons: two decimals at most, half up (rules/lawscore.lua pct()). */
    if (has) snprintf(what, len, "%s%s%%", st->what, h->fmt(floor(r * 100 + 0.5 + 1e-7) / 100, shown, sizeof shown));
    else snprintf(what, len, "%s（无数据）", st->what);
    int rc = h->earned(c, earned, what);
    free(what);
    return rc;
}

static const lsp_function functions[] = {
    {"ratio_bands", ratio_bands_bind, ratio_bands_score, free,
     "points by band of numerator / denominator × 100% (关联率 = 实际关联人数 / 核定人数 × 100%)"},
};

LSP_PLUGIN_THREADSAFE("formula", "1.1.0", functions)
