#!/bin/bash
# tests/e2e/ui_sla.sh with its queue on PostgreSQL (SIGNOFF_TEST_BACKEND=pg:
# tests/lib.sh's test_queue makes a database per queue).
SIGNOFF_TEST_BACKEND=pg exec bash "$(dirname "$0")/../e2e/ui_sla.sh"
