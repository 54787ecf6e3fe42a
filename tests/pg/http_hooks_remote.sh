#!/bin/bash
# tests/http/hooks_remote.sh with its queue on PostgreSQL
# (SIGNOFF_TEST_BACKEND=pg): the /v1/hooks routes and signoff hook --queue
# URL on a server whose store is a database; no secret in any reply or log.
SIGNOFF_TEST_BACKEND=pg exec bash "$(dirname "$0")/../http/hooks_remote.sh"
