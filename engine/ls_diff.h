/*
 * ls_diff.h - what changed between two published results (`lawscore
 * diff A B`): the units whose total, rank or grade changed, each with the
 * items behind the change and, for each item, the indicator values that
 * changed and the appeals (复核) that decided it, in words:
 *
 *   区农林水务局 62.85 → 64.35（+1.50）：8.3 按时报送信息 +1.50（迟报次数 3→2，
 *   漏报次数 1→0；复核决定 东法考〔2018〕3号）
 *
 * Decisions the earlier version of the same year had and the later one
 * withdrew read "撤销复核决定 东法考〔2018〕5号（核定得分 0.00→1.00）"; an
 * item whose data changed while a score decision held its score is shown
 * with 0.00 and the decision.  A deduction item's 变动 is its effect on
 * the total (10.00 → 0.00: +10.00).
 *
 * A and B are two archived versions or two result directories; units are
 * matched by id (or a registry's formerly:), items by id.  Text, or CSV
 * (one row per change: 总分, 名次, 等次, then each item), or the lines
 * for a document (the report's and the workbook's 复核调整情况,
 * ls_layout_diff; `diff --format html`).
 *
 * Depends on: ls_results, ls_csv (quoting), ls_error, ls_util.
 */
#ifndef LS_DIFF_H
#define LS_DIFF_H

#include <stdio.h>

#include "ls_error.h"
#include "ls_results.h"
#include "ls_util.h"

/* One unit's change in words, as the text output prints it. */
typedef struct ls_diff_line {
    int group;  /* index into b's groups; -1: a unit of a no longer assessed */
    char *text; /* owned */
} ls_diff_line;

typedef struct ls_diff_lines {
    ls_diff_line *v; /* in b's group and rank order, then the units of a
                          no longer assessed */
    size_t n, cap;
    long changed; /* units that changed */
} ls_diff_lines;

/* The changes from a to b into d (overwritten; free with
 * ls_diff_lines_cleanup). */
void ls_diff_lines_make(const ls_results *a, const ls_results *b, ls_diff_lines *d);
void ls_diff_lines_cleanup(ls_diff_lines *d);

/* Whether the appeal e (of the later result) is new: a holds no decision
 * on the same unit and indicator or item with the same basis and new
 * value (one already decided in a is no change between them). */
int ls_diff_adj_new(const ls_results *a, const ls_radj *e);

/* Whether the appeal e of a is withdrawn in b: a and b are of the same
 * year and b holds no decision on e's unit and indicator or item (a
 * re-publication with --withdraw).  Across years none is withdrawn. */
int ls_diff_adj_withdrawn(const ls_results *a, const ls_results *b, const ls_radj *e);

/* The closing line: "2个单位的总分、名次或等次有变动" (or that none
 * changed).  Caller frees. */
char *ls_diff_summary(long changed);

/* Write the changes from a to b to out as text (csv = 0) or CSV.
 * Returns the number of units that changed (0: none), or -1 with an
 * error when writing failed. */
long ls_diff_write(const ls_results *a, const ls_results *b, int csv, FILE *out, ls_errors *err);

/* The headline of later unit ub against earlier ua, appended to line:
 * "区财政局 总分93.25未变，名次 3→4，等次 优秀→良好（优秀不超过本组20%，本组
 * 优秀名额已满）" — the total's change, the rank's and the grade's when
 * they changed, and the 优秀 share cap when it (not the total) moved or
 * held the grade (the units' "quota" notes in results.json). */
void ls_diff_headline(const ls_results *a, const ls_runit *ua, const ls_results *b, const ls_runit *ub,
                      ls_buf *line);

/* Only the share cap's words of the headline (without brackets),
 * appended to t; 0 when the cap explains nothing about ub's grade. */
int ls_diff_cap_words(const ls_results *a, const ls_runit *ua, const ls_results *b, const ls_runit *ub,
                      ls_buf *t);

#endif
