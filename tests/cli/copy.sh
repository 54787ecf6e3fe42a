#!/bin/bash
# signoff copy between queue files (tests/pg/copy.sh round-trips through
# PostgreSQL): the demo queue copied to a new file has every table row for
# row, the same chain head, verify holds; a non-empty target, a served
# queue, the same queue twice and a missing option are refused, and a
# refused copy leaves the target as it was.
. "$(dirname "$0")/../lib.sh"
DEMO=$T/demo.db
"$SO" demo --queue "$DEMO" --no-ui --seed 5 >/dev/null 2>&1
ndrafts=$(sql "$DEMO" 'SELECT count(*) FROM drafts')
ndec=$(sql "$DEMO" 'SELECT count(*) FROM decisions')
head=$(sql "$DEMO" "SELECT value FROM meta WHERE key = 'chain_hash'")

so copy --from "$DEMO" --to "$T/sub/copy.db"
check_eq "file to a new file: exit 0, nothing left behind" "0 " "$RC $ERR"
check_eq "file to a new file: what was copied" \
    "copied $DEMO to $T/sub/copy.db: $ndrafts drafts, $ndec decisions, 4 workflows ($(sql "$T/sub/copy.db" "SELECT (SELECT count(*) FROM workflows) + (SELECT count(*) FROM reasons) + (SELECT count(*) FROM workflow_events) + (SELECT count(*) FROM policy_events) + (SELECT count(*) FROM drafts) + (SELECT count(*) FROM citations) + (SELECT count(*) FROM decisions) + (SELECT count(*) FROM outcomes) + (SELECT count(*) FROM rollup) + (SELECT count(*) FROM rollup_hist) + (SELECT count(*) FROM rollup_reasons) + (SELECT count(*) FROM agreement) + (SELECT count(*) FROM resolutions)") rows); chain head seq $ndec, $head" \
    "$OUT"
so verify --queue "$T/sub/copy.db"
check_contains "verify on the copy: the same head" "audit chain ok: $ndec decisions (seq 1..$ndec), head $head" "$OUT"
for t in workflows reasons policy_events drafts citations decisions outcomes rollup rollup_hist rollup_reasons rollup_wf decision_counts; do
    check_eq "$t: row for row the same" "$(sql "$DEMO" "SELECT * FROM $t ORDER BY 1, 2, 3" | md5sum)" \
        "$(sql "$T/sub/copy.db" "SELECT * FROM $t ORDER BY 1, 2, 3" | md5sum)"
done
check_eq "draft_counts, kept by the file's triggers, rebuilt" \
    "$(sql "$DEMO" 'SELECT * FROM draft_counts WHERE n > 0 ORDER BY 1, 2')" \
    "$(sql "$T/sub/copy.db" 'SELECT * FROM draft_counts WHERE n > 0 ORDER BY 1, 2')"
so stats --queue "$DEMO" --format json
stats=$OUT
so stats --queue "$T/sub/copy.db" --format json
check_eq "stats read the same from the copy" "$stats" "$OUT"

before=$(sql "$T/sub/copy.db" 'SELECT count(*) FROM decisions')
so copy --from "$DEMO" --to "$T/sub/copy.db"
check_eq "a non-empty target: exit 1" 1 "$RC"
check_eq "a non-empty target: said so" \
    "signoff: copy: $T/sub/copy.db: not empty ($ndrafts drafts, $ndec decisions): copy into a new queue" "$ERR"
check_eq "a non-empty target: left as it was" "$before" "$(sql "$T/sub/copy.db" 'SELECT count(*) FROM decisions')"
so copy --from "$DEMO" --to http://127.0.0.1:9/
check_eq "a served queue: a usage error" 2 "$RC"
check_contains "a served queue: copied where it is stored" "--to: a served queue is copied where it is stored" "$ERR"
so copy --from "$DEMO" --to "$DEMO"
check_contains "the same queue twice: refused" "--from and --to name the same queue" "$ERR"
so copy --from "$DEMO"
check_eq "no --to: usage error" "2" "$RC"
check_contains "no --to: said so" "both --from and --to are required" "$ERR"
so copy --from "$T/none.db" --to "$T/x.db"
check_contains "a missing source: named" "--from: $T/none.db: no such queue" "$ERR"
check "a missing source: no target made" test ! -e "$T/x.db"
