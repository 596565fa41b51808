/*
 * ls_backends.h - the registry of rule backends: one backend per rule
 * kind (Lua scripts, C plugins), made when the first rule of its kind
 * needs it; binds every leaf (compiling scripts, loading plugins,
 * checking parameters) before any unit is scored, and reaches the
 * backends' optional hooks (probing for lint, the files they loaded for
 * manifests and summaries).  Shared by run, check, explain and test.
 *
 * The registry is the only module that includes a backend's header;
 * everything else sees the ls_backend interface of ls_rule.h.
 *
 * Depends on: ls_rule, ls_scheme, ls_coverage, ls_error; ls_lua and
 * ls_plugin (in ls_backends.c only).
 */
#ifndef LS_BACKENDS_H
#define LS_BACKENDS_H

#include <stddef.h>

#include "ls_coverage.h"
#include "ls_error.h"
#include "ls_rule.h"
#include "ls_scheme.h"

/* The number of rule kinds (ls_rule_kind: NONE, LUA, PLUGIN): the size
 * of ls_backends.by_kind. */
#define LS_RULE_NKINDS (LS_RULE_PLUGIN + 1)

/* Backends by rule kind: by_kind[LS_RULE_LUA], by_kind[LS_RULE_PLUGIN]
 * (NULL when the scheme uses none of that kind; by_kind[LS_RULE_NONE]
 * is always NULL).  Filled by ls_backends_bind. */
typedef struct ls_backends {
    ls_backend *by_kind[LS_RULE_NKINDS];
} ls_backends;

typedef struct ls_bind_opts {
    long max_instructions;           /* 0 = scheme's or default */
    long max_memory;                 /* bytes; 0 = scheme's or default */
    const char *const *plugin_paths; /* --plugin-path directories, searched first */
    size_t nplugin_paths;
    ls_coverage *coverage; /* record executed Lua lines, or NULL */
    double max_seconds;    /* CPU seconds per Lua call; 0 = default */
} ls_bind_opts;

/* Make the backends s needs and bind every leaf of s.  Returns 0, or -1
 * with every binding error in err; either way b must be cleaned up with
 * ls_backends_cleanup. */
int ls_backends_bind(ls_backends *b, const ls_scheme *s, const ls_bind_opts *o, ls_errors *err);
void ls_backends_cleanup(ls_backends *b);

/* Start probing (fn set) or end it (fn = NULL) in every backend that has
 * a probe hook (see ls_backend.probe in ls_rule.h). */
void ls_backends_probe(ls_backends *b, ls_rule_unknown_fn fn, void *ctx);

/* The i-th file (from 0) the backends loaded, backend by backend in rule
 * kind order (Lua scripts in scheme order, then plugins in load order):
 * fills *out (strings live as long as the backends) and returns 0, or
 * returns -1 when i is past the last. */
int ls_backends_loaded(const ls_backends *b, size_t i, ls_loaded_file *out);

#endif
