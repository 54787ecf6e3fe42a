#!/bin/bash
# tests/cli/gold.sh with its queue on PostgreSQL (SIGNOFF_TEST_BACKEND=pg:
# test_queue makes a database of the script's own): gold add, the counted
# mix, answers kept out of the feed, webhooks and rates, accuracy, export.
SIGNOFF_TEST_BACKEND=pg exec bash "$(dirname "$0")/../cli/gold.sh"
