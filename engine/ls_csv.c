/*
 * ls_csv.c - CSV reading with positions (see ls_csv.h).
 *
 * libcsv does the quoting rules.  It reports a field when it sees the
 * delimiter after it, so the input is fed in pieces ending at each
 * delimiter candidate: then the byte offset at every callback is known and
 * lines and columns can be given for each field.
 */
#include "ls_csv.h"

#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ls_encoding.h"
#include "ls_i18n.h"
#include "ls_util.h"

typedef struct reader {
    ls_inbook *b;
    ls_intable *t;
    ls_errors *err;
    const char *buf;
    size_t pos;          /* offset just past the byte being fed */
    size_t field_start;  /* offset where the current field began */
    size_t *line_starts; /* offset of each line's first byte */
    size_t nlines;
    size_t at_line, at_off, at_col; /* the last position found (position) */
    ls_incell *cur;                 /* fields of the row being read */
    size_t ncur, capcur;
    size_t header_n; /* fields in the header row */
    int rc;
} reader;

/* Line and column (1-based, in characters) of byte offset off.  Fields
 * come in file order: the last answer (line, offset, column) is kept, and
 * a later offset on the same line or a line below is counted on from it,
 * so a file costs one pass rather than a search and a count from the line
 * start for each field. */
static void position(reader *rd, size_t off, int *line, int *col)
{
    size_t lo = rd->at_line;
    if (off < rd->at_off) { /* behind the last answer (an error's field) */
        size_t hi = rd->nlines;
        lo = 0;
        while (hi - lo > 1) {
            size_t mid = (lo + hi) / 2;
            if (rd->line_starts[mid] <= off) lo = mid;
            else hi = mid;
        }
        rd->at_off = rd->line_starts[lo];
        rd->at_col = 0;
    } else {
        while (lo + 1 < rd->nlines && rd->line_starts[lo + 1] <= off) lo++;
        if (lo != rd->at_line) {
            rd->at_off = rd->line_starts[lo];
            rd->at_col = 0;
        }
    }
    rd->at_col += ls_utf8_count(rd->buf + rd->at_off, off - rd->at_off);
    rd->at_off = off;
    rd->at_line = lo;
    *line = (int)lo + 1;
    *col = (int)rd->at_col + 1;
}

static void on_field(void *s, size_t len, void *data)
{
    reader *rd = data;
    LS_GROW(rd->cur, rd->ncur, rd->capcur, 16);
    ls_incell *f = &rd->cur[rd->ncur++];
    const char *text = s ? s : "";
    size_t n = s ? len : 0;
    ls_intable_trim(&text, &n); /* libcsv trimmed the ASCII spaces */
    f->text = ls_arena_strndup(&rd->b->arena, text, n);
    f->kind = LS_IN_TEXT;
    f->formula = 0;
    /* Skip leading spaces libcsv trimmed, to point at the text itself, and
     * blank lines before a row's first field (libcsv reports nothing for
     * them). */
    size_t start = rd->field_start;
    while (start < rd->pos && (rd->buf[start] == ' ' || rd->buf[start] == '\t' ||
                               (rd->ncur == 1 && (rd->buf[start] == '\n' || rd->buf[start] == '\r'))))
        start++;
    position(rd, start, &f->line, &f->col);
    rd->field_start = rd->pos;
}

static void on_row(int c, void *data)
{
    reader *rd = data;
    ls_intable *t = rd->t;
    rd->field_start = rd->pos;
    size_t n = rd->ncur;
    rd->ncur = 0;
    (void)c;
    /* A blank line (or a row of empty fields, as a spreadsheet saves a
     * blank row) is skipped. */
    size_t j;
    for (j = 0; j < n && !rd->cur[j].text[0]; j++) {}
    if (j == n && !(rd->b->raw && n > 1)) return;
    if (t->nrows == 0) rd->header_n = n;
    else if (n < rd->header_n)
        rd->rc = ls_errorf(rd->err, t->path, rd->cur[0].line, rd->cur[n - 1].col,
                           "row has %zu fields, but the header has %zu", n, rd->header_n);
    LS_GROW(t->rows, t->nrows, t->cap, 64);
    ls_inrow *row = &t->rows[t->nrows++];
    row->n = n;
    row->line = rd->cur[0].line;
    row->f = ls_xmalloc(n * sizeof *row->f);
    row->cap = n;
    memcpy(row->f, rd->cur, n * sizeof *row->f);
}

static int is_space(unsigned char c) { return c == ' ' || c == '\t'; }
static int is_space_only(unsigned char c) { return c == ' '; }

int ls_csv_load(ls_inbook *b, const char *path, ls_errors *err)
{
    size_t rawlen;
    char *raw = ls_read_file(path, &rawlen);
    if (!raw) return ls_errorf(err, path, 0, 0, "cannot read file: %s", ls_read_strerror(errno));
    char *buf;
    size_t len, bad;
    const char *enc;
    int rc = 0;
    if (ls_decode_text(raw, rawlen, &buf, &len, &enc, &bad)) {
        if (strcmp(enc, "UTF-8")) {
            rc = ls_errorf(err, path, 0, 0, "invalid %s text: save the file as \"CSV UTF-8\"", enc);
            free(raw);
            return rc;
        }
        int line = 1;
        size_t ls = 0, off = rawlen >= 3 && !memcmp(raw, "\xEF\xBB\xBF", 3) ? 3 : 0;
        for (size_t i = off; i < bad; i++)
            if (raw[i] == '\n') {
                line++;
                ls = i + 1;
            }
        size_t from = ls > off ? ls : off;
        rc = ls_errorf(err, path, line, (int)ls_utf8_count(raw + from, bad - from) + 1,
                       "invalid UTF-8 byte 0x%02X: save the file as \"CSV UTF-8\"",
                       (unsigned char)raw[bad]);
        free(raw);
        return rc;
    }
    free(raw);
    ls_intable *t = ls_inbook_add(b, path, NULL);
    if (!strcmp(enc, "GB18030"))
        t->note = N_("not UTF-8: read as GB18030 (GBK), the encoding Excel on Chinese Windows saves CSV in");
    reader rd = {.b = b, .t = t, .err = err, .buf = buf};
    /* A NUL would cut a cell short where C sees it: "专门机构\0x" would
     * pass as 专门机构. */
    const char *nul = memchr(buf, '\0', len);
    if (nul) {
        int line = 1;
        size_t ls = 0;
        for (const char *p = buf; p < nul; p++)
            if (*p == '\n') {
                line++;
                ls = (size_t)(p - buf) + 1;
            }
        rc = ls_errorf(err, path, line, (int)ls_utf8_count(buf + ls, (size_t)(nul - buf) - ls) + 1,
                       "a NUL byte in the file: is it a spreadsheet saved as CSV UTF-8?");
        free(buf);
        return rc;
    }
    /* Excel's "Unicode text" separates by tabs. */
    size_t eol = strcspn(buf, "\r\n");
    char delim = memchr(buf, '\t', eol) && !memchr(buf, ',', eol) ? '\t' : ',';
    /* Line starts, for positions. */
    size_t cap = 64;
    rd.line_starts = ls_xmalloc(cap * sizeof *rd.line_starts);
    rd.line_starts[rd.nlines++] = 0;
    for (size_t i = 0; i < len; i++)
        if (buf[i] == '\n') {
            if (rd.nlines == cap) rd.line_starts = ls_xrealloc(rd.line_starts, (cap *= 2) * sizeof *rd.line_starts);
            rd.line_starts[rd.nlines++] = i + 1;
        }

    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        free(rd.line_starts);
        free(buf);
        return ls_errorf(err, path, 0, 0, "out of memory");
    }
    csv_set_space_func(&p, delim == '\t' ? is_space_only : is_space);
    csv_set_delim(&p, (unsigned char)delim);
    rd.field_start = 0;
    /* Feed up to and including each delimiter or newline, so callbacks fire
     * with rd.pos at a known offset. */
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && buf[j] != delim && buf[j] != '\n' && buf[j] != '\r') j++;
        size_t end = j < len ? j + 1 : len;
        if (j > i && csv_parse(&p, buf + i, j - i, on_field, on_row, &rd) != j - i) goto parse_error;
        rd.pos = end;
        if (end > j && csv_parse(&p, buf + j, 1, on_field, on_row, &rd) != 1) goto parse_error;
        i = end;
    }
    rd.pos = len;
    if (csv_fini(&p, on_field, on_row, &rd) != 0) goto parse_error;
    if (rd.rc) rc = -1;
    if (!rc && t->nrows == 0)
        rc = ls_errorf(err, path, 0, 0, "file is empty: expected a header row");
    goto out;
parse_error : {
    /* point at the field that could not be read (its opening quote) */
    int line, col;
    size_t at = rd.field_start;
    while (at < len && (buf[at] == ' ' || buf[at] == '\t')) at++;
    position(&rd, at < len ? at : len - 1, &line, &col);
    if (csv_error(&p) == CSV_EPARSE)
        rc = ls_errorf(err, path, line, col,
                       "malformed quoted field: a quote inside a quoted field must be doubled (\"\"), "
                       "and a quoted field must be closed");
    else
        rc = ls_errorf(err, path, line, col, "CSV: %s", csv_strerror(csv_error(&p)));
}
out:
    csv_free(&p);
    free(rd.cur);
    free(rd.line_starts);
    free(buf);
    return rc;
}

/* Quote fields holding a separator, a quote or a line break; also
 * fields with surrounding spaces, which some readers trim. */
static int needs_quotes(const char *s, size_t n)
{
    return strcspn(s, ",\"\r\n") < n || (n && (s[0] == ' ' || s[n - 1] == ' ' || s[0] == '\t' || s[n - 1] == '\t'));
}

int ls_csv_write_field(FILE *f, const char *s, size_t n)
{
    if (!needs_quotes(s, n)) return fwrite(s, 1, n, f) == n ? 0 : -1;
    return csv_fwrite(f, s, n) == 0 ? 0 : -1;
}

size_t ls_csv_field(char *dst, size_t cap, const char *s, size_t n)
{
    if (needs_quotes(s, n)) return csv_write(dst, cap, s, n);
    if (n <= cap) memcpy(dst, s, n);
    return n;
}
