/*
 * ls_stats.c - group-wide indicator statistics (see ls_stats.h).
 */
#include "ls_stats.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "ls_util.h"

struct ls_stats {
    const ls_scheme *s;
    const ls_dataset *d;
    ls_stat *cache;       /* ngroups * ninds */
    atomic_uchar *done;   /* cache[k] is complete (release/acquire) */
    pthread_mutex_t lock; /* held while computing */
};

ls_stats *ls_stats_new(const ls_scheme *s, const ls_dataset *d)
{
    ls_stats *st = ls_xcalloc(1, sizeof *st);
    st->s = s;
    st->d = d;
    size_t n = s->ngroups * s->ninds;
    st->cache = ls_xcalloc(n ? n : 1, sizeof *st->cache);
    st->done = ls_xcalloc(n ? n : 1, sizeof *st->done);
    for (size_t i = 0; i < n; i++) atomic_init(&st->done[i], 0);
    pthread_mutex_init(&st->lock, NULL);
    return st;
}

void ls_stats_free(ls_stats *st)
{
    if (!st) return;
    for (size_t i = 0; i < st->s->ngroups * st->s->ninds; i++) free(st->cache[i].sorted);
    free(st->cache);
    free(st->done);
    pthread_mutex_destroy(&st->lock);
    free(st);
}

static int desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

static void compute(ls_stats *st, ls_stat *r, int group, int ind)
{
    const ls_scheme *s = st->s;
    ls_vtype t = s->inds[ind].spec.type;
    if (t == LS_T_ENUM || t == LS_T_TEXT) return;
    r->sorted = ls_xmalloc((s->nunits ? s->nunits : 1) * sizeof *r->sorted);
    for (size_t u = 0; u < s->nunits; u++) {
        if (s->units[u].group != group) continue;
        ls_value v = ls_dataset_value(st->d, u, (size_t)ind);
        if (!v.set) continue;
        r->sorted[r->count++] = v.num;
        r->sum += v.num;
    }
    if (r->count) {
        qsort(r->sorted, r->count, sizeof *r->sorted, desc);
        r->max = r->sorted[0];
        r->min = r->sorted[r->count - 1];
        r->mean = r->sum / (double)r->count;
    }
    /* a group's values, not the whole registry's room */
    r->sorted = ls_xrealloc(r->sorted, (r->count ? r->count : 1) * sizeof *r->sorted);
}

const ls_stat *ls_stats_get(ls_stats *st, int group, int ind)
{
    size_t k = (size_t)group * st->s->ninds + (size_t)ind;
    ls_stat *r = &st->cache[k];
    if (atomic_load_explicit(&st->done[k], memory_order_acquire)) return r;
    pthread_mutex_lock(&st->lock);
    if (!atomic_load_explicit(&st->done[k], memory_order_relaxed)) {
        compute(st, r, group, ind);
        atomic_store_explicit(&st->done[k], 1, memory_order_release);
    }
    pthread_mutex_unlock(&st->lock);
    return r;
}

int ls_stats_rank(ls_stats *st, int unit, int ind, int descending)
{
    ls_value got = ls_dataset_value(st->d, (size_t)unit, (size_t)ind);
    const ls_value *v = &got;
    if (!v->set) return 0;
    const ls_stat *r = ls_stats_get(st, st->s->units[unit].group, ind);
    /* Count values strictly better: binary search in the sorted list. */
    size_t lo = 0, hi = r->count;
    if (descending) { /* first index with sorted[i] <= v */
        while (lo < hi) {
            size_t m = (lo + hi) / 2;
            if (r->sorted[m] > v->num) lo = m + 1;
            else hi = m;
        }
        return (int)lo + 1;
    }
    /* ascending rank: values strictly lower = count - (first index with sorted[i] < v) */
    while (lo < hi) {
        size_t m = (lo + hi) / 2;
        if (r->sorted[m] >= v->num) lo = m + 1;
        else hi = m;
    }
    return (int)(r->count - lo) + 1;
}
