/*
 * store_schema: the schema of the queue file and the migration runner.
 * v1 was designed for all of DESIGN.md at once (workflows with the kill
 * switch and four-eyes settings, drafts with leases and review counts, the
 * append-only decision chain, the rollup with histograms), so later
 * versions only add: v2 the agreement tables, v3 cheaper constraints, v4
 * the rollup per (day, workflow, band), v5 the reviewer UI's per-workflow
 * guards (how long a draft is on screen before a decision key acts, and
 * whether approving a draft with grounding flags asks first), v6 the
 * decision counters, v7 the outcomes, v8 an index for them, v9 the
 * guidelines, v10 the claim time, v11 the escalated status, v12 the
 * reason codes, v13 webhooks, v14 the API tokens, v15 and v16 the
 * automation policy, v17 admin records, v18 cost and service levels,
 * v19 gold checks.
 * Per-workflow/status counters are kept by triggers so that counting
 * pending drafts is O(1) on a million-draft queue. Only DDL lives here;
 * the queries live with the operations.
 */
#include "signoff/store/sqlite/schema.h"

#include <stdio.h>
#include <string.h>

#include "signoff/audit.h"

/* Statements of schema v1, run in order in one transaction. */
static const char *const schema_v1[] = {
    "CREATE TABLE meta ("
    "  key TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL"
    ") WITHOUT ROWID;",
    "INSERT INTO meta(key, value) VALUES ('chain_seq', '0'),"
    "  ('chain_hash', '" AUDIT_GENESIS "');",
    "CREATE TABLE workflows ("
    "  name TEXT PRIMARY KEY,"
    "  owner TEXT,"
    "  threshold REAL NOT NULL DEFAULT 0.2 CHECK (threshold BETWEEN 0 AND 1),"
    "  window_ms INTEGER NOT NULL DEFAULT 604800000 CHECK (window_ms > 0),"
    "  min_decisions INTEGER NOT NULL DEFAULT 30 CHECK (min_decisions >= 0),"
    "  paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),"
    "  automation_reason TEXT,"
    "  automation_by TEXT,"
    "  automation_at INTEGER,"
    "  auto_pause INTEGER NOT NULL DEFAULT 0 CHECK (auto_pause IN (0, 1)),"
    "  reviews INTEGER NOT NULL DEFAULT 1 CHECK (reviews BETWEEN 1 AND 5),"
    "  reveal TEXT NOT NULL DEFAULT 'after'"
    "    CHECK (reveal IN ('after', 'never')),"
    "  resolver TEXT NOT NULL DEFAULT 'supervisor'"
    "    CHECK (resolver IN ('supervisor', 'reviewer')),"
    "  created_at INTEGER NOT NULL"
    ");",
    "CREATE TABLE workflow_events ("
    "  id INTEGER PRIMARY KEY,"
    "  workflow TEXT NOT NULL REFERENCES workflows(name),"
    "  paused INTEGER NOT NULL,"
    "  reason TEXT,"
    "  by TEXT NOT NULL,"
    "  at INTEGER NOT NULL"
    ");",
    "CREATE INDEX workflow_events_by_workflow"
    "  ON workflow_events(workflow, at);",
    "CREATE TABLE drafts ("
    "  rid INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"
    "  workflow TEXT NOT NULL REFERENCES workflows(name),"
    "  model TEXT,"
    "  confidence REAL,"
    "  band INTEGER NOT NULL DEFAULT -1,"
    "  title TEXT,"
    "  input TEXT,"
    "  body TEXT NOT NULL,"
    "  priority INTEGER NOT NULL DEFAULT 0,"
    "  metadata TEXT,"
    "  content_sha TEXT NOT NULL,"
    "  flags INTEGER NOT NULL DEFAULT 0,"
    "  status TEXT NOT NULL DEFAULT 'pending'"
    "    CHECK (status IN ('pending', 'claimed', 'decided', 'resolve')),"
    "  claimed_by TEXT,"
    "  lease_until INTEGER NOT NULL DEFAULT 0,"
    "  lease_token INTEGER NOT NULL DEFAULT 0,"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  reviews_needed INTEGER NOT NULL DEFAULT 1,"
    "  reviews_done INTEGER NOT NULL DEFAULT 0,"
    "  final_action TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  decided_at INTEGER"
    ");",
    /* Open drafts in claim order: the claim query walks this and stops at
     * the first row whose lease is free, and the queue index pages it. Only
     * open rows are in it, so it stays as small as the backlog. */
    "CREATE INDEX drafts_open ON drafts(priority DESC, created_at, rid)"
    "  WHERE status IN ('pending', 'claimed', 'resolve');",
    "CREATE INDEX drafts_open_wf"
    "  ON drafts(workflow, priority DESC, created_at, rid)"
    "  WHERE status IN ('pending', 'claimed', 'resolve');",
    /* Keyset paging of list, by status and by workflow. */
    "CREATE INDEX drafts_by_status"
    "  ON drafts(status, priority DESC, created_at, rid);",
    "CREATE INDEX drafts_by_workflow"
    "  ON drafts(workflow, status, priority DESC, created_at, rid);",
    "CREATE TABLE citations ("
    "  draft INTEGER NOT NULL REFERENCES drafts(rid) ON DELETE CASCADE,"
    "  ord INTEGER NOT NULL,"
    "  n INTEGER NOT NULL,"
    "  title TEXT,"
    "  uri TEXT,"
    "  excerpt TEXT,"
    "  quote TEXT,"
    "  PRIMARY KEY (draft, ord)"
    ") WITHOUT ROWID;",
    "CREATE TABLE draft_counts ("
    "  workflow TEXT NOT NULL,"
    "  status TEXT NOT NULL,"
    "  n INTEGER NOT NULL,"
    "  PRIMARY KEY (workflow, status)"
    ") WITHOUT ROWID;",
    "CREATE TRIGGER drafts_count_ins AFTER INSERT ON drafts BEGIN"
    "  INSERT INTO draft_counts(workflow, status, n)"
    "    VALUES (new.workflow, new.status, 1)"
    "    ON CONFLICT(workflow, status) DO UPDATE SET n = n + 1;"
    "END;",
    "CREATE TRIGGER drafts_count_del AFTER DELETE ON drafts BEGIN"
    "  UPDATE draft_counts SET n = n - 1"
    "    WHERE workflow = old.workflow AND status = old.status;"
    "END;",
    "CREATE TRIGGER drafts_count_upd AFTER UPDATE OF status, workflow ON drafts"
    "  WHEN old.status <> new.status OR old.workflow <> new.workflow BEGIN"
    "  UPDATE draft_counts SET n = n - 1"
    "    WHERE workflow = old.workflow AND status = old.status;"
    "  INSERT INTO draft_counts(workflow, status, n)"
    "    VALUES (new.workflow, new.status, 1)"
    "    ON CONFLICT(workflow, status) DO UPDATE SET n = n + 1;"
    "END;",
    "CREATE TABLE decisions ("
    "  seq INTEGER PRIMARY KEY,"
    "  draft TEXT NOT NULL,"
    "  request_id TEXT NOT NULL UNIQUE,"
    "  reviewer TEXT NOT NULL,"
    "  action TEXT NOT NULL"
    "    CHECK (action IN ('approve', 'edit', 'reject', 'escalate', 'revert')),"
    "  kind TEXT NOT NULL DEFAULT 'review'"
    "    CHECK (kind IN ('review', 'resolve')),"
    "  reason TEXT,"
    "  note TEXT,"
    "  final_body TEXT,"
    "  edit_size INTEGER NOT NULL DEFAULT 0,"
    "  body_sha TEXT NOT NULL,"
    "  final_sha TEXT,"
    "  shown_at INTEGER NOT NULL DEFAULT 0,"
    "  decided_at INTEGER NOT NULL,"
    "  active_ms INTEGER NOT NULL DEFAULT 0,"
    "  reverts_seq INTEGER NOT NULL DEFAULT 0,"
    "  prev_hash TEXT NOT NULL,"
    "  hash TEXT NOT NULL"
    ");",
    "CREATE INDEX decisions_by_reviewer ON decisions(reviewer, decided_at);",
    "CREATE INDEX decisions_by_draft ON decisions(draft, seq);",
    "CREATE INDEX decisions_reverts ON decisions(reverts_seq)"
    "  WHERE reverts_seq > 0;",
    /* model is '' and band -1 when unknown: NULLs would defeat the key. */
    "CREATE TABLE rollup ("
    "  day INTEGER NOT NULL,"
    "  workflow TEXT NOT NULL,"
    "  model TEXT NOT NULL,"
    "  reviewer TEXT NOT NULL,"
    "  band INTEGER NOT NULL,"
    "  approved INTEGER NOT NULL DEFAULT 0,"
    "  edited INTEGER NOT NULL DEFAULT 0,"
    "  rejected INTEGER NOT NULL DEFAULT 0,"
    "  escalated INTEGER NOT NULL DEFAULT 0,"
    "  fast_approvals INTEGER NOT NULL DEFAULT 0,"
    "  active_ms_sum INTEGER NOT NULL DEFAULT 0,"
    "  edit_words_sum INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (day, workflow, model, reviewer, band)"
    ") WITHOUT ROWID;",
    "CREATE INDEX rollup_by_workflow ON rollup(workflow, day);",
    /* metric: 't' review time (ms), 'e' edit size (words). */
    "CREATE TABLE rollup_hist ("
    "  day INTEGER NOT NULL,"
    "  workflow TEXT NOT NULL,"
    "  model TEXT NOT NULL,"
    "  reviewer TEXT NOT NULL,"
    "  band INTEGER NOT NULL,"
    "  metric TEXT NOT NULL CHECK (metric IN ('t', 'e')),"
    "  bucket INTEGER NOT NULL,"
    "  count INTEGER NOT NULL,"
    "  PRIMARY KEY (day, workflow, model, reviewer, band, metric, bucket)"
    ") WITHOUT ROWID;",
    "CREATE TABLE rollup_reasons ("
    "  day INTEGER NOT NULL,"
    "  workflow TEXT NOT NULL,"
    "  reason TEXT NOT NULL,"
    "  count INTEGER NOT NULL,"
    "  PRIMARY KEY (day, workflow, reason)"
    ") WITHOUT ROWID;",
    NULL,
};

/* Schema v2: four-eyes agreement. Cells of the reviewer-pair confusion
 * matrices and resolution counts per UTC day, written when a draft's last
 * review (or its resolution) lands and subtracted by undo, so agreement
 * figures never scan decisions. Reviewer a < b in strcmp order. */
static const char *const schema_v2[] = {
    "CREATE TABLE agreement ("
    "  day INTEGER NOT NULL,"
    "  workflow TEXT NOT NULL,"
    "  reviewer_a TEXT NOT NULL,"
    "  reviewer_b TEXT NOT NULL,"
    "  action_a TEXT NOT NULL,"
    "  action_b TEXT NOT NULL,"
    "  n INTEGER NOT NULL,"
    "  PRIMARY KEY (day, workflow, reviewer_a, reviewer_b, action_a, action_b)"
    ") WITHOUT ROWID;",
    "CREATE TABLE resolutions ("
    "  day INTEGER NOT NULL,"
    "  workflow TEXT NOT NULL,"
    "  resolved INTEGER NOT NULL,"
    "  sided_ai INTEGER NOT NULL,"
    "  PRIMARY KEY (day, workflow)"
    ") WITHOUT ROWID;",
    NULL,
};

/* Schema v3: no list of three or more constants after IN in the drafts
 * and decisions tables. SQLite evaluates such a list by building an
 * ephemeral table every time a statement tests it (its own pager, pages
 * malloc'ed and freed): five per change of a draft's status (the CHECK,
 * and the old and new row against each partial index) and one per decision
 * row, about a quarter of the CPU of a claim+decide and most of the system
 * time of enqueue (heap growth and trimming). The partial indexes become
 * `status <> 'decided'` (the claim and list queries say the same, so the
 * planner still proves them usable), and the CHECK constraints become OR
 * chains of the same values: an edit of the stored CREATE TABLE text, which
 * SQLite documents as safe for CHECK constraints (no row is touched);
 * writable_schema=RESET makes this connection re-read the schema too. */
#define CHECK_TEXT_EDIT(table, from, to)                                       \
    "UPDATE sqlite_schema SET sql = replace(sql, '" from "', '" to "')"       \
    " WHERE type = 'table' AND name = '" table "';"
static const char *const schema_v3[] = {
    "DROP INDEX drafts_open;",
    "CREATE INDEX drafts_open ON drafts(priority DESC, created_at, rid)"
    "  WHERE status <> 'decided';",
    "DROP INDEX drafts_open_wf;",
    "CREATE INDEX drafts_open_wf"
    "  ON drafts(workflow, priority DESC, created_at, rid)"
    "  WHERE status <> 'decided';",
    "PRAGMA writable_schema = ON;",
    CHECK_TEXT_EDIT("drafts",
                    "status IN (''pending'', ''claimed'', ''decided'', "
                    "''resolve'')",
                    "status = ''pending'' OR status = ''claimed'' OR "
                    "status = ''decided'' OR status = ''resolve''"),
    CHECK_TEXT_EDIT("decisions",
                    "action IN (''approve'', ''edit'', ''reject'', "
                    "''escalate'', ''revert'')",
                    "action = ''approve'' OR action = ''edit'' OR "
                    "action = ''reject'' OR action = ''escalate'' OR "
                    "action = ''revert''"),
    "PRAGMA writable_schema = RESET;",
    NULL,
};

/* Schema v4: the rollup summed over model and reviewer, per (day,
 * workflow, band), for the figures that split by neither (stats without
 * --by reviewer/model, --check, /metrics, auto-pause). 50 reviewers on 2
 * models make 100 fine cells per coarse one, and summing 250,000 fine cells
 * costs SQLite a sort of a second or more; the coarse cells come in key
 * order. Triggers on the fine tables keep them, so whatever writes the
 * rollup (decide, undo) writes both in the same statement. */
#define WF_COLS                                                                \
    "approved, edited, rejected, escalated, fast_approvals, active_ms_sum,"    \
    " edit_words_sum"
#define V_NEW(c) "new." c
#define V_OLD(c) "-old." c
#define V_DELTA(c) "new." c " - old." c
/* Add V(column) of each count to the coarse cell of row k's key. */
#define WF_UPSERT(k, V)                                                        \
    "INSERT INTO rollup_wf(day, workflow, band, " WF_COLS ") VALUES (" k       \
    ".day, " k ".workflow, " k ".band, " V("approved") ", " V("edited") ", "   \
    V("rejected") ", " V("escalated") ", " V("fast_approvals") ", "            \
    V("active_ms_sum") ", " V("edit_words_sum") ")"                            \
    " ON CONFLICT(day, workflow, band) DO UPDATE SET"                          \
    " approved = approved + excluded.approved,"                                \
    " edited = edited + excluded.edited,"                                      \
    " rejected = rejected + excluded.rejected,"                                \
    " escalated = escalated + excluded.escalated,"                             \
    " fast_approvals = fast_approvals + excluded.fast_approvals,"              \
    " active_ms_sum = active_ms_sum + excluded.active_ms_sum,"                 \
    " edit_words_sum = edit_words_sum + excluded.edit_words_sum;"
#define WF_HIST_UPSERT(k, V)                                                   \
    "INSERT INTO rollup_wf_hist(day, workflow, band, metric, bucket, count)"   \
    " VALUES (" k ".day, " k ".workflow, " k ".band, " k ".metric, " k         \
    ".bucket, " V("count") ")"                                                 \
    " ON CONFLICT(day, workflow, band, metric, bucket) DO UPDATE SET"          \
    " count = count + excluded.count;"
#define SAME_WF_KEY                                                            \
    " old.day = new.day AND old.workflow = new.workflow AND old.band = new.band"
#define SAME_HIST_KEY                                                          \
    SAME_WF_KEY " AND old.metric = new.metric AND old.bucket = new.bucket"
static const char *const schema_v4[] = {
    "CREATE TABLE rollup_wf ("
    "  day INTEGER NOT NULL,"
    "  workflow TEXT NOT NULL,"
    "  band INTEGER NOT NULL,"
    "  approved INTEGER NOT NULL DEFAULT 0,"
    "  edited INTEGER NOT NULL DEFAULT 0,"
    "  rejected INTEGER NOT NULL DEFAULT 0,"
    "  escalated INTEGER NOT NULL DEFAULT 0,"
    "  fast_approvals INTEGER NOT NULL DEFAULT 0,"
    "  active_ms_sum INTEGER NOT NULL DEFAULT 0,"
    "  edit_words_sum INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (day, workflow, band)"
    ") WITHOUT ROWID;",
    "CREATE TABLE rollup_wf_hist ("
    "  day INTEGER NOT NULL,"
    "  workflow TEXT NOT NULL,"
    "  band INTEGER NOT NULL,"
    "  metric TEXT NOT NULL,"
    "  bucket INTEGER NOT NULL,"
    "  count INTEGER NOT NULL,"
    "  PRIMARY KEY (day, workflow, band, metric, bucket)"
    ") WITHOUT ROWID;",
    "INSERT INTO rollup_wf(day, workflow, band, " WF_COLS ")"
    "  SELECT day, workflow, band, sum(approved), sum(edited), sum(rejected),"
    "  sum(escalated), sum(fast_approvals), sum(active_ms_sum),"
    "  sum(edit_words_sum) FROM rollup GROUP BY day, workflow, band;",
    "INSERT INTO rollup_wf_hist(day, workflow, band, metric, bucket, count)"
    "  SELECT day, workflow, band, metric, bucket, sum(count)"
    "  FROM rollup_hist GROUP BY day, workflow, band, metric, bucket;",
    "CREATE TRIGGER rollup_wf_ins AFTER INSERT ON rollup BEGIN "
    WF_UPSERT("new", V_NEW) " END;",
    "CREATE TRIGGER rollup_wf_del AFTER DELETE ON rollup BEGIN "
    WF_UPSERT("old", V_OLD) " END;",
    /* A decision or an undo changes the counts of a cell in place: one
     * upsert of the difference; a key change moves the counts. */
    "CREATE TRIGGER rollup_wf_upd AFTER UPDATE ON rollup WHEN" SAME_WF_KEY
    " BEGIN " WF_UPSERT("new", V_DELTA) " END;",
    "CREATE TRIGGER rollup_wf_move AFTER UPDATE ON rollup WHEN NOT ("
    SAME_WF_KEY ") BEGIN " WF_UPSERT("old", V_OLD) WF_UPSERT("new", V_NEW)
    " END;",
    "CREATE TRIGGER rollup_wf_hist_ins AFTER INSERT ON rollup_hist BEGIN "
    WF_HIST_UPSERT("new", V_NEW) " END;",
    "CREATE TRIGGER rollup_wf_hist_del AFTER DELETE ON rollup_hist BEGIN "
    WF_HIST_UPSERT("old", V_OLD) " END;",
    "CREATE TRIGGER rollup_wf_hist_upd AFTER UPDATE ON rollup_hist WHEN"
    SAME_HIST_KEY " BEGIN " WF_HIST_UPSERT("new", V_DELTA) " END;",
    "CREATE TRIGGER rollup_wf_hist_move AFTER UPDATE ON rollup_hist WHEN NOT ("
    SAME_HIST_KEY ") BEGIN " WF_HIST_UPSERT("old", V_OLD)
    WF_HIST_UPSERT("new", V_NEW) " END;",
    NULL,
};

static const char *const schema_v5[] = {
    "ALTER TABLE workflows ADD COLUMN min_seen_ms INTEGER NOT NULL"
    "  DEFAULT 1000 CHECK (min_seen_ms BETWEEN 0 AND 60000);",
    "ALTER TABLE workflows ADD COLUMN confirm_flagged INTEGER NOT NULL"
    "  DEFAULT 1 CHECK (confirm_flagged IN (0, 1));",
    NULL,
};

/* Schema v6: decisions recorded per workflow and action, ever: the
 * counters of /metrics. The rollup is the current state (an undo takes its
 * decision out of it); these only grow, one per row of the append-only
 * decisions table, an undo counted as its own action (revert). A trigger
 * keeps them in the decision's own statement. */
static const char *const schema_v6[] = {
    "CREATE TABLE decision_counts ("
    "  workflow TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  n INTEGER NOT NULL,"
    "  PRIMARY KEY (workflow, action)"
    ") WITHOUT ROWID;",
    "INSERT INTO decision_counts(workflow, action, n)"
    "  SELECT d.workflow, x.action, count(*) FROM decisions x"
    "  JOIN drafts d ON d.id = x.draft GROUP BY d.workflow, x.action;",
    "CREATE TRIGGER decision_counts_ins AFTER INSERT ON decisions BEGIN"
    "  INSERT INTO decision_counts(workflow, action, n)"
    "    SELECT workflow, new.action, 1 FROM drafts WHERE id = new.draft"
    "    ON CONFLICT(workflow, action) DO UPDATE SET n = n + 1;"
    "END;",
    NULL,
};

/* Schema v7: outcomes back to the producer (outcome.h). The release
 * delay and the unapplied-backlog bound per workflow; one row per final
 * outcome (the record that made its draft final), written in the decision's
 * transaction, with when it is released, when it was undone and the action
 * record that closed it; action records in the chain (kind action, action
 * applied). Outcomes decided before v7 are filled in released at once and
 * marked applied_seq -1 ("before action records"), so an upgrade raises no
 * backlog. The CHECK edits extend the lists (other versions may extend
 * them too). */
static const char *const schema_v7[] = {
    "ALTER TABLE workflows ADD COLUMN release_after_ms INTEGER NOT NULL"
    "  DEFAULT 0 CHECK (release_after_ms >= 0);",
    "ALTER TABLE workflows ADD COLUMN applied_within_ms INTEGER NOT NULL"
    "  DEFAULT 86400000 CHECK (applied_within_ms > 0);",
    "CREATE TABLE outcomes ("
    "  seq INTEGER PRIMARY KEY,"
    "  draft TEXT NOT NULL,"
    "  workflow TEXT NOT NULL,"
    "  release_at INTEGER NOT NULL,"
    "  reverted_at INTEGER,"
    "  applied_seq INTEGER NOT NULL DEFAULT 0"
    ");",
    "CREATE INDEX outcomes_held ON outcomes(release_at)"
    "  WHERE reverted_at IS NULL;",
    "CREATE INDEX outcomes_by_draft ON outcomes(draft, seq);",
    "CREATE INDEX outcomes_unapplied ON outcomes(workflow, release_at)"
    "  WHERE applied_seq = 0 AND reverted_at IS NULL;",
    "INSERT INTO outcomes(seq, draft, workflow, release_at, applied_seq)"
    "  SELECT (SELECT max(seq) FROM decisions d WHERE d.draft = dr.id"
    "    AND d.action <> 'revert' AND NOT EXISTS (SELECT 1 FROM decisions r"
    "    WHERE r.reverts_seq = d.seq AND r.reverts_seq > 0)),"
    "  dr.id, dr.workflow, dr.decided_at, -1 FROM drafts dr"
    "  WHERE dr.status = 'decided' AND dr.final_action <> 'escalate'"
    "  AND EXISTS (SELECT 1 FROM decisions d WHERE d.draft = dr.id);",
    "PRAGMA writable_schema = ON;",
    CHECK_TEXT_EDIT("decisions", "action = ''revert''",
                    "action = ''revert'' OR action = ''applied''"),
    CHECK_TEXT_EDIT("decisions", "kind IN (''review'', ''resolve'')",
                    "kind = ''review'' OR kind = ''resolve'' OR "
                    "kind = ''action''"),
    "PRAGMA writable_schema = RESET;",
    NULL,
};

/* Schema v8: the unapplied backlog counts only in workflows whose producer
 * has recorded an action at least once (one that never does is not an
 * integration that broke); this index finds such a record at once. */
static const char *const schema_v8[] = {
    "CREATE INDEX outcomes_applied ON outcomes(workflow)"
    "  WHERE applied_seq > 0;",
    NULL,
};

/* v9: each workflow's reviewing guidelines (text shown beside the draft in
 * the reviewer UI; NULL: none). */
static const char *const schema_v9[] = {
    "ALTER TABLE workflows ADD COLUMN guidelines TEXT;",
    NULL,
};

/* Schema v10: when the current claim of a draft was taken, so a decision's
 * client-reported times can be bounded by it (so_decide_clamp_times).
 * Claims from before v10 read 0: unknown, bounded by the decision time
 * alone. */
static const char *const schema_v10[] = {
    "ALTER TABLE drafts ADD COLUMN claimed_at INTEGER NOT NULL DEFAULT 0;",
    NULL,
};

/* Schema v11: escalation is open work for supervisors. An escalated draft
 * gets its own status, 'escalated' (open: in the partial indexes, which
 * say status <> 'decided'), instead of being decided with the outcome
 * escalate; a supervisor's decision on it is the final outcome. The CHECK
 * gains the value by the same text edit as v3; drafts escalated before
 * become open again (their escalation stays counted in the rollup, as it
 * is counted at the escalation). */
static const char *const schema_v11[] = {
    "PRAGMA writable_schema = ON;",
    CHECK_TEXT_EDIT("drafts", "OR status = ''resolve''",
                    "OR status = ''resolve'' OR status = ''escalated''"),
    "PRAGMA writable_schema = RESET;",
    "UPDATE drafts SET status = 'escalated', final_action = NULL,"
    "  decided_at = NULL, claimed_by = NULL, lease_until = 0"
    "  WHERE status = 'decided' AND final_action = 'escalate';",
    NULL,
};

/* Schema v12: the reject and escalate reason codes live in the queue, so
 * the UI's menu, the CLI, the server and stats read one list: the default
 * set (workflow '') seeded from SO_DEFAULT_REASONS, and a workflow's own
 * list when it has one; menus follow the id order. */
#define SCHEMA_X_REASON(code, label) "('', '" code "', '" label "'),"
static const char *const schema_v12[] = {
    "CREATE TABLE reasons ("
    "  id INTEGER PRIMARY KEY,"
    "  workflow TEXT NOT NULL,"
    "  code TEXT NOT NULL,"
    "  label TEXT NOT NULL,"
    "  UNIQUE (workflow, code)"
    ");",
    "INSERT INTO reasons(workflow, code, label) VALUES "
    SO_DEFAULT_REASONS(SCHEMA_X_REASON) "('', '', '');",
    "DELETE FROM reasons WHERE code = '';",
    NULL,
};
#undef SCHEMA_X_REASON

/* Schema v13: webhooks (webhook.h). A hook per workflow with its whsec_
 * secret (the queue file is the only copy; never printed); a delivery row
 * per hook and audit record, inserted by the trigger below in the
 * record's own statement (so in its transaction), due when the feed
 * releases the record; leased to one sender at a time (lease_until,
 * lease_token); its state pending, delivered, dead or skipped. Every
 * attempt is kept for hook log. Rows for "outcome" hooks are made only for
 * records that may be outcomes or revoke one (the rule itself is
 * webhook_wants, applied when sending). */
static const char *const schema_v13[] = {
    "CREATE TABLE hooks ("
    "  id INTEGER PRIMARY KEY,"
    "  workflow TEXT NOT NULL,"
    "  url TEXT NOT NULL,"
    "  secret TEXT NOT NULL,"
    "  events TEXT NOT NULL DEFAULT 'outcome'"
    "    CHECK (events = 'outcome' OR events = 'all'),"
    "  enabled INTEGER NOT NULL DEFAULT 1,"
    "  auto_disabled INTEGER NOT NULL DEFAULT 0,"
    "  disabled_reason TEXT,"
    "  fail_streak INTEGER NOT NULL DEFAULT 0,"
    "  max_failures INTEGER NOT NULL DEFAULT 20,"
    "  retry_for_ms INTEGER NOT NULL DEFAULT 86400000,"
    "  allow_private INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL"
    ");",
    "CREATE INDEX hooks_by_workflow ON hooks(workflow);",
    "CREATE TABLE deliveries ("
    "  id INTEGER PRIMARY KEY,"
    "  hook INTEGER NOT NULL REFERENCES hooks(id),"
    "  seq INTEGER NOT NULL,"
    "  draft TEXT NOT NULL,"
    "  state TEXT NOT NULL DEFAULT 'pending',"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  next_at INTEGER NOT NULL,"
    "  first_at INTEGER NOT NULL DEFAULT 0,"
    "  lease_until INTEGER NOT NULL DEFAULT 0,"
    "  lease_token INTEGER NOT NULL DEFAULT 0,"
    "  last_status INTEGER,"
    "  last_error TEXT,"
    "  delivered_at INTEGER,"
    "  UNIQUE (hook, seq)"
    ");",
    "CREATE INDEX deliveries_due ON deliveries(next_at)"
    "  WHERE state = 'pending';",
    "CREATE INDEX deliveries_of_draft ON deliveries(hook, draft, seq)"
    "  WHERE state = 'pending';",
    "CREATE TABLE delivery_attempts ("
    "  id INTEGER PRIMARY KEY,"
    "  delivery INTEGER NOT NULL,"
    "  hook INTEGER NOT NULL,"
    "  seq INTEGER NOT NULL,"
    "  draft TEXT NOT NULL,"
    "  at INTEGER NOT NULL,"
    "  status INTEGER NOT NULL,"
    "  ms INTEGER NOT NULL,"
    "  state TEXT NOT NULL,"
    "  error TEXT"
    ");",
    "CREATE INDEX delivery_attempts_by_hook ON delivery_attempts(hook, id);",
    "CREATE TRIGGER deliveries_ins AFTER INSERT ON decisions BEGIN"
    "  INSERT INTO deliveries(hook, seq, draft, next_at)"
    "    SELECT h.id, new.seq, new.draft, new.decided_at FROM hooks h"
    "    JOIN drafts d ON d.id = new.draft AND d.workflow = h.workflow"
    "    WHERE h.events = 'all' OR new.action <> 'escalate'"
    "    AND new.action <> 'applied';"
    "END;",
    NULL,
};

/* Schema v14: the queue's API tokens (signoff token; token.h). Only the
 * SHA-256 of a secret is kept; prev_hash is the secret before the last
 * rotation, valid until prev_until. A server finds a presented secret by
 * either hash on every request, so a revocation holds at once. */
static const char *const schema_v14[] = {
    "CREATE TABLE tokens ("
    "  id TEXT PRIMARY KEY,"
    "  hash TEXT NOT NULL UNIQUE,"
    "  prev_hash TEXT,"
    "  prev_until INTEGER NOT NULL DEFAULT 0,"
    "  reviewer TEXT NOT NULL,"
    "  role TEXT NOT NULL,"
    "  scope TEXT,"
    "  note TEXT,"
    "  created_by TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL DEFAULT 0,"
    "  revoked_at INTEGER NOT NULL DEFAULT 0,"
    "  last_used_at INTEGER NOT NULL DEFAULT 0,"
    "  last_addr TEXT);",
    "CREATE INDEX tokens_prev ON tokens(prev_hash) WHERE prev_hash IS NOT NULL;",
    NULL,
};

/* Schema v15: the automation policy per workflow (automate.h): the band,
 * the sample share, the always-review patterns, the sample seed (random,
 * made when a policy is first set, never shown); each draft's route at
 * enqueue (0 human, 1 decided automatically, 2 eligible but sampled for
 * blind human review); every change of the policy with who, when, the
 * readiness figure behind it and, when forced, the reason. */
static const char *const schema_v15[] = {
    "ALTER TABLE workflows ADD COLUMN automate INTEGER NOT NULL DEFAULT 0"
    "  CHECK (automate IN (0, 1));",
    "ALTER TABLE workflows ADD COLUMN automate_from REAL NOT NULL DEFAULT 1"
    "  CHECK (automate_from >= 0 AND automate_from <= 1);",
    "ALTER TABLE workflows ADD COLUMN sample_pct REAL NOT NULL DEFAULT 0"
    "  CHECK (sample_pct >= 0 AND sample_pct <= 100);",
    "ALTER TABLE workflows ADD COLUMN always_review TEXT;",
    "ALTER TABLE workflows ADD COLUMN sample_seed TEXT;",
    "ALTER TABLE drafts ADD COLUMN route INTEGER NOT NULL DEFAULT 0;",
    "CREATE TABLE policy_events ("
    "  id INTEGER PRIMARY KEY,"
    "  workflow TEXT NOT NULL,"
    "  automate INTEGER NOT NULL,"
    "  automate_from REAL NOT NULL,"
    "  sample_pct REAL NOT NULL,"
    "  always_review TEXT,"
    "  decided INTEGER NOT NULL,"
    "  upper REAL,"
    "  forced INTEGER NOT NULL,"
    "  reason TEXT,"
    "  by TEXT NOT NULL,"
    "  at INTEGER NOT NULL"
    ");",
    "CREATE INDEX policy_events_by_workflow ON policy_events(workflow, id);",
    NULL,
};

/* Schema v16: the automation's figures per workflow over its window
 * (automatic approvals, sampled drafts decided by people and overridden)
 * read by a range on this index. */
static const char *const schema_v16[] = {
    "CREATE INDEX drafts_routed ON drafts(workflow, route, decided_at)"
    "  WHERE status = 'decided' AND route > 0;",
    NULL,
};

/* Schema v17: admin records in the audit chain (admin.h; kind admin,
 * action admin): the CHECK lists gain the value by the text edit of v3;
 * an index finds the last record of one admin action (the access review). */
static const char *const schema_v17[] = {
    "PRAGMA writable_schema = ON;",
    CHECK_TEXT_EDIT("decisions", "action = ''applied''",
                    "action = ''applied'' OR action = ''admin''"),
    CHECK_TEXT_EDIT("decisions", "kind = ''action''",
                    "kind = ''action'' OR kind = ''admin''"),
    "PRAGMA writable_schema = RESET;",
    "CREATE INDEX decisions_admin ON decisions(reason, seq)"
    "  WHERE kind = 'admin';",
    NULL,
};

/* Schema v18: cost and latency per task (issue 16 part 4). Each draft
 * keeps what its producer reported (cost in millionths of its currency,
 * tokens, time to generate; NULL when not reported); each workflow its
 * currency, reviewer hourly rate, service level and the share past it that
 * alerts. The rollup cells gain the task sums of SO_ROLLUP_COST_LIST and
 * the histograms 'd' (enqueue to final decision) and 'a' (enqueue to
 * action record); the coarse cells follow by triggers made again with the
 * new columns. An outcome keeps the reviewing time and cost and whether
 * it missed the SLA as counted, so an undo takes back exactly that. An
 * index on the open drafts by age answers the oldest pending draft and
 * the drafts past a service level with a range. */
#define V18_COLS(P)                                                            \
    P("ai_cost") P("ai_cost_n") P("tokens") P("tokens_n") P("gen_ms")          \
    P("gen_n") P("human_ms") P("human_cost") P("sla_n") P("sla_missed")        \
    P("acted")
#define V18_ADD(table, c)                                                      \
    "ALTER TABLE " table " ADD COLUMN " c " INTEGER NOT NULL DEFAULT 0;",
#define V18_ROLLUP(c) V18_ADD("rollup", c)
#define V18_WF(c) V18_ADD("rollup_wf", c)
#define V18_NAME(c) ", " c
#define V18_SET(c) ", " c " = " c " + excluded." c
#define V18_NEW(c) ", new." c
#define V18_OLD(c) ", -old." c
#define V18_DELTA(c) ", new." c " - old." c
#define V18_UPSERT(k, V, P)                                                    \
    "INSERT INTO rollup_wf(day, workflow, band, " WF_COLS V18_COLS(V18_NAME)   \
    ") VALUES (" k ".day, " k ".workflow, " k ".band, " V("approved") ", "     \
    V("edited") ", " V("rejected") ", " V("escalated") ", "                    \
    V("fast_approvals") ", " V("active_ms_sum") ", " V("edit_words_sum")       \
    V18_COLS(P) ")"                                                            \
    " ON CONFLICT(day, workflow, band) DO UPDATE SET"                          \
    " approved = approved + excluded.approved,"                                \
    " edited = edited + excluded.edited,"                                      \
    " rejected = rejected + excluded.rejected,"                                \
    " escalated = escalated + excluded.escalated,"                             \
    " fast_approvals = fast_approvals + excluded.fast_approvals,"              \
    " active_ms_sum = active_ms_sum + excluded.active_ms_sum,"                 \
    " edit_words_sum = edit_words_sum + excluded.edit_words_sum"               \
    V18_COLS(V18_SET) ";"
static const char *const schema_v18[] = {
    "ALTER TABLE drafts ADD COLUMN cost_micros INTEGER;",
    "ALTER TABLE drafts ADD COLUMN currency TEXT;",
    "ALTER TABLE drafts ADD COLUMN tokens INTEGER;",
    "ALTER TABLE drafts ADD COLUMN latency_ms INTEGER;",
    "ALTER TABLE workflows ADD COLUMN currency TEXT NOT NULL DEFAULT 'USD';",
    "ALTER TABLE workflows ADD COLUMN hourly_rate REAL NOT NULL DEFAULT 0"
    "  CHECK (hourly_rate >= 0);",
    "ALTER TABLE workflows ADD COLUMN sla_ms INTEGER NOT NULL DEFAULT 0"
    "  CHECK (sla_ms >= 0);",
    "ALTER TABLE workflows ADD COLUMN sla_alert REAL NOT NULL DEFAULT 0.1"
    "  CHECK (sla_alert >= 0 AND sla_alert <= 1);",
    "ALTER TABLE outcomes ADD COLUMN human_ms INTEGER NOT NULL DEFAULT 0;",
    "ALTER TABLE outcomes ADD COLUMN human_cost INTEGER NOT NULL DEFAULT 0;",
    "ALTER TABLE outcomes ADD COLUMN sla_missed INTEGER NOT NULL DEFAULT -1;",
    V18_COLS(V18_ROLLUP) V18_COLS(V18_WF)
    "DROP TRIGGER rollup_wf_ins;",
    "DROP TRIGGER rollup_wf_del;",
    "DROP TRIGGER rollup_wf_upd;",
    "DROP TRIGGER rollup_wf_move;",
    "CREATE TRIGGER rollup_wf_ins AFTER INSERT ON rollup BEGIN "
    V18_UPSERT("new", V_NEW, V18_NEW) " END;",
    "CREATE TRIGGER rollup_wf_del AFTER DELETE ON rollup BEGIN "
    V18_UPSERT("old", V_OLD, V18_OLD) " END;",
    "CREATE TRIGGER rollup_wf_upd AFTER UPDATE ON rollup WHEN" SAME_WF_KEY
    " BEGIN " V18_UPSERT("new", V_DELTA, V18_DELTA) " END;",
    "CREATE TRIGGER rollup_wf_move AFTER UPDATE ON rollup WHEN NOT ("
    SAME_WF_KEY ") BEGIN " V18_UPSERT("old", V_OLD, V18_OLD)
    V18_UPSERT("new", V_NEW, V18_NEW) " END;",
    "PRAGMA writable_schema = ON;",
    CHECK_TEXT_EDIT("rollup_hist", "metric IN (''t'', ''e'')",
                    "metric = ''t'' OR metric = ''e'' OR metric = ''d'' OR "
                    "metric = ''a''"),
    "PRAGMA writable_schema = RESET;",
    "CREATE INDEX drafts_open_age ON drafts(workflow, created_at)"
    "  WHERE status <> 'decided';",
    NULL,
};

/* Schema v19: gold checks (gold.h). The pool of known-answer drafts with
 * their answers (a draft's JSON as `gold add` took it, released into the
 * human queue at the workflow's rate: released_at set, a drafts row made);
 * each person's decision on a released one with whether it matched; per
 * workflow the mix rate, the accuracy bar and the share accumulated toward
 * the next release. */
static const char *const schema_v19[] = {
    "CREATE TABLE gold ("
    "  id INTEGER PRIMARY KEY,"
    "  draft_id TEXT NOT NULL UNIQUE,"
    "  workflow TEXT NOT NULL,"
    "  draft TEXT NOT NULL,"
    "  expected TEXT NOT NULL"
    "    CHECK (expected IN ('approve', 'edit', 'reject', 'escalate')),"
    "  reasons TEXT,"
    "  added_by TEXT NOT NULL,"
    "  added_at INTEGER NOT NULL,"
    "  released_at INTEGER"
    ");",
    "CREATE INDEX gold_pool ON gold(workflow, id) WHERE released_at IS NULL;",
    "CREATE TABLE gold_answers ("
    "  seq INTEGER PRIMARY KEY,"
    "  draft_id TEXT NOT NULL,"
    "  workflow TEXT NOT NULL,"
    "  reviewer TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  reason TEXT,"
    "  correct INTEGER NOT NULL CHECK (correct IN (0, 1)),"
    "  at INTEGER NOT NULL"
    ");",
    "CREATE INDEX gold_answers_at ON gold_answers(at, workflow, reviewer);",
    "ALTER TABLE workflows ADD COLUMN gold_pct REAL NOT NULL DEFAULT 0"
    "  CHECK (gold_pct >= 0 AND gold_pct <= 50);",
    "ALTER TABLE workflows ADD COLUMN gold_bar REAL NOT NULL DEFAULT 0.9"
    "  CHECK (gold_bar >= 0 AND gold_bar <= 1);",
    "ALTER TABLE workflows ADD COLUMN gold_due REAL NOT NULL DEFAULT 0;",
    NULL,
};

/* Schema v20: the decision counters and the webhook deliveries of new
 * records are written by the append itself (chain.c), one statement each
 * for all the records of an append, where a trigger per record looked the
 * draft up twice (an enqueue batch's automatic approvals are many records
 * to a statement). The rows are the same. */
static const char *const schema_v20[] = {
    "DROP TRIGGER IF EXISTS decision_counts_ins;",
    "DROP TRIGGER IF EXISTS deliveries_ins;",
    NULL,
};

/* One entry per schema version: steps[i] takes a file from version i to
 * i + 1. Append only. */
static const char *const *const steps[] = {schema_v1, schema_v2, schema_v3,
                                           schema_v4, schema_v5, schema_v6,
                                           schema_v7, schema_v8, schema_v9,
                                           schema_v10, schema_v11, schema_v12,
                                           schema_v13, schema_v14, schema_v15,
                                           schema_v16, schema_v17,
                                           schema_v18, schema_v19,
                                           schema_v20};

_Static_assert(sizeof steps / sizeof steps[0] == STORE_SCHEMA_VERSION,
               "one migration step per schema version");

enum so_status store_schema_read(struct store *s, int *version,
                                 struct so_error *err)
{
    sqlite3_stmt *st = store_db_stmt(s, "PRAGMA user_version", err);
    if (!st)
        return err ? err->code : SO_ERR;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        enum so_status code = store_db_fail(s, "read schema version", err);
        sqlite3_reset(st);
        return code;
    }
    *version = sqlite3_column_int(st, 0);
    return store_db_done(s, st, err);
}

static enum so_status apply_step(struct store *s, int to, struct so_error *err)
{
    enum so_status code = store_db_begin(s, err);
    if (code != SO_OK)
        return code;
    int have;
    code = store_schema_read(s, &have, err);
    if (code == SO_OK && have >= to) /* another process migrated first */
        return store_db_commit(s, err);
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", to);
    int ok = code == SO_OK;
    for (const char *const *sql = steps[to - 1]; ok && *sql; sql++)
        ok = sqlite3_exec(s->db, *sql, NULL, NULL, NULL) == SQLITE_OK;
    if (!ok || sqlite3_exec(s->db, pragma, NULL, NULL, NULL) != SQLITE_OK) {
        if (code == SO_OK)
            code = store_db_fail(s, "migrate schema", err);
        store_db_rollback(s);
        return code;
    }
    return store_db_commit(s, err);
}

enum so_status store_schema_migrate(struct store *s, struct so_error *err)
{
    int version;
    enum so_status code = store_schema_read(s, &version, err);
    if (code != SO_OK)
        return code;
    if (version > STORE_SCHEMA_VERSION)
        return so_fail(err, SO_ERR_SCHEMA,
                       "%s: created by a newer signoff (schema %d; this one "
                       "reads up to %d)",
                       s->path, version, STORE_SCHEMA_VERSION);
    for (int v = version; v < STORE_SCHEMA_VERSION && code == SO_OK; v++)
        code = apply_step(s, v + 1, err);
    return code;
}
