/*
 * rulecalls.c - the cost of one Lua rule call (issue 14, item 3).
 *
 *   build/bench/rulecalls SCHEME DATA... [-r REPS]
 *
 * Loads the scheme and data, binds every leaf, then calls every Lua leaf
 * that applies to every unit, REPS times (default 3), through the backend
 * interface exactly as scoring does (call record, reads recorded, group
 * statistics), and prints the best pass: calls, CPU seconds of the
 * calling thread (the machines are shared: wall time is noise), calls/s
 * and ns/call.  `make bench-rules` runs it on the example cycled to 10 000
 * units (tests/bench/gen.awk).
 *
 * Depends on: the engine (ls_scheme, ls_data, ls_stats, ls_backends).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ls_backends.h"
#include "ls_data.h"
#include "ls_scheme.h"
#include "ls_stats.h"
#include "ls_util.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    int reps = 3;
    const char *files[64];
    size_t nfiles = 0;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "-r") && i + 1 < argc) reps = atoi(argv[++i]);
        else if (nfiles < 64) files[nfiles++] = argv[i];
    }
    if (argc < 3 || reps < 1) {
        fprintf(stderr, "usage: rulecalls SCHEME DATA... [-r REPS]\n");
        return 2;
    }
    ls_errors err;
    ls_errors_init(&err);
    ls_scheme *s = ls_scheme_load(argv[1], &err);
    ls_dataset *d = s ? ls_dataset_load(s, files, nfiles, 1, &err) : NULL;
    ls_backends b;
    memset(&b, 0, sizeof b);
    ls_bind_opts bo = {0};
    if (!d || ls_backends_bind(&b, s, &bo, &err)) {
        ls_errors_print(&err, stderr);
        return 1;
    }
    ls_stats *st = ls_stats_new(s, d);
    ls_backend *lua = b.by_kind[LS_RULE_LUA];
    unsigned char *reads = ls_xcalloc(s->ninds ? s->ninds : 1, 1);
    double best = 0;
    long calls = 0, failed = 0;
    for (int r = 0; r < reps; r++) {
        calls = failed = 0;
        double t0 = now();
        for (size_t u = 0; u < s->nunits; u++) {
            for (size_t k = 0; k < s->nleaves; k++) {
                int leaf = s->leaves[k];
                if (s->nodes[leaf].rule.kind != LS_RULE_LUA || !ls_node_applies(s, leaf, (int)u)) continue;
                ls_rule_call c;
                memset(reads, 0, s->ninds ? s->ninds : 1);
                ls_rule_call_init(&c, s, d, st, (int)u, leaf, reads);
                if (lua->call(lua, &c)) failed++;
                ls_rule_call_cleanup(&c);
                calls++;
            }
        }
        double t = now() - t0;
        if (r == 0 || t < best) best = t;
    }
    printf("rule calls: %ld Lua calls (%zu units), best of %d: %.3f s CPU, %.0f calls/s, %.0f ns/call%s\n",
           calls, s->nunits, reps, best, calls / best, best / calls * 1e9,
           failed ? " (some calls failed)" : "");
    free(reads);
    ls_stats_free(st);
    ls_backends_cleanup(&b);
    ls_dataset_free(d);
    ls_scheme_free(s);
    ls_errors_cleanup(&err);
    return failed ? 1 : 0;
}
