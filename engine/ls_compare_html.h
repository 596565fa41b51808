/*
 * ls_compare_html.h - the year over year comparison as a printable page
 * (`lawscore compare --archive FILE 2017 2018 --format html`): one
 * self-contained HTML file in report.html's style, per group the
 * comparison table (totals, rank, grade, the effects of data, scheme and
 * 复核), the grades the 优秀 share cap moved, a slope chart of the rank
 * changes, the change per category; then the categories and the
 * attribution.  Every text is escaped.
 *
 * Depends on: ls_compare, ls_export_html (page and style), ls_svg,
 * ls_error, ls_util.
 */
#ifndef LS_COMPARE_HTML_H
#define LS_COMPARE_HTML_H

#include <stdio.h>

#include "ls_compare.h"
#include "ls_error.h"

/* Write the page to out.  0, or -1 with an error when writing failed. */
int ls_compare_write_html(const ls_compare_in *in, FILE *out, ls_errors *err);

#endif
