/*
 * ls_intable.c - input tables from CSV, .xlsx and .xls (see ls_intable.h).
 */
#include "ls_intable.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "ls_csv.h"
#include "ls_util.h"
#include "ls_xls.h"
#include "ls_xlsx.h"

ls_intable *ls_inbook_add(ls_inbook *b, const char *file, const char *sheet)
{
    LS_GROW(b->tabs, b->ntabs, b->cap, 4);
    ls_intable *t = &b->tabs[b->ntabs++];
    memset(t, 0, sizeof *t);
    t->file = ls_arena_strdup(&b->arena, file);
    t->sheet = sheet ? ls_arena_strdup(&b->arena, sheet) : NULL;
    if (sheet) {
        char *p = ls_format("%s:%s", file, sheet);
        t->path = ls_arena_strdup(&b->arena, p);
        free(p);
    } else {
        t->path = t->file;
    }
    return t;
}

/* Rows are built in a heap array of cells per row (r->cap of them).  A
 * CSV's rows stay there (finish trims or pads them in place: a province's
 * table is a million rows, and copying them would hold two); a sheet's
 * are made dense in the arena by finish. */

void ls_intable_trim(const char **text, size_t *len)
{
    const char *t = *text;
    size_t n = *len;
    for (;;) {
        if (n && (*t == ' ' || *t == '\t')) t++, n--;
        else if (n >= 3 && !memcmp(t, "\xE3\x80\x80", 3)) t += 3, n -= 3;
        else if (n >= 2 && !memcmp(t, "\xC2\xA0", 2)) t += 2, n -= 2;
        else break;
    }
    for (;;) {
        if (n && (t[n - 1] == ' ' || t[n - 1] == '\t')) n--;
        else if (n >= 3 && !memcmp(t + n - 3, "\xE3\x80\x80", 3)) n -= 3;
        else if (n >= 2 && !memcmp(t + n - 2, "\xC2\xA0", 2)) n -= 2;
        else break;
    }
    *text = t;
    *len = n;
}

ls_incell *ls_intable_put(ls_inbook *b, ls_intable *t, int line, int col, ls_inkind kind,
                          const char *text, size_t len)
{
    if (t->nrows == 0 || t->rows[t->nrows - 1].line != line) {
        LS_GROW(t->rows, t->nrows, t->cap, 64);
        t->rows[t->nrows++] = (ls_inrow){NULL, 0, line, 0};
    }
    ls_inrow *r = &t->rows[t->nrows - 1];
    if (r->n == r->cap) {
        /* a row is most often as wide as the header: room for that at once */
        size_t want = r->cap ? 2 * r->cap : t->nrows > 1 && t->rows[0].n > 8 ? t->rows[0].n
                                                                             : 8;
        r->f = ls_xrealloc(r->f, want * sizeof *r->f);
        r->cap = want;
    }
    ls_intable_trim(&text, &len);
    r->f[r->n] = (ls_incell){ls_arena_strndup(&b->arena, text, len), line, col, (unsigned char)kind, 0};
    return &r->f[r->n++];
}

static int row_blank(const ls_inrow *r)
{
    for (size_t j = 0; j < r->n; j++)
        if (r->f[j].text[0]) return 0;
    return 1;
}

/* The number of non-empty cells of a row. */
static size_t row_cells(const ls_inrow *r)
{
    size_t n = 0;
    for (size_t j = 0; j < r->n; j++) n += r->f[j].text[0] != 0;
    return n;
}

static void free_rows(ls_intable *t)
{
    if (!t->finished || !t->sheet) /* (a CSV's rows stay on the heap) */
        for (size_t i = 0; i < t->nrows; i++) free(t->rows[i].f);
    free(t->rows);
    t->rows = NULL;
    t->nrows = t->cap = 0;
}

void ls_intable_finish(ls_inbook *b, ls_intable *t)
{
    size_t keep = 0;
    for (size_t i = 0; i < t->nrows; i++) {
        if (row_blank(&t->rows[i])) {
            free(t->rows[i].f);
            continue;
        }
        t->rows[keep++] = t->rows[i];
    }
    t->nrows = keep;
    if (keep == 0) return;
    /* Title rows above the header (an office's sheet often opens with its
     * title in a merged cell, "东风区2017年度法治政府建设考核数据填报表",
     * sometimes a subtitle): a row of one cell is no header, since every
     * table lawscore reads needs a unit column and at least one other.
     * Up to LS_INTABLE_MAX_TITLES such rows before a row of two or more
     * cells are skipped; the cells keep their rows, so messages still name
     * the right cell. */
    size_t titles = 0;
    while (titles < LS_INTABLE_MAX_TITLES && titles + 1 < keep && row_cells(&t->rows[titles]) == 1) titles++;
    if (titles && row_cells(&t->rows[titles]) >= 2) {
        for (size_t i = 0; i < titles; i++) free(t->rows[i].f);
        memmove(t->rows, t->rows + titles, (keep - titles) * sizeof *t->rows);
        t->nrows = keep -= titles;
    }
    ls_inrow *h = &t->rows[0];
    /* the header's columns: first to last non-empty header cell */
    size_t first = 0, last = h->n;
    while (last > 0 && !h->f[last - 1].text[0]) last--;
    if (t->sheet)
        while (first < last && !h->f[first].text[0]) first++;
    int sheet = t->sheet != NULL;
    int c0 = sheet ? -h->f[first].col : 1, c1 = sheet ? -h->f[last - 1].col : (int)last;
    size_t width = sheet ? (size_t)(c1 - c0 + 1) : last;
    /* a sparse sheet must not blow up when made dense (a header cell in
     * column XFD over a million rows) */
    if (width && t->nrows > LS_INTABLE_MAX_CELLS / width) {
        t->too_large = 1; /* rows left as read (and freed as such) */
        return;
    }
    t->finished = 1;
    if (!sheet) { /* every row's cells are columns 1..n: trimmed or padded in place */
        for (size_t i = 0; i < t->nrows; i++) {
            ls_inrow *r = &t->rows[i];
            for (size_t j = width; j < r->n && !t->stray.text; j++)
                if (r->f[j].text[0]) t->stray = r->f[j]; /* reported by ls_intable_check if the table is used */
            if (r->n < width) {
                if (r->cap < width) {
                    r->f = ls_xrealloc(r->f, width * sizeof *r->f);
                    r->cap = width;
                }
                int pad_col = r->n ? r->f[r->n - 1].col : 1;
                for (size_t j = r->n; j < width; j++) r->f[j] = (ls_incell){"", r->line, pad_col, 0, 0};
            }
            r->n = width;
        }
        return;
    }
    for (size_t i = 0; i < t->nrows; i++) {
        ls_inrow *r = &t->rows[i];
        ls_incell *dense = ls_arena_alloc(&b->arena, width * sizeof *dense);
        for (size_t j = 0; j < width; j++) {
            dense[j].text = "";
            dense[j].line = r->line;
            dense[j].col = sheet ? -(c0 + (int)j) : (r->n ? r->f[r->n - 1].col : 1);
        }
        for (size_t j = 0; j < r->n; j++) {
            const ls_incell *c = &r->f[j];
            long at = sheet ? (long)(-c->col - c0) : (long)j;
            if (at >= 0 && at < (long)width) {
                dense[at] = *c;
                continue;
            }
            if (!c->text[0] || t->stray.text) continue;
            t->stray = *c; /* reported by ls_intable_check if the table is used */
        }
        free(r->f);
        r->f = dense;
        r->n = width;
    }
}

int ls_intable_check(const ls_intable *t, ls_errors *err)
{
    if (t->too_large)
        return ls_errorf(err, t->path, 0, 0, "the table is too large: %zu rows of %zu columns (at most %d cells)",
                         t->nrows, t->rows[0].n, LS_INTABLE_MAX_CELLS);
    if (!t->stray.text) return 0;
    return ls_errorf(err, t->path, t->stray.line, t->stray.col,
                     "cell '%.*s' is outside the table: its column has no header",
                     ls_utf8_clip(t->stray.text, 60), t->stray.text);
}

ls_inkind ls_numfmt_kind(int id, const char *code)
{
    if (id == 9 || id == 10) return LS_IN_PERCENT;
    if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
        (id >= 50 && id <= 58))
        return LS_IN_DATE;
    if (!code || id < 164) return LS_IN_NUMBER;
    /* Look at the code outside quoted text, escapes and [brackets] (colours,
     * locales, conditions). */
    int date = 0;
    for (const char *p = code; *p; p++) {
        if (*p == '"') {
            while (p[1] && p[1] != '"') p++;
            if (p[1]) p++;
            continue;
        }
        if (*p == '\\' || *p == '_' || *p == '*') {
            if (p[1]) p++;
            continue;
        }
        if (*p == '[') {
            while (p[1] && p[1] != ']') p++;
            if (p[1]) p++;
            continue;
        }
        if (*p == '%') return LS_IN_PERCENT;
        if (strchr("yYdDhHsSmM", *p)) date = 1;
        if (*p == ';') break; /* the positive section decides */
    }
    if (!strcasecmp(code, "General") || !strcmp(code, "@")) return LS_IN_NUMBER;
    return date ? LS_IN_DATE : LS_IN_NUMBER;
}

const char *ls_serial_date(double serial, int date1904, char *buf)
{
    if (!(serial >= 1 && serial < 2958466)) { /* 9999-12-31 */
        snprintf(buf, 32, "%.15g", serial);
        return buf;
    }
    long days = (long)serial;
    /* days since 1970-01-01; Excel's 1900 system counts a 1900-02-29 that
     * never was (serial 60), so serials from 61 on start at 1899-12-30 */
    long z;
    if (date1904) z = days - 24107;        /* 1904-01-01 = 0 */
    else if (days >= 61) z = days - 25569; /* 1970-01-01 = 25569 */
    else if (days == 60) {
        snprintf(buf, 32, "1900-02-29");
        return buf;
    } else z = days - 25568;
    /* civil_from_days (H. Hinnant) */
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    snprintf(buf, 32, "%04d-%02d-%02d", (int)(y + (m <= 2)), (int)m, (int)d);
    return buf;
}

static const char *ext(const char *path)
{
    const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
    return dot && (!slash || dot > slash) ? dot : "";
}

int ls_intable_is_table(const char *spec)
{
    char *p = ls_xstrdup(spec);
    char *hash = strrchr(p, '#');
    const char *slash = strrchr(p, '/');
    if (hash && (!slash || hash > slash)) *hash = '\0';
    const char *e = ext(p);
    int yes = !strcasecmp(e, ".csv") || !strcasecmp(e, ".xlsx") || !strcasecmp(e, ".xls") ||
              !strcasecmp(e, ".tsv") || !strcasecmp(e, ".txt") || !strcasecmp(e, ".xlsm");
    free(p);
    return yes;
}

/* The format by the file's first bytes. */
enum {
    FMT_CSV,
    FMT_XLSX,
    FMT_XLS
};
static int sniff(const char *path)
{
    unsigned char m[8] = {0};
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    if (fd < 0) return FMT_CSV; /* the CSV reader says why */
    ssize_t n = read(fd, m, sizeof m);
    close(fd);
    if (n >= 4 && !memcmp(m, "PK\3\4", 4)) return FMT_XLSX;
    if (n >= 8 && !memcmp(m, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) return FMT_XLS;
    return FMT_CSV;
}

static int load(ls_inbook *b, const char *spec, int raw, ls_errors *err)
{
    memset(b, 0, sizeof *b);
    ls_arena_init(&b->arena);
    b->raw = raw;
    char *path = ls_xstrdup(spec);
    char *hash = strrchr(path, '#');
    const char *slash = strrchr(path, '/');
    /* "a.xlsx#部门": a sheet, unless the file itself is called that */
    if (hash && (!slash || hash > slash) && access(path, F_OK) != 0) {
        *hash = '\0';
        b->only = ls_arena_strdup(&b->arena, hash + 1);
    }
    int rc;
    switch (sniff(path)) {
    case FMT_XLSX: rc = ls_xlsx_load(b, path, err); break;
    case FMT_XLS: rc = ls_xls_load(b, path, err); break;
    default:
        if (b->only) {
            rc = ls_errorf(err, path, 0, 0, "'#%s' names a sheet, but this is a CSV file (one table, no sheets)",
                           b->only);
            break;
        }
        rc = ls_csv_load(b, path, err);
        break;
    }
    if (!rc && b->only) {
        size_t i;
        for (i = 0; i < b->ntabs; i++)
            if (!strcmp(b->tabs[i].sheet, b->only)) break;
        if (i == b->ntabs) {
            ls_buf names;
            ls_buf_init(&names);
            for (size_t k = 0; k < b->ntabs; k++) ls_buf_printf(&names, "%s%s", k ? ", " : "", b->tabs[k].sheet);
            rc = ls_errorf(err, path, 0, 0, "no sheet named '%s' (the sheets: %s)", b->only,
                           names.p ? names.p : "none");
            ls_buf_cleanup(&names);
        } else {
            /* keep only that sheet */
            ls_intable keepit = b->tabs[i];
            for (size_t k = 0; k < b->ntabs; k++)
                if (k != i) free_rows(&b->tabs[k]);
            b->tabs[0] = keepit;
            b->ntabs = 1;
        }
    }
    for (size_t k = 0; k < b->ntabs && !rc && !raw; k++) ls_intable_finish(b, &b->tabs[k]);
    free(path);
    return rc;
}

int ls_inbook_load(ls_inbook *b, const char *spec, ls_errors *err) { return load(b, spec, 0, err); }

int ls_inbook_load_raw(ls_inbook *b, const char *spec, ls_errors *err) { return load(b, spec, 1, err); }

void ls_inbook_cleanup(ls_inbook *b)
{
    if (!b) return;
    for (size_t k = 0; k < b->ntabs; k++) free_rows(&b->tabs[k]);
    free(b->tabs);
    ls_arena_cleanup(&b->arena);
    memset(b, 0, sizeof *b);
}
