#!/bin/bash
# tests/http/gold.sh with its queue on PostgreSQL (SIGNOFF_TEST_BACKEND=pg:
# tests/http/serve.inc makes a database for it): the server's store mixes
# gold in, replies say nothing of it, the undo takes an answer back.
SIGNOFF_TEST_BACKEND=pg exec bash "$(dirname "$0")/../http/gold.sh"
