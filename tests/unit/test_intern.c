/*
 * test_intern.c - interned strings: one copy per distinct text, equal
 * text returned always, and a table that stops taking texts that do not
 * repeat; packed arena strings beside aligned allocations.
 */
#include "ls_test.h"

#include <stdalign.h>
#include <stdint.h>

#include "ls_intern.h"

static void test_one_copy_per_text(void **state)
{
    (void)state;
    ls_arena a;
    ls_arena_init(&a);
    ls_intern t;
    ls_intern_init(&t, &a);
    const char *x = ls_intern_str(&t, "未按时报送年度报告");
    char buf[64];
    snprintf(buf, sizeof buf, "%s", "未按时报送年度报告");
    const char *y = ls_intern_str(&t, buf);
    assert_ptr_equal(x, y);
    assert_ptr_not_equal(y, buf);
    assert_string_equal(y, "未按时报送年度报告");
    /* a prefix or an extension is another text */
    const char *p = ls_intern_strn(&t, "未按时报送年度报告", 6);
    assert_string_equal(p, "未按");
    assert_ptr_not_equal(p, x);
    const char *e = ls_intern_str(&t, "");
    assert_string_equal(e, "");
    assert_ptr_equal(ls_intern_str(&t, ""), e);
    /* many texts, each given twice: every one found again after the
     * table grew */
    const char *first[2000];
    for (int i = 0; i < 2000; i++) {
        snprintf(buf, sizeof buf, "理由%d", i);
        first[i] = ls_intern_str(&t, buf);
    }
    for (int i = 0; i < 2000; i++) {
        snprintf(buf, sizeof buf, "理由%d", i);
        const char *again = ls_intern_str(&t, buf);
        assert_ptr_equal(again, first[i]);
        assert_string_equal(again, buf);
    }
    assert_false(t.off);
    ls_intern_cleanup(&t);
    ls_arena_cleanup(&a);
}

static void test_gives_up_on_unique_texts(void **state)
{
    (void)state;
    ls_arena a;
    ls_arena_init(&a);
    ls_intern t;
    ls_intern_init(&t, &a);
    char buf[64];
    const char *k0 = ls_intern_str(&t, "理由0");
    for (int i = 1; i <= LS_INTERN_PROBE + 10; i++) {
        snprintf(buf, sizeof buf, "单位%d的理由", i);
        assert_string_equal(ls_intern_str(&t, buf), buf);
    }
    assert_true(t.off);
    size_t n = t.n;
    /* still equal texts, but no longer one copy, and the table stays */
    const char *k1 = ls_intern_str(&t, "理由0");
    assert_string_equal(k1, "理由0");
    assert_ptr_not_equal(k1, k0);
    assert_int_equal(t.n, n);
    ls_intern_cleanup(&t);
    ls_arena_cleanup(&a);
}

static void test_arena_packs_strings_and_aligns_the_rest(void **state)
{
    (void)state;
    ls_arena a;
    ls_arena_init(&a);
    char *s1 = ls_arena_strdup(&a, "ab");
    char *s2 = ls_arena_strdup(&a, "c");
    assert_ptr_equal(s2, s1 + 3); /* packed, no padding */
    for (int i = 0; i < 5; i++) {
        double *d = ls_arena_alloc(&a, sizeof *d * 3);
        assert_int_equal((uintptr_t)d % alignof(max_align_t), 0);
        assert_true(d[0] == 0 && d[1] == 0 && d[2] == 0);
        d[2] = 1.5;
        ls_arena_strdup(&a, "xyz");
    }
    /* a string that does not fit the block's rest goes to a new block */
    char big[70000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    char *b = ls_arena_strdup(&a, big);
    assert_int_equal(strlen(b), sizeof big - 1);
    assert_string_equal(s1, "ab");
    assert_string_equal(s2, "c");
    ls_arena_cleanup(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_copy_per_text),
        cmocka_unit_test(test_gives_up_on_unique_texts),
        cmocka_unit_test(test_arena_packs_strings_and_aligns_the_rest),
    };
    return cmocka_run_group_tests_name("intern", tests, NULL, NULL);
}
