/*
 * ls_export_html.c - report.html (see ls_export_html.h).
 *
 * The page is built in a buffer section by section and written out after
 * each, so a large report never sits whole in memory.
 */
#include "ls_export_html.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ls_explain.h"
#include "ls_layout.h"
#include "ls_svg.h"
#include "ls_util.h"

static const char style[] =
    "body{font-family:\"Noto Serif CJK SC\",\"Noto Sans CJK SC\",\"Source Han Serif SC\","
    "\"SimSun\",\"Songti SC\",\"Microsoft YaHei\",serif;color:#111;margin:0 auto;max-width:"
    "1100px;padding:16px;font-size:14px;line-height:1.45}\n"
    "h1{font-size:22px;text-align:center;margin:8px 0 4px}\n"
    "h2{font-size:18px;margin:18px 0 6px;border-bottom:2px solid #1565c0}\n"
    "h3{font-size:15px;margin:12px 0 4px}\n"
    "p.meta{text-align:center;color:#444;margin:0 0 10px}\n"
    "table{border-collapse:collapse;width:100%;margin:6px 0}\n"
    "th,td{border:1px solid #555;padding:3px 5px;vertical-align:middle}\n"
    "th{background:#e6e6e6;font-weight:bold;text-align:center}\n"
    "td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\n"
    "td.short{text-align:center;white-space:nowrap}\n"
    "td.long{font-size:12.5px}\n"
    "tr.category td{background:#f2f2f2;font-weight:bold}\n"
    "tr.subitem td{background:#fafafa;font-weight:bold}\n"
    "tr.summary td{font-weight:bold}\n"
    "tr.section td{background:#e7eef7;font-weight:bold}\n"
    "td.grade{font-weight:bold;text-align:center;white-space:nowrap}\n"
    ".charts{display:flex;flex-wrap:wrap;gap:8px 2%}\n"
    ".charts figure{margin:6px 0;width:49%}\n"
    "figure{margin:8px 0}\n"
    "svg.chart{width:100%;max-width:720px;height:auto;font-size:12px}\n"
    "table{table-layout:fixed}\n"
    "svg .chart-title{font-size:14px;font-weight:bold}\n"
    "svg .axis,svg .band-label,svg .legend{fill:#444}\n"
    "p.bands{margin:4px 0}\n"
    "nav ul{columns:3;margin:4px 0}\n"
    ".sheet-title{font-size:18px;font-weight:bold;text-align:center;border:none;background:none}\n"
    ".sheet-info{text-align:left;font-weight:normal;border:none;background:none}\n"
    ".sheet-info span{margin-right:2em}\n"
    "tr.sign td{border:none;padding-top:18px;line-height:2.6}\n"
    "tr.sign div{display:inline-block;min-width:30%}\n"
    "table.manifest td{font-size:12px;word-break:break-all}\n"
    "table.manifest th:first-child{width:6em}\n"
    ".notice{border:1px solid #ef8f00;background:#fff8e1;padding:6px 10px}\n"
    "@page{size:A4 portrait;margin:12mm 10mm 14mm;"
    "@bottom-right{content:\"第 \" counter(page) \" 页，共 \" counter(pages) \" 页\";"
    "font-size:9px;color:#444}}\n"
    "@page wide{size:A4 landscape;margin:10mm 10mm 12mm}\n"
    "@media print{body{max-width:none;padding:0;font-size:11px}td.long{font-size:10.5px}"
    "section.ranking{page:wide}nav{display:none}"
    "section.sheet{break-before:page;page-break-before:always}"
    "section.sheet:last-of-type{break-after:auto}"
    "tr,figure,tbody.end{break-inside:avoid;page-break-inside:avoid}"
    "h2,h3,tr.section,tr.category,tr.subitem{break-after:avoid;page-break-after:avoid}"
    "thead{display:table-header-group}"
    "section.group{break-before:page}section.group:first-of-type{break-before:auto}"
    "section.inputs{break-before:page}section.ranking+section.appeals{break-before:page}"
    "table.wide{font-size:10px;line-height:1.3}table.wide td,table.wide th{padding:2px 3px}"
    "table.wide td.long{font-size:9.5px}}\n"
    "table.changes td.long{font-size:13px}\n"
    /* a 文号 or date that does not fit its column widens it rather than
     * running into the next one */
    "table.decisions{table-layout:auto}\n"
    "tr.group td{background:#ddebf7;font-weight:bold}\n"
    "tr.note td{border:none;padding-top:6px}\n";

void ls_html_begin(ls_buf *b, const char *title, const char *extra_css)
{
    ls_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<meta name=\"generator\" content=\"lawscore " LS_VERSION "\">\n<title>");
    ls_xml_escape(b, title);
    ls_buf_puts(b, "</title>\n<style>\n");
    ls_buf_puts(b, style);
    if (extra_css) ls_buf_puts(b, extra_css);
    ls_buf_puts(b, "</style>\n</head>\n<body>\n");
}

void ls_html_end(ls_buf *b) { ls_buf_puts(b, "</body>\n</html>\n"); }

typedef struct hw {
    const ls_run *r;
    ls_buf b;
    FILE *f;
    int werr; /* errno of the first write failure */
} hw;

static void put(hw *h, const char *s) { ls_buf_puts(&h->b, s); }
static void esc(hw *h, const char *s) { ls_xml_escape(&h->b, s); }

static void flush(hw *h)
{
    if (h->b.n && fwrite(h->b.p, 1, h->b.n, h->f) != h->b.n && !h->werr)
        h->werr = errno ? errno : EIO;
    h->b.n = 0;
    if (h->b.p) h->b.p[0] = '\0';
}

static const char *col_class(ls_lcol_kind k)
{
    switch (k) {
    case LS_COL_SHORT: return "short";
    case LS_COL_NUM: return "num";
    case LS_COL_LONG: return "long";
    case LS_COL_NAME: break;
    }
    return "name";
}

static void put_cell(hw *h, const ls_ltable *t, size_t k, const ls_lcell *c, const char *extra)
{
    char buf[32];
    ls_buf_printf(&h->b, "<td class=\"%s%s\">", col_class(t->cols[k].kind), extra ? extra : "");
    switch (c->kind) {
    case LS_LC_EMPTY: break;
    case LS_LC_TEXT: esc(h, c->text); break;
    case LS_LC_SCORE: put(h, ls_dec_format(c->num, t->digits, buf)); break;
    case LS_LC_INT: ls_buf_printf(&h->b, "%lld", (long long)c->num); break;
    }
    put(h, "</td>");
}

/* Column widths in proportion to the layout's suggested widths. */
static void put_colgroup(hw *h, const ls_ltable *t)
{
    int sum = 0;
    for (size_t k = 0; k < t->ncols; k++) sum += t->cols[k].width;
    put(h, "<colgroup>");
    for (size_t k = 0; k < t->ncols && sum > 0; k++)
        ls_buf_printf(&h->b, "<col style=\"width:%.1f%%\">", 100.0 * t->cols[k].width / sum);
    put(h, "</colgroup>\n");
}

static void put_head(hw *h, const ls_ltable *t)
{
    put(h, "<tr>");
    for (size_t k = 0; k < t->ncols; k++) {
        put(h, "<th>");
        esc(h, t->cols[k].title);
        put(h, "</th>");
    }
    put(h, "</tr>\n");
}

static const char *row_class(ls_lrow_kind k)
{
    switch (k) {
    case LS_LR_CATEGORY: return "category";
    case LS_LR_SUBITEM: return "subitem";
    case LS_LR_SUMMARY: return "summary";
    case LS_LR_SECTION: return "section";
    case LS_LR_GROUP: return "group";
    case LS_LR_NOTE: return "note";
    case LS_LR_ITEM:
    case LS_LR_UNIT: break;
    }
    return "item";
}

/* Rows [from, to) of t. */
static void put_rows(hw *h, const ls_ltable *t, size_t from, size_t to, size_t grade_col)
{
    for (size_t i = from; i < to; i++) {
        const ls_lrow *lr = &t->rows[i];
        ls_buf_printf(&h->b, "<tr class=\"%s\">", row_class(lr->kind));
        if (lr->kind == LS_LR_SECTION || lr->kind == LS_LR_GROUP || lr->kind == LS_LR_NOTE) {
            ls_buf_printf(&h->b, "<td colspan=\"%zu\">", t->ncols);
            if (lr->c[0].kind == LS_LC_TEXT) esc(h, lr->c[0].text);
            put(h, "</td></tr>\n");
            continue;
        }
        for (size_t k = 0; k < t->ncols; k++) {
            if (k == grade_col && lr->band >= 0) {
                char extra[48];
                snprintf(extra, sizeof extra, " grade\" style=\"color:%s",
                         ls_layout_band_color((size_t)lr->band));
                put_cell(h, t, k, &lr->c[k], extra);
            } else {
                put_cell(h, t, k, &lr->c[k], NULL);
            }
        }
        put(h, "</tr>\n");
        /* a group of a province is a long table: write it as it goes, or
         * the buffer grows to the whole table (840 MB at a million units)
         * and keeps that size for the rest of the report */
        if (h->b.n > 65536) flush(h);
    }
}

static double dbl(const ls_run *r, ls_fixed v) { return ls_dec_to_double(v, r->scheme->digits); }

/* Share of a category's points a unit got, in percent; -1 when the
 * category was not scored for it. */
static double cat_share(const ls_run *r, size_t u, size_t node)
{
    const ls_cell *c = ls_run_cell(r, u, node);
    const ls_node *n = &r->scheme->nodes[node];
    if (c->state != LS_CELL_SCORED || n->points <= 0) return -1;
    return 100.0 * (double)c->score / (double)n->points;
}

/* The group's average of cat_share over the units it applies to; -1 when
 * none. */
static double group_share(const ls_run *r, size_t g, size_t node)
{
    double sum = 0;
    size_t n = 0;
    for (size_t k = 0; k < r->norder[g]; k++) {
        double v = cat_share(r, (size_t)r->order[g][k], node);
        if (v >= 0) {
            sum += v;
            n++;
        }
    }
    return n ? sum / (double)n : -1;
}

/* The group's charts; the totals as bars (one a unit) only with the
 * score sheets, i.e. up to LS_LAYOUT_MAX_SHEETS units or --all-sheets:
 * a province's thousands of bars read as a grey wall, and the
 * distribution says what they would. */
/* A bar chart drawn, then its title, bars and their texts freed (all
 * taken). */
static void draw_bars(hw *h, const char *id, char *title, double max, const char *unit, ls_svg_bar *bars,
                      char **texts, size_t n)
{
    ls_svg_bars chart = {id, title, max, unit, NULL, bars, n};
    ls_svg_bars_draw(&h->b, &chart);
    free(title);
    for (size_t i = 0; i < n; i++) free(texts[i]);
    free(texts);
    free(bars);
}

static void group_charts(hw *h, size_t g, int sheets)
{
    const ls_run *r = h->r;
    const ls_scheme *s = r->scheme;
    const ls_group *grp = &s->groups[g];
    size_t n = r->norder[g];
    char a[32];
    if (!n) return;
    put(h, "<div class=\"charts\">\n<figure>");

    /* distribution of totals, bands behind; a vetoed unit's grade is the
     * veto, not the band its total falls in: it is not counted there */
    double *vals = ls_xcalloc(n, sizeof *vals);
    double lo = 1e300, hi = dbl(r, s->total), vmax = 0;
    size_t nv = 0, vetoed = 0;
    for (size_t k = 0; k < n; k++) {
        const ls_unit_result *ur = &r->units[r->order[g][k]];
        if (ur->veto >= 0) {
            vetoed++;
            continue;
        }
        double v = vals[nv++] = dbl(r, ur->total);
        if (v < lo) lo = v;
        if (v > vmax) vmax = v;
    }
    if (!nv) lo = 0;
    double step = dbl(r, s->total) / 20;
    if (step <= 0) step = 1;
    for (size_t i = 0; i < grp->nbands; i++) {
        double m = dbl(r, grp->bands[i].min);
        if (m > 0 && m - step < lo) lo = m - step;
    }
    lo = floor(lo / step) * step;
    if (lo < 0) lo = 0;
    if (vmax >= hi) hi = ceil((vmax + step / 2) / step) * step;
    ls_svg_band *bands = ls_xcalloc(grp->nbands, sizeof *bands);
    for (size_t i = 0; i < grp->nbands; i++) {
        bands[i].from = dbl(r, grp->bands[i].min);
        bands[i].to = i ? dbl(r, grp->bands[i - 1].min) : hi;
        if (i == grp->nbands - 1 && bands[i].from > lo) bands[i].from = lo;
        if (bands[i].from < lo) bands[i].from = lo;
        bands[i].label = grp->bands[i].name;
        bands[i].color = ls_layout_band_color(i);
    }
    char *title = vetoed ? ls_format("%s：总分分布与等次分数线（不含一票否决单位%zu个）",
                                     grp->name, vetoed)
                         : ls_format("%s：总分分布与等次分数线", grp->name);
    ls_svg_hist hist = {"chart-distribution", title, lo, hi, step, vals, nv, bands,
                        grp->nbands, "个单位"};
    ls_svg_hist_draw(&h->b, &hist);
    free(title);
    free(bands);
    free(vals);
    put(h, "</figure>\n");

    /* totals in rank order, coloured by grade */
    if (sheets) {
        put(h, "<figure>");
        ls_svg_bar *bars = ls_xcalloc(n, sizeof *bars);
        char **texts = ls_xcalloc(n, sizeof *texts);
        for (size_t k = 0; k < n; k++) {
            size_t u = (size_t)r->order[g][k];
            const ls_unit_result *ur = &r->units[u];
            texts[k] = ls_format("%s %s%s", ls_dec_format(ur->total, s->digits, a),
                                 ls_explain_grade(r, u), ur->veto >= 0 ? "（一票否决）" : "");
            bars[k] = (ls_svg_bar){s->units[u].name, dbl(r, ur->total), texts[k],
                                   ur->band >= 0 ? ls_layout_band_color((size_t)ur->band) : "#777", 0, 0};
        }
        draw_bars(h, "chart-totals", ls_format("%s：总分（按名次）", grp->name), hi, "", bars, texts, n);
        put(h, "</figure>\n");
    }
    put(h, "<figure>");

    /* average share of points lost per category, most first */
    ls_svg_bar *bars = ls_xcalloc(s->nroots, sizeof *bars);
    char **texts = ls_xcalloc(s->nroots, sizeof *texts);
    size_t nb = 0;
    for (size_t i = 0; i < s->nroots; i++) {
        double v = group_share(r, g, (size_t)s->roots[i]);
        if (v < 0) continue;
        texts[nb] = ls_format("%.1f%%", 100 - v);
        bars[nb] = (ls_svg_bar){s->nodes[s->roots[i]].name, 100 - v, texts[nb], "#c62828", 0, 0};
        nb++;
    }
    /* insertion sort, stable: largest loss first */
    for (size_t i = 1; i < nb; i++)
        for (size_t j = i; j > 0 && bars[j].value > bars[j - 1].value; j--) {
            ls_svg_bar t = bars[j];
            bars[j] = bars[j - 1];
            bars[j - 1] = t;
        }
    double max = 0;
    for (size_t i = 0; i < nb; i++)
        if (bars[i].value > max) max = bars[i].value;
    max = max <= 0 ? 10 : ceil(max / 10) * 10;
    draw_bars(h, "chart-losses", ls_format("%s：各类失分率（平均失分占该类分值）", grp->name), max, "%", bars, texts,
              nb);
    put(h, "</figure>\n</div>\n");
}

/* A table under its title as a heading (h2 or h3), in class cls. */
static void put_table(hw *h, const ls_ltable *t, const char *heading, const char *cls)
{
    ls_buf_printf(&h->b, "<%s>", heading);
    esc(h, t->title);
    ls_buf_printf(&h->b, "</%s>\n<table class=\"%s\">", heading, cls);
    put_colgroup(h, t);
    put(h, "<thead>");
    put_head(h, t);
    put(h, "</thead><tbody>\n");
    put_rows(h, t, 0, t->nrows, (size_t)-1);
    put(h, "</tbody></table>\n");
}

/* The items on which most units of the group lost points. */
static void common_losses(hw *h, size_t g)
{
    ls_ltable t = {0};
    ls_layout_common_losses(h->r, g, 10, &t);
    if (t.nrows) put_table(h, &t, "h3", "losses");
    ls_ltable_cleanup(&t);
}

/* 复核调整情况 (ls_layout_diff): what changed, in `diff`'s words, and the
 * decisions behind it. */
static void put_changes(hw *h, const ls_ltable *changes, const ls_ltable *decisions)
{
    put(h, "<section class=\"appeals\">\n");
    put_table(h, changes, "h2", "changes");
    if (decisions->nrows) put_table(h, decisions, "h3", "decisions");
    put(h, "</section>\n");
    flush(h);
}

static void write_ranking(hw *h, int sheets)
{
    const ls_run *r = h->r;
    const ls_scheme *s = r->scheme;
    ls_ltable t = {0};
    ls_layout_ranking_head(r, &t);
    put(h, "<section class=\"ranking\">\n<h1>");
    esc(h, t.title);
    ls_buf_printf(&h->b, "</h1>\n<p class=\"meta\">年度：%d　共%zu个单位　计算程序：lawscore %s</p>\n",
                  s->year, s->nunits, LS_VERSION);
    if (!sheets)
        ls_buf_printf(&h->b,
                      "<p class=\"notice\">共%zu个单位，单位较多，本报告未包含各单位评分表；"
                      "需要时运行 lawscore run --all-sheets，"
                      "或用 lawscore explain --unit 单位 查看单个单位。</p>\n",
                      s->nunits);
    /* the grade column is coloured by band */
    size_t grade_col = (size_t)-1;
    for (size_t k = 0; k < t.ncols; k++)
        if (!strcmp(t.cols[k].title, "等次")) grade_col = k;
    for (size_t g = 0; g < s->ngroups; g++) {
        ls_buf_printf(&h->b, "<section class=\"group\" id=\"group-");
        esc(h, s->groups[g].id);
        put(h, "\">\n<h2>");
        char *text = ls_layout_ranking_heading(r, g);
        esc(h, text);
        free(text);
        put(h, "</h2>\n<p class=\"bands\">");
        text = ls_layout_bands(r, g);
        esc(h, text);
        free(text);
        put(h, "</p>\n<table class=\"rank\">");
        put_colgroup(h, &t);
        put(h, "<thead>");
        put_head(h, &t);
        put(h, "</thead><tbody>\n");
        /* the ranked units, then the vetoed ones under their heading; a
         * chunk at a time, never the province's table whole */
        for (size_t from = 0, n; (n = ls_layout_ranking_units(r, g, from, 4096, &t)) > 0;
             from += n) {
            put_rows(h, &t, 0, t.nrows, grade_col);
            ls_ltable_clear_rows(&t);
        }
        put(h, "</tbody></table>\n");
        group_charts(h, g, sheets);
        common_losses(h, g);
        put(h, "</section>\n");
        flush(h);
    }
    if (sheets && s->nunits) {
        put(h, "<nav><h2>评分表</h2><ul>\n");
        for (size_t u = 0; u < s->nunits; u++) {
            put(h, "<li><a href=\"#unit-");
            esc(h, s->units[u].id);
            put(h, "\">");
            esc(h, s->units[u].name);
            put(h, "</a></li>\n");
        }
        put(h, "</ul></nav>\n");
    }
    put(h, "</section>\n");
    ls_ltable_cleanup(&t);
}

static void unit_profile(hw *h, size_t u)
{
    const ls_run *r = h->r;
    const ls_scheme *s = r->scheme;
    size_t g = (size_t)s->units[u].group;
    ls_svg_bar *bars = ls_xcalloc(s->nroots, sizeof *bars);
    char **texts = ls_xcalloc(s->nroots, sizeof *texts);
    size_t nb = 0;
    for (size_t i = 0; i < s->nroots; i++) {
        size_t node = (size_t)s->roots[i];
        double v = cat_share(r, u, node);
        if (v < 0) continue;
        texts[nb] = ls_format("%.1f%%", v);
        bars[nb] = (ls_svg_bar){s->nodes[node].name, v, texts[nb], "#1565c0", 1,
                                group_share(r, g, node)};
        nb++;
    }
    if (nb) {
        char *title = ls_format("各类得分率（得分占该类分值）与%s平均", s->groups[g].name);
        ls_svg_bars c = {"chart-profile", title, 100, "%", "本组平均", bars, nb};
        put(h, "<figure>");
        ls_svg_bars_draw(&h->b, &c);
        put(h, "</figure>\n");
        free(title);
    }
    for (size_t i = 0; i < nb; i++) free(texts[i]);
    free(texts);
    free(bars);
}

static void write_sheet(hw *h, size_t u)
{
    const ls_scheme *s = h->r->scheme;
    ls_ltable t = {0};
    ls_layout_sheet(h->r, u, &t);
    put(h, "<section class=\"sheet\" id=\"unit-");
    esc(h, s->units[u].id);
    /* with 自评分 or 复核调整: smaller print, so that 9 columns fit A4 */
    ls_buf_printf(&h->b, "\">\n<table class=\"sheet%s\">", t.ncols > 6 ? " wide" : "");
    put_colgroup(h, &t);
    ls_buf_printf(&h->b, "<thead><tr><th class=\"sheet-title\" "
                         "colspan=\"%zu\">",
                  t.ncols);
    esc(h, t.title);
    ls_buf_printf(&h->b, "</th></tr>\n<tr><th class=\"sheet-info\" colspan=\"%zu\">", t.ncols);
    for (size_t i = 0; i < t.ninfo; i++) {
        put(h, "<span>");
        esc(h, t.info[i]);
        put(h, "</span>");
    }
    put(h, "</th></tr>\n");
    put_head(h, &t);
    put(h, "</thead><tbody>\n");
    size_t end = ls_layout_sheet_end(&t);
    put_rows(h, &t, 0, end, (size_t)-1);
    /* the end (一票否决 … 名次) and the signatures print on one page */
    put(h, "</tbody><tbody class=\"end\">\n");
    put_rows(h, &t, end, t.nrows, (size_t)-1);
    ls_buf_printf(&h->b, "<tr class=\"sign\"><td colspan=\"%zu\">", t.ncols);
    for (size_t i = 0; i < ls_layout_nsignatures; i++) {
        put(h, "<div>");
        esc(h, ls_layout_signatures[i]);
        put(h, "</div>");
    }
    put(h, "</td></tr>\n</tbody></table>\n");
    unit_profile(h, u);
    put(h, "</section>\n");
    ls_ltable_cleanup(&t);
    flush(h);
}

/* 数据提示: the warnings about the data the run printed, to be checked
 * before the report is published. */
static void write_data_warnings(hw *h)
{
    const ls_dataset *d = h->r->data;
    if (!d || !d->nwarnings) return;
    put(h, "<section class=\"inputs\"><h2>数据提示（请核实）</h2>\n");
    put(h, "<table class=\"manifest\"><thead><tr><th>位置</th><th>单位和指标</th><th>提示</th>"
           "</tr></thead><tbody>\n");
    for (size_t i = 0; i < d->nwarnings; i++) {
        if (i == LS_LAYOUT_MAX_WARNINGS) {
            ls_buf_printf(&h->b, "<tr><td></td><td></td><td>另有%zu条数据提示，见 results.json 的 warnings</td></tr>\n",
                          d->nwarnings - i);
            break;
        }
        const ls_data_warning *w = &d->warnings[i];
        char *at = ls_where(w->file, w->line, w->col), *who = ls_layout_data_warning_unit(h->r, w),
             *text = ls_explain_data_warning(w);
        put(h, "<tr><td>");
        esc(h, at);
        put(h, "</td><td>");
        esc(h, who);
        put(h, "</td><td>");
        esc(h, text);
        put(h, "</td></tr>\n");
        free(at);
        free(who);
        free(text);
    }
    put(h, "</tbody></table></section>\n");
}

static void write_inputs(hw *h, const ls_manifest *m)
{
    put(h, "<section class=\"inputs\"><h2>输入文件</h2>\n");
    ls_buf_printf(&h->b, "<p>计算程序：lawscore %s</p>\n", LS_VERSION);
    put(h, "<table class=\"manifest\"><thead><tr><th>类型</th><th>文件</th><th>SHA-256</th>"
           "</tr></thead><tbody>\n");
    for (size_t i = 0; i < m->nfiles; i++) {
        ls_buf_printf(&h->b, "<tr><td class=\"short\">%s</td><td>",
                      ls_layout_file_role(ls_mf_role_name(m->files[i].role)));
        esc(h, m->files[i].path);
        ls_buf_printf(&h->b, "</td><td>%s</td></tr>\n", m->files[i].sha256);
    }
    put(h, "</tbody></table>\n");
    if (m->nopts) {
        put(h, "<table class=\"manifest\"><thead><tr><th>选项</th><th>值</th></tr></thead><tbody>\n");
        for (size_t i = 0; i < m->nopts; i++) {
            char *key = ls_layout_option_name(m->opts[i].key);
            put(h, "<tr><td>");
            esc(h, key);
            put(h, "</td><td>");
            esc(h, ls_layout_option_value(m->opts[i].value));
            free(key);
            put(h, "</td></tr>\n");
        }
        put(h, "</tbody></table>\n");
    }
    put(h, "</section>\n");
}

/* The page's start: head with `title` + `suffix` (escaped) and the style. */
static void page_start(hw *h, const char *title, const char *suffix)
{
    errno = 0;
    char *t = ls_format("%s%s", title, suffix);
    ls_html_begin(&h->b, t, NULL);
    free(t);
}

/* The page's end, written out: 0, or -1 with an error naming `what`. */
static int page_end(hw *h, const char *what, ls_errors *err)
{
    ls_html_end(&h->b);
    flush(h);
    ls_buf_cleanup(&h->b);
    if (!h->werr && (ferror(h->f) || fflush(h->f) != 0)) h->werr = errno ? errno : EIO;
    if (h->werr) return ls_errorf(err, NULL, 0, 0, "cannot write %s: %s", what, strerror(h->werr));
    return 0;
}

int ls_write_html(const ls_run *r, const ls_manifest *m, int sheets, FILE *f, ls_errors *err)
{
    const ls_scheme *s = r->scheme;
    hw h = {r, {0}, f, 0};
    ls_buf_init(&h.b);
    page_start(&h, s->name, "结果");
    write_ranking(&h, sheets);
    ls_ltable changes = {0}, decisions = {0};
    if (ls_layout_appeals(r, &changes, &decisions)) put_changes(&h, &changes, &decisions);
    ls_ltable_cleanup(&changes);
    ls_ltable_cleanup(&decisions);
    for (size_t u = 0; sheets && u < s->nunits; u++) write_sheet(&h, u);
    ls_ltable self = {0};
    if (sheets && ls_layout_self(r, &self)) {
        /* the office's, apart from the public 通报 (docs/year.md) */
        put(&h, "<section class=\"self\">\n");
        put_table(&h, &self, "h2", "self");
        put(&h, "</section>\n");
        flush(&h);
    }
    ls_ltable_cleanup(&self);
    write_data_warnings(&h);
    if (m) write_inputs(&h, m);
    return page_end(&h, "report.html", err);
}

int ls_write_html_diff(const ls_results *a, const ls_results *b, FILE *f, ls_errors *err)
{
    hw h = {NULL, {0}, f, 0};
    ls_buf_init(&h.b);
    page_start(&h, b->name, "结果变动情况");
    put(&h, "<h1>");
    esc(&h, b->name);
    put(&h, "结果变动情况</h1>\n<p class=\"meta\">");
    esc(&h, a->source);
    put(&h, " → ");
    esc(&h, b->source);
    put(&h, "　计算程序：lawscore " LS_VERSION "</p>\n");
    ls_ltable changes = {0}, decisions = {0};
    ls_layout_diff(a, b, "总分、名次或等次有变动的单位", &changes, &decisions);
    put_changes(&h, &changes, &decisions);
    ls_ltable_cleanup(&changes);
    ls_ltable_cleanup(&decisions);
    return page_end(&h, "the differences", err);
}
