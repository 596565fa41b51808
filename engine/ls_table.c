/*
 * ls_table.c - ranking tables for the terminal (see ls_table.h).
 */
#include "ls_table.h"

#include <stdlib.h>
#include <string.h>

#include "ls_explain.h"
#include "ls_util.h"

const char *ls_category_short(size_t i, char *buf)
{
    static const char *const d[] = {"", "一", "二", "三", "四", "五",
                                    "六", "七", "八", "九"};
    size_t n = i + 1;
    if (n >= 100) {
        snprintf(buf, 24, "%zu", n);
    } else if (n < 10) {
        snprintf(buf, 24, "%s", d[n]);
    } else {
        /* 十, 十一, 二十, 二十一 */
        snprintf(buf, 24, "%s十%s", n / 10 == 1 ? "" : d[n / 10], d[n % 10]);
    }
    return buf;
}

/* A table of owned cells, row 0 the header. */
typedef struct table {
    size_t ncols, nrows, cap;
    char **cells;     /* nrows * ncols */
    const int *right; /* per column: right-aligned */
} table;

static void t_add(table *t, size_t row, size_t col, const char *s)
{
    while (row >= t->nrows) {
        if (t->nrows == t->cap) {
            t->cap = t->cap ? 2 * t->cap : 16;
            t->cells = ls_xrealloc(t->cells, t->cap * t->ncols * sizeof *t->cells);
        }
        memset(&t->cells[t->nrows * t->ncols], 0, t->ncols * sizeof *t->cells);
        t->nrows++;
    }
    free(t->cells[row * t->ncols + col]);
    t->cells[row * t->ncols + col] = ls_xstrdup(s);
}

static void pad(FILE *out, int n)
{
    for (; n > 0; n--) fputc(' ', out);
}

static void t_print(const table *t, FILE *out)
{
    int *w = ls_xcalloc(t->ncols, sizeof *w);
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * t->ncols + c];
            int dw = s ? ls_display_width(s) : 0;
            if (dw > w[c]) w[c] = dw;
        }
    for (size_t r = 0; r < t->nrows; r++) {
        /* Trailing spaces are dropped: pad only before a later column. */
        int pending = 0;
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * t->ncols + c];
            if (!s) s = "";
            int gap = w[c] - ls_display_width(s);
            if (c) pending += 2;
            if (t->right[c]) pending += gap;
            if (*s) {
                pad(out, pending);
                pending = 0;
                fputs(s, out);
            }
            if (!t->right[c]) pending += gap;
        }
        fputc('\n', out);
    }
    free(w);
}

static void t_cleanup(table *t)
{
    for (size_t i = 0; i < t->nrows * t->ncols; i++) free(t->cells[i]);
    free(t->cells);
}

static void print_group(const ls_run *r, size_t g, FILE *out)
{
    const ls_scheme *s = r->scheme;
    size_t nc = s->nroots;
    /* 名次, 单位, categories..., 加分, 扣分, 总分, 等次 */
    size_t ncols = 2 + nc + 4;
    int *right = ls_xcalloc(ncols, sizeof *right);
    for (size_t c = 0; c < ncols; c++) right[c] = c != 1 && c != ncols - 1;
    table t = {ncols, 0, 0, NULL, right};
    char buf[32];

    size_t col = 0;
    t_add(&t, 0, col++, "名次");
    t_add(&t, 0, col++, "单位");
    for (size_t i = 0; i < nc; i++) t_add(&t, 0, col++, ls_category_short(i, buf));
    t_add(&t, 0, col++, "加分");
    t_add(&t, 0, col++, "扣分");
    t_add(&t, 0, col++, "总分");
    t_add(&t, 0, col++, "等次");

    int any_veto = 0, any_error = 0;
    for (size_t k = 0; k < r->norder[g]; k++) {
        size_t u = (size_t)r->order[g][k];
        const ls_unit_result *ur = &r->units[u];
        size_t row = k + 1;
        col = 0;
        if (ur->rank > 0) snprintf(buf, sizeof buf, "%d", ur->rank);
        else snprintf(buf, sizeof buf, "-");
        t_add(&t, row, col++, buf);
        t_add(&t, row, col++, s->units[u].name);
        for (size_t i = 0; i < nc; i++) {
            const ls_cell *c = ls_run_cell(r, u, (size_t)s->roots[i]);
            const char *txt = c->state == LS_CELL_NA      ? "-"
                              : c->state == LS_CELL_ERROR ? "错误"
                                                          : ls_dec_format(c->score, s->digits, buf);
            t_add(&t, row, col++, txt);
        }
        t_add(&t, row, col++, ls_dec_format(ur->bonus, s->digits, buf));
        t_add(&t, row, col++, ls_dec_format(ur->deduct, s->digits, buf));
        t_add(&t, row, col++, ls_dec_format(ur->total, s->digits, buf));
        /* Marks go after the grade, so the numbers stay aligned. */
        int veto = ls_explain_veto(r, u) != NULL;
        char *grade = ls_format("%s%s%s", ls_explain_grade(r, u), veto ? "（否决）" : "",
                                ur->errors > 0 ? "（评分出错）" : "");
        t_add(&t, row, col++, grade);
        free(grade);
        any_veto |= veto;
        any_error |= ur->errors > 0;
    }

    fprintf(out, "%s（%zu个单位）\n", s->groups[g].name, r->norder[g]);
    t_print(&t, out);
    if (any_veto) fputs("（否决）：一票否决\n", out);
    if (any_error) fputs("（评分出错）：有项目评分出错，总分不完整\n", out);
    /* 自评偏高, for the 通报 */
    int nover = 0;
    for (size_t k = 0; r->self && k < r->norder[g]; k++) {
        size_t u = (size_t)r->order[g][k];
        if (!ls_explain_overrated(r, u)) continue;
        char a[32], b[32];
        fprintf(out, "%s%s（自评%s，考核%s）", nover++ ? "、" : "自评偏高：", s->units[u].name,
                ls_explain_self_total(r, u, a), ls_dec_format(r->units[u].total, s->digits, b));
    }
    if (nover) fputc('\n', out);
    /* appeals that changed a unit's result */
    int nappeal = 0;
    for (size_t k = 0; r->original && k < r->norder[g]; k++) {
        size_t u = (size_t)r->order[g][k];
        char *note = ls_explain_unit_note(r, u, LS_NOTE_APPEAL);
        if (!note) continue;
        /* "复核调整：总分…" → "区农林水务局总分…" */
        const char *what = strstr(note, "：") ? strstr(note, "：") + strlen("：") : note;
        fprintf(out, "%s%s%s", nappeal++ ? "；" : "复核调整：", s->units[u].name, what);
        free(note);
    }
    if (nappeal) fputc('\n', out);
    t_cleanup(&t);
    free(right);
}

void ls_print_ranking(const ls_run *r, FILE *out)
{
    const ls_scheme *s = r->scheme;
    int first = 1;
    for (size_t g = 0; g < s->ngroups; g++) {
        if (!r->norder[g]) continue;
        if (!first) fputc('\n', out);
        first = 0;
        print_group(r, g, out);
    }
    if (s->nroots) {
        fputs("\n类别：\n", out);
        char buf[32], sh[24];
        for (size_t i = 0; i < s->nroots; i++) {
            const ls_node *n = &s->nodes[s->roots[i]];
            fprintf(out, "  %s  %s(%s)\n", ls_category_short(i, sh), n->name,
                    ls_dec_format_short(n->points, s->digits, buf));
        }
    }
}
