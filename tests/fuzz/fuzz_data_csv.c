/*
 * fuzz_data_csv.c - fuzz target: indicator data files in CSV
 * (ls_dataset_load) against the fixed scheme tests/fuzz/fixtures/scheme.yaml
 * (every indicator type, two groups, two flags).
 *
 * The input is written as data.csv in a scratch directory and loaded
 * alone (required values must be given), then after the fixture's valid
 * data.yaml (merging: conflicts, the same value given twice).  A loaded
 * data set is checked value by value against the catalogue.
 */
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_data_init("data.csv", "data.yaml");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_data_one(data, size, 1);
    return 0;
}
