/*
 * ls_encoding.c - decoding CSV text to UTF-8 (see ls_encoding.h).
 */
#include "ls_encoding.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "ls_util.h"

/* Convert with iconv; -1 on any invalid or incomplete sequence. */
static int convert(const char *from, const char *buf, size_t len, char **out, size_t *outlen)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1) return -1;
    size_t cap = len * 2 + 16; /* GB18030 -> UTF-8 grows at most 3/2; UTF-16 3/2 */
    char *o = ls_xmalloc(cap + 1);
    char *in = (char *)buf, *op = o;
    size_t inleft = len, outleft = cap;
    size_t r = iconv(cd, &in, &inleft, &op, &outleft);
    if (r != (size_t)-1) r = iconv(cd, NULL, NULL, &op, &outleft);
    iconv_close(cd);
    if (r == (size_t)-1 || inleft) {
        free(o);
        return -1;
    }
    *op = '\0';
    *out = o;
    *outlen = (size_t)(op - o);
    return 0;
}

int ls_decode_text(const char *buf, size_t len, char **out, size_t *outlen,
                   const char **enc, size_t *bad)
{
    const unsigned char *u = (const unsigned char *)buf;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        *enc = u[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
        if (convert(*enc, buf + 2, len - 2, out, outlen) == 0) return 0;
        *bad = 0;
        return -1;
    }
    size_t off = len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3) ? 3 : 0;
    if (ls_utf8_valid(buf + off, len - off, bad)) {
        *out = ls_xstrndup(buf + off, len - off);
        *outlen = len - off;
        *enc = "UTF-8";
        return 0;
    }
    *bad += off;
    *enc = "UTF-8";
    for (size_t i = off; i < *bad; i++)
        if (u[i] >= 0xE0) return -1; /* mostly UTF-8: keep the error */
    if (off == 0 && convert("GB18030", buf, len, out, outlen) == 0) {
        *enc = "GB18030";
        return 0;
    }
    return -1;
}
