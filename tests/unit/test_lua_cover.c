/*
 * test_lua_cover.c - line coverage of Lua rule scripts (ls_lua_cover): the
 * bytecode reader on real chunks (nested functions, the final implicit
 * return left out, absolute line entries of long functions) and on damaged
 * input, the line hook, and the coverage record it fills (ls_coverage).
 */
#include "ls_test.h"

#include <lauxlib.h>

#include "ls_coverage.h"
#include "ls_lua_cover.h"
#include "ls_util.h"

typedef struct dumpbuf {
    unsigned char *p;
    size_t n;
} dumpbuf;

static int writer(lua_State *L, const void *p, size_t n, void *ud)
{
    (void)L;
    dumpbuf *d = ud;
    d->p = realloc(d->p, d->n + n);
    assert_non_null(d->p);
    memcpy(d->p + d->n, p, n);
    d->n += n;
    return 0;
}

/* The bytecode of `src` compiled as a chunk named "@x.lua" (caller frees
 * d->p). */
static void compile(const char *src, dumpbuf *d)
{
    lua_State *L = luaL_newstate();
    assert_non_null(L);
    assert_int_equal(luaL_loadbufferx(L, src, strlen(src), "@x.lua", "t"), LUA_OK);
    d->p = NULL;
    d->n = 0;
    assert_int_equal(lua_dump(L, writer, d, 0), 0);
    lua_close(L);
}

/* The code lines of file f as a string of line numbers "1 2 5". */
static void code_lines(const ls_coverage *c, int f, char *out, size_t size)
{
    const ls_covfile *cf = &c->files[f];
    size_t k = 0;
    out[0] = '\0';
    for (int l = 1; l < cf->nlines; l++)
        if (cf->code[l]) k += (size_t)snprintf(out + k, size - k, "%s%d", k ? " " : "", l);
}

static void test_bytecode_nested(void **state)
{
    (void)state;
    static const char src[] =
        "local function f(x)\n"                     /* 1: no code (f is made at its end) */
        "  if x then\n"                             /* 2 */
        "    return 1\n"                            /* 3 */
        "  end\n"                                   /* 4 */
        "  return 2\n"                              /* 5 */
        "end\n"                                     /* 6: CLOSURE; f's implicit return left out */
        "\n"                                        /* 7 */
        "local t = {g = function() return 3 end}\n" /* 8 */
        "return f(data) + t.g()\n";                 /* 9 */
    dumpbuf d;
    compile(src, &d);
    ls_coverage c;
    ls_coverage_init(&c);
    int f = ls_coverage_file(&c, "x.lua");
    assert_int_equal(ls_lua_cover_bytecode(&c, f, d.p, d.n), 0);
    char lines[256];
    code_lines(&c, f, lines, sizeof lines);
    assert_string_equal(lines, "2 3 5 6 8 9");
    assert_int_equal(c.files[f].lines_known, 1);
    /* the same bytes cut short: unreadable, nothing marked */
    ls_coverage_cleanup(&c);
    ls_coverage_init(&c);
    f = ls_coverage_file(&c, "x.lua");
    assert_int_equal(ls_lua_cover_bytecode(&c, f, d.p, d.n - 1), -1);
    int code, ran;
    ls_coverage_count(&c, (size_t)f, &code, &ran);
    assert_int_equal(code, 0);
    ls_coverage_cleanup(&c);
    free(d.p);
}

/* A function long enough that Lua writes absolute line entries. */
static void test_bytecode_absolute_lines(void **state)
{
    (void)state;
    ls_buf src;
    ls_buf_init(&src);
    for (int i = 1; i <= 300; i++) ls_buf_printf(&src, "v%d = %d\n", i % 150, i);
    for (int i = 0; i < 140; i++) ls_buf_puts(&src, "\n");
    ls_buf_puts(&src, "return 1\n"); /* line 441 */
    dumpbuf d;
    compile(src.p, &d);
    ls_buf_cleanup(&src);
    ls_coverage c;
    ls_coverage_init(&c);
    int f = ls_coverage_file(&c, "x.lua");
    assert_int_equal(ls_lua_cover_bytecode(&c, f, d.p, d.n), 0);
    int code, ran;
    ls_coverage_count(&c, (size_t)f, &code, &ran);
    assert_int_equal(code, 301);       /* 300 assignments and the return */
    assert_true(c.files[f].code[441]); /* past a 140-line jump */
    assert_false(c.files[f].code[440]);
    assert_int_equal(ran, 0);
    ls_coverage_cleanup(&c);
    free(d.p);
}

static ls_lua_cover *hook_lc;

static void line_hook(lua_State *L, lua_Debug *ar)
{
    ls_lua_cover_line(L, ar, hook_lc);
}

/* The line hook marks the lines that ran of files the record knows. */
static void test_line_hook(void **state)
{
    (void)state;
    ls_coverage c;
    ls_coverage_init(&c);
    ls_lua_cover lc = {&c, NULL, -1};
    hook_lc = &lc;
    lua_State *L = luaL_newstate();
    assert_non_null(L);
    static const char src[] = "local a = 1\nif a > 1 then\n  a = 2\nend\nreturn a\n";
    assert_int_equal(luaL_loadbufferx(L, src, strlen(src), "@x.lua", "t"), LUA_OK);
    int ref = luaL_ref(L, LUA_REGISTRYINDEX);
    ls_lua_cover_chunk(&lc, L, "x.lua", ref);
    assert_int_equal(lua_gettop(L), 0);
    int f = ls_coverage_find(&c, "x.lua");
    assert_true(f >= 0);
    assert_int_equal(luaL_loadbufferx(L, "local b = 2\nreturn b\n", 21, "@other.lua", "t"), LUA_OK);
    lua_sethook(L, line_hook, LUA_MASKLINE, 0);
    assert_int_equal(lua_pcall(L, 0, 1, 0), LUA_OK);
    lua_pop(L, 1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
    assert_int_equal(lua_pcall(L, 0, 1, 0), LUA_OK);
    assert_int_equal(lua_tointeger(L, -1), 1);
    lua_close(L);
    assert_int_equal(ls_coverage_find(&c, "other.lua"), -1);
    int code, ran;
    ls_coverage_count(&c, (size_t)f, &code, &ran);
    assert_int_equal(code, 4); /* lines 1 2 3 5 */
    assert_int_equal(ran, 3);  /* not 3: a is 1 */
    assert_false(c.files[f].hit[3]);
    ls_coverage_cleanup(&c);
}

static void test_bytecode_damaged(void **state)
{
    (void)state;
    ls_coverage c;
    ls_coverage_init(&c);
    int f = ls_coverage_file(&c, "x.lua");
    assert_int_equal(ls_coverage_file(&c, "x.lua"), f);
    assert_int_equal(ls_coverage_find(&c, "y.lua"), -1);
    static const unsigned char text[] = "return 1";
    assert_int_equal(ls_lua_cover_bytecode(&c, f, text, sizeof text - 1), -1);
    static const unsigned char head[] = "\x1bLua\x54\x00\x19\x93\r\n\x1a\n\x04\x08\x08";
    assert_int_equal(ls_lua_cover_bytecode(&c, f, head, sizeof head - 1), -1);
    /* a valid header followed by noise: never read past the end, never
     * mark lines from a chunk that turns out unreadable */
    ls_coverage_cleanup(&c);
    unsigned char buf[256];
    unsigned x = 12345;
    for (int round = 0; round < 2000; round++) {
        ls_coverage_init(&c);
        f = ls_coverage_file(&c, "x.lua");
        size_t n = sizeof head - 1 + 16 + (size_t)(round % 200);
        memcpy(buf, head, sizeof head - 1);
        for (size_t i = sizeof head - 1; i < n; i++) {
            x = x * 1103515245u + 12345u;
            buf[i] = (unsigned char)(x >> 16);
        }
        unsigned char *copy = malloc(n); /* exact size: valgrind sees overreads */
        memcpy(copy, buf, n);
        if (ls_lua_cover_bytecode(&c, f, copy, n) != 0) {
            int code, ran;
            ls_coverage_count(&c, (size_t)f, &code, &ran);
            assert_int_equal(code, 0);
        }
        free(copy);
        ls_coverage_cleanup(&c);
    }
    ls_coverage_init(&c);
    f = ls_coverage_file(&c, "x.lua");
    ls_coverage_code(&c, f, 3);
    ls_coverage_hit(&c, f, 3);
    ls_coverage_hit(&c, f, 4); /* ran, but holds no code */
    ls_coverage_code(&c, f, 7);
    int code, ran;
    ls_coverage_count(&c, (size_t)f, &code, &ran);
    assert_int_equal(code, 2);
    assert_int_equal(ran, 1);
    ls_coverage_cleanup(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bytecode_nested),
        cmocka_unit_test(test_bytecode_absolute_lines),
        cmocka_unit_test(test_line_hook),
        cmocka_unit_test(test_bytecode_damaged),
    };
    return cmocka_run_group_tests_name("lua_cover", tests, NULL, NULL);
}
