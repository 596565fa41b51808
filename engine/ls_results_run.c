/*
 * ls_results_run.c - a run's results as ls_results (see ls_results_run.h).
 */
#include "ls_results_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ls_explain.h"
#include "ls_util.h"

static const char *dup(ls_results *res, const char *s) { return ls_arena_strdup(&res->arena, s ? s : ""); }

static void *zalloc(ls_results *res, size_t n, size_t size)
{
    void *p = ls_arena_alloc(&res->arena, (n ? n : 1) * size);
    memset(p, 0, (n ? n : 1) * size);
    return p;
}

/* A value as results.json writes it and ls_results reads it back: a
 * whole number without decimals, other numbers with 15 significant
 * digits (ls_jsonw_double), 是/否, the text; 未填报 when not given. */
static const char *value_text(ls_results *res, const ls_value *v)
{
    char buf[64];
    if (!v || !v->set) return "未填报";
    switch ((ls_vtype)v->type) {
    case LS_T_BOOLEAN: return v->num != 0 ? "是" : "否";
    case LS_T_ENUM:
    case LS_T_TEXT: return dup(res, v->str);
    case LS_T_INTEGER:
    case LS_T_NUMBER:
    case LS_T_PERCENT: break;
    }
    if (v->num > -9007199254740992.0 && v->num < 9007199254740992.0 && v->num == (double)(long long)v->num &&
        !(v->num == 0 && 1 / v->num < 0))
        snprintf(buf, sizeof buf, "%lld", (long long)v->num);
    else
        snprintf(buf, sizeof buf, "%.15g", v->num);
    return dup(res, buf);
}

/* A value an appeal corrected, as the decisions' table shows it: a
 * percentage with its sign (0.95%→95%, as items.csv and explain show it;
 * ls_results reads results.json's the same way). */
static const char *correction_text(ls_results *res, const ls_value *v)
{
    const char *t = value_text(res, v);
    if (!v || !v->set || v->type != LS_T_PERCENT) return t;
    char *p = ls_format("%s%%", t);
    t = dup(res, p);
    free(p);
    return t;
}

static void fill_node(ls_results *res, const ls_run *r, size_t u, size_t i, ls_rnode *n)
{
    static const char *const states[] = {"scored", "na", "error"};
    const ls_scheme *s = r->scheme;
    const ls_node *nd = &s->nodes[i];
    const ls_cell *c = ls_run_cell(r, u, i);
    n->id = nd->id;
    n->number = nd->number;
    n->name = nd->name;
    /* results.json's words for the sections, by ls_section */
    static const char *const sections[] = {"main", "bonus", "deduct", "veto"};
    n->section = sections[nd->section];
    n->points = nd->no_points ? 0 : nd->points;
    n->state = c->state < 3 ? states[c->state] : "?";
    n->scored = c->state == LS_CELL_SCORED;
    if (n->scored) n->score = nd->section == LS_SEC_VETO ? c->score != 0 : c->score;
    n->leaf = nd->nchildren == 0;
    n->depth = nd->depth;
    n->inds = zalloc(res, c->nread, sizeof *n->inds);
    for (uint32_t k = 0; k < c->nread; k++) {
        int ind = r->reads[c->read0 + k];
        if (ind < 0 || (size_t)ind >= s->ninds) continue;
        ls_rind *x = &n->inds[n->ninds++];
        x->id = s->inds[ind].id;
        x->name = s->inds[ind].name;
        ls_value v = r->data ? ls_dataset_value(r->data, u, (size_t)ind) : (ls_value){0};
        x->value = value_text(res, r->data ? &v : NULL);
    }
}

static void fill_adj(ls_results *res, const ls_run *r)
{
    const ls_scheme *s = r->scheme;
    char buf[32];
    res->nadj = r->adj->n;
    res->adj = zalloc(res, res->nadj, sizeof *res->adj);
    for (size_t i = 0; i < r->adj->n; i++) {
        const ls_adjustment *e = &r->adj->v[i];
        ls_radj *a = &res->adj[i];
        a->unit = s->units[e->unit].id;
        if (e->kind == LS_ADJ_DATA) {
            a->kind = "data";
            a->target = s->inds[e->indicator].id;
            a->what = s->inds[e->indicator].name;
            a->old = correction_text(res, &e->old);
            a->new_ = correction_text(res, &e->new_);
        } else {
            const ls_node *n = &s->nodes[e->node];
            const ls_cell *oc = ls_run_cell(r->original, (size_t)e->unit, (size_t)e->node);
            char *what = ls_format("%s %s", n->number, n->name);
            a->kind = "score";
            a->target = n->id;
            a->what = dup(res, what);
            free(what);
            a->old = oc->state == LS_CELL_SCORED ? dup(res, ls_dec_format(oc->score, s->digits, buf)) : "未填报";
            a->new_ = dup(res, ls_dec_format(e->score, s->digits, buf));
        }
        a->reason = e->reason;
        a->basis = e->basis;
        a->by = e->by;
        a->date = e->date;
    }
}

ls_results *ls_results_from_run(const ls_run *r, const char *source)
{
    const ls_scheme *s = r->scheme;
    ls_results *res = ls_results_new(source);
    /* the scheme's strings outlive the results: they are not copied */
    res->name = s->name;
    res->year = s->year;
    res->digits = s->digits;
    res->ngroups = s->ngroups;
    res->groups = zalloc(res, s->ngroups, sizeof *res->groups);
    for (size_t g = 0; g < s->ngroups; g++) {
        const ls_group *sg = &s->groups[g];
        ls_rgroup *x = &res->groups[g];
        *x = (ls_rgroup){sg->id, sg->name, zalloc(res, sg->nbands, sizeof *x->bands), sg->nbands};
        for (size_t k = 0; k < sg->nbands; k++)
            x->bands[k] = (ls_rband){sg->bands[k].name, sg->bands[k].min, sg->bands[k].max_share};
    }
    res->nunits = s->nunits;
    res->units = zalloc(res, s->nunits, sizeof *res->units);
    for (size_t u = 0; u < s->nunits; u++) {
        const ls_unit *un = &s->units[u];
        ls_runit *x = &res->units[u];
        x->id = un->id;
        x->name = un->name;
        x->group = s->groups[un->group].id;
        x->formerly = (const char **)un->formerly;
        x->nformerly = un->nformerly;
        x->total = r->units[u].total;
        x->main = r->units[u].main;
        x->main_raw = r->units[u].main_raw;
        x->bonus = r->units[u].bonus;
        x->grade = dup(res, ls_explain_grade(r, u));
        x->rank = r->units[u].rank > 0 ? r->units[u].rank : 0;
        char *quota = ls_explain_unit_note(r, u, LS_NOTE_QUOTA); /* results.json's note of kind "quota" */
        x->quota = quota != NULL;
        free(quota);
        x->nnodes = s->nnodes;
        x->nodes = zalloc(res, s->nnodes, sizeof *x->nodes);
        for (size_t i = 0; i < s->nnodes; i++) fill_node(res, r, u, i, &x->nodes[i]);
    }
    if (r->adj && r->original) fill_adj(res, r);
    ls_results_index(res);
    return res;
}
