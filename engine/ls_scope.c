/*
 * ls_scope.c - the directories a scheme's files may come from (see ls_scope.h).
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "ls_scope.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ls_i18n.h"
#include "ls_util.h"

/* Whether real path `p` is `d` or below it (both real paths). */
static int below(const char *p, const char *d)
{
    size_t n = strlen(d);
    if (n == 1 && d[0] == '/') return 1;
    return !strncmp(p, d, n) && (p[n] == '/' || p[n] == '\0');
}

/* Whether the real path of `path` is inside `dir` (a directory that
 * exists; a directory that does not contains nothing). */
static int inside(const char *real, const char *dir)
{
    char *rd = realpath(dir, NULL);
    int ok = rd && below(real, rd);
    free(rd);
    return ok;
}

const char *ls_scope_refuses(const char *dir, const char *rel, const ls_scope *scope)
{
    size_t nallow = scope ? scope->nallow : 0;
    char *joined = ls_path_join(dir, rel);
    char *real = realpath(joined, NULL);
    const char *why = NULL;
    if (real) {
        /* The file exists: where it really is decides. */
        int ok = inside(real, dir);
        for (size_t i = 0; !ok && i < nallow; i++) ok = inside(real, scope->allow[i]);
        if (!ok) {
            why = rel[0] == '/'                                    ? N_("is an absolute path outside the scheme's directory")
                  : !strncmp(rel, "../", 3) || strstr(rel, "/../") ? N_("leads out of the scheme's directory")
                                                                   : N_("leads out of the scheme's directory through a symbolic link");
        }
    } else {
        /* It does not exist (the caller says so): judge the text, so that
         * the "not found" message does not probe the machine's files. */
        char *norm_dir = ls_path_join(dir, ".");
        size_t n = strlen(norm_dir);
        int ok = !strcmp(norm_dir, ".") ? joined[0] != '/' && strncmp(joined, "../", 3) && strcmp(joined, "..")
                                        : !strncmp(joined, norm_dir, n) && joined[n] == '/';
        if (!ok) {
            for (size_t i = 0; !ok && i < nallow; i++) {
                char *a = ls_path_join(scope->allow[i], ".");
                size_t k = strlen(a);
                ok = !strncmp(joined, a, k) && joined[k] == '/';
                free(a);
            }
        }
        if (!ok) why = rel[0] == '/' ? N_("is an absolute path outside the scheme's directory")
                                     : N_("leads out of the scheme's directory");
        free(norm_dir);
    }
    free(real);
    free(joined);
    return why;
}
