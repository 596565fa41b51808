/*
 * ls_csv.h - read a CSV file (RFC 4180, as Excel and WPS save it) into an
 * input table (ls_intable.h) whose cells remember their line and column,
 * for positioned errors.  Text that is not UTF-8, UTF-16 or GB18030, a
 * malformed quote, an empty file and short rows are errors.
 *
 * Depends on: libcsv (only ls_csv.c includes csv.h), ls_encoding,
 * ls_intable, ls_error, ls_util, ls_i18n (the GB18030 note is translated).
 */
#ifndef LS_CSV_H
#define LS_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "ls_error.h"
#include "ls_intable.h"

/* Read a whole CSV file into one table of b (see ls_intable.h), cells as
 * text with line and column.  The text is UTF-8 (a byte-order mark
 * dropped), UTF-16 with a byte-order mark, or GB18030 (with a note in
 * the table saying so); see ls_encoding.h.  The separator is a comma, or
 * a tab when the header row has tabs and no comma (Excel's "Unicode
 * text").  Blank lines are skipped; a row with fewer fields than the
 * header is an error.  Returns 0, or -1 with errors in err. */
int ls_csv_load(ls_inbook *b, const char *path, ls_errors *err);

/* Write one field to f, quoted (RFC 4180) when it holds a separator, a
 * quote, a line break or surrounding spaces.  Returns 0, or -1 on a write
 * error. */
int ls_csv_write_field(FILE *f, const char *s, size_t n);

/* The same field written into dst, which has room for cap bytes: returns
 * its length as written (s itself, or quoted as ls_csv_write_field quotes
 * it); when that is more than cap, dst holds nothing of use: call again
 * with that much room. */
size_t ls_csv_field(char *dst, size_t cap, const char *s, size_t n);

#endif
