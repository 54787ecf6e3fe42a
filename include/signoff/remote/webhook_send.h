/*
 * webhook_send: one webhook attempt over libcurl (loaded lazily, see
 * dl_curl.h): a POST of a Standard Webhooks message with its three
 * headers, TLS verified, http and https only, no redirects, a total
 * timeout (a 2xx within it is delivered), a capped reply, and a refusal to
 * connect to a private, loopback or link-local address unless the hook
 * allows it (checked on the address actually connected to, so a name that
 * resolves to one is refused too). Never prints; never sends or logs the
 * secret (only the signature it made).
 */
#ifndef SIGNOFF_REMOTE_WEBHOOK_SEND_H
#define SIGNOFF_REMOTE_WEBHOOK_SEND_H

#include <stdint.h>

#include "signoff/queue.h"

/* What one attempt got. */
struct webhook_reply {
    int status;      /* HTTP status; 0 when none came */
    int64_t ms;      /* how long it took */
    char error[160]; /* why it failed ("" on a 2xx) */
};

/* The message body for event e: {"type","timestamp","data":event} (the
 * event as GET /v1/events gives it). Caller frees. */
char *webhook_message(const struct so_event *e, int64_t now_ms);

/* Sign and POST body to h's URL as message msg_id, now. SO_OK when an
 * attempt was made (its result in *out, a failure included); an error
 * status only when it could not be made at all (libcurl missing, a bad
 * secret). */
enum so_status webhook_post(const struct so_hook *h, const char *msg_id,
                            const char *body, int64_t timeout_ms,
                            struct webhook_reply *out, struct so_error *err);

/* SO_OK when a hook may be added for url: its host (read by libcurl's URL
 * parser) is a name, or an IP address literal on the public internet, or
 * allow_private is set. A literal loopback, private, link-local,
 * unspecified or multicast address (the ranges webhook_post refuses to
 * connect to) without allow_private is SO_ERR_INVALID naming the URL and
 * option (how the caller spells the allowance: "--allow-private",
 * "allow_private"): every delivery to it would be refused. A name is
 * checked when an attempt connects, as it may resolve anywhere. */
enum so_status webhook_url_check_private(const char *url, int allow_private,
                                         const char *option,
                                         struct so_error *err);

#endif
