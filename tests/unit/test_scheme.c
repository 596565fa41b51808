/*
 * test_scheme.c - loading a scheme: structure, numbering, applicability,
 * and the checks that refuse inconsistent schemes (exact messages); a
 * flags cell parsed with every separator.
 */
#include "ls_test.h"

#include <unistd.h>

#include "ls_scheme.h"
#include "ls_util.h"

static ls_scheme *load_ok(const char *path)
{
    ls_errors err;
    ls_errors_init(&err);
    ls_scheme *s = ls_scheme_load(path, &err);
    if (!s) ls_errors_print(&err, stderr);
    assert_non_null(s);
    assert_int_equal(err.nerrors, 0);
    ls_errors_cleanup(&err);
    return s;
}

/* Load a scheme given as text (written next to the fixtures so that rule
 * paths resolve); return the first diagnostic formatted, or NULL. */
static char *first_error(const char *text)
{
    const char *path = FIXTURES "scheme/tmp-bad.yaml";
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    ls_errors err;
    ls_errors_init(&err);
    ls_scheme *s = ls_scheme_load(path, &err);
    unlink(path);
    char *msg = NULL;
    if (err.n) msg = ls_diag_format(&err.v[0]);
    assert_true(s == NULL || err.nerrors == 0);
    ls_scheme_free(s);
    ls_errors_cleanup(&err);
    return msg;
}

static void test_structure(void **state)
{
    (void)state;
    ls_scheme *s = load_ok(FIXTURES "scheme/mini.yaml");
    assert_string_equal(s->name, "测试区2017年度法治政府建设考核");
    assert_int_equal(s->year, 2017);
    assert_int_equal(s->digits, 2);
    assert_int_equal(s->total, 1000);
    assert_int_equal(s->bonus_cap, 100);
    assert_int_equal(s->ngroups, 2);
    assert_int_equal(s->nunits, 4);
    assert_int_equal(s->ninds, 7);
    assert_int_equal(s->nroots, 2);
    /* c1, c1.1, c1.2, c2, c2.1, b1, d1x, v1 in pre-order */
    assert_int_equal(s->nnodes, 8);
    assert_int_equal(s->nleaves, 6);
    int c12 = ls_scheme_find_node(s, "c1.2");
    assert_string_equal(s->nodes[c12].number, "1.2");
    assert_int_equal(s->nodes[c12].points, 150);
    assert_string_equal(s->nodes[ls_scheme_find_node(s, "b1")].number, "加1");
    assert_string_equal(s->nodes[ls_scheme_find_node(s, "v1")].number, "否1");
    assert_int_equal(s->nodes[ls_scheme_find_node(s, "v1")].section, LS_SEC_VETO);
    /* bands: highest first, dept veto grade is 不合格 */
    const ls_group *dept = &s->groups[ls_scheme_find_group(s, "dept")];
    assert_int_equal(dept->nbands, 4);
    assert_string_equal(dept->bands[dept->veto_band].name, "不合格");
    assert_true(dept->bands[0].max_share > 0.49 && dept->bands[0].max_share < 0.51);
    assert_int_equal(dept->ntie_break, 1);
    /* enum and defaults */
    const ls_indicator *adv = &s->inds[ls_scheme_find_indicator(s, "adviser")];
    assert_int_equal(adv->spec.nchoices, 3);
    assert_true(adv->required);
    assert_true(s->inds[ls_scheme_find_indicator(s, "late")].def.set);
    assert_string_equal(ls_scheme_suggest_indicator(s, "lates"), "late");
    assert_null(ls_scheme_suggest_indicator(s, "completely_different"));
    ls_scheme_free(s);
}

static void test_applicability(void **state)
{
    (void)state;
    ls_scheme *s = load_ok(FIXTURES "scheme/mini.yaml");
    int c21 = ls_scheme_find_node(s, "c2.1"), c2 = ls_scheme_find_node(s, "c2");
    int d1 = ls_scheme_find_unit(s, "d1"), d2 = ls_scheme_find_unit(s, "d2");
    assert_true(ls_node_applies(s, c21, d1));
    assert_false(ls_node_applies(s, c21, d2)); /* no enforcement power */
    assert_false(ls_node_applies(s, c2, d2));  /* nor its category */
    assert_true(ls_node_applies(s, ls_scheme_find_node(s, "c1"), d2));
    ls_scheme_free(s);
}

#define HEAD "assessment: {name: x, year: 2017}\n"                                    \
             "groups: [{id: g, grades: [{grade: A, min: 60}, {grade: B, min: 0}]}]\n" \
             "units: [{id: u1, group: g}]\n"

static void expect_error(const char *text, const char *want)
{
    char *msg = first_error(text);
    assert_non_null(msg);
    assert_string_equal(msg, want);
    free(msg);
}

static void test_points_must_add_up(void **state)
{
    (void)state;
    expect_error(HEAD "categories:\n"
                      "  - id: c1\n    name: A\n    points: 50\n    items:\n"
                      "      - {id: i1, name: x, points: 30, rule: rules/value.lua}\n"
                      "      - {id: i2, name: y, points: 19.5, rule: rules/value.lua}\n"
                      "  - {id: c2, name: B, points: 50, rule: rules/value.lua}\n",
                 "tests/unit/fixtures/scheme/tmp-bad.yaml:5:5: error: the items of 'c1' add up to 49.5 points, expected 50");
    expect_error(HEAD "categories:\n"
                      "  - {id: c1, name: A, points: 60, rule: rules/value.lua}\n"
                      "  - {id: c2, name: B, points: 30, rule: rules/value.lua}\n",
                 "tests/unit/fixtures/scheme/tmp-bad.yaml:5:3: error: the categories add up to 90 points, expected 100");
}

static void test_bands_checked(void **state)
{
    (void)state;
    expect_error("assessment: {name: x, year: 2017}\n"
                 "groups: [{id: g, grades: [{grade: A, min: 90}, {grade: B, min: 60}]}]\n"
                 "units: [{id: u1, group: g}]\n"
                 "categories: [{id: c1, name: A, points: 100, rule: rules/value.lua}]\n",
                 "tests/unit/fixtures/scheme/tmp-bad.yaml:2:48: error: grade bands leave a gap: the lowest "
                 "band 'B' starts at 60, so scores below it get no grade (the last band must start at 0)");
    expect_error("assessment: {name: x, year: 2017}\n"
                 "groups: [{id: g, grades: [{grade: A, min: 60}, {grade: B, min: 80}, {grade: C, min: 0}]}]\n"
                 "units: [{id: u1, group: g}]\n"
                 "categories: [{id: c1, name: A, points: 100, rule: rules/value.lua}]\n",
                 "tests/unit/fixtures/scheme/tmp-bad.yaml:2:64: error: grade bands must be listed highest first "
                 "with strictly decreasing 'min': 'B' starts at 80, not below 'A' at 60");
}

/* Load scheme text written next to the fixtures; it must load cleanly.
 * The caller frees the scheme. */
static ls_scheme *load_text(const char *text)
{
    const char *path = FIXTURES "scheme/tmp-ok.yaml";
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    ls_scheme *s = load_ok(path);
    unlink(path);
    return s;
}

/* labels:, lint: {ignore:}, and bonus/deduction items without points. */
static void test_labels_lint_points(void **state)
{
    (void)state;
    ls_scheme *s = load_text(
        HEAD
        "indicators:\n"
        "  - {id: staff, name: 人员, type: enum, values: [full, none], labels: {full: 专职, none: 未确定}}\n"
        "  - {id: level, name: 级别, type: enum, values: [city, none, province],\n"
        "     labels: {city: 市级, none: 无}}\n"
        "  - {id: kept, name: 统计, type: integer, lint: {ignore: 仅作统计}}\n"
        "categories: [{id: c1, name: A, points: 100, rule: rules/value.lua, lint: {ignore: 今年都满分}}]\n"
        "bonus: {cap: 5, items: [{id: b1, name: B, rule: rules/value.lua},\n"
        "                        {id: b2, name: C, points: 2, rule: rules/value.lua}]}\n"
        "deductions: {items: [{id: d1, name: D, rule: rules/value.lua}]}\n");
    int staff = ls_scheme_find_indicator(s, "staff"), level = ls_scheme_find_indicator(s, "level");
    assert_string_equal(ls_scheme_label(s, staff, "none"), "未确定");
    assert_string_equal(ls_scheme_label(s, level, "none"), "无");
    assert_string_equal(ls_scheme_label(s, level, "province"), "province"); /* no label */
    assert_string_equal(ls_scheme_label(s, -1, "city"), "市级");            /* one indicator labels it */
    assert_string_equal(ls_scheme_label(s, -1, "none"), "none");            /* two disagree: the code */
    assert_string_equal(ls_scheme_label(s, -1, "zzz"), "zzz");
    assert_string_equal(s->inds[ls_scheme_find_indicator(s, "kept")].lint_ignore, "仅作统计");
    assert_null(s->inds[staff].lint_ignore);
    assert_string_equal(s->nodes[ls_scheme_find_node(s, "c1")].lint_ignore, "今年都满分");
    assert_true(s->nodes[ls_scheme_find_node(s, "b1")].no_points);
    assert_false(s->nodes[ls_scheme_find_node(s, "b2")].no_points);
    assert_true(s->nodes[ls_scheme_find_node(s, "d1")].no_points);
    ls_scheme_free(s);
    /* an ordinary item still needs its points */
    expect_error(HEAD "categories: [{id: c1, name: A, rule: rules/value.lua}]\n",
                 "tests/unit/fixtures/scheme/tmp-bad.yaml:4:14: error: missing 'points' in a category");
}

/* Enum labels read back as codes (data files), the values as messages
 * list them, and "did you mean" by Chinese name. */
static void test_label_codes_and_name_suggestions(void **state)
{
    (void)state;
    ls_scheme *s = load_text(
        HEAD
        "indicators:\n"
        "  - {id: level, name: 获表彰级别, type: enum, values: [province, city, none],\n"
        "     labels: {province: 省级, city: 市级}}\n"
        "  - {id: twice, name: 重复, type: enum, values: [a, b], labels: {a: 同名, b: 同名}}\n"
        "  - {id: late_reports, name: 迟报次数, type: integer}\n"
        "  - {id: missed_reports, name: 漏报次数, type: integer}\n"
        "  - {id: close_rate, name: 行政处罚结案率, type: percent}\n"
        "categories: [{id: c1, name: A, points: 100, rule: rules/value.lua}]\n");
    const ls_indicator *level = &s->inds[ls_scheme_find_indicator(s, "level")];
    const ls_indicator *twice = &s->inds[ls_scheme_find_indicator(s, "twice")];
    assert_int_equal(ls_indicator_label_code(level, "市级"), 1);
    assert_int_equal(ls_indicator_label_code(level, "city"), -1); /* a code is no label */
    assert_int_equal(ls_indicator_label_code(level, "无"), -1);   /* none has no label */
    assert_int_equal(ls_indicator_label_code(twice, "同名"), -2); /* ambiguous */
    char *t = ls_indicator_choices_text(level);
    assert_string_equal(t, "province (省级), city (市级), none");
    free(t);
    /* code points: 迟报数 is one character from 迟报次数 */
    assert_int_equal(ls_edit_distance_cp("迟报数", "迟报次数"), 1);
    assert_int_equal(ls_edit_distance_cp("迟报次数", "漏报次数"), 1);
    assert_int_equal(ls_edit_distance_cp("abc", "abd"), 1);
    assert_int_equal(ls_edit_distance_cp("\xff", "a"), (size_t)-1); /* not UTF-8 */
    assert_string_equal(ls_scheme_suggest_indicator_name(s, "迟报数")->id, "late_reports");
    assert_string_equal(ls_scheme_suggest_indicator_name(s, "结案率")->id, "close_rate"); /* part of one */
    assert_null(ls_scheme_suggest_indicator_name(s, "报次数"));                           /* as near to 迟报次数 as to 漏报次数 */
    assert_null(ls_scheme_suggest_indicator_name(s, "培训人数"));
    assert_null(ls_scheme_suggest_indicator_name(s, ""));
    ls_scheme_free(s);
}

static void test_references_checked(void **state)
{
    (void)state;
    expect_error(HEAD "categories: [{id: c1, name: A, points: 100, rule: rules/missing.lua}]\n",
                 "tests/unit/fixtures/scheme/tmp-bad.yaml:4:51: error: rule file 'rules/missing.lua' not found "
                 "(looked for tests/unit/fixtures/scheme/rules/missing.lua)");
    expect_error(HEAD "categories: [{id: c1, name: A, points: 100, only_if: power, rule: rules/value.lua}]\n",
                 "tests/unit/fixtures/scheme/tmp-bad.yaml:4:54: error: unknown flag 'power' (declare it under 'flags:')");
    expect_error(HEAD "categories:\n"
                      "  - {id: c1, name: A, points: 50, rule: rules/value.lua}\n"
                      "  - {id: c1, name: B, points: 50, rule: rules/value.lua}\n",
                 "tests/unit/fixtures/scheme/tmp-bad.yaml:6:10: error: id 'c1' given twice (first at line 5)");
    expect_error(HEAD "categories: [{id: c1, name: A, pionts: 100, rule: rules/value.lua}]\n",
                 "tests/unit/fixtures/scheme/tmp-bad.yaml:4:32: error: unknown key 'pionts' in a category (did you mean 'points'?)");
    expect_error(HEAD "categories: [{id: c1, name: A, points: 0.005, rule: rules/value.lua}]\n",
                 "tests/unit/fixtures/scheme/tmp-bad.yaml:4:40: error: 'points' must be a multiple of the "
                 "scheme's precision 0.01, found 0.005");
}

/* Last year's ids and names: the one hint every reader of units uses. */
static void test_former_units(void **state)
{
    (void)state;
    /* (made up: sfj and yjj both had the name 区安全生产监督管理局) */
    const char *fy[] = {"ajj"}, *fn[] = {"区安监局", "区安全生产监督管理局"};
    ls_unit units[] = {
        {.id = "sfj", .name = "区司法局", .former_names = fn + 1, .nformer_names = 1},
        {.id = "yjj", .name = "区应急管理局", .formerly = fy, .nformerly = 1, .former_names = fn, .nformer_names = 2},
    };
    ls_scheme s = {.units = units, .nunits = 2};
    int by_name = -1;
    assert_int_equal(ls_scheme_find_former_unit(&s, "ajj", &by_name), 1);
    assert_int_equal(by_name, 0);
    assert_int_equal(ls_scheme_find_former_unit(&s, "区安全生产监督管理局", &by_name), 0);
    assert_int_equal(by_name, 1);
    assert_int_equal(ls_scheme_find_former_unit(&s, "yjj", NULL), -1); /* this year's id is no former id */
    assert_int_equal(ls_scheme_find_former_unit(&s, "区法制办", &by_name), -1);

    ls_errors err;
    ls_errors_init(&err);
    assert_int_equal(ls_scheme_former_unit_error(&s, "sfjj", 1, &err, "a.csv", 2, 1), 0);
    assert_int_equal(err.n, 0);
    assert_int_equal(ls_scheme_former_unit_error(&s, "ajj", 1, &err, "a.csv", 2, 1), -1);
    assert_int_equal(ls_scheme_unknown_unit_error(&s, "区安监局", 1, &err, "a.csv", 3, 1), -1);
    assert_int_equal(ls_scheme_unknown_unit_error(&s, "sfjj", 1, &err, "a.csv", 4, 1), -1);
    assert_int_equal(ls_scheme_unknown_unit_error(&s, "区安全生产监督管理局", 1, &err, "a.csv", 5, 1), -1);
    /* a reader of ids only (the 自评表) asks for the id, not the name */
    assert_int_equal(ls_scheme_unknown_unit_error(&s, "区安监局", 0, &err, "self.csv", 6, 1), -1);
    /* and takes this year's name for no id, but says whose it is */
    assert_int_equal(ls_scheme_former_unit_error(&s, "区司法局", 0, &err, "self.csv", 7, 1), -1);
    assert_int_equal(ls_scheme_former_unit_error(&s, "区司法局", 1, &err, "a.csv", 8, 1), 0);
    assert_int_equal(err.nerrors, 6);
    const char *want[] = {
        "a.csv:2:1: error: unknown unit 'ajj': it is the former id of yjj (区应急管理局) (its 'formerly:' in the "
        "registry); write this year's id yjj",
        "a.csv:3:1: error: unknown unit '区安监局': it is the former name of yjj (区应急管理局) (its "
        "'former_names:' in the registry); write this year's name 区应急管理局 or the id yjj",
        "a.csv:4:1: error: unknown unit 'sfjj': it is not in the scheme's unit registry",
        "a.csv:5:1: error: unknown unit '区安全生产监督管理局': it is the former name of both sfj (区司法局) and yjj "
        "(区应急管理局) (their 'former_names:' in the registry); write this year's id of the unit meant",
        "self.csv:6:1: error: unknown unit '区安监局': it is the former name of yjj (区应急管理局) (its "
        "'former_names:' in the registry); write its id yjj",
        "self.csv:7:1: error: unknown unit '区司法局': it is the name of sfj; write its id sfj",
    };
    for (size_t i = 0; i < 6; i++) {
        char *m = ls_diag_format(&err.v[i]);
        assert_string_equal(m, want[i]);
        free(m);
    }
    /* a data row's name that is another unit's former name: that unit,
     * unless it is the unit excepted or several units had the name */
    assert_int_equal(ls_scheme_former_name_unit(&s, "区安监局", -1), 1);
    assert_int_equal(ls_scheme_former_name_unit(&s, "区安监局", 0), 1);
    assert_int_equal(ls_scheme_former_name_unit(&s, "区安监局", 1), -1);
    assert_int_equal(ls_scheme_former_name_unit(&s, "ajj", -1), -1); /* a former id is no name */
    assert_int_equal(ls_scheme_former_name_unit(&s, "区安全生产监督管理局", -1), -1);
    assert_int_equal(ls_scheme_former_name_unit(&s, "区安全生产监督管理局", 0), 1);
    ls_errors_cleanup(&err);
}

/* A flags cell: ids or descriptions, every separator (ASCII and
 * full-width, repeated, leading, trailing), and the first unknown flag. */
static void test_parse_flags(void **state)
{
    (void)state;
    const char *flags[] = {"town", "pilot", "new"};
    const char *names[] = {"乡镇", "试点单位", ""};
    ls_scheme s = {0};
    s.flags = flags;
    s.flag_names = names;
    s.nflags = 3;
    uint64_t out = 99;
    char bad[16];
    assert_int_equal(ls_scheme_parse_flags(&s, "", &out, bad, sizeof bad), 0);
    assert_int_equal(out, 0);
    assert_int_equal(ls_scheme_parse_flags(&s, "town;pilot", &out, bad, sizeof bad), 0);
    assert_int_equal(out, 3);
    assert_int_equal(ls_scheme_parse_flags(&s, " 乡镇，new ", &out, bad, sizeof bad), 0);
    assert_int_equal(out, 5);
    assert_int_equal(ls_scheme_parse_flags(&s, "；试点单位、\tnew｜,|　town", &out, bad, sizeof bad), 0);
    assert_int_equal(out, 7);
    /* 乡镇 and 试点单位 share no byte with a separator; a name is not cut
     * at a full-width character that is not one (：) */
    assert_int_equal(ls_scheme_parse_flags(&s, "town、乡镇：x", &out, bad, sizeof bad), -1);
    assert_string_equal(bad, "乡镇：x");
    assert_int_equal(ls_scheme_parse_flags(&s, "towns", &out, bad, sizeof bad), -1);
    assert_string_equal(bad, "towns");
    /* cut in whole characters */
    assert_int_equal(ls_scheme_parse_flags(&s, "试点单位单位单位", &out, bad, 8), -1);
    assert_string_equal(bad, "试点");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_structure),
        cmocka_unit_test(test_applicability),
        cmocka_unit_test(test_points_must_add_up),
        cmocka_unit_test(test_bands_checked),
        cmocka_unit_test(test_references_checked),
        cmocka_unit_test(test_former_units),
        cmocka_unit_test(test_labels_lint_points),
        cmocka_unit_test(test_label_codes_and_name_suggestions),
        cmocka_unit_test(test_parse_flags),
    };
    return cmocka_run_group_tests_name("scheme", tests, NULL, NULL);
}
