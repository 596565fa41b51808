#!/bin/sh
# tests/run-cases.sh - data-driven end-to-end cases (tests/README.md).
#
#   sh tests/run-cases.sh [BIN [CASE...]]       run every case, or the named ones
#   UPDATE=1 sh tests/run-cases.sh BIN [CASE...] write actual output as expected
#   KEEP=1 sh tests/run-cases.sh BIN [CASE...]   keep the assembled tree, print where
#
# A case's inputs hold only what differs from tests/cases/_base: before
# running, every directory tests/cases/NAME/ (and _base itself) is assembled
# in a scratch tree as _base with the case's own files laid over it, under
# the same relative path, tests/cases/NAME; the rest of the repository is
# linked in, and lawscore runs with that tree as its working directory, so
# messages name the same paths as in the repository.  Each case directory
# holds:
#   cmd        the arguments to lawscore, one line; paths relative to the
#              repository root; $CASE expands to the case directory and
#              $OUT to a fresh scratch directory, $BUILD to the build
#              directory (test plugins: $BUILD/test-plugins); a case's
#              files may link to the build directory as .build at the
#              root of the assembled tree (../../../.build/plugins/...)
#   status     the expected exit status (default 0)
#   stderr     the expected standard error, exactly (optional); in both
#              streams the build directory reads as $BUILD and the
#              repository root as $ROOT, so cases do not depend on where
#              the checkout is
#   stdout     the expected standard output, exactly (optional)
#   env        environment settings for this case, one NAME=VALUE a line
#              (optional), e.g. LANG=zh_CN.UTF-8 for the Chinese messages;
#              every case runs in the C locale (LC_ALL, LC_MESSAGES and
#              LANGUAGE unset, LANG=C) and in UTC (TZ=UTC: history shows
#              publication times in the local zone) unless its env file says
#              otherwise, so a developer's own locale changes no expected output
#   no-valgrind  run without $VALGRIND (make valgrind): a case that ends
#              the process on purpose mid-run (a plugin crashing), which
#              valgrind would report as leaks and invalid accesses
#   expected/  files that must exist in $OUT with exactly this content
#              (optional); with a non-zero status $OUT must stay empty,
#              unless a file `writes-on-failure` is present (--keep-going)
# These control files are not part of the assembled case.  A directory
# without cmd (such as _explain) is a shared fixture: assembled, not run.
# The tree is assembled and the cases run in CASE_JOBS shards side by side
# (default: twice the number of cores: on a loaded machine a case mostly
# waits to be scheduled); the reports are printed in the order of the case
# names, as if the cases had run one after the other.
# Prints one line per failure with a diff, then "cases: N passed, N failed".
# With UPDATE=1 a case's expected files are rewritten from what lawscore
# did (see tests/README.md for which files), and "updated NAME: FILES" is
# printed for each case that changed: review the result with git diff.
set -u
cd "$(dirname "$0")/.." || exit 1
# Messages in English whatever the developer's locale (a case's env file
# may choose another); the LC_* categories lawscore reads are all unset.
unset LC_ALL LC_MESSAGES LC_CTYPE LC_NUMERIC LC_COLLATE LANGUAGE
export LANG=C TZ=UTC
BIN=${1:-build/lawscore}
[ $# -gt 0 ] && shift
case "$BIN" in /*) ;; *) BIN="$PWD/$BIN" ;; esac
BINDIR=$(cd "$(dirname "$BIN")" && pwd)
UPDATE=${UPDATE:-}
[ "$UPDATE" = 0 ] && UPDATE=
# UPDATE=1: copy actual output $1 to expected file $2 if they differ, noting it.
update_file() {
    if [ ! -f "$1" ]; then
        [ -f "$2" ] && { rm -f "$2"; changed="$changed ${2#"$dir"/}(removed)"; }
    elif ! cmp -s "$1" "$2"; then
        cp "$1" "$2"
        changed="$changed ${2#"$dir"/}"
    fi
}

# run_one "DIR<tab>ARGS": run the case tests/cases/NAME (DIR) in the
# assembled tree with the arguments of its cmd ($CASE, $OUT and $BUILD
# expanded, for all cases by one awk: see the list below; $OUT is made
# there too); writes "pass", "fail" or (UPDATE=1) "updated" or nothing to
# $scratch/NAME/result and what to print to $scratch/NAME/report.  A
# process costs more than the case's own lawscore on a loaded machine, so
# the body starts only those it needs.
run_one() {
    dir=${1%%"$tab"*}
    args=${1#*"$tab"}
    name=${dir#tests/cases/}
    res=$scratch/$name/result
    OUT=$scratch/$name/out
    : > "$res"
    run_one_body > "$scratch/$name/report" 2>&1
}
# empty DIR: DIR holds no file (not even a hidden one)
empty() {
    for f in "$1"/* "$1"/.[!.]* "$1"/..?*; do
        if [ -e "$f" ] || [ -L "$f" ]; then return 1; fi
    done
    return 0
}
run_one_body() {
    want_status=0
    [ -f "$dir/status" ] && read -r want_status < "$dir/status"
    caseenv=""
    [ -f "$dir/env" ] && caseenv=$(grep -v '^#' "$dir/env" | tr '\n' ' ')
    # shellcheck disable=SC2086
    vg=${VALGRIND:-}
    [ -f "$dir/no-valgrind" ] && vg=""
    if [ -n "$caseenv" ]; then
        (cd "$root" && exec env $caseenv $vg "$BIN" $args) >"$scratch/$name/stdout.raw" 2>"$scratch/$name/stderr.raw"
    else
        (cd "$root" && exec $vg "$BIN" $args) >"$scratch/$name/stdout.raw" 2>"$scratch/$name/stderr.raw"
    fi
    status=$?
    for stream in stdout stderr; do
        if [ -s "$scratch/$name/$stream.raw" ]; then
            sed -e "s|$BINDIR|\$BUILD|g" -e "s|$root|\$ROOT|g" -e "s|$PWD|\$ROOT|g" \
                "$scratch/$name/$stream.raw" > "$scratch/$name/$stream"
        else
            : > "$scratch/$name/$stream"
        fi
    done
    if [ -n "$UPDATE" ]; then
        changed=""
        new=1
        for f in status stdout stderr expected/*; do [ -e "$dir/$f" ] && new=0; done
        if [ "$status" != "$want_status" ]; then
            echo "$status" > "$dir/status"
            changed="$changed status"
        fi
        for stream in stdout stderr; do
            if [ -f "$dir/$stream" ] || { [ $new = 1 ] && [ -s "$scratch/$name/$stream" ]; }; then
                update_file "$scratch/$name/$stream" "$dir/$stream"
            fi
        done
        if [ -d "$dir/expected" ]; then
            if [ -z "$(ls -A "$dir/expected")" ]; then
                for f in "$OUT"/*; do [ -f "$f" ] && update_file "$f" "$dir/expected/${f##*/}"; done
            else
                for f in "$dir"/expected/*; do [ -e "$f" ] && update_file "$OUT/${f##*/}" "$f"; done
            fi
        fi
        if [ -n "$changed" ]; then echo updated > "$res"; echo "updated $name:$changed"; fi
        return
    fi
    ok=1
    why=""
    if [ "$status" != "$want_status" ]; then ok=0; why="exit status $status, expected $want_status"; fi
    for stream in stdout stderr; do
        if [ -f "$dir/$stream" ] && ! cmp -s "$dir/$stream" "$scratch/$name/$stream"; then
            ok=0
            why="$why${why:+; }$stream differs:
$(diff -u "$dir/$stream" "$scratch/$name/$stream" | head -40)"
        fi
    done
    if [ -d "$dir/expected" ]; then
        for f in "$dir"/expected/*; do
            [ -e "$f" ] || [ -L "$f" ] || continue
            b=${f##*/}
            if ! cmp -s "$f" "$OUT/$b"; then
                ok=0
                why="$why${why:+; }$b differs:
$(diff -u "$f" "$OUT/$b" 2>&1 | head -40)"
            fi
        done
    fi
    if [ "$want_status" != 0 ] && [ ! -f "$dir/writes-on-failure" ] && ! empty "$OUT"; then
        ok=0
        why="$why${why:+; }output files written despite failure: $(ls -A "$OUT" | tr '\n' ' ')"
    fi
    if [ $ok = 1 ]; then echo pass > "$res"; else
        echo fail > "$res"
        echo "FAIL $name: $why"
        [ -s "$scratch/$name/stderr" ] && { echo "  stderr was:"; sed 's/^/    /' "$scratch/$name/stderr" | head -20; }
    fi
}

# in_shards JOBS LIST FUNCTION: FUNCTION on each line of the file LIST,
# in JOBS background shells side by side (line i by shell i modulo JOBS).
in_shards() {
    k=0
    pids=""
    while [ $k -lt "$1" ]; do
        awk -v j="$1" -v k=$k 'NR % j == k' "$2" > "$2.$k"
        (while IFS= read -r line; do "$3" "$line"; done < "$2.$k") &
        pids="$pids $!"
        k=$((k + 1))
    done
    # shellcheck disable=SC2086
    wait $pids
}

pass=0
fail=0
updated=0
CASE_JOBS=${CASE_JOBS:-$(( $(nproc 2>/dev/null || echo 1) * 2 ))}
scratch=$(mktemp -d)
if [ -n "${KEEP:-}" ]; then echo "assembled cases kept in $scratch/root"; else trap 'rm -rf "$scratch"' EXIT; fi

# No case may hold a copy of a _base file: it would silently stop following
# _base.  The checker is itself tested on a tree with one copy planted.
if sh tests/check-case-copies.sh tests/cases; then pass=$((pass + 1)); else
    fail=$((fail + 1))
    echo "FAIL case copies: delete the files named above"
fi
mkdir -p "$scratch/self/_base/rules" "$scratch/self/a/rules" "$scratch/self/b"
echo 'x' > "$scratch/self/_base/rules/r.lua"
echo 'x' > "$scratch/self/a/rules/r.lua"
echo 'y' > "$scratch/self/b/r.lua"
echo 'x' > "$scratch/self/b/cmd"
self=$(sh tests/check-case-copies.sh "$scratch/self" 2>&1)
self_status=$?
self_want="$scratch/self/a/rules/r.lua: error: byte-identical to $scratch/self/_base/rules/r.lua, which every case gets from _base; delete it: git rm $scratch/self/a/rules/r.lua"
if [ $self_status = 1 ] && [ "$self" = "$self_want" ]; then pass=$((pass + 1)); else
    fail=$((fail + 1))
    echo "FAIL check-case-copies self-test: status $self_status, output:"
    echo "$self"
fi
rm -rf "$scratch/self"

# The assembled tree: tests/cases/* assembled, everything else linked.
root=$scratch/root
mkdir -p "$root/tests/cases"
for e in * tests/*; do
    [ "$e" = tests ] || [ "$e" = tests/cases ] || ln -s "$PWD/$e" "$root/$e"
done
ln -s "$BINDIR" "$root/.build"
# Every case's own files at once (one cp), without the control files (one
# find), then _base under each case: what the case does not hold itself
# comes from _base (cp -n keeps the case's own files; one cp a case).
cp -R tests/cases/. "$root/tests/cases/"
find "$root/tests/cases" -mindepth 2 -maxdepth 2 \( -name cmd -o -name status -o -name stdout -o -name stderr \
    -o -name env -o -name expected -o -name writes-on-failure -o -name no-valgrind \) -exec rm -rf {} +
assemble() { cp -R -n tests/cases/_base/. "$root/$1/"; }
ls -d tests/cases/*/ | sed 's|/$||' | grep -vx tests/cases/_base > "$scratch/dirs"
in_shards "$CASE_JOBS" "$scratch/dirs" assemble

for c in "$@"; do
    c=${c%/}
    [ -f "tests/cases/${c#tests/cases/}/cmd" ] || { fail=$((fail + 1)); echo "FAIL $c: no such case (no tests/cases/${c#tests/cases/}/cmd)"; }
done

# The cases to run: all, or those named.
: > "$scratch/list"
for dir in tests/cases/*/; do
    dir=${dir%/}
    [ -f "$dir/cmd" ] || continue
    name=${dir#tests/cases/}
    if [ $# -gt 0 ]; then
        want=0
        for c in "$@"; do [ "${c%/}" = "$name" ] || [ "${c%/}" = "$dir" ] && want=1; done
        [ $want = 1 ] || continue
    fi
    echo "$dir" >> "$scratch/list"
done
# Each case's arguments, its cmd with $CASE, $OUT and $BUILD expanded, on
# its line of list.args after the directory and a tab; its $OUT made.
tab=$(printf '\t')
awk -v tab="$tab" -v scratch="$scratch" -v bindir="$BINDIR" '
    function subst(s, from, to,   i, r) {
        r = ""
        while ((i = index(s, from)) > 0) { r = r substr(s, 1, i - 1) to; s = substr(s, i + length(from)) }
        return r s
    }
    {
        dir = $0; name = dir; sub(/^tests\/cases\//, "", name); out = scratch "/" name "/out"
        args = ""; f = dir "/cmd"
        while ((getline line < f) > 0) args = args (args == "" ? "" : " ") line
        close(f)
        print dir tab subst(subst(subst(args, "$CASE", dir), "$OUT", out), "$BUILD", bindir) > (scratch "/list.args")
        print out
    }' "$scratch/list" | xargs -r mkdir -p
[ -s "$scratch/list" ] || : > "$scratch/list.args"

# Reproducibility (all cases, not UPDATE=1): the same inputs give
# byte-identical outputs, in any language; the three runs go on while the
# cases run.
ex=examples/dongfeng-2017
repro=0
if [ $# = 0 ] && [ -z "$UPDATE" ]; then
    repro=1
    for n in 1 2 zh; do
        mkdir -p "$scratch/repro$n"
        lang=C
        [ $n = zh ] && lang=zh_CN.UTF-8
        LANG=$lang ${VALGRIND:-} "$BIN" run $ex/scheme.yaml $ex/data/fazhiban.yaml $ex/data/departments.csv -q \
            -o "$scratch/repro$n" >/dev/null 2>&1 &
        eval "pid_$n=\$!"
    done
fi

in_shards "$CASE_JOBS" "$scratch/list.args" run_one
while IFS= read -r dir; do
    name=${dir#tests/cases/}
    cat "$scratch/$name/report" 2>/dev/null
    case $(cat "$scratch/$name/result" 2>/dev/null) in
        pass) pass=$((pass + 1)) ;;
        updated) updated=$((updated + 1)) ;;
        fail) fail=$((fail + 1)) ;;
        "") [ -n "$UPDATE" ] || { fail=$((fail + 1)); echo "FAIL $name: the case did not run"; } ;;
    esac
done < "$scratch/list"

if [ -n "$UPDATE" ]; then
    echo "cases: $updated updated (review with git diff tests/cases)"
    [ "$fail" -eq 0 ]
    exit
fi
[ $repro = 1 ] || { echo "cases: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit; }
ok=1
# shellcheck disable=SC2154
for p in "$pid_1" "$pid_2"; do wait "$p" || ok=0; done
for f in results.csv items.csv results.json results.xlsx report.html; do
    cmp -s "$scratch/repro1/$f" "$scratch/repro2/$f" || { ok=0; echo "FAIL reproducibility: $f differs between two runs"; }
done
if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
# The same under a Chinese locale: only messages change with the language,
# never the output files.
ok=1
# shellcheck disable=SC2154
wait "$pid_zh" || ok=0
for f in results.csv items.csv results.json results.xlsx report.html; do
    cmp -s "$scratch/repro1/$f" "$scratch/reprozh/$f" || { ok=0; echo "FAIL locale: $f differs under LANG=zh_CN.UTF-8"; }
done
if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi

echo "cases: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
