/*
 * ranking.c - the `ranking` plugin: points by rank within the unit's group.
 *
 *   rank_points  "1–5名依次赋予60、57、54、51、48分"
 *       params: indicator  the numeric (or boolean) indicator units are
 *                          ranked by, within their group
 *               points     points by rank: [60, 57, 54, 51, 48]
 *               otherwise  points past the list, and for a unit without a
 *                          value (default 0)
 *               order      desc (default: the highest value ranks 1st) or
 *                          asc (the lowest value ranks 1st)
 *       Ties share a rank (1, 2, 2, 4): two units tied for 2nd both get
 *       the 2nd points and the next unit is 4th.
 *       reason: "组内排名第2，得57分" (nothing at full points), "无排名，不得分"
 *
 * Behaves like the Lua helper rank_points (rules/lawscore.lua) called as
 *     rank_points(stats(indicator).rank, points, otherwise)
 * (stats(indicator).rank_asc with order: asc).  The result follows the
 * item's kind: the points earned on ordinary and bonus items, the points
 * not earned on deduction-only items.  Veto items are refused at bind.
 *
 * Depends on: lawscore_plugin.h, libc.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lawscore_plugin.h"

typedef struct rank_state {
    int ind;
    int ascending;
    double otherwise;
    size_t npoints;
    double points[];        /* npoints */
} rank_state;

static int rank_points_bind(const lsp_host *h, lsp_bind_ctx *b)
{
    const lsp_item *it = h->bind_item(b);
    if (it->kind == LSP_VETO)
        return h->bind_error(b, NULL, "item %s is a veto item (一票否决): rank_points cannot score it",
                             it->number);
    int bad = 0, ind = -1;
    double otherwise = 0;
    const char *order = "desc";
    size_t n = 0;
    bad |= h->param_indicator(b, "indicator", LSP_REQUIRED,
                              LSP_NUMERIC | LSP_TYPE(LSP_T_BOOLEAN), &ind) < 0;
    if (h->param_kind(b, "points") == LSP_P_MAP)
        bad = h->bind_error(b, "points", "parameter 'points' must be a list of points by rank, "
                                         "such as [60, 57, 54]");
    else if (h->param_length(b, "points", LSP_REQUIRED, &n) < 0)
        bad = 1;
    else if (n == 0)
        bad = h->bind_error(b, "points", "parameter 'points' is empty (expected points by rank, "
                                         "such as [60, 57, 54])");
    bad |= h->param_number(b, "otherwise", LSP_OPTIONAL, &otherwise) < 0;
    if (h->param_string(b, "order", LSP_OPTIONAL, &order) < 0) bad = 1;
    else if (strcmp(order, "desc") && strcmp(order, "asc"))
        bad = h->bind_error(b, "order", "parameter 'order' must be desc or asc, found '%s'", order);
    if (bad) return -1;
    rank_state *st = malloc(sizeof *st + n * sizeof st->points[0]);
    if (!st) return h->bind_error(b, NULL, "out of memory");
    st->ind = ind;
    st->ascending = !strcmp(order, "asc");
    st->otherwise = otherwise;
    st->npoints = n;
    for (size_t i = 0; i < n; i++)
        if (h->param_item_number(b, "points", i, &st->points[i]) < 0) bad = 1;
    h->set_state(b, st);      /* freed by lawscore, also when bind fails */
    return bad ? -1 : 0;
}

static int rank_points_score(const lsp_host *h, lsp_call *c)
{
    const rank_state *st = h->state(c);
    const lsp_stat *s = h->stats(c, st->ind);
    if (!s) return -1;
    int rank = st->ascending ? s->rank_asc : s->rank;
    if (rank < 1) return h->earned(c, st->otherwise, "无排名");
    char situation[64];
    snprintf(situation, sizeof situation, "组内排名第%d", rank);
    double earned = (size_t)rank <= st->npoints ? st->points[rank - 1] : st->otherwise;
    return h->earned(c, earned, situation);
}

static const lsp_function functions[] = {
    {"rank_points", rank_points_bind, rank_points_score, free,
     "points by rank within the group, ties sharing a rank (1–5名依次赋予60、57、54、51、48分)"},
};

LSP_PLUGIN_THREADSAFE("ranking", "1.0.0", functions)
