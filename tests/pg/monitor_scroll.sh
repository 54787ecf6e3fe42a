#!/bin/bash
# tests/e2e/monitor_scroll.sh with its queue on PostgreSQL (SIGNOFF_TEST_BACKEND=pg):
# the monitor's figures come from the sharded counters.
SIGNOFF_TEST_BACKEND=pg exec bash "$(dirname "$0")/../e2e/monitor_scroll.sh"
