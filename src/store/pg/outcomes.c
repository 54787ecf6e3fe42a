/*
 * store_pg_outcomes: the outcomes rows of the PostgreSQL store (see
 * outcomes.h), written in the transaction of the decision or undo that
 * makes them. Only SQL; what a fact means is outcome.h's.
 */
#include "signoff/store/pg/outcomes.h"

#include <stdlib.h>

#include "signoff/outcome.h"

static const char sql_release_after[] =
    "SELECT release_after_ms FROM workflows WHERE name = $1";

static const char sql_outcome_ins[] =
    "INSERT INTO outcomes(seq, draft, workflow, release_at)"
    " VALUES ($1, $2, $3, $4)";

/* Records already appended, each with its release time: the draft and the
 * workflow are theirs. */
static const char sql_outcome_many[] =
    "INSERT INTO outcomes(seq, draft, workflow, release_at)"
    " SELECT d.seq, d.draft, dr.workflow, r.at"
    " FROM unnest($1::bigint[], $2::bigint[]) AS r(seq, at)"
    " JOIN decisions d ON d.seq = r.seq JOIN drafts dr ON dr.id = d.draft";

static const char sql_outcome_of[] =
    "SELECT applied_seq FROM outcomes WHERE seq = $1";

static const char sql_outcome_revert[] =
    "UPDATE outcomes SET reverted_at = $2 WHERE seq = $1";

enum so_status pg_outcome_record(struct pgq *p, const struct so_decision *d,
                                 const char *workflow, struct so_error *err)
{
    struct pg_args w = {0}, a = {0};
    int64_t after;
    pg_arg_text(&w, workflow);
    enum so_status code =
        pg_one_int(p, sql_release_after, &w, &after, NULL, err);
    if (code != SO_OK)
        return code;
    pg_arg_int(&a, d->seq);
    pg_arg_text(&a, d->draft_id);
    pg_arg_text(&a, workflow);
    pg_arg_int(&a, outcome_release_at(d->decided_at, after));
    return pg_run(p, sql_outcome_ins, &a, NULL, err);
}

enum so_status pg_outcome_may_undo(struct pgq *p, const struct so_decision *orig,
                                  struct so_error *err)
{
    struct pg_args a = {0};
    int64_t applied;
    pg_arg_int(&a, orig->seq);
    enum so_status code =
        pg_one_int(p, sql_outcome_of, &a, &applied, NULL, err);
    return code == SO_OK ? outcome_may_undo(orig->draft_id, applied, err)
                         : code;
}

enum so_status pg_outcome_reverted(struct pgq *p, int64_t seq, int64_t at,
                                  struct so_error *err)
{
    struct pg_args a = {0};
    pg_arg_int(&a, seq);
    pg_arg_int(&a, at);
    return pg_run(p, sql_outcome_revert, &a, NULL, err);
}

/* "{a,b,...}": n integers as a bigint[] parameter. Caller frees. */
static char *int_array(const int64_t *v, size_t n)
{
    struct buf b;
    buf_init(&b);
    buf_addc(&b, '{');
    for (size_t i = 0; i < n; i++)
        buf_addf(&b, "%s%lld", i ? "," : "", (long long)v[i]);
    buf_addc(&b, '}');
    return buf_steal(&b);
}

enum so_status pg_outcome_record_many(struct pgq *p, const int64_t *seqs,
                                      const int64_t *release_at, size_t n,
                                      struct so_error *err)
{
    if (!n)
        return SO_OK;
    struct pg_args a = {0};
    char *s = int_array(seqs, n), *r = int_array(release_at, n);
    pg_arg_text(&a, s);
    pg_arg_text(&a, r);
    enum so_status code = pg_run(p, sql_outcome_many, &a, NULL, err);
    free(s);
    free(r);
    return code;
}
