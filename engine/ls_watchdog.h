/*
 * ls_watchdog.h - the time limit of a rule call: one thread per Lua state
 * that watches the calls the state runs and asks the thread running one
 * to stop, by a kick signal (SIGRTMIN + 4) to that thread.
 *
 * Two things are asked of a call (ls_watchdog_kicked): a call run fast
 * (without hooks) is asked at every tick (4 ms) to run on with the count
 * hook (LS_WATCHDOG_EXACT); any call that has used max_seconds of its
 * thread's CPU clock is asked to stop (LS_WATCHDOG_TIME, "time limit of
 * 0.5 s exceeded").  The signal handler calls the kick function given to
 * ls_watchdog_new with the call this thread is running (the sandbox sets
 * the count hook there, as lua_sethook allows in a signal handler); what
 * the kick means is read by the hook with ls_watchdog_kicked.
 *
 * The watchdog knows nothing of Lua: the sandbox (ls_sandbox) runs it.
 *
 * Depends on: ls_util, pthreads (and a real-time signal).
 */
#ifndef LS_WATCHDOG_H
#define LS_WATCHDOG_H

#define LS_WATCHDOG_EXACT 1 /* a fast call: run it again exactly */
#define LS_WATCHDOG_TIME 2  /* out of time */

typedef struct ls_watchdog ls_watchdog;

/* Called from the kick signal handler with the `call` given to
 * ls_watchdog_begin on the signalled thread (never NULL): only
 * async-signal-safe work. */
typedef void (*ls_watchdog_kick_fn)(void *call);

/* Start a watchdog thread (installing the kick signal handler, which
 * calls on_kick, on first use; every watchdog of the process must pass
 * the same on_kick).  Returns NULL when it cannot run (no signal, no
 * thread): then calls run without a time limit.  Free with
 * ls_watchdog_free. */
ls_watchdog *ls_watchdog_new(ls_watchdog_kick_fn on_kick);

/* Stop the thread and free w.  NULL is a no-op. */
void ls_watchdog_free(ls_watchdog *w);

/* A call numbered seq (new for every call) begins on this thread: watch
 * it, fast (to be kicked at the first tick) or not, under a limit of
 * max_seconds of CPU time (0: none).  `call` is what the kick function
 * gets. */
void ls_watchdog_begin(ls_watchdog *w, unsigned long seq, int fast, double max_seconds, void *call);

/* The call begun on this thread has ended. */
void ls_watchdog_end(ls_watchdog *w);

/* What the watchdog asked of call seq: 0, LS_WATCHDOG_EXACT or
 * LS_WATCHDOG_TIME.  Async-signal-safe. */
int ls_watchdog_kicked(const ls_watchdog *w, unsigned long seq);

/* Seconds on the monotonic clock. */
double ls_watchdog_now(void);

#endif
