/*
 * ls_template.c - the data-collection workbook (see ls_template.h).
 */
#include "ls_template.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ls_selfscore.h"
#include "ls_util.h"
#include "ls_xlsxw.h"

#define DEFAULT_SOURCE "数据"

static const char *source_of(const ls_indicator *in) { return in->source ? in->source : DEFAULT_SOURCE; }

/* The distinct sources of the catalogue, in catalogue order. */
static size_t list_sources(const ls_scheme *s, const char **out)
{
    size_t n = 0;
    for (size_t i = 0; i < s->ninds; i++) {
        const char *src = source_of(&s->inds[i]);
        size_t k;
        for (k = 0; k < n && strcmp(out[k], src); k++) {}
        if (k == n) out[n++] = src;
    }
    return n;
}

/* Mark the units selected by one --units word (a unit id or name, a group
 * id or name); 0 if it names nothing. */
static int select_word(const ls_scheme *s, const char *w, unsigned char *sel)
{
    int found = 0;
    for (size_t u = 0; u < s->nunits; u++) {
        const ls_unit *un = &s->units[u];
        const ls_group *g = &s->groups[un->group];
        if (!strcmp(un->id, w) || !strcmp(un->name, w) || !strcmp(g->id, w) || (g->name && !strcmp(g->name, w))) {
            sel[u] = 1;
            found = 1;
        }
    }
    return found;
}

static char *number_text(double d)
{
    return ls_format("%.15g", d);
}

/* The limits and default of an indicator, for its comment and the
 * instructions: "整数，不小于0；缺省0". */
static char *limits_text(const ls_indicator *in)
{
    ls_buf b;
    ls_buf_init(&b);
    const ls_vspec *v = &in->spec;
    static const char *const tn[] = {"整数", "数值", "百分比（填95或95%）", "是/否", "选项", "文字"};
    ls_buf_puts(&b, tn[v->type]);
    if (v->type == LS_T_ENUM) {
        ls_buf_puts(&b, "：");
        for (size_t i = 0; i < v->nchoices; i++) {
            /* the data gives codes; their display names help the reader */
            const char *label = in->labels ? in->labels[i] : NULL;
            ls_buf_printf(&b, "%s%s", i ? "、" : "", v->choices[i]);
            if (label) ls_buf_printf(&b, "（%s）", label);
        }
    }
    if (v->type <= LS_T_PERCENT && (v->has_min || v->has_max)) {
        char *a = number_text(v->min), *c = number_text(v->max);
        if (v->has_min && v->has_max) ls_buf_printf(&b, "，%s至%s", a, c);
        else if (v->has_min) ls_buf_printf(&b, "，不小于%s", a);
        else ls_buf_printf(&b, "，不大于%s", c);
        free(a);
        free(c);
    }
    if (in->required) ls_buf_puts(&b, "；必填");
    else if (in->def.set) {
        char buf[256];
        ls_buf_printf(&b, "；不填按%s", ls_value_format(&in->def, buf, sizeof buf));
    } else {
        ls_buf_puts(&b, "；可不填");
    }
    char *r = ls_xstrdup(b.p ? b.p : "");
    ls_buf_cleanup(&b);
    return r;
}

static char *header_text(const ls_indicator *in)
{
    return in->unit[0] ? ls_format("%s（%s）", in->name, in->unit) : ls_xstrdup(in->name);
}

static void validate_column(lxw_worksheet *ws, const ls_indicator *in, lxw_row_t first, lxw_row_t last,
                            lxw_col_t col)
{
    const ls_vspec *v = &in->spec;
    lxw_data_validation dv;
    memset(&dv, 0, sizeof dv);
    const char *yesno[] = {"是", "否", NULL};
    const char **list = NULL;
    dv.error_title = (char *)"填写有误";
    switch (v->type) {
    case LS_T_INTEGER:
    case LS_T_NUMBER:
    case LS_T_PERCENT:
        dv.validate = v->type == LS_T_INTEGER ? LXW_VALIDATION_TYPE_INTEGER : LXW_VALIDATION_TYPE_DECIMAL;
        dv.minimum_number = v->has_min ? v->min : v->type == LS_T_PERCENT ? 0
                                                                          : -1e15;
        dv.maximum_number = v->has_max ? v->max : v->type == LS_T_PERCENT ? 100
                                                                          : 1e15;
        dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
        dv.error_message = (char *)(v->type == LS_T_INTEGER   ? "请填写整数（范围见批注）"
                                    : v->type == LS_T_PERCENT ? "请填写0至100的百分数，如95或95%"
                                                              : "请填写数值（范围见批注）");
        break;
    case LS_T_BOOLEAN:
        list = yesno;
        break;
    case LS_T_ENUM: {
        /* Excel limits a list to 255 characters: longer ones go unchecked */
        size_t len = 0;
        for (size_t i = 0; i < v->nchoices; i++) len += strlen(v->choices[i]) + 1;
        if (len > 255 || !v->nchoices) return;
        list = (const char **)ls_xcalloc(v->nchoices + 1, sizeof *list);
        for (size_t i = 0; i < v->nchoices; i++) list[i] = v->choices[i];
        break;
    }
    default:
        return;
    }
    if (list) {
        dv.validate = LXW_VALIDATION_TYPE_LIST;
        dv.value_list = (char **)list;
        dv.error_message = (char *)"请从下拉列表中选择";
    }
    worksheet_data_validation_range(ws, first, col, last, col, &dv);
    if (list && list != yesno) free(list);
}

/* A new workbook at tmp with fixed properties: the same scheme gives the
 * same bytes.  NULL when it cannot be created. */
static lxw_workbook *new_book(const ls_scheme *s, const char *tmp, const char *title)
{
    long y = s->year, days = 0;
    for (long k = 1970; k < y; k++) days += 365 + ((k % 4 == 0 && k % 100 != 0) || k % 400 == 0);
    return ls_xlsxw_new(tmp, 0, title, NULL, NULL, (time_t)(days * 86400L));
}

static int close_book(lxw_workbook *wb, ls_errors *err, const char *path)
{
    return ls_xlsxw_close(wb, LXW_NO_ERROR, path, err);
}

/* Height of a wrapped line of the forms' 11-point text, in points (CJK
 * fonts need about 1.3 em). */
#define FORM_LINE_PT 15.0

/* Row r tall enough for `lines` wrapped lines. */
static void fit_row(lxw_worksheet *ws, lxw_row_t r, int lines)
{
    if (lines > 1) worksheet_set_row(ws, r, lines * FORM_LINE_PT + 3, NULL);
}

/* The numbered lines of a 填表说明 sheet, each merged across columns
 * 0..last (together `width` characters) and wrapped there, so that a
 * line prints within the page instead of running past its edge; from *r
 * on, *r left after them. */
static void instruction_lines(lxw_worksheet *ins, const char *const *lines, lxw_col_t last, int width,
                              lxw_format *wrap, lxw_row_t *r)
{
    for (int i = 0; lines[i]; i++, (*r)++) {
        worksheet_merge_range(ins, *r, 0, *r, last, lines[i], wrap);
        fit_row(ins, *r, ls_wrap_lines(lines[i], width));
    }
}

/* A 填表说明 sheet prints on A4, one page wide. */
static void instructions_print(lxw_worksheet *ins, int landscape)
{
    if (landscape) worksheet_set_landscape(ins);
    else worksheet_set_portrait(ins);
    worksheet_set_paper(ins, 9);
    worksheet_fit_to_pages(ins, 1, 0);
}

static int write_book(const ls_scheme *s, const unsigned char *sel, const char **sources, size_t nsources,
                      const char *tmp, ls_errors *err, const char *path)
{
    lxw_workbook *wb = new_book(s, tmp, s->name);
    if (!wb) return ls_errorf(err, path, 0, 0, "cannot create the workbook");

    lxw_format *title = workbook_add_format(wb);
    format_set_bold(title);
    format_set_font_size(title, 14);
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_format *wrap = workbook_add_format(wb);
    format_set_text_wrap(wrap);
    format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
    lxw_format *head = workbook_add_format(wb);
    format_set_bold(head);
    format_set_text_wrap(head);
    format_set_align(head, LXW_ALIGN_CENTER);
    format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
    format_set_bg_color(head, 0xDDEBF7);
    format_set_border(head, LXW_BORDER_THIN);
    lxw_format *head_req = workbook_add_format(wb);
    format_set_bold(head_req);
    format_set_text_wrap(head_req);
    format_set_align(head_req, LXW_ALIGN_CENTER);
    format_set_align(head_req, LXW_ALIGN_VERTICAL_CENTER);
    format_set_bg_color(head_req, 0xFCE4D6);
    format_set_border(head_req, LXW_BORDER_THIN);
    lxw_format *fixed = workbook_add_format(wb);
    format_set_bg_color(fixed, 0xF2F2F2);
    format_set_border(fixed, LXW_BORDER_THIN);
    format_set_num_format(fixed, "@");
    lxw_format *input = workbook_add_format(wb);
    format_set_unlocked(input);
    format_set_border(input, LXW_BORDER_THIN);

    /* 填表说明 */
    lxw_worksheet *ins = workbook_add_worksheet(wb, "填表说明");
    worksheet_set_column(ins, 0, 0, 12, NULL);
    worksheet_set_column(ins, 1, 1, 30, NULL);
    worksheet_set_column(ins, 2, 2, 26, NULL);
    worksheet_set_column(ins, 3, 3, 36, NULL);
    worksheet_set_column(ins, 4, 4, 60, NULL);
    lxw_row_t r = 0;
    char *t = ls_format("%s —— 数据填报表", s->name);
    worksheet_write_string(ins, r++, 0, t, title);
    free(t);
    r++;
    static const char *const lines[] = {
        "1. 每个数据来源一个工作表（见下方标签页），每行一个被考核单位，每列一个指标。",
        "2. 单位编号和单位名称已填好并锁定，请勿改动、排序或删除行；只在白色单元格中填写。",
        "3. 表头为橙色的指标必须填写；其余不填时按说明中的缺省值计算（考核办汇总时会列出各单位未填的指标）。",
        "4. 百分比填 95 或 95%（不要填 0.95）；是/否、选项类指标请从下拉列表中选择。",
        "5. 数值请直接输入数字，不要带单位；单元格批注中有指标说明和取值范围。",
        "6. 填好后直接保存为 .xlsx（Excel、WPS、LibreOffice 均可），无需另存为 CSV。",
        NULL};
    lxw_format *line = workbook_add_format(wb);
    format_set_text_wrap(line);
    format_set_align(line, LXW_ALIGN_VERTICAL_TOP);
    instruction_lines(ins, lines, 4, 12 + 30 + 26 + 36 + 60, line, &r);
    instructions_print(ins, 1);
    r++;
    static const char *const cols[] = {"数据来源", "指标", "编号", "填写要求", "说明"};
    for (lxw_col_t c = 0; c < 5; c++) worksheet_write_string(ins, r, c, cols[c], head);
    r++;
    for (size_t k = 0; k < nsources; k++)
        for (size_t i = 0; i < s->ninds; i++) {
            const ls_indicator *in = &s->inds[i];
            if (strcmp(source_of(in), sources[k])) continue;
            char *h = header_text(in), *lim = limits_text(in);
            worksheet_write_string(ins, r, 0, sources[k], wrap);
            worksheet_write_string(ins, r, 1, h, wrap);
            worksheet_write_string(ins, r, 2, in->id, wrap);
            worksheet_write_string(ins, r, 3, lim, wrap);
            worksheet_write_string(ins, r, 4, in->description, wrap);
            int n = ls_wrap_lines(h, 30), l = ls_wrap_lines(lim, 36), d = ls_wrap_lines(in->description, 60);
            fit_row(ins, r, n > l ? (n > d ? n : d) : (l > d ? l : d));
            free(h);
            free(lim);
            r++;
        }

    /* a sheet per source */
    size_t nsel = 0;
    for (size_t u = 0; u < s->nunits; u++) nsel += sel[u];
    for (size_t k = 0; k < nsources; k++) {
        lxw_worksheet *ws = workbook_add_worksheet(wb, sources[k]);
        if (!ws) {
            workbook_close(wb);
            return ls_errorf(err, path, 0, 0, "cannot add a sheet named '%s'", sources[k]);
        }
        worksheet_write_string(ws, 0, 0, "单位编号", head);
        worksheet_write_string(ws, 0, 1, "单位名称", head);
        worksheet_set_column(ws, 0, 0, 10, NULL);
        worksheet_set_column(ws, 1, 1, 20, NULL);
        worksheet_set_row(ws, 0, 45, NULL);
        lxw_col_t c = 2;
        for (size_t i = 0; i < s->ninds; i++) {
            const ls_indicator *in = &s->inds[i];
            if (strcmp(source_of(in), sources[k])) continue;
            char *h = header_text(in), *lim = limits_text(in);
            worksheet_write_string(ws, 0, c, h, in->required ? head_req : head);
            char *note = in->description[0] ? ls_format("%s\n%s", in->description, lim) : ls_xstrdup(lim);
            lxw_comment_options co = {.author = (char *)"lawscore", .width = 300, .height = 120};
            worksheet_write_comment_opt(ws, 0, c, note, &co);
            worksheet_set_column(ws, c, c, 14, input);
            if (nsel) validate_column(ws, in, 1, (lxw_row_t)nsel, c);
            free(h);
            free(lim);
            free(note);
            c++;
        }
        lxw_row_t row = 1;
        for (size_t u = 0; u < s->nunits; u++) {
            if (!sel[u]) continue;
            worksheet_write_string(ws, row, 0, s->units[u].id, fixed);
            worksheet_write_string(ws, row, 1, s->units[u].name, fixed);
            for (lxw_col_t j = 2; j < c; j++) worksheet_write_blank(ws, row, j, input);
            row++;
        }
        worksheet_freeze_panes(ws, 1, 2);
        lxw_protection prot = {.format_columns = 1, .format_rows = 1, .autofilter = 1, .sort = 0};
        worksheet_protect(ws, NULL, &prot);
        worksheet_set_landscape(ws);
        worksheet_set_paper(ws, 9);
        worksheet_fit_to_pages(ws, 1, 0);
        worksheet_repeat_rows(ws, 0, 0);
    }
    return close_book(wb, err, path);
}

/* ---- the self-assessment form (template --self) ---------------------- */

/* A fixed-point score as the number a cell holds. */
static double cell_number(ls_fixed v, int digits)
{
    char buf[48];
    return strtod(ls_dec_format(v, digits, buf), NULL);
}

/* Excel's number format for the scheme's precision: "0.00". */
static char *number_format(int digits)
{
    return digits > 0 ? ls_format("0.%0*d", digits, 0) : ls_xstrdup("0");
}

/* A cell reference such as G7. */
static const char *ref(char *buf, lxw_row_t row, lxw_col_t col)
{
    lxw_rowcol_to_cell(buf, row, col);
    return buf;
}

/* The formats of the forms. */
typedef struct form_formats {
    lxw_format *title, *head, *fixed, *fixed_wrap, *fixed_num, *cat, *cat_num, *input, *input_wrap, *total,
        *total_num, *date, *line;
} form_formats;

static void add_formats(lxw_workbook *wb, int digits, form_formats *f)
{
    char *nf = number_format(digits);
    f->title = workbook_add_format(wb);
    format_set_bold(f->title);
    format_set_font_size(f->title, 14);
    f->head = workbook_add_format(wb);
    format_set_bold(f->head);
    format_set_text_wrap(f->head);
    format_set_align(f->head, LXW_ALIGN_CENTER);
    format_set_align(f->head, LXW_ALIGN_VERTICAL_CENTER);
    format_set_bg_color(f->head, 0xDDEBF7);
    format_set_border(f->head, LXW_BORDER_THIN);
    /* locked cells are grey; white cells are to be filled */
    lxw_format **locked[] = {&f->fixed, &f->fixed_wrap, &f->fixed_num, &f->cat, &f->cat_num, &f->total, &f->total_num};
    for (size_t i = 0; i < sizeof locked / sizeof *locked; i++) {
        lxw_format *x = *locked[i] = workbook_add_format(wb);
        format_set_bg_color(x, i >= 3 ? 0xE7E6E6 : 0xF2F2F2);
        format_set_border(x, LXW_BORDER_THIN);
        format_set_align(x, LXW_ALIGN_VERTICAL_TOP);
        if (i >= 3) format_set_bold(x);
        /* 序号 1.10 must stay text, scores show the scheme's decimals */
        format_set_num_format(x, i == 2 || i == 4 || i == 6 ? nf : "@");
    }
    format_set_text_wrap(f->fixed_wrap);
    format_set_text_wrap(f->cat);
    f->input = workbook_add_format(wb);
    format_set_unlocked(f->input);
    format_set_border(f->input, LXW_BORDER_THIN);
    format_set_align(f->input, LXW_ALIGN_VERTICAL_TOP);
    format_set_num_format(f->input, nf);
    f->input_wrap = workbook_add_format(wb);
    format_set_unlocked(f->input_wrap);
    format_set_border(f->input_wrap, LXW_BORDER_THIN);
    format_set_align(f->input_wrap, LXW_ALIGN_VERTICAL_TOP);
    format_set_text_wrap(f->input_wrap);
    format_set_num_format(f->input_wrap, "@");
    f->line = workbook_add_format(wb);
    format_set_text_wrap(f->line);
    format_set_align(f->line, LXW_ALIGN_VERTICAL_TOP);
    f->date = workbook_add_format(wb);
    format_set_unlocked(f->date);
    format_set_border(f->date, LXW_BORDER_THIN);
    format_set_num_format(f->date, "yyyy-mm-dd");
    free(nf);
}

/* Protect a sheet without a password (only unlocked cells take input) and
 * print it on A4, the header row on every page. */
static void finish_sheet(lxw_worksheet *ws, int landscape)
{
    lxw_protection prot = {.format_columns = 1, .format_rows = 1, .autofilter = 1, .sort = 0};
    worksheet_protect(ws, NULL, &prot);
    if (landscape) worksheet_set_landscape(ws);
    else worksheet_set_portrait(ws);
    worksheet_set_paper(ws, 9);
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_repeat_rows(ws, 0, 0);
    worksheet_freeze_panes(ws, 1, 0);
}

/* The instructions sheet: a title and numbered lines. */
static lxw_worksheet *instructions(lxw_workbook *wb, const form_formats *f, const char *title,
                                   const char *const *lines, lxw_row_t *r)
{
    lxw_worksheet *ins = workbook_add_worksheet(wb, "填表说明");
    worksheet_set_column(ins, 0, 0, 14, NULL);
    worksheet_set_column(ins, 1, 1, 24, NULL);
    worksheet_set_column(ins, 2, 2, 40, NULL);
    *r = 0;
    worksheet_write_string(ins, (*r)++, 0, title, f->title);
    (*r)++;
    instruction_lines(ins, lines, 2, 14 + 24 + 40, f->line, r);
    instructions_print(ins, 0);
    (*r)++;
    return ins;
}

/* The sheet name of a unit: its name when Excel takes it (at most 31
 * characters, none of []:*?/\, not taken yet), else its id. */
static const char *unit_sheet_name(lxw_workbook *wb, const ls_unit *u)
{
    return workbook_validate_sheet_name(wb, u->name) == LXW_NO_ERROR ? u->name : u->id;
}

enum {
    SC_UNIT,
    SC_NAME,
    SC_NUMBER,
    SC_ITEM,
    SC_POINTS,
    SC_CRITERIA,
    SC_SELF,
    SC_NOTE,
    SC_NCOLS
};

/* The rows of one unit's sheet: a row per applicable category and item
 * (pre-order, as the 评分表 lists them); veto items have no 自评分. */
typedef struct self_rows {
    lxw_row_t *row; /* per node: its row, 0 when left out */
    ls_fixed *pts;  /* per node: points of its applicable items */
} self_rows;

static void plan_rows(const ls_scheme *s, size_t u, self_rows *p, lxw_row_t *next)
{
    unsigned char *in = ls_xcalloc(s->nnodes + 1, 1);
    /* children follow their parent: decide bottom-up */
    for (size_t i = s->nnodes; i-- > 0;) {
        const ls_node *n = &s->nodes[i];
        p->pts[i] = 0;
        if (n->section == LS_SEC_VETO || !ls_node_applies(s, (int)i, (int)u)) continue;
        if (!n->nchildren) {
            in[i] = 1;
            p->pts[i] = n->points;
            continue;
        }
        for (size_t k = 0; k < n->nchildren; k++)
            if (in[n->children[k]]) {
                in[i] = 1;
                p->pts[i] += p->pts[n->children[k]];
            }
    }
    for (size_t i = 0; i < s->nnodes; i++) p->row[i] = in[i] ? (*next)++ : 0;
    free(in);
}

/* "SUM(G5,G9)" over the rows of nodes `nodes` that are on the sheet;
 * NULL when none is. */
static char *sum_of(const self_rows *p, const int *nodes, size_t n)
{
    ls_buf b;
    ls_buf_init(&b);
    char c[32];
    for (size_t k = 0; k < n; k++)
        if (p->row[nodes[k]]) ls_buf_printf(&b, "%s%s", b.n ? "," : "SUM(", ref(c, p->row[nodes[k]], SC_SELF));
    if (!b.n) return NULL;
    ls_buf_puts(&b, ")");
    char *r = ls_xstrdup(b.p);
    ls_buf_cleanup(&b);
    return r;
}

/* The validation of an item's 自评分 cell: a number from 0 to its most,
 * with at most the scheme's decimals. */
static void validate_score(lxw_worksheet *ws, const ls_scheme *s, int node, lxw_row_t row)
{
    char c[32], mx[48], *formula, *msg;
    ls_fixed hi;
    int bounded = ls_selfscore_max(s, node, &hi);
    ref(c, row, SC_SELF);
    if (bounded) {
        ls_dec_format_short(hi, s->digits, mx);
        formula = ls_format("AND(ISNUMBER(%s),%s>=0,%s<=%s,ROUND(%s,%d)=%s)", c, c, c, mx, c, s->digits, c);
        msg = s->digits ? ls_format("请填写0至%s之间的数值，最多%d位小数", mx, s->digits)
                        : ls_format("请填写0至%s之间的整数", mx);
    } else {
        formula = ls_format("AND(ISNUMBER(%s),%s>=0,ROUND(%s,%d)=%s)", c, c, c, s->digits, c);
        msg = s->digits ? ls_format("请填写不小于0的数值，最多%d位小数", s->digits) : ls_xstrdup("请填写不小于0的整数");
    }
    lxw_data_validation dv;
    memset(&dv, 0, sizeof dv);
    dv.validate = LXW_VALIDATION_TYPE_CUSTOM_FORMULA;
    dv.value_formula = formula;
    dv.error_title = (char *)"自评分有误";
    dv.error_message = msg;
    dv.input_message = msg;
    worksheet_data_validation_cell(ws, row, SC_SELF, &dv);
    free(formula);
    free(msg);
}

/* One labelled total row: label in 考核项目, points (when has_pts), the
 * formula in 自评分. */
static void total_row(lxw_worksheet *ws, const form_formats *f, lxw_row_t r, const char *label, int has_pts,
                      double pts, const char *formula)
{
    for (lxw_col_t c = 0; c < SC_NCOLS; c++) worksheet_write_blank(ws, r, c, f->total);
    worksheet_write_string(ws, r, SC_ITEM, label, f->total);
    if (has_pts) worksheet_write_number(ws, r, SC_POINTS, pts, f->total_num);
    worksheet_write_formula(ws, r, SC_SELF, formula, f->total_num);
}

static void self_sheet(lxw_worksheet *ws, const ls_scheme *s, size_t u, const form_formats *f)
{
    const ls_unit *un = &s->units[u];
    static const char *const head[SC_NCOLS] = {"单位编号", "单位名称", "序号", "考核项目",
                                               "分值", "评分标准", "自评分", "说明"};
    static const double width[SC_NCOLS] = {9, 14, 7, 24, 6, 42, 8, 22};
    for (lxw_col_t c = 0; c < SC_NCOLS; c++) {
        worksheet_write_string(ws, 0, c, head[c], f->head);
        worksheet_set_column(ws, c, c, width[c], NULL);
    }
    self_rows p = {ls_xcalloc(s->nnodes + 1, sizeof *p.row), ls_xcalloc(s->nnodes + 1, sizeof *p.pts)};
    lxw_row_t next = 1;
    plan_rows(s, u, &p, &next);
    for (size_t i = 0; i < s->nnodes; i++) {
        lxw_row_t r = p.row[i];
        if (!r) continue;
        const ls_node *n = &s->nodes[i];
        int cat = n->nchildren > 0;
        worksheet_write_string(ws, r, SC_UNIT, un->id, f->fixed);
        worksheet_write_string(ws, r, SC_NAME, un->name, f->fixed);
        worksheet_write_string(ws, r, SC_NUMBER, n->number, cat ? f->cat : f->fixed);
        worksheet_write_string(ws, r, SC_ITEM, n->name, cat ? f->cat : f->fixed_wrap);
        if (!n->no_points) worksheet_write_number(ws, r, SC_POINTS, cell_number(p.pts[i], s->digits), cat ? f->cat_num : f->fixed_num);
        else worksheet_write_blank(ws, r, SC_POINTS, f->fixed);
        worksheet_write_string(ws, r, SC_CRITERIA, n->criteria ? n->criteria : "", cat ? f->cat : f->fixed_wrap);
        {
            /* wrapped 考核项目 and 评分标准 show whole on paper only in a
             * row as tall as they need: neither Excel nor LibreOffice
             * sizes rows of a generated workbook */
            int a = ls_wrap_lines(n->name, (int)width[SC_ITEM] - 2);
            int b = n->criteria ? ls_wrap_lines(n->criteria, (int)width[SC_CRITERIA] - 2) : 1;
            fit_row(ws, r, a > b ? a : b);
        }
        if (cat) {
            char *sum = sum_of(&p, n->children, n->nchildren);
            worksheet_write_formula(ws, r, SC_SELF, sum, f->cat_num);
            worksheet_write_blank(ws, r, SC_NOTE, f->cat);
            free(sum);
        } else {
            worksheet_write_blank(ws, r, SC_SELF, f->input);
            worksheet_write_blank(ws, r, SC_NOTE, f->input_wrap);
            validate_score(ws, s, (int)i, r);
        }
    }
    /* the totals, summed as lawscore sums them: the 100-point tree (折算
     * when items do not apply), the bonus under its cap, the deductions */
    int *top[3];
    size_t ntop[3] = {0, 0, 0};
    for (int k = 0; k < 3; k++) top[k] = ls_xcalloc(s->nnodes + 1, sizeof *top[k]);
    ls_fixed applicable = 0;
    for (size_t i = 0; i < s->nnodes; i++) {
        const ls_node *n = &s->nodes[i];
        if (n->parent >= 0 || !p.row[i] || n->section == LS_SEC_VETO) continue;
        top[n->section][ntop[n->section]++] = (int)i;
        if (n->section == LS_SEC_MAIN) applicable += p.pts[i];
    }
    char c[32], *main = sum_of(&p, top[LS_SEC_MAIN], ntop[LS_SEC_MAIN]);
    char *bonus = sum_of(&p, top[LS_SEC_BONUS], ntop[LS_SEC_BONUS]);
    char *deduct = sum_of(&p, top[LS_SEC_DEDUCT], ntop[LS_SEC_DEDUCT]);
    char *tot = ls_xstrdup(main ? main : "0"), *label;
    lxw_row_t r = next;
    if (main) {
        total_row(ws, f, r, "合计", 1, cell_number(applicable, s->digits), main);
        free(tot);
        tot = ls_xstrdup(ref(c, r++, SC_SELF));
    }
    if (main && applicable && applicable != s->total) {
        char t[48], a[48];
        ls_dec_format_short(s->total, s->digits, t);
        ls_dec_format_short(applicable, s->digits, a);
        char *fm = ls_format("ROUND(%s*%s/%s,%d)", tot, t, a, s->digits);
        label = ls_format("折算为%s分制（合计×%s÷%s）", t, t, a);
        total_row(ws, f, r, label, 1, cell_number(s->total, s->digits), fm);
        free(label);
        free(fm);
        free(tot);
        tot = ls_xstrdup(ref(c, r++, SC_SELF));
    }
    if (bonus) {
        char cap[48], *fm;
        if (s->bonus_cap >= 0) {
            ls_dec_format_short(s->bonus_cap, s->digits, cap);
            fm = ls_format("MIN(%s,%s)", bonus, cap);
            label = ls_format("加分（不超过%s分）", cap);
        } else {
            fm = ls_xstrdup(bonus);
            label = ls_xstrdup("加分");
        }
        total_row(ws, f, r, label, 0, 0, fm);
        char *t2 = ls_format("%s+%s", tot, ref(c, r++, SC_SELF));
        free(tot);
        tot = t2;
        free(label);
        free(fm);
    }
    if (deduct) {
        total_row(ws, f, r, "扣分", 0, 0, deduct);
        char *t2 = ls_format("%s-%s", tot, ref(c, r++, SC_SELF));
        free(tot);
        tot = t2;
    }
    char *fm = ls_format("MAX(0,%s)", tot);
    total_row(ws, f, r++, "自评总分", 0, 0, fm);
    free(fm);
    r++;
    worksheet_write_string(ws, r, SC_ITEM, "单位负责人（签字）：", NULL);
    worksheet_write_string(ws, r, SC_CRITERIA, "填表人：　　　　　　联系电话：", NULL);
    worksheet_write_string(ws, r, SC_NOTE, "（单位盖章）　年　月　日", NULL);
    free(main);
    free(bonus);
    free(deduct);
    free(tot);
    for (int k = 0; k < 3; k++) free(top[k]);
    free(p.row);
    free(p.pts);
    /* printed: 序号 to 说明 (the id and name columns are for reading back) */
    worksheet_print_area(ws, 0, SC_NUMBER, r, SC_NOTE);
    char *hd = ls_format("&L&\"-,Bold\"%s自评表&R%s", s->name, un->name);
    lxw_header_footer_options hf = {.margin = 0.3};
    worksheet_set_header_opt(ws, hd, &hf);
    /* no "共 &N 页": LibreOffice counts the whole workbook's pages for &N
     * (a unit's form read "第 3 页，共 22 页"); &P restarts per sheet */
    worksheet_set_footer(ws, "&C第 &P 页");
    worksheet_set_start_page(ws, 1);
    free(hd);
    finish_sheet(ws, 0);
}

/* A form's workbook, titled "<scheme name><what>" (*title: the caller
 * frees it), with the forms' cell formats in f; NULL with an error. */
static lxw_workbook *new_form_book(const ls_scheme *s, const char *tmp, const char *what, char **title,
                                   form_formats *f, ls_errors *err, const char *path)
{
    *title = ls_format("%s%s", s->name, what);
    lxw_workbook *wb = new_book(s, tmp, *title);
    if (!wb) {
        free(*title);
        *title = NULL;
        ls_errorf(err, path, 0, 0, "cannot create the workbook");
        return NULL;
    }
    add_formats(wb, s->digits, f);
    return wb;
}

static int write_self_book(const ls_scheme *s, const unsigned char *sel, const char *tmp, ls_errors *err,
                           const char *path)
{
    char *title;
    form_formats f;
    lxw_workbook *wb = new_form_book(s, tmp, "自评表", &title, &f, err, path);
    if (!wb) return -1;
    static const char *const lines[] = {
        "1. 每个被考核单位一个工作表（见下方标签页），每行一个考核项目；不适用于本单位的项目已略去。",
        "2. 单位、序号、考核项目、分值和评分标准已填好并锁定；只在白色的“自评分”和“说明”单元格中填写。",
        "3. 自评分填0至该项分值之间的数（加分、扣分项填拟加、拟扣的分数），小数位数不超过考核方案的计分精度。",
        "4. 各类别小计、合计和自评总分由公式自动计算；有不适用项目的，合计按考核方案折算为百分制。",
        "5. 填好后直接保存为 .xlsx（Excel、WPS、LibreOffice 均可），打印、签字盖章后连同电子表格一并报送。",
        NULL};
    lxw_row_t r;
    lxw_worksheet *ins = instructions(wb, &f, title, lines, &r);
    worksheet_write_string(ins, r, 0, "单位编号", f.head);
    worksheet_write_string(ins, r, 1, "单位名称", f.head);
    worksheet_write_string(ins, r, 2, "工作表", f.head);
    r++;
    int rc = 0;
    for (size_t u = 0; u < s->nunits && !rc; u++) {
        if (!sel[u]) continue;
        const char *name = unit_sheet_name(wb, &s->units[u]);
        lxw_worksheet *ws = workbook_add_worksheet(wb, name);
        if (!ws) {
            rc = ls_errorf(err, path, 0, 0, "cannot add a sheet named '%s'", name);
            break;
        }
        worksheet_write_string(ins, r, 0, s->units[u].id, NULL);
        worksheet_write_string(ins, r, 1, s->units[u].name, NULL);
        worksheet_write_string(ins, r++, 2, name, NULL);
        self_sheet(ws, s, u, &f);
    }
    free(title);
    int cr = close_book(wb, err, path);
    return rc ? rc : cr;
}

/* ---- the register of appeals decided (template --adjustments) --------- */

#define REGISTER_ROWS 200

enum {
    RC_UNIT,
    RC_KIND,
    RC_IND,
    RC_ITEM,
    RC_OLD,
    RC_NEW,
    RC_SCORE,
    RC_REASON,
    RC_BASIS,
    RC_BY,
    RC_DATE,
    RC_NCOLS
};

/* The validation of rows 1..REGISTER_ROWS of column col against a list:
 * a dropdown of `items` (NULL-terminated) when Excel takes it inline (at
 * most 255 characters), else a check that the value is in `range` of the
 * sheet 清单 (`清单!$A$2:$A$22`; a dropdown from a range, libxlsxwriter's
 * list-formula validation, leaks its formula). */
static void register_list(lxw_worksheet *ws, lxw_col_t col, const char **items, const char *range, const char *msg)
{
    lxw_data_validation dv;
    memset(&dv, 0, sizeof dv);
    size_t len = 0;
    for (size_t i = 0; items[i]; i++) len += strlen(items[i]) + 1;
    char first[16], *formula = NULL;
    if (len <= 256) {
        dv.validate = LXW_VALIDATION_TYPE_LIST;
        dv.value_list = (char **)items;
    } else {
        formula = ls_format("COUNTIF(%s,%s)>0", range, ref(first, 1, col));
        dv.validate = LXW_VALIDATION_TYPE_CUSTOM_FORMULA;
        dv.value_formula = formula;
    }
    dv.error_title = (char *)"填写有误";
    dv.error_message = (char *)msg;
    worksheet_data_validation_range(ws, 1, col, REGISTER_ROWS, col, &dv);
    free(formula);
}

static int write_register_book(const ls_scheme *s, const char *tmp, ls_errors *err, const char *path)
{
    char *title;
    form_formats f;
    lxw_workbook *wb = new_form_book(s, tmp, "复核决定登记表", &title, &f, err, path);
    if (!wb) return -1;
    static const char *const lines[] = {
        "1. 工作表“复核决定”每行登记一项复核决定；工作表“清单”列出可填的单位、指标和考核项目。",
        "2. 类型为“数据更正”的，填指标、原值（考核数据中的值，未填报的留空）和新值；原值与考核数据不符的，"
        "lawscore 作为过期异议报错。",
        "3. 类型为“评分决定”的，填序号（考核项目）和核定分，该项得分改为核定分；异议不成立、维持原评分的，"
        "也登记一行评分决定，核定分填该项原得分，评分表和扣分明细写“维持原评分”。",
        "4. 理由、依据（文号）、决定人（单位）和日期每行必填；日期按 2019-01-18 的格式填写。",
        "5. 填好后保存为 .xlsx，运行 lawscore run … --adjustments 本表.xlsx 重新计分。",
        NULL};
    lxw_row_t r;
    instructions(wb, &f, title, lines, &r);
    free(title);

    lxw_worksheet *ws = workbook_add_worksheet(wb, "复核决定");
    lxw_worksheet *ls = workbook_add_worksheet(wb, "清单");
    static const char *const head[RC_NCOLS] = {"单位编号", "类型", "指标", "序号", "原值", "新值",
                                               "核定分", "理由", "依据（文号）", "决定人（单位）", "日期"};
    static const double width[RC_NCOLS] = {10, 10, 18, 7, 10, 10, 7, 40, 18, 18, 11};
    for (lxw_col_t c = 0; c < RC_NCOLS; c++) {
        worksheet_write_string(ws, 0, c, head[c], f.head);
        lxw_format *in = c == RC_SCORE ? f.input : c == RC_DATE ? f.date
                                                                : f.input_wrap;
        worksheet_set_column(ws, c, c, width[c], in);
    }
    /* the lists */
    static const char *const lhead[] = {"单位编号", "单位名称", "", "指标编号", "指标名称", "", "序号", "考核项目", "分值"};
    for (lxw_col_t c = 0; c < 9; c++)
        if (lhead[c][0]) worksheet_write_string(ls, 0, c, lhead[c], f.head);
    worksheet_set_column(ls, 0, 0, 10, NULL);
    worksheet_set_column(ls, 1, 1, 20, NULL);
    worksheet_set_column(ls, 3, 3, 22, NULL);
    worksheet_set_column(ls, 4, 4, 28, NULL);
    worksheet_set_column(ls, 7, 7, 28, NULL);
    for (size_t u = 0; u < s->nunits; u++) {
        worksheet_write_string(ls, (lxw_row_t)u + 1, 0, s->units[u].id, f.fixed);
        worksheet_write_string(ls, (lxw_row_t)u + 1, 1, s->units[u].name, f.fixed);
    }
    for (size_t i = 0; i < s->ninds; i++) {
        worksheet_write_string(ls, (lxw_row_t)i + 1, 3, s->inds[i].id, f.fixed);
        worksheet_write_string(ls, (lxw_row_t)i + 1, 4, s->inds[i].name, f.fixed);
    }
    lxw_row_t nitems = 0;
    for (size_t k = 0; k < s->nleaves; k++) {
        const ls_node *n = &s->nodes[s->leaves[k]];
        if (n->section == LS_SEC_VETO) continue;
        nitems++;
        worksheet_write_string(ls, nitems, 6, n->number, f.fixed);
        worksheet_write_string(ls, nitems, 7, n->name, f.fixed);
        if (!n->no_points) worksheet_write_number(ls, nitems, 8, cell_number(n->points, s->digits), f.fixed_num);
    }
    /* the lists for the validations: ids and 序号 as the 清单 has them */
    const char **list = ls_xcalloc(s->nunits + s->ninds + nitems + 3, sizeof *list), **l = list;
    char *range;
    for (size_t u = 0; u < s->nunits; u++) l[u] = s->units[u].id;
    range = ls_format("清单!$A$2:$A$%zu", s->nunits + 1);
    if (s->nunits) register_list(ws, RC_UNIT, l, range, "请填写“清单”中的单位编号");
    free(range);
    l += s->nunits + 1;
    for (size_t i = 0; i < s->ninds; i++) l[i] = s->inds[i].id;
    range = ls_format("清单!$D$2:$D$%zu", s->ninds + 1);
    if (s->ninds) register_list(ws, RC_IND, l, range, "请填写“清单”中的指标编号");
    free(range);
    l += s->ninds + 1;
    for (size_t k = 0, i = 0; k < s->nleaves; k++)
        if (s->nodes[s->leaves[k]].section != LS_SEC_VETO) l[i++] = s->nodes[s->leaves[k]].number;
    range = ls_format("清单!$G$2:$G$%u", (unsigned)nitems + 1);
    if (nitems) register_list(ws, RC_ITEM, l, range, "请填写“清单”中考核项目的序号");
    free(range);
    free(list);
    const char *kinds[] = {"数据更正", "评分决定", NULL};
    register_list(ws, RC_KIND, kinds, NULL, "类型填“数据更正”或“评分决定”");
    lxw_data_validation dv;
    memset(&dv, 0, sizeof dv);
    dv.validate = LXW_VALIDATION_TYPE_DECIMAL;
    dv.criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO;
    dv.value_number = 0;
    dv.error_title = (char *)"填写有误";
    dv.error_message = (char *)"核定分填不小于0的数值（不超过该项分值）";
    worksheet_data_validation_range(ws, 1, RC_SCORE, REGISTER_ROWS, RC_SCORE, &dv);
    memset(&dv, 0, sizeof dv);
    dv.validate = LXW_VALIDATION_TYPE_DATE;
    dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
    dv.minimum_datetime = (lxw_datetime){s->year, 1, 1, 0, 0, 0};
    dv.maximum_datetime = (lxw_datetime){s->year + 2, 12, 31, 0, 0, 0};
    dv.error_title = (char *)"填写有误";
    dv.error_message = (char *)"请填写日期，如 2019-01-18";
    worksheet_data_validation_range(ws, 1, RC_DATE, REGISTER_ROWS, RC_DATE, &dv);
    /* no print area: the blank register prints its header, a filled one
     * the rows filled in (the formats and checks of the 200 rows to fill
     * are not content) */
    finish_sheet(ws, 1);
    lxw_protection prot = {.format_columns = 1, .format_rows = 1};
    worksheet_protect(ls, NULL, &prot);
    return close_book(wb, err, path);
}

int ls_template_write(const ls_scheme *s, const ls_template_opts *o, const char *path, ls_errors *err)
{
    int rc = 0;
    unsigned char *sel = ls_xcalloc(s->nunits ? s->nunits : 1, 1);
    const char **all = ls_xcalloc(s->ninds + 1, sizeof *all), **want = ls_xcalloc(s->ninds + 1, sizeof *want);
    size_t nall = list_sources(s, all), nwant = 0;
    if (!o->nunits) memset(sel, 1, s->nunits);
    for (size_t i = 0; i < o->nunits; i++) {
        /* words separated by ',', '，' or '、' */
        char *words = ls_xstrdup(o->units[i]);
        for (char *w = words, *p = words;;) {
            size_t sep = *p == ',' ? 1 : (!strncmp(p, "，", 3) || !strncmp(p, "、", 3)) ? 3
                                                                                        : 0;
            if (sep || !*p) {
                int end = !*p;
                *p = '\0';
                if (*w && !select_word(s, w, sel))
                    rc = ls_errorf(err, NULL, 0, 0, "--units: '%s' is neither a unit (id or full name) nor a "
                                                    "group of the scheme",
                                   w);
                if (end) break;
                p += sep;
                w = p;
            } else {
                p++;
            }
        }
        free(words);
    }
    for (size_t i = 0; o->form == LS_FORM_DATA && i < o->nsources; i++) {
        size_t k;
        for (k = 0; k < nall && strcmp(all[k], o->sources[i]); k++) {}
        if (k == nall) {
            ls_buf b;
            ls_buf_init(&b);
            for (size_t j = 0; j < nall; j++) ls_buf_printf(&b, "%s%s", j ? ", " : "", all[j]);
            rc = ls_errorf(err, NULL, 0, 0, "--source: no indicator has the source '%s' (the sources: %s)",
                           o->sources[i], b.p ? b.p : "none");
            ls_buf_cleanup(&b);
        } else {
            size_t j;
            for (j = 0; j < nwant && strcmp(want[j], all[k]); j++) {}
            if (j == nwant) want[nwant++] = all[k];
        }
    }
    if (!o->nsources) {
        memcpy(want, all, nall * sizeof *all);
        nwant = nall;
    }
    size_t plen = strlen(path);
    if (!rc && (plen < 5 || strcmp(path + plen - 5, ".xlsx")))
        rc = ls_errorf(err, path, 0, 0, "the template is an .xlsx workbook: name the file *.xlsx");
    if (!rc && o->form != LS_FORM_DATA && o->nsources)
        rc = ls_errorf(err, NULL, 0, 0, "--source chooses sheets of the data-collection workbook; the %s has none",
                       o->form == LS_FORM_SELF ? "自评表" : "复核决定登记表");
    if (!rc && o->form == LS_FORM_ADJUSTMENTS && o->nunits)
        rc = ls_errorf(err, NULL, 0, 0, "--units: the register of appeals (--adjustments) is one sheet for all units");
    if (!rc && o->form == LS_FORM_DATA && !s->ninds)
        rc = ls_errorf(err, s->path, 0, 0, "the scheme has no indicators: nothing to collect");
    if (!rc) {
        char *tmp = ls_format("%s.tmp%ld", path, (long)getpid());
        if (o->form == LS_FORM_SELF) rc = write_self_book(s, sel, tmp, err, path);
        else if (o->form == LS_FORM_ADJUSTMENTS) rc = write_register_book(s, tmp, err, path);
        else rc = write_book(s, sel, want, nwant, tmp, err, path);
        if (!rc && rename(tmp, path) != 0)
            rc = ls_errorf(err, path, 0, 0, "cannot write the workbook: %s", strerror(errno));
        if (rc) unlink(tmp);
        free(tmp);
    }
    free(sel);
    free(all);
    free(want);
    return rc;
}
