/*
 * store_rules: the four-eyes and escalation rules of the SQLite store as
 * SQL conditions on a drafts row, so that the claim (lease.c) and the
 * reviewer's listing (read.c) share one statement of them. Bound :me (the
 * reviewer), :sup (1 for a supervisor) and :now. Header only: no code.
 */
#ifndef SIGNOFF_STORE_RULES_H
#define SIGNOFF_STORE_RULES_H

/* Not a draft I gave a live review of (cheap: most open rows have
 * reviews_done = 0). */
#define STORE_REVIEW_NOT_MINE                                                  \
    " (reviews_done = 0 OR NOT EXISTS (SELECT 1 FROM decisions d"              \
    " WHERE d.draft = drafts.id AND d.reviewer = :me AND d.action <> 'revert'" \
    " AND NOT EXISTS (SELECT 1 FROM decisions r WHERE r.reverts_seq = d.seq"   \
    " AND r.reverts_seq > 0)))"
/* A resolve step I may take: a supervisor, or a workflow whose resolver
 * is a reviewer. */
#define STORE_REVIEW_MAY_RESOLVE                                               \
    " (:sup = 1 OR (SELECT resolver FROM workflows w"                          \
    " WHERE w.name = drafts.workflow) = 'reviewer')"
/* A draft I can act on now: open, free or held by me (a supervisor also
 * acts on drafts others hold: release, reassign), the step mine to take
 * (resolve: STORE_REVIEW_MAY_RESOLVE; escalated: a supervisor), and not
 * reviewed by me. The reviewer's queue lists these; the other open drafts
 * are "waiting on others". */
#define STORE_REVIEW_ACTIONABLE                                                \
    " (status = 'pending' OR ((status = 'claimed' OR (status = 'resolve'"      \
    " AND" STORE_REVIEW_MAY_RESOLVE ") OR (status = 'escalated' AND"           \
    " :sup = 1)) AND (lease_until < :now OR claimed_by = :me OR :sup = 1)))"   \
    " AND" STORE_REVIEW_NOT_MINE

#endif
