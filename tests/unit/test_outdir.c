/*
 * test_outdir.c - output sets published in one step (ls_outdir): commit
 * publishes every file with the marker and leaves no hidden directory,
 * abort leaves nothing, a failure part-way (a write error, a file-size
 * limit) publishes nothing, a directory of other files is not replaced,
 * the leftovers of dead runs are removed (and live ones kept), SIGTERM
 * removes the unfinished output and says so.  Each test works in its own
 * fresh directory under /tmp.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include "ls_test.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
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

/* How many hidden directories of outputs into `dir` are beside it. */
static int hidden(const char *dir)
{
    const char *slash = strrchr(dir, '/');
    char *parent = ls_xstrndup(dir, (size_t)(slash - dir));
    char *prefix = ls_format(".%s.lawscore-", slash + 1);
    DIR *d = opendir(parent);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (!strncmp(e->d_name, prefix, strlen(prefix))) n++;
    closedir(d);
    free(prefix);
    free(parent);
    return n;
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
    char *dir = ls_format("%s/out/2017/run", base); /* missing parents */
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
    /* Nothing published before commit: the set is in a hidden directory. */
    struct stat st;
    assert_int_equal(stat(dir, &st), -1);
    assert_int_equal(hidden(dir), 1);
    assert_int_equal(ls_outdir_commit(od, &e), 0);
    assert_int_equal(e.n, 0);
    assert_listing(dir, ".lawscore-output results.csv results.json");
    assert_int_equal(hidden(dir), 0);

    char *p = ls_format("%s/results.csv", dir);
    char *s = slurp(p);
    assert_string_equal(s, "a,b\r\n");
    free(s);
    /* Published with the usual permissions, not mkstemp's 0600. */
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
    assert_listing(dir, ".lawscore-output items.csv");
    assert_int_equal(hidden(dir), 0);
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
    assert_int_equal(hidden(dir), 0);
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
    assert_int_equal(hidden(dir), 0);
    ls_errors_cleanup(&e);
}

/* A directory holding files lawscore did not write is not replaced; one
 * holding only earlier results (no marker: an older lawscore) is. */
static void test_foreign_files(void **state)
{
    const char *dir = *state;
    char *sub = ls_format("%s/z.json", dir), *notes = ls_format("%s/notes.txt", dir);
    assert_int_equal(mkdir(sub, 0777), 0);
    FILE *f = fopen(notes, "w");
    fclose(f);
    ls_errors e;
    ls_errors_init(&e);
    ls_outdir *od = ls_outdir_open(dir, &e);
    fputs("a", ls_outdir_file(od, "a.csv", &e));
    fputs("z", ls_outdir_file(od, "z.json", &e));
    assert_int_equal(ls_outdir_commit(od, &e), -1);
    assert_int_equal(e.nerrors, 1);
    assert_string_equal(e.v[0].path, dir);
    assert_string_equal(e.v[0].msg, "will not replace a directory that holds files lawscore did not "
                                    "write ('notes.txt', 'z.json'): lawscore replaces its output "
                                    "directory as a whole; give -o a new or empty directory");
    assert_listing(dir, "notes.txt z.json");
    assert_int_equal(hidden(dir), 0);
    /* the results of an older lawscore only: replaced */
    unlink(notes);
    rmdir(sub);
    char *old = ls_format("%s/results.csv", dir);
    f = fopen(old, "w");
    fclose(f);
    od = ls_outdir_open(dir, &e);
    fputs("a", ls_outdir_file(od, "items.csv", &e));
    assert_int_equal(ls_outdir_commit(od, &e), 0);
    assert_listing(dir, ".lawscore-output items.csv");
    ls_errors_cleanup(&e);
    free(old);
    free(notes);
    free(sub);
}

/* The hidden directories of dead runs are removed, with a note; one that
 * a live process holds (its flock) is kept. */
static void test_dead_runs(void **state)
{
    const char *dir = *state;
    char *dead = ls_format("%s.x/.out.lawscore-dead01", dir), *live = ls_format("%s.x/.out.lawscore-live01", dir);
    char *out = ls_format("%s.x/out", dir), *file = ls_format("%s/results.json", dead);
    char *xdir = ls_format("%s.x", dir);
    assert_int_equal(mkdir(xdir, 0777), 0);
    free(xdir);
    assert_int_equal(mkdir(dead, 0777), 0);
    assert_int_equal(mkdir(live, 0777), 0);
    FILE *f = fopen(file, "w");
    fputs("half", f);
    fclose(f);
    int fd = open(live, O_RDONLY | O_DIRECTORY);
    assert_int_equal(flock(fd, LOCK_EX), 0);
    ls_errors e;
    ls_errors_init(&e);
    ls_outdir *od = ls_outdir_open(out, &e);
    assert_non_null(od);
    assert_int_equal(e.n, 1);
    assert_int_equal(e.v[0].sev, LS_SEV_NOTE);
    assert_string_equal(e.v[0].path, dead);
    assert_string_equal(e.v[0].msg, "removed the unfinished output of an earlier run that was stopped");
    struct stat st;
    assert_int_equal(stat(dead, &st), -1);
    assert_int_equal(stat(live, &st), 0);
    ls_outdir_abort(od);
    close(fd);
    rmdir(live);
    char *x = ls_format("%s.x", dir);
    assert_int_equal(rmdir(x), 0); /* nothing else left */
    free(x);
    ls_errors_cleanup(&e);
    free(dead), free(live), free(out), free(file);
}

/* A file-size limit: the write fails with EFBIG (no SIGXFSZ death), is
 * reported, and nothing is published.  In a child: the limit is its own. */
static void test_file_size_limit(void **state)
{
    const char *dir = *state;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct rlimit rl = {4096, 4096};
        if (setrlimit(RLIMIT_FSIZE, &rl) != 0) _exit(10);
        ls_errors e;
        ls_errors_init(&e);
        ls_outdir *od = ls_outdir_open(dir, &e);
        FILE *f = od ? ls_outdir_file(od, "big.csv", &e) : NULL;
        if (!f) _exit(11);
        for (int i = 0; i < 1000; i++) fputs("0123456789", f);
        if (ls_outdir_commit(od, &e) != -1 || e.nerrors != 1) _exit(12);
        if (strcmp(e.v[0].msg, "cannot write file: File too large")) _exit(13);
        _exit(0);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_listing(dir, "");
    assert_int_equal(hidden(dir), 0);
}

/* SIGTERM while writing: the hidden directory is removed, a message says
 * so, and the process ends by the signal. */
static void test_sigterm(void **state)
{
    const char *dir = *state;
    char *errf = ls_format("%s.err", dir);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(errf, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(fd, 2);
        ls_errors e;
        ls_errors_init(&e);
        ls_outdir *od = ls_outdir_open(dir, &e);
        FILE *f = od ? ls_outdir_file(od, "results.csv", &e) : NULL;
        if (!f) _exit(11);
        fputs("half", f);
        fflush(f);
        raise(SIGTERM);
        _exit(12);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGTERM);
    char *msg = slurp(errf);
    assert_non_null(strstr(msg, "lawscore: stopped by SIGTERM: removed the unfinished output "));
    assert_non_null(strstr(msg, "; the results were not written\n"));
    free(msg);
    unlink(errf);
    free(errf);
    assert_listing(dir, "");
    assert_int_equal(hidden(dir), 0);
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
    assert_null(ls_outdir_file(od, LS_OUTDIR_MARKER, &e));
    assert_int_equal(e.nerrors, 5);
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
    assert_int_equal(ls_mkdir_p(p, &e), 0); /* exists: fine */
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
        cmocka_unit_test_setup_teardown(test_foreign_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dead_runs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_size_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sigterm, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mkdir_p, setup, teardown),
    };
    return cmocka_run_group_tests_name("outdir", tests, NULL, NULL);
}
