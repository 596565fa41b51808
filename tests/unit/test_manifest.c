/*
 * test_manifest.c - the manifest of a run (ls_manifest): SHA-256 of the
 * fixture files against the values sha256sum printed when they were
 * created (and the FIPS 180-2 "abc" vector), distinct rule files, data
 * files, options, and errors for unreadable files.
 */
#include "ls_test.h"

#include <errno.h>

#include "ls_manifest.h"

#include "fixtures/export/mini_run.h"

/* sha256sum tests/unit/fixtures/export/... */
#define SHA_SCHEME "1577080951bd0e719ab762bb3eef5fa4cc36b9af4c5f05d7f4f98f583b2bc681"
#define SHA_REPORTS "885e709f0555a4ec63eb65503e350c61f7e464ff9d028e9aefd3b9b86880c4ec"
#define SHA_SCORE "c03cf8f659a5a7bb819286a5e106ae31b1e8fcf69ee942aa6696102bb7da2592"
#define SHA_DATA "867adff9087198c49eb2b8e2f43c0bfa91e916344ae7efd5c2e903b5f61453ca"
#define SHA_ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define SHA_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

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

static void test_sha256_file(void **state)
{
    (void)state;
    char hex[LS_SHA256_HEX];
    assert_int_equal(ls_sha256_file(MINI_DIR "abc.txt", hex), 0);
    assert_string_equal(hex, SHA_ABC);
    assert_int_equal(ls_sha256_file(MINI_DIR "empty.txt", hex), 0);
    assert_string_equal(hex, SHA_EMPTY);
    assert_int_equal(ls_sha256_file(MINI_DIR "scheme.yaml", hex), 0);
    assert_string_equal(hex, SHA_SCHEME);
    errno = 0;
    assert_int_equal(ls_sha256_file(MINI_DIR "missing.txt", hex), -1);
    assert_int_equal(errno, ENOENT);
}

static void test_manifest_files(void **state)
{
    mini_run *m = *state;
    ls_errors e;
    ls_errors_init(&e);
    ls_manifest *mf = ls_manifest_new(&m->s, &m->d, &e);
    assert_non_null(mf);
    assert_int_equal(e.n, 0);
    assert_string_equal(mf->version, LS_VERSION);
    /* Scheme, the two distinct rule files (score.lua serves six items),
     * the data file. */
    assert_int_equal(mf->nfiles, 4);
    assert_int_equal(mf->files[0].role, LS_MF_SCHEME);
    assert_string_equal(mf->files[0].path, MINI_DIR "scheme.yaml");
    assert_string_equal(mf->files[0].sha256, SHA_SCHEME);
    assert_int_equal(mf->files[1].role, LS_MF_RULE);
    assert_string_equal(mf->files[1].path, MINI_DIR "rules/reports.lua");
    assert_string_equal(mf->files[1].sha256, SHA_REPORTS);
    assert_int_equal(mf->files[2].role, LS_MF_RULE);
    assert_string_equal(mf->files[2].path, MINI_DIR "rules/score.lua");
    assert_string_equal(mf->files[2].sha256, SHA_SCORE);
    assert_int_equal(mf->files[3].role, LS_MF_DATA);
    assert_string_equal(mf->files[3].path, MINI_DIR "data.csv");
    assert_string_equal(mf->files[3].sha256, SHA_DATA);

    /* Further files: a plugin, added once. */
    assert_int_equal(ls_manifest_add_file(mf, LS_MF_PLUGIN, MINI_DIR "abc.txt", &e), 0);
    assert_int_equal(ls_manifest_add_file(mf, LS_MF_PLUGIN, MINI_DIR "abc.txt", &e), 0);
    assert_int_equal(mf->nfiles, 5);
    assert_string_equal(ls_mf_role_name(mf->files[4].role), "plugin");
    assert_string_equal(mf->files[4].sha256, SHA_ABC);
    ls_manifest_free(mf);
    ls_errors_cleanup(&e);
}

static void test_manifest_units_file_and_no_data(void **state)
{
    mini_run *m = *state;
    /* Units declared in a separate file are hashed once. */
    for (int u = 0; u < MU_UNITS; u++) m->s.units[u].path = MINI_DIR "empty.txt";
    ls_errors e;
    ls_errors_init(&e);
    ls_manifest *mf = ls_manifest_new(&m->s, NULL, &e);
    assert_non_null(mf);
    assert_int_equal(mf->nfiles, 4);
    assert_int_equal(mf->files[1].role, LS_MF_UNITS);
    assert_string_equal(mf->files[1].sha256, SHA_EMPTY);
    for (size_t i = 0; i < mf->nfiles; i++) assert_int_not_equal(mf->files[i].role, LS_MF_DATA);
    ls_manifest_free(mf);
    ls_errors_cleanup(&e);
}

static void test_manifest_options(void **state)
{
    mini_run *m = *state;
    ls_errors e;
    ls_errors_init(&e);
    ls_manifest *mf = ls_manifest_new(&m->s, &m->d, &e);
    assert_non_null(mf);
    ls_manifest_add_option(mf, "keep_going", "false");
    ls_manifest_add_option(mf, "jobs", "4");
    char v[8];
    strcpy(v, "true");
    ls_manifest_add_option(mf, "keep_going", v);
    strcpy(v, "xxxx"); /* copied, not borrowed */
    assert_int_equal(mf->nopts, 2);
    assert_string_equal(mf->opts[0].key, "keep_going");
    assert_string_equal(mf->opts[0].value, "true");
    assert_string_equal(mf->opts[1].key, "jobs");
    assert_string_equal(mf->opts[1].value, "4");
    ls_manifest_free(mf);
    ls_manifest_free(NULL);
    ls_errors_cleanup(&e);
}

static void test_manifest_missing_files(void **state)
{
    mini_run *m = *state;
    m->s.nodes[MN_C11].rule.path = MINI_DIR "rules/missing.lua";
    static const char *files[] = {MINI_DIR "data.csv", MINI_DIR "nodata.csv"};
    m->d.files = m->d.inputs = files;
    m->d.nfiles = m->d.ninputs = 2;
    ls_errors e;
    ls_errors_init(&e);
    assert_null(ls_manifest_new(&m->s, &m->d, &e));
    /* Every unreadable file is named. */
    assert_int_equal(e.nerrors, 2);
    assert_string_equal(e.v[0].path, MINI_DIR "rules/missing.lua");
    assert_string_equal(e.v[0].msg, "cannot read rule file for the manifest: No such file or directory");
    assert_string_equal(e.v[1].path, MINI_DIR "nodata.csv");
    assert_string_equal(e.v[1].msg, "cannot read data file for the manifest: No such file or directory");
    ls_errors_cleanup(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_file),
        cmocka_unit_test_setup_teardown(test_manifest_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_manifest_units_file_and_no_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_manifest_options, setup, teardown),
        cmocka_unit_test_setup_teardown(test_manifest_missing_files, setup, teardown),
    };
    return cmocka_run_group_tests_name("manifest", tests, NULL, NULL);
}
