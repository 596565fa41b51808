/*
 * test_intable.c - input tables: text encodings (ls_encoding), CSV,
 * .xlsx and .xls through ls_inbook_load (cell kinds, exact number text,
 * positions, normalisation), number formats, date serials, and cell
 * references in messages (ls_where).  The workbooks are the end-to-end
 * cases' fixtures, saved by LibreOffice.
 */
#include "ls_test.h"

#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <unistd.h>

#include "ls_encoding.h"
#include "ls_error.h"
#include "ls_intable.h"
#include "ls_util.h"
#include "ls_xls.h"

static void test_decode(void **state)
{
    (void)state;
    char *out;
    size_t n, bad;
    const char *enc;
    /* "单位,1\n" in GBK */
    static const char gbk[] = "\xB5\xA5\xCE\xBB,1\n";
    assert_int_equal(ls_decode_text(gbk, sizeof gbk - 1, &out, &n, &enc, &bad), 0);
    assert_string_equal(enc, "GB18030");
    assert_string_equal(out, "单位,1\n");
    free(out);
    /* UTF-8 with a BOM */
    static const char u8[] = "\xEF\xBB\xBF"
                             "单位\n";
    assert_int_equal(ls_decode_text(u8, sizeof u8 - 1, &out, &n, &enc, &bad), 0);
    assert_string_equal(enc, "UTF-8");
    assert_string_equal(out, "单位\n");
    free(out);
    /* UTF-16LE with a BOM: "单a" */
    static const char u16[] = "\xFF\xFE\x55\x53"
                              "a\0";
    assert_int_equal(ls_decode_text(u16, sizeof u16 - 1, &out, &n, &enc, &bad), 0);
    assert_string_equal(enc, "UTF-16LE");
    assert_string_equal(out, "单a");
    free(out);
    /* mostly UTF-8 with one foreign byte: stays an error, at that byte */
    static const char mixed[] = "单位,\xB7\n";
    assert_int_equal(ls_decode_text(mixed, sizeof mixed - 1, &out, &n, &enc, &bad), -1);
    assert_int_equal(bad, 7);
    /* not GB18030 either (0xFF is no lead byte) */
    static const char junk[] = "a,\xFF\xFF\n";
    assert_int_equal(ls_decode_text(junk, sizeof junk - 1, &out, &n, &enc, &bad), -1);
    assert_int_equal(bad, 2);
}

static void test_where(void **state)
{
    (void)state;
    char *w = ls_where("d.xlsx:部门", 7, -3);
    assert_string_equal(w, "d.xlsx:部门!C7");
    free(w);
    w = ls_where("d.xlsx:s", 1, -27);
    assert_string_equal(w, "d.xlsx:s!AA1");
    free(w);
    w = ls_where("d.xlsx:s", 2, -16384);
    assert_string_equal(w, "d.xlsx:s!XFD2");
    free(w);
    w = ls_where("d.csv", 2, 5);
    assert_string_equal(w, "d.csv:2:5");
    free(w);
    ls_errors e;
    ls_errors_init(&e);
    ls_errorf(&e, "d.xlsx:部门", 7, -3, "bad");
    char *s = ls_diag_format(&e.v[0]);
    assert_string_equal(s, "d.xlsx:部门!C7: error: bad");
    free(s);
    ls_errors_cleanup(&e);
}

static void test_formats_and_dates(void **state)
{
    (void)state;
    assert_int_equal(ls_numfmt_kind(0, NULL), LS_IN_NUMBER);
    assert_int_equal(ls_numfmt_kind(9, NULL), LS_IN_PERCENT);
    assert_int_equal(ls_numfmt_kind(10, NULL), LS_IN_PERCENT);
    assert_int_equal(ls_numfmt_kind(14, NULL), LS_IN_DATE);
    assert_int_equal(ls_numfmt_kind(57, NULL), LS_IN_DATE); /* Chinese 年月 */
    assert_int_equal(ls_numfmt_kind(164, "0.00%"), LS_IN_PERCENT);
    assert_int_equal(ls_numfmt_kind(165, "yyyy\\-mm\\-dd"), LS_IN_DATE);
    assert_int_equal(ls_numfmt_kind(166, "yyyy\"年\"m\"月\"d\"日\""), LS_IN_DATE);
    assert_int_equal(ls_numfmt_kind(167, "General"), LS_IN_NUMBER);
    assert_int_equal(ls_numfmt_kind(168, "[Red]0.00;\"-\"0"), LS_IN_NUMBER);
    assert_int_equal(ls_numfmt_kind(169, "0\"天\""), LS_IN_NUMBER);
    assert_int_equal(ls_numfmt_kind(170, "0.0\"%\""), LS_IN_NUMBER); /* a literal % */
    char buf[32];
    assert_string_equal(ls_serial_date(42795, 0, buf), "2017-03-01");
    assert_string_equal(ls_serial_date(1, 0, buf), "1900-01-01");
    assert_string_equal(ls_serial_date(59, 0, buf), "1900-02-28");
    assert_string_equal(ls_serial_date(60, 0, buf), "1900-02-29"); /* Excel's leap-year bug */
    assert_string_equal(ls_serial_date(61, 0, buf), "1900-03-01");
    assert_string_equal(ls_serial_date(1, 1, buf), "1904-01-02");
    assert_string_equal(ls_serial_date(-3, 0, buf), "-3");
}

static const ls_incell *cell(const ls_intable *t, size_t row, size_t col)
{
    assert_true(row < t->nrows);
    assert_true(col < t->rows[row].n);
    return &t->rows[row].f[col];
}

static void test_xlsx(void **state)
{
    (void)state;
    ls_errors e;
    ls_errors_init(&e);
    ls_inbook b;
    assert_int_equal(ls_inbook_load(&b, "tests/cases/xlsx-percent-format/data.xlsx", &e), 0);
    assert_int_equal(b.ntabs, 1);
    const ls_intable *t = &b.tabs[0];
    assert_string_equal(t->sheet, "data");
    assert_string_equal(t->path, "tests/cases/xlsx-percent-format/data.xlsx:data");
    assert_int_equal(t->nrows, 3);
    assert_string_equal(cell(t, 0, 1)->text, "结案率");
    const ls_incell *c = cell(t, 2, 1); /* 92.5% */
    assert_int_equal(c->kind, LS_IN_PERCENT);
    assert_string_equal(c->text, "0.925");
    assert_int_equal(c->line, 3);
    assert_int_equal(c->col, -2);
    assert_int_equal(c->col, -2);
    assert_int_equal(cell(t, 1, 2)->kind, LS_IN_NUMBER);
    assert_string_equal(cell(t, 1, 2)->text, "1");
    ls_inbook_cleanup(&b);

    assert_int_equal(ls_inbook_load(&b, "tests/cases/xlsx-date-cell/data.xlsx", &e), 0);
    c = cell(&b.tabs[0], 1, 2);
    assert_int_equal(c->kind, LS_IN_DATE);
    assert_string_equal(c->text, "2017-03-01");
    ls_inbook_cleanup(&b);

    assert_int_equal(ls_inbook_load(&b, "tests/cases/xlsx-error-value/data.xlsx", &e), 0);
    c = cell(&b.tabs[0], 2, 2);
    assert_int_equal(c->kind, LS_IN_ERROR);
    assert_string_equal(c->text, "#DIV/0!");
    ls_inbook_cleanup(&b);

    /* one sheet by name; an unknown name lists the sheets */
    assert_int_equal(ls_inbook_load(&b, "tests/cases/xlsx-percent-format/data.xlsx#data", &e), 0);
    assert_int_equal(b.ntabs, 1);
    ls_inbook_cleanup(&b);
    assert_int_equal(e.n, 0);
    assert_int_equal(ls_inbook_load(&b, "tests/cases/xlsx-percent-format/data.xlsx#部门", &e), -1);
    assert_string_equal(e.v[0].msg, "no sheet named '部门' (the sheets: data)");
    ls_inbook_cleanup(&b);
    ls_errors_cleanup(&e);
}

static void test_xls_and_csv_agree(void **state)
{
    (void)state;
    ls_errors e;
    ls_errors_init(&e);
    ls_inbook x, c, g;
    assert_int_equal(ls_inbook_load(&x, "tests/cases/input-xls/departments.xls", &e), 0);
    assert_int_equal(ls_inbook_load(&c, "examples/dongfeng-2017/data/departments.csv", &e), 0);
    assert_int_equal(ls_inbook_load(&g, "tests/cases/input-gbk/departments.csv", &e), 0);
    assert_int_equal(e.n, 0);
    const ls_intable *tx = &x.tabs[0], *tc = &c.tabs[0], *tg = &g.tabs[0];
    assert_non_null(tg->note);
    assert_null(tc->note);
    assert_int_equal(tx->nrows, tc->nrows);
    assert_int_equal(tg->nrows, tc->nrows);
    for (size_t i = 0; i < tc->nrows; i++) {
        assert_int_equal(tx->rows[i].n, tc->rows[i].n);
        for (size_t j = 0; j < tc->rows[i].n; j++) {
            const ls_incell *a = cell(tc, i, j), *b = cell(tx, i, j);
            assert_string_equal(cell(tg, i, j)->text, a->text);
            assert_int_equal(b->line, a->line);
            assert_int_equal(b->col, -(int)j - 1);
            if (b->kind == LS_IN_PERCENT) {
                /* "95%" in the CSV: 0.95 in a percent cell */
                size_t n = strlen(a->text);
                assert_true(n > 0 && a->text[n - 1] == '%');
                assert_true(strtod(b->text, NULL) * 100 == strtod(a->text, NULL));
            } else {
                assert_string_equal(b->text, a->text);
            }
        }
    }
    ls_inbook_cleanup(&x);
    ls_inbook_cleanup(&c);
    ls_inbook_cleanup(&g);
    ls_errors_cleanup(&e);
}

static void test_normalise(void **state)
{
    (void)state;
    const char *path = FIXTURES "intable-tmp.csv";
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(",,,\nunit,late,,\n,,,\nd1,1,,\n\nd2,,,x\n", f);
    fclose(f);
    ls_errors e;
    ls_errors_init(&e);
    ls_inbook b;
    assert_int_equal(ls_inbook_load(&b, path, &e), 0);
    unlink(path);
    const ls_intable *t = &b.tabs[0];
    assert_int_equal(t->nrows, 3);     /* header, d1, d2 */
    assert_int_equal(t->rows[0].n, 2); /* empty trailing columns dropped */
    assert_string_equal(cell(t, 1, 0)->text, "d1");
    assert_int_equal(cell(t, 2, 0)->line, 6);
    assert_int_equal(ls_intable_check(t, &e), -1); /* 'x' under no header */
    assert_string_equal(e.v[0].msg, "cell 'x' is outside the table: its column has no header");
    assert_int_equal(e.v[0].line, 6);
    assert_int_equal(e.v[0].col, 6);
    ls_inbook_cleanup(&b);
    ls_errors_cleanup(&e);
}

/* Title rows of one cell above the header are dropped (not a row of two
 * cells, not a table of one-cell rows); invisible spaces are trimmed. */
static void test_titles_and_spaces(void **state)
{
    (void)state;
    const char *path = FIXTURES "intable-tmp.csv";
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("考核数据填报表,\n\n（各单位自报）,\nunit,late\n\xE3\x80\x80"
          "d1\xC2\xA0, 1\xE3\x80\x80\n",
          f);
    fclose(f);
    ls_errors e;
    ls_errors_init(&e);
    ls_inbook b;
    assert_int_equal(ls_inbook_load(&b, path, &e), 0);
    const ls_intable *t = &b.tabs[0];
    assert_int_equal(t->nrows, 2); /* header, d1 */
    assert_string_equal(cell(t, 0, 0)->text, "unit");
    assert_int_equal(cell(t, 0, 0)->line, 4);
    assert_string_equal(cell(t, 1, 0)->text, "d1");
    assert_string_equal(cell(t, 1, 1)->text, "1");
    ls_inbook_cleanup(&b);
    /* a title and a header of one cell each: nothing to skip to */
    f = fopen(path, "w");
    fputs("标题\nunit\nd1\n", f);
    fclose(f);
    assert_int_equal(ls_inbook_load(&b, path, &e), 0);
    assert_int_equal(b.tabs[0].nrows, 3);
    ls_inbook_cleanup(&b);
    /* four title rows: more than LS_INTABLE_MAX_TITLES, the first stays */
    f = fopen(path, "w");
    fputs("a\nb\nc\nd\nunit,late\nd1,1\n", f);
    fclose(f);
    assert_int_equal(ls_inbook_load(&b, path, &e), 0);
    assert_int_equal(b.tabs[0].nrows, 6);
    assert_string_equal(cell(&b.tabs[0], 0, 0)->text, "a");
    ls_inbook_cleanup(&b);
    unlink(path);
    ls_errors_cleanup(&e);
}

/* ---- the .xls reader's child process (ls_xls.c) ---------------------------
 * FreeXL runs in a child; these hooks stand in for it to show what the
 * parent makes of a child that crashes, loops, or writes records that are
 * not whole, and that well-formed records become cells. */

#define XLS "tests/cases/input-xls/departments.xls"

static void rec_i32(FILE *f, int32_t v)
{
    fwrite(&v, sizeof v, 1, f);
}
static void rec_str(FILE *f, const char *s)
{
    rec_i32(f, (int32_t)strlen(s));
    fputs(s, f);
}

static void child_crashes(FILE *out)
{
    fputc('S', out);
    rec_str(out, "部门");
    fflush(out);
    signal(SIGSEGV, SIG_DFL); /* cmocka catches it otherwise */
    raise(SIGSEGV);
}

static void child_loops(FILE *out)
{
    (void)out;
    struct rlimit cpu = {1, 2};
    setrlimit(RLIMIT_CPU, &cpu);
    for (volatile unsigned long i = 0;; i++) {
    }
}

static void child_cut_short(FILE *out)
{
    fputc('S', out);
    rec_i32(out, 1000); /* a name of 1000 bytes that never comes */
    fputs("部门", out);
}

static void child_no_end(FILE *out)
{
    fputc('S', out);
    rec_str(out, "部门");
}

static void child_cell_before_sheet(FILE *out)
{
    fputc('C', out);
    rec_i32(out, 1);
    rec_i32(out, -1);
    fputc(LS_IN_TEXT, out);
    rec_str(out, "x");
    fputc('Z', out);
}

static void child_nul_in_cell(FILE *out)
{
    fputc('S', out);
    rec_str(out, "部门");
    fputc('C', out);
    rec_i32(out, 1);
    rec_i32(out, -1);
    fputc(LS_IN_TEXT, out);
    rec_i32(out, 3);
    fwrite("a\0b", 1, 3, out); /* a NUL would cut the text short */
    fputc('Z', out);
}

static void child_reads(FILE *out)
{
    fputc('S', out);
    rec_str(out, "部门");
    fputc('C', out);
    rec_i32(out, 3);
    rec_i32(out, -2);
    fputc(LS_IN_PERCENT, out);
    rec_str(out, "0.95");
    fputc('D', out);
    fputc(LS_SEV_WARNING, out);
    fputc(1, out); /* at the sheet */
    rec_i32(out, 3);
    rec_i32(out, -2);
    rec_str(out, "a warning\033[2J formatted by the child");
    fputc('Z', out);
}

/* The one diagnostic loading XLS with the hook gives, as printed. */
static char *xls_with(void (*hook)(FILE *), int want_rc, ls_inbook *b)
{
    ls_errors e;
    ls_errors_init(&e);
    ls_xls_child_hook = hook;
    int rc = ls_inbook_load(b, XLS, &e);
    ls_xls_child_hook = NULL;
    assert_int_equal(rc, want_rc);
    assert_int_equal(e.n, 1);
    char *s = ls_diag_format(&e.v[0]);
    ls_errors_cleanup(&e);
    return s;
}

static void test_xls_child(void **state)
{
    (void)state;
    ls_inbook b;
    char *s = xls_with(child_crashes, -1, &b);
    assert_string_equal(s, XLS ": error: the .xls workbook could not be read: its reader failed on it (signal 11), "
                               "so the file is damaged; open it in Excel or WPS and save it as .xlsx");
    free(s);
    ls_inbook_cleanup(&b);

    s = xls_with(child_loops, -1, &b);
    assert_string_equal(s, XLS ": error: the .xls workbook could not be read: reading it took more than 30 s; "
                               "open it in Excel or WPS and save it as .xlsx");
    free(s);
    ls_inbook_cleanup(&b);

    static const char cut[] = XLS ": error: the .xls workbook could not be read: its reader stopped part way, "
                                  "so the file is damaged; open it in Excel or WPS and save it as .xlsx";
    void (*const broken[])(FILE *) = {child_cut_short, child_no_end, child_cell_before_sheet, child_nul_in_cell};
    for (size_t i = 0; i < sizeof broken / sizeof *broken; i++) {
        s = xls_with(broken[i], -1, &b);
        assert_string_equal(s, cut);
        free(s);
        ls_inbook_cleanup(&b);
    }

    s = xls_with(child_reads, 0, &b);
    assert_string_equal(s, XLS ":部门!B3: warning: a warning?[2J formatted by the child");
    free(s);
    assert_int_equal(b.ntabs, 1);
    assert_string_equal(b.tabs[0].path, XLS ":部门");
    assert_int_equal(b.tabs[0].nrows, 1);
    assert_int_equal(b.tabs[0].rows[0].n, 1);
    const ls_incell *c = cell(&b.tabs[0], 0, 0);
    assert_string_equal(c->text, "0.95");
    assert_int_equal(c->kind, LS_IN_PERCENT);
    assert_int_equal(c->line, 3);
    assert_int_equal(c->col, -2);
    ls_inbook_cleanup(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode),
        cmocka_unit_test(test_where),
        cmocka_unit_test(test_formats_and_dates),
        cmocka_unit_test(test_xlsx),
        cmocka_unit_test(test_xls_and_csv_agree),
        cmocka_unit_test(test_xls_child),
        cmocka_unit_test(test_normalise),
        cmocka_unit_test(test_titles_and_spaces),
    };
    return cmocka_run_group_tests_name("intable", tests, NULL, NULL);
}
