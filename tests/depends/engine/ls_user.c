/*
 * ls_user.c - a module that reaches past the registry to a backend.
 *
 * Depends on: ls_lua.
 */
#include "ls_lua.h"
