/*
 * fuzz_self.c - fuzz target: self-score forms (自评表, `--self`: YAML,
 * or the form of `lawscore template --self` filled in as CSV, .xlsx or
 * .xls) for the fixture scheme (ls_selfscore_load).
 *
 * The input is written as self.xlsx or self.xls when its bytes begin as
 * one, else as self.yaml and as self.csv, each loaded.  Loaded
 * self-scores are checked against the scheme: a score only on a leaf
 * that applies to its unit (never a category, never a veto), within
 * [0, the most ls_selfscore_max allows], every applicable item of the
 * 100-point tree given for a unit in the file, nothing for a unit not
 * in it, a category the sum of its leaves.
 */
#include <string.h>

#include "fuzz_common.h"
#include "ls_scheme.h"
#include "ls_selfscore.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    static const char *const links[] = {"scheme.yaml", "rules", "data.yaml", "data.csv", NULL};
    fz_setup(links);
    fz_scheme();
    return 0;
}

static void check_self(const ls_selfscore *ss)
{
    const ls_scheme *s = ss->scheme;
    if (!ss->path) fz_fail("loaded self-scores without a path");
    for (size_t u = 0; u < s->nunits; u++) {
        const char *uid = s->units[u].id;
        for (size_t k = 0; k < s->nnodes; k++) {
            const ls_node *n = &s->nodes[k];
            const ls_fixed *v = ls_selfscore_get(ss, u, k);
            int applies = ls_node_applies(s, (int)k, (int)u);
            if (!ss->given[u]) {
                if (v) fz_fail("unit %s is not in the file but has a self-score on %s", uid, n->id);
                continue;
            }
            if (n->nchildren) {
                /* a category: the sum of its leaves given */
                if (!v) continue;
                ls_fixed sum = 0;
                for (size_t c = 0; c < n->nchildren; c++) {
                    const ls_fixed *x = ls_selfscore_get(ss, u, (size_t)n->children[c]);
                    if (x) sum += *x;
                }
                if (sum != *v)
                    fz_fail("unit %s, category %s: self-score %lld, its items sum to %lld", uid, n->id,
                            (long long)*v, (long long)sum);
                continue;
            }
            if (v && (!applies || n->section == LS_SEC_VETO))
                fz_fail("unit %s: a self-score on %s, which %s", uid, n->id,
                        applies ? "is a veto" : "does not apply to it");
            if (!v) {
                if (applies && n->section == LS_SEC_MAIN)
                    fz_fail("unit %s is in the file without item %s", uid, n->id);
                continue;
            }
            ls_fixed max;
            if (*v < 0 || (ls_selfscore_max(s, (int)k, &max) && *v > max))
                fz_fail("unit %s, item %s: self-score %lld out of range", uid, n->id, (long long)*v);
        }
        (void)ls_selfscore_overrated(ss, u, 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *paths[2];
    size_t n = fz_write_named("self", data, size, paths);
    for (size_t i = 0; i < n; i++) {
        ls_errors err;
        ls_errors_init(&err);
        ls_selfscore *ss = ls_selfscore_load(fz_scheme(), paths[i], &err);
        fz_check("ls_selfscore_load", ss == NULL, &err, paths[i], data, size);
        if (ss) check_self(ss);
        ls_selfscore_free(ss);
        ls_errors_cleanup(&err);
    }
    return 0;
}
