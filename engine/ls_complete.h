/*
 * ls_complete.h - completeness of the data (缺报): per unit, the
 * indicators the data files gave no value for, which took the catalogue's
 * default (or stayed without value), and the items whose score read one
 * of them.  `check` prints the list (the first 500 units, or every one with
 * -v); `run` one line counting them,
 * and its workbook has a 缺报 sheet.
 *
 * Depends on: ls_data, ls_score (the indicators each cell read), ls_layout
 * (the table type of the workbook's 缺报 sheet), ls_i18n, ls_util.
 */
#ifndef LS_COMPLETE_H
#define LS_COMPLETE_H

#include <stddef.h>
#include <stdio.h>

#include "ls_data.h"
#include "ls_layout.h"
#include "ls_score.h"

typedef struct ls_completeness {
    size_t values; /* (unit, indicator) pairs without a given value */
    size_t units;  /* units with at least one */
    size_t items;  /* (unit, item) cells whose score read one */
} ls_completeness;

/* Count what data set d did not give (r may be NULL: items not counted;
 * when given, r must be a run on d). */
ls_completeness ls_completeness_count(const ls_dataset *d, const ls_run *r);

/* Print, per unit, the indicators without a given value (with the
 * default each took) and the items that read them (when r is given), in
 * registry order; nothing when every value was given.  When more than
 * max_units units lack values (max_units 0: no limit), only the first
 * max_units are listed, then one line counting the rest (a province's
 * list would run to tens of megabytes).  Output errors are the caller's
 * to check (ferror). */
void ls_print_completeness(const ls_dataset *d, const ls_run *r, size_t max_units, FILE *out);

/* Title and columns of the 缺报 list of run r into t (zeroed by the
 * caller, freed with ls_ltable_cleanup; no rows), for the results
 * workbook: 单位编号 | 单位名称 | 组别 | 缺报指标数 | 缺报指标 (their
 * names, "迟报次数、结案率": each took its default, which the summary
 * gives) | 读取这些指标的项目 (序号). */
void ls_layout_missing_head(const ls_run *r, ls_ltable *t);

/* Append unit `unit`'s row of the 缺报 list to t (set up by
 * ls_layout_missing_head) when the data did not give it every value.
 * Returns the number of rows added (1, or 0: every value was given).  A
 * province's list is written unit by unit, never held whole. */
size_t ls_layout_missing_unit(const ls_run *r, size_t unit, ls_ltable *t);

/* The 缺报 summary of run r into t (zeroed by the caller, freed with
 * ls_ltable_cleanup): title "…缺报情况汇总（按指标）", columns 指标 | 编号 |
 * 按缺省值 | 缺报单位数 | 缺报单位 | 读取该指标的项目; per group with
 * units that lack values a LS_LR_GROUP heading ("区直部门（18个单位，其中
 * 16个有缺报）") and one row per indicator some of them did not give,
 * most units first (then catalogue order).  缺报单位 names them in
 * registry order, the first LS_LAYOUT_MAX_NAMES followed by "等N个单位".
 * Returns the number of rows (0: every value was given). */
size_t ls_layout_missing_summary(const ls_run *r, ls_ltable *t);

#endif
