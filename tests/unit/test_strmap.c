/*
 * test_strmap.c - the string -> index map: insert, refuse a second
 * insert of a key (giving the old value), replace a value, and keep every
 * key through growth.
 */
#include "ls_test.h"

#include "ls_strmap.h"

static void test_put_get_set(void **state)
{
    (void)state;
    ls_strmap m;
    ls_strmap_init(&m);
    assert_int_equal(ls_strmap_get(&m, "司法局"), -1);
    assert_int_equal(ls_strmap_put(&m, "司法局", 3, NULL), 0);
    int old = 0;
    assert_int_equal(ls_strmap_put(&m, "司法局", 7, &old), -1);
    assert_int_equal(old, 3);
    assert_int_equal(ls_strmap_get(&m, "司法局"), 3);
    ls_strmap_set(&m, "司法局", -2); /* replaces */
    assert_int_equal(ls_strmap_get(&m, "司法局"), -2);
    ls_strmap_set(&m, "财政局", 9); /* inserts */
    assert_int_equal(ls_strmap_get(&m, "财政局"), 9);
    assert_int_equal(m.n, 2);
    /* growth keeps keys and values */
    static char keys[3000][16];
    for (int i = 0; i < 3000; i++) {
        snprintf(keys[i], sizeof keys[i], "u%06d", i);
        assert_int_equal(ls_strmap_put(&m, keys[i], i, NULL), 0);
    }
    for (int i = 0; i < 3000; i += 2) ls_strmap_set(&m, keys[i], -i);
    for (int i = 0; i < 3000; i++) assert_int_equal(ls_strmap_get(&m, keys[i]), i % 2 ? i : -i);
    assert_int_equal(ls_strmap_get(&m, "司法局"), -2);
    assert_int_equal(m.n, 3002);
    ls_strmap_cleanup(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_get_set),
    };
    return cmocka_run_group_tests_name("strmap", tests, NULL, NULL);
}
