/*
 * gold: the rules of known-answer drafts (see gold.h). Pure: the model
 * only, no I/O.
 */
#include "signoff/gold.h"

#include <stdlib.h>
#include <string.h>

#include "signoff/draft_json.h"
#include "signoff/json.h"
#include "signoff/names.h"

void gold_item_clear(struct gold_item *g)
{
    so_draft_free(g->draft);
    free(g->reasons);
    memset(g, 0, sizeof *g);
}

static enum so_status read_reasons(const cJSON *j, struct gold_item *out,
                                   struct so_error *err)
{
    const cJSON *a;
    enum so_status s = json_get_array(j, "", "reasons", JSON_OPTIONAL,
                                      GOLD_MAX_REASONS, &a, err);
    if (s == SO_EMPTY)
        return SO_OK;
    if (s != SO_OK)
        return s;
    if (out->expected != SO_ACT_REJECT)
        return so_fail(err, SO_ERR_INVALID,
                       "reasons: only an expected reject has reasons");
    struct buf b;
    buf_init(&b);
    size_t i = 0;
    for (const cJSON *r = a->child; r; r = r->next, i++) {
        struct so_error e;
        if (!cJSON_IsString(r) ||
            names_check("reason", r->valuestring, &e) != SO_OK) {
            buf_free(&b);
            return so_fail(err, SO_ERR_INVALID, "reasons[%zu]: %s", i,
                           cJSON_IsString(r) ? e.msg : "expected a string");
        }
        buf_addf(&b, "%s%s", i ? "\n" : "", r->valuestring);
    }
    if (i)
        out->reasons = buf_steal(&b);
    else
        buf_free(&b);
    return SO_OK;
}

enum so_status gold_from_jsonl(const char *line, size_t len,
                               struct gold_item *out, struct so_error *err)
{
    memset(out, 0, sizeof *out);
    cJSON *j = NULL;
    const cJSON *d;
    const char *exp;
    enum so_status s = json_parse_strict(line, len, 32, &j, err);
    if (s != SO_OK)
        return s;
    if (!cJSON_IsObject(j)) {
        cJSON_Delete(j);
        return so_fail(err, SO_ERR_INVALID, "expected a JSON object");
    }
    if ((s = json_get_object(j, "", "draft", JSON_REQUIRED, &d, err)) ==
            SO_OK &&
        (s = json_get_string(j, "", "expected", JSON_REQUIRED, 16, &exp,
                             err)) == SO_OK) {
        int a = so_action_from_name(exp);
        if (a != SO_ACT_APPROVE && a != SO_ACT_EDIT && a != SO_ACT_REJECT &&
            a != SO_ACT_ESCALATE)
            s = so_fail(err, SO_ERR_INVALID,
                        "expected: approve, edit, reject or escalate, not "
                        "'%s'",
                        exp);
        else
            out->expected = (enum so_action)a;
    }
    if (s == SO_OK)
        s = read_reasons(j, out, err);
    if (s == SO_OK) {
        char *text = json_print(d);
        struct so_error e;
        s = draft_from_jsonl(text, strlen(text), &out->draft, &e);
        free(text);
        if (s != SO_OK)
            so_fail(err, s, "draft.%s", e.msg);
    }
    cJSON_Delete(j);
    if (s != SO_OK)
        gold_item_clear(out);
    return s;
}

/* 1 when reason is one of the lines of list. */
static int listed(const char *list, const char *reason)
{
    size_t n = strlen(reason);
    for (const char *p = list; *p;) {
        size_t m = strcspn(p, "\n");
        if (m == n && strncmp(p, reason, n) == 0)
            return 1;
        p += m + (p[m] == '\n');
    }
    return 0;
}

int gold_correct(enum so_action expected, const char *reasons,
                 enum so_action action, const char *reason)
{
    if (action != expected)
        return 0;
    if (expected != SO_ACT_REJECT || !reasons || !*reasons)
        return 1;
    return reason && listed(reasons, reason);
}

int gold_due_step(double *due, double pct)
{
    if (pct <= 0)
        return 0;
    *due += pct;
    if (*due + 1e-9 < 100.0)
        return 0;
    *due -= 100.0;
    if (*due < 0)
        *due = 0;
    return 1;
}
