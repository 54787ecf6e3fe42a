/*
 * deliver: the webhook deliverer, shared by `signoff deliver` (a daemon
 * for a local queue) and `signoff serve` (a thread beside the server).
 * Claims due deliveries from the queue (a lease each, so several
 * deliverers on one queue never send the same attempt at once), sends
 * them (remote/webhook_send.h), judges the result (webhook.h) and records
 * it; between deliveries it waits on the feed, which wakes on a commit.
 */
#ifndef SIGNOFF_CLI_DELIVER_H
#define SIGNOFF_CLI_DELIVER_H

#include "signoff/queue.h"

/* Deliver what is due now, at most max; the number handled (sent or
 * skipped), or -1 with err set. */
int deliver_due(struct queue *q, int max, struct so_error *err);

/* How long an attempt may take: WEBHOOK_TIMEOUT_MS, or less with
 * $SIGNOFF_WEBHOOK_TIMEOUT_MS (tests). */
int64_t deliver_timeout_ms(void);

/* A signed ping of h (type signoff.test, id msg_test_MS) sent now,
 * whatever the hook's state: SO_OK when an attempt was made (its result in
 * *out, a failure included). The server's POST /v1/hooks/{id}/test calls
 * it through server_opts.hook_ping. */
enum so_status deliver_ping(const struct so_hook *h, struct so_hook_ping *out,
                            struct so_error *err);

struct deliverer;

/* A thread delivering for the queue file at path until deliver_stop. */
enum so_status deliver_start(const char *path, struct deliverer **out,
                             struct so_error *err);
/* Stop the thread (an attempt in flight finishes first) and free. */
void deliver_stop(struct deliverer *d);

#endif
