/* store_sqlite: placeholder until the store lands (issue 2). */
#include "signoff/store_sqlite.h"

enum so_status store_open(const char *path, const struct queue_opts *opts,
                          struct queue **out, struct so_error *err)
{
    (void)opts;
    (void)out;
    return so_fail(err, SO_ERR, "%s: the store is not built yet", path);
}
