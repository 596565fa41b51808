#!/bin/sh
# tools/xgettext.sh - extract the translatable messages (docs/messages.md).
#
#   sh tools/xgettext.sh OUT.pot [EXTRA.c|EXTRA.lua...]
#
# Reads engine/*.c, po/libyaml-messages.c (libyaml's own texts) and the C
# plugins shipped with lawscore (plugins/*.c but template.c, the plugin
# authors' copy), then the rule helper library rules/lawscore.lua (Lua:
# its messages are written tr("..."), host.tr), and writes a .pot.  The keywords
# are every function that translates its format or text argument itself:
# a literal passed there is a message, as is one written _("...") or
# N_("...").  A new wrapper of that kind is added here, with its argument
# number.  `make pot`, `make po-update` and tests/check-po.sh all call this
# script, so the list is in one place.
set -eu
cd "$(dirname "$0")/.."
out=$1
shift
plugins=$(ls plugins/*.c | grep -v '^plugins/template\.c$')
# EXTRA files: .c ones are read as C, .lua ones as Lua (tests/check-po.sh).
cfiles= luafiles=
for f in "$@"; do
    case $f in
    *.lua) luafiles="$luafiles $f" ;;
    *) cfiles="$cfiles $f" ;;
    esac
done
# shellcheck disable=SC2086
xgettext --language=C --from-code=UTF-8 --no-wrap --sort-by-file \
    --package-name=lawscore --package-version="${LS_VERSION:-0.1.0}" \
    --msgid-bugs-address=lawscore \
    --keyword= --keyword=_ --keyword=N_ \
    --keyword=ls_errorf:5 --flag=ls_errorf:5:c-format \
    --keyword=ls_warnf:5 --flag=ls_warnf:5:c-format \
    --keyword=ls_notef:5 --flag=ls_notef:5:c-format \
    --keyword=ls_yr_error:3 --flag=ls_yr_error:3:c-format \
    --keyword=ls_yr_expect_map:3 --keyword=ls_yr_expect_seq:3 --keyword=ls_yr_expect_scalar:3 \
    --keyword=ls_yr_check_keys:4 --keyword=ls_yr_require:4 \
    --keyword=ls_rule_call_fail:4 --flag=ls_rule_call_fail:4:c-format \
    --keyword=ls_sandbox_error:2 --flag=ls_sandbox_error:2:c-format \
    --keyword=ls_sandbox_name_error:2 --flag=ls_sandbox_name_error:2:c-format \
    --keyword=bind_errorat:3 --flag=bind_errorat:3:c-format \
    --keyword=call_fail:2 --flag=call_fail:2:c-format \
    --keyword=bind_error:3 --flag=bind_error:3:c-format \
    --keyword=fail:2 --flag=fail:2:c-format \
    --flag=ls_format:1:c-format --flag=ls_buf_printf:2:c-format \
    --flag=fprintf:2:c-format --flag=snprintf:3:c-format \
    -o "$out" engine/*.c po/libyaml-messages.c $plugins $cfiles
xgettext --language=Lua --from-code=UTF-8 --no-wrap --join-existing \
    --keyword= --keyword=tr \
    -o "$out" rules/lawscore.lua $luafiles
