/*
 * protocol: protocol v1 (docs/protocol.md) as data: the JSON bodies of
 * requests and replies to and from the model structs, the error object,
 * and the mapping between statuses and HTTP codes. Shared by the server
 * and the HTTP client so both speak exactly the same shapes. Parses only
 * through json_parse_strict and typed getters (DESIGN.md 7b). Never does
 * I/O, never prints.
 */
#ifndef SIGNOFF_PROTOCOL_H
#define SIGNOFF_PROTOCOL_H

#include <cJSON.h>

#include "signoff/queue.h"

#define PROTO_VERSION "v1"

/* Parse a request or reply body (strict: depth, duplicates, UTF-8,
 * trailing garbage). The root must be an object. */
enum so_status proto_parse(const char *text, size_t len, cJSON **out,
                           struct so_error *err);
/* Compact JSON text of j (caller frees), always valid JSON a strict peer
 * accepts: a stored string that is not valid UTF-8 (the store keeps bytes
 * as they came) goes out with \ufffd in place of each bad sequence, and
 * hidden characters as \u escapes (json_print_escaped). */
char *proto_print(const cJSON *j);

/* HTTP status for an error status (SO_ERR_LEASE -> 409 ...). */
int proto_http_status(enum so_status s);
/* {"error":{"code":"lease_lost","message":"..."}} as text (caller frees). */
char *proto_error_body(enum so_status code, const char *message);
/* Fill err from a non-2xx reply: the error object if the body holds one,
 * else a status derived from the HTTP code. Returns err->code. */
enum so_status proto_error_from_reply(int http_status, const char *body,
                                      size_t len, struct so_error *err);

/* Replace every byte outside printable ASCII in s with '?': messages a
 * server sends are untrusted and end up on a terminal. */
void proto_sanitize(char *s);

/*
 * The members each request body of protocol v1 takes (NULL-terminated),
 * one list per route: the server refuses any other member with 400 naming
 * it (json_only_keys), before any change; what the client sends is always
 * inside them. proto_keys_none: a route that needs no body (an empty body
 * or {}). The JSON Lines body of POST /v1/drafts is not one of these: a
 * draft's own unknown members are ignored (signoff-queue(5)).
 */
extern const char *const proto_keys_claim[];        /* POST /v1/claim */
extern const char *const proto_keys_renew[];        /* .../renew */
extern const char *const proto_keys_release[];      /* .../release */
extern const char *const proto_keys_reassign[];     /* .../reassign */
extern const char *const proto_keys_decision[];     /* .../decision */
extern const char *const proto_keys_applied[];      /* .../applied */
extern const char *const proto_keys_undo[];         /* POST /v1/undo */
extern const char *const proto_keys_workflow_set[]; /* POST /v1/workflows/W */
extern const char *const proto_keys_reason[];       /* its reasons[] items */
extern const char *const proto_keys_hook_add[];     /* POST /v1/hooks */
extern const char *const proto_keys_hook_replay[];  /* .../replay */
extern const char *const proto_keys_none[];

/* Drafts with their queue state (status, lease, claim). */
cJSON *proto_draft_to_json(const struct so_draft *d);
enum so_status proto_draft_from_json(const cJSON *j, struct so_draft **out,
                                     struct so_error *err);

/* POST /v1/claim. Strings in *r point into j. */
cJSON *proto_claim_req_to_json(const struct so_claim_req *r);
enum so_status proto_claim_req_from_json(const cJSON *j,
                                         struct so_claim_req *r,
                                         struct so_error *err);

#define PROTO_MAX_REQUEST_ID 64 /* bytes of a request_id */

/* The required "request_id" of a decision, undo or action record body:
 * 1..64 bytes of a valid name (names.h: no control, bidi or invisible
 * character), else SO_ERR_INVALID naming the field (a long one is invalid,
 * not too large). *out points into j. */
enum so_status proto_request_id_from_json(const cJSON *j, const char **out,
                                          struct so_error *err);

/* POST /v1/drafts/{id}/decision. The draft id travels in the path, so it
 * is not in the body; strings in *r point into j (and draft_id). */
cJSON *proto_decide_req_to_json(const struct so_decide_req *r);
enum so_status proto_decide_req_from_json(const cJSON *j, const char *draft_id,
                                          struct so_decide_req *r,
                                          struct so_error *err);
/* The optional "claim_next" object of a decision body into *out (strings
 * point into j); *present 1 when it was there. */
enum so_status proto_claim_next_from_json(const cJSON *j,
                                         struct so_claim_req *out,
                                         int *present, struct so_error *err);
/* A result with next.filled carries "next"; from_json fills r->next (with
 * an owned draft: so_decide_result_clear) when the reply has it. */
cJSON *proto_decide_result_to_json(const struct so_decide_result *r);
enum so_status proto_decide_result_from_json(const cJSON *j,
                                             struct so_decide_result *r,
                                             struct so_error *err);

/* POST /v1/drafts/{id}/applied {request_id, ref, note?}; the reply is a
 * decide result (seq, hash, replayed). Strings in *r point into j. */
cJSON *proto_applied_req_to_json(const struct so_applied_req *r);
enum so_status proto_applied_req_from_json(const cJSON *j, const char *draft_id,
                                           struct so_applied_req *r,
                                           struct so_error *err);

/* GET /v1/drafts: {"drafts":[rows...],"next":cursor|null}. */
cJSON *proto_page_to_json(const struct so_draft_page *p);
enum so_status proto_page_from_json(const cJSON *j, struct so_draft_page *out,
                                    struct so_error *err);

/* GET /v1/drafts/{id}/decisions: one recorded decision. */
cJSON *proto_decision_to_json(const struct so_decision *d);
enum so_status proto_decision_from_json(const cJSON *j, struct so_decision *d,
                                        struct so_error *err);

/* GET /v1/events: one event is its record (as proto_decision_to_json)
 * plus workflow, ref (action records), outcome ({action, text, reason,
 * note} or null), retracted and revokes (outcome.h); a page is
 * {"events":[...],"next_after":SEQ}. */
cJSON *proto_event_to_json(const struct so_event *e);
cJSON *proto_event_page_to_json(const struct so_event_page *p);
enum so_status proto_event_page_from_json(const cJSON *j,
                                          struct so_event_page *out,
                                          struct so_error *err);

/* Workflows. to_json writes every field; from_json sets in *mask the
 * SO_WF_* bits of the settable fields present (a POST changes only
 * those). */
cJSON *proto_workflow_to_json(const struct so_workflow *w);
enum so_status proto_workflow_from_json(const cJSON *j, struct so_workflow *w,
                                        unsigned *mask, struct so_error *err);
/* The body of POST /v1/workflows/{name} changing only the fields in mask
 * (with SO_WF_SWITCH, "automation" and its "reason" too: one change). */
cJSON *proto_workflow_set_to_json(const struct so_workflow *w, unsigned mask);

/* GET /v1/stats: the rollup cells and reject reasons. */
cJSON *proto_rollup_to_json(const struct so_rollup *r);
enum so_status proto_rollup_from_json(const cJSON *j, struct so_rollup *out,
                                      struct so_error *err);

/* Webhooks (docs/protocol.md, /v1/hooks). A hook's JSON never holds its
 * secret: the secret travels once, in the body of POST /v1/hooks
 * (proto_hook_add_to_json, read back by proto_hook_add_from_json, whose
 * strings are owned and whose secret the caller cleanses). from_json reads
 * a hook as a reply shows it (secret NULL). */
cJSON *proto_hook_to_json(const struct so_hook *h);
enum so_status proto_hook_from_json(const cJSON *j, struct so_hook *out,
                                    struct so_error *err);
cJSON *proto_hook_add_to_json(const struct so_hook *h);
enum so_status proto_hook_add_from_json(const cJSON *j, struct so_hook *out,
                                        struct so_error *err);
/* POST /v1/hooks/{id}/test: {"hook","delivered","status","ms","error"}. */
cJSON *proto_hook_ping_to_json(int64_t id, const struct so_hook_ping *p);
enum so_status proto_hook_ping_from_json(const cJSON *j,
                                         struct so_hook_ping *out,
                                         struct so_error *err);
/* GET /v1/hooks/{id}/log: {"attempts":[...]}, newest first. */
cJSON *proto_attempts_to_json(const struct so_hook_attempt *v, size_t n);
enum so_status proto_attempts_from_json(const cJSON *j,
                                        struct so_hook_attempt **out,
                                        size_t *n, struct so_error *err);

/* POST /v1/drafts: one result per JSON line. */
cJSON *proto_enq_result_to_json(const struct so_enq_result *r);
enum so_status proto_enq_result_from_json(const cJSON *j,
                                          struct so_enq_result *r,
                                          struct so_error *err);

#endif
