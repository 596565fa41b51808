/*
 * ls_guard.c - the crash guard around plugin code (see ls_guard.h).
 *
 * Everything the handlers do is async-signal-safe: the message is written
 * piece by piece with write(2) from strings that already exist (the
 * scheme's names, the plugin's path), numbers are converted by hand.
 */
#define _GNU_SOURCE /* on_exit */
#include "ls_guard.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static _Thread_local const ls_guard_site *current;
static _Thread_local void *altstack; /* the thread's signal stack */

/* A stack we installed goes with its thread: disabled and freed by this
 * destructor, so scoring threads leave nothing behind. */
static pthread_key_t stack_key;
static pthread_once_t stack_once = PTHREAD_ONCE_INIT;

static void stack_free(void *p)
{
    stack_t off = {.ss_sp = NULL, .ss_size = 0, .ss_flags = SS_DISABLE};
    sigaltstack(&off, NULL);
    free(p);
}

static void stack_key_make(void) { pthread_key_create(&stack_key, stack_free); }
static void (*cleanup)(void);
static int installed;

static const int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
#define NSIGS (sizeof sigs / sizeof *sigs)
static struct sigaction previous[NSIGS];

static void put(const char *s)
{
    size_t n = strlen(s);
    while (n > 0) {
        ssize_t w = write(STDERR_FILENO, s, n);
        if (w <= 0) return;
        s += w;
        n -= (size_t)w;
    }
}

static void put_int(long v)
{
    char buf[24];
    size_t i = sizeof buf;
    buf[--i] = '\0';
    int neg = v < 0;
    unsigned long u = neg ? 0UL - (unsigned long)v : (unsigned long)v;
    do buf[--i] = (char)('0' + u % 10);
    while ((u /= 10) && i > 1);
    if (neg && i > 0) buf[--i] = '-';
    put(buf + i);
}

/* The message's start: position, item, unit, plugin. */
static void put_site(const ls_guard_site *g)
{
    const ls_scheme *s = g->s;
    const ls_node *n = &s->nodes[g->node];
    put(s->path);
    put(":");
    put_int(n->rule.line);
    put(":");
    put_int(n->rule.col);
    put(": error: rule of ");
    put(ls_section_name(n->section));
    put(" ");
    put(n->number ? n->number : n->id);
    put(" '");
    put(n->name);
    put("'");
    if (g->unit >= 0) {
        const ls_unit *u = &s->units[g->unit];
        put(" for unit '");
        put(u->id);
        put("' (");
        put(u->name);
        put(")");
    }
    put(": plugin '");
    put(g->plugin);
    put("' (");
    put(g->path);
    put(")");
    if (g->function) {
        put(", function '");
        put(g->function);
        put("'");
    }
}

static void finish(const ls_guard_site *g)
{
    put(" while ");
    put(g->phase);
    put("; the results were not written\n");
    if (cleanup) cleanup();
    _exit(1);
}

static const char *describe(int sig)
{
    switch (sig) {
    case SIGSEGV: return "crashed (SIGSEGV, invalid memory access)";
    case SIGBUS: return "crashed (SIGBUS, bad memory access)";
    case SIGFPE: return "crashed (SIGFPE, arithmetic error such as a division by zero)";
    case SIGILL: return "crashed (SIGILL, illegal instruction)";
    case SIGABRT: return "aborted (SIGABRT: abort() or a failed assertion)";
    default: return "crashed";
    }
}

static void on_signal(int sig)
{
    const ls_guard_site *g = current;
    if (!g) {
        /* Not in plugin code: whoever handled it before does. */
        for (size_t i = 0; i < NSIGS; i++)
            if (sigs[i] == sig) sigaction(sig, &previous[i], NULL);
        raise(sig);
        return;
    }
    current = NULL;
    put_site(g);
    put(" ");
    put(describe(sig));
    finish(g);
}

static void on_process_exit(int status, void *arg)
{
    (void)arg;
    const ls_guard_site *g = current;
    if (!g) return;
    current = NULL;
    put_site(g);
    put(" called exit(");
    put_int(status);
    put(")");
    finish(g);
}

int ls_guard_install(void)
{
    if (!altstack) {
        /* The handler must run when the plugin's stack is what broke.  A
         * thread that has a signal stack already (a sanitizer gives every
         * thread one, and frees it itself) keeps it: replacing it would
         * leave its owner freeing ours. */
        stack_t old;
        if (sigaltstack(NULL, &old) == 0 && !(old.ss_flags & SS_DISABLE) && old.ss_size >= 16384) {
            altstack = old.ss_sp;
        } else {
            size_t size = SIGSTKSZ > 65536 ? (size_t)SIGSTKSZ : 65536;
            stack_t st = {.ss_sp = malloc(size), .ss_size = size, .ss_flags = 0};
            if (!st.ss_sp || sigaltstack(&st, NULL) != 0) {
                free(st.ss_sp);
                return -1;
            }
            altstack = st.ss_sp;
            pthread_once(&stack_once, stack_key_make);
            pthread_setspecific(stack_key, altstack);
        }
    }
    if (installed) return 0;
    installed = 1;
    if (on_exit(on_process_exit, NULL) != 0) return -1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < NSIGS; i++)
        if (sigaction(sigs[i], &sa, &previous[i]) != 0) return -1;
    return 0;
}

void ls_guard_enter(const ls_guard_site *site) { current = site; }

void ls_guard_set_cleanup(void (*fn)(void)) { cleanup = fn; }
