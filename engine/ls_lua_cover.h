/*
 * ls_lua_cover.h - line coverage of Lua rule scripts (`lawscore test
 * --coverage`): the Lua side of ls_coverage.  Which lines of a script hold
 * code comes from the line table of every function of its compiled chunk,
 * nested functions included, read from the bytecode lua_dump writes (the
 * Lua API shows the lines of one function only); which lines ran comes
 * from a line hook (the sandbox's on_line).
 *
 * Depends on: ls_coverage, ls_sandbox (Lua 5.4), ls_util.
 */
#ifndef LS_LUA_COVER_H
#define LS_LUA_COVER_H

#include <stddef.h>

#include "ls_coverage.h"
#include "ls_sandbox.h"

/* Coverage of one Lua state (caller-owned, zeroed = off). */
typedef struct ls_lua_cover {
    ls_coverage *cov; /* where lines go (not owned), or NULL */
    const char *src;  /* source of the last line event ... */
    int file;         /* ... and its file in cov, -1 = not a rule */
} ls_lua_cover;

/* A line hook for ls_sandbox.on_line, ctx an ls_lua_cover whose cov is
 * set: marks the line if it belongs to a rule script in cov. */
void ls_lua_cover_line(lua_State *L, lua_Debug *ar, void *ctx);

/* Record which lines of script `path` hold code, from its freshly
 * compiled chunk (the function at registry reference fn_ref).  Leaves the
 * stack empty.  Falls back to the main function's lines when the bytecode
 * cannot be read. */
void ls_lua_cover_chunk(ls_lua_cover *lc, lua_State *L, const char *path, int fn_ref);

/* Mark in file i of c the code lines of every function in a chunk's
 * bytecode, as lua_dump writes it without stripping (Lua 5.4 format).
 * The final implicit `return` of each function is not counted: it sits on
 * the line of `end` and cannot run when every branch returns.  Returns 0,
 * or -1 when the bytes are not in that format (nothing is marked then). */
int ls_lua_cover_bytecode(ls_coverage *c, int i, const unsigned char *p, size_t n);

#endif
