/*
 * ls_testcase.c - the schemes and units of `lawscore test` cases (see
 * ls_testcase.h): the file schemes loaded and bound once per run, the
 * scheme of a single-item case, the units of a case, and reading a case.
 *
 * Depends on: ls_i18n, ls_scheme, ls_data, ls_backends, ls_rule, ls_expect,
 * ls_score, ls_coverage, ls_testrun (options), ls_yaml, ls_yread,
 * ls_arena, ls_scope, ls_error, ls_util.
 */
#include "ls_testcase.h"

#include <stdlib.h>
#include <string.h>

#include "ls_backends.h"
#include "ls_expect.h"
#include "ls_i18n.h"
#include "ls_scope.h"
#include "ls_yread.h"

/* Id and name of the unit a case makes up when it gives none. */
#define TEST_UNIT_ID "test"
#define TEST_UNIT_NAME "测试单位"
/* Id of the item of a single-item case (`item` expectations need none). */
#define TEST_ITEM_ID "item"

/* ---- schemes ---------------------------------------------------------------------- */

static void note_plugin(ls_testrunner *R, const ls_node *n)
{
    char *k = ls_format("%s.%s", n->rule.plugin, n->rule.function);
    if (!ls_strlist_has(&R->plugins, k)) ls_strlist_add(&R->plugins, k, strlen(k));
    free(k);
}

/* Bind every leaf of s.  0, or -1 with the errors in err. */
static int bind_all(ls_testrunner *R, const ls_scheme *s, ls_backends *b, ls_errors *err)
{
    const ls_test_opts *o = R->o;
    ls_bind_opts bo = {o->max_instructions, o->max_memory_mb << 20, o->plugin_paths,
                       o->nplugin_paths, R->cover ? &R->cov : NULL, o->max_seconds};
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

ls_testscheme *ls_testscheme_get(ls_testrunner *R, const char *path)
{
    for (size_t i = 0; i < R->nschemes; i++)
        if (!strcmp(R->schemes[i]->path, path)) return R->schemes[i];
    ls_testscheme *t = ls_xcalloc(1, sizeof *t);
    t->path = ls_xstrdup(path);
    ls_errors_init(&t->errs);
    ls_scope scope = {R->o->allow_dirs, R->o->nallow_dirs};
    t->s = ls_scheme_load_scoped(path, &scope, &t->errs);
    if (t->s) view_init(&t->view, t->s);
    R->schemes = ls_xrealloc(R->schemes, (R->nschemes + 1) * sizeof *R->schemes);
    R->schemes[R->nschemes++] = t;
    return t;
}

/* The file's scheme with its rules bound; NULL when it cannot be. */
ls_scheme *ls_testscheme_ready(ls_testrunner *R, ls_testscheme *t)
{
    if (!t->s) return NULL;
    if (t->bound == 0) t->bound = bind_all(R, &t->view, &t->b, &t->errs) ? -1 : 1;
    return t->bound > 0 ? &t->view : NULL;
}

void ls_testscheme_free(ls_testscheme *t)
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
static int item_node(ls_testcase *C, const ls_scheme *s, ls_node *nd)
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
    } else if (!v && nd->section != LS_SEC_MAIN) {
        nd->no_points = 1; /* a bonus/deduction item without a cap of its own */
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
static void set_single_tree(ls_testcase *C, ls_scheme *s, const ls_node *nd)
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
    /* nor the scheme's tie-break categories: units with equal scores tie */
    ls_group *groups = ls_arena_alloc(&C->arena, (s->ngroups ? s->ngroups : 1) * sizeof *groups);
    for (size_t g = 0; g < s->ngroups; g++) {
        groups[g] = s->groups[g];
        groups[g].tie_break = NULL;
        groups[g].ntie_break = 0;
    }
    s->groups = groups;
}

/* Names a schemeless case declares: its units' groups and flags, and the
 * indicators of its values, with types read off the values. */
typedef struct decl {
    ls_strlist groups, flags;
    ls_strlist inds;
    ls_vtype *types;
    size_t captypes;
} decl;

static void decl_name(ls_strlist *v, const ls_ynode *n)
{
    if (n && n->kind == LS_YSCALAR && !ls_ynode_is_null(n) && !ls_strlist_has(v, n->str))
        ls_strlist_add(v, n->str, strlen(n->str));
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
        if (ls_strlist_has(&d->inds, k->str)) continue;
        LS_GROW(d->types, d->inds.n, d->captypes, 16);
        d->types[d->inds.n] = infer_type(ls_ymap_val(m, i));
        ls_strlist_add(&d->inds, k->str, strlen(k->str));
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
static ls_scheme *built_scheme(ls_testcase *C)
{
    ls_arena *a = &C->arena;
    decl d = {0};
    decl_unit(&d, C->unit_n);
    if (C->cohort_n && C->cohort_n->kind == LS_YSEQ)
        for (size_t i = 0; i < C->cohort_n->n; i++) decl_unit(&d, C->cohort_n->items[i]);
    decl_values(&d, C->data_n);
    decl_values(&d, C->F->defaults);
    if (!d.groups.n) ls_strlist_add(&d.groups, TEST_UNIT_ID, strlen(TEST_UNIT_ID));
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
    ls_strlist_cleanup(&d.groups);
    ls_strlist_cleanup(&d.flags);
    ls_strlist_cleanup(&d.inds);
    free(d.types);
    return s;
}

/* The scheme and backends of a single-item case, in C->s and C->b. */
static int single_scheme(ls_testcase *C)
{
    ls_testscheme *ts = C->F->ts;
    ls_scheme *s;
    if (ts) {
        s = ls_xmalloc(sizeof *s);
        view_init(s, ts->s);
        ls_strmap_init(&s->node_ix); /* the tree is the case's: never free the scheme's map */
        s->path = C->F->path;        /* params are positioned in the test file */
        C->own = LS_CASE_ITEM_VIEW;
    } else {
        size_t before = C->errs.nerrors;
        s = built_scheme(C);
        C->own = LS_CASE_BUILT;
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

static void own_scheme_free(ls_testcase *C)
{
    if (C->own == LS_CASE_FILE_SCHEME || !C->s) return;
    ls_backends_cleanup(&C->own_b);
    ls_strmap_cleanup(&C->s->unit_ix);
    ls_strmap_cleanup(&C->s->node_ix);
    if (C->own == LS_CASE_BUILT) ls_strmap_cleanup(&C->s->ind_ix);
    free(C->s);
    C->s = NULL;
}

/* ---- the units of a case ---------------------------------------------------------- */

static int find_flag(const ls_scheme *s, const char *name)
{
    for (size_t i = 0; i < s->nflags; i++)
        if (!strcmp(s->flags[i], name)) return (int)i;
    return -1;
}

void ls_testcase_list_groups(const ls_scheme *s, ls_buf *b)
{
    for (size_t i = 0; i < s->ngroups; i++) ls_buf_printf(b, "%s%s", i ? ", " : "", s->groups[i].id);
}

/* Room for n units. */
static void units_alloc(ls_testcase *C, size_t n)
{
    C->units = ls_xcalloc(n ? n : 1, sizeof *C->units);
    C->rows = ls_xcalloc(n ? n : 1, sizeof *C->rows);
    C->given = ls_xcalloc(n ? n : 1, sizeof *C->given);
}

/* A unit made up for the case from {id, name, group, flags} (in a cohort
 * also `data`), or from nothing (un == NULL). */
static int made_up_unit(ls_testcase *C, const ls_ynode *un, int in_cohort, ls_unit *u, const ls_ynode **given)
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
                                       : N_("'unit' ({group, flags}, or the id of a registry unit)")))
            return -1;
        if (ls_yr_check_keys(&r, un, in_cohort ? many : one, in_cohort ? "a unit of the cohort" : N_("'unit'")))
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
                ls_testcase_list_groups(s, &b);
                rc = ls_yr_error(&r, v, "unknown group '%s' (the scheme's groups: %s)", g, b.p);
                ls_buf_cleanup(&b);
            }
        }
        if ((v = ls_ymap_get(un, "flags"))) {
            if (ls_yr_expect_seq(&r, v, "'flags'")) rc = -1;
            for (size_t i = 0; v->kind == LS_YSEQ && i < v->n; i++) {
                const char *f;
                if (ls_yr_text(&r, v->items[i], "flags", &f)) {
                    rc = -1;
                    continue;
                }
                int k = find_flag(s, f);
                if (k >= 0) {
                    u->flags |= 1ULL << k;
                    continue;
                }
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
            ls_testcase_list_groups(s, &b);
            rc = ls_yr_error(&r, at, "the scheme has several groups (%s): give the unit's 'group'", b.p);
            ls_buf_cleanup(&b);
        }
    }
    return rc;
}

/* Index of registry unit `id` of the file's scheme, or -1 with an error. */
static int registry_unit(ls_testcase *C, const ls_ynode *n)
{
    ls_yr r = {C->F->path, &C->errs};
    const char *id;
    if (ls_yr_text(&r, n, "unit", &id)) return -1;
    if (!C->F->ts)
        return ls_yr_error(&r, n, "unit '%s' of a registry: this file names no scheme (give 'scheme:' at the "
                                  "top), or make a unit up with {group: ..., flags: [...]}",
                           id);
    const ls_scheme *s = C->F->ts->s;
    int u = ls_scheme_find_unit(s, id);
    if (u >= 0) return u;
    /* last year's id or name: the hint the data, appeals and self-score readers give */
    if (ls_scheme_former_unit_error(s, id, 0, &C->errs, C->F->path, n->line, n->col)) return -1;
    const char *best = NULL;
    size_t bestd = 3;
    for (size_t i = 0; i < s->nunits; i++) {
        size_t d = ls_edit_distance(id, s->units[i].id);
        if (d < bestd) {
            bestd = d;
            best = s->units[i].id;
        }
    }
    if (best) return ls_yr_error(&r, n, "unknown unit '%s' (did you mean '%s'?)", id, best);
    return ls_yr_error(&r, n, "unknown unit '%s': it is not in the scheme's registry (to make a unit up, "
                              "write {group: ..., flags: [...]})",
                       id);
}

/* Every unit of the registry, with their data files' rows. */
static void registry_units(ls_testcase *C)
{
    const ls_scheme *s = C->F->ts->s;
    units_alloc(C, s->nunits);
    C->nunits = s->nunits;
    for (size_t i = 0; i < s->nunits; i++) {
        C->units[i] = s->units[i];
        C->rows[i] = (int)i;
    }
}

static int case_units(ls_testcase *C)
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
                if (k < 0) {
                    rc = -1;
                    continue;
                }
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

/* ---- parsing a case --------------------------------------------------------------- */

int ls_testcase_parse(ls_testcase *C, size_t index)
{
    ls_testfile *F = C->F;
    ls_yr r = {F->path, &C->errs};
    const ls_ynode *n = C->n, *v;
    char unnamed[32];
    snprintf(unnamed, sizeof unnamed, _("(case %zu)"), index + 1);
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
    if (ls_expect_parse(C)) rc = -1;
    return rc;
}

/* ---- a case's life ---------------------------------------------------------------- */

void ls_testcase_init(ls_testcase *C, ls_testfile *F, const ls_ynode *cn)
{
    memset(C, 0, sizeof *C);
    C->F = F;
    C->R = F->R;
    C->n = cn;
    C->target = -1;
    C->tol = F->tol;
    ls_errors_init(&C->errs);
    ls_errors_init(&C->rerrs);
    ls_arena_init(&C->arena);
}

void ls_testcase_cleanup(ls_testcase *C)
{
    ls_run_free(C->r);
    ls_dataset_free(C->d);
    if (C->own != LS_CASE_FILE_SCHEME) own_scheme_free(C);
    else if (C->s) view_set_units(C->s, NULL, 0);
    free(C->units);
    free(C->rows);
    free(C->given);
    free(C->x);
    free(C->shown);
    ls_errors_cleanup(&C->errs);
    ls_errors_cleanup(&C->rerrs);
    ls_arena_cleanup(&C->arena);
}
