/*
 * ls_xlsx.h - read the sheets of an .xlsx workbook (Excel 2007+, WPS,
 * LibreOffice) into input tables (ls_intable.h).
 *
 * The zip is read with libzip and each part streamed through expat, so a
 * large sheet is never held whole.  Shared strings, inline strings,
 * numbers (their decimal text as stored), booleans, formulas' cached
 * values and error values are read; the styles tell numbers shown as
 * percentages (LS_IN_PERCENT) and dates (LS_IN_DATE, as YYYY-MM-DD) from
 * plain numbers.  Cell positions are the sheet's own (row, -column).
 *
 * Depends on: libzip and expat (only ls_xlsx.c includes zip.h and
 * expat.h), ls_intable, ls_error, ls_util.
 */
#ifndef LS_XLSX_H
#define LS_XLSX_H

#include "ls_error.h"
#include "ls_intable.h"

/* Add one table per worksheet of the workbook at path to b, in workbook
 * order (chart sheets are skipped).  Returns 0, or -1 with an error
 * naming the file (and the sheet and cell where one is at fault). */
int ls_xlsx_load(ls_inbook *b, const char *path, ls_errors *err);

#endif
