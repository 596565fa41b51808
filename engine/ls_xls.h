/*
 * ls_xls.h - read the sheets of an .xls workbook (Excel 97-2003 BIFF8,
 * still common in offices) into input tables (ls_intable.h).
 *
 * FreeXL gives numbers as doubles: each is written back as the shortest
 * decimal that reads back as the same double (%.15g, else %.16g, else
 * %.17g), so a cell showing 88.9 is read as 88.9, exactly what Excel
 * shows, and a value Excel holds with more digits keeps them.  Number
 * formats tell percentages and dates, as for .xlsx.
 *
 * Depends on: FreeXL (only ls_xls.c includes freexl.h), ls_intable,
 * ls_error, ls_util.
 */
#ifndef LS_XLS_H
#define LS_XLS_H

#include <stdio.h>

#include "ls_error.h"
#include "ls_intable.h"

/* FreeXL reads in a child process: see ls_xls.c.  For tests only: when
 * set, the child calls this with the pipe to the parent instead of
 * reading the workbook (to crash, loop or write broken records). */
extern void (*ls_xls_child_hook)(FILE *out);

/* Add one table per worksheet of the workbook at path to b.  Returns 0,
 * or -1 with an error naming the file. */
int ls_xls_load(ls_inbook *b, const char *path, ls_errors *err);

#endif
