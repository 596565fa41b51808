/*
 * test_backends.c - the registry of rule backends (ls_backends): which
 * backend each rule kind gets, the optional hooks reached through the
 * registry (probing, the files loaded) with fake backends, the files the
 * real backends report for the shipped example (Lua scripts in scheme
 * order, each once, then the plugins), and those files in a manifest
 * (ls_manifest_add_loaded).
 *
 * Runs from the repository root; the example's plugin (formula.so) is
 * found in the build's plugin directory, LS_PLUGIN_DIR.
 */
#include "ls_test.h"

#include "ls_backends.h"
#include "ls_manifest.h"
#include "ls_util.h"

#define EXAMPLE "examples/dongfeng-2017/"

/* ---- fake backends: what the registry does with the hooks ---------------- */

typedef struct fake {
    ls_backend base;
    const char *const *files; /* what its loaded hook reports */
    size_t nfiles;
    ls_rule_unknown_fn probe_fn;
    void *probe_ctx;
    int probes;          /* calls of its probe hook */
    const char *shadows; /* what its loaded files say they hide */
} fake;

static int fake_bind(ls_backend *self, int node, ls_errors *err) { return 0; }
static int fake_call(ls_backend *self, ls_rule_call *c) { return 0; }
static void fake_free(ls_backend *self) { (void)self; }

static int fake_loaded(const ls_backend *self, size_t i, ls_loaded_file *out)
{
    const fake *f = (const fake *)self;
    if (i >= f->nfiles) return -1;
    *out = (ls_loaded_file){LS_LOADED_PLUGIN, f->files[i], f->files[i], "9", f->shadows};
    return 0;
}

static void fake_probe(ls_backend *self, ls_rule_unknown_fn fn, void *ctx)
{
    fake *f = (fake *)self;
    f->probe_fn = fn;
    f->probe_ctx = ctx;
    f->probes++;
}

static void on_unknown(void *ctx, const char *name, int line)
{
    (void)ctx;
    (void)name;
    (void)line;
}

static void test_nkinds(void **state)
{
    (void)state;
    ls_backends b;
    assert_int_equal(LS_RULE_NKINDS, 3);
    assert_int_equal(sizeof b.by_kind / sizeof *b.by_kind, LS_RULE_NKINDS);
}

static void test_loaded_in_kind_order(void **state)
{
    (void)state;
    static const char *const a[] = {"a1", "a2"}, *const c[] = {"c1"};
    fake fa = {.base = {.name = "a", .bind = fake_bind, .call = fake_call, .free = fake_free, .loaded = fake_loaded},
               .files = a,
               .nfiles = 2};
    fake fc = {.base = {.name = "c", .bind = fake_bind, .call = fake_call, .free = fake_free, .loaded = fake_loaded},
               .files = c,
               .nfiles = 1};
    ls_backends b = {{NULL}};
    b.by_kind[LS_RULE_PLUGIN] = &fc.base;
    b.by_kind[LS_RULE_LUA] = &fa.base;
    ls_loaded_file f;
    static const char *const want[] = {"a1", "a2", "c1"};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(ls_backends_loaded(&b, i, &f), 0);
        assert_string_equal(f.path, want[i]);
        assert_string_equal(f.version, "9");
    }
    assert_int_equal(ls_backends_loaded(&b, 3, &f), -1);
    assert_int_equal(ls_backends_loaded(&b, 100, &f), -1);

    /* a backend without the hook lists nothing; nor does an empty registry */
    fa.base.loaded = NULL;
    assert_int_equal(ls_backends_loaded(&b, 0, &f), 0);
    assert_string_equal(f.path, "c1");
    assert_int_equal(ls_backends_loaded(&b, 1, &f), -1);
    ls_backends none = {{NULL}};
    assert_int_equal(ls_backends_loaded(&none, 0, &f), -1);
}

static void test_probe_reaches_backends_with_the_hook(void **state)
{
    (void)state;
    fake fa = {.base = {.name = "a", .bind = fake_bind, .call = fake_call, .free = fake_free, .probe = fake_probe}};
    fake fc = {.base = {.name = "c", .bind = fake_bind, .call = fake_call, .free = fake_free}};
    ls_backends b = {{NULL}};
    b.by_kind[LS_RULE_LUA] = &fa.base;
    b.by_kind[LS_RULE_PLUGIN] = &fc.base; /* no probe hook: left alone */
    int ctx;
    ls_backends_probe(&b, on_unknown, &ctx);
    assert_int_equal(fa.probes, 1);
    assert_ptr_equal(fa.probe_fn, on_unknown);
    assert_ptr_equal(fa.probe_ctx, &ctx);
    ls_backends_probe(&b, NULL, NULL);
    assert_int_equal(fa.probes, 2);
    assert_null(fa.probe_fn);
    assert_int_equal(fc.probes, 0);
}

/* ---- the real backends on the shipped example ---------------------------- */

typedef struct fx {
    ls_scheme *s;
    ls_backends b;
    ls_errors err;
} fx;

static int setup(void **state)
{
    fx *x = ls_xcalloc(1, sizeof *x);
    ls_errors_init(&x->err);
    x->s = ls_scheme_load(EXAMPLE "scheme.yaml", &x->err);
    if (!x->s) ls_errors_print(&x->err, stderr);
    assert_non_null(x->s);
    const char *dirs[] = {LS_PLUGIN_DIR};
    ls_bind_opts o = {.plugin_paths = dirs, .nplugin_paths = 1};
    int rc = ls_backends_bind(&x->b, x->s, &o, &x->err);
    if (rc) ls_errors_print(&x->err, stderr);
    assert_int_equal(rc, 0);
    *state = x;
    return 0;
}

static int teardown(void **state)
{
    fx *x = *state;
    ls_backends_cleanup(&x->b);
    ls_scheme_free(x->s);
    ls_errors_cleanup(&x->err);
    free(x);
    return 0;
}

static void test_backend_per_kind(void **state)
{
    fx *x = *state;
    assert_null(x->b.by_kind[LS_RULE_NONE]);
    assert_string_equal(x->b.by_kind[LS_RULE_LUA]->name, "lua");
    assert_string_equal(x->b.by_kind[LS_RULE_PLUGIN]->name, "plugin");
    /* Lua resolves names while running, so it probes; plugins resolve
     * them when bound and have no probe. */
    assert_non_null(x->b.by_kind[LS_RULE_LUA]->probe);
    assert_null(x->b.by_kind[LS_RULE_PLUGIN]->probe);
    assert_non_null(x->b.by_kind[LS_RULE_LUA]->loaded);
    assert_non_null(x->b.by_kind[LS_RULE_PLUGIN]->loaded);
}

/* The scripts in the order the scheme first names them, then formula.so
 * (named by three items, loaded once). */
static void test_example_files(void **state)
{
    fx *x = *state;
    static const char *const scripts[] = {
        "graded", "binary", "rate", "shortfall", "ratio_threshold", "deduct", "random_checks",
        "discretionary", "rank", "checklist", "tiers", "report", "veto"};
    size_t n = sizeof scripts / sizeof *scripts;
    ls_loaded_file f;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(ls_backends_loaded(&x->b, i, &f), 0);
        char *want = ls_format(EXAMPLE "rules/%s.lua", scripts[i]);
        assert_int_equal(f.kind, LS_LOADED_SCRIPT);
        assert_string_equal(f.path, want);
        assert_string_equal(f.version, "");
        free(want);
    }
    assert_int_equal(ls_backends_loaded(&x->b, n, &f), 0);
    assert_int_equal(f.kind, LS_LOADED_PLUGIN);
    assert_string_equal(f.name, "formula");
    assert_string_equal(f.path, LS_PLUGIN_DIR "/formula.so");
    assert_string_equal(f.version, "1.1.0");
    assert_int_equal(ls_backends_loaded(&x->b, n + 1, &f), -1);
}

/* The manifest already has every script (ls_manifest_new); the backends
 * add the plugin, hashed, and its version. */
static void test_manifest_add_loaded(void **state)
{
    fx *x = *state;
    ls_manifest *m = ls_manifest_new(x->s, NULL, &x->err);
    assert_non_null(m);
    size_t before = m->nfiles;
    assert_int_equal(ls_manifest_add_loaded(m, &x->b, &x->err), 0);
    assert_int_equal(m->nfiles, before + 1);
    const ls_manifest_file *f = &m->files[m->nfiles - 1];
    assert_int_equal(f->role, LS_MF_PLUGIN);
    assert_string_equal(f->path, LS_PLUGIN_DIR "/formula.so");
    char hex[LS_SHA256_HEX];
    assert_int_equal(ls_sha256_file(LS_PLUGIN_DIR "/formula.so", hex), 0);
    assert_string_equal(f->sha256, hex);
    assert_int_equal(m->nopts, 1);
    assert_string_equal(m->opts[0].key, "plugin.formula.version");
    assert_string_equal(m->opts[0].value, "1.1.0");
    /* again: nothing new */
    assert_int_equal(ls_manifest_add_loaded(m, &x->b, &x->err), 0);
    assert_int_equal(m->nfiles, before + 1);
    assert_int_equal(m->nopts, 1);
    ls_manifest_free(m);
    assert_int_equal(x->err.nerrors, 0);
}

/* A loaded file that cannot be read is an error naming it. */
static void test_manifest_add_loaded_unreadable(void **state)
{
    (void)state;
    static const char *const gone[] = {"tests/unit/fixtures/no-such-plugin.so"};
    fake fa = {.base = {.name = "a", .bind = fake_bind, .call = fake_call, .free = fake_free, .loaded = fake_loaded},
               .files = gone,
               .nfiles = 1};
    ls_backends b = {{NULL}};
    b.by_kind[LS_RULE_PLUGIN] = &fa.base;
    ls_errors err;
    ls_errors_init(&err);
    ls_manifest *m = ls_xcalloc(1, sizeof *m);
    assert_int_equal(ls_manifest_add_loaded(m, &b, &err), -1);
    assert_int_equal(err.nerrors, 1);
    assert_string_equal(err.v[0].path, gone[0]);
    assert_string_equal(err.v[0].msg, "cannot read plugin file for the manifest: No such file or directory");
    assert_int_equal(m->nfiles, 0);
    ls_manifest_free(m);
    ls_errors_cleanup(&err);
}

/* A plugin beside the scheme that hides an installed one: the manifest
 * records the hidden one's path. */
static void test_manifest_shadows(void **state)
{
    (void)state;
    static const char *const files[] = {"include/lawscore_plugin.h"};
    fake fa = {.base = {.name = "a", .bind = fake_bind, .call = fake_call, .free = fake_free, .loaded = fake_loaded},
               .files = files,
               .nfiles = 1,
               .shadows = "/usr/lib/lawscore/plugins/rates.so"};
    ls_backends b = {{NULL}};
    b.by_kind[LS_RULE_PLUGIN] = &fa.base;
    ls_errors err;
    ls_errors_init(&err);
    ls_manifest *m = ls_xcalloc(1, sizeof *m);
    ls_arena_init(&m->arena);
    assert_int_equal(ls_manifest_add_loaded(m, &b, &err), 0);
    assert_int_equal(m->nopts, 2);
    assert_string_equal(m->opts[0].key, "plugin.include/lawscore_plugin.h.version");
    assert_string_equal(m->opts[1].key, "plugin.include/lawscore_plugin.h.shadows");
    assert_string_equal(m->opts[1].value, "/usr/lib/lawscore/plugins/rates.so");
    ls_manifest_free(m);
    ls_errors_cleanup(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nkinds),
        cmocka_unit_test(test_loaded_in_kind_order),
        cmocka_unit_test(test_probe_reaches_backends_with_the_hook),
        cmocka_unit_test_setup_teardown(test_backend_per_kind, setup, teardown),
        cmocka_unit_test_setup_teardown(test_example_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_manifest_add_loaded, setup, teardown),
        cmocka_unit_test(test_manifest_add_loaded_unreadable),
        cmocka_unit_test(test_manifest_shadows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
