/*
 * token: the rules of the queue's API tokens (signoff token, signoff
 * serve), above every backend: making a secret and its id, hashing it,
 * judging a presented secret against a stored token (revoked, expired,
 * rotated out), its workflow scope, and the strength rule for the tokens of
 * a --tokens file. A backend stores and finds rows; it decides nothing
 * here. Never prints; never keeps a secret after the call that made it.
 */
#ifndef SIGNOFF_TOKEN_H
#define SIGNOFF_TOKEN_H

#include <stdint.h>

#include "signoff/util.h"

#define SO_TOKEN_PREFIX "so_"
/* "so_" and 64 hex digits: 256 bits from RAND_bytes. */
#define SO_TOKEN_SECRET_LEN (3 + 64)
/* "tk_" and 12 hex digits: safe to show and log. */
#define SO_TOKEN_ID_LEN (3 + 12)
#define SO_TOKEN_OVERLAP_MS (10 * 60 * 1000LL) /* rotate: the old secret */
#define SO_TOKEN_MAX_SCOPE 32                  /* workflows of one token */
/* A --tokens file token: at least this long and this many bits by the
 * estimate of so_token_strength. */
#define SO_TOKEN_MIN_LEN 16
#define SO_TOKEN_MIN_BITS 64

/* One token as stored. Strings owned (so_token_clear). */
struct so_token {
    char *id;          /* "tk_..." */
    char *hash;        /* SHA-256 hex of the secret */
    char *prev_hash;   /* the secret before the last rotation, or NULL */
    int64_t prev_until; /* prev_hash is valid until then (ms) */
    char *reviewer;
    char *role;        /* reviewer | supervisor | producer */
    char *scope;       /* workflows, comma-separated; NULL: every one */
    char *note;
    char *created_by;
    int64_t created_at;
    int64_t expires_at; /* 0: never */
    int64_t revoked_at; /* 0: not revoked */
    int64_t last_used_at;
    char *last_addr;
};

void so_token_clear(struct so_token *t);

/* A new secret (SO_TOKEN_SECRET_LEN chars and a NUL) and a new id
 * (SO_TOKEN_ID_LEN and a NUL) from RAND_bytes; SO_ERR when the random
 * generator fails. */
enum so_status so_token_make(char secret[SO_TOKEN_SECRET_LEN + 1],
                             char id[SO_TOKEN_ID_LEN + 1],
                             struct so_error *err);

/* The stored form of a secret: SHA-256 as 64 lower-case hex digits. */
void so_token_hash(const char *secret, char out[65]);

/* Does secret look like one of ours (prefix and length)? */
int so_token_is_ours(const char *secret);

/* Whether t may be used with a secret whose hash is hash at now: SO_OK, or
 * SO_ERR_AUTH with why (never the secret): revoked, expired, or an old
 * secret whose overlap after a rotation is over. */
enum so_status so_token_judge(const struct so_token *t, const char *hash,
                              int64_t now, struct so_error *err);

/* Does t's scope allow workflow (NULL: a request that spans every
 * workflow, allowed only to an unscoped token)? */
int so_token_scope_allows(const char *scope, const char *workflow);

/* The scope text of n workflow names (each checked as a name, no comma),
 * or NULL for n == 0; SO_ERR_INVALID naming the bad one. */
enum so_status so_token_scope_make(const char *const *wf, size_t n,
                                   char **out, struct so_error *err);

/* "active", "revoked" or "expired" at now. */
const char *so_token_state(const struct so_token *t, int64_t now);

/* One token as a JSON object (cJSON, caller deletes): id, reviewer, role,
 * scope, note, created_by, created, expires, last_used (ISO 8601 UTC or
 * null), last_addr, revoked, state. Never its hash. */
struct cJSON *so_token_json(const struct so_token *t, int64_t now);

/* Is role a token role (reviewer, supervisor, producer)? */
int so_token_role_ok(const char *role);

/*
 * The strength rule for a token someone chose (a --tokens file): at least
 * SO_TOKEN_MIN_LEN bytes, and an estimate of at least SO_TOKEN_MIN_BITS
 * bits (length times the Shannon entropy of its characters, with at least
 * 8 distinct characters), so `aaaaaaaaaaaaaaaa` or `abababab...` is
 * refused. SO_ERR_INVALID with why (never quoting the token).
 */
enum so_status so_token_strength(const char *token, struct so_error *err);

#endif
