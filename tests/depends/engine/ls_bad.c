/*
 * ls_bad.c - its own line, checked against the pair like the header's:
 * it forgets ls_util.
 *
 * Depends on: ls_error, ls_scheme, libyaml, yajl.
 */
#include "ls_bad.h"
#include <yajl/yajl_gen.h>
#include <yaml.h>
#include "ls_util.h"
