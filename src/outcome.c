/*
 * outcome: when a record is an outcome, when it is released, what a
 * producer may still expect of it (retracted, revoked), and the two rules
 * between reviewers and producers: an action record needs a released live
 * outcome, and an undo is refused once the producer acted. Backends store
 * facts and ask here; nothing here reads a database or prints.
 */
#include "signoff/outcome.h"

#include <string.h>

int outcome_is_final(enum so_action a, const char *status_after)
{
    if (!status_after || strcmp(status_after, "decided") != 0)
        return 0;
    return a == SO_ACT_APPROVE || a == SO_ACT_EDIT || a == SO_ACT_REJECT;
}

int64_t outcome_release_at(int64_t decided_at, int64_t release_after_ms)
{
    return decided_at + (release_after_ms > 0 ? release_after_ms : 0);
}

/* Released before it was undone (or never undone). */
static int released(int64_t release_at, int64_t reverted_at)
{
    return reverted_at == 0 || reverted_at >= release_at;
}

void outcome_classify(const struct outcome_facts *f, struct so_event *e)
{
    e->outcome = 0;
    e->retracted = 0;
    e->revokes = 0;
    if (f->is_outcome) {
        e->outcome = released(f->release_at, f->reverted_at);
        e->retracted = !e->outcome;
    }
    if (f->reverts_outcome && released(f->r_release_at, f->r_reverted_at))
        e->revokes = e->rec.reverts_seq;
    if (!e->outcome)
        return;
    const char *text = e->rec.action == SO_ACT_EDIT && e->rec.final_body
                           ? e->rec.final_body
                       : e->rec.action != SO_ACT_REJECT ? f->draft_body
                                                        : NULL;
    e->text = text ? xstrdup(text) : NULL;
}

enum so_status outcome_may_apply(const char *draft, int found,
                                 int64_t release_at, int64_t now,
                                 struct so_error *err)
{
    if (!found)
        return so_fail(err, SO_ERR_CONFLICT,
                       "%s: applied: the draft has no final outcome to act on",
                       draft);
    if (release_at > now)
        return so_fail(err, SO_ERR_CONFLICT,
                       "%s: applied: its outcome is not released yet (in %lld "
                       "ms)",
                       draft, (long long)(release_at - now));
    return SO_OK;
}

enum so_status outcome_cursor_check(int64_t after, int64_t chain_head,
                                    struct so_error *err)
{
    if (after <= chain_head)
        return SO_OK;
    return so_fail(err, SO_ERR_INVALID,
                   "after: seq %lld is past the end of the audit chain (seq "
                   "%lld): a cursor from another queue, or from this one "
                   "before it was restored?",
                   (long long)after, (long long)chain_head);
}

enum so_status outcome_may_undo(const char *draft, int64_t applied_seq,
                                struct so_error *err)
{
    if (applied_seq > 0)
        return so_fail(err, SO_ERR_CONFLICT,
                       "%s: undo: the producer already acted on this outcome "
                       "(action record %lld)",
                       draft, (long long)applied_seq);
    return SO_OK;
}
