/*
 * ls_arena.c - bump allocator (see ls_arena.h).
 */
#include "ls_arena.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "ls_util.h"

struct ls_arena_block {
    ls_arena_block *next;
    size_t used, cap;
    alignas(max_align_t) unsigned char data[];
};

void ls_arena_init(ls_arena *a) { a->head = NULL; }

void ls_arena_cleanup(ls_arena *a)
{
    ls_arena_block *b = a->head;
    while (b) {
        ls_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}

void ls_arena_reset(ls_arena *a)
{
    ls_arena_block *keep = a->head;
    if (!keep) return;
    ls_arena_block *b = keep->next;
    while (b) {
        ls_arena_block *next = b->next;
        free(b);
        b = next;
    }
    keep->next = NULL;
    keep->used = 0;
}

/* n bytes at an offset that is a multiple of align, from the head block
 * or a new one. */
static unsigned char *take(ls_arena *a, size_t n, size_t align)
{
    ls_arena_block *b = a->head;
    size_t at = b ? (b->used + align - 1) & ~(align - 1) : 0;
    if (!b || at > b->cap || b->cap - at < n) {
        size_t cap = n > 65536 ? n : 65536;
        b = ls_xmalloc(sizeof *b + cap);
        b->cap = cap;
        b->used = 0;
        b->next = a->head;
        a->head = b;
        at = 0;
    }
    b->used = at + n;
    return b->data + at;
}

void *ls_arena_alloc(ls_arena *a, size_t n)
{
    const size_t align = alignof(max_align_t);
    n = (n + align - 1) & ~(align - 1);
    void *p = take(a, n, align);
    memset(p, 0, n);
    return p;
}

/* Strings are packed byte by byte: a province's reasons and names are
 * millions of short strings, and rounding each to max_align_t (16 bytes)
 * cost 8 bytes a string on average. */
char *ls_arena_strndup(ls_arena *a, const char *s, size_t n)
{
    char *d = (char *)take(a, n + 1, 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *ls_arena_strdup(ls_arena *a, const char *s)
{
    return ls_arena_strndup(a, s, strlen(s));
}
