/*
 * ls_cmd.c - the commands' work: load, bind, score, write (see ls_cmd.h).
 */
#include "ls_cmd.h"

#include "ls_complete.h"
#include "ls_template.h"

#include <stdlib.h>
#include <string.h>

#include "ls_backends.h"
#include "ls_data.h"
#include "ls_export_json.h"
#include "ls_i18n.h"
#include "ls_lint.h"
#include "ls_manifest.h"
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

ls_cmd_status ls_cmd_check(const ls_cmd_opts *o, FILE *out, ls_errors *err)
{
    ls_scheme *s = load_scheme(o, err);
    if (!s) return LS_CMD_BAD_INPUT;
    ls_load_opts lo = {.allow_missing = o->ndata == 0, .strict = o->strict};
    ls_dataset *d = ls_dataset_load_opts(s, o->data, o->ndata, &lo, err);
    ls_backends b;
    int rc = bind_rules(s, o, &b, err);
    if (d && !rc) {
        ls_print_summary(s, d, &b, out);
        if (o->ndata) {
            /* which items read a value the data did not give: score once,
             * quietly (rule failures are lint's to report) */
            ls_errors quiet;
            ls_errors_init(&quiet);
            ls_score_opts so = {1};
            ls_run *r = ls_score_run(s, d, &b, &so, &quiet);
            ls_print_completeness(d, r, out);
            ls_run_free(r);
            ls_errors_cleanup(&quiet);
        }
        size_t before = err->nwarnings;
        rc = ls_lint(s, o->ndata ? d : NULL, &b, err);
        size_t n = err->nwarnings - before;
        if (!rc && o->strict && n)
            rc = ls_errorf(err, NULL, 0, 0, "%zu warning%s, and --strict fails on warnings", n,
                           n == 1 ? "" : "s");
    }
    ls_backends_cleanup(&b);
    ls_dataset_free(d);
    ls_scheme_free(s);
    return d && !rc ? LS_CMD_OK : LS_CMD_BAD_INPUT;
}

/* The manifest of run r (its inputs, the files the backends loaded, the
 * options that change results) and the result files, into o->outdir. */
static ls_cmd_status write_outputs(const ls_run *r, const ls_cmd_opts *o, const ls_backends *b,
                                   ls_errors *err)
{
    ls_manifest *m = ls_manifest_new(r->scheme, r->data, err);
    if (!m) return LS_CMD_BAD_OUTPUT;
    if (ls_manifest_add_loaded(m, b, err)) {
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
    ls_publish_opts po = {o->formats, o->all_sheets, 0};
    ls_cmd_status rc = ls_publish(r, m, o->outdir, &po, err) ? LS_CMD_BAD_OUTPUT : LS_CMD_OK;
    ls_manifest_free(m);
    return rc;
}

/* Everything `run` and `explain` share: the scheme s (already loaded),
 * its data, every rule bound, every unit scored.  NULL on failure, with
 * the errors in err; *d and b are the caller's to free either way. */
static ls_run *score_all(const ls_cmd_opts *o, const ls_scheme *s, ls_dataset **d, ls_backends *b,
                         ls_errors *err)
{
    ls_load_opts lo = {.strict = o->strict};
    *d = ls_dataset_load_opts(s, o->data, o->ndata, &lo, err);
    if (bind_rules(s, o, b, err) || !*d) return NULL;
    ls_score_opts so = {o->keep_going};
    return ls_score_run(s, *d, b, &so, err);
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
    ls_scheme *s = load_scheme(o, err);
    if (!s || !(r = score_all(o, s, &d, &b, err))) goto out;
    ls_completeness c = ls_completeness_count(d, r);
    if (c.values)
        ls_notef(err, NULL, 0, 0, "%zu indicator value%s not given (defaults used) in %zu unit%s, read by %zu "
                                  "item score%s: `lawscore check` lists them",
                 c.values, c.values == 1 ? "" : "s", c.units,
                 c.units == 1 ? "" : "s", c.items, c.items == 1 ? "" : "s");
    /* The ranking only once the results are published: a ranking on
     * screen with no files behind it would be taken for the outcome. */
    rc = write_outputs(r, o, &b, err);
    if (rc == LS_CMD_OK && !o->quiet) ls_print_ranking(r, out);
    if (rc == LS_CMD_OK) rc = note_rule_errors(r, _("the results"), err);
out:
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
    ls_scheme *s = load_scheme(o, err);
    if (!s) goto out;
    int bad = 0;
    for (size_t i = 0; i < o->nunits; i++) {
        int u = ls_sheet_find_unit(s, o->units[i], err);
        if (u < 0) bad = 1;
        else units[i] = (size_t)u;
    }
    if (bad || !(r = score_all(o, s, &d, &b, err))) goto out;
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
out:
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
