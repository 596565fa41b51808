/*
 * test_adjust.c - appeals (ls_adjust) scored through ls_assessment on
 * fixtures/year/: a data correction rescored (the original run kept, the
 * submitted data unchanged), its effect on another unit's rank-based item,
 * a score decision, the texts ls_explain gives them, the columns the
 * office documents (ls_layout) gain with 自评分 and appeals, the
 * 复核调整情况 (ls_layout_appeals: `diff`'s words on the run's results)
 * and the 复核 column
 * of 扣分明细, and a stale appeal and a second correction of the same
 * value refused; the register read as a table.
 */
#include "ls_test.h"

#include <unistd.h>

#include "ls_adjust.h"
#include "ls_assessment.h"
#include "ls_backends.h"
#include "ls_explain.h"
#include "ls_layout.h"
#include "ls_util.h"

#define DIR FIXTURES "year/"

typedef struct fx {
    ls_scheme *s;
    ls_backends b;
    ls_assessment a;
    char *path;
} fx;

/* Score the fixture with the adjustments text; rc of ls_assess. */
static int assess(fx *x, const char *adjustments, ls_errors *err)
{
    memset(x, 0, sizeof *x);
    x->s = ls_scheme_load(DIR "scheme.yaml", err);
    assert_non_null(x->s);
    ls_bind_opts bo = {0};
    assert_int_equal(ls_backends_bind(&x->b, x->s, &bo, err), 0);
    x->path = ls_test_write_file("adj.yaml", adjustments);
    const char *data[] = {DIR "data.yaml"};
    char *self = ls_test_write_file("self.yaml", "units:\n  c: {c1.1: 10, c1.2: 20, c1.3: 10, c2.1: 60}\n");
    const char *selfs[] = {self}, *adjs[] = {x->path};
    ls_assess_opts o = {.data = data, .ndata = 1, .self = selfs, .nself = 1, .adjustments = adjs, .nadjustments = 1};
    int rc = ls_assess(&x->a, x->s, &x->b, &o, err);
    unlink(self);
    free(self);
    return rc;
}

static void done(fx *x)
{
    ls_assessment_cleanup(&x->a);
    ls_backends_cleanup(&x->b);
    ls_scheme_free(x->s);
    unlink(x->path);
    free(x->path);
}

static size_t unit(const fx *x, const char *id) { return (size_t)ls_scheme_find_unit(x->s, id); }
static size_t node(const fx *x, const char *id) { return (size_t)ls_scheme_find_node(x->s, id); }

#define ENTRY(what) \
    "  - {unit: " what ", reason: 经复核, basis: 测法考〔2018〕1号, by: 考核办, date: 2018-01-10}\n"

static void test_data_correction(void **state)
{
    (void)state;
    fx x;
    ls_errors err;
    ls_errors_init(&err);
    /* a was late twice, in fact not at all; b's exam result was 95, which
     * takes the rank-based item c1.3 from a */
    assert_int_equal(assess(&x, "adjustments:\n" ENTRY("a, indicator: late_reports, old: 2, new: 0") ENTRY("b, indicator: exam, old: 80, new: 95"), &err), 0);
    assert_int_equal(err.n, 0);
    const ls_run *r = x.a.run, *o = x.a.original;
    assert_non_null(o);
    assert_ptr_equal(r->original, o);
    char buf[32];
    assert_string_equal(ls_explain_score(o, unit(&x, "a"), node(&x, "c1.1"), buf), "8.00");
    assert_string_equal(ls_explain_score(r, unit(&x, "a"), node(&x, "c1.1"), buf), "10.00");
    /* the submitted data is untouched; the corrected copy holds the new value */
    assert_int_equal(ls_dataset_value(x.a.data, unit(&x, "a"), 0).num, 2);
    assert_int_equal(ls_dataset_value(x.a.corrected, unit(&x, "a"), 0).num, 0);
    char *t = ls_explain_appeal(r, unit(&x, "a"), node(&x, "c1.1"));
    assert_string_equal(t, "8.00→10.00：更正迟报次数2→0：经复核（依据测法考〔2018〕1号；考核办，2018-01-10）");
    free(t);
    /* a lost c1.3 to b: moved by another unit's correction */
    t = ls_explain_appeal(r, unit(&x, "a"), node(&x, "c1.3"));
    assert_string_equal(t, "10.00→5.00：随其他单位数据更正而变动");
    free(t);
    /* a: 95 + 2 - 5 = 92 */
    assert_string_equal(ls_dec_format(r->units[unit(&x, "a")].total, 2, buf), "92.00");
    t = ls_explain_unit_note(r, unit(&x, "a"), LS_NOTE_APPEAL);
    assert_string_equal(t, "复核调整：总分95.00→92.00");
    free(t);
    /* an item no appeal touched says nothing */
    t = ls_explain_appeal(r, unit(&x, "c"), node(&x, "c2.1"));
    assert_string_equal(t, "");
    free(t);
    done(&x);
    ls_errors_cleanup(&err);
}

static void test_score_decision(void **state)
{
    (void)state;
    fx x;
    ls_errors err;
    ls_errors_init(&err);
    assert_int_equal(assess(&x, "adjustments:\n" ENTRY("c, item: 1.2, score: 15"), &err), 0);
    char buf[32];
    const ls_run *r = x.a.run;
    assert_string_equal(ls_explain_score(r, unit(&x, "c"), node(&x, "c1.2"), buf), "15.00");
    assert_string_equal(ls_explain_original_score(r, unit(&x, "c"), node(&x, "c1.2"), buf), "0.00");
    char *t = ls_explain_appeal(r, unit(&x, "c"), node(&x, "c1.2"));
    assert_string_equal(t, "0.00→15.00：复核决定：经复核（依据测法考〔2018〕1号；考核办，2018-01-10）");
    free(t);
    assert_non_null(ls_adjustments_decision(x.a.adj, unit(&x, "c"), node(&x, "c1.2")));
    assert_null(ls_adjustments_decision(x.a.adj, unit(&x, "a"), node(&x, "c1.2")));
    assert_string_equal(ls_dec_format(r->units[unit(&x, "c")].total, 2, buf), "89.00");
    done(&x);
    ls_errors_cleanup(&err);
}

/* The cell of row `row`, column titled `col`, of t. */
static const ls_lcell *cell(const ls_ltable *t, size_t row, const char *col)
{
    for (size_t k = 0; k < t->ncols; k++)
        if (!strcmp(t->cols[k].title, col)) return &t->rows[row].c[k];
    fail_msg("no column %s", col);
    return NULL;
}

static void test_office_tables(void **state)
{
    (void)state;
    fx x;
    ls_errors err;
    ls_errors_init(&err);
    assert_int_equal(assess(&x, "adjustments:\n" ENTRY("c, item: 1.2, score: 15"), &err), 0);
    const ls_run *r = x.a.run;
    ls_ltable t = {0};
    ls_layout_sheet(r, unit(&x, "c"), &t);
    /* 序号 | 考核项目 | 分值 | 评分标准 | 考核分 | 扣分理由 | 自评分 | 差值 | 复核调整 */
    assert_int_equal(t.ncols, 9);
    size_t row = 2; /* c1.2, after c1 and c1.1 */
    assert_string_equal(t.rows[row].c[1].text, "法律顾问");
    assert_int_equal(cell(&t, row, "考核分")->num, 1500);
    assert_int_equal(cell(&t, row, "自评分")->num, 2000);
    assert_int_equal(cell(&t, row, "差值")->num, -500);
    assert_string_equal(cell(&t, row, "复核调整")->text,
                        "0.00→15.00：复核决定：经复核（依据测法考〔2018〕1号；考核办，2018-01-10）");
    /* the summary ends with 自评分 and 复核前总分 */
    const ls_lrow *last = &t.rows[t.nrows - 1], *before = &t.rows[t.nrows - 2];
    assert_string_equal(before->c[1].text, "自评分");
    assert_int_equal(cell(&t, t.nrows - 2, "差值")->num, 8900 - 10000);
    assert_string_equal(last->c[1].text, "复核前总分");
    assert_int_equal(last->c[4].num, 7400);
    ls_ltable_cleanup(&t);
    memset(&t, 0, sizeof t);
    ls_layout_ranking(r, &t);
    /* … 总分 | 等次 | 自评分 | 差值 | 复核前总分 | 说明 */
    assert_string_equal(t.cols[t.ncols - 1].title, "说明");
    assert_string_equal(t.cols[t.ncols - 2].title, "复核前总分");
    ls_ltable_cleanup(&t);
    done(&x);
    ls_errors_cleanup(&err);
}

/* The 复核调整情况 of a run: `diff`'s words between the run before and
 * after its appeals (test_diff: the same as on their results.json), and
 * the decisions in a table. */
static void test_appeals_section(void **state)
{
    (void)state;
    fx x;
    ls_errors err;
    ls_errors_init(&err);
    assert_int_equal(assess(&x, "adjustments:\n" ENTRY("b, indicator: exam, old: 80, new: 95") ENTRY("c, item: 1.2, score: 15"), &err), 0);
    const ls_run *r = x.a.run;
    ls_ltable ch = {0}, dec = {0};
    assert_int_equal(ls_layout_appeals(r, &ch, &dec), 1);
    assert_string_equal(ch.title, "复核调整情况");
    assert_int_equal(ch.ncols, 1);
    /* 区直部门, the three units, the count */
    assert_int_equal(ch.nrows, 5);
    assert_int_equal(ch.rows[0].kind, LS_LR_GROUP);
    assert_string_equal(ch.rows[0].c[0].text, "区直部门");
    /* b's correction moved a's rank-based item; c's decision its total */
    assert_string_equal(ch.rows[1].c[0].text, "甲局 95.00 → 90.00（-5.00）：1.3 学法考试 -5.00（数据未变，随其他单位的数据变动）");
    assert_string_equal(ch.rows[2].c[0].text, "丙局 74.00 → 89.00（+15.00），等次 合格→良好：1.2 法律顾问 +15.00（复核决定 "
                                              "测法考〔2018〕1号）");
    assert_string_equal(ch.rows[3].c[0].text, "乙办 60.50 → 73.00（+12.50）：1.3 学法考试 +5.00（考试成绩 80→95；复核决定 "
                                              "测法考〔2018〕1号）");
    assert_int_equal(ch.rows[4].kind, LS_LR_NOTE);
    assert_string_equal(ch.rows[4].c[0].text, "3个单位的总分、名次或等次有变动");
    assert_int_equal(dec.nrows, 2);
    assert_string_equal(cell(&dec, 0, "单位")->text, "乙办");
    assert_string_equal(cell(&dec, 0, "复核事项")->text, "更正数据：考试成绩");
    assert_string_equal(cell(&dec, 0, "变更")->text, "80→95");
    assert_string_equal(cell(&dec, 1, "复核事项")->text, "核定得分：1.2 法律顾问");
    assert_string_equal(cell(&dec, 1, "变更")->text, "0.00→15.00");
    assert_string_equal(cell(&dec, 1, "依据")->text, "测法考〔2018〕1号");
    assert_string_equal(cell(&dec, 1, "决定人")->text, "考核办");
    assert_string_equal(cell(&dec, 1, "日期")->text, "2018-01-10");
    ls_ltable_cleanup(&ch);
    ls_ltable_cleanup(&dec);
    /* without appeals: no section */
    assert_int_equal(ls_layout_appeals(r->original, &ch, &dec), 0);
    assert_null(ch.title);
    done(&x);
    ls_errors_cleanup(&err);
}

/* A percentage corrected reads with its sign in the table of decisions,
 * as items.csv and explain show it (85%→90%), a count without (80→95). */
static void test_percent_correction(void **state)
{
    (void)state;
    fx x;
    ls_errors err;
    ls_errors_init(&err);
    assert_int_equal(assess(&x, "adjustments:\n" ENTRY("a, indicator: close_rate, old: 85, new: 90") ENTRY("b, indicator: exam, old: 80, new: 95"), &err), 0);
    ls_ltable ch = {0}, dec = {0};
    assert_int_equal(ls_layout_appeals(x.a.run, &ch, &dec), 1);
    assert_int_equal(dec.nrows, 2);
    assert_string_equal(cell(&dec, 0, "复核事项")->text, "更正数据：结案率");
    assert_string_equal(cell(&dec, 0, "变更")->text, "85%→90%");
    assert_string_equal(cell(&dec, 1, "变更")->text, "80→95");
    ls_ltable_cleanup(&ch);
    ls_ltable_cleanup(&dec);
    done(&x);
    ls_errors_cleanup(&err);
}

/* The row of 序号 `num` of unit `id` in 扣分明细 t, or -1. */
static long losses_row(const ls_ltable *t, const char *id, const char *num)
{
    for (size_t i = 0; i < t->nrows; i++)
        if (!strcmp(t->rows[i].c[0].text, id) && !strcmp(t->rows[i].c[3].text, num)) return (long)i;
    return -1;
}

/* 扣分明细 after the appeals: 考核分 and 扣分 as decided, the 复核 column
 * says what was decided; an item that no longer loses points stays
 * listed with 扣分 0.00. */
static void test_losses_appeals(void **state)
{
    (void)state;
    fx x;
    ls_errors err;
    ls_errors_init(&err);
    assert_int_equal(assess(&x, "adjustments:\n" ENTRY("a, indicator: late_reports, old: 2, new: 0") ENTRY("b, indicator: exam, old: 80, new: 95") ENTRY("c, item: 1.2, score: 15"), &err), 0);
    const ls_run *r = x.a.run;
    ls_ltable t = {0};
    ls_layout_losses_head(r, &t);
    assert_string_equal(t.cols[t.ncols - 1].title, "复核");
    for (size_t u = 0; u < x.s->nunits; u++) ls_layout_losses_unit(r, u, &t);
    long i = losses_row(&t, "c", "1.2");
    assert_true(i >= 0);
    assert_int_equal(cell(&t, (size_t)i, "考核分")->num, 1500);
    assert_int_equal(cell(&t, (size_t)i, "扣分")->num, 500);
    assert_string_equal(cell(&t, (size_t)i, "复核")->text, "复核核定15.00分（测法考〔2018〕1号）");
    /* a's c1.1: 8.00 → 10.00, full marks now, still listed */
    i = losses_row(&t, "a", "1.1");
    assert_true(i >= 0);
    assert_int_equal(cell(&t, (size_t)i, "扣分")->num, 0);
    assert_string_equal(cell(&t, (size_t)i, "复核")->text, "复核更正迟报次数2→0，考核分8.00→10.00（测法考〔2018〕1号）");
    /* a's c1.3, moved by b's correction */
    i = losses_row(&t, "a", "1.3");
    assert_true(i >= 0);
    assert_string_equal(cell(&t, (size_t)i, "复核")->text, "随其他单位数据更正，考核分10.00→5.00");
    /* a row no appeal touched: empty 复核 */
    i = losses_row(&t, "b", "1.2");
    assert_true(i >= 0);
    assert_int_equal(cell(&t, (size_t)i, "复核")->kind, LS_LC_EMPTY);
    ls_ltable_cleanup(&t);
    /* without appeals: no 复核 column */
    ls_layout_losses_head(r->original, &t);
    assert_string_equal(t.cols[t.ncols - 1].title, "使用的指标");
    ls_ltable_cleanup(&t);
    done(&x);
    ls_errors_cleanup(&err);
}

/* An appeal rejected: a score decision registering the score the item
 * had (丙局's 1.2, 0.00) reads 维持原评分 everywhere it is shown, not a
 * score set from 0.00 to 0.00; the total stays. */
static void test_decision_keeps(void **state)
{
    (void)state;
    fx x;
    ls_errors err;
    ls_errors_init(&err);
    assert_int_equal(assess(&x, "adjustments:\n" ENTRY("c, item: 1.2, score: 0") ENTRY("b, item: 1.2, score: 15"), &err), 0);
    const ls_run *r = x.a.run;
    size_t c = unit(&x, "c"), n = node(&x, "c1.2");
    char buf[32];
    assert_string_equal(ls_explain_original_score(r, c, n, buf), "0.00");
    assert_true(ls_explain_decision_keeps(r, ls_adjustments_decision(x.a.adj, c, n)));
    char *t = ls_explain_appeal(r, c, n);
    assert_string_equal(t, "复核维持原评分：经复核（依据测法考〔2018〕1号；考核办，2018-01-10）");
    free(t);
    t = ls_explain_appeal_brief(r, c, n);
    assert_string_equal(t, "复核维持原评分（测法考〔2018〕1号）");
    free(t);
    t = ls_explain_cell_decided(r, c, n);
    assert_non_null(strstr(t, "经复核维持原评分（测法考〔2018〕1号）"));
    assert_null(strstr(t, "核定"));
    free(t);
    /* 乙办's decision changes its score (兼管 10.00 → 15.00): still 核定 */
    size_t b = unit(&x, "b");
    assert_false(ls_explain_decision_keeps(r, ls_adjustments_decision(x.a.adj, b, n)));
    t = ls_explain_appeal_brief(r, b, n);
    assert_string_equal(t, "复核核定15.00分（测法考〔2018〕1号）");
    free(t);
    ls_ltable ch = {0}, dec = {0};
    assert_int_equal(ls_layout_appeals(r, &ch, &dec), 1);
    assert_int_equal(dec.nrows, 2);
    assert_string_equal(cell(&dec, 0, "单位")->text, "丙局");
    assert_string_equal(cell(&dec, 0, "复核事项")->text, "维持原评分：1.2 法律顾问");
    assert_string_equal(cell(&dec, 0, "变更")->text, "0.00");
    assert_string_equal(cell(&dec, 1, "复核事项")->text, "核定得分：1.2 法律顾问");
    assert_string_equal(cell(&dec, 1, "变更")->text, "10.00→15.00");
    ls_ltable_cleanup(&ch);
    ls_ltable_cleanup(&dec);
    assert_string_equal(ls_dec_format(r->units[c].total, 2, buf), ls_dec_format(r->original->units[c].total, 2, buf + 16));
    done(&x);
    ls_errors_cleanup(&err);
}

static void test_stale_and_twice(void **state)
{
    (void)state;
    fx x;
    ls_errors err;
    ls_errors_init(&err);
    assert_int_equal(assess(&x, "adjustments:\n" ENTRY("a, indicator: late_reports, old: 3, new: 0"), &err), -1);
    assert_int_equal(err.nerrors, 1);
    assert_string_equal(err.v[0].msg, "stale appeal: indicator 'late_reports' (迟报次数) of unit 'a' is 2 in "
                                      "the data, but the adjustment corrects it from 3");
    assert_int_equal(err.v[0].line, 2);
    assert_null(x.a.run);
    done(&x);
    ls_errors_cleanup(&err);
    ls_errors_init(&err);
    assert_int_equal(assess(&x, "adjustments:\n" ENTRY("a, indicator: late_reports, old: 2, new: 0") ENTRY("a, indicator: late_reports, old: 2, new: 1"), &err), -1);
    assert_int_equal(err.nerrors, 1);
    assert_string_equal(err.v[0].msg, "indicator 'late_reports' of unit 'a' is corrected twice (first at line 2)");
    done(&x);
    ls_errors_cleanup(&err);
}

/* The register as a table: Chinese headers, units and indicators by name,
 * dates as Excel writes them into CSV, and a second decision refused with
 * the row of the first. */
static void test_register_table(void **state)
{
    (void)state;
    ls_errors err;
    ls_errors_init(&err);
    ls_scheme *s = ls_scheme_load(DIR "scheme.yaml", &err);
    assert_non_null(s);
    char *path = ls_test_write_file("reg.csv",
                                    "单位编号,类型,指标,序号,原值,新值,核定分,理由,依据（文号）,决定人（单位）,日期\n"
                                    "甲局,数据更正,迟报次数,,2,0,,经复核,1号,考核办,2018/1/10\n"
                                    "b,评分决定,,1.2,,,12.5,酌情给分,2号,考核办,2018年1月9日\n"
                                    "c,数据更正,close_rate,,,95%,,补报,3号,考核办,2018.01.08\n");
    ls_adjustments *a = ls_adjustments_load(s, path, &err);
    assert_int_equal(err.n, 0);
    assert_non_null(a);
    assert_int_equal(a->n, 3);
    assert_int_equal(a->v[0].kind, LS_ADJ_DATA);
    assert_int_equal(a->v[0].unit, 0);
    assert_int_equal(a->v[0].old.num, 2);
    assert_string_equal(a->v[0].date, "2018-01-10");
    assert_int_equal(a->v[1].kind, LS_ADJ_SCORE);
    assert_int_equal(a->v[1].node, ls_scheme_find_node(s, "c1.2"));
    ls_fixed want;
    assert_int_equal(ls_dec_parse("12.5", s->digits, &want), 0);
    assert_int_equal(a->v[1].score, want);
    assert_string_equal(a->v[1].date, "2018-01-09");
    assert_false(a->v[2].old.set);
    assert_int_equal(a->v[2].new_.num, 95);
    assert_string_equal(a->v[2].date, "2018-01-08");
    ls_adjustments_free(a);
    unlink(path);
    free(path);

    path = ls_test_write_file("reg.csv", "单位编号,类型,序号,核定分,理由,依据,决定人,日期\n"
                                         "b,评分决定,1.2,10,x,1号,考核办,2018-01-10\n"
                                         "b,评分决定,c1.2,11,x,1号,考核办,2018-01-10\n");
    assert_null(ls_adjustments_load(s, path, &err));
    assert_int_equal(err.n, 1);
    assert_string_equal(err.v[0].msg, "item 1.2 of unit 'b' is decided twice (first in row 2)");
    unlink(path);
    free(path);
    ls_errors_cleanup(&err);
    ls_scheme_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_data_correction),
        cmocka_unit_test(test_score_decision),
        cmocka_unit_test(test_office_tables),
        cmocka_unit_test(test_appeals_section),
        cmocka_unit_test(test_percent_correction),
        cmocka_unit_test(test_losses_appeals),
        cmocka_unit_test(test_decision_keeps),
        cmocka_unit_test(test_stale_and_twice),
        cmocka_unit_test(test_register_table),
    };
    return cmocka_run_group_tests_name("adjust", tests, NULL, ls_test_remove_dir);
}
