/*
 * ls_util.h - small memory, string and file helpers shared by the engine.
 *
 * Allocation failure aborts with a message: lawscore is a batch tool and
 * the data sets it loads are bounded by the loaders.
 *
 * Depends on: ls_i18n, libc.
 */
#ifndef LS_UTIL_H
#define LS_UTIL_H

#include <stdarg.h>
#include <stddef.h>

void *ls_xmalloc(size_t n);
void *ls_xcalloc(size_t n, size_t size);
void *ls_xrealloc(void *p, size_t n);
char *ls_xstrdup(const char *s);            /* caller frees */
char *ls_xstrndup(const char *s, size_t n); /* caller frees */
char *ls_format(const char *fmt, ...)       /* caller frees */
    __attribute__((format(printf, 1, 2)));
char *ls_vformat(const char *fmt, va_list ap); /* caller frees */

/* Make room for one more element in the growable array p holding n of cap
 * elements: when full, cap doubles (starting at first) and p is
 * reallocated.  Every growable array of the engine grows this way. */
#define LS_GROW(p, n, cap, first)                        \
    do {                                                 \
        if ((n) == (cap)) {                              \
            (cap) = (cap) ? 2 * (cap) : (first);         \
            (p) = ls_xrealloc((p), (cap) * sizeof *(p)); \
        }                                                \
    } while (0)

/* Two numbers computed in double (a rule's value against a bound, an
 * expected score against the actual, a share of a group) are taken as
 * equal when they differ by less than this: binary fractions are not
 * exact, and the engine's amounts have at most LS_MAX_DIGITS decimals.
 * The rule helper library (rules/lawscore.lua) uses the same value. */
#define LS_EPS 1e-9

/* qsort comparator for an array of C strings (char * or const char *). */
int ls_cmp_str(const void *a, const void *b);

/* Read a whole regular file.  Returns a NUL-terminated buffer the caller
 * frees and sets *len, or NULL with errno set (EISDIR for a directory,
 * EINVAL for a device, pipe or other non-regular file). */
char *ls_read_file(const char *path, size_t *len);

/* The reason ls_read_file failed, for messages ("No such file or
 * directory", "not a regular file"). */
const char *ls_read_strerror(int e);

/* Directory part of a path ("." when none); caller frees. */
char *ls_dirname(const char *path);
/* Join dir and a relative path (absolute paths are taken as they are),
 * with "." and "name/.." taken out lexically, so that paths in messages
 * read the way the author thinks of them ("ex/tests/../rules/a.lua" is
 * "ex/rules/a.lua"); caller frees. */
char *ls_path_join(const char *dir, const char *rel);

/* Check that s[0..len) is valid UTF-8.  Returns 1 if so; otherwise 0 and
 * sets *bad to the offset of the first bad byte. */
int ls_utf8_valid(const char *s, size_t len, size_t *bad);
/* Number of code points in s[0..len) (for 1-based columns). */
size_t ls_utf8_count(const char *s, size_t len);
/* Length in bytes of the longest prefix of s, at most max bytes, that
 * does not cut a UTF-8 character (for quoting values in messages). */
int ls_utf8_clip(const char *s, int max);
/* A short, printable excerpt of text read from a file, for a message:
 * at most `max` bytes of s in whole UTF-8 characters, control characters
 * and invalid bytes written as \n, \t, \xNN, and "..." when cut (or when
 * buf, of `size` bytes, is full).  A message never prints a file's lines
 * (units: /etc/shadow) or sends escape sequences to the terminal.  Returns
 * buf. */
const char *ls_excerpt(const char *s, size_t max, char *buf, size_t size);
/* Text written into a spreadsheet cell (CSV or workbook) that a
 * spreadsheet would take for a formula: it starts with '=', '+', '-', '@',
 * a tab or a carriage return (OWASP, CSV injection).  Every exporter
 * writes such text behind an apostrophe: ls_cell_text. */
int ls_cell_is_formula(const char *s);
/* s as text for a spreadsheet cell: s itself, or when ls_cell_is_formula
 * a new string "'" + s stored in *owned (caller frees; else *owned is
 * NULL).  Only for text: numbers (scores, ranks) are written as they are. */
const char *ls_cell_text(const char *s, char **owned);
/* Cut an incomplete UTF-8 character off the end of s (after a truncating
 * snprintf). */
void ls_utf8_fix_tail(char *s);
/* Terminal display width of a UTF-8 string (CJK wide characters count 2). */
int ls_display_width(const char *s);
/* The same of the first len bytes of s. */
int ls_display_width_n(const char *s, size_t len);
/* Lines a text needs in a spreadsheet column `width` characters wide
 * (wrapping at display width, a little early as words and punctuation do
 * not fill each line; a line break starts a line); at least 1. */
int ls_wrap_lines(const char *s, int width);

/* Levenshtein distance, for "did you mean" suggestions. */
size_t ls_edit_distance(const char *a, const char *b);
/* The same counted in code points (迟报数 is 1 from 迟报次数), for names in
 * Chinese; (size_t)-1 past 64 code points or on invalid UTF-8. */
size_t ls_edit_distance_cp(const char *a, const char *b);

/* A growable byte buffer. */
typedef struct ls_buf {
    char *p;
    size_t n, cap;
} ls_buf;
void ls_buf_init(ls_buf *b);
void ls_buf_cleanup(ls_buf *b);
void ls_buf_add(ls_buf *b, const char *s, size_t n);
void ls_buf_puts(ls_buf *b, const char *s);
void ls_buf_printf(ls_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The files of directory dir whose names end in one of exts (a NULL-ended
 * list, any case), hidden files and Office lock files (~$...) left out,
 * as dir/name sorted by name (caller frees each and the array).  0, or -1
 * when dir cannot be read (errno says why). */
int ls_dir_files(const char *dir, const char *const *exts, char ***files, size_t *n);

#endif
