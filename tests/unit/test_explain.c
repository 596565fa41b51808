/*
 * test_explain.c - explanation texts of cells and units (ls_explain) on
 * the hand-built run of fixtures/export/mini_run.h.
 */
#include "ls_test.h"

#include "ls_explain.h"

#include "fixtures/export/mini_run.h"

static int setup(void **state)
{
    *state = mini_run_new();
    return 0;
}

static int teardown(void **state)
{
    mini_run_free(*state);
    return 0;
}

/* Compare an owned string and free it. */
#define assert_owned(expr, expected)         \
    do {                                     \
        char *s_ = (expr);                   \
        assert_non_null(s_);                 \
        assert_string_equal(s_, (expected)); \
        free(s_);                            \
    } while (0)

static void test_cell_reasons(void **state)
{
    mini_run *m = *state;
    /* Several reasons joined with the full-width semicolon, kept verbatim. */
    assert_owned(ls_explain_cell(&m->r, MU_SL, MN_C21),
                 "未提交\"执法记录\",扣2分；记录不全\n扣2.5分");
    assert_owned(ls_explain_cell(&m->r, MU_SL, MN_C11), "迟报1次，扣0.5分");
    /* Full points, no reason: nothing to say. */
    assert_owned(ls_explain_cell(&m->r, MU_SFJ, MN_C11), "");
    /* A category says nothing of its own. */
    assert_owned(ls_explain_cell(&m->r, MU_SL, MN_C2), "");
}

static void test_cell_clamp(void **state)
{
    mini_run *m = *state;
    assert_owned(ls_explain_cell(&m->r, MU_CQ, MN_C11),
                 "迟报10次，扣5分；" LS_EXPLAIN_CLAMP_LOW);
    assert_owned(ls_explain_cell(&m->r, MU_HB, MN_C21), "得分22分；" LS_EXPLAIN_CLAMP_HIGH);
    assert_owned(ls_explain_clamp(&m->r, MU_CQ, MN_C11),
                 "扣分超过分值，按0分计（扣完为止）");
    assert_owned(ls_explain_clamp(&m->r, MU_HB, MN_C21), "得分超过分值，按满分计");
    assert_null(ls_explain_clamp(&m->r, MU_SL, MN_C11));
    /* NA cells are never clamped, whatever the field says. */
    m->r.cells[MU_CQ * MN_NODES + MN_C21].clamped = 1;
    assert_null(ls_explain_clamp(&m->r, MU_CQ, MN_C21));
}

static void test_cell_clamp_bonus_deduct(void **state)
{
    mini_run *m = *state;
    m->r.cells[MU_CQ * MN_NODES + MN_B1].clamped = 1;
    assert_owned(ls_explain_cell(&m->r, MU_CQ, MN_B1),
                 "获国家级表彰，加12分；加分超过本项上限12分，按12分计");
    m->r.cells[MU_XFJ * MN_NODES + MN_D1].clamped = 1;
    assert_owned(ls_explain_cell(&m->r, MU_XFJ, MN_D1),
                 "行政诉讼败诉2起，扣4分；扣分超过本项上限5分，按5分计");
    m->r.cells[MU_XFJ * MN_NODES + MN_D1].clamped = -1;
    assert_owned(ls_explain_clamp(&m->r, MU_XFJ, MN_D1), "扣分为负，按0分计");
    m->r.cells[MU_CQ * MN_NODES + MN_B1].clamped = -1;
    assert_owned(ls_explain_clamp(&m->r, MU_CQ, MN_B1), "加分为负，按0分计");
}

static void test_cell_na_error_veto(void **state)
{
    mini_run *m = *state;
    assert_owned(ls_explain_cell(&m->r, MU_CQ, MN_C21), "不适用");
    assert_owned(ls_explain_cell(&m->r, MU_CQ, MN_C2), "不适用");
    assert_owned(ls_explain_cell(&m->r, MU_SL, MN_D1), "评分出错");
    /* An error cell with recorded reasons shows them. */
    ls_cell *c = &m->r.cells[MU_SL * MN_NODES + MN_D1];
    c->reason0 = m->r.cells[MU_SL * MN_NODES + MN_C21].reason0;
    c->nreasons = 2;
    assert_owned(ls_explain_cell(&m->r, MU_SL, MN_D1),
                 "评分出错：未提交\"执法记录\",扣2分；记录不全\n扣2.5分");
    /* Veto items: the reasons, or the bare fact. */
    assert_owned(ls_explain_cell(&m->r, MU_XFJ, MN_V1), "发生严重违法行政行为，造成恶劣影响");
    m->r.cells[MU_XFJ * MN_NODES + MN_V1].nreasons = 0;
    assert_owned(ls_explain_cell(&m->r, MU_XFJ, MN_V1), "一票否决");
    assert_owned(ls_explain_cell(&m->r, MU_SFJ, MN_V1), "");
}

static void test_cell_buf_appends(void **state)
{
    mini_run *m = *state;
    ls_buf b;
    ls_buf_init(&b);
    ls_buf_puts(&b, "1.1 按时报送信息：");
    ls_explain_cell_buf(&m->r, MU_CQ, MN_C11, &b);
    assert_string_equal(b.p, "1.1 按时报送信息：迟报10次，扣5分；" LS_EXPLAIN_CLAMP_LOW);
    /* Nothing to say appends nothing. */
    size_t n = b.n;
    ls_explain_cell_buf(&m->r, MU_SFJ, MN_C11, &b);
    assert_int_equal(b.n, n);
    ls_buf_cleanup(&b);
}

static void test_reads(void **state)
{
    mini_run *m = *state;
    assert_owned(ls_explain_reads(&m->r, MU_CQ, MN_C11), "迟报次数=10");
    assert_owned(ls_explain_reads(&m->r, MU_CQ, MN_C12), "法律顾问制度=兼管");
    assert_owned(ls_explain_reads(&m->r, MU_CQ, MN_B1), "获表彰=是");
    assert_owned(ls_explain_reads(&m->r, MU_SL, MN_C21), "结案率=95.5%；备注=含\"引号\",逗号");
    assert_owned(ls_explain_reads(&m->r, MU_SFJ, MN_C21), "结案率=未填报");
    assert_owned(ls_explain_reads(&m->r, MU_SFJ, MN_C1), "");
}

static void test_reads_units(void **state)
{
    mini_run *m = *state;
    m->s.inds[MI_LATE].unit = "次";
    m->s.inds[MI_RATE].unit = "%";
    m->s.inds[MI_ADVISER].unit = "档";
    /* numbers get their unit; a percent already ends in %; words none */
    assert_owned(ls_explain_reads_units(&m->r, MU_CQ, MN_C11), "迟报次数=10次");
    assert_owned(ls_explain_reads_units(&m->r, MU_CQ, MN_C12), "法律顾问制度=兼管");
    assert_owned(ls_explain_reads_units(&m->r, MU_SL, MN_C21), "结案率=95.5%；备注=含\"引号\",逗号");
    assert_owned(ls_explain_reads_units(&m->r, MU_SFJ, MN_C21), "结案率=未填报");
    /* items.csv keeps its words */
    assert_owned(ls_explain_reads(&m->r, MU_CQ, MN_C11), "迟报次数=10");
}

static void test_rank(void **state)
{
    mini_run *m = *state;
    assert_owned(ls_explain_rank(&m->r, MU_CQ), "乡镇政府第1名/共2个单位");
    assert_owned(ls_explain_rank(&m->r, MU_SL), "乡镇政府第2名/共2个单位");
    assert_owned(ls_explain_rank(&m->r, MU_SFJ), "区直部门并列第1名/共3个单位");
    assert_owned(ls_explain_rank(&m->r, MU_HB), "区直部门并列第1名/共3个单位");
    /* vetoed: no 名次 */
    assert_owned(ls_explain_rank(&m->r, MU_XFJ), "");
}

static void test_score_text(void **state)
{
    mini_run *m = *state;
    char buf[32];
    assert_string_equal(ls_explain_score(&m->r, MU_CQ, MN_C1, buf), "4.50");
    assert_string_equal(ls_explain_score(&m->r, MU_CQ, MN_C11, buf), "0.00");
    assert_string_equal(ls_explain_score(&m->r, MU_SL, MN_C12, buf), "8.00");
    assert_string_equal(ls_explain_score(&m->r, MU_CQ, MN_C21, buf), "不适用");
    assert_string_equal(ls_explain_score(&m->r, MU_SL, MN_D1, buf), "错误");
    assert_string_equal(ls_explain_score(&m->r, MU_XFJ, MN_V1, buf), "否决");
    assert_string_equal(ls_explain_score(&m->r, MU_SFJ, MN_V1, buf), "未否决");
    assert_string_equal(ls_explain_score(&m->r, MU_XFJ, MN_D1, buf), "4.00");
    /* Other precisions. */
    m->s.digits = 1;
    m->r.cells[MU_CQ * MN_NODES + MN_C1].score = 45;
    assert_string_equal(ls_explain_score(&m->r, MU_CQ, MN_C1, buf), "4.5");
    m->s.digits = 0;
    assert_string_equal(ls_explain_score(&m->r, MU_CQ, MN_C1, buf), "45");
}

static void test_grade_veto(void **state)
{
    mini_run *m = *state;
    assert_string_equal(ls_explain_grade(&m->r, MU_CQ), "优秀");
    assert_string_equal(ls_explain_grade(&m->r, MU_SL), "良好");
    assert_string_equal(ls_explain_grade(&m->r, MU_XFJ), "不合格");
    m->r.units[MU_SL].band = -1;
    assert_string_equal(ls_explain_grade(&m->r, MU_SL), "");
    assert_null(ls_explain_veto(&m->r, MU_SFJ));
    const ls_node *v = ls_explain_veto(&m->r, MU_XFJ);
    assert_non_null(v);
    assert_string_equal(v->id, "v1");
}

static void test_unit_notes(void **state)
{
    mini_run *m = *state;
    assert_owned(ls_explain_unit(&m->r, MU_CQ),
                 "适用项目满分80分，得分72.50分，折算为百分制90.63分；"
                 "加分12分，超过上限10分，按10分计");
    assert_owned(ls_explain_unit_note(&m->r, MU_CQ, LS_NOTE_RESCALED),
                 "适用项目满分80分，得分72.50分，折算为百分制90.63分");
    assert_owned(ls_explain_unit_note(&m->r, MU_CQ, LS_NOTE_BONUS_CAP),
                 "加分12分，超过上限10分，按10分计");
    assert_null(ls_explain_unit_note(&m->r, MU_CQ, LS_NOTE_VETO));
    assert_owned(ls_explain_unit(&m->r, MU_XFJ),
                 "一票否决：发生严重违法行政行为造成恶劣影响：发生严重违法行政行为，造成恶劣影响");
    assert_owned(ls_explain_unit(&m->r, MU_SL), "1项评分出错，总分不完整");
    assert_owned(ls_explain_unit(&m->r, MU_SFJ), "");
    assert_owned(ls_explain_unit(&m->r, MU_HB), "");
    /* A veto without reasons names the item only. */
    m->r.cells[MU_XFJ * MN_NODES + MN_V1].nreasons = 0;
    assert_owned(ls_explain_unit_note(&m->r, MU_XFJ, LS_NOTE_VETO),
                 "一票否决：发生严重违法行政行为造成恶劣影响");
    for (int k = 0; k < LS_NOTE_COUNT; k++)
        assert_string_not_equal(ls_note_kind_name((ls_note_kind)k), "?");
    assert_string_equal(ls_note_kind_name(LS_NOTE_BONUS_CAP), "bonus_cap");
}

static void test_unit_total_clamped(void **state)
{
    mini_run *m = *state;
    ls_unit_result *u = &m->r.units[MU_XFJ];
    u->veto = -1;
    u->main = mini_dec("3");
    u->deduct = mini_dec("5");
    u->total = 0;
    u->total_clamped = 1;
    assert_owned(ls_explain_unit(&m->r, MU_XFJ), "扣分5分后总分低于0分，按0分计");
}

static void test_unit_quota(void **state)
{
    mini_run *m = *state;
    /* Two units at 90.00, 优秀 limited to half the group: one is 良好. */
    m->s.groups[1].bands[0].max_share = 0.5;
    m->r.units[MU_HB].band = 1;
    assert_owned(ls_explain_unit(&m->r, MU_HB),
                 "总分达到优秀分数线90分，但优秀不超过本组50%，评为良好");
    assert_owned(ls_explain_unit(&m->r, MU_SFJ), "");
    /* A vetoed unit's grade is explained by the veto, not the quota. */
    assert_null(ls_explain_unit_note(&m->r, MU_XFJ, LS_NOTE_QUOTA));
}

static void test_rescaled_other_total(void **state)
{
    mini_run *m = *state;
    m->s.total = mini_dec("150");
    ls_unit_result *u = &m->r.units[MU_CQ];
    u->applicable = mini_dec("120.5");
    u->main_raw = mini_dec("100");
    u->main = ls_dec_muldiv(u->main_raw, m->s.total, u->applicable);
    assert_owned(ls_explain_unit_note(&m->r, MU_CQ, LS_NOTE_RESCALED),
                 "适用项目满分120.5分，得分100.00分，折算为150分制124.48分");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cell_reasons, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cell_clamp, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cell_clamp_bonus_deduct, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cell_na_error_veto, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cell_buf_appends, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reads_units, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rank, setup, teardown),
        cmocka_unit_test_setup_teardown(test_score_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_grade_veto, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unit_notes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unit_total_clamped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unit_quota, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rescaled_other_total, setup, teardown),
    };
    return cmocka_run_group_tests_name("explain", tests, NULL, NULL);
}
