/*
 * test_decimal.c - exact fixed-point scores: parsing, rounding half up
 * the way Excel's ROUND does, formatting, rescaling.
 */
#include "ls_test.h"

#include <math.h>

#include "ls_decimal.h"

static ls_fixed parse(const char *s, int digits)
{
    ls_fixed v = -999;
    assert_int_equal(ls_dec_parse(s, digits, &v), 0);
    return v;
}

static void test_parse_exact(void **state)
{
    (void)state;
    assert_int_equal(parse("90", 2), 9000);
    assert_int_equal(parse("90.00", 2), 9000);
    assert_int_equal(parse("0.5", 2), 50);
    assert_int_equal(parse("-0.25", 2), -25);
    assert_int_equal(parse("0.250", 2), 25);
    assert_int_equal(parse("12", 0), 12);
    ls_fixed v;
    assert_int_equal(ls_dec_parse("0.125", 2, &v), -1); /* finer than precision */
    assert_int_equal(ls_dec_parse("1e3", 2, &v), -1);
    assert_int_equal(ls_dec_parse("abc", 2, &v), -1);
    assert_int_equal(ls_dec_parse("", 2, &v), -1);
    assert_int_equal(ls_dec_parse("1.2.3", 2, &v), -1);
}

static ls_fixed round2(double x)
{
    ls_fixed v = -999;
    assert_int_equal(ls_dec_from_double(x, 2, &v), 0);
    return v;
}

static void test_round_half_up(void **state)
{
    (void)state;
    /* 10 * 52.12 / 80 is held as 6.514999...: offices get 6.52 */
    assert_int_equal(round2(10 * 52.12 / 80), 652);
    assert_int_equal(round2(0.1 + 0.2), 30);
    assert_int_equal(round2(2.675), 268); /* binary 2.67499999... */
    assert_int_equal(round2(1.005), 101);
    assert_int_equal(round2(0.125), 13);
    assert_int_equal(round2(-0.125), -13); /* away from zero, like ROUND */
    assert_int_equal(round2(0.0049), 0);
    assert_int_equal(round2(99.995), 10000);
    assert_int_equal(round2(3), 300);
    assert_int_equal(round2(1e-20), 0);
    ls_fixed v;
    assert_int_equal(ls_dec_from_double(0.0 / 0.0, 2, &v), -1);
    assert_int_equal(ls_dec_from_double(1.0 / 0.0, 2, &v), -1);
    assert_int_equal(ls_dec_from_double(1e300, 2, &v), -1);
}

/* The rounding by its definition: x to 15 significant digits ("%.14e"),
 * that decimal rounded half up (away from zero) at `digits`. */
static ls_fixed round_by_text(double x, int digits)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.14e", x);
    const char *p = buf;
    int neg = *p == '-';
    if (neg) p++;
    long long d = 0;
    for (; *p && *p != 'e'; p++)
        if (*p != '.') d = d * 10 + (*p - '0');
    int shift = atoi(p + 1) - 14 + digits; /* x = d * 10^(shift - digits) */
    long long v = d;
    for (int k = 0; k < shift; k++) v *= 10;
    if (shift < 0) {
        long long div = 1;
        for (int k = 0; k < -shift - 1 && div <= d; k++) div *= 10;
        v = -shift > 16 ? 0 : d / div / 10 + (d / div % 10 >= 5);
    }
    return neg ? -v : v;
}

/* ls_dec_from_double takes a short cut for values exact at the precision
 * (no snprintf): it must give what the definition gives, for exact values,
 * their neighbours one ulp away and halves. */
static void test_round_short_cut(void **state)
{
    (void)state;
    for (int digits = 0; digits <= 4; digits++) {
        double scale = (double)ls_dec_scale(digits);
        for (long long n = -30000; n <= 30000; n += 7) {
            double xs[] = {(double)n / scale,
                           nextafter((double)n / scale, 1e300),
                           nextafter((double)n / scale, -1e300),
                           ((double)n + 0.5) / scale,
                           (double)n * 1234.5678 / scale,
                           (double)n / 3.0 / scale};
            for (size_t i = 0; i < sizeof xs / sizeof *xs; i++) {
                ls_fixed v = -999;
                assert_int_equal(ls_dec_from_double(xs[i], digits, &v), 0);
                if (v != round_by_text(xs[i], digits))
                    fail_msg("%.17g at %d digits: %lld, by definition %lld", xs[i], digits, (long long)v,
                             (long long)round_by_text(xs[i], digits));
            }
        }
    }
    ls_fixed v;
    assert_int_equal(ls_dec_from_double(0.1, 2, &v), 0);
    assert_int_equal(v, 10);
    assert_int_equal(ls_dec_from_double(-0.0, 2, &v), 0);
    assert_int_equal(v, 0);
    /* exact, but past the limit of a score */
    assert_int_equal(ls_dec_from_double(1e13, 2, &v), -1);
    assert_int_equal(ls_dec_from_double(-1e13, 2, &v), -1);
}

static void test_sums_do_not_drift(void **state)
{
    (void)state;
    /* 91 - 0.3 - 0.3 - 0.4 = 90.00 exactly, each deduction rounded once */
    ls_fixed total = parse("91", 2);
    total -= round2(0.3);
    total -= round2(0.3);
    total -= round2(0.4);
    assert_int_equal(total, 9000);
    ls_fixed sum = 0;
    for (int i = 0; i < 1000; i++) sum += round2(0.1);
    assert_int_equal(sum, 10000);
}

static void test_format(void **state)
{
    (void)state;
    char buf[32];
    assert_string_equal(ls_dec_format(9000, 2, buf), "90.00");
    assert_string_equal(ls_dec_format(5, 2, buf), "0.05");
    assert_string_equal(ls_dec_format(-5, 2, buf), "-0.05");
    assert_string_equal(ls_dec_format(7, 0, buf), "7");
    assert_string_equal(ls_dec_format_short(9050, 2, buf), "90.5");
    assert_string_equal(ls_dec_format_short(9000, 2, buf), "90");
    assert_string_equal(ls_dec_format_short(0, 2, buf), "0");
}

static void test_muldiv_rescale(void **state)
{
    (void)state;
    /* 52.12 of 80 applicable points rescaled to 100: 65.15 */
    assert_int_equal(ls_dec_muldiv(5212, 10000, 8000), 6515);
    /* 72.50 of 80 -> 90.625 -> 90.63 (half up) */
    assert_int_equal(ls_dec_muldiv(7250, 10000, 8000), 9063);
    /* 2/3 -> 0.666.. -> 0.67; 1/3 -> 0.33 */
    assert_int_equal(ls_dec_muldiv(200, 100, 300), 67);
    assert_int_equal(ls_dec_muldiv(100, 100, 300), 33);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_exact),
        cmocka_unit_test(test_round_half_up),
        cmocka_unit_test(test_round_short_cut),
        cmocka_unit_test(test_sums_do_not_drift),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_muldiv_rescale),
    };
    return cmocka_run_group_tests_name("decimal", tests, NULL, NULL);
}
