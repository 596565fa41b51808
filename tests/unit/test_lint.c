/*
 * test_lint.c - the warnings of ls_lint on fixtures/lint/ (one problem per
 * item, see its scheme.yaml): exact positions and words, without data
 * (probes only) and with data; the probes find every unknown name and
 * leave the Lua backend as they found it; a clean scheme gives none.
 */
#include "ls_test.h"

#include "ls_lint.h"
#include "ls_lua.h"
#include "ls_backends.h"
#include "ls_score.h"
#include "ls_util.h"

#define DIR FIXTURES "lint/"

typedef struct fx {
    ls_scheme *s;
    ls_dataset *d;
    ls_backends b;
} fx;

static fx *load(const char *scheme, const char *data)
{
    fx *x = calloc(1, sizeof *x);
    ls_errors err;
    ls_errors_init(&err);
    x->s = ls_scheme_load(scheme, &err);
    assert_non_null(x->s);
    x->d = ls_dataset_load(x->s, &data, 1, 0, &err);
    assert_non_null(x->d);
    ls_backend *lua = ls_lua_backend_new(x->s, NULL, &err);
    assert_non_null(lua);
    x->b.by_kind[LS_RULE_LUA] = lua;
    for (size_t k = 0; k < x->s->nleaves; k++)
        assert_int_equal(lua->bind(lua, x->s->leaves[k], &err), 0);
    assert_int_equal(err.n, 0);
    ls_errors_cleanup(&err);
    return x;
}

static int setup(void **state)
{
    *state = load(DIR "scheme.yaml", DIR "data.yaml");
    return 0;
}

static int teardown(void **state)
{
    fx *x = *state;
    ls_backend_free(x->b.by_kind[LS_RULE_LUA]);
    ls_dataset_free(x->d);
    ls_scheme_free(x->s);
    free(x);
    return 0;
}

/* The diagnostics of err, formatted, one per line. */
static char *all_diags(const ls_errors *err)
{
    ls_buf b;
    ls_buf_init(&b);
    for (size_t i = 0; i < err->n; i++) {
        char *m = ls_diag_format(&err->v[i]);
        ls_buf_printf(&b, "%s\n", m);
        free(m);
    }
    return b.p ? b.p : ls_xstrdup("");
}

#define S DIR "scheme.yaml"
#define R DIR "rules/"

/* the two unknown names are read by every probe call of their items:
 * errors (run would fail on every unit), the rest warnings */
static const char probe_warnings[] =
    S ":30:5: warning: indicator 'late_reports' (迟报次数) is in the catalogue but no rule reads it\n" S ":31:5: warning: indicator 'adviser' (法律顾问) is in the catalogue but no rule reads it\n" S ":37:5: warning: indicator 'hotline_rate' (热线办结率) is in the catalogue but no rule reads it\n" R "late.lua:2: error: rule of item 1.1 '按时报送' reads indicator 'late_report', which is "
      "not in the catalogue (did you mean 'late_reports'?)\n" S ":53:25: error: item 1.2 '法律顾问': parameter 'value' names indicator 'advisor', which "
      "is not in the catalogue (did you mean 'adviser'?)\n" R "records.lua:2: warning: rule of item 2.2 '执法全过程记录' fails on a probe unit of group "
      "'dept' (区直部门) with flags [enforcement] and the optional indicators without a default "
      "left without a value: attempt to perform arithmetic on a nil value (field 'cases')\n"
      "stack traceback:\n"
      "\t" R "records.lua:2: in main chunk\n" S ":76:15: warning: item 2.3 '自相矛盾的项目' applies to no unit: its groups, only_if and "
      "unless leave out every unit of the registry\n";

static void test_probes_only(void **state)
{
    fx *x = *state;
    ls_errors err;
    ls_errors_init(&err);
    assert_int_equal(ls_lint(x->s, NULL, &x->b, NULL, NULL, &err), -1);
    assert_int_equal(err.nerrors, 2);
    assert_int_equal(err.nwarnings, 5);
    char *got = all_diags(&err);
    assert_string_equal(got, probe_warnings);
    free(got);
    ls_errors_cleanup(&err);
}

static void test_with_data(void **state)
{
    fx *x = *state;
    ls_errors err;
    ls_errors_init(&err);
    assert_int_equal(ls_lint(x->s, x->d, &x->b, NULL, NULL, &err), -1);
    assert_int_equal(err.nerrors, 2);
    char *got = all_diags(&err);
    /* what the probes say, then: a failure on the data only, for two units
     * (c1.1 and c1.2 fail on the data too, but the probes said why), the
     * items no unit loses a point on (c2.2 too: the data never lack
     * 'cases') */
    char *want = ls_format(
        "%s" R "train.lua:3: warning: rule of item 2.1 '依法行政培训' for unit 'xfj' (区信访局): "
        "参训人数多于在岗人数\n"
        "stack traceback:\n"
        "\t" R "train.lua:3: in main chunk\n" R "train.lua:3: note: the rule of item 2.1 fails for 2 units in all\n" S ":57:15: warning: item 1.3 '规范性文件清理' never loses a point on this data: all 3 "
        "units it applies to get the full 10 points\n" S ":70:15: warning: item 2.2 '执法全过程记录' never loses a point on this data: all 3 "
        "units it applies to get the full 30 points\n",
        probe_warnings);
    assert_string_equal(got, want);
    free(want);
    free(got);
    ls_errors_cleanup(&err);
}

/* After linting, an unknown indicator is an error again. */
static void test_probe_switched_off(void **state)
{
    fx *x = *state;
    ls_errors err;
    ls_errors_init(&err);
    ls_lint(x->s, NULL, &x->b, NULL, NULL, &err);
    ls_errors_cleanup(&err);
    ls_errors_init(&err);
    ls_score_opts so = {.keep_going = 0};
    ls_run *r = ls_score_run(x->s, x->d, &x->b, &so, &err);
    assert_null(r);
    assert_int_equal(err.nerrors, 1);
    assert_non_null(strstr(err.v[0].msg, "unknown indicator 'late_report' (did you mean 'late_reports'?)"));
    ls_errors_cleanup(&err);
}

/* The probe API itself: every unknown name with its line, reads give nil. */
typedef struct seen {
    char names[8][32];
    int lines[8];
    int n;
} seen;

static void record(void *ctx, const char *name, int line)
{
    seen *v = ctx;
    if (v->n < 8) {
        snprintf(v->names[v->n], sizeof v->names[0], "%s", name);
        v->lines[v->n++] = line;
    }
}

static void test_probe_api(void **state)
{
    fx *x = *state;
    ls_backend *lua = x->b.by_kind[LS_RULE_LUA];
    seen v = {0};
    ls_lua_backend_probe(lua, record, &v);
    ls_rule_call c;
    unsigned char reads[16] = {0};
    int leaf = ls_scheme_find_node(x->s, "c1.1");
    ls_rule_call_init(&c, x->s, x->d, NULL, 0, leaf, reads);
    /* per_occurrence(nil, ...) counts nothing: full points, no failure */
    assert_int_equal(lua->call(lua, &c), 0);
    assert_true(c.value == 10);
    ls_rule_call_cleanup(&c);
    ls_lua_backend_probe(lua, NULL, NULL);
    assert_int_equal(v.n, 1);
    assert_string_equal(v.names[0], "late_report");
    assert_int_equal(v.lines[0], 2);
    for (size_t i = 0; i < x->s->ninds; i++) assert_int_equal(reads[i], 0);
}

/* The _base scheme of the end-to-end cases lints clean. */
static void test_clean(void **state)
{
    (void)state;
    fx *x = load("tests/cases/_base/scheme.yaml", "tests/cases/_base/data.yaml");
    ls_errors err;
    ls_errors_init(&err);
    assert_int_equal(ls_lint(x->s, x->d, &x->b, NULL, NULL, &err), 0);
    assert_int_equal(err.n, 0);
    ls_errors_cleanup(&err);
    teardown((void **)&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_probes_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_with_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_probe_switched_off, setup, teardown),
        cmocka_unit_test_setup_teardown(test_probe_api, setup, teardown),
        cmocka_unit_test(test_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
