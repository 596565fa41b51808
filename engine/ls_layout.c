/*
 * ls_layout.c - the office documents' tables (see ls_layout.h).
 */
#include "ls_layout.h"

#include <stdlib.h>
#include <string.h>

#include "ls_diff.h"
#include "ls_explain.h"
#include "ls_results_run.h"
#include "ls_util.h"

const char *const ls_layout_signatures[] = {
    "考核组成员签字：",
    "被考核单位确认（盖章）：",
    "日期：        年    月    日",
};
const size_t ls_layout_nsignatures = sizeof ls_layout_signatures / sizeof *ls_layout_signatures;

const char *ls_layout_band_color(size_t i)
{
    static const char *const colors[] = {"#2e7d32", "#1565c0", "#ef8f00",
                                         "#c62828", "#6a1b9a", "#546e7a"};
    return colors[i % (sizeof colors / sizeof *colors)];
}

const char *ls_layout_file_role(const char *role)
{
    static const char *const names[][2] = {
        {"scheme", "考核方案"},
        {"units", "单位名册"},
        {"rule", "评分规则"},
        {"plugin", "插件"},
        {"data", "数据"},
        {"self", "自评表"},
        {"adjustments", "复核决定登记表"},
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(role, names[i][0])) return names[i][1];
    return role;
}

char *ls_layout_option_name(const char *key)
{
    static const char *const names[][2] = {
        {"keep_going", "出错继续（--keep-going）"},
        {"max_instructions", "规则指令上限（--max-instructions）"},
        {"max_memory_mb", "规则内存上限MB（--max-memory-mb）"},
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(key, names[i][0])) return ls_xstrdup(names[i][1]);
    size_t n = strlen(key);
    if (!strncmp(key, "plugin.", 7) && n > 15 && !strcmp(key + n - 8, ".version"))
        return ls_format("插件 %.*s 版本", (int)(n - 15), key + 7);
    return ls_xstrdup(key);
}

const char *ls_layout_option_value(const char *value)
{
    return !strcmp(value, "true") ? "是" : !strcmp(value, "false") ? "否"
                                                                   : value;
}

static void cell_free(ls_lcell *c)
{
    if (c->kind == LS_LC_TEXT) free(c->text);
    memset(c, 0, sizeof *c);
}

void ls_ltable_clear_rows(ls_ltable *t)
{
    for (size_t i = 0; i < t->nrows; i++) {
        for (size_t k = 0; k < t->ncols; k++) cell_free(&t->rows[i].c[k]);
        free(t->rows[i].c);
    }
    t->nrows = 0;
}

void ls_ltable_cleanup(ls_ltable *t)
{
    if (!t) return;
    ls_ltable_clear_rows(t);
    free(t->rows);
    for (size_t k = 0; k < t->ncols; k++) free(t->cols[k].title);
    free(t->cols);
    for (size_t i = 0; i < t->ninfo; i++) free(t->info[i]);
    free(t->info);
    free(t->title);
    memset(t, 0, sizeof *t);
}

static void add_col_own(ls_ltable *t, char *title, ls_lcol_kind kind, int width)
{
    t->cols = ls_xrealloc(t->cols, (t->ncols + 1) * sizeof *t->cols);
    t->cols[t->ncols++] = (ls_lcol){title, kind, width};
}

static void add_col(ls_ltable *t, const char *title, ls_lcol_kind kind, int width)
{
    add_col_own(t, ls_xstrdup(title), kind, width);
}

static void add_info_own(ls_ltable *t, char *line)
{
    t->info = ls_xrealloc(t->info, (t->ninfo + 1) * sizeof *t->info);
    t->info[t->ninfo++] = line;
}

ls_lrow *ls_ltable_add_row(ls_ltable *t, ls_lrow_kind kind)
{
    LS_GROW(t->rows, t->nrows, t->caprows, 64);
    ls_lrow *row = &t->rows[t->nrows++];
    row->kind = kind;
    row->band = -1;
    row->c = ls_xcalloc(t->ncols, sizeof *row->c);
    return row;
}

void ls_ltable_add_line(ls_ltable *t, ls_lrow_kind kind, char *text)
{
    ls_lrow *row = ls_ltable_add_row(t, kind);
    if (text && *text) {
        row->c[0].kind = LS_LC_TEXT;
        row->c[0].text = text;
    } else {
        free(text);
    }
}

/* Cell setters: text is copied ("" and NULL leave the cell empty). */
static void set_text(ls_lrow *row, size_t col, const char *s)
{
    cell_free(&row->c[col]);
    if (!s || !*s) return;
    row->c[col].kind = LS_LC_TEXT;
    row->c[col].text = ls_xstrdup(s);
}

static void set_text_own(ls_lrow *row, size_t col, char *s)
{
    set_text(row, col, s);
    free(s);
}

static void set_score(ls_lrow *row, size_t col, ls_fixed v)
{
    cell_free(&row->c[col]);
    row->c[col].kind = LS_LC_SCORE;
    row->c[col].num = v;
}

static void set_int(ls_lrow *row, size_t col, long v)
{
    cell_free(&row->c[col]);
    row->c[col].kind = LS_LC_INT;
    row->c[col].num = v;
}

static int has_section(const ls_scheme *s, ls_section sec)
{
    for (size_t k = 0; k < s->nleaves; k++)
        if (s->nodes[s->leaves[k]].section == sec) return 1;
    return 0;
}

/* ---- 数据提示 ---- */

char *ls_layout_unit_data_warnings(const ls_run *r, size_t unit)
{
    const ls_dataset *d = r->data;
    if (!d || !d->unit_warning) return NULL;
    ls_buf b;
    ls_buf_init(&b);
    for (int i = d->unit_warning[unit]; i >= 0; i = d->warnings[i].next) {
        const ls_data_warning *w = &d->warnings[i];
        char *text = ls_explain_data_warning(w);
        if (b.n) ls_buf_puts(&b, "；");
        ls_buf_printf(&b, "%s：%s", r->scheme->inds[w->ind].name, text);
        free(text);
    }
    return b.p;
}

char *ls_layout_data_warning_unit(const ls_run *r, const ls_data_warning *w)
{
    if (w->unit < 0) return ls_xstrdup("");
    const ls_unit *u = &r->scheme->units[w->unit];
    if (w->ind < 0) return ls_xstrdup(u->name);
    return ls_format("%s：%s", u->name, r->scheme->inds[w->ind].name);
}

/* ---- 评分表 ---- */

enum {
    S_NUM,
    S_NAME,
    S_POINTS,
    S_CRIT,
    S_SCORE,
    S_WHY,
    /* with 自评分 (--self) and appeals (--adjustments): docs/year.md */
    S_SELF,
    S_SELF_DIFF
};

/* The 复核调整 column: after the 自评分 columns when there are some. */
static size_t s_appeal(const ls_run *r) { return r->self ? S_SELF_DIFF + 1 : S_SELF; }

/* The 自评分 and appeal cells of node i's row, when the run has them. */
static void sheet_year(ls_lrow *row, const ls_run *r, size_t unit, size_t i)
{
    const ls_fixed *self = r->self ? ls_selfscore_get(r->self, unit, i) : NULL;
    const ls_cell *c = ls_run_cell(r, unit, i);
    if (self && r->scheme->nodes[i].section != LS_SEC_VETO) {
        set_score(row, S_SELF, *self);
        if (c->state == LS_CELL_SCORED)
            set_score(row, S_SELF_DIFF, ls_explain_self_delta(r->scheme->nodes[i].section, c->score, *self));
    }
    if (r->original) {
        char *a = ls_explain_appeal(r, unit, i);
        if (*a) set_text_own(row, s_appeal(r), a);
        else free(a);
    }
}

/* The row of one node: scores as numbers (a deduction negative), other
 * states in words. */
static void sheet_node(ls_ltable *t, const ls_run *r, size_t unit, size_t i)
{
    const ls_scheme *s = r->scheme;
    const ls_node *n = &s->nodes[i];
    const ls_cell *c = ls_run_cell(r, unit, i);
    ls_lrow_kind kind = n->nchildren ? (n->depth == 0 ? LS_LR_CATEGORY : LS_LR_SUBITEM)
                                     : LS_LR_ITEM;
    ls_lrow *row = ls_ltable_add_row(t, kind);
    set_text(row, S_NUM, n->number);
    set_text(row, S_NAME, n->name);
    if (n->section != LS_SEC_VETO) set_score(row, S_POINTS, n->points);
    set_text(row, S_CRIT, n->criteria);
    char buf[32];
    if (c->state == LS_CELL_SCORED && n->section != LS_SEC_VETO)
        set_score(row, S_SCORE, n->section == LS_SEC_DEDUCT ? -c->score : c->score);
    else
        set_text(row, S_SCORE, ls_explain_score(r, unit, i, buf));
    /* 不适用 is said by the score column; the reason would repeat it. */
    if (c->state != LS_CELL_NA) set_text_own(row, S_WHY, ls_explain_cell_decided(r, unit, i));
    sheet_year(row, r, unit, i);
}

static void sheet_section(ls_ltable *t, const ls_run *r, size_t unit, ls_section sec)
{
    const ls_scheme *s = r->scheme;
    set_text_own(ls_ltable_add_row(t, LS_LR_SECTION), 0, ls_explain_section(s, sec));
    for (size_t k = 0; k < s->nleaves; k++)
        if (s->nodes[s->leaves[k]].section == sec) sheet_node(t, r, unit, (size_t)s->leaves[k]);
}

/* A summary row: label, value cell set by the caller, note (owned). */
static ls_lrow *summary(ls_ltable *t, const char *label, char *note)
{
    ls_lrow *row = ls_ltable_add_row(t, LS_LR_SUMMARY);
    set_text(row, S_NAME, label);
    set_text_own(row, S_WHY, note);
    return row;
}

void ls_layout_sheet(const ls_run *r, size_t unit, ls_ltable *t)
{
    const ls_scheme *s = r->scheme;
    const ls_unit *un = &s->units[unit];
    const ls_unit_result *ur = &r->units[unit];

    t->digits = s->digits;
    t->title = ls_format("%s评分表", s->name);
    add_info_own(t, ls_format("被考核单位：%s", un->name));
    add_info_own(t, ls_format("组别：%s", s->groups[un->group].name));
    for (size_t f = 0; f < s->nflags && f < LS_MAX_FLAGS; f++) {
        const char *what = s->flag_names[f] && *s->flag_names[f] ? s->flag_names[f] : s->flags[f];
        add_info_own(t, ls_format("%s：%s", what, un->flags >> f & 1 ? "是" : "否"));
    }
    /* A4 portrait: with the 自评分 or 复核调整 columns the texts take less
     * width and the numbers a little more, so that the widest sheet (9
     * columns) prints one page wide at a readable size, "15.00" and
     * "4.2.1" inside their cells (tests/clients) */
    int wide = r->self || r->original;
    add_col(t, "序号", LS_COL_SHORT, wide ? 7 : 6);
    add_col(t, "考核项目", LS_COL_NAME, wide ? 17 : 22);
    add_col(t, "分值", LS_COL_NUM, wide ? 8 : 7);
    add_col(t, "评分标准", LS_COL_LONG, wide ? 27 : 34);
    add_col(t, "考核分", LS_COL_NUM, 8);
    add_col(t, "扣分理由", LS_COL_LONG, wide ? 27 : 34);
    if (r->self) {
        add_col(t, "自评分", LS_COL_NUM, 8);
        add_col(t, "差值", LS_COL_NUM, 8); /* 考核分 − 自评分 */
    }
    if (r->original) add_col(t, "复核调整", LS_COL_LONG, 26);

    for (size_t i = 0; i < s->nnodes; i++)
        if (s->nodes[i].section == LS_SEC_MAIN) sheet_node(t, r, unit, i);
    ls_lrow *row = summary(t, ur->rescaled ? "适用项目合计" : "合计", NULL);
    set_score(row, S_POINTS, ur->rescaled ? ur->applicable : s->total);
    set_score(row, S_SCORE, ur->main_raw);
    if (ur->rescaled) {
        row = summary(t, "折算", ls_explain_unit_note(r, unit, LS_NOTE_RESCALED));
        set_score(row, S_POINTS, s->total);
        set_score(row, S_SCORE, ur->main);
    }
    if (has_section(s, LS_SEC_BONUS)) {
        sheet_section(t, r, unit, LS_SEC_BONUS);
        row = summary(t, "加分合计", ls_explain_unit_note(r, unit, LS_NOTE_BONUS_CAP));
        set_score(row, S_SCORE, ur->bonus);
    }
    if (has_section(s, LS_SEC_DEDUCT)) {
        sheet_section(t, r, unit, LS_SEC_DEDUCT);
        row = summary(t, "扣分合计", NULL);
        set_score(row, S_SCORE, -ur->deduct);
    }
    if (has_section(s, LS_SEC_VETO)) {
        sheet_section(t, r, unit, LS_SEC_VETO);
        char *note = ls_explain_unit_note(r, unit, LS_NOTE_VETO);
        row = summary(t, "一票否决", note);
        set_text(row, S_SCORE, note ? "否决" : "无");
    }
    row = summary(t, "总分", ls_explain_unit_note(r, unit, LS_NOTE_TOTAL_CLAMPED));
    set_score(row, S_SCORE, ur->total);
    row = summary(t, "等次", ls_explain_veto(r, unit) ? ls_xstrdup("一票否决") : ls_explain_unit_note(r, unit, LS_NOTE_QUOTA));
    set_text(row, S_SCORE, ls_explain_grade(r, unit));
    if (ur->rank > 0) {
        char *rank = ls_explain_rank(r, unit), *tie = ls_explain_unit_note(r, unit, LS_NOTE_TIE_BREAK);
        if (tie) {
            char *both = ls_format("%s；%s", rank, tie);
            free(rank);
            free(tie);
            rank = both;
        }
        row = summary(t, "名次", rank);
        set_int(row, S_SCORE, ur->rank);
    } else if (ur->veto >= 0) {
        summary(t, "名次", ls_xstrdup("一票否决，不参加排名"));
    }
    char *note = ls_explain_unit_note(r, unit, LS_NOTE_ERRORS);
    if (note) summary(t, "说明", note);
    note = ls_layout_unit_data_warnings(r, unit);
    if (note) summary(t, "数据提示", note);
    if (r->self && r->self->given[unit]) {
        row = summary(t, "自评分", ls_explain_unit_note(r, unit, LS_NOTE_SELF));
        set_score(row, S_SCORE, r->self->total[unit]);
        set_score(row, S_SELF, r->self->total[unit]);
        set_score(row, S_SELF_DIFF, ur->total - r->self->total[unit]);
    }
    note = ls_explain_unit_note(r, unit, LS_NOTE_APPEAL);
    if (note) {
        row = summary(t, "复核前总分", note);
        set_score(row, S_SCORE, r->original->units[unit].total);
    }
}

size_t ls_layout_sheet_end(const ls_ltable *t)
{
    size_t end = t->nrows;
    for (size_t i = 0; i < t->nrows; i++)
        if (t->rows[i].kind == LS_LR_SUMMARY && t->rows[i].c[S_NAME].kind == LS_LC_TEXT &&
            !strcmp(t->rows[i].c[S_NAME].text, "总分"))
            end = i;
    if (end == t->nrows) return end;
    /* with the veto items and their heading, when the 一票否决 row
     * precedes */
    const ls_lrow *prev = end ? &t->rows[end - 1] : NULL;
    if (prev && prev->kind == LS_LR_SUMMARY && prev->c[S_NAME].kind == LS_LC_TEXT &&
        !strcmp(prev->c[S_NAME].text, "一票否决")) {
        size_t i = end - 1;
        while (i > 0 && t->rows[i].kind != LS_LR_SECTION) i--;
        if (t->rows[i].kind == LS_LR_SECTION) end = i;
    }
    return end;
}

/* ---- 通报 ---- */

char *ls_layout_bands(const ls_run *r, size_t group)
{
    const ls_scheme *s = r->scheme;
    const ls_group *g = &s->groups[group];
    ls_buf b;
    ls_buf_init(&b);
    ls_buf_puts(&b, "等次：");
    char a[32];
    for (size_t i = 0; i < g->nbands; i++) {
        size_t n = 0, vetoed = 0;
        for (size_t k = 0; k < r->norder[group]; k++) {
            const ls_unit_result *ur = &r->units[r->order[group][k]];
            if (ur->band != (int)i) continue;
            n++;
            vetoed += ur->veto >= 0;
        }
        if (i) ls_buf_puts(&b, LS_EXPLAIN_SEP);
        const ls_band *bd = &g->bands[i];
        ls_buf_printf(&b, "%s（", bd->name);
        if (bd->min > 0)
            ls_buf_printf(&b, "%s分及以上", ls_dec_format_short(bd->min, s->digits, a));
        else if (i)
            ls_buf_printf(&b, "%s分以下", ls_dec_format_short(g->bands[i - 1].min, s->digits, a));
        else
            ls_buf_puts(&b, "不限");
        if (bd->max_share > 0) ls_buf_printf(&b, "，不超过本组%.15g%%", bd->max_share * 100);
        ls_buf_printf(&b, "）%zu个", n);
        if (vetoed) ls_buf_printf(&b, "（其中一票否决%zu个）", vetoed);
    }
    return b.p;
}

/* Units of group g that were not vetoed: the ranking sorts them before
 * the vetoed ones, so order[g][0 .. n) are the ranked, the rest vetoed. */
static size_t nranked(const ls_run *r, size_t g)
{
    size_t n = 0;
    while (n < r->norder[g] && r->units[r->order[g][n]].veto < 0) n++;
    return n;
}

/* One unit's row of the 通报: the k-th of its group's order, of which
 * the first `ranked` carry a 名次 (a rank shared with a neighbour in
 * rank order reads 并列N: ties are adjacent). */
static void ranking_unit(ls_ltable *t, const ls_run *r, size_t g, size_t k, size_t ranked)
{
    const ls_scheme *s = r->scheme;
    size_t c_bonus = 2 + s->nroots;
    char a[32];
    size_t u = (size_t)r->order[g][k];
    const ls_unit_result *ur = &r->units[u];
    ls_lrow *row = ls_ltable_add_row(t, LS_LR_UNIT);
    row->band = ur->band;
    if (k < ranked && ur->rank > 0) {
        int shared = (k > 0 && r->units[r->order[g][k - 1]].rank == ur->rank) ||
                     (k + 1 < ranked && r->units[r->order[g][k + 1]].rank == ur->rank);
        if (shared) set_text_own(row, 0, ls_format("并列%d", ur->rank));
        else set_int(row, 0, ur->rank);
    }
    set_text(row, 1, s->units[u].name);
    for (size_t i = 0; i < s->nroots; i++) {
        size_t node = (size_t)s->roots[i];
        const ls_cell *c = ls_run_cell(r, u, node);
        if (c->state == LS_CELL_SCORED) set_score(row, 2 + i, c->score);
        else set_text(row, 2 + i, ls_explain_score(r, u, node, a));
    }
    set_score(row, c_bonus, ur->bonus);
    set_score(row, c_bonus + 1, ur->deduct);
    set_score(row, c_bonus + 2, ur->total);
    set_text(row, c_bonus + 3, ls_explain_grade(r, u));
    /* with appeals (docs/year.md): before 说明, the last column; 自评分
     * is not the public 通报's (the office's 自评对照: ls_layout_self) */
    size_t c = c_bonus + 4;
    /* only where the appeals changed it: a column repeating 总分 for
     * every untouched unit hides the few that changed */
    if (r->original && r->original->units[u].total != ur->total) set_score(row, c, r->original->units[u].total);
    set_text_own(row, t->ncols - 1, ls_explain_unit_public(r, u));
}

void ls_layout_ranking_head(const ls_run *r, ls_ltable *t)
{
    const ls_scheme *s = r->scheme;
    char a[32];
    t->digits = s->digits;
    t->title = ls_format("%s结果通报", s->name);
    add_col(t, "名次", LS_COL_SHORT, 8);
    add_col(t, "单位", LS_COL_NAME, 20);
    for (size_t i = 0; i < s->nroots; i++) {
        const ls_node *n = &s->nodes[s->roots[i]];
        add_col_own(t, ls_format("%s（%s分）", n->name, ls_dec_format_short(n->points, s->digits, a)),
                    LS_COL_NUM, 10);
    }
    add_col(t, "加分", LS_COL_NUM, 7);
    add_col(t, "扣分", LS_COL_NUM, 7);
    add_col(t, r->original ? "总分（复核后）" : "总分", LS_COL_NUM, 8);
    add_col(t, "等次", LS_COL_SHORT, 7);
    /* with appeals (docs/year.md), before 说明 */
    if (r->original) add_col(t, "复核前总分", LS_COL_NUM, 10);
    add_col(t, "说明", LS_COL_LONG, 36);
}

int ls_layout_self(const ls_run *r, ls_ltable *t)
{
    if (!r->self) return 0;
    const ls_scheme *s = r->scheme;
    t->digits = s->digits;
    t->title = ls_xstrdup("自评分与考核分对照（考核办内部使用，不随通报公布）");
    add_col(t, "组别", LS_COL_NAME, 16);
    add_col(t, "单位", LS_COL_NAME, 20);
    add_col(t, "考核分", LS_COL_NUM, 8);
    add_col(t, "自评分", LS_COL_NUM, 8);
    add_col(t, "差值", LS_COL_NUM, 8); /* 考核分 − 自评分 */
    add_col(t, "说明", LS_COL_LONG, 40);
    for (size_t g = 0; g < s->ngroups; g++)
        for (size_t k = 0; k < r->norder[g]; k++) {
            size_t u = (size_t)r->order[g][k];
            const ls_unit_result *ur = &r->units[u];
            ls_lrow *row = ls_ltable_add_row(t, LS_LR_UNIT);
            row->band = -1;
            set_text(row, 0, s->groups[g].name);
            set_text(row, 1, s->units[u].name);
            set_score(row, 2, ur->total);
            if (r->self->given[u]) {
                set_score(row, 3, r->self->total[u]);
                set_score(row, 4, ur->total - r->self->total[u]);
            } else {
                set_text(row, 3, "未报");
            }
            char *note = ls_explain_unit_note(r, u, LS_NOTE_SELF);
            if (note) set_text_own(row, 5, note);
        }
    return 1;
}

char *ls_layout_ranking_heading(const ls_run *r, size_t g)
{
    return ls_format("%s（%zu个单位）", r->scheme->groups[g].name, r->norder[g]);
}

size_t ls_layout_ranking_units(const ls_run *r, size_t g, size_t from, size_t max, ls_ltable *t)
{
    size_t n = r->norder[g], ranked = nranked(r, g);
    /* rows: the ranked units, then (when some were vetoed) the heading
     * 一票否决单位 and the vetoed units, as a 通报 lists them apart */
    size_t rows = n > ranked ? n + 1 : n, added = 0;
    for (size_t i = from; i < rows && added < max; i++, added++) {
        if (i < ranked)
            ranking_unit(t, r, g, i, ranked);
        else if (i == ranked)
            set_text_own(ls_ltable_add_row(t, LS_LR_SECTION), 0,
                         ls_format("一票否决单位（%zu个）", n - ranked));
        else
            ranking_unit(t, r, g, i - 1, ranked);
    }
    return added;
}

void ls_layout_ranking(const ls_run *r, ls_ltable *t)
{
    ls_layout_ranking_head(r, t);
    for (size_t g = 0; g < r->scheme->ngroups; g++) {
        set_text_own(ls_ltable_add_row(t, LS_LR_GROUP), 0, ls_layout_ranking_heading(r, g));
        ls_layout_ranking_units(r, g, 0, (size_t)-1, t);
        set_text_own(ls_ltable_add_row(t, LS_LR_NOTE), 0, ls_layout_bands(r, g));
    }
}

/* ---- 扣分明细 ---- */

void ls_layout_losses_head(const ls_run *r, ls_ltable *t)
{
    t->digits = r->scheme->digits;
    t->title = ls_format("%s扣分明细", r->scheme->name);
    add_col(t, "单位编号", LS_COL_SHORT, 9);
    add_col(t, "单位名称", LS_COL_NAME, 18);
    add_col(t, "组别", LS_COL_SHORT, 10);
    add_col(t, "序号", LS_COL_SHORT, 6);
    add_col(t, "考核项目", LS_COL_NAME, 24);
    add_col(t, "分值", LS_COL_NUM, 7);
    add_col(t, "考核分", LS_COL_NUM, 8);
    add_col(t, "扣分", LS_COL_NUM, 7);
    add_col(t, "扣分理由", LS_COL_LONG, 40);
    add_col(t, "使用的指标", LS_COL_LONG, 36);
    if (r->original) add_col(t, "复核", LS_COL_LONG, 30);
}

size_t ls_layout_losses_unit(const ls_run *r, size_t unit, ls_ltable *t)
{
    const ls_scheme *s = r->scheme;
    size_t added = 0;
    char buf[32];
    for (size_t k = 0; k < s->nleaves; k++) {
        size_t i = (size_t)s->leaves[k];
        const ls_node *n = &s->nodes[i];
        const ls_cell *c = ls_run_cell(r, unit, i);
        if (c->state == LS_CELL_NA) continue;
        int scored = c->state == LS_CELL_SCORED;
        int shows = !scored || (n->section == LS_SEC_MAIN ? c->score < n->points : c->score != 0);
        /* an item the appeals changed shows, also when it no longer
         * loses points: the 通报 quoting 扣分明细 names what was decided */
        char *appeal = r->original ? ls_explain_appeal_brief(r, unit, i) : NULL;
        const ls_cell *oc = r->original ? ls_run_cell(r->original, unit, i) : c;
        int changed = oc->state != c->state || oc->score != c->score;
        if (!shows && !(appeal && *appeal && changed)) {
            free(appeal);
            continue;
        }
        ls_lrow *row = ls_ltable_add_row(t, LS_LR_UNIT);
        added++;
        set_text(row, 0, s->units[unit].id);
        set_text(row, 1, s->units[unit].name);
        set_text(row, 2, s->groups[s->units[unit].group].name);
        set_text(row, 3, n->number);
        set_text(row, 4, n->name);
        if (n->section != LS_SEC_VETO) set_score(row, 5, n->points);
        if (scored && n->section != LS_SEC_VETO) {
            set_score(row, 6, n->section == LS_SEC_DEDUCT ? -c->score : c->score);
            if (n->section == LS_SEC_MAIN) set_score(row, 7, n->points - c->score);
            else if (n->section == LS_SEC_DEDUCT) set_score(row, 7, c->score);
        } else {
            set_text(row, 6, ls_explain_score(r, unit, i, buf));
        }
        set_text_own(row, 8, ls_explain_cell_decided(r, unit, i));
        set_text_own(row, 9, ls_explain_reads(r, unit, i));
        if (appeal) set_text_own(row, 10, appeal);
    }
    return added;
}

/* ---- 主要失分项目 ---- */

typedef struct loss {
    size_t node, units;
    ls_fixed lost;
} loss;

static int cmp_loss(const void *a, const void *b)
{
    const loss *x = a, *y = b;
    if (x->units != y->units) return x->units < y->units ? 1 : -1;
    if (x->lost != y->lost) return x->lost < y->lost ? 1 : -1;
    return x->node < y->node ? -1 : x->node > y->node;
}

void ls_layout_common_losses(const ls_run *r, size_t group, size_t max, ls_ltable *t)
{
    const ls_scheme *s = r->scheme;
    t->digits = s->digits;
    t->title = ls_format("%s主要失分项目", s->groups[group].name);
    add_col(t, "序号", LS_COL_SHORT, 6);
    add_col(t, "考核项目", LS_COL_NAME, 24);
    add_col(t, "分值", LS_COL_NUM, 7);
    add_col(t, "失分单位数", LS_COL_NUM, 8);
    add_col(t, "平均失分", LS_COL_NUM, 8);
    add_col(t, "失分单位", LS_COL_LONG, 50);
    loss *v = ls_xcalloc(s->nleaves ? s->nleaves : 1, sizeof *v);
    size_t n = 0;
    for (size_t k = 0; k < s->nleaves; k++) {
        size_t i = (size_t)s->leaves[k];
        if (s->nodes[i].section != LS_SEC_MAIN) continue;
        loss l = {i, 0, 0};
        for (size_t j = 0; j < r->norder[group]; j++) {
            const ls_cell *c = ls_run_cell(r, (size_t)r->order[group][j], i);
            if (c->state != LS_CELL_SCORED || c->score >= s->nodes[i].points) continue;
            l.units++;
            l.lost += s->nodes[i].points - c->score;
        }
        if (l.units) v[n++] = l;
    }
    qsort(v, n, sizeof *v, cmp_loss);
    for (size_t k = 0; k < n && k < max; k++) {
        const ls_node *nd = &s->nodes[v[k].node];
        ls_lrow *row = ls_ltable_add_row(t, LS_LR_ITEM);
        set_text(row, 0, nd->number);
        set_text(row, 1, nd->name);
        set_score(row, 2, nd->points);
        set_int(row, 3, (long)v[k].units);
        /* half up, like every other rounding of the engine */
        ls_fixed u = (ls_fixed)v[k].units;
        set_score(row, 4, (v[k].lost * 2 + u) / (2 * u));
        ls_buf b;
        ls_buf_init(&b);
        size_t named = 0;
        for (size_t j = 0; j < r->norder[group] && named < LS_LAYOUT_MAX_NAMES; j++) {
            size_t un = (size_t)r->order[group][j];
            const ls_cell *c = ls_run_cell(r, un, v[k].node);
            if (c->state != LS_CELL_SCORED || c->score >= nd->points) continue;
            if (b.n) ls_buf_puts(&b, "、");
            ls_buf_puts(&b, s->units[un].name);
            named++;
        }
        /* a province's thousands of names help nobody write the 通报:
         * the first ones in rank order, and how many in all */
        if (named < v[k].units) ls_buf_printf(&b, "等%zu个单位", v[k].units);
        set_text(row, 5, b.p);
        ls_buf_cleanup(&b);
    }
    free(v);
}

/* ---- 复核调整情况 ---- */

void ls_layout_diff(const ls_results *a, const ls_results *b, const char *title, ls_ltable *changes,
                    ls_ltable *decisions)
{
    ls_diff_lines d;
    ls_diff_lines_make(a, b, &d);
    changes->digits = decisions->digits = b->digits;
    changes->title = ls_xstrdup(title);
    add_col(changes, "变动情况", LS_COL_LONG, 100);
    for (size_t i = 0; i < d.n; i++) {
        int g = d.v[i].group;
        /* a group's heading before its first line */
        if (i == 0 || d.v[i - 1].group != g)
            set_text(ls_ltable_add_row(changes, LS_LR_GROUP), 0, g >= 0 ? b->groups[g].name : "不再考核");
        set_text(ls_ltable_add_row(changes, LS_LR_UNIT), 0, d.v[i].text);
    }
    set_text_own(ls_ltable_add_row(changes, LS_LR_NOTE), 0, ls_diff_summary(d.changed));
    ls_diff_lines_cleanup(&d);

    decisions->title = ls_xstrdup("复核决定");
    /* 依据 (a 文号 such as 东法考〔2018〕3号) and 日期 never wrap: wide
     * enough for them on A4 portrait, the 理由 takes what is left */
    add_col(decisions, "单位", LS_COL_NAME, 14);
    add_col(decisions, "复核事项", LS_COL_NAME, 22);
    add_col(decisions, "变更", LS_COL_SHORT, 11);
    add_col(decisions, "理由", LS_COL_LONG, 35);
    add_col(decisions, "依据", LS_COL_SHORT, 20);
    add_col(decisions, "决定人", LS_COL_NAME, 14);
    add_col(decisions, "日期", LS_COL_SHORT, 13);
    for (size_t i = 0; i < b->nadj; i++) {
        const ls_radj *e = &b->adj[i];
        if (!ls_diff_adj_new(a, e)) continue;
        int u = ls_results_find_unit(b, e->unit, NULL, 0);
        int data = !strcmp(e->kind, "data");
        ls_lrow *row = ls_ltable_add_row(decisions, LS_LR_ITEM);
        set_text(row, 0, u >= 0 ? b->units[u].name : e->unit);
        /* a score decision that keeps the score: an appeal rejected */
        int keeps = !data && !strcmp(e->old, e->new_);
        const char *kind = data ? "更正数据" : keeps ? "维持原评分"
                                                     : "核定得分";
        set_text_own(row, 1, ls_format("%s：%s", kind, e->what ? e->what : e->target));
        set_text_own(row, 2, keeps ? ls_xstrdup(e->new_) : ls_format("%s→%s", e->old, e->new_));
        set_text(row, 3, e->reason);
        set_text(row, 4, e->basis);
        set_text(row, 5, e->by);
        set_text(row, 6, e->date);
    }
    /* the decisions of a that b withdrew (a re-publication with
     * --withdraw), each with what it had changed, as diff's line names
     * them ("撤销复核决定 …（核定得分 0.00→1.00）") */
    for (size_t i = 0; i < a->nadj; i++) {
        const ls_radj *e = &a->adj[i];
        if (!ls_diff_adj_withdrawn(a, b, e)) continue;
        int u = ls_results_find_unit(b, e->unit, NULL, 0);
        int data = !strcmp(e->kind, "data");
        ls_lrow *row = ls_ltable_add_row(decisions, LS_LR_ITEM);
        set_text(row, 0, u >= 0 ? b->units[u].name : e->unit);
        set_text_own(row, 1,
                     ls_format("撤销%s：%s", data ? "更正数据" : "核定得分", e->what ? e->what : e->target));
        set_text_own(row, 2, ls_format("%s→%s", e->old, e->new_));
        set_text(row, 3, e->reason);
        set_text(row, 4, e->basis);
        set_text(row, 5, e->by);
        set_text(row, 6, e->date);
    }
}

int ls_layout_appeals(const ls_run *r, ls_ltable *changes, ls_ltable *decisions)
{
    if (!r->original || !r->adj) return 0;
    ls_results *a = ls_results_from_run(r->original, "复核前");
    ls_results *b = ls_results_from_run(r, "复核后");
    ls_layout_diff(a, b, "复核调整情况", changes, decisions);
    ls_results_free(a);
    ls_results_free(b);
    return 1;
}
