/*
 * ls_results.h - a published result read back: results.json (from a
 * result directory or an archived version) parsed into units, their
 * items with scores and the indicator values the rules used, and the
 * appeals trail.  What `diff` and `compare` work on: they compare what
 * was published, not a new scoring.
 *
 * Scores stay as the decimal text results.json holds ("49.10") and are
 * read exactly with ls_dec_parse at the result's precision.
 *
 * Every format ls_export_json wrote is read, to the same model: format 2
 * (keys at their default left out, a unit's indicator values once in its
 * "values", a node's "reads" defaulting to its item's) and format 1 (no
 * "format" in the manifest: every key, the values read in each node, and
 * before the "items" table the item texts in each node too).  A newer
 * format is refused.
 *
 * The text is parsed as a stream of yajl events: each unit is built as
 * a small yajl tree, read into the model and freed, so a province's
 * results.json is never held as one tree (at 100,000 units `diff` of two
 * results took 4.9 GB with yajl_tree_parse, 2.0 GB streamed).
 *
 * Depends on: yajl (its event parser and tree values; only ls_results.c
 * includes yajl_parse.h and yajl_tree.h), ls_decimal, ls_strmap,
 * ls_arena, ls_error, ls_util.
 */
#ifndef LS_RESULTS_H
#define LS_RESULTS_H

#include <stddef.h>

#include "ls_arena.h"
#include "ls_decimal.h"
#include "ls_error.h"
#include "ls_strmap.h"

typedef struct ls_rind {
    const char *id, *name;
    /* as people read it: numbers as written, 是/否, text; "未填报" when not
     * given */
    const char *value;
} ls_rind;

typedef struct ls_rnode {
    const char *id, *number, *name, *section; /* section: main, bonus, ... */
    ls_fixed points;
    int scored;        /* state "scored" */
    ls_fixed score;    /* when scored (a veto: 0 or 1 step) */
    const char *state; /* "scored", "na", "error" */
    int leaf;          /* no other node lies under it */
    int depth;         /* 0 for a top-level category or item */
    ls_rind *inds;
    size_t ninds;
} ls_rnode;

typedef struct ls_runit {
    const char *id, *name, *group;
    const char **formerly; /* earlier ids (registry's formerly:) */
    size_t nformerly;
    ls_fixed total;
    /* the parts of the total: total = main + bonus - deduct (clamped at
     * 0); main_raw is the sum of the 100-point tree's items, main the
     * same rescaled (折算) when items did not apply; bonus after its cap */
    ls_fixed main, main_raw, bonus;
    const char *grade; /* "" when none */
    int rank;          /* 0 when none */
    /* its total reached a band its grade is not: the band's share cap
     * (优秀不超过本组20%) was full (a note of kind "quota") */
    int quota;
    ls_rnode *nodes;
    size_t nnodes;
} ls_runit;

typedef struct ls_radj {
    const char *unit, *kind; /* kind: "data" or "score" */
    const char *target;      /* the indicator or item id */
    const char *old, *new_;  /* data: values as text; score: scores */
    const char *reason, *basis, *by, *date;
    /* what it is about, for people: the indicator's name ("迟报次数"), or
     * the item's 序号 and name ("4.5 行政执法案卷评查") */
    const char *what;
} ls_radj;

typedef struct ls_rband {
    const char *grade;
    ls_fixed min;     /* the lowest total of the band */
    double max_share; /* at most this share of the group (0.2); 0: no cap */
} ls_rband;

typedef struct ls_rgroup {
    const char *id, *name;
    ls_rband *bands; /* best first, as the scheme lists them */
    size_t nbands;
} ls_rgroup;

typedef struct ls_results {
    const char *source; /* what was read, for headings */
    const char *name;   /* the assessment's name */
    int year;
    int digits;
    ls_rgroup *groups;
    size_t ngroups;
    ls_runit *units; /* in results.json's order (the scheme's) */
    size_t nunits;
    ls_radj *adj; /* the appeals trail (none: 0) */
    size_t nadj;
    /* unit indices by group (in groups' order), then rank, then
     * results.json's order */
    size_t *order;
    ls_strmap unit_ix;   /* unit id -> index */
    ls_strmap former_ix; /* an id in a unit's formerly: -> index */
    ls_arena arena;      /* every string and array */
} ls_results;

/* Parse results.json held in buf[0..len); `source` names it in messages
 * and headings.  Returns the result (caller frees with ls_results_free)
 * or NULL with an error naming source. */
ls_results *ls_results_parse(const char *buf, size_t len, const char *source, ls_errors *err);

/* Read DIR/results.json (or the file itself when path is a file). */
ls_results *ls_results_load(const char *path, ls_errors *err);

void ls_results_free(ls_results *r);

/* An empty result named `source` (its maps and arena ready), for a
 * builder that fills groups, units and adj in r->arena and then calls
 * ls_results_index.  Caller frees with ls_results_free. */
ls_results *ls_results_new(const char *source);

/* The id maps and the rank order of r's units, once they are all there. */
void ls_results_index(ls_results *r);

/* The unit with this id, else the unit whose formerly: lists it; -1. */
int ls_results_find_unit(const ls_results *r, const char *id, const char *const *formerly,
                         size_t nformerly);

/* The unit of the earlier result a that the later unit ub continues: the
 * same id, else the one id its formerly: names (a rename).  -1 when there
 * is none, or when ub merged several units of a (*merged is then set to
 * how many of them a holds; it is 0 otherwise). */
int ls_results_predecessor(const ls_results *a, const ls_runit *ub, size_t *merged);

/* Whether the earlier unit ua goes on in the later result b (by id, or
 * named by a unit's formerly:). */
int ls_results_continues(const ls_results *b, const ls_runit *ua);

/* The group of unit u in r, or NULL. */
const ls_rgroup *ls_results_group(const ls_results *r, const ls_runit *u);

/* The band unit u's total reaches by the bounds alone (before share caps
 * and vetoes), or NULL. */
const ls_rband *ls_results_band_by_total(const ls_results *r, const ls_runit *u);

/* The node with this id in unit u, or NULL. */
const ls_rnode *ls_results_node(const ls_runit *u, const char *id);

#endif
