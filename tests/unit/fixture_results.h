/*
 * fixture_results.h - the results the year tests work on, made one way
 * for all of them (test_archive.c, test_compare.c, test_diff.c,
 * test_results.c):
 *
 *   fx_year     a scheme and one data file loaded, its rules bound and
 *               scored (fixtures/year/ holds two years of them);
 *   fx_json     a run's results.json written into memory;
 *   fx_reread   the same parsed back, as diff and compare read it;
 *   fx_results  a results.json of one group made from lines
 *               "id name total rank grade [quota] [was:ID]...".
 *
 * Every failure is a cmocka assertion: the functions return only what
 * worked.  Linked into every unit test (Makefile: tests/unit/fixture_*.c).
 *
 * Depends on: ls_scheme, ls_data, ls_backends, ls_score, ls_export_json,
 * ls_results, ls_util; cmocka (ls_test.h).
 */
#ifndef FIXTURE_RESULTS_H
#define FIXTURE_RESULTS_H

#include <stddef.h>

#include "ls_backends.h"
#include "ls_data.h"
#include "ls_results.h"
#include "ls_scheme.h"
#include "ls_score.h"

#define FX_YEAR_DIR "tests/unit/fixtures/year/"

/* One year scored: free with fx_year_free. */
typedef struct fx_year {
    ls_scheme *s;
    ls_dataset *d;
    ls_backends b;
    ls_run *r;
} fx_year;

/* Load scheme and data (one file), bind the rules and score, into y
 * (overwritten). */
void fx_year_load(fx_year *y, const char *scheme, const char *data);
void fx_year_free(fx_year *y);

/* results.json of r (indented with pretty), NUL-terminated, its length in
 * *len (may be NULL); caller frees. */
char *fx_json(const ls_run *r, int pretty, size_t *len);

/* r's results.json parsed back, named `source` in headings; caller frees
 * with ls_results_free. */
ls_results *fx_reread(const ls_run *r, const char *source);

/*
 * A results.json of assessment year `year` with one group dept 区直部门,
 * parsed as `source`.  bands: the group's "bands" array as JSON (NULL:
 * none).  Each of the n units is a line "id name total rank grade"
 * followed by any of "quota" (a note that the 优秀 share cap set its
 * grade) and "was:ID" (an id in its formerly:), e.g. "m 丁局 88.00 1 良好
 * was:a was:b".  No items.  Caller frees with ls_results_free.
 */
ls_results *fx_results(int year, const char *source, const char *bands, const char *const *units, size_t n);

#endif
