/*
 * ls_diff.c - the changes between two published results (see ls_diff.h).
 */
#include "ls_diff.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ls_csv.h"
#include "ls_util.h"

static char *signed_fixed(ls_fixed v, int digits, char *buf)
{
    buf[0] = v > 0 ? '+' : '-';
    ls_dec_format(v < 0 ? -v : v, digits, buf + (v != 0));
    return buf;
}

int ls_diff_adj_new(const ls_results *a, const ls_radj *e)
{
    for (size_t k = 0; k < a->nadj; k++)
        if (!strcmp(a->adj[k].unit, e->unit) && !strcmp(a->adj[k].target, e->target) &&
            !strcmp(a->adj[k].basis, e->basis) && !strcmp(a->adj[k].new_, e->new_))
            return 0;
    return 1;
}

/* Whether appeal e is about item n: a score decision on it, or a
 * correction of an indicator it read. */
static int adj_hits(const ls_radj *e, const ls_rnode *n)
{
    if (!n) return 0;
    if (!strcmp(e->kind, "score")) return !strcmp(e->target, n->id);
    for (size_t k = 0; k < n->ninds; k++)
        if (!strcmp(n->inds[k].id, e->target)) return 1;
    return 0;
}

/* The appeals of b about unit `unit` behind item n: score decisions on it
 * and corrections of the indicators it read, that a did not have yet.
 * Their bases (文号), each once, joined with "、" into t. */
static void appeals_behind(const ls_results *a, const ls_results *b, const char *unit, const ls_rnode *n,
                           ls_buf *t)
{
    size_t start = t->n;
    for (size_t i = 0; i < b->nadj; i++) {
        const ls_radj *e = &b->adj[i];
        if (strcmp(e->unit, unit) || !adj_hits(e, n)) continue;
        if (!ls_diff_adj_new(a, e)) continue;
        if (t->p && strstr(t->p + start, e->basis)) continue;
        ls_buf_printf(t, "%s%s", t->n > start ? "、" : "复核决定 ", e->basis);
    }
}

/* Whether b still decides what appeal e of a decided: a decision of b on
 * the same unit (ub's id) and indicator or item, whatever its basis. */
static int adj_kept(const ls_results *b, const char *unit, const ls_radj *e)
{
    for (size_t k = 0; k < b->nadj; k++)
        if (!strcmp(b->adj[k].unit, unit) && !strcmp(b->adj[k].kind, e->kind) && !strcmp(b->adj[k].target, e->target))
            return 1;
    return 0;
}

int ls_diff_adj_withdrawn(const ls_results *a, const ls_results *b, const ls_radj *e)
{
    return a->year == b->year && !adj_kept(b, e->unit, e);
}

/* The appeals of a (same year as b) about item x of unit ua that b no
 * longer has (a re-publication with --withdraw), and what each had
 * changed, into t, a basis at a time: "撤销复核决定 东法考〔2018〕5号（核定得分
 * 0.00→1.00）", "撤销复核决定 东法考〔2018〕3号（更正迟报次数 3→2、漏报次数
 * 1→0）".  Across years a's decisions were about a's data: none is
 * withdrawn. */
static void withdrawn_behind(const ls_results *a, const ls_results *b, const char *ua, const char *ub,
                             const ls_rnode *x, ls_buf *t)
{
    if (a->year != b->year) return;
    for (size_t i = 0; i < a->nadj; i++) {
        const ls_radj *e = &a->adj[i];
        if (strcmp(e->unit, ua) || !adj_hits(e, x) || adj_kept(b, ub, e)) continue;
        /* the first decision of its basis about x writes them all */
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++)
            seen = !strcmp(a->adj[k].unit, ua) && adj_hits(&a->adj[k], x) && !strcmp(a->adj[k].basis, e->basis) &&
                   !adj_kept(b, ub, &a->adj[k]);
        if (seen) continue;
        ls_buf_printf(t, "%s撤销复核决定 %s（", t->n ? "；" : "", e->basis);
        for (size_t k = i, n = 0; k < a->nadj; k++) {
            const ls_radj *f = &a->adj[k];
            if (strcmp(f->unit, ua) || !adj_hits(f, x) || strcmp(f->basis, e->basis) || adj_kept(b, ub, f)) continue;
            if (!strcmp(f->kind, "score"))
                ls_buf_printf(t, "%s核定得分 %s→%s", n++ ? "、" : "", f->old, f->new_);
            else
                ls_buf_printf(t, "%s%s%s %s→%s", n ? "、" : "", n ? "" : "更正", f->what, f->old, f->new_), n++;
        }
        ls_buf_puts(t, "）");
    }
}

/* The basis of b's score decision on item y of unit `unit`, or NULL. */
static const char *decided_by(const ls_results *b, const char *unit, const ls_rnode *y)
{
    for (size_t i = 0; i < b->nadj; i++)
        if (!strcmp(b->adj[i].unit, unit) && !strcmp(b->adj[i].kind, "score") && !strcmp(b->adj[i].target, y->id))
            return b->adj[i].basis;
    return NULL;
}

/* Whether an indicator item y read has another value than in x. */
static int data_changed(const ls_rnode *x, const ls_rnode *y)
{
    for (size_t k = 0; k < y->ninds; k++)
        for (size_t j = 0; j < x->ninds; j++)
            if (!strcmp(x->inds[j].id, y->inds[k].id) && strcmp(x->inds[j].value, y->inds[k].value)) return 1;
    return 0;
}

/* The words behind one item's change (x of unit ua in a, y of ub in b):
 * indicators that changed, appeals made or withdrawn, points that
 * changed, or that the item is new.  held: the score did not change
 * because a score decision of b set it. */
static char *item_detail(const ls_results *a, const ls_results *b, const char *ua, const char *ub,
                         const ls_rnode *x, const ls_rnode *y, int held)
{
    ls_buf t;
    ls_buf_init(&t);
    if (!x) {
        ls_buf_puts(&t, "新增项目");
    } else {
        size_t n0 = 0;
        for (size_t k = 0; k < y->ninds; k++) {
            const ls_rind *iy = &y->inds[k], *ix = NULL;
            for (size_t j = 0; j < x->ninds && !ix; j++)
                if (!strcmp(x->inds[j].id, iy->id)) ix = &x->inds[j];
            if (!ix || !strcmp(ix->value, iy->value)) continue;
            ls_buf_printf(&t, "%s%s %s→%s", n0++ ? "，" : "", iy->name, ix->value, iy->value);
        }
        if (x->points != y->points) {
            char p[32], q[32];
            ls_buf_printf(&t, "%s分值%s→%s", n0++ ? "，" : "", ls_dec_format_short(x->points, b->digits, p),
                          ls_dec_format_short(y->points, b->digits, q));
        }
        ls_buf sub;
        ls_buf_init(&sub);
        char v[32];
        if (held)
            ls_buf_printf(&sub, "得分由复核决定 %s核定为%s，未随数据变动", decided_by(b, ub, y),
                          ls_dec_format(y->score, b->digits, v));
        else appeals_behind(a, b, ub, y, &sub);
        withdrawn_behind(a, b, ua, ub, x, &sub);
        if (sub.n) ls_buf_printf(&t, "%s%s", n0 ? "；" : "", sub.p);
        if (!n0 && !sub.n) ls_buf_puts(&t, "数据未变，随其他单位的数据变动");
        ls_buf_cleanup(&sub);
    }
    char *s = t.p ? t.p : ls_xstrdup("");
    return s;
}

/* The share cap behind ub's grade, in words, when it explains what the
 * totals do not: a grade lowered by the cap at b ("优秀不超过本组20%，本组
 * 优秀名额已满"; with held, the grade did not change although the total
 * now reaches the band: "总分达到优秀分数线90分，但…"), or lowered by it
 * at a and no longer ("原总分已达…").  Nothing when neither result's
 * grade was capped, or both the same way.  0: nothing to say. */
static int cap_words(const ls_results *a, const ls_runit *ua, const ls_results *b, const ls_runit *ub,
                     ls_buf *t)
{
    const ls_rband *na = ls_results_band_by_total(a, ua), *nb = ls_results_band_by_total(b, ub);
    int held = !strcmp(ua->grade, ub->grade);
    char m[32], share[32];
    if (ub->quota && nb) {
        if (held && ua->quota && na && !strcmp(na->grade, nb->grade)) return 0;
        snprintf(share, sizeof share, "%.15g", nb->max_share * 100);
        if (held)
            ls_buf_printf(t, "总分达到%s分数线%s分，但", nb->grade, ls_dec_format_short(nb->min, b->digits, m));
        ls_buf_printf(t, "%s不超过本组%s%%，本组%s名额已满", nb->grade, share, nb->grade);
        return 1;
    }
    if (ua->quota && na && !held) {
        snprintf(share, sizeof share, "%.15g", na->max_share * 100);
        ls_buf_printf(t, "原总分已达%s分数线%s分，因%s不超过本组%s%%评为%s", na->grade,
                      ls_dec_format_short(na->min, a->digits, m), na->grade, share, ua->grade);
        return 1;
    }
    return 0;
}

void ls_diff_headline(const ls_results *a, const ls_runit *ua, const ls_results *b, const ls_runit *ub,
                      ls_buf *line)
{
    char p[32], q[32], d[32];
    ls_buf_printf(line, "%s", ub->name);
    if (strcmp(ua->id, ub->id)) ls_buf_printf(line, "（原%s）", ua->name);
    if (ua->total != ub->total)
        ls_buf_printf(line, " %s → %s（%s）", ls_dec_format(ua->total, b->digits, p),
                      ls_dec_format(ub->total, b->digits, q), signed_fixed(ub->total - ua->total, b->digits, d));
    else
        ls_buf_printf(line, " 总分%s未变", ls_dec_format(ub->total, b->digits, q));
    if (ua->rank != ub->rank) {
        /* rank 0: vetoed, without a 名次 */
        ls_buf_puts(line, "，名次 ");
        if (ua->rank > 0) ls_buf_printf(line, "%d", ua->rank);
        else ls_buf_puts(line, "无名次");
        if (ub->rank > 0) ls_buf_printf(line, "→%d", ub->rank);
        else ls_buf_puts(line, "→无名次");
    }
    ls_buf w;
    ls_buf_init(&w);
    int held = !strcmp(ua->grade, ub->grade);
    if (cap_words(a, ua, b, ub, &w)) {
        if (held) ls_buf_printf(line, "，等次仍为%s（%s）", ub->grade, w.p);
        else ls_buf_printf(line, "，等次 %s→%s（%s）", ua->grade, ub->grade, w.p);
    } else if (!held) {
        ls_buf_printf(line, "，等次 %s→%s", ua->grade, ub->grade);
    }
    ls_buf_cleanup(&w);
}

int ls_diff_cap_words(const ls_results *a, const ls_runit *ua, const ls_results *b, const ls_runit *ub,
                      ls_buf *t)
{
    return cap_words(a, ua, b, ub, t);
}

static const char *group_name(const ls_results *r, const char *id)
{
    for (size_t g = 0; g < r->ngroups; g++)
        if (!strcmp(r->groups[g].id, id)) return r->groups[g].name;
    return id;
}

/* Where the changes go: CSV rows to out, or (out NULL) lines into d. */
typedef struct writer {
    FILE *out;
    int csv;
    int nfield;
    int err;
    ls_diff_lines *d;
} writer;

static void add_line(writer *w, int group, char *text)
{
    ls_diff_lines *d = w->d;
    LS_GROW(d->v, d->n, d->cap, 16);
    d->v[d->n++] = (ls_diff_line){group, text};
}

static void w_field(writer *w, const char *s)
{
    if (w->nfield++ && fputc(',', w->out) == EOF) w->err = errno ? errno : EIO;
    if (ls_csv_write_field(w->out, s, strlen(s))) w->err = errno ? errno : EIO;
}

static void w_row(writer *w, const char *unit, const char *name, const char *what, const char *was,
                  const char *now, const char *delta, const char *detail)
{
    const char *f[] = {unit, name, what, was, now, delta, detail};
    for (size_t i = 0; i < sizeof f / sizeof *f; i++) w_field(w, f[i]);
    fputs("\r\n", w->out);
    w->nfield = 0;
}

/* The items of unit ub (in b) whose score differs from ua's (in a, may be
 * NULL), in b's order; items only in a last, as 删去. */
static void unit_items(writer *w, const ls_results *a, const ls_results *b, const ls_runit *ua,
                       const ls_runit *ub, ls_buf *line)
{
    char p[32], q[32], d[32];
    size_t n = 0;
    for (size_t i = 0; i < ub->nnodes; i++) {
        const ls_rnode *y = &ub->nodes[i];
        if (!y->leaf) continue;
        const ls_rnode *x = ua ? ls_results_node(ua, y->id) : NULL;
        int was = x && x->scored, now = y->scored;
        if (!was && !now) continue;
        /* an item whose score stayed although its data changed, because a
         * score decision set it, is shown: the decision held it */
        int held = was && now && x->score == y->score && data_changed(x, y) && decided_by(b, ub->id, y);
        if (was && now && x->score == y->score && !held) continue;
        ls_fixed xs = was ? x->score : 0, ys = now ? y->score : 0;
        int veto = !strcmp(y->section, "veto");
        char *detail = item_detail(a, b, ua ? ua->id : ub->id, ub->id, x, y, held);
        const char *sx = veto ? (xs ? "否决" : "未否决") : was ? ls_dec_format(xs, b->digits, p)
                                                               : "不适用";
        const char *sy = veto ? (ys ? "否决" : "未否决") : now ? ls_dec_format(ys, b->digits, q)
                                                               : "不适用";
        /* a deduction-only item's score is the points deducted, as the
         * 评分表 prints it; its 变动 is its effect on the total (10.00 →
         * 0.00 reads +10.00), as every difference is (差值, compare's 扣分) */
        ls_fixed eff = !strcmp(y->section, "deduct") ? xs - ys : ys - xs;
        const char *delta = veto ? "" : signed_fixed(eff, b->digits, d);
        if (w->csv) {
            char *what = ls_format("%s %s", y->number, y->name);
            w_row(w, ub->id, ub->name, what, sx, sy, delta, detail);
            free(what);
        } else {
            ls_buf_printf(line, "%s%s %s %s（%s）", n ? "；" : "：", y->number, y->name,
                          veto ? (ys ? "否决" : "撤销否决") : delta, detail);
        }
        n++;
        free(detail);
    }
    for (size_t i = 0; ua && i < ua->nnodes; i++) {
        const ls_rnode *x = &ua->nodes[i];
        if (!x->leaf || ls_results_node(ub, x->id) || !x->scored) continue;
        if (w->csv) {
            char *what = ls_format("%s %s", x->number, x->name);
            w_row(w, ub->id, ub->name, what, ls_dec_format(x->score, b->digits, p), "", "", "删去的项目");
            free(what);
        } else {
            ls_buf_printf(line, "%s%s %s 删去（原%s）", n ? "；" : "：", x->number, x->name,
                          ls_dec_format(x->score, b->digits, p));
        }
        n++;
    }
}

/* Every change from a to b: CSV rows (w->csv) or lines.  Returns the
 * number of units that changed. */
static long walk(writer *w, const ls_results *a, const ls_results *b)
{
    int csv = w->csv;
    long changed = 0;
    char p[32], q[32], d[32];
    ls_buf line;
    ls_buf_init(&line);
    for (size_t g = 0; g < b->ngroups; g++) {
        /* units in b's rank order within the group */
        for (size_t o = 0; o < b->nunits; o++) {
            const ls_runit *ub = &b->units[b->order[o]];
            if (strcmp(ub->group, b->groups[g].id)) continue;
            size_t merged;
            int ia = ls_results_predecessor(a, ub, &merged);
            const ls_runit *ua = ia >= 0 ? &a->units[ia] : NULL;
            int dt = !ua || ua->total != ub->total, dr = !ua || ua->rank != ub->rank;
            int dg = !ua || strcmp(ua->grade, ub->grade);
            if (!dt && !dr && !dg) continue;
            changed++;
            line.n = 0;
            if (line.p) line.p[0] = '\0';
            if (csv) {
                if (!ua) {
                    w_row(w, ub->id, ub->name, "总分", "", ls_dec_format(ub->total, b->digits, q), "",
                          merged ? "合并设立的单位" : "新增单位");
                    continue;
                }
                w_row(w, ub->id, ub->name, "总分", ls_dec_format(ua->total, b->digits, p),
                      ls_dec_format(ub->total, b->digits, q), signed_fixed(ub->total - ua->total, b->digits, d),
                      strcmp(ua->id, ub->id) ? ua->name : "");
                if (dr) {
                    char x[16], y[16], z[16];
                    /* rank 0: vetoed, without a 名次 */
                    snprintf(x, sizeof x, ua->rank > 0 ? "%d" : "", ua->rank);
                    snprintf(y, sizeof y, ub->rank > 0 ? "%d" : "", ub->rank);
                    snprintf(z, sizeof z, ua->rank > 0 && ub->rank > 0 ? "%+d" : "", ua->rank - ub->rank);
                    w_row(w, ub->id, ub->name, "名次", x, y, z, "");
                }
                ls_buf cap;
                ls_buf_init(&cap);
                if (ls_diff_cap_words(a, ua, b, ub, &cap) || dg)
                    w_row(w, ub->id, ub->name, "等次", ua->grade, ub->grade, "", cap.p ? cap.p : "");
                ls_buf_cleanup(&cap);
                unit_items(w, a, b, ua, ub, &line);
                continue;
            }
            if (!ua) {
                add_line(w, (int)g,
                         ls_format("%s %s，总分%s", ub->name, merged ? "合并设立的单位" : "新增单位",
                                   ls_dec_format(ub->total, b->digits, q)));
                continue;
            }
            ls_diff_headline(a, ua, b, ub, &line);
            unit_items(w, a, b, ua, ub, &line);
            add_line(w, (int)g, ls_xstrdup(line.p));
        }
    }
    /* units no longer assessed */
    for (size_t i = 0; i < a->nunits; i++) {
        const ls_runit *ua = &a->units[i];
        if (ls_results_continues(b, ua)) continue;
        changed++;
        if (csv)
            w_row(w, ua->id, ua->name, "总分", ls_dec_format(ua->total, b->digits, p), "", "", "不再考核");
        else
            add_line(w, -1,
                     ls_format("%s（%s）不再考核，原总分%s", ua->name, group_name(a, ua->group),
                               ls_dec_format(ua->total, b->digits, p)));
    }
    ls_buf_cleanup(&line);
    return changed;
}

void ls_diff_lines_make(const ls_results *a, const ls_results *b, ls_diff_lines *d)
{
    memset(d, 0, sizeof *d);
    writer w = {NULL, 0, 0, 0, d};
    d->changed = walk(&w, a, b);
}

void ls_diff_lines_cleanup(ls_diff_lines *d)
{
    if (!d) return;
    for (size_t i = 0; i < d->n; i++) free(d->v[i].text);
    free(d->v);
    memset(d, 0, sizeof *d);
}

char *ls_diff_summary(long changed)
{
    return changed ? ls_format("%ld个单位的总分、名次或等次有变动", changed)
                   : ls_xstrdup("没有单位的总分、名次或等次有变动");
}

long ls_diff_write(const ls_results *a, const ls_results *b, int csv, FILE *out, ls_errors *err)
{
    errno = 0;
    long changed;
    int werr = 0;
    if (csv) {
        writer w = {out, 1, 0, 0, NULL};
        fputs("\xEF\xBB\xBF", out);
        w_row(&w, "单位编号", "单位名称", "项目", "变动前", "变动后", "变动", "说明");
        changed = walk(&w, a, b);
        werr = w.err;
    } else {
        ls_diff_lines d;
        ls_diff_lines_make(a, b, &d);
        fprintf(out, "%s → %s\n", a->source, b->source);
        for (size_t i = 0; i < d.n; i++) {
            int g = d.v[i].group;
            /* a group's heading before its first line */
            if (g >= 0 && (i == 0 || d.v[i - 1].group != g)) fprintf(out, "\n%s\n", b->groups[g].name);
            fprintf(out, "%s\n", d.v[i].text);
        }
        changed = d.changed;
        char *sum = ls_diff_summary(changed);
        fprintf(out, "\n%s\n", sum);
        free(sum);
        ls_diff_lines_cleanup(&d);
    }
    if (werr || ferror(out) || fflush(out) != 0)
        return ls_errorf(err, NULL, 0, 0, "cannot write the differences: %s", strerror(werr ? werr : errno ? errno
                                                                                                           : EIO));
    return changed;
}
