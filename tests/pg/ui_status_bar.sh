#!/bin/bash
# tests/e2e/ui_status_bar.sh with its queue on PostgreSQL (SIGNOFF_TEST_BACKEND=pg:
# tests/e2e/ui.inc's newq makes a database per queue).
SIGNOFF_TEST_BACKEND=pg exec bash "$(dirname "$0")/../e2e/ui_status_bar.sh"
