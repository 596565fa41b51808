/*
 * ls_expect.c - parsing the expectations of a `lawscore test` case (see
 * ls_expect.h): keywords, the unit and item they name, and their values.
 *
 * Depends on: ls_testcase, ls_scheme, ls_yaml, ls_yread, ls_util.
 */
#include "ls_expect.h"

#include <stdlib.h>
#include <string.h>

#include "ls_scheme.h"
#include "ls_testcase.h"
#include "ls_util.h"
#include "ls_yread.h"

static ls_expect *new_exp(ls_testcase *C)
{
    LS_GROW(C->x, C->nx, C->capx, 8);
    ls_expect *x = &C->x[C->nx++];
    memset(x, 0, sizeof *x);
    x->unit = x->node = x->group = -1;
    return x;
}

/* Split s at spaces (also the ideographic space) into at most max words,
 * copied into the case's arena.  Returns the count, or max + 1 when there
 * are more. */
static int split_words(ls_testcase *C, const char *s, const char **w, int max)
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

int ls_expect_find_unit(ls_testcase *C, const ls_ynode *at, const char *id)
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
static int find_case_node(ls_testcase *C, const ls_ynode *at, const char *key)
{
    const ls_scheme *s = C->s;
    int i = ls_scheme_find_node(s, key);
    if (i >= 0) return i;
    for (size_t k = 0; k < s->nnodes; k++)
        if (!strcmp(s->nodes[k].number, key)) return (int)k;
    const char *best = NULL;
    size_t bestd = strlen(key) >= 5 ? 3 : 2; /* "9.9" is not a typo of "1.1" */
    for (size_t k = 0; k < s->nnodes; k++) {
        size_t d = ls_edit_distance(key, s->nodes[k].id);
        if (d < bestd) {
            bestd = d;
            best = s->nodes[k].id;
        }
        d = ls_edit_distance(key, s->nodes[k].number);
        if (d < bestd) {
            bestd = d;
            best = s->nodes[k].number;
        }
    }
    ls_yr r = {C->F->path, &C->errs};
    if (best) return ls_yr_error(&r, at, "no item '%s' in the scheme (did you mean '%s'?)", key, best);
    return ls_yr_error(
        &r, at, "no item '%s' in the scheme (name items by 序号, e.g. '8.3', or by id, e.g. 'c8.3')", key);
}

/* Text, or a list of texts (`empty_ok`: the empty list means "none"). */
static int phrases(ls_testcase *C, const ls_ynode *v, const char *key, int empty_ok)
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

static int bad_band(ls_testcase *C, const ls_ynode *v, int g, const char *name)
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
static int unit_lists(ls_testcase *C, const ls_ynode *v, const char *key, int same_group)
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
        if (ls_yr_text(&r, v->items[i], key, &id)) {
            rc = -1;
            continue;
        }
        int u = ls_expect_find_unit(C, v->items[i], id);
        if (u < 0) {
            rc = -1;
            continue;
        }
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
    if (!strcmp(v->str, "true") || !strcmp(v->str, "yes")) {
        *b = 1;
        return 1;
    }
    if (!strcmp(v->str, "false") || !strcmp(v->str, "no")) {
        *b = 0;
        return 1;
    }
    return 0;
}

typedef struct keyword {
    const char *word;
    ls_expect_kind kind;
    int min, max; /* words after the keyword */
} keyword;

static const keyword keywords[] = {
    {"item", LS_EXP_ITEM, 0, 2},
    {"category", LS_EXP_ITEM, 0, 2},
    {"reasons", LS_EXP_REASONS, 0, 2},
    {"total", LS_EXP_TOTAL, 0, 1},
    {"grade", LS_EXP_GRADE, 0, 1},
    {"rank", LS_EXP_RANK, 0, 1},
    {"bonus", LS_EXP_BONUS, 0, 1},
    {"deductions", LS_EXP_DEDUCT, 0, 1},
    {"veto", LS_EXP_VETO, 0, 1},
    {"notes", LS_EXP_NOTES, 0, 1},
    {"count", LS_EXP_COUNT, 1, 2},
    {"above", LS_EXP_ABOVE, 0, 0},
    {"tied", LS_EXP_TIED, 0, 0},
    {"error", LS_EXP_ERROR, 0, 0},
};

static int add_exp(ls_testcase *C, const char *key, const char **w, int nw, const ls_ynode *at,
                   const ls_ynode *v)
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
            if (d < bestd) {
                bestd = d;
                best = keywords[i].word;
            }
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
        case LS_EXP_ITEM:
        case LS_EXP_REASONS:
            return ls_yr_error(
                &r, at, "'%s': write '%s 8.3' (the item's 序号 or id), or in a cohort '%s a 8.3'", key, k, k);
        case LS_EXP_COUNT:
            return ls_yr_error(&r, at, "'%s': write 'count 优秀', or 'count dept 优秀' for one group", key);
        case LS_EXP_ABOVE:
        case LS_EXP_TIED:
        case LS_EXP_ERROR:
            return ls_yr_error(&r, at, "'%s': write '%s' alone", key, k);
        default:
            return ls_yr_error(&r, at, "'%s': write '%s', or '%s a' to name a unit of the case", key, k, k);
        }
    }
    ls_expect *x = new_exp(C);
    x->kind = kw->kind;
    x->word = kw->word;
    x->at = at;
    x->val = v;
    const ls_scheme *s = C->s;
    /* the unit and node named, or implied */
    int node_arg = kw->kind == LS_EXP_ITEM || kw->kind == LS_EXP_REASONS;
    int unit_arg = kw->kind <= LS_EXP_NOTES && (node_arg ? nargs == 2 : nargs == 1);
    if (node_arg && nargs == 1 && C->own != LS_CASE_FILE_SCHEME && ls_scheme_find_node(s, w[1]) < 0 &&
        strcmp(w[1], s->nodes[0].number))
        for (size_t i = 0; i < C->nunits; i++)
            if (!strcmp(C->units[i].id, w[1])) {
                /* a single-item case: "item a" is the item of unit a */
                unit_arg = 1;
                nargs = 0;
            }
    if (kw->kind <= LS_EXP_NOTES) {
        if (unit_arg) {
            if ((x->unit = ls_expect_find_unit(C, at, w[1])) < 0) return -1;
            if (node_arg && nargs == 0) x->node = 0;
        } else if ((x->unit = C->target) < 0) {
            return ls_yr_error(&r, at, "a case with a cohort names the unit: e.g. '%s %s%s'", kw->word,
                               C->units[0].id, node_arg && C->own == LS_CASE_FILE_SCHEME ? " 8.3" : "");
        }
    }
    if (node_arg && x->node < 0) {
        if (nargs == 0) {
            if (C->own == LS_CASE_FILE_SCHEME)
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
    case LS_EXP_ITEM:
        if (v->kind == LS_YSCALAR && !strcmp(v->str, "不适用")) {
            x->item = LS_ITEM_NA;
            break;
        }
        if (nd->section == LS_SEC_VETO && !nd->nchildren) {
            if (v->kind == LS_YSCALAR && !strcmp(v->str, "否决")) {
                x->item = LS_ITEM_VETOED;
                break;
            }
            if (v->kind == LS_YSCALAR && !strcmp(v->str, "未否决")) {
                x->item = LS_ITEM_NOT_VETOED;
                break;
            }
            int b;
            if (yaml_bool(v, &b)) {
                x->item = b ? LS_ITEM_VETOED : LS_ITEM_NOT_VETOED;
                break;
            }
            char buf[96];
            return ls_yr_error(&r, v, "item %s is a veto item: expect 否决 or 未否决 (or true/false), found %s",
                               nd->number, ls_ynode_describe(v, buf, sizeof buf));
        }
        if (v->kind == LS_YSCALAR && v->plain && (!strcmp(v->str, "否决") || !strcmp(v->str, "未否决")))
            return ls_yr_error(&r, v, "item %s is not a veto item: expect a score", nd->number);
        return ls_yr_number(&r, v, key, &x->num);
    case LS_EXP_REASONS:
        return phrases(C, v, key, 1);
    case LS_EXP_NOTES:
        return phrases(C, v, key, 1);
    case LS_EXP_ERROR:
        return phrases(C, v, key, 0);
    case LS_EXP_TOTAL:
    case LS_EXP_BONUS:
    case LS_EXP_DEDUCT:
        return ls_yr_number(&r, v, key, &x->num);
    case LS_EXP_RANK:
        /* a vetoed unit has no 名次 (listed after the ranked ones): 无名次,
         * as diff words it ("名次 3→无名次"); x->num 0 */
        if (v->kind == LS_YSCALAR && !strcmp(v->str, "无名次")) {
            x->num = 0;
            return 0;
        }
        if (v->kind == LS_YSCALAR) {
            char *end;
            (void)strtod(v->str, &end);
            if (end == v->str || *end) {
                char buf[96];
                return ls_yr_error(&r, v, "expected a rank for '%s' (1, 2, ... or 无名次 for a vetoed unit), found %s",
                                   key, ls_ynode_describe(v, buf, sizeof buf));
            }
        }
        if (ls_yr_int(&r, v, key, 1, 10000000, &l)) return -1;
        x->num = (double)l;
        return 0;
    case LS_EXP_GRADE:
        if (ls_yr_text(&r, v, key, &t)) return -1;
        if (find_band(s, C->units[x->unit].group, t) < 0) return bad_band(C, v, C->units[x->unit].group, t);
        x->text = t;
        return 0;
    case LS_EXP_VETO: {
        int b;
        if (yaml_bool(v, &b)) {
            x->veto = b ? LS_VETO_ANY : LS_VETO_NONE;
            return 0;
        }
        if (ls_yr_text(&r, v, key, &t)) return -1;
        if ((x->node = find_case_node(C, v, t)) < 0) return -1;
        if (s->nodes[x->node].section != LS_SEC_VETO)
            return ls_yr_error(&r, v, "'%s' is not a veto item (一票否决)", t);
        x->veto = LS_VETO_BY_NODE;
        return 0;
    }
    case LS_EXP_COUNT:
        if (nargs == 2) {
            if ((x->group = ls_scheme_find_group(s, w[1])) < 0) {
                ls_buf b;
                ls_buf_init(&b);
                ls_testcase_list_groups(s, &b);
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
    case LS_EXP_ABOVE:
        return unit_lists(C, v, key, 1);
    case LS_EXP_TIED:
        return unit_lists(C, v, key, 1);
    }
    return 0;
}

int ls_expect_parse(ls_testcase *C)
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
        if (nw == 0) {
            rc = ls_yr_error(&r, k, "an empty expectation");
            continue;
        }
        if (nw > 4) {
            rc = ls_yr_error(&r, k, "unknown expectation '%s'", k->str);
            continue;
        }
        static const char *const plural[][2] = {
            {"items", "item"}, {"categories", "category"}, {"reasons", "reasons"}};
        int form = -1;
        for (int p = 0; p < 3; p++)
            if (nw == 1 && !strcmp(w[0], plural[p][0]) && (v->kind == LS_YMAP || p < 2)) form = p;
        if (form >= 0) {
            /* items: {8.3: 2.5, c1.1: 4} */
            char what[64];
            snprintf(what, sizeof what, "'%s' ({序号 or id: ...})", w[0]);
            if (ls_yr_expect_map(&r, v, what)) {
                rc = -1;
                continue;
            }
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
