/*
 * ls_lua_result.c - what a Lua rule call gives back: its return values
 * checked and taken into the ls_rule_call, or its failure pointed at the
 * item's params (see ls_lua_result.h).
 */
#include "ls_lua_result.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ls_decimal.h"
#include "ls_i18n.h"
#include "ls_util.h"

/* Raise an error unless the string at index i (reason number k) is text
 * the results can hold (valid UTF-8; a NUL byte would cut it short) and
 * fits after the reasons c already has (see LS_REASON_MAX_BYTES). */
static void check_reason(lua_State *L, int i, lua_Integer k, size_t before)
{
    size_t len;
    const char *s = lua_tolstring(L, i, &len);
    const char *nul = memchr(s, '\0', len);
    if (nul)
        ls_sandbox_error(L, "reason %lld holds a NUL byte (\\0) at byte %zu: a reason is text",
                         (long long)k, (size_t)(nul - s) + 1);
    /* checked again by the scorer for every backend; here so that the
     * error names the line of the return */
    size_t bad;
    if (!ls_utf8_valid(s, len, &bad))
        ls_sandbox_error(L, "reason %zu is not valid UTF-8 text (bad byte at offset %zu)", (size_t)k, bad);
    char msg[200];
    if (ls_rule_reason_fits((size_t)k, len, before, msg, sizeof msg)) ls_sandbox_error(L, "%s", msg);
}

static size_t reasons_bytes(const ls_rule_call *c)
{
    size_t n = 0;
    for (size_t i = 0; i < c->reasons.n; i++) n += strlen(c->reasons.v[i]);
    return n;
}

/* Add the reasons at index i (nil, a string or a list of strings). */
static void take_reasons(lua_State *L, int i, ls_rule_call *c, const char *what)
{
    size_t len;
    const char *s;
    switch (lua_type(L, i)) {
    case LUA_TNIL:
        return;
    case LUA_TSTRING:
        check_reason(L, i, (lua_Integer)c->reasons.n + 1, reasons_bytes(c));
        s = lua_tolstring(L, i, &len);
        ls_strlist_add(&c->reasons, s, len);
        return;
    case LUA_TTABLE: {
        lua_Integer n = (lua_Integer)lua_rawlen(L, i);
        size_t bytes = reasons_bytes(c);
        for (lua_Integer k = 1; k <= n; k++) {
            if (lua_rawgeti(L, i, k) != LUA_TSTRING)
                ls_sandbox_error(L, "reason %lld is %s (expected a string)", (long long)k, ls_sandbox_a_type(L, -1));
            check_reason(L, -1, (lua_Integer)c->reasons.n + k, bytes);
            bytes += lua_rawlen(L, -1);
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
        ls_sandbox_error(L, "%s is %s (expected a reason: a string or a list of strings)", what, ls_sandbox_a_type(L, i));
    }
}

/* The score at index i: a finite number, or for veto items a boolean.
 * what (untranslated, N_) is translated only for a message: this runs
 * for every call, and a gettext lookup costs more than the check. */
static double take_score(lua_State *L, int i, int veto, const char *what)
{
    int t = lua_type(L, i);
    if (t == LUA_TNUMBER) {
        double x = lua_tonumber(L, i);
        if (isfinite(x) && (!veto || x == 0 || x == 1)) return x;
    } else if (t == LUA_TBOOLEAN && veto) {
        return lua_toboolean(L, i) ? 1 : 0;
    }
    what = _(what);
    if (t != LUA_TNUMBER)
        ls_sandbox_error(L, "%s %s (expected a number%s)", what, ls_sandbox_a_type(L, i), veto ? _(" or true/false") : "");
    double x = lua_tonumber(L, i);
    if (isnan(x)) ls_sandbox_error(L, "%s NaN", what);
    if (!isfinite(x)) ls_sandbox_error(L, "%s an infinite number", what);
    /* A veto applies or not: 0.005 must not veto while 0.004 does not. */
    ls_sandbox_error(L, "%s %.14g (a veto rule returns true or false, or 1 or 0)", what, x);
    return x;
}

/* ---- the values returned ------------------------------------------------ */

void ls_lua_result_take(lua_State *L, int veto, ls_rule_call *c, int k_score, int k_reasons)
{
    int n = lua_gettop(L);
    if (n == 0) ls_sandbox_error(L, "rule returned nothing (expected a score)");
    if (n > 2) ls_sandbox_error(L, "rule returned %d values (expected a score and its reasons)", n);
    if (lua_type(L, 1) == LUA_TTABLE) {
        lua_pushvalue(L, k_score);
        lua_rawget(L, 1);
        if (lua_isnil(L, -1))
            ls_sandbox_error(L, "rule returned a table without a 'score' (a result looks like "
                                "{score = 3, reasons = {...}})");
        c->value = take_score(L, lua_gettop(L), veto, N_("rule returned a result whose score is"));
        lua_pushvalue(L, k_reasons);
        lua_rawget(L, 1);
        take_reasons(L, lua_gettop(L), c, "the result's 'reasons'");
        lua_settop(L, n);
    } else {
        c->value = take_score(L, 1, veto, N_("rule returned"));
    }
    /* A value the results cannot hold as a decimal (math.maxinteger,
     * 1e300): the scorer checks it again for every backend; here so that
     * the error names the line of the return and the value in full. */
    ls_fixed v;
    if (fabs(c->value) >= 1e6 && ls_dec_from_double(c->value, c->scheme->digits, &v))
        ls_sandbox_error(L, "rule returned %.15g, which is out of range for a score", c->value);
    if (n == 2) take_reasons(L, 2, c, "the second value returned");
}

/* Whether Lua's message names one of the params keys the rule read and
 * the item does not give as the nil it failed on: `params.eech * 2` is
 * "attempt to perform arithmetic on a nil value (field 'eech')". */
static int nil_field_missing(const ls_lua_api *api, const char *msg)
{
    char f[sizeof api->miss[0] + 32];
    for (int i = 0; i < api->nmiss; i++) {
        snprintf(f, sizeof f, "a nil value (field '%s')", api->miss[i]);
        if (strstr(msg, f)) return 1;
    }
    return 0;
}

/* Point a failed call at the item's params when they are the cause: a
 * key of them a helper refused (LS_RULE_ERR_PARAM, reported there), or a
 * helper argument found nil, or Lua's arithmetic, comparison or indexing
 * failed on the nil of one, after the rule read params keys the item
 * does not give (a misspelt key: a note at the params). */
void ls_lua_result_blame_params(const ls_lua_api *api, const ls_scheme *s, ls_rule_call *c)
{
    const ls_node *nd = &s->nodes[c->node];
    const ls_ynode *params = nd->rule.params;
    if (api->bad_key) {
        c->err_kind = LS_RULE_ERR_PARAM;
        c->err_scheme_line = api->bad_key->line;
        c->err_scheme_col = api->bad_key->col;
        return;
    }
    /* "found nil (no value)", as the helper library words it in the
     * message language (rules/lawscore.lua, describe()). */
    if (!api->nmiss || !c->err_msg) return;
    if (c->err_kind == LS_RULE_ERR_HELPER ? !strstr(c->err_msg, _("nil (no value)"))
                                          : !nil_field_missing(api, c->err_msg))
        return;
    int given = params && params->kind == LS_YMAP && params->n;
    ls_buf keys, have;
    ls_buf_init(&keys);
    ls_buf_init(&have);
    for (int i = 0; i < api->nmiss; i++) ls_buf_printf(&keys, "%s'%s'", i ? ", " : "", api->miss[i]);
    const char *sec = ls_section_name(nd->section), *near = NULL;
    size_t best = (size_t)-1;
    for (size_t i = 0; given && i < params->n; i++) {
        const char *k = ls_ymap_key(params, i)->str;
        ls_buf_printf(&have, "%s%s", i ? ", " : "", k);
        size_t d = ls_edit_distance(api->miss[0], k);
        if (d < best) {
            best = d;
            near = k;
        }
    }
    if (!given)
        c->err_note = ls_format(_("%s %s '%s' has no params at all, so no params key %s, which the rule reads"),
                                sec, nd->number, nd->name, keys.p);
    else if (near && best <= 2)
        c->err_note = ls_format(_("%s %s '%s' has no params key %s, which the rule reads (did you mean '%s'?)"),
                                sec, nd->number, nd->name, keys.p, near);
    else
        c->err_note = ls_format(_("%s %s '%s' has no params key %s, which the rule reads; its params are %s"),
                                sec, nd->number, nd->name, keys.p, have.p);
    ls_buf_cleanup(&keys);
    ls_buf_cleanup(&have);
    c->err_scheme_line = params ? params->line : nd->rule.line;
    c->err_scheme_col = params ? params->col : nd->rule.col;
}
