/*
 * demo: a deterministic generator of realistic demo data for `signoff
 * demo`: pending drafts over three workflows (support-replies,
 * refund-approvals, contract-clauses) with customer inputs, bodies with [n]
 * markers and citations (some with a marker that has no citation, some whose
 * quote is not in its excerpt), two model versions, and 30 days of past
 * decisions by five reviewers recorded through the queue's own claim and
 * decide operations, so the monitor tells a true story: refund-approvals
 * drifts over its threshold in the last 7 days, the others stay healthy, and
 * one reviewer approves suspiciously fast.
 *
 * Goes through the queue interface only; never prints, never exits. While it
 * runs it pins $SIGNOFF_NOW_MS to each past moment (the store stamps times
 * with so_now_ms) and restores the caller's value before returning.
 */
#ifndef SIGNOFF_DEMO_H
#define SIGNOFF_DEMO_H

#include <stddef.h>
#include <stdint.h>

#include "signoff/util.h"

struct demo_opts {
    uint64_t seed;  /* same seed and now_ms: the same queue */
    int64_t now_ms; /* the demo's "now"; the history lies before it */
};

/* What demo_populate wrote. */
struct demo_summary {
    size_t pending;   /* drafts waiting for review */
    size_t decisions; /* past decisions recorded */
    size_t workflows;
};

/* Fill the new, empty queue file at path (created if missing) with the demo
 * data. Opens one queue handle per demo reviewer (with synchronous=NORMAL:
 * demo data need not survive a power cut) and closes them. */
enum so_status demo_populate(const char *path, const struct demo_opts *opts,
                             struct demo_summary *out, struct so_error *err);

#endif
