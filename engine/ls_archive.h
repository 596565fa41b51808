/*
 * ls_archive.h - the archive of published results: an SQLite database in
 * which every `lawscore publish` stores one immutable version (the
 * inputs' bytes with their roles, paths and SHA-256, every output file's
 * bytes, the results down to item level, the appeals decided).  Nothing
 * is ever updated or deleted (triggers refuse it); publishing the same
 * year again makes a new version whose parent is that year's latest.
 *
 * Format 2 stores each distinct file once (by its SHA-256), compressed
 * with zstd, and an item's number, name and points once per version;
 * archives of format 1 are read, appended to in format 1, and upgraded
 * to format 2 by ls_archive_upgrade.
 *
 * A version is written in one transaction: a publish killed at any moment
 * leaves the archive as it was before (SQLite rolls the journal back on
 * the next open).  A file that is not an SQLite database, an SQLite
 * database that is not a lawscore archive, a damaged one, and one of a
 * newer format are refused with a message naming the file.
 *
 * Layout and guarantees: docs/year.md.
 *
 * Depends on: SQLite (only ls_archive.c includes sqlite3.h), libzstd
 * (compression, only here), ls_manifest (SHA-256), ls_score, ls_explain,
 * ls_layout (file roles as the office names them), ls_outdir, ls_strmap, ls_i18n,
 * ls_error, ls_util.
 */
#ifndef LS_ARCHIVE_H
#define LS_ARCHIVE_H

#include <stddef.h>
#include <stdio.h>

#include "ls_error.h"
#include "ls_manifest.h"
#include "ls_score.h"
#include "ls_util.h"

typedef struct ls_archive ls_archive;

/* Open the archive at path.  With `create`, a missing file (or an empty
 * one) becomes a new archive; without, a missing file is an error.
 * Returns the archive (close with ls_archive_close) or NULL with an error
 * naming path. */
ls_archive *ls_archive_open(const char *path, int create, ls_errors *err);
void ls_archive_close(ls_archive *a);

/* The archive's format: 1 (appended to in format 1) or 2. */
int ls_archive_format(const ls_archive *a);

/* What ls_archive_upgrade did. */
typedef struct ls_upgrade {
    int format;                        /* the format found: 2 (nothing was done) or 1 */
    long versions;                     /* versions carried over */
    long files;                        /* stored files (inputs, outputs) checked by SHA-256 */
    long long size_before, size_after; /* the archive file's bytes */
    char *backup;                      /* the old file as kept (path.format1.bak), or NULL */
} ls_upgrade;

/* Rewrite the archive at path, of format 1, in format 2: every version
 * with its label, dates, parent, input and output files (byte for byte,
 * by SHA-256), results and appeals.  The new file is written beside it
 * (path.upgrade-XXXXXX), read back and checked (every stored file against
 * its SHA-256, every row against the old file's), then renamed over path;
 * with keep_backup the old file stays as path.format1.bak (a hard link
 * made before the rename).  Killed at any moment, path is the old
 * archive or the new one, whole (a temporary file may be left beside:
 * the next upgrade or publication of the archive removes it, holding the
 * write lock, with a note in err).
 * An archive of format 2 is left as it is (u->format 2).  Fills u (clean
 * up with ls_upgrade_cleanup); 0, or -1 with an error naming path and the
 * archive unchanged. */
int ls_archive_upgrade(const char *path, int keep_backup, ls_upgrade *u, ls_errors *err);
void ls_upgrade_cleanup(ls_upgrade *u);

/* What one publication stores. */
typedef struct ls_publication {
    const char *label;         /* --label, e.g. "2018年度考核结果通报" */
    const ls_manifest *inputs; /* every input file (read again and stored) */
    /* the output directory written by the run: every regular file in it
     * is stored */
    const char *outdir;
    const ls_run *run; /* the result (with self, adj, original) */
} ls_publication;

/* Store p as a new version in one transaction.  Sets *version and
 * *parent (0 when it is the year's first).  Returns 0, or -1 with the
 * errors in err and the archive unchanged.  An input file that changed
 * since it was hashed for the manifest is an error.  What a killed
 * upgrade left beside the archive is removed first (see
 * ls_archive_upgrade), each with a note in err. */
int ls_archive_publish(ls_archive *a, const ls_publication *p, long *version, long *parent,
                       ls_errors *err);

/* Print the versions, oldest first: 版本, 年度, 父版本, 发布时间, 单位数,
 * 复核调整数, 标签.  0, or -1 with an error. */
int ls_archive_history(ls_archive *a, FILE *out, ls_errors *err);

/* The name of an appeal's indicator `id` (item: of its item, "4.5 行政执法
 * 案卷评查") as the office reads it, or NULL.  The archive keeps an
 * indicator by its id only; the caller knows the version's scheme. */
typedef const char *(*ls_archive_namer)(void *ctx, int item, const char *id);

/* Print what version `version` holds: its year, label, parent, time and
 * engine; each input file (role, path, size, SHA-256); each output file;
 * the adjustments decided, each indicator or item named through
 * name(ctx, ...) when name is not NULL.  0, or -1 with an error. */
int ls_archive_show(ls_archive *a, long version, ls_archive_namer name, void *ctx, FILE *out, ls_errors *err);

/* Write version `version`'s output files into dir, all or nothing, each
 * checked against the SHA-256 stored with it.  0, or -1 with an error. */
int ls_archive_export(ls_archive *a, long version, const char *dir, ls_errors *err);

/* An output file of a version ("results.json") into a new buffer (caller
 * frees; NUL-terminated, length in *len).  0, or -1 with an error. */
int ls_archive_output(ls_archive *a, long version, const char *name, char **buf, size_t *len,
                      ls_errors *err);

/* The latest version published for assessment year `year`.  0, or -1
 * with an error when there is none. */
int ls_archive_latest(ls_archive *a, int year, long *version, ls_errors *err);

/* The version's year and label ("" when absent); label is the caller's
 * to free.  0, or -1 with an error. */
int ls_archive_version_info(ls_archive *a, long version, int *year, char **label, ls_errors *err);

/* Write the input files of a version under dir, each at its stored path
 * made relative (leading '/' and "../" parts dropped), so that the
 * scheme's relative references resolve as they did.  Sets *scheme, the
 * data files and the adjustments files (none when the version had none)
 * to the paths written (caller frees the strings and the arrays).  0, or
 * -1 with an error. */
int ls_archive_extract_inputs(ls_archive *a, long version, const char *dir, char **scheme,
                              char ***data, size_t *ndata, char ***adjustments, size_t *nadjustments,
                              ls_errors *err);

/* What publishing run r (inputs m) would leave out of the latest version
 * of its year (the version it would replace), and whether that version
 * had the same input files (a re-publication that changes nothing): its appeal decisions r does
 * not make again (the same unit, kind and indicator or item), as
 * "东法考〔2018〕5号（区城管执法局 4.5）" joined by "、", and the units with a
 * self-assessment there that have none in r. */
typedef struct ls_withdrawn {
    long parent;      /* 0: the year's first publication (nothing below) */
    ls_buf decisions; /* the decisions left out */
    size_t ndecisions;
    ls_buf units; /* the units (names) whose self-assessment is left out */
    size_t nunits;
    int same; /* the parent holds the very input files of m */
} ls_withdrawn;

/* Fill w (cleaned up with ls_withdrawn_cleanup, whatever is returned).
 * 0, or -1 with an error. */
int ls_archive_withdrawn(ls_archive *a, const ls_run *r, const ls_manifest *m, ls_withdrawn *w,
                         ls_errors *err);
void ls_withdrawn_cleanup(ls_withdrawn *w);

#endif
