/*
 * ls_plugin.h - the C plugin rule backend: loads plugins (NAME.so) named
 * by a scheme's `rule: {plugin: NAME, function: F}`, checks them against
 * the plugin ABI (include/lawscore_plugin.h), binds their functions to
 * items and runs them.
 *
 * A plugin NAME is looked for as NAME.so in each directory of the search
 * path in turn; the first one found is loaded (dlopen RTLD_NOW |
 * RTLD_LOCAL: unresolved symbols fail at load, plugins cannot clash) and
 * stays loaded until the backend is freed.  Every refusal (not found, not
 * a shared object, no entry point, wrong magic, ABI version, damaged
 * descriptor, unknown function, parameters rejected) is a positioned
 * error at the item's rule in the scheme naming the plugin file.
 *
 * Plugins are trusted code: they run in the process without a sandbox.
 * ls_plugin.c loads them; the host API they call (params, values,
 * results) is ls_plugin_host.c.
 *
 * Depends on: ls_i18n, dlfcn (only ls_plugin.c includes dlfcn.h), ls_plugin_host,
 * ls_rule, ls_util, lawscore_plugin (include/lawscore_plugin.h).
 */
#ifndef LS_PLUGIN_H
#define LS_PLUGIN_H

#include <stddef.h>

#include "ls_rule.h"

/* Environment variable with extra plugin directories, colon separated. */
#define LS_PLUGIN_PATH_ENV "LAWSCORE_PLUGIN_PATH"

/* A new plugin backend for scheme s (not owned; must outlive it) that
 * looks for plugins in dirs[0..ndirs), in order (copied).  Plugins are
 * loaded when the first item using them is bound.  Never fails today;
 * returns NULL with an error in err if it ever has to.  Free with
 * ls_backend_free: frees every item's plugin state, then unloads the
 * plugins. */
ls_backend *ls_plugin_backend_new(const ls_scheme *s, const char *const *dirs,
                                  size_t ndirs, ls_errors *err);

/* The search path for scheme s, in order: the `cli` directories (each
 * --plugin-path), the entries of $LAWSCORE_PLUGIN_PATH (empty entries
 * skipped), the scheme's directory, then LS_PLUGIN_DIR (where `make
 * install` puts the shipped plugins).  Duplicates are dropped.  Sets
 * *out to a new array of new strings (free with ls_plugin_path_free) and
 * *n to its length.  Returns 0. */
int ls_plugin_search_path(const ls_scheme *s, const char *const *cli, size_t ncli,
                          char ***out, size_t *n);
void ls_plugin_path_free(char **dirs, size_t n);

/* The plugins loaded so far by backend b (a plugin backend), in load
 * order, for manifests and summaries: sets name, path (the file loaded)
 * and version (the plugin's own, may be "") of plugin i; returns 0, or -1
 * when i is past the last one.  The strings live as long as b. */
int ls_plugin_loaded(const ls_backend *b, size_t i, const char **name, const char **path,
                     const char **version);

/* "1.0": the plugin ABI version of this lawscore. */
const char *ls_plugin_abi_version(void);

#endif
