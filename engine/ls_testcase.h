/*
 * ls_testcase.h - the state of a `lawscore test` run and its cases: the
 * schemes the test files name (loaded and bound once per run, used through
 * a *view* whose units are each case's), the schemes of single-item cases
 * (a view with one item as its tree, or one built from the names the case
 * uses when the file has no scheme), and the units a case scores (made up,
 * from the registry, or a cohort).  Internal to the test runner
 * (ls_testrun, ls_expect, ls_testcheck).
 *
 * Depends on: ls_i18n, ls_scheme, ls_data, ls_score, ls_rule, ls_backends,
 * ls_coverage, ls_expect, ls_testrun (options), ls_yaml, ls_yread,
 * ls_arena, ls_scope, ls_error, ls_util.
 */
#ifndef LS_TESTCASE_H
#define LS_TESTCASE_H

#include <stddef.h>
#include <stdint.h>

#include "ls_arena.h"
#include "ls_backends.h"
#include "ls_coverage.h"
#include "ls_data.h"
#include "ls_error.h"
#include "ls_expect.h"
#include "ls_rule.h"
#include "ls_scheme.h"
#include "ls_score.h"
#include "ls_testrun.h"
#include "ls_util.h"
#include "ls_yaml.h"

/* A scheme named by test files, loaded once per run. */
typedef struct ls_testscheme {
    char *path;     /* normalised */
    ls_scheme *s;   /* NULL when it failed to load */
    ls_scheme view; /* s with the units of the case being run */
    ls_backends b;  /* bound to view */
    int bound;      /* 0 not yet, 1 bound, -1 binding failed */
    ls_errors errs; /* why loading or binding failed */
} ls_testscheme;

typedef struct ls_testrunner {
    const ls_test_opts *o;
    int cover;
    ls_coverage cov;
    ls_testscheme **schemes;
    size_t nschemes;
    ls_strlist plugins; /* "plugin.function" of items bound */
    size_t passed, failed, broken_files;
} ls_testrunner;

typedef struct ls_testfile {
    ls_testrunner *R;
    const char *path;
    char *dir;
    ls_ydoc doc;
    ls_testscheme *ts;         /* NULL: no scheme */
    ls_dataset *data;          /* the registry's data (`data:`), or NULL */
    const ls_ynode *defaults;  /* values of every made-up unit, or NULL */
    const char *defaults_path; /* the file they are written in */
    ls_ydoc defaults_doc;      /* `defaults: FILE` */
    double tol;
    ls_buf out; /* the report of the file's cases */
    size_t passed, failed;
} ls_testfile;

/* Which scheme a case runs on, and so what it owns. */
typedef enum {
    LS_CASE_FILE_SCHEME, /* the file's view (owns nothing) */
    LS_CASE_ITEM_VIEW,   /* a view of the file's scheme with one item */
    LS_CASE_BUILT        /* one item, and a scheme built here */
} ls_case_scheme;

typedef struct ls_testcase {
    ls_testfile *F;
    ls_testrunner *R;
    const ls_ynode *n;
    const char *name;
    const ls_ynode *unit_n, *cohort_n, *data_n, *expect_n, *rule_n;
    double tol;
    ls_errors errs; /* problems in the test file */
    ls_arena arena; /* strings of the case */
    /* the scheme the case runs on */
    ls_scheme *s;
    ls_backends *b;
    ls_case_scheme own;
    ls_backends own_b;
    /* the units scored */
    ls_unit *units;
    size_t nunits;
    int *rows;              /* row in F->data, -1 for made-up units */
    const ls_ynode **given; /* each unit's values in the test file */
    int target;             /* the unit of a one-unit case, or -1 */
    /* expectations */
    ls_expect *x;
    size_t nx, capx;
    /* results */
    ls_dataset *d;
    ls_run *r;
    ls_errors rerrs; /* rule errors of the run */
    ls_buf *out;     /* details of failed expectations */
    int nfail;
    unsigned char *shown;  /* per unit: its score details were printed */
    uint64_t shown_groups; /* bit g: the ranking of group g was printed */
} ls_testcase;

/* The scheme at (normalised) path, loaded on first use and kept in R
 * (freed with ls_testscheme_free); t->s is NULL when it failed to load,
 * with the reasons in t->errs. */
ls_testscheme *ls_testscheme_get(ls_testrunner *R, const char *path);
/* t's view with every rule bound (on first use), or NULL when the scheme
 * did not load or a rule failed to bind (reasons in t->errs). */
ls_scheme *ls_testscheme_ready(ls_testrunner *R, ls_testscheme *t);
void ls_testscheme_free(ls_testscheme *t);

/* A fresh case of file F for case node cn (rows and arenas empty). */
void ls_testcase_init(ls_testcase *C, ls_testfile *F, const ls_ynode *cn);
/* Read case `index` (0-based) of its file: keys, the scheme it runs on
 * (C->s, C->b), its units (set as the scheme's units), its expectations.
 * 0, or -1 with every problem found in C->errs; C->s and C->units are set
 * as far as they could be, so values can be checked after mistakes. */
int ls_testcase_parse(ls_testcase *C, size_t index);
/* Free what the case holds: its own scheme, units, expectations, data set
 * and run; the file's scheme view gets its units back. */
void ls_testcase_cleanup(ls_testcase *C);

/* The ids of s's groups, comma separated, appended to b. */
void ls_testcase_list_groups(const ls_scheme *s, ls_buf *b);

#endif
