/*
 * ls_value.c - indicator types and values (see ls_value.h).
 */
#include "ls_value.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ls_i18n.h"
#include "ls_util.h"

static const char *const type_names[] = {"integer", "number", "percent",
                                         "boolean", "enum", "text"};

const char *ls_vtype_name(ls_vtype t) { return type_names[t]; }

int ls_vtype_parse(const char *s, ls_vtype *out)
{
    for (int i = 0; i < 6; i++)
        if (!strcmp(s, type_names[i])) {
            *out = (ls_vtype)i;
            return 0;
        }
    if (!strcmp(s, "enumeration")) {
        *out = LS_T_ENUM;
        return 0;
    }
    if (!strcmp(s, "bool")) {
        *out = LS_T_BOOLEAN;
        return 0;
    }
    return -1;
}

/* Strict decimal number: optional sign, digits, optional fraction, optional
 * exponent.  Refuses hex, inf, nan, spaces and empty text, which strtod
 * would take. */
static int parse_number(const char *s, double *out)
{
    const char *p = s;
    if (*p == '+' || *p == '-') p++;
    if (!(*p >= '0' && *p <= '9') && !(*p == '.' && p[1] >= '0' && p[1] <= '9'))
        return -1;
    while (*p >= '0' && *p <= '9') p++;
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-') p++;
        if (!(*p >= '0' && *p <= '9')) return -1;
        while (*p >= '0' && *p <= '9') p++;
    }
    if (*p) return -1;
    /* Most values are short decimals ("86.5", "12"): digits d of at most
     * 15 with k <= 15 after the point are d / 10^k, both exact doubles,
     * and one division rounds correctly: the same double strtod gives,
     * at a fraction of its cost (a province holds 52 million values). */
    {
        const char *q = s;
        int neg = *q == '-';
        if (*q == '+' || *q == '-') q++;
        uint64_t m = 0;
        int nd = 0, frac = -1;
        for (; *q; q++) {
            if (*q == '.') {
                frac = 0;
                continue;
            }
            if (*q < '0' || *q > '9' || nd == 15) break;
            m = m * 10 + (uint64_t)(*q - '0');
            nd++;
            if (frac >= 0) frac++;
        }
        if (!*q) {
            static const double p10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
                                         1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
            double d = frac > 0 ? (double)m / p10[frac] : (double)m;
            *out = neg ? -d : d;
            return 0;
        }
    }
    errno = 0;
    double d = strtod(s, NULL);
    if (errno == ERANGE || !isfinite(d)) return -2;
    *out = d;
    return 0;
}

/* The length of the number that s starts with (as parse_number reads
 * one), 0 when s starts with none. */
static size_t number_prefix(const char *s)
{
    const char *p = s;
    if (*p == '+' || *p == '-') p++;
    if (!(*p >= '0' && *p <= '9')) return 0;
    while (*p >= '0' && *p <= '9') p++;
    if (*p == '.' && p[1] >= '0' && p[1] <= '9') {
        p++;
        while (*p >= '0' && *p <= '9') p++;
    }
    return (size_t)(p - s);
}

/* Whether s reads as a date, as a spreadsheet writes one into a CSV:
 * three groups of digits separated by '/', '-' or '.' (2017/3/1,
 * 03/01/2017, 2017-03-01), or 2017年3月1日. */
static int looks_date(const char *s)
{
    const char *p = s;
    for (int g = 0; g < 3; g++) {
        const char *d = p;
        while (*p >= '0' && *p <= '9') p++;
        if (p == d || p - d > 4) return 0;
        if (g == 2) break;
        static const char *const seps[] = {"/", "-", ".", "年", "月"};
        size_t i;
        for (i = 0; i < sizeof seps / sizeof *seps; i++)
            if (!strncmp(p, seps[i], strlen(seps[i]))) break;
        if (i == sizeof seps / sizeof *seps) return 0;
        p += strlen(seps[i]);
    }
    return !*p || !strcmp(p, "日");
}

/* Whether s is a whole number written with thousands separators
 * (1,200 or 12,345,678), as a cell formatted with them shows it. */
static int has_thousands(const char *s)
{
    const char *p = s;
    if (*p == '+' || *p == '-') p++;
    size_t lead = 0;
    while (p[lead] >= '0' && p[lead] <= '9') lead++;
    if (!lead || lead > 3 || p[lead] != ',') return 0;
    p += lead;
    while (*p == ',') {
        for (int k = 1; k <= 3; k++)
            if (!(p[k] >= '0' && p[k] <= '9')) return 0;
        p += 4;
    }
    return *p == '\0' || *p == '.';
}

/* Whether s holds a full-width digit (０-９: U+FF10-FF19), typed with a
 * Chinese input method in full-width mode. */
static int has_fullwidth_digit(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; p[0]; p++)
        if (p[0] == 0xEF && p[1] == 0xBC && p[2] >= 0x90 && p[2] <= 0x99) return 1;
    return 0;
}

/* Whether s is what people write in a cell for "none" or "does not
 * apply" (无, /, —, 不适用). */
static int says_none(const char *s)
{
    static const char *const words[] = {"无", "/", "／", "-", "－", "—", "——", "没有", "暂无", "不适用", "N/A", "n/a"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (!strcmp(s, words[i])) return 1;
    return 0;
}

static int looks_nonfinite(const char *s)
{
    const char *p = s;
    if (*p == '+' || *p == '-') p++;
    if (*p >= '0' && *p <= '9') return 0; /* a number, or no word: most values */
    if (*p == '.') p++;
    return !strcasecmp(p, "inf") || !strcasecmp(p, "infinity") || !strcasecmp(p, "nan");
}

/* A value quoted in a message: at most 60 bytes, never half a character. */
#define CLIP(t) ls_utf8_clip((t), 60), (t)

/* "%.15g" of d, plus suffix.  Whole numbers below 10^15 (counts, most
 * values) are written digit by digit: items.csv formats every value a
 * rule read, while the units are scored, and snprintf cost more than the
 * rest of a row.  "%.15g" prints such a number as its digits too (no
 * exponent below 10^15); -0 keeps snprintf ("-0"). */
static void fmt_num(double d, const char *suffix, char *buf, size_t size)
{
    size_t sl = strlen(suffix);
    if (d == floor(d) && fabs(d) < 1e15 && !(d == 0 && signbit(d)) && size >= 18 + sl) {
        unsigned long long a = (unsigned long long)fabs(d);
        char tmp[20];
        size_t n = 0, k = 0;
        do {
            tmp[n++] = (char)('0' + a % 10);
            a /= 10;
        } while (a);
        if (d < 0) buf[k++] = '-';
        while (n) buf[k++] = tmp[--n];
        memcpy(buf + k, suffix, sl + 1);
        return;
    }
    snprintf(buf, size, "%.15g%s", d, suffix);
}

/* snprintf(buf, size, "%s", s) without the format machinery. */
static void copy_text(const char *s, char *buf, size_t size)
{
    if (!size) return;
    size_t n = strlen(s);
    if (n >= size) n = size - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
}

/* The message for a number typed as people slip on a Chinese keyboard
 * (text, s without its percent sign, np its leading digits): in full-width
 * digits, or followed by its unit ("4人", "4分").  1 when it is one. */
static int typing_slip(const char *what, const char *text, const char *s, size_t np, char *msg, size_t msgsize)
{
    if (has_fullwidth_digit(s))
        snprintf(msg, msgsize,
                 _("expected %s, found '%.*s', in full-width digits: type the number with the input "
                   "method in half-width mode (半角)"),
                 _(what), CLIP(text));
    else if (np && (unsigned char)s[np] >= 0x80)
        snprintf(msg, msgsize, _("expected %s, found '%.*s': write the number alone (%.*s), without a unit"),
                 _(what), CLIP(text), (int)np, s);
    else return 0;
    return 1;
}

int ls_value_number_slip(const char *text, char *msg, size_t msgsize)
{
    return typing_slip(N_("a number"), text, text, number_prefix(text), msg, msgsize);
}

int ls_value_parse(const ls_vspec *spec, const char *text, int plain,
                   ls_value *out, char *msg, size_t msgsize)
{
    memset(out, 0, sizeof *out);
    out->type = (unsigned char)spec->type;
    switch (spec->type) {
    case LS_T_INTEGER:
    case LS_T_NUMBER:
    case LS_T_PERCENT: {
        /* translated only for a message: this runs for every value */
        const char *what = spec->type == LS_T_INTEGER  ? N_("an integer")
                           : spec->type == LS_T_NUMBER ? N_("a number")
                                                       : N_("a percentage");
        char tmp[64];
        const char *s = text;
        size_t len = strlen(text);
        /* 95% or, as a Chinese input method types it, 95％ (U+FF05) */
        size_t pl = len > 0 && text[len - 1] == '%'                         ? 1
                    : len > 3 && !memcmp(text + len - 3, "\xEF\xBC\x85", 3) ? 3
                                                                            : 0;
        if (spec->type == LS_T_PERCENT && pl && len < sizeof tmp) {
            size_t n = len - pl;
            while (n && text[n - 1] == ' ') n--; /* 95 % */
            memcpy(tmp, text, n);
            tmp[n] = '\0';
            s = tmp;
        }
        if (!plain) {
            snprintf(msg, msgsize, _("expected %s, found the quoted string \"%.*s\" "
                                     "(write numbers without quotes)"),
                     _(what), CLIP(text));
            return -1;
        }
        if (looks_nonfinite(s)) {
            snprintf(msg, msgsize, _("expected %s, found '%.*s' (not a finite number)"),
                     _(what), CLIP(text));
            return -1;
        }
        double d;
        int rc = parse_number(s, &d);
        if (rc == -2) {
            snprintf(msg, msgsize, _("expected %s, found '%.*s' (out of range)"), _(what), CLIP(text));
            return -1;
        }
        if (rc) {
            size_t np = number_prefix(s);
            if (looks_date(text))
                snprintf(msg, msgsize,
                         _("expected %s, found '%.*s', a date: type the value itself (a spreadsheet turns "
                           "3-1 or 3/1 typed into a cell into a date; format the column as a number first)"),
                         _(what), CLIP(text));
            else if (says_none(s))
                snprintf(msg, msgsize,
                         _("expected %s, found '%.*s': write 0 when there is none, or leave the cell empty when "
                           "it does not apply"),
                         _(what), CLIP(text));
            else if (has_thousands(s))
                snprintf(msg, msgsize, _("expected %s, found '%.*s': write the number without thousands separators"),
                         _(what), CLIP(text));
            else if (!typing_slip(what, text, s, np, msg, msgsize))
                snprintf(msg, msgsize, _("expected %s, found '%.*s'"), _(what), CLIP(text));
            return -1;
        }
        if (spec->type == LS_T_INTEGER && (d != floor(d) || fabs(d) > 9007199254740992.0)) {
            snprintf(msg, msgsize, _("expected an integer, found '%.*s'"), CLIP(text));
            return -1;
        }
        double lo = spec->has_min ? spec->min : (spec->type == LS_T_PERCENT ? 0 : -INFINITY);
        double hi = spec->has_max ? spec->max : (spec->type == LS_T_PERCENT ? 100 : INFINITY);
        if (d < lo || d > hi) {
            char a[32], b[32];
            fmt_num(lo, "", a, sizeof a);
            fmt_num(hi, "", b, sizeof b);
            if (isinf(lo)) snprintf(msg, msgsize, _("value %.*s is out of range: at most %s"), CLIP(text), b);
            else if (isinf(hi)) snprintf(msg, msgsize, _("value %.*s is out of range: at least %s"), CLIP(text), a);
            else snprintf(msg, msgsize, _("value %.*s is out of range %s..%s"), CLIP(text), a, b);
            return -1;
        }
        out->num = d == 0 ? 0 : d; /* no -0 */
        break;
    }
    case LS_T_BOOLEAN: {
        static const char *const yes[] = {"true", "yes", "是", "1", "True", "TRUE", "Yes", "YES", "y", "Y"};
        static const char *const no[] = {"false", "no", "否", "0", "False", "FALSE", "No", "NO", "n", "N"};
        for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
            if (!strcmp(text, yes[i])) {
                out->num = 1;
                goto ok;
            }
            if (!strcmp(text, no[i])) {
                out->num = 0;
                goto ok;
            }
        }
        snprintf(msg, msgsize, _("expected true or false (是/否), found '%.*s'"), CLIP(text));
        return -1;
    }
    case LS_T_ENUM:
        for (size_t i = 0; i < spec->nchoices; i++)
            if (!strcmp(text, spec->choices[i])) {
                out->num = (double)i;
                out->str = spec->choices[i];
                goto ok;
            }
        {
            size_t n = (size_t)snprintf(msg, msgsize, _("expected one of "));
            for (size_t i = 0; i < spec->nchoices && n < msgsize; i++)
                n += (size_t)snprintf(msg + n, msgsize - n, "%s%s", i ? ", " : "", spec->choices[i]);
            if (n < msgsize) snprintf(msg + n, msgsize - n, _("; found '%.*s'"), CLIP(text));
            ls_utf8_fix_tail(msg);
        }
        return -1;
    case LS_T_TEXT:
        out->str = text;
        break;
    }
ok:
    out->set = 1;
    return 0;
}

const char *ls_value_format(const ls_value *v, char *buf, size_t size)
{
    if (!v->set) snprintf(buf, size, _("(none)"));
    else switch ((ls_vtype)v->type) {
        case LS_T_BOOLEAN: copy_text(v->num != 0 ? "是" : "否", buf, size); break;
        case LS_T_ENUM:
        case LS_T_TEXT: copy_text(v->str, buf, size); break;
        case LS_T_PERCENT: fmt_num(v->num, "%", buf, size); break;
        default: fmt_num(v->num, "", buf, size); break;
        }
    return buf;
}

int ls_value_equal(const ls_value *a, const ls_value *b)
{
    if (a->set != b->set) return 0;
    if (!a->set) return 1;
    if (a->type == LS_T_TEXT) return !strcmp(a->str, b->str);
    return a->num == b->num;
}
