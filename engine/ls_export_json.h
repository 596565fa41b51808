/*
 * ls_export_json.h - the whole result as one JSON document (results.json),
 * for other programs and for re-checking a published result.
 *
 * Every score is written as a JSON number with exactly the scheme's
 * digits (90.00, not 90 or 89.99999), keys come in a fixed order, and
 * nothing depends on the time or the machine: the same inputs give
 * byte-identical output.  Layout (all keys always present):
 *
 *   { "manifest":   {"engine", "version", "files": [{"role", "path",
 *                    "sha256"}], "options": {key: value}},
 *     "assessment": {"name", "year", "precision", "total", "bonus_cap"},
 *     "groups":     [{"id", "name", "units", "veto_grade",
 *                     "bands": [{"grade", "min", "max_share", "count"}]}],
 *     "units":      [{"id", "name", "group", "flags", "total", "grade",
 *                     "rank", "main", "main_raw", "applicable", "rescaled",
 *                     "bonus", "bonus_raw", "deduct", "total_clamped",
 *                     "veto": null | {"id", "name", "reasons"},
 *                     "errors", "notes": [{"kind", "text"}],
 *                     "nodes": [{"id", "number", "name", "section",
 *                                "points", "state", "score", "raw",
 *                                "clamp", "reasons", "explanation",
 *                                "indicators": [{"id", "name", "value"}]}]}] }
 *
 * Present only when given (docs/year.md): a unit's "formerly" (ids in
 * earlier years, after "group"); with --self, a unit's "self" ({"total",
 * "difference", "overrated"} or null) and a node's "self"; with
 * --adjustments, a unit's "original" ({"total", "grade", "rank"} before
 * the appeals), a node's "original_score" and "appeal" (text or null),
 * and a top-level "adjustments" trail after "units": [{"unit", "kind"
 * ("data"|"score"), "indicator", "old", "new" | "item", "number",
 * "original_score", "score", "reason", "basis", "by", "date", "file",
 * "line"}].
 *
 * Units come in scheme order.  "state" is "scored", "na" or "error";
 * "score" and "raw" are null unless scored ("raw", the rule's rounded
 * value before clamping, is null for categories and veto items too; a
 * veto item's "score" is 1 when the veto applies, else 0); "clamp" is null,
 * "low" or "high"; "section" is "main", "bonus", "deduct" or "veto";
 * indicator values are numbers, booleans, strings or null (not given).
 *
 * Depends on: ls_i18n, yajl (only ls_export_json.c includes yajl), ls_score,
 * ls_explain, ls_manifest, ls_adjust, ls_error, ls_util.
 */
#ifndef LS_EXPORT_JSON_H
#define LS_EXPORT_JSON_H

#include <stdio.h>

#include "ls_error.h"
#include "ls_manifest.h"
#include "ls_score.h"

/* Write the result (and the manifest m, which may be NULL: "manifest" is
 * then null) to f.  Returns 0, or -1 with an error when a text is not
 * valid UTF-8 (naming the unit and item) or writing failed. */
int ls_write_json(const ls_run *r, const ls_manifest *m, FILE *f, ls_errors *err);

/* Write units[0..n) (unit indices) to f as `lawscore explain --format
 * json` does: one unit's object, written by the same code and with the
 * same content as its element of "units" in results.json; several units
 * (n != 1) as an array of such objects, in the order given.  Returns 0,
 * or -1 with an error as ls_write_json. */
int ls_write_json_units(const ls_run *r, const size_t *units, size_t n, FILE *f,
                        ls_errors *err);

#endif
