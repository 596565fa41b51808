/*
 * ls_testrun.c - `lawscore test` (see ls_testrun.h; the file format is
 * described in docs/testing.md).
 *
 * How a case runs.  The scheme of a test file is loaded once per run (and
 * shared by the test files naming it); its rules are bound once, to
 * backends made for a *view* of it: a shallow copy of the ls_scheme whose
 * unit registry is replaced, case by case, by the units the case scores.
 * The backends read units through the scheme pointer at call time, and
 * nothing they keep depends on the units, so one binding serves every case.
 * A case that tests a single item (`rule:`) gets a scheme of its own: a
 * view of the file's scheme with that one item as its tree, or, without a
 * scheme, one built here with a catalogue made of the indicators the case
 * names.  The data set comes from ls_dataset_build (the registry's data
 * files, the file's defaults and the case's values, checked as data files
 * are); scoring is ls_score_run's, with --keep-going so that a failing rule
 * shows as a failed case instead of stopping the run.
 *
 * Output.  Each file's report is collected, then printed after a line with
 * the file's counts.  Errors in a test file are printed with their case in
 * the compilers' form, path:line:col: error: message.
 */
#include "ls_testrun.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ls_backends.h"
#include "ls_coverage.h"
#include "ls_data.h"
#include "ls_explain.h"
#include "ls_scheme.h"
#include "ls_score.h"
#include "ls_util.h"
#include "ls_yaml.h"
#include "ls_yread.h"

/* Id and name of the unit a case makes up when it gives none. */
#define TEST_UNIT_ID "test"
#define TEST_UNIT_NAME "测试单位"
/* Id of the item of a single-item case (`item` expectations need none). */
#define TEST_ITEM_ID "item"
/* Numbers are equal when they differ by less than this (plus tolerance). */
#define EPS 1e-9
/* Width of the labels of failure details, in terminal columns. */
#define LABEL_WIDTH 8

static const char hint_required[] =
    " (a case gives every required value: in its 'data:', or in 'defaults:' for all cases of the file)";

void ls_test_opts_init(ls_test_opts *o)
{
    memset(o, 0, sizeof *o);
    o->min_coverage = -1;
}

/* ---- paths ------------------------------------------------------------------ */

typedef struct strvec {
    char **v;
    size_t n, cap;
} strvec;

static void sv_add(strvec *sv, char *s)
{
    LS_GROW(sv->v, sv->n, sv->cap, 16);
    sv->v[sv->n++] = s;
}

static void sv_free(strvec *sv)
{
    for (size_t i = 0; i < sv->n; i++) free(sv->v[i]);
    free(sv->v);
    memset(sv, 0, sizeof *sv);
}

static int sv_has(const strvec *sv, const char *s)
{
    for (size_t i = 0; i < sv->n; i++)
        if (!strcmp(sv->v[i], s)) return 1;
    return 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

/* The *.test.yaml files under dir, in name order; hidden entries and
 * symbolic links to directories are skipped. */
static void find_tests(const char *dir, strvec *out)
{
    DIR *d = opendir(dir);
    if (!d) return;
    strvec names = {0};
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') sv_add(&names, ls_xstrdup(e->d_name));
    closedir(d);
    qsort(names.v, names.n, sizeof *names.v, ls_cmp_str);
    for (size_t i = 0; i < names.n; i++) {
        char *p = strcmp(dir, ".") ? ls_format("%s%s%s", dir, ends_with(dir, "/") ? "" : "/", names.v[i])
                                   : ls_xstrdup(names.v[i]);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            find_tests(p, out);
            free(p);
        } else if (ends_with(p, ".test.yaml") && !sv_has(out, p)) {
            sv_add(out, p);
        } else {
            free(p);
        }
    }
    sv_free(&names);
}

/* ---- the run's state ----------------------------------------------------------- */

/* A scheme named by test files, loaded once per run. */
typedef struct tscheme {
    char *path;                  /* normalised */
    ls_scheme *s;                /* NULL when it failed to load */
    ls_scheme view;              /* s with the units of the case being run */
    ls_backends b;               /* bound to view */
    int bound;                   /* 0 not yet, 1 bound, -1 binding failed */
    ls_errors errs;              /* why loading or binding failed */
} tscheme;

typedef struct runner {
    const ls_test_opts *o;
    int cover;
    ls_coverage cov;
    tscheme **schemes;
    size_t nschemes;
    strvec plugins;              /* "plugin.function" of items bound */
    size_t passed, failed, broken_files;
} runner;

typedef struct tfile {
    runner *R;
    const char *path;
    char *dir;
    ls_ydoc doc;
    tscheme *ts;                 /* NULL: no scheme */
    ls_dataset *data;            /* the registry's data (`data:`), or NULL */
    const ls_ynode *defaults;    /* values of every made-up unit, or NULL */
    const char *defaults_path;   /* the file they are written in */
    ls_ydoc defaults_doc;        /* `defaults: FILE` */
    double tol;
    ls_buf out;                  /* the report of the file's cases */
    size_t passed, failed;
} tfile;

typedef enum {
    X_ITEM, X_REASONS, X_TOTAL, X_GRADE, X_RANK, X_BONUS, X_DEDUCT, X_VETO, X_NOTES,
    X_COUNT, X_ABOVE, X_TIED, X_ERROR
} xkind;

/* One expectation, parsed. */
typedef struct texp {
    xkind kind;
    const char *word;            /* the keyword as written ("item", "category") */
    const ls_ynode *at;          /* where it is written (the key) */
    const ls_ynode *val;
    int unit, node, group;       /* -1 when not used */
    double num;
    int state;                   /* X_ITEM: 0 number, 1 不适用, 2 否决, 3 未否决;
                                    X_VETO: 0 none, 1 some veto, 2 veto `node` */
    const char *text;            /* X_GRADE, X_COUNT: the grade */
} texp;

typedef struct tcase {
    tfile *F;
    runner *R;
    const ls_ynode *n;
    const char *name;
    const ls_ynode *unit_n, *cohort_n, *data_n, *expect_n, *rule_n;
    double tol;
    ls_errors errs;              /* problems in the test file */
    ls_arena arena;              /* strings of the case */
    /* the scheme the case runs on */
    ls_scheme *s;
    ls_backends *b;
    int own;                     /* 0 the file's view, 1 a view of its own, 2 built here */
    ls_backends own_b;
    /* the units scored */
    ls_unit *units;
    size_t nunits;
    int *rows;                   /* row in F->data, -1 for made-up units */
    const ls_ynode **given;      /* each unit's values in the test file */
    int target;                  /* the unit of a one-unit case, or -1 */
    /* expectations */
    texp *x;
    size_t nx, capx;
    /* results */
    ls_dataset *d;
    ls_run *r;
    ls_errors rerrs;             /* rule errors of the run */
    ls_buf *out;                 /* details of failed expectations */
    int nfail;
    unsigned char *shown;        /* per unit: its score details were printed */
    uint64_t shown_groups;       /* bit g: the ranking of group g was printed */
} tcase;

/* ---- output helpers ---------------------------------------------------------- */

/* A labelled detail line, "        扣分理由  text"; further lines of text
 * are indented under the first. */
static void put_field(ls_buf *b, const char *label, const char *text)
{
    int w = ls_display_width(label);
    ls_buf_printf(b, "        %s%*s  ", label, w < LABEL_WIDTH ? LABEL_WIDTH - w : 0, "");
    for (const char *p = text; *p; p++) {
        ls_buf_add(b, p, 1);
        if (*p == '\n' && p[1]) ls_buf_printf(b, "          %*s", LABEL_WIDTH, "");
    }
    ls_buf_puts(b, "\n");
}

/* Diagnostics a and b of e in file order: by path (the file mentioned
 * first comes first), line, column, then as recorded. */
static int diag_cmp(const ls_errors *e, size_t a, size_t b)
{
    const ls_diag *x = &e->v[a], *y = &e->v[b];
    const char *px = x->path ? x->path : "", *py = y->path ? y->path : "";
    if (strcmp(px, py)) {
        for (size_t i = 0; i < e->n; i++) {
            const char *p = e->v[i].path ? e->v[i].path : "";
            if (!strcmp(p, px)) return -1;
            if (!strcmp(p, py)) return 1;
        }
    }
    if (x->line != y->line) return x->line < y->line ? -1 : 1;
    if (x->col != y->col) return x->col < y->col ? -1 : 1;
    return (a > b) - (a < b);
}

/* Every diagnostic of e, indented, as `path:line:col: error: ...`, in
 * file order when `sorted`. */
static void put_diags_order(ls_buf *b, const ls_errors *e, const char *indent, int sorted)
{
    size_t *ord = ls_xmalloc((e->n ? e->n : 1) * sizeof *ord);
    for (size_t i = 0; i < e->n; i++) ord[i] = i;
    for (size_t i = 1; sorted && i < e->n; i++)     /* a case has a few messages */
        for (size_t j = i; j > 0 && diag_cmp(e, ord[j - 1], ord[j]) > 0; j--) {
            size_t t = ord[j];
            ord[j] = ord[j - 1];
            ord[j - 1] = t;
        }
    for (size_t k = 0; k < e->n; k++) {
        size_t i = ord[k];
        char *m = ls_diag_format(&e->v[i]);
        ls_buf_puts(b, indent);
        for (const char *p = m; *p; p++) {
            if (*p == '\t') ls_buf_puts(b, "  ");   /* tracebacks: the indent is ours */
            else ls_buf_add(b, p, 1);
            if (*p == '\n' && p[1]) ls_buf_puts(b, indent);
        }
        ls_buf_puts(b, "\n");
        free(m);
    }
    free(ord);
}

static void put_diags(ls_buf *b, const ls_errors *e, const char *indent)
{
    put_diags_order(b, e, indent, 0);
}

/* A YAML mapping of values as the author wrote it: "late_reports: 2, adviser: 兼管". */
static void put_values(ls_buf *b, const ls_ynode *m)
{
    if (!m || m->kind != LS_YMAP || !m->n) return;
    for (size_t i = 0; i < m->n; i++) {
        const ls_ynode *v = ls_ymap_val(m, i);
        char buf[96];
        ls_buf_printf(b, "%s%s: %s", i ? ", " : "", ls_ymap_key(m, i)->str,
                      v->kind == LS_YSCALAR ? (ls_ynode_is_null(v) ? "~" : v->str)
                                            : ls_ynode_describe(v, buf, sizeof buf));
    }
}

/* The values the case gives unit u, for failure details. */
static char *given_text(const tcase *C, int u)
{
    ls_buf b;
    ls_buf_init(&b);
    const ls_ynode *g = C->given[u];
    if (C->rows[u] >= 0) ls_buf_puts(&b, "数据文件中的值");
    if (g && g->kind == LS_YMAP && g->n) {
        if (C->rows[u] >= 0) ls_buf_puts(&b, "，改为 ");
        put_values(&b, g);
    }
    if (!b.n) ls_buf_puts(&b, "（未给出）");
    return b.p;
}

static const char *unit_label(const tcase *C, int u, char *buf, size_t size)
{
    snprintf(buf, size, "%s %s", C->units[u].id, C->units[u].name);
    return buf;
}

/* ---- schemes ------------------------------------------------------------------ */

static void note_plugin(runner *R, const ls_node *n)
{
    char *k = ls_format("%s.%s", n->rule.plugin, n->rule.function);
    if (sv_has(&R->plugins, k)) free(k);
    else sv_add(&R->plugins, k);
}

/* Bind every leaf of s.  0, or -1 with the errors in err. */
static int bind_all(runner *R, const ls_scheme *s, ls_backends *b, ls_errors *err)
{
    const ls_test_opts *o = R->o;
    ls_bind_opts bo = {o->max_instructions, o->max_memory_mb << 20, o->plugin_paths,
                       o->nplugin_paths, R->cover ? &R->cov : NULL};
    int rc = ls_backends_bind(b, s, &bo, err);
    for (size_t k = 0; !rc && k < s->nleaves; k++)
        if (s->nodes[s->leaves[k]].rule.kind == LS_RULE_PLUGIN) note_plugin(R, &s->nodes[s->leaves[k]]);
    return rc;
}

/* A shallow copy of s without units, to be given a case's units. */
static void view_init(ls_scheme *v, const ls_scheme *s)
{
    *v = *s;
    v->units = NULL;
    v->nunits = 0;
    ls_strmap_init(&v->unit_ix);
}

static void view_set_units(ls_scheme *v, ls_unit *units, size_t n)
{
    ls_strmap_cleanup(&v->unit_ix);
    v->units = units;
    v->nunits = n;
    for (size_t i = 0; i < n; i++) ls_strmap_put(&v->unit_ix, units[i].id, (int)i, NULL);
}

static tscheme *scheme_get(runner *R, const char *path)
{
    for (size_t i = 0; i < R->nschemes; i++)
        if (!strcmp(R->schemes[i]->path, path)) return R->schemes[i];
    tscheme *t = ls_xcalloc(1, sizeof *t);
    t->path = ls_xstrdup(path);
    ls_errors_init(&t->errs);
    t->s = ls_scheme_load(path, &t->errs);
    if (t->s) view_init(&t->view, t->s);
    R->schemes = ls_xrealloc(R->schemes, (R->nschemes + 1) * sizeof *R->schemes);
    R->schemes[R->nschemes++] = t;
    return t;
}

/* The file's scheme with its rules bound; NULL when it cannot be. */
static ls_scheme *scheme_ready(runner *R, tscheme *t)
{
    if (!t->s) return NULL;
    if (t->bound == 0) t->bound = bind_all(R, &t->view, &t->b, &t->errs) ? -1 : 1;
    return t->bound > 0 ? &t->view : NULL;
}

static void scheme_free(tscheme *t)
{
    ls_backends_cleanup(&t->b);
    ls_strmap_cleanup(&t->view.unit_ix);
    ls_scheme_free(t->s);
    ls_errors_cleanup(&t->errs);
    free(t->path);
    free(t);
}

/* ---- single-item cases: a scheme of one item ------------------------------------ */

static const char *section_prefix(ls_section sec)
{
    static const char *const p[] = {"", "加", "减", "否"};
    return p[sec];
}

/* The node of a single-item case, from its rule, params, points, kind and
 * criteria, with numbers at s's precision.  0, or -1 with errors. */
static int item_node(tcase *C, const ls_scheme *s, ls_node *nd)
{
    ls_yr r = {C->F->path, &C->errs};
    const ls_ynode *n = C->n, *v;
    int rc = 0;
    memset(nd, 0, sizeof *nd);
    nd->id = TEST_ITEM_ID;
    nd->name = C->name;
    nd->criteria = "";
    nd->parent = -1;
    nd->groups = ~0ULL;
    nd->line = n->line;
    nd->col = n->col;
    nd->section = LS_SEC_MAIN;
    if ((v = ls_ymap_get(n, "kind"))) {
        static const char *const kinds[] = {"item", "bonus", "deduction", "veto"};
        const char *k;
        int found = -1;
        if (ls_yr_text(&r, v, "kind", &k)) {
            rc = -1;
        } else {
            for (int i = 0; i < 4; i++)
                if (!strcmp(k, kinds[i])) found = i;
            if (found < 0) rc = ls_yr_error(&r, v, "unknown kind '%s' (expected item, bonus, deduction or veto)", k);
            else nd->section = (ls_section)found;
        }
    }
    char num[16];
    snprintf(num, sizeof num, "%s1", section_prefix(nd->section));
    nd->number = ls_arena_strdup(&C->arena, num);
    if ((v = ls_ymap_get(n, "criteria")) && ls_yr_text(&r, v, "criteria", &nd->criteria)) rc = -1;
    v = ls_ymap_get(n, "points");
    if (nd->section == LS_SEC_VETO) {
        if (v) rc = ls_yr_error(&r, v, "veto items have no points");
    } else if (!v) {
        rc =
            ls_yr_error(&r, C->rule_n, "a case testing one item needs its 'points' (the item's full points)");
    } else if (ls_yr_decimal(&r, v, "points", s->digits, &nd->points)) {
        rc = -1;
    } else if (nd->points < 0) {
        rc = ls_yr_error(&r, v, "'points' must not be negative, found %s", v->str);
    }
    if (ls_ruleref_read(&nd->rule, C->rule_n, ls_ymap_get(C->n, "params"), C->F->dir, &C->arena, &r))
        rc = -1;
    return rc;
}

/* Make s's tree the one item nd. */
static void set_single_tree(tcase *C, ls_scheme *s, const ls_node *nd)
{
    s->nodes = ls_arena_alloc(&C->arena, sizeof *s->nodes);
    s->nodes[0] = *nd;
    s->nnodes = 1;
    s->leaves = ls_arena_alloc(&C->arena, sizeof *s->leaves);
    s->nleaves = 1;
    s->roots = s->leaves;
    s->nroots = nd->section == LS_SEC_MAIN;
    ls_strmap_init(&s->node_ix);
    ls_strmap_put(&s->node_ix, TEST_ITEM_ID, 0, NULL);
    /* the item is the whole tree: no rescaling */
    if (nd->section == LS_SEC_MAIN && nd->points > 0) s->total = nd->points;
    s->bonus_cap = -1;
}

/* Names a schemeless case declares: its units' groups and flags, and the
 * indicators of its values, with types read off the values. */
typedef struct decl {
    strvec groups, flags;
    strvec inds;
    ls_vtype *types;
    size_t captypes;
} decl;

static void decl_name(strvec *v, const ls_ynode *n)
{
    if (n && n->kind == LS_YSCALAR && !ls_ynode_is_null(n) && !sv_has(v, n->str))
        sv_add(v, ls_xstrdup(n->str));
}

static ls_vtype infer_type(const ls_ynode *v)
{
    if (v->kind != LS_YSCALAR || ls_ynode_is_null(v)) return LS_T_NUMBER;
    if (!v->plain) return LS_T_TEXT;
    static const ls_vtype tries[] = {LS_T_NUMBER, LS_T_BOOLEAN, LS_T_PERCENT};
    for (size_t i = 0; i < sizeof tries / sizeof *tries; i++) {
        ls_vspec spec = {.type = tries[i]};
        ls_value val;
        char msg[160];
        if (!ls_value_parse(&spec, v->str, 1, &val, msg, sizeof msg)) return tries[i];
    }
    return LS_T_TEXT;
}

static void decl_values(decl *d, const ls_ynode *m)
{
    if (!m || m->kind != LS_YMAP) return;
    for (size_t i = 0; i < m->n; i++) {
        const ls_ynode *k = ls_ymap_key(m, i);
        if (sv_has(&d->inds, k->str)) continue;
        LS_GROW(d->types, d->inds.n, d->captypes, 16);
        d->types[d->inds.n] = infer_type(ls_ymap_val(m, i));
        sv_add(&d->inds, ls_xstrdup(k->str));
    }
}

static void decl_unit(decl *d, const ls_ynode *u)
{
    if (!u || u->kind != LS_YMAP) return;
    decl_name(&d->groups, ls_ymap_get(u, "group"));
    const ls_ynode *f = ls_ymap_get(u, "flags");
    for (size_t i = 0; f && f->kind == LS_YSEQ && i < f->n; i++) decl_name(&d->flags, f->items[i]);
    decl_values(d, ls_ymap_get(u, "data"));
}

/* A scheme for a single-item case of a file without scheme. */
static ls_scheme *built_scheme(tcase *C)
{
    ls_arena *a = &C->arena;
    decl d = {0};
    decl_unit(&d, C->unit_n);
    if (C->cohort_n && C->cohort_n->kind == LS_YSEQ)
        for (size_t i = 0; i < C->cohort_n->n; i++) decl_unit(&d, C->cohort_n->items[i]);
    decl_values(&d, C->data_n);
    decl_values(&d, C->F->defaults);
    if (!d.groups.n) sv_add(&d.groups, ls_xstrdup(TEST_UNIT_ID));
    if (d.groups.n > LS_MAX_GROUPS || d.flags.n > LS_MAX_FLAGS)
        ls_errorf(&C->errs, C->F->path, C->n->line, C->n->col,
                  "a case without a scheme may use at most %d groups and %d flags, found %zu and %zu",
                  LS_MAX_GROUPS, LS_MAX_FLAGS, d.groups.n, d.flags.n);

    ls_scheme *s = ls_xcalloc(1, sizeof *s);
    s->path = C->F->path;
    s->dir = C->F->dir;
    s->name = "lawscore test";
    s->digits = 2;
    s->total = 100 * ls_dec_scale(2);
    s->bonus_cap = -1;
    ls_strmap_init(&s->unit_ix);
    ls_strmap_init(&s->ind_ix);
    ls_strmap_init(&s->node_ix);
    s->flags = ls_arena_alloc(a, (d.flags.n + 1) * sizeof *s->flags);
    s->flag_names = ls_arena_alloc(a, (d.flags.n + 1) * sizeof *s->flag_names);
    for (size_t i = 0; i < d.flags.n && i < LS_MAX_FLAGS; i++) {
        s->flags[s->nflags] = ls_arena_strdup(a, d.flags.v[i]);
        s->flag_names[s->nflags++] = "";
    }
    s->groups = ls_arena_alloc(a, d.groups.n * sizeof *s->groups);
    for (size_t i = 0; i < d.groups.n && i < LS_MAX_GROUPS; i++) {
        ls_group *g = &s->groups[s->ngroups++];
        g->id = g->name = ls_arena_strdup(a, d.groups.v[i]);
        g->bands = ls_arena_alloc(a, sizeof *g->bands);
        g->bands[0].name = "合格";
        g->nbands = 1;
    }
    s->inds = ls_arena_alloc(a, (d.inds.n + 1) * sizeof *s->inds);
    for (size_t i = 0; i < d.inds.n; i++) {
        ls_indicator *in = &s->inds[s->ninds];
        in->id = in->name = ls_arena_strdup(a, d.inds.v[i]);
        in->unit = in->description = "";
        in->spec.type = d.types[i];
        ls_strmap_put(&s->ind_ix, in->id, (int)s->ninds++, NULL);
    }
    sv_free(&d.groups);
    sv_free(&d.flags);
    sv_free(&d.inds);
    free(d.types);
    return s;
}

/* The scheme and backends of a single-item case, in C->s and C->b. */
static int single_scheme(tcase *C)
{
    tscheme *ts = C->F->ts;
    ls_scheme *s;
    if (ts) {
        s = ls_xmalloc(sizeof *s);
        view_init(s, ts->s);
        ls_strmap_init(&s->node_ix);  /* the tree is the case's: never free the scheme's map */
        s->path = C->F->path;        /* params are positioned in the test file */
        C->own = 1;
    } else {
        size_t before = C->errs.nerrors;
        s = built_scheme(C);
        C->own = 2;
        if (C->errs.nerrors > before) {
            C->s = s;
            return -1;
        }
    }
    C->s = s;
    ls_node nd;
    if (item_node(C, s, &nd)) return -1;
    set_single_tree(C, s, &nd);
    C->b = &C->own_b;
    return bind_all(C->R, s, C->b, &C->errs);
}

static void own_scheme_free(tcase *C)
{
    if (!C->own || !C->s) return;
    ls_backends_cleanup(&C->own_b);
    ls_strmap_cleanup(&C->s->unit_ix);
    ls_strmap_cleanup(&C->s->node_ix);
    if (C->own == 2) ls_strmap_cleanup(&C->s->ind_ix);
    free(C->s);
    C->s = NULL;
}

/* ---- the units of a case ------------------------------------------------------- */

static int find_flag(const ls_scheme *s, const char *name)
{
    for (size_t i = 0; i < s->nflags; i++)
        if (!strcmp(s->flags[i], name)) return (int)i;
    return -1;
}

static void list_groups(const ls_scheme *s, ls_buf *b)
{
    for (size_t i = 0; i < s->ngroups; i++) ls_buf_printf(b, "%s%s", i ? ", " : "", s->groups[i].id);
}

/* Room for n units. */
static void units_alloc(tcase *C, size_t n)
{
    C->units = ls_xcalloc(n ? n : 1, sizeof *C->units);
    C->rows = ls_xcalloc(n ? n : 1, sizeof *C->rows);
    C->given = ls_xcalloc(n ? n : 1, sizeof *C->given);
}

/* A unit made up for the case from {id, name, group, flags} (in a cohort
 * also `data`), or from nothing (un == NULL). */
static int made_up_unit(tcase *C, const ls_ynode *un, int in_cohort, ls_unit *u, const ls_ynode **given)
{
    ls_yr r = {C->F->path, &C->errs};
    const ls_scheme *s = C->s;
    const ls_ynode *at = un ? un : C->n, *v;
    int rc = 0;
    u->id = TEST_UNIT_ID;
    u->name = TEST_UNIT_NAME;
    u->path = C->F->path;
    u->line = at->line;
    u->col = at->col;
    u->group = -1;
    if (un) {
        static const char *const one[] = {"id", "name", "group", "flags", NULL};
        static const char *const many[] = {"id", "name", "group", "flags", "data", "unit", NULL};
        if (ls_yr_expect_map(&r, un,
                             in_cohort ? "a unit of the cohort ({id, group, flags, data}, or {unit: ID})"
                                       : "'unit' ({group, flags}, or the id of a registry unit)"))
            return -1;
        if (ls_yr_check_keys(&r, un, in_cohort ? many : one, in_cohort ? "a unit of the cohort" : "'unit'"))
            rc = -1;
        if ((v = ls_ymap_get(un, "id"))) {
            if (ls_yr_ident(&r, v, "id", &u->id)) rc = -1;
            else u->name = u->id;
        } else if (in_cohort) {
            rc = ls_yr_error(&r, un, "a unit of a cohort needs an 'id', so that expectations can name it");
        }
        if ((v = ls_ymap_get(un, "name")) && ls_yr_text(&r, v, "name", &u->name)) rc = -1;
        if ((v = ls_ymap_get(un, "group"))) {
            const char *g;
            if (ls_yr_text(&r, v, "group", &g)) rc = -1;
            else if ((u->group = ls_scheme_find_group(s, g)) < 0) {
                ls_buf b;
                ls_buf_init(&b);
                list_groups(s, &b);
                rc = ls_yr_error(&r, v, "unknown group '%s' (the scheme's groups: %s)", g, b.p);
                ls_buf_cleanup(&b);
            }
        }
        if ((v = ls_ymap_get(un, "flags"))) {
            if (ls_yr_expect_seq(&r, v, "'flags'")) rc = -1;
            for (size_t i = 0; v->kind == LS_YSEQ && i < v->n; i++) {
                const char *f;
                if (ls_yr_text(&r, v->items[i], "flags", &f)) { rc = -1; continue; }
                int k = find_flag(s, f);
                if (k >= 0) { u->flags |= 1ULL << k; continue; }
                ls_buf b;
                ls_buf_init(&b);
                for (size_t j = 0; j < s->nflags; j++) ls_buf_printf(&b, "%s%s", j ? ", " : "", s->flags[j]);
                rc = ls_yr_error(&r, v->items[i], "unknown flag '%s' (the scheme's flags: %s)", f,
                                 b.n ? b.p : "none");
                ls_buf_cleanup(&b);
            }
        }
        if (in_cohort) *given = ls_ymap_get(un, "data");
    }
    if (u->group < 0 && !(un && ls_ymap_get(un, "group"))) {
        if (s->ngroups == 1) {
            u->group = 0;
        } else {
            ls_buf b;
            ls_buf_init(&b);
            list_groups(s, &b);
            rc = ls_yr_error(&r, at, "the scheme has several groups (%s): give the unit's 'group'", b.p);
            ls_buf_cleanup(&b);
        }
    }
    return rc;
}

/* Index of registry unit `id` of the file's scheme, or -1 with an error. */
static int registry_unit(tcase *C, const ls_ynode *n)
{
    ls_yr r = {C->F->path, &C->errs};
    const char *id;
    if (ls_yr_text(&r, n, "unit", &id)) return -1;
    if (!C->F->ts)
        return ls_yr_error(&r, n, "unit '%s' of a registry: this file names no scheme (give 'scheme:' at the "
                                  "top), or make a unit up with {group: ..., flags: [...]}", id);
    const ls_scheme *s = C->F->ts->s;
    int u = ls_scheme_find_unit(s, id);
    if (u >= 0) return u;
    const char *best = NULL;
    size_t bestd = 3;
    for (size_t i = 0; i < s->nunits; i++) {
        size_t d = ls_edit_distance(id, s->units[i].id);
        if (d < bestd) { bestd = d; best = s->units[i].id; }
    }
    if (best) return ls_yr_error(&r, n, "unknown unit '%s' (did you mean '%s'?)", id, best);
    return ls_yr_error(&r, n, "unknown unit '%s': it is not in the scheme's registry (to make a unit up, "
                              "write {group: ..., flags: [...]})", id);
}

/* Every unit of the registry, with their data files' rows. */
static void registry_units(tcase *C)
{
    const ls_scheme *s = C->F->ts->s;
    units_alloc(C, s->nunits);
    C->nunits = s->nunits;
    for (size_t i = 0; i < s->nunits; i++) {
        C->units[i] = s->units[i];
        C->rows[i] = (int)i;
    }
}

static int case_units(tcase *C)
{
    ls_yr r = {C->F->path, &C->errs};
    const ls_ynode *co = C->cohort_n, *un = C->unit_n;
    int rc = 0;
    if (co && co->kind == LS_YSCALAR && !strcmp(co->str, "all")) {
        /* the whole registry; `data:` maps unit ids to their values */
        if (!C->F->ts)
            return ls_yr_error(&r, co, "'cohort: all' scores the registry of a scheme: this file names none");
        registry_units(C);
        const ls_ynode *d = C->data_n;
        if (d && !ls_ynode_is_null(d)) {
            if (ls_yr_expect_map(&r, d, "'data' of 'cohort: all' (unit id: its values)")) return -1;
            for (size_t i = 0; i < d->n; i++) {
                int u = registry_unit(C, ls_ymap_key(d, i));
                if (u < 0) rc = -1;
                else C->given[u] = ls_ymap_val(d, i);
            }
        }
        return rc;
    }
    if (co) {
        if (ls_yr_expect_seq(&r, co, "'cohort' (a list of units, or all)")) return -1;
        if (co->n == 0) return ls_yr_error(&r, co, "'cohort' is empty: list the units scored together");
        if (C->data_n)
            return ls_yr_error(&r, C->data_n,
                               "in a cohort case, give each unit's values under its own 'data'");
        units_alloc(C, co->n);
        for (size_t i = 0; i < co->n; i++) {
            const ls_ynode *e = co->items[i], *reg = e->kind == LS_YMAP ? ls_ymap_get(e, "unit") : NULL;
            ls_unit *u = &C->units[C->nunits];
            C->rows[C->nunits] = -1;
            if (reg) {
                static const char *const keys[] = {"unit", "data", NULL};
                if (ls_yr_check_keys(&r, e, keys, "a registry unit of the cohort ({unit: ID, data: {...}})"))
                    rc = -1;
                int k = registry_unit(C, reg);
                if (k < 0) { rc = -1; continue; }
                *u = C->F->ts->s->units[k];
                C->rows[C->nunits] = k;
                C->given[C->nunits] = ls_ymap_get(e, "data");
            } else if (made_up_unit(C, e, 1, u, &C->given[C->nunits])) {
                rc = -1;
                /* kept when it has an id, so that expectations naming it do
                 * not add errors of their own */
                if (e->kind != LS_YMAP || !ls_ymap_get(e, "id")) continue;
            }
            int dup = 0;
            for (size_t j = 0; j < C->nunits; j++)
                if (!strcmp(C->units[j].id, u->id)) dup = 1;
            if (dup) {
                rc = ls_yr_error(&r, e, "unit '%s' is twice in the cohort", u->id);
                continue;
            }
            C->nunits++;
        }
        return rc;
    }
    if (un && un->kind == LS_YSCALAR) {
        /* a registry unit, scored with the whole registry */
        int k = registry_unit(C, un);
        if (k < 0) return -1;
        registry_units(C);
        C->target = k;
        C->given[k] = C->data_n;
        return 0;
    }
    units_alloc(C, 1);
    C->nunits = 1;
    C->rows[0] = -1;
    C->given[0] = C->data_n;
    C->target = 0;
    return made_up_unit(C, un, 0, &C->units[0], &C->given[0]);
}

/* ---- expectations --------------------------------------------------------------- */

static texp *new_exp(tcase *C)
{
    LS_GROW(C->x, C->nx, C->capx, 8);
    texp *x = &C->x[C->nx++];
    memset(x, 0, sizeof *x);
    x->unit = x->node = x->group = -1;
    return x;
}

/* Split s at spaces (also the ideographic space) into at most max words,
 * copied into the case's arena.  Returns the count, or max + 1 when there
 * are more. */
static int split_words(tcase *C, const char *s, const char **w, int max)
{
    int n = 0;
    const char *p = s;
    for (;;) {
        while (*p == ' ' || !strncmp(p, "\xe3\x80\x80", 3)) p += *p == ' ' ? 1 : 3;
        if (!*p) return n;
        const char *q = p;
        while (*q && *q != ' ' && strncmp(q, "\xe3\x80\x80", 3)) q++;
        if (n == max) return max + 1;
        w[n++] = ls_arena_strndup(&C->arena, p, (size_t)(q - p));
        p = q;
    }
}

static int find_case_unit(tcase *C, const ls_ynode *at, const char *id)
{
    for (size_t i = 0; i < C->nunits; i++)
        if (!strcmp(C->units[i].id, id)) return (int)i;
    ls_yr r = {C->F->path, &C->errs};
    ls_buf b;
    ls_buf_init(&b);
    for (size_t i = 0; i < C->nunits && i < 12; i++) ls_buf_printf(&b, "%s%s", i ? ", " : "", C->units[i].id);
    if (C->nunits > 12) ls_buf_puts(&b, ", ...");
    ls_yr_error(&r, at, "unknown unit '%s' (the case's units: %s)", id, b.p);
    ls_buf_cleanup(&b);
    return -1;
}

/* A node by id ("c8.3") or 序号 ("8.3", "加1"), or -1 with an error. */
static int find_case_node(tcase *C, const ls_ynode *at, const char *key)
{
    const ls_scheme *s = C->s;
    int i = ls_scheme_find_node(s, key);
    if (i >= 0) return i;
    for (size_t k = 0; k < s->nnodes; k++)
        if (!strcmp(s->nodes[k].number, key)) return (int)k;
    const char *best = NULL;
    size_t bestd = strlen(key) >= 5 ? 3 : 2;   /* "9.9" is not a typo of "1.1" */
    for (size_t k = 0; k < s->nnodes; k++) {
        size_t d = ls_edit_distance(key, s->nodes[k].id);
        if (d < bestd) { bestd = d; best = s->nodes[k].id; }
        d = ls_edit_distance(key, s->nodes[k].number);
        if (d < bestd) { bestd = d; best = s->nodes[k].number; }
    }
    ls_yr r = {C->F->path, &C->errs};
    if (best) return ls_yr_error(&r, at, "no item '%s' in the scheme (did you mean '%s'?)", key, best);
    return ls_yr_error(
        &r, at, "no item '%s' in the scheme (name items by 序号, e.g. '8.3', or by id, e.g. 'c8.3')", key);
}

/* Text, or a list of texts (`empty_ok`: the empty list means "none"). */
static int phrases(tcase *C, const ls_ynode *v, const char *key, int empty_ok)
{
    ls_yr r = {C->F->path, &C->errs};
    if (v->kind == LS_YSEQ) {
        if (!v->n && !empty_ok) return ls_yr_error(&r, v, "'%s' needs a phrase", key);
        int rc = 0;
        for (size_t i = 0; i < v->n; i++) {
            const char *t;
            if (ls_yr_text(&r, v->items[i], key, &t)) rc = -1;
        }
        return rc;
    }
    const char *t;
    if (ls_yr_text(&r, v, key, &t)) return -1;
    if (!*t) return ls_yr_error(&r, v, "'%s' needs a phrase (for none, write [])", key);
    return 0;
}

/* The band `name` of group g (any group when g < 0), or -1. */
static int find_band(const ls_scheme *s, int g, const char *name)
{
    for (size_t i = 0; i < s->ngroups; i++) {
        if (g >= 0 && (int)i != g) continue;
        for (size_t b = 0; b < s->groups[i].nbands; b++)
            if (!strcmp(s->groups[i].bands[b].name, name)) return (int)b;
    }
    return -1;
}

static int bad_band(tcase *C, const ls_ynode *v, int g, const char *name)
{
    const ls_scheme *s = C->s;
    ls_buf b;
    ls_buf_init(&b);
    for (size_t i = 0; i < s->ngroups; i++) {
        if (g >= 0 && (int)i != g) continue;
        for (size_t k = 0; k < s->groups[i].nbands; k++) {
            const char *n = s->groups[i].bands[k].name;
            if (!b.n || !strstr(b.p, n)) ls_buf_printf(&b, "%s%s", b.n ? ", " : "", n);
        }
    }
    ls_yr r = {C->F->path, &C->errs};
    ls_yr_error(&r, v, "no grade '%s' (the grades: %s)", name, b.p);
    ls_buf_cleanup(&b);
    return -1;
}

/* A list of unit ids (at least two), or a list of such lists. */
static int unit_lists(tcase *C, const ls_ynode *v, const char *key, int same_group)
{
    ls_yr r = {C->F->path, &C->errs};
    if (ls_yr_expect_seq(&r, v, key)) return -1;
    if (v->n && v->items[0]->kind == LS_YSEQ) {
        int rc = 0;
        for (size_t i = 0; i < v->n; i++)
            if (unit_lists(C, v->items[i], key, same_group)) rc = -1;
        return rc;
    }
    if (v->n < 2) return ls_yr_error(&r, v, "'%s' needs at least two units, e.g. [a, b]", key);
    int rc = 0, g = -1;
    for (size_t i = 0; i < v->n; i++) {
        const char *id;
        if (ls_yr_text(&r, v->items[i], key, &id)) { rc = -1; continue; }
        int u = find_case_unit(C, v->items[i], id);
        if (u < 0) { rc = -1; continue; }
        if (same_group && g >= 0 && C->units[u].group >= 0 && C->units[u].group != g)
            rc = ls_yr_error(&r, v->items[i],
                             "'%s' is in group '%s', not '%s': units are ranked within their group", id,
                             C->s->groups[C->units[u].group].id, C->s->groups[g].id);
        g = C->units[u].group;
    }
    return rc;
}

/* Whether v is an unquoted true/false (yes/no); its value in *b. */
static int yaml_bool(const ls_ynode *v, int *b)
{
    if (v->kind != LS_YSCALAR || !v->plain) return 0;
    if (!strcmp(v->str, "true") || !strcmp(v->str, "yes")) { *b = 1; return 1; }
    if (!strcmp(v->str, "false") || !strcmp(v->str, "no")) { *b = 0; return 1; }
    return 0;
}

typedef struct keyword {
    const char *word;
    xkind kind;
    int min, max;                /* words after the keyword */
} keyword;

static const keyword keywords[] = {
    {"item", X_ITEM, 0, 2},       {"category", X_ITEM, 0, 2},  {"reasons", X_REASONS, 0, 2},
    {"total", X_TOTAL, 0, 1},     {"grade", X_GRADE, 0, 1},    {"rank", X_RANK, 0, 1},
    {"bonus", X_BONUS, 0, 1},     {"deductions", X_DEDUCT, 0, 1}, {"veto", X_VETO, 0, 1},
    {"notes", X_NOTES, 0, 1},     {"count", X_COUNT, 1, 2},    {"above", X_ABOVE, 0, 0},
    {"tied", X_TIED, 0, 0},       {"error", X_ERROR, 0, 0},
};

static int add_exp(tcase *C, const char *key, const char **w, int nw, const ls_ynode *at, const ls_ynode *v)
{
    ls_yr r = {C->F->path, &C->errs};
    const keyword *kw = NULL;
    for (size_t i = 0; i < sizeof keywords / sizeof *keywords; i++)
        if (!strcmp(w[0], keywords[i].word)) kw = &keywords[i];
    if (!kw) {
        const char *best = NULL;
        size_t bestd = 3;
        for (size_t i = 0; i < sizeof keywords / sizeof *keywords; i++) {
            size_t d = ls_edit_distance(w[0], keywords[i].word);
            if (d < bestd) { bestd = d; best = keywords[i].word; }
        }
        if (best) return ls_yr_error(&r, at, "unknown expectation '%s' (did you mean '%s'?)", key, best);
        return ls_yr_error(&r, at,
                           "unknown expectation '%s' (expected item, category, reasons, total, grade, "
                           "rank, bonus, deductions, veto, notes, count, above, tied or error)",
                           key);
    }
    int nargs = nw - 1;
    if (nargs < kw->min || nargs > kw->max) {
        const char *k = kw->word;
        switch (kw->kind) {
        case X_ITEM:
        case X_REASONS:
            return ls_yr_error(
                &r, at, "'%s': write '%s 8.3' (the item's 序号 or id), or in a cohort '%s a 8.3'", key, k, k);
        case X_COUNT:
            return ls_yr_error(&r, at, "'%s': write 'count 优秀', or 'count dept 优秀' for one group", key);
        case X_ABOVE:
        case X_TIED:
        case X_ERROR:
            return ls_yr_error(&r, at, "'%s': write '%s' alone", key, k);
        default:
            return ls_yr_error(&r, at, "'%s': write '%s', or '%s a' to name a unit of the case", key, k, k);
        }
    }
    texp *x = new_exp(C);
    x->kind = kw->kind;
    x->word = kw->word;
    x->at = at;
    x->val = v;
    const ls_scheme *s = C->s;
    /* the unit and node named, or implied */
    int node_arg = kw->kind == X_ITEM || kw->kind == X_REASONS;
    int unit_arg = kw->kind <= X_NOTES && (node_arg ? nargs == 2 : nargs == 1);
    if (node_arg && nargs == 1 && C->own && ls_scheme_find_node(s, w[1]) < 0 &&
        strcmp(w[1], s->nodes[0].number))
        for (size_t i = 0; i < C->nunits; i++)
            if (!strcmp(C->units[i].id, w[1])) {
                /* a single-item case: "item a" is the item of unit a */
                unit_arg = 1;
                nargs = 0;
            }
    if (kw->kind <= X_NOTES) {
        if (unit_arg) {
            if ((x->unit = find_case_unit(C, at, w[1])) < 0) return -1;
            if (node_arg && nargs == 0) x->node = 0;
        } else if ((x->unit = C->target) < 0) {
            return ls_yr_error(&r, at, "a case with a cohort names the unit: e.g. '%s %s%s'", kw->word,
                               C->units[0].id, node_arg && !C->own ? " 8.3" : "");
        }
    }
    if (node_arg && x->node < 0) {
        if (nargs == 0) {
            if (!C->own)
                return ls_yr_error(&r, at, "name the item: '%s 8.3' (its 序号) or '%s c8.3' (its id)", kw->word,
                                   kw->word);
            x->node = 0;
        } else if ((x->node = find_case_node(C, at, w[nargs])) < 0) {
            return -1;
        }
    }
    const ls_node *nd = x->node >= 0 ? &s->nodes[x->node] : NULL;
    long l;
    const char *t;
    switch (kw->kind) {
    case X_ITEM:
        if (v->kind == LS_YSCALAR && !strcmp(v->str, "不适用")) { x->state = 1; break; }
        if (nd->section == LS_SEC_VETO && !nd->nchildren) {
            if (v->kind == LS_YSCALAR && !strcmp(v->str, "否决")) { x->state = 2; break; }
            if (v->kind == LS_YSCALAR && !strcmp(v->str, "未否决")) { x->state = 3; break; }
            int b;
            if (yaml_bool(v, &b)) {
                x->state = b ? 2 : 3;
                break;
            }
            char buf[96];
            return ls_yr_error(&r, v, "item %s is a veto item: expect 否决 or 未否决 (or true/false), found %s",
                               nd->number, ls_ynode_describe(v, buf, sizeof buf));
        }
        if (v->kind == LS_YSCALAR && v->plain && (!strcmp(v->str, "否决") || !strcmp(v->str, "未否决")))
            return ls_yr_error(&r, v, "item %s is not a veto item: expect a score", nd->number);
        return ls_yr_number(&r, v, key, &x->num);
    case X_REASONS:
        return phrases(C, v, key, 1);
    case X_NOTES:
        return phrases(C, v, key, 1);
    case X_ERROR:
        return phrases(C, v, key, 0);
    case X_TOTAL:
    case X_BONUS:
    case X_DEDUCT:
        return ls_yr_number(&r, v, key, &x->num);
    case X_RANK:
        if (ls_yr_int(&r, v, key, 1, 10000000, &l)) return -1;
        x->num = (double)l;
        return 0;
    case X_GRADE:
        if (ls_yr_text(&r, v, key, &t)) return -1;
        if (find_band(s, C->units[x->unit].group, t) < 0) return bad_band(C, v, C->units[x->unit].group, t);
        x->text = t;
        return 0;
    case X_VETO: {
        int b;
        if (yaml_bool(v, &b)) {
            x->state = b;
            return 0;
        }
        if (ls_yr_text(&r, v, key, &t)) return -1;
        if ((x->node = find_case_node(C, v, t)) < 0) return -1;
        if (s->nodes[x->node].section != LS_SEC_VETO)
            return ls_yr_error(&r, v, "'%s' is not a veto item (一票否决)", t);
        x->state = 2;
        return 0;
    }
    case X_COUNT:
        if (nargs == 2) {
            if ((x->group = ls_scheme_find_group(s, w[1])) < 0) {
                ls_buf b;
                ls_buf_init(&b);
                list_groups(s, &b);
                ls_yr_error(&r, at, "unknown group '%s' (the scheme's groups: %s)", w[1], b.p);
                ls_buf_cleanup(&b);
                return -1;
            }
        }
        x->text = w[nargs];
        if (find_band(s, x->group, x->text) < 0) return bad_band(C, at, x->group, x->text);
        if (ls_yr_int(&r, v, key, 0, 10000000, &l)) return -1;
        x->num = (double)l;
        return 0;
    case X_ABOVE:
        return unit_lists(C, v, key, 1);
    case X_TIED:
        return unit_lists(C, v, key, 1);
    }
    return 0;
}

static int parse_expect(tcase *C)
{
    ls_yr r = {C->F->path, &C->errs};
    const ls_ynode *e = C->expect_n;
    if (ls_yr_expect_map(&r, e, "'expect' (what the case expects: item 8.3: 2.5, total: 90, ...)")) return -1;
    if (e->n == 0) return ls_yr_error(&r, e, "'expect' is empty: say what the case expects");
    int rc = 0;
    for (size_t i = 0; i < e->n; i++) {
        const ls_ynode *k = ls_ymap_key(e, i), *v = ls_ymap_val(e, i);
        const char *w[5];
        int nw = split_words(C, k->str, w, 4);
        if (nw == 0) { rc = ls_yr_error(&r, k, "an empty expectation"); continue; }
        if (nw > 4) { rc = ls_yr_error(&r, k, "unknown expectation '%s'", k->str); continue; }
        static const char *const plural[][2] = {
            {"items", "item"}, {"categories", "category"}, {"reasons", "reasons"}};
        int form = -1;
        for (int p = 0; p < 3; p++)
            if (nw == 1 && !strcmp(w[0], plural[p][0]) && (v->kind == LS_YMAP || p < 2)) form = p;
        if (form >= 0) {
            /* items: {8.3: 2.5, c1.1: 4} */
            char what[64];
            snprintf(what, sizeof what, "'%s' ({序号 or id: ...})", w[0]);
            if (ls_yr_expect_map(&r, v, what)) { rc = -1; continue; }
            for (size_t j = 0; j < v->n; j++) {
                const ls_ynode *k2 = ls_ymap_key(v, j);
                const char *w2[5];
                w2[0] = plural[form][1];
                int n2 = split_words(C, k2->str, w2 + 1, 3);
                char *full = ls_format("%s %s", w2[0], k2->str);
                if (n2 == 0 || n2 > 2)
                    rc = ls_yr_error(&r, k2, "expected an item (序号 or id), found '%s'", k2->str);
                else if (add_exp(C, full, w2, n2 + 1, k2, ls_ymap_val(v, j))) rc = -1;
                free(full);
            }
            continue;
        }
        if (add_exp(C, k->str, w, nw, k, v)) rc = -1;
    }
    return rc;
}

/* ---- checking: what failed and why ----------------------------------------------- */

static int num_eq(const tcase *C, double want, ls_fixed got)
{
    return fabs(want - ls_dec_to_double(got, C->s->digits)) <= C->tol + EPS;
}

static const char *fixed_text(const tcase *C, ls_fixed v, char *buf)
{
    return ls_dec_format(v, C->s->digits, buf);
}

/* The expected value: a number at the scheme's precision (as written when
 * it has more decimals), with the tolerance. */
static char *expected_text(const tcase *C, const texp *x)
{
    const char *v = x->val->kind == LS_YSCALAR ? x->val->str : "?";
    int num = x->kind == X_TOTAL || x->kind == X_BONUS || x->kind == X_DEDUCT ||
              (x->kind == X_ITEM && x->state == 0);
    char buf[32];
    ls_fixed f;
    if (num && !ls_dec_parse(v, C->s->digits, &f)) v = ls_dec_format(f, C->s->digits, buf);
    if (num && C->tol > 0) return ls_format("%s（允许误差 ±%.15g）", v, C->tol);
    return ls_xstrdup(v);
}

/* "item 8.3 按时报送信息" (", unit a 甲单位" when the case has several). */
static void fail_head(tcase *C, const texp *x)
{
    const ls_scheme *s = C->s;
    C->nfail++;
    ls_buf_printf(C->out, "    %s:%d:%d: %s", C->F->path, x->at->line, x->at->col, x->word);
    if (x->node >= 0 && x->kind != X_VETO && !C->own)   /* (a single item: the case's name says it) */
        ls_buf_printf(C->out, " %s %s", s->nodes[x->node].number, s->nodes[x->node].name);
    if (x->kind == X_COUNT)
        ls_buf_printf(C->out, " %s%s%s", x->group >= 0 ? s->groups[x->group].id : "",
                      x->group >= 0 ? " " : "", x->text);
    if (x->unit >= 0 && C->nunits > 1) {
        char ub[256];
        ls_buf_printf(C->out, "%s%s", x->node >= 0 && x->kind != X_VETO ? ", unit " : " of unit ",
                      unit_label(C, x->unit, ub, sizeof ub));
    }
    ls_buf_puts(C->out, "\n");
}

static void put_expected_actual(tcase *C, const char *want, const char *got)
{
    put_field(C->out, "expected", want);
    put_field(C->out, "actual", got);
}

/* The case's values of unit u; with `defaults`, also the file's values
 * for made-up units. */
static void put_given(tcase *C, int u, int defaults)
{
    char *g = given_text(C, u);
    put_field(C->out, "用例数据", g);
    free(g);
    const ls_ynode *d = C->F->defaults;
    if (defaults && C->rows[u] < 0 && d && d->kind == LS_YMAP && d->n) {
        ls_buf b;
        ls_buf_init(&b);
        if (C->F->defaults_path != C->F->path) ls_buf_printf(&b, "%s 中的值", C->F->defaults_path);
        else put_values(&b, d);
        put_field(C->out, "文件缺省", b.p);
        ls_buf_cleanup(&b);
    }
}

/* What explains a cell: 评分标准, reasons, values read, the case's values,
 * the rule; for a category its parts. */
static void item_context(tcase *C, int u, int node, int with_reasons)
{
    const ls_scheme *s = C->s;
    const ls_node *nd = &s->nodes[node];
    char a[32], p[32];
    if (nd->nchildren) {
        ls_buf b;
        ls_buf_init(&b);
        for (size_t i = 0; i < nd->nchildren; i++) {
            const ls_node *k = &s->nodes[nd->children[i]];
            ls_buf_printf(&b, "%s%s %s %s/%s", i ? "\n" : "", k->number, k->name,
                          ls_explain_score(C->r, (size_t)u, (size_t)nd->children[i], a),
                          ls_dec_format_short(k->points, s->digits, p));
        }
        if (b.n) put_field(C->out, "分项", b.p);
        ls_buf_cleanup(&b);
        put_given(C, u, 0);
        return;
    }
    if (nd->criteria && *nd->criteria) put_field(C->out, "评分标准", nd->criteria);
    if (with_reasons) {
        char *e = ls_explain_cell(C->r, (size_t)u, (size_t)node);
        put_field(C->out, "扣分理由", *e ? e : "（无）");
        free(e);
    }
    char *rd = ls_explain_reads(C->r, (size_t)u, (size_t)node);
    if (*rd) put_field(C->out, "使用指标", rd);
    free(rd);
    put_given(C, u, 0);
    if (nd->rule.kind == LS_RULE_PLUGIN) {
        char *t = ls_format("C plugin %s.%s", nd->rule.plugin, nd->rule.function);
        put_field(C->out, "评分规则", t);
        free(t);
    } else if (nd->rule.path) {
        put_field(C->out, "评分规则", nd->rule.path);
    }
}

/* What explains a unit's total: the items that lost points, bonus,
 * deductions, notes, the case's values. */
static void unit_context(tcase *C, int u, int with_total)
{
    const ls_scheme *s = C->s;
    const ls_run *r = C->r;
    const ls_unit_result *ur = &r->units[u];
    char a[32], p[32];
    if (with_total) put_field(C->out, "总分", fixed_text(C, ur->total, a));
    if (C->shown[u]) {
        put_field(C->out, "明细", "（见上）");
        return;
    }
    C->shown[u] = 1;
    ls_buf lost, bonus, deduct;
    ls_buf_init(&lost);
    ls_buf_init(&bonus);
    ls_buf_init(&deduct);
    for (size_t k = 0; k < s->nleaves; k++) {
        int i = s->leaves[k];
        const ls_node *nd = &s->nodes[i];
        const ls_cell *c = ls_run_cell(r, (size_t)u, (size_t)i);
        ls_buf *into = nd->section == LS_SEC_MAIN ? &lost : nd->section == LS_SEC_BONUS ? &bonus
                     : nd->section == LS_SEC_DEDUCT ? &deduct : NULL;
        if (!into || c->state == LS_CELL_NA) continue;
        if (c->state == LS_CELL_SCORED &&
            (nd->section == LS_SEC_MAIN ? c->score >= nd->points : c->score == 0))
            continue;
        char *e = ls_explain_cell(r, (size_t)u, (size_t)i);
        ls_buf_printf(into, "%s%s %s %s", into->n ? "\n" : "", nd->number, nd->name,
                      ls_explain_score(r, (size_t)u, (size_t)i, a));
        if (nd->section == LS_SEC_MAIN)
            ls_buf_printf(into, "/%s", ls_dec_format_short(nd->points, s->digits, p));
        if (*e) ls_buf_printf(into, "：%s", e);
        free(e);
    }
    put_field(C->out, "失分项目", lost.n ? lost.p : "（无：各项均得满分）");
    if (bonus.n) put_field(C->out, "加分项目", bonus.p);
    if (deduct.n) put_field(C->out, "扣分项目", deduct.p);
    char *notes = ls_explain_unit(r, (size_t)u);
    if (*notes) put_field(C->out, "说明", notes);
    free(notes);
    ls_buf_cleanup(&lost);
    ls_buf_cleanup(&bonus);
    ls_buf_cleanup(&deduct);
    put_given(C, u, 1);
}

/* The ranking of group g (every group of the case when g < 0). */
static void cohort_table(tcase *C, int g)
{
    const ls_scheme *s = C->s;
    const ls_run *r = C->r;
    uint64_t mask = 0;
    for (size_t k = 0; k < s->ngroups; k++)
        if ((g < 0 || (int)k == g) && r->norder[k]) mask |= 1ULL << k;
    if (!(mask & ~C->shown_groups)) {
        put_field(C->out, "组内名次", "（见上）");
        return;
    }
    C->shown_groups |= mask;
    ls_buf b;
    ls_buf_init(&b);
    for (size_t k = 0; k < s->ngroups; k++) {
        if ((g >= 0 && (int)k != g) || !r->norder[k]) continue;
        ls_buf_printf(&b, "%s%s（%zu个单位）", b.n ? "\n" : "", s->groups[k].name, r->norder[k]);
        int wid = 0, wname = 0;
        for (size_t i = 0; i < r->norder[k]; i++) {
            const ls_unit *un = &s->units[r->order[k][i]];
            if (ls_display_width(un->id) > wid) wid = ls_display_width(un->id);
            if (ls_display_width(un->name) > wname) wname = ls_display_width(un->name);
        }
        for (size_t i = 0; i < r->norder[k]; i++) {
            int u = r->order[k][i];
            const ls_unit *un = &s->units[u];
            char a[32];
            ls_buf_printf(&b, "\n%4d  %s%*s  %s%*s  %7s  %s%s", r->units[u].rank, un->id,
                          wid - ls_display_width(un->id), "", un->name, wname - ls_display_width(un->name),
                          "", fixed_text(C, r->units[u].total, a), ls_explain_grade(r, (size_t)u),
                          r->units[u].veto >= 0 ? "（否决）" : "");
        }
    }
    put_field(C->out, "组内名次", b.p ? b.p : "");
    ls_buf_cleanup(&b);
}

/* Whether text holds every phrase of v (a text or a list; [] = text empty). */
static int has_phrases(const char *text, const ls_ynode *v)
{
    if (v->kind == LS_YSCALAR) return strstr(text, v->str) != NULL;
    if (!v->n) return !*text;
    for (size_t i = 0; i < v->n; i++)
        if (!strstr(text, v->items[i]->str)) return 0;
    return 1;
}

static char *phrases_text(const ls_ynode *v, const char *none)
{
    if (v->kind == LS_YSCALAR) return ls_format("包含“%s”", v->str);
    if (!v->n) return ls_xstrdup(none);
    ls_buf b;
    ls_buf_init(&b);
    ls_buf_puts(&b, "包含");
    for (size_t i = 0; i < v->n; i++) ls_buf_printf(&b, "%s“%s”", i ? "和" : "", v->items[i]->str);
    return b.p;
}

static char *rank_text(const tcase *C, int u)
{
    return ls_format("%s %s 第%d名", C->units[u].id, C->units[u].name, C->r->units[u].rank);
}

/* above: [a, b, c] means a above b above c. */
static void check_above(tcase *C, const texp *x, const ls_ynode *v)
{
    if (v->n && v->items[0]->kind == LS_YSEQ) {
        for (size_t i = 0; i < v->n; i++) check_above(C, x, v->items[i]);
        return;
    }
    for (size_t i = 0; i + 1 < v->n; i++) {
        int a = find_case_unit(C, v->items[i], v->items[i]->str);
        int b = find_case_unit(C, v->items[i + 1], v->items[i + 1]->str);
        if (C->r->units[a].rank < C->r->units[b].rank) continue;
        fail_head(C, x);
        char *want = ls_format("%s 排名高于 %s", v->items[i]->str, v->items[i + 1]->str);
        char *ra = rank_text(C, a), *rb = rank_text(C, b);
        char *got = ls_format("%s，%s", ra, rb);
        put_expected_actual(C, want, got);
        cohort_table(C, C->units[a].group);
        free(want);
        free(ra);
        free(rb);
        free(got);
        return;
    }
}

static void check_tied(tcase *C, const texp *x, const ls_ynode *v)
{
    if (v->n && v->items[0]->kind == LS_YSEQ) {
        for (size_t i = 0; i < v->n; i++) check_tied(C, x, v->items[i]);
        return;
    }
    int first = find_case_unit(C, v->items[0], v->items[0]->str), same = 1;
    for (size_t i = 1; i < v->n; i++)
        same &= C->r->units[find_case_unit(C, v->items[i], v->items[i]->str)].rank == C->r->units[first].rank;
    if (same) return;
    fail_head(C, x);
    ls_buf want, got;
    ls_buf_init(&want);
    ls_buf_init(&got);
    for (size_t i = 0; i < v->n; i++) {
        int u = find_case_unit(C, v->items[i], v->items[i]->str);
        char *t = rank_text(C, u);
        ls_buf_printf(&want, "%s%s", i ? "、" : "", v->items[i]->str);
        ls_buf_printf(&got, "%s%s", i ? "，" : "", t);
        free(t);
    }
    ls_buf_puts(&want, " 名次并列");
    put_expected_actual(C, want.p, got.p);
    cohort_table(C, C->units[first].group);
    ls_buf_cleanup(&want);
    ls_buf_cleanup(&got);
}

static void check_exp(tcase *C, const texp *x)
{
    const ls_scheme *s = C->s;
    const ls_run *r = C->r;
    const ls_unit_result *ur = x->unit >= 0 ? &r->units[x->unit] : NULL;
    char a[64];
    char *want = NULL, *got = NULL;
    switch (x->kind) {
    case X_ITEM: {
        const ls_cell *c = ls_run_cell(r, (size_t)x->unit, (size_t)x->node);
        const char *actual = ls_explain_score(r, (size_t)x->unit, (size_t)x->node, a);
        int ok = c->state == LS_CELL_NA ? x->state == 1
               : c->state == LS_CELL_ERROR ? 0
               : x->state >= 2 ? (x->state == 2) == (c->score != 0)
               : x->state == 0 && num_eq(C, x->num, c->score);
        if (ok) return;
        fail_head(C, x);
        want = expected_text(C, x);
        put_expected_actual(C, want, c->state == LS_CELL_ERROR ? "错误（规则出错，见扣分理由）" : actual);
        item_context(C, x->unit, x->node, 1);
        break;
    }
    case X_REASONS: {
        char *e = ls_explain_cell(r, (size_t)x->unit, (size_t)x->node);
        if (has_phrases(e, x->val)) { free(e); return; }
        fail_head(C, x);
        want = phrases_text(x->val, "（无扣分理由）");
        put_expected_actual(C, want, *e ? e : "（无）");
        free(e);
        put_field(C->out, "得分", ls_explain_score(r, (size_t)x->unit, (size_t)x->node, a));
        item_context(C, x->unit, x->node, 0);
        break;
    }
    case X_TOTAL:
    case X_BONUS:
    case X_DEDUCT: {
        ls_fixed v = x->kind == X_TOTAL ? ur->total : x->kind == X_BONUS ? ur->bonus : ur->deduct;
        if (num_eq(C, x->num, v)) return;
        fail_head(C, x);
        want = expected_text(C, x);
        put_expected_actual(C, want, fixed_text(C, v, a));
        unit_context(C, x->unit, x->kind != X_TOTAL);
        break;
    }
    case X_GRADE: {
        const char *g = ls_explain_grade(r, (size_t)x->unit);
        if (!strcmp(g, x->text)) return;
        fail_head(C, x);
        put_expected_actual(C, x->text, g);
        unit_context(C, x->unit, 1);
        break;
    }
    case X_RANK:
        if (ur->rank == (int)x->num) return;
        fail_head(C, x);
        got = ls_format("%d", ur->rank);
        put_expected_actual(C, x->val->str, got);
        cohort_table(C, C->units[x->unit].group);
        break;
    case X_VETO: {
        int ok = x->state == 0 ? ur->veto < 0 : x->state == 1 ? ur->veto >= 0 : ur->veto == x->node;
        if (ok) return;
        fail_head(C, x);
        want = x->state == 2 ? ls_format("否决（%s %s）", s->nodes[x->node].number, s->nodes[x->node].name)
                             : ls_xstrdup(x->state ? "否决" : "未否决");
        got = ur->veto >= 0 ? ls_format("否决（%s %s）", s->nodes[ur->veto].number, s->nodes[ur->veto].name)
                            : ls_xstrdup("未否决");
        put_expected_actual(C, want, got);
        unit_context(C, x->unit, 1);
        break;
    }
    case X_NOTES: {
        char *n = ls_explain_unit(r, (size_t)x->unit);
        if (has_phrases(n, x->val)) { free(n); return; }
        fail_head(C, x);
        want = phrases_text(x->val, "（无说明）");
        put_expected_actual(C, want, *n ? n : "（无）");
        free(n);
        unit_context(C, x->unit, 1);
        break;
    }
    case X_COUNT: {
        size_t n = 0;
        for (size_t u = 0; u < C->nunits; u++)
            if ((x->group < 0 || C->units[u].group == x->group) && !strcmp(ls_explain_grade(r, u), x->text))
                n++;
        if ((double)n == x->num) return;
        fail_head(C, x);
        want = ls_format("%s个单位", x->val->str);
        got = ls_format("%zu个单位", n);
        put_expected_actual(C, want, got);
        cohort_table(C, x->group);
        break;
    }
    case X_ABOVE:
        check_above(C, x, x->val);
        break;
    case X_TIED:
        check_tied(C, x, x->val);
        break;
    case X_ERROR: {
        ls_buf all;
        ls_buf_init(&all);
        for (size_t i = 0; i < C->rerrs.n; i++) {
            char *m = ls_diag_format(&C->rerrs.v[i]);
            int hit = has_phrases(m, x->val);
            ls_buf_printf(&all, "%s%s", all.n ? "\n" : "", m);
            free(m);
            if (hit) { ls_buf_cleanup(&all); return; }
        }
        fail_head(C, x);
        want = phrases_text(x->val, "");
        char *w2 = ls_format("规则出错，信息%s", want);
        put_expected_actual(C, w2, all.n ? all.p : "（没有规则出错）");
        free(w2);
        ls_buf_cleanup(&all);
        break;
    }
    }
    free(want);
    free(got);
}

/* ---- a case ---------------------------------------------------------------------- */

static int parse_case(tcase *C, size_t index)
{
    tfile *F = C->F;
    ls_yr r = {F->path, &C->errs};
    const ls_ynode *n = C->n, *v;
    char unnamed[32];
    snprintf(unnamed, sizeof unnamed, "(case %zu)", index + 1);
    C->name = ls_arena_strdup(&C->arena, unnamed);
    if (ls_yr_expect_map(&r, n, "a test case (name, unit or cohort, data, expect)")) return -1;
    static const char *const keys[] = {"name", "unit", "cohort", "data", "expect", "tolerance",
                                       "rule", "params", "points", "kind", "criteria", NULL};
    int rc = ls_yr_check_keys(&r, n, keys, "a test case");
    if ((v = ls_yr_require(&r, n, "name", "a test case"))) {
        if (ls_yr_text(&r, v, "name", &C->name)) rc = -1;
    } else {
        rc = -1;
    }
    C->unit_n = ls_ymap_get(n, "unit");
    C->cohort_n = ls_ymap_get(n, "cohort");
    C->data_n = ls_ymap_get(n, "data");
    C->rule_n = ls_ymap_get(n, "rule");
    if (C->unit_n && C->cohort_n)
        rc = ls_yr_error(&r, C->cohort_n, "a case has either one 'unit' or a 'cohort', not both");
    if (!(C->expect_n = ls_yr_require(&r, n, "expect", "a test case"))) rc = -1;
    static const char *const item_keys[] = {"params", "points", "kind", "criteria"};
    for (size_t i = 0; !C->rule_n && i < sizeof item_keys / sizeof *item_keys; i++)
        if ((v = ls_ymap_get(n, item_keys[i])))
            rc = ls_yr_error(&r, v, "'%s' belongs to a case that tests one item with 'rule:'", item_keys[i]);
    if ((v = ls_ymap_get(n, "tolerance"))) {
        if (ls_yr_number(&r, v, "tolerance", &C->tol)) rc = -1;
        else if (C->tol < 0) rc = ls_yr_error(&r, v, "'tolerance' must not be negative, found %s", v->str);
    }
    if (!C->expect_n || (C->unit_n && C->cohort_n)) return -1;
    /* From here on, go as far as possible: the author sees every mistake
     * of the case at once. */
    if (C->rule_n) {
        if (single_scheme(C)) return -1;
    } else if (!F->ts) {
        return ls_yr_error(&r, n, "this file names no scheme: give 'scheme:' at the top of the file, or test "
                                  "one item with 'rule:', 'params:' and 'points:'");
    } else {
        C->s = &F->ts->view;
        C->b = &F->ts->b;
    }
    if (case_units(C)) rc = -1;
    if (!C->nunits) return -1;
    view_set_units(C->s, C->units, C->nunits);
    if (parse_expect(C)) rc = -1;
    return rc;
}

static void run_case(tfile *F, const ls_ynode *cn, size_t index)
{
    runner *R = F->R;
    tcase C0, *C = &C0;
    memset(C, 0, sizeof *C);
    C->F = F;
    C->R = R;
    C->n = cn;
    C->target = -1;
    C->tol = F->tol;
    ls_errors_init(&C->errs);
    ls_errors_init(&C->rerrs);
    ls_arena_init(&C->arena);
    ls_buf details;
    ls_buf_init(&details);
    C->out = &details;
    int expects_error = 0;
    int parsed = parse_case(C, index) == 0;
    if (C->s && C->nunits) {
        /* also after mistakes elsewhere in the case: bad values are shown too */
        ls_values_node *layers = ls_xcalloc(2 * C->nunits + 1, sizeof *layers);
        for (size_t u = 0; u < C->nunits; u++) {
            if (C->rows[u] < 0) layers[2 * u] = (ls_values_node){F->defaults, F->defaults_path};
            layers[2 * u + 1] = (ls_values_node){C->given[u], F->path};
        }
        /* (after other mistakes, missing required values would only add noise) */
        C->d = ls_dataset_build(C->s, C->own == 2 ? NULL : F->data, C->rows, layers, 2, !parsed,
                                hint_required, &C->errs);
        free(layers);
    }
    if (C->d && parsed) {
        ls_score_opts so = {.keep_going = 1};
        C->shown = ls_xcalloc(C->nunits, 1);
        C->r = ls_score_run(C->s, C->d, C->b, &so, &C->rerrs);
        for (size_t i = 0; i < C->nx; i++) expects_error |= C->x[i].kind == X_ERROR;
        if (C->r) {
            for (size_t i = 0; i < C->nx; i++) check_exp(C, &C->x[i]);
        } else if (!C->rerrs.n) {
            ls_errorf(&C->rerrs, F->path, cn->line, cn->col, "scoring failed");
        }
    }
    int rule_errors = C->rerrs.nerrors && !expects_error;
    int failed = C->errs.n || !C->d || !C->r || C->nfail || rule_errors;
    if (failed) {
        F->failed++;
        ls_buf_printf(&F->out, "  FAIL  %s  (%s:%d)\n", C->name, F->path, cn->line);
        put_diags_order(&F->out, &C->errs, "    ", 1);
        if (rule_errors || (!C->r && C->rerrs.n)) {
            ls_buf_puts(&F->out, "    a rule failed while scoring:\n");
            put_diags(&F->out, &C->rerrs, "      ");
        }
        if (details.n) ls_buf_add(&F->out, details.p, details.n);
    } else {
        F->passed++;
        if (R->o->verbose) ls_buf_printf(&F->out, "  ok    %s\n", C->name);
    }
    ls_run_free(C->r);
    ls_dataset_free(C->d);
    if (C->own) own_scheme_free(C);
    else if (C->s) view_set_units(C->s, NULL, 0);
    free(C->units);
    free(C->rows);
    free(C->given);
    free(C->x);
    free(C->shown);
    ls_buf_cleanup(&details);
    ls_errors_cleanup(&C->errs);
    ls_errors_cleanup(&C->rerrs);
    ls_arena_cleanup(&C->arena);
}

/* ---- a test file ---------------------------------------------------------------- */

/* The file's `defaults:`, a mapping or the name of a YAML file holding one;
 * it must name indicators of the catalogue. */
static int load_defaults(tfile *F, const ls_ynode *v, ls_errors *err)
{
    ls_yr fr = {F->path, err};
    F->defaults_path = F->path;
    if (v->kind == LS_YSCALAR) {
        char *path = ls_path_join(F->dir, v->str);
        if (access(path, R_OK) != 0) {
            ls_yr_error(&fr, v, "defaults file '%s' not found (looked for %s)", v->str, path);
            free(path);
            return -1;
        }
        int bad = ls_yaml_load(&F->defaults_doc, path, err);
        free(path);
        if (bad) return -1;
        F->defaults_path = F->defaults_doc.path;
        v = F->defaults_doc.root;
    }
    ls_yr rr = {F->defaults_path, err}, *r = &rr;
    const ls_ynode *d = F->defaults = v;
    if (ls_yr_expect_map(r, d, "'defaults' (indicator: value, for every made-up unit; or a file of them)"))
        return -1;
    if (!F->ts) return 0;
    int rc = 0;
    for (size_t i = 0; i < d->n; i++) {
        const ls_ynode *k = ls_ymap_key(d, i);
        if (ls_scheme_find_indicator(F->ts->s, k->str) >= 0) continue;
        const char *sug = ls_scheme_suggest_indicator(F->ts->s, k->str);
        if (sug) rc = ls_yr_error(r, k, "unknown indicator '%s' (did you mean '%s'?)", k->str, sug);
        else rc = ls_yr_error(r, k, "unknown indicator '%s': it is not in the scheme's catalogue", k->str);
    }
    return rc;
}

/* Read the file's header (scheme, data, defaults, tolerance); its cases in
 * *cases.  0, or -1 with errors in err. */
static int file_header(tfile *F, ls_errors *err, const ls_ynode **cases)
{
    runner *R = F->R;
    ls_yr r = {F->path, err};
    if (ls_yaml_load(&F->doc, F->path, err)) return -1;
    const ls_ynode *root = F->doc.root, *v;
    if (ls_yr_expect_map(&r, root, "a test file (scheme, data, defaults, tolerance, cases)")) return -1;
    static const char *const keys[] = {"scheme", "data", "defaults", "tolerance", "cases", NULL};
    int rc = ls_yr_check_keys(&r, root, keys, "a test file");
    if ((v = ls_ymap_get(root, "scheme"))) {
        const char *rel;
        if (ls_yr_text(&r, v, "scheme", &rel)) return -1;
        char *path = ls_path_join(F->dir, rel);
        if (access(path, R_OK) != 0) {
            ls_yr_error(&r, v,
                        "scheme file '%s' not found (looked for %s; paths are relative to the test file)",
                        rel, path);
            free(path);
            return -1;
        }
        F->ts = scheme_get(R, path);
        free(path);
        if (!F->ts->s || !scheme_ready(R, F->ts)) {
            ls_yr_error(&r, v, "the scheme cannot be used: %s",
                        F->ts->s ? "its rules have errors" : "it has errors");
            for (size_t i = 0; i < F->ts->errs.n; i++) {
                const ls_diag *d = &F->ts->errs.v[i];
                if (d->sev == LS_SEV_ERROR) ls_errorf(err, d->path, d->line, d->col, "%s", d->msg);
            }
            return -1;
        }
    }
    if ((v = ls_ymap_get(root, "data")) && !F->ts) {
        rc = ls_yr_error(&r, v, "'data' gives the data files of a scheme's registry: give 'scheme:' too");
    } else if (v) {
        const ls_ynode *list = v;
        size_t n = v->kind == LS_YSEQ ? v->n : 1;
        char **paths = ls_xcalloc(n ? n : 1, sizeof *paths);
        int bad = 0;
        for (size_t i = 0; i < n; i++) {
            const char *rel;
            const ls_ynode *it = list->kind == LS_YSEQ ? list->items[i] : list;
            if (ls_yr_text(&r, it, "data", &rel)) { bad = 1; paths[i] = ls_xstrdup(""); continue; }
            paths[i] = ls_path_join(F->dir, rel);
            if (access(paths[i], R_OK) != 0)
                bad = ls_yr_error(&r, it, "data file '%s' not found (looked for %s)", rel, paths[i]);
        }
        if (!bad) F->data = ls_dataset_load(F->ts->s, (const char *const *)paths, n, 1, err);
        for (size_t i = 0; i < n; i++) free(paths[i]);
        free(paths);
        if (!F->data) rc = -1;
    }
    if ((v = ls_ymap_get(root, "defaults")) && !ls_ynode_is_null(v) && load_defaults(F, v, err)) rc = -1;
    if ((v = ls_ymap_get(root, "tolerance"))) {
        if (ls_yr_number(&r, v, "tolerance", &F->tol)) rc = -1;
        else if (F->tol < 0) rc = ls_yr_error(&r, v, "'tolerance' must not be negative, found %s", v->str);
    }
    if (!(*cases = ls_yr_require(&r, root, "cases", "a test file"))) return -1;
    if (ls_yr_expect_seq(&r, *cases, "'cases' (a list of test cases)")) return -1;
    if ((*cases)->n == 0) return ls_yr_error(&r, *cases, "'cases' is empty");
    return rc;
}

static void run_file(runner *R, const char *path, FILE *out)
{
    tfile F0, *F = &F0;
    memset(F, 0, sizeof *F);
    F->R = R;
    F->path = path;
    F->dir = ls_dirname(path);
    ls_buf_init(&F->out);
    ls_errors err;
    ls_errors_init(&err);
    const ls_ynode *cases = NULL;
    if (file_header(F, &err, &cases)) {
        R->broken_files++;
        fprintf(out, "%s: cannot run its cases\n", path);
        ls_buf b;
        ls_buf_init(&b);
        put_diags(&b, &err, "  ");
        if (b.n) fputs(b.p, out);
        ls_buf_cleanup(&b);
    } else {
        for (size_t i = 0; i < cases->n; i++) run_case(F, cases->items[i], i);
        if (F->failed) fprintf(out, "%s: %zu passed, %zu failed\n", path, F->passed, F->failed);
        else fprintf(out, "%s: %zu passed\n", path, F->passed);
        if (F->out.n) fputs(F->out.p, out);
        R->passed += F->passed;
        R->failed += F->failed;
    }
    ls_dataset_free(F->data);
    ls_yaml_cleanup(&F->defaults_doc);
    ls_yaml_cleanup(&F->doc);
    ls_errors_cleanup(&err);
    ls_buf_cleanup(&F->out);
    free(F->dir);
}

/* ---- coverage ------------------------------------------------------------------- */

static const char *pct_text(int ran, int code, char *buf, size_t size)
{
    /* rounded down, so that 99.96% never shows as 100.0% */
    double p = code ? floor(1000.0 * ran / code) / 10 : 100;
    snprintf(buf, size, "%.1f%%", p);
    return buf;
}

/* The missed lines of f as ranges: "4, 9-10". */
static void missed_ranges(const ls_covfile *f, ls_buf *b)
{
    for (int l = 1; l < f->nlines; l++) {
        if (!f->code[l] || f->hit[l]) continue;
        int e = l;
        while (e + 1 < f->nlines && f->code[e + 1] && !f->hit[e + 1]) e++;
        if (e > l) ls_buf_printf(b, "%s%d-%d", b->n ? ", " : "", l, e);
        else ls_buf_printf(b, "%s%d", b->n ? ", " : "", l);
        l = e;
    }
}

/* Print the coverage report; returns how many scripts are below the
 * minimum. */
static size_t coverage_report(runner *R, FILE *out)
{
    const ls_coverage *c = &R->cov;
    double min = R->o->min_coverage;
    size_t below = 0;
    int tcode = 0, tran = 0;
    char pb[32];
    fprintf(out, "\ncoverage of rule scripts (lines holding code that the cases ran):\n");
    char **paths = ls_xcalloc(c->n + 1, sizeof *paths);
    for (size_t i = 0; i < c->n; i++) paths[i] = c->files[i].path;
    qsort(paths, c->n, sizeof *paths, ls_cmp_str);
    for (size_t k = 0; k < c->n; k++) {
        size_t i = (size_t)ls_coverage_find(c, paths[k]);
        const ls_covfile *f = &c->files[i];
        if (!f->lines_known) {
            fprintf(out, "       ?  %s  (cannot tell which lines hold code)\n", f->path);
            continue;
        }
        int code, ran;
        ls_coverage_count(c, i, &code, &ran);
        tcode += code;
        tran += ran;
        ls_buf m;
        ls_buf_init(&m);
        missed_ranges(f, &m);
        fprintf(out, "  %6s  %s  (%d/%d lines%s%s)\n", pct_text(ran, code, pb, sizeof pb), f->path, ran, code,
                m.n ? "; not run: " : "", m.n ? m.p : "");
        ls_buf_cleanup(&m);
        if (min >= 0 && (code ? 100.0 * ran / code : 100) < min) below++;
    }
    free(paths);
    if (!c->n) fprintf(out, "  (no Lua rule script was bound)\n");
    else fprintf(out, "  %6s  total  (%d/%d lines)\n", pct_text(tran, tcode, pb, sizeof pb), tran, tcode);
    for (size_t i = 0; i < R->plugins.n; i++)
        fprintf(out, "  C plugin %s: coverage not applicable (compiled code is not traced; "
                     "its items are tested by the cases like any other)\n", R->plugins.v[i]);
    if (below)
        fprintf(out, "coverage below the minimum of %g%%: %zu script%s\n", min, below, below == 1 ? "" : "s");
    return below;
}

/* ---- entry point ------------------------------------------------------------------ */

int ls_testrun(const ls_test_opts *o, FILE *out, ls_errors *err)
{
    runner R0, *R = &R0;
    memset(R, 0, sizeof *R);
    R->o = o;
    R->cover = o->coverage || o->min_coverage >= 0;
    ls_coverage_init(&R->cov);
    strvec files = {0};
    static const char *const here[] = {"."};
    const char *const *paths = o->npaths ? o->paths : here;
    size_t np = o->npaths ? o->npaths : 1;
    int rc = 0;
    for (size_t i = 0; i < np; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0) {
            rc = ls_errorf(err, paths[i], 0, 0, "cannot read: %s", strerror(errno));
        } else if (S_ISDIR(st.st_mode)) {
            size_t before = files.n;
            find_tests(paths[i], &files);
            if (files.n == before)
                rc = ls_errorf(err, paths[i], 0, 0, "no test files (*.test.yaml) in this directory");
        } else if (!sv_has(&files, paths[i])) {
            sv_add(&files, ls_xstrdup(paths[i]));
        }
    }
    if (rc) goto out;
    for (size_t i = 0; i < files.n; i++) run_file(R, files.v[i], out);
    size_t below = R->cover ? coverage_report(R, out) : 0;
    fprintf(out, "%zu passed, %zu failed\n", R->passed, R->failed + R->broken_files);
    rc = (int)(R->failed + R->broken_files + below);
out:
    for (size_t i = 0; i < R->nschemes; i++) scheme_free(R->schemes[i]);
    free(R->schemes);
    sv_free(&R->plugins);
    sv_free(&files);
    ls_coverage_cleanup(&R->cov);
    return rc;
}
