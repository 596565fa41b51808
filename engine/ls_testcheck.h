/*
 * ls_testcheck.h - checking a `lawscore test` case's expectations against
 * its run, and the failure report: expected versus actual, with what
 * explains the result (评分标准, the rule's reasons, the indicator values
 * it read, the values the case gave, the unit's lost points, the group's
 * ranking), each failure at its file:line:col.
 *
 * Depends on: ls_i18n, ls_testcase, ls_expect, ls_explain, ls_score, ls_error,
 * ls_util.
 */
#ifndef LS_TESTCHECK_H
#define LS_TESTCHECK_H

#include "ls_error.h"
#include "ls_testcase.h"
#include "ls_util.h"

/* Compare every expectation of C with C->r (which must be set); for each
 * that fails, count it in C->nfail and append the report to C->out. */
void ls_testcheck_case(ls_testcase *C);

/* Every diagnostic of e appended to b, one per line prefixed by indent,
 * as path:line:col: error: ...; in file order (path as first mentioned,
 * line, column) when `sorted`, else as recorded. */
void ls_testcheck_put_diags(ls_buf *b, const ls_errors *e, const char *indent, int sorted);

#endif
