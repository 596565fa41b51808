/*
 * ls_cmd.c - the commands' work: load, bind, score, write (see ls_cmd.h).
 */
#include "ls_cmd.h"

#include "ls_complete.h"
#include "ls_template.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ls_archive.h"
#include "ls_assessment.h"
#include "ls_backends.h"
#include "ls_compare.h"
#include "ls_compare_html.h"
#include "ls_data.h"
#include "ls_diff.h"
#include "ls_export_csv.h"
#include "ls_export_html.h"
#include "ls_export_json.h"
#include "ls_guard.h"
#include "ls_i18n.h"
#include "ls_lint.h"
#include "ls_manifest.h"
#include "ls_outdir.h"
#include "ls_publish.h"
#include "ls_results.h"
#include "ls_scheme.h"
#include "ls_scope.h"
#include "ls_score.h"
#include "ls_sheet.h"
#include "ls_summary.h"
#include "ls_table.h"
#include "ls_testrun.h"
#include "ls_util.h"

/* Bind every leaf's rule to its backend (compiling Lua scripts, loading
 * C plugins). */
static int bind_rules(const ls_scheme *s, const ls_cmd_opts *o, ls_backends *b, ls_errors *err)
{
    ls_bind_opts bo = {o->max_instructions, o->max_memory_mb << 20, o->plugin_paths,
                       o->nplugin_paths, NULL, o->max_seconds};
    return ls_backends_bind(b, s, &bo, err);
}

/* check: the self-assessment and adjustments files, if given (an appeal
 * is checked against the data d for staleness when there is data); a line
 * each on out (NULL: say nothing).  0, or -1 with the errors in err. */
static int check_year_files(const ls_scheme *s, const ls_dataset *d, const ls_cmd_opts *o, FILE *out,
                            ls_errors *err)
{
    int rc = 0;
    if (o->nself) {
        ls_selfscore *ss = ls_selfscore_load_files(s, o->self, o->nself, err);
        size_t n = 0;
        for (size_t u = 0; ss && u < s->nunits; u++) n += ss->given[u];
        if (!ss) rc = -1;
        else if (out) fprintf(out, _("self-assessment: %zu of %zu units (%s)\n"), n, s->nunits, ss->path);
        /* the units the office still has to chase */
        if (ss && out && n < s->nunits) {
            fprintf(out, "%s\n", _("  no self-assessment from:"));
            for (size_t u = 0; u < s->nunits; u++)
                if (!ss->given[u]) fprintf(out, "    %s %s\n", s->units[u].id, s->units[u].name);
        }
        ls_selfscore_free(ss);
    }
    if (o->nadjustments) {
        ls_adjustments *a = ls_adjustments_load_files(s, o->adjustments, o->nadjustments, err);
        ls_dataset *c = a && d && o->ndata ? ls_adjustments_apply(a, d, err) : NULL;
        size_t nd = 0;
        for (size_t i = 0; a && i < a->n; i++) nd += a->v[i].kind == LS_ADJ_DATA;
        if (!a || (d && o->ndata && !c)) rc = -1;
        else if (out)
            fprintf(out, _("adjustments: data corrections %zu, score decisions %zu (%s)\n"), nd, a->n - nd,
                    a->path);
        ls_dataset_free(c);
        ls_adjustments_free(a);
    }
    return rc;
}

/* The scheme, its files confined to its directory and --allow-dir. */
static ls_scheme *load_scheme(const ls_cmd_opts *o, ls_errors *err)
{
    ls_scope scope = {o->allow_dirs, o->nallow_dirs};
    return ls_scheme_load_scoped(o->scheme, &scope, err);
}

/* The scoring threads: --jobs, or the machine's cores. */
static size_t jobs_of(const ls_cmd_opts *o)
{
    if (o->jobs > 0) return (size_t)o->jobs;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 1 ? (n > 256 ? 256 : (size_t)n) : 1;
}

/* One more rule registry per scoring thread after the first, bound like
 * the first (which bound without error): each thread gets its own Lua
 * states and plugin states.  Should one fail to bind all the same (out of
 * memory), the run has fewer threads; the results are the same. */
static void bind_extra(const ls_scheme *s, const ls_cmd_opts *o, ls_score_opts *so)
{
    size_t want = jobs_of(o) - 1, n = 0;
    ls_backends *v = want ? ls_xcalloc(want, sizeof *v) : NULL;
    while (n < want) {
        ls_errors e;
        ls_errors_init(&e);
        int rc = bind_rules(s, o, &v[n], &e);
        ls_errors_cleanup(&e);
        if (rc) {
            ls_backends_cleanup(&v[n]);
            break;
        }
        n++;
    }
    so->extra = v;
    so->nextra = n;
}

static void free_extra(ls_score_opts *so)
{
    for (size_t i = 0; i < so->nextra; i++) ls_backends_cleanup(&so->extra[i]);
    free(so->extra);
    so->extra = NULL;
    so->nextra = 0;
}

/* --timings: the wall and CPU time of each phase, as one note. */
typedef struct timer {
    int on;
    size_t jobs;
    struct timespec t, cpu; /* wall, process CPU at the last lap */
    ls_buf text;
} timer;

static double seconds_since(const struct timespec *then, const struct timespec *now)
{
    return (double)(now->tv_sec - then->tv_sec) + (double)(now->tv_nsec - then->tv_nsec) / 1e9;
}

static void timer_start(timer *t, const ls_cmd_opts *o)
{
    memset(t, 0, sizeof *t);
    t->on = o->timings;
    ls_buf_init(&t->text);
    clock_gettime(CLOCK_MONOTONIC, &t->t);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t->cpu);
}

static void timer_lap(timer *t, const char *phase)
{
    if (!t->on) return;
    struct timespec now, cpu;
    clock_gettime(CLOCK_MONOTONIC, &now);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
    ls_buf_printf(&t->text, "%s%s %.3f s (cpu %.3f s)", t->text.n ? ", " : "", phase,
                  seconds_since(&t->t, &now), seconds_since(&t->cpu, &cpu));
    t->t = now;
    t->cpu = cpu;
}

static void timer_end(timer *t, size_t jobs, ls_errors *err)
{
    if (!jobs) jobs = t->jobs ? t->jobs : 1;
    if (t->on && t->text.n)
        ls_notef(err, NULL, 0, 0, "timings: %s (%zu scoring thread%s)", t->text.p, jobs,
                 jobs == 1 ? "" : "s");
    ls_buf_cleanup(&t->text);
}

ls_cmd_status ls_cmd_check(const ls_cmd_opts *o, FILE *out, ls_errors *err)
{
    timer tm;
    timer_start(&tm, o);
    ls_scheme *s = load_scheme(o, err);
    if (!s) return LS_CMD_BAD_INPUT;
    ls_load_opts lo = {.allow_missing = o->ndata == 0, .strict = o->strict};
    ls_dataset *d = ls_dataset_load_opts(s, o->data, o->ndata, &lo, err);
    timer_lap(&tm, "load");
    ls_backends b;
    ls_score_opts so = {.keep_going = 0};
    int rc = bind_rules(s, o, &b, err);
    if (d && !rc && o->ndata) bind_extra(s, o, &so);
    timer_lap(&tm, "bind");
    ls_run *r = NULL;
    if (d && !rc) {
        ls_print_summary(s, d, &b, out);
        if (o->ndata) {
            /* The data are scored once, as run would with --keep-going, for
             * everything check says of them: which items read a value the
             * data did not give (completeness) and what lint finds.  Quietly:
             * rule failures are lint's to report. */
            ls_errors quiet;
            ls_errors_init(&quiet);
            so.keep_going = 1;
            r = ls_score_run(s, d, &b, &so, &quiet);
            ls_errors_cleanup(&quiet);
            timer_lap(&tm, "score");
            ls_print_completeness(d, r, out);
        }
        rc = check_year_files(s, d, o, out, err);
    } else if (check_year_files(s, d, o, NULL, err)) {
        rc = -1;
    }
    if (d && !rc) {
        size_t before = err->nwarnings;
        rc = ls_lint(s, o->ndata ? d : NULL, &b, &so, r, err);
        timer_lap(&tm, "lint");
        size_t n = err->nwarnings - before;
        if (!rc && o->strict && n)
            rc = ls_errorf(err, NULL, 0, 0, "%zu warning%s, and --strict fails on warnings", n,
                           n == 1 ? "" : "s");
    }
    ls_run_free(r);
    timer_end(&tm, so.nextra + 1, err);
    free_extra(&so);
    ls_backends_cleanup(&b);
    ls_dataset_free(d);
    ls_scheme_free(s);
    return d && !rc ? LS_CMD_OK : LS_CMD_BAD_INPUT;
}

/* The manifest of run r: its inputs (the data as submitted, the
 * self-assessment and adjustments files), the files the backends loaded,
 * the options that change results.  NULL with an error. */
static ls_manifest *build_manifest(const ls_run *r, const ls_cmd_opts *o, const ls_backends *b,
                                   ls_errors *err)
{
    ls_manifest *m = ls_manifest_new(r->scheme, r->original ? r->original->data : r->data, err);
    if (!m) return NULL;
    int bad = 0;
    for (size_t i = 0; i < o->nself && !bad; i++) bad = ls_manifest_add_file(m, LS_MF_SELF, o->self[i], err);
    for (size_t i = 0; i < o->nadjustments && !bad; i++)
        bad = ls_manifest_add_file(m, LS_MF_ADJUST, o->adjustments[i], err);
    if (bad || ls_manifest_add_loaded(m, b, err)) {
        ls_manifest_free(m);
        return NULL;
    }
    ls_manifest_add_option(m, "keep_going", o->keep_going ? "true" : "false");
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", o->max_instructions);
    if (o->max_instructions) ls_manifest_add_option(m, "max_instructions", buf);
    snprintf(buf, sizeof buf, "%ld", o->max_memory_mb);
    if (o->max_memory_mb) ls_manifest_add_option(m, "max_memory_mb", buf);
    snprintf(buf, sizeof buf, "%g", o->max_seconds);
    if (o->max_seconds > 0) ls_manifest_add_option(m, "max_seconds", buf);
    return m;
}

/* The manifest and the result files of run r, into the output directory
 * po->od opened before scoring (with po->items, items.csv, under way). */
static ls_cmd_status write_outputs(const ls_run *r, const ls_cmd_opts *o, const ls_backends *b,
                                   ls_publish_opts *po, ls_errors *err)
{
    ls_manifest *m = build_manifest(r, o, b, err);
    if (!m) {
        if (po->items) ls_items_csv_finish(po->items, err);
        if (po->od) ls_outdir_abort(po->od);
        return LS_CMD_BAD_OUTPUT;
    }
    ls_cmd_status rc = ls_publish(r, m, o->outdir, po, err) ? LS_CMD_BAD_OUTPUT : LS_CMD_OK;
    ls_manifest_free(m);
    return rc;
}

static void items_rows(void *ctx, const ls_run *view, size_t u0, size_t u1)
{
    ls_items_csv_rows(ctx, view, u0, u1);
}

/* What run's outputs need before scoring (ls_assess_opts.prepare). */
typedef struct prep {
    const ls_cmd_opts *o;
    timer *tm;
    int loaded; /* the load phase has ended */
    ls_publish_opts *po;
    ls_score_opts *so;
    ls_score_sink sink;
    int has_self, adjusted;
    int *bad_output;
} prep;

/* The inputs are loaded and good: the end of the load phase (--timings);
 * for run, open the output directory, and items.csv to be written while
 * the units are scored. */
static int inputs_loaded(void *ctx, ls_errors *err)
{
    prep *p = ctx;
    timer_lap(p->tm, "load");
    p->loaded = 1;
    ls_publish_opts *po = p->po;
    if (!po) return 0;
    FILE *f = NULL;
    int csv = !po->formats || (po->formats & LS_OUT_CSV);
    po->od = ls_outdir_open(p->o->outdir, err);
    /* a plugin crashing from here on takes the unfinished output with it */
    if (po->od) ls_guard_set_cleanup(ls_outdir_emergency_cleanup);
    if (po->od && csv) f = ls_outdir_file(po->od, ls_items_csv_name(po->items_form), err);
    if (!po->od || (csv && !f)) {
        ls_outdir_abort(po->od);
        po->od = NULL;
        *p->bad_output = 1;
        return -1;
    }
    if (csv) {
        po->items = ls_items_csv_start(f, p->has_self, p->adjusted, po->items_form);
        p->sink.ctx = po->items;
        p->so->sink = &p->sink;
    }
    return 0;
}

/* Everything `run`, `explain` and `publish` share: the scheme s (already
 * loaded), its data, self-scores and appeals, every rule bound, every unit
 * scored (before and after the appeals).  The run, or NULL with the
 * errors in err; a and b are the caller's to clean up either way.
 * With po (run): the output directory is opened once the inputs are good,
 * and items.csv is written while the units are scored; *bad_output is set
 * when the directory cannot be opened. */
static ls_run *score_all(const ls_cmd_opts *o, const ls_scheme *s, ls_assessment *a, ls_backends *b,
                         timer *tm, ls_publish_opts *po, int *bad_output, ls_errors *err)
{
    memset(a, 0, sizeof *a);
    if (bind_rules(s, o, b, err)) {
        /* the data's errors are still worth knowing */
        ls_load_opts lo = {.strict = o->strict};
        ls_dataset_free(ls_dataset_load_opts(s, o->data, o->ndata, &lo, err));
        return NULL;
    }
    ls_score_opts so = {.keep_going = o->keep_going};
    bind_extra(s, o, &so);
    timer_lap(tm, "bind");
    prep p = {o, tm, 0, po, &so, {items_rows, NULL}, o->nself > 0, o->nadjustments > 0, bad_output};
    ls_assess_opts ao = {o->data, o->ndata, o->self, o->nself, o->adjustments, o->nadjustments, o->keep_going,
                         o->strict, &so, inputs_loaded, &p};
    int rc = ls_assess(a, s, b, &ao, err);
    if (rc && po && po->od) { /* nothing is published */
        ls_errors scratch;
        ls_errors_init(&scratch);
        ls_items_csv_finish(po->items, &scratch);
        ls_errors_cleanup(&scratch);
        ls_outdir_abort(po->od);
        po->od = NULL;
        po->items = NULL;
    }
    timer_lap(tm, p.loaded ? "score" : "load");
    tm->jobs = so.nextra + 1;
    free_extra(&so);
    return rc ? NULL : a->run;
}

/* Rule errors under --keep-going: noted after them, and the status. */
static ls_cmd_status note_rule_errors(const ls_run *r, const char *where, ls_errors *err)
{
    if (!r->nerrors) return LS_CMD_OK;
    ls_notef(err, NULL, 0, 0, "%zu rule error%s: the affected cells are marked in %s", r->nerrors,
             r->nerrors == 1 ? "" : "s", where);
    return LS_CMD_BAD_INPUT;
}

ls_cmd_status ls_cmd_run(const ls_cmd_opts *o, FILE *out, ls_errors *err)
{
    ls_cmd_status rc = LS_CMD_BAD_INPUT;
    ls_backends b = {0};
    ls_run *r = NULL;
    ls_assessment a = {0};
    timer tm;
    timer_start(&tm, o);
    ls_publish_opts po = {.formats = o->formats,
                          .all_sheets = o->all_sheets,
                          .pretty = o->pretty,
                          .items_form = o->items_form};
    int bad_output = 0;
    ls_scheme *s = load_scheme(o, err);
    /* items.csv's form, known before it is written beside the scoring */
    if (s)
        po.items_form = ls_items_form_for(o->items_form, s->nunits, s->nnodes,
                                          !o->formats || (o->formats & LS_OUT_JSON));
    if (!s || !(r = score_all(o, s, &a, &b, &tm, &po, &bad_output, err))) {
        if (bad_output) rc = LS_CMD_BAD_OUTPUT;
        goto out;
    }
    /* the data as submitted: what the units did not give (-q: the
     * 缺报 sheet and `check` still list it) */
    ls_completeness c = ls_completeness_count(a.data, r->original ? r->original : r);
    if (c.values && !o->quiet)
        ls_notef(err, NULL, 0, 0, "%zu indicator value%s not given (defaults used) in %zu unit%s, read by %zu "
                                  "item score%s: `lawscore check` lists them",
                 c.values, c.values == 1 ? "" : "s", c.units,
                 c.units == 1 ? "" : "s", c.items, c.items == 1 ? "" : "s");
    /* The ranking only once the results are published: a ranking on
     * screen with no files behind it would be taken for the outcome. */
    rc = write_outputs(r, o, &b, &po, err);
    timer_lap(&tm, "write");
    if (rc == LS_CMD_OK && !o->quiet) ls_print_ranking(r, out);
    if (rc == LS_CMD_OK) rc = note_rule_errors(r, _("the results"), err);
out:
    timer_end(&tm, 0, err);
    ls_assessment_cleanup(&a);
    ls_backends_cleanup(&b);
    ls_scheme_free(s);
    return rc;
}

ls_cmd_status ls_cmd_explain(const ls_cmd_opts *o, FILE *out, ls_errors *err)
{
    ls_cmd_status rc = LS_CMD_BAD_INPUT;
    ls_backends b = {0};
    ls_run *r = NULL;
    ls_assessment a = {0};
    size_t *units = ls_xcalloc(o->nunits ? o->nunits : 1, sizeof *units);
    timer tm;
    timer_start(&tm, o);
    ls_scheme *s = load_scheme(o, err);
    if (!s) goto out;
    int bad = 0;
    for (size_t i = 0; i < o->nunits; i++) {
        int u = ls_sheet_find_unit(s, o->units[i], err);
        if (u < 0) bad = 1;
        else units[i] = (size_t)u;
    }
    if (bad || !(r = score_all(o, s, &a, &b, &tm, NULL, NULL, err))) goto out;
    rc = LS_CMD_OK;
    if (o->json) {
        if (ls_write_json_units(r, units, o->nunits, out, err)) rc = LS_CMD_BAD_OUTPUT;
    } else {
        for (size_t i = 0; i < o->nunits && rc == LS_CMD_OK; i++) {
            if (i) putc('\n', out);
            if (ls_write_unit_sheet(r, units[i], out, err)) rc = LS_CMD_BAD_OUTPUT;
        }
    }
    if (rc == LS_CMD_OK) rc = note_rule_errors(r, _("the score sheet"), err);
    timer_lap(&tm, "write");
out:
    timer_end(&tm, 0, err);
    ls_assessment_cleanup(&a);
    ls_backends_cleanup(&b);
    ls_scheme_free(s);
    free(units);
    return rc;
}

ls_cmd_status ls_cmd_test(const ls_cmd_opts *o, FILE *out, ls_errors *err)
{
    ls_test_opts t;
    ls_test_opts_init(&t);
    t.paths = o->data;
    t.npaths = o->ndata;
    t.verbose = o->verbose;
    t.coverage = o->coverage;
    t.min_coverage = o->min_coverage;
    t.plugin_paths = o->plugin_paths;
    t.nplugin_paths = o->nplugin_paths;
    t.max_instructions = o->max_instructions;
    t.max_memory_mb = o->max_memory_mb;
    t.allow_dirs = o->allow_dirs;
    t.nallow_dirs = o->nallow_dirs;
    t.max_seconds = o->max_seconds;
    return ls_testrun(&t, out, err) != 0 ? LS_CMD_BAD_INPUT : LS_CMD_OK;
}

ls_cmd_status ls_cmd_template(const ls_cmd_opts *o, FILE *out, ls_errors *err)
{
    ls_scheme *s = ls_scheme_load(o->scheme, err);
    if (!s) return LS_CMD_BAD_INPUT;
    ls_template_opts to = {o->select_units, o->nselect_units, o->sources, o->nsources,
                           o->form == 1   ? LS_FORM_SELF
                           : o->form == 2 ? LS_FORM_ADJUSTMENTS
                                          : LS_FORM_DATA};
    int rc = ls_template_write(s, &to, o->outdir, err);
    if (!rc) fprintf(out, "wrote %s\n", o->outdir);
    ls_scheme_free(s);
    return rc ? LS_CMD_BAD_INPUT : LS_CMD_OK;
}

/* ---- the year's workflow -------------------------------------------- */

/* A fresh private directory for outputs that only go into the archive;
 * NULL with an error. */
static char *temp_outdir(ls_errors *err)
{
    const char *tmp = getenv("TMPDIR");
    char *t = ls_format("%s/lawscore-publish-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(t)) {
        ls_errorf(err, t, 0, 0, "cannot create a temporary directory: %s", strerror(errno));
        free(t);
        return NULL;
    }
    return t;
}

/* Remove a temporary directory we made, with everything under it
 * (symbolic links are removed, not followed). */
static void remove_outdir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char *p = ls_path_join(dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) remove_outdir(p);
        else unlink(p);
        free(p);
    }
    if (d) closedir(d);
    rmdir(dir);
}

/* A re-publication that leaves out appeal decisions or self-assessments
 * of the version it replaces undoes them: refused, unless --withdraw says
 * so (then a warning names them).  A re-publication of the very same
 * inputs is said (a warning).  0, or -1 with the errors in err. */
static int check_withdrawn(ls_archive *ar, const ls_run *r, const ls_manifest *m, const ls_cmd_opts *o,
                           ls_errors *err)
{
    ls_withdrawn w;
    int rc = ls_archive_withdrawn(ar, r, m, &w, err);
    if (!rc && w.same)
        ls_warnf(err, o->archive, 0, 0,
                 "version %ld has the same input files: this publication repeats it (same inputs, same results)",
                 w.parent);
    if (!rc && w.ndecisions) {
        if (o->withdraw)
            ls_warnf(err, o->archive, 0, 0, "withdrawn: %zu appeal decisions of version %ld: %s", w.ndecisions,
                     w.parent, w.decisions.p);
        else
            rc = ls_errorf(err, o->archive, 0, 0,
                           "version %ld has %zu appeal decisions this publication leaves out: %s; give every "
                           "--adjustments file again (or --withdraw to withdraw them)",
                           w.parent, w.ndecisions, w.decisions.p);
    }
    if (w.nunits) {
        if (o->withdraw)
            ls_warnf(err, o->archive, 0, 0, "withdrawn: the self-assessments of %zu units of version %ld: %s",
                     w.nunits, w.parent, w.units.p);
        else
            rc = ls_errorf(err, o->archive, 0, 0,
                           "version %ld has the self-assessments of %zu units this publication leaves out: %s; "
                           "give every --self file again (or --withdraw to withdraw them)",
                           w.parent, w.nunits, w.units.p);
    }
    ls_withdrawn_cleanup(&w);
    return rc;
}

ls_cmd_status ls_cmd_publish(const ls_cmd_opts *o, FILE *out, ls_errors *err)
{
    ls_cmd_status rc = LS_CMD_BAD_INPUT;
    ls_backends b = {0};
    ls_run *r = NULL;
    ls_assessment a = {0};
    ls_manifest *m = NULL;
    ls_archive *ar = NULL;
    char *tmp = NULL;
    timer tm;
    timer_start(&tm, o);
    ls_scheme *s = load_scheme(o, err);
    /* a foreign or damaged archive is refused before any work */
    if (!s || !(ar = ls_archive_open(o->archive, 1, err)) ||
        !(r = score_all(o, s, &a, &b, &tm, NULL, NULL, err)))
        goto out;
    rc = LS_CMD_BAD_OUTPUT;
    if (!(m = build_manifest(r, o, &b, err))) goto out;
    rc = LS_CMD_BAD_INPUT;
    if (check_withdrawn(ar, r, m, o, err)) goto out;
    rc = LS_CMD_BAD_OUTPUT;
    /* The files are written where only the archive reads them; -o DIR
     * gets them from the archive once the version is stored, so that an
     * archive that refuses the version leaves DIR as it was. */
    if (o->outdir_given && ls_outdir_check(o->outdir, err)) goto out;
    const char *dir = tmp = temp_outdir(err);
    ls_publish_opts po = {.formats = o->formats, .all_sheets = o->all_sheets, .pretty = o->pretty};
    if (!dir || ls_publish(r, m, dir, &po, err)) goto out;
    if (!o->quiet) ls_print_ranking(r, out);
    ls_publication p = {o->label, m, dir, r};
    long v, parent;
    if (ls_archive_publish(ar, &p, &v, &parent, err)) goto out;
    if (o->outdir_given && ls_archive_export(ar, v, o->outdir, err)) {
        ls_notef(err, o->archive, 0, 0, "version %ld was published; to write its files: lawscore export --archive %s --version %ld -o %s",
                 v, o->archive, v, o->outdir);
        goto out;
    }
    if (parent)
        fprintf(out, _("%s: published version %ld (%d, a re-publication of version %ld): %s\n"), o->archive, v,
                s->year, parent, o->label);
    else
        fprintf(out, _("%s: published version %ld (%d): %s\n"), o->archive, v, s->year, o->label);
    /* an office that began with the old release keeps paying format 1's size until it upgrades */
    if (ls_archive_format(ar) == 1)
        ls_notef(err, o->archive, 0, 0,
                 "the archive is of format 1, so this version was stored in format 1 too, which takes "
                 "ten times the space of format 2; to convert the archive: lawscore upgrade --archive %s",
                 o->archive);
    rc = note_rule_errors(r, "the results", err);
out:
    timer_end(&tm, 0, err);
    if (tmp) remove_outdir(tmp);
    free(tmp);
    ls_archive_close(ar);
    ls_manifest_free(m);
    ls_assessment_cleanup(&a);
    ls_backends_cleanup(&b);
    ls_scheme_free(s);
    return rc;
}

/* history --version: an appeal's indicator or item by its name in the
 * version's scheme. */
typedef struct namer {
    const ls_scheme *s;
    char *item; /* the last item's "序号 name" */
} namer;

static const char *scheme_name(void *ctx, int item, const char *id)
{
    namer *n = ctx;
    const ls_scheme *s = n->s;
    if (!item) {
        int i = ls_scheme_find_indicator(s, id);
        return i >= 0 ? s->inds[i].name : NULL;
    }
    int k = ls_scheme_find_node(s, id);
    if (k < 0) return NULL;
    free(n->item);
    n->item = ls_format("%s %s", s->nodes[k].number, s->nodes[k].name);
    return n->item;
}

/* A version's input files, written from the archive into a temporary
 * directory to be loaded from there. */
typedef struct extracted {
    char *dir, *scheme;
    char **data, **adj;
    size_t ndata, nadj;
} extracted;

/* Write version v's inputs into x (cleaned up with extracted_cleanup
 * whatever the outcome).  0, or -1 with an error in e. */
static int extracted_write(ls_archive *ar, long v, extracted *x, ls_errors *e)
{
    memset(x, 0, sizeof *x);
    x->dir = temp_outdir(e);
    return !x->dir || ls_archive_extract_inputs(ar, v, x->dir, &x->scheme, &x->data, &x->ndata, &x->adj, &x->nadj, e)
               ? -1
               : 0;
}

static void extracted_cleanup(extracted *x)
{
    if (x->dir) remove_outdir(x->dir);
    free(x->dir);
    free(x->scheme);
    for (size_t i = 0; i < x->nadj; i++) free(x->adj[i]);
    free(x->adj);
    for (size_t i = 0; i < x->ndata; i++) free(x->data[i]);
    free(x->data);
}

/* Version v's scheme from the archive, or NULL when it cannot be read:
 * then history shows ids. */
static ls_scheme *archived_scheme(ls_archive *ar, long v)
{
    ls_errors e;
    ls_errors_init(&e);
    extracted x;
    ls_scheme *s = extracted_write(ar, v, &x, &e) ? NULL : ls_scheme_load(x.scheme, &e);
    extracted_cleanup(&x);
    ls_errors_cleanup(&e);
    return s;
}

ls_cmd_status ls_cmd_history(const ls_cmd_opts *o, FILE *out, ls_errors *err)
{
    ls_archive *ar = ls_archive_open(o->archive, 0, err);
    if (!ar) return LS_CMD_BAD_INPUT;
    namer n = {o->version ? archived_scheme(ar, o->version) : NULL, NULL};
    int bad = o->version ? ls_archive_show(ar, o->version, n.s ? scheme_name : NULL, &n, out, err)
                         : ls_archive_history(ar, out, err);
    free(n.item);
    ls_scheme_free((ls_scheme *)n.s);
    ls_cmd_status rc = bad ? LS_CMD_BAD_INPUT : LS_CMD_OK;
    ls_archive_close(ar);
    return rc;
}

ls_cmd_status ls_cmd_export(const ls_cmd_opts *o, FILE *out, ls_errors *err)
{
    ls_archive *ar = ls_archive_open(o->archive, 0, err);
    if (!ar) return LS_CMD_BAD_INPUT;
    ls_cmd_status rc = ls_archive_export(ar, o->version, o->outdir, err) ? LS_CMD_BAD_INPUT : LS_CMD_OK;
    ls_archive_close(ar);
    return rc;
}

/* Version v's results.json, parsed.  NULL with an error. */
static ls_results *version_results(ls_archive *ar, long v, ls_errors *err)
{
    int year;
    char *label = NULL, *buf = NULL;
    size_t len;
    ls_results *r = NULL;
    if (!ls_archive_version_info(ar, v, &year, &label, err) &&
        !ls_archive_output(ar, v, "results.json", &buf, &len, err)) {
        char *source = ls_format("版本%ld（%s）", v, label);
        r = ls_results_parse(buf, len, source, err);
        free(source);
    }
    free(label);
    free(buf);
    return r;
}

/* The published result `what` names: a version number of the archive ar,
 * or (ar NULL) a result directory.  NULL with an error. */
static ls_results *load_results(ls_archive *ar, const char *archive, const char *what, ls_errors *err)
{
    if (!ar) return ls_results_load(what, err);
    char *end;
    long v = strtol(what, &end, 10);
    if (!*what || *end || v < 1) {
        ls_errorf(err, NULL, 0, 0, "expected a version number of %s (see lawscore history), found '%s'", archive,
                  what);
        return NULL;
    }
    return version_results(ar, v, err);
}

/* Where diff and compare write: out, or with -o the file o->outdir,
 * written beside it and renamed over it, so it is whole or absent. */
typedef struct output {
    FILE *f;
    char *tmp; /* NULL: writing to out */
} output;

/* 0, or -1 with an error naming the file and `what` is written. */
static int output_open(const ls_cmd_opts *o, FILE *out, output *to, const char *what, ls_errors *err)
{
    *to = (output){out, NULL};
    if (!o->outdir_given) return 0;
    to->tmp = ls_format("%s.tmp%ld", o->outdir, (long)getpid());
    if ((to->f = fopen(to->tmp, "wb"))) return 0;
    ls_errorf(err, o->outdir, 0, 0, "cannot write %s: %s", what, strerror(errno));
    free(to->tmp);
    return -1;
}

/* Finish writing: with -o, close and rename into place, or remove the
 * partial file when writing failed (bad) or closing does.  0, or -1. */
static int output_close(const ls_cmd_opts *o, output *to, int bad, const char *what, ls_errors *err)
{
    if (!to->tmp) return bad ? -1 : 0;
    if (fclose(to->f) != 0 && !bad) bad = ls_errorf(err, o->outdir, 0, 0, "cannot write %s: %s", what, strerror(errno)) < 0;
    if (!bad && rename(to->tmp, o->outdir) != 0)
        bad = ls_errorf(err, o->outdir, 0, 0, "cannot write %s: %s", what, strerror(errno)) < 0;
    if (bad) unlink(to->tmp);
    free(to->tmp);
    return bad ? -1 : 0;
}

ls_cmd_status ls_cmd_diff(const ls_cmd_opts *o, FILE *out, ls_errors *err)
{
    ls_archive *ar = NULL;
    if (o->archive && !(ar = ls_archive_open(o->archive, 0, err))) return LS_CMD_BAD_INPUT;
    ls_results *a = load_results(ar, o->archive, o->data[0], err);
    ls_results *b = load_results(ar, o->archive, o->data[1], err);
    ls_cmd_status rc = LS_CMD_BAD_INPUT;
    output to;
    if (a && b && !output_open(o, out, &to, "the differences", err)) {
        int bad = o->html ? ls_write_html_diff(a, b, to.f, err) < 0 : ls_diff_write(a, b, o->csv, to.f, err) < 0;
        rc = output_close(o, &to, bad, "the differences", err) ? LS_CMD_BAD_OUTPUT : LS_CMD_OK;
    } else if (a && b) {
        rc = LS_CMD_BAD_OUTPUT;
    }
    ls_results_free(a);
    ls_results_free(b);
    ls_archive_close(ar);
    return rc;
}

/* What compare scores again from a version's archived inputs: its
 * scheme, its data as corrected on appeal, the rules bound, the data
 * scored and the run. */
typedef struct rescore {
    ls_scheme *s;
    ls_dataset *d, *mixed; /* mixed: the later data for the earlier scheme */
    ls_adjustments *adj;   /* the version's appeals; NULL: none */
    ls_backends bk;
    ls_run *r;
} rescore;

static void rescore_cleanup(rescore *x)
{
    ls_run_free(x->r);
    ls_backends_cleanup(&x->bk);
    ls_dataset_free(x->mixed);
    ls_dataset_free(x->d);
    ls_adjustments_free(x->adj);
    ls_scheme_free(x->s);
}

/* Load version v's scheme and data from the archive into x, the data as
 * published: with its appeals' data corrections applied (x->adj keeps
 * the appeals), and bind its rules.  0, or -1 with the reason in *why
 * (caller frees). */
static int rescore_load(const ls_cmd_opts *o, ls_archive *ar, long v, rescore *x, char **why)
{
    ls_errors e;
    ls_errors_init(&e);
    extracted in;
    int rc = -1;
    if (extracted_write(ar, v, &in, &e)) goto out;
    if (!(x->s = ls_scheme_load(in.scheme, &e))) goto out;
    if (!(x->d = ls_dataset_load(x->s, (const char *const *)in.data, in.ndata, 0, &e))) goto out;
    if (in.nadj) {
        x->adj = ls_adjustments_load_files(x->s, (const char *const *)in.adj, in.nadj, &e);
        ls_dataset *c = x->adj ? ls_adjustments_apply(x->adj, x->d, &e) : NULL;
        if (!c) goto out;
        ls_dataset_free(x->d);
        x->d = c;
    }
    if (bind_rules(x->s, o, &x->bk, &e)) goto out;
    rc = 0;
out:
    if (rc) *why = e.n ? ls_diag_format(&e.v[0]) : ls_xstrdup("the scheme could not be loaded");
    extracted_cleanup(&in);
    ls_errors_cleanup(&e);
    return rc;
}

/* Score x's data (or, when given, `d`) with every rule, rule errors
 * marked; without score decisions.  0, or -1 with the reason in *why. */
static int rescore_run(rescore *x, const ls_dataset *d, char **why)
{
    ls_errors e;
    ls_errors_init(&e);
    ls_score_opts so = {.keep_going = 1};
    x->r = ls_score_run(x->s, d ? d : x->d, &x->bk, &so, &e);
    if (!x->r) *why = e.n ? ls_diag_format(&e.v[0]) : ls_xstrdup("the data could not be scored");
    ls_errors_cleanup(&e);
    return x->r ? 0 : -1;
}

/* The attribution run: the earlier year's scheme and data from the
 * archive (version va, its score decisions not carried over: they were
 * about that year's data), scoring the later year's data (b).  -1 when
 * it cannot be made, with the reason in *why — the comparison goes on
 * without it. */
static int attribution_run(const ls_cmd_opts *o, ls_archive *ar, long va, const ls_results *a,
                           const ls_results *b, rescore *x, ls_buf *missing, char **why)
{
    if (rescore_load(o, ar, va, x, why)) return -1;
    ls_errors e;
    ls_errors_init(&e);
    x->mixed = ls_compare_dataset(x->s, x->d, a, b, missing, &e);
    if (!x->mixed) *why = e.n ? ls_diag_format(&e.v[0]) : ls_xstrdup("the later data could not be carried over");
    ls_errors_cleanup(&e);
    return x->mixed ? rescore_run(x, x->mixed, why) : -1;
}

/* The later year (version vb) scored without its score decisions: what
 * its units would have had from the rules alone, its data corrections
 * kept (they are data).  Made only when b has score decisions. */
static int undecided_run(const ls_cmd_opts *o, ls_archive *ar, long vb, const ls_results *b, rescore *x,
                         char **why)
{
    size_t n = 0;
    for (size_t i = 0; i < b->nadj; i++) n += !strcmp(b->adj[i].kind, "score");
    if (!n) return 0;
    return rescore_load(o, ar, vb, x, why) ? -1 : rescore_run(x, NULL, why);
}

ls_cmd_status ls_cmd_compare(const ls_cmd_opts *o, FILE *out, ls_errors *err)
{
    int years[2];
    for (int i = 0; i < 2; i++) {
        char *end;
        long y = strtol(o->data[i], &end, 10);
        if (!*o->data[i] || *end || y < 1949 || y > 2200)
            return ls_errorf(err, NULL, 0, 0, "expected a year (such as 2018), found '%s'", o->data[i]),
                   LS_CMD_BAD_INPUT;
        years[i] = (int)y;
    }
    /* compare 2018 2017 would read every change backwards (上升 for a
     * fall, the earlier year's data scored under the later scheme): an
     * office that typed the years the other way round means the change
     * from the earlier year to the later one */
    if (years[0] > years[1])
        return ls_errorf(err, NULL, 0, 0,
                         "the years are in reverse order: compare shows the change from the earlier year to the "
                         "later one; give %d %d",
                         years[1], years[0]),
               LS_CMD_BAD_INPUT;
    if (years[0] == years[1])
        return ls_errorf(err, NULL, 0, 0,
                         "compare takes two years, found %d twice; the versions of one year are compared with "
                         "lawscore diff --archive %s N M (see lawscore history)",
                         years[0], o->archive),
               LS_CMD_BAD_INPUT;
    ls_archive *ar = ls_archive_open(o->archive, 0, err);
    if (!ar) return LS_CMD_BAD_INPUT;
    ls_cmd_status rc = LS_CMD_BAD_INPUT;
    long va, vb;
    ls_results *a = NULL, *b = NULL;
    rescore mix = {0}, und = {0};
    char *why = NULL, *why_review = NULL;
    ls_buf missing;
    ls_buf_init(&missing);
    if (ls_archive_latest(ar, years[0], &va, err) | ls_archive_latest(ar, years[1], &vb, err)) goto out;
    if (!(a = version_results(ar, va, err)) || !(b = version_results(ar, vb, err))) goto out;
    attribution_run(o, ar, va, a, b, &mix, &missing, &why);
    undecided_run(o, ar, vb, b, &und, &why_review);
    ls_compare_in in = {a, b, mix.r, missing.p, why, und.r, why_review};
    output to;
    rc = LS_CMD_BAD_OUTPUT;
    if (!output_open(o, out, &to, "the comparison", err)) {
        int bad = o->html ? ls_compare_write_html(&in, to.f, err) : ls_compare_write(&in, o->csv, to.f, err);
        if (!output_close(o, &to, bad, "the comparison", err)) rc = LS_CMD_OK;
    }
out:
    free(why);
    free(why_review);
    ls_buf_cleanup(&missing);
    rescore_cleanup(&mix);
    rescore_cleanup(&und);
    ls_results_free(a);
    ls_results_free(b);
    ls_archive_close(ar);
    return rc;
}

/* A file's size for people: "21.4 MB". */
static void print_size(FILE *out, long long bytes)
{
    fprintf(out, "%lld.%lld MB", (bytes + 50000) / 1000000, (bytes + 50000) / 100000 % 10);
}

ls_cmd_status ls_cmd_upgrade(const ls_cmd_opts *o, FILE *out, ls_errors *err)
{
    ls_upgrade u;
    if (ls_archive_upgrade(o->archive, !o->no_backup, &u, err)) return LS_CMD_BAD_INPUT;
    if (u.format != 1) {
        ls_notef(err, o->archive, 0, 0, "the archive is of format %d already: nothing to upgrade", u.format);
    } else {
        fprintf(out, _("%s: upgraded from archive format 1 to format 2: %ld versions, %ld stored files checked by "
                       "their SHA-256; "),
                o->archive, u.versions, u.files);
        print_size(out, u.size_before);
        fputs(" → ", out);
        print_size(out, u.size_after);
        if (u.backup) fprintf(out, _("; the archive as it was kept as %s\n"), u.backup);
        else fputs("\n", out);
    }
    ls_upgrade_cleanup(&u);
    return LS_CMD_OK;
}
