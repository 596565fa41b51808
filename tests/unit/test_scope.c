/*
 * test_scope.c - the directories a scheme's files may come from
 * (ls_scope) and short, escaped excerpts of file text in messages
 * (ls_excerpt).  Works in a fresh directory under /tmp.
 */
#define _XOPEN_SOURCE 700
#include "ls_test.h"

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ls_scope.h"
#include "ls_util.h"

static void touch(const char *path)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
}

static void test_scope(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/ls_scope_XXXXXX";
    assert_non_null(mkdtemp(tmpl));
    char *scheme = ls_format("%s/scheme", tmpl), *other = ls_format("%s/other", tmpl);
    char *sub = ls_format("%s/rules", scheme), *in = ls_format("%s/rules/a.lua", scheme);
    char *out = ls_format("%s/b.lua", other), *link = ls_format("%s/link.lua", scheme);
    assert_int_equal(mkdir(scheme, 0777), 0);
    assert_int_equal(mkdir(sub, 0777), 0);
    assert_int_equal(mkdir(other, 0777), 0);
    touch(in);
    touch(out);
    assert_int_equal(symlink(out, link), 0);

    assert_null(ls_scope_refuses(scheme, "rules/a.lua", NULL));
    assert_null(ls_scope_refuses(scheme, "rules/../rules/a.lua", NULL));
    assert_null(ls_scope_refuses(scheme, "rules/missing.lua", NULL)); /* not found: said later */
    assert_string_equal(ls_scope_refuses(scheme, "../other/b.lua", NULL),
                        "leads out of the scheme's directory");
    assert_string_equal(ls_scope_refuses(scheme, "../other/missing.lua", NULL),
                        "leads out of the scheme's directory");
    assert_string_equal(ls_scope_refuses(scheme, out, NULL),
                        "is an absolute path outside the scheme's directory");
    assert_string_equal(ls_scope_refuses(scheme, "/etc/no-such-file", NULL),
                        "is an absolute path outside the scheme's directory");
    assert_string_equal(ls_scope_refuses(scheme, "link.lua", NULL),
                        "leads out of the scheme's directory through a symbolic link");
    /* an absolute path inside the scheme's directory is fine */
    assert_null(ls_scope_refuses(scheme, in, NULL));

    const char *allow[] = {other};
    ls_scope sc = {allow, 1};
    assert_null(ls_scope_refuses(scheme, "../other/b.lua", &sc));
    assert_null(ls_scope_refuses(scheme, "link.lua", &sc));
    assert_null(ls_scope_refuses(scheme, out, &sc));
    assert_non_null(ls_scope_refuses(scheme, "/etc/passwd", &sc));

    unlink(link);
    unlink(in);
    unlink(out);
    rmdir(sub);
    rmdir(scheme);
    rmdir(other);
    rmdir(tmpl);
    free(scheme), free(other), free(sub), free(in), free(out), free(link);
}

static void test_excerpt(void **state)
{
    (void)state;
    char buf[96];
    assert_string_equal(ls_excerpt("区司法局", 60, buf, sizeof buf), "区司法局");
    assert_string_equal(ls_excerpt("a\nb\tc\x1b[2J\x7f", 60, buf, sizeof buf), "a\\nb\\tc\\x1B[2J\\x7F");
    assert_string_equal(ls_excerpt("ok\xE7\xBB", 60, buf, sizeof buf), "ok\\xE7\\xBB");
    /* cut at max bytes, never inside a character */
    assert_string_equal(ls_excerpt("abcdef", 4, buf, sizeof buf), "abcd...");
    assert_string_equal(ls_excerpt("区司法局", 7, buf, sizeof buf), "区司...");
    /* bounded by the buffer, escapes included */
    char small[16];
    assert_string_equal(ls_excerpt("\x01\x02\x03\x04\x05", 60, small, sizeof small), "\\x01\\x02\\x03...");
    assert_true(strlen(ls_excerpt("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1", 60, buf, sizeof buf)) < 96);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scope),
        cmocka_unit_test(test_excerpt),
    };
    return cmocka_run_group_tests_name("scope", tests, NULL, NULL);
}
