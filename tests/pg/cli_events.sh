#!/bin/bash
# tests/cli/events.sh with its queue on PostgreSQL (SIGNOFF_TEST_BACKEND=pg):
# the feed, --follow woken by LISTEN/NOTIFY, applied, the release window.
SIGNOFF_TEST_BACKEND=pg exec bash "$(dirname "$0")/../cli/events.sh"
