/*
 * fixture_results.c - the year tests' results (see fixture_results.h).
 */
#include "ls_test.h"

#include "fixture_results.h"

#include "ls_export_json.h"
#include "ls_util.h"

void fx_year_load(fx_year *y, const char *scheme, const char *data)
{
    memset(y, 0, sizeof *y);
    ls_errors err;
    ls_errors_init(&err);
    y->s = ls_scheme_load(scheme, &err);
    assert_non_null(y->s);
    const char *files[] = {data};
    y->d = ls_dataset_load(y->s, files, 1, 0, &err);
    assert_non_null(y->d);
    ls_bind_opts bo = {0};
    assert_int_equal(ls_backends_bind(&y->b, y->s, &bo, &err), 0);
    ls_score_opts so = {0};
    y->r = ls_score_run(y->s, y->d, &y->b, &so, &err);
    assert_non_null(y->r);
    assert_int_equal(err.n, 0);
    ls_errors_cleanup(&err);
}

void fx_year_free(fx_year *y)
{
    ls_run_free(y->r);
    ls_backends_cleanup(&y->b);
    ls_dataset_free(y->d);
    ls_scheme_free(y->s);
    memset(y, 0, sizeof *y);
}

char *fx_json(const ls_run *r, int pretty, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    assert_non_null(f);
    ls_errors err;
    ls_errors_init(&err);
    assert_int_equal(ls_write_json(r, NULL, f, pretty, &err), 0);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(err.n, 0);
    ls_errors_cleanup(&err);
    if (len) *len = n;
    return buf;
}

ls_results *fx_reread(const ls_run *r, const char *source)
{
    size_t len;
    char *buf = fx_json(r, 0, &len);
    ls_errors err;
    ls_errors_init(&err);
    ls_results *res = ls_results_parse(buf, len, source, &err);
    assert_non_null(res);
    assert_int_equal(err.n, 0);
    ls_errors_cleanup(&err);
    free(buf);
    return res;
}

ls_results *fx_results(int year, const char *source, const char *bands, const char *const *units, size_t n)
{
    ls_buf j;
    ls_buf_init(&j);
    ls_buf_printf(&j,
                  "{\"assessment\": {\"name\": \"测试区%d年度考核\", \"year\": %d, \"precision\": 0.01},"
                  "\"groups\": [{\"id\": \"dept\", \"name\": \"区直部门\"%s%s}], \"units\": [",
                  year, year, bands ? ", \"bands\": " : "", bands ? bands : "");
    for (size_t i = 0; i < n; i++) {
        char id[16], name[64], total[16], grade[32];
        int rank, used = 0;
        assert_int_equal(sscanf(units[i], "%15s %63s %15s %d %31s%n", id, name, total, &rank, grade, &used), 5);
        ls_buf_printf(&j,
                      "%s{\"id\": \"%s\", \"name\": \"%s\", \"group\": \"dept\", \"total\": %s, \"main\": %s, "
                      "\"bonus\": 0.00, \"rank\": %d, \"grade\": \"%s\", \"nodes\": []",
                      i ? "," : "", id, name, total, total, rank, grade);
        /* the rest: quota, was:ID ... */
        int quota = 0, nwas = 0;
        ls_buf was;
        ls_buf_init(&was);
        char word[32];
        for (const char *p = units[i] + used; sscanf(p, "%31s%n", word, &used) == 1; p += used) {
            if (!strcmp(word, "quota")) quota = 1;
            else if (!strncmp(word, "was:", 4)) ls_buf_printf(&was, "%s\"%s\"", nwas++ ? ", " : "", word + 4);
            else fail_msg("fx_results: unknown word '%s' in '%s'", word, units[i]);
        }
        if (quota) ls_buf_puts(&j, ", \"notes\": [{\"kind\": \"quota\", \"text\": \"…\"}]");
        if (nwas) ls_buf_printf(&j, ", \"formerly\": [%s]", was.p);
        ls_buf_cleanup(&was);
        ls_buf_puts(&j, "}");
    }
    ls_buf_puts(&j, "]}");
    ls_errors err;
    ls_errors_init(&err);
    ls_results *r = ls_results_parse(j.p, j.n, source, &err);
    assert_non_null(r);
    assert_int_equal(err.n, 0);
    ls_errors_cleanup(&err);
    ls_buf_cleanup(&j);
    return r;
}
