/*
 * ls_assessment.c - scoring a year with its self-scores and appeals (see
 * ls_assessment.h).
 */
#include "ls_assessment.h"

#include <string.h>

int ls_assess(ls_assessment *a, const ls_scheme *s, const ls_backends *b,
              const ls_assess_opts *o, ls_errors *err)
{
    memset(a, 0, sizeof *a);
    ls_load_opts lo = {.strict = o->strict};
    a->data = ls_dataset_load_opts(s, o->data, o->ndata, &lo, err);
    if (o->nself) a->self = ls_selfscore_load_files(s, o->self, o->nself, err);
    if (o->nadjustments) a->adj = ls_adjustments_load_files(s, o->adjustments, o->nadjustments, err);
    if (!a->data || (o->nself && !a->self) || (o->nadjustments && !a->adj)) return -1;
    if (a->adj && !(a->corrected = ls_adjustments_apply(a->adj, a->data, err))) return -1;
    if (o->prepare && o->prepare(o->prepare_ctx, err)) return -1;
    /* the caller's threads for both runs, its sink for the result only */
    ls_score_opts so = {.keep_going = o->keep_going};
    if (o->score) {
        so.extra = o->score->extra;
        so.nextra = o->score->nextra;
        so.chunk = o->score->chunk;
    }
    /* Rule errors of the original run are reported after the result's,
     * those the result repeats only once (--keep-going scores both). */
    ls_errors orig_err;
    ls_errors_init(&orig_err);
    if (a->adj) {
        a->original = ls_score_run(s, a->data, b, &so, &orig_err);
        so.decisions = a->adj;
    }
    so.sink = o->score ? o->score->sink : NULL;
    so.self = a->self;
    so.adj = a->adj;
    so.original = a->original;
    if (!a->adj || a->original) a->run = ls_score_run(s, a->adj ? a->corrected : a->data, b, &so, err);
    for (size_t i = 0; i < orig_err.n; i++) {
        const ls_diag *d = &orig_err.v[i];
        int seen = 0;
        for (size_t k = 0; k < err->n && !seen; k++)
            seen = !strcmp(err->v[k].msg, d->msg) && (!d->path) == (!err->v[k].path) &&
                   (!d->path || !strcmp(err->v[k].path, d->path));
        if (seen) continue;
        if (d->sev == LS_SEV_ERROR) ls_errorf(err, d->path, d->line, d->col, "%s", d->msg);
        else if (d->sev == LS_SEV_WARNING) ls_warnf(err, d->path, d->line, d->col, "%s", d->msg);
        else ls_notef(err, d->path, d->line, d->col, "%s", d->msg);
    }
    ls_errors_cleanup(&orig_err);
    if (a->original) a->original->self = a->self;
    if (!a->run) return -1;
    return 0;
}

void ls_assessment_cleanup(ls_assessment *a)
{
    ls_run_free(a->run);
    ls_run_free(a->original);
    ls_dataset_free(a->corrected);
    ls_dataset_free(a->data);
    ls_selfscore_free(a->self);
    ls_adjustments_free(a->adj);
    memset(a, 0, sizeof *a);
}
