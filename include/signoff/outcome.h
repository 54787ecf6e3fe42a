/*
 * outcome: the rules of the outcome feed, written once for every backend
 * (a backend stores the facts; these functions decide what they mean).
 * An *outcome* is the record that made a draft final (decided, with
 * approve, edit or reject: after every four-eyes review and the resolve
 * step; an escalation is not one, the supervisor's decision is); it is
 * *released* release_after_ms after it was decided. The feed is the audit
 * chain read in seq order up to the first outcome still held back, so a
 * cursor never skips one. Pure functions: no I/O, never prints.
 */
#ifndef SIGNOFF_OUTCOME_H
#define SIGNOFF_OUTCOME_H

#include <stdint.h>

#include "signoff/queue.h"

/* 1 when a record of action a that leaves its draft in status
 * status_after is a final outcome the producer acts on. */
int outcome_is_final(enum so_action a, const char *status_after);

/* When an outcome decided at decided_at reaches the producer. */
int64_t outcome_release_at(int64_t decided_at, int64_t release_after_ms);

/* What a backend knows of one record for the feed. */
struct outcome_facts {
    int is_outcome;      /* the record made its draft final */
    int64_t release_at;  /* of that outcome */
    int64_t reverted_at; /* when it was undone; 0 while live */
    /* For a revert: the outcome it undid, if it undid one. */
    int reverts_outcome;
    int64_t r_release_at;
    int64_t r_reverted_at;
    const char *draft_body; /* the draft's text (borrowed) */
};

/* Fill e->outcome, e->retracted, e->revokes and e->text from e->rec and
 * f: an outcome undone before its release is retracted (never acted on);
 * one undone after it is revoked by the revert, which the producer must
 * honour. The text is the draft body for approve, the edited text for
 * edit, none for reject. */
void outcome_classify(const struct outcome_facts *f, struct so_event *e);

/* SO_OK when an action record may be added for the draft's live outcome
 * (found = 0: none), released at release_at, at time now; otherwise
 * SO_ERR_CONFLICT naming why, for draft. */
enum so_status outcome_may_apply(const char *draft, int found,
                                 int64_t release_at, int64_t now,
                                 struct so_error *err);

/* The applied_seq of an outcome no action record is expected for (0: none
 * yet, expected; > 0: the action record). The unapplied backlog counts
 * the released outcomes with applied_seq 0, only in a workflow whose
 * producer records actions, and only those released at or after its
 * first action record: a producer that starts recording actions cannot
 * be expected to act on what was released before. So a backend adding a
 * workflow's first action record at time now marks, in its transaction,
 * the workflow's live outcomes released before now with none
 * OUTCOME_NOT_EXPECTED (an upgrade marks the outcomes it fills in the
 * same way). Such an outcome may still get an action record, and be
 * undone like any other. */
#define OUTCOME_NOT_EXPECTED (-1)

/* SO_OK when the outcome of draft may be undone: not once the producer
 * recorded its action (applied_seq > 0). */
enum so_status outcome_may_undo(const char *draft, int64_t applied_seq,
                                struct so_error *err);

/* SO_OK when the feed cursor after lies within the audit chain, whose last
 * seq is chain_head. A cursor past it never came from this queue's feed (a
 * cursor of another queue, or of this one before a restore): reading on
 * from it would wait for records that are not coming and skip the ones
 * that are, so it is SO_ERR_INVALID naming both seqs, for every backend. */
enum so_status outcome_cursor_check(int64_t after, int64_t chain_head,
                                    struct so_error *err);

#endif
