#!/bin/sh
# Install the Debian packages signoff needs, only those pkg-config (or a
# command lookup) says are missing. Used by `make demo` and `make check`.
set -eu

missing=""
need_pkg() { # pkg-config-name debian-package
    pkg-config --exists "$1" 2>/dev/null || missing="$missing $2"
}
need_cmd() { # command debian-package
    command -v "$1" >/dev/null 2>&1 || missing="$missing $2"
}

command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
need_cmd cc gcc
need_cmd make make
need_pkg ncursesw libncurses-dev
need_pkg sqlite3 libsqlite3-dev
need_pkg libcurl libcurl4-openssl-dev
need_pkg libcjson libcjson-dev
need_pkg libmicrohttpd libmicrohttpd-dev
need_pkg libcrypto libssl-dev
need_pkg uuid uuid-dev
need_pkg cmocka libcmocka-dev
need_cmd tmux tmux
need_cmd sqlite3 sqlite3
need_cmd curl curl
need_cmd openssl openssl
need_cmd script bsdutils
need_cmd jq jq
need_cmd python3 python3
[ -e /usr/share/zoneinfo/UTC ] || missing="$missing tzdata"
locale -a 2>/dev/null | grep -qi '^c\.utf-\?8$' || missing="$missing locales"

if [ -z "$missing" ]; then
    exit 0
fi
echo "deps: missing:$missing" >&2
if [ "$(id -u)" != 0 ]; then
    echo "deps: run as root (or: sudo apt-get install$missing)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
