/*
 * ls_jsonw.h - a direct, buffered JSON writer: tokens are appended to one
 * buffer (flushed to the stream every 64 KB), strings are escaped through
 * a 256-entry table copying runs of plain bytes at once, integers and
 * exact decimals are formatted by hand (no snprintf, no strlen per token
 * beyond the string itself).  Compact by default (no whitespace at all);
 * `pretty` indents by two spaces, one member or element a line.
 *
 * The writer does not validate UTF-8: every text it is given was checked
 * where it entered the engine (scheme and data loaders, rule reasons in
 * ls_score).  Control characters, '"' and '\' are escaped; everything else
 * is copied as is, so Chinese stays readable UTF-8.
 *
 * Nesting is tracked (up to LS_JSONW_MAX_DEPTH levels) only to place commas
 * and indentation; a caller that closes what it opened gets valid JSON.
 *
 *     ls_jsonw w;
 *     ls_jsonw_init(&w, f, 0);
 *     ls_jsonw_open(&w);
 *     ls_jsonw_key(&w, "total"); ls_jsonw_fixed(&w, 9000, 2);   // "total":90.00
 *     ls_jsonw_key_raw(&w, LS_JSONW_KEY("rank")); ls_jsonw_int(&w, 3); // "rank":3
 *     ls_jsonw_close(&w);
 *     if (ls_jsonw_finish(&w)) ... errno-style code of the first failed write
 *
 * Depends on: ls_decimal, ls_util, libc.
 */
#ifndef LS_JSONW_H
#define LS_JSONW_H

#include <stddef.h>
#include <stdio.h>

#include "ls_decimal.h"

#define LS_JSONW_MAX_DEPTH 32

typedef struct ls_jsonw {
    FILE *f;   /* not owned */
    char *buf; /* owned */
    size_t n, cap;
    int pretty;
    int depth;
    int after_key;                           /* the next value follows a key */
    unsigned char first[LS_JSONW_MAX_DEPTH]; /* nothing written yet at depth */
    int err;                                 /* errno of the first failed write, 0 = none */
} ls_jsonw;

/* Start writing to f (compact, or indented when pretty). */
void ls_jsonw_init(ls_jsonw *w, FILE *f, int pretty);
/* Write out what is buffered (at most once per call; errors are kept). */
void ls_jsonw_flush(ls_jsonw *w);
/* Flush, fflush the stream, free the buffer.  Returns 0, or the errno of
 * the first failed write (EIO when unknown).  The stream stays open. */
int ls_jsonw_finish(ls_jsonw *w);

void ls_jsonw_open(ls_jsonw *w);   /* { */
void ls_jsonw_close(ls_jsonw *w);  /* } */
void ls_jsonw_aopen(ls_jsonw *w);  /* [ */
void ls_jsonw_aclose(ls_jsonw *w); /* ] */
/* A member's key (then exactly one value). */
void ls_jsonw_key(ls_jsonw *w, const char *k);
/* The same for a key known when compiling, as ls_jsonw_key_raw(w,
 * LS_JSONW_KEY("score")): the literal needs no escapes (no '"', '\\' or
 * control character), and is copied as it is, quotes and colon included,
 * without a strlen or an escape scan (results.json has several keys per
 * item per unit). */
#define LS_JSONW_KEY(lit) "\"" lit "\":", sizeof(lit) + 2
void ls_jsonw_key_raw(ls_jsonw *w, const char *quoted, size_t n);
/* Key k as ls_jsonw_key writes it in compact form ("\"k\":", escaped),
 * for ls_jsonw_key_raw when the same key is written many times; its length
 * in *len.  Caller frees. */
char *ls_jsonw_key_text(const char *k, size_t *len);
/* A string value, NUL-terminated (NULL writes null), or of n bytes. */
void ls_jsonw_str(ls_jsonw *w, const char *s);
void ls_jsonw_strn(ls_jsonw *w, const char *s, size_t n);
void ls_jsonw_int(ls_jsonw *w, long long v);
/* An exact decimal with `digits` decimals: 9000, 2 -> 90.00. */
void ls_jsonw_fixed(ls_jsonw *w, ls_fixed v, int digits);
/* A finite double: integral values below 2^53 by hand, others as %.15g. */
void ls_jsonw_double(ls_jsonw *w, double v);
void ls_jsonw_bool(ls_jsonw *w, int b);
void ls_jsonw_null(ls_jsonw *w);
/* A value already formatted as JSON number text. */
void ls_jsonw_num(ls_jsonw *w, const char *text);

#endif
