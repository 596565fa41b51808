/*
 * ls_plugin_host.h - the host API that lawscore gives C plugins (the
 * lsp_host table of include/lawscore_plugin.h): the bind context through
 * which a plugin's bind callback reads an item's params and resolves
 * indicators, the call context through which its score callback reads a
 * unit's values, statistics and flags, and the result helpers (result,
 * amount, earned, reasons).  Internal to the plugin backend: ls_plugin.c
 * loads plugins and finds their functions, then binds and calls them
 * through these two functions.
 *
 * The result helpers amount() and earned() reproduce the Lua helper
 * library's from_amount / capped and from_earned / earned_reason
 * (rules/lawscore.lua), so that a plugin and the Lua helper of the same
 * name give the same score and the same reasons, word for word.
 *
 * Depends on: ls_i18n, lawscore_plugin (include/lawscore_plugin.h), ls_guard
 * (plugin code runs guarded: exit() and crashes name the plugin, item and
 * unit), ls_rule, ls_scheme, ls_yaml (params are the scheme's YAML nodes),
 * ls_data, ls_stats, ls_value, ls_error, ls_util, pthreads (one lock for
 * plugins that are not LSP_THREADSAFE).
 */
#ifndef LS_PLUGIN_HOST_H
#define LS_PLUGIN_HOST_H

#include "lawscore_plugin.h"
#include "ls_error.h"
#include "ls_rule.h"
#include "ls_scheme.h"

/* One item bound to a plugin function.  All zero: not bound. */
typedef struct ls_plugin_binding {
    const char *plugin;     /* the plugin's name as the scheme gives it */
    const char *path;       /* the plugin file (not owned: the loader's) */
    const lsp_function *fn; /* NULL: not bound */
    void *state;            /* what the bind callback kept (set_state) */
    lsp_item item;          /* what the plugin sees of the item */
    int serial;             /* the plugin is not LSP_THREADSAFE: its calls
                                  are made one at a time, process-wide */
} ls_plugin_binding;

/* Bind leaf `node` of s to function fn of plugin `plugin` (loaded from
 * `path`; both strings must outlive bd): fills the item, runs fn's bind
 * callback with a bind context on the item's rule params.  Returns 0
 * with bd filled, or -1 with every error the plugin reported (or one
 * saying it refused without a reason) in err, positioned at the parameter
 * or the rule in the scheme; bd is then left all zero and any state the
 * plugin set is freed. */
int ls_plugin_host_bind(const ls_scheme *s, int node, const char *plugin, const char *path,
                        const lsp_function *fn, ls_plugin_binding *bd, ls_errors *err);

/* Run the score callback of bound bd for call rc (unit, reads, data,
 * stats) and check its result: returns 0 with rc->value and rc->reasons
 * set, or -1 with rc's error set (naming plugin.function, at the plugin
 * file) and no reasons kept. */
int ls_plugin_host_call(const ls_scheme *s, const ls_plugin_binding *bd, ls_rule_call *rc);

/* Free the state bd's bind callback kept (with the plugin's free_state)
 * and clear bd.  Must run before the plugin is unloaded.  No-op on an
 * unbound bd. */
void ls_plugin_host_unbind(ls_plugin_binding *bd);

#endif
