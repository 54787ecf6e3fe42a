#!/bin/bash
# tests/http/events.sh with its queue on PostgreSQL (SIGNOFF_TEST_BACKEND=pg:
# tests/http/serve.inc makes a database for it).
SIGNOFF_TEST_BACKEND=pg exec bash "$(dirname "$0")/../http/events.sh"
