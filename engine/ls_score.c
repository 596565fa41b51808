/*
 * ls_score.c - scoring (see ls_score.h); ranking and grading are in
 * ls_rank.c.
 *
 * All arithmetic after a rule returns is on ls_fixed integers: a rule's
 * value is rounded once (half up) at the scheme's precision, and every sum
 * after that is exact.
 */
#include "ls_score.h"

#include <stdlib.h>
#include <string.h>

#include "ls_backends.h"
#include "ls_rank.h"
#include "ls_stats.h"
#include "ls_util.h"

static void add_reason(ls_run *r, const char *s)
{
    LS_GROW(r->reasons, r->nreasons, r->capreasons, 256);
    r->reasons[r->nreasons++] = ls_arena_strdup(&r->arena, s);
}

static void add_read(ls_run *r, int ind)
{
    LS_GROW(r->reads, r->nreads, r->capreads, 256);
    r->reads[r->nreads++] = ind;
}

/* Evaluate one leaf for one unit into its cell.  Returns -1 on a rule
 * error (already recorded in err). */
static int score_leaf(ls_run *r, const ls_backends *b, ls_stats *st, unsigned char *reads,
                      int unit, int leaf, const ls_adjustments *decisions, ls_errors *err)
{
    const ls_scheme *s = r->scheme;
    const ls_node *n = &s->nodes[leaf];
    ls_cell *c = &r->cells[(size_t)unit * s->nnodes + (size_t)leaf];
    if (!ls_node_applies(s, leaf, unit)) {
        c->state = LS_CELL_NA;
        return 0;
    }
    ls_backend *be = b->by_kind[n->rule.kind];
    ls_rule_call call;
    memset(reads, 0, s->ninds ? s->ninds : 1);
    ls_rule_call_init(&call, s, r->data, st, unit, leaf, reads);
    int rc = 0;
    if (!be) rc = ls_rule_call_fail(&call, s->path, n->rule.line, "no backend for this kind of rule");
    else rc = be->call(be, &call);
    ls_fixed v = 0;
    if (!rc && ls_dec_from_double(call.value, s->digits, &v))
        rc = ls_rule_call_fail(&call, n->rule.path, 0, "rule returned %g, which is out of range", call.value);
    for (size_t i = 0; !rc && i < call.reasons.n; i++)
        if (!ls_utf8_valid(call.reasons.v[i], strlen(call.reasons.v[i]), NULL))
            rc = ls_rule_call_fail(&call, n->rule.path, 0, "reason %zu is not valid UTF-8 text", i + 1);
    c->reason0 = (uint32_t)r->nreasons;
    c->read0 = (uint32_t)r->nreads;
    if (rc) {
        ls_rule_call_report(&call, err);
        /* the message is the cell's explanation in the results */
        add_reason(r, call.err_msg ? call.err_msg : "failed");
        c->nreasons = 1;
        c->state = LS_CELL_ERROR;
        r->nerrors++;
        ls_rule_call_cleanup(&call);
        return -1;
    }
    for (size_t i = 0; i < call.reasons.n; i++) add_reason(r, call.reasons.v[i]);
    c->nreasons = (uint32_t)call.reasons.n;
    for (size_t i = 0; i < s->ninds; i++)
        if (reads[i]) add_read(r, (int)i);
    c->nread = (uint32_t)(r->nreads - c->read0);
    ls_rule_call_cleanup(&call);

    c->state = LS_CELL_SCORED;
    /* a score decided on appeal (复核) replaces the rule's; the rule's
     * reasons stay, and ls_explain says what was decided */
    const ls_adjustment *dec = ls_adjustments_decision(decisions, (size_t)unit, (size_t)leaf);
    if (dec) v = dec->score;
    c->raw = v;
    if (n->section == LS_SEC_VETO) {
        c->score = v != 0;
    } else if (v < 0) {
        c->score = 0;
        c->clamped = -1;
    } else if (v > n->points && !n->no_points) {   /* no points: no cap of its own */
        c->score = n->points;
        c->clamped = 1;
    } else {
        c->score = v;
    }
    return 0;
}

/* Categories are sums of their applicable children.  Nodes are stored in
 * pre-order, so walking backwards visits children before parents. */
static void sum_categories(ls_run *r, int unit)
{
    const ls_scheme *s = r->scheme;
    ls_cell *row = &r->cells[(size_t)unit * s->nnodes];
    for (size_t i = s->nnodes; i-- > 0;) {
        const ls_node *n = &s->nodes[i];
        if (!n->nchildren) continue;
        ls_fixed sum = 0;
        int any = 0, bad = 0;
        for (size_t k = 0; k < n->nchildren; k++) {
            const ls_cell *c = &row[n->children[k]];
            if (c->state == LS_CELL_NA) continue;
            any = 1;
            if (c->state == LS_CELL_ERROR) bad = 1;
            else sum += c->score;
        }
        row[i].score = row[i].raw = sum;
        row[i].state = bad ? LS_CELL_ERROR : any ? LS_CELL_SCORED : LS_CELL_NA;
    }
}

static void total_unit(ls_run *r, int unit)
{
    const ls_scheme *s = r->scheme;
    const ls_cell *row = &r->cells[(size_t)unit * s->nnodes];
    ls_unit_result *u = &r->units[unit];
    u->veto = -1;
    for (size_t k = 0; k < s->nleaves; k++) {
        int i = s->leaves[k];
        const ls_node *n = &s->nodes[i];
        const ls_cell *c = &row[i];
        if (c->state == LS_CELL_ERROR) u->errors++;
        if (c->state != LS_CELL_SCORED) {
            if (c->state == LS_CELL_ERROR && n->section == LS_SEC_MAIN) u->applicable += n->points;
            continue;
        }
        switch (n->section) {
        case LS_SEC_MAIN: u->main_raw += c->score; u->applicable += n->points; break;
        case LS_SEC_BONUS: u->bonus_raw += c->score; break;
        case LS_SEC_DEDUCT: u->deduct += c->score; break;
        case LS_SEC_VETO: if (c->score && u->veto < 0) u->veto = i; break;
        }
    }
    if (u->applicable == s->total || u->applicable == 0) {
        u->main = u->main_raw;
    } else {
        u->main = ls_dec_muldiv(u->main_raw, s->total, u->applicable);
        u->rescaled = 1;
    }
    u->bonus = s->bonus_cap >= 0 && u->bonus_raw > s->bonus_cap ? s->bonus_cap : u->bonus_raw;
    u->total = u->main + u->bonus - u->deduct;
    if (u->total < 0) {
        u->total = 0;
        u->total_clamped = 1;
    }
}

ls_run *ls_score_run(const ls_scheme *s, const ls_dataset *d, const ls_backends *b,
                     const ls_score_opts *opts, ls_errors *err)
{
    ls_run *r = ls_xcalloc(1, sizeof *r);
    ls_arena_init(&r->arena);
    r->scheme = s;
    r->data = d;
    r->cells = ls_xcalloc(s->nunits * s->nnodes + 1, sizeof *r->cells);
    r->units = ls_xcalloc(s->nunits ? s->nunits : 1, sizeof *r->units);
    ls_stats *st = ls_stats_new(s, d);
    unsigned char *reads = ls_xmalloc(s->ninds ? s->ninds : 1);
    int failed = 0;
    for (size_t u = 0; u < s->nunits && !failed; u++) {
        for (size_t k = 0; k < s->nleaves; k++) {
            if (score_leaf(r, b, st, reads, (int)u, s->leaves[k], opts->decisions, err) &&
                !opts->keep_going) {
                failed = 1;
                break;
            }
        }
        sum_categories(r, (int)u);
        total_unit(r, (int)u);
    }
    free(reads);
    ls_stats_free(st);
    if (failed) {
        ls_run_free(r);
        return NULL;
    }
    ls_rank_run(r);
    return r;
}

void ls_run_free(ls_run *r)
{
    if (!r) return;
    if (r->order)
        for (size_t g = 0; g < r->scheme->ngroups; g++) free(r->order[g]);
    free(r->order);
    free(r->norder);
    free(r->cells);
    free(r->units);
    free(r->reasons);
    free(r->reads);
    ls_arena_cleanup(&r->arena);
    free(r);
}
