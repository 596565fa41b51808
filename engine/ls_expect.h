/*
 * ls_expect.h - the expectations of a `lawscore test` case: the `expect:`
 * mapping of a case (docs/testing.md), parsed into ls_expect records that
 * ls_testcheck compares with the run.  "item 8.3: 2.5", "total a: 90",
 * "grade: 优秀", "count dept 优秀: 2", "above: [a, b]", the plural forms
 * ("items: {8.3: 2.5}") and the rest; items are named by 序号 or id, units
 * by id, grades and groups checked against the case's scheme.
 *
 * Depends on: ls_yaml (the nodes expectations point into), ls_testcase
 * (the case being parsed: its scheme and units), ls_scheme, ls_yread,
 * ls_util.
 */
#ifndef LS_EXPECT_H
#define LS_EXPECT_H

#include "ls_yaml.h"

/* What an expectation compares, by its keyword. */
typedef enum {
    LS_EXP_ITEM,    /* item, category: a cell's score */
    LS_EXP_REASONS, /* phrases in a cell's reasons */
    LS_EXP_TOTAL,
    LS_EXP_GRADE,
    LS_EXP_RANK,
    LS_EXP_BONUS,
    LS_EXP_DEDUCT,
    LS_EXP_VETO,
    LS_EXP_NOTES, /* phrases in the unit's notes */
    LS_EXP_COUNT, /* units of a grade (in a group) */
    LS_EXP_ABOVE, /* a ranks above b */
    LS_EXP_TIED,  /* a and b share a rank */
    LS_EXP_ERROR  /* a rule error with these phrases */
} ls_expect_kind;

/* What an `item` expectation expects of its cell. */
typedef enum {
    LS_ITEM_SCORE,     /* num, within the tolerance */
    LS_ITEM_NA,        /* 不适用 */
    LS_ITEM_VETOED,    /* a veto item: 否决 (true) */
    LS_ITEM_NOT_VETOED /* a veto item: 未否决 (false) */
} ls_expect_item;

/* What a `veto` expectation expects of the unit. */
typedef enum {
    LS_VETO_NONE,   /* veto: false */
    LS_VETO_ANY,    /* veto: true */
    LS_VETO_BY_NODE /* veto: 否1 - vetoed by that item first */
} ls_expect_veto;

/* One expectation, parsed. */
typedef struct ls_expect {
    ls_expect_kind kind;
    const char *word;   /* the keyword as written ("item", "category") */
    const ls_ynode *at; /* where it is written (the key) */
    const ls_ynode *val;
    int unit, node, group; /* -1 when not used */
    double num;            /* scores, rank (0: 无名次), count */
    ls_expect_item item;   /* LS_EXP_ITEM */
    ls_expect_veto veto;   /* LS_EXP_VETO */
    const char *text;      /* LS_EXP_GRADE, LS_EXP_COUNT: the grade */
} ls_expect;

struct ls_testcase;

/* Parse C's `expect:` into C->x (C->nx records, freed with the case),
 * after its scheme and units are known.  0, or -1 with every problem
 * found recorded in C->errs at its path:line:col. */
int ls_expect_parse(struct ls_testcase *C);

/* The index of unit `id` among the case's units, or -1 with an error at
 * `at` in C->errs listing them. */
int ls_expect_find_unit(struct ls_testcase *C, const ls_ynode *at, const char *id);

#endif
