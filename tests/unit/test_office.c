/*
 * test_office.c - the office documents on the hand-built run of
 * fixtures/export/mini_run.h: results.xlsx (its sheets, read back with
 * libzip; numbers with the scheme's format; byte-identical twice; the
 * fixed creation time; sheet names made valid and unique; the 通报
 * continued on 通报(2)… on sheets of a few rows), report.html
 * (escaping of a hostile unit name, one score sheet section and one
 * profile chart per unit, byte-identical twice, sheets left out), the SVG
 * charts (escaping, clipping, histogram counts; the slope chart's labels
 * never overlapping at 20–60 units), --formats parsing and
 * ls_publish writing only the formats asked for.
 */
#include "ls_test.h"

#include <dirent.h>
#include <unistd.h>
#include <zip.h>

#include "ls_export_html.h"
#include "ls_export_xlsx.h"
#include "ls_layout.h"
#include "ls_publish.h"
#include "ls_svg.h"

#include "fixtures/export/mini_run.h"

#define HOSTILE "<script>alert(1)</script>"

static char *tmpdir(void)
{
    char *d = ls_xstrdup("/tmp/ls-office-XXXXXX");
    assert_non_null(mkdtemp(d));
    return d;
}

static void rm_dir(const char *d)
{
    DIR *dir = opendir(d);
    if (dir) {
        struct dirent *e;
        while ((e = readdir(dir))) {
            if (e->d_name[0] == '.' && (!e->d_name[1] || !strcmp(e->d_name, ".."))) continue;
            char *p = ls_format("%s/%s", d, e->d_name);
            unlink(p);
            free(p);
        }
        closedir(dir);
    }
    rmdir(d);
}

/* A member of a zip file, NUL-terminated; caller frees; NULL if absent. */
static char *zip_member(const char *path, const char *name)
{
    int e = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &e);
    assert_non_null(z);
    zip_stat_t st;
    char *buf = NULL;
    if (zip_stat(z, name, 0, &st) == 0) {
        zip_file_t *f = zip_fopen(z, name, 0);
        assert_non_null(f);
        buf = ls_xcalloc(st.size + 1, 1);
        assert_int_equal(zip_fread(f, buf, st.size), (zip_int64_t)st.size);
        zip_fclose(f);
    }
    zip_close(z);
    return buf;
}

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle)) n++;
    return n;
}

static char *read_all(const char *path)
{
    size_t n;
    char *p = ls_read_file(path, &n);
    assert_non_null(p);
    return p;
}

static void test_xlsx(void **state)
{
    mini_run *m = *state;
    m->s.units[MU_SL].name = HOSTILE;       /* '/' is not allowed in a sheet name */
    m->s.units[MU_HB].name = "区司法局";    /* two units of one name */
    m->s.units[MU_XFJ].name = "区信访\n局"; /* a control character */
    char *d = tmpdir();
    char *p1 = ls_format("%s/a.xlsx", d), *p2 = ls_format("%s/b.xlsx", d);
    ls_errors err;
    ls_errors_init(&err);
    assert_int_equal(ls_write_xlsx(&m->r, NULL, 1, p1, "a.xlsx", &err), 0);
    assert_int_equal(ls_write_xlsx(&m->r, NULL, 1, p2, "b.xlsx", &err), 0);
    size_t n1, n2;
    char *a = ls_read_file(p1, &n1), *b = ls_read_file(p2, &n2);
    assert_true(n1 > 1000);
    assert_int_equal(n1, n2);
    assert_memory_equal(a, b, n1);
    free(a);
    free(b);

    char *wb = zip_member(p1, "xl/workbook.xml");
    assert_non_null(wb);
    /* 通报, 扣分明细, 主要失分项目, one per unit, 说明 */
    assert_int_equal(count_of(wb, "<sheet "), 4 + MU_UNITS);
    assert_non_null(strstr(wb, "name=\"主要失分项目\""));
    assert_non_null(strstr(wb, "name=\"通报\""));
    assert_non_null(strstr(wb, "name=\"扣分明细\""));
    assert_non_null(strstr(wb, "name=\"说明\""));
    assert_non_null(strstr(wb, "name=\"&lt;script&gt;alert(1)&lt;_script&gt;\""));
    assert_non_null(strstr(wb, "name=\"区司法局\""));
    assert_non_null(strstr(wb, "name=\"区司法局(2)\""));
    assert_non_null(strstr(wb, "name=\"区信访_局\""));
    /* print titles repeat the header rows */
    assert_non_null(strstr(wb, "_xlnm.Print_Titles"));
    free(wb);
    char *core = zip_member(p1, "docProps/core.xml");
    assert_non_null(strstr(core, "1980-01-01T00:00:00Z"));
    free(core);
    char *styles = zip_member(p1, "xl/styles.xml");
    assert_non_null(strstr(styles, "formatCode=\"0.00\""));
    free(styles);
    /* 主要失分项目: one header row repeated (no group's name heads every
     * page), each group after the first on a new page */
    char *common = zip_member(p1, "xl/worksheets/sheet3.xml");
    assert_non_null(common);
    assert_non_null(strstr(common, "主要失分项目</t>"));
    assert_non_null(strstr(common, "<rowBreaks"));
    free(common);
    wb = zip_member(p1, "xl/workbook.xml");
    assert_non_null(strstr(wb, "'主要失分项目'!$2:$2"));
    free(wb);
    /* the first unit's sheet (after 通报, 扣分明细, 主要失分项目): 序号 stays text
     * (an inline string, the workbook being written row by row), 100.63
     * is a number */
    char *sheet = zip_member(p1, "xl/worksheets/sheet4.xml");
    assert_non_null(sheet);
    assert_null(zip_member(p1, "xl/sharedStrings.xml"));
    assert_non_null(strstr(sheet, "t=\"inlineStr\"><is><t>1.1</t></is>"));
    assert_non_null(strstr(sheet, "考核组成员签字："));
    assert_non_null(strstr(sheet, "<v>100.63</v>"));
    assert_non_null(strstr(sheet, "fitToPage=\"1\""));
    /* pages numbered per sheet, without a workbook-wide total */
    assert_non_null(strstr(sheet, "useFirstPageNumber=\"1\""));
    assert_non_null(strstr(sheet, "&amp;R第 &amp;P 页</oddFooter>"));
    assert_null(strstr(sheet, "&amp;N"));
    assert_non_null(strstr(sheet, "paperSize=\"9\""));
    free(sheet);

    /* without the per-unit detail: no 评分表 and no 扣分明细 (a
     * province's is items.csv), the 通报 and 主要失分项目 stay */
    assert_int_equal(ls_write_xlsx(&m->r, NULL, 0, p2, "b.xlsx", &err), 0);
    wb = zip_member(p2, "xl/workbook.xml");
    assert_int_equal(count_of(wb, "<sheet "), 3);
    assert_non_null(strstr(wb, "name=\"通报\""));
    assert_non_null(strstr(wb, "name=\"主要失分项目\""));
    assert_null(strstr(wb, "name=\"扣分明细\""));
    free(wb);
    char *about = zip_member(p2, "xl/worksheets/sheet3.xml"); /* 说明 */
    assert_non_null(strstr(about, "--all-sheets"));
    assert_non_null(strstr(about, "逐项扣分明细"));
    free(about);

    /* an unwritable path is an error naming the file */
    char *bad = ls_format("%s/no/such/dir/c.xlsx", d);
    assert_int_equal(ls_write_xlsx(&m->r, NULL, 1, bad, "results.xlsx", &err), -1);
    assert_int_equal(err.nerrors, 1);
    assert_string_equal(err.v[0].path, "results.xlsx");
    free(bad);
    ls_errors_cleanup(&err);
    unlink(p1);
    unlink(p2);
    free(p1);
    free(p2);
    rm_dir(d);
    free(d);
}

/* The rows of a sheet's XML, in order: each row's cell texts and
 * numbers joined with '|'; *last gets the highest row number (1-based).
 * Caller frees the rows and the array. */
static char **sheet_rows(const char *xml, size_t *n, long *last)
{
    char **v = NULL;
    *n = 0;
    *last = 0;
    for (const char *p = strstr(xml, "<row r=\""); p; p = strstr(p, "<row r=\"")) {
        long r = strtol(p + 8, NULL, 10);
        if (r > *last) *last = r;
        const char *end = strstr(p, "</row>");
        const char *close = strchr(p, '>');
        assert_non_null(close);
        if (close[-1] == '/') end = close; /* an empty row */
        assert_non_null(end);
        ls_buf b;
        ls_buf_init(&b);
        for (const char *q = p; q < end;) {
            /* <t>, <t xml:space="preserve"> or <v> */
            const char *t = strstr(q, "<t"), *vv = strstr(q, "<v>");
            while (t && t[2] != '>' && t[2] != ' ') t = strstr(t + 2, "<t");
            const char *c = t && (!vv || t < vv) ? t : vv;
            if (!c || c >= end) break;
            c = strchr(c, '>') + 1;
            const char *e = strchr(c, '<');
            ls_buf_printf(&b, "%s%.*s", b.n ? "|" : "", (int)(e - c), c);
            q = e;
        }
        v = ls_xrealloc(v, (*n + 1) * sizeof *v);
        v[(*n)++] = b.p ? b.p : ls_xstrdup("");
        p = end;
    }
    return v;
}

static void free_rows(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
}

/* The 通报 past a sheet's rows continues on 通报(2), 通报(3)…: the mini
 * run's 12 rows (title, header; 乡镇: heading, 2 units, note; 部门: heading,
 * 2 units, the 一票否决 heading, a vetoed unit, note) on sheets of 6 or 7
 * rows make 3 sheets, each with the title and the header, none past its
 * rows (some ending on their last row exactly); their rows after the
 * header are the one-sheet 通报's, in order, each once. */
static void test_xlsx_ranking_parts(void **state)
{
    mini_run *m = *state;
    char *d = tmpdir();
    char *whole = ls_format("%s/whole.xlsx", d), *parts = ls_format("%s/parts.xlsx", d);
    ls_errors err;
    ls_errors_init(&err);
    assert_int_equal(ls_write_xlsx(&m->r, NULL, 0, whole, "whole.xlsx", &err), 0);
    char *xml = zip_member(whole, "xl/worksheets/sheet1.xml");
    size_t nw;
    long lastw;
    char **rw = sheet_rows(xml, &nw, &lastw);
    free(xml);
    assert_int_equal(nw, 12);
    assert_int_equal(lastw, 12);
    assert_non_null(strstr(rw[1], "名次"));

    static const struct {
        size_t rows, chunk;
        int sheets;
        long last[3]; /* each sheet's last row */
    } cases[] = {
        /* a row at a time: 乡镇's heading and units and note fill the
         * sheet; 部门's heading with its first unit starts 通报(2), which
         * the 一票否决 heading fills; the vetoed unit and the note on
         * 通报(3) */
        {6, 1, 3, {6, 6, 4}},
        /* 3 at a time: 乡镇 (heading and 2 units), its note; 部门's heading
         * and 3 rows on 通报(2), the vetoed unit on its last row; the
         * group's note alone on 通报(3) */
        {7, 3, 3, {6, 7, 3}},
        {13, 9, 1, {12, 0, 0}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        assert_int_equal(
            ls_write_xlsx_limits(&m->r, NULL, 0, parts, "parts.xlsx", cases[c].rows, cases[c].chunk, &err), 0);
        char *wb = zip_member(parts, "xl/workbook.xml");
        size_t at = 2; /* the next row of the whole 通报 expected */
        for (int k = 0; k < cases[c].sheets; k++) {
            char name[32];
            if (k) snprintf(name, sizeof name, "name=\"通报(%d)\"", k + 1);
            else snprintf(name, sizeof name, "name=\"通报\"");
            assert_non_null(strstr(wb, name));
            char file[64];
            snprintf(file, sizeof file, "xl/worksheets/sheet%d.xml", k + 1);
            xml = zip_member(parts, file);
            assert_non_null(xml);
            size_t n;
            long last;
            char **r = sheet_rows(xml, &n, &last);
            free(xml);
            assert_int_equal(last, cases[c].last[k]);
            assert_true(last <= (long)cases[c].rows);
            assert_int_equal((long)n, last);
            assert_true(n > 2);
            assert_string_equal(r[0], rw[0]);
            assert_string_equal(r[1], rw[1]);
            for (size_t i = 2; i < n; i++) {
                assert_true(at < nw);
                assert_string_equal(r[i], rw[at++]);
            }
            free_rows(r, n);
        }
        /* every row once, and no further 通报 sheet */
        assert_int_equal(at, nw);
        char more[32];
        snprintf(more, sizeof more, "name=\"通报(%d)\"", cases[c].sheets + 1);
        assert_null(strstr(wb, more));
        free(wb);
    }
    assert_int_equal(err.n, 0);
    free_rows(rw, nw);
    ls_errors_cleanup(&err);
    unlink(whole);
    unlink(parts);
    free(whole);
    free(parts);
    rm_dir(d);
    free(d);
}

/* report.html written into memory. */
static char *html_of(mini_run *m, int sheets)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    ls_errors err;
    ls_errors_init(&err);
    assert_int_equal(ls_write_html(&m->r, NULL, sheets, f, &err), 0);
    assert_int_equal(err.n, 0);
    ls_errors_cleanup(&err);
    fclose(f);
    return buf;
}

/* A warning about the data (a percent typed as a fraction, in a
 * spreadsheet's cell E3) is on the workbook's 说明 sheet with its cell,
 * unit and indicator, in the unit's 评分表 (a 数据提示 row) and in the
 * report's 数据提示 section. */
static void test_data_warnings(void **state)
{
    mini_run *m = *state;
    ls_data_warning w = {LS_DW_PERCENT_FRACTION, "data.xlsx:部门", 3, -5, MU_SFJ, MI_RATE, "0.95", "value 0.95 ...", -1};
    ls_dataset_add_warning(&m->d, &w);
    assert_ptr_equal(ls_dataset_value_warning(&m->d, MU_SFJ, MI_RATE), &m->d.warnings[0]);
    assert_null(ls_dataset_value_warning(&m->d, MU_SFJ, MI_LATE));
    assert_null(ls_dataset_value_warning(&m->d, MU_HB, MI_RATE));
    char *d = tmpdir();
    char *p = ls_format("%s/w.xlsx", d);
    ls_errors err;
    ls_errors_init(&err);
    assert_int_equal(ls_write_xlsx(&m->r, NULL, 1, p, "w.xlsx", &err), 0);
    char *wb = zip_member(p, "xl/workbook.xml");
    int n = count_of(wb, "<sheet ");
    free(wb);
    char *path = ls_format("xl/worksheets/sheet%d.xml", n); /* 说明, the last */
    char *about = zip_member(p, path);
    assert_non_null(about);
    assert_non_null(strstr(about, "<t>数据提示（请核实）</t>"));
    assert_non_null(strstr(about, "<t>data.xlsx:部门!E3</t>"));
    char *who = ls_format("<t>%s：%s</t>", m->s.units[MU_SFJ].name, m->s.inds[MI_RATE].name);
    assert_non_null(strstr(about, who));
    assert_non_null(strstr(about, "百分比指标填报值0.95，按0.95%计算"));
    free(about);
    free(path);
    /* the sheet of sfj (after 通报, 扣分明细, 主要失分项目, in unit order) */
    path = ls_format("xl/worksheets/sheet%d.xml", 4 + MU_SFJ);
    char *sheet = zip_member(p, path);
    assert_non_null(strstr(sheet, "<t>数据提示</t>"));
    free(sheet);
    free(path);
    path = ls_format("xl/worksheets/sheet%d.xml", 4 + MU_HB);
    sheet = zip_member(p, path);
    assert_null(strstr(sheet, "数据提示"));
    free(sheet);
    free(path);
    char *h = html_of(m, 1);
    assert_non_null(strstr(h, "<h2>数据提示（请核实）</h2>"));
    assert_non_null(strstr(h, "<td>data.xlsx:部门!E3</td>"));
    assert_int_equal(count_of(h, "百分比指标填报值0.95"), 2); /* the list and sfj's 评分表 */
    free(h);
    /* past LS_LAYOUT_MAX_WARNINGS the lists say how many more there are */
    ls_data_warning o = {LS_DW_OTHER, "data.yaml", 1, 1, -1, -1, NULL, "other", -1};
    for (int i = 0; i < LS_LAYOUT_MAX_WARNINGS; i++) ls_dataset_add_warning(&m->d, &o);
    h = html_of(m, 0);
    assert_int_equal(count_of(h, "<td>data.yaml:1:1</td>"), LS_LAYOUT_MAX_WARNINGS - 1);
    assert_non_null(strstr(h, "另有1条数据提示，见 results.json 的 warnings"));
    free(h);
    assert_int_equal(ls_write_xlsx(&m->r, NULL, 0, p, "w.xlsx", &err), 0);
    wb = zip_member(p, "xl/workbook.xml");
    n = count_of(wb, "<sheet ");
    free(wb);
    path = ls_format("xl/worksheets/sheet%d.xml", n);
    about = zip_member(p, path);
    assert_int_equal(count_of(about, "<t>data.yaml:1:1</t>"), LS_LAYOUT_MAX_WARNINGS - 1);
    assert_non_null(strstr(about, "另有1条数据提示，见 results.json 的 warnings"));
    free(about);
    free(path);
    free(who);
    ls_errors_cleanup(&err);
    unlink(p);
    rmdir(d);
    free(p);
    free(d);
}

static void test_html(void **state)
{
    mini_run *m = *state;
    m->s.units[MU_SL].name = HOSTILE;
    m->r.reasons[0] = "a < b & \"c\""; /* 长青乡 1.1's reason */
    char *h = html_of(m, 1), *h2 = html_of(m, 1);
    assert_string_equal(h, h2);
    free(h2);
    assert_true(!strncmp(h, "<!DOCTYPE html>", 15));
    /* nothing from outside, no script */
    assert_null(strstr(h, "<script"));
    assert_null(strstr(h, "<link"));
    /* the only address is the SVG namespace */
    assert_int_equal(count_of(h, "http"), count_of(h, "http://www.w3.org/2000/svg"));
    assert_non_null(strstr(h, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_non_null(strstr(h, "a &lt; b &amp; &quot;c&quot;"));
    assert_int_equal(count_of(h, "<section class=\"sheet\""), MU_UNITS);
    assert_int_equal(count_of(h, "class=\"chart chart-profile\""), MU_UNITS);
    assert_int_equal(count_of(h, "class=\"chart chart-distribution\""), 2);
    assert_int_equal(count_of(h, "class=\"chart chart-totals\""), 2);
    assert_int_equal(count_of(h, "class=\"chart chart-losses\""), 2);
    /* a vetoed unit's grade is the veto: not counted in the band of its
     * total, and the chart says so */
    assert_int_equal(count_of(h, "总分分布与等次分数线（不含一票否决单位1个）"), 2); /* label and title */
    assert_int_equal(count_of(h, "考核组成员签字："), MU_UNITS);
    assert_non_null(strstr(h, "<td class=\"num\">100.63</td>"));
    assert_non_null(strstr(h, "<td class=\"short\">并列1</td>"));
    assert_non_null(strstr(h, "<td class=\"num\">-4.00</td>"));
    assert_non_null(strstr(h, "break-before:page"));
    assert_null(strstr(h, "--all-sheets"));
    /* each 评分表 ends with one block kept on one page: the veto items,
     * 总分 … 名次 and the signatures; headings keep with their next row */
    assert_int_equal(count_of(h, "<tbody class=\"end\">"), MU_UNITS);
    assert_non_null(strstr(h, "tbody.end{break-inside:avoid"));
    assert_non_null(strstr(h, "tr.section,tr.category,tr.subitem{break-after:avoid"));
    for (const char *p = strstr(h, "<tbody class=\"end\">"); p; p = strstr(p + 1, "<tbody class=\"end\">")) {
        const char *e = strstr(p, "</tbody>");
        char *blk = ls_xstrndup(p, (size_t)(e - p));
        assert_non_null(strstr(blk, "<td colspan=\"6\">一票否决项目</td>"));
        assert_non_null(strstr(blk, ">总分</td>"));
        assert_non_null(strstr(blk, ">等次</td>"));
        assert_non_null(strstr(blk, "考核组成员签字："));
        free(blk);
    }
    /* the 通报: the vetoed unit apart, without a 名次 */
    const char *veto = strstr(h, "<tr class=\"section\"><td colspan=\"10\">一票否决单位（1个）</td></tr>");
    assert_non_null(veto);
    assert_non_null(strstr(veto, "<tr class=\"item\"><td class=\"short\"></td><td class=\"name\">区信访局"));
    free(h);
    h = html_of(m, 0);
    assert_int_equal(count_of(h, "<section class=\"sheet\""), 0);
    /* a bar per unit only with the score sheets; the distribution stays */
    assert_int_equal(count_of(h, "class=\"chart chart-totals\""), 0);
    assert_int_equal(count_of(h, "class=\"chart chart-distribution\""), 2);
    assert_non_null(strstr(h, "--all-sheets"));
    free(h);
}

static void test_svg(void **state)
{
    (void)state;
    ls_buf b;
    ls_buf_init(&b);
    ls_xml_escape(&b, "a<b>&\"c'");
    assert_string_equal(b.p, "a&lt;b&gt;&amp;&quot;c&#39;");
    ls_buf_cleanup(&b);

    ls_buf_init(&b);
    ls_svg_bar bars[] = {{"<甲>", 150, "150", "#000", 0, 0}, {"乙", 50, NULL, NULL, 1, 25}};
    ls_svg_bars c = {"chart-x", "标题&", 100, "%", "平均", bars, 2};
    ls_svg_bars_draw(&b, &c);
    assert_non_null(strstr(b.p, "<svg class=\"chart chart-x\""));
    assert_non_null(strstr(b.p, "标题&amp;"));
    assert_non_null(strstr(b.p, "&lt;甲&gt;"));
    assert_int_equal(count_of(b.p, "<rect class=\"bar\""), 2);
    assert_int_equal(count_of(b.p, "<line class=\"marker\""), 1);
    assert_non_null(strstr(b.p, "<title>平均：25%</title>"));
    /* 150 on an axis to 100 is drawn as long as the axis, 50 half as long */
    const char *w1 = strstr(strstr(b.p, "<rect class=\"bar\""), "width=\"");
    const char *w2 = strstr(strstr(w1, "<rect class=\"bar\""), "width=\"");
    double a = atof(w1 + 7), half = atof(w2 + 7);
    assert_true(a > 0 && a - 2 * half < 0.2 && a - 2 * half > -0.2);
    ls_buf_cleanup(&b);

    /* a label too long for its column is cut and ends in '…'; the bar's
     * tooltip keeps the whole name */
    ls_buf_init(&b);
    const char *lng = "全面提高政府工作人员法治思维和依法行政能力全面提高政府工作人员法治思维和依法行政能力";
    ls_svg_bar long_bar[] = {{lng, 50, NULL, NULL, 0, 0}};
    ls_svg_bars lc = {"chart-y", "长", 100, "%", NULL, long_bar, 1};
    ls_svg_bars_draw(&b, &lc);
    assert_non_null(strstr(b.p, "…</text>"));
    char *tip = ls_format("<title>%s：", lng);
    assert_non_null(strstr(b.p, tip));
    free(tip);
    ls_buf_cleanup(&b);

    ls_buf_init(&b);
    double vals[] = {85, 90, 92.5, 100, 40};
    ls_svg_band bands[] = {{90, 100, "优秀", "#0f0"}, {60, 90, "合格", "#00f"}, {0, 60, "不合格", "#f00"}};
    ls_svg_hist hist = {"chart-h", NULL, 60, 100, 5, vals, 5, bands, 3, "个"};
    ls_svg_hist_draw(&b, &hist);
    assert_int_equal(count_of(b.p, "<rect class=\"bin\""), 8);
    assert_int_equal(count_of(b.p, "<rect class=\"band\""), 2); /* 不合格 is outside 60–100 */
    assert_non_null(strstr(b.p, "<title>60–65：1个</title>"));  /* 40 counts in the first bin */
    assert_non_null(strstr(b.p, "<title>90–95：2个</title>"));
    assert_non_null(strstr(b.p, "<title>95–100：1个</title>")); /* the last bin is closed */
    assert_non_null(strstr(b.p, "<title>85–90：1个</title>"));
    ls_buf_cleanup(&b);
}

/* The y of every label on one side ("label left" or "label right") of a
 * slope chart, in the order drawn; *n of them (caller frees). */
static double *slope_label_ys(const char *svg, const char *cls, size_t *n)
{
    double *ys = NULL;
    *n = 0;
    char *key = ls_format("class=\"%s\">", cls);
    for (const char *p = strstr(svg, key); p; p = strstr(p + 1, key)) {
        const char *tag = p;
        while (tag > svg && strncmp(tag, "<text ", 6)) tag--;
        double x, y;
        assert_int_equal(sscanf(tag, "<text x=\"%lf\" y=\"%lf\"", &x, &y), 2);
        ys = ls_xrealloc(ys, (*n + 1) * sizeof *ys);
        ys[(*n)++] = y;
    }
    free(key);
    return ys;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The rank-change chart at 20, 40 and 60 units, with ties, new units and
 * long names: no two labels of one side closer than a 12 px line. */
static void test_svg_slope(void **state)
{
    (void)state;
    for (size_t n = 20; n <= 60; n += 20) {
        ls_svg_slope_item *it = ls_xcalloc(n, sizeof *it);
        char **names = ls_xcalloc(n, sizeof *names);
        for (size_t i = 0; i < n; i++) {
            names[i] = ls_format(i == 3 ? "<b>单位%zu" : i == 7 ? "全面提高政府工作人员法治思维和依法行政能力单位%zu"
                                                                : "单位%zu",
                                 i);
            /* later rank i+1 with every 5th tied to the one before (1 1 3
             * ...); earlier ranks reversed in pairs, ties every 7th */
            int to = (int)i + 1, from = (int)(i ^ 1) + 1;
            if (i % 5 == 1) to = (int)i;
            if (i % 7 == 2) from = (int)i;
            if ((size_t)from > n) from = (int)n;
            if (i == n - 1) from = 0; /* new */
            it[i] = (ls_svg_slope_item){i == n - 1 ? NULL : names[i], names[i], from, to};
        }
        ls_svg_slope c = {"chart-ranks", "名次变动", "2017年名次", "2018年名次", it, n};
        ls_buf b;
        ls_buf_init(&b);
        ls_svg_slope_draw(&b, &c);
        assert_int_equal(count_of(b.p, "<g class=\"slope "), n);
        assert_int_equal(count_of(b.p, "<g class=\"slope new\""), 1);
        assert_int_equal(count_of(b.p, "<line x1="), n - 1 + 3); /* lines, and the legend's three */
        assert_non_null(strstr(b.p, "&lt;b&gt;单位3"));
        assert_null(strstr(b.p, "<b>"));
        assert_non_null(strstr(b.p, "…</text>")); /* the long name cut */
        const char *sides[] = {"label left", "label right"};
        for (int s = 0; s < 2; s++) {
            size_t k;
            double *ys = slope_label_ys(b.p, sides[s], &k);
            assert_int_equal(k, s ? n : n - 1);
            qsort(ys, k, sizeof *ys, cmp_double);
            for (size_t i = 1; i < k; i++) assert_true(ys[i] - ys[i - 1] >= 12);
            free(ys);
        }
        ls_buf_cleanup(&b);
        for (size_t i = 0; i < n; i++) free(names[i]);
        free(names);
        free(it);
    }
}

static void test_formats(void **state)
{
    (void)state;
    unsigned f = 0;
    ls_errors err;
    ls_errors_init(&err);
    assert_int_equal(ls_publish_parse_formats("csv", &f, &err), 0);
    assert_int_equal(f, LS_OUT_CSV);
    assert_int_equal(ls_publish_parse_formats("html,xlsx,json,csv", &f, &err), 0);
    assert_int_equal(f, LS_OUT_ALL);
    assert_int_equal(ls_publish_parse_formats("csv,pdf", &f, &err), -1);
    assert_string_equal(err.v[0].msg, "--formats: unknown format 'pdf' (expected a list of csv, "
                                      "json, xlsx, html, such as csv,xlsx)");
    assert_int_equal(ls_publish_parse_formats("csv,", &f, &err), -1);
    assert_string_equal(err.v[1].msg, "--formats: unknown format '' (expected a list of csv, "
                                      "json, xlsx, html, such as csv,xlsx)");
    assert_int_equal(ls_publish_parse_formats("xlsx,xlsx", &f, &err), -1);
    assert_string_equal(err.v[2].msg, "--formats: 'xlsx' is given twice");
    ls_errors_cleanup(&err);
}

static int exists(const char *d, const char *name)
{
    char *p = ls_format("%s/%s", d, name);
    int ok = access(p, F_OK) == 0;
    free(p);
    return ok;
}

static void test_publish(void **state)
{
    mini_run *m = *state;
    char *d = tmpdir();
    ls_errors err;
    ls_errors_init(&err);
    ls_publish_opts o = {.formats = LS_OUT_XLSX | LS_OUT_HTML};
    assert_int_equal(ls_publish(&m->r, NULL, d, &o, &err), 0);
    assert_true(exists(d, "results.xlsx"));
    assert_true(exists(d, "report.html"));
    assert_false(exists(d, "results.csv"));
    assert_false(exists(d, "results.json"));
    assert_int_equal(err.n, 0);
    char *path = ls_format("%s/report.html", d);
    char *h = read_all(path);
    assert_int_equal(count_of(h, "<section class=\"sheet\""), MU_UNITS);
    free(h);
    /* above the limit: no score sheets, and a note saying how to get them */
    ls_publish_opts few = {.formats = LS_OUT_HTML, .max_sheets = 4};
    assert_int_equal(ls_publish(&m->r, NULL, d, &few, &err), 0);
    assert_int_equal(err.nerrors, 0);
    assert_int_equal(err.n, 1);
    assert_string_equal(err.v[0].msg,
                        "5 units: results.xlsx and report.html hold the ranking (通报) with its "
                        "summaries (主要失分项目, 缺报汇总, charts), without a score sheet (评分表) "
                        "or the item-by-item lists (扣分明细, 缺报) per unit (more than 4 units; "
                        "items.csv has every item); --all-sheets includes them, `lawscore explain "
                        "--unit ID` prints one unit's sheet");
    h = read_all(path);
    assert_int_equal(count_of(h, "<section class=\"sheet\""), 0);
    free(h);
    few.all_sheets = 1;
    assert_int_equal(ls_publish(&m->r, NULL, d, &few, &err), 0);
    assert_int_equal(err.n, 1);
    h = read_all(path);
    assert_int_equal(count_of(h, "<section class=\"sheet\""), MU_UNITS);
    free(h);
    free(path);
    ls_errors_cleanup(&err);
    rm_dir(d);
    free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_xlsx, mini_run_setup_leaves, mini_run_teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_ranking_parts, mini_run_setup_leaves, mini_run_teardown),
        cmocka_unit_test_setup_teardown(test_html, mini_run_setup_leaves, mini_run_teardown),
        cmocka_unit_test_setup_teardown(test_data_warnings, mini_run_setup_leaves, mini_run_teardown),
        cmocka_unit_test(test_svg),
        cmocka_unit_test(test_svg_slope),
        cmocka_unit_test(test_formats),
        cmocka_unit_test_setup_teardown(test_publish, mini_run_setup_leaves, mini_run_teardown),
    };
    return cmocka_run_group_tests_name("office", tests, NULL, NULL);
}
