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

#define FIXTURES "tests/unit/fixtures/"

#endif
