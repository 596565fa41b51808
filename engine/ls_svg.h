/*
 * ls_svg.h - charts drawn as inline SVG text (no script, no fonts, no
 * network): a horizontal bar chart (optionally with a marker per bar,
 * e.g. the group's average), a histogram with background bands (the
 * grade bands) and a slope chart (each unit's rank in two years joined
 * by a line, coloured by up or down).  Every text is XML-escaped; coordinates are printed with
 * one decimal, so the same input gives the same bytes.
 *
 * Marks carry classes for tests and style sheets: "bar", "marker",
 * "bin", "band"; each mark has a <title> with its label and value.
 *
 * Depends on: ls_util (ls_buf, ls_display_width).
 */
#ifndef LS_SVG_H
#define LS_SVG_H

#include <stddef.h>

#include "ls_util.h"

/* Append s to b with & < > " ' escaped, for HTML and SVG text and
 * attribute values. */
void ls_xml_escape(ls_buf *b, const char *s);

typedef struct ls_svg_bar {
    const char *label; /* left of the bar */
    double value;      /* bar length, in axis units (clipped to [0, max]) */
    const char *text;  /* right of the bar ("92.50 优秀"), may be NULL */
    const char *color; /* "#rrggbb" */
    int has_marker;
    double marker; /* a tick across the bar at this value */
} ls_svg_bar;

typedef struct ls_svg_bars {
    const char *cls;          /* class of the <svg> ("chart-totals") */
    const char *title;        /* above the chart */
    double max;               /* the axis runs from 0 to max */
    const char *unit;         /* after axis numbers ("%" or "") */
    const char *marker_label; /* legend of the markers, or NULL */
    const ls_svg_bar *bars;
    size_t n;
} ls_svg_bars;

/* Append a horizontal bar chart. */
void ls_svg_bars_draw(ls_buf *b, const ls_svg_bars *c);

typedef struct ls_svg_band {
    double from, to; /* [from, to) on the axis */
    const char *label;
    const char *color;
} ls_svg_band;

typedef struct ls_svg_hist {
    const char *cls;
    const char *title;
    double lo, hi, step; /* bins [lo, lo+step), ..., the last closed */
    const double *values;
    size_t n;
    const ls_svg_band *bands;
    size_t nbands;
    const char *count_unit; /* after counts in titles ("个单位") */
} ls_svg_hist;

/* Append a histogram of values with the bands drawn behind the bins. */
void ls_svg_hist_draw(ls_buf *b, const ls_svg_hist *h);

/* One unit of a slope chart. */
typedef struct ls_svg_slope_item {
    const char *left, *right; /* its name at each end (the earlier and the later) */
    int from, to;             /* its rank at each end; 0: none (drawn at one end only) */
} ls_svg_slope_item;

typedef struct ls_svg_slope {
    const char *cls;
    const char *title;
    const char *left_head, *right_head; /* above the ends ("2017年名次") */
    const ls_svg_slope_item *items;     /* ties: in this order */
    size_t n;
} ls_svg_slope;

/* Rows of a slope chart are this many px apart: labels (12 px) never
 * overlap, tied units take the next rows down. */
#define LS_SVG_SLOPE_ROW 17.0

/* Append a slope chart: for each item a line from its rank on the left
 * to its rank on the right (classes "slope up", "slope down", "slope
 * same"; "slope new" and "slope gone" for one end only), a dot and the
 * rank at each end, the name beside it (cut with '…' to fit; the whole
 * name in the item's <title>). */
void ls_svg_slope_draw(ls_buf *b, const ls_svg_slope *c);

#endif
