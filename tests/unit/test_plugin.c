/*
 * test_plugin.c - the C plugin backend (engine/ls_plugin.c) and the
 * shipped plugins (plugins/NAME.c).
 *
 *   - the search path (--plugin-path, $LAWSCORE_PLUGIN_PATH, the scheme's
 *     directory, LS_PLUGIN_DIR);
 *   - every way a plugin is refused, each with its whole message: not
 *     found, not a shared object, no entry point, wrong magic, ABI major,
 *     newer minor, descriptor too small, no functions, unknown function,
 *     parameters rejected by the plugin (fixtures/plugins/bad.yaml and the
 *     defective plugins fixtures/plugins/src/NAME.c, built by the Makefile
 *     into <build>/test-plugins/);
 *   - the host API and every way a call fails (good.so, calls.yaml);
 *   - each shipped plugin function against its Lua twin (twins.yaml: the
 *     same params through rules/lawscore.lua's helper of the same name):
 *     the same values, reasons and indicators read for every unit, plus
 *     hand-computed expectations for the interesting cells.
 *
 * The plugins are found next to the build's plugin directory: LS_PLUGIN_DIR
 * is <build>/plugins, the test plugins are in <build>/test-plugins, with
 * plugins/template.c (tested as a twin, not installed).
 */
#include "ls_test.h"

#include <fcntl.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lawscore_plugin.h"
#include "ls_data.h"
#include "ls_lua.h"
#include "ls_plugin.h"
#include "ls_backends.h"
#include "ls_score.h"
#include "ls_stats.h"
#include "ls_util.h"

#define PDIR FIXTURES "plugins/"

static char test_dir[4096]; /* <build>/test-plugins */

static void find_test_dir(void)
{
    const char *p = LS_PLUGIN_DIR;
    size_t n = strlen(p);
    const char *tail = "/plugins";
    assert_true(n > strlen(tail) && !strcmp(p + n - strlen(tail), tail));
    snprintf(test_dir, sizeof test_dir, "%.*s/test-plugins", (int)(n - strlen(tail)), p);
}

/* ---- fixtures ----------------------------------------------------------- */

typedef struct fx {
    ls_scheme *s;
    ls_dataset *d;
    ls_stats *st;
    ls_backend *plug, *lua;
    ls_errors err;
} fx;

static fx *fx_new(const char *scheme, const char *data)
{
    fx *x = calloc(1, sizeof *x);
    ls_errors_init(&x->err);
    x->s = ls_scheme_load(scheme, &x->err);
    if (!x->s) ls_errors_print(&x->err, stderr);
    assert_non_null(x->s);
    const char *files[] = {data};
    x->d = ls_dataset_load(x->s, files, data ? 1 : 0, data == NULL, &x->err);
    if (!x->d) ls_errors_print(&x->err, stderr);
    assert_non_null(x->d);
    assert_int_equal(x->err.n, 0);
    x->st = ls_stats_new(x->s, x->d);
    const char *dirs[] = {test_dir, LS_PLUGIN_DIR};
    x->plug = ls_plugin_backend_new(x->s, dirs, 2, &x->err);
    assert_non_null(x->plug);
    return x;
}

static void fx_free(fx *x)
{
    ls_backend_free(x->plug);
    ls_backend_free(x->lua);
    ls_stats_free(x->st);
    ls_dataset_free(x->d);
    ls_scheme_free(x->s);
    ls_errors_cleanup(&x->err);
    free(x);
}

static int node_of(const fx *x, const char *id)
{
    int n = ls_scheme_find_node(x->s, id);
    if (n < 0) fail_msg("no node '%s' in %s", id, x->s->path);
    return n;
}

static int unit_of(const fx *x, const char *id)
{
    int u = ls_scheme_find_unit(x->s, id);
    if (u < 0) fail_msg("no unit '%s'", id);
    return u;
}

/* "path:line:col" of item id's rule, or of its parameter `key`. */
static char *at_rule(const fx *x, const char *id)
{
    const ls_node *n = &x->s->nodes[node_of(x, id)];
    return ls_format("%s:%d:%d", x->s->path, n->rule.line, n->rule.col);
}

static char *at_param(const fx *x, const char *id, const char *key)
{
    const ls_node *n = &x->s->nodes[node_of(x, id)];
    const ls_ynode *v = key ? ls_ymap_get(n->rule.params, key) : n->rule.params;
    assert_non_null(v);
    return ls_format("%s:%d:%d", x->s->path, v->line, v->col);
}

/* Bind item id; expect failure and exactly the diagnostics given (each
 * "POS: error: MSG" with POS a string from at_rule/at_param), in order. */
static void expect_bind_errors(fx *x, const char *id, size_t n, const char *const *want)
{
    size_t before = x->err.n;
    assert_int_equal(x->plug->bind(x->plug, node_of(x, id), &x->err), -1);
    if (x->err.n - before != n) {
        ls_errors_print(&x->err, stderr);
        fail_msg("item %s: %zu diagnostics, expected %zu", id, x->err.n - before, n);
    }
    for (size_t i = 0; i < n; i++) {
        char *got = ls_diag_format(&x->err.v[before + i]);
        if (strcmp(got, want[i])) fprintf(stderr, "got:  %s\nwant: %s\n", got, want[i]);
        assert_string_equal(got, want[i]);
        free(got);
    }
}

static void expect_bind_error(fx *x, const char *id, char *pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void expect_bind_error(fx *x, const char *id, char *pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = ls_vformat(fmt, ap);
    va_end(ap);
    char *want = ls_format("%s: error: %s", pos, msg);
    const char *w[] = {want};
    expect_bind_errors(x, id, 1, w);
    free(want);
    free(msg);
    free(pos);
}

/* ---- the search path ------------------------------------------------------ */

static void test_search_path(void **state)
{
    (void)state;
    fx *x = fx_new(PDIR "bad.yaml", NULL);
    const char *cli[] = {"cli1", "cli2", "cli1"};
    char **dirs;
    size_t n;
    setenv(LS_PLUGIN_PATH_ENV, "env1::cli2:env2:", 1);
    assert_int_equal(ls_plugin_search_path(x->s, cli, 3, &dirs, &n), 0);
    const char *want[] = {"cli1", "cli2", "env1", "env2", "tests/unit/fixtures/plugins", LS_PLUGIN_DIR};
    assert_int_equal(n, 6);
    for (size_t i = 0; i < n; i++) assert_string_equal(dirs[i], want[i]);
    ls_plugin_path_free(dirs, n);

    unsetenv(LS_PLUGIN_PATH_ENV);
    assert_int_equal(ls_plugin_search_path(x->s, NULL, 0, &dirs, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(dirs[0], "tests/unit/fixtures/plugins");
    assert_string_equal(dirs[1], LS_PLUGIN_DIR);
    ls_plugin_path_free(dirs, n);
    fx_free(x);
}

static void test_abi_version(void **state)
{
    (void)state;
    assert_string_equal(ls_plugin_abi_version(), "1.2");
    /* the layout the compatibility promise freezes for 1.x */
    assert_int_equal(offsetof(lsp_descriptor, magic), 0);
    assert_int_equal(offsetof(lsp_descriptor, abi_major), 4);
    assert_int_equal(offsetof(lsp_descriptor, abi_minor), 6);
    assert_int_equal(offsetof(lsp_descriptor, size), 8);
    /* 1.2 appended flags after the 1.0 layout */
    assert_int_equal(offsetof(lsp_descriptor, flags), LSP_DESCRIPTOR_SIZE_1_0);
    assert_true(LSP_DESCRIPTOR_SIZE_1_0 < sizeof(lsp_descriptor));
    assert_int_equal(LSP_FUNCTION_SIZE_1_0, sizeof(lsp_function));
}

/* ---- refusals ------------------------------------------------------------ */

static void test_not_found(void **state)
{
    (void)state;
    fx *x = fx_new(PDIR "bad.yaml", NULL);
    /* the position in full once: line 26, the column (in characters) of
     * the rule's {plugin: ..., function: ...} */
    char *pos = at_rule(x, "notfound");
    assert_string_equal(pos, "tests/unit/fixtures/plugins/bad.yaml:26:52");
    expect_bind_error(x, "notfound", pos,
                      "plugin 'nosuch' not found: no nosuch.so in %s, %s (add its directory "
                      "with --plugin-path or LAWSCORE_PLUGIN_PATH)",
                      test_dir, LS_PLUGIN_DIR);
    fx_free(x);
}

static void test_not_found_no_dirs(void **state)
{
    (void)state;
    fx *x = fx_new(PDIR "bad.yaml", NULL);
    ls_backend_free(x->plug);
    x->plug = ls_plugin_backend_new(x->s, NULL, 0, &x->err);
    expect_bind_error(x, "notfound", at_rule(x, "notfound"),
                      "plugin 'nosuch' not found: no nosuch.so in (no directories) (add its "
                      "directory with --plugin-path or LAWSCORE_PLUGIN_PATH)");
    fx_free(x);
}

static void test_not_elf(void **state)
{
    (void)state;
    fx *x = fx_new(PDIR "bad.yaml", NULL);
    expect_bind_error(x, "notelf", at_rule(x, "notelf"),
                      "cannot load plugin 'notelf' (%s/notelf.so): invalid ELF header", test_dir);
    fx_free(x);
}

static void test_no_entry(void **state)
{
    (void)state;
    fx *x = fx_new(PDIR "bad.yaml", NULL);
    expect_bind_error(x, "noentry", at_rule(x, "noentry"),
                      "plugin 'noentry' (%s/noentry.so) does not export the entry point "
                      "lawscore_plugin() (a plugin defines it with LSP_PLUGIN from "
                      "lawscore_plugin.h)",
                      test_dir);
    /* a plugin that failed is reported once, with the first item using it */
    size_t n = x->err.n;
    assert_int_equal(x->plug->bind(x->plug, node_of(x, "noentry2"), &x->err), -1);
    assert_int_equal(x->err.n, n);
    fx_free(x);
}

static void test_bad_magic(void **state)
{
    (void)state;
    fx *x = fx_new(PDIR "bad.yaml", NULL);
    expect_bind_error(x, "badmagic", at_rule(x, "badmagic"),
                      "plugin 'badmagic' (%s/badmagic.so) is not a lawscore plugin: its "
                      "descriptor starts with 0x12345678, expected 0x4C53504C",
                      test_dir);
    fx_free(x);
}

static void test_major(void **state)
{
    (void)state;
    fx *x = fx_new(PDIR "bad.yaml", NULL);
    expect_bind_error(x, "major2", at_rule(x, "major2"),
                      "plugin 'major2' (%s/major2.so) was built for ABI 2.x, this lawscore has "
                      "ABI 1.2: rebuild it with this lawscore's lawscore_plugin.h",
                      test_dir);
    fx_free(x);
}

static void test_minor(void **state)
{
    (void)state;
    fx *x = fx_new(PDIR "bad.yaml", NULL);
    expect_bind_error(x, "minor9", at_rule(x, "minor9"),
                      "plugin 'minor9' (%s/minor9.so) was built for ABI 1.9, this lawscore has "
                      "ABI 1.2: it needs a newer lawscore",
                      test_dir);
    fx_free(x);
}

static void test_small(void **state)
{
    (void)state;
    fx *x = fx_new(PDIR "bad.yaml", NULL);
    expect_bind_error(x, "small", at_rule(x, "small"),
                      "plugin 'small' (%s/small.so) has a damaged descriptor: its size is 8 "
                      "bytes, expected at least %zu",
                      test_dir, (size_t)LSP_DESCRIPTOR_SIZE_1_0);
    fx_free(x);
}

static void test_huge_function_size(void **state)
{
    (void)state;
    fx *x = fx_new(PDIR "bad.yaml", NULL);
    expect_bind_error(x, "hugefn", at_rule(x, "hugefn"),
                      "plugin 'hugefn' (%s/hugefn.so) has a damaged descriptor: functions of "
                      "2147483632 bytes, expected %zu to 4096",
                      test_dir, (size_t)LSP_FUNCTION_SIZE_1_0);
    fx_free(x);
}

/* A FIFO named like a plugin is refused without opening it (dlopen would
 * wait for a writer forever). */
static void test_fifo(void **state)
{
    (void)state;
    char dir[] = "/tmp/ls_fifo_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *fifo = ls_format("%s/fifo.so", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    fx *x = fx_new(PDIR "bad.yaml", NULL);
    ls_backend_free(x->plug);
    const char *dirs[] = {dir};
    x->plug = ls_plugin_backend_new(x->s, dirs, 1, &x->err);
    expect_bind_error(x, "fifo", at_rule(x, "fifo"),
                      "plugin 'fifo' (%s) is not a regular file (a FIFO)", fifo);
    fx_free(x);
    unlink(fifo);
    rmdir(dir);
    free(fifo);
}

static void test_no_functions(void **state)
{
    (void)state;
    fx *x = fx_new(PDIR "bad.yaml", NULL);
    expect_bind_error(x, "nofunctions", at_rule(x, "nofunctions"),
                      "plugin 'nofunctions' (%s/nofunctions.so) has a damaged descriptor: it "
                      "lists no functions",
                      test_dir);
    fx_free(x);
}

static void test_unknown_function(void **state)
{
    (void)state;
    fx *x = fx_new(PDIR "bad.yaml", NULL);
    expect_bind_error(x, "typo", at_rule(x, "typo"),
                      "plugin 'rates' (%s/rates.so) has no function 'rate_step' (did you mean "
                      "'rate_steps'?); it provides: rate_steps, threshold, proportional, linear",
                      LS_PLUGIN_DIR);
    expect_bind_error(x, "unknown", at_rule(x, "unknown"),
                      "plugin 'rates' (%s/rates.so) has no function 'zzz'; it provides: "
                      "rate_steps, threshold, proportional, linear",
                      LS_PLUGIN_DIR);
    fx_free(x);
}

static void test_bind_rejected(void **state)
{
    (void)state;
    fx *x = fx_new(PDIR "bad.yaml", NULL);
    expect_bind_error(x, "limit", at_param(x, "limit", "limit"),
                      "badbind.limit: limit 12 is more than 10");
    expect_bind_error(x, "silent", at_rule(x, "silent"),
                      "badbind.silent: the plugin rejected the item without saying why");
    /* the state kept before failing is freed (valgrind checks) */
    expect_bind_error(x, "leaky", at_rule(x, "leaky"),
                      "badbind.leaky: refused after keeping a state");
    fx_free(x);
}

static void test_param_errors(void **state)
{
    (void)state;
    fx *x = fx_new(PDIR "bad.yaml", NULL);
    char *w[6];
    char *p;
    w[0] = ls_format("%s: error: rates.rate_steps: parameter 'indicator': unknown indicator "
                     "'close_rat' (did you mean 'close_rate'?)",
                     p = at_param(x, "params", "indicator"));
    free(p);
    w[1] = ls_format("%s: error: rates.rate_steps: missing parameter 'target' (a number)",
                     p = at_param(x, "params", NULL));
    free(p);
    w[2] = ls_format("%s: error: rates.rate_steps: parameter 'step' must be more than 0, found 0",
                     p = at_param(x, "params", "step"));
    free(p);
    w[3] = ls_format("%s: error: rates.rate_steps: parameter 'each': expected a number, found "
                     "the quoted string \"1\" (write numbers without quotes)",
                     p = at_param(x, "params", "each"));
    free(p);
    w[4] = ls_format("%s: error: rates.rate_steps: parameter 'what': expected text, found a list",
                     p = at_param(x, "params", "what"));
    free(p);
    w[5] = ls_format("%s: error: rates.rate_steps: parameter 'round' must be up or down, found "
                     "'sideways'",
                     p = at_param(x, "params", "round"));
    free(p);
    expect_bind_errors(x, "params", 6, (const char *const *)w);
    for (int i = 0; i < 6; i++) free(w[i]);

    expect_bind_error(x, "enumrate", at_param(x, "enumrate", "indicator"),
                      "rates.threshold: parameter 'indicator': indicator 'adviser' (法律顾问) is "
                      "of type enum, expected integer, number, percent or boolean");
    expect_bind_error(x, "cap", at_param(x, "cap", "cap"),
                      "rates.rate_steps: parameter 'cap' must not be negative, found -1");
    expect_bind_error(x, "veto", at_rule(x, "veto"),
                      "rates.rate_steps: item 否1 is a veto item (一票否决): rate_steps cannot "
                      "score it");
    fx_free(x);
}

static void test_param_errors_other_plugins(void **state)
{
    (void)state;
    fx *x = fx_new(PDIR "bad.yaml", NULL);
    char *w[4], *p;
    w[0] = ls_format("%s: error: ranking.rank_points: parameter 'points' must be a list of "
                     "points by rank, such as [60, 57, 54]",
                     p = at_param(x, "ranks", "points"));
    free(p);
    w[1] = ls_format("%s: error: ranking.rank_points: parameter 'order' must be desc or asc, "
                     "found 'up'",
                     p = at_param(x, "ranks", "order"));
    free(p);
    expect_bind_errors(x, "ranks", 2, (const char *const *)w);
    free(w[0]);
    free(w[1]);

    const ls_ynode *bands = ls_ymap_get(x->s->nodes[node_of(x, "bands")].rule.params, "bands");
    const char *sp = x->s->path;
    w[0] = ls_format("%s:%d:%d: error: formula.ratio_bands: band 2 (min 80) must have a lower "
                     "min than the band before it (min 60): list the bands highest first",
                     sp, bands->items[1]->line, bands->items[1]->col);
    w[1] = ls_format("%s:%d:%d: error: formula.ratio_bands: band 3 must be a mapping such as "
                     "{min: 95, points: 5}",
                     sp, bands->items[2]->line, bands->items[2]->col);
    w[2] = ls_format("%s:%d:%d: error: formula.ratio_bands: missing parameter 'bands[4].points' "
                     "(a number)",
                     sp, bands->items[3]->line, bands->items[3]->col);
    expect_bind_errors(x, "bands", 3, (const char *const *)w);
    for (int i = 0; i < 3; i++) free(w[i]);

    /* no params at all: positioned at the rule */
    p = at_rule(x, "noparams");
    w[0] = ls_format("%s: error: template.per_occurrence: missing parameter 'indicator' "
                     "(an indicator id)",
                     p);
    w[1] = ls_format("%s: error: template.per_occurrence: missing parameter 'each' (a number)", p);
    free(p);
    expect_bind_errors(x, "noparams", 2, (const char *const *)w);
    free(w[0]);
    free(w[1]);
    fx_free(x);
}

/* ---- the host API and failing calls (good.so) ----------------------------- */

typedef struct call_out {
    int rc;
    double value;
    char *reasons; /* joined with " | " */
    char *err;     /* err_msg, or NULL */
    char *err_path;
    unsigned char reads[16];
} call_out;

static call_out call(fx *x, ls_backend *be, const char *node, const char *unit)
{
    call_out o;
    memset(&o, 0, sizeof o);
    assert_true(x->s->ninds <= sizeof o.reads);
    ls_rule_call c;
    ls_rule_call_init(&c, x->s, x->d, x->st, unit_of(x, unit), node_of(x, node), o.reads);
    o.rc = be->call(be, &c);
    o.value = c.value;
    ls_buf b;
    ls_buf_init(&b);
    ls_buf_puts(&b, "");
    for (size_t i = 0; i < c.reasons.n; i++) ls_buf_printf(&b, "%s%s", i ? " | " : "", c.reasons.v[i]);
    o.reasons = b.p;
    o.err = c.err_msg ? ls_xstrdup(c.err_msg) : NULL;
    o.err_path = c.err_path ? ls_xstrdup(c.err_path) : NULL;
    ls_rule_call_cleanup(&c);
    return o;
}

static void call_out_free(call_out *o)
{
    free(o->reasons);
    free(o->err);
    free(o->err_path);
}

static fx *calls_fx(void)
{
    fx *x = fx_new(PDIR "calls.yaml", PDIR "calls-data.yaml");
    for (size_t k = 0; k < x->s->nleaves; k++) {
        if (x->plug->bind(x->plug, x->s->leaves[k], &x->err)) ls_errors_print(&x->err, stderr);
        assert_int_equal(x->err.n, 0);
    }
    /* binding again is a no-op */
    assert_int_equal(x->plug->bind(x->plug, node_of(x, "probe"), &x->err), 0);
    return x;
}

static void test_probe(void **state)
{
    (void)state;
    fx *x = calls_fx();
    call_out o = call(x, x->plug, "probe", "sfj");
    assert_int_equal(o.rc, 0);
    assert_true(o.value == 1.5);
    assert_string_equal(o.reasons,
                        "unit sfj 区司法局 dept 区直部门 | "
                        "item probe 读取 1.1 kind 0 points 2 verb 扣 | "
                        "rate 85 set 1 | adviser 兼管 index 1 set 1 | note 按时报送 | flag 1 | "
                        "stats count 2 min 85 max 100 mean 92.5 sum 185 rank 2 rank_asc 1 | "
                        "calls 1");
    int rate = ls_scheme_find_indicator(x->s, "rate"), adv = ls_scheme_find_indicator(x->s, "adviser"),
        note = ls_scheme_find_indicator(x->s, "note"), ser = ls_scheme_find_indicator(x->s, "serious");
    assert_int_equal(o.reads[rate], 1);
    assert_int_equal(o.reads[adv], 1);
    assert_int_equal(o.reads[note], 1);
    assert_int_equal(o.reads[ser], 0);
    call_out_free(&o);

    o = call(x, x->plug, "probe", "czj");
    assert_string_equal(o.reasons,
                        "unit czj 区财政局 dept 区直部门 | "
                        "item probe 读取 1.1 kind 0 points 2 verb 扣 | "
                        "rate 0 set 0 | adviser 专门机构 index 0 set 1 | note (none) | flag 0 | "
                        "stats count 2 min 85 max 100 mean 92.5 sum 185 rank 0 rank_asc 0 | "
                        "calls 2");
    call_out_free(&o);
    fx_free(x);
}

static void test_params(void **state)
{
    (void)state;
    fx *x = calls_fx();
    call_out o = call(x, x->plug, "params", "xfj");
    assert_int_equal(o.rc, 0);
    /* kinds: 0 absent, 1 number, 2 bool, 3 string, 4 list, 5 map */
    assert_string_equal(o.reasons,
                        "=5; n=1; q=3; t=3; flag=2; nul=0; list=4; list[1]=1; map=5; map.x=1; "
                        "map[1]=3; deep.a[0].b=1; missing=0; list[9]=0; n.x=0; "
                        "number n 0 2.5; number missing 1 7; string n 0 2.5; "
                        "string nul 1 default; bool flag 0 1; length list 0 3; length map 0 2; "
                        "key 0 0 x; key 1 0 y; item list[2] 0 3.5");
    call_out_free(&o);
    fx_free(x);
}

static void expect_call_error(fx *x, const char *node, const char *msg)
{
    call_out o = call(x, x->plug, node, "sfj");
    assert_int_equal(o.rc, -1);
    assert_non_null(o.err);
    assert_string_equal(o.err, msg);
    assert_string_equal(o.reasons, ""); /* reasons of a failed call are dropped */
    assert_true(o.value == 0);
    char *so = ls_format("%s/good.so", test_dir);
    assert_string_equal(o.err_path, so);
    free(so);
    call_out_free(&o);
}

static void test_call_errors(void **state)
{
    (void)state;
    fx *x = calls_fx();
    expect_call_error(x, "fail", "good.fail: no data for sfj");
    expect_call_error(x, "silent", "good.silent: failed without saying why");
    expect_call_error(x, "noresult", "good.noresult: returned without a result (set it with "
                                     "result(), amount() or earned())");
    expect_call_error(x, "nan", "good.nan: returned NaN");
    expect_call_error(x, "inf", "good.inf: returned an infinite number");
    expect_call_error(x, "badutf8", "good.badutf8: reason 2 is not valid UTF-8 text (bad byte "
                                    "at offset 0)");
    expect_call_error(x, "badhandle", "good.badhandle: internal error in the plugin: number() "
                                      "of indicator handle 9999");
    expect_call_error(x, "v2", "good.amount: amount(): item 否2 is a veto item (一票否决): set its "
                               "result with result() (1 when the veto applies)");
    fx_free(x);
}

static void test_veto(void **state)
{
    (void)state;
    fx *x = calls_fx();
    call_out o = call(x, x->plug, "v1", "sfj");
    assert_int_equal(o.rc, 0);
    assert_true(o.value == 1);
    assert_string_equal(o.reasons, "发生严重违法行政行为");
    call_out_free(&o);
    o = call(x, x->plug, "v1", "xfj");
    assert_int_equal(o.rc, 0);
    assert_true(o.value == 0);
    assert_string_equal(o.reasons, "");
    call_out_free(&o);
    fx_free(x);
}

/* A plugin error stops a run like a Lua rule error; with keep_going the
 * cells are marked and the run finishes. */
static void test_run_stops(void **state)
{
    (void)state;
    fx *x = calls_fx();
    ls_backends b = {{NULL}};
    b.by_kind[LS_RULE_PLUGIN] = x->plug;
    ls_score_opts so = {.keep_going = 0};
    ls_run *r = ls_score_run(x->s, x->d, &b, &so, &x->err);
    assert_null(r);
    assert_int_equal(x->err.nerrors, 1);
    char *got = ls_diag_format(&x->err.v[0]);
    /* no line in a plugin: the position is the item's rule in the scheme */
    char *want = ls_format("tests/unit/fixtures/plugins/calls.yaml:52:47: error: rule of item 1.3 '失败' "
                           "for unit 'sfj' (区司法局): good.fail: no data for sfj (in %s/good.so)",
                           test_dir);
    assert_string_equal(got, want);
    free(got);
    free(want);

    ls_errors_cleanup(&x->err);
    ls_errors_init(&x->err);
    so.keep_going = 1;
    r = ls_score_run(x->s, x->d, &b, &so, &x->err);
    assert_non_null(r);
    assert_int_equal(r->nerrors, 8 * 3); /* 7 failing items + v2, 3 units */
    assert_int_equal(x->err.nerrors, 8 * 3);
    const ls_cell *c = ls_run_cell(r, (size_t)unit_of(x, "xfj"), (size_t)node_of(x, "fail"));
    assert_int_equal(c->state, LS_CELL_ERROR);
    assert_string_equal(r->reasons[c->reason0], "good.fail: no data for xfj");
    c = ls_run_cell(r, (size_t)unit_of(x, "xfj"), (size_t)node_of(x, "probe"));
    assert_int_equal(c->state, LS_CELL_SCORED);
    assert_int_equal(c->score, 150);
    ls_run_free(r);
    fx_free(x);
}

static void test_log(void **state)
{
    (void)state;
    fx *x = fx_new(PDIR "log.yaml", NULL);
    assert_int_equal(x->plug->bind(x->plug, node_of(x, "log"), &x->err), 0);
    char tmpl[] = "/tmp/lawscore-test-plugin-XXXXXX";
    int fd = mkstemp(tmpl);
    assert_true(fd >= 0);
    fflush(stderr);
    int saved = dup(2);
    dup2(fd, 2);
    call_out o = call(x, x->plug, "log", "sfj");
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    close(fd);
    assert_int_equal(o.rc, 0);
    call_out_free(&o);
    size_t len;
    char *text = ls_read_file(tmpl, &len);
    unlink(tmpl);
    char *want = ls_format("%s/good.so: scoring sfj\n", test_dir);
    assert_string_equal(text, want);
    free(want);
    free(text);
    fx_free(x);
}

/* ---- the shipped plugins against their Lua twins ------------------------------ */

static fx *twins_fx_of(const char *scheme)
{
    fx *x = fx_new(scheme, PDIR "data.yaml");
    ls_lua_limits lim = {.max_instructions = 0};
    x->lua = ls_lua_backend_new(x->s, &lim, &x->err);
    if (!x->lua) ls_errors_print(&x->err, stderr);
    assert_non_null(x->lua);
    for (size_t k = 0; k < x->s->nleaves; k++) {
        int leaf = x->s->leaves[k];
        ls_backend *be = x->s->nodes[leaf].rule.kind == LS_RULE_LUA ? x->lua : x->plug;
        if (be->bind(be, leaf, &x->err)) ls_errors_print(&x->err, stderr);
        assert_int_equal(x->err.n, 0);
    }
    return x;
}

static fx *twins_fx(void) { return twins_fx_of(PDIR "twins.yaml"); }

/* Every plugin item pN of x against its Lua twin lN, for every unit:
 * same value, reasons and indicators read; the number of pairs. */
static size_t compare_twins(fx *x)
{
    size_t pairs = 0, compared = 0;
    for (size_t k = 0; k < x->s->nleaves; k++) {
        const ls_node *pn = &x->s->nodes[x->s->leaves[k]];
        if (pn->rule.kind != LS_RULE_PLUGIN) continue;
        char lid[64];
        snprintf(lid, sizeof lid, "l%s", pn->id + 1);
        const ls_node *ln = &x->s->nodes[node_of(x, lid)];
        assert_int_equal(ln->rule.kind, LS_RULE_LUA);
        assert_string_equal(ln->name, pn->name);
        pairs++;
        for (size_t u = 0; u < x->s->nunits; u++) {
            const char *uid = x->s->units[u].id;
            call_out p = call(x, x->plug, pn->id, uid), l = call(x, x->lua, lid, uid);
            if (p.rc || l.rc)
                fail_msg("%s/%s for %s: plugin %s, Lua %s", pn->id, lid, uid,
                         p.err ? p.err : "ok", l.err ? l.err : "ok");
            if (p.value != l.value || strcmp(p.reasons, l.reasons))
                fail_msg("%s/%s for %s:\n  plugin %.17g \"%s\"\n  Lua    %.17g \"%s\"", pn->id,
                         lid, uid, p.value, p.reasons, l.value, l.reasons);
            if (memcmp(p.reads, l.reads, sizeof p.reads)) fail_msg("%s for %s: reads differ", pn->id, uid);
            compared++;
            call_out_free(&p);
            call_out_free(&l);
        }
    }
    assert_int_equal(compared, pairs * 8);
    return pairs;
}

static void test_twins(void **state)
{
    (void)state;
    fx *x = twins_fx();
    assert_int_equal(compare_twins(x), 25);
    fx_free(x);
}

/* Hand-computed: what the plugins give, independent of the Lua twins. */
static void expect_cell(fx *x, const char *node, const char *unit, double value, const char *reasons)
{
    call_out o = call(x, x->plug, node, unit);
    if (o.rc) fail_msg("%s for %s: %s", node, unit, o.err);
    if (fabs(o.value - value) > 1e-9 || strcmp(o.reasons, reasons))
        fail_msg("%s for %s: got %.17g \"%s\", expected %.17g \"%s\"", node, unit, o.value,
                 o.reasons, value, reasons);
    call_out_free(&o);
}

static void test_rates(void **state)
{
    (void)state;
    fx *x = twins_fx();
    expect_cell(x, "p1", "sfj", 7, "结案率85%，低于90%，每低10个百分点扣3分，扣3分");
    expect_cell(x, "p1", "xfj", 10, "");
    expect_cell(x, "p1", "jgx", 10, ""); /* exactly at target */
    /* rates show with two decimals at most, half up: 89.95 is not "90%" */
    expect_cell(x, "p1", "czj", 7, "结案率89.95%，低于90%，每低10个百分点扣3分，扣3分");
    expect_cell(x, "p1", "mzj", 1, "结案率66.66%，低于90%，每低10个百分点扣3分，扣9分");
    expect_cell(x, "p1", "tjj", 0, "结案率（无数据，按0%计），低于90%，每低10个百分点扣3分，"
                                   "应扣27分，最多扣10分");
    /* default what (the item's name), explicit cap */
    expect_cell(x, "p2", "sjj", 3, "抽查完成率40%，低于95%，每低5个百分点扣2分，应扣22分，最多扣5分");
    expect_cell(x, "p2", "sfj", 4, "抽查完成率85%，低于95%，每低5个百分点扣2分，扣4分");
    /* threshold */
    expect_cell(x, "p3", "xfj", 1, "备案率未达100%，扣4分");
    expect_cell(x, "p3", "sfj", 5, "");
    expect_cell(x, "p3", "czj", 1, "备案率未达100%，扣4分");         /* no value: not reached */
    expect_cell(x, "p4", "mzj", 0.5, "备案审查未达到要求，扣2.5分"); /* 89.9999999 < 90 */
    expect_cell(x, "p4", "tjj", 3, "");
    /* bonus: the amount is added */
    expect_cell(x, "pb3", "sfj", 1, "结案率加分85%，低于100%，每低20个百分点加1分，加1分");
    /* deduction-only: the value is the deduction */
    expect_cell(x, "pd1", "sjj", 6, "结案率40%，低于90%，每低10个百分点扣4分，应扣20分，最多扣6分");
    expect_cell(x, "pd1", "xfj", 0, "");
    /* numerator/denominator (linked/quota), whole steps only, none: a text */
    expect_cell(x, "p9", "sfj", 3, ""); /* 95% */
    expect_cell(x, "p9", "mzj", 3, ""); /* 85%: no whole step */
    expect_cell(x, "p9", "xfj", 1, "关联率66.67%，低于90%，每低满10个百分点扣1分，扣2分");
    expect_cell(x, "p9", "jgx", 0, "关联率0%，低于90%，每低满10个百分点扣1分，应扣9分，最多扣3分");
    expect_cell(x, "p9", "czj", 3, "无核定人数"); /* quota 0 */
    expect_cell(x, "p9", "sjj", 0, "关联率（无数据，按0%计），低于90%，每低满10个百分点扣1分，"
                                   "应扣9分，最多扣3分");
    /* none: false counts a zero denominator as 0%; show: false hides the value */
    expect_cell(x, "p10", "czj", 0, "关联率（不显示）（分母为0，按0%计），低于95%，每低5个百分点扣"
                                    "0.5分，应扣9.5分，最多扣3分");
    expect_cell(x, "p10", "mzj", 2, "关联率（不显示），低于95%，每低5个百分点扣0.5分，扣1分");
    /* proportional: 10 × 66.66 / 80 = 8.3325 -> 8.33 */
    expect_cell(x, "p11", "sfj", 10, "");
    expect_cell(x, "p11", "mzj", 8.33, "出庭率66.66%，低于80%，按比例计分，得8.33分");
    expect_cell(x, "p11", "sjj", 5, "出庭率40%，低于80%，按比例计分，得5分");
    expect_cell(x, "p11", "tjj", 0, "出庭率（无数据，按0%计），低于80%，按比例计分，不得分");
    expect_cell(x, "p12", "sjx", 4.69, "关联率75%，低于80%，按比例计分，得4.69分"); /* 4.6875 */
    expect_cell(x, "p12", "czj", 5, "无核定人数");
    /* linear between 60% (0) and 100% (full) */
    expect_cell(x, "p13", "sfj", 2.5, "结案率区间85%（60%得0分，100%得满分，其间按比例），得2.5分");
    expect_cell(x, "p13", "sjj", 0, "结案率区间40%（60%得0分，100%得满分，其间按比例），不得分");
    expect_cell(x, "p13", "xfj", 4, "");
    expect_cell(x, "p14", "xfj", 1.67, "关联率66.67%（50%得0分，90%得满分，其间按比例），得1.67分");
    expect_cell(x, "p14", "czj", 0, "关联率（分母为0，按0%计）（50%得0分，90%得满分，其间按比例），不得分");
    /* bonus and deduction items */
    expect_cell(x, "pb4", "sfj", 2.68, "结案率85%，低于95%，按比例计分，加2.68分");
    expect_cell(x, "pb4", "xfj", 3, "");
    expect_cell(x, "pd5", "mzj", 1.5, "关联率区间扣分85%（60%得0分，100%得满分，其间按比例），扣1.5分");
    expect_cell(x, "pd5", "czj", 0, "无核定人数");
    /* items without points of their own: no cap but the section's */
    expect_cell(x, "pd6", "sjx", 15, "结案率0%，低于100%，每低满10个百分点扣1.5分，扣15分");
    expect_cell(x, "pd6", "sjj", 9, "结案率40%，低于100%，每低满10个百分点扣1.5分，扣9分");
    fx_free(x);
}

/* At a precision of 0.1 proportional and linear round their points at
 * 0.1, in the plugin and in Lua alike, so the reason shows the score kept
 * (at 0.01 the same cells give 8.33, 4.69, 1.67: test_rates). */
static void test_rates_precision(void **state)
{
    (void)state;
    fx *x = twins_fx_of(PDIR "twins-precision.yaml");
    assert_int_equal(x->s->digits, 1);
    assert_int_equal(compare_twins(x), 4);
    expect_cell(x, "p11", "mzj", 8.3, "出庭率66.66%，低于80%，按比例计分，得8.3分"); /* 8.3325 */
    expect_cell(x, "p11", "sjj", 5, "出庭率40%，低于80%，按比例计分，得5分");
    expect_cell(x, "p12", "sjx", 4.7, "关联率75%，低于80%，按比例计分，得4.7分"); /* 4.6875 */
    expect_cell(x, "p13", "sfj", 2.5, "结案率区间85%（60%得0分，100%得满分，其间按比例），得2.5分");
    expect_cell(x, "p14", "xfj", 1.7, "关联率66.67%（50%得0分，90%得满分，其间按比例），得1.7分");
    fx_free(x);
}

static void test_ranking(void **state)
{
    (void)state;
    fx *x = twins_fx();
    /* dept exam: sfj 92, czj 92 (tied 1st), xfj 88.5 (3rd), sjj 70, mzj 60, tjj none */
    expect_cell(x, "p5", "sfj", 10, "");
    expect_cell(x, "p5", "czj", 10, "");
    expect_cell(x, "p5", "xfj", 6, "组内排名第3，得6分");
    expect_cell(x, "p5", "sjj", 3, "组内排名第4，得3分");
    expect_cell(x, "p5", "tjj", 3, "无排名，得3分");
    /* town: ranked within its own group */
    expect_cell(x, "p5", "sjx", 10, "");
    expect_cell(x, "p5", "jgx", 8, "组内排名第2，得8分");
    /* ascending: fewest late reports first; sjj and xfj tied 3rd, past the list */
    expect_cell(x, "p6", "sfj", 4, "");
    expect_cell(x, "p6", "tjj", 3.5, "组内排名第2，得3.5分");
    expect_cell(x, "p6", "xfj", 0, "组内排名第3，不得分");
    expect_cell(x, "p6", "sjj", 0, "组内排名第3，不得分");
    /* bonus and deduction-only kinds */
    expect_cell(x, "pb1", "sfj", 3, "组内排名第1，加3分");
    expect_cell(x, "pb1", "xfj", 0, "");
    expect_cell(x, "pd4", "sfj", 0, "");
    expect_cell(x, "pd4", "xfj", 3, "组内排名第3，扣3分");
    fx_free(x);
}

static void test_formula(void **state)
{
    (void)state;
    fx *x = twins_fx();
    expect_cell(x, "p7", "sfj", 6, "");                        /* 19/20 = 95% */
    expect_cell(x, "p7", "xfj", 2.5, "关联率66.67%，得2.5分"); /* 2/3 */
    expect_cell(x, "p7", "mzj", 4, "关联率85%，得4分");
    expect_cell(x, "p7", "czj", 0, "关联率（无数据），不得分"); /* quota 0 */
    expect_cell(x, "p7", "sjj", 0, "关联率（无数据），不得分"); /* no numerator */
    expect_cell(x, "p7", "jgx", 0, "关联率0%，不得分");
    /* none: full points when there is no denominator */
    expect_cell(x, "p8", "czj", 4, "无核定岗位");
    expect_cell(x, "p8", "tjj", 4, ""); /* 120% */
    expect_cell(x, "p8", "mzj", 1, "持证率85%，得1分");
    /* deduction-only: the points not earned */
    expect_cell(x, "pd2", "xfj", 4, "关联率66.67%，扣4分");
    expect_cell(x, "pd2", "mzj", 2, "关联率85%，扣2分");
    expect_cell(x, "pd2", "sfj", 0, "");
    /* reads: with `none` and no denominator only the denominator is read */
    call_out o = call(x, x->plug, "p8", "czj");
    assert_int_equal(o.reads[ls_scheme_find_indicator(x->s, "quota")], 1);
    assert_int_equal(o.reads[ls_scheme_find_indicator(x->s, "linked")], 0);
    call_out_free(&o);
    fx_free(x);
}

static void test_template(void **state)
{
    (void)state;
    fx *x = twins_fx();
    /* the measure word from the catalogue (awards: unit 项) */
    expect_cell(x, "pb2", "sfj", 0.5, "获市级表彰1项，每项加0.5分，加0.5分");
    expect_cell(x, "pb2", "xfj", 2, "获市级表彰6项，每项加0.5分，应加3分，最多加2分");
    expect_cell(x, "pb2", "czj", 0, "");
    expect_cell(x, "pd3", "czj", 2, "迟报5次，每次扣0.75分，应扣3.75分，最多扣2分");
    expect_cell(x, "pd3", "tjj", 0.75, "迟报1次，每次扣0.75分，扣0.75分");
    /* a measure word, and a bonus item without points: no cap of its own */
    expect_cell(x, "pb5", "xfj", 12, "获市级表彰6篇，每篇加2分，加12分");
    fx_free(x);
}

/* The whole run through the scorer: the plugin category and the Lua
 * category score the same for every unit. */
static void test_twins_run(void **state)
{
    (void)state;
    fx *x = twins_fx();
    ls_backends b = {{NULL}};
    b.by_kind[LS_RULE_LUA] = x->lua;
    b.by_kind[LS_RULE_PLUGIN] = x->plug;
    ls_score_opts so = {.keep_going = 0};
    ls_run *r = ls_score_run(x->s, x->d, &b, &so, &x->err);
    if (!r) ls_errors_print(&x->err, stderr);
    assert_non_null(r);
    int c1 = node_of(x, "c1"), c2 = node_of(x, "c2");
    for (size_t u = 0; u < x->s->nunits; u++)
        assert_int_equal(ls_run_cell(r, u, (size_t)c1)->score, ls_run_cell(r, u, (size_t)c2)->score);
    /* sfj: p1 7 + p2 4 + p3 5 + p4 3 + p5 10 + p6 4 + p7 6 + p8 1 = 40 */
    assert_int_equal(ls_run_cell(r, (size_t)unit_of(x, "sfj"), (size_t)c1)->score, 4000);
    ls_run_free(r);

    /* the plugins loaded, in load order, for the manifest */
    static const char *const names[] = {"rates", "ranking", "formula", "template"};
    const char *name, *path, *version;
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(ls_plugin_loaded(x->plug, i, &name, &path, &version), 0);
        assert_string_equal(name, names[i]);
        const char *dir = strcmp(names[i], "template") ? LS_PLUGIN_DIR : test_dir;
        char *want = ls_format("%s/%s.so", dir, names[i]);
        assert_string_equal(path, want);
        free(want);
        /* rates 1.1: proportional, linear, counts, whole steps; formula 1.1: rates to 0.01 */
        const char *want_version = !strcmp(names[i], "rates") || !strcmp(names[i], "formula")
                                       ? "1.1.0"
                                       : "1.0.0";
        assert_string_equal(version, want_version);
    }
    assert_int_equal(ls_plugin_loaded(x->plug, 4, &name, &path, &version), -1);
    fx_free(x);
}

int main(void)
{
    find_test_dir();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_search_path),
        cmocka_unit_test(test_abi_version),
        cmocka_unit_test(test_not_found),
        cmocka_unit_test(test_not_found_no_dirs),
        cmocka_unit_test(test_not_elf),
        cmocka_unit_test(test_no_entry),
        cmocka_unit_test(test_bad_magic),
        cmocka_unit_test(test_major),
        cmocka_unit_test(test_minor),
        cmocka_unit_test(test_small),
        cmocka_unit_test(test_huge_function_size),
        cmocka_unit_test(test_fifo),
        cmocka_unit_test(test_no_functions),
        cmocka_unit_test(test_unknown_function),
        cmocka_unit_test(test_bind_rejected),
        cmocka_unit_test(test_param_errors),
        cmocka_unit_test(test_param_errors_other_plugins),
        cmocka_unit_test(test_probe),
        cmocka_unit_test(test_params),
        cmocka_unit_test(test_call_errors),
        cmocka_unit_test(test_veto),
        cmocka_unit_test(test_run_stops),
        cmocka_unit_test(test_log),
        cmocka_unit_test(test_twins),
        cmocka_unit_test(test_rates),
        cmocka_unit_test(test_rates_precision),
        cmocka_unit_test(test_ranking),
        cmocka_unit_test(test_formula),
        cmocka_unit_test(test_template),
        cmocka_unit_test(test_twins_run),
    };
    return cmocka_run_group_tests_name("plugin", tests, NULL, NULL);
}
