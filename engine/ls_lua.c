/*
 * ls_lua.c - the Lua 5.4 rule backend (see ls_lua.h): one sandboxed
 * lua_State per backend runs the rule scripts bound to a scheme's leaves,
 * with the helper library rules/lawscore.lua compiled into the binary.
 *
 * What a script sees.  Each call runs the script's main chunk with an
 * empty environment table as its _ENV:
 *
 *     _ENV (per call)  --__index-->  G (shared, hidden)  --__index-->  error
 *
 * so a global a script sets lands in its own _ENV (replaced by a new one
 * after any call that set globals), and reading a name that is nowhere is
 * an error ("unknown name 'dta' (did you mean 'data'?)", or "'os' is not
 * available in rules ...").  G holds the allowed base functions, read-only
 * proxies of the string, math, table and utf8 libraries, the helpers (each
 * behind a C function, see setup), `stats`, `name_of`, `data` and `unit`
 * (proxies whose C __index reads the current call), and `item` and
 * `params` (read-only tables built once per leaf at bind time and swapped
 * into G when the leaf changes).  `pairs` and `next` walk tables in sorted
 * key order: Lua's own order follows string hashes, seeded per process.
 *
 * Read-only proxies are empty tables whose metatable has __index = the real
 * table, __newindex = an error, __len, __name and __proxy (the real table,
 * for our own `pairs` and `next`).  Scripts cannot reach a metatable: no
 * getmetatable, setmetatable, raw*, debug; the string metatable carries
 * __metatable.  So no finalizer can be installed either, and lua_close
 * cannot hang.  The library functions that give scripts the host or the
 * VM, or that can run for minutes inside one C call (Lua patterns, huge
 * table.move/insert/remove loops), are removed from or replaced in the
 * REAL library tables, because strings reach `string` through their
 * metatable.
 *
 * Limits: a lua_Alloc with a byte cap for the whole state; a count hook
 * that enforces the instruction budget of one call and a call depth,
 * sticky (once over, every further instruction raises again; scripts have
 * no pcall anyway).  Errors go through a C message handler that records
 * the message (without its "file:line:" prefix), the line in the rule
 * script (also for errors raised inside helpers) and a traceback of the
 * Lua frames, without allocating in Lua.  Every use of the Lua API that
 * can allocate runs under lua_pcall, so hitting the memory cap is an error
 * of that call, never a panic.
 *
 * Depends on: Lua 5.4 (the only file that includes lua.h), ls_rule,
 * ls_scheme, ls_data, ls_stats, ls_decimal, ls_util.
 */
#include "ls_lua.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "ls_util.h"

/* rules/lawscore.lua, embedded by the Makefile. */
extern const char ls_helpers_lua[];
extern const size_t ls_helpers_lua_len;

#define HELPERS_CHUNK "=lawscore.lua"
/* string.find refuses searches whose naive cost (#s - #p) * #p exceeds this. */
#define FIND_WORK_LIMIT 100000000.0
/* table.move/insert/remove refuse tables or ranges longer than this: a table
 * whose border (#t) is 2^50 takes about a hundred entries, and the C loops
 * of those functions never reach the instruction hook. */
#define TABLE_LOOP_LIMIT 10000000
/* The count hook fires every HOOK_PERIOD instructions (or fewer, to end
 * exactly at the budget) and then also checks the call depth: Lua itself
 * allows ~300 000 nested Lua calls, whose stack takes tens of MB and makes
 * every stack walk slow. */
#define HOOK_PERIOD 10000
#define MAX_DEPTH 200
/* Script-frame scan and traceback limits (lua_getstack is linear in the
 * level, so stack walks stay short). */
#define SCAN_LEVELS 64
#define TRACE_FRAMES 20
/* A failed script load, kept in the script cache so it is reported once. */
#define SCRIPT_FAILED (-2)

typedef struct luab {
    ls_backend base;             /* first: the engine sees only this */
    const ls_scheme *s;
    lua_State *L;
    size_t mem_used, mem_limit;
    long budget;                 /* instructions per call */
    long left;                   /* of the budget, before the current period */
    int period;                  /* instructions the hook is armed for */
    int over;                    /* the current call is over a limit: 1
                                    budget, 2 depth (sticky) */
    ls_rule_call *cur;           /* the call being evaluated, or NULL */
    int cur_node;                /* leaf whose item/params are in G, or -1 */
    int env_dirty;               /* the last call wrote globals */
    ls_coverage *cov;            /* line coverage (ls_lua_backend_cover), or NULL */
    const char *cov_src;         /* source of the last line event ... */
    int cov_file;                /* ... and its file in cov, -1 = not a rule */
    int *fn, *item, *params;     /* per node: registry refs, LUA_NOREF */
    ls_strmap scripts;           /* rule path -> ref of its compiled chunk */
    int ref_G, ref_env, ref_envmt;
    int ref_names;               /* helper function -> name, for tracebacks */
    int ref_walks;               /* table -> {sorted keys, key -> position}
                                    for next(), weak keys */
    const char **ids, **flags;   /* sorted indicator ids and flags (setup only) */
    /* caught by the message handler during the current call */
    char *e_msg, *e_trace;
    int e_line;
    /* lint's probe (ls_lua_backend_probe): unknown indicators go here */
    ls_lua_unknown_fn probe_fn;
    void *probe_ctx;
} luab;

static luab *backend_of(lua_State *L)
{
    return *(luab **)lua_getextraspace(L);
}

/* ---- memory and instruction limits ---------------------------------- */

static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    luab *b = ud;
    if (!ptr) osize = 0;   /* then osize holds the type of the new object */
    if (nsize == 0) {
        free(ptr);
        b->mem_used -= osize;
        return NULL;
    }
    if (nsize > osize && nsize - osize > b->mem_limit - b->mem_used) return NULL;
    void *p = realloc(ptr, nsize);
    if (!p) return NULL;
    b->mem_used = b->mem_used - osize + nsize;
    return p;
}

static void cover_line(lua_State *L, luab *b, lua_Debug *ar);

/* Hook mask: the instruction count, and lines when recording coverage
 * (one hook per state: count_hook serves both). */
static int hook_mask(const luab *b)
{
    return LUA_MASKCOUNT | (b->cov ? LUA_MASKLINE : 0);
}

static void count_hook(lua_State *L, lua_Debug *ar)
{
    luab *b = backend_of(L);
    if (ar->event == LUA_HOOKLINE) {
        cover_line(L, b, ar);
        return;
    }
    if (!b->over) {
        lua_Debug up;
        b->left -= b->period;
        if (b->left <= 0) b->over = 1;
        else if (lua_getstack(L, MAX_DEPTH, &up)) b->over = 2;
        if (!b->over) {
            b->period = b->left < HOOK_PERIOD ? (int)b->left : HOOK_PERIOD;
            lua_sethook(L, count_hook, hook_mask(b), b->period);
            return;
        }
        /* Sticky: from now on every instruction raises, so nothing in the
         * script can outlive the limit. */
        lua_sethook(L, count_hook, hook_mask(b), 1);
    }
    char msg[96];
    if (b->over == 2)
        snprintf(msg, sizeof msg, "call depth limit of %d exceeded (infinite recursion?)", MAX_DEPTH);
    else
        snprintf(msg, sizeof msg, "instruction budget of %ld exceeded (infinite loop?)", b->budget);
    lua_pushstring(L, msg);
    lua_error(L);
}

/* Start counting a budget of b->budget instructions. */
static void arm_budget(luab *b)
{
    b->over = 0;
    b->left = b->budget;
    b->period = b->left < HOOK_PERIOD ? (int)b->left : HOOK_PERIOD;
    lua_sethook(b->L, count_hook, hook_mask(b), b->period);
}

/* ---- small helpers --------------------------------------------------- */

/* Raise a Lua error with a formatted message (no position: the message
 * handler finds the script line itself). */
static int sb_error(lua_State *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int sb_error(lua_State *L, const char *fmt, ...)
{
    char buf[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    lua_pushstring(L, buf);
    return lua_error(L);
}

/* "nil", "a string", "a table", ... for messages. */
static const char *a_type(lua_State *L, int i)
{
    switch (lua_type(L, i)) {
    case LUA_TNONE:
    case LUA_TNIL: return "nil";
    case LUA_TBOOLEAN: return "a boolean";
    case LUA_TNUMBER: return "a number";
    case LUA_TSTRING: return "a string";
    case LUA_TTABLE: return "a table";
    case LUA_TFUNCTION: return "a function";
    case LUA_TTHREAD: return "a thread";
    default: return "a userdata";
    }
}

/* A table key as text for messages: the string itself, [3], or [a table]. */
static const char *key_text(lua_State *L, int i, char *buf, size_t size)
{
    if (lua_type(L, i) == LUA_TSTRING) snprintf(buf, size, "%s", lua_tostring(L, i));
    else if (lua_isinteger(L, i)) snprintf(buf, size, "[%lld]", (long long)lua_tointeger(L, i));
    else if (lua_type(L, i) == LUA_TNUMBER) snprintf(buf, size, "[%.14g]", lua_tonumber(L, i));
    else snprintf(buf, size, "[%s]", a_type(L, i));
    return buf;
}

/* Push a number as a Lua integer when it is one (so tostring(2) is "2",
 * not "2.0"), else as a float. */
static void push_num(lua_State *L, double x)
{
    if (x == floor(x) && fabs(x) < 9007199254740992.0) lua_pushinteger(L, (lua_Integer)x);
    else lua_pushnumber(L, x);
}

/* Nearest string key of table t to `name`, copied into out, or NULL. */
static const char *suggest_key(lua_State *L, int t, const char *name, char *out, size_t size)
{
    size_t best = (size_t)-1, len = strlen(name);
    t = lua_absindex(L, t);
    out[0] = '\0';
    lua_pushnil(L);
    while (lua_next(L, t)) {
        if (lua_type(L, -2) == LUA_TSTRING) {
            const char *k = lua_tostring(L, -2);
            size_t d = ls_edit_distance(name, k);
            if (d < best || (d == best && strcmp(k, out) < 0)) {
                best = d;
                snprintf(out, size, "%s", k);
            }
        }
        lua_pop(L, 1);
    }
    return best <= 2 && best < len ? out : NULL;
}

/* ---- read-only proxies ----------------------------------------------- */

static int ro_newindex(lua_State *L)
{
    char kb[128];
    const char *name = "table";
    if (lua_getmetatable(L, 1) && lua_getfield(L, -1, "__name") == LUA_TSTRING)
        name = lua_tostring(L, -1);
    return sb_error(L, "cannot change %s%s%s: %s is read-only", name,
                    lua_type(L, 2) == LUA_TSTRING ? "." : "", key_text(L, 2, kb, sizeof kb), name);
}

static int ro_len(lua_State *L)
{
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "__proxy");
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
    return 1;
}

/* Replace the table on top of the stack by a read-only proxy of it. */
static void make_readonly(lua_State *L, const char *name)
{
    int real = lua_gettop(L);
    lua_createtable(L, 0, 0);
    lua_createtable(L, 0, 6);
    lua_pushvalue(L, real);
    lua_setfield(L, -2, "__index");
    lua_pushvalue(L, real);
    lua_setfield(L, -2, "__proxy");
    lua_pushcfunction(L, ro_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushcfunction(L, ro_len);
    lua_setfield(L, -2, "__len");
    lua_pushstring(L, name);
    lua_setfield(L, -2, "__name");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_replace(L, real);
}

/* Give the table on top a metatable for a proxy whose values come from a
 * C __index (on the stack below the table, consumed); `keys` are what
 * `pairs` walks, sorted. */
static void make_cproxy(lua_State *L, const char *name, const char *const *keys, size_t nkeys)
{
    lua_createtable(L, 0, 6);                    /* mt */
    lua_rotate(L, -3, -1);                       /* t mt index -> ... */
    /* stack: t mt __index */
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, ro_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_createtable(L, (int)nkeys, 0);
    for (size_t i = 0; i < nkeys; i++) {
        lua_pushstring(L, keys[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "__keys");
    lua_pushstring(L, name);
    lua_setfield(L, -2, "__name");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
}

/* ---- pairs (sorted) and next ----------------------------------------- */

typedef struct sort_key {
    int cls;            /* 0 number, 1 string, 2 boolean, 3 other */
    int isint;
    lua_Integer i;
    double d;
    const char *s;
    size_t len;
    lua_Integer idx;    /* position in the unsorted key list */
} sort_key;

static int key_cmp(const void *pa, const void *pb)
{
    const sort_key *a = pa, *b = pb;
    if (a->cls != b->cls) return a->cls < b->cls ? -1 : 1;
    switch (a->cls) {
    case 0:
        if (a->isint && b->isint) {
            if (a->i != b->i) return a->i < b->i ? -1 : 1;
        } else {
            double x = a->isint ? (double)a->i : a->d, y = b->isint ? (double)b->i : b->d;
            if (x != y) return x < y ? -1 : 1;
        }
        break;
    case 1: {
        size_t n = a->len < b->len ? a->len : b->len;
        int c = memcmp(a->s, b->s, n);
        if (c) return c;
        if (a->len != b->len) return a->len < b->len ? -1 : 1;
        break;
    }
    case 2:
        if (a->i != b->i) return a->i < b->i ? -1 : 1;
        break;
    default:
        break;
    }
    return (a->idx > b->idx) - (a->idx < b->idx);
}

/* What pairs and next walk for the table at index 1: pushes the table to
 * read values from (the real table behind a read-only proxy, else the
 * table itself) and, for proxies whose values come from C (data, unit),
 * their sorted key list; returns 1 in that case (values are then read
 * through the proxy), else 0 (values are read raw). */
static int walk_source(lua_State *L)
{
    if (lua_getmetatable(L, 1)) {
        if (lua_getfield(L, -1, "__proxy") == LUA_TTABLE) {
            lua_remove(L, -2);
            return 0;
        }
        lua_pop(L, 1);
        if (lua_getfield(L, -1, "__keys") == LUA_TTABLE) {
            lua_pushvalue(L, 1);
            lua_replace(L, -3);
            return 1;
        }
        lua_pop(L, 2);
    }
    lua_pushvalue(L, 1);
    return 0;
}

/* Push the keys of the table at `src`, sorted: numbers ascending, then
 * strings bytewise, then booleans, then other keys in traversal order. */
static void push_sorted_keys(lua_State *L, int src)
{
    src = lua_absindex(L, src);
    lua_newtable(L);                                           /* keys */
    int keys = lua_gettop(L);
    lua_Integer n = 0;
    lua_pushnil(L);
    while (lua_next(L, src)) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_rawseti(L, keys, ++n);
    }
    lua_createtable(L, n > INT_MAX ? 0 : (int)n, 0);           /* sorted */
    int sorted = keys + 1;
    if (n > 0) {
        sort_key *e = lua_newuserdatauv(L, (size_t)n * sizeof *e, 0);
        for (lua_Integer i = 1; i <= n; i++) {
            sort_key *k = &e[i - 1];
            memset(k, 0, sizeof *k);
            k->idx = i;
            int t = lua_rawgeti(L, keys, i);
            if (t == LUA_TNUMBER) {
                k->cls = 0;
                k->isint = lua_isinteger(L, -1);
                if (k->isint) k->i = lua_tointeger(L, -1);
                else k->d = lua_tonumber(L, -1);
            } else if (t == LUA_TSTRING) {
                k->cls = 1;
                k->s = lua_tolstring(L, -1, &k->len);   /* anchored in keys */
            } else if (t == LUA_TBOOLEAN) {
                k->cls = 2;
                k->i = lua_toboolean(L, -1);
            } else {
                k->cls = 3;
            }
            lua_pop(L, 1);
        }
        qsort(e, (size_t)n, sizeof *e, key_cmp);
        for (lua_Integer i = 1; i <= n; i++) {
            lua_rawgeti(L, keys, e[i - 1].idx);
            lua_rawseti(L, sorted, i);
        }
        lua_pop(L, 1);
    }
    lua_remove(L, keys);
}

/* Push the value of the key on top (kept) from the table at `t`. */
static void walk_value(lua_State *L, int t, int through)
{
    lua_pushvalue(L, -1);
    if (through) lua_gettable(L, t);
    else lua_rawget(L, t);
}

/* upvalues: the table values are read from, the sorted keys, the
 * position, whether to read through metamethods */
static int pairs_iter(lua_State *L)
{
    lua_Integer i = lua_tointeger(L, lua_upvalueindex(3));
    int through = lua_toboolean(L, lua_upvalueindex(4));
    for (;;) {
        if (lua_rawgeti(L, lua_upvalueindex(2), ++i) == LUA_TNIL) {
            lua_pushinteger(L, i - 1);
            lua_replace(L, lua_upvalueindex(3));
            return 1;
        }
        walk_value(L, lua_upvalueindex(1), through);
        if (!lua_isnil(L, -1)) {
            lua_pushinteger(L, i);
            lua_replace(L, lua_upvalueindex(3));
            return 2;
        }
        lua_pop(L, 2);
    }
}

/* pairs(t): the keys of t in a fixed order, so a rule that walks a table
 * gives the same reasons on every run (Lua's own order depends on string
 * hashes, which are seeded randomly per process). */
static int sb_pairs(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    int through = walk_source(L);                              /* 2 (, 3) */
    if (!through) push_sorted_keys(L, 2);                      /* 3 */
    lua_pushinteger(L, 0);
    lua_pushboolean(L, through);
    lua_pushcclosure(L, pairs_iter, 4);
    return 1;
}

/* next(t [, k]): the key after k in the order pairs uses.  The sorted keys
 * of a table are kept (in a weak table) from next(t) to the end of the
 * walk; next(t) with no key starts a walk and sorts again. */
static int sb_next(lua_State *L)
{
    luab *b = backend_of(L);
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    int through = walk_source(L);                              /* 3 (, 4) */
    int src = 3;
    lua_rawgeti(L, LUA_REGISTRYINDEX, b->ref_walks);
    int walks = lua_gettop(L);
    int fresh = lua_isnil(L, 2);
    for (int pass = 0; pass < 2; pass++) {
        lua_settop(L, walks);
        int keys = walks + 1, pos = walks + 2;
        if (!fresh) {
            lua_pushvalue(L, 1);
            if (lua_rawget(L, walks) != LUA_TTABLE) {
                fresh = 1;
                lua_pop(L, 1);
            } else {
                lua_rawgeti(L, keys, 1);
                lua_rawgeti(L, keys, 2);
                lua_remove(L, keys);
            }
        }
        if (fresh) {
            if (through) lua_pushvalue(L, 4);
            else push_sorted_keys(L, src);                     /* keys */
            lua_Integer n = (lua_Integer)lua_rawlen(L, keys);
            lua_createtable(L, 0, n > INT_MAX ? 0 : (int)n);   /* pos */
            for (lua_Integer i = 1; i <= n; i++) {
                lua_rawgeti(L, keys, i);
                lua_pushinteger(L, i);
                lua_rawset(L, pos);
            }
            lua_pushvalue(L, 1);
            lua_createtable(L, 2, 0);
            lua_pushvalue(L, keys);
            lua_rawseti(L, -2, 1);
            lua_pushvalue(L, pos);
            lua_rawseti(L, -2, 2);
            lua_rawset(L, walks);
        }
        lua_Integer i = 0;
        if (!lua_isnil(L, 2)) {
            lua_pushvalue(L, 2);
            if (lua_rawget(L, pos) != LUA_TNUMBER) {
                if (!fresh) {          /* a key added since the walk began */
                    fresh = 1;
                    continue;
                }
                return sb_error(L, "invalid key to 'next'");
            }
            i = lua_tointeger(L, -1);
            lua_pop(L, 1);
        }
        for (;;) {
            if (lua_rawgeti(L, keys, ++i) == LUA_TNIL) {
                lua_pushnil(L);
                return 1;
            }
            walk_value(L, src, through);
            if (!lua_isnil(L, -1)) return 2;
            lua_pop(L, 2);
        }
    }
    return sb_error(L, "invalid key to 'next'");
}

/* print(...): to stderr, prefixed with the rule's path, for debugging. */
static int sb_print(lua_State *L)
{
    luab *b = backend_of(L);
    const char *path = b->cur ? b->s->nodes[b->cur->node].rule.path : "lawscore.lua";
    int n = lua_gettop(L);
    luaL_Buffer buf;
    luaL_buffinit(L, &buf);
    luaL_addstring(&buf, path);
    luaL_addstring(&buf, ": ");
    for (int i = 1; i <= n; i++) {
        if (i > 1) luaL_addchar(&buf, '\t');
        luaL_tolstring(L, i, NULL);
        luaL_addvalue(&buf);
    }
    luaL_addchar(&buf, '\n');
    luaL_pushresult(&buf);
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    fwrite(s, 1, len, stderr);
    fflush(stderr);
    return 0;
}

/* ---- unknown and forbidden names ------------------------------------- */

static const struct forbidden {
    const char *name;
    int why;
} forbidden[] = {
    {"os", 0}, {"io", 0}, {"package", 0}, {"require", 0}, {"load", 0},
    {"loadfile", 0}, {"dofile", 0}, {"loadstring", 0}, {"module", 0},
    {"debug", 1}, {"collectgarbage", 1}, {"setmetatable", 1},
    {"getmetatable", 1}, {"rawset", 1}, {"rawget", 1}, {"rawequal", 1},
    {"rawlen", 1}, {"coroutine", 1}, {"_G", 1},
    {"pcall", 2}, {"xpcall", 2},
    {"string.dump", 1}, {"math.random", 3}, {"math.randomseed", 3},
};

static const char *const forbidden_why[] = {
    "the sandbox gives rules no files, processes, network or modules",
    "rules cannot reach into the Lua machinery",
    "an error always stops the rule and is reported",
    "scores must be the same on every run",
};

static int forbidden_error(lua_State *L, const char *name)
{
    for (size_t i = 0; i < sizeof forbidden / sizeof *forbidden; i++)
        if (!strcmp(forbidden[i].name, name))
            return sb_error(L, "'%s' is not available in rules (%s)", name,
                            forbidden_why[forbidden[i].why]);
    return 0;
}

/* G's __index: reading a global that is nowhere. */
static int global_index(lua_State *L)
{
    if (lua_type(L, 2) != LUA_TSTRING) {
        char kb[128];
        return sb_error(L, "unknown name %s", key_text(L, 2, kb, sizeof kb));
    }
    const char *name = lua_tostring(L, 2);
    forbidden_error(L, name);
    char sug[128];
    if (suggest_key(L, 1, name, sug, sizeof sug))
        return sb_error(L, "unknown name '%s' (did you mean '%s'?)", name, sug);
    return sb_error(L, "unknown name '%s'", name);
}

/* G's __newindex: only the helper library could get here (scripts write
 * into their own _ENV); it must keep no state between calls. */
static int global_newindex(lua_State *L)
{
    char kb[128];
    return sb_error(L, "internal error: the helper library set global '%s'",
                    key_text(L, 2, kb, sizeof kb));
}

/* __index of a real library table (upvalue 1: the library's name): a
 * member that is not there. */
static int lib_index(lua_State *L)
{
    const char *lib = lua_tostring(L, lua_upvalueindex(1));
    char kb[128], full[200], sug[128];
    key_text(L, 2, kb, sizeof kb);
    snprintf(full, sizeof full, "%s.%s", lib, kb);
    forbidden_error(L, full);
    if (lua_type(L, 2) == LUA_TSTRING && suggest_key(L, 1, kb, sug, sizeof sug))
        return sb_error(L, "unknown name '%s' (did you mean '%s.%s'?)", full, lib, sug);
    return sb_error(L, "unknown name '%s'", full);
}

/* ---- replaced library functions -------------------------------------- */

static int str_no_patterns(lua_State *L)
{
    return sb_error(L, "string.%s is not available in rules (Lua patterns can run for minutes "
                       "inside one call); string.find searches plain text",
                    lua_tostring(L, lua_upvalueindex(1)));
}

/* string.find(s, text [, init]): plain-text search only. */
static int str_find_plain(lua_State *L)
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
    start--;                                      /* 0-based */
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
        return sb_error(L, "string.find: searching %zu bytes for a text of %zu bytes is too much "
                           "work for one call", rest, lp);
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

/* Call the function in upvalue 1 (an original library function, or a
 * helper) with all arguments, returning all its results. */
static int call_upvalue(lua_State *L)
{
    int n = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, n, LUA_MULTRET);
    return lua_gettop(L);
}

static int tab_move(lua_State *L)
{
    lua_Integer f = luaL_checkinteger(L, 2), e = luaL_checkinteger(L, 3);
    if (e >= f && (lua_Unsigned)e - (lua_Unsigned)f >= TABLE_LOOP_LIMIT)
        return sb_error(L, "table.move: moving more than %d elements is not available in rules",
                        TABLE_LOOP_LIMIT);
    return call_upvalue(L);
}

/* table.insert / table.remove (upvalue 2: the name). */
static int tab_shift(lua_State *L)
{
    if (lua_type(L, 1) == LUA_TTABLE) {
        lua_Integer n = luaL_len(L, 1);
        if (n > TABLE_LOOP_LIMIT)
            return sb_error(L, "table.%s: tables longer than %d elements are not available in rules",
                            lua_tostring(L, lua_upvalueindex(2)), TABLE_LOOP_LIMIT);
    }
    return call_upvalue(L);
}

/* ---- data, unit, stats, name_of --------------------------------------- */

static void push_value(lua_State *L, const ls_value *v)
{
    if (!v->set) {
        lua_pushnil(L);
        return;
    }
    switch (v->type) {
    case LS_T_BOOLEAN: lua_pushboolean(L, v->num != 0); break;
    case LS_T_ENUM:
    case LS_T_TEXT:
        if (v->str) lua_pushstring(L, v->str);
        else lua_pushnil(L);
        break;
    default: push_num(L, v->num); break;
    }
}

/* Probing (ls_lua_backend_probe): hand the unknown indicator named at
 * `arg` and the rule script's line to the probe function.  Returns -1. */
static int probe_unknown(lua_State *L, int arg)
{
    luab *b = backend_of(L);
    char kb[128];
    lua_Debug ar;
    int line = 0;
    for (int level = 0; level <= SCAN_LEVELS && lua_getstack(L, level, &ar); level++) {
        lua_getinfo(L, "Sl", &ar);
        if (ar.source[0] == '@' && ar.currentline > 0) {
            line = ar.currentline;
            break;
        }
    }
    b->probe_fn(b->probe_ctx, key_text(L, arg, kb, sizeof kb), line);
    return -1;
}

/* Index of the indicator named by the value at `arg` (upvalue 1: the
 * id -> index table), or an error suggesting the nearest id (while
 * probing: -1, see probe_unknown). */
static int check_indicator(lua_State *L, int arg)
{
    lua_pushvalue(L, arg);
    if (lua_rawget(L, lua_upvalueindex(1)) == LUA_TNUMBER) {
        int ind = (int)lua_tointeger(L, -1);
        lua_pop(L, 1);
        return ind;
    }
    lua_pop(L, 1);
    if (backend_of(L)->probe_fn) return probe_unknown(L, arg);
    if (lua_type(L, arg) != LUA_TSTRING) {
        char kb[128];
        return sb_error(L, "unknown indicator %s (indicators are named by their catalogue id)",
                        key_text(L, arg, kb, sizeof kb));
    }
    const char *id = lua_tostring(L, arg);
    const char *sug = ls_scheme_suggest_indicator(backend_of(L)->s, id);
    if (sug) return sb_error(L, "unknown indicator '%s' (did you mean '%s'?)", id, sug);
    return sb_error(L, "unknown indicator '%s'", id);
}

static int data_index(lua_State *L)
{
    int ind = check_indicator(L, 2);
    ls_rule_call *c = backend_of(L)->cur;
    if (ind < 0 || !c || !c->data) return 0;
    if (c->reads) c->reads[ind] = 1;
    push_value(L, ls_dataset_get(c->data, (size_t)c->unit, (size_t)ind));
    return 1;
}

static const char *const unit_keys[] = {"flags", "group", "group_name", "id", "name"};

static int unit_index(lua_State *L)
{
    luab *b = backend_of(L);
    const char *k = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : NULL;
    int which = -1;
    for (int i = 0; k && i < 5; i++)
        if (!strcmp(k, unit_keys[i])) which = i;
    if (which < 0) {
        char kb[128];
        const char *best = NULL;
        size_t bestd = 3;
        for (int i = 0; k && i < 5; i++) {
            size_t d = ls_edit_distance(k, unit_keys[i]);
            if (d < bestd && d < strlen(k)) { bestd = d; best = unit_keys[i]; }
        }
        key_text(L, 2, kb, sizeof kb);
        if (best) return sb_error(L, "unknown field 'unit.%s' (did you mean 'unit.%s'?)", kb, best);
        return sb_error(L, "unknown field 'unit.%s' (a unit has id, name, group, group_name and flags)", kb);
    }
    if (!b->cur) return 0;
    const ls_unit *u = &b->s->units[b->cur->unit];
    switch (which) {
    case 0: lua_pushvalue(L, lua_upvalueindex(1)); break;
    case 1: lua_pushstring(L, b->s->groups[u->group].id); break;
    case 2: lua_pushstring(L, b->s->groups[u->group].name); break;
    case 3: lua_pushstring(L, u->id); break;
    default: lua_pushstring(L, u->name); break;
    }
    return 1;
}

static int flags_index(lua_State *L)
{
    luab *b = backend_of(L);
    const ls_scheme *s = b->s;
    const char *k = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : NULL;
    for (size_t i = 0; k && i < s->nflags; i++) {
        if (strcmp(k, s->flags[i])) continue;
        if (!b->cur) return 0;
        lua_pushboolean(L, (s->units[b->cur->unit].flags >> i) & 1);
        return 1;
    }
    char kb[128];
    key_text(L, 2, kb, sizeof kb);
    const char *best = NULL;
    size_t bestd = 3;
    for (size_t i = 0; k && i < s->nflags; i++) {
        size_t d = ls_edit_distance(k, s->flags[i]);
        if (d < bestd && d < strlen(k)) { bestd = d; best = s->flags[i]; }
    }
    if (best) return sb_error(L, "unknown flag '%s' (did you mean '%s'?)", kb, best);
    return sb_error(L, "unknown flag '%s' (the scheme declares its flags under 'flags:')", kb);
}

/* stats(id): statistics of indicator id over the unit's group. */
static int sb_stats(lua_State *L)
{
    int ind = check_indicator(L, 1);
    ls_rule_call *c = backend_of(L)->cur;
    if (ind < 0) {                                  /* probing */
        lua_createtable(L, 0, 2);
        lua_pushinteger(L, 0);
        lua_setfield(L, -2, "count");
        lua_pushinteger(L, 0);
        lua_setfield(L, -2, "sum");
        return 1;
    }
    if (!c || !c->stats)
        return sb_error(L, "stats() is not available here (no group statistics were given)");
    const ls_scheme *s = backend_of(L)->s;
    const ls_stat *st = ls_stats_get(c->stats, s->units[c->unit].group, ind);
    if (c->reads) c->reads[ind] = 1;
    lua_createtable(L, 0, 7);
    lua_pushinteger(L, (lua_Integer)st->count);
    lua_setfield(L, -2, "count");
    lua_pushinteger(L, 0);
    lua_setfield(L, -2, "sum");
    if (st->count) {
        push_num(L, st->min);
        lua_setfield(L, -2, "min");
        push_num(L, st->max);
        lua_setfield(L, -2, "max");
        push_num(L, st->mean);
        lua_setfield(L, -2, "mean");
        push_num(L, st->sum);
        lua_setfield(L, -2, "sum");
    }
    int r = ls_stats_rank(c->stats, c->unit, ind, 1);
    if (r > 0) {
        lua_pushinteger(L, r);
        lua_setfield(L, -2, "rank");
    }
    r = ls_stats_rank(c->stats, c->unit, ind, 0);
    if (r > 0) {
        lua_pushinteger(L, r);
        lua_setfield(L, -2, "rank_asc");
    }
    return 1;
}

static int sb_name_of(lua_State *L)
{
    int ind = check_indicator(L, 1);
    if (ind < 0) {                                  /* probing */
        lua_pushvalue(L, 1);
        return 1;
    }
    lua_pushstring(L, backend_of(L)->s->inds[ind].name);
    return 1;
}

/* ---- the message handler ---------------------------------------------- */

static void clear_pending(luab *b)
{
    free(b->e_msg);
    free(b->e_trace);
    b->e_msg = b->e_trace = NULL;
    b->e_line = 0;
}

/* Length of a "short_src:LINE: " prefix of msg, or 0. */
static size_t position_prefix(const char *msg, const char *src)
{
    size_t n = strlen(src);
    if (!n || strncmp(msg, src, n) || msg[n] != ':') return 0;
    const char *p = msg + n + 1;
    if (*p < '0' || *p > '9') return 0;
    while (*p >= '0' && *p <= '9') p++;
    if (p[0] != ':' || p[1] != ' ') return 0;
    return (size_t)(p + 2 - msg);
}

/* Add a Lua frame to the traceback; 0 for a C frame (left out). */
static int trace_frame(lua_State *L, lua_Debug *ar, ls_buf *t)
{
    luab *b = backend_of(L);
    lua_getinfo(L, "Slnt", ar);
    if (*ar->what == 'C') return 0;
    if (ar->currentline > 0) ls_buf_printf(t, "\n\t%s:%d: in ", ar->short_src, ar->currentline);
    else ls_buf_printf(t, "\n\t%s: in ", ar->short_src);
    const char *helper = NULL;
    int pushed = 0;
    if (!ar->name && b->ref_names != LUA_NOREF) {
        /* A helper called by a rule through its C wrapper: name it. */
        lua_rawgeti(L, LUA_REGISTRYINDEX, b->ref_names);
        lua_getinfo(L, "f", ar);
        if (lua_rawget(L, -2) == LUA_TSTRING) helper = lua_tostring(L, -1);
        pushed = 2;
    }
    if (*ar->what == 'm') ls_buf_puts(t, "main chunk");
    else if (ar->name && *ar->namewhat) ls_buf_printf(t, "function '%s'", ar->name);
    else if (helper) ls_buf_printf(t, "function '%s'", helper);
    else ls_buf_printf(t, "function <%s:%d>", ar->short_src, ar->linedefined);
    if (ar->istailcall) ls_buf_puts(t, "\n\t(...tail calls...)");
    lua_pop(L, pushed);
    return 1;
}

/* Runs at the point of the error, with the stack intact.  Allocates
 * nothing in Lua (an out-of-memory error never gets here), never calls
 * __tostring of the error object. */
static int msgh(lua_State *L)
{
    luab *b = backend_of(L);
    char buf[128];
    const char *msg;
    if (lua_type(L, 1) == LUA_TSTRING) {
        msg = lua_tostring(L, 1);
    } else if (lua_type(L, 1) == LUA_TNUMBER) {
        if (lua_isinteger(L, 1)) snprintf(buf, sizeof buf, "%lld", (long long)lua_tointeger(L, 1));
        else snprintf(buf, sizeof buf, "%.14g", lua_tonumber(L, 1));
        msg = buf;
    } else {
        snprintf(buf, sizeof buf, "error object is %s value",
                 lua_type(L, 1) == LUA_TNIL ? "a nil" : a_type(L, 1));
        msg = buf;
    }
    /* The innermost frame of a rule script gives the line (errors raised
     * inside helpers point at the rule line that called the helper); a
     * leading "file:line: " of any frame is dropped from the message. */
    lua_Debug ar;
    int line = 0, stripped = 0;
    for (int level = 1; level <= SCAN_LEVELS && lua_getstack(L, level, &ar); level++) {
        lua_getinfo(L, "Sl", &ar);
        if (*ar.what == 'C') continue;
        if (!stripped) {
            size_t n = position_prefix(msg, ar.short_src);
            if (n) {
                msg += n;
                stripped = 1;
            }
        }
        if (!line && ar.source[0] == '@' && ar.currentline > 0) line = ar.currentline;
    }
    ls_buf t;
    ls_buf_init(&t);
    ls_buf_puts(&t, "stack traceback:");
    int shown = 0;
    for (int level = 1; level <= SCAN_LEVELS * 4 && lua_getstack(L, level, &ar); level++) {
        if (shown == TRACE_FRAMES) {
            ls_buf_puts(&t, "\n\t...");
            break;
        }
        shown += trace_frame(L, &ar, &t);
    }
    clear_pending(b);
    b->e_msg = ls_xstrdup(msg);
    b->e_line = line;
    if (shown) {
        b->e_trace = t.p;
    } else {   /* no script frame to show (e.g. a bad return value) */
        ls_buf_cleanup(&t);
        b->e_trace = NULL;
    }
    lua_settop(L, 1);
    return 1;
}

/* ---- one call ---------------------------------------------------------- */

/* Add the reasons at index i (nil, a string or a list of strings). */
static void take_reasons(lua_State *L, int i, ls_rule_call *c, const char *what)
{
    size_t len;
    const char *s;
    switch (lua_type(L, i)) {
    case LUA_TNIL:
        return;
    case LUA_TSTRING:
        s = lua_tolstring(L, i, &len);
        ls_strlist_add(&c->reasons, s, len);
        return;
    case LUA_TTABLE: {
        lua_Integer n = (lua_Integer)lua_rawlen(L, i);
        for (lua_Integer k = 1; k <= n; k++) {
            if (lua_rawgeti(L, i, k) != LUA_TSTRING)
                sb_error(L, "reason %lld is %s (expected a string)", (long long)k, a_type(L, -1));
            lua_pop(L, 1);
        }
        for (lua_Integer k = 1; k <= n; k++) {
            lua_rawgeti(L, i, k);
            s = lua_tolstring(L, -1, &len);
            ls_strlist_add(&c->reasons, s, len);
            lua_pop(L, 1);
        }
        return;
    }
    default:
        sb_error(L, "%s is %s (expected a reason: a string or a list of strings)", what, a_type(L, i));
    }
}

/* The score at index i: a finite number, or for veto items a boolean. */
static double take_score(lua_State *L, int i, int veto, const char *what)
{
    int t = lua_type(L, i);
    if (t == LUA_TBOOLEAN && veto) return lua_toboolean(L, i) ? 1 : 0;
    if (t != LUA_TNUMBER)
        sb_error(L, "%s %s (expected a number%s)", what, a_type(L, i), veto ? " or true/false" : "");
    double x = lua_tonumber(L, i);
    if (isnan(x)) sb_error(L, "%s NaN", what);
    if (!isfinite(x)) sb_error(L, "%s an infinite number", what);
    return x;
}

/* Run the current call's rule (under lua_pcall) and convert its results. */
static int run_call(lua_State *L)
{
    luab *b = backend_of(L);
    ls_rule_call *c = b->cur;
    int node = c->node;
    lua_settop(L, 0);
    if (node != b->cur_node) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, b->ref_G);
        lua_pushliteral(L, "item");
        lua_rawgeti(L, LUA_REGISTRYINDEX, b->item[node]);
        lua_rawset(L, 1);
        lua_pushliteral(L, "params");
        lua_rawgeti(L, LUA_REGISTRYINDEX, b->params[node]);
        lua_rawset(L, 1);
        lua_settop(L, 0);
        b->cur_node = node;
    }
    if (b->env_dirty) {
        lua_createtable(L, 0, 0);
        lua_rawgeti(L, LUA_REGISTRYINDEX, b->ref_envmt);
        lua_setmetatable(L, -2);
        lua_rawseti(L, LUA_REGISTRYINDEX, b->ref_env);
        b->env_dirty = 0;
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, b->fn[node]);
    lua_rawgeti(L, LUA_REGISTRYINDEX, b->ref_env);
    lua_setupvalue(L, 1, 1);                        /* the chunk's _ENV */
    lua_call(L, 0, LUA_MULTRET);

    int n = lua_gettop(L);
    int veto = b->s->nodes[node].section == LS_SEC_VETO;
    if (n == 0) return sb_error(L, "rule returned nothing (expected a score)");
    if (n > 2) return sb_error(L, "rule returned %d values (expected a score and its reasons)", n);
    if (lua_type(L, 1) == LUA_TTABLE) {
        lua_pushliteral(L, "score");
        lua_rawget(L, 1);
        if (lua_isnil(L, -1))
            return sb_error(L, "rule returned a table without a 'score' (a result looks like "
                               "{score = 3, reasons = {...}})");
        c->value = take_score(L, lua_gettop(L), veto, "rule returned a result whose score is");
        lua_pushliteral(L, "reasons");
        lua_rawget(L, 1);
        take_reasons(L, lua_gettop(L), c, "the result's 'reasons'");
        lua_settop(L, n);
    } else {
        c->value = take_score(L, 1, veto, "rule returned");
    }
    if (n == 2) take_reasons(L, 2, c, "the second value returned");
    return 0;
}

static const char *mb_text(size_t bytes, char *buf, size_t size)
{
    snprintf(buf, size, "%g", (double)bytes / (1 << 20));
    return buf;
}

static int luab_call(ls_backend *self, ls_rule_call *c)
{
    luab *b = (luab *)self;
    const ls_scheme *s = b->s;
    if (c->node < 0 || (size_t)c->node >= s->nnodes || b->fn[c->node] == LUA_NOREF)
        return ls_rule_call_fail(c, NULL, 0, "internal error: the rule of node %d is not bound", c->node);
    if (c->unit < 0 || (size_t)c->unit >= s->nunits)
        return ls_rule_call_fail(c, NULL, 0, "internal error: no unit %d", c->unit);
    lua_State *L = b->L;
    const char *path = s->nodes[c->node].rule.path;
    b->cur = c;
    clear_pending(b);
    lua_settop(L, 0);
    lua_pushcfunction(L, msgh);
    lua_pushcfunction(L, run_call);
    arm_budget(b);
    int st = lua_pcall(L, 0, 0, 1);
    lua_sethook(L, NULL, 0, 0);
    lua_settop(L, 0);
    /* A call that set globals leaves them in its _ENV: the next call gets
     * a new one.  Most rules only use locals and reuse the empty table. */
    lua_rawgeti(L, LUA_REGISTRYINDEX, b->ref_env);
    lua_pushnil(L);
    if (lua_next(L, 1)) b->env_dirty = 1;
    lua_settop(L, 0);
    b->cur = NULL;
    if (st == LUA_OK) return 0;

    ls_strlist_cleanup(&c->reasons);
    c->value = 0;
    if (st == LUA_ERRMEM) {
        char mb[32];
        clear_pending(b);
        lua_gc(L, LUA_GCCOLLECT);
        return ls_rule_call_fail(c, path, 0, "memory limit of %s MB exceeded",
                                 mb_text(b->mem_limit, mb, sizeof mb));
    }
    if (!b->e_msg) {
        clear_pending(b);
        return ls_rule_call_fail(c, path, 0, "error while handling an error (stack overflow?)");
    }
    ls_rule_call_fail(c, path, b->e_line, "%s", b->e_msg);
    free(c->err_trace);
    c->err_trace = b->e_trace;
    b->e_trace = NULL;
    clear_pending(b);
    if (b->over) lua_gc(L, LUA_GCCOLLECT);
    return -1;
}

/* ---- coverage (lawscore test --coverage) ---------------------------------- */

/* A line event: mark the line if it belongs to a rule script. */
static void cover_line(lua_State *L, luab *b, lua_Debug *ar)
{
    if (!lua_getinfo(L, "S", ar)) return;
    if (ar->source != b->cov_src) {
        b->cov_src = ar->source;
        b->cov_file = ar->source[0] == '@' ? ls_coverage_find(b->cov, ar->source + 1) : -1;
    }
    if (b->cov_file >= 0 && ar->currentline > 0) ls_coverage_hit(b->cov, b->cov_file, ar->currentline);
}

static int dump_writer(lua_State *L, const void *p, size_t n, void *ud)
{
    (void)L;
    ls_buf_add(ud, p, n);
    return 0;
}

/* Under lua_pcall: the active lines of the function at index 1, file
 * index at 2.  Only when the bytecode cannot be read: it misses the lines
 * of nested functions. */
static int active_lines(lua_State *L)
{
    luab *b = backend_of(L);
    int file = (int)lua_tointeger(L, 2);
    lua_Debug ar;
    lua_settop(L, 1);
    lua_getinfo(L, ">L", &ar);                  /* the function -> its lines */
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        if (lua_isinteger(L, -2)) ls_coverage_code(b->cov, file, (int)lua_tointeger(L, -2));
        lua_pop(L, 1);
    }
    return 0;
}

/* Record which lines of a freshly compiled script hold code. */
static void cover_chunk(luab *b, const char *path, int fn_ref)
{
    lua_State *L = b->L;
    int file = ls_coverage_file(b->cov, path);
    ls_buf code;
    ls_buf_init(&code);
    lua_settop(L, 0);
    lua_rawgeti(L, LUA_REGISTRYINDEX, fn_ref);
    int ok = lua_dump(L, dump_writer, &code, 0) == 0 &&
             !ls_coverage_add_bytecode(b->cov, file, (const unsigned char *)code.p, code.n);
    ls_buf_cleanup(&code);
    if (!ok) {
        lua_pushcfunction(L, active_lines);
        lua_insert(L, 1);
        lua_pushinteger(L, file);
        lua_pcall(L, 2, 0, 0);
    }
    lua_settop(L, 0);
}

void ls_lua_backend_cover(ls_backend *self, ls_coverage *cov)
{
    luab *b = (luab *)self;
    b->cov = cov;
    b->cov_src = NULL;
    b->cov_file = -1;
}

/* ---- binding a leaf ----------------------------------------------------- */

typedef struct bind_job {
    int node;
    const char *text;      /* script source to compile, or NULL (cached) */
    size_t len;
    int fn_ref;            /* in when cached, out when compiled */
    int item_ref, params_ref;
    char *err;             /* a compile or parameter error (owned) */
    int err_line, err_col;
    int err_in_scheme;     /* the error is in the scheme file, not the script */
} bind_job;

static const char *kind_name(ls_section sec)
{
    switch (sec) {
    case LS_SEC_BONUS: return "bonus";
    case LS_SEC_DEDUCT: return "deduction";
    case LS_SEC_VETO: return "veto";
    default: return "item";
    }
}

static int scalar_is(const ls_ynode *n, const char *a, const char *b, const char *c)
{
    return !strcmp(n->str, a) || !strcmp(n->str, b) || !strcmp(n->str, c);
}

/* Push the Lua value of a parameter node (nil for null).  Returns 0, or -1
 * with job->err set. */
static int push_param(lua_State *L, const ls_ynode *n, ls_buf *name, bind_job *job)
{
    luaL_checkstack(L, 6, "parameters nested too deeply");
    if (n->kind == LS_YSCALAR) {
        if (!n->plain) lua_pushlstring(L, n->str, n->len);
        else if (ls_ynode_is_null(n)) lua_pushnil(L);
        else if (scalar_is(n, "true", "True", "TRUE")) lua_pushboolean(L, 1);
        else if (scalar_is(n, "false", "False", "FALSE")) lua_pushboolean(L, 0);
        else if (strlen(n->str) == n->len && lua_stringtonumber(L, n->str)) {
            double x = lua_tonumber(L, -1);
            if (!isfinite(x)) {
                lua_pop(L, 1);
                job->err = ls_format("parameter '%s': %s is not a finite number", name->p, n->str);
                job->err_line = n->line;
                job->err_col = n->col;
                return -1;
            }
            if (!lua_isinteger(L, -1)) {
                lua_pop(L, 1);
                push_num(L, x);
            }
        } else {
            lua_pushlstring(L, n->str, n->len);
        }
        return 0;
    }
    size_t mark = name->n;
    if (n->kind == LS_YSEQ) {
        lua_createtable(L, n->n > INT_MAX ? 0 : (int)n->n, 0);
        for (size_t i = 0; i < n->n; i++) {
            ls_buf_printf(name, "[%zu]", i + 1);
            if (push_param(L, n->items[i], name, job)) return -1;
            lua_rawseti(L, -2, (lua_Integer)i + 1);
            name->n = mark;
            name->p[mark] = '\0';
        }
    } else {
        lua_createtable(L, 0, n->n > INT_MAX ? 0 : (int)n->n);
        for (size_t i = 0; i < n->n; i++) {
            const ls_ynode *k = ls_ymap_key(n, i);
            ls_buf_printf(name, ".%s", k->str);
            if (push_param(L, k, name, job)) return -1;
            if (lua_isnil(L, -1)) {
                lua_pop(L, 1);
                lua_pushlstring(L, k->str, k->len);
            }
            if (push_param(L, ls_ymap_val(n, i), name, job)) return -1;
            if (lua_isnil(L, -1)) lua_pop(L, 2);     /* key: ~ means absent */
            else lua_rawset(L, -3);
            name->n = mark;
            name->p[mark] = '\0';
        }
    }
    make_readonly(L, name->p);
    return 0;
}

/* Under lua_pcall: compile the script (unless cached), build item and
 * params. */
static int bind_protected(lua_State *L)
{
    bind_job *job = lua_touserdata(L, 1);
    luab *b = backend_of(L);
    const ls_node *nd = &b->s->nodes[job->node];
    lua_settop(L, 0);
    if (job->text) {
        lua_pushfstring(L, "@%s", nd->rule.path);
        int st = luaL_loadbufferx(L, job->text, job->len, lua_tostring(L, 1), "t");
        if (st == LUA_ERRMEM) return lua_error(L);
        if (st != LUA_OK) {
            const char *m = lua_tostring(L, -1);
            /* "path:LINE: message" */
            const char *p = m ? strstr(m, ":") : NULL;
            while (p) {
                const char *q = p + 1;
                int line = 0;
                while (*q >= '0' && *q <= '9') line = line * 10 + (*q++ - '0');
                if (q > p + 1 && q[0] == ':' && q[1] == ' ') {
                    job->err_line = line;
                    m = q + 2;
                    break;
                }
                p = strchr(p + 1, ':');
            }
            job->err = ls_xstrdup(m ? m : "cannot compile the script");
            return 0;
        }
        lua_rawgeti(L, LUA_REGISTRYINDEX, b->ref_env);
        lua_setupvalue(L, -2, 1);
        job->fn_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    }
    const ls_scheme *s = b->s;
    lua_createtable(L, 0, 5);
    lua_pushstring(L, nd->id);
    lua_setfield(L, -2, "id");
    lua_pushstring(L, nd->name);
    lua_setfield(L, -2, "name");
    lua_pushstring(L, nd->number ? nd->number : "");
    lua_setfield(L, -2, "number");
    push_num(L, ls_dec_to_double(nd->points, s->digits));
    lua_setfield(L, -2, "points");
    lua_pushstring(L, kind_name(nd->section));
    lua_setfield(L, -2, "kind");
    make_readonly(L, "item");
    job->item_ref = luaL_ref(L, LUA_REGISTRYINDEX);

    ls_buf name;
    ls_buf_init(&name);
    ls_buf_puts(&name, "params");
    int rc;
    if (nd->rule.params) {
        rc = push_param(L, nd->rule.params, &name, job);
    } else {
        lua_createtable(L, 0, 0);
        make_readonly(L, "params");
        rc = 0;
    }
    ls_buf_cleanup(&name);
    if (rc) {
        job->err_in_scheme = 1;
        return 0;
    }
    job->params_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

static int luab_bind(ls_backend *self, int node, ls_errors *err)
{
    luab *b = (luab *)self;
    const ls_scheme *s = b->s;
    if (node < 0 || (size_t)node >= s->nnodes)
        return ls_errorf(err, s->path, 0, 0, "internal error: no node %d", node);
    const ls_node *nd = &s->nodes[node];
    if (nd->rule.kind != LS_RULE_LUA || !nd->rule.path)
        return ls_errorf(err, s->path, nd->line, nd->col, "internal error: item '%s' has no Lua rule", nd->id);
    if (b->fn[node] != LUA_NOREF) return 0;

    bind_job job;
    memset(&job, 0, sizeof job);
    job.node = node;
    job.fn_ref = job.item_ref = job.params_ref = LUA_NOREF;
    char *text = NULL;
    int cached = ls_strmap_get(&b->scripts, nd->rule.path);
    if (cached == SCRIPT_FAILED) return -1;     /* reported with the first item */
    if (cached >= 0) {
        job.fn_ref = cached;
    } else {
        size_t len;
        text = ls_read_file(nd->rule.path, &len);
        if (!text) {
            int e = errno;
            ls_strmap_put(&b->scripts, nd->rule.path, SCRIPT_FAILED, NULL);
            return ls_errorf(err, s->path, nd->rule.line, nd->rule.col,
                             "cannot read rule script '%s': %s", nd->rule.path, strerror(e));
        }
        job.text = text;
        job.len = len;
        if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {   /* a UTF-8 BOM */
            job.text += 3;
            job.len -= 3;
        }
        if (job.len > 0 && job.text[0] == LUA_SIGNATURE[0]) {
            free(text);
            ls_strmap_put(&b->scripts, nd->rule.path, SCRIPT_FAILED, NULL);
            return ls_errorf(err, nd->rule.path, 0, 0,
                             "this is precompiled Lua bytecode: rules must be Lua source text");
        }
    }
    lua_State *L = b->L;
    lua_settop(L, 0);
    lua_sethook(L, NULL, 0, 0);
    lua_pushcfunction(L, bind_protected);
    lua_pushlightuserdata(L, &job);
    int st = lua_pcall(L, 1, 0, 0);
    free(text);
    int rc = 0;
    if (st != LUA_OK) {
        char mb[32];
        rc = ls_errorf(err, nd->rule.path, 0, 0,
                       st == LUA_ERRMEM ? "memory limit of %s MB exceeded while loading the rule"
                                        : "cannot load the rule (%s)",
                       st == LUA_ERRMEM ? mb_text(b->mem_limit, mb, sizeof mb)
                                        : lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "?");
        lua_settop(L, 0);
        lua_gc(L, LUA_GCCOLLECT);
    } else if (job.err && !job.err_in_scheme) {
        rc = ls_errorf(err, nd->rule.path, job.err_line, 0, "%s", job.err);
    } else if (job.err) {
        rc = ls_errorf(err, s->path, job.err_line, job.err_col, "%s", job.err);
    }
    if (job.text && job.fn_ref == LUA_NOREF) cached = SCRIPT_FAILED;
    else if (job.text) cached = job.fn_ref;
    if (job.text) ls_strmap_put(&b->scripts, nd->rule.path, cached, NULL);
    free(job.err);
    if (rc) {
        if (job.item_ref != LUA_NOREF) luaL_unref(L, LUA_REGISTRYINDEX, job.item_ref);
        if (job.params_ref != LUA_NOREF) luaL_unref(L, LUA_REGISTRYINDEX, job.params_ref);
        return -1;
    }
    b->fn[node] = job.fn_ref;
    if (b->cov && job.text) {
        b->cov_src = NULL;
        cover_chunk(b, nd->rule.path, job.fn_ref);
    }
    b->item[node] = job.item_ref;
    b->params[node] = job.params_ref;
    return 0;
}

/* ---- setting up the state ---------------------------------------------- */

/* Under lua_pcall: the sandbox, G, the environment and the helpers. */
static int setup(lua_State *L)
{
    luab *b = backend_of(L);
    const ls_scheme *s = b->s;
    lua_settop(L, 0);
    luaL_requiref(L, LUA_GNAME, luaopen_base, 0);        /* 1 */
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 0); /* 2 */
    luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 0);  /* 3 */
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 0);  /* 4 */
    luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 0);  /* 5 */

    /* The real library tables: what strings reach through their
     * metatable is what scripts get. */
    lua_pushnil(L);
    lua_setfield(L, 2, "dump");
    static const char *const patterns[] = {"match", "gmatch", "gsub"};
    for (int i = 0; i < 3; i++) {
        lua_pushstring(L, patterns[i]);
        lua_pushcclosure(L, str_no_patterns, 1);
        lua_setfield(L, 2, patterns[i]);
    }
    lua_pushcfunction(L, str_find_plain);
    lua_setfield(L, 2, "find");
    lua_pushnil(L);
    lua_setfield(L, 3, "random");
    lua_pushnil(L);
    lua_setfield(L, 3, "randomseed");
    lua_getfield(L, 4, "move");
    lua_pushcclosure(L, tab_move, 1);
    lua_setfield(L, 4, "move");
    static const char *const shifts[] = {"insert", "remove"};
    for (int i = 0; i < 2; i++) {
        lua_getfield(L, 4, shifts[i]);
        lua_pushstring(L, shifts[i]);
        lua_pushcclosure(L, tab_shift, 2);
        lua_setfield(L, 4, shifts[i]);
    }
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 2);
    static const char *const libs[] = {"string", "math", "table", "utf8"};
    for (int i = 0; i < 4; i++) {
        lua_createtable(L, 0, 2);
        lua_pushstring(L, libs[i]);
        lua_pushcclosure(L, lib_index, 1);
        lua_setfield(L, -2, "__index");
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
        lua_setmetatable(L, 2 + i);
    }

    /* G */
    lua_createtable(L, 0, 48);                           /* 6 */
    static const char *const base[] = {"assert", "error", "ipairs", "select",
                                       "tonumber", "tostring", "type"};
    for (size_t i = 0; i < sizeof base / sizeof *base; i++) {
        lua_getfield(L, 1, base[i]);
        lua_setfield(L, 6, base[i]);
    }
    lua_pushcfunction(L, sb_pairs);
    lua_setfield(L, 6, "pairs");
    lua_pushcfunction(L, sb_next);
    lua_setfield(L, 6, "next");
    lua_pushcfunction(L, sb_print);
    lua_setfield(L, 6, "print");
    for (int i = 0; i < 4; i++) {
        lua_pushvalue(L, 2 + i);
        make_readonly(L, libs[i]);
        lua_setfield(L, 6, libs[i]);
    }

    /* id -> index, shared by data, stats and name_of */
    lua_createtable(L, 0, s->ninds > INT_MAX ? 0 : (int)s->ninds);   /* 7 */
    for (size_t i = 0; i < s->ninds; i++) {
        lua_pushinteger(L, (lua_Integer)i);
        lua_setfield(L, 7, s->inds[i].id);
    }
    lua_pushvalue(L, 7);
    lua_pushcclosure(L, data_index, 1);
    lua_createtable(L, 0, 0);
    make_cproxy(L, "data", b->ids, s->ninds);
    lua_setfield(L, 6, "data");
    lua_pushvalue(L, 7);
    lua_pushcclosure(L, sb_stats, 1);
    lua_setfield(L, 6, "stats");
    lua_pushvalue(L, 7);
    lua_pushcclosure(L, sb_name_of, 1);
    lua_setfield(L, 6, "name_of");

    lua_pushcfunction(L, flags_index);
    lua_createtable(L, 0, 0);
    make_cproxy(L, "unit.flags", b->flags, s->nflags);
    lua_pushcclosure(L, unit_index, 1);
    lua_createtable(L, 0, 0);
    make_cproxy(L, "unit", unit_keys, 5);
    lua_setfield(L, 6, "unit");

    /* The helper library runs with G as its _ENV.  Rules get each helper
     * behind a C function: `return per_occurrence(...)` is a tail call,
     * which for a Lua callee would replace the rule's frame and lose the
     * rule line an error in the helper should point at. */
    if (luaL_loadbufferx(L, ls_helpers_lua, ls_helpers_lua_len, HELPERS_CHUNK, "t") != LUA_OK)
        return lua_error(L);
    lua_pushvalue(L, 6);
    lua_setupvalue(L, -2, 1);
    lua_call(L, 0, 1);
    if (!lua_istable(L, -1)) return sb_error(L, "lawscore.lua did not return its helpers");
    int h = lua_gettop(L);
    lua_newtable(L);                                     /* function -> name */
    lua_pushnil(L);
    while (lua_next(L, h)) {
        lua_pushvalue(L, -2);
        lua_rawset(L, h + 1);
    }
    b->ref_names = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pushnil(L);
    while (lua_next(L, h)) {
        lua_pushvalue(L, -2);
        if (lua_rawget(L, 6) != LUA_TNIL)
            return sb_error(L, "lawscore.lua: helper '%s' hides a built-in name", lua_tostring(L, -3));
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TFUNCTION) lua_pushcclosure(L, call_upvalue, 1);
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, 6);
    }
    lua_settop(L, 7);

    lua_createtable(L, 0, 3);                            /* G's metatable */
    lua_pushcfunction(L, global_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, global_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, 6);

    lua_createtable(L, 0, 2);                            /* _ENV's metatable */
    lua_pushvalue(L, 6);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_createtable(L, 0, 0);                            /* the first _ENV */
    lua_pushvalue(L, -2);
    lua_setmetatable(L, -2);
    b->ref_env = luaL_ref(L, LUA_REGISTRYINDEX);
    b->ref_envmt = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pushvalue(L, 6);
    b->ref_G = luaL_ref(L, LUA_REGISTRYINDEX);

    lua_newtable(L);                                     /* next()'s walks */
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    b->ref_walks = luaL_ref(L, LUA_REGISTRYINDEX);

    /* Nothing should ever see the state's own globals; empty them. */
    lua_newtable(L);
    lua_rawseti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    return 0;
}

static int at_panic(lua_State *L)
{
    const char *m = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "?";
    fprintf(stderr, "lawscore: fatal: unprotected Lua error: %s\n", m);
    abort();
    return 0;
}

static void luab_free(ls_backend *self)
{
    luab *b = (luab *)self;
    if (!b) return;
    if (b->L) lua_close(b->L);
    free(b->fn);
    free(b->item);
    free(b->params);
    ls_strmap_cleanup(&b->scripts);
    clear_pending(b);
    free(b);
}

/* The loaded hook: the scripts bound, in scheme order, each once. */
static int luab_loaded(const ls_backend *self, size_t i, ls_loaded_file *out)
{
    const luab *b = (const luab *)self;
    const ls_scheme *s = b->s;
    for (size_t k = 0; k < s->nleaves; k++) {
        int node = s->leaves[k];
        const ls_ruleref *r = &s->nodes[node].rule;
        if (r->kind != LS_RULE_LUA || b->fn[node] == LUA_NOREF) continue;
        size_t j;
        for (j = 0; j < k; j++) {
            int m = s->leaves[j];
            if (s->nodes[m].rule.kind == LS_RULE_LUA && b->fn[m] != LUA_NOREF &&
                !strcmp(s->nodes[m].rule.path, r->path))
                break;
        }
        if (j < k || i-- > 0) continue;
        *out = (ls_loaded_file){LS_LOADED_SCRIPT, r->path, r->path, ""};
        return 0;
    }
    return -1;
}

ls_backend *ls_lua_backend_new(const ls_scheme *s, const ls_lua_limits *lim, ls_errors *err)
{
    luab *b = ls_xcalloc(1, sizeof *b);
    b->base.name = "lua";
    b->base.bind = luab_bind;
    b->base.call = luab_call;
    b->base.free = luab_free;
    b->base.probe = ls_lua_backend_probe;
    b->base.loaded = luab_loaded;
    b->s = s;
    b->cur_node = -1;
    long mem = lim && lim->max_memory > 0 ? lim->max_memory
             : s->max_memory > 0 ? s->max_memory : LS_LUA_DEFAULT_MEMORY;
    b->mem_limit = (size_t)mem;
    b->budget = lim && lim->max_instructions > 0 ? lim->max_instructions
              : s->max_instructions > 0 ? s->max_instructions : LS_LUA_DEFAULT_INSTRUCTIONS;
    size_t n = s->nnodes ? s->nnodes : 1;
    b->fn = ls_xmalloc(n * sizeof *b->fn);
    b->item = ls_xmalloc(n * sizeof *b->item);
    b->params = ls_xmalloc(n * sizeof *b->params);
    for (size_t i = 0; i < n; i++) b->fn[i] = b->item[i] = b->params[i] = LUA_NOREF;
    ls_strmap_init(&b->scripts);
    b->ref_G = b->ref_env = b->ref_envmt = b->ref_names = b->ref_walks = LUA_NOREF;

    char mb[32];
    b->L = lua_newstate(limited_alloc, b);
    if (!b->L) {
        ls_errorf(err, NULL, 0, 0, "cannot create the Lua state for rules (memory limit of %s MB)",
                  mb_text(b->mem_limit, mb, sizeof mb));
        luab_free(&b->base);
        return NULL;
    }
    lua_State *L = b->L;
    lua_atpanic(L, at_panic);
    *(luab **)lua_getextraspace(L) = b;
    arm_budget(b);
    /* The sorted key lists `pairs` walks for data and unit.flags, made
     * here so that no malloc'd memory is held across a Lua error. */
    b->ids = ls_xmalloc((s->ninds ? s->ninds : 1) * sizeof *b->ids);
    for (size_t i = 0; i < s->ninds; i++) b->ids[i] = s->inds[i].id;
    qsort(b->ids, s->ninds, sizeof *b->ids, ls_cmp_str);
    b->flags = ls_xmalloc((s->nflags ? s->nflags : 1) * sizeof *b->flags);
    for (size_t i = 0; i < s->nflags; i++) b->flags[i] = s->flags[i];
    qsort(b->flags, s->nflags, sizeof *b->flags, ls_cmp_str);
    lua_pushcfunction(L, setup);
    int st = lua_pcall(L, 0, 0, 0);
    lua_sethook(L, NULL, 0, 0);
    free(b->ids);
    free(b->flags);
    b->ids = b->flags = NULL;
    if (st != LUA_OK) {
        if (st == LUA_ERRMEM)
            ls_errorf(err, NULL, 0, 0, "cannot set up the Lua rule sandbox within the memory limit of %s MB",
                      mb_text(b->mem_limit, mb, sizeof mb));
        else
            ls_errorf(err, NULL, 0, 0, "cannot set up the Lua rule sandbox: %s",
                      lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "?");
        luab_free(&b->base);
        return NULL;
    }
    lua_settop(L, 0);
    lua_gc(L, LUA_GCCOLLECT);
    return &b->base;
}

/* ---- probing (ls_lint) -------------------------------------------------- */

void ls_lua_backend_probe(ls_backend *self, ls_lua_unknown_fn fn, void *ctx)
{
    luab *b = (luab *)self;
    b->probe_fn = fn;
    b->probe_ctx = fn ? ctx : NULL;
}
