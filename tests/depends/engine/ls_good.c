/*
 * ls_good.c - a .c file without a line of its own: its header's counts.
 */
#include "ls_good.h"

#include <lua.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ls_util.h"
