#!/bin/bash
# tests/cli/automate_rate.sh with its queue on PostgreSQL (SIGNOFF_TEST_BACKEND=pg:
# tests/lib.sh's test_queue makes a database of the script's own).
SIGNOFF_TEST_BACKEND=pg exec bash "$(dirname "$0")/../cli/automate_rate.sh"
