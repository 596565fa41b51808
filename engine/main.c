/*
 * main.c - the lawscore command line: parses arguments, calls the engine,
 * prints diagnostics and maps failures to exit codes.  Nothing else.
 *
 * Exit codes: 0 success; 1 bad input (scheme, data, rules) or failed
 * rules; 2 bad usage; 3 output could not be written.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ls_backends.h"
#include "ls_data.h"
#include "ls_error.h"
#include "ls_export_json.h"
#include "ls_lint.h"
#include "ls_manifest.h"
#include "ls_plugin.h"
#include "ls_publish.h"
#include "ls_sheet.h"
#include "ls_scheme.h"
#include "ls_score.h"
#include "ls_table.h"
#include "ls_testrun.h"
#include "ls_util.h"

#define EXIT_INPUT 1
#define EXIT_USAGE 2
#define EXIT_OUTPUT 3

static const char usage[] =
    "usage: lawscore check SCHEME [DATA...] [--strict]  validate a scheme and its data, and lint them\n"
    "       lawscore run SCHEME DATA... [-o DIR]        score every unit, write results to DIR\n"
    "       lawscore explain SCHEME DATA... --unit ID   print a unit's score sheet (评分表)\n"
    "       lawscore test [PATH...] [--coverage]        run the rule tests (*.test.yaml; docs/testing.md)\n"
    "       lawscore --version | --help\n"
    "\n"
    "options:\n"
    "  -o, --output DIR         results directory (default: results)\n"
    "  --strict                 check: fail (exit 1) on warnings too\n"
    "  -u, --unit ID            explain: the unit, by id or full name; may be repeated\n"
    "  --format text|json       explain: the score sheet as text (default) or as the\n"
    "                           unit's object in results.json\n"
    "  -v, --verbose            test: list every case, not only the failures\n"
    "  --coverage               test: report the lines of rule scripts no case ran\n"
    "  --min-coverage P         test: fail when a rule script's coverage is below P percent\n"
    "  -k, --keep-going         on rule errors, mark the cells and finish the rest\n"
    "  -q, --quiet              do not print the ranking\n"
    "  --max-instructions N     Lua instruction budget per rule call\n"
    "  --max-memory-mb N        memory cap per Lua state, in MB\n"
    "  --plugin-path DIR        look for C plugins (NAME.so) in DIR first; may be repeated\n"
    "                           (then $LAWSCORE_PLUGIN_PATH, the scheme's directory,\n"
    "                           and the installed plugins)\n";

typedef struct options {
    const char *cmd;
    const char *scheme;
    const char **data;
    size_t ndata;
    const char *outdir;
    int keep_going, quiet;
    long max_instructions, max_memory_mb;
    const char **plugin_paths;   /* --plugin-path, in order */
    size_t nplugin_paths;
    const char **units;          /* explain: --unit, in order */
    size_t nunits;
    int json;                    /* explain: --format json */
    int strict;                  /* check: warnings fail */
    int verbose, coverage;       /* test: -v, --coverage */
    double min_coverage;         /* test: --min-coverage, percent; < 0 none */
} options;

static int parse_long(const char *opt, const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi) {
        fprintf(stderr, "lawscore: error: %s expects a whole number from %ld to %ld, found '%s'\n", opt, lo, hi, s);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_args(int argc, char **argv, options *o)
{
    memset(o, 0, sizeof *o);
    o->outdir = "results";
    o->min_coverage = -1;
    o->data = ls_xcalloc((size_t)argc, sizeof *o->data);
    o->plugin_paths = ls_xcalloc((size_t)argc, sizeof *o->plugin_paths);
    o->units = ls_xcalloc((size_t)argc, sizeof *o->units);
    const char *format = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-o") || !strcmp(a, "--output") || !strcmp(a, "--max-instructions") ||
            !strcmp(a, "--max-memory-mb") || !strcmp(a, "--plugin-path") || !strcmp(a, "-u") ||
            !strcmp(a, "--unit") || !strcmp(a, "--format")) {
            if (!val) { fprintf(stderr, "lawscore: error: %s needs a value\n", a); return -1; }
            i++;
            if (a[1] == 'o' || !strcmp(a, "--output")) o->outdir = val;
            else if (!strcmp(a, "--plugin-path")) o->plugin_paths[o->nplugin_paths++] = val;
            else if (a[1] == 'u' || !strcmp(a, "--unit")) o->units[o->nunits++] = val;
            else if (!strcmp(a, "--format")) format = val;
            else if (!strcmp(a, "--max-instructions")) {
                if (parse_long(a, val, 1000, 1000000000L, &o->max_instructions)) return -1;
            } else if (parse_long(a, val, 1, 4096, &o->max_memory_mb)) return -1;
        } else if (!strcmp(a, "-k") || !strcmp(a, "--keep-going")) {
            o->keep_going = 1;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            o->quiet = 1;
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            o->verbose = 1;
        } else if (!strcmp(a, "--coverage")) {
            o->coverage = 1;
        } else if (!strcmp(a, "--min-coverage")) {
            char *end = NULL;
            double p = val ? strtod(val, &end) : -1;
            if (!val || !*val || *end || !(p >= 0 && p <= 100)) {
                fprintf(stderr, "lawscore: error: --min-coverage expects a percentage from 0 to 100, found '%s'\n",
                        val ? val : "");
                return -1;
            }
            o->min_coverage = p;
            i++;
        } else if (!strcmp(a, "--strict")) {
            o->strict = 1;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "lawscore: error: unknown option '%s'\n%s", a, usage);
            return -1;
        } else if (!o->cmd) {
            o->cmd = a;
        } else if (!o->scheme && strcmp(o->cmd, "test")) {
            o->scheme = a;
        } else {
            o->data[o->ndata++] = a;
        }
    }
    if (!o->cmd) { fputs(usage, stderr); return -1; }
    if (!strcmp(o->cmd, "test")) return 0;          /* PATH... are in data */
    if (o->verbose || o->coverage || o->min_coverage >= 0) {
        fprintf(stderr, "lawscore: error: %s is an option of 'test'\n%s",
                o->verbose ? "-v" : o->coverage ? "--coverage" : "--min-coverage", usage);
        return -1;
    }
    if (strcmp(o->cmd, "check") && strcmp(o->cmd, "run") && strcmp(o->cmd, "explain")) {
        fprintf(stderr, "lawscore: error: unknown command '%s'\n%s", o->cmd, usage);
        return -1;
    }
    int explain = !strcmp(o->cmd, "explain");
    if (!o->scheme) { fprintf(stderr, "lawscore: error: '%s' needs a scheme file\n%s", o->cmd, usage); return -1; }
    if (strcmp(o->cmd, "check") && o->ndata == 0) {
        fprintf(stderr, "lawscore: error: '%s' needs at least one data file\n%s", o->cmd, usage);
        return -1;
    }
    if (explain && o->nunits == 0) {
        fprintf(stderr, "lawscore: error: 'explain' needs a unit: --unit ID\n%s", usage);
        return -1;
    }
    if (!explain && (o->nunits || format)) {
        fprintf(stderr, "lawscore: error: %s is an option of 'explain'\n%s",
                o->nunits ? "--unit" : "--format", usage);
        return -1;
    }
    if (format && strcmp(format, "text") && strcmp(format, "json")) {
        fprintf(stderr, "lawscore: error: --format expects text or json, found '%s'\n", format);
        return -1;
    }
    o->json = format && !strcmp(format, "json");
    if (o->strict && strcmp(o->cmd, "check")) {
        fprintf(stderr, "lawscore: error: --strict is an option of 'check'\n%s", usage);
        return -1;
    }
    return 0;
}

/* Bind every leaf's rule to its backend (compiling Lua scripts, loading
 * C plugins). */
static int bind_rules(const ls_scheme *s, const options *o, ls_backends *b, ls_errors *err)
{
    ls_bind_opts bo = {o->max_instructions, o->max_memory_mb << 20, o->plugin_paths,
                       o->nplugin_paths, NULL};
    return ls_backends_bind(b, s, &bo, err);
}

static void print_summary(const ls_scheme *s, const ls_dataset *d, const ls_backends *b)
{
    char a[32], t[32];
    printf("scheme: %s (%d), precision %s, total %s\n", s->name, s->year,
           ls_dec_format(1, s->digits, a), ls_dec_format_short(s->total, s->digits, t));
    for (size_t g = 0; g < s->ngroups; g++) {
        size_t n = 0;
        for (size_t u = 0; u < s->nunits; u++) n += s->units[u].group == (int)g;
        printf("group %s (%s): %zu units\n", s->groups[g].id, s->groups[g].name, n);
    }
    size_t cnt[4] = {0}, cats = 0, scripts = 0;
    for (size_t k = 0; k < s->nleaves; k++) cnt[s->nodes[s->leaves[k]].section]++;
    for (size_t i = 0; i < s->nnodes; i++) cats += s->nodes[i].nchildren > 0;
    for (size_t k = 0; k < s->nleaves; k++) {
        const ls_node *n = &s->nodes[s->leaves[k]];
        if (n->rule.kind != LS_RULE_LUA) continue;
        size_t j;
        for (j = 0; j < k; j++) {
            const ls_node *m = &s->nodes[s->leaves[j]];
            if (m->rule.kind == LS_RULE_LUA && !strcmp(m->rule.path, n->rule.path)) break;
        }
        scripts += j == k;
    }
    printf("items: %zu categories and sub-items, %zu items, %zu bonus, %zu deduction, %zu veto\n",
           cats, cnt[LS_SEC_MAIN], cnt[LS_SEC_BONUS], cnt[LS_SEC_DEDUCT], cnt[LS_SEC_VETO]);
    size_t pfuncs = 0;
    for (size_t k = 0; k < s->nleaves; k++) pfuncs += s->nodes[s->leaves[k]].rule.kind == LS_RULE_PLUGIN;
    printf("rules: %zu Lua scripts compiled, %zu items scored by C plugins\n", scripts, pfuncs);
    const char *pname, *ppath, *pver;
    for (size_t i = 0; b->by_kind[LS_RULE_PLUGIN] &&
                       !ls_plugin_loaded(b->by_kind[LS_RULE_PLUGIN], i, &pname, &ppath, &pver); i++)
        printf("plugin %s %s (%s)\n", pname, pver,
               !strncmp(ppath, LS_PLUGIN_DIR "/", strlen(LS_PLUGIN_DIR "/")) ? "built-in" : ppath);
    printf("indicators: %zu in the catalogue\n", s->ninds);
    if (d && d->nfiles) {
        size_t given = 0;
        for (size_t i = 0; i < s->nunits * s->ninds; i++) given += d->vals[i].set && d->origins[i].file >= 0;
        printf("data: %zu files, %zu values given, %zu optional values missing (no default)\n",
               d->nfiles, given, d->nmissing);
    }
}

static int cmd_check(const options *o, ls_errors *err)
{
    ls_scheme *s = ls_scheme_load(o->scheme, err);
    if (!s) return EXIT_INPUT;
    ls_dataset *d = ls_dataset_load(s, o->data, o->ndata, o->ndata == 0, err);
    ls_backends b;
    int rc = bind_rules(s, o, &b, err);
    if (d && !rc) {
        print_summary(s, d, &b);
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
    return d && !rc ? 0 : EXIT_INPUT;
}

static int write_outputs(const ls_run *r, const options *o, const ls_backends *b, ls_errors *err)
{
    ls_manifest *m = ls_manifest_new(r->scheme, r->data, err);
    if (!m) return EXIT_OUTPUT;
    const char *pname, *ppath, *pver;
    /* the plugins used: each file hashed, each version recorded */
    for (size_t i = 0; b->by_kind[LS_RULE_PLUGIN] &&
                       !ls_plugin_loaded(b->by_kind[LS_RULE_PLUGIN], i, &pname, &ppath, &pver); i++) {
        if (ls_manifest_add_file(m, LS_MF_PLUGIN, ppath, err)) {
            ls_manifest_free(m);
            return EXIT_OUTPUT;
        }
        char *key = ls_format("plugin.%s.version", pname);
        ls_manifest_add_option(m, key, pver);
        free(key);
    }
    ls_manifest_add_option(m, "keep_going", o->keep_going ? "true" : "false");
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", o->max_instructions);
    if (o->max_instructions) ls_manifest_add_option(m, "max_instructions", buf);
    snprintf(buf, sizeof buf, "%ld", o->max_memory_mb);
    if (o->max_memory_mb) ls_manifest_add_option(m, "max_memory_mb", buf);
    int rc = ls_publish(r, m, o->outdir, err) ? EXIT_OUTPUT : 0;
    ls_manifest_free(m);
    return rc;
}

/* Everything `run` and `explain` share: the scheme s (already loaded),
 * its data, every rule bound, every unit scored.  NULL on failure, with
 * the errors in err; *d and b are the caller's to free either way. */
static ls_run *score_all(const options *o, const ls_scheme *s, ls_dataset **d, ls_backends *b,
                         ls_errors *err)
{
    *d = ls_dataset_load(s, o->data, o->ndata, 0, err);
    if (bind_rules(s, o, b, err) || !*d) return NULL;
    ls_score_opts so = {o->keep_going};
    return ls_score_run(s, *d, b, &so, err);
}

/* Rule errors under --keep-going: noted after them, and the exit status. */
static int note_rule_errors(const ls_run *r, const char *where, ls_errors *err)
{
    if (!r->nerrors) return 0;
    ls_notef(err, NULL, 0, 0, "%zu rule error%s: the affected cells are marked in %s", r->nerrors,
             r->nerrors == 1 ? "" : "s", where);
    return EXIT_INPUT;
}

static int cmd_run(const options *o, ls_errors *err)
{
    int rc = EXIT_INPUT;
    ls_backends b = {0};
    ls_run *r = NULL;
    ls_dataset *d = NULL;
    ls_scheme *s = ls_scheme_load(o->scheme, err);
    if (!s || !(r = score_all(o, s, &d, &b, err))) goto out;
    if (!o->quiet) ls_print_ranking(r, stdout);
    rc = write_outputs(r, o, &b, err);
    if (!rc) rc = note_rule_errors(r, "the results", err);
out:
    ls_run_free(r);
    ls_backends_cleanup(&b);
    ls_dataset_free(d);
    ls_scheme_free(s);
    return rc;
}

/* lawscore explain: score every unit (ranks need them all), then print
 * the score sheet of each unit asked for. */
static int cmd_explain(const options *o, ls_errors *err)
{
    int rc = EXIT_INPUT;
    ls_backends b = {0};
    ls_run *r = NULL;
    ls_dataset *d = NULL;
    size_t *units = ls_xcalloc(o->nunits, sizeof *units);
    ls_scheme *s = ls_scheme_load(o->scheme, err);
    if (!s) goto out;
    int bad = 0;
    for (size_t i = 0; i < o->nunits; i++) {
        int u = ls_sheet_find_unit(s, o->units[i], err);
        if (u < 0) bad = 1;
        else units[i] = (size_t)u;
    }
    if (bad || !(r = score_all(o, s, &d, &b, err))) goto out;
    rc = 0;
    if (o->json) {
        if (ls_write_json_units(r, units, o->nunits, stdout, err)) rc = EXIT_OUTPUT;
    } else {
        for (size_t i = 0; i < o->nunits && !rc; i++) {
            if (i) putchar('\n');
            if (ls_write_unit_sheet(r, units[i], stdout, err)) rc = EXIT_OUTPUT;
        }
    }
    if (!rc) rc = note_rule_errors(r, "the score sheet", err);
out:
    ls_run_free(r);
    ls_backends_cleanup(&b);
    ls_dataset_free(d);
    ls_scheme_free(s);
    free(units);
    return rc;
}

/* lawscore test: run the rule authors' test cases (docs/testing.md);
 * exit 1 when a case fails or a script's coverage is below the minimum. */
static int cmd_test(const options *o, ls_errors *err)
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
    return ls_testrun(&t, stdout, err) != 0 ? EXIT_INPUT : 0;
}

int main(int argc, char **argv)
{
    setlocale(LC_CTYPE, "C.UTF-8");
    if (argc == 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))) {
        printf("lawscore %s\n", LS_VERSION);
        return 0;
    }
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(usage, stdout);
        return 0;
    }
    options o;
    if (parse_args(argc, argv, &o)) {
        free(o.data);
        free(o.plugin_paths);
        free(o.units);
        return EXIT_USAGE;
    }
    ls_errors err;
    ls_errors_init(&err);
    int rc = !strcmp(o.cmd, "test")    ? cmd_test(&o, &err)
             : !strcmp(o.cmd, "check") ? cmd_check(&o, &err)
             : !strcmp(o.cmd, "run")   ? cmd_run(&o, &err)
                                       : cmd_explain(&o, &err);
    ls_errors_print(&err, stderr);
    if (rc == 0 && err.nerrors) rc = EXIT_INPUT;
    ls_errors_cleanup(&err);
    free(o.data);
    free(o.plugin_paths);
    free(o.units);
    return rc;
}
