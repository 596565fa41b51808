/*
 * ls_export_json.c - results.json through yajl's generator (see
 * ls_export_json.h).
 */
#include "ls_export_json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "ls_adjust.h"
#include "ls_explain.h"
#include "ls_i18n.h"
#include "ls_util.h"

/* A generator that stops at the first failure and remembers where it was. */
typedef struct jw {
    yajl_gen g;
    FILE *f;
    int werr;              /* errno of the first failed write */
    yajl_gen_status st;    /* first generator failure */
    /* What is being written, for messages; formatted only on failure. */
    const ls_run *r;
    const char *part;      /* "the manifest", ... when not in a unit */
    long unit, node;       /* -1 when not in one */
    char *failed_at;       /* description at the first failure */
} jw;

/* yajl keeps the text in its own buffer (no print callback: it would be
 * called for every ~2-byte token); it is written out after each unit. */
static void jw_flush(jw *w)
{
    const unsigned char *p;
    size_t n;
    if (yajl_gen_get_buf(w->g, &p, &n) != yajl_gen_status_ok) return;
    if (!w->werr && n && fwrite(p, 1, n, w->f) != n) w->werr = errno ? errno : EIO;
    yajl_gen_clear(w->g);
}

static void check(jw *w, yajl_gen_status st)
{
    if (st == yajl_gen_status_ok || w->st != yajl_gen_status_ok) return;
    w->st = st;
    const ls_scheme *s = w->r->scheme;
    if (w->unit >= 0 && w->node >= 0) {
        const ls_node *n = &s->nodes[w->node];
        w->failed_at = ls_format(_("unit '%s', item %s '%s'"), s->units[w->unit].id,
                                 n->number, n->name);
    } else if (w->unit >= 0) {
        w->failed_at = ls_format(_("unit '%s'"), s->units[w->unit].id);
    } else {
        w->failed_at = ls_xstrdup(w->part);
    }
}

static int ok(const jw *w) { return w->st == yajl_gen_status_ok; }

static void j_str(jw *w, const char *s)
{
    if (!ok(w)) return;
    if (!s) check(w, yajl_gen_null(w->g));
    else check(w, yajl_gen_string(w->g, (const unsigned char *)s, strlen(s)));
}

static void j_key(jw *w, const char *k) { j_str(w, k); }

static void j_num(jw *w, const char *text)
{
    if (ok(w)) check(w, yajl_gen_number(w->g, text, strlen(text)));
}

static void j_fixed(jw *w, const ls_run *r, ls_fixed v)
{
    char buf[32];
    j_num(w, ls_dec_format(v, r->scheme->digits, buf));
}

static void j_int(jw *w, long long v)
{
    if (ok(w)) check(w, yajl_gen_integer(w->g, v));
}

static void j_bool(jw *w, int b)
{
    if (ok(w)) check(w, yajl_gen_bool(w->g, b != 0));
}

static void j_null(jw *w)
{
    if (ok(w)) check(w, yajl_gen_null(w->g));
}

static void j_open(jw *w) { if (ok(w)) check(w, yajl_gen_map_open(w->g)); }
static void j_close(jw *w) { if (ok(w)) check(w, yajl_gen_map_close(w->g)); }
static void j_aopen(jw *w) { if (ok(w)) check(w, yajl_gen_array_open(w->g)); }
static void j_aclose(jw *w) { if (ok(w)) check(w, yajl_gen_array_close(w->g)); }

/* "key": "string" and friends. */
static void kv_str(jw *w, const char *k, const char *v) { j_key(w, k); j_str(w, v); }
static void kv_int(jw *w, const char *k, long long v) { j_key(w, k); j_int(w, v); }
static void kv_bool(jw *w, const char *k, int v) { j_key(w, k); j_bool(w, v); }
static void kv_fixed(jw *w, const ls_run *r, const char *k, ls_fixed v)
{
    j_key(w, k);
    j_fixed(w, r, v);
}

/* Take ownership of s. */
static void kv_own(jw *w, const char *k, char *s)
{
    kv_str(w, k, s);
    free(s);
}

static void set_where(jw *w, const char *part, long unit, long node)
{
    w->part = part;
    w->unit = unit;
    w->node = node;
}

static void write_manifest(jw *w, const ls_manifest *m)
{
    set_where(w, "the manifest", -1, -1);
    if (!m) {
        j_null(w);
        return;
    }
    j_open(w);
    kv_str(w, "engine", "lawscore");
    kv_str(w, "version", m->version);
    j_key(w, "files");
    j_aopen(w);
    for (size_t i = 0; i < m->nfiles; i++) {
        j_open(w);
        kv_str(w, "role", ls_mf_role_name(m->files[i].role));
        kv_str(w, "path", m->files[i].path);
        kv_str(w, "sha256", m->files[i].sha256);
        j_close(w);
    }
    j_aclose(w);
    j_key(w, "options");
    j_open(w);
    for (size_t i = 0; i < m->nopts; i++) kv_str(w, m->opts[i].key, m->opts[i].value);
    j_close(w);
    j_close(w);
}

static void write_assessment(jw *w, const ls_run *r)
{
    const ls_scheme *s = r->scheme;
    set_where(w, "the assessment", -1, -1);
    j_open(w);
    kv_str(w, "name", s->name);
    kv_int(w, "year", s->year);
    j_key(w, "precision");
    char buf[32];
    j_num(w, ls_dec_format(1, s->digits, buf));
    kv_fixed(w, r, "total", s->total);
    j_key(w, "bonus_cap");
    if (s->bonus_cap >= 0) j_fixed(w, r, s->bonus_cap);
    else j_null(w);
    j_close(w);
}

static void write_groups(jw *w, const ls_run *r)
{
    const ls_scheme *s = r->scheme;
    j_aopen(w);
    for (size_t g = 0; g < s->ngroups; g++) {
        const ls_group *gr = &s->groups[g];
        set_where(w, "the groups", -1, -1);
        j_open(w);
        kv_str(w, "id", gr->id);
        kv_str(w, "name", gr->name);
        kv_int(w, "units", (long long)r->norder[g]);
        j_key(w, "veto_grade");
        if (gr->veto_band >= 0 && (size_t)gr->veto_band < gr->nbands)
            j_str(w, gr->bands[gr->veto_band].name);
        else
            j_null(w);
        j_key(w, "bands");
        j_aopen(w);
        for (size_t b = 0; b < gr->nbands; b++) {
            size_t count = 0;
            for (size_t k = 0; k < r->norder[g]; k++)
                if (r->units[r->order[g][k]].band == (int)b) count++;
            j_open(w);
            kv_str(w, "grade", gr->bands[b].name);
            kv_fixed(w, r, "min", gr->bands[b].min);
            j_key(w, "max_share");
            if (gr->bands[b].max_share > 0) {
                char buf[32];
                snprintf(buf, sizeof buf, "%.15g", gr->bands[b].max_share);
                j_num(w, buf);
            } else {
                j_null(w);
            }
            kv_int(w, "count", (long long)count);
            j_close(w);
        }
        j_aclose(w);
        j_close(w);
    }
    j_aclose(w);
}

static void write_reasons(jw *w, const ls_run *r, const ls_cell *c)
{
    j_aopen(w);
    for (uint32_t i = 0; i < c->nreasons; i++) j_str(w, r->reasons[c->reason0 + i]);
    j_aclose(w);
}

static void write_value(jw *w, const ls_value *v)
{
    if (!v || !v->set) {
        j_null(w);
        return;
    }
    char buf[64];
    switch ((ls_vtype)v->type) {
    case LS_T_BOOLEAN: j_bool(w, v->num != 0); break;
    case LS_T_ENUM:
    case LS_T_TEXT: j_str(w, v->str); break;
    case LS_T_INTEGER:
    case LS_T_NUMBER:
    case LS_T_PERCENT:
        snprintf(buf, sizeof buf, "%.15g", v->num);
        j_num(w, buf);
        break;
    }
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

static void write_node(jw *w, const ls_run *r, size_t u, size_t i)
{
    const ls_scheme *s = r->scheme;
    const ls_node *n = &s->nodes[i];
    const ls_cell *c = ls_run_cell(r, u, i);
    set_where(w, NULL, (long)u, (long)i);
    j_open(w);
    kv_str(w, "id", n->id);
    kv_str(w, "number", n->number);
    kv_str(w, "name", n->name);
    kv_str(w, "section", section_name(n->section));
    if (n->no_points) {              /* a bonus/deduction item without a cap of its own */
        j_key(w, "points");
        j_null(w);
    } else {
        kv_fixed(w, r, "points", n->points);
    }
    static const char *const states[] = {"scored", "na", "error"};
    kv_str(w, "state", c->state < 3 ? states[c->state] : "?");
    int scored = c->state == LS_CELL_SCORED;
    int veto = n->section == LS_SEC_VETO;
    j_key(w, "score");
    /* A veto item's score is a flag (1 = the veto applies), not points. */
    if (scored && veto) j_int(w, c->score != 0);
    else if (scored) j_fixed(w, r, c->score);
    else j_null(w);
    j_key(w, "raw");
    if (scored && !veto && n->nchildren == 0) j_fixed(w, r, c->raw);
    else j_null(w);
    j_key(w, "clamp");
    if (scored && c->clamped) j_str(w, c->clamped < 0 ? "low" : "high");
    else j_null(w);
    j_key(w, "reasons");
    write_reasons(w, r, c);
    kv_own(w, "explanation", ls_explain_cell(r, u, i));
    j_key(w, "indicators");
    j_aopen(w);
    for (uint32_t k = 0; k < c->nread; k++) {
        int ind = r->reads[c->read0 + k];
        if (ind < 0 || (size_t)ind >= s->ninds) continue;
        j_open(w);
        kv_str(w, "id", s->inds[ind].id);
        kv_str(w, "name", s->inds[ind].name);
        j_key(w, "value");
        write_value(w, r->data ? ls_dataset_get(r->data, u, (size_t)ind) : NULL);
        j_close(w);
    }
    j_aclose(w);
    if (r->self) {
        char buf[32];
        j_key(w, "self");
        const char *t = ls_explain_self(r, u, i, buf);
        if (*t) j_num(w, t);
        else j_null(w);
    }
    if (r->original) {
        const ls_cell *oc = ls_run_cell(r->original, u, i);
        j_key(w, "original_score");
        if (oc->state == LS_CELL_SCORED && n->section == LS_SEC_VETO) j_int(w, oc->score != 0);
        else if (oc->state == LS_CELL_SCORED) j_fixed(w, r, oc->score);
        else j_null(w);
        char *ap = ls_explain_appeal(r, u, i);
        j_key(w, "appeal");
        if (*ap) j_str(w, ap);
        else j_null(w);
        free(ap);
    }
    j_close(w);
}

static void write_unit(jw *w, const ls_run *r, size_t u)
{
    const ls_scheme *s = r->scheme;
    const ls_unit *un = &s->units[u];
    const ls_unit_result *ur = &r->units[u];
    set_where(w, NULL, (long)u, -1);
    j_open(w);
    kv_str(w, "id", un->id);
    kv_str(w, "name", un->name);
    kv_str(w, "group", s->groups[un->group].id);
    if (un->nformerly) {
        /* the registry's formerly: (only when given), for comparisons */
        j_key(w, "formerly");
        j_aopen(w);
        for (size_t k = 0; k < un->nformerly; k++) j_str(w, un->formerly[k]);
        j_aclose(w);
    }
    j_key(w, "flags");
    j_aopen(w);
    for (size_t k = 0; k < s->nflags && k < LS_MAX_FLAGS; k++)
        if (un->flags & ((uint64_t)1 << k)) j_str(w, s->flags[k]);
    j_aclose(w);
    kv_fixed(w, r, "total", ur->total);
    j_key(w, "grade");
    const char *grade = ls_explain_grade(r, u);
    if (*grade) j_str(w, grade);
    else j_null(w);
    j_key(w, "rank");
    if (ur->rank > 0) j_int(w, ur->rank);
    else j_null(w);
    kv_fixed(w, r, "main", ur->main);
    kv_fixed(w, r, "main_raw", ur->main_raw);
    kv_fixed(w, r, "applicable", ur->applicable);
    kv_bool(w, "rescaled", ur->rescaled);
    kv_fixed(w, r, "bonus", ur->bonus);
    kv_fixed(w, r, "bonus_raw", ur->bonus_raw);
    kv_fixed(w, r, "deduct", ur->deduct);
    kv_bool(w, "total_clamped", ur->total_clamped);
    j_key(w, "veto");
    const ls_node *v = ls_explain_veto(r, u);
    if (v) {
        j_open(w);
        kv_str(w, "id", v->id);
        kv_str(w, "name", v->name);
        j_key(w, "reasons");
        write_reasons(w, r, ls_run_cell(r, u, (size_t)ur->veto));
        j_close(w);
    } else {
        j_null(w);
    }
    kv_int(w, "errors", ur->errors);
    j_key(w, "notes");
    j_aopen(w);
    for (int k = 0; k < LS_NOTE_COUNT; k++) {
        char *note = ls_explain_unit_note(r, u, (ls_note_kind)k);
        if (!note) continue;
        j_open(w);
        kv_str(w, "kind", ls_note_kind_name((ls_note_kind)k));
        kv_own(w, "text", note);
        j_close(w);
    }
    j_aclose(w);
    j_key(w, "nodes");
    j_aopen(w);
    for (size_t i = 0; i < s->nnodes && ok(w); i++) write_node(w, r, u, i);
    j_aclose(w);
    set_where(w, NULL, (long)u, -1);
    if (r->self) {
        j_key(w, "self");
        if (!r->self->given[u]) {
            j_null(w);
        } else {
            j_open(w);
            kv_fixed(w, r, "total", r->self->total[u]);
            /* 考核分 − 自评分, a plain JSON number (no '+') */
            kv_fixed(w, r, "difference", ur->total - r->self->total[u]);
            kv_bool(w, "overrated", ls_explain_overrated(r, u));
            j_close(w);
        }
    }
    if (r->original) {
        const ls_unit_result *o = &r->original->units[u];
        j_key(w, "original");
        j_open(w);
        kv_fixed(w, r, "total", o->total);
        j_key(w, "grade");
        const char *og = ls_explain_grade(r->original, u);
        if (*og) j_str(w, og);
        else j_null(w);
        j_key(w, "rank");
        if (o->rank > 0) j_int(w, o->rank);
        else j_null(w);
        j_close(w);
    }
    j_close(w);
}

/* The appeals trail: every decision as the adjustments file gave it. */
static void write_adjustments(jw *w, const ls_run *r)
{
    const ls_scheme *s = r->scheme;
    set_where(w, "the adjustments", -1, -1);
    j_aopen(w);
    for (size_t i = 0; i < r->adj->n; i++) {
        const ls_adjustment *e = &r->adj->v[i];
        j_open(w);
        kv_str(w, "unit", s->units[e->unit].id);
        kv_str(w, "kind", e->kind == LS_ADJ_DATA ? "data" : "score");
        if (e->kind == LS_ADJ_DATA) {
            kv_str(w, "indicator", s->inds[e->indicator].id);
            j_key(w, "old");
            write_value(w, &e->old);
            j_key(w, "new");
            write_value(w, &e->new_);
        } else {
            const ls_node *n = &s->nodes[e->node];
            kv_str(w, "item", n->id);
            kv_str(w, "number", n->number);
            j_key(w, "original_score");
            const ls_cell *oc = ls_run_cell(r->original, (size_t)e->unit, (size_t)e->node);
            if (oc->state == LS_CELL_SCORED) j_fixed(w, r, oc->score);
            else j_null(w);
            kv_fixed(w, r, "score", e->score);
        }
        kv_str(w, "reason", e->reason);
        kv_str(w, "basis", e->basis);
        kv_str(w, "by", e->by);
        kv_str(w, "date", e->date);
        kv_str(w, "file", r->adj->path);
        kv_int(w, "line", e->line);
        j_close(w);
    }
    j_aclose(w);
}

static const char *status_text(yajl_gen_status st)
{
    switch (st) {
    case yajl_gen_invalid_string: return "invalid UTF-8 text";
    case yajl_gen_invalid_number: return "invalid number";
    case yajl_gen_keys_must_be_strings:
    case yajl_gen_in_error_state:
    case yajl_gen_generation_complete:
    case yajl_max_depth_exceeded: return "internal generator error";
    case yajl_gen_no_buf: return "no buffer";
    case yajl_gen_status_ok: return "ok";
    }
    return "generator error";
}

/* Start a document on f: 0, or -1 with an error. */
static int jw_start(jw *w, const ls_run *r, FILE *f, ls_errors *err)
{
    memset(w, 0, sizeof *w);
    w->f = f;
    w->st = yajl_gen_status_ok;
    w->r = r;
    set_where(w, "the result", -1, -1);
    w->g = yajl_gen_alloc(NULL);
    if (!w->g) return ls_errorf(err, NULL, 0, 0, "cannot write JSON: out of memory");
    yajl_gen_config(w->g, yajl_gen_beautify, 1);
    yajl_gen_config(w->g, yajl_gen_indent_string, "  ");
    yajl_gen_config(w->g, yajl_gen_validate_utf8, 1);
    errno = 0;
    return 0;
}

/* End the document: 0, or -1 with an error for the first failure. */
static int jw_finish(jw *w, ls_errors *err)
{
    int rc = 0;
    jw_flush(w);
    if (!ok(w))
        rc = ls_errorf(err, NULL, 0, 0, "cannot write JSON: %s in %s", status_text(w->st),
                       w->failed_at);
    else if (w->werr || ferror(w->f) || fflush(w->f) != 0)
        rc = ls_errorf(err, NULL, 0, 0, "cannot write JSON: %s",
                       strerror(w->werr ? w->werr : errno ? errno : EIO));
    yajl_gen_free(w->g);
    free(w->failed_at);
    return rc;
}

int ls_write_json(const ls_run *r, const ls_manifest *m, FILE *f, ls_errors *err)
{
    jw w;
    if (jw_start(&w, r, f, err)) return -1;
    const ls_scheme *s = r->scheme;
    j_open(&w);
    j_key(&w, "manifest");
    write_manifest(&w, m);
    j_key(&w, "assessment");
    write_assessment(&w, r);
    j_key(&w, "groups");
    write_groups(&w, r);
    j_key(&w, "units");
    j_aopen(&w);
    for (size_t u = 0; u < s->nunits && ok(&w) && !w.werr; u++) {
        write_unit(&w, r, u);
        jw_flush(&w);
    }
    j_aclose(&w);
    if (r->adj && r->original) {
        j_key(&w, "adjustments");
        write_adjustments(&w, r);
    }
    j_close(&w);
    return jw_finish(&w, err);
}

int ls_write_json_units(const ls_run *r, const size_t *units, size_t n, FILE *f,
                        ls_errors *err)
{
    jw w;
    if (jw_start(&w, r, f, err)) return -1;
    if (n != 1) j_aopen(&w);
    for (size_t i = 0; i < n && ok(&w) && !w.werr; i++) write_unit(&w, r, units[i]);
    if (n != 1) j_aclose(&w);
    return jw_finish(&w, err);
}
