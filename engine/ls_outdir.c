/*
 * ls_outdir.c - all-or-nothing output of several files (see ls_outdir.h).
 */
#include "ls_outdir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ls_i18n.h"
#include "ls_util.h"

typedef struct outfile {
    char *name;        /* final name within the directory */
    char *final;       /* dir/name */
    char *tmp;         /* dir/.name.XXXXXX */
    FILE *f;           /* NULL once closed */
} outfile;

struct ls_outdir {
    char *dir;
    mode_t mode;       /* permissions of the published files */
    outfile *files;
    size_t n, cap;
};

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
        while (s[1] == '/') s++;          /* "a//b" */
        if (!s[1]) break;                 /* trailing slash */
    }
    free(p);
    return rc;
}

ls_outdir *ls_outdir_open(const char *dir, ls_errors *err)
{
    if (ls_mkdir_p(dir, err) < 0) return NULL;
    if (access(dir, W_OK | X_OK) != 0) {
        ls_errorf(err, dir, 0, 0, "cannot write to directory: %s", strerror(errno));
        return NULL;
    }
    ls_outdir *od = ls_xcalloc(1, sizeof *od);
    od->dir = ls_xstrdup(dir);
    /* mkstemp creates files 0600; published results get the usual
     * 0666 & ~umask, as fopen would give them. */
    mode_t mask = umask(022);
    umask(mask);
    od->mode = 0666 & ~mask;
    return od;
}

const char *ls_outdir_dir(const ls_outdir *od) { return od->dir; }

static int bad_name(const char *name)
{
    return !*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..");
}

FILE *ls_outdir_file(ls_outdir *od, const char *name, ls_errors *err)
{
    if (bad_name(name)) {
        ls_errorf(err, od->dir, 0, 0, "invalid output file name '%s'", name);
        return NULL;
    }
    for (size_t i = 0; i < od->n; i++)
        if (!strcmp(od->files[i].name, name)) {
            ls_errorf(err, od->files[i].final, 0, 0, "output file written twice");
            return NULL;
        }
    char *tmp = ls_format("%s/.%s.XXXXXX", od->dir, name);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        char *final = ls_format("%s/%s", od->dir, name);
        ls_errorf(err, final, 0, 0, "cannot create file: %s", strerror(e));
        free(final);
        free(tmp);
        return NULL;
    }
    FILE *f = NULL;
    if (fchmod(fd, od->mode) != 0 || !(f = fdopen(fd, "w"))) {
        int e = errno;
        close(fd);
        unlink(tmp);
        ls_errorf(err, tmp, 0, 0, "cannot open file: %s", strerror(e));
        free(tmp);
        return NULL;
    }
    LS_GROW(od->files, od->n, od->cap, 4);
    outfile *o = &od->files[od->n++];
    o->name = ls_xstrdup(name);
    o->final = ls_format("%s/%s", od->dir, name);
    o->tmp = tmp;
    o->f = f;
    return f;
}

const char *ls_outdir_tmp_path(const ls_outdir *od, const char *name)
{
    for (size_t i = 0; i < od->n; i++)
        if (!strcmp(od->files[i].name, name)) return od->files[i].tmp;
    return NULL;
}

static void free_od(ls_outdir *od)
{
    for (size_t i = 0; i < od->n; i++) {
        free(od->files[i].name);
        free(od->files[i].final);
        free(od->files[i].tmp);
    }
    free(od->files);
    free(od->dir);
    free(od);
}

/* Close and remove the temporaries that are still there. */
static void remove_temps(ls_outdir *od, size_t from)
{
    for (size_t i = from; i < od->n; i++) {
        if (od->files[i].f) fclose(od->files[i].f);
        od->files[i].f = NULL;
        unlink(od->files[i].tmp);
    }
}

void ls_outdir_abort(ls_outdir *od)
{
    if (!od) return;
    remove_temps(od, 0);
    free_od(od);
}

/* Flush, sync and close one file; 0 or -1 with an error naming it. */
static int finish(outfile *o, ls_errors *err)
{
    FILE *f = o->f;
    o->f = NULL;
    /* An earlier failed write leaves the error flag but not its errno. */
    int had_error = ferror(f);
    int e = 0;
    if (fflush(f) != 0) e = errno;
    else if (!had_error && fsync(fileno(f)) != 0 && errno != EINVAL) e = errno;
    if (fclose(f) != 0 && !e) e = errno;
    if (e) return ls_errorf(err, o->final, 0, 0, "cannot write file: %s", strerror(e));
    if (had_error) return ls_errorf(err, o->final, 0, 0, "cannot write file: write error");
    return 0;
}

int ls_outdir_commit(ls_outdir *od, ls_errors *err)
{
    int rc = 0;
    for (size_t i = 0; i < od->n; i++)
        if (finish(&od->files[i], err) < 0) rc = -1;
    /* Check the final names before renaming any: rename() cannot replace
     * a directory, and failing half-way would publish part of the set. */
    for (size_t i = 0; rc == 0 && i < od->n; i++) {
        struct stat st;
        if (lstat(od->files[i].final, &st) == 0 && S_ISDIR(st.st_mode))
            rc = ls_errorf(err, od->files[i].final, 0, 0,
                           "cannot replace: is a directory");
    }
    size_t done = 0;
    for (; rc == 0 && done < od->n; done++) {
        outfile *o = &od->files[done];
        if (rename(o->tmp, o->final) != 0)
            rc = ls_errorf(err, o->final, 0, 0, "cannot rename '%s' into place: %s",
                           o->tmp, strerror(errno));
    }
    if (rc < 0) {
        /* Files before the one that failed to rename are in place
         * already (only a rename racing with another process fails
         * after the checks above). */
        remove_temps(od, done ? done - 1 : 0);
    } else {
        /* Make the renames durable; a directory that cannot be synced
         * (some file systems) is not an error. */
        int dfd = open(od->dir, O_RDONLY);
        if (dfd >= 0) {
            (void)fsync(dfd);
            close(dfd);
        }
    }
    free_od(od);
    return rc;
}
