/*
 * ls_plugin.c - the C plugin rule backend: plugin loading (see ls_plugin.h
 * and the ABI in include/lawscore_plugin.h).  The host API the plugins
 * call is in ls_plugin_host.c.
 *
 * Loading.  bind(node) finds the item's plugin on first use (NAME.so in
 * the first directory of the search path that has it), dlopens it with
 * RTLD_NOW | RTLD_LOCAL, calls its entry point and checks the descriptor
 * in this order: magic, ABI major (must match), ABI minor (not newer than
 * ours), descriptor size, function size, the function table.  Only as
 * many bytes as the plugin says its structs have are read (copied into
 * zeroed structs of our size), so an older plugin's missing fields read
 * as absent.  A plugin that failed to load is reported once, with the
 * first item that uses it.
 *
 * Binding.  The function is looked up by name (a misspelling gets a "did
 * you mean"), then ls_plugin_host_bind runs its bind callback; calls go
 * through ls_plugin_host_call.  States the plugins kept are freed before
 * the plugins are unloaded.
 *
 * Depends on: ls_i18n, dlfcn (the only file that includes dlfcn.h),
 * lawscore_plugin, ls_plugin_host, ls_rule, ls_util.
 */
#include "ls_plugin.h"

#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lawscore_plugin.h"
#include "ls_plugin_host.h"
#include "ls_i18n.h"
#include "ls_util.h"

#ifndef LS_PLUGIN_DIR
#define LS_PLUGIN_DIR "/usr/local/lib/lawscore/plugins"
#endif

/* More functions than this in one descriptor, or a function entry larger
 * than this, is a damaged table (reading it would run off the plugin's
 * memory). */
#define MAX_FUNCTIONS 10000
#define MAX_FUNCTION_SIZE 4096

#define STR_(x) #x
#define STR(x) STR_(x)
#define ABI_TEXT STR(LSP_ABI_MAJOR) "." STR(LSP_ABI_MINOR)

typedef struct plugin {
    char *name;          /* as the scheme names it */
    char *path;          /* the file loaded, or NULL (not found) */
    char *shadows;       /* the installed NAME.so that a plugin in the
                                  scheme's directory hides, or NULL */
    void *handle;        /* NULL when loading failed */
    lsp_descriptor desc; /* copy, zero past the plugin's size */
    lsp_function *fns;   /* copies, zero past the plugin's size */
    size_t nfns;
} plugin;

typedef struct plugin_backend {
    ls_backend base; /* first: the engine sees only this */
    const ls_scheme *s;
    char **dirs;
    size_t ndirs;
    plugin **plugins;
    size_t nplugins;
    ls_plugin_binding *bind; /* per node */
} plugin_backend;

const char *ls_plugin_abi_version(void) { return ABI_TEXT; }

/* ---- the search path --------------------------------------------------- */

static void path_add(char ***v, size_t *n, size_t *cap, const char *dir, size_t len)
{
    if (len == 0) return;
    for (size_t i = 0; i < *n; i++)
        if (strlen((*v)[i]) == len && !memcmp((*v)[i], dir, len)) return;
    LS_GROW(*v, *n, *cap, 8);
    (*v)[(*n)++] = ls_xstrndup(dir, len);
}

int ls_plugin_search_path(const ls_scheme *s, const char *const *cli, size_t ncli,
                          char ***out, size_t *n)
{
    char **v = NULL;
    size_t nv = 0, cap = 0;
    for (size_t i = 0; i < ncli; i++) path_add(&v, &nv, &cap, cli[i], strlen(cli[i]));
    const char *env = getenv(LS_PLUGIN_PATH_ENV);
    while (env && *env) {
        const char *colon = strchr(env, ':');
        size_t len = colon ? (size_t)(colon - env) : strlen(env);
        path_add(&v, &nv, &cap, env, len);
        env += len + (colon != NULL);
    }
    if (s && s->dir) path_add(&v, &nv, &cap, s->dir, strlen(s->dir));
    path_add(&v, &nv, &cap, LS_PLUGIN_DIR, strlen(LS_PLUGIN_DIR));
    *out = v;
    *n = nv;
    return 0;
}

void ls_plugin_path_free(char **dirs, size_t n)
{
    for (size_t i = 0; i < n; i++) free(dirs[i]);
    free(dirs);
}

/* ---- loading a plugin -------------------------------------------------- */

/* dir/NAME.so, always with a slash so that dlopen never searches. */
static char *so_path(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    if (n && dir[n - 1] == '/') return ls_format("%s%s.so", dir, name);
    return ls_format("%s/%s.so", dir, name);
}

/* dlerror() text without a leading "PATH: " (we name the file already). */
static const char *dl_text(const char *msg, const char *path)
{
    if (!msg) return "unknown error";
    size_t n = strlen(path);
    if (!strncmp(msg, path, n) && msg[n] == ':' && msg[n + 1] == ' ') return msg + n + 2;
    return msg;
}

static void plugin_free(plugin *p)
{
    if (!p) return;
    if (p->handle) dlclose(p->handle);
    free(p->fns);
    free(p->shadows);
    free(p->name);
    free(p->path);
    free(p);
}

/* Check the descriptor and copy it.  0, or -1 with an error. */
static int take_descriptor(plugin *p, const lsp_descriptor *d, const ls_scheme *s,
                           const ls_ruleref *r, ls_errors *err)
{
    const char *nm = p->name, *path = p->path;
    if (!d)
        return ls_errorf(err, s->path, r->line, r->col,
                         "plugin '%s' (%s): %s() returned no descriptor", nm, path, LSP_ENTRY);
    if (d->magic != LSP_MAGIC)
        return ls_errorf(err, s->path, r->line, r->col,
                         "plugin '%s' (%s) is not a lawscore plugin: its descriptor starts with "
                         "0x%08X, expected 0x%08X",
                         nm, path, (unsigned)d->magic, (unsigned)LSP_MAGIC);
    if (d->abi_major != LSP_ABI_MAJOR)
        return ls_errorf(err, s->path, r->line, r->col,
                         "plugin '%s' (%s) was built for ABI %u.x, this lawscore has ABI %s: "
                         "rebuild it with this lawscore's lawscore_plugin.h",
                         nm, path, (unsigned)d->abi_major, ABI_TEXT);
    if (d->abi_minor > LSP_ABI_MINOR)
        return ls_errorf(err, s->path, r->line, r->col,
                         "plugin '%s' (%s) was built for ABI %u.%u, this lawscore has ABI %s: "
                         "it needs a newer lawscore",
                         nm, path, (unsigned)d->abi_major, (unsigned)d->abi_minor, ABI_TEXT);
    if (d->size < LSP_DESCRIPTOR_SIZE_1_0)
        return ls_errorf(err, s->path, r->line, r->col,
                         "plugin '%s' (%s) has a damaged descriptor: its size is %u bytes, "
                         "expected at least %zu",
                         nm, path, (unsigned)d->size,
                         (size_t)LSP_DESCRIPTOR_SIZE_1_0);
    memset(&p->desc, 0, sizeof p->desc);
    memcpy(&p->desc, d, d->size < sizeof p->desc ? d->size : sizeof p->desc);
    const lsp_descriptor *c = &p->desc;
    if (c->function_size < LSP_FUNCTION_SIZE_1_0 || c->function_size > MAX_FUNCTION_SIZE)
        return ls_errorf(err, s->path, r->line, r->col,
                         "plugin '%s' (%s) has a damaged descriptor: functions of %u bytes, "
                         "expected %zu to %d",
                         nm, path, (unsigned)c->function_size,
                         (size_t)LSP_FUNCTION_SIZE_1_0, MAX_FUNCTION_SIZE);
    if (c->nfunctions == 0 || !c->functions || c->nfunctions > MAX_FUNCTIONS)
        return ls_errorf(err, s->path, r->line, r->col,
                         "plugin '%s' (%s) has a damaged descriptor: it lists %s functions",
                         nm, path, c->nfunctions == 0 || !c->functions ? _("no") : _("too many"));
    p->fns = ls_xcalloc(c->nfunctions, sizeof *p->fns);
    size_t fsize = c->function_size < sizeof *p->fns ? c->function_size : sizeof *p->fns;
    for (size_t i = 0; i < c->nfunctions; i++) {
        const char *src = (const char *)c->functions + i * c->function_size;
        memcpy(&p->fns[i], src, fsize);
        if (!p->fns[i].name || !p->fns[i].name[0] || !p->fns[i].score)
            return ls_errorf(err, s->path, r->line, r->col,
                             "plugin '%s' (%s) has a damaged descriptor: function %zu has no %s",
                             nm, path, i + 1, !p->fns[i].name || !p->fns[i].name[0] ? _("name") : _("score callback"));
    }
    p->nfns = c->nfunctions;
    return 0;
}

/* Find and load plugin `name` for the rule r.  0, or -1 with an error. */
static int plugin_load(plugin_backend *b, plugin *p, const ls_ruleref *r, ls_errors *err)
{
    const ls_scheme *s = b->s;
    struct stat st;
    size_t found = 0;
    for (size_t i = 0; i < b->ndirs && !p->path; i++) {
        char *path = so_path(b->dirs[i], p->name);
        if (stat(path, &st) == 0 && !S_ISDIR(st.st_mode)) p->path = path, found = i;
        else free(path);
    }
    /* dlopen of a FIFO waits for a writer forever; a device is no plugin. */
    if (p->path && !S_ISREG(st.st_mode))
        return ls_errorf(err, s->path, r->line, r->col,
                         "plugin '%s' (%s) is not a regular file (%s)", p->name, p->path,
                         S_ISFIFO(st.st_mode) ? "a FIFO" : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                                                                                                      : "a special file");
    /* A NAME.so beside the scheme comes before the installed plugins: one
     * that hides an installed plugin of the same name is said, so that a
     * scheme received from elsewhere cannot swap a plugin silently. */
    if (p->path && s->dir && !strcmp(b->dirs[found], s->dir)) {
        for (size_t j = found + 1; j < b->ndirs && !p->shadows; j++) {
            char *other = so_path(b->dirs[j], p->name);
            if (stat(other, &st) == 0 && S_ISREG(st.st_mode)) p->shadows = other;
            else free(other);
        }
        if (p->shadows)
            ls_warnf(err, s->path, r->line, r->col,
                     "plugin '%s' is loaded from the scheme's directory (%s), not the installed %s: "
                     "make sure it is the plugin you mean",
                     p->name, p->path, p->shadows);
    }
    if (!p->path) {
        ls_buf l;
        ls_buf_init(&l);
        for (size_t i = 0; i < b->ndirs; i++) ls_buf_printf(&l, "%s%s", i ? ", " : "", b->dirs[i]);
        if (!b->ndirs) ls_buf_puts(&l, _("(no directories)"));
        ls_errorf(err, s->path, r->line, r->col,
                  "plugin '%s' not found: no %s.so in %s (add its directory with --plugin-path "
                  "or %s)",
                  p->name, p->name, l.p, LS_PLUGIN_PATH_ENV);
        ls_buf_cleanup(&l);
        return -1;
    }
    dlerror();
    p->handle = dlopen(p->path, RTLD_NOW | RTLD_LOCAL);
    if (!p->handle)
        return ls_errorf(err, s->path, r->line, r->col, "cannot load plugin '%s' (%s): %s",
                         p->name, p->path, dl_text(dlerror(), p->path));
    dlerror();
    void *sym = dlsym(p->handle, LSP_ENTRY);
    if (!sym || dlerror())
        return ls_errorf(err, s->path, r->line, r->col,
                         "plugin '%s' (%s) does not export the entry point %s() (a plugin "
                         "defines it with LSP_PLUGIN from lawscore_plugin.h)",
                         p->name, p->path, LSP_ENTRY);
    const lsp_descriptor *(*entry)(void);
    memcpy(&entry, &sym, sizeof entry); /* POSIX: object -> function pointer */
    return take_descriptor(p, entry(), s, r, err);
}

/* The plugin of the rule, loaded; NULL when it cannot be (reported with
 * the first item that uses it). */
static plugin *plugin_get(plugin_backend *b, const ls_ruleref *r, ls_errors *err)
{
    for (size_t i = 0; i < b->nplugins; i++)
        if (!strcmp(b->plugins[i]->name, r->plugin)) return b->plugins[i]->nfns ? b->plugins[i] : NULL;
    plugin *p = ls_xcalloc(1, sizeof *p);
    p->name = ls_xstrdup(r->plugin);
    b->plugins = ls_xrealloc(b->plugins, (b->nplugins + 1) * sizeof *b->plugins);
    b->plugins[b->nplugins++] = p;
    if (plugin_load(b, p, r, err)) {
        p->nfns = 0;
        return NULL;
    }
    return p;
}

static const lsp_function *function_get(plugin *p, const char *name)
{
    for (size_t i = 0; i < p->nfns; i++)
        if (!strcmp(p->fns[i].name, name)) return &p->fns[i];
    return NULL;
}

static int no_function(const plugin *p, const ls_scheme *s, const ls_ruleref *r, ls_errors *err)
{
    ls_buf l;
    ls_buf_init(&l);
    const char *best = NULL;
    size_t bestd = 3, len = strlen(r->function);
    for (size_t i = 0; i < p->nfns; i++) {
        ls_buf_printf(&l, "%s%s", i ? ", " : "", p->fns[i].name);
        size_t d = ls_edit_distance(r->function, p->fns[i].name);
        if (d < bestd && d < len) {
            bestd = d;
            best = p->fns[i].name;
        }
    }
    if (best)
        ls_errorf(err, s->path, r->line, r->col,
                  "plugin '%s' (%s) has no function '%s' (did you mean '%s'?); it provides: %s",
                  p->name, p->path, r->function, best, l.p);
    else
        ls_errorf(err, s->path, r->line, r->col,
                  "plugin '%s' (%s) has no function '%s'; it provides: %s",
                  p->name, p->path, r->function, l.p);
    ls_buf_cleanup(&l);
    return -1;
}

/* ---- the backend ---------------------------------------------------------- */

static int pl_bind(ls_backend *self, int node, ls_errors *err)
{
    plugin_backend *b = (plugin_backend *)self;
    const ls_scheme *s = b->s;
    if (node < 0 || (size_t)node >= s->nnodes)
        return ls_errorf(err, s->path, 0, 0, "internal error: no node %d", node);
    const ls_node *nd = &s->nodes[node];
    const ls_ruleref *r = &nd->rule;
    if (r->kind != LS_RULE_PLUGIN || !r->plugin || !r->function)
        return ls_errorf(err, s->path, nd->line, nd->col,
                         "internal error: item '%s' has no plugin rule", nd->id);
    ls_plugin_binding *bd = &b->bind[node];
    if (bd->fn) return 0;
    plugin *p = plugin_get(b, r, err);
    if (!p) return -1;
    const lsp_function *fn = function_get(p, r->function);
    if (!fn) return no_function(p, s, r, err);
    if (ls_plugin_host_bind(s, node, p->name, p->path, fn, bd, err)) return -1;
    bd->serial = !(p->desc.flags & LSP_THREADSAFE);
    return 0;
}

static int pl_call(ls_backend *self, ls_rule_call *rc)
{
    plugin_backend *b = (plugin_backend *)self;
    const ls_scheme *s = b->s;
    if (rc->node < 0 || (size_t)rc->node >= s->nnodes || !b->bind[rc->node].fn)
        return ls_rule_call_fail(rc, NULL, 0, "internal error: the rule of node %d is not bound", rc->node);
    if (rc->unit < 0 || (size_t)rc->unit >= s->nunits)
        return ls_rule_call_fail(rc, NULL, 0, "internal error: no unit %d", rc->unit);
    return ls_plugin_host_call(s, &b->bind[rc->node], rc);
}

static void pl_free(ls_backend *self)
{
    plugin_backend *b = (plugin_backend *)self;
    /* States first: their free_state lives in the plugins. */
    for (size_t i = 0; i < b->s->nnodes; i++) ls_plugin_host_unbind(&b->bind[i]);
    for (size_t i = 0; i < b->nplugins; i++) plugin_free(b->plugins[i]);
    free(b->plugins);
    free(b->bind);
    ls_plugin_path_free(b->dirs, b->ndirs);
    free(b);
}

/* The loaded hook: the plugins loaded, in load order. */
static int pl_loaded(const ls_backend *self, size_t i, ls_loaded_file *out)
{
    const char *name, *path, *version;
    if (ls_plugin_loaded(self, i, &name, &path, &version)) return -1;
    *out = (ls_loaded_file){LS_LOADED_PLUGIN, path, name, version, NULL};
    const plugin_backend *b = (const plugin_backend *)self;
    for (size_t k = 0; k < b->nplugins; k++)
        if (b->plugins[k]->path && !strcmp(b->plugins[k]->path, path)) out->shadows = b->plugins[k]->shadows;
    return 0;
}

ls_backend *ls_plugin_backend_new(const ls_scheme *s, const char *const *dirs, size_t ndirs,
                                  ls_errors *err)
{
    (void)err;
    plugin_backend *b = ls_xcalloc(1, sizeof *b);
    b->base.name = "plugin";
    b->base.bind = pl_bind;
    b->base.call = pl_call;
    b->base.free = pl_free;
    b->base.loaded = pl_loaded;
    b->s = s;
    b->bind = ls_xcalloc(s->nnodes ? s->nnodes : 1, sizeof *b->bind);
    b->dirs = ls_xcalloc(ndirs ? ndirs : 1, sizeof *b->dirs);
    for (size_t i = 0; i < ndirs; i++) b->dirs[i] = ls_xstrdup(dirs[i]);
    b->ndirs = ndirs;
    return &b->base;
}

int ls_plugin_loaded(const ls_backend *self, size_t i, const char **name, const char **path,
                     const char **version)
{
    const plugin_backend *b = (const plugin_backend *)self;
    for (size_t k = 0; k < b->nplugins; k++) {
        const plugin *p = b->plugins[k];
        if (!p->nfns) continue; /* failed to load */
        if (i-- > 0) continue;
        *name = p->name;
        *path = p->path;
        *version = p->desc.version ? p->desc.version : "";
        return 0;
    }
    return -1;
}
