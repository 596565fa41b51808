/*
 * tests/bench/limit.c - the physical limit of what `lawscore run` does,
 * measured on the same input by the plainest C (make bench prints it
 * beside lawscore's figures):
 *
 *   limit yaml FILE...          libyaml events of the files, nothing kept
 *   limit csv FILE...           libcsv parse of the files, nothing kept
 *   limit lua CALLS THREADS     CALLS lua_pcall of a small rule function
 *                               reading two fields of a table kept
 *                               between calls (the ENGINEERING.md bare
 *                               call), split over THREADS threads, one
 *                               state each
 *   limit write BYTES DIR       write BYTES bytes to a file in DIR in 64 KB
 *                               blocks, fsync it, remove it
 *   limit rules THREADS HELPERS SCHEME DATA...
 *                               the same rules in plain Lua: the helper
 *                               library HELPERS (rules/lawscore.lua) and
 *                               the scheme's rule scripts in one plain
 *                               lua_State a thread (no sandbox, no hook,
 *                               no proxies), every Lua leaf that applies
 *                               called on every unit with the unit's data
 *                               in a plain Lua table (filled once a unit),
 *                               item and params plain tables; the floor
 *                               of this scheme's scoring whatever the host
 *                               does.  Loading the scheme and data (with
 *                               the engine) is not timed.  Also prints
 *                               "rules-calls N" and "rules-sum S" (the
 *                               scores added up) on stderr, and the CPU
 *                               seconds of the threads after the wall time.
 *
 * Prints one line: "<what> <seconds>" (wall time, CLOCK_MONOTONIC).
 * A benchmark helper, not part of lawscore: it includes the libraries'
 * headers directly, and uses the engine only to load a scheme and data.
 */
#define _POSIX_C_SOURCE 200809L
#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <yaml.h>

#include "ls_data.h"
#include "ls_decimal.h"
#include "ls_scheme.h"
#include "ls_stats.h"
#include "ls_util.h"
#include "ls_yaml.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(1); }
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)len + 1);
    if (!p || fread(p, 1, (size_t)len, f) != (size_t)len) { perror(path); exit(1); }
    fclose(f);
    *n = (size_t)len;
    return p;
}

static long yaml_file(const char *path)
{
    size_t n;
    char *p = slurp(path, &n);
    yaml_parser_t ps;
    yaml_parser_initialize(&ps);
    yaml_parser_set_input_string(&ps, (const unsigned char *)p, n);
    long events = 0;
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&ps, &ev)) { fprintf(stderr, "%s: YAML error\n", path); exit(1); }
        int end = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
        events++;
        if (end) break;
    }
    yaml_parser_delete(&ps);
    free(p);
    return events;
}

static void on_field(void *s, size_t len, void *data) { (void)s; *(size_t *)data += len; }
static void on_row(int c, void *data) { (void)c; (void)data; }

static void csv_file(const char *path)
{
    size_t n, bytes = 0;
    char *p = slurp(path, &n);
    struct csv_parser ps;
    csv_init(&ps, CSV_APPEND_NULL);
    if (csv_parse(&ps, p, n, on_field, on_row, &bytes) != n) { fprintf(stderr, "%s: CSV error\n", path); exit(1); }
    csv_fini(&ps, on_field, on_row, &bytes);
    csv_free(&ps);
    free(p);
}

typedef struct lua_job {
    long calls;
    pthread_t t;
} lua_job;

static void *lua_calls(void *arg)
{
    lua_job *j = arg;
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    if (luaL_loadstring(L, "return function(d) local s = 4 - 0.5 * d.late; if d.rate < 90 then s = s - 1 end; "
                           "return s end") ||
        lua_pcall(L, 0, 1, 0)) {
        fprintf(stderr, "lua: %s\n", lua_tostring(L, -1));
        exit(1);
    }
    int fn = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_createtable(L, 0, 2);
    int data = luaL_ref(L, LUA_REGISTRYINDEX);
    double sum = 0;
    for (long i = 0; i < j->calls; i++) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, data);
        lua_pushinteger(L, i % 5);
        lua_setfield(L, -2, "late");
        lua_pushnumber(L, 80 + (double)(i % 20));
        lua_setfield(L, -2, "rate");
        lua_rawgeti(L, LUA_REGISTRYINDEX, fn);
        lua_insert(L, -2);
        if (lua_pcall(L, 1, 1, 0)) { fprintf(stderr, "lua: %s\n", lua_tostring(L, -1)); exit(1); }
        sum += lua_tonumber(L, -1);
        lua_pop(L, 1);
    }
    lua_close(L);
    if (sum < 0) puts("");   /* keep the result alive */
    return NULL;
}

/* ---- limit rules: the same rules in plain Lua ------------------------ */

typedef struct rules_job {
    const ls_scheme *s;
    const ls_dataset *d;
    ls_stats *st;
    const char *helpers;
    size_t u0, u1; /* units [u0, u1) */
    size_t unit;   /* being scored */
    long calls;
    double sum;
    size_t reason_bytes;
    double cpu; /* CPU seconds of the thread */
    pthread_t t;
} rules_job;

static double thread_cpu(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void push_num(lua_State *L, double x)
{
    if (x == (double)(long long)x && x > -9e15 && x < 9e15) lua_pushinteger(L, (lua_Integer)x);
    else lua_pushnumber(L, x);
}

static void push_value(lua_State *L, const ls_value *v)
{
    if (!v->set) lua_pushnil(L);
    else if (v->type == LS_T_BOOLEAN) lua_pushboolean(L, v->num != 0);
    else if (v->type == LS_T_ENUM || v->type == LS_T_TEXT) {
        if (v->str) lua_pushstring(L, v->str);
        else lua_pushnil(L);
    } else push_num(L, v->num);
}

/* A params node as a plain Lua value (as ls_lua_api builds it, without
 * the read-only proxies). */
static void push_param(lua_State *L, const ls_ynode *n)
{
    luaL_checkstack(L, 4, "params");
    if (n->kind == LS_YSCALAR) {
        if (!n->plain) lua_pushlstring(L, n->str, n->len);
        else if (ls_ynode_is_null(n)) lua_pushnil(L);
        else if (!strcmp(n->str, "true") || !strcmp(n->str, "True") || !strcmp(n->str, "TRUE")) lua_pushboolean(L, 1);
        else if (!strcmp(n->str, "false") || !strcmp(n->str, "False") || !strcmp(n->str, "FALSE")) lua_pushboolean(L, 0);
        else if (strlen(n->str) == n->len && lua_stringtonumber(L, n->str)) {
            if (!lua_isinteger(L, -1)) {
                double x = lua_tonumber(L, -1);
                lua_pop(L, 1);
                push_num(L, x);
            }
        } else lua_pushlstring(L, n->str, n->len);
        return;
    }
    if (n->kind == LS_YSEQ) {
        lua_createtable(L, (int)n->n, 0);
        for (size_t i = 0; i < n->n; i++) {
            push_param(L, n->items[i]);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        return;
    }
    lua_createtable(L, 0, (int)n->n);
    for (size_t i = 0; i < n->n; i++) {
        push_param(L, ls_ymap_key(n, i));
        if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
            lua_pushlstring(L, ls_ymap_key(n, i)->str, ls_ymap_key(n, i)->len);
        }
        push_param(L, ls_ymap_val(n, i));
        if (lua_isnil(L, -1)) lua_pop(L, 2);
        else lua_rawset(L, -3);
    }
}

static int find_ind(const ls_scheme *s, const char *id)
{
    for (size_t i = 0; i < s->ninds; i++)
        if (!strcmp(s->inds[i].id, id)) return (int)i;
    fprintf(stderr, "limit rules: unknown indicator '%s'\n", id);
    exit(1);
}

/* stats(id): the statistics table the host builds (ls_lua_api.c). */
static int plain_stats(lua_State *L)
{
    rules_job *j = lua_touserdata(L, lua_upvalueindex(1));
    lua_pushvalue(L, 1);
    if (lua_rawget(L, lua_upvalueindex(2)) != LUA_TNUMBER) find_ind(j->s, luaL_checkstring(L, 1));
    int ind = (int)lua_tointeger(L, -1);
    const ls_stat *st = ls_stats_get(j->st, j->s->units[j->unit].group, ind);
    const char *const keys[] = {"count", "sum", "min", "max", "mean", "rank", "rank_asc"};
    double v[] = {(double)st->count, st->count ? st->sum : 0, st->min, st->max, st->mean,
                  ls_stats_rank(j->st, (int)j->unit, ind, 1), ls_stats_rank(j->st, (int)j->unit, ind, 0)};
    lua_createtable(L, 0, 7);
    for (int i = 0; i < 7; i++) {
        if ((i >= 2 && i <= 4 && !st->count) || (i >= 5 && v[i] <= 0)) continue; /* as the host leaves them out */
        push_num(L, v[i]);
        lua_setfield(L, -2, keys[i]);
    }
    return 1;
}

/* The host functions and rule objects other than data, item and params,
 * in plain Lua; `...` = the indicator tables (names, units, labels). */
static const char plain_host[] =
    "local names, units, labels, merged, type = ...\n"
    "function name_of(id) return names[id] end\n"
    "function unit_of(id) return units[id] or '' end\n"
    "function label_of(v, id)\n"
    "  if type(v) ~= 'string' then return v end\n"
    "  local t = id and labels[id] or merged\n"
    "  return t[v] or v\n"
    "end\n"
    "return { tr = function(m) return m end, enum_keys = function() end, type = type,\n"
    "  only_keys = function(t, known)\n"
    "    for k in next, t do if type(k) ~= 'string' or known[k] ~= true then return false end end\n"
    "    return true\n"
    "  end }\n";

/* host.type, as the host gives it (ls_lua_api.c): the type names made
 * once, as upvalues. */
static int plain_type(lua_State *L)
{
    int t = lua_type(L, 1);
    luaL_argcheck(L, t != LUA_TNONE, 1, "value expected");
    lua_pushvalue(L, lua_upvalueindex(t + 1));
    return 1;
}

static void lua_check(lua_State *L, int st, const char *what)
{
    if (st == LUA_OK) return;
    fprintf(stderr, "limit rules: %s: %s\n", what, lua_tostring(L, -1));
    exit(1);
}

static void *rules_calls(void *arg)
{
    rules_job *j = arg;
    const ls_scheme *s = j->s;
    double c0 = thread_cpu();
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    /* indicator id -> index (for stats), names, units, labels */
    lua_createtable(L, 0, (int)s->ninds);
    int ix = lua_gettop(L);
    lua_createtable(L, (int)s->ninds, 0);
    int ids = lua_gettop(L);
    for (size_t i = 0; i < s->ninds; i++) {
        lua_pushinteger(L, (lua_Integer)i);
        lua_setfield(L, ix, s->inds[i].id);
        lua_pushstring(L, s->inds[i].id);
        lua_rawseti(L, ids, (lua_Integer)i + 1);
    }
    lua_check(L, luaL_loadstring(L, plain_host), "host");
    lua_createtable(L, 0, (int)s->ninds);
    lua_createtable(L, 0, (int)s->ninds);
    lua_createtable(L, 0, (int)s->ninds);
    lua_createtable(L, 0, 0);
    int fn = ids + 1;
    for (size_t i = 0; i < s->ninds; i++) {
        const ls_indicator *in = &s->inds[i];
        lua_pushstring(L, in->name);
        lua_setfield(L, fn + 1, in->id);
        lua_pushstring(L, in->unit ? in->unit : "");
        lua_setfield(L, fn + 2, in->id);
        if (!in->labels) continue;
        lua_createtable(L, 0, (int)in->spec.nchoices);
        for (size_t c = 0; c < in->spec.nchoices; c++) {
            if (!in->labels[c]) continue;
            lua_pushstring(L, in->labels[c]);
            lua_setfield(L, -2, in->spec.choices[c]);
            lua_pushstring(L, in->labels[c]);
            lua_setfield(L, fn + 4, in->spec.choices[c]);
        }
        lua_setfield(L, fn + 3, in->id);
    }
    for (int t = LUA_TNIL; t <= LUA_TTHREAD; t++) lua_pushstring(L, lua_typename(L, t));
    lua_pushcclosure(L, plain_type, LUA_TTHREAD - LUA_TNIL + 1);
    lua_check(L, lua_pcall(L, 5, 1, 0), "host");
    int host = lua_gettop(L);
    lua_pushlightuserdata(L, j);
    lua_pushvalue(L, ix);
    lua_pushcclosure(L, plain_stats, 2);
    lua_setglobal(L, "stats");
    /* the helpers, as globals */
    lua_check(L, luaL_loadfilex(L, j->helpers, "t"), j->helpers);
    lua_pushvalue(L, host);
    lua_check(L, lua_pcall(L, 1, 1, 0), j->helpers);
    int h = lua_gettop(L);
    lua_pushglobaltable(L);
    lua_pushnil(L);
    while (lua_next(L, h)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, h + 1);
    }
    lua_settop(L, ids);
    /* every Lua leaf: its script (compiled once a path), item and params */
    size_t nn = s->nnodes ? s->nnodes : 1;
    int *fns = calloc(nn, sizeof *fns), *items = calloc(nn, sizeof *items), *params = calloc(nn, sizeof *params);
    lua_newtable(L); /* path -> function */
    int cache = lua_gettop(L);
    double precision = 1;
    for (int i = 0; i < s->digits; i++) precision /= 10;
    for (size_t k = 0; k < s->nleaves; k++) {
        int node = s->leaves[k];
        const ls_node *nd = &s->nodes[node];
        if (nd->rule.kind != LS_RULE_LUA) continue;
        if (lua_getfield(L, cache, nd->rule.path) != LUA_TFUNCTION) {
            lua_pop(L, 1);
            lua_check(L, luaL_loadfilex(L, nd->rule.path, "t"), nd->rule.path);
            lua_pushvalue(L, -1);
            lua_setfield(L, cache, nd->rule.path);
        }
        fns[node] = luaL_ref(L, LUA_REGISTRYINDEX);
        const char *const keys[] = {"id", "name", "number", "kind"};
        const char *vals[] = {nd->id, nd->name, nd->number ? nd->number : "",
                              nd->section == LS_SEC_BONUS    ? "bonus"
                              : nd->section == LS_SEC_DEDUCT ? "deduction"
                              : nd->section == LS_SEC_VETO   ? "veto"
                                                             : "item"};
        lua_createtable(L, 0, 6);
        for (int i = 0; i < 4; i++) {
            lua_pushstring(L, vals[i]);
            lua_setfield(L, -2, keys[i]);
        }
        if (!nd->no_points) {
            push_num(L, ls_dec_to_double(nd->points, s->digits));
            lua_setfield(L, -2, "points");
        }
        push_num(L, precision);
        lua_setfield(L, -2, "precision");
        items[node] = luaL_ref(L, LUA_REGISTRYINDEX);
        if (nd->rule.params) push_param(L, nd->rule.params);
        else lua_newtable(L);
        params[node] = luaL_ref(L, LUA_REGISTRYINDEX);
    }
    lua_settop(L, ids);
    lua_createtable(L, 0, (int)s->ninds); /* data, refilled for each unit */
    int data = lua_gettop(L);
    lua_pushvalue(L, data);
    lua_setglobal(L, "data");
    lua_settop(L, data);
    for (size_t u = j->u0; u < j->u1; u++) {
        j->unit = u;
        for (size_t i = 0; i < s->ninds; i++) {
            lua_rawgeti(L, ids, (lua_Integer)i + 1);
            ls_value v = ls_dataset_value(j->d, u, i);
            push_value(L, &v);
            lua_rawset(L, data);
        }
        for (size_t k = 0; k < s->nleaves; k++) {
            int node = s->leaves[k];
            if (s->nodes[node].rule.kind != LS_RULE_LUA || !ls_node_applies(s, node, (int)u)) continue;
            lua_rawgeti(L, LUA_REGISTRYINDEX, items[node]);
            lua_setglobal(L, "item");
            lua_rawgeti(L, LUA_REGISTRYINDEX, params[node]);
            lua_setglobal(L, "params");
            lua_rawgeti(L, LUA_REGISTRYINDEX, fns[node]);
            lua_check(L, lua_pcall(L, 0, LUA_MULTRET, 0), s->nodes[node].rule.path);
            int top = lua_gettop(L);
            for (int r = data + 1; r <= top; r++) {
                if (lua_type(L, r) == LUA_TTABLE) {
                    if (r == data + 1 && lua_getfield(L, r, "score") == LUA_TNUMBER) j->sum += lua_tonumber(L, -1);
                    lua_getfield(L, r, "reasons");
                    for (lua_Integer i = 1, n = (lua_Integer)lua_rawlen(L, -1); i <= n; i++) {
                        lua_rawgeti(L, -1, i);
                        j->reason_bytes += lua_rawlen(L, -1);
                        lua_pop(L, 1);
                    }
                } else if (lua_type(L, r) == LUA_TNUMBER) {
                    j->sum += lua_tonumber(L, r);
                } else if (lua_type(L, r) == LUA_TSTRING) {
                    j->reason_bytes += lua_rawlen(L, r);
                } else if (lua_type(L, r) == LUA_TBOOLEAN) {
                    j->sum += lua_toboolean(L, r);
                }
            }
            lua_settop(L, data);
            j->calls++;
        }
    }
    lua_close(L);
    j->cpu = thread_cpu() - c0;
    free(fns);
    free(items);
    free(params);
    return NULL;
}

/* limit rules THREADS HELPERS SCHEME DATA...: returns the seconds the
 * calls took (loading not counted); *cpu the CPU seconds of the threads. */
static double rules(int argc, char **argv, double *cpu)
{
    int nt = atoi(argv[2]);
    if (nt < 1) nt = 1;
    ls_errors err;
    ls_errors_init(&err);
    ls_scheme *s = ls_scheme_load(argv[4], &err);
    ls_dataset *d = s ? ls_dataset_load(s, (const char *const *)argv + 5, (size_t)(argc - 5), 1, &err) : NULL;
    if (!d) {
        ls_errors_print(&err, stderr);
        exit(1);
    }
    ls_stats *st = ls_stats_new(s, d);
    rules_job *j = calloc((size_t)nt, sizeof *j);
    for (int i = 0; i < nt; i++) {
        j[i] = (rules_job){.s = s, .d = d, .st = st, .helpers = argv[3]};
        j[i].u0 = s->nunits * (size_t)i / (size_t)nt;
        j[i].u1 = s->nunits * (size_t)(i + 1) / (size_t)nt;
    }
    double t0 = now();
    for (int i = 1; i < nt; i++) pthread_create(&j[i].t, NULL, rules_calls, &j[i]);
    rules_calls(&j[0]);
    for (int i = 1; i < nt; i++) pthread_join(j[i].t, NULL);
    double t = now() - t0;
    long calls = 0;
    double sum = 0;
    *cpu = 0;
    for (int i = 0; i < nt; i++) {
        calls += j[i].calls;
        sum += j[i].sum;
        *cpu += j[i].cpu;
    }
    fprintf(stderr, "rules-calls %ld\nrules-sum %.6f\n", calls, sum);
    free(j);
    ls_stats_free(st);
    ls_dataset_free(d);
    ls_scheme_free(s);
    ls_errors_cleanup(&err);
    return t;
}

static void write_bytes(long long bytes, const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/limit-write.%ld", dir, (long)getpid());
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) { perror(path); exit(1); }
    static char block[65536];
    memset(block, 'x', sizeof block);
    for (long long left = bytes; left > 0;) {
        size_t n = left < (long long)sizeof block ? (size_t)left : sizeof block;
        if (write(fd, block, n) != (ssize_t)n) { perror(path); exit(1); }
        left -= (long long)n;
    }
    if (fsync(fd) || close(fd)) { perror(path); exit(1); }
    unlink(path);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: limit yaml|csv FILE... | lua CALLS THREADS | write BYTES DIR | rules THREADS HELPERS SCHEME DATA...\n");
        return 2;
    }
    double t0 = now();
    if (!strcmp(argv[1], "yaml")) {
        for (int i = 2; i < argc; i++) yaml_file(argv[i]);
    } else if (!strcmp(argv[1], "csv")) {
        for (int i = 2; i < argc; i++) csv_file(argv[i]);
    } else if (!strcmp(argv[1], "lua") && argc == 4) {
        long calls = atol(argv[2]);
        int nt = atoi(argv[3]);
        if (nt < 1) nt = 1;
        lua_job *j = calloc((size_t)nt, sizeof *j);
        for (int i = 0; i < nt; i++) j[i].calls = calls / nt + (i < calls % nt);
        for (int i = 1; i < nt; i++) pthread_create(&j[i].t, NULL, lua_calls, &j[i]);
        lua_calls(&j[0]);
        for (int i = 1; i < nt; i++) pthread_join(j[i].t, NULL);
        free(j);
    } else if (!strcmp(argv[1], "write") && argc == 4) {
        write_bytes(atoll(argv[2]), argv[3]);
    } else if (!strcmp(argv[1], "rules") && argc >= 6) {
        double cpu, t = rules(argc, argv, &cpu);
        printf("%s %.4f %.4f\n", argv[1], t, cpu);
        return 0;
    } else {
        fprintf(stderr, "limit: unknown measure '%s'\n", argv[1]);
        return 2;
    }
    printf("%s %.4f\n", argv[1], now() - t0);
    return 0;
}
