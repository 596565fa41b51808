/*
 * main.c - a module of one file, with a header the checker does not know.
 *
 * Depends on: ls_good, ls_bad.
 */
#include <weird.h>
#include "ls_good.h"
