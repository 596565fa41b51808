/*
 * ls_lua_api.h - what a Lua rule sees of the assessment (docs/rules.md,
 * "What a rule sees"): `data` (the unit's indicator values), `unit`,
 * `item`, `params`, `stats(id)`, `name_of(id)`, `unit_of(id)` (the
 * catalogue's measure word) and `label_of(value [, id])` (an enum code's
 * display name).  All are read-only; `data`, `unit`, `stats` and
 * `label_of` read the call in progress (api->cur), `item` and `params`
 * are built once per leaf.
 *
 * Depends on: ls_i18n, ls_sandbox, Lua 5.4 (lauxlib.h, in ls_lua_api.c), ls_rule
 * (the probe function type, and through it the scheme, the data and the
 * statistics), ls_yaml, ls_util.
 */
#ifndef LS_LUA_API_H
#define LS_LUA_API_H

#include "ls_rule.h"
#include "ls_sandbox.h"

struct ls_ynode;

/* The rule objects' view of the backend.  Owned by the backend; it must
 * outlive the Lua state the objects were opened in. */
typedef struct ls_lua_api {
    const ls_scheme *s;
    ls_rule_call *cur;           /* the call in progress, or NULL */
    ls_rule_unknown_fn probe_fn; /* lint's probe (ls_lua_backend_probe), or NULL */
    void *probe_ctx;
    const char **ids, **flags; /* sorted indicator ids and flags, for
                                     `pairs`: set-up only (owned) */
    /* What the current call did with the item's params, for its error
     * message (cleared by ls_lua_api_call_begin): */
    char miss[4][64]; /* top-level params keys read but not given */
    int nmiss;
    const struct ls_ynode *miss_map; /* the params mapping they were read from */
    const struct ls_ynode *bad_key;  /* a params key enum_keys refused, or NULL */
} ls_lua_api;

/* Prepare api for scheme s (not owned): no call, no probe, and the sorted
 * key lists ls_lua_api_open needs (allocated here so that no malloc'd
 * memory is held across a Lua error).  ls_lua_api_cleanup frees them; it
 * may be called as soon as ls_lua_api_open has run. */
void ls_lua_api_init(ls_lua_api *api, const ls_scheme *s);
void ls_lua_api_cleanup(ls_lua_api *api);

/* Under lua_pcall: put `data`, `unit`, `stats`, `name_of`, `unit_of` and
 * `label_of` into the globals table at index g (written raw: g is not
 * sealed yet). */
void ls_lua_api_open(lua_State *L, int g, ls_lua_api *api);

/* Under lua_pcall: push the read-only `item` table of leaf `node`. */
void ls_lua_api_push_item(lua_State *L, const ls_scheme *s, int node);

/* A parameter the rule cannot be given (not a finite number). */
typedef struct ls_lua_param_error {
    char *msg;     /* owned; NULL when there is none */
    int line, col; /* in the scheme file */
} ls_lua_param_error;

/* Under lua_pcall: push the read-only `params` table built from a leaf's
 * `params:` node (NULL: an empty table).  Returns 0, or -1 with e filled
 * (the caller frees e->msg; the stack is then unspecified). */
int ls_lua_api_push_params(lua_State *L, const struct ls_ynode *params, ls_lua_api *api,
                           ls_lua_param_error *e);

/* Forget what the previous call did with params (see ls_lua_api). */
void ls_lua_api_call_begin(ls_lua_api *api);

/* Push the table of host functions the helper library (and only it) gets
 * as its chunk argument:
 *   enum_keys(fname, what, value, map)  when `value` is the value of an
 *       enum indicator of the current unit, every key of `map` (a table
 *       keyed by enum values, such as graded's levels or tiers' points)
 *       must be a value of that indicator; else an error naming the
 *       indicator's codes (and labels), positioned at the key when `map`
 *       comes from the item's params (api->bad_key);
 *   type(v)  Lua's type(v), without interning the name on each call;
 *   only_keys(t, known)  whether every key of table t (of the real table
 *       behind a read-only proxy) is a string known maps to true: the
 *       helpers' option check, without sorting the keys;
 *   tr(msgid)  msgid translated by the message catalogue (ls_i18n): the
 *       helper library's messages, extracted by tools/xgettext.sh. */
void ls_lua_api_push_host(lua_State *L, ls_lua_api *api);

#endif
