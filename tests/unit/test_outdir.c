/*
 * test_outdir.c - all-or-nothing output directories (ls_outdir): commit
 * publishes every file and leaves no temporary, abort leaves nothing, a
 * failure part-way (a write error, a name taken by a directory) publishes
 * no file at all.  Each test works in its own fresh directory under /tmp.
 */
#define _XOPEN_SOURCE 700   /* nftw */
#include "ls_test.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ls_outdir.h"
#include "ls_util.h"

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int setup(void **state)
{
    char *tmpl = ls_xstrdup("/tmp/ls_outdir_XXXXXX");
    if (!mkdtemp(tmpl)) return -1;
    *state = tmpl;
    return 0;
}

static int teardown(void **state)
{
    char *dir = *state;
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(dir);
    return 0;
}

/* Names in dir, sorted, joined with ' ' ("" when empty). */
static char *listing(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    char *names[64];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 64) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        names[n++] = ls_xstrdup(e->d_name);
    }
    closedir(d);
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    ls_buf b;
    ls_buf_init(&b);
    ls_buf_puts(&b, "");
    for (size_t i = 0; i < n; i++) {
        if (i) ls_buf_puts(&b, " ");
        ls_buf_puts(&b, names[i]);
        free(names[i]);
    }
    return b.p;
}

static void assert_listing(const char *dir, const char *expected)
{
    char *l = listing(dir);
    assert_string_equal(l, expected);
    free(l);
}

static char *slurp(const char *path)
{
    size_t len;
    char *s = ls_read_file(path, &len);
    assert_non_null(s);
    return s;
}

static void test_commit(void **state)
{
    const char *base = *state;
    char *dir = ls_format("%s/out/2017/run", base);   /* missing parents */
    ls_errors e;
    ls_errors_init(&e);
    ls_outdir *od = ls_outdir_open(dir, &e);
    assert_non_null(od);
    assert_string_equal(ls_outdir_dir(od), dir);
    FILE *a = ls_outdir_file(od, "results.csv", &e);
    FILE *b = ls_outdir_file(od, "results.json", &e);
    assert_non_null(a);
    assert_non_null(b);
    fputs("a,b\r\n", a);
    fputs("{}\n", b);
    /* Nothing published before commit: only hidden temporaries. */
    char *l = listing(dir);
    assert_non_null(strstr(l, ".results.csv."));
    assert_null(strstr(l, " results.csv"));
    free(l);
    assert_int_equal(ls_outdir_commit(od, &e), 0);
    assert_int_equal(e.n, 0);
    assert_listing(dir, "results.csv results.json");

    char *p = ls_format("%s/results.csv", dir);
    char *s = slurp(p);
    assert_string_equal(s, "a,b\r\n");
    free(s);
    /* Published with the usual permissions, not mkstemp's 0600. */
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    mode_t mask = umask(022);
    umask(mask);
    assert_int_equal(st.st_mode & 0777, 0666 & ~mask);
    free(p);
    ls_errors_cleanup(&e);
    free(dir);
}

static void test_commit_replaces(void **state)
{
    const char *dir = *state;
    ls_errors e;
    ls_errors_init(&e);
    for (int round = 0; round < 2; round++) {
        ls_outdir *od = ls_outdir_open(dir, &e);
        assert_non_null(od);
        FILE *f = ls_outdir_file(od, "items.csv", &e);
        assert_non_null(f);
        fprintf(f, "round %d\n", round);
        assert_int_equal(ls_outdir_commit(od, &e), 0);
    }
    char *p = ls_format("%s/items.csv", dir);
    char *s = slurp(p);
    assert_string_equal(s, "round 1\n");
    free(s);
    free(p);
    assert_listing(dir, "items.csv");
    assert_int_equal(e.n, 0);
    ls_errors_cleanup(&e);
}

static void test_abort(void **state)
{
    const char *dir = *state;
    ls_errors e;
    ls_errors_init(&e);
    ls_outdir *od = ls_outdir_open(dir, &e);
    assert_non_null(od);
    fputs("x", ls_outdir_file(od, "results.csv", &e));
    fputs("y", ls_outdir_file(od, "items.csv", &e));
    ls_outdir_abort(od);
    assert_listing(dir, "");
    ls_outdir_abort(NULL);
    assert_int_equal(e.n, 0);
    ls_errors_cleanup(&e);
}

/* A write fails in the second of three files: no file is published. */
static void test_write_failure(void **state)
{
    const char *dir = *state;
    ls_errors e;
    ls_errors_init(&e);
    ls_outdir *od = ls_outdir_open(dir, &e);
    assert_non_null(od);
    fputs("one", ls_outdir_file(od, "a.csv", &e));
    FILE *f = ls_outdir_file(od, "b.csv", &e);
    fputs("two", ls_outdir_file(od, "c.csv", &e));
    /* Break the stream under stdio: its next flush fails with EBADF. */
    int fd = fileno(f);
    close(fd);
    fputs("lost", f);
    assert_int_equal(ls_outdir_commit(od, &e), -1);
    assert_int_equal(e.nerrors, 1);
    char *p = ls_format("%s/b.csv", dir);
    assert_string_equal(e.v[0].path, p);
    free(p);
    assert_non_null(strstr(e.v[0].msg, "cannot write file"));
    assert_listing(dir, "");
    ls_errors_cleanup(&e);
}

/* A final name taken by a directory is found before anything is renamed. */
static void test_target_is_directory(void **state)
{
    const char *dir = *state;
    char *sub = ls_format("%s/z.json", dir);
    assert_int_equal(mkdir(sub, 0777), 0);
    ls_errors e;
    ls_errors_init(&e);
    ls_outdir *od = ls_outdir_open(dir, &e);
    fputs("a", ls_outdir_file(od, "a.csv", &e));
    fputs("z", ls_outdir_file(od, "z.json", &e));
    assert_int_equal(ls_outdir_commit(od, &e), -1);
    assert_int_equal(e.nerrors, 1);
    assert_string_equal(e.v[0].path, sub);
    assert_string_equal(e.v[0].msg, "cannot replace: is a directory");
    assert_listing(dir, "z.json");
    ls_errors_cleanup(&e);
    free(sub);
}

static void test_bad_names(void **state)
{
    const char *dir = *state;
    ls_errors e;
    ls_errors_init(&e);
    ls_outdir *od = ls_outdir_open(dir, &e);
    assert_null(ls_outdir_file(od, "", &e));
    assert_null(ls_outdir_file(od, "../x.csv", &e));
    assert_null(ls_outdir_file(od, "..", &e));
    assert_non_null(ls_outdir_file(od, "x.csv", &e));
    assert_null(ls_outdir_file(od, "x.csv", &e));
    assert_int_equal(e.nerrors, 4);
    assert_string_equal(e.v[1].msg, "invalid output file name '../x.csv'");
    assert_string_equal(e.v[3].msg, "output file written twice");
    ls_outdir_abort(od);
    assert_listing(dir, "");
    ls_errors_cleanup(&e);
}

static void test_open_errors(void **state)
{
    const char *dir = *state;
    ls_errors e;
    ls_errors_init(&e);
    /* A parent that is a file. */
    char *file = ls_format("%s/plain", dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fclose(f);
    char *under = ls_format("%s/plain/out", dir);
    assert_null(ls_outdir_open(under, &e));
    assert_int_equal(e.nerrors, 1);
    assert_string_equal(e.v[0].path, under);
    char *msg = ls_format("cannot create parent directory '%s': %s", file, strerror(ENOTDIR));
    assert_string_equal(e.v[0].msg, msg);
    free(msg);
    /* The directory itself is a file. */
    assert_null(ls_outdir_open(file, &e));
    assert_int_equal(e.nerrors, 2);
    assert_string_equal(e.v[1].path, file);
    assert_string_equal(e.v[1].msg, "cannot create directory: a file of that name exists");
    assert_null(ls_outdir_open("", &e));
    assert_int_equal(e.nerrors, 3);
    free(under);
    free(file);
    ls_errors_cleanup(&e);
}

static void test_mkdir_p(void **state)
{
    const char *dir = *state;
    ls_errors e;
    ls_errors_init(&e);
    char *p = ls_format("%s//a/b//c/", dir);
    assert_int_equal(ls_mkdir_p(p, &e), 0);
    assert_int_equal(ls_mkdir_p(p, &e), 0);     /* exists: fine */
    char *c = ls_format("%s/a/b/c", dir);
    struct stat st;
    assert_int_equal(stat(c, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(e.n, 0);
    free(c);
    free(p);
    ls_errors_cleanup(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commit_replaces, setup, teardown),
        cmocka_unit_test_setup_teardown(test_abort, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_failure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_target_is_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mkdir_p, setup, teardown),
    };
    return cmocka_run_group_tests_name("outdir", tests, NULL, NULL);
}
