/*
 * ls_export_csv.c - results.csv and items.csv (see ls_export_csv.h).
 */
#include "ls_export_csv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ls_csv.h"
#include "ls_data.h"
#include "ls_explain.h"
#include "ls_gzip.h"
#include "ls_util.h"
#include "ls_zstd.h"

/* A CSV writer over a stream that remembers the first failure.  Rows are
 * put together in a buffer of its own and handed to the stream in pieces
 * of about CSVW_PIECE bytes: a province's items.csv is tens of millions
 * of fields, and a stdio call per field (its lock, its copy) cost the
 * thread that writes it beside the scorers a third of its time. */
typedef struct csvw {
    FILE *f;
    int nfield; /* fields written in the current row */
    int err;    /* errno of the first failure, 0 = none */
    char *buf;  /* bytes not yet given to f */
    size_t n, cap;
} csvw;

enum {
    CSVW_PIECE = 1 << 16
};

static void note_fail(csvw *w)
{
    if (!w->err) w->err = errno ? errno : EIO;
}

/* Give the buffered bytes to the stream. */
static void flush_buf(csvw *w)
{
    if (w->n && !w->err && fwrite(w->buf, 1, w->n, w->f) != w->n) note_fail(w);
    w->n = 0;
}

/* Room for n more bytes at buf + n (flushed first when they would not
 * fit; grown for a field longer than the buffer). */
static char *room(csvw *w, size_t n)
{
    if (w->n + n > w->cap) {
        flush_buf(w);
        if (n > w->cap) {
            w->cap = n > CSVW_PIECE ? n : CSVW_PIECE;
            free(w->buf);
            w->buf = ls_xmalloc(w->cap);
        }
    }
    return w->buf + w->n;
}

static void put_raw(csvw *w, const char *s, size_t n)
{
    if (!n) return;
    memcpy(room(w, n), s, n);
    w->n += n;
}

/* A number (score, rank, points): written as it is. */
static void number(csvw *w, const char *s)
{
    if (!s) s = "";
    if (w->nfield++) put_raw(w, ",", 1);
    size_t n = strlen(s);
    /* as it is, or quoted: at most twice its bytes and the quotes */
    char *p = room(w, n);
    size_t need = ls_csv_field(p, w->cap - w->n, s, n);
    if (need > w->cap - w->n) {
        p = room(w, need);
        need = ls_csv_field(p, need, s, n);
    }
    w->n += need;
}

/* A field known to need no quotes and no guard (a score: digits, a
 * point, a sign, or 不适用, 错误, 否决, 未否决). */
static void plain(csvw *w, const char *s)
{
    if (w->nfield++) put_raw(w, ",", 1);
    put_raw(w, s, strlen(s));
}

/* Text as field() writes it (guard: behind ls_cell_text's apostrophe
 * when it would run as a formula) or as number() writes it (no guard),
 * appended to out, which stays NUL-terminated: fields every row of a
 * unit or of a node repeats, encoded once. */
static void encode_add(const char *s, int guard, ls_buf *out)
{
    char *owned = NULL;
    const char *t = guard ? ls_cell_text(s ? s : "", &owned) : s ? s
                                                                 : "";
    size_t n = strlen(t), cap = 2 * n + 3; /* every byte a quote, and the two around */
    char *q = ls_xmalloc(cap);
    size_t m = ls_csv_field(q, cap, t, n);
    ls_buf_add(out, q, m);
    ls_buf_add(out, "", 1);
    out->n--;
    free(q);
    free(owned);
}

/* Text as field() writes it, into out (NUL-terminated). */
static void encode(const char *s, ls_buf *out)
{
    out->n = 0;
    encode_add(s, 1, out);
}

/* A field encode() made. */
static void encoded(csvw *w, const char *s, size_t n)
{
    if (w->nfield++) put_raw(w, ",", 1);
    put_raw(w, s, n);
}

/* Text (names, reasons, criteria, from the scheme, the data or rules):
 * text a spreadsheet would run as a formula gets an apostrophe first
 * (ls_cell_text). */
static void field(csvw *w, const char *s)
{
    char *owned;
    number(w, ls_cell_text(s ? s : "", &owned));
    free(owned);
}

static void field_own(csvw *w, char *s)
{
    field(w, s);
    free(s);
}

static void end_row(csvw *w)
{
    put_raw(w, "\r\n", 2);
    w->nfield = 0;
}

static void start(csvw *w, FILE *f)
{
    w->f = f;
    w->nfield = 0;
    w->err = 0;
    w->cap = CSVW_PIECE;
    w->n = 0;
    w->buf = ls_xmalloc(w->cap);
    errno = 0;
    put_raw(w, "\xEF\xBB\xBF", 3); /* UTF-8 BOM for Excel */
}

/* Flush w's stream: 0, or -1 with an error naming `what` when a write
 * failed.  With `under`, w's stream is a gzip stream into it: it is
 * closed (ending the gzip data), then `under` flushed. */
static int finish(csvw *w, const char *what, FILE *under, ls_errors *err)
{
    flush_buf(w);
    free(w->buf);
    w->buf = NULL;
    if (!w->err && ferror(w->f)) w->err = EIO;
    if (!w->err && fflush(w->f) != 0) w->err = errno ? errno : EIO;
    if (under) {
        if (fclose(w->f) != 0 && !w->err) w->err = errno ? errno : EIO;
        w->f = under;
        if (!w->err && (ferror(under) || fflush(under) != 0)) w->err = errno ? errno : EIO;
    }
    if (w->err)
        return ls_errorf(err, NULL, 0, 0, "cannot write %s: %s", what, strerror(w->err));
    return 0;
}

int ls_write_results_csv(const ls_run *r, FILE *f, ls_errors *err)
{
    const ls_scheme *s = r->scheme;
    csvw w;
    char buf[32];
    start(&w, f);

    field(&w, "组别");
    field(&w, "名次");
    field(&w, "单位编号");
    field(&w, "单位名称");
    for (size_t i = 0; i < s->nroots; i++) {
        const ls_node *n = &s->nodes[s->roots[i]];
        field_own(&w, ls_format("%s(%s)", n->name,
                                ls_dec_format_short(n->points, s->digits, buf)));
    }
    field(&w, "加分");
    field(&w, "扣分");
    field(&w, "总分");
    if (r->self) {
        field(&w, "自评分");
        field(&w, "考核分与自评分之差");
    }
    field(&w, "等次");
    field(&w, "一票否决");
    if (r->original) {
        field(&w, "复核前总分");
        field(&w, "复核前名次");
        field(&w, "复核前等次");
    }
    field(&w, "说明");
    end_row(&w);

    for (size_t g = 0; g < s->ngroups; g++) {
        for (size_t k = 0; k < r->norder[g]; k++) {
            size_t u = (size_t)r->order[g][k];
            const ls_unit_result *ur = &r->units[u];
            field(&w, s->groups[g].name);
            if (ur->rank > 0) {
                snprintf(buf, sizeof buf, "%d", ur->rank);
                number(&w, buf);
            } else {
                field(&w, "");
            }
            field(&w, s->units[u].id);
            field(&w, s->units[u].name);
            for (size_t i = 0; i < s->nroots; i++)
                number(&w, ls_explain_score(r, u, (size_t)s->roots[i], buf));
            number(&w, ls_dec_format(ur->bonus, s->digits, buf));
            number(&w, ls_dec_format(ur->deduct, s->digits, buf));
            number(&w, ls_dec_format(ur->total, s->digits, buf));
            if (r->self) {
                number(&w, ls_explain_self_total(r, u, buf));
                number(&w, ls_explain_self_total_diff(r, u, buf));
            }
            field(&w, ls_explain_grade(r, u));
            const ls_node *v = ls_explain_veto(r, u);
            field(&w, v ? v->name : "");
            if (r->original) {
                const ls_unit_result *o = &r->original->units[u];
                number(&w, ls_dec_format(o->total, s->digits, buf));
                if (o->rank > 0) snprintf(buf, sizeof buf, "%d", o->rank);
                else buf[0] = '\0';
                number(&w, buf);
                field(&w, ls_explain_grade(r->original, u));
            }
            field_own(&w, ls_explain_unit(r, u));
            end_row(&w);
        }
    }
    return finish(&w, "results CSV", NULL, err);
}

/* An item's 分值: empty for veto items and for bonus or deduction items
 * the scheme gives no points. */
static const char *points(const ls_scheme *s, const ls_node *n, char buf[32])
{
    return n->section == LS_SEC_VETO || n->no_points ? "" : ls_dec_format(n->points, s->digits, buf);
}

struct ls_items_csv {
    csvw w;
    int compact; /* no item text and no indicator values (scheme-items.csv) */
    FILE *under; /* with gzip: the caller's file, w.f our stream into it */
    ls_buf text; /* scratch for 扣分理由 and 使用的指标, reused */
    /* the fields every unit repeats, as written (guarded, quoted) and
     * joined by commas, made at the first rows: each node's 序号 and,
     * unless compact, its 考核项目, 分值 and 评分标准; the current
     * unit's 单位编号 (and 单位名称) */
    char **numbers;
    size_t nnumbers;
    ls_buf id;
};

const char *ls_items_csv_name(unsigned form)
{
    return form & LS_ITEMS_GZIP   ? "items.csv.gz"
           : form & LS_ITEMS_ZSTD ? "items.csv.zst"
                                  : "items.csv";
}

const char *ls_values_csv_name(unsigned form)
{
    return form & LS_ITEMS_GZIP   ? "values.csv.gz"
           : form & LS_ITEMS_ZSTD ? "values.csv.zst"
                                  : "values.csv";
}

int ls_values_csv_wanted(unsigned form, int with_json)
{
    return (form & LS_ITEMS_COMPACT) && !with_json;
}

/* Start w on f, through a compressing stream when form asks for one; *under
 * is then f (finish closes the stream), else NULL.  No stream (out of
 * memory): w records the failure, and finishing reports it. */
static void start_packed(csvw *w, FILE *f, unsigned form, FILE **under)
{
    FILE *z = form & LS_ITEMS_GZIP   ? ls_gzip_open(f)
              : form & LS_ITEMS_ZSTD ? ls_zstd_open(f)
                                     : f;
    int zerr = z ? 0 : errno ? errno
                             : ENOMEM;
    *under = z && z != f ? f : NULL;
    start(w, z ? z : f);
    if (zerr) w->err = zerr;
}

int ls_items_too_many_rows(size_t nunits, size_t nnodes)
{
    return nnodes && nunits > (LS_SHEET_ROWS - 1) / nnodes;
}

unsigned ls_items_form_for(unsigned form, size_t nunits, size_t nnodes, int with_json)
{
    if (form & (LS_ITEMS_SHEET | LS_ITEMS_COMPACT) || !ls_items_too_many_rows(nunits, nnodes)) return form;
    form |= LS_ITEMS_COMPACT | LS_ITEMS_AUTO;
    /* the CSV files are all there is: under 1 GB at a million units */
    if (!with_json && !(form & LS_ITEMS_GZIP)) form |= LS_ITEMS_ZSTD;
    return form;
}

ls_items_csv *ls_items_csv_start(FILE *f, int self, int adjusted, unsigned form)
{
    ls_items_csv *x = ls_xcalloc(1, sizeof *x);
    int compact = (form & LS_ITEMS_COMPACT) != 0;
    x->compact = compact;
    ls_buf_init(&x->text);
    ls_buf_init(&x->id);
    start_packed(&x->w, f, form, &x->under);
    static const char *const head[] = {"单位编号", "单位名称", "序号", "考核项目", "分值",
                                       "评分标准", "考核分"};
    static const char *const compact_head[] = {"单位编号", "序号", "考核分"};
    const char *const *h = compact ? compact_head : head;
    size_t nh = compact ? sizeof compact_head / sizeof *compact_head : sizeof head / sizeof *head;
    for (size_t i = 0; i < nh; i++) field(&x->w, h[i]);
    if (self) {
        field(&x->w, "自评分");
        field(&x->w, "考核分与自评分之差");
    }
    field(&x->w, "扣分理由");
    if (!compact) field(&x->w, "使用的指标");
    if (adjusted) {
        field(&x->w, "复核前考核分");
        field(&x->w, "复核调整");
    }
    end_row(&x->w);
    return x;
}

void ls_items_csv_rows(ls_items_csv *x, const ls_run *r, size_t u0, size_t u1)
{
    const ls_scheme *s = r->scheme;
    csvw *w = &x->w;
    char buf[32];
    if (!x->numbers) {
        x->nnumbers = s->nnodes;
        x->numbers = ls_xcalloc(s->nnodes ? s->nnodes : 1, sizeof *x->numbers);
        ls_buf b;
        ls_buf_init(&b);
        for (size_t i = 0; i < s->nnodes; i++) {
            const ls_node *n = &s->nodes[i];
            encode(n->number, &b);
            if (!x->compact) {
                ls_buf_add(&b, ",", 1);
                encode_add(n->name, 1, &b);
                ls_buf_add(&b, ",", 1);
                encode_add(points(s, n, buf), 0, &b);
                ls_buf_add(&b, ",", 1);
                encode_add(n->criteria, 1, &b);
            }
            x->numbers[i] = ls_xstrdup(b.p);
        }
        ls_buf_cleanup(&b);
    }
    for (size_t u = u0; u < u1 && !w->err; u++) {
        encode(s->units[u].id, &x->id);
        if (!x->compact) {
            ls_buf_add(&x->id, ",", 1);
            encode_add(s->units[u].name, 1, &x->id);
        }
        for (size_t i = 0; i < s->nnodes; i++) {
            encoded(w, x->id.p, x->id.n);
            encoded(w, x->numbers[i], strlen(x->numbers[i]));
            plain(w, ls_explain_score(r, u, i, buf));
            if (r->self) {
                number(w, ls_explain_self(r, u, i, buf));
                number(w, ls_explain_self_diff(r, u, i, buf));
            }
            x->text.n = 0;
            ls_explain_cell_buf(r, u, i, &x->text);
            ls_buf_add(&x->text, "", 1); /* NUL-terminated, even when empty */
            field(w, x->text.p);
            if (!x->compact) {
                x->text.n = 0;
                ls_explain_reads_buf(r, u, i, &x->text);
                ls_buf_add(&x->text, "", 1);
                field(w, x->text.p);
            }
            if (r->original) {
                number(w, ls_explain_original_score(r, u, i, buf));
                field_own(w, ls_explain_appeal(r, u, i));
            }
            end_row(w);
        }
    }
}

int ls_items_csv_finish(ls_items_csv *x, ls_errors *err)
{
    int rc = finish(&x->w, "score sheet CSV", x->under, err);
    ls_buf_cleanup(&x->text);
    ls_buf_cleanup(&x->id);
    for (size_t i = 0; i < x->nnumbers; i++) free(x->numbers[i]);
    free(x->numbers);
    free(x);
    return rc;
}

int ls_write_items_csv(const ls_run *r, FILE *f, unsigned form, ls_errors *err)
{
    ls_items_csv *x = ls_items_csv_start(f, r->self != NULL, r->original != NULL, form);
    ls_items_csv_rows(x, r, 0, r->scheme->nunits);
    return ls_items_csv_finish(x, err);
}

/* A value as results.json writes it (ls_export_json.c), as CSV text in
 * buf (or the value's own text). */
static const char *value_text(const ls_value *v, char buf[32])
{
    if (!v || !v->set) return "";
    switch ((ls_vtype)v->type) {
    case LS_T_BOOLEAN: return v->num != 0 ? "true" : "false";
    case LS_T_ENUM:
    case LS_T_TEXT: return v->str;
    case LS_T_INTEGER:
    case LS_T_NUMBER:
    case LS_T_PERCENT: break;
    }
    double d = v->num;
    if (d > -9007199254740992.0 && d < 9007199254740992.0 && d == (double)(long long)d && !(d == 0 && 1 / d < 0)) {
        long long i = (long long)d;
        unsigned long long a = i < 0 ? (unsigned long long)(-(i + 1)) + 1 : (unsigned long long)i;
        char *p = buf + 31;
        *p = '\0';
        do {
            *--p = (char)('0' + a % 10);
            a /= 10;
        } while (a);
        if (i < 0) *--p = '-';
        return p;
    }
    snprintf(buf, 32, "%.15g", d);
    return buf;
}

int ls_write_values_csv(const ls_run *r, FILE *f, unsigned form, ls_errors *err)
{
    const ls_scheme *s = r->scheme;
    csvw w;
    FILE *under;
    char buf[32];
    start_packed(&w, f, form, &under);
    unsigned char *seen = ls_xcalloc(s->ninds ? s->ninds : 1, 1);
    field(&w, "单位编号");
    for (size_t k = 0; k < s->ninds; k++) field(&w, s->inds[k].id);
    end_row(&w);
    for (size_t u = 0; u < s->nunits && !w.err; u++) {
        for (size_t i = 0; i < s->nnodes; i++) {
            const ls_cell *c = ls_run_cell(r, u, i);
            for (uint32_t k = 0; k < c->nread; k++) {
                int ind = r->reads[c->read0 + k];
                if (ind >= 0 && (size_t)ind < s->ninds) seen[ind] = 1;
            }
        }
        field(&w, s->units[u].id);
        for (size_t k = 0; k < s->ninds; k++) {
            ls_value val = {0};
            if (seen[k] && r->data) val = ls_dataset_value(r->data, u, k);
            const ls_value *v = seen[k] && r->data ? &val : NULL;
            seen[k] = 0;
            if (v && v->set && (v->type == LS_T_ENUM || v->type == LS_T_TEXT)) field(&w, v->str);
            else number(&w, value_text(v, buf));
        }
        end_row(&w);
    }
    free(seen);
    return finish(&w, "indicator values CSV", under, err);
}

int ls_write_scheme_items_csv(const ls_scheme *s, FILE *f, ls_errors *err)
{
    static const char *const section[] = {[LS_SEC_MAIN] = "评分项目",
                                          [LS_SEC_BONUS] = "加分项目",
                                          [LS_SEC_DEDUCT] = "扣分项目",
                                          [LS_SEC_VETO] = "一票否决项目"};
    csvw w;
    char buf[32];
    start(&w, f);
    static const char *const head[] = {"序号", "类别", "考核项目", "分值", "评分标准"};
    for (size_t i = 0; i < sizeof head / sizeof *head; i++) field(&w, head[i]);
    end_row(&w);
    for (size_t i = 0; i < s->nnodes; i++) {
        const ls_node *n = &s->nodes[i];
        field(&w, n->number);
        field(&w, section[n->section]);
        field(&w, n->name);
        number(&w, points(s, n, buf));
        field(&w, n->criteria);
        end_row(&w);
    }
    return finish(&w, "item table CSV", NULL, err);
}
