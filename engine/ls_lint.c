/*
 * ls_lint.c - warnings about a scheme and its data (see ls_lint.h).
 */
#include "ls_lint.h"

#include <stdlib.h>
#include <string.h>

#include "ls_backends.h"
#include "ls_rule.h"
#include "ls_stats.h"
#include "ls_i18n.h"
#include "ls_util.h"

/* The probe value sets (ls_lint.h: (a), (b), (c)). */
enum {
    PROBE_LOW,
    PROBE_HIGH,
    PROBE_UNSET,
    NPROBES
};

static const char *const probe_what[NPROBES] = {
    N_("every indicator at its default, else at a low value (min or 0, the first choice, "
       "false, \"\")"),
    N_("every indicator at a high value (max, else min + 1; the last choice; true)"),
    N_("the optional indicators without a default left without a value"),
};

typedef struct lint {
    const ls_scheme *s;
    ls_errors found;   /* the probes' findings ... */
    size_t *found_pos; /* ... and the position of each one's leaf
                                    in s->leaves, to list them leaf by leaf */
    size_t nfound_pos;
    unsigned char *read_any; /* per indicator: some rule read it */
    int node;                /* the leaf being probed */
    size_t pos;              /* its position in s->leaves */
    int unknown;             /* unknown names met in the current call */
    unsigned char *flagged;  /* per node: the probes found a problem */
    unsigned char *failed;   /* per node: a probe failure was reported */
    ls_strlist seen;         /* unknown names reported, by position; each one's */
    size_t *seen_diag;       /* warning in found, */
    int *seen_leaf;          /* the leaf it was first read by, */
    unsigned *seen_calls;    /* how many of that leaf's probe calls read it */
    unsigned *seen_last;     /* (the last call counted, by callno) */
    unsigned callno;         /* probe calls made so far */
    /* per node, over every probe call: */
    unsigned *ncalls;         /* calls made */
    unsigned *ncertain;       /* calls failing whatever the data (below) */
    unsigned char *param_bad; /* a failure blamed the item's params */
    ls_rule_call *first;      /* the first failure (to report after all probes) */
    char **first_what;        /* its probe unit, in words ... */
    int *first_set;           /* ... and its probe set */
} lint;

/* A failure the data cannot be the cause of: a name that is nowhere
 * ('per_occurence', os.time) or a helper refusing what the rule gives it
 * ('each' must be a number, found nil).  On every probe unit it is a
 * broken rule, an error of `check`; on some only, it depends on values. */
static int certain_failure(const ls_rule_call *c)
{
    return c->err_kind == LS_RULE_ERR_NAME || c->err_kind == LS_RULE_ERR_HELPER ||
           c->err_kind == LS_RULE_ERR_PARAM;
}

/* Tag the findings added since the last call with the current leaf. */
static void tag_found(lint *l)
{
    if (l->found.n > l->nfound_pos)
        l->found_pos = ls_xrealloc(l->found_pos, l->found.n * sizeof *l->found_pos);
    while (l->nfound_pos < l->found.n) l->found_pos[l->nfound_pos++] = l->pos;
}

/* ---- unknown names ---------------------------------------------------- */

/* The parameter (a scalar value anywhere in params) that says `name`, with
 * its path ("terms[2].count") appended to path; NULL when none does. */
static const ls_ynode *find_param(const ls_ynode *n, const char *name, ls_buf *path)
{
    if (!n) return NULL;
    if (n->kind == LS_YSCALAR) return !strcmp(n->str, name) ? n : NULL;
    size_t mark = path->n;
    for (size_t i = 0; i < n->n; i++) {
        const ls_ynode *v;
        if (n->kind == LS_YSEQ) {
            v = n->items[i];
            ls_buf_printf(path, "[%zu]", i + 1);
        } else {
            v = ls_ymap_val(n, i);
            ls_buf_printf(path, "%s%s", mark ? "." : "", ls_ymap_key(n, i)->str);
        }
        const ls_ynode *hit = find_param(v, name, path);
        if (hit) return hit;
        path->n = mark;
        if (path->p) path->p[mark] = '\0';
    }
    return NULL;
}

/* Whether key was reported already; remembers it (with the warning about
 * to be added to found) and counts the current probe call of its leaf. */
static int seen_before(lint *l, char *key)
{
    size_t i;
    for (i = 0; i < l->seen.n && strcmp(l->seen.v[i], key); i++)
        ;
    int seen = i < l->seen.n;
    if (!seen) {
        ls_strlist_add(&l->seen, key, strlen(key));
        size_t n = l->seen.n;
        l->seen_diag = ls_xrealloc(l->seen_diag, n * sizeof *l->seen_diag);
        l->seen_leaf = ls_xrealloc(l->seen_leaf, n * sizeof *l->seen_leaf);
        l->seen_calls = ls_xrealloc(l->seen_calls, n * sizeof *l->seen_calls);
        l->seen_last = ls_xrealloc(l->seen_last, n * sizeof *l->seen_last);
        l->seen_diag[i] = l->found.n;
        l->seen_leaf[i] = l->node;
        l->seen_calls[i] = 0;
        l->seen_last[i] = 0;
    }
    if (l->seen_leaf[i] == l->node && l->seen_last[i] != l->callno) {
        l->seen_last[i] = l->callno;
        l->seen_calls[i]++;
    }
    free(key);
    return seen;
}

/* An unknown name that every probe call of its leaf read fails `run` on
 * every unit the item applies to, whatever the data: its warning becomes
 * an error. */
static void unknown_errors(lint *l)
{
    for (size_t i = 0; i < l->seen.n; i++) {
        ls_diag *g = &l->found.v[l->seen_diag[i]];
        if (g->sev != LS_SEV_WARNING || !l->ncalls[l->seen_leaf[i]] ||
            l->seen_calls[i] < l->ncalls[l->seen_leaf[i]])
            continue;
        g->sev = LS_SEV_ERROR;
        l->found.nwarnings--;
        l->found.nerrors++;
    }
}

/* The Lua backend's probe function: a rule read `name`, which the
 * catalogue lacks, at `line` of its script. */
static void on_unknown(void *ctx, const char *name, int line)
{
    lint *l = ctx;
    const ls_scheme *s = l->s;
    const ls_node *n = &s->nodes[l->node];
    l->unknown++;
    l->flagged[l->node] = 1;
    const char *sug = ls_scheme_suggest_indicator(s, name);
    char *hint = sug ? ls_format(_(" (did you mean '%s'?)"), sug) : ls_xstrdup("");
    ls_buf path;
    ls_buf_init(&path);
    const ls_ynode *p = find_param(n->rule.params, name, &path);
    if (p) {
        if (!seen_before(l, ls_format("%s:%d:%d:%s", s->path, p->line, p->col, name)))
            ls_warnf(&l->found, s->path, p->line, p->col,
                     "%s %s '%s': parameter '%s' names indicator '%s', which is not in the "
                     "catalogue%s",
                     ls_section_name(n->section), n->number, n->name, path.p, name, hint);
    } else {
        const char *where = n->rule.path ? n->rule.path : s->path;
        if (!seen_before(l, ls_format("%s:%d:0:%s", where, line, name)))
            ls_warnf(&l->found, where, line, 0,
                     "rule of %s %s '%s' reads indicator '%s', which is not in the catalogue%s",
                     ls_section_name(n->section), n->number, n->name, name, hint);
    }
    ls_buf_cleanup(&path);
    free(hint);
    tag_found(l);
}

/* ---- probing ----------------------------------------------------------- */

/* The value of indicator `in` in probe set `set`. */
static ls_value probe_value(const ls_indicator *in, int set)
{
    const ls_vspec *sp = &in->spec;
    ls_value v = {1, (unsigned char)sp->type, 0, NULL};
    if (set != PROBE_HIGH && in->def.set) return in->def;
    if (set == PROBE_UNSET && !in->required) {
        v.set = 0;
        return v;
    }
    int high = set == PROBE_HIGH;
    switch (sp->type) {
    case LS_T_INTEGER:
    case LS_T_NUMBER:
    case LS_T_PERCENT: {
        double lo = sp->has_min ? sp->min : sp->has_max && sp->max < 0 ? sp->max
                                                                       : 0;
        double hi = sp->has_max ? sp->max : sp->type == LS_T_PERCENT ? 100
                                                                     : lo + 1;
        v.num = high ? hi : lo;
        break;
    }
    case LS_T_BOOLEAN: v.num = high; break;
    case LS_T_ENUM:
        if (!sp->nchoices) {
            v.set = 0;
            break;
        }
        v.num = high ? (double)(sp->nchoices - 1) : 0;
        v.str = sp->choices[(size_t)v.num];
        break;
    case LS_T_TEXT: v.str = high ? "x" : ""; break;
    }
    return v;
}

/* The probe data set: values only for the probe units (filled by
 * fill_probe), none for the others.  Built here rather than loaded, so
 * that a registry of 100 000 units costs the probe units' rows, not a
 * whole data set: untouched rows stay zero pages. */
static ls_dataset *probe_data_new(const ls_scheme *s)
{
    ls_dataset *d = ls_xcalloc(1, sizeof *d);
    ls_arena_init(&d->arena);
    d->scheme = s;
    size_t cells = s->nunits * s->ninds;
    d->cells = ls_xcalloc(cells ? cells : 1, sizeof *d->cells);
    return d;
}

/* Give every probe unit probe set `set`. */
static void fill_probe(ls_dataset *d, const int *kinds, size_t nkinds, int set)
{
    const ls_scheme *s = d->scheme;
    for (size_t i = 0; i < s->ninds; i++) {
        ls_value v = probe_value(&s->inds[i], set);
        for (size_t k = 0; k < nkinds; k++) ls_dataset_put(d, (size_t)kinds[k], i, &v);
    }
}

/* "group 'dept' (区直部门) with flags [enforcement]" for unit u. */
static char *describe_kind(const ls_scheme *s, int u)
{
    const ls_unit *un = &s->units[u];
    const ls_group *g = &s->groups[un->group];
    ls_buf b;
    ls_buf_init(&b);
    ls_buf_printf(&b, _("group '%s' (%s) "), g->id, g->name);
    int any = 0;
    for (size_t f = 0; f < s->nflags && f < LS_MAX_FLAGS; f++) {
        if (!(un->flags >> f & 1)) continue;
        ls_buf_printf(&b, "%s%s", any ? ", " : _("with flags ["), s->flags[f]);
        any = 1;
    }
    ls_buf_puts(&b, any ? "]" : _("without flags"));
    return b.p;
}

/* One unit per combination of group and flags among the units: kinds[i]
 * is its index; returns how many. */
static size_t unit_kinds(const ls_scheme *s, int *kinds)
{
    size_t n = 0;
    for (size_t u = 0; u < s->nunits; u++) {
        size_t k;
        for (k = 0; k < n; k++)
            if (s->units[kinds[k]].group == s->units[u].group &&
                s->units[kinds[k]].flags == s->units[u].flags)
                break;
        if (k == n) kinds[n++] = (int)u;
    }
    return n;
}

/* Run the leaf at position pos of s->leaves on probe set `set` for each
 * kind of unit it applies to, recording reads, unknown names and its
 * first failure. */
static void probe_leaf(lint *l, ls_backends *b, size_t pos, int set, const int *kinds,
                       size_t nkinds, const ls_dataset *pd, ls_stats *st, unsigned char *reads)
{
    const ls_scheme *s = l->s;
    int leaf = s->leaves[pos];
    const ls_node *n = &s->nodes[leaf];
    ls_backend *be = b->by_kind[n->rule.kind];
    if (!be) return;
    l->node = leaf;
    l->pos = pos;
    for (size_t k = 0; k < nkinds; k++) {
        if (!ls_node_applies(s, leaf, kinds[k])) continue;
        ls_rule_call c;
        memset(reads, 0, s->ninds ? s->ninds : 1);
        ls_rule_call_init(&c, s, pd, st, kinds[k], leaf, reads);
        l->unknown = 0;
        l->callno++;
        int rc = be->call(be, &c);
        for (size_t i = 0; i < s->ninds; i++) l->read_any[i] |= reads[i];
        l->ncalls[leaf]++;
        /* A failure after an unknown name is most likely its nil: the
         * name is what to fix. */
        if (rc && !l->unknown) {
            l->ncertain[leaf] += certain_failure(&c);
            l->param_bad[leaf] |= c.err_kind == LS_RULE_ERR_PARAM;
        }
        if (rc && !l->unknown && !l->failed[leaf]) {
            l->failed[leaf] = l->flagged[leaf] = 1;
            char *kind = describe_kind(s, kinds[k]);
            l->first_what[leaf] = kind;
            l->first_set[leaf] = set;
            l->first[leaf] = c; /* kept: reported by report_probe_failures */
            continue;
        }
        ls_rule_call_cleanup(&c);
    }
}

/* Each leaf's first probe failure: an error when the rule fails whatever
 * the data (on every probe call, by a name or a helper refusal; or its
 * params contradict the catalogue), else a warning naming the probe. */
static void report_probe_failures(lint *l)
{
    const ls_scheme *s = l->s;
    for (size_t pos = 0; pos < s->nleaves; pos++) {
        int leaf = s->leaves[pos];
        ls_rule_call *c = &l->first[leaf];
        if (!l->first_what[leaf]) continue;
        const ls_node *n = &s->nodes[leaf];
        char *head;
        const char *msg = c->err_msg ? c->err_msg : _("failed");
        ls_severity sev = LS_SEV_ERROR;
        if (l->param_bad[leaf] && c->err_kind == LS_RULE_ERR_PARAM)
            head = ls_format(_("%s %s '%s': %s"), ls_section_name(n->section), n->number, n->name, msg);
        else if (l->param_bad[leaf] || l->ncertain[leaf] == l->ncalls[leaf])
            head = ls_format(_("rule of %s %s '%s' fails on every probe unit, whatever the data: %s"),
                             ls_section_name(n->section), n->number, n->name, msg);
        else {
            sev = LS_SEV_WARNING;
            head = ls_format(_("rule of %s %s '%s' fails on a probe unit of %s and %s: %s%s%s"),
                             ls_section_name(n->section), n->number, n->name, l->first_what[leaf],
                             _(probe_what[l->first_set[leaf]]), msg, "", "");
        }
        l->pos = pos;
        ls_rule_call_report_as(c, sev, head, &l->found);
        tag_found(l);
        free(head);
    }
}

/* A warning that `lint: {ignore: REASON}` silences becomes a note at the
 * indicator or item, saying what was found and the author's reason (so
 * the exception stays visible; notes do not fail --strict). */
static void ignored(ls_errors *err, const ls_scheme *s, int line, int col, const char *reason,
                    char *what)
{
    ls_notef(err, s->path, line, col, "%s (lint: ignore, %s)", what, reason);
    free(what);
}

/* ---- what the data show -------------------------------------------------- */

/* Rule failures on the data, once per leaf: the first unit's error as
 * `run` reports it, and a note of how many units fail.  Leaves the probes
 * found a problem with are left out: the data most likely fail the same
 * way. */
static void data_failures(const ls_run *r, ls_backends *b, const unsigned char *flagged,
                          ls_errors *err)
{
    const ls_scheme *s = r->scheme;
    ls_stats *st = NULL;
    for (size_t k = 0; k < s->nleaves; k++) {
        int leaf = s->leaves[k];
        if (flagged[leaf]) continue;
        size_t nfail = 0;
        int first = -1;
        for (size_t u = 0; u < s->nunits; u++)
            if (ls_run_cell(r, u, (size_t)leaf)->state == LS_CELL_ERROR && !nfail++) first = (int)u;
        if (!nfail) continue;
        ls_backend *be = b->by_kind[s->nodes[leaf].rule.kind];
        if (!st) st = ls_stats_new(s, r->data);
        ls_rule_call c;
        ls_rule_call_init(&c, s, r->data, st, first, leaf, NULL);
        if (!be) {
            ls_rule_call_fail(&c, s->path, 0, "no backend for this kind of rule");
        } else if (!be->call(be, &c)) {
            /* Rules are deterministic; should it pass now, say what scoring said. */
            const ls_cell *cell = ls_run_cell(r, (size_t)first, (size_t)leaf);
            ls_rule_call_fail(&c, NULL, 0, "%s",
                              cell->nreasons ? r->reasons[cell->reason0] : "failed");
        }
        ls_rule_call_report_as(&c, LS_SEV_WARNING, NULL, err);
        if (nfail > 1)
            ls_notef(err, ls_rule_call_path(&c), c.err_line, 0,
                     "the rule of item %s fails for %zu units in all", s->nodes[leaf].number, nfail);
        ls_rule_call_cleanup(&c);
    }
    ls_stats_free(st);
}

/* Ordinary items that no unit scores full points on, or every unit does;
 * judged when at least two units are scored (for one, every item would
 * be one or the other). */
static void full_points(const ls_run *r, ls_errors *err)
{
    const ls_scheme *s = r->scheme;
    char a[32], p[32];
    for (size_t k = 0; k < s->nleaves; k++) {
        int leaf = s->leaves[k];
        const ls_node *n = &s->nodes[leaf];
        if (n->section != LS_SEC_MAIN || n->points <= 0) continue;
        size_t scored = 0, full = 0;
        ls_fixed best = 0;
        for (size_t u = 0; u < s->nunits; u++) {
            const ls_cell *c = ls_run_cell(r, u, (size_t)leaf);
            if (c->state != LS_CELL_SCORED) continue;
            if (!scored++ || c->score > best) best = c->score;
            full += c->score >= n->points;
        }
        if (scored < 2) continue;
        ls_dec_format_short(n->points, s->digits, p);
        if ((!full || full == scored) && n->lint_ignore)
            ignored(err, s, n->line, n->col, n->lint_ignore,
                    ls_format(_("item %s '%s' %s"), n->number, n->name,
                              !full ? _("never reaches its full points on this data")
                                    : _("never loses a point on this data")));
        else if (!full)
            ls_warnf(err, s->path, n->rule.line, n->rule.col,
                     "item %s '%s' (%s points) never reaches its full points on this data: the "
                     "best of the %zu units it applies to scores %s",
                     n->number, n->name, p, scored, ls_dec_format(best, s->digits, a));
        else if (full == scored)
            ls_warnf(err, s->path, n->rule.line, n->rule.col,
                     "item %s '%s' never loses a point on this data: all %zu units it applies to "
                     "get the full %s points",
                     n->number, n->name, scored, p);
    }
}

/* ---- the whole ------------------------------------------------------------- */

/* The probes' findings, leaf by leaf (in the order found within a leaf). */
static void copy_found(ls_errors *to, const lint *l)
{
    for (size_t pos = 0; pos < l->s->nleaves; pos++)
        for (size_t i = 0; i < l->found.n; i++) {
            const ls_diag *g = &l->found.v[i];
            if (l->found_pos[i] != pos) continue;
            if (g->sev == LS_SEV_NOTE) ls_notef(to, g->path, g->line, g->col, "%s", g->msg);
            else if (g->sev == LS_SEV_ERROR) ls_errorf(to, g->path, g->line, g->col, "%s", g->msg);
            else ls_warnf(to, g->path, g->line, g->col, "%s", g->msg);
        }
}

int ls_lint(const ls_scheme *s, const ls_dataset *d, ls_backends *b, const ls_score_opts *so,
            const ls_run *scored, ls_errors *err)
{
    lint l;
    memset(&l, 0, sizeof l);
    l.s = s;
    ls_errors_init(&l.found);
    l.read_any = ls_xcalloc(s->ninds ? s->ninds : 1, 1);
    l.flagged = ls_xcalloc(s->nnodes ? s->nnodes : 1, 1);
    l.failed = ls_xcalloc(s->nnodes ? s->nnodes : 1, 1);
    size_t nn = s->nnodes ? s->nnodes : 1;
    l.ncalls = ls_xcalloc(nn, sizeof *l.ncalls);
    l.ncertain = ls_xcalloc(nn, sizeof *l.ncertain);
    l.param_bad = ls_xcalloc(nn, 1);
    l.first = ls_xcalloc(nn, sizeof *l.first);
    l.first_what = ls_xcalloc(nn, sizeof *l.first_what);
    l.first_set = ls_xcalloc(nn, sizeof *l.first_set);
    size_t errors_before = err->nerrors;
    unsigned char *reads = ls_xmalloc(s->ninds ? s->ninds : 1);
    int *kinds = ls_xmalloc((s->nunits ? s->nunits : 1) * sizeof *kinds);
    size_t nkinds = unit_kinds(s, kinds);

    for (size_t pos = 0; pos < s->nleaves; pos++) {
        const ls_node *n = &s->nodes[s->leaves[pos]];
        size_t k;
        for (k = 0; k < nkinds && !ls_node_applies(s, s->leaves[pos], kinds[k]); k++)
            ;
        if (k == nkinds && s->nunits && n->lint_ignore) {
            ignored(&l.found, s, n->line, n->col, n->lint_ignore,
                    ls_format(_("%s %s '%s' applies to no unit"), ls_section_name(n->section),
                              n->number, n->name));
            l.pos = pos;
            tag_found(&l);
        } else if (k == nkinds && s->nunits) {
            ls_warnf(&l.found, s->path, n->rule.line, n->rule.col,
                     "%s %s '%s' applies to no unit: its groups, only_if and unless leave out "
                     "every unit of the registry",
                     ls_section_name(n->section), n->number, n->name);
            l.pos = pos;
            tag_found(&l);
        }
    }
    int unset = 0;
    for (size_t i = 0; i < s->ninds; i++) unset |= !s->inds[i].required && !s->inds[i].def.set;
    ls_dataset *pd = probe_data_new(s);
    ls_backends_probe(b, on_unknown, &l);
    for (int set = 0; set < NPROBES; set++) {
        if (set == PROBE_UNSET && !unset) continue;
        fill_probe(pd, kinds, nkinds, set);
        ls_stats *st = ls_stats_new(s, pd);
        for (size_t pos = 0; pos < s->nleaves; pos++)
            probe_leaf(&l, b, pos, set, kinds, nkinds, pd, st, reads);
        ls_stats_free(st);
    }
    ls_backends_probe(b, NULL, NULL);
    unknown_errors(&l);
    report_probe_failures(&l);
    ls_dataset_free(pd);

    ls_run *own = NULL;
    const ls_run *r = scored;
    if (d && !r) {
        ls_errors ignored; /* the failures are reported once per leaf below */
        ls_errors_init(&ignored);
        ls_score_opts lso = {.keep_going = 1, .extra = so ? so->extra : NULL, .nextra = so ? so->nextra : 0};
        r = own = ls_score_run(s, d, b, &lso, &ignored);
        ls_errors_cleanup(&ignored);
    }
    if (d) {
        for (size_t i = 0; r && i < r->nreads; i++)
            if (r->reads[i] >= 0 && (size_t)r->reads[i] < s->ninds) l.read_any[r->reads[i]] = 1;
    }

    for (size_t i = 0; i < s->ninds; i++) {
        const ls_indicator *in = &s->inds[i];
        if (!l.read_any[i] && in->lint_ignore)
            ignored(err, s, in->line, in->col, in->lint_ignore,
                    ls_format(_("indicator '%s' (%s) is read by no rule"), in->id, in->name));
        else if (!l.read_any[i])
            ls_warnf(err, s->path, in->line, in->col,
                     "indicator '%s' (%s) is in the catalogue but no rule reads it", in->id,
                     in->name);
    }
    copy_found(err, &l);
    if (r) {
        data_failures(r, b, l.flagged, err);
        full_points(r, err);
    }

    ls_run_free(own);
    free(kinds);
    free(reads);
    free(l.read_any);
    free(l.flagged);
    free(l.failed);
    free(l.found_pos);
    for (size_t i = 0; i < s->nnodes; i++)
        if (l.first_what[i]) {
            ls_rule_call_cleanup(&l.first[i]);
            free(l.first_what[i]);
        }
    free(l.first);
    free(l.first_what);
    free(l.first_set);
    free(l.ncalls);
    free(l.ncertain);
    free(l.param_bad);
    ls_strlist_cleanup(&l.seen);
    free(l.seen_diag);
    free(l.seen_leaf);
    free(l.seen_calls);
    free(l.seen_last);
    ls_errors_cleanup(&l.found);
    return err->nerrors > errors_before ? -1 : 0;
}
