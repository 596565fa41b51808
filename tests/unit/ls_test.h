/*
 * ls_test.h - common includes for the cmocka unit tests.
 *
 * cmocka needs <stdarg.h>, <stddef.h>, <stdint.h> and <setjmp.h> first.
 * Test fixtures live under tests/unit/fixtures/; tests run from the
 * repository root (tests/run-unit.sh does so).
 */
#ifndef LS_TEST_H
#define LS_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FIXTURES "tests/unit/fixtures/"

#include "ls_util.h"

/* The private directory of ls_test_write_file ("" until first used). */
static inline char *ls_test_dir(void)
{
    static char dir[64];
    return dir;
}

/* Write text to a new file `name` in a private directory made on first
 * use; returns its path, which the caller frees. */
static inline char *ls_test_write_file(const char *name, const char *text)
{
    char *tmpdir = ls_test_dir();
    if (!tmpdir[0]) {
        strcpy(tmpdir, "/tmp/lawscore-test-XXXXXX");
        assert_non_null(mkdtemp(tmpdir));
    }
    char *p = ls_format("%s/%s", tmpdir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return p;
}

/* cmocka group teardown: remove that directory (its files removed by
 * the tests). */
static inline int ls_test_remove_dir(void **state)
{
    (void)state;
    if (ls_test_dir()[0]) rmdir(ls_test_dir());
    return 0;
}

#endif
