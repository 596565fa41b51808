/*
 * ls_sandbox_lib.h - the library functions the sandbox replaces (charged
 * library calls, plain-text string.find, the stable table.sort): the C
 * functions a rule reaches through the rows of ls_sandbox_replace
 * (ls_sandbox.c), where an auditor reads what a rule can call.
 *
 * The count hook fires between VM instructions only, so a library call
 * that works on a 16 MB string or a long table would run for minutes
 * unseen.  These functions charge the instruction budget for the bytes and
 * elements they handle (ls_sandbox_charge: one instruction each), bound
 * the table loops (table.move/insert/remove/sort), refuse Lua patterns
 * (gmatch, gsub, match) and search plain text instead, refuse '%p' in
 * string.format, and sort with a stable merge sort (Lua's quicksort picks
 * its pivot from clock() and time()).
 *
 * Each is a lua_CFunction made into a closure by the sandbox set-up
 * (ls_sandbox_open): "wrap" rows get the original library function in
 * upvalue 1, "named" rows the member's full name ("string.upper") in the
 * next upvalue.  Call them only through those closures.
 *
 * Depends on: ls_sandbox, Lua 5.4 (lauxlib.h).
 */
#ifndef LS_SANDBOX_LIB_H
#define LS_SANDBOX_LIB_H

#include "ls_sandbox.h"

/* string.find(s, text [, init]): plain-text search only, charged, and
 * refused when the naive search is too much work for one call. */
int ls_sandbox_lib_find(lua_State *L);

/* string.gmatch/gsub/match: always an error naming the member (upvalue 1)
 * and pointing to string.find. */
int ls_sandbox_lib_no_patterns(lua_State *L);

/* The original (upvalue 1, named by upvalue 2) charged for the size of
 * its arguments and results (one instruction a byte or a value). */
int ls_sandbox_lib_charged(lua_State *L);

/* string.rep: charged for the string it would make, before making it. */
int ls_sandbox_lib_rep(lua_State *L);

/* table.concat / table.unpack: charged for the range i..j. */
int ls_sandbox_lib_range(lua_State *L);

/* string.format: '%p' refused, '%s' of a non-string gets the text of the
 * sandbox's tostring (no addresses); charged. */
int ls_sandbox_lib_format(lua_State *L);

/* table.sort(t [, comp]): a stable merge sort; an order function whose
 * answers contradict each other ("<=") is an error; tables longer than
 * the loop limit are refused; charged n log n. */
int ls_sandbox_lib_sort(lua_State *L);

/* table.move: bounded to the loop limit, charged for the elements. */
int ls_sandbox_lib_move(lua_State *L);

/* table.insert / table.remove (name in upvalue 2): bounded, charged for
 * the table's length. */
int ls_sandbox_lib_shift(lua_State *L);

#endif
