/*
 * fuzz_testfile.c - fuzz target: rule test files (`lawscore test`,
 * ls_testrun) beside the fixed scheme tests/fuzz/fixtures/scheme.yaml.
 *
 * The input is written as t.test.yaml in a scratch directory beside links
 * to the fixtures: scheme.yaml, rules/, data.yaml, data.csv and
 * defaults.yaml, so that `scheme: scheme.yaml`, `data: data.csv`,
 * `defaults: defaults.yaml` and `rule: rules/late.lua` resolve.  Inputs of
 * odd length run with --coverage.  The report must end with the line
 * `N passed, N failed`.  No plugin is found (none is on the plugin path),
 * so plugin rules exercise the error paths only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "ls_testrun.h"
#include "ls_util.h"

static char test_path[4096];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    static const char *const links[] = {"scheme.yaml", "rules", "data.yaml", "data.csv",
                                        "defaults.yaml", NULL};
    unsetenv("LAWSCORE_PLUGIN_PATH");
    fz_setup(links);
    snprintf(test_path, sizeof test_path, "%s", fz_path("t.test.yaml"));
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_write(test_path, data, size);
    ls_test_opts o;
    ls_test_opts_init(&o);
    const char *paths[] = {test_path};
    o.paths = paths;
    o.npaths = 1;
    o.verbose = 1;
    o.coverage = size & 1;
    o.min_coverage = -1;
    char *out = NULL;
    size_t outlen = 0;
    FILE *f = open_memstream(&out, &outlen);
    if (!f) fz_fail("open_memstream");
    ls_errors err;
    ls_errors_init(&err);
    int rc = ls_testrun(&o, f, &err);
    fclose(f);
    fz_check("ls_testrun", rc < 0, &err, test_path, data, size);
    if (fz_on("utf8") && !ls_utf8_valid(out, outlen, NULL)) {
        fwrite(out, 1, outlen, stderr);
        fz_fail("the report is not valid UTF-8");
    }
    if (rc >= 0) {
        /* the last line is `N passed, N failed` */
        size_t n = outlen;
        if (n == 0 || out[n - 1] != '\n') fz_fail("the report does not end with a line");
        size_t start = n - 1;
        while (start > 0 && out[start - 1] != '\n') start--;
        unsigned long passed, failed;
        char tail;
        if (sscanf(out + start, "%lu passed, %lu failed%c", &passed, &failed, &tail) != 3 || tail != '\n')
            fz_fail("the report ends with '%s'", out + start);
        if (failed != (unsigned long)rc) fz_fail("%d failures returned, the report says %lu", rc, failed);
    }
    free(out);
    ls_errors_cleanup(&err);
    return 0;
}
