/*
 * ls_table.h - the ranking as aligned text tables for the terminal, one
 * per group: 名次, 单位, a column per top-level category (headed by its
 * number as a Chinese numeral: 一, 二, ...), 加分, 扣分, 总分, 等次.
 * Columns are aligned by display width, so Chinese names line up.  Tied
 * units show the same rank; a vetoed unit's grade is marked （否决）, a
 * unit with rule errors （评分出错）, each explained under its table.  A
 * category that does not apply shows '-'.  A legend naming the
 * categories follows the tables.  With 自评分, the units listed as 自评偏高
 * follow their group's table; with appeals, the units whose total, rank
 * or grade the appeals changed.
 *
 * Depends on: ls_score, ls_explain, ls_util (ls_display_width).
 */
#ifndef LS_TABLE_H
#define LS_TABLE_H

#include <stdio.h>

#include "ls_score.h"

/* Print every group's ranking to out.  Output errors are the caller's to
 * check (ferror). */
void ls_print_ranking(const ls_run *r, FILE *out);

/* The short header of top-level category `i` (0-based position among the
 * roots): "一", "二", ... "九十九", then "100", ...  Writes into buf (at
 * least 24 bytes), returns it. */
const char *ls_category_short(size_t i, char *buf);

#endif
