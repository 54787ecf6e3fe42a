#!/bin/bash
# tests/cli/cost_input.sh with its queue on PostgreSQL (SIGNOFF_TEST_BACKEND=pg:
# tests/lib.sh's test_queue makes a database of the script's own).
SIGNOFF_TEST_BACKEND=pg exec bash "$(dirname "$0")/../cli/cost_input.sh"
