/*
 * ls_manifest.c - input files, their SHA-256 and the options of a run
 * (see ls_manifest.h).
 */
#include "ls_manifest.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/sha2.h>

#include "ls_backends.h"
#include "ls_util.h"

#ifndef LS_VERSION
#define LS_VERSION "unknown"
#endif

const char *ls_mf_role_name(ls_mf_role role)
{
    static const char *const names[] = {"scheme", "units", "rule", "plugin", "data", "self",
                                        "adjustments"};
    return (unsigned)role < sizeof names / sizeof *names ? names[role] : "?";
}

static void to_hex(const unsigned char *digest, size_t n, char *hex)
{
    static const char xd[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        hex[2 * i] = xd[digest[i] >> 4];
        hex[2 * i + 1] = xd[digest[i] & 15];
    }
    hex[2 * n] = '\0';
}

void ls_sha256_buf(const void *p, size_t n, char *hex)
{
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, n, p);
    unsigned char digest[SHA256_DIGEST_SIZE];
    sha256_digest(&ctx, sizeof digest, digest);
    to_hex(digest, sizeof digest, hex);
}

int ls_sha256_file(const char *path, char *hex)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    unsigned char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) sha256_update(&ctx, n, chunk);
    if (ferror(f)) {
        int e = errno ? errno : EIO;
        fclose(f);
        errno = e;
        return -1;
    }
    fclose(f);
    unsigned char digest[SHA256_DIGEST_SIZE];
    sha256_digest(&ctx, sizeof digest, digest);
    to_hex(digest, sizeof digest, hex);
    return 0;
}

int ls_manifest_add_file(ls_manifest *m, ls_mf_role role, const char *path,
                         ls_errors *err)
{
    for (size_t i = 0; i < m->nfiles; i++)
        if (m->files[i].role == role && !strcmp(m->files[i].path, path)) return 0;
    char hex[LS_SHA256_HEX];
    if (ls_sha256_file(path, hex) < 0)
        return ls_errorf(err, path, 0, 0, "cannot read %s file for the manifest: %s",
                         ls_mf_role_name(role), strerror(errno));
    LS_GROW(m->files, m->nfiles, m->capfiles, 8);
    ls_manifest_file *f = &m->files[m->nfiles++];
    f->role = role;
    f->path = ls_arena_strdup(&m->arena, path);
    memcpy(f->sha256, hex, sizeof hex);
    return 0;
}

ls_manifest *ls_manifest_new(const ls_scheme *s, const ls_dataset *d,
                             ls_errors *err)
{
    ls_manifest *m = ls_xcalloc(1, sizeof *m);
    ls_arena_init(&m->arena);
    m->version = LS_VERSION;
    int rc = 0;
    if (s->path && ls_manifest_add_file(m, LS_MF_SCHEME, s->path, err) < 0) rc = -1;
    /* A units file (YAML or CSV) is named by the units declared in it. */
    for (size_t i = 0; i < s->nunits; i++) {
        const char *up = s->units[i].path;
        if (up && (!s->path || strcmp(up, s->path)) &&
            ls_manifest_add_file(m, LS_MF_UNITS, up, err) < 0) {
            rc = -1;
            break;
        }
    }
    /* Rules in scheme order; add_file skips a script bound to several
     * items.  A scheme has at most a few hundred leaves. */
    for (size_t i = 0; i < s->nnodes; i++) {
        const ls_ruleref *rr = &s->nodes[i].rule;
        if (rr->kind == LS_RULE_LUA && rr->path &&
            ls_manifest_add_file(m, LS_MF_RULE, rr->path, err) < 0)
            rc = -1;
    }
    for (size_t i = 0; d && i < d->ninputs; i++)
        if (ls_manifest_add_file(m, LS_MF_DATA, d->inputs[i], err) < 0) rc = -1;
    if (rc < 0) {
        ls_manifest_free(m);
        return NULL;
    }
    return m;
}

int ls_manifest_add_loaded(ls_manifest *m, const ls_backends *b, ls_errors *err)
{
    ls_loaded_file f;
    for (size_t i = 0; !ls_backends_loaded(b, i, &f); i++) {
        if (ls_manifest_add_file(m, f.kind == LS_LOADED_PLUGIN ? LS_MF_PLUGIN : LS_MF_RULE,
                                 f.path, err))
            return -1;
        if (f.kind != LS_LOADED_PLUGIN) continue;
        char *key = ls_format("plugin.%s.version", f.name);
        ls_manifest_add_option(m, key, f.version);
        free(key);
        if (f.shadows) {
            key = ls_format("plugin.%s.shadows", f.name);
            ls_manifest_add_option(m, key, f.shadows);
            free(key);
        }
    }
    return 0;
}

void ls_manifest_add_option(ls_manifest *m, const char *key, const char *value)
{
    for (size_t i = 0; i < m->nopts; i++)
        if (!strcmp(m->opts[i].key, key)) {
            m->opts[i].value = ls_arena_strdup(&m->arena, value);
            return;
        }
    LS_GROW(m->opts, m->nopts, m->capopts, 8);
    m->opts[m->nopts].key = ls_arena_strdup(&m->arena, key);
    m->opts[m->nopts].value = ls_arena_strdup(&m->arena, value);
    m->nopts++;
}

void ls_manifest_free(ls_manifest *m)
{
    if (!m) return;
    free(m->files);
    free(m->opts);
    ls_arena_cleanup(&m->arena);
    free(m);
}
