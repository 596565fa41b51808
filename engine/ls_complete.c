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

void ls_print_completeness(const ls_dataset *d, const ls_run *r, FILE *out)
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
    for (size_t u = 0; u < s->nunits; u++) {
        const ls_unit *un = &s->units[u];
        int first = 1;
        for (size_t i = 0; i < s->ninds; i++) {
            if (!not_given(d, u, i)) continue;
            if (first) fprintf(out, "  %s %s\n%s", un->id, un->name, _("    not given:"));
            const ls_value *v = ls_dataset_get(d, u, i);
            fprintf(out, "%s %s=%s", first ? "" : ",", s->inds[i].name,
                    v->set ? ls_value_format(v, buf, sizeof buf) : _("(not filled)"));
            first = 0;
        }
        if (first) continue;
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

void ls_layout_missing_head(const ls_run *r, ls_ltable *t)
{
    const ls_scheme *s = r->scheme;
    static const struct {
        const char *title;
        ls_lcol_kind kind;
        int width;
    } cols[] = {{"单位编号", LS_COL_SHORT, 10}, {"单位名称", LS_COL_NAME, 20}, {"指标", LS_COL_NAME, 28}, {"编号", LS_COL_SHORT, 18}, {"按缺省值", LS_COL_SHORT, 12}, {"读取该指标的项目", LS_COL_LONG, 36}};
    t->title = ls_format("%s缺报情况（未填报、按缺省值计算的指标）", s->name);
    t->digits = s->digits;
    t->ncols = sizeof cols / sizeof *cols;
    t->cols = ls_xcalloc(t->ncols, sizeof *t->cols);
    for (size_t k = 0; k < t->ncols; k++) t->cols[k] = (ls_lcol){ls_xstrdup(cols[k].title), cols[k].kind, cols[k].width};
}

size_t ls_layout_missing_unit(const ls_run *r, size_t u, ls_ltable *t)
{
    const ls_dataset *d = r->data;
    const ls_scheme *s = d->scheme;
    char buf[256];
    ls_buf items;
    ls_buf_init(&items);
    size_t added = 0;
    for (size_t i = 0; i < s->ninds; i++) {
        if (!not_given(d, u, i)) continue;
        LS_GROW(t->rows, t->nrows, t->caprows, 64);
        ls_lrow *row = &t->rows[t->nrows++];
        added++;
        row->kind = LS_LR_UNIT;
        row->band = -1;
        row->c = ls_xcalloc(t->ncols, sizeof *row->c);
        const ls_value *v = ls_dataset_get(d, u, i);
        put(row, 0, ls_xstrdup(s->units[u].id));
        put(row, 1, ls_xstrdup(s->units[u].name));
        put(row, 2, ls_xstrdup(s->inds[i].name));
        put(row, 3, ls_xstrdup(s->inds[i].id));
        put(row, 4, ls_xstrdup(v->set ? ls_value_format(v, buf, sizeof buf) : "未填"));
        items.n = 0;
        for (size_t k = 0; k < s->nleaves; k++) {
            const ls_cell *c = ls_run_cell(r, u, (size_t)s->leaves[k]);
            if (c->state == LS_CELL_NA) continue;
            for (uint32_t j = 0; j < c->nread; j++)
                if ((size_t)r->reads[c->read0 + j] == i) {
                    const ls_node *n = &s->nodes[s->leaves[k]];
                    ls_buf_printf(&items, "%s%s %s", items.n ? "；" : "", n->number, n->name);
                    break;
                }
        }
        put(row, 5, items.n ? ls_xstrdup(items.p) : NULL);
    }
    ls_buf_cleanup(&items);
    return added;
}
