/*
 * ls_compare.c - year over year comparison and attribution (see
 * ls_compare.h).
 */
#include "ls_compare.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ls_csv.h"
#include "ls_diff.h"
#include "ls_value.h"

ls_dataset *ls_compare_dataset(const ls_scheme *s, const ls_dataset *a_data, const ls_results *a,
                               const ls_results *b, ls_buf *missing, ls_errors *err)
{
    int *rows = ls_xmalloc((s->nunits ? s->nunits : 1) * sizeof *rows);
    for (size_t u = 0; u < s->nunits; u++) rows[u] = (int)u;
    ls_dataset *d = ls_dataset_build(s, a_data, rows, NULL, 0, 1, NULL, err);
    free(rows);
    if (!d) return NULL;
    unsigned char *carried = ls_xcalloc(s->ninds + 1, 1);
    for (size_t u = 0; u < s->nunits; u++) {
        const ls_unit *un = &s->units[u];
        int ib = ls_results_find_unit(b, un->id, NULL, 0);
        if (ib < 0) continue;
        const ls_runit *ub = &b->units[ib];
        for (size_t i = 0; i < ub->nnodes; i++) {
            for (size_t k = 0; k < ub->nodes[i].ninds; k++) {
                const ls_rind *x = &ub->nodes[i].inds[k];
                int ind = ls_scheme_find_indicator(s, x->id);
                if (ind < 0) continue;
                carried[ind] = 1;
                size_t c = u * s->ninds + (size_t)ind;
                if (!strcmp(x->value, "未填报")) {
                    d->cells[c] = 0;
                    continue;
                }
                ls_value v;
                char msg[256];
                /* a value of the later year that the earlier catalogue
                 * does not accept (a new enum choice) stays as it was */
                if (ls_value_parse(&s->inds[ind].spec, x->value, 1, &v, msg, sizeof msg)) continue;
                if (v.type == LS_T_TEXT) v.str = ls_arena_strdup(&d->arena, v.str);
                ls_dataset_put(d, u, (size_t)ind, &v);
            }
        }
    }
    /* what the earlier rules read that the later year does not hold */
    size_t n = 0;
    for (size_t u = 0; u < a->nunits; u++)
        for (size_t i = 0; i < a->units[u].nnodes; i++)
            for (size_t k = 0; k < a->units[u].nodes[i].ninds; k++) {
                int ind = ls_scheme_find_indicator(s, a->units[u].nodes[i].inds[k].id);
                if (ind < 0 || carried[ind]) continue;
                carried[ind] = 2; /* named once, as the office reads it */
                ls_buf_printf(missing, "%s%s", n++ ? "、" : "", s->inds[ind].name);
            }
    free(carried);
    return d;
}

/* ---- the comparison as tables ------------------------------------- */

/* A new row of empty cells (rows grow by whole rows, so LS_GROW's one
 * element at a time does not fit). */
static void t_row(ls_cmp_table *t)
{
    size_t need = (t->nrows + 1) * t->ncols;
    if (need > t->cap) {
        t->cap = 2 * need;
        t->cells = ls_xrealloc(t->cells, t->cap * sizeof *t->cells);
    }
    memset(&t->cells[t->nrows * t->ncols], 0, t->ncols * sizeof *t->cells);
    t->nrows++;
}

static void t_set(ls_cmp_table *t, size_t col, char *own)
{
    t->cells[(t->nrows - 1) * t->ncols + col] = own;
}

const char *ls_cmp_cell(const ls_cmp_table *t, size_t row, size_t col)
{
    const char *c = t->cells[row * t->ncols + col];
    return c ? c : "";
}

static void t_free(ls_cmp_table *t)
{
    for (size_t i = 0; i < t->nrows * t->ncols; i++) free(t->cells[i]);
    free(t->cells);
}

static void t_print(const ls_cmp_table *t, FILE *out)
{
    int *w = ls_xcalloc(t->ncols, sizeof *w);
    for (size_t i = 0; i < t->nrows * t->ncols; i++) {
        int dw = ls_display_width(ls_cmp_cell(t, i / t->ncols, i % t->ncols));
        if (dw > w[i % t->ncols]) w[i % t->ncols] = dw;
    }
    for (size_t r = 0; r < t->nrows; r++) {
        int pending = 0;
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = ls_cmp_cell(t, r, c);
            int gap = w[c] - ls_display_width(s);
            /* the first column (names) left, the numbers right */
            if (c) pending += 2 + gap;
            if (*s) {
                for (; pending > 0; pending--) fputc(' ', out);
                fputs(s, out);
            }
            if (!c) pending += gap;
        }
        fputc('\n', out);
    }
    free(w);
}

static char *fmt_fixed(ls_fixed v, int digits)
{
    char b[32];
    return ls_xstrdup(ls_dec_format(v, digits, b));
}

static char *fmt_signed(ls_fixed v, int digits)
{
    char b[32];
    b[0] = v > 0 ? '+' : '-';
    ls_dec_format(v < 0 ? -v : v, digits, b + (v != 0));
    return ls_xstrdup(b);
}

static const ls_runit *first_unit(const ls_results *r) { return r->nunits ? &r->units[0] : NULL; }

static int is_category(const ls_rnode *n) { return n->depth == 0 && !strcmp(n->section, "main"); }

/* The total of unit `id` in run m (the mixed run: earlier rules, later
 * data; or the later year without its score decisions), and whether it
 * is whole (no rule failed). */
static int run_total(const ls_run *m, const char *id, ls_fixed *t)
{
    if (!m) return 0;
    int u = ls_scheme_find_unit(m->scheme, id);
    if (u < 0 || m->units[u].errors) return 0;
    *t = m->units[u].total;
    return 1;
}

/* Whether the later result has a score decision about unit `id`. */
static int has_decision(const ls_results *b, const char *id)
{
    for (size_t i = 0; i < b->nadj; i++)
        if (!strcmp(b->adj[i].kind, "score") && !strcmp(b->adj[i].unit, id)) return 1;
    return 0;
}

/* The effect of the later year's score decisions on ub's total: 0 for a
 * unit none decided about (a decision replaces an item score of its own
 * unit only), else its total less its total from the rules alone.
 * Returns whether it is known. */
static int review_effect(const ls_compare_in *in, const ls_runit *ub, ls_fixed *eff)
{
    ls_fixed t;
    *eff = 0;
    if (!has_decision(in->b, ub->id)) return 1;
    if (!run_total(in->undecided, ub->id, &t)) return 0;
    *eff = ub->total - t;
    return 1;
}

/* One later unit against its predecessor: the figures every format shows. */
typedef struct figures {
    const ls_runit *ua, *ub;
    size_t merged;
    char *name;                   /* "区应急管理局（原区安监局）", "…（合并）" */
    char *data, *scheme, *review; /* the effects; NULL: not known */
    char *cap;                    /* the share cap's words, or NULL */
} figures;

static void figures_of(const ls_compare_in *in, const ls_runit *ub, figures *f)
{
    const ls_results *a = in->a, *b = in->b;
    int dg = b->digits;
    memset(f, 0, sizeof *f);
    f->ub = ub;
    int ia = ls_results_predecessor(a, ub, &f->merged);
    const ls_runit *ua = f->ua = ia >= 0 ? &a->units[ia] : NULL;
    f->name = ua && strcmp(ua->id, ub->id) ? ls_format("%s（原%s）", ub->name, ua->name)
              : f->merged                  ? ls_format("%s（合并）", ub->name)
                                           : ls_xstrdup(ub->name);
    ls_fixed mt = 0, rv = 0;
    int attributed = ua && run_total(in->mixed, ua->id, &mt);
    int reviewed = review_effect(in, ub, &rv);
    /* data + scheme + decisions = the change, exactly */
    if (attributed) f->data = fmt_signed(mt - ua->total, dg);
    if (attributed && reviewed) f->scheme = fmt_signed(ub->total - rv - mt, dg);
    if (reviewed && (ua || rv)) f->review = fmt_signed(rv, dg);
    ls_buf w;
    ls_buf_init(&w);
    if (ua && ls_diff_cap_words(a, ua, b, ub, &w)) f->cap = w.p;
    else ls_buf_cleanup(&w);
}

/* The next unit of group g in b's rank order from position *o on (which
 * moves past it), or NULL. */
static const ls_runit *next_unit(const ls_results *b, size_t g, size_t *o)
{
    while (*o < b->nunits) {
        const ls_runit *u = &b->units[b->order[(*o)++]];
        if (!strcmp(u->group, b->groups[g].id)) return u;
    }
    return NULL;
}

static void figures_cleanup(figures *f)
{
    free(f->name);
    free(f->data);
    free(f->scheme);
    free(f->review);
    free(f->cap);
}

/* The columns of the change per category: the later year's top-level
 * categories, then the earlier year's that the later one dropped, then
 * the parts of the total outside the categories.  With them a row adds
 * up to the change of the total exactly:
 *
 *   change = Σ categories + 加分 + 扣分 + 折算
 *
 * (a category counts 0 where it did not apply; 扣分 is its effect on the
 * total, negative when the deductions grew, with the clamp at 0 in it;
 * 折算 is what rescaling to 100 added, main − main_raw). */
typedef enum part_kind {
    PART_CATEGORY,
    PART_BONUS,
    PART_DEDUCT,
    PART_RESCALE
} part_kind;

typedef struct part {
    part_kind kind;
    const ls_rnode *cat; /* PART_CATEGORY: the later node, or the earlier one */
    int dropped;         /* a category only the earlier year has */
} part;

static const char *const part_heads[] = {NULL, "加分", "扣分", "折算"};

/* The columns for a against b; *n of them (caller frees). */
static part *parts(const ls_results *a, const ls_results *b, size_t *n)
{
    const ls_runit *fa = first_unit(a), *fb = first_unit(b);
    size_t cap = (fa ? fa->nnodes : 0) + (fb ? fb->nnodes : 0) + 3;
    part *p = ls_xcalloc(cap, sizeof *p);
    *n = 0;
    for (size_t i = 0; fb && i < fb->nnodes; i++)
        if (is_category(&fb->nodes[i])) p[(*n)++] = (part){PART_CATEGORY, &fb->nodes[i], 0};
    for (size_t i = 0; fa && i < fa->nnodes; i++)
        if (is_category(&fa->nodes[i]) && !(fb && ls_results_node(fb, fa->nodes[i].id)))
            p[(*n)++] = (part){PART_CATEGORY, &fa->nodes[i], 1};
    p[(*n)++] = (part){PART_BONUS, NULL, 0};
    p[(*n)++] = (part){PART_DEDUCT, NULL, 0};
    p[(*n)++] = (part){PART_RESCALE, NULL, 0};
    return p;
}

/* A dropped category's column: "原2" (its earlier 序号 may be another
 * category's now).  Caller frees. */
static char *part_number(const part *p)
{
    return p->dropped ? ls_format("原%s", p->cat->number) : ls_xstrdup(p->cat->number);
}

/* Unit u's share of the total in part p; 0 for a category that did not
 * apply.  *applies: whether it did (always for the other parts). */
static ls_fixed part_value(const part *p, const ls_runit *u, int *applies)
{
    *applies = 1;
    switch (p->kind) {
    case PART_BONUS: return u->bonus;
    case PART_DEDUCT: return u->total - u->main - u->bonus;
    case PART_RESCALE: return u->main - u->main_raw;
    case PART_CATEGORY: break;
    }
    const ls_rnode *x = ls_results_node(u, p->cat->id);
    *applies = x && x->scored;
    return *applies ? x->score : 0;
}

/* The change of part p of ub against ua, as a cell: "-" (CSV: "") where
 * the category applied in neither year; a unit without an earlier one
 * shows "新增" where a category applies to it. */
static char *part_change(const part *p, const ls_runit *ua, const ls_runit *ub, int dg, int csv)
{
    int ya, yb;
    ls_fixed vb = part_value(p, ub, &yb);
    if (!ua) return ls_xstrdup(p->kind == PART_CATEGORY && yb ? "新增" : csv ? ""
                                                                             : "-");
    ls_fixed va = part_value(p, ua, &ya);
    if (!ya && !yb) return ls_xstrdup(csv ? "" : "-");
    return fmt_signed(vb - va, dg);
}

static void add_line(ls_comparison *c, char *own)
{
    c->lines = ls_xrealloc(c->lines, (c->nlines + 1) * sizeof *c->lines);
    c->lines[c->nlines++] = own;
}

static void add_note(ls_cmp_group *g, char *own)
{
    g->notes = ls_xrealloc(g->notes, (g->nnotes + 1) * sizeof *g->notes);
    g->notes[g->nnotes++] = own;
}

/* The lines after the groups: the categories with what changed in the
 * scheme, merged units, units no longer assessed, the attribution. */
static void closing_lines(const ls_compare_in *in, const part *cols, size_t ncol, ls_comparison *c)
{
    const ls_results *a = in->a, *b = in->b;
    const ls_runit *fa = first_unit(a);
    int dg = b->digits;
    char p[32], q[32];
    add_line(c, ls_xstrdup("类别："));
    for (size_t k = 0; k < ncol && cols[k].kind == PART_CATEGORY; k++) {
        const ls_rnode *n = cols[k].cat;
        const ls_rnode *x = fa ? ls_results_node(fa, n->id) : NULL;
        char *num = part_number(&cols[k]);
        if (cols[k].dropped)
            add_line(c, ls_format("  %s  %s(%s)  %d年删去", num, n->name, ls_dec_format_short(n->points, dg, p),
                                  b->year));
        else if (!x)
            add_line(c, ls_format("  %s  %s(%s)  %d年新增", num, n->name, ls_dec_format_short(n->points, dg, q),
                                  b->year));
        else if (x->points != n->points)
            add_line(c, ls_format("  %s  %s(%s→%s)", num, n->name, ls_dec_format_short(x->points, dg, p),
                                  ls_dec_format_short(n->points, dg, q)));
        else
            add_line(c, ls_format("  %s  %s(%s)", num, n->name, ls_dec_format_short(n->points, dg, q)));
        free(num);
    }
    add_line(c, ls_xstrdup("  加分  加分项目（计入加分上限后）"));
    add_line(c, ls_xstrdup("  扣分  扣分项目对总分的影响（扣分增加为负数）"));
    add_line(c, ls_xstrdup("  折算  有项目不适用的单位折算为百分制的差额"));
    add_line(c, ls_xstrdup("各类别与加分、扣分、折算的变动之和等于总分变动（不适用的类别按0分计）。"));
    for (size_t i = 0; i < b->nunits; i++) {
        const ls_runit *ub = &b->units[i];
        size_t merged;
        if (ls_results_predecessor(a, ub, &merged) >= 0 || !merged) continue;
        ls_buf t;
        ls_buf_init(&t);
        ls_buf_printf(&t, "%s由", ub->name);
        for (size_t f = 0, n = 0; f < ub->nformerly; f++) {
            int k = ls_strmap_get(&a->unit_ix, ub->formerly[f]);
            if (k < 0) continue;
            ls_buf_printf(&t, "%s%s（%s）", n++ ? "、" : "", a->units[k].name, ls_dec_format(a->units[k].total, dg, p));
        }
        ls_buf_puts(&t, "合并，不作比较");
        add_line(c, t.p);
    }
    for (size_t i = 0; i < a->nunits; i++)
        if (!ls_results_continues(b, &a->units[i]))
            add_line(c, ls_format("%s：%d年不再考核", a->units[i].name, b->year));
    add_line(c, ls_xstrdup(""));
    int ya = a->year, yb = b->year;
    if (!in->mixed) {
        add_line(c, ls_format("归因：从略（%s）", in->why_not ? in->why_not : "无法按上一年度方案计分"));
    } else {
        add_line(c, ls_format("归因：按%d年度方案对%d年度数据重新计分，并对%d年度不计复核决定重新计分。"
                              "数据的影响 = 按%d年度方案计的%d年得分 − %d年得分；"
                              "方案的影响 = 不计复核决定的%d年得分 − 按%d年度方案计的%d年得分；"
                              "复核的影响 = %d年得分 − 不计复核决定的%d年得分。三者之和等于总分变动；"
                              "复核中的数据更正属于数据，计入数据的影响。",
                              ya, yb, yb, ya, yb, ya, yb, ya, yb, yb, yb));
        if (in->missing && *in->missing)
            add_line(c, ls_format("无法归因：%d年度数据中没有以下指标，按%d年数据计：%s", yb, ya, in->missing));
        size_t nerr = 0;
        for (size_t u = 0; u < in->mixed->scheme->nunits; u++) nerr += in->mixed->units[u].errors > 0;
        if (nerr) add_line(c, ls_format("无法归因：%zu个单位有项目按%d年度方案无法计分（标为-）", nerr, ya));
    }
    if (in->why_not_review)
        add_line(c, ls_format("复核的影响从略（%s）：有复核决定的单位，方案的影响和复核的影响标为-", in->why_not_review));
}

void ls_compare_build(const ls_compare_in *in, ls_comparison *c)
{
    const ls_results *a = in->a, *b = in->b;
    int dg = b->digits;
    memset(c, 0, sizeof *c);
    c->title = ls_format("%s（%s） → %s（%s）", a->name, a->source, b->name, b->source);
    c->year_a = a->year;
    c->year_b = b->year;
    size_t ncol;
    part *cols = parts(a, b, &ncol);
    c->groups = ls_xcalloc(b->ngroups + 1, sizeof *c->groups);
    for (size_t g = 0; g < b->ngroups; g++) {
        ls_cmp_group *cg = &c->groups[c->ngroups];
        cg->name = b->groups[g].name;
        cg->units = (ls_cmp_table){NULL, 10, 0, 0};
        cg->cats = (ls_cmp_table){NULL, ncol + 2, 0, 0};
        ls_cmp_table *t = &cg->units, *tc = &cg->cats;
        t_row(t);
        const char *head[] = {"单位", NULL, NULL, "变动", "名次", "名次变动", "等次", "数据的影响", "方案的影响",
                              "复核的影响"};
        for (size_t k = 0; k < 10; k++) t_set(t, k, head[k] ? ls_xstrdup(head[k]) : NULL);
        t_set(t, 1, ls_format("%d总分", a->year));
        t_set(t, 2, ls_format("%d总分", b->year));
        t_row(tc);
        t_set(tc, 0, ls_xstrdup("单位"));
        for (size_t k = 0; k < ncol; k++)
            t_set(tc, k + 1, cols[k].kind == PART_CATEGORY ? part_number(&cols[k]) : ls_xstrdup(part_heads[cols[k].kind]));
        t_set(tc, ncol + 1, ls_xstrdup("总分变动"));
        const ls_runit *ub;
        for (size_t o = 0; (ub = next_unit(b, g, &o));) {
            figures f;
            figures_of(in, ub, &f);
            const ls_runit *ua = f.ua;
            t_row(t);
            t_set(t, 0, ls_xstrdup(f.name));
            t_set(t, 1, ua ? fmt_fixed(ua->total, dg) : ls_xstrdup("-"));
            t_set(t, 2, fmt_fixed(ub->total, dg));
            t_set(t, 3, ua ? fmt_signed(ub->total - ua->total, dg) : ls_xstrdup(f.merged ? "-" : "新增"));
            /* a vetoed unit has no 名次 (rank 0): "-", and no 名次变动 */
            char ra[16], rb[16];
            snprintf(ra, sizeof ra, ua && ua->rank > 0 ? "%d" : "-", ua ? ua->rank : 0);
            snprintf(rb, sizeof rb, ub->rank > 0 ? "%d" : "-", ub->rank);
            t_set(t, 4, ua ? ls_format("%s→%s", ra, rb) : ls_xstrdup(rb));
            /* 上升 N 名 / 下降 N 名, as a 通报 says it */
            t_set(t, 5, !ua || ua->rank <= 0 || ub->rank <= 0 ? ls_xstrdup(ua ? "-" : "") : ua->rank > ub->rank ? ls_format("上升%d名", ua->rank - ub->rank)
                                                                                        : ua->rank < ub->rank   ? ls_format("下降%d名", ub->rank - ua->rank)
                                                                                                                : ls_xstrdup("持平"));
            t_set(t, 6, ua && strcmp(ua->grade, ub->grade) ? ls_format("%s→%s", ua->grade, ub->grade) : ls_xstrdup(ub->grade));
            t_set(t, 7, ls_xstrdup(f.data ? f.data : "-"));
            t_set(t, 8, ls_xstrdup(f.scheme ? f.scheme : "-"));
            t_set(t, 9, ls_xstrdup(f.review ? f.review : "-"));
            t_row(tc);
            t_set(tc, 0, ls_xstrdup(f.name));
            for (size_t k = 0; k < ncol; k++) t_set(tc, k + 1, part_change(&cols[k], ua, ub, dg, 0));
            t_set(tc, ncol + 1, ls_xstrdup(ls_cmp_cell(t, t->nrows - 1, 3)));
            if (f.cap) {
                ls_buf hl;
                ls_buf_init(&hl);
                ls_diff_headline(a, ua, b, ub, &hl);
                add_note(cg, hl.p);
            }
            cg->moves = ls_xrealloc(cg->moves, (cg->nmoves + 1) * sizeof *cg->moves);
            cg->moves[cg->nmoves++] = (ls_cmp_move){ub->name, ua ? ua->name : NULL, ua ? ua->rank : 0, ub->rank};
            figures_cleanup(&f);
        }
        if (t->nrows > 1) {
            cg->nunits = t->nrows - 1;
            c->ngroups++;
        } else {
            t_free(t);
            t_free(tc);
            free(cg->moves);
            memset(cg, 0, sizeof *cg);
        }
    }
    closing_lines(in, cols, ncol, c);
    free(cols);
}

void ls_comparison_cleanup(ls_comparison *c)
{
    for (size_t g = 0; g < c->ngroups; g++) {
        ls_cmp_group *cg = &c->groups[g];
        t_free(&cg->units);
        t_free(&cg->cats);
        for (size_t i = 0; i < cg->nnotes; i++) free(cg->notes[i]);
        free(cg->notes);
        free(cg->moves);
    }
    free(c->groups);
    for (size_t i = 0; i < c->nlines; i++) free(c->lines[i]);
    free(c->lines);
    free(c->title);
}

/* ---- text and CSV ---------------------------------------------------- */

static void write_text(const ls_compare_in *in, FILE *out)
{
    ls_comparison c;
    ls_compare_build(in, &c);
    fprintf(out, "%s\n", c.title);
    for (size_t g = 0; g < c.ngroups; g++) {
        const ls_cmp_group *cg = &c.groups[g];
        fprintf(out, "\n%s（%zu个单位）\n", cg->name, cg->nunits);
        t_print(&cg->units, out);
        for (size_t i = 0; i < cg->nnotes; i++) fprintf(out, "说明：%s\n", cg->notes[i]);
        fprintf(out, "\n%s 各类别得分变动（按类别编号对应）\n", cg->name);
        t_print(&cg->cats, out);
    }
    fputc('\n', out);
    for (size_t i = 0; i < c.nlines; i++) fprintf(out, "%s\n", c.lines[i]);
    ls_comparison_cleanup(&c);
}

typedef struct csvw {
    FILE *out;
    int n, err;
} csvw;

static void c_field(csvw *w, const char *s)
{
    if (w->n++) fputc(',', w->out);
    if (ls_csv_write_field(w->out, s ? s : "", strlen(s ? s : ""))) w->err = errno ? errno : EIO;
}

static void c_own(csvw *w, char *s)
{
    c_field(w, s);
    free(s);
}

static void c_end(csvw *w)
{
    fputs("\r\n", w->out);
    w->n = 0;
}

static int write_csv(const ls_compare_in *in, FILE *out)
{
    const ls_results *a = in->a, *b = in->b;
    int dg = b->digits;
    size_t ncol;
    part *cols = parts(a, b, &ncol);
    csvw cw = {out, 0, 0};
    fputs("\xEF\xBB\xBF", out);
    const char *head[] = {"单位编号", "单位名称", "组别", "原单位编号"};
    for (size_t i = 0; i < 4; i++) c_field(&cw, head[i]);
    /* 2017总分, 2018总分, 总分变动, the same for 名次; 2017等次, 2018等次 */
    const char *per_year[] = {"总分", "名次", "等次"};
    for (size_t i = 0; i < 3; i++) {
        c_own(&cw, ls_format("%d%s", a->year, per_year[i]));
        c_own(&cw, ls_format("%d%s", b->year, per_year[i]));
        if (i < 2) c_own(&cw, ls_format("%s变动", per_year[i]));
    }
    c_field(&cw, "数据变动的影响");
    c_field(&cw, "方案变动的影响");
    c_field(&cw, "复核决定的影响");
    /* the category as the office reads it: its 序号 and name */
    for (size_t k = 0; k < ncol; k++) {
        if (cols[k].kind != PART_CATEGORY) {
            c_own(&cw, ls_format("%s对总分的影响", part_heads[cols[k].kind]));
            continue;
        }
        char *num = part_number(&cols[k]);
        c_own(&cw, ls_format("%s %s 变动", num, cols[k].cat->name));
        free(num);
    }
    c_field(&cw, "等次说明");
    c_end(&cw);
    for (size_t g = 0; g < b->ngroups; g++) {
        const ls_runit *ub;
        for (size_t o = 0; (ub = next_unit(b, g, &o));) {
            figures f;
            figures_of(in, ub, &f);
            const ls_runit *ua = f.ua;
            c_field(&cw, ub->id);
            c_field(&cw, ub->name);
            c_field(&cw, b->groups[g].name);
            if (f.merged) {
                ls_buf ids;
                ls_buf_init(&ids);
                for (size_t k = 0; k < ub->nformerly; k++) ls_buf_printf(&ids, "%s%s", k ? ";" : "", ub->formerly[k]);
                c_field(&cw, ids.p);
                ls_buf_cleanup(&ids);
            } else {
                c_field(&cw, ua ? ua->id : "");
            }
            c_own(&cw, ua ? fmt_fixed(ua->total, dg) : ls_xstrdup(""));
            c_own(&cw, fmt_fixed(ub->total, dg));
            c_own(&cw, ua ? fmt_signed(ub->total - ua->total, dg) : ls_xstrdup(""));
            c_own(&cw, ua && ua->rank > 0 ? ls_format("%d", ua->rank) : ls_xstrdup(""));
            c_own(&cw, ub->rank > 0 ? ls_format("%d", ub->rank) : ls_xstrdup(""));
            c_own(&cw, !ua || ua->rank <= 0 || ub->rank <= 0 ? ls_xstrdup("")
                       : ua->rank == ub->rank                ? ls_xstrdup("0")
                                                             : ls_format("%+d", ua->rank - ub->rank));
            c_field(&cw, ua ? ua->grade : "");
            c_field(&cw, ub->grade);
            c_field(&cw, f.data);
            c_field(&cw, f.scheme);
            c_field(&cw, f.review);
            for (size_t k = 0; k < ncol; k++) c_own(&cw, part_change(&cols[k], ua, ub, dg, 1));
            c_field(&cw, f.cap);
            c_end(&cw);
            figures_cleanup(&f);
        }
    }
    free(cols);
    return cw.err;
}

int ls_compare_write(const ls_compare_in *in, int csv, FILE *out, ls_errors *err)
{
    errno = 0;
    int werr = 0;
    if (csv) werr = write_csv(in, out);
    else write_text(in, out);
    if (werr || ferror(out) || fflush(out) != 0)
        return ls_errorf(err, NULL, 0, 0, "cannot write the comparison: %s",
                         strerror(werr ? werr : errno ? errno
                                                      : EIO));
    return 0;
}
