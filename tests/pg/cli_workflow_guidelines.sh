#!/bin/bash
# tests/cli/workflow_guidelines.sh with its queue on PostgreSQL (SIGNOFF_TEST_BACKEND=pg):
# set, show and clear a workflow's guidelines, locally and through a server.
SIGNOFF_TEST_BACKEND=pg exec bash "$(dirname "$0")/../cli/workflow_guidelines.sh"
