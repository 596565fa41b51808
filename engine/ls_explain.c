/*
 * ls_explain.c - explanation texts of cells and units (see ls_explain.h).
 */
#include "ls_explain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ls_value.h"

static const ls_scheme *scheme_of(const ls_run *r) { return r->scheme; }

/* Append a part, preceded by the separator unless it is the first. */
static void add_part(ls_buf *b, const char *s)
{
    if (!s || !*s) return;
    if (b->n) ls_buf_puts(b, LS_EXPLAIN_SEP);
    ls_buf_puts(b, s);
}

static void add_reasons(ls_buf *b, const ls_run *r, const ls_cell *c)
{
    for (uint32_t i = 0; i < c->nreasons; i++)
        add_part(b, r->reasons[c->reason0 + i]);
}

char *ls_explain_clamp(const ls_run *r, size_t unit, size_t node)
{
    const ls_cell *c = ls_run_cell(r, unit, node);
    if (c->state != LS_CELL_SCORED || !c->clamped) return NULL;
    const ls_scheme *s = scheme_of(r);
    const ls_node *n = &s->nodes[node];
    char pts[32];
    ls_dec_format_short(n->points, s->digits, pts);
    switch (n->section) {
    case LS_SEC_MAIN:
        return ls_xstrdup(c->clamped < 0 ? LS_EXPLAIN_CLAMP_LOW
                                         : LS_EXPLAIN_CLAMP_HIGH);
    case LS_SEC_BONUS:
        return c->clamped < 0 ? ls_xstrdup("加分为负，按0分计")
                              : ls_format("加分超过本项上限%s分，按%s分计", pts, pts);
    case LS_SEC_DEDUCT:
        return c->clamped < 0 ? ls_xstrdup("扣分为负，按0分计")
                              : ls_format("扣分超过本项上限%s分，按%s分计", pts, pts);
    case LS_SEC_VETO:
        break;
    }
    return NULL;
}

void ls_explain_cell_buf(const ls_run *r, size_t unit, size_t node, ls_buf *b)
{
    const ls_cell *c = ls_run_cell(r, unit, node);
    const ls_node *n = &scheme_of(r)->nodes[node];
    /* Our parts are joined among themselves, not to what b already holds. */
    ls_buf t;
    ls_buf_init(&t);
    switch ((ls_cell_state)c->state) {
    case LS_CELL_NA:
        ls_buf_puts(&t, "不适用");
        break;
    case LS_CELL_ERROR:
        ls_buf_puts(&t, "评分出错");
        if (c->nreasons) {
            ls_buf t2;
            ls_buf_init(&t2);
            add_reasons(&t2, r, c);
            ls_buf_puts(&t, "：");
            ls_buf_puts(&t, t2.p);
            ls_buf_cleanup(&t2);
        }
        break;
    case LS_CELL_SCORED: {
        add_reasons(&t, r, c);
        if (n->section == LS_SEC_VETO && c->score != 0 && !c->nreasons)
            add_part(&t, "一票否决");
        char *clamp = ls_explain_clamp(r, unit, node);
        add_part(&t, clamp);
        free(clamp);
        break;
    }
    }
    if (t.n) ls_buf_add(b, t.p, t.n);
    ls_buf_cleanup(&t);
}

char *ls_explain_cell(const ls_run *r, size_t unit, size_t node)
{
    ls_buf b;
    ls_buf_init(&b);
    ls_explain_cell_buf(r, unit, node, &b);
    if (!b.p) return ls_xstrdup("");
    return b.p;
}

int ls_explain_decision_keeps(const ls_run *r, const ls_adjustment *dec)
{
    if (!r->original || dec->kind != LS_ADJ_SCORE) return 0;
    char was[32], now[32];
    ls_explain_score(r->original, (size_t)dec->unit, (size_t)dec->node, was);
    return !strcmp(was, ls_dec_format(dec->score, scheme_of(r)->digits, now));
}

char *ls_explain_cell_decided(const ls_run *r, size_t unit, size_t node)
{
    ls_buf b;
    ls_buf_init(&b);
    ls_explain_cell_buf(r, unit, node, &b);
    const ls_adjustment *dec = r->adj ? ls_adjustments_decision(r->adj, unit, node) : NULL;
    if (dec) {
        char sc[32];
        ls_buf t;
        ls_buf_init(&t);
        if (ls_explain_decision_keeps(r, dec)) ls_buf_printf(&t, "经复核维持原评分（%s）", dec->basis);
        else
            ls_buf_printf(&t, "经复核核定%s分（%s）", ls_dec_format(dec->score, scheme_of(r)->digits, sc),
                          dec->basis);
        add_part(&b, t.p);
        ls_buf_cleanup(&t);
    }
    if (!b.p) return ls_xstrdup("");
    return b.p;
}

/* The reads of a cell, each as name=value, the value followed by the
 * indicator's unit when `units` (numbers only: "2次"; a percent already
 * ends in "%"); an enum value by its display name when the catalogue
 * gives one.  Appended to b, joined among themselves.  Pieces are added
 * as they are, without a format string: items.csv asks this of every
 * cell of a province. */
static void reads_add(const ls_run *r, size_t unit, size_t node, int units, ls_buf *b)
{
    const ls_cell *c = ls_run_cell(r, unit, node);
    const ls_scheme *s = scheme_of(r);
    size_t start = b->n;
    for (uint32_t i = 0; i < c->nread; i++) {
        int ind = r->reads[c->read0 + i];
        if (ind < 0 || (size_t)ind >= s->ninds) continue;
        const ls_indicator *in = &s->inds[ind];
        ls_value got = r->data ? ls_dataset_value(r->data, unit, (size_t)ind) : (ls_value){0};
        const ls_value *v = r->data ? &got : NULL;
        char vb[256];
        const char *vs = v && v->set ? ls_value_format(v, vb, sizeof vb) : "未填报";
        if (v && v->set && v->type == LS_T_ENUM) vs = ls_scheme_label(s, ind, vs); /* labels: */
        int number = v && v->set && (v->type == LS_T_INTEGER || v->type == LS_T_NUMBER);
        if (b->n > start) ls_buf_puts(b, LS_EXPLAIN_SEP);
        ls_buf_puts(b, in->name);
        ls_buf_add(b, "=", 1);
        ls_buf_puts(b, vs);
        if (units && number && in->unit) ls_buf_puts(b, in->unit);
        /* a doubtful value is marked where it is read (docs/output.md) */
        const ls_data_warning *w = r->data && r->data->nwarnings
                                       ? ls_dataset_value_warning(r->data, unit, (size_t)ind)
                                       : NULL;
        if (w) {
            char *mark = ls_explain_data_mark(w);
            ls_buf_puts(b, mark);
            free(mark);
        }
    }
}

static char *reads_text(const ls_run *r, size_t unit, size_t node, int units)
{
    ls_buf b;
    ls_buf_init(&b);
    reads_add(r, unit, node, units, &b);
    if (!b.p) return ls_xstrdup("");
    return b.p;
}

char *ls_explain_data_mark(const ls_data_warning *w)
{
    if (w->kind == LS_DW_PERCENT_FRACTION) return ls_format("（填报%s，按%s%%计，请核实）", w->value, w->value);
    return ls_xstrdup("（数据有提示，请核实）");
}

char *ls_explain_data_warning(const ls_data_warning *w)
{
    if (w->kind == LS_DW_PERCENT_FRACTION)
        return ls_format("百分比指标填报值%s，按%s%%计算；如填报的是小数（0.95表示95%%），应填写百分数"
                         "（95或95%%），核实后重新计算",
                         w->value, w->value);
    return ls_xstrdup(w->msg);
}

char *ls_explain_reads(const ls_run *r, size_t unit, size_t node)
{
    return reads_text(r, unit, node, 0);
}

void ls_explain_reads_buf(const ls_run *r, size_t unit, size_t node, ls_buf *b)
{
    reads_add(r, unit, node, 0, b);
}

char *ls_explain_reads_units(const ls_run *r, size_t unit, size_t node)
{
    return reads_text(r, unit, node, 1);
}

const char *ls_explain_score(const ls_run *r, size_t unit, size_t node,
                             char *buf)
{
    const ls_cell *c = ls_run_cell(r, unit, node);
    const ls_scheme *s = scheme_of(r);
    switch ((ls_cell_state)c->state) {
    case LS_CELL_NA: return "不适用";
    case LS_CELL_ERROR: return "错误";
    case LS_CELL_SCORED: break;
    }
    if (s->nodes[node].section == LS_SEC_VETO)
        return c->score != 0 ? "否决" : "未否决";
    return ls_dec_format(c->score, s->digits, buf);
}

char *ls_explain_section(const ls_scheme *s, ls_section sec)
{
    char a[32];
    switch (sec) {
    case LS_SEC_BONUS:
        if (s->bonus_cap < 0) return ls_xstrdup("加分项目");
        return ls_format("加分项目（加分合计不超过%s分）",
                         ls_dec_format_short(s->bonus_cap, s->digits, a));
    case LS_SEC_DEDUCT: return ls_xstrdup("扣分项目（从总分中扣减）");
    case LS_SEC_VETO: return ls_xstrdup("一票否决项目");
    case LS_SEC_MAIN: break;
    }
    return ls_xstrdup("");
}

const char *ls_explain_grade(const ls_run *r, size_t unit)
{
    const ls_unit_result *u = &r->units[unit];
    const ls_group *g = &scheme_of(r)->groups[scheme_of(r)->units[unit].group];
    if (u->band < 0 || (size_t)u->band >= g->nbands) return "";
    return g->bands[u->band].name;
}

char *ls_explain_rank(const ls_run *r, size_t unit)
{
    const ls_scheme *s = scheme_of(r);
    int g = s->units[unit].group;
    int rank = r->units[unit].rank;
    if (rank <= 0 || !r->norder) return ls_xstrdup("");
    int tied = 0;
    for (size_t k = 0; k < r->norder[g]; k++) {
        size_t v = (size_t)r->order[g][k];
        if (v != unit && r->units[v].rank == rank) tied = 1;
    }
    return ls_format("%s%s第%d名/共%zu个单位", s->groups[g].name, tied ? "并列" : "", rank,
                     r->norder[g]);
}

const ls_node *ls_explain_veto(const ls_run *r, size_t unit)
{
    int v = r->units[unit].veto;
    if (v < 0 || (size_t)v >= scheme_of(r)->nnodes) return NULL;
    return &scheme_of(r)->nodes[v];
}

const char *ls_note_kind_name(ls_note_kind k)
{
    static const char *const names[LS_NOTE_COUNT] = {
        "rescaled", "bonus_cap", "total_clamped", "veto", "tie_break", "quota", "errors", "self", "appeal"};
    return (unsigned)k < LS_NOTE_COUNT ? names[k] : "?";
}

/* The band a unit's total reaches by the bounds alone (before quotas and
 * vetoes), or -1. */
static int band_by_total(const ls_group *g, ls_fixed total)
{
    for (size_t i = 0; i < g->nbands; i++)
        if (total >= g->bands[i].min) return (int)i;
    return -1;
}

char *ls_explain_unit_note(const ls_run *r, size_t unit, ls_note_kind k)
{
    const ls_scheme *s = scheme_of(r);
    const ls_unit_result *u = &r->units[unit];
    char a[32], b[32], c[32];
    switch (k) {
    case LS_NOTE_RESCALED: {
        if (!u->rescaled) return NULL;
        char t[40];
        if (s->total == 100 * ls_dec_scale(s->digits))
            snprintf(t, sizeof t, "百分制");
        else
            snprintf(t, sizeof t, "%s分制", ls_dec_format_short(s->total, s->digits, a));
        return ls_format("适用项目满分%s分，得分%s分，折算为%s%s分",
                         ls_dec_format_short(u->applicable, s->digits, a),
                         ls_dec_format(u->main_raw, s->digits, b), t,
                         ls_dec_format(u->main, s->digits, c));
    }
    case LS_NOTE_BONUS_CAP:
        if (u->bonus_raw <= u->bonus) return NULL;
        return ls_format("加分%s分，超过上限%s分，按%s分计",
                         ls_dec_format_short(u->bonus_raw, s->digits, a),
                         ls_dec_format_short(s->bonus_cap >= 0 ? s->bonus_cap : u->bonus,
                                             s->digits, b),
                         ls_dec_format_short(u->bonus, s->digits, c));
    case LS_NOTE_TOTAL_CLAMPED:
        if (!u->total_clamped) return NULL;
        return ls_format("扣分%s分后总分低于0分，按0分计",
                         ls_dec_format_short(u->deduct, s->digits, a));
    case LS_NOTE_VETO: {
        const ls_node *v = ls_explain_veto(r, unit);
        if (!v) return NULL;
        ls_buf t;
        ls_buf_init(&t);
        ls_buf_printf(&t, "一票否决：%s", v->name);
        const ls_cell *vc = ls_run_cell(r, unit, (size_t)u->veto);
        if (vc->nreasons) {
            ls_buf rs;
            ls_buf_init(&rs);
            add_reasons(&rs, r, vc);
            /* a reason that only repeats the item's name adds nothing */
            if (strcmp(rs.p, v->name)) ls_buf_printf(&t, "：%s", rs.p);
            ls_buf_cleanup(&rs);
        }
        return t.p;
    }
    case LS_NOTE_TIE_BREAK: {
        /* Ranked below a unit with the same total by the group's
         * tie_break categories.  Such a unit shares its rank with no one,
         * so it stands at position rank - 1 of the rank order, and the
         * unit just above it is at rank - 2. */
        size_t g = (size_t)s->units[unit].group;
        if (u->rank < 2 || !r->order || (size_t)u->rank - 1 >= r->norder[g]) return NULL;
        if (r->order[g][u->rank - 1] != (int)unit) return NULL; /* a shared rank */
        size_t above = (size_t)r->order[g][u->rank - 2];
        if (r->units[above].total != u->total || r->units[above].rank == u->rank) return NULL;
        const ls_group *grp = &s->groups[g];
        for (size_t t = 0; t < grp->ntie_break; t++) {
            size_t cat = (size_t)grp->tie_break[t];
            ls_fixed mine = ls_run_cell(r, unit, cat)->score, theirs = ls_run_cell(r, above, cat)->score;
            if (mine == theirs) continue;
            const char *other = s->units[above].name;
            return ls_format("总分与%s同为%s分，“%s”得分%s分低于%s的%s分，排在其后", other,
                             ls_dec_format(u->total, s->digits, a), s->nodes[cat].name,
                             ls_dec_format(mine, s->digits, b), other, ls_dec_format(theirs, s->digits, c));
        }
        return NULL;
    }
    case LS_NOTE_QUOTA: {
        if (ls_explain_veto(r, unit) || u->band < 0) return NULL;
        const ls_group *g = &s->groups[s->units[unit].group];
        int nat = band_by_total(g, u->total);
        if (nat < 0 || u->band <= nat || (size_t)u->band >= g->nbands) return NULL;
        const ls_band *nb = &g->bands[nat];
        char share[32];
        snprintf(share, sizeof share, "%.15g", nb->max_share * 100);
        return ls_format("总分达到%s分数线%s分，但%s不超过本组%s%%，评为%s",
                         nb->name, ls_dec_format_short(nb->min, s->digits, a),
                         nb->name, share, g->bands[u->band].name);
    }
    case LS_NOTE_ERRORS:
        if (u->errors <= 0) return NULL;
        return ls_format("%d项评分出错，总分不完整", u->errors);
    case LS_NOTE_SELF:
        if (!ls_explain_overrated(r, unit)) return NULL;
        return ls_format("自评分%s分，高于考核分%s分（超过%s分），自评偏高",
                         ls_dec_format(r->self->total[unit], s->digits, a),
                         ls_dec_format(r->self->total[unit] - u->total, s->digits, b),
                         ls_dec_format_short(s->self_overrate, s->digits, c));
    case LS_NOTE_APPEAL: {
        if (!r->original) return NULL;
        const ls_unit_result *o = &r->original->units[unit];
        const char *og = ls_explain_grade(r->original, unit), *ng = ls_explain_grade(r, unit);
        if (o->total == u->total && o->rank == u->rank && !strcmp(og, ng)) return NULL;
        ls_buf t;
        ls_buf_init(&t);
        /* a unit moved only by others' corrections keeps its total: said
         * so, as diff says it, rather than "总分25.00→25.00" */
        if (o->total == u->total) ls_buf_printf(&t, "复核调整：总分%s未变", ls_dec_format(u->total, s->digits, b));
        else
            ls_buf_printf(&t, "复核调整：总分%s→%s", ls_dec_format(o->total, s->digits, a),
                          ls_dec_format(u->total, s->digits, b));
        if (o->rank != u->rank) {
            /* rank 0: vetoed, without a 名次 */
            ls_buf_puts(&t, "，名次");
            if (o->rank > 0) ls_buf_printf(&t, "第%d名", o->rank);
            else ls_buf_puts(&t, "无名次");
            if (u->rank > 0) ls_buf_printf(&t, "→第%d名", u->rank);
            else ls_buf_puts(&t, "→无名次");
        }
        if (strcmp(og, ng)) ls_buf_printf(&t, "，等次%s→%s", og, ng);
        return t.p;
    }
    case LS_NOTE_COUNT:
        break;
    }
    return NULL;
}

char *ls_explain_unit(const ls_run *r, size_t unit)
{
    ls_buf b;
    ls_buf_init(&b);
    for (int k = 0; k < LS_NOTE_COUNT; k++) {
        char *n = ls_explain_unit_note(r, unit, (ls_note_kind)k);
        add_part(&b, n);
        free(n);
    }
    if (!b.p) return ls_xstrdup("");
    return b.p;
}

char *ls_explain_unit_public(const ls_run *r, size_t unit)
{
    ls_buf b;
    ls_buf_init(&b);
    for (int k = 0; k < LS_NOTE_COUNT; k++) {
        if (k == LS_NOTE_SELF) continue;
        char *n = ls_explain_unit_note(r, unit, (ls_note_kind)k);
        add_part(&b, n);
        free(n);
    }
    if (!b.p) return ls_xstrdup("");
    return b.p;
}

/* ---- 自评分 and appeals ------------------------------------------------ */

char *ls_explain_signed(ls_fixed v, int digits, char *buf)
{
    /* a sign, then the magnitude (at most 1e12 steps: far below 31 bytes) */
    buf[0] = v > 0 ? '+' : '-';
    ls_dec_format(v < 0 ? -v : v, digits, buf + (v != 0));
    return buf;
}

const char *ls_explain_self(const ls_run *r, size_t unit, size_t node, char *buf)
{
    const ls_fixed *v = r->self ? ls_selfscore_get(r->self, unit, node) : NULL;
    if (!v || scheme_of(r)->nodes[node].section == LS_SEC_VETO) return "";
    return ls_dec_format(*v, scheme_of(r)->digits, buf);
}

ls_fixed ls_explain_self_delta(ls_section section, ls_fixed assessed, ls_fixed self)
{
    /* a deduction's score is points taken: the more, the lower the total */
    return section == LS_SEC_DEDUCT ? self - assessed : assessed - self;
}

const char *ls_explain_self_diff(const ls_run *r, size_t unit, size_t node, char *buf)
{
    const ls_fixed *v = r->self ? ls_selfscore_get(r->self, unit, node) : NULL;
    const ls_cell *c = ls_run_cell(r, unit, node);
    if (!v || c->state != LS_CELL_SCORED || scheme_of(r)->nodes[node].section == LS_SEC_VETO) return "";
    return ls_explain_signed(ls_explain_self_delta(scheme_of(r)->nodes[node].section, c->score, *v),
                             scheme_of(r)->digits, buf);
}

const char *ls_explain_self_total(const ls_run *r, size_t unit, char *buf)
{
    if (!r->self || !r->self->given[unit]) return "";
    return ls_dec_format(r->self->total[unit], scheme_of(r)->digits, buf);
}

const char *ls_explain_self_total_diff(const ls_run *r, size_t unit, char *buf)
{
    if (!r->self || !r->self->given[unit]) return "";
    return ls_explain_signed(r->units[unit].total - r->self->total[unit], scheme_of(r)->digits, buf);
}

int ls_explain_overrated(const ls_run *r, size_t unit)
{
    return r->self && ls_selfscore_overrated(r->self, unit, r->units[unit].total);
}

const char *ls_explain_original_score(const ls_run *r, size_t unit, size_t node, char *buf)
{
    if (!r->original) return "";
    return ls_explain_score(r->original, unit, node, buf);
}

/* Whether the cell's rule read indicator ind. */
static int cell_read(const ls_run *r, const ls_cell *c, int ind)
{
    for (uint32_t k = 0; k < c->nread; k++)
        if (r->reads[c->read0 + k] == ind) return 1;
    return 0;
}

char *ls_explain_appeal(const ls_run *r, size_t unit, size_t node)
{
    if (!r->original || !r->adj) return ls_xstrdup("");
    const ls_scheme *s = scheme_of(r);
    const ls_node *n = &s->nodes[node];
    char a[32], b[32], x[256], y[256];
    const char *was = ls_explain_score(r->original, unit, node, a);
    const char *now = ls_explain_score(r, unit, node, b);
    int changed = strcmp(was, now) != 0;
    ls_buf t;
    ls_buf_init(&t);
    size_t causes = 0;
    if (!n->nchildren) {
        const ls_cell *c = ls_run_cell(r, unit, node), *oc = ls_run_cell(r->original, unit, node);
        for (size_t i = 0; i < r->adj->n; i++) {
            const ls_adjustment *e = &r->adj->v[i];
            if (e->unit != (int)unit) continue;
            char *why = ls_adjustment_describe(e);
            if (e->kind == LS_ADJ_SCORE && e->node == (int)node) {
                ls_buf_printf(&t, "%s%s：%s", causes++ ? LS_EXPLAIN_SEP : "",
                              ls_explain_decision_keeps(r, e) ? "复核维持原评分" : "复核决定", why);
            } else if (e->kind == LS_ADJ_DATA && (cell_read(r, c, e->indicator) || cell_read(r->original, oc, e->indicator))) {
                ls_buf_printf(&t, "%s更正%s%s→%s：%s", causes++ ? LS_EXPLAIN_SEP : "", s->inds[e->indicator].name,
                              e->old.set ? ls_value_format(&e->old, x, sizeof x) : "未填报",
                              e->new_.set ? ls_value_format(&e->new_, y, sizeof y) : "未填报", why);
            }
            free(why);
        }
    }
    if (!changed && !causes) {
        ls_buf_cleanup(&t);
        return ls_xstrdup("");
    }
    char *head = changed ? ls_format("%s→%s", was, now) : ls_xstrdup("");
    char *out = ls_format("%s%s%s", head, changed && causes ? "：" : "",
                          causes ? t.p : !n->nchildren ? "：随其他单位数据更正而变动"
                                                       : "");
    free(head);
    ls_buf_cleanup(&t);
    return out;
}

char *ls_explain_appeal_brief(const ls_run *r, size_t unit, size_t node)
{
    const ls_scheme *s = scheme_of(r);
    const ls_node *n = &s->nodes[node];
    if (!r->original || !r->adj || n->nchildren) return ls_xstrdup("");
    char a[32], b[32], x[256], y[256];
    const ls_adjustment *dec = ls_adjustments_decision(r->adj, unit, node);
    if (dec && ls_explain_decision_keeps(r, dec)) return ls_format("复核维持原评分（%s）", dec->basis);
    if (dec) return ls_format("复核核定%s分（%s）", ls_dec_format(dec->score, s->digits, a), dec->basis);
    const char *was = ls_explain_score(r->original, unit, node, a);
    const char *now = ls_explain_score(r, unit, node, b);
    int changed = strcmp(was, now) != 0;
    /* a deduction-only item's score is the deduction */
    const char *what = n->section == LS_SEC_DEDUCT ? "扣分" : "考核分";
    const ls_cell *c = ls_run_cell(r, unit, node), *oc = ls_run_cell(r->original, unit, node);
    ls_buf fixes, bases;
    ls_buf_init(&fixes);
    ls_buf_init(&bases);
    for (size_t i = 0; i < r->adj->n; i++) {
        const ls_adjustment *e = &r->adj->v[i];
        if (e->unit != (int)unit || e->kind != LS_ADJ_DATA) continue;
        if (!cell_read(r, c, e->indicator) && !cell_read(r->original, oc, e->indicator)) continue;
        ls_buf_printf(&fixes, "%s%s%s→%s", fixes.n ? "、" : "", s->inds[e->indicator].name,
                      e->old.set ? ls_value_format(&e->old, x, sizeof x) : "未填报",
                      e->new_.set ? ls_value_format(&e->new_, y, sizeof y) : "未填报");
        if (!bases.p || !strstr(bases.p, e->basis)) ls_buf_printf(&bases, "%s%s", bases.n ? "、" : "", e->basis);
    }
    char *out;
    if (fixes.n && changed)
        out = ls_format("复核更正%s，%s%s→%s（%s）", fixes.p, what, was, now, bases.p);
    else if (fixes.n)
        out = ls_format("复核更正%s（%s）", fixes.p, bases.p);
    else if (changed)
        out = ls_format("随其他单位数据更正，%s%s→%s", what, was, now);
    else
        out = ls_xstrdup("");
    ls_buf_cleanup(&fixes);
    ls_buf_cleanup(&bases);
    return out;
}
