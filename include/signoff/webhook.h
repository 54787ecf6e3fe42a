/*
 * webhook: the rules of webhook delivery, written once above every backend
 * and every sender: Standard Webhooks signing (webhook-id derived from the
 * event and stable across retries, webhook-timestamp, webhook-signature
 * "v1,<base64 HMAC-SHA256 of id.timestamp.body>" with a whsec_ base64
 * secret), the message body, which events a hook is sent, and what an
 * attempt's result makes of a delivery: delivered, retried later with
 * exponential backoff and jitter, dead after the retry window, and the
 * hook disabled after N failures in a row. Pure functions (OpenSSL for the
 * HMAC and base64): no I/O, never prints, never logs a secret.
 */
#ifndef SIGNOFF_WEBHOOK_H
#define SIGNOFF_WEBHOOK_H

#include <stddef.h>
#include <stdint.h>

#include "signoff/queue.h"

#define WEBHOOK_KEY_MAX 64        /* bytes of a decoded secret */
#define WEBHOOK_KEY_MIN 24
#define WEBHOOK_TIMEOUT_MS 10000  /* a 2xx within this is delivered */
#define WEBHOOK_REPLY_CAP 65536   /* bytes of a reply read, then cut */
#define WEBHOOK_RETRY_FOR_MS (24LL * 3600 * 1000) /* default retry window */
#define WEBHOOK_MAX_FAILURES 20   /* default failures in a row: disabled */
#define WEBHOOK_LEASE_MS 30000    /* a claimed delivery is one sender's */
#define WEBHOOK_BACKOFF_MS 5000   /* the first retry's wait */
#define WEBHOOK_LOG_KEEP 1000     /* attempts kept per hook for hook log: a
                                     new one drops the oldest past it */

#define WEBHOOK_SECRET_BYTES 32   /* random bytes of a secret made here */
#define WEBHOOK_SECRET_TEXT 64    /* room for its whsec_ text and a NUL */
#define WEBHOOK_URL_MAX 2048      /* bytes of a hook's URL */
#define WEBHOOK_RETRY_MAX_MS (30LL * 24 * 3600 * 1000) /* longest window */

/* Decode a "whsec_<base64>" secret into key (WEBHOOK_KEY_MIN..MAX bytes).
 * -1 when it is not one (the message never quotes the secret). */
int webhook_secret_decode(const char *text, unsigned char *key, size_t *len);

/* A new secret: "whsec_" and the base64 of WEBHOOK_SECRET_BYTES from
 * RAND_bytes. SO_ERR when the random source fails. The caller shows it
 * once and cleanses out. */
enum so_status webhook_secret_new(char out[WEBHOOK_SECRET_TEXT],
                                  struct so_error *err);

/* 1 when url is http:// or https://, shorter than WEBHOOK_URL_MAX, with no
 * space or control character. */
int webhook_url_valid(const char *url);

/*
 * The one check of a hook to add, for every entry (the CLI, the server's
 * POST /v1/hooks): its workflow a name (names.h), its URL valid, its
 * secret a whsec_ secret, its events a known setting, max_failures 0 or
 * more, retry_for_ms from 1 s to WEBHOOK_RETRY_MAX_MS. SO_ERR_INVALID
 * naming the field; a message never quotes the secret.
 */
enum so_status webhook_hook_check(const struct so_hook *h,
                                  struct so_error *err);

/* "msg_<seq>_<first 16 hex of the record's hash>": the same for every
 * attempt of one event, whichever hook sends it. out: 64 bytes. */
void webhook_msg_id(int64_t seq, const char *hash, char out[64]);

/* The webhook-signature value "v1,<base64>" over "id.timestamp.body".
 * out: 96 bytes. */
void webhook_sign(const unsigned char *key, size_t keylen, const char *msg_id,
                  int64_t timestamp_s, const char *body, size_t len,
                  char out[96]);

/* The message type of an event: signoff.outcome, signoff.revoke,
 * signoff.applied or signoff.record. */
const char *webhook_type(const struct so_event *e);

/* Which events a hook is sent: "outcome" (final outcomes, and reverts
 * that revoke one: what a producer acts on) or "all" (every record).
 * 1 when e goes to a hook with that setting. */
int webhook_wants(const char *events, const struct so_event *e);
/* 1 when events is a setting webhook_wants knows. */
int webhook_events_valid(const char *events);

/* What one attempt made of a delivery. */
enum webhook_next { WEBHOOK_DELIVERED, WEBHOOK_RETRY, WEBHOOK_DEAD };

struct webhook_verdict {
    enum webhook_next next;
    int64_t next_at;   /* WEBHOOK_RETRY: when to try again (ms) */
    int disable_hook;  /* this failure reached the hook's limit */
};

/*
 * The verdict on an attempt: status is the HTTP status (0: no reply).
 * attempts counts the attempts so far including this one; first_at is when
 * the delivery was due first; fail_streak the hook's failures in a row
 * before this one. Backoff: base_ms (WEBHOOK_BACKOFF_MS) doubled per
 * attempt, at most an hour, 50 to 100% of it (rnd in [0,1)); past
 * retry_for_ms after first_at: dead.
 */
void webhook_judge(int status, int attempts, int64_t first_at, int64_t now,
                   int64_t retry_for_ms, int fail_streak, int max_failures,
                   int64_t base_ms, double rnd, struct webhook_verdict *out);

#endif
