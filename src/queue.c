/*
 * queue: model helpers (names, ownership). The operations live in the
 * backends (store/sqlite/backend.c, remote/http.c), chosen by backends.c;
 * this file knows none of them. queue_decide_next is the one-round-trip
 * tail of a decide, written once over any backend's ops.
 */
#include "signoff/queue.h"

#include <stdio.h>
#include <stdlib.h>
#include <openssl/crypto.h>
#include <string.h>

#include "signoff/names.h"

static const char *const action_names[] = {
#define SO_X_NAME(id, name) name,
    SO_ACTION_LIST(SO_X_NAME)
#undef SO_X_NAME
};

static const char *const dstatus_names[] = {
#define SO_X_NAME(id, name) name,
    SO_DSTATUS_LIST(SO_X_NAME)
#undef SO_X_NAME
};

const char *so_action_name(enum so_action a)
{
    return (int)a >= 0 && a < SO_ACT_COUNT ? action_names[a] : "?";
}

int so_action_from_name(const char *name)
{
    for (int i = 0; name && i < SO_ACT_COUNT; i++)
        if (strcmp(action_names[i], name) == 0)
            return i;
    return -1;
}

const char *so_dstatus_name(enum so_dstatus s)
{
    return (int)s >= 0 && s < SO_DS_COUNT ? dstatus_names[s] : "?";
}

int so_dstatus_from_name(const char *name)
{
    for (int i = 0; name && i < SO_DS_COUNT; i++)
        if (strcmp(dstatus_names[i], name) == 0)
            return i;
    return -1;
}

int so_conf_band(double confidence)
{
    if (!(confidence >= 0.0) || confidence > 1.0)
        return -1;
    int b = (int)(confidence * 10.0);
    return b > 9 ? 9 : b;
}

int so_currency_valid(const char *s)
{
    for (int i = 0; i < 3; i++)
        if (!s || s[i] < 'A' || s[i] > 'Z')
            return 0;
    return s[3] == '\0';
}

struct so_draft *so_draft_new(void)
{
    struct so_draft *d = xcalloc(1, sizeof *d);
    d->confidence = -1;
    d->reviews_needed = 1;
    d->cost_micros = d->tokens = d->latency_ms = -1;
    return d;
}

void so_draft_free(struct so_draft *d)
{
    if (!d)
        return;
    free(d->id);
    free(d->workflow);
    free(d->model);
    free(d->title);
    free(d->input);
    free(d->body);
    free(d->metadata_json);
    for (size_t i = 0; i < d->ncitations; i++) {
        free(d->citations[i].title);
        free(d->citations[i].uri);
        free(d->citations[i].excerpt);
        free(d->citations[i].quote);
    }
    free(d->citations);
    free(d->claimed_by);
    free(d->last_action);
    free(d);
}

struct so_draft *so_draft_dup(const struct so_draft *d)
{
    struct so_draft *c = xcalloc(1, sizeof *c);
    *c = *d;
    c->id = xstrdup(d->id);
    c->workflow = xstrdup(d->workflow);
    c->model = xstrdup(d->model);
    c->title = xstrdup(d->title);
    c->input = xstrdup(d->input);
    c->body = xstrdup(d->body);
    c->metadata_json = xstrdup(d->metadata_json);
    c->claimed_by = xstrdup(d->claimed_by);
    c->last_action = xstrdup(d->last_action);
    c->citations = NULL;
    if (d->ncitations) {
        c->citations = xcalloc(d->ncitations, sizeof *c->citations);
        for (size_t i = 0; i < d->ncitations; i++) {
            c->citations[i].n = d->citations[i].n;
            c->citations[i].title = xstrdup(d->citations[i].title);
            c->citations[i].uri = xstrdup(d->citations[i].uri);
            c->citations[i].excerpt = xstrdup(d->citations[i].excerpt);
            c->citations[i].quote = xstrdup(d->citations[i].quote);
        }
    }
    return c;
}

void so_draft_page_free(struct so_draft_page *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++) {
        free(p->rows[i].id);
        free(p->rows[i].workflow);
        free(p->rows[i].model);
        free(p->rows[i].title);
        free(p->rows[i].claimed_by);
    }
    free(p->rows);
    free(p->next_cursor);
    p->rows = NULL;
    p->n = 0;
    p->next_cursor = NULL;
}

void so_decision_clear(struct so_decision *d)
{
    if (!d)
        return;
    free(d->draft_id);
    free(d->request_id);
    free(d->reviewer);
    free(d->reason);
    free(d->note);
    free(d->final_body);
    free(d->kind);
    memset(d, 0, sizeof *d);
}

void so_event_clear(struct so_event *e)
{
    if (!e)
        return;
    so_decision_clear(&e->rec);
    free(e->workflow);
    free(e->text);
    memset(e, 0, sizeof *e);
}

void so_event_page_free(struct so_event_page *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        so_event_clear(&p->v[i]);
    free(p->v);
    p->v = NULL;
    p->n = 0;
}

void so_hook_clear(struct so_hook *h)
{
    if (!h)
        return;
    free(h->workflow);
    free(h->url);
    if (h->secret)
        OPENSSL_cleanse(h->secret, strlen(h->secret));
    free(h->secret);
    free(h->events);
    free(h->disabled_reason);
    memset(h, 0, sizeof *h);
}

void so_delivery_clear(struct so_delivery *d)
{
    if (!d)
        return;
    so_hook_clear(&d->hook);
    so_event_clear(&d->event);
    memset(d, 0, sizeof *d);
}

void so_hook_attempts_free(struct so_hook_attempt *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].draft);
        free(v[i].state);
        free(v[i].error);
    }
    free(v);
}

void so_workflow_clear(struct so_workflow *w)
{
    if (!w)
        return;
    free(w->name);
    free(w->owner);
    free(w->automation_reason);
    free(w->automation_by);
    free(w->reveal);
    free(w->resolver);
    free(w->guidelines);
    for (size_t i = 0; i < w->nreasons; i++) {
        free(w->reasons[i].code);
        free(w->reasons[i].label);
    }
    free(w->reasons);
    free(w->always_review);
    free(w->policy_reason);
    free(w->sample_seed);
    free(w->owner_reason);
    memset(w, 0, sizeof *w);
}

enum so_status so_reason_check(const char *code, const char *label,
                               struct so_error *err)
{
    size_t n = code ? strlen(code) : 0;
    int ok = n > 0 && n <= SO_MAX_REASON_CODE;
    for (size_t i = 0; ok && i < n; i++)
        ok = (code[i] >= 'a' && code[i] <= 'z') ||
             (code[i] >= '0' && code[i] <= '9') || code[i] == '_' ||
             code[i] == '-';
    if (!ok)
        return so_fail(err, SO_ERR_INVALID,
                       "reason code: 1 to %d of a-z, 0-9, _ and -",
                       SO_MAX_REASON_CODE);
    return label ? names_check("reason label", label, err) : SO_OK;
}

void so_rollup_free(struct so_rollup *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        free(r->rows[i].workflow);
        free(r->rows[i].model);
        free(r->rows[i].reviewer);
    }
    free(r->rows);
    for (size_t i = 0; i < r->nreasons; i++) {
        free(r->reasons[i].workflow);
        free(r->reasons[i].reason);
    }
    free(r->reasons);
    for (size_t i = 0; i < r->ngolds; i++) {
        free(r->golds[i].workflow);
        free(r->golds[i].reviewer);
    }
    free(r->golds);
    memset(r, 0, sizeof *r);
}

int64_t so_hist_lo(int bucket)
{
    if (bucket <= 0)
        return 0;
    if (bucket == 1)
        return 1;
    /* 1.5^(bucket-1), rounded up, strictly increasing. */
    double v = 1.0;
    int64_t prev = 1;
    for (int i = 1; i < bucket; i++) {
        v *= 1.5;
        int64_t r = (int64_t)(v + 0.999999);
        prev = r > prev ? r : prev + 1;
    }
    return prev;
}

int so_hist_bucket(int64_t value)
{
    if (value <= 0)
        return 0;
    for (int b = SO_HIST_BUCKETS - 1; b > 0; b--)
        if (value >= so_hist_lo(b))
            return b;
    return 0;
}

void queue_close(struct queue *q)
{
    if (q)
        q->ops->close(q);
}

void so_decide_result_clear(struct so_decide_result *res)
{
    so_draft_free(res->next.draft);
    memset(res, 0, sizeof *res);
}

enum so_status queue_switch_check(const struct queue *q, const char *name,
                                  int pause, const char *reason,
                                  struct so_error *err)
{
    const char *verb = pause ? "pause" : "resume";
    if (!q->supervisor)
        return so_fail(err, SO_ERR_FORBIDDEN,
                       "only a supervisor may %s automation of %s (%s is a "
                       "reviewer here)",
                       verb, name, q->reviewer ? q->reviewer : "you");
    if (reason && !*reason)
        return so_fail(err, SO_ERR_INVALID,
                       "%s automation of %s: a reason is required", verb,
                       name);
    return SO_OK;
}

enum so_status queue_gold_add(struct queue *q, const struct gold_item *items,
                              size_t n, struct so_enq_result *results,
                              struct so_error *err)
{
    if (!q->ops->gold_add)
        return so_fail(err, SO_ERR_USAGE,
                       "gold drafts are added on a local queue (a file or a "
                       "PostgreSQL database; the %s backend keeps none)",
                       q->ops->name);
    if (!q->supervisor)
        return so_fail(err, SO_ERR_FORBIDDEN,
                       "only a supervisor adds gold drafts (%s is a reviewer "
                       "here)",
                       q->reviewer ? q->reviewer : "you");
    return q->ops->gold_add(q, items, n, results, err);
}

enum so_status queue_resume_check(const struct so_workflow *w,
                                  const char *who, struct so_error *err)
{
    if (!w->owner || !*w->owner)
        return so_fail(err, SO_ERR_INVALID,
                       "workflow %s has no owner: give it one before "
                       "resuming",
                       w->name);
    if (!who || strcmp(who, w->owner) != 0)
        return so_fail(err, SO_ERR_FORBIDDEN,
                       "only its owner %s may resume automation of %s, "
                       "not %s",
                       w->owner, w->name, who ? who : "(nobody)");
    return SO_OK;
}

enum so_status queue_escalate_check(const char *id, enum so_dstatus status,
                                    enum so_action action,
                                    struct so_error *err)
{
    if (status == SO_DS_ESCALATED && action == SO_ACT_ESCALATE)
        return so_fail(err, SO_ERR_CONFLICT,
                       "%s: already escalated; give the final decision "
                       "(approve, edit or reject)",
                       id);
    return SO_OK;
}

enum so_status queue_workflow_switch(struct queue *q, const char *name,
                                     int pause, const char *reason,
                                     struct so_error *err)
{
    enum so_status st =
        queue_switch_check(q, name, pause, reason ? reason : "", err);
    if (st != SO_OK)
        return st;
    return q->ops->workflow_pause(q, name, pause, reason, err);
}

void queue_decide_next(struct queue *q, const struct so_claim_req *claim,
                       struct so_decide_next *out)
{
    struct so_error err;
    so_error_clear(&err);
    memset(out, 0, sizeof *out);
    out->filled = 1;
    out->status = q->ops->claim(q, claim, &out->draft, &err);
    if (out->status != SO_OK && out->status != SO_EMPTY)
        snprintf(out->error, sizeof out->error, "%s", err.msg);
    /* The same counts the status bar asks for (ui/frame.c). */
    struct so_list_req req = {0};
    int64_t open = -1;
    req.status = "open";
    req.workflow = claim->workflow;
    req.conf_below = req.conf_atleast = -1;
    if (q->ops->count(q, &req, &open, &err) != SO_OK)
        open = -1;
    req.mine = 1;
    if (q->ops->count(q, &req, &out->pending, &err) != SO_OK)
        out->pending = -1;
    out->waiting = open >= 0 && out->pending >= 0 ? open - out->pending : -1;
    if (q->ops->my_today(q, &out->my_today, &err) != SO_OK)
        out->my_today = -1;
}

void so_decide_clamp_times(int64_t claimed_at, int64_t now, int64_t *shown_at,
                           int64_t *active_ms)
{
    int64_t from = claimed_at > 0 && claimed_at <= now ? claimed_at : 0;
    if (*shown_at > 0 && *shown_at < from)
        *shown_at = from;
    if (*shown_at > now)
        *shown_at = now;
    if (*active_ms < 0)
        *active_ms = 0;
    if (*active_ms > now - from)
        *active_ms = now - from;
}
