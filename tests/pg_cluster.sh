# A throwaway PostgreSQL cluster for the tests (source it; bash).
#   pg_cluster_start   start one; exports SIGNOFF_PG_HOST (its socket
#                      directory), SIGNOFF_PG_USER (its superuser) and
#                      SIGNOFF_PG_DIR (the directory to remove at the end)
#   pg_cluster_stop    stop it (immediate) and remove its files
#   pg_bindir          the directory of Debian's initdb/pg_ctl, or fail
# initdb and pg_ctl refuse to run as root, so as root the cluster belongs
# to nobody (setpriv), with its data and socket directories owned by
# nobody in a short directory of its own under /tmp (a Unix socket path
# has ~100 bytes). No TCP (listen_addresses=''); fsync, full_page_writes
# and synchronous_commit off: these settings are for tests only.
# tests/run.sh starts one cluster per run; a script run by hand starts its
# own through tests/lib.sh's pg_queue.

# The newest installed PostgreSQL's bin directory.
pg_bindir() {
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] || return 1
    echo "$d"
}

# as_owner CMD...: run CMD as the cluster's owner (nobody when root).
_pg_as_owner() {
    if [ "$(id -u)" = 0 ]; then
        setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
    else
        "$@"
    fi
}

pg_cluster_start() {
    local bin dir i
    bin=$(pg_bindir) || {
        echo "pg_cluster: PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb: Debian package postgresql, make deps)" >&2
        return 1
    }
    dir=$(mktemp -d /tmp/sopg.XXXXXX) || return 1
    mkdir -p "$dir/data" "$dir/sock"
    if [ "$(id -u)" = 0 ]; then
        chown nobody:nogroup "$dir/data" "$dir/sock"
        chmod 0755 "$dir"
    fi
    chmod 0700 "$dir/data"
    if ! _pg_as_owner "$bin/initdb" -D "$dir/data" -U so --auth=trust \
            --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1; then
        echo "pg_cluster: initdb failed:" >&2
        tail -5 "$dir/initdb.log" >&2
        rm -rf "$dir"
        return 1
    fi
    if ! _pg_as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/data/log" -w -t 60 \
            -o "-c listen_addresses='' -c unix_socket_directories='$dir/sock' -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=200 -c shared_buffers=32MB" \
            start >"$dir/pg_ctl.log" 2>&1; then
        echo "pg_cluster: pg_ctl start failed:" >&2
        tail -5 "$dir/data/log" >&2
        rm -rf "$dir"
        return 1
    fi
    export SIGNOFF_PG_DIR="$dir" SIGNOFF_PG_HOST="$dir/sock" SIGNOFF_PG_USER=so \
        SIGNOFF_PG_BIN="$bin"
    # The template every script's database is made from (pg_queue).
    "$bin/psql" -X -q -h "$dir/sock" -U so -d postgres \
        -c "CREATE DATABASE so_template TEMPLATE template0" >/dev/null
}

pg_cluster_stop() {
    [ -n "${SIGNOFF_PG_DIR:-}" ] && [ -d "$SIGNOFF_PG_DIR/data" ] || return 0
    _pg_as_owner "$SIGNOFF_PG_BIN/pg_ctl" -D "$SIGNOFF_PG_DIR/data" -m immediate \
        -w stop >/dev/null 2>&1
    rm -rf "$SIGNOFF_PG_DIR"
}
