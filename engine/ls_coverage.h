/*
 * ls_coverage.h - line coverage of rule scripts, for `lawscore test
 * --coverage`: for each script, which lines hold code and which of them
 * ran, gathered over any number of Lua backends and test cases.
 *
 * The record knows no rule language: the Lua backend fills it
 * (ls_lua_backend_cover, ls_lua_cover.c), marking the lines that hold
 * code when it compiles a script and the lines that ran while it runs.
 *
 * Depends on: ls_strmap, ls_util.
 */
#ifndef LS_COVERAGE_H
#define LS_COVERAGE_H

#include <stddef.h>

#include "ls_strmap.h"

typedef struct ls_covfile {
    char *path;          /* the script, as the scheme resolved it (owned) */
    int nlines;          /* code and hit hold lines 0 .. nlines-1 */
    unsigned char *code; /* code[l]: line l holds code */
    unsigned char *hit;  /* hit[l]: line l ran */
    int lines_known;     /* 0 when the code lines could not be read */
} ls_covfile;

typedef struct ls_coverage {
    ls_covfile *files; /* in the order first seen */
    size_t n, cap;
    ls_strmap ix; /* path -> index */
} ls_coverage;

void ls_coverage_init(ls_coverage *c);
void ls_coverage_cleanup(ls_coverage *c);

/* Index of the file `path`, added when new. */
int ls_coverage_file(ls_coverage *c, const char *path);
/* Index of the file `path`, or -1 when it is not recorded. */
int ls_coverage_find(const ls_coverage *c, const char *path);

/* Mark a line of file i as holding code / as having run (line >= 1). */
void ls_coverage_code(ls_coverage *c, int i, int line);
void ls_coverage_hit(ls_coverage *c, int i, int line);

/* Lines of code of file i and how many of them ran. */
void ls_coverage_count(const ls_coverage *c, size_t i, int *code, int *ran);

#endif
