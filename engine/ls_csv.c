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

#include "ls_util.h"

typedef struct reader {
    ls_csv *t;
    ls_errors *err;
    const char *buf;
    size_t pos;              /* offset just past the byte being fed */
    size_t field_start;      /* offset where the current field began */
    size_t *line_starts;     /* offset of each line's first byte */
    size_t nlines;
    ls_csv_field *cur;       /* fields of the row being read */
    size_t ncur, capcur;
    int rc;
} reader;

static void position(reader *rd, size_t off, int *line, int *col)
{
    size_t lo = 0, hi = rd->nlines;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (rd->line_starts[mid] <= off) lo = mid; else hi = mid;
    }
    *line = (int)lo + 1;
    *col = (int)ls_utf8_count(rd->buf + rd->line_starts[lo], off - rd->line_starts[lo]) + 1;
}

static void on_field(void *s, size_t len, void *data)
{
    reader *rd = data;
    LS_GROW(rd->cur, rd->ncur, rd->capcur, 16);
    ls_csv_field *f = &rd->cur[rd->ncur++];
    f->text = ls_arena_strndup(&rd->t->arena, s ? s : "", s ? len : 0);
    /* Skip leading spaces libcsv trimmed, to point at the text itself. */
    size_t start = rd->field_start;
    while (start < rd->pos && (rd->buf[start] == ' ' || rd->buf[start] == '\t')) start++;
    position(rd, start, &f->line, &f->col);
    rd->field_start = rd->pos;
}

static void on_row(int c, void *data)
{
    reader *rd = data;
    ls_csv *t = rd->t;
    rd->field_start = rd->pos;
    if (rd->ncur == 0) return;
    /* A blank line comes as one empty field. */
    if (rd->ncur == 1 && rd->cur[0].text[0] == '\0') { rd->ncur = 0; return; }
    ls_csv_row *row = ls_xmalloc(sizeof *row);
    row->n = rd->ncur;
    row->line = rd->cur[0].line;
    row->f = ls_arena_alloc(&t->arena, rd->ncur * sizeof *row->f);
    memcpy(row->f, rd->cur, rd->ncur * sizeof *row->f);
    if (t->nrows > 0 && row->n != t->rows[0].n) {
        const ls_csv_field *last = &row->f[row->n - 1];
        rd->rc = ls_errorf(rd->err, t->path, row->line, row->n > t->rows[0].n
                           ? row->f[t->rows[0].n].col : last->col,
                           "row has %zu fields, but the header has %zu",
                           row->n, t->rows[0].n);
    }
    t->rows = ls_xrealloc(t->rows, (t->nrows + 1) * sizeof *t->rows);
    t->rows[t->nrows++] = *row;
    free(row);
    rd->ncur = 0;
    (void)c;
}

static int is_space(unsigned char c) { return c == ' ' || c == '\t'; }

int ls_csv_load(ls_csv *t, const char *path, ls_errors *err)
{
    memset(t, 0, sizeof *t);
    ls_arena_init(&t->arena);
    t->path = ls_arena_strdup(&t->arena, path);
    size_t len;
    char *buf = ls_read_file(path, &len);
    if (!buf) return ls_errorf(err, path, 0, 0, "cannot read file: %s", ls_read_strerror(errno));

    reader rd = {.t = t, .err = err, .buf = buf};
    int rc = 0;
    size_t off = 0;
    if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) off = 3;
    size_t bad;
    if (!ls_utf8_valid(buf + off, len - off, &bad)) {
        int line = 1;
        size_t ls = 0;
        for (size_t i = off; i < off + bad; i++)
            if (buf[i] == '\n') { line++; ls = i + 1; }
        size_t from = ls > off ? ls : off;
        rc = ls_errorf(err, path, line, (int)ls_utf8_count(buf + from, off + bad - from) + 1,
                       "invalid UTF-8 byte 0x%02X: save the file as \"CSV UTF-8\"",
                       (unsigned char)buf[off + bad]);
        free(buf);
        return rc;
    }
    /* A NUL would cut a cell short where C sees it: "专门机构\0x" would
     * pass as 专门机构. */
    const char *nul = memchr(buf + off, '\0', len - off);
    if (nul) {
        int line = 1;
        size_t ls = off;
        for (const char *p = buf + off; p < nul; p++)
            if (*p == '\n') { line++; ls = (size_t)(p - buf) + 1; }
        rc = ls_errorf(err, path, line, (int)ls_utf8_count(buf + ls, (size_t)(nul - buf) - ls) + 1,
                       "a NUL byte in the file: is it a spreadsheet saved as CSV UTF-8?");
        free(buf);
        return rc;
    }
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
    csv_set_space_func(&p, is_space);
    rd.field_start = off;
    /* Feed up to and including each delimiter or newline, so callbacks fire
     * with rd.pos at a known offset. */
    size_t i = off;
    while (i < len) {
        size_t j = i;
        while (j < len && buf[j] != ',' && buf[j] != '\n' && buf[j] != '\r') j++;
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
parse_error: {
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

void ls_csv_cleanup(ls_csv *t)
{
    if (!t) return;
    free(t->rows);
    ls_arena_cleanup(&t->arena);
    t->rows = NULL;
    t->nrows = 0;
}

int ls_csv_write_field(FILE *f, const char *s, size_t n)
{
    /* Quote fields holding a separator, a quote or a line break; also
     * fields with surrounding spaces, which some readers trim. */
    int quote = strcspn(s, ",\"\r\n") < n ||
                (n && (s[0] == ' ' || s[n - 1] == ' ' || s[0] == '\t' || s[n - 1] == '\t'));
    if (!quote) return fwrite(s, 1, n, f) == n ? 0 : -1;
    return csv_fwrite(f, s, n) == 0 ? 0 : -1;
}
