/*
 * fuzz_common.c - scratch directory, fixtures and result checks shared by
 * the fuzz harnesses (see fuzz_common.h).
 */
#define _XOPEN_SOURCE 700 /* realpath, mkdtemp */
#include "fuzz_common.h"

#include <dirent.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ls_data.h"
#include "ls_scheme.h"
#include "ls_util.h"

#ifndef LS_FUZZ_FIXTURES
#define LS_FUZZ_FIXTURES "tests/fuzz/fixtures"
#endif
#ifndef LS_FUZZ_EXAMPLE_RULES
#define LS_FUZZ_EXAMPLE_RULES "examples/dongfeng-2017/rules"
#endif

/* (sized so that a name appended still fits a PATH_MAX buffer) */
static char scratch[1024];
static char fixtures[2048];

void fz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fuzz check failed: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

int fz_on(const char *name)
{
    const char *p = getenv("LS_FUZZ_IGNORE");
    size_t n = strlen(name);
    while (p && *p) {
        size_t k = strcspn(p, ",");
        if (k == n && !strncmp(p, name, n)) return 0;
        p += k + (p[k] == ',');
    }
    return 1;
}

/* Remove a directory the harness made and what it holds: files, links and
 * (depth > 0) directories of its own making, such as the assembled rules/. */
static void remove_dir(const char *dir, int depth)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            char p[PATH_MAX];
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            if (unlink(p) != 0 && depth > 0) remove_dir(p, depth - 1);
        }
        closedir(d);
    }
    rmdir(dir);
}

static void remove_scratch(void)
{
    if (!scratch[0]) return;
    remove_dir(scratch, 1);
    scratch[0] = '\0';
}

/* Copy a rule file: a scheme may not name files through symbolic links
 * that lead out of its directory (ls_scope.h). */
static void copy_file(const char *src, const char *dst)
{
    FILE *in = fopen(src, "rb"), *out = in ? fopen(dst, "wb") : NULL;
    if (!out) fz_fail("cannot copy %s to %s", src, dst);
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n) fz_fail("cannot write %s", dst);
    fclose(in);
    if (fclose(out) != 0) fz_fail("cannot write %s", dst);
}

/* Copy each file of directory `from` into the scratch directory `to`; a
 * name already there (copied from `first`) is a copy of a rule that belongs
 * in one place only. */
static void link_files(const char *from, const char *to, const char *first)
{
    DIR *d = opendir(from);
    if (!d) fz_fail("rules directory %s not found", from);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char src[PATH_MAX], dst[PATH_MAX];
        if (strlen(e->d_name) > 255) fz_fail("fixture name too long");
        snprintf(src, sizeof src, "%s/%s", from, e->d_name);
        snprintf(dst, sizeof dst, "%s/%s", to, e->d_name);
        if (access(dst, F_OK) == 0)
            fz_fail("%s: %s has a rule of that name: delete the copy (the fuzz rules are "
                    "the example's and the fixtures' own, assembled)",
                    src, first);
        copy_file(src, dst);
    }
    closedir(d);
}

/* The fixture `rules`: a directory of copies of the example's rules and to
 * the few rules of the fixtures' own (tests/fuzz/fixtures/rules/), so that
 * the example's rules are fuzzed as shipped, without copies. */
static void assemble_rules(void)
{
    const char *ex = getenv("LS_FUZZ_EXAMPLE_RULES");
    if (!ex) ex = LS_FUZZ_EXAMPLE_RULES;
    char *real = realpath(ex, NULL);
    if (!real) fz_fail("example rules %s not found (set LS_FUZZ_EXAMPLE_RULES)", ex);
    char to[PATH_MAX], own[PATH_MAX];
    snprintf(to, sizeof to, "%s/rules", scratch);
    snprintf(own, sizeof own, "%s/rules", fixtures);
    if (mkdir(to, 0700) != 0) fz_fail("cannot create %s", to);
    link_files(real, to, "");
    link_files(own, to, real);
    free(real);
}

const char *fz_setup(const char *const *links)
{
    if (scratch[0]) return scratch;
    const char *fx = getenv("LS_FUZZ_FIXTURES");
    if (!fx) fx = LS_FUZZ_FIXTURES;
    char *real = realpath(fx, NULL);
    if (!real || strlen(real) >= sizeof fixtures)
        fz_fail("fixtures directory %s not found (set LS_FUZZ_FIXTURES)", fx);
    strcpy(fixtures, real);
    free(real);
    const char *tmp = getenv("TMPDIR");
    snprintf(scratch, sizeof scratch, "%s/lsfuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(scratch)) fz_fail("cannot create a scratch directory %s", scratch);
    atexit(remove_scratch);
    for (const char *const *l = links; l && *l; l++) {
        if (!strcmp(*l, "rules")) {
            assemble_rules();
            continue;
        }
        char from[PATH_MAX], to[PATH_MAX];
        if (strlen(*l) > 255) fz_fail("fixture name too long");
        snprintf(from, sizeof from, "%s/%s", fixtures, *l);
        snprintf(to, sizeof to, "%s/%s", scratch, *l);
        if (access(from, R_OK) != 0) fz_fail("fixture %s not found", from);
        if (symlink(from, to) != 0) fz_fail("cannot link %s", to);
    }
    return scratch;
}

const char *fz_path(const char *name)
{
    if (strlen(name) > 255) fz_fail("name too long");
    static char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/%s", scratch, name);
    return p;
}

const char *fz_fixture(const char *name)
{
    if (strlen(name) > 255) fz_fail("name too long");
    static char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/%s", fixtures, name);
    return p;
}

void fz_write(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f) fz_fail("cannot write %s", path);
    if (size && fwrite(data, 1, size, f) != size) fz_fail("cannot write %s", path);
    if (fclose(f) != 0) fz_fail("cannot write %s", path);
}

void fz_check(const char *what, int failed, const ls_errors *err, const char *path,
              const uint8_t *data, size_t size)
{
    if (failed && err->nerrors == 0) fz_fail("%s failed without an error message", what);
    if (!failed && err->nerrors > 0) {
        ls_errors_print(err, stderr);
        fz_fail("%s succeeded although it recorded %zu errors", what, err->nerrors);
    }
    /* Lines of the fuzzed file and the longest one in bytes, as the
     * bounds of positions (one past the end: "at the end of the file").
     * YAML breaks lines at a lone CR too, CSV only at LF: the bounds take
     * the larger count of each.  Columns count characters of the text as
     * decoded (UTF-8, or a CSV read as GB18030 or UTF-16), which its bytes
     * bound. */
    int nlines = 1, maxcol = 0, col = 0;
    for (size_t i = 0; i < size; i++) {
        if (data[i] == '\n' || (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n'))) nlines++;
        if (data[i] == '\n') {
            col = 0;
            continue;
        }
        col++;
        if (col > maxcol) maxcol = col;
    }
    /* UTF-16 text breaks lines where its decoded text does, not at 0x0A
     * bytes: bound by the size alone */
    if (size >= 2 && ((data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF))) {
        nlines = (int)size + 1;
        maxcol = (int)size;
    }
    size_t nerr = 0;
    for (size_t i = 0; i < err->n; i++) {
        const ls_diag *d = &err->v[i];
        if (!d->msg || !d->msg[0]) fz_fail("%s: diagnostic %zu has no message", what, i);
        /* a negative column is a spreadsheet cell (-1 = A), on a row */
        if (d->line < 0 || (d->col != 0 && d->line == 0) || d->col < -16384)
            fz_fail("%s: diagnostic '%s' has position %d:%d", what, d->msg, d->line, d->col);
        if (d->sev == LS_SEV_ERROR) nerr++;
        if (fz_on("utf8") && (!ls_utf8_valid(d->msg, strlen(d->msg), NULL) ||
                              (d->path && !ls_utf8_valid(d->path, strlen(d->path), NULL)))) {
            char *s = ls_diag_format(d);
            fprintf(stderr, "%s\n", s);
            free(s);
            fz_fail("%s: diagnostic %zu is not valid UTF-8", what, i);
        }
        if (path && d->path && !strcmp(d->path, path) && (d->line > nlines + 1 || d->col > maxcol + 2)) {
            char *s = ls_diag_format(d);
            fprintf(stderr, "%s\n", s);
            free(s);
            fz_fail("%s: position %d:%d is outside the file (%d lines, at most %d columns)", what,
                    d->line, d->col, nlines, maxcol);
        }
    }
    size_t limit = err->limit ? err->limit : 200;
    if (nerr != (err->nerrors < limit ? err->nerrors : limit))
        fz_fail("%s: %zu error diagnostics recorded, but nerrors is %zu", what, nerr, err->nerrors);
}

void fz_check_dataset(const ls_dataset *d, int allow_missing)
{
    const ls_scheme *s = d->scheme;
    for (size_t u = 0; u < s->nunits; u++)
        for (size_t i = 0; i < s->ninds; i++) {
            ls_value got = ls_dataset_value(d, u, i);
            const ls_value *v = &got;
            const ls_indicator *in = &s->inds[i];
            const ls_vspec *sp = &in->spec;
            if (!v->set) {
                if (in->required && !allow_missing) fz_fail("unit %s: required %s missing", s->units[u].id, in->id);
                continue;
            }
            if (v->type != sp->type) fz_fail("unit %s, %s: value of type %d", s->units[u].id, in->id, v->type);
            switch (sp->type) {
            case LS_T_INTEGER:
            case LS_T_NUMBER:
            case LS_T_PERCENT:
                if (!isfinite(v->num)) fz_fail("unit %s, %s: %g", s->units[u].id, in->id, v->num);
                if (sp->type == LS_T_INTEGER && v->num != floor(v->num))
                    fz_fail("unit %s, %s: integer %g", s->units[u].id, in->id, v->num);
                if ((sp->has_min && v->num < sp->min) || (sp->has_max && v->num > sp->max) ||
                    (sp->type == LS_T_PERCENT && !sp->has_min && v->num < 0) ||
                    (sp->type == LS_T_PERCENT && !sp->has_max && v->num > 100))
                    fz_fail("unit %s, %s: %g out of range", s->units[u].id, in->id, v->num);
                break;
            case LS_T_BOOLEAN:
                if (v->num != 0 && v->num != 1) fz_fail("unit %s, %s: boolean %g", s->units[u].id, in->id, v->num);
                break;
            case LS_T_ENUM: {
                size_t k = (size_t)v->num;
                if (v->num < 0 || k >= sp->nchoices || !v->str || strcmp(v->str, sp->choices[k]))
                    fz_fail("unit %s, %s: enum value %g", s->units[u].id, in->id, v->num);
                break;
            }
            case LS_T_TEXT:
                if (!v->str) fz_fail("unit %s, %s: text without a string", s->units[u].id, in->id);
                (void)strlen(v->str);
                break;
            }
        }
}

/* ---- data-file targets (fuzz_data_yaml.c, fuzz_data_csv.c) ------------ */

static ls_scheme *data_scheme;
static char data_path[4096], other_path[4096];

static void free_data_scheme(void)
{
    ls_scheme_free(data_scheme);
    data_scheme = NULL;
}

void fz_data_init(const char *name, const char *other)
{
    static const char *const links[] = {"scheme.yaml", "rules", NULL};
    fz_setup(links);
    ls_errors err;
    ls_errors_init(&err);
    data_scheme = ls_scheme_load(fz_path("scheme.yaml"), &err);
    if (!data_scheme) {
        ls_errors_print(&err, stderr);
        fz_fail("the fixture scheme does not load");
    }
    ls_errors_cleanup(&err);
    atexit(free_data_scheme);
    snprintf(data_path, sizeof data_path, "%s", fz_path(name));
    snprintf(other_path, sizeof other_path, "%s", fz_fixture(other));
}

void fz_data_one(const uint8_t *data, size_t size, int refuse_nul)
{
    fz_write(data_path, data, size);
    const char *alone[] = {data_path}, *merged[] = {other_path, data_path};
    for (int pass = 0; pass < 2; pass++) {
        ls_errors err;
        ls_errors_init(&err);
        int allow = pass;
        ls_dataset *d = pass == 0 ? ls_dataset_load(data_scheme, alone, 1, allow, &err)
                                  : ls_dataset_load(data_scheme, merged, 2, allow, &err);
        fz_check("ls_dataset_load", d == NULL, &err, data_path, data, size);
        /* a cell is read as a C string: a NUL byte in it would cut it short
         * ("sfj\0junk" read as sfj), so a file holding one must be refused */
        if (d && refuse_nul && fz_on("nul") && memchr(data, 0, size))
            fz_fail("a CSV file holding a NUL byte loaded: the cell holding it was cut short");
        if (d) fz_check_dataset(d, allow);
        ls_dataset_free(d);
        ls_errors_cleanup(&err);
    }
}

/* ---- readers that go by the name (fuzz_adjust.c, fuzz_self.c) --------- */

size_t fz_write_named(const char *base, const uint8_t *data, size_t size, const char *paths[2])
{
    static char p0[4096], p1[4096];
    char name[256];
    const char *ext = size >= 4 && !memcmp(data, "PK\3\4", 4)             ? ".xlsx"
                      : size >= 4 && !memcmp(data, "\xD0\xCF\x11\xE0", 4) ? ".xls"
                                                                          : NULL;
    snprintf(name, sizeof name, "%s%s", base, ext ? ext : ".yaml");
    snprintf(p0, sizeof p0, "%s", fz_path(name));
    fz_write(p0, data, size);
    paths[0] = p0;
    if (ext) return 1;
    snprintf(name, sizeof name, "%s.csv", base);
    snprintf(p1, sizeof p1, "%s", fz_path(name));
    fz_write(p1, data, size);
    paths[1] = p1;
    return 2;
}

static ls_scheme *fx_scheme;
static ls_dataset *fx_data;

static void free_fixture_set(void)
{
    ls_dataset_free(fx_data);
    ls_scheme_free(fx_scheme);
}

static void load_fixture_set(void)
{
    if (fx_data) return;
    ls_errors err;
    ls_errors_init(&err);
    fx_scheme = ls_scheme_load(fz_path("scheme.yaml"), &err);
    char dy[4096], dc[4096];
    snprintf(dy, sizeof dy, "%s", fz_path("data.yaml"));
    snprintf(dc, sizeof dc, "%s", fz_path("data.csv"));
    const char *files[] = {dy, dc};
    fx_data = fx_scheme ? ls_dataset_load(fx_scheme, files, 2, 1, &err) : NULL;
    if (!fx_data) {
        ls_errors_print(&err, stderr);
        fz_fail("the fixture scheme or its data does not load");
    }
    ls_errors_cleanup(&err);
    atexit(free_fixture_set);
}

const ls_scheme *fz_scheme(void)
{
    load_fixture_set();
    return fx_scheme;
}

const ls_dataset *fz_dataset(void)
{
    load_fixture_set();
    return fx_data;
}
