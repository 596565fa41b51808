/*
 * ls_complete.h - completeness of the data (缺报): per unit, the
 * indicators the data files gave no value for, which took the catalogue's
 * default (or stayed without value), and the items whose score read one
 * of them.  `check` prints the whole list; `run` one line counting them,
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
 * registry order; nothing when every value was given.  Output errors are
 * the caller's to check (ferror). */
void ls_print_completeness(const ls_dataset *d, const ls_run *r, FILE *out);

/* The 缺报 table of run r, for the results workbook, unit by unit (a
 * province's list is too long to hold whole): ls_layout_missing_head
 * sets up t (zeroed by the caller, freed with ls_ltable_cleanup) with the
 * title and the columns 单位编号 | 单位名称 | 指标 | 编号 | 按缺省值 |
 * 读取该指标的项目, no rows; ls_layout_missing_unit appends unit u's rows,
 * one per value not given, in catalogue order, and returns how many (0:
 * the unit gave every value). */
void ls_layout_missing_head(const ls_run *r, ls_ltable *t);
size_t ls_layout_missing_unit(const ls_run *r, size_t u, ls_ltable *t);

#endif
