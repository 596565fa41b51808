/*
 * ls_svg.c - bar charts, histograms and slope charts as SVG (see ls_svg.h).
 */
#include "ls_svg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WIDTH 720.0
#define FONT 12.0
/* Width of one display column (a CJK character is two) at FONT px. */
#define COL_PX 6.6

void ls_xml_escape(ls_buf *b, const char *s)
{
    if (!s) return;
    const char *run = s;
    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        ls_buf_add(b, run, (size_t)(s - run));
        ls_buf_puts(b, rep);
        run = s + 1;
    }
    ls_buf_add(b, run, (size_t)(s - run));
}

/* A number for an axis or a label: up to two decimals, no trailing zeros. */
static void put_num(ls_buf *b, double v)
{
    char t[32];
    snprintf(t, sizeof t, "%.2f", v);
    char *dot = strchr(t, '.');
    if (dot) {
        char *e = t + strlen(t) - 1;
        while (e > dot && *e == '0') *e-- = '\0';
        if (e == dot) *e = '\0';
    }
    if (!strcmp(t, "-0")) strcpy(t, "0");
    ls_buf_puts(b, t);
}

static void text(ls_buf *b, double x, double y, const char *anchor, const char *cls,
                 const char *s)
{
    ls_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\"", x, y);
    if (anchor) ls_buf_printf(b, " text-anchor=\"%s\"", anchor);
    if (cls) ls_buf_printf(b, " class=\"%s\"", cls);
    ls_buf_puts(b, ">");
    ls_xml_escape(b, s);
    ls_buf_puts(b, "</text>\n");
}

static void open_svg(ls_buf *b, const char *cls, double h, const char *title)
{
    ls_buf_printf(b, "<svg class=\"chart %s\" xmlns=\"http://www.w3.org/2000/svg\" "
                     "viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\" "
                     "aria-label=\"",
                  cls ? cls : "", WIDTH, h, WIDTH, h);
    ls_xml_escape(b, title);
    ls_buf_puts(b, "\">\n");
    if (title) text(b, 0, 16, NULL, "chart-title", title);
}

/* A round tick step (1, 2, 2.5 or 5 times a power of ten) giving at most
 * six steps from 0 to max. */
static double nice_step(double max)
{
    double raw = max / 6, mag = pow(10, floor(log10(raw))), norm = raw / mag;
    return (norm <= 1 ? 1 : norm <= 2 ? 2
                        : norm <= 2.5 ? 2.5
                        : norm <= 5   ? 5
                                      : 10) *
           mag;
}

/* A copy of s (caller frees) that fits max_px: a label longer than its
 * column is cut, whole characters, and ends in '…' so that a cut name is
 * not read as a whole one (the full name goes in a tooltip). */
static char *cut_label(const char *s, double max_px)
{
    char *label = ls_xstrdup(s ? s : "");
    if (ls_display_width(label) * COL_PX <= max_px) return label;
    while ((ls_display_width(label) + 2) * COL_PX > max_px && *label) {
        size_t n = strlen(label);
        do n--;
        while (n && (label[n] & 0xC0) == 0x80);
        label[n] = '\0';
    }
    char *cut = ls_format("%s…", label);
    free(label);
    return cut;
}

void ls_svg_bars_draw(ls_buf *b, const ls_svg_bars *c)
{
    const double bar_h = 16, gap = 6, top = 30, bottom = 28;
    int label_cols = 0;
    for (size_t i = 0; i < c->n; i++) {
        int w = ls_display_width(c->bars[i].label ? c->bars[i].label : "");
        if (w > label_cols) label_cols = w;
    }
    double label_w = label_cols * COL_PX + 10;
    if (label_w > 260) label_w = 260;
    double x0 = label_w, plot_w = WIDTH - label_w - 90;
    double step = nice_step(c->max > 0 ? c->max : 1);
    int nticks = (int)ceil((c->max > 0 ? c->max : 1) / step - 1e-9);
    double max = step * nticks;
    double h = top + (double)c->n * (bar_h + gap) + bottom;
    if (c->marker_label) h += 18;
    open_svg(b, c->cls, h, c->title);
    /* grid and axis */
    double axis_y = top + (double)c->n * (bar_h + gap);
    for (int k = 0; k <= nticks; k++) {
        double v = step * k, x = x0 + plot_w * k / nticks;
        ls_buf_printf(b, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                         "stroke=\"#ddd\"/>\n",
                      x, top - 4, x, axis_y);
        ls_buf t;
        ls_buf_init(&t);
        put_num(&t, v);
        if (c->unit) ls_buf_puts(&t, c->unit);
        text(b, x, axis_y + 14, "middle", "axis", t.p);
        ls_buf_cleanup(&t);
    }
    for (size_t i = 0; i < c->n; i++) {
        const ls_svg_bar *bar = &c->bars[i];
        double y = top + (double)i * (bar_h + gap);
        double v = bar->value < 0 ? 0 : bar->value > max ? max
                                                         : bar->value;
        double w = plot_w * v / max;
        char *label = cut_label(bar->label, label_w - 8);
        text(b, x0 - 6, y + bar_h - 3, "end", "label", label);
        free(label);
        ls_buf_printf(b, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                         "fill=\"%s\"><title>",
                      x0, y, w, bar_h, bar->color ? bar->color : "#1565c0");
        ls_xml_escape(b, bar->label);
        ls_buf_puts(b, "：");
        if (bar->text) ls_xml_escape(b, bar->text);
        else put_num(b, bar->value);
        ls_buf_puts(b, "</title></rect>\n");
        if (bar->has_marker) {
            double m = bar->marker < 0 ? 0 : bar->marker > max ? max
                                                               : bar->marker;
            double mx = x0 + plot_w * m / max;
            ls_buf_printf(b, "<line class=\"marker\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                             "y2=\"%.1f\" stroke=\"#000\" stroke-width=\"2\"><title>",
                          mx, y - 2, mx, y + bar_h + 2);
            if (c->marker_label) {
                ls_xml_escape(b, c->marker_label);
                ls_buf_puts(b, "：");
            }
            put_num(b, bar->marker);
            if (c->unit) ls_buf_puts(b, c->unit);
            ls_buf_puts(b, "</title></line>\n");
        }
        if (bar->text) text(b, x0 + w + 4, y + bar_h - 3, NULL, "value", bar->text);
    }
    if (c->marker_label) {
        double y = axis_y + 30;
        ls_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000\" "
                         "stroke-width=\"2\"/>\n",
                      x0, y - 10, x0, y + 2);
        text(b, x0 + 6, y, NULL, "legend", c->marker_label);
    }
    ls_buf_puts(b, "</svg>\n");
}

void ls_svg_hist_draw(ls_buf *b, const ls_svg_hist *h)
{
    const double top = 44, height = 150, left = 36, right = 12, bottom = 30;
    double span = h->hi - h->lo;
    double step = h->step > 0 ? h->step : 1;
    if (span <= 0) span = step;
    size_t nbins = (size_t)ceil(span / step - 1e-9);
    if (nbins == 0) nbins = 1;
    size_t *count = calloc(nbins, sizeof *count);
    if (!count) abort();
    size_t maxc = 1;
    for (size_t i = 0; i < h->n; i++) {
        double k = floor((h->values[i] - h->lo) / step + 1e-9);
        if (k < 0) k = 0;
        if (k >= (double)nbins) k = (double)(nbins - 1);
        if (++count[(size_t)k] > maxc) maxc = count[(size_t)k];
    }
    double plot_w = WIDTH - left - right, base = top + height;
    open_svg(b, h->cls, top + height + bottom, h->title);
#define XOF(v) (left + plot_w * ((v)-h->lo) / span)
    for (size_t i = 0; i < h->nbands; i++) {
        const ls_svg_band *bd = &h->bands[i];
        double from = bd->from < h->lo ? h->lo : bd->from, to = bd->to > h->hi ? h->hi : bd->to;
        if (to <= from) continue;
        ls_buf_printf(b, "<rect class=\"band\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                         "height=\"%.1f\" fill=\"%s\" fill-opacity=\"0.13\"><title>",
                      XOF(from), top - 18, XOF(to) - XOF(from), height + 18, bd->color);
        ls_xml_escape(b, bd->label);
        ls_buf_puts(b, "</title></rect>\n");
        text(b, (XOF(from) + XOF(to)) / 2, top - 5, "middle", "band-label", bd->label);
    }
    for (size_t k = 0; k < nbins; k++) {
        double x = XOF(h->lo + (double)k * step), w = plot_w * step / span;
        double bh = height * (double)count[k] / (double)maxc;
        ls_buf_printf(b, "<rect class=\"bin\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                         "height=\"%.1f\" fill=\"#455a64\"><title>",
                      x + 1, base - bh, w - 2, bh);
        put_num(b, h->lo + (double)k * step);
        ls_buf_puts(b, "–");
        put_num(b, h->lo + (double)(k + 1) * step);
        ls_buf_printf(b, "：%zu%s</title></rect>\n", count[k], h->count_unit ? h->count_unit : "");
        if (count[k]) {
            char t[32];
            snprintf(t, sizeof t, "%zu", count[k]);
            text(b, x + w / 2, base - bh - 3, "middle", "value", t);
        }
    }
    ls_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>\n",
                  left, base, WIDTH - right, base);
    /* ticks: the ends and every band boundary inside */
    for (size_t k = 0; k <= nbins; k++) {
        double v = h->lo + (double)k * step;
        int boundary = k == 0 || k == nbins;
        for (size_t i = 0; i < h->nbands; i++)
            if (fabs(h->bands[i].from - v) < 1e-9) boundary = 1;
        if (!boundary && nbins > 12 && k % 2) continue;
        ls_buf t;
        ls_buf_init(&t);
        put_num(&t, v);
        text(b, XOF(v), base + 14, "middle", "axis", t.p);
        ls_buf_cleanup(&t);
    }
#undef XOF
    ls_buf_puts(b, "</svg>\n");
    free(count);
}

/* The label slot of each end of a slope chart: in rank order (ties in
 * the items' order), each at its rank's slot or, when that is taken (a
 * tie), the next free one, so no two labels share a line.  slot[i] = -1
 * where the item has no rank on that side.  Returns the slots used. */
static int slope_slots(const ls_svg_slope *c, int right, int *slot)
{
    size_t *ix = ls_xcalloc(c->n + 1, sizeof *ix), m = 0;
    for (size_t i = 0; i < c->n; i++) {
        int r = right ? c->items[i].to : c->items[i].from;
        slot[i] = -1;
        if (r <= 0) continue;
        /* insertion by rank, stable */
        size_t k = m++;
        for (; k > 0; k--) {
            const ls_svg_slope_item *p = &c->items[ix[k - 1]];
            if ((right ? p->to : p->from) <= r) break;
            ix[k] = ix[k - 1];
        }
        ix[k] = i;
    }
    int next = 0;
    for (size_t k = 0; k < m; k++) {
        const ls_svg_slope_item *it = &c->items[ix[k]];
        int want = (right ? it->to : it->from) - 1;
        slot[ix[k]] = want > next ? want : next;
        next = slot[ix[k]] + 1;
    }
    free(ix);
    return next;
}

void ls_svg_slope_draw(ls_buf *b, const ls_svg_slope *c)
{
    const double top = 70, row = LS_SVG_SLOPE_ROW, xl = 250, xr = 470, name_w = 196;
    static const char *const colour[] = {"#2e7d32", "#c62828", "#78909c"};
    static const char *const kind[] = {"up", "down", "same"};
    static const char *const legend[] = {"上升", "下降", "持平"};
    int *sl = ls_xcalloc(c->n + 1, sizeof *sl), *sr = ls_xcalloc(c->n + 1, sizeof *sr);
    int nl = slope_slots(c, 0, sl), nr = slope_slots(c, 1, sr);
    int nslots = nl > nr ? nl : nr;
    open_svg(b, c->cls, top + (nslots ? nslots : 1) * row + 12, c->title);
    for (int k = 0; k < 3; k++) {
        double x = 8 + k * 70.0;
        ls_buf_printf(b, "<line x1=\"%.1f\" y1=\"34.0\" x2=\"%.1f\" y2=\"34.0\" stroke=\"%s\" "
                         "stroke-width=\"2\"/>\n",
                      x, x + 22, colour[k]);
        text(b, x + 26, 38, NULL, "legend", legend[k]);
    }
    text(b, xl, top - 16, "middle", "axis", c->left_head);
    text(b, xr, top - 16, "middle", "axis", c->right_head);
    for (size_t i = 0; i < c->n; i++) {
        const ls_svg_slope_item *it = &c->items[i];
        if (sl[i] < 0 && sr[i] < 0) continue;
        int k = sl[i] < 0 || sr[i] < 0 || it->from == it->to ? 2 : it->to < it->from ? 0
                                                                                     : 1;
        ls_buf_printf(b, "<g class=\"slope %s\"><title>", sl[i] < 0 ? "new" : sr[i] < 0 ? "gone"
                                                                                        : kind[k]);
        ls_xml_escape(b, it->right ? it->right : it->left);
        if (it->left && it->right && strcmp(it->left, it->right)) {
            ls_buf_puts(b, "（原");
            ls_xml_escape(b, it->left);
            ls_buf_puts(b, "）");
        }
        if (sl[i] >= 0 && sr[i] >= 0) ls_buf_printf(b, "：第%d名→第%d名", it->from, it->to);
        else ls_buf_printf(b, "：第%d名", sl[i] >= 0 ? it->from : it->to);
        ls_buf_puts(b, "</title>\n");
        double yl = top + sl[i] * row, yr = top + sr[i] * row;
        if (sl[i] >= 0 && sr[i] >= 0)
            ls_buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                             "stroke-width=\"1.6\"/>\n",
                          xl, yl, xr, yr, colour[k]);
        char n[16];
        for (int side = 0; side < 2; side++) {
            int slot = side ? sr[i] : sl[i];
            if (slot < 0) continue;
            double x = side ? xr : xl, y = top + slot * row;
            ls_buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n", x, y, colour[k]);
            snprintf(n, sizeof n, "%d", side ? it->to : it->from);
            text(b, side ? x + 8 : x - 8, y + 4, side ? NULL : "end", "rank", n);
            char *label = cut_label(side ? it->right : it->left, name_w);
            text(b, side ? x + 32 : x - 32, y + 4, side ? NULL : "end", side ? "label right" : "label left", label);
            free(label);
        }
        ls_buf_puts(b, "</g>\n");
    }
    ls_buf_puts(b, "</svg>\n");
    free(sl);
    free(sr);
}
