#!/bin/bash
# tests/http/client.sh with its queue on PostgreSQL (SIGNOFF_TEST_BACKEND=pg:
# tests/http/serve.inc makes a database of the script's own).
SIGNOFF_TEST_BACKEND=pg exec bash "$(dirname "$0")/../http/client.sh"
