/*
 * outbox: the local SQLite file (under $XDG_STATE_HOME/signoff/) where the
 * HTTP client writes each decision before it sends it, so a decision is
 * never lost while the server is away. Entries are keyed by request_id (the
 * server treats a repeated request_id as a replay), grouped by queue URL
 * and owned by an identity (ident: the SHA-256 of the bearer token that
 * made the decision; the token itself is never stored; who: the person
 * the server names for that token, "reviewer<TAB>role", '' when it was
 * never asked), and moved to a "failed" table when the server refuses
 * them for good. Each identity sees, sends and fails only its own rows:
 * its token's, those the same person and role made with another token
 * (a token rotated while decisions waited), and rows from before owners
 * were kept (ident ''); so a sync with one person's token never sends, or
 * fails, another person's decision.
 * Never talks to the network, never prints.
 */
#ifndef SIGNOFF_OUTBOX_H
#define SIGNOFF_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "signoff/util.h"

struct outbox;

/* One waiting decision. Strings owned; free with outbox_entries_free. */
struct outbox_entry {
    char *request_id;
    char *draft_id;
    char *body; /* the decision request as JSON text, sent as is */
    int64_t created_at;
    int attempts;
};

/* Open (creating it and its directory, mode 0700) the outbox at path, or
 * at $XDG_STATE_HOME/signoff/outbox.db when path is NULL. WAL, synchronous
 * FULL: an entry that was put survives power loss. */
enum so_status outbox_open(const char *path, struct outbox **out,
                           struct so_error *err);
void outbox_close(struct outbox *ob);

/* Record a decision for queue url before it is sent, made with the token
 * ident by who (NULL or "": unknown now, so who the server last named
 * ident, outbox_own). Putting the same request_id again is a no-op. */
enum so_status outbox_put(struct outbox *ob, const char *url,
                          const char *ident, const char *who,
                          const char *request_id, const char *draft_id,
                          const char *body, struct so_error *err);
/* The server named the token ident of url as who: remember it, and give
 * the token's rows that had no person that one. */
enum so_status outbox_own(struct outbox *ob, const char *url,
                          const char *ident, const char *who,
                          struct so_error *err);
/* Forget a decision the server confirmed. */
enum so_status outbox_remove(struct outbox *ob, const char *request_id,
                             struct so_error *err);
/* Count one more delivery attempt of request_id. */
enum so_status outbox_touch(struct outbox *ob, const char *request_id,
                            struct so_error *err);
/* Move a decision the server refused for good (lease lost, invalid) to
 * the failed table with the server's code and message. */
enum so_status outbox_fail(struct outbox *ob, const char *request_id,
                           const char *code, const char *message,
                           struct so_error *err);
/* Note that the token ident of url claimed draft_id (held 1), or that the
 * claim ended: released or decided (held 0). What the token holds decides
 * whether a decision may be queued while the server cannot be reached
 * (signoff(1): signoff decide). */
enum so_status outbox_hold(struct outbox *ob, const char *url,
                           const char *ident, const char *draft_id, int held,
                           struct so_error *err);
/* *held: 1 when the token ident of url claimed draft_id and has not
 * released or decided it since, as far as this outbox knows. */
enum so_status outbox_holds(struct outbox *ob, const char *url,
                            const char *ident, const char *draft_id,
                            int *held, struct so_error *err);
/* Decisions of ident (or of who, when not NULL or "") waiting for url. */
enum so_status outbox_count(struct outbox *ob, const char *url,
                            const char *ident, const char *who, int64_t *n,
                            struct so_error *err);
/* Decisions of ident (or who) that failed for url (kept for the reviewer
 * to see). */
enum so_status outbox_failed_count(struct outbox *ob, const char *url,
                                   const char *ident, const char *who,
                                   int64_t *n, struct so_error *err);
/* At most max waiting decisions of ident (or who) for url, oldest first. */
enum so_status outbox_pending(struct outbox *ob, const char *url,
                              const char *ident, const char *who, size_t max,
                              struct outbox_entry **out, size_t *n,
                              struct so_error *err);
void outbox_entries_free(struct outbox_entry *e, size_t n);

#endif
