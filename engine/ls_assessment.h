/*
 * ls_assessment.h - one year's assessment as an office runs it: the data
 * as submitted, the units' 自评分, the appeals decided (复核), the run
 * scored before the appeals and the run after them.  `run`, `explain`
 * and `publish` all score through here, so they agree.
 *
 * Without adjustments there is one run (no `original`); with them, the
 * submitted data is scored first (the published original), then the
 * corrected data with the score decisions, and every output shows
 * original → adjusted (docs/year.md).
 *
 * Depends on: ls_score, ls_scheme, ls_data, ls_selfscore, ls_adjust,
 * ls_error.
 */
#ifndef LS_ASSESSMENT_H
#define LS_ASSESSMENT_H

#include <stddef.h>

#include "ls_adjust.h"
#include "ls_data.h"
#include "ls_error.h"
#include "ls_scheme.h"
#include "ls_score.h"
#include "ls_selfscore.h"

typedef struct ls_assess_opts {
    const char *const *data; /* data files, in order */
    size_t ndata;
    const char *const *self;        /* --self FILEs, merged (ls_selfscore_load_files) */
    size_t nself;                   /* 0: none */
    const char *const *adjustments; /* --adjustments FILEs, merged */
    size_t nadjustments;            /* 0: none */
    int keep_going;
    int strict; /* doubtful data values are errors */
    /* NULL, or the scoring threads (extra, nextra, chunk) for both runs and
     * the sink (ls_score_sink) told of the result's units as they are
     * scored; its other fields are ignored. */
    const ls_score_opts *score;
    /* NULL, or called once the inputs are loaded and good, before scoring
     * (run: opens the output directory, sets score->sink); -1 stops with
     * its errors in err. */
    int (*prepare)(void *ctx, ls_errors *err);
    void *prepare_ctx;
} ls_assess_opts;

typedef struct ls_assessment {
    ls_dataset *data;      /* as submitted */
    ls_dataset *corrected; /* with the data corrections; NULL without */
    ls_selfscore *self;    /* NULL without --self */
    ls_adjustments *adj;   /* NULL without --adjustments */
    ls_run *original;      /* before the appeals; NULL without */
    ls_run *run;           /* the result (self, adj, original set) */
} ls_assessment;

/* Load the inputs of o for scheme s (every error of every file is
 * reported before giving up), then score with the bound backends b.
 * Returns 0 with a->run set, or -1 with the errors in err.  Either way
 * the caller cleans a up with ls_assessment_cleanup. */
int ls_assess(ls_assessment *a, const ls_scheme *s, const ls_backends *b,
              const ls_assess_opts *o, ls_errors *err);
void ls_assessment_cleanup(ls_assessment *a);

#endif
