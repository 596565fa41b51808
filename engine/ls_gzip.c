/*
 * ls_gzip.c - a gzip-compressing stream (see ls_gzip.h).
 */
#define _GNU_SOURCE /* fopencookie */
#include "ls_gzip.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/types.h>
#include <zlib.h>

typedef struct gz {
    FILE *to;
    z_stream z;
    unsigned char out[1 << 16];
} gz;

/* Deflate what is pending (all of it with Z_FINISH) and write it to `to`.
 * 0, or -1 with errno set. */
static int drain(gz *g, int flush)
{
    for (;;) {
        g->z.next_out = g->out;
        g->z.avail_out = sizeof g->out;
        int rc = deflate(&g->z, flush);
        if (rc == Z_STREAM_ERROR) {
            errno = EIO;
            return -1;
        }
        size_t n = sizeof g->out - g->z.avail_out;
        if (n && fwrite(g->out, 1, n, g->to) != n) {
            if (!errno) errno = EIO;
            return -1;
        }
        /* output space left over: all input taken (and, finishing, the
         * end written) */
        if (g->z.avail_out && (flush != Z_FINISH || rc == Z_STREAM_END)) return 0;
    }
}

static ssize_t gz_write(void *cookie, const char *buf, size_t n)
{
    gz *g = cookie;
    size_t done = 0;
    while (done < n) {
        size_t part = n - done < UINT_MAX ? n - done : UINT_MAX;
        g->z.next_in = (Bytef *)(buf + done);
        g->z.avail_in = (uInt)part;
        if (drain(g, Z_NO_FLUSH)) return 0; /* 0: an error, for stdio */
        done += part;
    }
    return (ssize_t)n;
}

static int gz_close(void *cookie)
{
    gz *g = cookie;
    g->z.next_in = NULL;
    g->z.avail_in = 0;
    int rc = drain(g, Z_FINISH);
    deflateEnd(&g->z);
    free(g);
    return rc ? EOF : 0;
}

FILE *ls_gzip_open(FILE *to)
{
    gz *g = calloc(1, sizeof *g);
    if (!g) return NULL;
    g->to = to;
    /* 15 + 16: a gzip header and trailer around the deflate data; zlib
     * writes no time and no name into the header */
    if (deflateInit2(&g->z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(g);
        errno = ENOMEM;
        return NULL;
    }
    cookie_io_functions_t io = {NULL, gz_write, NULL, gz_close};
    FILE *f = fopencookie(g, "w", io);
    if (!f) {
        deflateEnd(&g->z);
        free(g);
    }
    return f;
}
