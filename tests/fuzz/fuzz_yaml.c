/*
 * fuzz_yaml.c - fuzz target: the YAML document tree (ls_yaml_load_buffer).
 *
 * The input is a YAML file.  A loaded tree is walked and checked: kinds,
 * positions inside the file, depth at most LS_YAML_MAX_DEPTH, mapping keys
 * plain scalars found again by ls_ymap_get, NUL-terminated scalars.
 */
#include <string.h>

#include "fuzz_common.h"
#include "ls_yaml.h"

#define PATH "fuzz.yaml"

static void walk(const ls_ynode *n, int depth, int nlines)
{
    char buf[96];
    if (!n) fz_fail("NULL node in the tree");
    if (depth > LS_YAML_MAX_DEPTH + 1) fz_fail("tree deeper than %d", LS_YAML_MAX_DEPTH);
    if (n->line < 1 || n->col < 1 || n->line > nlines + 1)
        fz_fail("node at %d:%d, outside a file of %d lines", n->line, n->col, nlines);
    ls_ynode_describe(n, buf, sizeof buf);
    if (strlen(buf) >= sizeof buf) fz_fail("description overflows");
    (void)ls_ynode_is_null(n);
    switch (n->kind) {
    case LS_YSCALAR:
        if (!n->str || n->str[n->len] != '\0') fz_fail("scalar not NUL-terminated");
        /* every reader takes str as a C string: a NUL inside ("\0" in a
         * quoted scalar) would silently cut the key or value short */
        if (fz_on("nul") && strlen(n->str) != n->len)
            fz_fail("scalar at %d:%d holds a NUL byte: read as '%s', %zu of its %zu bytes", n->line, n->col,
                    n->str, strlen(n->str), n->len);
        break;
    case LS_YSEQ:
        for (size_t i = 0; i < n->n; i++) walk(n->items[i], depth + 1, nlines);
        break;
    case LS_YMAP:
        for (size_t i = 0; i < n->n; i++) {
            const ls_ynode *k = ls_ymap_key(n, i);
            if (!k || k->kind != LS_YSCALAR) fz_fail("mapping key that is not a scalar");
            walk(k, depth + 1, nlines);
            walk(ls_ymap_val(n, i), depth + 1, nlines);
            /* keys are unique, so a lookup finds this pair */
            if (ls_ymap_get(n, k->str) != ls_ymap_val(n, i))
                fz_fail("key '%s' at %d:%d: ls_ymap_get finds another value", k->str, k->line, k->col);
        }
        break;
    default:
        fz_fail("node of unknown kind %d", (int)n->kind);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ls_errors err;
    ls_errors_init(&err);
    ls_ydoc doc;
    int rc = ls_yaml_load_buffer(&doc, PATH, (const char *)data, size, &err);
    fz_check("ls_yaml_load_buffer", rc != 0, &err, PATH, data, size);
    if (rc == 0) {
        if (!doc.root) fz_fail("loaded without a root");
        if (ls_ynode_is_null(doc.root)) fz_fail("loaded an empty document");
        int nlines = 1;   /* libyaml breaks lines at LF, CR LF and a lone CR */
        for (size_t i = 0; i < size; i++)
            nlines += data[i] == '\n' || (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n'));
        walk(doc.root, 0, nlines);
    } else if (doc.root) {
        fz_fail("failed but left a root");
    }
    ls_yaml_cleanup(&doc);
    ls_errors_cleanup(&err);
    return 0;
}
