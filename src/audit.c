/*
 * audit: canonical JSON and SHA-256 of one audit record, exactly as
 * docs/audit.md specifies it (an outside verifier is written from that
 * text). The field order is part of the file format: changing it breaks
 * every existing chain, so add fields only at the end and only with a
 * schema migration. Must not touch the database or print.
 */
#include "signoff/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <openssl/evp.h>

static void hex_digest(const unsigned char *md, unsigned n, char out[65])
{
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < n && i < 32; i++) {
        out[2 * i] = digits[md[i] >> 4];
        out[2 * i + 1] = digits[md[i] & 15];
    }
    out[64] = '\0';
}

void audit_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    if (!EVP_Digest(data, len, md, &n, EVP_sha256(), NULL))
        abort(); /* only fails on out-of-memory inside libcrypto */
    hex_digest(md, n, out);
}

static void add_str(cJSON *o, const char *key, const char *v)
{
    if (v && *v)
        cJSON_AddItemToObject(o, key, cJSON_CreateString(v));
    else
        cJSON_AddItemToObject(o, key, cJSON_CreateNull());
}

/* Integers are written as plain decimal digits (docs/audit.md). Not
 * through a double: cJSON prints one of 10^15 or more as %1.15g, in
 * exponent form and, near 2^53, rounded (two values, one text). */
static void add_int(cJSON *o, const char *key, int64_t v)
{
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)v);
    cJSON *item = cJSON_CreateRaw(text);
    if (!item)
        abort();
    cJSON_AddItemToObject(o, key, item);
}

char *audit_canonical_json(const struct so_decision *d)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        abort();
    add_int(o, "seq", d->seq);
    add_str(o, "draft", d->draft_id);
    add_str(o, "request_id", d->request_id);
    add_str(o, "reviewer", d->reviewer);
    add_str(o, "action", so_action_name(d->action));
    add_str(o, "kind", d->kind ? d->kind : "review");
    add_str(o, "reason", d->reason);
    add_str(o, "note", d->note);
    add_int(o, "edit_size", d->edit_size);
    add_str(o, "body_sha", d->body_sha);
    add_str(o, "final_sha", d->final_sha);
    add_int(o, "shown_at", d->shown_at);
    add_int(o, "decided_at", d->decided_at);
    add_int(o, "active_ms", d->active_ms);
    add_int(o, "reverts_seq", d->reverts_seq);
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!text)
        abort();
    /* Hand back memory the caller may free() (cJSON may use its own
     * allocator hooks). */
    char *out = xstrdup(text);
    cJSON_free(text);
    return out;
}

void audit_record_hash(const char *prev_hash, const struct so_decision *d,
                       char out[65])
{
    char *json = audit_canonical_json(d);
    const char *prev = prev_hash && *prev_hash ? prev_hash : AUDIT_GENESIS;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) ||
        !EVP_DigestUpdate(ctx, prev, strlen(prev)) ||
        !EVP_DigestUpdate(ctx, json, strlen(json)) ||
        !EVP_DigestFinal_ex(ctx, md, &n))
        abort();
    EVP_MD_CTX_free(ctx);
    free(json);
    hex_digest(md, n, out);
}
