/*
 * ls_export_xlsx.c - results.xlsx (see ls_export_xlsx.h).
 *
 * The tables come from ls_layout; this file maps their rows and cell
 * kinds onto cell formats, merges, column widths and print settings.
 * Row heights are set from the text's display width and the column's
 * width, because neither Excel nor LibreOffice reliably grows a row for
 * wrapped text in a file that does not say how high it is.
 */
#include "ls_export_xlsx.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ls_complete.h"
#include "ls_explain.h"
#include "ls_layout.h"
#include "ls_util.h"
#include "ls_xlsxw.h"

/* Height of a line of 10-point text, in points: CJK fonts (Noto CJK,
 * SimSun) need about 1.3 em; ls_wrap_lines() already rounds the number of
 * lines up.  At 13.5 every 评分表 of the example prints on 2 A4 pages
 * in LibreOffice (15: 3 pages, the third holding only 一票否决 … 名次). */
#define LINE_PT 13.5

/* 1980-01-01T00:00:00Z, the time libxlsxwriter gives the zip entries. */
#define FIXED_CREATED 315532800

/* Row styles and cell styles, crossed into one format each. */
enum {
    ST_PLAIN,
    ST_CATEGORY,
    ST_SUMMARY,
    ST_COUNT
};
enum {
    CS_WRAP,
    CS_CENTER,
    CS_SCORE,
    CS_INT,
    CS_COUNT
};

typedef struct xw {
    lxw_workbook *wb;
    const ls_run *r;
    lxw_format *cell[ST_COUNT][CS_COUNT];
    lxw_format *title, *info, *head, *section, *group, *note, *sign, *label;
    lxw_format *grade[6]; /* 等次 of the 通报, coloured by band */
    lxw_error first;      /* first failure, LXW_NO_ERROR = none */
    char **names;         /* sheet names used */
    size_t nnames;
    /* the 通报's rows a sheet holds (LXW_ROW_MAX) and the rows handed to
     * it at a time (RANK_CHUNK): a test passes a few */
    size_t rank_rows, rank_chunk;
} xw;

static void check(xw *x, lxw_error e)
{
    if (e != LXW_NO_ERROR && x->first == LXW_NO_ERROR) x->first = e;
}

static lxw_format *new_format(xw *x, int bold, int border, int wrap, uint8_t align, int size)
{
    lxw_format *f = workbook_add_format(x->wb);
    format_set_font_name(f, "宋体");
    format_set_font_size(f, size);
    if (bold) format_set_bold(f);
    if (border) format_set_border(f, LXW_BORDER_THIN);
    if (wrap) format_set_text_wrap(f);
    if (align) format_set_align(f, align);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    return f;
}

static void make_formats(xw *x, int digits)
{
    char numfmt[16] = "0";
    if (digits > 0) {
        numfmt[1] = '.';
        memset(numfmt + 2, '0', (size_t)digits);
        numfmt[2 + digits] = '\0';
    }
    for (int st = 0; st < ST_COUNT; st++) {
        int bold = st != ST_PLAIN;
        x->cell[st][CS_WRAP] = new_format(x, bold, 1, 1, 0, 10);
        x->cell[st][CS_CENTER] = new_format(x, bold, 1, 1, LXW_ALIGN_CENTER, 10);
        x->cell[st][CS_SCORE] = new_format(x, bold, 1, 0, LXW_ALIGN_RIGHT, 10);
        format_set_num_format(x->cell[st][CS_SCORE], numfmt);
        x->cell[st][CS_INT] = new_format(x, bold, 1, 0, LXW_ALIGN_CENTER, 10);
        format_set_num_format(x->cell[st][CS_INT], "0");
        if (st == ST_CATEGORY)
            for (int cs = 0; cs < CS_COUNT; cs++) format_set_bg_color(x->cell[st][cs], 0xF2F2F2);
    }
    x->title = new_format(x, 1, 0, 1, LXW_ALIGN_CENTER, 16);
    x->info = new_format(x, 0, 0, 0, LXW_ALIGN_LEFT, 11);
    x->head = new_format(x, 1, 1, 1, LXW_ALIGN_CENTER, 10);
    format_set_bg_color(x->head, 0xD9D9D9);
    x->section = new_format(x, 1, 1, 0, LXW_ALIGN_LEFT, 10);
    format_set_bg_color(x->section, 0xE7EEF7);
    x->group = new_format(x, 1, 1, 0, LXW_ALIGN_LEFT, 12);
    format_set_bg_color(x->group, 0xDDEBF7);
    x->note = new_format(x, 0, 0, 1, LXW_ALIGN_LEFT, 10);
    x->sign = new_format(x, 0, 0, 0, LXW_ALIGN_LEFT, 11);
    x->label = new_format(x, 1, 0, 0, LXW_ALIGN_LEFT, 10);
    for (size_t i = 0; i < sizeof x->grade / sizeof *x->grade; i++) {
        x->grade[i] = new_format(x, 1, 1, 0, LXW_ALIGN_CENTER, 10);
        format_set_font_color(x->grade[i],
                              (lxw_color_t)strtol(ls_layout_band_color(i) + 1, NULL, 16));
    }
}

/* Texts longer than a cell holds (32,767 characters) are cut, whole
 * characters only. */
static void put_text(xw *x, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
                     lxw_format *f)
{
    size_t n = strlen(s);
    if (n <= 32000) {
        check(x, worksheet_write_string(ws, row, col, s, f));
        return;
    }
    char *cut = ls_xstrndup(s, (size_t)ls_utf8_clip(s, 32000));
    check(x, worksheet_write_string(ws, row, col, cut, f));
    free(cut);
}

static double to_double(const ls_lcell *c, int digits)
{
    return c->kind == LS_LC_INT ? (double)c->num : ls_dec_to_double(c->num, digits);
}

static int cell_style(const ls_lcol *col, const ls_lcell *c)
{
    if (c->kind == LS_LC_SCORE) return CS_SCORE;
    if (c->kind == LS_LC_INT) return CS_INT;
    return col->kind == LS_COL_SHORT || col->kind == LS_COL_NUM ? CS_CENTER : CS_WRAP;
}

static void set_height(xw *x, lxw_worksheet *ws, lxw_row_t row, int lines, double line_pt)
{
    double h = lines * line_pt + 3;
    if (h < 17) h = 17;
    if (h > 409) h = 409;
    check(x, worksheet_set_row(ws, row, h, NULL));
}

/* A column title as the header shows it: one too wide for its column
 * breaks before its last '（' ("依法全面履行政府职能\n（15分）"), so
 * that the points stay together; otherwise LibreOffice may leave the
 * closing '）' alone on the last line. */
static char *head_text(const char *title, int width)
{
    const char *open = NULL;
    for (const char *p = strstr(title, "（"); p; p = strstr(p + 1, "（")) open = p;
    if (!open || open == title || ls_display_width(title) <= width - 1) return ls_xstrdup(title);
    return ls_format("%.*s\n%s", (int)(open - title), title, open);
}

static void write_head(xw *x, lxw_worksheet *ws, lxw_row_t row, const ls_ltable *t)
{
    int lines = 1;
    for (size_t k = 0; k < t->ncols; k++) {
        char *h = head_text(t->cols[k].title, t->cols[k].width);
        put_text(x, ws, row, (lxw_col_t)k, h, x->head);
        int l = ls_wrap_lines(h, t->cols[k].width);
        if (l > lines) lines = l;
        free(h);
    }
    set_height(x, ws, row, lines, LINE_PT);
}

/* A text across every column of the table. */
static void write_across(xw *x, lxw_worksheet *ws, lxw_row_t row, const ls_ltable *t,
                         const char *s, lxw_format *f, int wrap)
{
    if (t->ncols > 1)
        check(x, worksheet_merge_range(ws, row, 0, row, (lxw_col_t)(t->ncols - 1), "", f));
    put_text(x, ws, row, 0, s, f);
    if (wrap) {
        int width = 0;
        for (size_t k = 0; k < t->ncols; k++) width += t->cols[k].width;
        set_height(x, ws, row, ls_wrap_lines(s, width), LINE_PT);
    }
}

/* One row of the table (not a heading or note). */
static void write_cells(xw *x, lxw_worksheet *ws, lxw_row_t row, const ls_ltable *t,
                        const ls_lrow *lr)
{
    int st = lr->kind == LS_LR_CATEGORY || lr->kind == LS_LR_SUBITEM ? ST_CATEGORY
             : lr->kind == LS_LR_SUMMARY                             ? ST_SUMMARY
                                                                     : ST_PLAIN;
    int lines = 1;
    for (size_t k = 0; k < t->ncols; k++) {
        const ls_lcell *c = &lr->c[k];
        lxw_format *f = x->cell[st][cell_style(&t->cols[k], c)];
        if (lr->band >= 0 && !strcmp(t->cols[k].title, "等次"))
            f = x->grade[(size_t)lr->band % (sizeof x->grade / sizeof *x->grade)];
        switch (c->kind) {
        case LS_LC_EMPTY:
            check(x, worksheet_write_blank(ws, row, (lxw_col_t)k, f));
            break;
        case LS_LC_TEXT: {
            put_text(x, ws, row, (lxw_col_t)k, c->text, f);
            int l = ls_wrap_lines(c->text, t->cols[k].width);
            if (l > lines) lines = l;
            break;
        }
        case LS_LC_SCORE:
        case LS_LC_INT:
            check(x, worksheet_write_number(ws, row, (lxw_col_t)k, to_double(c, t->digits), f));
            break;
        }
    }
    set_height(x, ws, row, lines, LINE_PT);
}

/* The table's rows from `row` on; returns the next free row. */
static lxw_row_t write_rows(xw *x, lxw_worksheet *ws, lxw_row_t row, const ls_ltable *t)
{
    for (size_t i = 0; i < t->nrows; i++, row++) {
        const ls_lrow *lr = &t->rows[i];
        const char *s = lr->c[0].kind == LS_LC_TEXT ? lr->c[0].text : "";
        switch (lr->kind) {
        case LS_LR_SECTION: write_across(x, ws, row, t, s, x->section, 0); break;
        case LS_LR_GROUP: write_across(x, ws, row, t, s, x->group, 0); break;
        case LS_LR_NOTE: write_across(x, ws, row, t, s, x->note, 1); break;
        default: write_cells(x, ws, row, t, lr); break;
        }
    }
    return row;
}

static void set_widths(xw *x, lxw_worksheet *ws, const ls_ltable *t)
{
    for (size_t k = 0; k < t->ncols; k++)
        check(x, worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, t->cols[k].width, NULL));
}

/* A footer's text: '&' doubled (a code otherwise), cut to fit. */
static char *footer_text(const char *left)
{
    ls_buf b;
    ls_buf_init(&b);
    ls_buf_puts(&b, "&L");
    for (const char *p = left; *p && b.n < 150; p++) {
        if (*p == '&') ls_buf_puts(&b, "&&");
        else if ((unsigned char)*p < 0x20) ls_buf_puts(&b, " ");
        else ls_buf_add(&b, p, 1);
    }
    ls_utf8_fix_tail(b.p);
    /* no "共 &N 页": LibreOffice counts the whole workbook's pages for
     * &N (a 2-page 评分表 read "第 1 页，共 56 页"), while &P restarts
     * on every sheet (worksheet_set_start_page) */
    ls_buf_puts(&b, "&R第 &P 页");
    return b.p;
}

/* Print settings; rows [head0, head] repeat on every page. */
static void print_setup(xw *x, lxw_worksheet *ws, int landscape, lxw_row_t head0, lxw_row_t head,
                        const char *left)
{
    worksheet_set_paper(ws, 9); /* A4 */
    if (landscape) worksheet_set_landscape(ws);
    else worksheet_set_portrait(ws);
    worksheet_set_margins(ws, 0.5, 0.5, 0.6, 0.7);
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_center_horizontally(ws);
    worksheet_set_start_page(ws, 1); /* each sheet's pages from 1 */
    check(x, worksheet_repeat_rows(ws, head0, head));
    char *foot = footer_text(left);
    check(x, worksheet_set_footer(ws, foot));
    free(foot);
}

/* Whether the name (compared as Excel does, ignoring ASCII case) is
 * taken. */
static int name_taken(const xw *x, const char *name)
{
    for (size_t i = 0; i < x->nnames; i++)
        if (!strcasecmp(x->names[i], name)) return 1;
    return !strcasecmp(name, "History");
}

/* A valid sheet name from `want`: no []:*?/\ or control characters (each
 * becomes '_'), no leading or trailing apostrophe, at most 31 characters,
 * unique ("…(2)" when taken). */
static lxw_worksheet *add_sheet(xw *x, const char *want, const char *fallback)
{
    ls_buf b;
    ls_buf_init(&b);
    for (const char *p = want; *p; p++)
        ls_buf_add(&b, strchr("[]:*?/\\", *p) || (unsigned char)*p < 0x20 ? "_" : p, 1);
    char *base = b.p ? b.p : ls_xstrdup("");
    char *s = base;
    while (*s == '\'') s++;
    size_t n = strlen(s);
    while (n && s[n - 1] == '\'') s[--n] = '\0';
    if (!*s) s = (char *)fallback;
    char *name = NULL;
    for (int k = 1; !name || name_taken(x, name); k++) {
        free(name);
        char suffix[16] = "";
        if (k > 1) snprintf(suffix, sizeof suffix, "(%d)", k);
        /* cut s so that it and the suffix make at most 31 characters */
        size_t keep = LXW_SHEETNAME_MAX - strlen(suffix), bytes = 0, chars = 0;
        while (s[bytes] && chars < keep) {
            bytes++;
            while ((s[bytes] & 0xC0) == 0x80) bytes++;
            chars++;
        }
        name = ls_format("%.*s%s", (int)bytes, s, suffix);
    }
    free(base);
    x->names = ls_xrealloc(x->names, (x->nnames + 1) * sizeof *x->names);
    x->names[x->nnames++] = name;
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
    if (!ws) check(x, LXW_ERROR_SHEETNAME_ALREADY_USED);
    return ws;
}

/* A 通报 sheet (通报, then 通报(2)… for a province past a sheet's rows)
 * with its title and column header; NULL when it could not be added. */
static lxw_worksheet *ranking_sheet(xw *x, const ls_ltable *t, int part)
{
    char *name = part ? ls_format("通报(%d)", part + 1) : ls_xstrdup("通报");
    lxw_worksheet *ws = add_sheet(x, name, name);
    free(name);
    if (!ws) return NULL;
    set_widths(x, ws, t);
    write_across(x, ws, 0, t, t->title, x->title, 0);
    check(x, worksheet_set_row(ws, 0, 30, NULL));
    write_head(x, ws, 1, t);
    worksheet_freeze_panes(ws, 2, 0);
    print_setup(x, ws, 1, 1, 1, x->r->scheme->name);
    return ws;
}

/* Rows of the 通报 handed to the sheet at a time: the table is never
 * built whole (at a million units it would hold 14 million cells). */
#define RANK_CHUNK 4096

/* The 通报, written group by group and within a group a chunk of units
 * (x->rank_chunk) at a time; each group after the first starts a printed
 * page.  A chunk that would end past the sheet's last row
 * (x->rank_rows) starts the next sheet, 通报(2), 通报(3)…, after its own
 * title and column header. */
static void write_ranking(xw *x)
{
    const ls_run *r = x->r;
    ls_ltable t = {0};
    ls_layout_ranking_head(r, &t);
    int part = 0;
    lxw_worksheet *ws = ranking_sheet(x, &t, part++);
    /* page breaks, ending with 0 as libxlsxwriter wants; at most 1023 */
    lxw_row_t breaks[1024] = {0};
    size_t nb = 0;
    lxw_row_t row = 2;
    for (size_t g = 0; ws && g < r->scheme->ngroups; g++) {
        if (g && nb < 1023 && row > 2) breaks[nb++] = row;
        ls_ltable_add_line(&t, LS_LR_GROUP, ls_layout_ranking_heading(r, g));
        for (size_t from = 0;;) {
            size_t n = ls_layout_ranking_units(r, g, from, x->rank_chunk, &t);
            from += n;
            if (n == 0) ls_ltable_add_line(&t, LS_LR_NOTE, ls_layout_bands(r, g));
            /* past the sheet's last row: on to 通报(2), … */
            if ((size_t)row + t.nrows > x->rank_rows) {
                if (nb) check(x, worksheet_set_h_pagebreaks(ws, breaks));
                memset(breaks, 0, sizeof breaks);
                nb = 0;
                if (!(ws = ranking_sheet(x, &t, part++))) break;
                row = 2;
            }
            row = write_rows(x, ws, row, &t);
            ls_ltable_clear_rows(&t);
            if (n == 0) break;
        }
    }
    if (ws && nb) check(x, worksheet_set_h_pagebreaks(ws, breaks));
    ls_ltable_cleanup(&t);
}

static void write_unit_sheet(xw *x, size_t u)
{
    const ls_unit *un = &x->r->scheme->units[u];
    ls_ltable t = {0};
    ls_layout_sheet(x->r, u, &t);
    lxw_worksheet *ws = add_sheet(x, un->name, un->id);
    if (!ws) goto out;
    set_widths(x, ws, &t);
    write_across(x, ws, 0, &t, t.title, x->title, 0);
    check(x, worksheet_set_row(ws, 0, 30, NULL));
    ls_buf info;
    ls_buf_init(&info);
    for (size_t i = 0; i < t.ninfo; i++) {
        if (i) ls_buf_puts(&info, "    ");
        ls_buf_puts(&info, t.info[i]);
    }
    write_across(x, ws, 1, &t, info.p ? info.p : "", x->info, 1);
    ls_buf_cleanup(&info);
    write_head(x, ws, 2, &t);
    lxw_row_t row = write_rows(x, ws, 3, &t) + 1;
    for (size_t i = 0; i < ls_layout_nsignatures; i++, row += 2) {
        put_text(x, ws, row, 1, ls_layout_signatures[i], x->sign);
        check(x, worksheet_set_row(ws, row, 24, NULL));
    }
    worksheet_freeze_panes(ws, 3, 0);
    print_setup(x, ws, 0, 0, 2, un->name);
out:
    ls_ltable_cleanup(&t);
}

/* A list written unit by unit (扣分明细, 缺报) on as many sheets as its
 * rows need: `base`, then base(2), base(3), … each with the column header
 * (under the table's title when `titled`), frozen, filtered and repeated
 * on printed pages.  t holds the columns; unit_rows appends a unit's
 * rows, which are written and dropped at once, so a province's list is
 * never held whole.  With `always` the first sheet is there even when
 * the list is empty. */
static void write_list(xw *x, ls_ltable *t, const char *base, int titled, int always,
                       size_t (*unit_rows)(const ls_run *r, size_t unit, ls_ltable *t))
{
    const ls_scheme *s = x->r->scheme;
    lxw_worksheet *ws = NULL;
    lxw_row_t head = titled ? 1 : 0, row = 0;
    lxw_col_t last = (lxw_col_t)(t->ncols - 1);
    int part = 0;
    for (size_t u = 0; u <= s->nunits; u++) {
        if (u < s->nunits) unit_rows(x->r, u, t);
        /* a new sheet for the first rows, and when these would not fit */
        int start = !ws ? always || t->nrows
                        : u < s->nunits && (size_t)row + t->nrows > LXW_ROW_MAX - 1 && row > head + 1;
        if (start) {
            if (ws) check(x, worksheet_autofilter(ws, head, 0, row - 1, last));
            char *name = part ? ls_format("%s(%d)", base, part + 1) : ls_xstrdup(base);
            part++;
            ws = add_sheet(x, name, name);
            free(name);
            if (!ws) return;
            set_widths(x, ws, t);
            if (titled) write_across(x, ws, 0, t, t->title, x->title, 0);
            write_head(x, ws, head, t);
            worksheet_freeze_panes(ws, head + 1, 0);
            print_setup(x, ws, 1, 0, head, s->name);
            row = head + 1;
        }
        if (ws) row = write_rows(x, ws, row, t);
        ls_ltable_clear_rows(t);
    }
    if (ws) check(x, worksheet_autofilter(ws, head, 0, row - 1, last));
}

/* The 扣分明细. */
static void write_losses(xw *x)
{
    ls_ltable t = {0};
    ls_layout_losses_head(x->r, &t);
    write_list(x, &t, "扣分明细", 0, 1, ls_layout_losses_unit);
    ls_ltable_cleanup(&t);
}

/* 主要失分项目: per group, every item on which its units lost points,
 * most units first. As in the 通报: a title, one column header (repeated
 * on every printed page), then each group under its own heading, each
 * group after the first starting a printed page, so that no page is
 * headed by another group's name. */
static void write_common_losses(xw *x)
{
    const ls_scheme *s = x->r->scheme;
    lxw_worksheet *ws = add_sheet(x, "主要失分项目", "主要失分项目");
    if (!ws) return;
    lxw_row_t row = 2;
    lxw_row_t *breaks = ls_xcalloc(s->ngroups + 1, sizeof *breaks);
    size_t nb = 0;
    for (size_t g = 0; g < s->ngroups; g++) {
        ls_ltable t = {0};
        ls_layout_common_losses(x->r, g, s->nleaves, &t);
        if (g == 0) {
            set_widths(x, ws, &t);
            char *title = ls_format("%s主要失分项目", s->name);
            write_across(x, ws, 0, &t, title, x->title, 0);
            free(title);
            check(x, worksheet_set_row(ws, 0, 30, NULL));
            write_head(x, ws, 1, &t);
        } else if (nb < 1023) {
            breaks[nb++] = row;
        }
        write_across(x, ws, row++, &t, t.title, x->group, 0);
        row = write_rows(x, ws, row, &t);
        ls_ltable_cleanup(&t);
    }
    if (nb) check(x, worksheet_set_h_pagebreaks(ws, breaks));
    free(breaks);
    worksheet_freeze_panes(ws, 2, 0);
    print_setup(x, ws, 1, 1, 1, s->name);
}

/* A sheet `name` holding table t under its title: with `wide`, printed
 * landscape with the title and header repeated on every page and the
 * header frozen (a province's long list); else portrait, as is. */
static void write_table_sheet(xw *x, const char *name, const ls_ltable *t, int wide)
{
    lxw_worksheet *ws = add_sheet(x, name, name);
    if (!ws) return;
    set_widths(x, ws, t);
    write_across(x, ws, 0, t, t->title, x->title, 0);
    check(x, worksheet_set_row(ws, 0, 30, NULL));
    write_head(x, ws, 1, t);
    write_rows(x, ws, 2, t);
    if (wide) worksheet_freeze_panes(ws, 2, 0);
    print_setup(x, ws, wide, wide ? 1 : 0, wide ? 1 : 0, x->r->scheme->name);
}

/* 缺报, when the data did not give every value: 缺报汇总, per group the
 * indicators and how many units left each to its default; then, with
 * the per-unit detail (`sheets`), 缺报, a row per unit and the values it
 * lacks. */
static void write_missing(xw *x, int sheets)
{
    ls_ltable t = {0};
    if (ls_layout_missing_summary(x->r, &t)) write_table_sheet(x, "缺报汇总", &t, 1);
    ls_ltable_cleanup(&t);
    if (!sheets) return;
    ls_layout_missing_head(x->r, &t);
    write_list(x, &t, "缺报", 1, 0, ls_layout_missing_unit);
    ls_ltable_cleanup(&t);
}

/* 自评对照, with 自评分: the office's sheet, after the 通报; per-unit
 * detail, so not in a province's workbook (results.csv has it). */
static void write_self(xw *x, int sheets)
{
    ls_ltable t = {0};
    if (sheets && ls_layout_self(x->r, &t)) write_table_sheet(x, "自评对照", &t, 0);
    ls_ltable_cleanup(&t);
}

/* 复核调整情况, with appeals: the changes in `diff`'s words, then the
 * decisions, on one sheet whose columns are the decisions' (the changes
 * take the whole width). */
static void write_appeals(xw *x)
{
    ls_ltable changes = {0}, decisions = {0};
    if (!ls_layout_appeals(x->r, &changes, &decisions)) return;
    lxw_worksheet *ws = add_sheet(x, changes.title, "复核调整情况");
    if (!ws) goto out;
    set_widths(x, ws, &decisions);
    write_across(x, ws, 0, &decisions, changes.title, x->title, 0);
    check(x, worksheet_set_row(ws, 0, 30, NULL));
    lxw_row_t row = 1;
    for (size_t i = 0; i < changes.nrows; i++, row++) {
        const ls_lrow *lr = &changes.rows[i];
        const char *s = lr->c[0].kind == LS_LC_TEXT ? lr->c[0].text : "";
        if (lr->kind == LS_LR_GROUP) write_across(x, ws, row, &decisions, s, x->group, 0);
        else if (lr->kind == LS_LR_NOTE) write_across(x, ws, row, &decisions, s, x->note, 1);
        else write_across(x, ws, row, &decisions, s, x->cell[ST_PLAIN][CS_WRAP], 1);
    }
    if (decisions.nrows) {
        row++;
        write_across(x, ws, row++, &decisions, decisions.title, x->section, 0);
        write_head(x, ws, row++, &decisions);
        write_rows(x, ws, row, &decisions);
    }
    print_setup(x, ws, 0, 0, 0, x->r->scheme->name);
out:
    ls_ltable_cleanup(&changes);
    ls_ltable_cleanup(&decisions);
}

static void write_about(xw *x, const ls_manifest *m, int sheets)
{
    const ls_scheme *s = x->r->scheme;
    lxw_worksheet *ws = add_sheet(x, "说明", "说明");
    if (!ws) return;
    check(x, worksheet_set_column(ws, 0, 0, 26, NULL));
    check(x, worksheet_set_column(ws, 1, 1, 60, NULL));
    check(x, worksheet_set_column(ws, 2, 2, 68, NULL));
    lxw_row_t row = 0;
    char year[16];
    snprintf(year, sizeof year, "%d", s->year);
    const char *pairs[][2] = {
        {"考核名称", s->name},
        {"年度", year},
        {"计算程序", "lawscore " LS_VERSION},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++, row++) {
        put_text(x, ws, row, 0, pairs[i][0], x->label);
        put_text(x, ws, row, 1, pairs[i][1], x->info);
    }
    put_text(x, ws, row, 0, "评分表", x->label);
    char *what = sheets ? ls_format("每个单位一张工作表（共%zu个单位）", s->nunits)
                        : ls_format("共%zu个单位，单位较多，本工作簿未包含各单位"
                                    "评分表、逐项扣分明细和逐个单位的缺报清单（见 items.csv，"
                                    "失分和缺报的汇总见主要失分项目、缺报汇总）；需要时运行 "
                                    "lawscore run --all-sheets，或用 lawscore explain --unit "
                                    "单位 查看单个单位",
                                    s->nunits);
    put_text(x, ws, row++, 1, what, x->info);
    free(what);
    row++;
    const ls_dataset *d = x->r->data;
    if (d && d->nwarnings) {
        /* read before publishing: values the run doubted */
        put_text(x, ws, row, 0, "数据提示（请核实）", x->head);
        put_text(x, ws, row, 1, "单位和指标", x->head);
        put_text(x, ws, row++, 2, "提示", x->head);
        for (size_t i = 0; i < d->nwarnings; i++, row++) {
            if (i == LS_LAYOUT_MAX_WARNINGS) {
                char *more = ls_format("另有%zu条数据提示，见 results.json 的 warnings", d->nwarnings - i);
                put_text(x, ws, row++, 2, more, x->cell[ST_PLAIN][CS_WRAP]);
                free(more);
                break;
            }
            const ls_data_warning *w = &d->warnings[i];
            char *at = ls_where(w->file, w->line, w->col), *who = ls_layout_data_warning_unit(x->r, w),
                 *text = ls_explain_data_warning(w);
            put_text(x, ws, row, 0, at, x->cell[ST_PLAIN][CS_WRAP]);
            put_text(x, ws, row, 1, who, x->cell[ST_PLAIN][CS_WRAP]);
            put_text(x, ws, row, 2, text, x->cell[ST_PLAIN][CS_WRAP]);
            set_height(x, ws, row, ls_wrap_lines(text, 68), LINE_PT);
            free(at);
            free(who);
            free(text);
        }
        row++;
    }
    if (!m) return;
    put_text(x, ws, row, 0, "输入文件", x->head);
    put_text(x, ws, row, 1, "文件", x->head);
    put_text(x, ws, row++, 2, "SHA-256", x->head);
    for (size_t i = 0; i < m->nfiles; i++, row++) {
        put_text(x, ws, row, 0, ls_layout_file_role(ls_mf_role_name(m->files[i].role)),
                 x->cell[ST_PLAIN][CS_CENTER]);
        put_text(x, ws, row, 1, m->files[i].path, x->cell[ST_PLAIN][CS_WRAP]);
        put_text(x, ws, row, 2, m->files[i].sha256, x->cell[ST_PLAIN][CS_WRAP]);
    }
    row++;
    if (m->nopts) {
        put_text(x, ws, row, 0, "选项", x->head);
        put_text(x, ws, row++, 1, "值", x->head);
    }
    for (size_t i = 0; i < m->nopts; i++, row++) {
        char *key = ls_layout_option_name(m->opts[i].key);
        put_text(x, ws, row, 0, key, x->cell[ST_PLAIN][CS_WRAP]);
        put_text(x, ws, row, 1, ls_layout_option_value(m->opts[i].value),
                 x->cell[ST_PLAIN][CS_WRAP]);
        set_height(x, ws, row, ls_wrap_lines(key, 26), LINE_PT);
        free(key);
    }
    print_setup(x, ws, 1, 0, 0, s->name);
}

int ls_write_xlsx(const ls_run *r, const ls_manifest *m, int sheets, const char *path,
                  const char *name, ls_errors *err)
{
    return ls_write_xlsx_limits(r, m, sheets, path, name, LXW_ROW_MAX, RANK_CHUNK, err);
}

int ls_write_xlsx_limits(const ls_run *r, const ls_manifest *m, int sheets, const char *path,
                         const char *name, size_t rank_rows, size_t rank_chunk, ls_errors *err)
{
    const ls_scheme *s = r->scheme;
    xw x = {0};
    x.r = r;
    x.first = LXW_NO_ERROR;
    /* a chunk, with its group's heading and note, fits a sheet below its
     * title and header */
    if (rank_rows > LXW_ROW_MAX) rank_rows = LXW_ROW_MAX;
    if (rank_rows < 5) rank_rows = 5;
    if (rank_chunk < 1) rank_chunk = 1;
    if (rank_chunk + 4 > rank_rows) rank_chunk = rank_rows - 4;
    x.rank_rows = rank_rows;
    x.rank_chunk = rank_chunk;
    /* Rows are written in order, so each sheet's rows go to a temporary
     * file as they are done: memory stays flat for province-scale runs
     * (at 10,000 units: 235 MB without, see docs/output.md). */
    x.wb = ls_xlsxw_new(path, 1, s->name, "考核结果", "lawscore " LS_VERSION, FIXED_CREATED);
    if (!x.wb) return ls_errorf(err, name, 0, 0, "cannot create the workbook");
    make_formats(&x, s->digits);

    write_ranking(&x);
    write_self(&x, sheets);
    write_appeals(&x);
    /* a province's detail is items.csv's: 1.8 million rows of 扣分明细
     * at 100,000 units */
    if (sheets) write_losses(&x);
    write_common_losses(&x);
    write_missing(&x, sheets);
    for (size_t u = 0; sheets && u < s->nunits; u++) write_unit_sheet(&x, u);
    write_about(&x, m, sheets);

    for (size_t i = 0; i < x.nnames; i++) free(x.names[i]);
    free(x.names);
    return ls_xlsxw_close(x.wb, x.first, name, err);
}
