/*
 * ls_xls.c - .xls sheets into input tables (see ls_xls.h).
 */
#include "ls_xls.h"

#include <freexl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int ls_xls_load(ls_inbook *b, const char *path, ls_errors *err)
{
    const void *h = NULL;
    int r = freexl_open(path, &h);
    if (r != FREEXL_OK) {
        if (h) freexl_close(h);
        return ls_errorf(err, path, 0, 0, "cannot read the .xls workbook (FreeXL error %d): "
                                          "is it damaged or password-protected?",
                         r);
    }
    int rc = 0;
    unsigned int nsheets = 0, pw = 0;
    pct_set pct = {0};
    freexl_get_info(h, FREEXL_BIFF_PASSWORD, &pw);
    if (pw != FREEXL_BIFF_PLAIN) {
        rc = ls_errorf(err, path, 0, 0, "the .xls workbook is password-protected: save it without a password");
        goto out;
    }
    freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &nsheets);
    find_percent_cells(path, &pct);
    for (unsigned short s = 0; s < nsheets; s++) {
        const char *name = NULL;
        if (freexl_get_worksheet_name(h, s, &name) != FREEXL_OK || !name) continue;
        ls_intable *t = ls_inbook_add(b, path, name);
        if (b->only && strcmp(b->only, name)) continue; /* listed, not read */
        unsigned int rows = 0;
        unsigned short cols = 0;
        if (freexl_select_active_worksheet(h, s) != FREEXL_OK ||
            freexl_worksheet_dimensions(h, &rows, &cols) != FREEXL_OK) {
            rc = ls_errorf(err, t->path, 0, 0, "cannot read the sheet");
            goto out;
        }
        for (unsigned int i = 0; i < rows; i++)
            for (unsigned short j = 0; j < cols; j++) {
                FreeXL_CellValue v;
                if (freexl_get_cell_value(h, i, j, &v) != FREEXL_OK) {
                    rc = ls_errorf(err, t->path, (int)i + 1, -(int)j - 1, "cannot read the cell");
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
                if (text) ls_intable_put(b, t, (int)i + 1, -(int)j - 1, kind, text, strlen(text));
            }
    }
out:
    free(pct.v);
    freexl_close(h);
    return rc;
}
