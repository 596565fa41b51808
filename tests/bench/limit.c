/*
 * tests/bench/limit.c - the physical limit of what `lawscore run` does,
 * measured on the same input by the plainest C (make bench prints it
 * beside lawscore's figures):
 *
 *   limit yaml FILE...          libyaml events of the files, nothing kept
 *   limit csv FILE...           libcsv parse of the files, nothing kept
 *   limit lua CALLS THREADS     CALLS lua_pcall of a small rule function
 *                               reading two fields of a table kept
 *                               between calls (the ENGINEERING.md bare
 *                               call), split over THREADS threads, one
 *                               state each
 *   limit write BYTES DIR       write BYTES bytes to a file in DIR in 64 KB
 *                               blocks, fsync it, remove it
 *
 * Prints one line: "<what> <seconds>" (wall time, CLOCK_MONOTONIC).
 * A benchmark helper, not part of lawscore: it includes the libraries'
 * headers directly.
 */
#define _POSIX_C_SOURCE 200809L
#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <yaml.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(1); }
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)len + 1);
    if (!p || fread(p, 1, (size_t)len, f) != (size_t)len) { perror(path); exit(1); }
    fclose(f);
    *n = (size_t)len;
    return p;
}

static long yaml_file(const char *path)
{
    size_t n;
    char *p = slurp(path, &n);
    yaml_parser_t ps;
    yaml_parser_initialize(&ps);
    yaml_parser_set_input_string(&ps, (const unsigned char *)p, n);
    long events = 0;
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&ps, &ev)) { fprintf(stderr, "%s: YAML error\n", path); exit(1); }
        int end = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
        events++;
        if (end) break;
    }
    yaml_parser_delete(&ps);
    free(p);
    return events;
}

static void on_field(void *s, size_t len, void *data) { (void)s; *(size_t *)data += len; }
static void on_row(int c, void *data) { (void)c; (void)data; }

static void csv_file(const char *path)
{
    size_t n, bytes = 0;
    char *p = slurp(path, &n);
    struct csv_parser ps;
    csv_init(&ps, CSV_APPEND_NULL);
    if (csv_parse(&ps, p, n, on_field, on_row, &bytes) != n) { fprintf(stderr, "%s: CSV error\n", path); exit(1); }
    csv_fini(&ps, on_field, on_row, &bytes);
    csv_free(&ps);
    free(p);
}

typedef struct lua_job {
    long calls;
    pthread_t t;
} lua_job;

static void *lua_calls(void *arg)
{
    lua_job *j = arg;
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    if (luaL_loadstring(L, "return function(d) local s = 4 - 0.5 * d.late; if d.rate < 90 then s = s - 1 end; "
                           "return s end") ||
        lua_pcall(L, 0, 1, 0)) {
        fprintf(stderr, "lua: %s\n", lua_tostring(L, -1));
        exit(1);
    }
    int fn = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_createtable(L, 0, 2);
    int data = luaL_ref(L, LUA_REGISTRYINDEX);
    double sum = 0;
    for (long i = 0; i < j->calls; i++) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, data);
        lua_pushinteger(L, i % 5);
        lua_setfield(L, -2, "late");
        lua_pushnumber(L, 80 + (double)(i % 20));
        lua_setfield(L, -2, "rate");
        lua_rawgeti(L, LUA_REGISTRYINDEX, fn);
        lua_insert(L, -2);
        if (lua_pcall(L, 1, 1, 0)) { fprintf(stderr, "lua: %s\n", lua_tostring(L, -1)); exit(1); }
        sum += lua_tonumber(L, -1);
        lua_pop(L, 1);
    }
    lua_close(L);
    if (sum < 0) puts("");   /* keep the result alive */
    return NULL;
}

static void write_bytes(long long bytes, const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/limit-write.%ld", dir, (long)getpid());
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) { perror(path); exit(1); }
    static char block[65536];
    memset(block, 'x', sizeof block);
    for (long long left = bytes; left > 0;) {
        size_t n = left < (long long)sizeof block ? (size_t)left : sizeof block;
        if (write(fd, block, n) != (ssize_t)n) { perror(path); exit(1); }
        left -= (long long)n;
    }
    if (fsync(fd) || close(fd)) { perror(path); exit(1); }
    unlink(path);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: limit yaml|csv FILE... | lua CALLS THREADS | write BYTES DIR\n");
        return 2;
    }
    double t0 = now();
    if (!strcmp(argv[1], "yaml")) {
        for (int i = 2; i < argc; i++) yaml_file(argv[i]);
    } else if (!strcmp(argv[1], "csv")) {
        for (int i = 2; i < argc; i++) csv_file(argv[i]);
    } else if (!strcmp(argv[1], "lua") && argc == 4) {
        long calls = atol(argv[2]);
        int nt = atoi(argv[3]);
        if (nt < 1) nt = 1;
        lua_job *j = calloc((size_t)nt, sizeof *j);
        for (int i = 0; i < nt; i++) j[i].calls = calls / nt + (i < calls % nt);
        for (int i = 1; i < nt; i++) pthread_create(&j[i].t, NULL, lua_calls, &j[i]);
        lua_calls(&j[0]);
        for (int i = 1; i < nt; i++) pthread_join(j[i].t, NULL);
        free(j);
    } else if (!strcmp(argv[1], "write") && argc == 4) {
        write_bytes(atoll(argv[2]), argv[3]);
    } else {
        fprintf(stderr, "limit: unknown measure '%s'\n", argv[1]);
        return 2;
    }
    printf("%s %.4f\n", argv[1], now() - t0);
    return 0;
}
