/*
 * ui_decide: what the decision keys do. Each decision goes through the
 * session (so a failed save keeps its request_id for the retry), then the
 * next draft is claimed. Errors never end the UI: they go to the message
 * line as "not saved: why".
 */
#include "signoff/ui/decide.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signoff/diff.h"
#include "signoff/grounding.h"
#include "signoff/text.h"
#include "signoff/ui/editor.h"
#include "signoff/ui/pager.h"
#include "signoff/ui/prompt.h"
#include "signoff/ui/resolve.h"

/* Claim the next draft after a decision or skip; back to the queue when
 * there is none. done describes what just happened. n (may be NULL) is the
 * next claim and the counts that came with the decision, when it did. */
static enum ui_next next_draft(struct ui_app *app, const char *done,
                               const struct so_decide_next *n)
{
    struct so_error err;
    so_error_clear(&err);
    enum so_status st;
    if (n && n->filled) {
        ui_app_counts_set(app, n->pending, n->waiting, n->my_today);
        st = n->status;
        snprintf(err.msg, sizeof err.msg, "%s", n->error);
    } else {
        ui_app_counts_stale(app);
        st = ui_session_claim(&app->session, &app->filter, NULL, &err);
    }
    if (st == SO_OK) {
        ui_app_message(app, 0, "%s", done);
        return UI_REDRAW;
    }
    if (st == SO_EMPTY)
        ui_app_message(app, 0, "%s; nothing more to review", done);
    else
        ui_app_message(app, 1, "%s; next draft: %s", done, err.msg);
    return UI_GO_QUEUE;
}

/* Four-eyes: where my review left the draft ("" for a single review). */
static const char *review_note(const struct so_decide_result *r)
{
    if (r->replayed)
        return "";
    /* A remote queue's server did not answer: the decision is safe in the
     * outbox, not yet recorded. */
    if (strcmp(r->draft_status, "queued") == 0)
        return r->unanswered ? ": the server is not answering: kept in the "
                               "outbox, sent when it answers"
                             : ": kept in the outbox, sent when the server "
                               "answers";
    if (strcmp(r->draft_status, "escalated") == 0)
        return ": sent to the supervisors' inbox";
    if (r->resolution)
        return ": resolved, final";
    if (r->reviews_needed < 2)
        return "";
    if (strcmp(r->draft_status, "pending") == 0)
        return ": review recorded, waiting for the next reviewer";
    if (strcmp(r->draft_status, "resolve") == 0)
        return r->review_agreed == 0 ? ": reviews disagree: sent to resolve"
                                     : ": sent to resolve";
    return r->review_agreed == 1 ? ": agreed with the other review, final"
                                 : ": final";
}

static enum ui_next decide(struct ui_app *app, enum so_action action,
                           const char *reason, const char *note,
                           const char *final_body)
{
    struct so_decide_result res;
    struct so_error err;
    so_error_clear(&err);
    char *id = xstrdup(app->session.draft->id);
    enum so_status st = ui_session_decide(&app->session, action, reason, note,
                                          final_body, &app->filter, &res,
                                          &err);
    if (st != SO_OK && app->session.lease_lost) {
        /* Retrying cannot help while another reviewer holds it, nor once
         * it is decided or gone. */
        ui_app_message(app, 1, "not saved: %s; nothing was recorded: s goes "
                       "on to the next draft, q back to the queue", err.msg);
        free(id);
        return UI_REDRAW;
    }
    if (st == SO_ERR_FORBIDDEN || st == SO_ERR_INVALID ||
        st == SO_ERR_TOOLARGE || st == SO_ERR_USAGE ||
        st == SO_ERR_CONFLICT || st == SO_ERR_NOTFOUND) {
        /* The same request would be refused the same way; the draft is
         * still mine (the lease goes on) and the message says why. */
        ui_app_message(app, 1, "not saved: %s; nothing was recorded",
                       err.msg);
        free(id);
        return UI_REDRAW;
    }
    if (st != SO_OK) {
        ui_app_message(app, 1, "not saved: %s (the same key retries)",
                       err.msg);
        free(id);
        return UI_REDRAW;
    }
    char *done = xasprintf("%s %s%s%s", so_action_name(res.action), id,
                           res.replayed ? " (already recorded)" : "",
                           review_note(&res));
    free(id);
    enum ui_next next = next_draft(app, done, &res.next);
    so_decide_result_clear(&res);
    free(done);
    return next;
}

char *ui_decide_diff_text(const char *old_text, const char *new_text,
                          struct ui_span **spans, size_t *n)
{
    struct diff *d = diff_words(old_text, new_text);
    struct buf b;
    buf_init(&b);
    *spans = xcalloc(d->nops + 1, sizeof **spans);
    *n = 0;
    for (size_t i = 0; i < d->nops; i++) {
        const struct diff_op *op = &d->ops[i];
        size_t from = b.len;
        if (op->kind == DIFF_EQUAL) {
            buf_add(&b, op->text, op->len);
            continue;
        }
        int del = op->kind == DIFF_DELETE;
        buf_adds(&b, del ? "[-" : "{+");
        buf_add(&b, op->text, op->len);
        buf_adds(&b, del ? "-]" : "+}");
        (*spans)[(*n)++] = (struct ui_span){from, b.len - from,
                                            del ? TR_DIFF_DEL : TR_DIFF_ADD};
    }
    diff_free(d);
    return buf_steal(&b);
}

/* Ask about an edit with its diff on screen: 'y', 'e' or 'c' (0 when
 * quitting). */
static int confirm_edit(struct ui_app *app, const char *old_text,
                        const char *new_text)
{
    struct ui_span *spans;
    size_t n;
    char *text = ui_decide_diff_text(old_text, new_text, &spans, &n);
    size_t words = diff_changed_words(old_text, new_text);
    char *head = xasprintf("Your edit: %zu word%s changed ([-removed-] "
                           "{+added+})", words, words == 1 ? "" : "s");
    ui_app_overlay(app, head, text, spans, n);
    free(head);
    int c = 0;
    enum ui_answer a = ui_prompt_choice(
        app, "Save this edit? y: save  e: edit again  c: cancel ", "yec", &c);
    ui_app_overlay(app, NULL, NULL, NULL, 0);
    return a == UI_QUITTING ? 0 : a == UI_CANCELLED ? 'c' : c;
}

/* Approve, asking first when the draft has grounding flags and its
 * workflow says so. */
static enum ui_next approve(struct ui_app *app)
{
    struct grounding g;
    grounding_check(app->session.draft, &g);
    int flagged = grounding_row_flags(&g) != 0;
    struct buf why;
    buf_init(&why);
    for (size_t i = 0; i < g.nbad_quotes; i++)
        buf_addf(&why, "%s[%d] quote not in its excerpt", why.len ? ", " : "",
                 g.bad_quotes[i]);
    for (size_t i = 0; i < g.nmissing; i++)
        buf_addf(&why, "%s[%d] has no citation", why.len ? ", " : "",
                 g.missing[i]);
    grounding_clear(&g);
    int c = 'y';
    enum ui_answer a = UI_ANSWERED;
    if (flagged && ui_session_guard(&app->session).confirm_flagged) {
        char *q = xasprintf("Flagged: %s. Approve anyway? y: approve  "
                            "n: back ", buf_cstr(&why));
        a = ui_prompt_choice(app, q, "yn", &c);
        free(q);
    }
    buf_free(&why);
    if (a == UI_QUITTING)
        return UI_QUIT;
    if (a != UI_ANSWERED || c != 'y') {
        ui_app_message(app, 0, "not approved: nothing recorded");
        return UI_REDRAW;
    }
    return decide(app, SO_ACT_APPROVE, NULL, NULL, NULL);
}

/* Only space: nothing a producer could have sent (they cannot enqueue an
 * empty body either). */
static int blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return 0;
    return 1;
}

/* The newline an editor ends its file with (vi writes one after a body
 * that had none) is not the reviewer's edit: it would show in the diff as
 * an insertion and go out in the final text. */
static void drop_eof_newline(const char *body, char *text)
{
    size_t n = strlen(body), m = strlen(text);
    if ((n == 0 || body[n - 1] != '\n') && m > 0 && text[m - 1] == '\n')
        text[m - 1] = '\0';
}

static enum ui_next do_edit(struct ui_app *app)
{
    const char *body = app->session.draft->body ? app->session.draft->body : "";
    char *text = xstrdup(body);
    for (;;) {
        struct so_error err;
        char *edited = NULL;
        so_error_clear(&err);
        if (ui_editor_edit(app, text, &edited, &err) != SO_OK) {
            ui_app_message(app, 1, "edit: %s", err.msg);
            free(text);
            return UI_REDRAW;
        }
        free(text);
        text = edited;
        drop_eof_newline(body, text);
        if (blank(text)) {
            free(text);
            ui_app_message(app, 1, "edit refused: the file is empty; a "
                           "draft cannot go out empty. Nothing recorded");
            return UI_REDRAW;
        }
        if (diff_changed_words(body, text) == 0) {
            /* Leaving the editor without a change is not a decision (as
             * mutt's abort_unmodified): approving is a's deliberate act. */
            free(text);
            ui_app_message(app, 0, "edit: nothing changed; nothing recorded "
                           "(a approves the draft as it is)");
            return UI_REDRAW;
        }
        int c = confirm_edit(app, body, text);
        if (c == 'y') {
            enum ui_next next = decide(app, SO_ACT_EDIT, NULL, NULL, text);
            free(text);
            return next;
        }
        if (c != 'e') {
            free(text);
            if (c == 'c')
                ui_app_message(app, 0, "edit cancelled: nothing recorded");
            return c ? UI_REDRAW : UI_QUIT;
        }
    }
}

/* The workflow's reason codes in a menu headed title (the same list the
 * CLI and the server check against, as the queue keeps them); *code gets
 * the picked one (owned). UI_ANSWERED, or what ended the menu (an error
 * is on the message line as "verb: why"). */
static enum ui_answer pick_reason(struct ui_app *app, const char *verb,
                                  const char *title, char **code)
{
    size_t pick = 0;
    struct so_workflow w;
    struct so_error err;
    memset(&w, 0, sizeof w);
    so_error_clear(&err);
    const struct so_reason *reasons;
    size_t nreasons;
    struct ui_guard g = {0};
    *code = NULL;
    if (app->q->ops->workflow_get(app->q, app->session.draft->workflow, &w,
                                  &err) == SO_OK) {
        reasons = w.reasons;
        nreasons = w.nreasons;
    } else if (err.code == SO_ERR_NETWORK &&
               (g = ui_session_guard(&app->session)).nreasons) {
        /* the server is away: the list read when the draft opened; the
         * decision goes to the outbox */
        reasons = g.reasons;
        nreasons = g.nreasons;
    } else {
        ui_app_message(app, 1, "%s: %s", verb, err.msg);
        return UI_CANCELLED;
    }
    if (nreasons == 0) { /* nothing to pick from: no code, not stuck */
        so_workflow_clear(&w);
        return UI_ANSWERED;
    }
    const char **labels = xcalloc(nreasons + 1, sizeof *labels);
    for (size_t i = 0; i < nreasons; i++)
        labels[i] = reasons[i].label;
    enum ui_answer a = ui_prompt_menu(app, title, labels, nreasons, &pick);
    free(labels);
    if (a == UI_ANSWERED)
        *code = xstrdup(reasons[pick].code);
    so_workflow_clear(&w);
    return a;
}

/* An optional one-line note; 0 when the reviewer cancelled or quits. */
static int ask_note(struct ui_app *app, const char *label, char **note,
                    enum ui_next *quit)
{
    enum ui_answer a = ui_prompt_line(app, label, NULL, note);
    *quit = a == UI_QUITTING ? UI_QUIT : UI_REDRAW;
    return a == UI_ANSWERED;
}

/* A reject or an escalation: why (the workflow's reason codes), then an
 * optional note. */
static enum ui_next decide_why(struct ui_app *app, enum so_action act,
                               const char *verb, const char *title,
                               const char *note_label)
{
    char *code = NULL;
    enum ui_answer a = pick_reason(app, verb, title, &code);
    if (a != UI_ANSWERED)
        return a == UI_QUITTING ? UI_QUIT : UI_REDRAW;
    char *note = NULL;
    enum ui_next next = UI_REDRAW;
    if (ask_note(app, note_label, &note, &next))
        next = decide(app, act, code, *note ? note : NULL, NULL);
    free(note);
    free(code);
    return next;
}

static enum ui_next do_reject(struct ui_app *app)
{
    return decide_why(app, SO_ACT_REJECT, "reject", "Reject: why?",
                      "Note (optional, Enter for none): ");
}

/* The supervisor who takes it from the inbox sees the reason and the
 * note above the body. */
static enum ui_next do_escalate(struct ui_app *app)
{
    /* The store's rule, asked of the draft I hold before any question. */
    struct so_error err;
    so_error_clear(&err);
    const struct so_draft *d = app->session.draft;
    if (queue_escalate_check(d->id, d->status, SO_ACT_ESCALATE, &err) !=
        SO_OK) {
        ui_app_message(app, 1, "escalate: %s; nothing recorded", err.msg);
        return UI_REDRAW;
    }
    return decide_why(app, SO_ACT_ESCALATE, "escalate", "Escalate: why?",
                      "Escalate: note for the supervisor (optional): ");
}

/* A menu line for a review: "alice: edit, 12 words changed (note)". */
static char *review_label(const struct so_decision *r)
{
    struct buf b;
    buf_init(&b);
    char *who = text_plain(r->reviewer ? r->reviewer : "?", 20, 0);
    buf_addf(&b, "%s: %s", who, so_action_name(r->action));
    free(who);
    if (r->action == SO_ACT_EDIT)
        buf_addf(&b, ", %lld word%s changed", (long long)r->edit_size,
                 r->edit_size == 1 ? "" : "s");
    if (r->reason && *r->reason) {
        char *why = text_plain(r->reason, 16, 0);
        buf_addf(&b, " (%s)", why);
        free(why);
    }
    if (r->note && *r->note) {
        char *note = text_plain(r->note, 24, 0);
        buf_addf(&b, " \"%s\"", note);
        free(note);
    }
    return buf_steal(&b);
}

/* Resolve: record one of the reviews as the final decision (its action,
 * reason and edited text), the note saying whose it was; no re-editing. */
static enum ui_next adopt_review(struct ui_app *app,
                                 const struct so_decision *r)
{
    char *note = r->note && *r->note
                     ? xasprintf("adopted from %s: %s", r->reviewer, r->note)
                     : xasprintf("adopted from %s", r->reviewer);
    enum ui_next next =
        decide(app, r->action, r->reason && *r->reason ? r->reason : NULL,
               note, r->action == SO_ACT_EDIT ? r->final_body : NULL);
    free(note);
    return next;
}

static enum ui_next do_adopt(struct ui_app *app)
{
    if (app->session.draft->status != SO_DS_RESOLVE) {
        ui_app_message(app, 1, "adopt: only for a draft whose reviews "
                               "disagree (in resolve); decide with a, e, "
                               "r or x");
        return UI_REDRAW;
    }
    struct so_decision *v = NULL;
    size_t n = 0;
    struct so_error err;
    so_error_clear(&err);
    if (ui_resolve_reviews(app, &v, &n, &err) != SO_OK) {
        ui_app_message(app, 1, "adopt: %s", err.msg);
        return UI_REDRAW;
    }
    enum ui_next next = UI_REDRAW;
    char **labels = xcalloc(n + 1, sizeof *labels);
    for (size_t i = 0; i < n; i++)
        labels[i] = review_label(&v[i]);
    size_t pick = 0;
    enum ui_answer a =
        n == 0 ? UI_CANCELLED
               : ui_prompt_menu(app, "Adopt which review as the final "
                                     "decision?",
                                (const char *const *)labels, n, &pick);
    if (n == 0)
        ui_app_message(app, 1, "adopt: no reviews to adopt");
    else if (a == UI_QUITTING)
        next = UI_QUIT;
    else if (a == UI_ANSWERED)
        next = adopt_review(app, &v[pick]);
    for (size_t i = 0; i < n; i++) {
        free(labels[i]);
        so_decision_clear(&v[i]);
    }
    free(labels);
    free(v);
    return next;
}

static enum ui_next do_pipe(struct ui_app *app)
{
    char *cmd = NULL;
    enum ui_answer a = ui_prompt_line(app, "Pipe the draft to: ", NULL, &cmd);
    if (a != UI_ANSWERED || !*cmd) {
        free(cmd);
        return a == UI_QUITTING ? UI_QUIT : UI_REDRAW;
    }
    char *out = NULL;
    int status = 0;
    struct so_error err;
    so_error_clear(&err);
    const char *body = app->session.draft->body ? app->session.draft->body : "";
    if (ui_editor_pipe(app, body, cmd, &out, &status, &err) != SO_OK) {
        ui_app_message(app, 1, "pipe: %s", err.msg);
        free(cmd);
        return UI_REDRAW;
    }
    char *head = xasprintf("| %s  (exit %d; q returns to the draft)", cmd,
                           status);
    ui_pager_open(app, head, out, NULL, 0);
    ui_app_message(app, status != 0, "pipe: exit %d", status);
    free(head);
    free(cmd);
    return UI_GO_PAGER;
}

static enum ui_next do_release(struct ui_app *app, int skip)
{
    struct so_error err;
    so_error_clear(&err);
    char *id = xstrdup(app->session.draft->id);
    enum so_status st = skip ? ui_session_skip(&app->session, &err)
                             : ui_session_release(&app->session, &err);
    enum ui_next next;
    if (st != SO_OK) {
        ui_app_message(app, 1, "not released: %s", err.msg);
        next = UI_REDRAW;
    } else if (skip) {
        char *done = xasprintf("skipped %s", id);
        next = next_draft(app, done, NULL);
        free(done);
    } else {
        ui_app_counts_stale(app);
        next = UI_GO_QUEUE;
    }
    free(id);
    return next;
}

static enum ui_next do_undo(struct ui_app *app)
{
    struct so_error err;
    so_error_clear(&err);
    if (ui_session_undo(&app->session, &err) != SO_OK) {
        ui_app_message(app, 1, "undo: %s", err.msg);
        return app->session.draft ? UI_REDRAW : UI_GO_QUEUE;
    }
    ui_app_counts_stale(app);
    ui_app_message(app, 0, "undone: %s is back for review",
                   app->session.draft->id);
    return UI_GO_DRAFT;
}

/* A decision key acts only on a draft that has been on screen for the
 * workflow's minimum; 0 (with a message, and the keys typed after it
 * dropped) when it is too soon. */
static int seen_enough(struct ui_app *app, enum keys_action act)
{
    if (act != KA_APPROVE && act != KA_EDIT && act != KA_REJECT &&
        act != KA_ESCALATE)
        return 1;
    int64_t seen = ui_session_seen_ms(&app->session);
    int64_t need = ui_session_guard(&app->session).min_seen_ms;
    if (seen >= 0 && seen >= need)
        return 1;
    ui_app_flush_input(app);
    ui_app_message(app, 1, "look first: %.1f s on screen, %s needs %.1f s; "
                   "nothing recorded", seen < 0 ? 0.0 : seen / 1000.0,
                   keys_action_name(act), need / 1000.0);
    return 0;
}

enum ui_next ui_decide_key(struct ui_app *app, enum keys_action act)
{
    if (act == KA_UNDO)
        return do_undo(app);
    if (!app->session.draft)
        return UI_STAY;
    if (!seen_enough(app, act))
        return UI_REDRAW;
    switch (act) {
    case KA_APPROVE:
        return approve(app);
    case KA_EDIT:
        return do_edit(app);
    case KA_REJECT:
        return do_reject(app);
    case KA_ESCALATE:
        return do_escalate(app);
    case KA_SKIP:
        return do_release(app, 1);
    case KA_BACK:
        return do_release(app, 0);
    case KA_PIPE:
        return do_pipe(app);
    case KA_REVIEWS:
        return ui_resolve_open(app);
    case KA_ADOPT:
        return do_adopt(app);
    default:
        return UI_STAY;
    }
}
