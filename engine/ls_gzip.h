/*
 * ls_gzip.h - a stream whose bytes are written gzip-compressed into
 * another: items.csv.gz (run --gzip) is items.csv through it.  The
 * compressed bytes depend only on the bytes written (no time or name in
 * the gzip header), so the same run gives the same file.
 *
 * Depends on: zlib (only ls_gzip.c includes zlib.h), libc (fopencookie).
 */
#ifndef LS_GZIP_H
#define LS_GZIP_H

#include <stdio.h>

/*
 * A stream that compresses what is written to it (deflate level 1: the
 * fastest; a score sheet is repetitive text) and writes the gzip data to
 * `to`.  fclose() on it writes the end of the gzip data and frees it, but
 * does not close `to` (its owner does, and checks ferror(to)); fclose
 * returns EOF when a write to `to` failed.  NULL with errno set when it
 * cannot be made (out of memory).
 */
FILE *ls_gzip_open(FILE *to);

#endif
