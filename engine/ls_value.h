/*
 * ls_value.h - indicator types and values.
 *
 * The catalogue of a scheme declares each indicator's type; data files
 * give values as YAML scalars or CSV cells.  Parsing text into a checked
 * value is shared by every loader here.
 *
 * Depends on: ls_i18n, ls_util (in ls_value.c).
 */
#ifndef LS_VALUE_H
#define LS_VALUE_H

#include <stddef.h>

typedef enum {
    LS_T_INTEGER, /* whole numbers: 3, -1 */
    LS_T_NUMBER,  /* decimals: 0.5 */
    LS_T_PERCENT, /* percentage points 0..100: 92.5 or "92.5%" */
    LS_T_BOOLEAN, /* true/false, 是/否, yes/no, 1/0 */
    LS_T_ENUM,    /* one of a declared list of words */
    LS_T_TEXT     /* free text */
} ls_vtype;

typedef struct ls_value {
    unsigned char set;  /* 0: no value */
    unsigned char type; /* ls_vtype, as declared by the indicator */
    double num;         /* INTEGER, NUMBER, PERCENT; BOOLEAN 0/1; ENUM index */
    const char *str;    /* ENUM: the choice; TEXT: the text (not owned) */
} ls_value;

/* Name of a type as written in schemes ("integer", ...). */
const char *ls_vtype_name(ls_vtype t);
/* Parse a type name; returns -1 if unknown. */
int ls_vtype_parse(const char *s, ls_vtype *out);

/* Limits an indicator puts on its values. */
typedef struct ls_vspec {
    ls_vtype type;
    int has_min, has_max;
    double min, max;
    const char *const *choices; /* ENUM */
    size_t nchoices;
} ls_vspec;

/*
 * Parse text into a value of spec's type.  `plain` is 0 when the text was
 * quoted in YAML (a quoted "12" is a string, not a number); CSV cells are
 * plain.  The value's str points into `text` for TEXT, into the choices
 * for ENUM.  Returns 0, or -1 with a message ("expected an integer, found
 * '3.5'") written into msg.
 */
int ls_value_parse(const ls_vspec *spec, const char *text, int plain,
                   ls_value *out, char *msg, size_t msgsize);

/* A score typed as no number, the way people slip on a Chinese keyboard
 * (full-width digits "４", a unit after the number "4分"): writes the
 * message ls_value_parse gives such a number ("expected a number, found
 * '4分': write the number alone (4), without a unit") into msg and
 * returns 1; 0 (msg untouched) for any other text.  For the readers of
 * scores (自评分, 核定分), which are no indicator values. */
int ls_value_number_slip(const char *text, char *msg, size_t msgsize);

/* Format a value for people (reasons, explanations, CSV).  Writes into
 * buf, returns it. */
const char *ls_value_format(const ls_value *v, char *buf, size_t size);

/* Two values equal (for merging data files). */
int ls_value_equal(const ls_value *a, const ls_value *b);

#endif
