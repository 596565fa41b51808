/*
 * ls_outdir.c - publishing a set of output files as one atomic step (see
 * ls_outdir.h).
 */
#define _GNU_SOURCE /* renameat2, RENAME_EXCHANGE */
#include "ls_outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ls_i18n.h"
#include "ls_util.h"

#define MARKER_TEXT                                                                     \
    "This directory is the output of `lawscore run`. Each run replaces it as a whole\n" \
    "(docs/output.md): keep no other files in it.\n"

/* Files earlier lawscore versions published without the marker: a
 * directory holding only these may be replaced. */
static const char *const known_names[] = {"results.csv", "items.csv", "results.json",
                                          "results.xlsx", "report.html", NULL};

typedef struct outfile {
    char *name; /* within the directory */
    char *path; /* staging/name */
    FILE *f;    /* NULL once closed */
} outfile;

struct ls_outdir {
    char *dir;       /* as given */
    char *target;    /* the path published (symbolic links resolved) */
    char *parent;    /* its directory */
    char *staging;   /* parent/.base.lawscore-XXXXXX */
    int lock_fd;     /* the staging directory, flocked while we live */
    mode_t mode;     /* permissions of the published files */
    mode_t dir_mode; /* of the new directory when there is no old one */
    outfile *files;
    size_t n, cap;
};

/* ---- what the signal handlers know ----------------------------------- */

#define EM_MAX 64
static char *em_paths[EM_MAX];          /* files of the open output */
static volatile sig_atomic_t em_n;      /* how many of em_paths are set */
static char *em_staging;                /* its hidden directory, or NULL */
static volatile sig_atomic_t em_active; /* an output is open, unpublished */
static const int stop_sigs[] = {SIGINT, SIGTERM, SIGHUP};
#define NSTOP (sizeof stop_sigs / sizeof *stop_sigs)
static struct sigaction stop_prev[NSTOP], xfsz_prev;

static void em_put(const char *s)
{
    size_t n = strlen(s);
    while (n) {
        ssize_t w = write(STDERR_FILENO, s, n);
        if (w <= 0) return;
        s += w;
        n -= (size_t)w;
    }
}

void ls_outdir_emergency_cleanup(void)
{
    if (!em_active || !em_staging) return;
    em_active = 0;
    for (sig_atomic_t i = 0; i < em_n; i++) unlink(em_paths[i]);
    /* the marker, in case it was written already */
    char marker[4096];
    size_t n = strlen(em_staging);
    if (n + sizeof LS_OUTDIR_MARKER + 1 < sizeof marker) {
        memcpy(marker, em_staging, n);
        marker[n] = '/';
        memcpy(marker + n + 1, LS_OUTDIR_MARKER, sizeof LS_OUTDIR_MARKER);
        unlink(marker);
    }
    rmdir(em_staging);
}

static void on_stop(int sig)
{
    if (em_active && em_staging) {
        ls_outdir_emergency_cleanup();
        em_put("lawscore: stopped by ");
        em_put(sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM"
                                                         : "SIGHUP");
        em_put(": removed the unfinished output ");
        em_put(em_staging);
        em_put("; the results were not written\n");
    }
    /* end as the signal would have ended us */
    signal(sig, SIG_DFL);
    raise(sig);
}

static void signals_on(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < NSTOP; i++) sigaddset(&sa.sa_mask, stop_sigs[i]);
    for (size_t i = 0; i < NSTOP; i++) {
        /* a signal the caller ignores (nohup, a background job) stays so */
        sigaction(stop_sigs[i], NULL, &stop_prev[i]);
        if (stop_prev[i].sa_handler != SIG_IGN) sigaction(stop_sigs[i], &sa, NULL);
    }
    /* a file-size limit: the write fails with EFBIG and is reported */
    struct sigaction ign;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGXFSZ, &ign, &xfsz_prev);
}

static void signals_off(void)
{
    for (size_t i = 0; i < NSTOP; i++) sigaction(stop_sigs[i], &stop_prev[i], NULL);
    sigaction(SIGXFSZ, &xfsz_prev, NULL);
}

/* Forget the open output (handlers first, then the strings they read). */
static void em_clear(void)
{
    em_active = 0;
    signals_off();
    sig_atomic_t n = em_n;
    em_n = 0;
    for (sig_atomic_t i = 0; i < n; i++) {
        free(em_paths[i]);
        em_paths[i] = NULL;
    }
    free(em_staging);
    em_staging = NULL;
}

/* ---- directories --------------------------------------------------------- */

int ls_mkdir_p(const char *dir, ls_errors *err)
{
    if (!dir || !*dir)
        return ls_errorf(err, NULL, 0, 0, "output directory name is empty");
    char *p = ls_xstrdup(dir);
    int rc = 0;
    /* Create each prefix ending before a '/', then the whole path. */
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0') continue;
        char saved = *s;
        int last = !saved || s[strspn(s, "/")] == '\0';
        *s = '\0';
        if (mkdir(p, 0777) != 0) {
            int e = errno;
            struct stat st;
            if (e != EEXIST || stat(p, &st) != 0 || !S_ISDIR(st.st_mode)) {
                const char *why = e != EEXIST ? strerror(e)
                                  : last      ? _("a file of that name exists")
                                              : strerror(ENOTDIR);
                /* Messages name the directory asked for, and the parent
                 * that failed when it is not that directory. */
                if (last)
                    rc = ls_errorf(err, dir, 0, 0, "cannot create directory: %s", why);
                else
                    rc = ls_errorf(err, dir, 0, 0,
                                   "cannot create parent directory '%s': %s", p, why);
                break;
            }
        }
        *s = saved;
        if (!saved) break;
        while (s[1] == '/') s++; /* "a//b" */
        if (!s[1]) break;        /* trailing slash */
    }
    free(p);
    return rc;
}

/* Remove directory `path` holding only files (a hidden set of ours).
 * 0, or -1 with errno set. */
static int remove_set(const char *path)
{
    int dfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    if (dfd < 0) return errno == ENOENT ? 0 : -1;
    DIR *d = fdopendir(dfd);
    if (!d) {
        close(dfd);
        return -1;
    }
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) unlinkat(dfd, e->d_name, 0);
    closedir(d);
    return rmdir(path) == 0 || errno == ENOENT ? 0 : -1;
}

/* Remove the hidden directories beside `base` in `parent` that earlier
 * runs left (killed, crashed): those whose flock we can take belong to
 * no live process. */
static void remove_dead(const char *parent, const char *base, ls_errors *err)
{
    DIR *d = opendir(parent);
    if (!d) return;
    char *prefix = ls_format(".%s.lawscore-", base);
    size_t np = strlen(prefix);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, prefix, np)) continue;
        char *path = ls_path_join(parent, e->d_name);
        int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
        if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0) {
            if (remove_set(path) == 0)
                ls_notef(err, path, 0, 0,
                         "removed the unfinished output of an earlier run that was stopped");
        }
        if (fd >= 0) close(fd);
        free(path);
    }
    free(prefix);
    closedir(d);
}

/* The path to publish: dir, with a symbolic link to a directory followed
 * (the link stays, its target is replaced), split into parent and base.
 * 0, or -1 with an error. */
static int split_target(ls_outdir *od, ls_errors *err)
{
    struct stat st;
    char *t;
    if (lstat(od->dir, &st) == 0 && S_ISLNK(st.st_mode)) {
        t = realpath(od->dir, NULL);
        if (!t) return ls_errorf(err, od->dir, 0, 0, "cannot follow the link: %s", strerror(errno));
    } else {
        t = ls_path_join(".", od->dir);
    }
    char *slash = strrchr(t, '/');
    const char *base = slash ? slash + 1 : t;
    if (!*base || !strcmp(base, ".") || !strcmp(base, "..")) {
        free(t);
        return ls_errorf(err, od->dir, 0, 0,
                         "give the output directory by its name (lawscore replaces it as a whole), "
                         "not '.' or '..'");
    }
    od->target = t;
    od->parent = slash ? (slash == t ? ls_xstrdup("/") : ls_xstrndup(t, (size_t)(slash - t)))
                       : ls_xstrdup(".");
    return 0;
}

static const char *base_of(const ls_outdir *od)
{
    const char *slash = strrchr(od->target, '/');
    return slash ? slash + 1 : od->target;
}

ls_outdir *ls_outdir_open(const char *dir, ls_errors *err)
{
    if (!dir || !*dir) {
        ls_errorf(err, NULL, 0, 0, "output directory name is empty");
        return NULL;
    }
    ls_outdir *od = ls_xcalloc(1, sizeof *od);
    od->lock_fd = -1;
    od->dir = ls_xstrdup(dir);
    struct stat st;
    if (split_target(od, err)) goto fail;
    if (stat(od->target, &st) == 0 && !S_ISDIR(st.st_mode)) {
        ls_errorf(err, dir, 0, 0, "cannot create directory: a file of that name exists");
        goto fail;
    }
    ls_errors perr;
    ls_errors_init(&perr);
    if (ls_mkdir_p(od->parent, &perr) < 0) {
        /* Said of the directory asked for, as mkdir -p of it would. */
        const char *m = perr.v[0].msg, *why = strstr(m, ": ");
        why = why ? why + 2 : m;
        if (!strncmp(m, "cannot create parent directory", 30))
            ls_errorf(err, dir, 0, 0, "%s", m);
        else
            ls_errorf(err, dir, 0, 0, "cannot create parent directory '%s': %s", od->parent,
                      !strcmp(why, _("a file of that name exists")) ? strerror(ENOTDIR) : why);
        ls_errors_cleanup(&perr);
        goto fail;
    }
    ls_errors_cleanup(&perr);
    if (access(od->parent, W_OK | X_OK) != 0) {
        ls_errorf(err, dir, 0, 0, "cannot write to directory '%s': %s", od->parent, strerror(errno));
        goto fail;
    }
    remove_dead(od->parent, base_of(od), err);
    mode_t mask = umask(022);
    umask(mask);
    od->mode = 0666 & ~mask;
    od->dir_mode = 0777 & ~mask;
    char *tmpl = ls_format(".%s.lawscore-XXXXXX", base_of(od));
    od->staging = ls_path_join(od->parent, tmpl);
    free(tmpl);
    if (!mkdtemp(od->staging)) {
        ls_errorf(err, dir, 0, 0, "cannot create a directory in '%s': %s", od->parent, strerror(errno));
        free(od->staging);
        od->staging = NULL;
        goto fail;
    }
    /* Held for our life: tells later runs this directory is not dead. */
    od->lock_fd = open(od->staging, O_RDONLY | O_DIRECTORY);
    if (od->lock_fd < 0 || flock(od->lock_fd, LOCK_EX | LOCK_NB) != 0 ||
        fstat(od->lock_fd, &st) != 0 || st.st_nlink == 0) {
        /* another run's cleanup took it between mkdtemp and flock */
        ls_errorf(err, dir, 0, 0, "cannot lock '%s': %s", od->staging, strerror(errno ? errno : EAGAIN));
        goto fail;
    }
    em_clear();
    em_staging = ls_xstrdup(od->staging);
    em_active = 1;
    signals_on();
    return od;
fail:
    ls_outdir_abort(od);
    return NULL;
}

const char *ls_outdir_dir(const ls_outdir *od) { return od->dir; }

static int bad_name(const char *name)
{
    return !*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..") ||
           !strcmp(name, LS_OUTDIR_MARKER);
}

FILE *ls_outdir_file(ls_outdir *od, const char *name, ls_errors *err)
{
    if (bad_name(name)) {
        ls_errorf(err, od->dir, 0, 0, "invalid output file name '%s'", name);
        return NULL;
    }
    for (size_t i = 0; i < od->n; i++)
        if (!strcmp(od->files[i].name, name)) {
            char *final = ls_format("%s/%s", od->dir, name);
            ls_errorf(err, final, 0, 0, "output file written twice");
            free(final);
            return NULL;
        }
    char *path = ls_format("%s/%s", od->staging, name);
    /* known to the handlers before it exists */
    if (em_n < EM_MAX) {
        em_paths[em_n] = ls_xstrdup(path);
        em_n = em_n + 1;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, od->mode);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        int e = errno;
        if (fd >= 0) close(fd);
        char *final = ls_format("%s/%s", od->dir, name);
        ls_errorf(err, final, 0, 0, "cannot create file: %s", strerror(e));
        free(final);
        unlink(path);
        free(path);
        return NULL;
    }
    LS_GROW(od->files, od->n, od->cap, 4);
    outfile *o = &od->files[od->n++];
    o->name = ls_xstrdup(name);
    o->path = path;
    o->f = f;
    return f;
}

const char *ls_outdir_tmp_path(const ls_outdir *od, const char *name)
{
    for (size_t i = 0; i < od->n; i++)
        if (!strcmp(od->files[i].name, name)) return od->files[i].path;
    return NULL;
}

static void free_od(ls_outdir *od)
{
    for (size_t i = 0; i < od->n; i++) {
        if (od->files[i].f) fclose(od->files[i].f);
        free(od->files[i].name);
        free(od->files[i].path);
    }
    free(od->files);
    if (od->lock_fd >= 0) close(od->lock_fd);
    free(od->dir);
    free(od->target);
    free(od->parent);
    free(od->staging);
    free(od);
}

void ls_outdir_abort(ls_outdir *od)
{
    if (!od) return;
    for (size_t i = 0; i < od->n; i++) {
        if (od->files[i].f) fclose(od->files[i].f);
        od->files[i].f = NULL;
    }
    if (od->staging) remove_set(od->staging);
    if (em_staging && od->staging && !strcmp(em_staging, od->staging)) em_clear();
    free_od(od);
}

/* Flush, sync and close one file; 0 or -1 with an error naming it. */
static int finish(ls_outdir *od, outfile *o, ls_errors *err)
{
    FILE *f = o->f;
    o->f = NULL;
    /* An earlier failed write leaves the error flag but not its errno. */
    int had_error = ferror(f);
    int e = 0;
    if (fflush(f) != 0) e = errno;
    else if (!had_error && fsync(fileno(f)) != 0 && errno != EINVAL) e = errno;
    if (fclose(f) != 0 && !e) e = errno;
    if (!e && !had_error) return 0;
    char *final = ls_format("%s/%s", od->dir, o->name);
    ls_errorf(err, final, 0, 0, "cannot write file: %s", e ? strerror(e) : "write error");
    free(final);
    return -1;
}

/* Whether the existing directory may be replaced: empty, marked, or
 * holding only files lawscore writes.  0, or -1 with an error. */
static int replaceable(const ls_outdir *od, ls_errors *err)
{
    DIR *d = opendir(od->target);
    if (!d) return ls_errorf(err, od->dir, 0, 0, "cannot read directory: %s", strerror(errno));
    int marked = 0;
    char **other = NULL;
    size_t nother = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *nm = e->d_name;
        if (!strcmp(nm, ".") || !strcmp(nm, "..")) continue;
        if (!strcmp(nm, LS_OUTDIR_MARKER)) {
            marked = 1;
            continue;
        }
        int ours = 0;
        for (size_t i = 0; known_names[i] && !ours; i++) ours = !strcmp(nm, known_names[i]);
        for (size_t i = 0; i < od->n && !ours; i++) ours = !strcmp(nm, od->files[i].name);
        struct stat st;
        char *p = ls_format("%s/%s", od->target, nm);
        if (ours && (lstat(p, &st) != 0 || !S_ISREG(st.st_mode))) ours = 0;
        free(p);
        if (ours) continue;
        LS_GROW(other, nother, cap, 8);
        other[nother++] = ls_xstrdup(nm);
    }
    closedir(d);
    int rc = 0;
    if (nother && !marked) {
        /* the first few, in a stable order */
        qsort(other, nother, sizeof *other, ls_cmp_str);
        ls_buf l;
        ls_buf_init(&l);
        for (size_t i = 0; i < nother && i < 3; i++) {
            char ex[96];
            ls_buf_printf(&l, "%s'%s'", i ? ", " : "", ls_excerpt(other[i], 60, ex, sizeof ex));
        }
        rc = ls_errorf(err, od->dir, 0, 0,
                       "will not replace a directory that holds files lawscore did not write (%s%s): "
                       "lawscore replaces its output directory as a whole; give -o a new or empty "
                       "directory",
                       l.p, nother > 3 ? ", ..." : "");
        ls_buf_cleanup(&l);
    }
    for (size_t i = 0; i < nother; i++) free(other[i]);
    free(other);
    return rc;
}

int ls_outdir_check(const char *dir, ls_errors *err)
{
    ls_outdir od = {.dir = (char *)dir};
    int rc = split_target(&od, err);
    struct stat st;
    if (rc == 0 && lstat(od.target, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) rc = ls_errorf(err, dir, 0, 0, "cannot replace: not a directory");
        else rc = replaceable(&od, err);
    }
    free(od.target);
    free(od.parent);
    return rc ? -1 : 0;
}

static void sync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        (void)fsync(fd); /* some file systems cannot: not an error */
        close(fd);
    }
}

int ls_outdir_commit(ls_outdir *od, ls_errors *err)
{
    int rc = 0;
    for (size_t i = 0; i < od->n; i++)
        if (finish(od, &od->files[i], err) < 0) rc = -1;
    if (rc == 0) {
        char *mk = ls_format("%s/%s", od->staging, LS_OUTDIR_MARKER);
        FILE *f = fopen(mk, "w");
        if (!f || fputs(MARKER_TEXT, f) < 0 || fflush(f) != 0 || fsync(fileno(f)) != 0) {
            char *final = ls_format("%s/%s", od->dir, LS_OUTDIR_MARKER);
            rc = ls_errorf(err, final, 0, 0, "cannot write file: %s", strerror(errno ? errno : EIO));
            free(final);
        }
        if (f && fclose(f) != 0 && rc == 0)
            rc = ls_errorf(err, mk, 0, 0, "cannot write file: %s", strerror(errno));
        free(mk);
        sync_dir(od->staging);
    }
    struct stat st;
    int exists = rc == 0 && lstat(od->target, &st) == 0;
    if (exists && !S_ISDIR(st.st_mode))
        rc = ls_errorf(err, od->dir, 0, 0, "cannot replace: not a directory");
    else if (exists && replaceable(od, err))
        rc = -1;
    if (rc) {
        ls_outdir_abort(od);
        return -1;
    }
    chmod(od->staging, exists ? (st.st_mode & 07777) : od->dir_mode);
    char *old = NULL;
    if (!exists) {
        if (rename(od->staging, od->target) != 0)
            rc = ls_errorf(err, od->dir, 0, 0, "cannot publish '%s' as '%s': %s", od->staging,
                           od->target, strerror(errno));
    } else if (renameat2(AT_FDCWD, od->staging, AT_FDCWD, od->target, RENAME_EXCHANGE) == 0) {
        old = ls_xstrdup(od->staging); /* the old set is there now */
    } else if (errno == EINVAL || errno == ENOSYS) {
        /* No exchange on this file system: move the old set aside, then
         * the new one in (for an instant DIR is missing, never mixed). */
        old = ls_format("%s.old", od->staging);
        if (rename(od->target, old) != 0) {
            rc = ls_errorf(err, od->dir, 0, 0, "cannot move the old results aside: %s", strerror(errno));
            free(old);
            old = NULL;
        } else if (rename(od->staging, od->target) != 0) {
            rc = ls_errorf(err, od->dir, 0, 0, "cannot publish '%s': %s", od->staging, strerror(errno));
            (void)rename(old, od->target);
            free(old);
            old = NULL;
        }
    } else {
        rc = ls_errorf(err, od->dir, 0, 0, "cannot publish '%s' in its place: %s", od->staging,
                       strerror(errno));
    }
    if (rc) {
        ls_outdir_abort(od);
        return -1;
    }
    /* Published: a signal from now on may leave the old set under the
     * hidden name, which the next run removes. */
    em_clear();
    sync_dir(od->parent);
    if (old && remove_set(old) != 0)
        ls_warnf(err, old, 0, 0, "cannot remove the previous results: %s", strerror(errno));
    free(old);
    free(od->staging);
    od->staging = NULL;
    free_od(od);
    return 0;
}
