/*
 * ls_sheet.c - one unit's score sheet as aligned text (see ls_sheet.h).
 *
 * The sheet is built as a list of entries (table rows, and text lines
 * placed under a row or between sections), the column widths are worked
 * out over the rows, then everything is printed in order.
 */
#include "ls_sheet.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ls_explain.h"
#include "ls_util.h"

/* 序号, 考核项目, 分值, 考核分, 自评分, 差值, 扣分理由; the two columns of
 * 自评分 show only when the run has self-scores */
#define NCOLS 7
#define COL_SELF 4
static const int right[NCOLS] = {0, 0, 1, 1, 1, 1, 0};

typedef enum {
    E_ROW,  /* cells in the columns */
    E_NOTE, /* a line starting at the 考核项目 column (under an item) */
    E_TEXT  /* a line starting at the left margin ("" = blank line) */
} entry_kind;

typedef struct entry {
    entry_kind kind;
    char *cell[NCOLS]; /* E_ROW: owned, NULL = empty; else cell[0] */
} entry;

typedef struct sheet {
    entry *v;
    size_t n, cap;
    int self; /* the 自评分 columns show */
} sheet;

static entry *add_entry(sheet *sh, entry_kind kind)
{
    LS_GROW(sh->v, sh->n, sh->cap, 64);
    entry *e = &sh->v[sh->n++];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    return e;
}

static void add_row7(sheet *sh, const char *c0, const char *c1, const char *c2, const char *c3,
                     const char *s0, const char *s1, const char *c4)
{
    entry *e = add_entry(sh, E_ROW);
    const char *c[NCOLS] = {c0, c1, c2, c3, s0, s1, c4};
    for (int i = 0; i < NCOLS; i++) e->cell[i] = c[i] && *c[i] ? ls_xstrdup(c[i]) : NULL;
}

/* A line of the given kind: prefix followed by text (owned, freed here). */
static void add_line_own(sheet *sh, entry_kind kind, const char *prefix, char *text)
{
    add_entry(sh, kind)->cell[0] = ls_format("%s%s", prefix, text);
    free(text);
}

static void add_line(sheet *sh, entry_kind kind, const char *text)
{
    add_entry(sh, kind)->cell[0] = ls_xstrdup(text);
}

static void add_row(sheet *sh, const char *c0, const char *c1, const char *c2, const char *c3,
                    const char *c4)
{
    add_row7(sh, c0, c1, c2, c3, NULL, NULL, c4);
}

static void sheet_cleanup(sheet *sh)
{
    for (size_t i = 0; i < sh->n; i++)
        for (int k = 0; k < NCOLS; k++) free(sh->v[i].cell[k]);
    free(sh->v);
}

static void pad(FILE *out, int n)
{
    for (; n > 0; n--) fputc(' ', out);
}

/* Display width of the bracketed tail of a right-aligned cell
 * ("12.00（15）" -> the width of "（15）"), 0 without one: numbers stay
 * aligned, brackets hang to their right. */
static int tail_width(const char *s)
{
    const char *t = s ? strstr(s, "（") : NULL;
    return t ? ls_display_width(t) : 0;
}

static void sheet_print(const sheet *sh, FILE *out)
{
    int w[NCOLS] = {0}, tail[NCOLS] = {0};
    for (size_t i = 0; i < sh->n; i++) {
        if (sh->v[i].kind != E_ROW) continue;
        for (int c = 0; c < NCOLS; c++) {
            int t = right[c] ? tail_width(sh->v[i].cell[c]) : 0;
            if (t > tail[c]) tail[c] = t;
        }
    }
    for (size_t i = 0; i < sh->n; i++) {
        if (sh->v[i].kind != E_ROW) continue;
        for (int c = 0; c < NCOLS; c++) {
            const char *cell = sh->v[i].cell[c];
            int dw = cell ? ls_display_width(cell) : 0;
            if (right[c]) dw += tail[c] - tail_width(cell);
            if (dw > w[c]) w[c] = dw;
        }
    }
    for (size_t i = 0; i < sh->n; i++) {
        const entry *e = &sh->v[i];
        if (e->kind == E_TEXT) {
            fprintf(out, "%s\n", e->cell[0]);
            continue;
        }
        if (e->kind == E_NOTE) {
            pad(out, w[0] + 2);
            fprintf(out, "%s\n", e->cell[0]);
            continue;
        }
        /* Spaces are written only before a later cell: no trailing blanks. */
        int pending = 0;
        for (int c = 0; c < NCOLS; c++) {
            if (!sh->self && (c == COL_SELF || c == COL_SELF + 1)) continue;
            const char *s = e->cell[c] ? e->cell[c] : "";
            int hang = right[c] ? tail[c] - tail_width(s) : 0; /* room for a tail */
            int gap = w[c] - ls_display_width(s) - hang;
            if (c) pending += 2;
            if (right[c]) pending += gap;
            if (*s) {
                pad(out, pending);
                pending = 0;
                fputs(s, out);
            }
            if (!right[c]) pending += gap;
            else pending += hang;
        }
        fputc('\n', out);
    }
}

/* Whether the sheet shows the item's 评分标准: when it cost or earned the
 * unit something (lost points, a deduction, a bonus, a veto) or failed. */
static int shows_criteria(const ls_node *n, const ls_cell *c)
{
    if (!n->criteria || !*n->criteria) return 0;
    if (c->state == LS_CELL_ERROR) return 1;
    if (c->state != LS_CELL_SCORED) return 0;
    return n->section == LS_SEC_MAIN ? c->score < n->points : c->score != 0;
}

/* The points of the items under node i that apply to the unit (all of
 * node i's points when none is 不适用). */
static ls_fixed applicable_points(const ls_run *r, size_t unit, size_t i)
{
    const ls_node *n = &r->scheme->nodes[i];
    if (!n->nchildren) return ls_run_cell(r, unit, i)->state == LS_CELL_NA ? 0 : n->points;
    ls_fixed sum = 0;
    for (size_t k = 0; k < n->nchildren; k++)
        sum += applicable_points(r, unit, (size_t)n->children[k]);
    return sum;
}

/* The 分值 of node i on this unit's sheet: its points, or, for a category
 * of which only some items apply, the applicable points with the scheme's
 * in brackets ("12.00（15）"), so the column adds up to 适用项目合计.
 * Empty for veto items and items without points of their own. */
static const char *points_text(const ls_run *r, size_t unit, size_t i, char *buf, size_t size)
{
    const ls_scheme *s = r->scheme;
    const ls_node *n = &s->nodes[i];
    char a[32], b[32];
    if (n->section == LS_SEC_VETO || n->no_points) return "";
    ls_fixed ap = n->nchildren && n->section == LS_SEC_MAIN ? applicable_points(r, unit, i)
                                                            : n->points;
    if (ap == n->points || ap == 0) return ls_dec_format(n->points, s->digits, buf);
    snprintf(buf, size, "%s（%s）", ls_dec_format(ap, s->digits, a),
             ls_dec_format_short(n->points, s->digits, b));
    return buf;
}

/* The row of node i and, for a leaf, the lines under it. */
static void add_node(sheet *sh, const ls_run *r, size_t unit, size_t i)
{
    const ls_scheme *s = r->scheme;
    const ls_node *n = &s->nodes[i];
    const ls_cell *c = ls_run_cell(r, unit, i);
    char pts[80], sc[32];
    /* 不适用 is said by the score column; the reason would repeat it. */
    char *why = c->state == LS_CELL_NA ? ls_xstrdup("") : ls_explain_cell_decided(r, unit, i);
    char se[32], sd[32];
    add_row7(sh, n->number, n->name, points_text(r, unit, i, pts, sizeof pts),
             ls_explain_score(r, unit, i, sc), ls_explain_self(r, unit, i, se),
             ls_explain_self_diff(r, unit, i, sd), why);
    free(why);
    char *appeal = ls_explain_appeal(r, unit, i);
    if (*appeal) add_line_own(sh, E_NOTE, "复核：", appeal);
    else free(appeal);
    const ls_fixed *self = r->self ? ls_selfscore_get(r->self, unit, i) : NULL;
    if (self && r->self->note[unit * s->nnodes + i])
        add_line_own(sh, E_NOTE, "自评说明：", ls_xstrdup(r->self->note[unit * s->nnodes + i]));
    if (n->nchildren || c->state == LS_CELL_NA) return;
    char *reads = ls_explain_reads_units(r, unit, i);
    if (*reads) add_line_own(sh, E_NOTE, "使用的指标：", reads);
    else free(reads);
    if (shows_criteria(n, c)) add_line_own(sh, E_NOTE, "评分标准：", ls_xstrdup(n->criteria));
}

/* The leaves of a section other than MAIN, under a heading. */
static void add_section(sheet *sh, const ls_run *r, size_t unit, ls_section sec,
                        const char *heading)
{
    const ls_scheme *s = r->scheme;
    int first = 1;
    for (size_t k = 0; k < s->nleaves; k++) {
        size_t i = (size_t)s->leaves[k];
        if (s->nodes[i].section != sec) continue;
        if (first) {
            add_line(sh, E_TEXT, "");
            add_line(sh, E_TEXT, heading);
        }
        first = 0;
        add_node(sh, r, unit, i);
    }
}

static int has_section(const ls_scheme *s, ls_section sec)
{
    for (size_t k = 0; k < s->nleaves; k++)
        if (s->nodes[s->leaves[k]].section == sec) return 1;
    return 0;
}

/* "label：value" followed by a note in brackets when there is one (the
 * note is owned and freed). */
static void add_summary(sheet *sh, const char *label, const char *value, char *note)
{
    if (note && *note) add_line_own(sh, E_TEXT, "", ls_format("%s：%s（%s）", label, value, note));
    else add_line_own(sh, E_TEXT, "", ls_format("%s：%s", label, value));
    free(note);
}

static void build(sheet *sh, const ls_run *r, size_t unit)
{
    const ls_scheme *s = r->scheme;
    const ls_unit *un = &s->units[unit];
    const ls_unit_result *ur = &r->units[unit];
    char a[32], b[32];

    add_line_own(sh, E_TEXT, "", ls_format("%s评分表", s->name));
    add_line(sh, E_TEXT, "");
    add_line_own(sh, E_TEXT, "单位：", ls_format("%s（%s）", un->name, un->id));
    add_line_own(sh, E_TEXT, "组别：", ls_xstrdup(s->groups[un->group].name));
    for (size_t f = 0; f < s->nflags && f < LS_MAX_FLAGS; f++) {
        const char *what = s->flag_names[f] && *s->flag_names[f] ? s->flag_names[f] : s->flags[f];
        add_line_own(sh, E_TEXT, "",
                     ls_format("%s：%s", what, un->flags >> f & 1 ? "是" : "否"));
    }
    add_line(sh, E_TEXT, "");

    sh->self = r->self != NULL;
    add_row7(sh, "序号", "考核项目", "分值", "考核分", "自评分", "差值", "扣分理由");
    for (size_t i = 0; i < s->nnodes; i++)
        if (s->nodes[i].section == LS_SEC_MAIN) add_node(sh, r, unit, i);
    static const ls_section secs[] = {LS_SEC_BONUS, LS_SEC_DEDUCT, LS_SEC_VETO};
    for (size_t k = 0; k < sizeof secs / sizeof *secs; k++) {
        char *h = ls_explain_section(s, secs[k]);
        add_section(sh, r, unit, secs[k], h);
        free(h);
    }

    /* The summary: category subtotals in the table's columns, then the
     * steps from the tree's total to the grade. */
    add_line(sh, E_TEXT, "");
    add_line(sh, E_TEXT, "得分汇总");
    for (size_t k = 0; k < s->nroots; k++) {
        size_t i = (size_t)s->roots[k];
        char pts[80];
        add_row(sh, s->nodes[i].number, s->nodes[i].name, points_text(r, unit, i, pts, sizeof pts),
                ls_explain_score(r, unit, i, b), NULL);
    }
    add_row(sh, NULL, ur->rescaled ? "适用项目合计" : "合计",
            ls_dec_format(ur->rescaled ? ur->applicable : s->total, s->digits, a),
            ls_dec_format(ur->main_raw, s->digits, b), NULL);
    char *note = ls_explain_unit_note(r, unit, LS_NOTE_RESCALED);
    if (note) add_line_own(sh, E_TEXT, "折算：", note);
    if (has_section(s, LS_SEC_BONUS))
        add_summary(sh, "加分", ls_dec_format(ur->bonus, s->digits, a),
                    ls_explain_unit_note(r, unit, LS_NOTE_BONUS_CAP));
    if (has_section(s, LS_SEC_DEDUCT))
        add_summary(sh, "扣分", ls_dec_format(ur->deduct, s->digits, a), NULL);
    if (has_section(s, LS_SEC_VETO)) {
        note = ls_explain_unit_note(r, unit, LS_NOTE_VETO);
        if (note) add_line_own(sh, E_TEXT, "", note); /* "一票否决：<item>：<reasons>" */
        else add_summary(sh, "一票否决", "无", NULL);
    }
    add_summary(sh, "总分", ls_dec_format(ur->total, s->digits, a),
                ls_explain_unit_note(r, unit, LS_NOTE_TOTAL_CLAMPED));
    if (r->self && r->self->given[unit]) {
        char d[32];
        add_summary(sh, "自评分", ls_explain_self_total(r, unit, a),
                    ls_format("考核分与自评分之差%s%s", ls_explain_self_total_diff(r, unit, d),
                              ls_explain_overrated(r, unit) ? "，自评偏高" : ""));
    } else if (r->self) {
        add_summary(sh, "自评分", "未报", NULL);
    }
    const char *grade = ls_explain_grade(r, unit);
    if (ls_explain_veto(r, unit))
        add_summary(sh, "等次", grade, ls_xstrdup("一票否决"));
    else
        add_summary(sh, "等次", grade, ls_explain_unit_note(r, unit, LS_NOTE_QUOTA));
    char *rank = ls_explain_rank(r, unit);
    if (*rank) add_summary(sh, "名次", rank, ls_explain_unit_note(r, unit, LS_NOTE_TIE_BREAK));
    else if (ls_explain_veto(r, unit)) add_summary(sh, "名次", "无", ls_xstrdup("一票否决，不参加排名"));
    free(rank);
    note = ls_explain_unit_note(r, unit, LS_NOTE_ERRORS);
    if (note) add_line_own(sh, E_TEXT, "说明：", note);
    note = ls_explain_unit_note(r, unit, LS_NOTE_APPEAL);
    if (note) add_line_own(sh, E_TEXT, "", note);
    for (size_t i = 0; r->adj && i < r->adj->n; i++) {
        const ls_adjustment *e = &r->adj->v[i];
        if (e->unit != (int)unit) continue;
        char x[256], y[256];
        char *why = ls_adjustment_describe(e);
        if (e->kind == LS_ADJ_DATA)
            add_line_own(sh, E_TEXT, "复核更正数据：",
                         ls_format("%s %s→%s：%s", s->inds[e->indicator].name,
                                   e->old.set ? ls_value_format(&e->old, x, sizeof x) : "未填报",
                                   e->new_.set ? ls_value_format(&e->new_, y, sizeof y) : "未填报", why));
        else
            add_line_own(sh, E_TEXT, "复核决定：",
                         ls_format("%s %s %s%s：%s", s->nodes[e->node].number, s->nodes[e->node].name,
                                   ls_explain_decision_keeps(r, e) ? "维持原评分" : "考核分定为",
                                   ls_dec_format(e->score, s->digits, a), why));
        free(why);
    }
}

int ls_write_unit_sheet(const ls_run *r, size_t unit, FILE *out, ls_errors *err)
{
    if (unit >= r->scheme->nunits)
        return ls_errorf(err, NULL, 0, 0, "internal error: no unit %zu", unit);
    sheet sh = {0};
    build(&sh, r, unit);
    errno = 0;
    sheet_print(&sh, out);
    sheet_cleanup(&sh);
    if (ferror(out) || fflush(out) != 0)
        return ls_errorf(err, NULL, 0, 0, "cannot write the score sheet of unit '%s': %s",
                         r->scheme->units[unit].id, strerror(errno ? errno : EIO));
    return 0;
}

int ls_sheet_find_unit(const ls_scheme *s, const char *key, ls_errors *err)
{
    int u = ls_scheme_find_unit(s, key);
    if (u >= 0) return u;
    for (size_t i = 0; i < s->nunits; i++)
        if (!strcmp(s->units[i].name, key)) return (int)i;
    /* last year's id or name of a renamed or merged unit */
    if (ls_scheme_former_unit_error(s, key, 1, err, NULL, 0, 0)) return -1;
    /* The nearest id or name, as ls_scheme_suggest_indicator judges near. */
    size_t best = (size_t)-1, len = strlen(key);
    const ls_unit *near = NULL;
    for (size_t i = 0; i < s->nunits; i++) {
        size_t d = ls_edit_distance(key, s->units[i].id);
        size_t dn = ls_edit_distance(key, s->units[i].name);
        if (dn < d) d = dn;
        if (d < best) {
            best = d;
            near = &s->units[i];
        }
    }
    if (!near || best > (len < 6 ? 2 : len / 3)) {
        /* part of one name only: 区政府办 for 区政府办公室 */
        size_t hits = 0;
        for (size_t i = 0; i < s->nunits; i++)
            if (*key && strstr(s->units[i].name, key) && !hits++) near = &s->units[i];
        if (hits != 1) near = NULL;
        best = 0;
    }
    if (near && best <= (len < 6 ? 2 : len / 3))
        return ls_errorf(err, NULL, 0, 0, "no unit '%s' in the scheme (did you mean '%s' (%s)?)",
                         key, near->id, near->name);
    return ls_errorf(err, NULL, 0, 0, "no unit '%s' in the scheme (a unit is named by its id "
                                      "or its full name)",
                     key);
}
