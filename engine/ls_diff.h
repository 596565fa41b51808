/*
 * ls_diff.h - what changed between two published results (`lawscore
 * diff A B`): the units whose total, rank or grade changed, each with the
 * items behind the change and, for each item, the indicator values that
 * changed and the appeals (复核) that decided it, in words:
 *
 *   区农林水务局 62.85 → 64.35（+1.50）：8.3 按时报送信息 +1.50（迟报次数 3→2，
 *   漏报次数 1→0；复核决定 东法考〔2018〕3号）
 *
 * A and B are two archived versions or two result directories; units are
 * matched by id (or a registry's formerly:), items by id.  Text, or CSV
 * (one row per change: 总分, 名次, 等次, then each item).
 *
 * Depends on: ls_results, ls_csv (quoting), ls_error, ls_util.
 */
#ifndef LS_DIFF_H
#define LS_DIFF_H

#include <stdio.h>

#include "ls_error.h"
#include "ls_results.h"

/* Write the changes from a to b to out as text (csv = 0) or CSV.
 * Returns the number of units that changed (0: none), or -1 with an
 * error when writing failed. */
long ls_diff_write(const ls_results *a, const ls_results *b, int csv, FILE *out, ls_errors *err);

#endif
