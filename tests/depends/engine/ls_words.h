/*
 * ls_words.h - names that are not names, a name given twice, and a
 * second line.
 *
 * Depends on: POSIX threads, ls_arena, ls_arena, include/lawscore_plugin.h.
 * Depends on: ls_arena.
 */
#include "ls_arena.h"
