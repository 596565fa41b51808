/*
 * ls_noline.h - no line at all: the message says what to write.
 */
#include <pthread.h>
#include "ls_arena.h"
#include "ls_decimal.h"
