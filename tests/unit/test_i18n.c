/*
 * test_i18n.c - translated messages: the language follows LC_ALL /
 * LC_MESSAGES / LANG (and LANGUAGE), only LC_MESSAGES changes, and the
 * diagnostics (format and severity word) come out translated.  Uses the
 * build's catalogue (build/locale, made by `make` before the unit tests).
 */
#include "ls_test.h"

#include <locale.h>

#include "ls_error.h"
#include "ls_i18n.h"

static void set_env(const char *lc_all, const char *lang, const char *language)
{
    unsetenv("LC_MESSAGES");
    if (lc_all) setenv("LC_ALL", lc_all, 1);
    else unsetenv("LC_ALL");
    if (lang) setenv("LANG", lang, 1);
    else unsetenv("LANG");
    if (language) setenv("LANGUAGE", language, 1);
    else unsetenv("LANGUAGE");
    ls_i18n_init();
}

static char *diag(void)
{
    ls_errors e;
    ls_errors_init(&e);
    ls_errorf(&e, "data.yaml", 3, 5, "unknown unit '%s': it is not in the scheme's unit registry", "xfj");
    char *s = ls_diag_format(&e.v[0]);
    ls_errors_cleanup(&e);
    return s;
}

static void test_empty_and_null(void **state)
{
    (void)state;
    set_env(NULL, "zh_CN.UTF-8", NULL);
    /* gettext("") would be the catalogue's header */
    const char *empty = "";
    assert_ptr_equal(ls_i18n(empty), empty);
    assert_null(ls_i18n(NULL));
    const char *unknown = "a text no catalogue holds";
    assert_ptr_equal(ls_i18n(unknown), unknown);
    set_env(NULL, "C", NULL);
}

static void test_c_locale_is_english(void **state)
{
    (void)state;
    set_env(NULL, "C", "zh_CN"); /* gettext ignores LANGUAGE under C */
    assert_string_equal(ls_i18n("error"), "error");
    char *s = diag();
    assert_string_equal(s, "data.yaml:3:5: error: unknown unit 'xfj': it is not in the scheme's unit registry");
    free(s);
}

static void test_chinese_locale(void **state)
{
    (void)state;
    set_env(NULL, "zh_CN.UTF-8", NULL);
    const char *now = setlocale(LC_MESSAGES, NULL);
    if (!now || strcmp(now, "zh_CN.UTF-8"))
        fail_msg("the zh_CN.UTF-8 locale is missing (locale -a): make deps generates it");
    assert_string_equal(ls_i18n("error"), "错误");
    assert_string_equal(ls_i18n("warning"), "警告");
    char *s = diag();
    assert_string_equal(s, "data.yaml:3:5: 错误: 未知单位 'xfj'：方案的单位名册中没有该单位");
    free(s);
    /* Only the messages follow the locale: numbers and sorting stay C,
     * so outputs are the same byte for byte. */
    assert_string_equal(setlocale(LC_NUMERIC, NULL), "C");
    assert_string_equal(setlocale(LC_COLLATE, NULL), "C");
    char num[32];
    snprintf(num, sizeof num, "%.2f", 93.25);
    assert_string_equal(num, "93.25");
    set_env(NULL, "C", NULL);
}

static void test_lc_all_wins_over_lang(void **state)
{
    (void)state;
    set_env("C", "zh_CN.UTF-8", NULL);
    assert_string_equal(ls_i18n("error"), "error");
    set_env(NULL, "C", NULL);
}

static void test_language_with_c_utf8(void **state)
{
    (void)state;
    set_env("C.UTF-8", NULL, "zh_CN");
    assert_string_equal(ls_i18n("note"), "提示");
    set_env(NULL, "C", NULL);
    assert_string_equal(ls_i18n("note"), "note");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_and_null),
        cmocka_unit_test(test_c_locale_is_english),
        cmocka_unit_test(test_chinese_locale),
        cmocka_unit_test(test_lc_all_wins_over_lang),
        cmocka_unit_test(test_language_with_c_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
