/*
 * fuzz_protocol: protocol v1 bodies (include/signoff/remote/protocol.h) as the
 * server and the client parse them: the strict parser, every from_json,
 * and the error-reply mapping. Property: a draft or decision request that
 * parses survives print and parse again unchanged in meaning.
 */
#include "fuzz.h"

#include "signoff/remote/protocol.h"

static void roundtrip_draft(const struct so_draft *d)
{
    cJSON *j = proto_draft_to_json(d);
    char *text = proto_print(j);
    cJSON *back = NULL;
    struct so_draft *d2 = NULL;
    struct so_error err = {0};
    FUZZ_ASSERT(proto_parse(text, strlen(text), &back, &err) == SO_OK);
    FUZZ_ASSERT(proto_draft_from_json(back, &d2, &err) == SO_OK);
    FUZZ_ASSERT(strcmp(d->id, d2->id) == 0);
    FUZZ_ASSERT(strcmp(d->body, d2->body) == 0);
    FUZZ_ASSERT(d->ncitations == d2->ncitations);
    so_draft_free(d2);
    cJSON_Delete(back);
    free(text);
    cJSON_Delete(j);
}

static void every_shape(const cJSON *j)
{
    struct so_error err = {0};
    struct so_draft *d = NULL;
    if (proto_draft_from_json(j, &d, &err) == SO_OK)
        roundtrip_draft(d);
    so_draft_free(d);

    struct so_claim_req cr;
    memset(&cr, 0, sizeof cr);
    proto_claim_req_from_json(j, &cr, &err);
    int present = 0;
    proto_claim_next_from_json(j, &cr, &present, &err);

    struct so_decide_req dr;
    memset(&dr, 0, sizeof dr);
    if (proto_decide_req_from_json(j, "D-1", &dr, &err) == SO_OK) {
        cJSON *again = proto_decide_req_to_json(&dr);
        FUZZ_ASSERT(again != NULL);
        cJSON_Delete(again);
    }

    struct so_decide_result res;
    memset(&res, 0, sizeof res);
    proto_decide_result_from_json(j, &res, &err);
    so_decide_result_clear(&res);

    struct so_draft_page page;
    memset(&page, 0, sizeof page);
    proto_page_from_json(j, &page, &err);
    so_draft_page_free(&page);

    struct so_decision dec;
    memset(&dec, 0, sizeof dec);
    proto_decision_from_json(j, &dec, &err);
    so_decision_clear(&dec);

    struct so_workflow w;
    memset(&w, 0, sizeof w);
    unsigned mask = 0;
    proto_workflow_from_json(j, &w, &mask, &err);
    so_workflow_clear(&w);

    struct so_rollup r;
    memset(&r, 0, sizeof r);
    proto_rollup_from_json(j, &r, &err);
    so_rollup_free(&r);

    struct so_enq_result er;
    memset(&er, 0, sizeof er);
    proto_enq_result_from_json(j, &er, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstr(data, size);
    struct so_error err = {0};
    cJSON *j = NULL;
    if (proto_parse(text, size, &j, &err) == SO_OK) {
        FUZZ_ASSERT(j != NULL);
        every_shape(j);
        cJSON_Delete(j);
    } else {
        FUZZ_ASSERT(err.msg[0] != '\0');
    }
    struct so_error reply = {0};
    enum so_status st = proto_error_from_reply(409, text, size, &reply);
    FUZZ_ASSERT(st != SO_OK && reply.msg[0] != '\0');
    free(text);
    return 0;
}
