/*
 * webhook: Standard Webhooks signing and the delivery rules (webhook.h).
 * The key is decoded with OpenSSL's base64 and used only for the HMAC;
 * nothing here prints or keeps it.
 */
#include "signoff/webhook.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "signoff/names.h"

#define PREFIX "whsec_"

int webhook_secret_decode(const char *text, unsigned char *key, size_t *len)
{
    if (!text || strncmp(text, PREFIX, strlen(PREFIX)) != 0)
        return -1;
    const char *b64 = text + strlen(PREFIX);
    size_t n = strlen(b64);
    if (n == 0 || n % 4 != 0 || n > 4 * ((WEBHOOK_KEY_MAX + 2) / 3))
        return -1;
    unsigned char buf[4 * ((WEBHOOK_KEY_MAX + 2) / 3)];
    int got = EVP_DecodeBlock(buf, (const unsigned char *)b64, (int)n);
    if (got < 0)
        return -1;
    size_t pad = (b64[n - 1] == '=') + (b64[n - 2] == '=');
    size_t klen = (size_t)got - pad;
    if (klen < WEBHOOK_KEY_MIN || klen > WEBHOOK_KEY_MAX)
        return -1;
    memcpy(key, buf, klen);
    *len = klen;
    return 0;
}

enum so_status webhook_secret_new(char out[WEBHOOK_SECRET_TEXT],
                                  struct so_error *err)
{
    unsigned char raw[WEBHOOK_SECRET_BYTES];
    if (RAND_bytes(raw, sizeof raw) != 1)
        return so_fail(err, SO_ERR, "no random bytes for a secret");
    memcpy(out, PREFIX, strlen(PREFIX));
    EVP_EncodeBlock((unsigned char *)out + strlen(PREFIX), raw, sizeof raw);
    OPENSSL_cleanse(raw, sizeof raw);
    return SO_OK;
}

int webhook_url_valid(const char *url)
{
    if (!url || strlen(url) >= WEBHOOK_URL_MAX ||
        (strncasecmp(url, "http://", 7) != 0 &&
         strncasecmp(url, "https://", 8) != 0))
        return 0;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++)
        if (*p <= 0x20 || *p == 0x7f)
            return 0;
    return 1;
}

/* Does url carry a user or password (user:pw@host)? The authority runs
 * from "://" to the first '/', '?' or '#'; an '@' in it starts the host.
 * Such a URL would keep its credentials in the audit chain's admin record
 * and the feed, and show in hook list; the receiver checks the signature
 * instead. */
static int url_has_userinfo(const char *url)
{
    const char *a = strstr(url, "://");
    if (!a)
        return 0;
    a += 3;
    size_t n = strcspn(a, "/?#");
    return memchr(a, '@', n) != NULL;
}

enum so_status webhook_hook_check(const struct so_hook *h,
                                  struct so_error *err)
{
    unsigned char key[WEBHOOK_KEY_MAX];
    size_t klen = 0;
    if (names_check("workflow", h->workflow, err) != SO_OK)
        return err->code;
    if (!webhook_url_valid(h->url))
        return so_fail(err, SO_ERR_INVALID,
                       "url: an http:// or https:// URL under %d bytes, no "
                       "spaces or controls",
                       WEBHOOK_URL_MAX);
    if (url_has_userinfo(h->url))
        return so_fail(err, SO_ERR_INVALID,
                       "url: no user or password before '@' (it would be "
                       "kept in the audit chain and shown in hook list; the "
                       "receiver checks the webhook's signature)");
    if (webhook_secret_decode(h->secret, key, &klen) != 0)
        return so_fail(err, SO_ERR_INVALID,
                       "secret: not a whsec_ secret (whsec_ and the base64 "
                       "of %d to %d random bytes)",
                       WEBHOOK_KEY_MIN, WEBHOOK_KEY_MAX);
    OPENSSL_cleanse(key, sizeof key);
    if (h->events && !webhook_events_valid(h->events))
        return so_fail(err, SO_ERR_INVALID, "events: outcome or all");
    if (h->max_failures < 0)
        return so_fail(err, SO_ERR_INVALID, "max_failures: 0 or more");
    if (h->retry_for_ms < 1000 || h->retry_for_ms > WEBHOOK_RETRY_MAX_MS)
        return so_fail(err, SO_ERR_INVALID,
                       "retry_for: from 1 second to 30 days");
    return SO_OK;
}

void webhook_msg_id(int64_t seq, const char *hash, char out[64])
{
    snprintf(out, 64, "msg_%lld_%.16s", (long long)seq, hash ? hash : "");
}

void webhook_sign(const unsigned char *key, size_t keylen, const char *msg_id,
                  int64_t timestamp_s, const char *body, size_t len,
                  char out[96])
{
    char head[128];
    int hl = snprintf(head, sizeof head, "%s.%lld.", msg_id,
                      (long long)timestamp_s);
    size_t n = (size_t)hl + len;
    unsigned char *msg = xmalloc(n ? n : 1);
    memcpy(msg, head, (size_t)hl);
    memcpy(msg + hl, body, len);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!HMAC(EVP_sha256(), key, (int)keylen, msg, n, md, &mdlen))
        mdlen = 0;
    free(msg);
    char b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
    EVP_EncodeBlock((unsigned char *)b64, md, (int)mdlen);
    snprintf(out, 96, "v1,%s", mdlen ? b64 : "");
}

const char *webhook_type(const struct so_event *e)
{
    if (e->outcome)
        return "signoff.outcome";
    if (e->revokes)
        return "signoff.revoke";
    if (e->rec.action == SO_ACT_APPLIED)
        return "signoff.applied";
    return "signoff.record";
}

int webhook_events_valid(const char *events)
{
    return events && (strcmp(events, "outcome") == 0 ||
                      strcmp(events, "all") == 0);
}

int webhook_wants(const char *events, const struct so_event *e)
{
    if (events && strcmp(events, "all") == 0)
        return 1;
    return e->outcome || e->revokes;
}

void webhook_judge(int status, int attempts, int64_t first_at, int64_t now,
                   int64_t retry_for_ms, int fail_streak, int max_failures,
                   int64_t base_ms, double rnd, struct webhook_verdict *out)
{
    memset(out, 0, sizeof *out);
    if (status >= 200 && status < 300) {
        out->next = WEBHOOK_DELIVERED;
        return;
    }
    out->disable_hook = max_failures > 0 && fail_streak + 1 >= max_failures;
    int64_t wait = base_ms > 0 ? base_ms : WEBHOOK_BACKOFF_MS;
    for (int i = 1; i < attempts && wait < 3600000; i++)
        wait *= 2;
    if (wait > 3600000)
        wait = 3600000;
    wait = (int64_t)((double)wait * (0.5 + 0.5 * rnd));
    out->next_at = now + wait;
    out->next = out->next_at - first_at > retry_for_ms ? WEBHOOK_DEAD
                                                      : WEBHOOK_RETRY;
}
