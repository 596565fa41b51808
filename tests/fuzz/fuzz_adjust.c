/*
 * fuzz_adjust.c - fuzz target: the appeals decided (复核), an
 * adjustments file (`--adjustments`: YAML, or a filled 复核决定登记表 as
 * CSV, .xlsx or .xls) for the fixture scheme (ls_adjustments_load).
 *
 * The input is written as adj.xlsx or adj.xls when its bytes begin as
 * one, else as adj.yaml and as adj.csv, each loaded.  Loaded adjustments
 * are checked entry by entry (a unit, indicator or item of the scheme, a
 * data correction's values of its indicator's type, a decided score
 * within the item's points, every text there) and applied to the
 * fixture's data set (data.yaml, data.csv) as `run --adjustments` does:
 * a stale correction must be refused with an error, and the corrected
 * data set must hold only valid values.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "ls_adjust.h"
#include "ls_data.h"
#include "ls_scheme.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    static const char *const links[] = {"scheme.yaml", "rules", "data.yaml", "data.csv", NULL};
    fz_setup(links);
    fz_dataset();
    return 0;
}

static void check_value(const ls_scheme *s, const ls_adjustment *e, const ls_value *v, const char *what)
{
    if (!v->set) return;
    if (v->type != s->inds[e->indicator].spec.type)
        fz_fail("adjustment of %s: %s value of type %d", s->inds[e->indicator].id, what, v->type);
    if ((v->type == LS_T_TEXT || v->type == LS_T_ENUM) && !v->str)
        fz_fail("adjustment of %s: %s value without its text", s->inds[e->indicator].id, what);
}

static void check_adjustments(const ls_adjustments *a)
{
    const ls_scheme *s = a->scheme;
    if (!a->path) fz_fail("loaded adjustments without a path");
    for (size_t i = 0; i < a->n; i++) {
        const ls_adjustment *e = &a->v[i];
        if (e->unit < 0 || (size_t)e->unit >= s->nunits) fz_fail("adjustment %zu: unit %d", i, e->unit);
        if (!e->reason || !e->basis || !e->by || !e->date || !e->where)
            fz_fail("adjustment %zu: a text is NULL", i);
        if (strlen(e->date) != 10) fz_fail("adjustment %zu: date '%s'", i, e->date);
        if (e->kind == LS_ADJ_DATA) {
            if (e->indicator < 0 || (size_t)e->indicator >= s->ninds || e->node != -1)
                fz_fail("adjustment %zu: data correction of indicator %d, node %d", i, e->indicator, e->node);
            check_value(s, e, &e->old, "old");
            check_value(s, e, &e->new_, "new");
            if (!e->new_.set) fz_fail("adjustment %zu: a data correction without its new value", i);
        } else if (e->kind == LS_ADJ_SCORE) {
            if (e->node < 0 || (size_t)e->node >= s->nnodes || e->indicator != -1)
                fz_fail("adjustment %zu: score decision on node %d, indicator %d", i, e->node, e->indicator);
            const ls_node *n = &s->nodes[e->node];
            if (n->nchildren) fz_fail("adjustment %zu: a score decided for category %s", i, n->id);
            if (!ls_node_applies(s, e->node, e->unit))
                fz_fail("adjustment %zu: %s decided for unit %s, where it does not apply", i, n->id,
                        s->units[e->unit].id);
            if (n->section == LS_SEC_VETO) fz_fail("adjustment %zu: a score decided for veto %s", i, n->id);
            if (e->score < 0 || e->score > n->points)
                fz_fail("adjustment %zu: score %lld outside [0, %lld] of %s", i, (long long)e->score,
                        (long long)n->points, n->id);
        } else {
            fz_fail("adjustment %zu: kind %d", i, (int)e->kind);
        }
        /* nothing decided twice */
        for (size_t k = 0; k < i; k++) {
            const ls_adjustment *f = &a->v[k];
            if (f->kind == e->kind && f->unit == e->unit && f->indicator == e->indicator && f->node == e->node)
                fz_fail("adjustments %zu and %zu decide the same thing", k, i);
        }
        char *d = ls_adjustment_describe(e);
        free(d);
        if (e->kind == LS_ADJ_SCORE && ls_adjustments_decision(a, (size_t)e->unit, (size_t)e->node) != e)
            fz_fail("adjustment %zu: ls_adjustments_decision finds another", i);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *paths[2];
    size_t n = fz_write_named("adj", data, size, paths);
    for (size_t i = 0; i < n; i++) {
        ls_errors err;
        ls_errors_init(&err);
        ls_adjustments *a = ls_adjustments_load(fz_scheme(), paths[i], &err);
        fz_check("ls_adjustments_load", a == NULL, &err, paths[i], data, size);
        ls_errors_cleanup(&err);
        if (!a) continue;
        check_adjustments(a);
        ls_errors_init(&err);
        ls_dataset *d = ls_adjustments_apply(a, fz_dataset(), &err);
        fz_check("ls_adjustments_apply", d == NULL, &err, paths[i], data, size);
        if (d) fz_check_dataset(d, 1);
        ls_dataset_free(d);
        ls_errors_cleanup(&err);
        ls_adjustments_free(a);
    }
    return 0;
}
