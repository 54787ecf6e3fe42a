#!/bin/bash
# tests/http/tokens.sh with its queue on PostgreSQL (SIGNOFF_TEST_BACKEND=pg:
# tests/http/serve.inc puts $Q in a database of the script's own).
SIGNOFF_TEST_BACKEND=pg exec bash "$(dirname "$0")/../http/tokens.sh"
