-- The floor of bench/pg.sh: one claim+decide as the PostgreSQL store runs
-- it (src/store/pg/lease.c and decide.c), by pgbench with no C around it:
-- the claim (SKIP LOCKED, its own transaction, synchronous_commit off),
-- then the decision: the draft row locked, the request id looked up, the
-- draft marked, the chain head locked last, the record appended (hashed
-- by the database's sha256), the head moved.
BEGIN;
SET LOCAL synchronous_commit = off;
WITH c AS MATERIALIZED (SELECT rid FROM drafts WHERE status IN ('pending', 'claimed', 'escalated') AND (status = 'pending' OR (status = 'claimed' AND lease_until < (extract(epoch from clock_timestamp()) * 1000)::bigint)) ORDER BY priority DESC, created_at, rid LIMIT 1 FOR UPDATE SKIP LOCKED) UPDATE drafts d SET status = 'claimed', claimed_by = 'pgbench', lease_until = (extract(epoch from clock_timestamp()) * 1000)::bigint + 600000, lease_token = lease_token + 1, attempts = attempts + 1, claimed_at = (extract(epoch from clock_timestamp()) * 1000)::bigint FROM c WHERE d.rid = c.rid RETURNING d.rid \gset
COMMIT;
BEGIN;
SELECT rid, status, claimed_by, lease_until, lease_token, claimed_at, (extract(epoch from clock_timestamp()) * 1000)::bigint AS now FROM drafts WHERE rid = :rid FOR UPDATE;
SELECT count(*) FROM decisions WHERE request_id = 'pgb-' || :rid;
SELECT id, body FROM drafts WHERE rid = :rid;
UPDATE drafts SET status = 'decided', final_action = 'approve', decided_at = (extract(epoch from clock_timestamp()) * 1000)::bigint, reviews_done = reviews_done + 1, lease_until = 0 WHERE rid = :rid;
SELECT seq, hash FROM chain_head WHERE one FOR UPDATE;
INSERT INTO decisions(seq, draft, request_id, reviewer, action, kind, edit_size, body_sha, final_sha, shown_at, decided_at, active_ms, prev_hash, hash) SELECT h.seq + 1, d.id, 'pgb-' || :rid, 'pgbench', 'approve', 'review', 0, encode(sha256(convert_to(d.body, 'UTF8')), 'hex'), encode(sha256(convert_to(d.body, 'UTF8')), 'hex'), 0, d.decided_at, 4000, h.hash, encode(sha256(convert_to(h.hash || d.id, 'UTF8')), 'hex') FROM chain_head h, drafts d WHERE h.one AND d.rid = :rid;
UPDATE chain_head SET seq = seq + 1, hash = (SELECT hash FROM decisions WHERE seq = chain_head.seq + 1) WHERE one;
COMMIT;
