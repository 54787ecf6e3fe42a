/*
 * store_events: the feed read and its wait, and the action record, for
 * the SQLite store (the outcomes rows are outcomes.c's). The feed is read in two statements:
 * the head first (the chain head, or just before the first outcome still
 * held back), then the records up to it; the records up to a head never
 * change what the rules of outcome.h make of them, so the two need not
 * share a snapshot. Only SQL and transactions here; what a fact means is
 * asked of outcome.h. Must not print.
 */
#define _GNU_SOURCE
#include "signoff/store/sqlite/events.h"

#include "signoff/store/rules.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/inotify.h>
#endif

#include "signoff/audit.h"
#include "signoff/outcome.h"
#include "signoff/store/sqlite/chain.h"
#include "signoff/store/sqlite/read.h"
#include "signoff/store/sqlite/rollup.h"

static const char sql_live_outcome[] =
    "SELECT seq, release_at FROM outcomes WHERE draft = :id"
    " AND reverted_at IS NULL ORDER BY seq DESC LIMIT 1";

static const char sql_outcome_applied[] =
    "UPDATE outcomes SET applied_seq = :a WHERE seq = :seq"
    " AND applied_seq <= 0";

/* The workflow's first action record at :now: what was released before it
 * is not expected to get one (OUTCOME_NOT_EXPECTED, outcome.h). */
#define OUTCOME_WF "(SELECT workflow FROM outcomes WHERE seq = :seq)"
static const char sql_not_expected[] =
    "UPDATE outcomes SET applied_seq = :ne WHERE workflow = " OUTCOME_WF
    " AND applied_seq = 0 AND reverted_at IS NULL AND release_at < :now"
    " AND NOT EXISTS (SELECT 1 FROM outcomes a WHERE a.workflow = "
    OUTCOME_WF " AND a.applied_seq > 0)";

static const char sql_draft_body[] = "SELECT body FROM drafts WHERE id = :id";

/* The chain head, the first outcome still held back and its release. */
static const char sql_head[] =
    "SELECT (SELECT value FROM meta WHERE key = 'chain_seq'),"
    " (SELECT min(seq) FROM outcomes WHERE release_at > :now"
    "  AND reverted_at IS NULL),"
    " (SELECT min(release_at) FROM outcomes WHERE release_at > :now"
    "  AND reverted_at IS NULL)";

static const char sql_events[] =
    "SELECT d.seq, d.draft, d.request_id, d.reviewer, d.action, d.kind,"
    " d.reason, d.note, d.final_body, d.edit_size, d.body_sha, d.final_sha,"
    " d.shown_at, d.decided_at, d.active_ms, d.reverts_seq, d.prev_hash,"
    " d.hash, coalesce(dr.workflow, CASE WHEN d.kind = 'admin' AND"
    " substr(d.draft, 1, 9) = 'workflow/' THEN substr(d.draft, 10) END),"
    " dr.body, o.seq, o.release_at, o.reverted_at,"
    " ro.seq, ro.release_at, ro.reverted_at"
    " FROM decisions d LEFT JOIN drafts dr ON dr.id = d.draft"
    " LEFT JOIN outcomes o ON o.seq = d.seq"
    " LEFT JOIN outcomes ro ON d.reverts_seq > 0 AND ro.seq = d.reverts_seq"
    " WHERE d.seq > :after AND d.seq <= :head"
    " AND NOT EXISTS (SELECT 1 FROM gold g WHERE g.draft_id = d.draft)"
    " AND (:wf IS NULL OR dr.workflow = :wf"
    " OR (d.kind = 'admin' AND d.draft = 'workflow/' || :wf))"
    " ORDER BY d.seq LIMIT :limit";

static enum so_status one_row(struct store *s, sqlite3_stmt *st, int *found,
                              struct so_error *err)
{
    int rc = sqlite3_step(st);
    *found = rc == SQLITE_ROW;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        enum so_status code = store_db_fail(s, "outcomes", err);
        sqlite3_reset(st);
        return code;
    }
    return SO_OK;
}

/* ---- the feed ---------------------------------------------------------- */

/* The last seq a reader may see now, and when the first held outcome is
 * released (0: none held). */
enum so_status store_events_head(struct store *s, int64_t now, int64_t *head,
                                int64_t *next_release, int64_t *chain,
                                struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_head, err);
    if (!st)
        return err->code;
    store_db_bind_int(st, ":now", now);
    int found;
    enum so_status code = one_row(s, st, &found, err);
    if (code != SO_OK)
        return code;
    *head = sqlite3_column_int64(st, 0);
    if (chain)
        *chain = *head;
    if (sqlite3_column_type(st, 1) != SQLITE_NULL)
        *head = sqlite3_column_int64(st, 1) - 1;
    *next_release = sqlite3_column_int64(st, 2);
    return store_db_done(s, st, err);
}

static void read_event(sqlite3_stmt *st, struct so_event *e)
{
    memset(e, 0, sizeof *e);
    store_read_decision_row(st, &e->rec);
    e->workflow = store_db_col_str(st, 18);
    struct outcome_facts f = {
        .is_outcome = sqlite3_column_type(st, 20) != SQLITE_NULL,
        .release_at = sqlite3_column_int64(st, 21),
        .reverted_at = sqlite3_column_int64(st, 22),
        .reverts_outcome = sqlite3_column_type(st, 23) != SQLITE_NULL,
        .r_release_at = sqlite3_column_int64(st, 24),
        .r_reverted_at = sqlite3_column_int64(st, 25),
        .draft_body = (const char *)sqlite3_column_text(st, 19),
    };
    outcome_classify(&f, e);
}

/* A page after the cursor, up to the head; the cursor is first checked
 * against the chain (outcome_cursor_check). */
static enum so_status read_page(struct store *s, const struct so_event_req *req,
                                int64_t after, struct so_event_page *out,
                                int64_t *next_release, struct so_error *err)
{
    int64_t head = 0, chain = 0;
    enum so_status code =
        store_events_head(s, so_now_ms(), &head, next_release, &chain, err);
    if (code == SO_OK)
        code = outcome_cursor_check(after, chain, err);
    if (code != SO_OK)
        return code;
    out->next_after = head > after ? head : after;
    out->head = head;
    if (head <= after)
        return SO_OK;
    sqlite3_stmt *st = store_db_stmt(s, sql_events, err);
    if (!st)
        return err->code;
    store_db_bind_int(st, ":after", after);
    store_db_bind_int(st, ":head", head);
    store_db_bind_text(st, ":wf", req->workflow);
    store_db_bind_int(st, ":limit", req->limit);
    out->v = xcalloc((size_t)req->limit, sizeof *out->v);
    while ((code = store_db_step(s, st, "events", err)) == SO_OK)
        read_event(st, &out->v[out->n++]);
    code = store_db_finish(s, st, code, err);
    if (code == SO_OK && out->n == (size_t)req->limit)
        out->next_after = out->v[out->n - 1].rec.seq;
    return code;
}

enum so_status store_events_at(struct store *s, int64_t seq,
                               struct so_event *out, struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_events, err);
    if (!st)
        return err->code;
    store_db_bind_int(st, ":after", seq - 1);
    store_db_bind_int(st, ":head", seq);
    store_db_bind_int(st, ":limit", 1);
    enum so_status code = store_db_step(s, st, "events", err);
    int found = code == SO_OK;
    if (found)
        read_event(st, out);
    code = store_db_finish(s, st, code, err);
    if (code == SO_OK && !found)
        return so_fail(err, SO_ERR_NOTFOUND, "seq %lld: no such record",
                       (long long)seq);
    return code;
}

/* ---- waiting for a commit ---------------------------------------------- */

/* A commit by any process appends to the -wal file: inotify on the
 * queue's directory, for that file, wakes the reader. The frames are
 * written before the commit is visible to readers (the wal-index is
 * updated after), so for a short while after a wake the reader looks
 * again every few ms; otherwise it sleeps up to a second between looks
 * (the bound if a wake is missed, or inotify is not there). */
struct watch {
    int fd;
    char wal[256];      /* basename of the -wal file */
    int64_t settle_end; /* mono ms: look often until then */
};

#define WATCH_FALLBACK_MS 1000
#define WATCH_SETTLE_MS 150
#define WATCH_SETTLE_STEP_MS 5

static void watch_open(struct watch *w, const char *path)
{
    w->fd = -1;
    w->settle_end = 0;
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    snprintf(w->wal, sizeof w->wal, "%s-wal", base);
#ifdef __linux__
    char dir[4096];
    if (slash)
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path + 1), path);
    else
        snprintf(dir, sizeof dir, ".");
    w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w->fd >= 0 &&
        inotify_add_watch(w->fd, dir, IN_MODIFY | IN_CREATE) < 0) {
        close(w->fd);
        w->fd = -1;
    }
#endif
}

static void watch_close(struct watch *w)
{
    if (w->fd >= 0)
        close(w->fd);
}

/* 1 when the -wal file changed among the queued events (drains them). */
static int watch_drain(struct watch *w)
{
    int hit = 0;
#ifdef __linux__
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    ssize_t len;
    while ((len = read(w->fd, buf, sizeof buf)) > 0) {
        for (char *p = buf; p < buf + len;) {
            const struct inotify_event *ev = (const struct inotify_event *)p;
            if (ev->len && strcmp(ev->name, w->wal) == 0)
                hit = 1;
            p += sizeof *ev + ev->len;
        }
    }
#else
    (void)w;
#endif
    return hit;
}

/* Sleep until a change, ms_left or the settle step, whichever is first. */
static void watch_wait(struct watch *w, int64_t ms_left)
{
    int64_t now = so_mono_ms();
    int64_t step = now < w->settle_end ? WATCH_SETTLE_STEP_MS
                   : w->fd >= 0        ? WATCH_FALLBACK_MS
                                       : 50;
    if (step > ms_left)
        step = ms_left;
    if (step <= 0)
        return;
    struct pollfd p = {.fd = w->fd, .events = POLLIN};
    int rc = poll(&p, w->fd >= 0 ? 1 : 0, (int)step);
    if (rc > 0 && watch_drain(w))
        w->settle_end = so_mono_ms() + WATCH_SETTLE_MS;
}

enum so_status store_events_read(struct queue *q, const struct so_event_req *req,
                                 struct so_event_page *out,
                                 struct so_error *err)
{
    struct store *s = q->impl;
    memset(out, 0, sizeof *out);
    if (req->limit < 1 || req->limit > 1000)
        return so_fail(err, SO_ERR_INVALID, "events: limit not in 1..1000");
    if (req->after < 0)
        return so_fail(err, SO_ERR_INVALID, "events: after is negative");
    int64_t deadline = so_mono_ms() + (req->wait_ms > 0 ? req->wait_ms : 0);
    int64_t after = req->after, next_release = 0;
    struct watch w = {.fd = -1};
    int watching = 0;
    enum so_status code;
    for (;;) {
        code = read_page(s, req, after, out, &next_release, err);
        if (code != SO_OK || out->n > 0 || so_mono_ms() >= deadline)
            break;
        after = out->next_after;
        free(out->v);
        out->v = NULL;
        if (!watching) {
            watch_open(&w, s->path);
            watching = 1;
        }
        int64_t left = deadline - so_mono_ms();
        if (next_release > 0 && next_release - so_now_ms() + 1 < left)
            left = next_release - so_now_ms() + 1;
        watch_wait(&w, left);
    }
    if (watching)
        watch_close(&w);
    if (code != SO_OK)
        so_event_page_free(out);
    return code;
}

/* ---- the action record ------------------------------------------------- */

static enum so_status applied_replay(struct store *s,
                                     const struct so_applied_req *req,
                                     int64_t seq, struct so_decide_result *res,
                                     struct so_error *err)
{
    struct so_decision d;
    enum so_status code = store_read_decision(s, seq, &d, err);
    if (code != SO_OK)
        return code;
    code = store_rules_applied_replay(s->reviewer, req, &d, err);
    if (code == SO_OK)
        store_rules_result(&d, "decided", 1, res);
    so_decision_clear(&d);
    return code;
}

/* The live outcome of the draft: *found, its seq and release time. */
static enum so_status live_outcome(struct store *s, const char *id, int *found,
                                   int64_t *seq, int64_t *release_at,
                                   struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_live_outcome, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":id", id);
    enum so_status code = one_row(s, st, found, err);
    if (code != SO_OK)
        return code;
    *seq = *found ? sqlite3_column_int64(st, 0) : 0;
    *release_at = *found ? sqlite3_column_int64(st, 1) : 0;
    return store_db_done(s, st, err);
}

static enum so_status draft_body_sha(struct store *s, const char *id,
                                     char out[65], struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, sql_draft_body, err);
    if (!st)
        return err->code;
    store_db_bind_text(st, ":id", id);
    int found;
    enum so_status code = one_row(s, st, &found, err);
    if (code != SO_OK)
        return code;
    if (found) {
        const void *b = sqlite3_column_blob(st, 0);
        audit_sha256_hex(b ? b : "", (size_t)sqlite3_column_bytes(st, 0), out);
    }
    code = store_db_done(s, st, err);
    if (code == SO_OK && !found)
        return so_fail(err, SO_ERR_NOTFOUND, "%s: no such draft", id);
    return code;
}

static enum so_status applied_in_tx(struct store *s,
                                    const struct so_applied_req *req,
                                    struct so_decide_result *res,
                                    struct so_error *err)
{
    int64_t seq = 0, oseq = 0, release_at = 0;
    int found = 0;
    enum so_status code = store_read_request(s, req->request_id, &seq, err);
    if (code != SO_OK)
        return code;
    if (seq > 0)
        return applied_replay(s, req, seq, res, err);
    char body_sha[65] = "";
    code = draft_body_sha(s, req->draft_id, body_sha, err);
    if (code == SO_OK)
        code = live_outcome(s, req->draft_id, &found, &oseq, &release_at, err);
    if (code == SO_OK)
        code = outcome_may_apply(req->draft_id, found, release_at, so_now_ms(),
                                 err);
    if (code != SO_OK)
        return code;
    struct so_decision d;
    store_rules_applied_record(s->reviewer, req, body_sha, so_now_ms(), &d);
    code = store_chain_append(s, &d, err);
    sqlite3_stmt *st =
        code == SO_OK ? store_db_stmt(s, sql_not_expected, err) : NULL;
    if (!st)
        return code == SO_OK ? err->code : code;
    store_db_bind_int(st, ":ne", OUTCOME_NOT_EXPECTED);
    store_db_bind_int(st, ":seq", oseq);
    store_db_bind_int(st, ":now", d.decided_at);
    code = store_db_run(s, st, err);
    st = code == SO_OK ? store_db_stmt(s, sql_outcome_applied, err) : NULL;
    if (!st)
        return code == SO_OK ? err->code : code;
    store_db_bind_int(st, ":a", d.seq);
    store_db_bind_int(st, ":seq", oseq);
    code = store_db_run(s, st, err);
    if (code == SO_OK)
        code = store_rollup_acted(s, oseq, d.decided_at, err);
    if (code == SO_OK)
        store_rules_result(&d, "decided", 0, res);
    return code;
}

struct applied_call {
    const struct so_applied_req *req;
    struct so_decide_result *res;
};

static enum so_status applied_tx(struct store *s, void *arg,
                                 struct so_error *err)
{
    struct applied_call *c = arg;
    return applied_in_tx(s, c->req, c->res, err);
}

enum so_status store_events_applied(struct queue *q,
                                    const struct so_applied_req *req,
                                    struct so_decide_result *res,
                                    struct so_error *err)
{
    struct applied_call c = {req, res};
    enum so_status code = store_rules_applied_req(req, err);
    return code == SO_OK ? store_db_tx(q->impl, applied_tx, &c, err) : code;
}
