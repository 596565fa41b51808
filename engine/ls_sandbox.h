/*
 * ls_sandbox.h - the Lua sandbox rule scripts run in: what a script can
 * call (the library tables), the limits it runs under (memory cap,
 * instruction budget, time), read-only proxies, `pairs`/`next` in
 * sorted key order, and the errors for names that are not there.
 *
 * The library set-up is table-driven, as Lua's linit.c lists its
 * libraries: ls_sandbox_libs names the libraries opened, ls_sandbox_keep
 * the members a rule gets as Lua defines them, ls_sandbox_replace the
 * members it gets as the sandbox defines them, ls_sandbox_remove the names
 * that are refused with a reason.  A library member in none of the tables
 * is dropped (an allow-list): an auditor reads in these tables everything
 * a rule can call.
 *
 * The sandbox knows nothing of schemes or rules: the Lua backend (ls_lua)
 * adds the rule's objects (ls_lua_api) and runs the calls.
 *
 * The replacements themselves (charged library calls, plain string.find,
 * the stable table.sort) are in ls_sandbox_lib; the time limit's thread
 * is ls_watchdog.
 *
 * Depends on: ls_i18n, ls_sandbox_lib, ls_watchdog, Lua 5.4 (lua.h; only
 * the ls_lua* and ls_sandbox* files include it), ls_util.
 */
#ifndef LS_SANDBOX_H
#define LS_SANDBOX_H

#include <stddef.h>

#include <lua.h>

#include "ls_util.h"

/* ---- what a rule can call ----------------------------------------------- */

/* One library member (or, with lib "_G", one global). */
typedef struct ls_sandbox_name {
    const char *lib; /* "_G", "string", "math", "table", "utf8" */
    const char *name;
} ls_sandbox_name;

/* A member replaced by ours.  `fn` is the C function a rule reaches;
 * `wrap` means the original goes into its upvalue 1 (it is called after
 * our checks), `named` that the member's name goes into the next upvalue
 * (for messages). */
typedef struct ls_sandbox_repl {
    const char *lib;
    const char *name;
    lua_CFunction fn;
    int wrap, named;
} ls_sandbox_repl;

/* A name refused with a reason ("'os' is not available in rules (the
 * sandbox gives rules no files, ...)").  `name` is "os" for a global,
 * "string.dump" for a library member. */
typedef struct ls_sandbox_refusal {
    const char *name;
    const char *why;
} ls_sandbox_refusal;

/* A library opened, as linit.c lists them: Lua's name ("_G", "string",
 * ...) and its luaopen_ function. */
typedef struct ls_sandbox_lib {
    const char *name;
    lua_CFunction open;
} ls_sandbox_lib;

/* The tables; each ends with a row whose name is NULL. */
extern const ls_sandbox_lib ls_sandbox_libs[];
extern const ls_sandbox_name ls_sandbox_keep[];
extern const ls_sandbox_repl ls_sandbox_replace[];
extern const ls_sandbox_refusal ls_sandbox_remove[];

/* ---- limits --------------------------------------------------------------- */

#define LS_SANDBOX_PRINT_CALL 16384    /* bytes print() may write in one call */
#define LS_SANDBOX_PRINT_RUN (1 << 20) /* ... and shown in all, by every state
                                          of the process (then a note) */

/* Time and fast calls.  A call made with ls_sandbox_begin(L, 1) runs
 * without any hook (a count hook alone slows the VM by 25 % to 2x): a
 * watchdog thread of the state asks it (by a signal to the thread running
 * it, whose handler sets the count hook, as lua_sethook allows) to stop
 * when it has run for a tick (4 ms), and ls_sandbox_end says when the call
 * must run again with the count hook from its first instruction (stopped,
 * over LS_SANDBOX_FAST_NS_PER_INSTRUCTION x budget in time, or charged
 * past the budget).  No VM executes an instruction in 0.1 ns, so a call
 * run fast to its end stayed within its budget, and the budget and its
 * messages are those of the exact run: the outcome does
 * not depend on timing.  The same thread ends any call, fast or exact,
 * that has used max_seconds of CPU time ("time limit of 0.5 s
 * exceeded"): a single VM instruction (a concatenation or comparison of
 * long strings) can take milliseconds without reaching the count hook. */
#ifndef LS_SANDBOX_FAST_NS_PER_INSTRUCTION /* -D for measuring under valgrind */
#define LS_SANDBOX_FAST_NS_PER_INSTRUCTION 0.1
#endif

struct ls_watchdog;

/* A line event while a line hook is set (coverage). */
typedef void (*ls_sandbox_line_fn)(lua_State *L, lua_Debug *ar, void *ctx);

/* Small blocks of a state's memory: LS_SANDBOX_POOL_CLASSES free lists
 * (16, 32, ... 256 bytes) carved from chunks of LS_SANDBOX_POOL_CHUNK
 * bytes.  A rule call makes and drops a few dozen small tables and
 * strings; malloc and free of each cost more than the rest of the
 * allocator.  The state runs on one thread at a time, so no locks. */
#define LS_SANDBOX_POOL_GRAIN 16
#define LS_SANDBOX_POOL_CLASSES 16
#define LS_SANDBOX_POOL_CHUNK (64 * 1024)
typedef struct ls_sandbox_pool {
    void *free[LS_SANDBOX_POOL_CLASSES]; /* blocks of each size, linked
                                            through their first word */
    char *next, *end;                    /* the unused rest of the newest chunk */
    void *chunks;                        /* every chunk, linked through its
                                            first word */
} ls_sandbox_pool;

/* The state of one sandboxed lua_State: limits and what its hook needs.
 * Owned by the caller (the Lua backend embeds it). */
typedef struct ls_sandbox {
    size_t mem_used, mem_limit; /* bytes, whole state: what Lua asked
                                    for (the pool's chunks and malloc's
                                    own overhead not counted) */
    size_t mem_base;            /* 0, or while a refused call is
                                    confirmed, the state's size after a
                                    full collection with the helpers'
                                    memos emptied, then added to
                                    mem_limit (the allocator's check
                                    stays one comparison) */
    ls_sandbox_pool pool;       /* blocks up to 256 bytes */
    long budget;                /* instructions per call */
    long left;                  /* of the budget, before the current period */
    int period;                 /* instructions the hook is armed for */
    int over;                   /* the current call is over a limit: 1
                                    budget, 3 time (sticky), 4
                                    a fast call must run again exactly */
    double max_seconds;         /* CPU seconds a call may use; 0: none */
    int fast;                   /* the current call runs without hooks */
    long charged;               /* fast call: instructions charged */
    unsigned long seq;          /* calls begun (ls_sandbox_begin) */
    double t0;                  /* when the current call began */
    int want_return;            /* exact calls: record return_line */
    int return_line;            /* the line of the last return from a
                                    rule script ('@' source) */
    struct ls_watchdog *wd;     /* the state's watchdog thread, or NULL */
    ls_sandbox_line_fn on_line; /* line hook (coverage), or NULL */
    void *line_ctx;
    const char *who;    /* print()'s prefix: the running rule's
                                    path, or NULL ("lawscore.lua") */
    ls_buf printed;     /* print() output of the current call,
                                    written out by ls_sandbox_flush */
    int ref_walks;      /* table -> {sorted keys, key -> position}
                                    for next(), weak keys */
    void *host;         /* the owner's pointer, for its C functions */
    lua_State *running; /* the state while a call runs (begin to end) */
    int oom_line;       /* the line of the rule script ('@' source)
                                    running when the allocator last refused
                                    in the current call, or 0 */
    int name_error;     /* the error being raised is a name that is
                                    nowhere (ls_sandbox_name_error): the
                                    message handler reads and clears it */
} ls_sandbox;

/* A new Lua state whose memory is capped at mem_limit bytes and whose
 * calls run under a budget of `budget` instructions (both > 0), with sb
 * (caller-owned, must outlive the state; host is kept) as its sandbox.
 * The state has no libraries yet: run ls_sandbox_open.  Returns NULL when
 * the state cannot be made within the cap.  Close with
 * ls_sandbox_close. */
lua_State *ls_sandbox_state_new(ls_sandbox *sb, size_t mem_limit, long budget, void *host);

/* Close a state made by ls_sandbox_state_new (NULL: none) and free the
 * memory its allocator keeps in sb.  Call after ls_sandbox_cleanup. */
void ls_sandbox_close(ls_sandbox *sb, lua_State *L);

/* The sandbox of a state made by ls_sandbox_state_new. */
ls_sandbox *ls_sandbox_of(lua_State *L);

/* Start counting a fresh budget for one call (instruction count hook, and
 * the line hook when sb->on_line is set).  Once over budget the
 * hook raises on every further instruction (sticky), so nothing in the
 * script outlives the limit.  ls_sandbox_disarm removes the hooks. */
void ls_sandbox_arm(lua_State *L);
void ls_sandbox_disarm(lua_State *L);

/* Begin a rule call on this thread: fast (no hook; see above) when `fast`
 * and the state has no line hook, else exact (ls_sandbox_arm); either way
 * under the time limit sb->max_seconds when it is > 0.  Returns whether
 * the call runs fast. */
int ls_sandbox_begin(lua_State *L, int fast);
/* End the call begun by ls_sandbox_begin (hooks off).  Returns 1 when it
 * ran fast and must be run again exactly (its results discarded), else
 * 0. */
int ls_sandbox_end(lua_State *L);

/* Stop the state's watchdog thread and free what print() gathered.  Call
 * before lua_close when ls_sandbox_begin was used. */
void ls_sandbox_cleanup(ls_sandbox *sb);

/* Charge `units` instructions to the current call's budget for work done
 * inside a C function (one a byte or element handled), which the count
 * hook never sees; raises the budget error naming `what` (e.g.
 * "string.upper") when the budget is spent.  Call only from C functions a
 * rule calls. */
void ls_sandbox_charge(lua_State *L, double units, const char *what);

/* Write what print() gathered during the call to stderr (show != 0) or
 * drop it (a call that is run again), and free the buffer.  Call after
 * each call and before lua_close. */
void ls_sandbox_flush(lua_State *L, int show);

/* ---- set-up ------------------------------------------------------------------ */

/* A lua_CFunction, to be run under lua_pcall: opens ls_sandbox_libs,
 * cuts each real library table down to the keep and replace tables
 * (strings reach `string` through their metatable, so a copy would not
 * do), locks the string metatable, and pushes a new table G holding the
 * kept and replaced globals and read-only proxies of the libraries.  G
 * has no metatable yet: add the rule's own names, then ls_sandbox_seal.
 * Also makes the table `next` keeps its walks in.  Returns 1 (G). */
int ls_sandbox_open(lua_State *L);

/* Give the globals table at index g its metatable: reading a name that is
 * nowhere is an error (naming refused names with their reason, else
 * suggesting the nearest name); writing raises an internal error. */
void ls_sandbox_seal(lua_State *L, int g);

/* Replace the table on top of the stack by a read-only proxy of it named
 * `name` (for messages): writes raise an error, # and our pairs/next see
 * the real table. */
void ls_sandbox_readonly(lua_State *L, const char *name);

/* Give the table on top a metatable for a read-only proxy whose values
 * come from a C __index (the function just below the table, consumed);
 * `keys` (sorted; copied) are what `pairs` and `next` walk. */
void ls_sandbox_cproxy(lua_State *L, const char *name, const char *const *keys, size_t nkeys);

/* ---- helpers for the C functions rules call ----------------------------- */

/* Raise a Lua error with a formatted message (no position: the message
 * handler finds the script line). */
int ls_sandbox_error(lua_State *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same for a name that is nowhere, whatever the data: an unknown
 * global or library member ('per_occurence'), a refused one ('os'), a
 * misspelt field of unit or item or flag.  The error is marked so
 * (ls_sandbox.name_error) whatever language the message is in, for
 * `check` to tell a broken rule from one that fails on some data. */
int ls_sandbox_name_error(lua_State *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "nil", "a string", "a table", ... of the value at i, for messages. */
const char *ls_sandbox_a_type(lua_State *L, int i);

/* A table key at i as text for messages: the string itself, [3], or
 * [a table]; written into buf. */
const char *ls_sandbox_key_text(lua_State *L, int i, char *buf, size_t size);

/* A C function that calls the function in its upvalue 1 with all its
 * arguments and returns all its results (an original library function
 * behind our checks, or a helper behind a C frame). */
int ls_sandbox_call_upvalue(lua_State *L);

/* Push the text of the value at i as tostring gives it in rules: Lua's
 * own text for numbers, strings, booleans and nil, but no memory addresses
 * ("table", "table: data" for a read-only proxy, "function:
 * rules/x.lua:3", "function: builtin").  Returns the text, which lives
 * while the pushed string is on the stack. */
const char *ls_sandbox_push_text(lua_State *L, int i);

/* Push x as a Lua integer when it is one (tostring(2) is "2"), else as a
 * float. */
void ls_sandbox_push_num(lua_State *L, double x);

#endif
