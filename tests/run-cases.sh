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
#              LANGUAGE unset, LANG=C) unless its env file says otherwise, so
#              a developer's own locale changes no expected output
#   no-valgrind  run without $VALGRIND (make valgrind): a case that ends
#              the process on purpose mid-run (a plugin crashing), which
#              valgrind would report as leaks and invalid accesses
#   expected/  files that must exist in $OUT with exactly this content
#              (optional); with a non-zero status $OUT must stay empty,
#              unless a file `writes-on-failure` is present (--keep-going)
# These control files are not part of the assembled case.  A directory
# without cmd (such as _explain) is a shared fixture: assembled, not run.
# Prints one line per failure with a diff, then "cases: N passed, N failed".
# With UPDATE=1 a case's expected files are rewritten from what lawscore
# did (see tests/README.md for which files), and "updated NAME: FILES" is
# printed for each case that changed: review the result with git diff.
set -u
cd "$(dirname "$0")/.." || exit 1
# Messages in English whatever the developer's locale (a case's env file
# may choose another); the LC_* categories lawscore reads are all unset.
unset LC_ALL LC_MESSAGES LC_CTYPE LC_NUMERIC LC_COLLATE LANGUAGE
export LANG=C
BIN=${1:-build/lawscore}
[ $# -gt 0 ] && shift
case "$BIN" in /*) ;; *) BIN="$PWD/$BIN" ;; esac
BINDIR=$(cd "$(dirname "$BIN")" && pwd)
UPDATE=${UPDATE:-}
[ "$UPDATE" = 0 ] && UPDATE=
pass=0
fail=0
updated=0
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
is_control() {
    case "$1" in cmd|status|stdout|stderr|env|expected|writes-on-failure|no-valgrind) return 0 ;; esac
    return 1
}
for dir in tests/cases/*/; do
    dir=${dir%/}
    mkdir -p "$root/$dir"
    [ "$dir" = tests/cases/_base ] || cp -R tests/cases/_base/. "$root/$dir"
    for f in "$dir"/* "$dir"/.[!.]*; do
        [ -e "$f" ] || [ -L "$f" ] || continue
        is_control "${f##*/}" || cp -R "$f" "$root/$dir/"
    done
done

for c in "$@"; do
    c=${c%/}
    [ -f "tests/cases/${c#tests/cases/}/cmd" ] || { fail=$((fail + 1)); echo "FAIL $c: no such case (no tests/cases/${c#tests/cases/}/cmd)"; }
done

# UPDATE=1: copy actual output $1 to expected file $2 if they differ, noting it.
changed=""
update_file() {
    if [ ! -f "$1" ]; then
        [ -f "$2" ] && { rm -f "$2"; changed="$changed ${2#"$dir"/}(removed)"; }
    elif ! cmp -s "$1" "$2"; then
        cp "$1" "$2"
        changed="$changed ${2#"$dir"/}"
    fi
}

for dir in tests/cases/*/; do
    dir=${dir%/}
    [ -f "$dir/cmd" ] || continue
    name=${dir#tests/cases/}
    if [ $# -gt 0 ]; then
        want=0
        for c in "$@"; do [ "${c%/}" = "$name" ] || [ "${c%/}" = "$dir" ] && want=1; done
        [ $want = 1 ] || continue
    fi
    CASE=$dir
    OUT=$scratch/$name/out
    mkdir -p "$OUT"
    args=$(sed -e "s|\$CASE|$CASE|g" -e "s|\$OUT|$OUT|g" -e "s|\$BUILD|$BINDIR|g" "$dir/cmd")
    want_status=0
    [ -f "$dir/status" ] && want_status=$(cat "$dir/status")
    caseenv=""
    [ -f "$dir/env" ] && caseenv=$(grep -v '^#' "$dir/env" | tr '\n' ' ')
    # shellcheck disable=SC2086
    vg=${VALGRIND:-}
    [ -f "$dir/no-valgrind" ] && vg=""
    (cd "$root" && exec env $caseenv $vg "$BIN" $args) >"$scratch/$name/stdout" 2>"$scratch/$name/stderr"
    status=$?
    for stream in stdout stderr; do
        sed -e "s|$BINDIR|\$BUILD|g" -e "s|$root|\$ROOT|g" -e "s|$PWD|\$ROOT|g" \
            "$scratch/$name/$stream" > "$scratch/$name/$stream.t"
        mv "$scratch/$name/$stream.t" "$scratch/$name/$stream"
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
        if [ -n "$changed" ]; then updated=$((updated + 1)); echo "updated $name:$changed"; fi
        continue
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
            b=$(basename "$f")
            if ! cmp -s "$f" "$OUT/$b"; then
                ok=0
                why="$why${why:+; }$b differs:
$(diff -u "$f" "$OUT/$b" 2>&1 | head -40)"
            fi
        done
    fi
    if [ "$want_status" != 0 ] && [ ! -f "$dir/writes-on-failure" ] && [ -n "$(ls -A "$OUT")" ]; then
        ok=0
        why="$why${why:+; }output files written despite failure: $(ls -A "$OUT" | tr '\n' ' ')"
    fi
    if [ $ok = 1 ]; then pass=$((pass + 1)); else
        fail=$((fail + 1))
        echo "FAIL $name: $why"
        [ -s "$scratch/$name/stderr" ] && { echo "  stderr was:"; sed 's/^/    /' "$scratch/$name/stderr" | head -20; }
    fi
done
if [ -n "$UPDATE" ]; then
    echo "cases: $updated updated (review with git diff tests/cases)"
    [ "$fail" -eq 0 ]
    exit
fi
[ $# -gt 0 ] && { echo "cases: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit; }
# Reproducibility: the same inputs give byte-identical outputs.
ex=examples/dongfeng-2017
ok=1
for n in 1 2; do
    mkdir -p "$scratch/repro$n"
    ${VALGRIND:-} "$BIN" run $ex/scheme.yaml $ex/data/fazhiban.yaml $ex/data/departments.csv -q \
        -o "$scratch/repro$n" >/dev/null 2>&1 || ok=0
done
for f in results.csv items.csv results.json results.xlsx report.html; do
    cmp -s "$scratch/repro1/$f" "$scratch/repro2/$f" || { ok=0; echo "FAIL reproducibility: $f differs between two runs"; }
done
if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
# The same under a Chinese locale: only messages change with the language,
# never the output files.
ok=1
mkdir -p "$scratch/repro-zh"
LANG=zh_CN.UTF-8 ${VALGRIND:-} "$BIN" run $ex/scheme.yaml $ex/data/fazhiban.yaml $ex/data/departments.csv -q \
    -o "$scratch/repro-zh" >/dev/null 2>&1 || ok=0
for f in results.csv items.csv results.json results.xlsx report.html; do
    cmp -s "$scratch/repro1/$f" "$scratch/repro-zh/$f" || { ok=0; echo "FAIL locale: $f differs under LANG=zh_CN.UTF-8"; }
done
if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi

echo "cases: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
