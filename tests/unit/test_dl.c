/* test_dl: libraries loaded on first use. The loader's error names the
 * library and why (a missing soname, a missing function); the libcurl
 * forwarders pass every argument type through (a file:// transfer whose
 * body arrives through the forwarded callback, an off_t, a blob, an option
 * type they do not know); the libmicrohttpd forwarders start a daemon with
 * options and answer a real request made through libcurl. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <microhttpd.h>

#include "signoff/dl.h"
#include "signoff/remote/dl_curl.h"
#include "signoff/server/dl_mhd.h"
#include "signoff/util.h"

static double (*test_cos)(double);
static double (*test_absent)(double);

static void missing_library_says_who_needs_it(void **state)
{
    (void)state;
    struct dl_sym syms[] = {{"cos", &test_cos}};
    struct dl_lib lib = {.need = "remote queues need libcurl",
                         .soname = "libsignoff-absent.so.4",
                         .syms = syms,
                         .nsyms = 1};
    struct so_error err;
    assert_int_equal(dl_open(&lib), -1);
    assert_null(lib.handle);
    assert_int_equal(dl_fail(&lib, &err), SO_ERR);
    const char *want = "remote queues need libcurl (libsignoff-absent.so.4): "
                       "libsignoff-absent.so.4: cannot open shared object "
                       "file";
    assert_memory_equal(err.msg, want, strlen(want));
}

static void missing_function_is_named(void **state)
{
    (void)state;
    struct dl_sym syms[] = {{"cos", &test_cos},
                            {"signoff_absent_function", &test_absent}};
    struct dl_lib lib = {.need = "tests need libm",
                         .soname = "libm.so.6",
                         .syms = syms,
                         .nsyms = 2};
    struct so_error err;
    assert_int_equal(dl_open(&lib), -1);
    assert_null(lib.handle);
    dl_fail(&lib, &err);
    assert_non_null(strstr(err.msg, "tests need libm (libm.so.6): "));
    assert_non_null(strstr(err.msg, "signoff_absent_function"));
}

static void functions_resolve(void **state)
{
    (void)state;
    struct dl_sym syms[] = {{"cos", &test_cos}};
    struct dl_lib lib = {.need = "tests need libm",
                         .soname = "libm.so.6",
                         .syms = syms,
                         .nsyms = 1};
    assert_int_equal(dl_open(&lib), 0);
    assert_non_null(lib.handle);
    assert_true(test_cos(0.0) == 1.0);
}

static size_t collect(char *p, size_t size, size_t n, void *arg)
{
    buf_add(arg, p, size * n);
    return size * n;
}

static void curl_forwards_every_type(void **state)
{
    (void)state;
    struct so_error err;
    assert_int_equal(dl_curl_load(&err), SO_OK);
    char path[] = "/tmp/signoff-test-dl.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "body\n", 5), 5);
    close(fd);
    char *url = xasprintf("file://%s", path);
    struct buf b;
    buf_init(&b);
    CURL *c = curl_easy_init();
    assert_non_null(c);
    struct curl_blob blob = {.data = "x", .len = 1, .flags = CURL_BLOB_COPY};
    assert_int_equal(curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L), CURLE_OK);
    assert_int_equal(curl_easy_setopt(c, CURLOPT_URL, url), CURLE_OK);
    assert_int_equal(curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect),
                     CURLE_OK);
    assert_int_equal(curl_easy_setopt(c, CURLOPT_WRITEDATA, &b), CURLE_OK);
    assert_int_equal(
        curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)100),
        CURLE_OK);
    assert_int_equal(curl_easy_setopt(c, CURLOPT_CAINFO_BLOB, &blob), CURLE_OK);
    assert_int_equal((curl_easy_setopt)(c, (CURLoption)50001, NULL),
                     CURLE_UNKNOWN_OPTION);
    assert_int_equal(curl_easy_perform(c), CURLE_OK);
    assert_int_equal(b.len, 5);
    assert_memory_equal(b.data, "body\n", 5);
    curl_off_t size = 0;
    assert_int_equal(curl_easy_getinfo(c, CURLINFO_SIZE_DOWNLOAD_T, &size),
                     CURLE_OK);
    assert_int_equal(size, 5);
    char *e = curl_easy_escape(c, "a b", 0);
    assert_string_equal(e, "a%20b");
    curl_free(e);
    assert_string_equal(curl_easy_strerror(CURLE_OK), "No error");
    curl_easy_cleanup(c);
    buf_free(&b);
    free(url);
    unlink(path);
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *conn,
                              const char *url, const char *method,
                              const char *version, const char *upload,
                              size_t *upload_len, void **ctx)
{
    (void)cls;
    (void)url;
    (void)method;
    (void)version;
    (void)upload;
    (void)upload_len;
    (void)ctx;
    const char *h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-T");
    char *body = xasprintf("got %s", h ? h : "-");
    struct MHD_Response *r = MHD_create_response_from_buffer(
        strlen(body), body, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(r, "Content-Type", "text/plain");
    enum MHD_Result ret = MHD_queue_response(conn, 203, r);
    MHD_destroy_response(r);
    return ret;
}

static void mhd_serves_through_the_forwarders(void **state)
{
    (void)state;
    struct so_error err;
    assert_int_equal(dl_mhd_load(&err), SO_OK);
    struct MHD_Daemon *d =
        MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC, 0, NULL,
                         NULL, answer, NULL, MHD_OPTION_CONNECTION_TIMEOUT, 5u,
                         MHD_OPTION_THREAD_POOL_SIZE, 2u, MHD_OPTION_END);
    assert_non_null(d);
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    assert_non_null(info);
    assert_true(info->port > 0);
    char *url = xasprintf("http://127.0.0.1:%u/", (unsigned)info->port);
    struct buf b;
    buf_init(&b);
    struct curl_slist *hs = curl_slist_append(NULL, "X-T: hello");
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hs);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    assert_int_equal(curl_easy_perform(c), CURLE_OK);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    assert_int_equal(status, 203);
    assert_string_equal(buf_cstr(&b), "got hello");
    curl_easy_cleanup(c);
    curl_slist_free_all(hs);
    MHD_socket fd = MHD_quiesce_daemon(d);
    MHD_stop_daemon(d);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    buf_free(&b);
    free(url);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(missing_library_says_who_needs_it),
        cmocka_unit_test(missing_function_is_named),
        cmocka_unit_test(functions_resolve),
        cmocka_unit_test(curl_forwards_every_type),
        cmocka_unit_test(mhd_serves_through_the_forwarders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
