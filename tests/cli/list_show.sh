#!/bin/bash
# signoff list and show: exact table and text output with a pinned clock,
# sanitized titles (no raw control, bidi or escape byte reaches the
# terminal), width-aware truncation, grounding flags, JSON output, paging.
. "$(dirname "$0")/../lib.sh"
test_queue q || exit 0
export SIGNOFF_QUEUE=$Q COLUMNS=100
so init
python3 - "$T" <<'PY'
import json, sys
rows = [
 {"id": "SR-1", "workflow": "support-replies", "model": "m-2026-11", "confidence": 0.62,
  "title": "Refund request #4711", "input": "Hi,\nmy order never came.\tThanks",
  "body": "Policy allows it [1]. Also [2].", "priority": 1, "metadata": {"k": "v"},
  "citations": [{"n": 1, "title": "Refund policy v3", "uri": "https://kb.example/refunds",
                 "excerpt": "refunds within 30 days of delivery", "quote": "refunds within 30 days"}]},
 {"id": "SR-2", "workflow": "support-replies",
  "title": "reject\b\b\b\b\b\bapprove \u202eevil\u202c \u001b[31mred", "body": "plain",
  "citations": [{"n": 1, "title": "Doc", "excerpt": "the sky is blue", "quote": "the sky is green"}]},
 {"id": "RF-3", "workflow": "refund-approvals", "confidence": 0.9,
  "title": "A very long title that certainly does not fit into the remaining columns of the table at all",
  "body": "ok"},
 {"id": "CL-4", "workflow": "contract-clauses", "title": "日本語のタイトルはとても長いのでテーブルに収まりません長い長い長い",
  "body": "wide"},
]
open(sys.argv[1] + "/in.jsonl", "w").write("\n".join(json.dumps(r) for r in rows) + "\n")
PY
SIGNOFF_NOW_MS=1794990000000 so enqueue "$T/in.jsonl"
export SIGNOFF_NOW_MS=1795000000000

so list
check_eq "list: exact table (priority first, then age)" \
"ID    WORKFLOW          CONF   AGE  STATUS     FLAG  TITLE
SR-1  support-replies   0.62    2h  pending    G     Refund request #4711
SR-2  support-replies      -    2h  pending    G     reject^H^H^H^H^H^Happrove <U+202E>evil<U+202C>…
RF-3  refund-approvals  0.90    2h  pending          A very long title that certainly does not fit …
CL-4  contract-clauses     -    2h  pending          日本語のタイトルはとても長いのでテーブルに収ま…" "$OUT"
check_eq "list: nothing on stderr" "" "$ERR"
check_eq "list: no line wider than COLUMNS" 100 \
    "$(printf '%s\n' "$OUT" | while IFS= read -r l; do printf '%s\n' "${#l}"; done | sort -n | tail -1)"
check_eq "list: no raw control bytes" 0 "$(printf %s "$OUT" | LC_ALL=C grep -caP '[\x00-\x08\x0b-\x1f\x7f]|\xe2\x80\xae')"

so list --limit 1 --workflow support-replies --format json
check_eq "list --format json" \
'[
{"id":"SR-1","workflow":"support-replies","model":"m-2026-11","confidence":0.62,"title":"Refund request #4711","priority":1,"created_at":1794990000000,"status":"pending","claimed_by":null,"lease_until":0,"grounding_flag":true,"escalated":false}
]' "$OUT"
so list --workflow support-replies --status decided --format json
check_eq "list --format json with no rows" "[]" "$OUT"
# A workflow the queue does not have is a typo, not an empty workflow.
so list --workflow nothing-here
check_eq "list --workflow of an unknown workflow: exit 1, named, no table" \
    "1 signoff: nothing-here: no such workflow " "$RC $ERR $OUT"
so list --status decided
check_eq "list --status decided: only the header" \
    "ID  WORKFLOW  CONF   AGE  STATUS     FLAG  TITLE" "$OUT"

# Paging: 1,203 drafts come out complete and in order through the cursor.
python3 -c '
for i in range(1203):
    print("{\"id\":\"p-%04d\",\"workflow\":\"pg\",\"body\":\"b\"}" % i)' >"$T/page.jsonl"
so enqueue "$T/page.jsonl"
so list --workflow pg
check_eq "paging: 1203 rows and a header" 1204 "$(printf '%s\n' "$OUT" | wc -l)"
check_eq "paging: first and last in order" "p-0000 p-1202" \
    "$(printf '%s\n' "$OUT" | awk 'NR==2{a=$1} END{print a, $1}')"
so list --workflow pg --limit 700 --format json
check_eq "paging: --limit across pages" 700 "$(printf '%s\n' "$OUT" | grep -c '"id":"p-')"

so show SR-1
check_eq "show: exact text" \
"id:         SR-1
workflow:   support-replies
model:      m-2026-11
confidence: 0.62
priority:   1
created:    2026-11-18T08:20:00Z (2h ago)
status:     pending
reviews:    0 of 1
title:      Refund request #4711

--- input
Hi,
my order never came.    Thanks

--- body
Policy allows it [1]. Also [2].

--- citations
[1] Refund policy v3 <https://kb.example/refunds>
    excerpt: refunds within 30 days of delivery
    quote:   refunds within 30 days
! [2] in the body has no citation

--- decisions
(none)" "$OUT"

so show SR-2
check_contains "show: a hostile title is sanitized" \
    "title:      reject^H^H^H^H^H^Happrove <U+202E>evil<U+202C> ^[[31mred" "$OUT"
check_contains "show: a quote not in its excerpt is flagged" \
"    quote:   the sky is green
    ! the quote is not in the excerpt
    ! no [1] marker in the body" "$OUT"

so decide SR-1 reject --reason factual --note "wrong policy version" --request-id r-show
so show SR-1
check_contains "show: decisions are listed" \
"--- decisions
#5 2026-11-18T11:06:40Z alice reject (factual): wrong policy version" "$OUT"
check_contains "show: the status says decided" "status:     decided, reject" "$OUT"

so show SR-1 --format json
check_eq "show --format json: valid JSON with draft, grounding and decisions" \
    "SR-1 pending-no decided [2] [] 5 reject factual r-show 64" \
    "$(printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
g = d["grounding"]; x = d["decisions"][0]
print(d["id"], "pending-no", d["status"], g["missing"], g["bad_quotes"], x["seq"], x["action"],
      x["reason"], x["request_id"], len(x["hash"]))')"

so show NOPE
check_eq "show: unknown id" "1 signoff: NOPE: no such draft" "$RC $ERR"
