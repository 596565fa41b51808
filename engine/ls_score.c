/*
 * ls_score.c - scoring (see ls_score.h); ranking and grading are in
 * ls_rank.c.
 *
 * All arithmetic after a rule returns is on ls_fixed integers: a rule's
 * value is rounded once (half up) at the scheme's precision, and every sum
 * after that is exact.
 *
 * Threads (see ls_score.h): workers take chunks in order from an atomic
 * counter; a chunk's cells are written in place (rows of other chunks are
 * never touched), its reasons, reads and errors go to its own arrays.
 * Without keep_going the lowest failing chunk is remembered (fail_at) and
 * no chunk after it is started.  The sink's thread follows the chunks in
 * order (a flag per chunk and a condition variable).  join_chunks runs
 * after every thread has ended.
 */
#include "ls_score.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ls_backends.h"
#include "ls_intern.h"
#include "ls_rank.h"
#include "ls_stats.h"
#include "ls_util.h"

/* What a chunk of units produced besides its cells: reason0 and read0 of
 * its cells index these until the chunks are joined. */
typedef struct chunk {
    const char **reasons;
    size_t nreasons, capreasons;
    int *reads;
    size_t nreads, capreads;
    ls_raw *raws; /* clamped cells' values, in cell order */
    size_t nraws, capraws;
    size_t nerrors;  /* cells in error */
    ls_errors err;   /* rule errors, in unit order */
    atomic_int done; /* scored (or stopped at an error) */
} chunk;

/* The texts of `texts` found to be valid UTF-8: a set of their interned
 * copies (open addressing, NULL = free).  The same few reasons come back
 * for most units, and checking their bytes again cost more than interning
 * them. */
typedef struct valid_set {
    const char **slots;
    size_t cap, n;
} valid_set;

static void add_read(chunk *ch, int ind)
{
    LS_GROW(ch->reads, ch->nreads, ch->capreads, 256);
    ch->reads[ch->nreads++] = ind;
}

/* One scoring thread. */
typedef struct worker {
    const ls_backends *b;            /* its own rule states */
    ls_intern *texts;                /* its reasons' text, one copy of each */
    valid_set *valid;                /* texts of `texts` known valid UTF-8 */
    unsigned char *reads;            /* scratch: scheme->ninds flags */
    const ls_adjustments *decisions; /* score decisions on appeal; NULL: none */
} worker;

/* What the threads of one run share. */
typedef struct shared {
    ls_run *r;
    ls_stats *st;
    int keep_going;
    size_t chunk; /* units per chunk */
    chunk *chunks;
    size_t nchunks;
    atomic_size_t next;    /* next chunk to hand out */
    atomic_size_t fail_at; /* lowest chunk with a rule error (no keep_going) */
    pthread_mutex_t lock;  /* with `ready`: wakes the sink's thread */
    pthread_cond_t ready;
} shared;

static void add_reason(chunk *ch, ls_intern *texts, const char *s)
{
    LS_GROW(ch->reasons, ch->nreasons, ch->capreasons, 256);
    ch->reasons[ch->nreasons++] = ls_intern_str(texts, s);
}

static size_t valid_slot(const valid_set *v, const char *p)
{
    uintptr_t h = (uintptr_t)p;
    h ^= h >> 17;
    h *= (uintptr_t)0x9E3779B97F4A7C15u;
    size_t i = (size_t)(h >> 7) & (v->cap - 1);
    while (v->slots[i] && v->slots[i] != p) i = (i + 1) & (v->cap - 1);
    return i;
}

/* Whether the interned text p is valid UTF-8: looked up, else checked
 * (and remembered while the table interns: once it copies texts as they
 * come, their addresses never repeat). */
static int text_valid(valid_set *v, const ls_intern *texts, const char *p)
{
    if (v->cap && v->slots[valid_slot(v, p)]) return 1;
    if (!ls_utf8_valid(p, strlen(p), NULL)) return 0;
    if (texts->off) return 1;
    if (2 * (v->n + 1) > v->cap) {
        valid_set g = {ls_xcalloc(v->cap ? 2 * v->cap : 64, sizeof *g.slots), v->cap ? 2 * v->cap : 64, v->n};
        for (size_t i = 0; i < v->cap; i++)
            if (v->slots[i]) g.slots[valid_slot(&g, v->slots[i])] = v->slots[i];
        free(v->slots);
        *v = g;
    }
    v->slots[valid_slot(v, p)] = p;
    v->n++;
    return 1;
}

/* Record the indicators flagged in reads[0..n) for the cell just scored.
 * A rule reads a few of them: whole words of zeros are skipped. */
static void add_reads(chunk *ch, const unsigned char *reads, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, reads + i, 8);
        if (!w) continue;
        for (size_t k = i; k < i + 8; k++)
            if (reads[k]) add_read(ch, (int)k);
    }
    for (; i < n; i++)
        if (reads[i]) add_read(ch, (int)i);
}

/* Evaluate one leaf for one unit into its cell.  Returns -1 on a rule
 * error (already recorded in ch->err). */
static int score_leaf(ls_run *r, const worker *w, chunk *ch, ls_stats *st, int unit, int leaf)
{
    const ls_scheme *s = r->scheme;
    const ls_node *n = &s->nodes[leaf];
    ls_cell *c = &r->cells[(size_t)unit * s->nnodes + (size_t)leaf];
    if (!ls_node_applies(s, leaf, unit)) {
        c->state = LS_CELL_NA;
        return 0;
    }
    ls_backend *be = w->b->by_kind[n->rule.kind];
    ls_rule_call call;
    unsigned char *reads = w->reads;
    memset(reads, 0, s->ninds ? s->ninds : 1);
    ls_rule_call_init(&call, s, r->data, st, unit, leaf, reads);
    int rc = 0;
    if (!be) rc = ls_rule_call_fail(&call, s->path, n->rule.line, "no backend for this kind of rule");
    else rc = be->call(be, &call);
    ls_fixed v = 0;
    if (!rc && ls_dec_from_double(call.value, s->digits, &v))
        rc = ls_rule_call_fail(&call, n->rule.path, 0, "rule returned %g, which is out of range", call.value);
    /* the backends keep to it already (ls_rule_reason_fits); a cell
     * counts its reasons in 16 bits */
    if (!rc && call.reasons.n > LS_REASONS_MAX)
        rc = ls_rule_call_fail(&call, n->rule.path, 0, "more than %d reasons in one call", LS_REASONS_MAX);
    /* Interned before they are checked: a known text is not checked
     * again.  The copies of a call that fails stay in the arena unused. */
    const char *texts[LS_REASONS_MAX];
    for (size_t i = 0; !rc && i < call.reasons.n; i++) {
        texts[i] = ls_intern_str(w->texts, call.reasons.v[i]);
        if (!text_valid(w->valid, w->texts, texts[i]))
            rc = ls_rule_call_fail(&call, n->rule.path, 0, "reason %zu is not valid UTF-8 text", i + 1);
    }
    c->reason0 = (uint32_t)ch->nreasons;
    c->read0 = (uint32_t)ch->nreads;
    if (rc) {
        ls_rule_call_report(&call, &ch->err);
        /* the message is the cell's explanation in the results */
        add_reason(ch, w->texts, call.err_msg ? call.err_msg : "failed");
        c->nreasons = 1;
        c->state = LS_CELL_ERROR;
        ch->nerrors++;
        ls_rule_call_cleanup(&call);
        return -1;
    }
    for (size_t i = 0; i < call.reasons.n; i++) {
        LS_GROW(ch->reasons, ch->nreasons, ch->capreasons, 256);
        ch->reasons[ch->nreasons++] = texts[i];
    }
    c->nreasons = (uint16_t)call.reasons.n;
    add_reads(ch, reads, s->ninds);
    c->nread = (uint32_t)(ch->nreads - c->read0);
    ls_rule_call_cleanup(&call);

    c->state = LS_CELL_SCORED;
    /* a score decided on appeal (复核) replaces the rule's; the rule's
     * reasons stay, and ls_explain says what was decided */
    const ls_adjustment *dec = ls_adjustments_decision(w->decisions, (size_t)unit, (size_t)leaf);
    if (dec) v = dec->score;
    if (n->section == LS_SEC_VETO) {
        c->score = v != 0;
    } else if (v < 0) {
        c->score = 0;
        c->clamped = -1;
    } else if (v > n->points && !n->no_points) { /* no points: no cap of its own */
        c->score = n->points;
        c->clamped = 1;
    } else {
        c->score = v;
    }
    if (c->clamped) {
        LS_GROW(ch->raws, ch->nraws, ch->capraws, 16);
        ch->raws[ch->nraws].cell = (size_t)unit * s->nnodes + (size_t)leaf;
        ch->raws[ch->nraws++].raw = v;
    }
    return 0;
}

/* Categories are sums of their applicable children.  Nodes are stored in
 * pre-order, so walking backwards visits children before parents. */
static void sum_categories(ls_run *r, int unit)
{
    const ls_scheme *s = r->scheme;
    ls_cell *row = &r->cells[(size_t)unit * s->nnodes];
    for (size_t i = s->nnodes; i-- > 0;) {
        const ls_node *n = &s->nodes[i];
        if (!n->nchildren) continue;
        ls_fixed sum = 0;
        int any = 0, bad = 0;
        for (size_t k = 0; k < n->nchildren; k++) {
            const ls_cell *c = &row[n->children[k]];
            if (c->state == LS_CELL_NA) continue;
            any = 1;
            if (c->state == LS_CELL_ERROR) bad = 1;
            else sum += c->score;
        }
        row[i].score = sum;
        row[i].state = bad ? LS_CELL_ERROR : any ? LS_CELL_SCORED
                                                 : LS_CELL_NA;
    }
}

static void total_unit(ls_run *r, int unit)
{
    const ls_scheme *s = r->scheme;
    const ls_cell *row = &r->cells[(size_t)unit * s->nnodes];
    ls_unit_result *u = &r->units[unit];
    u->veto = -1;
    for (size_t k = 0; k < s->nleaves; k++) {
        int i = s->leaves[k];
        const ls_node *n = &s->nodes[i];
        const ls_cell *c = &row[i];
        if (c->state == LS_CELL_ERROR) u->errors++;
        if (c->state != LS_CELL_SCORED) {
            if (c->state == LS_CELL_ERROR && n->section == LS_SEC_MAIN) u->applicable += n->points;
            continue;
        }
        switch (n->section) {
        case LS_SEC_MAIN:
            u->main_raw += c->score;
            u->applicable += n->points;
            break;
        case LS_SEC_BONUS: u->bonus_raw += c->score; break;
        case LS_SEC_DEDUCT: u->deduct += c->score; break;
        case LS_SEC_VETO:
            if (c->score && u->veto < 0) u->veto = i;
            break;
        }
    }
    if (u->applicable == s->total || u->applicable == 0) {
        u->main = u->main_raw;
    } else {
        u->main = ls_dec_muldiv(u->main_raw, s->total, u->applicable);
        u->rescaled = 1;
    }
    u->bonus = s->bonus_cap >= 0 && u->bonus_raw > s->bonus_cap ? s->bonus_cap : u->bonus_raw;
    u->total = u->main + u->bonus - u->deduct;
    if (u->total < 0) {
        u->total = 0;
        u->total_clamped = 1;
    }
}

static void sum_categories(ls_run *r, int unit);
static void total_unit(ls_run *r, int unit);

/* Score the units of chunk k.  Returns -1 at the first rule error when
 * not keep_going (the chunk stops there, as a single thread would). */
static int score_chunk(shared *sh, const worker *w, size_t k)
{
    ls_run *r = sh->r;
    const ls_scheme *s = r->scheme;
    chunk *ch = &sh->chunks[k];
    size_t end = (k + 1) * sh->chunk < s->nunits ? (k + 1) * sh->chunk : s->nunits;
    for (size_t u = k * sh->chunk; u < end; u++) {
        for (size_t i = 0; i < s->nleaves; i++)
            if (score_leaf(r, w, ch, sh->st, (int)u, s->leaves[i]) && !sh->keep_going) return -1;
        sum_categories(r, (int)u);
        total_unit(r, (int)u);
    }
    return 0;
}

/* A thread's loop: take the next chunk until none is left, or until the
 * chunks left come after one that failed (their results would not be
 * used: a single thread would have stopped). */
static void work(shared *sh, const worker *w)
{
    for (;;) {
        size_t k = atomic_fetch_add(&sh->next, 1);
        if (k >= sh->nchunks || k > atomic_load(&sh->fail_at)) return;
        if (score_chunk(sh, w, k) != 0) {
            size_t f = atomic_load(&sh->fail_at);
            while (k < f && !atomic_compare_exchange_weak(&sh->fail_at, &f, k))
                ;
        }
        pthread_mutex_lock(&sh->lock);
        atomic_store(&sh->chunks[k].done, 1);
        pthread_cond_broadcast(&sh->ready);
        pthread_mutex_unlock(&sh->lock);
    }
}

typedef struct sink_arg {
    shared *sh;
    const ls_score_sink *sink;
} sink_arg;

/* The sink's thread: each chunk in order once it is scored, seen through
 * a view of the run with the chunk's own reasons and reads (its cells
 * index them until the chunks are joined, after this thread ends). */
static void *sink_main(void *p)
{
    sink_arg *a = p;
    shared *sh = a->sh;
    const ls_scheme *s = sh->r->scheme;
    for (size_t k = 0; k < sh->nchunks; k++) {
        pthread_mutex_lock(&sh->lock);
        while (!atomic_load(&sh->chunks[k].done) && atomic_load(&sh->fail_at) >= k)
            pthread_cond_wait(&sh->ready, &sh->lock);
        pthread_mutex_unlock(&sh->lock);
        if (atomic_load(&sh->fail_at) <= k) break;
        chunk *ch = &sh->chunks[k];
        /* only what the scorers are done with: not a copy of the whole
         * run, whose other fields the scoring thread still sets */
        ls_run view;
        memset(&view, 0, sizeof view);
        view.scheme = sh->r->scheme;
        view.data = sh->r->data;
        view.cells = sh->r->cells;
        view.units = sh->r->units;
        view.reasons = ch->reasons;
        view.nreasons = ch->nreasons;
        view.reads = ch->reads;
        view.nreads = ch->nreads;
        view.self = sh->r->self;
        view.adj = sh->r->adj;
        view.original = sh->r->original;
        size_t end = (k + 1) * sh->chunk < s->nunits ? (k + 1) * sh->chunk : s->nunits;
        a->sink->units(a->sink->ctx, &view, k * sh->chunk, end);
    }
    return NULL;
}

typedef struct thread_arg {
    shared *sh;
    worker w;
    pthread_t t;
    int started;
} thread_arg;

static void *thread_main(void *p)
{
    thread_arg *a = p;
    work(a->sh, &a->w);
    return NULL;
}

/* Join the chunks' reasons, reads and errors in unit order, rebasing the
 * cells' indices.  The chunks are emptied. */
static void join_chunks(shared *sh, size_t nchunks, ls_errors *err)
{
    ls_run *r = sh->r;
    const ls_scheme *s = r->scheme;
    size_t nreasons = 0, nreads = 0, nraws = 0;
    for (size_t k = 0; k < nchunks; k++) {
        nreasons += sh->chunks[k].nreasons;
        nreads += sh->chunks[k].nreads;
        nraws += sh->chunks[k].nraws;
    }
    /* chunks in unit order, leaves in scheme order: the cells ascend */
    r->raws = ls_xmalloc((nraws ? nraws : 1) * sizeof *r->raws);
    for (size_t k = 0; k < nchunks; k++) {
        chunk *ch = &sh->chunks[k];
        if (ch->nraws) memcpy(r->raws + r->nraws, ch->raws, ch->nraws * sizeof *ch->raws);
        r->nraws += ch->nraws;
        free(ch->raws);
        ch->raws = NULL;
    }
    r->reasons = ls_xmalloc((nreasons ? nreasons : 1) * sizeof *r->reasons);
    r->reads = ls_xmalloc((nreads ? nreads : 1) * sizeof *r->reads);
    r->capreasons = nreasons ? nreasons : 1;
    r->capreads = nreads ? nreads : 1;
    for (size_t k = 0; k < nchunks; k++) {
        chunk *ch = &sh->chunks[k];
        size_t end = (k + 1) * sh->chunk < s->nunits ? (k + 1) * sh->chunk : s->nunits;
        for (size_t u = k * sh->chunk; u < end; u++) {
            ls_cell *row = &r->cells[u * s->nnodes];
            for (size_t i = 0; i < s->nleaves; i++) {
                ls_cell *c = &row[s->leaves[i]];
                c->reason0 += (uint32_t)r->nreasons;
                c->read0 += (uint32_t)r->nreads;
            }
        }
        if (ch->nreasons) memcpy(r->reasons + r->nreasons, ch->reasons, ch->nreasons * sizeof *ch->reasons);
        if (ch->nreads) memcpy(r->reads + r->nreads, ch->reads, ch->nreads * sizeof *ch->reads);
        r->nreasons += ch->nreasons;
        r->nreads += ch->nreads;
        /* gone as soon as copied: the peak is one copy plus a chunk */
        free(ch->reasons);
        free(ch->reads);
        ch->reasons = NULL;
        ch->reads = NULL;
        r->nerrors += ch->nerrors;
        ls_errors_append(err, &ch->err);
    }
}

ls_run *ls_score_run(const ls_scheme *s, const ls_dataset *d, const ls_backends *b,
                     const ls_score_opts *opts, ls_errors *err)
{
    ls_run *r = ls_xcalloc(1, sizeof *r);
    ls_arena_init(&r->arena);
    r->scheme = s;
    r->data = d;
    r->self = opts->self;
    r->adj = opts->adj;
    r->original = opts->original;
    r->cells = ls_xcalloc(s->nunits * s->nnodes + 1, sizeof *r->cells);
    r->units = ls_xcalloc(s->nunits ? s->nunits : 1, sizeof *r->units);

    shared sh;
    memset(&sh, 0, sizeof sh);
    sh.r = r;
    sh.st = ls_stats_new(s, d);
    sh.keep_going = opts->keep_going;
    sh.chunk = opts->chunk ? opts->chunk : LS_SCORE_CHUNK;
    sh.nchunks = (s->nunits + sh.chunk - 1) / sh.chunk;
    sh.chunks = ls_xcalloc(sh.nchunks ? sh.nchunks : 1, sizeof *sh.chunks);
    for (size_t k = 0; k < sh.nchunks; k++) {
        ls_errors_init(&sh.chunks[k].err);
        atomic_init(&sh.chunks[k].done, 0);
    }
    atomic_init(&sh.next, 0);
    atomic_init(&sh.fail_at, sh.nchunks);
    pthread_mutex_init(&sh.lock, NULL);
    pthread_cond_init(&sh.ready, NULL);
    sink_arg sa = {&sh, opts->sink};
    pthread_t sink_t;
    int sink_started = opts->sink && pthread_create(&sink_t, NULL, sink_main, &sa) == 0;

    /* No more threads than chunks after the first. */
    size_t nextra = opts->nextra;
    if (nextra > sh.nchunks - (sh.nchunks > 0)) nextra = sh.nchunks - (sh.nchunks > 0);
    size_t ninds = s->ninds ? s->ninds : 1;
    thread_arg *t = ls_xcalloc(nextra + 1, sizeof *t);
    ls_intern *texts = ls_xcalloc(nextra + 1, sizeof *texts);
    if (nextra) {
        r->arenas = ls_xcalloc(nextra, sizeof *r->arenas);
        r->narenas = nextra;
    }
    for (size_t i = 0; i <= nextra; i++) {
        t[i].sh = &sh;
        t[i].w.b = i ? &opts->extra[i - 1] : b;
        t[i].w.reads = ls_xmalloc(ninds);
        t[i].w.valid = ls_xcalloc(1, sizeof *t[i].w.valid);
        t[i].w.decisions = opts->decisions;
        if (i) ls_arena_init(&r->arenas[i - 1]);
        ls_intern_init(&texts[i], i ? &r->arenas[i - 1] : &r->arena);
        t[i].w.texts = &texts[i];
    }
    for (size_t i = 1; i <= nextra; i++)
        t[i].started = pthread_create(&t[i].t, NULL, thread_main, &t[i]) == 0;
    work(&sh, &t[0].w); /* the calling thread too; it finishes what others could not start */
    for (size_t i = 1; i <= nextra; i++)
        if (t[i].started) pthread_join(t[i].t, NULL);
    if (sink_started) pthread_join(sink_t, NULL);
    else if (opts->sink) sink_main(&sa); /* no thread: after scoring */
    pthread_mutex_destroy(&sh.lock);
    pthread_cond_destroy(&sh.ready);
    for (size_t i = 0; i <= nextra; i++) {
        free(t[i].w.reads);
        free(t[i].w.valid->slots);
        free(t[i].w.valid);
        ls_intern_cleanup(&texts[i]);
    }
    free(t);
    free(texts);
    ls_stats_free(sh.st);

    size_t failed = atomic_load(&sh.fail_at);
    if (failed < sh.nchunks) {
        /* Without keep_going: the first error a single thread would have
         * met is the first of the first chunk that failed. */
        ls_errors_append(err, &sh.chunks[failed].err);
    } else {
        join_chunks(&sh, sh.nchunks, err);
    }
    for (size_t k = 0; k < sh.nchunks; k++) {
        free(sh.chunks[k].reasons);
        free(sh.chunks[k].reads);
        free(sh.chunks[k].raws);
        ls_errors_cleanup(&sh.chunks[k].err);
    }
    free(sh.chunks);
    if (failed < sh.nchunks) {
        ls_run_free(r);
        return NULL;
    }
    ls_rank_run(r);
    return r;
}

ls_fixed ls_run_raw(const ls_run *r, size_t unit, size_t node)
{
    size_t cell = unit * r->scheme->nnodes + node, lo = 0, hi = r->nraws;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->raws[mid].cell < cell) lo = mid + 1;
        else hi = mid;
    }
    if (lo < r->nraws && r->raws[lo].cell == cell) return r->raws[lo].raw;
    return r->cells[cell].score;
}

void ls_run_free(ls_run *r)
{
    if (!r) return;
    if (r->order)
        for (size_t g = 0; g < r->scheme->ngroups; g++) free(r->order[g]);
    free(r->order);
    free(r->norder);
    free(r->cells);
    free(r->units);
    free(r->reasons);
    free(r->reads);
    free(r->raws);
    ls_arena_cleanup(&r->arena);
    for (size_t i = 0; i < r->narenas; i++) ls_arena_cleanup(&r->arenas[i]);
    free(r->arenas);
    free(r);
}
