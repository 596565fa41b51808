/*
 * ls_bad.h - a line that lacks two names and names two too many.
 *
 * Depends on: ls_error, ls_value, nettle.
 */
#include "ls_error.h"
#include "ls_scheme.h"
