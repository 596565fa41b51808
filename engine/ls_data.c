/*
 * ls_data.c - loading and merging indicator data (see ls_data.h and
 * docs/data.md).
 */
#include "ls_data.h"

#include <string.h>
#include <stdlib.h>
#include <strings.h>

#include "ls_csv.h"
#include "ls_i18n.h"
#include "ls_util.h"
#include "ls_yread.h"

typedef struct dloader {
    ls_dataset *d;
    const ls_scheme *s;
    ls_errors *err;
    int file;
    const char *path;
    int rc;
    int file_failed;         /* a whole file could not be read */
    int replace;             /* a value given again replaces the earlier one
                                (layers of ls_dataset_build), not a conflict */
} dloader;

static const char *suggest_unit(const ls_scheme *s, const char *id)
{
    const char *best = NULL;
    size_t bestd = (size_t)-1;
    for (size_t i = 0; i < s->nunits; i++) {
        size_t d = ls_edit_distance(id, s->units[i].id);
        if (d < bestd) { bestd = d; best = s->units[i].id; }
    }
    return bestd <= 2 ? best : NULL;
}

static int unknown_unit(dloader *dl, const char *id, int line, int col)
{
    const char *sug = suggest_unit(dl->s, id);
    if (sug)
        return ls_errorf(dl->err, dl->path, line, col, "unknown unit '%s' (did you mean '%s'?)", id, sug);
    return ls_errorf(dl->err, dl->path, line, col, "unknown unit '%s': it is not in the scheme's unit registry", id);
}

static int unknown_indicator(dloader *dl, const char *id, int line, int col)
{
    const char *sug = ls_scheme_suggest_indicator(dl->s, id);
    if (sug)
        return ls_errorf(dl->err, dl->path, line, col, "unknown indicator '%s' (did you mean '%s'?)", id, sug);
    return ls_errorf(dl->err, dl->path, line, col, "unknown indicator '%s': it is not in the scheme's catalogue", id);
}

/* Check text against the indicator and store it, detecting conflicts
 * with values from earlier files. */
static void set_value(dloader *dl, int unit, int ind, const char *text, int plain, int line, int col)
{
    ls_dataset *d = dl->d;
    const ls_indicator *in = &dl->s->inds[ind];
    ls_value v;
    char msg[512];
    if (ls_value_parse(&in->spec, text, plain, &v, msg, sizeof msg)) {
        dl->rc = ls_errorf(dl->err, dl->path, line, col, "%s (indicator '%s' %s)", msg, in->id, in->name);
        return;
    }
    if (v.type == LS_T_TEXT) v.str = ls_arena_strdup(&d->arena, v.str);
    size_t k = (size_t)unit * dl->s->ninds + (size_t)ind;
    ls_value *slot = &d->vals[k];
    ls_origin *o = &d->origins[k];
    if (slot->set && o->file >= 0 && !dl->replace) {
        if (ls_value_equal(slot, &v)) return;
        char a[256], b[256];
        dl->rc = ls_errorf(dl->err, dl->path, line, col,
                           "conflicting values for unit '%s', indicator '%s': %s here, but %s at %s:%d:%d",
                           dl->s->units[unit].id, in->id, ls_value_format(&v, a, sizeof a),
                           ls_value_format(slot, b, sizeof b), d->files[o->file], o->line, o->col);
        return;
    }
    *slot = v;
    *o = (ls_origin){dl->file, line, col};
}

/* The values of unit u from a mapping {indicator id: value}. */
static void load_unit_values(dloader *dl, ls_yr *r, int u, const ls_ynode *vals)
{
    if (!vals || ls_ynode_is_null(vals)) return;
    char what[160];
    snprintf(what, sizeof what, _("the values of unit '%s'"), dl->s->units[u].id);
    if (ls_yr_expect_map(r, vals, what)) { dl->rc = -1; return; }
    for (size_t j = 0; j < vals->n; j++) {
        const ls_ynode *ik = ls_ymap_key(vals, j), *iv = ls_ymap_val(vals, j);
        int ind = ls_scheme_find_indicator(dl->s, ik->str);
        if (ind < 0) { dl->rc = unknown_indicator(dl, ik->str, ik->line, ik->col); continue; }
        if (ls_ynode_is_null(iv)) {
            /* a later layer's ~ takes an earlier value back: "not given" */
            size_t k = (size_t)u * dl->s->ninds + (size_t)ind;
            if (dl->replace) dl->d->vals[k] = (ls_value){0};
            continue;
        }
        if (iv->kind != LS_YSCALAR) {
            char buf[96];
            dl->rc = ls_yr_error(r, iv, "expected a single value for indicator '%s', found %s",
                                 ik->str, ls_ynode_describe(iv, buf, sizeof buf));
            continue;
        }
        set_value(dl, u, ind, iv->str, iv->plain, iv->line, iv->col);
    }
}

static void load_yaml(dloader *dl)
{
    ls_ydoc doc;
    if (ls_yaml_load(&doc, dl->path, dl->err)) {
        dl->rc = dl->file_failed = -1;
        ls_yaml_cleanup(&doc);
        return;
    }
    ls_yr r = {dl->path, dl->err};
    const ls_ynode *root = doc.root, *n;
    static const char *const keys[] = {"year", "source", "units", NULL};
    if (ls_yr_expect_map(&r, root, "a data file (year, source, units)")) { dl->file_failed = -1; goto out; }
    if (ls_yr_check_keys(&r, root, keys, "a data file")) dl->rc = -1;
    if ((n = ls_ymap_get(root, "year"))) {
        long y;
        if (ls_yr_int(&r, n, "year", 1949, 2200, &y)) dl->rc = -1;
        else if (y != dl->s->year)
            dl->rc = ls_yr_error(&r, n, "data for year %ld, but the scheme is for %d", y, dl->s->year);
    }
    const ls_ynode *units = ls_yr_require(&r, root, "units", "a data file");
    if (!units) { dl->rc = dl->file_failed = -1; goto out; }
    if (ls_yr_expect_map(&r, units, "'units' (unit id: its values)")) { dl->rc = dl->file_failed = -1; goto out; }
    for (size_t i = 0; i < units->n; i++) {
        const ls_ynode *k = ls_ymap_key(units, i), *vals = ls_ymap_val(units, i);
        int u = ls_scheme_find_unit(dl->s, k->str);
        if (u < 0) { dl->rc = unknown_unit(dl, k->str, k->line, k->col); continue; }
        load_unit_values(dl, &r, u, vals);
    }
out:
    if (!root || root->kind != LS_YMAP) dl->rc = -1;
    ls_yaml_cleanup(&doc);
}

static int find_indicator_by_name(const ls_scheme *s, const char *name)
{
    int i = ls_scheme_find_indicator(s, name);
    if (i >= 0) return i;
    for (size_t k = 0; k < s->ninds; k++)
        if (!strcmp(s->inds[k].name, name)) return (int)k;
    return -1;
}

static void load_csv(dloader *dl)
{
    const ls_scheme *s = dl->s;
    ls_csv t;
    if (ls_csv_load(&t, dl->path, dl->err)) {
        dl->rc = dl->file_failed = -1;
        ls_csv_cleanup(&t);
        return;
    }
    const ls_csv_row *h = &t.rows[0];
    int *col_ind = ls_xmalloc(h->n * sizeof *col_ind);
    int unit_col = -1;
    for (size_t j = 0; j < h->n && unit_col < 0; j++) {
        const char *c = h->f[j].text;
        if (!strcmp(c, "unit") || !strcmp(c, "id") || !strcmp(c, "单位编号") || !strcmp(c, "单位代码"))
            unit_col = (int)j;
    }
    if (unit_col < 0) {
        dl->rc = dl->file_failed = ls_errorf(dl->err, dl->path, 1, 1,
                           "no unit id column: name one column 'unit' (or 'id', '单位编号')");
        goto out;
    }
    for (size_t j = 0; j < h->n; j++) {
        const char *c = h->f[j].text;
        col_ind[j] = -2;   /* ignored */
        if ((int)j == unit_col) continue;
        /* the unit-name column, unless an indicator has that very id */
        if ((!strcmp(c, "name") || !strcmp(c, "单位名称") || !strcmp(c, "单位")) &&
            ls_scheme_find_indicator(s, c) < 0)
            continue;
        int ind = find_indicator_by_name(s, c);
        if (ind < 0) { dl->rc = unknown_indicator(dl, c, h->f[j].line, h->f[j].col); continue; }
        for (size_t k = 0; k < j; k++)
            if (col_ind[k] == ind)
                dl->rc = ls_errorf(dl->err, dl->path, h->f[j].line, h->f[j].col,
                                   "column for indicator '%s' given twice (first in column %zu)", s->inds[ind].id, k + 1);
        col_ind[j] = ind;
    }
    int *seen = ls_xcalloc(s->nunits, sizeof *seen);
    for (size_t i = 1; i < t.nrows; i++) {
        const ls_csv_row *row = &t.rows[i];
        if (row->n != h->n) continue;   /* reported by the reader */
        const ls_csv_field *uf = &row->f[unit_col];
        int u = ls_scheme_find_unit(s, uf->text);
        if (u < 0) { dl->rc = unknown_unit(dl, uf->text, uf->line, uf->col); continue; }
        if (seen[u]) {
            dl->rc = ls_errorf(dl->err, dl->path, uf->line, uf->col,
                               "unit '%s' has a second row in this file (first at line %d)", uf->text, seen[u]);
            continue;
        }
        seen[u] = row->line;
        for (size_t j = 0; j < row->n; j++) {
            if (col_ind[j] < 0 || !row->f[j].text[0]) continue;
            set_value(dl, u, col_ind[j], row->f[j].text, 1, row->f[j].line, row->f[j].col);
        }
    }
    free(seen);
out:
    free(col_ind);
    ls_csv_cleanup(&t);
}

/* An empty data set for s with room for the names of nfiles files. */
static ls_dataset *new_dataset(const ls_scheme *s, size_t nfiles)
{
    ls_dataset *d = ls_xcalloc(1, sizeof *d);
    ls_arena_init(&d->arena);
    d->scheme = s;
    size_t cells = s->nunits * s->ninds;
    d->vals = ls_xcalloc(cells ? cells : 1, sizeof *d->vals);
    d->origins = ls_xcalloc(cells ? cells : 1, sizeof *d->origins);
    d->files = ls_arena_alloc(&d->arena, (nfiles ? nfiles : 1) * sizeof *d->files);
    return d;
}

/* Give every value still unset its default; a required one without value
 * is an error at the unit's declaration, unless `allow_missing`.  With a
 * hint, one error per unit names all its missing values, followed by the
 * hint. */
static void fill_defaults(dloader *dl, int allow_missing, const char *hint)
{
    ls_dataset *d = dl->d;
    const ls_scheme *s = dl->s;
    ls_buf miss;
    ls_buf_init(&miss);
    for (size_t u = 0; u < s->nunits; u++) {
        const ls_unit *un = &s->units[u];
        size_t nmiss = 0;
        miss.n = 0;
        for (size_t i = 0; i < s->ninds; i++) {
            size_t k = u * s->ninds + i;
            if (d->vals[k].set) continue;
            const ls_indicator *in = &s->inds[i];
            if (in->def.set) {
                d->vals[k] = in->def;
                d->origins[k] = (ls_origin){-1, in->line, in->col};
            } else if (in->required && !allow_missing && hint) {
                ls_buf_printf(&miss, "%s'%s' (%s)", nmiss++ ? ", " : "", in->id, in->name);
            } else if (in->required && !allow_missing) {
                dl->rc = ls_errorf(dl->err, un->path, un->line, un->col,
                                   "unit '%s' (%s) has no value for required indicator '%s' (%s)",
                                   un->id, un->name, in->id, in->name);
            } else {
                d->nmissing++;
            }
        }
        if (nmiss == 1)
            dl->rc = ls_errorf(dl->err, un->path, un->line, un->col,
                               "unit '%s' (%s) has no value for required indicator %s%s", un->id, un->name,
                               miss.p, hint);
        else if (nmiss)
            dl->rc = ls_errorf(dl->err, un->path, un->line, un->col,
                               "unit '%s' (%s) has no value for %zu required indicators: %s%s", un->id,
                               un->name, nmiss, miss.p, hint);
    }
    ls_buf_cleanup(&miss);
}

ls_dataset *ls_dataset_load(const ls_scheme *s, const char *const *paths, size_t nfiles,
                            int allow_missing, ls_errors *err)
{
    ls_dataset *d = new_dataset(s, nfiles);
    dloader dl = {.d = d, .s = s, .err = err};
    for (size_t f = 0; f < nfiles; f++) {
        d->files[d->nfiles++] = ls_arena_strdup(&d->arena, paths[f]);
        dl.file = (int)f;
        dl.path = d->files[f];
        size_t len = strlen(paths[f]);
        if (len > 4 && !strcasecmp(paths[f] + len - 4, ".csv")) load_csv(&dl);
        else load_yaml(&dl);
    }
    /* (required values are not asked for when a file failed: they would be
     * missing for every unit, burying the real error) */
    fill_defaults(&dl, allow_missing || dl.file_failed, NULL);
    if (dl.rc) {
        ls_dataset_free(d);
        return NULL;
    }
    return d;
}

ls_dataset *ls_dataset_build(const ls_scheme *s, const ls_dataset *base, const int *base_rows,
                             const ls_values_node *layers, size_t nlayers, int allow_missing,
                             const char *hint, ls_errors *err)
{
    ls_dataset *d = new_dataset(s, nlayers * s->nunits + (base ? base->nfiles : 0));
    dloader dl = {.d = d, .s = s, .err = err, .replace = 1};
    int base_files = 0;
    if (base) {
        for (size_t f = 0; f < base->nfiles; f++)
            d->files[d->nfiles++] = ls_arena_strdup(&d->arena, base->files[f]);
        base_files = (int)base->nfiles;
    }
    for (size_t u = 0; u < s->nunits; u++) {
        int row = base && base_rows ? base_rows[u] : -1;
        for (size_t i = 0; row >= 0 && i < s->ninds; i++) {
            const ls_value *v = ls_dataset_get(base, (size_t)row, i);
            size_t k = u * s->ninds + i;
            if (!v->set) continue;
            d->vals[k] = *v;
            if (v->type == LS_T_TEXT) d->vals[k].str = ls_arena_strdup(&d->arena, v->str);
            d->origins[k] = base->origins[(size_t)row * s->ninds + i];
        }
        for (size_t k = 0; k < nlayers; k++) {
            const ls_values_node *l = &layers[u * nlayers + k];
            if (!l->map) continue;
            int f;
            for (f = base_files; f < (int)d->nfiles; f++)
                if (!strcmp(d->files[f], l->path)) break;
            if (f == (int)d->nfiles) d->files[d->nfiles++] = ls_arena_strdup(&d->arena, l->path);
            dl.file = f;
            dl.path = d->files[f];
            ls_yr r = {dl.path, err};
            load_unit_values(&dl, &r, (int)u, l->map);
        }
    }
    fill_defaults(&dl, allow_missing, hint ? hint : "");
    if (dl.rc) {
        ls_dataset_free(d);
        return NULL;
    }
    return d;
}

void ls_dataset_free(ls_dataset *d)
{
    if (!d) return;
    free(d->vals);
    free(d->origins);
    ls_arena_cleanup(&d->arena);
    free(d);
}
