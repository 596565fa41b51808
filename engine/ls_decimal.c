/*
 * ls_decimal.c - exact fixed-point scores (see ls_decimal.h).
 */
#include "ls_decimal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

ls_fixed ls_dec_scale(int digits)
{
    ls_fixed s = 1;
    for (int i = 0; i < digits; i++) s *= 10;
    return s;
}

/* Shared by parse and from_double: a decimal string of the form
 * [-]digits[.digits][e[+-]digits], rounded half up at `digits`. */
static int parse_rounding(const char *s, int digits, int round, ls_fixed *out)
{
    int neg = 0;
    const char *p = s;
    if (*p == '-' || *p == '+') neg = (*p++ == '-');
    /* Collect all digits into a mantissa string and a decimal exponent. */
    char mant[64];
    int nm = 0, exp10 = 0, seen_digit = 0, seen_dot = 0;
    for (;; p++) {
        if (*p >= '0' && *p <= '9') {
            seen_digit = 1;
            if (nm == 0 && *p == '0') {
                if (seen_dot) exp10--;
                continue;
            }
            if (nm >= (int)sizeof mant - 1) return -1;
            mant[nm++] = *p;
            if (seen_dot) exp10--;
        } else if (*p == '.' && !seen_dot) {
            seen_dot = 1;
        } else {
            break;
        }
    }
    if (!seen_digit) return -1;
    if (*p == 'e' || *p == 'E') {
        if (!round) return -1;
        char *end;
        long e = strtol(p + 1, &end, 10);
        if (end == p + 1 || e > 100 || e < -400) return -1;
        exp10 += (int)e;
        p = end;
    }
    if (*p) return -1;
    /* value = mant * 10^exp10; we want value * 10^digits as an integer. */
    int shift = exp10 + digits;
    ls_fixed v = 0;
    int i;
    int keep = nm + shift; /* mantissa digits kept */
    if (keep > nm) keep = nm;
    for (i = 0; i < keep; i++) {
        v = v * 10 + (mant[i] - '0');
        if (v > LS_FIXED_LIMIT) return -1;
    }
    for (int k = 0; k < shift; k++) {
        v *= 10;
        if (v > LS_FIXED_LIMIT) return -1;
    }
    /* Dropped digits: exact parse refuses non-zero ones, rounding looks at
     * the first one only (half up). */
    int first = keep < 0 ? -1 : keep;
    for (i = keep < 0 ? 0 : keep; i < nm; i++) {
        if (mant[i] != '0') {
            if (!round) return -1;
            break;
        }
    }
    if (round && first >= 0 && first < nm && mant[first] >= '5') v++;
    *out = neg ? -v : v;
    return 0;
}

int ls_dec_parse(const char *s, int digits, ls_fixed *out)
{
    return parse_rounding(s, digits, 0, out);
}

int ls_dec_from_double(double x, int digits, ls_fixed *out)
{
    if (!isfinite(x) || fabs(x) > 1e15) return -1;
    /* Most rule values are exact at the scheme's precision (3, 1.5,
     * 0.25; 0.1 as the double nearest it): n = x * 10^digits is a whole
     * number below 10^15 and n / 10^digits gives x back.  Then x is the
     * double nearest the decimal n / 10^digits of at most 15 significant
     * digits, which "%.15g" prints exactly (DBL_DIG), so the slow path
     * below would find n too: skip snprintf, which costs more than the
     * rest of a rule call's bookkeeping. */
    if (digits >= 0 && digits <= 15) {
        double scale = (double)ls_dec_scale(digits);
        double y = x * scale;
        if (fabs(y) < 1e15) {
            long long n = (long long)y;
            if ((double)n == y && (double)n / scale == x) {
                if (n > LS_FIXED_LIMIT || n < -LS_FIXED_LIMIT) return -1;
                *out = (ls_fixed)n;
                return 0;
            }
        }
    }
    char buf[64];
    snprintf(buf, sizeof buf, "%.15g", x);
    return parse_rounding(buf, digits, 1, out);
}

double ls_dec_to_double(ls_fixed v, int digits)
{
    char buf[32];
    return strtod(ls_dec_format(v, digits, buf), NULL);
}

char *ls_dec_format(ls_fixed v, int digits, char *buf)
{
    /* Digits are written backwards into a scratch buffer: this runs for
     * every score of every output file, and snprintf costs ~10x more. */
    unsigned long long a = v < 0 ? (unsigned long long)(-(v + 1)) + 1 : (unsigned long long)v;
    char tmp[32];
    int n = 0;
    for (int i = 0; i < digits; i++) {
        tmp[n++] = (char)('0' + a % 10);
        a /= 10;
    }
    if (digits > 0) tmp[n++] = '.';
    do {
        tmp[n++] = (char)('0' + a % 10);
        a /= 10;
    } while (a);
    if (v < 0) tmp[n++] = '-';
    for (int i = 0; i < n; i++) buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return buf;
}

char *ls_dec_format_short(ls_fixed v, int digits, char *buf)
{
    ls_dec_format(v, digits, buf);
    if (digits > 0) {
        size_t n = strlen(buf);
        while (buf[n - 1] == '0') buf[--n] = '\0';
        if (buf[n - 1] == '.') buf[--n] = '\0';
    }
    return buf;
}

ls_fixed ls_dec_muldiv(ls_fixed a, ls_fixed b, ls_fixed c)
{
    __int128 p = (__int128)a * b;
    int neg = p < 0;
    if (neg) p = -p;
    __int128 q = p / c, r = p % c;
    if (2 * r >= c) q++;
    return (ls_fixed)(neg ? -q : q);
}
