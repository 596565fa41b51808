/*
 * ls_xls.c - .xls sheets into input tables (see ls_xls.h).
 */
#include "ls_xls.h"

#include <errno.h>
#include <freexl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ls_util.h"

/* ---- percent cells --------------------------------------------------------
 * FreeXL tells dates but not which numbers are shown as percentages, and
 * Excel stores 95% as 0.95.  So the workbook stream is scanned here for
 * the cell formats: the OLE2 compound file is followed to the "Workbook"
 * stream, whose FORMAT and XF records give each cell style's number
 * format, and each sheet's NUMBER, RK, MULRK and FORMULA records the
 * style of each numeric cell.  A file this scan cannot follow loses only
 * the percent detection (a bare 0.95 is then warned about). */

typedef struct pct_cell {
    unsigned sheet, row, col;
} pct_cell;

typedef struct pct_set {
    pct_cell *v;
    size_t n, cap;
} pct_set;

static unsigned u16(const unsigned char *p) { return (unsigned)p[0] | (unsigned)p[1] << 8; }
static unsigned long u32(const unsigned char *p)
{
    return (unsigned long)p[0] | (unsigned long)p[1] << 8 | (unsigned long)p[2] << 16 | (unsigned long)p[3] << 24;
}

typedef struct cfb {
    const unsigned char *buf;
    size_t len, ss; /* sector size */
    unsigned long *fat;
    size_t nfat;
} cfb;

/* The bytes of a chain of sectors (of size ss, in `base`, table `tab`)
 * from `start`; at most `want` bytes (0: the whole chain).  NULL when the
 * chain leaves the file or loops. */
static unsigned char *chain(const unsigned char *base, size_t baselen, size_t ss, size_t hdr,
                            const unsigned long *tab, size_t ntab, unsigned long start, size_t want,
                            size_t *outlen)
{
    size_t cap = 0, n = 0, steps = 0;
    unsigned char *out = NULL;
    for (unsigned long sct = start; sct < 0xFFFFFFFAUL; sct = tab[sct]) {
        size_t off = hdr + (size_t)sct * ss;
        if (sct >= ntab || off + ss > baselen || ++steps > ntab) {
            free(out);
            return NULL;
        }
        if (n + ss > cap) out = ls_xrealloc(out, cap = cap ? 2 * cap + ss : 8 * ss);
        memcpy(out + n, base + off, ss);
        n += ss;
        if (want && n >= want) break;
    }
    if (want && n < want) {
        free(out);
        return NULL;
    }
    *outlen = want ? want : n;
    return out;
}

static unsigned char *workbook_stream(const unsigned char *b, size_t len, size_t *wlen)
{
    if (len < 512 || memcmp(b, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) return NULL;
    unsigned shift = u16(b + 0x1E), mshift = u16(b + 0x20);
    if (shift < 7 || shift > 16 || mshift > shift) return NULL;
    size_t ss = (size_t)1 << shift, mss = (size_t)1 << mshift;
    size_t hdr = ss; /* sector 0 starts after the header sector */
    unsigned long nfatsec = u32(b + 0x2C), dir = u32(b + 0x30), cutoff = u32(b + 0x38);
    unsigned long minifat = u32(b + 0x3C), difat = u32(b + 0x48 - 4), ndifat = u32(b + 0x48);
    size_t nsect = len / ss + 1;
    if (nfatsec > nsect) return NULL;
    /* the FAT's sectors: 109 in the header, then the DIFAT chain */
    unsigned long *fatsec = ls_xcalloc(nfatsec + 1, sizeof *fatsec);
    size_t k = 0;
    for (size_t i = 0; i < 109 && k < nfatsec; i++) fatsec[k++] = u32(b + 0x4C + 4 * i);
    for (unsigned long d = difat, c = 0; k < nfatsec && d < 0xFFFFFFFAUL && c <= ndifat; c++) {
        size_t off = hdr + (size_t)d * ss;
        if (off + ss > len) break;
        for (size_t i = 0; i < ss / 4 - 1 && k < nfatsec; i++) fatsec[k++] = u32(b + off + 4 * i);
        d = u32(b + off + ss - 4);
    }
    size_t ntab = nfatsec * (ss / 4);
    unsigned long *fat = ls_xcalloc(ntab + 1, sizeof *fat);
    unsigned char *out = NULL, *dirs = NULL, *mini = NULL, *mfat = NULL;
    unsigned long *mtab = NULL;
    for (size_t i = 0; i < k; i++) {
        size_t off = hdr + (size_t)fatsec[i] * ss;
        if (off + ss > len) goto out;
        for (size_t j = 0; j < ss / 4; j++) fat[i * (ss / 4) + j] = u32(b + off + 4 * j);
    }
    size_t dlen;
    if (!(dirs = chain(b, len, ss, hdr, fat, ntab, dir, 0, &dlen))) goto out;
    const unsigned char *root = dirs, *wb = NULL;
    for (size_t e = 0; e + 128 <= dlen; e += 128) {
        const unsigned char *d = dirs + e;
        unsigned nl = u16(d + 0x40);
        if (d[0x42] != 2 || nl > 64) continue;
        char name[33] = {0};
        for (unsigned i = 0; i + 1 < nl / 2 && i < 32; i++) name[i] = d[2 * i + 1] ? '?' : (char)d[2 * i];
        if (!strcmp(name, "Workbook") || !strcmp(name, "Book")) {
            wb = d;
            break;
        }
    }
    if (!wb) goto out;
    unsigned long start = u32(wb + 0x74), size = u32(wb + 0x78);
    if (size >= cutoff) {
        out = chain(b, len, ss, hdr, fat, ntab, start, size, wlen);
    } else {
        size_t mlen, mflen;
        if (!(mini = chain(b, len, ss, hdr, fat, ntab, u32(root + 0x74), u32(root + 0x78), &mlen))) goto out;
        if (!(mfat = chain(b, len, ss, hdr, fat, ntab, minifat, 0, &mflen))) goto out;
        size_t nm = mflen / 4;
        mtab = ls_xcalloc(nm + 1, sizeof *mtab);
        for (size_t i = 0; i < nm; i++) mtab[i] = u32(mfat + 4 * i);
        out = chain(mini, mlen, mss, 0, mtab, nm, start, size, wlen);
    }
out:
    free(fatsec);
    free(fat);
    free(dirs);
    free(mini);
    free(mfat);
    free(mtab);
    return out;
}

static void pct_add(pct_set *p, unsigned sheet, unsigned row, unsigned col)
{
    LS_GROW(p->v, p->n, p->cap, 16);
    p->v[p->n++] = (pct_cell){sheet, row, col};
}

static int pct_cmp(const void *a, const void *b)
{
    const pct_cell *x = a, *y = b;
    if (x->sheet != y->sheet) return x->sheet < y->sheet ? -1 : 1;
    if (x->row != y->row) return x->row < y->row ? -1 : 1;
    return x->col < y->col ? -1 : x->col > y->col;
}

static int pct_has(const pct_set *p, unsigned sheet, unsigned row, unsigned col)
{
    pct_cell key = {sheet, row, col};
    return p->n && bsearch(&key, p->v, p->n, sizeof key, pct_cmp) != NULL;
}

/* The numeric cells of every sheet whose style shows a percentage. */
static void find_percent_cells(const char *path, pct_set *pct)
{
    size_t flen, wlen;
    unsigned char *file = (unsigned char *)ls_read_file(path, &flen);
    if (!file) return;
    unsigned char *w = workbook_stream(file, flen, &wlen);
    free(file);
    if (!w) return;
    int *fmt_ids = NULL;
    char **fmt_codes = NULL;
    size_t nfmt = 0, capf = 0, capc = 0;
    unsigned char *xf = NULL; /* per XF: 1 when a percent */
    size_t nxf = 0, capx = 0;
    unsigned long *sheets = NULL;
    size_t nsheets = 0, caps = 0;
    /* the workbook globals, up to their EOF */
    size_t pos = 0;
    while (pos + 4 <= wlen) {
        unsigned type = u16(w + pos), rl = u16(w + pos + 2);
        const unsigned char *d = w + pos + 4;
        if (pos + 4 + rl > wlen) break;
        pos += 4 + rl;
        if (type == 0x000A) break;
        if (type == 0x041E && rl >= 5) { /* FORMAT */
            unsigned cch = u16(d + 2), high = d[4] & 1;
            char *code = ls_xmalloc(cch + 1);
            size_t n = 0;
            for (unsigned i = 0; i < cch && 5 + (i + 1) * (high + 1) <= rl; i++)
                code[n++] = high ? (d[5 + 2 * i + 1] ? '?' : (char)d[5 + 2 * i]) : (char)d[5 + i];
            code[n] = '\0';
            LS_GROW(fmt_ids, nfmt, capf, 16);
            LS_GROW(fmt_codes, nfmt, capc, 16);
            fmt_ids[nfmt] = (int)u16(d);
            fmt_codes[nfmt++] = code;
        } else if (type == 0x00E0 && rl >= 4) { /* XF */
            int id = (int)u16(d + 2);
            const char *code = NULL;
            for (size_t i = 0; i < nfmt; i++)
                if (fmt_ids[i] == id) code = fmt_codes[i];
            LS_GROW(xf, nxf, capx, 32);
            xf[nxf++] = ls_numfmt_kind(id, code) == LS_IN_PERCENT;
        } else if (type == 0x0085 && rl >= 6) { /* BOUNDSHEET */
            LS_GROW(sheets, nsheets, caps, 8);
            sheets[nsheets++] = u32(d);
        }
    }
#define PCT(ix) ((ix) < nxf && xf[(ix)])
    for (size_t s = 0; s < nsheets; s++) {
        for (pos = sheets[s]; pos + 4 <= wlen;) {
            unsigned type = u16(w + pos), rl = u16(w + pos + 2);
            const unsigned char *d = w + pos + 4;
            if (pos + 4 + rl > wlen) break;
            pos += 4 + rl;
            if (type == 0x000A) break;
            if ((type == 0x0203 || type == 0x027E || type == 0x0006) && rl >= 6) {
                if (PCT(u16(d + 4))) pct_add(pct, (unsigned)s, u16(d), u16(d + 2));
            } else if (type == 0x00BD && rl >= 6) { /* MULRK */
                unsigned row = u16(d), col = u16(d + 2);
                for (size_t off = 4; off + 6 <= rl - 2u; off += 6, col++)
                    if (PCT(u16(d + off))) pct_add(pct, (unsigned)s, row, col);
            }
        }
    }
#undef PCT
    if (pct->n) qsort(pct->v, pct->n, sizeof *pct->v, pct_cmp);
    for (size_t i = 0; i < nfmt; i++) free(fmt_codes[i]);
    free(fmt_codes);
    free(fmt_ids);
    free(xf);
    free(sheets);
    free(w);
}

/* The shortest of %.15g, %.16g, %.17g that reads back as d. */
static const char *shortest(double d, char *buf, size_t n)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, d);
        if (strtod(buf, NULL) == d) break;
    }
    return buf;
}

/* ---- the reader, in a child process ----------------------------------------
 * FreeXL 1.0.6 (Debian 12) reads past its buffers on some malformed files
 * (fuzzing found it inside freexl_open).  So FreeXL runs in a child
 * process, capped in CPU time and memory, and hands the cells back through
 * a pipe as records.  A child that crashes, loops or runs out of memory is
 * reported as a damaged workbook; nothing it did reaches this process but
 * the records, which are read as untrusted bytes.  Records (host byte
 * order: the same program writes and reads them):
 *   'S' str              a worksheet, listed (ls_inbook_add)
 *   'C' row col kind str a cell of the last sheet listed
 *   'D' sev where line col str   a diagnostic; where 0: the file, 1: the
 *                        last sheet listed
 *   'Z'                  the end: the child read the whole workbook
 * where str is a uint32 length and that many bytes. */

void (*ls_xls_child_hook)(FILE *out);

static void put_i32(FILE *f, int32_t v) { fwrite(&v, sizeof v, 1, f); }
static void put_str(FILE *f, const char *s, size_t n)
{
    put_i32(f, (int32_t)n);
    fwrite(s, 1, n, f);
}

static void put_cell(FILE *f, unsigned row, unsigned col, ls_inkind kind, const char *text)
{
    fputc('C', f);
    put_i32(f, (int32_t)row + 1);
    put_i32(f, -(int32_t)col - 1);
    fputc((int)kind, f);
    put_str(f, text, strlen(text));
}

/* In the child: the workbook at path read with FreeXL, as records on out;
 * sheets other than `only` (when given) are listed, not read. */
static void read_book(const char *path, const char *only, FILE *out)
{
    ls_errors err;
    ls_errors_init(&err);
    int where = 0; /* the diagnostics' place: the file, or the sheet being read */
    const void *h = NULL;
    pct_set pct = {0};
    int r = freexl_open(path, &h);
    if (r != FREEXL_OK) {
        ls_errorf(&err, path, 0, 0, "cannot read the .xls workbook (FreeXL error %d): "
                                    "is it damaged or password-protected?",
                  r);
        goto out;
    }
    unsigned int nsheets = 0, pw = 0;
    freexl_get_info(h, FREEXL_BIFF_PASSWORD, &pw);
    if (pw != FREEXL_BIFF_PLAIN) {
        ls_errorf(&err, path, 0, 0, "the .xls workbook is password-protected: save it without a password");
        goto out;
    }
    freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &nsheets);
    find_percent_cells(path, &pct);
    for (unsigned short s = 0; s < nsheets; s++) {
        const char *name = NULL;
        if (freexl_get_worksheet_name(h, s, &name) != FREEXL_OK || !name) continue;
        fputc('S', out);
        put_str(out, name, strlen(name));
        if (only && strcmp(only, name)) continue; /* listed, not read */
        where = 1;
        unsigned int rows = 0;
        unsigned short cols = 0;
        if (freexl_select_active_worksheet(h, s) != FREEXL_OK ||
            freexl_worksheet_dimensions(h, &rows, &cols) != FREEXL_OK) {
            ls_errorf(&err, "", 0, 0, "cannot read the sheet");
            goto out;
        }
        for (unsigned int i = 0; i < rows; i++)
            for (unsigned short j = 0; j < cols; j++) {
                FreeXL_CellValue v;
                if (freexl_get_cell_value(h, i, j, &v) != FREEXL_OK) {
                    ls_errorf(&err, "", (int)i + 1, -(int)j - 1, "cannot read the cell");
                    goto out;
                }
                char buf[64];
                const char *text = NULL;
                ls_inkind kind = LS_IN_NUMBER;
                switch (v.type) {
                case FREEXL_CELL_INT:
                    snprintf(buf, sizeof buf, "%d", v.value.int_value);
                    text = buf;
                    break;
                case FREEXL_CELL_DOUBLE: text = shortest(v.value.double_value, buf, sizeof buf); break;
                case FREEXL_CELL_TEXT:
                case FREEXL_CELL_SST_TEXT:
                    text = v.value.text_value;
                    kind = LS_IN_TEXT;
                    break;
                case FREEXL_CELL_DATE:
                case FREEXL_CELL_DATETIME:
                case FREEXL_CELL_TIME:
                    text = v.value.text_value;
                    kind = LS_IN_DATE;
                    break;
                default: break;
                }
                if (kind == LS_IN_NUMBER && pct_has(&pct, s, i, j)) kind = LS_IN_PERCENT;
                if (text) put_cell(out, i, j, kind, text);
            }
    }
out:
    for (size_t i = 0; i < err.n; i++) {
        const ls_diag *d = &err.v[i];
        fputc('D', out);
        fputc((int)d->sev, out);
        fputc(d->path && !*d->path ? where : 0, out);
        put_i32(out, d->line);
        put_i32(out, d->col);
        put_str(out, d->msg, strlen(d->msg));
    }
    fputc('Z', out);
    free(pct.v);
    if (h) freexl_close(h);
    ls_errors_cleanup(&err);
}

/* The child's caps: CPU seconds, and address space beyond what it starts
 * with (a sheet of 65,536 x 256 cells takes about 400 MB in FreeXL). */
#define XLS_CPU_SECONDS 30
#define XLS_MORE_BYTES ((rlim_t)2 << 30)

static void cap_child(void)
{
    /* the parent's handlers (removing half-written output on SIGINT, the
     * plugin guard) are not the child's: it just dies */
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGFPE, SIGILL,
                               SIGABRT, SIGXCPU, SIGXFSZ, SIGPIPE, SIGALRM};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        signal(sigs[i], SIG_DFL);
    struct rlimit cpu = {XLS_CPU_SECONDS, XLS_CPU_SECONDS + 1};
    setrlimit(RLIMIT_CPU, &cpu);
    unsigned long pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%lu", &pages) != 1) pages = 0;
        fclose(f);
    }
    long psz = sysconf(_SC_PAGESIZE);
    if (pages && psz > 0) {
        struct rlimit as = {(rlim_t)pages * (rlim_t)psz + XLS_MORE_BYTES, 0};
        as.rlim_max = as.rlim_cur;
        setrlimit(RLIMIT_AS, &as);
    }
}

/* All a file descriptor gives until end of file; NULL on a read error. */
static char *read_all(int fd, size_t *len)
{
    size_t n = 0, cap = 0;
    char *buf = NULL;
    for (;;) {
        if (cap - n < 65536) buf = ls_xrealloc(buf, cap = cap ? 2 * cap : 65536);
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            free(buf);
            return NULL;
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    *len = n;
    return buf;
}

typedef struct recs {
    const char *p, *end;
} recs;

static int get_i32(recs *r, int32_t *v)
{
    if ((size_t)(r->end - r->p) < sizeof *v) return -1;
    memcpy(v, r->p, sizeof *v);
    r->p += sizeof *v;
    return 0;
}

static int get_byte(recs *r, int *c)
{
    if (r->p >= r->end) return -1;
    *c = (unsigned char)*r->p++;
    return 0;
}

static int get_str(recs *r, const char **s, size_t *n)
{
    int32_t len;
    if (get_i32(r, &len) || len < 0 || (size_t)len > (size_t)(r->end - r->p)) return -1;
    *s = r->p;
    *n = (size_t)len;
    r->p += len;
    return 0;
}

/* The child's records into b and err.  0, 1 when a diagnostic said error,
 * -1 when the records are not whole (the caller reports that). */
static int apply(ls_inbook *b, const char *path, const char *buf, size_t len, ls_errors *err)
{
    recs r = {buf, buf + len};
    ls_intable *t = NULL;
    int failed = 0;
    for (;;) {
        int c, sev, where, kind;
        int32_t line, col;
        const char *s;
        size_t n;
        if (get_byte(&r, &c)) return -1;
        switch (c) {
        case 'Z': return r.p == r.end ? failed : -1;
        case 'S': {
            if (get_str(&r, &s, &n) || memchr(s, 0, n)) return -1;
            char *name = ls_xmalloc(n + 1);
            memcpy(name, s, n);
            name[n] = 0;
            t = ls_inbook_add(b, path, name);
            free(name);
            break;
        }
        case 'C':
            if (!t || get_i32(&r, &line) || get_i32(&r, &col) || get_byte(&r, &kind) || get_str(&r, &s, &n) ||
                line < 1 || col > -1 || kind > LS_IN_DATE || memchr(s, 0, n))
                return -1;
            ls_intable_put(b, t, line, col, (ls_inkind)kind, s, n);
            break;
        case 'D':
            if (get_byte(&r, &sev) || get_byte(&r, &where) || get_i32(&r, &line) || get_i32(&r, &col) ||
                get_str(&r, &s, &n) || sev > LS_SEV_NOTE || (where && !t))
                return -1;
            ls_errors_add(err, (ls_severity)sev, where ? t->path : path, line, col, s, n);
            failed |= sev == LS_SEV_ERROR;
            break;
        default: return -1;
        }
    }
}

int ls_xls_load(ls_inbook *b, const char *path, ls_errors *err)
{
    int fd[2];
    if (pipe(fd)) return ls_errorf(err, path, 0, 0, "cannot start the .xls reader: %s", strerror(errno));
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(fd[0]);
        close(fd[1]);
        return ls_errorf(err, path, 0, 0, "cannot start the .xls reader: %s", strerror(e));
    }
    if (pid == 0) {
        close(fd[0]);
        cap_child();
        FILE *out = fdopen(fd[1], "wb");
        if (!out) _exit(3);
        if (ls_xls_child_hook)
            ls_xls_child_hook(out);
        else
            read_book(path, b->only, out);
        if (fflush(out) != 0 || ferror(out)) _exit(3);
        /* Done: the child ends by SIGKILL, which runs nothing more (no
         * exit handler, and no leak checker: under valgrind, _exit would
         * report every block the child inherited as leaked). */
        kill(getpid(), SIGKILL);
        _exit(0);
    }
    close(fd[1]);
    size_t len = 0;
    char *buf = read_all(fd[0], &len);
    close(fd[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    int rc = -1;
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU)
        ls_errorf(err, path, 0, 0, "the .xls workbook could not be read: reading it took more than %d s; "
                                   "open it in Excel or WPS and save it as .xlsx",
                  XLS_CPU_SECONDS);
    else if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL)
        ls_errorf(err, path, 0, 0, "the .xls workbook could not be read: its reader failed on it (signal %d), "
                                   "so the file is damaged; open it in Excel or WPS and save it as .xlsx",
                  WTERMSIG(status));
    else if (!buf || (rc = apply(b, path, buf, len, err)) < 0 ||
             !(WIFSIGNALED(status) ? WTERMSIG(status) == SIGKILL : WEXITSTATUS(status) == 0))
        rc = ls_errorf(err, path, 0, 0, "the .xls workbook could not be read: its reader stopped part way, "
                                        "so the file is damaged; open it in Excel or WPS and save it as .xlsx");
    free(buf);
    return rc ? -1 : 0;
}
