/*
 * ls_summary.c - the summary `lawscore check` prints (see ls_summary.h).
 */
#include "ls_summary.h"

#include <string.h>

#include "ls_decimal.h"
#include "ls_i18n.h"

#ifndef LS_PLUGIN_DIR
#define LS_PLUGIN_DIR "/usr/local/lib/lawscore/plugins"
#endif

/* Distinct Lua rule scripts: a script bound to several items counts once. */
static size_t count_scripts(const ls_scheme *s)
{
    size_t scripts = 0;
    for (size_t k = 0; k < s->nleaves; k++) {
        const ls_node *n = &s->nodes[s->leaves[k]];
        if (n->rule.kind != LS_RULE_LUA) continue;
        size_t j;
        for (j = 0; j < k; j++) {
            const ls_node *m = &s->nodes[s->leaves[j]];
            if (m->rule.kind == LS_RULE_LUA && !strcmp(m->rule.path, n->rule.path)) break;
        }
        scripts += j == k;
    }
    return scripts;
}

void ls_print_summary(const ls_scheme *s, const ls_dataset *d, const ls_backends *b, FILE *out)
{
    char a[32], t[32];
    fprintf(out, _("scheme: %s (%d), precision %s, total %s\n"), s->name, s->year,
            ls_dec_format(1, s->digits, a), ls_dec_format_short(s->total, s->digits, t));
    for (size_t g = 0; g < s->ngroups; g++) {
        size_t n = 0;
        for (size_t u = 0; u < s->nunits; u++) n += s->units[u].group == (int)g;
        fprintf(out, _("group %s (%s): %zu units\n"), s->groups[g].id, s->groups[g].name, n);
    }
    size_t cnt[4] = {0}, cats = 0;
    for (size_t k = 0; k < s->nleaves; k++) cnt[s->nodes[s->leaves[k]].section]++;
    for (size_t i = 0; i < s->nnodes; i++) cats += s->nodes[i].nchildren > 0;
    fprintf(out, _("items: %zu categories and sub-items, %zu items, %zu bonus, %zu deduction, %zu veto\n"),
            cats, cnt[LS_SEC_MAIN], cnt[LS_SEC_BONUS], cnt[LS_SEC_DEDUCT], cnt[LS_SEC_VETO]);
    size_t pfuncs = 0;
    for (size_t k = 0; k < s->nleaves; k++) pfuncs += s->nodes[s->leaves[k]].rule.kind == LS_RULE_PLUGIN;
    fprintf(out, _("rules: %zu Lua scripts compiled, %zu items scored by C plugins\n"),
            count_scripts(s), pfuncs);
    const char *builtin = LS_PLUGIN_DIR "/";
    ls_loaded_file f;
    for (size_t i = 0; !ls_backends_loaded(b, i, &f); i++)
        if (f.kind == LS_LOADED_PLUGIN)
            fprintf(out, _("plugin %s %s (%s)\n"), f.name, f.version,
                    !strncmp(f.path, builtin, strlen(builtin)) ? _("built-in") : f.path);
    fprintf(out, _("indicators: %zu in the catalogue\n"), s->ninds);
    if (d && d->nfiles) {
        size_t given = 0;
        for (size_t i = 0; i < s->nunits * s->ninds; i++) given += d->given[i];
        fprintf(out, _("data: %zu files, %zu values given, %zu optional values missing (no default)\n"),
                d->nfiles, given, d->nmissing);
    }
}
