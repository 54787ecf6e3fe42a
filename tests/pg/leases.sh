#!/bin/bash
# tests/crash/leases.sh on PostgreSQL: a late decide after a takeover is
# refused with nothing written (local and through the server), and 16
# processes claiming at once never share a draft nor see "busy".
SIGNOFF_TEST_BACKEND=pg exec bash "$(dirname "$0")/../crash/leases.sh"
