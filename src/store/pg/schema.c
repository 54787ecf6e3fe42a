/*
 * store_pg_schema: DDL of the PostgreSQL store and the migration runner
 * (see schema.h). The tables mirror the SQLite store's (times are ms since
 * the epoch, as bigint), with what PostgreSQL does differently: the chain
 * head is a one-row table locked last by every append; draft ids and
 * request ids are unique keys, and so are the chain's seq and hash, the
 * backstops if a lock were ever missed. Only DDL lives here.
 */
#include "signoff/store/pg/schema.h"

#include <stdio.h>
#include <string.h>

#include "signoff/audit.h"

static const char *const schema_v1[] = {
    "CREATE TABLE so_meta (key text PRIMARY KEY, value text NOT NULL)",
    "CREATE TABLE workflows ("
    "  name text PRIMARY KEY,"
    "  owner text,"
    "  threshold double precision NOT NULL DEFAULT 0.2"
    "    CHECK (threshold BETWEEN 0 AND 1),"
    "  window_ms bigint NOT NULL DEFAULT 604800000 CHECK (window_ms > 0),"
    "  min_decisions integer NOT NULL DEFAULT 30 CHECK (min_decisions >= 0),"
    "  paused integer NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),"
    "  automation_reason text,"
    "  automation_by text,"
    "  automation_at bigint,"
    "  auto_pause integer NOT NULL DEFAULT 0 CHECK (auto_pause IN (0, 1)),"
    "  reviews integer NOT NULL DEFAULT 1 CHECK (reviews BETWEEN 1 AND 5),"
    "  reveal text NOT NULL DEFAULT 'after'"
    "    CHECK (reveal IN ('after', 'never')),"
    "  resolver text NOT NULL DEFAULT 'supervisor'"
    "    CHECK (resolver IN ('supervisor', 'reviewer')),"
    "  min_seen_ms bigint NOT NULL DEFAULT 1000"
    "    CHECK (min_seen_ms BETWEEN 0 AND 60000),"
    "  confirm_flagged integer NOT NULL DEFAULT 1"
    "    CHECK (confirm_flagged IN (0, 1)),"
    "  release_after_ms bigint NOT NULL DEFAULT 0"
    "    CHECK (release_after_ms >= 0),"
    "  applied_within_ms bigint NOT NULL DEFAULT 86400000"
    "    CHECK (applied_within_ms > 0),"
    "  guidelines text,"
    "  created_at bigint NOT NULL"
    ")",
    "CREATE TABLE workflow_events ("
    "  id bigserial PRIMARY KEY,"
    "  workflow text NOT NULL REFERENCES workflows(name),"
    "  paused integer NOT NULL,"
    "  reason text,"
    "  by text NOT NULL,"
    "  at bigint NOT NULL"
    ")",
    "CREATE TABLE drafts ("
    "  rid bigserial PRIMARY KEY,"
    "  id text NOT NULL UNIQUE,"
    "  workflow text NOT NULL REFERENCES workflows(name),"
    "  model text,"
    "  confidence double precision,"
    "  band integer NOT NULL DEFAULT -1,"
    "  title text,"
    "  input text,"
    "  body text NOT NULL,"
    "  priority integer NOT NULL DEFAULT 0,"
    "  metadata text,"
    "  content_sha text NOT NULL,"
    "  flags integer NOT NULL DEFAULT 0,"
    "  status text NOT NULL DEFAULT 'pending'"
    "    CHECK (status IN ('pending', 'claimed', 'decided', 'resolve')),"
    "  claimed_by text,"
    "  lease_until bigint NOT NULL DEFAULT 0,"
    "  lease_token bigint NOT NULL DEFAULT 0,"
    "  claimed_at bigint NOT NULL DEFAULT 0,"
    "  attempts integer NOT NULL DEFAULT 0,"
    "  reviews_needed integer NOT NULL DEFAULT 1,"
    "  reviews_done integer NOT NULL DEFAULT 0,"
    "  final_action text,"
    "  created_at bigint NOT NULL,"
    "  decided_at bigint"
    ")",
    /* Open drafts in claim order: the claim walks it and skips locked
     * rows (FOR UPDATE SKIP LOCKED); it stays as small as the backlog. */
    "CREATE INDEX drafts_open ON drafts(priority DESC, created_at, rid)"
    "  WHERE status IN ('pending', 'claimed', 'resolve')",
    "CREATE INDEX drafts_open_wf"
    "  ON drafts(workflow, priority DESC, created_at, rid)"
    "  WHERE status IN ('pending', 'claimed', 'resolve')",
    "CREATE INDEX drafts_by_status"
    "  ON drafts(status, priority DESC, created_at, rid)",
    "CREATE TABLE citations ("
    "  draft bigint NOT NULL REFERENCES drafts(rid) ON DELETE CASCADE,"
    "  ord integer NOT NULL,"
    "  n integer NOT NULL,"
    "  title text,"
    "  uri text,"
    "  excerpt text,"
    "  quote text,"
    "  PRIMARY KEY (draft, ord)"
    ")",
    "CREATE TABLE decisions ("
    "  seq bigint PRIMARY KEY,"
    "  draft text NOT NULL,"
    "  request_id text NOT NULL UNIQUE,"
    "  reviewer text NOT NULL,"
    "  action text NOT NULL,"
    "  kind text NOT NULL DEFAULT 'review',"
    "  reason text,"
    "  note text,"
    "  final_body text,"
    "  edit_size bigint NOT NULL DEFAULT 0,"
    "  body_sha text NOT NULL,"
    "  final_sha text,"
    "  shown_at bigint NOT NULL DEFAULT 0,"
    "  decided_at bigint NOT NULL,"
    "  active_ms bigint NOT NULL DEFAULT 0,"
    "  reverts_seq bigint NOT NULL DEFAULT 0,"
    "  prev_hash text NOT NULL,"
    "  hash text NOT NULL UNIQUE"
    ")",
    "CREATE INDEX decisions_by_reviewer ON decisions(reviewer, decided_at)",
    "CREATE INDEX decisions_by_draft ON decisions(draft, seq)",
    /* The chain head: one row, locked last by every append, so two servers
     * appending at once queue on it and the chain never forks. */
    "CREATE TABLE chain_head ("
    "  one boolean PRIMARY KEY DEFAULT true CHECK (one),"
    "  seq bigint NOT NULL,"
    "  hash text NOT NULL"
    ")",
    "INSERT INTO chain_head(seq, hash) VALUES (0, '" AUDIT_GENESIS "')",
    NULL,
};

/* v2: escalation is a step of its own: an escalated draft waits for a
 * supervisor's final decision (as on SQLite). */
static const char *const schema_v2[] = {
    "ALTER TABLE drafts DROP CONSTRAINT drafts_status_check",
    "ALTER TABLE drafts ADD CONSTRAINT drafts_status_check CHECK (status IN"
    " ('pending', 'claimed', 'decided', 'resolve', 'escalated'))",
    "DROP INDEX drafts_open",
    "DROP INDEX drafts_open_wf",
    "CREATE INDEX drafts_open ON drafts(priority DESC, created_at, rid)"
    "  WHERE status IN ('pending', 'claimed', 'resolve', 'escalated')",
    "CREATE INDEX drafts_open_wf"
    "  ON drafts(workflow, priority DESC, created_at, rid)"
    "  WHERE status IN ('pending', 'claimed', 'resolve', 'escalated')",
    "CREATE INDEX decisions_reverts ON decisions(reverts_seq)"
    "  WHERE reverts_seq > 0",
    NULL,
};

/* v3: the reject and escalate reason codes live in the queue (as on
 * SQLite, schema v12): the default set (workflow '') and a workflow's own
 * list, in id order. */
#define PG_X_REASON(code, label) "('', '" code "', '" label "'),"
static const char *const schema_v3[] = {
    "CREATE TABLE reasons ("
    "  id bigserial PRIMARY KEY,"
    "  workflow text NOT NULL,"
    "  code text NOT NULL,"
    "  label text NOT NULL,"
    "  UNIQUE (workflow, code)"
    ")",
    "INSERT INTO reasons(workflow, code, label) VALUES "
    SO_DEFAULT_REASONS(PG_X_REASON) "('', '', '')",
    "DELETE FROM reasons WHERE code = ''",
    NULL,
};
#undef PG_X_REASON

/* v4: the queue's API tokens (as on SQLite, schema v14: only the SHA-256
 * of a secret, prev_hash valid until prev_until after a rotation; every
 * server finds a presented secret by either hash on each request, so a
 * revocation holds at once on all of them) and the index that finds the
 * last admin record of one action (the access review). */
static const char *const schema_v4[] = {
    "CREATE TABLE tokens ("
    "  id text PRIMARY KEY,"
    "  hash text NOT NULL UNIQUE,"
    "  prev_hash text,"
    "  prev_until bigint NOT NULL DEFAULT 0,"
    "  reviewer text NOT NULL,"
    "  role text NOT NULL,"
    "  scope text,"
    "  note text,"
    "  created_by text,"
    "  created_at bigint NOT NULL,"
    "  expires_at bigint NOT NULL DEFAULT 0,"
    "  revoked_at bigint NOT NULL DEFAULT 0,"
    "  last_used_at bigint NOT NULL DEFAULT 0,"
    "  last_addr text,"
    "  made bigserial NOT NULL" /* insertion order (SQLite's rowid) */
    ")",
    "CREATE INDEX tokens_prev ON tokens(prev_hash) WHERE prev_hash IS NOT NULL",
    "CREATE INDEX decisions_admin ON decisions(reason, seq)"
    "  WHERE kind = 'admin'",
    NULL,
};

/* v5: the outcome feed and webhooks (as on SQLite, schema v7, v8 and v13).
 * One outcomes row per final outcome, written in the decision's
 * transaction; hooks, their deliveries (a row per hook and record, made by
 * the trigger in the record's own statement, so in its transaction) and
 * every attempt. A statement that appends to the chain notifies channel
 * signoff_events, delivered at its commit: a waiting feed reader (LISTEN)
 * on any server wakes at once. */
static const char *const schema_v5[] = {
    "CREATE TABLE outcomes ("
    "  seq bigint PRIMARY KEY,"
    "  draft text NOT NULL,"
    "  workflow text NOT NULL,"
    "  release_at bigint NOT NULL,"
    "  reverted_at bigint,"
    "  applied_seq bigint NOT NULL DEFAULT 0"
    ")",
    "CREATE INDEX outcomes_held ON outcomes(release_at)"
    "  WHERE reverted_at IS NULL",
    "CREATE INDEX outcomes_by_draft ON outcomes(draft, seq)",
    "CREATE INDEX outcomes_unapplied ON outcomes(workflow, release_at)"
    "  WHERE applied_seq = 0 AND reverted_at IS NULL",
    "CREATE INDEX outcomes_applied ON outcomes(workflow)"
    "  WHERE applied_seq > 0",
    /* outcomes decided before v5: released, and "before action records"
     * (applied_seq -1), so an upgrade raises no backlog */
    "INSERT INTO outcomes(seq, draft, workflow, release_at, applied_seq)"
    "  SELECT (SELECT max(seq) FROM decisions d WHERE d.draft = dr.id"
    "    AND d.action <> 'revert' AND NOT EXISTS (SELECT 1 FROM decisions r"
    "    WHERE r.reverts_seq = d.seq AND r.reverts_seq > 0)),"
    "  dr.id, dr.workflow, dr.decided_at, -1 FROM drafts dr"
    "  WHERE dr.status = 'decided' AND dr.final_action <> 'escalate'"
    "  AND EXISTS (SELECT 1 FROM decisions d WHERE d.draft = dr.id)",
    "CREATE TABLE hooks ("
    "  id bigserial PRIMARY KEY,"
    "  workflow text NOT NULL,"
    "  url text NOT NULL,"
    "  secret text NOT NULL,"
    "  events text NOT NULL DEFAULT 'outcome'"
    "    CHECK (events IN ('outcome', 'all')),"
    "  enabled integer NOT NULL DEFAULT 1,"
    "  auto_disabled integer NOT NULL DEFAULT 0,"
    "  disabled_reason text,"
    "  fail_streak integer NOT NULL DEFAULT 0,"
    "  max_failures integer NOT NULL DEFAULT 20,"
    "  retry_for_ms bigint NOT NULL DEFAULT 86400000,"
    "  allow_private integer NOT NULL DEFAULT 0,"
    "  created_at bigint NOT NULL"
    ")",
    "CREATE INDEX hooks_by_workflow ON hooks(workflow)",
    "CREATE TABLE deliveries ("
    "  id bigserial PRIMARY KEY,"
    "  hook bigint NOT NULL REFERENCES hooks(id),"
    "  seq bigint NOT NULL,"
    "  draft text NOT NULL,"
    "  state text NOT NULL DEFAULT 'pending',"
    "  attempts integer NOT NULL DEFAULT 0,"
    "  next_at bigint NOT NULL,"
    "  first_at bigint NOT NULL DEFAULT 0,"
    "  lease_until bigint NOT NULL DEFAULT 0,"
    "  lease_token bigint NOT NULL DEFAULT 0,"
    "  last_status integer,"
    "  last_error text,"
    "  delivered_at bigint,"
    "  UNIQUE (hook, seq)"
    ")",
    "CREATE INDEX deliveries_due ON deliveries(next_at, seq)"
    "  WHERE state = 'pending'",
    "CREATE INDEX deliveries_of_draft ON deliveries(hook, draft, seq)"
    "  WHERE state = 'pending'",
    "CREATE TABLE delivery_attempts ("
    "  id bigserial PRIMARY KEY,"
    "  delivery bigint NOT NULL,"
    "  hook bigint NOT NULL,"
    "  seq bigint NOT NULL,"
    "  draft text NOT NULL,"
    "  at bigint NOT NULL,"
    "  status integer NOT NULL,"
    "  ms bigint NOT NULL,"
    "  state text NOT NULL,"
    "  error text"
    ")",
    "CREATE INDEX delivery_attempts_by_hook ON delivery_attempts(hook, id)",
    "CREATE FUNCTION so_deliveries_ins() RETURNS trigger LANGUAGE plpgsql AS"
    " $$BEGIN"
    "  INSERT INTO deliveries(hook, seq, draft, next_at)"
    "    SELECT h.id, new.seq, new.draft, new.decided_at FROM hooks h"
    "    JOIN drafts d ON d.id = new.draft AND d.workflow = h.workflow"
    "    WHERE h.events = 'all' OR new.action <> 'escalate'"
    "    AND new.action <> 'applied';"
    "  RETURN NULL;"
    " END$$",
    "CREATE TRIGGER deliveries_ins AFTER INSERT ON decisions"
    "  FOR EACH ROW EXECUTE FUNCTION so_deliveries_ins()",
    "CREATE FUNCTION so_events_notify() RETURNS trigger LANGUAGE plpgsql AS"
    " $$BEGIN PERFORM pg_notify('signoff_events', ''); RETURN NULL; END$$",
    "CREATE TRIGGER events_notify AFTER INSERT ON decisions"
    "  FOR EACH STATEMENT EXECUTE FUNCTION so_events_notify()",
    NULL,
};

/* v6: the automation policy per workflow (automate.h; as on SQLite,
 * schema v15 and v16): the band, the sample share, the always-review
 * patterns, the sample seed (random, made when a policy is first set,
 * never shown); each draft's route at enqueue (0 human, 1 decided
 * automatically, 2 eligible but sampled for blind human review, 3 pulled
 * back by a pause); every change of the policy with who, when, the
 * readiness figure behind it and, when forced, the reason; the index the
 * automation's figures over a window are read by. */
static const char *const schema_v6[] = {
    "ALTER TABLE workflows ADD COLUMN automate integer NOT NULL DEFAULT 0"
    "  CHECK (automate IN (0, 1))",
    "ALTER TABLE workflows ADD COLUMN automate_from double precision"
    "  NOT NULL DEFAULT 1 CHECK (automate_from BETWEEN 0 AND 1)",
    "ALTER TABLE workflows ADD COLUMN sample_pct double precision"
    "  NOT NULL DEFAULT 0 CHECK (sample_pct BETWEEN 0 AND 100)",
    "ALTER TABLE workflows ADD COLUMN always_review text",
    "ALTER TABLE workflows ADD COLUMN sample_seed text",
    "ALTER TABLE drafts ADD COLUMN route integer NOT NULL DEFAULT 0",
    "CREATE TABLE policy_events ("
    "  id bigserial PRIMARY KEY,"
    "  workflow text NOT NULL,"
    "  automate integer NOT NULL,"
    "  automate_from double precision NOT NULL,"
    "  sample_pct double precision NOT NULL,"
    "  always_review text,"
    "  decided bigint NOT NULL,"
    "  upper double precision,"
    "  forced integer NOT NULL,"
    "  reason text,"
    "  by text NOT NULL,"
    "  at bigint NOT NULL"
    ")",
    "CREATE INDEX policy_events_by_workflow ON policy_events(workflow, id)",
    "CREATE INDEX drafts_routed ON drafts(workflow, route, decided_at)"
    "  WHERE status = 'decided' AND route > 0",
    NULL,
};

/* v7: the counters of stats, four-eyes agreement and auto-pause (as on
 * SQLite: rollup, rollup_hist, rollup_reasons, agreement, resolutions),
 * written in each decision's transaction and subtracted by undo. Every
 * key ends in a shard (PG_SHARDS of them, picked by the writing backend's
 * pid), so concurrent deciders on one day, workflow or reason write
 * different rows instead of queueing on one; reads sum over the shards.
 * model is '' and band -1 when unknown, as on SQLite. */
#define PG_COUNTER_KEY                                                         \
    "  day bigint NOT NULL, workflow text NOT NULL,"
static const char *const schema_v7[] = {
    "CREATE TABLE rollup (" PG_COUNTER_KEY
    "  model text NOT NULL, reviewer text NOT NULL, band integer NOT NULL,"
    "  shard smallint NOT NULL,"
    "  approved bigint NOT NULL DEFAULT 0, edited bigint NOT NULL DEFAULT 0,"
    "  rejected bigint NOT NULL DEFAULT 0,"
    "  escalated bigint NOT NULL DEFAULT 0,"
    "  fast_approvals bigint NOT NULL DEFAULT 0,"
    "  active_ms_sum bigint NOT NULL DEFAULT 0,"
    "  edit_words_sum bigint NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (day, workflow, model, reviewer, band, shard)"
    ")",
    "CREATE INDEX rollup_by_workflow ON rollup(workflow, day)",
    /* metric: 't' review time (ms), 'e' edit size (words). */
    "CREATE TABLE rollup_hist (" PG_COUNTER_KEY
    "  model text NOT NULL, reviewer text NOT NULL, band integer NOT NULL,"
    "  metric text NOT NULL CHECK (metric IN ('t', 'e')),"
    "  bucket integer NOT NULL, shard smallint NOT NULL,"
    "  count bigint NOT NULL,"
    "  PRIMARY KEY (day, workflow, model, reviewer, band, metric, bucket,"
    "   shard)"
    ")",
    "CREATE TABLE rollup_reasons (" PG_COUNTER_KEY
    "  reason text NOT NULL, shard smallint NOT NULL, count bigint NOT NULL,"
    "  PRIMARY KEY (day, workflow, reason, shard)"
    ")",
    /* Reviewer a < b in strcmp order. */
    "CREATE TABLE agreement (" PG_COUNTER_KEY
    "  reviewer_a text NOT NULL, reviewer_b text NOT NULL,"
    "  action_a text NOT NULL, action_b text NOT NULL,"
    "  shard smallint NOT NULL, n bigint NOT NULL,"
    "  PRIMARY KEY (day, workflow, reviewer_a, reviewer_b, action_a,"
    "   action_b, shard)"
    ")",
    "CREATE TABLE resolutions (" PG_COUNTER_KEY
    "  shard smallint NOT NULL, resolved bigint NOT NULL,"
    "  sided_ai bigint NOT NULL,"
    "  PRIMARY KEY (day, workflow, shard)"
    ")",
    NULL,
};
#undef PG_COUNTER_KEY

/* v8: decisions recorded per workflow and action, ever: the counters of
 * /metrics (as on SQLite, schema v6), kept by a trigger in the record's
 * own statement; they only grow, an undo counted as its own action. Keyed
 * by shard like the rollup (v7): the trigger adds to its connection's
 * shard, so one busy workflow is not one row every decision waits on. */
static const char *const schema_v8[] = {
    "CREATE TABLE decision_counts ("
    "  workflow text NOT NULL, action text NOT NULL,"
    "  shard smallint NOT NULL, n bigint NOT NULL,"
    "  PRIMARY KEY (workflow, action, shard)"
    ")",
    "INSERT INTO decision_counts(workflow, action, shard, n)"
    "  SELECT d.workflow, x.action, 0, count(*) FROM decisions x"
    "  JOIN drafts d ON d.id = x.draft GROUP BY d.workflow, x.action",
    "CREATE FUNCTION so_decision_counts_ins() RETURNS trigger"
    " LANGUAGE plpgsql AS $$BEGIN"
    " INSERT INTO decision_counts(workflow, action, shard, n)"
    " SELECT workflow, NEW.action, " PG_SHARD ", 1 FROM drafts"
    " WHERE id = NEW.draft ON CONFLICT (workflow, action, shard)"
    " DO UPDATE SET n = decision_counts.n + 1; RETURN NULL; END$$",
    "CREATE TRIGGER decision_counts_ins AFTER INSERT ON decisions"
    "  FOR EACH ROW EXECUTE FUNCTION so_decision_counts_ins()",
    NULL,
};

/* v9: cost and service levels (issue 16 part 4; as on SQLite, schema
 * v18): each draft's reported cost (millionths of currency), tokens and
 * time to generate; each workflow's currency, hourly rate, SLA and alert
 * share; each outcome's reviewing time and cost and whether it missed the
 * SLA, as counted (for the rollup's columns of SO_ROLLUP_COST_LIST: v10);
 * the open drafts by age per workflow. */
static const char *const schema_v9[] = {
    "ALTER TABLE drafts ADD COLUMN cost_micros bigint",
    "ALTER TABLE drafts ADD COLUMN currency text",
    "ALTER TABLE drafts ADD COLUMN tokens bigint",
    "ALTER TABLE drafts ADD COLUMN latency_ms bigint",
    "ALTER TABLE workflows ADD COLUMN currency text NOT NULL DEFAULT 'USD'",
    "ALTER TABLE workflows ADD COLUMN hourly_rate double precision NOT NULL"
    "  DEFAULT 0 CHECK (hourly_rate >= 0)",
    "ALTER TABLE workflows ADD COLUMN sla_ms bigint NOT NULL DEFAULT 0"
    "  CHECK (sla_ms >= 0)",
    "ALTER TABLE workflows ADD COLUMN sla_alert double precision NOT NULL"
    "  DEFAULT 0.1 CHECK (sla_alert >= 0 AND sla_alert <= 1)",
    "ALTER TABLE outcomes ADD COLUMN human_ms bigint NOT NULL DEFAULT 0",
    "ALTER TABLE outcomes ADD COLUMN human_cost bigint NOT NULL DEFAULT 0",
    "ALTER TABLE outcomes ADD COLUMN sla_missed integer NOT NULL DEFAULT -1",
    "CREATE INDEX drafts_open_age ON drafts(workflow, created_at)"
    "  WHERE status <> 'decided'",
    NULL,
};

/* v10: the cost and latency figures of the rollup (as on SQLite, schema
 * v18): each cell gains the task sums of SO_ROLLUP_COST_LIST, sharded
 * like its counts, and the histograms 'd' (enqueue to final decision) and
 * 'a' (enqueue to action record). */
#define V10_ADD(c) "ALTER TABLE rollup ADD COLUMN " #c                         \
                   " bigint NOT NULL DEFAULT 0",
static const char *const schema_v10[] = {
    SO_ROLLUP_COST_LIST(V10_ADD)
    "ALTER TABLE rollup_hist DROP CONSTRAINT rollup_hist_metric_check",
    "ALTER TABLE rollup_hist ADD CONSTRAINT rollup_hist_metric_check"
    "  CHECK (metric IN ('t', 'e', 'd', 'a'))",
    NULL,
};
#undef V10_ADD

/* v11: gold checks (gold.h; as on SQLite, schema v19): the pool of
 * known-answer drafts with their answers (a draft's JSON as `gold add`
 * took it; released_at set when mixed into the human queue, a drafts row
 * made), each person's decision on a released one with whether it matched
 * (one row per record, keyed by its seq: no counter row to shard), and per
 * workflow the mix rate, the accuracy bar and the share accumulated toward
 * the next release. The columns are SQLite's, for `signoff copy`. */
static const char *const schema_v11[] = {
    "CREATE TABLE gold ("
    "  id bigserial PRIMARY KEY,"
    "  draft_id text NOT NULL UNIQUE,"
    "  workflow text NOT NULL,"
    "  draft text NOT NULL,"
    "  expected text NOT NULL"
    "    CHECK (expected IN ('approve', 'edit', 'reject', 'escalate')),"
    "  reasons text,"
    "  added_by text NOT NULL,"
    "  added_at bigint NOT NULL,"
    "  released_at bigint"
    ")",
    "CREATE INDEX gold_pool ON gold(workflow, id) WHERE released_at IS NULL",
    "CREATE TABLE gold_answers ("
    "  seq bigint PRIMARY KEY,"
    "  draft_id text NOT NULL,"
    "  workflow text NOT NULL,"
    "  reviewer text NOT NULL,"
    "  action text NOT NULL,"
    "  reason text,"
    "  correct integer NOT NULL CHECK (correct IN (0, 1)),"
    "  at bigint NOT NULL"
    ")",
    "CREATE INDEX gold_answers_at ON gold_answers(at, workflow, reviewer)",
    "ALTER TABLE workflows ADD COLUMN gold_pct double precision NOT NULL"
    "  DEFAULT 0 CHECK (gold_pct >= 0 AND gold_pct <= 50)",
    "ALTER TABLE workflows ADD COLUMN gold_bar double precision NOT NULL"
    "  DEFAULT 0.9 CHECK (gold_bar >= 0 AND gold_bar <= 1)",
    "ALTER TABLE workflows ADD COLUMN gold_due double precision NOT NULL"
    "  DEFAULT 0",
    NULL,
};

/* v12: the two triggers on decisions run once per statement over its new
 * rows (a transition table) instead of once per row: an enqueue batch's
 * automatic approvals are one INSERT of up to 500 records (chain.c), and
 * a trigger per row was a function call and a query per record. The same
 * rows come out: the counters add each (workflow, action)'s count, the
 * deliveries are one per hook of the draft's workflow, in seq order (none
 * asked for when the queue has no hook). */
static const char *const schema_v12[] = {
    "DROP TRIGGER decision_counts_ins ON decisions",
    "DROP TRIGGER deliveries_ins ON decisions",
    "CREATE OR REPLACE FUNCTION so_decision_counts_ins() RETURNS trigger"
    " LANGUAGE plpgsql AS $$BEGIN"
    " INSERT INTO decision_counts(workflow, action, shard, n)"
    " SELECT d.workflow, x.action, " PG_SHARD ", count(*)"
    " FROM new_decisions x JOIN drafts d ON d.id = x.draft"
    " GROUP BY d.workflow, x.action ON CONFLICT (workflow, action, shard)"
    " DO UPDATE SET n = decision_counts.n + excluded.n; RETURN NULL; END$$",
    "CREATE TRIGGER decision_counts_ins AFTER INSERT ON decisions"
    "  REFERENCING NEW TABLE AS new_decisions"
    "  FOR EACH STATEMENT EXECUTE FUNCTION so_decision_counts_ins()",
    "CREATE OR REPLACE FUNCTION so_deliveries_ins() RETURNS trigger"
    " LANGUAGE plpgsql AS $$BEGIN"
    " IF EXISTS (SELECT 1 FROM hooks) THEN"
    "  INSERT INTO deliveries(hook, seq, draft, next_at)"
    "    SELECT h.id, x.seq, x.draft, x.decided_at FROM new_decisions x"
    "    JOIN drafts d ON d.id = x.draft JOIN hooks h ON h.workflow = d.workflow"
    "    WHERE h.events = 'all' OR x.action <> 'escalate'"
    "    AND x.action <> 'applied' ORDER BY x.seq, h.id;"
    " END IF; RETURN NULL; END$$",
    "CREATE TRIGGER deliveries_ins AFTER INSERT ON decisions"
    "  REFERENCING NEW TABLE AS new_decisions"
    "  FOR EACH STATEMENT EXECUTE FUNCTION so_deliveries_ins()",
    NULL,
};

static const char *const *const steps[] = {NULL, schema_v1, schema_v2,
                                           schema_v3, schema_v4, schema_v5,
                                           schema_v6, schema_v7, schema_v8,
                                           schema_v9, schema_v10, schema_v11,
                                           schema_v12};

_Static_assert(sizeof steps / sizeof steps[0] == PG_SCHEMA_VERSION + 1,
               "one migration step per schema version");

static const char sql_tables[] =
    "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname ="
    " current_schema()";
static const char sql_has_meta[] =
    "SELECT to_regclass('so_meta') IS NOT NULL";
static const char sql_version[] =
    "SELECT value::integer FROM so_meta WHERE key = 'schema_version'";
static const char sql_set_version[] =
    "INSERT INTO so_meta(key, value) VALUES ('schema_version', $1)"
    " ON CONFLICT (key) DO UPDATE SET value = excluded.value";
/* Servers starting at once migrate one after the other. */
static const char sql_lock[] = "SELECT pg_advisory_xact_lock(7366111)";

static enum so_status one_int(struct pgq *p, const char *sql, int64_t *v,
                              struct so_error *err)
{
    PGresult *r;
    enum so_status code = pg_run(p, sql, NULL, &r, err);
    if (code != SO_OK)
        return code;
    *v = PQntuples(r) ? (PQgetvalue(r, 0, 0)[0] == 't' ? 1 : pg_int(r, 0, 0))
                      : 0;
    PQclear(r);
    return SO_OK;
}

static enum so_status read_version(struct pgq *p, int64_t *version,
                                   int64_t *tables, struct so_error *err)
{
    int64_t meta = 0;
    *version = 0;
    enum so_status code = one_int(p, sql_tables, tables, err);
    if (code == SO_OK)
        code = one_int(p, sql_has_meta, &meta, err);
    if (code == SO_OK && meta)
        code = one_int(p, sql_version, version, err);
    return code;
}

struct migrate_ctx {
    int create;
};

static enum so_status migrate(struct pgq *p, void *ctx, struct so_error *err)
{
    const struct migrate_ctx *m = ctx;
    int64_t version, tables;
    enum so_status code = pg_run(p, sql_lock, NULL, NULL, err);
    if (code == SO_OK)
        code = read_version(p, &version, &tables, err);
    if (code != SO_OK)
        return code;
    if (version > PG_SCHEMA_VERSION)
        return so_fail(err, SO_ERR_SCHEMA,
                       "%s: created by a newer signoff (schema %lld; this one "
                       "reads up to %d)",
                       p->spec, (long long)version, PG_SCHEMA_VERSION);
    if (version == 0 && tables > 0)
        return so_fail(err, SO_ERR_CORRUPT,
                       "%s: not a signoff queue (the database has other "
                       "tables)",
                       p->spec);
    if (version == 0 && !m->create)
        return so_fail(err, SO_ERR_NOTFOUND,
                       "%s: no such queue (create it with signoff init)",
                       p->spec);
    for (int64_t v = version + 1; v <= PG_SCHEMA_VERSION; v++) {
        for (const char *const *s = steps[v]; *s && code == SO_OK; s++)
            code = pg_cmd(p, *s, err);
        struct pg_args a = {0};
        pg_arg_int(&a, v);
        if (code == SO_OK)
            code = pg_run(p, sql_set_version, &a, NULL, err);
    }
    return code;
}

enum so_status pg_schema_open(struct pgq *p, int create, struct so_error *err)
{
    struct migrate_ctx m = {create};
    return pg_tx(p, migrate, &m, err);
}
