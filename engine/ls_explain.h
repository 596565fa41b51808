/*
 * ls_explain.h - the one source of truth for the words that explain a
 * score: the 扣分理由 of a cell (the rule's reasons, clamp notes, 不适用,
 * 评分出错), the indicator values a rule read, and the unit-level notes
 * (折算, bonus cap, 一票否决, total clamped at 0, grade lowered by a quota,
 * cells in error).  Every exporter (CSV, JSON, the terminal table) and
 * `lawscore explain` take their text from here, so a score sheet, the JSON
 * and an appeal answer never word the same fact differently.
 *
 * Amounts of points (an item's points, a cap, a bonus) are printed the
 * shortest exact way ("80", "0.5"); scores are printed with the scheme's
 * digits ("72.50").
 *
 * Depends on: ls_score (ls_run, and through it the scheme and the data),
 * ls_value, ls_util.
 */
#ifndef LS_EXPLAIN_H
#define LS_EXPLAIN_H

#include <stddef.h>

#include "ls_score.h"
#include "ls_util.h"

/* Separator between reasons and notes in one text. */
#define LS_EXPLAIN_SEP "；"

/* Texts of the clamp notes of ordinary (MAIN) items. */
#define LS_EXPLAIN_CLAMP_LOW "扣分超过分值，按0分计（扣完为止）"
#define LS_EXPLAIN_CLAMP_HIGH "得分超过分值，按满分计"

/*
 * The 扣分理由 of cell (unit, node): "不适用" for a cell that does not
 * apply; "评分出错" (followed by "：" and any reasons recorded) for a cell
 * in error; otherwise the rule's reasons joined with "；", followed by the
 * clamp note when the engine clamped the rule's value.  A vetoing veto
 * item without reasons says "一票否决".  "" when there is nothing to say.
 * Caller frees.
 */
char *ls_explain_cell(const ls_run *r, size_t unit, size_t node);

/* Append the same text to b (for callers building larger texts). */
void ls_explain_cell_buf(const ls_run *r, size_t unit, size_t node, ls_buf *b);

/*
 * ls_explain_cell for printed sheets: when a score decision on appeal
 * (r->adj) set the cell's score, the rule's reasons no longer add up to
 * it, so the decision follows them: "案卷评查不合格2卷，每卷扣1分，扣2分；
 * 经复核核定1.00分（东法考〔2018〕5号）"; a decision that keeps the score
 * (ls_explain_decision_keeps) "…；经复核维持原评分（东法考〔2018〕5号）".
 * Caller frees.
 */
char *ls_explain_cell_decided(const ls_run *r, size_t unit, size_t node);

/* Whether decision dec (a score decision of r->adj on its unit and item)
 * keeps the score the item had before the appeals: an appeal rejected,
 * registered with the score as published, which the outputs word as
 * 维持原评分 rather than as a score set ("核定0.00分" on a 0.00). */
int ls_explain_decision_keeps(const ls_run *r, const ls_adjustment *dec);

/*
 * The clamp note of a scored cell, or NULL when the value was not clamped.
 * MAIN items use LS_EXPLAIN_CLAMP_LOW / _HIGH; bonus and deduction-only
 * items name their limit ("加分超过本项上限5分，按5分计").  Caller frees.
 */
char *ls_explain_clamp(const ls_run *r, size_t unit, size_t node);

/*
 * The indicator values the cell's rule read, by catalogue name, joined
 * with "；": "迟报次数=2；法律顾问制度=兼管；结案率=88.9%".  A value not
 * given reads "未填报".  "" when the rule read none (and for categories).
 * Caller frees.
 */
char *ls_explain_reads(const ls_run *r, size_t unit, size_t node);
/* Append the same text to b (items.csv, a row at a time). */
void ls_explain_reads_buf(const ls_run *r, size_t unit, size_t node, ls_buf *b);
/* A warning about the data (ls_data_warning), in the documents' words:
 * the mark after the value where it is read ("（填报0.95，按0.95%计，请核实）"),
 * and the whole warning for a 数据提示 list (caller frees both). */
char *ls_explain_data_mark(const ls_data_warning *w);
char *ls_explain_data_warning(const ls_data_warning *w);

/* The same, each number followed by its indicator's unit from the
 * catalogue ("迟报次数=2次；结案率=88.9%"), for score sheets read by
 * people (`lawscore explain`).  Caller frees. */
char *ls_explain_reads_units(const ls_run *r, size_t unit, size_t node);

/*
 * The score column of a cell: the score with the scheme's digits ("90.00"),
 * "不适用", "错误", and for veto items "否决" / "未否决".  Writes into buf
 * (at least 32 bytes) when formatting a number; returns buf or a constant.
 */
const char *ls_explain_score(const ls_run *r, size_t unit, size_t node,
                             char *buf);

/* The heading of a score sheet's section of bonus, deduction-only or veto
 * items: "加分项目（加分合计不超过10分）" (or "加分项目" without a cap),
 * "扣分项目（从总分中扣减）", "一票否决项目"; "" for MAIN.  Caller frees. */
char *ls_explain_section(const ls_scheme *s, ls_section sec);

/* The unit's grade (band name), or "" when it has none. */
const char *ls_explain_grade(const ls_run *r, size_t unit);

/* The unit's rank in its group: "区直部门第3名/共18个单位", for a rank
 * shared with another unit "区直部门并列第6名/共18个单位"; "" when the
 * unit has no rank.  Caller frees. */
char *ls_explain_rank(const ls_run *r, size_t unit);

/* The veto item that applied to the unit, or NULL. */
const ls_node *ls_explain_veto(const ls_run *r, size_t unit);

/* Unit-level notes, in the order they are joined (the order in which the
 * total is computed). */
typedef enum {
    LS_NOTE_RESCALED,      /* 适用项目满分80分，得分72.50分，折算为百分制90.63分 */
    LS_NOTE_BONUS_CAP,     /* 加分12分，超过上限10分，按10分计 */
    LS_NOTE_TOTAL_CLAMPED, /* 扣分5分后总分低于0分，按0分计 */
    LS_NOTE_VETO,          /* 一票否决：<veto item>：<reasons> */
    LS_NOTE_TIE_BREAK,     /* 总分与区卫计局同为88.40分，“坚持严格…”得分15.00分低于区卫计局的16.00分，排在其后 */
    LS_NOTE_QUOTA,         /* 总分达到优秀分数线，但优秀不超过本组20%，评为良好 */
    LS_NOTE_ERRORS,        /* 2项评分出错，总分不完整 */
    LS_NOTE_SELF,          /* 自评分95.00分，高于考核分5.50分（超过3分），自评偏高 */
    LS_NOTE_APPEAL,        /* 复核调整：总分47.60→49.10，名次第9名→第7名 */
    LS_NOTE_COUNT
} ls_note_kind;

/* Stable name of a note kind for machine output ("rescaled", "bonus_cap",
 * "total_clamped", "veto", "tie_break", "quota", "errors", "self",
 * "appeal"). */
const char *ls_note_kind_name(ls_note_kind k);

/* The text of note `k` for the unit, or NULL when it does not apply.
 * Caller frees. */
char *ls_explain_unit_note(const ls_run *r, size_t unit, ls_note_kind k);

/* Every note that applies, joined with "；" ("" when none).  Caller frees. */
char *ls_explain_unit(const ls_run *r, size_t unit);
/* The same without the 自评分 note: the public 通报's 说明 (自评分 is
 * the office's, docs/year.md).  Caller frees. */
char *ls_explain_unit_public(const ls_run *r, size_t unit);

/* ---- 自评分 and appeals (docs/year.md); all "" / NULL without them ---- */

/* A signed difference with the scheme's digits: "+1.50", "-0.25", "0.00".
 * Writes into buf (at least 32 bytes), returns it. */
char *ls_explain_signed(ls_fixed v, int digits, char *buf);

/* The 自评分 of (unit, node) ("3.00"), "" when the unit gave none (or
 * without --self).  Categories are their items' sums.  Writes into buf (at
 * least 32 bytes) when formatting; returns buf or "". */
const char *ls_explain_self(const ls_run *r, size_t unit, size_t node, char *buf);

/* The 差值 of an item of section `section` scored
 * `assessed` with 自评分 `self`: what it makes the assessed total differ
 * from the self total — 考核分 − 自评分, and on a deduction (扣分) item,
 * whose score is the points taken, 自评分 − 考核分 (deducted 2, claimed 0:
 * −2.00).  Negative: the unit gets less than it claimed. */
ls_fixed ls_explain_self_delta(ls_section section, ls_fixed assessed, ls_fixed self);

/* The 差值 of (unit, node) signed ("-1.00", ls_explain_self_delta), ""
 * when either is missing.  Writes into buf (at least 32 bytes), returns
 * buf or "". */
const char *ls_explain_self_diff(const ls_run *r, size_t unit, size_t node, char *buf);

/* The unit's self total and its difference (考核总分 − 自评总分), as above. */
const char *ls_explain_self_total(const ls_run *r, size_t unit, char *buf);
const char *ls_explain_self_total_diff(const ls_run *r, size_t unit, char *buf);

/* Whether the unit is 自评偏高 (see ls_selfscore_overrated). */
int ls_explain_overrated(const ls_run *r, size_t unit);

/* The score of (unit, node) before the appeals, as ls_explain_score
 * writes it; "" without adjustments. */
const char *ls_explain_original_score(const ls_run *r, size_t unit, size_t node, char *buf);

/* What the appeals did to (unit, node), "" when nothing: the score
 * original → adjusted, then each decision behind it — a score decision
 * ("复核决定：<reason>（依据<basis>；<by>，<date>）", "复核维持原评分：…" when
 * it keeps the score) or a data correction
 * of an indicator the item's rule read ("更正迟报次数3→2：<reason>（…）").
 * A change without a decision of its own (a rank-based item moved by
 * others' corrections) reads "随其他单位数据更正而变动".  Caller frees. */
char *ls_explain_appeal(const ls_run *r, size_t unit, size_t node);

/* The same in brief, for the 复核 column of 扣分明细 (a 通报 quotes it):
 * a score decision "复核核定1.00分（东法考〔2018〕5号）" (one that keeps the
 * score "复核维持原评分（东法考〔2018〕5号）"); data corrections
 * of indicators the item's rule read "复核更正迟报次数3→2、漏报次数1→0，
 * 考核分1.50→3.00（东法考〔2018〕3号）" (扣分 for a deduction-only item);
 * a change by others' corrections "随其他单位数据更正，考核分2.00→1.50".
 * "" when the appeals did nothing to the item (and for categories).
 * Caller frees. */
char *ls_explain_appeal_brief(const ls_run *r, size_t unit, size_t node);

#endif
