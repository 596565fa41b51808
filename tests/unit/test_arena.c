/*
 * test_arena.c - the bump allocator: zeroed and aligned allocations,
 * packed strings, allocations larger than a block, and a reset that keeps
 * one block for reuse (the nodes of each unit in a streamed data file).
 */
#include "ls_test.h"

#include <stdalign.h>
#include <stdint.h>

#include "ls_arena.h"

static void test_alloc_and_strings(void **state)
{
    (void)state;
    ls_arena a;
    ls_arena_init(&a);
    char *s = ls_arena_strdup(&a, "司法局");
    assert_string_equal(s, "司法局");
    assert_string_equal(ls_arena_strndup(&a, "abcdef", 3), "abc");
    unsigned char *p = ls_arena_alloc(&a, 40);
    assert_int_equal((uintptr_t)p % alignof(max_align_t), 0);
    for (int i = 0; i < 40; i++) assert_int_equal(p[i], 0);
    unsigned char *big = ls_arena_alloc(&a, 200000); /* more than a block */
    big[199999] = 1;
    assert_string_equal(s, "司法局"); /* earlier allocations stay */
    ls_arena_cleanup(&a);
    assert_null(a.head);
    ls_arena_cleanup(&a); /* twice: nothing left to free */
}

static void test_reset_reuses_a_block(void **state)
{
    (void)state;
    ls_arena a;
    ls_arena_init(&a);
    ls_arena_reset(&a); /* empty: nothing to keep */
    assert_null(a.head);
    unsigned char *first = ls_arena_alloc(&a, 64);
    memset(first, 0xAB, 64);
    for (int i = 0; i < 5000; i++) ls_arena_strdup(&a, "some text that fills more than one block");
    ls_arena_reset(&a);
    assert_non_null(a.head);
    /* one block left, empty: the next allocation starts it again, zeroed */
    unsigned char *again = ls_arena_alloc(&a, 64);
    for (int i = 0; i < 64; i++) assert_int_equal(again[i], 0);
    ls_arena_reset(&a);
    assert_ptr_equal(ls_arena_alloc(&a, 64), again);
    ls_arena_cleanup(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_and_strings),
        cmocka_unit_test(test_reset_reuses_a_block),
    };
    return cmocka_run_group_tests_name("arena", tests, NULL, NULL);
}
