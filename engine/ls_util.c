/*
 * ls_util.c - memory, string, path, UTF-8 and buffer helpers (see ls_util.h).
 */
#define _XOPEN_SOURCE 700
#include "ls_util.h"

#include "ls_i18n.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static void oom(void)
{
    fputs("lawscore: fatal: out of memory\n", stderr);
    abort();
}

void *ls_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) oom();
    return p;
}

void *ls_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) oom();
    return p;
}

void *ls_xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) oom();
    return p;
}

char *ls_xstrndup(const char *s, size_t n)
{
    char *d = ls_xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

int ls_cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

char *ls_xstrdup(const char *s) { return ls_xstrndup(s, strlen(s)); }

char *ls_vformat(const char *fmt, va_list ap)
{
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (n < 0) n = 0;
    char *s = ls_xmalloc((size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *ls_format(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = ls_vformat(fmt, ap);
    va_end(ap);
    return s;
}

char *ls_read_file(const char *path, size_t *len)
{
    /* Only regular files: a device such as /dev/zero never ends, a FIFO
     * without a writer would block in open() (hence O_NONBLOCK until the
     * check), a directory or a pipe is no input file. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        int saved = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
        close(fd);
        errno = saved;
        return NULL;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        int saved = errno;
        close(fd);
        errno = saved;
        return NULL;
    }
    ls_buf b;
    ls_buf_init(&b);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) ls_buf_add(&b, chunk, n);
    int bad = ferror(f);
    int saved = errno;
    fclose(f);
    if (bad) {
        ls_buf_cleanup(&b);
        errno = saved ? saved : EIO;
        return NULL;
    }
    ls_buf_add(&b, "", 0);
    *len = b.n;
    return b.p;
}

const char *ls_read_strerror(int e)
{
    return e == EINVAL ? _("not a regular file") : strerror(e);
}

char *ls_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return ls_xstrdup(".");
    if (slash == path) return ls_xstrdup("/");
    return ls_xstrndup(path, (size_t)(slash - path));
}

char *ls_path_join(const char *dir, const char *rel)
{
    char *joined = rel[0] == '/' || !dir || !strcmp(dir, ".") ? ls_xstrdup(rel)
                                                              : ls_format("%s/%s", dir, rel);
    int abs = joined[0] == '/';
    char **parts = ls_xmalloc((strlen(joined) / 2 + 2) * sizeof *parts);
    size_t np = 0;
    char *save = NULL;
    for (char *t = strtok_r(joined, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
        if (!strcmp(t, ".")) continue;
        if (!strcmp(t, "..") && np > 0 && strcmp(parts[np - 1], "..")) {
            np--;
            continue;
        }
        if (!strcmp(t, "..") && abs && np == 0) continue;
        parts[np++] = t;
    }
    ls_buf b;
    ls_buf_init(&b);
    if (abs) ls_buf_puts(&b, "/");
    for (size_t i = 0; i < np; i++) {
        if (i) ls_buf_puts(&b, "/");
        ls_buf_puts(&b, parts[i]);
    }
    if (!b.n) ls_buf_puts(&b, ".");
    free(parts);
    free(joined);
    return b.p;
}

/* Decode one UTF-8 sequence; returns its length or 0 when invalid. */
static size_t utf8_decode(const unsigned char *s, size_t len, unsigned *cp)
{
    unsigned c = s[0];
    size_t n;
    unsigned min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        min = 0x80;
        c &= 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        min = 0x800;
        c &= 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        min = 0x10000;
        c &= 0x07;
    } else return 0;
    if (len < n) return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
    *cp = c;
    return n;
}

int ls_utf8_valid(const char *s, size_t len, size_t *bad)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned cp;
        size_t n = utf8_decode(u + i, len - i, &cp);
        if (!n) {
            if (bad) *bad = i;
            return 0;
        }
        i += n;
    }
    return 1;
}

size_t ls_utf8_count(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) n++;
    return n;
}

int ls_utf8_clip(const char *s, int max)
{
    int n = 0;
    while (n < max && s[n]) n++;
    if (s[n] == '\0') return n;
    /* back up to the start of the character that would be cut */
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    return n;
}

const char *ls_excerpt(const char *s, size_t max, char *buf, size_t size)
{
    size_t o = 0, i = 0, len = strlen(s);
    int cut = 0;
    if (size < 8) {
        if (size) buf[0] = '\0';
        return buf;
    }
    while (i < len) {
        char tmp[8];
        size_t in = 1, out;
        unsigned char c = (unsigned char)s[i];
        unsigned cp;
        if (c == '\n') out = (size_t)snprintf(tmp, sizeof tmp, "\\n");
        else if (c == '\t') out = (size_t)snprintf(tmp, sizeof tmp, "\\t");
        else if (c < 0x20 || c == 0x7F) out = (size_t)snprintf(tmp, sizeof tmp, "\\x%02X", c);
        else if (c < 0x80) {
            tmp[0] = (char)c;
            out = 1;
        } else if ((in = utf8_decode((const unsigned char *)s + i, len - i, &cp)) != 0) {
            memcpy(tmp, s + i, in);
            out = in;
        } else {
            in = 1;
            out = (size_t)snprintf(tmp, sizeof tmp, "\\x%02X", c);
        }
        if (i + in > max || o + out + 4 > size) {
            cut = 1;
            break;
        }
        memcpy(buf + o, tmp, out);
        o += out;
        i += in;
    }
    if (cut) {
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o] = '\0';
    return buf;
}

int ls_cell_is_formula(const char *s)
{
    return s && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
                 s[0] == '\r');
}

const char *ls_cell_text(const char *s, char **owned)
{
    *owned = NULL;
    if (!ls_cell_is_formula(s)) return s;
    return *owned = ls_format("'%s", s);
}

void ls_utf8_fix_tail(char *s)
{
    size_t len = strlen(s), start = len;
    while (start > 0 && ((unsigned char)s[start - 1] & 0xC0) == 0x80) start--;
    if (start == 0) return;
    unsigned char lead = (unsigned char)s[start - 1];
    size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3
                                 : lead >= 0xC0   ? 2
                                                  : 1;
    if (len - (start - 1) < need) s[start - 1] = '\0';
}

int ls_display_width(const char *s)
{
    return ls_display_width_n(s, strlen(s));
}

int ls_display_width_n(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    int w = 0;
    while (i < len) {
        unsigned cp;
        size_t n = utf8_decode(u + i, len - i, &cp);
        if (!n) {
            w++;
            i++;
            continue;
        }
        int cw = wcwidth((wchar_t)cp);
        /* Without a UTF-8 locale wcwidth knows only ASCII: fall back to
         * the East Asian wide ranges that matter for Chinese text. */
        if (cw < 0)
            cw = (cp >= 0x1100 && (cp <= 0x115F || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                                   (cp >= 0xAC00 && cp <= 0xD7A3) ||
                                   (cp >= 0xF900 && cp <= 0xFAFF) ||
                                   (cp >= 0xFE30 && cp <= 0xFE4F) ||
                                   (cp >= 0xFF00 && cp <= 0xFF60) ||
                                   (cp >= 0xFFE0 && cp <= 0xFFE6) ||
                                   (cp >= 0x20000 && cp <= 0x3FFFD)))
                     ? 2
                     : 1;
        w += cw;
        i += n;
    }
    return w;
}

size_t ls_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) return (size_t)-1;
    size_t prev[65], cur[65];
    for (size_t j = 0; j <= lb; j++) prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (lb + 1) * sizeof *cur);
    }
    return prev[lb];
}

/* Decode up to 64 code points of s into cp; the count, or -1. */
static int decode_cps(const char *s, unsigned *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    int n = 0;
    while (*p) {
        if (n == 64) return -1;
        unsigned c = *p, need = c < 0x80 ? 0 : c >= 0xF0 ? 3
                                           : c >= 0xE0   ? 2
                                           : c >= 0xC0   ? 1
                                                         : 9;
        if (need == 9) return -1;
        c &= need ? 0x3Fu >> need : 0x7Fu;
        for (unsigned k = 1; k <= need; k++) {
            if ((p[k] & 0xC0) != 0x80) return -1;
            c = c << 6 | (p[k] & 0x3Fu);
        }
        cp[n++] = c;
        p += need + 1;
    }
    return n;
}

size_t ls_edit_distance_cp(const char *a, const char *b)
{
    unsigned ca[64], cb[64];
    int la = decode_cps(a, ca), lb = decode_cps(b, cb);
    if (la < 0 || lb < 0) return (size_t)-1;
    size_t prev[65], cur[65];
    for (int j = 0; j <= lb; j++) prev[j] = (size_t)j;
    for (int i = 1; i <= la; i++) {
        cur[0] = (size_t)i;
        for (int j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (ca[i - 1] != cb[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, ((size_t)lb + 1) * sizeof *cur);
    }
    return prev[lb];
}

void ls_buf_init(ls_buf *b) { memset(b, 0, sizeof *b); }
void ls_buf_cleanup(ls_buf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

void ls_buf_add(ls_buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->n + n + 1) cap *= 2;
        b->p = ls_xrealloc(b->p, cap);
        b->cap = cap;
    }
    if (n) memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

void ls_buf_puts(ls_buf *b, const char *s) { ls_buf_add(b, s, strlen(s)); }

void ls_buf_printf(ls_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = ls_vformat(fmt, ap);
    va_end(ap);
    ls_buf_puts(b, s);
    free(s);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int ls_dir_files(const char *dir, const char *const *exts, char ***files, size_t *n)
{
    *files = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d) return -1;
    size_t cap = 0, dl = strlen(dir);
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *nm = e->d_name;
        if (nm[0] == '.' || !strncmp(nm, "~$", 2)) continue; /* hidden, an Office lock file */
        size_t len = strlen(nm);
        int want = 0;
        for (size_t k = 0; exts[k] && !want; k++) {
            size_t el = strlen(exts[k]);
            want = len > el && !strcasecmp(nm + len - el, exts[k]);
        }
        if (!want) continue;
        LS_GROW(*files, *n, cap, 16);
        (*files)[(*n)++] = ls_format("%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", nm);
    }
    closedir(d);
    if (*n) qsort(*files, *n, sizeof **files, cmp_names);
    return 0;
}

int ls_wrap_lines(const char *s, int width)
{
    if (width < 4) width = 4;
    int lines = 0;
    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        int dw = ls_display_width_n(s, n);
        /* a cell keeps about a character's margin; longer texts wrap at a
         * little less than the width, as words and punctuation do not fill
         * each line */
        lines += dw <= width - 1 ? 1 : (dw + width - 3) / (width - 2);
        s += n + (nl != NULL);
    }
    return lines ? lines : 1;
}
