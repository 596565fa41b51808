/*
 * ls_jsonw.c - the buffered JSON writer (see ls_jsonw.h).
 */
#include "ls_jsonw.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ls_util.h"

#define JSONW_CHUNK (64 * 1024)

/* What a byte becomes inside a JSON string: 0 copied as is, 'u' written
 * as \u00XX, else the letter after a backslash. */
static const unsigned char esc[256] = {
    ['\b'] = 'b',
    ['\t'] = 't',
    ['\n'] = 'n',
    ['\f'] = 'f',
    ['\r'] = 'r',
    [0x00] = 'u',
    [0x01] = 'u',
    [0x02] = 'u',
    [0x03] = 'u',
    [0x04] = 'u',
    [0x05] = 'u',
    [0x06] = 'u',
    [0x07] = 'u',
    [0x0b] = 'u',
    [0x0e] = 'u',
    [0x0f] = 'u',
    [0x10] = 'u',
    [0x11] = 'u',
    [0x12] = 'u',
    [0x13] = 'u',
    [0x14] = 'u',
    [0x15] = 'u',
    [0x16] = 'u',
    [0x17] = 'u',
    [0x18] = 'u',
    [0x19] = 'u',
    [0x1a] = 'u',
    [0x1b] = 'u',
    [0x1c] = 'u',
    [0x1d] = 'u',
    [0x1e] = 'u',
    [0x1f] = 'u',
    ['"'] = '"',
    ['\\'] = '\\',
};

void ls_jsonw_init(ls_jsonw *w, FILE *f, int pretty)
{
    memset(w, 0, sizeof *w);
    w->f = f;
    w->pretty = pretty;
    w->cap = 2 * JSONW_CHUNK;
    w->buf = ls_xmalloc(w->cap);
    w->first[0] = 1;
}

void ls_jsonw_flush(ls_jsonw *w)
{
    if (w->n && !w->err && fwrite(w->buf, 1, w->n, w->f) != w->n) w->err = errno ? errno : EIO;
    w->n = 0;
}

/* room() when the buffer holds a chunk or has not n bytes free. */
static char *room_slow(ls_jsonw *w, size_t n)
{
    if (w->n >= JSONW_CHUNK) ls_jsonw_flush(w);
    if (w->n + n > w->cap) {
        while (w->n + n > w->cap) w->cap *= 2;
        w->buf = ls_xrealloc(w->buf, w->cap);
    }
    return w->buf + w->n;
}

/* Room for n more bytes; flushes once the buffer holds a chunk.  Inline:
 * a province's results.json is tens of millions of tokens. */
static inline char *room(ls_jsonw *w, size_t n)
{
    if (w->n >= JSONW_CHUNK || w->n + n > w->cap) return room_slow(w, n);
    return w->buf + w->n;
}

static inline void put(ls_jsonw *w, const char *s, size_t n)
{
    memcpy(room(w, n), s, n);
    w->n += n;
}

static void newline(ls_jsonw *w)
{
    char *p = room(w, 1 + 2 * (size_t)w->depth);
    *p++ = '\n';
    memset(p, ' ', 2 * (size_t)w->depth);
    w->n += 1 + 2 * (size_t)w->depth;
}

/* Before a value or a key: the comma and the indentation its place needs. */
static inline void before(ls_jsonw *w)
{
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (w->depth == 0) return;
    if (!w->first[w->depth]) put(w, ",", 1);
    w->first[w->depth] = 0;
    if (w->pretty) newline(w);
}

static void open_(ls_jsonw *w, char c)
{
    before(w);
    put(w, &c, 1);
    if (w->depth + 1 < LS_JSONW_MAX_DEPTH) w->depth++;
    w->first[w->depth] = 1;
}

static void close_(ls_jsonw *w, char c)
{
    int empty = w->first[w->depth];
    if (w->depth > 0) w->depth--;
    if (w->pretty && !empty) newline(w);
    put(w, &c, 1);
}

void ls_jsonw_open(ls_jsonw *w) { open_(w, '{'); }
void ls_jsonw_close(ls_jsonw *w) { close_(w, '}'); }
void ls_jsonw_aopen(ls_jsonw *w) { open_(w, '['); }
void ls_jsonw_aclose(ls_jsonw *w) { close_(w, ']'); }

/* The n bytes at s as a JSON string holds them (without the quotes), into
 * d, which has room for 6 n bytes (a control character takes six); the
 * bytes written.  Runs without escapes are copied at once. */
static size_t escape_into(char *d, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    char *o = d;
    while (p < end) {
        const unsigned char *q = p;
        while (q < end && !esc[*q]) q++;
        memcpy(o, p, (size_t)(q - p));
        o += q - p;
        if (q == end) break;
        *o++ = '\\';
        *o++ = (char)esc[*q];
        if (esc[*q] == 'u') {
            *o++ = '0';
            *o++ = '0';
            *o++ = hex[*q >> 4];
            *o++ = hex[*q & 15];
        }
        p = q + 1;
    }
    return (size_t)(o - d);
}

/* escape_into the buffer, a piece at a time: a long text does not make
 * the buffer six times its size. */
static void escaped(ls_jsonw *w, const char *s, size_t n)
{
    enum {
        PIECE = 4096
    };
    while (n) {
        size_t k = n < PIECE ? n : PIECE;
        w->n += escape_into(room(w, 6 * k), s, k);
        s += k;
        n -= k;
    }
}

char *ls_jsonw_key_text(const char *k, size_t *len)
{
    size_t n = strlen(k);
    char *t = ls_xmalloc(6 * n + 4);
    size_t m = 0;
    t[m++] = '"';
    m += escape_into(t + m, k, n);
    t[m++] = '"';
    t[m++] = ':';
    t[m] = '\0';
    *len = m;
    return t;
}

/* The length of s's first run of bytes a JSON string holds as they are. */
static inline size_t plain_run(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n && !esc[p[i]]) i++;
    return i;
}

/* s quoted, and `tail` (at most 2 bytes) after the closing quote: in one
 * piece when s needs no escapes, as most names, ids and reasons do. */
static void quoted(ls_jsonw *w, const char *s, size_t n, const char *tail, size_t ntail)
{
    if (plain_run(s, n) == n) {
        char *d = room(w, n + 2 + ntail);
        d[0] = '"';
        memcpy(d + 1, s, n);
        d[n + 1] = '"';
        memcpy(d + n + 2, tail, ntail);
        w->n += n + 2 + ntail;
        return;
    }
    put(w, "\"", 1);
    escaped(w, s, n);
    put(w, "\"", 1);
    put(w, tail, ntail);
}

void ls_jsonw_strn(ls_jsonw *w, const char *s, size_t n)
{
    before(w);
    quoted(w, s, n, "", 0);
}

void ls_jsonw_str(ls_jsonw *w, const char *s)
{
    if (!s) ls_jsonw_null(w);
    else ls_jsonw_strn(w, s, strlen(s));
}

void ls_jsonw_key(ls_jsonw *w, const char *k)
{
    if (!k) { /* as a string value would be written */
        ls_jsonw_null(w);
        put(w, w->pretty ? ": " : ":", w->pretty ? 2 : 1);
    } else {
        before(w);
        quoted(w, k, strlen(k), w->pretty ? ": " : ":", w->pretty ? 2 : 1);
    }
    w->after_key = 1;
}

void ls_jsonw_key_raw(ls_jsonw *w, const char *quoted, size_t n)
{
    before(w);
    char *d = room(w, n + 1);
    memcpy(d, quoted, n);
    if (w->pretty) d[n++] = ' ';
    w->n += n;
    w->after_key = 1;
}

void ls_jsonw_num(ls_jsonw *w, const char *text)
{
    before(w);
    put(w, text, strlen(text));
}

/* Decimal digits of a, backwards from end; returns the first. */
static char *digits_back(unsigned long long a, char *end)
{
    do {
        *--end = (char)('0' + a % 10);
        a /= 10;
    } while (a);
    return end;
}

void ls_jsonw_int(ls_jsonw *w, long long v)
{
    char tmp[24], *end = tmp + sizeof tmp;
    unsigned long long a = v < 0 ? (unsigned long long)(-(v + 1)) + 1 : (unsigned long long)v;
    char *p = digits_back(a, end);
    if (v < 0) *--p = '-';
    before(w);
    put(w, p, (size_t)(end - p));
}

void ls_jsonw_fixed(ls_jsonw *w, ls_fixed v, int digits)
{
    char buf[32];
    ls_dec_format(v, digits, buf);
    ls_jsonw_num(w, buf);
}

void ls_jsonw_double(ls_jsonw *w, double v)
{
    if (v > -9007199254740992.0 && v < 9007199254740992.0 && v == (double)(long long)v &&
        !(v == 0 && 1 / v < 0)) {
        ls_jsonw_int(w, (long long)v);
        return;
    }
    char buf[32];
    snprintf(buf, sizeof buf, "%.15g", v);
    ls_jsonw_num(w, buf);
}

void ls_jsonw_bool(ls_jsonw *w, int b)
{
    before(w);
    if (b) put(w, "true", 4);
    else put(w, "false", 5);
}

void ls_jsonw_null(ls_jsonw *w)
{
    before(w);
    put(w, "null", 4);
}

int ls_jsonw_finish(ls_jsonw *w)
{
    if (w->buf) put(w, "\n", 1);
    ls_jsonw_flush(w);
    if (!w->err && (ferror(w->f) || fflush(w->f) != 0)) w->err = errno ? errno : EIO;
    free(w->buf);
    w->buf = NULL;
    return w->err;
}
