/*
 * store_rules: the rules every store backend applies, written once above
 * the SQL (docs/architecture.md): what a draft must be to be queued, what a
 * decision request must carry, the record a decision appends (an edit that
 * changes no word is an approve; the reported times bounded by the claim),
 * when a retried request id is the same decision, and whose claim a write
 * may go through. A backend reads the rows, asks these, and writes; only
 * its SQL differs. Pure functions: no database, no I/O, never prints.
 */
#ifndef SIGNOFF_STORE_SHARED_RULES_H
#define SIGNOFF_STORE_SHARED_RULES_H

#include "signoff/queue.h"

struct gold_item;
/* "draft.field: why" for a gold draft no store may take (store_rules_draft
 * on its draft, the answer one of approve/edit/reject/escalate, reasons
 * only for a reject), else SO_OK. */
enum so_status store_rules_gold(const struct gold_item *g,
                                struct so_error *err);

/* "field: why" for a draft no store may take, else SO_OK. */
enum so_status store_rules_draft(const struct so_draft *d,
                                 struct so_error *err);

/* 1 when request_id is of the form only automatic decisions use
 * ("auto-..."): refused from people and producers (decide, undo, applied)
 * so no one can take an automatic decision's id in advance. */
int store_rules_reserved_request(const char *request_id);

/* SO_OK when request_id may name a write of verb (decide, undo, applied)
 * on draft_id (NULL for an undo): 1 to SO_MAX_ID bytes, a valid name
 * (names.h: no control, bidi or invisible character, valid UTF-8; it is
 * kept in the audit chain and printed), not reserved. */
enum so_status store_rules_request_id(const char *verb, const char *draft_id,
                                      const char *request_id,
                                      struct so_error *err);

/* SO_OK when req is a decision a store may record (draft id, request id,
 * action, edited text, reason and note within their limits). */
enum so_status store_rules_decide_req(const struct so_decide_req *req,
                                      struct so_error *err);

/* The record req appends to draft dr, by reviewer, at now, for a claim
 * taken at claimed_at (0: unknown). d borrows every string from req, dr
 * and reviewer: never clear it. kind is "review". */
void store_rules_record(const char *reviewer, const struct so_decide_req *req,
                        const struct so_draft *dr, int64_t claimed_at,
                        int64_t now, struct so_decision *d);

/* 1 when mine (req's record, store_rules_record) is what the stored d
 * records: action, edited text, reason and note. */
int store_rules_same_decision(const struct so_decide_req *req,
                              const struct so_decision *mine,
                              const struct so_decision *d);

/* A retried request id: SO_OK when the stored record d answers req by
 * reviewer (same reviewer, same draft, not an undo); else SO_ERR_CONFLICT
 * saying nothing of d to anyone else (a blind review stays blind). */
enum so_status store_rules_replay_owner(const char *reviewer,
                                        const struct so_decide_req *req,
                                        const struct so_decision *d,
                                        struct so_error *err);

/* The claim columns of one draft, as a backend read them. */
struct store_claim {
    enum so_dstatus status;
    const char *claimed_by; /* "" or NULL when unclaimed */
    int64_t lease_until;    /* ms, on the clock now is read from */
    int64_t lease_token;
};

/* SO_OK if reviewer holds the claim on draft id under token (0: the
 * current claim), a lease that expired but nobody took still holding;
 * else SO_ERR_CONFLICT (already decided) or SO_ERR_LEASE with why. */
enum so_status store_rules_lease_verdict(const char *reviewer, const char *id,
                                         const struct store_claim *c,
                                         int64_t token, int64_t now,
                                         struct so_error *err);

/* SO_OK unless someone other than reviewer holds a live claim on draft id;
 * else SO_ERR_LEASE "ID: [WHAT: ]claimed by NAME until HH:MM UTC". */
enum so_status store_rules_not_others(const char *reviewer, const char *id,
                                      const struct store_claim *c,
                                      const char *what, int64_t now,
                                      struct so_error *err);

/* SO_OK when the fields of w named in mask (SO_WF_*) are settings a
 * workflow may have: each bad one gets a sentence, not a constraint
 * failure. With SO_WF_SWITCH, also the switch's store_rules_pause (the
 * owner rule of a resume needs the row: store_rules_resume, in the
 * transaction). */
enum so_status store_rules_workflow(const struct so_workflow *w, unsigned mask,
                                    struct so_error *err);

/* A change of owner (SO_WF_OWNER in mask) by reviewer on workflow cur
 * (its stored settings; NULL: none yet). Naming the first owner of a
 * workflow without one is any supervisor's; changing an owner is its
 * owner's (a handover), or another supervisor's with w->owner_reason (a
 * takeover: *takeover 1, recorded as workflow.takeover; *pause 1 too when
 * cur is in automate phase, whose automation the takeover pauses with
 * that reason, in the same transaction). Without a reason: SO_ERR_FORBIDDEN
 * naming the owner and how to take it over. A takeover beside a switch
 * (SO_WF_SWITCH) is refused: the new owner resumes on their own. */
enum so_status store_rules_owner(const struct so_workflow *cur,
                                 const char *reviewer,
                                 const struct so_workflow *w, unsigned mask,
                                 int *takeover, int *pause,
                                 struct so_error *err);

struct automate_evidence; /* automate.h */

/* The automation policy (SO_WF_AUTOMATE, SO_WF_ALWAYS_REVIEW in mask)
 * set by reviewer on workflow cur (its stored settings): only cur's named
 * owner sets it, and a policy is refused unless the readiness figure e
 * (human final outcomes at or above the band over cur's window) supports
 * it: at least min_decisions and the Wilson upper bound below the
 * threshold; w->force (with a reason, store_rules_workflow) overrules. */
enum so_status store_rules_policy(const struct so_workflow *cur,
                                  const char *reviewer,
                                  const struct so_workflow *w, unsigned mask,
                                  const struct automate_evidence *e,
                                  struct so_error *err);

/* The record of an automatic decision of draft dr (automate.h): an
 * approve by reviewer "auto" of the body as given, decided and shown at
 * now, its note naming the policy. d borrows dr's strings, request_id and
 * note: never clear it. */
void store_rules_auto_record(const struct so_draft *dr, const char *request_id,
                             const char *note, int64_t now,
                             struct so_decision *d);

/* The revert record that pulls the automatic outcome seq of draft dr
 * back into human review when its workflow is paused: by who (the person
 * or "signoff" for auto-pause), note naming the pause. d borrows every
 * string: never clear it. */
void store_rules_pull_back_record(const struct so_draft *dr, int64_t seq,
                                  const char *request_id, const char *who,
                                  const char *note, int64_t now,
                                  struct so_decision *d);

/* The request id of dr's automatic decision ("auto-" and its id: one per
 * draft; a person's request id may not start with "auto-") and the note
 * naming the policy that decided it (its change number in the policy log,
 * the band and the sample). */
#define SO_AUTO_RQ_MAX (SO_MAX_ID + 8)
void store_rules_auto_ids(const struct so_draft *dr, double from,
                          double sample_pct, int64_t policy_id,
                          char request_id[SO_AUTO_RQ_MAX], char note[128]);

/* A listing filter a store can run (list and count, every backend): its
 * status is a draft status or "open" (store_rules_list_open), then its
 * text splits into terms (filter_terms). SO_ERR_INVALID naming the first
 * bad one; what is left differs per backend only in SQL. */
enum so_status store_rules_list_req(const struct so_list_req *req,
                                    struct so_error *err);

/* 1 when the filter asks for the open drafts (status "open": not decided). */
int store_rules_list_open(const struct so_list_req *req);

/* A webhook is for one workflow the queue has (exists: whether the store
 * found it): there is no hook for every workflow (a delivery is queued
 * only for its hook's own workflow), so a hook naming no workflow would
 * never fire. SO_ERR_INVALID naming the field and the workflow. */
enum so_status store_rules_hook_workflow(const char *workflow, int exists,
                                         struct so_error *err);

/* The kill switch: pausing needs a reason; names and reason checked. */
enum so_status store_rules_pause(const char *name, int paused,
                                 const char *reason, struct so_error *err);

/* A workflow's own reason codes v[0..n) as a set may write them: each
 * code and label valid (so_reason_check), none twice, at most
 * SO_MAX_REASONS. */
enum so_status store_rules_reasons(const struct so_reason *v, size_t n,
                                   struct so_error *err);

/* SO_OK when code is one of w's reason codes (w->reasons as the store
 * read them); else SO_ERR_INVALID "ID: reason: 'CODE' is not a reason code
 * of workflow W (a, b, ...)". */
enum so_status store_rules_reason_in(const char *id,
                                     const struct so_workflow *w,
                                     const char *code, struct so_error *err);

/* Resuming automation needs workflow w's owner (queue_resume_check):
 * who is the reviewer the queue records. */
enum so_status store_rules_resume(const struct so_workflow *w,
                                  const char *who, struct so_error *err);

/* A draft already escalated is escalated no further: a supervisor gives
 * the final decision (queue_escalate_check, which the UI asks first). */
enum so_status store_rules_escalate_again(const char *id,
                                          enum so_dstatus status,
                                          enum so_action action,
                                          struct so_error *err);

/* An escalated draft is taken (claimed, decided) by a supervisor only. */
enum so_status store_rules_escalated_taker(const char *id,
                                           enum so_dstatus status,
                                           int supervisor,
                                           struct so_error *err);

/*
 * The undo rule, for every caller (the UI, the server's /v1/undo) on every
 * store: only the latest live decision on the draft (latest_seq); never
 * while someone else holds the draft (an undo must not take a lease
 * away); and in a workflow that needs several reviews, the review that
 * completed them stands once the draft has moved on to resolve or is final
 * by agreement: the outcome is no longer one reviewer's, and taking it
 * back would let a reviewer who saw the disagreement settle it without the
 * resolver. An escalation (it ends a review alone) and a resolution stay
 * undoable by whoever gave them. c is the draft's claim state.
 */
enum so_status store_rules_undo(const char *reviewer,
                                const struct so_decision *orig,
                                int64_t latest_seq, const struct store_claim *c,
                                int reviews_needed, int64_t now,
                                struct so_error *err);

/* One live review of a draft (a decision of kind review no revert points
 * at), as a backend read it. reviewer is owned by whoever read it. */
struct store_vote {
    int64_t seq;
    char *reviewer;
    enum so_action action;
};

/* The four-eyes state of one draft as the rules read it. */
struct store_review_state {
    enum so_dstatus status;
    int reviews_needed;
    int reviewer_resolves; /* its workflow's resolver is a reviewer */
    int reveal_after;      /* its workflow's reveal is after */
    const char *claimed_by; /* "" or NULL when unclaimed */
    int mine;              /* the caller gave a live review of it */
};

/*
 * The four-eyes rule of taking a draft (claim, decide): SO_OK when the
 * caller may take draft id for a review or, in status resolve, for the
 * resolution: no live review of mine on it, and for resolve a supervisor
 * or a workflow whose resolver is a reviewer; an escalated draft only for
 * a supervisor. Else SO_ERR_CONFLICT (already reviewed by me) or
 * SO_ERR_FORBIDDEN.
 */
enum so_status store_rules_may_take(const char *id,
                                    const struct store_review_state *st,
                                    int supervisor, struct so_error *err);

/*
 * Blind review: 1 when reviewer may see every decision of a draft in state
 * st: a supervisor who gave none of its reviews, once its reviews are in
 * (resolve, escalated or final; while they are being given a supervisor
 * may still give one); the holder of its resolve or escalated claim;
 * anyone once it is final with reveal = after; anyone on a one-review
 * draft. Otherwise only the caller's own decisions may be shown.
 */
int store_rules_visible(const struct store_review_state *st,
                        const char *reviewer, int supervisor);

/* Free a backend's list of votes (their reviewers and the array). */
void store_rules_votes_free(struct store_vote *v, size_t n);

/* 1 when every vote approves or every vote rejects. */
int store_rules_unanimous(const struct store_vote *v, size_t n);

/* Each agreement pair of the votes v[0..n) (escalations make none), the
 * reviewers in strcmp order (a <= b): fn(ctx, a, b, err) until it fails. */
enum so_status store_rules_pairs(const struct store_vote *v, size_t n,
                                 enum so_status (*fn)(void *ctx,
                                                      const struct store_vote *a,
                                                      const struct store_vote *b,
                                                      struct so_error *err),
                                 void *ctx, struct so_error *err);

/* 1 when the record d needs the live reviews of its draft to settle: a
 * review (not an escalation) of a draft needing several. */
int store_rules_needs_votes(const struct so_decision *d, int reviews_needed);

/* What a decision does to its draft and the counters (store_rules_settle). */
struct store_settle {
    const char *status; /* escalated | pending | resolve | decided */
    int agreed;         /* so_decide_result.review_agreed: -1 n/a */
    int pairs;          /* 1: count the agreement pairs of the votes */
    int rollup;         /* 1: count d in the rollup */
    int resolution;     /* 1: count a four-eyes resolution */
    int reviews_inc;    /* what d adds to the draft's reviews_done */
    int feed;           /* 1: a final d is an outcome of the feed */
};

/*
 * Where a draft goes after the record d (kind resolve when it settles a
 * resolve or escalated step; was_escalated: it was an escalated draft's),
 * and what is counted. The rollup (and so the override rate) counts final
 * outcomes only: a single review, the last of unanimous reviews, a
 * resolution or a supervisor's decision on an escalated draft, each once
 * with the deciding record; an escalation is counted apart when it
 * happens. Earlier four-eyes reviews go back to pending and count in the
 * chain and, once the set is complete, in the agreement pairs. v[0..n)
 * are the draft's live reviews with d last (store_rules_needs_votes), else
 * none.
 */
void store_rules_settle(const struct so_decision *d, int reviews_needed,
                        int was_escalated, int reveal_after,
                        const struct store_vote *v, size_t n,
                        struct store_settle *out);

/* 1 when orig may be a supervisor's decision on an escalated draft (a
 * resolution that is not an escalation): the store then asks whether a
 * live escalation came before it (store_rules_unsettle's was_escalated). */
int store_rules_maybe_on_escalated(const struct so_decision *orig);

/* What undoing orig (the latest live decision on a draft in status,
 * was_escalated as for store_rules_settle) takes back, and where the
 * draft goes: the step orig was taken in, claimed by the undoer again. */
struct store_unsettle {
    int rollup;         /* 1: uncount orig from the rollup */
    int resolution;     /* 1: uncount a four-eyes resolution */
    const char *status; /* claimed | resolve | escalated */
    int reviews_dec;    /* what leaves the draft's reviews_done */
};
void store_rules_unsettle(const struct so_decision *orig,
                          enum so_dstatus status, int was_escalated,
                          struct store_unsettle *out);

/* A decision on a gold draft (gold.h) settles the draft like any other
 * but is counted nowhere and is no outcome: no feed, webhook or producer,
 * no rollup (override rates, reasons, readiness, auto-pause), no agreement
 * pair or resolution; its undo uncounts nothing. Applied to what
 * store_rules_settle / store_rules_unsettle said. */
void store_rules_settle_gold(struct store_settle *o);
/* A draft's gold answer as a store reads it: gold 1 when the draft is a
 * released gold draft (every store's store_gold_of / pg_gold_of fills
 * it). */
struct store_gold_key {
    int gold;
    enum so_action expected;
    char *reasons; /* owned; NULL: any reason */
};
void store_gold_key_clear(struct store_gold_key *k);
void store_rules_unsettle_gold(struct store_unsettle *u);

/* The cost columns of a cell (SO_ROLLUP_COST_LIST), as array indexes. */
enum store_cost_col {
#define STORE_X_COST(c) STORE_COST_##c,
    SO_ROLLUP_COST_LIST(STORE_X_COST)
#undef STORE_X_COST
        STORE_COST_COUNT
};

/* One decision's contribution to the rollup. Strings borrowed. */
struct store_rollup_entry {
    int64_t decided_at;
    const char *workflow;
    const char *model; /* NULL: unknown */
    const char *reviewer;
    double confidence;     /* -1: unknown */
    enum so_action action; /* approve|edit|reject|escalate */
    const char *reason;    /* counted for rejects */
    int64_t active_ms;
    int64_t edit_size;
    size_t body_words; /* words of the body as shown (fast approvals) */
    /* A task made final (a store fills these; zero otherwise): the cost
     * sums and the time from enqueue to decision_ms / action_ms (-1: none
     * to count in that histogram). */
    int64_t cost[STORE_COST_COUNT];
    int64_t decision_ms;
    int64_t action_ms;
};

/* The rollup entry of record d on draft dr (borrows their strings), with
 * no task figures. */
void store_rules_rollup_entry(const struct so_decision *d,
                              const struct so_draft *dr,
                              struct store_rollup_entry *e);

/*
 * The task figures of a decision that made draft dr final (e from
 * store_rules_rollup_entry): the AI's cost, tokens and time from the draft,
 * the time from enqueue to e's decision, and human_ms of reviewing (every
 * live review of the draft up to the decision) at the workflow's
 * hourly_rate, and whether it came after the workflow's sla_ms (0: none).
 * A store reads human_ms, hourly_rate and sla_ms and keeps what
 * store_rules_task_kept says with the outcome, so an undo takes back
 * exactly that (store_rules_rollup_recall).
 */
void store_rules_rollup_task(const struct so_draft *dr, int64_t human_ms,
                             double hourly_rate, int64_t sla_ms,
                             struct store_rollup_entry *e);

/* What an outcome keeps of e's task: the reviewing time and cost, and
 * sla_missed (1 late, 0 in time, -1 no service level). */
void store_rules_task_kept(const struct store_rollup_entry *e,
                           int64_t *human_ms, int64_t *human_cost,
                           int64_t *sla_missed);

/* The task figures of an undone decision on draft dr, from the draft and
 * what its outcome kept (store_rules_task_kept; none kept: zeros and -1). */
void store_rules_rollup_recall(const struct so_draft *dr, int64_t human_ms,
                               int64_t human_cost, int64_t sla_missed,
                               struct store_rollup_entry *e);

/* The rollup entry of an action record at time at on an outcome decided at
 * decided_at by reviewer on a draft enqueued at created_at (strings
 * borrowed): counted in the outcome's cell, as a task acted on, with its
 * time from enqueue to action. 0 when it is not counted (an automatic
 * approval is not a reviewed task). */
int store_rules_rollup_acted(int64_t decided_at, const char *workflow,
                             const char *model, const char *reviewer,
                             double confidence, int64_t created_at,
                             int automatic, int64_t at,
                             struct store_rollup_entry *e);

/* The histograms of the rollup, one letter each (rollup_hist.metric):
 * review time, time to decision, time to action, edit size. */
#define STORE_ROLLUP_HISTS "tdae"

/* 1 when e adds to the histogram metric (of STORE_ROLLUP_HISTS), its value
 * in *value: review time but for an action record, the times to decision
 * and to action when e has them, the edit size of an edit. */
int store_rules_rollup_hist(const struct store_rollup_entry *e, char metric,
                            int64_t *value);

/* 1 if an approval came faster than the body can be read (40 words/s). */
int store_rules_is_fast(const struct store_rollup_entry *e);

/* The auto-pause rule on a workflow's window (approved and overridden
 * final outcomes): 1 when it has at least min_decisions and the override
 * rate exceeds threshold; reason then says so. */
int store_rules_autopause(double threshold, int min_decisions,
                          int64_t approved, int64_t overrides,
                          char reason[128]);

/* The UTC days [*d0, *d1) a stats request req covers at now: from the
 * day of since (0: all) to the day of until (0: now) included; "now"
 * exactly at midnight still includes the day that begins. */
void store_rules_stats_days(const struct so_stats_req *req, int64_t now,
                            int64_t *d0, int64_t *d1);

/* The UTC days [*d0, *d1] (inclusive) of a window of window_ms ending
 * today (the day of now): whole days, at least one. */
void store_rules_window_days(int64_t now, int64_t window_ms, int64_t *d0,
                             int64_t *d1);

/* A supervisor's reassignment (to NULL: a release) of draft id in status,
 * needing reviews_needed reviews: supervisors only; not a decided draft;
 * to a valid reviewer name; never a four-eyes draft (who may review is the
 * claim's rule), which is only released. */
enum so_status store_rules_reassign(const char *id, int supervisor,
                                    enum so_dstatus status, const char *to,
                                    int reviews_needed, struct so_error *err);

/* The reply of a decision record d (replayed: a retry of it), the draft
 * now in status; the four-eyes fields are the store's to fill. */
void store_rules_result(const struct so_decision *d, const char *status,
                        int replayed, struct so_decide_result *res);

/* The action record (signoff applied): SO_OK when req is one a store may
 * append (draft id, request id not reserved, a ref, ref and note within
 * their limits and printable). */
enum so_status store_rules_applied_req(const struct so_applied_req *req,
                                       struct so_error *err);

/* A retried request id of an action record: SO_OK when the stored record
 * d is req's, by reviewer, with the same ref and note; else
 * SO_ERR_CONFLICT naming why. */
enum so_status store_rules_applied_replay(const char *reviewer,
                                          const struct so_applied_req *req,
                                          const struct so_decision *d,
                                          struct so_error *err);

/* The action record req appends, by reviewer at now, on a draft whose
 * body hashes to body_sha (copied in). d borrows the strings of req and
 * reviewer: never clear it. */
void store_rules_applied_record(const char *reviewer,
                                const struct so_applied_req *req,
                                const char *body_sha, int64_t now,
                                struct so_decision *d);
/* The cost and service-level fields of a workflow set (SO_WF_CURRENCY,
 * SO_WF_RATE, SO_WF_SLA, SO_WF_SLA_ALERT), each named when bad. */
enum so_status store_rules_cost_settings(const struct so_workflow *w,
                                         unsigned mask, struct so_error *err);

/* A draft's cost must be in its workflow's currency (the sums of a
 * workflow are of one currency): SO_ERR_INVALID naming cost.currency and
 * the command that changes the workflow's. */
enum so_status store_rules_draft_cost(const struct so_draft *d,
                                      const char *currency,
                                      struct so_error *err);

/* Reviewing time at an hourly rate, in millionths of the currency. */
int64_t store_rules_human_cost(int64_t active_ms, double hourly_rate);

/* A list page's position: "k1:PRIORITY:CREATED_AT:RID" of its last row, the
 * "next" a page gives and the "after" the next request brings back. */
struct store_cursor {
    int64_t priority, created_at, rid;
};

/* after (from outside) parsed into *c, each number in the range its column
 * holds (out-of-range digits refused, never converted), else
 * "after: not a list cursor (the "next" of a page)". */
enum so_status store_rules_cursor(const char *after, struct store_cursor *c,
                                  struct so_error *err);

/* The cursor text of a page whose last row is c (malloc'd). */
char *store_rules_cursor_text(const struct store_cursor *c);

#endif
