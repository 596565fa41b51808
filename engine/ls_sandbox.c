/*
 * ls_sandbox.c - the Lua sandbox rule scripts run in (see ls_sandbox.h).
 *
 * The tables below are what a rule can call.  Set-up (ls_sandbox_open)
 * opens the libraries of ls_sandbox_libs, then cuts each REAL library
 * table down to its keep and replace rows: strings reach `string` through
 * their metatable, so filtering a copy would not remove anything.  Rules
 * see the libraries through read-only proxies: empty tables whose
 * metatable has __index = the real table, __newindex = an error, __len,
 * __name and __proxy (the real table, for our own `pairs` and `next`).
 * Scripts cannot reach a metatable (no getmetatable, setmetatable, raw*,
 * debug; the string metatable carries __metatable), so no finalizer can be
 * installed either and lua_close cannot hang.
 *
 * Limits: a lua_Alloc with a byte cap for the whole state (when it
 * refuses during a call it notes the rule script's line: Lua raises a
 * memory error without the message handler); a count hook
 * that enforces the instruction budget of one call, sticky (once over,
 * every further instruction raises again; scripts have no pcall anyway).
 * There is no depth limit of its own (a call run without hooks could not
 * see one): infinite recursion ends at the budget or the memory cap.  The
 * count hook fires between VM instructions only, so the library functions
 * that can run for minutes inside one C call (Lua patterns) are replaced,
 * and the others are charged for the bytes and elements they handle
 * (ls_sandbox_charge) or bounded (table.move/insert/remove/sort): see
 * ls_sandbox_lib.c.
 *
 * `pairs` and `next` walk tables in sorted key order: Lua's own order
 * follows string hashes, seeded per process, and results must be the same
 * on every run.
 *
 * Time: calls begun with ls_sandbox_begin are watched by the state's
 * watchdog (ls_watchdog.c: one thread per state), which signals the
 * thread running the call; the kick handler here only calls lua_sethook,
 * as Lua allows in a signal handler, for the state that thread is running.
 *
 * Depends on: ls_i18n, ls_sandbox_lib, ls_watchdog, Lua 5.4 (lua.h,
 * lauxlib.h, lualib.h), ls_util.
 */
#include "ls_sandbox.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "ls_i18n.h"
#include "ls_sandbox_lib.h"
#include "ls_watchdog.h"
#include "ls_util.h"

/* The count hook fires every HOOK_PERIOD instructions (or fewer, to end
 * exactly at the budget). */
#define HOOK_PERIOD 10000

ls_sandbox *ls_sandbox_of(lua_State *L)
{
    return *(ls_sandbox **)lua_getextraspace(L);
}

/* ---- memory and instruction limits ---------------------------------- */

/* The allocator refuses memory during a call: note the line of the rule
 * script ('@' source) running, since Lua raises the memory error without
 * calling the message handler, which finds the line of other errors.
 * Only reads the call stack: lua_getinfo with "Sl" allocates nothing,
 * and a refused allocation left the stack as it was. */
static void note_oom_line(ls_sandbox *b)
{
    lua_Debug ar;
    b->oom_line = 0;
    for (int level = 0; level < 64 && lua_getstack(b->running, level, &ar); level++) {
        if (lua_getinfo(b->running, "Sl", &ar) && ar.source[0] == '@' && ar.currentline > 0) {
            b->oom_line = ar.currentline;
            return;
        }
    }
}

/* ---- the allocator's pool of small blocks (ls_sandbox_pool) ---------- */

/* The size class of a block of n bytes (1 <= n <= the largest class). */
static int pool_class(size_t n)
{
    return (int)((n - 1) / LS_SANDBOX_POOL_GRAIN);
}

static int pool_small(size_t n)
{
    return n <= (size_t)LS_SANDBOX_POOL_GRAIN * LS_SANDBOX_POOL_CLASSES;
}

/* A block of class k, or NULL when no chunk can be had. */
static void *pool_get(ls_sandbox_pool *p, int k)
{
    void *b = p->free[k];
    if (b) {
        p->free[k] = *(void **)b;
        return b;
    }
    size_t size = (size_t)(k + 1) * LS_SANDBOX_POOL_GRAIN;
    if ((size_t)(p->end - p->next) < size) {
        /* The rest of the old chunk (less than a block of this class)
         * stays unused.  The first grain links the chunks; blocks keep
         * malloc's alignment. */
        char *c = malloc(LS_SANDBOX_POOL_CHUNK);
        if (!c) return NULL;
        *(void **)c = p->chunks;
        p->chunks = c;
        p->next = c + LS_SANDBOX_POOL_GRAIN;
        p->end = c + LS_SANDBOX_POOL_CHUNK;
    }
    b = p->next;
    p->next += size;
    return b;
}

static void pool_put(ls_sandbox_pool *p, void *b, int k)
{
    *(void **)b = p->free[k];
    p->free[k] = b;
}

static void pool_free_all(ls_sandbox_pool *p)
{
    for (void *c = p->chunks; c;) {
        void *next = *(void **)c;
        free(c);
        c = next;
    }
    memset(p, 0, sizeof *p);
}

/* A block of n bytes: from the pool when small, else from malloc. */
static void *block_new(ls_sandbox_pool *p, size_t n)
{
    return pool_small(n) ? pool_get(p, pool_class(n)) : malloc(n);
}

static void block_free(ls_sandbox_pool *p, void *b, size_t n)
{
    if (pool_small(n)) pool_put(p, b, pool_class(n));
    else free(b);
}

/* Lua gives the exact old size of every block it frees or resizes, so a
 * block's size says where it came from: no header. */
static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    ls_sandbox *b = ud;
    if (!ptr) osize = 0; /* then osize holds the type of the new object */
    if (nsize == 0) {
        if (ptr) block_free(&b->pool, ptr, osize);
        b->mem_used -= osize;
        return NULL;
    }
    if (nsize > osize && nsize - osize > b->mem_limit - b->mem_used) {
        if (b->running) note_oom_line(b);
        return NULL;
    }
    void *p;
    if (!ptr) {
        p = block_new(&b->pool, nsize);
    } else if (pool_small(osize) && pool_small(nsize) && pool_class(osize) == pool_class(nsize)) {
        p = ptr; /* the block has room */
    } else if (!pool_small(osize) && !pool_small(nsize)) {
        p = realloc(ptr, nsize);
    } else {
        p = block_new(&b->pool, nsize);
        if (p) {
            memcpy(p, ptr, osize < nsize ? osize : nsize);
            block_free(&b->pool, ptr, osize);
        }
    }
    if (!p) return NULL;
    b->mem_used = b->mem_used - osize + nsize;
    return p;
}

/* Hook mask: the instruction count, and lines when recording coverage
 * (one hook per state: count_hook serves both). */
static int hook_mask(const ls_sandbox *b)
{
    return LUA_MASKCOUNT | (b->on_line ? LUA_MASKLINE : 0) | (b->want_return ? LUA_MASKRET : 0);
}

static int kicked(const ls_sandbox *b);

static void count_hook(lua_State *L, lua_Debug *ar)
{
    ls_sandbox *b = ls_sandbox_of(L);
    if (ar->event == LUA_HOOKLINE) {
        if (b->on_line) b->on_line(L, ar, b->line_ctx);
        return;
    }
    if (ar->event == LUA_HOOKRET) {
        if (lua_getinfo(L, "Sl", ar) && ar->source[0] == '@' && ar->currentline > 0)
            b->return_line = ar->currentline;
        return;
    }
    if (!b->over && b->wd) {
        int k = kicked(b);
        if (k == LS_WATCHDOG_TIME) b->over = 3;                   /* out of time */
        else if (k == LS_WATCHDOG_EXACT && b->fast) b->over = 4;  /* run it again exactly */
        if (b->over) lua_sethook(L, count_hook, hook_mask(b), 1); /* sticky */
    }
    if (!b->over && b->fast) { /* a kick meant for an earlier call */
        lua_sethook(L, NULL, 0, 0);
        return;
    }
    if (!b->over) {
        b->left -= b->period;
        if (b->left <= 0) b->over = 1;
        if (!b->over) {
            /* Lua resets the count itself after each hook: set the hook
             * again only when the period changes (or a kick set it to 1).
             * lua_sethook marks every frame of the call stack (O(depth)):
             * done every period, a deep recursion spent most of its time
             * there. */
            int period = b->left < HOOK_PERIOD ? (int)b->left : HOOK_PERIOD;
            if (period != b->period || lua_gethookcount(L) != period) {
                b->period = period;
                lua_sethook(L, count_hook, hook_mask(b), b->period);
            }
            return;
        }
        /* Sticky: from now on every instruction raises, so nothing in the
         * script can outlive the limit. */
        lua_sethook(L, count_hook, hook_mask(b), 1);
    }
    char msg[96];
    if (b->over == 3)
        snprintf(msg, sizeof msg, _("time limit of %g s exceeded (too much work for one call?)"), b->max_seconds);
    else if (b->over == 4)
        snprintf(msg, sizeof msg, "(run again with the instruction count)");
    else
        snprintf(msg, sizeof msg, _("instruction budget of %ld exceeded (infinite loop?)"), b->budget);
    lua_pushstring(L, msg);
    lua_error(L);
}

void ls_sandbox_charge(lua_State *L, double units, const char *what)
{
    ls_sandbox *b = ls_sandbox_of(L);
    if (!(units > 0)) return;
    if (units > (double)(LONG_MAX / 4)) units = (double)(LONG_MAX / 4);
    if (b->fast) {
        /* Over the budget by charges alone: the exact run decides where
         * the budget ends (instructions count too). */
        b->charged += (long)units;
        if (b->charged < b->budget || b->over) return;
        b->over = 4;
        lua_sethook(L, count_hook, hook_mask(b), 1);
        ls_sandbox_error(L, "(run again with the instruction count)");
    }
    b->left -= (long)units;
    if (b->left > 0 || b->over) return;
    b->over = 1;
    lua_sethook(L, count_hook, hook_mask(b), 1); /* sticky */
    ls_sandbox_error(L, "instruction budget of %ld exceeded (%s handled %.0f bytes or elements; "
                        "library calls count one instruction for each)",
                     b->budget, what, units);
}

void ls_sandbox_arm(lua_State *L)
{
    ls_sandbox *b = ls_sandbox_of(L);
    b->over = 0;
    b->left = b->budget;
    b->period = b->left < HOOK_PERIOD ? (int)b->left : HOOK_PERIOD;
    lua_sethook(L, count_hook, hook_mask(b), b->period);
}

void ls_sandbox_disarm(lua_State *L)
{
    lua_sethook(L, NULL, 0, 0);
}

/* ---- time: the watchdog (ls_watchdog) --------------------------------- */

/* What the watchdog asked of the current call: 0, LS_WATCHDOG_EXACT,
 * LS_WATCHDOG_TIME. */
static int kicked(const ls_sandbox *b)
{
    return ls_watchdog_kicked(b->wd, b->seq);
}

/* The kick handler, for the state whose call this thread is running.  Only
 * for a kick meant for that call: a late one (its call ended) must not
 * make the count hook of an exact call fire early, which would count a
 * whole period of instructions. */
static void on_kick(void *call)
{
    lua_State *L = call;
    ls_sandbox *b = ls_sandbox_of(L);
    if (!b->wd || !kicked(b)) return;
    /* The watchdog kicks at every tick while the call runs.  lua_sethook
     * marks every frame of the call stack: in a deep recursion that takes
     * longer than a tick, and a handler run again at every tick left the
     * call no time to reach its hook (it never ended).  Already set: done
     * (the getters only read the state). */
    if (lua_gethook(L) == count_hook && lua_gethookcount(L) == 1 && lua_gethookmask(L) == hook_mask(b)) return;
    lua_sethook(L, count_hook, hook_mask(b), 1);
}

int ls_sandbox_begin(lua_State *L, int fast)
{
    ls_sandbox *b = ls_sandbox_of(L);
    /* The state's watchdog, started on first use; none when it cannot run
     * (then calls run exactly, without a time limit). */
    if ((fast || b->max_seconds > 0) && !b->wd) b->wd = ls_watchdog_new(on_kick);
    ls_watchdog *w = (fast || b->max_seconds > 0) ? b->wd : NULL;
    if (!w || b->on_line) fast = 0;
    b->seq++;
    b->charged = 0;
    b->running = L;
    b->oom_line = 0;
    if (w) ls_watchdog_begin(w, b->seq, fast, b->max_seconds, L);
    b->fast = fast;
    if (fast) {
        b->over = 0;
        lua_sethook(L, NULL, 0, 0);
        b->t0 = ls_watchdog_now();
    } else {
        ls_sandbox_arm(L);
    }
    return fast;
}

int ls_sandbox_end(lua_State *L)
{
    ls_sandbox *b = ls_sandbox_of(L);
    if (b->wd) ls_watchdog_end(b->wd);
    b->running = NULL;
    lua_sethook(L, NULL, 0, 0);
    if (!b->fast) return 0;
    b->fast = 0;
    return b->over == 4 ||
           ls_watchdog_now() - b->t0 > (double)b->budget * LS_SANDBOX_FAST_NS_PER_INSTRUCTION * 1e-9;
}

void ls_sandbox_cleanup(ls_sandbox *sb)
{
    ls_watchdog_free(sb->wd);
    sb->wd = NULL;
    ls_buf_cleanup(&sb->printed);
}

void ls_sandbox_close(ls_sandbox *sb, lua_State *L)
{
    if (L) lua_close(L);
    pool_free_all(&sb->pool);
}

static int at_panic(lua_State *L)
{
    const char *m = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "?";
    fprintf(stderr, "lawscore: fatal: unprotected Lua error: %s\n", m);
    abort();
    return 0;
}

lua_State *ls_sandbox_state_new(ls_sandbox *sb, size_t mem_limit, long budget, void *host)
{
    memset(sb, 0, sizeof *sb);
    sb->mem_limit = mem_limit;
    sb->budget = budget;
    sb->host = host;
    sb->ref_walks = LUA_NOREF;
    lua_State *L = lua_newstate(limited_alloc, sb);
    if (!L) {
        pool_free_all(&sb->pool);
        return NULL;
    }
    lua_atpanic(L, at_panic);
    *(ls_sandbox **)lua_getextraspace(L) = sb;
    /* Counted from the start: set-up runs under the budget too. */
    ls_sandbox_arm(L);
    return L;
}

/* ---- small helpers --------------------------------------------------- */

/* Push the message of a sandbox error, translated and formatted. */
static void push_message(lua_State *L, const char *fmt, va_list ap)
{
    char buf[600];
    vsnprintf(buf, sizeof buf, _(fmt), ap);
    lua_pushstring(L, buf);
}

int ls_sandbox_error(lua_State *L, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    push_message(L, fmt, ap);
    va_end(ap);
    return lua_error(L);
}

int ls_sandbox_name_error(lua_State *L, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    push_message(L, fmt, ap);
    va_end(ap);
    ls_sandbox_of(L)->name_error = 1;
    return lua_error(L);
}

/* "nil", "a string", "a table", ... for messages. */
const char *ls_sandbox_a_type(lua_State *L, int i)
{
    switch (lua_type(L, i)) {
    case LUA_TNONE:
    case LUA_TNIL: return "nil";
    case LUA_TBOOLEAN: return _("a boolean");
    case LUA_TNUMBER: return _("a number");
    case LUA_TSTRING: return _("a string");
    case LUA_TTABLE: return _("a table");
    case LUA_TFUNCTION: return _("a function");
    case LUA_TTHREAD: return _("a thread");
    default: return _("a userdata");
    }
}

/* A table key as text for messages: the string itself, [3], or [a table]. */
const char *ls_sandbox_key_text(lua_State *L, int i, char *buf, size_t size)
{
    if (lua_type(L, i) == LUA_TSTRING) snprintf(buf, size, "%s", lua_tostring(L, i));
    else if (lua_isinteger(L, i)) snprintf(buf, size, "[%lld]", (long long)lua_tointeger(L, i));
    else if (lua_type(L, i) == LUA_TNUMBER) snprintf(buf, size, "[%.14g]", lua_tonumber(L, i));
    else snprintf(buf, size, "[%s]", ls_sandbox_a_type(L, i));
    return buf;
}

/* Push a number as a Lua integer when it is one (so tostring(2) is "2",
 * not "2.0"), else as a float. */
void ls_sandbox_push_num(lua_State *L, double x)
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
    return ls_sandbox_error(L, "cannot change %s%s%s: %s is read-only", name,
                            lua_type(L, 2) == LUA_TSTRING ? "." : "",
                            ls_sandbox_key_text(L, 2, kb, sizeof kb), name);
}

static int ro_len(lua_State *L)
{
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "__proxy");
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
    return 1;
}

void ls_sandbox_readonly(lua_State *L, const char *name)
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
void ls_sandbox_cproxy(lua_State *L, const char *name, const char *const *keys, size_t nkeys)
{
    lua_createtable(L, 0, 6); /* mt */
    lua_rotate(L, -3, -1);    /* t mt index -> ... */
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
    int cls; /* 0 number, 1 string, 2 boolean */
    int isint;
    lua_Integer i;
    double d;
    const char *s;
    size_t len;
    lua_Integer idx; /* position in the unsorted key list */
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
 * strings bytewise, then false before true.  A key of another type (a
 * table or a function) has no order but its memory address, which changes
 * from run to run: an error of `fn` ("pairs", "next"). */
static void push_sorted_keys(lua_State *L, int src, const char *fn)
{
    src = lua_absindex(L, src);
    lua_newtable(L); /* keys */
    int keys = lua_gettop(L);
    lua_Integer n = 0;
    lua_pushnil(L);
    while (lua_next(L, src)) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_rawseti(L, keys, ++n);
    }
    /* Charged like table.sort: the sort runs inside this one C call,
     * which the instruction count never sees, and a loop that walks a
     * big table again and again ran past the time limit with a few
     * thousand instructions (so whether it passed depended on the
     * machine's speed). */
    if (n > 0) ls_sandbox_charge(L, (double)n * (log2((double)n) + 2), fn);
    lua_createtable(L, n > INT_MAX ? 0 : (int)n, 0); /* sorted */
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
                k->s = lua_tolstring(L, -1, &k->len); /* anchored in keys */
            } else if (t == LUA_TBOOLEAN) {
                k->cls = 2;
                k->i = lua_toboolean(L, -1);
            } else {
                ls_sandbox_error(L, "%s() cannot walk a table that has %s as a key: such keys have no "
                                    "fixed order, so results would change from run to run (use "
                                    "numbers or strings as keys)",
                                 fn, ls_sandbox_a_type(L, -1));
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
    int through = walk_source(L);                  /* 2 (, 3) */
    if (!through) push_sorted_keys(L, 2, "pairs"); /* 3 */
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
    ls_sandbox *b = ls_sandbox_of(L);
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    int through = walk_source(L); /* 3 (, 4) */
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
            else push_sorted_keys(L, src, "next"); /* keys */
            lua_Integer n = (lua_Integer)lua_rawlen(L, keys);
            lua_createtable(L, 0, n > INT_MAX ? 0 : (int)n); /* pos */
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
                if (!fresh) { /* a key added since the walk began */
                    fresh = 1;
                    continue;
                }
                return ls_sandbox_error(L, "invalid key to 'next'");
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
    return ls_sandbox_error(L, "invalid key to 'next'");
}

/* Push the text of the value at i as tostring gives it in rules: Lua's own
 * text for numbers, strings, booleans and nil, but no memory addresses
 * (they change from run to run): "table", "table: data" for a read-only
 * proxy, "function: rules/x.lua:3" (where it is defined), "function:
 * builtin".  Returns the text. */
const char *ls_sandbox_push_text(lua_State *L, int i)
{
    i = lua_absindex(L, i);
    switch (lua_type(L, i)) {
    case LUA_TTABLE:
        if (luaL_getmetafield(L, i, "__name") == LUA_TSTRING) {
            lua_pushfstring(L, "table: %s", lua_tostring(L, -1));
            lua_remove(L, -2);
        } else {
            lua_pushliteral(L, "table");
        }
        break;
    case LUA_TFUNCTION: {
        lua_Debug ar;
        lua_pushvalue(L, i);
        lua_getinfo(L, ">S", &ar);
        if (*ar.what == 'C') lua_pushliteral(L, "function: builtin");
        else lua_pushfstring(L, "function: %s:%d", ar.short_src, ar.linedefined);
        break;
    }
    case LUA_TTHREAD: lua_pushliteral(L, "thread"); break;
    case LUA_TUSERDATA:
    case LUA_TLIGHTUSERDATA: lua_pushliteral(L, "userdata"); break;
    default: luaL_tolstring(L, i, NULL); break;
    }
    return lua_tostring(L, -1);
}

static int sb_tostring(lua_State *L)
{
    luaL_checkany(L, 1);
    ls_sandbox_push_text(L, 1);
    return 1;
}

/* print(...): to stderr, prefixed with the rule's path, for debugging;
 * gathered during the call and written after it (ls_sandbox_flush), at
 * most LS_SANDBOX_PRINT_CALL bytes a call (more is an error of the call)
 * and LS_SANDBOX_PRINT_RUN shown in all (then a note), so a loop cannot
 * write gigabytes. */
static int sb_print(lua_State *L)
{
    ls_sandbox *b = ls_sandbox_of(L);
    const char *path = b->who ? b->who : "lawscore.lua";
    int n = lua_gettop(L);
    luaL_Buffer buf;
    luaL_buffinit(L, &buf);
    luaL_addstring(&buf, path);
    luaL_addstring(&buf, ": ");
    for (int i = 1; i <= n; i++) {
        if (i > 1) luaL_addchar(&buf, '\t');
        ls_sandbox_push_text(L, i);
        luaL_addvalue(&buf);
    }
    luaL_addchar(&buf, '\n');
    luaL_pushresult(&buf);
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    if (b->printed.n + len > LS_SANDBOX_PRINT_CALL)
        return ls_sandbox_error(L, "print: more than %d bytes of output in one rule call (print is "
                                   "for debugging)",
                                LS_SANDBOX_PRINT_CALL);
    ls_buf_add(&b->printed, s, len);
    return 0;
}

/* Bytes of print() output shown so far by every state of the process.
 * The cap on the whole is not an error of the call that reaches it: with
 * --jobs N each thread's state prints its own units, so which call got
 * there first (and whether any did: a cap per state was N times larger)
 * changed with N, and with it the results and the exit status. */
static atomic_size_t printed_run;

void ls_sandbox_flush(lua_State *L, int show)
{
    ls_sandbox *b = ls_sandbox_of(L);
    if (!b->printed.n) return;
    if (show) {
        size_t before = atomic_fetch_add(&printed_run, b->printed.n);
        if (before + b->printed.n <= LS_SANDBOX_PRINT_RUN) {
            fwrite(b->printed.p, 1, b->printed.n, stderr);
            fflush(stderr);
        } else if (before <= LS_SANDBOX_PRINT_RUN) { /* the first over: once */
            fprintf(stderr, _("lawscore: note: print: more than %d MB of output from the rules; "
                              "the rest is not shown (print is for debugging)\n"),
                    LS_SANDBOX_PRINT_RUN >> 20);
            fflush(stderr);
        }
    }
    ls_buf_cleanup(&b->printed);
}

/* ---- names that are not there ----------------------------------------- */

static int refused_error(lua_State *L, const char *name)
{
    for (const ls_sandbox_refusal *r = ls_sandbox_remove; r->name; r++)
        if (!strcmp(r->name, name))
            return ls_sandbox_name_error(L, "'%s' is not available in rules (%s)", name, _(r->why));
    return 0;
}

/* G's __index: reading a global that is nowhere. */
static int global_index(lua_State *L)
{
    if (lua_type(L, 2) != LUA_TSTRING) {
        char kb[128];
        return ls_sandbox_name_error(L, "unknown name %s", ls_sandbox_key_text(L, 2, kb, sizeof kb));
    }
    const char *name = lua_tostring(L, 2);
    refused_error(L, name);
    char sug[128];
    if (suggest_key(L, 1, name, sug, sizeof sug))
        return ls_sandbox_name_error(L, "unknown name '%s' (did you mean '%s'?)", name, sug);
    return ls_sandbox_name_error(L, "unknown name '%s'", name);
}

/* G's __newindex: only the helper library could get here (scripts write
 * into their own _ENV); it must keep no state between calls. */
static int global_newindex(lua_State *L)
{
    char kb[128];
    return ls_sandbox_error(L, "internal error: the helper library set global '%s'",
                            ls_sandbox_key_text(L, 2, kb, sizeof kb));
}

/* __index of a real library table (upvalue 1: the library's name): a
 * member that is not there. */
static int lib_index(lua_State *L)
{
    const char *lib = lua_tostring(L, lua_upvalueindex(1));
    char kb[128], full[200], sug[128];
    ls_sandbox_key_text(L, 2, kb, sizeof kb);
    snprintf(full, sizeof full, "%s.%s", lib, kb);
    refused_error(L, full);
    if (lua_type(L, 2) == LUA_TSTRING && suggest_key(L, 1, kb, sug, sizeof sug))
        return ls_sandbox_name_error(L, "unknown name '%s' (did you mean '%s.%s'?)", full, lib, sug);
    return ls_sandbox_name_error(L, "unknown name '%s'", full);
}

/* Call the function in upvalue 1 (an original library function, or a
 * helper) with all arguments, returning all its results. */
int ls_sandbox_call_upvalue(lua_State *L)
{
    int n = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, n, LUA_MULTRET);
    return lua_gettop(L);
}

/* ---- what a rule can call ----------------------------------------------- */

/* The reasons given for refused names. */
#define NO_HOST N_("the sandbox gives rules no files, processes, network or modules")
#define NO_VM N_("rules cannot reach into the Lua machinery")
#define NO_PCALL N_("an error always stops the rule and is reported")
#define NO_RANDOM N_("scores must be the same on every run")

/* The libraries opened, as linit.c lists them.  Not opened: os, io,
 * package, debug, coroutine. */
const ls_sandbox_lib ls_sandbox_libs[] = {
    {LUA_GNAME, luaopen_base},
    {LUA_STRLIBNAME, luaopen_string},
    {LUA_MATHLIBNAME, luaopen_math},
    {LUA_TABLIBNAME, luaopen_table},
    {LUA_UTF8LIBNAME, luaopen_utf8},
    {NULL, NULL},
};

/* KEEP: members a rule gets as Lua defines them.  A member of an opened
 * library that is in neither this table nor ls_sandbox_replace is dropped
 * (base: _VERSION, warn and the refused names below). */
const ls_sandbox_name ls_sandbox_keep[] = {
    {"_G", "assert"},
    {"_G", "error"},
    {"_G", "ipairs"},
    {"_G", "select"},
    {"_G", "tonumber"},
    {"_G", "type"},

    {"string", "len"},

    {"math", "abs"},
    {"math", "acos"},
    {"math", "asin"},
    {"math", "atan"},
    {"math", "ceil"},
    {"math", "cos"},
    {"math", "deg"},
    {"math", "exp"},
    {"math", "floor"},
    {"math", "fmod"},
    {"math", "huge"},
    {"math", "log"},
    {"math", "max"},
    {"math", "maxinteger"},
    {"math", "min"},
    {"math", "mininteger"},
    {"math", "modf"},
    {"math", "pi"},
    {"math", "rad"},
    {"math", "sin"},
    {"math", "sqrt"},
    {"math", "tan"},
    {"math", "tointeger"},
    {"math", "type"},
    {"math", "ult"},
    /* Lua 5.3 compatibility functions (present when Lua is built with
     * LUA_COMPAT_MATHLIB, as Debian's is) */
    {"math", "atan2"},
    {"math", "cosh"},
    {"math", "frexp"},
    {"math", "ldexp"},
    {"math", "log10"},
    {"math", "pow"},
    {"math", "sinh"},
    {"math", "tanh"},

    {"utf8", "charpattern"},
    {"utf8", "codes"},
    {NULL, NULL},
};

/* REPLACE: members a rule gets as the sandbox defines them. */
const ls_sandbox_repl ls_sandbox_replace[] = {
    /* sorted key order: results must not depend on string hashes */
    {"_G", "pairs", sb_pairs, 0, 0},
    {"_G", "next", sb_next, 0, 0},
    /* to stderr, prefixed with the rule's path */
    {"_G", "print", sb_print, 0, 0},
    /* no memory addresses in text: "table", "function: rules/x.lua:3" */
    {"_G", "tostring", sb_tostring, 0, 0},
    {"string", "format", ls_sandbox_lib_format, 1, 1},
    /* their C loops never reach the instruction hook: charged for the
     * bytes and elements they handle (one instruction each) */
    {"string", "byte", ls_sandbox_lib_charged, 1, 1},
    {"string", "char", ls_sandbox_lib_charged, 1, 1},
    {"string", "lower", ls_sandbox_lib_charged, 1, 1},
    {"string", "pack", ls_sandbox_lib_charged, 1, 1},
    {"string", "packsize", ls_sandbox_lib_charged, 1, 1},
    {"string", "rep", ls_sandbox_lib_rep, 1, 1},
    {"string", "reverse", ls_sandbox_lib_charged, 1, 1},
    {"string", "sub", ls_sandbox_lib_charged, 1, 1},
    {"string", "unpack", ls_sandbox_lib_charged, 1, 1},
    {"string", "upper", ls_sandbox_lib_charged, 1, 1},
    {"table", "concat", ls_sandbox_lib_range, 1, 1},
    {"table", "pack", ls_sandbox_lib_charged, 1, 1},
    {"table", "unpack", ls_sandbox_lib_range, 1, 1},
    {"utf8", "char", ls_sandbox_lib_charged, 1, 1},
    {"utf8", "codepoint", ls_sandbox_lib_charged, 1, 1},
    {"utf8", "len", ls_sandbox_lib_charged, 1, 1},
    {"utf8", "offset", ls_sandbox_lib_charged, 1, 1},
    /* Lua's quicksort picks random pivots: a stable merge sort */
    {"table", "sort", ls_sandbox_lib_sort, 0, 0},
    /* Lua patterns can run for minutes inside one C call: plain text */
    {"string", "find", ls_sandbox_lib_find, 0, 0},
    {"string", "gmatch", ls_sandbox_lib_no_patterns, 0, 1},
    {"string", "gsub", ls_sandbox_lib_no_patterns, 0, 1},
    {"string", "match", ls_sandbox_lib_no_patterns, 0, 1},
    /* bounded, and charged for the elements they move */
    {"table", "insert", ls_sandbox_lib_shift, 1, 1},
    {"table", "move", ls_sandbox_lib_move, 1, 1},
    {"table", "remove", ls_sandbox_lib_shift, 1, 1},
    {NULL, NULL, NULL, 0, 0},
};

/* REMOVE: names refused with a reason (the rest of what Lua offers is
 * simply not there: "unknown name"). */
const ls_sandbox_refusal ls_sandbox_remove[] = {
    {"os", NO_HOST},
    {"io", NO_HOST},
    {"package", NO_HOST},
    {"require", NO_HOST},
    {"load", NO_HOST},
    {"loadfile", NO_HOST},
    {"dofile", NO_HOST},
    {"loadstring", NO_HOST},
    {"module", NO_HOST},
    {"debug", NO_VM},
    {"collectgarbage", NO_VM},
    {"setmetatable", NO_VM},
    {"getmetatable", NO_VM},
    {"rawset", NO_VM},
    {"rawget", NO_VM},
    {"rawequal", NO_VM},
    {"rawlen", NO_VM},
    {"coroutine", NO_VM},
    {"_G", NO_VM},
    {"pcall", NO_PCALL},
    {"xpcall", NO_PCALL},
    {"string.dump", NO_VM},
    {"math.random", NO_RANDOM},
    {"math.randomseed", NO_RANDOM},
    {NULL, NULL},
};

/* ---- set-up ---------------------------------------------------------------- */

/* Lua names the function of an argument error ("bad argument #3 to
 * 'string.format'") by its caller's code, or else by where package.loaded
 * holds it.  A wrapped original is called by its wrapper (C code), and
 * its library table holds the wrapper: without this entry, under its full
 * name at the top of package.loaded (which no rule can reach), the message
 * read "bad argument #3 to '?'".  The original is on top of the stack. */
static void name_original(lua_State *L, const ls_sandbox_repl *r)
{
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_pushfstring(L, "%s.%s", r->lib, r->name);
    lua_pushvalue(L, -3);
    lua_rawset(L, -3);
    lua_pop(L, 1);
}

/* Push a table of the kept and replaced members of library `lib`, whose
 * real table is at index `real`. */
static void push_members(lua_State *L, int real, const char *lib)
{
    lua_newtable(L);
    for (const ls_sandbox_name *k = ls_sandbox_keep; k->name; k++) {
        if (strcmp(k->lib, lib)) continue;
        lua_getfield(L, real, k->name);
        lua_setfield(L, -2, k->name);
    }
    for (const ls_sandbox_repl *r = ls_sandbox_replace; r->name; r++) {
        if (strcmp(r->lib, lib)) continue;
        if (r->wrap) {
            lua_getfield(L, real, r->name);
            name_original(L, r);
        }
        if (r->named) lua_pushfstring(L, "%s.%s", r->lib, r->name);
        lua_pushcclosure(L, r->fn, r->wrap + r->named);
        lua_setfield(L, -2, r->name);
    }
}

int ls_sandbox_open(lua_State *L)
{
    ls_sandbox *sb = ls_sandbox_of(L);
    lua_settop(L, 0);
    lua_createtable(L, 0, 48); /* 1: G */
    for (const ls_sandbox_lib *lib = ls_sandbox_libs; lib->name; lib++) {
        luaL_requiref(L, lib->name, lib->open, 0); /* 2: the real table */
        push_members(L, 2, lib->name);             /* 3 */
        if (!strcmp(lib->name, LUA_GNAME)) {
            lua_pushnil(L);
            while (lua_next(L, 3)) {
                lua_pushvalue(L, -2);
                lua_insert(L, -2);
                lua_rawset(L, 1);
            }
            lua_settop(L, 1);
            continue;
        }
        /* Cut the real table down to its members: strings reach `string`
         * through their metatable, whatever G holds. */
        lua_pushnil(L);
        while (lua_next(L, 2)) {
            lua_pop(L, 1);
            lua_pushvalue(L, -1);
            lua_pushnil(L);
            lua_rawset(L, 2);
        }
        lua_pushnil(L);
        while (lua_next(L, 3)) {
            lua_pushvalue(L, -2);
            lua_insert(L, -2);
            lua_rawset(L, 2);
        }
        lua_createtable(L, 0, 2); /* a missing member */
        lua_pushstring(L, lib->name);
        lua_pushcclosure(L, lib_index, 1);
        lua_setfield(L, -2, "__index");
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
        lua_setmetatable(L, 2);
        lua_pushvalue(L, 2);
        ls_sandbox_readonly(L, lib->name);
        lua_setfield(L, 1, lib->name);
        lua_settop(L, 1);
    }
    lua_pushliteral(L, ""); /* lock strings' metatable */
    lua_getmetatable(L, -1);
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 2);

    lua_newtable(L); /* next()'s walks */
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    sb->ref_walks = luaL_ref(L, LUA_REGISTRYINDEX);

    /* Nothing should ever see the state's own globals; empty them. */
    lua_newtable(L);
    lua_rawseti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    return 1;
}

void ls_sandbox_seal(lua_State *L, int g)
{
    g = lua_absindex(L, g);
    lua_createtable(L, 0, 3);
    lua_pushcfunction(L, global_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, global_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, g);
}
