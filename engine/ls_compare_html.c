/*
 * ls_compare_html.c - the comparison as an HTML page (see
 * ls_compare_html.h).
 */
#include "ls_compare_html.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ls_export_html.h"
#include "ls_svg.h"
#include "ls_util.h"

static const char extra_css[] =
    "table.compare td:first-child,table.cats td:first-child{white-space:nowrap}\n"
    "p.cap{margin:4px 0;font-size:13px}\n"
    "section.notes p{margin:2px 0}\n"
    "section.notes p.indent{margin-left:2em}\n"
    "@media print{figure.rank-chart svg{max-height:245mm;width:auto;max-width:100%}"
    "section.notes{break-before:page}}\n";

/* A table: row 0 its head; column 0 the unit, `short_col` centred, the
 * rest numbers. */
static void put_table(ls_buf *b, const char *cls, const ls_cmp_table *t, size_t short_col)
{
    /* columns as wide as their widest cell (the report's tables are
     * laid out fixed) */
    int *w = ls_xcalloc(t->ncols, sizeof *w), sum = 0;
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t k = 0; k < t->ncols; k++) {
            int dw = ls_display_width(ls_cmp_cell(t, r, k)) + 2;
            if (dw > w[k]) w[k] = dw;
        }
    for (size_t k = 0; k < t->ncols; k++) sum += w[k];
    ls_buf_printf(b, "<table class=\"%s\"><colgroup>", cls);
    for (size_t k = 0; k < t->ncols; k++) ls_buf_printf(b, "<col style=\"width:%.1f%%\">", 100.0 * w[k] / sum);
    free(w);
    ls_buf_puts(b, "</colgroup><thead><tr>");
    for (size_t k = 0; k < t->ncols; k++) {
        ls_buf_puts(b, "<th>");
        ls_xml_escape(b, ls_cmp_cell(t, 0, k));
        ls_buf_puts(b, "</th>");
    }
    ls_buf_puts(b, "</tr></thead><tbody>\n");
    for (size_t r = 1; r < t->nrows; r++) {
        ls_buf_puts(b, "<tr>");
        for (size_t k = 0; k < t->ncols; k++) {
            ls_buf_printf(b, "<td class=\"%s\">", !k ? "name" : k == short_col ? "short"
                                                                               : "num");
            ls_xml_escape(b, ls_cmp_cell(t, r, k));
            ls_buf_puts(b, "</td>");
        }
        ls_buf_puts(b, "</tr>\n");
    }
    ls_buf_puts(b, "</tbody></table>\n");
}

static void put_chart(ls_buf *b, const ls_comparison *c, const ls_cmp_group *g)
{
    ls_svg_slope_item *items = ls_xcalloc(g->nmoves + 1, sizeof *items);
    for (size_t i = 0; i < g->nmoves; i++)
        items[i] = (ls_svg_slope_item){g->moves[i].former, g->moves[i].name, g->moves[i].from, g->moves[i].to};
    char *title = ls_format("%s：名次变动（%d年度→%d年度）", g->name, c->year_a, c->year_b);
    char *lh = ls_format("%d年名次", c->year_a), *rh = ls_format("%d年名次", c->year_b);
    ls_svg_slope sc = {"chart-ranks", title, lh, rh, items, g->nmoves};
    ls_buf_puts(b, "<figure class=\"rank-chart\">");
    ls_svg_slope_draw(b, &sc);
    ls_buf_puts(b, "</figure>\n");
    free(title);
    free(lh);
    free(rh);
    free(items);
}

int ls_compare_write_html(const ls_compare_in *in, FILE *out, ls_errors *err)
{
    ls_comparison c;
    ls_compare_build(in, &c);
    ls_buf b;
    ls_buf_init(&b);
    errno = 0;
    char *title = ls_format("%d年度与%d年度考核结果比较", c.year_a, c.year_b);
    ls_html_begin(&b, title, extra_css);
    ls_buf_puts(&b, "<h1>");
    ls_xml_escape(&b, title);
    ls_buf_puts(&b, "</h1>\n<p class=\"meta\">");
    ls_xml_escape(&b, c.title);
    ls_buf_puts(&b, "</p>\n");
    free(title);
    int werr = 0;
    for (size_t g = 0; g < c.ngroups; g++) {
        const ls_cmp_group *cg = &c.groups[g];
        ls_buf_puts(&b, "<section class=\"group\">\n<h2>");
        ls_xml_escape(&b, cg->name);
        ls_buf_printf(&b, "（%zu个单位）</h2>\n", cg->nunits);
        put_table(&b, "compare", &cg->units, 6);
        for (size_t i = 0; i < cg->nnotes; i++) {
            ls_buf_puts(&b, "<p class=\"cap\">说明：");
            ls_xml_escape(&b, cg->notes[i]);
            ls_buf_puts(&b, "</p>\n");
        }
        put_chart(&b, &c, cg);
        ls_buf_puts(&b, "<h3>");
        ls_xml_escape(&b, cg->name);
        ls_buf_puts(&b, " 各类别得分变动（按类别编号对应）</h3>\n");
        put_table(&b, "cats", &cg->cats, (size_t)-1);
        ls_buf_puts(&b, "</section>\n");
        /* a section at a time: a large comparison never sits whole in memory */
        if (fwrite(b.p, 1, b.n, out) != b.n && !werr) werr = errno ? errno : EIO;
        b.n = 0;
        b.p[0] = '\0';
    }
    ls_buf_puts(&b, "<section class=\"notes\">\n");
    for (size_t i = 0; i < c.nlines; i++) {
        const char *l = c.lines[i];
        if (!*l) continue;
        int indent = l[0] == ' ';
        ls_buf_puts(&b, indent ? "<p class=\"indent\">" : "<p>");
        ls_xml_escape(&b, l + strspn(l, " "));
        ls_buf_puts(&b, "</p>\n");
    }
    ls_buf_puts(&b, "</section>\n");
    ls_html_end(&b);
    if (fwrite(b.p, 1, b.n, out) != b.n && !werr) werr = errno ? errno : EIO;
    ls_buf_cleanup(&b);
    ls_comparison_cleanup(&c);
    if (!werr && (ferror(out) || fflush(out) != 0)) werr = errno ? errno : EIO;
    if (werr) return ls_errorf(err, NULL, 0, 0, "cannot write the comparison: %s", strerror(werr));
    return 0;
}
