#!/bin/bash
# tests/e2e/gold.sh with its queue on PostgreSQL (SIGNOFF_TEST_BACKEND=pg:
# tests/e2e/ui.inc's newq makes a database per queue): gold drafts look
# like any other in the UI; the supervisor's monitor shows the gold line.
SIGNOFF_TEST_BACKEND=pg exec bash "$(dirname "$0")/../e2e/gold.sh"
