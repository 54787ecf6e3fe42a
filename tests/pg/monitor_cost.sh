#!/bin/bash
# tests/e2e/monitor_cost.sh with its queue on PostgreSQL (SIGNOFF_TEST_BACKEND=pg).
SIGNOFF_TEST_BACKEND=pg exec bash "$(dirname "$0")/../e2e/monitor_cost.sh"
