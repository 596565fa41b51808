/*
 * ls_watchdog.c - the time limit of a rule call: the watchdog thread, the
 * kick signal, the CPU clock of the thread running calls (see
 * ls_watchdog.h).
 *
 * The thread running calls only stores (sequence number, fast, active):
 * that keeps a call cheap.  The watchdog looks every tick, and less often
 * when no call has run for a while; it signals the worker by its kernel
 * thread id, and its handler acts only on a kick meant for the call that
 * thread is running now (a thread-local).
 */
#define _GNU_SOURCE 1 /* gettid/tgkill through syscall() */
#include "ls_watchdog.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "ls_util.h"

/* A tick of 4 ms, not 1: each look wakes a thread (a futex wait and a
 * context switch), and at 1 ms the watchdogs of two scoring threads took
 * 2.2 % of `check -j 2`'s CPU (perf, 10k province); a fast call that runs
 * away runs a few ms longer before it is asked to run on exactly, which
 * changes no outcome (ls_sandbox.h). */
#define TICK_NS 4000000L  /* the watchdog looks every 4 ms ... */
#define IDLE_TICKS 50     /* ... and every 50 ms after 50 ticks (0.2 s) */
#define IDLE_NS 50000000L /* without a call */

struct ls_watchdog {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop;             /* under mu */
    pthread_t worker;     /* the thread running calls, under mu */
    long worker_tid;      /* its kernel id (signalled by id, not by
                                     pthread_t: it may have ended), under mu */
    clockid_t worker_cpu; /* its CPU clock, under mu */
    int have_worker;
    double max_seconds;
    atomic_ulong seq;  /* the call running or last run */
    atomic_int active; /* a call is running */
    atomic_int fast;   /* ... without hooks */
    atomic_ulong kick; /* seq << 2 | LS_WATCHDOG_*: asked of call seq */
};

/* The call this thread is running (for the signal handler). */
static _Thread_local void *running;
static pthread_once_t kick_once = PTHREAD_ONCE_INIT;
static int kick_installed;
/* Set once, before the handler is installed; atomic as states on several
 * threads (--jobs) may start their watchdogs at the same time. */
static _Atomic(ls_watchdog_kick_fn) kick_fn;

static int kick_signal(void)
{
    return SIGRTMIN + 4;
}

int ls_watchdog_kicked(const ls_watchdog *w, unsigned long seq)
{
    unsigned long k = atomic_load_explicit(&w->kick, memory_order_acquire);
    return (k >> 2) == seq ? (int)(k & 3) : 0;
}

static void on_kick(int sig)
{
    (void)sig;
    void *call = running;
    ls_watchdog_kick_fn fn = atomic_load_explicit(&kick_fn, memory_order_relaxed);
    if (call && fn) fn(call);
}

static void install_kick(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_kick;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    kick_installed = sigaction(kick_signal(), &sa, NULL) == 0;
}

static double cpu_seconds(clockid_t c)
{
    struct timespec ts;
    if (clock_gettime(c, &ts)) return 0;
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double ls_watchdog_now(void)
{
    return cpu_seconds(CLOCK_MONOTONIC);
}

static void *watchdog_main(void *arg)
{
    ls_watchdog *w = arg;
    unsigned long seen = 0;
    double cpu0 = 0;
    int idle = 0;
    pthread_mutex_lock(&w->mu);
    while (!w->stop) {
        /* No signal from the thread running calls (it only stores, which
         * keeps a call cheap): when idle, look less often. */
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_nsec += idle >= IDLE_TICKS ? IDLE_NS : TICK_NS;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&w->cv, &w->mu, &ts);
        if (w->stop) break;
        unsigned long seq = atomic_load_explicit(&w->seq, memory_order_acquire);
        if (!atomic_load_explicit(&w->active, memory_order_acquire) || !w->have_worker) {
            idle = seq == seen ? idle + 1 : 0;
            seen = seq;
            continue;
        }
        idle = 0;
        if (seq != seen) { /* a call began since the last look */
            seen = seq;
            cpu0 = cpu_seconds(w->worker_cpu);
            continue;
        }
        int kind;
        if (atomic_load_explicit(&w->fast, memory_order_relaxed)) kind = LS_WATCHDOG_EXACT;
        else if (w->max_seconds > 0 && cpu_seconds(w->worker_cpu) - cpu0 > w->max_seconds) kind = LS_WATCHDOG_TIME;
        else continue;
        /* Asked again at every tick while the call runs: a hook set by
         * the handler may be overwritten by the call's own lua_sethook. */
        atomic_store_explicit(&w->kick, seq << 2 | (unsigned long)kind, memory_order_release);
        /* By kernel thread id: if the call ended and its thread is gone,
         * this fails, or reaches a thread whose handler finds no call of
         * this state (harmless), never freed memory. */
        syscall(SYS_tgkill, (long)getpid(), w->worker_tid, kick_signal());
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

ls_watchdog *ls_watchdog_new(ls_watchdog_kick_fn on_kick_fn)
{
    ls_watchdog_kick_fn none = NULL;
    atomic_compare_exchange_strong(&kick_fn, &none, on_kick_fn);
    pthread_once(&kick_once, install_kick);
    if (!kick_installed) return NULL;
    ls_watchdog *w = ls_xcalloc(1, sizeof *w);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, &ca);
    pthread_condattr_destroy(&ca);
    atomic_init(&w->seq, 0);
    atomic_init(&w->active, 0);
    atomic_init(&w->fast, 0);
    atomic_init(&w->kick, 0);
    if (pthread_create(&w->thread, NULL, watchdog_main, w)) {
        pthread_cond_destroy(&w->cv);
        pthread_mutex_destroy(&w->mu);
        free(w);
        return NULL;
    }
    return w;
}

void ls_watchdog_free(ls_watchdog *w)
{
    if (!w) return;
    pthread_mutex_lock(&w->mu);
    w->stop = 1;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    free(w);
}

void ls_watchdog_begin(ls_watchdog *w, unsigned long seq, int fast, double max_seconds, void *call)
{
    pthread_t self = pthread_self();
    if (!w->have_worker || !pthread_equal(w->worker, self) || w->max_seconds != max_seconds) {
        pthread_mutex_lock(&w->mu);
        w->worker = self;
        w->worker_tid = (long)syscall(SYS_gettid);
        w->have_worker = pthread_getcpuclockid(self, &w->worker_cpu) == 0;
        w->max_seconds = max_seconds;
        pthread_mutex_unlock(&w->mu);
    }
    running = call;
    atomic_store_explicit(&w->fast, fast, memory_order_relaxed);
    atomic_store_explicit(&w->seq, seq, memory_order_release);
    atomic_store_explicit(&w->active, 1, memory_order_release);
}

void ls_watchdog_end(ls_watchdog *w)
{
    atomic_store_explicit(&w->active, 0, memory_order_release);
    running = NULL;
}
