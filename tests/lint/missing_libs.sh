#!/bin/bash
# Plain `make` on a machine without a library: before compiling anything it
# names the missing pkg-config packages, their Debian packages and `make
# deps`, instead of a compiler error about a header. A pkg-config wrapper on
# PATH plays the machine where libcjson (and then also uuid) is missing.
. "$(dirname "$0")/../lib.sh"
real=$(command -v pkg-config)
mkdir -p "$T/fakebin" "$T/empty"
cat >"$T/fakebin/pkg-config" <<EOF2
#!/bin/sh
# pkg-config without the packages named in \$HIDE_PKGS.
for a in "\$@"; do
    for h in \$HIDE_PKGS; do
        if [ "\$a" = "\$h" ]; then
            echo "Package \$h was not found in the pkg-config search path." >&2
            exit 1
        fi
    done
done
exec "$real" "\$@"
EOF2
chmod +x "$T/fakebin/pkg-config"
# make TARGET with the wrapper: a build directory of its own in $T.
fake_make() {
    run env PATH="$T/fakebin:$PATH" PKG_CONFIG_PATH="$T/empty" HIDE_PKGS="$HIDE" \
        make --no-print-directory -C "$TOP" BUILD="$T/build" "$@"
}
HIDE=libcjson fake_make
check_eq "make fails without libcjson" 2 "$RC"
check_contains "it names the missing package" \
    "signoff: cannot build: pkg-config does not find: libcjson" "$ERR"
check_contains "and the Debian package" "(Debian packages: libcjson-dev)" "$ERR"
check_contains "and what to run" "Run \`make deps\` (as root) to install them, or \`make demo\` or \`make check\`" "$ERR"
check_not_contains "no compiler error about a header" "No such file" "$ERR"
check_eq "nothing was compiled" "" "$(find "$T/build" -name '*.o' 2>/dev/null)"

HIDE="libcjson uuid" fake_make "$T/build/tests/test_text"
check_contains "a unit test build names every missing package" \
    "pkg-config does not find: libcjson uuid" "$ERR"

run env PATH="$T/fakebin:$PATH" HIDE_PKGS= sh "$TOP/scripts/deps.sh" --check \
    ncursesw sqlite3 libcurl libcjson libmicrohttpd libcrypto uuid
check_eq "with every package present the check passes quietly" "0::" "$RC:$OUT:$ERR"
