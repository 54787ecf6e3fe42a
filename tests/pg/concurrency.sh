#!/bin/bash
# tests/cli/concurrency.sh on PostgreSQL: eight processes claim and decide
# one queue, one SIGKILLed mid-run; every draft decided exactly once and
# the chain verifies (500 drafts: the plain SQLite pass runs 2,000).
SIGNOFF_TEST_BACKEND=pg exec bash "$(dirname "$0")/../cli/concurrency.sh"
