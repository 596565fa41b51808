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
 * Depends on: ls_i18n, ls_scheme, ls_data, ls_stats, ls_error, ls_util.
 */
#ifndef LS_RULE_H
#define LS_RULE_H

#include <stddef.h>

#include "ls_data.h"
#include "ls_error.h"
#include "ls_scheme.h"
#include "ls_stats.h"

typedef struct ls_strlist {
    char **v; /* owned strings */
    size_t n, cap;
} ls_strlist;

void ls_strlist_add(ls_strlist *l, const char *s, size_t len);
void ls_strlist_cleanup(ls_strlist *l);
/* Whether l holds a string equal to s. */
int ls_strlist_has(const ls_strlist *l, const char *s);

/* What kind of failure a call ended in: lint tells a rule that fails
 * whatever the data (an error of `check`) from one that fails on some
 * values (a warning). */
typedef enum {
    LS_RULE_ERR_RUNTIME, /* anything else: may depend on the data */
    LS_RULE_ERR_NAME,    /* a name that is not there ('per_occurence', os) */
    LS_RULE_ERR_HELPER,  /* a helper refused its arguments (raised in lawscore.lua) */
    LS_RULE_ERR_PARAM    /* the item's params contradict the catalogue (a graded
                                key that is no value of the enum): err_scheme_* say where */
} ls_rule_err_kind;

typedef struct ls_rule_call {
    /* in */
    const ls_scheme *scheme;
    const ls_dataset *data;
    ls_stats *stats;
    int unit;
    int node; /* a leaf */
    /* out */
    double value;         /* see the table above */
    ls_strlist reasons;   /* 扣分理由, in the order given */
    unsigned char *reads; /* scheme->ninds flags, set for each indicator
                                the rule read; may be NULL (not recorded) */
    char *err_msg;        /* on failure: what went wrong (owned) */
    char *err_path;       /* script or plugin file (owned), may be NULL */
    int err_line;         /* script line, 0 = unknown */
    char *err_trace;      /* traceback, may be NULL (owned) */
    ls_rule_err_kind err_kind;
    /* A place in the scheme file the failure also concerns (the item's
     * params a missing value came from, a params key): line > 0 when set.
     * With LS_RULE_ERR_PARAM the error is reported there, the script line
     * as a note; otherwise err_note is a note at that place. */
    int err_scheme_line, err_scheme_col;
    char *err_note; /* owned, may be NULL */
} ls_rule_call;

/* What one call may give as reasons: a reason is text for a score sheet
 * (a 30 MB reason made 1.8 GB of output from 20 units). */
#define LS_REASON_MAX_BYTES 4096   /* one reason */
#define LS_REASONS_MAX_BYTES 16384 /* all reasons of one call */
#define LS_REASONS_MAX 100         /* reasons of one call */

/* Whether reason number nth (from 1) of len bytes fits after earlier
 * reasons of `before` bytes in all: 0, or -1 with what is wrong written
 * into buf ("reason 3 is 5000 bytes long (...)"). */
int ls_rule_reason_fits(size_t nth, size_t len, size_t before, char *buf, size_t size);

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
/* Record the failure in err as  path:line: error: <describe>, followed by
 * a note at the scheme place when the call has one (see err_scheme_line;
 * a LS_RULE_ERR_PARAM failure is reported at the scheme place, with the
 * script line as the note).  A failure without a script line (a bad
 * return value, a plugin failure) is reported at the item's rule in the
 * scheme, naming the failing file.  Returns -1. */
int ls_rule_call_report(const ls_rule_call *c, ls_errors *err);
/* The same with the severity and message of the caller's choice: lint
 * reports probe failures with it.  `head` (the message without the
 * traceback, which is appended unless the failure is at a params key)
 * replaces "rule of item ... for unit ...: <message>" when not NULL. */
void ls_rule_call_report_as(const ls_rule_call *c, ls_severity sev, const char *head, ls_errors *err);

/* Told, while a backend probes, of an indicator name a rule reads that the
 * catalogue lacks: the name as written ("late_report", or "[1]" for a key
 * that is not a string) and the script line that read it (0 = unknown). */
typedef void (*ls_rule_unknown_fn)(void *ctx, const char *name, int line);

typedef enum {
    LS_LOADED_SCRIPT, /* a rule script (Lua) */
    LS_LOADED_PLUGIN  /* a C plugin (NAME.so) */
} ls_loaded_kind;

/* A file a backend loaded to run the rules bound to it. */
typedef struct ls_loaded_file {
    ls_loaded_kind kind;
    const char *path;    /* the file loaded */
    const char *name;    /* plugin: its name in the scheme; script: the path */
    const char *version; /* plugin: its own version, may be ""; script: "" */
    const char *shadows; /* plugin: the installed plugin of the same name
                                it hides (it was found beside the scheme),
                                or NULL */
} ls_loaded_file;

typedef struct ls_backend ls_backend;
struct ls_backend {
    const char *name; /* "lua", "plugin" */
    /* Prepare the rule of leaf `node` (load the script, resolve the plugin
     * function, check parameters) before any unit is scored.  0, or -1
     * with a positioned error in err. */
    int (*bind)(ls_backend *self, int node, ls_errors *err);
    /* Evaluate one (unit, node).  0, or -1 with c->err_* set. */
    int (*call)(ls_backend *self, ls_rule_call *c);
    void (*free)(ls_backend *self);

    /* Optional hooks: NULL when the backend has nothing to offer. */

    /* Probing (for ls_lint only).  While fn is set, a rule that names an
     * indicator the catalogue lacks does not fail: fn is called with the
     * name and the read gives nil (or the backend's equivalent), so one
     * probe call finds every misspelled name the rule reaches.  fn must
     * not fail.  fn = NULL ends probing; scoring must never run with a
     * probe function set.  Backends that resolve names when they bind
     * (C plugins) have no probe. */
    void (*probe)(ls_backend *self, ls_rule_unknown_fn fn, void *ctx);
    /* The i-th file (from 0) loaded so far, in a stable order, for
     * manifests and summaries: fills *out (strings live as long as the
     * backend) and returns 0, or returns -1 when i is past the last. */
    int (*loaded)(const ls_backend *self, size_t i, ls_loaded_file *out);
};

static inline void ls_backend_free(ls_backend *b)
{
    if (b) b->free(b);
}

#endif
