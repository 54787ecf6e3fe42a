/*
 * admin: admin records (admin.h). What a change says is decided here, for
 * every backend: the verb, the subject and the detail (the fields changed,
 * from and to). Texts that are long (guidelines) enter the detail as their
 * SHA-256, as a draft's body enters a decision record.
 */
#include "signoff/admin.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "signoff/audit.h"
#include "signoff/json.h"
#include "signoff/token.h"

void admin_record_init(struct so_decision *d, const char *verb,
                       const char *subject, const char *by, char *detail,
                       int64_t at)
{
    memset(d, 0, sizeof *d);
    d->draft_id = xstrdup(subject);
    d->reviewer = xstrdup(by);
    d->action = SO_ACT_ADMIN;
    d->kind = xstrdup("admin");
    d->reason = xstrdup(verb);
    d->note = detail;
    d->decided_at = at;
    audit_sha256_hex(detail ? detail : "", detail ? strlen(detail) : 0,
                     d->body_sha);
}

static char *print(cJSON *o)
{
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!s)
        abort();
    return s;
}

static void add_str(cJSON *o, const char *k, const char *v)
{
    if (v && *v)
        cJSON_AddStringToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

/* {"from":a,"to":b} under key in changes, when a and b differ. */
static void change_str(cJSON *ch, const char *key, const char *a,
                       const char *b)
{
    if (!a)
        a = "";
    if (!b)
        b = "";
    if (strcmp(a, b) == 0)
        return;
    cJSON *c = cJSON_AddObjectToObject(ch, key);
    add_str(c, "from", a);
    add_str(c, "to", b);
}

static void change_num(cJSON *ch, const char *key, double a, double b)
{
    if (a == b)
        return;
    cJSON *c = cJSON_AddObjectToObject(ch, key);
    cJSON_AddNumberToObject(c, "from", a);
    cJSON_AddNumberToObject(c, "to", b);
}

/* A long text as its SHA-256 (or null when empty). */
static void text_sha(const char *t, char out[65])
{
    if (!t || !*t)
        out[0] = '\0';
    else
        audit_sha256_hex(t, strlen(t), out);
}

/* admin_workflow_changes' object (NULL: nothing changed). */
static cJSON *changes_json(const struct so_workflow *before,
                           const struct so_workflow *after,
                           const struct so_workflow *req, unsigned mask)
{
    static const struct so_workflow none;
    const struct so_workflow *b = before ? before : &none;
    const struct so_workflow *a = after;
    cJSON *ch = cJSON_CreateObject();
    if (mask & SO_WF_OWNER)
        change_str(ch, "owner", b->owner, a->owner);
    if (mask & SO_WF_THRESHOLD)
        change_num(ch, "threshold", b->threshold, a->threshold);
    if (mask & SO_WF_WINDOW)
        change_num(ch, "window_ms", (double)b->window_ms, (double)a->window_ms);
    if (mask & SO_WF_MIN)
        change_num(ch, "min_decisions", b->min_decisions, a->min_decisions);
    if (mask & SO_WF_AUTOPAUSE)
        change_num(ch, "auto_pause", b->auto_pause, a->auto_pause);
    if (mask & SO_WF_REVIEWS)
        change_num(ch, "reviews", b->reviews, a->reviews);
    if (mask & SO_WF_REVEAL)
        change_str(ch, "reveal", b->reveal, a->reveal);
    if (mask & SO_WF_RESOLVER)
        change_str(ch, "resolver", b->resolver, a->resolver);
    if (mask & SO_WF_MIN_SEEN)
        change_num(ch, "min_seen_ms", (double)b->min_seen_ms,
                   (double)a->min_seen_ms);
    if (mask & SO_WF_CONFIRM_FLAGGED)
        change_num(ch, "confirm_flagged", b->confirm_flagged,
                   a->confirm_flagged);
    if (mask & SO_WF_RELEASE)
        change_num(ch, "release_after_ms", (double)b->release_after_ms,
                   (double)a->release_after_ms);
    if (mask & SO_WF_APPLIED_WITHIN)
        change_num(ch, "applied_within_ms", (double)b->applied_within_ms,
                   (double)a->applied_within_ms);
    if (mask & SO_WF_GUIDELINES) {
        char x[65], y[65];
        text_sha(b->guidelines, x);
        text_sha(a->guidelines, y);
        change_str(ch, "guidelines_sha", x, y);
    }
    if (mask & SO_WF_AUTOMATE) {
        change_num(ch, "automate", b->automate, a->automate);
        change_num(ch, "automate_from", b->automate_from, a->automate_from);
        change_num(ch, "sample_pct", b->sample_pct, a->sample_pct);
    }
    if (mask & SO_WF_ALWAYS_REVIEW)
        change_str(ch, "always_review", b->always_review, a->always_review);
    if (mask & SO_WF_CURRENCY)
        change_str(ch, "currency", b->currency, a->currency);
    if (mask & SO_WF_RATE)
        change_num(ch, "hourly_rate", b->hourly_rate, a->hourly_rate);
    if (mask & SO_WF_SLA)
        change_num(ch, "sla_ms", (double)b->sla_ms, (double)a->sla_ms);
    if (mask & SO_WF_SLA_ALERT)
        change_num(ch, "sla_alert", b->sla_alert, a->sla_alert);
    if (mask & SO_WF_GOLD)
        change_num(ch, "gold_pct", b->gold_pct, a->gold_pct);
    if (mask & SO_WF_GOLD_BAR)
        change_num(ch, "gold_bar", b->gold_bar, a->gold_bar);
    if (!ch->child) {
        cJSON_Delete(ch);
        return NULL;
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "changes", ch);
    if (mask & (SO_WF_AUTOMATE | SO_WF_ALWAYS_REVIEW)) {
        cJSON_AddBoolToObject(o, "forced", req->force != 0);
        add_str(o, "reason", req->policy_reason);
    }
    return o;
}

char *admin_workflow_changes(const struct so_workflow *before,
                             const struct so_workflow *after,
                             const struct so_workflow *req, unsigned mask)
{
    cJSON *o = changes_json(before, after, req, mask);
    return o ? print(o) : NULL;
}

char *admin_workflow_set(const struct so_workflow *before,
                         const struct so_workflow *after,
                         const struct so_workflow *req, unsigned mask,
                         int takeover, const char **verb)
{
    cJSON *o = changes_json(before, after, req, mask);
    *verb = !before ? "workflow.create"
            : takeover ? "workflow.takeover"
            : mask & (SO_WF_AUTOMATE | SO_WF_ALWAYS_REVIEW) ? "policy.set"
                                                              : "workflow.set";
    if (o && takeover && before) /* the owner changed: and why */
        add_str(o, "reason", req->owner_reason);
    if (o)
        return print(o);
    return before ? NULL : xstrdup("{}");
}

char *admin_switch_detail(int paused, const char *reason)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *ch = cJSON_AddObjectToObject(o, "changes");
    change_str(ch, "automation", paused ? "on" : "paused",
               paused ? "paused" : "on");
    add_str(o, "reason", reason);
    return print(o);
}

char *admin_token_detail(const struct so_token *t, const char *verb)
{
    cJSON *o = cJSON_CreateObject();
    add_str(o, "reviewer", t->reviewer);
    add_str(o, "role", t->role);
    add_str(o, "scope", t->scope);
    cJSON_AddNumberToObject(o, "expires_at", (double)t->expires_at);
    add_str(o, "note", t->note);
    if (strcmp(verb, "token.revoke") == 0) {
        cJSON *ch = cJSON_AddObjectToObject(o, "changes");
        change_str(ch, "state", "active", "revoked");
    } else if (strcmp(verb, "token.rotate") == 0) {
        cJSON *ch = cJSON_AddObjectToObject(o, "changes");
        change_str(ch, "secret", "old", "new");
        cJSON_AddNumberToObject(o, "old_valid_until", (double)t->prev_until);
    }
    return print(o);
}

char *admin_hook_detail(const struct so_hook *h, const char *verb,
                        int64_t from, int64_t queued)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "hook", (double)h->id);
    if (strcmp(verb, "hook.add") == 0) {
        add_str(o, "url", h->url);
        add_str(o, "events", h->events ? h->events : "outcome");
        cJSON_AddNumberToObject(o, "max_failures", h->max_failures);
        cJSON_AddNumberToObject(o, "retry_for_ms", (double)h->retry_for_ms);
        cJSON_AddBoolToObject(o, "allow_private", h->allow_private != 0);
    } else if (strcmp(verb, "hook.replay") == 0) {
        cJSON_AddNumberToObject(o, "from_seq", (double)from);
        cJSON_AddNumberToObject(o, "queued", (double)queued);
    } else {
        int on = strcmp(verb, "hook.enable") == 0;
        cJSON *ch = cJSON_AddObjectToObject(o, "changes");
        cJSON *c = cJSON_AddObjectToObject(ch, "enabled");
        cJSON_AddBoolToObject(c, "from", h->enabled != 0);
        cJSON_AddBoolToObject(c, "to", on);
    }
    return print(o);
}

char *admin_draft_create_detail(const char *by, const char *draft_id)
{
    cJSON *o = cJSON_CreateObject();
    add_str(o, "by", by);
    add_str(o, "draft", draft_id);
    return print(o);
}
