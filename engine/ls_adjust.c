/*
 * ls_adjust.c - appeals: loading, checking and applying adjustments (see
 * ls_adjust.h).
 */
#include "ls_adjust.h"

#include <stdlib.h>
#include <string.h>

#include "ls_util.h"
#include "ls_yaml.h"
#include "ls_yread.h"

static int valid_date(const char *d)
{
    /* YYYY-MM-DD */
    if (strlen(d) != 10 || d[4] != '-' || d[7] != '-') return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9')) return 0;
    int m = (d[5] - '0') * 10 + (d[6] - '0'), day = (d[8] - '0') * 10 + (d[9] - '0');
    return m >= 1 && m <= 12 && day >= 1 && day <= 31;
}

/* A value of indicator ind from a YAML node: 0, or -1 with an error. */
static int read_value(ls_adjustments *a, ls_yr *r, const ls_ynode *n, int ind, const char *key,
                      ls_value *out)
{
    const ls_indicator *in = &a->scheme->inds[ind];
    if (ls_ynode_is_null(n)) {
        *out = (ls_value){0}; /* not given */
        return 0;
    }
    if (n->kind != LS_YSCALAR) {
        char buf[96];
        return ls_yr_error(r, n, "expected a single value for '%s', found %s", key,
                           ls_ynode_describe(n, buf, sizeof buf));
    }
    char msg[512];
    if (ls_value_parse(&in->spec, n->str, n->plain, out, msg, sizeof msg))
        return ls_yr_error(r, n, "%s (indicator '%s' %s)", msg, in->id, in->name);
    if (out->type == LS_T_TEXT) out->str = ls_arena_strdup(&a->arena, out->str);
    return 0;
}

static int read_text(ls_adjustments *a, ls_yr *r, const ls_ynode *e, const char *key, const char **out)
{
    const ls_ynode *n = ls_yr_require(r, e, key, "an adjustment");
    const char *t;
    if (!n || ls_yr_text(r, n, key, &t)) return -1;
    if (!*t) return ls_yr_error(r, n, "'%s' must not be empty", key);
    *out = ls_arena_strdup(&a->arena, t);
    return 0;
}

static int read_entry(ls_adjustments *a, ls_yr *r, const ls_ynode *e)
{
    const ls_scheme *s = a->scheme;
    static const char *const keys[] = {"unit", "indicator", "old", "new", "item", "score",
                                       "reason", "basis", "by", "date", NULL};
    if (ls_yr_expect_map(r, e, "an adjustment")) return -1;
    int rc = ls_yr_check_keys(r, e, keys, "an adjustment");
    ls_adjustment adj = {.unit = -1, .indicator = -1, .node = -1, .line = e->line, .col = e->col};
    const ls_ynode *n;
    const char *t;
    if ((n = ls_yr_require(r, e, "unit", "an adjustment")) && !ls_yr_text(r, n, "unit", &t)) {
        adj.unit = ls_scheme_find_unit(s, t);
        if (adj.unit < 0) rc = ls_yr_error(r, n, "unknown unit '%s': it is not in the scheme's unit registry", t);
    } else {
        rc = -1;
    }
    const ls_ynode *ind = ls_ymap_get(e, "indicator"), *item = ls_ymap_get(e, "item");
    if (!!ind == !!item) {
        return ls_yr_error(r, e, "an adjustment names either an 'indicator' (a data correction with 'old' "
                                 "and 'new') or an 'item' (a score decision with 'score')");
    }
    if (ind) {
        adj.kind = LS_ADJ_DATA;
        if (ls_ymap_get(e, "score")) rc = ls_yr_error(r, ls_ymap_get(e, "score"), "'score' belongs to a score "
                                                                                  "decision on an 'item', not to a data correction");
        if (ls_yr_text(r, ind, "indicator", &t)) return -1;
        adj.indicator = ls_scheme_find_indicator(s, t);
        if (adj.indicator < 0) {
            const char *sug = ls_scheme_suggest_indicator(s, t);
            return ls_yr_error(r, ind, "unknown indicator '%s'%s%s%s", t, sug ? " (did you mean '" : "",
                               sug ? sug : "", sug ? "'?)" : ": it is not in the scheme's catalogue");
        }
        /* (old: ~ says the value was not given: present, but null) */
        const ls_ynode *o = ls_ymap_get(e, "old"), *nw = ls_ymap_get(e, "new");
        if (!o) ls_yr_error(r, e, "missing 'old' in a data correction (the value the appeal corrects; ~ when it was not given)");
        if (!nw) ls_yr_error(r, e, "missing 'new' in a data correction (the corrected value)");
        if (!o || read_value(a, r, o, adj.indicator, "old", &adj.old)) rc = -1;
        if (!nw || read_value(a, r, nw, adj.indicator, "new", &adj.new_)) rc = -1;
        if (!rc && ls_value_equal(&adj.old, &adj.new_))
            rc = ls_yr_error(r, nw, "the new value is the old value: nothing is corrected");
    } else {
        adj.kind = LS_ADJ_SCORE;
        if (ls_ymap_get(e, "old") || ls_ymap_get(e, "new"))
            rc = ls_yr_error(r, ls_ymap_get(e, "old") ? ls_ymap_get(e, "old") : ls_ymap_get(e, "new"),
                             "'old' and 'new' belong to a data correction of an 'indicator'; a score "
                             "decision on an 'item' gives 'score'");
        if (ls_yr_text(r, item, "item", &t)) return -1;
        adj.node = ls_scheme_find_node(s, t);
        for (size_t i = 0; adj.node < 0 && i < s->nnodes; i++)
            if (!strcmp(s->nodes[i].number, t)) adj.node = (int)i;
        if (adj.node < 0) return ls_yr_error(r, item, "unknown item '%s' (an item is named by its id or its 序号)", t);
        const ls_node *nd = &s->nodes[adj.node];
        if (nd->nchildren)
            return ls_yr_error(r, item, "'%s' is a category: a score decision is made on an item", t);
        if (nd->section == LS_SEC_VETO)
            return ls_yr_error(r, item, "'%s' is a veto item: correct the data behind it instead", t);
        if (adj.unit >= 0 && !ls_node_applies(s, adj.node, adj.unit))
            return ls_yr_error(r, item, "item %s %s does not apply to unit '%s'", nd->number, nd->name,
                               s->units[adj.unit].id);
        const ls_ynode *sc = ls_yr_require(r, e, "score", "a score decision");
        if (!sc || ls_yr_decimal(r, sc, "score", s->digits, &adj.score)) {
            rc = -1;
        } else if (adj.score < 0 || adj.score > nd->points) {
            char pts[32];
            rc = ls_yr_error(r, sc, "score %s of item %s %s is outside 0 to %s", sc->str, nd->number, nd->name,
                             ls_dec_format_short(nd->points, s->digits, pts));
        }
    }
    if (read_text(a, r, e, "reason", &adj.reason)) rc = -1;
    if (read_text(a, r, e, "basis", &adj.basis)) rc = -1;
    if (read_text(a, r, e, "by", &adj.by)) rc = -1;
    if (read_text(a, r, e, "date", &adj.date)) rc = -1;
    else if (!valid_date(adj.date))
        rc = ls_yr_error(r, ls_ymap_get(e, "date"), "expected the date as YYYY-MM-DD, found '%s'", adj.date);
    if (rc) return -1;
    for (size_t i = 0; i < a->n; i++) {
        const ls_adjustment *p = &a->v[i];
        if (p->unit != adj.unit || p->kind != adj.kind) continue;
        if (adj.kind == LS_ADJ_DATA && p->indicator == adj.indicator)
            return ls_yr_error(r, e, "indicator '%s' of unit '%s' is corrected twice (first at line %d)",
                               s->inds[adj.indicator].id, s->units[adj.unit].id, p->line);
        if (adj.kind == LS_ADJ_SCORE && p->node == adj.node)
            return ls_yr_error(r, e, "item %s of unit '%s' is decided twice (first at line %d)",
                               s->nodes[adj.node].number, s->units[adj.unit].id, p->line);
    }
    LS_GROW(a->v, a->n, a->cap, 8);
    a->v[a->n++] = adj;
    return 0;
}

ls_adjustments *ls_adjustments_load(const ls_scheme *s, const char *path, ls_errors *err)
{
    ls_adjustments *a = ls_xcalloc(1, sizeof *a);
    ls_arena_init(&a->arena);
    a->scheme = s;
    a->path = ls_arena_strdup(&a->arena, path);
    ls_ydoc doc;
    int rc = 0;
    if (ls_yaml_load(&doc, path, err)) {
        rc = -1;
        goto out;
    }
    ls_yr r = {a->path, err};
    const ls_ynode *root = doc.root, *n;
    static const char *const keys[] = {"year", "adjustments", NULL};
    if (ls_yr_expect_map(&r, root, "an adjustments file (year, adjustments)")) {
        rc = -1;
        goto out;
    }
    if (ls_yr_check_keys(&r, root, keys, "an adjustments file")) rc = -1;
    if ((n = ls_ymap_get(root, "year"))) {
        long y;
        if (ls_yr_int(&r, n, "year", 1949, 2200, &y)) rc = -1;
        else if (y != s->year) rc = ls_yr_error(&r, n, "adjustments for year %ld, but the scheme is for %d", y, s->year);
    }
    const ls_ynode *list = ls_yr_require(&r, root, "adjustments", "an adjustments file");
    if (!list || ls_yr_expect_seq(&r, list, "'adjustments' (a list of decisions)")) {
        rc = -1;
        goto out;
    }
    for (size_t i = 0; i < list->n; i++)
        if (read_entry(a, &r, list->items[i])) rc = -1;
out:
    ls_yaml_cleanup(&doc);
    if (rc) {
        ls_adjustments_free(a);
        return NULL;
    }
    return a;
}

void ls_adjustments_free(ls_adjustments *a)
{
    if (!a) return;
    free(a->v);
    ls_arena_cleanup(&a->arena);
    free(a);
}

ls_dataset *ls_adjustments_apply(const ls_adjustments *a, const ls_dataset *d, ls_errors *err)
{
    const ls_scheme *s = a->scheme;
    int *rows = ls_xmalloc((s->nunits ? s->nunits : 1) * sizeof *rows);
    for (size_t u = 0; u < s->nunits; u++) rows[u] = (int)u;
    ls_dataset *c = ls_dataset_build(s, d, rows, NULL, 0, 1, NULL, err);
    free(rows);
    if (!c) return NULL;
    int rc = 0;
    for (size_t i = 0; i < a->n; i++) {
        const ls_adjustment *e = &a->v[i];
        if (e->kind != LS_ADJ_DATA) continue;
        const ls_indicator *in = &s->inds[e->indicator];
        const ls_value *cur = ls_dataset_get(d, (size_t)e->unit, (size_t)e->indicator);
        if (!ls_value_equal(cur, &e->old)) {
            char x[256], y[256];
            rc = ls_errorf(err, a->path, e->line, e->col,
                           "stale appeal: indicator '%s' (%s) of unit '%s' is %s in the data, but the "
                           "adjustment corrects it from %s",
                           in->id, in->name, s->units[e->unit].id,
                           cur->set ? ls_value_format(cur, x, sizeof x) : "not given",
                           e->old.set ? ls_value_format(&e->old, y, sizeof y) : "not given");
            continue;
        }
        size_t k = (size_t)e->unit * s->ninds + (size_t)e->indicator;
        c->vals[k] = e->new_;
        if (e->new_.type == LS_T_TEXT && e->new_.set) c->vals[k].str = ls_arena_strdup(&c->arena, e->new_.str);
        c->given[k] = 0; /* a correction, not the data as submitted */
    }
    if (rc) {
        ls_dataset_free(c);
        return NULL;
    }
    return c;
}

const ls_adjustment *ls_adjustments_decision(const ls_adjustments *a, size_t unit, size_t node)
{
    for (size_t i = 0; a && i < a->n; i++)
        if (a->v[i].kind == LS_ADJ_SCORE && a->v[i].unit == (int)unit && a->v[i].node == (int)node)
            return &a->v[i];
    return NULL;
}

char *ls_adjustment_describe(const ls_adjustment *e)
{
    return ls_format("%s（依据%s；%s，%s）", e->reason, e->basis, e->by, e->date);
}
