#!/bin/bash
# tests/http/examples.sh with its queue on PostgreSQL (SIGNOFF_TEST_BACKEND=pg):
# the producers of docs/examples (the feed with a stored cursor, applied, a
# webhook receiver) against a signoff serve on a database.
SIGNOFF_TEST_BACKEND=pg exec bash "$(dirname "$0")/../http/examples.sh"
