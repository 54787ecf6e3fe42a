/*
 * admin: the admin record, one kind of record in the audit chain (kind
 * admin, action admin; docs/audit.md): who changed what, when, from what
 * to what. The rule of what a change says lives here, once, above every
 * backend; a store appends the record in the transaction of the change.
 * Pure functions: no I/O, never prints.
 */
#ifndef SIGNOFF_ADMIN_H
#define SIGNOFF_ADMIN_H

#include <stdint.h>

#include "signoff/queue.h"

struct so_token; /* token.h */

/*
 * Fill d as the admin record of verb (workflow.create, workflow.set,
 * workflow.pause, workflow.resume, token.create, token.revoke,
 * token.rotate, access.reviewed, policy.set, hook.add ...) on subject
 * ("workflow/NAME", "token/ID", "queue"), by who, at at, with detail (a
 * JSON object as text: the changes {"FIELD":{"from":X,"to":Y}} and any
 * reason; owned by d after the call). d's strings are owned (so_decision_
 * clear); seq, prev_hash, hash and request_id (admin-SEQ) are the
 * store's to set.
 */
void admin_record_init(struct so_decision *d, const char *verb,
                       const char *subject, const char *by, char *detail,
                       int64_t at);

/* The detail of a workflow.set or policy.set (workflow.create when before
 * is NULL): every field of mask whose value differs, from before to after;
 * for the automation policy also whether req forced it and its reason.
 * NULL when nothing changed. Caller frees. */
char *admin_workflow_changes(const struct so_workflow *before,
                             const struct so_workflow *after,
                             const struct so_workflow *req, unsigned mask);

/* The admin record of a workflow set, as every store writes it: *verb is
 * workflow.create (before NULL: the workflow is new), workflow.takeover
 * (takeover: a supervisor who was not the owner took it over,
 * store_rules_owner; the detail's "reason" is req->owner_reason and its
 * changes name the owner from and to), policy.set (mask holds the
 * automation policy) or workflow.set; the detail is
 * admin_workflow_changes' ("{}" for a create that changed nothing). NULL:
 * no record (a set that changed nothing). Caller frees. */
char *admin_workflow_set(const struct so_workflow *before,
                         const struct so_workflow *after,
                         const struct so_workflow *req, unsigned mask,
                         int takeover, const char **verb);

/* The detail of a pause or resume: {"automation":{"from","to"},"reason"}. */
char *admin_switch_detail(int paused, const char *reason);

/* The detail of a token's create, revoke or rotate: its reviewer, role,
 * scope, expiry and note (never a secret or a hash). */
char *admin_token_detail(const struct so_token *t, const char *verb);

/* The detail of a hook change (verb hook.add, hook.enable, hook.disable,
 * hook.replay): the hook's id, and for hook.add its URL, events, failure
 * limit, retry time and private-address switch (never its secret); for
 * enable and disable {"changes":{"enabled":{"from","to"}}}; for replay the
 * seq replayed from and how many deliveries were queued. */
char *admin_hook_detail(const struct so_hook *h, const char *verb,
                        int64_t from, int64_t queued);

/* The detail of a workflow made by a draft that named it (workflow.create
 * with {"by":BY,"draft":ID}): by is "enqueue" (a producer's first draft)
 * or "gold" (a gold draft added by `signoff gold add`). */
char *admin_draft_create_detail(const char *by, const char *draft_id);

#endif
