/*
 * ls_backends.h - the rule backends of one scheme: makes the Lua backend
 * and the C plugin backend when the first rule of their kind needs them,
 * and binds every leaf (compiling scripts, loading plugins, checking
 * parameters) before any unit is scored.  Shared by run, check, explain
 * and test.
 *
 * Depends on: ls_lua, ls_plugin, ls_coverage, ls_score (ls_backends).
 */
#ifndef LS_BACKENDS_H
#define LS_BACKENDS_H

#include "ls_coverage.h"
#include "ls_error.h"
#include "ls_scheme.h"
#include "ls_score.h"

typedef struct ls_bind_opts {
    long max_instructions;           /* 0 = scheme's or default */
    long max_memory;                 /* bytes; 0 = scheme's or default */
    const char *const *plugin_paths; /* --plugin-path directories, searched first */
    size_t nplugin_paths;
    ls_coverage *coverage;           /* record executed Lua lines, or NULL */
} ls_bind_opts;

/* Make the backends s needs and bind every leaf of s.  Returns 0, or -1
 * with every binding error in err; either way b must be cleaned up with
 * ls_backends_cleanup. */
int ls_backends_bind(ls_backends *b, const ls_scheme *s, const ls_bind_opts *o, ls_errors *err);
void ls_backends_cleanup(ls_backends *b);

#endif
