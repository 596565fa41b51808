/*
 * ls_sheet.h - the score sheet (评分表) of one unit as text, the way a
 * department reads it in an appeal (`lawscore explain`): a header (the
 * assessment, the unit, its group and flags), then every item of the
 * tree with 序号, 考核项目, 分值, 考核分 and 扣分理由, under each item
 * the indicator values its rule used and, when it lost points, its
 * 评分标准; then bonus, deduction-only and veto items; then a summary:
 * category subtotals, 折算, bonus and its cap, deductions, veto, total,
 * grade (and the share cap that lowered it), rank in the group.
 *
 * With 自评分 (--self) the columns 自评分 and 差值 (考核分 − 自评分) stand
 * beside 考核分 and the summary gives the self total; with appeals
 * (--adjustments) a 复核 line under each item concerned says original →
 * adjusted and why, and the decisions end the sheet (docs/year.md).
 *
 * Every explanation comes from ls_explain (the same words as items.csv
 * and results.json); this file only lays them out.  Columns are aligned
 * by display width (ls_display_width), so Chinese text lines up; no line
 * ends in a space.
 *
 * Depends on: ls_score, ls_explain, ls_scheme, ls_error, ls_util.
 */
#ifndef LS_SHEET_H
#define LS_SHEET_H

#include <stdio.h>

#include "ls_error.h"
#include "ls_scheme.h"
#include "ls_score.h"

/* Write the score sheet of unit `unit` (an index into r->scheme->units)
 * to out.  Returns 0, or -1 with an error in err when writing failed. */
int ls_write_unit_sheet(const ls_run *r, size_t unit, FILE *out, ls_errors *err);

/* The unit a command-line argument names: its id, or else its name
 * (区政府办公室).  Returns the unit's index, or -1 with an error in err
 * ("no unit 'zfbb' in the scheme (did you mean 'zfb' (区政府办公室)?)"). */
int ls_sheet_find_unit(const ls_scheme *s, const char *key, ls_errors *err);

#endif
