/*
 * fuzz_results.c - fuzz target: a published results.json (formats 1 and
 * 2, its "manifest" included) as `diff`, `compare` and `publish` read a
 * results directory someone sent (ls_results_load).
 *
 * The input is written as results.json in a scratch directory and read
 * back.  A result that loads is checked (every string there, the id maps
 * find each unit under its own id, the rank order a permutation, scores
 * at the result's precision) and then used as `diff` and `compare` use
 * it, against the fixture's own result (fixtures/results.json, the
 * fixture scheme run on data.yaml and data.csv) in both directions: the
 * text and CSV diff, the HTML diff, the comparison, and the data set
 * `compare` carries over to the earlier scheme, which must hold only
 * values valid for the scheme's indicators.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "ls_compare.h"
#include "ls_data.h"
#include "ls_diff.h"
#include "ls_export_html.h"
#include "ls_results.h"
#include "ls_scheme.h"

static ls_results *fixture;
static FILE *sink;
static char path[4096];

static void cleanup(void)
{
    ls_results_free(fixture);
    if (sink) fclose(sink);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    static const char *const links[] = {"scheme.yaml", "rules", "data.yaml", "data.csv", NULL};
    fz_setup(links);
    fz_dataset();
    ls_errors err;
    ls_errors_init(&err);
    fixture = ls_results_load(fz_fixture("results.json"), &err);
    if (!fixture) {
        ls_errors_print(&err, stderr);
        fz_fail("the fixture results.json does not load");
    }
    ls_errors_cleanup(&err);
    sink = fopen("/dev/null", "w");
    if (!sink) fz_fail("cannot open /dev/null");
    atexit(cleanup);
    snprintf(path, sizeof path, "%s", fz_path("results.json"));
    return 0;
}

static void need(const char *s, const char *what)
{
    if (!s) fz_fail("loaded result: %s is NULL", what);
    (void)strlen(s);
}

static void check_results(const ls_results *r)
{
    need(r->source, "source");
    need(r->name, "name");
    if (r->digits < 0 || r->digits > LS_MAX_DIGITS) fz_fail("loaded result: %d digits", r->digits);
    for (size_t g = 0; g < r->ngroups; g++) {
        need(r->groups[g].id, "a group's id");
        need(r->groups[g].name, "a group's name");
        for (size_t k = 0; k < r->groups[g].nbands; k++) need(r->groups[g].bands[k].grade, "a band's grade");
    }
    unsigned char *seen = calloc(r->nunits ? r->nunits : 1, 1);
    for (size_t i = 0; i < r->nunits; i++) {
        size_t k = r->order[i];
        if (k >= r->nunits || seen[k]) fz_fail("loaded result: the rank order is not a permutation");
        seen[k] = 1;
    }
    free(seen);
    for (size_t i = 0; i < r->nunits; i++) {
        const ls_runit *u = &r->units[i];
        need(u->id, "a unit's id");
        need(u->name, "a unit's name");
        need(u->group, "a unit's group");
        need(u->grade, "a unit's grade");
        if (!u->id[0]) fz_fail("loaded result: unit %zu has no id", i);
        /* diff and compare match units by id: each must find its own */
        if (ls_results_find_unit(r, u->id, NULL, 0) != (int)i)
            fz_fail("loaded result: unit id '%s' does not lead to unit %zu (given twice?)", u->id, i);
        for (size_t f = 0; f < u->nformerly; f++) need(u->formerly[f], "a formerly id");
        for (size_t n = 0; n < u->nnodes; n++) {
            const ls_rnode *x = &u->nodes[n];
            need(x->id, "a node's id");
            need(x->number, "a node's number");
            need(x->name, "a node's name");
            need(x->section, "a node's section");
            need(x->state, "a node's state");
            for (size_t k = 0; k < x->ninds; k++) {
                need(x->inds[k].id, "an indicator's id");
                need(x->inds[k].name, "an indicator's name");
                need(x->inds[k].value, "an indicator's value");
            }
        }
    }
    for (size_t i = 0; i < r->nadj; i++) {
        const ls_radj *a = &r->adj[i];
        need(a->unit, "an appeal's unit");
        need(a->kind, "an appeal's kind");
        need(a->target, "an appeal's target");
        need(a->old, "an appeal's old value");
        need(a->new_, "an appeal's new value");
        need(a->reason, "an appeal's reason");
        need(a->what, "an appeal's what");
    }
}

/* Use r as diff and compare do, a before b. */
static void use(const ls_results *a, const ls_results *b)
{
    ls_errors err;
    ls_errors_init(&err);
    for (int csv = 0; csv < 2; csv++)
        if (ls_diff_write(a, b, csv, sink, &err) < 0) fz_fail("ls_diff_write failed on /dev/null");
    if (ls_write_html_diff(a, b, sink, &err)) fz_fail("ls_write_html_diff failed on /dev/null");
    ls_compare_in in = {.a = a, .b = b, .why_not = "fuzz"};
    for (int csv = 0; csv < 2; csv++)
        if (ls_compare_write(&in, csv, sink, &err)) fz_fail("ls_compare_write failed on /dev/null");
    ls_errors_cleanup(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *buf, size_t size)
{
    fz_write(path, buf, size);
    ls_errors err;
    ls_errors_init(&err);
    ls_results *r = ls_results_load(path, &err);
    fz_check("ls_results_load", r == NULL, &err, path, buf, size);
    ls_errors_cleanup(&err);
    if (!r) return 0;
    check_results(r);
    use(fixture, r);
    use(r, fixture);
    use(r, r);
    /* compare's attribution: the later values carried to the earlier
     * scheme, as the fixture's data set of that scheme */
    ls_buf missing;
    ls_buf_init(&missing);
    ls_errors_init(&err);
    ls_dataset *d = ls_compare_dataset(fz_scheme(), fz_dataset(), fixture, r, &missing, &err);
    fz_check("ls_compare_dataset", d == NULL, &err, path, buf, size);
    if (d) fz_check_dataset(d, 1);
    ls_dataset_free(d);
    ls_buf_cleanup(&missing);
    ls_errors_cleanup(&err);
    ls_results_free(r);
    return 0;
}
