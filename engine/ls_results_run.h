/*
 * ls_results_run.h - a run's results in the model of a published result
 * (ls_results), without writing and reading results.json: what the
 * report's 复核调整情况 diffs (the run before the appeals against the run
 * after them) with the very code of `lawscore diff`.
 *
 * Every field holds what ls_results_parse would read from the run's
 * results.json: scores at the scheme's precision, a veto item's score 0
 * or 1, indicator values as that file writes them (numbers as JSON
 * numbers, 是/否, text, 未填报), the appeals trail of the run.
 *
 * The result points into r's scheme (names, ids): free it before the
 * scheme.
 *
 * Depends on: ls_results, ls_score, ls_explain (grades), ls_util.
 */
#ifndef LS_RESULTS_RUN_H
#define LS_RESULTS_RUN_H

#include "ls_results.h"
#include "ls_score.h"

/* The results of run r, named `source` (a heading: "复核前").  The
 * appeals trail is r's (r->adj with r->original; none otherwise).
 * Caller frees with ls_results_free. */
ls_results *ls_results_from_run(const ls_run *r, const char *source);

#endif
