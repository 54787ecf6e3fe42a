/*
 * ui_session: the reviewer's work on the queue, apart from any drawing: the
 * draft I hold (claim, lease renewal between keys, release), when it was
 * first shown and the active reviewing time, the decision being saved (its
 * request_id is kept until the queue accepts it, so a retry is idempotent)
 * and undo. Speaks only to the queue interface; no curses, never prints.
 */
#ifndef SIGNOFF_UI_SESSION_H
#define SIGNOFF_UI_SESSION_H

#include "signoff/filter.h"
#include "signoff/queue.h"

/* Keys further apart than this are not review time (a coffee break). */
#define UI_SESSION_IDLE_MS 60000
/* Renew the lease when less than this is left. */
#define UI_SESSION_RENEW_MS (SO_DEFAULT_LEASE_MS / 2)
#define UI_SESSION_MAX_SKIPPED 256

/* A workflow's guards for the UI (struct so_workflow's min_seen_ms and
 * confirm_flagged), fetched once per workflow and session. */
struct ui_guard {
    char *workflow;
    int64_t min_seen_ms;
    int confirm_flagged;
    /* The workflow's reason codes as read when its first draft opened:
     * the reject menu's list while the queue cannot be asked (server
     * down; the decision goes to the outbox). Owned. */
    struct so_reason *reasons;
    size_t nreasons;
};

/* A decision not yet saved. Owned strings. */
struct ui_pending {
    int active;
    char request_id[37];
    enum so_action action;
    char *reason;
    char *note;
    char *final_body;
};

/* Everything owned except q. */
struct ui_session {
    struct queue *q;
    struct so_draft *draft; /* the draft I hold, NULL when none */
    int64_t lease_until;    /* wall ms */
    int64_t shown_at;       /* wall ms when first drawn; 0 until then */
    int64_t shown_mono;     /* the same on the monotonic clock */
    int lease_lost;         /* the queue said another holds the draft now:
                               the lease shown stops */
    int64_t active_ms;
    int64_t last_event;     /* mono ms of the last key (or first draw) */
    unsigned long generation; /* bumped each time a draft is taken */
    struct ui_pending pending;
    char **skipped; /* ids released with skip, not offered again */
    size_t nskipped;
    char **outboxed; /* ids decided into a remote queue's outbox this
                        session: neither offered nor opened again while
                        decisions wait there */
    size_t noutboxed;
    struct ui_guard *guards; /* per workflow seen this session */
    size_t nguards;
    /* Progress of this session (the status bar): decisions recorded and
     * the reviewing time they took (active time, idle gaps capped). */
    int64_t decided;
    int64_t worked_ms;
    /* The queue screen's last listing had drafts nearing or past their
     * workflow's SLA, which it shows first: the next draft is claimed
     * from those, most overdue first, until none is left. */
    int sla_due;
};

/* 1 if id was decided into the outbox this session and may still wait
 * there (the queue list marks it; it is not opened again). */
int ui_session_outboxed(const struct ui_session *s, const char *id);
/* The outbox is empty: what was decided into it has been sent. */
void ui_session_outbox_sent(struct ui_session *s);

/* An empty session on q (holding no draft). */
void ui_session_init(struct ui_session *s, struct queue *q);
/* Release the draft I hold (if any) and free everything. */
void ui_session_fini(struct ui_session *s);

/* Claim the draft id, or (id NULL) the next draft the filter f admits that I
 * did not skip. On success s->draft is it. SO_EMPTY when nothing is left. A
 * draft I already hold is released first. */
enum so_status ui_session_claim(struct ui_session *s, const struct filter *f,
                                const char *id, struct so_error *err);

/* The draft was drawn: starts the clock the first time, and then returns
 * 1 (keys typed before this moment must not act on it). */
int ui_session_shown(struct ui_session *s);

/* Milliseconds the draft I hold has been on screen; -1 when it was never
 * drawn (or none is held). */
int64_t ui_session_seen_ms(const struct ui_session *s);

/* The guards of the workflow of the draft I hold: asked of the queue the
 * first time, then remembered; the defaults when the queue cannot say. */
struct ui_guard ui_session_guard(struct ui_session *s);
/* A key arrived: counts the time since the previous one, at most
 * UI_SESSION_IDLE_MS. */
void ui_session_input(struct ui_session *s);

/* Between keys: renew the lease when it is due. SO_OK when nothing was
 * due. */
enum so_status ui_session_tick(struct ui_session *s, struct so_error *err);

/* Record a decision on the draft I hold. The same decision asked again
 * after a failure reuses its request_id. On success the draft is done and
 * res says what was recorded; on failure everything is kept for a retry.
 * next (may be NULL) is the limit the next draft must meet: when a plain
 * claim can honour it, the queue claims the next draft in the same call
 * (res->next.filled; on SO_OK s->draft is that draft, else NULL). When
 * res->next.filled is 0, claim with ui_session_claim.
 * s->lease_lost is set only when the claim is gone (SO_ERR_LEASE, or a
 * conflict or missing draft the queue's renewal confirms: decided by
 * another); any other refusal keeps the lease, renewed. A draft never drawn
 * cannot be decided (SO_ERR_USAGE). */
enum so_status ui_session_decide(struct ui_session *s, enum so_action action,
                                 const char *reason, const char *note,
                                 const char *final_body,
                                 const struct filter *next,
                                 struct so_decide_result *res,
                                 struct so_error *err);

/* Give the draft I hold back to the queue (leaving it undecided). */
enum so_status ui_session_release(struct ui_session *s, struct so_error *err);

/* Skip: release the draft I hold and do not offer it again this session. */
enum so_status ui_session_skip(struct ui_session *s, struct so_error *err);

/* Undo my last decision; the draft comes back to me as s->draft. */
enum so_status ui_session_undo(struct ui_session *s, struct so_error *err);

/* Milliseconds of lease left (0 when none or expired). */
int64_t ui_session_lease_left(const struct ui_session *s);

#endif
