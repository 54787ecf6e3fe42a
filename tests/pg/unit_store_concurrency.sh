#!/bin/bash
# The store's concurrency unit tests (tests/unit/test_store_concurrency.c:
# processes claiming and deciding one queue at once) on PostgreSQL.
. "$(dirname "$0")/../lib.sh"
pg_unit test_store_concurrency
