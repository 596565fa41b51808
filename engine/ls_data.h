/*
 * ls_data.h - indicator data: one value per (unit, indicator), merged from
 * one or more YAML or CSV files and checked against the scheme's catalogue.
 * File formats are described in docs/data.md.  A CSV or spreadsheet file
 * is read on a thread of its own while the files before it are loaded
 * (one file ahead); its messages keep their place.
 *
 * Depends on: ls_i18n, ls_scheme, ls_intable (CSV and spreadsheet tables),
 * ls_yaml and ls_yread (YAML files), ls_strmap, ls_arena, ls_error, ls_util,
 * pthreads.
 */
#ifndef LS_DATA_H
#define LS_DATA_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ls_arena.h"
#include "ls_error.h"
#include "ls_scheme.h"
#include "ls_yaml.h"

/* A warning about the data that a load printed (a doubtful value: a
 * percentage typed as a fraction), kept for the published results
 * (docs/output.md "warnings"): they are a run's record, not only the
 * screen's.  Strings are in the data set's arena. */
typedef enum {
    LS_DW_PERCENT_FRACTION, /* a percent value in (0, 1] without '%' */
    LS_DW_OTHER             /* any other warning about a data file */
} ls_data_warning_kind;

typedef struct ls_data_warning {
    ls_data_warning_kind kind;
    const char *file;  /* as the message names it */
    int line, col;     /* col < 0: a spreadsheet column (ls_error.h) */
    int unit, ind;     /* the value's unit and indicator, -1 when none */
    const char *value; /* the text given, NULL when none */
    const char *msg;   /* the message, untranslated (the outputs are the
                          same in every locale; the workbook and report
                          word a LS_DW_PERCENT_FRACTION in Chinese) */
    int next;          /* the unit's next warning about a value, -1 */
} ls_data_warning;

typedef struct ls_dataset {
    const ls_scheme *scheme; /* not owned */
    uint64_t *cells;         /* nunits * ninds, row = unit: each value in
                                8 bytes (ls_dataset_value, ls_dataset_put;
                                an ls_value takes 24, and a province holds
                                52 million); all-zero bits are "no value" */
    unsigned char *given;    /* same shape: 1 when a data file gave the
                                value (0: a default, none, or a correction
                                on appeal); positions of values are kept
                                only while loading (a byte a value, not 8:
                                a province holds 52 million) */
    const char **files;      /* where values came from, for messages:
                                     a file, or "file:sheet" for a sheet of
                                     a workbook (strings in the arena) */
    size_t nfiles, capfiles;
    const char **inputs; /* the files read, in the arena */
    size_t ninputs;
    size_t nmissing;           /* optional values without default left unset */
    ls_data_warning *warnings; /* in the order printed; owned */
    size_t nwarnings, capwarnings;
    int *unit_warning; /* per unit: its first warning about a value, -1;
                          NULL while there is none (owned) */
    ls_arena arena;    /* text values and file names */
} ls_dataset;

/* Add a copy of warning w (of another data set of the same scheme: the
 * data corrected on appeal keeps the warnings of the data). */
void ls_dataset_add_warning(ls_dataset *d, const ls_data_warning *w);
/* The warning about the value of (unit, ind), or NULL. */
const ls_data_warning *ls_dataset_value_warning(const ls_dataset *d, size_t unit, size_t ind);

/* How data files are read. */
typedef struct ls_load_opts {
    int allow_missing; /* no error for missing required values */
    int strict;        /* doubtful values (a percent given as 0.95) are
                             errors, not warnings */
} ls_load_opts;

/* Load and merge data files, check every value, apply defaults and
 * report missing required values.  A path ending in .csv, .tsv, .txt,
 * .xlsx or .xls (optionally followed by #SHEET) is a table read through
 * ls_inbook_load (every sheet whose first row names a unit column, or
 * the sheet named); anything else is YAML.  Returns a
 * data set (caller frees with ls_dataset_free) or NULL with every error
 * found in err.  With nfiles == 0 the data set holds defaults only (and
 * no error for missing required values is reported when `allow_missing`). */
ls_dataset *ls_dataset_load(const ls_scheme *s, const char *const *paths,
                            size_t nfiles, int allow_missing, ls_errors *err);
/* The same, with options. */
ls_dataset *ls_dataset_load_opts(const ls_scheme *s, const char *const *paths, size_t nfiles,
                                 const ls_load_opts *opts, ls_errors *err);
void ls_dataset_free(ls_dataset *d);

/* The data files of a DATA folder, as `run` reads one (docs/data.md):
 * every table and YAML file directly in dir (.xlsx, .xls, .csv, .yaml,
 * .yml; hidden files and Office lock files skipped), as dir/name sorted
 * by name, except the nskip files skip[] names, however their paths are
 * written (the scheme kept in the folder with its data; a NULL entry
 * names none).  *files (caller frees each and the array)
 * and *n, which is 0 when the folder holds no data file.  0, or -1 when
 * dir cannot be read (errno says why). */
int ls_data_dir_files(const char *dir, const char *const *skip, size_t nskip, char ***files, size_t *n);

/* Values of one unit given as a YAML mapping {indicator id: value}, for
 * data sets built in memory (test cases). */
typedef struct ls_values_node {
    const ls_ynode *map; /* a mapping; NULL (or a null node): no values */
    const char *path;    /* the file the nodes come from, for messages */
} ls_values_node;

/*
 * A data set for scheme s built in memory.  Unit u starts from row
 * base_rows[u] of `base` (a data set of a scheme with the same catalogue,
 * e.g. the registry's data files; base NULL or a row of -1: nothing), then
 * takes the values of layers[u * nlayers + k] for k = 0 .. nlayers-1, a
 * value of a later layer replacing an earlier one (a null value, ~, takes
 * it back: the indicator counts as not given).  Each value is checked
 * as in a data file (type, range, enum choices, unknown indicators with a
 * suggestion), each error positioned at its node.  Defaults fill the rest;
 * required indicators left without value are an error (unless
 * `allow_missing`) at the unit's declaration, one per unit naming them
 * all, followed by `hint` (e.g.
 * ": the case must give them").  Returns a data set (caller frees with
 * ls_dataset_free) or NULL with every error in err.
 */
ls_dataset *ls_dataset_build(const ls_scheme *s, const ls_dataset *base, const int *base_rows,
                             const ls_values_node *layers, size_t nlayers, int allow_missing,
                             const char *hint, ls_errors *err);

/*
 * A cell holds a value of its indicator's type (the catalogue says which):
 * TEXT its text pointer (owned by the data set's arena, or by whoever put
 * it there for as long as the data set is used); the other types the bits
 * of the number (ENUM: the choice's index; BOOLEAN 0 or 1) XOR
 * LS_CELL_KEY, a NaN no value holds (values are finite), so that zeroed
 * memory is a row without values.
 */
#define LS_CELL_KEY 0x7FF4C0DE5EEDBEEFull

/* The value of indicator `ind` for unit `unit` (str of an ENUM: the
 * scheme's choice; of a TEXT: the cell's text). */
static inline ls_value ls_dataset_value(const ls_dataset *d, size_t unit, size_t ind)
{
    uint64_t c = d->cells[unit * d->scheme->ninds + ind];
    ls_value v = {0, 0, 0, NULL};
    if (!c) return v;
    const ls_vspec *sp = &d->scheme->inds[ind].spec;
    v.set = 1;
    v.type = (unsigned char)sp->type;
    if (sp->type == LS_T_TEXT) {
        v.str = (const char *)(uintptr_t)c;
        return v;
    }
    c ^= LS_CELL_KEY;
    memcpy(&v.num, &c, sizeof v.num);
    if (sp->type == LS_T_ENUM) v.str = sp->choices[(size_t)v.num];
    return v;
}

/* Whether unit `unit` has a value for indicator `ind`. */
static inline int ls_dataset_has(const ls_dataset *d, size_t unit, size_t ind)
{
    return d->cells[unit * d->scheme->ninds + ind] != 0;
}

/* Store v (of the indicator's type, or unset) as the value of indicator
 * `ind` for unit `unit`.  A TEXT's str is kept, not copied: it must live
 * as long as the data set (put copies in d->arena). */
static inline void ls_dataset_put(ls_dataset *d, size_t unit, size_t ind, const ls_value *v)
{
    uint64_t c = 0;
    if (v->set && d->scheme->inds[ind].spec.type == LS_T_TEXT) {
        c = (uint64_t)(uintptr_t)v->str;
    } else if (v->set) {
        memcpy(&c, &v->num, sizeof c);
        c ^= LS_CELL_KEY;
    }
    d->cells[unit * d->scheme->ninds + ind] = c;
}

/* A number's decimal text times 10^shift, still as text ("0.955", 2 ->
 * "95.5"), so a percent cell (Excel stores 95 % as 0.95) becomes the
 * percentage without binary floating point.  Text that is not a number
 * is copied.  Writes out (size bytes), returns it. */
const char *ls_data_shift_decimal(const char *text, int shift, char *out, size_t size);

#endif
