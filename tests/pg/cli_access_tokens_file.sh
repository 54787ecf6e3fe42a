#!/bin/bash
# tests/cli/access_tokens_file.sh with its queue on PostgreSQL (SIGNOFF_TEST_BACKEND=pg).
SIGNOFF_TEST_BACKEND=pg exec bash "$(dirname "$0")/../cli/access_tokens_file.sh"
