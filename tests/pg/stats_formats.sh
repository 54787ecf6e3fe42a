#!/bin/bash
# tests/cli/stats_formats.sh with its queue on PostgreSQL (SIGNOFF_TEST_BACKEND=pg):
# the same decisions give the same figures as on a queue file.
SIGNOFF_TEST_BACKEND=pg exec bash "$(dirname "$0")/../cli/stats_formats.sh"
