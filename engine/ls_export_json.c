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

/* The format of results.json this file writes (the manifest's "format");
 * ls_results reads this one and every earlier one. */
#define JSON_FORMAT 2

/* A list of indicators read: r->reads[off .. off + n). */
typedef struct read_list {
    uint32_t off, n;
} read_list;

typedef struct jctx {
    ls_jsonw w;
    const ls_run *r;
    /* per item, the indicators its rule read for most units (the item's
     * "reads", what a node's "reads" defaults to); NULL when no "items"
     * table is written (explain): every node lists its reads then */
    read_list *dreads;
    unsigned char *seen; /* per indicator, scratch for a unit's "values" */
    char **indkey;       /* per indicator, its id as a key (ls_jsonw_key_text) */
    size_t *nindkey;
} jctx;

/* Members by a key given as LS_JSONW_KEY("name"): written as it is. */
static void kv_str(ls_jsonw *w, const char *k, size_t nk, const char *v)
{
    ls_jsonw_key_raw(w, k, nk);
    ls_jsonw_str(w, v);
}

static void kv_int(ls_jsonw *w, const char *k, size_t nk, long long v)
{
    ls_jsonw_key_raw(w, k, nk);
    ls_jsonw_int(w, v);
}

static void kv_bool(ls_jsonw *w, const char *k, size_t nk, int v)
{
    ls_jsonw_key_raw(w, k, nk);
    ls_jsonw_bool(w, v);
}

static void kv_fixed(jctx *j, const char *k, size_t nk, ls_fixed v)
{
    ls_jsonw_key_raw(&j->w, k, nk);
    ls_jsonw_fixed(&j->w, v, j->r->scheme->digits);
}

/* Take ownership of s. */
static void kv_own(ls_jsonw *w, const char *k, size_t nk, char *s)
{
    kv_str(w, k, nk, s);
    free(s);
}

static void write_manifest(ls_jsonw *w, const ls_manifest *m)
{
    if (!m) {
        ls_jsonw_null(w);
        return;
    }
    ls_jsonw_open(w);
    kv_str(w, LS_JSONW_KEY("engine"), "lawscore");
    kv_int(w, LS_JSONW_KEY("format"), JSON_FORMAT);
    kv_str(w, LS_JSONW_KEY("version"), m->version);
    ls_jsonw_key_raw(w, LS_JSONW_KEY("files"));
    ls_jsonw_aopen(w);
    for (size_t i = 0; i < m->nfiles; i++) {
        ls_jsonw_open(w);
        kv_str(w, LS_JSONW_KEY("role"), ls_mf_role_name(m->files[i].role));
        kv_str(w, LS_JSONW_KEY("path"), m->files[i].path);
        kv_str(w, LS_JSONW_KEY("sha256"), m->files[i].sha256);
        ls_jsonw_close(w);
    }
    ls_jsonw_aclose(w);
    ls_jsonw_key_raw(w, LS_JSONW_KEY("options"));
    ls_jsonw_open(w);
    for (size_t i = 0; i < m->nopts; i++) {
        ls_jsonw_key(w, m->opts[i].key);
        ls_jsonw_str(w, m->opts[i].value);
    }
    ls_jsonw_close(w);
    ls_jsonw_close(w);
}

static void write_assessment(jctx *j)
{
    const ls_scheme *s = j->r->scheme;
    ls_jsonw *w = &j->w;
    ls_jsonw_open(w);
    kv_str(w, LS_JSONW_KEY("name"), s->name);
    kv_int(w, LS_JSONW_KEY("year"), s->year);
    ls_jsonw_key_raw(w, LS_JSONW_KEY("precision"));
    ls_jsonw_fixed(w, 1, s->digits);
    kv_fixed(j, LS_JSONW_KEY("total"), s->total);
    ls_jsonw_key_raw(w, LS_JSONW_KEY("bonus_cap"));
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
        kv_str(w, LS_JSONW_KEY("id"), gr->id);
        kv_str(w, LS_JSONW_KEY("name"), gr->name);
        kv_int(w, LS_JSONW_KEY("units"), (long long)r->norder[g]);
        ls_jsonw_key_raw(w, LS_JSONW_KEY("veto_grade"));
        if (gr->veto_band >= 0 && (size_t)gr->veto_band < gr->nbands)
            ls_jsonw_str(w, gr->bands[gr->veto_band].name);
        else
            ls_jsonw_null(w);
        ls_jsonw_key_raw(w, LS_JSONW_KEY("bands"));
        ls_jsonw_aopen(w);
        for (size_t b = 0; b < gr->nbands; b++) {
            size_t count = 0;
            for (size_t k = 0; k < r->norder[g]; k++)
                if (r->units[r->order[g][k]].band == (int)b) count++;
            ls_jsonw_open(w);
            kv_str(w, LS_JSONW_KEY("grade"), gr->bands[b].name);
            kv_fixed(j, LS_JSONW_KEY("min"), gr->bands[b].min);
            ls_jsonw_key_raw(w, LS_JSONW_KEY("max_share"));
            if (gr->bands[b].max_share > 0) ls_jsonw_double(w, gr->bands[b].max_share);
            else ls_jsonw_null(w);
            kv_int(w, LS_JSONW_KEY("count"), (long long)count);
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
        kv_str(w, LS_JSONW_KEY("id"), in->id);
        kv_str(w, LS_JSONW_KEY("name"), in->name);
        kv_str(w, LS_JSONW_KEY("type"), ls_vtype_name(in->spec.type));
        kv_str(w, LS_JSONW_KEY("unit"), in->unit ? in->unit : "");
        ls_jsonw_close(w);
    }
    ls_jsonw_aclose(w);
}

static int same_reads(const ls_run *r, read_list a, read_list b)
{
    return a.n == b.n && (a.n == 0 || !memcmp(&r->reads[a.off], &r->reads[b.off], a.n * sizeof *r->reads));
}

static read_list cell_reads(const ls_cell *c) { return (read_list){c->read0, c->nread}; }

/* Each item's default reads: the list most units' rule read (the
 * majority vote of Boyer and Moore: one pass, and the majority whenever
 * there is one).  A function of the cells alone, so the same for any
 * --jobs. */
static read_list *default_reads(const ls_run *r)
{
    const ls_scheme *s = r->scheme;
    read_list *d = ls_xcalloc(s->nnodes ? s->nnodes : 1, sizeof *d);
    size_t *votes = ls_xcalloc(s->nnodes ? s->nnodes : 1, sizeof *votes);
    for (size_t u = 0; u < s->nunits; u++)
        for (size_t i = 0; i < s->nnodes; i++) {
            read_list c = cell_reads(ls_run_cell(r, u, i));
            if (!votes[i]) d[i] = c, votes[i] = 1;
            else if (same_reads(r, d[i], c)) votes[i]++;
            else votes[i]--;
        }
    free(votes);
    return d;
}

static void write_read_ids(jctx *j, read_list l)
{
    const ls_scheme *s = j->r->scheme;
    ls_jsonw_aopen(&j->w);
    for (uint32_t k = 0; k < l.n; k++) {
        int ind = j->r->reads[l.off + k];
        if (ind >= 0 && (size_t)ind < s->ninds) ls_jsonw_str(&j->w, s->inds[ind].id);
    }
    ls_jsonw_aclose(&j->w);
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
        kv_str(w, LS_JSONW_KEY("id"), n->id);
        kv_str(w, LS_JSONW_KEY("number"), n->number);
        kv_str(w, LS_JSONW_KEY("name"), n->name);
        kv_str(w, LS_JSONW_KEY("section"), section_name(n->section));
        if (n->no_points) { /* a bonus/deduction item without a cap of its own */
            ls_jsonw_key_raw(w, LS_JSONW_KEY("points"));
            ls_jsonw_null(w);
        } else {
            kv_fixed(j, LS_JSONW_KEY("points"), n->points);
        }
        ls_jsonw_key_raw(w, LS_JSONW_KEY("parent"));
        if (n->parent >= 0) ls_jsonw_str(w, s->nodes[n->parent].id);
        else ls_jsonw_null(w);
        kv_str(w, LS_JSONW_KEY("criteria"), n->criteria ? n->criteria : "");
        if (j->dreads[i].n) {
            ls_jsonw_key_raw(w, LS_JSONW_KEY("reads"));
            write_read_ids(j, j->dreads[i]);
        }
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

/* A scored cell's score as results.json writes it: a veto item's is a
 * flag (1 = the veto applies), not points. */
static void write_score(jctx *j, const ls_node *n, const ls_cell *c)
{
    if (c->state != LS_CELL_SCORED) ls_jsonw_null(&j->w);
    else if (n->section == LS_SEC_VETO) ls_jsonw_int(&j->w, c->score != 0);
    else ls_jsonw_fixed(&j->w, c->score, j->r->scheme->digits);
}

/* A node: only what is not at its default (docs/output.md). */
static void write_node(jctx *j, size_t u, size_t i)
{
    const ls_run *r = j->r;
    const ls_scheme *s = r->scheme;
    const ls_node *n = &s->nodes[i];
    const ls_cell *c = ls_run_cell(r, u, i);
    ls_jsonw *w = &j->w;
    ls_jsonw_open(w);
    kv_str(w, LS_JSONW_KEY("id"), n->id);
    int scored = c->state == LS_CELL_SCORED;
    if (!scored) kv_str(w, LS_JSONW_KEY("state"), c->state == LS_CELL_NA ? "na" : "error");
    else {
        ls_jsonw_key_raw(w, LS_JSONW_KEY("score"));
        write_score(j, n, c);
    }
    /* raw differs from score only where the engine clamped it */
    if (scored && c->clamped && n->section != LS_SEC_VETO) {
        kv_fixed(j, LS_JSONW_KEY("raw"), ls_run_raw(r, u, i));
        kv_str(w, LS_JSONW_KEY("clamp"), c->clamped < 0 ? "low" : "high");
    }
    if (c->nreasons) {
        ls_jsonw_key_raw(w, LS_JSONW_KEY("reasons"));
        write_reasons(w, r, c);
    }
    read_list dr = j->dreads ? j->dreads[i] : (read_list){0, 0};
    if (!same_reads(r, cell_reads(c), dr)) {
        ls_jsonw_key_raw(w, LS_JSONW_KEY("reads"));
        write_read_ids(j, cell_reads(c));
    }
    if (r->self) {
        char buf[32];
        ls_jsonw_key_raw(w, LS_JSONW_KEY("self"));
        const char *t = ls_explain_self(r, u, i, buf);
        if (*t) ls_jsonw_num(w, t);
        else ls_jsonw_null(w);
    }
    if (r->original) {
        const ls_cell *oc = ls_run_cell(r->original, u, i);
        int same = oc->state == c->state && (!scored || oc->score == c->score);
        if (!same) {
            ls_jsonw_key_raw(w, LS_JSONW_KEY("original_score"));
            write_score(j, n, oc);
        }
        char *ap = ls_explain_appeal(r, u, i);
        if (*ap) kv_str(w, LS_JSONW_KEY("appeal"), ap);
        free(ap);
    }
    ls_jsonw_close(w);
}

/* The unit's indicator values its rules read, once, by id in the
 * catalogue's order. */
static void write_values(jctx *j, size_t u)
{
    const ls_run *r = j->r;
    const ls_scheme *s = r->scheme;
    for (size_t i = 0; i < s->nnodes; i++) {
        const ls_cell *c = ls_run_cell(r, u, i);
        for (uint32_t k = 0; k < c->nread; k++) {
            int ind = r->reads[c->read0 + k];
            if (ind >= 0 && (size_t)ind < s->ninds) j->seen[ind] = 1;
        }
    }
    ls_jsonw_open(&j->w);
    for (size_t k = 0; k < s->ninds; k++) {
        if (!j->seen[k]) continue;
        j->seen[k] = 0;
        ls_jsonw_key_raw(&j->w, j->indkey[k], j->nindkey[k]);
        ls_value v = r->data ? ls_dataset_value(r->data, u, k) : (ls_value){0};
        write_value(&j->w, &v);
    }
    ls_jsonw_close(&j->w);
}

static void write_unit(jctx *j, size_t u)
{
    const ls_run *r = j->r;
    const ls_scheme *s = r->scheme;
    const ls_unit *un = &s->units[u];
    const ls_unit_result *ur = &r->units[u];
    ls_jsonw *w = &j->w;
    ls_jsonw_open(w);
    kv_str(w, LS_JSONW_KEY("id"), un->id);
    kv_str(w, LS_JSONW_KEY("name"), un->name);
    kv_str(w, LS_JSONW_KEY("group"), s->groups[un->group].id);
    if (un->nformerly) {
        /* the registry's formerly: (only when given), for comparisons */
        ls_jsonw_key_raw(w, LS_JSONW_KEY("formerly"));
        ls_jsonw_aopen(w);
        for (size_t k = 0; k < un->nformerly; k++) ls_jsonw_str(w, un->formerly[k]);
        ls_jsonw_aclose(w);
    }
    if (un->flags) {
        ls_jsonw_key_raw(w, LS_JSONW_KEY("flags"));
        ls_jsonw_aopen(w);
        for (size_t k = 0; k < s->nflags && k < LS_MAX_FLAGS; k++)
            if (un->flags & ((uint64_t)1 << k)) ls_jsonw_str(w, s->flags[k]);
        ls_jsonw_aclose(w);
    }
    kv_fixed(j, LS_JSONW_KEY("total"), ur->total);
    ls_jsonw_key_raw(w, LS_JSONW_KEY("grade"));
    const char *grade = ls_explain_grade(r, u);
    if (*grade) ls_jsonw_str(w, grade);
    else ls_jsonw_null(w);
    ls_jsonw_key_raw(w, LS_JSONW_KEY("rank"));
    if (ur->rank > 0) ls_jsonw_int(w, ur->rank);
    else ls_jsonw_null(w);
    kv_fixed(j, LS_JSONW_KEY("main"), ur->main);
    /* the keys below are left out at their default (docs/output.md) */
    if (ur->main_raw != ur->main) kv_fixed(j, LS_JSONW_KEY("main_raw"), ur->main_raw);
    if (ur->applicable != s->total) kv_fixed(j, LS_JSONW_KEY("applicable"), ur->applicable);
    if (ur->rescaled) kv_bool(w, LS_JSONW_KEY("rescaled"), 1);
    kv_fixed(j, LS_JSONW_KEY("bonus"), ur->bonus);
    if (ur->bonus_raw != ur->bonus) kv_fixed(j, LS_JSONW_KEY("bonus_raw"), ur->bonus_raw);
    kv_fixed(j, LS_JSONW_KEY("deduct"), ur->deduct);
    if (ur->total_clamped) kv_bool(w, LS_JSONW_KEY("total_clamped"), 1);
    const ls_node *v = ls_explain_veto(r, u);
    if (v) {
        ls_jsonw_key_raw(w, LS_JSONW_KEY("veto"));
        ls_jsonw_open(w);
        kv_str(w, LS_JSONW_KEY("id"), v->id);
        kv_str(w, LS_JSONW_KEY("name"), v->name);
        ls_jsonw_key_raw(w, LS_JSONW_KEY("reasons"));
        write_reasons(w, r, ls_run_cell(r, u, (size_t)ur->veto));
        ls_jsonw_close(w);
    }
    if (ur->errors) kv_int(w, LS_JSONW_KEY("errors"), ur->errors);
    int notes = 0;
    for (int k = 0; k < LS_NOTE_COUNT; k++) {
        char *note = ls_explain_unit_note(r, u, (ls_note_kind)k);
        if (!note) continue;
        if (!notes++) {
            ls_jsonw_key_raw(w, LS_JSONW_KEY("notes"));
            ls_jsonw_aopen(w);
        }
        ls_jsonw_open(w);
        kv_str(w, LS_JSONW_KEY("kind"), ls_note_kind_name((ls_note_kind)k));
        kv_own(w, LS_JSONW_KEY("text"), note);
        ls_jsonw_close(w);
    }
    if (notes) ls_jsonw_aclose(w);
    ls_jsonw_key_raw(w, LS_JSONW_KEY("values"));
    write_values(j, u);
    ls_jsonw_key_raw(w, LS_JSONW_KEY("nodes"));
    ls_jsonw_aopen(w);
    for (size_t i = 0; i < s->nnodes; i++) write_node(j, u, i);
    ls_jsonw_aclose(w);
    if (r->self) {
        ls_jsonw_key_raw(w, LS_JSONW_KEY("self"));
        if (!r->self->given[u]) {
            ls_jsonw_null(w);
        } else {
            ls_jsonw_open(w);
            kv_fixed(j, LS_JSONW_KEY("total"), r->self->total[u]);
            /* 考核分 − 自评分, a plain JSON number (no '+') */
            kv_fixed(j, LS_JSONW_KEY("difference"), ur->total - r->self->total[u]);
            kv_bool(w, LS_JSONW_KEY("overrated"), ls_explain_overrated(r, u));
            ls_jsonw_close(w);
        }
    }
    if (r->original) {
        const ls_unit_result *o = &r->original->units[u];
        ls_jsonw_key_raw(w, LS_JSONW_KEY("original"));
        ls_jsonw_open(w);
        kv_fixed(j, LS_JSONW_KEY("total"), o->total);
        ls_jsonw_key_raw(w, LS_JSONW_KEY("grade"));
        const char *og = ls_explain_grade(r->original, u);
        if (*og) ls_jsonw_str(w, og);
        else ls_jsonw_null(w);
        ls_jsonw_key_raw(w, LS_JSONW_KEY("rank"));
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
        kv_str(w, LS_JSONW_KEY("unit"), s->units[e->unit].id);
        kv_str(w, LS_JSONW_KEY("kind"), e->kind == LS_ADJ_DATA ? "data" : "score");
        if (e->kind == LS_ADJ_DATA) {
            kv_str(w, LS_JSONW_KEY("indicator"), s->inds[e->indicator].id);
            ls_jsonw_key_raw(w, LS_JSONW_KEY("old"));
            write_value(w, &e->old);
            ls_jsonw_key_raw(w, LS_JSONW_KEY("new"));
            write_value(w, &e->new_);
        } else {
            const ls_node *n = &s->nodes[e->node];
            kv_str(w, LS_JSONW_KEY("item"), n->id);
            kv_str(w, LS_JSONW_KEY("number"), n->number);
            ls_jsonw_key_raw(w, LS_JSONW_KEY("original_score"));
            const ls_cell *oc = ls_run_cell(r->original, (size_t)e->unit, (size_t)e->node);
            if (oc->state == LS_CELL_SCORED) ls_jsonw_fixed(w, oc->score, s->digits);
            else ls_jsonw_null(w);
            kv_fixed(j, LS_JSONW_KEY("score"), e->score);
        }
        kv_str(w, LS_JSONW_KEY("reason"), e->reason);
        kv_str(w, LS_JSONW_KEY("basis"), e->basis);
        kv_str(w, LS_JSONW_KEY("by"), e->by);
        kv_str(w, LS_JSONW_KEY("date"), e->date);
        kv_str(w, LS_JSONW_KEY("file"), r->adj->path);
        kv_int(w, LS_JSONW_KEY("line"), e->line);
        ls_jsonw_close(w);
    }
    ls_jsonw_aclose(w);
}

/* The warnings about the data the run printed (a doubtful value):
 * [{"file", "line", "column" | "cell", "unit", "indicator", "value",
 * "kind", "message"}], unit, indicator and value null when the warning
 * is not about one value. */
static void write_warnings(jctx *j)
{
    const ls_run *r = j->r;
    const ls_scheme *s = r->scheme;
    ls_jsonw *w = &j->w;
    ls_jsonw_aopen(w);
    for (size_t i = 0; i < r->data->nwarnings; i++) {
        const ls_data_warning *d = &r->data->warnings[i];
        ls_jsonw_open(w);
        ls_jsonw_key_raw(w, LS_JSONW_KEY("file"));
        if (d->file) ls_jsonw_str(w, d->file);
        else ls_jsonw_null(w);
        kv_int(w, LS_JSONW_KEY("line"), d->line);
        if (d->col < 0) {
            /* a spreadsheet cell: "C7" */
            char *at = ls_where("", d->line, d->col);
            kv_str(w, LS_JSONW_KEY("cell"), at[0] == '!' ? at + 1 : at);
            free(at);
        } else {
            kv_int(w, LS_JSONW_KEY("column"), d->col);
        }
        ls_jsonw_key_raw(w, LS_JSONW_KEY("unit"));
        if (d->unit >= 0) ls_jsonw_str(w, s->units[d->unit].id);
        else ls_jsonw_null(w);
        ls_jsonw_key_raw(w, LS_JSONW_KEY("indicator"));
        if (d->ind >= 0) ls_jsonw_str(w, s->inds[d->ind].id);
        else ls_jsonw_null(w);
        ls_jsonw_key_raw(w, LS_JSONW_KEY("value"));
        if (d->value) ls_jsonw_str(w, d->value);
        else ls_jsonw_null(w);
        kv_str(w, LS_JSONW_KEY("kind"), d->kind == LS_DW_PERCENT_FRACTION ? "percent-fraction" : "other");
        kv_str(w, LS_JSONW_KEY("message"), d->msg);
        ls_jsonw_close(w);
    }
    ls_jsonw_aclose(w);
}

/* Start writing r to f; with_items: the "items" table, with each item's
 * default reads, comes before the units. */
static void start(jctx *j, const ls_run *r, FILE *f, int pretty, int with_items)
{
    j->r = r;
    ls_jsonw_init(&j->w, f, pretty);
    j->dreads = with_items ? default_reads(r) : NULL;
    size_t ninds = r->scheme->ninds ? r->scheme->ninds : 1;
    j->seen = ls_xcalloc(ninds, 1);
    j->indkey = ls_xcalloc(ninds, sizeof *j->indkey);
    j->nindkey = ls_xcalloc(ninds, sizeof *j->nindkey);
    for (size_t k = 0; k < r->scheme->ninds; k++)
        j->indkey[k] = ls_jsonw_key_text(r->scheme->inds[k].id, &j->nindkey[k]);
}

/* End the document: 0, or -1 with an error for the first failed write. */
static int finish(jctx *j, ls_errors *err)
{
    int e = ls_jsonw_finish(&j->w);
    free(j->dreads);
    free(j->seen);
    for (size_t k = 0; k < j->r->scheme->ninds; k++) free(j->indkey[k]);
    free(j->indkey);
    free(j->nindkey);
    if (e) return ls_errorf(err, NULL, 0, 0, "cannot write JSON: %s", strerror(e));
    return 0;
}

int ls_write_json(const ls_run *r, const ls_manifest *m, FILE *f, int pretty, ls_errors *err)
{
    jctx j;
    start(&j, r, f, pretty, 1);
    ls_jsonw *w = &j.w;
    const ls_scheme *s = r->scheme;
    ls_jsonw_open(w);
    ls_jsonw_key_raw(w, LS_JSONW_KEY("manifest"));
    write_manifest(w, m);
    ls_jsonw_key_raw(w, LS_JSONW_KEY("assessment"));
    write_assessment(&j);
    ls_jsonw_key_raw(w, LS_JSONW_KEY("groups"));
    write_groups(&j);
    ls_jsonw_key_raw(w, LS_JSONW_KEY("indicators"));
    write_indicators(&j);
    ls_jsonw_key_raw(w, LS_JSONW_KEY("items"));
    write_items(&j);
    ls_jsonw_key_raw(w, LS_JSONW_KEY("units"));
    ls_jsonw_aopen(w);
    for (size_t u = 0; u < s->nunits && !w->err; u++) write_unit(&j, u);
    ls_jsonw_aclose(w);
    if (r->adj && r->original) {
        ls_jsonw_key_raw(w, LS_JSONW_KEY("adjustments"));
        write_adjustments(&j);
    }
    if (r->data && r->data->nwarnings) {
        ls_jsonw_key_raw(w, LS_JSONW_KEY("warnings"));
        write_warnings(&j);
    }
    ls_jsonw_close(w);
    return finish(&j, err);
}

int ls_write_json_units(const ls_run *r, const size_t *units, size_t n, FILE *f,
                        ls_errors *err)
{
    jctx j;
    start(&j, r, f, 1, 0);
    if (n != 1) ls_jsonw_aopen(&j.w);
    for (size_t i = 0; i < n && !j.w.err; i++) write_unit(&j, units[i]);
    if (n != 1) ls_jsonw_aclose(&j.w);
    return finish(&j, err);
}
