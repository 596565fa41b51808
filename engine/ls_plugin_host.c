/*
 * ls_plugin_host.c - the host API given to C plugins (see ls_plugin_host.h
 * and the ABI in include/lawscore_plugin.h).
 *
 * Binding.  A function's bind callback runs with a context through which
 * it reads the item's params (the YAML nodes of the scheme, by path) and
 * resolves indicator ids; every error it reports is positioned at the
 * parameter (or the rule) in the scheme.  A state it keeps is freed with
 * its free_state when the item is unbound.
 *
 * Calling.  score runs with a call context that reads the unit's values
 * (marking them in c->reads), group statistics and flags, and collects
 * the result and reasons into the ls_rule_call.
 */
#include "ls_guard.h"
#include "ls_plugin_host.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ls_data.h"
#include "ls_i18n.h"
#include "ls_stats.h"
#include "ls_util.h"
#include "ls_value.h"
#include "ls_yaml.h"

struct lsp_bind_ctx {
    const ls_scheme *s;
    const ls_node *nd;
    ls_plugin_binding *bd;
    const char *plugin; /* its name, for messages */
    const lsp_function *fn;
    ls_errors *err;
    size_t nerrors;
    void *state;
    int has_state;
};

struct lsp_call {
    const ls_scheme *s;
    ls_rule_call *rc;
    const ls_plugin_binding *bd;
    lsp_unit unit;
    lsp_stat stat;
    int has_result;
    double value;
    char *failure; /* the first failure (owned) */
};

static const lsp_host host;

/* ---- parameters ----------------------------------------------------------- */

static int scalar_null(const ls_ynode *n)
{
    return n->kind == LS_YSCALAR && ls_ynode_is_null(n);
}

static int scalar_bool(const ls_ynode *n, int *out)
{
    static const char *const t[] = {"true", "True", "TRUE"}, *const f[] = {"false", "False", "FALSE"};
    if (n->kind != LS_YSCALAR || !n->plain) return 0;
    for (int i = 0; i < 3; i++) {
        if (!strcmp(n->str, t[i])) {
            *out = 1;
            return 1;
        }
        if (!strcmp(n->str, f[i])) {
            *out = 0;
            return 1;
        }
    }
    return 0;
}

/* Parse a number the way scheme numbers are parsed; 0 or -1 with msg. */
static int scalar_number(const ls_ynode *n, double *out, char *msg, size_t size)
{
    ls_vspec spec = {.type = LS_T_NUMBER};
    ls_value v;
    if (ls_value_parse(&spec, n->str, n->plain, &v, msg, size)) return -1;
    *out = v.num;
    return 0;
}

/* The node at path under the params; NULL when absent.  *parent gets the
 * deepest node reached (for positioning "missing" errors).  *bad is set
 * when the path itself is malformed. */
static const ls_ynode *param_at(const ls_ynode *root, const char *path, const ls_ynode **parent,
                                int *bad)
{
    const ls_ynode *n = root;
    const char *p = path;
    char key[256];
    *bad = 0;
    if (parent) *parent = root;
    if (!path) {
        *bad = 1;
        return NULL;
    }
    while (n && *p) {
        if (scalar_null(n)) return NULL;
        if (parent) *parent = n;
        if (*p == '[') {
            char *end;
            if (p[1] < '0' || p[1] > '9') {
                *bad = 1;
                return NULL;
            }
            unsigned long long i = strtoull(p + 1, &end, 10);
            if (*end != ']') {
                *bad = 1;
                return NULL;
            }
            p = end + 1;
            if (n->kind == LS_YSEQ) n = i < n->n ? n->items[i] : NULL;
            else if (n->kind == LS_YMAP) n = i < n->n ? ls_ymap_val(n, i) : NULL;
            else n = NULL;
            continue;
        }
        if (*p == '.') {
            if (p == path) {
                *bad = 1;
                return NULL;
            }
            p++;
        }
        size_t len = strcspn(p, ".[");
        if (len == 0 || len >= sizeof key) {
            *bad = 1;
            return NULL;
        }
        memcpy(key, p, len);
        key[len] = '\0';
        p += len;
        n = n->kind == LS_YMAP ? ls_ymap_get(n, key) : NULL;
    }
    if (*p) {
        /* the rest of the path must still be well formed */
        for (const char *q = p; *q; q++)
            if (*q == '[' && (q[1] < '0' || q[1] > '9')) *bad = 1;
        return NULL;
    }
    if (n && scalar_null(n)) return NULL;
    return n;
}

static int bind_verror(lsp_bind_ctx *b, const ls_ynode *at, const char *fmt, va_list ap)
{
    char *msg = ls_vformat(_(fmt), ap);
    const ls_ruleref *r = &b->nd->rule;
    int line = at ? at->line : r->line, col = at ? at->col : r->col;
    ls_errorf(b->err, b->s->path, line, col, "%s.%s: %s", b->plugin, b->fn->name, msg);
    free(msg);
    b->nerrors++;
    return -1;
}

static int bind_errorat(lsp_bind_ctx *b, const ls_ynode *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int bind_errorat(lsp_bind_ctx *b, const ls_ynode *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bind_verror(b, at, fmt, ap);
    va_end(ap);
    return -1;
}

/* A parameter path as messages show it: list positions counted from 1,
 * as people (and the Lua backend's messages) count them: "bands[0].min"
 * is shown "bands[1].min".  Writes into buf (PATH_TEXT bytes). */
#define PATH_TEXT 256
static const char *path_text(const char *path, char *buf)
{
    size_t o = 0;
    for (const char *p = path ? path : ""; *p && o + 24 < PATH_TEXT; p++) {
        if (*p == '[' && p[1] >= '0' && p[1] <= '9') {
            char *end;
            unsigned long long i = strtoull(p + 1, &end, 10);
            if (*end == ']') {
                o += (size_t)snprintf(buf + o, PATH_TEXT - o, "[%llu]", i + 1);
                p = end;
                continue;
            }
        }
        buf[o++] = *p;
    }
    buf[o] = '\0';
    return buf;
}

/* Look up a parameter: 0 with *out, 1 absent and optional, -1 (missing
 * and required, or a malformed path: reported). */
static int param_lookup(lsp_bind_ctx *b, const char *path, int required, const char *what,
                        const ls_ynode **out)
{
    const ls_ynode *parent;
    int bad;
    const ls_ynode *n = param_at(b->nd->rule.params, path, &parent, &bad);
    if (bad)
        return bind_errorat(b, NULL, "internal error in the plugin: malformed parameter path '%s'",
                            path ? path : "(null)");
    if (n) {
        *out = n;
        return 0;
    }
    if (!required) return 1;
    char pb[PATH_TEXT];
    return bind_errorat(b, parent, "missing parameter '%s' (%s)", path_text(path, pb), what);
}

static int wrong_type(lsp_bind_ctx *b, const char *path, const ls_ynode *n, const char *what)
{
    char buf[128], pb[PATH_TEXT];
    return bind_errorat(b, n, "parameter '%s': expected %s, found %s", path_text(path, pb), what,
                        ls_ynode_describe(n, buf, sizeof buf));
}

static const lsp_item *h_bind_item(lsp_bind_ctx *b) { return &b->bd->item; }

static int h_indicator(lsp_bind_ctx *b, const char *id)
{
    const ls_scheme *s = b->s;
    int ind = id ? ls_scheme_find_indicator(s, id) : -1;
    if (ind >= 0) return ind;
    if (!id) return bind_errorat(b, NULL, "internal error in the plugin: indicator id is NULL");
    const char *sug = ls_scheme_suggest_indicator(s, id);
    if (sug) return bind_errorat(b, NULL, "unknown indicator '%s' (did you mean '%s'?)", id, sug);
    return bind_errorat(b, NULL, "unknown indicator '%s'", id);
}

/* "integer, number or percent" for a type set. */
static void types_text(unsigned types, ls_buf *t)
{
    int n = 0, total = 0;
    for (int i = 0; i <= LS_T_TEXT; i++) total += (types >> i) & 1;
    for (int i = 0; i <= LS_T_TEXT; i++) {
        if (!((types >> i) & 1)) continue;
        n++;
        ls_buf_printf(t, "%s%s", n == 1 ? "" : n == total ? _(" or ")
                                                          : ", ",
                      ls_vtype_name((ls_vtype)i));
    }
}

static int h_param_indicator(lsp_bind_ctx *b, const char *path, int required, unsigned types,
                             int *out)
{
    const ls_ynode *n = NULL;
    int rc = param_lookup(b, path, required, _("an indicator id"), &n);
    if (rc) return rc;
    if (n->kind != LS_YSCALAR) return wrong_type(b, path, n, _("an indicator id"));
    const ls_scheme *s = b->s;
    char pb[PATH_TEXT];
    path_text(path, pb);
    int ind = ls_scheme_find_indicator(s, n->str);
    if (ind < 0) {
        const char *sug = ls_scheme_suggest_indicator(s, n->str);
        if (sug)
            return bind_errorat(b, n, "parameter '%s': unknown indicator '%s' (did you mean '%s'?)",
                                pb, n->str, sug);
        return bind_errorat(b, n, "parameter '%s': unknown indicator '%s'", pb, n->str);
    }
    const ls_indicator *in = &s->inds[ind];
    if (types && !((types >> in->spec.type) & 1)) {
        ls_buf t;
        ls_buf_init(&t);
        types_text(types, &t);
        bind_errorat(b, n, "parameter '%s': indicator '%s' (%s) is of type %s, expected %s",
                     pb, in->id, in->name, ls_vtype_name(in->spec.type), t.p);
        ls_buf_cleanup(&t);
        return -1;
    }
    *out = ind;
    return 0;
}

static int bad_indicator(lsp_bind_ctx *b, int ind)
{
    if (ind >= 0 && (size_t)ind < b->s->ninds) return 0;
    return bind_errorat(b, NULL, "internal error in the plugin: no indicator handle %d", ind);
}

static int h_indicator_type(lsp_bind_ctx *b, int ind)
{
    if (bad_indicator(b, ind)) return -1;
    return (int)b->s->inds[ind].spec.type;
}

static const char *h_indicator_name(lsp_bind_ctx *b, int ind)
{
    if (bad_indicator(b, ind)) return NULL;
    return b->s->inds[ind].name;
}

static const char *h_indicator_unit(lsp_bind_ctx *b, int ind)
{
    if (bad_indicator(b, ind)) return NULL;
    return b->s->inds[ind].unit;
}

static int h_flag(lsp_bind_ctx *b, const char *name)
{
    const ls_scheme *s = b->s;
    for (size_t i = 0; name && i < s->nflags; i++)
        if (!strcmp(s->flags[i], name)) return (int)i;
    return bind_errorat(b, NULL, "unknown flag '%s' (the scheme declares its flags under 'flags:')",
                        name ? name : "(null)");
}

static int h_param_kind(lsp_bind_ctx *b, const char *path)
{
    int bad, v;
    const ls_ynode *n = param_at(b->nd->rule.params, path, NULL, &bad);
    double d;
    char msg[8];
    if (bad) {
        bind_errorat(b, NULL, "internal error in the plugin: malformed parameter path '%s'",
                     path ? path : "(null)");
        return LSP_P_ABSENT;
    }
    if (!n) return LSP_P_ABSENT;
    if (n->kind == LS_YSEQ) return LSP_P_LIST;
    if (n->kind == LS_YMAP) return LSP_P_MAP;
    if (scalar_bool(n, &v)) return LSP_P_BOOL;
    if (n->plain && !scalar_number(n, &d, msg, sizeof msg)) return LSP_P_NUMBER;
    return LSP_P_STRING;
}

static int h_param_number(lsp_bind_ctx *b, const char *path, int required, double *out)
{
    const ls_ynode *n = NULL;
    int rc = param_lookup(b, path, required, _("a number"), &n);
    if (rc) return rc;
    if (n->kind != LS_YSCALAR) return wrong_type(b, path, n, _("a number"));
    char msg[256], pb[PATH_TEXT];
    if (scalar_number(n, out, msg, sizeof msg))
        return bind_errorat(b, n, "parameter '%s': %s", path_text(path, pb), msg);
    return 0;
}

static int h_param_string(lsp_bind_ctx *b, const char *path, int required, const char **out)
{
    const ls_ynode *n = NULL;
    int rc = param_lookup(b, path, required, _("text"), &n);
    if (rc) return rc;
    if (n->kind != LS_YSCALAR) return wrong_type(b, path, n, _("text"));
    *out = n->str;
    return 0;
}

static int h_param_bool(lsp_bind_ctx *b, const char *path, int required, int *out)
{
    const ls_ynode *n = NULL;
    int rc = param_lookup(b, path, required, _("true or false"), &n);
    if (rc) return rc;
    if (!scalar_bool(n, out)) return wrong_type(b, path, n, _("true or false"));
    return 0;
}

static int h_param_length(lsp_bind_ctx *b, const char *path, int required, size_t *out)
{
    const ls_ynode *n = NULL;
    int rc = param_lookup(b, path, required, _("a list"), &n);
    if (rc) return rc;
    if (n->kind == LS_YSCALAR) return wrong_type(b, path, n, _("a list"));
    *out = n->n;
    return 0;
}

static int h_param_key(lsp_bind_ctx *b, const char *path, size_t i, const char **out)
{
    const ls_ynode *n = NULL;
    int rc = param_lookup(b, path, 1, "a mapping", &n);
    if (rc) return rc;
    if (n->kind != LS_YMAP) return wrong_type(b, path, n, _("a mapping"));
    if (i >= n->n)
        return bind_errorat(b, n, "internal error in the plugin: parameter '%s' has no pair %zu",
                            path, i);
    *out = ls_ymap_key(n, i)->str;
    return 0;
}

static int h_param_item_number(lsp_bind_ctx *b, const char *path, size_t i, double *out)
{
    char *p = ls_format("%s[%zu]", path ? path : "", i);
    int rc = h_param_number(b, p, 1, out);
    free(p);
    return rc;
}

static int h_bind_error(lsp_bind_ctx *b, const char *path, const char *fmt, ...)
{
    const ls_ynode *at = NULL;
    int bad;
    if (path) at = param_at(b->nd->rule.params, path, NULL, &bad);
    va_list ap;
    va_start(ap, fmt);
    bind_verror(b, at, fmt, ap);
    va_end(ap);
    return -1;
}

static void h_set_state(lsp_bind_ctx *b, void *state)
{
    if (b->has_state && b->state != state && b->fn->free_state) b->fn->free_state(b->state);
    b->state = state;
    b->has_state = 1;
}

/* ---- calls ---------------------------------------------------------------- */

static int call_vfail(lsp_call *c, const char *fmt, va_list ap)
{
    if (!c->failure) c->failure = ls_vformat(_(fmt), ap);
    return -1;
}

static int call_fail(lsp_call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int call_fail(lsp_call *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    call_vfail(c, fmt, ap);
    va_end(ap);
    return -1;
}

/* The value into *buf (returned), or NULL. */
static const ls_value *call_value(lsp_call *c, int ind, const char *fn, ls_value *buf)
{
    const ls_rule_call *rc = c->rc;
    if (ind < 0 || (size_t)ind >= c->s->ninds) {
        call_fail(c, "internal error in the plugin: %s() of indicator handle %d", fn, ind);
        return NULL;
    }
    if (rc->reads) rc->reads[ind] = 1;
    if (!rc->data) return NULL;
    *buf = ls_dataset_value(rc->data, (size_t)rc->unit, (size_t)ind);
    return buf;
}

static const lsp_item *h_item(lsp_call *c) { return &c->bd->item; }
static const lsp_unit *h_unit(lsp_call *c) { return &c->unit; }
static void *h_state(lsp_call *c) { return c->bd->state; }

static double h_number(lsp_call *c, int ind, int *is_set)
{
    ls_value got;
    const ls_value *v = call_value(c, ind, "number", &got);
    int set = v && v->set;
    if (is_set) *is_set = set;
    return set ? v->num : 0;
}

static const char *h_string(lsp_call *c, int ind)
{
    ls_value got;
    const ls_value *v = call_value(c, ind, "string", &got);
    if (!v || !v->set || (v->type != LS_T_ENUM && v->type != LS_T_TEXT)) return NULL;
    return v->str;
}

static const lsp_stat *h_stats(lsp_call *c, int ind)
{
    if (ind < 0 || (size_t)ind >= c->s->ninds) {
        call_fail(c, "internal error in the plugin: stats() of indicator handle %d", ind);
        return NULL;
    }
    ls_rule_call *rc = c->rc;
    if (!rc->stats) {
        call_fail(c, "group statistics are not available here");
        return NULL;
    }
    if (rc->reads) rc->reads[ind] = 1;
    const ls_scheme *s = c->s;
    const ls_stat *st = ls_stats_get(rc->stats, s->units[rc->unit].group, ind);
    memset(&c->stat, 0, sizeof c->stat);
    c->stat.count = st->count;
    c->stat.sum = st->sum;
    if (st->count) {
        c->stat.min = st->min;
        c->stat.max = st->max;
        c->stat.mean = st->mean;
    }
    ls_vtype t = s->inds[ind].spec.type;
    if (t != LS_T_ENUM && t != LS_T_TEXT) {
        c->stat.rank = ls_stats_rank(rc->stats, rc->unit, ind, 1);
        c->stat.rank_asc = ls_stats_rank(rc->stats, rc->unit, ind, 0);
    }
    return &c->stat;
}

static int h_has_flag(lsp_call *c, int flag)
{
    const ls_scheme *s = c->s;
    if (flag < 0 || (size_t)flag >= s->nflags)
        return call_fail(c, "internal error in the plugin: no flag handle %d", flag), 0;
    return (int)((s->units[c->rc->unit].flags >> flag) & 1);
}

static void h_result(lsp_call *c, double value)
{
    c->value = value;
    c->has_result = 1;
}

static int h_reason(lsp_call *c, const char *text)
{
    if (!text) return call_fail(c, "internal error in the plugin: reason is NULL");
    size_t len = strlen(text), bad;
    if (!ls_utf8_valid(text, len, &bad))
        return call_fail(c, "reason %zu is not valid UTF-8 text (bad byte at offset %zu)",
                         c->rc->reasons.n + 1, bad);
    char msg[200];
    size_t before = 0;
    for (size_t i = 0; i < c->rc->reasons.n; i++) before += strlen(c->rc->reasons.v[i]);
    if (ls_rule_reason_fits(c->rc->reasons.n + 1, len, before, msg, sizeof msg))
        return call_fail(c, "%s", msg);
    ls_strlist_add(&c->rc->reasons, text, len);
    return 0;
}

static int h_reasonf(lsp_call *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *t = ls_vformat(fmt, ap);
    va_end(ap);
    int rc = h_reason(c, t);
    free(t);
    return rc;
}

static int h_fail(lsp_call *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    call_vfail(c, fmt, ap);
    va_end(ap);
    return -1;
}

static void h_log(lsp_call *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *t = ls_vformat(fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s: %s\n", c->bd->path, t);
    fflush(stderr);
    free(t);
}

/* The Lua helpers' fmt(): integral values without decimals, others with
 * 15 significant digits, never "-0". */
static const char *h_fmt(double x, char *buf, size_t size)
{
    if (!buf || size == 0) return "";
    if (isnan(x)) {
        snprintf(buf, size, "NaN");
    } else if (x == floor(x) && fabs(x) < 9007199254740992.0) {
        /* what "%.0f" prints, without snprintf: plugins format an amount
         * or two for every reason */
        char tmp[24];
        size_t n = 0;
        long long v = (long long)x;
        unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
        do {
            tmp[n++] = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        if (v < 0 || (v == 0 && signbit(x))) tmp[n++] = '-';
        if (n < size) {
            for (size_t i = 0; i < n; i++) buf[i] = tmp[n - 1 - i];
            buf[n] = '\0';
        } else {
            snprintf(buf, size, "%.0f", x);
        }
    } else {
        snprintf(buf, size, "%.15g", x);
    }
    if (!strcmp(buf, "-0")) snprintf(buf, size, "0");
    return buf;
}

static int not_veto(lsp_call *c, const char *fn)
{
    const lsp_item *it = &c->bd->item;
    if (it->kind != LSP_VETO) return 0;
    return call_fail(c, "%s(): item %s is a veto item (一票否决): set its result with result() "
                        "(1 when the veto applies)",
                     fn, it->number);
}

/* from_amount(capped(amount, cap, text)) of rules/lawscore.lua. */
static int h_amount(lsp_call *c, double amount, double cap, const char *text)
{
    if (not_veto(c, "amount")) return -1;
    if (!isfinite(amount) || isnan(cap))
        return call_fail(c, "amount(): the amount is not a finite number");
    const lsp_item *it = &c->bd->item;
    if (cap < 0) cap = it->points;
    char a[LSP_FMT_SIZE], m[LSP_FMT_SIZE];
    if (amount > cap + LS_EPS) {
        if (text && h_reasonf(c, "%s，应%s%s分，最多%s%s分", text, it->verb,
                              h_fmt(amount, a, sizeof a), it->verb, h_fmt(cap, m, sizeof m)))
            return -1;
        amount = cap;
    } else if (text && h_reasonf(c, "%s，%s%s分", text, it->verb, h_fmt(amount, a, sizeof a))) {
        return -1;
    }
    h_result(c, it->kind == LSP_ITEM ? it->points - amount : amount);
    return 0;
}

/* from_earned(earned, earned_reason(situation, earned)) of rules/lawscore.lua. */
static int h_earned(lsp_call *c, double earned, const char *situation)
{
    if (not_veto(c, "earned")) return -1;
    if (!isfinite(earned)) return call_fail(c, "earned(): the points are not a finite number");
    const lsp_item *it = &c->bd->item;
    double points = it->points;
    if (it->kind == LSP_DEDUCTION && !isfinite(points))
        return call_fail(c, "earned(): item %s is a deduction item without points: there are no "
                            "points to earn out of",
                         it->number);
    char a[LSP_FMT_SIZE];
    int rc = 0;
    if (situation) {
        if (it->kind == LSP_BONUS) {
            if (earned > 0) rc = h_reasonf(c, "%s，加%s分", situation, h_fmt(earned, a, sizeof a));
        } else if (it->kind == LSP_DEDUCTION) {
            if (points - earned > LS_EPS)
                rc = h_reasonf(c, "%s，扣%s分", situation, h_fmt(points - earned, a, sizeof a));
        } else if (earned < points - LS_EPS) {
            if (earned <= 0) rc = h_reasonf(c, "%s，不得分", situation);
            else rc = h_reasonf(c, "%s，得%s分", situation, h_fmt(earned, a, sizeof a));
        }
    }
    if (rc) return -1;
    h_result(c, it->kind == LSP_DEDUCTION ? points - earned : earned);
    return 0;
}

static double h_precision(lsp_call *c)
{
    double p = 1;
    for (int i = 0; i < c->s->digits; i++) p /= 10;
    return p;
}

static const lsp_host host = {
    .size = (uint32_t)sizeof(lsp_host),
    .abi_major = LSP_ABI_MAJOR,
    .abi_minor = LSP_ABI_MINOR,
    .bind_item = h_bind_item,
    .indicator = h_indicator,
    .param_indicator = h_param_indicator,
    .indicator_type = h_indicator_type,
    .indicator_name = h_indicator_name,
    .indicator_unit = h_indicator_unit,
    .precision = h_precision,
    .flag = h_flag,
    .param_kind = h_param_kind,
    .param_number = h_param_number,
    .param_string = h_param_string,
    .param_bool = h_param_bool,
    .param_length = h_param_length,
    .param_key = h_param_key,
    .param_item_number = h_param_item_number,
    .bind_error = h_bind_error,
    .set_state = h_set_state,
    .item = h_item,
    .unit = h_unit,
    .state = h_state,
    .number = h_number,
    .string = h_string,
    .stats = h_stats,
    .has_flag = h_has_flag,
    .result = h_result,
    .amount = h_amount,
    .earned = h_earned,
    .reason = h_reason,
    .reasonf = h_reasonf,
    .fail = h_fail,
    .log = h_log,
    .fmt = h_fmt,
};

/* ---- binding and calling ------------------------------------------------ */

static int item_kind(ls_section sec)
{
    switch (sec) {
    case LS_SEC_BONUS: return LSP_BONUS;
    case LS_SEC_DEDUCT: return LSP_DEDUCTION;
    case LS_SEC_VETO: return LSP_VETO;
    default: return LSP_ITEM;
    }
}

int ls_plugin_host_bind(const ls_scheme *s, int node, const char *plugin, const char *path,
                        const lsp_function *fn, ls_plugin_binding *bd, ls_errors *err)
{
    const ls_node *nd = &s->nodes[node];
    memset(bd, 0, sizeof *bd);
    bd->item.id = nd->id;
    bd->item.name = nd->name;
    bd->item.number = nd->number ? nd->number : "";
    bd->item.kind = item_kind(nd->section);
    /* A bonus or deduction item without points has no cap of its own. */
    bd->item.points = nd->no_points ? HUGE_VAL : ls_dec_to_double(nd->points, s->digits);
    bd->item.verb = nd->section == LS_SEC_BONUS ? "加" : "扣";
    lsp_bind_ctx ctx = {.s = s, .nd = nd, .bd = bd, .plugin = plugin, .fn = fn, .err = err};
    ls_guard_install();
    ls_guard_site site = {s, node, -1, plugin, path, fn->name, "binding the item"};
    ls_guard_enter(&site);
    int rc = fn->bind ? fn->bind(&host, &ctx) : 0;
    ls_guard_enter(NULL);
    if (rc != 0 || ctx.nerrors) {
        if (!ctx.nerrors)
            bind_errorat(&ctx, NULL, "the plugin rejected the item without saying why");
        site.phase = "freeing its state";
        ls_guard_enter(&site);
        if (ctx.has_state && ctx.state && fn->free_state) fn->free_state(ctx.state);
        ls_guard_enter(NULL);
        memset(bd, 0, sizeof *bd);
        return -1;
    }
    bd->plugin = plugin;
    bd->path = path;
    bd->fn = fn;
    bd->state = ctx.state;
    return 0;
}

int ls_plugin_host_call(const ls_scheme *s, const ls_plugin_binding *bd, ls_rule_call *rc)
{
    const ls_unit *u = &s->units[rc->unit];
    lsp_call c = {.s = s, .rc = rc, .bd = bd};
    c.unit.id = u->id;
    c.unit.name = u->name;
    c.unit.group = s->groups[u->group].id;
    c.unit.group_name = s->groups[u->group].name;
    rc->value = 0;
    /* One lock for every plugin that did not declare LSP_THREADSAFE: what
     * such a plugin keeps outside its states is touched by one thread at a
     * time, whichever of its functions runs. */
    static pthread_mutex_t serial = PTHREAD_MUTEX_INITIALIZER;
    ls_guard_install(); /* once per thread; then a thread-local test */
    ls_guard_site site = {s, rc->node, rc->unit, bd->plugin, bd->path, bd->fn->name, "scoring"};
    if (bd->serial) pthread_mutex_lock(&serial);
    ls_guard_enter(&site);
    int st = bd->fn->score(&host, &c);
    ls_guard_enter(NULL);
    if (bd->serial) pthread_mutex_unlock(&serial);
    const char *nm = bd->plugin, *fn = bd->fn->name, *path = bd->path;
    int ret = 0;
    if (c.failure)
        ret = ls_rule_call_fail(rc, path, 0, "%s.%s: %s", nm, fn, c.failure);
    else if (st != 0)
        ret = ls_rule_call_fail(rc, path, 0, "%s.%s: failed without saying why", nm, fn);
    else if (!c.has_result)
        ret = ls_rule_call_fail(rc, path, 0, "%s.%s: returned without a result "
                                             "(set it with result(), amount() or earned())",
                                nm, fn);
    else if (isnan(c.value))
        ret = ls_rule_call_fail(rc, path, 0, "%s.%s: returned NaN", nm, fn);
    else if (!isfinite(c.value))
        ret = ls_rule_call_fail(rc, path, 0, "%s.%s: returned an infinite number", nm, fn);
    else if (s->nodes[rc->node].section == LS_SEC_VETO && c.value != 0 && c.value != 1)
        ret = ls_rule_call_fail(rc, path, 0, "%s.%s: returned %.14g for a veto item (1 when the veto "
                                             "applies, else 0)",
                                nm, fn, c.value);
    free(c.failure);
    if (ret) {
        ls_strlist_cleanup(&rc->reasons);
        rc->value = 0;
        return -1;
    }
    rc->value = c.value;
    return 0;
}

void ls_plugin_host_unbind(ls_plugin_binding *bd)
{
    if (bd->fn && bd->state && bd->fn->free_state) {
        /* unguarded: the binding keeps no scheme position for a message */
        bd->fn->free_state(bd->state);
    }
    memset(bd, 0, sizeof *bd);
}
