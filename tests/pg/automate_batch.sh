#!/bin/bash
# tests/cli/automate_batch.sh with its queue on PostgreSQL beside a queue file:
# the same batch gives the same chain, hash for hash, on both stores.
SIGNOFF_TEST_BACKEND=pg exec bash "$(dirname "$0")/../cli/automate_batch.sh"
