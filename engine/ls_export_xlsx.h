/*
 * ls_export_xlsx.h - results.xlsx, the workbook an assessment office
 * publishes and prints:
 *
 *   通报        every group's ranking (ls_layout_ranking_units, a chunk
 *               of rows at a time): title, one frozen header row, group
 *               headings, the vetoed units apart, the grade counts; A4
 *               landscape, one page wide, header repeated, page numbers;
 *               continued on 通报(2)… past a sheet's 1,048,576 rows
 *   复核调整情况 with appeals (--adjustments): the units whose total, rank
 *               or grade the appeals changed, in `diff`'s words, and the
 *               decisions (ls_layout_appeals); A4 portrait
 *   扣分明细    (with the per-unit detail) one row per item where a unit
 *               lost (or, for bonus, gained)
 *               points, with reasons and indicators (and with appeals a
 *               复核 column: what they decided); autofilter; continued
 *               on 扣分明细(2)… past a sheet's 1,048,576 rows
 *   主要失分项目 per group, every item on which units lost points, most
 *               units first (ls_layout_common_losses)
 *   缺报汇总    when the data did not give every value: per group and
 *               indicator, how many and which units left it to its
 *               default (ls_layout_missing_summary)
 *   缺报        the same, with the per-unit detail: a row per unit with the
 *               indicators it did not give (ls_layout_missing_unit),
 *               continued on 缺报(2)… like the 扣分明细
 *   <unit>      one sheet per unit (its name, made a valid and unique sheet
 *               name of at most 31 characters): its 评分表 (ls_layout_sheet)
 *               and the signature block, A4 portrait, one page wide
 *   说明        assessment, year, engine version, the manifest (every input
 *               file with its SHA-256, the options)
 *
 * Scores are numbers with the scheme's precision as their format (90.00
 * shows as 90.00); 序号 and other codes are text.  The document's
 * creation time is fixed (1980-01-01, like the zip entries): the same
 * inputs give a byte-identical workbook.
 *
 * Depends on: ls_xlsxw (the xlsx writer: libxlsxwriter),
 * ls_layout, ls_explain (数据提示), ls_complete, ls_manifest, ls_score, ls_error, ls_util.
 */
#ifndef LS_EXPORT_XLSX_H
#define LS_EXPORT_XLSX_H

#include "ls_error.h"
#include "ls_manifest.h"
#include "ls_score.h"

/*
 * Write the workbook to `path` (a file libxlsxwriter creates or
 * truncates).  m may be NULL (no manifest rows); with sheets 0 (a
 * province: more than LS_LAYOUT_MAX_SHEETS units without --all-sheets)
 * the per-unit detail is left out — the 评分表 sheets, the 扣分明细 and
 * the 缺报 list — and 说明 says so.  `name` is the
 * file's name for messages.  Returns 0, or -1 with an error naming
 * `name`.
 */
int ls_write_xlsx(const ls_run *r, const ls_manifest *m, int sheets, const char *path,
                  const char *name, ls_errors *err);

/* The same, the 通报 on sheets of at most rank_rows rows (ls_write_xlsx:
 * a sheet's 1,048,576), handed rank_chunk units at a time (4,096): past
 * a sheet's rows it continues on 通报(2), 通报(3)…  For the tests, which
 * reach that with a few units (rank_chunk is cut to rank_rows - 4: a
 * chunk with its group's heading and note below the title and header;
 * rank_rows is at least 5). */
int ls_write_xlsx_limits(const ls_run *r, const ls_manifest *m, int sheets, const char *path,
                         const char *name, size_t rank_rows, size_t rank_chunk, ls_errors *err);

#endif
