/*
 * ls_zstd.h - a stream whose bytes are written zstd-compressed into
 * another: items.csv.zst and values.csv.zst (run --zstd, and the default
 * with --formats csv past a spreadsheet's rows) are the CSV files through
 * it.  The compressed bytes depend only on the bytes written (one frame,
 * no content size, no dictionary, one thread), so the same run gives the
 * same file.
 *
 * Depends on: libzstd (ls_archive.c includes zstd.h too, for its own
 * stored files), libc (fopencookie).
 */
#ifndef LS_ZSTD_H
#define LS_ZSTD_H

#include <stdio.h>

/*
 * A stream that compresses what is written to it (zstd level 1: the
 * fastest of the usual levels; a province's CSV is repetitive text) and
 * writes one zstd frame to `to`.  fclose() on it ends the frame and frees
 * it, but does not close `to` (its owner does, and checks ferror(to));
 * fclose returns EOF when a write to `to` failed.  NULL with errno set
 * when it cannot be made (out of memory).
 */
FILE *ls_zstd_open(FILE *to);

#endif
