/*
 * dl_curl: the libcurl functions signoff calls, defined here and forwarded
 * to libcurl dlopened on first use (see dl_curl.h for why). A function of
 * libcurl that remote/http.c starts to call must be added to CURL_FUNCS
 * and given a forwarder below, or the binary links libcurl again (the
 * Makefile links it as-needed; tests/cli/lazy_libs.sh then fails).
 *
 * curl_easy_setopt and curl_easy_getinfo are variadic and C cannot pass a
 * va_list on to them, so the argument is read with the type libcurl
 * itself reads for the option: the option number's range gives it
 * (CURLOPTTYPE_*); getinfo always takes one pointer. Must not do anything
 * but forward: no policy lives here.
 */

/* curl.h's gcc type checks turn curl_easy_setopt and curl_easy_getinfo into
 * macros, which would rewrite the definitions below. */
#define CURL_DISABLE_TYPECHECK

#include "signoff/remote/dl_curl.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdarg.h>

#include "signoff/dl.h"

/* The soname the build's -lcurl resolves to (the Makefile reads it from
 * the library); libcurl.so.4 has been libcurl's ABI soname since 7.16.0
 * (2006). */
#ifndef SIGNOFF_LIBCURL_SONAME
#define SIGNOFF_LIBCURL_SONAME "libcurl.so.4"
#endif

/* X(return type, name, parameters): every libcurl function forwarded. */
#define CURL_FUNCS(X)                                                          \
    X(CURL *, curl_easy_init, (void))                                          \
    X(CURLcode, curl_easy_setopt, (CURL *, CURLoption, ...))                   \
    X(CURLcode, curl_easy_perform, (CURL *))                                   \
    X(CURLcode, curl_easy_getinfo, (CURL *, CURLINFO, ...))                    \
    X(void, curl_easy_cleanup, (CURL *))                                       \
    X(const char *, curl_easy_strerror, (CURLcode))                            \
    X(char *, curl_easy_escape, (CURL *, const char *, int))                   \
    X(void, curl_free, (void *))                                               \
    X(struct curl_slist *, curl_slist_append,                                  \
      (struct curl_slist *, const char *))                                     \
    X(void, curl_slist_free_all, (struct curl_slist *))                        \
    X(CURLU *, curl_url, (void))                                               \
    X(void, curl_url_cleanup, (CURLU *))                                       \
    X(CURLUcode, curl_url_set, (CURLU *, CURLUPart, const char *, unsigned))   \
    X(CURLUcode, curl_url_get, (CURLU *, CURLUPart, char **, unsigned))

/* The library's functions; set once by dl_open, read-only after. */
static struct {
#define CURL_X_FIELD(ret, name, params) ret(*name) params;
    CURL_FUNCS(CURL_X_FIELD)
#undef CURL_X_FIELD
} real;

static const struct dl_sym curl_syms[] = {
#define CURL_X_SYM(ret, name, params) {#name, &real.name},
    CURL_FUNCS(CURL_X_SYM)
#undef CURL_X_SYM
};

static struct dl_lib curl_lib = {
    .need = "remote queues need libcurl",
    .soname = SIGNOFF_LIBCURL_SONAME,
    .syms = curl_syms,
    .nsyms = sizeof curl_syms / sizeof curl_syms[0],
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_load(void)
{
    dl_open(&curl_lib);
}

/* 1 once libcurl is loaded (pthread_once also publishes `real`). */
static int ready(void)
{
    pthread_once(&curl_once, curl_load);
    return curl_lib.handle != NULL;
}

enum so_status dl_curl_load(struct so_error *err)
{
    return ready() ? SO_OK : dl_fail(&curl_lib, err);
}

/* ---- the forwarders: <curl/curl.h> documents each. Without libcurl they
 * fail the way libcurl fails when it cannot start (NULL,
 * CURLE_FAILED_INIT); nothing can have been allocated to free. ---- */

/* curl_easy_init: a new easy handle, NULL without libcurl. */
CURL *curl_easy_init(void)
{
    return ready() ? real.curl_easy_init() : NULL;
}

typedef void (*curl_any_fn)(void);

/* Option numbers are their type's base (CURLOPTTYPE_*) plus an index. */
#define CURLOPT_TYPE_STRIDE 10000

/* curl_easy_setopt: one option; its argument is read as the type of the
 * option's range, as libcurl reads it. */
CURLcode curl_easy_setopt(CURL *curl, CURLoption option, ...)
{
    if (!ready())
        return CURLE_FAILED_INIT;
    CURLcode rc = CURLE_UNKNOWN_OPTION; /* a type newer than this file */
    va_list ap;
    va_start(ap, option);
    if (option < CURLOPTTYPE_OBJECTPOINT)
        rc = real.curl_easy_setopt(curl, option, va_arg(ap, long));
    else if (option < CURLOPTTYPE_FUNCTIONPOINT)
        rc = real.curl_easy_setopt(curl, option, va_arg(ap, void *));
    else if (option < CURLOPTTYPE_OFF_T)
        rc = real.curl_easy_setopt(curl, option, va_arg(ap, curl_any_fn));
    else if (option < CURLOPTTYPE_BLOB)
        rc = real.curl_easy_setopt(curl, option, va_arg(ap, curl_off_t));
    else if (option < CURLOPTTYPE_BLOB + CURLOPT_TYPE_STRIDE)
        rc =
            real.curl_easy_setopt(curl, option, va_arg(ap, struct curl_blob *));
    va_end(ap);
    return rc;
}

/* curl_easy_perform: run the transfer set up on the handle. */
CURLcode curl_easy_perform(CURL *curl)
{
    return ready() ? real.curl_easy_perform(curl) : CURLE_FAILED_INIT;
}

/* curl_easy_getinfo: every CURLINFO takes one pointer to the result. */
CURLcode curl_easy_getinfo(CURL *curl, CURLINFO info, ...)
{
    if (!ready())
        return CURLE_FAILED_INIT;
    va_list ap;
    va_start(ap, info);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    return real.curl_easy_getinfo(curl, info, arg);
}

/* curl_easy_cleanup: free a handle (NULL is fine). */
void curl_easy_cleanup(CURL *curl)
{
    if (ready())
        real.curl_easy_cleanup(curl);
}

/* curl_easy_strerror: libcurl's sentence for a code. */
const char *curl_easy_strerror(CURLcode code)
{
    return ready() ? real.curl_easy_strerror(code) : "libcurl is not loaded";
}

/* curl_easy_escape: a URL-encoded copy to free with curl_free. */
char *curl_easy_escape(CURL *curl, const char *string, int length)
{
    return ready() ? real.curl_easy_escape(curl, string, length) : NULL;
}

/* curl_free: free what libcurl allocated for the caller. */
void curl_free(void *p)
{
    if (ready())
        real.curl_free(p);
}

/* curl_slist_append: the list with a copy of s added, NULL on failure. */
struct curl_slist *curl_slist_append(struct curl_slist *list, const char *s)
{
    return ready() ? real.curl_slist_append(list, s) : NULL;
}

/* curl_slist_free_all: free a whole list (NULL is fine). */
void curl_slist_free_all(struct curl_slist *list)
{
    if (ready())
        real.curl_slist_free_all(list);
}

/* curl_url: a new URL handle, NULL without libcurl. */
CURLU *curl_url(void)
{
    return ready() ? real.curl_url() : NULL;
}

/* curl_url_cleanup: free a URL handle (NULL is fine). */
void curl_url_cleanup(CURLU *handle)
{
    if (ready())
        real.curl_url_cleanup(handle);
}

/* curl_url_set: parse or set one part of the URL. */
CURLUcode curl_url_set(CURLU *handle, CURLUPart what, const char *part,
                       unsigned int flags)
{
    return ready() ? real.curl_url_set(handle, what, part, flags)
                   : CURLUE_OUT_OF_MEMORY;
}

/* curl_url_get: a copy of one part of the URL, to free with curl_free. */
CURLUcode curl_url_get(CURLU *handle, CURLUPart what, char **part,
                       unsigned int flags)
{
    return ready() ? real.curl_url_get(handle, what, part, flags)
                   : CURLUE_OUT_OF_MEMORY;
}
