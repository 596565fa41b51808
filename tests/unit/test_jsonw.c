/*
 * test_jsonw.c - the buffered JSON writer (ls_jsonw): escapes (quote,
 * backslash, the short forms, other control characters as \u00XX, UTF-8
 * copied as is), a long text with escapes on both sides of the writer's
 * pieces, keys by name, as literals (LS_JSONW_KEY) and as prepared text
 * (ls_jsonw_key_text), compact and pretty, and numbers.
 */
#include "ls_test.h"

#include "ls_jsonw.h"

/* What w wrote into the memory stream: finished, NUL-terminated. */
typedef struct mem {
    char *p;
    size_t n;
    FILE *f;
    ls_jsonw w;
} mem;

static void mem_start(mem *m, int pretty)
{
    m->p = NULL;
    m->n = 0;
    m->f = open_memstream(&m->p, &m->n);
    assert_non_null(m->f);
    ls_jsonw_init(&m->w, m->f, pretty);
}

static const char *mem_end(mem *m)
{
    assert_int_equal(ls_jsonw_finish(&m->w), 0);
    assert_int_equal(fclose(m->f), 0);
    return m->p;
}

static void test_escapes(void **state)
{
    (void)state;
    mem m;
    mem_start(&m, 0);
    ls_jsonw_aopen(&m.w);
    ls_jsonw_str(&m.w, "未提交\"执法记录\"\\");
    ls_jsonw_str(&m.w, "a\nb\tc\rd\be\ff");
    ls_jsonw_strn(&m.w, "\x01\x1f\x00z", 4);
    ls_jsonw_str(&m.w, "");
    ls_jsonw_str(&m.w, NULL);
    ls_jsonw_aclose(&m.w);
    assert_string_equal(mem_end(&m), "[\"未提交\\\"执法记录\\\"\\\\\",\"a\\nb\\tc\\rd\\be\\ff\","
                                     "\"\\u0001\\u001f\\u0000z\",\"\",null]\n");
    free(m.p);
}

/* A text longer than the writer's pieces, an escape at each end and one
 * straddling nothing in particular: the same as escaping byte by byte. */
static void test_long_text(void **state)
{
    (void)state;
    size_t n = 10000;
    char *s = ls_xmalloc(n + 1);
    for (size_t i = 0; i < n; i++) s[i] = (char)('a' + i % 26);
    s[0] = '"';
    s[4095] = '\n';
    s[4096] = '\\';
    s[n - 1] = '\x02';
    s[n] = '\0';
    ls_buf want;
    ls_buf_init(&want);
    ls_buf_add(&want, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"') ls_buf_puts(&want, "\\\"");
        else if (s[i] == '\n') ls_buf_puts(&want, "\\n");
        else if (s[i] == '\\') ls_buf_puts(&want, "\\\\");
        else if (s[i] == '\x02') ls_buf_puts(&want, "\\u0002");
        else ls_buf_add(&want, &s[i], 1);
    }
    ls_buf_puts(&want, "\"\n");
    mem m;
    mem_start(&m, 0);
    ls_jsonw_str(&m.w, s);
    assert_string_equal(mem_end(&m), want.p);
    free(m.p);
    ls_buf_cleanup(&want);
    free(s);
}

static void write_keys(ls_jsonw *w, const char *prepared, size_t nprepared)
{
    ls_jsonw_open(w);
    ls_jsonw_key(w, "a\"b");
    ls_jsonw_int(w, -12);
    ls_jsonw_key_raw(w, LS_JSONW_KEY("score"));
    ls_jsonw_fixed(w, 9050, 2);
    ls_jsonw_key_raw(w, prepared, nprepared);
    ls_jsonw_aopen(w);
    ls_jsonw_double(w, 0.5);
    ls_jsonw_double(w, 3);
    ls_jsonw_bool(w, 0);
    ls_jsonw_aclose(w);
    ls_jsonw_close(w);
}

static void test_keys(void **state)
{
    (void)state;
    size_t nk;
    char *k = ls_jsonw_key_text("指标\t1", &nk);
    assert_string_equal(k, "\"指标\\t1\":");
    assert_int_equal(nk, strlen(k));
    mem m;
    mem_start(&m, 0);
    write_keys(&m.w, k, nk);
    assert_string_equal(mem_end(&m), "{\"a\\\"b\":-12,\"score\":90.50,\"指标\\t1\":[0.5,3,false]}\n");
    free(m.p);
    mem_start(&m, 1);
    write_keys(&m.w, k, nk);
    assert_string_equal(mem_end(&m), "{\n  \"a\\\"b\": -12,\n  \"score\": 90.50,\n  \"指标\\t1\": [\n"
                                     "    0.5,\n    3,\n    false\n  ]\n}\n");
    free(m.p);
    free(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_long_text),
        cmocka_unit_test(test_keys),
    };
    return cmocka_run_group_tests_name("jsonw", tests, NULL, NULL);
}
