/*
 * ls_publish.c - writing a run's results (see ls_publish.h).
 */
#include "ls_publish.h"

#include <pthread.h>

#include "ls_export_csv.h"
#include "ls_export_json.h"
#include "ls_outdir.h"

typedef struct json_job {
    const ls_run *r;
    const ls_manifest *m;
    FILE *f;
    ls_errors err;           /* the thread's own: ls_errors is not shared */
    int rc;
} json_job;

static void *write_json(void *arg)
{
    json_job *j = arg;
    j->rc = ls_write_json(j->r, j->m, j->f, &j->err);
    return NULL;
}

int ls_publish(const ls_run *r, const ls_manifest *m, const char *dir, ls_errors *err)
{
    ls_outdir *od = ls_outdir_open(dir, err);
    if (!od) return -1;
    FILE *fres = ls_outdir_file(od, "results.csv", err);
    FILE *fitems = fres ? ls_outdir_file(od, "items.csv", err) : NULL;
    FILE *fjson = fitems ? ls_outdir_file(od, "results.json", err) : NULL;
    if (!fjson) {
        ls_outdir_abort(od);
        return -1;
    }
    json_job job = {r, m, fjson, {0}, 0};
    ls_errors_init(&job.err);
    pthread_t t;
    int threaded = pthread_create(&t, NULL, write_json, &job) == 0;
    if (!threaded) write_json(&job);
    int rc = ls_write_results_csv(r, fres, err);
    if (!rc) rc = ls_write_items_csv(r, fitems, err);
    if (threaded) pthread_join(t, NULL);
    /* the JSON writer's messages after the CSV writers', in a fixed order */
    for (size_t i = 0; i < job.err.n; i++) {
        const ls_diag *d = &job.err.v[i];
        ls_errorf(err, d->path, d->line, d->col, "%s", d->msg);
    }
    ls_errors_cleanup(&job.err);
    if (rc || job.rc) {
        ls_outdir_abort(od);
        return -1;
    }
    return ls_outdir_commit(od, err);
}
