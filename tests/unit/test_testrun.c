/*
 * test_testrun.c - `lawscore test`: the runner on the fixture test files
 * of tests/unit/fixtures/testrun/ (passing and failing cases, cohorts, the
 * registry's data, single items without a scheme, mistakes in a test file,
 * coverage and its minimum, paths that name nothing), the data sets built
 * in memory (ls_dataset_build: layers, ~, base rows, checks, required
 * values).
 */
#include "ls_test.h"

#include "ls_data.h"
#include "ls_scheme.h"
#include "ls_testrun.h"
#include "ls_yaml.h"

#define TR FIXTURES "testrun/"

/* Run the test files `paths`; their report in *out (caller frees), the
 * errors' count in *nerr.  Returns what ls_testrun returns. */
static int run_opts(const char *const *paths, size_t n, int verbose, int coverage, double min,
                    char **out, size_t *nerr)
{
    ls_test_opts o;
    ls_test_opts_init(&o);
    o.paths = paths;
    o.npaths = n;
    o.verbose = verbose;
    o.coverage = coverage;
    o.min_coverage = min;
    size_t len;
    FILE *f = open_memstream(out, &len);
    assert_non_null(f);
    ls_errors err;
    ls_errors_init(&err);
    int rc = ls_testrun(&o, f, &err);
    fclose(f);
    if (nerr) *nerr = err.nerrors;
    ls_errors_cleanup(&err);
    return rc;
}

static int run1(const char *path, int verbose, int coverage, double min, char **out)
{
    const char *paths[] = {path};
    return run_opts(paths, 1, verbose, coverage, min, out, NULL);
}

/* The last line of s (without its newline). */
static const char *last_line(const char *s, char *buf, size_t size)
{
    size_t n = strlen(s);
    if (n && s[n - 1] == '\n') n--;
    size_t i = n;
    while (i > 0 && s[i - 1] != '\n') i--;
    snprintf(buf, size, "%.*s", (int)(n - i), s + i);
    return buf;
}

#define assert_has(out, text)                                                        \
    do {                                                                             \
        if (!strstr((out), (text))) fail_msg("missing: %s\nin:\n%s", (text), (out)); \
    } while (0)

static void test_passing(void **state)
{
    (void)state;
    char *out, b[128];
    assert_int_equal(run1(TR "pass.test.yaml", 0, 0, -1, &out), 0);
    assert_has(out, TR "pass.test.yaml: 3 passed\n");
    assert_null(strstr(out, "ok")); /* only failures, unless -v */
    assert_null(strstr(out, "coverage"));
    assert_string_equal(last_line(out, b, sizeof b), "3 passed, 0 failed");
    free(out);
    assert_int_equal(run1(TR "pass.test.yaml", 1, 0, -1, &out), 0);
    assert_has(out, "  ok    满分\n  ok    迟报\n  ok    无执法权折算\n");
    free(out);
}

/* A failure: expected versus actual, 评分标准, reasons, values read and
 * given, the rule, each at its file:line:col. */
static void test_failure_report(void **state)
{
    (void)state;
    char *out, b[128];
    assert_int_equal(run1(TR "fail.test.yaml", 0, 0, -1, &out), 1);
    assert_has(out, TR "fail.test.yaml: 1 passed, 1 failed\n");
    assert_has(out, "  FAIL  错的期望  (" TR "fail.test.yaml:4)\n");
    assert_has(out, "    " TR "fail.test.yaml:8:7: item 1.1 按时报送\n"
                    "        expected  19.00\n"
                    "        actual    18.00\n"
                    "        评分标准  迟报一次扣1分\n"
                    "        扣分理由  迟报2次，每次扣1分，扣2分\n"
                    "        使用指标  迟报次数=2\n"
                    "        用例数据  late: 2\n"
                    "        评分规则  " TR "rules/late.lua\n");
    assert_has(out, "    " TR "fail.test.yaml:9:7: total\n"
                    "        expected  99.00\n"
                    "        actual    98.00\n"
                    "        失分项目  1.1 按时报送 18.00/20：迟报2次，每次扣1分，扣2分\n");
    assert_has(out, "        文件缺省  rate: 100, exam: 80\n");
    assert_null(strstr(out, "通过")); /* passing cases are not listed */
    assert_string_equal(last_line(out, b, sizeof b), "1 passed, 1 failed");
    free(out);
}

/* Cohorts (ties, ranks, veto, counts per grade), a registry unit with the
 * registry's data, the whole registry with `cohort: all`. */
static void test_cohorts_and_registry(void **state)
{
    (void)state;
    char *out;
    assert_int_equal(run1(TR "cohort.test.yaml", 1, 0, -1, &out), 0);
    assert_has(out, "  ok    排名\n  ok    登记单位\n  ok    全部单位\n");
    free(out);
}

/* Mistakes in a test file are printed with the case, in file order, and
 * fail it. */
static void test_mistakes(void **state)
{
    (void)state;
    char *out;
    assert_int_equal(run1(TR "errors.test.yaml", 0, 0, -1, &out), 1);
    assert_has(
        out, "    " TR
             "errors.test.yaml:4:33: error: unknown flag 'enforcment' (the scheme's flags: enforcement)\n"
             "    " TR "errors.test.yaml:5:12: error: unknown indicator 'lat' (did you mean 'late'?)\n"
             "    " TR
             "errors.test.yaml:5:26: error: expected a percentage, found 'abc' (indicator 'rate' 结案率)\n"
             "    " TR "errors.test.yaml:6:14: error: unknown expectation 'itm 1.1' (did you mean 'item'?)\n"
             "    " TR "errors.test.yaml:6:33: error: expected a number for 'total', found 'x'\n");
    free(out);
}

/* Coverage: percentages and missed lines per script; the minimum fails
 * the run even when every case passes. */
static void test_coverage(void **state)
{
    (void)state;
    char *out, b[128];
    assert_int_equal(run1(TR "single.test.yaml", 0, 1, -1, &out), 0);
    assert_has(out, "  100.0%  " TR "rules/late.lua  (1/1 lines)\n"
                    "   60.0%  " TR "rules/nested.lua  (3/5 lines; not run: 3, 6)\n"
                    "   66.6%  " TR "rules/rank.lua  (2/3 lines; not run: 2)\n"
                    "   66.6%  total  (6/9 lines)\n");
    assert_string_equal(last_line(out, b, sizeof b), "3 passed, 0 failed");
    free(out);
    assert_int_equal(run1(TR "single.test.yaml", 0, 0, 60, &out), 0);
    assert_has(out, "coverage of rule scripts"); /* a minimum turns coverage on */
    free(out);
    assert_int_equal(run1(TR "single.test.yaml", 0, 0, 70, &out), 2); /* two scripts below */
    assert_has(out, "coverage below the minimum of 70%: 2 scripts\n");
    assert_string_equal(last_line(out, b, sizeof b), "3 passed, 0 failed");
    free(out);
    /* scripts no case ran show 0% (here: the file's cases could not run) */
    assert_int_equal(run1(TR "errors.test.yaml", 0, 1, -1, &out), 1);
    assert_has(out, "    0.0%  " TR "rules/rank.lua  (0/3 lines; not run: 1-2, 4)\n");
    free(out);
}

/* A directory: every *.test.yaml under it, in name order. */
static void test_directory(void **state)
{
    (void)state;
    char *out, b[128];
    size_t nerr;
    const char *paths[] = {TR};
    assert_int_equal(run_opts(paths, 1, 0, 0, -1, &out, &nerr), 2);
    assert_int_equal(nerr, 0);
    const char *c = strstr(out, "cohort.test.yaml:"), *e = strstr(out, "errors.test.yaml:"),
               *f = strstr(out, "fail.test.yaml:"), *p = strstr(out, "pass.test.yaml:"),
               *s = strstr(out, "single.test.yaml:");
    assert_true(c && e && f && p && s && c < e && e < f && f < p && p < s);
    assert_string_equal(last_line(out, b, sizeof b), "10 passed, 2 failed");
    free(out);
}

static void test_nothing_to_run(void **state)
{
    (void)state;
    char *out;
    size_t nerr;
    const char *missing[] = {TR "nosuch.test.yaml"};
    assert_int_equal(run_opts(missing, 1, 0, 0, -1, &out, &nerr), -1);
    assert_int_equal(nerr, 1);
    assert_string_equal(out, "");
    free(out);
    const char *empty[] = {TR "rules"};
    assert_int_equal(run_opts(empty, 1, 0, 0, -1, &out, &nerr), -1);
    assert_int_equal(nerr, 1);
    free(out);
}

/* ---- ls_dataset_build -------------------------------------------------- */

static const char layers_yaml[] =
    "defaults: {rate: 90, late: 1}\n"
    "a: {late: ~, exam: 70}\n"
    "b: {rate: 50}\n"
    "bad: {lat: 1, rate: 120, exam: [1]}\n";

static void test_dataset_build(void **state)
{
    (void)state;
    ls_errors err;
    ls_errors_init(&err);
    ls_scheme *s = ls_scheme_load(TR "scheme.yaml", &err);
    assert_non_null(s);
    const char *files[] = {TR "registry.yaml"};
    ls_dataset *base = ls_dataset_load(s, files, 1, 0, &err);
    assert_non_null(base);
    ls_ydoc doc;
    assert_int_equal(ls_yaml_load_buffer(&doc, "layers.yaml", layers_yaml, strlen(layers_yaml), &err), 0);
    const ls_ynode *root = doc.root;
    int a = ls_scheme_find_unit(s, "a"), b = ls_scheme_find_unit(s, "b");
    int late = ls_scheme_find_indicator(s, "late"), rate = ls_scheme_find_indicator(s, "rate"),
        exam = ls_scheme_find_indicator(s, "exam");

    /* a: made up (defaults, then its values; ~ takes late back, so the
     * catalogue default 0 applies); b: the registry's row, then rate */
    ls_values_node layers[4] = {{ls_ymap_get(root, "defaults"), "layers.yaml"},
                                {ls_ymap_get(root, "a"), "layers.yaml"},
                                {NULL, "layers.yaml"},
                                {ls_ymap_get(root, "b"), "layers.yaml"}};
    int rows[2];
    rows[a] = -1;
    rows[b] = b;
    ls_values_node ordered[4];
    memcpy(&ordered[2 * a], &layers[0], 2 * sizeof *layers);
    memcpy(&ordered[2 * b], &layers[2], 2 * sizeof *layers);
    ls_dataset *d = ls_dataset_build(s, base, rows, ordered, 2, 0, NULL, &err);
    assert_int_equal(err.n, 0);
    assert_non_null(d);
    assert_true(ls_dataset_value(d, (size_t)a, (size_t)late).set);
    assert_true(ls_dataset_value(d, (size_t)a, (size_t)late).num == 0);
    assert_true(ls_dataset_value(d, (size_t)a, (size_t)rate).num == 90);
    assert_true(ls_dataset_value(d, (size_t)a, (size_t)exam).num == 70);
    assert_true(ls_dataset_value(d, (size_t)b, (size_t)rate).num == 50);
    assert_true(ls_dataset_value(d, (size_t)b, (size_t)exam).num == 85);
    ls_dataset_free(d);

    /* values checked as in a data file, each error at its node */
    ls_values_node bad[4] = {
        {NULL, "x"}, {ls_ymap_get(root, "bad"), "layers.yaml"}, {NULL, "x"}, {NULL, "x"}};
    assert_null(ls_dataset_build(s, NULL, NULL, bad, 2, 1, NULL, &err));
    assert_int_equal(err.nerrors, 3);
    char *m = ls_diag_format(&err.v[0]);
    assert_string_equal(m, "layers.yaml:4:7: error: unknown indicator 'lat' (did you mean 'late'?)");
    free(m);
    m = ls_diag_format(&err.v[1]);
    assert_non_null(strstr(m, "layers.yaml:4:21: error: value 120 is out of range"));
    free(m);
    m = ls_diag_format(&err.v[2]);
    assert_string_equal(
        m, "layers.yaml:4:32: error: expected a single value for indicator 'exam', found a list");
    free(m);
    ls_errors_cleanup(&err);
    ls_errors_init(&err);

    /* required values: one message per unit naming them all, with the
     * hint; none with allow_missing */
    ls_values_node none[4] = {{NULL, "x"}, {NULL, "x"}, {NULL, "x"}, {NULL, "x"}};
    assert_null(ls_dataset_build(s, NULL, NULL, none, 2, 0, " (give it)", &err));
    assert_int_equal(err.nerrors, 2);
    assert_non_null(strstr(err.v[0].msg,
                           "unit 'a' (甲局) has no value for required indicator 'rate' (结案率) (give it)"));
    ls_errors_cleanup(&err);
    ls_errors_init(&err);
    d = ls_dataset_build(s, NULL, NULL, none, 2, 1, " (give it)", &err);
    assert_non_null(d);
    assert_int_equal(err.n, 0);
    assert_false(ls_dataset_value(d, (size_t)a, (size_t)rate).set);
    ls_dataset_free(d);

    ls_yaml_cleanup(&doc);
    ls_dataset_free(base);
    ls_scheme_free(s);
    ls_errors_cleanup(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_passing),
        cmocka_unit_test(test_failure_report),
        cmocka_unit_test(test_cohorts_and_registry),
        cmocka_unit_test(test_mistakes),
        cmocka_unit_test(test_coverage),
        cmocka_unit_test(test_directory),
        cmocka_unit_test(test_nothing_to_run),
        cmocka_unit_test(test_dataset_build),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
