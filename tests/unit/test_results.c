/*
 * test_results.c - reading results.json back (ls_results): format 2 (the
 * lean one ls_write_json writes) reads as the run it was written from
 * (ls_results_from_run), a format-1 document and its format-2 twin read
 * the same, field by field, and what is refused: a newer format, a node
 * that read an indicator its unit has no value for.
 */
#include "ls_test.h"

#include "ls_results.h"
#include "ls_results_run.h"

#include "fixture_results.h"
#include "fixtures/export/mini_run.h"

static void same_str(const char *a, const char *b)
{
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(a, b);
}

/* Every field diff, compare and history use, equal in a and b. */
static void assert_results_equal(const ls_results *a, const ls_results *b)
{
    same_str(a->name, b->name);
    assert_int_equal(a->year, b->year);
    assert_int_equal(a->digits, b->digits);
    assert_int_equal(a->ngroups, b->ngroups);
    for (size_t g = 0; g < a->ngroups; g++) {
        same_str(a->groups[g].id, b->groups[g].id);
        same_str(a->groups[g].name, b->groups[g].name);
        assert_int_equal(a->groups[g].nbands, b->groups[g].nbands);
        for (size_t k = 0; k < a->groups[g].nbands; k++) {
            same_str(a->groups[g].bands[k].grade, b->groups[g].bands[k].grade);
            assert_int_equal(a->groups[g].bands[k].min, b->groups[g].bands[k].min);
            assert_true(a->groups[g].bands[k].max_share == b->groups[g].bands[k].max_share);
        }
    }
    assert_int_equal(a->nunits, b->nunits);
    for (size_t i = 0; i < a->nunits; i++) {
        const ls_runit *x = &a->units[i], *y = &b->units[i];
        same_str(x->id, y->id);
        same_str(x->name, y->name);
        same_str(x->group, y->group);
        assert_int_equal(x->nformerly, y->nformerly);
        for (size_t k = 0; k < x->nformerly; k++) same_str(x->formerly[k], y->formerly[k]);
        assert_int_equal(x->total, y->total);
        assert_int_equal(x->main, y->main);
        assert_int_equal(x->main_raw, y->main_raw);
        assert_int_equal(x->bonus, y->bonus);
        same_str(x->grade, y->grade);
        assert_int_equal(x->rank, y->rank);
        assert_int_equal(x->quota, y->quota);
        assert_int_equal(x->nnodes, y->nnodes);
        for (size_t n = 0; n < x->nnodes; n++) {
            const ls_rnode *p = &x->nodes[n], *q = &y->nodes[n];
            same_str(p->id, q->id);
            same_str(p->number, q->number);
            same_str(p->name, q->name);
            same_str(p->section, q->section);
            assert_int_equal(p->points, q->points);
            assert_int_equal(p->scored, q->scored);
            assert_int_equal(p->score, q->score);
            same_str(p->state, q->state);
            assert_int_equal(p->leaf, q->leaf);
            assert_int_equal(p->depth, q->depth);
            assert_int_equal(p->ninds, q->ninds);
            for (size_t k = 0; k < p->ninds; k++) {
                same_str(p->inds[k].id, q->inds[k].id);
                same_str(p->inds[k].name, q->inds[k].name);
                same_str(p->inds[k].value, q->inds[k].value);
            }
        }
    }
    for (size_t i = 0; i < a->nunits; i++) assert_int_equal(a->order[i], b->order[i]);
    assert_int_equal(a->nadj, b->nadj);
}

static ls_results *parse(const char *text, ls_errors *err)
{
    return ls_results_parse(text, strlen(text), "结果", err);
}

/* What ls_write_json writes reads back as the run itself, compact and
 * indented. */
static void test_format2_reads_as_the_run(void **state)
{
    (void)state;
    mini_run *m = mini_run_new();
    ls_results *want = ls_results_from_run(&m->r, "结果");
    for (int pretty = 0; pretty <= 1; pretty++) {
        size_t len;
        char *buf = fx_json(&m->r, pretty, &len);
        ls_errors err;
        ls_errors_init(&err);
        /* lean: no state of a scored node, no explanation */
        assert_null(strstr(buf, "\"scored\""));
        assert_null(strstr(buf, "explanation"));
        ls_results *got = ls_results_parse(buf, len, "结果", &err);
        assert_non_null(got);
        assert_int_equal(err.n, 0);
        assert_results_equal(want, got);
        /* a value read and not given is 未填报, as format 1 read it */
        const ls_rnode *n = ls_results_node(&got->units[MU_SFJ], "c2.1");
        assert_non_null(n);
        assert_int_equal(n->ninds, 1);
        assert_string_equal(n->inds[0].name, "结案率");
        assert_string_equal(n->inds[0].value, "未填报");
        ls_results_free(got);
        ls_errors_cleanup(&err);
        free(buf);
    }
    ls_results_free(want);
    mini_run_free(m);
}

/* What both documents below share: the assessment, its groups and
 * indicators, the category and the veto item. */
#define TABLES                                                                                           \
    "\"assessment\":{\"name\":\"测试\",\"year\":2017,\"precision\":0.01,\"total\":100.00,"             \
    "\"bonus_cap\":null},"                                                                               \
    "\"groups\":[{\"id\":\"g\",\"name\":\"组\",\"units\":2,\"veto_grade\":\"不合格\",\"bands\":["    \
    "{\"grade\":\"优秀\",\"min\":90.00,\"max_share\":0.5,\"count\":1},"                                \
    "{\"grade\":\"不合格\",\"min\":0.00,\"max_share\":null,\"count\":1}]}],"                          \
    "\"indicators\":[{\"id\":\"late\",\"name\":\"迟报次数\",\"type\":\"integer\",\"unit\":\"次\"}," \
    "{\"id\":\"ok\",\"name\":\"是否报送\",\"type\":\"boolean\",\"unit\":\"\"}],"
#define ITEM_C1                                                                                \
    "{\"id\":\"c1\",\"number\":\"1\",\"name\":\"类\",\"section\":\"main\",\"points\":100.00," \
    "\"parent\":null,\"criteria\":\"\"},"
#define ITEM_V1                                                                                    \
    "{\"id\":\"v1\",\"number\":\"否1\",\"name\":\"否决\",\"section\":\"veto\",\"points\":0.00," \
    "\"parent\":null,\"criteria\":\"\"}"

/* One assessment, two units, written as format 1 wrote it and as format 2
 * does: a unit's notes, a category, a leaf that read two indicators, one
 * of them not given, an item one unit's rule read differently, an item
 * that does not apply, a veto. */
static const char format1[] =
    "{\"manifest\":{\"engine\":\"lawscore\",\"version\":\"0.1.0\",\"files\":[],\"options\":{}}," TABLES
    "\"items\":[" ITEM_C1
    "{\"id\":\"c1.1\",\"number\":\"1.1\",\"name\":\"报送\",\"section\":\"main\",\"points\":60.00,"
    "\"parent\":\"c1\",\"criteria\":\"迟报扣分\"},"
    "{\"id\":\"c1.2\",\"number\":\"1.2\",\"name\":\"执法\",\"section\":\"main\",\"points\":40.00,"
    "\"parent\":\"c1\",\"criteria\":\"\"}," ITEM_V1 "],"
    "\"units\":["
    "{\"id\":\"a\",\"name\":\"甲\",\"group\":\"g\",\"flags\":[],\"total\":95.50,\"grade\":\"优秀\","
    "\"rank\":1,\"main\":95.50,\"main_raw\":95.50,\"applicable\":100.00,\"rescaled\":false,"
    "\"bonus\":0.00,\"bonus_raw\":0.00,\"deduct\":0.00,\"total_clamped\":false,\"veto\":null,"
    "\"errors\":0,\"notes\":[{\"kind\":\"quota\",\"text\":\"…\"}],\"nodes\":["
    "{\"id\":\"c1\",\"state\":\"scored\",\"score\":95.50,\"raw\":null,\"clamp\":null,\"reasons\":[],"
    "\"explanation\":\"\",\"indicators\":[]},"
    "{\"id\":\"c1.1\",\"state\":\"scored\",\"score\":55.50,\"raw\":55.50,\"clamp\":null,"
    "\"reasons\":[\"迟报9次\"],\"explanation\":\"迟报9次\",\"indicators\":[{\"id\":\"late\","
    "\"value\":9},{\"id\":\"ok\",\"value\":null}]},"
    "{\"id\":\"c1.2\",\"state\":\"scored\",\"score\":40.00,\"raw\":40.00,\"clamp\":null,"
    "\"reasons\":[],\"explanation\":\"\",\"indicators\":[{\"id\":\"ok\",\"value\":null}]},"
    "{\"id\":\"v1\",\"state\":\"scored\",\"score\":0,\"raw\":null,\"clamp\":null,\"reasons\":[],"
    "\"explanation\":\"\",\"indicators\":[]}]},"
    "{\"id\":\"b\",\"name\":\"乙\",\"group\":\"g\",\"flags\":[],\"total\":60.00,\"grade\":\"不合格\","
    "\"rank\":2,\"main\":60.00,\"main_raw\":60.00,\"applicable\":100.00,\"rescaled\":false,"
    "\"bonus\":0.00,\"bonus_raw\":0.00,\"deduct\":0.00,\"total_clamped\":false,"
    "\"veto\":{\"id\":\"v1\",\"name\":\"否决\",\"reasons\":[\"违法\"]},\"errors\":0,\"notes\":[],"
    "\"nodes\":["
    "{\"id\":\"c1\",\"state\":\"scored\",\"score\":60.00,\"raw\":null,\"clamp\":null,\"reasons\":[],"
    "\"explanation\":\"\",\"indicators\":[]},"
    "{\"id\":\"c1.1\",\"state\":\"scored\",\"score\":60.00,\"raw\":60.00,\"clamp\":null,"
    "\"reasons\":[],\"explanation\":\"\",\"indicators\":[{\"id\":\"late\",\"value\":0},"
    "{\"id\":\"ok\",\"value\":true}]},"
    "{\"id\":\"c1.2\",\"state\":\"na\",\"score\":null,\"raw\":null,\"clamp\":null,\"reasons\":[],"
    "\"explanation\":\"不适用\",\"indicators\":[]},"
    "{\"id\":\"v1\",\"state\":\"scored\",\"score\":1,\"raw\":null,\"clamp\":null,"
    "\"reasons\":[\"违法\"],\"explanation\":\"违法\",\"indicators\":[]}]}]}\n";

static const char format2[] =
    "{\"manifest\":{\"engine\":\"lawscore\",\"format\":2,\"version\":\"0.1.0\",\"files\":[],"
    "\"options\":{}}," TABLES
    "\"items\":[" ITEM_C1
    "{\"id\":\"c1.1\",\"number\":\"1.1\",\"name\":\"报送\",\"section\":\"main\",\"points\":60.00,"
    "\"parent\":\"c1\",\"criteria\":\"迟报扣分\",\"reads\":[\"late\",\"ok\"]},"
    "{\"id\":\"c1.2\",\"number\":\"1.2\",\"name\":\"执法\",\"section\":\"main\",\"points\":40.00,"
    "\"parent\":\"c1\",\"criteria\":\"\",\"reads\":[\"ok\"]}," ITEM_V1 "],"
    "\"units\":["
    "{\"id\":\"a\",\"name\":\"甲\",\"group\":\"g\",\"total\":95.50,\"grade\":\"优秀\",\"rank\":1,"
    "\"main\":95.50,\"bonus\":0.00,\"deduct\":0.00,\"notes\":[{\"kind\":\"quota\",\"text\":\"…\"}],"
    "\"values\":{\"late\":9,\"ok\":null},\"nodes\":["
    "{\"id\":\"c1\",\"score\":95.50},"
    "{\"id\":\"c1.1\",\"score\":55.50,\"reasons\":[\"迟报9次\"]},"
    "{\"id\":\"c1.2\",\"score\":40.00},"
    "{\"id\":\"v1\",\"score\":0}]},"
    "{\"id\":\"b\",\"name\":\"乙\",\"group\":\"g\",\"total\":60.00,\"grade\":\"不合格\",\"rank\":2,"
    "\"main\":60.00,\"bonus\":0.00,\"deduct\":0.00,"
    "\"veto\":{\"id\":\"v1\",\"name\":\"否决\",\"reasons\":[\"违法\"]},"
    "\"values\":{\"late\":0,\"ok\":true},\"nodes\":["
    "{\"id\":\"c1\",\"score\":60.00},"
    "{\"id\":\"c1.1\",\"score\":60.00},"
    "{\"id\":\"c1.2\",\"state\":\"na\",\"reads\":[]},"
    "{\"id\":\"v1\",\"score\":1,\"reasons\":[\"违法\"]}]}]}\n";

static void test_format1_and_2_read_the_same(void **state)
{
    (void)state;
    ls_errors err;
    ls_errors_init(&err);
    ls_results *a = parse(format1, &err), *b = parse(format2, &err);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(err.n, 0);
    assert_results_equal(a, b);
    /* and what they read is what the documents say */
    const ls_runit *u = &b->units[0];
    assert_int_equal(u->quota, 1);
    const ls_rnode *n = ls_results_node(u, "c1.1");
    assert_int_equal(n->score, 5550);
    assert_int_equal(n->ninds, 2);
    assert_string_equal(n->inds[0].name, "迟报次数");
    assert_string_equal(n->inds[0].value, "9");
    assert_string_equal(n->inds[1].value, "未填报");
    assert_string_equal(ls_results_node(&b->units[1], "c1.1")->inds[1].value, "是");
    n = ls_results_node(&b->units[1], "c1.2");
    assert_false(n->scored);
    assert_string_equal(n->state, "na");
    assert_int_equal(n->ninds, 0);
    assert_int_equal(ls_results_node(&b->units[1], "v1")->score, 1);
    assert_true(ls_results_node(&b->units[0], "c1.1")->leaf);
    assert_false(ls_results_node(&b->units[0], "c1")->leaf);
    ls_results_free(a);
    ls_results_free(b);
    ls_errors_cleanup(&err);
}

/* A document this build cannot read is refused, named, not half read. */
static void test_refused(void **state)
{
    (void)state;
    ls_errors err;
    ls_errors_init(&err);
    char *newer = ls_xstrdup(format2);
    memcpy(strstr(newer, "\"format\":2"), "\"format\":3", 10);
    assert_null(parse(newer, &err));
    assert_int_equal(err.n, 1);
    assert_string_equal(err.v[0].path, "结果");
    assert_string_equal(err.v[0].msg,
                        "results.json of format 3, but this lawscore reads formats up to 2: use a newer lawscore");
    free(newer);
    ls_errors_cleanup(&err);

    /* a node read an indicator its unit's "values" does not hold */
    ls_errors_init(&err);
    char *lost = ls_xstrdup(format2);
    char *v = strstr(lost, "\"ok\":true}");
    assert_non_null(v);
    memcpy(v, "\"xx\"", 4);
    assert_null(parse(lost, &err));
    assert_int_equal(err.n, 1);
    assert_string_equal(err.v[0].msg, "not a results.json written by lawscore: an indicator a node read "
                                      "has no value in its unit's \"values\"");
    free(lost);
    ls_errors_cleanup(&err);

    /* cut in the middle of its units (read as they come): the parse
     * error, no result */
    ls_errors_init(&err);
    size_t half = strstr(format2, "\"id\":\"b\"") - format2;
    assert_null(ls_results_parse(format2, half, "结果", &err));
    assert_int_equal(err.n, 1);
    assert_string_equal(err.v[0].msg, "not a results.json written by lawscore: parse error: premature EOF");
    ls_errors_cleanup(&err);

    /* two units of one id: diff and compare would see only the first */
    ls_errors_init(&err);
    char *twice = ls_xstrdup(format2);
    memcpy(strstr(twice, "\"id\":\"b\""), "\"id\":\"a\"", 8);
    assert_null(parse(twice, &err));
    assert_int_equal(err.n, 1);
    assert_string_equal(err.v[0].msg,
                        "not a results.json written by lawscore: unit 'a' is given twice (units 1 and 2)");
    free(twice);
    ls_errors_cleanup(&err);

    /* a unit without its total: not 0.00 */
    ls_errors_init(&err);
    char *untotalled = ls_xstrdup(format2);
    memcpy(strstr(untotalled, "\"total\":95.50"), "\"tutal\"", 7);
    assert_null(parse(untotalled, &err));
    assert_int_equal(err.n, 1);
    assert_string_equal(err.v[0].msg, "not a results.json written by lawscore: a unit's \"total\", \"main\" or "
                                      "\"bonus\", or a scored item's \"score\", is missing");
    free(untotalled);
    ls_errors_cleanup(&err);

    /* "units" not an array */
    ls_errors_init(&err);
    assert_null(parse("{\"assessment\":{\"name\":\"测试\"},\"units\":{}}", &err));
    assert_int_equal(err.n, 1);
    assert_string_equal(err.v[0].msg, "not a results.json written by lawscore: no 'assessment' or 'units'");
    ls_errors_cleanup(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format2_reads_as_the_run),
        cmocka_unit_test(test_format1_and_2_read_the_same),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
