/*
 * ls_xlsx.c - .xlsx sheets into input tables (see ls_xlsx.h).
 *
 * Parts read: xl/workbook.xml (sheet names and order, the 1904 date
 * system), xl/_rels/workbook.xml.rels (where each sheet is),
 * xl/sharedStrings.xml, xl/styles.xml (number formats of cell styles) and
 * each worksheet.  Element names are compared without their namespace
 * prefix (some writers use "x:c").
 */
#include "ls_xlsx.h"

#include <expat.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "ls_util.h"

typedef struct sheetref {
    char *name, *rid, *target;
} sheetref;

typedef struct xlsx {
    zip_t *z;
    const char *path;
    ls_inbook *b;
    ls_errors *err;
    int date1904;
    /* workbook */
    sheetref *sheets;
    size_t nsheets, capsheets;
    /* shared strings */
    char **sst;
    size_t nsst, capsst;
    /* styles: the kind of each cell style (cellXfs) */
    int *xf_kind;
    size_t nxf, capxf;
    int *fmt_id; /* custom number formats: id, code */
    char **fmt_code;
    size_t nfmt, capfmt, capfmtc;
    /* parse state */
    ls_buf text;    /* character data being collected */
    int collect;    /* inside an element whose text is wanted */
    int depth_skip; /* inside <rPh> (phonetic runs): ignored */
    int in_xfs;     /* inside <cellXfs> */
    int in_si;
    ls_intable *t; /* the sheet being read */
    int row, col;  /* current cell */
    char ctype[16];
    int cstyle;
    int has_v;
    int has_f; /* the cell has a formula (<f>) */
    int rc;
    XML_Parser xp;
} xlsx;

static const char *local(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

static const char *attr(const char **a, const char *name)
{
    for (; a && a[0]; a += 2)
        if (!strcmp(local(a[0]), name)) return a[1];
    return NULL;
}

static void on_chars(void *ud, const XML_Char *s, int len)
{
    xlsx *x = ud;
    if (x->collect && !x->depth_skip) ls_buf_add(&x->text, s, (size_t)len);
}

/* Feed one part of the zip to a parser with the given handlers.  A
 * missing part returns 1 (callers decide whether it is needed). */
static int parse_part(xlsx *x, const char *name, XML_StartElementHandler start,
                      XML_EndElementHandler end)
{
    zip_file_t *f = zip_fopen(x->z, name, 0);
    if (!f) return 1;
    XML_Parser p = XML_ParserCreate("UTF-8");
    x->xp = p;
    XML_SetUserData(p, x);
    XML_SetElementHandler(p, start, end);
    XML_SetCharacterDataHandler(p, on_chars);
    char buf[65536];
    int rc = 0;
    for (;;) {
        zip_int64_t n = zip_fread(f, buf, sizeof buf);
        if (n < 0) {
            rc = ls_errorf(x->err, x->path, 0, 0, "cannot read %s from the workbook: %s", name,
                           zip_strerror(x->z));
            break;
        }
        if (XML_Parse(p, buf, (int)n, n == 0) == XML_STATUS_ERROR) {
            rc = ls_errorf(x->err, x->path, 0, 0, "damaged workbook: %s line %lu: %s", name,
                           (unsigned long)XML_GetCurrentLineNumber(p), XML_ErrorString(XML_GetErrorCode(p)));
            break;
        }
        if (n == 0 || x->rc) break;
    }
    XML_ParserFree(p);
    zip_fclose(f);
    x->xp = NULL;
    return rc || x->rc ? -1 : 0;
}

static void text_reset(xlsx *x)
{
    x->text.n = 0;
    if (x->text.p) x->text.p[0] = '\0';
}

/* ---- workbook and its relations ---- */

static void wb_start(void *ud, const XML_Char *el, const XML_Char **a)
{
    xlsx *x = ud;
    const char *n = local(el);
    if (!strcmp(n, "sheet")) {
        const char *name = attr(a, "name"), *rid = attr(a, "id");
        if (!name || !rid) return;
        LS_GROW(x->sheets, x->nsheets, x->capsheets, 8);
        x->sheets[x->nsheets++] = (sheetref){ls_xstrdup(name), ls_xstrdup(rid), NULL};
    } else if (!strcmp(n, "workbookPr")) {
        const char *d = attr(a, "date1904");
        x->date1904 = d && (!strcmp(d, "1") || !strcmp(d, "true"));
    }
}

static void rels_start(void *ud, const XML_Char *el, const XML_Char **a)
{
    xlsx *x = ud;
    if (strcmp(local(el), "Relationship")) return;
    const char *id = attr(a, "Id"), *target = attr(a, "Target"), *type = attr(a, "Type");
    if (!id || !target) return;
    for (size_t i = 0; i < x->nsheets; i++)
        if (!strcmp(x->sheets[i].rid, id) && !x->sheets[i].target) {
            if (type && !strstr(type, "/worksheet")) return; /* chart sheet */
            x->sheets[i].target = target[0] == '/' ? ls_xstrdup(target + 1) : ls_format("xl/%s", target);
        }
}

static void no_end(void *ud, const XML_Char *el)
{
    (void)ud;
    (void)el;
}

/* ---- shared strings ---- */

static void sst_start(void *ud, const XML_Char *el, const XML_Char **a)
{
    xlsx *x = ud;
    const char *n = local(el);
    (void)a;
    if (!strcmp(n, "si")) {
        x->in_si = 1;
        text_reset(x);
    } else if (!strcmp(n, "rPh")) x->depth_skip++;
    else if (!strcmp(n, "t") && x->in_si) x->collect = 1;
}

static void sst_end(void *ud, const XML_Char *el)
{
    xlsx *x = ud;
    const char *n = local(el);
    if (!strcmp(n, "t")) x->collect = 0;
    else if (!strcmp(n, "rPh")) x->depth_skip--;
    else if (!strcmp(n, "si")) {
        LS_GROW(x->sst, x->nsst, x->capsst, 256);
        x->sst[x->nsst++] = ls_xstrndup(x->text.p ? x->text.p : "", x->text.n);
        x->in_si = 0;
    }
}

/* ---- styles ---- */

static void sty_start(void *ud, const XML_Char *el, const XML_Char **a)
{
    xlsx *x = ud;
    const char *n = local(el);
    if (!strcmp(n, "numFmt")) {
        const char *id = attr(a, "numFmtId"), *code = attr(a, "formatCode");
        if (!id || !code) return;
        LS_GROW(x->fmt_id, x->nfmt, x->capfmt, 16);
        LS_GROW(x->fmt_code, x->nfmt, x->capfmtc, 16);
        x->fmt_id[x->nfmt] = atoi(id);
        x->fmt_code[x->nfmt++] = ls_xstrdup(code);
    } else if (!strcmp(n, "cellXfs")) {
        x->in_xfs = 1;
    } else if (!strcmp(n, "xf") && x->in_xfs) {
        const char *id = attr(a, "numFmtId");
        int fid = id ? atoi(id) : 0;
        const char *code = NULL;
        for (size_t i = 0; i < x->nfmt; i++)
            if (x->fmt_id[i] == fid) code = x->fmt_code[i];
        LS_GROW(x->xf_kind, x->nxf, x->capxf, 32);
        x->xf_kind[x->nxf++] = ls_numfmt_kind(fid, code);
    }
}

static void sty_end(void *ud, const XML_Char *el)
{
    xlsx *x = ud;
    if (!strcmp(local(el), "cellXfs")) x->in_xfs = 0;
}

/* ---- a worksheet ---- */

/* "C7" -> row 7, column 3; 0 on a malformed reference. */
static int cell_ref(const char *r, int *row, int *col)
{
    int c = 0, n = 0;
    while (*r >= 'A' && *r <= 'Z' && c <= 16384) c = c * 26 + (*r++ - 'A' + 1);
    while (*r >= '0' && *r <= '9' && n <= 1048576) n = n * 10 + (*r++ - '0');
    if (*r || c < 1 || c > 16384 || n < 1 || n > 1048576) return 0;
    *row = n;
    *col = c;
    return 1;
}

static void ws_start(void *ud, const XML_Char *el, const XML_Char **a)
{
    xlsx *x = ud;
    const char *n = local(el);
    if (!strcmp(n, "row")) {
        const char *r = attr(a, "r");
        int rn = r ? atoi(r) : x->row + 1;
        x->row = rn > 0 && rn <= 1048576 ? rn : x->row + 1;
        x->col = 0;
    } else if (!strcmp(n, "c")) {
        const char *r = attr(a, "r"), *t = attr(a, "t"), *s = attr(a, "s");
        int row = x->row, col = x->col + 1;
        if ((r && !cell_ref(r, &row, &col)) || (!r && col > 16384)) {
            x->rc = ls_errorf(x->err, x->t->path, 0, 0, "damaged sheet: bad cell reference '%.20s'", r ? r : "(beyond column XFD)");
            XML_StopParser(x->xp, XML_FALSE);
            return;
        }
        x->col = col;
        if (row != x->row) x->row = row;
        snprintf(x->ctype, sizeof x->ctype, "%s", t ? t : "n");
        x->cstyle = s ? atoi(s) : 0;
        x->has_v = 0;
        x->has_f = 0;
        text_reset(x);
    } else if (!strcmp(n, "v") || (!strcmp(n, "t") && !strcmp(x->ctype, "inlineStr"))) {
        x->collect = 1;
        x->has_v = 1;
    } else if (!strcmp(n, "f")) {
        x->has_f = 1;
    } else if (!strcmp(n, "rPh")) {
        x->depth_skip++;
    }
}

static void ws_end(void *ud, const XML_Char *el)
{
    xlsx *x = ud;
    const char *n = local(el);
    if (!strcmp(n, "v") || !strcmp(n, "t")) {
        x->collect = 0;
        return;
    }
    if (!strcmp(n, "rPh")) {
        x->depth_skip--;
        return;
    }
    if (strcmp(n, "c") || !x->has_v) return;
    const char *v = x->text.p ? x->text.p : "";
    size_t len = x->text.n;
    const char *ty = x->ctype;
    ls_inkind kind = LS_IN_TEXT;
    char buf[32];
    if (!strcmp(ty, "s")) {
        char *end;
        long i = strtol(v, &end, 10);
        if (*end || i < 0 || (size_t)i >= x->nsst) {
            x->rc = ls_errorf(x->err, x->t->path, x->row, -x->col,
                              "damaged sheet: shared string %.20s does not exist", v);
            XML_StopParser(x->xp, XML_FALSE);
            return;
        }
        v = x->sst[i];
        len = strlen(v);
    } else if (!strcmp(ty, "b")) {
        kind = LS_IN_BOOL;
        v = strcmp(v, "0") ? "true" : "false";
        len = strlen(v);
    } else if (!strcmp(ty, "e")) {
        kind = LS_IN_ERROR;
    } else if (!strcmp(ty, "d")) {
        kind = LS_IN_DATE;
        if (len > 10) len = 10; /* 2017-03-01T00:00:00 */
    } else if (!strcmp(ty, "n")) {
        kind = x->cstyle >= 0 && (size_t)x->cstyle < x->nxf ? (ls_inkind)x->xf_kind[x->cstyle] : LS_IN_NUMBER;
        if (kind == LS_IN_DATE) {
            v = ls_serial_date(strtod(v, NULL), x->date1904, buf);
            len = strlen(v);
        }
    }
    /* "str" (a formula's text) and "inlineStr" are text */
    ls_intable_put(x->b, x->t, x->row, -x->col, kind, v, len)->formula = (unsigned char)x->has_f;
}

static void cleanup(xlsx *x)
{
    for (size_t i = 0; i < x->nsheets; i++) {
        free(x->sheets[i].name);
        free(x->sheets[i].rid);
        free(x->sheets[i].target);
    }
    free(x->sheets);
    for (size_t i = 0; i < x->nsst; i++) free(x->sst[i]);
    free(x->sst);
    free(x->xf_kind);
    for (size_t i = 0; i < x->nfmt; i++) free(x->fmt_code[i]);
    free(x->fmt_id);
    free(x->fmt_code);
    ls_buf_cleanup(&x->text);
    if (x->z) zip_discard(x->z);
}

int ls_xlsx_load(ls_inbook *b, const char *path, ls_errors *err)
{
    xlsx x = {.path = path, .b = b, .err = err};
    ls_buf_init(&x.text);
    int ze = 0, rc = 0;
    x.z = zip_open(path, ZIP_RDONLY, &ze);
    if (!x.z) {
        zip_error_t e;
        zip_error_init_with_code(&e, ze);
        rc = ls_errorf(err, path, 0, 0, "cannot read the workbook: %s", zip_error_strerror(&e));
        zip_error_fini(&e);
        goto out;
    }
    int r = parse_part(&x, "xl/workbook.xml", wb_start, no_end);
    if (r == 1) {
        rc = ls_errorf(err, path, 0, 0, "not an .xlsx workbook (a zip without xl/workbook.xml)");
        goto out;
    }
    if (r < 0 || parse_part(&x, "xl/_rels/workbook.xml.rels", rels_start, no_end) < 0 ||
        parse_part(&x, "xl/sharedStrings.xml", sst_start, sst_end) < 0 ||
        parse_part(&x, "xl/styles.xml", sty_start, sty_end) < 0) {
        rc = -1;
        goto out;
    }
    for (size_t i = 0; i < x.nsheets; i++) {
        if (!x.sheets[i].target) continue;
        if (b->only && strcmp(b->only, x.sheets[i].name)) {
            ls_inbook_add(b, path, x.sheets[i].name); /* listed, not read */
            continue;
        }
        x.t = ls_inbook_add(b, path, x.sheets[i].name);
        x.row = 0;
        r = parse_part(&x, x.sheets[i].target, ws_start, ws_end);
        if (r == 1) rc = ls_errorf(err, x.t->path, 0, 0, "damaged workbook: the sheet's part %s is missing",
                                   x.sheets[i].target);
        else if (r < 0) rc = -1;
        if (rc) goto out;
    }
out:
    cleanup(&x);
    return rc;
}
