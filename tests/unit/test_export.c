/*
 * test_export.c - results.csv, items.csv, results.json and the terminal
 * ranking table, on the hand-built run of fixtures/export/mini_run.h:
 * exact bytes, RFC 4180 quoting (read back with libcsv's parser), the BOM,
 * exact decimals, JSON validity (read back with yajl's tree API), byte-
 * identical output on a second run, and write errors.
 */
#include "ls_test.h"

#include <errno.h>

#include <csv.h>
#include <yajl/yajl_tree.h>
#include <zlib.h>
#include <zstd.h>

#include "ls_export_csv.h"
#include "ls_export_json.h"
#include "ls_manifest.h"
#include "ls_table.h"

#include "fixtures/export/mini_run.h"

#define BOM "\xEF\xBB\xBF"

static int setup(void **state)
{
    *state = mini_run_new();
    return 0;
}

static int teardown(void **state)
{
    mini_run_free(*state);
    return 0;
}

/* Output of one writer, captured in memory. */
typedef struct out {
    char *p;
    size_t n;
    FILE *f;
} out;

static void out_open(out *o)
{
    o->p = NULL;
    o->n = 0;
    o->f = open_memstream(&o->p, &o->n);
    assert_non_null(o->f);
}

static void out_close(out *o) { assert_int_equal(fclose(o->f), 0); }

/* What a writer wrote into memory, asserting it succeeded without a
 * message.  which: 'r' results.csv, 'i' items.csv, 'c' compact items.csv,
 * 's' scheme-items.csv, 'j' results.json (indented, with manifest m). */
static char *written(int which, const ls_run *r, const ls_manifest *m)
{
    out o;
    ls_errors e;
    ls_errors_init(&e);
    out_open(&o);
    int rc = which == 'r'   ? ls_write_results_csv(r, o.f, &e)
             : which == 'i' ? ls_write_items_csv(r, o.f, 0, &e)
             : which == 'c' ? ls_write_items_csv(r, o.f, 1, &e)
             : which == 's' ? ls_write_scheme_items_csv(r->scheme, o.f, &e)
             : which == 'v' ? ls_write_values_csv(r, o.f, 0, &e)
                            : ls_write_json(r, m, o.f, 1, &e);
    assert_int_equal(rc, 0);
    out_close(&o);
    assert_int_equal(e.n, 0);
    ls_errors_cleanup(&e);
    return o.p;
}

static char *results_csv(const ls_run *r) { return written('r', r, NULL); }
static char *items_csv(const ls_run *r) { return written('i', r, NULL); }
static char *json(const ls_run *r, const ls_manifest *m) { return written('j', r, m); }

/* ---- CSV read back with libcsv's parser ---- */

typedef struct rows {
    char ***v;  /* rows of fields */
    size_t *nf; /* fields per row */
    size_t n, cap;
    char **cur; /* row being read */
    size_t ncur;
} rows;

static void on_field(void *s, size_t len, void *data)
{
    rows *t = data;
    t->cur = realloc(t->cur, (t->ncur + 1) * sizeof *t->cur);
    t->cur[t->ncur] = malloc(len + 1);
    memcpy(t->cur[t->ncur], s, len);
    t->cur[t->ncur][len] = '\0';
    t->ncur++;
}

static void on_row(int c, void *data)
{
    rows *t = data;
    (void)c;
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 16;
        t->v = realloc(t->v, t->cap * sizeof *t->v);
        t->nf = realloc(t->nf, t->cap * sizeof *t->nf);
    }
    t->v[t->n] = t->cur;
    t->nf[t->n] = t->ncur;
    t->n++;
    t->cur = NULL;
    t->ncur = 0;
}

static void parse_csv(const char *text, rows *t)
{
    memset(t, 0, sizeof *t);
    assert_memory_equal(text, BOM, 3);
    struct csv_parser p;
    assert_int_equal(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI), 0);
    size_t len = strlen(text) - 3;
    assert_int_equal(csv_parse(&p, text + 3, len, on_field, on_row, t), len);
    assert_int_equal(csv_fini(&p, on_field, on_row, t), 0);
    csv_free(&p);
}

static void rows_free(rows *t)
{
    for (size_t i = 0; i < t->n; i++) {
        for (size_t j = 0; j < t->nf[i]; j++) free(t->v[i][j]);
        free(t->v[i]);
    }
    free(t->v);
    free(t->nf);
}

/* Row of the items CSV for (unit, node): header first, then units in
 * scheme order, nodes in scheme order. */
static char **item_row(rows *t, int unit, int node)
{
    size_t i = 1 + (size_t)unit * MN_NODES + (size_t)node;
    assert_true(i < t->n);
    return t->v[i];
}

static void test_results_csv_bytes(void **state)
{
    mini_run *m = *state;
    char *s = results_csv(&m->r);
    const char *expected =
        BOM "组别,名次,单位编号,单位名称,依法全面履行政府职能(12),坚持严格规范公正文明执法(20),"
            "组织保障和落实机制(68),加分,扣分,总分,等次,一票否决,说明\r\n"
            "乡镇政府,1,cq,长青乡,4.50,不适用,68.00,10.00,0.00,100.63,优秀,,"
            "适用项目满分80分，得分72.50分，折算为百分制90.63分；加分12分，超过上限10分，按10分计\r\n"
            "乡镇政府,2,sl,松木乡,11.50,15.50,60.00,0.00,0.00,87.00,良好,,1项评分出错，总分不完整\r\n"
            "区直部门,1,sfj,区司法局,12.00,18.00,60.00,0.00,0.00,90.00,优秀,,\r\n"
            "区直部门,1,hb,区环保局,12.00,20.00,58.00,0.00,0.00,90.00,优秀,,\r\n"
            "区直部门,,xfj,区信访局,12.00,20.00,60.00,0.00,4.00,88.00,不合格,"
            "发生严重违法行政行为造成恶劣影响,一票否决：发生严重违法行政行为造成恶劣影响："
            "发生严重违法行政行为，造成恶劣影响\r\n";
    assert_string_equal(s, expected);
    free(s);
}

static void test_results_csv_quoting(void **state)
{
    mini_run *m = *state;
    /* Names with a comma, a quote, a line break, surrounding spaces. */
    m->s.units[MU_SFJ].name = "区司法局,法制科";
    m->s.units[MU_HB].name = "区\"环保\"局";
    m->s.groups[1].name = "区直\n部门";
    m->s.units[MU_XFJ].name = " 区信访局";
    char *s = results_csv(&m->r);
    assert_non_null(strstr(s, "\"区直\n部门\",1,sfj,\"区司法局,法制科\",12.00"));
    assert_non_null(strstr(s, ",hb,\"区\"\"环保\"\"局\","));
    assert_non_null(strstr(s, ",xfj,\" 区信访局\","));
    rows t;
    parse_csv(s, &t);
    assert_int_equal(t.n, 6);
    for (size_t i = 0; i < t.n; i++) assert_int_equal(t.nf[i], 13);
    assert_string_equal(t.v[3][0], "区直\n部门");
    assert_string_equal(t.v[3][3], "区司法局,法制科");
    assert_string_equal(t.v[4][3], "区\"环保\"局");
    assert_string_equal(t.v[5][3], " 区信访局");
    rows_free(&t);
    free(s);
}

static void test_results_csv_digits(void **state)
{
    mini_run *m = *state;
    /* One decimal place: scores carry exactly one. */
    m->s.digits = 1;
    m->r.units[MU_SFJ].total = 900;
    m->r.cells[MU_SFJ * MN_NODES + MN_C1].score = 120;
    char *s = results_csv(&m->r);
    assert_non_null(strstr(s, ",sfj,区司法局,12.0,"));
    assert_non_null(strstr(s, ",90.0,优秀,"));
    free(s);
    m->s.digits = 0;
    s = results_csv(&m->r);
    assert_non_null(strstr(s, ",900,优秀,"));
    free(s);
}

static void test_items_csv(void **state)
{
    mini_run *m = *state;
    char *s = items_csv(&m->r);
    assert_memory_equal(s, BOM "单位编号,单位名称,序号,考核项目,分值,评分标准,考核分,扣分理由,使用的指标\r\n",
                        strlen(BOM "单位编号,单位名称,序号,考核项目,分值,评分标准,考核分,扣分理由,使用的指标\r\n"));
    rows t;
    parse_csv(s, &t);
    assert_int_equal(t.n, 1 + MU_UNITS * MN_NODES);
    for (size_t i = 0; i < t.n; i++) assert_int_equal(t.nf[i], 9);

    char **r = item_row(&t, MU_CQ, MN_C11);
    assert_string_equal(r[0], "cq");
    assert_string_equal(r[1], "长青乡");
    assert_string_equal(r[2], "1.1");
    assert_string_equal(r[3], "按时报送信息");
    assert_string_equal(r[4], "4.00");
    assert_string_equal(r[5], "迟报一次扣0.5分，扣完为止");
    assert_string_equal(r[6], "0.00");
    assert_string_equal(r[7], "迟报10次，扣5分；扣分超过分值，按0分计（扣完为止）");
    assert_string_equal(r[8], "迟报次数=10");

    r = item_row(&t, MU_CQ, MN_C2);
    assert_string_equal(r[2], "2");
    assert_string_equal(r[4], "20.00");
    assert_string_equal(r[6], "不适用");
    assert_string_equal(r[7], "不适用");

    r = item_row(&t, MU_SL, MN_C21);
    assert_string_equal(r[6], "15.50");
    assert_string_equal(r[7], "未提交\"执法记录\",扣2分；记录不全\n扣2.5分");
    assert_string_equal(r[8], "结案率=95.5%；备注=含\"引号\",逗号");

    r = item_row(&t, MU_SL, MN_C31);
    assert_string_equal(r[5], "未成立领导小组的，扣8分；\n未按时报告的，扣10分");

    r = item_row(&t, MU_SL, MN_D1);
    assert_string_equal(r[2], "减1");
    assert_string_equal(r[6], "错误");
    assert_string_equal(r[7], "评分出错");

    r = item_row(&t, MU_XFJ, MN_V1);
    assert_string_equal(r[4], "");
    assert_string_equal(r[6], "否决");
    assert_string_equal(r[7], "发生严重违法行政行为，造成恶劣影响");
    r = item_row(&t, MU_HB, MN_V1);
    assert_string_equal(r[6], "未否决");

    r = item_row(&t, MU_CQ, MN_B1);
    assert_string_equal(r[4], "12.00");
    assert_string_equal(r[6], "12.00");
    assert_string_equal(r[8], "获表彰=是");
    rows_free(&t);

    /* Fields are quoted only when they must be. */
    assert_non_null(strstr(s, "\r\nsfj,区司法局,1.1,按时报送信息,4.00,迟报一次扣0.5分，扣完为止,4.00,,\r\n"));
    free(s);
}

/* The compact items.csv and scheme-items.csv together hold what the
 * score sheet form holds, but the unit's name (in results.csv) and the
 * indicator values (in results.json): joined on 序号 they give the sheet
 * form back, row by row. */
static void test_items_csv_compact(void **state)
{
    mini_run *m = *state;
    char *full = items_csv(&m->r), *compact = written('c', &m->r, NULL);
    char *items = written('s', &m->r, NULL);
    rows f, c, it;
    parse_csv(full, &f);
    parse_csv(compact, &c);
    parse_csv(items, &it);
    static const char *const chead[] = {"单位编号", "序号", "考核分", "扣分理由"};
    static const char *const ihead[] = {"序号", "类别", "考核项目", "分值", "评分标准"};
    assert_int_equal(c.nf[0], 4);
    for (size_t k = 0; k < 4; k++) assert_string_equal(c.v[0][k], chead[k]);
    assert_int_equal(it.nf[0], 5);
    for (size_t k = 0; k < 5; k++) assert_string_equal(it.v[0][k], ihead[k]);
    assert_int_equal(c.n, f.n);
    assert_int_equal(it.n, 1 + MN_NODES);
    assert_true(strlen(compact) < strlen(full) / 2);
    int reasons = 0;
    for (size_t i = 1; i < f.n; i++) {
        char **fr = f.v[i], **cr = c.v[i];
        assert_int_equal(c.nf[i], 4);
        assert_string_equal(cr[0], fr[0]); /* 单位编号 */
        assert_string_equal(cr[1], fr[2]); /* 序号 */
        assert_string_equal(cr[2], fr[6]); /* 考核分 */
        assert_string_equal(cr[3], fr[7]); /* 扣分理由 */
        reasons += *cr[3] != '\0';
        size_t j = 1;
        while (j < it.n && strcmp(it.v[j][0], cr[1])) j++;
        assert_true(j < it.n);
        assert_string_equal(it.v[j][2], fr[3]); /* 考核项目 */
        assert_string_equal(it.v[j][3], fr[4]); /* 分值 */
        assert_string_equal(it.v[j][4], fr[5]); /* 评分标准 */
    }
    assert_true(reasons > 0);
    /* the sections in the office's words, in scheme order */
    assert_string_equal(it.v[1][1], "评分项目");
    assert_string_equal(it.v[it.n - 1][1], "一票否决项目");
    rows_free(&f);
    rows_free(&c);
    rows_free(&it);
    free(full);
    free(compact);
    free(items);
}

/* A gzip stream's bytes inflated; NUL-terminated. */
static char *gunzip(const char *z, size_t n)
{
    size_t cap = 1 << 20;
    char *text = malloc(cap);
    z_stream zs = {0};
    assert_int_equal(inflateInit2(&zs, 15 + 16), Z_OK);
    zs.next_in = (Bytef *)z;
    zs.avail_in = (uInt)n;
    zs.next_out = (Bytef *)text;
    zs.avail_out = (uInt)(cap - 1);
    assert_int_equal(inflate(&zs, Z_FINISH), Z_STREAM_END); /* whole, with its trailer */
    text[zs.total_out] = '\0';
    inflateEnd(&zs);
    return text;
}

/* --gzip: items.csv.gz inflates to the bytes items.csv would hold, in
 * either form, and the same run gives the same compressed bytes. */
static void test_items_csv_gzip(void **state)
{
    mini_run *m = *state;
    assert_string_equal(ls_items_csv_name(0), "items.csv");
    assert_string_equal(ls_items_csv_name(LS_ITEMS_COMPACT | LS_ITEMS_GZIP), "items.csv.gz");
    for (unsigned compact = 0; compact <= LS_ITEMS_COMPACT; compact += LS_ITEMS_COMPACT) {
        char *plain = written(compact ? 'c' : 'i', &m->r, NULL);
        char *z[2];
        size_t nz[2];
        for (int k = 0; k < 2; k++) {
            FILE *f = open_memstream(&z[k], &nz[k]);
            ls_errors e;
            ls_errors_init(&e);
            assert_int_equal(ls_write_items_csv(&m->r, f, compact | LS_ITEMS_GZIP, &e), 0);
            assert_int_equal(e.n, 0);
            assert_int_equal(fclose(f), 0);
            ls_errors_cleanup(&e);
        }
        assert_true(nz[0] > 18 && (unsigned char)z[0][0] == 0x1f && (unsigned char)z[0][1] == 0x8b);
        assert_int_equal(nz[0], nz[1]);
        assert_memory_equal(z[0], z[1], nz[0]);
        char *back = gunzip(z[0], nz[0]);
        assert_string_equal(back, plain);
        free(back);
        free(z[0]);
        free(z[1]);
        free(plain);
    }
}

/* --zstd: items.csv.zst decompresses to the bytes items.csv would hold,
 * in either form, and the same run gives the same compressed bytes. */
static void test_items_csv_zstd(void **state)
{
    mini_run *m = *state;
    assert_string_equal(ls_items_csv_name(LS_ITEMS_COMPACT | LS_ITEMS_ZSTD), "items.csv.zst");
    assert_string_equal(ls_values_csv_name(LS_ITEMS_COMPACT | LS_ITEMS_ZSTD), "values.csv.zst");
    assert_string_equal(ls_values_csv_name(LS_ITEMS_COMPACT | LS_ITEMS_GZIP), "values.csv.gz");
    assert_string_equal(ls_values_csv_name(LS_ITEMS_COMPACT), "values.csv");
    for (unsigned compact = 0; compact <= LS_ITEMS_COMPACT; compact += LS_ITEMS_COMPACT) {
        char *plain = written(compact ? 'c' : 'i', &m->r, NULL);
        char *z[2];
        size_t nz[2];
        for (int k = 0; k < 2; k++) {
            FILE *f = open_memstream(&z[k], &nz[k]);
            ls_errors e;
            ls_errors_init(&e);
            assert_int_equal(ls_write_items_csv(&m->r, f, compact | LS_ITEMS_ZSTD, &e), 0);
            assert_int_equal(e.n, 0);
            assert_int_equal(fclose(f), 0);
            ls_errors_cleanup(&e);
        }
        /* zstd's frame magic, 28 b5 2f fd (little-endian 0xFD2FB528) */
        assert_true(nz[0] > 8 && (unsigned char)z[0][0] == 0x28 && (unsigned char)z[0][3] == 0xfd);
        assert_int_equal(nz[0], nz[1]);
        assert_memory_equal(z[0], z[1], nz[0]);
        size_t cap = strlen(plain) + 1;
        char *back = malloc(cap);
        size_t n = ZSTD_decompress(back, cap, z[0], nz[0]);
        assert_false(ZSTD_isError(n));
        assert_int_equal(n, strlen(plain));
        assert_memory_equal(back, plain, n);
        free(back);
        free(z[0]);
        free(z[1]);
        free(plain);
    }
}

/* values.csv: a row a unit, a column an indicator (by id), the values
 * the unit's rules read as results.json gives them; empty where no rule
 * read one.  Text is quoted and guarded as in the other CSV files. */
static void test_values_csv(void **state)
{
    mini_run *m = *state;
    char *v = written('v', &m->r, NULL);
    /* cq's rules read four values, sl's five (a quoted text, a decimal
     * percentage, false); the rules of sfj, xfj and hb read none, so
     * their rows are empty though their data hold values */
    assert_string_equal(v, "\xEF\xBB\xBF单位编号,late_reports,adviser,close_rate,praised,remark\r\n"
                           "cq,10,兼管,,true,无\r\n"
                           "sl,1,专门机构,95.5,false,\"含\"\"引号\"\",逗号\"\r\n"
                           "sfj,,,,,\r\nxfj,,,,,\r\nhb,,,,,\r\n");
    free(v);
}

/* The score sheet form until it passes a spreadsheet's rows, then
 * compact (with the indicator values in results.json, or, with CSV
 * alone, compressed and beside values.csv), unless a form was asked
 * for. */
static void test_items_form_by_size(void **state)
{
    (void)state;
    /* 49 nodes: 21,399 units are 1,048,551 rows and the header, 21,400 are
     * 1,048,600 and the header */
    assert_false(ls_items_too_many_rows(21399, 49));
    assert_true(ls_items_too_many_rows(21400, 49));
    /* exactly a sheet: 1,048,575 rows and the header */
    assert_false(ls_items_too_many_rows(1048575, 1));
    assert_true(ls_items_too_many_rows(1048576, 1));
    assert_false(ls_items_too_many_rows(5000000, 0));
    assert_int_equal(ls_items_form_for(0, 21399, 49, 1), 0);
    assert_int_equal(ls_items_form_for(0, 21400, 49, 1), LS_ITEMS_COMPACT | LS_ITEMS_AUTO);
    assert_int_equal(ls_items_form_for(LS_ITEMS_GZIP, 21400, 49, 1),
                     LS_ITEMS_GZIP | LS_ITEMS_COMPACT | LS_ITEMS_AUTO);
    /* asked for: kept */
    assert_int_equal(ls_items_form_for(LS_ITEMS_SHEET, 21400, 49, 1), LS_ITEMS_SHEET);
    assert_int_equal(ls_items_form_for(LS_ITEMS_COMPACT, 21400, 49, 1), LS_ITEMS_COMPACT);
    assert_int_equal(ls_items_form_for(LS_ITEMS_COMPACT, 10, 49, 1), LS_ITEMS_COMPACT);
    /* without results.json: zstd-compressed (or gzip as asked), the
     * indicator values in values.csv */
    assert_int_equal(ls_items_form_for(0, 21399, 49, 0), 0);
    assert_int_equal(ls_items_form_for(0, 21400, 49, 0), LS_ITEMS_COMPACT | LS_ITEMS_AUTO | LS_ITEMS_ZSTD);
    assert_int_equal(ls_items_form_for(LS_ITEMS_GZIP, 21400, 49, 0),
                     LS_ITEMS_GZIP | LS_ITEMS_COMPACT | LS_ITEMS_AUTO);
    assert_int_equal(ls_items_form_for(LS_ITEMS_SHEET, 21400, 49, 0), LS_ITEMS_SHEET);
    assert_int_equal(ls_items_form_for(LS_ITEMS_COMPACT, 21400, 49, 0), LS_ITEMS_COMPACT);
    assert_true(ls_values_csv_wanted(LS_ITEMS_COMPACT | LS_ITEMS_AUTO | LS_ITEMS_ZSTD, 0));
    assert_true(ls_values_csv_wanted(LS_ITEMS_COMPACT, 0));
    assert_false(ls_values_csv_wanted(LS_ITEMS_COMPACT | LS_ITEMS_AUTO, 1));
    assert_false(ls_values_csv_wanted(LS_ITEMS_SHEET, 0));
    assert_false(ls_values_csv_wanted(0, 0));
    assert_string_equal(ls_items_csv_name(LS_ITEMS_COMPACT | LS_ITEMS_AUTO), "items.csv");
}

static void test_csv_write_error(void **state)
{
    mini_run *m = *state;
    /* plain and compressed: the disk's error, named */
    for (unsigned form = 0; form <= LS_ITEMS_GZIP; form += LS_ITEMS_GZIP) {
        FILE *f = fopen("/dev/full", "w");
        if (!f) skip();
        ls_errors e;
        ls_errors_init(&e);
        assert_int_equal(ls_write_items_csv(&m->r, f, form, &e), -1);
        assert_int_equal(e.nerrors, 1);
        assert_non_null(strstr(e.v[0].msg, "cannot write score sheet CSV"));
        assert_non_null(strstr(e.v[0].msg, strerror(ENOSPC)));
        fclose(f);
        ls_errors_cleanup(&e);
    }
}

/* ---- JSON ---- */

static yajl_val jget(yajl_val v, const char *const *path, yajl_type t)
{
    yajl_val r = yajl_tree_get(v, (const char **)path, t);
    assert_non_null(r);
    return r;
}

static const char *jnum(yajl_val v, const char *const *path)
{
    yajl_val r = jget(v, path, yajl_t_number);
    return YAJL_GET_NUMBER(r);
}

static const char *jstr(yajl_val v, const char *const *path)
{
    return YAJL_GET_STRING(jget(v, path, yajl_t_string));
}

static yajl_val jidx(yajl_val arr, size_t i)
{
    assert_true(YAJL_IS_ARRAY(arr));
    assert_true(i < YAJL_GET_ARRAY(arr)->len);
    return YAJL_GET_ARRAY(arr)->values[i];
}

static ls_manifest *manifest(mini_run *m)
{
    ls_errors e;
    ls_errors_init(&e);
    ls_manifest *mf = ls_manifest_new(&m->s, &m->d, &e);
    assert_non_null(mf);
    ls_errors_cleanup(&e);
    ls_manifest_add_option(mf, "keep_going", "false");
    ls_manifest_add_option(mf, "jobs", "1");
    return mf;
}

/* Format 2: the ids a node read (its own "reads", else its item's; NULL
 * for none) and a unit's value of an indicator (from its "values"). */
static yajl_val node_reads(yajl_val root, yajl_val node, size_t i)
{
    static const char *const p_reads[] = {"reads", NULL};
    static const char *const p_items[] = {"items", NULL};
    yajl_val r = yajl_tree_get(node, (const char **)p_reads, yajl_t_array);
    if (r) return r;
    return yajl_tree_get(jidx(jget(root, p_items, yajl_t_array), i), (const char **)p_reads, yajl_t_array);
}

static yajl_val unit_value(yajl_val unit, const char *id)
{
    const char *path[] = {"values", id, NULL};
    yajl_val v = yajl_tree_get(unit, path, yajl_t_any);
    assert_non_null(v);
    return v;
}

static void test_json_values(void **state)
{
    mini_run *m = *state;
    ls_manifest *mf = manifest(m);
    char *s = json(&m->r, mf);
    /* Exact decimal text in the bytes. */
    assert_non_null(strstr(s, "\"total\": 90.00,"));
    assert_non_null(strstr(s, "\"total\": 100.63,"));
    assert_non_null(strstr(s, "\"precision\": 0.01,"));
    assert_null(strstr(s, "\\u")); /* Chinese written as UTF-8, not escaped */

    char eb[256];
    yajl_val root = yajl_tree_parse(s, eb, sizeof eb);
    if (!root) fail_msg("invalid JSON: %s", eb);

    static const char *const p_name[] = {"assessment", "name", NULL};
    assert_string_equal(jstr(root, p_name), "测试区2017年度法治政府建设考核");
    static const char *const p_prec[] = {"assessment", "precision", NULL};
    assert_string_equal(jnum(root, p_prec), "0.01");
    static const char *const p_total[] = {"assessment", "total", NULL};
    assert_string_equal(jnum(root, p_total), "100.00");
    static const char *const p_ver[] = {"manifest", "version", NULL};
    assert_string_equal(jstr(root, p_ver), LS_VERSION);
    static const char *const p_opt[] = {"manifest", "options", "jobs", NULL};
    assert_string_equal(jstr(root, p_opt), "1");
    static const char *const p_files[] = {"manifest", "files", NULL};
    yajl_val files = jget(root, p_files, yajl_t_array);
    assert_int_equal(YAJL_GET_ARRAY(files)->len, 4);
    static const char *const p_sha[] = {"sha256", NULL};
    static const char *const p_role[] = {"role", NULL};
    assert_string_equal(jstr(jidx(files, 0), p_role), "scheme");
    assert_string_equal(jstr(jidx(files, 0), p_sha),
                        "1577080951bd0e719ab762bb3eef5fa4cc36b9af4c5f05d7f4f98f583b2bc681");

    static const char *const p_groups[] = {"groups", NULL};
    yajl_val dept = jidx(jget(root, p_groups, yajl_t_array), 1);
    static const char *const p_id[] = {"id", NULL};
    assert_string_equal(jstr(dept, p_id), "dept");
    static const char *const p_bands[] = {"bands", NULL};
    yajl_val top = jidx(jget(dept, p_bands, yajl_t_array), 0);
    static const char *const p_count[] = {"count", NULL};
    static const char *const p_min[] = {"min", NULL};
    assert_string_equal(jnum(top, p_count), "2");
    assert_string_equal(jnum(top, p_min), "90.00");

    static const char *const p_units[] = {"units", NULL};
    yajl_val units = jget(root, p_units, yajl_t_array);
    assert_int_equal(YAJL_GET_ARRAY(units)->len, MU_UNITS);

    static const char *const p_fmt[] = {"manifest", "format", NULL};
    assert_string_equal(jnum(root, p_fmt), "2");

    /* A key at its default is left out: flags [], veto null, errors 0,
     * main_raw = main, bonus_raw = bonus, applicable = the total, rescaled
     * and total_clamped false, notes []. */
    yajl_val cq = jidx(units, MU_CQ);
    static const char *const p_main[] = {"main", NULL};
    static const char *const p_main_raw[] = {"main_raw", NULL};
    static const char *const p_appl[] = {"applicable", NULL};
    static const char *const p_bonus[] = {"bonus", NULL};
    static const char *const p_bonus_raw[] = {"bonus_raw", NULL};
    static const char *const p_rescaled[] = {"rescaled", NULL};
    static const char *const p_tclamped[] = {"total_clamped", NULL};
    static const char *const p_flags[] = {"flags", NULL};
    static const char *const p_veto[] = {"veto", NULL};
    static const char *const p_rank[] = {"rank", NULL};
    static const char *const p_errors[] = {"errors", NULL};
    static const char *const p_notes[] = {"notes", NULL};
    assert_string_equal(jnum(cq, p_main), "90.63");
    assert_string_equal(jnum(cq, p_main_raw), "72.50");
    assert_string_equal(jnum(cq, p_appl), "80.00");
    assert_true(YAJL_IS_TRUE(jget(cq, p_rescaled, yajl_t_true)));
    assert_string_equal(jnum(cq, p_bonus), "10.00");
    assert_string_equal(jnum(cq, p_bonus_raw), "12.00");
    assert_null(yajl_tree_get(cq, (const char **)p_flags, yajl_t_any));
    assert_null(yajl_tree_get(cq, (const char **)p_veto, yajl_t_any));
    assert_null(yajl_tree_get(cq, (const char **)p_errors, yajl_t_any));
    assert_null(yajl_tree_get(cq, (const char **)p_tclamped, yajl_t_any));
    yajl_val sfj = jidx(units, MU_SFJ);
    static const char *const *const absent[] = {p_main_raw, p_appl, p_bonus_raw, p_rescaled,
                                                p_tclamped, p_veto, p_errors, p_notes};
    for (size_t k = 0; k < sizeof absent / sizeof *absent; k++)
        assert_null(yajl_tree_get(sfj, (const char **)absent[k], yajl_t_any));
    assert_string_equal(jnum(sfj, p_main), "90.00");
    yajl_val notes = jget(cq, p_notes, yajl_t_array);
    assert_int_equal(YAJL_GET_ARRAY(notes)->len, 2);
    static const char *const p_kind[] = {"kind", NULL};
    static const char *const p_text[] = {"text", NULL};
    assert_string_equal(jstr(jidx(notes, 1), p_kind), "bonus_cap");
    assert_string_equal(jstr(jidx(notes, 1), p_text), "加分12分，超过上限10分，按10分计");

    static const char *const p_nodes[] = {"nodes", NULL};
    yajl_val nodes = jget(cq, p_nodes, yajl_t_array);
    assert_int_equal(YAJL_GET_ARRAY(nodes)->len, MN_NODES);
    yajl_val c11 = jidx(nodes, MN_C11);
    static const char *const p_score[] = {"score", NULL};
    static const char *const p_raw[] = {"raw", NULL};
    static const char *const p_clamp[] = {"clamp", NULL};
    static const char *const p_state[] = {"state", NULL};
    static const char *const p_points[] = {"points", NULL};
    static const char *const p_expl[] = {"explanation", NULL};
    /* clamped: raw and clamp beside the score; scored: no state */
    assert_string_equal(jnum(c11, p_score), "0.00");
    assert_string_equal(jnum(c11, p_raw), "-1.00");
    assert_string_equal(jstr(c11, p_clamp), "low");
    assert_null(yajl_tree_get(c11, (const char **)p_state, yajl_t_any));
    assert_null(yajl_tree_get(c11, (const char **)p_expl, yajl_t_any));
    yajl_val hb21 = jidx(jget(jidx(units, MU_HB), p_nodes, yajl_t_array), MN_C21);
    assert_string_equal(jnum(hb21, p_raw), "22.00");
    assert_string_equal(jstr(hb21, p_clamp), "high");
    /* not clamped: raw is the score, neither key is written */
    yajl_val c12 = jidx(nodes, MN_C12);
    assert_string_equal(jnum(c12, p_score), "4.50");
    assert_null(yajl_tree_get(c12, (const char **)p_raw, yajl_t_any));
    assert_null(yajl_tree_get(c12, (const char **)p_clamp, yajl_t_any));
    /* Text the same for every unit is in "items", once. */
    assert_null(yajl_tree_get(c11, (const char **)p_points, yajl_t_any));
    static const char *const p_items[] = {"items", NULL};
    yajl_val items = jget(root, p_items, yajl_t_array);
    assert_int_equal(YAJL_GET_ARRAY(items)->len, MN_NODES);
    static const char *const p_id1[] = {"id", NULL};
    assert_string_equal(jstr(jidx(items, MN_C11), p_id1), jstr(c11, p_id1));
    assert_string_equal(jnum(jidx(items, MN_C11), p_points), "4.00");
    static const char *const p_parent[] = {"parent", NULL};
    assert_string_equal(jstr(jidx(items, MN_C11), p_parent), jstr(jidx(items, MN_C1), p_id1));
    assert_true(YAJL_IS_NULL(yajl_tree_get(jidx(items, MN_C1), (const char **)p_parent, yajl_t_any)));
    yajl_val c21 = jidx(nodes, MN_C21);
    assert_string_equal(jstr(c21, p_state), "na");
    assert_null(yajl_tree_get(c21, (const char **)p_score, yajl_t_any));
    /* Categories have no raw value. */
    assert_null(yajl_tree_get(jidx(nodes, MN_C1), (const char **)p_raw, yajl_t_any));

    yajl_val sl = jidx(units, MU_SL);
    yajl_val slflags = jget(sl, p_flags, yajl_t_array);
    assert_string_equal(YAJL_GET_STRING(jidx(slflags, 0)), "enforcement");
    assert_string_equal(jnum(sl, p_errors), "1");
    yajl_val sl21 = jidx(jget(sl, p_nodes, yajl_t_array), MN_C21);
    static const char *const p_reasons[] = {"reasons", NULL};
    yajl_val reasons = jget(sl21, p_reasons, yajl_t_array);
    assert_int_equal(YAJL_GET_ARRAY(reasons)->len, 2);
    assert_string_equal(YAJL_GET_STRING(jidx(reasons, 0)), "未提交\"执法记录\",扣2分");
    assert_string_equal(YAJL_GET_STRING(jidx(reasons, 1)), "记录不全\n扣2.5分");
    /* no reasons: no key */
    assert_null(yajl_tree_get(jidx(jget(sl, p_nodes, yajl_t_array), MN_C12), (const char **)p_reasons,
                              yajl_t_any));
    /* the values read: their ids in the node (or its item), the values
     * once in the unit */
    yajl_val reads = node_reads(root, sl21, MN_C21);
    assert_non_null(reads);
    assert_int_equal(YAJL_GET_ARRAY(reads)->len, 2);
    assert_string_equal(YAJL_GET_STRING(jidx(reads, 0)), "close_rate");
    assert_string_equal(YAJL_GET_STRING(jidx(reads, 1)), "remark");
    assert_string_equal(YAJL_GET_NUMBER(unit_value(sl, "close_rate")), "95.5");
    assert_string_equal(YAJL_GET_STRING(unit_value(sl, "remark")), "含\"引号\",逗号");
    /* SFJ's 2.1 read close_rate only: a list of its own when the item's
     * (most units') is another */
    yajl_val sfj21 = jidx(jget(sfj, p_nodes, yajl_t_array), MN_C21);
    reads = node_reads(root, sfj21, MN_C21);
    assert_int_equal(YAJL_GET_ARRAY(reads)->len, 1);
    assert_string_equal(YAJL_GET_STRING(jidx(reads, 0)), "close_rate");
    assert_true(YAJL_IS_NULL(unit_value(sfj, "close_rate")));
    /* an indicator no node read is not among the values */
    static const char *const p_late[] = {"values", "remark", NULL};
    assert_null(yajl_tree_get(sfj, (const char **)p_late, yajl_t_any));
    assert_string_equal(jstr(jidx(jget(sl, p_nodes, yajl_t_array), MN_D1), p_state), "error");
    yajl_val cqb1 = jidx(nodes, MN_B1);
    reads = node_reads(root, cqb1, MN_B1);
    assert_string_equal(YAJL_GET_STRING(jidx(reads, 0)), "praised");
    assert_true(YAJL_IS_TRUE(unit_value(cq, "praised")));
    static const char *const p_section[] = {"section", NULL};
    assert_string_equal(jstr(jidx(items, MN_B1), p_section), "bonus");
    assert_null(yajl_tree_get(cqb1, (const char **)p_section, yajl_t_any));

    yajl_val xfj = jidx(units, MU_XFJ);
    static const char *const p_veto_id[] = {"veto", "id", NULL};
    static const char *const p_grade[] = {"grade", NULL};
    assert_string_equal(jstr(xfj, p_veto_id), "v1");
    assert_string_equal(jstr(xfj, p_grade), "不合格");
    /* vetoed: no 名次 */
    assert_non_null(yajl_tree_get(xfj, (const char **)p_rank, yajl_t_null));
    yajl_val xv1 = jidx(jget(xfj, p_nodes, yajl_t_array), MN_V1);
    assert_string_equal(jnum(xv1, p_score), "1");
    assert_null(yajl_tree_get(xv1, (const char **)p_raw, yajl_t_any));
    assert_string_equal(jnum(jidx(jget(jidx(units, MU_HB), p_nodes, yajl_t_array), MN_V1), p_score),
                        "0");
    assert_string_equal(jnum(jidx(units, MU_HB), p_rank), "1");

    yajl_tree_free(root);
    free(s);
    ls_manifest_free(mf);
}

static void test_json_deterministic(void **state)
{
    mini_run *m = *state;
    ls_manifest *mf = manifest(m);
    char *a = json(&m->r, mf);
    char *b = json(&m->r, mf);
    assert_string_equal(a, b);
    free(a);
    free(b);
    /* Without a manifest. */
    a = json(&m->r, NULL);
    assert_non_null(strstr(a, "\"manifest\": null,"));
    free(a);
    ls_manifest_free(mf);

    /* CSV too. */
    a = items_csv(&m->r);
    b = items_csv(&m->r);
    assert_string_equal(a, b);
    free(a);
    free(b);
}

/* Compact by default: the same document without any whitespace between
 * tokens; escapes as JSON needs them. */
static void test_json_compact(void **state)
{
    mini_run *m = *state;
    out o;
    ls_errors e;
    ls_errors_init(&e);
    out_open(&o);
    assert_int_equal(ls_write_json(&m->r, NULL, o.f, 0, &e), 0);
    out_close(&o);
    assert_int_equal(e.n, 0);
    char *pretty = json(&m->r, NULL);
    assert_true(strlen(o.p) < strlen(pretty));
    assert_non_null(strstr(o.p, "{\"manifest\":null,\"assessment\":{"));
    assert_non_null(strstr(o.p, "\"total\":90.00,"));
    /* the reason with a quote and a line break, escaped */
    assert_non_null(strstr(o.p, "[\"未提交\\\"执法记录\\\",扣2分\",\"记录不全\\n扣2.5分\"]"));
    assert_null(strstr(o.p, "\": "));
    assert_null(strstr(o.p, "\n\n"));
    /* one line, ending the file */
    assert_ptr_equal(strchr(o.p, '\n'), o.p + strlen(o.p) - 1);
    char eb[256];
    yajl_val a = yajl_tree_parse(o.p, eb, sizeof eb);
    if (!a) fail_msg("invalid compact JSON: %s", eb);
    yajl_val b = yajl_tree_parse(pretty, eb, sizeof eb);
    if (!b) fail_msg("invalid pretty JSON: %s", eb);
    static const char *const p_units[] = {"units", NULL};
    assert_int_equal(YAJL_GET_ARRAY(jget(a, p_units, yajl_t_array))->len,
                     YAJL_GET_ARRAY(jget(b, p_units, yajl_t_array))->len);
    yajl_tree_free(a);
    yajl_tree_free(b);
    free(pretty);
    free(o.p);
    ls_errors_cleanup(&e);
}

static void test_json_write_error(void **state)
{
    mini_run *m = *state;
    FILE *f = fopen("/dev/full", "w");
    if (!f) skip();
    ls_errors e;
    ls_errors_init(&e);
    assert_int_equal(ls_write_json(&m->r, NULL, f, 0, &e), -1);
    assert_int_equal(e.nerrors, 1);
    assert_non_null(strstr(e.v[0].msg, strerror(ENOSPC)));
    fclose(f);
    ls_errors_cleanup(&e);
}

/* ---- terminal table ---- */

/* Display width of line up to the end of the first occurrence of key. */
static int width_to(const char *line, const char *key)
{
    const char *p = strstr(line, key);
    assert_non_null(p);
    char *pre = ls_xstrndup(line, (size_t)(p - line) + strlen(key));
    int w = ls_display_width(pre);
    free(pre);
    return w;
}

static void test_table(void **state)
{
    mini_run *m = *state;
    out o;
    out_open(&o);
    ls_print_ranking(&m->r, o.f);
    out_close(&o);
    const char *expected =
        "乡镇政府（2个单位）\n"
        "名次  单位       一     二     三   加分  扣分    总分  等次\n"
        "   1  长青乡   4.50      -  68.00  10.00  0.00  100.63  优秀\n"
        "   2  松木乡  11.50  15.50  60.00   0.00  0.00   87.00  良好（评分出错）\n"
        "（评分出错）：有项目评分出错，总分不完整\n"
        "\n"
        "区直部门（3个单位）\n"
        "名次  单位         一     二     三  加分  扣分   总分  等次\n"
        "   1  区司法局  12.00  18.00  60.00  0.00  0.00  90.00  优秀\n"
        "   1  区环保局  12.00  20.00  58.00  0.00  0.00  90.00  优秀\n"
        "   -  区信访局  12.00  20.00  60.00  0.00  4.00  88.00  不合格（否决）\n"
        "（否决）：一票否决\n"
        "\n"
        "类别：\n"
        "  一  依法全面履行政府职能(12)\n"
        "  二  坚持严格规范公正文明执法(20)\n"
        "  三  组织保障和落实机制(68)\n";
    assert_string_equal(o.p, expected);
    free(o.p);

    /* Alignment by display width with names of different widths. */
    m->s.units[MU_SFJ].name = "司法局ABC";
    m->s.units[MU_HB].name = "区生态环境保护局";
    out_open(&o);
    ls_print_ranking(&m->r, o.f);
    out_close(&o);
    char *dept = strstr(o.p, "区直部门（");
    assert_non_null(dept);
    char *lines[4];
    char *save = NULL;
    strtok_r(dept, "\n", &save);
    for (int i = 0; i < 4; i++) lines[i] = strtok_r(NULL, "\n", &save);
    int w = width_to(lines[0], "总分");
    assert_int_equal(width_to(lines[1], "90.00  "), w + 2);
    assert_int_equal(width_to(lines[2], "90.00  "), w + 2);
    assert_int_equal(width_to(lines[3], "88.00  "), w + 2);
    assert_int_equal(width_to(lines[1], "司法局ABC"), width_to(lines[2], "区生态环境保护局") - 7);
    free(o.p);
}

static void test_category_short(void **state)
{
    (void)state;
    char b[24];
    assert_string_equal(ls_category_short(0, b), "一");
    assert_string_equal(ls_category_short(7, b), "八");
    assert_string_equal(ls_category_short(9, b), "十");
    assert_string_equal(ls_category_short(10, b), "十一");
    assert_string_equal(ls_category_short(19, b), "二十");
    assert_string_equal(ls_category_short(22, b), "二十三");
    assert_string_equal(ls_category_short(98, b), "九十九");
    assert_string_equal(ls_category_short(99, b), "100");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_results_csv_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_results_csv_quoting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_results_csv_digits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_items_csv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_items_csv_compact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_items_csv_gzip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_items_csv_zstd, setup, teardown),
        cmocka_unit_test_setup_teardown(test_values_csv, setup, teardown),
        cmocka_unit_test(test_items_form_by_size),
        cmocka_unit_test_setup_teardown(test_csv_write_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_deterministic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_compact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_write_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table, setup, teardown),
        cmocka_unit_test(test_category_short),
    };
    return cmocka_run_group_tests_name("export", tests, NULL, NULL);
}
