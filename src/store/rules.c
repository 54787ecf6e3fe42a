/*
 * store_rules: the rules both store backends apply (see rules.h), moved
 * here from the SQLite store so that the PostgreSQL store applies the same
 * ones: what differs per backend is SQL. Never includes a database header.
 */
#include "signoff/store/rules.h"

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>

#include "signoff/agreement.h"
#include "signoff/audit.h"
#include "signoff/automate.h"
#include "signoff/filter.h"
#include "signoff/gold.h"
#include "signoff/diff.h"
#include "signoff/names.h"
#include "signoff/util.h"

#define DAY_MS 86400000LL

static int too_long(const char *s, size_t max)
{
    return s && strlen(s) > max;
}

enum so_status store_rules_draft(const struct so_draft *d,
                                 struct so_error *err)
{
    if (!d->id || !*d->id)
        return so_fail(err, SO_ERR_INVALID, "id: required");
    if (too_long(d->id, SO_MAX_ID))
        return so_fail(err, SO_ERR_TOOLARGE, "id: over %d bytes", SO_MAX_ID);
    if (!d->workflow || !*d->workflow)
        return so_fail(err, SO_ERR_INVALID, "workflow: required");
    if (names_check("workflow", d->workflow, err) != SO_OK ||
        (d->model && names_check("model", d->model, err) != SO_OK))
        return err->code;
    if (!d->body)
        return so_fail(err, SO_ERR_INVALID, "body: required");
    if (too_long(d->body, SO_MAX_BODY) || too_long(d->input, SO_MAX_BODY))
        return so_fail(err, SO_ERR_TOOLARGE, "%s: over %u bytes",
                       too_long(d->body, SO_MAX_BODY) ? "body" : "input",
                       SO_MAX_BODY);
    if (too_long(d->title, SO_MAX_FIELD))
        return so_fail(err, SO_ERR_TOOLARGE, "title: over %u bytes",
                       SO_MAX_FIELD);
    if (d->ncitations > SO_MAX_CITATIONS)
        return so_fail(err, SO_ERR_TOOLARGE, "citations: more than %d",
                       SO_MAX_CITATIONS);
    if (d->confidence != -1 && !(d->confidence >= 0 && d->confidence <= 1))
        return so_fail(err, SO_ERR_INVALID, "confidence: not in 0..1");
    return SO_OK;
}

int store_rules_reserved_request(const char *request_id)
{
    return request_id && strncmp(request_id, "auto-", 5) == 0;
}

enum so_status store_rules_request_id(const char *verb, const char *draft_id,
                                      const char *request_id,
                                      struct so_error *err)
{
    const char *id = draft_id ? draft_id : "";
    const char *sep = draft_id ? ": " : "";
    if (!request_id || !*request_id || strlen(request_id) > SO_MAX_ID)
        return so_fail(err, SO_ERR_INVALID, "%s%s%s: bad request_id", id, sep,
                       verb);
    if (names_check("request_id", request_id, err) != SO_OK)
        return err->code;
    if (store_rules_reserved_request(request_id))
        return so_fail(err, SO_ERR_INVALID,
                       "%s%s%s: request ids starting auto- are reserved "
                       "for automatic decisions",
                       id, sep, verb);
    return SO_OK;
}

/* The draft id and request id of a write (verb: decide, applied): both
 * there, the request id a valid one (store_rules_request_id). */
static enum so_status request_ids(const char *verb, const char *draft_id,
                                  const char *request_id,
                                  struct so_error *err)
{
    if (!draft_id || !*draft_id)
        return so_fail(err, SO_ERR_INVALID, "%s: no draft id", verb);
    return store_rules_request_id(verb, draft_id, request_id, err);
}

/* Nothing but spaces, tabs and line ends. */
static int only_space(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return 0;
    return 1;
}

enum so_status store_rules_decide_req(const struct so_decide_req *req,
                                      struct so_error *err)
{
    if (request_ids("decide", req->draft_id, req->request_id, err) != SO_OK)
        return err->code;
    if (req->action != SO_ACT_APPROVE && req->action != SO_ACT_EDIT &&
        req->action != SO_ACT_REJECT && req->action != SO_ACT_ESCALATE)
        return so_fail(err, SO_ERR_INVALID, "%s: decide: bad action",
                       req->draft_id);
    if (req->action == SO_ACT_EDIT && !req->final_body)
        return so_fail(err, SO_ERR_INVALID,
                       "%s: edit: the edited text is missing", req->draft_id);
    if (req->final_body && strlen(req->final_body) > SO_MAX_BODY)
        return so_fail(err, SO_ERR_TOOLARGE, "%s: edited text over %u bytes",
                       req->draft_id, SO_MAX_BODY);
    /* A draft cannot go out empty, as a producer cannot enqueue one. */
    if (req->action == SO_ACT_EDIT && only_space(req->final_body))
        return so_fail(err, SO_ERR_INVALID,
                       "%s: edit: the edited text is empty (a draft cannot "
                       "go out empty; reject it instead)", req->draft_id);
    if ((req->reason && names_check("reason", req->reason, err) != SO_OK) ||
        (req->note &&
         names_check_note("note", req->note, SO_MAX_FIELD, err) != SO_OK))
        return err->code;
    return SO_OK;
}

static void sha_or_empty(const char *text, char out[65])
{
    if (text)
        audit_sha256_hex(text, strlen(text), out);
    else
        out[0] = '\0';
}

void store_rules_record(const char *reviewer, const struct so_decide_req *req,
                        const struct so_draft *dr, int64_t claimed_at,
                        int64_t now, struct so_decision *d)
{
    memset(d, 0, sizeof *d);
    d->draft_id = (char *)req->draft_id;
    d->request_id = (char *)req->request_id;
    d->reviewer = (char *)reviewer;
    d->kind = "review";
    d->action = req->action;
    d->reason = (char *)req->reason;
    d->note = (char *)req->note;
    if (d->action == SO_ACT_EDIT) {
        d->final_body = (char *)req->final_body;
        d->edit_size = (int64_t)diff_changed_words(dr->body, req->final_body);
        /* An edit that changes no word (editors add a trailing newline) is
         * not an override: it counts as an approve of the body as given. */
        if (d->edit_size == 0)
            d->action = SO_ACT_APPROVE;
        if (strcmp(req->final_body, dr->body) == 0)
            d->final_body = NULL;
    }
    audit_sha256_hex(dr->body, strlen(dr->body), d->body_sha);
    sha_or_empty(d->final_body                 ? d->final_body
                 : d->action == SO_ACT_APPROVE ? dr->body
                                               : NULL,
                 d->final_sha);
    d->shown_at = req->shown_at;
    d->decided_at = now;
    d->active_ms = req->active_ms;
    so_decide_clamp_times(claimed_at, d->decided_at, &d->shown_at,
                          &d->active_ms);
}

/* Equal texts, where none and "" are the same (an empty note or reason
 * is stored as none). */
static int same_text(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

int store_rules_same_decision(const struct so_decide_req *req,
                              const struct so_decision *mine,
                              const struct so_decision *d)
{
    return mine->action == d->action &&
           same_text(mine->final_body, d->final_body) &&
           same_text(req->reason, d->reason) && same_text(req->note, d->note);
}

enum so_status store_rules_replay_owner(const char *reviewer,
                                        const struct so_decide_req *req,
                                        const struct so_decision *d,
                                        struct so_error *err)
{
    if (!d->reviewer || strcmp(d->reviewer, reviewer) != 0)
        return so_fail(err, SO_ERR_CONFLICT,
                       "%s: request_id %s is already used by another "
                       "reviewer; make a new one",
                       req->draft_id, req->request_id);
    if (strcmp(d->draft_id, req->draft_id) != 0 || d->action == SO_ACT_REVERT)
        return so_fail(err, SO_ERR_CONFLICT,
                       "%s: request_id %s already used for another record",
                       req->draft_id, req->request_id);
    return SO_OK;
}

static void hhmm(int64_t ms, char out[8])
{
    char iso[32];
    so_format_time(ms, iso);
    snprintf(out, 8, "%.5s", iso + 11);
}

enum so_status store_rules_lease_verdict(const char *reviewer, const char *id,
                                         const struct store_claim *c,
                                         int64_t token, int64_t now,
                                         struct so_error *err)
{
    const char *by = c->claimed_by ? c->claimed_by : "";
    char until[8];
    if (c->status == SO_DS_DECIDED)
        return so_fail(err, SO_ERR_CONFLICT, "%s: already decided", id);
    if (c->status == SO_DS_PENDING || !by[0])
        return so_fail(err, SO_ERR_LEASE, "%s: lease lost: not claimed by you",
                       id);
    if (strcmp(by, reviewer) != 0) {
        hhmm(c->lease_until, until);
        if (c->lease_until >= now)
            return so_fail(err, SO_ERR_LEASE,
                           "%s: lease lost: claimed by %s until %s UTC", id,
                           by, until);
        return so_fail(err, SO_ERR_LEASE, "%s: lease lost: not claimed by you",
                       id);
    }
    if (token != 0 && token != c->lease_token)
        return so_fail(err, SO_ERR_LEASE, "%s: lease lost: claimed again since",
                       id);
    return SO_OK;
}

enum so_status store_rules_not_others(const char *reviewer, const char *id,
                                      const struct store_claim *c,
                                      const char *what, int64_t now,
                                      struct so_error *err)
{
    const char *by = c->claimed_by ? c->claimed_by : "";
    int live = c->status != SO_DS_PENDING && c->status != SO_DS_DECIDED &&
               by[0] && c->lease_until >= now;
    if (!live || strcmp(by, reviewer) == 0)
        return SO_OK;
    char until[8];
    hhmm(c->lease_until, until);
    return so_fail(err, SO_ERR_LEASE, "%s: %s%sclaimed by %s until %s UTC", id,
                   what ? what : "", what ? ": " : "", by, until);
}

enum so_status store_rules_workflow(const struct so_workflow *w, unsigned mask,
                                   struct so_error *err)
{
    if (names_check("workflow", w->name, err) != SO_OK)
        return err->code;
    if ((mask & SO_WF_THRESHOLD) && !(w->threshold >= 0 && w->threshold <= 1))
        return so_fail(err, SO_ERR_INVALID, "threshold: not in 0..1");
    if ((mask & SO_WF_WINDOW) && (w->window_ms < SO_MIN_WINDOW_MS ||
                                  w->window_ms > SO_MAX_WINDOW_MS))
        return so_fail(err, SO_ERR_INVALID, "window: not in 1m..366d");
    if ((mask & SO_WF_MIN) &&
        (w->min_decisions < 0 || w->min_decisions > SO_MAX_MIN_DECISIONS))
        return so_fail(err, SO_ERR_INVALID, "min-decisions: not in 0..%d",
                       SO_MAX_MIN_DECISIONS);
    if ((mask & SO_WF_REVIEWS) &&
        (w->reviews < 1 || w->reviews > SO_MAX_REVIEWS))
        return so_fail(err, SO_ERR_INVALID, "reviews: not in 1..%d",
                       SO_MAX_REVIEWS);
    if ((mask & SO_WF_REVEAL) && (!w->reveal || (strcmp(w->reveal, "after") &&
                                                 strcmp(w->reveal, "never"))))
        return so_fail(err, SO_ERR_INVALID, "reveal: after or never");
    if ((mask & SO_WF_RESOLVER) &&
        (!w->resolver || (strcmp(w->resolver, "supervisor") &&
                          strcmp(w->resolver, "reviewer"))))
        return so_fail(err, SO_ERR_INVALID, "resolver: supervisor or reviewer");
    if ((mask & SO_WF_MIN_SEEN) &&
        (w->min_seen_ms < 0 || w->min_seen_ms > SO_MAX_MIN_SEEN_MS))
        return so_fail(err, SO_ERR_INVALID, "min-seen: not in 0..%d ms",
                       SO_MAX_MIN_SEEN_MS);
    if ((mask & SO_WF_RELEASE) &&
        (w->release_after_ms < 0 || w->release_after_ms > 86400000LL))
        return so_fail(err, SO_ERR_INVALID, "release-after: not in 0..24h");
    if ((mask & SO_WF_APPLIED_WITHIN) &&
        (w->applied_within_ms <= 0 ||
         w->applied_within_ms > SO_MAX_APPLIED_WITHIN_MS))
        return so_fail(err, SO_ERR_INVALID, "applied-within: not in 1ms..366d");
    if ((mask & SO_WF_GOLD) && !(w->gold_pct >= 0 && w->gold_pct <= 50))
        return so_fail(err, SO_ERR_INVALID, "gold: not in 0..50%%");
    if ((mask & SO_WF_GOLD_BAR) && !(w->gold_bar >= 0 && w->gold_bar <= 1))
        return so_fail(err, SO_ERR_INVALID, "gold-bar: not in 0..100%%");
    if ((mask & SO_WF_GUIDELINES) && w->guidelines &&
        strlen(w->guidelines) > SO_MAX_GUIDELINES)
        return so_fail(err, SO_ERR_TOOLARGE, "guidelines: over %u bytes",
                       SO_MAX_GUIDELINES);
    if ((mask & SO_WF_OWNER) && w->owner && *w->owner &&
        names_check("owner", w->owner, err) != SO_OK)
        return err->code;
    if ((mask & SO_WF_AUTOMATE) && w->automate &&
        !(w->automate_from >= 0 && w->automate_from <= 1))
        return so_fail(err, SO_ERR_INVALID, "automate-from: not in 0..1");
    if ((mask & SO_WF_AUTOMATE) && w->automate &&
        !(w->sample_pct >= 0 && w->sample_pct <= 100))
        return so_fail(err, SO_ERR_INVALID, "sample: not in 0..100%%");
    if ((mask & SO_WF_AUTOMATE) && w->force &&
        (!w->policy_reason || !*w->policy_reason))
        return so_fail(err, SO_ERR_INVALID,
                       "--force needs --reason: why the readiness figure is "
                       "overruled (it is recorded)");
    if ((mask & SO_WF_AUTOMATE) && w->sample_seed &&
        (!*w->sample_seed || strlen(w->sample_seed) > 64))
        return so_fail(err, SO_ERR_INVALID, "sample seed: 1..64 bytes");
    if ((mask & SO_WF_AUTOMATE) && w->policy_reason &&
        names_check_note("reason", w->policy_reason, SO_MAX_FIELD, err) !=
            SO_OK)
        return err->code;
    if ((mask & SO_WF_ALWAYS_REVIEW) &&
        automate_check_patterns(w->always_review, err) != SO_OK)
        return err->code;
    if ((mask & SO_WF_SWITCH) &&
        store_rules_pause(w->name, w->automation_paused,
                          w->automation_reason, err) != SO_OK)
        return err->code;
    if ((mask & SO_WF_OWNER) && w->owner_reason && *w->owner_reason &&
        names_check_note("reason", w->owner_reason, SO_MAX_FIELD, err) !=
            SO_OK)
        return err->code;
    return store_rules_cost_settings(w, mask, err);
}

static int same_owner(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

enum so_status store_rules_owner(const struct so_workflow *cur,
                                 const char *reviewer,
                                 const struct so_workflow *w, unsigned mask,
                                 int *takeover, int *pause,
                                 struct so_error *err)
{
    *takeover = *pause = 0;
    if (!(mask & SO_WF_OWNER) || !cur || !cur->owner || !*cur->owner ||
        same_owner(cur->owner, w->owner) ||
        (reviewer && strcmp(reviewer, cur->owner) == 0))
        return SO_OK; /* a first owner, no change, or a handover */
    if (!w->owner_reason || !*w->owner_reason)
        return so_fail(err, SO_ERR_FORBIDDEN,
                       "workflow %s: its owner is %s; only %s hands it "
                       "over, or give --reason to take it over (recorded; "
                       "pauses its automation)",
                       w->name, cur->owner, cur->owner);
    if (mask & SO_WF_SWITCH)
        return so_fail(err, SO_ERR_CONFLICT,
                       "workflow %s: a takeover pauses its automation "
                       "itself; pause or resume it in a change of its own",
                       w->name);
    *takeover = 1;
    *pause = automate_active(cur);
    return SO_OK;
}

enum so_status store_rules_cost_settings(const struct so_workflow *w,
                                         unsigned mask, struct so_error *err)
{
    if ((mask & SO_WF_CURRENCY) && !so_currency_valid(w->currency))
        return so_fail(err, SO_ERR_INVALID,
                       "currency: expected an ISO 4217 code of three capital "
                       "letters (USD, EUR)");
    if ((mask & SO_WF_RATE) &&
        !(w->hourly_rate >= 0 && w->hourly_rate <= SO_MAX_HOURLY_RATE))
        return so_fail(err, SO_ERR_INVALID, "hourly-rate: not in 0..%.0f",
                       SO_MAX_HOURLY_RATE);
    if ((mask & SO_WF_SLA) && w->sla_ms != 0 &&
        (w->sla_ms < SO_MIN_SLA_MS || w->sla_ms > SO_MAX_SLA_MS))
        return so_fail(err, SO_ERR_INVALID,
                       "sla: not in 1m..366d (0 or \"off\": none)");
    if ((mask & SO_WF_SLA_ALERT) && !(w->sla_alert >= 0 && w->sla_alert <= 1))
        return so_fail(err, SO_ERR_INVALID, "sla-alert: not in 0..1");
    return SO_OK;
}

enum so_status store_rules_draft_cost(const struct so_draft *d,
                                      const char *currency,
                                      struct so_error *err)
{
    if (d->cost_micros < 0 || !currency || strcmp(d->currency, currency) == 0)
        return SO_OK;
    return so_fail(err, SO_ERR_INVALID,
                   "cost.currency: %s, but workflow %s counts cost in %s "
                   "(signoff workflow set %s --currency %s)",
                   d->currency, d->workflow, currency, d->workflow,
                   d->currency);
}

int64_t store_rules_human_cost(int64_t active_ms, double hourly_rate)
{
    if (active_ms <= 0 || !(hourly_rate > 0))
        return 0;
    return llround((double)active_ms * hourly_rate * 1e6 / 3600000.0);
}

enum so_status store_rules_policy(const struct so_workflow *cur,
                                  const char *reviewer,
                                  const struct so_workflow *w, unsigned mask,
                                  const struct automate_evidence *e,
                                  struct so_error *err)
{
    if (!(mask & (SO_WF_AUTOMATE | SO_WF_ALWAYS_REVIEW)))
        return SO_OK;
    if (!cur->owner || !*cur->owner)
        return so_fail(err, SO_ERR_FORBIDDEN,
                       "workflow %s has no owner: only its owner sets the "
                       "automation policy (name one with --owner first)",
                       w->name);
    if (!reviewer || strcmp(reviewer, cur->owner) != 0)
        return so_fail(err, SO_ERR_FORBIDDEN,
                       "workflow %s: only its owner %s sets the automation "
                       "policy, not %s",
                       w->name, cur->owner, reviewer ? reviewer : "(nobody)");
    if (!(mask & SO_WF_AUTOMATE) || !w->automate || w->force)
        return SO_OK;
    if (automate_supported(e, cur->threshold, cur->min_decisions))
        return SO_OK;
    if (e->decided < cur->min_decisions || e->decided == 0)
        return so_fail(err, SO_ERR_CONFLICT,
                       "workflow %s: not ready to automate from %.2f: %lld "
                       "decisions at or above it in the window, %d needed "
                       "(--force --reason TEXT to override)",
                       w->name, w->automate_from, (long long)e->decided,
                       cur->min_decisions);
    return so_fail(err, SO_ERR_CONFLICT,
                   "workflow %s: not ready to automate from %.2f: override "
                   "rate %.1f%%, upper bound %.1f%% >= threshold %.1f%% over "
                   "%lld decisions (--force --reason TEXT to override)",
                   w->name, w->automate_from, e->rate * 100, e->hi * 100,
                   cur->threshold * 100, (long long)e->decided);
}

int store_rules_list_open(const struct so_list_req *req)
{
    return req->status && strcmp(req->status, "open") == 0;
}

enum so_status store_rules_list_req(const struct so_list_req *req,
                                    struct so_error *err)
{
    if (req->status && !store_rules_list_open(req) &&
        so_dstatus_from_name(req->status) < 0)
        return so_fail(err, SO_ERR_INVALID,
                       "status: expected pending, claimed, decided, resolve, "
                       "escalated or open, not '%s'",
                       req->status);
    char **terms = NULL;
    size_t n = 0;
    if (req->text && filter_terms(req->text, &terms, &n, err) != SO_OK)
        return err->code;
    filter_terms_free(terms, n);
    return SO_OK;
}

enum so_status store_rules_hook_workflow(const char *workflow, int exists,
                                         struct so_error *err)
{
    if (exists)
        return SO_OK;
    return so_fail(err, SO_ERR_INVALID,
                   "workflow: %s: no such workflow (a hook is for one "
                   "workflow the queue has: create it with signoff workflow "
                   "set, or enqueue a draft into it)",
                   workflow);
}

enum so_status store_rules_pause(const char *name, int paused,
                                 const char *reason, struct so_error *err)
{
    if (paused && (!reason || !*reason))
        return so_fail(err, SO_ERR_INVALID, "%s: pausing needs a reason",
                       name);
    if (names_check("workflow", name, err) != SO_OK ||
        (reason &&
         names_check_note("reason", reason, SO_MAX_FIELD, err) != SO_OK))
        return err->code;
    return SO_OK;
}

enum so_status store_rules_resume(const struct so_workflow *w,
                                  const char *who, struct so_error *err)
{
    return queue_resume_check(w, who, err);
}

enum so_status store_rules_escalate_again(const char *id,
                                          enum so_dstatus status,
                                          enum so_action action,
                                          struct so_error *err)
{
    return queue_escalate_check(id, status, action, err);
}

enum so_status store_rules_undo(const char *reviewer,
                                const struct so_decision *orig,
                                int64_t latest_seq, const struct store_claim *c,
                                int reviews_needed, int64_t now,
                                struct so_error *err)
{
    if (latest_seq != orig->seq)
        return so_fail(err, SO_ERR_CONFLICT,
                       "%s: another reviewer decided it since; their "
                       "decision stands",
                       orig->draft_id);
    enum so_status code =
        store_rules_not_others(reviewer, orig->draft_id, c, "undo", now, err);
    if (code != SO_OK)
        return code;
    int review = !orig->kind || strcmp(orig->kind, "review") == 0;
    if (review && reviews_needed > 1 && orig->action != SO_ACT_ESCALATE &&
        (c->status == SO_DS_RESOLVE || c->status == SO_DS_DECIDED))
        return so_fail(err, SO_ERR_CONFLICT,
                       "%s: undo: the reviews are complete and the draft %s;"
                       " a review cannot be taken back now",
                       orig->draft_id,
                       c->status == SO_DS_RESOLVE ? "awaits its resolution"
                                                  : "is final");
    return SO_OK;
}

enum so_status store_rules_escalated_taker(const char *id,
                                           enum so_dstatus status,
                                           int supervisor, struct so_error *err)
{
    if (status == SO_DS_ESCALATED && !supervisor)
        return so_fail(err, SO_ERR_FORBIDDEN,
                       "%s: escalated; a supervisor decides it", id);
    return SO_OK;
}

enum so_status store_rules_reasons(const struct so_reason *v, size_t n,
                                   struct so_error *err)
{
    if (n > SO_MAX_REASONS)
        return so_fail(err, SO_ERR_INVALID, "reasons: more than %d",
                       SO_MAX_REASONS);
    for (size_t i = 0; i < n; i++) {
        if (so_reason_check(v[i].code, v[i].label ? v[i].label : "",
                            err) != SO_OK)
            return err->code;
        for (size_t k = 0; k < i; k++)
            if (strcmp(v[k].code, v[i].code) == 0)
                return so_fail(err, SO_ERR_INVALID,
                               "reasons: '%s' given twice", v[i].code);
    }
    return SO_OK;
}

enum so_status store_rules_gold(const struct gold_item *g,
                                struct so_error *err)
{
    struct so_error e;
    if (store_rules_draft(g->draft, &e) != SO_OK)
        return so_fail(err, e.code, "draft.%s", e.msg);
    if (g->expected != SO_ACT_APPROVE && g->expected != SO_ACT_EDIT &&
        g->expected != SO_ACT_REJECT && g->expected != SO_ACT_ESCALATE)
        return so_fail(err, SO_ERR_INVALID,
                       "expected: approve, edit, reject or escalate");
    if (g->reasons && g->expected != SO_ACT_REJECT)
        return so_fail(err, SO_ERR_INVALID,
                       "reasons: only an expected reject has reasons");
    return SO_OK;
}

enum so_status store_rules_reason_in(const char *id,
                                     const struct so_workflow *w,
                                     const char *code, struct so_error *err)
{
    struct buf b;
    for (size_t i = 0; i < w->nreasons; i++)
        if (strcmp(w->reasons[i].code, code) == 0)
            return SO_OK;
    buf_init(&b);
    for (size_t i = 0; i < w->nreasons; i++)
        buf_addf(&b, "%s%s", i ? ", " : "", w->reasons[i].code);
    so_fail(err, SO_ERR_INVALID,
            "%s: reason: '%s' is not a reason code of workflow %s (%s)", id,
            code, w->name, w->nreasons ? buf_cstr(&b) : "none");
    buf_free(&b);
    return SO_ERR_INVALID;
}

void store_rules_auto_record(const struct so_draft *dr, const char *request_id,
                             const char *note, int64_t now,
                             struct so_decision *d)
{
    memset(d, 0, sizeof *d);
    d->draft_id = dr->id;
    d->request_id = (char *)request_id;
    d->reviewer = AUTOMATE_REVIEWER;
    d->kind = "review";
    d->action = SO_ACT_APPROVE;
    d->note = (char *)note;
    audit_sha256_hex(dr->body, strlen(dr->body), d->body_sha);
    memcpy(d->final_sha, d->body_sha, sizeof d->final_sha);
    d->shown_at = now;
    d->decided_at = now;
}

void store_rules_pull_back_record(const struct so_draft *dr, int64_t seq,
                                  const char *request_id, const char *who,
                                  const char *note, int64_t now,
                                  struct so_decision *d)
{
    memset(d, 0, sizeof *d);
    d->draft_id = dr->id;
    d->request_id = (char *)request_id;
    d->reviewer = (char *)who;
    d->kind = "review";
    d->action = SO_ACT_REVERT;
    d->reverts_seq = seq;
    d->note = (char *)note;
    audit_sha256_hex(dr->body, strlen(dr->body), d->body_sha);
    d->shown_at = now;
    d->decided_at = now;
}

void store_rules_auto_ids(const struct so_draft *dr, double from,
                          double sample_pct, int64_t policy_id,
                          char request_id[SO_AUTO_RQ_MAX], char note[128])
{
    /* "auto-" and the id itself (reserved: store_rules_decide_req), so
     * the index on request ids grows in the ids' order */
    snprintf(request_id, SO_AUTO_RQ_MAX, "auto-%s", dr->id);
    snprintf(note, 128, "policy %lld: automate from %.2f, sample %g%%",
             (long long)policy_id, from, sample_pct);
}

enum so_status store_rules_may_take(const char *id,
                                    const struct store_review_state *st,
                                    int supervisor, struct so_error *err)
{
    if (st->mine)
        return so_fail(err, SO_ERR_CONFLICT,
                       "%s: you already reviewed this draft; the next "
                       "review is another reviewer's",
                       id);
    if (st->status == SO_DS_RESOLVE && !supervisor && !st->reviewer_resolves)
        return so_fail(err, SO_ERR_FORBIDDEN,
                       "%s: the reviews disagree; a supervisor resolves it",
                       id);
    return store_rules_escalated_taker(id, st->status, supervisor, err);
}

int store_rules_visible(const struct store_review_state *st,
                        const char *reviewer, int supervisor)
{
    int step = st->status == SO_DS_RESOLVE || st->status == SO_DS_ESCALATED;
    int holder = step && st->claimed_by && reviewer &&
                 strcmp(st->claimed_by, reviewer) == 0;
    int reviewed = step || st->status == SO_DS_DECIDED;
    int overseer = supervisor && reviewed && !st->mine;
    return overseer || st->reviews_needed <= 1 || holder ||
           (st->status == SO_DS_DECIDED && st->reveal_after);
}

void store_rules_votes_free(struct store_vote *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].reviewer);
    free(v);
}

int store_rules_unanimous(const struct store_vote *v, size_t n)
{
    if (n == 0 ||
        (v[0].action != SO_ACT_APPROVE && v[0].action != SO_ACT_REJECT))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (v[i].action != v[0].action)
            return 0;
    return 1;
}

/* Whether the newest vote (the last) matches every earlier one; edits
 * never agree (two edits are two different texts). -1 when it is the
 * first. */
static int agreed_with_earlier(const struct store_vote *v, size_t n)
{
    if (n < 2)
        return -1;
    enum so_action me = v[n - 1].action;
    if (me != SO_ACT_APPROVE && me != SO_ACT_REJECT)
        return 0;
    for (size_t i = 0; i + 1 < n; i++)
        if (v[i].action != me)
            return 0;
    return 1;
}

enum so_status store_rules_pairs(const struct store_vote *v, size_t n,
                                 enum so_status (*fn)(void *ctx,
                                                      const struct store_vote *a,
                                                      const struct store_vote *b,
                                                      struct so_error *err),
                                 void *ctx, struct so_error *err)
{
    enum so_status code = SO_OK;
    for (size_t i = 0; code == SO_OK && i < n; i++) {
        if (agreement_category(so_action_name(v[i].action)) < 0)
            continue;
        for (size_t j = i + 1; code == SO_OK && j < n; j++) {
            if (agreement_category(so_action_name(v[j].action)) < 0)
                continue;
            int swap = strcmp(v[i].reviewer, v[j].reviewer) > 0;
            code = fn(ctx, swap ? &v[j] : &v[i], swap ? &v[i] : &v[j], err);
        }
    }
    return code;
}

static int is_resolve(const struct so_decision *d)
{
    return d->kind && strcmp(d->kind, "resolve") == 0;
}

int store_rules_needs_votes(const struct so_decision *d, int reviews_needed)
{
    return !is_resolve(d) && d->action != SO_ACT_ESCALATE &&
           reviews_needed > 1;
}

void store_rules_settle(const struct so_decision *d, int reviews_needed,
                        int was_escalated, int reveal_after,
                        const struct store_vote *v, size_t n,
                        struct store_settle *out)
{
    int resolve = is_resolve(d);
    memset(out, 0, sizeof *out);
    out->status = "decided";
    out->agreed = -1;
    out->reviews_inc = !resolve;
    out->feed = 1;
    if (d->action == SO_ACT_ESCALATE) {
        out->status = "escalated";
        out->rollup = 1;
        return;
    }
    if (store_rules_needs_votes(d, reviews_needed)) {
        out->agreed = reveal_after ? agreed_with_earlier(v, n) : -1;
        if ((int)n < reviews_needed) {
            out->status = "pending";
            return;
        }
        out->pairs = 1;
        if (!store_rules_unanimous(v, n)) {
            out->status = "resolve";
            return;
        }
    }
    out->rollup = 1;
    out->resolution = resolve && !was_escalated;
}

int store_rules_maybe_on_escalated(const struct so_decision *orig)
{
    return is_resolve(orig) && orig->action != SO_ACT_ESCALATE;
}

void store_rules_unsettle(const struct so_decision *orig,
                          enum so_dstatus status, int was_escalated,
                          struct store_unsettle *out)
{
    int resolve = is_resolve(orig);
    memset(out, 0, sizeof *out);
    out->rollup = status == SO_DS_DECIDED || orig->action == SO_ACT_ESCALATE;
    out->resolution =
        resolve && !was_escalated && orig->action != SO_ACT_ESCALATE;
    out->status = was_escalated ? "escalated" : resolve ? "resolve" : "claimed";
    out->reviews_dec = !resolve;
}

void store_rules_settle_gold(struct store_settle *o)
{
    o->pairs = o->rollup = o->resolution = o->feed = 0;
}

void store_gold_key_clear(struct store_gold_key *k)
{
    free(k->reasons);
    memset(k, 0, sizeof *k);
}

void store_rules_unsettle_gold(struct store_unsettle *u)
{
    u->rollup = u->resolution = 0;
}

void store_rules_rollup_entry(const struct so_decision *d,
                              const struct so_draft *dr,
                              struct store_rollup_entry *e)
{
    memset(e, 0, sizeof *e);
    e->decision_ms = e->action_ms = -1;
    e->decided_at = d->decided_at;
    e->workflow = dr->workflow;
    e->model = dr->model;
    e->reviewer = d->reviewer;
    e->confidence = dr->confidence;
    e->action = d->action;
    e->reason = d->reason;
    e->active_ms = d->active_ms;
    e->edit_size = d->edit_size;
    e->body_words = so_word_count(dr->body);
}

/* The draft's own figures (reported by its producer) and its time from
 * enqueue to e's decision. */
static void task_of_draft(const struct so_draft *dr,
                          struct store_rollup_entry *e)
{
    int64_t *c = e->cost;
    c[STORE_COST_ai_cost] = dr->cost_micros > 0 ? dr->cost_micros : 0;
    c[STORE_COST_ai_cost_n] = dr->cost_micros >= 0;
    c[STORE_COST_tokens] = dr->tokens > 0 ? dr->tokens : 0;
    c[STORE_COST_tokens_n] = dr->tokens >= 0;
    c[STORE_COST_gen_ms] = dr->latency_ms > 0 ? dr->latency_ms : 0;
    c[STORE_COST_gen_n] = dr->latency_ms >= 0;
    e->decision_ms = e->decided_at > dr->created_at
                         ? e->decided_at - dr->created_at
                         : 0;
}

void store_rules_rollup_task(const struct so_draft *dr, int64_t human_ms,
                             double hourly_rate, int64_t sla_ms,
                             struct store_rollup_entry *e)
{
    task_of_draft(dr, e);
    e->cost[STORE_COST_human_ms] = human_ms;
    e->cost[STORE_COST_human_cost] =
        store_rules_human_cost(human_ms, hourly_rate);
    e->cost[STORE_COST_sla_n] = sla_ms > 0;
    e->cost[STORE_COST_sla_missed] = sla_ms > 0 && e->decision_ms > sla_ms;
}

void store_rules_task_kept(const struct store_rollup_entry *e,
                           int64_t *human_ms, int64_t *human_cost,
                           int64_t *sla_missed)
{
    *human_ms = e->cost[STORE_COST_human_ms];
    *human_cost = e->cost[STORE_COST_human_cost];
    *sla_missed =
        e->cost[STORE_COST_sla_n] ? e->cost[STORE_COST_sla_missed] : -1;
}

void store_rules_rollup_recall(const struct so_draft *dr, int64_t human_ms,
                               int64_t human_cost, int64_t sla_missed,
                               struct store_rollup_entry *e)
{
    task_of_draft(dr, e);
    e->cost[STORE_COST_human_ms] = human_ms;
    e->cost[STORE_COST_human_cost] = human_cost;
    e->cost[STORE_COST_sla_n] = sla_missed >= 0;
    e->cost[STORE_COST_sla_missed] = sla_missed > 0;
}

int store_rules_rollup_acted(int64_t decided_at, const char *workflow,
                             const char *model, const char *reviewer,
                             double confidence, int64_t created_at,
                             int automatic, int64_t at,
                             struct store_rollup_entry *e)
{
    memset(e, 0, sizeof *e);
    e->decided_at = decided_at;
    e->workflow = workflow;
    e->model = model;
    e->reviewer = reviewer;
    e->confidence = confidence;
    e->action = SO_ACT_APPLIED;
    e->decision_ms = -1;
    e->action_ms = at > created_at ? at - created_at : 0;
    e->cost[STORE_COST_acted] = 1;
    return !automatic;
}

/* Which histograms e adds to: review time (not for an action record),
 * time to decision and to action (when counted), edit size (edits). */
int store_rules_rollup_hist(const struct store_rollup_entry *e, char metric,
                            int64_t *value)
{
    switch (metric) {
    case 't':
        *value = e->active_ms;
        return e->action != SO_ACT_APPLIED;
    case 'd':
        *value = e->decision_ms;
        return e->decision_ms >= 0;
    case 'a':
        *value = e->action_ms;
        return e->action_ms >= 0;
    case 'e':
        *value = e->edit_size;
        return e->action == SO_ACT_EDIT;
    default:
        return 0;
    }
}

int store_rules_is_fast(const struct store_rollup_entry *e)
{
    return e->action == SO_ACT_APPROVE &&
           e->active_ms * 40 < 1000 * (int64_t)e->body_words;
}

int store_rules_autopause(double threshold, int min_decisions,
                          int64_t approved, int64_t overrides,
                          char reason[128])
{
    int64_t total = approved + overrides;
    if (total == 0 || total < min_decisions ||
        !((double)overrides / (double)total > threshold))
        return 0;
    snprintf(reason, 128, "auto-pause: override rate %.2f over threshold %.2f",
             (double)overrides / (double)total, threshold);
    return 1;
}

void store_rules_stats_days(const struct so_stats_req *req, int64_t now,
                            int64_t *d0, int64_t *d1)
{
    int64_t until = req->until_ms > 0 ? req->until_ms : now;
    *d0 = req->since_ms > 0 ? req->since_ms / DAY_MS : 0;
    *d1 = (until + DAY_MS - 1) / DAY_MS;
    if (until % DAY_MS == 0 && req->until_ms <= 0)
        (*d1)++;
}

void store_rules_window_days(int64_t now, int64_t window_ms, int64_t *d0,
                             int64_t *d1)
{
    int64_t days = (window_ms + DAY_MS - 1) / DAY_MS;
    *d1 = now / DAY_MS;
    *d0 = *d1 - (days > 0 ? days : 1) + 1;
}

enum so_status store_rules_reassign(const char *id, int supervisor,
                                    enum so_dstatus status, const char *to,
                                    int reviews_needed, struct so_error *err)
{
    if (!supervisor)
        return so_fail(err, SO_ERR_FORBIDDEN,
                       "%s: only a supervisor reassigns or releases another's "
                       "draft",
                       id);
    if (status == SO_DS_DECIDED)
        return so_fail(err, SO_ERR_CONFLICT, "%s: already decided", id);
    if (!to)
        return SO_OK;
    if (!*to || strlen(to) > SO_MAX_ID)
        return so_fail(err, SO_ERR_INVALID,
                       "to: a reviewer name of 1..%d bytes", SO_MAX_ID);
    /* Four-eyes: who may review is the claim's rule (one review each, the
     * resolver), so such a draft is only ever released. */
    if (reviews_needed > 1)
        return so_fail(err, SO_ERR_CONFLICT,
                       "%s: a four-eyes draft is not reassigned (release it "
                       "instead)",
                       id);
    return SO_OK;
}

void store_rules_result(const struct so_decision *d, const char *status,
                        int replayed, struct so_decide_result *res)
{
    memset(res, 0, sizeof *res);
    res->seq = d->seq;
    memcpy(res->hash, d->hash, sizeof res->hash);
    res->replayed = replayed;
    res->action = d->action;
    res->decided_at = d->decided_at;
    snprintf(res->draft_status, sizeof res->draft_status, "%s", status);
    res->review_agreed = -1;
}

enum so_status store_rules_applied_req(const struct so_applied_req *req,
                                       struct so_error *err)
{
    if (request_ids("applied", req->draft_id, req->request_id, err) != SO_OK)
        return err->code;
    if (!req->ref || !*req->ref)
        return so_fail(err, SO_ERR_INVALID,
                       "%s: applied: the external ref is missing",
                       req->draft_id);
    if (too_long(req->ref, SO_MAX_FIELD) || too_long(req->note, SO_MAX_FIELD))
        return so_fail(err, SO_ERR_TOOLARGE,
                       "%s: applied: ref or note over %u bytes", req->draft_id,
                       SO_MAX_FIELD);
    /* show and the feed print them: no terminal controls, bidi overrides
     * or invalid UTF-8, as for a decision's note. */
    if (names_check_note("ref", req->ref, SO_MAX_FIELD, err) != SO_OK ||
        (req->note &&
         names_check_note("note", req->note, SO_MAX_FIELD, err) != SO_OK))
        return err->code;
    return SO_OK;
}

enum so_status store_rules_applied_replay(const char *reviewer,
                                          const struct so_applied_req *req,
                                          const struct so_decision *d,
                                          struct so_error *err)
{
    /* The identity rules of a decision's request id (replay_owner). */
    if (!d->reviewer || strcmp(d->reviewer, reviewer) != 0)
        return so_fail(err, SO_ERR_CONFLICT,
                       "%s: request_id %s is already used by another "
                       "reviewer; make a new one",
                       req->draft_id, req->request_id);
    if (strcmp(d->draft_id, req->draft_id) != 0 ||
        d->action != SO_ACT_APPLIED)
        return so_fail(err, SO_ERR_CONFLICT,
                       "%s: request_id %s already used for another record",
                       req->draft_id, req->request_id);
    if (!same_text(d->reason, req->ref) || !same_text(d->note, req->note))
        return so_fail(err, SO_ERR_CONFLICT,
                       "%s: request_id %s already used for a different "
                       "action record; make a new one",
                       req->draft_id, req->request_id);
    return SO_OK;
}

void store_rules_applied_record(const char *reviewer,
                                const struct so_applied_req *req,
                                const char *body_sha, int64_t now,
                                struct so_decision *d)
{
    memset(d, 0, sizeof *d);
    snprintf(d->body_sha, sizeof d->body_sha, "%s", body_sha);
    d->draft_id = (char *)req->draft_id;
    d->request_id = (char *)req->request_id;
    d->reviewer = (char *)reviewer;
    d->kind = "action";
    d->action = SO_ACT_APPLIED;
    d->reason = (char *)req->ref;
    d->note = (char *)req->note;
    d->decided_at = now;
}

enum so_status store_rules_cursor(const char *after, struct store_cursor *c,
                                  struct so_error *err)
{
    static const long max = 9007199254740991L; /* 2^53 - 1 */
    char buf[96];
    char *save = NULL;
    long v[3];
    if (strncmp(after, "k1:", 3) != 0 || strlen(after) >= sizeof buf)
        goto bad;
    memcpy(buf, after + 3, strlen(after + 3) + 1);
    char *f = strtok_r(buf, ":", &save);
    for (int i = 0; i < 3; i++, f = strtok_r(NULL, ":", &save))
        if (!f || so_parse_long(f, i == 0 ? INT_MIN : 0,
                                i == 0 ? INT_MAX : max, &v[i]) != 0)
            goto bad;
    if (f)
        goto bad;
    c->priority = v[0];
    c->created_at = v[1];
    c->rid = v[2];
    return SO_OK;
bad:
    return so_fail(err, SO_ERR_INVALID,
                   "after: not a list cursor (the \"next\" of a page)");
}

char *store_rules_cursor_text(const struct store_cursor *c)
{
    return xasprintf("k1:%" PRId64 ":%" PRId64 ":%" PRId64, c->priority,
                     c->created_at, c->rid);
}
