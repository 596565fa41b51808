/*
 * ls_outdir.h - all-or-nothing output of several files into a directory.
 *
 * Each file is written to a hidden temporary file in the target directory
 * (".results.csv.XXXXXX", same file system, so rename is atomic) and the
 * temporaries are renamed over their final names only when every one of
 * them was written, flushed and synced without error.  A failed or
 * aborted output leaves the directory as it was (apart from creating it):
 * a half-written results.csv is never published next to an old
 * results.json.
 *
 *     ls_outdir *od = ls_outdir_open("out", err);
 *     FILE *f = od ? ls_outdir_file(od, "results.csv", err) : NULL;
 *     if (!f || ls_write_results_csv(run, f, err) < 0) {
 *         ls_outdir_abort(od);
 *         return -1;
 *     }
 *     ...
 *     return ls_outdir_commit(od, err);
 *
 * Published files get the permissions fopen would give (0666 & ~umask);
 * ls_outdir_open reads the umask by setting and restoring it, so it must
 * not run while another thread creates files.
 *
 * Depends on: ls_i18n, POSIX (mkstemp, rename, fsync), ls_error, ls_util.
 */
#ifndef LS_OUTDIR_H
#define LS_OUTDIR_H

#include <stdio.h>

#include "ls_error.h"

typedef struct ls_outdir ls_outdir;

/* Start an output into `dir`, creating it and its missing parents
 * (mkdir -p).  Returns the output (end it with ls_outdir_commit or
 * ls_outdir_abort), or NULL with an error naming the path and the system's
 * reason in err. */
ls_outdir *ls_outdir_open(const char *dir, ls_errors *err);

/* A stream for file `name` (a plain file name: no '/', not "." or "..",
 * not added before) of the output.  The stream belongs to the output: do
 * not fclose it.  Returns NULL with an error in err. */
FILE *ls_outdir_file(ls_outdir *od, const char *name, ls_errors *err);

/* The temporary path of file `name`, added with ls_outdir_file, for a
 * library that writes a file by its name (libxlsxwriter): it may truncate
 * and rewrite the path; the stream stays open and is still flushed,
 * synced and renamed by ls_outdir_commit.  NULL when `name` was not
 * added.  The string belongs to the output. */
const char *ls_outdir_tmp_path(const ls_outdir *od, const char *name);

/* Flush, sync and close every file, then rename each into place.  Fails
 * (with every temporary removed and no file renamed) when a file could not
 * be written, or when a final name is taken by a directory.  Returns 0, or
 * -1 with errors naming the paths.  Frees od in every case. */
int ls_outdir_commit(ls_outdir *od, ls_errors *err);

/* Close and remove every temporary file and free od.  NULL is a no-op. */
void ls_outdir_abort(ls_outdir *od);

/* The directory, as given. */
const char *ls_outdir_dir(const ls_outdir *od);

/* Create `dir` and its missing parents, like mkdir -p.  0, or -1 with an
 * error naming the path that could not be created. */
int ls_mkdir_p(const char *dir, ls_errors *err);

#endif
