/*
 * ls_selfscore.h - 自评分: the score each unit gives itself per item
 * before the assessment group scores it, read from a YAML file or a
 * table (CSV, .xlsx, .xls; the form of `lawscore template --self`, a
 * sheet per unit; `--self FILE`, docs/year.md), checked against the scheme, and summed
 * the way the assessed score is (categories, 折算, bonus cap, deductions)
 * so that 自评分 and 考核分 can be set side by side per item and in total.
 * A unit whose self total exceeds its assessed total by more than the
 * scheme's `assessment.self_overrate` is 自评偏高.
 *
 * Depends on: ls_scheme, ls_yaml/ls_yread (YAML files), ls_intable (CSV and
 * spreadsheet files), ls_decimal, ls_arena, ls_error, ls_util, ls_value
 * (a score typed as no number).
 */
#ifndef LS_SELFSCORE_H
#define LS_SELFSCORE_H

#include <stddef.h>

#include "ls_arena.h"
#include "ls_decimal.h"
#include "ls_error.h"
#include "ls_scheme.h"

typedef struct ls_selfscore {
    const ls_scheme *scheme; /* not owned */
    const char *path;        /* the file (files: joined by ", "), in the arena */
    /* nunits * nnodes, row = unit; leaves as given (0 for
     * bonus/deduction items not given), categories summed */
    ls_fixed *score;
    unsigned char *set;   /* same shape: 1 where score holds a value */
    const char **note;    /* same shape: the unit's 说明, or NULL */
    unsigned char *given; /* nunits: the unit is in the file */
    /* nunits: self total, computed as the assessed total is (折算, caps) */
    ls_fixed *total;
    ls_arena arena;
} ls_selfscore;

/*
 * Load self-scores for scheme s from `path` (.csv, else YAML; formats in
 * docs/year.md).  Checks every unit and item (an item is named by its id
 * or its 序号), that scores are numbers within [0, points] at the scheme's
 * precision, that an item applies to the unit and is not a category or a
 * veto, that no item is given twice, and that a unit in the file gives
 * every applicable item of the 100-point tree (bonus and deduction items
 * may be left out: 0).  Returns the self-scores (caller frees with
 * ls_selfscore_free) or NULL with every error, positioned, in err.
 */
ls_selfscore *ls_selfscore_load(const ls_scheme *s, const char *path, ls_errors *err);

/* The self-scores of several files (--self given more than once: the
 * forms units returned), read in order and checked as one: a unit in two
 * files is an error at the second, naming the first.  path is then the
 * files joined by ", ". */
ls_selfscore *ls_selfscore_load_files(const ls_scheme *s, const char *const *paths, size_t npaths,
                                      ls_errors *err);

/* The most 自评分 leaf `node` may have: 1 with *max set (its points; for a
 * bonus item without points of its own, the scheme's bonus cap), or 0
 * when nothing bounds it (a deduction item without points, a bonus item
 * without points in a scheme without a bonus cap).  The least is 0. */
int ls_selfscore_max(const ls_scheme *s, int node, ls_fixed *max);
void ls_selfscore_free(ls_selfscore *ss);

/* The self-score of (unit, node), or NULL when none was given. */
const ls_fixed *ls_selfscore_get(const ls_selfscore *ss, size_t unit, size_t node);

/* Whether the unit is 自评偏高 against its assessed total: it gave a
 * self-assessment, the scheme sets a threshold, and self - assessed
 * exceeds it. */
int ls_selfscore_overrated(const ls_selfscore *ss, size_t unit, ls_fixed assessed);

#endif
