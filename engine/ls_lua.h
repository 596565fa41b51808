/*
 * ls_lua.h - the Lua 5.4 rule backend: a sandboxed Lua state that runs the
 * rule scripts bound to a scheme's items.
 *
 * Sandbox: scripts get no file system, process, network, module loading,
 * bytecode, debug access, randomness, metatables or pcall; Lua pattern
 * functions (which can run for minutes inside one C call) are replaced by
 * plain-text search.  Each call runs under an instruction budget (sticky:
 * once over, every further instruction raises) and the state under a
 * memory cap.  Each call gets fresh globals over read-only libraries, so a
 * unit's result never depends on the units scored before it.  The sandbox
 * is ls_sandbox.c (what a rule can call: its keep/replace/remove tables),
 * the objects a rule sees ls_lua_api.c, coverage ls_lua_cover.c, the
 * checking of what a rule returns ls_lua_result.c; the replaced library
 * functions are ls_sandbox_lib.c and the time limit's thread ls_watchdog.c.
 *
 * Depends on: ls_i18n, ls_rule, ls_coverage, Lua 5.4 (in ls_lua.c: this header
 * includes no Lua header), ls_sandbox, ls_lua_api, ls_lua_cover,
 * ls_lua_result, ls_util.
 */
#ifndef LS_LUA_H
#define LS_LUA_H

#include "ls_coverage.h"
#include "ls_rule.h"

#define LS_LUA_DEFAULT_INSTRUCTIONS 1000000L /* per rule call */
#define LS_LUA_DEFAULT_MEMORY (64L << 20)    /* bytes per state */
#define LS_LUA_DEFAULT_SECONDS 0.5           /* CPU seconds per rule call */
/* Overrides the default time limit (not --max-seconds): seconds. */
#define LS_LUA_SECONDS_ENV "LAWSCORE_MAX_SECONDS"

typedef struct ls_lua_limits {
    long max_instructions; /* 0 = scheme's, else default */
    long max_memory;       /* 0 = scheme's, else default */
    double max_seconds;    /* 0 = default */
} ls_lua_limits;

/* A new Lua backend for scheme s (not owned; must outlive it).  The data
 * set comes with each call.  Returns NULL with an error in err when the
 * state or the helper library cannot be set up.  Free with
 * ls_backend_free. */
ls_backend *ls_lua_backend_new(const ls_scheme *s, const ls_lua_limits *lim,
                               ls_errors *err);

/* Record line coverage in cov (not owned; it must outlive the backend's
 * use): which lines of each rule script bound from now on hold code, and
 * which lines ran in every call.  A line hook runs beside the instruction
 * budget's count hook, so calls get slower: for `lawscore test --coverage`.
 * `b` must be a backend made by ls_lua_backend_new. */
void ls_lua_backend_cover(ls_backend *b, ls_coverage *cov);

/* ---- probing (for ls_lint only) --------------------------------------
 *
 * While a probe function is set, a rule that names an indicator the
 * catalogue lacks (data.x, stats("x"), name_of("x")) does not fail: fn is
 * called with the name as written ("late_report", or "[1]" for a key that
 * is not a string) and the line of the rule script that read it (0 when
 * unknown), and the read gives nil (stats: {count = 0, sum = 0}; name_of:
 * the name itself).  So one probe call finds every misspelled name the
 * rule reaches, not only the first.  fn must not fail.  Pass fn = NULL to
 * end probing; scoring must never run with a probe function set.  `b`
 * must be a backend made by ls_lua_backend_new. */
typedef void (*ls_lua_unknown_fn)(void *ctx, const char *name, int line);
void ls_lua_backend_probe(ls_backend *b, ls_lua_unknown_fn fn, void *ctx);

#endif
