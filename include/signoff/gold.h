/*
 * gold: known-answer drafts that check reviewers (issue 15, part 4) as pure
 * rules: the input line (a draft and its expected outcome), whether a
 * decision matches the answer, when the next one is mixed into a
 * workflow's human queue, and a reviewer's gold accuracy with its Wilson
 * interval and the bar it is flagged under. Every store asks these; only
 * its SQL differs. No I/O.
 */
#ifndef SIGNOFF_GOLD_H
#define SIGNOFF_GOLD_H

#include <stdint.h>

#include "signoff/queue.h"

/* At most this many acceptable reject reasons per gold draft. */
#define GOLD_MAX_REASONS 16
/* A workflow's accuracy bar when none is set: a reviewer whose gold
 * accuracy is, with 95% confidence, below it is flagged. */
#define GOLD_DEFAULT_BAR 0.9

/* One gold draft: the draft people see and its known answer. Owns all. */
struct gold_item {
    struct so_draft *draft;
    enum so_action expected; /* approve, edit, reject or escalate */
    char *reasons;           /* acceptable reject reasons, one a line;
                                NULL: any reason */
};
void gold_item_clear(struct gold_item *g);

/*
 * Parse one line of `gold add` (text need not be NUL-terminated):
 *   {"draft": {...a draft as enqueue takes it...},
 *    "expected": "approve|edit|reject|escalate",
 *    "reasons": ["factual", ...]}      (reject only; optional)
 * SO_ERR_INVALID or SO_ERR_TOOLARGE with "field: why".
 */
enum so_status gold_from_jsonl(const char *line, size_t len,
                               struct gold_item *out, struct so_error *err);

/* 1 when a decision (action, reason) gives the known answer: the same
 * action and, for an expected reject with reasons, one of them. */
int gold_correct(enum so_action expected, const char *reasons,
                 enum so_action action, const char *reason);

/* The mix: each draft routed to people adds pct (0..100) to *due; when it
 * reaches 100 one gold draft is due (returns 1, *due less 100). The same
 * history always mixes the same way (no randomness a producer could read
 * or a reviewer could learn). */
int gold_due_step(double *due, double pct);

/* A reviewer's accuracy on gold drafts and its flag: stats.h
 * (stats_gold_finish, stats_gold_flagged), with the other intervals. */

#endif
