/*
 * store_tokens: the tokens table of the SQLite store (queue ops behind
 * store_sqlite_ops): rows in, rows out, by id or by hash. Only hashes are
 * stored. Whether a token may be used, and what it may touch, is decided
 * above (token.h); this file holds SQL alone.
 */
#ifndef SIGNOFF_STORE_TOKENS_H
#define SIGNOFF_STORE_TOKENS_H

#include "signoff/queue.h"

/* queue_ops.token_add: insert t (its id and hash unused so far). */
enum so_status store_token_add(struct queue *q, const struct so_token *t,
                               struct so_error *err);
/* queue_ops.token_list: every token, oldest first. */
enum so_status store_token_list(struct queue *q, struct so_token **out,
                                size_t *n, struct so_error *err);
/* queue_ops.token_find: the token with id, or (id NULL) whose current or
 * previous hash is hash; SO_ERR_NOTFOUND when none. */
enum so_status store_token_find(struct queue *q, const char *id,
                                const char *hash, struct so_token *out,
                                struct so_error *err);
/* queue_ops.token_revoke: set revoked_at of a token not yet revoked. */
enum so_status store_token_revoke(struct queue *q, const char *id, int64_t at,
                                  struct so_error *err);
/* queue_ops.token_rotate: the current hash becomes the previous one (valid
 * until prev_until), hash the current one. */
enum so_status store_token_rotate(struct queue *q, const char *id,
                                  const char *hash, int64_t prev_until,
                                  struct so_error *err);
/* queue_ops.token_used: note a use (time and client address). */
enum so_status store_token_used(struct queue *q, const char *id, int64_t at,
                                const char *addr, struct so_error *err);

#endif
