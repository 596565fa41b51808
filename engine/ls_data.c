/*
 * ls_data.c - loading and merging indicator data (see ls_data.h and
 * docs/data.md).
 */
#include "ls_data.h"

#include <pthread.h>
#include <string.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ls_i18n.h"
#include "ls_intable.h"
#include "ls_strmap.h"
#include "ls_util.h"
#include "ls_yread.h"

/* Where a value came from, for messages about conflicts between files:
 * kept while loading only. */
typedef struct origin {
    int file; /* index into files, -1 = default value (or none) */
    int line, col;
} origin;

/* An origin as kept per value: 8 bytes, not 12 (at a million units 52
 * million of them are held while the files are read).  src is the file's
 * index + 1 (0: a default, or no value: zeroed memory).  A position that
 * does not fit (a column past 32767, more than 65534 sources) is kept
 * whole in the loader's table of big origins, col saying so. */
typedef struct origin8 {
    int32_t line;
    int16_t col;
    uint16_t src;
} origin8;

#define ORIGIN_BIG INT16_MIN /* col: the origin is in dloader.big */

typedef struct big_origin {
    size_t k1; /* the value's index + 1; 0: a free slot */
    origin o;
} big_origin;

typedef struct dloader {
    ls_dataset *d;
    origin8 *origins; /* d->cells' shape */
    big_origin *big;  /* open addressing by value index: the origins that
                         do not fit an origin8 (rare) */
    size_t nbig, capbig;
    const ls_scheme *s;
    ls_errors *err;
    int file;
    const char *path;
    int rc;
    int file_failed;         /* a whole file could not be read */
    int replace;             /* a value given again replaces the earlier one
                                (layers of ls_dataset_build), not a conflict */
    int strict;              /* doubtful percentages are errors */
    ls_strmap names;         /* unit full name -> index (-2: two units) */
    unsigned char *rejected; /* per unit: a row of it was refused (its
                                missing values are not reported again) */
    int names_built;
    ls_strmap known; /* every unit's name and former names -> the unit
                           (-2: more than one unit is or was called so) */
    int known_built;
    size_t *vdiag; /* indices in err of the value warnings recorded in
                      d->warnings, ascending */
    size_t nvdiag, capvdiag;
    size_t former_rows; /* rows of the table being read that give their
                           unit's former name (the first few get a note) */
    /* A province's data file names its units in the registry's order and
     * gives each unit's values in the same order: the unit after the last
     * one found, and the indicator that followed the last one read the
     * previous time, are tried first (a string compare instead of a hash
     * lookup whose probe misses the cache). */
    int last_unit; /* the unit last found by its id, -1: none */
    int *next_ind; /* ninds + 1 entries: [i] the indicator read after i
                       last time ([ninds]: first of a unit), -1 none */
} dloader;

static int find_unit_any(dloader *dl, const char *text);

static size_t big_slot(const dloader *dl, size_t k)
{
    size_t h = (k * 0x9E3779B97F4A7C15u) & (dl->capbig - 1);
    while (dl->big[h].k1 && dl->big[h].k1 != k + 1) h = (h + 1) & (dl->capbig - 1);
    return h;
}

/* Where value k came from: file -1 when from no file. */
static origin origin_get(const dloader *dl, size_t k)
{
    origin8 o = dl->origins[k];
    if (o.col == ORIGIN_BIG) return dl->big[big_slot(dl, k)].o;
    return (origin){(int)o.src - 1, o.line, o.col};
}

static void origin_set(dloader *dl, size_t k, int file, int line, int col)
{
    if (col > ORIGIN_BIG && col <= INT16_MAX && file < UINT16_MAX && line >= 0) {
        dl->origins[k] = (origin8){line, (int16_t)col, (uint16_t)(file + 1)};
        return;
    }
    if (2 * (dl->nbig + 1) > dl->capbig) { /* grow: rehash */
        big_origin *old = dl->big;
        size_t oldcap = dl->capbig;
        dl->capbig = oldcap ? 2 * oldcap : 64;
        dl->big = ls_xcalloc(dl->capbig, sizeof *dl->big);
        for (size_t i = 0; i < oldcap; i++)
            if (old[i].k1) dl->big[big_slot(dl, old[i].k1 - 1)] = old[i];
        free(old);
    }
    big_origin *b = &dl->big[big_slot(dl, k)];
    if (!b->k1) dl->nbig++;
    *b = (big_origin){k + 1, {file, line, col}};
    dl->origins[k] = (origin8){0, ORIGIN_BIG, 0};
}

static const char *suggest_unit(const ls_scheme *s, const char *id)
{
    const char *best = NULL;
    size_t bestd = (size_t)-1;
    for (size_t i = 0; i < s->nunits; i++) {
        size_t d = ls_edit_distance(id, s->units[i].id);
        if (d < bestd) {
            bestd = d;
            best = s->units[i].id;
        }
    }
    return bestd <= 2 ? best : NULL;
}

/* The error for a unit id (or name) the scheme does not know, at
 * line:col; name is the row's 单位名称 beside an id, or NULL. */
static int unknown_unit(dloader *dl, const char *id, const char *name, int line, int col)
{
    /* last year's id or name of a renamed or merged unit (机构改革) */
    if (ls_scheme_former_unit_error(dl->s, id, 1, dl->err, dl->path, line, col)) return -1;
    /* an id typed anew beside the name the form kept from last year */
    int o = name && *name && find_unit_any(dl, name) == -1 ? ls_scheme_former_name_unit(dl->s, name, -1) : -1;
    if (o >= 0)
        return ls_errorf(dl->err, dl->path, line, col,
                         "unknown unit '%s': this row's name %s is the former name of unit %s (id %s); write "
                         "this year's id %s",
                         id, name, dl->s->units[o].name, dl->s->units[o].id, dl->s->units[o].id);
    /* 001 saved by a spreadsheet as the number 1 */
    if (*id >= '0' && *id <= '9' && id[strspn(id, "0123456789")] == '\0')
        for (size_t i = 0; i < dl->s->nunits; i++) {
            const char *u = dl->s->units[i].id;
            size_t z = strspn(u, "0");
            if (z && u[z] && !strcmp(u + z, id + strspn(id, "0")) && u[strspn(u, "0123456789")] == '\0')
                return ls_errorf(dl->err, dl->path, line, col,
                                 "unknown unit '%s': the registry has '%s' (%s); a spreadsheet drops the leading "
                                 "zeros of an id it takes for a number: format the id column as text and type "
                                 "the ids again",
                                 id, u, dl->s->units[i].name);
        }
    const char *sug = suggest_unit(dl->s, id);
    if (sug)
        return ls_errorf(dl->err, dl->path, line, col, "unknown unit '%s' (did you mean '%s'?)", id, sug);
    return ls_errorf(dl->err, dl->path, line, col, "unknown unit '%s': it is not in the scheme's unit registry", id);
}

static int unknown_indicator(dloader *dl, const char *id, int line, int col)
{
    const char *sug = ls_scheme_suggest_indicator(dl->s, id);
    if (sug)
        return ls_errorf(dl->err, dl->path, line, col, "unknown indicator '%s' (did you mean '%s'?)", id, sug);
    const ls_indicator *near = ls_scheme_suggest_indicator_name(dl->s, id); /* a header in Chinese */
    if (near)
        return ls_errorf(dl->err, dl->path, line, col, "unknown indicator '%s' (did you mean '%s' (%s)?)", id,
                         near->name, near->id);
    return ls_errorf(dl->err, dl->path, line, col, "unknown indicator '%s': it is not in the scheme's catalogue", id);
}

/* Decimal text times 10^shift, written plainly ("0.955" shifted by 2 is
 * "95.5"), exactly; text that is not a decimal number is copied. */
const char *ls_data_shift_decimal(const char *text, int shift, char *out, size_t size)
{
    char digits[64];
    size_t nd = 0;
    int exp = 0, neg = 0, seen_point = 0;
    const char *p = text;
    if (*p == '+' || *p == '-') neg = *p++ == '-';
    for (; (*p >= '0' && *p <= '9') || (*p == '.' && !seen_point); p++) {
        if (*p == '.') {
            seen_point = 1;
            continue;
        }
        if (nd == sizeof digits - 1) goto copy;
        digits[nd++] = *p;
        if (seen_point) exp--;
    }
    if (*p == 'e' || *p == 'E') {
        char *end;
        long e = strtol(p + 1, &end, 10);
        if (end == p + 1 || *end || e < -300 || e > 300) goto copy;
        exp += (int)e;
    } else if (*p) {
        goto copy;
    }
    if (!nd) goto copy;
    exp += shift;
    /* digits x 10^exp: leading zeros off */
    size_t lead = 0;
    while (lead + 1 < nd && digits[lead] == '0') lead++;
    memmove(digits, digits + lead, nd - lead);
    nd -= lead;
    digits[nd] = '\0';
    ls_buf b;
    ls_buf_init(&b);
    if (neg) ls_buf_puts(&b, "-");
    if (exp >= 0) {
        ls_buf_add(&b, digits, nd);
        for (int i = 0; i < exp && !(nd == 1 && digits[0] == '0'); i++) ls_buf_puts(&b, "0");
    } else {
        size_t frac = (size_t)-exp;
        if (frac >= nd) {
            ls_buf_puts(&b, "0.");
            for (size_t i = nd; i < frac; i++) ls_buf_puts(&b, "0");
            ls_buf_add(&b, digits, nd);
        } else {
            ls_buf_add(&b, digits, nd - frac);
            ls_buf_puts(&b, ".");
            ls_buf_add(&b, digits + nd - frac, frac);
        }
        while (b.n && b.p[b.n - 1] == '0') b.p[--b.n] = '\0';
        if (b.n && b.p[b.n - 1] == '.') b.p[--b.n] = '\0';
    }
    snprintf(out, size, "%s", b.p);
    ls_buf_cleanup(&b);
    return out;
copy:
    snprintf(out, size, "%s", text);
    return out;
}

static void add_warning(ls_dataset *d, ls_data_warning_kind kind, const char *path, int line, int col, int unit,
                        int ind, const char *value, const char *msg)
{
    LS_GROW(d->warnings, d->nwarnings, d->capwarnings, 4);
    d->warnings[d->nwarnings++] = (ls_data_warning){kind,
                                                    path ? ls_arena_strdup(&d->arena, path) : NULL,
                                                    line,
                                                    col,
                                                    unit,
                                                    ind,
                                                    value ? ls_arena_strdup(&d->arena, value) : NULL,
                                                    ls_arena_strdup(&d->arena, msg),
                                                    -1};
    if (unit < 0) return;
    if (!d->unit_warning) {
        size_t n = d->scheme->nunits ? d->scheme->nunits : 1;
        d->unit_warning = ls_xmalloc(n * sizeof *d->unit_warning);
        for (size_t u = 0; u < n; u++) d->unit_warning[u] = -1;
    }
    /* appended at the end of the unit's chain: the order printed */
    int *link = &d->unit_warning[unit];
    while (*link >= 0) link = &d->warnings[*link].next;
    *link = (int)d->nwarnings - 1;
}

void ls_dataset_add_warning(ls_dataset *d, const ls_data_warning *w)
{
    add_warning(d, w->kind, w->file, w->line, w->col, w->unit, w->ind, w->value, w->msg);
}

const ls_data_warning *ls_dataset_value_warning(const ls_dataset *d, size_t unit, size_t ind)
{
    if (!d || !d->unit_warning) return NULL;
    for (int i = d->unit_warning[unit]; i >= 0; i = d->warnings[i].next)
        if (d->warnings[i].ind == (int)ind) return &d->warnings[i];
    return NULL;
}

/* The other warnings the load printed (a YAML data file's full-width
 * comma), those of err from index n0 on not recorded already, each in
 * the sources' English whatever the locale printed it in. */
static void add_other_warnings(ls_dataset *d, const ls_errors *err, size_t n0, const size_t *recorded,
                               size_t nrecorded)
{
    /* recorded: the indices in err of the value warnings, ascending (a
     * merge, not a search per warning: a province typed in fractions
     * has one per unit) */
    size_t j = 0;
    for (size_t i = n0; i < err->n; i++) {
        while (j < nrecorded && recorded[j] < i) j++;
        if (j < nrecorded && recorded[j] == i) continue;
        const ls_diag *g = &err->v[i];
        /* in English: the outputs are the same in every language */
        if (g->sev == LS_SEV_WARNING)
            add_warning(d, LS_DW_OTHER, g->path, g->line, g->col, -1, -1, NULL, g->msg_c ? g->msg_c : g->msg);
    }
}

/* Check text against the indicator and store it, detecting conflicts
 * with values from earlier files.  kind says what a spreadsheet cell was
 * (LS_IN_TEXT for CSV and YAML). */
static void set_value_kind(dloader *dl, int unit, int ind, const char *text, int plain, int line, int col,
                           ls_inkind kind)
{
    ls_dataset *d = dl->d;
    const ls_indicator *in = &dl->s->inds[ind];
    ls_value v;
    char msg[512], shifted[96];
    static const char *const tphrase[] = {N_("an integer"), N_("a number"), N_("a percentage"),
                                          N_("a boolean"), N_("a choice"), N_("text")};
    const char *tname = tphrase[in->spec.type]; /* translated only for a message */
    switch (kind) {
    case LS_IN_ERROR:
        dl->rc = ls_errorf(dl->err, dl->path, line, col,
                           "the cell holds the error value %s (a formula that failed), not a value for "
                           "indicator '%s' %s",
                           text, in->id, in->name);
        return;
    case LS_IN_DATE:
        if (in->spec.type == LS_T_TEXT) break;
        dl->rc = ls_errorf(dl->err, dl->path, line, col,
                           "the cell holds a date (%s), but indicator '%s' %s is %s: type the value, or "
                           "format the cell as a number (Excel turns 3-1 or 3/1 into a date)",
                           text, in->id, in->name, _(tname));
        return;
    case LS_IN_BOOL:
        if (in->spec.type == LS_T_BOOLEAN) break;
        dl->rc = ls_errorf(dl->err, dl->path, line, col,
                           "the cell holds a TRUE/FALSE value, but indicator '%s' %s is %s", in->id, in->name,
                           _(tname));
        return;
    case LS_IN_PERCENT:
        /* Excel stores 95% as 0.95 in a cell with a percent format */
        if (in->spec.type == LS_T_PERCENT) text = ls_data_shift_decimal(text, 2, shifted, sizeof shifted);
        break;
    default:
        break;
    }
    int code = -1; /* an enum value written as its label (市级 for city) */
    if (in->spec.type == LS_T_ENUM && in->labels) code = ls_indicator_label_code(in, text);
    if (ls_value_parse(&in->spec, code >= 0 ? in->spec.choices[code] : text, plain, &v, msg, sizeof msg)) {
        if (in->spec.type == LS_T_ENUM && in->labels) {
            char *choices = ls_indicator_choices_text(in);
            dl->rc = ls_errorf(dl->err, dl->path, line, col, "expected one of %s; found '%s'%s (indicator '%s' %s)",
                               choices, text, code == -2 ? _(", the label of several values: write the code") : "",
                               in->id, in->name);
            free(choices);
            return;
        }
        size_t tl = strlen(text);
        int curly = tl >= 6 && !memcmp(text, "\xE2\x80\x9C", 3) && !memcmp(text + tl - 3, "\xE2\x80\x9D", 3);
        dl->rc = ls_errorf(dl->err, dl->path, line, col, "%s (indicator '%s' %s)%s", msg, in->id, in->name,
                           curly ? ": the full-width quotes “” are part of the value; write it without them, "
                                   "or quote with the half-width \""
                                 : "");
        return;
    }
    /* a percent typed as a fraction (0.95 for 95 %) would score as 0.95 % */
    if (in->spec.type == LS_T_PERCENT && kind != LS_IN_PERCENT && v.num > 0 && v.num <= 1 &&
        !strchr(text, '%')) {
        /* ls_errorf and ls_warnf translate the format; N_ marks it for extraction */
        const char *fmt = N_("value %s of percent indicator '%s' %s is read as %s %%: if a fraction is meant "
                             "(0.95 for 95 %%), write the percentage (95 or 95%%)%s");
        if (dl->strict) {
            dl->rc = ls_errorf(dl->err, dl->path, line, col, fmt, text, in->id, in->name, text, "");
            return;
        }
        ls_warnf(dl->err, dl->path, line, col, fmt, text, in->id, in->name, text,
                 _("; --strict makes this an error"));
        LS_GROW(dl->vdiag, dl->nvdiag, dl->capvdiag, 16);
        dl->vdiag[dl->nvdiag++] = dl->err->n - 1;
        /* kept below in English of its own (m): the diag's English copy,
         * one a unit in a province typed in fractions, is not needed */
        ls_diag *g = &dl->err->v[dl->err->n - 1];
        free(g->msg_c);
        g->msg_c = NULL;
        char *m = ls_format(fmt, text, in->id, in->name, text, "");
        add_warning(dl->d, LS_DW_PERCENT_FRACTION, dl->path, line, col, unit, ind, text, m);
        free(m);
    }
    if (v.type == LS_T_TEXT) v.str = ls_arena_strdup(&d->arena, v.str);
    size_t k = (size_t)unit * dl->s->ninds + (size_t)ind;
    if (!dl->replace && ls_dataset_has(d, (size_t)unit, (size_t)ind) && origin_get(dl, k).file >= 0) {
        ls_value old = ls_dataset_value(d, (size_t)unit, (size_t)ind);
        if (ls_value_equal(&old, &v)) return;
        char a[256], b[256];
        origin o = origin_get(dl, k);
        char *where = ls_where(d->files[o.file], o.line, o.col);
        dl->rc = ls_errorf(dl->err, dl->path, line, col,
                           "conflicting values for unit '%s', indicator '%s': %s here, but %s at %s",
                           dl->s->units[unit].id, in->id, ls_value_format(&v, a, sizeof a),
                           ls_value_format(&old, b, sizeof b), where);
        free(where);
        return;
    }
    ls_dataset_put(d, (size_t)unit, (size_t)ind, &v);
    origin_set(dl, k, dl->file, line, col);
}

static void set_value(dloader *dl, int unit, int ind, const char *text, int plain, int line, int col)
{
    set_value_kind(dl, unit, ind, text, plain, line, col, LS_IN_TEXT);
}

/* The values of unit u from a mapping {indicator id: value}. */
static void load_unit_values(dloader *dl, ls_yr *r, int u, const ls_ynode *vals)
{
    if (!vals || ls_ynode_is_null(vals)) return;
    char what[160];
    snprintf(what, sizeof what, _("the values of unit '%s'"), dl->s->units[u].id);
    if (ls_yr_expect_map(r, vals, what)) {
        dl->rc = -1;
        return;
    }
    size_t prev = dl->s->ninds; /* "the unit's first" */
    for (size_t j = 0; j < vals->n; j++) {
        const ls_ynode *ik = ls_ymap_key(vals, j), *iv = ls_ymap_val(vals, j);
        int ind = dl->next_ind ? dl->next_ind[prev] : -1;
        if (ind < 0 || strcmp(dl->s->inds[ind].id, ik->str)) ind = ls_scheme_find_indicator(dl->s, ik->str);
        if (ind >= 0 && dl->next_ind) {
            dl->next_ind[prev] = ind;
            prev = (size_t)ind;
        }
        if (ind < 0) {
            dl->rc = unknown_indicator(dl, ik->str, ik->line, ik->col);
            continue;
        }
        if (ls_ynode_is_null(iv)) {
            /* a later layer's ~ takes an earlier value back: "not given" */
            if (dl->replace) dl->d->cells[(size_t)u * dl->s->ninds + (size_t)ind] = 0;
            continue;
        }
        if (iv->kind != LS_YSCALAR) {
            char buf[96];
            dl->rc = ls_yr_error(r, iv, "expected a single value for indicator '%s', found %s",
                                 ik->str, ls_ynode_describe(iv, buf, sizeof buf));
            continue;
        }
        set_value(dl, u, ind, iv->str, iv->plain, iv->line, iv->col);
    }
}

/* The unit a data file names at line:col by its id or full name, or -1
 * with an error (unknown, or a name several units share); name is the
 * row's name beside an id, or NULL. */
static int unit_at(dloader *dl, const char *text, const char *name, int line, int col)
{
    int u = find_unit_any(dl, text);
    if (u == -2)
        dl->rc = ls_errorf(dl->err, dl->path, line, col,
                           "several units are called '%s': name the unit by its id", text);
    else if (u < 0)
        dl->rc = unknown_unit(dl, text, name, line, col);
    return u < 0 ? -1 : u;
}

/* One unit of a data file's `units`, as the file is parsed. */
static void load_unit(dloader *dl, const ls_ynode *k, const ls_ynode *vals)
{
    ls_yr r = {dl->path, dl->err};
    int u = unit_at(dl, k->str, NULL, k->line, k->col);
    if (u >= 0) load_unit_values(dl, &r, u, vals);
}

static void each_unit(void *ctx, const ls_ynode *k, const ls_ynode *vals) { load_unit(ctx, k, vals); }

/* A YAML data file.  Its units are loaded as they are parsed (the file's
 * tree is never held whole: at a million units it would take gigabytes);
 * what they report waits in `later` until the file is known to be good
 * YAML and its head (year, source) is checked, so the messages are those,
 * in the order, of loading the whole tree first. */
static void load_yaml(dloader *dl)
{
    ls_ydoc doc;
    ls_errors later, *err = dl->err;
    ls_errors_init(&later);
    later.limit = err->limit;
    dl->err = &later;
    int bad = ls_yaml_load_each(&doc, dl->path, "units", each_unit, dl, err);
    dl->err = err;
    if (bad) {
        dl->rc = dl->file_failed = -1;
        ls_errors_cleanup(&later);
        ls_yaml_cleanup(&doc);
        return;
    }
    ls_yr r = {dl->path, dl->err};
    const ls_ynode *root = doc.root, *n;
    static const char *const keys[] = {"year", "source", "units", NULL};
    if (ls_yr_expect_map(&r, root, "a data file (year, source, units)")) {
        dl->file_failed = -1;
        goto out;
    }
    /* the appeals decided, kept beside the data (in its folder) */
    if ((n = ls_ymap_get(root, "adjustments")) && !ls_ymap_get(root, "units")) {
        dl->rc = dl->file_failed = ls_yr_error(&r, n,
                                               "this is a file of appeals decided ('adjustments:'), not data: give "
                                               "it with --adjustments, and keep it out of the data files and folders");
        goto out;
    }
    if (ls_yr_check_keys(&r, root, keys, "a data file")) dl->rc = -1;
    if ((n = ls_ymap_get(root, "year"))) {
        long y;
        if (ls_yr_int(&r, n, "year", 1949, 2200, &y)) dl->rc = -1;
        else if (y != dl->s->year)
            dl->rc = ls_yr_error(&r, n, "data for year %ld, but the scheme is for %d", y, dl->s->year);
    }
    const ls_ynode *units = ls_yr_require(&r, root, "units", "a data file");
    if (!units) {
        dl->rc = dl->file_failed = -1;
        goto out;
    }
    if (ls_yr_expect_map(&r, units,
                         units && units->kind == LS_YSEQ && units->n && units->items[0]->kind == LS_YMAP
                             ? N_("'units' (unit id: its values; a list of units is a registry, such as "
                                  "units.yaml, not data)")
                             : "'units' (unit id: its values)")) {
        dl->rc = dl->file_failed = -1;
        goto out;
    }
    /* streamed already: a mapping was given to each_unit pair by pair */
    ls_errors_append(err, &later);
out:
    if (!root || root->kind != LS_YMAP) dl->rc = -1;
    ls_errors_cleanup(&later);
    ls_yaml_cleanup(&doc);
}

/* A column header: an indicator's id, its name, or its name followed by
 * its unit in brackets, as `lawscore template` writes them ("签订合同数（件）",
 * "签订合同数(件)", or the brackets mixed). */
static int find_indicator_by_name(const ls_scheme *s, const char *name)
{
    int i = ls_scheme_find_indicator(s, name);
    if (i >= 0) return i;
    for (size_t k = 0; k < s->ninds; k++)
        if (!strcmp(s->inds[k].name, name)) return (int)k;
    for (size_t k = 0; k < s->ninds; k++) {
        const ls_indicator *in = &s->inds[k];
        /* a percentage's unit is % even when the catalogue does not say */
        const char *unit = in->unit[0] ? in->unit : in->spec.type == LS_T_PERCENT ? "%"
                                                                                  : "";
        size_t nl = strlen(in->name), ul = strlen(unit);
        if (!ul || strncmp(name, in->name, nl)) continue;
        const char *b = name + nl;
        /* either bracket half-width or full-width, mixed as typed: "数(人）" */
        size_t ol = !strncmp(b, "（", 3) ? 3 : b[0] == '(' ? 1
                                                           : 0;
        if (!ol || strncmp(b + ol, unit, ul)) continue;
        if (!strcmp(b + ol + ul, "）") || !strcmp(b + ol + ul, ")")) return (int)k;
    }
    return -1;
}

static int add_source(ls_dataset *d, const char *name);

/* The role of a data table's column, by its header. */
enum {
    COL_IGNORED = -2,
    COL_UNIT = -3,
    COL_NAME = -4,
    COL_GROUP = -5,
    COL_FLAGS = -6
};

static int is_unit_header(const char *c)
{
    return !strcmp(c, "unit") || !strcmp(c, "id") || !strcmp(c, "单位编号") || !strcmp(c, "单位代码");
}
static int is_name_header(const char *c)
{
    return !strcmp(c, "name") || !strcmp(c, "单位名称") || !strcmp(c, "单位");
}

/* A column an office adds to its table that holds no indicator: 序号 (the
 * row number) and remarks (备注, 说明). */
static int is_office_header(const char *c)
{
    static const char *const names[] = {"序号", "备注", "说明", "填报说明", "note", "notes", "remark", "remarks"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(c, names[i])) return 1;
    return 0;
}

/* Rows of one table giving a former name that get a note of their own;
 * the rest are counted in one note at the table's end. */
#define FORMER_NOTES 3

/* A data row's name cell that is not its unit's name this year.  Last
 * year's name of the same unit (former_names:) is accepted with a note:
 * the id agrees, and a form filled in from last year's copy keeps the old
 * name.  Unless another unit is called that, now or formerly: then which
 * unit the row means is not clear.  Returns -1 after an error, else 0. */
static int row_name_differs(dloader *dl, int row, const char *unit_head, const char *id, int u,
                            const ls_incell *c)
{
    const ls_scheme *s = dl->s;
    const ls_unit *un = &s->units[u];
    int former = 0;
    for (size_t f = 0; f < un->nformer_names; f++) former |= !strcmp(un->former_names[f], c->text);
    if (!former) {
        /* another unit's former name (and nobody's name now): the row is
         * likely that unit's, its id typed or sorted wrong */
        int o = find_unit_any(dl, c->text) == -1 ? ls_scheme_former_name_unit(s, c->text, u) : -1;
        if (o >= 0)
            return ls_errorf(dl->err, dl->path, c->line, c->col,
                             "row %d: %s %s is %s in the registry, but this row says %s, the former name of unit "
                             "%s (id %s): if the row is that unit's, correct its %s to %s",
                             row, unit_head, id, un->name, c->text, s->units[o].name, s->units[o].id, unit_head,
                             s->units[o].id);
        return ls_errorf(dl->err, dl->path, c->line, c->col,
                         "row %d: %s %s is %s in the registry, but this row says %s", row, unit_head, id, un->name,
                         c->text);
    }
    if (!dl->known_built) { /* once: a province copied from last year has many such rows */
        ls_strmap_init(&dl->known);
        dl->known_built = 1;
        for (size_t i = 0; i < s->nunits; i++)
            for (size_t f = 0; f <= s->units[i].nformer_names; f++) {
                const char *nm = f ? s->units[i].former_names[f - 1] : s->units[i].name;
                int old;
                if (ls_strmap_put(&dl->known, nm, (int)i, &old) && old != (int)i) ls_strmap_set(&dl->known, nm, -2);
            }
    }
    for (size_t i = 0; ls_strmap_get(&dl->known, c->text) == -2 && i < s->nunits; i++) {
        if ((int)i == u) continue;
        int other = !strcmp(s->units[i].name, c->text);
        for (size_t f = 0; f < s->units[i].nformer_names; f++) other |= !strcmp(s->units[i].former_names[f], c->text);
        if (other)
            return ls_errorf(dl->err, dl->path, c->line, c->col,
                             "row %d: %s %s is %s in the registry; this row says %s, its former name, but %s (%s) "
                             "is or was called that too: write this year's name %s",
                             row, unit_head, id, un->name, c->text, s->units[i].id, s->units[i].name, un->name);
    }
    if (dl->former_rows++ < FORMER_NOTES)
        ls_notef(dl->err, dl->path, c->line, c->col,
                 "row %d: %s %s is %s in the registry; this row gives its former name %s (its 'former_names:')", row,
                 unit_head, id, un->name, c->text);
    return 0;
}

/* A unit named by its id or its full name; -1 if neither, -2 if the name
 * is shared by several units. */
static int find_unit_any(dloader *dl, const char *text)
{
    /* (ids are unique: the id of the unit predicted is that unit) */
    int p = dl->last_unit + 1;
    if (p >= 0 && (size_t)p < dl->s->nunits && !strcmp(dl->s->units[p].id, text)) return dl->last_unit = p;
    int u = ls_scheme_find_unit(dl->s, text);
    if (u >= 0) return dl->last_unit = u;
    if (!dl->names_built) {
        ls_strmap_init(&dl->names);
        dl->names_built = 1;
        for (size_t i = 0; i < dl->s->nunits; i++) {
            int old;
            /* a shared name names no unit: mark it (in place: a scan of
             * the map per shared name was quadratic, and a province has
             * a 司法局 in every county) */
            if (ls_strmap_put(&dl->names, dl->s->units[i].name, (int)i, &old))
                ls_strmap_set(&dl->names, dl->s->units[i].name, -2);
        }
    }
    return ls_strmap_get(&dl->names, text);
}

/* Does the table's header name a unit column (its sheet is data)? */
static int data_table_matches(const ls_intable *t)
{
    if (t->nrows == 0) return 0;
    for (size_t j = 0; j < t->rows[0].n; j++)
        if (is_unit_header(t->rows[0].f[j].text) || is_name_header(t->rows[0].f[j].text)) return 1;
    return 0;
}

/* The cell of a unit column in one of the few rows below the header, or
 * NULL: a table with two header rows (category names merged over the
 * columns, then the columns' own names). */
static const ls_incell *unit_header_below(const ls_intable *t)
{
    /* left of the first row's first cell: outside the table's columns */
    if (t->stray.text && (is_unit_header(t->stray.text) || is_name_header(t->stray.text))) return &t->stray;
    for (size_t i = 1; i < t->nrows && i <= 3; i++)
        for (size_t j = 0; j < t->rows[i].n; j++) {
            const ls_incell *c = &t->rows[i].f[j];
            if (is_unit_header(c->text) || is_name_header(c->text)) return c;
        }
    return NULL;
}

/* The header cell by which table t is one of the assessment year's other
 * forms rather than data, or NULL: a self-assessment (a 自评分 column)
 * or a register of appeals decided (类型 with 核定分 or 新值), unless an
 * indicator has that name; *register_form says which. */
static const ls_incell *year_form_header(const ls_scheme *s, const ls_intable *t, int *register_form)
{
    if (t->nrows == 0) return NULL;
    const ls_inrow *h = &t->rows[0];
    const ls_incell *self = NULL, *kind = NULL, *decided = NULL;
    for (size_t j = 0; j < h->n; j++) {
        const char *c = h->f[j].text;
        if (find_indicator_by_name(s, c) >= 0) continue;
        if (!strcmp(c, "自评分")) self = &h->f[j];
        else if (!strcmp(c, "类型")) kind = &h->f[j];
        else if (!strcmp(c, "核定分") || !strcmp(c, "新值")) decided = &h->f[j];
    }
    *register_form = kind && decided;
    return *register_form ? kind : self;
}

/* A self-assessment or a register of appeals given as data (saved into
 * the data folder, or named among the data files): one error at the
 * header cell that tells it, rather than an unknown indicator per column
 * and a second row per unit.  1 when b is such a file. */
static int year_form_given_as_data(dloader *dl, const ls_inbook *b)
{
    for (size_t k = 0; k < b->ntabs; k++) {
        int reg;
        const ls_incell *c = year_form_header(dl->s, &b->tabs[k], &reg);
        if (!c) continue;
        if (reg)
            ls_errorf(dl->err, b->tabs[k].path, c->line, c->col,
                      "this is a register of appeals decided (columns 类型 and 核定分 or 新值), not data: give it "
                      "with --adjustments, and keep it out of the data files and folders");
        else
            ls_errorf(dl->err, b->tabs[k].path, c->line, c->col,
                      "this is a self-assessment (a column 自评分), not data: give it with --self, and keep it out "
                      "of the data files and folders");
        dl->rc = dl->file_failed = -1;
        return 1;
    }
    return 0;
}

static int second_header(dloader *dl, const ls_intable *t, const char *path)
{
    const ls_incell *c = unit_header_below(t);
    if (!c) return 0;
    return ls_errorf(dl->err, path, c->line, c->col,
                     "the header is the table's first row, but the unit column '%s' is in a row below it: a table "
                     "has one header row; delete the rows above this one (such as category names over the "
                     "columns)",
                     c->text);
}

/* A header taken as one of the unit columns (`what`) that also names an
 * indicator: the column could mean either, which is an error. */
static void ambiguous_header(dloader *dl, const ls_incell *f, const char *what)
{
    int ind = find_indicator_by_name(dl->s, f->text);
    if (ind < 0) return;
    const ls_indicator *in = &dl->s->inds[ind];
    dl->rc = ls_errorf(dl->err, dl->path, f->line, f->col,
                       "column '%s' could mean %s or indicator '%s' (%s, scheme line %d): "
                       "head the indicator's column with its id",
                       f->text, what, in->id, in->name, in->line);
}

static void load_table(dloader *dl, const ls_intable *t)
{
    const ls_scheme *s = dl->s;
    const ls_inrow *h = &t->rows[0];
    int *col_ind = ls_xmalloc(h->n * sizeof *col_ind);
    int unit_col = -1, name_col = -1, group_col = -1, flags_col = -1;
    int any_name = 0;
    for (size_t j = 0; j < h->n; j++) {
        if (is_unit_header(h->f[j].text) && unit_col < 0) unit_col = (int)j;
        any_name |= is_name_header(h->f[j].text);
    }
    if (unit_col < 0 && !any_name) {
        dl->rc = dl->file_failed = ls_errorf(dl->err, dl->path, h->f[0].line, h->f[0].col,
                                             "no unit id column: name one column 'unit' (or 'id', '单位编号', or '单位名称' "
                                             "for full names)");
        goto out;
    }
    for (size_t j = 0; j < h->n; j++) {
        const char *c = h->f[j].text;
        col_ind[j] = COL_IGNORED;
        if ((int)j == unit_col) {
            ambiguous_header(dl, &h->f[j], _("the unit id column"));
            col_ind[j] = COL_UNIT;
            continue;
        }
        /* the unit's name, group and flags, unless an indicator has that very
         * id (a header that is also an indicator's name is an error) */
        if (ls_scheme_find_indicator(s, c) < 0) {
            if (is_name_header(c) && name_col < 0) {
                ambiguous_header(dl, &h->f[j], _("the unit name column"));
                col_ind[j] = COL_NAME;
                name_col = (int)j;
                continue;
            }
            if ((!strcmp(c, "group") || !strcmp(c, "分组")) && group_col < 0) {
                ambiguous_header(dl, &h->f[j], _("the unit group column"));
                col_ind[j] = COL_GROUP;
                group_col = (int)j;
                continue;
            }
            if ((!strcmp(c, "flags") || !strcmp(c, "标记")) && flags_col < 0) {
                ambiguous_header(dl, &h->f[j], _("the unit flags column"));
                col_ind[j] = COL_FLAGS;
                flags_col = (int)j;
                continue;
            }
            /* what offices add to a table and nobody scores: the row
             * number, a remark (unless an indicator is so named) */
            if (is_office_header(c) && find_indicator_by_name(s, c) < 0) continue;
        }
        int ind = find_indicator_by_name(s, c);
        if (ind < 0) {
            dl->rc = unknown_indicator(dl, c, h->f[j].line, h->f[j].col);
            continue;
        }
        for (size_t k = 0; k < j; k++)
            if (col_ind[k] == ind)
                dl->rc = ls_errorf(dl->err, dl->path, h->f[j].line, h->f[j].col,
                                   "column for indicator '%s' given twice (first in column %zu)", s->inds[ind].id, k + 1);
        col_ind[j] = ind;
    }
    /* a table without an id column names its units by their full names */
    if (unit_col < 0) unit_col = name_col;
    if (unit_col < 0) goto out; /* the name column is an indicator's id */
    const char *unit_head = h->f[unit_col].text;
    int *seen = ls_xcalloc(s->nunits, sizeof *seen);
    for (size_t i = 1; i < t->nrows; i++) {
        const ls_inrow *row = &t->rows[i];
        const ls_incell *uf = &row->f[unit_col];
        if (!uf->text[0]) {
            dl->rc = ls_errorf(dl->err, dl->path, uf->line, uf->col,
                               "the row has values but no unit: fill in column '%s'", unit_head);
            continue;
        }
        const char *name = name_col >= 0 && name_col != unit_col ? row->f[name_col].text : NULL;
        int u = unit_at(dl, uf->text, name, uf->line, uf->col);
        if (u < 0) continue;
        const ls_unit *un = &s->units[u];
        if (seen[u]) {
            if (uf->col < 0)
                dl->rc = ls_errorf(dl->err, dl->path, uf->line, uf->col,
                                   "unit '%s' has a second row in this sheet (first at row %d)", uf->text, seen[u]);
            else
                dl->rc = ls_errorf(dl->err, dl->path, uf->line, uf->col,
                                   "unit '%s' has a second row in this file (first at line %d)", uf->text, seen[u]);
            continue;
        }
        seen[u] = row->line;
        /* the office's one table: name, group and flags must agree with
         * the registry (a one-column sort in Excel swaps units' rows) */
        int bad = 0;
        if (name_col >= 0 && name_col != unit_col && row->f[name_col].text[0] &&
            strcmp(row->f[name_col].text, un->name))
            bad = row_name_differs(dl, row->line, unit_head, uf->text, u, &row->f[name_col]);
        if (group_col >= 0 && row->f[group_col].text[0]) {
            const ls_incell *c = &row->f[group_col];
            int g = ls_scheme_find_group_any(s, c->text);
            if (g != un->group)
                bad = ls_errorf(dl->err, dl->path, c->line, c->col,
                                "row %d: unit %s (%s) is in group %s (%s) in the registry, but this row says %s",
                                row->line, un->id, un->name, s->groups[un->group].id, s->groups[un->group].name,
                                c->text);
        }
        if (flags_col >= 0) {
            const ls_incell *c = &row->f[flags_col];
            uint64_t fl;
            char badf[128];
            if (ls_scheme_parse_flags(s, c->text, &fl, badf, sizeof badf))
                bad = ls_errorf(dl->err, dl->path, c->line, c->col,
                                "unknown flag '%s' (the scheme's flags are declared under 'flags:'; "
                                "separate flags with ';')",
                                badf);
            else if (fl != un->flags) {
                ls_buf want;
                ls_buf_init(&want);
                for (size_t f = 0; f < s->nflags; f++)
                    if (un->flags >> f & 1) ls_buf_printf(&want, "%s%s", want.n ? ";" : "", s->flags[f]);
                bad = ls_errorf(dl->err, dl->path, c->line, c->col,
                                "row %d: unit %s (%s) has the flags '%s' in the registry, but this row says '%s'",
                                row->line, un->id, un->name, want.p ? want.p : "", c->text);
                ls_buf_cleanup(&want);
            }
        }
        if (bad) {
            dl->rc = -1;
            if (!dl->rejected) dl->rejected = ls_xcalloc(s->nunits, 1);
            dl->rejected[u] = 1;
            continue;
        }
        for (size_t j = 0; j < row->n; j++) {
            if (col_ind[j] < 0) continue;
            if (!row->f[j].text[0]) {
                /* a required value's empty cell: where fill_defaults
                 * reports it, if no file gives the value; empty in two
                 * files (the units' returned workbooks, each with every
                 * unit's row), it is reported at the unit (line -1) */
                size_t k = (size_t)u * s->ninds + (size_t)col_ind[j];
                if (s->inds[col_ind[j]].required && !dl->d->cells[k]) {
                    if (origin_get(dl, k).line)
                        origin_set(dl, k, 0, -1, 0);
                    else
                        origin_set(dl, k, dl->file, row->f[j].line, row->f[j].col);
                }
                continue;
            }
            set_value_kind(dl, u, col_ind[j], row->f[j].text, 1, row->f[j].line, row->f[j].col,
                           (ls_inkind)row->f[j].kind);
        }
    }
    free(seen);
out:
    free(col_ind);
}

/* Every table of a CSV or spreadsheet file whose header names units: the
 * book b read from spec (read ahead: table_ahead), rc what reading it
 * returned.  b is cleaned up. */
static void load_table_file(dloader *dl, const char *spec, ls_inbook *b, int rc)
{
    if (rc) {
        dl->rc = dl->file_failed = -1;
        ls_inbook_cleanup(b);
        return;
    }
    if (year_form_given_as_data(dl, b)) {
        ls_inbook_cleanup(b);
        return;
    }
    size_t used = 0;
    for (size_t k = 0; k < b->ntabs; k++) {
        const ls_intable *t = &b->tabs[k];
        if (t->nrows == 0) continue;
        /* a workbook's other sheets (instructions, notes) are skipped */
        if (b->ntabs > 1 && !b->only && !data_table_matches(t)) continue;
        if (t->note) ls_notef(dl->err, t->path, 0, 0, "%s", _(t->note));
        /* two header rows: said before the check, which would call the
         * unit column's cells outside the table */
        if (!t->too_large && !data_table_matches(t) && second_header(dl, t, t->path)) {
            dl->rc = dl->file_failed = -1;
            used++;
            continue;
        }
        if (ls_intable_check(t, dl->err)) {
            dl->rc = dl->file_failed = -1;
            used++;
            continue;
        }
        dl->file = add_source(dl->d, t->path);
        dl->path = dl->d->files[dl->file];
        dl->former_rows = 0;
        load_table(dl, t);
        if (dl->former_rows > FORMER_NOTES)
            ls_notef(dl->err, t->path, 0, 0,
                     "%zu more rows give their unit's former name (its 'former_names:'), read as this year's unit",
                     dl->former_rows - FORMER_NOTES);
        used++;
    }
    for (size_t k = 0; !used && b->ntabs > 1 && k < b->ntabs; k++)
        if (second_header(dl, &b->tabs[k], b->tabs[k].path)) used = 1, dl->rc = dl->file_failed = -1;
    if (!used) {
        dl->rc = dl->file_failed = ls_errorf(dl->err, b->ntabs ? b->tabs[0].file : spec, 0, 0,
                                             b->ntabs > 1 ? "no sheet has a unit column in its first row ('unit', 'id', 单位编号 or 单位名称)"
                                                          : "the table is empty: expected a header row");
    }
    ls_inbook_cleanup(b);
}

/* A table file read ahead on a thread of its own while the files before
 * it are loaded: parsing a CSV or a workbook (ls_inbook_load) needs
 * nothing of the data set, and it costs as much as a quarter of loading.
 * What it reports waits in its own list until the file's turn, then joins
 * the others where reading it then would have put it: the messages and
 * the data are the same, in the same order.  One file ahead at most, so a
 * province given as a hundred county files holds two books, not a
 * hundred. */
typedef struct table_ahead {
    const char *spec;
    ls_inbook b;
    ls_errors err;
    int rc;
    pthread_t thread;
    int started; /* on its thread (else read when waited for) */
} table_ahead;

static void *table_ahead_main(void *arg)
{
    table_ahead *a = arg;
    a->rc = ls_inbook_load(&a->b, a->spec, &a->err);
    return NULL;
}

/* Start reading the first table file among paths[from, n); returns its
 * index, or n when there is none. */
static size_t table_ahead_start(table_ahead *a, const char *const *paths, size_t from, size_t n,
                                const ls_errors *err)
{
    while (from < n && !ls_intable_is_table(paths[from])) from++;
    if (from == n) return n;
    memset(a, 0, sizeof *a);
    a->spec = paths[from];
    ls_errors_init(&a->err);
    a->err.limit = err->limit; /* what it keeps, appended, is what err would have */
    a->started = pthread_create(&a->thread, NULL, table_ahead_main, a) == 0;
    return from;
}

/* The book read ahead, its messages appended to err. */
static int table_ahead_wait(table_ahead *a, ls_errors *err)
{
    if (a->started) pthread_join(a->thread, NULL);
    else table_ahead_main(a); /* no thread: read now */
    ls_errors_append(err, &a->err);
    ls_errors_cleanup(&a->err);
    return a->rc;
}

/* An empty data set for s with room for the names of nfiles files. */
static ls_dataset *new_dataset(const ls_scheme *s, size_t nfiles)
{
    ls_dataset *d = ls_xcalloc(1, sizeof *d);
    ls_arena_init(&d->arena);
    d->scheme = s;
    size_t cells = s->nunits * s->ninds;
    d->cells = ls_xcalloc(cells ? cells : 1, sizeof *d->cells);
    d->capfiles = nfiles ? nfiles : 1;
    d->files = ls_xcalloc(d->capfiles, sizeof *d->files);
    d->inputs = ls_arena_alloc(&d->arena, (nfiles ? nfiles : 1) * sizeof *d->inputs);
    return d;
}

/* Add a source name (a file, or "file:sheet") to d; returns its index. */
static int add_source(ls_dataset *d, const char *name)
{
    for (size_t i = 0; i < d->nfiles; i++)
        if (!strcmp(d->files[i], name)) return (int)i;
    LS_GROW(d->files, d->nfiles, d->capfiles, 4);
    d->files[d->nfiles] = ls_arena_strdup(&d->arena, name);
    return (int)d->nfiles++;
}

/* Give every value still unset its default; a required one without value
 * is an error at the unit's declaration, unless `allow_missing`.  With a
 * hint, one error per unit names all its missing values, followed by the
 * hint. */
static void fill_defaults(dloader *dl, int allow_missing, const char *hint)
{
    ls_dataset *d = dl->d;
    const ls_scheme *s = dl->s;
    ls_buf miss;
    ls_buf_init(&miss);
    for (size_t u = 0; u < s->nunits; u++) {
        const ls_unit *un = &s->units[u];
        size_t nmiss = 0;
        miss.n = 0;
        int quiet = dl->rejected && dl->rejected[u];
        for (size_t i = 0; i < s->ninds; i++) {
            size_t k = u * s->ninds + i;
            if (d->cells[k]) continue;
            const ls_indicator *in = &s->inds[i];
            if (in->def.set) {
                ls_dataset_put(d, u, i, &in->def);
                dl->origins[k] = (origin8){0, 0, 0}; /* no file: a default */
            } else if (in->required && quiet) {
                continue; /* its row was refused, with an error */
            } else if (in->required && !allow_missing && hint) {
                ls_buf_printf(&miss, "%s'%s' (%s)", nmiss++ ? ", " : "", in->id, in->name);
            } else if (in->required && !allow_missing && origin_get(dl, k).line > 0) {
                origin o = origin_get(dl, k); /* the empty cell of a table */
                dl->rc = ls_errorf(dl->err, d->files[o.file], o.line, o.col,
                                   "unit '%s' (%s) has no value for required indicator '%s' (%s): "
                                   "its cell is empty; fill it in",
                                   un->id, un->name, in->id, in->name);
            } else if (in->required && !allow_missing) {
                dl->rc = ls_errorf(dl->err, un->path, un->line, un->col,
                                   "unit '%s' (%s) has no value for required indicator '%s' (%s)",
                                   un->id, un->name, in->id, in->name);
            } else {
                d->nmissing++;
            }
        }
        if (nmiss == 1)
            dl->rc = ls_errorf(dl->err, un->path, un->line, un->col,
                               "unit '%s' (%s) has no value for required indicator %s%s", un->id, un->name,
                               miss.p, hint);
        else if (nmiss)
            dl->rc = ls_errorf(dl->err, un->path, un->line, un->col,
                               "unit '%s' (%s) has no value for %zu required indicators: %s%s", un->id,
                               un->name, nmiss, miss.p, hint);
    }
    ls_buf_cleanup(&miss);
}

static void start_origins(dloader *dl)
{
    size_t cells = dl->s->nunits * dl->s->ninds;
    dl->origins = ls_xcalloc(cells ? cells : 1, sizeof *dl->origins);
    dl->last_unit = -1;
    dl->next_ind = ls_xmalloc((dl->s->ninds + 1) * sizeof *dl->next_ind);
    for (size_t i = 0; i <= dl->s->ninds; i++) dl->next_ind[i] = -1;
}

/* Loading is over: what the data set keeps of the origins is whether a
 * file gave each value. */
static void finish_origins(dloader *dl)
{
    ls_dataset *d = dl->d;
    size_t cells = dl->s->nunits * dl->s->ninds;
    d->given = ls_xmalloc(cells ? cells : 1);
    for (size_t k = 0; k < cells; k++) d->given[k] = d->cells[k] && origin_get(dl, k).file >= 0;
    free(dl->origins);
    dl->origins = NULL;
    free(dl->big);
    dl->big = NULL;
    free(dl->next_ind);
    dl->next_ind = NULL;
}

int ls_data_dir_files(const char *dir, const char *const *skip, size_t nskip, char ***files, size_t *n)
{
    static const char *const exts[] = {".xlsx", ".xls", ".csv", ".yaml", ".yml", NULL};
    if (ls_dir_files(dir, exts, files, n)) return -1;
    /* the files to skip, by device and inode, each stat'ed once */
    struct stat *sst = ls_xcalloc(nskip ? nskip : 1, sizeof *sst);
    unsigned char *known = ls_xcalloc(nskip ? nskip : 1, 1);
    for (size_t j = 0; j < nskip; j++) known[j] = skip[j] && stat(skip[j], &sst[j]) == 0;
    size_t k = 0;
    for (size_t i = 0; i < *n; i++) {
        struct stat fst;
        int skipped = 0, have = nskip && stat((*files)[i], &fst) == 0;
        for (size_t j = 0; have && j < nskip && !skipped; j++)
            skipped = known[j] && fst.st_dev == sst[j].st_dev && fst.st_ino == sst[j].st_ino;
        if (skipped) free((*files)[i]);
        else (*files)[k++] = (*files)[i];
    }
    free(sst);
    free(known);
    *n = k;
    return 0;
}

ls_dataset *ls_dataset_load(const ls_scheme *s, const char *const *paths, size_t nfiles,
                            int allow_missing, ls_errors *err)
{
    ls_load_opts o = {.allow_missing = allow_missing};
    return ls_dataset_load_opts(s, paths, nfiles, &o, err);
}

ls_dataset *ls_dataset_load_opts(const ls_scheme *s, const char *const *paths, size_t nfiles,
                                 const ls_load_opts *opts, ls_errors *err)
{
    ls_dataset *d = new_dataset(s, nfiles);
    dloader dl = {.d = d, .s = s, .err = err, .strict = opts->strict};
    size_t n0 = err->n;
    start_origins(&dl);
    int allow_missing = opts->allow_missing;
    table_ahead ahead;
    size_t next_table = table_ahead_start(&ahead, paths, 0, nfiles, err);
    for (size_t f = 0; f < nfiles; f++) {
        /* the file read ("data.xlsx#部门" reads data.xlsx) */
        char *file = ls_xstrdup(paths[f]);
        char *hash = strrchr(file, '#');
        if (hash && ls_intable_is_table(paths[f]) && !strchr(hash, '/') && access(paths[f], F_OK) != 0) *hash = '\0';
        d->inputs[d->ninputs++] = ls_arena_strdup(&d->arena, file);
        free(file);
        if (f == next_table) {
            int rc = table_ahead_wait(&ahead, err);
            ls_inbook b = ahead.b;
            next_table = table_ahead_start(&ahead, paths, f + 1, nfiles, err);
            load_table_file(&dl, paths[f], &b, rc);
        } else {
            dl.file = add_source(d, paths[f]);
            dl.path = d->files[dl.file];
            load_yaml(&dl);
        }
    }
    /* (required values are not asked for when a file failed: they would be
     * missing for every unit, burying the real error) */
    fill_defaults(&dl, allow_missing || dl.file_failed, NULL);
    finish_origins(&dl);
    if (dl.names_built) ls_strmap_cleanup(&dl.names);
    if (dl.known_built) ls_strmap_cleanup(&dl.known);
    free(dl.rejected);
    if (dl.rc) {
        free(dl.vdiag);
        ls_dataset_free(d);
        return NULL;
    }
    add_other_warnings(d, err, n0, dl.vdiag, dl.nvdiag);
    free(dl.vdiag);
    return d;
}

ls_dataset *ls_dataset_build(const ls_scheme *s, const ls_dataset *base, const int *base_rows,
                             const ls_values_node *layers, size_t nlayers, int allow_missing,
                             const char *hint, ls_errors *err)
{
    ls_dataset *d = new_dataset(s, nlayers * s->nunits + (base ? base->nfiles : 0));
    dloader dl = {.d = d, .s = s, .err = err, .replace = 1};
    start_origins(&dl);
    int base_files = 0;
    if (base) {
        for (size_t f = 0; f < base->nfiles; f++)
            d->files[d->nfiles++] = ls_arena_strdup(&d->arena, base->files[f]);
        base_files = (int)base->nfiles;
    }
    for (size_t u = 0; u < s->nunits; u++) {
        int row = base && base_rows ? base_rows[u] : -1;
        for (size_t i = 0; row >= 0 && i < s->ninds; i++) {
            ls_value v = ls_dataset_value(base, (size_t)row, i);
            size_t k = u * s->ninds + i;
            if (!v.set) continue;
            if (v.type == LS_T_TEXT) v.str = ls_arena_strdup(&d->arena, v.str);
            ls_dataset_put(d, u, i, &v);
            /* (only whether it was given counts: layers replace values,
             * no conflict is reported) */
            dl.origins[k] = (origin8){0, 0, base->given[(size_t)row * s->ninds + i] ? 1 : 0};
        }
        for (size_t k = 0; k < nlayers; k++) {
            const ls_values_node *l = &layers[u * nlayers + k];
            if (!l->map) continue;
            int f;
            for (f = base_files; f < (int)d->nfiles; f++)
                if (!strcmp(d->files[f], l->path)) break;
            if (f == (int)d->nfiles) d->files[d->nfiles++] = ls_arena_strdup(&d->arena, l->path);
            dl.file = f;
            dl.path = d->files[f];
            ls_yr r = {dl.path, err};
            load_unit_values(&dl, &r, (int)u, l->map);
        }
    }
    fill_defaults(&dl, allow_missing, hint ? hint : "");
    finish_origins(&dl);
    free(dl.vdiag); /* (a layer's doubtful percent: in d->warnings, as printed) */
    if (dl.rc) {
        ls_dataset_free(d);
        return NULL;
    }
    return d;
}

void ls_dataset_free(ls_dataset *d)
{
    if (!d) return;
    free(d->files);
    free(d->cells);
    free(d->given);
    free(d->warnings);
    free(d->unit_warning);
    ls_arena_cleanup(&d->arena);
    free(d);
}
