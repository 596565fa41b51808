/*
 * ls_export_csv.h - the published tables as CSV: results.csv (one row per
 * unit: category subtotals, bonus, deduction, total, grade) and items.csv
 * (the official score sheet, 评分表: one row per unit and node with the
 * score, the 扣分理由 and the indicator values used).
 *
 * Format: UTF-8 with a byte-order mark (so Excel and WPS open Chinese text
 * correctly), comma separated, CRLF line ends, fields quoted as RFC 4180
 * says (only when they hold a comma, a quote, a line break or surrounding
 * spaces).  Scores always carry exactly the scheme's digits ("90.00").
 * Text that a spreadsheet would take for a formula (starting with = + - @,
 * a tab or a CR: a unit named "=HYPERLINK(...)", a reason "-1分") is
 * written behind an apostrophe (ls_cell_text, ls_util.h: the same for the
 * workbook), as OWASP's CSV-injection guidance says.
 * Texts come from ls_explain.
 *
 * Depends on: ls_csv (its writer quotes fields), ls_gzip, ls_zstd, ls_score,
 * ls_explain, ls_data, ls_error, ls_util.
 */
#ifndef LS_EXPORT_CSV_H
#define LS_EXPORT_CSV_H

#include <stdio.h>

#include "ls_error.h"
#include "ls_score.h"

/* items.csv's forms (bits): without the items' text and the indicator
 * values; gzip-compressed; the score sheet form asked for (--items sheet):
 * kept whatever the run's size; zstd-compressed. */
enum {
    LS_ITEMS_COMPACT = 1,
    LS_ITEMS_GZIP = 2,
    LS_ITEMS_SHEET = 4,
    LS_ITEMS_AUTO = 8, /* compact because of the run's size (ls_items_form_for) */
    LS_ITEMS_ZSTD = 16
};

/* The rows of a spreadsheet's sheet (Excel, WPS, LibreOffice). */
#define LS_SHEET_ROWS 1048576

/* The file's name for a form: "items.csv", "items.csv.gz" or
 * "items.csv.zst". */
const char *ls_items_csv_name(unsigned form);

/* values.csv's name for a form: "values.csv", "values.csv.gz" or
 * "values.csv.zst" (compressed as items.csv is). */
const char *ls_values_csv_name(unsigned form);

/* The form items.csv takes in a run of nunits units of nnodes nodes:
 * `form` as asked, but, when the score sheet form would hold more rows
 * than a spreadsheet opens and neither form was asked for (LS_ITEMS_SHEET,
 * LS_ITEMS_COMPACT), compact (LS_ITEMS_COMPACT | LS_ITEMS_AUTO added);
 * without results.json (`with_json` 0: the CSV files are all there is),
 * also zstd-compressed (LS_ITEMS_ZSTD, unless LS_ITEMS_GZIP was asked
 * for), values.csv holding the indicator values (ls_values_csv_wanted). */
unsigned ls_items_form_for(unsigned form, size_t nunits, size_t nnodes, int with_json);

/* Whether values.csv goes beside an items.csv of this form: the compact
 * form leaves the indicator values out, and results.json, which holds
 * them, is not written (with_json 0). */
int ls_values_csv_wanted(unsigned form, int with_json);

/* Whether the score sheet form of items.csv for nunits x nnodes passes a
 * spreadsheet's rows (with its header row). */
int ls_items_too_many_rows(size_t nunits, size_t nnodes);

/*
 * results.csv: a header, then one row per unit, groups in scheme order and
 * units in rank order within each group:
 *   组别, 名次, 单位编号, 单位名称, <category name(points)>..., 加分, 扣分,
 *   总分, 等次, 一票否决, 说明
 * A category that does not apply reads 不适用, one in error 错误; 一票否决
 * names the veto item that applied; 说明 is ls_explain_unit.
 * Returns 0, or -1 with an error when writing to f failed.
 */
int ls_write_results_csv(const ls_run *r, FILE *f, ls_errors *err);

/*
 * items.csv: a header, then for each unit in scheme order one row per node
 * (categories, items, bonus, deduction-only and veto items, in scheme
 * order):
 *   单位编号, 单位名称, 序号, 考核项目, 分值, 评分标准, 考核分, 扣分理由, 使用的指标
 * 考核分 is ls_explain_score (a bonus item's bonus, a deduction-only
 * item's deduction, 否决/未否决 for veto items); 扣分理由 is
 * ls_explain_cell; 使用的指标 is ls_explain_reads.
 * form is a set of LS_ITEMS_* bits.  With LS_ITEMS_COMPACT (a province's
 * data team: --items compact), only
 *   单位编号, 序号, 考核分, 扣分理由
 * the unit's name is in results.csv, what is the same for every unit
 * (the item's name, points and criteria) in scheme-items.csv, the
 * indicator values in results.json (or values.csv).  With LS_ITEMS_GZIP
 * (--gzip) the file is gzip-compressed (ls_gzip), named items.csv.gz,
 * with LS_ITEMS_ZSTD (--zstd) zstd-compressed (ls_zstd), named
 * items.csv.zst (ls_items_csv_name).
 * Returns 0, or -1 with an error when writing to f failed.
 */
int ls_write_items_csv(const ls_run *r, FILE *f, unsigned form, ls_errors *err);

/*
 * values.csv, the indicator values beside a compact items.csv when no
 * results.json holds them: a header, 单位编号 and one column per
 * indicator of the catalogue, headed by its id, in catalogue order; then
 * one row per unit in scheme order, with the values the unit's rules read
 * as results.json's "values" gives them (numbers as written there,
 * percentages in points, 是/否 as true/false, a choice by its code); a
 * cell is empty when no rule of the unit read the indicator, or when the
 * unit gave no value (its default was used).  Compressed as `form` says
 * (LS_ITEMS_GZIP, LS_ITEMS_ZSTD).  Returns 0, or -1 with an error when
 * writing to f failed.
 */
int ls_write_values_csv(const ls_run *r, FILE *f, unsigned form, ls_errors *err);

/*
 * scheme-items.csv, the item table written once beside a compact
 * items.csv: a header, then one row per node in scheme order:
 *   序号, 类别 (评分项目, 加分项目, 扣分项目, 一票否决项目), 考核项目, 分值, 评分标准
 * Returns 0, or -1 with an error when writing to f failed.
 */
int ls_write_scheme_items_csv(const ls_scheme *s, FILE *f, ls_errors *err);

/*
 * items.csv in pieces, so that it can be written while units are scored
 * (ls_score_sink): start writes the byte-order mark and the header to f;
 * rows writes the rows of units [u0, u1) of r as ls_write_items_csv does
 * (only those units' cells are read); finish flushes, frees w and returns
 * 0, or -1 with an error when a write failed.  ls_write_items_csv is
 * start, rows of every unit, finish.  self and adjusted say whether the
 * header has the 自评分 and the 复核 columns (docs/year.md): they must match
 * whether the runs given to rows have r->self and r->original; form is
 * ls_write_items_csv's (with LS_ITEMS_GZIP, finish closes the gzip stream
 * it made over f, not f; so with LS_ITEMS_ZSTD).
 */
typedef struct ls_items_csv ls_items_csv;
ls_items_csv *ls_items_csv_start(FILE *f, int self, int adjusted, unsigned form);
void ls_items_csv_rows(ls_items_csv *w, const ls_run *r, size_t u0, size_t u1);
int ls_items_csv_finish(ls_items_csv *w, ls_errors *err);

#endif
