/*
 * remote_http: the queue interface over protocol v1 (see remote_http.h,
 * docs/protocol.md). One libcurl easy handle per queue, reused so the
 * connection stays alive; TLS always verified; no redirects; only http and
 * https; connect, total and low-speed timeouts; replies capped while they
 * stream in; every status checked; retries only for connect errors,
 * timeouts and 408/429/5xx, with jittered exponential backoff that honours
 * Retry-After; for an input loop (queue_opts.interactive) an unreachable
 * server is not retried, so no key waits on a sleep, and a call has a
 * short total deadline: a server that takes the connection but does not
 * answer holds a key for seconds, not the 30 s of a command. Decisions go through the outbox first, so none is lost
 * while the server is away. Never prints; never puts the token in a
 * message.
 */
#include "signoff/remote/http.h"

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "signoff/agreement.h"
#include "signoff/audit.h"
#include "signoff/draft_json.h"
#include "signoff/json.h"
#include "signoff/remote/outbox.h"
#include "signoff/remote/protocol.h"

#define REMOTE_REPLY_CAP (8u << 20)
#define REMOTE_ATTEMPTS 4
#define REMOTE_BACKOFF_MS 250
#define REMOTE_BACKOFF_CAP_MS 8000
#define REMOTE_RETRY_AFTER_CAP_S 60
#define REMOTE_CONNECT_MS 5000
#define REMOTE_TIMEOUT_MS 30000
#define REMOTE_LOW_SPEED_BYTES 64
/* An input loop (queue_opts.interactive) waits on each call: a server that
 * takes the connection but does not answer gives up after this, all tries
 * and sleeps of the call included, and after so long under the low speed. */
#define REMOTE_INTERACTIVE_MS 4000
#define REMOTE_INTERACTIVE_LOW_SPEED_S 2
#define REMOTE_QUIET_MS 5000 /* then no call tries for so long */
/* Work nobody waits for (queue.background: the UI's refresh between keys)
 * gets a shorter deadline, and while the server stays silent it tries
 * after a pause that doubles each time, so a hung server costs the input
 * loop a moment a minute, not 4 s every few seconds. */
#define REMOTE_BACKGROUND_MS 1500
#define REMOTE_BACKGROUND_QUIET_CAP_MS 60000
#define REMOTE_OFFLINE_MS 1000 /* first pause after the server was away */
#define REMOTE_OFFLINE_CAP_MS 15000
#define REMOTE_ENQ_CHUNK (4u << 20) /* bytes of JSONL per POST /v1/drafts */
#define REMOTE_TOKEN_MAX 4096
#define REMOTE_MAX_HOOKS 100000

struct remote {
    CURL *curl;
    struct curl_slist *headers; /* holds the Authorization header */
    char *base;                 /* URL without the trailing '/' */
    struct outbox *ob;          /* opened on first use */
    char ident[65];             /* whose outbox rows: SHA-256 of the token */
    char *who;       /* "reviewer<TAB>role" the server names the token, or
                        NULL (offline since open); outbox.h */
    int owner_kept;  /* who is in the outbox's owners table */
    struct buf reply;
    int over_cap;
    long retry_after; /* seconds, from the last reply, -1 if none */
    char errbuf[CURL_ERROR_SIZE];
    long timeout_ms;
    int64_t offline_until; /* mono ms: skip the network until then */
    int64_t offline_pause;
    uint32_t rng; /* backoff jitter */
    int interactive; /* an input loop waits: no retry of an unreachable
                        server (queue_opts.interactive) */
    int64_t quiet_until; /* interactive, mono ms: the server did not answer
                            in time; calls fail at once until then */
    const struct queue *q; /* the queue this is (its background flag) */
    int64_t bg_quiet_until; /* mono ms: background calls fail at once */
    int64_t bg_quiet_pause; /* the last pause; 0 while the server answers */
    CURLcode curl_rc;    /* of the last transfer */
    int unanswered;      /* the last call failed as the server did not
                            answer in time (interactive) */
};

/* One exchange: HTTP status and the parsed JSON reply (NULL if empty). */
struct reply {
    long status;
    cJSON *json;
};

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
    struct remote *r = arg;
    size_t len = size * n;
    if (r->reply.len + len > REMOTE_REPLY_CAP) {
        r->over_cap = 1;
        return 0; /* makes curl stop with CURLE_WRITE_ERROR */
    }
    buf_add(&r->reply, p, len);
    return len;
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
    struct remote *r = arg;
    size_t len = size * n;
    static const char name[] = "retry-after:";
    if (len > sizeof name && strncasecmp(p, name, sizeof name - 1) == 0) {
        char v[32];
        size_t vl = len - (sizeof name - 1);
        if (vl >= sizeof v)
            vl = sizeof v - 1;
        memcpy(v, p + sizeof name - 1, vl);
        v[vl] = '\0';
        char *end;
        long s = strtol(v, &end, 10);
        if (end != v && s >= 0)
            r->retry_after = s > REMOTE_RETRY_AFTER_CAP_S
                                 ? REMOTE_RETRY_AFTER_CAP_S
                                 : s;
    }
    return len;
}

static long env_timeout_ms(void)
{
    const char *v = getenv("SIGNOFF_HTTP_TIMEOUT");
    long s;
    if (v && so_parse_long(v, 1, 3600, &s) == 0)
        return s * 1000;
    return REMOTE_TIMEOUT_MS;
}

/* Options that hold for every request of the handle. Nothing here (or
 * anywhere) turns TLS verification off. */
static void curl_setup(struct remote *r, const char *ca_file)
{
    CURL *c = r->curl;
    long low_speed_s = r->timeout_ms / 3000;
    if (r->interactive && r->timeout_ms > REMOTE_INTERACTIVE_MS)
        r->timeout_ms = REMOTE_INTERACTIVE_MS;
    if (r->interactive && low_speed_s > REMOTE_INTERACTIVE_LOW_SPEED_S)
        low_speed_s = REMOTE_INTERACTIVE_LOW_SPEED_S;
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, r->errbuf);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                     r->timeout_ms < REMOTE_CONNECT_MS ? r->timeout_ms
                                                       : REMOTE_CONNECT_MS);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, r->timeout_ms);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, (long)REMOTE_LOW_SPEED_BYTES);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME,
                     low_speed_s < 1 ? 1L : low_speed_s > 10 ? 10L : low_speed_s);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (ca_file)
        curl_easy_setopt(c, CURLOPT_CAINFO, ca_file);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "signoff/" SIGNOFF_VERSION);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, r->headers);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
}

static void sleep_ms(int64_t ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
}

/* A xorshift step: jitter needs spread, not secrecy, and must not touch
 * the global rand() state of the program. */
static uint32_t next_random(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

/* Exponential backoff with jitter (50-100% of the step), at least what
 * the server asked for in Retry-After. */
static int64_t backoff_ms(struct remote *r, int attempt)
{
    int64_t step = (int64_t)REMOTE_BACKOFF_MS << attempt;
    if (step > REMOTE_BACKOFF_CAP_MS)
        step = REMOTE_BACKOFF_CAP_MS;
    int64_t d = step / 2 + (int64_t)(next_random(&r->rng) % (step / 2 + 1));
    if (r->retry_after >= 0 && r->retry_after * 1000 > d)
        d = r->retry_after * 1000;
    return d;
}

static int retryable_status(long status)
{
    return status == 408 || status == 429 || status >= 500;
}

/* The JSON of a 2xx reply; an empty body is fine (204). */
static enum so_status reply_json(struct remote *r, struct reply *rep,
                                 struct so_error *err)
{
    struct so_error perr;
    if (r->reply.len == 0)
        return SO_OK;
    if (proto_parse(r->reply.data, r->reply.len, &rep->json, &perr) == SO_OK)
        return SO_OK;
    return so_fail(err, SO_ERR_PROTOCOL, "%s: unreadable reply: %s", r->base,
                   perr.msg);
}

/* One request. *retry says whether a failure may be retried. */
static enum so_status perform_once(struct remote *r, const char *url,
                                   const char *body, size_t len,
                                   struct reply *rep, int *retry,
                                   struct so_error *err)
{
    CURL *c = r->curl;
    buf_reset(&r->reply);
    r->over_cap = 0;
    r->retry_after = -1;
    r->errbuf[0] = '\0';
    *retry = 0;
    curl_easy_setopt(c, CURLOPT_URL, url);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    } else {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    }
    CURLcode rc = curl_easy_perform(c);
    r->curl_rc = rc;
    if (rc != CURLE_OK) {
        if (r->over_cap)
            return so_fail(err, SO_ERR_PROTOCOL,
                           "%s: reply larger than %u MiB; cut off", r->base,
                           REMOTE_REPLY_CAP >> 20);
        *retry = rc == CURLE_COULDNT_CONNECT || rc == CURLE_OPERATION_TIMEDOUT;
        so_fail(err, SO_ERR_NETWORK, "%s: %s", r->base,
                r->errbuf[0] ? r->errbuf : curl_easy_strerror(rc));
        proto_sanitize(err->msg);
        return SO_ERR_NETWORK;
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &rep->status);
    if (rep->status >= 300 && rep->status < 400)
        return so_fail(err, SO_ERR_PROTOCOL,
                       "%s: the server redirected (HTTP %ld); signoff does "
                       "not follow redirects",
                       r->base, rep->status);
    if (rep->status < 200 || rep->status >= 300) {
        *retry = retryable_status(rep->status);
        enum so_status s = proto_error_from_reply(
            (int)rep->status, r->reply.data, r->reply.len, err);
        return s == SO_OK ? SO_ERR_PROTOCOL : s;
    }
    return reply_json(r, rep, err);
}

/* An interactive call's failure when the server took the connection but
 * did not answer in time (or answers too slowly): said in words, not as
 * curl's timer. */
static enum so_status unanswered(struct remote *r, long ms,
                                 struct so_error *err)
{
    r->unanswered = 1;
    return so_fail(err, SO_ERR_NETWORK,
                   "%s: the server is not answering (no reply in %ld s)",
                   r->base, (ms + 999) / 1000);
}

/* A background call the server did not answer in time: the next one
 * waits REMOTE_QUIET_MS, then twice as long each time, up to a minute. */
static void background_quiet(struct remote *r)
{
    int64_t p = r->bg_quiet_pause ? r->bg_quiet_pause * 2 : REMOTE_QUIET_MS;
    r->bg_quiet_pause = p > REMOTE_BACKGROUND_QUIET_CAP_MS
                            ? REMOTE_BACKGROUND_QUIET_CAP_MS
                            : p;
    r->bg_quiet_until = so_mono_ms() + r->bg_quiet_pause;
}

/* A request with the retry rules; rep->json is the reply (caller frees).
 * attempts: how many tries at most. */
static enum so_status http_call(struct remote *r, const char *path,
                                const char *body, int attempts,
                                struct reply *rep, struct so_error *err)
{
    memset(rep, 0, sizeof *rep);
    int bg = r->interactive && r->q && r->q->background;
    long limit = bg && r->timeout_ms > REMOTE_BACKGROUND_MS
                     ? REMOTE_BACKGROUND_MS
                     : r->timeout_ms;
    if (r->interactive && so_mono_ms() < r->quiet_until)
        return unanswered(r, r->timeout_ms, err);
    if (bg && so_mono_ms() < r->bg_quiet_until)
        return unanswered(r, limit, err);
    if (r->interactive)
        curl_easy_setopt(r->curl, CURLOPT_CONNECTTIMEOUT_MS,
                         limit < REMOTE_CONNECT_MS ? limit
                                                   : (long)REMOTE_CONNECT_MS);
    char *url = xasprintf("%s%s", r->base, path);
    enum so_status s;
    int64_t deadline = so_mono_ms() + limit;
    r->unanswered = 0;
    for (int i = 0;; i++) {
        int retry = 0;
        if (r->interactive) /* what is left of the call's time */
            curl_easy_setopt(r->curl, CURLOPT_TIMEOUT_MS,
                             (long)(deadline - so_mono_ms() > 1
                                        ? deadline - so_mono_ms()
                                        : 1));
        s = perform_once(r, url, body, body ? strlen(body) : 0, rep, &retry,
                         err);
        if (s == SO_OK || !retry || i + 1 >= attempts ||
            (s == SO_ERR_NETWORK && r->interactive))
            break;
        int64_t pause = backoff_ms(r, i);
        if (r->interactive && so_mono_ms() + pause + 1000 > deadline)
            break; /* no time for another try */
        sleep_ms(pause);
    }
    free(url);
    if (r->interactive && s == SO_ERR_NETWORK &&
        r->curl_rc == CURLE_OPERATION_TIMEDOUT) {
        if (bg) /* a key still tries: it has its own deadline */
            background_quiet(r);
        else
            r->quiet_until = so_mono_ms() + REMOTE_QUIET_MS;
        return unanswered(r, limit, err);
    }
    if (rep->status > 0) /* the server answered */
        r->bg_quiet_pause = r->bg_quiet_until = 0;
    return s;
}

static enum so_status http_get(struct remote *r, const char *path,
                               struct reply *rep, struct so_error *err)
{
    return http_call(r, path, NULL, REMOTE_ATTEMPTS, rep, err);
}

/* Compact text of j, which is freed. */
static char *json_take_text(cJSON *j)
{
    char *t = proto_print(j);
    cJSON_Delete(j);
    return t;
}

/* POST a JSON body (taken and freed). */
static enum so_status http_post(struct remote *r, const char *path,
                                cJSON *body, struct reply *rep,
                                struct so_error *err)
{
    char *text = json_take_text(body);
    enum so_status s = http_call(r, path, text, REMOTE_ATTEMPTS, rep, err);
    free(text);
    return s;
}

/* "/v1/drafts/ID/suffix" with ID percent-encoded. Caller frees. */
static char *id_path(struct remote *r, const char *prefix, const char *id,
                     const char *suffix)
{
    char *e = curl_easy_escape(r->curl, id, 0);
    char *p = xasprintf("%s%s%s", prefix, e ? e : "", suffix);
    curl_free(e);
    return p;
}

static void query_add(struct remote *r, struct buf *b, const char *key,
                      const char *value)
{
    if (!value)
        return;
    char *e = curl_easy_escape(r->curl, value, 0);
    buf_addf(b, "%c%s=%s", strchr(buf_cstr(b), '?') ? '&' : '?', key,
             e ? e : "");
    curl_free(e);
}

static void query_addf(struct remote *r, struct buf *b, const char *key,
                       const char *fmt, double v)
{
    char tmp[64];
    snprintf(tmp, sizeof tmp, fmt, v);
    query_add(r, b, key, tmp);
}

/* ---- the queue ops ------------------------------------------------------ */

static struct remote *R(struct queue *q)
{
    return q->impl;
}

/* The "draft" member of a reply as a new draft. */
static enum so_status reply_draft(struct remote *r, const struct reply *rep,
                                  struct so_draft **out, struct so_error *err)
{
    const cJSON *d = NULL;
    struct so_error perr;
    if (!rep->json ||
        json_get_object(rep->json, "", "draft", JSON_REQUIRED, &d, &perr) !=
            SO_OK ||
        proto_draft_from_json(d, out, &perr) != SO_OK)
        return so_fail(err, SO_ERR_PROTOCOL, "%s: unreadable draft: %s",
                       r->base, rep->json ? perr.msg : "empty reply");
    return SO_OK;
}

static enum so_status outbox_ready(struct remote *r, struct so_error *err)
{
    return r->ob ? SO_OK : outbox_open(NULL, &r->ob, err);
}

/* Remember in the outbox who the server says this token is, once a
 * process: a decision made on this claim while the server is away is
 * then the person's, sent by their next token if this one is rotated
 * before it goes (outbox.h). Best effort: a claim never fails for it. */
static void keep_owner(struct remote *r)
{
    struct so_error oerr;
    if (r->owner_kept || !r->who || outbox_ready(r, &oerr) != SO_OK)
        return;
    r->owner_kept = outbox_own(r->ob, r->base, r->ident, r->who, &oerr) ==
                    SO_OK;
}

/* Note in the outbox that this token holds draft id (held 1) or no longer
 * does (0): an offline decision is queued only for a draft it holds
 * (r_decide). Best effort: a claim or release never fails for it. */
static void keep_claim(struct remote *r, const char *id, int held)
{
    struct so_error oerr;
    if (id && outbox_ready(r, &oerr) == SO_OK)
        outbox_hold(r->ob, r->base, r->ident, id, held, &oerr);
}

static enum so_status r_claim(struct queue *q, const struct so_claim_req *req,
                              struct so_draft **out, struct so_error *err)
{
    struct reply rep;
    *out = NULL;
    enum so_status s = http_post(R(q), "/v1/claim",
                                 proto_claim_req_to_json(req), &rep, err);
    if (s == SO_OK && rep.status == 204)
        s = SO_EMPTY;
    else if (s == SO_OK)
        s = reply_draft(R(q), &rep, out, err);
    cJSON_Delete(rep.json);
    if (s == SO_OK) {
        keep_owner(R(q));
        keep_claim(R(q), (*out)->id, 1);
    }
    return s;
}

static cJSON *lease_body(int64_t token, int64_t lease_ms)
{
    cJSON *j = json_new_object();
    if (token)
        json_add_int(j, "lease_token", token);
    if (lease_ms > 0)
        json_add_int(j, "lease_s", (lease_ms + 999) / 1000);
    return j;
}

static enum so_status r_renew(struct queue *q, const char *id, int64_t token,
                              int64_t lease_ms, int64_t *until,
                              struct so_error *err)
{
    struct reply rep;
    char *path = id_path(R(q), "/v1/drafts/", id, "/renew");
    enum so_status s =
        http_post(R(q), path, lease_body(token, lease_ms), &rep, err);
    if (s == SO_OK &&
        json_get_int(rep.json, "", "lease_until", JSON_REQUIRED, 0,
                     JSON_MAX_SAFE_INT, until, err) != SO_OK)
        s = so_fail(err, SO_ERR_PROTOCOL, "%s: renew: %s", R(q)->base,
                    err->msg);
    cJSON_Delete(rep.json);
    free(path);
    return s;
}

static enum so_status r_release(struct queue *q, const char *id,
                                int64_t token, struct so_error *err)
{
    struct reply rep;
    char *path = id_path(R(q), "/v1/drafts/", id, "/release");
    enum so_status s = http_post(R(q), path, lease_body(token, 0), &rep, err);
    cJSON_Delete(rep.json);
    free(path);
    if (s == SO_OK)
        keep_claim(R(q), id, 0);
    return s;
}

static enum so_status r_reassign(struct queue *q, const char *id,
                                 const char *to, int64_t lease_ms,
                                 struct so_error *err)
{
    struct reply rep;
    char *path = id_path(R(q), "/v1/drafts/", id, "/reassign");
    cJSON *j = lease_body(0, lease_ms);
    if (to)
        json_add_string(j, "to", to);
    enum so_status s = http_post(R(q), path, j, &rep, err);
    cJSON_Delete(rep.json);
    free(path);
    return s;
}

/* A refusal that will never turn into a success by sending again. */
static int definitive(enum so_status s)
{
    return s == SO_ERR_INVALID || s == SO_ERR_USAGE || s == SO_ERR_NOTFOUND ||
           s == SO_ERR_CONFLICT || s == SO_ERR_LEASE ||
           s == SO_ERR_FORBIDDEN || s == SO_ERR_PAUSED ||
           s == SO_ERR_TOOLARGE;
}


/* Send one decision body; attempts as in http_call. */
static enum so_status send_decision(struct remote *r, const char *draft_id,
                                    const char *body, int attempts,
                                    struct so_decide_result *res,
                                    struct so_error *err)
{
    struct reply rep;
    char *path = id_path(r, "/v1/drafts/", draft_id, "/decision");
    enum so_status s = http_call(r, path, body, attempts, &rep, err);
    if (s == SO_OK) {
        struct so_error perr;
        if (!rep.json ||
            proto_decide_result_from_json(rep.json, res, &perr) != SO_OK)
            s = so_fail(err, SO_ERR_PROTOCOL, "%s: unreadable result: %s",
                        r->base, rep.json ? perr.msg : "empty reply");
    }
    cJSON_Delete(rep.json);
    free(path);
    return s;
}

static int offline_now(struct remote *r)
{
    return r->offline_until && so_mono_ms() < r->offline_until;
}

/* Note that the server was away: skip the network for a while, longer
 * each time in a row. */
static void went_offline(struct remote *r)
{
    r->offline_pause = r->offline_pause ? r->offline_pause * 2
                                        : REMOTE_OFFLINE_MS;
    if (r->offline_pause > REMOTE_OFFLINE_CAP_MS)
        r->offline_pause = REMOTE_OFFLINE_CAP_MS;
    r->offline_until = so_mono_ms() + r->offline_pause;
}

static void came_online(struct remote *r)
{
    r->offline_until = 0;
    r->offline_pause = 0;
}

static enum so_status r_decide(struct queue *q, const struct so_decide_req *req,
                               struct so_decide_result *res,
                               struct so_error *err)
{
    struct remote *r = R(q);
    memset(res, 0, sizeof *res);
    /* The outbox keeps the decision alone: a decision sent later by sync
     * must not claim a draft. The live send asks for the next claim. */
    struct so_decide_req alone = *req;
    alone.claim_next = NULL;
    char *body = json_take_text(proto_decide_req_to_json(&alone));
    char *live = req->claim_next ? json_take_text(proto_decide_req_to_json(req))
                                 : NULL;
    enum so_status s = outbox_ready(r, err);
    /* Opened with the server away (signoff decide): only a draft this
     * token claimed here and still holds is queued, so "queued" means
     * the decision will land, not that sync will report it refused. */
    int held = 1;
    if (s == SO_OK && !r->who && offline_now(r))
        s = outbox_holds(r->ob, r->base, r->ident, req->draft_id, &held, err);
    if (s == SO_OK && !held)
        s = so_fail(err, SO_ERR_LEASE,
                    "%s: not queued: the server cannot be reached, and this "
                    "token holds no claim on it that this machine knows of "
                    "(decide it once the server answers)",
                    req->draft_id);
    if (s == SO_OK)
        s = outbox_put(r->ob, r->base, r->ident, r->who, req->request_id,
                       req->draft_id, body, err);
    if (s != SO_OK) {
        free(body);
        free(live);
        return s;
    }
    int offline = offline_now(r);
    if (!offline)
        s = send_decision(r, req->draft_id, live ? live : body,
                          REMOTE_ATTEMPTS, res, err);
    free(body);
    free(live);
    struct so_error rerr;
    if (!offline && (s == SO_OK || definitive(s))) {
        outbox_remove(r->ob, req->request_id, &rerr);
        if (s == SO_OK) {
            came_online(r);
            keep_claim(r, req->draft_id, 0);
        }
        /* A server before claim_next answers the decision alone. */
        if (s == SO_OK && req->claim_next && !res->next.filled)
            queue_decide_next(q, req->claim_next, &res->next);
        return s;
    }
    /* Kept in the outbox: the decision is safe and will be sent by sync. */
    if (!offline)
        went_offline(r);
    so_decide_result_clear(res);
    res->action = req->action;
    res->review_agreed = -1;
    snprintf(res->draft_status, sizeof res->draft_status, "queued");
    res->unanswered = r->unanswered;
    return SO_OK;
}

static enum so_status r_sync(struct queue *q, int64_t *sent,
                             struct so_error *err);

static enum so_status r_undo(struct queue *q, const char *request_id,
                             struct so_draft **out, struct so_error *err)
{
    struct reply rep;
    int64_t sent = 0;
    *out = NULL;
    /* The decision to undo may still be waiting in the outbox. */
    enum so_status s = r_sync(q, &sent, err);
    if (s != SO_OK)
        return s;
    cJSON *j = json_new_object();
    json_add_string(j, "request_id", request_id);
    s = http_post(R(q), "/v1/undo", j, &rep, err);
    if (s == SO_OK)
        s = reply_draft(R(q), &rep, out, err);
    cJSON_Delete(rep.json);
    return s;
}

static enum so_status r_get(struct queue *q, const char *id,
                            struct so_draft **out, struct so_error *err)
{
    struct reply rep;
    char *path = id_path(R(q), "/v1/drafts/", id, "");
    *out = NULL;
    enum so_status s = http_get(R(q), path, &rep, err);
    if (s == SO_OK)
        s = reply_draft(R(q), &rep, out, err);
    cJSON_Delete(rep.json);
    free(path);
    return s;
}

/* PATH?filter... for list and count. Caller frees. */
static char *list_path(struct remote *r, const char *path,
                       const struct so_list_req *req)
{
    struct buf b;
    buf_init(&b);
    buf_adds(&b, path);
    query_add(r, &b, "status", req->status);
    query_add(r, &b, "workflow", req->workflow);
    query_add(r, &b, "model", req->model);
    query_add(r, &b, "q", req->text);
    query_add(r, &b, "after", req->after);
    if (req->conf_below >= 0)
        query_addf(r, &b, "conf_below", "%.17g", req->conf_below);
    if (req->conf_atleast >= 0)
        query_addf(r, &b, "conf_atleast", "%.17g", req->conf_atleast);
    if (req->grounding_only)
        query_add(r, &b, "grounding", "1");
    if (req->escalated_only)
        query_add(r, &b, "escalated", "1");
    if (req->mine)
        query_add(r, &b, "mine", "1");
    if (req->sla)
        query_add(r, &b, "sla", req->sla == SO_LIST_SLA_DUE ? "due" : "rest");
    if (req->limit > 0)
        query_addf(r, &b, "limit", "%.0f", req->limit);
    return buf_steal(&b);
}

static enum so_status r_list(struct queue *q, const struct so_list_req *req,
                             struct so_draft_page *out, struct so_error *err)
{
    struct reply rep;
    char *path = list_path(R(q), "/v1/drafts", req);
    memset(out, 0, sizeof *out);
    enum so_status s = http_get(R(q), path, &rep, err);
    struct so_error perr;
    if (s == SO_OK && (!rep.json || proto_page_from_json(rep.json, out,
                                                         &perr) != SO_OK))
        s = so_fail(err, SO_ERR_PROTOCOL, "%s: unreadable list: %s",
                    R(q)->base, rep.json ? perr.msg : "empty reply");
    cJSON_Delete(rep.json);
    free(path);
    return s;
}

/* An integer member of a reply. */
static enum so_status reply_int(struct remote *r, const struct reply *rep,
                                const char *key, int64_t *out,
                                struct so_error *err)
{
    struct so_error perr;
    if (rep->json && json_get_int(rep->json, "", key, JSON_REQUIRED, 0,
                                  JSON_MAX_SAFE_INT, out, &perr) == SO_OK)
        return SO_OK;
    return so_fail(err, SO_ERR_PROTOCOL, "%s: unreadable reply: %s", r->base,
                   rep->json ? perr.msg : "empty reply");
}

static enum so_status r_count(struct queue *q, const struct so_list_req *req,
                              int64_t *n, struct so_error *err)
{
    struct reply rep;
    char *path = list_path(R(q), "/v1/count", req);
    enum so_status s = http_get(R(q), path, &rep, err);
    if (s == SO_OK)
        s = reply_int(R(q), &rep, "count", n, err);
    cJSON_Delete(rep.json);
    free(path);
    return s;
}

static enum so_status decisions_of(struct remote *r, const cJSON *j,
                                   struct so_decision **out, size_t *n,
                                   struct so_error *err)
{
    const cJSON *a = NULL, *it;
    struct so_error perr;
    if (!j || json_get_array(j, "", "decisions", JSON_REQUIRED, 1000000, &a,
                             &perr) != SO_OK)
        return so_fail(err, SO_ERR_PROTOCOL, "%s: unreadable decisions",
                       r->base);
    struct so_decision *v = xcalloc((size_t)cJSON_GetArraySize(a) + 1,
                                    sizeof *v);
    size_t len = 0;
    cJSON_ArrayForEach(it, a) {
        if (proto_decision_from_json(it, &v[len], &perr) != SO_OK) {
            while (len)
                so_decision_clear(&v[--len]);
            free(v);
            return so_fail(err, SO_ERR_PROTOCOL, "%s: decision: %s", r->base,
                           perr.msg);
        }
        len++;
    }
    *out = v;
    *n = len;
    return SO_OK;
}

static enum so_status r_decisions(struct queue *q, const char *id,
                                  struct so_decision **out, size_t *n,
                                  struct so_error *err)
{
    struct reply rep;
    char *path = id_path(R(q), "/v1/drafts/", id, "/decisions");
    *out = NULL;
    *n = 0;
    enum so_status s = http_get(R(q), path, &rep, err);
    if (s == SO_OK)
        s = decisions_of(R(q), rep.json, out, n, err);
    cJSON_Delete(rep.json);
    free(path);
    return s;
}

static enum so_status r_my_decisions(struct queue *q, int64_t since_ms,
                                     int limit, struct so_decision **out,
                                     size_t *n, struct so_error *err)
{
    struct reply rep;
    struct buf b;
    *out = NULL;
    *n = 0;
    buf_init(&b);
    buf_addf(&b, "/v1/me/decisions?since=%lld&limit=%d", (long long)since_ms,
             limit);
    enum so_status s = http_get(R(q), buf_cstr(&b), &rep, err);
    if (s == SO_OK)
        s = decisions_of(R(q), rep.json, out, n, err);
    cJSON_Delete(rep.json);
    buf_free(&b);
    return s;
}

/* Fill results[0..n) from a POST /v1/drafts reply. */
static enum so_status enq_results(struct remote *r, const cJSON *j,
                                  struct so_enq_result *results, size_t n,
                                  struct so_error *err)
{
    const cJSON *a = NULL, *it;
    struct so_error perr;
    if (!j || json_get_array(j, "", "results", JSON_REQUIRED, n, &a, &perr) !=
                  SO_OK ||
        (size_t)cJSON_GetArraySize(a) != n)
        return so_fail(err, SO_ERR_PROTOCOL,
                       "%s: enqueue: expected %zu results", r->base, n);
    size_t i = 0;
    cJSON_ArrayForEach(it, a) {
        if (proto_enq_result_from_json(it, &results[i++], &perr) != SO_OK)
            return so_fail(err, SO_ERR_PROTOCOL, "%s: enqueue: %s", r->base,
                           perr.msg);
    }
    return SO_OK;
}

/* Send drafts[0..n) whose JSON Lines are in b as one request. */
static enum so_status enq_send(struct remote *r, struct buf *b, int replace,
                               struct so_enq_result *results, size_t n,
                               struct so_error *err)
{
    struct reply rep;
    enum so_status s =
        http_call(r, replace ? "/v1/drafts?replace=1" : "/v1/drafts",
                  buf_cstr(b), REMOTE_ATTEMPTS, &rep, err);
    if (s == SO_OK)
        s = enq_results(r, rep.json, results, n, err);
    cJSON_Delete(rep.json);
    buf_reset(b);
    return s;
}

/* Drafts go as JSON Lines, several requests when the batch is larger than
 * REMOTE_ENQ_CHUNK (each request is one transaction on the server). */
static enum so_status r_enqueue(struct queue *q,
                                struct so_draft *const *drafts, size_t n,
                                unsigned flags, struct so_enq_result *results,
                                struct so_error *err)
{
    struct buf b;
    buf_init(&b);
    size_t first = 0;
    enum so_status s = SO_OK;
    for (size_t i = 0; i < n && s == SO_OK; i++) {
        char *line = draft_to_json(drafts[i], 0);
        buf_adds(&b, line);
        buf_addc(&b, '\n');
        free(line);
        if (b.len >= REMOTE_ENQ_CHUNK || i + 1 == n) {
            s = enq_send(R(q), &b, (flags & SO_ENQ_REPLACE) != 0,
                         results + first, i + 1 - first,
                         err);
            first = i + 1;
        }
    }
    buf_free(&b);
    return s;
}

/* GET /v1/events; a long poll waits less than the low-speed limit (no
 * byte flows while the server waits). */
static enum so_status r_events(struct queue *q, const struct so_event_req *req,
                               struct so_event_page *out, struct so_error *err)
{
    struct remote *r = R(q);
    struct reply rep;
    struct buf b;
    struct so_error perr;
    int64_t low_s = r->timeout_ms / 3000;
    int64_t wait_s = req->wait_ms / 1000;
    low_s = low_s < 1 ? 1 : low_s > 10 ? 10 : low_s;
    if (wait_s > low_s - 1)
        wait_s = low_s - 1;
    buf_init(&b);
    buf_adds(&b, "/v1/events");
    query_addf(r, &b, "after", "%.0f", (double)req->after);
    query_add(r, &b, "workflow", req->workflow);
    query_addf(r, &b, "limit", "%.0f", (double)req->limit);
    if (wait_s > 0)
        query_addf(r, &b, "wait", "%.0f", (double)wait_s);
    memset(out, 0, sizeof *out);
    enum so_status s = http_get(r, buf_cstr(&b), &rep, err);
    if (s == SO_OK && (!rep.json || proto_event_page_from_json(
                                        rep.json, out, &perr) != SO_OK))
        s = so_fail(err, SO_ERR_PROTOCOL, "%s: unreadable events: %s",
                    r->base, rep.json ? perr.msg : "empty reply");
    out->head = out->next_after;
    cJSON_Delete(rep.json);
    buf_free(&b);
    return s;
}

/* POST /v1/drafts/{id}/applied. */
static enum so_status r_applied(struct queue *q,
                                const struct so_applied_req *req,
                                struct so_decide_result *res,
                                struct so_error *err)
{
    struct reply rep;
    struct so_error perr;
    char *path = id_path(R(q), "/v1/drafts/", req->draft_id, "/applied");
    enum so_status s =
        http_post(R(q), path, proto_applied_req_to_json(req), &rep, err);
    if (s == SO_OK && (!rep.json || proto_decide_result_from_json(
                                        rep.json, res, &perr) != SO_OK))
        s = so_fail(err, SO_ERR_PROTOCOL, "%s: unreadable reply: %s",
                    R(q)->base, rep.json ? perr.msg : "empty reply");
    cJSON_Delete(rep.json);
    free(path);
    return s;
}

static enum so_status r_my_today(struct queue *q, int64_t *n,
                                 struct so_error *err)
{
    struct reply rep;
    enum so_status s = http_get(R(q), "/v1/me", &rep, err);
    if (s == SO_OK)
        s = reply_int(R(q), &rep, "decided_today", n, err);
    cJSON_Delete(rep.json);
    return s;
}

static enum so_status r_rollup(struct queue *q, const struct so_stats_req *req,
                               struct so_rollup *out, struct so_error *err)
{
    struct reply rep;
    struct buf b;
    struct so_error perr;
    buf_init(&b);
    buf_adds(&b, "/v1/stats");
    if (req->since_ms)
        query_addf(R(q), &b, "since", "%.0f", (double)req->since_ms);
    if (req->until_ms)
        query_addf(R(q), &b, "until", "%.0f", (double)req->until_ms);
    query_add(R(q), &b, "workflow", req->workflow);
    if (req->fold)
        query_addf(R(q), &b, "fold", "%.0f", (double)req->fold);
    memset(out, 0, sizeof *out);
    enum so_status s = http_get(R(q), buf_cstr(&b), &rep, err);
    if (s == SO_OK && (!rep.json || proto_rollup_from_json(rep.json, out,
                                                           &perr) != SO_OK))
        s = so_fail(err, SO_ERR_PROTOCOL, "%s: unreadable stats: %s",
                    R(q)->base, rep.json ? perr.msg : "empty reply");
    cJSON_Delete(rep.json);
    buf_free(&b);
    return s;
}

static enum so_status r_agreement(struct queue *q,
                                 const struct so_stats_req *req,
                                 struct so_agreement *out,
                                 struct so_error *err)
{
    struct reply rep;
    struct buf b;
    struct so_error perr;
    buf_init(&b);
    buf_adds(&b, "/v1/agreement");
    if (req->since_ms)
        query_addf(R(q), &b, "since", "%.0f", (double)req->since_ms);
    if (req->until_ms)
        query_addf(R(q), &b, "until", "%.0f", (double)req->until_ms);
    query_add(R(q), &b, "workflow", req->workflow);
    memset(out, 0, sizeof *out);
    enum so_status s = http_get(R(q), buf_cstr(&b), &rep, err);
    if (s == SO_OK &&
        (!rep.json || agreement_from_json(rep.json, out, &perr) != SO_OK))
        s = so_fail(err, SO_ERR_PROTOCOL, "%s: unreadable agreement: %s",
                    R(q)->base, rep.json ? perr.msg : "empty reply");
    cJSON_Delete(rep.json);
    buf_free(&b);
    return s;
}

static enum so_status workflow_of(struct remote *r, const cJSON *j,
                                  struct so_workflow *out,
                                  struct so_error *err)
{
    unsigned mask;
    struct so_error perr;
    if (j && proto_workflow_from_json(j, out, &mask, &perr) == SO_OK)
        return SO_OK;
    return so_fail(err, SO_ERR_PROTOCOL, "%s: unreadable workflow: %s",
                   r->base, j ? perr.msg : "empty reply");
}

static enum so_status r_workflow_list(struct queue *q, struct so_workflow **out,
                                      size_t *n, struct so_error *err)
{
    struct reply rep;
    const cJSON *a = NULL, *it;
    struct so_error perr;
    *out = NULL;
    *n = 0;
    enum so_status s = http_get(R(q), "/v1/workflows", &rep, err);
    if (s == SO_OK && (!rep.json ||
                       json_get_array(rep.json, "", "workflows", JSON_REQUIRED,
                                      100000, &a, &perr) != SO_OK))
        s = so_fail(err, SO_ERR_PROTOCOL, "%s: unreadable workflows",
                    R(q)->base);
    if (s == SO_OK) {
        *out = xcalloc((size_t)cJSON_GetArraySize(a) + 1, sizeof **out);
        cJSON_ArrayForEach(it, a) {
            if ((s = workflow_of(R(q), it, &(*out)[*n], err)) != SO_OK)
                break;
            (*n)++;
        }
    }
    if (s != SO_OK) {
        while (*n)
            so_workflow_clear(&(*out)[--*n]);
        free(*out);
        *out = NULL;
    }
    cJSON_Delete(rep.json);
    return s;
}

static enum so_status r_workflow_get(struct queue *q, const char *name,
                                     struct so_workflow *out,
                                     struct so_error *err)
{
    struct reply rep;
    char *path = id_path(R(q), "/v1/workflows/", name, "");
    memset(out, 0, sizeof *out);
    enum so_status s = http_get(R(q), path, &rep, err);
    if (s == SO_OK)
        s = workflow_of(R(q), rep.json, out, err);
    cJSON_Delete(rep.json);
    free(path);
    return s;
}

static enum so_status workflow_post(struct queue *q, const char *name,
                                    cJSON *body, struct so_error *err)
{
    struct reply rep;
    char *path = id_path(R(q), "/v1/workflows/", name, "");
    enum so_status s = http_post(R(q), path, body, &rep, err);
    cJSON_Delete(rep.json);
    free(path);
    return s;
}

static enum so_status r_workflow_set(struct queue *q,
                                     const struct so_workflow *w,
                                     unsigned mask, struct so_error *err)
{
    return workflow_post(q, w->name, proto_workflow_set_to_json(w, mask),
                         err);
}

static enum so_status r_workflow_pause(struct queue *q, const char *name,
                                       int paused, const char *reason,
                                       struct so_error *err)
{
    cJSON *j = json_new_object();
    json_add_string(j, "automation", paused ? "paused" : "on");
    if (reason)
        json_add_string(j, "reason", reason);
    return workflow_post(q, name, j, err);
}

static enum so_status r_unsent(struct queue *q, int64_t *n,
                               struct so_error *err)
{
    struct remote *r = R(q);
    *n = 0;
    enum so_status s = outbox_ready(r, err);
    return s == SO_OK ? outbox_count(r->ob, r->base, r->ident, r->who, n, err)
                      : s;
}

/* Deliver one waiting decision. Returns SO_OK when it is settled (sent,
 * or refused for good and moved to the failed table, counted in
 * *failed with the first reason in first); a network error otherwise. */
static enum so_status sync_one(struct remote *r, const struct outbox_entry *e,
                               int64_t *sent, int64_t *failed,
                               struct so_error *first, struct so_error *err)
{
    struct so_decide_result res;
    struct so_error serr;
    outbox_touch(r->ob, e->request_id, &serr);
    enum so_status s = send_decision(r, e->draft_id, e->body, 2, &res, &serr);
    if (s == SO_OK || definitive(s)) /* decided, or no longer held */
        keep_claim(r, e->draft_id, 0);
    if (s == SO_OK) {
        (*sent)++;
        return outbox_remove(r->ob, e->request_id, err);
    }
    if (!definitive(s)) {
        *err = serr;
        return s;
    }
    if ((*failed)++ == 0)
        so_fail(first, s, "draft %s: %s", e->draft_id, serr.msg);
    return outbox_fail(r->ob, e->request_id, so_status_name(s), serr.msg, err);
}

static enum so_status r_sync(struct queue *q, int64_t *sent,
                             struct so_error *err)
{
    struct remote *r = R(q);
    int64_t waiting = 0, failed = 0;
    struct so_error first;
    *sent = 0;
    enum so_status s = r_unsent(q, &waiting, err);
    if (s != SO_OK || waiting == 0)
        return s;
    if (offline_now(r))
        return so_fail(err, SO_ERR_NETWORK, "%s: offline, %lld unsent",
                       r->base, (long long)waiting);
    keep_owner(r); /* rows made offline with this token: the person's */
    struct outbox_entry *e = NULL;
    size_t n = 0;
    while (s == SO_OK &&
           (s = outbox_pending(r->ob, r->base, r->ident, r->who, 64, &e, &n,
                               err)) ==
               SO_OK &&
           n > 0) {
        for (size_t i = 0; i < n && s == SO_OK; i++)
            s = sync_one(r, &e[i], sent, &failed, &first, err);
        outbox_entries_free(e, n);
    }
    if (s == SO_ERR_NETWORK || s == SO_ERR_BUSY || s == SO_ERR_PROTOCOL ||
        s == SO_ERR_AUTH) {
        went_offline(r);
        return s;
    }
    if (s != SO_OK)
        return s;
    came_online(r);
    if (failed == 0)
        return SO_OK;
    s = so_fail(err, first.code,
                "%lld decision(s) refused by the server and kept in the "
                "outbox's failed table (first: %s)",
                (long long)failed, first.msg);
    proto_sanitize(err->msg);
    return s;
}

/* ---- webhooks (supervisors; the server never sends a secret back) ------ */

/* POST /v1/hooks: the secret goes in this one body, cleansed once sent.
 * Sent once: adding is not idempotent, and a retry after a lost reply
 * would add the hook twice. */
static enum so_status r_hook_add(struct queue *q, const struct so_hook *h,
                                 int64_t *id, struct so_error *err)
{
    struct reply rep;
    struct so_error perr;
    char *text = json_take_text(proto_hook_add_to_json(h));
    enum so_status s = http_call(R(q), "/v1/hooks", text, 1, &rep, err);
    OPENSSL_cleanse(text, strlen(text));
    free(text);
    if (s == SO_OK &&
        (!rep.json || json_get_int(rep.json, "", "id", JSON_REQUIRED, 1,
                                   JSON_MAX_SAFE_INT, id, &perr) != SO_OK))
        s = so_fail(err, SO_ERR_PROTOCOL, "%s: unreadable hook: %s",
                    R(q)->base, rep.json ? perr.msg : "empty reply");
    cJSON_Delete(rep.json);
    return s;
}

static enum so_status r_hook_list(struct queue *q, struct so_hook **out,
                                  size_t *n, struct so_error *err)
{
    struct reply rep;
    const cJSON *a = NULL, *it;
    struct so_error perr;
    *out = NULL;
    *n = 0;
    enum so_status s = http_get(R(q), "/v1/hooks", &rep, err);
    if (s == SO_OK && (!rep.json ||
                       json_get_array(rep.json, "", "hooks", JSON_REQUIRED,
                                      REMOTE_MAX_HOOKS, &a, &perr) != SO_OK))
        s = so_fail(err, SO_ERR_PROTOCOL, "%s: unreadable hooks", R(q)->base);
    if (s == SO_OK) {
        *out = xcalloc((size_t)cJSON_GetArraySize(a) + 1, sizeof **out);
        cJSON_ArrayForEach(it, a) {
            if (proto_hook_from_json(it, &(*out)[*n], &perr) != SO_OK) {
                s = so_fail(err, SO_ERR_PROTOCOL, "%s: hook: %s", R(q)->base,
                            perr.msg);
                break;
            }
            (*n)++;
        }
    }
    if (s != SO_OK) {
        while (*n)
            so_hook_clear(&(*out)[--*n]);
        free(*out);
        *out = NULL;
    }
    cJSON_Delete(rep.json);
    return s;
}

/* "/v1/hooks/ID/verb". Caller frees. */
static char *hook_path(int64_t id, const char *verb)
{
    return xasprintf("/v1/hooks/%lld/%s", (long long)id, verb);
}

static enum so_status r_hook_enable(struct queue *q, int64_t id, int on,
                                    struct so_error *err)
{
    struct reply rep;
    char *path = hook_path(id, on ? "enable" : "disable");
    enum so_status s = http_post(R(q), path, json_new_object(), &rep, err);
    cJSON_Delete(rep.json);
    free(path);
    return s;
}

static enum so_status r_hook_replay(struct queue *q, int64_t id, int64_t from,
                                    int64_t *n, struct so_error *err)
{
    struct reply rep;
    char *path = hook_path(id, "replay");
    cJSON *j = json_new_object();
    json_add_int(j, "from", from);
    enum so_status s = http_post(R(q), path, j, &rep, err);
    if (s == SO_OK)
        s = reply_int(R(q), &rep, "queued", n, err);
    cJSON_Delete(rep.json);
    free(path);
    return s;
}

/* POST /v1/hooks/{id}/test: the server sends the ping (it holds the
 * secret). Once: a lost reply is not worth a second ping. */
static enum so_status r_hook_ping(struct queue *q, int64_t id,
                                  struct so_hook_ping *out,
                                  struct so_error *err)
{
    struct reply rep;
    struct so_error perr;
    char *path = hook_path(id, "test");
    enum so_status s = http_call(R(q), path, "{}", 1, &rep, err);
    if (s == SO_OK && (!rep.json || proto_hook_ping_from_json(rep.json, out,
                                                              &perr) != SO_OK))
        s = so_fail(err, SO_ERR_PROTOCOL, "%s: unreadable hook test: %s",
                    R(q)->base, rep.json ? perr.msg : "empty reply");
    cJSON_Delete(rep.json);
    free(path);
    return s;
}

static enum so_status r_hook_log(struct queue *q, int64_t id, int failed_only,
                                 int limit, struct so_hook_attempt **out,
                                 size_t *n, struct so_error *err)
{
    struct reply rep;
    struct so_error perr;
    char *base = hook_path(id, "log");
    char *path = xasprintf("%s?limit=%d%s", base, limit,
                           failed_only ? "&failed=1" : "");
    *out = NULL;
    *n = 0;
    enum so_status s = http_get(R(q), path, &rep, err);
    if (s == SO_OK && (!rep.json || proto_attempts_from_json(rep.json, out, n,
                                                             &perr) != SO_OK))
        s = so_fail(err, SO_ERR_PROTOCOL, "%s: unreadable hook log: %s",
                    R(q)->base, rep.json ? perr.msg : "empty reply");
    cJSON_Delete(rep.json);
    free(path);
    free(base);
    return s;
}

static void headers_free(struct curl_slist *h)
{
    for (struct curl_slist *p = h; p; p = p->next)
        OPENSSL_cleanse(p->data, strlen(p->data));
    curl_slist_free_all(h);
}

static void r_close(struct queue *q)
{
    struct remote *r = R(q);
    if (r) {
        curl_easy_cleanup(r->curl);
        headers_free(r->headers);
        outbox_close(r->ob);
        buf_free(&r->reply);
        free(r->base);
        free(r->who);
        free(r);
    }
    free(q->spec);
    free(q->reviewer);
    free(q);
}

static const struct queue_ops remote_ops = {
    .name = "http",
    .claim = r_claim,
    .renew = r_renew,
    .release = r_release,
    .decide = r_decide,
    .undo = r_undo,
    .get = r_get,
    .list = r_list,
    .count = r_count,
    .decisions = r_decisions,
    .enqueue = r_enqueue,
    .my_today = r_my_today,
    .my_decisions = r_my_decisions,
    .reassign = r_reassign,
    .rollup = r_rollup,
    .agreement = r_agreement,
    .workflow_list = r_workflow_list,
    .workflow_get = r_workflow_get,
    .workflow_set = r_workflow_set,
    .workflow_pause = r_workflow_pause,
    .has_outbox = 1,
    .unsent = r_unsent,
    .sync = r_sync,
    .close = r_close,
    .events = r_events,
    .applied = r_applied,
    .hook_add = r_hook_add,
    .hook_list = r_hook_list,
    .hook_enable = r_hook_enable,
    .hook_replay = r_hook_replay,
    .hook_log = r_hook_log,
    .hook_ping = r_hook_ping,
};

/* ---- opening ------------------------------------------------------------ */

/* The token file: the option (the CLI fills it from --token-file,
 * $SIGNOFF_TOKEN_FILE or the config), else $SIGNOFF_TOKEN_FILE for callers
 * that open a queue without the CLI. The environment names a file; the
 * token itself never travels in arguments or the environment. */
static const char *token_file(const struct queue_opts *o)
{
    const char *env = getenv("SIGNOFF_TOKEN_FILE");
    return o->token_file ? o->token_file : env && *env ? env : NULL;
}

/* The Authorization header from the token file (mode 0600 required), and
 * the identity that owns this client's outbox rows: the token's SHA-256. */
static enum so_status auth_header(const char *url, const char *path,
                                  struct curl_slist **headers,
                                  char ident[65], struct so_error *err)
{
    struct stat st;
    if (!path)
        return so_fail(err, SO_ERR_AUTH,
                       "%s: no token: set $SIGNOFF_TOKEN_FILE to the file "
                       "holding it, or token_file in the config",
                       url);
    if (stat(path, &st) == 0 && (st.st_mode & 077))
        return so_fail(err, SO_ERR_AUTH,
                       "%s: readable by group or others; chmod 600 it", path);
    char *text = NULL;
    size_t len = 0;
    enum so_status s = so_read_file(path, REMOTE_TOKEN_MAX, &text, &len, err);
    if (s != SO_OK)
        return s;
    while (len && (text[len - 1] == '\n' || text[len - 1] == '\r' ||
                   text[len - 1] == ' '))
        text[--len] = '\0';
    int ok = len > 0;
    for (size_t i = 0; i < len; i++)
        ok &= text[i] > 0x20 && text[i] < 0x7f;
    if (ok) {
        audit_sha256_hex(text, len, ident);
        char *h = xasprintf("Authorization: Bearer %s", text);
        *headers = curl_slist_append(*headers, h);
        OPENSSL_cleanse(h, strlen(h));
        free(h);
    } else {
        s = so_fail(err, SO_ERR_AUTH,
                    "%s: expected one token of printable characters", path);
    }
    OPENSSL_cleanse(text, len);
    free(text);
    return s;
}

/* Ask the server who the token belongs to. */
static enum so_status whoami(struct remote *r, struct queue *q,
                             struct so_error *err)
{
    struct reply rep;
    const char *name = NULL, *role = NULL;
    struct so_error perr;
    enum so_status s = http_get(r, "/v1/me", &rep, err), rs = SO_OK;
    if (s == SO_OK && rep.json)
        rs = json_get_string(rep.json, "", "role", JSON_OPTIONAL, 32, &role,
                             &perr);
    if (s == SO_OK &&
        (!rep.json || json_get_string(rep.json, "", "reviewer", JSON_REQUIRED,
                                      SO_MAX_ID, &name, &perr) != SO_OK ||
         (rs != SO_OK && rs != SO_EMPTY)))
        s = so_fail(err, SO_ERR_PROTOCOL, "%s: unreadable /v1/me reply",
                    r->base);
    if (s == SO_OK) {
        q->reviewer = xstrdup(name);
        q->supervisor = role && strcmp(role, "supervisor") == 0;
        r->who = xasprintf("%s\t%s", name, role ? role : "");
    }
    cJSON_Delete(rep.json);
    return s;
}

static struct remote *remote_new(const char *url)
{
    struct remote *r = xcalloc(1, sizeof *r);
    size_t len = strlen(url);
    while (len && url[len - 1] == '/')
        len--;
    r->base = xstrndup(url, len);
    buf_init(&r->reply);
    r->timeout_ms = env_timeout_ms();
    r->rng = (uint32_t)so_now_ms() ^ ((uint32_t)getpid() << 16) ^ 0x9e3779b9u;
    return r;
}

enum so_status remote_open(const char *url, const struct queue_opts *opts,
                           struct queue **out, struct so_error *err)
{
    struct remote *r = remote_new(url);
    struct queue *q = xcalloc(1, sizeof *q);
    q->ops = &remote_ops;
    q->impl = r;
    q->spec = xstrdup(url);
    r->q = q;
    r->interactive = opts->interactive;
    enum so_status s =
        auth_header(url, token_file(opts), &r->headers, r->ident, err);
    if (s == SO_OK) {
        r->headers = curl_slist_append(r->headers,
                                       "Content-Type: application/json");
        r->headers = curl_slist_append(r->headers, "Accept: application/json");
        r->headers = curl_slist_append(r->headers, "Expect:");
        r->curl = curl_easy_init();
        if (!r->curl)
            s = so_fail(err, SO_ERR, "%s: cannot start libcurl", url);
    }
    if (s == SO_OK) {
        curl_setup(r, opts->ca_file);
        s = whoami(r, q, err);
        /* "unknown token" alone says neither which server nor which file */
        if (s == SO_ERR_AUTH && err) {
            char *why = xstrdup(err->msg);
            so_fail(err, s, "%s: %s (the token in %s)", url, why,
                    token_file(opts));
            free(why);
        }
    }
    /* A caller that can work offline (decide: the outbox keeps it) gets
     * the queue with no reviewer while the server is away. */
    if (s == SO_ERR_NETWORK && opts->offline_ok) {
        went_offline(r);
        s = SO_OK;
    }
    if (s != SO_OK) {
        r_close(q);
        return s;
    }
    *out = q;
    return SO_OK;
}
