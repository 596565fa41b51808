/*
 * ls_export_html.h - report.html, the printable report: one
 * self-contained HTML file (no script, no external style sheet, font or
 * image) that opens in any browser, prints and saves as PDF.
 *
 *   通报        per group: the grade bands and the count per grade, charts
 *               (distribution of totals with the bands drawn, vetoed
 *               units left out; with the score sheets, totals as bars in
 *               rank order coloured by grade; per category the group's
 *               average share of points lost), the ranking table
 *               (ls_layout_ranking_units, a chunk of rows at a time,
 *               never the table whole), the items on which most units lost
 *               points (ls_layout_common_losses); A4 landscape
 *   评分表      every unit's score sheet (ls_layout_sheet: the same rows
 *               as in results.xlsx) with its category profile against the
 *               group's average and the signature block; A4 portrait, each
 *               unit starting on a new page, its heading repeated on every
 *               page it takes
 *   复核调整情况 with appeals (--adjustments): the units whose total,
 *               rank or grade the appeals changed, in `diff`'s words,
 *               and the decisions (ls_layout_appeals); a page of its own
 *   输入文件    the manifest: engine version, every input with its SHA-256
 *
 * Every text from the scheme, the data or the rules is escaped.
 *
 * `lawscore diff --format html` is a page of the same style with only the
 * 复核调整情况 of two published results (ls_write_html_diff).
 *
 * Depends on: ls_layout, ls_svg, ls_explain, ls_manifest, ls_score,
 * ls_results, ls_error, ls_util.
 */
#ifndef LS_EXPORT_HTML_H
#define LS_EXPORT_HTML_H

#include <stdio.h>

#include "ls_error.h"
#include "ls_manifest.h"
#include "ls_results.h"
#include "ls_score.h"
#include "ls_util.h"

/* Write the report to f.  m may be NULL (no manifest); with sheets 0 the
 * per-unit score sheets and the totals' bar per unit are left out and the
 * report says so.  Returns 0,
 * or -1 with an error when writing failed. */
int ls_write_html(const ls_run *r, const ls_manifest *m, int sheets, FILE *f, ls_errors *err);

/* Write what changed from a to b (ls_layout_diff: the units with their
 * items in `diff`'s words, the decisions new in b) to f as a
 * self-contained printable page.  Returns 0, or -1 with an error when
 * writing failed. */
int ls_write_html_diff(const ls_results *a, const ls_results *b, FILE *f, ls_errors *err);

/* The start of a page in the report's style (its style sheet, A4 print
 * rules, then extra_css if not NULL): doctype, head with the title
 * (escaped), <body>; and its end.  For the pages other commands write
 * (compare --format html). */
void ls_html_begin(ls_buf *b, const char *title, const char *extra_css);
void ls_html_end(ls_buf *b);

#endif
