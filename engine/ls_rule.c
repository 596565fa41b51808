/*
 * ls_rule.c - the rule call record shared by all backends (see ls_rule.h).
 */
#include "ls_rule.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ls_i18n.h"
#include "ls_util.h"

void ls_strlist_add(ls_strlist *l, const char *s, size_t len)
{
    LS_GROW(l->v, l->n, l->cap, 4);
    l->v[l->n++] = ls_xstrndup(s, len);
}

int ls_strlist_has(const ls_strlist *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i], s)) return 1;
    return 0;
}

void ls_strlist_cleanup(ls_strlist *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

void ls_rule_call_init(ls_rule_call *c, const ls_scheme *s, const ls_dataset *d, ls_stats *st,
                       int unit, int node, unsigned char *reads)
{
    memset(c, 0, sizeof *c);
    c->scheme = s;
    c->data = d;
    c->stats = st;
    c->unit = unit;
    c->node = node;
    c->reads = reads;
}

void ls_rule_call_cleanup(ls_rule_call *c)
{
    ls_strlist_cleanup(&c->reasons);
    free(c->err_msg);
    free(c->err_path);
    free(c->err_trace);
    c->err_msg = c->err_path = c->err_trace = NULL;
    c->err_line = 0;
}

int ls_rule_call_fail(ls_rule_call *c, const char *path, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    free(c->err_msg);
    c->err_msg = ls_vformat(_(fmt), ap);
    va_end(ap);
    free(c->err_path);
    c->err_path = path ? ls_xstrdup(path) : NULL;
    c->err_line = line;
    return -1;
}

const char *ls_rule_call_path(const ls_rule_call *c)
{
    const ls_node *n = &c->scheme->nodes[c->node];
    return c->err_path ? c->err_path : (n->rule.path ? n->rule.path : c->scheme->path);
}

char *ls_rule_call_describe(const ls_rule_call *c)
{
    const ls_scheme *s = c->scheme;
    const ls_node *n = &s->nodes[c->node];
    const ls_unit *u = &s->units[c->unit];
    ls_buf b;
    ls_buf_init(&b);
    ls_buf_printf(&b, _("rule of %s %s '%s' for unit '%s' (%s): %s"), ls_section_name(n->section),
                  n->number, n->name, u->id, u->name, c->err_msg ? c->err_msg : _("failed"));
    if (c->err_trace && c->err_trace[0]) ls_buf_printf(&b, "\n%s", c->err_trace);
    return b.p;
}

int ls_rule_call_report(const ls_rule_call *c, ls_errors *err)
{
    char *msg = ls_rule_call_describe(c);
    if (c->err_line > 0) {
        ls_errorf(err, ls_rule_call_path(c), c->err_line, 0, "%s", msg);
    } else {
        /* No line in the script or plugin (a bad return value, a plugin
         * failure): the position is the item's rule in the scheme, and
         * the message names the file that failed. */
        const ls_node *n = &c->scheme->nodes[c->node];
        const char *file = ls_rule_call_path(c);
        size_t first = strcspn(msg, "\n");
        if (strcmp(file, c->scheme->path))
            ls_errorf(err, c->scheme->path, n->rule.line, n->rule.col, "%.*s (in %s)%s", (int)first,
                      msg, file, msg + first);
        else
            ls_errorf(err, c->scheme->path, n->rule.line, n->rule.col, "%s", msg);
    }
    free(msg);
    return -1;
}
