/*
 * test_sheet.c - one unit's score sheet (ls_sheet) and its JSON
 * (ls_write_json_units), on fixtures/report/ scored for real (scheme
 * loader, Lua rules, scorer): the exact text of a rescaled unit and of a
 * vetoed one, the bonus cap and share cap notes, the JSON object equal to
 * the unit's element of results.json, finding a unit by id or name, and a
 * write error.
 */
#include "ls_test.h"

#include <yajl/yajl_tree.h>

#include "ls_export_json.h"
#include "ls_lua.h"
#include "ls_sheet.h"
#include "ls_backends.h"
#include "ls_score.h"
#include "ls_util.h"

#define DIR FIXTURES "report/"

typedef struct fx {
    ls_scheme *s;
    ls_dataset *d;
    ls_backends b;
    ls_run *r;
} fx;

static int setup(void **state)
{
    fx *x = calloc(1, sizeof *x);
    ls_errors err;
    ls_errors_init(&err);
    x->s = ls_scheme_load(DIR "scheme.yaml", &err);
    assert_non_null(x->s);
    const char *files[] = {DIR "data.yaml"};
    x->d = ls_dataset_load(x->s, files, 1, 0, &err);
    assert_non_null(x->d);
    ls_backend *lua = ls_lua_backend_new(x->s, NULL, &err);
    assert_non_null(lua);
    x->b.by_kind[LS_RULE_LUA] = lua;
    for (size_t k = 0; k < x->s->nleaves; k++)
        assert_int_equal(lua->bind(lua, x->s->leaves[k], &err), 0);
    ls_score_opts so = {.keep_going = 0};
    x->r = ls_score_run(x->s, x->d, &x->b, &so, &err);
    assert_non_null(x->r);
    assert_int_equal(err.n, 0);
    ls_errors_cleanup(&err);
    *state = x;
    return 0;
}

static int teardown(void **state)
{
    fx *x = *state;
    ls_run_free(x->r);
    ls_backend_free(x->b.by_kind[LS_RULE_LUA]);
    ls_dataset_free(x->d);
    ls_scheme_free(x->s);
    free(x);
    return 0;
}

static size_t unit(fx *x, const char *id)
{
    int u = ls_scheme_find_unit(x->s, id);
    assert_true(u >= 0);
    return (size_t)u;
}

/* The sheet of a unit, in a new string. */
static char *sheet(fx *x, const char *id)
{
    char *p = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&p, &n);
    assert_non_null(f);
    ls_errors err;
    ls_errors_init(&err);
    assert_int_equal(ls_write_unit_sheet(x->r, unit(x, id), f, &err), 0);
    assert_int_equal(err.n, 0);
    assert_int_equal(fclose(f), 0);
    return p;
}

static char *read_text(const char *path)
{
    size_t len;
    char *t = ls_read_file(path, &len);
    assert_non_null(t);
    return t;
}

static void assert_sheet(fx *x, const char *id, const char *expected_file)
{
    char *got = sheet(x, id);
    char *want = read_text(expected_file);
    assert_string_equal(got, want);
    free(got);
    free(want);
}

static void test_sheet_rescaled(void **state)
{
    /* item 2.1 does not apply: 28.50 of 40 rescaled to 71.25 (折算) */
    assert_sheet(*state, "zfb", DIR "zfb.txt");
}

static void test_sheet_vetoed(void **state)
{
    /* a deduction, the veto with its reason, 不合格 whatever the total */
    assert_sheet(*state, "zjj", DIR "zjj.txt");
}

static void test_sheet_notes(void **state)
{
    fx *x = *state;
    char *t = sheet(x, "sfj");
    assert_non_null(strstr(t, "\n加分：3.00（加分4分，超过上限3分，按3分计）\n"));
    assert_non_null(strstr(t, "\n加分项目（加分合计不超过3分）\n"));
    assert_non_null(strstr(t, "\n名次：区直部门第1名/共4个单位\n"));
    /* the item at full points shows what it used, not its criteria */
    assert_non_null(strstr(t, "\n      使用的指标：结案率=95%\n\n加分项目"));
    free(t);
    t = sheet(x, "hb");
    assert_non_null(strstr(t, "\n等次：良好（总分达到优秀分数线90分，但优秀不超过本组25%，评为良好）\n"));
    free(t);
    /* no line ends in a space */
    t = sheet(x, "zjj");
    assert_null(strstr(t, " \n"));
    free(t);
}

/* ---- JSON ---------------------------------------------------------------- */

static yajl_val parse(const char *text)
{
    char eb[256];
    yajl_val v = yajl_tree_parse(text, eb, sizeof eb);
    if (!v) fail_msg("JSON does not parse: %s", eb);
    return v;
}

/* Deep equality; numbers compared as written. */
static int json_equal(yajl_val a, yajl_val b)
{
    if (!a || !b) return a == b;
    if (a->type != b->type) return 0;
    switch (a->type) {
    case yajl_t_string: return !strcmp(a->u.string, b->u.string);
    case yajl_t_number: return !strcmp(a->u.number.r, b->u.number.r);
    case yajl_t_object:
        if (a->u.object.len != b->u.object.len) return 0;
        for (size_t i = 0; i < a->u.object.len; i++)
            if (strcmp(a->u.object.keys[i], b->u.object.keys[i]) ||
                !json_equal(a->u.object.values[i], b->u.object.values[i]))
                return 0;
        return 1;
    case yajl_t_array:
        if (a->u.array.len != b->u.array.len) return 0;
        for (size_t i = 0; i < a->u.array.len; i++)
            if (!json_equal(a->u.array.values[i], b->u.array.values[i])) return 0;
        return 1;
    default: return 1;
    }
}

/* Equal but for "reads": in results.json a node without "reads" read its
 * item's (items[i].reads, or none); explain has no "items" table, so
 * each of its nodes lists its own.  expl is explain's unit, res the
 * unit of results.json, items its "items". */
static int unit_equal(yajl_val expl, yajl_val res, yajl_val items)
{
    if (!YAJL_IS_OBJECT(expl) || !YAJL_IS_OBJECT(res) || expl->u.object.len != res->u.object.len) return 0;
    for (size_t k = 0; k < expl->u.object.len; k++) {
        const char *key = expl->u.object.keys[k];
        yajl_val a = expl->u.object.values[k], b = res->u.object.values[k];
        if (strcmp(key, res->u.object.keys[k])) return 0;
        if (strcmp(key, "nodes")) {
            if (!json_equal(a, b)) return 0;
            continue;
        }
        if (!YAJL_IS_ARRAY(a) || !YAJL_IS_ARRAY(b) || a->u.array.len != b->u.array.len) return 0;
        for (size_t i = 0; i < a->u.array.len; i++) {
            static const char *const p_reads[] = {"reads", NULL};
            yajl_val na = a->u.array.values[i], nb = b->u.array.values[i];
            yajl_val ra = yajl_tree_get(na, (const char **)p_reads, yajl_t_array);
            yajl_val rb = yajl_tree_get(nb, (const char **)p_reads, yajl_t_array);
            if (!rb) rb = yajl_tree_get(items->u.array.values[i], (const char **)p_reads, yajl_t_array);
            /* none: no key, or [] where the item's reads are others */
            if (rb && !rb->u.array.len) rb = NULL;
            if (!json_equal(ra, rb)) return 0;
            /* the other keys, in order */
            size_t ia = 0, ib = 0;
            for (;;) {
                while (ia < na->u.object.len && !strcmp(na->u.object.keys[ia], "reads")) ia++;
                while (ib < nb->u.object.len && !strcmp(nb->u.object.keys[ib], "reads")) ib++;
                if (ia == na->u.object.len || ib == nb->u.object.len) break;
                if (strcmp(na->u.object.keys[ia], nb->u.object.keys[ib]) ||
                    !json_equal(na->u.object.values[ia], nb->u.object.values[ib]))
                    return 0;
                ia++, ib++;
            }
            if (ia != na->u.object.len || ib != nb->u.object.len) return 0;
        }
    }
    return 1;
}

static char *json_of(fx *x, const size_t *units, size_t n)
{
    char *p = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&p, &len);
    ls_errors err;
    ls_errors_init(&err);
    if (units) assert_int_equal(ls_write_json_units(x->r, units, n, f, &err), 0);
    else assert_int_equal(ls_write_json(x->r, NULL, f, 0, &err), 0);
    assert_int_equal(fclose(f), 0);
    ls_errors_cleanup(&err);
    return p;
}

static void test_json_unit(void **state)
{
    fx *x = *state;
    char *all = json_of(x, NULL, 0);
    yajl_val doc = parse(all);
    const char *path[] = {"units", NULL};
    yajl_val units = yajl_tree_get(doc, path, yajl_t_array);
    assert_non_null(units);
    const char *ipath[] = {"items", NULL};
    yajl_val items = yajl_tree_get(doc, ipath, yajl_t_array);
    assert_non_null(items);
    assert_int_equal(units->u.array.len, x->s->nunits);
    for (size_t u = 0; u < x->s->nunits; u++) {
        char *one = json_of(x, &u, 1);
        assert_int_equal(one[strlen(one) - 1], '\n');
        yajl_val v = parse(one);
        assert_true(unit_equal(v, units->u.array.values[u], items));
        yajl_tree_free(v);
        free(one);
    }
    /* several units: an array, in the order asked */
    size_t two[] = {unit(x, "zjj"), unit(x, "sfj")};
    char *t = json_of(x, two, 2);
    yajl_val v = parse(t);
    assert_true(YAJL_IS_ARRAY(v));
    assert_int_equal(v->u.array.len, 2);
    assert_true(unit_equal(v->u.array.values[0], units->u.array.values[two[0]], items));
    assert_true(unit_equal(v->u.array.values[1], units->u.array.values[two[1]], items));
    yajl_tree_free(v);
    free(t);
    yajl_tree_free(doc);
    free(all);
}

/* ---- finding a unit ------------------------------------------------------- */

static void assert_not_found(fx *x, const char *key, const char *msg)
{
    ls_errors err;
    ls_errors_init(&err);
    assert_int_equal(ls_sheet_find_unit(x->s, key, &err), -1);
    assert_int_equal(err.n, 1);
    char *m = ls_diag_format(&err.v[0]);
    assert_string_equal(m, msg);
    free(m);
    ls_errors_cleanup(&err);
}

static void test_find_unit(void **state)
{
    fx *x = *state;
    ls_errors err;
    ls_errors_init(&err);
    assert_int_equal(ls_sheet_find_unit(x->s, "zfb", &err), (int)unit(x, "zfb"));
    assert_int_equal(ls_sheet_find_unit(x->s, "区住建局", &err), (int)unit(x, "zjj"));
    assert_int_equal(err.n, 0);
    ls_errors_cleanup(&err);
    assert_not_found(x, "zfbb",
                     "lawscore: error: no unit 'zfbb' in the scheme (did you mean 'zfb' (区政府办公室)?)");
    assert_not_found(x, "区政府办",
                     "lawscore: error: no unit '区政府办' in the scheme (did you mean 'zfb' (区政府办公室)?)");
    /* part of several names: no guess */
    assert_not_found(x, "局",
                     "lawscore: error: no unit '局' in the scheme (a unit is named by its id or its "
                     "full name)");
}

static void test_write_error(void **state)
{
    fx *x = *state;
    FILE *f = fopen("/dev/null", "r");
    assert_non_null(f);
    ls_errors err;
    ls_errors_init(&err);
    assert_int_equal(ls_write_unit_sheet(x->r, unit(x, "sfj"), f, &err), -1);
    assert_int_equal(err.nerrors, 1);
    assert_non_null(strstr(err.v[0].msg, "cannot write the score sheet of unit 'sfj'"));
    ls_errors_cleanup(&err);
    fclose(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sheet_rescaled, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sheet_vetoed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sheet_notes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_unit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_find_unit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_error, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
