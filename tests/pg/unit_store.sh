#!/bin/bash
# The store's unit tests (tests/unit/test_store.c: enqueue, claim and
# leases, decide and replay, the chain, undo, the rollup, workflows, list
# paging and filters) through struct queue_ops on PostgreSQL, a database
# per test; an operation the store still refuses is skipped, named.
. "$(dirname "$0")/../lib.sh"
pg_unit test_store
