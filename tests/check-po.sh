#!/bin/sh
# tests/check-po.sh - every message has a Chinese translation (part of make test).
#
#   sh tests/check-po.sh            check po/zh_CN.po against the sources
#   sh tests/check-po.sh PO [C...]  check PO against the sources plus C files
#
# Extracts the messages from the current sources (tools/xgettext.sh, the
# same extraction as `make pot`), merges them with the catalogue the way
# `make po-update` would, and fails naming each message that has no
# translation or only a fuzzy one (a guess msgmerge made from a similar
# message: it must be checked by a person), with where it is used.  It also
# fails when the catalogue is not a valid one (msgfmt --check: format
# directives agreeing with the English, for example), and names every
# message printed to stderr as a bare literal (fprintf(stderr, "...")),
# which extraction cannot see.  Fix: `make po-update`, translate the
# messages named, remove the "fuzzy" marks.  Self-test: the same checks on
# a planted untranslated message and a planted bare one must name them.
set -u
cd "$(dirname "$0")/.." || exit 1
po=${1:-po/zh_CN.po}
[ $# -gt 0 ] && shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# check PO [C...]: prints what is missing; returns 1 when something is
check() {
    p=$1
    shift
    sh tools/xgettext.sh "$tmp/messages.pot" "$@" || return 2
    msgfmt --check -o /dev/null "$p" || { echo "$p: error: msgfmt --check fails (see above)"; return 1; }
    # Obsolete (#~) entries are left out before merging: msgmerge would
    # revive one that matches, but msgfmt drops them, so the message shows
    # in English.  A message whose only translation is obsolete is named
    # as such.
    msgattrib --no-wrap --no-obsolete "$p" > "$tmp/live.po" || return 2
    msgattrib --no-wrap --only-obsolete "$p" | sed -n 's/^#~ msgid "\(.*\)"$/\1/p' > "$tmp/obsolete.ids"
    msgmerge --quiet --no-wrap "$tmp/live.po" "$tmp/messages.pot" -o "$tmp/merged.po" || return 2
    # Entries without a translation, or fuzzy (header excluded).
    msgattrib --no-wrap --untranslated --no-obsolete "$tmp/merged.po" > "$tmp/untranslated.po"
    msgattrib --no-wrap --only-fuzzy --no-obsolete "$tmp/merged.po" > "$tmp/fuzzy.po"
    awk -v po="$p" '
        FILENAME ~ /obsolete\.ids$/ { obsolete[$0] = 1; next }
        FNR == 1 { kind = FILENAME ~ /fuzzy/ ? "fuzzy translation" : "no translation" }
        /^#: / { where = substr($0, 4); next }
        /^msgid "/ { id = substr($0, 8, length($0) - 8); inid = 1; next }
        /^"/ && inid { id = id substr($0, 2, length($0) - 2); next }
        /^msgstr/ { if (id != "") { n++
                        k = kind == "no translation" && (id in obsolete) ? "only an obsolete (#~) translation, which msgfmt drops," : kind
                        printf "%s: error: %s for \"%s\" (used at %s)\n", po, k, id, where }
                    id = ""; where = ""; inid = 0 }
        END { exit n > 0 }' "$tmp/obsolete.ids" "$tmp/untranslated.po" "$tmp/fuzzy.po"
}

# unmarked FILE...: messages printed to stderr as a bare literal, which no
# extraction sees; "lawscore: fatal:" lines (out of memory, a broken
# interpreter) stay English on purpose.  Prints FILE:LINE: error: ...
unmarked() {
    grep -n 'fprintf(stderr, *"[^"]*[A-Za-z]\{3,\}\|fputs("[^"]*[A-Za-z]\{3,\}[^"]*", *stderr)' "$@" /dev/null | grep -v '"lawscore: fatal:' |
        sed 's/^\([^:]*:[0-9]*\):.*/\1: error: a message printed without _(): mark it (docs\/messages.md)/'
}

status=0
out=$(check "$po" "$@") || status=$?
bare=$(unmarked engine/*.c)
if [ -n "$bare" ]; then
    printf '%s\n' "$bare"
    status=1
fi
if [ $status = 0 ]; then
    n=$(grep -c '^msgid ' "$tmp/messages.pot")
    echo "check-po: $po translates all $((n - 1)) messages"
else
    [ -n "$out" ] && printf '%s\n' "$out"
    n=$(printf '%s\n' "$out" | grep -c 'error:')
    [ "$n" -gt 0 ] && echo "check-po: $n messages to translate in $po: run make po-update, translate them, remove the fuzzy marks"
    exit 1
fi

# Self-test: a message added to the sources without a translation is named.
cat > "$tmp/planted.c" <<'C'
static const char *planted(void) { return _("planted message without a translation"); }
C
self=$(check "$po" "$tmp/planted.c")
self_status=$?
case "$self" in
*"error: no translation for \"planted message without a translation\" (used at $tmp/planted.c:1)"*) ;;
*) self_status=0 ;;
esac
if [ $self_status != 1 ]; then
    echo "FAIL check-po self-test: a planted untranslated message was not reported:"
    printf '%s\n' "$self"
    exit 1
fi
# So is a message of the Lua helper library (tr("...")) without one.
printf '%s\n' 'local function f() return tr("planted Lua message without a translation") end' > "$tmp/planted.lua"
self=$(check "$po" "$tmp/planted.lua")
self_status=$?
case "$self" in
*"error: no translation for \"planted Lua message without a translation\" (used at $tmp/planted.lua:1)"*) ;;
*) self_status=0 ;;
esac
if [ $self_status != 1 ]; then
    echo "FAIL check-po self-test: a planted untranslated Lua message was not reported:"
    printf '%s\n' "$self"
    exit 1
fi
# A message whose only translation is an obsolete (#~) entry is named too.
cp "$po" "$tmp/obsolete.po"
printf '\n#~ msgid "planted message with an obsolete translation"\n#~ msgstr "已废弃的译文"\n' >> "$tmp/obsolete.po"
cat > "$tmp/planted2.c" <<'C'
static const char *planted2(void) { return _("planted message with an obsolete translation"); }
C
self=$(check "$tmp/obsolete.po" "$tmp/planted2.c")
self_status=$?
case "$self" in
*"error: only an obsolete (#~) translation, which msgfmt drops, for \"planted message with an obsolete translation\" (used at $tmp/planted2.c:1)"*) ;;
*) self_status=0 ;;
esac
if [ $self_status != 1 ]; then
    echo "FAIL check-po self-test: a message translated only by an obsolete entry was not reported:"
    printf '%s\n' "$self"
    exit 1
fi
printf '%s\n' 'static void f(void) { fprintf(stderr, "bare message\\n"); }' > "$tmp/bare.c"
self=$(unmarked "$tmp/bare.c")
if [ "$self" != "$tmp/bare.c:1: error: a message printed without _(): mark it (docs/messages.md)" ]; then
    echo "FAIL check-po self-test: a planted bare stderr message was not reported: $self"
    exit 1
fi
