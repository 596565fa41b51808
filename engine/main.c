/*
 * main.c - the lawscore command line: parses arguments, dispatches to the
 * command (ls_cmd), prints diagnostics and maps failures to exit codes.
 * Nothing else.  A new command is a line in `commands` below, a function
 * in ls_cmd.c and its lines in `usage`.
 *
 * Exit codes: 0 success; 1 bad input (scheme, data, rules) or failed
 * rules; 2 bad usage; 3 output could not be written.
 *
 * Depends on: ls_cmd, ls_error, ls_i18n, ls_publish (--formats), ls_util.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ls_cmd.h"
#include "ls_error.h"
#include "ls_i18n.h"
#include "ls_publish.h"
#include "ls_util.h"

#define EXIT_INPUT 1
#define EXIT_USAGE 2
#define EXIT_OUTPUT 3

static const char *const usage = N_(
    "usage: lawscore check SCHEME [DATA...] [--strict]  validate a scheme and its data, and lint them\n"
    "       lawscore run SCHEME DATA... [-o DIR]        score every unit, write results to DIR\n"
    "       lawscore explain SCHEME DATA... --unit ID   print a unit's score sheet (评分表)\n"
    "       lawscore test [PATH...] [--coverage]        run the rule tests (*.test.yaml; docs/testing.md)\n"
    "       lawscore template SCHEME -o FILE.xlsx       the blank data-collection workbook (docs/data.md)\n"
    "       lawscore --version | --help\n"
    "\n"
    "options:\n"
    "  -o, --output DIR         results directory (default: results)\n"
    "  --strict                 check: fail (exit 1) on warnings too; check, run, explain:\n"
    "                           a doubtful value (0.95 for a percent) is an error\n"
    "  -u, --unit ID            explain: the unit, by id or full name; may be repeated\n"
    "  --format text|json       explain: the score sheet as text (default) or as the\n"
    "                           unit's object in results.json\n"
    "  --units LIST             template: only these units (ids, full names or groups,\n"
    "                           comma-separated); may be repeated\n"
    "  --source NAME            template: only this data source's sheet; may be repeated\n"
    "  -v, --verbose            test: list every case, not only the failures\n"
    "  --coverage               test: report the lines of rule scripts no case ran\n"
    "  --min-coverage P         test: fail when a rule script's coverage is below P percent\n"
    "  --formats LIST           run: the files to write, from csv,json,xlsx,html (default: all)\n"
    "  --all-sheets             run: every unit's score sheet in results.xlsx and report.html,\n"
    "                           also above 500 units\n"
    "  --pretty                 run: indent results.json for people (default: compact)\n"
    "  -j, --jobs N             run, check, explain: score with N threads (default: the\n"
    "                           machine's cores); the same results, byte for byte, for any N\n"
    "  --timings                print the wall time of each phase (load, bind, score,\n"
    "                           write) on standard error\n"
    "  -k, --keep-going         on rule errors, mark the cells and finish the rest\n"
    "  -q, --quiet              do not print the ranking\n"
    "  --max-instructions N     Lua instruction budget per rule call\n"
    "  --max-memory-mb N        memory cap per Lua state, in MB\n"
    "  --max-seconds S          CPU time limit per rule call (default 0.5)\n"
    "  --plugin-path DIR        look for C plugins (NAME.so) in DIR first; may be repeated\n"
    "                           (then $LAWSCORE_PLUGIN_PATH, the scheme's directory,\n"
    "                           and the installed plugins)\n");

/* The commands.  `operands`: what follows the command name: a scheme
 * then data files (SCHEME), or paths (PATHS, in o->data). */
enum { SCHEME, PATHS };
static const struct command {
    const char *name;
    ls_cmd_fn fn;
    int operands;
    int needs_data;              /* at least one data file */
} commands[] = {
    {"check", ls_cmd_check, SCHEME, 0},
    {"run", ls_cmd_run, SCHEME, 1},
    {"explain", ls_cmd_explain, SCHEME, 1},
    {"test", ls_cmd_test, PATHS, 0},
    {"template", ls_cmd_template, SCHEME, 0},
};

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(commands[i].name, name)) return &commands[i];
    return NULL;
}

static int parse_long(const char *opt, const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi) {
        fprintf(stderr, _("lawscore: error: %s expects a whole number from %ld to %ld, found '%s'\n"), opt, lo, hi, s);
        return -1;
    }
    *out = v;
    return 0;
}

/* Parse argv into o; the command is *cmd.  0, or -1 after printing the
 * problem (bad usage). */
static int parse_args(int argc, char **argv, ls_cmd_opts *o, const struct command **cmd)
{
    memset(o, 0, sizeof *o);
    o->outdir = "results";
    o->min_coverage = -1;
    o->data = ls_xcalloc((size_t)argc, sizeof *o->data);
    o->plugin_paths = ls_xcalloc((size_t)argc, sizeof *o->plugin_paths);
    o->units = ls_xcalloc((size_t)argc, sizeof *o->units);
    o->select_units = ls_xcalloc((size_t)argc, sizeof *o->select_units);
    o->sources = ls_xcalloc((size_t)argc, sizeof *o->sources);
    const char *format = NULL, *formats = NULL;
    int output_given = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-o") || !strcmp(a, "--output") || !strcmp(a, "--max-instructions") ||
            !strcmp(a, "--max-memory-mb") || !strcmp(a, "--max-seconds") ||
            !strcmp(a, "--plugin-path") || !strcmp(a, "-u") ||
            !strcmp(a, "--unit") || !strcmp(a, "--format") || !strcmp(a, "--formats") ||
            !strcmp(a, "--units") || !strcmp(a, "--source") || !strcmp(a, "-j") ||
            !strcmp(a, "--jobs")) {
            if (!val) { fprintf(stderr, _("lawscore: error: %s needs a value\n"), a); return -1; }
            i++;
            if (!strcmp(a, "--units")) o->select_units[o->nselect_units++] = val;
            else if (!strcmp(a, "--source")) o->sources[o->nsources++] = val;
            else if (a[1] == 'o' || !strcmp(a, "--output")) { o->outdir = val; output_given = 1; }
            else if (!strcmp(a, "--plugin-path")) o->plugin_paths[o->nplugin_paths++] = val;
            else if (a[1] == 'u' || !strcmp(a, "--unit")) o->units[o->nunits++] = val;
            else if (!strcmp(a, "--format")) format = val;
            else if (!strcmp(a, "--formats")) formats = val;
            else if (!strcmp(a, "--max-seconds")) {
                char *end = NULL;
                double x = strtod(val, &end);
                if (!*val || *end || !(x > 0 && x <= 3600)) {
                    fprintf(stderr, _("lawscore: error: --max-seconds expects seconds from 0.001 to 3600, "
                                      "found '%s'\n"), val);
                    return -1;
                }
                o->max_seconds = x;
            } else if (!strcmp(a, "-j") || !strcmp(a, "--jobs")) {
                if (parse_long(a, val, 1, 256, &o->jobs)) return -1;
            }
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
                fprintf(stderr, _("lawscore: error: --min-coverage expects a percentage from 0 to 100, found '%s'\n"),
                        val ? val : "");
                return -1;
            }
            o->min_coverage = p;
            i++;
        } else if (!strcmp(a, "--all-sheets")) {
            o->all_sheets = 1;
        } else if (!strcmp(a, "--pretty")) {
            o->pretty = 1;
        } else if (!strcmp(a, "--timings")) {
            o->timings = 1;
        } else if (!strcmp(a, "--strict")) {
            o->strict = 1;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, _("lawscore: error: unknown option '%s'\n%s"), a, _(usage));
            return -1;
        } else if (!o->cmd) {
            o->cmd = a;
        } else if (!o->scheme && (!find_command(o->cmd) || find_command(o->cmd)->operands == SCHEME)) {
            o->scheme = a;
        } else {
            o->data[o->ndata++] = a;
        }
    }
    if (!o->cmd) { fputs(_(usage), stderr); return -1; }
    *cmd = find_command(o->cmd);
    if (*cmd && (*cmd)->operands == PATHS && o->jobs) {
        fprintf(stderr, _("lawscore: error: --jobs is an option of 'run', 'check' and 'explain'\n%s"), _(usage));
        return -1;
    }
    if (*cmd && (*cmd)->operands == PATHS) return 0;   /* PATH... are in data */
    if (o->verbose || o->coverage || o->min_coverage >= 0) {
        fprintf(stderr, _("lawscore: error: %s is an option of 'test'\n%s"),
                o->verbose ? "-v" : o->coverage ? "--coverage" : "--min-coverage", _(usage));
        return -1;
    }
    if (!*cmd) {
        fprintf(stderr, _("lawscore: error: unknown command '%s'\n%s"), o->cmd, _(usage));
        return -1;
    }
    int explain = !strcmp(o->cmd, "explain"), template = !strcmp(o->cmd, "template");
    if (!template && (o->nselect_units || o->nsources)) {
        fprintf(stderr, _("lawscore: error: %s is an option of 'template'\n%s"), o->nsources ? "--source" : "--units",
                _(usage));
        return -1;
    }
    if (template && (!output_given || o->ndata)) {
        fprintf(stderr, _("lawscore: error: 'template' takes the scheme only, and the workbook to write with "
                          "-o FILE.xlsx\n%s"), _(usage));
        return -1;
    }
    if (!o->scheme) { fprintf(stderr, _("lawscore: error: '%s' needs a scheme file\n%s"), o->cmd, _(usage)); return -1; }
    if ((*cmd)->needs_data && o->ndata == 0) {
        fprintf(stderr, _("lawscore: error: '%s' needs at least one data file\n%s"), o->cmd, _(usage));
        return -1;
    }
    if (explain && o->nunits == 0) {
        fprintf(stderr, _("lawscore: error: 'explain' needs a unit: --unit ID\n%s"), _(usage));
        return -1;
    }
    if (!explain && (o->nunits || format)) {
        fprintf(stderr, _("lawscore: error: %s is an option of 'explain'\n%s"),
                o->nunits ? "--unit" : "--format", _(usage));
        return -1;
    }
    if (format && strcmp(format, "text") && strcmp(format, "json")) {
        fprintf(stderr, _("lawscore: error: --format expects text or json, found '%s'\n"), format);
        return -1;
    }
    o->json = format && !strcmp(format, "json");
    if ((formats || o->all_sheets) && strcmp(o->cmd, "run")) {
        fprintf(stderr, _("lawscore: error: %s is an option of 'run'\n%s"),
                formats ? "--formats" : "--all-sheets", _(usage));
        return -1;
    }
    if (formats) {
        ls_errors e;
        ls_errors_init(&e);
        int bad = ls_publish_parse_formats(formats, &o->formats, &e);
        if (bad) fprintf(stderr, _("lawscore: error: %s\n"), e.v[0].msg);
        ls_errors_cleanup(&e);
        if (bad) return -1;
    }
    if (o->pretty && strcmp(o->cmd, "run")) {
        fprintf(stderr, _("lawscore: error: --pretty is an option of 'run'\n%s"), _(usage));
        return -1;
    }
    if (o->strict && !strcmp(o->cmd, "test")) {
        fprintf(stderr, _("lawscore: error: --strict is an option of 'check', 'run' and 'explain'\n%s"), _(usage));
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    setlocale(LC_CTYPE, "C.UTF-8");
    ls_i18n_init();
    if (argc == 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))) {
        printf("lawscore %s\n", LS_VERSION);
        return 0;
    }
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(_(usage), stdout);
        return 0;
    }
    ls_cmd_opts o;
    const struct command *cmd = NULL;
    if (parse_args(argc, argv, &o, &cmd)) {
        free(o.data);
        free(o.plugin_paths);
        free(o.units);
        free(o.select_units);
        free(o.sources);
        return EXIT_USAGE;
    }
    ls_errors err;
    ls_errors_init(&err);
    ls_cmd_status st = cmd->fn(&o, stdout, &err);
    int rc = st == LS_CMD_BAD_OUTPUT ? EXIT_OUTPUT : st == LS_CMD_BAD_INPUT ? EXIT_INPUT : 0;
    ls_errors_print(&err, stderr);
    if (rc == 0 && err.nerrors) rc = EXIT_INPUT;
    ls_errors_cleanup(&err);
    free(o.data);
    free(o.plugin_paths);
    free(o.units);
    free(o.select_units);
    free(o.sources);
    return rc;
}
