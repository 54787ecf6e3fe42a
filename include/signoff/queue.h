/*
 * queue: the data model (drafts, citations, decisions, workflows) and the
 * queue interface, a table of operations (struct queue_ops) that each
 * backend fills: the SQLite store (store/sqlite) and the HTTP client
 * (remote/http), chosen by backends.c. The UI, the CLI and the server speak
 * only to this interface; the model knows no backend. Never includes
 * sqlite3.h, curl.h or curses.h.
 */
#ifndef SIGNOFF_QUEUE_H
#define SIGNOFF_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "signoff/util.h"

/* Limits of DESIGN.md section 3. */
#define SO_MAX_LINE (4u << 20)      /* one JSONL line */
#define SO_MAX_BODY (1u << 20)      /* body, input, final body */
#define SO_MAX_CITATIONS 64
#define SO_MAX_DEPTH 32             /* JSON nesting */
#define SO_MAX_ID 256               /* id, workflow, model, reviewer bytes */
#define SO_MAX_FIELD (64u << 10)    /* title, uri, reason, note, quote */
#define SO_MAX_REVIEWS 5
#define SO_MAX_GUIDELINES SO_MAX_FIELD /* a workflow's guidelines text */
#define SO_DEFAULT_LEASE_MS (10 * 60 * 1000)
/* A workflow's min_seen_ms when none is set, and its largest value. */
#define SO_DEFAULT_MIN_SEEN_MS 1000
#define SO_MAX_MIN_SEEN_MS 60000
#define SO_MAX_COST_MICROS 1000000000000LL /* a draft's cost: 1e6 units */
#define SO_MAX_TOKENS 1000000000LL
#define SO_MAX_LATENCY_MS 86400000LL        /* a day */
#define SO_MAX_HOURLY_RATE 100000.0         /* a workflow's reviewer rate */
#define SO_MIN_SLA_MS 60000LL               /* a workflow's SLA: 1m.. */
#define SO_MAX_SLA_MS (366 * 86400000LL)    /* ..366d, or 0 for none */
/* A workflow's alert window, how long an outcome may wait for its action
 * record, and its min-decisions: the ranges every entry point checks
 * (store_rules_workflow). */
#define SO_MIN_WINDOW_MS 60000LL              /* 1m.. */
#define SO_MAX_WINDOW_MS (366 * 86400000LL)   /* ..366d */
#define SO_MAX_APPLIED_WITHIN_MS SO_MAX_WINDOW_MS /* 1ms..366d */
#define SO_MAX_MIN_DECISIONS 1000000000
#define SO_DEFAULT_CURRENCY "USD"
/* A draft nears its workflow's service level from this share of it. */
#define SO_SLA_NEAR 0.8
#define SO_HIST_BUCKETS 48 /* 1.5x steps: 0, 1, 2, 3, 4, 6 .. ~1.2e8 */

/* One X-macro per enum: actions of a decision. */
#define SO_ACTION_LIST(X)                                                      \
    X(SO_ACT_APPROVE, "approve")                                               \
    X(SO_ACT_EDIT, "edit")                                                     \
    X(SO_ACT_REJECT, "reject")                                                 \
    X(SO_ACT_ESCALATE, "escalate")                                             \
    X(SO_ACT_REVERT, "revert") /* undo of an earlier decision */               \
    X(SO_ACT_APPLIED, "applied") /* the producer acted on the outcome */   \
    X(SO_ACT_ADMIN, "admin")     /* an admin record (admin.h) */

enum so_action {
#define SO_X_ENUM(id, name) id,
    SO_ACTION_LIST(SO_X_ENUM)
#undef SO_X_ENUM
        SO_ACT_COUNT
};
const char *so_action_name(enum so_action a);
/* -1 when name is not an action. */
int so_action_from_name(const char *name);

/* Draft status. "resolve" is the four-eyes step where reviews disagreed;
 * "escalated" is a draft a reviewer escalated: open work for supervisors,
 * not final until one of them decides it (signoff-queue(5)). Only
 * "decided" is final. */
#define SO_DSTATUS_LIST(X)                                                     \
    X(SO_DS_PENDING, "pending")                                                \
    X(SO_DS_CLAIMED, "claimed")                                                \
    X(SO_DS_DECIDED, "decided")                                                \
    X(SO_DS_RESOLVE, "resolve")                                                \
    X(SO_DS_ESCALATED, "escalated")

enum so_dstatus {
#define SO_X_ENUM(id, name) id,
    SO_DSTATUS_LIST(SO_X_ENUM)
#undef SO_X_ENUM
        SO_DS_COUNT
};
const char *so_dstatus_name(enum so_dstatus s);
int so_dstatus_from_name(const char *name);

/* Confidence band: 0..9 for [0,0.1) .. [0.9,1.0]; -1 when unknown. */
int so_conf_band(double confidence);

struct so_citation {
    int n;         /* the [n] marker */
    char *title;   /* owned */
    char *uri;     /* owned */
    char *excerpt; /* owned: the retrieved passage */
    char *quote;   /* owned, may be NULL: the span relied on */
};

/* A draft with its citations. Every pointer owned; free with so_draft_free.
 * Strings are UTF-8 as they came (sanitizing happens at display time). */
struct so_draft {
    char *id;
    char *workflow;
    char *model;      /* may be NULL */
    double confidence; /* -1 when absent */
    char *title;      /* may be NULL */
    char *input;      /* may be NULL */
    char *body;
    int priority;
    char *metadata_json; /* compact JSON object text, may be NULL */
    struct so_citation *citations;
    size_t ncitations;
    /* What the producer reports of making the draft (all optional): the
     * AI's cost in millionths of currency (-1: not reported), the ISO 4217
     * code ("" with no cost), tokens used and the time to generate (-1:
     * not reported). Bounds: SO_MAX_COST_MICROS, SO_MAX_TOKENS,
     * SO_MAX_LATENCY_MS. */
    int64_t cost_micros;
    char currency[4];
    int64_t tokens;
    int64_t latency_ms;

    /* Queue state (filled by the backend, ignored by enqueue). */
    enum so_dstatus status;
    int64_t created_at; /* ms */
    char *claimed_by;   /* may be NULL */
    int64_t lease_until;
    int64_t lease_token; /* fencing token of the current claim */
    int attempts;
    int reviews_needed; /* from the workflow at enqueue, 1..5 */
    int reviews_done;
    char *last_action; /* final outcome once decided, else NULL */
};

/* 1 when s is an ISO 4217 code's form: three capital ASCII letters. */
int so_currency_valid(const char *s);

struct so_draft *so_draft_new(void);
void so_draft_free(struct so_draft *d);
struct so_draft *so_draft_dup(const struct so_draft *d);

/* A line of the queue index: cheap to list a page of. Owned strings. */
struct so_draft_row {
    char *id;
    char *workflow;
    char *model;
    double confidence;
    char *title;
    int priority;
    int64_t created_at;
    enum so_dstatus status;
    char *claimed_by;
    int64_t lease_until;
    int flags; /* SO_ROW_* bits */
    int reviews_needed; /* four-eyes: reviews the draft needs (1..5) */
    int reviews_done;   /* live reviews so far */
};
#define SO_ROW_GROUNDING 1 /* a grounding flag (missing cite, bad quote) */
#define SO_ROW_ESCALATED 2
#define SO_ROW_SLA_NEAR 4 /* open for SO_SLA_NEAR of its workflow's SLA */
#define SO_ROW_SLA_PAST 8 /* open longer than its workflow's SLA */

struct so_draft_page {
    struct so_draft_row *rows;
    size_t n;
    char *next_cursor; /* owned; NULL when this is the last page */
};
void so_draft_page_free(struct so_draft_page *p);

/* Listing filter. All optional (NULL/negative = any). Paged by an opaque
 * cursor: pass next_cursor of the previous page as after. */
struct so_list_req {
    const char *status;   /* pending|claimed|decided|resolve|escalated|open
                             (not decided) */
    const char *workflow;
    const char *model;
    double conf_below;    /* < 0: any */
    double conf_atleast;  /* < 0: any */
    int grounding_only;   /* only rows with SO_ROW_GROUNDING */
    int escalated_only;
    int mine;             /* only drafts the caller can act on now: the
                             four-eyes, resolve and escalation rules and
                             other reviewers' live claims applied (the
                             reviewer's queue; the rest of the open drafts
                             are "waiting on others") */
    const char *text;     /* words of id, title or body, case-insensitive,
                             all must match; "a quoted phrase" matches as
                             a phrase (filter_terms) */
    const char *after;    /* cursor */
    int limit;            /* 1..1000 */
    /* Service levels (SO_LIST_SLA_*): 0 any; DUE only the open drafts
     * nearing or past their workflow's SLA, most overdue first, one page
     * (no cursor); REST the other drafts, in the usual order. The reviewer
     * UI lists DUE, then REST, so what is due is sorted up. */
    int sla;
};
#define SO_LIST_SLA_DUE 1
#define SO_LIST_SLA_REST 2

struct so_claim_req {
    const char *workflow; /* NULL: any workflow */
    const char *draft_id; /* NULL: next claimable; else exactly this one */
    int64_t lease_ms;     /* 0: default */
};

/* A decision to record. Strings borrowed from the caller. */
struct so_decide_req {
    const char *draft_id;
    const char *request_id; /* uuid generated once by the client; retries
                               reuse it */
    enum so_action action;  /* approve|edit|reject|escalate */
    const char *reason;     /* reject/escalate reason code, may be NULL */
    const char *note;       /* may be NULL */
    const char *final_body; /* edit: the new text; else NULL */
    int64_t shown_at;       /* ms, when the draft was first drawn */
    int64_t active_ms;      /* reviewing time, idle gaps excluded */
    int64_t lease_token;    /* from the claim; 0 = "my current claim" */
    /* One round trip (optional): once the decision is recorded, claim the
     * next draft as claim(claim_next) would and count what is left; the
     * result's next says how that went. NULL: decide only. A replayed
     * decision claims too (the reply of the first try may have been lost). */
    const struct so_claim_req *claim_next;
};

/* What a decide with claim_next brings back besides the decision. */
struct so_decide_next {
    int filled;             /* 1 when the backend answered claim_next; 0: ask
                               claim, count and my_today yourself */
    enum so_status status;  /* of the claim: SO_OK, SO_EMPTY or an error */
    char error[512];        /* the claim's error message when status is one */
    struct so_draft *draft; /* owned; the claimed draft when status is SO_OK */
    int64_t pending;        /* open drafts in claim_next's workflow that I
                               can act on (so_list_req.mine); -1 */
    int64_t waiting;        /* the other open drafts there ("waiting on
                               others"); -1 unknown */
    int64_t my_today;       /* my decisions since 00:00 UTC; -1 unknown */
};

struct so_decide_result {
    int64_t seq;
    char hash[65];           /* hex SHA-256 of the audit record */
    int replayed;            /* 1 if request_id was already recorded */
    enum so_action action;   /* as recorded (an edit with no change is an
                                approve) */
    int64_t decided_at;
    char draft_status[16];   /* draft's status afterwards */
    int review_agreed;       /* four-eyes: -1 n/a, 0 disagreed, 1 agreed */
    int reviews_done;        /* four-eyes: live reviews after this one */
    int reviews_needed;      /* 1 for an ordinary workflow; 0 unknown */
    int resolution;          /* 1: this decision settled a resolve step */
    int unanswered;          /* "queued" as the server took the connection
                                but did not answer in time (interactive) */
    struct so_decide_next next; /* with claim_next; free with
                                   so_decide_result_clear */
};
/* Free what res owns (the next draft) and zero it. */
void so_decide_result_clear(struct so_decide_result *res);

/* A recorded decision (for show, export, undo, agreement). Owned strings. */
struct so_decision {
    int64_t seq;
    char *draft_id;
    char *request_id;
    char *reviewer;
    enum so_action action;
    char *reason;
    char *note;
    char *final_body;
    int64_t edit_size;  /* words changed */
    int64_t shown_at;
    int64_t decided_at;
    int64_t active_ms;
    int64_t reverts_seq; /* for SO_ACT_REVERT: the seq undone, else 0 */
    char *kind;          /* "review" | "resolve" (a supervisor's final
                            word on a disagreement or an escalation) */
    int64_t undone_by;   /* my_decisions: the revert that undid it, else 0 */
    int gold;            /* audit reader: a decision on a gold draft (not
                            part of the record's hash; marked in exports) */
    char body_sha[65];   /* SHA-256 of the body as shown */
    char final_sha[65];  /* SHA-256 of the final body */
    char prev_hash[65];
    char hash[65];
};
void so_decision_clear(struct so_decision *d);

/* Workflow settings and the kill switch. */
struct so_workflow {
    char *name;
    char *owner;            /* may be NULL: no named owner yet */
    double threshold;       /* override rate that raises an alert, 0..1 */
    int64_t window_ms;      /* the alert window */
    int min_decisions;      /* rates on fewer are "not yet meaningful" */
    int automation_paused;  /* the kill switch: 1 = paused */
    char *automation_reason;
    char *automation_by;
    int64_t automation_at;
    int auto_pause;         /* pause on the first decision over threshold */
    int reviews;            /* independent reviews a draft needs, 1..5 */
    char *reveal;           /* "after" | "never" */
    char *resolver;         /* "supervisor" | "reviewer" */
    int64_t min_seen_ms;    /* a draft is on screen this long before a
                               decision key acts (0..SO_MAX_MIN_SEEN_MS) */
    int confirm_flagged;    /* approving a draft with grounding flags asks */
    int64_t release_after_ms; /* a final outcome reaches the producer this
                                 long after it was decided (0: at once) */
    int64_t applied_within_ms; /* a released outcome with no action record
                                  after this long is unapplied backlog */
    char *guidelines;       /* how to review this workflow's drafts, shown
                               beside the draft in the reviewer UI; NULL:
                               none (at most SO_MAX_GUIDELINES bytes) */
    int64_t pending;        /* drafts not yet decided (filled by get/list) */
    /* Decisions ever recorded by action, undos under SO_ACT_REVERT: only
     * grow, whatever is undone (the counters of /metrics; filled by the
     * SQLite store's get/list, 0 from a remote queue). */
    int64_t recorded[SO_ACT_COUNT];
    int64_t unapplied;      /* the unapplied backlog (filled by get/list) */
    int records_actions;    /* the producer has recorded an action at least
                               once: only then is unapplied a backlog
                               (filled by get/list; 0 on PostgreSQL) */
    /* The reject and escalate reason codes this workflow takes: its own
     * list, or the queue's default set when it has none (reasons_own 0).
     * Filled by get; with SO_WF_REASONS, set replaces the workflow's own
     * list (nreasons 0: back to the default set). Owned. */
    struct so_reason *reasons;
    size_t nreasons;
    int reasons_own;
    int64_t hooks_disabled; /* webhooks disabled by failures (get/list) */
    /* The automation policy (automate.h): with automate on, a draft at or
     * above automate_from that no always_review pattern matches is
     * approved at enqueue by reviewer "auto", except a deterministic
     * sample of sample_pct percent that goes to human review blind. */
    int automate;           /* 1: a policy is set */
    double automate_from;   /* the band: confidence 0..1 */
    double sample_pct;      /* 0..100 */
    char *always_review;    /* patterns, one a line; NULL: none */
    /* Only for a set of SO_WF_AUTOMATE (never read back): a band the
     * readiness figure does not support is taken when force is given
     * with a policy_reason; the reason is recorded with the change. */
    int force;
    char *policy_reason;
    char *sample_seed; /* set only: the sample's seed (NULL: keep it, or a
                          random one for the first policy); never read */
    /* Set only, with SO_WF_OWNER: why a supervisor who is not the owner
     * takes the workflow over (store_rules_owner; recorded in the
     * workflow.takeover record); never read back. */
    char *owner_reason;
    /* The automation's figures over the workflow's window (filled by
     * get/list): automatic approvals standing, sampled drafts decided by
     * people and how many of those they overrode (edit or reject). */
    int64_t auto_decided;
    int64_t sampled_decided;
    int64_t sampled_overrides;
    /* The readiness figure of the neighbouring bands (automate on; filled
     * by get/list): human final outcomes in the window on drafts at or
     * above automate_from - 0.05 ([0]) and + 0.05 ([1]), clamped to 0..1
     * (automate_near_from), and the overrides among them. Counted from the
     * outcomes themselves, so exact at any band, not the rollup's 0.1. */
    int64_t near_decided[2];
    int64_t near_overrides[2];
    /* Cost and service level (issue 16 part 4): the currency every cost of
     * the workflow is in (ISO 4217, SO_DEFAULT_CURRENCY unless set), what an
     * hour of reviewing costs in it (0: not counted), the service level (a
     * draft is due this long after enqueue; 0: none) and the share of
     * tasks past it that stats --check alerts on (0..1). */
    char currency[4];
    double hourly_rate;
    int64_t sla_ms;
    double sla_alert;
    /* Filled by get/list: when the oldest open draft was enqueued (0: none
     * open) and how many open drafts are past the SLA now. */
    int64_t oldest_pending_at;
    int64_t sla_open_past;
    /* Gold checks (gold.h): gold_pct percent of the drafts routed to
     * people get a known-answer draft mixed in after them; a reviewer
     * whose gold accuracy is below gold_bar (0..1) with 95% confidence is
     * flagged. SO_WF_GOLD and SO_WF_GOLD_BAR set them. Filled by get/list: the
     * pool not yet mixed in and the gold drafts mixed in so far. */
    double gold_pct; /* 0..50 */
    double gold_bar;
    int64_t gold_pool;
    int64_t gold_released;
};
void so_workflow_clear(struct so_workflow *w);

/* A reason code and the label menus show. Owned strings. */
struct so_reason {
    char *code;  /* 1..SO_MAX_REASON_CODE of a-z, 0-9, '_' and '-' */
    char *label; /* a name (names.h) */
};
#define SO_MAX_REASON_CODE 64
#define SO_MAX_REASONS 32

/* The queue's default reason codes, written by the schema migration that
 * made the reasons table (a queue keeps its own copy from then on). */
#define SO_DEFAULT_REASONS(X)                                                  \
    X("factual", "Factual error")                                              \
    X("unsupported", "Claim not supported by the sources")                     \
    X("tone", "Tone or wording")                                               \
    X("policy", "Against policy")                                              \
    X("incomplete", "Incomplete answer")                                       \
    X("other", "Other")

/* SO_OK when code is a reason code's syntax (a-z, 0-9, '_', '-'; 1..64
 * bytes) and label passes the names rule; else SO_ERR_INVALID naming
 * which. label may be NULL (only the code is checked). */
enum so_status so_reason_check(const char *code, const char *label,
                               struct so_error *err);

/* Which workflow fields a set changes (bits). */
#define SO_WF_OWNER 1 /* a workflow with an owner: by its owner (a
                         handover), or a takeover with owner_reason */
#define SO_WF_THRESHOLD 2
#define SO_WF_WINDOW 4
#define SO_WF_MIN 8
#define SO_WF_AUTOPAUSE 16
#define SO_WF_REVIEWS 32
#define SO_WF_REVEAL 64
#define SO_WF_RESOLVER 128
#define SO_WF_MIN_SEEN 256
#define SO_WF_CONFIRM_FLAGGED 512
#define SO_WF_RELEASE 1024
#define SO_WF_APPLIED_WITHIN 2048
#define SO_WF_GUIDELINES 4096 /* "" or NULL clears them */
#define SO_WF_REASONS 8192    /* nreasons 0: back to the default set */
#define SO_WF_AUTOMATE 16384  /* automate, automate_from, sample_pct, force,
                                 policy_reason together (owner only) */
#define SO_WF_ALWAYS_REVIEW 32768 /* "" or NULL clears them (owner only) */
#define SO_WF_CURRENCY 65536
#define SO_WF_RATE 131072
#define SO_WF_SLA 262144
#define SO_WF_SLA_ALERT 524288
#define SO_WF_GOLD 1048576     /* gold_pct */
#define SO_WF_GOLD_BAR 2097152 /* gold_bar */
/* With the settings, flip the kill switch to automation_paused with
 * automation_reason as the reason (the rules of workflow_pause: a reason
 * to pause, the owner to resume, judged on the workflow as the settings
 * leave it), in the same transaction: both are written with their admin
 * records (the set's, then workflow.pause or workflow.resume), or neither
 * is. The caller checks queue_switch_check first. */
#define SO_WF_SWITCH 4194304

/* Flags of enqueue. */
#define SO_ENQ_REPLACE 1u /* a known id with other content replaces the
                             draft while it is pending */
#define SO_ENQ_MORE 2u    /* more batches follow: this commit may skip the
                             fsync, which the last batch's commit does for
                             all (a backend may ignore it) */

/* Result of one enqueued draft. */
enum so_enq_outcome { SO_ENQ_ADDED, SO_ENQ_SAME, SO_ENQ_REPLACED, SO_ENQ_FAILED };
struct so_enq_result {
    enum so_enq_outcome outcome;
    struct so_error err; /* when SO_ENQ_FAILED: field and why */
};

/* The cost and time sums of a rollup cell, one X-macro for the struct, the
 * SQL columns and the protocol's JSON. Costs are in millionths of the
 * workflow's currency; *_n count the tasks that reported the figure. */
#define SO_ROLLUP_COST_LIST(X)                                                 \
    X(ai_cost)    /* the AI's cost of the tasks */                             \
    X(ai_cost_n)                                                               \
    X(tokens)                                                                  \
    X(tokens_n)                                                                \
    X(gen_ms)     /* the AI's time to generate */                              \
    X(gen_n)                                                                   \
    X(human_ms)   /* reviewing time of every review of the tasks */            \
    X(human_cost) /* human_ms at the workflow's hourly rate */                 \
    X(sla_n)      /* tasks of a workflow with a service level */               \
    X(sla_missed) /* of those, decided after it */                             \
    X(acted)      /* tasks whose action record exists */

/* A row of the rollup as stats reads it: one (day, workflow, model,
 * reviewer, band) cell. Strings owned. */
struct so_rollup_row {
    int64_t day; /* days since the epoch, UTC */
    char *workflow;
    char *model;
    char *reviewer;
    int band;
    int64_t approved, edited, rejected, escalated;
    int64_t fast_approvals; /* approvals faster than the text can be read */
    int64_t active_ms_sum;
    int64_t edit_words_sum;
    /* Histograms for medians: bucket i counts values in
     * [so_hist_lo(i), so_hist_lo(i+1)). */
    int64_t time_hist[SO_HIST_BUCKETS];
    int64_t edit_hist[SO_HIST_BUCKETS];
    /* Cost and time of the tasks the cell's decisions made final (see
     * SO_ROLLUP_COST_LIST), and their time from enqueue to the final
     * decision and to the producer's action record (ms). */
#define SO_X_FIELD(c) int64_t c;
    SO_ROLLUP_COST_LIST(SO_X_FIELD)
#undef SO_X_FIELD
    int64_t decision_hist[SO_HIST_BUCKETS];
    int64_t action_hist[SO_HIST_BUCKETS];
};
struct so_rollup {
    struct so_rollup_row *rows;
    size_t n;
    /* Reject reasons per workflow over the same range. */
    struct so_reason_count {
        char *workflow;
        char *reason;
        int64_t count;
    } *reasons;
    size_t nreasons;
    /* People's answers on gold drafts per (workflow, reviewer) over the
     * same range: how many, how many matched (gold.h). */
    struct so_gold_count {
        char *workflow;
        char *reviewer;
        int64_t decided;
        int64_t correct;
    } *golds;
    size_t ngolds;
};
void so_rollup_free(struct so_rollup *r);
/* Histogram bucket lower bounds: 0, 1, then x1.5 steps (ms or words). */
int64_t so_hist_lo(int bucket);
int so_hist_bucket(int64_t value);

struct so_stats_req {
    int64_t since_ms; /* decisions at or after; 0 = all */
    int64_t until_ms; /* before; 0 = now */
    const char *workflow; /* NULL = all */
    /* SO_FOLD_* bits: dimensions the backend sums the cells over (rows
     * then carry model NULL / reviewer ""), so a report grouped by
     * workflow reads one row per (day, workflow, band), not per reviewer.
     * 0 = every cell. */
    unsigned fold;
};
#define SO_FOLD_MODEL 1u
#define SO_FOLD_REVIEWER 2u

/*
 * One event of the outcome feed: an audit record in chain order, with
 * what a producer needs to act on it (outcome.h holds the rules that fill
 * the outcome fields). Owned strings.
 */
struct so_event {
    struct so_decision rec; /* the record: seq, hashes, kind, action, ... */
    char *workflow;         /* the draft's workflow */
    int outcome;            /* 1: a released final outcome: act on it */
    int retracted;          /* 1: a final outcome undone inside its release
                               window: it never reached the producer */
    int64_t revokes;        /* a revert of a released outcome: its seq */
    char *text;             /* outcome approve/edit: the text to send */
};
void so_event_clear(struct so_event *e);

/* What the feed reads: records after seq `after`, optionally of one
 * workflow, at most limit; wait_ms > 0 waits that long for one. */
struct so_event_req {
    int64_t after;
    const char *workflow; /* NULL: all */
    int limit;            /* 1..1000 */
    int64_t wait_ms;      /* 0: answer at once */
};

struct so_event_page {
    struct so_event *v;
    size_t n;
    int64_t next_after; /* the cursor for the next read: every record up to
                           it was read (and filtered) */
    int64_t head;       /* the last seq the feed shows now */
};
void so_event_page_free(struct so_event_page *p);

/* The producer's action record. Strings borrowed. */
struct so_applied_req {
    const char *draft_id;
    const char *request_id; /* generated once by the client; retries reuse */
    const char *ref;        /* the external reference (ticket, txn id) */
    const char *note;       /* may be NULL */
};

/* A webhook of a workflow (webhook.h holds the rules). Owned strings;
 * secret is the whsec_ text: never printed, never logged. */
struct so_hook {
    int64_t id;
    char *workflow;
    char *url;
    char *secret;
    char *events;          /* "outcome" | "all" */
    int enabled;
    int auto_disabled;     /* disabled by its failures in a row */
    char *disabled_reason; /* may be NULL */
    int fail_streak;
    int max_failures;      /* failures in a row that disable it (0: never) */
    int64_t retry_for_ms;  /* a delivery is retried this long, then dead */
    int allow_private;     /* may reach private and loopback addresses */
    int64_t created_at;
    int64_t pending, delivered, dead; /* deliveries (filled by list) */
};
void so_hook_clear(struct so_hook *h);

/* A delivery claimed for sending: the hook, the event, the lease. */
struct so_delivery {
    int64_t id;
    int64_t lease_token; /* the fencing token of this claim */
    int attempts;        /* attempts before this one */
    int64_t first_at;    /* first attempt (ms), 0 before it */
    struct so_hook hook;
    struct so_event event;
};
void so_delivery_clear(struct so_delivery *d);

/* What became of a claimed delivery. Strings borrowed. */
struct so_delivery_result {
    int64_t id;
    int64_t lease_token;
    const char *state; /* "delivered" | "pending" | "dead" | "skipped" */
    int64_t next_at;   /* pending: when to try again */
    int attempted;     /* 0: skipped without sending */
    int status;        /* HTTP status, 0 for none */
    const char *error; /* why it failed, may be NULL */
    int64_t ms;        /* how long the attempt took */
    int disable_hook;  /* the hook reached its failure limit */
};

/* One line of a hook's log. Owned strings. */
struct so_hook_attempt {
    int64_t delivery, seq, at, ms;
    int status;
    char *draft;
    char *state; /* the delivery's state after it */
    char *error;
};
void so_hook_attempts_free(struct so_hook_attempt *v, size_t n);

/* What a signed ping of a hook (hook test) got. */
struct so_hook_ping {
    int status;      /* HTTP status; 0 when none came */
    int64_t ms;      /* how long it took */
    char error[160]; /* why it failed ("" on a 2xx) */
};

/*
 * A row of a queue's table as `signoff copy` streams it from one store to
 * another (copy.h): the column names and values, borrowed for the call.
 * Values are what both stores hold: SQL NULL, an integer, a real or UTF-8
 * text.
 */
enum so_val_kind { SO_VAL_NULL, SO_VAL_INT, SO_VAL_REAL, SO_VAL_TEXT };
struct so_val {
    enum so_val_kind kind;
    int64_t i;
    double r;
    const char *s;
};
struct so_row {
    const char *table;
    size_t n;
    const char *const *cols;
    const struct so_val *vals;
};
/* Where a dump sends its rows: fn(ctx, row, err) for each, in order;
 * an error stops the dump and is its result. */
typedef enum so_status (*so_row_fn)(void *ctx, const struct so_row *row,
                                    struct so_error *err);

struct queue;
struct so_agreement; /* agreement.h */
struct so_token;     /* token.h */

/* Options for opening a queue. Strings borrowed. */
/*
 * The one rule for the times a client reports with a decision (every
 * backend applies it before recording): shown_at lies within the claim,
 * between claimed_at and now (0 stays 0: not reported), and active_ms
 * between 0 and now - claimed_at, the time the claim has existed. A
 * claimed_at of 0 (unknown) bounds both by now alone.
 */
void so_decide_clamp_times(int64_t claimed_at, int64_t now, int64_t *shown_at,
                           int64_t *active_ms);

struct queue_opts {
    const char *reviewer;   /* local: who decides; remote: ignored (token) */
    const char *token_file; /* remote: bearer token file */
    const char *ca_file;    /* remote: extra CA bundle for private CAs */
    int sync_normal;        /* local: synchronous=NORMAL instead of FULL */
    int create;             /* local: create the file if missing (init) */
    const char *group;      /* local init: share with this Unix group */
    int readonly;           /* local: open read-only (list/show/stats) */
    int offline_ok;         /* remote: open even while the server cannot be
                               reached; q->reviewer is then NULL and only
                               decide (into the outbox), unsent and close
                               may be called */
    const char *role;       /* local: "reviewer" (NULL) or "supervisor":
                               who may resolve and see every review; the
                               server passes the token's role */
    int64_t busy_ms;        /* local: the longest a write waits for the
                               lock, then SO_ERR_BUSY (0: 10 s, or
                               $SIGNOFF_BUSY_TIMEOUT_MS) */
    int no_write_probe;     /* local: open without trying a write (the
                               server tried once at start), so opening never
                               waits for another process's write lock */
    int interactive;        /* remote: an input loop waits on each call
                               (the reviewer UI): a server that cannot be
                               reached is not retried with sleeps (the UI
                               retries by itself; a decision waits in the
                               outbox); a busy server's 429/503 still is;
                               a call has a short total deadline (4 s) */
};

/*
 * The queue interface. Every op returns SO_OK or an error status with err
 * filled in; outputs are owned by the caller. Implementations must be safe
 * to call from one thread per queue handle.
 */
struct gold_item;

struct queue_ops {
    const char *name; /* "sqlite" | "http" */
    enum so_status (*claim)(struct queue *q, const struct so_claim_req *req,
                            struct so_draft **out, struct so_error *err);
    enum so_status (*renew)(struct queue *q, const char *draft_id,
                            int64_t lease_token, int64_t lease_ms,
                            int64_t *lease_until, struct so_error *err);
    enum so_status (*release)(struct queue *q, const char *draft_id,
                              int64_t lease_token, struct so_error *err);
    enum so_status (*decide)(struct queue *q, const struct so_decide_req *req,
                             struct so_decide_result *res,
                             struct so_error *err);
    /* Revert my latest non-reverted decision (request_id makes it
     * idempotent); the draft is claimed by me again and returned in *out. */
    enum so_status (*undo)(struct queue *q, const char *request_id,
                           struct so_draft **out, struct so_error *err);
    enum so_status (*get)(struct queue *q, const char *id,
                          struct so_draft **out, struct so_error *err);
    enum so_status (*list)(struct queue *q, const struct so_list_req *req,
                           struct so_draft_page *out, struct so_error *err);
    enum so_status (*count)(struct queue *q, const struct so_list_req *req,
                            int64_t *n, struct so_error *err);
    /* Decisions of one draft, oldest first. */
    enum so_status (*decisions)(struct queue *q, const char *draft_id,
                                struct so_decision **out, size_t *n,
                                struct so_error *err);
    /* Add drafts in one transaction; results[i] for drafts[i]; flags are
     * SO_ENQ_*. Returns SO_OK when the batch committed (some may still be
     * SO_ENQ_FAILED). */
    enum so_status (*enqueue)(struct queue *q, struct so_draft *const *drafts,
                              size_t n, unsigned flags,
                              struct so_enq_result *results,
                              struct so_error *err);
    /* My decisions since the start of today (UTC). */
    enum so_status (*my_today)(struct queue *q, int64_t *n,
                               struct so_error *err);
    enum so_status (*rollup)(struct queue *q, const struct so_stats_req *req,
                             struct so_rollup *out, struct so_error *err);
    enum so_status (*workflow_list)(struct queue *q, struct so_workflow **out,
                                    size_t *n, struct so_error *err);
    enum so_status (*workflow_get)(struct queue *q, const char *name,
                                   struct so_workflow *out,
                                   struct so_error *err);
    /* Change the fields named in mask (SO_WF_*), creating the workflow. */
    enum so_status (*workflow_set)(struct queue *q, const struct so_workflow *w,
                                   unsigned mask, struct so_error *err);
    /* Flip the kill switch; by is the person, reason required for pause. */
    enum so_status (*workflow_pause)(struct queue *q, const char *name,
                                     int paused, const char *reason,
                                     struct so_error *err);
    /* 1 when the queue keeps an outbox of unsent decisions (a remote
     * queue): only then is an unsent count worth showing. */
    int has_outbox;
    /* Decisions waiting to be sent (remote outbox); 0 for local queues. */
    enum so_status (*unsent)(struct queue *q, int64_t *n, struct so_error *err);
    /* Send what is waiting (remote outbox); no-op locally. */
    enum so_status (*sync)(struct queue *q, int64_t *sent, struct so_error *err);
    void (*close)(struct queue *q);
    /* Four-eyes agreement cells and resolutions over req's days
     * (agreement.h); NULL when the backend cannot answer. */
    enum so_status (*agreement)(struct queue *q, const struct so_stats_req *req,
                                struct so_agreement *out, struct so_error *err);
    /* The outcome feed (outcome.h): audit records after req->after in seq
     * order, up to the release head; waits up to req->wait_ms for one. */
    enum so_status (*events)(struct queue *q, const struct so_event_req *req,
                             struct so_event_page *out, struct so_error *err);
    /* Record that the producer acted on the draft's released outcome; res
     * gets the action record (seq, hash; replayed for a repeated
     * request_id). */
    enum so_status (*applied)(struct queue *q, const struct so_applied_req *req,
                              struct so_decide_result *res,
                              struct so_error *err);
    /* My decisions (reviews and resolutions, not undo or action records),
     * newest first: those at or after since_ms, at most limit (1..1000);
     * undone_by says which were undone. */
    enum so_status (*my_decisions)(struct queue *q, int64_t since_ms,
                                   int limit, struct so_decision **out,
                                   size_t *n, struct so_error *err);
    /* Supervisors only: take draft_id from whoever holds it (the holder's
     * lease token is fenced) and leave it pending (to NULL: a release) or
     * held for reviewer `to` for lease_ms (0: the default lease), who opens
     * it by id. Never decides; a four-eyes draft is only released. */
    enum so_status (*reassign)(struct queue *q, const char *draft_id,
                               const char *to, int64_t lease_ms,
                               struct so_error *err);
    /* Webhooks (local queues; NULL elsewhere). */
    enum so_status (*hook_add)(struct queue *q, const struct so_hook *h,
                               int64_t *id, struct so_error *err);
    enum so_status (*hook_list)(struct queue *q, struct so_hook **out,
                                size_t *n, struct so_error *err);
    enum so_status (*hook_enable)(struct queue *q, int64_t id, int on,
                                  struct so_error *err);
    /* Queue every event from seq on again for hook id; *n how many. */
    enum so_status (*hook_replay)(struct queue *q, int64_t id, int64_t from,
                                  int64_t *n, struct so_error *err);
    /* Recent attempts, newest first; failed_only: the dead deliveries. */
    enum so_status (*hook_log)(struct queue *q, int64_t id, int failed_only,
                               int limit, struct so_hook_attempt **out,
                               size_t *n, struct so_error *err);
    /* Have the hook's secret's holder send hook id a signed ping now (the
     * HTTP client: the server sends it). NULL where the caller holds the
     * secret itself and sends (a queue file: deliver_ping). */
    enum so_status (*hook_ping)(struct queue *q, int64_t id,
                                struct so_hook_ping *out,
                                struct so_error *err);
    /* Lease the next due delivery (released event, earlier ones of its
     * draft done, hook enabled); SO_EMPTY when none is due. */
    enum so_status (*delivery_claim)(struct queue *q, int64_t lease_ms,
                                     struct so_delivery *out,
                                     struct so_error *err);
    /* Record the result; SO_ERR_LEASE when the lease was taken over. */
    enum so_status (*delivery_finish)(struct queue *q,
                                      const struct so_delivery_result *r,
                                      struct so_error *err);
    /* API tokens (token.h; signoff token, signoff serve). Only the hash of
     * a secret reaches these. NULL on a backend that has none (the HTTP
     * client: tokens are managed on the queue itself). */
    enum so_status (*token_add)(struct queue *q, const struct so_token *t,
                                struct so_error *err);
    enum so_status (*token_list)(struct queue *q, struct so_token **out,
                                 size_t *n, struct so_error *err);
    /* By id, or (id NULL) by its current or previous hash. */
    enum so_status (*token_find)(struct queue *q, const char *id,
                                 const char *hash, struct so_token *out,
                                 struct so_error *err);
    enum so_status (*token_revoke)(struct queue *q, const char *id,
                                   int64_t at, struct so_error *err);
    enum so_status (*token_rotate)(struct queue *q, const char *id,
                                   const char *hash, int64_t prev_until,
                                   struct so_error *err);
    enum so_status (*token_used)(struct queue *q, const char *id, int64_t at,
                                 const char *addr, struct so_error *err);
    /* Append an admin record (admin.h) of verb on subject with detail (a
     * JSON object as text) by q's reviewer, in its own transaction; the
     * store's own changes (workflow set, pause, tokens) append theirs in
     * their transaction. NULL where the backend has none. */
    enum so_status (*admin_record)(struct queue *q, const char *verb,
                                   const char *subject, const char *detail,
                                   struct so_decide_result *res,
                                   struct so_error *err);
    /* The last admin record of verb into *out; SO_EMPTY when none. */
    enum so_status (*admin_last)(struct queue *q, const char *verb,
                                 struct so_decision *out,
                                 struct so_error *err);
    /* signoff copy (copy.h): a backend's dump and load, as row streams, so
     * moving a queue between stores needs no rule of either. NULL where
     * the backend has none (a remote queue). */
    /* Every row of each table of copy_tables the store keeps, table by
     * table in that order, from one snapshot; then the chain head as a
     * row of table COPY_CHAIN_HEAD (seq, hash). */
    enum so_status (*dump)(struct queue *q, so_row_fn fn, void *ctx,
                           struct so_error *err);
    /* The columns the store keeps of table, NULL-terminated (owned: free
     * each and the array); *cols NULL when it has no such table. */
    enum so_status (*load_columns)(struct queue *q, const char *table,
                                   char ***cols, struct so_error *err);
    /* Start a load in one transaction: SO_ERR_CONFLICT when the queue
     * holds anything but what init wrote (the target of a copy must be
     * empty). */
    enum so_status (*load_begin)(struct queue *q, struct so_error *err);
    /* One row, with only columns load_columns named; COPY_CHAIN_HEAD sets
     * the chain head. SO_EMPTY: a counter row the store's schema cannot
     * hold, left out (the copy names it). */
    enum so_status (*load_row)(struct queue *q, const struct so_row *row,
                               struct so_error *err);
    /* Commit the load (commit 0: roll it back), with the store's own
     * bookkeeping (counters kept by triggers, id sequences) in line. */
    enum so_status (*load_end)(struct queue *q, int commit,
                               struct so_error *err);
    /* Gold drafts into their workflows' pools (gold.h; results[i] for
     * items[i]: added, or failed with field and why); NULL where the
     * backend has none yet. */
    enum so_status (*gold_add)(struct queue *q, const struct gold_item *items,
                               size_t n, struct so_enq_result *results,
                               struct so_error *err);
};

struct queue {
    const struct queue_ops *ops;
    void *impl;
    char *spec;     /* path or URL as given (owned) */
    char *reviewer; /* who I am (owned); remote: as the server said */
    int supervisor; /* I act as a supervisor (local: the role opened with;
                       remote: the token's role as the server said) */
    int background; /* set by the caller around work nobody waits for (the
                       reviewer UI's refresh between keys): a remote queue
                       opened interactive gives each such call 1.5 s, and
                       while the server does not answer tries again only
                       after 5 s, 10 s, ... up to a minute; keys keep their
                       own deadline (queue_opts.interactive) */
};

/* Close a queue opened by a backend (backends.h: queue_open). NULL is
 * fine. */
void queue_close(struct queue *q);

/*
 * The kill switch's rules, one statement for every backend and caller (the
 * CLI, the reviewer UI, the server): only a supervisor flips a workflow's
 * automation (local: the role the queue was opened with; remote: the
 * token's role), and pausing and resuming both need a reason. With reason
 * NULL only the role is checked: a UI calls that before it asks anything,
 * so a reviewer is never walked through a question to be refused at the
 * end. SO_ERR_FORBIDDEN or SO_ERR_INVALID with err saying what to do.
 */
enum so_status queue_switch_check(const struct queue *q, const char *name,
                                  int pause, const char *reason,
                                  struct so_error *err);
/*
 * Resuming automation of w needs its owner (issue 15, the kill switch): w
 * must name one and who must be it; a supervisor who is not the owner is
 * refused. SO_ERR_INVALID without an owner, SO_ERR_FORBIDDEN for anyone
 * else, err naming the owner. The stores apply it in the transaction; the
 * CLI and the UI ask it first, so nobody is asked for a reason to be
 * refused.
 */
enum so_status queue_resume_check(const struct so_workflow *w,
                                  const char *who, struct so_error *err);
/*
 * An escalated draft is not escalated again: its supervisor gives the final
 * decision. SO_ERR_CONFLICT for action on draft id in status, err saying
 * what to do instead; SO_OK otherwise. The stores apply it in the
 * transaction; the UI asks it first from the draft it holds, so a
 * supervisor is not asked for a reason and a note to be refused.
 */
enum so_status queue_escalate_check(const char *id, enum so_dstatus status,
                                    enum so_action action,
                                    struct so_error *err);
/* Gold drafts into their workflows' pools (gold.h) through q's gold_add:
 * only a supervisor adds them (they carry the answers); SO_ERR_USAGE
 * where the backend keeps no gold. */
enum so_status queue_gold_add(struct queue *q, const struct gold_item *items,
                              size_t n, struct so_enq_result *results,
                              struct so_error *err);
/* queue_switch_check with the reason, then the backend's workflow_pause. */
enum so_status queue_workflow_switch(struct queue *q, const char *name,
                                     int pause, const char *reason,
                                     struct so_error *err);

/* The rest of a decide with claim_next, through q's own ops: claim, count
 * (open drafts in claim->workflow) and my_today, into *out. Backends call
 * it after recording the decision (and the HTTP backend when the server
 * did not answer claim_next). */
void queue_decide_next(struct queue *q, const struct so_claim_req *claim,
                       struct so_decide_next *out);

#endif
