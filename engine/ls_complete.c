/*
 * ls_complete.c - completeness of the data (see ls_complete.h).
 */
#include "ls_complete.h"

#include <stdlib.h>

#include "ls_util.h"

/* A value the data files did not give: the default filled it, or it has
 * none. */
static int not_given(const ls_dataset *d, size_t u, size_t i)
{
    size_t k = u * d->scheme->ninds + i;
    return !d->vals[k].set || d->origins[k].file < 0;
}

/* Did cell (u, node) read an indicator the data did not give? */
static int reads_default(const ls_dataset *d, const ls_run *r, size_t u, size_t node)
{
    const ls_cell *c = ls_run_cell(r, u, node);
    if (c->state == LS_CELL_NA) return 0;
    for (uint32_t k = 0; k < c->nread; k++)
        if (not_given(d, u, (size_t)r->reads[c->read0 + k])) return 1;
    return 0;
}

ls_completeness ls_completeness_count(const ls_dataset *d, const ls_run *r)
{
    ls_completeness c = {0, 0, 0};
    const ls_scheme *s = d->scheme;
    for (size_t u = 0; u < s->nunits; u++) {
        size_t n = 0;
        for (size_t i = 0; i < s->ninds; i++) n += not_given(d, u, i);
        c.values += n;
        c.units += n > 0;
        for (size_t k = 0; r && n && k < s->nleaves; k++) c.items += reads_default(d, r, u, (size_t)s->leaves[k]);
    }
    return c;
}

void ls_print_completeness(const ls_dataset *d, const ls_run *r, FILE *out)
{
    const ls_scheme *s = d->scheme;
    ls_completeness c = ls_completeness_count(d, r);
    if (!c.values) return;
    fprintf(out, "completeness (缺报): %zu value%s not given in %zu unit%s", c.values, c.values == 1 ? "" : "s",
            c.units, c.units == 1 ? "" : "s");
    if (r) fprintf(out, "; %zu item score%s read%s them", c.items, c.items == 1 ? "" : "s", c.items == 1 ? "s" : "");
    fputs("\n", out);
    char buf[256];
    for (size_t u = 0; u < s->nunits; u++) {
        const ls_unit *un = &s->units[u];
        int first = 1;
        for (size_t i = 0; i < s->ninds; i++) {
            if (!not_given(d, u, i)) continue;
            if (first) fprintf(out, "  %s %s\n    not given:", un->id, un->name);
            const ls_value *v = ls_dataset_get(d, u, i);
            fprintf(out, "%s %s=%s", first ? "" : ",", s->inds[i].name,
                    v->set ? ls_value_format(v, buf, sizeof buf) : "(none)");
            first = 0;
        }
        if (first) continue;
        fputs("\n", out);
        int any = 0;
        for (size_t k = 0; r && k < s->nleaves; k++) {
            const ls_node *n = &s->nodes[s->leaves[k]];
            if (!reads_default(d, r, u, (size_t)s->leaves[k])) continue;
            fprintf(out, "%s %s", any ? "," : "    items that read them:", n->number);
            any = 1;
        }
        if (any) fputs("\n", out);
    }
}
