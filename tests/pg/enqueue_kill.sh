#!/bin/bash
# tests/crash/enqueue_kill.sh on PostgreSQL: an enqueuer SIGKILLed inside
# its batches leaves whole batches only, every draft with its citations
# (6 rounds, 3 under ASan).
rounds=6
[ "${SIGNOFF_MODE:-plain}" = asan ] && rounds=3
SIGNOFF_TEST_BACKEND=pg ENQ_KILL_ROUNDS=${ENQ_KILL_ROUNDS:-$rounds} exec bash "$(dirname "$0")/../crash/enqueue_kill.sh"
