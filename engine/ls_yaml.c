/*
 * ls_yaml.c - YAML document tree with positions (see ls_yaml.h).
 *
 * Built from libyaml's event API (flat memory, ~70 MB/s here) rather than
 * its document API (13x the file size in memory).  A big file is mapped
 * (mmap, madvise) and its pages given back as reading passes them.
 */
#define _DEFAULT_SOURCE /* madvise: MADV_DONTNEED (posix_madvise ignores it) */
#include "ls_yaml.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "ls_i18n.h"
#include "ls_util.h"

typedef struct frame {
    ls_ynode *node;
    ls_ynode **tmp; /* children collected so far (heap) */
    size_t n, cap;
} frame;

static void frame_push_child(frame *f, ls_ynode *child)
{
    LS_GROW(f->tmp, f->n, f->cap, 8);
    f->tmp[f->n++] = child;
}

/* Length of the line break at buf[i] as libyaml counts them (CR LF, CR,
 * LF), 0 if none: positions here must agree with libyaml's marks. */
static size_t line_break(const char *buf, size_t len, size_t i)
{
    if (buf[i] == '\n') return 1;
    if (buf[i] == '\r') return i + 1 < len && buf[i + 1] == '\n' ? 2 : 1;
    return 0;
}

/* ---- full-width punctuation ----------------------------------------------
 * A Chinese keyboard types ：，“”（） and the full-width space unless the
 * user switches it off; YAML needs the half-width forms.  libyaml's own
 * message for them ("could not find expected ':'") says nothing of the
 * cause, and some parse without error into the wrong thing ("id：sfj" is
 * one string, not a key and a value), so they are named here with the
 * fix. */

typedef struct fullwidth {
    const char *utf8, *name, *fix;
} fullwidth;

static const fullwidth fullwidths[] = {
    {"\xEF\xBC\x9A", "full-width colon '：'", "YAML needs the half-width ':' followed by a space"},
    {"\xEF\xBC\x8C", "full-width comma '，'", "YAML separates items with the half-width ','"},
    {"\xE3\x80\x80", "full-width space", "YAML needs ordinary (half-width) spaces"},
    {"\xE2\x80\x9C", "full-width quote '“'", "YAML quotes with the half-width '\"'"},
    {"\xE2\x80\x9D", "full-width quote '”'", "YAML quotes with the half-width '\"'"},
    {NULL, NULL, NULL}};

static const fullwidth *fullwidth_at(const char *p, const char *end)
{
    for (const fullwidth *f = fullwidths; f->utf8; f++)
        if ((size_t)(end - p) >= 3 && !memcmp(p, f->utf8, 3)) return f;
    return NULL;
}

/* End of a line's content before a comment ('#' at the start or after a
 * space, outside quotes). */
static const char *content_end(const char *p, const char *end)
{
    char q = 0;
    for (const char *c = p; c < end; c++) {
        if (q) {
            if (*c == q) q = 0;
            continue;
        }
        if (*c == '"' || *c == '\'') {
            if (c == p || c[-1] == ' ' || c[-1] == ':' || c[-1] == '[' || c[-1] == ',') q = *c;
            continue;
        }
        if (*c == '#' && (c == p || c[-1] == ' ' || c[-1] == '\t')) return c;
    }
    return end;
}

/* Errors for full-width punctuation that YAML would misread silently:
 * a full-width space in the indentation, a full-width colon after a key
 * (`id：sfj`); a warning for a full-width comma in a [flow, list].
 * (Quotes “” are common in Chinese text, 名称: “双随机、一公开”, so a
 * value wrapped in them is only pointed out when it fails a check, by
 * the data loader.) */
static int scan_fullwidth(const char *path, const char *ls, const char *le, int line, ls_errors *err)
{
    const char *p = ls;
    while (p < le && *p == ' ') p++;
    if (le - p >= 3 && !memcmp(p, "\xE3\x80\x80", 3))
        return ls_errorf(err, path, line, (int)ls_utf8_count(ls, (size_t)(p - ls)) + 1,
                         "full-width space in the indentation: YAML indents with ordinary spaces "
                         "(switch the input method to half-width)");
    const char *e = content_end(p, le);
    const char *k = p;
    if (k < e && *k == '-' && k + 1 < e && k[1] == ' ') {
        k += 2;
        while (k < e && *k == ' ') k++;
    }
    /* a key at the start of the line, or after '{' or ',' in a flow mapping */
    for (const char *start = k; start;) {
        const char *key = start;
        k = key;
        while (k < e && ((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') || (*k >= '0' && *k <= '9') ||
                         *k == '_' || *k == '.' || *k == '-'))
            k++;
        if (k > key && e - k >= 3 && !memcmp(k, "\xEF\xBC\x9A", 3))
            return ls_errorf(err, path, line, (int)ls_utf8_count(ls, (size_t)(k - ls)) + 1,
                             "full-width colon '：' after '%.*s': YAML needs the half-width ':' followed by a "
                             "space (%.*s: ...)",
                             (int)(k - key), key, (int)(k - key), key);
        start = NULL;
        for (const char *c = k; c < e; c++)
            if (*c == '{' || *c == ',') {
                start = c + 1;
                while (start < e && *start == ' ') start++;
                break;
            }
    }
    const char *open = memchr(p, '[', (size_t)(e - p));
    if (open) {
        const char *close = memchr(open, ']', (size_t)(e - open));
        for (const char *c = open; close && c + 3 <= close; c++)
            if (!memcmp(c, "\xEF\xBC\x8C", 3)) {
                ls_warnf(err, path, line, (int)ls_utf8_count(ls, (size_t)(c - ls)) + 1,
                         "full-width comma '，' inside [...]: YAML separates list items with the half-width ','");
                break;
            }
    }
    return 0;
}

/* ---- a big file is mapped, and read once through ----------------------
 * A province's data file is hundreds of megabytes; read into memory it
 * would be held whole while its units are loaded.  Mapped, the pages
 * already read (by the checks below, then by libyaml, which copies its
 * input as it goes) are given back as reading passes them: the file is
 * still there to read them again from (a syntax error's hint looks at
 * its line after the parse). */

#define DROP_STEP (8u << 20) /* give pages back by 8 MB */

typedef struct ymap {
    const char *base; /* the mapping, or NULL: the file was read into memory */
    size_t len;
    size_t dropped; /* bytes [0, dropped) given back */
} ymap;

/* Give back the pages of m wholly below offset `upto`, once DROP_STEP of
 * them have been read. */
static void drop_behind(ymap *m, size_t upto)
{
    if (!m || !m->base || upto < m->dropped + DROP_STEP) return;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t end = upto / page * page;
    if (end <= m->dropped) return;
    madvise((void *)(m->base + m->dropped), end - m->dropped, MADV_DONTNEED);
    m->dropped = end;
}

/* Whether buf is valid UTF-8 (else *bad is the offset of the first bad
 * byte), as ls_utf8_valid says: a data file is mostly ASCII, skipped here
 * 8 bytes at a time; each run of other bytes (a run ends at an ASCII byte,
 * which no sequence holds) is checked by ls_utf8_valid. */
static int utf8_valid_mostly_ascii(const char *buf, size_t len, size_t *bad, ymap *m)
{
    size_t i = 0;
    while (i < len) {
        drop_behind(m, i);
        uint64_t w;
        while (i + 8 <= len && (memcpy(&w, buf + i, 8), !(w & 0x8080808080808080u))) i += 8;
        while (i < len && !((unsigned char)buf[i] & 0x80)) i++;
        size_t j = i;
        while (j < len && ((unsigned char)buf[j] & 0x80)) j++;
        size_t at;
        if (j > i && !ls_utf8_valid(buf + i, j - i, &at)) {
            *bad = i + at;
            return 0;
        }
        i = j;
    }
    return 1;
}

/* Tabs in indentation and invalid UTF-8 get clearer messages than libyaml's
 * own ("found character that cannot start any token"). */
static int prescan(const char *path, const char *buf, size_t len, ymap *m, ls_errors *err)
{
    size_t bad;
    if (m) m->dropped = 0;
    if (!utf8_valid_mostly_ascii(buf, len, &bad, m)) {
        int line = 1;
        size_t ls = 0, br;
        for (size_t i = 0; i < bad; i += br ? br : 1)
            if ((br = line_break(buf, len, i)) && i + br <= bad) {
                line++;
                ls = i + br;
            }
        return ls_errorf(err, path, line, (int)ls_utf8_count(buf + ls, bad - ls) + 1,
                         "invalid UTF-8 byte 0x%02X: files must be saved as UTF-8",
                         (unsigned char)buf[bad]);
    }
    if (m) m->dropped = 0; /* the lines: from the start again */
    int line = 1;
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && (buf[j] == ' ' || buf[j] == '\t')) {
            if (buf[j] == '\t')
                return ls_errorf(err, path, line, (int)(j - i) + 1,
                                 "tab character in indentation: YAML indents with spaces only");
            j++;
        }
        /* full-width punctuation is not ASCII: a line of ASCII only (most
         * of a data file) has none to look for */
        unsigned char wide = 0;
        while (j < len && buf[j] != '\n' && buf[j] != '\r') wide |= (unsigned char)buf[j++];
        if ((wide & 0x80) && scan_fullwidth(path, buf + i, buf + j, line, err)) return -1;
        i = j < len ? j + line_break(buf, len, j) : len;
        line++;
        drop_behind(m, i);
    }
    if (m) m->dropped = 0; /* read again from the start by libyaml */
    return 0;
}

/* A hint for a syntax error on a line holding full-width punctuation:
 * "; found a full-width colon '：' at column 5: YAML needs ..." (empty
 * when there is none).  Writes buf, returns it. */
static const char *fullwidth_hint(const char *buf, size_t len, int line, char *out, size_t size)
{
    out[0] = '\0';
    const char *p = buf, *end = buf + len;
    for (int l = 1; l < line && p < end; p++)
        if (*p == '\n') l++;
    const char *le = memchr(p, '\n', (size_t)(end - p));
    if (!le) le = end;
    const char *e = content_end(p, le);
    for (const char *c = p; c < e; c++) {
        const fullwidth *f = fullwidth_at(c, e);
        if (f) {
            snprintf(out, size, "; found a %s at column %zu: %s (switch the input method to half-width "
                                "punctuation)",
                     f->name, ls_utf8_count(p, (size_t)(c - p)) + 1, f->fix);
            break;
        }
    }
    return out;
}

/* Why libyaml stopped: the parser's fields, copied (they outlive the
 * parser on the parsing thread of a big file). */
typedef struct yfail {
    yaml_error_type_t error;
    const char *problem, *context; /* libyaml's static texts, or NULL */
    yaml_mark_t problem_mark, context_mark;
} yfail;

static void fail_of(const yaml_parser_t *parser, yfail *f)
{
    f->error = parser->error;
    f->problem = parser->problem;
    f->context = parser->context;
    f->problem_mark = parser->problem_mark;
    f->context_mark = parser->context_mark;
}

static int describe_parser_error(const char *path, const yfail *p, const char *buf, size_t len,
                                 ls_errors *err)
{
    int line = (int)p->problem_mark.line + 1, col = (int)p->problem_mark.column + 1;
    /* libyaml's texts are translated too (po/libyaml-messages.c lists them) */
    const char *problem = p->problem ? _(p->problem) : _("unknown problem");
    char hint[256];
    fullwidth_hint(buf, len, line, hint, sizeof hint);
    if (!hint[0] && p->context) fullwidth_hint(buf, len, (int)p->context_mark.line + 1, hint, sizeof hint);
    if (p->error == YAML_READER_ERROR)
        return ls_errorf(err, path, 0, 0, "cannot read file: %s", problem);
    if (p->error == YAML_MEMORY_ERROR)
        return ls_errorf(err, path, 0, 0, "out of memory while parsing");
    if (p->context)
        return ls_errorf(err, path, line, col, "YAML syntax: %s %s (line %d, column %d)%s",
                         problem, _(p->context), (int)p->context_mark.line + 1,
                         (int)p->context_mark.column + 1, hint);
    return ls_errorf(err, path, line, col, "YAML syntax: %s%s", problem, hint);
}

static int key_cmp(const void *a, const void *b)
{
    const ls_ynode *x = **(ls_ynode *const *const *)a;
    const ls_ynode *y = **(ls_ynode *const *const *)b;
    int c = strcmp(x->str, y->str);
    if (c) return c;
    return x->line != y->line ? x->line - y->line : x->col - y->col;
}

/* Whether the n keys items[0], items[stride], ... are all different, told
 * by a small hash table on the stack, so that a mapping of a few dozen
 * keys (a unit's values) costs no sort: 1 yes, 0 no, -1 too many keys to
 * tell here. */
static int keys_distinct(ls_ynode **items, size_t n, size_t stride)
{
    enum {
        SLOTS = 256
    };
    if (n > SLOTS / 2) return -1;
    unsigned short slot[SLOTS];
    memset(slot, 0, sizeof slot);
    for (size_t i = 0; i < n; i++) {
        const ls_ynode *k = items[stride * i];
        if (k->kind != LS_YSCALAR) return -1;
        uint32_t h = 2166136261u; /* FNV-1a */
        for (size_t c = 0; c < k->len; c++) h = (h ^ (unsigned char)k->str[c]) * 16777619u;
        size_t at = h & (SLOTS - 1);
        for (; slot[at]; at = (at + 1) & (SLOTS - 1)) {
            const ls_ynode *o = items[stride * (size_t)(slot[at] - 1)];
            if (o->len == k->len && !memcmp(o->str, k->str, k->len)) return 0;
        }
        slot[at] = (unsigned short)(i + 1);
    }
    return 1;
}

/* The keys are items[0], items[stride], ... items[(n-1) * stride]. */
static int check_duplicate_keys(const char *path, ls_ynode **items, size_t n, size_t stride,
                                ls_errors *err)
{
    if (n < 2 || keys_distinct(items, n, stride) == 1) return 0;
    ls_ynode ***keys = ls_xmalloc(n * sizeof *keys);
    for (size_t i = 0; i < n; i++) keys[i] = &items[stride * i];
    qsort(keys, n, sizeof *keys, key_cmp);
    int rc = 0;
    for (size_t i = 1; i < n; i++) {
        const ls_ynode *a = *keys[i - 1], *b = *keys[i];
        if (!strcmp(a->str, b->str))
            rc = ls_errorf(err, path, b->line, b->col,
                           "duplicate key '%s' (first given at line %d, column %d)",
                           b->str, a->line, a->col);
    }
    free(keys);
    return rc;
}

static int finish_node(ls_ydoc *doc, ls_arena *a, frame *f, ls_errors *err)
{
    ls_ynode *n = f->node;
    size_t count = f->n;
    n->items = ls_arena_alloc(a, (count ? count : 1) * sizeof *n->items);
    if (count) memcpy(n->items, f->tmp, count * sizeof *n->items);
    f->n = 0; /* f->tmp stays for the next node at this depth */
    if (n->kind == LS_YMAP) {
        n->n = count / 2;
        return check_duplicate_keys(doc->path, n->items, n->n, 2, err);
    }
    n->n = count;
    return 0;
}

/* A mapping given pair by pair (ls_yaml_load_each): the value of root key
 * `key`.  Its pairs' nodes live in `scratch`, emptied after each pair;
 * copies of its keys stay (in the document's arena) for the duplicate
 * check when it ends. */
typedef struct ystream {
    const char *key;
    ls_yeach each;
    void *ctx;
    ls_arena scratch;
    int level;        /* depth while inside it (its frame is level - 1); 0: not in it */
    int done;         /* it was seen (only the first is streamed) */
    ls_ynode *key_of; /* the key of the pair being parsed */
    ls_ynode **keys;  /* copies of every key given */
    size_t nkeys, capkeys;
} ystream;

static void stream_pair(ystream *st, ls_ynode *val)
{
    st->each(st->ctx, st->key_of, val);
    st->key_of = NULL;
    ls_arena_reset(&st->scratch);
}

static int stream_key(ls_ydoc *doc, ystream *st, ls_ynode *key)
{
    st->key_of = key;
    ls_ynode *copy = ls_arena_alloc(&doc->arena, sizeof *copy);
    *copy = *key;
    copy->str = ls_arena_strndup(&doc->arena, key->str, key->len);
    LS_GROW(st->keys, st->nkeys, st->capkeys, 64);
    st->keys[st->nkeys++] = copy;
    return 0;
}

/* The streamed mapping ends: it stays in the tree, empty. */
static int stream_end(ls_ydoc *doc, ystream *st, frame *f, ls_errors *err)
{
    f->node->items = ls_arena_alloc(&doc->arena, sizeof *f->node->items);
    f->node->n = 0;
    f->n = 0;
    st->level = 0;
    return check_duplicate_keys(doc->path, st->keys, st->nkeys, 1, err);
}

/* ---- events: from libyaml directly, or from a parsing thread -------------
 * Of loading a province's data file, libyaml's parse is about half the
 * work and building nodes and values from its events the other half; a
 * file of BIG_FILE bytes or more is parsed on a thread of its own, which
 * hands its events over in batches (their texts copied into the batch),
 * so the two halves run side by side.  The events, and so the tree, the
 * values and every message, are the same either way. */

#define BIG_FILE (1u << 20)
#define BATCH_EVENTS 2048
#define BATCH_TEXT (64u << 10)
#define NBATCHES 4

/* One event, as load_buffer reads it: value and anchor valid until the
 * next event is asked for. */
typedef struct yev {
    yaml_event_type_t type;
    int line, col;      /* 1-based start */
    const char *value;  /* scalar */
    size_t len;         /* scalar */
    int plain;          /* scalar: plain style */
    const char *anchor; /* scalar, sequence or mapping start: its anchor;
                           alias: its name; else NULL */
} yev;

typedef struct bev { /* an event in a batch: texts as offsets */
    yaml_event_type_t type;
    int line, col, plain;
    size_t value, len, anchor; /* anchor: offset + 1, 0 none */
} bev;

typedef struct batch {
    bev *ev;
    size_t n;
    char *text;
    size_t ntext, captext;
    int last;   /* the stream's end, or the parser failed, after these */
    int failed; /* the parser failed: fail says why */
    yfail fail;
} batch;

typedef struct ysource {
    yaml_parser_t parser;
    /* direct: the event being read */
    yaml_event_t ev;
    int have;
    /* threaded */
    int threaded;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    batch b[NBATCHES];
    size_t produced, consumed; /* batches, under mu */
    int stop;                  /* the reader is done with it, under mu */
    batch *cur;                /* being read (b[(consumed - 1) % NBATCHES]) */
    size_t pos;
    ymap *map; /* the input, when mapped: pages libyaml has copied are given back */
} ysource;

/* libyaml has copied the input up to here: the pages before it are not
 * read again (unless a syntax error's hint looks back). */
static void source_drop(ysource *s)
{
    if (s->map && s->map->base)
        drop_behind(s->map, (size_t)((const char *)s->parser.input.string.current - s->map->base));
}

static size_t batch_text(batch *b, const unsigned char *t, size_t n)
{
    if (b->ntext + n + 1 > b->captext) {
        while (b->ntext + n + 1 > b->captext) b->captext = b->captext ? b->captext * 2 : BATCH_TEXT;
        b->text = ls_xrealloc(b->text, b->captext);
    }
    size_t at = b->ntext;
    if (n) memcpy(b->text + at, t, n);
    b->text[at + n] = '\0';
    b->ntext += n + 1;
    return at;
}

static const unsigned char *event_anchor(const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_ALIAS_EVENT: return ev->data.alias.anchor;
    case YAML_SCALAR_EVENT: return ev->data.scalar.anchor;
    case YAML_SEQUENCE_START_EVENT: return ev->data.sequence_start.anchor;
    case YAML_MAPPING_START_EVENT: return ev->data.mapping_start.anchor;
    default: return NULL;
    }
}

/* The parsing thread: fills the free batches in turn until the stream
 * ends, the parser fails, or the reader stops. */
static void *parse_main(void *arg)
{
    ysource *s = arg;
    for (int last = 0; !last;) {
        pthread_mutex_lock(&s->mu);
        while (!s->stop && s->produced - s->consumed >= NBATCHES - 1) pthread_cond_wait(&s->cv, &s->mu);
        int stop = s->stop;
        pthread_mutex_unlock(&s->mu);
        if (stop) break;
        /* free: neither waiting to be read nor being read (cur) */
        batch *b = &s->b[s->produced % NBATCHES];
        b->n = b->ntext = 0;
        b->last = b->failed = 0;
        while (b->n < BATCH_EVENTS && b->ntext < BATCH_TEXT) {
            yaml_event_t ev;
            if (!yaml_parser_parse(&s->parser, &ev)) {
                b->failed = b->last = 1;
                fail_of(&s->parser, &b->fail);
                break;
            }
            bev *e = &b->ev[b->n++];
            e->type = ev.type;
            e->line = (int)ev.start_mark.line + 1;
            e->col = (int)ev.start_mark.column + 1;
            e->plain = 0;
            e->value = e->len = 0;
            if (ev.type == YAML_SCALAR_EVENT) {
                e->len = ev.data.scalar.length;
                e->value = batch_text(b, ev.data.scalar.value, e->len);
                e->plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
            }
            const unsigned char *a = event_anchor(&ev);
            e->anchor = a ? batch_text(b, a, strlen((const char *)a)) + 1 : 0;
            b->last = ev.type == YAML_STREAM_END_EVENT;
            yaml_event_delete(&ev);
            if (b->last) break;
        }
        last = b->last;
        source_drop(s);
        pthread_mutex_lock(&s->mu);
        s->produced++;
        pthread_cond_broadcast(&s->cv);
        pthread_mutex_unlock(&s->mu);
    }
    return NULL;
}

/* Start reading buf; 0, or -1 when libyaml cannot start (out of memory). */
static int source_open(ysource *s, const char *buf, size_t len, ymap *map)
{
    memset(s, 0, sizeof *s);
    s->map = map;
    if (!yaml_parser_initialize(&s->parser)) return -1;
    yaml_parser_set_input_string(&s->parser, (const unsigned char *)buf, len);
    if (len < BIG_FILE) return 0;
    for (int i = 0; i < NBATCHES; i++) s->b[i].ev = ls_xmalloc(BATCH_EVENTS * sizeof *s->b[i].ev);
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    s->threaded = pthread_create(&s->thread, NULL, parse_main, s) == 0;
    if (!s->threaded) { /* no thread: read directly */
        for (int i = 0; i < NBATCHES; i++) free(s->b[i].ev);
        pthread_cond_destroy(&s->cv);
        pthread_mutex_destroy(&s->mu);
    }
    return 0;
}

/* The next event into e; -1 when the parser failed (why in f). */
static int source_next(ysource *s, yev *e, yfail *f)
{
    if (!s->threaded) {
        if (s->have) yaml_event_delete(&s->ev);
        s->have = 0;
        if (!yaml_parser_parse(&s->parser, &s->ev)) {
            fail_of(&s->parser, f);
            return -1;
        }
        s->have = 1;
        if (s->map) source_drop(s);
        const yaml_event_t *ev = &s->ev;
        e->type = ev->type;
        e->line = (int)ev->start_mark.line + 1;
        e->col = (int)ev->start_mark.column + 1;
        e->value = ev->type == YAML_SCALAR_EVENT ? (const char *)ev->data.scalar.value : NULL;
        e->len = ev->type == YAML_SCALAR_EVENT ? ev->data.scalar.length : 0;
        e->plain = ev->type == YAML_SCALAR_EVENT && ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        e->anchor = (const char *)event_anchor(ev);
        return 0;
    }
    if (!s->cur || s->pos == s->cur->n) {
        if (s->cur && s->cur->failed) {
            *f = s->cur->fail;
            return -1;
        }
        pthread_mutex_lock(&s->mu);
        /* the batch read to its end is free again */
        while (s->produced == s->consumed) pthread_cond_wait(&s->cv, &s->mu);
        s->cur = &s->b[s->consumed % NBATCHES];
        s->consumed++;
        pthread_cond_broadcast(&s->cv);
        pthread_mutex_unlock(&s->mu);
        s->pos = 0;
        if (s->cur->n == 0 && s->cur->failed) {
            *f = s->cur->fail;
            return -1;
        }
    }
    const batch *b = s->cur;
    const bev *be = &b->ev[s->pos++];
    e->type = be->type;
    e->line = be->line;
    e->col = be->col;
    e->value = be->type == YAML_SCALAR_EVENT ? b->text + be->value : NULL;
    e->len = be->len;
    e->plain = be->plain;
    e->anchor = be->anchor ? b->text + be->anchor - 1 : NULL;
    return 0;
}

static void source_close(ysource *s)
{
    if (s->threaded) {
        pthread_mutex_lock(&s->mu);
        s->stop = 1;
        pthread_cond_broadcast(&s->cv);
        pthread_mutex_unlock(&s->mu);
        pthread_join(s->thread, NULL);
        for (int i = 0; i < NBATCHES; i++) {
            free(s->b[i].ev);
            free(s->b[i].text);
        }
        pthread_cond_destroy(&s->cv);
        pthread_mutex_destroy(&s->mu);
    } else if (s->have) {
        yaml_event_delete(&s->ev);
    }
    yaml_parser_delete(&s->parser);
}

static int load_buffer(ls_ydoc *doc, const char *path, const char *buf, size_t len,
                       ystream *st, ymap *map, ls_errors *err)
{
    ls_arena_init(&doc->arena);
    doc->root = NULL;
    doc->path = ls_arena_strdup(&doc->arena, path);
    path = doc->path;
    if (prescan(path, buf, len, map, err)) return -1;

    ysource src;
    yev ev;
    yfail fail;
    if (source_open(&src, buf, len, map)) return ls_errorf(err, path, 0, 0, "out of memory");

    frame stack[LS_YAML_MAX_DEPTH + 1];
    int depth = 0, rc = 0, done = 0, ndocs = 0;
    memset(stack, 0, sizeof stack);
    while (!done) {
        if (source_next(&src, &ev, &fail)) {
            rc = describe_parser_error(path, &fail, buf, len, err);
            break;
        }
        int line = ev.line, col = ev.col;
        ls_ynode *node = NULL;
        const char *anchor = NULL;
        /* inside the streamed mapping, nodes last as long as their pair */
        ls_arena *A = st && st->level && depth >= st->level ? &st->scratch : &doc->arena;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++ndocs > 1)
                rc = ls_errorf(err, path, line, col,
                               "a second YAML document ('---') in one file: "
                               "give one document per file");
            break;
        case YAML_ALIAS_EVENT:
            rc = ls_errorf(err, path, line, col,
                           "alias '*%s': anchors and aliases are not supported; "
                           "write the value out",
                           ev.anchor);
            break;
        case YAML_SCALAR_EVENT:
            anchor = ev.anchor;
            /* A "\0" escape would cut the text short where C sees it:
             * "兼管\0x" would pass as 兼管. */
            if (memchr(ev.value, '\0', ev.len)) {
                rc = ls_errorf(err, path, line, col,
                               "a NUL character (\\0) in a value: remove it");
                break;
            }
            node = ls_arena_alloc(A, sizeof *node);
            node->kind = LS_YSCALAR;
            node->str = ls_arena_strndup(A, ev.value, ev.len);
            node->len = ev.len;
            node->plain = ev.plain;
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            anchor = ev.anchor;
            node = ls_arena_alloc(A, sizeof *node);
            node->kind = ev.type == YAML_SEQUENCE_START_EVENT ? LS_YSEQ : LS_YMAP;
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT: {
            frame *f = &stack[--depth];
            if (st && st->level && depth == st->level - 1) {
                if (stream_end(doc, st, f, err)) rc = -1;
            } else {
                if (finish_node(doc, st && st->level && depth >= st->level ? &st->scratch : &doc->arena, f, err))
                    rc = -1;
                /* a value of the streamed mapping is complete */
                if (!rc && st && st->level && depth == st->level) stream_pair(st, f->node);
            }
            node = NULL;
            if (depth == 0) doc->root = f->node;
            break;
        }
        default:
            break;
        }
        if (!rc && anchor)
            rc = ls_errorf(err, path, line, col,
                           "anchor '&%s': anchors and aliases are not supported; "
                           "write the value out",
                           anchor);
        if (!rc && node) {
            node->line = line;
            node->col = col;
            if (depth > 0) {
                frame *parent = &stack[depth - 1];
                if (parent->node->kind == LS_YMAP && parent->n % 2 == 0 &&
                    node->kind != LS_YSCALAR) {
                    rc = ls_errorf(err, path, line, col,
                                   "mapping keys must be plain text, found %s",
                                   node->kind == LS_YMAP ? _("a mapping") : _("a list"));
                } else if (st && st->level && depth == st->level) {
                    /* a pair of the streamed mapping: not kept in it */
                    if (parent->n++ % 2 == 0) stream_key(doc, st, node);
                    else if (node->kind == LS_YSCALAR) {
                        stream_pair(st, node);
                        node = NULL; /* gone with its pair */
                    }
                } else {
                    frame_push_child(parent, node);
                    /* the root's `key`, given as a mapping: streamed */
                    if (st && !st->done && depth == 1 && parent->node->kind == LS_YMAP &&
                        parent->n % 2 == 0 && node->kind == LS_YMAP &&
                        !strcmp(parent->tmp[parent->n - 2]->str, st->key)) {
                        st->done = 1;
                        st->level = 2;
                    }
                }
            } else if (node->kind == LS_YSCALAR) {
                doc->root = node;
            }
            if (!rc && node && node->kind != LS_YSCALAR) {
                if (depth == LS_YAML_MAX_DEPTH)
                    rc = ls_errorf(err, path, line, col,
                                   "nesting deeper than %d levels", LS_YAML_MAX_DEPTH);
                else { /* the frame's buffer of children is reused, not freed, from node to node */
                    stack[depth].node = node;
                    stack[depth++].n = 0;
                }
            }
        }
        if (rc) break;
    }
    for (int i = 0; i <= LS_YAML_MAX_DEPTH; i++) free(stack[i].tmp);
    source_close(&src);
    if (st) {
        ls_arena_cleanup(&st->scratch);
        free(st->keys);
    }
    if (rc) {
        doc->root = NULL;
        return -1;
    }
    if (!doc->root || (doc->root->kind == LS_YSCALAR && ls_ynode_is_null(doc->root))) {
        doc->root = NULL;
        return ls_errorf(err, path, 0, 0, "file is empty: expected a YAML mapping");
    }
    return 0;
}

int ls_yaml_load_buffer(ls_ydoc *doc, const char *path, const char *buf, size_t len, ls_errors *err)
{
    return load_buffer(doc, path, buf, len, NULL, NULL, err);
}

/* A regular file of BIG_FILE bytes or more, mapped read-only (m->base
 * NULL: not mapped; read it instead). */
static void map_file(const char *path, ymap *m)
{
    memset(m, 0, sizeof *m);
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return;
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= (off_t)BIG_FILE) {
        void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p != MAP_FAILED) {
            madvise(p, (size_t)st.st_size, MADV_SEQUENTIAL);
            m->base = p;
            m->len = (size_t)st.st_size;
        }
    }
    close(fd);
}

/* Read path into memory, then load it with st (NULL: the whole tree). */
static int load_file(ls_ydoc *doc, const char *path, ystream *st, ls_errors *err)
{
    ymap m;
    map_file(path, &m);
    if (m.base) {
        int rc = load_buffer(doc, path, m.base, m.len, st, &m, err);
        munmap((void *)m.base, m.len);
        return rc;
    }
    size_t len;
    char *buf = ls_read_file(path, &len);
    if (!buf) {
        ls_arena_init(&doc->arena);
        doc->root = NULL;
        doc->path = NULL;
        return ls_errorf(err, path, 0, 0, "cannot read file: %s", ls_read_strerror(errno));
    }
    int rc = load_buffer(doc, path, buf, len, st, NULL, err);
    free(buf);
    return rc;
}

int ls_yaml_load(ls_ydoc *doc, const char *path, ls_errors *err) { return load_file(doc, path, NULL, err); }

int ls_yaml_load_each(ls_ydoc *doc, const char *path, const char *key, ls_yeach each, void *ctx,
                      ls_errors *err)
{
    ystream st;
    memset(&st, 0, sizeof st);
    ls_arena_init(&st.scratch);
    st.key = key;
    st.each = each;
    st.ctx = ctx;
    return load_file(doc, path, &st, err);
}

void ls_yaml_cleanup(ls_ydoc *doc)
{
    if (!doc) return;
    ls_arena_cleanup(&doc->arena);
    doc->root = NULL;
}

ls_ynode *ls_ymap_get(const ls_ynode *map, const char *key)
{
    if (!map || map->kind != LS_YMAP) return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (!strcmp(map->items[2 * i]->str, key)) return map->items[2 * i + 1];
    return NULL;
}

int ls_ynode_is_null(const ls_ynode *n)
{
    if (!n) return 1;
    if (n->kind != LS_YSCALAR || !n->plain) return 0;
    return !strcmp(n->str, "") || !strcmp(n->str, "~") || !strcmp(n->str, "null") ||
           !strcmp(n->str, "Null") || !strcmp(n->str, "NULL");
}

const char *ls_ynode_describe(const ls_ynode *n, char *buf, size_t size)
{
    if (!n || ls_ynode_is_null(n)) snprintf(buf, size, "%s", _("nothing"));
    else if (n->kind == LS_YMAP) snprintf(buf, size, "%s", _("a mapping"));
    else if (n->kind == LS_YSEQ) snprintf(buf, size, "%s", _("a list"));
    else {
        char ex[96];
        ls_excerpt(n->str, 60, ex, sizeof ex);
        if (n->plain) snprintf(buf, size, "'%s'", ex);
        else snprintf(buf, size, _("the quoted string \"%s\""), ex);
        ls_utf8_fix_tail(buf);
    }
    return buf;
}
