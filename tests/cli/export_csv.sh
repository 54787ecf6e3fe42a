#!/bin/bash
# export --format csv carries the text itself: Python's csv module gives
# back exactly the stored bytes of 40 tricky final bodies and of notes
# (quotes, commas, CR, LF, CRLF, leading and trailing spaces, tabs,
# accents, emoji, bidi controls, ESC), where the export used to hold JSON
# escapes; ISO 8601 UTC columns stand beside the epoch milliseconds, in CSV
# and JSON Lines; CSV is never written to a terminal; the export verifies.
. "$(dirname "$0")/../lib.sh"
test_queue q || exit 0
export SIGNOFF_QUEUE=$Q SIGNOFF_NOW_MS=1795514400123 # 2026-11-24T10:00:00.123Z
so init
python3 - "$T" <<'PY'
import json, os, sys
t = sys.argv[1]
tricky = [
    'he said "no"', 'café', 'line one\nline two', 'crlf\r\nend', 'lone cr\rend',
    ' leading space', 'trailing space ', 'a,b,c', '"', '""', ',', '"quoted, comma"',
    'tab\there', 'emoji \U0001F600 and ZWJ \U0001F469\u200d\U0001F4BB', 'bidi \u202eevil\u202c',
    'isolate \u2067x\u2069', 'ESC \x1b[31mred\x1b[0m', 'BEL \x07 and DEL \x7f',
    'backslash \\ and \\n literally', 'json escape \\u00e9 literally', 'CJK \u6f22\u5b57',
    'combining e\u0301', 'nbsp\u00a0here', 'zero width\u200bspace', 'BOM \ufeff inside',
    '\nafter a leading LF', '\r\nafter a leading CRLF', 'ends with newline\n', '=SUM(A1:A2)', '+1', '-1', '@cmd',
    'single \'quote\'', 'semi;colon', 'pipe|bar', 'many\n\n\nblank lines',
    'quote at end"', '"quote at start', 'mixed "q", comma\nand newline', 'plain',
]
assert len(tricky) == 40
with open(os.path.join(t, "in.jsonl"), "w") as f:
    for i in range(40):
        f.write(json.dumps({"id": "X-%02d" % i, "workflow": "w", "body": "draft %d" % i}) + "\n")
for i, s in enumerate(tricky):
    with open(os.path.join(t, "body.%d" % i), "wb") as f:
        f.write(s.encode("utf-8"))
PY
so enqueue "$T/in.jsonl"
check_eq "enqueue 40 drafts" 0 "$RC"
failed=0
for i in $(seq 0 39); do
    id=$(printf 'X-%02d' "$i")
    run "$SO" decide "$id" edit --body-file "$T/body.$i" \
        --note $'he said "no", caf\xc3\xa9\nsecond line'
    [ "$RC" = 0 ] || { failed=$((failed + 1)); echo "# $id: $ERR"; }
done
check_eq "40 edits with tricky final bodies" 0 "$failed"

so export --format csv --output "$T/audit.csv"
check_eq "export --format csv" 0 "$RC"
SIGNOFF_TESTS=$TOP/tests run python3 - "$T/audit.csv" "$SIGNOFF_QUEUE" <<'PY'
import csv, os, sys
sys.path.insert(0, os.environ["SIGNOFF_TESTS"])
from qrows import rows as qrows
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8",
                                errors="surrogateescape"), strict=True))
want = qrows(sys.argv[2], "SELECT final_body, note FROM decisions ORDER BY seq")
b = lambda s: s.encode("utf-8", "surrogateescape") if s else None
same_body = sum(b(r["final_body"]) == w[0] for r, w in zip(rows, want))
same_note = sum(b(r["note"]) == w[1] for r, w in zip(rows, want))
print(len(rows), same_body, same_note)
print(rows[1]["note"])  # row 0: the admin record of workflow w
PY
check_eq "python csv: every final body and note is the stored text" \
    "41 41 41" "$(printf '%s\n' "$OUT" | head -1)"
check_eq "python csv: a note with quotes, comma, accent and a newline" \
    $'he said "no", café\nsecond line' "$(printf '%s\n' "$OUT" | tail -n +2)"
check_eq "csv: every record ends in CRLF" "CRLF" \
    "$(tail -c 2 "$T/audit.csv" | od -An -c | tr -d ' ' | sed 's/\\r\\n/CRLF/')"
run python3 -c '
import csv, sys
r = list(csv.DictReader(open(sys.argv[1], newline="")))[1]
print(r["decided_at"], r["decided_at_utc"], r["shown_at_utc"])' "$T/audit.csv"
check_eq "csv: ISO 8601 UTC beside the epoch ms" \
    "1795514400123 2026-11-24T10:00:00.123Z 2026-11-24T10:00:00.123Z" "$OUT"
so export
check_contains "jsonl: decided_at_utc beside decided_at" \
    '"decided_at":1795514400123,"decided_at_utc":"2026-11-24T10:00:00.123Z"' "$OUT"
check_contains "jsonl header: exported_at_utc beside exported_at" \
    '"exported_at":1795514400123,"exported_at_utc":"2026-11-24T10:00:00.123Z","since":0,"since_utc":null' "$OUT"
so verify --export "$T/audit.csv"
check_eq "the CSV export verifies" 0 "$RC"
run python3 "$TOP/docs/examples/verify_export.py" "$T/audit.csv"
check_eq "verify_export.py agrees" 0 "$RC"

# Never onto a terminal: the text itself may hold control characters.
run script -qec "$SO export --format csv" /dev/null
check_eq "csv to a terminal: refused (usage)" 2 "$RC"
check_contains "csv to a terminal: says where to write it" \
    "write it to a file (--output FILE) or a pipe" "$OUT"
check_not_contains "csv to a terminal: no record reached it" "X-00" "$OUT"
run script -qec "$SO export" /dev/null
check_eq "jsonl to a terminal: fine (ASCII)" 0 "$RC"
