/*
 * ls_lua_cover.c - line coverage of Lua rule scripts (see ls_lua_cover.h).
 *
 * The bytecode reader follows ldump.c of Lua 5.4: a header, then the main
 * function; each function holds its code, constants, upvalues, nested
 * functions and debug information, whose line table (one signed byte per
 * instruction: the line delta from the previous instruction, or -128 for
 * "absolute, see abslineinfo") gives each instruction's line, the way
 * ldebug.c's collectvalidlines reads it.  Every read is bounds-checked; any
 * surprise makes the whole chunk unreadable (-1), never a wrong answer.
 *
 * Depends on: ls_coverage, ls_sandbox (and through it Lua 5.4's lua.h),
 * ls_util.
 */
#include "ls_lua_cover.h"

#include <stdlib.h>
#include <string.h>

#include "ls_util.h"

/* ---- hooks --------------------------------------------------------------- */

void ls_lua_cover_line(lua_State *L, lua_Debug *ar, void *ctx)
{
    ls_lua_cover *b = ctx;
    if (!lua_getinfo(L, "S", ar)) return;
    if (ar->source != b->src) {
        b->src = ar->source;
        b->file = ar->source[0] == '@' ? ls_coverage_find(b->cov, ar->source + 1) : -1;
    }
    if (b->file >= 0 && ar->currentline > 0) ls_coverage_hit(b->cov, b->file, ar->currentline);
}

static int dump_writer(lua_State *L, const void *p, size_t n, void *ud)
{
    (void)L;
    ls_buf_add(ud, p, n);
    return 0;
}

/* Under lua_pcall: the active lines of the function at index 1 into file
 * (index 2) of the ls_coverage at 3.  Only when the bytecode cannot be
 * read: it misses the lines of nested functions. */
static int active_lines(lua_State *L)
{
    ls_coverage *cov = lua_touserdata(L, 3);
    int file = (int)lua_tointeger(L, 2);
    lua_Debug ar;
    lua_settop(L, 1);
    lua_getinfo(L, ">L", &ar); /* the function -> its lines */
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        if (lua_isinteger(L, -2)) ls_coverage_code(cov, file, (int)lua_tointeger(L, -2));
        lua_pop(L, 1);
    }
    return 0;
}

void ls_lua_cover_chunk(ls_lua_cover *b, lua_State *L, const char *path, int fn_ref)
{
    b->src = NULL; /* a source seen before may be this script */
    int file = ls_coverage_file(b->cov, path);
    ls_buf code;
    ls_buf_init(&code);
    lua_settop(L, 0);
    lua_rawgeti(L, LUA_REGISTRYINDEX, fn_ref);
    int ok = lua_dump(L, dump_writer, &code, 0) == 0 &&
             !ls_lua_cover_bytecode(b->cov, file, (const unsigned char *)code.p, code.n);
    ls_buf_cleanup(&code);
    if (!ok) {
        lua_pushcfunction(L, active_lines);
        lua_insert(L, 1);
        lua_pushinteger(L, file);
        lua_pushlightuserdata(L, b->cov);
        lua_pcall(L, 3, 0, 0);
    }
    lua_settop(L, 0);
}

/* ---- reading Lua 5.4 bytecode --------------------------------------------- */

typedef struct reader {
    const unsigned char *p, *end;
    int bad;
    size_t isize, nsize, insize; /* sizeof Instruction, lua_Number, lua_Integer */
    int depth;
} reader;

static int rd_byte(reader *r)
{
    if (r->bad || r->p >= r->end) {
        r->bad = 1;
        return 0;
    }
    return *r->p++;
}

static void rd_skip(reader *r, size_t n)
{
    if (r->bad || (size_t)(r->end - r->p) < n) {
        r->bad = 1;
        return;
    }
    r->p += n;
}

/* dumpSize: 7 bits a byte, most significant first, the last byte marked
 * with 0x80. */
static size_t rd_size(reader *r)
{
    size_t x = 0;
    for (int i = 0; i < 10; i++) {
        int b = rd_byte(r);
        if (r->bad) return 0;
        if (x > ((size_t)-1 >> 7)) break;
        x = (x << 7) | (size_t)(b & 0x7f);
        if (b & 0x80) return x;
    }
    r->bad = 1;
    return 0;
}

static int rd_int(reader *r)
{
    size_t x = rd_size(r);
    if (x > 0x7fffffff) r->bad = 1;
    return r->bad ? 0 : (int)x;
}

static void rd_string(reader *r)
{
    size_t n = rd_size(r);
    if (n > 0) rd_skip(r, n - 1);
}

/* A count of elements of `each` bytes that must fit in what is left. */
static size_t rd_count(reader *r, size_t each)
{
    size_t n = (size_t)rd_int(r);
    if (!r->bad && each && n > (size_t)(r->end - r->p) / each) r->bad = 1;
    return r->bad ? 0 : n;
}

static void rd_function(reader *r, ls_coverage *c, int file)
{
    if (++r->depth > 200) {
        r->bad = 1;
        return;
    }
    rd_string(r); /* source */
    int linedefined = rd_int(r);
    rd_int(r);  /* lastlinedefined */
    rd_byte(r); /* numparams */
    int vararg = rd_byte(r);
    rd_byte(r); /* maxstacksize */
    size_t ncode = rd_count(r, r->isize);
    rd_skip(r, ncode * r->isize);
    size_t nk = rd_count(r, 1);
    for (size_t i = 0; i < nk && !r->bad; i++) {
        int tt = rd_byte(r);
        switch (tt) {
        case 0x13: rd_skip(r, r->nsize); break;  /* float */
        case 0x03: rd_skip(r, r->insize); break; /* integer */
        case 0x04:                               /* short string */
        case 0x14: rd_string(r); break;          /* long string */
        case 0x00:
        case 0x01:
        case 0x11: break; /* nil, false, true */
        default: r->bad = 1;
        }
    }
    size_t nup = rd_count(r, 3);
    rd_skip(r, nup * 3);
    size_t np = rd_count(r, 1);
    for (size_t i = 0; i < np && !r->bad; i++) rd_function(r, c, file);
    size_t nli = rd_count(r, 1);
    const signed char *li = (const signed char *)r->p;
    rd_skip(r, nli);
    size_t nabs = rd_count(r, 2);
    int *abs = ls_xmalloc((nabs ? nabs : 1) * 2 * sizeof *abs);
    for (size_t i = 0; i < nabs; i++) {
        abs[2 * i] = rd_int(r);
        abs[2 * i + 1] = rd_int(r);
    }
    size_t nloc = rd_count(r, 3);
    for (size_t i = 0; i < nloc && !r->bad; i++) {
        rd_string(r);
        rd_int(r);
        rd_int(r);
    }
    size_t nupn = rd_count(r, 1);
    for (size_t i = 0; i < nupn && !r->bad; i++) rd_string(r);
    if (!r->bad && nli != ncode) r->bad = 1; /* stripped, or not what we think */
    /* Each instruction's line; the first instruction of a vararg function
     * (VARARGPREP) and the final implicit return are not counted. */
    int line = linedefined;
    for (size_t pc = 0; pc < nli && !r->bad; pc++) {
        if (li[pc] == -128) {
            size_t k = 0;
            while (k < nabs && abs[2 * k] != (int)pc) k++;
            if (k == nabs) {
                r->bad = 1;
                break;
            }
            line = abs[2 * k + 1];
        } else {
            line += li[pc];
        }
        if ((pc == 0 && vararg) || pc + 1 == nli) continue;
        if (line > 0) ls_coverage_code(c, file, line);
    }
    free(abs);
    r->depth--;
}

int ls_lua_cover_bytecode(ls_coverage *c, int i, const unsigned char *p, size_t n)
{
    static const unsigned char sig[] = "\x1bLua\x54\x00\x19\x93\r\n\x1a\n";
    reader r = {.p = p, .end = p + n};
    if (n < sizeof sig - 1 || memcmp(p, sig, sizeof sig - 1)) return -1;
    r.p += sizeof sig - 1;
    r.isize = (size_t)rd_byte(&r);
    r.insize = (size_t)rd_byte(&r);
    r.nsize = (size_t)rd_byte(&r);
    if (r.bad || r.isize != 4 || r.insize == 0 || r.insize > 16 || r.nsize == 0 || r.nsize > 16)
        return -1;
    rd_skip(&r, r.insize + r.nsize); /* LUAC_INT, LUAC_NUM */
    rd_byte(&r);                     /* upvalues of the main function */
    if (r.bad) return -1;
    /* Read into a scratch record first: a chunk that turns out unreadable
     * halfway must not leave half of its lines marked. */
    ls_coverage tmp;
    ls_coverage_init(&tmp);
    int t = ls_coverage_file(&tmp, "");
    rd_function(&r, &tmp, t);
    if (!r.bad && r.p != r.end) r.bad = 1;
    if (!r.bad) {
        const ls_covfile *f = &tmp.files[t];
        for (int l = 1; l < f->nlines; l++)
            if (f->code[l]) ls_coverage_code(c, i, l);
        c->files[i].lines_known = 1;
    }
    ls_coverage_cleanup(&tmp);
    return r.bad ? -1 : 0;
}
