/*
 * ls_svg.h - charts drawn as inline SVG text (no script, no fonts, no
 * network): a horizontal bar chart (optionally with a marker per bar,
 * e.g. the group's average) and a histogram with background bands (the
 * grade bands).  Every text is XML-escaped; coordinates are printed with
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

#endif
