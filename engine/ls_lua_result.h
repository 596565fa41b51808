/*
 * ls_lua_result.h - what a Lua rule call gives back, made into its
 * ls_rule_call: the values a rule returns (a score, or a veto's
 * true/false, and its reasons), checked as docs/rules.md says ("What a
 * rule returns"), and a failed call pointed at the item's params when a
 * params key is the cause.
 *
 * Depends on: ls_lua_api, ls_rule, ls_sandbox (Lua 5.4), ls_decimal, ls_i18n, ls_util.
 */
#ifndef LS_LUA_RESULT_H
#define LS_LUA_RESULT_H

#include "ls_lua_api.h"
#include "ls_rule.h"
#include "ls_sandbox.h"

/* Take the values a rule returned (the whole stack of L: `score`,
 * `score, reasons` or `{score = ..., reasons = ...}`) into c->value and
 * c->reasons.  veto: the rule decides a veto item (a boolean, or 1/0).
 * Raises a Lua error (ls_sandbox_error, no position: the caller finds the
 * `return` line) for anything else: no value, more than two, a score that
 * is not a finite number, a reason that is not text, holds a NUL byte or
 * is too long (ls_rule_reason_fits).  Run under lua_pcall; reasons added
 * before an error stay in c (the caller clears them).  The key strings
 * "score" and "reasons" are at k_score and k_reasons (pseudo-indices such
 * as the caller's upvalues: made once, not looked up for every call). */
void ls_lua_result_take(lua_State *L, int veto, ls_rule_call *c, int k_score, int k_reasons);

/* Point the failed call c at the item's params in scheme s when they are
 * the cause: a params key a helper refused (api->bad_key: the error is
 * LS_RULE_ERR_PARAM, at the key's line), or a helper argument found nil
 * after the rule read params keys the item does not give (api->miss: a
 * note naming the keys, with the nearest key given as "did you mean").
 * c->err_note (set here) is owned by c. */
void ls_lua_result_blame_params(const ls_lua_api *api, const ls_scheme *s, ls_rule_call *c);

#endif
