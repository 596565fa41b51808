/*
 * test_value.c - indicator values: strict parsing of every type from text,
 * ranges, non-finite numbers, and formatting for people.
 */
#include "ls_test.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ls_value.h"

static char msg[256];

static int parse(ls_vtype t, const char *text, int plain, ls_value *v)
{
    static const char *const choices[] = {"专门机构", "兼管", "无"};
    ls_vspec spec = {.type = t, .choices = choices, .nchoices = 3};
    return ls_value_parse(&spec, text, plain, v, msg, sizeof msg);
}

static void test_numbers(void **state)
{
    (void)state;
    ls_value v;
    assert_int_equal(parse(LS_T_INTEGER, "12", 1, &v), 0);
    assert_true(v.set && v.num == 12);
    assert_int_equal(parse(LS_T_INTEGER, "-0", 1, &v), 0);
    assert_true(v.num == 0 && !signbit(v.num));
    assert_int_equal(parse(LS_T_INTEGER, "1.5", 1, &v), -1);
    assert_string_equal(msg, "expected an integer, found '1.5'");
    assert_int_equal(parse(LS_T_NUMBER, "0x10", 1, &v), -1); /* strtod would take it */
    assert_int_equal(parse(LS_T_NUMBER, " 1", 1, &v), -1);
    assert_int_equal(parse(LS_T_NUMBER, "", 1, &v), -1);
    assert_int_equal(parse(LS_T_NUMBER, "inf", 1, &v), -1);
    assert_string_equal(msg, "expected a number, found 'inf' (not a finite number)");
    assert_int_equal(parse(LS_T_NUMBER, "1e400", 1, &v), -1);
    assert_string_equal(msg, "expected a number, found '1e400' (out of range)");
    assert_int_equal(parse(LS_T_NUMBER, "2.5e1", 1, &v), 0);
    assert_true(v.num == 25);
    assert_int_equal(parse(LS_T_NUMBER, "12", 0, &v), -1); /* quoted in YAML */
    assert_int_equal(parse(LS_T_PERCENT, "88.9%", 1, &v), 0);
    assert_true(v.num == 88.9);
    assert_int_equal(parse(LS_T_PERCENT, "100.5", 1, &v), -1);
    assert_string_equal(msg, "value 100.5 is out of range 0..100");
}

/* What people type into a spreadsheet: a full-width percent sign is read
 * as %, a number with its unit and a date are errors that say so. */
static void test_typed_in_cells(void **state)
{
    (void)state;
    ls_value v;
    assert_int_equal(parse(LS_T_PERCENT, "95％", 1, &v), 0);
    assert_true(v.num == 95);
    assert_int_equal(parse(LS_T_PERCENT, "95 %", 1, &v), 0);
    assert_true(v.num == 95);
    assert_int_equal(parse(LS_T_PERCENT, " %", 1, &v), -1);
    assert_int_equal(parse(LS_T_PERCENT, "％", 1, &v), -1);
    assert_string_equal(msg, "expected a percentage, found '％'");
    assert_int_equal(parse(LS_T_INTEGER, "4人", 1, &v), -1);
    assert_string_equal(msg, "expected an integer, found '4人': write the number alone (4), without a unit");
    assert_int_equal(parse(LS_T_NUMBER, "-2.5分", 1, &v), -1);
    assert_string_equal(msg, "expected a number, found '-2.5分': write the number alone (-2.5), without a unit");
    assert_int_equal(parse(LS_T_INTEGER, "4 人", 1, &v), -1); /* not a number and a unit */
    assert_string_equal(msg, "expected an integer, found '4 人'");
    const char *dates[] = {"2017/3/1", "03/01/2017", "2017-03-01", "2017.3.1", "2017年3月1日"};
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++) {
        assert_int_equal(parse(LS_T_INTEGER, dates[i], 1, &v), -1);
        assert_non_null(strstr(msg, "', a date: type the value itself"));
    }
    assert_int_equal(parse(LS_T_INTEGER, "1,200", 1, &v), -1);
    assert_string_equal(msg, "expected an integer, found '1,200': write the number without thousands separators");
    assert_int_equal(parse(LS_T_NUMBER, "-12,345,678.5", 1, &v), -1);
    assert_non_null(strstr(msg, "without thousands separators"));
    assert_int_equal(parse(LS_T_NUMBER, "1,2", 1, &v), -1); /* a decimal comma is not a separator */
    assert_string_equal(msg, "expected a number, found '1,2'");
    assert_int_equal(parse(LS_T_NUMBER, "1234,567", 1, &v), -1);
    assert_string_equal(msg, "expected a number, found '1234,567'");
    assert_int_equal(parse(LS_T_INTEGER, "１２", 1, &v), -1);
    assert_string_equal(msg, "expected an integer, found '１２', in full-width digits: type the number with the "
                             "input method in half-width mode (半角)");
    const char *none[] = {"无", "/", "—", "不适用"};
    for (size_t i = 0; i < sizeof none / sizeof *none; i++) {
        assert_int_equal(parse(LS_T_INTEGER, none[i], 1, &v), -1);
        assert_non_null(strstr(msg, "': write 0 when there is none, or leave the cell empty when it does not apply"));
    }
    assert_int_equal(parse(LS_T_INTEGER, "1/2", 1, &v), -1); /* two groups: no date */
    assert_string_equal(msg, "expected an integer, found '1/2'");
    assert_int_equal(parse(LS_T_INTEGER, "12345/1/1", 1, &v), -1);
    assert_string_equal(msg, "expected an integer, found '12345/1/1'");
}

/* Short decimals take a fast path (digits / 10^k); every number read
 * must still be the double strtod gives, bit for bit. */
static void test_numbers_as_strtod(void **state)
{
    (void)state;
    static const char *const fixed[] = {"0.1", "0.3", "86.5", "1.", ".5", "-.5", "+7", "007.50", "0.000000000000001",
                                        "123456789012345", "12345678901234.5", "1234567890123456",
                                        "9007199254740993", "0.1234567890123456789", "99999999999999.99",
                                        "1e-7", "4.35", "2.675", "1.0000000000000002"};
    ls_value v;
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++) {
        assert_int_equal(parse(LS_T_NUMBER, fixed[i], 1, &v), 0);
        double want = strtod(fixed[i], NULL);
        assert_memory_equal(&v.num, &want, sizeof want);
    }
    /* random digits with the point anywhere, 1 to 18 digits */
    uint64_t x = 88172645463325252u;
    char text[32];
    for (int n = 0; n < 200000; n++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int nd = (int)(x % 18) + 1, point = (int)((x >> 8) % (uint64_t)(nd + 1));
        size_t k = 0;
        for (int d = 0; d < nd; d++) {
            if (d == point) text[k++] = '.';
            text[k++] = (char)('0' + (x >> (12 + 3 * d % 48)) % 10);
        }
        text[k] = '\0';
        assert_int_equal(parse(LS_T_NUMBER, text, 1, &v), 0);
        double want = strtod(text, NULL);
        if (memcmp(&v.num, &want, sizeof want)) fail_msg("'%s': %.17g, strtod %.17g", text, v.num, want);
    }
}

static void test_ranges(void **state)
{
    (void)state;
    ls_vspec spec = {.type = LS_T_INTEGER, .has_min = 1, .min = 0, .has_max = 1, .max = 10};
    ls_value v;
    assert_int_equal(ls_value_parse(&spec, "10", 1, &v, msg, sizeof msg), 0);
    assert_int_equal(ls_value_parse(&spec, "11", 1, &v, msg, sizeof msg), -1);
    assert_string_equal(msg, "value 11 is out of range 0..10");
}

static void test_boolean_enum_text(void **state)
{
    (void)state;
    ls_value v;
    assert_int_equal(parse(LS_T_BOOLEAN, "是", 1, &v), 0);
    assert_true(v.num == 1);
    assert_int_equal(parse(LS_T_BOOLEAN, "false", 1, &v), 0);
    assert_true(v.num == 0);
    assert_int_equal(parse(LS_T_BOOLEAN, "maybe", 1, &v), -1);
    assert_string_equal(msg, "expected true or false (是/否), found 'maybe'");
    assert_int_equal(parse(LS_T_ENUM, "兼管", 1, &v), 0);
    assert_string_equal(v.str, "兼管");
    assert_true(v.num == 1);
    assert_int_equal(parse(LS_T_ENUM, "律师", 1, &v), -1);
    assert_string_equal(msg, "expected one of 专门机构, 兼管, 无; found '律师'");
    assert_int_equal(parse(LS_T_TEXT, "任意文字", 0, &v), 0);
    assert_string_equal(v.str, "任意文字");
}

static void test_format_and_equal(void **state)
{
    (void)state;
    char buf[64];
    ls_value a, b;
    parse(LS_T_PERCENT, "88.9", 1, &a);
    assert_string_equal(ls_value_format(&a, buf, sizeof buf), "88.9%");
    parse(LS_T_BOOLEAN, "yes", 1, &a);
    assert_string_equal(ls_value_format(&a, buf, sizeof buf), "是");
    ls_value none = {0};
    assert_string_equal(ls_value_format(&none, buf, sizeof buf), "(none)");
    parse(LS_T_NUMBER, "0.30", 1, &a);
    parse(LS_T_NUMBER, "0.3", 1, &b);
    assert_true(ls_value_equal(&a, &b));
    parse(LS_T_NUMBER, "0.31", 1, &b);
    assert_false(ls_value_equal(&a, &b));
}

/* Numbers are formatted as "%.15g" gives them (whole numbers take a
 * short cut without snprintf), with "%" for percentages; text is cut to
 * the buffer as snprintf would cut it. */
static void test_format_like_printf(void **state)
{
    (void)state;
    const double xs[] = {0, -0.0, 1, -1, 7, 10, 99, 100, 12345, -12345, 0.5, 2.25, 1e14, 999999999999999,
                         -999999999999999, 1e15, 1e16, 123456789012345678.0, 0.1 + 0.2, 1e-7, 3.0e300};
    char buf[64], want[64];
    for (size_t i = 0; i < sizeof xs / sizeof *xs; i++) {
        for (int pct = 0; pct <= 1; pct++) {
            ls_value v = {.set = 1, .type = pct ? LS_T_PERCENT : LS_T_NUMBER, .num = xs[i]};
            snprintf(want, sizeof want, pct ? "%.15g%%" : "%.15g", xs[i]);
            assert_string_equal(ls_value_format(&v, buf, sizeof buf), want);
        }
    }
    for (long long n = -100000; n <= 100000; n += 37) {
        ls_value v = {.set = 1, .type = LS_T_INTEGER, .num = (double)n * 1000003};
        snprintf(want, sizeof want, "%.15g", v.num);
        assert_string_equal(ls_value_format(&v, buf, sizeof buf), want);
    }
    ls_value t = {.set = 1, .type = LS_T_TEXT, .str = "0123456789"};
    char small[5];
    assert_string_equal(ls_value_format(&t, small, sizeof small), "0123");
    ls_value big = {.set = 1, .type = LS_T_NUMBER, .num = 123456};
    assert_string_equal(ls_value_format(&big, small, sizeof small), "1234"); /* cut, as snprintf cuts */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_numbers_as_strtod),
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_typed_in_cells),
        cmocka_unit_test(test_boolean_enum_text),
        cmocka_unit_test(test_format_and_equal),
        cmocka_unit_test(test_format_like_printf),
    };
    return cmocka_run_group_tests_name("value", tests, NULL, NULL);
}
