/*
 * fuzz_data_yaml.c - fuzz target: indicator data files in YAML
 * (ls_dataset_load) against the fixed scheme tests/fuzz/fixtures/scheme.yaml
 * (every indicator type, two groups, two flags).
 *
 * The input is written as data.yaml in a scratch directory and loaded
 * alone (required values must be given), then after the fixture's valid
 * data.csv (merging: conflicts, the same value given twice).  A loaded
 * data set is checked value by value against the catalogue.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_common.h"
#include "ls_data.h"
#include "ls_scheme.h"

static ls_scheme *scheme;
static char data_path[4096], other_path[4096];

static void free_scheme(void)
{
    ls_scheme_free(scheme);
    scheme = NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_setup(NULL);
    ls_errors err;
    ls_errors_init(&err);
    scheme = ls_scheme_load(fz_fixture("scheme.yaml"), &err);
    if (!scheme) {
        ls_errors_print(&err, stderr);
        fz_fail("the fixture scheme does not load");
    }
    ls_errors_cleanup(&err);
    atexit(free_scheme);
    snprintf(data_path, sizeof data_path, "%s", fz_path("data.yaml"));
    snprintf(other_path, sizeof other_path, "%s", fz_fixture("data.csv"));
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_write(data_path, data, size);
    const char *alone[] = {data_path}, *merged[] = {other_path, data_path};
    for (int pass = 0; pass < 2; pass++) {
        ls_errors err;
        ls_errors_init(&err);
        int allow = pass;
        ls_dataset *d = pass == 0 ? ls_dataset_load(scheme, alone, 1, allow, &err)
                                  : ls_dataset_load(scheme, merged, 2, allow, &err);
        fz_check("ls_dataset_load", d == NULL, &err, data_path, data, size);
        if (d) fz_check_dataset(d, allow);
        ls_dataset_free(d);
        ls_errors_cleanup(&err);
    }
    return 0;
}
