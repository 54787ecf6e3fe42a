#!/bin/bash
# tests/cli/foureyes.sh with its queue on PostgreSQL: four-eyes review,
# blind show, resolve, the rollup counting final outcomes once and the
# agreement cells, through the CLI.
SIGNOFF_TEST_BACKEND=pg exec bash "$(dirname "$0")/../cli/foureyes.sh"
