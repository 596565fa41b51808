/*
 * ls_xlsxw.h - the xlsx writer: libxlsxwriter as lawscore's two writing
 * modules use it, results.xlsx (ls_export_xlsx) and the blank forms
 * (ls_template).  This header is the one file that includes
 * <xlsxwriter.h>: the writers include it instead, so the library is one
 * module's dependency, as every other third-party library is (STYLE.md).
 * It opens a workbook with fixed document properties (the same inputs
 * give the same bytes) and closes it with the error in words.
 *
 * Depends on: libxlsxwriter, ls_error.
 */
#ifndef LS_XLSXW_H
#define LS_XLSXW_H

#include <time.h>
#include <xlsxwriter.h>

#include "ls_error.h"

/* A new workbook at path with title, subject and author (each may be
 * NULL) and a fixed creation time; rows streamed to temporary files as
 * they are written when constant_memory (a province's workbook).  NULL
 * when it cannot be created (libxlsxwriter says nothing more). */
lxw_workbook *ls_xlsxw_new(const char *path, int constant_memory, const char *title, const char *subject,
                           const char *author, time_t created);

/* Close wb (always freed).  first: the first error a call on the
 * workbook returned (LXW_NO_ERROR: none).  0, or -1 with an error naming
 * `name` ("cannot write the workbook: ..."). */
int ls_xlsxw_close(lxw_workbook *wb, lxw_error first, const char *name, ls_errors *err);

#endif
