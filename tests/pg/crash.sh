#!/bin/bash
# tests/crash/crash.sh on PostgreSQL: reviewers (and, remote, the server)
# SIGKILLed at random moments round after round; nothing acknowledged is
# lost, no draft decided twice, the chain verifies after every round and
# leases recover (8 s per mode, 4 under ASan: the SQLite pass runs 20).
secs=8
[ "${SIGNOFF_MODE:-plain}" = asan ] && secs=4
SIGNOFF_TEST_BACKEND=pg CRASH_SECONDS=${CRASH_SECONDS:-$secs} exec bash "$(dirname "$0")/../crash/crash.sh"
