/*
 * ls_lint.h - warnings about a scheme that loads and binds cleanly but is
 * probably not what its author meant (`lawscore check`; `--strict` makes
 * them fatal):
 *
 *   - an indicator in the catalogue that no rule reads (at the
 *     indicator's line in the catalogue);
 *   - an indicator a rule reads that the catalogue lacks, at the
 *     parameter of the item that names it when the name comes from the
 *     scheme (`params: {ok: service_flow}`), else at the script line: an
 *     ERROR when every probe call of the item reads it (`run` fails on
 *     every unit the item applies to), else a warning;
 *   - a rule that fails on probe data (below), naming the item and the
 *     script line: an ERROR when it is broken whatever the data (it fails
 *     on every probe call with an unknown name or a helper refusing its
 *     arguments, or a helper found the item's params contradict the
 *     catalogue: a graded/tiers key that is no enum code, reported at the
 *     key), else a warning;
 *   - an item that applies to no unit of the registry;
 *   - with data: a rule that fails on the data (as `run` would report
 *     it; left out when the probes found a problem with the rule), an
 *     ordinary item that no unit scores full points on, and one that
 *     every unit scores full points on (when two units or more are
 *     scored on it).
 *
 * Reads are found without the real data by probing: every leaf is run
 * once for each combination of group and flags that occurs among the
 * units it applies to, on a probe unit whose indicators hold (a) their
 * defaults, else a low plain value (min or 0, the first enum choice,
 * false, ""), (b) a high one (max, else min + 1 or 1; the last choice;
 * true; 100 for percents), and (c) when the catalogue has optional
 * indicators without a default, (a) with those left without a value.
 * A backend with a probe hook (the Lua backend) reports unknown names
 * instead of failing while it probes (ls_backends_probe), so every
 * misspelling a rule reaches is found; C plugins resolve indicators when they are bound, and their
 * reads are recorded by the plugin host.  With data, the reads of the
 * real scoring count too.  An indicator read only on a branch that
 * neither the probes nor the data reach is reported as unread.
 *
 * Depends on: ls_i18n, ls_scheme, ls_data, ls_rule, ls_backends, ls_score, ls_stats,
 * ls_error, ls_util.
 */
#ifndef LS_LINT_H
#define LS_LINT_H

#include "ls_data.h"
#include "ls_error.h"
#include "ls_scheme.h"
#include "ls_score.h"

/*
 * Lint scheme s, whose every leaf is bound in b (see ls_score_run), and
 * the data set d when it is not NULL (d must be complete: it is scored).
 * Adds warnings (LS_SEV_WARNING) to err, in this order: unread
 * indicators, then item by item what the probes found, then what the data
 * show (a rule failing for several units: a warning for the first, then
 * a note with the count).  b's backends are left as they were found (not probing).  Returns
 * 0, or -1 when it added errors (rules broken whatever the data, above).
 * The data are scored once, as `run` scores them (with --keep-going):
 * by the caller, who passes that run as `scored` (so that `check` scores
 * once for everything it reports), or, with scored NULL, here with the
 * scoring threads of so (may be NULL: the calling thread only; its
 * keep_going is ignored).
 */
int ls_lint(const ls_scheme *s, const ls_dataset *d, ls_backends *b, const ls_score_opts *so,
            const ls_run *scored, ls_errors *err);

#endif
