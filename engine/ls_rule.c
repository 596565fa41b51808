/*
 * ls_rule.c - the rule call record shared by all backends (see ls_rule.h).
 */
#include "ls_rule.h"

#include <stdarg.h>
#include <stdio.h>
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
    free(c->err_note);
    c->err_msg = c->err_path = c->err_trace = c->err_note = NULL;
    c->err_line = c->err_scheme_line = c->err_scheme_col = 0;
    c->err_kind = LS_RULE_ERR_RUNTIME;
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

int ls_rule_reason_fits(size_t nth, size_t len, size_t before, char *buf, size_t size)
{
    size_t total = before + len;
    if (len > LS_REASON_MAX_BYTES)
        snprintf(buf, size, _("reason %zu is %zu bytes long (a reason holds at most %d bytes)"),
                 nth, len, LS_REASON_MAX_BYTES);
    else if (nth > LS_REASONS_MAX)
        snprintf(buf, size, _("more than %d reasons in one call"), LS_REASONS_MAX);
    else if (total > LS_REASONS_MAX_BYTES)
        snprintf(buf, size, _("the reasons of one call add up to %zu bytes (at most %d)"), total,
                 LS_REASONS_MAX_BYTES);
    else
        return 0;
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

static void add_diag(ls_errors *err, ls_severity sev, const char *path, int line, int col, const char *msg)
{
    switch (sev) {
    case LS_SEV_ERROR: ls_errorf(err, path, line, col, "%s", msg); break;
    case LS_SEV_WARNING: ls_warnf(err, path, line, col, "%s", msg); break;
    case LS_SEV_NOTE: ls_notef(err, path, line, col, "%s", msg); break;
    }
}

void ls_rule_call_report_as(const ls_rule_call *c, ls_severity sev, const char *head, ls_errors *err)
{
    /* (a params key is what to fix: no traceback for it) */
    int trace = c->err_trace && c->err_trace[0] && c->err_kind != LS_RULE_ERR_PARAM;
    char *own = NULL;
    if (!head) {
        const ls_node *n = &c->scheme->nodes[c->node];
        const ls_unit *u = &c->scheme->units[c->unit];
        head = own = ls_format(_("rule of %s %s '%s' for unit '%s' (%s): %s"), ls_section_name(n->section),
                               n->number, n->name, u->id, u->name, c->err_msg ? c->err_msg : _("failed"));
    }
    char *msg = ls_format("%s%s%s", head, trace ? "\n" : "", trace ? c->err_trace : "");
    free(own);
    const char *spath = c->scheme->path;
    if (c->err_kind == LS_RULE_ERR_PARAM && c->err_scheme_line > 0) {
        add_diag(err, sev, spath, c->err_scheme_line, c->err_scheme_col, msg);
        const ls_node *n = &c->scheme->nodes[c->node];
        ls_notef(err, ls_rule_call_path(c), c->err_line, 0, "the rule of %s %s '%s' uses it here",
                 ls_section_name(n->section), n->number, n->name);
    } else if (c->err_line <= 0) {
        /* No line in the script or plugin (a bad return value, a plugin
         * failure): the position is the item's rule in the scheme, and
         * the message names the file that failed. */
        const ls_node *n = &c->scheme->nodes[c->node];
        const char *file = ls_rule_call_path(c);
        if (strcmp(file, spath)) {
            size_t first = strcspn(msg, "\n");
            char *m2 = ls_format(_("%.*s (in %s)%s"), (int)first, msg, file, msg + first);
            add_diag(err, sev, spath, n->rule.line, n->rule.col, m2);
            free(m2);
        } else {
            add_diag(err, sev, spath, n->rule.line, n->rule.col, msg);
        }
        if (c->err_scheme_line > 0 && c->err_note)
            ls_notef(err, spath, c->err_scheme_line, c->err_scheme_col, "%s", c->err_note);
    } else {
        add_diag(err, sev, ls_rule_call_path(c), c->err_line, 0, msg);
        if (c->err_scheme_line > 0 && c->err_note)
            ls_notef(err, spath, c->err_scheme_line, c->err_scheme_col, "%s", c->err_note);
    }
    free(msg);
}

int ls_rule_call_report(const ls_rule_call *c, ls_errors *err)
{
    ls_rule_call_report_as(c, LS_SEV_ERROR, NULL, err);
    return -1;
}
