/*
 * lawscore_plugin.h - the C plugin ABI of lawscore: the one header a
 * plugin includes.  A plugin is a shared object NAME.so that scores items
 * of an assessment scheme the way a Lua rule does:
 *
 *     rule: {plugin: rates, function: rate_steps}
 *     params: {indicator: close_rate, target: 90, step: 10, each: 1, what: 结案率}
 *
 * It exports one function, lawscore_plugin(), returning a descriptor that
 * lists its functions.  Each function may have a `bind` callback, run once
 * per item when the scheme is loaded (check the parameters, resolve
 * indicator ids, keep what the calls need in a per-item state), and has a
 * `score` callback, run once per (unit, item).  Everything a plugin can ask
 * of lawscore comes through the lsp_host table of function pointers passed
 * to both callbacks: plugins link against no lawscore symbol.
 *
 * The guide, with a complete plugin to copy, is docs/plugins.md.
 *
 * COMPATIBILITY PROMISE
 *
 *   - lawscore loads a plugin when the plugin's ABI major equals its own
 *     and the plugin's minor is not greater than its own: a plugin built
 *     against 1.0 loads in every 1.x lawscore; a plugin built against 1.3
 *     is refused by lawscore 1.2 with a message saying so.
 *   - Within a major version the structs below only grow at their end:
 *     no field is removed, moved or retyped, no function pointer changes
 *     its signature or meaning.  A new minor adds fields or host
 *     functions at the end.
 *   - Each struct a plugin hands over carries its own size as the plugin
 *     compiled it (lsp_descriptor.size, .function_size); lawscore reads
 *     only that much and treats later fields as absent (zero).  A
 *     descriptor smaller than the 1.0 layout is refused.
 *   - Structs the host hands out (lsp_host, lsp_item, lsp_unit, lsp_stat)
 *     are allocated by the host only, never by a plugin, so they grow
 *     safely: a plugin built against 1.m reads only fields every 1.n host
 *     (n >= m) has.  The host table carries its size too: a plugin that
 *     declares an older minor than its header's (to load in older hosts)
 *     checks a newer host function before using it: LSP_HOST_HAS(h, m).
 *   - magic, abi_major, abi_minor and size stay the first four fields of
 *     the descriptor in every version, so any lawscore can tell why it
 *     cannot load a plugin.
 *   - A new major version is made only when this cannot be kept.
 *
 * Rules for plugin code: no global mutable state (lawscore may load a
 * plugin once and bind it to many items); memory a plugin allocates is
 * freed by the plugin (free_state); pointers the host returns stay valid
 * as documented below and must not be freed; the bind and call contexts
 * are valid only during the callback they are passed to.  Plugins run
 * inside the lawscore process without a sandbox: a crash in a plugin ends
 * lawscore (exit(), abort() and SIGSEGV/SIGBUS/SIGFPE/SIGILL in plugin
 * code end it with status 1 and a message naming the plugin, the item and
 * the unit; the results are not written).  Build flags: see
 * plugins/Makefile.
 *
 * Depends on: <stddef.h>, <stdint.h> only.
 */
#ifndef LAWSCORE_PLUGIN_H
#define LAWSCORE_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LSP_MAGIC 0x4C53504Cu      /* 'LSPL' */
#define LSP_ABI_MAJOR 1
#define LSP_ABI_MINOR 2
#define LSP_ENTRY "lawscore_plugin" /* name of the exported entry point */

#if defined(__GNUC__) || defined(__clang__)
#define LSP_EXPORT __attribute__((visibility("default")))
#define LSP_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define LSP_EXPORT
#define LSP_PRINTF(f, a)
#endif

/* Opaque contexts, valid only during the callback that receives them. */
typedef struct lsp_bind_ctx lsp_bind_ctx;   /* binding one item */
typedef struct lsp_call lsp_call;           /* scoring one (unit, item) */
typedef struct lsp_host lsp_host;

/* ---- what a plugin provides ------------------------------------------ */

typedef struct lsp_function {
    const char *name;          /* as written in `function:` of the scheme */
    /* Optional (NULL: no parameters to check).  Runs once per item when
     * the scheme is bound: read and check the parameters, resolve
     * indicator ids, and keep what the calls need with h->set_state.
     * Return 0, or -1 after reporting why with h->bind_error (or after a
     * parameter accessor reported it). */
    int (*bind)(const lsp_host *h, lsp_bind_ctx *b);
    /* Required.  Runs once per (unit, item): read values, set the result
     * (h->result, h->amount or h->earned) and add reasons.  Return 0, or
     * -1 after h->fail (a failed call stops the run like a failing Lua
     * rule, or marks the cell with --keep-going). */
    int (*score)(const lsp_host *h, lsp_call *c);
    /* Optional: frees the state bind kept (called once per item, when
     * lawscore is done with the scheme, or when bind failed after
     * set_state). */
    void (*free_state)(void *state);
    const char *description;   /* one line for people, may be NULL */
} lsp_function;

typedef struct lsp_descriptor {
    uint32_t magic;            /* LSP_MAGIC */
    uint16_t abi_major;        /* LSP_ABI_MAJOR */
    uint16_t abi_minor;        /* LSP_ABI_MINOR */
    uint32_t size;             /* sizeof(lsp_descriptor) */
    uint32_t function_size;    /* sizeof(lsp_function): stride of functions */
    const char *name;          /* the plugin's name, normally its file name */
    const char *version;       /* the plugin's own version, e.g. "1.0.0" */
    const lsp_function *functions;
    size_t nfunctions;
    /* -- 1.2 -- */
    uint32_t flags;            /* LSP_THREADSAFE, or 0 (older plugins: 0) */
} lsp_descriptor;

/* Descriptor flags.
 *
 * LSP_THREADSAFE: the plugin's callbacks may run on several threads at
 * once.  lawscore scores with several threads (--jobs); each thread binds
 * every item again and so has its own states, but a plugin that keeps
 * anything outside its states (a static buffer, a global counter, a
 * library that is not thread-safe) must not set this flag.  Without it,
 * lawscore calls the score callbacks of such plugins from one thread at a
 * time (correct, but those items do not get faster with more threads). */
#define LSP_THREADSAFE 1u

/* Size of the 1.0 descriptor: anything smaller is refused. */
#define LSP_DESCRIPTOR_SIZE_1_0 \
    (offsetof(lsp_descriptor, nfunctions) + sizeof(size_t))
#define LSP_FUNCTION_SIZE_1_0 \
    (offsetof(lsp_function, description) + sizeof(const char *))

/* The entry point every plugin exports.  Returns a descriptor that lives
 * as long as the plugin is loaded (normally a static const). */
LSP_EXPORT const lsp_descriptor *lawscore_plugin(void);

/* Define the descriptor and the entry point of a plugin in one line:
 *     static const lsp_function functions[] = {{"f", bind_f, score_f, free, "..."}};
 *     LSP_PLUGIN("name", "1.0.0", functions)
 * or, for a plugin whose callbacks keep nothing outside their states
 * (see LSP_THREADSAFE):
 *     LSP_PLUGIN_THREADSAFE("name", "1.0.0", functions)                        */
#define LSP_PLUGIN_FLAGS(NAME, VERSION, FUNCTIONS, FLAGS)                        \
    static const lsp_descriptor lsp_descriptor_ = {                              \
        LSP_MAGIC, LSP_ABI_MAJOR, LSP_ABI_MINOR, (uint32_t)sizeof(lsp_descriptor), \
        (uint32_t)sizeof(lsp_function), NAME, VERSION, FUNCTIONS,                \
        sizeof(FUNCTIONS) / sizeof((FUNCTIONS)[0]), FLAGS};                      \
    LSP_EXPORT const lsp_descriptor *lawscore_plugin(void) { return &lsp_descriptor_; }
#define LSP_PLUGIN(NAME, VERSION, FUNCTIONS) LSP_PLUGIN_FLAGS(NAME, VERSION, FUNCTIONS, 0)
#define LSP_PLUGIN_THREADSAFE(NAME, VERSION, FUNCTIONS) \
    LSP_PLUGIN_FLAGS(NAME, VERSION, FUNCTIONS, LSP_THREADSAFE)

/* ---- what the host tells a plugin -------------------------------------- */

/* Indicator types (as declared in the scheme's catalogue). */
enum {
    LSP_T_INTEGER, LSP_T_NUMBER, LSP_T_PERCENT,  /* numbers; percent: 0..100 */
    LSP_T_BOOLEAN,                               /* read as 0/1 */
    LSP_T_ENUM,                                  /* read as text (number: index) */
    LSP_T_TEXT                                   /* read as text */
};

/* Item kinds, by the part of the scheme the item is in.  What the result
 * means: ITEM the score (0..points), BONUS the bonus earned, DEDUCTION the
 * amount deducted, VETO 1 when the veto applies else 0. */
enum { LSP_ITEM, LSP_BONUS, LSP_DEDUCTION, LSP_VETO };

/* Kinds of parameter nodes (h->param_kind). */
enum {
    LSP_P_ABSENT,      /* no such key or index (or the value is ~ / null) */
    LSP_P_NUMBER,      /* a plain scalar that reads as a finite number */
    LSP_P_BOOL,        /* plain true / false */
    LSP_P_STRING,      /* any other scalar, including quoted "90" */
    LSP_P_LIST,
    LSP_P_MAP
};

/* For the `required` argument of the parameter accessors. */
#define LSP_OPTIONAL 0
#define LSP_REQUIRED 1

typedef struct lsp_item {
    const char *id;            /* "c4.3" */
    const char *name;          /* "行政处罚案件结案率" */
    const char *number;        /* 序号 as printed: "4.3" */
    int kind;                  /* LSP_ITEM, LSP_BONUS, LSP_DEDUCTION, LSP_VETO */
    double points;             /* full points; BONUS: max bonus; DEDUCTION:
                                  max deduction; VETO: 0.  HUGE_VAL (no cap)
                                  on a bonus or deduction item the scheme
                                  gives no points */
    const char *verb;          /* "扣", or "加" on bonus items: for reasons */
} lsp_item;

typedef struct lsp_unit {
    const char *id, *name;     /* "sfj", "区司法局" */
    const char *group;         /* group id, "dept" */
    const char *group_name;    /* "区直部门" */
} lsp_unit;

/* Statistics of an indicator over the unit's group.  min, max, mean are 0
 * when count is 0. */
typedef struct lsp_stat {
    size_t count;              /* units of the group with a value */
    double min, max, mean, sum;
    int rank;                  /* 1 = highest value, ties share; 0 = no value */
    int rank_asc;              /* 1 = lowest value, ties share; 0 = no value */
} lsp_stat;

/* Buffer size that always holds h->fmt's text. */
#define LSP_FMT_SIZE 32

/*
 * The host API.  All strings are UTF-8.  Handles of indicators and flags
 * are small non-negative ints valid for the whole run, resolved at bind
 * time.  Functions returning int return 0 (or a handle >= 0) on success
 * and -1 on failure, after recording the failure (so `return -1` is all a
 * callback has to do next).
 *
 * Parameters are addressed by a path into the item's `params:` mapping:
 * keys separated by dots, list items (and the values of a mapping, in
 * file order) by a 0-based index in brackets:
 *     "target"   "bands[0].min"   "points[2]"   "levels[1]"
 * The path "" is the params mapping itself.  (Messages show list positions
 * counted from 1, as scheme authors count: "bands[0].min" is reported as
 * "parameter 'bands[1].min'".)  Accessors taking `required`:
 * with LSP_REQUIRED a missing parameter is an error ("missing parameter
 * 'target' (a number)"); with LSP_OPTIONAL it returns 1 and leaves *out
 * as it was, so a default set before the call stays.  A value of the
 * wrong type is always an error, positioned at the value in the scheme.
 * Strings handed out live as long as the scheme: a state may keep them.
 */
struct lsp_host {
    uint32_t size;             /* sizeof(lsp_host) of the host */
    uint16_t abi_major, abi_minor;

    /* -- at bind time --------------------------------------------------- */
    const lsp_item *(*bind_item)(lsp_bind_ctx *b);
    /* An indicator id from the catalogue -> handle, or -1 ("unknown
     * indicator 'x' (did you mean 'y'?)"). */
    int (*indicator)(lsp_bind_ctx *b, const char *id);
    /* The parameter at path names an indicator: 0 and its handle in *out,
     * 1 (absent, optional), or -1.  `types` is a bit set of the accepted
     * indicator types, e.g. LSP_NUMERIC, or 0 for any. */
    int (*param_indicator)(lsp_bind_ctx *b, const char *path, int required,
                           unsigned types, int *out);
    int (*indicator_type)(lsp_bind_ctx *b, int ind);          /* LSP_T_* */
    const char *(*indicator_name)(lsp_bind_ctx *b, int ind);  /* 结案率 */
    /* A unit flag declared under `flags:` -> handle, or -1. */
    int (*flag)(lsp_bind_ctx *b, const char *name);

    int (*param_kind)(lsp_bind_ctx *b, const char *path);     /* LSP_P_* */
    int (*param_number)(lsp_bind_ctx *b, const char *path, int required, double *out);
    /* Any scalar, as written (a number's text too); not lists or maps. */
    int (*param_string)(lsp_bind_ctx *b, const char *path, int required, const char **out);
    int (*param_bool)(lsp_bind_ctx *b, const char *path, int required, int *out);
    /* Items of a list, or pairs of a mapping. */
    int (*param_length)(lsp_bind_ctx *b, const char *path, int required, size_t *out);
    /* Key of pair i of the mapping at path. */
    int (*param_key)(lsp_bind_ctx *b, const char *path, size_t i, const char **out);
    /* Item i of the list at path, a number (required). */
    int (*param_item_number)(lsp_bind_ctx *b, const char *path, size_t i, double *out);

    /* Report why the item cannot be bound, positioned at the parameter at
     * path (NULL or absent: at the rule).  Returns -1. */
    int (*bind_error)(lsp_bind_ctx *b, const char *path, const char *fmt, ...) LSP_PRINTF(3, 4);
    /* Keep a state for this item (freed with the function's free_state). */
    void (*set_state)(lsp_bind_ctx *b, void *state);

    /* -- at call time ----------------------------------------------------- */
    const lsp_item *(*item)(lsp_call *c);
    const lsp_unit *(*unit)(lsp_call *c);
    void *(*state)(lsp_call *c);
    /* The unit's value of an indicator: numbers, booleans (0/1) and enum
     * values (0-based index) as a number; *is_set = 0 and 0 returned when
     * the data give no value (is_set may be NULL). */
    double (*number)(lsp_call *c, int ind, int *is_set);
    /* Enum and text values; NULL when not set or not enum/text.  Valid
     * during the call. */
    const char *(*string)(lsp_call *c, int ind);
    /* Statistics over the unit's group (valid until the next stats call
     * or the end of the call); NULL and a failure for a bad handle. */
    const lsp_stat *(*stats)(lsp_call *c, int ind);
    int (*has_flag)(lsp_call *c, int flag);                   /* 1 or 0 */

    /* The result as lawscore takes it (see the kinds above). */
    void (*result)(lsp_call *c, double value);
    /* An amount counted against the unit (on bonus items: for it), as the
     * Lua helpers per_occurrence, rate_steps, threshold do: at most `cap`
     * (cap < 0: the item's points); the result is points - amount on
     * ordinary items, the amount on deduction and bonus items.  With
     * text, adds the reason "text，扣1分", or when capped
     * "text，应扣4分，最多扣3分"; NULL text: no reason. */
    int (*amount)(lsp_call *c, double amount, double cap, const char *text);
    /* Points earned out of the item's points, as the Lua helpers graded,
     * bands, rank_points do: the result is `earned` on ordinary and bonus
     * items, points - earned on deduction items.  With a situation, adds
     * "situation，得3分" / "，不得分" (ordinary items losing points),
     * "，扣2分" (deduction items), "，加3分" (bonus items), nothing when
     * there is nothing to explain. */
    int (*earned)(lsp_call *c, double earned, const char *situation);
    int (*reason)(lsp_call *c, const char *text);
    int (*reasonf)(lsp_call *c, const char *fmt, ...) LSP_PRINTF(2, 3);
    /* The call fails with this message.  Returns -1. */
    int (*fail)(lsp_call *c, const char *fmt, ...) LSP_PRINTF(2, 3);
    /* A line on standard error, prefixed with the plugin's path, for
     * debugging. */
    void (*log)(lsp_call *c, const char *fmt, ...) LSP_PRINTF(2, 3);

    /* -- any time ------------------------------------------------------------ */
    /* A number as reasons print it (the Lua helpers' fmt): 0.5, 2, 1.25,
     * 0.3 (not 0.30000000000000004).  buf holds LSP_FMT_SIZE bytes;
     * returns buf. */
    const char *(*fmt)(double x, char *buf, size_t size);

    /* -- ABI 1.1 ------------------------------------------------------------- */
    /* At bind time: the measure word of an indicator, its catalogue `unit:`
     * ("卷", "件"), or "" when the catalogue gives none; NULL for a bad
     * handle.  Lives as long as the scheme.  (Check LSP_HOST_HAS(h,
     * indicator_unit) in a plugin that declares ABI 1.0.) */
    const char *(*indicator_unit)(lsp_bind_ctx *b, int ind);

    /* -- ABI 1.2 ------------------------------------------------------------- */
    /* The scheme's precision (`precision:`, 0.01 by default): 1, 0.1, 0.01
     * ... 0.000001.  Points a plugin works out in proportion are rounded
     * half up at it (as the Lua helpers' proportional and linear do, with
     * item.precision), so that the reason shows the score lawscore keeps.
     * (Check LSP_HOST_HAS(h, precision) in a plugin that declares ABI 1.1
     * or older.) */
    double (*precision)(lsp_call *c);
};

/* Bit sets for param_indicator's `types`. */
#define LSP_TYPE(t) (1u << (t))
#define LSP_NUMERIC (LSP_TYPE(LSP_T_INTEGER) | LSP_TYPE(LSP_T_NUMBER) | LSP_TYPE(LSP_T_PERCENT))

/* Whether the host provides member m (for members added after 1.0). */
#define LSP_HOST_HAS(h, m) \
    ((h)->size >= offsetof(lsp_host, m) + sizeof((h)->m) && (h)->m != NULL)

#ifdef __cplusplus
}
#endif

#endif
