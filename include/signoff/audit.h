/*
 * audit: the hash of one decision record in the audit chain (DESIGN.md
 * section 5). hash = SHA-256(prev_hash || canonical JSON of the record),
 * where the canonical JSON has a fixed field order and carries the SHA-256
 * of the body as shown and of the final body instead of the texts. The store
 * calls it when it appends a record; verify and export call it to recompute.
 * Pure functions: no I/O, no database, never prints.
 */
#ifndef SIGNOFF_AUDIT_H
#define SIGNOFF_AUDIT_H

#include <stddef.h>

#include "signoff/queue.h"

/* prev_hash of the first record of a chain: 64 zeros. */
#define AUDIT_GENESIS                                                          \
    "0000000000000000000000000000000000000000000000000000000000000000"

/* Lower-case hex SHA-256 of len bytes at data into out (64 chars + NUL). */
void audit_sha256_hex(const void *data, size_t len, char out[65]);

/*
 * The canonical JSON text of a decision record, compact, fields in this
 * order: seq, draft, request_id, reviewer, action, kind, reason, note,
 * edit_size, body_sha, final_sha, shown_at, decided_at, active_ms,
 * reverts_seq. NULL or empty strings are JSON null; integers plain
 * decimal; strings as cJSON escapes them, other bytes as stored (the
 * exact rules: docs/audit.md). The texts themselves (final_body) enter only
 * through final_sha. Caller frees.
 */
char *audit_canonical_json(const struct so_decision *d);

/* The record's hash: hex SHA-256 of prev_hash (hex) followed by its
 * canonical JSON, into out (64 chars + NUL). */
void audit_record_hash(const char *prev_hash, const struct so_decision *d,
                       char out[65]);

#endif
