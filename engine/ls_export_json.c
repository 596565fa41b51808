/*
 * ls_export_json.c - results.json through the buffered writer ls_jsonw
 * (see ls_export_json.h).
 */
#include "ls_export_json.h"

#include <stdlib.h>
#include <string.h>

#include "ls_adjust.h"
#include "ls_explain.h"
#include "ls_jsonw.h"
#include "ls_util.h"

typedef struct jctx {
    ls_jsonw w;
    const ls_run *r;
    ls_buf text; /* scratch for explanations, reused */
} jctx;

static void kv_str(ls_jsonw *w, const char *k, const char *v)
{
    ls_jsonw_key(w, k);
    ls_jsonw_str(w, v);
}

static void kv_int(ls_jsonw *w, const char *k, long long v)
{
    ls_jsonw_key(w, k);
    ls_jsonw_int(w, v);
}

static void kv_bool(ls_jsonw *w, const char *k, int v)
{
    ls_jsonw_key(w, k);
    ls_jsonw_bool(w, v);
}

static void kv_fixed(jctx *j, const char *k, ls_fixed v)
{
    ls_jsonw_key(&j->w, k);
    ls_jsonw_fixed(&j->w, v, j->r->scheme->digits);
}

/* Take ownership of s. */
static void kv_own(ls_jsonw *w, const char *k, char *s)
{
    kv_str(w, k, s);
    free(s);
}

static void write_manifest(ls_jsonw *w, const ls_manifest *m)
{
    if (!m) {
        ls_jsonw_null(w);
        return;
    }
    ls_jsonw_open(w);
    kv_str(w, "engine", "lawscore");
    kv_str(w, "version", m->version);
    ls_jsonw_key(w, "files");
    ls_jsonw_aopen(w);
    for (size_t i = 0; i < m->nfiles; i++) {
        ls_jsonw_open(w);
        kv_str(w, "role", ls_mf_role_name(m->files[i].role));
        kv_str(w, "path", m->files[i].path);
        kv_str(w, "sha256", m->files[i].sha256);
        ls_jsonw_close(w);
    }
    ls_jsonw_aclose(w);
    ls_jsonw_key(w, "options");
    ls_jsonw_open(w);
    for (size_t i = 0; i < m->nopts; i++) kv_str(w, m->opts[i].key, m->opts[i].value);
    ls_jsonw_close(w);
    ls_jsonw_close(w);
}

static void write_assessment(jctx *j)
{
    const ls_scheme *s = j->r->scheme;
    ls_jsonw *w = &j->w;
    ls_jsonw_open(w);
    kv_str(w, "name", s->name);
    kv_int(w, "year", s->year);
    ls_jsonw_key(w, "precision");
    ls_jsonw_fixed(w, 1, s->digits);
    kv_fixed(j, "total", s->total);
    ls_jsonw_key(w, "bonus_cap");
    if (s->bonus_cap >= 0) ls_jsonw_fixed(w, s->bonus_cap, s->digits);
    else ls_jsonw_null(w);
    ls_jsonw_close(w);
}

static void write_groups(jctx *j)
{
    const ls_run *r = j->r;
    const ls_scheme *s = r->scheme;
    ls_jsonw *w = &j->w;
    ls_jsonw_aopen(w);
    for (size_t g = 0; g < s->ngroups; g++) {
        const ls_group *gr = &s->groups[g];
        ls_jsonw_open(w);
        kv_str(w, "id", gr->id);
        kv_str(w, "name", gr->name);
        kv_int(w, "units", (long long)r->norder[g]);
        ls_jsonw_key(w, "veto_grade");
        if (gr->veto_band >= 0 && (size_t)gr->veto_band < gr->nbands)
            ls_jsonw_str(w, gr->bands[gr->veto_band].name);
        else
            ls_jsonw_null(w);
        ls_jsonw_key(w, "bands");
        ls_jsonw_aopen(w);
        for (size_t b = 0; b < gr->nbands; b++) {
            size_t count = 0;
            for (size_t k = 0; k < r->norder[g]; k++)
                if (r->units[r->order[g][k]].band == (int)b) count++;
            ls_jsonw_open(w);
            kv_str(w, "grade", gr->bands[b].name);
            kv_fixed(j, "min", gr->bands[b].min);
            ls_jsonw_key(w, "max_share");
            if (gr->bands[b].max_share > 0) ls_jsonw_double(w, gr->bands[b].max_share);
            else ls_jsonw_null(w);
            kv_int(w, "count", (long long)count);
            ls_jsonw_close(w);
        }
        ls_jsonw_aclose(w);
        ls_jsonw_close(w);
    }
    ls_jsonw_aclose(w);
}

static const char *section_name(ls_section sec)
{
    switch (sec) {
    case LS_SEC_MAIN: return "main";
    case LS_SEC_BONUS: return "bonus";
    case LS_SEC_DEDUCT: return "deduct";
    case LS_SEC_VETO: return "veto";
    }
    return "?";
}

/* The catalogue, once: what every unit's "indicators" refer to by id. */
static void write_indicators(jctx *j)
{
    const ls_scheme *s = j->r->scheme;
    ls_jsonw *w = &j->w;
    ls_jsonw_aopen(w);
    for (size_t i = 0; i < s->ninds; i++) {
        const ls_indicator *in = &s->inds[i];
        ls_jsonw_open(w);
        kv_str(w, "id", in->id);
        kv_str(w, "name", in->name);
        kv_str(w, "type", ls_vtype_name(in->spec.type));
        kv_str(w, "unit", in->unit ? in->unit : "");
        ls_jsonw_close(w);
    }
    ls_jsonw_aclose(w);
}

/* The item tree, once: the text that is the same for every unit.  Item i
 * of "items" is node i of every unit's "nodes". */
static void write_items(jctx *j)
{
    const ls_scheme *s = j->r->scheme;
    ls_jsonw *w = &j->w;
    ls_jsonw_aopen(w);
    for (size_t i = 0; i < s->nnodes; i++) {
        const ls_node *n = &s->nodes[i];
        ls_jsonw_open(w);
        kv_str(w, "id", n->id);
        kv_str(w, "number", n->number);
        kv_str(w, "name", n->name);
        kv_str(w, "section", section_name(n->section));
        if (n->no_points) { /* a bonus/deduction item without a cap of its own */
            ls_jsonw_key(w, "points");
            ls_jsonw_null(w);
        } else {
            kv_fixed(j, "points", n->points);
        }
        ls_jsonw_key(w, "parent");
        if (n->parent >= 0) ls_jsonw_str(w, s->nodes[n->parent].id);
        else ls_jsonw_null(w);
        kv_str(w, "criteria", n->criteria ? n->criteria : "");
        ls_jsonw_close(w);
    }
    ls_jsonw_aclose(w);
}

static void write_reasons(ls_jsonw *w, const ls_run *r, const ls_cell *c)
{
    ls_jsonw_aopen(w);
    for (uint32_t i = 0; i < c->nreasons; i++) ls_jsonw_str(w, r->reasons[c->reason0 + i]);
    ls_jsonw_aclose(w);
}

static void write_value(ls_jsonw *w, const ls_value *v)
{
    if (!v || !v->set) {
        ls_jsonw_null(w);
        return;
    }
    switch ((ls_vtype)v->type) {
    case LS_T_BOOLEAN: ls_jsonw_bool(w, v->num != 0); break;
    case LS_T_ENUM:
    case LS_T_TEXT: ls_jsonw_str(w, v->str); break;
    case LS_T_INTEGER:
    case LS_T_NUMBER:
    case LS_T_PERCENT: ls_jsonw_double(w, v->num); break;
    }
}

static void write_node(jctx *j, size_t u, size_t i)
{
    const ls_run *r = j->r;
    const ls_scheme *s = r->scheme;
    const ls_node *n = &s->nodes[i];
    const ls_cell *c = ls_run_cell(r, u, i);
    ls_jsonw *w = &j->w;
    ls_jsonw_open(w);
    kv_str(w, "id", n->id);
    static const char *const states[] = {"scored", "na", "error"};
    kv_str(w, "state", c->state < 3 ? states[c->state] : "?");
    int scored = c->state == LS_CELL_SCORED;
    int veto = n->section == LS_SEC_VETO;
    ls_jsonw_key(w, "score");
    /* A veto item's score is a flag (1 = the veto applies), not points. */
    if (scored && veto) ls_jsonw_int(w, c->score != 0);
    else if (scored) ls_jsonw_fixed(w, c->score, s->digits);
    else ls_jsonw_null(w);
    ls_jsonw_key(w, "raw");
    if (scored && !veto && n->nchildren == 0) ls_jsonw_fixed(w, c->raw, s->digits);
    else ls_jsonw_null(w);
    ls_jsonw_key(w, "clamp");
    if (scored && c->clamped) ls_jsonw_str(w, c->clamped < 0 ? "low" : "high");
    else ls_jsonw_null(w);
    ls_jsonw_key(w, "reasons");
    write_reasons(w, r, c);
    j->text.n = 0;
    ls_explain_cell_buf(r, u, i, &j->text);
    ls_jsonw_key(w, "explanation");
    ls_jsonw_strn(w, j->text.p ? j->text.p : "", j->text.n);
    ls_jsonw_key(w, "indicators");
    ls_jsonw_aopen(w);
    for (uint32_t k = 0; k < c->nread; k++) {
        int ind = r->reads[c->read0 + k];
        if (ind < 0 || (size_t)ind >= s->ninds) continue;
        ls_jsonw_open(w);
        kv_str(w, "id", s->inds[ind].id);
        ls_jsonw_key(w, "value");
        write_value(w, r->data ? ls_dataset_get(r->data, u, (size_t)ind) : NULL);
        ls_jsonw_close(w);
    }
    ls_jsonw_aclose(w);
    if (r->self) {
        char buf[32];
        ls_jsonw_key(w, "self");
        const char *t = ls_explain_self(r, u, i, buf);
        if (*t) ls_jsonw_num(w, t);
        else ls_jsonw_null(w);
    }
    if (r->original) {
        const ls_cell *oc = ls_run_cell(r->original, u, i);
        ls_jsonw_key(w, "original_score");
        if (oc->state == LS_CELL_SCORED && n->section == LS_SEC_VETO) ls_jsonw_int(w, oc->score != 0);
        else if (oc->state == LS_CELL_SCORED) ls_jsonw_fixed(w, oc->score, s->digits);
        else ls_jsonw_null(w);
        char *ap = ls_explain_appeal(r, u, i);
        ls_jsonw_key(w, "appeal");
        if (*ap) ls_jsonw_str(w, ap);
        else ls_jsonw_null(w);
        free(ap);
    }
    ls_jsonw_close(w);
}

static void write_unit(jctx *j, size_t u)
{
    const ls_run *r = j->r;
    const ls_scheme *s = r->scheme;
    const ls_unit *un = &s->units[u];
    const ls_unit_result *ur = &r->units[u];
    ls_jsonw *w = &j->w;
    ls_jsonw_open(w);
    kv_str(w, "id", un->id);
    kv_str(w, "name", un->name);
    kv_str(w, "group", s->groups[un->group].id);
    if (un->nformerly) {
        /* the registry's formerly: (only when given), for comparisons */
        ls_jsonw_key(w, "formerly");
        ls_jsonw_aopen(w);
        for (size_t k = 0; k < un->nformerly; k++) ls_jsonw_str(w, un->formerly[k]);
        ls_jsonw_aclose(w);
    }
    ls_jsonw_key(w, "flags");
    ls_jsonw_aopen(w);
    for (size_t k = 0; k < s->nflags && k < LS_MAX_FLAGS; k++)
        if (un->flags & ((uint64_t)1 << k)) ls_jsonw_str(w, s->flags[k]);
    ls_jsonw_aclose(w);
    kv_fixed(j, "total", ur->total);
    ls_jsonw_key(w, "grade");
    const char *grade = ls_explain_grade(r, u);
    if (*grade) ls_jsonw_str(w, grade);
    else ls_jsonw_null(w);
    ls_jsonw_key(w, "rank");
    if (ur->rank > 0) ls_jsonw_int(w, ur->rank);
    else ls_jsonw_null(w);
    kv_fixed(j, "main", ur->main);
    kv_fixed(j, "main_raw", ur->main_raw);
    kv_fixed(j, "applicable", ur->applicable);
    kv_bool(w, "rescaled", ur->rescaled);
    kv_fixed(j, "bonus", ur->bonus);
    kv_fixed(j, "bonus_raw", ur->bonus_raw);
    kv_fixed(j, "deduct", ur->deduct);
    kv_bool(w, "total_clamped", ur->total_clamped);
    ls_jsonw_key(w, "veto");
    const ls_node *v = ls_explain_veto(r, u);
    if (v) {
        ls_jsonw_open(w);
        kv_str(w, "id", v->id);
        kv_str(w, "name", v->name);
        ls_jsonw_key(w, "reasons");
        write_reasons(w, r, ls_run_cell(r, u, (size_t)ur->veto));
        ls_jsonw_close(w);
    } else {
        ls_jsonw_null(w);
    }
    kv_int(w, "errors", ur->errors);
    ls_jsonw_key(w, "notes");
    ls_jsonw_aopen(w);
    for (int k = 0; k < LS_NOTE_COUNT; k++) {
        char *note = ls_explain_unit_note(r, u, (ls_note_kind)k);
        if (!note) continue;
        ls_jsonw_open(w);
        kv_str(w, "kind", ls_note_kind_name((ls_note_kind)k));
        kv_own(w, "text", note);
        ls_jsonw_close(w);
    }
    ls_jsonw_aclose(w);
    ls_jsonw_key(w, "nodes");
    ls_jsonw_aopen(w);
    for (size_t i = 0; i < s->nnodes; i++) write_node(j, u, i);
    ls_jsonw_aclose(w);
    if (r->self) {
        ls_jsonw_key(w, "self");
        if (!r->self->given[u]) {
            ls_jsonw_null(w);
        } else {
            ls_jsonw_open(w);
            kv_fixed(j, "total", r->self->total[u]);
            /* 考核分 − 自评分, a plain JSON number (no '+') */
            kv_fixed(j, "difference", ur->total - r->self->total[u]);
            kv_bool(w, "overrated", ls_explain_overrated(r, u));
            ls_jsonw_close(w);
        }
    }
    if (r->original) {
        const ls_unit_result *o = &r->original->units[u];
        ls_jsonw_key(w, "original");
        ls_jsonw_open(w);
        kv_fixed(j, "total", o->total);
        ls_jsonw_key(w, "grade");
        const char *og = ls_explain_grade(r->original, u);
        if (*og) ls_jsonw_str(w, og);
        else ls_jsonw_null(w);
        ls_jsonw_key(w, "rank");
        if (o->rank > 0) ls_jsonw_int(w, o->rank);
        else ls_jsonw_null(w);
        ls_jsonw_close(w);
    }
    ls_jsonw_close(w);
}

/* The appeals trail: every decision as the adjustments file gave it. */
static void write_adjustments(jctx *j)
{
    const ls_run *r = j->r;
    const ls_scheme *s = r->scheme;
    ls_jsonw *w = &j->w;
    ls_jsonw_aopen(w);
    for (size_t i = 0; i < r->adj->n; i++) {
        const ls_adjustment *e = &r->adj->v[i];
        ls_jsonw_open(w);
        kv_str(w, "unit", s->units[e->unit].id);
        kv_str(w, "kind", e->kind == LS_ADJ_DATA ? "data" : "score");
        if (e->kind == LS_ADJ_DATA) {
            kv_str(w, "indicator", s->inds[e->indicator].id);
            ls_jsonw_key(w, "old");
            write_value(w, &e->old);
            ls_jsonw_key(w, "new");
            write_value(w, &e->new_);
        } else {
            const ls_node *n = &s->nodes[e->node];
            kv_str(w, "item", n->id);
            kv_str(w, "number", n->number);
            ls_jsonw_key(w, "original_score");
            const ls_cell *oc = ls_run_cell(r->original, (size_t)e->unit, (size_t)e->node);
            if (oc->state == LS_CELL_SCORED) ls_jsonw_fixed(w, oc->score, s->digits);
            else ls_jsonw_null(w);
            kv_fixed(j, "score", e->score);
        }
        kv_str(w, "reason", e->reason);
        kv_str(w, "basis", e->basis);
        kv_str(w, "by", e->by);
        kv_str(w, "date", e->date);
        kv_str(w, "file", r->adj->path);
        kv_int(w, "line", e->line);
        ls_jsonw_close(w);
    }
    ls_jsonw_aclose(w);
}

static void start(jctx *j, const ls_run *r, FILE *f, int pretty)
{
    j->r = r;
    ls_jsonw_init(&j->w, f, pretty);
    ls_buf_init(&j->text);
}

/* End the document: 0, or -1 with an error for the first failed write. */
static int finish(jctx *j, ls_errors *err)
{
    int e = ls_jsonw_finish(&j->w);
    ls_buf_cleanup(&j->text);
    if (e) return ls_errorf(err, NULL, 0, 0, "cannot write JSON: %s", strerror(e));
    return 0;
}

int ls_write_json(const ls_run *r, const ls_manifest *m, FILE *f, int pretty, ls_errors *err)
{
    jctx j;
    start(&j, r, f, pretty);
    ls_jsonw *w = &j.w;
    const ls_scheme *s = r->scheme;
    ls_jsonw_open(w);
    ls_jsonw_key(w, "manifest");
    write_manifest(w, m);
    ls_jsonw_key(w, "assessment");
    write_assessment(&j);
    ls_jsonw_key(w, "groups");
    write_groups(&j);
    ls_jsonw_key(w, "indicators");
    write_indicators(&j);
    ls_jsonw_key(w, "items");
    write_items(&j);
    ls_jsonw_key(w, "units");
    ls_jsonw_aopen(w);
    for (size_t u = 0; u < s->nunits && !w->err; u++) write_unit(&j, u);
    ls_jsonw_aclose(w);
    if (r->adj && r->original) {
        ls_jsonw_key(w, "adjustments");
        write_adjustments(&j);
    }
    ls_jsonw_close(w);
    return finish(&j, err);
}

int ls_write_json_units(const ls_run *r, const size_t *units, size_t n, FILE *f,
                        ls_errors *err)
{
    jctx j;
    start(&j, r, f, 1);
    if (n != 1) ls_jsonw_aopen(&j.w);
    for (size_t i = 0; i < n && !j.w.err; i++) write_unit(&j, units[i]);
    if (n != 1) ls_jsonw_aclose(&j.w);
    return finish(&j, err);
}
