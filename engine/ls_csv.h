/*
 * ls_csv.h - read a CSV file (RFC 4180, as Excel and WPS save it) into
 * rows of fields that remember their line and column, for positioned
 * errors.  UTF-8 with or without a byte-order mark; invalid UTF-8, a
 * malformed quote, an empty file and rows with the wrong number of fields
 * are errors.
 *
 * Depends on: libcsv (only ls_csv.c includes csv.h), ls_arena, ls_error,
 * ls_util.
 */
#ifndef LS_CSV_H
#define LS_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "ls_arena.h"
#include "ls_error.h"

typedef struct ls_csv_field {
    const char *text;    /* NUL-terminated, trimmed of surrounding spaces */
    int line, col;       /* 1-based start */
} ls_csv_field;

typedef struct ls_csv_row {
    ls_csv_field *f;
    size_t n;
    int line;
} ls_csv_row;

typedef struct ls_csv {
    const char *path;
    ls_csv_row *rows;    /* rows[0] is the header */
    size_t nrows;
    ls_arena arena;      /* owns everything */
} ls_csv;

/* Read a whole CSV file.  Blank lines are skipped.  Every row must have as
 * many fields as the header.  Returns 0, or -1 with errors in err (the
 * table must still be cleaned up). */
int ls_csv_load(ls_csv *t, const char *path, ls_errors *err);
void ls_csv_cleanup(ls_csv *t);

/* Write one field to f, quoted (RFC 4180) when it holds a separator, a
 * quote, a line break or surrounding spaces.  Returns 0, or -1 on a write
 * error. */
int ls_csv_write_field(FILE *f, const char *s, size_t n);

#endif
