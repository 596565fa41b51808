/*
 * ls_intable.h - input tables: a CSV file or the sheets of a spreadsheet
 * (.xlsx, .xls) as rows of cells that remember where they are, so that
 * every table-shaped input (unit registry, indicator data, self-scores,
 * adjustments) is read the same way through one entry point,
 * ls_inbook_load.
 *
 * A cell keeps the text its file stores (a number as its decimal text, so
 * no value passes through binary floating point on the way) and a kind
 * saying what the cell was: plain text, a number, a number shown as a
 * percent (Excel stores 95% as 0.95), a boolean, a date, an error value.
 * CSV cells are always text.
 *
 * Positions: a CSV cell has a line and a column; a spreadsheet cell has a
 * row and a negative column (-1 = A), which ls_errorf prints as a cell
 * reference: "data.xlsx:部门!C7: error: ...".  The table's `path` is what
 * messages name ("data.csv", or "data.xlsx:部门").
 *
 * Normalised for every format: the header is the first non-blank row;
 * blank rows are dropped; empty columns at the right of the header are
 * dropped (a non-empty cell under no header is an error in a table that
 * is used: ls_intable_check); short
 * spreadsheet rows are padded with empty cells.
 *
 * Depends on: ls_csv, ls_xlsx, ls_xls (the readers), ls_arena, ls_error,
 * ls_util.
 */
#ifndef LS_INTABLE_H
#define LS_INTABLE_H

#include <stddef.h>

#include "ls_arena.h"
#include "ls_error.h"

/* The most cells (rows x header columns) a table may have. */
#define LS_INTABLE_MAX_CELLS 50000000
/* Title rows (one cell each) skipped above a header: see ls_intable_finish. */
#define LS_INTABLE_MAX_TITLES 3

typedef enum ls_inkind {
    LS_IN_TEXT,    /* text (every CSV cell; string cells) */
    LS_IN_NUMBER,  /* a numeric cell: text is its decimal text */
    LS_IN_PERCENT, /* a numeric cell with a percent format: text is the
                        stored fraction ("0.95" for 95 %) */
    LS_IN_BOOL,    /* a boolean cell: text is "true" or "false" */
    LS_IN_DATE,    /* a numeric cell with a date format: text is
                        YYYY-MM-DD (or the serial number when out of range) */
    LS_IN_ERROR    /* an error value (#DIV/0!, #N/A): text is the error */
} ls_inkind;

typedef struct ls_incell {
    const char *text;      /* NUL-terminated, trimmed of surrounding spaces */
    int line, col;         /* CSV: 1-based line and column; spreadsheet: row
                            and -(column), A = -1 */
    unsigned char kind;    /* ls_inkind */
    unsigned char formula; /* 1: the cached result of a formula (.xlsx
                              only; .xls and CSV cells are 0) */
} ls_incell;

typedef struct ls_inrow {
    ls_incell *f;
    size_t n;   /* every row has as many cells as the header */
    int line;   /* line or spreadsheet row */
    size_t cap; /* room in f (while reading; a CSV's rows keep theirs) */
} ls_inrow;

typedef struct ls_intable {
    const char *path;  /* for messages: "a.csv" or "a.xlsx:Sheet1" */
    const char *file;  /* the file */
    const char *sheet; /* the sheet's name, NULL for CSV */
    const char *note;  /* how it was read, when worth saying (GB18030) */
    ls_inrow *rows;    /* rows[0] is the header; nrows 0: an empty sheet */
    size_t nrows, cap;
    int finished;    /* ls_intable_finish ran: a sheet's cells live in
                            the arena (a CSV's rows stay on the heap) */
    int too_large;   /* more than LS_INTABLE_MAX_CELLS when dense: the
                            rows are left as read; see ls_intable_check */
    ls_incell stray; /* the first non-empty cell under no header
                            (text NULL: none): see ls_intable_check */
} ls_intable;

typedef struct ls_inbook {
    ls_intable *tabs; /* one per sheet (CSV: one) in file order */
    size_t ntabs, cap;
    const char *only; /* the sheet named with file#sheet, or NULL */
    int raw;          /* loaded by ls_inbook_load_raw */
    ls_arena arena;   /* owns every string, row and cell */
} ls_inbook;

/*
 * Read a table file: `spec` is a path, or "path#sheet" to read one sheet
 * of a spreadsheet.  The format is told by the file's first bytes (a zip:
 * .xlsx; an OLE2 compound file: .xls; otherwise CSV), so a workbook saved
 * under a .csv name is still read.  Returns 0, or -1 with positioned
 * errors in err.  The book must be cleaned up in both cases.
 */
int ls_inbook_load(ls_inbook *b, const char *spec, ls_errors *err);
/* The same, rows as the file holds them, for tools that know the layout
 * (a report exported by LibreOffice): no header, blank-row or trailing
 * column normalisation, rows of empty fields kept (blank lines of a CSV
 * are still skipped); spreadsheet rows hold only their non-empty cells. */
int ls_inbook_load_raw(ls_inbook *b, const char *spec, ls_errors *err);
void ls_inbook_cleanup(ls_inbook *b);

/* True when spec names a table file (.csv, .xlsx, .xls, .tsv or .txt,
 * with an optional #sheet), rather than YAML. */
int ls_intable_is_table(const char *spec);

/* For a table a loader uses (and must not use when this fails): -1 with
 * an error for a table too large, or naming the first non-empty cell
 * outside the header's columns (a value nobody would read), else 0.
 * (Sheets a loader skips, such as an instructions sheet, may hold any
 * text.) */
int ls_intable_check(const ls_intable *t, ls_errors *err);

/* ---- for the readers ---- */

/* Add a table to b for file `file` (and sheet, NULL for CSV); strings are
 * copied into the arena. */
ls_intable *ls_inbook_add(ls_inbook *b, const char *file, const char *sheet);

/* Trim what surrounds a cell's text and nobody sees: spaces and tabs, the
 * full-width space a Chinese input method types (U+3000) and the no-break
 * space of text copied from a web page (U+00A0).  *text and *len are
 * moved in. */
void ls_intable_trim(const char **text, size_t *len);

/* Append a cell to row `line` of t (rows come in order; a new line
 * starts a new row).  text is copied.  Returns the cell (valid until the
 * next put into the row). */
ls_incell *ls_intable_put(ls_inbook *b, ls_intable *t, int line, int col, ls_inkind kind,
                          const char *text, size_t len);

/* Normalise a table after reading (header, blank rows, trailing columns,
 * padding); up to LS_INTABLE_MAX_TITLES rows of one cell each above a
 * row of two or more (a sheet's title, often merged) are dropped, the
 * header being the row after them; a non-empty cell under no header is
 * kept in t->stray. */
void ls_intable_finish(ls_inbook *b, ls_intable *t);

/* The kind of a spreadsheet number format: LS_IN_PERCENT, LS_IN_DATE or
 * LS_IN_NUMBER, from Excel's built-in format id and, for a custom format,
 * its format code (may be NULL). */
ls_inkind ls_numfmt_kind(int id, const char *code);

/* A spreadsheet date serial number as YYYY-MM-DD (date1904: the 1904
 * date system of old Mac workbooks); writes buf (at least 32 bytes),
 * returns it.  A serial out of range is written as the number. */
const char *ls_serial_date(double serial, int date1904, char *buf);

#endif
