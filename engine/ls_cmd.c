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

#include "ls_backends.h"
#include "ls_data.h"
#include "ls_export_csv.h"
#include "ls_export_json.h"
#include "ls_guard.h"
#include "ls_i18n.h"
#include "ls_lint.h"
#include "ls_manifest.h"
#include "ls_outdir.h"
#include "ls_publish.h"
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
    if (d && !rc) {
        ls_print_summary(s, d, &b, out);
        ls_run *r = NULL;
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
        size_t before = err->nwarnings;
        rc = ls_lint(s, o->ndata ? d : NULL, &b, &so, r, err);
        ls_run_free(r);
        timer_lap(&tm, "lint");
        size_t n = err->nwarnings - before;
        if (!rc && o->strict && n)
            rc = ls_errorf(err, NULL, 0, 0, "%zu warning%s, and --strict fails on warnings", n,
                           n == 1 ? "" : "s");
    }
    timer_end(&tm, so.nextra + 1, err);
    free_extra(&so);
    ls_backends_cleanup(&b);
    ls_dataset_free(d);
    ls_scheme_free(s);
    return d && !rc ? LS_CMD_OK : LS_CMD_BAD_INPUT;
}

/* The manifest of run r (its inputs, the files the backends loaded, the
 * options that change results) and the result files, into o->outdir. */
static ls_cmd_status write_outputs(const ls_run *r, const ls_cmd_opts *o, const ls_backends *b,
                                   ls_publish_opts *po, ls_errors *err)
{
    ls_manifest *m = ls_manifest_new(r->scheme, r->data, err);
    if (!m || ls_manifest_add_loaded(m, b, err)) {
        if (po->items) ls_items_csv_finish(po->items, err);
        if (po->od) ls_outdir_abort(po->od);
        ls_manifest_free(m);
        return LS_CMD_BAD_OUTPUT;
    }
    ls_manifest_add_option(m, "keep_going", o->keep_going ? "true" : "false");
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", o->max_instructions);
    if (o->max_instructions) ls_manifest_add_option(m, "max_instructions", buf);
    snprintf(buf, sizeof buf, "%ld", o->max_memory_mb);
    if (o->max_memory_mb) ls_manifest_add_option(m, "max_memory_mb", buf);
    snprintf(buf, sizeof buf, "%g", o->max_seconds);
    if (o->max_seconds > 0) ls_manifest_add_option(m, "max_seconds", buf);
    ls_cmd_status rc = ls_publish(r, m, o->outdir, po, err) ? LS_CMD_BAD_OUTPUT : LS_CMD_OK;
    ls_manifest_free(m);
    return rc;
}

/* Everything `run` and `explain` share: the scheme s (already loaded),
 * its data, every rule bound, every unit scored.  NULL on failure, with
 * the errors in err; *d and b are the caller's to free either way. */
static void items_rows(void *ctx, const ls_run *view, size_t u0, size_t u1)
{
    ls_items_csv_rows(ctx, view, u0, u1);
}

/* With po (run): the output directory is opened once the inputs are good,
 * and items.csv is written while the units are scored.  *bad_output is
 * set when the directory cannot be opened. */
static ls_run *score_all(const ls_cmd_opts *o, const ls_scheme *s, ls_dataset **d, ls_backends *b,
                         timer *tm, ls_publish_opts *po, int *bad_output, ls_errors *err)
{
    ls_load_opts lo = {.strict = o->strict};
    *d = ls_dataset_load_opts(s, o->data, o->ndata, &lo, err);
    timer_lap(tm, "load");
    if (bind_rules(s, o, b, err) || !*d) return NULL;
    ls_score_opts so = {.keep_going = o->keep_going};
    ls_score_sink sink = {items_rows, NULL};
    if (po) {
        FILE *f = NULL;
        int csv = !po->formats || (po->formats & LS_OUT_CSV);
        po->od = ls_outdir_open(o->outdir, err);
        /* a plugin crashing from here on takes the unfinished output with it */
        if (po->od) ls_guard_set_cleanup(ls_outdir_emergency_cleanup);
        if (po->od && csv) f = ls_outdir_file(po->od, "items.csv", err);
        if (!po->od || (csv && !f)) {
            ls_outdir_abort(po->od);
            po->od = NULL;
            *bad_output = 1;
            return NULL;
        }
        if (csv) {
            po->items = ls_items_csv_start(f);
            sink.ctx = po->items;
            so.sink = &sink;
        }
    }
    bind_extra(s, o, &so);
    timer_lap(tm, "bind");
    ls_run *r = ls_score_run(s, *d, b, &so, err);
    if (!r && po) { /* nothing is published */
        ls_errors scratch;
        ls_errors_init(&scratch);
        ls_items_csv_finish(po->items, &scratch);
        ls_errors_cleanup(&scratch);
        ls_outdir_abort(po->od);
        po->od = NULL;
        po->items = NULL;
    }
    timer_lap(tm, "score");
    tm->jobs = so.nextra + 1;
    free_extra(&so);
    return r;
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
    ls_dataset *d = NULL;
    timer tm;
    timer_start(&tm, o);
    ls_publish_opts po = {.formats = o->formats, .all_sheets = o->all_sheets, .pretty = o->pretty};
    int bad_output = 0;
    ls_scheme *s = load_scheme(o, err);
    if (!s || !(r = score_all(o, s, &d, &b, &tm, &po, &bad_output, err))) {
        if (bad_output) rc = LS_CMD_BAD_OUTPUT;
        goto out;
    }
    ls_completeness c = ls_completeness_count(d, r);
    if (c.values)
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
    ls_run_free(r);
    ls_backends_cleanup(&b);
    ls_dataset_free(d);
    ls_scheme_free(s);
    return rc;
}

ls_cmd_status ls_cmd_explain(const ls_cmd_opts *o, FILE *out, ls_errors *err)
{
    ls_cmd_status rc = LS_CMD_BAD_INPUT;
    ls_backends b = {0};
    ls_run *r = NULL;
    ls_dataset *d = NULL;
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
    if (bad || !(r = score_all(o, s, &d, &b, &tm, NULL, NULL, err))) goto out;
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
    ls_run_free(r);
    ls_backends_cleanup(&b);
    ls_dataset_free(d);
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
    ls_template_opts to = {o->select_units, o->nselect_units, o->sources, o->nsources};
    int rc = ls_template_write(s, &to, o->outdir, err);
    if (!rc) fprintf(out, "wrote %s\n", o->outdir);
    ls_scheme_free(s);
    return rc ? LS_CMD_BAD_INPUT : LS_CMD_OK;
}
