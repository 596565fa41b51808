/*
 * ls_sandbox_lib.c - the library functions the sandbox replaces: charged
 * library calls, plain-text string.find, the stable table.sort (see
 * ls_sandbox_lib.h; the table that hands them to rules is
 * ls_sandbox_replace in ls_sandbox.c).
 */
#include "ls_sandbox_lib.h"

#include <math.h>
#include <string.h>

#include <lauxlib.h>

/* string.find refuses searches whose naive cost (#s - #p) * #p exceeds this. */
#define FIND_WORK_LIMIT 100000000.0
/* table.move/insert/remove refuse tables or ranges longer than this: a table
 * whose border (#t) is 2^50 takes about a hundred entries, and the C loops
 * of those functions never reach the instruction hook. */
#define TABLE_LOOP_LIMIT 10000000

int ls_sandbox_lib_no_patterns(lua_State *L)
{
    return ls_sandbox_error(L, "%s is not available in rules (Lua patterns can run for minutes "
                               "inside one call); string.find searches plain text",
                            lua_tostring(L, lua_upvalueindex(1)));
}

/* string.find(s, text [, init]): plain-text search only. */
int ls_sandbox_lib_find(lua_State *L)
{
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    lua_Integer init = luaL_optinteger(L, 3, 1);
    size_t start;
    if (init > 0) start = (size_t)init;
    else if (init == 0) start = 1;
    else if (init < -(lua_Integer)ls) start = 1;
    else start = ls + (size_t)init + 1;
    start--; /* 0-based */
    if (start > ls) {
        lua_pushnil(L);
        return 1;
    }
    if (lp == 0) {
        lua_pushinteger(L, (lua_Integer)start + 1);
        lua_pushinteger(L, (lua_Integer)start);
        return 2;
    }
    size_t rest = ls - start;
    if (lp > rest) {
        lua_pushnil(L);
        return 1;
    }
    if ((double)(rest - lp) * (double)lp > FIND_WORK_LIMIT)
        return ls_sandbox_error(L, "string.find: searching %zu bytes for a text of %zu bytes is too much "
                                   "work for one call",
                                rest, lp);
    ls_sandbox_charge(L, (double)rest + (double)lp, "string.find");
    const char *h = s + start, *end = s + ls - lp;
    while (h <= end) {
        const char *c = memchr(h, p[0], (size_t)(end - h) + 1);
        if (!c) break;
        if (!memcmp(c, p, lp)) {
            lua_pushinteger(L, (lua_Integer)(c - s) + 1);
            lua_pushinteger(L, (lua_Integer)(c - s) + (lua_Integer)lp);
            return 2;
        }
        h = c + 1;
    }
    lua_pushnil(L);
    return 1;
}

/* ---- work inside library calls --------------------------------------- */

/* Call the original (upvalue 1; upvalue 2 is the full name) with all
 * arguments, charging the budget before for `pre` plus the arguments (one
 * unit each, and one a byte of each string) and after for the results,
 * the same way: a C call's work is proportional to what goes in and comes
 * out. */
static int charged_call(lua_State *L, double pre)
{
    const char *name = lua_tostring(L, lua_upvalueindex(2));
    int n = lua_gettop(L);
    double cost = pre + n;
    for (int i = 1; i <= n; i++)
        if (lua_type(L, i) == LUA_TSTRING) cost += (double)lua_rawlen(L, i);
    ls_sandbox_charge(L, cost, name);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, n, LUA_MULTRET);
    int r = lua_gettop(L);
    cost = r;
    for (int i = 1; i <= r; i++)
        if (lua_type(L, i) == LUA_TSTRING) cost += (double)lua_rawlen(L, i);
    ls_sandbox_charge(L, cost, name);
    return r;
}

/* A library member charged for the size of its arguments and results. */
int ls_sandbox_lib_charged(lua_State *L)
{
    return charged_call(L, 0);
}

/* string.rep(s, n [, sep]): charged for the string it would make, before
 * making it. */
int ls_sandbox_lib_rep(lua_State *L)
{
    size_t ls = 0, lsep = 0;
    luaL_checklstring(L, 1, &ls);
    lua_Integer n = luaL_checkinteger(L, 2);
    luaL_optlstring(L, 3, "", &lsep);
    return charged_call(L, n > 0 ? (double)n * ((double)ls + (double)lsep) : 0);
}

/* table.concat / table.unpack (t [, sep], i, j): charged for the range. */
int ls_sandbox_lib_range(lua_State *L)
{
    int concat = !strcmp(lua_tostring(L, lua_upvalueindex(2)), "table.concat");
    int ai = concat ? 3 : 2;
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_Integer i = luaL_optinteger(L, ai, 1);
    lua_Integer j = lua_isnoneornil(L, ai + 1) ? luaL_len(L, 1) : luaL_checkinteger(L, ai + 1);
    return charged_call(L, j >= i ? (double)j - (double)i + 1 : 0);
}

/* string.format(fmt, ...): '%p' prints a memory address and '%s' of a
 * table or function prints one (Lua's tostring): both would change the
 * results from run to run, so '%p' is refused and '%s' gets the text our
 * tostring gives. */
int ls_sandbox_lib_format(lua_State *L)
{
    size_t len;
    const char *f = luaL_checklstring(L, 1, &len), *end = f + len;
    int arg = 1, top = lua_gettop(L);
    for (const char *p = f; p < end; p++) {
        if (*p != '%') continue;
        if (++p < end && *p == '%') continue;
        while (p < end && *p && strchr("-+ #0123456789.", *p)) p++; /* flags, width, precision */
        if (p >= end) break;                                        /* the original reports it */
        arg++;
        if (*p == 'p')
            return ls_sandbox_error(L, "string.format: '%%p' prints a memory address, which changes "
                                       "from run to run");
        if (*p == 's' && arg <= top && lua_type(L, arg) != LUA_TSTRING) {
            ls_sandbox_push_text(L, arg);
            lua_replace(L, arg);
        }
    }
    return charged_call(L, 0);
}

/* Merge sort state: values at index `vals`, the order function (or none)
 * at index `comp`. */
typedef struct sorter {
    lua_State *L;
    int vals, comp;
} sorter;

/* Whether value x comes strictly before value y. */
static int sort_less(const sorter *st, lua_Integer x, lua_Integer y)
{
    lua_State *L = st->L;
    int r;
    if (st->comp) {
        lua_pushvalue(L, st->comp);
        lua_rawgeti(L, st->vals, x);
        lua_rawgeti(L, st->vals, y);
        lua_call(L, 2, 1);
        r = lua_toboolean(L, -1);
        lua_pop(L, 1);
    } else {
        lua_rawgeti(L, st->vals, x);
        lua_rawgeti(L, st->vals, y);
        r = lua_compare(L, -2, -1, LUA_OPLT);
        lua_pop(L, 2);
    }
    return r;
}

/* table.sort(t [, comp]): a stable bottom-up merge sort.  Lua's own
 * quicksort picks a random pivot from clock() and time() when partitions
 * are unbalanced, so with ties the order (and a score that depends on it)
 * changed from run to run; here equal elements keep their order, and an
 * order function that is not a strict order ("<=") is an error. */
int ls_sandbox_lib_sort(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    int has_comp = !lua_isnoneornil(L, 2);
    if (has_comp) luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_settop(L, 2);
    lua_Integer n = luaL_len(L, 1);
    if (n > TABLE_LOOP_LIMIT)
        return ls_sandbox_error(L, "table.sort: tables longer than %d elements are not available in rules",
                                TABLE_LOOP_LIMIT);
    if (n < 2) return 0;
    ls_sandbox_charge(L, (double)n * (log2((double)n) + 2), "table.sort");
    sorter st = {L, 3, has_comp ? 2 : 0};
    lua_createtable(L, (int)n, 0); /* 3: values */
    for (lua_Integer i = 1; i <= n; i++) {
        lua_geti(L, 1, i);
        lua_rawseti(L, 3, i);
    }
    /* positions into values; userdata, so an error in comp frees them */
    lua_Integer *a = lua_newuserdatauv(L, 2 * (size_t)n * sizeof *a, 0); /* 4 */
    lua_Integer *tmp = a + n;
    for (lua_Integer i = 0; i < n; i++) a[i] = i + 1;
    for (lua_Integer w = 1; w < n; w *= 2) {
        for (lua_Integer lo = 0; lo < n - w; lo += 2 * w) {
            lua_Integer mid = lo + w, hi = lo + 2 * w < n ? lo + 2 * w : n;
            if (!sort_less(&st, a[mid], a[mid - 1])) continue; /* already in order */
            lua_Integer i = lo, j = mid, k = lo;
            while (i < mid && j < hi) tmp[k++] = sort_less(&st, a[j], a[i]) ? a[j++] : a[i++];
            while (i < mid) tmp[k++] = a[i++];
            while (j < hi) tmp[k++] = a[j++];
            memcpy(a + lo, tmp + lo, (size_t)(hi - lo) * sizeof *a);
        }
    }
    for (lua_Integer i = 0; i + 1 < n; i++)
        if (sort_less(&st, a[i + 1], a[i]))
            return ls_sandbox_error(L, "table.sort: invalid order function: its answers contradict each "
                                       "other (on elements %lld and %lld of the table); an order function "
                                       "must be strict: a < b, not a <= b",
                                    (long long)(a[i] < a[i + 1] ? a[i] : a[i + 1]),
                                    (long long)(a[i] < a[i + 1] ? a[i + 1] : a[i]));
    for (lua_Integer i = 0; i < n; i++) {
        lua_rawgeti(L, 3, a[i]);
        lua_seti(L, 1, i + 1);
    }
    return 0;
}

int ls_sandbox_lib_move(lua_State *L)
{
    lua_Integer f = luaL_checkinteger(L, 2), e = luaL_checkinteger(L, 3);
    if (e >= f && (lua_Unsigned)e - (lua_Unsigned)f >= TABLE_LOOP_LIMIT)
        return ls_sandbox_error(L, "table.move: moving more than %d elements is not available in rules",
                                TABLE_LOOP_LIMIT);
    return charged_call(L, e >= f ? (double)e - (double)f + 1 : 0);
}

/* table.insert / table.remove (upvalue 2: the name). */
int ls_sandbox_lib_shift(lua_State *L)
{
    if (lua_type(L, 1) == LUA_TTABLE) {
        lua_Integer n = luaL_len(L, 1);
        if (n > TABLE_LOOP_LIMIT)
            return ls_sandbox_error(L, "%s: tables longer than %d elements are not available in rules",
                                    lua_tostring(L, lua_upvalueindex(2)), TABLE_LOOP_LIMIT);
        return charged_call(L, (double)n);
    }
    return charged_call(L, 0);
}
