/*
 * ls_libc.h - nothing but the C library.
 *
 * Depends on: libc.
 */
#include <stdio.h>
