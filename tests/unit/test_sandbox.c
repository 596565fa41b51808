/*
 * test_sandbox.c - the Lua sandbox (ls_sandbox) on its own, without the
 * rule backend: the table-driven library set-up (each library holds
 * exactly its keep and replace rows, kept members are Lua's own, replaced
 * ones ours, removed names are absent and refused with their reason, also
 * through the string metatable), the read-only proxies, sorted pairs and
 * next, unknown names, and the limits (memory cap, instruction budget and
 * its stickiness, recursion, charges, time, fast calls).
 */
#include "ls_test.h"

#include <lauxlib.h>
#include <lualib.h>

#include "ls_sandbox.h"

typedef struct sbox {
    ls_sandbox sb;
    lua_State *L; /* G at index 1 */
} sbox;

static int open_sealed(lua_State *L)
{
    ls_sandbox_open(L);
    ls_sandbox_seal(L, 1);
    return 1;
}

static void sbox_new(sbox *x, size_t mem, long budget)
{
    x->L = ls_sandbox_state_new(&x->sb, mem, budget, x);
    assert_non_null(x->L);
    assert_ptr_equal(ls_sandbox_of(x->L), &x->sb);
    assert_ptr_equal(x->sb.host, x);
    lua_pushcfunction(x->L, open_sealed);
    assert_int_equal(lua_pcall(x->L, 0, 1, 0), LUA_OK);
    ls_sandbox_disarm(x->L);
    assert_int_equal(lua_gettop(x->L), 1);
    assert_int_equal(lua_type(x->L, 1), LUA_TTABLE);
}

static void sbox_free(sbox *x)
{
    ls_sandbox_close(&x->sb, x->L);
}

/* Run src with G as its _ENV under a fresh budget; the status, with the
 * result or the error message on top. */
static int run(sbox *x, const char *src)
{
    lua_State *L = x->L;
    lua_settop(L, 1);
    assert_int_equal(luaL_loadbufferx(L, src, strlen(src), "=t", "t"), LUA_OK);
    lua_pushvalue(L, 1);
    lua_setupvalue(L, -2, 1);
    ls_sandbox_arm(L);
    int st = lua_pcall(L, 0, 1, 0);
    ls_sandbox_disarm(L);
    return st;
}

static void want_error(sbox *x, const char *src, const char *msg)
{
    assert_int_not_equal(run(x, src), LUA_OK);
    assert_string_equal(lua_tostring(x->L, -1), msg);
}

static void want_result(sbox *x, const char *src, const char *want)
{
    int st = run(x, src);
    if (st != LUA_OK) fprintf(stderr, "%s: %s\n", src, lua_tostring(x->L, -1));
    assert_int_equal(st, LUA_OK);
    assert_string_equal(lua_tostring(x->L, -1), want);
}

/* Push the real table of library lib (as Lua's require keeps it). */
static void push_real(lua_State *L, const char *lib)
{
    lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_getfield(L, -1, lib);
    lua_remove(L, -2);
}

/* Is `name` a keep or replace row of lib? */
static int allowed(const char *lib, const char *name)
{
    for (const ls_sandbox_name *k = ls_sandbox_keep; k->name; k++)
        if (!strcmp(k->lib, lib) && !strcmp(k->name, name)) return 1;
    for (const ls_sandbox_repl *r = ls_sandbox_replace; r->name; r++)
        if (!strcmp(r->lib, lib) && !strcmp(r->name, name)) return 1;
    return 0;
}

static int is_lib(const char *name)
{
    for (const ls_sandbox_lib *l = ls_sandbox_libs; l->name; l++)
        if (strcmp(l->name, LUA_GNAME) && !strcmp(l->name, name)) return 1;
    return 0;
}

/* The tables do not contradict themselves. */
static void test_tables_consistent(void **state)
{
    (void)state;
    for (const ls_sandbox_name *k = ls_sandbox_keep; k->name; k++) {
        assert_non_null(k->lib);
        for (const ls_sandbox_repl *r = ls_sandbox_replace; r->name; r++)
            assert_false(!strcmp(k->lib, r->lib) && !strcmp(k->name, r->name));
        for (const ls_sandbox_name *k2 = ls_sandbox_keep; k2 != k; k2++)
            assert_false(!strcmp(k->lib, k2->lib) && !strcmp(k->name, k2->name));
    }
    for (const ls_sandbox_refusal *rm = ls_sandbox_remove; rm->name; rm++) {
        const char *dot = strchr(rm->name, '.');
        char lib[32] = LUA_GNAME;
        const char *name = rm->name;
        if (dot) {
            snprintf(lib, sizeof lib, "%.*s", (int)(dot - rm->name), rm->name);
            name = dot + 1;
            assert_true(is_lib(lib));
        }
        assert_false(allowed(lib, name));
        assert_non_null(rm->why);
    }
}

/* Each library holds exactly its keep and replace rows (the kept ones
 * that this Lua has), and G exactly the base rows and the libraries. */
static void test_kept_set_is_the_table(void **state)
{
    (void)state;
    sbox x;
    sbox_new(&x, 8 << 20, 100000);
    lua_State *L = x.L;
    lua_State *plain = luaL_newstate();
    luaL_openlibs(plain);
    for (const ls_sandbox_lib *lib = ls_sandbox_libs; lib->name; lib++) {
        int base = !strcmp(lib->name, LUA_GNAME);
        if (base) lua_pushvalue(L, 1);
        else push_real(L, lib->name);
        int t = lua_gettop(L);
        /* nothing there that the tables do not name */
        size_t n = 0;
        lua_pushnil(L);
        while (lua_next(L, t)) {
            lua_pop(L, 1);
            assert_int_equal(lua_type(L, -1), LUA_TSTRING);
            const char *k = lua_tostring(L, -1);
            if (!allowed(lib->name, k) && !(base && is_lib(k))) fail_msg("%s.%s is not in the tables", lib->name, k);
            n++;
        }
        /* everything the tables name that this Lua has */
        size_t want = 0;
        lua_getglobal(plain, lib->name);
        for (const ls_sandbox_name *k = ls_sandbox_keep; k->name; k++) {
            if (strcmp(k->lib, lib->name)) continue;
            int pt = lua_getfield(plain, -1, k->name);
            int st = lua_getfield(L, t, k->name);
            if (pt != LUA_TNIL) want++;
            assert_int_equal(st, pt);
            if (pt == LUA_TFUNCTION) /* Lua's own function */
                assert_ptr_equal(lua_tocfunction(L, -1), lua_tocfunction(plain, -1));
            else if (pt != LUA_TNIL)
                assert_true(lua_rawequal(L, -1, -1) && !strcmp(luaL_tolstring(L, -1, NULL),
                                                               luaL_tolstring(plain, -1, NULL)));
            lua_settop(L, t);
            lua_pop(plain, pt == LUA_TFUNCTION || pt == LUA_TNIL ? 1 : 2);
        }
        for (const ls_sandbox_repl *r = ls_sandbox_replace; r->name; r++) {
            if (strcmp(r->lib, lib->name)) continue;
            want++;
            assert_int_equal(lua_getfield(L, t, r->name), LUA_TFUNCTION);
            assert_true(lua_iscfunction(L, -1));
            assert_ptr_equal(lua_tocfunction(L, -1), r->fn); /* ours */
            assert_int_equal(lua_getfield(plain, -1, r->name), LUA_TFUNCTION);
            assert_ptr_not_equal(lua_tocfunction(plain, -1), r->fn);
            if (r->wrap) { /* the original behind our checks */
                assert_non_null(lua_getupvalue(L, -1, 1));
                assert_ptr_equal(lua_tocfunction(L, -1), lua_tocfunction(plain, -1));
            }
            lua_settop(L, t);
            lua_pop(plain, 1);
        }
        lua_pop(plain, 1);
        if (base) {
            for (const ls_sandbox_lib *l = ls_sandbox_libs; l->name; l++) want += !!is_lib(l->name);
        }
        assert_int_equal(n, want);
        lua_settop(L, 1);
    }
    lua_close(plain);
    sbox_free(&x);
}

/* Each removed name is absent and refused with its reason, also through
 * the string metatable; names Lua has but no table keeps are unknown. */
static void test_removed_are_refused(void **state)
{
    (void)state;
    sbox x;
    sbox_new(&x, 8 << 20, 100000);
    for (const ls_sandbox_refusal *rm = ls_sandbox_remove; rm->name; rm++) {
        char src[64], msg[300];
        const char *dot = strchr(rm->name, '.');
        if (dot) {
            char lib[32];
            snprintf(lib, sizeof lib, "%.*s", (int)(dot - rm->name), rm->name);
            push_real(x.L, lib);
            assert_int_equal(lua_rawget(x.L, (lua_pushstring(x.L, dot + 1), -2)), LUA_TNIL);
        } else {
            lua_pushstring(x.L, rm->name);
            assert_int_equal(lua_rawget(x.L, 1), LUA_TNIL);
        }
        lua_settop(x.L, 1);
        snprintf(src, sizeof src, "return %s", rm->name);
        snprintf(msg, sizeof msg, "'%s' is not available in rules (%s)", rm->name, rm->why);
        want_error(&x, src, msg);
    }
    want_error(&x, "return ('x').dump",
               "'string.dump' is not available in rules (rules cannot reach into the Lua machinery)");
    want_error(&x, "return warn", "unknown name 'warn'");
    want_error(&x, "return _VERSION", "unknown name '_VERSION'");
    want_error(&x, "return strng.rep", "unknown name 'strng' (did you mean 'string'?)");
    want_error(&x, "return math.flor(1)", "unknown name 'math.flor' (did you mean 'math.floor'?)");
    want_error(&x, "return getmetatable('')",
               "'getmetatable' is not available in rules (rules cannot reach into the Lua machinery)");
    sbox_free(&x);
}

/* The replaced functions behave as documented. */
static void test_replaced_behave(void **state)
{
    (void)state;
    sbox x;
    sbox_new(&x, 8 << 20, 100000);
    want_result(&x, "return tostring(('a.b.c'):find('.', 3))", "4");
    want_result(&x, "return tostring(string.find('abc', 'x'))", "nil");
    want_error(&x, "return ('abc'):match('a')",
               "string.match is not available in rules (Lua patterns can run for minutes inside "
               "one call); string.find searches plain text");
    want_error(&x, "return string.gsub('a', 'a', 'b')",
               "string.gsub is not available in rules (Lua patterns can run for minutes inside "
               "one call); string.find searches plain text");
    want_result(&x, "local t = {1, 3} table.insert(t, 2, 2) table.remove(t, 1) "
                    "return table.concat(table.move(t, 1, 2, 2), ',')",
                "2,2,3");
    want_error(&x, "return table.move({}, 1, 1e9, 2)",
               "table.move: moving more than 10000000 elements is not available in rules");
    want_error(&x, "local t = setmetatable and 1 or {} return t",
               "'setmetatable' is not available in rules (rules cannot reach into the Lua machinery)");
    want_result(&x, "local s = '' for k, v in pairs({b = 1, a = 2, [2] = 0, [1] = 0, [true] = 0}) do "
                    "s = s .. tostring(k) .. ' ' end return s",
                "1 2 a b true ");
    want_result(&x, "local t, s, k = {z = 1, y = 2, x = 3}, '' k = next(t) while k do s = s .. k "
                    "k = next(t, k) end return s",
                "xyz");
    want_result(&x, "local s = '' for k in pairs(math) do if k:sub(1, 1) == 'm' then s = s .. k "
                    ".. ' ' end end return s",
                "max maxinteger min mininteger modf ");
    sbox_free(&x);
}

/* table.sort is a stable merge sort: equal elements keep their order
 * (Lua's quicksort chose random pivots), order functions that contradict
 * themselves are an error, errors in them end the call. */
static void test_sort(void **state)
{
    (void)state;
    sbox x;
    sbox_new(&x, 8 << 20, 1000000);
    want_result(&x, "local t = {5, 3, 9, 1, 3} table.sort(t) return table.concat(t, ',')", "1,3,3,5,9");
    want_result(&x, "local t = {'b', 'a', 'c'} table.sort(t, function(a, b) return a > b end) "
                    "return table.concat(t)",
                "cba");
    /* stable: 300 records with three keys; equal ones stay in order */
    want_result(&x, "local t = {} for i = 1, 300 do t[i] = {id = i, k = i % 3} end "
                    "table.sort(t, function(a, b) return a.k < b.k end) local s = {} "
                    "for i = 1, 300 do s[i] = t[i].id end "
                    "return table.concat(s, ',', 1, 4) .. ' ' .. table.concat(s, ',', 100, 102) .. ' ' .. "
                    "table.concat(s, ',', 298, 300)",
                "3,6,9,12 300,1,4 293,296,299");
    want_result(&x, "local t = {} table.sort(t) t = {1} table.sort(t) return tostring(#t)", "1");
    want_error(&x, "local t = {3, 1, 2, 1} table.sort(t, function(a, b) return a <= b end) return 1",
               "table.sort: invalid order function: its answers contradict each other (on elements 2 "
               "and 4 of the table); an order function must be strict: a < b, not a <= b");
    want_error(&x, "local t = {3, 'x'} table.sort(t) return 1", "attempt to compare string with number");
    want_error(&x, "table.sort({2, 1}, function(a, b) error('boom', 0) end) return 1", "boom");
    sbox_free(&x);
}

/* pairs and next walk numbers, strings and booleans in a fixed order and
 * refuse keys that only have a memory address; the text of tables and
 * functions holds no address either. */
static void test_no_addresses(void **state)
{
    (void)state;
    sbox x;
    sbox_new(&x, 8 << 20, 1000000);
    want_result(&x, "local s = '' for k in pairs({[true] = 1, [false] = 2, [2.5] = 3, [1] = 4, x = 5}) do "
                    "s = s .. tostring(k) .. ' ' end return s",
                "1 2.5 x false true ");
    want_error(&x, "for k in pairs({[{}] = 1}) do end return 1",
               "pairs() cannot walk a table that has a table as a key: such keys have no fixed order, so "
               "results would change from run to run (use numbers or strings as keys)");
    want_error(&x, "return next({[print] = 1})",
               "next() cannot walk a table that has a function as a key: such keys have no fixed order, "
               "so results would change from run to run (use numbers or strings as keys)");
    want_result(&x, "return tostring({}) .. ' ' .. tostring(print) .. ' ' .. tostring(string)",
                "table function: builtin table: string");
    want_result(&x, "local function f() end return tostring(f)", "function: t:1");
    want_result(&x, "return string.format('%s %5.2s %d %s %%s %s', {}, 'abc', 3, print, nil)",
                "table    ab 3 function: builtin %s nil");
    want_error(&x, "return string.format('%p', {})",
               "string.format: '%p' prints a memory address, which changes from run to run");
    want_error(&x, "return ('%10p'):format('x')",
               "string.format: '%p' prints a memory address, which changes from run to run");
    want_result(&x, "return tostring(1.5) .. tostring(2) .. tostring(nil) .. tostring(true)", "1.52niltrue");
    sbox_free(&x);
}

/* Library calls are charged for the bytes and elements they handle, so a
 * loop of big C calls ends within the budget. */
static void test_charges(void **state)
{
    (void)state;
    sbox x;
    sbox_new(&x, 64 << 20, 1000000);
    want_result(&x, "return tostring(#('ab'):rep(1000, ','))", "2999");
    want_error(&x, "local s = ('x'):rep(2000000) return 1",
               "instruction budget of 1000000 exceeded (string.rep handled 2000003 bytes or elements; "
               "library calls count one instruction for each)");
    /* 16 MB made by concatenation (not charged), then upper() in a loop */
    want_error(&x, "local s = 'x' for _ = 1, 24 do s = s .. s end while true do s:upper() end",
               "instruction budget of 1000000 exceeded (string.upper handled 16777217 bytes or elements; "
               "library calls count one instruction for each)");
    want_error(&x, "local t = {} for i = 1, 1000 do t[i] = i end "
                   "while true do table.move(t, 1, 1000, 1001) end",
               "instruction budget of 1000000 exceeded (table.move handled 1004 bytes or elements; "
               "library calls count one instruction for each)");
    want_error(&x, "local t = {} for i = 1, 5000 do t[i] = 'abc' end "
                   "while true do local s = table.concat(t) end",
               "instruction budget of 1000000 exceeded (table.concat handled 15001 bytes or elements; "
               "library calls count one instruction for each)");
    want_result(&x, "local s = 'x' for _ = 1, 10 do s = s .. s end return tostring(#s:upper())", "1024");
    sbox_free(&x);
}

/* Run src as a rule call does: begun fast, run again exactly when
 * ls_sandbox_end (or an error) says so.  Returns the status; *runs is
 * set to the number of runs. */
static int run_call(sbox *x, const char *src, int *runs)
{
    lua_State *L = x->L;
    int st;
    *runs = 0;
    for (int fast = 1;; fast = 0) {
        lua_settop(L, 1);
        assert_int_equal(luaL_loadbufferx(L, src, strlen(src), "=t", "t"), LUA_OK);
        lua_pushvalue(L, 1);
        lua_setupvalue(L, -2, 1);
        int ran_fast = ls_sandbox_begin(L, fast);
        st = lua_pcall(L, 0, 1, 0);
        int again = ls_sandbox_end(L) || (ran_fast && st != LUA_OK);
        ++*runs;
        if (!again) break;
    }
    return st;
}

/* Fast calls: no hook; a call that runs long is stopped and run again
 * with the count, so the budget ends it exactly as without fast calls. */
static void test_fast_calls(void **state)
{
    (void)state;
    sbox x;
    sbox_new(&x, 8 << 20, 1000000);
    int runs;
    assert_int_equal(run_call(&x, "return 'ok'", &runs), LUA_OK);
    assert_string_equal(lua_tostring(x.L, -1), "ok");
    assert_true(runs >= 1 && runs <= 2); /* 2 when the machine is slow (valgrind) */
    assert_null(lua_gethook(x.L));
    /* an endless loop: stopped by the watchdog, then the budget */
    assert_int_not_equal(run_call(&x, "while true do end", &runs), LUA_OK);
    assert_string_equal(lua_tostring(x.L, -1), "instruction budget of 1000000 exceeded (infinite loop?)");
    assert_int_equal(runs, 2);
    /* 999 990 instructions fit, whatever ran fast */
    assert_int_equal(run_call(&x, "local n = 0 for i = 1, 333330 do n = n + 1 end return n", &runs), LUA_OK);
    assert_int_equal(lua_tointeger(x.L, -1), 333330);
    /* charged past the budget while fast: run again exactly */
    assert_int_not_equal(run_call(&x, "local s = ('x'):rep(400000) s = s:upper() return 1", &runs), LUA_OK);
    assert_string_equal(lua_tostring(x.L, -1), "instruction budget of 1000000 exceeded (string.upper handled "
                                               "400001 bytes or elements; library calls count one instruction "
                                               "for each)");
    assert_int_equal(runs, 2);
    /* the time limit: one instruction copies 16 MB, no count hook sees it */
    x.sb.max_seconds = 0.05;
    assert_int_not_equal(run_call(&x, "local s = 'x' for _ = 1, 20 do s = s .. s end "
                                      "while true do local t = s .. 'y' end",
                                  &runs),
                         LUA_OK);
    assert_string_equal(lua_tostring(x.L, -1), "time limit of 0.05 s exceeded (too much work for one call?)");
    assert_int_equal(x.sb.over, 3);
    assert_int_equal(run_call(&x, "return 'after'", &runs), LUA_OK);
    assert_string_equal(lua_tostring(x.L, -1), "after");
    ls_sandbox_cleanup(&x.sb);
    sbox_free(&x);
}

/* Libraries are read-only proxies of the real tables. */
static void test_readonly(void **state)
{
    (void)state;
    sbox x;
    sbox_new(&x, 8 << 20, 100000);
    want_error(&x, "string.x = 1 return 1", "cannot change string.x: string is read-only");
    want_error(&x, "math[1] = 1 return 1", "cannot change math[1]: math is read-only");
    want_result(&x, "return tostring(#table == 0)", "true");
    /* a proxy made by the host */
    lua_settop(x.L, 1);
    lua_createtable(x.L, 2, 0);
    lua_pushinteger(x.L, 7);
    lua_rawseti(x.L, -2, 1);
    lua_pushinteger(x.L, 8);
    lua_rawseti(x.L, -2, 2);
    ls_sandbox_readonly(x.L, "params");
    lua_setfield(x.L, LUA_REGISTRYINDEX, "p");
    lua_pushstring(x.L, "p"); /* unseal G for the test: rawset */
    lua_getfield(x.L, LUA_REGISTRYINDEX, "p");
    lua_rawset(x.L, 1);
    want_result(&x, "return tostring(#p + p[1] + p[2])", "17");
    want_error(&x, "p[3] = 1 return 1", "cannot change params[3]: params is read-only");
    want_error(&x, "x = 1 return x",
               "internal error: the helper library set global 'x'");
    sbox_free(&x);
}

/* The instruction budget: exact, sticky once over, and re-armed per call. */
static void test_budget(void **state)
{
    (void)state;
    sbox x;
    sbox_new(&x, 8 << 20, 5000);
    want_result(&x, "local n = 0 for i = 1, 100 do n = n + i end return tostring(n)", "5050");
    want_error(&x, "while true do end", "instruction budget of 5000 exceeded (infinite loop?)");
    assert_int_equal(x.sb.over, 1);
    /* Sticky: once over, every further instruction raises, so code run
     * before re-arming (as after a script's pcall) fails at once too. */
    lua_settop(x.L, 1);
    assert_int_equal(luaL_loadbufferx(x.L, "return 1", 8, "=t", "t"), LUA_OK);
    assert_int_equal(luaL_loadbufferx(x.L, "while true do end", 17, "=t", "t"), LUA_OK);
    ls_sandbox_arm(x.L);
    assert_int_not_equal(lua_pcall(x.L, 0, 0, 0), LUA_OK);
    lua_pop(x.L, 1);
    assert_int_not_equal(lua_pcall(x.L, 0, 1, 0), LUA_OK);
    assert_string_equal(lua_tostring(x.L, -1), "instruction budget of 5000 exceeded (infinite loop?)");
    ls_sandbox_disarm(x.L);
    /* a fresh call gets a fresh budget */
    want_result(&x, "return 'ok'", "ok");
    assert_int_equal(x.sb.over, 0);
    /* a long loop stops at the budget however many periods it spans */
    ls_sandbox_disarm(x.L);
    x.sb.budget = 25000;
    want_error(&x, "local n = 0 while true do n = n + 1 end",
               "instruction budget of 25000 exceeded (infinite loop?)");
    sbox_free(&x);
}

static void test_depth(void **state)
{
    (void)state;
    sbox x;
    sbox_new(&x, 8 << 20, 10000000);
    /* Infinite recursion ends at the memory cap (or the budget): no depth
     * limit of its own, which a call run without hooks could not see. */
    assert_int_equal(run(&x, "local function f(n) return 1 + f(n + 1) end return f(1)"), LUA_ERRMEM);
    want_result(&x, "local function f(n) if n == 0 then return 0 end return 1 + f(n - 1) end "
                    "return tostring(f(1500))",
                "1500");
    sbox_free(&x);
}

/* The allocator's pool of small blocks: tables and strings that grow and
 * shrink through the size classes and past the largest keep their
 * contents; the count goes back down when they are collected. */
static void test_pool(void **state)
{
    (void)state;
    sbox x;
    sbox_new(&x, 8 << 20, 100000000);
    lua_gc(x.L, LUA_GCCOLLECT);
    size_t before = x.sb.mem_used;
    /* t grows one element at a time (its array is resized from 1 slot to
     * 1024: from the pool to malloc), u shrinks back into the pool,
     * strings of every length up to 600 bytes */
    want_result(&x,
                "local t, s = {}, 0 "
                "for i = 1, 1000 do t[i] = i * 3 end "
                "for i = 1, 1000 do s = s + t[i] end "
                "local u = {} for i = 1, 300 do u['k' .. i] = i end "
                "for i = 1, 295 do u['k' .. i] = nil end "
                "for i = 301, 310 do u['k' .. i] = i end "
                "for k, v in pairs(u) do s = s + v end "
                "local w = {} for n = 1, 600 do w[n] = string.rep('x', n) end "
                "for n = 1, 600 do if #w[n] ~= n or w[n]:sub(-1) ~= 'x' then return 'bad' end end "
                "return tostring(s)",
                "1506045");
    lua_settop(x.L, 1);
    lua_gc(x.L, LUA_GCCOLLECT);
    assert_true(x.sb.mem_used <= before + 4096); /* the string table may have grown */
    assert_non_null(x.sb.pool.chunks);
    sbox_free(&x);
}

/* The memory cap: an allocation past it fails as a memory error of the
 * call, the state stays usable, and the count stays within the cap. */
static void test_memory_cap(void **state)
{
    (void)state;
    sbox x;
    sbox_new(&x, 1 << 20, 100000000);
    assert_true(x.sb.mem_used > 0);
    assert_true(x.sb.mem_used <= x.sb.mem_limit);
    assert_int_equal(run(&x, "local t = {} for i = 1, 1e7 do t[i] = i end return 1"), LUA_ERRMEM);
    assert_true(x.sb.mem_used <= x.sb.mem_limit);
    assert_int_equal(run(&x, "return ('x'):rep(4 << 20)"), LUA_ERRMEM);
    lua_settop(x.L, 1);
    lua_gc(x.L, LUA_GCCOLLECT);
    want_result(&x, "return ('x'):rep(3)", "xxx");
    sbox_free(&x);
    /* a cap too small for the state itself */
    ls_sandbox sb;
    assert_null(ls_sandbox_state_new(&sb, 64, 1000, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables_consistent),
        cmocka_unit_test(test_kept_set_is_the_table),
        cmocka_unit_test(test_removed_are_refused),
        cmocka_unit_test(test_replaced_behave),
        cmocka_unit_test(test_sort),
        cmocka_unit_test(test_no_addresses),
        cmocka_unit_test(test_charges),
        cmocka_unit_test(test_fast_calls),
        cmocka_unit_test(test_readonly),
        cmocka_unit_test(test_budget),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_memory_cap),
        cmocka_unit_test(test_pool),
    };
    return cmocka_run_group_tests_name("sandbox", tests, NULL, NULL);
}
