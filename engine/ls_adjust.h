/*
 * ls_adjust.h - appeals (异议) decided by the assessment group (复核): an
 * adjustments file (`--adjustments FILE`, docs/year.md) lists each
 * decision with the unit, what it changes, the reason, the basis (依据,
 * 文号), who decided and the date.  Two kinds:
 *
 *   - a data correction: an indicator's value, old → new.  The old value
 *     must be the one in the data: an appeal written against other data
 *     (a stale appeal) is an error.  The corrected data is scored again,
 *     so effects on others (ranks, rank-based items, share caps) follow;
 *   - a score decision: an item's score is set by the group (the rule's
 *     result is replaced).
 *
 * The file is YAML, or a table (CSV, .xlsx, .xls: the 复核决定登记表 of
 * `lawscore template --adjustments`, Chinese headers 单位编号, 类型
 * 数据更正/评分决定, 指标, 序号, 原值, 新值, 核定分, 理由, 依据（文号）,
 * 决定人（单位）, 日期; dates as date cells, Excel serial numbers or text).
 *
 * Depends on: ls_scheme, ls_data, ls_value, ls_yaml/ls_yread (YAML files), ls_i18n,
 * ls_intable (tables), ls_decimal, ls_arena, ls_error, ls_util.
 */
#ifndef LS_ADJUST_H
#define LS_ADJUST_H

#include <stddef.h>

#include "ls_arena.h"
#include "ls_data.h"
#include "ls_decimal.h"
#include "ls_error.h"
#include "ls_scheme.h"
#include "ls_value.h"

typedef enum {
    LS_ADJ_DATA,
    LS_ADJ_SCORE
} ls_adj_kind;

typedef struct ls_adjustment {
    ls_adj_kind kind;
    int unit;                               /* index into scheme->units */
    int indicator;                          /* DATA: index into scheme->inds; else -1 */
    ls_value old, new_;                     /* DATA: old.set == 0 when the value was not given */
    int node;                               /* SCORE: the item; else -1 */
    ls_fixed score;                         /* SCORE: the decided score */
    const char *reason, *basis, *by, *date; /* in the arena */
    const char *where;                      /* the file, or file:sheet of a
                                                   register (in the arena) */
    int line, col;                          /* of the entry (a register: the
                                                   原值 or 核定分 cell) */
} ls_adjustment;

typedef struct ls_adjustments {
    const ls_scheme *scheme; /* not owned */
    const char *path;        /* the file (files: joined by ", "), in the arena */
    ls_adjustment *v;        /* in file order */
    size_t n, cap;
    ls_arena arena;
} ls_adjustments;

/* Load an adjustments file (YAML, or a table by its name: .csv, .xlsx,
 * .xls) for scheme s and check each entry: known unit,
 * indicator or item, values of the indicator's type, a score within the
 * item's points at the scheme's precision, every field present, the date
 * as YYYY-MM-DD, nothing decided twice.  Returns the adjustments (caller
 * frees with ls_adjustments_free) or NULL with every error in err. */
ls_adjustments *ls_adjustments_load(const ls_scheme *s, const char *path, ls_errors *err);
/* The adjustments of several files (--adjustments given more than once,
 * a register per office), read in order into one list: an indicator
 * corrected or an item decided in two files is an error at the second,
 * naming the first.  path is then the files joined by ", ". */
ls_adjustments *ls_adjustments_load_files(const ls_scheme *s, const char *const *paths, size_t n,
                                          ls_errors *err);
void ls_adjustments_free(ls_adjustments *a);

/* A copy of data set d with the data corrections of a applied.  Each
 * correction's old value must equal d's value (else "stale appeal", at the
 * entry's position).  Returns the corrected data set (caller frees with
 * ls_dataset_free) or NULL with every error in err. */
ls_dataset *ls_adjustments_apply(const ls_adjustments *a, const ls_dataset *d, ls_errors *err);

/* The score decision on (unit, node), or NULL. */
const ls_adjustment *ls_adjustments_decision(const ls_adjustments *a, size_t unit, size_t node);

/* "复核：<reason>（依据<basis>；<by>，<date>）" for messages and outputs.
 * Caller frees. */
char *ls_adjustment_describe(const ls_adjustment *e);

#endif
