/*
 * test_compare.c - year over year (ls_compare) on fixtures/year/: 2017
 * (scheme.yaml) against 2018 (scheme-2018.yaml: items re-weighted, the
 * bonus item removed, unit c renamed z with formerly: c).  The later data
 * carried into the earlier scheme, the indicator that could not be
 * (award), and the attribution: data's share + scheme's share = change,
 * checked per unit in the text and the CSV; a score decision of the
 * later year in its own column (复核的影响), data + scheme + decisions =
 * change; and the 优秀 share cap named where it moved a grade.
 */
#include "ls_test.h"

#include <math.h>

#include "ls_assessment.h"
#include "ls_backends.h"
#include "ls_compare.h"
#include "ls_export_json.h"
#include "ls_results.h"
#include "ls_util.h"

#define DIR FIXTURES "year/"

typedef struct year {
    ls_scheme *s;
    ls_dataset *d;
    ls_backends b;
    ls_run *r;
    ls_results *res;
} year;

static void load(year *y, const char *scheme, const char *data, const char *source)
{
    memset(y, 0, sizeof *y);
    ls_errors err;
    ls_errors_init(&err);
    y->s = ls_scheme_load(scheme, &err);
    assert_non_null(y->s);
    const char *files[] = {data};
    y->d = ls_dataset_load(y->s, files, 1, 0, &err);
    assert_non_null(y->d);
    ls_bind_opts bo = {0};
    assert_int_equal(ls_backends_bind(&y->b, y->s, &bo, &err), 0);
    ls_score_opts so = {0};
    y->r = ls_score_run(y->s, y->d, &y->b, &so, &err);
    assert_non_null(y->r);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(ls_write_json(y->r, NULL, f, 0, &err), 0);
    fclose(f);
    y->res = ls_results_parse(buf, len, source, &err);
    assert_non_null(y->res);
    free(buf);
    assert_int_equal(err.n, 0);
    ls_errors_cleanup(&err);
}

static void unload(year *y)
{
    ls_results_free(y->res);
    ls_run_free(y->r);
    ls_backends_cleanup(&y->b);
    ls_dataset_free(y->d);
    ls_scheme_free(y->s);
}

static char *write_cmp(const ls_compare_in *in, int csv)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ls_errors err;
    ls_errors_init(&err);
    assert_int_equal(ls_compare_write(in, csv, f, &err), 0);
    fclose(f);
    ls_errors_cleanup(&err);
    return buf;
}

/* In compare's CSV, that the columns of each unit with an earlier total
 * — its categories, 加分, 扣分 and 折算 — add up to its 总分变动 (cents,
 * exactly).  Returns the number of rows checked. */
static int parts_add_up(const char *csv)
{
    char *copy = ls_xstrdup(csv), *save = NULL;
    int cols[64], ncols = 0, total = -1, rows = 0;
    for (char *line = strtok_r(copy, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
        char *f[64];
        int n = 0;
        for (char *p = line; n < 64; p++) {
            f[n++] = p;
            if (!(p = strchr(p, ','))) break;
            *p = '\0';
        }
        if (total < 0) {
            for (int i = 0; i < n; i++) {
                size_t len = strlen(f[i]);
                if (!strcmp(f[i], "总分变动")) total = i;
                else if ((len > 7 && !strcmp(f[i] + len - 7, " 变动")) ||
                         (len > 18 && !strcmp(f[i] + len - 18, "对总分的影响")))
                    cols[ncols++] = i;
            }
            assert_true(total >= 0 && ncols > 3);
            continue;
        }
        if (!*f[total]) continue; /* a new or merged unit */
        long sum = 0;
        for (int i = 0; i < ncols; i++) sum += lround(strtod(f[cols[i]], NULL) * 100);
        assert_int_equal(sum, lround(strtod(f[total], NULL) * 100));
        rows++;
    }
    free(copy);
    return rows;
}

static void test_attribution(void **state)
{
    (void)state;
    year a, b;
    load(&a, DIR "scheme.yaml", DIR "data.yaml", "版本1");
    load(&b, DIR "scheme-2018.yaml", DIR "data-2018.yaml", "版本2");
    ls_errors err;
    ls_errors_init(&err);
    ls_buf missing;
    ls_buf_init(&missing);
    ls_dataset *mixed = ls_compare_dataset(a.s, a.d, a.res, b.res, &missing, &err);
    assert_non_null(mixed);
    /* the award is not in 2018: named, and kept from 2017 */
    assert_string_equal(missing.p, "获表彰");
    int ua = ls_scheme_find_unit(a.s, "a"), uc = ls_scheme_find_unit(a.s, "c");
    int late = ls_scheme_find_indicator(a.s, "late_reports"), adv = ls_scheme_find_indicator(a.s, "adviser");
    assert_int_equal(ls_dataset_get(mixed, (size_t)ua, (size_t)late)->num, 0);        /* 2018's value */
    assert_string_equal(ls_dataset_get(mixed, (size_t)uc, (size_t)adv)->str, "兼管"); /* via formerly: */
    ls_score_opts so = {.keep_going = 1};
    ls_run *m = ls_score_run(a.s, mixed, &a.b, &so, &err);
    assert_non_null(m);
    ls_compare_in in = {.a = a.res, .b = b.res, .mixed = m, .missing = missing.p};
    char *t = write_cmp(&in, 0);
    /* a: 95 → 94: data +2 (on time), scheme −3 (c1.2 capped at 15, no bonus);
     * z was c: 74 → 89: data +10 (adviser), scheme +5; b: scheme only */
    assert_non_null(strstr(t, "甲局               95.00     94.00   -1.00   1→1      持平       优秀       +2.00       -3.00        0.00\n"
                              "丁局（原丙局）     74.00     89.00  +15.00   2→2      持平  合格→良好      +10.00       +5.00        0.00\n"
                              "乙办               60.50     73.00  +12.50   3→3      持平       合格        0.00      +12.50        0.00\n"));
    assert_non_null(strstr(t, "无法归因：2018年度数据中没有以下指标，按2017年数据计：获表彰\n"));
    assert_non_null(strstr(t, "  1  组织保障(40)\n"));
    /* the change per category, with the bonus 2018 dropped (甲局 −3.00)
     * and 乙办's rescaling (2 严格执法 does not apply to it), adds up to
     * the change of the total */
    assert_non_null(strstr(t, "单位                 1     2   加分  扣分   折算  总分变动\n"
                              "甲局             +2.00  0.00  -3.00  0.00   0.00     -1.00\n"
                              "丁局（原丙局）  +15.00  0.00   0.00  0.00   0.00    +15.00\n"
                              "乙办             +5.00     -   0.00  0.00  +7.50    +12.50\n"));
    free(t);
    t = write_cmp(&in, 1);
    assert_non_null(strstr(t, ",复核决定的影响,1 组织保障 变动,2 严格执法 变动,加分对总分的影响,扣分对总分的影响,"
                              "折算对总分的影响,等次说明\r\n"));
    assert_non_null(strstr(t, "a,甲局,区直部门,a,95.00,94.00,-1.00,1,1,0,优秀,优秀,+2.00,-3.00,0.00,+2.00,0.00,-3.00,0.00,0.00,\r\n"));
    assert_non_null(strstr(t, "z,丁局,区直部门,c,74.00,89.00,+15.00,2,2,0,合格,良好,+10.00,+5.00,0.00,+15.00,0.00,0.00,0.00,0.00,\r\n"));
    assert_non_null(strstr(t, "b,乙办,区直部门,b,60.50,73.00,+12.50,3,3,0,合格,合格,0.00,+12.50,0.00,+5.00,,0.00,0.00,+7.50,\r\n"));
    assert_int_equal(parts_add_up(t), 3);
    free(t);
    /* without the mixed run: no attribution, and why */
    ls_compare_in none = {.a = a.res, .b = b.res, .why_not = "the scheme could not be loaded"};
    t = write_cmp(&none, 0);
    assert_non_null(strstr(t, "归因：从略（the scheme could not be loaded）\n"));
    free(t);
    ls_run_free(m);
    ls_dataset_free(mixed);
    ls_buf_cleanup(&missing);
    ls_errors_cleanup(&err);
    unload(&a);
    unload(&b);
}

/* 2018 with a score decision on 乙办's 1.2 法律顾问 (10 → 14): its 4
 * points are 复核的影响, not the scheme's. */
static void test_review_effect(void **state)
{
    (void)state;
    year a, b;
    load(&a, DIR "scheme.yaml", DIR "data.yaml", "版本1");
    load(&b, DIR "scheme-2018.yaml", DIR "data-2018.yaml", "版本2");
    char *adj = ls_test_write_file("adj.yaml", "adjustments:\n"
                                               "  - {unit: b, item: c1.2, score: 14, reason: 已聘请法律顾问, "
                                               "basis: 测法考〔2018〕5号, by: 考核办, date: 2018-01-20}\n");
    ls_errors err;
    ls_errors_init(&err);
    const char *data[] = {DIR "data-2018.yaml"};
    const char *adjs[] = {adj};
    ls_assess_opts o = {.data = data, .ndata = 1, .adjustments = adjs, .nadjustments = 1};
    ls_assessment as;
    assert_int_equal(ls_assess(&as, b.s, &b.b, &o, &err), 0);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(ls_write_json(as.run, NULL, f, 0, &err), 0);
    fclose(f);
    ls_results *decided = ls_results_parse(buf, len, "版本3", &err);
    assert_non_null(decided);
    free(buf);
    ls_buf missing;
    ls_buf_init(&missing);
    ls_dataset *mixed = ls_compare_dataset(a.s, a.d, a.res, decided, &missing, &err);
    ls_score_opts so = {.keep_going = 1};
    ls_run *m = ls_score_run(a.s, mixed, &a.b, &so, &err);
    assert_non_null(m);
    /* b.r: 2018 scored without the decision */
    ls_compare_in in = {.a = a.res, .b = decided, .mixed = m, .missing = missing.p, .undecided = b.r};
    char *t = write_cmp(&in, 0);
    /* 乙办 60.50 → 83.00: data 0.00, scheme +12.50 (as without the
     * decision), decision +10.00: its 4 points on 1.2 count 10, as 乙办
     * has no 2 严格执法 and its 40 points are rescaled (折算) to 100 */
    assert_non_null(strstr(t, "乙办               60.50     83.00  +22.50   3→3      持平  合格→良好        0.00      +12.50      +10.00\n"));
    assert_non_null(strstr(t, "甲局               95.00     94.00   -1.00   1→1      持平       优秀       +2.00       -3.00        0.00\n"));
    assert_non_null(strstr(t, "复核的影响 = 2018年得分 − 不计复核决定的2018年得分"));
    free(t);
    t = write_cmp(&in, 1);
    assert_non_null(strstr(t, "b,乙办,区直部门,b,60.50,83.00,+22.50,3,3,0,合格,良好,0.00,+12.50,+10.00,"));
    free(t);
    /* the later year could not be scored again: the decided unit's
     * scheme and decision effects are not known, the others' are */
    ls_compare_in none = {.a = a.res, .b = decided, .mixed = m, .missing = missing.p, .why_not_review = "测试"};
    t = write_cmp(&none, 0);
    assert_non_null(strstr(t, "乙办               60.50     83.00  +22.50   3→3      持平  合格→良好        0.00           -           -\n"));
    assert_non_null(strstr(t, "甲局               95.00     94.00   -1.00   1→1      持平       优秀       +2.00       -3.00        0.00\n"));
    assert_non_null(strstr(t, "复核的影响从略（测试）"));
    free(t);
    ls_run_free(m);
    ls_dataset_free(mixed);
    ls_buf_cleanup(&missing);
    ls_results_free(decided);
    ls_assessment_cleanup(&as);
    ls_errors_cleanup(&err);
    unlink(adj);
    free(adj);
    unload(&a);
    unload(&b);
}

/* A minimal results.json: units given as "id name group total rank
 * grade [formerly...]" lines. */
static ls_results *results(int y, const char *const *units, size_t n)
{
    ls_buf j;
    ls_buf_init(&j);
    ls_buf_printf(&j, "{\"assessment\": {\"name\": \"测试区%d年度考核\", \"year\": %d, \"precision\": 0.01},"
                      "\"groups\": [{\"id\": \"dept\", \"name\": \"区直部门\"}], \"units\": [",
                  y, y);
    for (size_t i = 0; i < n; i++) {
        char id[16], name[64], total[16], grade[32], f1[16] = "", f2[16] = "";
        int rank;
        int k = sscanf(units[i], "%15s %63s %15s %d %31s %15s %15s", id, name, total, &rank, grade, f1, f2);
        assert_true(k >= 5);
        ls_buf_printf(&j, "%s{\"id\": \"%s\", \"name\": \"%s\", \"group\": \"dept\", \"total\": %s, "
                          "\"main\": %s, \"bonus\": 0.00, \"rank\": %d, \"grade\": \"%s\", \"nodes\": []",
                      i ? "," : "", id, name, total, total, rank, grade);
        if (k > 5) ls_buf_printf(&j, ", \"formerly\": [\"%s\"%s%s%s]", f1, k > 6 ? ", \"" : "", k > 6 ? f2 : "", k > 6 ? "\"" : "");
        ls_buf_puts(&j, "}");
    }
    ls_buf_puts(&j, "]}");
    ls_errors err;
    ls_errors_init(&err);
    ls_results *r = ls_results_parse(j.p, j.n, y == 2017 ? "版本1" : "版本2", &err);
    assert_non_null(r);
    ls_errors_cleanup(&err);
    ls_buf_cleanup(&j);
    return r;
}

static void test_merged_and_dropped(void **state)
{
    (void)state;
    const char *u17[] = {"a 甲局 90.00 1 优秀", "b 乙局 80.00 2 良好", "c 丙局 70.00 3 合格", "d 戊局 60.00 4 合格"};
    const char *u18[] = {"m 丁局 88.00 1 良好 a b", "c 丙局 75.00 2 合格"};
    ls_results *a = results(2017, u17, 4), *b = results(2018, u18, 2);
    size_t merged;
    assert_int_equal(ls_results_predecessor(a, &b->units[0], &merged), -1);
    assert_int_equal(merged, 2);
    assert_int_equal(ls_results_predecessor(a, &b->units[1], &merged), 2);
    assert_int_equal(merged, 0);
    assert_true(ls_results_continues(b, &a->units[0])); /* merged into m */
    assert_false(ls_results_continues(b, &a->units[3]));
    ls_compare_in in = {.a = a, .b = b, .why_not = "测试"};
    char *t = write_cmp(&in, 0);
    assert_non_null(strstr(t, "丁局（合并）         -     88.00      -     1            良好           -           -           -\n"
                              "丙局             70.00     75.00  +5.00   3→2   上升1名  合格           -           -        0.00\n"));
    assert_non_null(strstr(t, "丁局由甲局（90.00）、乙局（80.00）合并，不作比较\n"));
    assert_non_null(strstr(t, "戊局：2018年不再考核\n"));
    assert_null(strstr(t, "甲局：2018年不再考核"));
    free(t);
    t = write_cmp(&in, 1);
    assert_non_null(strstr(t, "m,丁局,区直部门,a;b,,88.00,,,1,,,良好,,,,,,,\r\n"));
    free(t);
    ls_results_free(a);
    ls_results_free(b);
}

/* A category the later scheme dropped has a column of its own ("原2":
 * its earlier 序号 may be another category's now), a new one counts from
 * 0, and the row still adds up to the change. */
static void test_dropped_category(void **state)
{
    (void)state;
    const char *head = "{\"assessment\": {\"name\": \"测试区%d年度考核\", \"year\": %d, \"precision\": 0.01},"
                       "\"groups\": [{\"id\": \"dept\", \"name\": \"区直部门\"}], \"units\": [{\"id\": \"a\", "
                       "\"name\": \"甲局\", \"group\": \"dept\", \"rank\": 1, \"grade\": \"良好\", %s}]}";
    const char *node = "{\"id\": \"%s\", \"number\": \"%s\", \"name\": \"%s\", \"section\": \"main\", "
                       "\"points\": %s, \"state\": \"scored\", \"score\": %s}";
    char *n1 = ls_format(node, "c1", "1", "甲类", "60", "50"), *n2 = ls_format(node, "c2", "2", "乙类", "40", "30");
    char *m1 = ls_format(node, "c1", "1", "甲类", "70", "55"), *m3 = ls_format(node, "c3", "2", "丙类", "30", "20");
    char *u17 = ls_format("\"total\": 80, \"main\": 80, \"main_raw\": 80, \"bonus\": 0, \"nodes\": [%s, %s]", n1, n2);
    char *u18 = ls_format("\"total\": 74, \"main\": 75, \"main_raw\": 75, \"bonus\": 0, \"nodes\": [%s, %s]", m1, m3);
    char *j17 = ls_format(head, 2017, 2017, u17), *j18 = ls_format(head, 2018, 2018, u18);
    ls_errors err;
    ls_errors_init(&err);
    ls_results *a = ls_results_parse(j17, strlen(j17), "版本1", &err), *b = ls_results_parse(j18, strlen(j18), "版本2", &err);
    assert_non_null(a);
    assert_non_null(b);
    ls_compare_in in = {.a = a, .b = b, .why_not = "测试"};
    char *t = write_cmp(&in, 0);
    /* 80 → 74: 甲类 +5, 丙类 (new) +20, 乙类 (dropped) −30, 扣分 −1 */
    assert_non_null(strstr(t, "单位      1       2     原2  加分   扣分  折算  总分变动\n"
                              "甲局  +5.00  +20.00  -30.00  0.00  -1.00  0.00     -6.00\n"));
    assert_non_null(strstr(t, "  2  丙类(30)  2018年新增\n  原2  乙类(40)  2018年删去\n"));
    free(t);
    t = write_cmp(&in, 1);
    assert_non_null(strstr(t, ",1 甲类 变动,2 丙类 变动,原2 乙类 变动,加分对总分的影响,"));
    assert_int_equal(parts_add_up(t), 1);
    free(t);
    ls_results_free(a);
    ls_results_free(b);
    ls_errors_cleanup(&err);
    free(n1), free(n2), free(m1), free(m3), free(u17), free(u18), free(j17), free(j18);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_attribution),
        cmocka_unit_test(test_merged_and_dropped),
        cmocka_unit_test(test_review_effect),
        cmocka_unit_test(test_dropped_category),
    };
    return cmocka_run_group_tests_name("compare", tests, NULL, ls_test_remove_dir);
}
