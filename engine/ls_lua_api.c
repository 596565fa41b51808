/*
 * ls_lua_api.c - the objects a Lua rule sees (see ls_lua_api.h).
 *
 * `data` and `unit` (and `unit.flags`) are empty proxies whose C __index
 * reads the call in progress, so one set of objects serves every call;
 * `pairs` walks their sorted key lists (ls_sandbox_cproxy).  Every C
 * function here has the ls_lua_api as its upvalue 1; `data`, `stats`,
 * `name_of`, `unit_of` and `label_of` share an id -> index table as
 * upvalue 2.  While lint probes
 * (api->probe_fn), an unknown indicator is reported to the probe instead
 * of raising, and the read gives a neutral value.
 *
 * Depends on: ls_i18n, ls_sandbox, Lua 5.4 (lua.h, lauxlib.h), ls_rule (and
 * through it the scheme, the data and the statistics), ls_yaml, ls_util.
 */
#include "ls_lua_api.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "ls_i18n.h"
#include "ls_util.h"
#include "ls_yaml.h"

/* Frames probe_unknown looks through for the rule script's line. */
#define SCAN_LEVELS 64

static ls_lua_api *api_of(lua_State *L)
{
    return lua_touserdata(L, lua_upvalueindex(1));
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
    default: ls_sandbox_push_num(L, v->num); break;
    }
}

/* Probing (ls_lua_backend_probe): hand the unknown indicator named at
 * `arg` and the rule script's line to the probe function.  Returns -1. */
static int probe_unknown(lua_State *L, int arg)
{
    ls_lua_api *b = api_of(L);
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
    b->probe_fn(b->probe_ctx, ls_sandbox_key_text(L, arg, kb, sizeof kb), line);
    return -1;
}

/* Index of the indicator named by the value at `arg` (upvalue 2: the
 * id -> index table), or an error suggesting the nearest id (while
 * probing: -1, see probe_unknown). */
static int check_indicator(lua_State *L, int arg)
{
    lua_pushvalue(L, arg);
    if (lua_rawget(L, lua_upvalueindex(2)) == LUA_TNUMBER) {
        int ind = (int)lua_tointeger(L, -1);
        lua_pop(L, 1);
        return ind;
    }
    lua_pop(L, 1);
    if (api_of(L)->probe_fn) return probe_unknown(L, arg);
    if (lua_type(L, arg) != LUA_TSTRING) {
        char kb[128];
        return ls_sandbox_error(L, "unknown indicator %s (indicators are named by their catalogue id)",
                                ls_sandbox_key_text(L, arg, kb, sizeof kb));
    }
    const char *id = lua_tostring(L, arg);
    const char *sug = ls_scheme_suggest_indicator(api_of(L)->s, id);
    if (sug) return ls_sandbox_error(L, "unknown indicator '%s' (did you mean '%s'?)", id, sug);
    return ls_sandbox_error(L, "unknown indicator '%s'", id);
}

static int data_index(lua_State *L)
{
    int ind = check_indicator(L, 2);
    ls_rule_call *c = api_of(L)->cur;
    if (ind < 0 || !c || !c->data) return 0;
    if (c->reads) c->reads[ind] = 1;
    ls_value v = ls_dataset_value(c->data, (size_t)c->unit, (size_t)ind);
    push_value(L, &v);
    return 1;
}

/* The key of keys[0..n) within two edits of k (and nearer than its
 * length), for "did you mean"; NULL when none is, or k is NULL. */
static const char *nearest_key(const char *k, const char *const *keys, size_t n)
{
    const char *best = NULL;
    size_t bestd = 3;
    for (size_t i = 0; k && i < n; i++) {
        size_t d = ls_edit_distance(k, keys[i]);
        if (d < bestd && d < strlen(k)) {
            bestd = d;
            best = keys[i];
        }
    }
    return best;
}

static const char *const unit_keys[] = {"flags", "group", "group_name", "id", "name"};

static int unit_index(lua_State *L)
{
    ls_lua_api *b = api_of(L);
    const char *k = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : NULL;
    int which = -1;
    for (int i = 0; k && i < 5; i++)
        if (!strcmp(k, unit_keys[i])) which = i;
    if (which < 0) {
        char kb[128];
        const char *best = nearest_key(k, unit_keys, 5);
        ls_sandbox_key_text(L, 2, kb, sizeof kb);
        if (best) return ls_sandbox_name_error(L, "unknown field 'unit.%s' (did you mean 'unit.%s'?)", kb, best);
        return ls_sandbox_name_error(L, "unknown field 'unit.%s' (a unit has id, name, group, group_name and flags)", kb);
    }
    if (!b->cur) return 0;
    const ls_unit *u = &b->s->units[b->cur->unit];
    switch (which) {
    case 0: lua_pushvalue(L, lua_upvalueindex(2)); break;
    case 1: lua_pushstring(L, b->s->groups[u->group].id); break;
    case 2: lua_pushstring(L, b->s->groups[u->group].name); break;
    case 3: lua_pushstring(L, u->id); break;
    default: lua_pushstring(L, u->name); break;
    }
    return 1;
}

static int flags_index(lua_State *L)
{
    ls_lua_api *b = api_of(L);
    const ls_scheme *s = b->s;
    const char *k = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : NULL;
    for (size_t i = 0; k && i < s->nflags; i++) {
        if (strcmp(k, s->flags[i])) continue;
        if (!b->cur) return 0;
        lua_pushboolean(L, (s->units[b->cur->unit].flags >> i) & 1);
        return 1;
    }
    char kb[128];
    ls_sandbox_key_text(L, 2, kb, sizeof kb);
    const char *best = nearest_key(k, s->flags, s->nflags);
    if (best) return ls_sandbox_name_error(L, "unknown flag '%s' (did you mean '%s'?)", kb, best);
    return ls_sandbox_name_error(L, "unknown flag '%s' (the scheme declares its flags under 'flags:')", kb);
}

/* stats(id): statistics of indicator id over the unit's group. */
static int api_stats(lua_State *L)
{
    int ind = check_indicator(L, 1);
    ls_rule_call *c = api_of(L)->cur;
    if (ind < 0) { /* probing */
        lua_createtable(L, 0, 2);
        lua_pushinteger(L, 0);
        lua_setfield(L, -2, "count");
        lua_pushinteger(L, 0);
        lua_setfield(L, -2, "sum");
        return 1;
    }
    if (!c || !c->stats)
        return ls_sandbox_error(L, "stats() is not available here (no group statistics were given)");
    const ls_scheme *s = api_of(L)->s;
    const ls_stat *st = ls_stats_get(c->stats, s->units[c->unit].group, ind);
    if (c->reads) c->reads[ind] = 1;
    lua_createtable(L, 0, 7);
    lua_pushinteger(L, (lua_Integer)st->count);
    lua_setfield(L, -2, "count");
    lua_pushinteger(L, 0);
    lua_setfield(L, -2, "sum");
    if (st->count) {
        ls_sandbox_push_num(L, st->min);
        lua_setfield(L, -2, "min");
        ls_sandbox_push_num(L, st->max);
        lua_setfield(L, -2, "max");
        ls_sandbox_push_num(L, st->mean);
        lua_setfield(L, -2, "mean");
        ls_sandbox_push_num(L, st->sum);
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

static int api_name_of(lua_State *L)
{
    int ind = check_indicator(L, 1);
    if (ind < 0) { /* probing */
        lua_pushvalue(L, 1);
        return 1;
    }
    lua_pushstring(L, api_of(L)->s->inds[ind].name);
    return 1;
}

/* unit_of(id): the measure word of indicator id (its catalogue `unit:`,
 * "件"), or "" when the catalogue gives none. */
static int api_unit_of(lua_State *L)
{
    int ind = check_indicator(L, 1);
    lua_pushstring(L, ind < 0 ? "" : api_of(L)->s->inds[ind].unit);
    return 1;
}

/* label_of(value [, id]): the display name the catalogue gives enum value
 * `value` of indicator id; without id, of the enum indicators this call
 * has read the first that has the value and labels it, else the label
 * every indicator labelling the value agrees on; else the value itself.
 * Values that are not strings come back as they are. */
static int api_label_of(lua_State *L)
{
    int ind = -1;
    if (!lua_isnoneornil(L, 2) && (ind = check_indicator(L, 2)) < 0) {
        lua_settop(L, 1); /* probing */
        return 1;
    }
    if (lua_type(L, 1) != LUA_TSTRING) {
        lua_settop(L, 1);
        return 1;
    }
    const ls_scheme *s = api_of(L)->s;
    const char *code = lua_tostring(L, 1);
    ls_rule_call *c = api_of(L)->cur;
    for (size_t i = 0; ind < 0 && c && c->reads && i < s->ninds; i++)
        if (c->reads[i] && s->inds[i].labels && ls_scheme_label(s, (int)i, code) != code)
            ind = (int)i;
    lua_pushstring(L, ls_scheme_label(s, ind, code));
    return 1;
}

void ls_lua_api_init(ls_lua_api *api, const ls_scheme *s)
{
    memset(api, 0, sizeof *api);
    api->s = s;
    api->ids = ls_xmalloc((s->ninds ? s->ninds : 1) * sizeof *api->ids);
    for (size_t i = 0; i < s->ninds; i++) api->ids[i] = s->inds[i].id;
    qsort(api->ids, s->ninds, sizeof *api->ids, ls_cmp_str);
    api->flags = ls_xmalloc((s->nflags ? s->nflags : 1) * sizeof *api->flags);
    for (size_t i = 0; i < s->nflags; i++) api->flags[i] = s->flags[i];
    qsort(api->flags, s->nflags, sizeof *api->flags, ls_cmp_str);
}

void ls_lua_api_cleanup(ls_lua_api *api)
{
    free(api->ids);
    free(api->flags);
    api->ids = api->flags = NULL;
}

void ls_lua_api_open(lua_State *L, int g, ls_lua_api *api)
{
    const ls_scheme *s = api->s;
    g = lua_absindex(L, g);
    /* id -> index, shared by data, stats and name_of */
    lua_createtable(L, 0, s->ninds > INT_MAX ? 0 : (int)s->ninds);
    int ix = lua_gettop(L);
    for (size_t i = 0; i < s->ninds; i++) {
        lua_pushinteger(L, (lua_Integer)i);
        lua_setfield(L, ix, s->inds[i].id);
    }
    lua_pushlightuserdata(L, api);
    lua_pushvalue(L, ix);
    lua_pushcclosure(L, data_index, 2);
    lua_createtable(L, 0, 0);
    ls_sandbox_cproxy(L, "data", api->ids, s->ninds);
    lua_setfield(L, g, "data");
    lua_pushlightuserdata(L, api);
    lua_pushvalue(L, ix);
    lua_pushcclosure(L, api_stats, 2);
    lua_setfield(L, g, "stats");
    lua_pushlightuserdata(L, api);
    lua_pushvalue(L, ix);
    lua_pushcclosure(L, api_name_of, 2);
    lua_setfield(L, g, "name_of");
    lua_pushlightuserdata(L, api);
    lua_pushvalue(L, ix);
    lua_pushcclosure(L, api_unit_of, 2);
    lua_setfield(L, g, "unit_of");
    lua_pushlightuserdata(L, api);
    lua_pushvalue(L, ix);
    lua_pushcclosure(L, api_label_of, 2);
    lua_setfield(L, g, "label_of");
    lua_pop(L, 1);

    lua_pushlightuserdata(L, api);
    lua_pushlightuserdata(L, api);
    lua_pushcclosure(L, flags_index, 1);
    lua_createtable(L, 0, 0);
    ls_sandbox_cproxy(L, "unit.flags", api->flags, s->nflags);
    lua_pushcclosure(L, unit_index, 2);
    lua_createtable(L, 0, 0);
    ls_sandbox_cproxy(L, "unit", unit_keys, 5);
    lua_setfield(L, g, "unit");
}

/* ---- item and params ----------------------------------------------------- */

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

/* __index of the real table behind the top-level params proxy (upvalue:
 * api), so reached only for a key that is not there: it reads nil, as
 * before, and is remembered for the message should the call fail (a
 * misspelt key: 'each' found nil).  Keys that are there are read by the
 * VM alone (proxy -> real table), without a C call. */
static int params_miss(lua_State *L)
{
    ls_lua_api *api = api_of(L);
    lua_pushnil(L);
    if (!api->cur || lua_type(L, 2) != LUA_TSTRING) return 1;
    const char *k = lua_tostring(L, 2);
    for (int i = 0; i < api->nmiss; i++)
        if (!strcmp(api->miss[i], k)) return 1;
    if (api->nmiss < 4 && strlen(k) < sizeof api->miss[0]) strcpy(api->miss[api->nmiss++], k);
    return 1;
}

/* Push the Lua value of a parameter node (nil for null).  Returns 0, or -1
 * with e->msg set. */
static int push_param(lua_State *L, const ls_ynode *n, ls_buf *name, ls_lua_param_error *e)
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
                e->msg = ls_format(_("parameter '%s': %s is not a finite number"), name->p, n->str);
                e->line = n->line;
                e->col = n->col;
                return -1;
            }
            if (!lua_isinteger(L, -1)) {
                lua_pop(L, 1);
                ls_sandbox_push_num(L, x);
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
            if (push_param(L, n->items[i], name, e)) return -1;
            lua_rawseti(L, -2, (lua_Integer)i + 1);
            name->n = mark;
            name->p[mark] = '\0';
        }
    } else {
        lua_createtable(L, 0, n->n > INT_MAX ? 0 : (int)n->n);
        for (size_t i = 0; i < n->n; i++) {
            const ls_ynode *k = ls_ymap_key(n, i);
            ls_buf_printf(name, ".%s", k->str);
            if (push_param(L, k, name, e)) return -1;
            if (lua_isnil(L, -1)) {
                lua_pop(L, 1);
                lua_pushlstring(L, k->str, k->len);
            }
            if (push_param(L, ls_ymap_val(n, i), name, e)) return -1;
            if (lua_isnil(L, -1)) lua_pop(L, 2); /* key: ~ means absent */
            else lua_rawset(L, -3);
            name->n = mark;
            name->p[mark] = '\0';
        }
    }
    ls_sandbox_readonly(L, name->p);
    if (n->kind == LS_YMAP) { /* where its keys are, for enum_keys */
        lua_getmetatable(L, -1);
        lua_pushlightuserdata(L, (void *)n);
        lua_setfield(L, -2, "__where");
        lua_pop(L, 1);
    }
    return 0;
}

static const char *const item_keys[] = {"id", "kind", "name", "number", "points", "precision"};

/* __index of the table behind `item` (reached only for a key it lacks): a
 * misspelt field is an error, as unit's are ("item.point" would be nil,
 * and 'attempt to perform arithmetic on a nil value' name no cause);
 * `points` is nil on a bonus or deduction item without points. */
static int item_unknown(lua_State *L)
{
    const char *k = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : NULL;
    if (k && !strcmp(k, "points")) return 0;
    char kb[128];
    const char *best = nearest_key(k, item_keys, sizeof item_keys / sizeof *item_keys);
    ls_sandbox_key_text(L, 2, kb, sizeof kb);
    if (best) return ls_sandbox_name_error(L, "unknown field 'item.%s' (did you mean 'item.%s'?)", kb, best);
    return ls_sandbox_name_error(L, "unknown field 'item.%s' (an item has id, name, number, points, kind and "
                                    "precision)",
                                 kb);
}

void ls_lua_api_push_item(lua_State *L, const ls_scheme *s, int node)
{
    const ls_node *nd = &s->nodes[node];
    lua_createtable(L, 0, 5);
    lua_pushstring(L, nd->id);
    lua_setfield(L, -2, "id");
    lua_pushstring(L, nd->name);
    lua_setfield(L, -2, "name");
    lua_pushstring(L, nd->number ? nd->number : "");
    lua_setfield(L, -2, "number");
    if (!nd->no_points) { /* a bonus/deduction item without points: nil */
        ls_sandbox_push_num(L, ls_dec_to_double(nd->points, s->digits));
        lua_setfield(L, -2, "points");
    }
    lua_pushstring(L, kind_name(nd->section));
    lua_setfield(L, -2, "kind");
    double precision = 1; /* the scheme's precision: 0.01 */
    for (int i = 0; i < s->digits; i++) precision /= 10;
    ls_sandbox_push_num(L, precision);
    lua_setfield(L, -2, "precision");
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, item_unknown);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
    ls_sandbox_readonly(L, "item");
}

int ls_lua_api_push_params(lua_State *L, const struct ls_ynode *params, ls_lua_api *api,
                           ls_lua_param_error *e)
{
    int rc = 0;
    if (!params) {
        lua_createtable(L, 0, 0);
        ls_sandbox_readonly(L, "params");
    } else {
        ls_buf name;
        ls_buf_init(&name);
        ls_buf_puts(&name, "params");
        rc = push_param(L, params, &name, e);
        ls_buf_cleanup(&name);
    }
    if (!rc && (!params || params->kind == LS_YMAP)) {
        lua_getmetatable(L, -1);
        lua_getfield(L, -1, "__proxy");
        lua_createtable(L, 0, 1);
        lua_pushlightuserdata(L, api);
        lua_pushcclosure(L, params_miss, 1);
        lua_setfield(L, -2, "__index");
        lua_setmetatable(L, -2);
        lua_pop(L, 2);
    }
    return rc;
}

void ls_lua_api_call_begin(ls_lua_api *api)
{
    api->nmiss = 0;
    api->bad_key = NULL;
}

/* ---- the helpers' host functions ------------------------------------------ */

/* Whether key is one of the values of indicator in. */
static int is_choice(const ls_indicator *in, const char *key)
{
    for (size_t j = 0; j < in->spec.nchoices; j++)
        if (!strcmp(in->spec.choices[j], key)) return 1;
    return 0;
}

/* The enum indicators a call read whose value for the unit is `value`
 * (two enums read may both be at "none"), at most ENUM_READ_MAX. */
#define ENUM_READ_MAX 8
typedef struct enum_reads {
    const ls_indicator *in[ENUM_READ_MAX];
    int n;
    int more; /* there were more than ENUM_READ_MAX */
} enum_reads;

static void find_enum_reads(const ls_rule_call *c, const char *value, enum_reads *er)
{
    const ls_scheme *s = c->scheme;
    er->n = er->more = 0;
    for (size_t i = 0; i < s->ninds; i++) {
        if (!c->reads[i] || s->inds[i].spec.type != LS_T_ENUM) continue;
        ls_value v = ls_dataset_value(c->data, (size_t)c->unit, i);
        if (!v.set || !v.str || strcmp(v.str, value)) continue;
        if (er->n == ENUM_READ_MAX) {
            er->more = 1;
            return;
        }
        er->in[er->n++] = &s->inds[i];
    }
}

/* Whether key is a value of some enum indicator c read whose value for
 * the unit is `value` (er: those indicators, found once for all keys). */
static int is_choice_of_read(const ls_rule_call *c, const enum_reads *er, const char *value, const char *key)
{
    if (!er->more) {
        for (int k = 0; k < er->n; k++)
            if (is_choice(er->in[k], key)) return 1;
        return 0;
    }
    const ls_scheme *s = c->scheme;
    for (size_t i = 0; i < s->ninds; i++) {
        if (!c->reads[i] || s->inds[i].spec.type != LS_T_ENUM) continue;
        ls_value v = ls_dataset_value(c->data, (size_t)c->unit, i);
        if (v.set && v.str && !strcmp(v.str, value) && is_choice(&s->inds[i], key))
            return 1;
    }
    return 0;
}

/* enum_keys(fname, what, value, map): see ls_lua_api.h. */
static int host_enum_keys(lua_State *L)
{
    ls_lua_api *api = api_of(L);
    ls_rule_call *c = api->cur;
    if (!c || lua_type(L, 3) != LUA_TSTRING || lua_type(L, 4) != LUA_TTABLE) return 0;
    const char *value = lua_tostring(L, 3);
    /* The enum indicator the value is of: one this call read whose value
     * for the unit it is (a level such as 省级 the rule made up itself
     * may equal some other enum's value: that one was not read).  Calls
     * that do not record reads are not checked. */
    if (!c->reads) return 0;
    enum_reads er;
    find_enum_reads(c, value, &er);
    if (!er.n) return 0;
    const ls_indicator *in = er.in[0];
    /* map's keys: in the scheme's order when it is the item's params, else
     * the smallest bad key (a Lua table has no order to report by). */
    const ls_ynode *where = NULL;
    if (lua_getmetatable(L, 4)) {
        if (lua_getfield(L, -1, "__where") == LUA_TLIGHTUSERDATA) where = lua_touserdata(L, -1);
        lua_pop(L, 2);
    }
    const char *bad = NULL;
    const ls_ynode *bad_node = NULL;
    if (where) {
        for (size_t i = 0; i < where->n && !bad; i++) {
            const ls_ynode *k = ls_ymap_key(where, i);
            if (!is_choice_of_read(c, &er, value, k->str)) {
                bad = k->str;
                bad_node = k;
            }
        }
    } else {
        lua_pushnil(L);
        while (lua_next(L, 4)) {
            lua_pop(L, 1);
            if (lua_type(L, -1) != LUA_TSTRING) continue;
            const char *k = lua_tostring(L, -1);
            if (!is_choice_of_read(c, &er, value, k) && (!bad || strcmp(k, bad) < 0)) bad = k; /* k stays in the table */
        }
    }
    if (!bad) return 0;
    /* the map's name, for the message only */
    char *pname = NULL;
    if (lua_getmetatable(L, 4)) {
        if (lua_getfield(L, -1, "__name") == LUA_TSTRING) pname = ls_xstrdup(lua_tostring(L, -1));
        lua_pop(L, 2);
    }
    char *choices = ls_indicator_choices_text(in);
    int code = ls_indicator_label_code(in, bad);
    char *hint = code >= 0 ? ls_format(_("; '%s' is the label of %s: write the code %s"), bad,
                                       in->spec.choices[code], in->spec.choices[code])
                           : ls_xstrdup("");
    const char *fname = luaL_optstring(L, 1, "?");
    const char *what = luaL_optstring(L, 2, "levels");
    char msg[600];
    snprintf(msg, sizeof msg,
             _("%s(): %s key '%s' is not a value of indicator '%s' (%s), so it never scores; its values "
               "are %s%s"),
             fname, pname && where ? pname : what, bad, in->id, in->name, choices, hint);
    ls_utf8_fix_tail(msg);
    free(choices);
    free(hint);
    free(pname);
    api->bad_key = bad_node;
    lua_pushstring(L, msg);
    return lua_error(L);
}

/* tr(msgid): the message translated (gettext through ls_i18n), or msgid
 * itself when the catalogue has none; anything but a string as it is. */
static int host_tr(lua_State *L)
{
    if (lua_type(L, 1) != LUA_TSTRING) {
        lua_settop(L, 1);
        return 1;
    }
    lua_pushstring(L, ls_i18n(lua_tostring(L, 1)));
    return 1;
}

/* only_keys(t, known): whether every key of table t (of the real table
 * behind a read-only proxy) is a string that known maps to true; false
 * for anything else, C proxies (data, unit) included, so that the helper
 * walks them its own way and names the first key it refuses.  A raw walk:
 * the order does not matter for a yes or no. */
static int host_only_keys(lua_State *L)
{
    int ok = lua_type(L, 1) == LUA_TTABLE && lua_type(L, 2) == LUA_TTABLE;
    lua_settop(L, 2);
    if (ok && lua_getmetatable(L, 1)) {
        if (lua_getfield(L, -1, "__proxy") == LUA_TTABLE) lua_replace(L, 1);
        else ok = 0;
        lua_settop(L, 2);
    }
    lua_pushnil(L);
    while (ok && lua_next(L, 1)) {
        lua_pop(L, 1);
        ok = lua_type(L, -1) == LUA_TSTRING;
        if (ok) {
            lua_pushvalue(L, -1);
            ok = lua_rawget(L, 2) == LUA_TBOOLEAN && lua_toboolean(L, -1);
            lua_pop(L, 1);
        }
    }
    lua_settop(L, 0);
    lua_pushboolean(L, ok);
    return 1;
}

/* type(v) as Lua's own gives it, the name pushed from an upvalue (one per
 * type, LUA_TNIL..LUA_TTHREAD) rather than looked up again as a new
 * string: the helpers check their arguments' types on every call. */
static int host_type(lua_State *L)
{
    int t = lua_type(L, 1);
    luaL_argcheck(L, t != LUA_TNONE, 1, "value expected");
    lua_pushvalue(L, lua_upvalueindex(t + 1));
    return 1;
}

void ls_lua_api_push_host(lua_State *L, ls_lua_api *api)
{
    lua_createtable(L, 0, 4);
    for (int t = LUA_TNIL; t <= LUA_TTHREAD; t++) lua_pushstring(L, lua_typename(L, t));
    lua_pushcclosure(L, host_type, LUA_TTHREAD - LUA_TNIL + 1);
    lua_setfield(L, -2, "type");
    lua_pushcfunction(L, host_only_keys);
    lua_setfield(L, -2, "only_keys");
    lua_pushlightuserdata(L, api);
    lua_pushcclosure(L, host_enum_keys, 1);
    lua_setfield(L, -2, "enum_keys");
    lua_pushcfunction(L, host_tr);
    lua_setfield(L, -2, "tr");
}
