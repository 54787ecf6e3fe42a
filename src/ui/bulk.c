/*
 * ui_bulk: tags and the supervisors' bulk actions (see ui_bulk.h). Each
 * draft is one queue call (an escalation two: claim, then the decision), so
 * one that fails (someone decided it meanwhile) leaves the others done and
 * stays tagged, named on the message line. Must never approve or reject.
 */
#include "signoff/ui/bulk.h"

#include <stdlib.h>
#include <string.h>

#include "signoff/ui/prompt.h"

/* What the menu offers: no approve, no reject. */
enum bulk_act { BULK_RELEASE, BULK_ESCALATE, BULK_REASSIGN, BULK_COUNT };

int ui_bulk_tagged(const struct ui_tags *t, const char *id)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->ids[i], id) == 0)
            return 1;
    return 0;
}

int ui_bulk_toggle(struct ui_tags *t, const char *id)
{
    for (size_t i = 0; i < t->n; i++) {
        if (strcmp(t->ids[i], id) == 0) {
            free(t->ids[i]);
            memmove(&t->ids[i], &t->ids[i + 1], (t->n - i - 1) * sizeof *t->ids);
            t->n--;
            return 0;
        }
    }
    t->ids = xrealloc(t->ids, (t->n + 1) * sizeof *t->ids);
    t->ids[t->n++] = xstrdup(id);
    return 1;
}

void ui_bulk_clear(struct ui_tags *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->ids[i]);
    free(t->ids);
    t->ids = NULL;
    t->n = 0;
}

/* An escalation recorded by the supervisor without opening the draft: a
 * claim, then the decision with the note (no time on screen, since nobody
 * read it: it is a routing, not a judgement of the text). */
static enum so_status escalate_one(struct ui_app *app, const char *id,
                                   const char *note, struct so_error *err)
{
    struct so_claim_req cr = {NULL, id, 0};
    struct so_draft *d = NULL;
    enum so_status st = app->q->ops->claim(app->q, &cr, &d, err);
    if (st != SO_OK)
        return st;
    char rid[37];
    so_uuid(rid);
    struct so_decide_req req = {
        .draft_id = id,
        .request_id = rid,
        .action = SO_ACT_ESCALATE,
        .note = note,
        .shown_at = so_now_ms(),
        .lease_token = d->lease_token,
    };
    struct so_decide_result res;
    st = app->q->ops->decide(app->q, &req, &res, err);
    so_decide_result_clear(&res);
    if (st != SO_OK) {
        struct so_error rerr;
        app->q->ops->release(app->q, id, d->lease_token, &rerr);
    }
    so_draft_free(d);
    return st;
}

static enum so_status act_one(struct ui_app *app, enum bulk_act act,
                              const char *id, const char *arg,
                              struct so_error *err)
{
    if (act == BULK_ESCALATE)
        return escalate_one(app, id, arg, err);
    return app->q->ops->reassign(app->q, id,
                                 act == BULK_REASSIGN ? arg : NULL, 0, err);
}

/* Do act on every tagged draft; the ones done are untagged. */
static void run(struct ui_app *app, struct ui_tags *t, enum bulk_act act,
                const char *arg)
{
    static const char *const done_word[] = {"released", "escalated",
                                            "reassigned"};
    size_t total = t->n, done = 0;
    struct so_error first;
    so_error_clear(&first);
    for (size_t i = 0; i < t->n;) {
        struct so_error err;
        so_error_clear(&err);
        if (act_one(app, act, t->ids[i], arg, &err) == SO_OK) {
            ui_bulk_toggle(t, t->ids[i]);
            done++;
            continue;
        }
        if (!first.code)
            first = err;
        i++;
    }
    ui_app_counts_stale(app);
    if (done == total)
        ui_app_message(app, 0, "%s %zu tagged draft%s%s%s", done_word[act],
                       done, done == 1 ? "" : "s",
                       act == BULK_REASSIGN ? " to " : "",
                       act == BULK_REASSIGN ? arg : "");
    else
        ui_app_message(app, 1, "%s %zu of %zu; still tagged: %zu (first: %s)",
                       done_word[act], done, total, total - done, first.msg);
}

enum ui_next ui_bulk_menu(struct ui_app *app, struct ui_tags *t)
{
    if (t->n == 0) {
        ui_app_message(app, 1, "bulk: nothing tagged (t tags the selected "
                               "draft)");
        return UI_REDRAW;
    }
    if (!app->q->supervisor) {
        ui_app_message(app, 1, "bulk: release, escalate and reassign are for "
                               "supervisors; %zu tagged", t->n);
        return UI_REDRAW;
    }
    if (!app->q->ops->reassign) {
        ui_app_message(app, 1, "bulk: this queue (%s) cannot release or "
                               "reassign others' drafts", app->q->ops->name);
        return UI_REDRAW;
    }
    char *labels[BULK_COUNT];
    labels[BULK_RELEASE] = xasprintf("Release the %zu tagged (back to the "
                                     "queue)", t->n);
    labels[BULK_ESCALATE] = xasprintf("Escalate the %zu tagged (one note)",
                                      t->n);
    labels[BULK_REASSIGN] = xasprintf("Reassign the %zu tagged to a reviewer",
                                      t->n);
    size_t pick = 0;
    enum ui_answer a = ui_prompt_menu(
        app, "Tagged drafts (no bulk approve: one look each)",
        (const char *const *)labels, BULK_COUNT, &pick);
    for (int i = 0; i < BULK_COUNT; i++)
        free(labels[i]);
    if (a != UI_ANSWERED)
        return a == UI_QUITTING ? UI_QUIT : UI_REDRAW;
    char *arg = NULL;
    if (pick != BULK_RELEASE) {
        a = ui_prompt_line(app, pick == BULK_ESCALATE
                                    ? "Escalate: note for all of them: "
                                    : "Reassign to reviewer: ",
                           NULL, &arg);
        if (a != UI_ANSWERED || (pick == BULK_REASSIGN && !*arg)) {
            free(arg);
            if (a == UI_ANSWERED)
                ui_app_message(app, 1, "reassign: no reviewer named");
            return a == UI_QUITTING ? UI_QUIT : UI_REDRAW;
        }
    }
    run(app, t, (enum bulk_act)pick, arg && *arg ? arg : NULL);
    free(arg);
    return UI_REDRAW;
}
