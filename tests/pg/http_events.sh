#!/bin/bash
# tests/http/events.sh with its queue on PostgreSQL (SIGNOFF_TEST_BACKEND=pg:
# tests/http/serve.inc makes a database for it); a part the store does not
# have yet (four-eyes, stats) is skipped loudly by pg_refused.
SIGNOFF_TEST_BACKEND=pg exec bash "$(dirname "$0")/../http/events.sh"
