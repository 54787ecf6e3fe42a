#!/bin/bash
# tests/cli/cost.sh with its queue on PostgreSQL (SIGNOFF_TEST_BACKEND=pg):
# the cost and latency figures of the rollup against the same hand counts.
SIGNOFF_TEST_BACKEND=pg exec bash "$(dirname "$0")/../cli/cost.sh"
