/*
 * test_diff.c - published results read back (ls_results) and their
 * differences (ls_diff) on fixtures/year/: results.json of the original
 * and the appealed run, parsed and diffed to the exact text and CSV
 * (the change, the indicator values and the 文号 behind it, a unit moved
 * only by another's correction), the same from the run in memory
 * (ls_results_run, what the report's 复核调整情况 diffs), the formerly:
 * match, grades the 优秀 share cap moved or held named as such, and JSON
 * that is not lawscore's refused.
 */
#include "ls_test.h"

#include <unistd.h>

#include "ls_assessment.h"
#include "ls_backends.h"
#include "ls_diff.h"
#include "ls_export_json.h"
#include "ls_results.h"
#include "ls_results_run.h"
#include "ls_util.h"

#define DIR FIXTURES "year/"

/* results.json of a run, parsed back. */
static ls_results *reread(const ls_run *r, const char *source)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ls_errors err;
    ls_errors_init(&err);
    assert_int_equal(ls_write_json(r, NULL, f, 0, &err), 0);
    fclose(f);
    ls_results *res = ls_results_parse(buf, len, source, &err);
    assert_non_null(res);
    ls_errors_cleanup(&err);
    free(buf);
    return res;
}

static char *diff_text(const ls_results *a, const ls_results *b, int csv, long *changed)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ls_errors err;
    ls_errors_init(&err);
    *changed = ls_diff_write(a, b, csv, f, &err);
    fclose(f);
    ls_errors_cleanup(&err);
    return buf;
}

static void test_appeal_diff(void **state)
{
    (void)state;
    char tmp[] = "/tmp/lawscore-test-XXXXXX";
    assert_non_null(mkdtemp(tmp));
    char *adj = ls_format("%s/adj.yaml", tmp);
    FILE *f = fopen(adj, "w");
    fputs("adjustments:\n"
          "  - {unit: b, indicator: exam, old: 80, new: 95, reason: 成绩登记有误, basis: 测法考〔2018〕2号, by: 考核办, date: 2018-01-12}\n",
          f);
    fclose(f);
    ls_errors err;
    ls_errors_init(&err);
    ls_scheme *s = ls_scheme_load(DIR "scheme.yaml", &err);
    assert_non_null(s);
    ls_backends b = {0};
    ls_bind_opts bo = {0};
    assert_int_equal(ls_backends_bind(&b, s, &bo, &err), 0);
    const char *data[] = {DIR "data.yaml"};
    const char *adjs[] = {adj};
    ls_assess_opts o = {.data = data, .ndata = 1, .adjustments = adjs, .nadjustments = 1};
    ls_assessment a;
    assert_int_equal(ls_assess(&a, s, &b, &o, &err), 0);
    ls_results *ra = reread(a.original, "原结果"), *rb = reread(a.run, "复核后");
    assert_int_equal(rb->nadj, 1);
    assert_string_equal(rb->adj[0].basis, "测法考〔2018〕2号");
    assert_int_equal(ra->nadj, 0);
    long n;
    char *t = diff_text(ra, rb, 0, &n);
    assert_int_equal(n, 2);
    assert_string_equal(t, "原结果 → 复核后\n"
                           "\n"
                           "区直部门\n"
                           "甲局 95.00 → 90.00（-5.00）：1.3 学法考试 -5.00（数据未变，随其他单位的数据变动）\n"
                           "乙办 60.50 → 73.00（+12.50）：1.3 学法考试 +5.00（考试成绩 80→95；复核决定 测法考〔2018〕2号）\n"
                           "\n"
                           "2个单位的总分、名次或等次有变动\n");
    free(t);
    t = diff_text(ra, rb, 1, &n);
    assert_string_equal(t, "\xEF\xBB\xBF单位编号,单位名称,项目,变动前,变动后,变动,说明\r\n"
                           "a,甲局,总分,95.00,90.00,-5.00,\r\n"
                           "a,甲局,1.3 学法考试,10.00,5.00,-5.00,数据未变，随其他单位的数据变动\r\n"
                           "b,乙办,总分,60.50,73.00,+12.50,\r\n"
                           "b,乙办,1.3 学法考试,5.00,10.00,+5.00,考试成绩 80→95；复核决定 测法考〔2018〕2号\r\n");
    /* the run's results in memory: the same words, the same rows */
    ls_results *ma = ls_results_from_run(a.original, "原结果"), *mb = ls_results_from_run(a.run, "复核后");
    assert_string_equal(mb->adj[0].what, "考试成绩");
    assert_string_equal(rb->adj[0].what, "考试成绩");
    char *m = diff_text(ma, mb, 1, &n);
    assert_string_equal(m, t);
    free(m);
    free(t);
    t = diff_text(ra, rb, 0, &n);
    m = diff_text(ma, mb, 0, &n);
    assert_int_equal(n, 2);
    assert_string_equal(m, t);
    free(m);
    ls_results_free(ma);
    ls_results_free(mb);
    free(t);
    /* the same result twice: nothing */
    t = diff_text(rb, rb, 0, &n);
    assert_int_equal(n, 0);
    assert_non_null(strstr(t, "没有单位的总分、名次或等次有变动"));
    free(t);
    /* c is formerly x or y */
    assert_int_equal(ls_results_find_unit(rb, "y", NULL, 0), 2);
    const char *fm[] = {"c"};
    assert_int_equal(ls_results_find_unit(rb, "z", fm, 1), 2);
    assert_int_equal(ls_results_find_unit(rb, "z", NULL, 0), -1);
    ls_results_free(ra);
    ls_results_free(rb);
    ls_assessment_cleanup(&a);
    ls_backends_cleanup(&b);
    ls_scheme_free(s);
    ls_errors_cleanup(&err);
    unlink(adj);
    rmdir(tmp);
    free(adj);
}

/* A results.json of one group with a 优秀 share cap of 50%: units as
 * "id name total rank grade quota(0/1)". */
static ls_results *capped(const char *source, const char *const *units, size_t n)
{
    ls_buf j;
    ls_buf_init(&j);
    ls_buf_puts(&j, "{\"assessment\": {\"name\": \"测试\", \"year\": 2018, \"precision\": 0.01},"
                    "\"groups\": [{\"id\": \"dept\", \"name\": \"区直部门\", \"bands\": ["
                    "{\"grade\": \"优秀\", \"min\": 90.0, \"max_share\": 0.5},"
                    "{\"grade\": \"良好\", \"min\": 60.0, \"max_share\": null}]}], \"units\": [");
    for (size_t i = 0; i < n; i++) {
        char id[16], name[64], total[16], grade[32];
        int rank, quota;
        assert_int_equal(sscanf(units[i], "%15s %63s %15s %d %31s %d", id, name, total, &rank, grade, &quota), 6);
        ls_buf_printf(&j, "%s{\"id\": \"%s\", \"name\": \"%s\", \"group\": \"dept\", \"total\": %s, "
                          "\"main\": %s, \"bonus\": 0.00, \"rank\": %d, \"grade\": \"%s\", \"notes\": [%s], "
                          "\"nodes\": []}",
                      i ? "," : "", id, name, total, total, rank, grade,
                      quota ? "{\"kind\": \"quota\", \"text\": \"…\"}" : "");
    }
    ls_buf_puts(&j, "]}");
    ls_errors err;
    ls_errors_init(&err);
    ls_results *r = ls_results_parse(j.p, j.n, source, &err);
    assert_non_null(r);
    ls_errors_cleanup(&err);
    ls_buf_cleanup(&j);
    return r;
}

/* Grades the 优秀 share cap moved or held, not the totals, say so. */
static void test_share_cap(void **state)
{
    (void)state;
    const char *before[] = {"a 甲局 95.00 1 优秀 0", "b 乙局 91.00 2 良好 1", "c 丙局 85.00 3 良好 0"};
    const char *after[] = {"a 甲局 95.00 2 良好 1", "b 乙局 96.00 1 优秀 0", "c 丙局 92.00 3 良好 1"};
    ls_results *ra = capped("前", before, 3), *rb = capped("后", after, 3);
    assert_true(rb->units[0].quota);
    assert_false(rb->units[1].quota);
    assert_int_equal(rb->groups[0].nbands, 2);
    long n;
    char *t = diff_text(ra, rb, 0, &n);
    assert_int_equal(n, 3);
    assert_string_equal(t, "前 → 后\n"
                           "\n"
                           "区直部门\n"
                           "乙局 91.00 → 96.00（+5.00），名次 2→1，等次 良好→优秀（原总分已达优秀分数线90分，"
                           "因优秀不超过本组50%评为良好）\n"
                           "甲局 总分95.00未变，名次 1→2，等次 优秀→良好（优秀不超过本组50%，本组优秀名额已满）\n"
                           "丙局 85.00 → 92.00（+7.00），等次仍为良好（总分达到优秀分数线90分，但优秀不超过本组50%，"
                           "本组优秀名额已满）\n"
                           "\n"
                           "3个单位的总分、名次或等次有变动\n");
    free(t);
    t = diff_text(ra, rb, 1, &n);
    assert_non_null(strstr(t, "a,甲局,等次,优秀,良好,,优秀不超过本组50%，本组优秀名额已满\r\n"));
    assert_non_null(strstr(t, "c,丙局,等次,良好,良好,,总分达到优秀分数线90分，但优秀不超过本组50%，本组优秀名额已满\r\n"));
    free(t);
    /* capped the same way in both: nothing to explain */
    t = diff_text(rb, rb, 0, &n);
    assert_int_equal(n, 0);
    free(t);
    ls_results_free(ra);
    ls_results_free(rb);
}

static void test_not_results(void **state)
{
    (void)state;
    ls_errors err;
    ls_errors_init(&err);
    assert_null(ls_results_parse("{\"units\": []}", 13, "x.json", &err));
    assert_string_equal(err.v[0].msg, "not a results.json written by lawscore: no 'assessment' or 'units'");
    assert_null(ls_results_parse("[1,", 3, "y.json", &err));
    assert_int_equal(err.nerrors, 2);
    assert_string_equal(err.v[1].path, "y.json");
    ls_errors_cleanup(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_appeal_diff),
        cmocka_unit_test(test_share_cap),
        cmocka_unit_test(test_not_results),
    };
    return cmocka_run_group_tests_name("diff", tests, NULL, NULL);
}
