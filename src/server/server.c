/*
 * server: protocol v1 over the SQLite store (see server.h and
 * docs/protocol.md). libmicrohttpd runs a pool of polling threads; every
 * connection passes through the guard (guard.h: connections per address,
 * the request-head deadline, bodies in memory). A request is judged on its
 * head (route, token, size) before any body is read; an admitted body is
 * gathered (and capped) as it streams in, then one route handler runs on a store handle borrowed from a small pool keyed by
 * reviewer, so the store acts as the token's reviewer and no SQLite handle
 * is used by two threads at once. Never prints (the access log goes to a
 * callback), never logs or echoes a token.
 */
#define _GNU_SOURCE
#include "signoff/server/server.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "signoff/agreement.h"
#include "signoff/backends.h"
#include "signoff/draft_json.h"
#include "signoff/json.h"
#include "signoff/names.h"
#include "signoff/server/authfail.h"
#include "signoff/server/guard.h"
#include "signoff/server/longpoll.h"
#include "signoff/server/offload.h"
#include "signoff/server/metrics.h"
#include "signoff/stats.h"
#include "signoff/remote/protocol.h"
#include "signoff/remote/webhook_send.h"
#include "signoff/token.h"
#include "signoff/webhook.h"

#define SERVER_DISCARD_MAX ((size_t)2 * SERVER_MAX_BODY) /* then cut the client off */
/* A request line is read into libmicrohttpd's connection memory (32 KiB by
 * default): a longer distance than this is not one line (target_raw_nul). */
#define SERVER_MAX_TARGET ((size_t)64 << 10)
#define SERVER_DRAIN_MS 10000 /* how long SIGTERM waits for in-flight work */
/* The longest a request waits for another process's write lock before it
 * is answered 503 with Retry-After (reads in WAL mode never wait for it). */
#define SERVER_WRITE_WAIT_MS 1000
#define ROLES_ALL                                                              \
    (SERVER_ROLE_REVIEWER | SERVER_ROLE_SUPERVISOR | SERVER_ROLE_PRODUCER)
#define ROLES_REVIEW (SERVER_ROLE_REVIEWER | SERVER_ROLE_SUPERVISOR)

/* ---- tokens ---------------------------------------------------------- */

static const struct {
    unsigned bit;
    const char *name;
} role_names[] = {
#define SERVER_X_ROLE(id, bit, name) {bit, name},
    SERVER_ROLE_LIST(SERVER_X_ROLE)
#undef SERVER_X_ROLE
};

static const char *role_name(unsigned bit)
{
    for (size_t i = 0; i < SO_ARRAY_LEN(role_names); i++)
        if (role_names[i].bit == bit)
            return role_names[i].name;
    return "?";
}

static unsigned role_from_name(const char *s)
{
    for (size_t i = 0; i < SO_ARRAY_LEN(role_names); i++)
        if (strcmp(role_names[i].name, s) == 0)
            return role_names[i].bit;
    return 0;
}

/* Free what one identity holds (the secret cleansed first). */
static void identity_clear(struct server_token *t)
{
    if (t->token)
        OPENSSL_cleanse(t->token, strlen(t->token));
    free(t->token);
    free(t->reviewer);
    free(t->id);
    free(t->scope);
    memset(t, 0, sizeof *t);
}

void server_tokens_free(struct server_tokens *t)
{
    for (size_t i = 0; i < t->n; i++)
        identity_clear(&t->v[i]);
    free(t->v);
    t->v = NULL;
    t->n = 0;
}

/* Parse one non-comment line into t; messages never quote the token. */
static enum so_status token_line(const char *path, int lineno, char *line,
                                 struct server_tokens *t, struct so_error *err)
{
    char *save = NULL;
    char *tok = strtok_r(line, " \t\r\n", &save);
    if (!tok || *tok == '#')
        return SO_OK;
    char *rev = strtok_r(NULL, " \t\r\n", &save);
    char *role = rev ? strtok_r(NULL, " \t\r\n", &save) : NULL;
    if (!role || strtok_r(NULL, " \t\r\n", &save))
        return so_fail(err, SO_ERR_INVALID,
                       "%s:%d: expected `token reviewer role`", path, lineno);
    unsigned bit = role_from_name(role);
    if (!bit)
        return so_fail(err, SO_ERR_INVALID,
                       "%s:%d: role must be reviewer, supervisor or producer",
                       path, lineno);
    struct so_error why;
    if (so_token_strength(tok, &why) != SO_OK)
        return so_fail(err, SO_ERR_INVALID, "%s:%d: %s", path, lineno,
                       why.msg);
    if (names_check_reviewer("reviewer", rev, &why) != SO_OK)
        return so_fail(err, SO_ERR_INVALID, "%s:%d: %s", path, lineno,
                       why.msg);
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->v[i].token, tok) == 0)
            return so_fail(err, SO_ERR_INVALID,
                           "%s:%d: token repeated from an earlier line", path,
                           lineno);
    char hash[65];
    so_token_hash(tok, hash);
    hash[12] = '\0';
    t->v = xrealloc(t->v, (t->n + 1) * sizeof *t->v);
    t->v[t->n++] = (struct server_token){xstrdup(tok), xstrdup(rev), bit,
                                         xasprintf("f_%s", hash), NULL};
    return SO_OK;
}

enum so_status server_tokens_load(const char *path, struct server_tokens *out,
                                  struct so_error *err)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "r");
    if (!f)
        return so_fail(err, SO_ERR_IO, "%s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || (st.st_mode & 077)) {
        fclose(f);
        return so_fail(err, SO_ERR_FORBIDDEN,
                       "%s: readable by group or others; chmod 600 it", path);
    }
    char *line = NULL;
    size_t cap = 0;
    int lineno = 0;
    enum so_status s = SO_OK;
    while (s == SO_OK && getline(&line, &cap, f) >= 0)
        s = token_line(path, ++lineno, line, out, err);
    if (line)
        OPENSSL_cleanse(line, cap);
    free(line);
    fclose(f);
    if (s == SO_OK && out->n == 0)
        s = so_fail(err, SO_ERR_INVALID, "%s: no tokens", path);
    if (s != SO_OK)
        server_tokens_free(out);
    return s;
}

/* The secret of an `Authorization: Bearer X` header, or NULL. */
static const char *bearer_of(const char *header)
{
    static const char bearer[] = "Bearer ";
    if (!header || strncmp(header, bearer, sizeof bearer - 1) != 0)
        return NULL;
    return header + sizeof bearer - 1;
}

/* The file token given, compared in constant time so response timing does
 * not leak how much of a guess was right. */
static const struct server_token *token_find(const struct server_tokens *t,
                                             const char *given)
{
    size_t len = strlen(given);
    const struct server_token *found = NULL;
    for (size_t i = 0; i < t->n; i++)
        if (t->v[i].token && strlen(t->v[i].token) == len &&
            CRYPTO_memcmp(t->v[i].token, given, len) == 0)
            found = &t->v[i];
    return found;
}

/* ---- store handles ----------------------------------------------------- */

/* One open store handle, acting as one reviewer in one role. */
struct slot {
    char *reviewer;
    int supervisor; /* opened with role supervisor (four-eyes) */
    struct queue *q;
    int busy;
    int64_t used; /* mono ms of the last release, for eviction */
};

struct pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct slot *slots;
    size_t n;
    const char *path;
    int sync_normal;
};

static void pool_init(struct pool *p, const char *path, size_t n,
                      int sync_normal)
{
    p->sync_normal = sync_normal;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    p->slots = xcalloc(n, sizeof *p->slots);
    p->n = n;
    p->path = path;
}

static void pool_destroy(struct pool *p)
{
    for (size_t i = 0; i < p->n; i++) {
        queue_close(p->slots[i].q);
        free(p->slots[i].reviewer);
    }
    free(p->slots);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
}

/* A free slot already acting as reviewer, else the least recently used
 * free slot (its handle to be replaced); NULL when all are busy. */
static struct slot *pool_pick(struct pool *p, const char *reviewer,
                              int supervisor, int *reuse)
{
    struct slot *lru = NULL;
    for (size_t i = 0; i < p->n; i++) {
        struct slot *s = &p->slots[i];
        if (s->busy)
            continue;
        if (s->q && strcmp(s->reviewer, reviewer) == 0 &&
            s->supervisor == supervisor) {
            *reuse = 1;
            return s;
        }
        if (!lru || !s->q || (lru->q && s->used < lru->used))
            lru = s;
    }
    *reuse = 0;
    return lru;
}

/* Borrow a store handle acting as reviewer (waits while all are busy). */
static struct slot *pool_acquire(struct pool *p, const char *reviewer,
                                 int supervisor, struct so_error *err)
{
    int reuse = 0;
    pthread_mutex_lock(&p->mu);
    struct slot *s;
    while (!(s = pool_pick(p, reviewer, supervisor, &reuse)))
        pthread_cond_wait(&p->cv, &p->mu);
    s->busy = 1;
    pthread_mutex_unlock(&p->mu);
    if (reuse)
        return s;
    queue_close(s->q);
    free(s->reviewer);
    s->q = NULL;
    s->reviewer = xstrdup(reviewer);
    s->supervisor = supervisor;
    struct queue_opts o = {.reviewer = reviewer,
                           .sync_normal = p->sync_normal,
                           .role = supervisor ? "supervisor" : "reviewer",
                           .busy_ms = SERVER_WRITE_WAIT_MS,
                           .no_write_probe = 1};
    if (queue_open(p->path, &o, &s->q, err) == SO_OK)
        return s;
    s->q = NULL;
    pthread_mutex_lock(&p->mu);
    s->busy = 0;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static void pool_release(struct pool *p, struct slot *s)
{
    pthread_mutex_lock(&p->mu);
    s->busy = 0;
    s->used = so_mono_ms();
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

/* ---- the daemon and one request ---------------------------------------- */

struct server {
    struct MHD_Daemon *daemon;
    struct server_tokens tokens;
    struct pool pool;
    struct metrics *metrics;
    char *queue_path;
    void (*log)(void *arg, const char *line);
    void *log_arg;
    int log_json; /* --log-format json */
    int hooks_private; /* POST /v1/hooks may set allow_private */
    enum so_status (*hook_ping)(const struct so_hook *h,
                                struct so_hook_ping *out,
                                struct so_error *err); /* server_opts */
    struct guard *guard; /* connection limits, head deadline, body cap */
    struct authfail *authfail; /* failed authentications per address */
    pthread_mutex_t mu;  /* guards inflight and the mhd_ fields */
    int64_t mhd_logged_at; /* mono ms of the last libmicrohttpd message */
    unsigned mhd_unsaid;   /* its messages left out since */
    struct longpoll *longpoll; /* suspended GET /v1/events */
    struct offload *offload;   /* the threads that run writes (offload.h) */
    volatile int stopping;     /* set by server_stop: answer, never wait */
    pthread_cond_t idle;
    int inflight; /* requests whose headers arrived and are not done */
};

/* What MHD keeps for us per request (its con_cls). */
struct request {
    struct buf body;
    size_t received; /* body bytes seen, kept or not */
    size_t held;     /* body bytes counted against the guard's cap */
    int reserved;    /* held is the declared length, reserved at once */
    int64_t t0_us;
    int answered; /* a reply was queued early: ignore the rest */
    int route;    /* index in routes[], decided from the head */
    int started;  /* the access handler has seen its head */
    char *target; /* the request target as sent, still percent-encoded */
    const char *target_at; /* where libmicrohttpd holds it (raw_nul) */
    int raw_nul;           /* a NUL byte was sent inside the target */
    char *path;   /* its path (before any '?') */
    char *arg;    /* the route's {arg}, decoded (owned) */
    const struct server_token *who;
    struct call *job; /* a write run by the offload threads, to answer */
    struct server_token own; /* who, when a queue token (token.h) */
    int64_t poll_deadline; /* GET /v1/events waiting: mono ms, else 0 */
    int64_t poll_after;    /* its cursor, advanced past filtered records */
};

/* One routed call: inputs, the borrowed store handle and the reply. */
struct call {
    struct server *srv;
    struct MHD_Connection *con;
    const char *arg; /* the {id} or {name} segment, or NULL */
    const struct server_token *who;
    struct queue *q;
    const char *body;
    size_t len;
    int status;
    char *out;         /* reply body (malloc'd), NULL for none */
    const char *ctype; /* NULL: application/json */
    int retry_after;   /* seconds, 0 for none */
    const char *allow; /* methods of the path, for a 405 */
    struct request *rq;
    int suspend; /* the handler asks to wait (long poll): no reply yet */
    const char *const *keys; /* the members its body takes (route's) */
};

struct route;
static void scope_refuse(struct call *c, const struct route *r);

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void call_json(struct call *c, int status, cJSON *j)
{
    c->status = status;
    free(c->out);
    c->out = proto_print(j);
    cJSON_Delete(j);
}

static void call_fail(struct call *c, enum so_status code, const char *msg)
{
    c->status = proto_http_status(code);
    free(c->out);
    c->out = proto_error_body(code, msg);
    if (code == SO_ERR_BUSY)
        c->retry_after = 1;
}

/* A store error as the reply. Store messages lead with the queue file's
 * path, which is the server's business, not the client's: "queue: ...". */
static void call_err(struct call *c, const struct so_error *err)
{
    const char *path = c->srv->queue_path;
    size_t n = strlen(path);
    if (strncmp(err->msg, path, n) == 0 &&
        strncmp(err->msg + n, ": ", 2) == 0) {
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "queue: %s", err->msg + n + 2);
        call_fail(c, err->code, msg);
        return;
    }
    call_fail(c, err->code, err->msg);
}

/* The request body as a JSON object ({} when empty) with only the members
 * its route takes (struct route's keys); 0 on success, else the 400 reply
 * is set, naming the member, before the handler has changed anything. */
static int call_body(struct call *c, cJSON **out)
{
    struct so_error err;
    *out = NULL;
    if (c->len == 0) {
        *out = cJSON_CreateObject();
        return 0;
    }
    if (proto_parse(c->body, c->len, out, &err) == SO_OK &&
        (!c->keys || json_only_keys(*out, "", c->keys, &err) == SO_OK))
        return 0;
    cJSON_Delete(*out);
    *out = NULL;
    call_fail(c, SO_ERR_INVALID, err.msg);
    return -1;
}

static const char *query(struct call *c, const char *name)
{
    return MHD_lookup_connection_value(c->con, MHD_GET_ARGUMENT_KIND, name);
}

/* A numeric query parameter in [min,max] (def when absent); -1 and a 400
 * reply naming the parameter when malformed or out of range. Every bound
 * is at most 2^53-1 (JSON_MAX_SAFE_INT), so what the store computes from
 * the value cannot overflow. */
static int query_int(struct call *c, const char *name, int64_t min,
                     int64_t max, int64_t def, int64_t *out)
{
    const char *v = query(c, name);
    long n = 0;
    *out = def;
    if (!v)
        return 0;
    if (so_parse_long(v, (long)min, (long)max, &n) == 0) {
        *out = n;
        return 0;
    }
    char msg[128];
    snprintf(msg, sizeof msg, "%s: expected a whole number in [%lld, %lld]",
             name, (long long)min, (long long)max);
    call_fail(c, SO_ERR_INVALID, msg);
    return -1;
}

/* since and until of /v1/stats and /v1/agreement: epoch ms up to 2^53-1,
 * since not after until; -1 and a 400 reply otherwise. */
static int query_span(struct call *c, int64_t *since, int64_t *until)
{
    if (query_int(c, "since", 0, JSON_MAX_SAFE_INT, 0, since) ||
        query_int(c, "until", 0, JSON_MAX_SAFE_INT, 0, until))
        return -1;
    if (*since && *until && *since > *until) {
        call_fail(c, SO_ERR_INVALID, "since: after until");
        return -1;
    }
    return 0;
}

static int query_conf(struct call *c, const char *name, double *out)
{
    const char *v = query(c, name);
    *out = -1;
    if (!v || so_parse_double(v, 0, 1, out) == 0)
        return 0;
    call_fail(c, SO_ERR_INVALID, "confidence bounds must be in [0, 1]");
    return -1;
}

static int query_flag(struct call *c, const char *name)
{
    const char *v = query(c, name);
    return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
}

/* ---- route handlers ---------------------------------------------------- */

static cJSON *wrap_draft(const struct so_draft *d)
{
    cJSON *j = json_new_object();
    json_add_item(j, "draft", proto_draft_to_json(d));
    return j;
}

static void h_claim(struct call *c)
{
    cJSON *j;
    if (call_body(c, &j))
        return;
    struct so_claim_req r;
    struct so_draft *d = NULL;
    struct so_error err;
    enum so_status s = proto_claim_req_from_json(j, &r, &err);
    if (s == SO_OK)
        s = c->q->ops->claim(c->q, &r, &d, &err);
    if (s == SO_OK)
        call_json(c, 200, wrap_draft(d));
    else if (s == SO_EMPTY)
        c->status = 204;
    else
        call_err(c, &err);
    so_draft_free(d);
    cJSON_Delete(j);
}

/* lease_token and lease_s of a renew or release body. */
static int lease_args(struct call *c, int64_t *token, int64_t *lease_ms)
{
    cJSON *j;
    if (call_body(c, &j))
        return -1;
    struct so_error err;
    int64_t secs = 0;
    enum so_status s = json_get_int(j, "", "lease_token", JSON_OPTIONAL, 0,
                                    JSON_MAX_SAFE_INT, token, &err);
    if (s == SO_OK || s == SO_EMPTY)
        s = json_get_int(j, "", "lease_s", JSON_OPTIONAL, 1, 86400, &secs,
                         &err);
    cJSON_Delete(j);
    *lease_ms = secs * 1000;
    if (s == SO_OK || s == SO_EMPTY)
        return 0;
    call_err(c, &err);
    return -1;
}

static void h_renew(struct call *c)
{
    int64_t token = 0, lease_ms = 0, until = 0;
    struct so_error err;
    if (lease_args(c, &token, &lease_ms))
        return;
    if (c->q->ops->renew(c->q, c->arg, token, lease_ms, &until, &err) !=
        SO_OK) {
        call_err(c, &err);
        return;
    }
    cJSON *j = json_new_object();
    json_add_int(j, "lease_until", until);
    call_json(c, 200, j);
}

static void h_release(struct call *c)
{
    int64_t token = 0, lease_ms = 0;
    struct so_error err;
    if (lease_args(c, &token, &lease_ms))
        return;
    if (c->q->ops->release(c->q, c->arg, token, &err) != SO_OK)
        call_err(c, &err);
    else
        c->status = 204;
}

/* POST /v1/drafts/{id}/reassign {"to": NAME|null, "lease_s": N}: a
 * supervisor's release (no "to") or reassignment. */
static void h_reassign(struct call *c)
{
    cJSON *j;
    if (call_body(c, &j))
        return;
    const char *to = NULL;
    int64_t secs = 0;
    struct so_error err;
    enum so_status s = json_get_string(j, "", "to", JSON_OPTIONAL, SO_MAX_ID,
                                       &to, &err);
    if (s == SO_OK || s == SO_EMPTY)
        s = json_get_int(j, "", "lease_s", JSON_OPTIONAL, 1, 86400, &secs,
                         &err);
    if (s == SO_OK || s == SO_EMPTY)
        s = c->q->ops->reassign(c->q, c->arg, to, secs * 1000, &err);
    if (s == SO_OK)
        c->status = 204;
    else
        call_err(c, &err);
    cJSON_Delete(j);
}

static void h_decision(struct call *c)
{
    cJSON *j;
    if (call_body(c, &j))
        return;
    struct so_decide_req r;
    struct so_decide_result res;
    struct so_claim_req next;
    struct so_error err;
    int want_next = 0;
    memset(&res, 0, sizeof res);
    enum so_status s = proto_decide_req_from_json(j, c->arg, &r, &err);
    if (s == SO_OK)
        s = proto_claim_next_from_json(j, &next, &want_next, &err);
    /* claim_next: the reply also carries the next claim and the counts
     * (one round trip per decision, docs/protocol.md). */
    if (s == SO_OK && want_next)
        r.claim_next = &next;
    if (s == SO_OK)
        s = c->q->ops->decide(c->q, &r, &res, &err);
    if (s == SO_OK)
        call_json(c, res.replayed ? 200 : 201,
                  proto_decide_result_to_json(&res));
    else
        call_err(c, &err);
    so_decide_result_clear(&res);
    cJSON_Delete(j);
}

/* The longest wait of GET /v1/events (below the connection timeout). */
#define EVENTS_MAX_WAIT_S 25

/* GET /v1/events: the feed after a cursor; with wait=S and nothing yet,
 * the request is suspended (longpoll.h) and this runs again when the head
 * moves or the wait is over. */
static void h_events(struct call *c)
{
    int64_t after, limit, wait;
    if (query_int(c, "after", 0, JSON_MAX_SAFE_INT, 0, &after) ||
        query_int(c, "limit", 1, 1000, 100, &limit) ||
        query_int(c, "wait", 0, EVENTS_MAX_WAIT_S, 0, &wait))
        return;
    const char *wf = query(c, "workflow");
    if (wf && (!*wf || strlen(wf) > SO_MAX_ID)) {
        call_fail(c, SO_ERR_INVALID, "workflow: empty or too long");
        return;
    }
    struct request *rq = c->rq;
    if (rq->poll_deadline == 0 && wait > 0)
        rq->poll_deadline = so_mono_ms() + wait * 1000;
    if (rq->poll_after > after)
        after = rq->poll_after;
    struct so_event_req req = {after, wf, (int)limit, 0};
    struct so_event_page p;
    struct so_error err;
    if (c->q->ops->events(c->q, &req, &p, &err) != SO_OK) {
        call_err(c, &err);
        return;
    }
    if (p.n == 0 && rq->poll_deadline > so_mono_ms() && !c->srv->stopping) {
        rq->poll_after = p.next_after;
        c->suspend = 1;
    } else {
        call_json(c, 200, proto_event_page_to_json(&p));
    }
    so_event_page_free(&p);
}

/* POST /v1/drafts/{id}/applied: the producer's action record. */
static void h_applied(struct call *c)
{
    cJSON *j;
    if (call_body(c, &j))
        return;
    struct so_applied_req r;
    struct so_decide_result res;
    struct so_error err;
    memset(&res, 0, sizeof res);
    enum so_status s = proto_applied_req_from_json(j, c->arg, &r, &err);
    if (s == SO_OK)
        s = c->q->ops->applied(c->q, &r, &res, &err);
    if (s == SO_OK)
        call_json(c, res.replayed ? 200 : 201,
                  proto_decide_result_to_json(&res));
    else
        call_err(c, &err);
    cJSON_Delete(j);
}

static void h_undo(struct call *c)
{
    cJSON *j;
    if (call_body(c, &j))
        return;
    const char *rid = NULL;
    struct so_draft *d = NULL;
    struct so_error err;
    enum so_status s = proto_request_id_from_json(j, &rid, &err);
    if (s == SO_OK)
        s = c->q->ops->undo(c->q, rid, &d, &err);
    if (s == SO_OK)
        call_json(c, 200, wrap_draft(d));
    else
        call_err(c, &err);
    so_draft_free(d);
    cJSON_Delete(j);
}

static void h_draft(struct call *c)
{
    struct so_draft *d = NULL;
    struct so_error err;
    if (c->q->ops->get(c->q, c->arg, &d, &err) == SO_OK)
        call_json(c, 200, wrap_draft(d));
    else
        call_err(c, &err);
    so_draft_free(d);
}

/* {"decisions":[...]} of v[0..n), which it frees. */
static cJSON *decisions_json(struct so_decision *v, size_t n)
{
    cJSON *a = json_new_array();
    for (size_t i = 0; i < n; i++) {
        cJSON_AddItemToArray(a, proto_decision_to_json(&v[i]));
        so_decision_clear(&v[i]);
    }
    free(v);
    cJSON *j = json_new_object();
    json_add_item(j, "decisions", a);
    return j;
}

static void h_decisions(struct call *c)
{
    struct so_decision *v = NULL;
    size_t n = 0;
    struct so_error err;
    if (c->q->ops->decisions(c->q, c->arg, &v, &n, &err) != SO_OK) {
        call_err(c, &err);
        return;
    }
    call_json(c, 200, decisions_json(v, n));
}

/* The listing filter from the query string; -1 and a 400 reply if bad. */
static int list_req(struct call *c, struct so_list_req *r)
{
    int64_t limit;
    memset(r, 0, sizeof *r);
    r->status = query(c, "status");
    r->workflow = query(c, "workflow");
    r->model = query(c, "model");
    r->text = query(c, "q");
    r->after = query(c, "after");
    r->grounding_only = query_flag(c, "grounding");
    r->escalated_only = query_flag(c, "escalated");
    r->mine = query_flag(c, "mine");
    const char *sla = query(c, "sla");
    if (sla && strcmp(sla, "due") != 0 && strcmp(sla, "rest") != 0) {
        call_fail(c, SO_ERR_INVALID, "sla: expected due or rest");
        return -1;
    }
    r->sla = !sla ? 0
             : strcmp(sla, "due") == 0 ? SO_LIST_SLA_DUE
                                       : SO_LIST_SLA_REST;
    if (query_int(c, "limit", 1, 1000, 100, &limit) ||
        query_conf(c, "conf_below", &r->conf_below) ||
        query_conf(c, "conf_atleast", &r->conf_atleast))
        return -1;
    r->limit = (int)limit;
    return 0;
}

static void h_list(struct call *c)
{
    struct so_list_req r;
    struct so_draft_page p = {0};
    struct so_error err;
    if (list_req(c, &r))
        return;
    if (c->q->ops->list(c->q, &r, &p, &err) == SO_OK)
        call_json(c, 200, proto_page_to_json(&p));
    else
        call_err(c, &err);
    so_draft_page_free(&p);
}

static void h_count(struct call *c)
{
    struct so_list_req r;
    struct so_error err;
    int64_t n = 0;
    if (list_req(c, &r))
        return;
    if (c->q->ops->count(c->q, &r, &n, &err) != SO_OK) {
        call_err(c, &err);
        return;
    }
    cJSON *j = json_new_object();
    json_add_int(j, "count", n);
    call_json(c, 200, j);
}

/* The JSON Lines of a POST /v1/drafts body: good drafts in *drafts, and
 * one result per non-empty line (line numbers in *lines). */
struct enq_batch {
    struct so_draft **drafts;
    size_t ndrafts;
    struct so_enq_result *results;
    size_t *lines;
    size_t *draft_of; /* result index -> draft index, or SIZE_MAX */
    size_t n;
};

static void batch_add(struct enq_batch *b, size_t line, struct so_draft *d,
                      const struct so_error *err)
{
    b->results = xrealloc(b->results, (b->n + 1) * sizeof *b->results);
    b->lines = xrealloc(b->lines, (b->n + 1) * sizeof *b->lines);
    b->draft_of = xrealloc(b->draft_of, (b->n + 1) * sizeof *b->draft_of);
    memset(&b->results[b->n], 0, sizeof b->results[b->n]);
    b->lines[b->n] = line;
    b->draft_of[b->n] = SIZE_MAX;
    if (d) {
        b->drafts = xrealloc(b->drafts, (b->ndrafts + 1) * sizeof *b->drafts);
        b->draft_of[b->n] = b->ndrafts;
        b->drafts[b->ndrafts++] = d;
    } else {
        b->results[b->n].outcome = SO_ENQ_FAILED;
        b->results[b->n].err = *err;
    }
    b->n++;
}

static void batch_free(struct enq_batch *b)
{
    for (size_t i = 0; i < b->ndrafts; i++)
        so_draft_free(b->drafts[i]);
    free(b->drafts);
    free(b->results);
    free(b->lines);
    free(b->draft_of);
}

static enum so_status batch_read(struct call *c, struct enq_batch *b,
                                 struct so_error *err)
{
    FILE *f = fmemopen((void *)c->body, c->len, "r");
    if (!f)
        return so_fail(err, SO_ERR_IO, "cannot read the body");
    struct draft_reader *r = draft_reader_new(f);
    struct so_draft *d;
    size_t line;
    struct so_error lerr;
    enum draft_read k;
    while ((k = draft_reader_next(r, &d, &line, &lerr)) != DRAFT_READ_END &&
           k != DRAFT_READ_IOERR)
        if (k != DRAFT_READ_EMPTY)
            batch_add(b, line, k == DRAFT_READ_OK ? d : NULL, &lerr);
    draft_reader_free(r);
    fclose(f);
    if (k == DRAFT_READ_IOERR)
        return so_fail(err, SO_ERR_IO, "%s", lerr.msg);
    return SO_OK;
}

static cJSON *batch_to_json(const struct enq_batch *b)
{
    static const char *const totals[] = {"added", "same", "replaced",
                                         "failed"};
    int64_t count[4] = {0};
    cJSON *a = json_new_array();
    for (size_t i = 0; i < b->n; i++) {
        const struct so_enq_result *r = &b->results[i];
        cJSON *o = proto_enq_result_to_json(r);
        json_add_int(o, "line", (int64_t)b->lines[i]);
        if (b->draft_of[i] != SIZE_MAX)
            json_add_string(o, "id", b->drafts[b->draft_of[i]]->id);
        cJSON_AddItemToArray(a, o);
        count[r->outcome]++;
    }
    cJSON *j = json_new_object();
    json_add_item(j, "results", a);
    for (int i = 0; i < 4; i++)
        json_add_int(j, totals[i], count[i]);
    return j;
}

static void h_enqueue(struct call *c)
{
    struct enq_batch b = {0};
    struct so_error err;
    enum so_status s = batch_read(c, &b, &err);
    struct so_enq_result *res = NULL;
    for (size_t i = 0; s == SO_OK && c->who->scope && i < b.ndrafts; i++)
        if (!so_token_scope_allows(c->who->scope, b.drafts[i]->workflow)) {
            batch_free(&b);
            scope_refuse(c, NULL);
            return;
        }
    if (s == SO_OK && b.ndrafts) {
        res = xcalloc(b.ndrafts, sizeof *res);
        s = c->q->ops->enqueue(c->q, b.drafts, b.ndrafts,
                               query_flag(c, "replace") ? SO_ENQ_REPLACE : 0,
                               res, &err);
    }
    if (s == SO_OK) {
        for (size_t i = 0; i < b.n; i++)
            if (b.draft_of[i] != SIZE_MAX)
                b.results[i] = res[b.draft_of[i]];
        call_json(c, 200, batch_to_json(&b));
    } else {
        call_err(c, &err);
    }
    free(res);
    batch_free(&b);
}

/* Gold checks (gold.h) are for supervisors: a reviewer who saw a gold
 * count move, or the pool shrink, as a draft arrived or was decided could
 * tell that draft was gold. Other tokens get none of their figures. */
static int call_supervisor(const struct call *c)
{
    return c->who && (c->who->role & SERVER_ROLE_SUPERVISOR) != 0;
}

static void hide_gold(const struct call *c, struct so_rollup *r,
                      struct so_workflow *w, size_t nw)
{
    if (call_supervisor(c))
        return;
    for (size_t i = 0; r && i < r->ngolds; i++) {
        free(r->golds[i].workflow);
        free(r->golds[i].reviewer);
    }
    if (r) {
        free(r->golds);
        r->golds = NULL;
        r->ngolds = 0;
    }
    for (size_t i = 0; i < nw; i++)
        w[i].gold_pool = w[i].gold_released = 0;
}

static void h_stats(struct call *c)
{
    int64_t since, until, fold;
    struct so_rollup r = {0};
    struct so_error err;
    if (query_span(c, &since, &until) ||
        query_int(c, "fold", 0, SO_FOLD_MODEL | SO_FOLD_REVIEWER, 0, &fold))
        return;
    struct so_stats_req req = {since, until, query(c, "workflow"),
                               (unsigned)fold};
    if (c->q->ops->rollup(c->q, &req, &r, &err) == SO_OK) {
        hide_gold(c, &r, NULL, 0);
        call_json(c, 200, proto_rollup_to_json(&r));
    } else {
        call_err(c, &err);
    }
    so_rollup_free(&r);
}

/* Four-eyes agreement cells and resolutions (agreement.h), same query as
 * /v1/stats without fold. */
static void h_agreement(struct call *c)
{
    int64_t since, until;
    struct so_agreement a = {0};
    struct so_error err;
    if (query_span(c, &since, &until))
        return;
    struct so_stats_req req = {since, until, query(c, "workflow"), 0};
    if (c->q->ops->agreement(c->q, &req, &a, &err) == SO_OK)
        call_json(c, 200, agreement_to_json(&a));
    else
        call_err(c, &err);
    agreement_free(&a);
}

static void h_workflows(struct call *c)
{
    struct so_workflow *v = NULL;
    size_t n = 0;
    struct so_error err;
    if (c->q->ops->workflow_list(c->q, &v, &n, &err) != SO_OK) {
        call_err(c, &err);
        return;
    }
    cJSON *a = json_new_array();
    hide_gold(c, NULL, v, n);
    for (size_t i = 0; i < n; i++) {
        cJSON_AddItemToArray(a, proto_workflow_to_json(&v[i]));
        so_workflow_clear(&v[i]);
    }
    free(v);
    cJSON *j = json_new_object();
    json_add_item(j, "workflows", a);
    call_json(c, 200, j);
}

static void h_workflow_get(struct call *c)
{
    struct so_workflow w = {0};
    struct so_error err;
    if (c->q->ops->workflow_get(c->q, c->arg, &w, &err) == SO_OK) {
        hide_gold(c, NULL, &w, 1);
        call_json(c, 200, proto_workflow_to_json(&w));
    } else {
        call_err(c, &err);
    }
    so_workflow_clear(&w);
}

/* The members of each item of a POST body's "reasons" (call_body checked
 * the body's own). */
static enum so_status reason_items_ok(const cJSON *j, struct so_error *err)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(j, "reasons"), *it;
    enum so_status s = SO_OK;
    int i = 0;
    if (!cJSON_IsArray(a))
        return SO_OK; /* proto_workflow_from_json names a bad one */
    cJSON_ArrayForEach(it, a)
    {
        char path[32];
        snprintf(path, sizeof path, "reasons[%d]", i++);
        if (cJSON_IsObject(it) && s == SO_OK)
            s = json_only_keys(it, path, proto_keys_reason, err);
    }
    return s;
}

/* A member that means something only beside another one is refused on
 * its own rather than silently ignored: the policy's parts without
 * "automate" (the policy is sent whole), "reason" without "automation" or
 * "owner" (a takeover's). */
static enum so_status members_alone(const cJSON *j, unsigned mask, int flip,
                                    struct so_error *err)
{
    static const char *const policy[] = {"automate_from", "sample_pct",
                                         "force", "policy_reason", NULL};
    for (int i = 0; policy[i] && !(mask & SO_WF_AUTOMATE); i++)
        if (cJSON_GetObjectItemCaseSensitive(j, policy[i]))
            return so_fail(err, SO_ERR_INVALID,
                           "%s: only with automate (the policy is sent "
                           "whole)",
                           policy[i]);
    if (!flip && !(mask & SO_WF_OWNER) &&
        cJSON_GetObjectItemCaseSensitive(j, "reason"))
        return so_fail(err, SO_ERR_INVALID,
                       "reason: only with automation (why it is paused or "
                       "resumed) or owner (why it is taken over)");
    return SO_OK;
}

/* Apply a POST body: the members and the switch's role and reason are
 * checked first; then the settings (creating the workflow) and the kill
 * switch when "automation" is present are one store call (SO_WF_SWITCH),
 * so a switch the store refuses (a resume by someone not the owner)
 * leaves the settings and the chain as they were. A switch alone is the
 * store's workflow_pause. */
static enum so_status workflow_apply(struct call *c, const cJSON *j,
                                     struct so_error *err)
{
    struct so_workflow w;
    unsigned mask = 0;
    const char *reason = NULL;
    int flip = cJSON_GetObjectItemCaseSensitive(j, "automation") != NULL;
    enum so_status s = reason_items_ok(j, err);
    if (s != SO_OK || (s = proto_workflow_from_json(j, &w, &mask, err)))
        return s;
    free(w.name);
    w.name = xstrdup(c->arg);
    s = members_alone(j, mask, flip, err);
    if (s == SO_OK)
        s = json_get_string(j, "", "reason", JSON_OPTIONAL, SO_MAX_FIELD,
                            &reason, err);
    if (s == SO_EMPTY)
        s = SO_OK;
    if (s == SO_OK && flip)
        s = queue_switch_check(c->q, c->arg, w.automation_paused,
                               reason ? reason : "", err);
    if (s == SO_OK && reason && (mask & SO_WF_OWNER))
        w.owner_reason = xstrdup(reason); /* a takeover's (the store says) */
    if (s == SO_OK && flip && mask) {
        free(w.automation_reason);
        w.automation_reason = xstrdup(reason);
        mask |= SO_WF_SWITCH;
    }
    if (s == SO_OK && mask)
        s = c->q->ops->workflow_set(c->q, &w, mask, err);
    else if (s == SO_OK && flip)
        s = queue_workflow_switch(c->q, c->arg, w.automation_paused, reason,
                                  err);
    so_workflow_clear(&w);
    return s;
}

static void h_workflow_post(struct call *c)
{
    cJSON *j;
    struct so_error err;
    if (call_body(c, &j))
        return;
    if (workflow_apply(c, j, &err) == SO_OK)
        h_workflow_get(c);
    else
        call_err(c, &err);
    cJSON_Delete(j);
}

static void h_me(struct call *c)
{
    int64_t today = 0;
    struct so_error err;
    if (c->q->ops->my_today(c->q, &today, &err) != SO_OK) {
        call_err(c, &err);
        return;
    }
    cJSON *j = json_new_object();
    json_add_string(j, "reviewer", c->who->reviewer);
    json_add_string(j, "role", role_name(c->who->role));
    json_add_int(j, "decided_today", today);
    call_json(c, 200, j);
}

/* GET /v1/me/decisions?since=MS&limit=N: the token's own decisions,
 * newest first (the reviewer UI's "my decisions" view). */
static void h_my_decisions(struct call *c)
{
    int64_t since = 0, limit = 0;
    if (query_int(c, "since", 0, JSON_MAX_SAFE_INT, 0, &since) ||
        query_int(c, "limit", 1, 1000, 100, &limit))
        return;
    struct so_decision *v = NULL;
    size_t n = 0;
    struct so_error err;
    if (c->q->ops->my_decisions(c->q, since, (int)limit, &v, &n, &err) !=
        SO_OK) {
        call_err(c, &err);
        return;
    }
    call_json(c, 200, decisions_json(v, n));
}

static void h_metrics(struct call *c)
{
    struct so_workflow *wf = NULL;
    size_t nwf = 0;
    struct so_rollup r = {0}, models = {0};
    struct so_stats_req all = {0, 0, NULL, SO_FOLD_MODEL | SO_FOLD_REVIEWER};
    int64_t now = so_now_ms();
    struct stats_window w;
    stats_window_for(METRICS_MODEL_WINDOW_MS, now, &w);
    struct so_stats_req by_model = {stats_window_since_ms(&w), 0, NULL,
                                    SO_FOLD_REVIEWER};
    struct so_error err;
    if (c->q->ops->workflow_list(c->q, &wf, &nwf, &err) != SO_OK ||
        c->q->ops->rollup(c->q, &all, &r, &err) != SO_OK ||
        c->q->ops->rollup(c->q, &by_model, &models, &err) != SO_OK) {
        call_err(c, &err);
    } else {
        struct buf b;
        buf_init(&b);
        hide_gold(c, &r, wf, nwf);
        metrics_render_queue(&b, wf, nwf, &r, now);
        metrics_render_models(&b, wf, nwf, &models, now);
        metrics_render_requests(c->srv->metrics, &b);
        c->status = 200;
        c->out = buf_steal(&b);
        c->ctype = "text/plain; version=0.0.4";
    }
    for (size_t i = 0; i < nwf; i++)
        so_workflow_clear(&wf[i]);
    free(wf);
    so_rollup_free(&r);
    so_rollup_free(&models);
}

static void h_healthz(struct call *c)
{
    c->status = 200;
    c->out = xstrdup("{\"status\":\"ok\"}");
}

/* ---- webhooks (supervisors) -------------------------------------------- */

/* The hook {arg} names, into *out: 0, or -1 with the 404 set (an id that
 * is not a number names no hook either). */
static int hook_of(struct call *c, struct so_hook *out)
{
    long id = 0;
    struct so_hook *v = NULL;
    size_t n = 0;
    struct so_error err;
    memset(out, 0, sizeof *out);
    if (so_parse_long(c->arg, 1, INT32_MAX, &id) != 0) {
        call_fail(c, SO_ERR_NOTFOUND, "no such hook");
        return -1;
    }
    if (c->q->ops->hook_list(c->q, &v, &n, &err) != SO_OK) {
        call_err(c, &err);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if (v[i].id == id && !out->id)
            *out = v[i];
        else
            so_hook_clear(&v[i]);
    }
    free(v);
    if (out->id)
        return 0;
    char msg[64];
    snprintf(msg, sizeof msg, "hook %ld: no such hook", id);
    call_fail(c, SO_ERR_NOTFOUND, msg);
    return -1;
}

/* Reply with the hook {arg} as it is now (never its secret). */
static void hook_reply(struct call *c, int status)
{
    struct so_hook h;
    if (hook_of(c, &h) == 0)
        call_json(c, status, proto_hook_to_json(&h));
    so_hook_clear(&h);
}

static void h_hooks(struct call *c)
{
    struct so_hook *v = NULL;
    size_t n = 0;
    struct so_error err;
    if (c->q->ops->hook_list(c->q, &v, &n, &err) != SO_OK) {
        call_err(c, &err);
        return;
    }
    cJSON *a = json_new_array();
    for (size_t i = 0; i < n; i++) {
        cJSON_AddItemToArray(a, proto_hook_to_json(&v[i]));
        so_hook_clear(&v[i]);
    }
    free(v);
    cJSON *j = json_new_object();
    json_add_item(j, "hooks", a);
    call_json(c, 200, j);
}

/* POST /v1/hooks: the body holds the secret, kept in the queue and never
 * answered, logged or quoted. allow_private only where the server allows
 * it (serve --allow-private-hooks): else a supervisor's token could make
 * the server POST into its own network. */
static void h_hook_add(struct call *c)
{
    cJSON *j;
    struct so_hook h;
    struct so_error err;
    int64_t id = 0;
    c->keys = NULL; /* checked below, once the secret is wiped */
    int unread = call_body(c, &j);
    OPENSSL_cleanse((void *)c->body, c->len); /* it holds the secret */
    if (unread)
        return;
    enum so_status s = json_only_keys(j, "", proto_keys_hook_add, &err);
    if (s == SO_OK)
        s = proto_hook_add_from_json(j, &h, &err);
    else
        memset(&h, 0, sizeof h);
    const cJSON *given = cJSON_GetObjectItemCaseSensitive(j, "secret");
    if (cJSON_IsString(given))
        OPENSSL_cleanse(given->valuestring, strlen(given->valuestring));
    cJSON_Delete(j);
    if (s == SO_OK)
        s = webhook_hook_check(&h, &err);
    if (s == SO_OK)
        s = webhook_url_check_private(h.url, h.allow_private, "allow_private",
                                      &err);
    if (s == SO_OK && h.allow_private && !c->srv->hooks_private)
        s = so_fail(&err, SO_ERR_FORBIDDEN,
                    "allow_private: this server does not let hooks reach "
                    "private or loopback addresses over HTTP (its operator "
                    "starts it with that allowed)");
    if (s == SO_OK)
        s = c->q->ops->hook_add(c->q, &h, &id, &err);
    so_hook_clear(&h);
    if (s != SO_OK) {
        call_err(c, &err);
        return;
    }
    char arg[24];
    snprintf(arg, sizeof arg, "%lld", (long long)id);
    c->arg = arg;
    hook_reply(c, 201);
    c->arg = NULL;
}

/* A route that needs no body got none, or {} (call_body refuses any
 * member): 1, else 0 with the 400 reply set. */
static int hook_no_body(struct call *c)
{
    cJSON *j;
    if (call_body(c, &j))
        return 0;
    cJSON_Delete(j);
    return 1;
}

/* POST /v1/hooks/{id}/enable and /disable. */
static void hook_switch(struct call *c, int on)
{
    struct so_hook h;
    struct so_error err;
    if (!hook_no_body(c) || hook_of(c, &h) != 0)
        return;
    enum so_status s = c->q->ops->hook_enable(c->q, h.id, on, &err);
    so_hook_clear(&h);
    if (s == SO_OK)
        hook_reply(c, 200);
    else
        call_err(c, &err);
}

static void h_hook_enable(struct call *c)
{
    hook_switch(c, 1);
}

static void h_hook_disable(struct call *c)
{
    hook_switch(c, 0);
}

/* POST /v1/hooks/{id}/replay {"from": SEQ}. */
static void h_hook_replay(struct call *c)
{
    cJSON *j;
    struct so_hook h;
    struct so_error err;
    int64_t from = 0, n = 0;
    if (hook_of(c, &h) != 0)
        return;
    int64_t id = h.id;
    so_hook_clear(&h);
    if (call_body(c, &j))
        return;
    enum so_status s = json_get_int(j, "", "from", JSON_REQUIRED, 0,
                                    JSON_MAX_SAFE_INT, &from, &err);
    cJSON_Delete(j);
    if (s == SO_OK)
        s = c->q->ops->hook_replay(c->q, id, from, &n, &err);
    if (s != SO_OK) {
        call_err(c, &err);
        return;
    }
    cJSON *o = json_new_object();
    json_add_int(o, "hook", id);
    json_add_int(o, "from", from);
    json_add_int(o, "queued", n);
    call_json(c, 200, o);
}

/* POST /v1/hooks/{id}/test: a signed ping sent now by the server, which
 * holds the secret (through the CLI's deliver_ping: see server_opts). */
static void h_hook_test(struct call *c)
{
    struct so_hook h;
    struct so_hook_ping ping;
    struct so_error err;
    if (!c->srv->hook_ping) {
        call_fail(c, SO_ERR_NOTFOUND, "this server sends no webhooks");
        return;
    }
    if (!hook_no_body(c) || hook_of(c, &h) != 0)
        return;
    enum so_status s = c->srv->hook_ping(&h, &ping, &err);
    if (s == SO_OK)
        call_json(c, 200, proto_hook_ping_to_json(h.id, &ping));
    else
        call_err(c, &err);
    so_hook_clear(&h);
}

/* GET /v1/hooks/{id}/log?failed=1&limit=N. */
static void h_hook_log(struct call *c)
{
    struct so_hook h;
    struct so_hook_attempt *v = NULL;
    size_t n = 0;
    int64_t limit = 0;
    struct so_error err;
    if (query_int(c, "limit", 1, 1000, 20, &limit) || hook_of(c, &h) != 0)
        return;
    enum so_status s = c->q->ops->hook_log(c->q, h.id, query_flag(c, "failed"),
                                           (int)limit, &v, &n, &err);
    so_hook_clear(&h);
    if (s == SO_OK)
        call_json(c, 200, proto_attempts_to_json(v, n));
    else
        call_err(c, &err);
    so_hook_attempts_free(v, n);
}

/* ---- routing ----------------------------------------------------------- */

/* A route matches METHOD prefix{arg}suffix (or exactly prefix when it has
 * no argument), on the path as the client sent it: {arg} is one path
 * segment (no '/'), percent-decoded after matching, so an id holding '/'
 * or '%' travels encoded (%2F, %25) and never changes which route
 * matches. roles 0: no token needed. */
/* What a route touches, for a token limited to workflows (token.h): its
 * own identity only, every workflow (refused), the draft {arg}, the
 * workflow {arg}, the ?workflow= of the query, the workflow of the body
 * (claim), or those of each line of the body (enqueue). */
enum route_scope { SC_SELF, SC_ALL, SC_DRAFT, SC_WF_ARG, SC_WF_QUERY,
                   SC_WF_BODY, SC_ENQUEUE };

struct route {
    const char *method;
    const char *prefix;
    const char *suffix; /* NULL: no {arg} */
    unsigned roles;
    int store; /* needs a store handle */
    void (*fn)(struct call *c);
    const char *name; /* metric label */
    enum route_scope scope;
    const char *const *keys; /* the members of its JSON body (protocol.h) */
};

static const struct route routes[] = {
    {"POST", "/v1/drafts/", "/renew", ROLES_REVIEW, 1, h_renew, "renew",
     SC_DRAFT, proto_keys_renew},
    {"POST", "/v1/drafts/", "/release", ROLES_REVIEW, 1, h_release, "release",
     SC_DRAFT, proto_keys_release},
    {"POST", "/v1/drafts/", "/reassign", SERVER_ROLE_SUPERVISOR, 1, h_reassign,
     "reassign", SC_DRAFT, proto_keys_reassign},
    {"POST", "/v1/drafts/", "/decision", ROLES_REVIEW, 1, h_decision,
     "decision", SC_DRAFT, proto_keys_decision},
    {"POST", "/v1/drafts/", "/applied", SERVER_ROLE_PRODUCER, 1, h_applied,
     "applied", SC_DRAFT, proto_keys_applied},
    {"GET", "/v1/drafts/", "/decisions", ROLES_ALL, 1, h_decisions,
     "decisions", SC_DRAFT, NULL},
    {"GET", "/v1/drafts/", "", ROLES_ALL, 1, h_draft, "draft", SC_DRAFT, NULL},
    {"GET", "/v1/drafts", NULL, ROLES_ALL, 1,
     h_list, "list", SC_WF_QUERY, NULL},
    {"POST", "/v1/drafts", NULL, SERVER_ROLE_PRODUCER, 1, h_enqueue, "enqueue",
     SC_ENQUEUE, NULL},
    {"POST", "/v1/claim", NULL, ROLES_REVIEW, 1, h_claim, "claim", SC_WF_BODY,
     proto_keys_claim},
    {"POST", "/v1/undo", NULL, ROLES_REVIEW, 1, h_undo, "undo", SC_SELF,
     proto_keys_undo},
    {"GET", "/v1/count", NULL, ROLES_ALL, 1,
     h_count, "count", SC_WF_QUERY, NULL},
    {"GET", "/v1/stats", NULL, ROLES_ALL, 1,
     h_stats, "stats", SC_WF_QUERY, NULL},
    {"GET", "/v1/agreement", NULL, ROLES_ALL, 1, h_agreement, "agreement",
     SC_ALL, NULL},
    {"GET", "/v1/workflows", NULL, ROLES_ALL, 1, h_workflows, "workflows",
     SC_ALL, NULL},
    {"GET", "/v1/workflows/", "", ROLES_ALL, 1, h_workflow_get, "workflow",
     SC_WF_ARG, NULL},
    {"POST", "/v1/workflows/", "", SERVER_ROLE_SUPERVISOR, 1,
     h_workflow_post, "workflow_set", SC_WF_ARG, proto_keys_workflow_set},
    {"GET", "/v1/me", NULL, ROLES_ALL, 1, h_me, "me", SC_SELF, NULL},
    {"GET", "/v1/me/decisions", NULL, ROLES_REVIEW, 1, h_my_decisions,
     "my_decisions", SC_SELF, NULL},
    {"GET", "/v1/events", NULL, SERVER_ROLE_PRODUCER | SERVER_ROLE_SUPERVISOR,
     1, h_events, "events", SC_WF_QUERY, NULL},
    {"GET", "/v1/hooks", NULL, SERVER_ROLE_SUPERVISOR, 1, h_hooks, "hooks",
     SC_ALL, NULL},
    {"POST", "/v1/hooks", NULL, SERVER_ROLE_SUPERVISOR, 1, h_hook_add,
     "hook_add", SC_ALL, proto_keys_hook_add},
    {"POST", "/v1/hooks/", "/enable", SERVER_ROLE_SUPERVISOR, 1,
     h_hook_enable, "hook_enable", SC_ALL, proto_keys_none},
    {"POST", "/v1/hooks/", "/disable", SERVER_ROLE_SUPERVISOR, 1,
     h_hook_disable, "hook_disable", SC_ALL, proto_keys_none},
    {"POST", "/v1/hooks/", "/replay", SERVER_ROLE_SUPERVISOR, 1,
     h_hook_replay, "hook_replay", SC_ALL, proto_keys_hook_replay},
    {"POST", "/v1/hooks/", "/test", SERVER_ROLE_SUPERVISOR, 1, h_hook_test,
     "hook_test", SC_ALL, proto_keys_none},
    {"GET", "/v1/hooks/", "/log", SERVER_ROLE_SUPERVISOR, 1, h_hook_log,
     "hook_log", SC_ALL, NULL},
    {"GET", "/metrics", NULL, ROLES_ALL, 1,
     h_metrics, "metrics", SC_ALL, NULL},
    {"GET", "/healthz", NULL, 0, 0, h_healthz, "healthz", SC_SELF, NULL},
};
#define NROUTES SO_ARRAY_LEN(routes)

/* Metric labels: the routes' names, then "unmatched". */
static const char *route_names[NROUTES + 1];
static pthread_once_t route_names_once = PTHREAD_ONCE_INIT;

static void route_names_init(void)
{
    for (size_t i = 0; i < NROUTES; i++)
        route_names[i] = routes[i].name;
    route_names[NROUTES] = "unmatched";
}

/* Does the raw path match r's shape? *arg_len gets the {arg} length. */
static int route_shape(const struct route *r, const char *path,
                       size_t *arg_len)
{
    size_t pl = strlen(r->prefix), len = strlen(path);
    if (!r->suffix)
        return strcmp(path, r->prefix) == 0;
    size_t sl = strlen(r->suffix);
    if (len <= pl + sl || strncmp(path, r->prefix, pl) != 0 ||
        strcmp(path + len - sl, r->suffix) != 0 ||
        memchr(path + pl, '/', len - pl - sl))
        return 0;
    *arg_len = len - pl - sl;
    return 1;
}

/* The route for method and raw path, or -1. When the path exists under
 * other methods only (405), allow gets them ("GET" or "GET, POST"). *arg
 * gets the route's {arg}, percent-decoded (NULL for none). */
static int route_find(const char *method, const char *path, char **arg,
                      char allow[16])
{
    allow[0] = '\0';
    *arg = NULL;
    for (size_t i = 0; i < NROUTES; i++) {
        size_t alen = 0;
        if (!route_shape(&routes[i], path, &alen))
            continue;
        if (strcmp(routes[i].method, method) != 0) {
            if (!strstr(allow, routes[i].method))
                snprintf(allow + strlen(allow), 16 - strlen(allow), "%s%s",
                         allow[0] ? ", " : "", routes[i].method);
            continue;
        }
        if (routes[i].suffix) {
            *arg = xstrndup(path + strlen(routes[i].prefix), alen);
            MHD_http_unescape(*arg);
        }
        return (int)i;
    }
    return -1;
}

/* The guard's handle of the connection (its socket context). */
static struct guard_conn *conn_of(struct MHD_Connection *con)
{
    const union MHD_ConnectionInfo *i =
        MHD_get_connection_info(con, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return i ? i->socket_context : NULL;
}

/* The client's address as text ("" when unknown). */
static const char *client_addr(struct MHD_Connection *con)
{
    const struct guard_conn *g = conn_of(con);
    return g ? guard_addr(g) : "";
}

/* What the client's failed authentications are counted under (its
 * address, an IPv6 one's /64: guard.h). */
static const char *client_key(struct MHD_Connection *con)
{
    const struct guard_conn *g = conn_of(con);
    return g ? guard_key(g) : "";
}

/* A queue token (token.h) found by the hash of secret, judged, and copied
 * into rq->own; its use noted at most once a minute per address. NULL with
 * why set when it is unknown or may not be used. */
static const struct server_token *queue_identity(struct server *srv,
                                                 struct request *rq,
                                                 const char *secret,
                                                 const char *addr,
                                                 struct so_error *why)
{
    char hash[65];
    struct so_error err;
    so_token_hash(secret, hash);
    so_fail(why, SO_ERR_AUTH, "unknown token");
    struct slot *sl = pool_acquire(&srv->pool, "signoff-serve", 0, &err);
    if (!sl)
        return NULL;
    struct so_token t;
    int64_t now = so_now_ms();
    const struct server_token *who = NULL;
    if (sl->q->ops->token_find &&
        sl->q->ops->token_find(sl->q, NULL, hash, &t, &err) == SO_OK) {
        unsigned bit = role_from_name(t.role);
        if (so_token_judge(&t, hash, now, why) == SO_OK && bit) {
            if (now - t.last_used_at >= 60000 || !t.last_addr ||
                strcmp(t.last_addr, addr) != 0)
                sl->q->ops->token_used(sl->q, t.id, now, addr, &err);
            rq->own = (struct server_token){NULL, t.reviewer, bit, t.id,
                                            t.scope};
            t.reviewer = t.id = t.scope = NULL;
            who = &rq->own;
        }
        so_token_clear(&t);
    }
    pool_release(&srv->pool, sl);
    return who;
}

/* Does c's token's scope allow route r, judged from the head (SC_ALL,
 * SC_WF_ARG, SC_WF_QUERY; the rest later, with the store or the body)? */
static int scope_head_ok(struct call *c, const struct route *r)
{
    const char *scope = c->who->scope;
    switch (r->scope) {
    case SC_ALL: return !scope;
    case SC_WF_ARG: return so_token_scope_allows(scope, c->arg);
    case SC_WF_QUERY: return so_token_scope_allows(scope, query(c, "workflow"));
    default: return 1;
    }
}

/* Refuse c for its token's scope (403), naming the scope; a route that
 * reaches every workflow (SC_ALL) says so, as naming one cannot help. */
static void scope_refuse(struct call *c, const struct route *r)
{
    char *msg = r && r->scope == SC_ALL
        ? xasprintf("this token is limited to workflows %.180s; this route "
                    "reaches every workflow: it needs a token not limited "
                    "to workflows", c->who->scope)
        : xasprintf("this token is limited to workflows %.180s; name "
                    "one of them (?workflow= or the body)", c->who->scope);
    call_fail(c, SO_ERR_FORBIDDEN, msg);
    free(msg);
}

/* The token and role of c for route r: 0, or -1 with the 401/403/429
 * reply set. Runs on the request's headers alone, before any body is
 * read. An address whose tokens failed too often is refused unread for a
 * while (authfail.h); a missing token is not a guess and is not counted
 * against it. */
static int route_auth(struct call *c, const struct route *r)
{
    if (!r->roles)
        return 0;
    struct server *srv = c->srv;
    const char *addr = client_addr(c->con), *key = client_key(c->con);
    int wait = authfail_wait(srv->authfail, key, so_mono_ms());
    if (wait > 0) {
        metrics_auth_failure(srv->metrics, 1);
        call_fail(c, SO_ERR_BUSY, "too many failed authentications from "
                                  "this address: retry later");
        c->status = 429;
        c->retry_after = wait;
        return -1;
    }
    const char *given = bearer_of(MHD_lookup_connection_value(
        c->con, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION));
    struct so_error why;
    so_fail(&why, SO_ERR_AUTH, "unknown token");
    c->who = given ? token_find(&srv->tokens, given) : NULL;
    if (!c->who && given && so_token_is_ours(given))
        c->who = queue_identity(srv, c->rq, given, addr, &why);
    if (!c->who) {
        metrics_auth_failure(srv->metrics, 0);
        if (given)
            authfail_failed(srv->authfail, key, so_mono_ms());
        call_fail(c, SO_ERR_AUTH, given ? why.msg : "missing bearer token");
        return -1;
    }
    authfail_ok(srv->authfail, key);
    if (!(c->who->role & r->roles)) {
        /* Which role this is and which the route takes: "a producer
         * token" alone leaves the client guessing what to use instead. */
        struct buf takes;
        buf_init(&takes);
        for (size_t i = 0; i < SO_ARRAY_LEN(role_names); i++)
            if (r->roles & role_names[i].bit)
                buf_addf(&takes, "%s%s", takes.len ? " or " : "",
                         role_names[i].name);
        char *msg = xasprintf("this token's role may not use this route: "
                              "%s %s%s%s takes a %s token, this one is a "
                              "%s's",
                              r->method, r->prefix, r->suffix ? "{id}" : "",
                              r->suffix ? r->suffix : "", buf_cstr(&takes),
                              role_name(c->who->role));
        call_fail(c, SO_ERR_FORBIDDEN, msg);
        free(msg);
        buf_free(&takes);
        return -1;
    }
    if (c->who->scope && !scope_head_ok(c, r)) {
        scope_refuse(c, r);
        return -1;
    }
    return 0;
}

/* The rest of the scope rule, with the store and the body: the draft's
 * workflow (SC_DRAFT) and the claim's (SC_WF_BODY). Enqueue checks each
 * line itself (h_enqueue). */
static int scope_body_ok(struct call *c, const struct route *r)
{
    if (!c->who || !c->who->scope)
        return 1;
    if (r->scope == SC_DRAFT) {
        struct so_draft *d = NULL;
        struct so_error err;
        if (c->q->ops->get(c->q, c->arg, &d, &err) != SO_OK)
            return 1; /* the handler answers the missing draft */
        int ok = so_token_scope_allows(c->who->scope, d->workflow);
        so_draft_free(d);
        return ok;
    }
    if (r->scope == SC_WF_BODY) {
        cJSON *j = cJSON_ParseWithLength(c->body, c->len);
        const cJSON *w = j ? cJSON_GetObjectItemCaseSensitive(j, "workflow")
                           : NULL;
        int ok = cJSON_IsString(w) &&
                 so_token_scope_allows(c->who->scope, w->valuestring);
        cJSON_Delete(j);
        return ok;
    }
    return 1;
}

/* Run the handler of r (token already checked) on a store handle. */
static void route_run(struct call *c, const struct route *r)
{
    struct slot *s = NULL;
    struct so_error err;
    int sup = c->who && (c->who->role & SERVER_ROLE_SUPERVISOR) != 0;
    if (r->store && !(s = pool_acquire(&c->srv->pool, c->who->reviewer, sup,
                                       &err))) {
        call_err(c, &err);
        return;
    }
    c->q = s ? s->q : NULL;
    c->keys = r->keys;
    if (scope_body_ok(c, r))
        r->fn(c);
    else
        scope_refuse(c, r);
    if (s)
        pool_release(&c->srv->pool, s);
}

/* ---- answering --------------------------------------------------------- */

/* Text from outside in a log line (method, path, reviewer, a
 * libmicrohttpd message that may quote the request): printable ASCII as
 * is, every other byte, a backslash and (in a field, !spaces) a space as
 * \xNN, so no request can put a control sequence (ESC, CSI, OSC, a raw
 * 0x9b) on a terminal that shows the log, nor split a line or a field. */
static void log_escape(struct buf *b, const char *s, int spaces)
{
    static const char hex[] = "0123456789abcdef";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (((*p > 0x20 && *p < 0x7f) || (spaces && *p == ' ')) &&
            *p != '\\') {
            buf_addc(b, (char)*p);
        } else {
            buf_adds(b, "\\x");
            buf_addc(b, hex[*p >> 4]);
            buf_addc(b, hex[*p & 15]);
        }
    }
}

/* One line of the log: an answered request (method set), or a message
 * (ours, already safe text; or httpd's, escaped as it may quote a
 * request). */
struct log_entry {
    const char *method, *path, *reviewer; /* reviewer NULL: before auth */
    const char *addr, *token;             /* client address, token id */
    int status;
    int64_t micros;
    const char *msg;
    int msg_from_outside;
};

/* The one place a log line is made, in the server's log format: the text
 * line (method path status ms reviewer; the caller adds the time), or with
 * --log-format json one object a line with the same fields and the time
 * ({"time","method","path","status","ms","reviewer"} or {"time","msg"}),
 * every character outside printable ASCII a \u escape. Never a token. */
static void log_write(struct server *srv, const struct log_entry *e)
{
    if (!srv->log)
        return;
    struct buf b;
    buf_init(&b);
    if (srv->log_json) {
        char when[32];
        so_format_time(so_now_ms(), when);
        cJSON *o = json_new_object();
        json_add_string(o, "time", when);
        if (e->method) {
            json_add_string(o, "method", e->method);
            json_add_string(o, "path", e->path);
            json_add_int(o, "status", e->status);
            json_add_double(o, "ms", (double)(e->micros / 100) / 10.0);
            json_add_string(o, "reviewer", e->reviewer);
            json_add_string(o, "addr", e->addr && *e->addr ? e->addr : NULL);
            json_add_string(o, "token", e->token);
        } else {
            json_add_string(o, "msg", e->msg);
        }
        char *text = json_print_escaped(o, 0);
        cJSON_Delete(o);
        buf_adds(&b, text);
        free(text);
    } else if (e->method) {
        log_escape(&b, e->method, 0);
        buf_addc(&b, ' ');
        log_escape(&b, e->path, 0);
        buf_addf(&b, " %d %.1fms ", e->status, (double)e->micros / 1000.0);
        log_escape(&b, e->reviewer ? e->reviewer : "-", 0);
        buf_addc(&b, ' ');
        log_escape(&b, e->addr && *e->addr ? e->addr : "-", 0);
        buf_addc(&b, ' ');
        log_escape(&b, e->token ? e->token : "-", 0);
    } else if (e->msg_from_outside) {
        log_escape(&b, e->msg, 1);
    } else {
        buf_adds(&b, e->msg);
    }
    srv->log(srv->log_arg, buf_cstr(&b));
    buf_free(&b);
}

static void access_log(struct server *srv, struct MHD_Connection *c_con,
                       const char *method, const char *path, int status,
                       int64_t micros, const struct server_token *who)
{
    struct log_entry e = {.method = method,
                          .path = path,
                          .reviewer = who ? who->reviewer : NULL,
                          .addr = client_addr(c_con),
                          .token = who ? who->id : NULL,
                          .status = status,
                          .micros = micros};
    log_write(srv, &e);
}

/* The guard's lines (limits hit), through log_write. */
static void guard_log(void *cls, const char *line)
{
    struct log_entry e = {.msg = line};
    log_write(cls, &e);
}

/* Queue the reply of c (taking c->out), count and log it. */
static enum MHD_Result answer(struct call *c, struct request *rq, size_t route,
                              const char *method, const char *path)
{
    size_t len = c->out ? strlen(c->out) : 0;
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        len, c->out ? c->out : (void *)"", c->out ? MHD_RESPMEM_MUST_FREE
                                                  : MHD_RESPMEM_PERSISTENT);
    c->out = NULL;
    if (len)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                                c->ctype ? c->ctype : "application/json");
    if (c->retry_after) {
        char v[16];
        snprintf(v, sizeof v, "%d", c->retry_after);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, v);
    }
    if (c->allow)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, c->allow);
    if (c->status == 401)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                                "Bearer");
    enum MHD_Result ok =
        MHD_queue_response(c->con, (unsigned)c->status, resp);
    MHD_destroy_response(resp);
    int64_t us = now_us() - rq->t0_us;
    metrics_observe(c->srv->metrics, route, c->status, us);
    access_log(c->srv, c->con, method, path, c->status, us, c->who);
    rq->answered = 1;
    return ok;
}

static enum MHD_Result answer_error(struct server *srv,
                                    struct MHD_Connection *con,
                                    struct request *rq, int status,
                                    enum so_status code, const char *msg,
                                    const char *method, const char *path)
{
    struct call c = {.srv = srv, .con = con};
    call_fail(&c, code, msg);
    c.status = status;
    return answer(&c, rq, NROUTES, method, path);
}

/* The declared Content-Length: 0 and *n, -1 when there is none. */
static int declared_length(struct MHD_Connection *con, long *n)
{
    const char *cl = MHD_lookup_connection_value(
        con, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    return cl && so_parse_long(cl, 0, LONG_MAX, n) == 0 ? 0 : -1;
}

/* Does the request come with a body (a Content-Length over 0, or a
 * Transfer-Encoding)? */
static int has_body(struct MHD_Connection *con)
{
    long len = 0;
    return (declared_length(con, &len) == 0 && len > 0) ||
           MHD_lookup_connection_value(con, MHD_HEADER_KIND,
                                       MHD_HTTP_HEADER_TRANSFER_ENCODING);
}

/* Framing headers seen (request_malformed). */
struct framing {
    const char *length; /* the first Content-Length */
    int lengths_differ;
    int length_bad; /* a Content-Length that is not just digits */
    int chunked;    /* a Transfer-Encoding header */
    int name_bad;   /* a header name that is not an RFC 9110 token */
};

/* Is s an RFC 9110 token (a header name): 1 or more of the letters,
 * digits and !#$%&'*+-.^_`|~? libmicrohttpd keeps "Content-Length " (a
 * space before the colon) as a header of that name, which a proxy may
 * read as Content-Length. */
static int http_token(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("!#$%&'*+-.^_`|~", *s))
            return 0;
    return 1;
}

static enum MHD_Result framing_header(void *cls, enum MHD_ValueKind kind,
                                      const char *key, const char *value)
{
    struct framing *f = cls;
    (void)kind;
    if (!key || !http_token(key))
        f->name_bad = 1;
    else if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
        const char *v = value ? value : "";
        if (!*v || strspn(v, "0123456789") != strlen(v))
            f->length_bad = 1;
        if (f->length && strcmp(f->length, v) != 0)
            f->lengths_differ = 1;
        else if (!f->length)
            f->length = v;
    } else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
        f->chunked = 1;
    }
    return MHD_YES;
}

/* Why the head is refused with 400 before anything else, or NULL: framing
 * a proxy in front could read differently from us (two different
 * Content-Length headers, one that is not a plain number, one with
 * Transfer-Encoding, or a header name that is not a token, such as
 * "Content-Length " with a space before the colon: request smuggling), a
 * NUL byte in the path or the query, sent as %00 or as the byte, or a
 * space or control character there (libmicrohttpd takes "GET /a b
 * HTTP/1.1" as the target "/a b"; a proxy may read "/a"). */
static const char *request_malformed(struct MHD_Connection *con,
                                     const struct request *rq)
{
    struct framing f = {0};
    MHD_get_connection_values(con, MHD_HEADER_KIND, framing_header, &f);
    if (f.name_bad)
        return "ambiguous framing: a header name that is not a token "
               "(a space or control character before the colon)";
    if (f.lengths_differ)
        return "ambiguous framing: two different Content-Length headers";
    if (f.length_bad)
        return "ambiguous framing: a Content-Length that is not a number";
    if (f.length && f.chunked)
        return "ambiguous framing: Content-Length with Transfer-Encoding";
    if (rq->raw_nul || strstr(rq->target, "%00"))
        return "path: a NUL byte (%00) is not allowed in the path or query";
    for (const char *p = rq->target; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            return "path: a space or control character in the path or query"
                   " (percent-encode it)";
    return NULL;
}

/* Decide what the request may do from its head alone, before any body is
 * read: the route (404, 405), the token and role (401, 403), the
 * declared size (413), a body sent to a route that takes none (400: a
 * GET, /healthz above all, must not hold the memory reviewers' bodies
 * need) and room for the body in memory (503; a declared body is reserved
 * whole here, a chunked one as it streams). MHD_YES with rq->answered set when
 * refused. */
static enum MHD_Result admit(struct server *srv, struct MHD_Connection *con,
                             struct request *rq, const char *method,
                             const char *path)
{
    char allow[16];
    long len = 0;
    const char *bad = request_malformed(con, rq);
    struct call c = {.srv = srv, .con = con, .rq = rq};
    enum MHD_Result ok = MHD_YES;
    if (!bad)
        rq->route = route_find(method, path, &rq->arg, allow);
    if (bad) {
        call_fail(&c, SO_ERR_INVALID, bad);
        ok = answer(&c, rq, NROUTES, method, path);
    } else if (rq->route < 0 && allow[0]) {
        call_fail(&c, SO_ERR_USAGE, "method not allowed");
        c.status = 405;
        c.allow = allow;
        ok = answer(&c, rq, NROUTES, method, path);
    } else if (rq->route < 0) {
        call_fail(&c, SO_ERR_NOTFOUND, "no such route");
        c.status = 404;
        ok = answer(&c, rq, NROUTES, method, path);
    } else if ((c.arg = rq->arg, route_auth(&c, &routes[rq->route])) != 0) {
        ok = answer(&c, rq, (size_t)rq->route, method, path);
    } else if (declared_length(con, &len) == 0 &&
               (unsigned long)len > SERVER_MAX_BODY) {
        call_fail(&c, SO_ERR_TOOLARGE, "request body over 8 MiB");
        ok = answer(&c, rq, (size_t)rq->route, method, path);
    } else if (strcmp(routes[rq->route].method, "POST") != 0 &&
               has_body(con)) {
        call_fail(&c, SO_ERR_INVALID, "this route takes no request body");
        ok = answer(&c, rq, (size_t)rq->route, method, path);
    } else if (len > 0 && guard_hold(srv->guard, (size_t)len) != 0) {
        call_fail(&c, SO_ERR_BUSY,
                  "server busy: too many request bodies in memory");
        ok = answer(&c, rq, (size_t)rq->route, method, path);
    } else if (len > 0) {
        rq->held = (size_t)len; /* the whole body, reserved up front */
        rq->reserved = 1;
    }
    rq->who = c.who;
    free(c.out);
    return ok;
}

/* A write, on an offload thread. */
static void write_job(void *arg)
{
    struct call *c = arg;
    route_run(c, &routes[c->rq->route]);
}

/* The admitted request with its whole body: run its route. A route that
 * writes (POST with the store) runs on an offload thread while the
 * connection is suspended, so waiting for another process's write lock
 * never holds a libmicrohttpd thread; when it is done the connection is
 * resumed and this answers what it left. */
static enum MHD_Result dispatch(struct server *srv, struct MHD_Connection *con,
                                struct request *rq, const char *method,
                                const char *path)
{
    const struct route *r = &routes[rq->route];
    if (rq->job) {
        struct call *done = rq->job;
        rq->job = NULL;
        enum MHD_Result ok = answer(done, rq, (size_t)rq->route, method, path);
        free(done->out);
        free(done);
        return ok;
    }
    if (srv->offload && r->store && strcmp(r->method, "POST") == 0) {
        struct call *w = xcalloc(1, sizeof *w);
        *w = (struct call){.srv = srv, .con = con, .arg = rq->arg,
                           .who = rq->who, .rq = rq,
                           .body = rq->body.data ? rq->body.data : "",
                           .len = rq->body.len};
        rq->job = w;
        offload_run(srv->offload, con, write_job, w);
        return MHD_YES;
    }
    struct call c = {.srv = srv, .con = con, .arg = rq->arg, .who = rq->who,
                     .rq = rq};
    c.body = rq->body.data ? rq->body.data : "";
    c.len = rq->body.len;
    route_run(&c, &routes[rq->route]);
    if (c.suspend) { /* resumed by longpoll: this runs again */
        longpoll_add(srv->longpoll, con, rq->poll_after, rq->poll_deadline);
        return MHD_YES;
    }
    enum MHD_Result ok = answer(&c, rq, (size_t)rq->route, method, path);
    free(c.out);
    return ok;
}

/* ---- libmicrohttpd callbacks -------------------------------------------- */

/* Keep n more body bytes: 0, or -1 when the request is refused: 413 past
 * 8 MiB (after reading on to SERVER_DISCARD_MAX so the client can read
 * it), or a chunked body that would pass the guard's cap on bodies in
 * memory (the connection is then closed: a reply cannot be sent before the
 * body ends). */
static int body_add(struct server *srv, struct MHD_Connection *con,
                    struct request *rq, const char *upload, size_t n,
                    const char *method, const char *url)
{
    rq->received += n;
    if (rq->received > SERVER_MAX_BODY) {
        guard_unhold(srv->guard, rq->held);
        rq->held = 0;
        buf_free(&rq->body);
        if (rq->received > SERVER_DISCARD_MAX)
            answer_error(srv, con, rq, 413, SO_ERR_TOOLARGE,
                         "request body over 8 MiB", method, url);
        return 0;
    }
    if (!rq->reserved) {
        if (guard_hold(srv->guard, n) != 0) {
            struct call c = {.srv = srv, .con = con, .who = rq->who};
            call_fail(&c, SO_ERR_BUSY,
                      "server busy: too many request bodies in memory");
            answer(&c, rq, (size_t)rq->route, method, url);
            free(c.out);
            return -1;
        }
        rq->held += n;
    }
    buf_add(&rq->body, upload, n);
    return 0;
}

/* A new request (its con_cls), made when its request line arrives, with
 * the path as the client sent it: libmicrohttpd decodes the path it gives
 * the access handler whole, which would turn an encoded '/' in an id into
 * a path separator and cut the path at an encoded NUL. */
static struct request *request_new(const char *target)
{
    struct request *rq = xcalloc(1, sizeof *rq);
    buf_init(&rq->body);
    rq->t0_us = now_us();
    rq->route = -1;
    rq->target = xstrdup(target);
    rq->path = xstrndup(target, strcspn(target, "?"));
    return rq;
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *con)
{
    (void)cls;
    (void)con;
    struct request *rq = request_new(uri);
    rq->target_at = uri;
    return rq;
}

/* Did the request target hold a NUL byte as sent? libmicrohttpd 0.9.75
 * splits the request line by length but hands the target on as a C
 * string, so "GET /v1/drafts/D-1<NUL>x HTTP/1.1" arrives as /v1/drafts/D-1.
 * It splits the line in place, the version right after the target and
 * the byte that ended it: a target shorter than the room before the
 * version held a NUL. Where the library keeps the target elsewhere
 * (another layout), nothing can be told and nothing is refused. */
static int target_raw_nul(const struct request *rq, const char *url,
                          const char *version)
{
    if (!rq->target_at || url != rq->target_at || !version || version <= url)
        return 0;
    size_t room = (size_t)(version - url) - 1;
    return room <= SERVER_MAX_TARGET && room > strlen(rq->target);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *con,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    struct server *srv = cls;
    struct request *rq = *con_cls;
    if (!rq)
        *con_cls = rq = request_new(url);
    if (!rq->started) {
        rq->started = 1;
        rq->raw_nul = target_raw_nul(rq, url, version);
        guard_head_done(srv->guard, conn_of(con));
        pthread_mutex_lock(&srv->mu);
        srv->inflight++;
        pthread_mutex_unlock(&srv->mu);
        return admit(srv, con, rq, method, rq->path);
    }
    if (rq->answered) {
        *upload_size = 0;
        return MHD_YES;
    }
    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        return body_add(srv, con, rq, upload, n, method, rq->path) ? MHD_NO
                                                                   : MHD_YES;
    }
    if (rq->received > SERVER_MAX_BODY)
        return answer_error(srv, con, rq, 413, SO_ERR_TOOLARGE,
                            "request body over 8 MiB", method, rq->path);
    return dispatch(srv, con, rq, method, rq->path);
}

static void on_completed(void *cls, struct MHD_Connection *con,
                         void **con_cls, enum MHD_RequestTerminationCode why)
{
    struct server *srv = cls;
    struct request *rq = *con_cls;
    (void)why;
    if (!rq)
        return;
    guard_unhold(srv->guard, rq->held);
    guard_head_wait(srv->guard, conn_of(con));
    int started = rq->started;
    buf_free(&rq->body);
    free(rq->target);
    free(rq->path);
    free(rq->arg);
    identity_clear(&rq->own);
    free(rq);
    *con_cls = NULL;
    if (!started)
        return;
    pthread_mutex_lock(&srv->mu);
    if (--srv->inflight == 0)
        pthread_cond_broadcast(&srv->idle);
    pthread_mutex_unlock(&srv->mu);
}

/* Each connection opens and closes through the guard (limits, deadline). */
static void on_connection(void *cls, struct MHD_Connection *con,
                          void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    struct server *srv = cls;
    if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
        guard_close(srv->guard, *socket_context);
        *socket_context = NULL;
        return;
    }
    const union MHD_ConnectionInfo *fd =
        MHD_get_connection_info(con, MHD_CONNECTION_INFO_CONNECTION_FD);
    const union MHD_ConnectionInfo *addr =
        MHD_get_connection_info(con, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (fd)
        *socket_context = guard_open(srv->guard, fd->connect_fd,
                                     addr ? addr->client_addr : NULL);
}

/* libmicrohttpd's messages, at most one a second (a flood of broken
 * connections must not flood the log): the next one says how many were
 * left out. */
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    struct server *srv = cls;
    if (!srv->log)
        return;
    int64_t now = so_mono_ms();
    unsigned unsaid;
    pthread_mutex_lock(&srv->mu);
    int quiet = srv->mhd_logged_at && now - srv->mhd_logged_at < 1000;
    if (quiet)
        srv->mhd_unsaid++;
    else
        srv->mhd_logged_at = now;
    unsaid = quiet ? 0 : srv->mhd_unsaid;
    if (!quiet)
        srv->mhd_unsaid = 0;
    pthread_mutex_unlock(&srv->mu);
    if (quiet)
        return;
    struct buf msg;
    buf_init(&msg);
    if (unsaid)
        buf_addf(&msg, "httpd: (%u more messages left out) ", unsaid);
    else
        buf_adds(&msg, "httpd: ");
    buf_vaddf(&msg, fmt, ap);
    while (msg.len && msg.data[msg.len - 1] == '\n')
        msg.data[--msg.len] = '\0';
    struct log_entry e = {.msg = buf_cstr(&msg), .msg_from_outside = 1};
    log_write(srv, &e);
    buf_free(&msg);
}

/* ---- start and stop ---------------------------------------------------- */

static enum so_status listen_addr(const struct server_opts *o,
                                  struct sockaddr_storage *ss, int *v6,
                                  struct so_error *err)
{
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, o->host, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)o->port);
        *v6 = 0;
    } else if (inet_pton(AF_INET6, o->host, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)o->port);
        *v6 = 1;
    } else {
        return so_fail(err, SO_ERR_USAGE,
                       "%s: not an IPv4 or IPv6 address", o->host);
    }
    return SO_OK;
}

/* Bind a socket to the address as libmicrohttpd will (SO_REUSEADDR, v6
 * only) and let it go, so a port that cannot be had is named with why
 * ("127.0.0.1:8750: cannot listen: Address already in use") before any
 * thread starts; libmicrohttpd would only say "Failed to bind to port". */
static enum so_status listen_probe(const struct server_opts *o,
                                   const struct sockaddr_storage *ss, int v6,
                                   struct so_error *err)
{
    int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return SO_OK; /* libmicrohttpd will say what is wrong */
    int on = 1, e = 0;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (v6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
    if (bind(fd, (const struct sockaddr *)ss,
             v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in)) !=
        0)
        e = errno;
    close(fd);
    if (!e)
        return SO_OK;
    const char *hint = e == EADDRINUSE ? " (another process listens there)"
                       : e == EACCES   ? " (a port below 1024 needs "
                                         "privileges)"
                       : e == EADDRNOTAVAIL ? " (no interface of this host "
                                              "has that address)"
                                            : "";
    return so_fail(err, SO_ERR_IO, "%s%s%s:%d: cannot listen: %s%s",
                   v6 ? "[" : "", o->host, v6 ? "]" : "", o->port,
                   strerror(e), hint);
}

static void server_free(struct server *srv)
{
    offload_stop(srv->offload);
    guard_free(srv->guard);
    authfail_free(srv->authfail);
    longpoll_free(srv->longpoll);
    pool_destroy(&srv->pool);
    metrics_free(srv->metrics);
    server_tokens_free(&srv->tokens);
    pthread_cond_destroy(&srv->idle);
    pthread_mutex_destroy(&srv->mu);
    free(srv->queue_path);
    free(srv);
}

/* Open the queue once up front so a bad path fails at start, not at the
 * first request. */
static enum so_status probe_queue(const char *path, struct so_error *err)
{
    struct queue *q = NULL;
    struct queue_opts o = {.reviewer = "signoff-serve"};
    enum so_status s = queue_open(path, &o, &q, err);
    queue_close(q);
    return s;
}

enum so_status server_start(const struct server_opts *opts,
                            struct server_tokens *tokens,
                            struct server **out, int *port_out,
                            struct so_error *err)
{
    struct sockaddr_storage ss;
    int v6 = 0;
    enum so_status s = listen_addr(opts, &ss, &v6, err);
    if (s == SO_OK)
        s = listen_probe(opts, &ss, v6, err);
    if (s == SO_OK)
        s = probe_queue(opts->queue_path, err);
    if (s != SO_OK)
        return s;
    unsigned threads = opts->threads ? opts->threads : 4;
    struct server *srv = xcalloc(1, sizeof *srv);
    srv->tokens = *tokens;
    memset(tokens, 0, sizeof *tokens);
    srv->queue_path = xstrdup(opts->queue_path);
    srv->log = opts->log;
    srv->log_arg = opts->log_arg;
    srv->log_json = opts->log_json;
    srv->hooks_private = opts->hooks_private;
    srv->hook_ping = opts->hook_ping;
    pthread_mutex_init(&srv->mu, NULL);
    pthread_cond_init(&srv->idle, NULL);
    pool_init(&srv->pool, srv->queue_path, (size_t)threads * 2,
              opts->sync_normal);
    pthread_once(&route_names_once, route_names_init);
    srv->metrics = metrics_new(route_names, NROUTES + 1);
    srv->authfail = authfail_new();
    unsigned timeout_s = opts->timeout_s ? opts->timeout_s : 30u;
    struct guard_limits lim = {.head_ms = (int64_t)timeout_s * 1000};
    srv->guard = guard_new(&lim, srv->log ? guard_log : NULL, srv);
    if (!srv->guard) {
        server_free(srv);
        return so_fail(err, SO_ERR_IO, "cannot start a thread");
    }
    int tls = opts->tls_cert && opts->tls_key;
    s = longpoll_start(srv->queue_path, &srv->longpoll, err);
    if (s == SO_OK)
        s = offload_start(threads, &srv->offload, err);
    if (s != SO_OK) {
        server_free(srv);
        return s;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO |
                     MHD_ALLOW_SUSPEND_RESUME |
                     MHD_USE_ITC | MHD_USE_ERROR_LOG |
                     (v6 ? MHD_USE_IPv6 : 0) | (tls ? MHD_USE_TLS : 0);
    struct MHD_OptionItem tls_opts[] = {
        {tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0,
         (void *)opts->tls_cert},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)opts->tls_key},
        {MHD_OPTION_END, 0, NULL},
    };
    srv->daemon = MHD_start_daemon(
        flags, (uint16_t)opts->port, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER,
        on_mhd_log, srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_TIMEOUT,
        timeout_s, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
        /* The guard decides which connection to drop (GUARD_TOTAL);
         * libmicrohttpd's own limit, split between its threads, sits
         * above it so it does not refuse first. */
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)GUARD_TOTAL * 2,
        MHD_OPTION_ARRAY, tls_opts, MHD_OPTION_END);
    if (!srv->daemon) {
        server_free(srv);
        return so_fail(err, SO_ERR_IO, "%s%s%s:%d: cannot listen",
                       v6 ? "[" : "", opts->host, v6 ? "]" : "", opts->port);
    }
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    *port_out = info ? info->port : opts->port;
    *out = srv;
    return SO_OK;
}

void server_stop(struct server *srv)
{
    if (!srv)
        return;
    srv->stopping = 1;
    longpoll_stop(srv->longpoll);
    MHD_socket fd = MHD_quiesce_daemon(srv->daemon);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += SERVER_DRAIN_MS / 1000;
    pthread_mutex_lock(&srv->mu);
    while (srv->inflight > 0 &&
           pthread_cond_timedwait(&srv->idle, &srv->mu, &until) == 0)
        ;
    pthread_mutex_unlock(&srv->mu);
    offload_stop(srv->offload); /* its jobs resume connections: first */
    srv->offload = NULL;
    MHD_stop_daemon(srv->daemon);
    server_free(srv);
}
