/*
 * fuzz_common.h - what the fuzz harnesses of tests/fuzz/ share: the
 * libFuzzer entry points, a scratch directory holding the fuzzed file next
 * to links to the fixtures, and the checks every harness makes of a
 * loader's result ("bad input never crashes and never passes silently").
 *
 * A harness is built two ways: with clang -fsanitize=fuzzer (make fuzz),
 * and with the normal compiler and replay.c's main() (make check replays
 * tests/fuzz/regressions/).  A failed check prints what went wrong and
 * aborts, so that both report it as a crash.
 *
 * Depends on: ls_error, ls_util.
 */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "ls_error.h"

/* libFuzzer's entry points; every harness defines both. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Create the harness's scratch directory (once, removed at exit) holding a
 * symbolic link to each fixture named in `links` (NULL-terminated, names
 * in tests/fuzz/fixtures/).  The name "rules" makes a directory instead,
 * of links to the example's rules (examples/dongfeng-2017/rules/, or
 * $LS_FUZZ_EXAMPLE_RULES) and to the fixtures' own (fixtures/rules/); a
 * name in both fails.  Returns the directory. */
const char *fz_setup(const char *const *links);
/* Path of `name` in the scratch directory (a static buffer per call site:
 * the caller copies it if it keeps it past the next call). */
const char *fz_path(const char *name);
/* Path of a fixture file (static buffer, as fz_path). */
const char *fz_fixture(const char *name);
/* Write the input to path (replacing it). */
void fz_write(const char *path, const uint8_t *data, size_t size);

/* Check a loader's outcome: `failed` must go with at least one error and
 * success with none; every diagnostic must have a message and sane
 * positions, and those naming `path` (the fuzzed file, holding data[0..size))
 * must point inside it.  `what` names the loader in failure reports. */
void fz_check(const char *what, int failed, const ls_errors *err, const char *path,
              const uint8_t *data, size_t size);

struct ls_dataset;
/* Check a loaded data set: every value of its indicator's type, finite,
 * in range, one of the choices; with !allow_missing every required value
 * given. */
void fz_check_dataset(const struct ls_dataset *d, int allow_missing);

/* Whether the check `name` is on: all are, except those listed in the
 * environment variable LS_FUZZ_IGNORE (comma-separated), which lets a
 * campaign go on past a known, reported bug until it is fixed.  Names:
 * "utf8" (diagnostics and reports are valid UTF-8), "nul" (no loaded
 * YAML scalar holds a NUL byte, no CSV file holding one loads). */
int fz_on(const char *name);

/* Data-file targets: load the fixture scheme, the input is written as
 * `name` and loaded alone, then merged after the fixture file `other`
 * (conflicts, the same value twice); a loaded data set must hold only
 * valid values.  refuse_nul: a loaded input holding a NUL byte fails. */
void fz_data_init(const char *name, const char *other);
void fz_data_one(const uint8_t *data, size_t size, int refuse_nul);

/* Readers that go by the file's name (adjustments, self-scores: .csv,
 * .xlsx, .xls as tables, else YAML): write the input where each reader
 * that could take it looks, `base` with the suffix its bytes call for
 * (.xlsx for a zip archive, .xls for an OLE2 compound file, else both
 * .yaml and .csv), into paths[0..n) (n returned, 1 or 2; scratch
 * directory, static buffers). */
size_t fz_write_named(const char *base, const uint8_t *data, size_t size, const char *paths[2]);

/* The fixture scheme (fixtures/scheme.yaml, with rules/) and its data set
 * (data.yaml then data.csv), loaded once and freed at exit: fz_setup must
 * have linked scheme.yaml, rules, data.yaml and data.csv. */
const struct ls_scheme *fz_scheme(void);
const struct ls_dataset *fz_dataset(void);

/* Report a broken invariant and abort. */
void fz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
