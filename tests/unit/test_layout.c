/*
 * test_layout.c - the office documents' tables (ls_layout) on the
 * hand-built run of fixtures/export/mini_run.h: the 评分表 rows (numbers
 * as numbers, 序号 as text, a deduction negative, 不适用 without a reason,
 * 折算 and the bonus cap in words, totals, grade, rank), the 通报 (groups,
 * 并列, notes, the band counts), the 扣分明细 and the items where a group
 * loses most.
 */
#include "ls_test.h"

#include "ls_complete.h"
#include "ls_explain.h"
#include "ls_layout.h"

#include "fixtures/export/mini_run.h"

/* The first row whose cell `col` is the text s, or NULL. */
static const ls_lrow *row_with(const ls_ltable *t, size_t col, const char *s)
{
    for (size_t i = 0; i < t->nrows; i++)
        if (t->rows[i].c[col].kind == LS_LC_TEXT && !strcmp(t->rows[i].c[col].text, s))
            return &t->rows[i];
    return NULL;
}

static void assert_text(const ls_lcell *c, const char *s)
{
    assert_int_equal(c->kind, LS_LC_TEXT);
    assert_string_equal(c->text, s);
}

static void assert_score(const ls_lcell *c, const char *v)
{
    assert_int_equal(c->kind, LS_LC_SCORE);
    assert_int_equal(c->num, mini_dec(v));
}

static void test_sheet_rescaled_unit(void **state)
{
    mini_run *m = *state;
    ls_ltable t = {0};
    ls_layout_sheet(&m->r, MU_CQ, &t);
    assert_string_equal(t.title, "测试区2017年度法治政府建设考核评分表");
    assert_int_equal(t.ninfo, 3);
    assert_string_equal(t.info[0], "被考核单位：长青乡");
    assert_string_equal(t.info[1], "组别：乡镇政府");
    assert_string_equal(t.info[2], "有行政执法权：否");
    assert_int_equal(t.ncols, 6);
    assert_string_equal(t.cols[0].title, "序号");
    assert_string_equal(t.cols[5].title, "扣分理由");

    const ls_lrow *r = row_with(&t, 0, "1");
    assert_non_null(r);
    assert_int_equal(r->kind, LS_LR_CATEGORY);
    assert_score(&r->c[2], "12");
    assert_score(&r->c[4], "4.50");
    /* clamped to 0, with the reason and the clamp note */
    r = row_with(&t, 0, "1.1");
    assert_int_equal(r->kind, LS_LR_ITEM);
    assert_score(&r->c[4], "0");
    assert_text(&r->c[3], "迟报一次扣0.5分，扣完为止");
    assert_text(&r->c[5], "迟报10次，扣5分；" LS_EXPLAIN_CLAMP_LOW);
    /* not applicable: said once, in 考核分 */
    r = row_with(&t, 0, "2.1");
    assert_text(&r->c[4], "不适用");
    assert_int_equal(r->c[5].kind, LS_LC_EMPTY);

    r = row_with(&t, 1, "适用项目合计");
    assert_non_null(r);
    assert_int_equal(r->kind, LS_LR_SUMMARY);
    assert_score(&r->c[2], "80");
    assert_score(&r->c[4], "72.50");
    r = row_with(&t, 1, "折算");
    assert_score(&r->c[4], "90.63");
    assert_text(&r->c[5], "适用项目满分80分，得分72.50分，折算为百分制90.63分");
    assert_non_null(row_with(&t, 0, "加分项目（加分合计不超过10分）"));
    r = row_with(&t, 0, "加1");
    assert_score(&r->c[4], "12");
    r = row_with(&t, 1, "加分合计");
    assert_score(&r->c[4], "10");
    assert_text(&r->c[5], "加分12分，超过上限10分，按10分计");
    r = row_with(&t, 1, "总分");
    assert_score(&r->c[4], "100.63");
    r = row_with(&t, 1, "等次");
    assert_text(&r->c[4], "优秀");
    r = row_with(&t, 1, "名次");
    assert_int_equal(r->c[4].kind, LS_LC_INT);
    assert_int_equal(r->c[4].num, 1);
    assert_text(&r->c[5], "乡镇政府第1名/共2个单位");
    assert_null(row_with(&t, 1, "说明"));
    ls_ltable_cleanup(&t);
    assert_null(t.rows);
}

static void test_sheet_deduction_veto_error(void **state)
{
    mini_run *m = *state;
    ls_ltable t = {0};
    ls_layout_sheet(&m->r, MU_XFJ, &t);
    /* a deduction reads as a negative number */
    const ls_lrow *r = row_with(&t, 0, "减1");
    assert_score(&r->c[4], "-4");
    assert_score(&r->c[2], "5");
    r = row_with(&t, 1, "扣分合计");
    assert_score(&r->c[4], "-4");
    r = row_with(&t, 0, "否1");
    assert_text(&r->c[4], "否决");
    assert_int_equal(r->c[2].kind, LS_LC_EMPTY);
    r = row_with(&t, 1, "一票否决");
    assert_text(&r->c[4], "否决");
    assert_text(&r->c[5], "一票否决：发生严重违法行政行为造成恶劣影响：发生严重违法行政行为，造成恶劣影响");
    r = row_with(&t, 1, "等次");
    assert_text(&r->c[4], "不合格");
    assert_text(&r->c[5], "一票否决");
    r = row_with(&t, 1, "合计");
    assert_score(&r->c[2], "100");
    assert_null(row_with(&t, 1, "折算"));
    /* the end printed with the signatures: from the veto items' heading */
    size_t end = ls_layout_sheet_end(&t);
    assert_int_equal(t.rows[end].kind, LS_LR_SECTION);
    assert_text(&t.rows[end].c[0], "一票否决项目");
    assert_ptr_equal(&t.rows[end + 1], row_with(&t, 0, "否1"));
    assert_true(row_with(&t, 1, "总分") > &t.rows[end]);
    ls_ltable_cleanup(&t);

    /* a cell in error, and the unit's note */
    ls_layout_sheet(&m->r, MU_SL, &t);
    r = row_with(&t, 0, "减1");
    assert_text(&r->c[4], "错误");
    assert_text(&r->c[5], "评分出错");
    r = row_with(&t, 1, "说明");
    assert_text(&r->c[5], "1项评分出错，总分不完整");
    r = row_with(&t, 1, "一票否决");
    assert_text(&r->c[4], "无");
    ls_ltable_cleanup(&t);
}

static void test_ranking(void **state)
{
    mini_run *m = *state;
    ls_ltable t = {0};
    ls_layout_ranking(&m->r, &t);
    assert_string_equal(t.title, "测试区2017年度法治政府建设考核结果通报");
    assert_int_equal(t.ncols, 2 + 3 + 5);
    assert_string_equal(t.cols[2].title, "依法全面履行政府职能（12分）");
    assert_string_equal(t.cols[9].title, "说明");
    /* group heading, 2 units, note; group heading, 2 ranked units, the
     * vetoed block's heading and its unit, note */
    assert_int_equal(t.nrows, 2 + 2 + 2 + 2 + 2);
    assert_int_equal(t.rows[0].kind, LS_LR_GROUP);
    assert_text(&t.rows[0].c[0], "乡镇政府（2个单位）");
    assert_int_equal(t.rows[3].kind, LS_LR_NOTE);
    assert_int_equal(t.rows[4].kind, LS_LR_GROUP);
    const ls_lrow *r = row_with(&t, 1, "长青乡");
    assert_int_equal(r->c[0].kind, LS_LC_INT);
    assert_int_equal(r->c[0].num, 1);
    assert_text(&r->c[3], "不适用");
    assert_score(&r->c[5], "10");
    assert_score(&r->c[7], "100.63");
    assert_text(&r->c[8], "优秀");
    assert_text(&r->c[9], "适用项目满分80分，得分72.50分，折算为百分制90.63分；"
                          "加分12分，超过上限10分，按10分计");
    assert_int_equal(r->band, 0);
    /* a shared rank */
    assert_text(&row_with(&t, 1, "区司法局")->c[0], "并列1");
    assert_text(&row_with(&t, 1, "区环保局")->c[0], "并列1");
    /* the vetoed unit: listed apart after the ranked ones, without a
     * 名次 (it has none: rank 0), with its total and the veto */
    assert_int_equal(t.rows[7].kind, LS_LR_SECTION);
    assert_text(&t.rows[7].c[0], "一票否决单位（1个）");
    r = &t.rows[8];
    assert_ptr_equal(r, row_with(&t, 1, "区信访局"));
    assert_int_equal(r->kind, LS_LR_UNIT);
    assert_int_equal(r->c[0].kind, LS_LC_EMPTY);
    assert_int_equal(m->r.units[MU_XFJ].rank, 0);
    assert_score(&r->c[6], "4");
    assert_text(&r->c[8], "不合格");
    assert_non_null(strstr(r->c[9].text, "一票否决"));
    assert_int_equal(r->band, 3);
    assert_int_equal(t.rows[9].kind, LS_LR_NOTE);
    /* a group without a veto has no such block */
    for (size_t i = 0; i < 4; i++) assert_int_not_equal(t.rows[i].kind, LS_LR_SECTION);
    ls_ltable_cleanup(&t);
}

/* The 通报 in pieces (as the workbook and the report write a province's,
 * a chunk of rows at a time) holds the same rows as the whole table. */
static void test_ranking_in_pieces(void **state)
{
    mini_run *m = *state;
    ls_ltable whole = {0}, part = {0};
    ls_layout_ranking(&m->r, &whole);
    ls_layout_ranking_head(&m->r, &part);
    assert_string_equal(part.title, whole.title);
    assert_int_equal(part.ncols, whole.ncols);
    size_t i = 0;
    for (size_t g = 0; g < m->s.ngroups; g++) {
        char *head = ls_layout_ranking_heading(&m->r, g);
        assert_text(&whole.rows[i++].c[0], head);
        free(head);
        /* one row at a time: the vetoed block's heading and the ties
         * (并列1 across two chunks) come out the same */
        size_t from = 0, n;
        while ((n = ls_layout_ranking_units(&m->r, g, from, 1, &part)) > 0) {
            assert_int_equal(n, 1);
            const ls_lrow *a = &whole.rows[i++], *b = &part.rows[0];
            assert_int_equal(a->kind, b->kind);
            assert_int_equal(a->band, b->band);
            for (size_t k = 0; k < whole.ncols; k++) {
                assert_int_equal(a->c[k].kind, b->c[k].kind);
                if (a->c[k].kind == LS_LC_TEXT) assert_string_equal(a->c[k].text, b->c[k].text);
                else assert_int_equal(a->c[k].num, b->c[k].num);
            }
            ls_ltable_clear_rows(&part);
            from += n;
        }
        assert_int_equal(ls_layout_ranking_units(&m->r, g, from, 10, &part), 0);
        char *bands = ls_layout_bands(&m->r, g);
        assert_text(&whole.rows[i++].c[0], bands);
        free(bands);
    }
    assert_int_equal(i, whole.nrows);
    /* a chunk past the group's rows stops at its end */
    assert_int_equal(ls_layout_ranking_units(&m->r, 1, 1, 100, &part), 3);
    assert_int_equal(part.rows[1].kind, LS_LR_SECTION);
    assert_text(&part.rows[1].c[0], "一票否决单位（1个）");
    ls_ltable_cleanup(&part);
    ls_ltable_cleanup(&whole);
}

/* 缺报: the summary per group and indicator, and a row per unit. */
static void test_missing(void **state)
{
    mini_run *m = *state;
    unsigned char given[MU_UNITS * MI_INDS];
    memset(given, 1, sizeof given);
    m->d.given = given;
    ls_ltable t = {0};
    assert_int_equal(ls_layout_missing_summary(&m->r, &t), 0);
    ls_ltable_cleanup(&t);
    given[MU_CQ * MI_INDS + MI_LATE] = 0;
    given[MU_SL * MI_INDS + MI_LATE] = 0;
    given[MU_SL * MI_INDS + MI_RATE] = 0;
    given[MU_SFJ * MI_INDS + MI_RATE] = 0;
    assert_int_equal(ls_layout_missing_summary(&m->r, &t), 5);
    assert_string_equal(t.cols[4].title, "缺报单位");
    assert_int_equal(t.rows[0].kind, LS_LR_GROUP);
    assert_text(&t.rows[0].c[0], "乡镇政府（2个单位，其中2个有缺报）");
    /* most units first */
    assert_text(&t.rows[1].c[0], "迟报次数");
    assert_text(&t.rows[1].c[1], "late_reports");
    assert_text(&t.rows[1].c[2], "未填");
    assert_int_equal(t.rows[1].c[3].kind, LS_LC_INT);
    assert_int_equal(t.rows[1].c[3].num, 2);
    assert_text(&t.rows[1].c[4], "长青乡、松木乡");
    assert_text(&t.rows[1].c[5], "1.1 按时报送信息");
    assert_text(&t.rows[2].c[0], "结案率");
    assert_text(&t.rows[2].c[4], "松木乡");
    assert_text(&t.rows[2].c[5], "2.1 执法全过程记录");
    assert_text(&t.rows[3].c[0], "区直部门（3个单位，其中1个有缺报）");
    assert_text(&t.rows[4].c[4], "区司法局");
    ls_ltable_cleanup(&t);

    ls_layout_missing_head(&m->r, &t);
    assert_int_equal(ls_layout_missing_unit(&m->r, MU_HB, &t), 0);
    assert_int_equal(ls_layout_missing_unit(&m->r, MU_SL, &t), 1);
    const ls_lrow *r = &t.rows[0];
    assert_text(&r->c[1], "松木乡");
    assert_text(&r->c[2], "乡镇政府");
    assert_int_equal(r->c[3].num, 2);
    assert_text(&r->c[4], "迟报次数、结案率");
    assert_text(&r->c[5], "1.1、2.1");
    ls_ltable_cleanup(&t);
    m->d.given = NULL;
}

static void test_bands(void **state)
{
    mini_run *m = *state;
    m->s.groups[1].bands[0].max_share = 0.2;
    char *s = ls_layout_bands(&m->r, 1);
    assert_string_equal(s, "等次：优秀（90分及以上，不超过本组20%）2个；良好（80分及以上）0个；"
                           "合格（60分及以上）0个；不合格（60分以下）1个（其中一票否决1个）");
    free(s);
}

static void test_losses(void **state)
{
    mini_run *m = *state;
    ls_ltable t = {0};
    ls_layout_losses_head(&m->r, &t);
    assert_int_equal(t.ncols, 10);
    assert_int_equal(t.nrows, 0);
    /* 长青乡: 1.1 (lost 4), 1.2 (lost 3.5), bonus (gained, no 扣分) */
    assert_int_equal(ls_layout_losses_unit(&m->r, MU_CQ, &t), 3);
    const ls_lrow *r = row_with(&t, 3, "1.2");
    assert_text(&r->c[0], "cq");
    assert_text(&r->c[2], "乡镇政府");
    assert_score(&r->c[5], "8");
    assert_score(&r->c[6], "4.50");
    assert_score(&r->c[7], "3.50");
    assert_text(&r->c[9], "法律顾问制度=兼管");
    r = row_with(&t, 3, "加1");
    assert_score(&r->c[6], "12");
    assert_int_equal(r->c[7].kind, LS_LC_EMPTY);
    ls_ltable_clear_rows(&t);
    assert_int_equal(t.nrows, 0);
    /* 区信访局: 3.1, the deduction (negative score, positive loss), the veto */
    assert_int_equal(ls_layout_losses_unit(&m->r, MU_XFJ, &t), 3);
    r = row_with(&t, 3, "减1");
    assert_score(&r->c[6], "-4");
    assert_score(&r->c[7], "4");
    r = row_with(&t, 3, "否1");
    assert_text(&r->c[6], "否决");
    /* a unit with full points everywhere but one item */
    ls_ltable_clear_rows(&t);
    assert_int_equal(ls_layout_losses_unit(&m->r, MU_SFJ, &t), 2);
    ls_ltable_cleanup(&t);
}

static void test_common_losses(void **state)
{
    mini_run *m = *state;
    ls_ltable t = {0};
    ls_layout_common_losses(&m->r, 1, 10, &t);
    assert_string_equal(t.title, "区直部门主要失分项目");
    assert_int_equal(t.ncols, 6);
    /* 3.1: all three lost (8 + 10 + 8 = 26, 8.666… → 8.67); 2.1: 区司法局 only
     * (区环保局's 22 lowered to 20 lost nothing) */
    assert_int_equal(t.nrows, 2);
    assert_text(&t.rows[0].c[0], "3.1");
    assert_int_equal(t.rows[0].c[3].kind, LS_LC_INT);
    assert_int_equal(t.rows[0].c[3].num, 3);
    assert_score(&t.rows[0].c[4], "8.67");
    assert_text(&t.rows[0].c[5], "区司法局、区环保局、区信访局");
    assert_text(&t.rows[1].c[0], "2.1");
    assert_score(&t.rows[1].c[4], "2");
    assert_text(&t.rows[1].c[5], "区司法局");
    ls_ltable_cleanup(&t);
    /* at most `max` rows */
    ls_layout_common_losses(&m->r, 1, 1, &t);
    assert_int_equal(t.nrows, 1);
    ls_ltable_cleanup(&t);
}

/* The manifest in the office documents' words. */
static void test_manifest_words(void **state)
{
    (void)state;
    assert_string_equal(ls_layout_file_role("scheme"), "考核方案");
    assert_string_equal(ls_layout_file_role("rule"), "评分规则");
    assert_string_equal(ls_layout_file_role("units"), "单位名册");
    assert_string_equal(ls_layout_file_role("self"), "自评表");
    assert_string_equal(ls_layout_file_role("adjustments"), "复核决定登记表");
    assert_string_equal(ls_layout_file_role("other"), "other");
    char *k = ls_layout_option_name("keep_going");
    assert_string_equal(k, "出错继续（--keep-going）");
    free(k);
    k = ls_layout_option_name("plugin.formula.version");
    assert_string_equal(k, "插件 formula 版本");
    free(k);
    k = ls_layout_option_name("plugin..version"); /* no name: as it is */
    assert_string_equal(k, "plugin..version");
    free(k);
    assert_string_equal(ls_layout_option_value("false"), "否");
    assert_string_equal(ls_layout_option_value("true"), "是");
    assert_string_equal(ls_layout_option_value("1000000"), "1000000");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sheet_rescaled_unit, mini_run_setup_leaves, mini_run_teardown),
        cmocka_unit_test_setup_teardown(test_sheet_deduction_veto_error, mini_run_setup_leaves, mini_run_teardown),
        cmocka_unit_test_setup_teardown(test_ranking, mini_run_setup_leaves, mini_run_teardown),
        cmocka_unit_test_setup_teardown(test_ranking_in_pieces, mini_run_setup_leaves, mini_run_teardown),
        cmocka_unit_test_setup_teardown(test_missing, mini_run_setup_leaves, mini_run_teardown),
        cmocka_unit_test_setup_teardown(test_bands, mini_run_setup_leaves, mini_run_teardown),
        cmocka_unit_test_setup_teardown(test_losses, mini_run_setup_leaves, mini_run_teardown),
        cmocka_unit_test_setup_teardown(test_common_losses, mini_run_setup_leaves, mini_run_teardown),
        cmocka_unit_test(test_manifest_words),
    };
    return cmocka_run_group_tests_name("layout", tests, NULL, NULL);
}
