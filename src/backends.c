/*
 * backends: the table of queue backends (see backends.h). A URL's scheme
 * picks its entry; a spec without one is a SQLite file path. Adding a
 * backend is one line here and its own folder under src/store/ or
 * src/remote/; nothing above the queue interface changes.
 */
#include "signoff/backends.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "signoff/remote/dl_curl.h"
#include "signoff/remote/http.h"
#include "signoff/store/pg/backend.h"
#include "signoff/store/pg/dl_pq.h"
#include "signoff/store/sqlite/backend.h"

static const char *const http_schemes[] = {"http", "https", NULL};
/* "service" stands for a libpq service spec (service=NAME), which has no
 * scheme: backend_for maps it here. */
static const char *const pg_schemes[] = {"postgresql", "postgres", "service",
                                         NULL};

static const struct queue_backend backends[] = {
    {"http", http_schemes, 1, dl_curl_load, remote_open},
    {"postgresql", pg_schemes, 0, dl_pq_load, pg_open},
    {"sqlite", NULL, 0, NULL, store_open},
};

/* Length of the scheme of a URL ("https" of https://...), 0 when spec is
 * not a URL (RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) "://"). */
static size_t scheme_len(const char *spec)
{
    size_t n = 0;
    if (!isalpha((unsigned char)spec[0]))
        return 0;
    while (isalnum((unsigned char)spec[n]) || spec[n] == '+' ||
           spec[n] == '-' || spec[n] == '.')
        n++;
    return strncmp(spec + n, "://", 3) == 0 ? n : 0;
}

static int serves(const struct queue_backend *b, const char *scheme, size_t n)
{
    for (const char *const *s = b->schemes; s && *s; s++)
        if (strlen(*s) == n && strncasecmp(*s, scheme, n) == 0)
            return 1;
    return 0;
}

const struct queue_backend *backend_for(const char *spec,
                                        struct so_error *err)
{
    if (!spec || !*spec) {
        so_fail(err, SO_ERR_USAGE, "no queue given");
        return NULL;
    }
    size_t n = scheme_len(spec);
    if (pg_is_service_spec(spec))
        n = strlen("service");
    for (size_t i = 0; i < SO_ARRAY_LEN(backends); i++)
        if (n ? serves(&backends[i], spec, n) : !backends[i].schemes)
            return &backends[i];
    so_fail(err, SO_ERR_USAGE,
            "%s: unknown queue scheme '%.*s://' (a queue is a file path or "
            "an http://, https://, postgresql:// or postgres:// URL, or "
            "service=NAME)",
            spec, (int)(n > 32 ? 32 : n), spec);
    return NULL;
}

enum so_status queue_open(const char *spec, const struct queue_opts *opts,
                          struct queue **out, struct so_error *err)
{
    static const struct queue_opts none;
    const struct queue_backend *b = backend_for(spec, err);
    if (!b)
        return SO_ERR_USAGE;
    if (b->load && b->load(err) != SO_OK)
        return SO_ERR;
    return b->open(spec, opts ? opts : &none, out, err);
}

int queue_is_remote(const char *spec)
{
    struct so_error err;
    const struct queue_backend *b = backend_for(spec, &err);
    return b && b->remote;
}

const char *queue_backend_name(const char *spec)
{
    struct so_error err;
    const struct queue_backend *b = backend_for(spec, &err);
    return b ? b->name : NULL;
}
