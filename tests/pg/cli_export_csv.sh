#!/bin/bash
# tests/cli/export_csv.sh with its queue on PostgreSQL (SIGNOFF_TEST_BACKEND=pg).
SIGNOFF_TEST_BACKEND=pg exec bash "$(dirname "$0")/../cli/export_csv.sh"
