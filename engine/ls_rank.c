/*
 * ls_rank.c - ranking and grading within groups (see ls_rank.h).
 *
 * Depends on: ls_scheme, ls_score, ls_decimal, ls_util.
 */
#include "ls_rank.h"

#include <stdlib.h>
#include <string.h>

#include "ls_util.h"

typedef struct rank_ctx {
    const ls_group *g;
    const ls_unit_result *units;
    const ls_fixed *tie;
} rank_ctx;

/* < 0 when unit a ranks before unit b, 0 when they tie on every key. */
static int rank_cmp_keys(const rank_ctx *ctx, int a, int b)
{
    const ls_unit_result *x = &ctx->units[a], *y = &ctx->units[b];
    if ((x->veto >= 0) != (y->veto >= 0)) return x->veto >= 0 ? 1 : -1;
    if (x->total != y->total) return x->total > y->total ? -1 : 1;
    size_t nt = ctx->g->ntie_break;
    for (size_t i = 0; i < nt; i++) {
        ls_fixed p = ctx->tie[(size_t)a * nt + i], q = ctx->tie[(size_t)b * nt + i];
        if (p != q) return p > q ? -1 : 1;
    }
    return 0;
}

/* Bottom-up merge sort of v by rank_cmp_keys: O(n log n) and stable, so
 * units tied on every key stay in the order v had (registry order), and
 * it needs no global context, which qsort would. */
static void sort_units(const rank_ctx *ctx, int *v, size_t n)
{
    int *tmp = ls_xmalloc((n ? n : 1) * sizeof *tmp);
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = rank_cmp_keys(ctx, v[j], v[i]) < 0 ? v[j++] : v[i++];
            while (i < mid) tmp[k++] = v[i++];
            while (j < hi) tmp[k++] = v[j++];
        }
        memcpy(v, tmp, n * sizeof *v);
    }
    free(tmp);
}

/* The first band whose inclusive lower bound the total reaches. */
static int natural_band(const ls_group *g, ls_fixed total)
{
    for (size_t b = 0; b < g->nbands; b++)
        if (total >= g->bands[b].min) return (int)b;
    return (int)g->nbands - 1;
}

/* Places a band with a share cap holds in a group of n units. */
static size_t band_allowed(const ls_band *b, size_t n)
{
    /* LS_EPS keeps 0.2 * 10 at 2 despite binary fractions */
    return (size_t)((double)n * b->max_share + LS_EPS);
}

/* The band of a tie of m units (all equal on veto and total) given the
 * places used so far: the natural band, moved down past capped bands that
 * are closed or would overflow.  A band it moves past is closed. */
static int tie_band(const ls_group *g, const ls_unit_result *first, size_t m, size_t n,
                    const size_t *used, unsigned char *closed)
{
    if (first->veto >= 0) return g->veto_band;
    int band = natural_band(g, first->total);
    while (band + 1 < (int)g->nbands && g->bands[band].max_share > 0) {
        if (!closed[band] && used[band] + m <= band_allowed(&g->bands[band], n)) break;
        closed[band] = 1;
        band++;
    }
    return band;
}

void ls_rank_group(const ls_group *g, ls_unit_result *units, const ls_fixed *tie,
                   int *order, size_t n)
{
    rank_ctx ctx = {g, units, tie};
    sort_units(&ctx, order, n);
    size_t *used = ls_xcalloc(g->nbands ? g->nbands : 1, sizeof *used);
    unsigned char *closed = ls_xcalloc(g->nbands ? g->nbands : 1, 1);
    size_t i = 0;
    while (i < n) {
        /* units tied with order[i] share its rank and are graded together */
        size_t j = i + 1;
        while (j < n && rank_cmp_keys(&ctx, order[i], order[j]) == 0) j++;
        int band = tie_band(g, &units[order[i]], j - i, n, used, closed);
        /* a vetoed unit has no 名次: it failed whatever its total, and
         * the 通报 lists it after the ranked ones (docs/output.md) */
        int rank = units[order[i]].veto >= 0 ? 0 : (int)i + 1;
        for (size_t k = i; k < j; k++) {
            units[order[k]].rank = rank;
            units[order[k]].band = band;
        }
        used[band] += j - i;
        i = j;
    }
    free(used);
    free(closed);
}

void ls_rank_run(ls_run *r)
{
    const ls_scheme *s = r->scheme;
    r->order = ls_xcalloc(s->ngroups ? s->ngroups : 1, sizeof *r->order);
    r->norder = ls_xcalloc(s->ngroups ? s->ngroups : 1, sizeof *r->norder);
    ls_fixed *tie = NULL;
    for (size_t g = 0; g < s->ngroups; g++) {
        const ls_group *grp = &s->groups[g];
        int *v = ls_xmalloc((s->nunits ? s->nunits : 1) * sizeof *v);
        size_t n = 0;
        for (size_t u = 0; u < s->nunits; u++)
            if (s->units[u].group == (int)g) v[n++] = (int)u;
        if (grp->ntie_break) {
            /* the tie-break scores, read once instead of per comparison */
            free(tie);
            tie = ls_xmalloc(s->nunits * grp->ntie_break * sizeof *tie);
            for (size_t k = 0; k < n; k++)
                for (size_t t = 0; t < grp->ntie_break; t++)
                    tie[(size_t)v[k] * grp->ntie_break + t] =
                        ls_run_cell(r, (size_t)v[k], (size_t)grp->tie_break[t])->score;
        }
        ls_rank_group(grp, r->units, grp->ntie_break ? tie : NULL, v, n);
        r->order[g] = v;
        r->norder[g] = n;
    }
    free(tie);
}
