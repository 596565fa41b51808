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
#include <xlsxwriter.h>

#include "ls_util.h"

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

static int write_book(const ls_scheme *s, const unsigned char *sel, const char **sources, size_t nsources,
                      const char *tmp, ls_errors *err, const char *path)
{
    lxw_workbook_options wo = {.constant_memory = LXW_FALSE, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(tmp, &wo);
    if (!wb) return ls_errorf(err, path, 0, 0, "cannot create the workbook");
    /* fixed properties: the same scheme gives the same bytes */
    long y = s->year, days = 0;
    for (long k = 1970; k < y; k++) days += 365 + ((k % 4 == 0 && k % 100 != 0) || k % 400 == 0);
    lxw_doc_properties props = {.title = (char *)s->name, .created = (time_t)(days * 86400L)};
    workbook_set_properties(wb, &props);

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
        "3. 表头为橙色的指标必须填写；其余不填时按说明中的缺省值计算（lawscore check 会列出未填的指标）。",
        "4. 百分比填 95 或 95%（不要填 0.95）；是/否、选项类指标请从下拉列表中选择。",
        "5. 数值请直接输入数字，不要带单位；单元格批注中有指标说明和取值范围。",
        "6. 填好后直接保存为 .xlsx（Excel、WPS、LibreOffice 均可），无需另存为 CSV。",
        NULL};
    for (int i = 0; lines[i]; i++) worksheet_write_string(ins, r++, 0, lines[i], NULL);
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
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR) return ls_errorf(err, path, 0, 0, "cannot write the workbook: %s", lxw_strerror(e));
    return 0;
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
    for (size_t i = 0; i < o->nsources; i++) {
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
    if (!rc && !s->ninds) rc = ls_errorf(err, s->path, 0, 0, "the scheme has no indicators: nothing to collect");
    if (!rc) {
        char *tmp = ls_format("%s.tmp%ld", path, (long)getpid());
        rc = write_book(s, sel, want, nwant, tmp, err, path);
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
