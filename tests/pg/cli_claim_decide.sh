#!/bin/bash
# tests/cli/claim_decide.sh with its queue on PostgreSQL (SIGNOFF_TEST_BACKEND=pg).
SIGNOFF_TEST_BACKEND=pg exec bash "$(dirname "$0")/../cli/claim_decide.sh"
