/*
 * test_stats.c - group statistics for relative scoring: min, max, mean,
 * counts over units with a value, ranks with shared ties, per group.
 */
#include "ls_test.h"

#include "ls_stats.h"

static void test_group_stats_and_ranks(void **state)
{
    (void)state;
    ls_errors err;
    ls_errors_init(&err);
    ls_scheme *s = ls_scheme_load(FIXTURES "scheme/mini.yaml", &err);
    const char *files[] = {FIXTURES "scheme/data-a.yaml", FIXTURES "scheme/data-b.csv"};
    ls_dataset *d = ls_dataset_load(s, files, 2, 0, &err);
    assert_non_null(d);
    ls_stats *st = ls_stats_new(s, d);
    int dept = ls_scheme_find_group(s, "dept"), town = ls_scheme_find_group(s, "town");
    int sx = ls_scheme_find_indicator(s, "score_x"), late = ls_scheme_find_indicator(s, "late");
    /* score_x: d1 3.5, d2 unset, d3 unset in dept; t1 2 in town */
    const ls_stat *a = ls_stats_get(st, dept, sx);
    assert_int_equal(a->count, 1);
    assert_true(a->max == 3.5 && a->min == 3.5 && a->mean == 3.5);
    assert_int_equal(ls_stats_get(st, town, sx)->count, 1);
    /* late: d1 2, d2 0 (default), d3 0 (default) */
    const ls_stat *l = ls_stats_get(st, dept, late);
    assert_int_equal(l->count, 3);
    assert_true(l->max == 2 && l->min == 0);
    assert_true(l->mean > 0.666 && l->mean < 0.667);
    int d1 = ls_scheme_find_unit(s, "d1"), d2 = ls_scheme_find_unit(s, "d2"), d3 = ls_scheme_find_unit(s, "d3");
    assert_int_equal(ls_stats_rank(st, d1, late, 1), 1);
    assert_int_equal(ls_stats_rank(st, d2, late, 1), 2); /* tie with d3 */
    assert_int_equal(ls_stats_rank(st, d3, late, 1), 2);
    assert_int_equal(ls_stats_rank(st, d1, late, 0), 3); /* ascending */
    assert_int_equal(ls_stats_rank(st, d2, late, 0), 1);
    assert_int_equal(ls_stats_rank(st, d2, sx, 1), 0); /* no value */
    /* enum indicators have no statistics */
    assert_int_equal(ls_stats_get(st, dept, ls_scheme_find_indicator(s, "adviser"))->count, 0);
    ls_stats_free(st);
    ls_dataset_free(d);
    ls_scheme_free(s);
    ls_errors_cleanup(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_group_stats_and_ranks),
    };
    return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
