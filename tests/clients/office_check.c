/*
 * office_check.c - compares results.xlsx, as LibreOffice shows it (one
 * CSV per sheet, cells "as shown"), with results.csv and items.csv of the
 * same run: every number and text of the 通报, of each unit's 评分表 and
 * of the 扣分明细.  Used by tests/clients/run.sh.
 *
 *   office-check RESULTS.csv ITEMS.csv SHEET.csv...
 *
 * Prints one line per difference ("file:row: what: expected X, found Y"),
 * then a summary; exits 1 on any difference or when a unit's sheet or row
 * is missing.
 *
 * Depends on: ls_intable (the engine's own table reader, rows as read),
 * ls_decimal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ls_intable.h"
#include "ls_decimal.h"
#include "ls_util.h"

static int failures;
static long compared;

static const char *cell(const ls_inrow *r, size_t k) { return k < r->n ? r->f[k].text : ""; }

static void expect(const char *file, int line, const char *what, const char *want,
                   const char *got)
{
    compared++;
    if (strcmp(want, got)) {
        failures++;
        if (failures <= 60)
            printf("%s:%d: %s: expected '%s', found '%s'\n", file, line, what, want, got);
    }
}

static void fail(const char *fmt, const char *a, const char *b)
{
    failures++;
    printf(fmt, a, b);
    putchar('\n');
}

static int starts(const char *s, const char *p) { return !strncmp(s, p, strlen(p)); }

/* The score as the workbook shows a deduction: negative, except zero. */
static char *negated(const char *v)
{
    if (!strcmp(v, "") || strspn(v, "0.") == strlen(v)) return ls_xstrdup(v);
    return ls_format("-%s", v);
}

typedef struct sheet {
    ls_inbook book;
    const ls_intable *t;
    const char *unit;      /* the 被考核单位 of a 评分表 sheet, in t's arena */
    char *unit_own;
    int used;
} sheet;

/* Digits of a formatted score ("90.00" -> 2). */
static int digits_of(const char *v)
{
    const char *dot = strchr(v, '.');
    return dot ? (int)strlen(dot + 1) : 0;
}

static void check_ranking(const ls_intable *res, const ls_intable *rk)
{
    const ls_inrow *rh = &res->rows[0];
    size_t ncat = rh->n - 10;
    /* headers: "name(15)" in results.csv is "name（15分）" here (or
     * "name\n（15分）") */
    for (size_t i = 0; i < ncat; i++) {
        const char *h = cell(rh, 4 + i);
        const char *open = strrchr(h, '(');
        char *want = open ? ls_format("%.*s（%.*s分）", (int)(open - h), h,
                                      (int)(strlen(open + 1) - 1), open + 1)
                          : ls_xstrdup(h);
        /* a header too wide for its column breaks before '（' */
        const char *got = cell(&rk->rows[1], 2 + i);
        const char *nl = strchr(got, '\n');
        char *flat = nl ? ls_format("%.*s%s", (int)(nl - got), got, nl + 1) : ls_xstrdup(got);
        expect(rk->path, 2, "category header", want, flat);
        free(flat);
        free(want);
    }
    size_t matched = 0;
    for (size_t i = 1; i < res->nrows; i++) {
        const ls_inrow *u = &res->rows[i];
        const char *group = cell(u, 0), *name = cell(u, 3), *rank = cell(u, 1);
        const ls_inrow *found = NULL;
        const char *cur = NULL;
        int in_veto = 0, found_veto = 0;
        char *head = ls_format("%s（", group);
        for (size_t k = 2; k < rk->nrows; k++) {
            const ls_inrow *row = &rk->rows[k];
            if (!*cell(row, 1) && starts(cell(row, 0), head)) cur = group, in_veto = 0;
            else if (!*cell(row, 1) && cur && starts(cell(row, 0), "一票否决单位（")) in_veto = 1;
            else if (!*cell(row, 1)) cur = NULL;
            else if (cur && !strcmp(cell(row, 1), name)) found = row, found_veto = in_veto;
        }
        free(head);
        if (!found) {
            fail("通报: no row for unit '%s' in group '%s'", name, group);
            continue;
        }
        matched++;
        /* a vetoed unit (一票否决 set in results.csv) is listed apart,
         * under 一票否决单位, without a 名次, as in results.csv */
        int vetoed = *cell(u, 8 + ncat) != '\0';
        if (vetoed != found_veto)
            fail(vetoed ? "通报: vetoed unit '%s' is not under 一票否决单位 in group '%s'"
                        : "通报: unit '%s' is under 一票否决单位 in group '%s' without a veto",
                 name, group);
        int shared = 0;
        for (size_t j = 1; j < res->nrows; j++)
            if (j != i && !strcmp(cell(&res->rows[j], 0), group) &&
                !strcmp(cell(&res->rows[j], 1), rank) && *rank &&
                !*cell(&res->rows[j], 8 + ncat))
                shared = 1;
        char *want = vetoed   ? ls_xstrdup("")
                     : shared ? ls_format("并列%s", rank)
                              : ls_xstrdup(rank);
        expect(rk->path, found->line, "名次", want, cell(found, 0));
        free(want);
        for (size_t c = 0; c < ncat; c++)
            expect(rk->path, found->line, cell(rh, 4 + c), cell(u, 4 + c), cell(found, 2 + c));
        expect(rk->path, found->line, "加分", cell(u, 4 + ncat), cell(found, 2 + ncat));
        expect(rk->path, found->line, "扣分", cell(u, 5 + ncat), cell(found, 3 + ncat));
        expect(rk->path, found->line, "总分", cell(u, 6 + ncat), cell(found, 4 + ncat));
        expect(rk->path, found->line, "等次", cell(u, 7 + ncat), cell(found, 5 + ncat));
        expect(rk->path, found->line, "说明", cell(u, 9 + ncat), cell(found, 6 + ncat));
    }
    size_t rows = 0;
    for (size_t k = 2; k < rk->nrows; k++) rows += *cell(&rk->rows[k], 1) != '\0';
    if (rows != matched) {
        char a[32], b[32];
        snprintf(a, sizeof a, "%zu", rows);
        snprintf(b, sizeof b, "%zu", matched);
        fail("通报: %s unit rows, %s matched in results.csv", a, b);
    }
}

/* Whether 序号 `num` was listed under the 扣分项目 heading of the sheet. */
static int in_deduct(const ls_intable *sh, const char *num)
{
    int deduct = 0;
    for (size_t k = 3; k < sh->nrows; k++) {
        const ls_inrow *row = &sh->rows[k];
        if (!*cell(row, 1) && *cell(row, 0)) deduct = starts(cell(row, 0), "扣分项目");
        else if (deduct && !strcmp(cell(row, 0), num)) return 1;
    }
    return 0;
}

static const ls_inrow *find_row(const ls_intable *sh, size_t from, size_t col, const char *v)
{
    for (size_t k = from; k < sh->nrows; k++)
        if (!strcmp(cell(&sh->rows[k], col), v)) return &sh->rows[k];
    return NULL;
}

static void check_sheet(const ls_intable *res, const ls_intable *items, sheet *sh)
{
    const ls_intable *t = sh->t;
    size_t ncat = res->rows[0].n - 10, nitems = 0;
    for (size_t i = 1; i < items->nrows; i++) {
        const ls_inrow *it = &items->rows[i];
        if (strcmp(cell(it, 1), sh->unit)) continue;
        nitems++;
        const char *num = cell(it, 2);
        const ls_inrow *row = find_row(t, 3, 0, num);
        if (!row) {
            fail("%s: no row 序号 %s", t->path, num);
            continue;
        }
        expect(t->path, row->line, "考核项目", cell(it, 3), cell(row, 1));
        expect(t->path, row->line, "分值", cell(it, 4), cell(row, 2));
        expect(t->path, row->line, "评分标准", cell(it, 5), cell(row, 3));
        char *score = in_deduct(t, num) ? negated(cell(it, 6)) : ls_xstrdup(cell(it, 6));
        expect(t->path, row->line, "考核分", score, cell(row, 4));
        free(score);
        expect(t->path, row->line, "扣分理由", strcmp(cell(it, 6), "不适用") ? cell(it, 7) : "",
               cell(row, 5));
    }
    size_t rows = 0;
    for (size_t k = 3; k < t->nrows; k++)
        rows += *cell(&t->rows[k], 0) && *cell(&t->rows[k], 1);
    if (rows != nitems || !nitems) {
        char a[64];
        snprintf(a, sizeof a, "%zu item rows, items.csv has %zu", rows, nitems);
        fail("%s: %s", t->path, a);
    }
    /* the summary against results.csv */
    const ls_inrow *u = NULL;
    for (size_t i = 1; i < res->nrows; i++)
        if (!strcmp(cell(&res->rows[i], 3), sh->unit)) u = &res->rows[i];
    if (!u) {
        fail("%s: unit '%s' is not in results.csv", t->path, sh->unit);
        return;
    }
    static const struct {
        const char *label;
        size_t col;        /* in results.csv, after the categories */
        int neg;
    } sums[] = {{"总分", 6, 0}, {"等次", 7, 0}, {"名次", 1, 0}, {"加分合计", 4, 0}, {"扣分合计", 5, 1}};
    for (size_t i = 0; i < sizeof sums / sizeof *sums; i++) {
        const ls_inrow *row = find_row(t, 3, 1, sums[i].label);
        size_t col = sums[i].col == 1 ? 1 : sums[i].col + ncat;
        if (!row) {
            fail("%s: no %s row", t->path, sums[i].label);
            continue;
        }
        char *want = sums[i].neg ? negated(cell(u, col)) : ls_xstrdup(cell(u, col));
        expect(t->path, row->line, sums[i].label, want, cell(row, 4));
        free(want);
    }
    if (!find_row(t, 3, 1, "考核组成员签字：")) fail("%s: %s", t->path, "no signature block");
}

static void check_losses(const ls_intable *items, const ls_intable *ls, sheet *sheets, size_t nsheets)
{
    size_t nrows = 0;
    for (size_t k = 1; k < ls->nrows; k++) {
        const ls_inrow *row = &ls->rows[k];
        const ls_inrow *it = NULL;
        for (size_t i = 1; i < items->nrows && !it; i++)
            if (!strcmp(cell(&items->rows[i], 0), cell(row, 0)) &&
                !strcmp(cell(&items->rows[i], 2), cell(row, 3)))
                it = &items->rows[i];
        if (!it) {
            fail("%s: a row for %s that items.csv does not have", ls->path, cell(row, 0));
            continue;
        }
        nrows++;
        const sheet *sh = NULL;
        for (size_t i = 0; i < nsheets; i++)
            if (sheets[i].unit && !strcmp(sheets[i].unit, cell(it, 1))) sh = &sheets[i];
        int deduct = sh && in_deduct(sh->t, cell(it, 2));
        expect(ls->path, row->line, "单位名称", cell(it, 1), cell(row, 1));
        expect(ls->path, row->line, "考核项目", cell(it, 3), cell(row, 4));
        expect(ls->path, row->line, "分值", cell(it, 4), cell(row, 5));
        char *score = deduct ? negated(cell(it, 6)) : ls_xstrdup(cell(it, 6));
        expect(ls->path, row->line, "考核分", score, cell(row, 6));
        free(score);
        expect(ls->path, row->line, "扣分理由", cell(it, 7), cell(row, 8));
        expect(ls->path, row->line, "使用的指标", cell(it, 8), cell(row, 9));
        /* 扣分 = 分值 - 考核分 for ordinary items */
        int digits = digits_of(cell(it, 4));
        ls_fixed pts, sc;
        if (*cell(row, 7) && !deduct && !ls_dec_parse(cell(it, 4), digits, &pts) &&
            !ls_dec_parse(cell(it, 6), digits, &sc)) {
            char buf[32];
            expect(ls->path, row->line, "扣分", ls_dec_format(pts - sc, digits, buf), cell(row, 7));
        }
    }
    /* every item that lost points is listed: a leaf (no other 序号 under
     * it) of the 100-point tree whose score is below its points */
    size_t want = 0;
    for (size_t i = 1; i < items->nrows; i++) {
        const ls_inrow *it = &items->rows[i];
        const char *num = cell(it, 2);
        if (!(*num >= '0' && *num <= '9')) continue;
        char *prefix = ls_format("%s.", num);
        int leaf = 1;
        for (size_t j = 1; j < items->nrows && leaf; j++)
            if (!strcmp(cell(&items->rows[j], 0), cell(it, 0)) &&
                starts(cell(&items->rows[j], 2), prefix))
                leaf = 0;
        free(prefix);
        int digits = digits_of(cell(it, 4));
        ls_fixed pts, sc;
        if (leaf && !ls_dec_parse(cell(it, 4), digits, &pts) &&
            !ls_dec_parse(cell(it, 6), digits, &sc) && sc < pts)
            want++;
    }
    size_t main_rows = 0;
    for (size_t k = 1; k < ls->nrows; k++) {
        const char *num = cell(&ls->rows[k], 3);
        main_rows += *num >= '0' && *num <= '9' && *cell(&ls->rows[k], 7);
    }
    if (want != main_rows) {
        char a[32], b[32];
        snprintf(a, sizeof a, "%zu", want);
        snprintf(b, sizeof b, "%zu", main_rows);
        fail("扣分明细: items.csv has %s items below their points, the sheet lists %s", a, b);
    }
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: office-check RESULTS.csv ITEMS.csv SHEET.csv...\n");
        return 2;
    }
    ls_errors err;
    ls_errors_init(&err);
    ls_inbook resb, itemsb;
    if (ls_inbook_load_raw(&resb, argv[1], &err) || ls_inbook_load_raw(&itemsb, argv[2], &err)) {
        ls_errors_print(&err, stderr);
        return 1;
    }
    const ls_intable res = resb.tabs[0], items = itemsb.tabs[0];
    size_t n = (size_t)argc - 3;
    sheet *sheets = ls_xcalloc(n, sizeof *sheets);
    const ls_intable *ranking = NULL, *losses = NULL;
    for (size_t i = 0; i < n; i++) {
        if (ls_inbook_load_raw(&sheets[i].book, argv[3 + i], &err)) {
            ls_errors_print(&err, stderr);
            return 1;
        }
        const ls_intable *t = sheets[i].t = &sheets[i].book.tabs[0];
        const char *a = t->nrows ? cell(&t->rows[0], 0) : "";
        const char *b = t->nrows > 1 ? cell(&t->rows[1], 0) : "";
        size_t alen = strlen(a);
        if (alen >= strlen("结果通报") && !strcmp(a + alen - strlen("结果通报"), "结果通报"))
            ranking = t;
        else if (!strcmp(a, "单位编号"))
            losses = t;
        else if (starts(b, "被考核单位：")) {
            const char *name = b + strlen("被考核单位：");
            const char *end = strstr(name, "    ");
            sheets[i].unit_own = ls_xstrndup(name, end ? (size_t)(end - name) : strlen(name));
            sheets[i].unit = sheets[i].unit_own;
        }
    }
    if (!ranking) fail("%s%s", "no 通报 sheet", "");
    else check_ranking(&res, ranking);
    /* each unit of results.csv has exactly one 评分表 sheet */
    for (size_t i = 1; i < res.nrows; i++) {
        const char *name = cell(&res.rows[i], 3);
        sheet *found = NULL;
        for (size_t k = 0; k < n; k++)
            if (sheets[k].unit && !strcmp(sheets[k].unit, name)) {
                if (found) fail("unit '%s' has two score sheets%s", name, "");
                found = &sheets[k];
            }
        if (!found) {
            fail("unit '%s' has no score sheet%s", name, "");
            continue;
        }
        found->used = 1;
        check_sheet(&res, &items, found);
    }
    if (!losses) fail("%s%s", "no 扣分明细 sheet", "");
    else check_losses(&items, losses, sheets, n);
    printf("office-check: %ld cells compared, %d difference%s\n", compared, failures,
           failures == 1 ? "" : "s");
    for (size_t i = 0; i < n; i++) {
        ls_inbook_cleanup(&sheets[i].book);
        free(sheets[i].unit_own);
    }
    free(sheets);
    ls_inbook_cleanup(&resb);
    ls_inbook_cleanup(&itemsb);
    ls_errors_cleanup(&err);
    return failures ? 1 : 0;
}
