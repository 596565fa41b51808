/*
 * ls_testrun.h - `lawscore test`: rule authors' test cases, written in YAML
 * files next to the rules (docs/testing.md), run through the real engine.
 *
 * A test file names a scheme (or none, to test single items), and lists
 * cases.  Each case gives one unit (made up for the case, or a unit of the
 * registry), or a cohort of several, with only the indicator values that
 * matter, and expects item scores, subtotals, totals, grades, ranks,
 * reasons containing a phrase, counts of units per grade, or a rule error.
 * For each case the runner builds the scheme's units and a data set in
 * memory (ls_dataset_build), binds the scheme's rules to the Lua and plugin
 * backends once per scheme, scores with ls_score_run and compares.  Nothing
 * of the scoring is done here.
 *
 * A failure prints expected versus actual with the item's 评分标准, the
 * reasons the rule gave, the indicator values it read and those the case
 * gave, each at its file:line.  Problems in a test file (unknown keys,
 * unknown items or units, values of the wrong type) are printed with the
 * case as `path:line:col: error: ...` and fail it.  The output ends with
 * the line `N passed, N failed`.
 *
 * With coverage on, the Lua backends record which lines of each rule
 * script ran (ls_coverage); the report gives a percentage and the missed
 * lines per script.
 *
 * The runner is here; cases, their schemes and units are ls_testcase;
 * expectations ls_expect; comparing and the failure report ls_testcheck.
 *
 * Depends on: ls_i18n, ls_testcase, ls_testcheck (its parts, with ls_expect
 * behind them), ls_coverage, ls_scheme, ls_data, ls_score, ls_yaml,
 * ls_yread, ls_error, ls_util.
 */
#ifndef LS_TESTRUN_H
#define LS_TESTRUN_H

#include <stddef.h>
#include <stdio.h>

#include "ls_error.h"

typedef struct ls_test_opts {
    const char *const *paths; /* test files, or directories searched for
                                     *.test.yaml (recursively); none: "." */
    size_t npaths;
    int verbose;                     /* one line per case, not only failures */
    int coverage;                    /* report line coverage of rule scripts */
    double min_coverage;             /* percent; a script below fails the run
                                     (and turns coverage on); < 0: none */
    const char *const *plugin_paths; /* --plugin-path, in order */
    size_t nplugin_paths;
    long max_instructions;         /* Lua budget per call; 0: scheme's/default */
    long max_memory_mb;            /* per Lua state; 0: scheme's/default */
    const char *const *allow_dirs; /* --allow-dir: where the files a scheme
                                          names may also come from (ls_scope.h) */
    size_t nallow_dirs;
    double max_seconds; /* CPU seconds per Lua call; 0: default */
} ls_test_opts;

/* Options with their defaults: no paths, quiet, no coverage, no minimum. */
void ls_test_opts_init(ls_test_opts *o);

/*
 * Run every test case found under o->paths and print the results to out:
 * a line per test file with its counts, the details of each failure (and
 * with o->verbose a line per case), the coverage report when asked for,
 * and last the line `N passed, N failed`.
 *
 * Returns the number of failures: failed cases, test files that could not
 * be read at all, and scripts below the minimum coverage; 0 when all
 * passed.  Returns -1 with an error in err when the paths name nothing to
 * run (a path that does not exist, no test file found).
 */
int ls_testrun(const ls_test_opts *o, FILE *out, ls_errors *err);

#endif
