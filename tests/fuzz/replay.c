/*
 * replay.c - run a fuzz harness on files, without libFuzzer: the
 * regression inputs of tests/fuzz/regressions/ are replayed this way by
 * `make check`, built with the normal compiler and flags.
 *
 *   replay-TARGET FILE|DIR...
 *
 * Each file (each regular file of a directory) is fed to the harness's
 * LLVMFuzzerTestOneInput.  A crash, a sanitizer report or a failed check
 * ends the process; exit status 0 means every input was handled.
 *
 * Memory is capped as libFuzzer caps it (-rss_limit_mb=2048), so that an
 * input that makes the engine allocate without bound (e.g. a scheme naming
 * /dev/zero as its units file) fails fast instead of exhausting the
 * machine: by RLIMIT_AS, or under AddressSanitizer (which reserves far
 * more address space) by its largest allocation.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "fuzz_common.h"
#include "ls_util.h"

#if defined(__SANITIZE_ADDRESS__)
#define LS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LS_ASAN 1
#endif
#endif

#ifdef LS_ASAN
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "max_allocation_size_mb=1024"; }
#endif

static void run_file(const char *path)
{
    size_t len;
    char *buf = ls_read_file(path, &len);
    if (!buf) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        exit(2);
    }
    fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
    /* a copy of exactly len bytes, so that ASan sees reads past the end */
    uint8_t *data = ls_xmalloc(len);
    memcpy(data, buf, len);
    free(buf);
    LLVMFuzzerTestOneInput(data, len);
    free(data);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "replay: cannot read %s\n", dir);
        exit(2);
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        names = ls_xrealloc(names, (n + 1) * sizeof *names);
        names[n++] = ls_format("%s/%s", dir, e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) run_file(names[i]);
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
        return 2;
    }
#ifndef LS_ASAN
    struct rlimit rl = {2048UL << 20, 2048UL << 20};
    setrlimit(RLIMIT_AS, &rl);
#endif
    LLVMFuzzerInitialize(&argc, &argv);
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) run_dir(argv[i]);
        else run_file(argv[i]);
    }
    return 0;
}
