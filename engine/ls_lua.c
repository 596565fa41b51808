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
 * available in rules ...").  G holds what the sandbox allows (ls_sandbox:
 * the library tables, limits, read-only proxies, sorted pairs/next), the
 * rule's objects (ls_lua_api: data, unit, stats, name_of, and item and
 * params, built once per leaf at bind time and swapped into G when the
 * leaf changes) and the helpers (each behind a C function, see setup).
 *
 * The helper library runs with its own globals table HG: a copy of G
 * (made once G is complete; G does not change after set-up but for item
 * and params), whose `item` is the leaf's real item table rather than its
 * read-only proxy, and which has no `params` (the helpers never read it:
 * reading it would be an error, not a stale value).  The helpers read item.kind, item.points ... a dozen
 * times a call, and a read through the proxy costs a miss, a metamethod
 * lookup and a second read; they never write it.  Rules only ever see G.
 *
 * Errors go through a C message handler that records the message (without
 * its "file:line:" prefix), the line in the rule script (also for errors
 * raised inside helpers) and a traceback of the Lua frames, without
 * allocating in Lua.  Every use of the Lua API that can allocate runs
 * under lua_pcall, so hitting the memory cap is an error of that call,
 * never a panic.
 *
 * What a call returns is checked and taken by ls_lua_result.
 *
 * Depends on: ls_i18n, ls_sandbox, ls_lua_api, ls_lua_cover, ls_lua_result,
 * Lua 5.4 (lua.h, lauxlib.h), ls_rule, ls_coverage, ls_util.
 */
#include "ls_lua.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "ls_lua_api.h"
#include "ls_lua_cover.h"
#include "ls_lua_result.h"
#include "ls_sandbox.h"
#include "ls_i18n.h"
#include "ls_util.h"

/* rules/lawscore.lua, embedded by the Makefile. */
extern const char ls_helpers_lua[];
extern const size_t ls_helpers_lua_len;

#define HELPERS_CHUNK "=lawscore.lua"
/* Script-frame scan and traceback limits (lua_getstack is linear in the
 * level, so stack walks stay short). */
#define SCAN_LEVELS 64
#define TRACE_FRAMES 20
/* An error message is kept to this many bytes of text (then "..."): it
 * is printed, and with --keep-going it is the cell's explanation in the
 * results. */
#define ERROR_TEXT_MAX 1024
/* A failed script load, kept in the script cache so it is reported once. */
#define SCRIPT_FAILED (-2)

typedef struct luab {
    ls_backend base; /* first: the engine sees only this */
    const ls_scheme *s;
    lua_State *L;
    ls_sandbox sb;           /* limits and hooks; sb.host is this */
    ls_lua_api api;          /* the rule's objects; api.cur is the call
                                    being evaluated, or NULL */
    ls_lua_cover cover;      /* line coverage (ls_lua_backend_cover) */
    int cur_node;            /* leaf whose item/params are in G, or -1 */
    int env_dirty;           /* the last call wrote globals */
    int in_results;          /* run_call is checking what the rule returned */
    int finding_return;      /* run_call stops when the rule returns */
    int *fn, *item, *params; /* per node: registry refs, LUA_NOREF */
    int *item_real;          /* per node: the table behind item's proxy */
    unsigned env_gen;        /* bumped each time ref_env is replaced */
    unsigned *env_set;       /* per node: env_gen when its chunk's _ENV
                                was last set (0: never) */
    ls_strmap scripts;       /* rule path -> ref of its compiled chunk */
    int ref_G, ref_env, ref_envmt;
    int ref_run;   /* run_call with its upvalues (G, HG, key strings) */
    int ref_names; /* helper function -> name, for tracebacks */
    int ref_host;  /* the helpers' host table: host.forget empties their memos */
    /* caught by the message handler during the current call */
    char *e_msg, *e_trace;
    int e_line;
    ls_rule_err_kind e_kind;
} luab;

static luab *backend_of(lua_State *L)
{
    return ls_sandbox_of(L)->host;
}

/* ---- the message handler ---------------------------------------------- */

static void clear_pending(luab *b)
{
    free(b->e_msg);
    free(b->e_trace);
    b->e_msg = b->e_trace = NULL;
    b->e_line = 0;
    b->e_kind = LS_RULE_ERR_RUNTIME;
}

/* A new empty _ENV for the next call (the last one wrote globals). */
static void fresh_env(lua_State *L, luab *b)
{
    lua_createtable(L, 0, 0);
    lua_rawgeti(L, LUA_REGISTRYINDEX, b->ref_envmt);
    lua_setmetatable(L, -2);
    lua_rawseti(L, LUA_REGISTRYINDEX, b->ref_env);
    b->env_dirty = 0;
    b->env_gen++;
}

/* Whether a frame runs the helper library. */
static int in_helpers(const lua_Debug *ar)
{
    return !strcmp(ar->source, HELPERS_CHUNK);
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
    /* lawscore.lua's own lines mean nothing to a rule author: the rule
     * line that called the helper is the frame to read. */
    if (*ar->what == 'C' || in_helpers(ar)) return 0;
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
    else if (ar->name && *ar->namewhat) { /* a table key: any bytes, line breaks too */
        char nb[160];
        ls_buf_printf(t, "function '%s'", ls_excerpt(ar->name, 100, nb, sizeof nb));
    } else if (helper) ls_buf_printf(t, "function '%s'", helper);
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
        snprintf(buf, sizeof buf, _("error object is %s value"),
                 lua_type(L, 1) == LUA_TNIL ? _("a nil") : ls_sandbox_a_type(L, 1));
        msg = buf;
    }
    /* The innermost frame of a rule script gives the line (errors raised
     * inside helpers point at the rule line that called the helper); a
     * leading "file:line: " of any frame is dropped from the message. */
    lua_Debug ar;
    int line = 0, stripped = 0, first = 1;
    ls_rule_err_kind kind = LS_RULE_ERR_RUNTIME;
    /* marked where it was raised: the message may be in any language */
    ls_sandbox *sb = ls_sandbox_of(L);
    if (sb->name_error) kind = LS_RULE_ERR_NAME;
    sb->name_error = 0;
    for (int level = 1; level <= SCAN_LEVELS && lua_getstack(L, level, &ar); level++) {
        lua_getinfo(L, "Sl", &ar);
        if (*ar.what == 'C') continue;
        /* raised inside the helper library: a helper refused what the
         * rule gave it (its arguments, the item it is used on) */
        if (first && in_helpers(&ar)) kind = LS_RULE_ERR_HELPER;
        first = 0;
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
    /* A script's error() can raise any bytes: megabytes, invalid UTF-8,
     * control characters, line breaks that read as another diagnostic.
     * The message becomes text for a terminal and for the results (the
     * cell's explanation with --keep-going), valid UTF-8 in any output:
     * cut in whole characters, control and invalid bytes as \n, \xNN. */
    char text[ERROR_TEXT_MAX + 64];
    ls_excerpt(msg, ERROR_TEXT_MAX, text, sizeof text);
    clear_pending(b);
    b->e_msg = ls_xstrdup(text);
    b->e_line = line;
    b->e_kind = kind;
    if (shown) {
        b->e_trace = t.p;
    } else { /* no script frame to show (e.g. a bad return value) */
        ls_buf_cleanup(&t);
        b->e_trace = NULL;
    }
    lua_settop(L, 1);
    return 1;
}

/* ---- one call ---------------------------------------------------------- */

/* run_call's upvalues: what every call uses, made once (see setup). */
enum {
    UP_G = 1,
    UP_HG,
    UP_ITEM,
    UP_PARAMS,
    UP_SCORE,
    UP_REASONS,
    UP_N = UP_REASONS
};

/* Run the current call's rule (under lua_pcall) and convert its results. */
static int run_call(lua_State *L)
{
    luab *b = backend_of(L);
    ls_rule_call *c = b->api.cur;
    int node = c->node;
    lua_settop(L, 0);
    if (node != b->cur_node) {
        lua_pushvalue(L, lua_upvalueindex(UP_ITEM));
        lua_rawgeti(L, LUA_REGISTRYINDEX, b->item[node]);
        lua_rawset(L, lua_upvalueindex(UP_G));
        lua_pushvalue(L, lua_upvalueindex(UP_PARAMS));
        lua_rawgeti(L, LUA_REGISTRYINDEX, b->params[node]);
        lua_rawset(L, lua_upvalueindex(UP_G));
        /* HG has no params: the helpers never read it */
        lua_pushvalue(L, lua_upvalueindex(UP_ITEM));
        lua_rawgeti(L, LUA_REGISTRYINDEX, b->item_real[node]);
        lua_rawset(L, lua_upvalueindex(UP_HG));
        b->cur_node = node;
    }
    if (b->env_dirty) fresh_env(L, b);
    lua_rawgeti(L, LUA_REGISTRYINDEX, b->fn[node]);
    /* The chunk's _ENV, unless this node last set it to the same _ENV
     * (closures shared by leaves of one script are set again by each). */
    if (b->env_set[node] != b->env_gen) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, b->ref_env);
        lua_setupvalue(L, 1, 1);
        b->env_set[node] = b->env_gen;
    }
    b->in_results = 0;
    lua_call(L, 0, LUA_MULTRET);
    if (b->finding_return) return 0;
    b->in_results = 1;

    ls_lua_result_take(L, b->s->nodes[node].section == LS_SEC_VETO, c, lua_upvalueindex(UP_SCORE),
                       lua_upvalueindex(UP_REASONS));
    return 0;
}

/* The script line of the `return` whose values were refused: the call
 * (deterministic) runs once more with a return hook, its results not
 * taken.  0 when it cannot be found. */
static int find_return_line(luab *b)
{
    lua_State *L = b->L;
    b->finding_return = 1;
    b->sb.want_return = 1;
    b->sb.return_line = 0;
    lua_settop(L, 0);
    lua_rawgeti(L, LUA_REGISTRYINDEX, b->ref_run);
    ls_sandbox_begin(L, 0);
    int st = lua_pcall(L, 0, 0, 0);
    ls_sandbox_end(L);
    lua_settop(L, 0);
    ls_sandbox_flush(L, 0);
    b->finding_return = 0;
    b->sb.want_return = 0;
    lua_rawgeti(L, LUA_REGISTRYINDEX, b->ref_env);
    lua_pushnil(L);
    if (lua_next(L, 1)) b->env_dirty = 1;
    lua_settop(L, 0);
    return st == LUA_OK ? b->sb.return_line : 0;
}

/* The time limit when none is given: LS_LUA_DEFAULT_SECONDS, or
 * $LAWSCORE_MAX_SECONDS (for machines far slower than usual, such as
 * under valgrind). */
static double default_seconds(void)
{
    const char *env = getenv(LS_LUA_SECONDS_ENV);
    char *end = NULL;
    double x = env && *env ? strtod(env, &end) : 0;
    return end && !*end && x > 0 && x <= 3600 ? x : LS_LUA_DEFAULT_SECONDS;
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
    b->api.cur = c;
    b->sb.who = path;
    int st, again, confirming = 0;
    /* First without hooks (ls_sandbox_begin); a call that must be run
     * again, and any call that failed, runs again with the count hook
     * from its first instruction, so its outcome is that of the exact
     * run whatever the timing.  While probing, calls run once, exactly:
     * the probe function must hear of each unknown name once. */
    for (int fast = !b->api.probe_fn;; fast = 0) {
        ls_lua_api_call_begin(&b->api);
        clear_pending(b);
        lua_settop(L, 0);
        lua_pushcfunction(L, msgh);
        lua_rawgeti(L, LUA_REGISTRYINDEX, b->ref_run);
        int ran_fast = ls_sandbox_begin(L, fast);
        st = lua_pcall(L, 0, 0, 1);
        again = ls_sandbox_end(L) || (ran_fast && st != LUA_OK);
        lua_settop(L, 0);
        /* A call that set globals leaves them in its _ENV: the next call
         * gets a new one.  Most rules only use locals and reuse the empty
         * table. */
        lua_rawgeti(L, LUA_REGISTRYINDEX, b->ref_env);
        lua_pushnil(L);
        if (lua_next(L, 1)) b->env_dirty = 1;
        lua_settop(L, 0);
        if (!again && st == LUA_ERRMEM && !confirming && !b->api.probe_fn) {
            /* Refused memory: the whole state counted, with what earlier
             * calls left (the helpers' memos, garbage), which differs
             * between states and so with --jobs.  The refusal is final
             * only if the call, run again exactly, keeps more than the
             * cap alive beyond the state's own data: the memos emptied,
             * a new _ENV, a full collection, and its size then not
             * counted (docs/rules.md). */
            confirming = 1;
            again = 1;
            clear_pending(b);
            if (b->env_dirty) fresh_env(L, b);
            lua_rawgeti(L, LUA_REGISTRYINDEX, b->ref_host);
            lua_getfield(L, -1, "forget");
            lua_call(L, 0, 0); /* allocates nothing */
            lua_settop(L, 0);
            lua_gc(L, LUA_GCCOLLECT);
            b->sb.mem_base = b->sb.mem_used <= SIZE_MAX - b->sb.mem_limit ? b->sb.mem_used : 0;
            b->sb.mem_limit += b->sb.mem_base;
        }
        if (!again) break;
        /* No full collection before the exact run: it cost more than the
         * call (the state holds every item's tables), and a run again is
         * common on a busy machine (a call preempted past the time
         * bound).  The memory cap does not depend on it: Lua collects
         * in full before it fails an allocation. */
        ls_sandbox_flush(L, 0);
        ls_strlist_cleanup(&c->reasons);
        c->value = 0;
    }
    b->sb.mem_limit -= b->sb.mem_base;
    b->sb.mem_base = 0;
    ls_sandbox_flush(L, 1);
    if (st != LUA_OK && st != LUA_ERRMEM && b->in_results && b->e_msg && !b->e_line) {
        ls_strlist_cleanup(&c->reasons);
        b->e_line = find_return_line(b);
    }
    b->api.cur = NULL;
    b->sb.who = NULL;
    if (st == LUA_OK) return 0;

    ls_strlist_cleanup(&c->reasons);
    c->value = 0;
    if (st == LUA_ERRMEM) {
        char mb[32];
        clear_pending(b);
        lua_gc(L, LUA_GCCOLLECT);
        return ls_rule_call_fail(c, path, b->sb.oom_line, "memory limit of %s MB exceeded",
                                 mb_text(b->sb.mem_limit, mb, sizeof mb));
    }
    if (!b->e_msg) {
        clear_pending(b);
        return ls_rule_call_fail(c, path, 0, "error while handling an error (stack overflow?)");
    }
    ls_rule_call_fail(c, path, b->e_line, "%s", b->e_msg);
    free(c->err_trace);
    c->err_trace = b->e_trace;
    b->e_trace = NULL;
    c->err_kind = b->e_kind;
    ls_lua_result_blame_params(&b->api, b->s, c);
    clear_pending(b);
    if (b->sb.over) lua_gc(L, LUA_GCCOLLECT);
    return -1;
}

/* ---- binding a leaf ----------------------------------------------------- */

typedef struct bind_job {
    int node;
    FILE *text; /* the script to compile, or NULL (cached) */
    int fn_ref; /* in when cached, out when compiled */
    int item_ref, item_real_ref, params_ref;
    char *err; /* a compile or parameter error (owned) */
    int err_line, err_col;
    int err_in_scheme; /* the error is in the scheme file, not the script */
    int rd_line;       /* the line of the text the reader gave Lua last */
    int rd_nl;         /* that text ended a line */
    char rd_buf[4096]; /* what the reader gives Lua */
} bind_job;

/* Gives Lua the script a line at a time (at most 4 KB at once), read
 * from the file as Lua asks: the file is never held whole (a script of
 * gigabytes of comments costs its reading time, not its size), and the
 * line the lexer is on is known when Lua's own message has none ("C stack
 * overflow", no memory): the lexer reads at most one character ahead. */
static const char *line_reader(lua_State *L, void *ud, size_t *size)
{
    (void)L;
    bind_job *job = ud;
    size_t n = 0;
    int c = 0;
    while (n < sizeof job->rd_buf && (c = getc_unlocked(job->text)) != EOF) {
        job->rd_buf[n++] = (char)c;
        if (c == '\n') break;
    }
    *size = n;
    if (!n) return NULL;
    if (job->rd_nl || !job->rd_line) job->rd_line++;
    job->rd_nl = c == '\n';
    return job->rd_buf;
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
        job->rd_line = 0;
        job->rd_nl = 0;
        int st = lua_load(L, line_reader, job, lua_tostring(L, 1), "t");
        if (st == LUA_ERRMEM) return lua_error(L);
        if (st != LUA_OK) {
            const char *m = lua_tostring(L, -1);
            job->err_line = job->rd_line > 0 ? job->rd_line : 0; /* unless Lua names one */
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
            if (m && !strcmp(m, "C stack overflow"))
                m = _("the script is too complex for Lua to compile (C stack overflow): nested too deeply, or too many "
                      "gotos or labels in one block?");
            job->err = ls_xstrdup(m ? m : _("cannot compile the script"));
            return 0;
        }
        lua_rawgeti(L, LUA_REGISTRYINDEX, b->ref_env);
        lua_setupvalue(L, -2, 1);
        job->fn_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    }
    ls_lua_api_push_item(L, b->s, job->node);
    lua_getmetatable(L, -1);
    lua_getfield(L, -1, "__proxy");
    job->item_real_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pop(L, 1);
    job->item_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    ls_lua_param_error pe = {NULL, 0, 0};
    if (ls_lua_api_push_params(L, nd->rule.params, &b->api, &pe)) {
        job->err = pe.msg;
        job->err_line = pe.line;
        job->err_col = pe.col;
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
    job.fn_ref = job.item_ref = job.item_real_ref = job.params_ref = LUA_NOREF;
    FILE *text = NULL;
    int cached = ls_strmap_get(&b->scripts, nd->rule.path);
    if (cached == SCRIPT_FAILED) return -1; /* reported with the first item */
    if (cached >= 0) {
        job.fn_ref = cached;
    } else {
        unsigned char head[3];
        size_t got = 0;
        text = fopen(nd->rule.path, "rb");
        if (text) got = fread(head, 1, sizeof head, text);
        if (!text || ferror(text)) {
            int e = errno;
            if (text) fclose(text);
            ls_strmap_put(&b->scripts, nd->rule.path, SCRIPT_FAILED, NULL);
            return ls_errorf(err, s->path, nd->rule.line, nd->rule.col,
                             "cannot read rule script '%s': %s", nd->rule.path, strerror(e));
        }
        size_t skip = got == 3 && !memcmp(head, "\xEF\xBB\xBF", 3) ? 3 : 0; /* a UTF-8 BOM */
        if (got > skip && head[skip] == (unsigned char)LUA_SIGNATURE[0]) {
            fclose(text);
            ls_strmap_put(&b->scripts, nd->rule.path, SCRIPT_FAILED, NULL);
            return ls_errorf(err, nd->rule.path, 0, 0,
                             "this is precompiled Lua bytecode: rules must be Lua source text");
        }
        rewind(text);
        if (skip) (void)fread(head, 1, skip, text);
        job.text = text;
    }
    lua_State *L = b->L;
    lua_settop(L, 0);
    ls_sandbox_disarm(L);
    lua_pushcfunction(L, bind_protected);
    lua_pushlightuserdata(L, &job);
    int st = lua_pcall(L, 1, 0, 0);
    int read_errno = text && ferror(text) ? errno : 0;
    int compiled = text != NULL; /* this bind compiled the script */
    if (text) fclose(text);
    job.text = NULL;
    int rc = 0;
    if (read_errno) { /* Lua took the error for the end of the script */
        rc = ls_errorf(err, s->path, nd->rule.line, nd->rule.col, "cannot read rule script '%s': %s",
                       nd->rule.path, strerror(read_errno));
        lua_settop(L, 0);
        if (job.fn_ref != LUA_NOREF) luaL_unref(L, LUA_REGISTRYINDEX, job.fn_ref);
        job.fn_ref = LUA_NOREF;
    } else if (st != LUA_OK) {
        char mb[32];
        rc = ls_errorf(err, nd->rule.path, compiled ? job.rd_line : 0, 0,
                       st == LUA_ERRMEM ? N_("memory limit of %s MB exceeded while loading the rule")
                                        : N_("cannot load the rule (%s)"),
                       st == LUA_ERRMEM                 ? mb_text(b->sb.mem_limit, mb, sizeof mb)
                       : lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
                                                        : "?");
        lua_settop(L, 0);
        lua_gc(L, LUA_GCCOLLECT);
    } else if (job.err && !job.err_in_scheme) {
        rc = ls_errorf(err, nd->rule.path, job.err_line, 0, "%s", job.err);
    } else if (job.err) {
        rc = ls_errorf(err, s->path, job.err_line, job.err_col, "%s", job.err);
    }
    if (compiled && job.fn_ref == LUA_NOREF) cached = SCRIPT_FAILED;
    else if (compiled) cached = job.fn_ref;
    if (compiled) ls_strmap_put(&b->scripts, nd->rule.path, cached, NULL);
    free(job.err);
    if (rc) {
        if (job.item_ref != LUA_NOREF) luaL_unref(L, LUA_REGISTRYINDEX, job.item_ref);
        if (job.item_real_ref != LUA_NOREF) luaL_unref(L, LUA_REGISTRYINDEX, job.item_real_ref);
        if (job.params_ref != LUA_NOREF) luaL_unref(L, LUA_REGISTRYINDEX, job.params_ref);
        return -1;
    }
    b->fn[node] = job.fn_ref;
    if (b->cover.cov && compiled) ls_lua_cover_chunk(&b->cover, L, nd->rule.path, job.fn_ref);
    b->item[node] = job.item_ref;
    b->item_real[node] = job.item_real_ref;
    b->params[node] = job.params_ref;
    return 0;
}

/* ---- setting up the state ---------------------------------------------- */

/* Under lua_pcall: the sandbox's G, the rule's objects, the helpers and
 * the environment. */
static int setup(lua_State *L)
{
    luab *b = backend_of(L);
    ls_sandbox_open(L); /* 1: G */
    lua_settop(L, 1);
    ls_lua_api_open(L, 1, &b->api);
    enum {
        helpers_chunk = 2
    }; /* the compiled library, kept for HG */
    lua_pushnil(L);

    /* The helper library runs with G as its _ENV (HG once G is complete).  Rules get each helper
     * behind a C function: `return per_occurrence(...)` is a tail call,
     * which for a Lua callee would replace the rule's frame and lose the
     * rule line an error in the helper should point at. */
    if (luaL_loadbufferx(L, ls_helpers_lua, ls_helpers_lua_len, HELPERS_CHUNK, "t") != LUA_OK)
        return lua_error(L);
    lua_pushvalue(L, 1);
    lua_setupvalue(L, -2, 1);
    lua_pushvalue(L, -1);
    lua_replace(L, helpers_chunk);
    ls_lua_api_push_host(L, &b->api); /* the chunk's `...` */
    lua_pushvalue(L, -1);
    b->ref_host = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_call(L, 1, 1);
    if (!lua_istable(L, -1)) return ls_sandbox_error(L, "lawscore.lua did not return its helpers");
    int h = lua_gettop(L);
    lua_newtable(L); /* function -> name */
    lua_pushnil(L);
    while (lua_next(L, h)) {
        lua_pushvalue(L, -2);
        lua_rawset(L, h + 1);
    }
    b->ref_names = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pushnil(L);
    while (lua_next(L, h)) {
        lua_pushvalue(L, -2);
        if (lua_rawget(L, 1) != LUA_TNIL)
            return ls_sandbox_error(L, "lawscore.lua: helper '%s' hides a built-in name",
                                    lua_tostring(L, -3));
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TFUNCTION) lua_pushcclosure(L, ls_sandbox_call_upvalue, 1);
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, 1);
    }
    lua_settop(L, helpers_chunk);
    ls_sandbox_seal(L, 1);

    /* HG (3): G's names, G's metatable (unknown names are errors). */
    lua_createtable(L, 0, 64);
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, 3);
    }
    lua_getmetatable(L, 1);
    lua_setmetatable(L, 3);
    /* The library's functions share the chunk's _ENV upvalue: setting it
     * through the function the chunk is (kept on the stack) moves them
     * all to HG. */
    lua_pushvalue(L, 3);
    if (!lua_setupvalue(L, helpers_chunk, 1)) return ls_sandbox_error(L, "lawscore.lua has no _ENV");
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 3);
    lua_pushliteral(L, "item");
    lua_pushliteral(L, "params");
    lua_pushliteral(L, "score");
    lua_pushliteral(L, "reasons");
    lua_pushcclosure(L, run_call, UP_N);
    b->ref_run = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_settop(L, 1);

    lua_createtable(L, 0, 2); /* _ENV's metatable */
    lua_pushvalue(L, 1);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_createtable(L, 0, 0); /* the first _ENV */
    lua_pushvalue(L, -2);
    lua_setmetatable(L, -2);
    b->ref_env = luaL_ref(L, LUA_REGISTRYINDEX);
    b->ref_envmt = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pushvalue(L, 1);
    b->ref_G = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

static void luab_free(ls_backend *self)
{
    luab *b = (luab *)self;
    if (!b) return;
    ls_sandbox_cleanup(&b->sb);
    ls_sandbox_close(&b->sb, b->L);
    free(b->fn);
    free(b->item);
    free(b->item_real);
    free(b->params);
    free(b->env_set);
    ls_strmap_cleanup(&b->scripts);
    ls_lua_api_cleanup(&b->api);
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
        *out = (ls_loaded_file){LS_LOADED_SCRIPT, r->path, r->path, "", NULL};
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
               : s->max_memory > 0        ? s->max_memory
                                          : LS_LUA_DEFAULT_MEMORY;
    long budget = lim && lim->max_instructions > 0 ? lim->max_instructions
                  : s->max_instructions > 0        ? s->max_instructions
                                                   : LS_LUA_DEFAULT_INSTRUCTIONS;
    size_t n = s->nnodes ? s->nnodes : 1;
    b->fn = ls_xmalloc(n * sizeof *b->fn);
    b->item = ls_xmalloc(n * sizeof *b->item);
    b->item_real = ls_xmalloc(n * sizeof *b->item_real);
    b->params = ls_xmalloc(n * sizeof *b->params);
    b->env_set = ls_xcalloc(n, sizeof *b->env_set);
    b->env_gen = 1;
    for (size_t i = 0; i < n; i++) b->fn[i] = b->item[i] = b->item_real[i] = b->params[i] = LUA_NOREF;
    ls_strmap_init(&b->scripts);
    b->ref_G = b->ref_env = b->ref_envmt = b->ref_names = b->ref_run = b->ref_host = LUA_NOREF;
    ls_lua_api_init(&b->api, s);

    char mb[32];
    b->L = ls_sandbox_state_new(&b->sb, (size_t)mem, budget, b);
    b->sb.max_seconds = lim && lim->max_seconds > 0 ? lim->max_seconds : default_seconds();
    if (!b->L) {
        ls_errorf(err, NULL, 0, 0, "cannot create the Lua state for rules (memory limit of %s MB)",
                  mb_text(b->sb.mem_limit, mb, sizeof mb));
        luab_free(&b->base);
        return NULL;
    }
    lua_State *L = b->L;
    lua_pushcfunction(L, setup);
    int st = lua_pcall(L, 0, 0, 0);
    ls_sandbox_disarm(L);
    ls_lua_api_cleanup(&b->api); /* the sorted keys are in the state now */
    if (st != LUA_OK) {
        if (st == LUA_ERRMEM)
            ls_errorf(err, NULL, 0, 0, "cannot set up the Lua rule sandbox within the memory limit of %s MB",
                      mb_text(b->sb.mem_limit, mb, sizeof mb));
        else
            ls_errorf(err, NULL, 0, 0, "cannot set up the Lua rule sandbox: %s",
                      lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "?");
        luab_free(&b->base);
        return NULL;
    }
    lua_settop(L, 0);
    lua_gc(L, LUA_GCCOLLECT);
    /* Generational: a call's tables die young, while the state's own
     * (items, params, the helpers) live for the run and need not be
     * marked and swept again for every few calls. */
    lua_gc(L, LUA_GCGEN, 0, 0);
    return &b->base;
}

/* ---- coverage and probing ------------------------------------------------ */

void ls_lua_backend_cover(ls_backend *self, ls_coverage *cov)
{
    luab *b = (luab *)self;
    b->cover.cov = cov;
    b->cover.src = NULL;
    b->cover.file = -1;
    b->sb.on_line = cov ? ls_lua_cover_line : NULL;
    b->sb.line_ctx = &b->cover;
}

void ls_lua_backend_probe(ls_backend *self, ls_lua_unknown_fn fn, void *ctx)
{
    luab *b = (luab *)self;
    b->api.probe_fn = fn;
    b->api.probe_ctx = fn ? ctx : NULL;
}
