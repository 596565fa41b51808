/*
 * ls_compare.h - year over year (`lawscore compare --archive FILE 2017
 * 2018`): per unit (matched by id, or by the later registry's formerly:
 * for renamed and merged units) the change in total, rank and grade; per
 * top-level category (matched by category id, not by name or points) the
 * change in score; and the attribution of each unit's change: how much
 * comes from its data and how much from the scheme, found by scoring the
 * later year's data under the earlier year's scheme:
 *
 *     change = (T_later − T_earlier(later data)) + (T_earlier(later data) − T_earlier)
 *            =        scheme's share            +          data's share
 *
 * Indicators the earlier scheme reads that the later year's results do
 * not hold keep their earlier values, and are named: that part of the
 * change cannot be attributed.
 *
 * Depends on: ls_results, ls_scheme, ls_data, ls_value, ls_score,
 * ls_csv (quoting), ls_error, ls_util.
 */
#ifndef LS_COMPARE_H
#define LS_COMPARE_H

#include <stdio.h>

#include "ls_data.h"
#include "ls_error.h"
#include "ls_results.h"
#include "ls_scheme.h"
#include "ls_score.h"
#include "ls_util.h"

/*
 * A data set for the earlier scheme s: each unit starts from its own
 * earlier data (a_data), then takes every value the later results b show
 * its rules used (matched by indicator id; the unit by id or formerly:).
 * Indicators s reads (as a's results show) that b holds for no unit are
 * named in *missing ("docs_cleanup_done 规范性文件清理", joined with "、").
 * Returns the data set (caller frees with ls_dataset_free) or NULL with an
 * error.
 */
ls_dataset *ls_compare_dataset(const ls_scheme *s, const ls_dataset *a_data, const ls_results *a,
                               const ls_results *b, ls_buf *missing, ls_errors *err);

typedef struct ls_compare_in {
    const ls_results *a, *b; /* the earlier and the later year */
    /* the later data under the earlier scheme; NULL: no attribution */
    const ls_run *mixed;
    const char *missing; /* indicators that could not be carried over */
    const char *why_not; /* why there is no attribution, or NULL */
} ls_compare_in;

/* Write the comparison as text or CSV.  0, or -1 with an error when
 * writing failed. */
int ls_compare_write(const ls_compare_in *in, int csv, FILE *out, ls_errors *err);

#endif
