/*
 * fuzz_archive.c - fuzz target: an archive file (SQLite) someone gives to
 * `history`, `export`, `diff`, `compare` or `upgrade` (ls_archive_open
 * and what those commands read of it).  A corrupted or hand-edited
 * archive must be refused with a message naming it, never crash, never
 * export a file other than the one published.
 *
 * The input is written as archive.sqlite in the scratch directory and
 * opened (without create).  An archive that opens is read as the commands
 * read it: its history; for versions 1 to 3 their information, `history
 * --version`, results.json (parsed as `diff` parses it), the output files
 * exported to a fresh directory (all or nothing: a failed export leaves no
 * directory behind) and the input files extracted (as `compare` does);
 * the latest version of 2017.  Then the fixture's result (fixtures/
 * scheme.yaml on data.yaml and data.csv, scored once) is published onto
 * it as `publish --archive` does: what it would withdraw, then the
 * version itself; a failed publication leaves the file's bytes as they
 * were, a successful one leaves an archive that opens and exports the new
 * version.  An archive of format 1 is then upgraded (`upgrade`): a failed
 * upgrade leaves the file as it was, a successful one leaves an archive
 * of format 2 that opens.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "ls_archive.h"
#include "ls_backends.h"
#include "ls_manifest.h"
#include "ls_publish.h"
#include "ls_results.h"
#include "ls_score.h"
#include "ls_util.h"

static char path[4096], outdir[4096], indir[4096], published[4096];
static FILE *sink;
/* the fixture's result, published onto each archive that opens */
static ls_backends backends;
static ls_run *run;
static ls_manifest *manifest;

static void cleanup(void)
{
    if (sink) fclose(sink);
    ls_manifest_free(manifest);
    ls_run_free(run);
    ls_backends_cleanup(&backends);
}

static void score_fixture(void)
{
    ls_errors err;
    ls_errors_init(&err);
    const ls_scheme *s = fz_scheme();
    ls_bind_opts bo = {0};
    ls_score_opts so = {0};
    ls_publish_opts po = {.formats = LS_OUT_CSV | LS_OUT_JSON};
    if (ls_backends_bind(&backends, s, &bo, &err) || !(run = ls_score_run(s, fz_dataset(), &backends, &so, &err)) ||
        !(manifest = ls_manifest_new(s, fz_dataset(), &err)) || ls_publish(run, manifest, published, &po, &err)) {
        ls_errors_print(&err, stderr);
        fz_fail("the fixture does not score and publish");
    }
    ls_errors_cleanup(&err);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    static const char *const links[] = {"scheme.yaml", "rules", "data.yaml", "data.csv", NULL};
    fz_setup(links);
    snprintf(path, sizeof path, "%s", fz_path("archive.sqlite"));
    snprintf(published, sizeof published, "%s", fz_path("published"));
    snprintf(outdir, sizeof outdir, "%s", fz_path("export"));
    snprintf(indir, sizeof indir, "%s", fz_path("inputs"));
    sink = fopen("/dev/null", "w");
    if (!sink) fz_fail("cannot open /dev/null");
    /* the fixture set first: exit handlers run last-registered first, and
     * the run must be freed before its scheme */
    fz_dataset();
    atexit(cleanup);
    score_fixture();
    return 0;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(p);
}

/* Remove what a step left in the scratch directory (exports, extracted
 * inputs, the journal and the upgrade's backup and temporary files). */
static void clean(void)
{
    nftw(outdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    nftw(indir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    static const char *const extra[] = {"archive.sqlite-journal", "archive.sqlite.format1.bak",
                                        "archive.sqlite-wal", "archive.sqlite-shm", NULL};
    for (const char *const *e = extra; *e; e++) unlink(fz_path(*e));
}

static int exists(const char *p)
{
    struct stat st;
    return lstat(p, &st) == 0;
}

static void read_version(ls_archive *a, long v, const uint8_t *data, size_t size)
{
    ls_errors err;
    ls_errors_init(&err);
    int year;
    char *label = NULL;
    int bad = ls_archive_version_info(a, v, &year, &label, &err);
    fz_check("ls_archive_version_info", bad, &err, path, data, size);
    free(label);
    ls_errors_cleanup(&err);

    ls_errors_init(&err);
    bad = ls_archive_show(a, v, NULL, NULL, sink, &err);
    fz_check("ls_archive_show", bad, &err, path, data, size);
    ls_errors_cleanup(&err);

    ls_errors_init(&err);
    char *buf = NULL;
    size_t len = 0;
    bad = ls_archive_output(a, v, "results.json", &buf, &len, &err);
    fz_check("ls_archive_output", bad, &err, path, data, size);
    ls_errors_cleanup(&err);
    if (!bad) {
        if (!buf || buf[len] != '\0') fz_fail("ls_archive_output: no NUL-terminated buffer");
        ls_errors_init(&err);
        ls_results *r = ls_results_parse(buf, len, "fuzz", &err);
        fz_check("ls_results_parse", r == NULL, &err, NULL, NULL, 0);
        ls_results_free(r);
        ls_errors_cleanup(&err);
    }
    free(buf);

    ls_errors_init(&err);
    bad = ls_archive_export(a, v, outdir, &err);
    fz_check("ls_archive_export", bad, &err, path, data, size);
    if (bad && exists(outdir)) fz_fail("a failed export left %s behind", outdir);
    ls_errors_cleanup(&err);

    ls_errors_init(&err);
    char *scheme = NULL, **dfiles = NULL, **adj = NULL;
    size_t nd = 0, na = 0;
    bad = ls_archive_extract_inputs(a, v, indir, &scheme, &dfiles, &nd, &adj, &na, &err);
    fz_check("ls_archive_extract_inputs", bad, &err, path, data, size);
    if (!bad && !scheme) fz_fail("ls_archive_extract_inputs: no scheme");
    /* every path written lies under the directory */
    size_t dl = strlen(indir);
    if (scheme && (strncmp(scheme, indir, dl) || strstr(scheme, "/../")))
        fz_fail("an input extracted outside %s: %s", indir, scheme);
    for (size_t i = 0; i < nd; i++) {
        if (strncmp(dfiles[i], indir, dl) || strstr(dfiles[i], "/../"))
            fz_fail("an input extracted outside %s: %s", indir, dfiles[i]);
        free(dfiles[i]);
    }
    for (size_t i = 0; i < na; i++) {
        if (strncmp(adj[i], indir, dl) || strstr(adj[i], "/../"))
            fz_fail("an input extracted outside %s: %s", indir, adj[i]);
        free(adj[i]);
    }
    free(scheme);
    free(dfiles);
    free(adj);
    ls_errors_cleanup(&err);
    clean();
}

/* Publish the fixture's result onto archive a (open), as `publish
 * --archive` does. */
static void publish_onto(ls_archive *a, const uint8_t *data, size_t size)
{
    ls_errors err;
    ls_errors_init(&err);
    ls_withdrawn w = {0};
    ls_buf_init(&w.decisions);
    ls_buf_init(&w.units);
    int bad = ls_archive_withdrawn(a, run, manifest, &w, &err);
    fz_check("ls_archive_withdrawn", bad, &err, path, data, size);
    ls_withdrawn_cleanup(&w);
    ls_errors_cleanup(&err);

    size_t before_len;
    char *before = ls_read_file(path, &before_len);
    if (!before) fz_fail("cannot read %s", path);
    ls_publication p = {"模糊测试", manifest, published, run};
    long version = 0, parent = 0;
    ls_errors_init(&err);
    bad = ls_archive_publish(a, &p, &version, &parent, &err);
    fz_check("ls_archive_publish", bad, &err, path, data, size);
    ls_errors_cleanup(&err);
    if (bad) {
        size_t after_len;
        char *after = ls_read_file(path, &after_len);
        if (!after || after_len != before_len || memcmp(before, after, after_len))
            fz_fail("a failed publication changed the archive");
        free(after);
    } else {
        ls_errors_init(&err);
        if (ls_archive_export(a, version, outdir, &err)) {
            ls_errors_print(&err, stderr);
            fz_fail("version %ld, just published, does not export", version);
        }
        ls_errors_cleanup(&err);
        clean();
    }
    free(before);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    clean();
    fz_write(path, data, size);
    ls_errors err;
    ls_errors_init(&err);
    ls_archive *a = ls_archive_open(path, 0, &err);
    fz_check("ls_archive_open", a == NULL, &err, path, data, size);
    ls_errors_cleanup(&err);
    if (!a) return 0;
    int format = ls_archive_format(a);
    if (format != 1 && format != 2) fz_fail("archive of format %d opened", format);

    ls_errors_init(&err);
    int bad = ls_archive_history(a, sink, &err);
    fz_check("ls_archive_history", bad, &err, path, data, size);
    ls_errors_cleanup(&err);
    for (long v = 1; v <= 3; v++) read_version(a, v, data, size);
    ls_errors_init(&err);
    long latest;
    bad = ls_archive_latest(a, 2017, &latest, &err);
    fz_check("ls_archive_latest", bad, &err, path, data, size);
    ls_errors_cleanup(&err);
    publish_onto(a, data, size);
    ls_archive_close(a);

    if (format == 1) {
        size_t before_len;
        char *before = ls_read_file(path, &before_len);
        ls_upgrade u;
        ls_errors_init(&err);
        bad = ls_archive_upgrade(path, 0, &u, &err);
        fz_check("ls_archive_upgrade", bad, &err, path, data, size);
        ls_errors_cleanup(&err);
        if (bad) {
            size_t after_len;
            char *after = ls_read_file(path, &after_len);
            if (!after || !before || after_len != before_len || memcmp(before, after, after_len))
                fz_fail("a failed upgrade changed the archive");
            free(after);
        } else {
            ls_errors_init(&err);
            ls_archive *b = ls_archive_open(path, 0, &err);
            if (!b || ls_archive_format(b) != 2) {
                ls_errors_print(&err, stderr);
                fz_fail("an upgraded archive does not open as format 2");
            }
            ls_archive_close(b);
            ls_errors_cleanup(&err);
        }
        ls_upgrade_cleanup(&u);
        free(before);
    }
    clean();
    return 0;
}
