/*
 * ls_results.c - reading results.json back (see ls_results.h).
 */
#include "ls_results.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <yajl/yajl_tree.h>

#include "ls_util.h"

/* The newest results.json format this file reads (ls_export_json writes
 * it); a results.json without a manifest "format" is format 1. */
#define RESULTS_FORMAT 2

/* What was wrong in a results.json that parsed as JSON. */
enum {
    BAD_SCORE = 1,
    BAD_VALUE = 2
};

typedef struct rd {
    ls_results *r;
    int bad;
    /* results.json's "items" and "indicators" tables: a node's number,
     * name, section and points and an indicator's name are there once,
     * by id (read once, shared by every unit's nodes) */
    ls_rnode *items;
    size_t nitems;
    ls_strmap item_ix;
    const char **ind_names;
    size_t ninds;
    ls_strmap ind_ix;
    /* format 2: each item's "reads" (what a node without "reads" read),
     * and the current unit's "values" by indicator index */
    yajl_val *item_reads;
    yajl_val *values;
} rd;

static yajl_val get(yajl_val obj, const char *key)
{
    const char *path[] = {key, NULL};
    return obj && YAJL_IS_OBJECT(obj) ? yajl_tree_get(obj, path, yajl_t_any) : NULL;
}

static const char *str(rd *d, yajl_val v)
{
    if (!v) return "";
    if (YAJL_IS_STRING(v)) return ls_arena_strdup(&d->r->arena, YAJL_GET_STRING(v));
    if (YAJL_IS_NUMBER(v)) return ls_arena_strdup(&d->r->arena, YAJL_GET_NUMBER(v));
    if (YAJL_IS_TRUE(v)) return "是";
    if (YAJL_IS_FALSE(v)) return "否";
    return "";
}

/* A value people read: null is 未填报. */
static const char *value_text(rd *d, yajl_val v)
{
    return !v || YAJL_IS_NULL(v) ? "未填报" : str(d, v);
}

static ls_fixed fixed(rd *d, yajl_val v)
{
    ls_fixed x = 0;
    if (!v || !YAJL_IS_NUMBER(v) || ls_dec_parse(YAJL_GET_NUMBER(v), d->r->digits, &x)) {
        if (v && !YAJL_IS_NULL(v)) d->bad |= BAD_SCORE;
        return 0;
    }
    return x;
}

static size_t arr_len(yajl_val v) { return v && YAJL_IS_ARRAY(v) ? v->u.array.len : 0; }
static yajl_val arr_at(yajl_val v, size_t i) { return v->u.array.values[i]; }

/* The "items" and "indicators" tables. */
static void read_tables(rd *d, yajl_val root)
{
    yajl_val items = get(root, "items"), inds = get(root, "indicators");
    d->nitems = arr_len(items);
    d->items = ls_arena_alloc(&d->r->arena, (d->nitems ? d->nitems : 1) * sizeof *d->items);
    memset(d->items, 0, (d->nitems ? d->nitems : 1) * sizeof *d->items);
    d->item_reads = ls_xcalloc(d->nitems ? d->nitems : 1, sizeof *d->item_reads);
    for (size_t i = 0; i < d->nitems; i++) {
        yajl_val o = arr_at(items, i);
        ls_rnode *n = &d->items[i];
        n->id = str(d, get(o, "id"));
        n->number = str(d, get(o, "number"));
        n->name = str(d, get(o, "name"));
        n->section = str(d, get(o, "section"));
        n->points = fixed(d, get(o, "points"));
        ls_strmap_put(&d->item_ix, n->id, (int)i, NULL);
        d->item_reads[i] = get(o, "reads");
    }
    size_t ninds = d->ninds = arr_len(inds);
    d->ind_names = ls_arena_alloc(&d->r->arena, (ninds ? ninds : 1) * sizeof *d->ind_names);
    d->values = ls_xcalloc(ninds ? ninds : 1, sizeof *d->values);
    for (size_t i = 0; i < ninds; i++) {
        yajl_val o = arr_at(inds, i);
        d->ind_names[i] = str(d, get(o, "name"));
        ls_strmap_put(&d->ind_ix, str(d, get(o, "id")), (int)i, NULL);
    }
}

static void read_node(rd *d, ls_rnode *n, yajl_val o)
{
    n->id = str(d, get(o, "id"));
    int it = ls_strmap_get(&d->item_ix, n->id);
    if (it >= 0) {
        n->id = d->items[it].id;
        n->number = d->items[it].number;
        n->name = d->items[it].name;
        n->section = d->items[it].section;
        n->points = d->items[it].points;
    } else {
        /* results.json before the items table (archives published by
         * earlier builds) has them in each node */
        n->number = str(d, get(o, "number"));
        n->name = str(d, get(o, "name"));
        n->section = str(d, get(o, "section"));
        n->points = fixed(d, get(o, "points"));
    }
    /* format 2 leaves a scored node's state out */
    yajl_val st = get(o, "state");
    n->state = st ? str(d, st) : "scored";
    n->scored = !strcmp(n->state, "scored");
    yajl_val sc = get(o, "score");
    if (n->scored && sc && YAJL_IS_INTEGER(sc) && !strcmp(n->section, "veto"))
        n->score = YAJL_GET_INTEGER(sc);
    else if (n->scored)
        n->score = fixed(d, sc);
    /* format 1: the values read, in the node; format 2: their ids, in the
     * node or else its item, and the values in the unit's "values" */
    yajl_val inds = get(o, "indicators");
    yajl_val reads = inds ? NULL : get(o, "reads");
    if (!inds && !reads && it >= 0) reads = d->item_reads[it];
    n->ninds = arr_len(inds ? inds : reads);
    n->inds = ls_arena_alloc(&d->r->arena, (n->ninds ? n->ninds : 1) * sizeof *n->inds);
    for (size_t i = 0; i < n->ninds; i++) {
        ls_rind *x = &n->inds[i];
        yajl_val e = arr_at(inds ? inds : reads, i);
        x->id = str(d, inds ? get(e, "id") : e);
        int k = ls_strmap_get(&d->ind_ix, x->id);
        x->name = k >= 0 ? d->ind_names[k] : str(d, get(e, "name"));
        if (inds) x->value = value_text(d, get(e, "value"));
        else if (k >= 0 && d->values[k]) x->value = value_text(d, d->values[k]);
        else d->bad |= BAD_VALUE; /* a read without its value */
    }
}

static void read_unit(rd *d, ls_runit *u, yajl_val o)
{
    u->id = str(d, get(o, "id"));
    u->name = str(d, get(o, "name"));
    u->group = str(d, get(o, "group"));
    u->total = fixed(d, get(o, "total"));
    u->main = fixed(d, get(o, "main"));
    u->main_raw = fixed(d, get(o, "main_raw"));
    u->bonus = fixed(d, get(o, "bonus"));
    u->grade = str(d, get(o, "grade"));
    yajl_val rk = get(o, "rank");
    u->rank = rk && YAJL_IS_INTEGER(rk) ? (int)YAJL_GET_INTEGER(rk) : 0;
    yajl_val fm = get(o, "formerly");
    u->nformerly = arr_len(fm);
    u->formerly = ls_arena_alloc(&d->r->arena, (u->nformerly ? u->nformerly : 1) * sizeof *u->formerly);
    for (size_t i = 0; i < u->nformerly; i++) u->formerly[i] = str(d, arr_at(fm, i));
    yajl_val notes = get(o, "notes");
    for (size_t i = 0; i < arr_len(notes); i++) u->quota |= !strcmp(str(d, get(arr_at(notes, i), "kind")), "quota");
    /* format 2: the values the unit's rules read, once (by id) */
    yajl_val vals = get(o, "values");
    size_t nvals = vals && YAJL_IS_OBJECT(vals) ? vals->u.object.len : 0;
    for (size_t i = 0; i < nvals; i++) {
        int k = ls_strmap_get(&d->ind_ix, vals->u.object.keys[i]);
        if (k >= 0) d->values[k] = vals->u.object.values[i];
    }
    yajl_val nodes = get(o, "nodes");
    u->nnodes = arr_len(nodes);
    u->nodes = ls_arena_alloc(&d->r->arena, (u->nnodes ? u->nnodes : 1) * sizeof *u->nodes);
    memset(u->nodes, 0, (u->nnodes ? u->nnodes : 1) * sizeof *u->nodes);
    for (size_t i = 0; i < u->nnodes; i++) read_node(d, &u->nodes[i], arr_at(nodes, i));
    /* leaves and depth from the 序号: "8.3" lies under "8" */
    for (size_t i = 0; i < u->nnodes; i++) {
        ls_rnode *n = &u->nodes[i];
        size_t len = strlen(n->number);
        n->leaf = 1;
        for (size_t k = 0; k < u->nnodes && n->leaf; k++)
            if (k != i && !strncmp(u->nodes[k].number, n->number, len) && u->nodes[k].number[len] == '.')
                n->leaf = 0;
        for (const char *p = n->number; *p; p++) n->depth += *p == '.';
    }
    for (size_t i = 0; i < nvals; i++) {
        int k = ls_strmap_get(&d->ind_ix, vals->u.object.keys[i]);
        if (k >= 0) d->values[k] = NULL;
    }
}

/* The name of an appeal's indicator, or its item's 序号 and name, from
 * the "indicators" and "items" tables; the id when they do not name it. */
static const char *what_of(rd *d, const ls_radj *a, yajl_val number)
{
    if (!strcmp(a->kind, "data")) {
        int k = ls_strmap_get(&d->ind_ix, a->target);
        return k >= 0 ? d->ind_names[k] : a->target;
    }
    int it = ls_strmap_get(&d->item_ix, a->target);
    const char *num = it >= 0 ? d->items[it].number : str(d, number);
    if (it < 0) return *num ? num : a->target;
    char *s = ls_format("%s %s", num, d->items[it].name);
    const char *t = ls_arena_strdup(&d->r->arena, s);
    free(s);
    return t;
}

typedef struct order_key {
    size_t group, idx;
    int rank;
} order_key;

static int cmp_order(const void *pa, const void *pb)
{
    const order_key *a = pa, *b = pb;
    if (a->group != b->group) return a->group < b->group ? -1 : 1;
    if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* The id maps and the rank order (a province has ~100 000 units: no
 * lookups by scanning). */
void ls_results_index(ls_results *r)
{
    ls_strmap gix;
    ls_strmap_init(&gix);
    for (size_t g = 0; g < r->ngroups; g++) ls_strmap_put(&gix, r->groups[g].id, (int)g, NULL);
    order_key *k = ls_xmalloc((r->nunits ? r->nunits : 1) * sizeof *k);
    for (size_t i = 0; i < r->nunits; i++) {
        const ls_runit *u = &r->units[i];
        ls_strmap_put(&r->unit_ix, u->id, (int)i, NULL);
        for (size_t f = 0; f < u->nformerly; f++) ls_strmap_put(&r->former_ix, u->formerly[f], (int)i, NULL);
        int g = ls_strmap_get(&gix, u->group);
        k[i] = (order_key){g < 0 ? r->ngroups : (size_t)g, i, u->rank};
    }
    qsort(k, r->nunits, sizeof *k, cmp_order);
    r->order = ls_arena_alloc(&r->arena, (r->nunits ? r->nunits : 1) * sizeof *r->order);
    for (size_t i = 0; i < r->nunits; i++) r->order[i] = k[i].idx;
    free(k);
    ls_strmap_cleanup(&gix);
}

ls_results *ls_results_parse(const char *buf, size_t len, const char *source, ls_errors *err)
{
    char msg[256] = "";
    char *text = ls_xstrndup(buf, len);
    yajl_val root = yajl_tree_parse(text, msg, sizeof msg);
    free(text);
    if (!root) {
        char *nl = strchr(msg, '\n');
        if (nl) *nl = '\0';
        ls_errorf(err, source, 0, 0, "not a results.json written by lawscore: %s", *msg ? msg : "invalid JSON");
        return NULL;
    }
    yajl_val fmt = get(get(root, "manifest"), "format");
    if (fmt && (!YAJL_IS_INTEGER(fmt) || YAJL_GET_INTEGER(fmt) < 1 || YAJL_GET_INTEGER(fmt) > RESULTS_FORMAT)) {
        ls_errorf(err, source, 0, 0,
                  "results.json of format %s, but this lawscore reads formats up to %d: use a newer lawscore",
                  YAJL_IS_NUMBER(fmt) ? YAJL_GET_NUMBER(fmt) : "?", RESULTS_FORMAT);
        yajl_tree_free(root);
        return NULL;
    }
    ls_results *r = ls_results_new(source);
    rd d = {.r = r};
    ls_strmap_init(&d.item_ix);
    ls_strmap_init(&d.ind_ix);
    yajl_val as = get(root, "assessment"), units = get(root, "units");
    if (!as || !units || !YAJL_IS_ARRAY(units)) {
        ls_errorf(err, source, 0, 0, "not a results.json written by lawscore: no 'assessment' or 'units'");
        yajl_tree_free(root);
        ls_results_free(r);
        return NULL;
    }
    r->name = str(&d, get(as, "name"));
    yajl_val y = get(as, "year"), prec = get(as, "precision");
    r->year = y && YAJL_IS_INTEGER(y) ? (int)YAJL_GET_INTEGER(y) : 0;
    const char *p = prec && YAJL_IS_NUMBER(prec) ? YAJL_GET_NUMBER(prec) : "0.01";
    const char *dot = strchr(p, '.');
    r->digits = dot ? (int)strlen(dot + 1) : 0;
    if (r->digits > LS_MAX_DIGITS) r->digits = LS_MAX_DIGITS;
    yajl_val groups = get(root, "groups");
    r->ngroups = arr_len(groups);
    r->groups = ls_arena_alloc(&r->arena, (r->ngroups ? r->ngroups : 1) * sizeof *r->groups);
    for (size_t i = 0; i < r->ngroups; i++) {
        r->groups[i].id = str(&d, get(arr_at(groups, i), "id"));
        r->groups[i].name = str(&d, get(arr_at(groups, i), "name"));
        yajl_val bands = get(arr_at(groups, i), "bands");
        ls_rgroup *g = &r->groups[i];
        g->nbands = arr_len(bands);
        g->bands = ls_arena_alloc(&r->arena, (g->nbands ? g->nbands : 1) * sizeof *g->bands);
        for (size_t k = 0; k < g->nbands; k++) {
            yajl_val b = arr_at(bands, k), ms = get(b, "max_share");
            g->bands[k].grade = str(&d, get(b, "grade"));
            g->bands[k].min = fixed(&d, get(b, "min"));
            g->bands[k].max_share = ms && YAJL_IS_NUMBER(ms) ? YAJL_GET_DOUBLE(ms) : 0;
        }
    }
    read_tables(&d, root);
    r->nunits = arr_len(units);
    r->units = ls_arena_alloc(&r->arena, (r->nunits ? r->nunits : 1) * sizeof *r->units);
    memset(r->units, 0, (r->nunits ? r->nunits : 1) * sizeof *r->units);
    for (size_t i = 0; i < r->nunits; i++) read_unit(&d, &r->units[i], arr_at(units, i));
    yajl_val adj = get(root, "adjustments");
    r->nadj = arr_len(adj);
    r->adj = ls_arena_alloc(&r->arena, (r->nadj ? r->nadj : 1) * sizeof *r->adj);
    for (size_t i = 0; i < r->nadj; i++) {
        yajl_val e = arr_at(adj, i);
        ls_radj *a = &r->adj[i];
        a->unit = str(&d, get(e, "unit"));
        a->kind = str(&d, get(e, "kind"));
        int data = !strcmp(a->kind, "data");
        a->target = str(&d, get(e, data ? "indicator" : "item"));
        a->old = data ? value_text(&d, get(e, "old")) : value_text(&d, get(e, "original_score"));
        a->new_ = data ? value_text(&d, get(e, "new")) : value_text(&d, get(e, "score"));
        a->reason = str(&d, get(e, "reason"));
        a->basis = str(&d, get(e, "basis"));
        a->by = str(&d, get(e, "by"));
        a->date = str(&d, get(e, "date"));
        a->what = what_of(&d, a, get(e, "number"));
    }
    yajl_tree_free(root);
    ls_strmap_cleanup(&d.item_ix);
    ls_strmap_cleanup(&d.ind_ix);
    free(d.item_reads);
    free(d.values);
    ls_results_index(r);
    if (d.bad) {
        if (d.bad & BAD_SCORE)
            ls_errorf(err, source, 0, 0, "not a results.json written by lawscore: a score is not a decimal "
                                         "with %d digits",
                      r->digits);
        else
            ls_errorf(err, source, 0, 0, "not a results.json written by lawscore: an indicator a node read "
                                         "has no value in its unit's \"values\"");
        ls_results_free(r);
        return NULL;
    }
    return r;
}

ls_results *ls_results_load(const char *path, ls_errors *err)
{
    struct stat st;
    char *file = stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? ls_path_join(path, "results.json")
                                                             : ls_xstrdup(path);
    size_t len;
    char *buf = ls_read_file(file, &len);
    ls_results *r = NULL;
    if (!buf) ls_errorf(err, file, 0, 0, "cannot read the results: %s", ls_read_strerror(errno));
    else r = ls_results_parse(buf, len, path, err);
    free(buf);
    free(file);
    return r;
}

ls_results *ls_results_new(const char *source)
{
    ls_results *r = ls_xcalloc(1, sizeof *r);
    ls_arena_init(&r->arena);
    ls_strmap_init(&r->unit_ix);
    ls_strmap_init(&r->former_ix);
    r->source = ls_arena_strdup(&r->arena, source);
    return r;
}

void ls_results_free(ls_results *r)
{
    if (!r) return;
    ls_strmap_cleanup(&r->unit_ix);
    ls_strmap_cleanup(&r->former_ix);
    ls_arena_cleanup(&r->arena);
    free(r);
}

const ls_rgroup *ls_results_group(const ls_results *r, const ls_runit *u)
{
    for (size_t g = 0; g < r->ngroups; g++)
        if (!strcmp(r->groups[g].id, u->group)) return &r->groups[g];
    return NULL;
}

const ls_rband *ls_results_band_by_total(const ls_results *r, const ls_runit *u)
{
    const ls_rgroup *g = ls_results_group(r, u);
    for (size_t k = 0; g && k < g->nbands; k++)
        if (u->total >= g->bands[k].min) return &g->bands[k];
    return NULL;
}

int ls_results_find_unit(const ls_results *r, const char *id, const char *const *formerly,
                         size_t nformerly)
{
    int i = ls_strmap_get(&r->unit_ix, id);
    for (size_t k = 0; i < 0 && k < nformerly; k++) i = ls_strmap_get(&r->unit_ix, formerly[k]);
    /* a unit of r renamed later: its id among r's formerly lists */
    if (i < 0) i = ls_strmap_get(&r->former_ix, id);
    return i;
}

int ls_results_predecessor(const ls_results *a, const ls_runit *ub, size_t *merged)
{
    *merged = 0;
    int i = ls_strmap_get(&a->unit_ix, ub->id);
    if (i >= 0) return i;
    if (ub->nformerly == 1) return ls_strmap_get(&a->unit_ix, ub->formerly[0]);
    for (size_t k = 0; k < ub->nformerly; k++) *merged += ls_strmap_get(&a->unit_ix, ub->formerly[k]) >= 0;
    return -1;
}

int ls_results_continues(const ls_results *b, const ls_runit *ua)
{
    return ls_strmap_get(&b->unit_ix, ua->id) >= 0 || ls_strmap_get(&b->former_ix, ua->id) >= 0;
}

const ls_rnode *ls_results_node(const ls_runit *u, const char *id)
{
    for (size_t i = 0; i < u->nnodes; i++)
        if (!strcmp(u->nodes[i].id, id)) return &u->nodes[i];
    return NULL;
}
