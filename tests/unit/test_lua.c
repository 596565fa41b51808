/*
 * test_lua.c - the Lua rule backend: every helper of rules/lawscore.lua
 * (and how results adapt to ordinary, bonus, deduction-only and veto
 * items), what a rule sees (data, unit, item, params, stats, name_of,
 * sorted pairs, fresh globals per call), every shape of return value,
 * error messages with the rule's line and a traceback, the sandbox (each
 * forbidden name, read-only tables, no Lua patterns, instruction budget,
 * call depth, memory cap, huge table loops) and binding errors.
 *
 * Fixtures: tests/unit/fixtures/lua/ - scheme.yaml has one item per
 * script under rules/ (the item id is the script name), data.yaml gives
 * four units: sfj, xfj, hbj (group dept) and zz (group town).
 */
#include "ls_test.h"

#include <errno.h>
#include <unistd.h>

#include "ls_lua.h"
#include "ls_util.h"

#define LUA_FIX FIXTURES "lua/"
#define RULES LUA_FIX "rules/"

typedef struct fx {
    ls_scheme *s;
    ls_dataset *d;
    ls_stats *st;
    ls_backend *b;
} fx;

static fx F;

/* Load a scheme, its data (if any) and a backend with every leaf bound. */
static void fx_open(fx *x, const char *scheme, const char *data, const ls_lua_limits *lim)
{
    ls_errors err;
    ls_errors_init(&err);
    x->s = ls_scheme_load(scheme, &err);
    if (!x->s) ls_errors_print(&err, stderr);
    assert_non_null(x->s);
    x->d = ls_dataset_load(x->s, &data, data ? 1 : 0, 1, &err);
    if (!x->d) ls_errors_print(&err, stderr);
    assert_non_null(x->d);
    x->st = ls_stats_new(x->s, x->d);
    x->b = ls_lua_backend_new(x->s, lim, &err);
    if (!x->b) ls_errors_print(&err, stderr);
    assert_non_null(x->b);
    for (size_t k = 0; k < x->s->nleaves; k++) x->b->bind(x->b, x->s->leaves[k], &err);
    if (err.n) ls_errors_print(&err, stderr);
    assert_int_equal(err.n, 0);
    ls_errors_cleanup(&err);
}

static void fx_close(fx *x)
{
    ls_backend_free(x->b);
    ls_stats_free(x->st);
    ls_dataset_free(x->d);
    ls_scheme_free(x->s);
    memset(x, 0, sizeof *x);
}

static int group_setup(void **state)
{
    (void)state;
    fx_open(&F, LUA_FIX "scheme.yaml", LUA_FIX "data.yaml", NULL);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    fx_close(&F);
    return 0;
}

/* Evaluate item `id` for unit `uid`; the caller cleans up c. */
static int run_in(fx *x, const char *id, const char *uid, ls_rule_call *c, unsigned char *reads)
{
    int node = ls_scheme_find_node(x->s, id);
    int unit = ls_scheme_find_unit(x->s, uid);
    assert_true(node >= 0);
    assert_true(unit >= 0);
    ls_rule_call_init(c, x->s, x->d, x->st, unit, node, reads);
    return x->b->call(x->b, c);
}

/* Expect a value and exactly the reasons given (NULL-terminated). */
static void expect_ok_in(fx *x, const char *id, const char *uid, double value, ...)
{
    ls_rule_call c;
    int rc = run_in(x, id, uid, &c, NULL);
    if (rc) fprintf(stderr, "%s/%s: %s (line %d)\n", id, uid, c.err_msg, c.err_line);
    assert_int_equal(rc, 0);
    if (c.value != value) fprintf(stderr, "%s/%s: value %.17g\n", id, uid, c.value);
    assert_true(c.value == value);
    va_list ap;
    va_start(ap, value);
    size_t n = 0;
    for (const char *r; (r = va_arg(ap, const char *)); n++) {
        assert_true(n < c.reasons.n);
        assert_string_equal(c.reasons.v[n], r);
    }
    va_end(ap);
    if (n != c.reasons.n) fprintf(stderr, "%s/%s: extra reason '%s'\n", id, uid, c.reasons.v[n]);
    assert_int_equal(n, c.reasons.n);
    ls_rule_call_cleanup(&c);
}

#define expect_ok(id, uid, ...) expect_ok_in(&F, id, uid, __VA_ARGS__, NULL)

/* Expect an error with this message at this line of the item's script
 * (line -1: do not check). */
static void expect_err_in(fx *x, const char *id, const char *uid, const char *msg, int line)
{
    ls_rule_call c;
    assert_int_equal(run_in(x, id, uid, &c, NULL), -1);
    assert_non_null(c.err_msg);
    assert_string_equal(c.err_msg, msg);
    if (line >= 0) assert_int_equal(c.err_line, line);
    const ls_node *n = &x->s->nodes[ls_scheme_find_node(x->s, id)];
    assert_non_null(c.err_path);
    assert_string_equal(c.err_path, n->rule.path);
    assert_int_equal(c.reasons.n, 0);
    ls_rule_call_cleanup(&c);
}

#define expect_err(id, uid, msg, line) expect_err_in(&F, id, uid, msg, line)

/* ---- helpers: points earned ---------------------------------------------- */

static void test_full_and_score(void **state)
{
    (void)state;
    expect_ok("h_full", "sfj", 2);
    expect_ok("h_full_reason", "xfj", 2, "本年度无此类事项");
    expect_ok("h_score", "sfj", 3.5, "酌情给分");
}

static void test_binary(void **state)
{
    (void)state;
    expect_ok("h_binary", "sfj", 3);
    expect_ok("h_binary", "xfj", 0, "未建立法律顾问制度，不得分");
}

static void test_graded(void **state)
{
    (void)state;
    expect_ok("h_graded", "sfj", 3);
    expect_ok("h_graded", "xfj", 2, "法律顾问制度：兼管，得2分");
    expect_ok("h_graded", "hbj", 0, "法律顾问制度：无，不得分"); /* not listed: 0 */
}

static void test_bands_and_ratio(void **state)
{
    (void)state;
    expect_ok("h_bands", "sfj", 3, "关联率90%，得3分");         /* 45/50 */
    expect_ok("h_bands", "hbj", 0, "关联率80%，不得分");        /* below all */
    expect_ok("h_bands", "xfj", 0, "关联率（无数据），不得分"); /* 0/0: nil */
    expect_ok("h_ratio", "sfj", 1, "nil", "nil", "57", "33.3333333333333");
}

static void test_rank_points(void **state)
{
    (void)state;
    expect_ok("h_rank", "xfj", 60);                        /* 50: first */
    expect_ok("h_rank", "sfj", 57, "组内排名第2，得57分"); /* 30: tie */
    expect_ok("h_rank", "hbj", 57, "组内排名第2，得57分");
    expect_ok("h_rank", "zz", 60); /* own group */
}

static void test_tiers_highest_once(void **state)
{
    (void)state;
    expect_ok("b_tiers", "sfj", 5, "获表彰（国家级、省级），按最高级别国家级计一次，加5分");
    expect_ok("b_tiers", "xfj", 0);
    expect_ok("b_tiers_one", "hbj", 3, "获表彰（省级），加3分");
    expect_ok("b_tiers_one", "xfj", 0); /* 无: not listed */
}

/* ---- helpers: counting against the unit ----------------------------------- */

static void test_per_occurrence(void **state)
{
    (void)state;
    expect_ok("h_per", "sfj", 1.5, "迟报1次，每次扣0.5分，扣0.5分", "漏报1次，每次扣1分，扣1分");
    expect_ok("h_per", "xfj", 0, "迟报8次，每次扣0.5分，应扣4分，最多扣3分");
    expect_ok("h_per", "hbj", 3);
}

static void test_per_occurrence_cap(void **state)
{
    (void)state;
    expect_ok("h_per_cap", "sfj", 4, "迟报1次，每次扣1分，扣1分");
    expect_ok("h_per_cap", "xfj", 3, "迟报8次，每次扣1分，应扣8分，最多扣2分");
}

static void test_shortfall(void **state)
{
    (void)state;
    expect_ok("h_shortfall", "sfj", 1, "专题研究不足3次（要求3，实际1），每少1扣0.5分，扣1分");
    expect_ok("h_shortfall", "xfj", 2); /* exactly 3 */
    expect_ok("h_shortfall", "hbj", 2); /* more */
    expect_ok("h_shortfall", "zz", 0.5, "专题研究不足3次（要求3，实际0），每少1扣0.5分，扣1.5分");
}

static void test_rate_steps(void **state)
{
    (void)state;
    expect_ok("h_rate", "sfj", 2, "结案率88.9%，低于90%，每低10个百分点扣1分，扣1分");
    expect_ok("h_rate", "xfj", 3);
    expect_ok("h_rate", "hbj", 0, "结案率42%，低于90%，每低10个百分点扣1分，应扣5分，最多扣3分");
    expect_ok("h_rate", "zz", 0,
              "结案率（无数据，按0%计），低于90%，每低10个百分点扣1分，应扣9分，最多扣3分");
    /* the rate's value follows its name (h_rate writes it itself, show = false) */
    expect_ok("h_rate_name", "sfj", 2, "结案率88.9%，低于90%，每低10个百分点扣1分，扣1分");
    expect_ok("h_rate_name", "zz", 0,
              "结案率（无数据，按0%计），低于90%，每低10个百分点扣1分，应扣9分，最多扣3分");
}

static void test_threshold(void **state)
{
    (void)state;
    expect_ok("h_threshold", "sfj", 0, "备案率未达100%，扣15分");
    expect_ok("h_threshold", "xfj", 15);
    expect_ok("h_threshold", "zz", 0, "备案率未达100%，扣15分"); /* no value */
}

static void test_discretionary(void **state)
{
    (void)state;
    expect_ok("h_discretionary", "sfj", 2.5, "台账不全，扣0.5分");
    expect_ok("h_discretionary", "xfj", 3);
}

static void test_combine_cap(void **state)
{
    (void)state;
    expect_ok("h_combine_cap", "sfj", 1.5, "迟报1次，每次扣1分，扣1分", "漏报1次，每次扣2分，扣2分",
              "合计扣3分，最多扣2.5分");
    expect_ok("h_combine_cap", "hbj", 4);
}

static void test_doubled(void **state)
{
    (void)state;
    expect_ok("h_doubled", "sfj", 2, "迟报1次，每次扣1分，扣1分", "经核查不实，扣分加倍，扣2分");
    expect_ok("h_doubled", "xfj", 0, "迟报8次，每次扣1分，应扣8分，最多扣4分"); /* not false */
    expect_ok("h_doubled", "hbj", 4);
}

static void test_fmt(void **state)
{
    (void)state;
    expect_ok("h_fmt", "sfj", 1, "0.3", "2", "0.333333333333333", "0", "1e+20", "7");
}

/* ---- results by kind ------------------------------------------------------ */

static void test_bonus_kind(void **state)
{
    (void)state;
    /* counting helpers add on bonus items; points-giving ones give */
    expect_ok("b_per", "sfj", 1, "获市级表彰2次，每次加0.5分，加1分");
    expect_ok("b_per", "xfj", 0);
    expect_ok("b_graded", "sfj", 2, "法律顾问：专门机构，加2分");
    expect_ok("b_graded", "xfj", 0);
}

static void test_deduction_kind(void **state)
{
    (void)state;
    /* the value of a deduction-only item is the deduction */
    expect_ok("d_per", "sfj", 4, "行政诉讼败诉2次，每次扣2分，扣4分");
    expect_ok("d_per", "xfj", 0);
    expect_ok("d_graded", "sfj", 0);
    expect_ok("d_graded", "xfj", 2, "法律顾问：兼管，扣2分");
    expect_ok("d_graded", "hbj", 3, "法律顾问：无，扣3分");
    expect_ok("d_binary", "sfj", 0);
    expect_ok("d_binary", "xfj", 2, "未建立法律顾问制度，扣2分");
}

static void test_veto(void **state)
{
    (void)state;
    expect_ok("v_bool", "sfj", 0); /* false */
    expect_ok("v_bool", "xfj", 1); /* true */
    expect_ok("v_helper", "sfj", 0);
    expect_ok("v_helper", "xfj", 1, "发生严重违法行政行为");
    const char *num = F.s->nodes[ls_scheme_find_node(F.s, "v_misuse")].number;
    char msg[256];
    snprintf(msg, sizeof msg, "per_occurrence(): item %s is a veto item (一票否决): use veto(cond, reason)", num);
    expect_err("v_misuse", "sfj", msg, 1);
    expect_err("v_string", "sfj", "rule returned a string (expected a number or true/false)", 1);
    num = F.s->nodes[ls_scheme_find_node(F.s, "e_veto_misuse")].number;
    snprintf(msg, sizeof msg, "veto(): item %s is not a veto item (一票否决)", num);
    expect_err("e_veto_misuse", "sfj", msg, 1);
    /* numbers: 1 or 0 only (0.005 must not veto where 0.004 does not) */
    /* at the line of the return whose value was refused */
    expect_err("v_number", "sfj", "rule returned -1 (a veto rule returns true or false, or 1 or 0)", 2);
    expect_err("v_number", "xfj", "rule returned 0.005 (a veto rule returns true or false, or 1 or 0)", 2);
    expect_ok("v_number", "hbj", 1);
    expect_ok("v_number", "zz", 0);
}

static void test_reason_nul(void **state)
{
    (void)state;
    expect_err("v_reason_nul", "sfj", "reason 2 holds a NUL byte (\\0) at byte 7: a reason is text", 2);
}

/* ---- what a rule sees ------------------------------------------------------ */

static void test_unit_and_item(void **state)
{
    (void)state;
    expect_ok("c_unit", "sfj", 1, "sfj", "区司法局", "dept", "区直部门", "true");
    expect_ok("c_unit", "zz", 1, "zz", "镇政府", "town", "乡镇政府", "false");
    const char *num = F.s->nodes[ls_scheme_find_node(F.s, "c_item")].number;
    expect_ok("c_item", "sfj", 1, "c_item", "考核项目", num, "2", "item", "integer");
}

static void test_params_types(void **state)
{
    (void)state;
    /* {n: 3, f: 0.5, s: "3", b: true, list: [1, 2, 3], map: {a: 1}, z: ~, big: 1e3} */
    expect_ok("c_params", "sfj", 1, "integer", "float", "string", "true", "3", "1", "nil", "integer", "2");
}

static void test_data_types(void **state)
{
    (void)state;
    expect_ok("c_types", "sfj", 1, "integer", "boolean", "string", "nil", "88.9", "string");
    expect_ok("c_types", "zz", 1, "integer", "boolean", "string", "nil", "nil", "nil");
}

static void test_stats_and_name_of(void **state)
{
    (void)state;
    /* dept cases: sfj 30, xfj 50, hbj 30 */
    expect_ok("c_stats", "sfj", 1, "3", "30", "50", "36.6666666666667", "110", "2", "1");
    expect_ok("c_stats", "xfj", 1, "3", "30", "50", "36.6666666666667", "110", "1", "3");
    expect_ok("c_stats", "zz", 1, "1", "10", "10", "10", "10", "1", "1");
    expect_ok("c_name_of", "sfj", 1, "迟报次数");
}

static void test_reads_recorded(void **state)
{
    (void)state;
    unsigned char reads[64];
    assert_true(F.s->ninds <= sizeof reads);
    memset(reads, 0, sizeof reads);
    ls_rule_call c;
    assert_int_equal(run_in(&F, "c_reads", "xfj", &c, reads), 0);
    assert_true(c.value == 8);
    for (size_t i = 0; i < F.s->ninds; i++) {
        int want = !strcmp(F.s->inds[i].id, "late_reports") || !strcmp(F.s->inds[i].id, "missed_reports");
        assert_int_equal(reads[i], want);
    }
    ls_rule_call_cleanup(&c);
    memset(reads, 0, sizeof reads);
    assert_int_equal(run_in(&F, "h_rank", "sfj", &c, reads), 0); /* stats() reads */
    assert_int_equal(reads[ls_scheme_find_indicator(F.s, "cases")], 1);
    ls_rule_call_cleanup(&c);
}

static void test_pairs_order(void **state)
{
    (void)state;
    /* numbers ascending, then strings bytewise, then booleans; params,
     * unit.flags and data (values set only) through their proxies */
    for (int i = 0; i < 3; i++)
        expect_ok("c_pairs", "sfj", 1, "1,1.5,2,10,a,b,c,true", "a=3,z=1,中=2",
                  "big_city=false,enforcement=true", "18", "a", "nil", "2");
    expect_ok("c_pairs", "hbj", 1, "1,1.5,2,10,a,b,c,true", "a=3,z=1,中=2",
              "big_city=true,enforcement=true", "17", "a", "nil", "2");
}

static void test_next_order(void **state)
{
    (void)state;
    /* next walks in the order of pairs (Lua's own order is seeded per run) */
    expect_ok("c_next", "sfj", 1, "1,3,a", "18", "a", "nil", "flags");
    expect_ok("c_next", "zz", 1, "1,3,a", "12", "a", "nil", "flags");
}

static void test_globals_fresh_per_call(void **state)
{
    (void)state;
    /* the script checks _ENV is empty on entry, then sets globals */
    expect_ok("c_globals", "sfj", 1, "nil,sfj");
    expect_ok("c_globals", "xfj", 1, "nil,xfj");
    expect_ok("c_globals", "xfj", 1, "nil,xfj");
    /* and nothing a script set reaches another script */
    expect_err("e_unknown_global", "sfj", "unknown name 'dta' (did you mean 'data'?)", 1);
}

static void test_strings_allowed(void **state)
{
    (void)state;
    /* find is plain: "[c" is text, not a malformed pattern */
    expect_ok("c_strings", "sfj", 1, "ABC", "2.2", "4", "xxx", "1", "nil", "中", "3");
}

static void test_print_to_stderr(void **state)
{
    (void)state;
    char path[] = "/tmp/lawscore-test-lua-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(stderr);
    int saved = dup(2);
    dup2(fd, 2);
    expect_ok("c_print", "sfj", 1);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    close(fd);
    size_t len;
    char *out = ls_read_file(path, &len);
    unlink(path);
    assert_non_null(out);
    assert_string_equal(out, RULES "c_print.lua: 调试\t1\tnil\ttrue\n");
    free(out);
}

/* ---- return values --------------------------------------------------------- */

static void test_return_shapes(void **state)
{
    (void)state;
    expect_ok("s_two", "sfj", 2.5, "迟报1次，扣0.5分");
    expect_ok("s_list", "sfj", 2, "理由一", "理由二");
    expect_ok("s_table", "sfj", 2.5, "x");
    expect_ok("s_table_plus", "sfj", 1, "a", "b");
}

static void test_return_errors(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"s_nothing", "rule returned nothing (expected a score)"},
        {"s_nil", "rule returned nil (expected a number)"},
        {"s_string", "rule returned a string (expected a number)"},
        {"s_nan", "rule returned NaN"},
        {"s_inf", "rule returned an infinite number"},
        {"s_bool", "rule returned a boolean (expected a number)"},
        {"s_reason_table", "reason 2 is a table (expected a string)"},
        {"s_reason_num", "the second value returned is a number (expected a reason: a string or "
                         "a list of strings)"},
        {"s_three", "rule returned 3 values (expected a score and its reasons)"},
        {"s_table_noscore", "rule returned a table without a 'score' (a result looks like "
                            "{score = 3, reasons = {...}})"},
        {"s_table_nan", "rule returned a result whose score is NaN"},
        {"s_table_badreason", "reason 2 is a number (expected a string)"},
    };
    /* each at the script line of its return (all on line 1; s_nothing
     * ends without one: the end of the chunk) */
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) expect_err(cases[i][0], "sfj", cases[i][1], 1);
}

/* ---- errors ------------------------------------------------------------------ */

static void test_unknown_indicator(void **state)
{
    (void)state;
    ls_rule_call c;
    assert_int_equal(run_in(&F, "e_unknown_ind", "sfj", &c, NULL), -1);
    assert_string_equal(c.err_msg, "unknown indicator 'late_report' (did you mean 'late_reports'?)");
    assert_string_equal(c.err_path, RULES "e_unknown_ind.lua");
    assert_int_equal(c.err_line, 2);
    assert_non_null(c.err_trace);
    assert_string_equal(c.err_trace, "stack traceback:\n\t" RULES "e_unknown_ind.lua:2: in main chunk");
    char *d = ls_rule_call_describe(&c);
    assert_non_null(strstr(d, "unit 'sfj' (区司法局): unknown indicator 'late_report'"));
    free(d);
    ls_rule_call_cleanup(&c);
}

static void test_error_in_helper_points_at_rule(void **state)
{
    (void)state;
    ls_rule_call c;
    assert_int_equal(run_in(&F, "e_helper_arg", "sfj", &c, NULL), -1);
    assert_string_equal(c.err_msg, "per_occurrence(): 'each' must be a number, found a string (\"x\")");
    assert_int_equal(c.err_line, 3); /* the rule's line, not the helper's */
    /* no lawscore.lua lines: the rule line is the one to read */
    assert_string_equal(c.err_trace, "stack traceback:\n\t" RULES "e_helper_arg.lua:3: in main chunk");
    assert_int_equal(c.err_kind, LS_RULE_ERR_HELPER);
    assert_null(strstr(c.err_trace, "[C]"));
    ls_rule_call_cleanup(&c);
}

static void test_error_values(void **state)
{
    (void)state;
    expect_err("e_error_table", "sfj", "error object is a table value", 1);
    expect_err("e_error_string", "sfj", "自定义错误", 2);
    expect_err("e_runtime", "sfj", "attempt to index a nil value (local 't')", 2);
    expect_err("e_unit_field", "sfj", "unknown field 'unit.nmae' (did you mean 'unit.name'?)", 1);
    expect_err("e_flag", "sfj", "unknown flag 'enforcment' (did you mean 'enforcement'?)", 1);
}

static void test_deep_recursion(void **state)
{
    (void)state;
    ls_rule_call c;
    assert_int_equal(run_in(&F, "e_deep", "sfj", &c, NULL), -1);
    /* no depth limit of its own: the budget (or the memory cap) ends it,
     * with or without hooks alike */
    assert_string_equal(c.err_msg, "instruction budget of 1000000 exceeded (infinite loop?)");
    assert_int_equal(c.err_line, 1);
    assert_non_null(strstr(c.err_trace, "e_deep.lua:1: in function 'f'"));
    assert_non_null(strstr(c.err_trace, "\n\t..."));
    ls_rule_call_cleanup(&c);
    expect_ok("h_full", "sfj", 2);
}

static void test_unbound_node(void **state)
{
    (void)state;
    ls_rule_call c;
    ls_rule_call_init(&c, F.s, F.d, F.st, 0, ls_scheme_find_node(F.s, "h"), NULL); /* a category */
    assert_int_equal(F.b->call(F.b, &c), -1);
    assert_non_null(strstr(c.err_msg, "is not bound"));
    ls_rule_call_cleanup(&c);
}

/* ---- the sandbox --------------------------------------------------------------- */

#define NO_HOST "(the sandbox gives rules no files, processes, network or modules)"
#define NO_VM "(rules cannot reach into the Lua machinery)"

static void test_forbidden_names(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"x_os", "'os' is not available in rules " NO_HOST},
        {"x_io", "'io' is not available in rules " NO_HOST},
        {"x_require", "'require' is not available in rules " NO_HOST},
        {"x_load", "'load' is not available in rules " NO_HOST},
        {"x_dofile", "'dofile' is not available in rules " NO_HOST},
        {"x_dump", "'string.dump' is not available in rules " NO_VM},
        {"x_dump_method", "'string.dump' is not available in rules " NO_VM},
        {"x_debug", "'debug' is not available in rules " NO_VM},
        {"x_collectgarbage", "'collectgarbage' is not available in rules " NO_VM},
        {"x_setmetatable", "'setmetatable' is not available in rules " NO_VM},
        {"x_getmetatable", "'getmetatable' is not available in rules " NO_VM},
        {"x_rawset", "'rawset' is not available in rules " NO_VM},
        {"x_coroutine", "'coroutine' is not available in rules " NO_VM},
        {"x_pcall", "'pcall' is not available in rules (an error always stops the rule and is reported)"},
        {"x_random", "'math.random' is not available in rules (scores must be the same on every run)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) expect_err(cases[i][0], "sfj", cases[i][1], 1);
}

static void test_readonly_tables(void **state)
{
    (void)state;
    expect_err("x_string_write", "sfj", "cannot change string.upper: string is read-only", 1);
    expect_err("x_math_write", "sfj", "cannot change math.pi: math is read-only", 1);
    expect_err("x_params_write", "sfj", "cannot change params.each: params is read-only", 1);
    expect_err("x_params_list_write", "sfj", "cannot change params.list[4]: params.list is read-only", 1);
    expect_err("x_data_write", "sfj", "cannot change data.late_reports: data is read-only", 1);
    expect_err("x_item_write", "sfj", "cannot change item.points: item is read-only", 1);
    /* the libraries still work for everyone after the attempts */
    expect_ok("c_strings", "xfj", 1, "ABC", "2.2", "4", "xxx", "1", "nil", "中", "3");
}

static void test_no_patterns(void **state)
{
    (void)state;
    expect_err("x_match", "sfj",
               "string.match is not available in rules (Lua patterns can run for minutes inside one "
               "call); string.find searches plain text",
               1);
    expect_err("x_gsub", "sfj",
               "string.gsub is not available in rules (Lua patterns can run for minutes inside one "
               "call); string.find searches plain text",
               1);
    expect_err("x_find_long", "sfj",
               "string.find: searching 200000 bytes for a text of 1001 bytes is too much work for one call", 2);
}

static void test_budget_sticky_and_rearmed(void **state)
{
    (void)state;
    expect_err("x_loop", "sfj", "instruction budget of 1000000 exceeded (infinite loop?)", 2);
    /* over budget inside a comparator called back from table.sort (C):
     * the error still ends the call; scripts have no pcall to catch it
     * and the hook keeps raising on every further instruction */
    expect_err("x_loop_sort", "sfj", "instruction budget of 1000000 exceeded (infinite loop?)", 3);
    /* the next call gets a whole budget again */
    expect_ok("h_per", "sfj", 1.5, "迟报1次，每次扣0.5分，扣0.5分", "漏报1次，每次扣1分，扣1分");
    expect_err("x_loop", "xfj", "instruction budget of 1000000 exceeded (infinite loop?)", 2);
}

static void test_memory_cap(void **state)
{
    (void)state;
    expect_err("x_rep_huge", "sfj", "memory limit of 64 MB exceeded", 2);
    expect_ok("h_full", "sfj", 2);
}

static void test_table_loops(void **state)
{
    (void)state;
    expect_err("x_move", "sfj",
               "table.move: moving more than 10000000 elements is not available in rules", 1);
    expect_err("x_insert_border", "sfj",
               "table.insert: tables longer than 10000000 elements are not available in rules", 8);
}

/* ---- limits from the scheme and from the command line ------------------------------ */

static void test_limits_from_scheme(void **state)
{
    (void)state;
    fx x;
    fx_open(&x, LUA_FIX "limits.yaml", NULL, NULL); /* 5000 instructions, 2 MB */
    expect_err_in(&x, "loop", "sfj", "instruction budget of 5000 exceeded (infinite loop?)", 2);
    expect_err_in(&x, "alloc", "sfj", "memory limit of 2 MB exceeded", 6);
    expect_ok_in(&x, "full", "sfj", 1, NULL);
    expect_err_in(&x, "alloc", "sfj", "memory limit of 2 MB exceeded", 6);
    expect_ok_in(&x, "full", "sfj", 1, NULL);
    fx_close(&x);
}

static void test_limits_override(void **state)
{
    (void)state;
    fx x;
    ls_lua_limits lim = {.max_instructions = 20000, .max_memory = 3L << 20};
    fx_open(&x, LUA_FIX "limits.yaml", NULL, &lim);
    expect_err_in(&x, "loop", "sfj", "instruction budget of 20000 exceeded (infinite loop?)", 2);
    expect_err_in(&x, "alloc", "sfj", "memory limit of 3 MB exceeded", 6);
    expect_ok_in(&x, "full", "sfj", 1, NULL);
    fx_close(&x);
}

/* ---- binding ------------------------------------------------------------------------- */

static void test_bind_errors(void **state)
{
    (void)state;
    ls_errors err;
    ls_errors_init(&err);
    ls_scheme *s = ls_scheme_load(LUA_FIX "bad.yaml", &err);
    assert_non_null(s);
    ls_backend *b = ls_lua_backend_new(s, NULL, &err);
    assert_non_null(b);
    assert_int_equal(b->bind(b, ls_scheme_find_node(s, "syntax"), &err), -1);
    assert_int_equal(err.n, 1);
    assert_string_equal(err.v[0].path, RULES "bad_syntax.lua");
    assert_int_equal(err.v[0].line, 3);
    assert_string_equal(err.v[0].msg, "')' expected (to close '(' at line 1) near <eof>");
    /* the same script for another item: not reported twice */
    assert_int_equal(b->bind(b, ls_scheme_find_node(s, "syntax2"), &err), -1);
    assert_int_equal(err.n, 1);
    /* a parameter Lua cannot hold: at its place in the scheme */
    assert_int_equal(b->bind(b, ls_scheme_find_node(s, "param"), &err), -1);
    assert_int_equal(err.n, 2);
    assert_string_equal(err.v[1].path, LUA_FIX "bad.yaml");
    assert_int_equal(err.v[1].line, 30);
    assert_int_equal(err.v[1].col, 21);
    assert_string_equal(err.v[1].msg, "parameter 'params.x': 1e400 is not a finite number");
    assert_int_equal(b->bind(b, ls_scheme_find_node(s, "bytecode"), &err), -1);
    assert_int_equal(err.n, 3);
    assert_string_equal(err.v[2].msg, "this is precompiled Lua bytecode: rules must be Lua source text");
    /* an unbound item cannot be called */
    ls_rule_call c;
    ls_rule_call_init(&c, s, NULL, NULL, 0, ls_scheme_find_node(s, "syntax"), NULL);
    assert_int_equal(b->call(b, &c), -1);
    ls_rule_call_cleanup(&c);
    ls_backend_free(b);
    ls_scheme_free(s);
    ls_errors_cleanup(&err);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_bind_unreadable(void **state)
{
    (void)state;
    char dir[] = "/tmp/lawscore-test-lua-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char scheme[256], rule[256];
    snprintf(scheme, sizeof scheme, "%s/scheme.yaml", dir);
    snprintf(rule, sizeof rule, "%s/rule.lua", dir);
    write_file(scheme,
               "assessment: {name: 测试, year: 2017, total: 1}\n"
               "groups:\n"
               "  - {id: dept, name: 部门, grades: [{grade: 合格, min: 0}]}\n"
               "units:\n"
               "  - {id: sfj, name: 区司法局, group: dept}\n"
               "indicators:\n"
               "  - {id: x, name: 甲, type: integer, default: 0}\n"
               "categories:\n"
               "  - id: c\n"
               "    name: 类别\n"
               "    points: 1\n"
               "    items:\n"
               "      - {id: a, name: 项目, points: 1, rule: rule.lua}\n");
    write_file(rule, "return 1\n");
    ls_errors err;
    ls_errors_init(&err);
    ls_scheme *s = ls_scheme_load(scheme, &err);
    assert_non_null(s);
    unlink(rule); /* gone between loading and binding */
    ls_backend *b = ls_lua_backend_new(s, NULL, &err);
    assert_non_null(b);
    assert_int_equal(b->bind(b, ls_scheme_find_node(s, "a"), &err), -1);
    assert_int_equal(err.n, 1);
    assert_string_equal(err.v[0].path, scheme);
    const ls_node *n = &s->nodes[ls_scheme_find_node(s, "a")];
    assert_int_equal(err.v[0].line, n->rule.line);
    assert_int_equal(err.v[0].line, 13);
    char want[512];
    snprintf(want, sizeof want, "cannot read rule script '%s': %s", rule, strerror(ENOENT));
    assert_string_equal(err.v[0].msg, want);
    ls_backend_free(b);
    ls_scheme_free(s);
    ls_errors_cleanup(&err);
    unlink(scheme);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_and_score),
        cmocka_unit_test(test_binary),
        cmocka_unit_test(test_graded),
        cmocka_unit_test(test_bands_and_ratio),
        cmocka_unit_test(test_rank_points),
        cmocka_unit_test(test_tiers_highest_once),
        cmocka_unit_test(test_per_occurrence),
        cmocka_unit_test(test_per_occurrence_cap),
        cmocka_unit_test(test_shortfall),
        cmocka_unit_test(test_rate_steps),
        cmocka_unit_test(test_threshold),
        cmocka_unit_test(test_discretionary),
        cmocka_unit_test(test_combine_cap),
        cmocka_unit_test(test_doubled),
        cmocka_unit_test(test_fmt),
        cmocka_unit_test(test_bonus_kind),
        cmocka_unit_test(test_deduction_kind),
        cmocka_unit_test(test_veto),
        cmocka_unit_test(test_reason_nul),
        cmocka_unit_test(test_unit_and_item),
        cmocka_unit_test(test_params_types),
        cmocka_unit_test(test_data_types),
        cmocka_unit_test(test_stats_and_name_of),
        cmocka_unit_test(test_reads_recorded),
        cmocka_unit_test(test_pairs_order),
        cmocka_unit_test(test_next_order),
        cmocka_unit_test(test_globals_fresh_per_call),
        cmocka_unit_test(test_strings_allowed),
        cmocka_unit_test(test_print_to_stderr),
        cmocka_unit_test(test_return_shapes),
        cmocka_unit_test(test_return_errors),
        cmocka_unit_test(test_unknown_indicator),
        cmocka_unit_test(test_error_in_helper_points_at_rule),
        cmocka_unit_test(test_error_values),
        cmocka_unit_test(test_deep_recursion),
        cmocka_unit_test(test_unbound_node),
        cmocka_unit_test(test_forbidden_names),
        cmocka_unit_test(test_readonly_tables),
        cmocka_unit_test(test_no_patterns),
        cmocka_unit_test(test_budget_sticky_and_rearmed),
        cmocka_unit_test(test_memory_cap),
        cmocka_unit_test(test_table_loops),
        cmocka_unit_test(test_limits_from_scheme),
        cmocka_unit_test(test_limits_override),
        cmocka_unit_test(test_bind_errors),
        cmocka_unit_test(test_bind_unreadable),
    };
    return cmocka_run_group_tests_name("lua", tests, group_setup, group_teardown);
}
