/*
 * ls_summary.h - what `lawscore check` prints about a scheme that loaded
 * and bound cleanly: the scheme (name, year, precision, total), its
 * groups and their unit counts, its items by section, the rule scripts
 * compiled and the items scored by C plugins, each plugin loaded (its
 * version, and its file unless it is one of the installed plugins), the
 * indicator catalogue and, with data, what the data files gave.
 *
 * Depends on: ls_i18n, ls_scheme, ls_data, ls_backends (the plugins loaded),
 * ls_decimal.
 */
#ifndef LS_SUMMARY_H
#define LS_SUMMARY_H

#include <stdio.h>

#include "ls_backends.h"
#include "ls_data.h"
#include "ls_scheme.h"

/* Print the summary of scheme s, bound in b, to out; d (may be NULL) is
 * the data set, summarised when it has files.  Output errors are the
 * caller's to check (ferror). */
void ls_print_summary(const ls_scheme *s, const ls_dataset *d, const ls_backends *b, FILE *out);

#endif
