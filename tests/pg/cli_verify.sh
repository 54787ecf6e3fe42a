#!/bin/bash
# tests/cli/verify.sh with its queue on PostgreSQL (SIGNOFF_TEST_BACKEND=pg):
# each kind of tampering, done with psql on a copy of the database, named.
SIGNOFF_TEST_BACKEND=pg exec bash "$(dirname "$0")/../cli/verify.sh"
