#!/bin/bash
# tests/cli/hook_log.sh with its queue on PostgreSQL (SIGNOFF_TEST_BACKEND=pg):
# signoff deliver --once on a database, hook log bounded to WEBHOOK_LOG_KEEP.
SIGNOFF_TEST_BACKEND=pg exec bash "$(dirname "$0")/../cli/hook_log.sh"
