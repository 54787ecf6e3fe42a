#!/bin/bash
# The PostgreSQL test harness itself: a database of this script's own in a
# throwaway cluster reached only through a Unix socket, run by an
# unprivileged owner, with the test-only fast settings.
. "$(dirname "$0")/../lib.sh"
pg_queue cluster || exit 0

check_eq "the database exists" "$PGDB" "$(psq 'SELECT current_database()')"
check_eq "no TCP listener" "" "$(psq 'SHOW listen_addresses')"
check_eq "fsync off (tests only)" "off" "$(psq 'SHOW fsync')"
check_eq "socket in the run's short directory" "$SIGNOFF_PG_HOST" \
    "$(psq 'SHOW unix_socket_directories')"
owner=$(stat -c %U "$SIGNOFF_PG_DIR/data")
check "the cluster's owner is not root" test "$owner" != root -o "$(id -u)" != 0
check_contains "the spec is a libpq URI on the socket" \
    "postgresql:///$PGDB?host=$SIGNOFF_PG_HOST" "$PGQ"
