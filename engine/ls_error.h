/*
 * ls_error.h - diagnostics with source positions.
 *
 * Every loader and the scoring engine report problems into an ls_errors
 * list instead of printing: only main.c prints.  A diagnostic names a file,
 * a 1-based line and column (0 when unknown) and a message, and prints in
 * the form compilers use:  path:line:col: error: message
 * A spreadsheet cell is given as its row and a negative column (-1 = A,
 * -3 = C) and prints as a cell reference:  data.xlsx:部门!C7: error: ...
 *
 * The formats of ls_errorf, ls_warnf and ls_notef are translated
 * (ls_i18n) before formatting, and so are the words error/warning/note.
 *
 * Depends on: ls_i18n, ls_util (in ls_error.c).
 */
#ifndef LS_ERROR_H
#define LS_ERROR_H

#include <stddef.h>
#include <stdio.h>

typedef enum {
    LS_SEV_ERROR,
    LS_SEV_WARNING,
    LS_SEV_NOTE
} ls_severity;

typedef struct ls_diag {
    ls_severity sev;
    char *path;  /* owned; may be NULL */
    int line;    /* 1-based, 0 = unknown */
    int col;     /* 1-based, 0 = unknown, < 0: spreadsheet column -col */
    char *msg;   /* owned */
    char *msg_c; /* owned; a warning whose format the message locale
                    translated: the same message in the sources' English
                    (its arguments as given), for the outputs, which are
                    the same in every language; NULL otherwise */
} ls_diag;

typedef struct ls_errors {
    ls_diag *v;
    size_t n, cap;
    size_t nerrors; /* diagnostics with LS_SEV_ERROR */
    size_t nwarnings;
    size_t limit; /* stop recording errors past this many (0 = 200) */
} ls_errors;

void ls_errors_init(ls_errors *e);
void ls_errors_cleanup(ls_errors *e);

/* Record an error.  Always returns -1 so callers can `return ls_errorf(...)`. */
int ls_errorf(ls_errors *e, const char *path, int line, int col,
              const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void ls_warnf(ls_errors *e, const char *path, int line, int col,
              const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void ls_notef(ls_errors *e, const char *path, int line, int col,
              const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Record a diagnostic whose message is already in words (len bytes of
 * msg, not translated, not a format; a NUL in it becomes '?'): one that
 * another process formatted (ls_xls). */
void ls_errors_add(ls_errors *e, ls_severity sev, const char *path, int line, int col, const char *msg,
                   size_t len);

/* Move every diagnostic of `from` to the end of `to`, in order, as if
 * recorded there (to's limit applies; errors `from` counted but did not
 * record are counted in `to` too); `from` is left empty. */
void ls_errors_append(ls_errors *to, ls_errors *from);
/* Print every diagnostic, in the order recorded, one per line (a message
 * may itself hold further lines, e.g. a traceback). */
void ls_errors_print(const ls_errors *e, FILE *out);

/* A position as messages print it: "path:7:3", "path:7", "path" or, for
 * a spreadsheet cell (col < 0), "path!C7"; caller frees. */
char *ls_where(const char *path, int line, int col);

/* Format one diagnostic into a new string (caller frees). */
char *ls_diag_format(const ls_diag *d);

#endif
