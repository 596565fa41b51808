/*
 * ls_arena.h - a bump allocator: the strings and arrays of one loaded
 * scheme or data set live in one arena and are freed together.
 *
 * Depends on: ls_util.
 */
#ifndef LS_ARENA_H
#define LS_ARENA_H

#include <stddef.h>

typedef struct ls_arena_block ls_arena_block;
typedef struct ls_arena {
    ls_arena_block *head;
} ls_arena;

void ls_arena_init(ls_arena *a);
/* Free every allocation made from the arena. */
void ls_arena_cleanup(ls_arena *a);
/* The same, keeping one block for what is allocated next: an arena
 * emptied and filled again for each of a million items (the nodes of one
 * unit's values) costs no malloc and free each time. */
void ls_arena_reset(ls_arena *a);
/* Zeroed memory owned by the arena, aligned for any type. */
void *ls_arena_alloc(ls_arena *a, size_t n);
/* Copies owned by the arena, packed (no alignment). */
char *ls_arena_strndup(ls_arena *a, const char *s, size_t n);
char *ls_arena_strdup(ls_arena *a, const char *s);

#endif
