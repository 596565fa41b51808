/*
 * test_data.c - indicator data: YAML and CSV, merging by unit, defaults,
 * conflicts and the checks on every value (exact messages).
 */
#include "ls_test.h"

#include <unistd.h>

#include "ls_data.h"

static ls_scheme *scheme(void)
{
    ls_errors err;
    ls_errors_init(&err);
    ls_scheme *s = ls_scheme_load(FIXTURES "scheme/mini.yaml", &err);
    assert_non_null(s);
    ls_errors_cleanup(&err);
    return s;
}

/* The value, in one of a few buffers (a test compares two at most). */
static const ls_value *get(const ls_dataset *d, const char *unit, const char *ind)
{
    static ls_value got[4];
    static unsigned next;
    int u = ls_scheme_find_unit(d->scheme, unit), i = ls_scheme_find_indicator(d->scheme, ind);
    assert_true(u >= 0 && i >= 0);
    ls_value *v = &got[next++ % 4];
    *v = ls_dataset_value(d, (size_t)u, (size_t)i);
    return v;
}

static void test_merge_yaml_and_csv(void **state)
{
    (void)state;
    ls_scheme *s = scheme();
    const char *files[] = {FIXTURES "scheme/data-a.yaml", FIXTURES "scheme/data-b.csv"};
    ls_errors err;
    ls_errors_init(&err);
    ls_dataset *d = ls_dataset_load(s, files, 2, 0, &err);
    if (!d) ls_errors_print(&err, stderr);
    assert_non_null(d);
    assert_int_equal(get(d, "d1", "late")->num, 2);
    assert_int_equal(get(d, "d3", "late")->num, 0); /* default */
    assert_true(get(d, "d1", "rate")->num == 88.9); /* "88.9%" */
    assert_true(get(d, "t1", "rate")->num == 95.5); /* same in both files: fine */
    assert_false(get(d, "d2", "rate")->set);        /* empty cell */
    assert_string_equal(get(d, "d1", "award")->str, "省级");
    assert_string_equal(get(d, "t1", "award")->str, "无"); /* default */
    assert_true(get(d, "d2", "serious")->num == 1);
    assert_string_equal(get(d, "d1", "note")->str, "按时报送");
    assert_true(get(d, "d1", "score_x")->num == 3.5);
    assert_int_equal(d->nfiles, 2);
    ls_dataset_free(d);
    ls_errors_cleanup(&err);
    ls_scheme_free(s);
}

/* Load one data file given as text; return all diagnostics, one a line. */
static char *errors_for(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, FIXTURES "scheme/%s", name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    ls_scheme *s = scheme();
    const char *files[] = {FIXTURES "scheme/data-a.yaml", path};
    ls_errors err;
    ls_errors_init(&err);
    ls_dataset *d = ls_dataset_load(s, files, 2, 0, &err);
    unlink(path);
    assert_null(d);
    size_t n = 0;
    char *out = calloc(1, 1);
    for (size_t i = 0; i < err.n; i++) {
        char *m = ls_diag_format(&err.v[i]);
        out = realloc(out, n + strlen(m) + 2);
        n += (size_t)sprintf(out + n, "%s\n", m);
        free(m);
    }
    ls_errors_cleanup(&err);
    ls_scheme_free(s);
    return out;
}

static void expect(const char *name, const char *text, const char *want)
{
    char *got = errors_for(name, text);
    assert_string_equal(got, want);
    free(got);
}

static void test_bad_values(void **state)
{
    (void)state;
    expect("tmp.yaml", "units:\n  d1: {late: 1.5}\n",
           "tests/unit/fixtures/scheme/tmp.yaml:2:14: error: expected an integer, found '1.5' (indicator 'late' 迟报次数)\n");
    expect("tmp.yaml", "units:\n  d1: {late: -1}\n",
           "tests/unit/fixtures/scheme/tmp.yaml:2:14: error: value -1 is out of range: at least 0 (indicator 'late' 迟报次数)\n");
    expect("tmp.yaml", "units:\n  d1: {rate: .nan}\n",
           "tests/unit/fixtures/scheme/tmp.yaml:2:14: error: expected a percentage, found '.nan' (not a finite number) (indicator 'rate' 结案率)\n");
    expect("tmp.yaml", "units:\n  d1: {rate: 101}\n",
           "tests/unit/fixtures/scheme/tmp.yaml:2:14: error: value 101 is out of range 0..100 (indicator 'rate' 结案率)\n");
    expect("tmp.yaml", "units:\n  d1: {late: \"3\"}\n",
           "tests/unit/fixtures/scheme/tmp.yaml:2:14: error: expected an integer, found the quoted string \"3\" (write numbers without quotes) (indicator 'late' 迟报次数)\n");
    expect("tmp.yaml", "units:\n  d1: {adviser: 专职}\n",
           "tests/unit/fixtures/scheme/tmp.yaml:2:17: error: expected one of 专门机构, 兼管, 无; found '专职' (indicator 'adviser' 法律顾问)\n");
    expect("tmp.yaml", "units:\n  d9: {late: 1}\n  d1: {lates: 1}\n",
           "tests/unit/fixtures/scheme/tmp.yaml:2:3: error: unknown unit 'd9' (did you mean 'd1'?)\n"
           "tests/unit/fixtures/scheme/tmp.yaml:3:8: error: unknown indicator 'lates' (did you mean 'late'?)\n");
}

static void test_conflicts_and_missing(void **state)
{
    (void)state;
    expect("tmp.yaml", "units:\n  d1: {late: 3}\n",
           "tests/unit/fixtures/scheme/tmp.yaml:2:14: error: conflicting values for unit 'd1', indicator 'late': "
           "3 here, but 2 at tests/unit/fixtures/scheme/data-a.yaml:5:27\n");
    /* data-a gives every unit its adviser; remove it through a scheme whose
     * data lacks it: load only a file without adviser. */
    ls_scheme *s = scheme();
    const char *files[] = {FIXTURES "scheme/data-b.csv"};
    ls_errors err;
    ls_errors_init(&err);
    assert_null(ls_dataset_load(s, files, 1, 0, &err));
    assert_int_equal(err.nerrors, 4);
    char *m = ls_diag_format(&err.v[0]);
    assert_string_equal(m, "tests/unit/fixtures/scheme/mini.yaml:29:5: error: unit 't1' (松江乡) has no value for "
                           "required indicator 'adviser' (法律顾问)");
    free(m);
    ls_errors_cleanup(&err);
    ls_scheme_free(s);
}

/* A value whose column does not fit the 16 bits a position keeps while
 * loading: its conflict still names the exact column. */
static void test_conflict_far_column(void **state)
{
    (void)state;
    char csv[256], yaml[256];
    snprintf(csv, sizeof csv, FIXTURES "scheme/tmp-far.csv");
    snprintf(yaml, sizeof yaml, FIXTURES "scheme/tmp-far.yaml");
    FILE *f = fopen(csv, "w");
    assert_non_null(f);
    fputs("unit,note,late\nd1,", f);
    for (int i = 0; i < 40000; i++) fputc('a', f);
    fputs(",2\n", f);
    fclose(f);
    f = fopen(yaml, "w");
    assert_non_null(f);
    fputs("units:\n  d1: {late: 3}\n", f);
    fclose(f);
    ls_scheme *s = scheme();
    const char *files[] = {csv, yaml};
    ls_errors err;
    ls_errors_init(&err);
    assert_null(ls_dataset_load(s, files, 2, 1, &err));
    unlink(csv);
    unlink(yaml);
    assert_int_equal(err.nerrors, 1);
    char *m = ls_diag_format(&err.v[0]);
    assert_string_equal(m, "tests/unit/fixtures/scheme/tmp-far.yaml:2:14: error: conflicting values for unit 'd1', "
                           "indicator 'late': 3 here, but 2 at tests/unit/fixtures/scheme/tmp-far.csv:2:40005");
    free(m);
    ls_errors_cleanup(&err);
    ls_scheme_free(s);
}

static void test_bad_csv(void **state)
{
    (void)state;
    /* a cell right of the header is an error; empty ones (Excel saves
     * blank columns as trailing commas) are not */
    expect("tmp.csv", "unit,late\nd1,1,2\n",
           "tests/unit/fixtures/scheme/tmp.csv:2:6: error: cell '2' is outside the table: its column has no header\n");
    expect("tmp.csv", "unit,late\nd1\n",
           "tests/unit/fixtures/scheme/tmp.csv:2:1: error: row has 1 fields, but the header has 2\n");
    expect("tmp.csv", "unit,late\nd1,\"1\n",
           "tests/unit/fixtures/scheme/tmp.csv:2:4: error: malformed quoted field: a quote inside a quoted field "
           "must be doubled (\"\"), and a quoted field must be closed\n");
    expect("tmp.csv", "unit,迟报\nd1,1\n",
           "tests/unit/fixtures/scheme/tmp.csv:1:6: error: unknown indicator '迟报' (did you mean '迟报次数' (late)?)\n");
    expect("tmp.csv", "unit,late\nd2,1\nd2,1\n",
           "tests/unit/fixtures/scheme/tmp.csv:3:1: error: unit 'd2' has a second row in this file (first at line 2)\n");
    expect("tmp.csv", "unit,late\nd2,\xff\n",
           "tests/unit/fixtures/scheme/tmp.csv:2:4: error: invalid UTF-8 byte 0xFF: save the file as \"CSV UTF-8\"\n");
    expect("tmp.csv", "", "tests/unit/fixtures/scheme/tmp.csv: error: file is empty: expected a header row\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge_yaml_and_csv),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_conflicts_and_missing),
        cmocka_unit_test(test_conflict_far_column),
        cmocka_unit_test(test_bad_csv),
    };
    return cmocka_run_group_tests_name("data", tests, NULL, NULL);
}
