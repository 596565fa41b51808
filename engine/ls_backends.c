/*
 * ls_backends.c - the registry of rule backends (see ls_backends.h): the
 * only file that includes the backends' headers.
 */
#include "ls_backends.h"

#include <string.h>

#include "ls_lua.h"
#include "ls_plugin.h"

/* The backend for rules of `kind`, made on first use; NULL on failure. */
static ls_backend *backend_for(ls_backends *b, const ls_scheme *s, ls_rule_kind kind,
                               const ls_bind_opts *o, ls_errors *err)
{
    if (b->by_kind[kind]) return b->by_kind[kind];
    if (kind == LS_RULE_LUA) {
        ls_lua_limits lim = {o->max_instructions, o->max_memory, o->max_seconds};
        b->by_kind[kind] = ls_lua_backend_new(s, &lim, err);
        if (b->by_kind[kind] && o->coverage) ls_lua_backend_cover(b->by_kind[kind], o->coverage);
    } else if (kind == LS_RULE_PLUGIN) {
        char **dirs;
        size_t ndirs;
        ls_plugin_search_path(s, o->plugin_paths, o->nplugin_paths, &dirs, &ndirs);
        b->by_kind[kind] = ls_plugin_backend_new(s, (const char *const *)dirs, ndirs, err);
        ls_plugin_path_free(dirs, ndirs);
    }
    return b->by_kind[kind];
}

int ls_backends_bind(ls_backends *b, const ls_scheme *s, const ls_bind_opts *o, ls_errors *err)
{
    memset(b, 0, sizeof *b);
    int rc = 0;
    for (size_t k = 0; k < s->nleaves; k++) {
        const ls_node *n = &s->nodes[s->leaves[k]];
        if (n->rule.kind == LS_RULE_NONE)
            return ls_errorf(err, s->path, n->line, n->col, "internal error: item '%s' has no rule", n->id);
        ls_backend *be = backend_for(b, s, n->rule.kind, o, err);
        if (!be) return -1; /* the backend itself failed: nothing more to bind */
        if (be->bind(be, s->leaves[k], err)) rc = -1;
    }
    return rc;
}

void ls_backends_cleanup(ls_backends *b)
{
    for (int i = 0; i < LS_RULE_NKINDS; i++) ls_backend_free(b->by_kind[i]);
    memset(b, 0, sizeof *b);
}

void ls_backends_probe(ls_backends *b, ls_rule_unknown_fn fn, void *ctx)
{
    for (int i = 0; i < LS_RULE_NKINDS; i++)
        if (b->by_kind[i] && b->by_kind[i]->probe) b->by_kind[i]->probe(b->by_kind[i], fn, ctx);
}

int ls_backends_loaded(const ls_backends *b, size_t i, ls_loaded_file *out)
{
    for (int k = 0; k < LS_RULE_NKINDS; k++) {
        const ls_backend *be = b->by_kind[k];
        if (!be || !be->loaded) continue;
        size_t n = 0;
        while (!be->loaded(be, n, out)) {
            if (n == i) return 0;
            n++;
        }
        i -= n;
    }
    return -1;
}
