/*
 * fuzz_scheme.c - fuzz target: scheme files (ls_scheme_load), then the data
 * set of defaults a loaded scheme gives (ls_dataset_load with no files).
 *
 * The input is written as scheme.yaml in a scratch directory beside links
 * to the fixtures' rules/ (the Lua rules schemes name: only their existence
 * is checked when a scheme loads), units.yaml and units.csv.  A loaded
 * scheme is checked for the invariants scoring relies on: node tree, grade
 * bands, unit groups and flags, id indexes.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_common.h"
#include "ls_data.h"
#include "ls_scheme.h"

static char scheme_path[4096];

static void check_scheme(const ls_scheme *s)
{
    if (s->digits < 0 || s->digits > LS_MAX_DIGITS) fz_fail("precision digits %d", s->digits);
    if (s->total <= 0) fz_fail("total %lld", (long long)s->total);
    if (!s->ngroups || s->ngroups > LS_MAX_GROUPS) fz_fail("%zu groups", s->ngroups);
    if (s->nflags > LS_MAX_FLAGS) fz_fail("%zu flags", s->nflags);
    for (size_t g = 0; g < s->ngroups; g++) {
        const ls_group *gr = &s->groups[g];
        if (!gr->nbands) fz_fail("group %s without bands", gr->id);
        for (size_t b = 1; b < gr->nbands; b++)
            if (gr->bands[b].min >= gr->bands[b - 1].min) fz_fail("group %s: bands not decreasing", gr->id);
        if (gr->bands[gr->nbands - 1].min > 0) fz_fail("group %s: the last band starts above 0", gr->id);
        for (size_t b = 0; b < gr->nbands; b++)
            if (gr->bands[b].max_share < 0 || gr->bands[b].max_share > 1 || isnan(gr->bands[b].max_share))
                fz_fail("group %s: max_share %g", gr->id, gr->bands[b].max_share);
        if (gr->veto_band < 0 || (size_t)gr->veto_band >= gr->nbands) fz_fail("group %s: veto band %d", gr->id, gr->veto_band);
        for (size_t t = 0; t < gr->ntie_break; t++)
            if (gr->tie_break[t] < 0 || (size_t)gr->tie_break[t] >= s->nnodes) fz_fail("group %s: tie_break", gr->id);
        if (ls_scheme_find_group(s, gr->id) != (int)g) fz_fail("group %s not found by id", gr->id);
    }
    for (size_t u = 0; u < s->nunits; u++) {
        const ls_unit *un = &s->units[u];
        if (un->group < 0 || (size_t)un->group >= s->ngroups) fz_fail("unit %s: group %d", un->id, un->group);
        if (s->nflags < 64 && un->flags >> s->nflags) fz_fail("unit %s: undeclared flag bits", un->id);
        if (ls_scheme_find_unit(s, un->id) != (int)u) fz_fail("unit %s not found by id", un->id);
    }
    for (size_t i = 0; i < s->ninds; i++) {
        const ls_indicator *in = &s->inds[i];
        if (ls_scheme_find_indicator(s, in->id) != (int)i) fz_fail("indicator %s not found by id", in->id);
        if (in->spec.type == LS_T_ENUM && !in->spec.nchoices) fz_fail("enum %s without choices", in->id);
        if (in->spec.has_min && in->spec.has_max && in->spec.min > in->spec.max) fz_fail("indicator %s: min > max", in->id);
        if (in->required && in->def.set) fz_fail("indicator %s: required with a default", in->id);
        if (in->def.set && in->def.type != in->spec.type) fz_fail("indicator %s: default of another type", in->id);
    }
    size_t leaves = 0;
    for (size_t i = 0; i < s->nnodes; i++) {
        const ls_node *n = &s->nodes[i];
        if (n->parent >= (int)i || n->parent < -1) fz_fail("node %s: parent %d", n->id, n->parent);
        if (n->points < 0) fz_fail("node %s: negative points", n->id);
        if (!n->groups) fz_fail("node %s applies to no group", n->id);
        if (ls_scheme_find_node(s, n->id) != (int)i) fz_fail("node %s not found by id", n->id);
        for (size_t c = 0; c < n->nchildren; c++) {
            int k = n->children[c];
            if (k <= (int)i || (size_t)k >= s->nnodes || s->nodes[k].parent != (int)i)
                fz_fail("node %s: child %d", n->id, k);
        }
        if (!n->nchildren) {
            leaves++;
            if (n->rule.kind == LS_RULE_NONE) fz_fail("leaf %s without a rule", n->id);
        }
        for (size_t u = 0; u < s->nunits && u < 64; u++) (void)ls_node_applies(s, (int)i, (int)u);
    }
    if (leaves != s->nleaves) fz_fail("%zu leaves listed, %zu found", s->nleaves, leaves);
    for (size_t r = 0; r < s->nroots; r++)
        if (s->roots[r] < 0 || (size_t)s->roots[r] >= s->nnodes || s->nodes[s->roots[r]].parent != -1)
            fz_fail("root %zu", r);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    static const char *const links[] = {"rules", "units.yaml", "units.csv", NULL};
    fz_setup(links);
    snprintf(scheme_path, sizeof scheme_path, "%s", fz_path("scheme.yaml"));
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_write(scheme_path, data, size);
    ls_errors err;
    ls_errors_init(&err);
    ls_scheme *s = ls_scheme_load(scheme_path, &err);
    fz_check("ls_scheme_load", s == NULL, &err, scheme_path, data, size);
    if (s) {
        check_scheme(s);
        /* defaults only: once allowing missing required values, once not */
        for (int allow = 1; allow >= 0; allow--) {
            ls_errors e2;
            ls_errors_init(&e2);
            ls_dataset *d = ls_dataset_load(s, NULL, 0, allow, &e2);
            fz_check("ls_dataset_load (no files)", d == NULL, &e2, NULL, NULL, 0);
            if (d) {
                for (size_t u = 0; u < s->nunits; u++)
                    for (size_t i = 0; i < s->ninds; i++) {
                        ls_value got = ls_dataset_value(d, u, i);
                        const ls_value *v = &got;
                        if (v->set && !s->inds[i].def.set) fz_fail("value without a file or a default");
                        if (!allow && !v->set && s->inds[i].required) fz_fail("required value missing");
                    }
            }
            ls_dataset_free(d);
            ls_errors_cleanup(&e2);
        }
    }
    ls_scheme_free(s);
    ls_errors_cleanup(&err);
    return 0;
}
