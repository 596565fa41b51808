/*
 * ls_testrun.c - `lawscore test`, the runner (see ls_testrun.h; the file
 * format is described in docs/testing.md): finds the test files, reads
 * each file's header (scheme, data, defaults, tolerance), runs its cases
 * and prints the report, then the coverage of rule scripts.
 *
 * How a case runs.  The scheme of a test file is loaded once per run (and
 * shared by the test files naming it); its rules are bound once, to
 * backends made for a *view* of it: a shallow copy of the ls_scheme whose
 * unit registry is replaced, case by case, by the units the case scores.
 * The backends read units through the scheme pointer at call time, and
 * nothing they keep depends on the units, so one binding serves every case.
 * A case that tests a single item (`rule:`) gets a scheme of its own: a
 * view of the file's scheme with that one item as its tree, or, without a
 * scheme, one built with a catalogue made of the indicators the case
 * names (ls_testcase).  Its expectations are parsed by ls_expect.  The
 * data set comes from ls_dataset_build (the registry's data files, the
 * file's defaults and the case's values, checked as data files are);
 * scoring is ls_score_run's, with --keep-going so that a failing rule
 * shows as a failed case instead of stopping the run; ls_testcheck
 * compares and writes the failure report.
 *
 * Output.  Each file's report is collected, then printed after a line with
 * the file's counts.  Errors in a test file are printed with their case in
 * the compilers' form, path:line:col: error: message.
 *
 * Depends on: ls_i18n, ls_testcase, ls_testcheck, ls_coverage, ls_scheme, ls_data,
 * ls_score, ls_yaml, ls_yread, ls_error, ls_util.
 */
#include "ls_testrun.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ls_coverage.h"
#include "ls_data.h"
#include "ls_scheme.h"
#include "ls_score.h"
#include "ls_testcase.h"
#include "ls_testcheck.h"
#include "ls_i18n.h"
#include "ls_util.h"
#include "ls_yaml.h"
#include "ls_yread.h"

static const char *const hint_required =
    N_(" (a case gives every required value: in its 'data:', or in 'defaults:' for all cases of the file)");

void ls_test_opts_init(ls_test_opts *o)
{
    memset(o, 0, sizeof *o);
    o->min_coverage = -1;
}

/* ---- paths ------------------------------------------------------------------------ */

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

/* The *.test.yaml files under dir, in name order; hidden entries and
 * symbolic links to directories are skipped. */
static void find_tests(const char *dir, ls_strlist *out)
{
    DIR *d = opendir(dir);
    if (!d) return;
    ls_strlist names = {0};
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') ls_strlist_add(&names, e->d_name, strlen(e->d_name));
    closedir(d);
    qsort(names.v, names.n, sizeof *names.v, ls_cmp_str);
    for (size_t i = 0; i < names.n; i++) {
        char *p = strcmp(dir, ".") ? ls_format("%s%s%s", dir, ends_with(dir, "/") ? "" : "/", names.v[i])
                                   : ls_xstrdup(names.v[i]);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            find_tests(p, out);
            free(p);
        } else {
            if (ends_with(p, ".test.yaml") && !ls_strlist_has(out, p)) ls_strlist_add(out, p, strlen(p));
            free(p);
        }
    }
    ls_strlist_cleanup(&names);
}

/* ---- a case ----------------------------------------------------------------------- */

static void run_case(ls_testfile *F, const ls_ynode *cn, size_t index)
{
    ls_testrunner *R = F->R;
    ls_testcase C0, *C = &C0;
    ls_testcase_init(C, F, cn);
    ls_buf details;
    ls_buf_init(&details);
    C->out = &details;
    int expects_error = 0;
    int parsed = ls_testcase_parse(C, index) == 0;
    if (C->s && C->nunits) {
        /* also after mistakes elsewhere in the case: bad values are shown too */
        ls_values_node *layers = ls_xcalloc(2 * C->nunits + 1, sizeof *layers);
        for (size_t u = 0; u < C->nunits; u++) {
            if (C->rows[u] < 0) layers[2 * u] = (ls_values_node){F->defaults, F->defaults_path};
            layers[2 * u + 1] = (ls_values_node){C->given[u], F->path};
        }
        /* (after other mistakes, missing required values would only add noise) */
        C->d = ls_dataset_build(C->s, C->own == LS_CASE_BUILT ? NULL : F->data, C->rows, layers, 2, !parsed,
                                _(hint_required), &C->errs);
        free(layers);
    }
    if (C->d && parsed) {
        ls_score_opts so = {.keep_going = 1};
        C->shown = ls_xcalloc(C->nunits, 1);
        C->r = ls_score_run(C->s, C->d, C->b, &so, &C->rerrs);
        for (size_t i = 0; i < C->nx; i++) expects_error |= C->x[i].kind == LS_EXP_ERROR;
        if (C->r) {
            ls_testcheck_case(C);
        } else if (!C->rerrs.n) {
            ls_errorf(&C->rerrs, F->path, cn->line, cn->col, "scoring failed");
        }
    }
    int rule_errors = C->rerrs.nerrors && !expects_error;
    int failed = C->errs.n || !C->d || !C->r || C->nfail || rule_errors;
    if (failed) {
        F->failed++;
        ls_buf_printf(&F->out, _("  FAIL  %s  (%s:%d)\n"), C->name, F->path, cn->line);
        ls_testcheck_put_diags(&F->out, &C->errs, "    ", 1);
        if (rule_errors || (!C->r && C->rerrs.n)) {
            ls_buf_puts(&F->out, _("    a rule failed while scoring:\n"));
            ls_testcheck_put_diags(&F->out, &C->rerrs, "      ", 0);
        }
        if (details.n) ls_buf_add(&F->out, details.p, details.n);
    } else {
        F->passed++;
        if (R->o->verbose) ls_buf_printf(&F->out, _("  ok    %s\n"), C->name);
    }
    ls_testcase_cleanup(C);
    ls_buf_cleanup(&details);
}

/* ---- a test file ------------------------------------------------------------------ */

/* The file's `defaults:`, a mapping or the name of a YAML file holding one;
 * it must name indicators of the catalogue. */
static int load_defaults(ls_testfile *F, const ls_ynode *v, ls_errors *err)
{
    ls_yr fr = {F->path, err};
    F->defaults_path = F->path;
    if (v->kind == LS_YSCALAR) {
        char *path = ls_path_join(F->dir, v->str);
        if (access(path, R_OK) != 0) {
            ls_yr_error(&fr, v, "defaults file '%s' not found (looked for %s)", v->str, path);
            free(path);
            return -1;
        }
        int bad = ls_yaml_load(&F->defaults_doc, path, err);
        free(path);
        if (bad) return -1;
        F->defaults_path = F->defaults_doc.path;
        v = F->defaults_doc.root;
    }
    ls_yr rr = {F->defaults_path, err}, *r = &rr;
    const ls_ynode *d = F->defaults = v;
    if (ls_yr_expect_map(r, d, "'defaults' (indicator: value, for every made-up unit; or a file of them)"))
        return -1;
    if (!F->ts) return 0;
    int rc = 0;
    for (size_t i = 0; i < d->n; i++) {
        const ls_ynode *k = ls_ymap_key(d, i);
        if (ls_scheme_find_indicator(F->ts->s, k->str) >= 0) continue;
        const char *sug = ls_scheme_suggest_indicator(F->ts->s, k->str);
        if (sug) rc = ls_yr_error(r, k, "unknown indicator '%s' (did you mean '%s'?)", k->str, sug);
        else rc = ls_yr_error(r, k, "unknown indicator '%s': it is not in the scheme's catalogue", k->str);
    }
    return rc;
}

/* The file's 'data:' (v: one path or a list), relative to the test file:
 * each a data file or a folder of them, read as `run` reads its DATA
 * (ls_data_dir_files: the scheme kept in the folder is no data, and the
 * test file itself is no data either).  The data set in F->data, or NULL with errors in err. */
static ls_dataset *load_data(ls_testfile *F, ls_yr *r, const ls_ynode *v, ls_errors *err)
{
    size_t n = v->kind == LS_YSEQ ? v->n : 1, np = 0, cap = 0;
    char **paths = NULL;
    int bad = 0;
    /* nor is the test file, when it lies with its data */
    const char *const skip[] = {F->ts->path, F->path};
    for (size_t i = 0; i < n; i++) {
        const char *rel;
        const ls_ynode *it = v->kind == LS_YSEQ ? v->items[i] : v;
        if (ls_yr_text(r, it, "data", &rel)) {
            bad = 1;
            continue;
        }
        char *path = ls_path_join(F->dir, rel);
        struct stat st;
        char **f = NULL;
        size_t nf = 0;
        if (stat(path, &st) || access(path, R_OK)) {
            bad = ls_yr_error(r, it, "data file '%s' not found (looked for %s)", rel, path);
        } else if (!S_ISDIR(st.st_mode)) {
            LS_GROW(paths, np, cap, 8);
            paths[np++] = path;
            path = NULL;
        } else if (ls_data_dir_files(path, skip, 2, &f, &nf) || !nf) {
            bad = ls_yr_error(r, it, "data folder '%s' holds no data file to read (.xlsx, .xls, .csv, .yaml; looked in %s)",
                              rel, path);
        } else {
            for (size_t k = 0; k < nf; k++) {
                LS_GROW(paths, np, cap, 8);
                paths[np++] = f[k];
            }
        }
        free(f);
        free(path);
    }
    if (!bad) F->data = ls_dataset_load(F->ts->s, (const char *const *)paths, np, 1, err);
    for (size_t i = 0; i < np; i++) free(paths[i]);
    free(paths);
    return F->data;
}

/* Read the file's header (scheme, data, defaults, tolerance); its cases in
 * *cases.  0, or -1 with errors in err. */
static int file_header(ls_testfile *F, ls_errors *err, const ls_ynode **cases)
{
    ls_testrunner *R = F->R;
    ls_yr r = {F->path, err};
    if (ls_yaml_load(&F->doc, F->path, err)) return -1;
    const ls_ynode *root = F->doc.root, *v;
    if (ls_yr_expect_map(&r, root, "a test file (scheme, data, defaults, tolerance, cases)")) return -1;
    static const char *const keys[] = {"scheme", "data", "defaults", "tolerance", "cases", NULL};
    int rc = ls_yr_check_keys(&r, root, keys, "a test file");
    if ((v = ls_ymap_get(root, "scheme"))) {
        const char *rel;
        if (ls_yr_text(&r, v, "scheme", &rel)) return -1;
        char *path = ls_path_join(F->dir, rel);
        if (access(path, R_OK) != 0) {
            ls_yr_error(&r, v,
                        "scheme file '%s' not found (looked for %s; paths are relative to the test file)",
                        rel, path);
            free(path);
            return -1;
        }
        F->ts = ls_testscheme_get(R, path);
        free(path);
        if (!F->ts->s || !ls_testscheme_ready(R, F->ts)) {
            ls_yr_error(&r, v, "the scheme cannot be used: %s",
                        F->ts->s ? _("its rules have errors") : _("it has errors"));
            for (size_t i = 0; i < F->ts->errs.n; i++) {
                const ls_diag *d = &F->ts->errs.v[i];
                if (d->sev == LS_SEV_ERROR) ls_errorf(err, d->path, d->line, d->col, "%s", d->msg);
            }
            return -1;
        }
    }
    if ((v = ls_ymap_get(root, "data")) && !F->ts) {
        rc = ls_yr_error(&r, v, "'data' gives the data files of a scheme's registry: give 'scheme:' too");
    } else if (v && !load_data(F, &r, v, err)) {
        rc = -1;
    }
    if ((v = ls_ymap_get(root, "defaults")) && !ls_ynode_is_null(v) && load_defaults(F, v, err)) rc = -1;
    if ((v = ls_ymap_get(root, "tolerance"))) {
        if (ls_yr_number(&r, v, "tolerance", &F->tol)) rc = -1;
        else if (F->tol < 0) rc = ls_yr_error(&r, v, "'tolerance' must not be negative, found %s", v->str);
    }
    if (!(*cases = ls_yr_require(&r, root, "cases", "a test file"))) return -1;
    if (ls_yr_expect_seq(&r, *cases, "'cases' (a list of test cases)")) return -1;
    if ((*cases)->n == 0) return ls_yr_error(&r, *cases, "'cases' is empty");
    return rc;
}

static void run_file(ls_testrunner *R, const char *path, FILE *out)
{
    ls_testfile F0, *F = &F0;
    memset(F, 0, sizeof *F);
    F->R = R;
    F->path = path;
    F->dir = ls_dirname(path);
    ls_buf_init(&F->out);
    ls_errors err;
    ls_errors_init(&err);
    const ls_ynode *cases = NULL;
    if (file_header(F, &err, &cases)) {
        R->broken_files++;
        fprintf(out, _("%s: cannot run its cases\n"), path);
        ls_buf b;
        ls_buf_init(&b);
        ls_testcheck_put_diags(&b, &err, "  ", 0);
        if (b.n) fputs(b.p, out);
        ls_buf_cleanup(&b);
    } else {
        for (size_t i = 0; i < cases->n; i++) run_case(F, cases->items[i], i);
        if (F->failed) fprintf(out, _("%s: %zu passed, %zu failed\n"), path, F->passed, F->failed);
        else fprintf(out, _("%s: %zu passed\n"), path, F->passed);
        if (F->out.n) fputs(F->out.p, out);
        R->passed += F->passed;
        R->failed += F->failed;
    }
    ls_dataset_free(F->data);
    ls_yaml_cleanup(&F->defaults_doc);
    ls_yaml_cleanup(&F->doc);
    ls_errors_cleanup(&err);
    ls_buf_cleanup(&F->out);
    free(F->dir);
}

/* ---- coverage --------------------------------------------------------------------- */

static const char *pct_text(int ran, int code, char *buf, size_t size)
{
    /* rounded down, so that 99.96% never shows as 100.0% */
    double p = code ? floor(1000.0 * ran / code) / 10 : 100;
    snprintf(buf, size, "%.1f%%", p);
    return buf;
}

/* The missed lines of f as ranges: "4, 9-10". */
static void missed_ranges(const ls_covfile *f, ls_buf *b)
{
    for (int l = 1; l < f->nlines; l++) {
        if (!f->code[l] || f->hit[l]) continue;
        int e = l;
        while (e + 1 < f->nlines && f->code[e + 1] && !f->hit[e + 1]) e++;
        if (e > l) ls_buf_printf(b, "%s%d-%d", b->n ? ", " : "", l, e);
        else ls_buf_printf(b, "%s%d", b->n ? ", " : "", l);
        l = e;
    }
}

/* Print the coverage report; returns how many scripts are below the
 * minimum. */
static size_t coverage_report(ls_testrunner *R, FILE *out)
{
    const ls_coverage *c = &R->cov;
    double min = R->o->min_coverage;
    size_t below = 0;
    int tcode = 0, tran = 0;
    char pb[32];
    fprintf(out, _("\ncoverage of rule scripts (lines holding code that the cases ran):\n"));
    char **paths = ls_xcalloc(c->n + 1, sizeof *paths);
    for (size_t i = 0; i < c->n; i++) paths[i] = c->files[i].path;
    qsort(paths, c->n, sizeof *paths, ls_cmp_str);
    for (size_t k = 0; k < c->n; k++) {
        size_t i = (size_t)ls_coverage_find(c, paths[k]);
        const ls_covfile *f = &c->files[i];
        if (!f->lines_known) {
            fprintf(out, _("       ?  %s  (cannot tell which lines hold code)\n"), f->path);
            continue;
        }
        int code, ran;
        ls_coverage_count(c, i, &code, &ran);
        tcode += code;
        tran += ran;
        ls_buf m;
        ls_buf_init(&m);
        missed_ranges(f, &m);
        fprintf(out, _("  %6s  %s  (%d/%d lines%s%s)\n"), pct_text(ran, code, pb, sizeof pb), f->path, ran, code,
                m.n ? _("; not run: ") : "", m.n ? m.p : "");
        ls_buf_cleanup(&m);
        if (min >= 0 && (code ? 100.0 * ran / code : 100) < min) below++;
    }
    free(paths);
    if (!c->n) fprintf(out, _("  (no Lua rule script was bound)\n"));
    else fprintf(out, _("  %6s  total  (%d/%d lines)\n"), pct_text(tran, tcode, pb, sizeof pb), tran, tcode);
    for (size_t i = 0; i < R->plugins.n; i++)
        fprintf(out, _("  C plugin %s: coverage not applicable (compiled code is not traced; "
                       "its items are tested by the cases like any other)\n"),
                R->plugins.v[i]);
    if (below)
        fprintf(out, _("coverage below the minimum of %g%%: %zu script%s\n"), min, below, below == 1 ? "" : "s");
    return below;
}

/* ---- entry point ------------------------------------------------------------------ */

int ls_testrun(const ls_test_opts *o, FILE *out, ls_errors *err)
{
    ls_testrunner R0, *R = &R0;
    memset(R, 0, sizeof *R);
    R->o = o;
    R->cover = o->coverage || o->min_coverage >= 0;
    ls_coverage_init(&R->cov);
    ls_strlist files = {0};
    static const char *const here[] = {"."};
    const char *const *paths = o->npaths ? o->paths : here;
    size_t np = o->npaths ? o->npaths : 1;
    int rc = 0;
    for (size_t i = 0; i < np; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0) {
            rc = ls_errorf(err, paths[i], 0, 0, "cannot read: %s", strerror(errno));
        } else if (S_ISDIR(st.st_mode)) {
            size_t before = files.n;
            find_tests(paths[i], &files);
            if (files.n == before)
                rc = ls_errorf(err, paths[i], 0, 0, "no test files (*.test.yaml) in this directory");
        } else if (!ls_strlist_has(&files, paths[i])) {
            ls_strlist_add(&files, paths[i], strlen(paths[i]));
        }
    }
    if (rc) goto out;
    for (size_t i = 0; i < files.n; i++) run_file(R, files.v[i], out);
    size_t below = R->cover ? coverage_report(R, out) : 0;
    fprintf(out, _("%zu passed, %zu failed\n"), R->passed, R->failed + R->broken_files);
    rc = (int)(R->failed + R->broken_files + below);
out:
    for (size_t i = 0; i < R->nschemes; i++) ls_testscheme_free(R->schemes[i]);
    free(R->schemes);
    ls_strlist_cleanup(&R->plugins);
    ls_strlist_cleanup(&files);
    ls_coverage_cleanup(&R->cov);
    return rc;
}
