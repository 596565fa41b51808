/*
 * ls_export_json.h - the whole result as one JSON document (results.json),
 * for other programs and for re-checking a published result.
 *
 * Every score is written as a JSON number with exactly the scheme's
 * digits (90.00, not 90 or 89.99999), keys come in a fixed order, and
 * nothing depends on the time or the machine: the same inputs give
 * byte-identical output.  Compact (no whitespace) unless `pretty`.
 *
 * Format 2 (the manifest's "format"; docs/output.md documents every key
 * and its default): text that is the same for every unit (item names,
 * numbers, points, 评分标准, indicator names) is written once, in "items"
 * and "indicators"; a unit's "nodes" follow "items" index for index; a
 * unit's indicator values are written once, in its "values" (by id), and
 * a node names those it read in "reads", left out when they are its
 * item's "reads" (the list most units' rule read); any other key at its
 * default is left out ("[]" in brackets: left out when empty):
 *
 *   { "manifest":   {"engine", "format", "version", "files": [{"role",
 *                    "path", "sha256"}], "options": {key: value}},
 *     "assessment": {"name", "year", "precision", "total", "bonus_cap"},
 *     "groups":     [{"id", "name", "units", "veto_grade",
 *                     "bands": [{"grade", "min", "max_share", "count"}]}],
 *     "indicators": [{"id", "name", "type", "unit"}],
 *     "items":      [{"id", "number", "name", "section", "points",
 *                     "parent", "criteria", ["reads"]}],
 *     "units":      [{"id", "name", "group", ["flags"], "total", "grade",
 *                     "rank", "main", "main_raw" (= main), "applicable"
 *                     (= the total), "rescaled" (false), "bonus",
 *                     "bonus_raw" (= bonus), "deduct", "total_clamped"
 *                     (false), "veto" (null) {"id", "name", "reasons"},
 *                     "errors" (0), ["notes"] [{"kind", "text"}],
 *                     "values": {id: value},
 *                     "nodes": [{"id", "state" ("scored"), "score"
 *                                (when scored), "raw" and "clamp" (when
 *                                clamped), ["reasons"], "reads" (the
 *                                item's)}]}] }
 *
 * Present only when given (docs/year.md): a unit's "formerly" (ids in
 * earlier years, after "group"); with --self, a unit's "self" ({"total",
 * "difference", "overrated"} or null) and a node's "self"; with
 * --adjustments, a unit's "original" ({"total", "grade", "rank"} before
 * the appeals), a node's "original_score" (when it differs) and "appeal"
 * (when the appeals changed the item), and a top-level "adjustments"
 * trail after "units": [{"unit", "kind" ("data"|"score"), "indicator",
 * "old", "new" | "item", "number", "original_score", "score", "reason",
 * "basis", "by", "date", "file", "line"}].  When the data load warned
 * (a doubtful value), a top-level "warnings" list at the end: [{"file",
 * "line", "column" | "cell", "unit", "indicator", "value", "kind",
 * "message"}] (ls_data_warning).
 *
 * Units come in scheme order.  "state" is "scored", "na" or "error"; a
 * veto item's "score" is 1 when the veto applies, else 0; "clamp" is
 * "low" or "high"; "section" is "main", "bonus", "deduct" or "veto";
 * "parent" is the id of the enclosing category or null; indicator values
 * are numbers, booleans, strings or null (not given).
 *
 * Texts are not validated again here: the loaders and ls_score checked
 * them (valid UTF-8, no NUL).
 *
 * Depends on: ls_jsonw, ls_score, ls_explain, ls_manifest, ls_adjust, ls_error, ls_util.
 */
#ifndef LS_EXPORT_JSON_H
#define LS_EXPORT_JSON_H

#include <stdio.h>

#include "ls_error.h"
#include "ls_manifest.h"
#include "ls_score.h"

/* Write the result (and the manifest m, which may be NULL: "manifest" is
 * then null) to f, compact or, when pretty, indented for people.  Returns
 * 0, or -1 with an error when writing failed. */
int ls_write_json(const ls_run *r, const ls_manifest *m, FILE *f, int pretty, ls_errors *err);

/* Write units[0..n) (unit indices) to f as `lawscore explain --format
 * json` does, indented for people: one unit's object, written by the
 * same code and with the same content as its element of "units" in
 * results.json, but that every node lists its "reads" (there is no
 * "items" table to default to); several units (n != 1) as an array of
 * such objects, in the order given.  Returns 0,
 * or -1 with an error as ls_write_json. */
int ls_write_json_units(const ls_run *r, const size_t *units, size_t n, FILE *f,
                        ls_errors *err);

#endif
