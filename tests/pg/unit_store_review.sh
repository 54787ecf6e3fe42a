#!/bin/bash
# The four-eyes unit tests (tests/unit/test_store_review.c) through struct
# queue_ops on PostgreSQL, a database per test; skipped by name while the
# store still refuses four-eyes review.
. "$(dirname "$0")/../lib.sh"
pg_unit test_store_review
