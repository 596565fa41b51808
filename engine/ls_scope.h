/*
 * ls_scope.h - the directories the files a scheme names may come from.
 *
 * A scheme names files (`rule:` scripts, a `units:` registry) relative to
 * its own directory.  A scheme from elsewhere must not reach the rest of
 * the machine through them (`units: /etc/shadow`, `rule: ../../x.lua`):
 * a named file must lie inside the scheme's directory, or inside one of
 * the directories the user allowed on the command line (--allow-dir).
 * Symbolic links are followed before the comparison, so a link inside the
 * directory that points out of it is refused too.
 *
 * Depends on: ls_i18n (the phrases are marked for translation), ls_util,
 * libc (realpath).
 */
#ifndef LS_SCOPE_H
#define LS_SCOPE_H

#include <stddef.h>

/* The directories besides the scheme's own (not owned; NULL: none). */
typedef struct ls_scope {
    const char *const *allow;
    size_t nallow;
} ls_scope;

/* Whether file `rel`, as written in a scheme whose directory is `dir`,
 * stays within `dir` or an allowed directory of `scope` (may be NULL).
 * Returns NULL when it does; otherwise a short static phrase saying why
 * not ("is an absolute path", ...; in English: translate it with _()),
 * for the caller's message.  `rel` is
 * judged as written (absolute, or leading out with ".."), then the file,
 * when it exists, by its real path. */
const char *ls_scope_refuses(const char *dir, const char *rel, const ls_scope *scope);

#endif
