/*
 * ls_outdir.h - publishing a set of output files as one atomic step.
 *
 * `run -o DIR` publishes its files (results.csv, items.csv, results.json,
 * and whatever else the run writes) as a whole: readers that follow the
 * path DIR see either the complete old set or the complete new set, never
 * a mix, whenever lawscore is stopped (kill -9 included).
 *
 * How (docs/output.md, "Publication"):
 *   - the files are written into a new hidden directory beside DIR,
 *     PARENT/.BASE.lawscore-XXXXXX (same file system), flushed and synced;
 *   - the new directory then takes DIR's place in one step:
 *     renameat2(RENAME_EXCHANGE) when DIR exists, rename() when it does
 *     not; the old set, now under the hidden name, is removed;
 *   - each published set holds a marker file, .lawscore-output.  DIR is
 *     replaced only when it is missing, empty, holds the marker, or holds
 *     nothing but files lawscore writes: a directory of other files is
 *     never swapped away;
 *   - while it lives, the writing process holds an flock on its hidden
 *     directory.  ls_outdir_open removes the hidden directories of earlier
 *     runs that it can lock (their writer is dead: kill -9, a crash, a
 *     power cut), and says so in a note;
 *   - while an output is open, SIGINT, SIGTERM and SIGHUP remove the
 *     hidden directory, say so on standard error and end the process as
 *     the signal would; SIGXFSZ (a file-size limit) is ignored so that the
 *     write fails with EFBIG and is reported like any write error.
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
 * One output is open at a time in a process (the signal handlers know
 * it).  Published files get the permissions fopen would give
 * (0666 & ~umask), the directory those of the one it replaces (else
 * 0777 & ~umask); ls_outdir_open reads the umask by setting and restoring
 * it, so it must not run while another thread creates files.
 *
 * Depends on: ls_i18n, ls_error, ls_util, libc (mkdtemp, rename, Linux
 * renameat2, fsync, flock, sigaction).
 */
#ifndef LS_OUTDIR_H
#define LS_OUTDIR_H

#include <stdio.h>

#include "ls_error.h"

typedef struct ls_outdir ls_outdir;

/* The marker file every published set holds. */
#define LS_OUTDIR_MARKER ".lawscore-output"

/* Start an output into `dir`: create its missing parents (mkdir -p),
 * remove the leftovers of dead earlier runs beside it (with a note in
 * err), create the hidden directory.  Returns the output (end it with
 * ls_outdir_commit or ls_outdir_abort), or NULL with an error naming the
 * path and the system's reason in err. */
ls_outdir *ls_outdir_open(const char *dir, ls_errors *err);

/* Whether `dir` could be published into now (missing, or a directory
 * ls_outdir_commit would replace), without writing anything: for a
 * command that must know before work it cannot undo (publish stores a
 * version, then writes DIR).  0, or -1 with the error commit would give. */
int ls_outdir_check(const char *dir, ls_errors *err);

/* A stream for file `name` (a plain file name: no '/', not "." or "..",
 * not the marker, not added before) of the output.  The stream belongs to
 * the output: do not fclose it.  Returns NULL with an error in err. */
FILE *ls_outdir_file(ls_outdir *od, const char *name, ls_errors *err);

/* The path of file `name`, added with ls_outdir_file, in the hidden
 * directory, for a library that writes a file by its name (libxlsxwriter):
 * it may truncate and rewrite the path; the stream stays open and is
 * still flushed, synced and published by ls_outdir_commit.  NULL when
 * `name` was not added.  The string belongs to the output. */
const char *ls_outdir_tmp_path(const ls_outdir *od, const char *name);

/* Flush, sync and close every file, then publish the set in one step.
 * Fails (with the hidden directory removed and DIR as it was) when a file
 * could not be written, or when DIR cannot be replaced (not a directory,
 * or it holds files lawscore did not write).  Returns 0, or -1 with errors
 * naming the paths.  Frees od in every case. */
int ls_outdir_commit(ls_outdir *od, ls_errors *err);

/* Close every file, remove the hidden directory and free od.  NULL is a
 * no-op. */
void ls_outdir_abort(ls_outdir *od);

/* The directory, as given. */
const char *ls_outdir_dir(const ls_outdir *od);

/* Remove the open output's hidden directory, using only async-signal-safe
 * calls (for a crash handler, ls_guard); nothing when no output is open or
 * it was published already. */
void ls_outdir_emergency_cleanup(void);

/* Create `dir` and its missing parents, like mkdir -p.  0, or -1 with an
 * error naming the path that could not be created. */
int ls_mkdir_p(const char *dir, ls_errors *err);

#endif
