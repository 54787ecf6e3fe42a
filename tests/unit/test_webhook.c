/* test_webhook: the rules of a hook to add (webhook_hook_check: each field
 * refused with its name, the secret never quoted), a made secret's form,
 * and the protocol's hook JSON: a hook as a reply shows it never holds its
 * secret, and POST /v1/hooks's body reads back whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "signoff/json.h"
#include "signoff/remote/protocol.h"
#include "signoff/webhook.h"

#define SECRET "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

static struct so_hook good(void)
{
    struct so_hook h = {0};
    h.workflow = "support";
    h.url = "https://crm.example/hooks/in";
    h.secret = SECRET;
    h.events = "outcome";
    h.max_failures = 20;
    h.retry_for_ms = WEBHOOK_RETRY_FOR_MS;
    return h;
}

/* h is refused, the message starts with field and never quotes SECRET. */
static void refused(const struct so_hook *h, const char *field)
{
    struct so_error err;
    assert_int_equal(webhook_hook_check(h, &err), SO_ERR_INVALID);
    assert_int_equal(strncmp(err.msg, field, strlen(field)), 0);
    assert_null(strstr(err.msg, "MfKQ9r8G"));
}

static void test_check(void **state)
{
    (void)state;
    struct so_error err;
    struct so_hook h = good();
    assert_int_equal(webhook_hook_check(&h, &err), SO_OK);
    h.workflow = "";
    refused(&h, "workflow");
    h = good();
    h.url = "ftp://crm.example/x";
    refused(&h, "url");
    h.url = "https://crm.example/a b";
    refused(&h, "url");
    h.url = "https://crm.example/\x1b]0;x\a";
    refused(&h, "url");
    h = good();
    h.secret = "whsec_c2hvcnQ="; /* 5 bytes */
    refused(&h, "secret");
    h.secret = "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    refused(&h, "secret");
    h.secret = NULL;
    refused(&h, "secret");
    h = good();
    h.events = "some";
    refused(&h, "events");
    h = good();
    h.max_failures = -1;
    refused(&h, "max_failures");
    h = good();
    h.retry_for_ms = 999;
    refused(&h, "retry_for");
    h.retry_for_ms = WEBHOOK_RETRY_MAX_MS + 1;
    refused(&h, "retry_for");
    h.retry_for_ms = WEBHOOK_RETRY_MAX_MS;
    assert_int_equal(webhook_hook_check(&h, &err), SO_OK);
}

static void test_secret_new(void **state)
{
    (void)state;
    char a[WEBHOOK_SECRET_TEXT], b[WEBHOOK_SECRET_TEXT];
    unsigned char key[WEBHOOK_KEY_MAX];
    size_t len = 0;
    struct so_error err;
    assert_int_equal(webhook_secret_new(a, &err), SO_OK);
    assert_int_equal(webhook_secret_new(b, &err), SO_OK);
    assert_string_not_equal(a, b);
    assert_int_equal(strncmp(a, "whsec_", 6), 0);
    assert_int_equal(webhook_secret_decode(a, key, &len), 0);
    assert_int_equal(len, WEBHOOK_SECRET_BYTES);
}

static void test_json(void **state)
{
    (void)state;
    struct so_hook h = good(), back;
    struct so_error err;
    h.id = 7;
    h.allow_private = 1;
    cJSON *j = proto_hook_to_json(&h);
    char *text = json_print(j);
    assert_null(strstr(text, "secret"));
    assert_null(strstr(text, "MfKQ9r8G"));
    assert_int_equal(proto_hook_from_json(j, &back, &err), SO_OK);
    assert_int_equal(back.id, 7);
    assert_string_equal(back.url, h.url);
    assert_null(back.secret);
    assert_true(back.allow_private);
    so_hook_clear(&back);
    free(text);
    cJSON_Delete(j);

    j = proto_hook_add_to_json(&h);
    assert_int_equal(proto_hook_add_from_json(j, &back, &err), SO_OK);
    assert_string_equal(back.secret, SECRET);
    assert_string_equal(back.workflow, "support");
    assert_int_equal(back.retry_for_ms, WEBHOOK_RETRY_FOR_MS);
    assert_int_equal(webhook_hook_check(&back, &err), SO_OK);
    so_hook_clear(&back);
    cJSON_DeleteItemFromObjectCaseSensitive(j, "url");
    assert_int_equal(proto_hook_add_from_json(j, &back, &err),
                     SO_ERR_INVALID);
    assert_null(back.workflow); /* cleared on a refusal */
    cJSON_Delete(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_secret_new),
        cmocka_unit_test(test_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
