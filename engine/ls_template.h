/*
 * ls_template.h - the blank data-collection workbook of a scheme
 * (`lawscore template`): an .xlsx the office sends to each data source
 * (法制办, 信访局, ...), filled in with Excel, WPS or LibreOffice and read
 * back by `lawscore run` as it is.
 *
 * Layout: a sheet 填表说明 (instructions, and the catalogue of the
 * indicators asked for); then a sheet per data source (the indicators'
 * `source:`; those without one on a sheet 数据) whose first row is the
 * header: 单位编号, 单位名称 and a column per indicator headed by its
 * name and unit ("签订合同数（件）", which the data loader reads back),
 * its description and limits in a cell comment; a row per unit with id
 * and name filled in and locked (the sheet is protected without a
 * password, so only the value cells can be typed in); Excel data
 * validation for each value column (enum choices and 是/否 as dropdowns,
 * whole numbers and numbers within the indicator's range, percentages
 * 0-100).  The file is the same bytes for the same scheme and options.
 *
 * The year's two other forms (docs/year.md):
 *   - the self-assessment form (自评表, `template --self`): a sheet per
 *     unit, named by the unit, with a row per applicable category and item
 *     (单位编号, 单位名称, 序号, 考核项目, 分值, 评分标准 locked; 自评分 and
 *     说明 to fill, 自评分 validated from 0 to the item's points at the
 *     scheme's precision); categories, the total (折算 where items do not
 *     apply, the bonus under its cap, deductions) and the 自评总分 are
 *     formulas; read back by ls_selfscore as it is saved;
 *   - the register of appeals decided (复核决定登记表, `template
 *     --adjustments`): a sheet 复核决定 whose header ls_adjust reads, its
 *     units, indicators and items validated against a sheet 清单 that
 *     lists them (dropdowns where the list fits Excel's 255 characters),
 *     类型 a dropdown, 日期 a date.
 *
 * Depends on: ls_xlsxw (the xlsx writer: libxlsxwriter),
 * ls_scheme, ls_selfscore (the most an item's 自评分 may be),
 * ls_error, ls_util.
 */
#ifndef LS_TEMPLATE_H
#define LS_TEMPLATE_H

#include <stddef.h>

#include "ls_error.h"
#include "ls_scheme.h"

/* Which workbook to write. */
typedef enum ls_template_form {
    LS_FORM_DATA,       /* the data-collection workbook */
    LS_FORM_SELF,       /* the self-assessment form (--self) */
    LS_FORM_ADJUSTMENTS /* the register of appeals decided (--adjustments) */
} ls_template_form;

typedef struct ls_template_opts {
    const char *const *units; /* --units: unit ids or full names, group ids
                                    or names, comma-separated; none: all */
    size_t nunits;
    const char *const *sources; /* --source: the sources (sheets) to write;
                                    none: all */
    size_t nsources;
    ls_template_form form;
} ls_template_opts;

/* Write the workbook for s to path (written to a temporary file beside
 * it, then renamed: never half-written).  Returns 0, or -1 with errors in
 * err (an unknown unit or source names the ones there are). */
int ls_template_write(const ls_scheme *s, const ls_template_opts *o, const char *path, ls_errors *err);

#endif
