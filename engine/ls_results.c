/*
 * ls_results.c - reading results.json back (see ls_results.h).
 */
#include "ls_results.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <yajl/yajl_parse.h>
#include <yajl/yajl_tree.h>

#include "ls_util.h"

/* The newest results.json format this file reads (ls_export_json writes
 * it); a results.json without a manifest "format" is format 1. */
#define RESULTS_FORMAT 2

/* What was wrong in a results.json that parsed as JSON. */
enum {
    BAD_SCORE = 1,
    BAD_VALUE = 2,
    BAD_MISSING = 4,
    BAD_RANK = 8,
    BAD_APPEAL = 16
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
    unsigned char *ind_percent; /* per indicator: a percentage (its unit "%") */
    size_t ninds;
    ls_strmap ind_ix;
    /* format 2: each item's "reads" (what a node without "reads" read),
     * and the current unit's "values" by indicator index */
    yajl_val *item_reads;
    yajl_val *values;
    const char *format; /* a format this file does not read, as written */
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

/* A score lawscore always writes (a unit's total, main and bonus, a
 * scored node's score): missing, it is not 0 but a file lawscore did
 * not write. */
static ls_fixed required(rd *d, yajl_val v)
{
    if (!v) d->bad |= BAD_MISSING;
    return fixed(d, v);
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
    d->ind_percent = ls_arena_alloc(&d->r->arena, ninds ? ninds : 1);
    d->values = ls_xcalloc(ninds ? ninds : 1, sizeof *d->values);
    for (size_t i = 0; i < ninds; i++) {
        yajl_val o = arr_at(inds, i);
        d->ind_names[i] = str(d, get(o, "name"));
        d->ind_percent[i] = !strcmp(str(d, get(o, "type")), "percent");
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
        n->score = required(d, sc);
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
    u->total = required(d, get(o, "total"));
    u->main = required(d, get(o, "main"));
    /* format 2 leaves main_raw out where it equals main */
    yajl_val mr = get(o, "main_raw");
    u->main_raw = mr ? fixed(d, mr) : u->main;
    u->bonus = required(d, get(o, "bonus"));
    u->grade = str(d, get(o, "grade"));
    yajl_val rk = get(o, "rank");
    u->rank = rk && YAJL_IS_INTEGER(rk) ? (int)YAJL_GET_INTEGER(rk) : 0;
    /* null (none) or a place from 1: -3 or 1.5 is not "no rank" */
    if (rk && !YAJL_IS_NULL(rk) &&
        (!YAJL_IS_INTEGER(rk) || YAJL_GET_INTEGER(rk) < 1 || YAJL_GET_INTEGER(rk) > 100000000))
        d->bad |= BAD_RANK;
    /* a vetoed unit has no rank; results written before that rule (an
     * older archive) gave it one after the others */
    yajl_val vt = get(o, "veto");
    if (vt && !YAJL_IS_NULL(vt)) u->rank = 0;
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
    /* leaves and depth from the 序号: "8.3" lies under "8".  Every
     * number before a '.' of another is not a leaf: one pass over the
     * nodes, not one per pair (a unit of many nodes in a file someone
     * sent would take quadratic time) */
    ls_strmap inner; /* keys not copied: in prefixes[] until the end */
    ls_strmap_init(&inner);
    char **prefixes = NULL;
    size_t nprefixes = 0, capprefixes = 0;
    for (size_t k = 0; k < u->nnodes; k++) {
        const char *num = u->nodes[k].number;
        for (const char *dot = strchr(num, '.'); dot; dot = strchr(dot + 1, '.')) {
            char *prefix = ls_xstrndup(num, (size_t)(dot - num));
            if (ls_strmap_put(&inner, prefix, 1, NULL) < 0) {
                free(prefix);
                continue;
            }
            LS_GROW(prefixes, nprefixes, capprefixes, 16);
            prefixes[nprefixes++] = prefix;
        }
    }
    for (size_t i = 0; i < u->nnodes; i++) {
        ls_rnode *n = &u->nodes[i];
        n->leaf = ls_strmap_get(&inner, n->number) < 0;
        for (const char *p = n->number; *p; p++) n->depth += *p == '.';
    }
    ls_strmap_cleanup(&inner);
    for (size_t i = 0; i < nprefixes; i++) free(prefixes[i]);
    free(prefixes);
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
    ls_fixed total;
} order_key;

/* Within a group: by rank, then the units without one (vetoed) by total,
 * as the run listed them. */
static int cmp_order(const void *pa, const void *pb)
{
    const order_key *a = pa, *b = pb;
    if (a->group != b->group) return a->group < b->group ? -1 : 1;
    if ((a->rank > 0) != (b->rank > 0)) return a->rank > 0 ? -1 : 1;
    if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
    if (a->rank <= 0 && a->total != b->total) return a->total > b->total ? -1 : 1;
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
        k[i] = (order_key){g < 0 ? r->ngroups : (size_t)g, i, u->rank, u->total};
    }
    qsort(k, r->nunits, sizeof *k, cmp_order);
    r->order = ls_arena_alloc(&r->arena, (r->nunits ? r->nunits : 1) * sizeof *r->order);
    for (size_t i = 0; i < r->nunits; i++) r->order[i] = k[i].idx;
    free(k);
    ls_strmap_cleanup(&gix);
}

/* What stopped a results.json that parsed as JSON, found before its
 * units (and said only once the whole text parsed). */
enum {
    NOT_FORMAT = 1,
    NOT_RESULTS = 2,
    NOT_MANIFEST = 3
};

/* The head of the document, read once the "units" array begins (every
 * lawscore wrote "manifest", "assessment", "groups", "indicators" and
 * "items" before it): format, assessment, groups, the tables.  0, or
 * NOT_FORMAT / NOT_RESULTS / NOT_MANIFEST. */
static int read_head(rd *d, yajl_val root)
{
    ls_results *r = d->r;
    yajl_val fmt = get(get(root, "manifest"), "format");
    if (fmt && YAJL_IS_INTEGER(fmt) && YAJL_GET_INTEGER(fmt) > RESULTS_FORMAT) {
        d->format = ls_arena_strdup(&r->arena, YAJL_GET_NUMBER(fmt));
        return NOT_FORMAT;
    }
    /* 0, 2.0, "2", null: no format lawscore ever wrote, newer or older */
    if (fmt && (!YAJL_IS_INTEGER(fmt) || YAJL_GET_INTEGER(fmt) < 1)) {
        /* as JSON writes it, whatever the language of the message */
        if (YAJL_IS_STRING(fmt)) {
            char *q = ls_format("\"%s\"", YAJL_GET_STRING(fmt));
            d->format = ls_arena_strdup(&r->arena, q);
            free(q);
        } else {
            d->format = YAJL_IS_NUMBER(fmt)  ? ls_arena_strdup(&r->arena, YAJL_GET_NUMBER(fmt))
                        : YAJL_IS_NULL(fmt)  ? "null"
                        : YAJL_IS_TRUE(fmt)  ? "true"
                        : YAJL_IS_FALSE(fmt) ? "false"
                        : YAJL_IS_ARRAY(fmt) ? "[…]"
                                             : "{…}";
        }
        return NOT_MANIFEST;
    }
    yajl_val as = get(root, "assessment");
    if (!as) return NOT_RESULTS;
    r->name = str(d, get(as, "name"));
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
        r->groups[i].id = str(d, get(arr_at(groups, i), "id"));
        r->groups[i].name = str(d, get(arr_at(groups, i), "name"));
        yajl_val bands = get(arr_at(groups, i), "bands");
        ls_rgroup *g = &r->groups[i];
        g->nbands = arr_len(bands);
        g->bands = ls_arena_alloc(&r->arena, (g->nbands ? g->nbands : 1) * sizeof *g->bands);
        for (size_t k = 0; k < g->nbands; k++) {
            yajl_val b = arr_at(bands, k), ms = get(b, "max_share");
            g->bands[k].grade = str(d, get(b, "grade"));
            g->bands[k].min = fixed(d, get(b, "min"));
            g->bands[k].max_share = ms && YAJL_IS_NUMBER(ms) ? YAJL_GET_DOUBLE(ms) : 0;
        }
    }
    read_tables(d, root);
    return 0;
}

/* text with a percent sign after it, in the results' arena. */
static const char *percent_text(rd *d, const char *text)
{
    char *s = ls_format("%s%%", text);
    const char *t = ls_arena_strdup(&d->r->arena, s);
    free(s);
    return t;
}

static void read_adjustments(rd *d, yajl_val adj)
{
    ls_results *r = d->r;
    r->nadj = arr_len(adj);
    r->adj = ls_arena_alloc(&r->arena, (r->nadj ? r->nadj : 1) * sizeof *r->adj);
    for (size_t i = 0; i < r->nadj; i++) {
        yajl_val e = arr_at(adj, i);
        ls_radj *a = &r->adj[i];
        a->unit = str(d, get(e, "unit"));
        a->kind = str(d, get(e, "kind"));
        int data = !strcmp(a->kind, "data");
        if (!data && strcmp(a->kind, "score")) d->bad |= BAD_APPEAL;
        a->target = str(d, get(e, data ? "indicator" : "item"));
        a->old = data ? value_text(d, get(e, "old")) : value_text(d, get(e, "original_score"));
        a->new_ = data ? value_text(d, get(e, "new")) : value_text(d, get(e, "score"));
        a->reason = str(d, get(e, "reason"));
        a->basis = str(d, get(e, "basis"));
        a->by = str(d, get(e, "by"));
        a->date = str(d, get(e, "date"));
        a->what = what_of(d, a, get(e, "number"));
        /* a percentage corrected reads as the data and explain show it,
         * 0.95%→95% (a fraction typed for a percentage, corrected), not
         * 0.95→95 */
        int k = data ? ls_strmap_get(&d->ind_ix, a->target) : -1;
        if (k >= 0 && d->ind_percent[k]) {
            yajl_val o = get(e, "old"), n = get(e, "new");
            if (o && YAJL_IS_NUMBER(o)) a->old = percent_text(d, a->old);
            if (n && YAJL_IS_NUMBER(n)) a->new_ = percent_text(d, a->new_);
        }
    }
}

/* ---- the document, streamed -------------------------------------------
 * yajl's events build the same values yajl_tree_parse would, but each
 * element of the top-level "units" is read into the model and freed as
 * soon as it is complete: a province's results.json (hundreds of MB) is
 * never held as a whole tree. */

typedef struct frame {
    yajl_val v;
    char *key;   /* an object's member whose value is being built */
    int units;   /* the top-level "units" array */
    char **keys; /* v's members so far (grown here; yajl_val has no cap) */
    size_t cap;
} frame;

typedef struct builder {
    rd *d;
    frame *st;
    size_t n, cap;
    yajl_val root;
    int head;          /* read_head's result, once the units began */
    int units_started; /* the top-level "units" array began */
    ls_runit *units;   /* read so far */
    size_t nunits, capunits;
} builder;

static yajl_val new_val(yajl_type t)
{
    yajl_val v = ls_xcalloc(1, sizeof *v);
    v->type = t;
    return v;
}

/* A complete value: into its container, or read as a unit and freed. */
static void add(builder *b, yajl_val v)
{
    if (!b->n) {
        b->root = v;
        return;
    }
    frame *f = &b->st[b->n - 1];
    if (f->units) {
        if (!b->head) {
            if (b->nunits == b->capunits) {
                b->capunits = b->capunits ? 2 * b->capunits : 64;
                b->units = ls_xrealloc(b->units, b->capunits * sizeof *b->units);
            }
            ls_runit *u = &b->units[b->nunits++];
            memset(u, 0, sizeof *u);
            read_unit(b->d, u, v);
        }
        yajl_tree_free(v);
        return;
    }
    if (YAJL_IS_OBJECT(f->v)) {
        size_t i = f->v->u.object.len;
        if (i == f->cap) {
            f->cap = f->cap ? 2 * f->cap : 8;
            f->v->u.object.keys = ls_xrealloc(f->v->u.object.keys, f->cap * sizeof(char *));
            f->v->u.object.values = ls_xrealloc(f->v->u.object.values, f->cap * sizeof(yajl_val));
        }
        f->v->u.object.keys[i] = f->key ? f->key : ls_xstrdup("");
        f->key = NULL;
        f->v->u.object.values[i] = v;
        f->v->u.object.len++;
    } else {
        size_t i = f->v->u.array.len;
        if (i == f->cap) {
            f->cap = f->cap ? 2 * f->cap : 8;
            f->v->u.array.values = ls_xrealloc(f->v->u.array.values, f->cap * sizeof(yajl_val));
        }
        f->v->u.array.values[i] = v;
        f->v->u.array.len++;
    }
}

static void push(builder *b, yajl_val v)
{
    if (b->n == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 16;
        b->st = ls_xrealloc(b->st, b->cap * sizeof *b->st);
    }
    /* the root object's member "units", an array: its elements are units */
    int units = b->n == 1 && YAJL_IS_ARRAY(v) && b->st[0].key && !strcmp(b->st[0].key, "units") &&
                !b->units_started;
    b->st[b->n++] = (frame){v, NULL, units, NULL, 0};
    if (units) {
        b->units_started = 1;
        b->head = read_head(b->d, b->st[0].v);
    }
}

static int on_null(void *ctx)
{
    add(ctx, new_val(yajl_t_null));
    return 1;
}

static int on_bool(void *ctx, int v)
{
    add(ctx, new_val(v ? yajl_t_true : yajl_t_false));
    return 1;
}

/* As yajl_tree: the text, and the integer and double it holds when they
 * are representable. */
static int on_number(void *ctx, const char *s, size_t len)
{
    yajl_val v = new_val(yajl_t_number);
    v->u.number.r = ls_xstrndup(s, len);
    const char *t = v->u.number.r + (*v->u.number.r == '-');
    if (*t && strspn(t, "0123456789") == strlen(t)) {
        errno = 0;
        v->u.number.i = strtoll(v->u.number.r, NULL, 10);
        if (!errno) v->u.number.flags |= YAJL_NUMBER_INT_VALID;
    }
    char *end = NULL;
    errno = 0;
    v->u.number.d = strtod(v->u.number.r, &end);
    if (!errno && end && !*end) v->u.number.flags |= YAJL_NUMBER_DOUBLE_VALID;
    add(ctx, v);
    return 1;
}

static int on_string(void *ctx, const unsigned char *s, size_t len)
{
    yajl_val v = new_val(yajl_t_string);
    v->u.string = ls_xstrndup((const char *)s, len);
    add(ctx, v);
    return 1;
}

static int on_start_map(void *ctx)
{
    push(ctx, new_val(yajl_t_object));
    return 1;
}

static int on_key(void *ctx, const unsigned char *s, size_t len)
{
    builder *b = ctx;
    frame *f = &b->st[b->n - 1];
    free(f->key);
    f->key = ls_xstrndup((const char *)s, len);
    return 1;
}

static int on_end(void *ctx)
{
    builder *b = ctx;
    frame f = b->st[--b->n];
    free(f.key);
    add(b, f.v);
    return 1;
}

static int on_start_array(void *ctx)
{
    push(ctx, new_val(yajl_t_array));
    return 1;
}

static const yajl_callbacks events = {on_null, on_bool, NULL, NULL, on_number, on_string, on_start_map,
                                      on_key, on_end, on_start_array, on_end};

/* Parse buf into b; 0, or -1 with yajl's message (its first line) in msg. */
static int stream(builder *b, const char *buf, size_t len, char *msg, size_t size)
{
    yajl_handle h = yajl_alloc(&events, NULL, b);
    yajl_config(h, yajl_allow_comments, 1); /* as yajl_tree_parse */
    yajl_status st = yajl_parse(h, (const unsigned char *)buf, len);
    if (st == yajl_status_ok) st = yajl_complete_parse(h);
    int rc = 0;
    if (st != yajl_status_ok) {
        unsigned char *e = yajl_get_error(h, 1, (const unsigned char *)buf, len);
        snprintf(msg, size, "%s", (const char *)e);
        yajl_free_error(h, e);
        char *nl = strchr(msg, '\n');
        if (nl) *nl = '\0';
        rc = -1;
    }
    yajl_free(h);
    return rc;
}

static void builder_cleanup(builder *b)
{
    while (b->n) {
        frame *f = &b->st[--b->n];
        free(f->key);
        yajl_tree_free(f->v);
    }
    free(b->st);
    yajl_tree_free(b->root);
    free(b->units);
}

ls_results *ls_results_parse(const char *buf, size_t len, const char *source, ls_errors *err)
{
    ls_results *r = ls_results_new(source);
    rd d = {.r = r};
    ls_strmap_init(&d.item_ix);
    ls_strmap_init(&d.ind_ix);
    builder b = {.d = &d};
    char msg[256] = "";
    int bad = stream(&b, buf, len, msg, sizeof msg);
    if (bad)
        ls_errorf(err, source, 0, 0, "not a results.json written by lawscore: %s", *msg ? msg : "invalid JSON");
    else if (!b.units_started)
        b.head = b.root ? read_head(&d, b.root) : NOT_RESULTS;
    if (bad) {
    } else if (b.head == NOT_FORMAT) {
        ls_errorf(err, source, 0, 0,
                  "results.json of format %s, but this lawscore reads formats up to %d: use a newer lawscore",
                  d.format, RESULTS_FORMAT);
        bad = 1;
    } else if (b.head == NOT_MANIFEST) {
        ls_errorf(err, source, 0, 0,
                  "not a results.json written by lawscore: the \"format\" of its \"manifest\" is %s, not a "
                  "whole number from 1",
                  d.format);
        bad = 1;
    } else if (b.head || !b.units_started) {
        ls_errorf(err, source, 0, 0, "not a results.json written by lawscore: no 'assessment' or 'units'");
        bad = 1;
    }
    if (!bad) {
        r->nunits = b.nunits;
        r->units = ls_arena_alloc(&r->arena, (r->nunits ? r->nunits : 1) * sizeof *r->units);
        if (r->nunits) memcpy(r->units, b.units, r->nunits * sizeof *r->units);
        read_adjustments(&d, get(b.root, "adjustments"));
    }
    builder_cleanup(&b);
    ls_strmap_cleanup(&d.item_ix);
    ls_strmap_cleanup(&d.ind_ix);
    free(d.item_reads);
    free(d.values);
    if (bad) {
        ls_results_free(r);
        return NULL;
    }
    ls_results_index(r);
    /* diff and compare match units by id: each must have its own */
    for (size_t i = 0; i < r->nunits && !bad; i++) {
        int first = ls_strmap_get(&r->unit_ix, r->units[i].id);
        if (!r->units[i].id[0])
            bad = ls_errorf(err, source, 0, 0, "not a results.json written by lawscore: unit %zu has no id", i + 1);
        else if (first != (int)i)
            bad = ls_errorf(err, source, 0, 0,
                            "not a results.json written by lawscore: unit '%s' is given twice (units %d and %zu)",
                            r->units[i].id, first + 1, i + 1);
        else if (!ls_results_group(r, &r->units[i]))
            bad = ls_errorf(err, source, 0, 0,
                            "not a results.json written by lawscore: unit '%s' is in group '%s', which its "
                            "\"groups\" do not list",
                            r->units[i].id, r->units[i].group);
    }
    if (bad) {
        ls_results_free(r);
        return NULL;
    }
    if (d.bad) {
        if (d.bad & BAD_MISSING)
            ls_errorf(err, source, 0, 0, "not a results.json written by lawscore: a unit's \"total\", "
                                         "\"main\" or \"bonus\", or a scored item's \"score\", is missing");
        else if (d.bad & BAD_APPEAL)
            ls_errorf(err, source, 0, 0, "not a results.json written by lawscore: an appeal's \"kind\" is neither "
                                         "\"data\" nor \"score\"");
        else if (d.bad & BAD_RANK)
            ls_errorf(err, source, 0, 0, "not a results.json written by lawscore: a unit's \"rank\" is not a "
                                         "whole number from 1 (or null)");
        else if (d.bad & BAD_SCORE)
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
