/*
 * ls_compare.h - year over year (`lawscore compare --archive FILE 2017
 * 2018`): per unit (matched by id, or by the later registry's formerly:
 * for renamed and merged units) the change in total, rank and grade; per
 * top-level category (matched by category id, not by name or points) the
 * change in score; and the attribution of each unit's change: how much
 * comes from its data and how much from the scheme, found by scoring the
 * later year's data under the earlier year's scheme:
 *
 *     change = (T_later − T_later(no decisions))                复核的影响
 *            + (T_later(no decisions) − T_earlier(later data))   方案的影响
 *            + (T_earlier(later data) − T_earlier)               数据的影响
 *
 * T_later(no decisions) is the later year scored again without its score
 * decisions (复核决定); its data corrections are data and stay in the
 * data's share.
 *
 * Indicators the earlier scheme reads that the later year's results do
 * not hold keep their earlier values, and are named: that part of the
 * change cannot be attributed.
 *
 * Depends on: ls_results, ls_scheme, ls_data, ls_value, ls_score,
 * ls_diff (the share cap's words), ls_csv (quoting), ls_error, ls_util.
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
 * named in *missing by their names ("规范性文件清理", joined with "、").
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
    /* the later year scored without its score decisions (its data
     * corrections applied); NULL when it has none (复核的影响 0.00) or
     * could not be scored (why_not_review says why) */
    const ls_run *undecided;
    const char *why_not_review;
} ls_compare_in;

/* A table of text cells; row 0 holds the column headings. */
typedef struct ls_cmp_table {
    char **cells; /* nrows × ncols, NULL: empty */
    size_t ncols, nrows, cap;
} ls_cmp_table;

/* The cell (row, col) of t; "" when empty. */
const char *ls_cmp_cell(const ls_cmp_table *t, size_t row, size_t col);

/* A unit's rank in each year, for the rank-change chart. */
typedef struct ls_cmp_move {
    const char *name;   /* the later name */
    const char *former; /* the earlier name; NULL: none (a new or merged unit) */
    int from, to;       /* ranks in the group; 0: none */
} ls_cmp_move;

typedef struct ls_cmp_group {
    const char *name;
    size_t nunits;
    ls_cmp_table units; /* 单位, totals, 变动, 名次, 名次变动, 等次, the three effects */
    ls_cmp_table cats;  /* 单位, then the change of each category */
    char **notes;       /* units whose grade the 优秀 share cap moved or held, in words */
    size_t nnotes;
    ls_cmp_move *moves; /* in the later year's rank order */
    size_t nmoves;
} ls_cmp_group;

/* The comparison as every format shows it. */
typedef struct ls_comparison {
    char *title; /* "A（版本1…） → B（版本3…）" */
    int year_a, year_b;
    ls_cmp_group *groups; /* the later year's groups that have units */
    size_t ngroups;
    /* after the groups: the categories (what the scheme changed), merged
     * units, units no longer assessed, the attribution; "" a blank line */
    char **lines;
    size_t nlines;
} ls_comparison;

/* Build the comparison into c (free with ls_comparison_cleanup). */
void ls_compare_build(const ls_compare_in *in, ls_comparison *c);
void ls_comparison_cleanup(ls_comparison *c);

/* Write the comparison as text or CSV.  0, or -1 with an error when
 * writing failed. */
int ls_compare_write(const ls_compare_in *in, int csv, FILE *out, ls_errors *err);

#endif
