/*
 * ls_scheme.h - the yearly assessment scheme: groups and grade bands, the
 * unit registry, the indicator catalogue, and the tree of categories and
 * items (with bonus, deduction-only and veto items), each leaf bound to a
 * rule.  Loading validates everything that can be checked before scoring.
 * The file format is described in docs/scheme.md.
 *
 * Depends on: ls_i18n, ls_yread (and through it ls_yaml: the scheme's YAML stays
 * loaded, rule parameters are handed to rule backends as YAML nodes; this
 * header only names their types), ls_intable (units tables), ls_value,
 * ls_decimal, ls_strmap, ls_arena, ls_scope (the directories its files
 * may come from), ls_error, ls_util.
 */
#ifndef LS_SCHEME_H
#define LS_SCHEME_H

#include <stddef.h>
#include <stdint.h>

#include "ls_arena.h"
#include "ls_decimal.h"
#include "ls_error.h"
#include "ls_strmap.h"
#include "ls_value.h"

/* The YAML reader's types, by name only (ls_yaml.h, ls_yread.h): the
 * scheme keeps its documents and hands out their nodes. */
typedef struct ls_ynode ls_ynode;
typedef struct ls_ydoc ls_ydoc;
typedef struct ls_yr ls_yr;

#define LS_MAX_FLAGS 64
#define LS_MAX_GROUPS 64

typedef struct ls_band {
    const char *name; /* 优秀 */
    ls_fixed min;     /* inclusive lower bound */
    double max_share; /* 0 = no cap; 0.2 = at most 20% of the group */
} ls_band;

typedef struct ls_group {
    const char *id, *name;
    ls_band *bands; /* sorted by min, highest first; last min <= 0 */
    size_t nbands;
    int veto_band;  /* index into bands given to vetoed units */
    int *tie_break; /* node indices (categories) compared in turn */
    size_t ntie_break;
    int line, col;
} ls_group;

typedef struct ls_unit {
    const char *id, *name;
    int group;        /* index into scheme->groups */
    uint64_t flags;   /* bit i: scheme->flags[i] */
    const char *path; /* where it was declared */
    int line, col;
    const char **formerly; /* ids in earlier years (renamed, merged) */
    size_t nformerly;
    const char **former_names; /* names in earlier years (区安监局) */
    size_t nformer_names;
} ls_unit;

typedef struct ls_indicator {
    const char *id, *name, *unit, *description;
    const char *source; /* who supplies it (法制办, 信访局): its sheet in
                                `lawscore template`; NULL when not given */
    ls_vspec spec;
    int required;
    ls_value def;            /* def.set when a default is given */
    const char **labels;     /* enum: display name of each choice (NULL
                                where none is given), or NULL (`labels:`) */
    const char *lint_ignore; /* `lint: {ignore: REASON}`: the reason, or NULL */
    int line, col;
} ls_indicator;

typedef enum {
    LS_SEC_MAIN,   /* the 100-point tree */
    LS_SEC_BONUS,  /* 加分, capped in total */
    LS_SEC_DEDUCT, /* deduction-only items outside the total */
    LS_SEC_VETO    /* 一票否决 */
} ls_section;

typedef enum {
    LS_RULE_NONE,
    LS_RULE_LUA,
    LS_RULE_PLUGIN
} ls_rule_kind;

typedef struct ls_ruleref {
    ls_rule_kind kind;
    const char *path;       /* LUA: resolved path of the script */
    const char *text;       /* LUA: path as written in the scheme */
    const char *plugin;     /* PLUGIN: plugin name */
    const char *function;   /* PLUGIN: function name */
    const ls_ynode *params; /* a mapping, or NULL (lives in scheme->doc) */
    int line, col;          /* of the rule key */
} ls_ruleref;

typedef struct ls_node {
    const char *id, *name;
    const char *criteria; /* 评分标准 text, may be "" */
    ls_section section;
    ls_fixed points;         /* MAIN: full points; BONUS: max bonus;
                                DEDUCT: max deduction; VETO: 0 */
    int no_points;           /* BONUS/DEDUCT written without `points`: no
                                cap of its own (points is 0) */
    const char *lint_ignore; /* `lint: {ignore: REASON}`: the reason, or NULL */
    int parent;              /* node index, -1 for top level */
    int depth;               /* 0 = category (or top-level bonus/... item) */
    int *children;           /* node indices */
    size_t nchildren;
    ls_ruleref rule;    /* leaves only */
    const char *number; /* 序号 as printed: "1", "1.2", "1.2.3" */
    uint64_t groups;    /* bit g set: applies to group g; includes the
                                ancestors' conditions */
    uint64_t need;      /* flags a unit must have (only_if), with ancestors' */
    uint64_t forbid;    /* flags a unit must not have (unless), with ancestors' */
    int line, col;
} ls_node;

typedef struct ls_scheme {
    const char *path, *dir;
    const char *name;
    int year;
    int digits;             /* precision 0.01 -> 2 */
    ls_fixed total;         /* 100 */
    ls_fixed bonus_cap;     /* < 0: no cap */
    ls_fixed self_overrate; /* 自评偏高 when 自评分 - 考核分 exceeds it; < 0: none */
    long max_instructions;  /* per rule call; 0 = engine default */
    long max_memory;        /* bytes per rule state; 0 = engine default */

    const char **flags;      /* declared unit flags */
    const char **flag_names; /* their descriptions */
    size_t nflags;

    ls_group *groups;
    size_t ngroups;
    ls_unit *units;
    size_t nunits;
    ls_indicator *inds;
    size_t ninds;
    ls_node *nodes;
    size_t nnodes; /* pre-order: a parent precedes
                                            its children */
    int *roots;
    size_t nroots; /* top-level MAIN categories */
    int *leaves;
    size_t nleaves; /* every leaf, in order, all sections */

    ls_strmap unit_ix, ind_ix, node_ix; /* id -> index */
    ls_strmap label_ix;                 /* enum code with a display name -> the first
                                indicator whose `labels:` give it */

    ls_ydoc *doc;       /* the scheme file (owned) */
    ls_ydoc *units_doc; /* units file when separate (owned), or NULL */
    ls_arena arena;     /* everything else */
} ls_scheme;

/* Load and validate a scheme.  On success returns a scheme the caller frees
 * with ls_scheme_free; on failure returns NULL with every error found
 * recorded in err. */
ls_scheme *ls_scheme_load(const char *path, ls_errors *err);
/* The same, the files the scheme names (rule scripts, a units file) may
 * also come from the directories of scope (may be NULL: only the scheme's
 * own directory; see ls_scope.h). */
struct ls_scope;
ls_scheme *ls_scheme_load_scoped(const char *path, const struct ls_scope *scope, ls_errors *err);
void ls_scheme_free(ls_scheme *s);

/* Lookups by id; -1 when absent. */
int ls_scheme_find_unit(const ls_scheme *s, const char *id);
/* The unit whose 'formerly:' lists text (last year's id) or, failing
 * that, whose 'former_names:' lists it (last year's name); -1 if none.
 * *by_name (may be NULL) is set to 1 for a former name. */
int ls_scheme_find_former_unit(const ls_scheme *s, const char *text, int *by_name);
/* The unit other than `except` (-1: none excluded) whose 'former_names:'
 * lists name, when exactly one does; -1 when none does or several do (a
 * split: which one is meant only the office knows).  For the hint on a
 * data row whose name is another unit's former name. */
int ls_scheme_former_name_unit(const ls_scheme *s, const char *name, int except);
/* The one hint for a unit an office typed that is not this year's: when
 * text is last year's id or name of a unit, records at path:line:col
 * "unknown unit 'ajj': it is the former id of yjj (区应急管理局) ..." and
 * returns -1; otherwise records nothing and returns 0.  The data loader,
 * the appeals register and the self-assessment forms all use it.  names:
 * the reader also takes a unit by this year's name, so the hint for a
 * former name offers it (0: ids only, and the hint asks for the id; then
 * this year's name of a unit gets the hint too: "it is the name of xfj;
 * write its id xfj"). */
int ls_scheme_former_unit_error(const ls_scheme *s, const char *text, int names, ls_errors *err, const char *path,
                                int line, int col);
/* That hint when it applies, else "unknown unit '%s': it is not in the
 * scheme's unit registry"; returns -1. */
int ls_scheme_unknown_unit_error(const ls_scheme *s, const char *text, int names, ls_errors *err, const char *path,
                                 int line, int col);
/* Group by id or by name; -1 if none. */
int ls_scheme_find_group_any(const ls_scheme *s, const char *text);
/* Parse a flags cell: flag ids or descriptions separated by ';' (also ',',
 * '|', '、', spaces and the full-width forms ；，｜ and the full-width
 * space).  Returns 0 with the set in *out, or -1 with the first unknown
 * flag written into bad. */
int ls_scheme_parse_flags(const ls_scheme *s, const char *text, uint64_t *out, char *bad, size_t badsize);
int ls_scheme_find_indicator(const ls_scheme *s, const char *id);
int ls_scheme_find_node(const ls_scheme *s, const char *id);
int ls_scheme_find_group(const ls_scheme *s, const char *id);

/* The catalogue id nearest to `id` (for "did you mean"), or NULL. */
const char *ls_scheme_suggest_indicator(const ls_scheme *s, const char *id);
/* The catalogue indicator whose name (迟报次数) is nearest to `name`, in
 * code points (at most 1 apart for names of up to 5 characters, a third
 * of the length beyond), else the only one whose name contains `name` or
 * is contained in it; NULL when none is near or several are equally. */
const ls_indicator *ls_scheme_suggest_indicator_name(const ls_scheme *s, const char *name);

/* The display name of enum value `code`: that of indicator `ind`'s
 * `labels:`, or with ind < 0 the one every indicator labelling the code
 * gives it; `code` itself when there is none (or they disagree).  The
 * string lives as long as the scheme (or is `code`). */
const char *ls_scheme_label(const ls_scheme *s, int ind, const char *code);

/* The index of the enum value of `in` whose `labels:` label is `label`
 * (市级 -> city): -1 when no value has that label, -2 when several do. */
int ls_indicator_label_code(const ls_indicator *in, const char *label);

/* The enum values of `in` as messages list them, each code with its label
 * when it has one: "province (省级), city (市级), none".  Caller frees. */
char *ls_indicator_choices_text(const ls_indicator *in);

/* Whether leaf or category `node` applies to unit `unit`. */
int ls_node_applies(const ls_scheme *s, int node, int unit);

/* Read the value of a `rule:` key (a Lua file name, {lua: FILE} or
 * {plugin: NAME, function: F}) and the item's `params:` (may be NULL) into
 * rr.  Lua paths are joined to dir (kept in arena) and must be readable.
 * Returns 0, or -1 with the errors recorded through r.  Used for schemes
 * and for the single-item cases of rule tests. */
int ls_ruleref_read(ls_ruleref *rr, const ls_ynode *rule, const ls_ynode *params, const char *dir,
                    ls_arena *arena, ls_yr *r);

/* Name of a section as written in messages ("item", "bonus item", ...),
 * translated (ls_i18n). */
const char *ls_section_name(ls_section sec);

#endif
