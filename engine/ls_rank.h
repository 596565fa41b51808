/*
 * ls_rank.h - ranking and grading (名次与等次) of scored units, group by
 * group: the rank order (non-vetoed first, then total, then the group's
 * tie-break categories, all descending), shared ranks for ties (1, 2, 2,
 * 4), grade bands by inclusive lower bound, and the share cap of a band
 * (max_share, e.g. 优秀 for at most 20% of the group).
 *
 * Depends on: ls_scheme (groups, bands), ls_score (unit results, cells),
 * ls_decimal, ls_util.
 */
#ifndef LS_RANK_H
#define LS_RANK_H

#include <stddef.h>

#include "ls_decimal.h"
#include "ls_scheme.h"
#include "ls_score.h"

/* Rank and grade the n units of one group.
 *
 * order holds the group's unit indices in registry order; on return it
 * holds them in rank order (units tied on every key keep registry order).
 * units is indexed by unit index: veto and total are read, rank and band
 * written.  tie holds, for unit index u, the scores on g->tie_break in
 * turn at tie[u * g->ntie_break + t] (NULL when g->ntie_break is 0).
 *
 * Units equal on veto, total and every tie-break share the rank of the
 * first of them and are graded together.  A vetoed unit gets no rank
 * (0: it is listed after the ranked units, in order of total, without a
 * 名次) and g->veto_band;
 * the others the first band whose min they reach.  A band with max_share
 * holds at most floor(n * max_share) units; a tie that would go past it
 * moves down to the next band as a whole, and the band then stays closed
 * (a lower total never gets the better grade).  The last band has no cap.
 * Vetoed units count toward the veto band's share but are never moved.
 * Time O(n log n) comparisons plus O(n + bands) for grading.
 *
 * Requires g->nbands >= 1 with the last band's min <= every total, as a
 * loaded scheme guarantees. */
void ls_rank_group(const ls_group *g, ls_unit_result *units, const ls_fixed *tie,
                   int *order, size_t n);

/* Rank and grade every group of a scored run: fills r->order and
 * r->norder (per group, unit indices in rank order; freed by ls_run_free)
 * and each unit's rank and band.  Must be called once per run; every
 * group's tie_break names a node of r->scheme. */
void ls_rank_run(ls_run *r);

#endif
