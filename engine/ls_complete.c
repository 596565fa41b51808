/*
 * ls_complete.c - completeness of the data (see ls_complete.h).
 */
#include "ls_complete.h"

#include <stdlib.h>
#include <string.h>

#include "ls_i18n.h"
#include "ls_util.h"

/* A value the data files did not give: the default filled it, or it has
 * none. */
static int not_given(const ls_dataset *d, size_t u, size_t i)
{
    if (!d->given) return 0; /* a data set built without origins: all given */
    size_t k = u * d->scheme->ninds + i;
    return !d->given[k];
}

/* Did cell (u, node) read an indicator the data did not give? */
static int reads_default(const ls_dataset *d, const ls_run *r, size_t u, size_t node)
{
    const ls_cell *c = ls_run_cell(r, u, node);
    if (c->state == LS_CELL_NA) return 0;
    for (uint32_t k = 0; k < c->nread; k++)
        if (not_given(d, u, (size_t)r->reads[c->read0 + k])) return 1;
    return 0;
}

ls_completeness ls_completeness_count(const ls_dataset *d, const ls_run *r)
{
    ls_completeness c = {0, 0, 0};
    const ls_scheme *s = d->scheme;
    for (size_t u = 0; u < s->nunits; u++) {
        size_t n = 0;
        for (size_t i = 0; i < s->ninds; i++) n += not_given(d, u, i);
        c.values += n;
        c.units += n > 0;
        for (size_t k = 0; r && n && k < s->nleaves; k++) c.items += reads_default(d, r, u, (size_t)s->leaves[k]);
    }
    return c;
}

void ls_print_completeness(const ls_dataset *d, const ls_run *r, size_t max_units, FILE *out)
{
    const ls_scheme *s = d->scheme;
    ls_completeness c = ls_completeness_count(d, r);
    if (!c.values) return;
    if (r)
        fprintf(out, _("completeness (缺报): values not given %zu, units %zu, item scores that read them %zu"),
                c.values, c.units, c.items);
    else
        fprintf(out, _("completeness (缺报): values not given %zu, units %zu"), c.values, c.units);
    fputs("\n", out);
    char buf[256];
    size_t listed = 0;
    for (size_t u = 0; u < s->nunits; u++) {
        const ls_unit *un = &s->units[u];
        int first = 1;
        if (max_units && c.units > max_units && listed == max_units) break;
        for (size_t i = 0; i < s->ninds; i++) {
            if (!not_given(d, u, i)) continue;
            if (first) fprintf(out, "  %s %s\n%s", un->id, un->name, _("    not given:"));
            ls_value v = ls_dataset_value(d, u, i);
            fprintf(out, "%s %s=%s", first ? "" : ",", s->inds[i].name,
                    v.set ? ls_value_format(&v, buf, sizeof buf) : _("(not filled)"));
            first = 0;
        }
        if (first) continue;
        listed++;
        fputs("\n", out);
        int any = 0;
        for (size_t k = 0; r && k < s->nleaves; k++) {
            const ls_node *n = &s->nodes[s->leaves[k]];
            if (!reads_default(d, r, u, (size_t)s->leaves[k])) continue;
            fprintf(out, "%s %s", any ? "," : _("    items that read them:"), n->number);
            any = 1;
        }
        if (any) fputs("\n", out);
    }
    if (listed < c.units) {
        fprintf(out, _("  ... and %zu more units with values not given, not listed (more than %zu): "
                       "`lawscore check -v` lists every unit; `lawscore run` writes them by indicator "
                       "to results.xlsx's 缺报汇总 sheet"),
                c.units - listed, max_units);
        fputs("\n", out);
    }
}

static void put(ls_lrow *row, size_t col, char *own)
{
    if (own && *own) {
        row->c[col].kind = LS_LC_TEXT;
        row->c[col].text = own;
    } else {
        free(own);
    }
}

typedef struct mcol {
    const char *title;
    ls_lcol_kind kind;
    int width;
} mcol;

static void missing_cols(ls_ltable *t, const mcol *cols, size_t n)
{
    t->ncols = n;
    t->cols = ls_xcalloc(n, sizeof *t->cols);
    for (size_t k = 0; k < n; k++) t->cols[k] = (ls_lcol){ls_xstrdup(cols[k].title), cols[k].kind, cols[k].width};
}

static void put_int(ls_lrow *row, size_t col, size_t n)
{
    row->c[col].kind = LS_LC_INT;
    row->c[col].num = (ls_fixed)n;
}

void ls_layout_missing_head(const ls_run *r, ls_ltable *t)
{
    static const mcol cols[] = {{"单位编号", LS_COL_SHORT, 10}, {"单位名称", LS_COL_NAME, 20}, {"组别", LS_COL_SHORT, 10}, {"缺报指标数", LS_COL_NUM, 8}, {"缺报指标（按缺省值计算，见缺报汇总）", LS_COL_LONG, 64}, {"读取这些指标的项目", LS_COL_LONG, 30}};
    t->title = ls_format("%s缺报情况（未填报、按缺省值计算的指标）", r->scheme->name);
    t->digits = r->scheme->digits;
    missing_cols(t, cols, sizeof cols / sizeof *cols);
}

size_t ls_layout_missing_unit(const ls_run *r, size_t u, ls_ltable *t)
{
    const ls_dataset *d = r->data;
    const ls_scheme *s = d->scheme;
    ls_buf inds, items;
    ls_buf_init(&inds);
    ls_buf_init(&items);
    size_t n = 0;
    /* the names only: each took its default, which 缺报汇总 gives */
    for (size_t i = 0; i < s->ninds; i++) {
        if (!not_given(d, u, i)) continue;
        ls_buf_printf(&inds, "%s%s", n ? "、" : "", s->inds[i].name);
        n++;
    }
    if (n) {
        for (size_t k = 0; k < s->nleaves; k++)
            if (reads_default(d, r, u, (size_t)s->leaves[k]))
                ls_buf_printf(&items, "%s%s", items.n ? "、" : "", s->nodes[s->leaves[k]].number);
        ls_lrow *row = ls_ltable_add_row(t, LS_LR_UNIT);
        put(row, 0, ls_xstrdup(s->units[u].id));
        put(row, 1, ls_xstrdup(s->units[u].name));
        put(row, 2, ls_xstrdup(s->groups[s->units[u].group].name));
        put_int(row, 3, n);
        put(row, 4, ls_xstrdup(inds.p));
        put(row, 5, items.n ? ls_xstrdup(items.p) : NULL);
    }
    ls_buf_cleanup(&inds);
    ls_buf_cleanup(&items);
    return n > 0;
}

/* One indicator's line of a group's summary. */
typedef struct mind {
    size_t ind, units;
} mind;

static int cmp_mind(const void *a, const void *b)
{
    const mind *x = a, *y = b;
    if (x->units != y->units) return x->units < y->units ? 1 : -1;
    return x->ind < y->ind ? -1 : x->ind > y->ind;
}

size_t ls_layout_missing_summary(const ls_run *r, ls_ltable *t)
{
    const ls_dataset *d = r->data;
    const ls_scheme *s = d->scheme;
    static const mcol cols[] = {{"指标", LS_COL_NAME, 24}, {"编号", LS_COL_SHORT, 24}, {"按缺省值", LS_COL_SHORT, 10}, {"缺报单位数", LS_COL_NUM, 8}, {"缺报单位", LS_COL_LONG, 40}, {"读取该指标的项目", LS_COL_LONG, 36}};
    t->title = ls_format("%s缺报情况汇总（按指标）", s->name);
    t->digits = s->digits;
    missing_cols(t, cols, sizeof cols / sizeof *cols);
    size_t ni = s->ninds ? s->ninds : 1, nl = s->nleaves ? s->nleaves : 1, rows = 0;
    size_t *count = ls_xcalloc(ni, sizeof *count);
    /* reads[i * nleaves + k]: some unit of the group left indicator i to
     * its default and leaf k's score read it */
    unsigned char *reads = ls_xcalloc(ni * nl, 1);
    mind *v = ls_xcalloc(ni, sizeof *v);
    char buf[256];
    ls_buf b;
    ls_buf_init(&b);
    for (size_t g = 0; g < s->ngroups; g++) {
        memset(count, 0, ni * sizeof *count);
        memset(reads, 0, ni * nl);
        size_t units = 0;
        for (size_t u = 0; u < s->nunits; u++) {
            if (s->units[u].group != (int)g) continue;
            size_t n = 0;
            for (size_t i = 0; i < s->ninds; i++) {
                if (!not_given(d, u, i)) continue;
                count[i]++;
                n++;
            }
            if (!n) continue;
            units++;
            for (size_t k = 0; k < s->nleaves; k++) {
                const ls_cell *c = ls_run_cell(r, u, (size_t)s->leaves[k]);
                if (c->state == LS_CELL_NA) continue;
                for (uint32_t j = 0; j < c->nread; j++) {
                    size_t i = (size_t)r->reads[c->read0 + j];
                    if (not_given(d, u, i)) reads[i * nl + k] = 1;
                }
            }
        }
        if (!units) continue;
        size_t nv = 0;
        for (size_t i = 0; i < s->ninds; i++)
            if (count[i]) v[nv++] = (mind){i, count[i]};
        qsort(v, nv, sizeof *v, cmp_mind);
        ls_lrow *head = ls_ltable_add_row(t, LS_LR_GROUP);
        put(head, 0, ls_format("%s（%zu个单位，其中%zu个有缺报）", s->groups[g].name, r->norder[g], units));
        rows++;
        for (size_t k = 0; k < nv; k++, rows++) {
            size_t i = v[k].ind;
            const ls_indicator *ind = &s->inds[i];
            ls_lrow *row = ls_ltable_add_row(t, LS_LR_ITEM);
            put(row, 0, ls_xstrdup(ind->name));
            put(row, 1, ls_xstrdup(ind->id));
            put(row, 2, ls_xstrdup(ind->def.set ? ls_value_format(&ind->def, buf, sizeof buf) : "未填"));
            put_int(row, 3, v[k].units);
            /* the units to ask, in registry order: the first ones and
             * how many in all when a province has thousands */
            b.n = 0;
            size_t named = 0;
            for (size_t u = 0; u < s->nunits && named < LS_LAYOUT_MAX_NAMES; u++) {
                if (s->units[u].group != (int)g || !not_given(d, u, i)) continue;
                ls_buf_printf(&b, "%s%s", named ? "、" : "", s->units[u].name);
                named++;
            }
            if (named < v[k].units) ls_buf_printf(&b, "等%zu个单位", v[k].units);
            put(row, 4, ls_xstrdup(b.p));
            b.n = 0;
            for (size_t l = 0; l < s->nleaves; l++) {
                if (!reads[i * nl + l]) continue;
                const ls_node *n = &s->nodes[s->leaves[l]];
                ls_buf_printf(&b, "%s%s %s", b.n ? "；" : "", n->number, n->name);
            }
            put(row, 5, b.n ? ls_xstrdup(b.p) : NULL);
        }
    }
    ls_buf_cleanup(&b);
    free(v);
    free(reads);
    free(count);
    return rows;
}
