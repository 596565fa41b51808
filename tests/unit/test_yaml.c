/*
 * test_yaml.c - the YAML tree: shapes and positions, and refusal of what
 * schemes have no use for (aliases, deep nesting, duplicate keys, tabs,
 * several documents, bad UTF-8), each with its positioned message; a
 * mapping given pair by pair (ls_yaml_load_each); a file big enough to be
 * parsed on a thread of its own, with the same tree and messages.
 */
#include "ls_test.h"

#include <sys/stat.h>
#include <unistd.h>

#include "ls_yaml.h"

static char *load_error(const char *text)
{
    ls_ydoc doc;
    ls_errors err;
    ls_errors_init(&err);
    int rc = ls_yaml_load_buffer(&doc, "t.yaml", text, strlen(text), &err);
    char *msg = err.n ? ls_diag_format(&err.v[0]) : NULL;
    assert_true(rc == -1 || err.n == 0);
    ls_yaml_cleanup(&doc);
    ls_errors_cleanup(&err);
    return msg;
}

static void expect_error(const char *text, const char *want)
{
    char *msg = load_error(text);
    assert_non_null(msg);
    assert_string_equal(msg, want);
    free(msg);
}

static void test_tree_and_positions(void **state)
{
    (void)state;
    const char *text = "a: 1\nb:\n  - x\n  - \"12\"\nc: {d: 中文}\n";
    ls_ydoc doc;
    ls_errors err;
    ls_errors_init(&err);
    assert_int_equal(ls_yaml_load_buffer(&doc, "t.yaml", text, strlen(text), &err), 0);
    const ls_ynode *root = doc.root;
    assert_int_equal(root->kind, LS_YMAP);
    assert_int_equal(root->n, 3);
    const ls_ynode *b = ls_ymap_get(root, "b");
    assert_int_equal(b->kind, LS_YSEQ);
    assert_int_equal(b->n, 2);
    assert_int_equal(b->items[1]->line, 4);
    assert_int_equal(b->items[1]->col, 5);
    assert_false(b->items[1]->plain); /* quoted: a string */
    assert_true(ls_ymap_get(root, "a")->plain);
    assert_string_equal(ls_ymap_get(ls_ymap_get(root, "c"), "d")->str, "中文");
    assert_null(ls_ymap_get(root, "zz"));
    ls_yaml_cleanup(&doc);
    ls_errors_cleanup(&err);
}

static void test_refusals(void **state)
{
    (void)state;
    expect_error("a: &x 1\nb: *x\n",
                 "t.yaml:1:4: error: anchor '&x': anchors and aliases are not supported; write the value out");
    expect_error("a: 1\nb: 2\na: 3\n", "t.yaml:3:1: error: duplicate key 'a' (first given at line 1, column 1)");
    expect_error("a:\n\tb: 1\n", "t.yaml:2:1: error: tab character in indentation: YAML indents with spaces only");
    expect_error("a: 1\n---\nb: 2\n",
                 "t.yaml:2:1: error: a second YAML document ('---') in one file: give one document per file");
    expect_error("", "t.yaml: error: file is empty: expected a YAML mapping");
    expect_error("a: \"\xff\"\n", "t.yaml:1:5: error: invalid UTF-8 byte 0xFF: files must be saved as UTF-8");
    expect_error("? [a]\n: 1\n", "t.yaml:1:3: error: mapping keys must be plain text, found a list");
    char deep[200];
    memset(deep, '[', 40);
    memset(deep + 40, ']', 40);
    deep[80] = '\0';
    expect_error(deep, "t.yaml:1:33: error: nesting deeper than 32 levels");
    expect_error("a: [1, 2\n", "t.yaml:2:1: error: YAML syntax: did not find expected ',' or ']' "
                               "while parsing a flow sequence (line 1, column 4)");
}

/* Input files must be regular files: a FIFO without a writer would block
 * forever, a device like /dev/zero never ends. */
static void test_not_regular_files(void **state)
{
    (void)state;
    char path[] = "/tmp/lawscore-fifo-XXXXXX";
    char *dir = mkdtemp(path);
    assert_non_null(dir);
    char *fifo = malloc(strlen(dir) + 16);
    sprintf(fifo, "%s/f.yaml", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    const char *paths[] = {fifo, "/dev/zero", dir};
    const char *why[] = {"not a regular file", "not a regular file", "Is a directory"};
    for (int i = 0; i < 3; i++) {
        ls_ydoc doc;
        ls_errors err;
        ls_errors_init(&err);
        assert_int_equal(ls_yaml_load(&doc, paths[i], &err), -1);
        char *m = ls_diag_format(&err.v[0]);
        char want[256];
        snprintf(want, sizeof want, "%s: error: cannot read file: %s", paths[i], why[i]);
        assert_string_equal(m, want);
        free(m);
        ls_yaml_cleanup(&doc);
        ls_errors_cleanup(&err);
    }
    unlink(fifo);
    rmdir(dir);
    free(fifo);
}

/* ls_yaml_load_each: the pairs of root key `units` one by one, in file
 * order (scalars, mappings, lists as values), the mapping left empty in
 * the tree with its position, the rest of the tree as ls_yaml_load gives
 * it; duplicate keys of the streamed mapping reported as in the tree. */
typedef struct seen {
    char text[512];
    int pairs;
} seen;

static void note_pair(void *ctx, const ls_ynode *k, const ls_ynode *v)
{
    seen *s = ctx;
    size_t n = strlen(s->text);
    char buf[96];
    const char *what = v->kind == LS_YSCALAR ? v->str : ls_ynode_describe(v, buf, sizeof buf);
    snprintf(s->text + n, sizeof s->text - n, "%s@%d:%d=%s(%zu);", k->str, k->line, k->col, what,
             v->kind == LS_YSCALAR ? v->len : v->n);
    s->pairs++;
}

static int load_each(const char *text, seen *s, ls_ydoc *doc, ls_errors *err)
{
    memset(s, 0, sizeof *s);
    char *path = ls_test_write_file("each.yaml", text);
    int rc = ls_yaml_load_each(doc, path, "units", note_pair, s, err);
    unlink(path);
    free(path);
    return rc;
}

static void test_load_each(void **state)
{
    (void)state;
    ls_ydoc doc;
    ls_errors err;
    ls_errors_init(&err);
    seen s;
    const char *text = "year: 2017\nunits:\n  a: 1\n  b:\n    x: 中文\n    y: [1, 2]\n  c: [p, q, r]\n"
                       "source: 法制办\n";
    assert_int_equal(load_each(text, &s, &doc, &err), 0);
    assert_int_equal(err.n, 0);
    assert_int_equal(s.pairs, 3);
    assert_string_equal(s.text, "a@3:3=1(1);b@4:3=a mapping(2);c@7:3=a list(3);");
    const ls_ynode *units = ls_ymap_get(doc.root, "units");
    assert_non_null(units);
    assert_int_equal(units->kind, LS_YMAP);
    assert_int_equal(units->n, 0);
    assert_int_equal(units->line, 3);
    assert_string_equal(ls_ymap_get(doc.root, "source")->str, "法制办");
    assert_string_equal(ls_ymap_get(doc.root, "year")->str, "2017");
    ls_yaml_cleanup(&doc);

    /* duplicate keys: the same message as in a tree, after the pairs */
    assert_int_equal(load_each("units:\n  a: 1\n  b: 2\n  a: 3\n", &s, &doc, &err), -1);
    assert_int_equal(s.pairs, 3);
    assert_int_equal(err.n, 1);
    char *m = ls_diag_format(&err.v[0]);
    assert_non_null(strstr(m, "each.yaml:4:3: error: duplicate key 'a' (first given at line 2, column 3)"));
    free(m);
    ls_yaml_cleanup(&doc);
    ls_errors_cleanup(&err);
    ls_errors_init(&err);

    /* not a mapping: nothing streamed, the tree as ls_yaml_load gives it */
    assert_int_equal(load_each("units: [a, b]\nother:\n  units: {x: 1}\n", &s, &doc, &err), 0);
    assert_int_equal(s.pairs, 0);
    assert_int_equal(ls_ymap_get(doc.root, "units")->n, 2);
    assert_int_equal(ls_ymap_get(ls_ymap_get(doc.root, "other"), "units")->n, 1);
    ls_yaml_cleanup(&doc);

    /* a syntax error after some pairs: the load fails as a whole */
    assert_int_equal(load_each("units:\n  a: 1\n  b: [1, 2\n", &s, &doc, &err), -1);
    assert_int_equal(s.pairs, 1);
    assert_true(err.nerrors == 1);
    ls_yaml_cleanup(&doc);
    ls_errors_cleanup(&err);
}

/* A file of over 1 MB (BIG_FILE in ls_yaml.c) is parsed on a thread of
 * its own, its events handed over in batches: the tree, its positions and
 * styles, and each message are those of a small file.  n lines
 * "kNNNNN: {a: N, b: "xN", c: [1, 2]}", then `tail`, then `more` lines
 * as before. */
static char *big_text(int n, const char *tail, int more)
{
    ls_buf b;
    ls_buf_init(&b);
    for (int i = 0; i < n; i++) ls_buf_printf(&b, "k%05d: {a: %d, b: \"x%d\", c: [1, 2]}\n", i, i, i);
    ls_buf_puts(&b, tail);
    for (int i = 0; i < more; i++) ls_buf_printf(&b, "m%05d: {a: %d, b: \"x%d\", c: [1, 2]}\n", i, i, i);
    return b.p;
}

static void expect_big_error(int n, const char *tail, int more, const char *want)
{
    char *text = big_text(n, tail, more);
    assert_true(strlen(text) > (1u << 20));
    expect_error(text, want);
    free(text);
}

static void test_big_file(void **state)
{
    (void)state;
    char *text = big_text(40000, "", 0);
    assert_true(strlen(text) > (1u << 20));
    ls_ydoc doc;
    ls_errors err;
    ls_errors_init(&err);
    assert_int_equal(ls_yaml_load_buffer(&doc, "big.yaml", text, strlen(text), &err), 0);
    assert_int_equal(err.n, 0);
    assert_int_equal(doc.root->n, 40000);
    const ls_ynode *k = ls_ymap_key(doc.root, 39999), *v = ls_ymap_val(doc.root, 39999);
    assert_string_equal(k->str, "k39999");
    assert_int_equal(k->line, 40000);
    assert_int_equal(k->col, 1);
    assert_int_equal(v->kind, LS_YMAP);
    assert_int_equal(v->col, 9);
    const ls_ynode *a = ls_ymap_get(v, "a"), *bq = ls_ymap_get(v, "b"), *c = ls_ymap_get(v, "c");
    assert_string_equal(a->str, "39999");
    assert_true(a->plain);
    assert_string_equal(bq->str, "x39999");
    assert_false(bq->plain);
    assert_int_equal(bq->line, 40000);
    assert_int_equal(bq->col, 23);
    assert_int_equal(c->kind, LS_YSEQ);
    assert_int_equal(c->n, 2);
    ls_yaml_cleanup(&doc);
    free(text);

    /* a syntax error at the end, after every batch */
    expect_big_error(40000, "z: [1, 2\n", 0,
                     "t.yaml:40002:1: error: YAML syntax: did not find expected ',' or ']' "
                     "while parsing a flow sequence (line 40001, column 4)");
    /* errors in the middle: the loader stops there, the parsing thread too */
    expect_big_error(20000, "z: &x 1\n", 20000,
                     "t.yaml:20001:4: error: anchor '&x': anchors and aliases are not supported; "
                     "write the value out");
    expect_big_error(20000, "z: *x\n", 20000,
                     "t.yaml:20001:4: error: alias '*x': anchors and aliases are not supported; "
                     "write the value out");
    expect_big_error(20000, "z: \"a\\0b\"\n", 20000,
                     "t.yaml:20001:4: error: a NUL character (\\0) in a value: remove it");
    expect_big_error(20000, "k00007: 1\n", 20000,
                     "t.yaml:20001:1: error: duplicate key 'k00007' (first given at line 8, column 1)");
    ls_errors_cleanup(&err);
}

/* A file of several times the 8 MB step by which ls_yaml gives back the
 * pages of a mapped file: loaded from the file, the tree is that of the
 * text, and a syntax error near its end still gets its hint (a full-width
 * comma on the line, read again after its page was given back). */
static void test_mapped_file(void **state)
{
    (void)state;
    char *text = big_text(600000, "", 0);
    assert_true(strlen(text) > (20u << 20));
    char *path = ls_test_write_file("mapped.yaml", text);
    ls_ydoc doc;
    ls_errors err;
    ls_errors_init(&err);
    assert_int_equal(ls_yaml_load(&doc, path, &err), 0);
    assert_int_equal(err.n, 0);
    assert_int_equal(doc.root->n, 600000);
    const ls_ynode *v = ls_ymap_val(doc.root, 599999);
    assert_string_equal(ls_ymap_get(v, "b")->str, "x599999");
    assert_int_equal(ls_ymap_get(v, "b")->line, 600000);
    ls_yaml_cleanup(&doc);
    free(path);
    free(text);

    text = big_text(600000, "z: [1\xEF\xBC\x8C 2\n", 0);
    path = ls_test_write_file("mapped-bad.yaml", text);
    assert_int_equal(ls_yaml_load(&doc, path, &err), -1);
    assert_int_equal(err.n, 1);
    char *m = ls_diag_format(&err.v[0]);
    char want[512];
    snprintf(want, sizeof want,
             "%s:600002:1: error: YAML syntax: did not find expected ',' or ']' while parsing a flow sequence "
             "(line 600001, column 4); found a full-width comma '，' at column 6: YAML separates items with the "
             "half-width ',' (switch the input method to half-width punctuation)",
             path);
    assert_string_equal(m, want);
    free(m);
    ls_yaml_cleanup(&doc);
    ls_errors_cleanup(&err);
    free(path);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tree_and_positions),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_not_regular_files),
        cmocka_unit_test(test_load_each),
        cmocka_unit_test(test_big_file),
        cmocka_unit_test(test_mapped_file),
    };
    return cmocka_run_group_tests_name("yaml", tests, NULL, ls_test_remove_dir);
}
