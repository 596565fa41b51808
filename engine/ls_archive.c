/*
 * ls_archive.c - the SQLite archive of published versions (see
 * ls_archive.h).
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "ls_archive.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>
#include <zstd.h>

#include "ls_explain.h"
#include "ls_i18n.h"
#include "ls_layout.h"
#include "ls_outdir.h"
#include "ls_strmap.h"
#include "ls_util.h"

#define FORMAT_NAME "lawscore-archive"
/* Format 1 (lawscore 0.1.0 up to commit d772719) kept every file's bytes
 * in its inputs/outputs row and each item's number, name and points in
 * every unit's item row.  Format 2 stores each distinct file once, by its
 * SHA-256, compressed (table blobs), an item's number, name and points
 * once per version (table nodes) and each reason text once (table texts).
 * Both are read; a format-1 archive is appended to in format 1
 * (docs/year.md). */
#define FORMAT_VERSION 2
/* zstd's default level: on results.json, items.csv and results.xlsx of
 * 10,000 units 2-30 times smaller than zlib -6 and 4 times faster
 * (tests/bench/archive.sh, docs/year.md) */
#define ZSTD_LEVEL 3

struct ls_archive {
    sqlite3 *db;
    char *path;
    int format; /* 1 or 2 */
    /* the file opened: an upgrade renames a new file over the path, and a
     * publication that waited for it must not write into the old one */
    dev_t dev;
    ino_t ino;
    /* a stored file a publication would reuse that no longer decodes to
     * its SHA-256 (store_blob), for the message; "" when none */
    char bad_blob[LS_SHA256_HEX];
};

static const char schema[] =
    "CREATE TABLE archive_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
    "CREATE TABLE versions(id INTEGER PRIMARY KEY, parent INTEGER REFERENCES versions(id),\n"
    "  year INTEGER NOT NULL, assessment TEXT NOT NULL, label TEXT NOT NULL,\n"
    "  engine TEXT NOT NULL, created TEXT NOT NULL);\n"
    /* a file's bytes, once however many versions hold it: size is the
     * file's, codec 'zstd' (or NULL: stored as is) says how bytes hold it */
    "CREATE TABLE blobs(sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, codec TEXT,\n"
    "  bytes BLOB NOT NULL);\n"
    "CREATE TABLE inputs(version INTEGER NOT NULL REFERENCES versions(id), seq INTEGER NOT NULL,\n"
    "  role TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL REFERENCES blobs(sha256),\n"
    "  PRIMARY KEY(version, seq));\n"
    "CREATE TABLE outputs(version INTEGER NOT NULL REFERENCES versions(id), name TEXT NOT NULL,\n"
    "  sha256 TEXT NOT NULL REFERENCES blobs(sha256), PRIMARY KEY(version, name));\n"
    /* the results: a unit's and an item's row numbers (seq, in the
     * scheme's order) key the item rows, which are most of an archive */
    "CREATE TABLE unit_results(version INTEGER NOT NULL REFERENCES versions(id), seq INTEGER NOT NULL,\n"
    "  unit TEXT NOT NULL, name TEXT NOT NULL, grp TEXT NOT NULL, total TEXT NOT NULL,\n"
    "  grade TEXT NOT NULL, rank INTEGER, veto TEXT, self_total TEXT,\n"
    "  original_total TEXT, original_rank INTEGER, original_grade TEXT,\n"
    "  PRIMARY KEY(version, seq), UNIQUE(version, unit)) WITHOUT ROWID;\n"
    "CREATE TABLE nodes(version INTEGER NOT NULL REFERENCES versions(id), seq INTEGER NOT NULL,\n"
    "  node TEXT NOT NULL, number TEXT NOT NULL, name TEXT NOT NULL, points TEXT NOT NULL,\n"
    "  PRIMARY KEY(version, seq), UNIQUE(version, node)) WITHOUT ROWID;\n"
    /* the reasons given for scores repeat across units and versions
     * ("迟报2次，扣1分"): each text once, item rows hold its id */
    "CREATE TABLE texts(id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);\n"
    "CREATE TABLE item_results(version INTEGER NOT NULL, unit_seq INTEGER NOT NULL,\n"
    "  node_seq INTEGER NOT NULL, score TEXT NOT NULL, reasons INTEGER NOT NULL, self TEXT,\n"
    "  original TEXT, appeal TEXT, PRIMARY KEY(version, unit_seq, node_seq)) WITHOUT ROWID;\n"
    "CREATE TABLE adjustments(version INTEGER NOT NULL REFERENCES versions(id), seq INTEGER NOT NULL,\n"
    "  unit TEXT NOT NULL, kind TEXT NOT NULL, target TEXT NOT NULL, old TEXT, new TEXT,\n"
    "  reason TEXT NOT NULL, basis TEXT NOT NULL, decided_by TEXT NOT NULL, date TEXT NOT NULL,\n"
    "  PRIMARY KEY(version, seq));\n"
    /* the item rows as format 1 had them, for queries */
    "CREATE VIEW item_view AS SELECT i.version, u.unit, n.node, n.number, n.name, n.points,\n"
    "  i.score, t.text AS reasons, i.self, i.original, i.appeal FROM item_results i\n"
    "  JOIN unit_results u ON u.version = i.version AND u.seq = i.unit_seq\n"
    "  JOIN nodes n ON n.version = i.version AND n.seq = i.node_seq\n"
    "  JOIN texts t ON t.id = i.reasons;\n";

/* What the reading functions query, the same in both formats: every
 * input and output file with its size, codec and stored bytes.  Views of
 * the connection only (TEMP): the archive file is not changed. */
static const char *const file_views[] = {
    [1] = "CREATE TEMP VIEW input_files AS SELECT version, seq, role, path, sha256,\n"
          "  length(bytes) AS size, NULL AS codec, bytes FROM main.inputs;\n"
          "CREATE TEMP VIEW output_files AS SELECT version, name, sha256,\n"
          "  length(bytes) AS size, NULL AS codec, bytes FROM main.outputs;\n",
    [2] = "CREATE TEMP VIEW input_files AS SELECT i.version, i.seq, i.role, i.path, i.sha256,\n"
          "  b.size, b.codec, b.bytes FROM main.inputs i LEFT JOIN main.blobs b ON b.sha256 = i.sha256;\n"
          "CREATE TEMP VIEW output_files AS SELECT o.version, o.name, o.sha256,\n"
          "  b.size, b.codec, b.bytes FROM main.outputs o LEFT JOIN main.blobs b ON b.sha256 = o.sha256;\n",
};

static const char *const tables[] = {"archive_meta", "versions", "blobs", "inputs", "outputs", "nodes",
                                     "unit_results", "texts", "item_results", "adjustments"};

/* Nothing archived changes: every table refuses UPDATE and DELETE. */
static int create_schema(ls_archive *a, char **msg)
{
    if (sqlite3_exec(a->db, schema, NULL, NULL, msg) != SQLITE_OK) return -1;
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
        char *sql = ls_format(
            "CREATE TRIGGER %s_no_update BEFORE UPDATE ON %s BEGIN "
            "SELECT RAISE(ABORT, 'lawscore archive: published versions are immutable'); END;"
            "CREATE TRIGGER %s_no_delete BEFORE DELETE ON %s BEGIN "
            "SELECT RAISE(ABORT, 'lawscore archive: published versions are immutable'); END;",
            tables[i], tables[i], tables[i], tables[i]);
        int rc = sqlite3_exec(a->db, sql, NULL, NULL, msg);
        free(sql);
        if (rc != SQLITE_OK) return -1;
    }
    char *sql = ls_format("INSERT INTO archive_meta VALUES('format', '%s'), ('format_version', '%d');",
                          FORMAT_NAME, FORMAT_VERSION);
    int rc = sqlite3_exec(a->db, sql, NULL, NULL, msg);
    free(sql);
    return rc == SQLITE_OK ? 0 : -1;
}

static int db_error(ls_archive *a, ls_errors *err, const char *what)
{
    if (a->bad_blob[0])
        return ls_errorf(err, a->path, 0, 0,
                         "the archive is damaged: the stored file of SHA-256 %s, which this publication would "
                         "reuse, does not match its SHA-256: restore it from a backup",
                         a->bad_blob);
    return ls_errorf(err, a->path, 0, 0, "%s: %s", what, sqlite3_errmsg(a->db));
}

/* Why the database cannot be used, in words, for an SQLite result code. */
static int refuse(ls_archive *a, int rc, ls_errors *err)
{
    switch (rc & 0xff) {
    case SQLITE_NOTADB:
        return ls_errorf(err, a->path, 0, 0, "not a lawscore archive: the file is not an SQLite database");
    case SQLITE_CORRUPT:
        return ls_errorf(err, a->path, 0, 0, "the archive is damaged (%s): restore it from a backup",
                         sqlite3_errstr(rc));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return ls_errorf(err, a->path, 0, 0, "the archive is in use by another program; try again");
    default:
        return db_error(a, err, "cannot use the archive");
    }
}

/* Count the tables: -1 on an error (rc in *rc). */
static long count_tables(ls_archive *a, int *rc)
{
    sqlite3_stmt *st;
    *rc = sqlite3_prepare_v2(a->db, "SELECT count(*) FROM sqlite_master", -1, &st, NULL);
    if (*rc != SQLITE_OK) return -1;
    long n = -1;
    *rc = sqlite3_step(st);
    if (*rc == SQLITE_ROW) {
        n = sqlite3_column_int64(st, 0);
        *rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return n;
}

/* The rows every command reads, with the types lawscore stored: SQLite
 * keeps whatever a hand edit puts in a column (a year '二〇一七' would read
 * as 0, a name of a number or a blob as its text), and the edit may drop
 * the triggers that keep versions immutable.  The tables are small (a row
 * per version, input and output file and appeal decision). */
static const struct typed_table {
    const char *table;
    const char *msg;  /* the error, naming the row */
    const char *row;  /* what names the row */
    const char *good; /* what a row lawscore wrote satisfies */
} typed_tables[] = {
    {"versions",
     N_("the archive is damaged: version %s in table versions holds a value lawscore never writes (edited by "
        "hand?): restore it from a backup"),
     "id",
     "typeof(id) = 'integer' AND id > 0 AND typeof(year) = 'integer' AND year BETWEEN 1 AND 9999 AND "
     "(parent IS NULL OR (typeof(parent) = 'integer' AND parent > 0 AND parent < id)) AND "
     "typeof(assessment) = 'text' AND typeof(label) = 'text' AND typeof(engine) = 'text' AND "
     "typeof(created) = 'text'"},
    {"inputs",
     N_("the archive is damaged: an input file of version %s in table inputs holds a value lawscore never "
        "writes (edited by hand?): restore it from a backup"),
     "version",
     "typeof(version) = 'integer' AND typeof(role) = 'text' AND typeof(path) = 'text' AND length(path) > 0 AND "
     "typeof(sha256) = 'text' AND length(sha256) = 64"},
    {"outputs",
     N_("the archive is damaged: an output file of version %s in table outputs holds a value lawscore never "
        "writes (edited by hand?): restore it from a backup"),
     "version",
     "typeof(version) = 'integer' AND typeof(name) = 'text' AND length(name) > 0 AND "
     "typeof(sha256) = 'text' AND length(sha256) = 64"},
    {"adjustments",
     N_("the archive is damaged: an appeal decision of version %s in table adjustments holds a value lawscore "
        "never writes (edited by hand?): restore it from a backup"),
     "version",
     "typeof(version) = 'integer' AND kind IN ('data', 'score') AND typeof(unit) = 'text' AND "
     "typeof(target) = 'text' AND typeof(reason) = 'text' AND typeof(basis) = 'text' AND "
     "typeof(decided_by) = 'text' AND typeof(date) = 'text' AND length(date) = 10"},
};

/* Check the rows of typed_tables: 0, or -1 with an error naming the
 * first row a hand edit broke. */
static int check_types(ls_archive *a, ls_errors *err)
{
    for (size_t t = 0; t < sizeof typed_tables / sizeof *typed_tables; t++) {
        const struct typed_table *x = &typed_tables[t];
        char *sql = ls_format("SELECT quote(%s) FROM %s WHERE NOT (%s) LIMIT 1", x->row, x->table, x->good);
        sqlite3_stmt *st;
        int rc = sqlite3_prepare_v2(a->db, sql, -1, &st, NULL);
        free(sql);
        if (rc != SQLITE_OK) return refuse(a, rc, err);
        rc = sqlite3_step(st);
        char *bad = rc == SQLITE_ROW ? ls_xstrdup((const char *)sqlite3_column_text(st, 0)) : NULL;
        sqlite3_finalize(st);
        if (bad) {
            ls_errorf(err, a->path, 0, 0, x->msg, bad);
            free(bad);
            return -1;
        }
        if (rc != SQLITE_DONE) return refuse(a, rc, err);
    }
    return 0;
}

/* Check that an existing database is a lawscore archive this engine
 * reads. */
static int check_format(ls_archive *a, ls_errors *err)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(a->db, "SELECT key, value FROM archive_meta", -1, &st, NULL);
    if (rc != SQLITE_OK) {
        if ((rc & 0xff) == SQLITE_ERROR)
            return ls_errorf(err, a->path, 0, 0,
                             "not a lawscore archive: an SQLite database without lawscore's tables");
        return refuse(a, rc, err);
    }
    int format_ok = 0;
    long version = -1;
    char *vtext = NULL; /* a format_version that is no number */
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        const char *v = (const char *)sqlite3_column_text(st, 1);
        if (k && v && !strcmp(k, "format")) format_ok = !strcmp(v, FORMAT_NAME);
        if (k && v && !strcmp(k, "format_version")) {
            /* all of it a number: "1x" is no format 1 */
            char *end;
            errno = 0;
            version = strtol(v, &end, 10);
            if (errno || end == v || *end) {
                free(vtext);
                vtext = ls_xstrdup(v);
                version = -1;
            }
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE || !format_ok) free(vtext);
    if (rc != SQLITE_DONE) return refuse(a, rc, err);
    if (!format_ok)
        return ls_errorf(err, a->path, 0, 0, "not a lawscore archive: an SQLite database of another program");
    if (vtext) {
        ls_errorf(err, a->path, 0, 0,
                  "not a lawscore archive: its format_version is '%s', not a number (edited by hand?)", vtext);
        free(vtext);
        return -1;
    }
    if (version == -1)
        return ls_errorf(err, a->path, 0, 0,
                         "not a lawscore archive: its archive_meta has no format_version (edited by hand?)");
    if (version < 1 || version > FORMAT_VERSION)
        return ls_errorf(err, a->path, 0, 0,
                         "archive format %ld, but this lawscore reads format %d: use a newer lawscore", version,
                         FORMAT_VERSION);
    /* a damaged page shows here rather than halfway through an export */
    char **res = NULL;
    int nrow = 0, ncol = 0;
    char *msg = NULL;
    rc = sqlite3_get_table(a->db, "PRAGMA quick_check", &res, &nrow, &ncol, &msg);
    int ok = rc == SQLITE_OK && nrow >= 1 && res[ncol] && !strcmp(res[ncol], "ok");
    char *first = rc == SQLITE_OK && nrow >= 1 && res[ncol] ? ls_xstrdup(res[ncol]) : NULL;
    sqlite3_free_table(res);
    sqlite3_free(msg);
    if (rc != SQLITE_OK) {
        free(first);
        return refuse(a, rc, err);
    }
    a->format = (int)version;
    if (!ok) {
        ls_errorf(err, a->path, 0, 0, "the archive is damaged (%s): restore it from a backup",
                  first ? first : "integrity check failed");
        free(first);
        return -1;
    }
    free(first);
    return check_types(a, err);
}

ls_archive *ls_archive_open(const char *path, int create, ls_errors *err)
{
    struct stat stb;
    if (stat(path, &stb) != 0) {
        if (errno != ENOENT || !create) {
            ls_errorf(err, path, 0, 0, "cannot open the archive: %s", strerror(errno));
            return NULL;
        }
    } else if (!S_ISREG(stb.st_mode)) {
        ls_errorf(err, path, 0, 0, "cannot open the archive: not a regular file");
        return NULL;
    }
    ls_archive *a = ls_xcalloc(1, sizeof *a);
    a->path = ls_xstrdup(path);
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(path, &a->db, flags, NULL);
    if (rc != SQLITE_OK) {
        ls_errorf(err, path, 0, 0, "cannot open the archive: %s", a->db ? sqlite3_errmsg(a->db) : sqlite3_errstr(rc));
        ls_archive_close(a);
        return NULL;
    }
    sqlite3_busy_timeout(a->db, 5000);
    /* every commit reaches the disk before publish says it is done */
    sqlite3_exec(a->db, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", NULL, NULL, NULL);
    long n = count_tables(a, &rc);
    if (n < 0) {
        refuse(a, rc, err);
        ls_archive_close(a);
        return NULL;
    }
    if (n == 0) {
        if (!create) {
            ls_errorf(err, path, 0, 0, "not a lawscore archive: the file is empty");
            ls_archive_close(a);
            return NULL;
        }
        /* a new archive: the schema in one transaction too */
        char *msg = NULL;
        if (sqlite3_exec(a->db, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK || create_schema(a, &msg) ||
            sqlite3_exec(a->db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
            ls_errorf(err, path, 0, 0, "cannot create the archive: %s", msg ? msg : sqlite3_errmsg(a->db));
            sqlite3_free(msg);
            sqlite3_exec(a->db, "ROLLBACK", NULL, NULL, NULL);
            ls_archive_close(a);
            return NULL;
        }
        a->format = FORMAT_VERSION;
    } else if (check_format(a, err)) {
        ls_archive_close(a);
        return NULL;
    }
    rc = sqlite3_exec(a->db, file_views[a->format], NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        refuse(a, rc, err);
        ls_archive_close(a);
        return NULL;
    }
    if (stat(path, &stb) == 0) {
        a->dev = stb.st_dev;
        a->ino = stb.st_ino;
    }
    return a;
}

int ls_archive_format(const ls_archive *a)
{
    return a->format;
}

/* Whether the path still names the file opened (0), or another file was
 * put there since, by an upgrade (-1 with an error). */
static int still_there(ls_archive *a, ls_errors *err)
{
    struct stat st;
    if (stat(a->path, &st) == 0 && st.st_dev == a->dev && st.st_ino == a->ino) return 0;
    return ls_errorf(err, a->path, 0, 0,
                     "the archive was replaced (upgraded?) while this command waited for it: run it again");
}

/* Whether name (in the archive's directory) is base.upgrade-XXXXXX, the
 * temporary file of an upgrade (mkstemp's six letters or digits), or
 * (journal) that file's -journal. */
static int upgrade_temp_name(const char *name, const char *base, int *journal)
{
    size_t nb = strlen(base), ns = strlen(".upgrade-");
    if (strncmp(name, base, nb) || strncmp(name + nb, ".upgrade-", ns)) return 0;
    const char *x = name + nb + ns;
    for (int i = 0; i < 6; i++)
        if (!(x[i] >= '0' && x[i] <= '9') && !(x[i] >= 'a' && x[i] <= 'z') && !(x[i] >= 'A' && x[i] <= 'Z'))
            return 0;
    *journal = !strcmp(x + 6, "-journal");
    return !x[6] || *journal;
}

/* Whether the regular file at path is empty or begins as a SQLite
 * database does: what mkstemp and then an upgrade leave (a file of
 * someone else's that happens to bear the name is neither). */
static int upgrade_temp_bytes(const char *path)
{
    static const char magic[16] = "SQLite format 3";
    char head[16];
    int fd = open(path, O_RDONLY | O_NOFOLLOW);
    if (fd < 0) return 0;
    struct stat st;
    ssize_t n = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? read(fd, head, sizeof head) : -1;
    close(fd);
    return n == 0 || (n == (ssize_t)sizeof head && !memcmp(head, magic, sizeof magic));
}

/* Remove what a killed upgrade of this archive left beside it
 * (ARCHIVE.upgrade-XXXXXX and its -journal), each with a note.  Called
 * with the archive's write lock held and the path checked to still name
 * the file locked (still_there): an upgrade holds that lock for as long
 * as its temporary file is there (from before mkstemp until the file is
 * renamed over the archive or removed), so one found now is no running
 * upgrade's.  A journal goes only when its database is gone (or goes
 * now). */
static void sweep_upgrade_temps(ls_archive *a, ls_errors *err)
{
    char *real = realpath(a->path, NULL);
    if (!real) return;
    char *dir = ls_dirname(real);
    const char *base = strrchr(real, '/') ? strrchr(real, '/') + 1 : real;
    char **found = NULL;
    size_t n = 0, cap = 0;
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        int journal;
        if (!upgrade_temp_name(e->d_name, base, &journal)) continue;
        LS_GROW(found, n, cap, 4);
        found[n++] = ls_xstrdup(e->d_name);
    }
    if (d) closedir(d);
    /* the databases first (each with its journal), then journals whose
     * database is gone */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n; i++) {
            size_t len = strlen(found[i]);
            int journal = len > 8 && !strcmp(found[i] + len - 8, "-journal");
            if (journal != pass) continue;
            char *p = ls_path_join(dir, found[i]);
            int gone = 0;
            if (!journal) {
                if ((gone = upgrade_temp_bytes(p) && unlink(p) == 0)) {
                    char *j = ls_format("%s-journal", p);
                    (void)unlink(j);
                    free(j);
                }
            } else {
                struct stat st;
                char *db = ls_format("%.*s", (int)(strlen(p) - 8), p);
                gone = lstat(db, &st) != 0 && errno == ENOENT && unlink(p) == 0;
                free(db);
            }
            if (gone) {
                /* named as the office named the archive, unless that is
                 * a link */
                struct stat lst;
                int link = lstat(a->path, &lst) == 0 && S_ISLNK(lst.st_mode);
                char *shown = link ? ls_xstrdup(p) : ls_format("%s%s", a->path, found[i] + strlen(base));
                ls_notef(err, a->path, 0, 0, "removed %s, left beside the archive by an upgrade that was stopped",
                         shown);
                free(shown);
            }
            free(p);
        }
    for (size_t i = 0; i < n; i++) free(found[i]);
    free(found);
    free(dir);
    free(real);
}

void ls_archive_close(ls_archive *a)
{
    if (!a) return;
    if (a->db) sqlite3_close(a->db);
    free(a->path);
    free(a);
}

/* ---- publishing ---------------------------------------------------- */

typedef struct ins {
    ls_archive *a;
    sqlite3_stmt *st;
    int col;
    int rc; /* first SQLite error */
} ins;

static void ins_start(ins *q, ls_archive *a, const char *sql)
{
    q->a = a;
    q->col = 0;
    q->rc = sqlite3_prepare_v2(a->db, sql, -1, &q->st, NULL);
}

static void b_text(ins *q, const char *s)
{
    if (q->rc != SQLITE_OK) return;
    q->col++;
    q->rc = s ? sqlite3_bind_text(q->st, q->col, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(q->st, q->col);
}

static void b_own(ins *q, char *s)
{
    b_text(q, s);
    free(s);
}

static void b_int(ins *q, long long v)
{
    if (q->rc != SQLITE_OK) return;
    q->rc = sqlite3_bind_int64(q->st, ++q->col, v);
}

static void b_null(ins *q)
{
    if (q->rc != SQLITE_OK) return;
    q->rc = sqlite3_bind_null(q->st, ++q->col);
}

static void b_blob(ins *q, const void *p, size_t n)
{
    if (q->rc != SQLITE_OK) return;
    q->rc = sqlite3_bind_blob64(q->st, ++q->col, n ? p : "", n, SQLITE_TRANSIENT);
}

/* Test hooks: the microseconds of environment variable name (read once
 * into *cache), slept by test_pause.  LAWSCORE_ARCHIVE_ROW_DELAY_US=N
 * sleeps after each row written, so that tests/year/kill.sh can kill a
 * publication in the middle of its transaction (it is otherwise a few
 * milliseconds); LAWSCORE_ARCHIVE_STEP_DELAY_US=N after each step of an
 * upgrade. */
static void test_pause(const char *name, long *cache)
{
    if (*cache < 0) {
        const char *e = getenv(name);
        *cache = e && *e ? strtol(e, NULL, 10) : 0;
        if (*cache < 0 || *cache > 1000000) *cache = 0;
    }
    if (*cache) {
        struct timespec ts = {*cache / 1000000, (*cache % 1000000) * 1000};
        nanosleep(&ts, NULL);
    }
}

/* Run the statement with its bindings and reset it for the next row. */
static void ins_row(ins *q)
{
    static long row_delay = -1;
    if (q->rc != SQLITE_OK) return;
    test_pause("LAWSCORE_ARCHIVE_ROW_DELAY_US", &row_delay);
    int rc = sqlite3_step(q->st);
    q->rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    sqlite3_reset(q->st);
    sqlite3_clear_bindings(q->st);
    q->col = 0;
}

static int ins_end(ins *q)
{
    sqlite3_finalize(q->st);
    return q->rc == SQLITE_OK ? 0 : -1;
}

static char *created_now(void)
{
    /* SOURCE_DATE_EPOCH (reproducible-builds.org) fixes the time, for tests */
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    time_t t = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    char buf[64];
    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return ls_xstrdup(buf);
}

/* Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil). */
static long days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* A publication time as stored ("2019-02-01 00:00:00 UTC") in the
 * machine's local time zone, as the office reads its clock: "2019-02-01
 * 08:00:00 UTC+08:00" under Asia/Shanghai; the stored text when the zone
 * is UTC or the text is not of that form.  buf holds 64 bytes. */
static const char *local_created(const char *utc, char *buf)
{
    int y, mo, d, h, mi, se;
    char z[8];
    if (!utc || sscanf(utc, "%d-%d-%d %d:%d:%d %7s", &y, &mo, &d, &h, &mi, &se, z) != 7 || strcmp(z, "UTC"))
        return utc ? utc : "";
    time_t t = (time_t)(days_from_civil(y, mo, d) * 86400L + h * 3600L + mi * 60L + se);
    struct tm lt;
    if (!localtime_r(&t, &lt)) return utc;
    long off = (days_from_civil(lt.tm_year + 1900L, lt.tm_mon + 1L, lt.tm_mday) * 86400L + lt.tm_hour * 3600L +
                lt.tm_min * 60L + lt.tm_sec) -
               (long)t;
    if (off == 0) return utc;
    long a = off < 0 ? -off : off;
    snprintf(buf, 64, "%04d-%02d-%02d %02d:%02d:%02d UTC%c%02ld:%02ld", lt.tm_year + 1900, lt.tm_mon + 1,
             lt.tm_mday, lt.tm_hour, lt.tm_min, lt.tm_sec, off < 0 ? '-' : '+', a / 3600, a % 3600 / 60);
    return buf;
}

/* Whether the file stored in columns col (size), col + 1 (codec) and
 * col + 2 (bytes) of st's row decodes to buf[0..len): compared as it is
 * decompressed, a window at a time, so that a province's items.csv is
 * not held twice. */
static int stored_equals(sqlite3_stmt *st, int col, const void *buf, size_t len)
{
    sqlite3_int64 size = sqlite3_column_int64(st, col);
    const char *codec = (const char *)sqlite3_column_text(st, col + 1);
    const void *p = sqlite3_column_blob(st, col + 2);
    size_t n = (size_t)sqlite3_column_bytes(st, col + 2);
    if (sqlite3_column_type(st, col + 2) == SQLITE_NULL || size < 0 || (size_t)size != len) return 0;
    if (!codec) return n == len && (!len || !memcmp(p, buf, len));
    if (strcmp(codec, "zstd")) return 0;
    ZSTD_DCtx *z = ZSTD_createDCtx();
    char window[1 << 16];
    ZSTD_inBuffer in = {p, n, 0};
    size_t done = 0, r = 1;
    int same = z != NULL;
    while (same && r != 0) {
        ZSTD_outBuffer out = {window, sizeof window, 0};
        r = ZSTD_decompressStream(z, &out, &in);
        same = !ZSTD_isError(r) && done + out.pos <= len && !memcmp(window, (const char *)buf + done, out.pos);
        done += out.pos;
        /* input used up before the frame's end: truncated */
        if (same && r != 0 && in.pos == in.size && out.pos < out.size) same = 0;
    }
    ZSTD_freeDCtx(z);
    return same && done == len && in.pos == in.size;
}

/* Store a file's bytes in blobs unless a row with its SHA-256 is there
 * already: a re-publication stores only what changed.  Compressed with
 * zstd unless that does not make it smaller (results.xlsx is a zip
 * already, yet zstd takes a third off it).  An SQLite result code. */
static int store_blob(ls_archive *a, const void *buf, size_t len, const char *hex)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(a->db, "SELECT sha256, size, codec, bytes FROM blobs WHERE sha256 = ?", -1, &st,
                                NULL);
    if (rc != SQLITE_OK) return rc;
    sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        /* the version about to name it must get these bytes: a stored
         * file damaged since (or edited) is not taken for them */
        rc = stored_equals(st, 1, buf, len) ? SQLITE_OK : SQLITE_CORRUPT;
        if (rc != SQLITE_OK) snprintf(a->bad_blob, sizeof a->bad_blob, "%s", hex);
        sqlite3_finalize(st);
        return rc;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return rc;
    /* the bound's pages are only touched as far as zstd writes */
    size_t cap = ZSTD_compressBound(len);
    char *z = ls_xmalloc(cap);
    size_t zn = ZSTD_compress(z, cap, buf, len, ZSTD_LEVEL);
    int packed = !ZSTD_isError(zn) && zn < len;
    ins q;
    ins_start(&q, a, "INSERT INTO blobs(sha256, size, codec, bytes) VALUES(?,?,?,?)");
    b_text(&q, hex);
    b_int(&q, (long long)len);
    b_text(&q, packed ? "zstd" : NULL);
    b_blob(&q, packed ? z : buf, packed ? zn : len);
    ins_row(&q);
    free(z);
    ins_end(&q);
    return q.rc;
}

/* Bind a file's SHA-256 and its bytes to the row being built: format 1
 * holds the bytes in the row, after the hash; format 2 stores them in
 * blobs and the row names them by the hash. */
static void b_content(ins *q, const void *buf, size_t len, const char *hex)
{
    b_text(q, hex);
    if (q->a->format == 1) b_blob(q, buf, len);
    else if (q->rc == SQLITE_OK) q->rc = store_blob(q->a, buf, len, hex);
}

static int store_inputs(ls_archive *a, long v, const ls_manifest *m, ls_errors *err)
{
    ins q;
    ins_start(&q, a,
              a->format == 1 ? "INSERT INTO inputs VALUES(?,?,?,?,?,?)" : "INSERT INTO inputs VALUES(?,?,?,?,?)");
    int bad = 0;
    for (size_t i = 0; i < m->nfiles && q.rc == SQLITE_OK; i++) {
        const ls_manifest_file *f = &m->files[i];
        size_t len;
        char *buf = ls_read_file(f->path, &len);
        if (!buf) {
            bad = ls_errorf(err, f->path, 0, 0, "cannot read %s file to archive it: %s", ls_mf_role_name(f->role),
                            ls_read_strerror(errno));
            break;
        }
        char hex[LS_SHA256_HEX];
        ls_sha256_buf(buf, len, hex);
        if (strcmp(hex, f->sha256)) {
            bad = ls_errorf(err, f->path, 0, 0, "the %s file changed while it was being published: publish again",
                            ls_mf_role_name(f->role));
            free(buf);
            break;
        }
        b_int(&q, v);
        b_int(&q, (long long)i + 1);
        b_text(&q, ls_mf_role_name(f->role));
        b_text(&q, f->path);
        b_content(&q, buf, len, f->sha256);
        ins_row(&q);
        free(buf);
    }
    if (ins_end(&q)) return db_error(a, err, "cannot store the inputs");
    return bad;
}

static int store_outputs(ls_archive *a, long v, const char *dir, ls_errors *err)
{
    DIR *d = opendir(dir);
    if (!d) return ls_errorf(err, dir, 0, 0, "cannot read the output directory: %s", strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        LS_GROW(names, n, cap, 8);
        names[n++] = ls_xstrdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, ls_cmp_str);
    ins q;
    ins_start(&q, a,
              a->format == 1 ? "INSERT INTO outputs VALUES(?,?,?,?)" : "INSERT INTO outputs VALUES(?,?,?)");
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        char *path = ls_path_join(dir, names[i]);
        struct stat st;
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(path);
            continue;
        }
        size_t len;
        char *buf = ls_read_file(path, &len);
        if (!buf) {
            bad = ls_errorf(err, path, 0, 0, "cannot read the output to archive it: %s", ls_read_strerror(errno));
            free(path);
            break;
        }
        char hex[LS_SHA256_HEX];
        ls_sha256_buf(buf, len, hex);
        b_int(&q, v);
        b_text(&q, names[i]);
        b_content(&q, buf, len, hex);
        ins_row(&q);
        free(buf);
        free(path);
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    if (ins_end(&q)) return db_error(a, err, "cannot store the outputs");
    return bad;
}

/* The ids of texts (table texts) written or looked up by one
 * publication. */
typedef struct texts {
    ls_strmap ids; /* text -> id; the keys are owned[] */
    char **owned;
    size_t n, cap;
} texts;

static void texts_cleanup(texts *t)
{
    for (size_t i = 0; i < t->n; i++) free(t->owned[i]);
    free(t->owned);
    ls_strmap_cleanup(&t->ids);
}

/* The id of text s in table texts, added when it is not there.  An
 * SQLite result code. */
static int text_id(ls_archive *a, texts *t, const char *s, long long *id)
{
    int v = ls_strmap_get(&t->ids, s);
    if (v >= 0) {
        *id = v;
        return SQLITE_OK;
    }
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(a->db, "SELECT id FROM texts WHERE text = ?", -1, &st, NULL);
    if (rc != SQLITE_OK) return rc;
    sqlite3_bind_text(st, 1, s, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) *id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE) {
        ins q;
        ins_start(&q, a, "INSERT INTO texts(text) VALUES(?)");
        b_text(&q, s);
        ins_row(&q);
        ins_end(&q);
        if (q.rc != SQLITE_OK) return q.rc;
        *id = sqlite3_last_insert_rowid(a->db);
    } else if (rc != SQLITE_ROW) {
        return rc;
    }
    if (*id < 0 || *id > INT_MAX) return SQLITE_FULL; /* beyond the map's ints: never in practice */
    LS_GROW(t->owned, t->n, t->cap, 64);
    t->owned[t->n] = ls_xstrdup(s);
    ls_strmap_put(&t->ids, t->owned[t->n++], (int)*id, NULL);
    return SQLITE_OK;
}

/* An item's number, name and points. */
static void b_node(ins *q, const ls_node *n, int digits)
{
    char buf[32];
    b_text(q, n->number);
    b_text(q, n->name);
    b_text(q, ls_dec_format(n->points, digits, buf));
}

static int store_results(ls_archive *a, long v, const ls_run *r, ls_errors *err)
{
    const ls_scheme *s = r->scheme;
    char buf[32], b2[32];
    ins q;
    /* format 1 keys the rows by the unit's and the item's ids, format 2
     * by their row numbers */
    int v1 = a->format == 1;
    ins_start(&q, a,
              v1 ? "INSERT INTO unit_results VALUES(?,?,?,?,?,?,?,?,?,?,?,?)"
                 : "INSERT INTO unit_results VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)");
    for (size_t u = 0; u < s->nunits && q.rc == SQLITE_OK; u++) {
        const ls_unit_result *ur = &r->units[u];
        b_int(&q, v);
        if (!v1) b_int(&q, (long long)u + 1);
        b_text(&q, s->units[u].id);
        b_text(&q, s->units[u].name);
        b_text(&q, s->groups[s->units[u].group].id);
        b_text(&q, ls_dec_format(ur->total, s->digits, buf));
        b_text(&q, ls_explain_grade(r, u));
        if (ur->rank > 0) b_int(&q, ur->rank);
        else b_null(&q);
        const ls_node *veto = ls_explain_veto(r, u);
        b_text(&q, veto ? veto->id : NULL);
        const char *self = ls_explain_self_total(r, u, b2);
        b_text(&q, *self ? self : NULL);
        if (r->original) {
            const ls_unit_result *o = &r->original->units[u];
            b_text(&q, ls_dec_format(o->total, s->digits, buf));
            if (o->rank > 0) b_int(&q, o->rank);
            else b_null(&q);
            b_text(&q, ls_explain_grade(r->original, u));
        } else {
            b_null(&q);
            b_null(&q);
            b_null(&q);
        }
        ins_row(&q);
    }
    if (ins_end(&q)) return db_error(a, err, "cannot store the unit results");
    /* an item's number, name and points: once per version (format 2), or
     * in every unit's row (format 1) */
    if (!v1) {
        ins_start(&q, a, "INSERT INTO nodes VALUES(?,?,?,?,?,?)");
        for (size_t i = 0; i < s->nnodes && q.rc == SQLITE_OK; i++) {
            b_int(&q, v);
            b_int(&q, (long long)i + 1);
            b_text(&q, s->nodes[i].id);
            b_node(&q, &s->nodes[i], s->digits);
            ins_row(&q);
        }
        if (ins_end(&q)) return db_error(a, err, "cannot store the item results");
    }
    texts tx = {0};
    ls_strmap_init(&tx.ids);
    ins_start(&q, a,
              v1 ? "INSERT INTO item_results VALUES(?,?,?,?,?,?,?,?,?,?,?)"
                 : "INSERT INTO item_results VALUES(?,?,?,?,?,?,?,?)");
    for (size_t u = 0; u < s->nunits && q.rc == SQLITE_OK; u++) {
        for (size_t i = 0; i < s->nnodes && q.rc == SQLITE_OK; i++) {
            const ls_node *n = &s->nodes[i];
            b_int(&q, v);
            if (v1) {
                b_text(&q, s->units[u].id);
                b_text(&q, n->id);
                b_node(&q, n, s->digits);
            } else {
                b_int(&q, (long long)u + 1);
                b_int(&q, (long long)i + 1);
            }
            b_text(&q, ls_explain_score(r, u, i, buf));
            char *reasons = ls_explain_cell(r, u, i);
            long long id = 0;
            if (v1) b_text(&q, reasons);
            else if (q.rc == SQLITE_OK && (q.rc = text_id(a, &tx, reasons, &id)) == SQLITE_OK) b_int(&q, id);
            free(reasons);
            const char *self = ls_explain_self(r, u, i, b2);
            b_text(&q, *self ? self : NULL);
            if (r->original) {
                b_text(&q, ls_explain_original_score(r, u, i, buf));
                char *ap = ls_explain_appeal(r, u, i);
                b_text(&q, *ap ? ap : NULL);
                free(ap);
            } else {
                b_null(&q);
                b_null(&q);
            }
            ins_row(&q);
        }
    }
    texts_cleanup(&tx);
    if (ins_end(&q)) return db_error(a, err, "cannot store the item results");
    if (!r->adj) return 0;
    ins_start(&q, a, "INSERT INTO adjustments VALUES(?,?,?,?,?,?,?,?,?,?,?)");
    for (size_t i = 0; i < r->adj->n && q.rc == SQLITE_OK; i++) {
        const ls_adjustment *e = &r->adj->v[i];
        char x[256], y[256];
        b_int(&q, v);
        b_int(&q, (long long)i + 1);
        b_text(&q, s->units[e->unit].id);
        b_text(&q, e->kind == LS_ADJ_DATA ? "data" : "score");
        b_text(&q, e->kind == LS_ADJ_DATA ? s->inds[e->indicator].id : s->nodes[e->node].id);
        if (e->kind == LS_ADJ_DATA) {
            b_text(&q, e->old.set ? ls_value_format(&e->old, x, sizeof x) : NULL);
            b_text(&q, e->new_.set ? ls_value_format(&e->new_, y, sizeof y) : NULL);
        } else {
            b_text(&q, ls_explain_original_score(r, (size_t)e->unit, (size_t)e->node, buf));
            b_text(&q, ls_dec_format(e->score, s->digits, b2));
        }
        b_text(&q, e->reason);
        b_text(&q, e->basis);
        b_text(&q, e->by);
        b_text(&q, e->date);
        ins_row(&q);
    }
    if (ins_end(&q)) return db_error(a, err, "cannot store the adjustments");
    return 0;
}

int ls_archive_publish(ls_archive *a, const ls_publication *p, long *version, long *parent,
                       ls_errors *err)
{
    const ls_scheme *s = p->run->scheme;
    if (sqlite3_exec(a->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return refuse(a, sqlite3_errcode(a->db), err);
    if (still_there(a, err)) {
        sqlite3_exec(a->db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    sweep_upgrade_temps(a, err);
    long par = 0;
    if (ls_archive_latest(a, s->year, &par, NULL)) par = 0; /* the year's first */
    ins q;
    ins_start(&q, a, "INSERT INTO versions(parent, year, assessment, label, engine, created) VALUES(?,?,?,?,?,?)");
    if (par) b_int(&q, par);
    else b_null(&q);
    b_int(&q, s->year);
    b_text(&q, s->name);
    b_text(&q, p->label);
    b_text(&q, p->inputs->version);
    b_own(&q, created_now());
    ins_row(&q);
    long v = (long)sqlite3_last_insert_rowid(a->db);
    int bad = ins_end(&q) ? db_error(a, err, "cannot store the version") : 0;
    if (!bad) bad = store_inputs(a, v, p->inputs, err);
    if (!bad) bad = store_outputs(a, v, p->outdir, err);
    if (!bad) bad = store_results(a, v, p->run, err);
    if (!bad && sqlite3_exec(a->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        bad = db_error(a, err, "cannot commit the version");
    if (bad) {
        sqlite3_exec(a->db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    *version = v;
    *parent = par;
    return 0;
}

/* ---- reading ------------------------------------------------------- */

int ls_archive_latest(ls_archive *a, int year, long *version, ls_errors *err)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(a->db, "SELECT max(id) FROM versions WHERE year = ?", -1, &st, NULL);
    if (rc != SQLITE_OK) return err ? refuse(a, rc, err) : -1;
    sqlite3_bind_int(st, 1, year);
    *version = 0;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) *version = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) return err ? refuse(a, rc, err) : -1;
    if (!*version) return err ? ls_errorf(err, a->path, 0, 0, "no version for year %d in the archive", year) : -1;
    return 0;
}

int ls_archive_version_info(ls_archive *a, long version, int *year, char **label, ls_errors *err)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(a->db, "SELECT year, label FROM versions WHERE id = ?", -1, &st, NULL);
    if (rc != SQLITE_OK) return refuse(a, rc, err);
    sqlite3_bind_int64(st, 1, version);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *year = sqlite3_column_int(st, 0);
        *label = ls_xstrdup((const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE) return ls_errorf(err, a->path, 0, 0, "no version %ld in the archive", version);
    if (rc != SQLITE_ROW) return refuse(a, rc, err);
    return 0;
}

int ls_archive_history(ls_archive *a, FILE *out, ls_errors *err)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(
        a->db,
        "SELECT v.id, v.year, v.parent, v.created, "
        " (SELECT count(*) FROM unit_results u WHERE u.version = v.id), "
        " (SELECT count(*) FROM adjustments j WHERE j.version = v.id), v.label, v.assessment "
        "FROM versions v ORDER BY v.id",
        -1, &st, NULL);
    if (rc != SQLITE_OK) return refuse(a, rc, err);
    /* the time column: wider in a zone other than UTC ("... UTC+08:00") */
    char probe[64];
    int wide = local_created("2019-02-01 00:00:00 UTC", probe) == probe;
    fprintf(out, "版本  年度  父版本  发布时间                 %s单位  复核调整  标签\n", wide ? "      " : "");
    size_t n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char parent[32] = "-", when[64];
        if (sqlite3_column_type(st, 2) != SQLITE_NULL)
            snprintf(parent, sizeof parent, "%lld", (long long)sqlite3_column_int64(st, 2));
        fprintf(out, "%4lld  %4d  %6s  %-*s  %4lld  %8lld  %s\n", (long long)sqlite3_column_int64(st, 0),
                sqlite3_column_int(st, 1), parent, wide ? 29 : 23,
                local_created((const char *)sqlite3_column_text(st, 3), when),
                (long long)sqlite3_column_int64(st, 4), (long long)sqlite3_column_int64(st, 5),
                (const char *)sqlite3_column_text(st, 6));
        n++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return refuse(a, rc, err);
    if (!n) fprintf(out, "（档案中还没有发布的版本）\n");
    return 0;
}

/* Print the rows of sql (bound to version) as lines: fmt gets the columns
 * as text.  0, or -1 with an error. */
/* history --version: the words the archive keeps for machines (a file's
 * role, an adjustment's kind) as the office says them. */
static const char *input_label(int col, const char *t)
{
    return col == 0 ? ls_layout_file_role(t) : t;
}

static const char *adjustment_label(int col, const char *t)
{
    if (col != 1) return t;
    return !strcmp(t, "data") ? "数据更正" : !strcmp(t, "score") ? "评分决定"
                                                                 : t;
}

/* The rows of sql (its one parameter the version), ncols columns each,
 * through label (NULL: as they are). */
static int show_rows(ls_archive *a, const char *sql, long version, FILE *out, int ncols,
                     const char *(*label)(int col, const char *t), ls_errors *err)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(a->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) return refuse(a, rc, err);
    sqlite3_bind_int64(st, 1, version);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        fputs("  ", out);
        for (int c = 0; c < ncols; c++) {
            const char *t = (const char *)sqlite3_column_text(st, c);
            if (t && label) t = label(c, t);
            fprintf(out, "%s%s", c ? "  " : "", t ? t : "-");
        }
        fputc('\n', out);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : refuse(a, rc, err);
}

/* history --version: version's adjustments, each indicator by its name
 * (name(ctx, id); the archive's tables keep an indicator by its id only)
 * and each item by its 序号 and name (format 2 keeps them per version;
 * else name(ctx, id) too); the id when neither names it. */
static int show_adjustments(ls_archive *a, long version, ls_archive_namer name, void *ctx, FILE *out,
                            ls_errors *err)
{
    const char *sql = a->format >= 2 ? "SELECT a.unit, a.kind, COALESCE(n.number || ' ' || n.name, a.target), a.old, "
                                       "a.new, a.basis, a.decided_by, a.date, a.reason, a.target FROM adjustments a "
                                       "LEFT JOIN nodes n ON a.kind = 'score' AND n.version = a.version "
                                       "AND n.node = a.target WHERE a.version = ? ORDER BY a.seq"
                                     : "SELECT unit, kind, target, old, new, basis, decided_by, date, reason, target "
                                       "FROM adjustments WHERE version = ? ORDER BY seq";
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(a->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) return refuse(a, rc, err);
    sqlite3_bind_int64(st, 1, version);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *col[10];
        for (int c = 0; c < 10; c++) col[c] = (const char *)sqlite3_column_text(st, c);
        /* an item the table nodes named stays so */
        const char *what = name && col[1] && col[9] && col[2] && !strcmp(col[2], col[9])
                               ? name(ctx, !strcmp(col[1], "score"), col[9])
                               : NULL;
        if (what) col[2] = what;
        fputs("  ", out);
        for (int c = 0; c < 9; c++) {
            const char *t = col[c] ? adjustment_label(c, col[c]) : "-";
            fprintf(out, "%s%s", c ? "  " : "", t);
        }
        fputc('\n', out);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : refuse(a, rc, err);
}

int ls_archive_show(ls_archive *a, long version, ls_archive_namer name, void *ctx, FILE *out, ls_errors *err)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(a->db,
                                "SELECT year, assessment, label, parent, created, engine FROM versions WHERE id = ?",
                                -1, &st, NULL);
    if (rc != SQLITE_OK) return refuse(a, rc, err);
    sqlite3_bind_int64(st, 1, version);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        fprintf(out, "版本%ld：%s（%d年度）\n", version, (const char *)sqlite3_column_text(st, 2),
                sqlite3_column_int(st, 0));
        fprintf(out, "考核：%s\n", (const char *)sqlite3_column_text(st, 1));
        if (sqlite3_column_type(st, 3) != SQLITE_NULL)
            fprintf(out, "父版本：%lld（同一年度的上一次发布）\n", (long long)sqlite3_column_int64(st, 3));
        char when[64];
        fprintf(out, "发布时间：%s\n", local_created((const char *)sqlite3_column_text(st, 4), when));
        fprintf(out, "lawscore %s\n", (const char *)sqlite3_column_text(st, 5));
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE) return ls_errorf(err, a->path, 0, 0, "no version %ld in the archive", version);
    if (rc != SQLITE_ROW) return refuse(a, rc, err);
    fputs("\n输入文件（用途  路径  字节  SHA-256）：\n", out);
    if (show_rows(a, "SELECT role, path, size, sha256 FROM input_files WHERE version = ? ORDER BY seq", version,
                  out, 4, input_label, err))
        return -1;
    fputs("\n输出文件（名称  字节  SHA-256）：\n", out);
    if (show_rows(a, "SELECT name, size, sha256 FROM output_files WHERE version = ? ORDER BY name", version, out,
                  3, NULL, err))
        return -1;
    fputs("\n复核调整（单位  类别  对象  原值  新值  依据  决定  日期  理由）：\n", out);
    return show_adjustments(a, version, name, ctx, out, err);
}

/* The file of row st whose columns from col on are sha256, size, codec,
 * bytes (of the views input_files, output_files): into a new buffer
 * (caller frees; NUL-terminated, length in *len), decompressed and
 * checked against its SHA-256.  0, or -1 with an error naming what
 * (the file's name or path) and version. */
/* The bytes of the file stored in columns col (sha256), col + 1 (size),
 * col + 2 (codec) and col + 3 (bytes) of st's row, when they decode to
 * its SHA-256: a new buffer (caller frees; NUL-terminated, length in
 * *len), or NULL. */
static char *stored_bytes(sqlite3_stmt *st, int col, size_t *len)
{
    const char *sha = (const char *)sqlite3_column_text(st, col);
    sqlite3_int64 size = sqlite3_column_int64(st, col + 1);
    const char *codec = (const char *)sqlite3_column_text(st, col + 2);
    const void *p = sqlite3_column_blob(st, col + 3);
    size_t n = (size_t)sqlite3_column_bytes(st, col + 3);
    /* a missing blob, an unknown codec, a size that is not the frame's:
     * damaged, as bytes that do not match their hash are */
    int present = sqlite3_column_type(st, col + 3) != SQLITE_NULL && size >= 0;
    char *out = NULL;
    size_t outn = 0;
    if (present && !codec) {
        out = ls_xmalloc(n + 1);
        if (n) memcpy(out, p, n);
        outn = n;
    } else if (present && !strcmp(codec, "zstd") &&
               ZSTD_getFrameContentSize(p, n) == (unsigned long long)size) {
        out = ls_xmalloc((size_t)size + 1);
        outn = ZSTD_decompress(out, (size_t)size, p, n);
        if (ZSTD_isError(outn) || outn != (size_t)size) {
            free(out);
            out = NULL;
        }
    }
    char hex[LS_SHA256_HEX];
    if (out) ls_sha256_buf(out, outn, hex);
    if (!out || !sha || strcmp(hex, sha)) {
        free(out);
        return NULL;
    }
    out[outn] = '\0';
    *len = outn;
    return out;
}

static int row_content(ls_archive *a, sqlite3_stmt *st, int col, const char *what, long version, char **buf,
                       size_t *len, ls_errors *err)
{
    if (!(*buf = stored_bytes(st, col, len)))
        return ls_errorf(err, a->path, 0, 0,
                         "the archive is damaged: %s of version %ld does not match its SHA-256", what, version);
    return 0;
}

int ls_archive_output(ls_archive *a, long version, const char *name, char **buf, size_t *len,
                      ls_errors *err)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(
        a->db, "SELECT sha256, size, codec, bytes FROM output_files WHERE version = ? AND name = ?", -1, &st, NULL);
    if (rc != SQLITE_OK) return refuse(a, rc, err);
    sqlite3_bind_int64(st, 1, version);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    int ret = 0;
    if (rc == SQLITE_ROW) {
        ret = row_content(a, st, 0, name, version, buf, len, err);
    } else if (rc == SQLITE_DONE) {
        int y;
        char *label = NULL;
        ret = ls_archive_version_info(a, version, &y, &label, err);
        if (!ret) ret = ls_errorf(err, a->path, 0, 0, "version %ld has no %s", version, name);
        free(label);
    } else {
        ret = refuse(a, rc, err);
    }
    sqlite3_finalize(st);
    return ret;
}

int ls_archive_export(ls_archive *a, long version, const char *dir, ls_errors *err)
{
    int year;
    char *label = NULL;
    if (ls_archive_version_info(a, version, &year, &label, err)) return -1;
    free(label);
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(a->db, "SELECT name FROM output_files WHERE version = ? ORDER BY name", -1, &st,
                                NULL);
    if (rc != SQLITE_OK) return refuse(a, rc, err);
    sqlite3_bind_int64(st, 1, version);
    char **names = NULL;
    size_t n = 0, cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        LS_GROW(names, n, cap, 8);
        names[n++] = ls_xstrdup((const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    int bad = rc != SQLITE_DONE ? refuse(a, rc, err) : 0;
    ls_outdir *od = bad ? NULL : ls_outdir_open(dir, err);
    if (!od) bad = -1;
    for (size_t i = 0; i < n && !bad; i++) {
        char *buf;
        size_t len;
        if (ls_archive_output(a, version, names[i], &buf, &len, err)) {
            bad = -1;
            break;
        }
        FILE *f = ls_outdir_file(od, names[i], err);
        if (!f || (len && fwrite(buf, 1, len, f) != len)) bad = f ? ls_errorf(err, dir, 0, 0, "cannot write %s", names[i]) : -1;
        free(buf);
    }
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    if (bad) {
        ls_outdir_abort(od);
        return -1;
    }
    return ls_outdir_commit(od, err);
}

/* A stored path as a path under the extraction directory. */
static const char *relative_part(const char *p)
{
    for (;;) {
        if (*p == '/') p++;
        else if (!strncmp(p, "./", 2)) p += 2;
        else if (!strncmp(p, "../", 3)) p += 3;
        else return p;
    }
}

int ls_archive_extract_inputs(ls_archive *a, long version, const char *dir, char **scheme,
                              char ***data, size_t *ndata, char ***adjustments, size_t *nadjustments,
                              ls_errors *err)
{
    *scheme = NULL;
    *adjustments = NULL;
    *nadjustments = 0;
    *data = NULL;
    *ndata = 0;
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(
        a->db, "SELECT role, path, sha256, size, codec, bytes FROM input_files WHERE version = ? ORDER BY seq", -1,
        &st, NULL);
    if (rc != SQLITE_OK) return refuse(a, rc, err);
    sqlite3_bind_int64(st, 1, version);
    size_t cap = 0, acap = 0;
    int bad = 0;
    while (!bad && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *role = (const char *)sqlite3_column_text(st, 0);
        const char *path = (const char *)sqlite3_column_text(st, 1);
        if (!strcmp(role, "plugin")) continue; /* found by name on the plugin path */
        char *out = ls_path_join(dir, relative_part(path));
        char *parent = ls_dirname(out);
        if (ls_mkdir_p(parent, err)) bad = -1;
        free(parent);
        char *p = NULL;
        size_t n = 0;
        if (!bad && row_content(a, st, 2, path, version, &p, &n, err)) bad = -1;
        FILE *f = bad ? NULL : fopen(out, "wb");
        if (!bad && (!f || (n && fwrite(p, 1, n, f) != n))) bad = ls_errorf(err, out, 0, 0, "cannot write: %s", strerror(errno));
        if (f && fclose(f) != 0 && !bad) bad = ls_errorf(err, out, 0, 0, "cannot write: %s", strerror(errno));
        free(p);
        if (!strcmp(role, "scheme") && !*scheme) {
            *scheme = out;
        } else if (!strcmp(role, "adjustments")) {
            LS_GROW(*adjustments, *nadjustments, acap, 2);
            (*adjustments)[(*nadjustments)++] = out;
        } else if (!strcmp(role, "data")) {
            LS_GROW(*data, *ndata, cap, 4);
            (*data)[(*ndata)++] = out;
        } else {
            free(out);
        }
    }
    sqlite3_finalize(st);
    if (!bad && rc != SQLITE_DONE) bad = refuse(a, rc, err);
    if (!bad && !*scheme) bad = ls_errorf(err, a->path, 0, 0, "version %ld has no scheme file", version);
    return bad ? -1 : 0;
}

/* ---- what a re-publication leaves out ------------------------------ */

/* Whether run r decides again the parent's decision (unit, kind, target). */
static int decided_again(const ls_run *r, const char *unit, const char *kind, const char *target)
{
    const ls_scheme *s = r->scheme;
    for (size_t i = 0; r->adj && i < r->adj->n; i++) {
        const ls_adjustment *e = &r->adj->v[i];
        int data = e->kind == LS_ADJ_DATA;
        if (!strcmp(s->units[e->unit].id, unit) && !strcmp(kind, data ? "data" : "score") &&
            !strcmp(target, data ? s->inds[e->indicator].id : s->nodes[e->node].id))
            return 1;
    }
    return 0;
}

/* Whether version v holds exactly the input files of m (role, bytes, order). */
static int same_inputs(ls_archive *a, long v, const ls_manifest *m, ls_errors *err)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(a->db, "SELECT role, sha256 FROM input_files WHERE version = ? ORDER BY seq", -1,
                                &st, NULL);
    if (rc != SQLITE_OK) return refuse(a, rc, err);
    sqlite3_bind_int64(st, 1, v);
    size_t i = 0;
    int same = 1;
    while (same && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const ls_manifest_file *f = i < m->nfiles ? &m->files[i++] : NULL;
        same = f && !strcmp((const char *)sqlite3_column_text(st, 0), ls_mf_role_name(f->role)) &&
               !strcmp((const char *)sqlite3_column_text(st, 1), f->sha256);
    }
    sqlite3_finalize(st);
    if (same && rc != SQLITE_DONE) return refuse(a, rc, err);
    return same && i == m->nfiles;
}

int ls_archive_withdrawn(ls_archive *a, const ls_run *r, const ls_manifest *m, ls_withdrawn *w, ls_errors *err)
{
    const ls_scheme *s = r->scheme;
    memset(w, 0, sizeof *w);
    ls_buf_init(&w->decisions);
    ls_buf_init(&w->units);
    if (ls_archive_latest(a, s->year, &w->parent, NULL)) w->parent = 0;
    if (!w->parent) return 0;
    if ((w->same = same_inputs(a, w->parent, m, err)) < 0) return -1;
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(a->db, "SELECT unit, kind, target, basis FROM adjustments WHERE version = ? ORDER BY seq",
                                -1, &st, NULL);
    if (rc != SQLITE_OK) return refuse(a, rc, err);
    sqlite3_bind_int64(st, 1, w->parent);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *unit = (const char *)sqlite3_column_text(st, 0);
        const char *kind = (const char *)sqlite3_column_text(st, 1);
        const char *target = (const char *)sqlite3_column_text(st, 2);
        if (decided_again(r, unit, kind, target)) continue;
        /* 东法考〔2018〕5号（区城管执法局 4.5）, by names where the scheme has them */
        int u = ls_scheme_find_unit(s, unit), data = !strcmp(kind, "data");
        int k = data ? ls_scheme_find_indicator(s, target) : ls_scheme_find_node(s, target);
        ls_buf_printf(&w->decisions, "%s%s（%s %s）", w->ndecisions++ ? "、" : "",
                      (const char *)sqlite3_column_text(st, 3), u >= 0 ? s->units[u].name : unit,
                      k < 0 ? target : data ? s->inds[k].name
                                            : s->nodes[k].number);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return refuse(a, rc, err);
    /* units in the scheme's order (format 1 keeps no unit seq); a unit
     * the scheme no longer has, by its id */
    rc = sqlite3_prepare_v2(a->db, "SELECT unit FROM unit_results WHERE version = ? AND self_total IS NOT NULL "
                                   "ORDER BY unit",
                            -1, &st, NULL);
    if (rc != SQLITE_OK) return refuse(a, rc, err);
    sqlite3_bind_int64(st, 1, w->parent);
    unsigned char *had = ls_xcalloc(s->nunits + 1, 1);
    ls_buf gone;
    ls_buf_init(&gone);
    size_t ngone = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *unit = (const char *)sqlite3_column_text(st, 0);
        if (!unit) { /* NOT NULL edited out of the schema */
            rc = SQLITE_CORRUPT;
            break;
        }
        int u = ls_scheme_find_unit(s, unit);
        if (u >= 0) had[u] = 1;
        else ls_buf_printf(&gone, "%s%s", ngone++ ? "、" : "", unit);
    }
    sqlite3_finalize(st);
    for (size_t u = 0; u < s->nunits; u++)
        if (had[u] && !(r->self && r->self->given[u]))
            ls_buf_printf(&w->units, "%s%s", w->nunits++ ? "、" : "", s->units[u].name);
    if (ngone) ls_buf_printf(&w->units, "%s%s", w->nunits ? "、" : "", gone.p);
    w->nunits += ngone;
    ls_buf_cleanup(&gone);
    free(had);
    if (rc != SQLITE_DONE) return refuse(a, rc, err);
    return 0;
}

void ls_withdrawn_cleanup(ls_withdrawn *w)
{
    ls_buf_cleanup(&w->decisions);
    ls_buf_cleanup(&w->units);
}

/* ---- upgrading an archive of format 1 ------------------------------ */

static void step_pause(void)
{
    static long step_delay = -1;
    test_pause("LAWSCORE_ARCHIVE_STEP_DELAY_US", &step_delay);
}

/* Every stored file of the format-1 archive attached as `old` into blobs
 * of nw, each checked against its SHA-256 first (what is damaged stays
 * out of the new file: the upgrade stops).  *n counts them.  0, or -1
 * with an error naming old_path. */
static int copy_files(ls_archive *nw, const char *old_path, long *n, ls_errors *err)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(nw->db,
                                "SELECT version, path, sha256, bytes FROM old.inputs "
                                "UNION ALL SELECT version, name, sha256, bytes FROM old.outputs",
                                -1, &st, NULL);
    if (rc != SQLITE_OK) return db_error(nw, err, "cannot read the archive's files");
    int bad = 0;
    while (!bad && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        long v = (long)sqlite3_column_int64(st, 0);
        const char *what = (const char *)sqlite3_column_text(st, 1);
        const char *sha = (const char *)sqlite3_column_text(st, 2);
        const void *p = sqlite3_column_blob(st, 3);
        size_t len = (size_t)sqlite3_column_bytes(st, 3);
        char hex[LS_SHA256_HEX];
        ls_sha256_buf(p ? p : "", len, hex);
        if (!sha || strcmp(hex, sha))
            bad = ls_errorf(err, old_path, 0, 0,
                            "the archive is damaged: %s of version %ld does not match its SHA-256", what, v);
        else if (store_blob(nw, p ? p : "", len, sha) != SQLITE_OK)
            bad = db_error(nw, err, "cannot write the upgraded archive");
        else
            (*n)++;
    }
    sqlite3_finalize(st);
    if (!bad && rc != SQLITE_DONE) bad = db_error(nw, err, "cannot read the archive's files");
    return bad;
}

/* Format 1's rows into format 2's tables, from `old` (after blobs, which
 * inputs and outputs reference). */
static const char *const copy_sql[] = {
    "INSERT INTO archive_meta SELECT key, value FROM old.archive_meta WHERE key NOT IN ('format', "
    "'format_version')",
    "INSERT INTO inputs SELECT version, seq, role, path, sha256 FROM old.inputs ORDER BY version, seq",
    "INSERT INTO outputs SELECT version, name, sha256 FROM old.outputs ORDER BY version, name",
    /* format 1 wrote a version's units in the scheme's order: its row ids
     * keep that order, format 2's seq */
    "INSERT INTO unit_results SELECT version, row_number() OVER (PARTITION BY version ORDER BY rowid), unit, "
    "name, grp, total, grade, rank, veto, self_total, original_total, original_rank, original_grade "
    "FROM old.unit_results ORDER BY version, rowid",
    /* an item's number, name and points, repeated in every unit's row:
     * once per version (were they to differ between units, the second
     * would break UNIQUE(version, node) and the upgrade stop) */
    "INSERT INTO nodes SELECT version, row_number() OVER (PARTITION BY version ORDER BY first), node, number, "
    "name, points FROM (SELECT version, node, number, name, points, min(rowid) AS first FROM old.item_results "
    "GROUP BY version, node, number, name, points) ORDER BY version, first",
    "INSERT INTO texts(text) SELECT reasons FROM old.item_results GROUP BY reasons ORDER BY min(rowid)",
    /* in format 1's row order: version, unit, item, as the key is */
    "INSERT INTO item_results SELECT i.version, u.seq, n.seq, i.score, t.id, i.self, i.original, i.appeal "
    "FROM old.item_results i JOIN unit_results u ON u.version = i.version AND u.unit = i.unit "
    "JOIN nodes n ON n.version = i.version AND n.node = i.node JOIN texts t ON t.text = i.reasons "
    "ORDER BY i.version, i.rowid",
    "INSERT INTO adjustments SELECT * FROM old.adjustments ORDER BY version, seq",
};

/* What must read the same in both files: format 1's rows (from `old`)
 * and format 2's (from main), as sets of the same columns. */
static const struct carried {
    const char *what, *old, *now;
} carried[] = {
    {"versions", "SELECT id, parent, year, assessment, label, engine, created FROM old.versions",
     "SELECT id, parent, year, assessment, label, engine, created FROM main.versions"},
    {"inputs", "SELECT version, seq, role, path, sha256 FROM old.inputs",
     "SELECT version, seq, role, path, sha256 FROM main.inputs"},
    {"outputs", "SELECT version, name, sha256 FROM old.outputs", "SELECT version, name, sha256 FROM main.outputs"},
    {"unit_results",
     "SELECT version, unit, name, grp, total, grade, rank, veto, self_total, original_total, original_rank, "
     "original_grade FROM old.unit_results",
     "SELECT version, unit, name, grp, total, grade, rank, veto, self_total, original_total, original_rank, "
     "original_grade FROM main.unit_results"},
    {"item_results",
     "SELECT version, unit, node, number, name, points, score, reasons, self, original, appeal FROM "
     "old.item_results",
     "SELECT version, unit, node, number, name, points, score, reasons, self, original, appeal FROM "
     "main.item_view"},
    {"adjustments", "SELECT * FROM old.adjustments", "SELECT * FROM main.adjustments"},
};

static int attach_old(ls_archive *nw, const char *old_path, ls_errors *err)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(nw->db, "ATTACH ? AS old", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, old_path, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
    }
    return rc == SQLITE_DONE || rc == SQLITE_OK ? 0 : db_error(nw, err, "cannot read the archive");
}

/* Write the new file (an empty file at tmp) from the archive at
 * old_path: one transaction.  Sets *files.  0, or -1 with an error. */
static int upgrade_write(const char *tmp, const char *old_path, long *files, ls_errors *err)
{
    ls_archive *nw = ls_archive_open(tmp, 1, err);
    if (!nw) return -1;
    int bad = attach_old(nw, old_path, err);
    /* deferred: the upgrade's own connection holds the old file's write
     * lock, this one only reads it */
    if (!bad && sqlite3_exec(nw->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        bad = db_error(nw, err, "cannot write the upgraded archive");
    if (!bad &&
        sqlite3_exec(nw->db,
                     "INSERT INTO versions SELECT id, parent, year, assessment, label, engine, created "
                     "FROM old.versions ORDER BY id",
                     NULL, NULL, NULL) != SQLITE_OK)
        bad = db_error(nw, err, "cannot write the upgraded archive");
    step_pause();
    if (!bad) bad = copy_files(nw, old_path, files, err);
    for (size_t i = 0; i < sizeof copy_sql / sizeof *copy_sql && !bad; i++) {
        step_pause();
        if (sqlite3_exec(nw->db, copy_sql[i], NULL, NULL, NULL) != SQLITE_OK)
            bad = db_error(nw, err, "cannot write the upgraded archive");
    }
    if (!bad) {
        /* when and from what, for whoever reads the file later */
        char *when = created_now();
        ins q;
        ins_start(&q, nw, "INSERT INTO archive_meta VALUES('upgraded', ?)");
        b_own(&q, ls_format("from format 1, %s", when));
        ins_row(&q);
        free(when);
        if (ins_end(&q)) bad = db_error(nw, err, "cannot write the upgraded archive");
    }
    if (!bad && sqlite3_exec(nw->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        bad = db_error(nw, err, "cannot write the upgraded archive");
    if (bad) sqlite3_exec(nw->db, "ROLLBACK", NULL, NULL, NULL);
    ls_archive_close(nw);
    return bad;
}

/* Read the new file at tmp back from the disk: it opens as an archive
 * (format and integrity checked), every stored file decompresses to
 * bytes of its SHA-256, and every row of the archive at old_path reads
 * the same in it.  0, or -1 with an error. */
static int upgrade_verify(const char *tmp, const char *old_path, ls_errors *err)
{
    ls_archive *nw = ls_archive_open(tmp, 0, err);
    if (!nw) return -1;
    int bad = nw->format == FORMAT_VERSION ? 0 : ls_errorf(err, tmp, 0, 0, "the upgraded archive is not of format 2");
    sqlite3_stmt *st = NULL;
    int rc = SQLITE_OK;
    if (!bad && (rc = sqlite3_prepare_v2(nw->db,
                                         "SELECT version, path, sha256, size, codec, bytes FROM input_files "
                                         "UNION ALL SELECT version, name, sha256, size, codec, bytes FROM output_files",
                                         -1, &st, NULL)) != SQLITE_OK)
        bad = refuse(nw, rc, err);
    while (!bad && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        char *buf = NULL;
        size_t len;
        bad = row_content(nw, st, 2, (const char *)sqlite3_column_text(st, 1), (long)sqlite3_column_int64(st, 0),
                          &buf, &len, err);
        free(buf);
    }
    sqlite3_finalize(st);
    if (!bad && rc != SQLITE_DONE) bad = refuse(nw, rc, err);
    step_pause();
    if (!bad) bad = attach_old(nw, old_path, err);
    for (size_t i = 0; i < sizeof carried / sizeof *carried && !bad; i++) {
        const struct carried *c = &carried[i];
        char *sql = ls_format("SELECT (SELECT count(*) FROM (%s EXCEPT %s)) + (SELECT count(*) FROM (%s EXCEPT %s)) "
                              "+ ((SELECT count(*) FROM (%s)) != (SELECT count(*) FROM (%s)))",
                              c->old, c->now, c->now, c->old, c->old, c->now);
        rc = sqlite3_prepare_v2(nw->db, sql, -1, &st, NULL);
        free(sql);
        if (rc != SQLITE_OK) {
            bad = refuse(nw, rc, err);
            break;
        }
        rc = sqlite3_step(st);
        long long differ = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
        sqlite3_finalize(st);
        if (rc != SQLITE_ROW) bad = refuse(nw, rc, err);
        else if (differ)
            bad = ls_errorf(err, old_path, 0, 0,
                            "the upgraded archive does not read as the archive does (table %s): nothing was changed",
                            c->what);
    }
    ls_archive_close(nw);
    return bad;
}

/* Make a rename in dir last (some file systems cannot: not an error). */
static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0) return;
    (void)fsync(fd);
    close(fd);
}

static void remove_temp(const char *tmp)
{
    char *journal = ls_format("%s-journal", tmp);
    unlink(tmp);
    unlink(journal);
    free(journal);
}

int ls_archive_upgrade(const char *path, int keep_backup, ls_upgrade *u, ls_errors *err)
{
    memset(u, 0, sizeof *u);
    ls_archive *a = ls_archive_open(path, 0, err);
    if (!a) return -1;
    u->format = a->format;
    char *real = NULL, *bak = NULL, *tmp = NULL;
    int bad = 0;
    if (a->format == FORMAT_VERSION) goto out;
    /* no publication in the meantime: it would be left out of the new
     * file (one that waits sees the file replaced: ls_archive_publish) */
    if (sqlite3_exec(a->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        bad = refuse(a, sqlite3_errcode(a->db), err);
        goto out;
    }
    if ((bad = still_there(a, err))) goto out;
    sweep_upgrade_temps(a, err);
    /* the file itself, when path is a symbolic link to it */
    if (!(real = realpath(path, NULL))) {
        bad = ls_errorf(err, path, 0, 0, "cannot open the archive: %s", strerror(errno));
        goto out;
    }
    struct stat st, bst;
    if (stat(real, &st) != 0) {
        bad = ls_errorf(err, path, 0, 0, "cannot open the archive: %s", strerror(errno));
        goto out;
    }
    u->size_before = (long long)st.st_size;
    bak = ls_format("%s.format1.bak", real);
    /* a backup that is this very file: an upgrade killed after keeping it */
    if (keep_backup && lstat(bak, &bst) == 0 && !(bst.st_dev == st.st_dev && bst.st_ino == st.st_ino)) {
        bad = ls_errorf(err, path, 0, 0, "%s is there already (the backup of an earlier upgrade?): move it away first",
                        bak);
        goto out;
    }
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(a->db, "SELECT count(*) FROM versions", -1, &q, NULL) == SQLITE_OK) {
        if (sqlite3_step(q) == SQLITE_ROW) u->versions = (long)sqlite3_column_int64(q, 0);
        sqlite3_finalize(q);
    }
    /* beside the archive, so that the rename is one step on one file system */
    tmp = ls_format("%s.upgrade-XXXXXX", real);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        bad = ls_errorf(err, tmp, 0, 0, "cannot write the upgraded archive: %s", strerror(errno));
        free(tmp);
        tmp = NULL;
        goto out;
    }
    (void)fchmod(fd, st.st_mode & 07777); /* shared as the archive was */
    close(fd);
    if ((bad = upgrade_write(tmp, real, &u->files, err)) || (bad = upgrade_verify(tmp, real, err))) goto out;
    struct stat nst;
    if (stat(tmp, &nst) == 0) u->size_after = (long long)nst.st_size;
    step_pause();
    /* EEXIST: the link an earlier, killed upgrade made, checked above;
     * a file put there since is not the archive, and must not pass for
     * its backup */
    if (keep_backup && link(real, bak) != 0) {
        int e = errno;
        if (e != EEXIST || lstat(bak, &bst) != 0 || bst.st_dev != st.st_dev || bst.st_ino != st.st_ino) {
            bad = ls_errorf(err, path, 0, 0,
                            "cannot keep the archive as %s: %s (nothing was changed; --no-backup upgrades without "
                            "keeping it)",
                            bak, strerror(e));
            goto out;
        }
    }
    step_pause();
    if (rename(tmp, real) != 0) {
        bad = ls_errorf(err, path, 0, 0, "cannot replace the archive: %s (nothing was changed)", strerror(errno));
        goto out;
    }
    char *dir = ls_dirname(real);
    sync_dir(dir);
    free(dir);
    free(tmp);
    tmp = NULL;
    /* named as the office named the archive, unless that is a link */
    if (keep_backup) u->backup = lstat(path, &st) == 0 && S_ISLNK(st.st_mode) ? ls_xstrdup(bak)
                                                                              : ls_format("%s.format1.bak", path);
out:
    if (tmp) remove_temp(tmp);
    free(tmp);
    free(bak);
    free(real);
    ls_archive_close(a); /* the transaction only read: nothing to roll back */
    return bad ? -1 : 0;
}

void ls_upgrade_cleanup(ls_upgrade *u)
{
    free(u->backup);
    u->backup = NULL;
}
