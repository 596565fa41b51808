/*
 * ls_manifest.h - what a result was computed from: the engine version, the
 * SHA-256 of every input file (scheme, units file, each distinct rule
 * script, plugins, data files) and the options used, so that a published
 * result can be reproduced and checked years later (复核).
 *
 * The manifest holds no timestamps and no absolute paths it was not given:
 * two runs on the same inputs give the same manifest.
 *
 * Depends on: nettle (only ls_manifest.c includes nettle/sha2.h),
 * ls_scheme, ls_data, ls_backends (the files the rule backends loaded),
 * ls_arena, ls_error, ls_util.
 */
#ifndef LS_MANIFEST_H
#define LS_MANIFEST_H

#include <stddef.h>

#include "ls_arena.h"
#include "ls_data.h"
#include "ls_error.h"
#include "ls_scheme.h"

typedef struct ls_backends ls_backends; /* ls_backends.h */

#define LS_SHA256_HEX 65 /* 64 hex digits and NUL */

typedef enum {
    LS_MF_SCHEME,
    LS_MF_UNITS,  /* a separate units file */
    LS_MF_RULE,   /* a Lua rule script */
    LS_MF_PLUGIN, /* a C plugin */
    LS_MF_DATA,
    LS_MF_SELF,  /* 自评分 (--self) */
    LS_MF_ADJUST /* appeals decided (--adjustments) */
} ls_mf_role;

typedef struct ls_manifest_file {
    ls_mf_role role;
    const char *path;           /* as given, in the arena */
    char sha256[LS_SHA256_HEX]; /* lowercase hex */
} ls_manifest_file;

typedef struct ls_manifest_option {
    const char *key, *value; /* in the arena */
} ls_manifest_option;

/* Read-only for users; built by the functions below. */
typedef struct ls_manifest {
    const char *version;     /* LS_VERSION */
    ls_manifest_file *files; /* scheme, units, rules in scheme order,
                                      plugins, data files in the order given */
    size_t nfiles, capfiles;
    ls_manifest_option *opts; /* in the order added */
    size_t nopts, capopts;
    ls_arena arena;
} ls_manifest;

/* Build the manifest of a scheme and (optionally, d may be NULL) a data
 * set: hashes the scheme file, its units file, each distinct Lua rule
 * file and each data file.  Returns a manifest (caller frees with
 * ls_manifest_free) or NULL with an error naming every file that could not
 * be read. */
ls_manifest *ls_manifest_new(const ls_scheme *s, const ls_dataset *d,
                             ls_errors *err);
void ls_manifest_free(ls_manifest *m);

/* Hash and add a further input file (e.g. a plugin).  A path already in
 * the manifest with the same role is not added again.  0, or -1 with an
 * error naming the file. */
int ls_manifest_add_file(ls_manifest *m, ls_mf_role role, const char *path,
                         ls_errors *err);

/* Hash and add every file the rule backends b loaded: rule scripts (not
 * added again when ls_manifest_new has them) and plugins, and record each
 * plugin's own version as the option plugin.NAME.version.  0, or -1 with
 * an error naming the first file that could not be read (the plugins
 * before it are in m). */
int ls_manifest_add_loaded(ls_manifest *m, const ls_backends *b, ls_errors *err);

/* Record an option (both strings copied).  Setting a key again replaces
 * its value in place. */
void ls_manifest_add_option(ls_manifest *m, const char *key, const char *value);

/* Stable name of a role ("scheme", "units", "rule", "plugin", "data",
 * "self", "adjustments"). */
const char *ls_mf_role_name(ls_mf_role role);

/* SHA-256 of a file's contents as lowercase hex into hex
 * (LS_SHA256_HEX bytes).  0, or -1 with errno set. */
int ls_sha256_file(const char *path, char *hex);

/* SHA-256 of n bytes at p as lowercase hex into hex (LS_SHA256_HEX). */
void ls_sha256_buf(const void *p, size_t n, char *hex);

#endif
