/*
 * ls_decimal.h - exact fixed-point scores.
 *
 * A score is an int64 count of the scheme's smallest step: with precision
 * 0.01 (digits = 2) the value 90.00 is 9000.  Points, bands and bonus caps
 * are parsed exactly from their decimal text; rule results (Lua numbers,
 * i.e. doubles) are rounded once, half up (四舍五入), the way an office's
 * Excel ROUND does: through their 15 significant decimal digits, so that
 * 10 * 52.12 / 80 (held as 6.514999...) becomes 6.52.  Sums are exact.
 *
 * Depends on: libc.
 */
#ifndef LS_DECIMAL_H
#define LS_DECIMAL_H

#include <stdint.h>

typedef int64_t ls_fixed;

#define LS_MAX_DIGITS 6
/* Largest magnitude accepted: keeps sums of a province's units exact. */
#define LS_FIXED_LIMIT 1000000000000LL /* 1e12 steps */

/* 10^digits. */
ls_fixed ls_dec_scale(int digits);

/* Parse decimal text ("12", "-0.5", "90.00") exactly.  Returns 0, or -1 if
 * s is not a plain decimal number, has more fractional digits than `digits`
 * (unless they are zeros), or is out of range. */
int ls_dec_parse(const char *s, int digits, ls_fixed *out);

/* Round a double half up (away from zero) at `digits`, through its 15
 * significant digits.  Returns -1 for NaN, infinities and out of range. */
int ls_dec_from_double(double x, int digits, ls_fixed *out);

/* The value as a double (for handing points to rules). */
double ls_dec_to_double(ls_fixed v, int digits);

/* Format with exactly `digits` decimals: 9000, 2 -> "90.00".  buf must hold
 * 32 bytes; returns buf. */
char *ls_dec_format(ls_fixed v, int digits, char *buf);

/* Format without trailing zeros: 9050, 2 -> "90.5"; 9000 -> "90". */
char *ls_dec_format_short(ls_fixed v, int digits, char *buf);

/* round_half_up(a * b / c) for non-negative b and positive c, exact
 * (128-bit intermediate).  Used for rescaling to the scheme's total. */
ls_fixed ls_dec_muldiv(ls_fixed a, ls_fixed b, ls_fixed c);

#endif
