/*
 * store_pg_chain: the audit chain's append on the PostgreSQL store (see
 * chain.h). Every append goes through the one head row, so two servers
 * appending at once queue on it and the chain never forks; PRIMARY
 * KEY(seq) and UNIQUE(hash) are the backstops.
 */
#include "signoff/store/pg/chain.h"

#include "signoff/audit.h"

static const char sql_head[] =
    "SELECT seq, hash FROM chain_head WHERE one FOR UPDATE";

static const char sql_insert[] =
    "INSERT INTO decisions(seq, draft, request_id, reviewer, action, kind,"
    " reason, note, final_body, edit_size, body_sha, final_sha, shown_at,"
    " decided_at, active_ms, reverts_seq, prev_hash, hash)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
    " $15, $16, $17, $18)";

static const char sql_set_head[] =
    "UPDATE chain_head SET seq = $1, hash = $2 WHERE one";

enum so_status pg_chain_append(struct pgq *p, struct so_decision *d,
                               struct so_error *err)
{
    PGresult *r;
    enum so_status code = pg_run(p, sql_head, NULL, &r, err);
    if (code != SO_OK)
        return code;
    d->seq = pg_int(r, 0, 0) + 1;
    pg_buf(r, 0, 1, d->prev_hash, sizeof d->prev_hash);
    PQclear(r);
    if (!d->request_id) /* an admin record: admin-SEQ (admin.h) */
        d->request_id = xasprintf("%s-%lld", d->kind, (long long)d->seq);
    audit_record_hash(d->prev_hash, d, d->hash);
    struct pg_args a = {0};
    pg_arg_int(&a, d->seq);
    pg_arg_text(&a, d->draft_id);
    pg_arg_text(&a, d->request_id);
    pg_arg_text(&a, d->reviewer);
    pg_arg_text(&a, so_action_name(d->action));
    pg_arg_text(&a, d->kind);
    pg_arg_text(&a, d->reason && *d->reason ? d->reason : NULL);
    pg_arg_text(&a, d->note && *d->note ? d->note : NULL);
    pg_arg_text(&a, d->final_body);
    pg_arg_int(&a, d->edit_size);
    pg_arg_text(&a, d->body_sha);
    pg_arg_text(&a, d->final_sha[0] ? d->final_sha : NULL);
    pg_arg_int(&a, d->shown_at);
    pg_arg_int(&a, d->decided_at);
    pg_arg_int(&a, d->active_ms);
    pg_arg_int(&a, d->reverts_seq);
    pg_arg_text(&a, d->prev_hash);
    pg_arg_text(&a, d->hash);
    code = pg_run(p, sql_insert, &a, NULL, err);
    if (code != SO_OK)
        return code;
    struct pg_args h = {0};
    pg_arg_int(&h, d->seq);
    pg_arg_text(&h, d->hash);
    return pg_run(p, sql_set_head, &h, NULL, err);
}
