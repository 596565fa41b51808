/*
 * main.c - the lawscore command line: parses arguments, dispatches to the
 * command (ls_cmd), prints diagnostics and maps failures to exit codes.
 * Nothing else.  A new command is a line in `commands` below and a
 * function in ls_cmd.c; a new option is a line in `options`, naming the
 * commands that take it.
 *
 * Exit codes: 0 success; 1 bad input (scheme, data, rules) or failed
 * rules (also a crashed plugin: ls_guard ends the process); 2 bad usage;
 * 3 output could not be written.
 *
 * Depends on: ls_cmd, ls_data (a DATA folder's files), ls_error, ls_export_csv (--items, --gzip, --zstd), ls_i18n, ls_publish
 * (--formats), ls_util.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ls_cmd.h"
#include "ls_data.h"
#include "ls_error.h"
#include "ls_export_csv.h"
#include "ls_i18n.h"
#include "ls_publish.h"
#include "ls_util.h"

#define EXIT_INPUT 1
#define EXIT_USAGE 2
#define EXIT_OUTPUT 3

/* The commands.  `operands`: what follows the command name: a scheme
 * then data files (SCHEME), or paths (PATHS, in o->data), or what the
 * archive commands take (ARCHIVE, in o->data: versions, years or result
 * directories). */
enum {
    SCHEME,
    PATHS,
    ARCHIVE
};
enum {
    C_CHECK = 1,
    C_RUN = 2,
    C_EXPLAIN = 4,
    C_TEST = 8,
    C_TEMPLATE = 16,
    C_PUBLISH = 32,
    C_HISTORY = 64,
    C_EXPORT = 128,
    C_DIFF = 256,
    C_COMPARE = 512,
    C_UPGRADE = 1024,
    C_ALL = 2047
};
/* the commands that score, and those that read an archive */
#define C_SCORING (C_CHECK | C_RUN | C_EXPLAIN | C_PUBLISH)
#define C_ARCHIVE (C_PUBLISH | C_HISTORY | C_EXPORT | C_DIFF | C_COMPARE | C_UPGRADE)
static const struct command {
    const char *name;
    ls_cmd_fn fn;
    int operands;
    int needs_data; /* at least one data file */
    unsigned bit;   /* C_*: which options it takes */
    const char *synopsis, *what;
} commands[] = {
    {"check", ls_cmd_check, SCHEME, 0, C_CHECK, "check SCHEME [DATA...] [--strict]",
     N_("validate a scheme and its data, and lint them")},
    {"run", ls_cmd_run, SCHEME, 1, C_RUN, "run SCHEME DATA... [-o DIR]",
     N_("score every unit, write results to DIR")},
    {"explain", ls_cmd_explain, SCHEME, 1, C_EXPLAIN, "explain SCHEME DATA... --unit ID",
     N_("print a unit's score sheet (评分表)")},
    {"test", ls_cmd_test, PATHS, 0, C_TEST, "test [PATH...] [--coverage]",
     N_("run the rule tests (*.test.yaml; docs/testing.md)")},
    {"template", ls_cmd_template, SCHEME, 0, C_TEMPLATE, "template SCHEME [--self | --adjustments] -o FILE.xlsx",
     N_("blank forms: data collection; --self 自评表; --adjustments 复核登记表")},
    {"publish", ls_cmd_publish, SCHEME, 1, C_PUBLISH, "publish SCHEME DATA... --archive FILE --label TEXT",
     N_("score and store an immutable version (docs/year.md)")},
    {"history", ls_cmd_history, ARCHIVE, 0, C_HISTORY, "history --archive FILE [--version N]",
     N_("list the archived versions, or what one holds")},
    {"export", ls_cmd_export, ARCHIVE, 0, C_EXPORT, "export --archive FILE --version N -o DIR",
     N_("write a version's outputs as published")},
    {"diff", ls_cmd_diff, ARCHIVE, 0, C_DIFF, "diff A B [--archive FILE]",
     N_("what changed: two result directories, or two versions")},
    {"compare", ls_cmd_compare, ARCHIVE, 0, C_COMPARE, "compare --archive FILE YEAR1 YEAR2",
     N_("year over year, per unit and category")},
    {"upgrade", ls_cmd_upgrade, ARCHIVE, 0, C_UPGRADE, "upgrade --archive FILE [--no-backup]",
     N_("convert an archive of format 1 to format 2 (docs/year.md)")},
};
#define NCOMMANDS (sizeof commands / sizeof *commands)

/* The options.  `value`: what the option's value is: none, a word or a
 * path (which must not look like an option: `-o -q` is a mistake), or a
 * number (checked by its parser). */
enum {
    NOVAL,
    WORD,
    NUMBER
};
enum {
    O_OUTPUT,
    O_STRICT,
    O_UNIT,
    O_FORMAT,
    O_VERBOSE,
    O_COVERAGE,
    O_MIN_COVERAGE,
    O_KEEP_GOING,
    O_QUIET,
    O_MAX_INSTRUCTIONS,
    O_MAX_MEMORY,
    O_PLUGIN_PATH,
    O_FORMATS,
    O_ALL_SHEETS,
    O_ALLOW_DIR,
    O_UNITS,
    O_SOURCE,
    O_MAX_SECONDS,
    O_PRETTY,
    O_ITEMS,
    O_GZIP,
    O_ZSTD,
    O_JOBS,
    O_TIMINGS,
    O_SELF,
    O_ADJUSTMENTS,
    O_ARCHIVE,
    O_LABEL,
    O_WITHDRAW,
    O_VERSION,
    O_NO_BACKUP,
    O_HELP
};
static const struct option {
    int id;
    const char *shrt, *lng;
    int value;
    unsigned cmds;    /* C_*: the commands that take it */
    const char *help; /* "ARG  text"; lines after the first indented */
} options[] = {
    {O_OUTPUT, "-o", "--output", WORD, C_RUN | C_TEMPLATE | C_PUBLISH | C_EXPORT | C_DIFF | C_COMPARE,
     N_("DIR\tresults directory (default: results); template: the workbook\nto write, FILE.xlsx; diff, compare: the file to write")},
    {O_STRICT, NULL, "--strict", NOVAL, C_SCORING,
     N_("\tcheck: fail (exit 1) on warnings too; check, run, explain:\na doubtful value (0.95 for a percent) is an error")},
    {O_UNIT, "-u", "--unit", WORD, C_EXPLAIN, N_("ID\tthe unit, by id or full name; may be repeated")},
    {O_FORMAT, NULL, "--format", WORD, C_EXPLAIN | C_DIFF | C_COMPARE,
     N_("FORMAT\texplain: the score sheet as text (default) or json (the\n"
        "unit's object in results.json); diff, compare: text, csv or\nhtml")},
    {O_UNITS, NULL, "--units", WORD, C_TEMPLATE,
     N_("LIST\tonly these units (ids, full names or groups,\ncomma-separated); may be repeated")},
    {O_SOURCE, NULL, "--source", WORD, C_TEMPLATE,
     N_("NAME\tonly this data source's sheet; may be repeated")},
    {O_VERBOSE, "-v", "--verbose", NOVAL, C_TEST | C_CHECK,
     N_("\ttest: list every case, not only the failures; check: list\n"
        "every unit's values not given (缺报), also above 500 units")},
    {O_COVERAGE, NULL, "--coverage", NOVAL, C_TEST, N_("\treport the lines of rule scripts no case ran")},
    {O_MIN_COVERAGE, NULL, "--min-coverage", NUMBER, C_TEST,
     N_("P\tfail when a rule script's coverage is below P percent")},
    {O_KEEP_GOING, "-k", "--keep-going", NOVAL, C_RUN | C_EXPLAIN | C_PUBLISH,
     N_("\ton rule errors, mark the cells and finish the rest")},
    {O_QUIET, "-q", "--quiet", NOVAL, C_RUN | C_PUBLISH, N_("\tdo not print the ranking or the note on values not given")},
    {O_MAX_INSTRUCTIONS, NULL, "--max-instructions", NUMBER, C_ALL,
     N_("N\tLua instruction budget per rule call")},
    {O_MAX_MEMORY, NULL, "--max-memory-mb", NUMBER, C_ALL, N_("N\tmemory a rule call may keep alive, in MB")},
    {O_MAX_SECONDS, NULL, "--max-seconds", NUMBER, C_ALL,
     N_("S\tCPU time limit per rule call (default 0.5)")},
    {O_PLUGIN_PATH, NULL, "--plugin-path", WORD, C_ALL,
     N_("DIR\tlook for C plugins (NAME.so) in DIR first; may be repeated\n"
        "(then $LAWSCORE_PLUGIN_PATH, the scheme's directory,\n"
        "and the installed plugins)")},
    {O_FORMATS, NULL, "--formats", WORD, C_RUN | C_PUBLISH,
     N_("LIST\tthe files to write, from csv,json,xlsx,html (default: all)")},
    {O_ALL_SHEETS, NULL, "--all-sheets", NOVAL, C_RUN | C_PUBLISH,
     N_("\tevery unit's score sheet, 扣分明细 and 缺报 rows in results.xlsx\n"
        "and report.html, also above 500 units")},
    {O_ALLOW_DIR, NULL, "--allow-dir", WORD, C_ALL,
     N_("DIR\tlet the scheme name files (rules, units) in DIR too, not only\n"
        "in its own directory; may be repeated")},
    {O_PRETTY, NULL, "--pretty", NOVAL, C_RUN | C_PUBLISH, N_("\tindent results.json for people (default: compact)")},
    {O_ITEMS, NULL, "--items", WORD, C_RUN,
     N_("FORM\titems.csv as a score sheet (sheet) or, for a province's data\n"
        "team, compact: without the items' text (once in scheme-items.csv)\n"
        "and the indicator values (in results.json, or in values.csv when\n"
        "it is not written); default: sheet, compact past a spreadsheet's\n"
        "1,048,576 rows (and zstd-compressed with --formats csv)")},
    {O_GZIP, NULL, "--gzip", NOVAL, C_RUN, N_("\twrite items.csv gzip-compressed, as items.csv.gz")},
    {O_ZSTD, NULL, "--zstd", NOVAL, C_RUN,
     N_("\twrite items.csv zstd-compressed, as items.csv.zst (the default\n"
        "with --formats csv past a spreadsheet's rows)")},
    {O_JOBS, "-j", "--jobs", NUMBER, C_SCORING,
     N_("N\tscore with N threads (default: the machine's cores); the\n"
        "same results, byte for byte, for any N")},
    {O_TIMINGS, NULL, "--timings", NOVAL, C_SCORING,
     N_("\tprint the wall time of each phase (load, bind, score,\nwrite) on standard error")},
    {O_SELF, NULL, "--self", WORD, C_SCORING | C_TEMPLATE,
     N_("FILE\tthe units' 自评分, YAML or a table: CSV, .xlsx (docs/year.md);\n"
        "may be repeated, or a folder of returned forms;\n"
        "template: --self alone writes the self-assessment form")},
    {O_ADJUSTMENTS, NULL, "--adjustments", WORD, C_SCORING | C_TEMPLATE,
     N_("FILE\tappeals decided (复核), YAML or a table: CSV, .xlsx;\n"
        "may be repeated, or a folder of registers;\n"
        "template: --adjustments alone writes the register")},
    {O_ARCHIVE, NULL, "--archive", WORD, C_ARCHIVE, N_("FILE\tthe SQLite archive")},
    {O_LABEL, NULL, "--label", WORD, C_PUBLISH, N_("TEXT\twhat the version is (\"2018年度考核结果通报\")")},
    {O_WITHDRAW, NULL, "--withdraw", NOVAL, C_PUBLISH,
     N_("\ta re-publication leaves out appeal decisions or self-assessments\n"
        "of the version it replaces on purpose (without it, refused)")},
    {O_VERSION, NULL, "--version", NUMBER, C_HISTORY | C_EXPORT,
     N_("N\texport: the version to write; history: the version to show")},
    {O_NO_BACKUP, NULL, "--no-backup", NOVAL, C_UPGRADE,
     N_("\tdo not keep the archive as it was (FILE.format1.bak)")},
    {O_HELP, "-h", "--help", NOVAL, C_ALL, N_("\tthis help")},
};
#define NOPTIONS (sizeof options / sizeof *options)

/* Options that take no value after some commands: `template --self`
 * writes the self-assessment form, where `run --self FILE` reads one. */
static const struct {
    int id;
    unsigned cmds;
} switches[] = {
    {O_SELF, C_TEMPLATE},
    {O_ADJUSTMENTS, C_TEMPLATE},
};

/* Options that may be given more than once (each value is kept). */
static int repeatable(int id)
{
    static const int ids[] = {O_UNIT, O_UNITS, O_SOURCE, O_PLUGIN_PATH, O_ALLOW_DIR, O_SELF, O_ADJUSTMENTS};
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++)
        if (ids[i] == id) return 1;
    return 0;
}

static int is_switch(const struct option *op, const struct command *c)
{
    for (size_t i = 0; c && i < sizeof switches / sizeof *switches; i++)
        if (switches[i].id == op->id && (switches[i].cmds & c->bit)) return 1;
    return 0;
}

/* Print the options taken by the commands in mask `cmds`; with `tag`,
 * say which command each belongs to when not to all. */
static void print_options(FILE *f, unsigned cmds, int tag)
{
    for (size_t i = 0; i < NOPTIONS; i++) {
        const struct option *op = &options[i];
        if (!(op->cmds & cmds)) continue;
        const char *help = _(op->help);
        const char *tab = strchr(help, '\t');
        if (!tab) tab = help - 1; /* a translation without the tab: no argument */
        char head[64];
        snprintf(head, sizeof head, "%s%s%s%s%.*s", op->shrt ? op->shrt : "", op->shrt ? ", " : "",
                 op->lng, tab > help ? " " : "", (int)(tab > help ? tab - help : 0), help);
        int w = ls_display_width(head); /* Chinese is two columns wide */
        fprintf(f, "  %s%*s ", head, w < 23 ? 23 - w : 0, "");
        if (tag && op->cmds != C_ALL) {
            const char *sep = "";
            for (size_t c = 0; c < NCOMMANDS; c++)
                if (op->cmds & commands[c].bit) {
                    fprintf(f, "%s%s", sep, commands[c].name);
                    sep = ", ";
                }
            fputs(": ", f);
        }
        for (const char *p = tab + 1; *p; p++) {
            putc(*p, f);
            if (*p == '\n') fprintf(f, "%26s", "");
        }
        putc('\n', f);
    }
}

static void print_usage(FILE *f)
{
    for (size_t c = 0; c < NCOMMANDS; c++) {
        if (strlen(commands[c].synopsis) > 36) /* the description on a line of its own */
            fprintf(f, "%s lawscore %s\n%53s%s\n", c ? "      " : "usage:", commands[c].synopsis, "",
                    _(commands[c].what));
        else
            fprintf(f, "%s lawscore %-36s %s\n", c ? "      " : "usage:", commands[c].synopsis,
                    _(commands[c].what));
    }
    fputs("       lawscore --version | --help | COMMAND --help\n\n", f);
    fputs(_("options:\n"), f);
    print_options(f, C_ALL, 1);
}

static void print_command_usage(const struct command *c, FILE *f)
{
    fprintf(f, "usage: lawscore %s\n  %s\n\n", c->synopsis, _(c->what));
    fputs(_("options:\n"), f);
    print_options(f, c->bit, 0);
}

/* After a usage error: where to read more. */
static void hint(const struct command *c)
{
    if (c) fprintf(stderr, _("usage: lawscore %s (see 'lawscore %s --help')\n"), c->synopsis, c->name);
    else fputs(_("see 'lawscore --help'\n"), stderr);
}

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (!strcmp(commands[i].name, name)) return &commands[i];
    return NULL;
}

static const struct option *find_option(const char *a)
{
    for (size_t i = 0; i < NOPTIONS; i++)
        if ((options[i].shrt && !strcmp(a, options[i].shrt)) || !strcmp(a, options[i].lng))
            return &options[i];
    return NULL;
}

/* An option written with its value attached, as getopt takes them: "-j2"
 * (a short option that takes a value) or "--jobs=2" (a long one).  The
 * option, with *val pointing at the value; NULL when a is not one. */
static const struct option *find_attached(const char *a, const char **val)
{
    for (size_t i = 0; i < NOPTIONS; i++) {
        const struct option *op = &options[i];
        if (op->value == NOVAL) continue;
        size_t n = strlen(op->lng);
        if (!strncmp(a, op->lng, n) && a[n] == '=') {
            *val = a + n + 1;
            return op;
        }
        if (op->shrt && a[1] != '-' && !strncmp(a, op->shrt, 2) && a[2]) {
            *val = a + 2;
            return op;
        }
    }
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

/* The operands of the archive commands (history, export, diff,
 * compare), their options being the table's: 0, or -1 after printing the
 * problem. */
static int check_archive_args(ls_cmd_opts *o, const struct command *c, const char *format)
{
    const char *cmd = o->cmd;
    int diff = c->bit == C_DIFF, compare = c->bit == C_COMPARE;
    if (!o->archive && !diff) {
        fprintf(stderr, _("lawscore: error: '%s' needs the archive: --archive FILE\n"), cmd);
        hint(c);
        return -1;
    }
    size_t want = diff || compare ? 2 : 0;
    if (o->ndata != want) {
        if (diff)
            fprintf(stderr, _("lawscore: error: 'diff' compares two things: two result directories, or two "
                              "version numbers with --archive\n"));
        else if (compare)
            fprintf(stderr, _("lawscore: error: 'compare' compares two years: compare --archive FILE YEAR1 "
                              "YEAR2\n"));
        else
            fprintf(stderr, _("lawscore: error: '%s' takes no further arguments\n"), cmd);
        hint(c);
        return -1;
    }
    if (c->bit == C_EXPORT && !o->version) {
        fprintf(stderr, _("lawscore: error: 'export' needs the version: --version N\n"));
        hint(c);
        return -1;
    }
    if (c->bit == C_EXPORT && !o->outdir_given) {
        fprintf(stderr, _("lawscore: error: 'export' needs the output directory: -o DIR\n"));
        hint(c);
        return -1;
    }
    if ((diff || compare) && format && !strcmp(format, "html")) {
        o->html = 1;
    } else if (format && strcmp(format, "text") && strcmp(format, "csv")) {
        if (diff || compare) fprintf(stderr, _("lawscore: error: --format expects text, csv or html, found '%s'\n"), format);
        else fprintf(stderr, _("lawscore: error: --format expects text or csv, found '%s'\n"), format);
        return -1;
    }
    o->csv = format && !strcmp(format, "csv");
    return 0;
}

/* The file names expanded from directories (--self forms/), freed at exit. */
static char **dir_files;
static size_t ndir_files, dir_files_cap;

/* --self DIR, --adjustments DIR and a DATA folder: every table and YAML
 * file in DIR, by name (the forms returned by 40 units, saved into one
 * folder); opt is NULL for DATA, whose folder may hold the files `skip`
 * (n of them; the scheme, the --self and --adjustments files kept in the
 * one folder of the year), which are no data and left out.  *v (n of
 * them, allocated for argc) is replaced.  0, or -1 after saying why. */
static int expand_dirs(const char *opt, const char ***v, size_t *n, const char *const *skip, size_t nskip)
{
    const char **out = NULL;
    size_t nout = 0, cap = 0;
    for (size_t i = 0; i < *n; i++) {
        struct stat st;
        char **f = NULL;
        size_t nf = 0;
        if (stat((*v)[i], &st) || !S_ISDIR(st.st_mode)) {
            LS_GROW(out, nout, cap, 8);
            out[nout++] = (*v)[i];
            continue;
        }
        /* the scheme and the year's forms, kept in the folder with the
         * data, are no data */
        if (ls_data_dir_files((*v)[i], skip, nskip, &f, &nf) || !nf) {
            if (opt)
                fprintf(stderr,
                        _("lawscore: error: %s %s: the folder holds no form to read (.xlsx, .xls, .csv, .yaml)\n"),
                        opt, (*v)[i]);
            else
                fprintf(stderr,
                        _("lawscore: error: %s: the folder holds no data file to read (.xlsx, .xls, .csv, .yaml)\n"),
                        (*v)[i]);
            free(f);
            free(out);
            return -1;
        }
        for (size_t k = 0; k < nf; k++) {
            LS_GROW(out, nout, cap, 8);
            out[nout++] = f[k];
            LS_GROW(dir_files, ndir_files, dir_files_cap, 8);
            dir_files[ndir_files++] = f[k];
        }
        free(f);
    }
    free(*v);
    *v = out ? out : ls_xcalloc(1, sizeof *out);
    *n = nout;
    return 0;
}

static void free_opts(ls_cmd_opts *o)
{
    free(o->data);
    free(o->plugin_paths);
    free(o->units);
    free(o->allow_dirs);
    free(o->select_units);
    free(o->sources);
    free(o->self);
    free(o->adjustments);
    for (size_t i = 0; i < ndir_files; i++) free(dir_files[i]);
    free(dir_files);
}

/* Parse argv into o; the command is *cmd.  0; 1 when help was asked for
 * (and printed); -1 after printing the problem (bad usage). */
static int parse_args(int argc, char **argv, ls_cmd_opts *o, const struct command **cmd)
{
    memset(o, 0, sizeof *o);
    o->outdir = "results";
    o->min_coverage = -1;
    o->data = ls_xcalloc((size_t)argc, sizeof *o->data);
    o->plugin_paths = ls_xcalloc((size_t)argc, sizeof *o->plugin_paths);
    o->units = ls_xcalloc((size_t)argc, sizeof *o->units);
    o->allow_dirs = ls_xcalloc((size_t)argc, sizeof *o->allow_dirs);
    o->select_units = ls_xcalloc((size_t)argc, sizeof *o->select_units);
    o->sources = ls_xcalloc((size_t)argc, sizeof *o->sources);
    o->self = ls_xcalloc((size_t)argc, sizeof *o->self);
    o->adjustments = ls_xcalloc((size_t)argc, sizeof *o->adjustments);
    const char *format = NULL, *formats = NULL;
    const char *seen[NOPTIONS] = {0};  /* each option as written, if given */
    const char *given[NOPTIONS] = {0}; /* each option's value, if given */
    const char *operands[argc];
    int nops = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || !a[1]) {
            operands[nops++] = a;
            continue;
        }
        const char *val = NULL;
        const struct option *op = find_option(a);
        if (!op && (op = find_attached(a, &val)) != NULL)
            a = a[1] == '-' ? op->lng : op->shrt; /* messages name the option */
        if (!op) {
            fprintf(stderr, _("lawscore: error: unknown option '%s'\n"), a);
            hint(nops ? find_command(operands[0]) : NULL);
            return -1;
        }
        seen[op - options] = a;
        /* --self and --adjustments after `template` are switches: the form */
        const struct command *sofar = nops ? find_command(operands[0]) : NULL;
        if (is_switch(op, sofar)) {
            o->form = op->id == O_SELF ? 1 : 2;
            continue;
        }
        if (op->value == NOVAL) {
            switch (op->id) {
            case O_STRICT: o->strict = 1; break;
            case O_VERBOSE: o->verbose = 1; break;
            case O_COVERAGE: o->coverage = 1; break;
            case O_KEEP_GOING: o->keep_going = 1; break;
            case O_QUIET: o->quiet = 1; break;
            case O_ALL_SHEETS: o->all_sheets = 1; break;
            case O_PRETTY: o->pretty = 1; break;
            case O_TIMINGS: o->timings = 1; break;
            case O_GZIP:
            case O_ZSTD:
                o->items_form |= op->id == O_GZIP ? LS_ITEMS_GZIP : LS_ITEMS_ZSTD;
                if ((o->items_form & LS_ITEMS_GZIP) && (o->items_form & LS_ITEMS_ZSTD)) {
                    fprintf(stderr, _("lawscore: error: --gzip and --zstd are both given; items.csv is "
                                      "compressed one way: give one of them\n"));
                    return -1;
                }
                break;
            case O_WITHDRAW: o->withdraw = 1; break;
            case O_NO_BACKUP: o->no_backup = 1; break;
            default: break;
            }
            continue;
        }
        int attached = val != NULL; /* "-o-x" names "-x" on purpose */
        if (!attached) val = i + 1 < argc ? argv[++i] : NULL;
        if (!val) {
            fprintf(stderr, _("lawscore: error: %s needs a value\n"), a);
            return -1;
        }
        if (!attached && op->value == WORD && val[0] == '-' && val[1]) {
            fprintf(stderr, _("lawscore: error: %s needs a value, found the option '%s' (for a name that starts "
                              "with '-', write ./%s)\n"),
                    a, val, val);
            return -1;
        }
        if (given[op - options] && !repeatable(op->id)) {
            fprintf(stderr, _("lawscore: error: %s is given twice ('%s', then '%s'); it takes one value\n"), a,
                    given[op - options], val);
            return -1;
        }
        given[op - options] = val;
        switch (op->id) {
        case O_OUTPUT: o->outdir = val; break;
        case O_UNITS: o->select_units[o->nselect_units++] = val; break;
        case O_SOURCE: o->sources[o->nsources++] = val; break;
        case O_PLUGIN_PATH: o->plugin_paths[o->nplugin_paths++] = val; break;
        case O_UNIT: o->units[o->nunits++] = val; break;
        case O_ALLOW_DIR: o->allow_dirs[o->nallow_dirs++] = val; break;
        case O_FORMAT: format = val; break;
        case O_FORMATS: formats = val; break;
        case O_SELF: o->self[o->nself++] = val; break;
        case O_ADJUSTMENTS: o->adjustments[o->nadjustments++] = val; break;
        case O_ARCHIVE: o->archive = val; break;
        case O_LABEL: o->label = val; break;
        case O_ITEMS:
            if (strcmp(val, "sheet") && strcmp(val, "compact")) {
                fprintf(stderr, _("lawscore: error: --items expects sheet or compact, found '%s'\n"), val);
                return -1;
            }
            /* sheet: asked for, kept however many rows (ls_items_form_for) */
            if (!strcmp(val, "compact")) o->items_form = (o->items_form | LS_ITEMS_COMPACT) & ~(unsigned)LS_ITEMS_SHEET;
            else o->items_form = (o->items_form | LS_ITEMS_SHEET) & ~(unsigned)LS_ITEMS_COMPACT;
            break;
        case O_VERSION:
            if (parse_long(a, val, 1, 1000000000L, &o->version)) return -1;
            break;
        case O_MAX_INSTRUCTIONS:
            if (parse_long(a, val, 1000, 1000000000L, &o->max_instructions)) return -1;
            break;
        case O_MAX_SECONDS: {
            char *end = NULL;
            double x = strtod(val, &end);
            if (!*val || *end || !(x >= 0.001 && x <= 3600)) {
                fprintf(stderr, _("lawscore: error: --max-seconds expects seconds from 0.001 to 3600, "
                                  "found '%s'\n"),
                        val);
                return -1;
            }
            o->max_seconds = x;
            break;
        }
        case O_JOBS:
            if (parse_long(a, val, 1, 256, &o->jobs)) return -1;
            break;
        case O_MAX_MEMORY:
            if (parse_long(a, val, 1, 4096, &o->max_memory_mb)) return -1;
            break;
        case O_MIN_COVERAGE: {
            char *end = NULL;
            double p = strtod(val, &end);
            if (!*val || *end || !(p >= 0 && p <= 100)) {
                fprintf(stderr, _("lawscore: error: --min-coverage expects a percentage from 0 to 100, found '%s'\n"),
                        val);
                return -1;
            }
            o->min_coverage = p;
            break;
        }
        default: break;
        }
    }
    if (!nops) {
        if (seen[O_HELP]) {
            print_usage(stdout);
            return 1;
        }
        print_usage(stderr);
        return -1;
    }
    o->cmd = operands[0];
    *cmd = find_command(o->cmd);
    if (!*cmd) {
        fprintf(stderr, _("lawscore: error: unknown command '%s'\n"), o->cmd);
        hint(NULL);
        return -1;
    }
    if (seen[O_HELP]) {
        print_command_usage(*cmd, stdout);
        return 1;
    }
    for (size_t k = 0; k < NOPTIONS; k++) {
        if (!seen[k] || (options[k].cmds & (*cmd)->bit)) continue;
        fprintf(stderr, _("lawscore: error: '%s' takes no option %s (an option of "), o->cmd, seen[k]);
        const char *sep = "";
        for (size_t c = 0; c < NCOMMANDS; c++)
            if (options[k].cmds & commands[c].bit) {
                fprintf(stderr, "%s'%s'", sep, commands[c].name);
                sep = ", ";
            }
        fputs(_(")\n"), stderr);
        hint(*cmd);
        return -1;
    }
    if ((*cmd)->bit == C_TEMPLATE && seen[O_SELF] && seen[O_ADJUSTMENTS]) {
        fprintf(stderr, _("lawscore: error: 'template' writes one form: --self or --adjustments, not both\n"));
        hint(*cmd);
        return -1;
    }
    if ((*cmd)->bit == C_TEMPLATE && (!seen[O_OUTPUT] || nops > 2)) {
        fprintf(stderr, _("lawscore: error: 'template' takes the scheme only, and the workbook to write with "
                          "-o FILE.xlsx\n"));
        hint(*cmd);
        return -1;
    }
    int first = 1;
    if ((*cmd)->operands == SCHEME) {
        if (nops < 2) {
            fprintf(stderr, _("lawscore: error: '%s' needs a scheme file\n"), o->cmd);
            hint(*cmd);
            return -1;
        }
        o->scheme = operands[first++];
    }
    for (int k = first; k < nops; k++) o->data[o->ndata++] = operands[k];
    if (expand_dirs("--self", &o->self, &o->nself, NULL, 0) ||
        expand_dirs("--adjustments", &o->adjustments, &o->nadjustments, NULL, 0))
        return -1;
    /* a folder of data files: the workbooks returned by the units, in a
     * folder that may also hold the scheme, the 自评表 and the register */
    if ((*cmd)->operands == SCHEME && (*cmd)->bit != C_TEMPLATE) {
        size_t nskip = 1 + o->nself + o->nadjustments;
        const char **skip = ls_xmalloc(nskip * sizeof *skip);
        skip[0] = o->scheme;
        for (size_t i = 0; i < o->nself; i++) skip[1 + i] = o->self[i];
        for (size_t i = 0; i < o->nadjustments; i++) skip[1 + o->nself + i] = o->adjustments[i];
        int rc = expand_dirs(NULL, &o->data, &o->ndata, skip, nskip);
        free(skip);
        if (rc) return -1;
    }
    o->outdir_given = seen[O_OUTPUT] != NULL;
    int c_is_archive = (*cmd)->operands == ARCHIVE;
    if ((*cmd)->needs_data && o->ndata == 0) {
        fprintf(stderr, _("lawscore: error: '%s' needs at least one data file\n"), o->cmd);
        hint(*cmd);
        return -1;
    }
    if (c_is_archive) return check_archive_args(o, *cmd, format);
    if ((*cmd)->bit == C_EXPLAIN && o->nunits == 0) {
        fprintf(stderr, _("lawscore: error: 'explain' needs a unit: --unit ID\n"));
        hint(*cmd);
        return -1;
    }
    if ((*cmd)->bit == C_PUBLISH && !o->archive) {
        fprintf(stderr, _("lawscore: error: 'publish' needs the archive: --archive FILE\n"));
        hint(*cmd);
        return -1;
    }
    if ((*cmd)->bit == C_PUBLISH && (!o->label || !*o->label)) {
        fprintf(stderr, _("lawscore: error: 'publish' needs a label: --label TEXT\n"));
        hint(*cmd);
        return -1;
    }
    if (format && strcmp(format, "text") && strcmp(format, "json")) {
        fprintf(stderr, _("lawscore: error: --format expects text or json, found '%s'\n"), format);
        return -1;
    }
    o->json = format && !strcmp(format, "json");
    if (formats) {
        ls_errors e;
        ls_errors_init(&e);
        int bad = ls_publish_parse_formats(formats, &o->formats, &e);
        if (bad) fprintf(stderr, _("lawscore: error: %s\n"), e.v[0].msg);
        ls_errors_cleanup(&e);
        if (bad) return -1;
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
    ls_cmd_opts o;
    const struct command *cmd = NULL;
    int p = parse_args(argc, argv, &o, &cmd);
    if (p) {
        free_opts(&o);
        return p > 0 ? 0 : EXIT_USAGE;
    }
    ls_errors err;
    ls_errors_init(&err);
    ls_cmd_status st = cmd->fn(&o, stdout, &err);
    int rc = st == LS_CMD_BAD_OUTPUT ? EXIT_OUTPUT : st == LS_CMD_BAD_INPUT ? EXIT_INPUT
                                                                            : 0;
    ls_errors_print(&err, stderr);
    if (rc == 0 && err.nerrors) rc = EXIT_INPUT;
    ls_errors_cleanup(&err);
    free_opts(&o);
    return rc;
}
