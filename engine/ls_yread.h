/*
 * ls_yread.h - typed reading of YAML tree nodes with positioned errors:
 * "expected a number for 'points', found a list", unknown keys with the
 * nearest known key suggested.  Used by the scheme and data loaders.
 *
 * Every function returns 0 on success or -1 after recording an error at
 * the offending node; they never stop at the first error themselves.
 *
 * Depends on: ls_i18n, ls_yaml, ls_decimal, ls_value, ls_error, ls_util.
 */
#ifndef LS_YREAD_H
#define LS_YREAD_H

#include "ls_decimal.h"
#include "ls_error.h"
#include "ls_yaml.h"

typedef struct ls_yr {
    const char *path; /* file the nodes come from */
    ls_errors *err;
} ls_yr;

/* Error at a node's position; fmt is translated (ls_i18n) first. */
int ls_yr_error(ls_yr *r, const ls_ynode *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* n must be a mapping / list / scalar; `what` names it in messages (a
 * literal there is extracted for translation and translated when shown). */
int ls_yr_expect_map(ls_yr *r, const ls_ynode *n, const char *what);
int ls_yr_expect_seq(ls_yr *r, const ls_ynode *n, const char *what);
int ls_yr_expect_scalar(ls_yr *r, const ls_ynode *n, const char *what);

/* Every key of map must be in `allowed` (NULL-terminated); unknown keys
 * are reported with a suggestion.  `what` names the mapping. */
int ls_yr_check_keys(ls_yr *r, const ls_ynode *map, const char *const *allowed,
                     const char *what);

/* A required key: records "missing 'key' in <what>" at the map. */
const ls_ynode *ls_yr_require(ls_yr *r, const ls_ynode *map, const char *key,
                              const char *what);

/* Scalars.  `key` names the value in messages. */
int ls_yr_text(ls_yr *r, const ls_ynode *n, const char *key, const char **out);
/* A plain identifier: letters, digits, '_', '-', '.'; no spaces. */
int ls_yr_ident(ls_yr *r, const ls_ynode *n, const char *key, const char **out);
int ls_yr_int(ls_yr *r, const ls_ynode *n, const char *key, long min, long max,
              long *out);
int ls_yr_number(ls_yr *r, const ls_ynode *n, const char *key, double *out);
int ls_yr_decimal(ls_yr *r, const ls_ynode *n, const char *key, int digits,
                  ls_fixed *out);
int ls_yr_bool(ls_yr *r, const ls_ynode *n, const char *key, int *out);

#endif
