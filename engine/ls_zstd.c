/*
 * ls_zstd.c - a zstd-compressing stream (see ls_zstd.h).
 */
#define _GNU_SOURCE /* fopencookie */
#include "ls_zstd.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/types.h>
#include <zstd.h>

typedef struct zs {
    FILE *to;
    ZSTD_CStream *z;
    unsigned char out[1 << 17];
} zs;

/* Write what zstd put in g->out. 0, or -1 with errno set. */
static int put(zs *g, ZSTD_outBuffer *o)
{
    if (o->pos && fwrite(g->out, 1, o->pos, g->to) != o->pos) {
        if (!errno) errno = EIO;
        return -1;
    }
    o->pos = 0;
    return 0;
}

static ssize_t zs_write(void *cookie, const char *buf, size_t n)
{
    zs *g = cookie;
    ZSTD_inBuffer in = {buf, n, 0};
    ZSTD_outBuffer o = {g->out, sizeof g->out, 0};
    while (in.pos < in.size) {
        size_t rc = ZSTD_compressStream2(g->z, &o, &in, ZSTD_e_continue);
        if (ZSTD_isError(rc)) {
            errno = EIO;
            return 0; /* 0: an error, for stdio */
        }
        if (put(g, &o)) return 0;
    }
    return (ssize_t)n;
}

static int zs_close(void *cookie)
{
    zs *g = cookie;
    ZSTD_inBuffer in = {NULL, 0, 0};
    int bad = 0;
    for (;;) {
        ZSTD_outBuffer o = {g->out, sizeof g->out, 0};
        size_t left = ZSTD_compressStream2(g->z, &o, &in, ZSTD_e_end);
        if (ZSTD_isError(left)) {
            errno = EIO;
            bad = 1;
            break;
        }
        if (put(g, &o)) {
            bad = 1;
            break;
        }
        if (!left) break; /* the frame is ended and written */
    }
    ZSTD_freeCStream(g->z);
    free(g);
    return bad ? EOF : 0;
}

FILE *ls_zstd_open(FILE *to)
{
    zs *g = calloc(1, sizeof *g);
    if (!g) {
        errno = ENOMEM;
        return NULL;
    }
    g->to = to;
    g->z = ZSTD_createCStream();
    /* level 1, a checksum so that readers notice a damaged file; no
     * worker threads (the scorers have the cores) */
    if (!g->z || ZSTD_isError(ZSTD_CCtx_setParameter(g->z, ZSTD_c_compressionLevel, 1)) ||
        ZSTD_isError(ZSTD_CCtx_setParameter(g->z, ZSTD_c_checksumFlag, 1))) {
        ZSTD_freeCStream(g->z);
        free(g);
        errno = ENOMEM;
        return NULL;
    }
    cookie_io_functions_t io = {NULL, zs_write, NULL, zs_close};
    FILE *f = fopencookie(g, "w", io);
    if (!f) {
        ZSTD_freeCStream(g->z);
        free(g);
    }
    return f;
}
