/*
 * ls_layout.h - the office documents' tables as data: the 通报 (each
 * group's ranking), each unit's 评分表 and the 扣分明细, as rows of typed
 * cells (text, a score at the scheme's precision, a whole number) under
 * described columns.  The workbook (ls_export_xlsx) and the HTML report
 * (ls_export_html) both render these tables, so they hold the same
 * content; adding a column here adds it to both.
 *
 * Every explanation comes from ls_explain (the words of items.csv and
 * `lawscore explain`); this file only decides which rows and columns a
 * document has.
 *
 * The 复核调整情况 (what the appeals changed) is `lawscore diff`'s
 * (ls_diff) between two results: a run's before and after its appeals
 * (ls_results_run), or two published results.
 *
 * Depends on: ls_score, ls_explain, ls_diff, ls_results, ls_results_run,
 * ls_decimal, ls_util.
 */
#ifndef LS_LAYOUT_H
#define LS_LAYOUT_H

#include <stddef.h>

#include "ls_decimal.h"
#include "ls_results.h"
#include "ls_score.h"

/* Above this many units the workbook and the report leave out the
 * per-unit score sheets unless asked for them (--all-sheets). */
#define LS_LAYOUT_MAX_SHEETS 500

/* 主要失分项目 names at most this many of the units that lost points on
 * an item ("甲、乙…等1234个单位"). */
#define LS_LAYOUT_MAX_NAMES 50

typedef enum {
    LS_LC_EMPTY, /* nothing */
    LS_LC_TEXT,  /* text: stays text (序号 1.10 is not the number 1.1) */
    LS_LC_SCORE, /* num: a score or amount with the scheme's digits */
    LS_LC_INT    /* num: a whole number (a rank) */
} ls_lcell_kind;

typedef struct ls_lcell {
    ls_lcell_kind kind;
    char *text;   /* LS_LC_TEXT: owned */
    ls_fixed num; /* LS_LC_SCORE: fixed point; LS_LC_INT: the number */
} ls_lcell;

typedef enum {
    LS_LR_CATEGORY, /* a top-level category with its subtotal */
    LS_LR_SUBITEM,  /* a sub-item (二级) with its subtotal */
    LS_LR_ITEM,     /* a scored item */
    LS_LR_SECTION,  /* a heading over the following rows: text in cell 0 */
    LS_LR_SUMMARY,  /* 合计, 折算, 总分, 等次, 名次: label in the name column */
    LS_LR_GROUP,    /* 通报: a group's heading, text in cell 0 */
    LS_LR_UNIT,     /* 通报 and 扣分明细: one unit's row */
    LS_LR_NOTE      /* a line of text under the table, in cell 0 */
} ls_lrow_kind;

typedef struct ls_lrow {
    ls_lrow_kind kind;
    int band;    /* LS_LR_UNIT in 通报: the unit's band index, else -1 */
    ls_lcell *c; /* ncols cells, owned */
} ls_lrow;

typedef enum {
    LS_COL_SHORT, /* short text (序号, 名次, 等次) */
    LS_COL_NAME,  /* a name (考核项目, 单位) */
    LS_COL_NUM,   /* numbers, right aligned */
    LS_COL_LONG   /* long text, wrapped (评分标准, 扣分理由, 说明) */
} ls_lcol_kind;

typedef struct ls_lcol {
    char *title; /* owned */
    ls_lcol_kind kind;
    int width; /* suggested width in Latin characters (a CJK
                         character counts 2), for A4 */
} ls_lcol;

typedef struct ls_ltable {
    char *title; /* owned: "…评分表" */
    char **info; /* owned lines under the title ("被考核单位：…") */
    size_t ninfo;
    ls_lcol *cols;
    size_t ncols;
    ls_lrow *rows;
    size_t nrows, caprows;
    int digits; /* the scheme's precision */
} ls_ltable;

/* The signature block printed at the end of every 评分表, in order. */
extern const char *const ls_layout_signatures[];
extern const size_t ls_layout_nsignatures;

/* The colour of grade band i (0 the best) in every document, as
 * "#rrggbb": green, blue, orange, red, then purple and grey. */
const char *ls_layout_band_color(size_t i);

/* The manifest in the office documents' words: a file's role as
 * ls_mf_role_name gives it ("scheme", "rule", …) becomes 考核方案,
 * 评分规则, …; an option's key becomes its name with the command-line
 * flag (keep_going: "出错继续（--keep-going）"; plugin.NAME.version:
 * "插件 NAME 版本"), freed by the caller; "true"/"false" become 是/否.
 * Anything else is returned as it is. results.json keeps the keys. */
const char *ls_layout_file_role(const char *role);

/* 数据提示, the warnings about the data the run printed (docs/output.md):
 * those about unit's values as one text ("结案率：百分比指标填报值0.85，
 * 按0.85%计算；…"), NULL when none; and the unit and indicator a
 * warning is about ("建国乡：结案率", "" when none).  Caller frees. */
char *ls_layout_unit_data_warnings(const ls_run *r, size_t unit);
/* The workbook's and report's 数据提示 list the first this many; a line
 * says how many more results.json's "warnings" holds. */
#define LS_LAYOUT_MAX_WARNINGS 1000
char *ls_layout_data_warning_unit(const ls_run *r, const ls_data_warning *w);
char *ls_layout_option_name(const char *key);
const char *ls_layout_option_value(const char *value);

/* Free everything a table holds and zero it.  NULL is a no-op. */
void ls_ltable_cleanup(ls_ltable *t);

/* Drop the rows only (keeping title and columns), for callers that
 * stream a long table. */
void ls_ltable_clear_rows(ls_ltable *t);

/* Append a row of the given kind with t->ncols empty cells (band -1);
 * the table owns it. */
ls_lrow *ls_ltable_add_row(ls_ltable *t, ls_lrow_kind kind);

/* Append a row of kind LS_LR_SECTION, LS_LR_GROUP or LS_LR_NOTE whose
 * text (owned by the table from now on; NULL or "" for none) is in
 * cell 0. */
void ls_ltable_add_line(ls_ltable *t, ls_lrow_kind kind, char *text);

/*
 * The 评分表 of unit `unit` into t (zeroed by the caller, freed with
 * ls_ltable_cleanup): title "<assessment>评分表", info lines (被考核单位,
 * 组别, each flag), columns 序号 | 考核项目 | 分值 | 评分标准 | 考核分 |
 * 扣分理由; every MAIN node (categories and sub-items with their
 * subtotals); 合计 (适用项目合计 when rescaled); 折算 in words; the bonus
 * items and 加分合计 with the cap note; each deduction-only item and
 * 扣分合计 as negative numbers; the veto items; 总分, 等次, 名次 (a whole
 * number, with "…第N名/共M个单位" as its note).  A cell that does not
 * apply reads 不适用 in 考核分 and has no 扣分理由; a cell in error reads
 * 错误.  With 自评分 (r->self) the columns 自评分 | 差值 (考核分 − 自评分)
 * follow, and a 自评分 summary row; with appeals (r->original) a column
 * 复核调整 (ls_explain_appeal) and a 复核前总分 summary row.
 */
void ls_layout_sheet(const ls_run *r, size_t unit, ls_ltable *t);

/*
 * Where the end of a 评分表 (from ls_layout_sheet) starts: the row of
 * 总分, or the veto items' heading when the veto rows precede it.  The
 * documents print the end (一票否决 … 总分, 等次, 名次) and the signature
 * block together, never split by a page end.  t->nrows when the table
 * has no 总分 row.
 */
size_t ls_layout_sheet_end(const ls_ltable *t);

/*
 * The 通报 into t: title "<assessment>结果通报", columns 名次 | 单位 |
 * each category "<name>（<points>分）" | 加分 | 扣分 | 总分 | 等次 | 说明;
 * for each group a LS_LR_GROUP heading ("乡镇政府（2个单位）"), its units
 * in rank order (名次 a number, or text "并列3" for a shared rank; 说明
 * is ls_explain_unit), then, when some were vetoed, a LS_LR_SECTION
 * "一票否决单位（N个）" and the vetoed units in rank order with an empty
 * 名次 (their total as scored, grade, and the veto in 说明), then a
 * LS_LR_NOTE with its bands and counts (ls_layout_bands).  results.csv
 * and results.json keep the vetoed units' ranks.
 * With appeals 复核前总分 stands before 说明.  The 通报 is public: it
 * shows no 自评分 (nor the 自评偏高 note), which is ls_layout_self's.
 */
void ls_layout_ranking(const ls_run *r, ls_ltable *t);

/*
 * The same 通报 in pieces, for a province whose table is not built whole:
 * ls_layout_ranking_head sets t's title and columns (no rows);
 * ls_layout_ranking_heading is group g's heading text ("乡镇政府（2个
 * 单位）", caller frees); ls_layout_ranking_units appends to t at most
 * `max` of group g's rows from its from-th on (0-based: the ranked units,
 * then the 一票否决单位 heading and the vetoed units) and returns how many
 * it appended, 0 past the end.  The group's note is ls_layout_bands.
 */
void ls_layout_ranking_head(const ls_run *r, ls_ltable *t);
char *ls_layout_ranking_heading(const ls_run *r, size_t g);
size_t ls_layout_ranking_units(const ls_run *r, size_t g, size_t from, size_t max, ls_ltable *t);

/* The group's bands and how many units got each: "等次：优秀（90分及以上）
 * 1个；良好（80分及以上）3个；…；不合格（一票否决）…".  Caller frees. */
char *ls_layout_bands(const ls_run *r, size_t group);

/*
 * Where the group's units lose most, for the 通报's paragraph on common
 * problems, into t (zeroed by the caller): title "<group>主要失分项目",
 * columns 序号 | 考核项目 | 分值 | 失分单位数 | 平均失分 | 失分单位; one row
 * per item of the 100-point tree on which at least one unit of the group
 * lost points, most units first (then most points lost, then scheme
 * order), at most `max` rows.  平均失分 is over the units that lost points,
 * rounded half up; 失分单位 lists them in rank order, joined with "、",
 * the first LS_LAYOUT_MAX_NAMES followed by "等N个单位" when there are
 * more.
 */
void ls_layout_common_losses(const ls_run *r, size_t group, size_t max, ls_ltable *t);

/* Columns of the 扣分明细 into t (no rows): 单位编号 | 单位名称 | 组别 |
 * 序号 | 考核项目 | 分值 | 考核分 | 扣分 | 扣分理由 | 使用的指标, and
 * with appeals (r->original) 复核 (ls_explain_appeal_brief). */
void ls_layout_losses_head(const ls_run *r, ls_ltable *t);

/* Append unit `unit`'s rows of the 扣分明细 to t (set up by
 * ls_layout_losses_head): each MAIN item that lost points (扣分 = 分值 −
 * 考核分) or is in error, each bonus item that gave points (扣分 empty),
 * each deduction-only item that took points (考核分 negative), each veto
 * that applied; with appeals, also each item whose score they changed
 * (扣分 0.00 when it no longer loses points).  考核分 and 扣分 are after
 * the appeals, 复核 says what they did.  Returns the number of rows
 * added. */
size_t ls_layout_losses_unit(const ls_run *r, size_t unit, ls_ltable *t);

/*
 * 复核调整情况, what changed from result a to result b, as `lawscore
 * diff` words it, into two tables (zeroed by the caller, freed with
 * ls_ltable_cleanup):
 *
 *   changes    title `title`, one column 变动情况: for each group of b
 *              with changes a LS_LR_GROUP heading and a row per unit
 *              whose total, rank or grade changed (the line of `diff`,
 *              ls_diff_lines_make), units of a no longer assessed under
 *              a heading 不再考核, then a LS_LR_NOTE (ls_diff_summary);
 *   decisions  title 复核决定, columns 单位 | 复核事项 | 变更 | 理由 |
 *              依据 | 决定人 | 日期: one row per appeal of b that a did
 *              not have (ls_diff_adj_new), in b's order; no rows when
 *              none; then one row per appeal of a that b withdrew
 *              (ls_diff_adj_withdrawn: the same year, b no longer
 *              decides it), in a's order.  复核事项 reads "更正数据：迟报
 *              次数" or "核定得分：4.5 行政执法案卷评查" ("撤销核定得分：4.5
 *              行政执法案卷评查" when withdrawn), 变更 "3→2" or
 *              "0.00→1.00" (a withdrawn one's: what it had changed).
 */
void ls_layout_diff(const ls_results *a, const ls_results *b, const char *title, ls_ltable *changes,
                    ls_ltable *decisions);

/* The same for a run with appeals: r->original against r (their results
 * made by ls_results_from_run), titled 复核调整情况.  Returns 0 and
 * leaves the tables alone when r has no appeals; 1 otherwise. */
int ls_layout_appeals(const ls_run *r, ls_ltable *changes, ls_ltable *decisions);

/* 自评对照, with 自评分 (--self): the office's comparison, not the public
 * 通报's (docs/year.md): per group in rank order, each unit's 考核分,
 * 自评分 (未报 when it gave none), 差值 (考核分 − 自评分) and 说明 (自评偏高).
 * Returns 0 and leaves t alone without 自评分; 1 otherwise. */
int ls_layout_self(const ls_run *r, ls_ltable *t);

#endif
