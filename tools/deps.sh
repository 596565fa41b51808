#!/bin/sh
# tools/deps.sh - install the Debian packages lawscore needs, if missing.
#
# Called by `make deps` (and so by `make demo` and `make check`).  Checks
# each package with dpkg and installs only what is missing, as root via
# apt-get (with sudo when not root).  Extra package names may be given as
# arguments (e.g. valgrind for `make valgrind`).  Also makes sure the
# zh_CN.UTF-8 locale exists (generated with locale-gen when missing).
set -eu

# Libraries the engine links; gettext and locales for the Chinese messages;
# the clients an office opens our outputs with (LibreOffice, Chromium, with
# a CJK font and poppler to read the printed PDF), used by the real-client
# checks of `make check`; clang-format for `make format-check`; zstd to
# read back the compressed items.csv.zst (tests/run-jobs.sh).
PKGS="gcc make pkg-config liblua5.4-dev libyaml-dev libcmocka-dev libyajl-dev nettle-dev libcsv-dev
      libxlsxwriter-dev libzip-dev libexpat1-dev libfreexl-dev libsqlite3-dev libzstd-dev zlib1g-dev zstd gettext locales
      libreoffice-calc-nogui chromium poppler-utils fonts-noto-cjk clang-format $*"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; fi

if [ -n "$missing" ]; then
    echo "lawscore: installing missing packages:$missing"
    if [ "$(id -u)" != 0 ] && [ -z "$SUDO" ]; then
        echo "lawscore: error: need root (or sudo) to install:$missing" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    # shellcheck disable=SC2086
    $SUDO apt-get install -y --no-install-recommends $missing >/dev/null ||
        { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y --no-install-recommends $missing >/dev/null; }
fi

# The zh_CN.UTF-8 locale, for the Chinese messages (LANG=zh_CN.UTF-8) and the
# end-to-end cases that pin them: enabled in /etc/locale.gen and generated,
# once (locale -a lists it as zh_CN.utf8).
if ! locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\?8'; then
    if [ "$(id -u)" != 0 ] && [ -z "$SUDO" ]; then
        echo "lawscore: error: need root (or sudo) to generate the zh_CN.UTF-8 locale" >&2
        exit 1
    fi
    echo "lawscore: generating the zh_CN.UTF-8 locale"
    if grep -q '^# *zh_CN\.UTF-8 UTF-8' /etc/locale.gen 2>/dev/null; then
        $SUDO sed -i 's/^# *\(zh_CN\.UTF-8 UTF-8\)/\1/' /etc/locale.gen
    elif ! grep -q '^zh_CN\.UTF-8 UTF-8' /etc/locale.gen 2>/dev/null; then
        echo 'zh_CN.UTF-8 UTF-8' | $SUDO tee -a /etc/locale.gen >/dev/null
    fi
    $SUDO locale-gen >/dev/null
fi
