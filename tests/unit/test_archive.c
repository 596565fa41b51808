/*
 * test_archive.c - the SQLite archive (ls_archive) on fixtures/year/: a
 * version stores the outputs byte for byte and exports them back, a
 * second publication of the year is a new version whose parent is the
 * first, history lists both, the inputs come back under their relative
 * paths, an input that changed since it was hashed publishes nothing,
 * foreign, missing and empty files are refused, and an archive of format
 * 1 (tests/cases/_archive/base.sqlite, written by lawscore at d772719) is
 * read and appended to, and upgraded to format 2 (the same outputs, the
 * old file kept, a second upgrade a no-op, a backup in the way refused);
 * a publication into an archive replaced since it was opened is refused.
 */
#include "ls_test.h"

#include <sys/stat.h>
#include <unistd.h>

#include "ls_archive.h"
#include "ls_backends.h"
#include "ls_manifest.h"
#include "ls_publish.h"
#include "ls_score.h"
#include "ls_util.h"

#include "fixture_results.h"

#define DIR FX_YEAR_DIR

typedef struct fx {
    char tmp[64];
    char *archive, *out;
    fx_year y;
    ls_manifest *m;
} fx;

static int setup(void **state)
{
    fx *x = calloc(1, sizeof *x);
    strcpy(x->tmp, "/tmp/lawscore-test-XXXXXX");
    assert_non_null(mkdtemp(x->tmp));
    x->archive = ls_format("%s/archive.sqlite", x->tmp);
    x->out = ls_format("%s/out", x->tmp);
    ls_errors err;
    ls_errors_init(&err);
    fx_year_load(&x->y, DIR "scheme.yaml", DIR "data.yaml");
    x->m = ls_manifest_new(x->y.s, x->y.d, &err);
    assert_non_null(x->m);
    ls_publish_opts po = {.formats = LS_OUT_CSV | LS_OUT_JSON};
    assert_int_equal(ls_publish(x->y.r, x->m, x->out, &po, &err), 0);
    assert_int_equal(err.n, 0);
    ls_errors_cleanup(&err);
    *state = x;
    return 0;
}

static void rm_tree(const char *dir)
{
    char *cmd = ls_format("rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
}

static int teardown(void **state)
{
    fx *x = *state;
    ls_manifest_free(x->m);
    fx_year_free(&x->y);
    rm_tree(x->tmp);
    free(x->archive);
    free(x->out);
    free(x);
    return 0;
}

static char *slurp(const char *dir, const char *name, size_t *len)
{
    char *p = ls_format("%s/%s", dir, name);
    char *buf = ls_read_file(p, len);
    assert_non_null(buf);
    free(p);
    return buf;
}

/* files[i] of dir a and dir b are the same bytes */
static void assert_same_files(const char *a, const char *b, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t n1, n2;
        char *b1 = slurp(a, names[i], &n1), *b2 = slurp(b, names[i], &n2);
        assert_int_equal(n1, n2);
        assert_memory_equal(b1, b2, n1);
        free(b1);
        free(b2);
    }
}

static void test_publish_export_history(void **state)
{
    fx *x = *state;
    ls_errors err;
    ls_errors_init(&err);
    ls_archive *a = ls_archive_open(x->archive, 1, &err);
    assert_non_null(a);
    ls_publication p = {"第一次", x->m, x->out, x->y.r};
    long v, parent;
    assert_int_equal(ls_archive_publish(a, &p, &v, &parent, &err), 0);
    assert_int_equal(v, 1);
    assert_int_equal(parent, 0);
    p.label = "复核后";
    assert_int_equal(ls_archive_publish(a, &p, &v, &parent, &err), 0);
    assert_int_equal(v, 2);
    assert_int_equal(parent, 1);
    long latest;
    assert_int_equal(ls_archive_latest(a, 2017, &latest, &err), 0);
    assert_int_equal(latest, 2);
    assert_int_equal(ls_archive_latest(a, 2018, &latest, &err), -1);
    assert_string_equal(err.v[err.n - 1].msg, "no version for year 2018 in the archive");
    ls_archive_close(a);
    ls_errors_cleanup(&err);

    /* reopened read-only use: the outputs come back byte for byte */
    ls_errors_init(&err);
    a = ls_archive_open(x->archive, 0, &err);
    assert_non_null(a);
    char *ex = ls_format("%s/export", x->tmp);
    assert_int_equal(ls_archive_export(a, 1, ex, &err), 0);
    const char *names[] = {"results.csv", "items.csv", "results.json"};
    assert_same_files(x->out, ex, names, 3);
    /* version 2 holds the same files as version 1: stored once, both export */
    char *ex2 = ls_format("%s/export2", x->tmp);
    assert_int_equal(ls_archive_export(a, 2, ex2, &err), 0);
    assert_same_files(ex, ex2, names, 3);
    free(ex2);
    assert_int_equal(ls_archive_export(a, 3, ex, &err), -1);
    assert_string_equal(err.v[err.n - 1].msg, "no version 3 in the archive");
    /* history */
    char *hist = NULL;
    size_t hlen = 0;
    FILE *f = open_memstream(&hist, &hlen);
    assert_int_equal(ls_archive_history(a, f, &err), 0);
    fclose(f);
    assert_non_null(strstr(hist, "   2  2017       1"));
    assert_non_null(strstr(hist, "复核后"));
    free(hist);
    /* the inputs come back where the scheme expects its rules */
    char *in = ls_format("%s/inputs", x->tmp), *scheme = NULL, **data = NULL, **adj = NULL;
    size_t ndata = 0, nadj = 0;
    assert_int_equal(ls_archive_extract_inputs(a, 1, in, &scheme, &data, &ndata, &adj, &nadj, &err), 0);
    assert_int_equal(nadj, 0);
    char *want = ls_format("%s/%sscheme.yaml", in, DIR);
    assert_string_equal(scheme, want);
    assert_int_equal(ndata, 1);
    char *rule = ls_format("%s/%srules/rank.lua", in, DIR);
    struct stat st;
    assert_int_equal(stat(rule, &st), 0);
    free(rule);
    free(want);
    free(scheme);
    free(data[0]);
    free(data);
    free(in);
    free(ex);
    ls_archive_close(a);
    ls_errors_cleanup(&err);
}

static void test_changed_input(void **state)
{
    fx *x = *state;
    ls_errors err;
    ls_errors_init(&err);
    ls_archive *a = ls_archive_open(x->archive, 1, &err);
    assert_non_null(a);
    /* the data file's hash no longer matches its bytes */
    for (size_t i = 0; i < x->m->nfiles; i++)
        if (x->m->files[i].role == LS_MF_DATA) x->m->files[i].sha256[0] ^= 1;
    ls_publication p = {"x", x->m, x->out, x->y.r};
    long v, parent;
    assert_int_equal(ls_archive_publish(a, &p, &v, &parent, &err), -1);
    assert_string_equal(err.v[0].msg, "the data file changed while it was being published: publish again");
    long latest = 0;
    assert_int_equal(ls_archive_latest(a, 2017, &latest, NULL), -1); /* nothing stored */
    ls_archive_close(a);
    ls_errors_cleanup(&err);
}

static void test_refused(void **state)
{
    fx *x = *state;
    ls_errors err;
    ls_errors_init(&err);
    char *p = ls_format("%s/results.csv", x->out);
    assert_null(ls_archive_open(p, 1, &err));
    assert_string_equal(err.v[0].msg, "not a lawscore archive: the file is not an SQLite database");
    free(p);
    p = ls_format("%s/none.sqlite", x->tmp);
    assert_null(ls_archive_open(p, 0, &err));
    assert_string_equal(err.v[1].msg, "cannot open the archive: No such file or directory");
    free(p);
    /* an empty file is not an archive to read, but becomes one to publish into */
    p = ls_format("%s/empty.sqlite", x->tmp);
    FILE *f = fopen(p, "w");
    fclose(f);
    assert_null(ls_archive_open(p, 0, &err));
    assert_string_equal(err.v[2].msg, "not a lawscore archive: the file is empty");
    ls_archive *a = ls_archive_open(p, 1, &err);
    assert_non_null(a);
    ls_archive_close(a);
    assert_non_null(a = ls_archive_open(p, 0, &err));
    ls_archive_close(a);
    free(p);
    assert_int_equal(err.n, 3);
    ls_errors_cleanup(&err);
}

static void test_format1(void **state)
{
    fx *x = *state;
    ls_errors err;
    ls_errors_init(&err);
    char *f1 = ls_format("%s/format1.sqlite", x->tmp);
    char *cmd = ls_format("cp tests/cases/_archive/base.sqlite '%s'", f1);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    ls_archive *a = ls_archive_open(f1, 0, &err);
    assert_non_null(a);
    /* its version reads as it did: the output and its inputs */
    char *buf = NULL;
    size_t len = 0;
    assert_int_equal(ls_archive_output(a, 1, "results.csv", &buf, &len, &err), 0);
    assert_non_null(strstr(buf, "单位编号"));
    free(buf);
    char *in = ls_format("%s/inputs", x->tmp), *scheme = NULL, **data = NULL, **adj = NULL;
    size_t ndata = 0, nadj = 0;
    assert_int_equal(ls_archive_extract_inputs(a, 1, in, &scheme, &data, &ndata, &adj, &nadj, &err), 0);
    assert_non_null(strstr(scheme, "tests/cases/_base/scheme.yaml"));
    assert_int_equal(ndata, 1);
    free(scheme);
    free(data[0]);
    free(data);
    free(in);
    /* a publication is appended in format 1 and exports byte for byte */
    ls_publication p = {"追加", x->m, x->out, x->y.r};
    long v, parent;
    assert_int_equal(ls_archive_publish(a, &p, &v, &parent, &err), 0);
    assert_int_equal(v, 2);
    char *ex = ls_format("%s/export", x->tmp);
    assert_int_equal(ls_archive_export(a, 2, ex, &err), 0);
    const char *names[] = {"results.csv", "items.csv", "results.json"};
    assert_same_files(x->out, ex, names, 3);
    ls_archive_close(a);
    assert_int_equal(err.n, 0);
    free(ex);
    free(f1);
    ls_errors_cleanup(&err);
}

/* the bytes of file path (caller frees) */
static char *whole(const char *path, size_t *len)
{
    char *buf = ls_read_file(path, len);
    assert_non_null(buf);
    return buf;
}

static void test_upgrade(void **state)
{
    fx *x = *state;
    ls_errors err;
    ls_errors_init(&err);
    char *f1 = ls_format("%s/format1.sqlite", x->tmp);
    char *cmd = ls_format("cp tests/cases/_archive/base.sqlite '%s'", f1);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    size_t n0, n1;
    char *orig = whole(f1, &n0);
    ls_archive *a = ls_archive_open(f1, 0, &err);
    assert_non_null(a);
    assert_int_equal(ls_archive_format(a), 1);
    char *csv0 = NULL, *json0 = NULL;
    size_t c0, j0;
    assert_int_equal(ls_archive_output(a, 1, "results.csv", &csv0, &c0, &err), 0);
    assert_int_equal(ls_archive_output(a, 1, "results.json", &json0, &j0, &err), 0);
    ls_archive_close(a);

    ls_upgrade u;
    assert_int_equal(ls_archive_upgrade(f1, 1, &u, &err), 0);
    assert_int_equal(u.format, 1);
    assert_int_equal(u.versions, 1);
    assert_true(u.files >= 4); /* scheme, data, and the outputs */
    assert_int_equal(u.size_before, (long long)n0);
    assert_true(u.size_after > 0); /* one small version: format 2's more tables may not save */
    /* the old file kept, byte for byte */
    char *bak = ls_format("%s.format1.bak", f1);
    assert_string_equal(u.backup, bak);
    char *kept = whole(bak, &n1);
    assert_int_equal(n0, n1);
    assert_memory_equal(orig, kept, n0);
    free(kept);
    ls_upgrade_cleanup(&u);

    /* format 2 now, the version's outputs the same bytes */
    assert_non_null(a = ls_archive_open(f1, 0, &err));
    assert_int_equal(ls_archive_format(a), 2);
    char *csv1 = NULL, *json1 = NULL;
    size_t c1, j1;
    assert_int_equal(ls_archive_output(a, 1, "results.csv", &csv1, &c1, &err), 0);
    assert_int_equal(ls_archive_output(a, 1, "results.json", &json1, &j1, &err), 0);
    assert_int_equal(c0, c1);
    assert_memory_equal(csv0, csv1, c0);
    assert_int_equal(j0, j1);
    assert_memory_equal(json0, json1, j0);
    ls_archive_close(a);

    /* upgraded again: nothing to do, nothing changed */
    size_t n2, n3;
    char *now = whole(f1, &n2);
    assert_int_equal(ls_archive_upgrade(f1, 1, &u, &err), 0);
    assert_int_equal(u.format, 2);
    assert_null(u.backup);
    char *again = whole(f1, &n3);
    assert_int_equal(n2, n3);
    assert_memory_equal(now, again, n2);
    ls_upgrade_cleanup(&u);
    assert_int_equal(err.n, 0);

    /* a backup in the way: refused, the archive untouched */
    char *f2 = ls_format("%s/second.sqlite", x->tmp), *bak2 = ls_format("%s.format1.bak", f2);
    FILE *f = fopen(f2, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(orig, 1, n0, f), n0);
    fclose(f);
    f = fopen(bak2, "w");
    fputs("x", f);
    fclose(f);
    assert_int_equal(ls_archive_upgrade(f2, 1, &u, &err), -1);
    assert_non_null(strstr(err.v[0].msg, "is there already"));
    size_t n4;
    char *untouched = whole(f2, &n4);
    assert_int_equal(n4, n0);
    assert_memory_equal(untouched, orig, n0);
    free(untouched);
    ls_upgrade_cleanup(&u);

    free(now);
    free(again);
    free(csv0);
    free(json0);
    free(csv1);
    free(json1);
    free(orig);
    free(bak);
    free(bak2);
    free(f2);
    free(f1);
    ls_errors_cleanup(&err);
}

/* A publication that opened the archive before an upgrade replaced it
 * writes nothing into the replaced file. */
static void test_replaced(void **state)
{
    fx *x = *state;
    ls_errors err;
    ls_errors_init(&err);
    ls_archive *a = ls_archive_open(x->archive, 1, &err);
    assert_non_null(a);
    char *other = ls_format("%s/other.sqlite", x->tmp);
    ls_archive *b = ls_archive_open(other, 1, &err);
    assert_non_null(b);
    ls_archive_close(b);
    assert_int_equal(rename(other, x->archive), 0);
    ls_publication p = {"x", x->m, x->out, x->y.r};
    long v, parent;
    assert_int_equal(ls_archive_publish(a, &p, &v, &parent, &err), -1);
    assert_string_equal(err.v[0].msg,
                        "the archive was replaced (upgraded?) while this command waited for it: run it again");
    ls_archive_close(a);
    free(other);
    ls_errors_cleanup(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_publish_export_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changed_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_format1, setup, teardown),
        cmocka_unit_test_setup_teardown(test_upgrade, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replaced, setup, teardown),
    };
    return cmocka_run_group_tests_name("archive", tests, NULL, NULL);
}
