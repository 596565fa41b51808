/*
 * test_score.c - scoring arithmetic with a fake rule backend whose values
 * each test sets: rounding once, clamps (扣完为止), sums, rescaling (折算),
 * bonus cap, deduction-only items, vetoes, ties, tie-breaks, grade bands
 * and the share cap of a band.
 */
#include "ls_test.h"

#include "ls_backends.h"
#include "ls_export_csv.h"
#include "ls_score.h"
#include "ls_util.h"

/* ---- a backend that returns preset values ------------------------------ */

#define MAXU 8
#define MAXN 16

typedef struct fake {
    ls_backend base;
    double val[MAXU][MAXN];
    int fail[MAXU][MAXN];
} fake;

static int fake_bind(ls_backend *self, int node, ls_errors *err)
{
    (void)self;
    (void)node;
    (void)err;
    return 0;
}

static int fake_call(ls_backend *self, ls_rule_call *c)
{
    fake *f = (fake *)self;
    if (f->fail[c->unit][c->node]) return ls_rule_call_fail(c, "rules/value.lua", 7, "boom");
    c->value = f->val[c->unit][c->node];
    ls_strlist_add(&c->reasons, "reason", 6);
    return 0;
}

static void fake_free(ls_backend *self) { (void)self; }

typedef struct fx {
    ls_scheme *s;
    ls_dataset *d;
    fake f;
    ls_backends b;
} fx;

static int setup(void **state)
{
    fx *x = calloc(1, sizeof *x);
    ls_errors err;
    ls_errors_init(&err);
    x->s = ls_scheme_load(FIXTURES "scheme/mini.yaml", &err);
    const char *files[] = {FIXTURES "scheme/data-a.yaml"};
    x->d = ls_dataset_load(x->s, files, 1, 0, &err);
    ls_errors_cleanup(&err);
    assert_non_null(x->d);
    x->f.base = (ls_backend){.name = "fake", .bind = fake_bind, .call = fake_call, .free = fake_free};
    x->b.by_kind[LS_RULE_LUA] = &x->f.base;
    *state = x;
    return 0;
}

static int teardown(void **state)
{
    fx *x = *state;
    ls_dataset_free(x->d);
    ls_scheme_free(x->s);
    free(x);
    return 0;
}

static int U(fx *x, const char *id) { return ls_scheme_find_unit(x->s, id); }
static int N(fx *x, const char *id) { return ls_scheme_find_node(x->s, id); }
static void set(fx *x, const char *u, const char *n, double v) { x->f.val[U(x, u)][N(x, n)] = v; }

/* Full marks everywhere, nothing else. */
static void baseline(fx *x)
{
    for (size_t u = 0; u < x->s->nunits; u++) {
        set(x, x->s->units[u].id, "c1.1", 2.5);
        set(x, x->s->units[u].id, "c1.2", 1.5);
        set(x, x->s->units[u].id, "c2.1", 6);
    }
}

static ls_run *run(fx *x, int keep_going, ls_errors *err)
{
    ls_score_opts o = {.keep_going = keep_going};
    return ls_score_run(x->s, x->d, &x->b, &o, err);
}

static ls_run *run_ok(fx *x)
{
    ls_errors err;
    ls_errors_init(&err);
    ls_run *r = run(x, 0, &err);
    assert_non_null(r);
    assert_int_equal(err.nerrors, 0);
    ls_errors_cleanup(&err);
    return r;
}

static const ls_cell *cell(ls_run *r, fx *x, const char *u, const char *n)
{
    return ls_run_cell(r, (size_t)U(x, u), (size_t)N(x, n));
}

static const char *grade(ls_run *r, fx *x, const char *u)
{
    const ls_unit_result *ur = &r->units[U(x, u)];
    return x->s->groups[x->s->units[U(x, u)].group].bands[ur->band].name;
}

/* ---- tests ---------------------------------------------------------------- */

static void test_round_once_and_clamp(void **state)
{
    fx *x = *state;
    baseline(x);
    set(x, "d1", "c1.1", 2.5 - 0.1 - 0.2); /* 2.2 exactly after rounding */
    set(x, "d1", "c1.2", -0.7);            /* over-deducted: 0, recorded */
    set(x, "d1", "c2.1", 6.004);           /* rounds to 6.00, no clamp */
    set(x, "d3", "c2.1", 7);               /* above points: 6, recorded */
    ls_run *r = run_ok(x);
    assert_int_equal(cell(r, x, "d1", "c1.1")->score, 220);
    assert_int_equal(cell(r, x, "d1", "c1.2")->score, 0);
    assert_int_equal(ls_run_raw(r, (size_t)U(x, "d1"), (size_t)N(x, "c1.2")), -70);
    assert_int_equal(ls_run_raw(r, (size_t)U(x, "d3"), (size_t)N(x, "c2.1")), 700);
    /* not clamped: the score */
    assert_int_equal(ls_run_raw(r, (size_t)U(x, "d1"), (size_t)N(x, "c2.1")), 600);
    assert_int_equal(r->nraws, 2);
    assert_int_equal(cell(r, x, "d1", "c1.2")->clamped, -1);
    assert_int_equal(cell(r, x, "d1", "c2.1")->clamped, 0);
    assert_int_equal(cell(r, x, "d3", "c2.1")->score, 600);
    assert_int_equal(cell(r, x, "d3", "c2.1")->clamped, 1);
    assert_int_equal(cell(r, x, "d1", "c1")->score, 220); /* category sum */
    assert_int_equal(r->units[U(x, "d1")].total, 820);
    assert_int_equal(cell(r, x, "d1", "c1.1")->nreasons, 1);
    assert_string_equal(r->reasons[cell(r, x, "d1", "c1.1")->reason0], "reason");
    ls_run_free(r);
}

static void test_exact_band_boundary(void **state)
{
    fx *x = *state;
    baseline(x);
    /* Deductions computed in binary floating point (0.1 + 0.2 + 0.3 is
     * 0.6000000000000001) still give exactly 9.00 and 优秀 (band starts at
     * 9), and 1.50 does not count as over the item's points */
    set(x, "t1", "c2.1", 6 - 0.3 - 0.3 - 0.4);
    set(x, "t1", "c1.2", 0.9 + (0.1 + 0.2 + 0.3));
    ls_run *r = run_ok(x);
    char buf[32];
    assert_string_equal(ls_dec_format(r->units[U(x, "t1")].total, 2, buf), "9.00");
    assert_string_equal(grade(r, x, "t1"), "优秀");
    assert_int_equal(cell(r, x, "t1", "c1.2")->clamped, 0);
    ls_run_free(r);
}

static void test_rescaling(void **state)
{
    fx *x = *state;
    baseline(x);
    /* d2 has no enforcement power: c2 (6 points) does not apply; 3 of 4
     * applicable points become 7.50 of 10 */
    set(x, "d2", "c1.1", 1.5);
    ls_run *r = run_ok(x);
    const ls_unit_result *u = &r->units[U(x, "d2")];
    assert_int_equal(cell(r, x, "d2", "c2.1")->state, LS_CELL_NA);
    assert_int_equal(cell(r, x, "d2", "c2")->state, LS_CELL_NA);
    assert_int_equal(u->applicable, 400);
    assert_int_equal(u->main_raw, 300);
    assert_true(u->rescaled);
    assert_int_equal(u->main, 750);
    assert_false(r->units[U(x, "d1")].rescaled);
    ls_run_free(r);
}

static void test_bonus_deduction_veto(void **state)
{
    fx *x = *state;
    baseline(x);
    set(x, "d1", "c2.1", 4);  /* 8.00 */
    set(x, "d1", "b1", 1.5);  /* capped at 1 (item allows 2) */
    set(x, "d3", "c2.1", 4);  /* 8.00 */
    set(x, "d3", "d1x", 0.5); /* - 0.5 */
    set(x, "t1", "v1", 1);    /* vetoed */
    ls_run *r = run_ok(x);
    const ls_unit_result *d1 = &r->units[U(x, "d1")], *d3 = &r->units[U(x, "d3")], *t1 = &r->units[U(x, "t1")];
    assert_int_equal(d1->bonus_raw, 150);
    assert_int_equal(d1->bonus, 100);
    assert_int_equal(d1->total, 900);
    assert_int_equal(d3->deduct, 50);
    assert_int_equal(d3->total, 750);
    assert_int_equal(t1->veto, N(x, "v1"));
    assert_int_equal(t1->total, 1000);
    assert_string_equal(grade(r, x, "t1"), "不合格");
    ls_run_free(r);
}

static void test_ties_share_rank(void **state)
{
    fx *x = *state;
    baseline(x);
    /* d1 and d3 tie on total 9.50 and on the tie-break (c2) too */
    set(x, "d1", "c1.1", 2);
    set(x, "d3", "c1.1", 2);
    set(x, "d2", "c1.1", 2.5); /* d2 rescaled: 4/4 -> 10 */
    ls_run *r = run_ok(x);
    assert_int_equal(r->units[U(x, "d2")].rank, 1);
    assert_int_equal(r->units[U(x, "d1")].rank, 2);
    assert_int_equal(r->units[U(x, "d3")].rank, 2);
    assert_int_equal(r->units[U(x, "t1")].rank, 1); /* own group */
    /* 优秀 capped at half of 3 units = 1: d2 keeps it, the tied pair at
     * 9.50 moves down together */
    assert_string_equal(grade(r, x, "d2"), "优秀");
    assert_string_equal(grade(r, x, "d1"), "良好");
    assert_string_equal(grade(r, x, "d3"), "良好");
    ls_run_free(r);
}

static void test_share_cap_stays_closed(void **state)
{
    fx *x = *state;
    baseline(x);
    /* d1 and d3 tie at 10.00 (also on the tie-break): the one 优秀 place
     * (half of 3 units) cannot take both, so both move down - and d2 at
     * 9.50 must not get 优秀 with a lower score */
    set(x, "d2", "c1.1", 2); /* rescaled: 3.5/4 -> 8.75 */
    set(x, "d2", "c1.2", 1.5);
    set(x, "d2", "c1.1", 2.3); /* 3.8/4 -> 9.50 */
    ls_run *r = run_ok(x);
    assert_int_equal(r->units[U(x, "d2")].total, 950);
    assert_int_equal(r->units[U(x, "d1")].rank, 1);
    assert_int_equal(r->units[U(x, "d3")].rank, 1);
    assert_string_equal(grade(r, x, "d1"), "良好");
    assert_string_equal(grade(r, x, "d3"), "良好");
    assert_string_equal(grade(r, x, "d2"), "良好");
    ls_run_free(r);
}

static void test_tie_break(void **state)
{
    fx *x = *state;
    baseline(x);
    /* equal totals 9.00, d3 stronger on the tie-break category c2 */
    set(x, "d1", "c2.1", 5);
    set(x, "d3", "c1.1", 1.5);
    ls_run *r = run_ok(x);
    assert_int_equal(r->units[U(x, "d1")].total, r->units[U(x, "d3")].total);
    assert_int_equal(r->units[U(x, "d3")].rank, 2);
    assert_int_equal(r->units[U(x, "d1")].rank, 3);
    ls_run_free(r);
}

static void test_rule_error_stops_or_marks(void **state)
{
    fx *x = *state;
    baseline(x);
    x->f.fail[U(x, "d1")][N(x, "c1.2")] = 1;
    ls_errors err;
    ls_errors_init(&err);
    assert_null(run(x, 0, &err));
    assert_int_equal(err.nerrors, 1);
    char *m = ls_diag_format(&err.v[0]);
    assert_string_equal(m, "rules/value.lua:7: error: rule of item 1.2 '按时报送' for unit 'd1' (区司法局): boom");
    free(m);
    ls_errors_cleanup(&err);

    ls_errors_init(&err);
    ls_run *r = run(x, 1, &err);
    assert_non_null(r);
    assert_int_equal(r->nerrors, 1);
    assert_int_equal(err.nerrors, 1);
    assert_int_equal(cell(r, x, "d1", "c1.2")->state, LS_CELL_ERROR);
    assert_int_equal(cell(r, x, "d1", "c1")->state, LS_CELL_ERROR);
    assert_int_equal(cell(r, x, "d3", "c1.2")->state, LS_CELL_SCORED); /* the rest finished */
    assert_int_equal(r->units[U(x, "d1")].errors, 1);
    ls_run_free(r);
    ls_errors_cleanup(&err);
    x->f.fail[U(x, "d1")][N(x, "c1.2")] = 0;
}

/* The run with threads: chunks of one unit over three threads (the
 * fake backend only reads), compared with one thread: the same cells,
 * reasons, totals, ranks and the same errors in the same order. */
static ls_run *run_threads(fx *x, int keep_going, size_t nextra, ls_errors *err)
{
    ls_backends extra[2] = {x->b, x->b};
    ls_score_opts o = {.keep_going = keep_going, .extra = extra, .nextra = nextra, .chunk = 1};
    return ls_score_run(x->s, x->d, &x->b, &o, err);
}

static char *all_errors(const ls_errors *e)
{
    ls_buf b;
    ls_buf_init(&b);
    for (size_t i = 0; i < e->n; i++) {
        char *m = ls_diag_format(&e->v[i]);
        ls_buf_printf(&b, "%s\n", m);
        free(m);
    }
    return b.p ? b.p : ls_xstrdup("");
}

static void test_threads_same_run(void **state)
{
    fx *x = *state;
    baseline(x);
    set(x, "d2", "c1.1", 1.25);
    x->f.fail[U(x, "d1")][N(x, "c1.2")] = 1;
    x->f.fail[U(x, "d3")][N(x, "c1.1")] = 1;
    x->f.fail[U(x, "d3")][N(x, "c2.1")] = 1;
    for (int kg = 0; kg <= 1; kg++) {
        ls_errors e1, e3;
        ls_errors_init(&e1);
        ls_errors_init(&e3);
        ls_run *a = run_threads(x, kg, 0, &e1);
        ls_run *b = run_threads(x, kg, 2, &e3);
        char *t1 = all_errors(&e1), *t3 = all_errors(&e3);
        assert_string_equal(t1, t3);
        assert_int_equal(e1.nerrors, e3.nerrors);
        /* without keep_going only the first error, of unit d1 */
        assert_int_equal(e1.nerrors, kg ? 3 : 1);
        assert_non_null(strstr(t1, "'d1'"));
        free(t1);
        free(t3);
        if (!kg) {
            assert_null(a);
            assert_null(b);
        } else {
            assert_non_null(a);
            assert_non_null(b);
            size_t nc = x->s->nunits * x->s->nnodes;
            assert_int_equal(memcmp(a->cells, b->cells, nc * sizeof *a->cells), 0);
            assert_int_equal(memcmp(a->units, b->units, x->s->nunits * sizeof *a->units), 0);
            assert_int_equal(a->nreasons, b->nreasons);
            for (size_t i = 0; i < a->nreasons; i++) assert_string_equal(a->reasons[i], b->reasons[i]);
            assert_int_equal(a->nreads, b->nreads);
            assert_int_equal(a->nerrors, 3);
            assert_int_equal(b->nerrors, 3);
            assert_int_equal(cell(b, x, "d2", "c1.1")->score, 125);
        }
        ls_run_free(a);
        ls_run_free(b);
        ls_errors_cleanup(&e1);
        ls_errors_cleanup(&e3);
    }
    memset(x->f.fail, 0, sizeof x->f.fail);
}

/* items.csv written while scoring (the sink sees each chunk through a view
 * with the chunk's own reasons) is the file written after scoring. */
static void sink_rows(void *ctx, const ls_run *view, size_t u0, size_t u1)
{
    ls_items_csv_rows(ctx, view, u0, u1);
}

static void test_sink_writes_as_after(void **state)
{
    fx *x = *state;
    baseline(x);
    set(x, "d2", "c1.1", 1.25);
    set(x, "d3", "c1.2", -1); /* clamped: a note in 扣分理由 */
    for (size_t nextra = 0; nextra <= 2; nextra++) {
        char *a = NULL, *b = NULL;
        size_t na = 0, nb = 0;
        FILE *fa = open_memstream(&a, &na);
        ls_items_csv *w = ls_items_csv_start(fa, 0, 0, 0);
        ls_score_sink sink = {sink_rows, w};
        ls_backends extra[2] = {x->b, x->b};
        ls_score_opts o = {.extra = extra, .nextra = nextra, .chunk = 1, .sink = &sink};
        ls_errors err;
        ls_errors_init(&err);
        ls_run *r = ls_score_run(x->s, x->d, &x->b, &o, &err);
        assert_non_null(r);
        assert_int_equal(ls_items_csv_finish(w, &err), 0);
        fclose(fa);
        FILE *fb = open_memstream(&b, &nb);
        assert_int_equal(ls_write_items_csv(r, fb, 0, &err), 0);
        fclose(fb);
        assert_true(na > 100);
        assert_non_null(strstr(a, "reason"));
        assert_string_equal(a, b);
        free(a);
        free(b);
        ls_run_free(r);
        ls_errors_cleanup(&err);
    }
}

static void test_bad_values_are_errors(void **state)
{
    fx *x = *state;
    baseline(x);
    set(x, "d1", "c1.1", 1e300);
    ls_errors err;
    ls_errors_init(&err);
    assert_null(run(x, 0, &err));
    char *m = ls_diag_format(&err.v[0]);
    assert_string_equal(m, "tests/unit/fixtures/scheme/mini.yaml:52:15: error: rule of item 1.1 '法律顾问' "
                           "for unit 'd1' (区司法局): rule returned 1e+300, which is out of range "
                           "(in tests/unit/fixtures/scheme/rules/value.lua)");
    free(m);
    ls_errors_cleanup(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_once_and_clamp, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exact_band_boundary, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rescaling, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bonus_deduction_veto, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ties_share_rank, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tie_break, setup, teardown),
        cmocka_unit_test_setup_teardown(test_share_cap_stays_closed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rule_error_stops_or_marks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_values_are_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads_same_run, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sink_writes_as_after, setup, teardown),
    };
    return cmocka_run_group_tests_name("score", tests, NULL, NULL);
}
