/*
 * ls_coverage.h - line coverage of rule scripts, for `lawscore test
 * --coverage`: for each script, which lines hold code and which of them
 * ran, gathered over any number of Lua backends and test cases.
 *
 * The Lua backend fills it (ls_lua_backend_cover): when it compiles a
 * script it marks the lines that hold code, from the line table of every
 * function of the compiled chunk, nested functions included (read from the
 * bytecode lua_dump writes: the Lua API shows the lines of one function
 * only); when a script runs, a line hook marks the lines that ran.  The
 * final implicit `return` of each function is not counted: it sits on the
 * line of `end` and cannot run when every branch returns.
 *
 * Depends on: ls_strmap, ls_util (no Lua header: the bytecode is read as
 * bytes).
 */
#ifndef LS_COVERAGE_H
#define LS_COVERAGE_H

#include <stddef.h>

#include "ls_strmap.h"

typedef struct ls_covfile {
    char *path;              /* the script, as the scheme resolved it (owned) */
    int nlines;              /* code and hit hold lines 0 .. nlines-1 */
    unsigned char *code;     /* code[l]: line l holds code */
    unsigned char *hit;      /* hit[l]: line l ran */
    int lines_known;         /* 0 when the code lines could not be read */
} ls_covfile;

typedef struct ls_coverage {
    ls_covfile *files;       /* in the order first seen */
    size_t n, cap;
    ls_strmap ix;            /* path -> index */
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

/* Mark the code lines of every function in a chunk's bytecode, as
 * lua_dump writes it without stripping (Lua 5.4 format).  Returns 0, or -1
 * when the bytes are not in that format (nothing is marked then). */
int ls_coverage_add_bytecode(ls_coverage *c, int i, const unsigned char *p, size_t n);

/* Lines of code of file i and how many of them ran. */
void ls_coverage_count(const ls_coverage *c, size_t i, int *code, int *ran);

#endif
