/*
 * ls_stats.h - group-wide statistics of an indicator (min, max, mean,
 * count, a unit's rank) for relative scoring ("1-5名依次赋予60、57、54...").
 * Computed on first use per (group, indicator) and kept.
 *
 * Thread-safe: the scoring threads of a run share one ls_stats.  A
 * statistic is computed once, under a lock, by the first thread that asks
 * for it, and is read-only after that (an acquire/release flag per
 * statistic: later reads take no lock).  What it holds depends only on the
 * data, never on which thread or unit asked first.
 *
 * Depends on: ls_scheme, ls_data, ls_util, pthreads, libc (C11 atomics).
 */
#ifndef LS_STATS_H
#define LS_STATS_H

#include <stddef.h>

#include "ls_data.h"
#include "ls_scheme.h"

typedef struct ls_stat {
    size_t count; /* units of the group with a value */
    double min, max, mean, sum;
    double *sorted; /* values, descending (count of them) */
} ls_stat;

typedef struct ls_stats ls_stats;

ls_stats *ls_stats_new(const ls_scheme *s, const ls_dataset *d);
void ls_stats_free(ls_stats *st);

/* Statistics of numeric indicator `ind` over the group of `group`
 * (owned by st, valid until ls_stats_free).
 * Booleans count as 0/1; enum and text indicators have count 0. */
const ls_stat *ls_stats_get(ls_stats *st, int group, int ind);

/* 1-based rank of `unit` by indicator `ind` within its group, ties sharing
 * the best rank (1, 2, 2, 4); highest value first when `descending`.
 * 0 when the unit has no value. */
int ls_stats_rank(ls_stats *st, int unit, int ind, int descending);

#endif
