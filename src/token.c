/*
 * token: the rules of API tokens (token.h), shared by the CLI, the server
 * and every backend. A secret is made here, hashed here and never kept:
 * the caller prints it once and cleanses it. No SQL, no HTTP.
 */
#include "signoff/token.h"

#include <cJSON.h>
#include <math.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

#include "signoff/audit.h"
#include "signoff/names.h"

void so_token_clear(struct so_token *t)
{
    free(t->id);
    free(t->hash);
    free(t->prev_hash);
    free(t->reviewer);
    free(t->role);
    free(t->scope);
    free(t->note);
    free(t->created_by);
    free(t->last_addr);
    memset(t, 0, sizeof *t);
}

static void to_hex(const unsigned char *b, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 15];
    }
    out[2 * n] = '\0';
}

enum so_status so_token_make(char secret[SO_TOKEN_SECRET_LEN + 1],
                             char id[SO_TOKEN_ID_LEN + 1],
                             struct so_error *err)
{
    unsigned char raw[32], rid[6];
    if (RAND_bytes(raw, sizeof raw) != 1 || RAND_bytes(rid, sizeof rid) != 1)
        return so_fail(err, SO_ERR, "token: the random generator failed");
    memcpy(secret, SO_TOKEN_PREFIX, 3);
    to_hex(raw, sizeof raw, secret + 3);
    OPENSSL_cleanse(raw, sizeof raw);
    memcpy(id, "tk_", 3);
    to_hex(rid, sizeof rid, id + 3);
    return SO_OK;
}

void so_token_hash(const char *secret, char out[65])
{
    audit_sha256_hex(secret, strlen(secret), out);
}

int so_token_is_ours(const char *secret)
{
    return strlen(secret) == SO_TOKEN_SECRET_LEN &&
           strncmp(secret, SO_TOKEN_PREFIX, 3) == 0;
}

enum so_status so_token_judge(const struct so_token *t, const char *hash,
                              int64_t now, struct so_error *err)
{
    if (t->revoked_at > 0 && t->revoked_at <= now)
        return so_fail(err, SO_ERR_AUTH, "token %s was revoked", t->id);
    if (t->expires_at > 0 && t->expires_at <= now)
        return so_fail(err, SO_ERR_AUTH, "token %s has expired", t->id);
    if (strcmp(t->hash, hash) != 0 &&
        !(t->prev_hash && strcmp(t->prev_hash, hash) == 0 &&
          now < t->prev_until))
        return so_fail(err, SO_ERR_AUTH,
                       "token %s was rotated: use its new secret", t->id);
    return SO_OK;
}

int so_token_scope_allows(const char *scope, const char *workflow)
{
    if (!scope || !*scope)
        return 1;
    if (!workflow)
        return 0;
    size_t n = strlen(workflow);
    for (const char *p = scope; *p;) {
        size_t k = strcspn(p, ",");
        if (k == n && strncmp(p, workflow, n) == 0)
            return 1;
        p += k + (p[k] == ',');
    }
    return 0;
}

enum so_status so_token_scope_make(const char *const *wf, size_t n,
                                   char **out, struct so_error *err)
{
    *out = NULL;
    if (n > SO_TOKEN_MAX_SCOPE)
        return so_fail(err, SO_ERR_INVALID, "--workflow: at most %d",
                       SO_TOKEN_MAX_SCOPE);
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        if (names_check("--workflow", wf[i], err) != SO_OK) {
            buf_free(&b);
            return err->code;
        }
        if (strchr(wf[i], ',')) {
            buf_free(&b);
            return so_fail(err, SO_ERR_INVALID,
                           "--workflow: a scoped workflow name holds no ','");
        }
        if (i)
            buf_addc(&b, ',');
        buf_adds(&b, wf[i]);
    }
    if (n)
        *out = xstrdup(buf_cstr(&b));
    buf_free(&b);
    return SO_OK;
}

const char *so_token_state(const struct so_token *t, int64_t now)
{
    if (t->revoked_at > 0)
        return "revoked";
    if (t->expires_at > 0 && t->expires_at <= now)
        return "expired";
    return "active";
}

static void add_time(cJSON *o, const char *key, int64_t ms)
{
    char at[32];
    if (ms <= 0) {
        cJSON_AddNullToObject(o, key);
        return;
    }
    so_format_time(ms, at);
    cJSON_AddStringToObject(o, key, at);
}

static void add_text(cJSON *o, const char *key, const char *v)
{
    if (v && *v)
        cJSON_AddStringToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

cJSON *so_token_json(const struct so_token *t, int64_t now)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", t->id);
    cJSON_AddStringToObject(o, "reviewer", t->reviewer);
    cJSON_AddStringToObject(o, "role", t->role);
    add_text(o, "scope", t->scope);
    add_text(o, "note", t->note);
    add_text(o, "created_by", t->created_by);
    add_time(o, "created", t->created_at);
    add_time(o, "expires", t->expires_at);
    add_time(o, "last_used", t->last_used_at);
    add_text(o, "last_addr", t->last_addr);
    add_time(o, "revoked", t->revoked_at);
    cJSON_AddStringToObject(o, "state", so_token_state(t, now));
    return o;
}

int so_token_role_ok(const char *role)
{
    return strcmp(role, "reviewer") == 0 || strcmp(role, "supervisor") == 0 ||
           strcmp(role, "producer") == 0;
}

enum so_status so_token_strength(const char *token, struct so_error *err)
{
    size_t len = strlen(token), count[256] = {0}, distinct = 0;
    if (len < SO_TOKEN_MIN_LEN)
        return so_fail(err, SO_ERR_INVALID,
                       "token shorter than %d characters", SO_TOKEN_MIN_LEN);
    for (const unsigned char *p = (const unsigned char *)token; *p; p++)
        distinct += count[*p]++ == 0;
    double h = 0;
    for (size_t i = 0; i < 256; i++)
        if (count[i]) {
            double f = (double)count[i] / (double)len;
            h -= f * log2(f);
        }
    if (distinct < 8 || h * (double)len < SO_TOKEN_MIN_BITS)
        return so_fail(err, SO_ERR_INVALID,
                       "token too weak (repeated or too few distinct "
                       "characters; use `signoff token create` or %d random "
                       "hex digits)", 32);
    return SO_OK;
}
