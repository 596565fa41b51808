/*
 * ls_guard.h - the crash guard around plugin code.  A C plugin runs inside
 * lawscore without a sandbox: it can call exit() or abort(), or crash
 * (SIGSEGV, SIGBUS, SIGFPE, SIGILL).  Unguarded, `exit(0)` in a plugin
 * would end `run` with status 0, no message and the old results in place.
 *
 * While plugin code runs, the calling thread holds a guard site naming
 * the plugin, the item and the unit.  An exit() (an on_exit handler) or a
 * fatal signal (a handler on an alternate signal stack) then writes one
 * line, with write(2) only, to standard error:
 *
 *   scheme.yaml:36:15: error: rule of item 1.1 '按时报送' for unit 'sfj'
 *   (区司法局): plugin 'crash' (build/test-plugins/crash.so), function
 *   'segv', crashed (SIGSEGV, invalid memory access); the results were not
 *   written
 *
 * runs the registered emergency cleanup (removing the output being
 * written, see ls_outdir.h) and ends the process with status 1.  A signal
 * outside plugin code goes to the handler that was there before (the
 * default, or a sanitizer's).
 *
 * Each thread that calls plugins needs its own alternate stack: call
 * ls_guard_install() in it before its first plugin call.
 *
 * Depends on: ls_scheme, pthreads (a key frees a thread's signal stack), libc
 * (sigaction, sigaltstack, glibc's on_exit).
 */
#ifndef LS_GUARD_H
#define LS_GUARD_H

#include "ls_scheme.h"

/* Where plugin code runs: strings must live while the site is entered. */
typedef struct ls_guard_site {
    const ls_scheme *s;
    int node; /* the item (leaf) */
    int unit; /* -1: not scoring a unit (binding, freeing) */
    const char *plugin, *path, *function;
    const char *phase; /* "binding", "scoring", "freeing", "loading" */
} ls_guard_site;

/* Install the handlers (once per process) and an alternate signal stack
 * for the calling thread (once per thread).  0, or -1 when the system
 * refused (plugins then run unguarded, as before). */
int ls_guard_install(void);

/* Enter plugin code at `site` (NULL: leave it).  The site must stay valid
 * until left.  Cheap: one thread-local store. */
void ls_guard_enter(const ls_guard_site *site);

/* The emergency cleanup run before the process ends in a guard (only
 * async-signal-safe calls: unlink, rmdir, write).  NULL: none. */
void ls_guard_set_cleanup(void (*fn)(void));

#endif
