#!/bin/bash
# The audit chain checked by someone who never read signoff's C:
# docs/examples/verify_export.py (written from docs/audit.md alone) checks
# both export formats of a queue with tricky text (quotes, backslashes,
# newlines, tabs, ESC, DEL, emoji, bidi controls, CJK), every action, an
# undo (revert) and a four-eyes review pair with its resolution, and
# recomputes every record of the database itself from the spec. A record
# holding bytes that are not UTF-8 (stored before signoff refused them) and
# an integer of 2^53-1 still verify in signoff, in the export and in
# Python. A changed field, a dropped row and swapped rows are caught by
# both verifiers, with the same words; swapped rows say "reordered".
# On PostgreSQL (tests/pg/cli_audit_verifier.sh) the same chain and both
# exports are checked; the rewrite of stored bytes, which PostgreSQL's
# text refuses, and the row-by-row recompute are the file's.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
PYV=$TOP/docs/examples/verify_export.py
export SIGNOFF_QUEUE=$Q

# The worked example in docs/audit.md: its line hashes to the hash it
# states, and the verifier's canonical record of those values is that line.
run python3 - "$TOP/docs/audit.md" "$PYV" <<'EOF'
import hashlib, importlib.util, re, sys
doc = open(sys.argv[1], encoding="utf-8").read()
line = re.search(r"<!-- canonical-example -->\n```\n(.*)\n```", doc).group(1).encode()
stated = re.search(r"followed by that line:\n`([0-9a-f]{64})`", doc).group(1)
spec = importlib.util.spec_from_file_location("v", sys.argv[2])
v = importlib.util.module_from_spec(spec); spec.loader.exec_module(v)
rec = {"seq": 1, "draft": b"R-1", "request_id": b"rq-1", "reviewer": b"alice",
       "action": b"reject", "kind": b"review", "reason": b"factual",
       "note": 'Says "30 days"\nwrong: 14 \u2713'.encode(), "edit_size": 0,
       "body_sha": hashlib.sha256(b"Refunds take 30 days.").hexdigest(),
       "final_sha": None, "shown_at": 1764000000000,
       "decided_at": 1764000004200, "active_ms": 4100, "reverts_seq": 0}
print(hashlib.sha256(b"0" * 64 + line).hexdigest() == stated,
      v.canonical_record(rec) == line, v.record_hash("0" * 64, rec) == stated)
EOF
check_eq "docs/audit.md: the worked example hashes as stated" "True True True" "$OUT"
so init
so workflow set refunds --reviews 2 --resolver supervisor
python3 - >"$T/in.jsonl" <<'EOF'
import json
bodies = [
    'She said "refund it" \\ then left.\nLine two\ttabbed',
    "Emoji \U0001F600 and \u2603, CJK \u6f22\u5b57, combining e\u0301",
    "Bidi \u202eevil\u202c and \u2067isolate\u2069, ESC \x1b[31mred\x1b[0m, DEL \x7f",
    "Plain, with a comma, and CRLF\r\nend",
    "escalate me",
    "undo me",
]
for i, b in enumerate(bodies, 1):
    print(json.dumps({"id": "V-%d" % i, "workflow": "support", "body": b}))
print(json.dumps({"id": "R-1", "workflow": "refunds", "body": "Refund 20 EUR \u20ac"}))
EOF
so enqueue "$T/in.jsonl"
check_eq "enqueue the tricky drafts" 0 "$RC"
ok_run() { [ "$RC" = 0 ] || notok "$1: $ERR"; }
so decide V-1 approve --note $'quotes "q", a backslash \\ and\na second line\twith a tab'
ok_run "approve V-1"
printf 'Edited: \xe2\x80\xae reversed \xf0\x9f\x98\x80 "q" \\ \x1b[2J\x7f\r\nmore\n' >"$T/body"
so decide V-2 edit --body-file "$T/body" --note $'emoji \xf0\x9f\x98\x80, a domino \xf0\x9f\x82\x80 (\\ud83c\\udc80 in JSON), CJK \xe6\xbc\xa2, e\xcc\x81'
ok_run "edit V-2"
so decide V-3 reject --reason factual --note 'a, comma; and "quotes"'
ok_run "reject V-3"
so decide V-4 approve
ok_run "approve V-4"
so decide V-5 escalate --reason policy
ok_run "escalate V-5"
SIGNOFF_REVIEWER=alice so decide R-1 approve
ok_run "alice reviews R-1"
SIGNOFF_REVIEWER=bob so decide R-1 reject --reason factual --note "bob's \"no\""
ok_run "bob reviews R-1"
SIGNOFF_ROLE=supervisor SIGNOFF_REVIEWER=sue so decide R-1 approve --note 'resolved: ok'
ok_run "sue resolves R-1"
# An undo: alice decides V-6, then takes it back through the server.
so decide V-6 approve
ok_run "approve V-6"
printf '%s alice reviewer\n' "$TOK_ALICE" >"$TOKENS"
chmod 600 "$TOKENS"
serve_start || notok "serve starts"
api POST /v1/undo "$TOK_ALICE" '{"request_id":"undo-v6"}'
check_eq "alice undoes V-6 (a revert record)" 200 "$CODE"
serve_stop
check_eq "every action and kind is in the chain" \
    "admin admin,approve review,edit review,escalate review,reject review,revert review,approve resolve" \
    "$(qsql "SELECT x FROM (SELECT DISTINCT action || ' ' || kind AS x, CASE WHEN kind = 'resolve' THEN 1 ELSE 0 END AS r, action AS a FROM decisions) t ORDER BY r, a" | paste -sd,)"

# (A queue file only; not indented, for its Python here-documents.)
if [ "$(test_backend)" = sqlite ]; then
# The database itself, recomputed from the spec (the verifier's own
# canonical record) row by row: C and the text agree on every record.
recompute() {
    python3 - "$Q" "$PYV" <<'EOF'
import importlib.util, sqlite3, sys
spec = importlib.util.spec_from_file_location("v", sys.argv[2])
v = importlib.util.module_from_spec(spec); spec.loader.exec_module(v)
db = sqlite3.connect(sys.argv[1]); db.text_factory = bytes
names = [n for n, _ in v.CANONICAL]
cols = ["draft" if n == "draft" else n for n in names]
bad = 0
for row in db.execute("SELECT %s, prev_hash, hash FROM decisions ORDER BY seq" % ", ".join(cols)):
    rec = dict(zip(names, row[:-2]))
    prev, want = row[-2].decode(), row[-1].decode()
    got = v.record_hash(prev, rec)
    if got != want:
        bad += 1
        print("seq %d: spec gives %s, signoff stored %s" % (rec["seq"], got, want))
print("recomputed, %d differ" % bad)
EOF
}
check_eq "every record of the database recomputed from docs/audit.md" \
    "recomputed, 0 differ" "$(recompute)"

# Text stored before signoff refused bad UTF-8, and the largest integer:
# rewrite the last record that way and re-hash it (and the chain head) by
# the spec; signoff must agree.
python3 - "$Q" "$PYV" <<'EOF'
import importlib.util, sqlite3, sys
spec = importlib.util.spec_from_file_location("v", sys.argv[2])
v = importlib.util.module_from_spec(spec); spec.loader.exec_module(v)
db = sqlite3.connect(sys.argv[1]); db.text_factory = bytes
names = [n for n, _ in v.CANONICAL]
seq = db.execute("SELECT max(seq) FROM decisions").fetchone()[0]
note = b"bad \xff utf8 \xe2\x82 cut, \xed\xa0\x80 surrogate, \xf0\x9f\x98\x80 ok"
db.execute("UPDATE decisions SET note = CAST(? AS TEXT), active_ms = ? WHERE seq = ?",
           (note, 2**53 - 1, seq))
row = db.execute("SELECT %s, prev_hash FROM decisions WHERE seq = ?" % ", ".join(names), (seq,)).fetchone()
h = v.record_hash(row[-1].decode(), dict(zip(names, row[:-1])))
db.execute("UPDATE decisions SET hash = ? WHERE seq = ?", (h, seq))
db.execute("UPDATE meta SET value = ? WHERE key = 'chain_hash'", (h,))
db.commit()
EOF
check_eq "the rewritten record holds the bytes" "62616420FF" \
    "$(sql "$Q" "SELECT hex(substr(CAST(note AS BLOB), 1, 5)) FROM decisions ORDER BY seq DESC LIMIT 1")"
so verify
check_eq "signoff verify agrees with the spec on bad UTF-8 and 2^53-1" 0:"" "$RC:$ERR"
fi
N=$(qsql "SELECT count(*) FROM decisions")
# chain_head: the hash the queue keeps as its head.
chain_head() {
    if [ "$(test_backend)" = pg ]; then qsql "SELECT hash FROM chain_head"
    else qsql "SELECT value FROM meta WHERE key = 'chain_hash'"; fi
}

for fmt in jsonl csv; do
    E=$T/audit.$fmt
    so export --format "$fmt" --output "$E"
    check_eq "$fmt: export" 0 "$RC"
    [ $fmt = jsonl ] && check_eq "$fmt: the export is printable ASCII" "" \
        "$(LC_ALL=C grep -nP '[^\x20-\x7e]' "$E")"
    so verify --export "$E"
    check_eq "$fmt: signoff verify --export" 0 "$RC"
    run python3 "$PYV" "$E"
    check_eq "$fmt: verify_export.py: the chain holds" \
        "0:$E: audit chain ok: $N decisions, head $(chain_head)" \
        "$RC:$OUT"
done
check_contains "jsonl: U+1F080 as a surrogate pair (its low half \\udc80 is no byte)" \
    'a domino \ud83c\udc80 (\\ud83c\\udc80 in JSON)' "$(cat "$T/audit.jsonl")"
[ "$(test_backend)" = sqlite ] &&
    check_contains "jsonl: a byte that is not UTF-8 as \\udcXX" 'bad \udcff utf8 \udce2\udc82 cut' \
        "$(cat "$T/audit.jsonl")"
run python3 -c '
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", errors="surrogateescape")))
lines = [json.loads(l) for l in open(sys.argv[2])][1:]
print(len(rows), len(lines), all(r["hash"] == l["hash"] for r, l in zip(rows, lines)))
' "$T/audit.csv" "$T/audit.jsonl"
check_eq "python3 csv reads the CSV export: the same records as JSON Lines" "$N $N True" "$OUT"

# tamper FMT NAME WORDS PYTHON: write a changed copy of the export with the
# python snippet (recs: the records, as CSV rows or JSON lines, after the
# header) and expect both verifiers to exit 1 saying WORDS.
tamper() {
    local fmt=$1 name=$2 words=$3 E=$T/audit.$1 X=$T/bad.$1
    python3 - "$fmt" "$E" "$X" <<EOF
import csv, io, sys
fmt, src, dst = sys.argv[1:]
if fmt == "csv":
    rows = list(csv.reader(open(src, newline="", errors="surrogateescape")))
    head, recs = rows[:1], rows[1:]
else:
    lines = open(src).read().split("\n")
    head, recs = lines[:1], [l for l in lines[1:] if l]
cols = head[0] if fmt == "csv" else None
$4
if fmt == "csv":
    with open(dst, "w", newline="", errors="surrogateescape") as f:
        csv.writer(f, lineterminator="\r\n").writerows(head + recs)
else:
    open(dst, "w").write("\n".join(head + recs) + "\n")
EOF
    run "$SO" verify --export "$X"
    check_eq "$fmt $name: signoff verify --export exits 1" 1 "$RC"
    check_contains "$fmt $name: signoff says $words" "$words" "$ERR"
    run python3 "$PYV" "$X"
    check_eq "$fmt $name: verify_export.py exits 1" 1 "$RC"
    check_contains "$fmt $name: verify_export.py says $words" "$words" "$ERR"
}
for fmt in jsonl csv; do
    tamper $fmt "changed reviewer" "decision 5 (draft" '
if cols: recs[4][cols.index("reviewer")] = "mallory"
else: recs[4] = recs[4].replace("\"reviewer\":\"alice\"", "\"reviewer\":\"mallory\"")'
    tamper $fmt "changed note (one escaped byte)" "record changed" '
if cols: recs[2][cols.index("note")] = recs[2][cols.index("note")].replace("q", "Q", 1)
else: recs[2] = recs[2].replace("quotes", "Quotes", 1)'
    tamper $fmt "changed admin record (its detail)" "decision 1 (draft" '
if cols: recs[0][cols.index("note")] = recs[0][cols.index("note")].replace("supervisor", "reviewer")
else: recs[0] = recs[0].replace("supervisor", "reviewer")'
    tamper $fmt "dropped row" "decision 6 before it is missing: record removed" 'del recs[5]'
    tamper $fmt "swapped rows" "records reordered" 'recs[3], recs[4] = recs[4], recs[3]'
done
tamper jsonl "dropped last row" "records removed" 'del recs[-1]'
tamper jsonl "changed hash of the head" "decision $N" '
import re
recs[-1] = re.sub("\"hash\":\"[0-9a-f]{64}\"", "\"hash\":\"" + "0" * 64 + "\"", recs[-1])'
