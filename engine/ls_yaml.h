/*
 * ls_yaml.h - a small YAML document tree with positions, built from
 * libyaml's event API.
 *
 * The loaders of schemes and data read YAML through this tree.  Loading
 * refuses what a scheme or data file has no use for and what could be
 * abused: anchors and aliases (a 342-byte alias bomb expands to ~490 M
 * nodes), nesting deeper than LS_YAML_MAX_DEPTH, several documents in one
 * file, non-scalar mapping keys, duplicate keys, tabs in indentation,
 * invalid UTF-8 and empty files, each with a positioned message.
 *
 * Depends on: ls_i18n, libyaml (only this file's .c includes yaml.h), ls_arena,
 * ls_error, ls_util, pthreads (a big file is parsed on a thread of its own
 * while its nodes are built).
 */
#ifndef LS_YAML_H
#define LS_YAML_H

#include <stddef.h>

#include "ls_arena.h"
#include "ls_error.h"

#define LS_YAML_MAX_DEPTH 32

typedef enum {
    LS_YSCALAR,
    LS_YSEQ,
    LS_YMAP
} ls_ykind;

typedef struct ls_ynode ls_ynode;
struct ls_ynode {
    ls_ykind kind;
    int line, col; /* 1-based start of the node */
    /* LS_YSCALAR: */
    int plain;       /* 1 if unquoted (plain style): may be a number */
    const char *str; /* NUL-terminated, in the document's arena */
    size_t len;
    /* LS_YSEQ: items[0..n); LS_YMAP: keys items[2i], values items[2i+1] */
    ls_ynode **items;
    size_t n; /* items in a sequence, pairs in a mapping */
};
/* 48 bytes, no padding: a data file of a province is millions of nodes */

typedef struct ls_ydoc {
    const char *path; /* in the arena */
    ls_ynode *root;   /* NULL only when loading failed */
    ls_arena arena;   /* owns every node and string */
} ls_ydoc;

/* Load a YAML file.  Returns 0, or -1 with errors recorded in err; on
 * failure the doc holds nothing to use but must still be cleaned up. */
int ls_yaml_load(ls_ydoc *doc, const char *path, ls_errors *err);
/* Same from memory (path is used in messages). */
int ls_yaml_load_buffer(ls_ydoc *doc, const char *path, const char *buf,
                        size_t len, ls_errors *err);
/*
 * Load a YAML file as ls_yaml_load does (the same checks and messages),
 * except for the mapping that is the value of root key `key`: each of its
 * pairs is given to `each` as soon as it is parsed, and its nodes are
 * dropped after the call, so the mapping is never held whole (the `units`
 * of a province's data file: a million units).  In doc->root that mapping
 * stays, empty, with its position.  Its duplicate keys are reported when
 * it ends, after its pairs were given: a caller that must not act on a
 * file with errors keeps what `each` found until this returns 0.  When
 * `key` is missing or not a mapping, nothing is streamed.
 */
typedef void (*ls_yeach)(void *ctx, const ls_ynode *key, const ls_ynode *val);
int ls_yaml_load_each(ls_ydoc *doc, const char *path, const char *key, ls_yeach each, void *ctx,
                      ls_errors *err);
void ls_yaml_cleanup(ls_ydoc *doc);

/* Value of `key` in a mapping, or NULL. */
ls_ynode *ls_ymap_get(const ls_ynode *map, const char *key);
/* Key node of pair i. */
static inline ls_ynode *ls_ymap_key(const ls_ynode *m, size_t i) { return m->items[2 * i]; }
static inline ls_ynode *ls_ymap_val(const ls_ynode *m, size_t i) { return m->items[2 * i + 1]; }

/* Human name of a node as found ("a mapping", "a list", "12",
 * "the quoted string \"abc\"", "nothing"), for messages like
 * "expected X, found Y".  Writes into buf (at least 96 bytes), returns it. */
const char *ls_ynode_describe(const ls_ynode *n, char *buf, size_t size);

/* Plain scalars that YAML 1.1 would read as null (~, null, empty). */
int ls_ynode_is_null(const ls_ynode *n);

#endif
