/*
 * remote_http: placeholder until the HTTP backend lands (issue 5).
 */
#include "signoff/remote_http.h"

enum so_status remote_open(const char *url, const struct queue_opts *opts,
                           struct queue **out, struct so_error *err)
{
    (void)opts;
    (void)out;
    return so_fail(err, SO_ERR_USAGE, "%s: remote queues are not built yet",
                   url);
}
