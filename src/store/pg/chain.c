/*
 * store_pg_chain: the audit chain's append on the PostgreSQL store (see
 * chain.h). Every append goes through the one head row, so two servers
 * appending at once queue on it and the chain never forks; PRIMARY
 * KEY(seq) and UNIQUE(hash) are the backstops.
 */
#include "signoff/store/pg/chain.h"

#include <stdlib.h>
#include <string.h>

#include "signoff/audit.h"

static const char sql_head[] =
    "SELECT seq, hash FROM chain_head WHERE one FOR UPDATE";

static const char sql_insert[] =
    "INSERT INTO decisions(seq, draft, request_id, reviewer, action, kind,"
    " reason, note, final_body, edit_size, body_sha, final_sha, shown_at,"
    " decided_at, active_ms, reverts_seq, prev_hash, hash)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
    " $15, $16, $17, $18)";

/* A run's records in one statement: each parameter an array of one
 * column (pg_chain_run.cols). */
static const char sql_insert_many[] =
    "INSERT INTO decisions(seq, draft, request_id, reviewer, action, kind,"
    " reason, note, final_body, edit_size, body_sha, final_sha, shown_at,"
    " decided_at, active_ms, reverts_seq, prev_hash, hash)"
    " SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[],"
    " $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],"
    " $10::bigint[], $11::text[], $12::text[], $13::bigint[], $14::bigint[],"
    " $15::bigint[], $16::bigint[], $17::text[], $18::text[])";

static const char sql_set_head[] =
    "UPDATE chain_head SET seq = $1, hash = $2 WHERE one";

/* Add one record's parameters to the run's column arrays, each value an
 * element of the array literal (quoted, " and \\ escaped; NULL bare). */
static void keep(struct pg_chain_run *run, const struct pg_args *a)
{
    for (int i = 0; i < PG_CHAIN_COLS; i++) {
        struct buf *b = &run->cols[i];
        buf_addc(b, run->kept ? ',' : '{');
        if (!a->v[i]) {
            buf_adds(b, "NULL");
            continue;
        }
        buf_addc(b, '"');
        for (const char *c = a->v[i]; *c; c++) {
            if (*c == '"' || *c == '\\')
                buf_addc(b, '\\');
            buf_addc(b, *c);
        }
        buf_addc(b, '"');
    }
    run->kept++;
}

/* Insert the records kept so far in one statement. */
static enum so_status flush(struct pgq *p, struct pg_chain_run *run,
                            struct so_error *err)
{
    if (!run->kept)
        return SO_OK;
    struct pg_args a = {0};
    char *v[PG_CHAIN_COLS];
    for (int i = 0; i < PG_CHAIN_COLS; i++) {
        buf_addc(&run->cols[i], '}');
        v[i] = buf_steal(&run->cols[i]);
        pg_arg_text(&a, v[i]);
    }
    run->kept = 0;
    enum so_status code = pg_run(p, sql_insert_many, &a, NULL, err);
    for (int i = 0; i < PG_CHAIN_COLS; i++)
        free(v[i]);
    return code;
}

enum so_status pg_chain_append_in(struct pgq *p, struct pg_chain_run *run,
                                  struct so_decision *d, struct so_error *err)
{
    if (!run->held) {
        PGresult *r;
        enum so_status code = pg_run(p, sql_head, NULL, &r, err);
        if (code != SO_OK)
            return code;
        run->seq = pg_int(r, 0, 0);
        pg_buf(r, 0, 1, run->hash, sizeof run->hash);
        PQclear(r);
        run->held = 1;
    }
    d->seq = run->seq + 1;
    memcpy(d->prev_hash, run->hash, sizeof d->prev_hash);
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
    enum so_status code = SO_OK;
    if (run->batch)
        keep(run, &a);
    else
        code = pg_run(p, sql_insert, &a, NULL, err);
    if (code == SO_OK && run->kept == PG_CHAIN_BATCH)
        code = flush(p, run, err);
    if (code != SO_OK)
        return code;
    run->seq = d->seq;
    memcpy(run->hash, d->hash, sizeof run->hash);
    run->moved = 1;
    return SO_OK;
}

enum so_status pg_chain_run_end(struct pgq *p, struct pg_chain_run *run,
                                struct so_error *err)
{
    enum so_status code = flush(p, run, err);
    if (code != SO_OK || !run->moved)
        return code;
    struct pg_args h = {0};
    pg_arg_int(&h, run->seq);
    pg_arg_text(&h, run->hash);
    run->moved = 0;
    return pg_run(p, sql_set_head, &h, NULL, err);
}

enum so_status pg_chain_append(struct pgq *p, struct so_decision *d,
                               struct so_error *err)
{
    struct pg_chain_run run = {0};
    enum so_status code = pg_chain_append_in(p, &run, d, err);
    return code == SO_OK ? pg_chain_run_end(p, &run, err) : code;
}

void pg_chain_run_clear(struct pg_chain_run *run)
{
    for (int i = 0; i < PG_CHAIN_COLS; i++)
        free(buf_steal(&run->cols[i]));
    run->kept = 0;
}
