/*
 * store_pg_tokens: the tokens table of the PostgreSQL store (queue ops
 * behind store_pg_ops), as on SQLite: rows in, rows out, by id or by
 * hash; only hashes are stored; each create, revoke and rotate is an admin
 * record in its transaction. Whether a token may be used is token.h's.
 * Internal to store/pg; never prints.
 */
#ifndef SIGNOFF_STORE_PG_TOKENS_H
#define SIGNOFF_STORE_PG_TOKENS_H

#include "signoff/queue.h"

enum so_status pg_token_add(struct queue *q, const struct so_token *t,
                            struct so_error *err);
/* Every token, oldest first. */
enum so_status pg_token_list(struct queue *q, struct so_token **out,
                             size_t *n, struct so_error *err);
/* By id, or (id NULL) whose current or previous hash is hash;
 * SO_ERR_NOTFOUND when none. */
enum so_status pg_token_find(struct queue *q, const char *id,
                             const char *hash, struct so_token *out,
                             struct so_error *err);
enum so_status pg_token_revoke(struct queue *q, const char *id, int64_t at,
                               struct so_error *err);
enum so_status pg_token_rotate(struct queue *q, const char *id,
                               const char *hash, int64_t prev_until,
                               struct so_error *err);
/* Note a use: one autocommit UPDATE that changes nothing unless the use
 * is news (a minute later, or another address), so servers racing on one
 * token do not queue on its row. */
enum so_status pg_token_used(struct queue *q, const char *id, int64_t at,
                             const char *addr, struct so_error *err);

#endif
