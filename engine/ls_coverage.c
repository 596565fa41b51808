/*
 * ls_coverage.c - line coverage of rule scripts (see ls_coverage.h): the
 * record only; the Lua backend (ls_lua_cover.c) fills it.
 *
 * Depends on: ls_strmap, ls_util.
 */
#include "ls_coverage.h"

#include <stdlib.h>
#include <string.h>

#include "ls_util.h"

/* Lines past this are not recorded (a rule script is a few dozen lines). */
#define MAX_LINE 1000000

void ls_coverage_init(ls_coverage *c)
{
    memset(c, 0, sizeof *c);
    ls_strmap_init(&c->ix);
}

void ls_coverage_cleanup(ls_coverage *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->files[i].path);
        free(c->files[i].code);
        free(c->files[i].hit);
    }
    free(c->files);
    ls_strmap_cleanup(&c->ix);
    memset(c, 0, sizeof *c);
}

int ls_coverage_find(const ls_coverage *c, const char *path)
{
    return ls_strmap_get(&c->ix, path);
}

int ls_coverage_file(ls_coverage *c, const char *path)
{
    int i = ls_strmap_get(&c->ix, path);
    if (i >= 0) return i;
    LS_GROW(c->files, c->n, c->cap, 16);
    ls_covfile *f = &c->files[c->n];
    memset(f, 0, sizeof *f);
    f->path = ls_xstrdup(path);
    ls_strmap_put(&c->ix, f->path, (int)c->n, NULL);
    return (int)c->n++;
}

static int grow(ls_covfile *f, int line)
{
    if (line <= 0 || line >= MAX_LINE) return -1;
    if (line < f->nlines) return 0;
    int n = f->nlines ? f->nlines : 64;
    while (n <= line) n *= 2;
    f->code = ls_xrealloc(f->code, (size_t)n);
    f->hit = ls_xrealloc(f->hit, (size_t)n);
    memset(f->code + f->nlines, 0, (size_t)(n - f->nlines));
    memset(f->hit + f->nlines, 0, (size_t)(n - f->nlines));
    f->nlines = n;
    return 0;
}

void ls_coverage_code(ls_coverage *c, int i, int line)
{
    ls_covfile *f = &c->files[i];
    if (grow(f, line) == 0) f->code[line] = 1;
    f->lines_known = 1;
}

void ls_coverage_hit(ls_coverage *c, int i, int line)
{
    ls_covfile *f = &c->files[i];
    if (grow(f, line) == 0) f->hit[line] = 1;
}

void ls_coverage_count(const ls_coverage *c, size_t i, int *code, int *ran)
{
    const ls_covfile *f = &c->files[i];
    *code = *ran = 0;
    for (int l = 1; l < f->nlines; l++) {
        if (!f->code[l]) continue;
        ++*code;
        *ran += f->hit[l];
    }
}
