/*
 * ls_intern.c - interned strings (see ls_intern.h).
 */
#include "ls_intern.h"

#include <stdlib.h>
#include <string.h>

#include "ls_util.h"

void ls_intern_init(ls_intern *t, ls_arena *arena)
{
    memset(t, 0, sizeof *t);
    t->arena = arena;
}

void ls_intern_cleanup(ls_intern *t)
{
    free(t->slots);
    memset(t, 0, sizeof *t);
}

/* FNV-1a */
static size_t hash(const char *s, size_t len)
{
    size_t h = (size_t)1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * (size_t)1099511628211ULL;
    return h;
}

static void grow(ls_intern *t)
{
    size_t cap = t->cap ? t->cap * 2 : 256;
    const char **slots = ls_xcalloc(cap, sizeof *slots);
    for (size_t i = 0; i < t->cap; i++) {
        const char *k = t->slots[i];
        if (!k) continue;
        size_t j = hash(k, strlen(k)) & (cap - 1);
        while (slots[j]) j = (j + 1) & (cap - 1);
        slots[j] = k;
    }
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
}

const char *ls_intern_strn(ls_intern *t, const char *s, size_t len)
{
    if (t->off) return ls_arena_strndup(t->arena, s, len);
    if (t->n * 2 >= t->cap) grow(t);
    size_t j = hash(s, len) & (t->cap - 1);
    t->lookups++;
    for (const char *k; (k = t->slots[j]); j = (j + 1) & (t->cap - 1))
        if (!strncmp(k, s, len) && !k[len]) {
            t->hits++;
            return k;
        }
    if (t->lookups == LS_INTERN_PROBE && t->hits * LS_INTERN_MIN_HITS < t->lookups) {
        /* the texts do not repeat: keep what was found, add no more */
        t->off = 1;
        return ls_arena_strndup(t->arena, s, len);
    }
    const char *k = ls_arena_strndup(t->arena, s, len);
    t->slots[j] = k;
    t->n++;
    return k;
}

const char *ls_intern_str(ls_intern *t, const char *s) { return ls_intern_strn(t, s, strlen(s)); }
