/*
 * test_selfscore.c - 自评分 (ls_selfscore) on fixtures/year/: totals
 * summed like assessed scores (categories, 折算, bonus cap, deductions
 * left out), lookup by 序号 and notes from CSV, the 自评偏高 threshold
 * (strictly above), and the errors of a unit that leaves items out and of
 * scores outside an item's points or the scheme's precision.
 */
#include "ls_test.h"

#include <unistd.h>

#include "ls_scheme.h"
#include "ls_selfscore.h"
#include "ls_util.h"

#define DIR FIXTURES "year/"

static ls_scheme *scheme(void)
{
    ls_errors err;
    ls_errors_init(&err);
    ls_scheme *s = ls_scheme_load(DIR "scheme.yaml", &err);
    assert_non_null(s);
    ls_errors_cleanup(&err);
    return s;
}

static ls_fixed fx(const char *dec)
{
    ls_fixed v;
    assert_int_equal(ls_dec_parse(dec, 2, &v), 0);
    return v;
}

static void test_totals(void **state)
{
    (void)state;
    ls_scheme *s = scheme();
    char *p = ls_test_write_file("self.yaml", "year: 2017\n"
                                              "units:\n"
                                              "  a: {c1.1: 10, c1.2: 20, c1.3: 10, c2.1: 60, b1: 5}\n"
                                              "  b: {c1.1: 10, c1.2: 15, c1.3: 5, d1: 1}\n");
    ls_errors err;
    ls_errors_init(&err);
    ls_selfscore *ss = ls_selfscore_load(s, p, &err);
    assert_non_null(ss);
    assert_int_equal(err.n, 0);
    int a = ls_scheme_find_unit(s, "a"), b = ls_scheme_find_unit(s, "b"), c = ls_scheme_find_unit(s, "c");
    /* a: 100 in the tree, bonus 5 capped at 3 */
    assert_int_equal(ss->total[a], fx("103"));
    assert_int_equal(*ls_selfscore_get(ss, (size_t)a, (size_t)ls_scheme_find_node(s, "c1")), fx("40"));
    /* b: 30 of 40 applicable points, rescaled to 75, minus the deduction 1 */
    assert_int_equal(ss->total[b], fx("74"));
    assert_null(ls_selfscore_get(ss, (size_t)b, (size_t)ls_scheme_find_node(s, "c2.1")));
    /* c gave nothing */
    assert_null(ls_selfscore_get(ss, (size_t)c, (size_t)ls_scheme_find_node(s, "c1.1")));
    assert_false(ls_selfscore_overrated(ss, (size_t)c, 0));
    /* threshold 5: strictly above */
    assert_true(ls_selfscore_overrated(ss, (size_t)a, fx("97.99")));
    assert_false(ls_selfscore_overrated(ss, (size_t)a, fx("98")));
    ls_selfscore_free(ss);
    ls_errors_cleanup(&err);
    ls_scheme_free(s);
    unlink(p);
    free(p);
}

static void test_csv_numbers_and_notes(void **state)
{
    (void)state;
    ls_scheme *s = scheme();
    char *p = ls_test_write_file("self.csv", "\xEF\xBB\xBF单位编号,单位名称,序号,考核项目,分值,自评分,说明\r\n"
                                             "b,乙办,1,组织保障,40,,\r\n"
                                             "b,乙办,1.1,按时报送,10,9.5,迟报一次\r\n"
                                             "b,乙办,1.2,法律顾问,20,10,\r\n"
                                             "b,乙办,c1.3,学法考试,10,5,\r\n");
    ls_errors err;
    ls_errors_init(&err);
    ls_selfscore *ss = ls_selfscore_load(s, p, &err);
    assert_non_null(ss);
    int b = ls_scheme_find_unit(s, "b"), n = ls_scheme_find_node(s, "c1.1");
    assert_int_equal(*ls_selfscore_get(ss, (size_t)b, (size_t)n), fx("9.5"));
    assert_string_equal(ss->note[(size_t)b * s->nnodes + (size_t)n], "迟报一次");
    /* 24.5 of 40, rescaled: 61.25 */
    assert_int_equal(ss->total[b], fx("61.25"));
    ls_selfscore_free(ss);
    ls_errors_cleanup(&err);
    ls_scheme_free(s);
    unlink(p);
    free(p);
}

static void test_errors(void **state)
{
    (void)state;
    ls_scheme *s = scheme();
    char *p = ls_test_write_file("bad.yaml", "units:\n"
                                             "  a: {c1.1: 10, c1.2: 20.5}\n"
                                             "  c: {c1.1: 9.999, c1.2: 0, c1.3: 0, c2.1: 0}\n");
    ls_errors err;
    ls_errors_init(&err);
    assert_null(ls_selfscore_load(s, p, &err));
    /* every problem in one pass: the wrong cells and, at the same time,
     * the items unit a left out (not 1.2, whose cell was wrong) */
    assert_int_equal(err.nerrors, 3);
    assert_string_equal(err.v[0].msg, "自评分 20.5 of item 1.2 法律顾问 is outside 0 to 20");
    assert_int_equal(err.v[0].line, 2);
    assert_string_equal(err.v[1].msg, "expected the 自评分 of item 1.1 按时报送 as a number with at most 2 "
                                      "decimals, found '9.999'");
    assert_string_equal(err.v[2].msg, "unit 'a' (甲局) gives no 自评分 for 2 items: 1.3, 2.1");
    ls_errors_cleanup(&err);
    /* a unit that leaves items out */
    char *q = ls_test_write_file("short.yaml", "units:\n  a: {c1.1: 10, c1.2: 20}\n");
    ls_errors_init(&err);
    assert_null(ls_selfscore_load(s, q, &err));
    assert_int_equal(err.nerrors, 1);
    assert_string_equal(err.v[0].msg, "unit 'a' (甲局) gives no 自评分 for 2 items: 1.3, 2.1");
    ls_errors_cleanup(&err);
    ls_scheme_free(s);
    unlink(p);
    unlink(q);
    free(p);
    free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_totals),
        cmocka_unit_test(test_csv_numbers_and_notes),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests_name("selfscore", tests, NULL, ls_test_remove_dir);
}
