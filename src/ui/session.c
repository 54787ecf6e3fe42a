/*
 * ui_session: the reviewer's work on the queue, apart from drawing. Holds
 * at most one claimed draft, renews its lease between keys, measures the
 * active reviewing time and keeps a decision's request_id until the queue
 * accepts it, so retrying after an error never records it twice. Speaks
 * only to the queue interface; never prints, never includes curses.h.
 */
#include "signoff/ui/session.h"

#include <stdlib.h>
#include <string.h>

/* Rows looked at per listing when the filter needs one. */
#define SESSION_PAGE 50

void ui_session_init(struct ui_session *s, struct queue *q)
{
    memset(s, 0, sizeof *s);
    s->q = q;
}

static void pending_clear(struct ui_pending *p)
{
    free(p->reason);
    free(p->note);
    free(p->final_body);
    memset(p, 0, sizeof *p);
}

/* Forget the draft I hold (without telling the queue). */
static void drop_draft(struct ui_session *s)
{
    so_draft_free(s->draft);
    s->draft = NULL;
    s->lease_until = 0;
    s->lease_lost = 0;
    s->shown_at = 0;
    s->shown_mono = 0;
    s->active_ms = 0;
    pending_clear(&s->pending);
}

/* Release the draft I hold; it stays mine locally if the queue fails. */
static enum so_status release_draft(struct ui_session *s, struct so_error *err)
{
    if (!s->draft)
        return SO_OK;
    enum so_status st = s->q->ops->release(s->q, s->draft->id,
                                           s->draft->lease_token, err);
    /* A lease already lost is released as far as we are concerned, and so
     * is a draft another reviewer decided once the lease ran out (its
     * release answers "already decided": refusing to let go of it kept
     * the reviewer on it, s and q alike). */
    if (st == SO_OK || st == SO_ERR_LEASE || st == SO_ERR_NOTFOUND ||
        st == SO_ERR_CONFLICT) {
        drop_draft(s);
        return SO_OK;
    }
    return st;
}

void ui_session_fini(struct ui_session *s)
{
    struct so_error err;
    so_error_clear(&err);
    release_draft(s, &err);
    drop_draft(s);
    for (size_t i = 0; i < s->nskipped; i++)
        free(s->skipped[i]);
    free(s->skipped);
    s->skipped = NULL;
    s->nskipped = 0;
    ui_session_outbox_sent(s);
    for (size_t i = 0; i < s->nguards; i++) {
        free(s->guards[i].workflow);
        for (size_t j = 0; j < s->guards[i].nreasons; j++) {
            free(s->guards[i].reasons[j].code);
            free(s->guards[i].reasons[j].label);
        }
        free(s->guards[i].reasons);
    }
    free(s->guards);
    s->guards = NULL;
    s->nguards = 0;
}

static int was_skipped(const struct ui_session *s, const char *id)
{
    for (size_t i = 0; i < s->nskipped; i++)
        if (strcmp(s->skipped[i], id) == 0)
            return 1;
    return ui_session_outboxed(s, id);
}

int ui_session_outboxed(const struct ui_session *s, const char *id)
{
    for (size_t i = 0; i < s->noutboxed; i++)
        if (strcmp(s->outboxed[i], id) == 0)
            return 1;
    return 0;
}

void ui_session_outbox_sent(struct ui_session *s)
{
    for (size_t i = 0; i < s->noutboxed; i++)
        free(s->outboxed[i]);
    free(s->outboxed);
    s->outboxed = NULL;
    s->noutboxed = 0;
}

/* Took a claim: start its clocks. */
static void took(struct ui_session *s, struct so_draft *d)
{
    s->draft = d;
    s->generation++;
    s->lease_until = d->lease_until;
    s->last_event = so_mono_ms();
    s->lease_lost = 0;
    s->shown_at = 0;
    s->shown_mono = 0;
    s->active_ms = 0;
}

static enum so_status claim_one(struct ui_session *s, const char *workflow,
                                const char *id, struct so_error *err)
{
    struct so_claim_req req = {workflow, id, 0};
    struct so_draft *d = NULL;
    enum so_status st = s->q->ops->claim(s->q, &req, &d, err);
    if (st == SO_OK)
        took(s, d);
    return st;
}

/* Walk the pending rows the filter admits (of sla, SO_LIST_SLA_*: those
 * due first, in the queue screen's order) and claim the first one I can. */
static enum so_status claim_listed(struct ui_session *s,
                                   const struct filter *f, int sla,
                                   struct so_error *err)
{
    char *after = NULL;
    enum so_status st = SO_EMPTY;
    for (;;) {
        struct so_list_req req = {0};
        struct so_draft_page page = {0};
        filter_apply(f, &req);
        req.status = "open";
        req.mine = 1;
        req.after = after;
        req.limit = SESSION_PAGE;
        req.sla = sla;
        st = s->q->ops->list(s->q, &req, &page, err);
        free(after);
        after = NULL;
        if (st != SO_OK)
            return st == SO_EMPTY ? SO_EMPTY : st;
        st = SO_EMPTY;
        for (size_t i = 0; i < page.n && st == SO_EMPTY; i++) {
            if (was_skipped(s, page.rows[i].id))
                continue;
            enum so_status c = claim_one(s, f->workflow, page.rows[i].id, err);
            if (c == SO_OK ||
                (c != SO_ERR_LEASE && c != SO_EMPTY && c != SO_ERR_CONFLICT &&
                 c != SO_ERR_NOTFOUND && c != SO_ERR_FORBIDDEN))
                st = c;
        }
        after = page.next_cursor;
        page.next_cursor = NULL;
        so_draft_page_free(&page);
        if (st != SO_EMPTY || !after)
            break;
    }
    free(after);
    if (st == SO_EMPTY)
        so_error_clear(err);
    return st;
}

/* The next draft, in the queue screen's order: while drafts are due
 * (nearing or past their SLA) the most overdue, then the claim order. */
static enum so_status claim_next(struct ui_session *s, const struct filter *f,
                                 struct so_error *err)
{
    if (s->sla_due) {
        enum so_status st = claim_listed(s, f, SO_LIST_SLA_DUE, err);
        if (st != SO_EMPTY)
            return st;
        s->sla_due = 0;
    }
    if (!filter_needs_listing(f) && s->nskipped == 0 && s->noutboxed == 0)
        return claim_one(s, f->workflow, NULL, err);
    return claim_listed(s, f, 0, err);
}

enum so_status ui_session_claim(struct ui_session *s, const struct filter *f,
                                const char *id, struct so_error *err)
{
    if (s->draft && id && strcmp(s->draft->id, id) == 0)
        return SO_OK;
    enum so_status st = release_draft(s, err);
    if (st != SO_OK)
        return st;
    /* A second decision on it would be recorded when both arrive. */
    if (id && ui_session_outboxed(s, id))
        return so_fail(err, SO_ERR_CONFLICT,
                       "%s: decided; the decision waits in the outbox, sent "
                       "when the server answers",
                       id);
    st = id ? claim_one(s, NULL, id, err) : claim_next(s, f, err);
    /* The workflow's guard and reasons, read while the queue answers (once
     * per workflow), so a reject still has its menu if the server goes. */
    if (st == SO_OK && s->draft)
        (void)ui_session_guard(s);
    return st;
}

int ui_session_shown(struct ui_session *s)
{
    if (!s->draft || s->shown_at != 0)
        return 0;
    s->shown_at = so_now_ms();
    s->shown_mono = so_mono_ms();
    s->last_event = s->shown_mono;
    return 1;
}

int64_t ui_session_seen_ms(const struct ui_session *s)
{
    if (!s->draft || s->shown_at == 0)
        return -1;
    return so_mono_ms() - s->shown_mono;
}

struct ui_guard ui_session_guard(struct ui_session *s)
{
    struct ui_guard g = {NULL, SO_DEFAULT_MIN_SEEN_MS, 1, NULL, 0};
    if (!s->draft)
        return g;
    for (size_t i = 0; i < s->nguards; i++)
        if (strcmp(s->guards[i].workflow, s->draft->workflow) == 0)
            return s->guards[i];
    struct so_workflow w;
    struct so_error err;
    so_error_clear(&err);
    if (s->q->ops->workflow_get(s->q, s->draft->workflow, &w, &err) != SO_OK)
        return g; /* asked again next time */
    g.min_seen_ms = w.min_seen_ms;
    g.confirm_flagged = w.confirm_flagged;
    g.reasons = xcalloc(w.nreasons ? w.nreasons : 1, sizeof *g.reasons);
    for (size_t i = 0; i < w.nreasons; i++) {
        g.reasons[i].code = xstrdup(w.reasons[i].code);
        g.reasons[i].label = xstrdup(w.reasons[i].label);
    }
    g.nreasons = w.nreasons;
    so_workflow_clear(&w);
    s->guards = xrealloc(s->guards, (s->nguards + 1) * sizeof *s->guards);
    g.workflow = xstrdup(s->draft->workflow);
    s->guards[s->nguards++] = g;
    return g;
}

void ui_session_input(struct ui_session *s)
{
    int64_t now = so_mono_ms();
    if (s->draft && s->shown_at) {
        int64_t gap = now - s->last_event;
        s->active_ms += gap < UI_SESSION_IDLE_MS ? gap : UI_SESSION_IDLE_MS;
    }
    s->last_event = now;
}

/* What a renewal's refusal means: its only checks are the claim's (who
 * holds it, its token, whether the draft is decided or still there), so
 * each of these says the claim is gone, taken or expired. */
static int renew_says_gone(enum so_status st)
{
    return st == SO_ERR_LEASE || st == SO_ERR_CONFLICT || st == SO_ERR_NOTFOUND;
}

enum so_status ui_session_tick(struct ui_session *s, struct so_error *err)
{
    if (!s->draft || s->lease_lost ||
        ui_session_lease_left(s) > UI_SESSION_RENEW_MS)
        return SO_OK;
    /* Renew only while the reviewer is at work: an abandoned terminal lets
     * the lease run out so the draft goes back to the queue. */
    if (so_mono_ms() - s->last_event > SO_DEFAULT_LEASE_MS)
        return SO_OK;
    int64_t until = 0;
    enum so_status st = s->q->ops->renew(s->q, s->draft->id,
                                         s->draft->lease_token, 0, &until, err);
    if (st == SO_OK)
        s->lease_until = until;
    else if (renew_says_gone(st))
        s->lease_lost = 1;
    return st;
}

/* A decision was refused with st. SO_ERR_LEASE is the claim lost. A
 * conflict or a missing draft may be the claim gone (decided by another
 * once my lease ran out) or a refusal of this decision alone (already
 * escalated, already reviewed by me) with the claim still mine: the
 * queue's answer to a renewal says which, and renews it when it is mine.
 * Any other refusal leaves the lease as it was. */
static void lease_after_refusal(struct ui_session *s, enum so_status st)
{
    if (st == SO_ERR_LEASE) {
        s->lease_lost = 1;
        return;
    }
    if (st != SO_ERR_CONFLICT && st != SO_ERR_NOTFOUND)
        return;
    struct so_error e;
    so_error_clear(&e);
    int64_t until = 0;
    enum so_status r = s->q->ops->renew(s->q, s->draft->id,
                                        s->draft->lease_token, 0, &until, &e);
    if (r == SO_OK)
        s->lease_until = until;
    else if (renew_says_gone(r))
        s->lease_lost = 1;
}

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Remember the decision, reusing its request_id if it is the one that
 * failed before. */
static void pending_set(struct ui_pending *p, enum so_action action,
                        const char *reason, const char *note,
                        const char *final_body)
{
    if (p->active && p->action == action && same_str(p->reason, reason) &&
        same_str(p->note, note) && same_str(p->final_body, final_body))
        return;
    pending_clear(p);
    p->active = 1;
    so_uuid(p->request_id);
    p->action = action;
    p->reason = xstrdup(reason);
    p->note = xstrdup(note);
    p->final_body = xstrdup(final_body);
}

enum so_status ui_session_decide(struct ui_session *s, enum so_action action,
                                 const char *reason, const char *note,
                                 const char *final_body,
                                 const struct filter *next,
                                 struct so_decide_result *res,
                                 struct so_error *err)
{
    if (!s->draft)
        return so_fail(err, SO_ERR_USAGE, "no draft is open");
    if (s->shown_at == 0)
        return so_fail(err, SO_ERR_USAGE, "%s was never on screen: look at "
                       "it first", s->draft->id);
    ui_session_input(s);
    pending_set(&s->pending, action, reason, note, final_body);
    struct so_decide_req req = {
        .draft_id = s->draft->id,
        .request_id = s->pending.request_id,
        .action = action,
        .reason = s->pending.reason,
        .note = s->pending.note,
        .final_body = s->pending.final_body,
        .shown_at = s->shown_at,
        .active_ms = s->active_ms,
        .lease_token = s->draft->lease_token,
    };
    /* One round trip: the queue claims the next draft with the decision
     * when a plain claim can honour the limit and nothing was skipped. */
    struct so_claim_req claim = {next ? next->workflow : NULL, NULL, 0};
    if (next && !filter_needs_listing(next) && s->nskipped == 0 &&
        s->noutboxed == 0 && !s->sla_due)
        req.claim_next = &claim;
    memset(res, 0, sizeof *res);
    enum so_status st = s->q->ops->decide(s->q, &req, res, err);
    if (st != SO_OK) {
        lease_after_refusal(s, st);
        return st;
    }
    if (!res->replayed) {
        s->decided++;
        s->worked_ms += req.active_ms;
    }
    if (strcmp(res->draft_status, "queued") == 0 &&
        !ui_session_outboxed(s, s->draft->id)) {
        s->outboxed = xrealloc(s->outboxed,
                               (s->noutboxed + 1) * sizeof *s->outboxed);
        s->outboxed[s->noutboxed++] = xstrdup(s->draft->id);
    }
    drop_draft(s);
    if (res->next.filled && res->next.status == SO_OK && res->next.draft) {
        took(s, res->next.draft);
        res->next.draft = NULL;
    }
    return st;
}

enum so_status ui_session_release(struct ui_session *s, struct so_error *err)
{
    return release_draft(s, err);
}

enum so_status ui_session_skip(struct ui_session *s, struct so_error *err)
{
    if (!s->draft)
        return SO_OK;
    char *id = xstrdup(s->draft->id);
    enum so_status st = release_draft(s, err);
    if (st == SO_OK && s->nskipped < UI_SESSION_MAX_SKIPPED) {
        s->skipped = xrealloc(s->skipped, (s->nskipped + 1) * sizeof *s->skipped);
        s->skipped[s->nskipped++] = id;
        id = NULL;
    }
    free(id);
    return st;
}

enum so_status ui_session_undo(struct ui_session *s, struct so_error *err)
{
    enum so_status st = release_draft(s, err);
    if (st != SO_OK)
        return st;
    char request_id[37];
    so_uuid(request_id);
    struct so_draft *d = NULL;
    st = s->q->ops->undo(s->q, request_id, &d, err);
    if (st != SO_OK)
        return st;
    /* "12 of 146" counts the decisions that stand: the one undone is
     * open again (the time spent on it stays worked). */
    if (s->decided > 0)
        s->decided--;
    /* The draft is offered again even if I skipped it earlier. */
    for (size_t i = 0; i < s->nskipped; i++) {
        if (strcmp(s->skipped[i], d->id) == 0) {
            free(s->skipped[i]);
            s->skipped[i] = s->skipped[--s->nskipped];
            break;
        }
    }
    for (size_t i = 0; i < s->noutboxed; i++) {
        if (strcmp(s->outboxed[i], d->id) == 0) {
            free(s->outboxed[i]);
            s->outboxed[i] = s->outboxed[--s->noutboxed];
            break;
        }
    }
    took(s, d);
    return SO_OK;
}

int64_t ui_session_lease_left(const struct ui_session *s)
{
    if (!s->draft || s->lease_lost)
        return 0;
    int64_t left = s->lease_until - so_now_ms();
    return left > 0 ? left : 0;
}
