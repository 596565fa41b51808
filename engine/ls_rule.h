/*
 * ls_rule.h - the one small interface every rule backend (Lua scripts,
 * C plugins) implements, and the call record that carries one
 * (unit, item) evaluation in and its score, reasons, the indicators read
 * and any error out.
 *
 * What a rule returns, by the item's section:
 *   MAIN   the item score (the engine rounds it once and clamps it to
 *          [0, points], recording the clamp);
 *   BONUS  the bonus earned (clamped to [0, points]);
 *   DEDUCT the deduction (clamped to [0, points]);
 *   VETO   1 when the veto applies, 0 otherwise.
 *
 * Depends on: ls_scheme, ls_data, ls_stats.
 */
#ifndef LS_RULE_H
#define LS_RULE_H

#include <stddef.h>

#include "ls_data.h"
#include "ls_error.h"
#include "ls_scheme.h"
#include "ls_stats.h"

typedef struct ls_strlist {
    char **v;                /* owned strings */
    size_t n, cap;
} ls_strlist;

void ls_strlist_add(ls_strlist *l, const char *s, size_t len);
void ls_strlist_cleanup(ls_strlist *l);

typedef struct ls_rule_call {
    /* in */
    const ls_scheme *scheme;
    const ls_dataset *data;
    ls_stats *stats;
    int unit;
    int node;                /* a leaf */
    /* out */
    double value;            /* see the table above */
    ls_strlist reasons;      /* 扣分理由, in the order given */
    unsigned char *reads;    /* scheme->ninds flags, set for each indicator
                                the rule read; may be NULL (not recorded) */
    char *err_msg;           /* on failure: what went wrong (owned) */
    char *err_path;          /* script or plugin file (owned), may be NULL */
    int err_line;            /* script line, 0 = unknown */
    char *err_trace;         /* traceback, may be NULL (owned) */
} ls_rule_call;

/* Prepare a call record for (unit, node); reads may be NULL. */
void ls_rule_call_init(ls_rule_call *c, const ls_scheme *s, const ls_dataset *d,
                       ls_stats *st, int unit, int node, unsigned char *reads);
/* Free reasons and error strings; the record may be initialised again. */
void ls_rule_call_cleanup(ls_rule_call *c);
/* Record a failure (message formatted); returns -1. */
int ls_rule_call_fail(ls_rule_call *c, const char *path, int line,
                      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The message of a failed call, without position (caller frees):
 *   rule of item 4.2 '执法全过程记录' for unit 'sfj' (区司法局): <message>
 *   stack traceback: ...                                                */
char *ls_rule_call_describe(const ls_rule_call *c);
/* The file a failure is reported at: the script, else the rule's file,
 * else the scheme. */
const char *ls_rule_call_path(const ls_rule_call *c);
/* Record the failure in err as  path:line: error: <describe>.  Returns -1. */
int ls_rule_call_report(const ls_rule_call *c, ls_errors *err);

typedef struct ls_backend ls_backend;
struct ls_backend {
    const char *name;                        /* "lua", "plugin" */
    /* Prepare the rule of leaf `node` (load the script, resolve the plugin
     * function, check parameters) before any unit is scored.  0, or -1
     * with a positioned error in err. */
    int (*bind)(ls_backend *self, int node, ls_errors *err);
    /* Evaluate one (unit, node).  0, or -1 with c->err_* set. */
    int (*call)(ls_backend *self, ls_rule_call *c);
    void (*free)(ls_backend *self);
};

static inline void ls_backend_free(ls_backend *b) { if (b) b->free(b); }

#endif
