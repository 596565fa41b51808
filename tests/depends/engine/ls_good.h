/*
 * ls_good.h - a module whose line is right: remarks in parentheses (even
 * naming ls_other) are not read, names are separated by commas, semicolons,
 * "and" or a slash between modules, a library may carry its version, libc
 * may be named.
 *
 * Depends on: ls_error/ls_util (diagnostics; ls_other is a remark), Lua 5.4;
 * libc and
 * lawscore_plugin.
 *
 * This paragraph is not part of the line: ls_nothing.
 */
#ifndef LS_GOOD_H
#define LS_GOOD_H
#include <stddef.h>
#include "ls_error.h"
#include "lawscore_plugin.h"
#endif
