/*
 * ls_publish.c - writing a run's results (see ls_publish.h).
 */
#include "ls_publish.h"

#include <pthread.h>
#include <string.h>

#include "ls_export_csv.h"
#include "ls_export_html.h"
#include "ls_export_json.h"
#include "ls_export_xlsx.h"
#include "ls_guard.h"
#include "ls_layout.h"
#include "ls_outdir.h"
#include "ls_util.h"

/* Rows of a spreadsheet (Excel 2007 on, WPS, LibreOffice). */

static const struct {
    const char *word;
    unsigned bit;
} format_words[] = {{"csv", LS_OUT_CSV}, {"json", LS_OUT_JSON}, {"xlsx", LS_OUT_XLSX}, {"html", LS_OUT_HTML}};

int ls_publish_parse_formats(const char *list, unsigned *out, ls_errors *err)
{
    unsigned bits = 0;
    const char *p = list;
    for (;;) {
        size_t n = strcspn(p, ",");
        size_t i;
        for (i = 0; i < sizeof format_words / sizeof *format_words; i++)
            if (strlen(format_words[i].word) == n && !strncmp(p, format_words[i].word, n)) break;
        if (i == sizeof format_words / sizeof *format_words)
            return ls_errorf(err, NULL, 0, 0,
                             "--formats: unknown format '%.*s' (expected a list of csv, json, "
                             "xlsx, html, such as csv,xlsx)",
                             (int)n, p);
        if (bits & format_words[i].bit)
            return ls_errorf(err, NULL, 0, 0, "--formats: '%s' is given twice",
                             format_words[i].word);
        bits |= format_words[i].bit;
        if (!p[n]) break;
        p += n + 1;
    }
    *out = bits;
    return 0;
}

typedef struct json_job {
    const ls_run *r;
    const ls_manifest *m;
    FILE *f;
    int pretty;
    ls_errors err; /* the thread's own: ls_errors is not shared */
    int rc;
} json_job;

static void *write_json(void *arg)
{
    json_job *j = arg;
    j->rc = ls_write_json(j->r, j->m, j->f, j->pretty, &j->err);
    return NULL;
}

/* A writer's errors from index `from` on name no file: they are about
 * DIR/name. */
static void name_file(ls_errors *err, size_t from, const char *dir, const char *name)
{
    for (size_t i = from; i < err->n; i++)
        if (!err->v[i].path) err->v[i].path = ls_format("%s/%s", dir, name);
}

/* Add file `name` to the output when its format is wanted; *f NULL
 * otherwise.  -1 when it could not be created. */
static int want(ls_outdir *od, unsigned formats, unsigned bit, const char *name, FILE **f,
                ls_errors *err)
{
    *f = NULL;
    if (!(formats & bit)) return 0;
    *f = ls_outdir_file(od, name, err);
    return *f ? 0 : -1;
}

int ls_publish(const ls_run *r, const ls_manifest *m, const char *dir, const ls_publish_opts *o,
               ls_errors *err)
{
    unsigned formats = o && o->formats ? o->formats : LS_OUT_ALL;
    size_t nunits = r->scheme->nunits;
    size_t max_sheets = o && o->max_sheets ? o->max_sheets : LS_LAYOUT_MAX_SHEETS;
    int sheets = (o && o->all_sheets) || nunits <= max_sheets;
    ls_outdir *od = o && o->od ? o->od : ls_outdir_open(dir, err);
    ls_items_csv *items = o && o->od ? o->items : NULL;
    if (!od) return -1;
    /* a plugin crashing from here on takes the unfinished output with it */
    ls_guard_set_cleanup(ls_outdir_emergency_cleanup);
    /* past a spreadsheet's rows, compact unless --items sheet */
    unsigned form = ls_items_form_for(o ? o->items_form : 0, nunits, r->scheme->nnodes,
                                      (formats & LS_OUT_JSON) != 0);
    int compact = (form & LS_ITEMS_COMPACT) != 0;
    int values = ls_values_csv_wanted(form, (formats & LS_OUT_JSON) != 0);
    const char *items_name = ls_items_csv_name(form);
    const char *values_name = ls_values_csv_name(form);
    FILE *fres, *fitems = NULL, *fscheme = NULL, *fvalues = NULL, *fjson, *fxlsx, *fhtml;
    if (want(od, formats, LS_OUT_CSV, "results.csv", &fres, err) ||
        (!items && want(od, formats, LS_OUT_CSV, items_name, &fitems, err)) ||
        (compact && want(od, formats, LS_OUT_CSV, "scheme-items.csv", &fscheme, err)) ||
        (values && want(od, formats, LS_OUT_CSV, values_name, &fvalues, err)) ||
        want(od, formats, LS_OUT_JSON, "results.json", &fjson, err) ||
        want(od, formats, LS_OUT_XLSX, "results.xlsx", &fxlsx, err) ||
        want(od, formats, LS_OUT_HTML, "report.html", &fhtml, err)) {
        if (items) ls_items_csv_finish(items, err);
        ls_outdir_abort(od);
        return -1;
    }
    json_job job = {r, m, fjson, o && o->pretty, {0}, 0};
    ls_errors_init(&job.err);
    pthread_t t;
    int threaded = 0;
    if (fjson) {
        threaded = pthread_create(&t, NULL, write_json, &job) == 0;
        if (!threaded) write_json(&job);
    }
    int rc = 0;
    size_t from = err->n;
    if (fres) rc = ls_write_results_csv(r, fres, err);
    name_file(err, from, dir, "results.csv");
    from = err->n;
    if (items) {
        if (ls_items_csv_finish(items, err)) rc = -1;
    } else if (!rc && fitems) {
        rc = ls_write_items_csv(r, fitems, form, err);
    }
    name_file(err, from, dir, items_name);
    from = err->n;
    if (!rc && fscheme) rc = ls_write_scheme_items_csv(r->scheme, fscheme, err);
    name_file(err, from, dir, "scheme-items.csv");
    from = err->n;
    if (!rc && fvalues) rc = ls_write_values_csv(r, fvalues, form, err);
    name_file(err, from, dir, values_name);
    from = err->n;
    if (!rc && fxlsx)
        rc = ls_write_xlsx(r, m, sheets, ls_outdir_tmp_path(od, "results.xlsx"), "results.xlsx",
                           err);
    name_file(err, from, dir, "results.xlsx");
    from = err->n;
    if (!rc && fhtml) rc = ls_write_html(r, m, sheets, fhtml, err);
    name_file(err, from, dir, "report.html");
    if (threaded) pthread_join(t, NULL);
    /* the JSON writer's messages after the others', in a fixed order */
    from = err->n;
    for (size_t i = 0; i < job.err.n; i++) {
        const ls_diag *d = &job.err.v[i];
        ls_errorf(err, d->path, d->line, d->col, "%s", d->msg);
    }
    name_file(err, from, dir, "results.json");
    ls_errors_cleanup(&job.err);
    if (rc || job.rc) {
        ls_outdir_abort(od);
        return -1;
    }
    if (!sheets && (formats & (LS_OUT_XLSX | LS_OUT_HTML)))
        ls_notef(err, NULL, 0, 0,
                 "%zu units: results.xlsx and report.html hold the ranking (通报) with its "
                 "summaries (主要失分项目, 缺报汇总, charts), without a score sheet (评分表) or the "
                 "item-by-item lists (扣分明细, 缺报) per unit (more than %zu units; items.csv has "
                 "every item); --all-sheets includes them, `lawscore explain --unit ID` prints one "
                 "unit's sheet",
                 nunits, max_sheets);
    /* rows = units × nodes + the header: past a sheet's 1,048,576 rows no
     * spreadsheet opens items.csv whole */
    size_t rows = nunits * r->scheme->nnodes;
    if ((formats & LS_OUT_CSV) && (form & LS_ITEMS_AUTO) && values)
        ls_notef(err, NULL, 0, 0,
                 "items.csv: %zu rows, more than a spreadsheet opens (%d): written compact and "
                 "compressed, as %s, with the scores and reasons by 单位编号 and 序号 (the items' "
                 "names, points and criteria once in scheme-items.csv, the indicator values a "
                 "row a unit in %s; %s or pandas reads them as they are); --items sheet "
                 "writes the score sheet form, --items compact without compression",
                 rows, LS_SHEET_ROWS, items_name, values_name, form & LS_ITEMS_GZIP ? "zcat" : "zstdcat");
    else if ((formats & LS_OUT_CSV) && (form & LS_ITEMS_AUTO))
        ls_notef(err, NULL, 0, 0,
                 "items.csv: %zu rows, more than a spreadsheet opens (%d): written compact, "
                 "with the scores and reasons by 单位编号 and 序号 (the items' names, points and "
                 "criteria once in scheme-items.csv, the indicator values in results.json); "
                 "--items sheet writes the score sheet form",
                 rows, LS_SHEET_ROWS);
    else if ((formats & LS_OUT_CSV) && !compact && ls_items_too_many_rows(nunits, r->scheme->nnodes))
        ls_notef(err, NULL, 0, 0,
                 "items.csv: %zu rows, more than a spreadsheet opens (%d); --items compact "
                 "writes it without the items' names, points and criteria (once in "
                 "scheme-items.csv) and the indicator values (in results.json)",
                 rows, LS_SHEET_ROWS);
    return ls_outdir_commit(od, err);
}
