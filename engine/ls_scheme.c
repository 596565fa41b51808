/*
 * ls_scheme.c - loading and validating a scheme (see ls_scheme.h and
 * docs/scheme.md).
 *
 * The loader reports every error it can find, not only the first: each
 * section is read even when an earlier one failed, as long as what it
 * depends on (precision, groups, flags, indicators) could be read.
 */
#include "ls_scheme.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ls_i18n.h"
#include "ls_scope.h"
#include "ls_intable.h"
#include "ls_util.h"
#include "ls_yread.h"

typedef struct loader {
    ls_scheme *s;
    ls_yr r;
    ls_errors *err;
    int rc;
    size_t capnodes, capgroups, capunits, capinds;
    int bad_points;        /* some points unreadable: sums would mislead */
    const ls_scope *scope; /* directories besides the scheme's, or NULL */
} loader;

/* A file the scheme names must stay within its directory (or one the
 * user allowed): 0, or -1 with an error at node n. */
static int check_scope(loader *ld, const ls_ynode *n, const char *what, const char *rel)
{
    const char *why = ls_scope_refuses(ld->s->dir, rel, ld->scope);
    if (!why) return 0;
    return ls_yr_error(&ld->r, n,
                       "%s '%s' %s: a scheme names files inside its directory (%s); allow another "
                       "directory with --allow-dir DIR",
                       _(what), rel, _(why), ld->s->dir);
}

#define FAIL(x)                    \
    do {                           \
        if ((x) != 0) ld->rc = -1; \
    } while (0)

const char *ls_section_name(ls_section sec)
{
    static const char *const n[] = {N_("item"), N_("bonus item"), N_("deduction item"), N_("veto item")};
    return _(n[sec]);
}

/* ---- assessment ---------------------------------------------------- */

static void load_assessment(loader *ld, const ls_ynode *a)
{
    ls_scheme *s = ld->s;
    static const char *const keys[] = {"name", "year", "precision", "total", "limits",
                                       "self_overrate", NULL};
    s->digits = 2;
    s->total = 10000;
    if (!a) {
        ld->rc = ls_errorf(ld->err, s->path, 1, 1, "missing 'assessment' (name, year, precision, total)");
        return;
    }
    if (ls_yr_expect_map(&ld->r, a, "'assessment'")) {
        ld->rc = -1;
        return;
    }
    FAIL(ls_yr_check_keys(&ld->r, a, keys, "'assessment'"));
    const ls_ynode *n;
    if ((n = ls_yr_require(&ld->r, a, "name", "'assessment'"))) FAIL(ls_yr_text(&ld->r, n, "name", &s->name));
    else ld->rc = -1;
    long year = 0;
    if ((n = ls_yr_require(&ld->r, a, "year", "'assessment'"))) FAIL(ls_yr_int(&ld->r, n, "year", 1949, 2200, &year));
    else ld->rc = -1;
    s->year = (int)year;
    if ((n = ls_ymap_get(a, "precision"))) {
        static const char *const steps[] = {"1", "0.1", "0.01", "0.001", "0.0001", "0.00001", "0.000001"};
        int found = -1;
        if (n->kind == LS_YSCALAR)
            for (int i = 0; i <= LS_MAX_DIGITS; i++)
                if (!strcmp(n->str, steps[i])) found = i;
        if (found < 0) {
            char buf[96];
            ld->rc = ls_yr_error(&ld->r, n, "expected a precision of 1, 0.1, 0.01 ... 0.000001, found %s",
                                 ls_ynode_describe(n, buf, sizeof buf));
        } else {
            s->digits = found;
        }
    }
    s->total = 100 * ls_dec_scale(s->digits);
    if ((n = ls_ymap_get(a, "total"))) {
        FAIL(ls_yr_decimal(&ld->r, n, "total", s->digits, &s->total));
        if (s->total <= 0) ld->rc = ls_yr_error(&ld->r, n, "'total' must be positive, found %s", n->str);
    }
    if ((n = ls_ymap_get(a, "self_overrate"))) {
        FAIL(ls_yr_decimal(&ld->r, n, "self_overrate", s->digits, &s->self_overrate));
        if (s->self_overrate < 0)
            ld->rc = ls_yr_error(&ld->r, n, "'self_overrate' must not be negative, found %s", n->str);
    }
    if ((n = ls_ymap_get(a, "limits"))) {
        static const char *const lk[] = {"instructions", "memory_mb", NULL};
        if (ls_yr_expect_map(&ld->r, n, "'limits'")) {
            ld->rc = -1;
            return;
        }
        FAIL(ls_yr_check_keys(&ld->r, n, lk, "'limits'"));
        const ls_ynode *v;
        long x;
        if ((v = ls_ymap_get(n, "instructions")) && !ls_yr_int(&ld->r, v, "instructions", 1000, 1000000000L, &x))
            s->max_instructions = x;
        else if (v) ld->rc = -1;
        if ((v = ls_ymap_get(n, "memory_mb")) && !ls_yr_int(&ld->r, v, "memory_mb", 1, 4096, &x))
            s->max_memory = x << 20;
        else if (v) ld->rc = -1;
    }
}

/* ---- flags and groups ---------------------------------------------- */

static int find_flag(const ls_scheme *s, const char *name)
{
    for (size_t i = 0; i < s->nflags; i++)
        if (!strcmp(s->flags[i], name)) return (int)i;
    return -1;
}

static void load_flags(loader *ld, const ls_ynode *f)
{
    ls_scheme *s = ld->s;
    if (!f) return;
    if (ls_yr_expect_map(&ld->r, f, "'flags' (flag: description)")) {
        ld->rc = -1;
        return;
    }
    if (f->n > LS_MAX_FLAGS) {
        ld->rc = ls_yr_error(&ld->r, f, "at most %d flags are supported, found %zu", LS_MAX_FLAGS, f->n);
        return;
    }
    s->flags = ls_arena_alloc(&s->arena, (f->n + 1) * sizeof *s->flags);
    s->flag_names = ls_arena_alloc(&s->arena, (f->n + 1) * sizeof *s->flag_names);
    for (size_t i = 0; i < f->n; i++) {
        const char *id, *desc = "";
        if (ls_yr_ident(&ld->r, ls_ymap_key(f, i), "flag", &id)) {
            ld->rc = -1;
            continue;
        }
        const ls_ynode *v = ls_ymap_val(f, i);
        if (!ls_ynode_is_null(v) && ls_yr_text(&ld->r, v, id, &desc)) ld->rc = -1;
        s->flags[s->nflags] = id;
        s->flag_names[s->nflags++] = desc;
    }
}

static int flag_ref(loader *ld, const ls_ynode *n, const char *key)
{
    const char *name;
    if (ls_yr_text(&ld->r, n, key, &name)) return -2;
    int f = find_flag(ld->s, name);
    if (f < 0) {
        ls_yr_error(&ld->r, n, "unknown flag '%s' (declare it under 'flags:')", name);
        return -2;
    }
    return f;
}

static void load_bands(loader *ld, ls_group *g, const ls_ynode *list)
{
    ls_scheme *s = ld->s;
    if (ls_yr_expect_seq(&ld->r, list, "'grades' (a list of {grade, min})")) {
        ld->rc = -1;
        return;
    }
    if (list->n == 0) {
        ld->rc = ls_yr_error(&ld->r, list, "group '%s' has no grade bands", g->id);
        return;
    }
    g->bands = ls_arena_alloc(&s->arena, list->n * sizeof *g->bands);
    static const char *const keys[] = {"grade", "min", "max_share", NULL};
    for (size_t i = 0; i < list->n; i++) {
        const ls_ynode *b = list->items[i];
        if (ls_yr_expect_map(&ld->r, b, "a grade band")) {
            ld->rc = -1;
            continue;
        }
        FAIL(ls_yr_check_keys(&ld->r, b, keys, "a grade band"));
        ls_band *band = &g->bands[g->nbands];
        const ls_ynode *n;
        if (!(n = ls_yr_require(&ld->r, b, "grade", "a grade band")) || ls_yr_text(&ld->r, n, "grade", &band->name)) {
            ld->rc = -1;
            continue;
        }
        if (!(n = ls_yr_require(&ld->r, b, "min", "a grade band")) ||
            ls_yr_decimal(&ld->r, n, "min", s->digits, &band->min)) {
            ld->rc = -1;
            continue;
        }
        if ((n = ls_ymap_get(b, "max_share"))) {
            if (ls_yr_number(&ld->r, n, "max_share", &band->max_share)) ld->rc = -1;
            else if (band->max_share <= 0 || band->max_share > 1)
                ld->rc = ls_yr_error(&ld->r, n, "'max_share' must be a fraction in (0, 1], found %s", n->str);
        }
        for (size_t j = 0; j < g->nbands; j++)
            if (!strcmp(g->bands[j].name, band->name))
                ld->rc = ls_yr_error(&ld->r, b, "grade '%s' given twice in group '%s'", band->name, g->id);
        if (g->nbands > 0 && band->min >= g->bands[g->nbands - 1].min) {
            char a[32], c[32];
            ld->rc = ls_yr_error(&ld->r, ls_ymap_get(b, "min"),
                                 "grade bands must be listed highest first with strictly decreasing 'min': "
                                 "'%s' starts at %s, not below '%s' at %s",
                                 band->name, ls_dec_format_short(band->min, s->digits, a),
                                 g->bands[g->nbands - 1].name,
                                 ls_dec_format_short(g->bands[g->nbands - 1].min, s->digits, c));
        }
        g->nbands++;
    }
    if (g->nbands > 0 && g->nbands == list->n && g->bands[g->nbands - 1].min > 0) {
        char a[32];
        ld->rc = ls_yr_error(&ld->r, list->items[list->n - 1],
                             "grade bands leave a gap: the lowest band '%s' starts at %s, "
                             "so scores below it get no grade (the last band must start at 0)",
                             g->bands[g->nbands - 1].name,
                             ls_dec_format_short(g->bands[g->nbands - 1].min, s->digits, a));
    }
}

static void load_groups(loader *ld, const ls_ynode *gl)
{
    ls_scheme *s = ld->s;
    if (!gl) {
        ld->rc = ls_errorf(ld->err, s->path, 1, 1, "missing 'groups' (at least one group with its grade bands)");
        return;
    }
    if (ls_yr_expect_seq(&ld->r, gl, "'groups'")) {
        ld->rc = -1;
        return;
    }
    if (gl->n == 0) {
        ld->rc = ls_yr_error(&ld->r, gl, "'groups' is empty: give at least one group");
        return;
    }
    if (gl->n > LS_MAX_GROUPS) {
        ld->rc = ls_yr_error(&ld->r, gl, "at most %d groups are supported", LS_MAX_GROUPS);
        return;
    }
    s->groups = ls_arena_alloc(&s->arena, gl->n * sizeof *s->groups);
    static const char *const keys[] = {"id", "name", "grades", "veto_grade", "tie_break", NULL};
    for (size_t i = 0; i < gl->n; i++) {
        const ls_ynode *gn = gl->items[i];
        if (ls_yr_expect_map(&ld->r, gn, "a group")) {
            ld->rc = -1;
            continue;
        }
        FAIL(ls_yr_check_keys(&ld->r, gn, keys, "a group"));
        ls_group *g = &s->groups[s->ngroups];
        g->line = gn->line;
        g->col = gn->col;
        const ls_ynode *n;
        if (!(n = ls_yr_require(&ld->r, gn, "id", "a group")) || ls_yr_ident(&ld->r, n, "id", &g->id)) {
            ld->rc = -1;
            continue;
        }
        for (size_t j = 0; j < s->ngroups; j++)
            if (!strcmp(s->groups[j].id, g->id))
                ld->rc = ls_yr_error(&ld->r, n, "group id '%s' given twice (first at line %d)", g->id, s->groups[j].line);
        g->name = g->id;
        if ((n = ls_ymap_get(gn, "name"))) FAIL(ls_yr_text(&ld->r, n, "name", &g->name));
        if ((n = ls_yr_require(&ld->r, gn, "grades", "a group"))) load_bands(ld, g, n);
        else ld->rc = -1;
        g->veto_band = g->nbands ? (int)g->nbands - 1 : 0;
        if ((n = ls_ymap_get(gn, "veto_grade"))) {
            const char *vg;
            if (!ls_yr_text(&ld->r, n, "veto_grade", &vg)) {
                int found = -1;
                for (size_t j = 0; j < g->nbands; j++)
                    if (!strcmp(g->bands[j].name, vg)) found = (int)j;
                if (found < 0) ld->rc = ls_yr_error(&ld->r, n, "veto_grade '%s' is not one of the group's grades", vg);
                else g->veto_band = found;
            } else ld->rc = -1;
        }
        s->ngroups++;
    }
}

/* ---- indicators ------------------------------------------------------ */

/* `lint: {ignore: REASON}` -> *reason.  A bare `lint: ignore` is refused:
 * the reason is what tells next year's author why the warning is not wanted. */
static int lint_ignore(loader *ld, const ls_ynode *n, const char **reason)
{
    static const char *const keys[] = {"ignore", NULL};
    if (n->kind == LS_YSCALAR && !strcmp(n->str, "ignore"))
        return ls_yr_error(&ld->r, n, "'lint: ignore' needs a reason: write lint: {ignore: REASON}, "
                                      "e.g. {ignore: 仅作统计，不计分}");
    if (ls_yr_expect_map(&ld->r, n, "'lint'")) return -1;
    if (ls_yr_check_keys(&ld->r, n, keys, "'lint'")) return -1;
    const ls_ynode *v = ls_yr_require(&ld->r, n, "ignore", "'lint'");
    if (!v || ls_yr_text(&ld->r, v, "ignore", reason)) return -1;
    if (!**reason) return ls_yr_error(&ld->r, v, "'ignore' needs a reason (why the warnings are not wanted)");
    return 0;
}

/* `labels: {code: 显示名}` of an enum indicator: every key one of its
 * values.  Codes may repeat across indicators with other labels ("none":
 * 无 here, 未确定 there). */
static void load_labels(loader *ld, ls_indicator *ind, const ls_ynode *n, const char *tname)
{
    ls_scheme *s = ld->s;
    if (ind->spec.type != LS_T_ENUM) {
        ld->rc = ls_yr_error(&ld->r, n, "'labels' applies to enum indicators only, not to type %s", tname);
        return;
    }
    if (ls_yr_expect_map(&ld->r, n, "'labels'")) {
        ld->rc = -1;
        return;
    }
    if (!ind->spec.nchoices) return; /* 'values' is wrong: reported */
    ind->labels = ls_arena_alloc(&s->arena, ind->spec.nchoices * sizeof *ind->labels);
    memset(ind->labels, 0, ind->spec.nchoices * sizeof *ind->labels);
    int me = (int)(ind - s->inds);
    for (size_t i = 0; i < n->n; i++) {
        const ls_ynode *k = ls_ymap_key(n, i), *v = ls_ymap_val(n, i);
        const char *label;
        if (ls_yr_text(&ld->r, v, "labels", &label)) {
            ld->rc = -1;
            continue;
        }
        size_t j;
        for (j = 0; j < ind->spec.nchoices && strcmp(ind->spec.choices[j], k->str); j++)
            ;
        if (j == ind->spec.nchoices) {
            ld->rc = ls_yr_error(&ld->r, k, "'labels': '%s' is not one of the values of '%s'", k->str, ind->id);
            continue;
        }
        ind->labels[j] = label;
        ls_strmap_put(&s->label_ix, ind->spec.choices[j], me, NULL);
    }
}

/* A data column is headed by an indicator's id or its name, so no two
 * indicators may share a spelling: the id and name of the indicator being
 * read (at index s->ninds; its id already in ind_ix) against the ids and
 * names of the earlier ones.  An error at the later one names the first. */
static void check_spelling(loader *ld, ls_strmap *names, const ls_ynode *id_node,
                           const ls_ynode *name_node)
{
    ls_scheme *s = ld->s;
    const ls_indicator *ind = &s->inds[s->ninds];
    int other = ls_strmap_get(names, ind->id);
    if (other >= 0) {
        ld->rc = ls_yr_error(&ld->r, id_node, "indicator id '%s' is the name of indicator '%s' (line %d): "
                                              "a data column headed '%s' could mean either; give each indicator its own name",
                             ind->id, s->inds[other].id, s->inds[other].line, ind->id);
        return;
    }
    if (ind->name == ind->id) {
        ls_strmap_put(names, ind->name, (int)s->ninds, NULL);
        return;
    }
    other = ls_strmap_get(&s->ind_ix, ind->name);
    if (other >= 0 && other != (int)s->ninds) {
        ld->rc = ls_yr_error(&ld->r, name_node, "indicator name '%s' is the id of indicator '%s' (line %d): "
                                                "a data column headed '%s' could mean either; give each indicator its own name",
                             ind->name, s->inds[other].id, s->inds[other].line, ind->name);
        return;
    }
    if (ls_strmap_put(names, ind->name, (int)s->ninds, &other))
        ld->rc = ls_yr_error(&ld->r, name_node, "indicator name '%s' is also the name of indicator '%s' (line %d): "
                                                "a data column headed '%s' could mean either; give each indicator its own name",
                             ind->name, s->inds[other].id, s->inds[other].line, ind->name);
}

static void load_indicators(loader *ld, const ls_ynode *il)
{
    ls_scheme *s = ld->s;
    if (!il) return;
    if (ls_yr_expect_seq(&ld->r, il, "'indicators'")) {
        ld->rc = -1;
        return;
    }
    s->inds = ls_xcalloc(il->n, sizeof *s->inds);
    static const char *const keys[] = {"id", "name", "type", "unit", "min", "max", "default",
                                       "required", "values", "labels", "description", "lint",
                                       "source", NULL};
    ls_strmap names; /* indicator name -> index */
    ls_strmap_init(&names);
    for (size_t i = 0; i < il->n; i++) {
        const ls_ynode *in = il->items[i];
        if (ls_yr_expect_map(&ld->r, in, "an indicator")) {
            ld->rc = -1;
            continue;
        }
        FAIL(ls_yr_check_keys(&ld->r, in, keys, "an indicator"));
        ls_indicator *ind = &s->inds[s->ninds];
        memset(ind, 0, sizeof *ind);
        ind->line = in->line;
        ind->col = in->col;
        ind->unit = ind->description = "";
        const ls_ynode *n;
        if (!(n = ls_yr_require(&ld->r, in, "id", "an indicator")) || ls_yr_ident(&ld->r, n, "id", &ind->id)) {
            ld->rc = -1;
            continue;
        }
        int old;
        if (ls_strmap_put(&s->ind_ix, ind->id, (int)s->ninds, &old)) {
            ld->rc = ls_yr_error(&ld->r, n, "indicator id '%s' given twice (first at line %d)", ind->id, s->inds[old].line);
            continue;
        }
        ind->name = ind->id;
        const ls_ynode *id_node = n;
        if ((n = ls_ymap_get(in, "name"))) FAIL(ls_yr_text(&ld->r, n, "name", &ind->name));
        check_spelling(ld, &names, id_node, n);
        if ((n = ls_ymap_get(in, "unit"))) FAIL(ls_yr_text(&ld->r, n, "unit", &ind->unit));
        if ((n = ls_ymap_get(in, "description"))) FAIL(ls_yr_text(&ld->r, n, "description", &ind->description));
        if ((n = ls_ymap_get(in, "source"))) {
            /* the data-collection workbook has a sheet per source */
            if (ls_yr_text(&ld->r, n, "source", &ind->source)) ld->rc = -1;
            else if (!ind->source[0] || strpbrk(ind->source, "[]:*?/\\") || ls_utf8_count(ind->source, strlen(ind->source)) > 31)
                ld->rc = ls_yr_error(&ld->r, n, "a source names a sheet of the data-collection workbook: at most 31 "
                                                "characters, none of [ ] : * ? / \\");
        }
        const char *tname;
        if (!(n = ls_yr_require(&ld->r, in, "type", "an indicator")) || ls_yr_text(&ld->r, n, "type", &tname)) {
            ld->rc = -1;
            s->ninds++;
            continue;
        }
        if (ls_vtype_parse(tname, &ind->spec.type)) {
            ld->rc = ls_yr_error(&ld->r, n, "unknown type '%s' (expected integer, number, percent, boolean, enum or text)", tname);
            s->ninds++;
            continue;
        }
        int numeric = ind->spec.type <= LS_T_PERCENT;
        const ls_ynode *mn = ls_ymap_get(in, "min"), *mx = ls_ymap_get(in, "max");
        if ((mn || mx) && !numeric)
            ld->rc = ls_yr_error(&ld->r, mn ? mn : mx, "'min'/'max' apply to numeric indicators only, not to type %s", tname);
        else {
            if (mn) {
                if (ls_yr_number(&ld->r, mn, "min", &ind->spec.min)) ld->rc = -1;
                else ind->spec.has_min = 1;
            }
            if (mx) {
                if (ls_yr_number(&ld->r, mx, "max", &ind->spec.max)) ld->rc = -1;
                else ind->spec.has_max = 1;
            }
            if (ind->spec.has_min && ind->spec.has_max && ind->spec.min > ind->spec.max)
                ld->rc = ls_yr_error(&ld->r, mx, "'max' %s is below 'min' %s", mx->str, mn->str);
        }
        const ls_ynode *vals = ls_ymap_get(in, "values");
        if (ind->spec.type == LS_T_ENUM) {
            if (!vals) ld->rc = ls_yr_error(&ld->r, in, "enum indicator '%s' needs 'values' (the list of choices)", ind->id);
            else if (ls_yr_expect_seq(&ld->r, vals, "'values'")) ld->rc = -1;
            else if (vals->n == 0) ld->rc = ls_yr_error(&ld->r, vals, "'values' is empty");
            else {
                const char **ch = ls_arena_alloc(&s->arena, vals->n * sizeof *ch);
                for (size_t j = 0; j < vals->n; j++) {
                    if (ls_yr_text(&ld->r, vals->items[j], "values", &ch[j])) {
                        ld->rc = -1;
                        ch[j] = "";
                    }
                    for (size_t k = 0; k < j; k++)
                        if (!strcmp(ch[k], ch[j])) ld->rc = ls_yr_error(&ld->r, vals->items[j], "choice '%s' given twice", ch[j]);
                }
                ind->spec.choices = ch;
                ind->spec.nchoices = vals->n;
            }
        } else if (vals) {
            ld->rc = ls_yr_error(&ld->r, vals, "'values' applies to enum indicators only, not to type %s", tname);
        }
        if ((n = ls_ymap_get(in, "labels"))) load_labels(ld, ind, n, tname);
        if ((n = ls_ymap_get(in, "lint"))) FAIL(lint_ignore(ld, n, &ind->lint_ignore));
        if ((n = ls_ymap_get(in, "required"))) FAIL(ls_yr_bool(&ld->r, n, "required", &ind->required));
        if ((n = ls_ymap_get(in, "default"))) {
            char msg[256];
            if (ind->required)
                ld->rc = ls_yr_error(&ld->r, n, "indicator '%s' is required and has a default: give one or the other", ind->id);
            else if (n->kind != LS_YSCALAR || ls_ynode_is_null(n))
                ld->rc = ls_yr_error(&ld->r, n, "'default' must be a single value");
            else if (ls_value_parse(&ind->spec, n->str, n->plain, &ind->def, msg, sizeof msg))
                ld->rc = ls_yr_error(&ld->r, n, "bad default for '%s': %s", ind->id, msg);
        }
        s->ninds++;
    }
    ls_strmap_cleanup(&names);
}

/* ---- units ------------------------------------------------------------- */

static ls_unit *new_unit(loader *ld)
{
    ls_scheme *s = ld->s;
    LS_GROW(s->units, s->nunits, ld->capunits, 64);
    ls_unit *u = &s->units[s->nunits];
    memset(u, 0, sizeof *u);
    return u;
}

static void add_unit(loader *ld, ls_unit *u, const char *path, int line, int col)
{
    ls_scheme *s = ld->s;
    int old;
    u->path = path;
    u->line = line;
    u->col = col;
    if (ls_strmap_put(&s->unit_ix, u->id, (int)s->nunits, &old)) {
        ld->rc = ls_errorf(ld->err, path, line, col, "unit id '%s' given twice (first at %s:%d)",
                           u->id, s->units[old].path, s->units[old].line);
        return;
    }
    s->nunits++;
}

static int group_ref(loader *ld, const char *name, const char *path, int line, int col)
{
    int g = ls_scheme_find_group(ld->s, name);
    if (g < 0) {
        ls_buf b;
        ls_buf_init(&b);
        for (size_t i = 0; i < ld->s->ngroups; i++)
            ls_buf_printf(&b, "%s%s", i ? ", " : "", ld->s->groups[i].id);
        char ex[96];
        ls_errorf(ld->err, path, line, col, "unknown group '%s' (the scheme's groups: %s)",
                  ls_excerpt(name, 60, ex, sizeof ex), b.p);
        ls_buf_cleanup(&b);
    }
    return g;
}

static void load_units_yaml(loader *ld, ls_yr *r, const ls_ynode *ul)
{
    ls_scheme *s = ld->s;
    if (ls_yr_expect_seq(r, ul, "'units' (a list of {id, name, group, flags})")) {
        ld->rc = -1;
        return;
    }
    static const char *const keys[] = {"id", "name", "group", "flags", "formerly", "former_names", NULL};
    for (size_t i = 0; i < ul->n; i++) {
        const ls_ynode *un = ul->items[i];
        if (ls_yr_expect_map(r, un, "a unit")) {
            ld->rc = -1;
            continue;
        }
        if (ls_yr_check_keys(r, un, keys, "a unit")) ld->rc = -1;
        ls_unit *u = new_unit(ld);
        const ls_ynode *n;
        if (!(n = ls_yr_require(r, un, "id", "a unit")) || ls_yr_ident(r, n, "id", &u->id)) {
            ld->rc = -1;
            continue;
        }
        u->name = u->id;
        if ((n = ls_ymap_get(un, "name")) && ls_yr_text(r, n, "name", &u->name)) ld->rc = -1;
        const char *gname;
        if (!(n = ls_yr_require(r, un, "group", "a unit")) || ls_yr_text(r, n, "group", &gname)) {
            ld->rc = -1;
            continue;
        }
        if ((u->group = group_ref(ld, gname, r->path, n->line, n->col)) < 0) {
            ld->rc = -1;
            continue;
        }
        if ((n = ls_ymap_get(un, "flags"))) {
            if (ls_yr_expect_seq(r, n, "'flags'")) {
                ld->rc = -1;
                continue;
            }
            for (size_t j = 0; j < n->n; j++) {
                const char *fname;
                if (ls_yr_text(r, n->items[j], "flags", &fname)) {
                    ld->rc = -1;
                    continue;
                }
                int f = find_flag(s, fname);
                if (f < 0) ld->rc = ls_yr_error(r, n->items[j], "unknown flag '%s' (declare it under 'flags:')", fname);
                else u->flags |= 1ULL << f;
            }
        }
        /* formerly: the id (or ids, after a merger) the unit had in earlier
         * years, for year-over-year comparisons */
        if ((n = ls_ymap_get(un, "formerly"))) {
            const ls_ynode *one[1] = {n};
            const ls_ynode *const *ids = n->kind == LS_YSEQ ? (const ls_ynode *const *)n->items : one;
            size_t nids = n->kind == LS_YSEQ ? n->n : 1;
            u->formerly = ls_arena_alloc(&s->arena, (nids ? nids : 1) * sizeof *u->formerly);
            for (size_t j = 0; j < nids; j++)
                if (ls_yr_ident(r, ids[j], "formerly", &u->formerly[u->nformerly])) ld->rc = -1;
                else u->nformerly++;
        }
        /* former_names: the name (or names) it had, so a row that still
         * gives last year's name (区安监局 for 区应急管理局) is recognised */
        if ((n = ls_ymap_get(un, "former_names"))) {
            const ls_ynode *one[1] = {n};
            const ls_ynode *const *names = n->kind == LS_YSEQ ? (const ls_ynode *const *)n->items : one;
            size_t nnames = n->kind == LS_YSEQ ? n->n : 1;
            u->former_names = ls_arena_alloc(&s->arena, (nnames ? nnames : 1) * sizeof *u->former_names);
            for (size_t j = 0; j < nnames; j++) {
                const char *t;
                if (ls_yr_text(r, names[j], "former_names", &t)) ld->rc = -1;
                else if (u->name && !strcmp(t, u->name))
                    ld->rc = ls_yr_error(r, names[j],
                                         "former name '%s' is the name of unit '%s' this year: 'former_names:' "
                                         "lists the names it had before",
                                         t, u->id ? u->id : "");
                else u->former_names[u->nformer_names++] = t;
            }
        }
        add_unit(ld, u, r->path, un->line, un->col);
    }
}

/* The length of the list separator p starts with, 0 if none: ; , | and
 * the full-width ；，、｜; with `spaces` also space, tab and the
 * ideographic space (flags; not names, which may hold spaces).  A test of
 * the first byte first: a province's units file has a flags cell a row. */
static size_t list_sep(const char *p, int spaces)
{
    static const char *const wide[] = {"；", "，", "、", "｜", "　"};
    unsigned char c = (unsigned char)*p;
    if (c == ';' || c == ',' || c == '|' || (spaces && (c == ' ' || c == '\t'))) return 1;
    if (c != 0xE3 && c != 0xEF) return 0; /* the lead bytes of the wide ones */
    for (size_t k = 0; k < sizeof wide / sizeof *wide - !spaces; k++)
        if (!strncmp(p, wide[k], 3)) return 3;
    return 0;
}

static size_t flag_sep(const char *p)
{
    return list_sep(p, 1);
}

int ls_scheme_parse_flags(const ls_scheme *s, const char *text, uint64_t *out, char *bad, size_t badsize)
{
    *out = 0;
    const char *p = text;
    while (*p) {
        size_t skip = flag_sep(p);
        if (skip) {
            p += skip;
            continue;
        }
        const char *q = p;
        while (*q && !flag_sep(q)) q++;
        size_t len = (size_t)(q - p);
        int f = -1;
        for (size_t i = 0; i < s->nflags && f < 0; i++)
            if ((strlen(s->flags[i]) == len && !strncmp(s->flags[i], p, len)) ||
                (s->flag_names[i][0] && strlen(s->flag_names[i]) == len && !strncmp(s->flag_names[i], p, len)))
                f = (int)i;
        if (f < 0) {
            snprintf(bad, badsize, "%.*s", (int)len, p);
            ls_utf8_fix_tail(bad);
            return -1;
        }
        *out |= 1ULL << f;
        p = q;
    }
    return 0;
}

int ls_scheme_find_group_any(const ls_scheme *s, const char *text)
{
    int g = ls_scheme_find_group(s, text);
    for (size_t i = 0; g < 0 && i < s->ngroups; i++)
        if (s->groups[i].name && !strcmp(s->groups[i].name, text)) g = (int)i;
    return g;
}

/* Is column header c the unit id / name / group / flags column?  The same
 * words are used by indicator data tables (ls_data.c). */
static int units_table_matches(const ls_intable *t)
{
    if (t->nrows == 0) return 0;
    int id = 0, group = 0;
    for (size_t j = 0; j < t->rows[0].n; j++) {
        const char *c = t->rows[0].f[j].text;
        id |= !strcmp(c, "id") || !strcmp(c, "单位编号") || !strcmp(c, "单位代码") || !strcmp(c, "unit");
        group |= !strcmp(c, "group") || !strcmp(c, "分组");
    }
    return id && group;
}

/* The items of a list cell ("区工商局、区质监局"), split at ; , | 、 and
 * their full-width forms, trimmed of spaces, into the scheme's arena:
 * *out (NULL when the cell is empty) and their number. */
static size_t split_cell(ls_scheme *s, const char *text, const char ***out)
{
    size_t n = 0, cap = 0;
    const char **v = NULL;
    const char *p = text;
    while (*p) {
        const char *q = p;
        while (*q && !list_sep(q, 0)) q++;
        size_t skip = *q ? list_sep(q, 0) : 0;
        const char *a = p, *b = q;
        while (a < b && (*a == ' ' || *a == '\t')) a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t')) b--;
        if (b > a) {
            if (n == cap) {
                const char **nv = ls_arena_alloc(&s->arena, (cap = cap ? 2 * cap : 2) * sizeof *nv);
                if (n) memcpy(nv, v, n * sizeof *v);
                v = nv;
            }
            char *item = ls_arena_alloc(&s->arena, (size_t)(b - a) + 1);
            memcpy(item, a, (size_t)(b - a));
            item[b - a] = '\0';
            v[n++] = item;
        }
        p = q + skip;
    }
    *out = v;
    return n;
}

/* A unit id of a units table is non-empty, without spaces, commas,
 * quotes or slashes (former: one of its former ids): 0, or -1 with an
 * error at cell c. */
static int check_table_id(loader *ld, const char *path, const ls_incell *c, const char *id, int former)
{
    if (id[0] && !strpbrk(id, " \t,\"'/\n")) return 0;
    char ex[96];
    ls_excerpt(id, 60, ex, sizeof ex);
    if (former)
        return ld->rc = ls_errorf(ld->err, path, c->line, c->col,
                                  "a former unit id must be without spaces, quotes or slashes (several are "
                                  "separated by ';' or '、'), found '%s'",
                                  ex);
    return ld->rc = ls_errorf(ld->err, path, c->line, c->col,
                              "a unit id must be non-empty, without spaces, commas, quotes or slashes, "
                              "found '%s'",
                              ex);
}

/* The former ids (column cid) and names (column cnm) of the unit u of
 * row `row` (each column may be absent: -1), as `formerly:` and
 * `former_names:` of a YAML registry. */
static void table_former(loader *ld, const char *path, const ls_inrow *row, int cid, int cnm, ls_unit *u)
{
    ls_scheme *s = ld->s;
    if (cid >= 0) {
        u->nformerly = split_cell(s, row->f[cid].text, &u->formerly);
        for (size_t j = 0; j < u->nformerly; j++)
            check_table_id(ld, path, &row->f[cid], u->formerly[j], 1);
    }
    if (cnm < 0) return;
    const char **names;
    size_t n = split_cell(s, row->f[cnm].text, &names);
    u->former_names = names;
    u->nformer_names = 0;
    for (size_t j = 0; j < n; j++)
        if (!strcmp(names[j], u->name))
            ld->rc = ls_errorf(ld->err, path, row->f[cnm].line, row->f[cnm].col,
                               "former name '%s' is the name of unit '%s' this year: the former names "
                               "column lists the names it had before",
                               names[j], u->id);
        else names[u->nformer_names++] = names[j];
}

static void load_units_table(loader *ld, const ls_intable *t)
{
    ls_scheme *s = ld->s;
    const char *path = t->path;
    const ls_inrow *h = &t->rows[0];
    int ci = -1, cn = -1, cg = -1, cf = -1, cfi = -1, cfn = -1;
    for (size_t j = 0; j < h->n; j++) {
        const char *c = h->f[j].text;
        if (!strcmp(c, "id") || !strcmp(c, "单位编号") || !strcmp(c, "单位代码") || !strcmp(c, "unit")) ci = (int)j;
        else if (!strcmp(c, "name") || !strcmp(c, "单位名称") || !strcmp(c, "单位")) cn = (int)j;
        else if (!strcmp(c, "group") || !strcmp(c, "分组")) cg = (int)j;
        else if (!strcmp(c, "flags") || !strcmp(c, "标记")) cf = (int)j;
        else if (!strcmp(c, "formerly") || !strcmp(c, "原单位编号") || !strcmp(c, "曾用编号")) cfi = (int)j;
        else if (!strcmp(c, "former_names") || !strcmp(c, "曾用名") || !strcmp(c, "原单位名称")) cfn = (int)j;
        else if (ls_scheme_find_indicator(s, c) >= 0) continue; /* the data in the same table */
        else {
            int ind = -1;
            for (size_t k = 0; k < s->ninds && ind < 0; k++)
                if (!strcmp(s->inds[k].name, c)) ind = (int)k;
            if (ind < 0)
                ld->rc = ls_errorf(ld->err, path, h->f[j].line, h->f[j].col,
                                   "unknown column '%s' in a units file (expected id, name, group, flags, "
                                   "formerly, former_names, or an indicator of the scheme)",
                                   c);
        }
    }
    if (ci < 0 || cg < 0) {
        ld->rc = ls_errorf(ld->err, path, h->f[0].line, h->f[0].col,
                           "a units file needs the columns 'id' and 'group'");
        return;
    }
    const char *upath = ls_arena_strdup(&s->arena, path);
    for (size_t i = 1; i < t->nrows; i++) {
        const ls_inrow *row = &t->rows[i];
        ls_unit *u = new_unit(ld);
        u->id = ls_arena_strdup(&s->arena, row->f[ci].text);
        u->name = cn >= 0 && row->f[cn].text[0] ? ls_arena_strdup(&s->arena, row->f[cn].text) : u->id;
        if (check_table_id(ld, path, &row->f[ci], u->id, 0)) continue;
        const ls_incell *gc = &row->f[cg];
        if ((u->group = ls_scheme_find_group_any(s, gc->text)) < 0) {
            group_ref(ld, gc->text, path, gc->line, gc->col);
            ld->rc = -1;
            continue;
        }
        if (cf >= 0) {
            char bad[128];
            if (ls_scheme_parse_flags(s, row->f[cf].text, &u->flags, bad, sizeof bad))
                ld->rc = ls_errorf(ld->err, path, row->f[cf].line, row->f[cf].col,
                                   "unknown flag '%s' (declare it under 'flags:'; separate flags with ';')", bad);
        }
        table_former(ld, path, row, cfi, cfn, u);
        add_unit(ld, u, upath, row->f[ci].line, row->f[ci].col);
    }
}

static void load_units_file(loader *ld, const char *path)
{
    ls_inbook b;
    if (ls_inbook_load(&b, path, ld->err)) {
        ld->rc = -1;
        ls_inbook_cleanup(&b);
        return;
    }
    size_t used = 0;
    for (size_t k = 0; k < b.ntabs; k++) {
        if (b.tabs[k].nrows == 0) continue;
        if (!units_table_matches(&b.tabs[k]) && (b.ntabs > 1 || b.only)) continue;
        used++;
        if (ls_intable_check(&b.tabs[k], ld->err)) {
            ld->rc = -1;
            continue;
        }
        load_units_table(ld, &b.tabs[k]);
    }
    if (!used)
        ld->rc = ls_errorf(ld->err, path, 0, 0, b.ntabs > 1 ? "no sheet has a units header (columns 'id' or 单位编号, and 'group' or 分组)" : "no units: the table is empty");
    ls_inbook_cleanup(&b);
}

static void load_units(loader *ld, const ls_ynode *un)
{
    ls_scheme *s = ld->s;
    if (!un) {
        ld->rc = ls_errorf(ld->err, s->path, 1, 1, "missing 'units' (a list, or the name of a units file)");
        return;
    }
    if (s->ngroups == 0) return; /* groups failed: units cannot be checked */
    if (un->kind == LS_YSEQ) {
        load_units_yaml(ld, &ld->r, un);
        return;
    }
    const char *rel;
    if (ls_yr_text(&ld->r, un, "units", &rel)) {
        ld->rc = -1;
        return;
    }
    if (check_scope(ld, un, N_("units file"), rel)) {
        ld->rc = -1;
        return;
    }
    char *path = ls_path_join(s->dir, rel);
    size_t len = strlen(path);
    (void)len;
    if (ls_intable_is_table(path)) {
        load_units_file(ld, path);
    } else if (access(path, R_OK) != 0) {
        ld->rc = ls_yr_error(&ld->r, un, "units file '%s' not found (looked for %s)", rel, path);
    } else if (ls_yaml_load((s->units_doc = ls_xcalloc(1, sizeof *s->units_doc)), path, ld->err)) {
        ld->rc = -1;
    } else {
        ls_yr r = {s->units_doc->path, ld->err};
        const ls_ynode *root = s->units_doc->root;
        if (root->kind == LS_YMAP) {
            static const char *const keys[] = {"units", NULL};
            if (ls_yr_check_keys(&r, root, keys, "a units file")) ld->rc = -1;
            root = ls_ymap_get(root, "units");
            if (!root) {
                ld->rc = ls_yr_error(&r, s->units_doc->root, "missing 'units' in a units file");
                root = NULL;
            }
        }
        if (root) load_units_yaml(ld, &r, root);
    }
    free(path);
    if (s->nunits == 0 && ld->rc == 0)
        ld->rc = ls_yr_error(&ld->r, un, "no units: the registry is empty");
}

/* ---- the item tree ------------------------------------------------------ */

static int new_node(loader *ld)
{
    ls_scheme *s = ld->s;
    LS_GROW(s->nodes, s->nnodes, ld->capnodes, 64);
    ls_node *n = &s->nodes[s->nnodes];
    memset(n, 0, sizeof *n);
    n->parent = -1;
    return (int)s->nnodes++;
}

int ls_ruleref_read(ls_ruleref *rr, const ls_ynode *rn, const ls_ynode *params, const char *dir,
                    ls_arena *arena, ls_yr *r)
{
    rr->line = rn->line;
    rr->col = rn->col;
    const char *lua = NULL;
    if (rn->kind == LS_YSCALAR && !ls_ynode_is_null(rn)) {
        lua = rn->str;
    } else if (rn->kind == LS_YMAP) {
        static const char *const keys[] = {"lua", "plugin", "function", NULL};
        if (ls_yr_check_keys(r, rn, keys, "'rule'")) return -1;
        const ls_ynode *l = ls_ymap_get(rn, "lua"), *p = ls_ymap_get(rn, "plugin"),
                       *f = ls_ymap_get(rn, "function");
        if (l && (p || f))
            return ls_yr_error(r, rn, "a rule is either {lua: FILE} or {plugin: NAME, function: F}, not both");
        if (l) {
            if (ls_yr_text(r, l, "lua", &lua)) return -1;
        } else {
            if (!p || !f) return ls_yr_error(r, rn, "a plugin rule needs both 'plugin' and 'function'");
            if (ls_yr_ident(r, p, "plugin", &rr->plugin) || ls_yr_ident(r, f, "function", &rr->function))
                return -1;
            rr->kind = LS_RULE_PLUGIN;
        }
    } else {
        char buf[96];
        return ls_yr_error(r, rn, "expected a Lua file name or {plugin: NAME, function: F} for 'rule', found %s",
                           ls_ynode_describe(rn, buf, sizeof buf));
    }
    int rc = 0;
    if (lua) {
        rr->kind = LS_RULE_LUA;
        rr->text = lua;
        char *path = ls_path_join(dir, lua);
        rr->path = ls_arena_strdup(arena, path);
        free(path);
        if (access(rr->path, R_OK) != 0)
            rc = ls_yr_error(r, rn, "rule file '%s' not found (looked for %s)", lua, rr->path);
    }
    if (params) {
        if (ls_yr_expect_map(r, params, "'params'")) rc = -1;
        else rr->params = params;
    }
    return rc;
}

static int load_node(loader *ld, const ls_ynode *yn, int parent, int depth, ls_section sec,
                     const char *number);

static void load_children(loader *ld, int idx, const ls_ynode *list, int depth, ls_section sec,
                          const char *prefix)
{
    ls_scheme *s = ld->s;
    if (ls_yr_expect_seq(&ld->r, list, "'items'")) {
        ld->rc = -1;
        return;
    }
    int *kids = ls_arena_alloc(&s->arena, (list->n ? list->n : 1) * sizeof *kids);
    size_t nk = 0;
    for (size_t i = 0; i < list->n; i++) {
        char num[64];
        if (prefix) snprintf(num, sizeof num, "%s.%zu", prefix, i + 1);
        else snprintf(num, sizeof num, "%zu", i + 1);
        int k = load_node(ld, list->items[i], idx, depth, sec, num);
        if (k >= 0) kids[nk++] = k;
    }
    if (idx >= 0) {
        s->nodes[idx].children = kids;
        s->nodes[idx].nchildren = nk;
    } else if (sec == LS_SEC_MAIN) {
        s->roots = kids;
        s->nroots = nk;
    }
}

static int load_node(loader *ld, const ls_ynode *yn, int parent, int depth, ls_section sec,
                     const char *number)
{
    ls_scheme *s = ld->s;
    static const char *const keys[] = {"id", "name", "points", "criteria", "items", "rule", "params",
                                       "only_if", "unless", "groups", "lint", NULL};
    const char *what = sec == LS_SEC_MAIN ? (depth == 0 ? N_("a category") : N_("an item")) : ls_section_name(sec);
    if (ls_yr_expect_map(&ld->r, yn, what)) {
        ld->rc = -1;
        return -1;
    }
    FAIL(ls_yr_check_keys(&ld->r, yn, keys, what));
    if (depth >= 4) {
        ld->rc = ls_yr_error(&ld->r, yn, "items nest deeper than 4 levels");
        return -1;
    }
    int idx = new_node(ld);
    ls_node *node = &s->nodes[idx];
    node->section = sec;
    node->parent = parent;
    node->depth = depth;
    node->line = yn->line;
    node->col = yn->col;
    node->criteria = "";
    node->groups = parent >= 0 ? s->nodes[parent].groups : ~0ULL;
    node->need = parent >= 0 ? s->nodes[parent].need : 0;
    node->forbid = parent >= 0 ? s->nodes[parent].forbid : 0;
    static const char *const secpfx[] = {"", "加", "减", "否"};
    char *num = ls_format("%s%s", secpfx[sec], number);
    node->number = ls_arena_strdup(&s->arena, num);
    free(num);
    const ls_ynode *n;
    if ((n = ls_yr_require(&ld->r, yn, "id", what)) && !ls_yr_ident(&ld->r, n, "id", &node->id)) {
        int old;
        if (ls_strmap_put(&s->node_ix, node->id, idx, &old))
            ld->rc = ls_yr_error(&ld->r, n, "id '%s' given twice (first at line %d)", node->id, s->nodes[old].line);
    } else {
        ld->rc = -1;
        node->id = "?";
    }
    node = &s->nodes[idx];
    node->name = node->id;
    if ((n = ls_yr_require(&ld->r, yn, "name", what))) FAIL(ls_yr_text(&ld->r, n, "name", &node->name));
    else ld->rc = -1;
    if ((n = ls_ymap_get(yn, "criteria"))) FAIL(ls_yr_text(&ld->r, n, "criteria", &node->criteria));
    if ((n = ls_ymap_get(yn, "lint"))) FAIL(lint_ignore(ld, n, &s->nodes[idx].lint_ignore));
    node = &s->nodes[idx];
    if (sec == LS_SEC_VETO) {
        if ((n = ls_ymap_get(yn, "points"))) ld->rc = ls_yr_error(&ld->r, n, "veto items have no points");
    } else if (sec != LS_SEC_MAIN && !ls_ymap_get(yn, "points")) {
        node->no_points = 1; /* "每篇加2分" under the section's cap; "每起扣1分" uncapped */
    } else if ((n = ls_yr_require(&ld->r, yn, "points", what))) {
        if (ls_yr_decimal(&ld->r, n, "points", s->digits, &node->points)) ld->rc = ld->bad_points = -1;
        else if (node->points < 0)
            ld->rc = ld->bad_points = ls_yr_error(&ld->r, n, "'points' must not be negative, found %s", n->str);
    } else ld->rc = ld->bad_points = -1;
    if ((n = ls_ymap_get(yn, "only_if"))) {
        int f = flag_ref(ld, n, "only_if");
        if (f >= 0) node->need |= 1ULL << f;
        else ld->rc = -1;
    }
    if ((n = ls_ymap_get(yn, "unless"))) {
        int f = flag_ref(ld, n, "unless");
        if (f >= 0) node->forbid |= 1ULL << f;
        else ld->rc = -1;
    }
    if ((n = ls_ymap_get(yn, "groups"))) {
        if (ls_yr_expect_seq(&ld->r, n, "'groups'")) ld->rc = -1;
        else {
            uint64_t mask = 0;
            for (size_t i = 0; i < n->n; i++) {
                const char *g;
                if (ls_yr_text(&ld->r, n->items[i], "groups", &g)) {
                    ld->rc = -1;
                    continue;
                }
                int gi = ls_scheme_find_group(s, g);
                if (gi < 0) ld->rc = ls_yr_error(&ld->r, n->items[i], "unknown group '%s'", g);
                else mask |= 1ULL << gi;
            }
            node->groups &= mask;
        }
    }
    const ls_ynode *items = ls_ymap_get(yn, "items"), *rule = ls_ymap_get(yn, "rule"),
                   *params = ls_ymap_get(yn, "params");
    if (items && (rule || params)) {
        ld->rc = ls_yr_error(&ld->r, rule ? rule : params,
                             "'%s' has both 'items' and a rule: a node either groups items or scores one",
                             node->id);
    } else if (items) {
        if (sec != LS_SEC_MAIN) ld->rc = ls_yr_error(&ld->r, items, "%ss cannot have sub-items", what);
        else load_children(ld, idx, items, depth + 1, sec, number);
    } else if (rule) {
        /* The script's name is checked before it is read: the reader's
         * "not found" must not tell what exists outside. */
        const ls_ynode *lua = rule->kind == LS_YMAP ? ls_ymap_get(rule, "lua") : rule;
        if (lua && lua->kind == LS_YSCALAR && !ls_ynode_is_null(lua) &&
            check_scope(ld, lua, N_("rule file"), lua->str))
            ld->rc = -1;
        else
            FAIL(ls_ruleref_read(&s->nodes[idx].rule, rule, params, s->dir, &s->arena, &ld->r));
    } else {
        ld->rc = ls_yr_error(&ld->r, yn, "'%s' has neither 'items' nor a 'rule'", node->id);
    }
    if (params && !rule && !items) ld->rc = -1;
    return idx;
}

static void load_section(loader *ld, const ls_ynode *sn, ls_section sec)
{
    ls_scheme *s = ld->s;
    const char *key = sec == LS_SEC_BONUS ? "bonus" : "deductions";
    if (!sn) return;
    const ls_ynode *list = sn;
    if (sec != LS_SEC_VETO) {
        static const char *const bkeys[] = {"cap", "items", NULL};
        static const char *const dkeys[] = {"items", NULL};
        char what[32];
        snprintf(what, sizeof what, "'%s'", key);
        if (ls_yr_expect_map(&ld->r, sn, what)) {
            ld->rc = -1;
            return;
        }
        FAIL(ls_yr_check_keys(&ld->r, sn, sec == LS_SEC_BONUS ? bkeys : dkeys, what));
        const ls_ynode *cap = ls_ymap_get(sn, "cap");
        if (cap) FAIL(ls_yr_decimal(&ld->r, cap, "cap", s->digits, &s->bonus_cap));
        if (!(list = ls_yr_require(&ld->r, sn, "items", what))) {
            ld->rc = -1;
            return;
        }
    }
    if (ls_yr_expect_seq(&ld->r, list, ls_section_name(sec))) {
        ld->rc = -1;
        return;
    }
    for (size_t i = 0; i < list->n; i++) {
        char num[32];
        snprintf(num, sizeof num, "%zu", i + 1);
        load_node(ld, list->items[i], -1, 0, sec, num);
    }
}

/* Children's points add up to their parent, for every group that has any
 * of the children (groups may have their own item sets). */
static void check_sums(loader *ld, const int *kids, size_t nk, ls_fixed want, uint64_t groups,
                       const char *path, int line, int col, const char *whose)
{
    ls_scheme *s = ld->s;
    for (size_t g = 0; g < s->ngroups; g++) {
        if (!(groups >> g & 1)) continue;
        ls_fixed sum = 0;
        int any = 0;
        for (size_t i = 0; i < nk; i++)
            if (s->nodes[kids[i]].groups >> g & 1) {
                sum += s->nodes[kids[i]].points;
                any = 1;
            }
        if (!any || sum == want) continue;
        char a[32], b[32];
        ls_dec_format_short(sum, s->digits, a);
        ls_dec_format_short(want, s->digits, b);
        if (s->ngroups > 1)
            ld->rc = ls_errorf(ld->err, path, line, col,
                               "%s add up to %s points for group '%s', expected %s",
                               whose, a, s->groups[g].id, b);
        else
            ld->rc = ls_errorf(ld->err, path, line, col, "%s add up to %s points, expected %s", whose, a, b);
        return;
    }
}

static void validate_tree(loader *ld, const ls_ynode *cats)
{
    ls_scheme *s = ld->s;
    for (size_t i = 0; i < s->nnodes; i++) {
        ls_node *n = &s->nodes[i];
        if (n->nchildren && !ld->bad_points) {
            char *whose = ls_format(_("the items of '%s'"), n->id);
            check_sums(ld, n->children, n->nchildren, n->points, n->groups, s->path, n->line, n->col, whose);
            free(whose);
        }
        if (!n->groups) ld->rc = ls_errorf(ld->err, s->path, n->line, n->col, "'%s' applies to no group", n->id);
    }
    if (cats && s->nroots && !ld->bad_points)
        check_sums(ld, s->roots, s->nroots, s->total, ~0ULL, s->path, cats->line, cats->col, _("the categories"));
}

static void load_tie_breaks(loader *ld, const ls_ynode *gl)
{
    ls_scheme *s = ld->s;
    for (size_t i = 0; i < s->ngroups; i++) {
        const ls_ynode *tb = ls_ymap_get(gl->items[i], "tie_break");
        if (!tb) continue;
        if (ls_yr_expect_seq(&ld->r, tb, "'tie_break'")) {
            ld->rc = -1;
            continue;
        }
        ls_group *g = &s->groups[i];
        g->tie_break = ls_arena_alloc(&s->arena, (tb->n ? tb->n : 1) * sizeof *g->tie_break);
        for (size_t j = 0; j < tb->n; j++) {
            const char *id;
            if (ls_yr_text(&ld->r, tb->items[j], "tie_break", &id)) {
                ld->rc = -1;
                continue;
            }
            int k = ls_scheme_find_node(s, id);
            if (k < 0 || s->nodes[k].section != LS_SEC_MAIN)
                ld->rc = ls_yr_error(&ld->r, tb->items[j], "tie_break names '%s', which is not a category or item", id);
            else g->tie_break[g->ntie_break++] = k;
        }
    }
}

/* ---- entry points ------------------------------------------------------- */

ls_scheme *ls_scheme_load(const char *path, ls_errors *err)
{
    return ls_scheme_load_scoped(path, NULL, err);
}

ls_scheme *ls_scheme_load_scoped(const char *path, const ls_scope *scope, ls_errors *err)
{
    ls_scheme *s = ls_xcalloc(1, sizeof *s);
    ls_arena_init(&s->arena);
    ls_strmap_init(&s->unit_ix);
    ls_strmap_init(&s->ind_ix);
    ls_strmap_init(&s->node_ix);
    ls_strmap_init(&s->label_ix);
    s->bonus_cap = -1;
    s->self_overrate = -1;
    s->path = ls_arena_strdup(&s->arena, path);
    char *dir = ls_dirname(path);
    s->dir = ls_arena_strdup(&s->arena, dir);
    free(dir);
    loader ld0 = {.s = s, .err = err, .scope = scope}, *ld = &ld0;
    ld->r.path = s->path;
    ld->r.err = err;
    s->doc = ls_xcalloc(1, sizeof *s->doc);
    if (ls_yaml_load(s->doc, path, err)) goto fail;
    const ls_ynode *root = s->doc->root;
    if (ls_yr_expect_map(&ld->r, root, "the scheme")) goto fail;
    static const char *const keys[] = {"assessment", "flags", "groups", "units", "indicators",
                                       "categories", "bonus", "deductions", "vetoes", NULL};
    FAIL(ls_yr_check_keys(&ld->r, root, keys, "the scheme"));
    load_assessment(ld, ls_ymap_get(root, "assessment"));
    load_flags(ld, ls_ymap_get(root, "flags"));
    load_groups(ld, ls_ymap_get(root, "groups"));
    load_indicators(ld, ls_ymap_get(root, "indicators"));
    load_units(ld, ls_ymap_get(root, "units"));
    const ls_ynode *cats = ls_ymap_get(root, "categories");
    if (!cats) ld->rc = ls_errorf(err, s->path, 1, 1, "missing 'categories' (the tree of scored items)");
    else load_children(ld, -1, cats, 0, LS_SEC_MAIN, NULL);
    load_section(ld, ls_ymap_get(root, "bonus"), LS_SEC_BONUS);
    load_section(ld, ls_ymap_get(root, "deductions"), LS_SEC_DEDUCT);
    load_section(ld, ls_ymap_get(root, "vetoes"), LS_SEC_VETO);
    validate_tree(ld, cats);
    if (ls_ymap_get(root, "groups") && s->ngroups) load_tie_breaks(ld, ls_ymap_get(root, "groups"));
    if (ld->rc) goto fail;
    s->leaves = ls_arena_alloc(&s->arena, (s->nnodes ? s->nnodes : 1) * sizeof *s->leaves);
    for (size_t i = 0; i < s->nnodes; i++)
        if (!s->nodes[i].nchildren) s->leaves[s->nleaves++] = (int)i;
    return s;
fail:
    ls_scheme_free(s);
    return NULL;
}

void ls_scheme_free(ls_scheme *s)
{
    if (!s) return;
    ls_strmap_cleanup(&s->unit_ix);
    ls_strmap_cleanup(&s->ind_ix);
    ls_strmap_cleanup(&s->node_ix);
    ls_strmap_cleanup(&s->label_ix);
    free(s->units);
    free(s->inds);
    free(s->nodes);
    if (s->doc) ls_yaml_cleanup(s->doc);
    if (s->units_doc) ls_yaml_cleanup(s->units_doc);
    free(s->doc);
    free(s->units_doc);
    ls_arena_cleanup(&s->arena);
    free(s);
}

/* The label indicator i gives code, or NULL. */
static const char *label_in(const ls_indicator *in, const char *code)
{
    if (!in->labels) return NULL;
    for (size_t j = 0; j < in->spec.nchoices; j++)
        if (!strcmp(in->spec.choices[j], code)) return in->labels[j];
    return NULL;
}

int ls_indicator_label_code(const ls_indicator *in, const char *label)
{
    int found = -1;
    for (size_t j = 0; in->labels && j < in->spec.nchoices; j++)
        if (in->labels[j] && !strcmp(in->labels[j], label)) found = found == -1 ? (int)j : -2;
    return found;
}

char *ls_indicator_choices_text(const ls_indicator *in)
{
    ls_buf b;
    ls_buf_init(&b);
    ls_buf_puts(&b, "");
    for (size_t j = 0; j < in->spec.nchoices; j++) {
        ls_buf_printf(&b, "%s%s", j ? ", " : "", in->spec.choices[j]);
        if (in->labels && in->labels[j]) ls_buf_printf(&b, " (%s)", in->labels[j]);
    }
    return b.p;
}

const char *ls_scheme_label(const ls_scheme *s, int ind, const char *code)
{
    if (ind >= 0) {
        const char *l = (size_t)ind < s->ninds ? label_in(&s->inds[ind], code) : NULL;
        return l ? l : code;
    }
    /* Any indicator: the label all indicators labelling this code agree on. */
    if (ls_strmap_get(&s->label_ix, code) < 0) return code;
    const char *found = NULL;
    for (size_t i = 0; i < s->ninds; i++) {
        const char *l = label_in(&s->inds[i], code);
        if (!l) continue;
        if (found && strcmp(found, l)) return code;
        found = l;
    }
    return found ? found : code;
}

int ls_scheme_find_unit(const ls_scheme *s, const char *id) { return ls_strmap_get(&s->unit_ix, id); }

/* Does unit un list text among its earlier ids (by_name 0) or names (1)? */
static int lists_former(const ls_unit *un, const char *text, int by_name)
{
    const char **v = by_name ? un->former_names : un->formerly;
    size_t n = by_name ? un->nformer_names : un->nformerly;
    for (size_t f = 0; f < n; f++)
        if (!strcmp(v[f], text)) return 1;
    return 0;
}

int ls_scheme_find_former_unit(const ls_scheme *s, const char *text, int *by_name)
{
    /* only on an error path: a scan is cheap enough */
    for (int name = 0; name <= 1; name++)
        for (size_t i = 0; i < s->nunits; i++)
            if (lists_former(&s->units[i], text, name)) {
                if (by_name) *by_name = name;
                return (int)i;
            }
    if (by_name) *by_name = 0;
    return -1;
}

int ls_scheme_former_name_unit(const ls_scheme *s, const char *name, int except)
{
    int found = -1;
    for (size_t i = 0; i < s->nunits; i++) {
        if ((int)i == except || !lists_former(&s->units[i], name, 1)) continue;
        if (found >= 0) return -1;
        found = (int)i;
    }
    return found;
}

int ls_scheme_former_unit_error(const ls_scheme *s, const char *text, int names, ls_errors *err, const char *path,
                                int line, int col)
{
    /* a reader of ids given this year's name (the 自评表's 单位编号
     * column filled with names): the unit is known, by its name */
    int named = -1;
    for (size_t i = 0; !names && i < s->nunits; i++) {
        if (strcmp(s->units[i].name, text)) continue;
        if (named >= 0)
            return ls_errorf(err, path, line, col,
                             "unknown unit '%s': several units are called that; write the id of the unit meant",
                             text);
        named = (int)i;
    }
    if (named >= 0)
        return ls_errorf(err, path, line, col, "unknown unit '%s': it is the name of %s; write its id %s", text,
                         s->units[named].id, s->units[named].id);
    int by_name;
    int u = ls_scheme_find_former_unit(s, text, &by_name);
    if (u < 0) return 0;
    const ls_unit *un = &s->units[u];
    /* a unit split in two: both list last year's id or name, and which
     * one is meant only the office knows */
    for (size_t i = (size_t)u + 1; i < s->nunits; i++) {
        const ls_unit *other = &s->units[i];
        if (!lists_former(other, text, by_name)) continue;
        if (by_name)
            return ls_errorf(err, path, line, col,
                             "unknown unit '%s': it is the former name of both %s (%s) and %s (%s) (their "
                             "'former_names:' in the registry); write this year's id of the unit meant",
                             text, un->id, un->name, other->id, other->name);
        return ls_errorf(err, path, line, col,
                         "unknown unit '%s': it is the former id of both %s (%s) and %s (%s) (their 'formerly:' "
                         "in the registry); write this year's id of the unit meant",
                         text, un->id, un->name, other->id, other->name);
    }
    if (by_name && names)
        return ls_errorf(err, path, line, col,
                         "unknown unit '%s': it is the former name of %s (%s) (its 'former_names:' in the "
                         "registry); write this year's name %s or the id %s",
                         text, un->id, un->name, un->name, un->id);
    if (by_name)
        return ls_errorf(err, path, line, col,
                         "unknown unit '%s': it is the former name of %s (%s) (its 'former_names:' in the "
                         "registry); write its id %s",
                         text, un->id, un->name, un->id);
    return ls_errorf(err, path, line, col,
                     "unknown unit '%s': it is the former id of %s (%s) (its 'formerly:' in the registry); "
                     "write this year's id %s",
                     text, un->id, un->name, un->id);
}

int ls_scheme_unknown_unit_error(const ls_scheme *s, const char *text, int names, ls_errors *err, const char *path,
                                 int line, int col)
{
    if (ls_scheme_former_unit_error(s, text, names, err, path, line, col)) return -1;
    return ls_errorf(err, path, line, col, "unknown unit '%s': it is not in the scheme's unit registry", text);
}
int ls_scheme_find_indicator(const ls_scheme *s, const char *id) { return ls_strmap_get(&s->ind_ix, id); }
int ls_scheme_find_node(const ls_scheme *s, const char *id) { return ls_strmap_get(&s->node_ix, id); }

int ls_scheme_find_group(const ls_scheme *s, const char *id)
{
    for (size_t i = 0; i < s->ngroups; i++)
        if (!strcmp(s->groups[i].id, id)) return (int)i;
    return -1;
}

const char *ls_scheme_suggest_indicator(const ls_scheme *s, const char *id)
{
    const char *best = NULL;
    size_t bestd = (size_t)-1;
    for (size_t i = 0; i < s->ninds; i++) {
        size_t d = ls_edit_distance(id, s->inds[i].id);
        if (d < bestd) {
            bestd = d;
            best = s->inds[i].id;
        }
    }
    size_t len = strlen(id);
    return bestd <= (len < 6 ? 2 : len / 3) ? best : NULL;
}

const ls_indicator *ls_scheme_suggest_indicator_name(const ls_scheme *s, const char *name)
{
    const ls_indicator *best = NULL;
    size_t bestd = (size_t)-1, nbest = 0, len = ls_utf8_count(name, strlen(name));
    if (!len) return NULL;
    for (size_t i = 0; i < s->ninds; i++) {
        size_t d = ls_edit_distance_cp(name, s->inds[i].name);
        if (d < bestd) {
            bestd = d;
            best = &s->inds[i];
            nbest = 1;
        } else if (d == bestd) {
            nbest++;
        }
    }
    if (best && nbest == 1 && bestd <= (len <= 5 ? 1 : len / 3)) return best;
    /* 结案 for 行政处罚结案率, 迟报次数（次） for 迟报次数 */
    const ls_indicator *hit = NULL;
    size_t hits = 0;
    for (size_t i = 0; i < s->ninds; i++)
        if (strstr(s->inds[i].name, name) || strstr(name, s->inds[i].name)) {
            hit = &s->inds[i];
            hits++;
        }
    return hits == 1 ? hit : NULL;
}

int ls_node_applies(const ls_scheme *s, int node, int unit)
{
    const ls_node *n = &s->nodes[node];
    const ls_unit *u = &s->units[unit];
    if (n->nchildren) {
        for (size_t i = 0; i < n->nchildren; i++)
            if (ls_node_applies(s, n->children[i], unit)) return 1;
        return 0;
    }
    return (n->groups >> u->group & 1) && (u->flags & n->need) == n->need && !(u->flags & n->forbid);
}
