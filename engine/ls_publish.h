/*
 * ls_publish.h - writing a run's results into one directory, all or
 * nothing: results.csv, items.csv (or items.csv.gz; and scheme-items.csv
 * with a compact items.csv), results.json, results.xlsx (the
 * workbook) and report.html (the printable report), or the formats asked
 * for.  results.json, the largest (about half of a province run's time),
 * is written on a second thread while the other files are written: the
 * run is only read.
 *
 * The workbook and the report are documents for one assessment office:
 * above LS_LAYOUT_MAX_SHEETS units (ls_layout.h) they hold the 通报, its
 * summaries (主要失分项目, 缺报汇总) and charts, but no per-unit detail
 * (评分表, 扣分明细, the 缺报 list; a note says so), unless all_sheets is
 * set.
 *
 * The set is published in one step (ls_outdir.h): readers of the
 * directory see the old files or the new ones, never a mix.
 *
 * Depends on: ls_outdir, ls_export_csv, ls_export_json, ls_export_xlsx,
 * ls_export_html, ls_layout, ls_manifest, ls_score, ls_error, ls_util,
 * ls_guard (a crashing plugin removes the unfinished output), pthreads
 * (POSIX threads).
 */
#ifndef LS_PUBLISH_H
#define LS_PUBLISH_H

#include "ls_error.h"
#include "ls_manifest.h"
#include "ls_score.h"

/* Output formats (bits). */
enum {
    LS_OUT_CSV = 1,  /* results.csv, items.csv */
    LS_OUT_JSON = 2, /* results.json */
    LS_OUT_XLSX = 4, /* results.xlsx */
    LS_OUT_HTML = 8, /* report.html */
    LS_OUT_ALL = 15
};

typedef struct ls_outdir ls_outdir;
typedef struct ls_items_csv ls_items_csv;

typedef struct ls_publish_opts {
    unsigned formats;    /* LS_OUT_* bits; 0 means LS_OUT_ALL */
    int all_sheets;      /* the per-unit detail whatever the count */
    size_t max_sheets;   /* the count above which they are left out;
                                0 means LS_LAYOUT_MAX_SHEETS */
    int pretty;          /* results.json indented for people */
    unsigned items_form; /* LS_ITEMS_* (ls_export_csv.h): items.csv
                                without the items' text (in scheme-items.csv)
                                and indicator values; gzip-compressed; the
                                score sheet form kept at any size (else
                                compact past a spreadsheet's rows:
                                ls_items_form_for, applied here too) */
    /* An output the caller opened on dir before scoring, with items.csv
     * written into it while the units were scored by `items` (see
     * ls_score_sink; NULL when CSV is not among the formats): ls_publish
     * finishes `items`, writes the other files into od and commits or
     * aborts it (od and items are freed either way).  NULL: ls_publish
     * opens dir and writes every file. */
    ls_outdir *od;
    ls_items_csv *items;
} ls_publish_opts;

/* Parse a --formats list ("csv,json,xlsx,html", any order, at least one,
 * no repeats) into *out.  0, or -1 with an error naming the bad word. */
int ls_publish_parse_formats(const char *list, unsigned *out, ls_errors *err);

/* Write the files of r into dir (created if missing; with o->od, those
 * not written yet).  o may be NULL (every format, sheets by the default).
 * Returns 0, or -1 with the errors in err and no new file in dir. */
int ls_publish(const ls_run *r, const ls_manifest *m, const char *dir, const ls_publish_opts *o,
               ls_errors *err);

#endif
