/*
 * test_rank.c - ranking and grading (ls_rank): shared ranks for ties,
 * tie-break categories, band edges, the share cap of a band (ties move
 * down together, the band stays closed), vetoed units last, groups ranked
 * separately, and a tie group of 10,000 units.
 *
 * Amounts are ls_fixed at two digits: 9000 is 90.00.
 */
#include "ls_test.h"

#include "ls_rank.h"

/* 优秀 >= 90 (capped when share > 0), 良好 >= 80 (capped when share2 > 0),
 * 合格 >= 60, 不合格 >= 0; vetoed units get 不合格. */
static ls_band bands[4];

static ls_group group4(double share, double share2)
{
    bands[0] = (ls_band){"优秀", 9000, share};
    bands[1] = (ls_band){"良好", 8000, share2};
    bands[2] = (ls_band){"合格", 6000, 0};
    bands[3] = (ls_band){"不合格", 0, 0};
    return (ls_group){.id = "g", .name = "g", .bands = bands, .nbands = 4, .veto_band = 3};
}

/* Units 0..n-1 with the given totals, none vetoed; order = registry order. */
static ls_unit_result *units_with(const ls_fixed *totals, size_t n, int *order)
{
    ls_unit_result *u = calloc(n, sizeof *u);
    for (size_t i = 0; i < n; i++) {
        u[i].total = totals[i];
        u[i].veto = -1;
        u[i].rank = u[i].band = -7; /* must be overwritten */
        order[i] = (int)i;
    }
    return u;
}

static void test_ties_share_rank(void **state)
{
    (void)state;
    ls_group g = group4(0, 0);
    ls_fixed t[] = {8000, 9500, 9000, 9000, 7000};
    int order[5];
    ls_unit_result *u = units_with(t, 5, order);
    ls_rank_group(&g, u, NULL, order, 5);
    int want_order[] = {1, 2, 3, 0, 4};
    for (int i = 0; i < 5; i++) assert_int_equal(order[i], want_order[i]);
    assert_int_equal(u[1].rank, 1);
    assert_int_equal(u[2].rank, 2);
    assert_int_equal(u[3].rank, 2); /* 并列 */
    assert_int_equal(u[0].rank, 4); /* 1, 2, 2, 4 */
    assert_int_equal(u[4].rank, 5);
    free(u);
}

static void test_tie_break_categories(void **state)
{
    (void)state;
    ls_group g = group4(0, 0);
    int tb[] = {10, 11}; /* node indices; ls_rank reads only tie[] */
    g.tie_break = tb;
    g.ntie_break = 2;
    ls_fixed t[] = {9000, 9000, 9000, 9000};
    /* unit 0: 30/5, unit 1: 30/6, unit 2: 40/0, unit 3: 30/6 */
    ls_fixed tie[] = {3000, 500, 3000, 600, 4000, 0, 3000, 600};
    int order[4];
    ls_unit_result *u = units_with(t, 4, order);
    ls_rank_group(&g, u, tie, order, 4);
    int want_order[] = {2, 1, 3, 0}; /* 1 and 3 tie on both: registry order */
    for (int i = 0; i < 4; i++) assert_int_equal(order[i], want_order[i]);
    assert_int_equal(u[2].rank, 1); /* first tie-break decides */
    assert_int_equal(u[1].rank, 2); /* second tie-break decides */
    assert_int_equal(u[3].rank, 2);
    assert_int_equal(u[0].rank, 4);
    free(u);
}

static void test_band_edges(void **state)
{
    (void)state;
    ls_group g = group4(0, 0);
    ls_fixed t[] = {9000, 8999, 8000, 7999, 6000, 5999, 0, 10000};
    int want[] = {0, 1, 1, 2, 2, 3, 3, 0};
    int order[8];
    ls_unit_result *u = units_with(t, 8, order);
    ls_rank_group(&g, u, NULL, order, 8);
    for (int i = 0; i < 8; i++) assert_int_equal(u[i].band, want[i]);
    free(u);
}

static void test_max_share_cap(void **state)
{
    (void)state;
    /* 10 units, 优秀 for at most 20%: 2 places */
    ls_group g = group4(0.2, 0);
    ls_fixed t[] = {9900, 9800, 9700, 9600, 7000, 7000, 7000, 7000, 7000, 7000};
    int order[10];
    ls_unit_result *u = units_with(t, 10, order);
    ls_rank_group(&g, u, NULL, order, 10);
    assert_int_equal(u[0].band, 0);
    assert_int_equal(u[1].band, 0);
    assert_int_equal(u[2].band, 1); /* over the cap: 良好 */
    assert_int_equal(u[3].band, 1);
    assert_int_equal(u[4].band, 2);
    assert_int_equal(u[2].rank, 3); /* the cap changes grades, not ranks */
    free(u);
}

static void test_max_share_tie_moves_down_and_band_closes(void **state)
{
    (void)state;
    /* 2 places in 优秀; the tie at 95 would take 3, so both move to 良好;
     * then 92 finds 优秀 closed although one place is left */
    ls_group g = group4(0.2, 0);
    ls_fixed t[] = {9900, 9500, 9500, 9200, 8500, 7000, 7000, 7000, 7000, 7000};
    int order[10];
    ls_unit_result *u = units_with(t, 10, order);
    ls_rank_group(&g, u, NULL, order, 10);
    assert_int_equal(u[0].band, 0);
    assert_int_equal(u[1].band, 1);
    assert_int_equal(u[2].band, 1);
    assert_int_equal(u[1].rank, 2);
    assert_int_equal(u[2].rank, 2);
    assert_int_equal(u[3].band, 1); /* closed: no better grade than the tie above */
    assert_int_equal(u[4].band, 1);
    free(u);
}

static void test_max_share_tie_that_fits(void **state)
{
    (void)state;
    /* a tie of exactly the places left keeps the band */
    ls_group g = group4(0.2, 0);
    ls_fixed t[] = {9500, 9500, 8500, 8500, 7000, 7000, 7000, 7000, 7000, 7000};
    int order[10];
    ls_unit_result *u = units_with(t, 10, order);
    ls_rank_group(&g, u, NULL, order, 10);
    assert_int_equal(u[0].band, 0);
    assert_int_equal(u[1].band, 0);
    assert_int_equal(u[2].band, 1);
    free(u);
}

static void test_max_share_cascades(void **state)
{
    (void)state;
    /* 5 units, 优秀 and 良好 each for at most 20%: 1 place each; a tie of
     * 3 at 95 moves past both capped bands to 合格 */
    ls_group g = group4(0.2, 0.2);
    ls_fixed t[] = {9500, 9500, 9500, 8500, 6500};
    int order[5];
    ls_unit_result *u = units_with(t, 5, order);
    ls_rank_group(&g, u, NULL, order, 5);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(u[i].band, 2);
        assert_int_equal(u[i].rank, 1);
    }
    assert_int_equal(u[3].band, 2); /* 良好 closed too */
    assert_int_equal(u[4].band, 2);
    free(u);
}

static void test_veto_ranks_last(void **state)
{
    (void)state;
    ls_group g = group4(0, 0);
    g.veto_band = 2; /* veto_grade: 合格 */
    ls_fixed t[] = {9900, 5000, 9800, 9700};
    int order[4];
    ls_unit_result *u = units_with(t, 4, order);
    u[0].veto = 5;
    u[2].veto = 6;
    ls_rank_group(&g, u, NULL, order, 4);
    int want_order[] = {3, 1, 0, 2}; /* vetoed last, by total among them */
    for (int i = 0; i < 4; i++) assert_int_equal(order[i], want_order[i]);
    assert_int_equal(u[3].rank, 1);
    assert_int_equal(u[1].rank, 2);
    assert_int_equal(u[0].rank, 0); /* vetoed: no 名次 */
    assert_int_equal(u[2].rank, 0);
    assert_int_equal(u[0].band, 2); /* the veto band, whatever the total */
    assert_int_equal(u[2].band, 2);
    assert_int_equal(u[1].band, 3);
    free(u);
}

static void test_veto_not_moved_by_cap(void **state)
{
    (void)state;
    /* veto_grade 优秀 (odd, but allowed) with a cap: vetoed units keep it */
    ls_group g = group4(0.2, 0);
    g.veto_band = 0;
    ls_fixed t[] = {9900, 9800, 9000, 9000, 9000};
    int order[5];
    ls_unit_result *u = units_with(t, 5, order);
    for (int i = 2; i < 5; i++) u[i].veto = 1;
    ls_rank_group(&g, u, NULL, order, 5);
    assert_int_equal(u[0].band, 0); /* 1 place of 5 * 0.2 */
    assert_int_equal(u[1].band, 1);
    for (int i = 2; i < 5; i++) {
        assert_int_equal(u[i].band, 0);
        assert_int_equal(u[i].rank, 0);
    }
    free(u);
}

static void test_groups_ranked_separately(void **state)
{
    (void)state;
    /* a hand-made scheme: 6 units alternating between two groups, one
     * tie-break node (index 1) in group b only */
    ls_band ba[] = {{"优秀", 9000, 0.5}, {"合格", 0, 0}};
    ls_band bb[] = {{"好", 5000, 0}, {"差", 0, 0}};
    int tb[] = {1};
    ls_group groups[] = {
        {.id = "a", .name = "a", .bands = ba, .nbands = 2, .veto_band = 1},
        {.id = "b", .name = "b", .bands = bb, .nbands = 2, .veto_band = 1, .tie_break = tb, .ntie_break = 1},
    };
    ls_unit ul[6];
    memset(ul, 0, sizeof ul);
    for (int i = 0; i < 6; i++) ul[i].group = i % 2;
    ls_scheme s;
    memset(&s, 0, sizeof s);
    s.groups = groups;
    s.ngroups = 2;
    s.units = ul;
    s.nunits = 6;
    s.nnodes = 2;
    ls_run *r = calloc(1, sizeof *r);
    r->scheme = &s;
    r->units = calloc(6, sizeof *r->units);
    r->cells = calloc(6 * 2, sizeof *r->cells);
    ls_fixed t[] = {9500, 6000, 9600, 6000, 9400, 7000};
    for (int i = 0; i < 6; i++) {
        r->units[i].total = t[i];
        r->units[i].veto = -1;
    }
    r->cells[3 * 2 + 1].score = 100; /* unit 3 wins the tie with unit 1 */
    ls_rank_run(r);
    assert_int_equal(r->norder[0], 3);
    assert_int_equal(r->norder[1], 3);
    int want_a[] = {2, 0, 4}, want_b[] = {5, 3, 1};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(r->order[0][i], want_a[i]);
        assert_int_equal(r->order[1][i], want_b[i]);
    }
    assert_int_equal(r->units[2].rank, 1);
    assert_int_equal(r->units[5].rank, 1); /* its own group's first */
    assert_int_equal(r->units[3].rank, 2);
    assert_int_equal(r->units[1].rank, 3);
    /* group a: 优秀 for 1 of 3 (share 0.5 of 3 = 1.5 -> 1) */
    assert_int_equal(r->units[2].band, 0);
    assert_int_equal(r->units[0].band, 1);
    assert_int_equal(r->units[4].band, 1);
    /* group b's cap-free bands by its own bounds */
    assert_int_equal(r->units[5].band, 0);
    assert_int_equal(r->units[1].band, 0);
    ls_run_free(r);
}

#define BIG 10000

static void test_large_tie_group(void **state)
{
    (void)state;
    /* one leader, then 10,000 equal totals: they share rank 2; with 优秀
     * capped at 20% (2,000 places, 1 used) they all move to 良好 together */
    size_t n = BIG + 1;
    ls_fixed *t = malloc(n * sizeof *t);
    int *order = malloc(n * sizeof *order);
    t[0] = 9900;
    for (size_t i = 1; i < n; i++) t[i] = 9500;
    ls_unit_result *u = units_with(t, n, order);
    ls_group g = group4(0.2, 0);
    ls_rank_group(&g, u, NULL, order, n);
    assert_int_equal(order[0], 0);
    assert_int_equal(u[0].rank, 1);
    assert_int_equal(u[0].band, 0);
    for (size_t i = 1; i < n; i++) {
        assert_int_equal(order[i], (int)i); /* registry order kept */
        assert_int_equal(u[i].rank, 2);
        assert_int_equal(u[i].band, 1);
    }
    free(u);

    /* the same tie under a cap that holds all of them keeps 优秀 */
    u = units_with(t, n, order);
    g = group4(1.0, 0);
    ls_rank_group(&g, u, NULL, order, n);
    for (size_t i = 0; i < n; i++) assert_int_equal(u[i].band, 0);
    free(u);

    /* a cap one place short of the tie moves all of it */
    u = units_with(t, n, order);
    g = group4((double)BIG / (double)n, 0); /* floor(n * share) = BIG: 1 + BIG > BIG */
    ls_rank_group(&g, u, NULL, order, n);
    assert_int_equal(u[0].band, 0);
    for (size_t i = 1; i < n; i++) assert_int_equal(u[i].band, 1);
    free(u);
    free(t);
    free(order);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ties_share_rank),
        cmocka_unit_test(test_tie_break_categories),
        cmocka_unit_test(test_band_edges),
        cmocka_unit_test(test_max_share_cap),
        cmocka_unit_test(test_max_share_tie_moves_down_and_band_closes),
        cmocka_unit_test(test_max_share_tie_that_fits),
        cmocka_unit_test(test_max_share_cascades),
        cmocka_unit_test(test_veto_ranks_last),
        cmocka_unit_test(test_veto_not_moved_by_cap),
        cmocka_unit_test(test_groups_ranked_separately),
        cmocka_unit_test(test_large_tie_group),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
