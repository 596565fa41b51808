/*
 * ls_yread.c - typed reading of YAML nodes (see ls_yread.h).
 */
#include "ls_yread.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ls_i18n.h"
#include "ls_util.h"
#include "ls_value.h"

int ls_yr_error(ls_yr *r, const ls_ynode *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = ls_vformat(_(fmt), ap);
    va_end(ap);
    ls_errorf(r->err, r->path, at ? at->line : 0, at ? at->col : 0, "%s", msg);
    free(msg);
    return -1;
}

static int expect(ls_yr *r, const ls_ynode *n, ls_ykind kind, const char *what)
{
    static const char *const names[] = {N_("a single value"), N_("a list"), N_("a mapping")};
    if (n && n->kind == kind && !(kind == LS_YSCALAR && ls_ynode_is_null(n))) return 0;
    char buf[96];
    return ls_yr_error(r, n, "expected %s for %s, found %s", _(names[kind]), _(what),
                       ls_ynode_describe(n, buf, sizeof buf));
}

int ls_yr_expect_map(ls_yr *r, const ls_ynode *n, const char *what) { return expect(r, n, LS_YMAP, what); }
int ls_yr_expect_seq(ls_yr *r, const ls_ynode *n, const char *what) { return expect(r, n, LS_YSEQ, what); }
int ls_yr_expect_scalar(ls_yr *r, const ls_ynode *n, const char *what) { return expect(r, n, LS_YSCALAR, what); }

int ls_yr_check_keys(ls_yr *r, const ls_ynode *map, const char *const *allowed,
                     const char *what)
{
    int rc = 0;
    for (size_t i = 0; i < map->n; i++) {
        const ls_ynode *k = ls_ymap_key(map, i);
        const char *best = NULL;
        size_t bestd = (size_t)-1;
        int found = 0;
        for (const char *const *a = allowed; *a; a++) {
            if (!strcmp(k->str, *a)) {
                found = 1;
                break;
            }
            size_t d = ls_edit_distance(k->str, *a);
            if (d < bestd) {
                bestd = d;
                best = *a;
            }
        }
        if (found) continue;
        if (best && bestd <= 2)
            rc = ls_yr_error(r, k, "unknown key '%s' in %s (did you mean '%s'?)", k->str, _(what), best);
        else {
            ls_buf b;
            ls_buf_init(&b);
            for (const char *const *a = allowed; *a; a++)
                ls_buf_printf(&b, "%s%s", a == allowed ? "" : ", ", *a);
            rc = ls_yr_error(r, k, "unknown key '%s' in %s (expected one of: %s)", k->str, _(what), b.p);
            ls_buf_cleanup(&b);
        }
    }
    return rc;
}

const ls_ynode *ls_yr_require(ls_yr *r, const ls_ynode *map, const char *key,
                              const char *what)
{
    const ls_ynode *n = ls_ymap_get(map, key);
    if (!n || ls_ynode_is_null(n)) {
        ls_yr_error(r, n ? n : map, "missing '%s' in %s", key, _(what));
        return NULL;
    }
    return n;
}

int ls_yr_text(ls_yr *r, const ls_ynode *n, const char *key, const char **out)
{
    char what[96];
    snprintf(what, sizeof what, "'%s'", key);
    if (expect(r, n, LS_YSCALAR, what)) return -1;
    *out = n->str;
    return 0;
}

int ls_yr_ident(ls_yr *r, const ls_ynode *n, const char *key, const char **out)
{
    if (ls_yr_text(r, n, key, out)) return -1;
    for (const char *p = n->str; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == ' ' || c == '\t' || c == ',' || c == '"' || c == '\'' || c == '\n' || c == '/')
            return ls_yr_error(r, n, "'%s' must be an id without spaces, commas, quotes or slashes, found '%s'",
                               key, n->str);
    }
    return 0;
}

static int number_of(ls_yr *r, const ls_ynode *n, const char *key, const char *kind,
                     double *out)
{
    char what[96];
    snprintf(what, sizeof what, "'%s'", key);
    if (expect(r, n, LS_YSCALAR, what)) return -1;
    ls_vspec spec = {.type = LS_T_NUMBER};
    ls_value v;
    char msg[256];
    if (ls_value_parse(&spec, n->str, n->plain, &v, msg, sizeof msg)) {
        char buf[96];
        return ls_yr_error(r, n, "expected %s for '%s', found %s", _(kind), key,
                           ls_ynode_describe(n, buf, sizeof buf));
    }
    *out = v.num;
    return 0;
}

int ls_yr_int(ls_yr *r, const ls_ynode *n, const char *key, long min, long max, long *out)
{
    double d;
    if (number_of(r, n, key, N_("a whole number"), &d)) return -1;
    if (d != floor(d))
        return ls_yr_error(r, n, "expected a whole number for '%s', found '%s'", key, n->str);
    if (d < (double)min || d > (double)max)
        return ls_yr_error(r, n, "'%s' must be between %ld and %ld, found %s", key, min, max, n->str);
    *out = (long)d;
    return 0;
}

int ls_yr_number(ls_yr *r, const ls_ynode *n, const char *key, double *out)
{
    return number_of(r, n, key, N_("a number"), out);
}

int ls_yr_decimal(ls_yr *r, const ls_ynode *n, const char *key, int digits, ls_fixed *out)
{
    double d;
    if (number_of(r, n, key, N_("a number"), &d)) return -1;
    if (ls_dec_parse(n->str, digits, out)) {
        char step[32];
        ls_dec_format(1, digits, step);
        return ls_yr_error(r, n, "'%s' must be a multiple of the scheme's precision %s, found %s",
                           key, step, n->str);
    }
    return 0;
}

int ls_yr_bool(ls_yr *r, const ls_ynode *n, const char *key, int *out)
{
    char what[96];
    snprintf(what, sizeof what, "'%s'", key);
    if (expect(r, n, LS_YSCALAR, what)) return -1;
    if (n->plain && (!strcmp(n->str, "true") || !strcmp(n->str, "yes"))) {
        *out = 1;
        return 0;
    }
    if (n->plain && (!strcmp(n->str, "false") || !strcmp(n->str, "no"))) {
        *out = 0;
        return 0;
    }
    char buf[96];
    return ls_yr_error(r, n, "expected true or false for '%s', found %s", key,
                       ls_ynode_describe(n, buf, sizeof buf));
}
