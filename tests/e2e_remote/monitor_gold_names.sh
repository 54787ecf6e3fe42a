#!/bin/bash
# tests/e2e/monitor_gold_names.sh again, the UI on a real `signoff serve` over
# the same queue file (remote mode of tests/e2e/ui.inc). Plain build only.
SIGNOFF_E2E_REMOTE=1 exec bash "$(dirname "$0")/../e2e/monitor_gold_names.sh"
