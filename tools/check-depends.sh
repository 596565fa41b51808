#!/bin/sh
# tools/check-depends.sh - every "Depends on:" line of the engine says what
# its module really includes.
#
#   sh tools/check-depends.sh [DIR]          (default engine)
#   sh tools/check-depends.sh --list [DIR]   print each module's line as the
#                                            includes say it should read
#
# The rule.  A module ls_X is the pair DIR/ls_X.h + DIR/ls_X.c (main.c is a
# module of one file).  Its dependencies are what the pair #includes:
#   - "ls_Y.h"             -> ls_Y (its own ls_X.h does not count);
#   - "lawscore_plugin.h"  -> lawscore_plugin (the plugin ABI, include/);
#   - a library header     -> the library's name, from the table below
#                             (lua.h -> Lua, yaml.h -> libyaml, ...);
#   - a C library or POSIX header (stdio.h, unistd.h, sys/stat.h, ...) -> nothing.
# The leading comment of ls_X.h (of main.c for main) must hold one line
#     * Depends on: NAME, NAME, ... .
# (it may go on over the following comment lines, up to a blank comment line
# or the end of the comment) naming exactly those dependencies, in any
# order.  Names are separated by commas, semicolons, "and", or a slash
# between modules (ls_yaml/ls_yread); a library may carry its version
# ("Lua 5.4"); anything in parentheses is a remark and is not read; "libc"
# (or "POSIX") may be named and is not checked; a module that includes
# nothing but libc says "libc".
# A .c file with a header need not repeat the line; if it has one, the same
# rule applies to it.  Only direct includes count: what ls_Y.h brings in is
# ls_Y's dependency, not ls_X's.  And the headers of the rule backends
# (ls_lua.h, ls_plugin.h) are included by the registry, ls_backends.c, only.
#
# Each mismatch is reported as
#   PATH:LINE: error: 'Depends on:' lacks NAME (FILE:LINE that includes it), ...
#   PATH:LINE: error: 'Depends on:' names NAME, which neither ls_X.h nor ls_X.c includes
# and so on; exit status 1 if any, else 0.  Run by `make depends` (make test).
set -u
list=0
if [ "${1:-}" = --list ]; then list=1; shift; fi
dir=${1:-engine}
dir=${dir%/}
[ -d "$dir" ] || { echo "$dir: error: no such directory" >&2; exit 2; }
set -- "$dir"/*.h "$dir"/*.c
[ -e "$1" ] || { echo "$dir: error: no .h or .c files" >&2; exit 2; }

LC_ALL=C awk -v list=$list '
BEGIN {
    # Library headers and the name a "Depends on:" line gives the library.
    lib["lua.h"] = "Lua"; lib["lauxlib.h"] = "Lua"; lib["lualib.h"] = "Lua"; lib["luaconf.h"] = "Lua"
    lib["yaml.h"] = "libyaml"
    lib["xlsxwriter.h"] = "libxlsxwriter"
    lib["sqlite3.h"] = "SQLite"
    lib["dlfcn.h"] = "dlfcn"
    lib["zip.h"] = "libzip"
    lib["expat.h"] = "expat"
    lib["freexl.h"] = "FreeXL"
    lib["iconv.h"] = "iconv"
    lib["libintl.h"] = "gettext"
    lib["pthread.h"] = "pthreads"
    lib["csv.h"] = "libcsv"
    lib["cmocka.h"] = "cmocka"
    lib["zstd.h"] = "libzstd"
    lib["zlib.h"] = "zlib"
    # Libraries whose headers live in a directory of their name.
    libdir["yajl"] = "yajl"; libdir["nettle"] = "nettle"; libdir["xlsxwriter"] = "libxlsxwriter"
    nlibs = split("Lua libyaml libxlsxwriter SQLite dlfcn libzip expat FreeXL iconv gettext pthreads libcsv cmocka libzstd yajl nettle zlib", libnames, " ")
    for (i = 1; i <= nlibs; i++) islib[libnames[i]] = 1
    # C11 and POSIX headers: not dependencies.
    n = split("assert.h complex.h ctype.h errno.h fenv.h float.h inttypes.h iso646.h limits.h " \
              "locale.h math.h setjmp.h signal.h stdalign.h stdarg.h stdatomic.h stdbool.h " \
              "stddef.h stdint.h stdio.h stdlib.h stdnoreturn.h string.h tgmath.h threads.h " \
              "time.h uchar.h wchar.h wctype.h " \
              "dirent.h fcntl.h fnmatch.h ftw.h glob.h grp.h langinfo.h libgen.h poll.h pwd.h " \
              "regex.h sched.h search.h spawn.h strings.h termios.h unistd.h utime.h wordexp.h", hl, " ")
    for (i = 1; i <= n; i++) libc[hl[i]] = 1
    # The rule backends: only the registry (ls_backends.c) includes their
    # headers (issue 8), besides the backend itself.
    backend["ls_lua"] = 1; backend["ls_plugin"] = 1
    nerr = 0
    nfiles = 0
}

function err(where, msg) {
    print where ": error: " msg > "/dev/stderr"
    nerr++
}

function base(p) { sub(/.*\//, "", p); return p }

# Record that module m depends on name, first included at where.
function dep(m, name, where) {
    if ((m SUBSEP name) in deps) return
    deps[m, name] = where
    mdeps[m] = mdeps[m] " " name
}

FNR == 1 {
    file = FILENAME
    files[++nfiles] = file
    mod = base(file); ext = mod; sub(/\.[ch]$/, "", mod); sub(/.*\./, "", ext)
    fmod[file] = mod
    fext[file] = ext
    have[mod, ext] = 1
    if (!(mod in seen)) { seen[mod] = 1; mods[++nmods] = mod }
    lead = ($0 ~ /^\/\*/)       # in the leading comment
    indep = 0
}

lead {
    line = $0
    end = (line ~ /\*\//)
    if (end) sub(/\*\/.*/, "", line)
    if (line ~ /^[ \t]*\*?[ \t]*Depends on:/) {
        indep = 0
        if (file in dline)
            err(file ":" FNR, "a second '\''Depends on:'\'' line (the first is line " dline[file] ")")
        else {
            sub(/^.*Depends on:/, "", line)
            dline[file] = FNR
            dtext[file] = line
            indep = 1
        }
    } else if (indep) {
        # A continuation: a comment line with text, up to a blank one.
        sub(/^[ \t]*\*?[ \t]?/, "", line)
        if (line ~ /^[ \t]*$/) indep = 0
        else dtext[file] = dtext[file] " " line
    }
    if (end) { lead = 0; indep = 0 }
    next
}

/^[ \t]*#[ \t]*include[ \t]*[<"]/ {
    h = $0
    sub(/^[ \t]*#[ \t]*include[ \t]*/, "", h)
    q = substr(h, 1, 1)
    h = substr(h, 2)
    if (q == "<") sub(/>.*/, "", h)
    else sub(/".*/, "", h)
    where = base(FILENAME) ":" FNR
    if (h == mod ".h" && q == "\"") next
    if (h ~ /^ls_[a-z0-9_]+\.h$/) {
        sub(/\.h$/, "", h)
        if ((h in backend) && mod != "ls_backends")
            err(FILENAME ":" FNR, "#include \"" h ".h\": " h " is a rule backend, whose header only the registry " \
                "(ls_backends.c) includes; go through ls_backends.h (ls_backends_bind, _probe, _loaded)")
        dep(mod, h, where)
        next
    }
    if (h == "lawscore_plugin.h") { dep(mod, "lawscore_plugin", where); next }
    if (h in lib) { dep(mod, lib[h], where); next }
    d = h; sub(/\/.*/, "", d)
    if (h ~ /\// && (d in libdir)) { dep(mod, libdir[d], where); next }
    if ((h in libc) || h ~ /^(sys|arpa|netinet)\//) next
    err(FILENAME ":" FNR, "#include " q h (q == "<" ? ">" : "\"") ": tools/check-depends.sh does not know this header: " \
        "add it to its table of libraries (or of libc headers)")
}

# The names of a "Depends on:" text, remarks in parentheses dropped, into
# names[1..n]; returns n.
function parse(t,    out, i, c, depth, n, parts, k, s) {
    out = ""; depth = 0
    for (i = 1; i <= length(t); i++) {
        c = substr(t, i, 1)
        if (c == "(") depth++
        else if (c == ")") { if (depth > 0) depth-- }
        else if (depth == 0) out = out c
    }
    gsub(/;/, ",", out)
    gsub(/\/ls_/, ",ls_", out)     # ls_yaml/ls_yread
    gsub(/[ \t]+and[ \t]+/, ",", out)
    gsub(/[ \t]+/, " ", out)
    sub(/[ \t]*\.[ \t]*$/, "", out)
    n = split(out, parts, ",")
    k = 0
    for (i = 1; i <= n; i++) {
        s = parts[i]
        sub(/^ +/, "", s); sub(/ +$/, "", s)
        if (s != "") names[++k] = s
    }
    return k
}

# "a, b and c" from the space-separated list l, sorted.
function sorted(l,    a, n, i, j, t, s) {
    n = split(l, a, " ")
    for (i = 2; i <= n; i++) {
        t = a[i]
        for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]
        a[j + 1] = t
    }
    s = ""
    for (i = 1; i <= n; i++) s = s (i > 1 ? ", " : "") a[i]
    return s
}

# "which neither ls_X.h nor ls_X.c includes", or of the one file there is.
function which_not(m) {
    if (((m SUBSEP "h") in have) && ((m SUBSEP "c") in have)) return "which neither " m ".h nor " m ".c includes"
    return "which " m (((m SUBSEP "h") in have) ? ".h" : ".c") " does not include"
}

END {
    if (list) {
        for (i = 1; i <= nmods; i++) {
            want = sorted(mdeps[mods[i]])
            print mods[i] ": Depends on: " (want == "" ? "libc" : want) "."
        }
        exit 0
    }
    for (fi = 1; fi <= nfiles; fi++) {
        f = files[fi]; m = fmod[f]
        if (!(f in dline)) {
            if (fext[f] == "c" && ((m SUBSEP "h") in have)) continue
            want = sorted(mdeps[m])
            err(f ":1", "no '\''Depends on:'\'' line in the leading comment; write: * Depends on: " \
                (want == "" ? "libc" : want) ".")
            continue
        }
        where = f ":" dline[f]
        delete names
        n = parse(dtext[f])
        if (n == 0) { err(where, "'\''Depends on:'\'' names nothing (write libc if " m " includes only C library headers)"); continue }
        delete listed
        extra = ""
        for (i = 1; i <= n; i++) {
            s = names[i]
            # "Lua 5.4": a library with its version.
            if (s ~ / [0-9][0-9.]*$/) { v = s; sub(/ [0-9][0-9.]*$/, "", v); if (v in islib) s = v }
            if (s == "libc" || s == "POSIX") continue
            if (s !~ /^ls_[a-z0-9_]+$/ && s != "lawscore_plugin" && !(s in islib)) {
                err(where, "'\''Depends on:'\'' names \"" s "\", which is not a module (ls_NAME), the plugin ABI " \
                    "(lawscore_plugin), a library (" sorted(libnames_str()) ") or libc; put remarks in parentheses")
                continue
            }
            if (s in listed) { err(where, "'\''Depends on:'\'' names " s " twice"); continue }
            listed[s] = 1
            if (!((m SUBSEP s) in deps)) extra = extra (extra == "" ? "" : ", ") s
        }
        lacks = ""
        k = split(mdeps[m], a, " ")
        for (i = 1; i <= k; i++)
            if (!(a[i] in listed)) lacks = lacks (lacks == "" ? "" : ", ") a[i] " (" deps[m, a[i]] ")"
        if (lacks != "") err(where, "'\''Depends on:'\'' lacks " lacks)
        if (extra != "")
            err(where, "'\''Depends on:'\'' names " extra ", " which_not(m))
    }
    if (nerr) {
        print nerr " error(s).  A '\''Depends on:'\'' line names exactly what its module'\''s .h and .c #include (the rule: tools/check-depends.sh)" > "/dev/stderr"
        exit 1
    }
    print "check-depends: " nfiles " files, every '\''Depends on:'\'' line matches the includes"
}

function libnames_str(    s, i) {
    s = ""
    for (i = 1; i <= nlibs; i++) s = s " " libnames[i]
    return s
}
' "$@"
