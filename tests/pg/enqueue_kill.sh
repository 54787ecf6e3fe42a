#!/bin/bash
# tests/crash/enqueue_kill.sh on PostgreSQL: an enqueuer SIGKILLed inside
# its batches leaves whole batches only, every draft with its citations.
SIGNOFF_TEST_BACKEND=pg exec bash "$(dirname "$0")/../crash/enqueue_kill.sh"
