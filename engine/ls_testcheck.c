/*
 * ls_testcheck.c - checking a case's expectations and the failure report
 * (see ls_testcheck.h).
 *
 * Depends on: ls_i18n, ls_testcase, ls_expect, ls_explain, ls_score, ls_error,
 * ls_util.
 */
#include "ls_testcheck.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ls_explain.h"
#include "ls_expect.h"
#include "ls_score.h"
#include "ls_testcase.h"
#include "ls_i18n.h"
#include "ls_util.h"

/* Width of the labels of failure details, in terminal columns. */
#define LABEL_WIDTH 8

/* ---- output helpers --------------------------------------------------------------- */

/* A labelled detail line, "        扣分理由  text"; further lines of text
 * are indented under the first. */
static void put_field(ls_buf *b, const char *label, const char *text)
{
    int w = ls_display_width(label);
    ls_buf_printf(b, "        %s%*s  ", label, w < LABEL_WIDTH ? LABEL_WIDTH - w : 0, "");
    for (const char *p = text; *p; p++) {
        ls_buf_add(b, p, 1);
        if (*p == '\n' && p[1]) ls_buf_printf(b, "          %*s", LABEL_WIDTH, "");
    }
    ls_buf_puts(b, "\n");
}

/* Diagnostics a and b of e in file order: by path (the file mentioned
 * first comes first), line, column, then as recorded. */
static int diag_cmp(const ls_errors *e, size_t a, size_t b)
{
    const ls_diag *x = &e->v[a], *y = &e->v[b];
    const char *px = x->path ? x->path : "", *py = y->path ? y->path : "";
    if (strcmp(px, py)) {
        for (size_t i = 0; i < e->n; i++) {
            const char *p = e->v[i].path ? e->v[i].path : "";
            if (!strcmp(p, px)) return -1;
            if (!strcmp(p, py)) return 1;
        }
    }
    if (x->line != y->line) return x->line < y->line ? -1 : 1;
    if (x->col != y->col) return x->col < y->col ? -1 : 1;
    return (a > b) - (a < b);
}

/* Every diagnostic of e, indented, as `path:line:col: error: ...`, in
 * file order when `sorted`. */
void ls_testcheck_put_diags(ls_buf *b, const ls_errors *e, const char *indent, int sorted)
{
    size_t *ord = ls_xmalloc((e->n ? e->n : 1) * sizeof *ord);
    for (size_t i = 0; i < e->n; i++) ord[i] = i;
    for (size_t i = 1; sorted && i < e->n; i++) /* a case has a few messages */
        for (size_t j = i; j > 0 && diag_cmp(e, ord[j - 1], ord[j]) > 0; j--) {
            size_t t = ord[j];
            ord[j] = ord[j - 1];
            ord[j - 1] = t;
        }
    for (size_t k = 0; k < e->n; k++) {
        size_t i = ord[k];
        char *m = ls_diag_format(&e->v[i]);
        ls_buf_puts(b, indent);
        for (const char *p = m; *p; p++) {
            if (*p == '\t') ls_buf_puts(b, "  "); /* tracebacks: the indent is ours */
            else ls_buf_add(b, p, 1);
            if (*p == '\n' && p[1]) ls_buf_puts(b, indent);
        }
        ls_buf_puts(b, "\n");
        free(m);
    }
    free(ord);
}

/* A YAML mapping of values as the author wrote it: "late_reports: 2, adviser: 兼管". */
static void put_values(ls_buf *b, const ls_ynode *m)
{
    if (!m || m->kind != LS_YMAP || !m->n) return;
    for (size_t i = 0; i < m->n; i++) {
        const ls_ynode *v = ls_ymap_val(m, i);
        char buf[96];
        ls_buf_printf(b, "%s%s: %s", i ? ", " : "", ls_ymap_key(m, i)->str,
                      v->kind == LS_YSCALAR ? (ls_ynode_is_null(v) ? "~" : v->str)
                                            : ls_ynode_describe(v, buf, sizeof buf));
    }
}

/* The values the case gives unit u, for failure details. */
static char *given_text(const ls_testcase *C, int u)
{
    ls_buf b;
    ls_buf_init(&b);
    const ls_ynode *g = C->given[u];
    if (C->rows[u] >= 0) ls_buf_puts(&b, "数据文件中的值");
    if (g && g->kind == LS_YMAP && g->n) {
        if (C->rows[u] >= 0) ls_buf_puts(&b, "，改为 ");
        put_values(&b, g);
    }
    if (!b.n) ls_buf_puts(&b, "（未给出）");
    return b.p;
}

static const char *unit_label(const ls_testcase *C, int u, char *buf, size_t size)
{
    const char *id = C->units[u].id, *name = C->units[u].name;
    /* a unit the case names only by id reads "a", not "a a" */
    if (!name || !*name || !strcmp(name, id)) snprintf(buf, size, "%s", id);
    else snprintf(buf, size, "%s %s", id, name);
    return buf;
}

/* ---- checking: what failed and why ------------------------------------------------ */

static int num_eq(const ls_testcase *C, double want, ls_fixed got)
{
    return fabs(want - ls_dec_to_double(got, C->s->digits)) <= C->tol + LS_EPS;
}

static const char *fixed_text(const ls_testcase *C, ls_fixed v, char *buf)
{
    return ls_dec_format(v, C->s->digits, buf);
}

/* The expected value: a number at the scheme's precision (as written when
 * it has more decimals), with the tolerance. */
static char *expected_text(const ls_testcase *C, const ls_expect *x)
{
    const char *v = x->val->kind == LS_YSCALAR ? x->val->str : "?";
    int num = x->kind == LS_EXP_TOTAL || x->kind == LS_EXP_BONUS || x->kind == LS_EXP_DEDUCT ||
              (x->kind == LS_EXP_ITEM && x->item == LS_ITEM_SCORE);
    char buf[32];
    ls_fixed f;
    if (num && !ls_dec_parse(v, C->s->digits, &f)) v = ls_dec_format(f, C->s->digits, buf);
    if (num && C->tol > 0) return ls_format("%s（允许误差 ±%.15g）", v, C->tol);
    return ls_xstrdup(v);
}

/* "item 8.3 按时报送信息" (", unit a 甲单位" when the case has several). */
static void fail_head(ls_testcase *C, const ls_expect *x)
{
    const ls_scheme *s = C->s;
    C->nfail++;
    ls_buf_printf(C->out, "    %s:%d:%d: %s", C->F->path, x->at->line, x->at->col, x->word);
    /* (for a single item, the case's name says which) */
    if (x->node >= 0 && x->kind != LS_EXP_VETO && C->own == LS_CASE_FILE_SCHEME)
        ls_buf_printf(C->out, " %s %s", s->nodes[x->node].number, s->nodes[x->node].name);
    if (x->kind == LS_EXP_COUNT)
        ls_buf_printf(C->out, " %s%s%s", x->group >= 0 ? s->groups[x->group].id : "",
                      x->group >= 0 ? " " : "", x->text);
    if (x->unit >= 0 && C->nunits > 1) {
        char ub[256];
        ls_buf_printf(C->out, "%s%s", x->node >= 0 && x->kind != LS_EXP_VETO ? _(", unit ") : _(" of unit "),
                      unit_label(C, x->unit, ub, sizeof ub));
    }
    ls_buf_puts(C->out, "\n");
}

static void put_expected_actual(ls_testcase *C, const char *want, const char *got)
{
    put_field(C->out, _("expected"), want);
    put_field(C->out, _("actual"), got);
}

/* The case's values of unit u; with `defaults`, also the file's values
 * for made-up units. */
static void put_given(ls_testcase *C, int u, int defaults)
{
    char *g = given_text(C, u);
    put_field(C->out, "用例数据", g);
    free(g);
    const ls_ynode *d = C->F->defaults;
    if (defaults && C->rows[u] < 0 && d && d->kind == LS_YMAP && d->n) {
        ls_buf b;
        ls_buf_init(&b);
        if (C->F->defaults_path != C->F->path) ls_buf_printf(&b, "%s 中的值", C->F->defaults_path);
        else put_values(&b, d);
        put_field(C->out, "文件缺省", b.p);
        ls_buf_cleanup(&b);
    }
}

/* What explains a cell: 评分标准, reasons, values read, the case's values,
 * the rule; for a category its parts. */
static void item_context(ls_testcase *C, int u, int node, int with_reasons)
{
    const ls_scheme *s = C->s;
    const ls_node *nd = &s->nodes[node];
    char a[32], p[32];
    if (nd->nchildren) {
        ls_buf b;
        ls_buf_init(&b);
        for (size_t i = 0; i < nd->nchildren; i++) {
            const ls_node *k = &s->nodes[nd->children[i]];
            ls_buf_printf(&b, "%s%s %s %s/%s", i ? "\n" : "", k->number, k->name,
                          ls_explain_score(C->r, (size_t)u, (size_t)nd->children[i], a),
                          ls_dec_format_short(k->points, s->digits, p));
        }
        if (b.n) put_field(C->out, "分项", b.p);
        ls_buf_cleanup(&b);
        put_given(C, u, 0);
        return;
    }
    if (nd->criteria && *nd->criteria) put_field(C->out, "评分标准", nd->criteria);
    if (with_reasons) {
        char *e = ls_explain_cell(C->r, (size_t)u, (size_t)node);
        put_field(C->out, "扣分理由", *e ? e : "（无）");
        free(e);
    }
    char *rd = ls_explain_reads_units(C->r, (size_t)u, (size_t)node);
    if (*rd) put_field(C->out, "使用指标", rd);
    free(rd);
    put_given(C, u, 0);
    if (nd->rule.kind == LS_RULE_PLUGIN) {
        char *t = ls_format(_("C plugin %s.%s"), nd->rule.plugin, nd->rule.function);
        put_field(C->out, "评分规则", t);
        free(t);
    } else if (nd->rule.path) {
        put_field(C->out, "评分规则", nd->rule.path);
    }
}

/* What explains a unit's total: the items that lost points, bonus,
 * deductions, notes, the case's values. */
static void unit_context(ls_testcase *C, int u, int with_total)
{
    const ls_scheme *s = C->s;
    const ls_run *r = C->r;
    const ls_unit_result *ur = &r->units[u];
    char a[32], p[32];
    if (with_total) put_field(C->out, "总分", fixed_text(C, ur->total, a));
    if (C->shown[u]) {
        put_field(C->out, "明细", "（见上）");
        return;
    }
    C->shown[u] = 1;
    ls_buf lost, bonus, deduct;
    ls_buf_init(&lost);
    ls_buf_init(&bonus);
    ls_buf_init(&deduct);
    for (size_t k = 0; k < s->nleaves; k++) {
        int i = s->leaves[k];
        const ls_node *nd = &s->nodes[i];
        const ls_cell *c = ls_run_cell(r, (size_t)u, (size_t)i);
        ls_buf *into = nd->section == LS_SEC_MAIN ? &lost : nd->section == LS_SEC_BONUS ? &bonus
                                                        : nd->section == LS_SEC_DEDUCT  ? &deduct
                                                                                        : NULL;
        if (!into || c->state == LS_CELL_NA) continue;
        if (c->state == LS_CELL_SCORED &&
            (nd->section == LS_SEC_MAIN ? c->score >= nd->points : c->score == 0))
            continue;
        char *e = ls_explain_cell(r, (size_t)u, (size_t)i);
        ls_buf_printf(into, "%s%s %s %s", into->n ? "\n" : "", nd->number, nd->name,
                      ls_explain_score(r, (size_t)u, (size_t)i, a));
        if (nd->section == LS_SEC_MAIN)
            ls_buf_printf(into, "/%s", ls_dec_format_short(nd->points, s->digits, p));
        if (*e) ls_buf_printf(into, "：%s", e);
        free(e);
    }
    put_field(C->out, "失分项目", lost.n ? lost.p : "（无：各项均得满分）");
    if (bonus.n) put_field(C->out, "加分项目", bonus.p);
    if (deduct.n) put_field(C->out, "扣分项目", deduct.p);
    char *notes = ls_explain_unit(r, (size_t)u);
    if (*notes) put_field(C->out, "说明", notes);
    free(notes);
    ls_buf_cleanup(&lost);
    ls_buf_cleanup(&bonus);
    ls_buf_cleanup(&deduct);
    put_given(C, u, 1);
}

/* The ranking of group g (every group of the case when g < 0). */
static void cohort_table(ls_testcase *C, int g)
{
    const ls_scheme *s = C->s;
    const ls_run *r = C->r;
    uint64_t mask = 0;
    for (size_t k = 0; k < s->ngroups; k++)
        if ((g < 0 || (int)k == g) && r->norder[k]) mask |= 1ULL << k;
    if (!(mask & ~C->shown_groups)) {
        put_field(C->out, "组内名次", "（见上）");
        return;
    }
    C->shown_groups |= mask;
    ls_buf b;
    ls_buf_init(&b);
    for (size_t k = 0; k < s->ngroups; k++) {
        if ((g >= 0 && (int)k != g) || !r->norder[k]) continue;
        ls_buf_printf(&b, "%s%s（%zu个单位）", b.n ? "\n" : "", s->groups[k].name, r->norder[k]);
        int wid = 0, wname = 0;
        for (size_t i = 0; i < r->norder[k]; i++) {
            const ls_unit *un = &s->units[r->order[k][i]];
            if (ls_display_width(un->id) > wid) wid = ls_display_width(un->id);
            if (ls_display_width(un->name) > wname) wname = ls_display_width(un->name);
        }
        for (size_t i = 0; i < r->norder[k]; i++) {
            int u = r->order[k][i];
            const ls_unit *un = &s->units[u];
            char a[32];
            char rk[16] = "   -"; /* vetoed: no rank */
            if (r->units[u].rank > 0) snprintf(rk, sizeof rk, "%4d", r->units[u].rank);
            ls_buf_printf(&b, "\n%s  %s%*s  %s%*s  %7s  %s%s", rk, un->id,
                          wid - ls_display_width(un->id), "", un->name, wname - ls_display_width(un->name),
                          "", fixed_text(C, r->units[u].total, a), ls_explain_grade(r, (size_t)u),
                          r->units[u].veto >= 0 ? "（否决）" : "");
        }
    }
    put_field(C->out, "组内名次", b.p ? b.p : "");
    ls_buf_cleanup(&b);
}

/* Whether text holds every phrase of v (a text or a list; [] = text empty). */
static int has_phrases(const char *text, const ls_ynode *v)
{
    if (v->kind == LS_YSCALAR) return strstr(text, v->str) != NULL;
    if (!v->n) return !*text;
    for (size_t i = 0; i < v->n; i++)
        if (!strstr(text, v->items[i]->str)) return 0;
    return 1;
}

static char *phrases_text(const ls_ynode *v, const char *none)
{
    if (v->kind == LS_YSCALAR) return ls_format("包含“%s”", v->str);
    if (!v->n) return ls_xstrdup(none);
    ls_buf b;
    ls_buf_init(&b);
    ls_buf_puts(&b, "包含");
    for (size_t i = 0; i < v->n; i++) ls_buf_printf(&b, "%s“%s”", i ? "和" : "", v->items[i]->str);
    return b.p;
}

static char *rank_text(const ls_testcase *C, int u)
{
    if (C->r->units[u].rank <= 0)
        return ls_format("%s %s 一票否决，无名次", C->units[u].id, C->units[u].name);
    return ls_format("%s %s 第%d名", C->units[u].id, C->units[u].name, C->r->units[u].rank);
}

/* Where unit u stands in its group's order, for above and tied: its rank,
 * or for a vetoed unit (no rank, listed after the ranked ones) its place
 * in the list, shared with the vetoed units of the same total before it. */
static int standing(const ls_testcase *C, int u)
{
    const ls_run *r = C->r;
    if (r->units[u].rank > 0) return r->units[u].rank;
    int g = C->units[u].group;
    size_t p = 0;
    while (p < r->norder[g] && r->order[g][p] != u) p++;
    while (p > 0 && r->units[r->order[g][p - 1]].veto >= 0 &&
           r->units[r->order[g][p - 1]].total == r->units[u].total)
        p--;
    return (int)p + 1;
}

/* above: [a, b, c] means a above b above c. */
static void check_above(ls_testcase *C, const ls_expect *x, const ls_ynode *v)
{
    if (v->n && v->items[0]->kind == LS_YSEQ) {
        for (size_t i = 0; i < v->n; i++) check_above(C, x, v->items[i]);
        return;
    }
    for (size_t i = 0; i + 1 < v->n; i++) {
        int a = ls_expect_find_unit(C, v->items[i], v->items[i]->str);
        int b = ls_expect_find_unit(C, v->items[i + 1], v->items[i + 1]->str);
        if (standing(C, a) < standing(C, b)) continue;
        fail_head(C, x);
        char *want = ls_format("%s 排名高于 %s", v->items[i]->str, v->items[i + 1]->str);
        char *ra = rank_text(C, a), *rb = rank_text(C, b);
        char *got = ls_format("%s，%s", ra, rb);
        put_expected_actual(C, want, got);
        cohort_table(C, C->units[a].group);
        free(want);
        free(ra);
        free(rb);
        free(got);
        return;
    }
}

static void check_tied(ls_testcase *C, const ls_expect *x, const ls_ynode *v)
{
    if (v->n && v->items[0]->kind == LS_YSEQ) {
        for (size_t i = 0; i < v->n; i++) check_tied(C, x, v->items[i]);
        return;
    }
    int first = ls_expect_find_unit(C, v->items[0], v->items[0]->str), same = 1;
    for (size_t i = 1; i < v->n; i++) {
        int u = ls_expect_find_unit(C, v->items[i], v->items[i]->str);
        same &= standing(C, u) == standing(C, first);
    }
    if (same) return;
    fail_head(C, x);
    ls_buf want, got;
    ls_buf_init(&want);
    ls_buf_init(&got);
    for (size_t i = 0; i < v->n; i++) {
        int u = ls_expect_find_unit(C, v->items[i], v->items[i]->str);
        char *t = rank_text(C, u);
        ls_buf_printf(&want, "%s%s", i ? "、" : "", v->items[i]->str);
        ls_buf_printf(&got, "%s%s", i ? "，" : "", t);
        free(t);
    }
    ls_buf_puts(&want, " 名次并列");
    put_expected_actual(C, want.p, got.p);
    cohort_table(C, C->units[first].group);
    ls_buf_cleanup(&want);
    ls_buf_cleanup(&got);
}

static void check_exp(ls_testcase *C, const ls_expect *x)
{
    const ls_scheme *s = C->s;
    const ls_run *r = C->r;
    const ls_unit_result *ur = x->unit >= 0 ? &r->units[x->unit] : NULL;
    char a[64];
    char *want = NULL, *got = NULL;
    switch (x->kind) {
    case LS_EXP_ITEM: {
        const ls_cell *c = ls_run_cell(r, (size_t)x->unit, (size_t)x->node);
        const char *actual = ls_explain_score(r, (size_t)x->unit, (size_t)x->node, a);
        int ok = c->state == LS_CELL_NA          ? x->item == LS_ITEM_NA
                 : c->state == LS_CELL_ERROR     ? 0
                 : x->item == LS_ITEM_VETOED     ? c->score != 0
                 : x->item == LS_ITEM_NOT_VETOED ? c->score == 0
                                                 : x->item == LS_ITEM_SCORE && num_eq(C, x->num, c->score);
        if (ok) return;
        fail_head(C, x);
        want = expected_text(C, x);
        put_expected_actual(C, want, c->state == LS_CELL_ERROR ? "错误（规则出错，见扣分理由）" : actual);
        item_context(C, x->unit, x->node, 1);
        break;
    }
    case LS_EXP_REASONS: {
        char *e = ls_explain_cell(r, (size_t)x->unit, (size_t)x->node);
        if (has_phrases(e, x->val)) {
            free(e);
            return;
        }
        fail_head(C, x);
        want = phrases_text(x->val, "（无扣分理由）");
        put_expected_actual(C, want, *e ? e : "（无）");
        free(e);
        put_field(C->out, "得分", ls_explain_score(r, (size_t)x->unit, (size_t)x->node, a));
        item_context(C, x->unit, x->node, 0);
        break;
    }
    case LS_EXP_TOTAL:
    case LS_EXP_BONUS:
    case LS_EXP_DEDUCT: {
        ls_fixed v = x->kind == LS_EXP_TOTAL ? ur->total : x->kind == LS_EXP_BONUS ? ur->bonus
                                                                                   : ur->deduct;
        if (num_eq(C, x->num, v)) return;
        fail_head(C, x);
        want = expected_text(C, x);
        put_expected_actual(C, want, fixed_text(C, v, a));
        unit_context(C, x->unit, x->kind != LS_EXP_TOTAL);
        break;
    }
    case LS_EXP_GRADE: {
        const char *g = ls_explain_grade(r, (size_t)x->unit);
        if (!strcmp(g, x->text)) return;
        fail_head(C, x);
        put_expected_actual(C, x->text, g);
        unit_context(C, x->unit, 1);
        break;
    }
    case LS_EXP_RANK:
        /* x->num 0: 无名次, a vetoed unit (rank 0) */
        if (ur->rank == (int)x->num || (x->num == 0 && ur->rank <= 0)) return;
        fail_head(C, x);
        got = ur->rank > 0 ? ls_format("%d", ur->rank) : ls_xstrdup("无名次（一票否决）");
        put_expected_actual(C, x->num == 0 ? "无名次（一票否决）" : x->val->str, got);
        cohort_table(C, C->units[x->unit].group);
        break;
    case LS_EXP_VETO: {
        int ok = x->veto == LS_VETO_NONE  ? ur->veto < 0
                 : x->veto == LS_VETO_ANY ? ur->veto >= 0
                                          : ur->veto == x->node;
        if (ok) return;
        fail_head(C, x);
        want = x->veto == LS_VETO_BY_NODE
                   ? ls_format("否决（%s %s）", s->nodes[x->node].number, s->nodes[x->node].name)
                   : ls_xstrdup(x->veto == LS_VETO_ANY ? "否决" : "未否决");
        got = ur->veto >= 0 ? ls_format("否决（%s %s）", s->nodes[ur->veto].number, s->nodes[ur->veto].name)
                            : ls_xstrdup("未否决");
        put_expected_actual(C, want, got);
        unit_context(C, x->unit, 1);
        break;
    }
    case LS_EXP_NOTES: {
        char *n = ls_explain_unit(r, (size_t)x->unit);
        if (has_phrases(n, x->val)) {
            free(n);
            return;
        }
        fail_head(C, x);
        want = phrases_text(x->val, "（无说明）");
        put_expected_actual(C, want, *n ? n : "（无）");
        free(n);
        unit_context(C, x->unit, 1);
        break;
    }
    case LS_EXP_COUNT: {
        size_t n = 0;
        for (size_t u = 0; u < C->nunits; u++)
            if ((x->group < 0 || C->units[u].group == x->group) && !strcmp(ls_explain_grade(r, u), x->text))
                n++;
        if ((double)n == x->num) return;
        fail_head(C, x);
        want = ls_format("%s个单位", x->val->str);
        got = ls_format("%zu个单位", n);
        put_expected_actual(C, want, got);
        cohort_table(C, x->group);
        break;
    }
    case LS_EXP_ABOVE:
        check_above(C, x, x->val);
        break;
    case LS_EXP_TIED:
        check_tied(C, x, x->val);
        break;
    case LS_EXP_ERROR: {
        ls_buf all;
        ls_buf_init(&all);
        for (size_t i = 0; i < C->rerrs.n; i++) {
            char *m = ls_diag_format(&C->rerrs.v[i]);
            int hit = has_phrases(m, x->val);
            ls_buf_printf(&all, "%s%s", all.n ? "\n" : "", m);
            free(m);
            if (hit) {
                ls_buf_cleanup(&all);
                return;
            }
        }
        fail_head(C, x);
        want = phrases_text(x->val, "");
        char *w2 = ls_format("规则出错，信息%s", want);
        put_expected_actual(C, w2, all.n ? all.p : "（没有规则出错）");
        free(w2);
        ls_buf_cleanup(&all);
        break;
    }
    }
    free(want);
    free(got);
}

void ls_testcheck_case(ls_testcase *C)
{
    for (size_t i = 0; i < C->nx; i++) check_exp(C, &C->x[i]);
}
