/*
 * ls_intern.h - interned strings: one copy of each distinct text in an
 * arena, for texts that repeat across a province's units (the reasons
 * rules give: "未按时报送年度报告" for thousands of units).
 *
 * A table stops taking new texts once they turn out not to repeat (after
 * LS_INTERN_PROBE lookups, fewer than one in LS_INTERN_MIN_HITS was found
 * again): texts are then copied as they come, so unique texts cost no
 * more than a plain copy plus the table built so far.  Either way the
 * text returned is equal to the one given; only memory differs.
 *
 * Depends on: ls_arena, ls_util.
 */
#ifndef LS_INTERN_H
#define LS_INTERN_H

#include <stddef.h>

#include "ls_arena.h"

#define LS_INTERN_PROBE 4096
#define LS_INTERN_MIN_HITS 4 /* one in 4: a quarter of the texts found again */

typedef struct ls_intern {
    ls_arena *arena;    /* where the copies go (not owned) */
    const char **slots; /* open addressing, NULL = free */
    size_t cap, n;
    size_t lookups, hits;
    int off; /* no longer taking new texts */
} ls_intern;

/* A table whose copies go to `arena` (which must outlive their use). */
void ls_intern_init(ls_intern *t, ls_arena *arena);
/* Free the table (not the copies: they are the arena's). */
void ls_intern_cleanup(ls_intern *t);
/* A copy of s[0..len) in the arena, NUL-terminated: the one copy made
 * earlier of an equal text when there is one.  Owned by the arena. */
const char *ls_intern_strn(ls_intern *t, const char *s, size_t len);
const char *ls_intern_str(ls_intern *t, const char *s);

#endif
