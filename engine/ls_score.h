/*
 * ls_score.h - scoring: runs every leaf's rule for every unit, rounds each
 * result once at the scheme's precision, clamps it (扣完为止), sums
 * sub-items and categories exactly, applies bonus (capped), deduction-only
 * items and vetoes, rescales units for which items do not apply, then
 * has ls_rank rank units within their group and grade them.
 *
 * Threads.  Units are scored in chunks of LS_SCORE_CHUNK consecutive
 * units, handed out in order to the calling thread and to one more thread
 * per extra rule registry (ls_score_opts.extra: each its own Lua states
 * and plugin states, so no rule state is shared).  Each chunk keeps its
 * own reasons, indicator reads and rule errors; they are joined in unit
 * order once every chunk is done, so the run (cells, reasons, errors,
 * ranks) is the same, byte for byte, for any number of threads.  Group
 * statistics (ls_stats) are shared: computed once, under a lock.
 *
 * Depends on: ls_scheme, ls_data, ls_rule, ls_backends, ls_stats, ls_rank,
 * ls_decimal, ls_arena, ls_intern (reasons), ls_error, ls_util, ls_adjust
 * (score decisions),
 * ls_selfscore, pthreads, libc (C11 atomics).
 */
#ifndef LS_SCORE_H
#define LS_SCORE_H

#include <stddef.h>
#include <stdint.h>

#include "ls_adjust.h"
#include "ls_arena.h"
#include "ls_data.h"
#include "ls_decimal.h"
#include "ls_error.h"
#include "ls_rule.h"
#include "ls_scheme.h"
#include "ls_selfscore.h"

typedef enum {
    LS_CELL_SCORED, /* score holds the result */
    LS_CELL_NA,     /* the item does not apply to the unit */
    LS_CELL_ERROR   /* the rule failed (--keep-going) */
} ls_cell_state;

/* One (unit, node) result.  For categories: the sum of applicable
 * children.  For VETO leaves score is a flag, 1 (vetoed) or 0, not an
 * amount.  For ERROR cells the one reason is the rule's error message. */
typedef struct ls_cell {
    ls_fixed score;   /* clamped: the rule's value is ls_run_raw's */
    uint32_t reason0; /* first reason in run->reasons */
    uint32_t read0;   /* first indicator index in run->reads */
    uint32_t nread;
    uint16_t nreasons;   /* at most LS_REASONS_MAX */
    unsigned char state; /* ls_cell_state */
    signed char clamped; /* -1 raised to 0, +1 lowered to points, 0 */
} ls_cell;

/* 24 bytes a cell: a province holds units x nodes of them (49 million at
 * a million units of the example), so the rule's value before clamping,
 * which differs from the score only in the few clamped cells, is kept
 * beside them (ls_run's raws), not in every cell. */
_Static_assert(sizeof(ls_cell) <= 24, "a cell takes 24 bytes");
_Static_assert(LS_REASONS_MAX <= UINT16_MAX, "a cell counts its reasons in 16 bits");

typedef struct ls_unit_result {
    ls_fixed main_raw;   /* sum of applicable MAIN items */
    ls_fixed applicable; /* points of applicable MAIN items */
    ls_fixed main;       /* main_raw, rescaled to the scheme total */
    int rescaled;        /* 1 when applicable != total */
    ls_fixed bonus_raw;  /* sum of bonus items */
    ls_fixed bonus;      /* capped */
    ls_fixed deduct;     /* sum of deduction-only items */
    ls_fixed total;      /* main + bonus - deduct, never below 0 */
    int total_clamped;   /* 1 when the deductions went below 0 */
    int veto;            /* node index of the first veto that applied, -1 */
    int band;            /* index into the group's bands */
    int rank;            /* 1-based within the group, ties shared; 0 when vetoed */
    int errors;          /* cells in error */
} ls_unit_result;

typedef struct ls_run {
    const ls_scheme *scheme;
    const ls_dataset *data;
    ls_cell *cells;        /* nunits * nnodes, row = unit */
    ls_unit_result *units; /* nunits */
    int **order;           /* per group: unit indices in rank order */
    size_t *norder;
    const char **reasons; /* all reasons, in the arena */
    size_t nreasons, capreasons;
    int *reads; /* indicator indices read, per cell range */
    size_t nreads, capreads;
    size_t nerrors; /* cells in error */
    ls_arena arena; /* reasons' text (interned) of the calling thread */
    /* The year's workflow (docs/year.md), each NULL when not given; set by
     * ls_score_run from its opts, not owned: 自评分, the appeals decided, and
     * the run before them (scored on the uncorrected data). */
    const ls_selfscore *self;
    const ls_adjustments *adj;
    const struct ls_run *original;
    ls_arena *arenas; /* the extra scoring threads' reason text (interned) */
    size_t narenas;
    /* the rule's value (rounded, before clamping) of each clamped cell,
     * by cell index (unit * nnodes + node), ascending */
    struct ls_raw *raws;
    size_t nraws;
} ls_run;

typedef struct ls_raw {
    size_t cell; /* unit * nnodes + node */
    ls_fixed raw;
} ls_raw;

/* Units a scoring thread takes at a time. */
#define LS_SCORE_CHUNK 64

/* The rule backends, by rule kind (the registry: ls_backends.h). */
typedef struct ls_backends ls_backends;

/* Told of the units as they are scored, to write them while the rest are
 * scored: `units` runs on a thread of its own, once per chunk, in unit
 * order, as soon as the chunk and every chunk before it are scored.
 * `view` is the run as far as units [u0, u1) go: their cells, reasons,
 * indicators read and totals (ls_explain_cell and friends work on it for
 * these units), but no ranks or grades yet and no other units; valid only
 * during the call.  After a rule error without keep_going no further chunk
 * is given. */
typedef struct ls_score_sink {
    void (*units)(void *ctx, const ls_run *view, size_t u0, size_t u1);
    void *ctx;
} ls_score_sink;

typedef struct ls_score_opts {
    int keep_going; /* rule errors mark cells instead of stopping */
    /* More scoring threads: extra[0..nextra) are registries bound like
     * the `b` of ls_score_run, one per extra thread (not owned).  With
     * nextra 0 the calling thread scores alone. */
    ls_backends *extra;
    size_t nextra;
    size_t chunk;                    /* units a thread takes at a time; 0 = LS_SCORE_CHUNK */
    const ls_adjustments *decisions; /* their score decisions replace the
                                          rules' results; NULL: none */
    /* Copied to the run's self, adj and original (not owned) before
     * scoring, so that a sink's views have them too; NULL: none. */
    const ls_selfscore *self;
    const ls_adjustments *adj;
    const struct ls_run *original;
    const ls_score_sink *sink; /* may be NULL */
} ls_score_opts;

/* Score every unit, with the rules bound in b (every leaf bound already:
 * ls_backends_bind).  Returns a run (caller frees with ls_run_free), or
 * NULL with the first rule error in err (without keep_going).  With
 * keep_going, rule errors are recorded in err as well and the run is
 * returned with the cells marked; run->nerrors counts them. */
ls_run *ls_score_run(const ls_scheme *s, const ls_dataset *d,
                     const ls_backends *b, const ls_score_opts *opts,
                     ls_errors *err);
void ls_run_free(ls_run *r);

static inline const ls_cell *ls_run_cell(const ls_run *r, size_t unit, size_t node)
{
    return &r->cells[unit * r->scheme->nnodes + node];
}

/* A cell's value as the rule gave it (rounded), before clamping: that of
 * a clamped cell from r->raws, else its score. */
ls_fixed ls_run_raw(const ls_run *r, size_t unit, size_t node);

#endif
