/*
 * ls_compare.c - year over year comparison and attribution (see
 * ls_compare.h).
 */
#include "ls_compare.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ls_csv.h"
#include "ls_value.h"

ls_dataset *ls_compare_dataset(const ls_scheme *s, const ls_dataset *a_data, const ls_results *a,
                               const ls_results *b, ls_buf *missing, ls_errors *err)
{
    int *rows = ls_xmalloc((s->nunits ? s->nunits : 1) * sizeof *rows);
    for (size_t u = 0; u < s->nunits; u++) rows[u] = (int)u;
    ls_dataset *d = ls_dataset_build(s, a_data, rows, NULL, 0, 1, NULL, err);
    free(rows);
    if (!d) return NULL;
    unsigned char *carried = ls_xcalloc(s->ninds + 1, 1);
    for (size_t u = 0; u < s->nunits; u++) {
        const ls_unit *un = &s->units[u];
        int ib = ls_results_find_unit(b, un->id, NULL, 0);
        if (ib < 0) continue;
        const ls_runit *ub = &b->units[ib];
        for (size_t i = 0; i < ub->nnodes; i++) {
            for (size_t k = 0; k < ub->nodes[i].ninds; k++) {
                const ls_rind *x = &ub->nodes[i].inds[k];
                int ind = ls_scheme_find_indicator(s, x->id);
                if (ind < 0) continue;
                carried[ind] = 1;
                size_t c = u * s->ninds + (size_t)ind;
                if (!strcmp(x->value, "未填报")) {
                    d->vals[c] = (ls_value){0};
                    continue;
                }
                ls_value v;
                char msg[256];
                /* a value of the later year that the earlier catalogue
                 * does not accept (a new enum choice) stays as it was */
                if (ls_value_parse(&s->inds[ind].spec, x->value, 1, &v, msg, sizeof msg)) continue;
                if (v.type == LS_T_TEXT) v.str = ls_arena_strdup(&d->arena, v.str);
                d->vals[c] = v;
            }
        }
    }
    /* what the earlier rules read that the later year does not hold */
    size_t n = 0;
    for (size_t u = 0; u < a->nunits; u++)
        for (size_t i = 0; i < a->units[u].nnodes; i++)
            for (size_t k = 0; k < a->units[u].nodes[i].ninds; k++) {
                int ind = ls_scheme_find_indicator(s, a->units[u].nodes[i].inds[k].id);
                if (ind < 0 || carried[ind]) continue;
                carried[ind] = 2; /* named once */
                ls_buf_printf(missing, "%s%s %s", n++ ? "、" : "", s->inds[ind].id, s->inds[ind].name);
            }
    free(carried);
    return d;
}

/* ---- writing ------------------------------------------------------- */

typedef struct tab {
    char **cells;
    size_t ncols, nrows, cap;
} tab;

/* A new row of empty cells (rows grow by whole rows, so LS_GROW's one
 * element at a time does not fit). */
static void t_row(tab *t)
{
    size_t need = (t->nrows + 1) * t->ncols;
    if (need > t->cap) {
        t->cap = 2 * need;
        t->cells = ls_xrealloc(t->cells, t->cap * sizeof *t->cells);
    }
    memset(&t->cells[t->nrows * t->ncols], 0, t->ncols * sizeof *t->cells);
    t->nrows++;
}

static void t_set(tab *t, size_t col, char *own)
{
    t->cells[(t->nrows - 1) * t->ncols + col] = own;
}

static void t_print(tab *t, FILE *out)
{
    int *w = ls_xcalloc(t->ncols, sizeof *w);
    for (size_t i = 0; i < t->nrows * t->ncols; i++) {
        int dw = t->cells[i] ? ls_display_width(t->cells[i]) : 0;
        if (dw > w[i % t->ncols]) w[i % t->ncols] = dw;
    }
    for (size_t r = 0; r < t->nrows; r++) {
        int pending = 0;
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * t->ncols + c];
            if (!s) s = "";
            int gap = w[c] - ls_display_width(s);
            /* the first column (names) left, the numbers right */
            if (c) pending += 2 + gap;
            if (*s) {
                for (; pending > 0; pending--) fputc(' ', out);
                fputs(s, out);
            }
            if (!c) pending += gap;
        }
        fputc('\n', out);
    }
    free(w);
}

static void t_free(tab *t)
{
    for (size_t i = 0; i < t->nrows * t->ncols; i++) free(t->cells[i]);
    free(t->cells);
}

static char *fmt_fixed(ls_fixed v, int digits)
{
    char b[32];
    return ls_xstrdup(ls_dec_format(v, digits, b));
}

static char *fmt_signed(ls_fixed v, int digits)
{
    char b[32];
    b[0] = v > 0 ? '+' : '-';
    ls_dec_format(v < 0 ? -v : v, digits, b + (v != 0));
    return ls_xstrdup(b);
}

/* The top-level categories of the later year, as (id, number, name). */
static const ls_runit *first_unit(const ls_results *r) { return r->nunits ? &r->units[0] : NULL; }

static int is_category(const ls_rnode *n) { return n->depth == 0 && !strcmp(n->section, "main"); }

/* The total of unit u of the mixed run (earlier rules, later data), and
 * whether it is whole (no rule failed). */
static int mixed_total(const ls_run *m, const char *id, ls_fixed *t)
{
    if (!m) return 0;
    int u = ls_scheme_find_unit(m->scheme, id);
    if (u < 0 || m->units[u].errors) return 0;
    *t = m->units[u].total;
    return 1;
}

typedef struct csvw {
    FILE *out;
    int n, err;
} csvw;

static void c_field(csvw *w, const char *s)
{
    if (w->n++) fputc(',', w->out);
    if (ls_csv_write_field(w->out, s ? s : "", strlen(s ? s : ""))) w->err = errno ? errno : EIO;
}

static void c_own(csvw *w, char *s)
{
    c_field(w, s);
    free(s);
}

static void c_end(csvw *w)
{
    fputs("\r\n", w->out);
    w->n = 0;
}

int ls_compare_write(const ls_compare_in *in, int csv, FILE *out, ls_errors *err)
{
    const ls_results *a = in->a, *b = in->b;
    int dg = b->digits;
    errno = 0;
    const ls_runit *fb = first_unit(b), *fa = first_unit(a);
    /* categories of the later year, matched by id in the earlier one */
    size_t ncat = 0;
    const ls_rnode **cats = ls_xcalloc((fb ? fb->nnodes : 0) + 1, sizeof *cats);
    for (size_t i = 0; fb && i < fb->nnodes; i++)
        if (is_category(&fb->nodes[i])) cats[ncat++] = &fb->nodes[i];
    csvw cw = {out, 0, 0};
    char ya[16], yb[16];
    snprintf(ya, sizeof ya, "%d", a->year);
    snprintf(yb, sizeof yb, "%d", b->year);

    if (csv) {
        fputs("\xEF\xBB\xBF", out);
        const char *head[] = {"单位编号", "单位名称", "组别", "原单位编号"};
        for (size_t i = 0; i < 4; i++) c_field(&cw, head[i]);
        c_own(&cw, ls_format("%s总分", ya));
        c_own(&cw, ls_format("%s总分", yb));
        c_field(&cw, "总分变动");
        c_own(&cw, ls_format("%s名次", ya));
        c_own(&cw, ls_format("%s名次", yb));
        c_field(&cw, "名次变动");
        c_own(&cw, ls_format("%s等次", ya));
        c_own(&cw, ls_format("%s等次", yb));
        c_field(&cw, "数据变动的影响");
        c_field(&cw, "方案变动的影响");
        for (size_t k = 0; k < ncat; k++) c_own(&cw, ls_format("%s %s 变动", cats[k]->id, cats[k]->name));
        c_end(&cw);
    } else {
        fprintf(out, "%s（%s） → %s（%s）\n", a->name, a->source, b->name, b->source);
    }
    for (size_t g = 0; g < b->ngroups; g++) {
        tab t = {NULL, 9, 0, 0}, tc = {NULL, ncat + 1, 0, 0};
        t_row(&t);
        t_set(&t, 0, ls_xstrdup("单位"));
        t_set(&t, 1, ls_format("%s总分", ya));
        t_set(&t, 2, ls_format("%s总分", yb));
        t_set(&t, 3, ls_xstrdup("变动"));
        t_set(&t, 4, ls_xstrdup("名次"));
        t_set(&t, 5, ls_xstrdup("名次变动"));
        t_set(&t, 6, ls_xstrdup("等次"));
        t_set(&t, 7, ls_xstrdup("数据的影响"));
        t_set(&t, 8, ls_xstrdup("方案的影响"));
        t_row(&tc);
        t_set(&tc, 0, ls_xstrdup("单位"));
        for (size_t k = 0; k < ncat; k++) t_set(&tc, k + 1, ls_xstrdup(cats[k]->number));
        size_t rows = 0;
        for (size_t o = 0; o < b->nunits; o++) {
            const ls_runit *ub = &b->units[b->order[o]];
            if (strcmp(ub->group, b->groups[g].id)) continue;
            size_t merged;
            int ia = ls_results_predecessor(a, ub, &merged);
            const ls_runit *ua = ia >= 0 ? &a->units[ia] : NULL;
            rows++;
            ls_fixed mt = 0;
            int attributed = ua && mixed_total(in->mixed, ua->id, &mt);
            char *name = ua && strcmp(ua->id, ub->id) ? ls_format("%s（原%s）", ub->name, ua->name)
                         : merged                     ? ls_format("%s（合并）", ub->name)
                                                      : ls_xstrdup(ub->name);
            if (csv) {
                c_field(&cw, ub->id);
                c_field(&cw, ub->name);
                c_field(&cw, b->groups[g].name);
                if (merged) {
                    ls_buf ids;
                    ls_buf_init(&ids);
                    for (size_t f = 0; f < ub->nformerly; f++) ls_buf_printf(&ids, "%s%s", f ? ";" : "", ub->formerly[f]);
                    c_field(&cw, ids.p);
                    ls_buf_cleanup(&ids);
                } else {
                    c_field(&cw, ua ? ua->id : "");
                }
                c_own(&cw, ua ? fmt_fixed(ua->total, dg) : ls_xstrdup(""));
                c_own(&cw, fmt_fixed(ub->total, dg));
                c_own(&cw, ua ? fmt_signed(ub->total - ua->total, dg) : ls_xstrdup(""));
                c_own(&cw, ua ? ls_format("%d", ua->rank) : ls_xstrdup(""));
                c_own(&cw, ls_format("%d", ub->rank));
                c_own(&cw, !ua ? ls_xstrdup("") : ua->rank == ub->rank ? ls_xstrdup("0")
                                                                       : ls_format("%+d", ua->rank - ub->rank));
                c_field(&cw, ua ? ua->grade : "");
                c_field(&cw, ub->grade);
                c_own(&cw, attributed ? fmt_signed(mt - ua->total, dg) : ls_xstrdup(""));
                c_own(&cw, attributed ? fmt_signed(ub->total - mt, dg) : ls_xstrdup(""));
            } else {
                t_row(&t);
                t_set(&t, 0, ls_xstrdup(name));
                t_set(&t, 1, ua ? fmt_fixed(ua->total, dg) : ls_xstrdup("-"));
                t_set(&t, 2, fmt_fixed(ub->total, dg));
                t_set(&t, 3, ua ? fmt_signed(ub->total - ua->total, dg) : ls_xstrdup(merged ? "-" : "新增"));
                t_set(&t, 4, ua ? ls_format("%d→%d", ua->rank, ub->rank) : ls_format("%d", ub->rank));
                /* 上升 N 名 / 下降 N 名, as a 通报 says it */
                t_set(&t, 5, !ua ? ls_xstrdup("") : ua->rank > ub->rank ? ls_format("上升%d名", ua->rank - ub->rank)
                                                : ua->rank < ub->rank   ? ls_format("下降%d名", ub->rank - ua->rank)
                                                                        : ls_xstrdup("持平"));
                t_set(&t, 6, ua && strcmp(ua->grade, ub->grade) ? ls_format("%s→%s", ua->grade, ub->grade) : ls_xstrdup(ub->grade));
                t_set(&t, 7, attributed ? fmt_signed(mt - ua->total, dg) : ls_xstrdup("-"));
                t_set(&t, 8, attributed ? fmt_signed(ub->total - mt, dg) : ls_xstrdup("-"));
                t_row(&tc);
                t_set(&tc, 0, ls_xstrdup(name));
            }
            for (size_t k = 0; k < ncat; k++) {
                const ls_rnode *y = ls_results_node(ub, cats[k]->id);
                const ls_rnode *x = ua ? ls_results_node(ua, cats[k]->id) : NULL;
                char *v = !y || !y->scored ? ls_xstrdup(csv ? "" : "-")
                          : x && x->scored ? fmt_signed(y->score - x->score, dg)
                                           : ls_xstrdup("新增");
                if (csv) c_own(&cw, v);
                else t_set(&tc, k + 1, v);
            }
            if (csv) c_end(&cw);
            free(name);
        }
        if (!csv && rows) {
            fprintf(out, "\n%s（%zu个单位）\n", b->groups[g].name, rows);
            t_print(&t, out);
            fprintf(out, "\n%s 各类别得分变动（按类别编号对应）\n", b->groups[g].name);
            t_print(&tc, out);
        }
        t_free(&t);
        t_free(&tc);
    }
    if (!csv) {
        /* the categories, with what changed in the scheme */
        fputs("\n类别：\n", out);
        char p[32], q[32];
        for (size_t k = 0; k < ncat; k++) {
            const ls_rnode *x = fa ? ls_results_node(fa, cats[k]->id) : NULL;
            if (!x)
                fprintf(out, "  %s  %s(%s)  %d年新增\n", cats[k]->number, cats[k]->name,
                        ls_dec_format_short(cats[k]->points, dg, q), b->year);
            else if (x->points != cats[k]->points)
                fprintf(out, "  %s  %s(%s→%s)\n", cats[k]->number, cats[k]->name,
                        ls_dec_format_short(x->points, dg, p), ls_dec_format_short(cats[k]->points, dg, q));
            else
                fprintf(out, "  %s  %s(%s)\n", cats[k]->number, cats[k]->name,
                        ls_dec_format_short(cats[k]->points, dg, q));
        }
        for (size_t i = 0; fa && i < fa->nnodes; i++)
            if (is_category(&fa->nodes[i]) && !ls_results_node(fb, fa->nodes[i].id))
                fprintf(out, "  -  %s(%s)  %d年删去\n", fa->nodes[i].name,
                        ls_dec_format_short(fa->nodes[i].points, dg, p), b->year);
        /* merged units, with what they were; units no longer assessed */
        for (size_t i = 0; i < b->nunits; i++) {
            const ls_runit *ub = &b->units[i];
            size_t merged;
            if (ls_results_predecessor(a, ub, &merged) >= 0 || !merged) continue;
            fprintf(out, "%s由", ub->name);
            for (size_t f = 0, n = 0; f < ub->nformerly; f++) {
                int k = ls_strmap_get(&a->unit_ix, ub->formerly[f]);
                if (k < 0) continue;
                fprintf(out, "%s%s（%s）", n++ ? "、" : "", a->units[k].name, ls_dec_format(a->units[k].total, dg, p));
            }
            fprintf(out, "合并，不作比较\n");
        }
        for (size_t i = 0; i < a->nunits; i++)
            if (!ls_results_continues(b, &a->units[i])) fprintf(out, "%s：%d年不再考核\n", a->units[i].name, b->year);
        fputs("\n归因：", out);
        if (!in->mixed) {
            fprintf(out, "从略（%s）\n", in->why_not ? in->why_not : "无法按上一年度方案计分");
        } else {
            fprintf(out, "按%d年度方案对%d年度数据重新计分。数据的影响 = 按%d年度方案计的%d年得分 − %d年得分；"
                         "方案的影响 = %d年得分 − 按%d年度方案计的%d年得分。\n",
                    a->year, b->year, a->year, b->year, a->year, b->year, a->year, b->year);
            if (in->missing && *in->missing)
                fprintf(out, "无法归因：%d年度数据中没有以下指标，按%d年数据计：%s\n", b->year, a->year, in->missing);
            size_t nerr = 0;
            for (size_t u = 0; u < in->mixed->scheme->nunits; u++) nerr += in->mixed->units[u].errors > 0;
            if (nerr)
                fprintf(out, "无法归因：%zu个单位有项目按%d年度方案无法计分（标为-）\n", nerr, a->year);
        }
    }
    free(cats);
    if (cw.err || ferror(out) || fflush(out) != 0)
        return ls_errorf(err, NULL, 0, 0, "cannot write the comparison: %s",
                         strerror(cw.err ? cw.err : errno ? errno
                                                          : EIO));
    return 0;
}
