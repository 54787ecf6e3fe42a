#!/bin/bash
# tests/cli/list_show.sh with its queue on PostgreSQL (SIGNOFF_TEST_BACKEND=pg).
SIGNOFF_TEST_BACKEND=pg exec bash "$(dirname "$0")/../cli/list_show.sh"
