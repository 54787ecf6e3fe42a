/*
 * access: access review rules (access.h).
 */
#include "signoff/access.h"

#include <cJSON.h>
#include <string.h>

#include "signoff/token.h"

unsigned access_flags(const struct so_token *t, int64_t now, int supervised,
                      int workflows)
{
    unsigned f = 0;
    int64_t since = t->last_used_at > 0 ? t->last_used_at : t->created_at;
    if (now - since >= ACCESS_UNUSED_MS)
        f |= ACCESS_UNUSED;
    if (t->expires_at > 0 && t->expires_at - now <= ACCESS_SOON_MS)
        f |= ACCESS_EXPIRING;
    if ((strcmp(t->role, "supervisor") == 0 && !supervised) ||
        (!t->scope && workflows == 1))
        f |= ACCESS_BROAD;
    return f;
}

int64_t access_every(const char *detail)
{
    cJSON *j = detail ? cJSON_Parse(detail) : NULL;
    const cJSON *e = j ? cJSON_GetObjectItemCaseSensitive(j, "every_ms")
                       : NULL;
    int64_t v = cJSON_IsNumber(e) && e->valuedouble >= 86400000.0
                    ? (int64_t)e->valuedouble
                    : ACCESS_EVERY_MS;
    cJSON_Delete(j);
    return v;
}

int64_t access_due(int64_t last_review_at, int64_t every_ms,
                   int64_t oldest_token_at)
{
    if (last_review_at > 0)
        return last_review_at + every_ms;
    return oldest_token_at > 0 ? oldest_token_at + every_ms : 0;
}
