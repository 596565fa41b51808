/*
 * ls_error.c - diagnostics with source positions (see ls_error.h).
 */
#include "ls_error.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ls_i18n.h"
#include "ls_util.h"

void ls_errors_init(ls_errors *e) { memset(e, 0, sizeof *e); }

void ls_errors_cleanup(ls_errors *e)
{
    if (!e) return;
    for (size_t i = 0; i < e->n; i++) {
        free(e->v[i].path);
        free(e->v[i].msg);
        free(e->v[i].msg_c);
    }
    free(e->v);
    memset(e, 0, sizeof *e);
}

/* Record msg and msg_c (taken: freed here when the limit drops them). */
static void record(ls_errors *e, ls_severity sev, const char *path, int line, int col, char *msg, char *msg_c)
{
    size_t limit = e->limit ? e->limit : 200;
    if (sev == LS_SEV_ERROR) {
        e->nerrors++;
        if (e->nerrors > limit) {
            free(msg);
            free(msg_c);
            return;
        }
    } else if (sev == LS_SEV_WARNING) {
        e->nwarnings++;
    }
    LS_GROW(e->v, e->n, e->cap, 16);
    ls_diag *d = &e->v[e->n++];
    d->sev = sev;
    d->path = path ? ls_xstrdup(path) : NULL;
    d->line = line;
    d->col = col;
    d->msg = msg;
    d->msg_c = msg_c;
    /* Messages quote file text: no control character (an escape sequence
     * from a hostile file) reaches the terminal; newlines and tabs are the
     * messages' own (tracebacks). */
    for (int k = 0; k < 2; k++)
        for (char *p = k ? d->msg_c : d->msg; p && *p; p++)
            if (((unsigned char)*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7F) *p = '?';
}

static void add(ls_errors *e, ls_severity sev, const char *path, int line,
                int col, const char *fmt, va_list ap)
{
    const char *tr = _(fmt);
    char *msg_c = NULL;
    /* a warning may be kept in the outputs (a data warning in
     * results.json): its English too, but only then, as a province may
     * have a warning per unit */
    if (sev == LS_SEV_WARNING && tr != fmt) {
        va_list aq;
        va_copy(aq, ap);
        msg_c = ls_vformat(fmt, aq);
        va_end(aq);
    }
    record(e, sev, path, line, col, ls_vformat(tr, ap), msg_c);
}

void ls_errors_add(ls_errors *e, ls_severity sev, const char *path, int line, int col, const char *msg,
                   size_t len)
{
    char *m = ls_xmalloc(len + 1);
    memcpy(m, msg, len);
    m[len] = 0;
    for (size_t i = 0; i < len; i++)
        if (!m[i]) m[i] = '?';
    record(e, sev, path, line, col, m, NULL);
}

void ls_errors_append(ls_errors *to, ls_errors *from)
{
    size_t limit = to->limit ? to->limit : 200, recorded = 0;
    for (size_t i = 0; i < from->n; i++) {
        ls_diag *d = &from->v[i];
        if (d->sev == LS_SEV_ERROR) {
            recorded++;
            if (++to->nerrors > limit) {
                free(d->path);
                free(d->msg);
                continue;
            }
        } else if (d->sev == LS_SEV_WARNING) {
            to->nwarnings++;
        }
        LS_GROW(to->v, to->n, to->cap, 16);
        to->v[to->n++] = *d;
    }
    to->nerrors += from->nerrors - recorded;
    free(from->v);
    memset(from, 0, sizeof *from);
}

int ls_errorf(ls_errors *e, const char *path, int line, int col,
              const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add(e, LS_SEV_ERROR, path, line, col, fmt, ap);
    va_end(ap);
    return -1;
}

void ls_warnf(ls_errors *e, const char *path, int line, int col,
              const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add(e, LS_SEV_WARNING, path, line, col, fmt, ap);
    va_end(ap);
}

void ls_notef(ls_errors *e, const char *path, int line, int col,
              const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add(e, LS_SEV_NOTE, path, line, col, fmt, ap);
    va_end(ap);
}

char *ls_where(const char *path, int line, int col)
{
    if (line > 0 && col < 0) {
        char letters[8];
        int n = 0, k = 0;
        for (unsigned c = (unsigned)-col; c > 0 && n < 7; c = (c - 1) / 26)
            letters[n++] = (char)('A' + (c - 1) % 26);
        char ref[8];
        while (n > 0) ref[k++] = letters[--n];
        ref[k] = '\0';
        return ls_format("%s!%s%d", path, ref, line);
    }
    if (line > 0 && col > 0) return ls_format("%s:%d:%d", path, line, col);
    if (line > 0) return ls_format("%s:%d", path, line);
    return ls_xstrdup(path);
}

char *ls_diag_format(const ls_diag *d)
{
    static const char *const sevs[] = {N_("error"), N_("warning"), N_("note")};
    const char *const sev[] = {_(sevs[0]), _(sevs[1]), _(sevs[2])};
    if (!d->path) return ls_format("lawscore: %s: %s", sev[d->sev], d->msg);
    if (d->line > 0 && d->col < 0) {
        char *w = ls_where(d->path, d->line, d->col);
        char *s = ls_format("%s: %s: %s", w, sev[d->sev], d->msg);
        free(w);
        return s;
    }
    if (d->line > 0 && d->col > 0)
        return ls_format("%s:%d:%d: %s: %s", d->path, d->line, d->col,
                         sev[d->sev], d->msg);
    if (d->line > 0)
        return ls_format("%s:%d: %s: %s", d->path, d->line, sev[d->sev],
                         d->msg);
    return ls_format("%s: %s: %s", d->path, sev[d->sev], d->msg);
}

void ls_errors_print(const ls_errors *e, FILE *out)
{
    /* `lawscore check ... > log.txt 2>&1`: what stdout holds so far goes
     * first, or a buffered block would be cut by the messages, even inside
     * a UTF-8 character */
    if (out == stderr) fflush(stdout);
    for (size_t i = 0; i < e->n; i++) {
        char *s = ls_diag_format(&e->v[i]);
        fprintf(out, "%s\n", s);
        free(s);
    }
    size_t limit = e->limit ? e->limit : 200;
    if (e->nerrors > limit) {
        fprintf(out, "lawscore: %s: ", _("note"));
        fprintf(out, _("%zu further errors not shown\n"), e->nerrors - limit);
    }
}
