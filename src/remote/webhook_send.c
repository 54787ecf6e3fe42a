/*
 * webhook_send: the sender of webhook attempts (webhook_send.h). One easy
 * handle per attempt (deliveries go to many hosts; keeping one alive per
 * host is an optimisation left out), the connect address checked in an
 * opensocket callback, the reply read into a small buffer and dropped.
 */
#define _GNU_SOURCE
#include "signoff/remote/webhook_send.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "signoff/json.h"
#include "signoff/remote/dl_curl.h"
#include "signoff/remote/protocol.h"
#include "signoff/webhook.h"

char *webhook_message(const struct so_event *e, int64_t now_ms)
{
    cJSON *j = json_new_object();
    char at[32];
    so_format_time(now_ms, at);
    json_add_string(j, "type", webhook_type(e));
    json_add_string(j, "timestamp", at);
    json_add_item(j, "data", proto_event_to_json(e));
    char *t = proto_print(j);
    cJSON_Delete(j);
    return t;
}

struct attempt {
    int allow_private;
    int refused; /* a private address was refused */
    size_t got;
};

static int v4_private(uint32_t a)
{
    return (a >> 24) == 127 || (a >> 24) == 10 || (a >> 24) == 0 ||
           (a >> 20) == (172u << 4 | 1) || (a >> 16) == (192u << 8 | 168) ||
           (a >> 16) == (169u << 8 | 254) || (a >> 22) == (100u << 2 | 1) ||
           (a >> 28) >= 14; /* multicast, reserved, broadcast */
}

/* Loopback, private, link-local, unspecified, multicast: not the public
 * internet. */
static int addr_private(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        return v4_private(ntohl(in->sin_addr.s_addr));
    }
    if (sa->sa_family != AF_INET6)
        return 1;
    const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
    if (IN6_IS_ADDR_V4MAPPED(a) || IN6_IS_ADDR_V4COMPAT(a)) {
        uint32_t v4;
        memcpy(&v4, a->s6_addr + 12, 4);
        return v4_private(ntohl(v4));
    }
    return IN6_IS_ADDR_LOOPBACK(a) || IN6_IS_ADDR_UNSPECIFIED(a) ||
           IN6_IS_ADDR_LINKLOCAL(a) || IN6_IS_ADDR_SITELOCAL(a) ||
           IN6_IS_ADDR_MULTICAST(a) || (a->s6_addr[0] & 0xfe) == 0xfc;
}

/* The address of host, an IP literal as libcurl's URL parser gives it
 * ("[::1]" with brackets, maybe a zone after '%'): 1 with *out filled,
 * 0 for a name. */
static int host_literal(const char *host, struct sockaddr_storage *out)
{
    char buf[INET6_ADDRSTRLEN + 8];
    memset(out, 0, sizeof *out);
    struct sockaddr_in *in = (struct sockaddr_in *)out;
    if (inet_pton(AF_INET, host, &in->sin_addr) == 1) {
        in->sin_family = AF_INET;
        return 1;
    }
    if (host[0] != '[' || strlen(host) >= sizeof buf)
        return 0;
    snprintf(buf, sizeof buf, "%s", host + 1);
    buf[strcspn(buf, "]%")] = '\0';
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)out;
    if (inet_pton(AF_INET6, buf, &in6->sin6_addr) != 1)
        return 0;
    in6->sin6_family = AF_INET6;
    return 1;
}

enum so_status webhook_url_check_private(const char *url, int allow_private,
                                         const char *option,
                                         struct so_error *err)
{
    if (allow_private)
        return SO_OK;
    if (dl_curl_load(err) != SO_OK)
        return err->code;
    CURLU *u = curl_url();
    char *host = NULL;
    CURLUcode rc = u ? curl_url_set(u, CURLUPART_URL, url, 0)
                     : CURLUE_OUT_OF_MEMORY;
    if (rc == CURLUE_OK)
        rc = curl_url_get(u, CURLUPART_HOST, &host, 0);
    curl_url_cleanup(u);
    if (rc != CURLUE_OK) {
        curl_free(host);
        return so_fail(err, SO_ERR_INVALID,
                       "url: %s: libcurl cannot read its host (URL error "
                       "%d)",
                       url, (int)rc);
    }
    struct sockaddr_storage a;
    int refuse = host_literal(host, &a) && addr_private((struct sockaddr *)&a);
    enum so_status code =
        refuse ? so_fail(err, SO_ERR_INVALID,
                         "url: %s: %s is a loopback, private or link-local "
                         "address, where a hook reaches only with %s",
                         url, host, option)
               : SO_OK;
    curl_free(host);
    return code;
}

static curl_socket_t open_socket(void *arg, curlsocktype purpose,
                                 struct curl_sockaddr *addr)
{
    struct attempt *at = arg;
    (void)purpose;
    if (!at->allow_private && addr_private(&addr->addr)) {
        at->refused = 1;
        return CURL_SOCKET_BAD;
    }
    return socket(addr->family, addr->socktype | SOCK_CLOEXEC, addr->protocol);
}

/* The reply is read and dropped, at most WEBHOOK_REPLY_CAP bytes. */
static size_t on_reply(char *p, size_t size, size_t n, void *arg)
{
    struct attempt *at = arg;
    (void)p;
    at->got += size * n;
    return at->got > WEBHOOK_REPLY_CAP ? 0 : size * n;
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct curl_slist *headers(const char *msg_id, int64_t ts,
                                  const char *sig)
{
    char line[256];
    struct curl_slist *h = curl_slist_append(NULL,
                                             "Content-Type: application/json");
    snprintf(line, sizeof line, "webhook-id: %s", msg_id);
    h = curl_slist_append(h, line);
    snprintf(line, sizeof line, "webhook-timestamp: %lld", (long long)ts);
    h = curl_slist_append(h, line);
    snprintf(line, sizeof line, "webhook-signature: %s", sig);
    h = curl_slist_append(h, line);
    return curl_slist_append(h, "Expect:");
}

static void setup(CURL *c, const struct so_hook *h, struct attempt *at,
                  const char *body, int64_t timeout_ms, char *errbuf)
{
    curl_easy_setopt(c, CURLOPT_URL, h->url);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                     (long)(timeout_ms < 5000 ? timeout_ms : 5000));
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "signoff/" SIGNOFF_VERSION);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
    curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, at);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_reply);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, at);
}

static void judge_reply(CURL *c, CURLcode rc, const struct attempt *at,
                        const char *errbuf, struct webhook_reply *out)
{
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    out->status = (int)status;
    if (rc == CURLE_WRITE_ERROR && at->got > WEBHOOK_REPLY_CAP)
        snprintf(out->error, sizeof out->error,
                 "reply over %d bytes: cut off", WEBHOOK_REPLY_CAP);
    else if (at->refused)
        snprintf(out->error, sizeof out->error,
                 "a private or loopback address: refused (the hook does "
                 "not allow them)");
    else if (rc != CURLE_OK)
        snprintf(out->error, sizeof out->error, "%.150s",
                 errbuf[0] ? errbuf : curl_easy_strerror(rc));
    else if (status >= 300 && status < 400)
        snprintf(out->error, sizeof out->error,
                 "HTTP %ld: a redirect (not followed)", status);
    else if (status < 200 || status >= 300)
        snprintf(out->error, sizeof out->error, "HTTP %ld", status);
    /* A reply cut off, or not finished in time, is no delivery. */
    if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && status >= 200 &&
                            status < 300))
        out->status = rc == CURLE_WRITE_ERROR ? out->status : 0;
    proto_sanitize(out->error);
}

enum so_status webhook_post(const struct so_hook *h, const char *msg_id,
                            const char *body, int64_t timeout_ms,
                            struct webhook_reply *out, struct so_error *err)
{
    unsigned char key[WEBHOOK_KEY_MAX];
    size_t keylen = 0;
    memset(out, 0, sizeof *out);
    if (webhook_secret_decode(h->secret, key, &keylen) != 0)
        return so_fail(err, SO_ERR_INVALID,
                       "hook %lld: its secret is not a whsec_ secret",
                       (long long)h->id);
    enum so_status st = dl_curl_load(err);
    if (st != SO_OK)
        return st;
    CURL *c = curl_easy_init();
    if (!c)
        return so_fail(err, SO_ERR, "webhook: libcurl failed to start");
    int64_t ts = so_now_ms() / 1000;
    char sig[96], errbuf[CURL_ERROR_SIZE] = "";
    webhook_sign(key, keylen, msg_id, ts, body, strlen(body), sig);
    OPENSSL_cleanse(key, sizeof key);
    struct attempt at = {h->allow_private, 0, 0};
    struct curl_slist *hd = headers(msg_id, ts, sig);
    setup(c, h, &at, body, timeout_ms, errbuf);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hd);
    int64_t t0 = mono_ms();
    CURLcode rc = curl_easy_perform(c);
    out->ms = mono_ms() - t0;
    judge_reply(c, rc, &at, errbuf, out);
    curl_slist_free_all(hd);
    curl_easy_cleanup(c);
    return SO_OK;
}
