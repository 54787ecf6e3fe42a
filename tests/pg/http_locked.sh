#!/bin/bash
# tests/http/locked.sh with its queue on PostgreSQL (SIGNOFF_TEST_BACKEND=pg:
# another session holds the tables a write takes; reads and /healthz are
# answered at once, a write gets 503 with Retry-After after its 1 s).
SIGNOFF_TEST_BACKEND=pg exec bash "$(dirname "$0")/../http/locked.sh"
