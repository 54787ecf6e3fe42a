#!/bin/bash
# tests/cli/audit_verifier.sh with its queue on PostgreSQL
# (SIGNOFF_TEST_BACKEND=pg): the export of a chain with tricky text, every
# action, an undo and four-eyes verifies in docs/examples/verify_export.py
# as it does from a file, and tampering is caught with the same words.
SIGNOFF_TEST_BACKEND=pg exec bash "$(dirname "$0")/../cli/audit_verifier.sh"
