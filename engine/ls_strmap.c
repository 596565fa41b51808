/*
 * ls_strmap.c - string -> index hash map (see ls_strmap.h).
 */
#include "ls_strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ls_util.h"

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

void ls_strmap_init(ls_strmap *m) { memset(m, 0, sizeof *m); }

void ls_strmap_cleanup(ls_strmap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

static size_t slot(const ls_strmap *m, const char *key)
{
    size_t i = (size_t)hash(key) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key)) i = (i + 1) & (m->cap - 1);
    return i;
}

static void grow(ls_strmap *m)
{
    ls_strmap old = *m;
    m->cap = old.cap ? old.cap * 2 : 16;
    m->keys = ls_xcalloc(m->cap, sizeof *m->keys);
    m->vals = ls_xcalloc(m->cap, sizeof *m->vals);
    for (size_t i = 0; i < old.cap; i++)
        if (old.keys[i]) {
            size_t j = slot(m, old.keys[i]);
            m->keys[j] = old.keys[i];
            m->vals[j] = old.vals[i];
        }
    free(old.keys);
    free(old.vals);
}

int ls_strmap_put(ls_strmap *m, const char *key, int val, int *old)
{
    if ((m->n + 1) * 2 > m->cap) grow(m);
    size_t i = slot(m, key);
    if (m->keys[i]) {
        if (old) *old = m->vals[i];
        return -1;
    }
    m->keys[i] = key;
    m->vals[i] = val;
    m->n++;
    return 0;
}

void ls_strmap_set(ls_strmap *m, const char *key, int val)
{
    int old;
    if (ls_strmap_put(m, key, val, &old)) m->vals[slot(m, key)] = val;
}

int ls_strmap_get(const ls_strmap *m, const char *key)
{
    if (!m->cap) return -1;
    size_t i = slot(m, key);
    return m->keys[i] ? m->vals[i] : -1;
}
