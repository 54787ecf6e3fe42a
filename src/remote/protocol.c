/*
 * protocol: JSON shapes of protocol v1 (see protocol.h, docs/protocol.md).
 * Builders write every field the peer needs; parsers check the type and
 * size of every field with the json module's getters and never trust
 * cJSON's valueint. No I/O, no printing.
 */
#include "signoff/remote/protocol.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signoff/automate.h"
#include "signoff/gold.h"
#include "signoff/draft_json.h"
#include "signoff/json.h"
#include "signoff/names.h"
#include "signoff/webhook.h"

#define PROTO_MAX_HASH 64
#define PROTO_MAX_ROWS 100000

/* Keep an optional string field: SO_EMPTY (absent) is fine. */
static int bad(enum so_status s)
{
    return s != SO_OK && s != SO_EMPTY;
}

enum so_status proto_parse(const char *text, size_t len, cJSON **out,
                           struct so_error *err)
{
    cJSON *j = NULL;
    enum so_status s = json_parse_strict(text, len, SO_MAX_DEPTH, &j, err);
    if (s != SO_OK)
        return s;
    if (!cJSON_IsObject(j)) {
        cJSON_Delete(j);
        return so_fail(err, SO_ERR_INVALID, "json: expected an object");
    }
    *out = j;
    return SO_OK;
}

char *proto_print(const cJSON *j)
{
    return json_print_escaped(j, 0);
}

int proto_http_status(enum so_status s)
{
    switch (s) {
    case SO_OK:
        return 200;
    case SO_ERR_USAGE:
    case SO_ERR_INVALID:
        return 400;
    case SO_ERR_AUTH:
        return 401;
    case SO_ERR_FORBIDDEN:
        return 403;
    case SO_ERR_NOTFOUND:
        return 404;
    case SO_ERR_CONFLICT:
    case SO_ERR_LEASE:
    case SO_ERR_PAUSED:
        return 409;
    case SO_ERR_TOOLARGE:
        return 413;
    case SO_ERR_BUSY:
    case SO_ERR_NETWORK:
        return 503;
    default:
        return 500;
    }
}

char *proto_error_body(enum so_status code, const char *message)
{
    return json_error_text(code, message);
}

void proto_sanitize(char *s)
{
    for (unsigned char *p = (unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p >= 0x7f)
            *p = '?';
}

/* The status a bare HTTP code stands for when the body says nothing. */
static enum so_status status_of_http(int http)
{
    switch (http) {
    case 400:
        return SO_ERR_INVALID;
    case 401:
        return SO_ERR_AUTH;
    case 403:
        return SO_ERR_FORBIDDEN;
    case 404:
        return SO_ERR_NOTFOUND;
    case 409:
        return SO_ERR_CONFLICT;
    case 413:
        return SO_ERR_TOOLARGE;
    case 408:
    case 429:
    case 502:
    case 503:
    case 504:
        return SO_ERR_NETWORK;
    default:
        return http >= 500 ? SO_ERR_NETWORK : SO_ERR_PROTOCOL;
    }
}

enum so_status proto_error_from_reply(int http_status, const char *body,
                                      size_t len, struct so_error *err)
{
    enum so_status code = status_of_http(http_status);
    cJSON *j = NULL;
    struct so_error perr;
    const cJSON *e = NULL;
    const char *c = NULL, *m = NULL;
    if (len && proto_parse(body, len, &j, &perr) == SO_OK &&
        json_get_object(j, "", "error", JSON_REQUIRED, &e, &perr) == SO_OK &&
        json_get_string(e, "error", "code", JSON_REQUIRED, 64, &c, &perr) ==
            SO_OK &&
        json_get_string(e, "error", "message", JSON_REQUIRED, 4096, &m,
                        &perr) == SO_OK) {
        enum so_status named = so_status_from_name(c);
        if (named != SO_OK && named != SO_EMPTY)
            code = named;
        so_fail(err, code, "%s", m);
        proto_sanitize(err->msg);
    } else {
        so_fail(err, code, "server answered HTTP %d", http_status);
    }
    cJSON_Delete(j);
    return code;
}

cJSON *proto_draft_to_json(const struct so_draft *d)
{
    return draft_to_cjson(d, 1);
}

enum so_status proto_draft_from_json(const cJSON *j, struct so_draft **out,
                                     struct so_error *err)
{
    return draft_from_cjson(j, out, err);
}

const char *const proto_keys_claim[] = {"workflow", "draft_id", "lease_s",
                                        NULL};
const char *const proto_keys_renew[] = {"lease_token", "lease_s", NULL};
const char *const proto_keys_release[] = {"lease_token", NULL};
const char *const proto_keys_reassign[] = {"to", "lease_s", NULL};
const char *const proto_keys_decision[] = {
    "request_id", "action",    "reason",      "note",       "final_body",
    "shown_at",   "active_ms", "lease_token", "claim_next", NULL};
const char *const proto_keys_applied[] = {"request_id", "ref", "note", NULL};
const char *const proto_keys_undo[] = {"request_id", NULL};
const char *const proto_keys_workflow_set[] = {
    "owner",         "threshold",       "window_ms",        "min_decisions",
    "auto_pause",    "reviews",         "reveal",           "resolver",
    "min_seen_ms",   "confirm_flagged", "release_after_ms", "applied_within_ms",
    "guidelines",    "reasons",         "automate",         "automate_from",
    "sample_pct",    "force",           "policy_reason",    "always_review",
    "gold_pct",      "gold_bar",        "currency",         "hourly_rate",
    "sla_ms",        "sla_alert",       "automation",       "reason",
    NULL};
const char *const proto_keys_reason[] = {"code", "label", NULL};
const char *const proto_keys_hook_add[] = {
    "workflow",     "url",          "secret",        "events",
    "max_failures", "retry_for_ms", "allow_private", NULL};
const char *const proto_keys_hook_replay[] = {"from", NULL};
const char *const proto_keys_none[] = {NULL};

cJSON *proto_claim_req_to_json(const struct so_claim_req *r)
{
    cJSON *j = json_new_object();
    if (r->workflow)
        json_add_string(j, "workflow", r->workflow);
    if (r->draft_id)
        json_add_string(j, "draft_id", r->draft_id);
    if (r->lease_ms > 0)
        json_add_int(j, "lease_s", (r->lease_ms + 999) / 1000);
    return j;
}

enum so_status proto_claim_req_from_json(const cJSON *j,
                                         struct so_claim_req *r,
                                         struct so_error *err)
{
    memset(r, 0, sizeof *r);
    int64_t lease_s = 0;
    enum so_status s;
    if (bad(s = json_get_string(j, "", "workflow", JSON_OPTIONAL, SO_MAX_ID,
                                &r->workflow, err)) ||
        bad(s = json_get_string(j, "", "draft_id", JSON_OPTIONAL, SO_MAX_ID,
                                &r->draft_id, err)) ||
        bad(s = json_get_int(j, "", "lease_s", JSON_OPTIONAL, 1, 86400,
                             &lease_s, err)))
        return s;
    r->lease_ms = lease_s * 1000;
    return SO_OK;
}

cJSON *proto_decide_req_to_json(const struct so_decide_req *r)
{
    cJSON *j = json_new_object();
    json_add_string(j, "request_id", r->request_id);
    json_add_string(j, "action", so_action_name(r->action));
    if (r->reason)
        json_add_string(j, "reason", r->reason);
    if (r->note)
        json_add_string(j, "note", r->note);
    if (r->final_body)
        json_add_string(j, "final_body", r->final_body);
    json_add_int(j, "shown_at", r->shown_at);
    json_add_int(j, "active_ms", r->active_ms);
    if (r->lease_token)
        json_add_int(j, "lease_token", r->lease_token);
    if (r->claim_next)
        json_add_item(j, "claim_next", proto_claim_req_to_json(r->claim_next));
    return j;
}

static enum so_status decide_action(const cJSON *j, enum so_action *out,
                                    struct so_error *err)
{
    const char *a = NULL;
    enum so_status s =
        json_get_string(j, "", "action", JSON_REQUIRED, 16, &a, err);
    if (s != SO_OK)
        return s;
    int v = so_action_from_name(a);
    if (v < 0 || v == SO_ACT_REVERT)
        return so_fail(err, SO_ERR_INVALID,
                       "action: expected approve, edit, reject or escalate");
    *out = (enum so_action)v;
    return SO_OK;
}

enum so_status proto_request_id_from_json(const cJSON *j, const char **out,
                                          struct so_error *err)
{
    enum so_status s = json_get_string(j, "", "request_id", JSON_REQUIRED,
                                       SIZE_MAX, out, err);
    if (s != SO_OK)
        return s;
    if (!**out)
        return so_fail(err, SO_ERR_INVALID, "request_id: must not be empty");
    if (strlen(*out) > PROTO_MAX_REQUEST_ID)
        return so_fail(err, SO_ERR_INVALID,
                       "request_id: longer than %d bytes",
                       PROTO_MAX_REQUEST_ID);
    return names_check("request_id", *out, err);
}

enum so_status proto_decide_req_from_json(const cJSON *j, const char *draft_id,
                                          struct so_decide_req *r,
                                          struct so_error *err)
{
    memset(r, 0, sizeof *r);
    r->draft_id = draft_id;
    enum so_status s;
    if (bad(s = proto_request_id_from_json(j, &r->request_id, err)) ||
        bad(s = decide_action(j, &r->action, err)) ||
        bad(s = json_get_string(j, "", "reason", JSON_OPTIONAL, SO_MAX_FIELD,
                                &r->reason, err)) ||
        bad(s = json_get_string(j, "", "note", JSON_OPTIONAL, SO_MAX_FIELD,
                                &r->note, err)) ||
        bad(s = json_get_string(j, "", "final_body", JSON_OPTIONAL,
                                SO_MAX_BODY, &r->final_body, err)) ||
        bad(s = json_get_int(j, "", "shown_at", JSON_OPTIONAL, 0,
                             JSON_MAX_SAFE_INT, &r->shown_at, err)) ||
        bad(s = json_get_int(j, "", "active_ms", JSON_OPTIONAL, 0,
                             JSON_MAX_SAFE_INT, &r->active_ms, err)) ||
        bad(s = json_get_int(j, "", "lease_token", JSON_OPTIONAL, 0,
                             JSON_MAX_SAFE_INT, &r->lease_token, err)))
        return s;
    if (r->action == SO_ACT_EDIT && !r->final_body)
        return so_fail(err, SO_ERR_INVALID, "final_body: required for edit");
    return SO_OK;
}

enum so_status proto_claim_next_from_json(const cJSON *j,
                                         struct so_claim_req *out,
                                         int *present, struct so_error *err)
{
    const cJSON *o = NULL;
    *present = 0;
    memset(out, 0, sizeof *out);
    enum so_status s =
        json_get_object(j, "", "claim_next", JSON_OPTIONAL, &o, err);
    if (s != SO_OK)
        return s == SO_EMPTY ? SO_OK : s;
    const char *id = NULL;
    int64_t lease_s = 0;
    if (bad(s = json_only_keys(o, "claim_next", proto_keys_claim, err)) ||
        bad(s = json_get_string(o, "claim_next", "workflow", JSON_OPTIONAL,
                                SO_MAX_ID, &out->workflow, err)) ||
        bad(s = json_get_string(o, "claim_next", "draft_id", JSON_OPTIONAL,
                                SO_MAX_ID, &id, err)) ||
        bad(s = json_get_int(o, "claim_next", "lease_s", JSON_OPTIONAL, 1,
                             86400, &lease_s, err)))
        return s;
    /* The next draft is whichever the queue gives: naming one is a claim
     * of its own (POST /v1/claim). */
    if (id)
        return so_fail(err, SO_ERR_INVALID,
                       "claim_next.draft_id: not allowed (claim_next takes "
                       "the next draft of a workflow)");
    out->lease_ms = lease_s * 1000;
    *present = 1;
    return SO_OK;
}

static cJSON *decide_next_to_json(const struct so_decide_next *n)
{
    cJSON *j = json_new_object();
    json_add_string(j, "status", so_status_name(n->status));
    if (n->status == SO_OK && n->draft)
        json_add_item(j, "draft", proto_draft_to_json(n->draft));
    else if (n->status != SO_EMPTY)
        json_add_string(j, "message", n->error);
    if (n->pending >= 0)
        json_add_int(j, "pending", n->pending);
    if (n->waiting >= 0)
        json_add_int(j, "waiting", n->waiting);
    if (n->my_today >= 0)
        json_add_int(j, "decided_today", n->my_today);
    return j;
}

/* The "next" member of a decision reply (the answer to claim_next). */
static enum so_status decide_next_from_json(const cJSON *j,
                                            struct so_decide_next *n,
                                            struct so_error *err)
{
    const cJSON *o = NULL, *d = NULL;
    const char *status = NULL, *msg = NULL;
    enum so_status s = json_get_object(j, "", "next", JSON_OPTIONAL, &o, err);
    if (s != SO_OK)
        return s == SO_EMPTY ? SO_OK : s;
    n->pending = n->waiting = n->my_today = -1;
    if (bad(s = json_get_string(o, "next", "status", JSON_REQUIRED, 32,
                                &status, err)) ||
        bad(s = json_get_string(o, "next", "message", JSON_OPTIONAL,
                                sizeof n->error - 1, &msg, err)) ||
        bad(s = json_get_int(o, "next", "pending", JSON_OPTIONAL, 0,
                             JSON_MAX_SAFE_INT, &n->pending, err)) ||
        bad(s = json_get_int(o, "next", "waiting", JSON_OPTIONAL, 0,
                             JSON_MAX_SAFE_INT, &n->waiting, err)) ||
        bad(s = json_get_int(o, "next", "decided_today", JSON_OPTIONAL, 0,
                             JSON_MAX_SAFE_INT, &n->my_today, err)) ||
        bad(s = json_get_object(o, "next", "draft", JSON_OPTIONAL, &d, err)))
        return s;
    n->status = so_status_from_name(status);
    if (n->status == SO_OK && !d)
        return so_fail(err, SO_ERR_PROTOCOL, "next.draft: missing");
    if (n->status == SO_OK && (s = proto_draft_from_json(d, &n->draft, err)))
        return s;
    if (msg) {
        snprintf(n->error, sizeof n->error, "%s", msg);
        proto_sanitize(n->error);
    }
    n->filled = 1;
    return SO_OK;
}

cJSON *proto_applied_req_to_json(const struct so_applied_req *r)
{
    cJSON *j = json_new_object();
    json_add_string(j, "request_id", r->request_id);
    json_add_string(j, "ref", r->ref);
    if (r->note)
        json_add_string(j, "note", r->note);
    return j;
}

enum so_status proto_applied_req_from_json(const cJSON *j, const char *draft_id,
                                           struct so_applied_req *r,
                                           struct so_error *err)
{
    memset(r, 0, sizeof *r);
    r->draft_id = draft_id;
    enum so_status s;
    if (bad(s = proto_request_id_from_json(j, &r->request_id, err)) ||
        bad(s = json_get_string(j, "", "ref", JSON_REQUIRED, SO_MAX_FIELD,
                                &r->ref, err)) ||
        bad(s = json_get_string(j, "", "note", JSON_OPTIONAL, SO_MAX_FIELD,
                                &r->note, err)))
        return s;
    return SO_OK;
}

cJSON *proto_decide_result_to_json(const struct so_decide_result *r)
{
    cJSON *j = json_new_object();
    json_add_int(j, "seq", r->seq);
    json_add_string(j, "hash", r->hash);
    json_add_bool(j, "replayed", r->replayed);
    json_add_string(j, "action", so_action_name(r->action));
    json_add_int(j, "decided_at", r->decided_at);
    json_add_string(j, "draft_status", r->draft_status);
    json_add_int(j, "review_agreed", r->review_agreed);
    json_add_int(j, "reviews_done", r->reviews_done);
    json_add_int(j, "reviews_needed", r->reviews_needed);
    json_add_bool(j, "resolution", r->resolution);
    if (r->next.filled)
        json_add_item(j, "next", decide_next_to_json(&r->next));
    return j;
}

/* Copy an optional string field into a fixed buffer of size cap. */
static enum so_status copy_field(const cJSON *j, const char *key, char *dst,
                                 size_t cap, struct so_error *err)
{
    const char *v = NULL;
    enum so_status s =
        json_get_string(j, "", key, JSON_OPTIONAL, cap - 1, &v, err);
    if (s == SO_OK)
        memcpy(dst, v, strlen(v) + 1);
    return s;
}

enum so_status proto_decide_result_from_json(const cJSON *j,
                                             struct so_decide_result *r,
                                             struct so_error *err)
{
    memset(r, 0, sizeof *r);
    int64_t agreed = -1, done = 0, needed = 0;
    const char *a = NULL;
    enum so_status s;
    if (bad(s = json_get_int(j, "", "seq", JSON_REQUIRED, 0,
                             JSON_MAX_SAFE_INT, &r->seq, err)) ||
        bad(s = copy_field(j, "hash", r->hash, sizeof r->hash, err)) ||
        bad(s = json_get_bool(j, "", "replayed", JSON_OPTIONAL, &r->replayed,
                              err)) ||
        bad(s = json_get_string(j, "", "action", JSON_REQUIRED, 16, &a,
                                err)) ||
        bad(s = json_get_int(j, "", "decided_at", JSON_OPTIONAL, 0,
                             JSON_MAX_SAFE_INT, &r->decided_at, err)) ||
        bad(s = copy_field(j, "draft_status", r->draft_status,
                           sizeof r->draft_status, err)) ||
        bad(s = json_get_int(j, "", "review_agreed", JSON_OPTIONAL, -1, 1,
                             &agreed, err)) ||
        bad(s = json_get_int(j, "", "reviews_done", JSON_OPTIONAL, 0,
                             SO_MAX_REVIEWS, &done, err)) ||
        bad(s = json_get_int(j, "", "reviews_needed", JSON_OPTIONAL, 0,
                             SO_MAX_REVIEWS, &needed, err)) ||
        bad(s = json_get_bool(j, "", "resolution", JSON_OPTIONAL,
                              &r->resolution, err)))
        return s;
    int act = so_action_from_name(a);
    if (act < 0)
        return so_fail(err, SO_ERR_PROTOCOL, "action: unknown action");
    r->action = (enum so_action)act;
    r->review_agreed = (int)agreed;
    r->reviews_done = (int)done;
    r->reviews_needed = (int)needed;
    return decide_next_from_json(j, &r->next, err);
}

static cJSON *row_to_json(const struct so_draft_row *r)
{
    cJSON *j = json_new_object();
    json_add_string(j, "id", r->id);
    json_add_string(j, "workflow", r->workflow);
    if (r->model)
        json_add_string(j, "model", r->model);
    if (r->confidence >= 0)
        json_add_double(j, "confidence", r->confidence);
    if (r->title)
        json_add_string(j, "title", r->title);
    json_add_int(j, "priority", r->priority);
    json_add_int(j, "created_at", r->created_at);
    json_add_string(j, "status", so_dstatus_name(r->status));
    if (r->claimed_by)
        json_add_string(j, "claimed_by", r->claimed_by);
    json_add_int(j, "lease_until", r->lease_until);
    json_add_bool(j, "grounding_flag", (r->flags & SO_ROW_GROUNDING) != 0);
    json_add_bool(j, "escalated", (r->flags & SO_ROW_ESCALATED) != 0);
    if (r->flags & (SO_ROW_SLA_NEAR | SO_ROW_SLA_PAST))
        json_add_string(j, "sla", r->flags & SO_ROW_SLA_PAST ? "past" : "near");
    if (r->reviews_needed > 1) { /* four-eyes rows only: v1 stays as it was */
        json_add_int(j, "reviews_needed", r->reviews_needed);
        json_add_int(j, "reviews_done", r->reviews_done);
    }
    return j;
}

cJSON *proto_page_to_json(const struct so_draft_page *p)
{
    cJSON *j = json_new_object();
    cJSON *rows = json_new_array();
    for (size_t i = 0; i < p->n; i++)
        cJSON_AddItemToArray(rows, row_to_json(&p->rows[i]));
    json_add_item(j, "drafts", rows);
    json_add_string(j, "next", p->next_cursor);
    return j;
}

/* Duplicate an optional string field (NULL when absent). */
static enum so_status dup_field(const cJSON *j, const char *path,
                                const char *key, int flags, size_t max,
                                char **out, struct so_error *err)
{
    const char *v = NULL;
    enum so_status s = json_get_string(j, path, key, flags, max, &v, err);
    if (s == SO_OK)
        *out = xstrdup(v);
    return s;
}

static enum so_status row_status(const cJSON *j, const char *path,
                                 enum so_dstatus *out, struct so_error *err)
{
    const char *v = NULL;
    enum so_status s = json_get_string(j, path, "status", JSON_REQUIRED, 16,
                                       &v, err);
    if (s != SO_OK)
        return s;
    int st = so_dstatus_from_name(v);
    if (st < 0)
        return so_fail(err, SO_ERR_PROTOCOL, "%s.status: unknown", path);
    *out = (enum so_dstatus)st;
    return SO_OK;
}

static enum so_status row_from_json(const cJSON *j, const char *path,
                                    struct so_draft_row *r,
                                    struct so_error *err)
{
    int64_t prio = 0, needed = 1, done = 0;
    int g = 0, e = 0;
    const char *sla = NULL;
    enum so_status s;
    r->confidence = -1;
    if (bad(s = dup_field(j, path, "id", JSON_REQUIRED, SO_MAX_ID, &r->id,
                          err)) ||
        bad(s = dup_field(j, path, "workflow", JSON_REQUIRED, SO_MAX_ID,
                          &r->workflow, err)) ||
        bad(s = dup_field(j, path, "model", JSON_OPTIONAL, SO_MAX_ID,
                          &r->model, err)) ||
        bad(s = json_get_double(j, path, "confidence", JSON_OPTIONAL, 0, 1,
                                &r->confidence, err)) ||
        bad(s = dup_field(j, path, "title", JSON_OPTIONAL, SO_MAX_FIELD,
                          &r->title, err)) ||
        bad(s = json_get_int(j, path, "priority", JSON_OPTIONAL, INT32_MIN,
                             INT32_MAX, &prio, err)) ||
        bad(s = json_get_int(j, path, "created_at", JSON_OPTIONAL, 0,
                             JSON_MAX_SAFE_INT, &r->created_at, err)) ||
        bad(s = row_status(j, path, &r->status, err)) ||
        bad(s = dup_field(j, path, "claimed_by", JSON_OPTIONAL, SO_MAX_ID,
                          &r->claimed_by, err)) ||
        bad(s = json_get_int(j, path, "lease_until", JSON_OPTIONAL, 0,
                             JSON_MAX_SAFE_INT, &r->lease_until, err)) ||
        bad(s = json_get_bool(j, path, "grounding_flag", JSON_OPTIONAL, &g,
                              err)) ||
        bad(s = json_get_bool(j, path, "escalated", JSON_OPTIONAL, &e, err)) ||
        bad(s = json_get_string(j, path, "sla", JSON_OPTIONAL, 8, &sla,
                                err)) ||
        bad(s = json_get_int(j, path, "reviews_needed", JSON_OPTIONAL, 1,
                             SO_MAX_REVIEWS, &needed, err)) ||
        bad(s = json_get_int(j, path, "reviews_done", JSON_OPTIONAL, 0,
                             SO_MAX_REVIEWS, &done, err)))
        return s;
    r->reviews_needed = (int)needed;
    r->reviews_done = (int)done;
    r->priority = (int)prio;
    r->flags = (g ? SO_ROW_GROUNDING : 0) | (e ? SO_ROW_ESCALATED : 0);
    if (sla && strcmp(sla, "past") == 0)
        r->flags |= SO_ROW_SLA_PAST;
    else if (sla && strcmp(sla, "near") == 0)
        r->flags |= SO_ROW_SLA_NEAR;
    else if (sla)
        return so_fail(err, SO_ERR_PROTOCOL, "%s.sla: expected near or past",
                       path);
    return SO_OK;
}

enum so_status proto_page_from_json(const cJSON *j, struct so_draft_page *out,
                                    struct so_error *err)
{
    memset(out, 0, sizeof *out);
    const cJSON *rows = NULL;
    enum so_status s = json_get_array(j, "", "drafts", JSON_REQUIRED,
                                      PROTO_MAX_ROWS, &rows, err);
    if (s != SO_OK)
        return s;
    size_t n = (size_t)cJSON_GetArraySize(rows);
    out->rows = xcalloc(n ? n : 1, sizeof *out->rows);
    const cJSON *it;
    cJSON_ArrayForEach(it, rows) {
        char path[32];
        snprintf(path, sizeof path, "drafts[%zu]", out->n);
        if (!cJSON_IsObject(it))
            s = so_fail(err, SO_ERR_PROTOCOL, "%s: expected an object", path);
        else
            s = row_from_json(it, path, &out->rows[out->n], err);
        out->n++;
        if (s != SO_OK)
            break;
    }
    if (s == SO_OK)
        s = dup_field(j, "", "next", JSON_OPTIONAL, 1024, &out->next_cursor,
                      err);
    if (bad(s)) {
        so_draft_page_free(out);
        return s;
    }
    return SO_OK;
}

cJSON *proto_decision_to_json(const struct so_decision *d)
{
    cJSON *j = json_new_object();
    json_add_int(j, "seq", d->seq);
    json_add_string(j, "draft_id", d->draft_id);
    json_add_string(j, "request_id", d->request_id);
    json_add_string(j, "reviewer", d->reviewer);
    json_add_string(j, "action", so_action_name(d->action));
    json_add_string(j, "reason", d->reason);
    json_add_string(j, "note", d->note);
    json_add_string(j, "final_body", d->final_body);
    json_add_int(j, "edit_size", d->edit_size);
    json_add_int(j, "shown_at", d->shown_at);
    json_add_int(j, "decided_at", d->decided_at);
    json_add_int(j, "active_ms", d->active_ms);
    json_add_int(j, "reverts_seq", d->reverts_seq);
    json_add_string(j, "kind", d->kind);
    if (d->undone_by)
        json_add_int(j, "undone_by", d->undone_by);
    json_add_string(j, "body_sha", d->body_sha);
    json_add_string(j, "final_sha", d->final_sha);
    json_add_string(j, "prev_hash", d->prev_hash);
    json_add_string(j, "hash", d->hash);
    return j;
}

cJSON *proto_event_to_json(const struct so_event *e)
{
    cJSON *j = proto_decision_to_json(&e->rec);
    json_add_string(j, "workflow", e->workflow);
    if (e->rec.action == SO_ACT_APPLIED)
        json_add_string(j, "ref", e->rec.reason);
    if (e->outcome) {
        cJSON *o = json_new_object();
        json_add_string(o, "action", so_action_name(e->rec.action));
        json_add_string(o, "text", e->text);
        json_add_string(o, "reason", e->rec.reason);
        json_add_string(o, "note", e->rec.note);
        json_add_item(j, "outcome", o);
    } else {
        cJSON_AddNullToObject(j, "outcome");
    }
    json_add_bool(j, "retracted", e->retracted);
    json_add_int(j, "revokes", e->revokes);
    return j;
}

cJSON *proto_event_page_to_json(const struct so_event_page *p)
{
    cJSON *j = json_new_object();
    cJSON *a = json_new_array();
    for (size_t i = 0; i < p->n; i++)
        cJSON_AddItemToArray(a, proto_event_to_json(&p->v[i]));
    json_add_item(j, "events", a);
    json_add_int(j, "next_after", p->next_after);
    return j;
}

/* One event of GET /v1/events (proto_event_to_json). */
static enum so_status event_from_json(const cJSON *j, struct so_event *e,
                                      struct so_error *err)
{
    memset(e, 0, sizeof *e);
    const cJSON *o = NULL;
    enum so_status s = proto_decision_from_json(j, &e->rec, err);
    if (s != SO_OK)
        return s;
    if (bad(s = dup_field(j, "", "workflow", JSON_OPTIONAL, SO_MAX_ID,
                          &e->workflow, err)) ||
        bad(s = json_get_bool(j, "", "retracted", JSON_OPTIONAL,
                              &e->retracted, err)) ||
        bad(s = json_get_int(j, "", "revokes", JSON_OPTIONAL, 0,
                             JSON_MAX_SAFE_INT, &e->revokes, err)))
        goto fail;
    const cJSON *oj = cJSON_GetObjectItemCaseSensitive(j, "outcome");
    if (oj && !cJSON_IsNull(oj)) {
        if (bad(s = json_get_object(j, "", "outcome", JSON_REQUIRED, &o,
                                    err)) ||
            bad(s = dup_field(o, "outcome", "text", JSON_OPTIONAL,
                              SO_MAX_BODY, &e->text, err)))
            goto fail;
        e->outcome = 1;
    }
    return SO_OK;
fail:
    so_event_clear(e);
    return s;
}

enum so_status proto_event_page_from_json(const cJSON *j,
                                          struct so_event_page *out,
                                          struct so_error *err)
{
    const cJSON *a = NULL, *it;
    memset(out, 0, sizeof *out);
    enum so_status s;
    if (bad(s = json_get_array(j, "", "events", JSON_REQUIRED, 1000, &a,
                               err)) ||
        bad(s = json_get_int(j, "", "next_after", JSON_REQUIRED, 0,
                             JSON_MAX_SAFE_INT, &out->next_after, err)))
        return s;
    out->v = xcalloc((size_t)cJSON_GetArraySize(a) + 1, sizeof *out->v);
    cJSON_ArrayForEach(it, a) {
        if ((s = event_from_json(it, &out->v[out->n], err)) != SO_OK) {
            so_event_page_free(out);
            return s;
        }
        out->n++;
    }
    return SO_OK;
}

static enum so_status decision_hashes(const cJSON *j, struct so_decision *d,
                                      struct so_error *err)
{
    enum so_status s;
    if (bad(s = copy_field(j, "body_sha", d->body_sha, sizeof d->body_sha,
                           err)) ||
        bad(s = copy_field(j, "final_sha", d->final_sha, sizeof d->final_sha,
                           err)) ||
        bad(s = copy_field(j, "prev_hash", d->prev_hash, sizeof d->prev_hash,
                           err)) ||
        bad(s = copy_field(j, "hash", d->hash, sizeof d->hash, err)))
        return s;
    return SO_OK;
}

enum so_status proto_decision_from_json(const cJSON *j, struct so_decision *d,
                                        struct so_error *err)
{
    memset(d, 0, sizeof *d);
    const char *a = NULL;
    enum so_status s;
    if (bad(s = json_get_int(j, "", "seq", JSON_REQUIRED, 0,
                             JSON_MAX_SAFE_INT, &d->seq, err)) ||
        bad(s = dup_field(j, "", "draft_id", JSON_REQUIRED, SO_MAX_ID,
                          &d->draft_id, err)) ||
        bad(s = dup_field(j, "", "request_id", JSON_OPTIONAL, 64,
                          &d->request_id, err)) ||
        bad(s = dup_field(j, "", "reviewer", JSON_OPTIONAL, SO_MAX_ID,
                          &d->reviewer, err)) ||
        bad(s = json_get_string(j, "", "action", JSON_REQUIRED, 16, &a,
                                err)) ||
        bad(s = dup_field(j, "", "reason", JSON_OPTIONAL, SO_MAX_FIELD,
                          &d->reason, err)) ||
        bad(s = dup_field(j, "", "note", JSON_OPTIONAL, SO_MAX_FIELD,
                          &d->note, err)) ||
        bad(s = dup_field(j, "", "final_body", JSON_OPTIONAL, SO_MAX_BODY,
                          &d->final_body, err)) ||
        bad(s = json_get_int(j, "", "edit_size", JSON_OPTIONAL, 0,
                             JSON_MAX_SAFE_INT, &d->edit_size, err)) ||
        bad(s = json_get_int(j, "", "shown_at", JSON_OPTIONAL, 0,
                             JSON_MAX_SAFE_INT, &d->shown_at, err)) ||
        bad(s = json_get_int(j, "", "decided_at", JSON_OPTIONAL, 0,
                             JSON_MAX_SAFE_INT, &d->decided_at, err)) ||
        bad(s = json_get_int(j, "", "active_ms", JSON_OPTIONAL, 0,
                             JSON_MAX_SAFE_INT, &d->active_ms, err)) ||
        bad(s = json_get_int(j, "", "reverts_seq", JSON_OPTIONAL, 0,
                             JSON_MAX_SAFE_INT, &d->reverts_seq, err)) ||
        bad(s = dup_field(j, "", "kind", JSON_OPTIONAL, 16, &d->kind, err)) ||
        bad(s = json_get_int(j, "", "undone_by", JSON_OPTIONAL, 0,
                             JSON_MAX_SAFE_INT, &d->undone_by, err)) ||
        bad(s = decision_hashes(j, d, err)))
        goto fail;
    int act = so_action_from_name(a);
    if (act < 0) {
        s = so_fail(err, SO_ERR_PROTOCOL, "action: unknown action");
        goto fail;
    }
    d->action = (enum so_action)act;
    return SO_OK;
fail:
    so_decision_clear(d);
    return s;
}

/* [{"code","label"}...] of w's reason codes. */
static cJSON *wf_reasons_to_json(const struct so_workflow *w)
{
    cJSON *a = json_new_array();
    for (size_t i = 0; i < w->nreasons; i++) {
        cJSON *o = json_new_object();
        json_add_string(o, "code", w->reasons[i].code);
        json_add_string(o, "label", w->reasons[i].label);
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

/* "reasons" of a workflow reply or change, when present: each item a
 * code and a label checked by so_reason_check; *found says whether the
 * member was there. */
static enum so_status wf_reasons_from_json(const cJSON *j,
                                           struct so_workflow *w, int *found,
                                           struct so_error *err)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(j, "reasons");
    *found = a != NULL;
    if (!a)
        return SO_OK;
    if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) > SO_MAX_REASONS)
        return so_fail(err, SO_ERR_INVALID,
                       "reasons: expected an array of at most %d",
                       SO_MAX_REASONS);
    size_t n = (size_t)cJSON_GetArraySize(a), i = 0;
    w->reasons = xcalloc(n ? n : 1, sizeof *w->reasons);
    const cJSON *it;
    cJSON_ArrayForEach(it, a)
    {
        char path[32];
        snprintf(path, sizeof path, "reasons[%zu]", i);
        struct so_reason *r = &w->reasons[i++];
        w->nreasons = i;
        enum so_status s;
        if (bad(s = dup_field(it, path, "code", JSON_REQUIRED,
                              SO_MAX_REASON_CODE, &r->code, err)) ||
            bad(s = dup_field(it, path, "label", JSON_REQUIRED, SO_MAX_ID,
                              &r->label, err)))
            return s;
        struct so_error why;
        if (so_reason_check(r->code, r->label, &why) != SO_OK)
            return so_fail(err, SO_ERR_INVALID, "%s: %s", path, why.msg);
    }
    return SO_OK;
}

cJSON *proto_workflow_to_json(const struct so_workflow *w)
{
    cJSON *j = json_new_object();
    json_add_string(j, "name", w->name);
    json_add_string(j, "owner", w->owner);
    json_add_double(j, "threshold", w->threshold);
    json_add_int(j, "window_ms", w->window_ms);
    json_add_int(j, "min_decisions", w->min_decisions);
    json_add_string(j, "automation", w->automation_paused ? "paused" : "on");
    json_add_string(j, "automation_reason", w->automation_reason);
    json_add_string(j, "automation_by", w->automation_by);
    json_add_int(j, "automation_at", w->automation_at);
    json_add_bool(j, "auto_pause", w->auto_pause);
    json_add_int(j, "reviews", w->reviews);
    json_add_string(j, "reveal", w->reveal);
    json_add_string(j, "resolver", w->resolver);
    json_add_int(j, "min_seen_ms", w->min_seen_ms);
    json_add_bool(j, "confirm_flagged", w->confirm_flagged);
    json_add_int(j, "release_after_ms", w->release_after_ms);
    json_add_int(j, "applied_within_ms", w->applied_within_ms);
    json_add_int(j, "pending", w->pending);
    json_add_int(j, "unapplied", w->unapplied);
    json_add_bool(j, "records_actions", w->records_actions);
    json_add_int(j, "hooks_disabled", w->hooks_disabled);
    json_add_string(j, "guidelines", w->guidelines);
    json_add_item(j, "reasons", wf_reasons_to_json(w));
    json_add_bool(j, "reasons_own", w->reasons_own);
    json_add_bool(j, "automate", w->automate);
    if (w->automate) {
        json_add_double(j, "automate_from", w->automate_from);
        json_add_double(j, "sample_pct", w->sample_pct);
    }
    json_add_string(j, "always_review", w->always_review);
    json_add_int(j, "auto_decided", w->auto_decided);
    json_add_int(j, "sampled_decided", w->sampled_decided);
    json_add_int(j, "sampled_overrides", w->sampled_overrides);
    json_add_double(j, "gold_pct", w->gold_pct);
    json_add_double(j, "gold_bar", w->gold_bar);
    json_add_int(j, "gold_pool", w->gold_pool);
    json_add_int(j, "gold_released", w->gold_released);
    if (w->automate) {
        cJSON *near = json_new_array();
        for (int k = 0; k < 2; k++) {
            cJSON *o = json_new_object();
            json_add_double(o, "from",
                            automate_near_from(w->automate_from, k));
            json_add_int(o, "decided", w->near_decided[k]);
            json_add_int(o, "overrides", w->near_overrides[k]);
            cJSON_AddItemToArray(near, o);
        }
        json_add_item(j, "readiness_near", near);
    }
    json_add_string(j, "currency", w->currency[0] ? w->currency
                                                  : SO_DEFAULT_CURRENCY);
    json_add_double(j, "hourly_rate", w->hourly_rate);
    json_add_int(j, "sla_ms", w->sla_ms);
    json_add_double(j, "sla_alert", w->sla_alert);
    json_add_int(j, "oldest_pending_at", w->oldest_pending_at);
    json_add_int(j, "sla_open_past", w->sla_open_past);
    return j;
}

cJSON *proto_workflow_set_to_json(const struct so_workflow *w, unsigned mask)
{
    cJSON *j = json_new_object();
    if (mask & SO_WF_OWNER)
        json_add_string(j, "owner", w->owner);
    if (mask & SO_WF_THRESHOLD)
        json_add_double(j, "threshold", w->threshold);
    if (mask & SO_WF_WINDOW)
        json_add_int(j, "window_ms", w->window_ms);
    if (mask & SO_WF_MIN)
        json_add_int(j, "min_decisions", w->min_decisions);
    if (mask & SO_WF_AUTOPAUSE)
        json_add_bool(j, "auto_pause", w->auto_pause);
    if (mask & SO_WF_REVIEWS)
        json_add_int(j, "reviews", w->reviews);
    if (mask & SO_WF_REVEAL)
        json_add_string(j, "reveal", w->reveal);
    if (mask & SO_WF_RESOLVER)
        json_add_string(j, "resolver", w->resolver);
    if (mask & SO_WF_MIN_SEEN)
        json_add_int(j, "min_seen_ms", w->min_seen_ms);
    if (mask & SO_WF_CONFIRM_FLAGGED)
        json_add_bool(j, "confirm_flagged", w->confirm_flagged);
    if (mask & SO_WF_RELEASE)
        json_add_int(j, "release_after_ms", w->release_after_ms);
    if (mask & SO_WF_APPLIED_WITHIN)
        json_add_int(j, "applied_within_ms", w->applied_within_ms);
    if (mask & SO_WF_GUIDELINES) /* "" clears them */
        json_add_string(j, "guidelines", w->guidelines ? w->guidelines : "");
    if (mask & SO_WF_REASONS) /* []: back to the default set */
        json_add_item(j, "reasons", wf_reasons_to_json(w));
    if (mask & SO_WF_AUTOMATE) {
        json_add_bool(j, "automate", w->automate);
        json_add_double(j, "automate_from", w->automate_from);
        json_add_double(j, "sample_pct", w->sample_pct);
        json_add_bool(j, "force", w->force);
        json_add_string(j, "policy_reason", w->policy_reason);
    }
    if (mask & SO_WF_GOLD)
        json_add_double(j, "gold_pct", w->gold_pct);
    if (mask & SO_WF_GOLD_BAR)
        json_add_double(j, "gold_bar", w->gold_bar);
    if (mask & SO_WF_ALWAYS_REVIEW) /* "" clears them */
        json_add_string(j, "always_review",
                        w->always_review ? w->always_review : "");
    if (mask & SO_WF_CURRENCY)
        json_add_string(j, "currency", w->currency);
    if (mask & SO_WF_RATE)
        json_add_double(j, "hourly_rate", w->hourly_rate);
    if (mask & SO_WF_SLA)
        json_add_int(j, "sla_ms", w->sla_ms);
    if (mask & SO_WF_SLA_ALERT)
        json_add_double(j, "sla_alert", w->sla_alert);
    if (mask & SO_WF_SWITCH) { /* the server applies both in one */
        json_add_string(j, "automation", w->automation_paused ? "paused"
                                                              : "on");
        json_add_string(j, "reason", w->automation_reason);
    } else if ((mask & SO_WF_OWNER) && w->owner_reason) {
        json_add_string(j, "reason", w->owner_reason); /* a takeover's */
    }
    return j;
}

/* Note bit in *mask when the getter found the field. */
static int seen(enum so_status s, unsigned bit, unsigned *mask)
{
    if (s == SO_OK)
        *mask |= bit;
    return bad(s);
}

/* The cost and service-level settings (store_rules checks their ranges). */
static enum so_status workflow_cost_settings(const cJSON *j,
                                             struct so_workflow *w,
                                             unsigned *mask,
                                             struct so_error *err)
{
    const char *cur = NULL;
    enum so_status s;
    if (seen(s = json_get_string(j, "", "currency", JSON_OPTIONAL, 3, &cur,
                                 err),
             SO_WF_CURRENCY, mask) ||
        seen(s = json_get_double(j, "", "hourly_rate", JSON_OPTIONAL, 0,
                                 SO_MAX_HOURLY_RATE, &w->hourly_rate, err),
             SO_WF_RATE, mask) ||
        seen(s = json_get_int(j, "", "sla_ms", JSON_OPTIONAL, 0,
                              JSON_MAX_SAFE_INT, &w->sla_ms, err),
             SO_WF_SLA, mask) ||
        seen(s = json_get_double(j, "", "sla_alert", JSON_OPTIONAL, 0, 1,
                                 &w->sla_alert, err),
             SO_WF_SLA_ALERT, mask))
        return s;
    if (cur)
        snprintf(w->currency, sizeof w->currency, "%s", cur);
    return SO_OK;
}

static enum so_status workflow_settings(const cJSON *j, struct so_workflow *w,
                                        unsigned *mask, struct so_error *err)
{
    int64_t min = 0, reviews = 0;
    enum so_status s = SO_OK;
    if (seen(s = dup_field(j, "", "owner", JSON_OPTIONAL, SO_MAX_ID,
                           &w->owner, err),
             SO_WF_OWNER, mask) ||
        seen(s = json_get_double(j, "", "threshold", JSON_OPTIONAL, 0, 1,
                                 &w->threshold, err),
             SO_WF_THRESHOLD, mask) ||
        seen(s = json_get_int(j, "", "window_ms", JSON_OPTIONAL,
                              SO_MIN_WINDOW_MS, SO_MAX_WINDOW_MS,
                              &w->window_ms, err),
             SO_WF_WINDOW, mask) ||
        seen(s = json_get_int(j, "", "min_decisions", JSON_OPTIONAL, 0,
                              SO_MAX_MIN_DECISIONS, &min, err),
             SO_WF_MIN, mask) ||
        seen(s = json_get_bool(j, "", "auto_pause", JSON_OPTIONAL,
                               &w->auto_pause, err),
             SO_WF_AUTOPAUSE, mask) ||
        seen(s = json_get_int(j, "", "reviews", JSON_OPTIONAL, 1,
                              SO_MAX_REVIEWS, &reviews, err),
             SO_WF_REVIEWS, mask) ||
        seen(s = dup_field(j, "", "reveal", JSON_OPTIONAL, 16, &w->reveal,
                           err),
             SO_WF_REVEAL, mask) ||
        seen(s = dup_field(j, "", "resolver", JSON_OPTIONAL, 16, &w->resolver,
                           err),
             SO_WF_RESOLVER, mask) ||
        seen(s = json_get_int(j, "", "min_seen_ms", JSON_OPTIONAL, 0,
                              SO_MAX_MIN_SEEN_MS, &w->min_seen_ms, err),
             SO_WF_MIN_SEEN, mask) ||
        seen(s = json_get_bool(j, "", "confirm_flagged", JSON_OPTIONAL,
                               &w->confirm_flagged, err),
             SO_WF_CONFIRM_FLAGGED, mask) ||
        seen(s = json_get_int(j, "", "release_after_ms", JSON_OPTIONAL, 0,
                              86400000, &w->release_after_ms, err),
             SO_WF_RELEASE, mask) ||
        seen(s = json_get_int(j, "", "applied_within_ms", JSON_OPTIONAL, 1,
                              SO_MAX_APPLIED_WITHIN_MS, &w->applied_within_ms,
                              err),
             SO_WF_APPLIED_WITHIN, mask) ||
        seen(s = dup_field(j, "", "guidelines", JSON_OPTIONAL,
                           SO_MAX_GUIDELINES, &w->guidelines, err),
             SO_WF_GUIDELINES, mask) ||
        seen(s = json_get_bool(j, "", "automate", JSON_OPTIONAL, &w->automate,
                               err),
             SO_WF_AUTOMATE, mask) ||
        bad(s = json_get_double(j, "", "automate_from", JSON_OPTIONAL, 0, 1,
                                &w->automate_from, err)) ||
        bad(s = json_get_double(j, "", "sample_pct", JSON_OPTIONAL, 0, 100,
                                &w->sample_pct, err)) ||
        bad(s = json_get_bool(j, "", "force", JSON_OPTIONAL, &w->force,
                              err)) ||
        bad(s = dup_field(j, "", "policy_reason", JSON_OPTIONAL, SO_MAX_FIELD,
                          &w->policy_reason, err)) ||
        seen(s = dup_field(j, "", "always_review", JSON_OPTIONAL,
                           SO_MAX_FIELD, &w->always_review, err),
             SO_WF_ALWAYS_REVIEW, mask) ||
        seen(s = json_get_double(j, "", "gold_pct", JSON_OPTIONAL, 0, 50,
                                 &w->gold_pct, err),
             SO_WF_GOLD, mask) ||
        seen(s = json_get_double(j, "", "gold_bar", JSON_OPTIONAL, 0, 1,
                                 &w->gold_bar, err),
             SO_WF_GOLD_BAR, mask))
        return s;
    if ((s = workflow_cost_settings(j, w, mask, err)) != SO_OK)
        return s;
    int found = 0;
    if ((s = wf_reasons_from_json(j, w, &found, err)) != SO_OK)
        return s;
    if (found)
        *mask |= SO_WF_REASONS;
    w->min_decisions = (int)min;
    w->reviews = (int)reviews;
    return SO_OK;
}

static enum so_status workflow_state(const cJSON *j, struct so_workflow *w,
                                     struct so_error *err)
{
    const char *a = NULL;
    enum so_status s;
    if (bad(s = dup_field(j, "", "name", JSON_OPTIONAL, SO_MAX_ID, &w->name,
                          err)) ||
        bad(s = json_get_string(j, "", "automation", JSON_OPTIONAL, 16, &a,
                                err)) ||
        bad(s = dup_field(j, "", "automation_reason", JSON_OPTIONAL,
                          SO_MAX_FIELD, &w->automation_reason, err)) ||
        bad(s = dup_field(j, "", "automation_by", JSON_OPTIONAL, SO_MAX_ID,
                          &w->automation_by, err)) ||
        bad(s = json_get_int(j, "", "automation_at", JSON_OPTIONAL, 0,
                             JSON_MAX_SAFE_INT, &w->automation_at, err)) ||
        bad(s = json_get_int(j, "", "pending", JSON_OPTIONAL, 0,
                             JSON_MAX_SAFE_INT, &w->pending, err)) ||
        bad(s = json_get_int(j, "", "unapplied", JSON_OPTIONAL, 0,
                             JSON_MAX_SAFE_INT, &w->unapplied, err)) ||
        bad(s = json_get_bool(j, "", "records_actions", JSON_OPTIONAL,
                              &w->records_actions, err)) ||
        bad(s = json_get_int(j, "", "auto_decided", JSON_OPTIONAL, 0,
                             JSON_MAX_SAFE_INT, &w->auto_decided, err)) ||
        bad(s = json_get_int(j, "", "sampled_decided", JSON_OPTIONAL, 0,
                             JSON_MAX_SAFE_INT, &w->sampled_decided, err)) ||
        bad(s = json_get_int(j, "", "sampled_overrides", JSON_OPTIONAL, 0,
                             JSON_MAX_SAFE_INT, &w->sampled_overrides, err)) ||
        bad(s = json_get_int(j, "", "gold_pool", JSON_OPTIONAL, 0,
                             JSON_MAX_SAFE_INT, &w->gold_pool, err)) ||
        bad(s = json_get_int(j, "", "gold_released", JSON_OPTIONAL, 0,
                             JSON_MAX_SAFE_INT, &w->gold_released, err)) ||
        bad(s = json_get_bool(j, "", "reasons_own", JSON_OPTIONAL,
                              &w->reasons_own, err)) ||
        bad(s = json_get_int(j, "", "hooks_disabled", JSON_OPTIONAL, 0,
                             JSON_MAX_SAFE_INT, &w->hooks_disabled, err)) ||
        bad(s = json_get_int(j, "", "oldest_pending_at", JSON_OPTIONAL, 0,
                             JSON_MAX_SAFE_INT, &w->oldest_pending_at, err)) ||
        bad(s = json_get_int(j, "", "sla_open_past", JSON_OPTIONAL, 0,
                             JSON_MAX_SAFE_INT, &w->sla_open_past, err)))
        return s;
    if (a && strcmp(a, "paused") != 0 && strcmp(a, "on") != 0)
        return so_fail(err, SO_ERR_INVALID,
                       "automation: expected \"on\" or \"paused\"");
    w->automation_paused = a && strcmp(a, "paused") == 0;
    return SO_OK;
}

/* "readiness_near" of a workflow reply: two {from, decided, overrides}. */
static enum so_status near_from_json(const cJSON *j, struct so_workflow *w,
                                     struct so_error *err)
{
    const cJSON *a;
    enum so_status s = json_get_array(j, "", "readiness_near", JSON_OPTIONAL,
                                      2, &a, err);
    if (s != SO_OK)
        return s == SO_EMPTY ? SO_OK : s;
    int k = 0;
    for (const cJSON *o = a->child; o && s == SO_OK; o = o->next, k++)
        if ((s = json_get_int(o, "readiness_near", "decided", JSON_OPTIONAL, 0,
                              JSON_MAX_SAFE_INT, &w->near_decided[k],
                              err)) == SO_OK ||
            s == SO_EMPTY)
            s = json_get_int(o, "readiness_near", "overrides", JSON_OPTIONAL,
                             0, JSON_MAX_SAFE_INT, &w->near_overrides[k], err);
    return s == SO_EMPTY ? SO_OK : s;
}

enum so_status proto_workflow_from_json(const cJSON *j, struct so_workflow *w,
                                        unsigned *mask, struct so_error *err)
{
    memset(w, 0, sizeof *w);
    /* A server from before these settings: the defaults. */
    w->min_seen_ms = SO_DEFAULT_MIN_SEEN_MS;
    w->confirm_flagged = 1;
    w->gold_bar = GOLD_DEFAULT_BAR;
    *mask = 0;
    enum so_status s = workflow_settings(j, w, mask, err);
    if (s == SO_OK)
        s = workflow_state(j, w, err);
    if (s == SO_OK)
        s = near_from_json(j, w, err);
    if (s != SO_OK)
        so_workflow_clear(w);
    return s;
}

static cJSON *hist_to_json(const int64_t *h)
{
    cJSON *a = json_new_array();
    for (int i = 0; i < SO_HIST_BUCKETS; i++)
        cJSON_AddItemToArray(a, cJSON_CreateNumber((double)h[i]));
    return a;
}

static cJSON *rollup_row_to_json(const struct so_rollup_row *r)
{
    cJSON *j = json_new_object();
    json_add_int(j, "day", r->day);
    json_add_string(j, "workflow", r->workflow);
    json_add_string(j, "model", r->model);
    json_add_string(j, "reviewer", r->reviewer);
    json_add_int(j, "band", r->band);
    json_add_int(j, "approved", r->approved);
    json_add_int(j, "edited", r->edited);
    json_add_int(j, "rejected", r->rejected);
    json_add_int(j, "escalated", r->escalated);
    json_add_int(j, "fast_approvals", r->fast_approvals);
    json_add_int(j, "active_ms_sum", r->active_ms_sum);
    json_add_int(j, "edit_words_sum", r->edit_words_sum);
    json_add_item(j, "time_hist", hist_to_json(r->time_hist));
    json_add_item(j, "edit_hist", hist_to_json(r->edit_hist));
#define PROTO_X_COST(c) json_add_int(j, #c, r->c);
    SO_ROLLUP_COST_LIST(PROTO_X_COST)
#undef PROTO_X_COST
    json_add_item(j, "decision_hist", hist_to_json(r->decision_hist));
    json_add_item(j, "action_hist", hist_to_json(r->action_hist));
    return j;
}

cJSON *proto_rollup_to_json(const struct so_rollup *r)
{
    cJSON *j = json_new_object();
    cJSON *rows = json_new_array();
    for (size_t i = 0; i < r->n; i++)
        cJSON_AddItemToArray(rows, rollup_row_to_json(&r->rows[i]));
    json_add_item(j, "rows", rows);
    cJSON *reasons = json_new_array();
    for (size_t i = 0; i < r->nreasons; i++) {
        cJSON *o = json_new_object();
        json_add_string(o, "workflow", r->reasons[i].workflow);
        json_add_string(o, "reason", r->reasons[i].reason);
        json_add_int(o, "count", r->reasons[i].count);
        cJSON_AddItemToArray(reasons, o);
    }
    json_add_item(j, "reasons", reasons);
    cJSON *gold = json_new_array();
    for (size_t i = 0; i < r->ngolds; i++) {
        cJSON *o = json_new_object();
        json_add_string(o, "workflow", r->golds[i].workflow);
        json_add_string(o, "reviewer", r->golds[i].reviewer);
        json_add_int(o, "decided", r->golds[i].decided);
        json_add_int(o, "correct", r->golds[i].correct);
        cJSON_AddItemToArray(gold, o);
    }
    json_add_item(j, "gold", gold);
    return j;
}

static enum so_status hist_from_json(const cJSON *j, const char *path,
                                     const char *key, int64_t *h,
                                     struct so_error *err)
{
    const cJSON *a = NULL;
    enum so_status s = json_get_array(j, path, key, JSON_REQUIRED,
                                      SO_HIST_BUCKETS, &a, err);
    if (s != SO_OK)
        return s;
    int i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, a) {
        double v = cJSON_GetNumberValue(it);
        if (!cJSON_IsNumber(it) || !(v >= 0 && v <= (double)JSON_MAX_SAFE_INT))
            return so_fail(err, SO_ERR_PROTOCOL, "%s.%s[%d]: bad count", path,
                           key, i);
        h[i++] = (int64_t)v;
    }
    return SO_OK;
}

#define COUNT_FIELD(key, dst)                                                  \
    json_get_int(j, path, key, JSON_OPTIONAL, 0, JSON_MAX_SAFE_INT, dst, err)

static enum so_status rollup_row_from_json(const cJSON *j, const char *path,
                                           struct so_rollup_row *r,
                                           struct so_error *err)
{
    int64_t band = -1;
    enum so_status s;
    if (bad(s = json_get_int(j, path, "day", JSON_REQUIRED, 0,
                             JSON_MAX_SAFE_INT, &r->day, err)) ||
        bad(s = dup_field(j, path, "workflow", JSON_OPTIONAL, SO_MAX_ID,
                          &r->workflow, err)) ||
        bad(s = dup_field(j, path, "model", JSON_OPTIONAL, SO_MAX_ID,
                          &r->model, err)) ||
        bad(s = dup_field(j, path, "reviewer", JSON_OPTIONAL, SO_MAX_ID,
                          &r->reviewer, err)) ||
        bad(s = json_get_int(j, path, "band", JSON_OPTIONAL, -1, 9, &band,
                             err)) ||
        bad(s = COUNT_FIELD("approved", &r->approved)) ||
        bad(s = COUNT_FIELD("edited", &r->edited)) ||
        bad(s = COUNT_FIELD("rejected", &r->rejected)) ||
        bad(s = COUNT_FIELD("escalated", &r->escalated)) ||
        bad(s = COUNT_FIELD("fast_approvals", &r->fast_approvals)) ||
        bad(s = COUNT_FIELD("active_ms_sum", &r->active_ms_sum)) ||
        bad(s = COUNT_FIELD("edit_words_sum", &r->edit_words_sum)) ||
        bad(s = hist_from_json(j, path, "time_hist", r->time_hist, err)) ||
        bad(s = hist_from_json(j, path, "edit_hist", r->edit_hist, err)))
        return s;
#define PROTO_X_COST(c)                                                        \
    if (bad(s = COUNT_FIELD(#c, &r->c)))                                       \
        return s;
    SO_ROLLUP_COST_LIST(PROTO_X_COST)
#undef PROTO_X_COST
    /* absent from a server older than the cost figures: empty */
    if ((cJSON_GetObjectItemCaseSensitive(j, "decision_hist") &&
         bad(s = hist_from_json(j, path, "decision_hist", r->decision_hist,
                                err))) ||
        (cJSON_GetObjectItemCaseSensitive(j, "action_hist") &&
         bad(s = hist_from_json(j, path, "action_hist", r->action_hist, err))))
        return s;
    r->band = (int)band;
    return SO_OK;
}

static enum so_status reasons_from_json(const cJSON *j, struct so_rollup *out,
                                        struct so_error *err)
{
    const cJSON *a = NULL;
    enum so_status s = json_get_array(j, "", "reasons", JSON_OPTIONAL,
                                      PROTO_MAX_ROWS, &a, err);
    if (s != SO_OK)
        return bad(s) ? s : SO_OK;
    out->reasons = xcalloc((size_t)cJSON_GetArraySize(a) + 1,
                           sizeof *out->reasons);
    const cJSON *it;
    cJSON_ArrayForEach(it, a) {
        struct so_reason_count *rc = &out->reasons[out->nreasons++];
        if (bad(s = dup_field(it, "reasons", "workflow", JSON_REQUIRED,
                              SO_MAX_ID, &rc->workflow, err)) ||
            bad(s = dup_field(it, "reasons", "reason", JSON_REQUIRED,
                              SO_MAX_FIELD, &rc->reason, err)) ||
            bad(s = json_get_int(it, "reasons", "count", JSON_REQUIRED, 0,
                                 JSON_MAX_SAFE_INT, &rc->count, err)))
            return s;
    }
    return SO_OK;
}

/* "gold": people's answers on gold drafts per (workflow, reviewer). */
static enum so_status golds_from_json(const cJSON *j, struct so_rollup *out,
                                      struct so_error *err)
{
    const cJSON *a = NULL;
    enum so_status s = json_get_array(j, "", "gold", JSON_OPTIONAL,
                                      PROTO_MAX_ROWS, &a, err);
    if (s != SO_OK)
        return bad(s) ? s : SO_OK;
    out->golds = xcalloc((size_t)cJSON_GetArraySize(a) + 1,
                         sizeof *out->golds);
    const cJSON *it;
    cJSON_ArrayForEach(it, a) {
        struct so_gold_count *g = &out->golds[out->ngolds++];
        if (bad(s = dup_field(it, "gold", "workflow", JSON_REQUIRED,
                              SO_MAX_ID, &g->workflow, err)) ||
            bad(s = dup_field(it, "gold", "reviewer", JSON_REQUIRED,
                              SO_MAX_ID, &g->reviewer, err)) ||
            bad(s = json_get_int(it, "gold", "decided", JSON_REQUIRED, 0,
                                 JSON_MAX_SAFE_INT, &g->decided, err)) ||
            bad(s = json_get_int(it, "gold", "correct", JSON_REQUIRED, 0,
                                 g->decided, &g->correct, err)))
            return s;
    }
    return SO_OK;
}

enum so_status proto_rollup_from_json(const cJSON *j, struct so_rollup *out,
                                      struct so_error *err)
{
    memset(out, 0, sizeof *out);
    const cJSON *rows = NULL;
    enum so_status s = json_get_array(j, "", "rows", JSON_REQUIRED,
                                      PROTO_MAX_ROWS, &rows, err);
    if (s != SO_OK)
        return s;
    out->rows = xcalloc((size_t)cJSON_GetArraySize(rows) + 1,
                        sizeof *out->rows);
    const cJSON *it;
    cJSON_ArrayForEach(it, rows) {
        char path[32];
        snprintf(path, sizeof path, "rows[%zu]", out->n);
        s = cJSON_IsObject(it)
                ? rollup_row_from_json(it, path, &out->rows[out->n], err)
                : so_fail(err, SO_ERR_PROTOCOL, "%s: expected an object",
                          path);
        out->n++;
        if (s != SO_OK)
            break;
    }
    if (s == SO_OK)
        s = reasons_from_json(j, out, err);
    if (s == SO_OK)
        s = golds_from_json(j, out, err);
    if (s != SO_OK)
        so_rollup_free(out);
    return s;
}

static const char *const enq_outcome_names[] = {"added", "same", "replaced",
                                                "failed"};

cJSON *proto_enq_result_to_json(const struct so_enq_result *r)
{
    cJSON *j = json_new_object();
    json_add_string(j, "outcome", enq_outcome_names[r->outcome]);
    if (r->outcome == SO_ENQ_FAILED) {
        cJSON *e = json_new_object();
        json_add_string(e, "code", so_status_name(r->err.code));
        json_add_string(e, "message", r->err.msg);
        json_add_item(j, "error", e);
    }
    return j;
}

enum so_status proto_enq_result_from_json(const cJSON *j,
                                          struct so_enq_result *r,
                                          struct so_error *err)
{
    memset(r, 0, sizeof *r);
    const char *o = NULL;
    enum so_status s =
        json_get_string(j, "", "outcome", JSON_REQUIRED, 16, &o, err);
    if (s != SO_OK)
        return s;
    size_t i = 0;
    while (i < SO_ARRAY_LEN(enq_outcome_names) &&
           strcmp(enq_outcome_names[i], o) != 0)
        i++;
    if (i == SO_ARRAY_LEN(enq_outcome_names))
        return so_fail(err, SO_ERR_PROTOCOL, "outcome: unknown \"%s\"", o);
    r->outcome = (enum so_enq_outcome)i;
    if (r->outcome == SO_ENQ_FAILED)
        proto_error_from_reply(400, NULL, 0, &r->err);
    const cJSON *e = NULL;
    const char *c = NULL, *m = NULL;
    if (json_get_object(j, "", "error", JSON_OPTIONAL, &e, err) == SO_OK &&
        json_get_string(e, "error", "code", JSON_OPTIONAL, 64, &c, err) ==
            SO_OK &&
        json_get_string(e, "error", "message", JSON_OPTIONAL, 4096, &m, err) ==
            SO_OK) {
        so_fail(&r->err, so_status_from_name(c), "%s", m);
        proto_sanitize(r->err.msg);
    }
    return SO_OK;
}

/* ---- webhooks ----------------------------------------------------------- */

cJSON *proto_hook_to_json(const struct so_hook *h)
{
    cJSON *o = json_new_object();
    json_add_int(o, "id", h->id);
    json_add_string(o, "workflow", h->workflow);
    json_add_string(o, "url", h->url);
    json_add_string(o, "events", h->events);
    json_add_bool(o, "enabled", h->enabled);
    json_add_bool(o, "auto_disabled", h->auto_disabled);
    json_add_string(o, "disabled_reason", h->disabled_reason);
    json_add_int(o, "fail_streak", h->fail_streak);
    json_add_int(o, "max_failures", h->max_failures);
    json_add_int(o, "retry_for_ms", h->retry_for_ms);
    json_add_bool(o, "allow_private", h->allow_private);
    json_add_int(o, "created_at", h->created_at);
    json_add_int(o, "pending", h->pending);
    json_add_int(o, "delivered", h->delivered);
    json_add_int(o, "dead", h->dead);
    return o;
}

/* An int member into an int field. */
static enum so_status int_field(const cJSON *j, const char *key, int flags,
                                int *out, struct so_error *err)
{
    int64_t v = 0;
    enum so_status s = json_get_int(j, "", key, flags, 0, INT32_MAX, &v, err);
    if (s == SO_OK)
        *out = (int)v;
    return s;
}

enum so_status proto_hook_from_json(const cJSON *j, struct so_hook *out,
                                    struct so_error *err)
{
    enum so_status s;
    memset(out, 0, sizeof *out);
    if (bad(s = json_get_int(j, "", "id", JSON_REQUIRED, 1, JSON_MAX_SAFE_INT,
                             &out->id, err)) ||
        bad(s = dup_field(j, "", "workflow", JSON_REQUIRED, SO_MAX_ID,
                          &out->workflow, err)) ||
        bad(s = dup_field(j, "", "url", JSON_REQUIRED, WEBHOOK_URL_MAX, &out->url,
                          err)) ||
        bad(s = dup_field(j, "", "events", JSON_REQUIRED, 16, &out->events,
                          err)) ||
        bad(s = json_get_bool(j, "", "enabled", JSON_REQUIRED, &out->enabled,
                              err)) ||
        bad(s = json_get_bool(j, "", "auto_disabled", JSON_OPTIONAL,
                              &out->auto_disabled, err)) ||
        bad(s = dup_field(j, "", "disabled_reason", JSON_OPTIONAL, SO_MAX_FIELD,
                          &out->disabled_reason, err)) ||
        bad(s = int_field(j, "fail_streak", JSON_OPTIONAL, &out->fail_streak,
                          err)) ||
        bad(s = int_field(j, "max_failures", JSON_OPTIONAL,
                          &out->max_failures, err)) ||
        bad(s = json_get_int(j, "", "retry_for_ms", JSON_OPTIONAL, 0,
                             JSON_MAX_SAFE_INT, &out->retry_for_ms, err)) ||
        bad(s = json_get_bool(j, "", "allow_private", JSON_OPTIONAL,
                              &out->allow_private, err)) ||
        bad(s = json_get_int(j, "", "created_at", JSON_OPTIONAL, 0,
                             JSON_MAX_SAFE_INT, &out->created_at, err)) ||
        bad(s = json_get_int(j, "", "pending", JSON_OPTIONAL, 0,
                             JSON_MAX_SAFE_INT, &out->pending, err)) ||
        bad(s = json_get_int(j, "", "delivered", JSON_OPTIONAL, 0,
                             JSON_MAX_SAFE_INT, &out->delivered, err)) ||
        bad(s = json_get_int(j, "", "dead", JSON_OPTIONAL, 0,
                             JSON_MAX_SAFE_INT, &out->dead, err))) {
        so_hook_clear(out);
        return s;
    }
    return SO_OK;
}

cJSON *proto_hook_add_to_json(const struct so_hook *h)
{
    cJSON *o = json_new_object();
    json_add_string(o, "workflow", h->workflow);
    json_add_string(o, "url", h->url);
    json_add_string(o, "secret", h->secret);
    json_add_string(o, "events", h->events ? h->events : "outcome");
    json_add_int(o, "max_failures", h->max_failures);
    json_add_int(o, "retry_for_ms", h->retry_for_ms);
    json_add_bool(o, "allow_private", h->allow_private);
    return o;
}

enum so_status proto_hook_add_from_json(const cJSON *j, struct so_hook *out,
                                        struct so_error *err)
{
    enum so_status s;
    memset(out, 0, sizeof *out);
    out->max_failures = WEBHOOK_MAX_FAILURES;
    out->retry_for_ms = WEBHOOK_RETRY_FOR_MS;
    if (bad(s = dup_field(j, "", "workflow", JSON_REQUIRED, SO_MAX_ID,
                          &out->workflow, err)) ||
        bad(s = dup_field(j, "", "url", JSON_REQUIRED, WEBHOOK_URL_MAX, &out->url,
                          err)) ||
        bad(s = dup_field(j, "", "secret", JSON_REQUIRED, WEBHOOK_SECRET_TEXT * 2,
                          &out->secret, err)) ||
        bad(s = dup_field(j, "", "events", JSON_OPTIONAL, 16, &out->events,
                          err)) ||
        bad(s = int_field(j, "max_failures", JSON_OPTIONAL,
                          &out->max_failures, err)) ||
        bad(s = json_get_int(j, "", "retry_for_ms", JSON_OPTIONAL, 0,
                             JSON_MAX_SAFE_INT, &out->retry_for_ms, err)) ||
        bad(s = json_get_bool(j, "", "allow_private", JSON_OPTIONAL,
                              &out->allow_private, err))) {
        so_hook_clear(out);
        return s;
    }
    if (!out->events)
        out->events = xstrdup("outcome");
    return SO_OK;
}

cJSON *proto_attempts_to_json(const struct so_hook_attempt *v, size_t n)
{
    cJSON *a = json_new_array();
    for (size_t i = 0; i < n; i++) {
        cJSON *o = json_new_object();
        json_add_int(o, "delivery", v[i].delivery);
        json_add_int(o, "seq", v[i].seq);
        json_add_string(o, "draft_id", v[i].draft);
        json_add_int(o, "at", v[i].at);
        json_add_int(o, "ms", v[i].ms);
        json_add_int(o, "status", v[i].status);
        json_add_string(o, "state", v[i].state);
        json_add_string(o, "error", v[i].error);
        cJSON_AddItemToArray(a, o);
    }
    cJSON *j = json_new_object();
    json_add_item(j, "attempts", a);
    return j;
}

static enum so_status attempt_from_json(const cJSON *j,
                                        struct so_hook_attempt *a,
                                        struct so_error *err)
{
    enum so_status s;
    if (bad(s = json_get_int(j, "", "delivery", JSON_REQUIRED, 0,
                             JSON_MAX_SAFE_INT, &a->delivery, err)) ||
        bad(s = json_get_int(j, "", "seq", JSON_REQUIRED, 0,
                             JSON_MAX_SAFE_INT, &a->seq, err)) ||
        bad(s = dup_field(j, "", "draft_id", JSON_REQUIRED, SO_MAX_ID, &a->draft,
                          err)) ||
        bad(s = json_get_int(j, "", "at", JSON_REQUIRED, 0, JSON_MAX_SAFE_INT,
                             &a->at, err)) ||
        bad(s = json_get_int(j, "", "ms", JSON_OPTIONAL, 0, JSON_MAX_SAFE_INT,
                             &a->ms, err)) ||
        bad(s = int_field(j, "status", JSON_REQUIRED, &a->status, err)) ||
        bad(s = dup_field(j, "", "state", JSON_REQUIRED, 16, &a->state, err)) ||
        bad(s = dup_field(j, "", "error", JSON_OPTIONAL, SO_MAX_FIELD, &a->error,
                          err)))
        return s;
    return SO_OK;
}

enum so_status proto_attempts_from_json(const cJSON *j,
                                        struct so_hook_attempt **out,
                                        size_t *n, struct so_error *err)
{
    const cJSON *a = NULL, *it;
    enum so_status s =
        json_get_array(j, "", "attempts", JSON_REQUIRED, 1000, &a, err);
    *out = NULL;
    *n = 0;
    if (s != SO_OK)
        return s;
    struct so_hook_attempt *v =
        xcalloc((size_t)cJSON_GetArraySize(a) + 1, sizeof *v);
    size_t len = 0;
    cJSON_ArrayForEach(it, a) {
        if (bad(s = attempt_from_json(it, &v[len++], err))) {
            so_hook_attempts_free(v, len);
            return s;
        }
    }
    *out = v;
    *n = len;
    return SO_OK;
}

cJSON *proto_hook_ping_to_json(int64_t id, const struct so_hook_ping *p)
{
    cJSON *o = json_new_object();
    json_add_int(o, "hook", id);
    json_add_bool(o, "delivered", p->status >= 200 && p->status < 300);
    json_add_int(o, "status", p->status);
    json_add_int(o, "ms", p->ms);
    json_add_string(o, "error", p->error[0] ? p->error : NULL);
    return o;
}

enum so_status proto_hook_ping_from_json(const cJSON *j,
                                         struct so_hook_ping *out,
                                         struct so_error *err)
{
    const char *why = NULL;
    enum so_status s;
    memset(out, 0, sizeof *out);
    if (bad(s = int_field(j, "status", JSON_REQUIRED, &out->status, err)) ||
        bad(s = json_get_int(j, "", "ms", JSON_REQUIRED, 0, JSON_MAX_SAFE_INT,
                             &out->ms, err)) ||
        bad(s = json_get_string(j, "", "error", JSON_OPTIONAL,
                                sizeof out->error - 1, &why, err)))
        return s;
    if (why)
        snprintf(out->error, sizeof out->error, "%s", why);
    return SO_OK;
}
