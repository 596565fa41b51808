/*
 * ls_cmd.h - the work of each lawscore command, once main.c has parsed
 * its arguments: check (load, bind, summarise, lint), run (score every
 * unit, print the ranking, write the results with their manifest),
 * explain (score, print the score sheets asked for), test (the rule
 * tests) and template (the data-collection workbook).  Each command reports its problems in an ls_errors object and
 * says what kind of failure it had; main.c prints them and maps the
 * status to an exit code.
 *
 * Depends on: ls_i18n, ls_scheme, ls_data, ls_backends, ls_score, ls_lint,
 * ls_summary, ls_manifest, ls_outdir, ls_publish, ls_table, ls_sheet,
 * ls_export_csv, ls_export_json, ls_export_html, ls_testrun, ls_template, ls_complete,
 * ls_scope, ls_guard, ls_error, ls_util, ls_assessment, ls_archive,
 * ls_results, ls_diff, ls_compare, ls_compare_html (the last six for the year's workflow,
 * docs/year.md).
 */
#ifndef LS_CMD_H
#define LS_CMD_H

#include <stddef.h>
#include <stdio.h>

#include "ls_error.h"

/* The options of a command line, as parsed (strings not owned: they
 * point into argv). */
typedef struct ls_cmd_opts {
    const char *cmd;
    const char *scheme;
    const char **data; /* data files; test: the PATHs */
    size_t ndata;
    const char *outdir; /* run: -o */
    int keep_going, quiet;
    long max_instructions, max_memory_mb; /* 0: scheme's or default */
    double max_seconds;                   /* CPU seconds per rule call; 0: default */
    const char **plugin_paths;            /* --plugin-path, in order */
    size_t nplugin_paths;
    const char **allow_dirs; /* --allow-dir: besides the scheme's own
                                    directory, where the files it names
                                    may come from */
    size_t nallow_dirs;
    const char **units; /* explain: --unit, in order */
    size_t nunits;
    int json;                  /* explain: --format json */
    int strict;                /* check: warnings fail; check, run, explain:
                                    doubtful values are errors */
    unsigned formats;          /* run: --formats, LS_OUT_* bits; 0 all */
    int all_sheets;            /* run: --all-sheets */
    const char **select_units; /* template: --units, in order */
    size_t nselect_units;
    const char **sources; /* template: --source, in order */
    size_t nsources;
    int form;                 /* template: 1 --self (the self-assessment form),
                     2 --adjustments (the register of appeals); 0 the
                     data-collection workbook */
    int verbose, coverage;    /* test: -v, --coverage; check: -v */
    int pretty;               /* run: --pretty (results.json indented) */
    unsigned items_form;      /* run: --items compact, --gzip (LS_ITEMS_*) */
    long jobs;                /* --jobs: scoring threads; 0 = the machine's cores */
    int timings;              /* --timings: wall time of each phase on stderr */
    double min_coverage;      /* test: --min-coverage, percent; < 0 none */
    const char **self;        /* run, explain, publish, check: --self FILE (自评分), in order */
    size_t nself;             /* 0: none */
    const char **adjustments; /* run, explain, publish, check: --adjustments FILE, in order */
    size_t nadjustments;      /* 0: none */
    int withdraw;             /* publish: --withdraw (the parent's appeals or
                                 self-assessments may be left out) */
    const char *archive;      /* publish, history, export, diff, compare */
    const char *label;        /* publish: --label TEXT */
    long version;             /* export: --version N; 0 none */
    int outdir_given;         /* -o was given (publish: keep the outputs) */
    int csv;                  /* diff, compare: --format csv */
    int html;                 /* diff, compare: --format html */
    int no_backup;            /* upgrade: --no-backup (the old file not kept) */
} ls_cmd_opts;

/* How a command ended.  Problems are in err whatever the status. */
typedef enum {
    LS_CMD_OK,        /* done (err may hold warnings) */
    LS_CMD_BAD_INPUT, /* bad scheme, data or rules, failed rules
                                    or tests, or warnings under --strict */
    LS_CMD_BAD_OUTPUT /* the output could not be written */
} ls_cmd_status;

/* A command: its work on the parsed options, writing to out. */
typedef ls_cmd_status (*ls_cmd_fn)(const ls_cmd_opts *o, FILE *out, ls_errors *err);

/* lawscore check: validate the scheme and its data (if any), and the
 * self-assessment and adjustments files (if given), print the summary,
 * lint them. */
ls_cmd_status ls_cmd_check(const ls_cmd_opts *o, FILE *out, ls_errors *err);
/* lawscore run: score every unit, print the ranking (unless quiet), write
 * the results and their manifest to o->outdir. */
ls_cmd_status ls_cmd_run(const ls_cmd_opts *o, FILE *out, ls_errors *err);
/* lawscore explain: score every unit (ranks need them all), then print
 * the score sheet of each unit asked for (text, or JSON). */
ls_cmd_status ls_cmd_explain(const ls_cmd_opts *o, FILE *out, ls_errors *err);
/* lawscore test: run the rule authors' test cases (docs/testing.md); bad
 * input when a case fails or a script's coverage is below the minimum. */
ls_cmd_status ls_cmd_test(const ls_cmd_opts *o, FILE *out, ls_errors *err);
/* lawscore template: write the scheme's blank data-collection workbook
 * to o->outdir (the -o FILE.xlsx), for the units and sources chosen. */
ls_cmd_status ls_cmd_template(const ls_cmd_opts *o, FILE *out, ls_errors *err);

/* The year's workflow (docs/year.md). */
/* lawscore publish: score as run does (with --self, --adjustments), write
 * the outputs (to -o DIR, else a temporary directory) and store them with
 * the inputs and the results as a new version in the archive. */
ls_cmd_status ls_cmd_publish(const ls_cmd_opts *o, FILE *out, ls_errors *err);
/* lawscore history: the archive's versions; with --version N, what
 * version N holds (inputs and outputs with their SHA-256, adjustments). */
ls_cmd_status ls_cmd_history(const ls_cmd_opts *o, FILE *out, ls_errors *err);
/* lawscore export: a version's outputs, byte for byte, into o->outdir. */
ls_cmd_status ls_cmd_export(const ls_cmd_opts *o, FILE *out, ls_errors *err);
/* lawscore diff: what changed between two result directories (o->data[0],
 * [1]) or two versions of o->archive, as text, CSV (o->csv) or an HTML
 * page (o->html); to out, or with -o to that file (whole or not at all). */
ls_cmd_status ls_cmd_diff(const ls_cmd_opts *o, FILE *out, ls_errors *err);
/* lawscore compare: the latest versions of two years of o->archive, per
 * unit and category, with the attribution of each unit's change to its
 * data and to the scheme (docs/year.md). */
ls_cmd_status ls_cmd_compare(const ls_cmd_opts *o, FILE *out, ls_errors *err);
/* upgrade --archive FILE [--no-backup]: rewrite an archive of format 1 in
 * format 2 (ls_archive_upgrade); one of format 2 is left as it is, with a
 * note. */
ls_cmd_status ls_cmd_upgrade(const ls_cmd_opts *o, FILE *out, ls_errors *err);

#endif
