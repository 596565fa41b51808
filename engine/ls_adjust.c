/*
 * ls_adjust.c - appeals: loading, checking and applying adjustments (see
 * ls_adjust.h).
 */
#include "ls_adjust.h"

#include <stdlib.h>
#include <string.h>

#include "ls_i18n.h"
#include "ls_intable.h"
#include "ls_util.h"
#include "ls_yaml.h"
#include "ls_yread.h"

static int valid_date(const char *d)
{
    /* YYYY-MM-DD */
    if (strlen(d) != 10 || d[4] != '-' || d[7] != '-') return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9')) return 0;
    int y = atoi(d), m = (d[5] - '0') * 10 + (d[6] - '0'), day = (d[8] - '0') * 10 + (d[9] - '0');
    /* a day of that month: 2018-02-30 is no date */
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m >= 1 && m <= 12 && day >= 1 && day <= mdays[m - 1] + (m == 2 && leap);
}

/* Where a field of an entry is: the file (or file:sheet) and position. */
typedef struct at {
    const char *where;
    int line, col;
} at;

static at at_node(const ls_adjustments *a, const ls_ynode *n)
{
    return (at){a->path, n->line, n->col};
}

/* A value of indicator ind from its text: 0, or -1 with an error. */
static int parse_value(ls_adjustments *a, at p, const char *text, int plain, int ind, ls_value *out,
                       ls_errors *err)
{
    const ls_indicator *in = &a->scheme->inds[ind];
    char msg[512];
    if (ls_value_parse(&in->spec, text, plain, out, msg, sizeof msg))
        return ls_errorf(err, p.where, p.line, p.col, "%s (indicator '%s' %s)", msg, in->id, in->name);
    if (out->type == LS_T_TEXT) out->str = ls_arena_strdup(&a->arena, out->str);
    return 0;
}

/* The indicator named by text (its id, or in a table also its name). */
static int find_indicator(ls_adjustments *a, at p, const char *text, int by_name, ls_errors *err)
{
    const ls_scheme *s = a->scheme;
    int k = ls_scheme_find_indicator(s, text);
    for (size_t i = 0; k < 0 && by_name && i < s->ninds; i++)
        if (!strcmp(s->inds[i].name, text)) k = (int)i;
    if (k >= 0) return k;
    const char *sug = ls_scheme_suggest_indicator(s, text);
    ls_errorf(err, p.where, p.line, p.col, "unknown indicator '%s'%s%s%s", text, sug ? " (did you mean '" : "",
              sug ? sug : "", sug ? "'?)" : ": it is not in the scheme's catalogue");
    return -1;
}

/* The item named by text (its id or 序号) on which unit (-1: unknown)
 * may get a score decision; -1 with an error. */
static int find_item(ls_adjustments *a, at p, const char *text, int unit, ls_errors *err)
{
    const ls_scheme *s = a->scheme;
    int k = ls_scheme_find_node(s, text);
    for (size_t i = 0; k < 0 && i < s->nnodes; i++)
        if (!strcmp(s->nodes[i].number, text)) k = (int)i;
    if (k < 0)
        return ls_errorf(err, p.where, p.line, p.col, "unknown item '%s' (an item is named by its id or its 序号)",
                         text);
    const ls_node *nd = &s->nodes[k];
    if (nd->nchildren)
        return ls_errorf(err, p.where, p.line, p.col, "'%s' is a category: a score decision is made on an item",
                         text);
    if (nd->section == LS_SEC_VETO)
        return ls_errorf(err, p.where, p.line, p.col, "'%s' is a veto item: correct the data behind it instead",
                         text);
    if (unit >= 0 && !ls_node_applies(s, k, unit))
        return ls_errorf(err, p.where, p.line, p.col, "item %s %s does not apply to unit '%s'", nd->number,
                         nd->name, s->units[unit].id);
    return k;
}

/* A decided score within the item's points: 0, or -1 with an error. */
static int check_score(const ls_adjustments *a, at p, const char *text, int node, ls_fixed v, ls_errors *err)
{
    const ls_node *nd = &a->scheme->nodes[node];
    if (v >= 0 && v <= nd->points) return 0;
    char pts[32];
    return ls_errorf(err, p.where, p.line, p.col, "score %s of item %s %s is outside 0 to %s", text, nd->number,
                     nd->name, ls_dec_format_short(nd->points, a->scheme->digits, pts));
}

/* Add adj unless its unit's indicator or item is already decided. */
static int add_entry(ls_adjustments *a, const ls_adjustment *adj, int table, ls_errors *err)
{
    const ls_scheme *s = a->scheme;
    for (size_t i = 0; i < a->n; i++) {
        const ls_adjustment *p = &a->v[i];
        if (p->unit != adj->unit || p->kind != adj->kind) continue;
        const char *fmt = NULL;
        if (adj->kind == LS_ADJ_DATA && p->indicator == adj->indicator)
            fmt = table ? N_("indicator '%s' of unit '%s' is corrected twice (first in row %d)")
                        : N_("indicator '%s' of unit '%s' is corrected twice (first at line %d)");
        if (adj->kind == LS_ADJ_SCORE && p->node == adj->node)
            fmt = table ? N_("item %s of unit '%s' is decided twice (first in row %d)")
                        : N_("item %s of unit '%s' is decided twice (first at line %d)");
        if (!fmt) continue;
        const char *what = adj->kind == LS_ADJ_DATA ? s->inds[adj->indicator].id : s->nodes[adj->node].number;
        if (!strcmp(p->where, adj->where))
            return ls_errorf(err, adj->where, adj->line, adj->col, fmt, what, s->units[adj->unit].id, p->line);
        /* decided in another file given with --adjustments */
        char *first = ls_where(p->where, p->line, p->col);
        fmt = adj->kind == LS_ADJ_DATA ? N_("indicator '%s' of unit '%s' is corrected twice (first at %s)")
                                       : N_("item %s of unit '%s' is decided twice (first at %s)");
        ls_errorf(err, adj->where, adj->line, adj->col, fmt, what, s->units[adj->unit].id, first);
        free(first);
        return -1;
    }
    LS_GROW(a->v, a->n, a->cap, 8);
    a->v[a->n++] = *adj;
    return 0;
}

/* ---- YAML ---- */

/* A value of indicator ind from a YAML node: 0, or -1 with an error. */
static int read_value(ls_adjustments *a, ls_yr *r, const ls_ynode *n, int ind, const char *key,
                      ls_value *out)
{
    if (ls_ynode_is_null(n)) {
        *out = (ls_value){0}; /* not given */
        return 0;
    }
    if (n->kind != LS_YSCALAR) {
        char buf[96];
        return ls_yr_error(r, n, "expected a single value for '%s', found %s", key,
                           ls_ynode_describe(n, buf, sizeof buf));
    }
    return parse_value(a, at_node(a, n), n->str, n->plain, ind, out, r->err);
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
    ls_adjustment adj = {.unit = -1, .indicator = -1, .node = -1, .where = a->path, .line = e->line, .col = e->col};
    const ls_ynode *n;
    const char *t;
    if ((n = ls_yr_require(r, e, "unit", "an adjustment")) && !ls_yr_text(r, n, "unit", &t)) {
        adj.unit = ls_scheme_find_unit(s, t);
        if (adj.unit < 0) rc = ls_scheme_unknown_unit_error(s, t, 0, r->err, r->path, n->line, n->col);
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
        adj.indicator = find_indicator(a, at_node(a, ind), t, 0, r->err);
        if (adj.indicator < 0) return -1;
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
        adj.node = find_item(a, at_node(a, item), t, adj.unit, r->err);
        if (adj.node < 0) return -1;
        const ls_ynode *sc = ls_yr_require(r, e, "score", "a score decision");
        if (!sc || ls_yr_decimal(r, sc, "score", s->digits, &adj.score) ||
            check_score(a, at_node(a, sc), sc->str, adj.node, adj.score, r->err))
            rc = -1;
    }
    if (read_text(a, r, e, "reason", &adj.reason)) rc = -1;
    if (read_text(a, r, e, "basis", &adj.basis)) rc = -1;
    if (read_text(a, r, e, "by", &adj.by)) rc = -1;
    if (read_text(a, r, e, "date", &adj.date)) rc = -1;
    else if (!valid_date(adj.date))
        rc = ls_yr_error(r, ls_ymap_get(e, "date"), "expected the date as YYYY-MM-DD, found '%s'", adj.date);
    if (rc) return -1;
    return add_entry(a, &adj, 0, r->err);
}

static int read_yaml(ls_adjustments *a, ls_errors *err)
{
    const ls_scheme *s = a->scheme;
    ls_ydoc doc;
    int rc = 0;
    if (ls_yaml_load(&doc, a->path, err)) {
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
    return rc;
}

/* ---- tables: the 复核决定登记表 ---- */

enum {
    T_UNIT,
    T_KIND,
    T_IND,
    T_ITEM,
    T_OLD,
    T_NEW,
    T_SCORE,
    T_REASON,
    T_BASIS,
    T_BY,
    T_DATE,
    T_NCOLS
};

/* The header names of each column (the register of `lawscore template
 * --adjustments` writes the first). */
static const char *const col_names[T_NCOLS][6] = {
    {"单位编号", "单位", "单位名称", "unit", NULL},
    {"类型", "决定类型", "kind", NULL},
    {"指标", "指标编号", "indicator", NULL},
    {"序号", "项目序号", "item", NULL},
    {"原值", "old", NULL},
    {"新值", "new", NULL},
    {"核定分", "score", NULL},
    {"理由", "复核理由", "reason", NULL},
    {"依据（文号）", "依据", "文号", "依据(文号)", "basis", NULL},
    {"决定人（单位）", "决定人", "决定单位", "决定人(单位)", "by", NULL},
    {"日期", "决定日期", "date", NULL},
};

typedef struct trow {
    const ls_intable *t;
    const char *where; /* t->path in the adjustments' arena */
    const ls_inrow *row;
    const int *col; /* T_NCOLS: column index or -1 */
} trow;

static const ls_incell *cell(const trow *r, int c)
{
    return r->col[c] >= 0 ? &r->row->f[r->col[c]] : NULL;
}

static const char *cell_text(const trow *r, int c)
{
    const ls_incell *x = cell(r, c);
    return x ? x->text : "";
}

static at at_cell(const trow *r, int c)
{
    const ls_incell *x = cell(r, c);
    /* a column the table lacks: the row's first cell */
    return x ? (at){r->t->path, x->line, x->col} : (at){r->t->path, r->row->line, r->row->f[0].col};
}

/* A required text field: 0 with *out, or -1 with an error naming the
 * column. */
static int table_text(ls_adjustments *a, const trow *r, int c, const char **out, ls_errors *err)
{
    const char *t = cell_text(r, c);
    if (!*t) {
        at p = at_cell(r, c);
        return ls_errorf(err, p.where, p.line, p.col, "missing %s in a decision of the register", col_names[c][0]);
    }
    *out = ls_arena_strdup(&a->arena, t);
    return 0;
}

/* A table's value cell as text for ls_value_parse: a percent cell (0.95)
 * as the percentage (95); -1 with an error for an error value, or a date
 * where the indicator is not text. */
static int table_value(ls_adjustments *a, const trow *r, int c, int ind, ls_value *out, ls_errors *err)
{
    const ls_incell *x = cell(r, c);
    const ls_indicator *in = &a->scheme->inds[ind];
    char shifted[96];
    at p = at_cell(r, c);
    const char *text = x->text;
    if (x->kind == LS_IN_ERROR)
        return ls_errorf(err, p.where, p.line, p.col,
                         "the cell holds the error value %s (a formula that failed), not a value for indicator "
                         "'%s' %s",
                         text, in->id, in->name);
    if (x->kind == LS_IN_DATE && in->spec.type != LS_T_TEXT)
        return ls_errorf(err, p.where, p.line, p.col,
                         "the cell holds a date (%s), not a value for indicator '%s' %s: type the value, or "
                         "format the cell as text",
                         text, in->id, in->name);
    if (x->kind == LS_IN_PERCENT && in->spec.type == LS_T_PERCENT)
        text = ls_data_shift_decimal(text, 2, shifted, sizeof shifted);
    return parse_value(a, p, text, 1, ind, out, err);
}

/* A date cell as YYYY-MM-DD: a date-formatted cell is one already; a
 * plain number in a spreadsheet is Excel's serial number; text may be
 * written 2019-1-18, 2019/1/18, 2019.1.18 or 2019年1月18日 (Excel writes
 * dates into CSV as the sheet shows them). */
static int table_date(ls_adjustments *a, const trow *r, const char **out, ls_errors *err)
{
    const ls_incell *x = cell(r, T_DATE);
    if (table_text(a, r, T_DATE, out, err)) return -1;
    char buf[32];
    const char *d = x->text;
    if (x->kind == LS_IN_NUMBER && x->col < 0) {
        char *end;
        double v = strtod(d, &end);
        if (!*end && v == (long)v) d = ls_serial_date(v, 0, buf);
    } else if (x->kind == LS_IN_TEXT) {
        int y, m, day, n = 0;
        if ((sscanf(d, "%4d-%2d-%2d%n", &y, &m, &day, &n) == 3 || sscanf(d, "%4d/%2d/%2d%n", &y, &m, &day, &n) == 3 ||
             sscanf(d, "%4d.%2d.%2d%n", &y, &m, &day, &n) == 3 ||
             sscanf(d, "%4d年%2d月%2d日%n", &y, &m, &day, &n) == 3) &&
            !d[n] && y >= 1000) {
            snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, day);
            d = buf;
        }
    }
    if (!valid_date(d)) {
        at p = at_cell(r, T_DATE);
        return ls_errorf(err, p.where, p.line, p.col, "expected the date as YYYY-MM-DD (or a date cell), found '%s'",
                         x->text);
    }
    *out = ls_arena_strdup(&a->arena, d);
    return 0;
}

/* An error (fmt naming the column) for each of columns cols (ending in
 * -1) filled in although the row's kind has no use for it. */
static int foreign_cells(const trow *r, const int *cols, const char *fmt, ls_errors *err)
{
    int rc = 0;
    for (; *cols >= 0; cols++)
        if (*cell_text(r, *cols)) {
            at p = at_cell(r, *cols);
            rc = ls_errorf(err, p.where, p.line, p.col, fmt, col_names[*cols][0]);
        }
    return rc;
}

static int read_row(ls_adjustments *a, const trow *r, ls_errors *err)
{
    const ls_scheme *s = a->scheme;
    int rc = 0;
    ls_adjustment adj = {.unit = -1, .indicator = -1, .node = -1, .where = r->where};
    const char *t = cell_text(r, T_UNIT);
    at p = at_cell(r, T_UNIT);
    if (!*t) {
        rc = ls_errorf(err, p.where, p.line, p.col, "missing 单位编号 in a decision of the register");
    } else {
        adj.unit = ls_scheme_find_unit(s, t);
        for (size_t u = 0; adj.unit < 0 && u < s->nunits; u++)
            if (!strcmp(s->units[u].name, t)) adj.unit = (int)u;
        if (adj.unit < 0) rc = ls_scheme_unknown_unit_error(s, t, 1, err, p.where, p.line, p.col);
    }
    const char *kind = cell_text(r, T_KIND);
    p = at_cell(r, T_KIND);
    if (!strcmp(kind, "数据更正") || !strcmp(kind, "data")) {
        adj.kind = LS_ADJ_DATA;
    } else if (!strcmp(kind, "评分决定") || !strcmp(kind, "score")) {
        adj.kind = LS_ADJ_SCORE;
    } else {
        return ls_errorf(err, p.where, p.line, p.col, "expected the 类型 数据更正 (a data correction) or 评分决定 "
                                                      "(a score decision), found '%s'",
                         kind);
    }
    if (adj.kind == LS_ADJ_DATA) {
        static const int other[] = {T_ITEM, T_SCORE, -1};
        if (foreign_cells(r, other, N_("a 数据更正 gives 指标, 原值 and 新值; %s belongs to a 评分决定"), err)) rc = -1;
        if (table_text(a, r, T_IND, &t, err)) return -1;
        adj.indicator = find_indicator(a, at_cell(r, T_IND), t, 1, err);
        if (adj.indicator < 0) return -1;
        /* an empty 原值: the value was not given */
        if (*cell_text(r, T_OLD) && table_value(a, r, T_OLD, adj.indicator, &adj.old, err)) rc = -1;
        if (!*cell_text(r, T_NEW)) {
            p = at_cell(r, T_NEW);
            rc = ls_errorf(err, p.where, p.line, p.col, "missing 新值 in a 数据更正 (the corrected value)");
        } else if (table_value(a, r, T_NEW, adj.indicator, &adj.new_, err)) {
            rc = -1;
        }
        if (!rc && ls_value_equal(&adj.old, &adj.new_)) {
            p = at_cell(r, T_NEW);
            rc = ls_errorf(err, p.where, p.line, p.col, "the new value is the old value: nothing is corrected");
        }
        p = at_cell(r, T_OLD);
    } else {
        static const int other[] = {T_IND, T_OLD, T_NEW, -1};
        if (foreign_cells(r, other, N_("a 评分决定 gives 序号 and 核定分; %s belongs to a 数据更正"), err)) rc = -1;
        if (table_text(a, r, T_ITEM, &t, err)) return -1;
        adj.node = find_item(a, at_cell(r, T_ITEM), t, adj.unit, err);
        if (adj.node < 0) return -1;
        p = at_cell(r, T_SCORE);
        if (table_text(a, r, T_SCORE, &t, err)) {
            rc = -1;
        } else if (ls_dec_parse(t, s->digits, &adj.score)) {
            char slip[512];
            if (ls_value_number_slip(t, slip, sizeof slip)) rc = ls_errorf(err, p.where, p.line, p.col, "核定分: %s", slip);
            else
                rc = ls_errorf(err, p.where, p.line, p.col,
                               "expected the 核定分 as a number with at most %d decimals, found '%s'", s->digits, t);
        } else if (check_score(a, p, t, adj.node, adj.score, err)) {
            rc = -1;
        }
    }
    adj.line = p.line;
    adj.col = p.col;
    if (table_text(a, r, T_REASON, &adj.reason, err)) rc = -1;
    if (table_text(a, r, T_BASIS, &adj.basis, err)) rc = -1;
    if (table_text(a, r, T_BY, &adj.by, err)) rc = -1;
    if (table_date(a, r, &adj.date, err)) rc = -1;
    if (rc) return -1;
    return add_entry(a, &adj, 1, err);
}

/* A register (CSV, .xlsx, .xls; file#sheet for one sheet): the first
 * sheet whose header has 单位编号 and 类型. */
static int read_table(ls_adjustments *a, ls_errors *err)
{
    ls_inbook bk;
    int rc = 0;
    if (ls_inbook_load(&bk, a->path, err)) {
        ls_inbook_cleanup(&bk);
        return -1;
    }
    const ls_intable *t = NULL;
    int col[T_NCOLS];
    for (size_t k = 0; k < bk.ntabs && !t; k++) {
        const ls_intable *x = &bk.tabs[k];
        if (!x->nrows) continue;
        for (int c = 0; c < T_NCOLS; c++) {
            col[c] = -1;
            for (size_t j = 0; j < x->rows[0].n && col[c] < 0; j++)
                for (int m = 0; col_names[c][m]; m++)
                    if (!strcmp(x->rows[0].f[j].text, col_names[c][m])) col[c] = (int)j;
        }
        if (col[T_UNIT] >= 0 && col[T_KIND] >= 0) t = x;
    }
    if (!t) {
        /* at the header row (below any title rows), in the sheet's words
         * for a workbook: the first table that has one */
        const ls_intable *h = NULL;
        for (size_t k = 0; k < bk.ntabs && !h; k++)
            if (bk.tabs[k].nrows && bk.tabs[k].rows[0].n) h = &bk.tabs[k];
        rc = ls_errorf(err, h ? h->path : a->path, h ? h->rows[0].f[0].line : 1, h ? h->rows[0].f[0].col : 1,
                       "a register of appeals needs a header row with the columns 单位编号 and 类型 (数据更正 or "
                       "评分决定), then 指标, 序号, 原值, 新值, 核定分, 理由, 依据（文号）, 决定人（单位）, 日期 "
                       "(lawscore template SCHEME --adjustments writes it)");
        goto out;
    }
    /* a column twice (two 新值): which one holds the value is a guess */
    for (int c = 0; c < T_NCOLS; c++)
        for (size_t j = col[c] + 1; col[c] >= 0 && j < t->rows[0].n; j++)
            for (int m = 0; col_names[c][m]; m++)
                if (!strcmp(t->rows[0].f[j].text, col_names[c][m])) {
                    const ls_incell *h = &t->rows[0].f[j];
                    rc = ls_errorf(err, t->path, h->line, h->col,
                                   "the header has a second column %s: a register has one of each", h->text);
                    break;
                }
    if (rc) goto out;
    ls_buf miss;
    ls_buf_init(&miss);
    /* 指标, 原值, 新值 or 序号, 核定分 are wanted by the rows that need them */
    for (int c = T_REASON; c < T_NCOLS; c++)
        if (col[c] < 0) ls_buf_printf(&miss, "%s%s", miss.n ? ", " : "", col_names[c][0]);
    if (miss.n) rc = ls_errorf(err, t->path, 1, 1, "the register lacks the columns %s", miss.p);
    ls_buf_cleanup(&miss);
    if (rc || ls_intable_check(t, err)) {
        rc = -1;
        goto out;
    }
    const char *where = ls_arena_strdup(&a->arena, t->path);
    for (size_t i = 1; i < t->nrows; i++) {
        trow r = {t, where, &t->rows[i], col};
        if (read_row(a, &r, err)) rc = -1;
    }
out:
    ls_inbook_cleanup(&bk);
    return rc;
}

ls_adjustments *ls_adjustments_load(const ls_scheme *s, const char *path, ls_errors *err)
{
    return ls_adjustments_load_files(s, &path, 1, err);
}

ls_adjustments *ls_adjustments_load_files(const ls_scheme *s, const char *const *paths, size_t n, ls_errors *err)
{
    ls_adjustments *a = ls_xcalloc(1, sizeof *a);
    ls_arena_init(&a->arena);
    a->scheme = s;
    int rc = 0;
    ls_buf all;
    ls_buf_init(&all);
    for (size_t i = 0; i < n; i++) {
        a->path = ls_arena_strdup(&a->arena, paths[i]);
        if (ls_intable_is_table(a->path) ? read_table(a, err) : read_yaml(a, err)) rc = -1;
        ls_buf_printf(&all, "%s%s", i ? ", " : "", paths[i]);
    }
    a->path = ls_arena_strdup(&a->arena, all.n ? all.p : "");
    ls_buf_cleanup(&all);
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

/* The data correction of a that changes indicator ind of unit u, or NULL. */
static const ls_adjustment *correction_of(const ls_adjustments *a, size_t u, size_t ind)
{
    for (size_t i = 0; i < a->n; i++)
        if (a->v[i].kind == LS_ADJ_DATA && (size_t)a->v[i].unit == u && (size_t)a->v[i].indicator == ind)
            return &a->v[i];
    return NULL;
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
        ls_value got = ls_dataset_value(d, (size_t)e->unit, (size_t)e->indicator);
        const ls_value *cur = &got;
        if (!ls_value_equal(cur, &e->old)) {
            char x[256], y[256];
            rc = ls_errorf(err, e->where, e->line, e->col,
                           "stale appeal: indicator '%s' (%s) of unit '%s' is %s in the data, but the "
                           "adjustment corrects it from %s",
                           in->id, in->name, s->units[e->unit].id,
                           cur->set ? ls_value_format(cur, x, sizeof x) : "not given",
                           e->old.set ? ls_value_format(&e->old, y, sizeof y) : "not given");
            continue;
        }
        size_t k = (size_t)e->unit * s->ninds + (size_t)e->indicator;
        ls_value nv = e->new_;
        if (nv.type == LS_T_TEXT && nv.set) nv.str = ls_arena_strdup(&c->arena, nv.str);
        ls_dataset_put(c, (size_t)e->unit, (size_t)e->indicator, &nv);
        c->given[k] = 0; /* a correction, not the data as submitted */
    }
    /* the data's warnings stay on record, but for values corrected: the
     * warning printed when the data loaded is then answered by a note at
     * the same value, so that an office re-publishing after the appeals
     * does not take it for a problem still open */
    for (size_t i = 0; i < d->nwarnings; i++) {
        const ls_data_warning *w = &d->warnings[i];
        const ls_adjustment *fix =
            w->unit >= 0 && w->ind >= 0 ? correction_of(a, (size_t)w->unit, (size_t)w->ind) : NULL;
        if (!fix) {
            ls_dataset_add_warning(c, w);
            continue;
        }
        char x[256], y[256];
        char *fixed_at = ls_where(fix->where, fix->line, fix->col);
        ls_notef(err, w->file, w->line, w->col,
                 "corrected on appeal from %s to %s (%s, %s): the results use the corrected value and do "
                 "not carry this warning",
                 fix->old.set ? ls_value_format(&fix->old, x, sizeof x) : "not given",
                 ls_value_format(&fix->new_, y, sizeof y), fix->basis, fixed_at);
        free(fixed_at);
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
