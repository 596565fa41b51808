/*
 * ls_selfscore.c - loading and summing self-scores (see ls_selfscore.h).
 *
 * Both file formats are read into one list of entries (unit, item, score,
 * note, each with its position), which is then checked and stored the
 * same way.
 */
#include "ls_selfscore.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ls_intable.h"
#include "ls_util.h"
#include "ls_value.h"
#include "ls_yaml.h"
#include "ls_yread.h"

typedef struct pos {
    int line, col;
} pos;

typedef struct entry {
    const char *unit, *item, *score, *note; /* in the selfscore's arena */
    int plain;                              /* score unquoted */
    pos pu, pi, ps;
    const char *where; /* the file (or file:sheet) of the positions */
    const char *file;  /* the file given with --self (loader.file) */
    int bad;           /* its error is reported: names its item, gives no score */
} entry;

typedef struct loader {
    ls_selfscore *ss;
    const ls_scheme *s;
    ls_errors *err;
    const char *path; /* the file being read, in the arena */
    entry *v;
    size_t n, cap;
    int rc;
} loader;

static void add_entry(loader *ld, const entry *e)
{
    LS_GROW(ld->v, ld->n, ld->cap, 64);
    ld->v[ld->n] = *e;
    ld->v[ld->n++].file = ld->path;
}

/* An entry whose error is reported: its item counts as given (not
 * reported missing as well), and the load fails. */
static void add_bad(loader *ld, entry *e)
{
    e->bad = 1;
    add_entry(ld, e);
    ld->rc = -1;
}

static const char *keep(loader *ld, const char *s)
{
    return s ? ls_arena_strdup(&ld->ss->arena, s) : NULL;
}

static void read_yaml(loader *ld)
{
    ls_ydoc doc;
    const char *path = ld->path;
    if (ls_yaml_load(&doc, path, ld->err)) {
        ld->rc = -1;
        ls_yaml_cleanup(&doc);
        return;
    }
    ls_yr r = {path, ld->err};
    const ls_ynode *root = doc.root, *n;
    static const char *const keys[] = {"year", "units", NULL};
    if (ls_yr_expect_map(&r, root, "a self-assessment file (year, units)")) {
        ld->rc = -1;
        goto out;
    }
    if (ls_yr_check_keys(&r, root, keys, "a self-assessment file")) ld->rc = -1;
    if ((n = ls_ymap_get(root, "year"))) {
        long y;
        if (ls_yr_int(&r, n, "year", 1949, 2200, &y)) ld->rc = -1;
        else if (y != ld->s->year)
            ld->rc = ls_yr_error(&r, n, "self-assessment for year %ld, but the scheme is for %d", y, ld->s->year);
    }
    const ls_ynode *units = ls_yr_require(&r, root, "units", "a self-assessment file");
    if (!units || ls_yr_expect_map(&r, units, "'units' (unit id: {item: 自评分})")) {
        ld->rc = -1;
        goto out;
    }
    for (size_t i = 0; i < units->n; i++) {
        const ls_ynode *uk = ls_ymap_key(units, i), *items = ls_ymap_val(units, i);
        char what[160];
        snprintf(what, sizeof what, "the self-scores of unit '%s' (item: 自评分)", uk->str);
        if (ls_yr_expect_map(&r, items, what)) {
            ld->rc = -1;
            continue;
        }
        for (size_t j = 0; j < items->n; j++) {
            const ls_ynode *ik = ls_ymap_key(items, j), *iv = ls_ymap_val(items, j);
            entry e = {keep(ld, uk->str), keep(ld, ik->str), NULL, NULL, 0, {uk->line, uk->col}, {ik->line, ik->col}, {iv->line, iv->col}, path, NULL, 0};
            const ls_ynode *sc = iv;
            if (iv->kind == LS_YMAP) {
                static const char *const ek[] = {"score", "note", NULL};
                if (ls_yr_check_keys(&r, iv, ek, "a self-score") ||
                    !(sc = ls_yr_require(&r, iv, "score", "a self-score"))) {
                    add_bad(ld, &e);
                    continue;
                }
                const ls_ynode *note = ls_ymap_get(iv, "note");
                const char *t;
                if (note && ls_yr_text(&r, note, "note", &t)) {
                    add_bad(ld, &e);
                    continue;
                }
                if (note) e.note = keep(ld, t);
            }
            if (sc->kind != LS_YSCALAR) {
                char buf[96];
                ls_yr_error(&r, sc, "expected a number for the 自评分 of '%s', found %s", ik->str,
                            ls_ynode_describe(sc, buf, sizeof buf));
                add_bad(ld, &e);
                continue;
            }
            e.score = keep(ld, sc->str);
            e.plain = sc->plain;
            e.ps = (pos){sc->line, sc->col};
            add_entry(ld, &e);
        }
    }
out:
    ls_yaml_cleanup(&doc);
}

static int header_is(const char *c, const char *const *names)
{
    for (; *names; names++)
        if (!strcmp(c, *names)) return 1;
    return 0;
}

/* The columns of a self-assessment table in its header row; 0 when the
 * table has the three that are needed. */
typedef struct self_cols {
    int unit, item, score, note;
} self_cols;

static const char *const unit_names[] = {"unit", "id", "单位编号", "单位代码", NULL};
static const char *const item_names[] = {"item", "序号", "项目编号", NULL};
static const char *const score_names[] = {"self", "score", "自评分", NULL};
static const char *const note_names[] = {"note", "说明", "自评说明", NULL};

/* A header naming a column twice (two 自评分): which one holds the
 * scores is a guess.  0, or -1 with an error at the second. */
static int second_col(const ls_intable *x, ls_errors *err)
{
    static const char *const *const kinds[] = {unit_names, item_names, score_names, note_names};
    const ls_inrow *h = &x->rows[0];
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        int seen = 0;
        for (size_t j = 0; j < h->n; j++)
            if (header_is(h->f[j].text, kinds[k]) && seen++)
                return ls_errorf(err, x->path, h->f[j].line, h->f[j].col,
                                 "the header has a second column %s: a form has one of each", h->f[j].text);
    }
    return 0;
}

static int find_cols(const ls_intable *x, self_cols *c)
{
    *c = (self_cols){-1, -1, -1, -1};
    if (!x->nrows) return -1;
    const ls_inrow *h = &x->rows[0];
    for (size_t j = 0; j < h->n; j++) {
        const char *t = h->f[j].text;
        if (c->unit < 0 && header_is(t, unit_names)) c->unit = (int)j;
        else if (c->item < 0 && header_is(t, item_names)) c->item = (int)j;
        else if (c->score < 0 && header_is(t, score_names)) c->score = (int)j;
        else if (c->note < 0 && header_is(t, note_names)) c->note = (int)j;
    }
    return c->unit >= 0 && c->item >= 0 && c->score >= 0 ? 0 : -1;
}

/* Whether item text names a leaf (an item with a score of its own). */
static int names_leaf(const ls_scheme *s, const char *key);

static void read_sheet(loader *ld, const ls_intable *t, const self_cols *c)
{
    const char *where = keep(ld, t->path);
    for (size_t i = 1; i < t->nrows; i++) {
        const ls_inrow *row = &t->rows[i];
        const ls_incell *sc = &row->f[c->score];
        /* a row of the form without a score (an item left for the
         * assessors) says nothing; nor does a formula of the form's own
         * in a category's or the total's row (its subtotal): categories
         * and totals are summed from the items here too */
        if (!sc->text[0]) continue;
        if (sc->formula && !names_leaf(ld->s, row->f[c->item].text)) continue;
        entry e = {keep(ld, row->f[c->unit].text),
                   keep(ld, row->f[c->item].text),
                   keep(ld, sc->text),
                   c->note >= 0 && row->f[c->note].text[0] ? keep(ld, row->f[c->note].text) : NULL,
                   sc->kind == LS_IN_TEXT || sc->kind == LS_IN_NUMBER,
                   {row->f[c->unit].line, row->f[c->unit].col},
                   {row->f[c->item].line, row->f[c->item].col},
                   {sc->line, sc->col},
                   where,
                   NULL,
                   0};
        add_entry(ld, &e);
    }
}

/* A table file (CSV, .xlsx, .xls; file#sheet for one sheet), read through
 * ls_intable: every sheet whose header names the columns is read (the
 * self-assessment form of `lawscore template --self` has a sheet per
 * unit); other sheets (填表说明) are skipped. */
static void read_table(loader *ld)
{
    const char *path = ld->path;
    ls_inbook bk;
    if (ls_inbook_load(&bk, path, ld->err)) {
        ld->rc = -1;
        ls_inbook_cleanup(&bk);
        return;
    }
    self_cols c = {-1, -1, -1, -1};
    int nread = 0;
    for (size_t k = 0; k < bk.ntabs; k++) {
        const ls_intable *x = &bk.tabs[k];
        self_cols xc;
        if (find_cols(x, &xc)) {
            if (!nread && x->nrows) c = xc; /* for the message: the first sheet with a header */
            continue;
        }
        nread++;
        if (second_col(x, ld->err) || ls_intable_check(x, ld->err)) {
            ld->rc = -1;
            continue;
        }
        read_sheet(ld, x, &xc);
    }
    /* at the header row (below any title rows), in the sheet's words
     * for a workbook: the first table that has one */
    const ls_intable *h = NULL;
    for (size_t k = 0; k < bk.ntabs && !h; k++)
        if (bk.tabs[k].nrows && bk.tabs[k].rows[0].n) h = &bk.tabs[k];
    if (!nread)
        ld->rc = ls_errorf(ld->err, h ? h->path : path, h ? h->rows[0].f[0].line : 1, h ? h->rows[0].f[0].col : 1,
                           "a self-assessment table needs the columns 单位编号 (or 'unit'), 序号 (or 'item', "
                           "an item's 序号 or id) and 自评分 (or 'self'); missing: %s%s%s",
                           c.unit < 0 ? "单位编号 " : "", c.item < 0 ? "序号 " : "", c.score < 0 ? "自评分" : "");
    ls_inbook_cleanup(&bk);
}

/* An item by id, else by 序号. */
static int find_item(const ls_scheme *s, const char *key)
{
    int k = ls_scheme_find_node(s, key);
    if (k >= 0) return k;
    for (size_t i = 0; i < s->nnodes; i++)
        if (!strcmp(s->nodes[i].number, key)) return (int)i;
    return -1;
}

static int names_leaf(const ls_scheme *s, const char *key)
{
    int i = find_item(s, key);
    return i >= 0 && !s->nodes[i].nchildren;
}

static void store(loader *ld)
{
    ls_selfscore *ss = ld->ss;
    const ls_scheme *s = ld->s;
    pos *first = ls_xcalloc(s->nunits * s->nnodes + 1, sizeof *first);
    /* per unit: where its first self-score is (the unit's sheet of a form) */
    const char **unit_where = ls_xcalloc(s->nunits + 1, sizeof *unit_where);
    const char **unit_file = ls_xcalloc(s->nunits + 1, sizeof *unit_file);   /* its --self file */
    const char **unit_twice = ls_xcalloc(s->nunits + 1, sizeof *unit_twice); /* reported for */
    pos *unit_pos = ls_xcalloc(s->nunits + 1, sizeof *unit_pos);
    /* the items each unit named, with or without a valid score: all the
     * file's problems are reported in one pass, so an item whose cell was
     * wrong is not reported missing too */
    char *named = ls_xcalloc(s->nunits * s->nnodes + 1, 1);
    for (size_t k = 0; k < ld->n; k++) {
        const entry *e = &ld->v[k];
        int u = ls_scheme_find_unit(s, e->unit);
        if (u < 0) {
            /* a YAML unit's items share its key's position: said once */
            const entry *p = k ? &ld->v[k - 1] : NULL;
            if (!p || p->where != e->where || p->pu.line != e->pu.line || p->pu.col != e->pu.col)
                ld->rc = ls_scheme_unknown_unit_error(s, e->unit, 0, ld->err, e->where, e->pu.line, e->pu.col);
            continue;
        }
        if (!unit_where[u]) unit_where[u] = e->where;
        int i = find_item(s, e->item);
        if (i < 0) {
            ld->rc = ls_errorf(ld->err, e->where, e->pi.line, e->pi.col,
                               "unknown item '%s' (an item is named by its id or its 序号)", e->item);
            continue;
        }
        named[(size_t)u * s->nnodes + (size_t)i] = 1;
        if (e->bad) continue;
        const ls_node *n = &s->nodes[i];
        if (n->nchildren) {
            ld->rc = ls_errorf(ld->err, e->where, e->pi.line, e->pi.col,
                               "'%s' (%s %s) is a category: 自评分 is given per item, categories are summed",
                               e->item, n->number, n->name);
            continue;
        }
        if (n->section == LS_SEC_VETO) {
            ld->rc = ls_errorf(ld->err, e->where, e->pi.line, e->pi.col,
                               "'%s' (%s) is a veto item: it has no 自评分", e->item, n->name);
            continue;
        }
        if (!ls_node_applies(s, i, u)) {
            ld->rc = ls_errorf(ld->err, e->where, e->pi.line, e->pi.col,
                               "item %s %s does not apply to unit '%s' (%s)", n->number, n->name,
                               s->units[u].id, s->units[u].name);
            continue;
        }
        if (unit_file[u] && unit_file[u] != e->file) {
            /* a unit's self-assessment is one form: the same unit in two
             * files given with --self is a mistake (which one counts?) */
            if (unit_twice[u] != e->file) {
                char *was = ls_where(unit_where[u], unit_pos[u].line, unit_pos[u].col);
                ld->rc = ls_errorf(ld->err, e->where, e->pu.line, e->pu.col,
                                   "unit '%s' has a self-assessment in two files (first at %s): give each "
                                   "unit's form once",
                                   s->units[u].id, was);
                free(was);
                unit_twice[u] = e->file;
            }
            continue;
        }
        if (!unit_file[u]) {
            unit_where[u] = e->where;
            unit_file[u] = e->file;
            unit_pos[u] = e->pu;
        }
        size_t c = (size_t)u * s->nnodes + (size_t)i;
        if (ss->set[c]) {
            ld->rc = ls_errorf(ld->err, e->where, e->pi.line, e->pi.col,
                               "second 自评分 of unit '%s' for item %s %s (first at line %d)", e->unit,
                               n->number, n->name, first[c].line);
            continue;
        }
        ls_fixed v;
        char pts[32];
        if (!e->plain) {
            ld->rc = ls_errorf(ld->err, e->where, e->ps.line, e->ps.col,
                               "expected the 自评分 of item %s %s as a number, found the quoted text "
                               "\"%s\" (write numbers without quotes)",
                               n->number, n->name, e->score);
            continue;
        }
        char slip[512];
        if (ls_dec_parse(e->score, s->digits, &v) && ls_value_number_slip(e->score, slip, sizeof slip)) {
            ld->rc = ls_errorf(ld->err, e->where, e->ps.line, e->ps.col, "自评分 of item %s %s: %s", n->number,
                               n->name, slip);
            continue;
        }
        if (ls_dec_parse(e->score, s->digits, &v)) {
            ld->rc = ls_errorf(ld->err, e->where, e->ps.line, e->ps.col,
                               "expected the 自评分 of item %s %s as a number with at most %d decimals, "
                               "found '%s'",
                               n->number, n->name, s->digits, e->score);
            continue;
        }
        ls_fixed hi;
        int bounded = ls_selfscore_max(s, i, &hi);
        if (v < 0 || (bounded && v > hi)) {
            if (bounded)
                ld->rc = ls_errorf(ld->err, e->where, e->ps.line, e->ps.col,
                                   "自评分 %s of item %s %s is outside 0 to %s", e->score, n->number, n->name,
                                   ls_dec_format_short(hi, s->digits, pts));
            else
                ld->rc = ls_errorf(ld->err, e->where, e->ps.line, e->ps.col,
                                   "自评分 %s of item %s %s is below 0", e->score, n->number, n->name);
            continue;
        }
        ss->set[c] = 1;
        ss->score[c] = v;
        ss->note[c] = e->note;
        ss->given[u] = 1;
        first[c] = e->pi;
    }
    /* A unit that assessed itself assessed every item of the tree. */
    ls_buf miss;
    ls_buf_init(&miss);
    for (size_t u = 0; u < s->nunits; u++) {
        if (!unit_where[u]) continue;
        size_t nmiss = 0;
        miss.n = 0;
        for (size_t k = 0; k < s->nleaves; k++) {
            int i = s->leaves[k];
            if (s->nodes[i].section != LS_SEC_MAIN || !ls_node_applies(s, i, (int)u)) continue;
            if (named[u * s->nnodes + (size_t)i]) continue;
            if (nmiss++ < 8) ls_buf_printf(&miss, "%s%s", nmiss > 1 ? ", " : "", s->nodes[i].number);
        }
        if (nmiss)
            ld->rc = ls_errorf(ld->err, unit_where[u], 0, 0, "unit '%s' (%s) gives no 自评分 for %zu item%s: %s%s",
                               s->units[u].id, s->units[u].name, nmiss, nmiss == 1 ? "" : "s", miss.p,
                               nmiss > 8 ? ", ..." : "");
    }
    ls_buf_cleanup(&miss);
    free(named);
    free(unit_where);
    free(unit_file);
    free(unit_twice);
    free(unit_pos);
    free(first);
}

/* Categories and the total, as ls_score sums the assessed scores. */
static void sum_unit(ls_selfscore *ss, size_t u)
{
    const ls_scheme *s = ss->scheme;
    ls_fixed *row = &ss->score[u * s->nnodes];
    unsigned char *set = &ss->set[u * s->nnodes];
    for (size_t i = s->nnodes; i-- > 0;) {
        const ls_node *n = &s->nodes[i];
        if (!n->nchildren) {
            if (!set[i] && n->section != LS_SEC_MAIN && n->section != LS_SEC_VETO &&
                ls_node_applies(s, (int)i, (int)u)) {
                set[i] = 1; /* a bonus or deduction not claimed: 0 */
                row[i] = 0;
            }
            continue;
        }
        ls_fixed sum = 0;
        int any = 0;
        for (size_t k = 0; k < n->nchildren; k++)
            if (set[n->children[k]]) {
                sum += row[n->children[k]];
                any = 1;
            }
        row[i] = sum;
        set[i] = (unsigned char)any;
    }
    ls_fixed main = 0, applicable = 0, bonus = 0, deduct = 0;
    for (size_t k = 0; k < s->nleaves; k++) {
        int i = s->leaves[k];
        if (!set[i]) continue;
        switch (s->nodes[i].section) {
        case LS_SEC_MAIN:
            main += row[i];
            applicable += s->nodes[i].points;
            break;
        case LS_SEC_BONUS: bonus += row[i]; break;
        case LS_SEC_DEDUCT: deduct += row[i]; break;
        case LS_SEC_VETO: break;
        }
    }
    if (applicable != s->total && applicable != 0) main = ls_dec_muldiv(main, s->total, applicable);
    if (s->bonus_cap >= 0 && bonus > s->bonus_cap) bonus = s->bonus_cap;
    ls_fixed t = main + bonus - deduct;
    ss->total[u] = t < 0 ? 0 : t;
}

int ls_selfscore_max(const ls_scheme *s, int node, ls_fixed *max)
{
    const ls_node *n = &s->nodes[node];
    if (!n->no_points) {
        *max = n->points;
        return 1;
    }
    /* a bonus or deduction item without points of its own: the bonus cap
     * bounds a bonus; nothing bounds a deduction */
    *max = s->bonus_cap;
    return n->section == LS_SEC_BONUS && s->bonus_cap >= 0;
}

ls_selfscore *ls_selfscore_load(const ls_scheme *s, const char *path, ls_errors *err)
{
    return ls_selfscore_load_files(s, &path, 1, err);
}

ls_selfscore *ls_selfscore_load_files(const ls_scheme *s, const char *const *paths, size_t npaths, ls_errors *err)
{
    ls_selfscore *ss = ls_xcalloc(1, sizeof *ss);
    ls_arena_init(&ss->arena);
    ss->scheme = s;
    size_t cells = s->nunits * s->nnodes + 1;
    ss->score = ls_xcalloc(cells, sizeof *ss->score);
    ss->set = ls_xcalloc(cells, 1);
    ss->note = ls_xcalloc(cells, sizeof *ss->note);
    ss->given = ls_xcalloc(s->nunits + 1, 1);
    ss->total = ls_xcalloc(s->nunits + 1, sizeof *ss->total);
    loader ld = {.ss = ss, .s = s, .err = err};
    ls_buf all;
    ls_buf_init(&all);
    for (size_t i = 0; i < npaths; i++) {
        ld.path = ls_arena_strdup(&ss->arena, paths[i]);
        if (ls_intable_is_table(ld.path)) read_table(&ld);
        else read_yaml(&ld);
        ls_buf_printf(&all, "%s%s", i ? ", " : "", paths[i]);
    }
    ss->path = ls_arena_strdup(&ss->arena, all.n ? all.p : "");
    ls_buf_cleanup(&all);
    store(&ld); /* the entries read, even after errors elsewhere in the files */
    free(ld.v);
    if (ld.rc) {
        ls_selfscore_free(ss);
        return NULL;
    }
    for (size_t u = 0; u < s->nunits; u++)
        if (ss->given[u]) sum_unit(ss, u);
    return ss;
}

void ls_selfscore_free(ls_selfscore *ss)
{
    if (!ss) return;
    free(ss->score);
    free(ss->set);
    free(ss->note);
    free(ss->given);
    free(ss->total);
    ls_arena_cleanup(&ss->arena);
    free(ss);
}

const ls_fixed *ls_selfscore_get(const ls_selfscore *ss, size_t unit, size_t node)
{
    size_t c = unit * ss->scheme->nnodes + node;
    return ss->given[unit] && ss->set[c] ? &ss->score[c] : NULL;
}

int ls_selfscore_overrated(const ls_selfscore *ss, size_t unit, ls_fixed assessed)
{
    return ss->given[unit] && ss->scheme->self_overrate >= 0 &&
           ss->total[unit] - assessed > ss->scheme->self_overrate;
}
