#!/bin/sh
# Install the Debian packages signoff needs, only those pkg-config (or a
# command lookup) says are missing. Used by `make demo` and `make check`.
#   scripts/deps.sh --check PKG...   install nothing: exit 1 naming the
#       pkg-config packages (and their Debian packages) that are missing;
#       the Makefile runs it before compiling.
set -eu

# debian_of PKG: the Debian package that ships pkg-config's PKG.
debian_of() {
    case $1 in
    ncursesw) echo libncurses-dev ;;
    sqlite3) echo libsqlite3-dev ;;
    libcurl) echo libcurl4-openssl-dev ;;
    libcjson) echo libcjson-dev ;;
    libmicrohttpd) echo libmicrohttpd-dev ;;
    libcrypto) echo libssl-dev ;;
    uuid) echo uuid-dev ;;
    cmocka) echo libcmocka-dev ;;
    libpq) echo libpq-dev ;;
    *) echo "$1" ;;
    esac
}

if [ "${1:-}" = --check ]; then
    shift
    if ! command -v pkg-config >/dev/null 2>&1; then
        echo "signoff: cannot build: pkg-config is missing (Debian package pkg-config)." >&2
        echo "Run \`make deps\` (as root) to install it and the libraries, or \`make demo\` or \`make check\`, which install them first." >&2
        exit 1
    fi
    miss="" debs=""
    for p in "$@"; do
        if ! pkg-config --exists "$p" 2>/dev/null; then
            miss="$miss $p"
            debs="$debs $(debian_of "$p")"
        fi
    done
    [ -z "$miss" ] && exit 0
    echo "signoff: cannot build: pkg-config does not find:$miss" >&2
    echo "  (Debian packages:$debs)" >&2
    echo "Run \`make deps\` (as root) to install them, or \`make demo\` or \`make check\`, which install them first." >&2
    exit 1
fi

missing=""
need_pkg() { # pkg-config-name
    pkg-config --exists "$1" 2>/dev/null || missing="$missing $(debian_of "$1")"
}
need_cmd() { # command debian-package
    command -v "$1" >/dev/null 2>&1 || missing="$missing $2"
}

command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
need_cmd cc gcc
need_cmd make make
need_pkg ncursesw
need_pkg sqlite3
need_pkg libcurl
need_pkg libcjson
need_pkg libmicrohttpd
need_pkg libcrypto
need_pkg uuid
need_pkg cmocka
need_pkg libpq
# the PostgreSQL store's tests start a throwaway cluster (tests/pg_cluster.sh)
# with Debian's initdb and pg_ctl, and bench/ runs pgbench beside signoff
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$missing postgresql"
need_cmd psql postgresql-client
need_cmd tmux tmux
need_cmd sqlite3 sqlite3
need_cmd curl curl
need_cmd openssl openssl
need_cmd script bsdutils
need_cmd jq jq
need_cmd python3 python3
# the standard tools that judge our formats (tests/cli/man.sh, stats and
# /metrics, contrib/): promtool, mandoc, systemd-analyze
need_cmd promtool prometheus
need_cmd mandoc mandoc
need_cmd systemd-analyze systemd
# the zsh completion script is checked with zsh -n (tests/cli/completion.sh)
need_cmd zsh zsh
# scripts/openapi_check.py (the HTTP tests check every reply against
# docs/openapi.yaml): jsonschema and yaml in python3, PATH's or Debian's
python3 -c 'import jsonschema, yaml' 2>/dev/null ||
    /usr/bin/python3 -c 'import jsonschema, yaml' 2>/dev/null ||
    missing="$missing python3-jsonschema python3-yaml"
# npm, for the test-only OpenAPI linter installed below
need_cmd npm npm
[ -e /usr/share/zoneinfo/UTC ] || missing="$missing tzdata"
locale -a 2>/dev/null | grep -qi '^c\.utf-\?8$' || missing="$missing locales"

if [ -n "$missing" ]; then
    echo "deps: missing:$missing" >&2
    if [ "$(id -u)" != 0 ]; then
        echo "deps: run as root (or: sudo apt-get install$missing)" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing
fi

# The OpenAPI linter of tests/lint/openapi.sh: Redocly CLI, pinned, in
# build/tools of this checkout (test-only; nothing system-wide).
REDOCLY_VERSION=2.77.0
# The Standard Webhooks reference verifier of tests/http/webhooks.sh.
STANDARDWEBHOOKS_VERSION=1.0.0
# The client generator of tests/lint/openapi.sh (TypeScript types from
# docs/openapi.yaml, a client type-checked against them).
OPENAPI_TYPESCRIPT_VERSION=7.13.0
TYPESCRIPT_VERSION=5.9.3
redocly=build/tools/node_modules/.bin/redocly
if [ "$("$redocly" --version 2>/dev/null | tail -1)" != "$REDOCLY_VERSION" ]; then
    echo "deps: installing @redocly/cli@$REDOCLY_VERSION in build/tools" >&2
    mkdir -p build/tools
    npm install --prefix build/tools --no-audit --no-fund --loglevel=error \
        "@redocly/cli@$REDOCLY_VERSION" >&2
fi
if [ "$(build/tools/node_modules/.bin/openapi-typescript --version 2>/dev/null)" \
        != "v$OPENAPI_TYPESCRIPT_VERSION" ] ||
    [ "$(build/tools/node_modules/.bin/tsc --version 2>/dev/null)" \
        != "Version $TYPESCRIPT_VERSION" ]; then
    echo "deps: installing openapi-typescript@$OPENAPI_TYPESCRIPT_VERSION and typescript@$TYPESCRIPT_VERSION in build/tools" >&2
    mkdir -p build/tools
    npm install --prefix build/tools --no-audit --no-fund --loglevel=error \
        "openapi-typescript@$OPENAPI_TYPESCRIPT_VERSION" \
        "typescript@$TYPESCRIPT_VERSION" >&2
fi
if [ "$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' \
        build/tools/node_modules/standardwebhooks/package.json 2>/dev/null)" \
        != "$STANDARDWEBHOOKS_VERSION" ]; then
    echo "deps: installing standardwebhooks@$STANDARDWEBHOOKS_VERSION in build/tools" >&2
    mkdir -p build/tools
    npm install --prefix build/tools --no-audit --no-fund --loglevel=error \
        "standardwebhooks@$STANDARDWEBHOOKS_VERSION" >&2
fi
