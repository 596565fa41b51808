/*
 * ls_strmap.h - a string -> index hash map (open addressing) for id
 * lookups over large registries (a province has ~100 000 units).
 * Keys are not copied: they must outlive the map.
 *
 * Depends on: ls_util.
 */
#ifndef LS_STRMAP_H
#define LS_STRMAP_H

#include <stddef.h>

typedef struct ls_strmap {
    const char **keys;
    int *vals;
    size_t cap, n;
} ls_strmap;

void ls_strmap_init(ls_strmap *m);
void ls_strmap_cleanup(ls_strmap *m);
/* Insert key -> val.  Returns -1 and leaves the map unchanged when the key
 * is present (its value then in *old if old != NULL), else 0. */
int ls_strmap_put(ls_strmap *m, const char *key, int val, int *old);
/* Set key -> val, inserting the key or replacing its value. */
void ls_strmap_set(ls_strmap *m, const char *key, int val);
/* Value for key, or -1. */
int ls_strmap_get(const ls_strmap *m, const char *key);

#endif
