/*
 * access: the rules of the access review (signoff access, stats --check),
 * above every backend: which identities deserve a second look (unused,
 * expiring soon, broader than their use) and when the next review is due.
 * Pure functions: no I/O, never prints.
 */
#ifndef SIGNOFF_ACCESS_H
#define SIGNOFF_ACCESS_H

#include <stdint.h>

#define ACCESS_EVERY_MS (90 * 86400000LL)  /* default review interval */
#define ACCESS_UNUSED_MS (30 * 86400000LL) /* flag: unused this long */
#define ACCESS_SOON_MS (14 * 86400000LL)   /* flag: expires within */

#define ACCESS_UNUSED 1u   /* not used for ACCESS_UNUSED_MS (or never) */
#define ACCESS_EXPIRING 2u /* expires within ACCESS_SOON_MS */
#define ACCESS_BROAD 4u    /* supervisor that never acted as one, or
                              unscoped token used in one workflow only */

struct so_token; /* token.h */

/* The flags of an active token t at now; supervised: its reviewer did a
 * supervisor's action (a resolution, a pause, resume or workflow change);
 * workflows: in how many workflows it decided. */
unsigned access_flags(const struct so_token *t, int64_t now, int supervised,
                      int workflows);

/* The interval an access.reviewed record's detail names (every_ms), else
 * ACCESS_EVERY_MS. */
int64_t access_every(const char *detail);

/* When the next review is due: every after the last one, or (none yet)
 * after the oldest token's creation; 0 when there is nothing to review. */
int64_t access_due(int64_t last_review_at, int64_t every_ms,
                   int64_t oldest_token_at);

#endif
