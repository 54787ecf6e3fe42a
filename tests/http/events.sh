#!/bin/bash
# The outcome feed and the action record through `signoff serve` (issue
# 18): GET /v1/events in chain order with a hash chain a consumer can
# check, resumed from a cursor across a server restart with no gap and no
# duplicate; the long poll answers when a decision lands; the release
# delay holds an outcome back, an undo inside it never reaches the
# producer (retracted), one after it is an event that revokes it, and an
# undo is refused once the producer recorded its action; POST applied is
# idempotent by request id; roles; a reveal=never four-eyes draft still
# gives the producer its edited text.
. "$(dirname "$0")/../lib.sh"
. "$TOP/tests/http/serve.inc"
serve_setup 6
serve_start || { notok "serve starts"; exit 1; }
export SIGNOFF_QUEUE="$URL"

# feed.py CURSOR_FILE OUT: read GET /v1/events from the stored cursor to
# the end, append the events to OUT, store the new cursor; checks that
# every event links to the one before (prev_hash) and recomputes no hash
# (verify does that) but refuses a gap in seq.
cat >"$T/feed.py" <<'PY'
import json, sys, urllib.request
url, tok, cur_file, out = sys.argv[1:5]
try:
    after, last_hash = open(cur_file).read().split()
    after = int(after)
except FileNotFoundError:
    after, last_hash = 0, "0" * 64
while True:
    rq = urllib.request.Request("%s/v1/events?after=%d&limit=2" % (url, after),
                                headers={"Authorization": "Bearer " + tok})
    page = json.load(urllib.request.urlopen(rq, timeout=20))
    for e in page["events"]:
        if e["seq"] != after + 1:
            sys.exit("gap: seq %d after %d" % (e["seq"], after))
        if e["prev_hash"] != last_hash:
            sys.exit("chain broken at seq %d" % e["seq"])
        after, last_hash = e["seq"], e["hash"]
        with open(out, "a") as f:
            f.write(json.dumps(e) + "\n")
    if not page["events"]:
        break
    after = max(after, page["next_after"])
with open(cur_file, "w") as f:
    f.write("%d %s\n" % (after, last_hash))
PY
feed() { run python3 "$T/feed.py" "$URL" "$TOK_PROD" "$T/cursor" "$T/feed.jsonl"; }
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$@"; }

# three decisions, the feed reads them two at a time, from after record 1
# (the admin record of workflow support, made by the first enqueue)
printf '1 %s\n' "$(sql "$Q" "SELECT hash FROM decisions WHERE seq = 1")" >"$T/cursor"
printf 'The edited reply.\n' >"$T/edit.txt"
as alice decide D-0000 approve
as alice decide D-0001 edit --body-file "$T/edit.txt"
as alice decide D-0002 reject --reason tone --note "too curt"
feed
check_eq "feed: read to the end" "0 " "$RC $ERR"
check_eq "feed: three events" 3 "$(wc -l <"$T/feed.jsonl")"
E1=$(sed -n 1p "$T/feed.jsonl"); E2=$(sed -n 2p "$T/feed.jsonl")
E3=$(sed -n 3p "$T/feed.jsonl")
check_contains "approve: the outcome's text is the draft body" \
    '"outcome": {"action": "approve", "text": "Answer 0 per policy [1]."' "$E1"
check_contains "edit: the outcome's text is the edited text" \
    '"text": "The edited reply.\n"' "$E2"
check_contains "reject: reason and note, no text" \
    '"outcome": {"action": "reject", "text": null, "reason": "tone", "note": "too curt"}' "$E3"
check_contains "events carry the workflow" '"workflow": "support"' "$E1"

# the server restarts; the feed resumes from the stored cursor
as alice decide D-0003 approve
serve_stop
serve_start || { notok "serve restarts"; exit 1; }
export SIGNOFF_QUEUE="$URL"
as alice decide D-0004 approve
feed
check_eq "feed after a restart: read on" "0 " "$RC $ERR"
check_eq "feed after a restart: five events, no duplicate" \
    "2 3 4 5 6" "$(python3 -c 'import json,sys; print(*[json.loads(l)["seq"] for l in open(sys.argv[1])])' "$T/feed.jsonl")"
run "$SO" verify --queue "$Q"
check_eq "the chain verifies" 0 "$RC"

# roles: a reviewer may not read the feed; limits are checked
api GET "/v1/events" "$TOK_ALICE"
check_eq "events as a reviewer: 403" 403 "$CODE"
api GET "/v1/events?limit=0" "$TOK_PROD"
check_contains "events limit=0: 400 naming it" '400 {"error":{"code":"invalid","message":"limit:' "$CODE $BODY"
api GET "/v1/events?wait=3600" "$TOK_PROD"
check_contains "events wait over the bound: 400" '400' "$CODE"
api GET "/v1/events?after=999&wait=2" "$TOK_PROD"
check_eq "after past the head: 400 at once, naming the head" \
    '400 {"error":{"code":"invalid","message":"after: seq 999 is past the end of the audit chain (seq 6): a cursor from another queue, or from this one before it was restored?"}}' \
    "$CODE $BODY"
as prod events --after 999
check_eq "events --after past the head through the server: the same error, exit 1" \
    "1 signoff: events: after: seq 999 is past the end of the audit chain (seq 6): a cursor from another queue, or from this one before it was restored?" \
    "$RC $ERR"

# the long poll: a waiting request answers when a decision lands
curl -s -o "$T/poll.json" -w '%{http_code}' -H "Authorization: Bearer $TOK_PROD" \
    "$URL/v1/events?after=6&wait=20" >"$T/poll.code" &
POLL=$!
as alice decide D-0005 reject --reason policy
wait "$POLL"
check_contains "long poll: answered with the new event" '"seq":7' "$(cat "$T/poll.json")"
check_eq "long poll: 200" 200 "$(cat "$T/poll.code")"
api GET "/v1/events?after=7&wait=1" "$TOK_PROD"
check_eq "long poll with nothing new: empty at the deadline" \
    '200 {"events":[],"next_after":7}' "$CODE $BODY"

# applied: idempotent by request id
api POST /v1/drafts/D-0000/applied "$TOK_PROD" '{"request_id":"ap-1","ref":"ticket #8812"}'
check_contains "applied: 201 with the record's seq" '201 {"seq":8,' "$CODE $BODY"
api POST /v1/drafts/D-0000/applied "$TOK_PROD" '{"request_id":"ap-1","ref":"ticket #8812"}'
check_contains "applied again, same request id: 200, the same seq, replayed" \
    '200 {"seq":8,' "$CODE $BODY"
check_contains "applied replay says replayed" '"replayed":true' "$BODY"
check_eq "applied recorded once" 1 \
    "$(qsql "SELECT count(*) FROM decisions WHERE action = 'applied'")"
api POST /v1/drafts/D-0001/applied "$TOK_PROD" '{"request_id":"ap-1","ref":"x"}'
check_eq "the request id on another draft: 409" 409 "$CODE"
api POST /v1/drafts/D-0000/applied "$TOK_ALICE" '{"request_id":"ap-2","ref":"x"}'
check_eq "applied as a reviewer: 403" 403 "$CODE"
api POST /v1/drafts/D-0000/applied "$TOK_PROD" '{"request_id":"ap-3"}'
check_contains "applied without ref: 400 naming it" '"ref' "$CODE $BODY"
api GET "/v1/events?after=7" "$TOK_PROD"
check_contains "the action record is in the feed" '"kind":"action"' "$BODY"
check_contains "with its ref" '"ref":"ticket #8812"' "$BODY"
as alice show D-0000
check_contains "show lists the action record" "applied (ticket #8812)" "$OUT"

# the release delay: drafts of workflow "slow" reach the producer 2 s after
# they are final
"$SO" workflow set slow --release-after 2s --queue "$Q" >/dev/null
make_drafts 3 slow R | "$SO" enqueue --queue "$Q" - >/dev/null 2>&1
HEAD0=$(qsql "SELECT max(seq) FROM decisions")
as bob decide R-0000 approve
api GET "/v1/events?after=$HEAD0" "$TOK_PROD"
check_eq "inside the release window the outcome is held back" \
    "200 {\"events\":[],\"next_after\":$HEAD0}" "$CODE $BODY"
api POST /v1/undo "$TOK_BOB" '{"request_id":"u-1"}'
check_eq "bob undoes it inside the window" 200 "$CODE"
api GET "/v1/events?after=$HEAD0" "$TOK_PROD"
check_contains "the undone decision is in the feed, retracted" \
    '"action":"approve","reason":null' "$BODY"
check_contains "retracted: no outcome" '"outcome":null,"retracted":true' "$BODY"
check_contains "its revert revokes nothing the producer saw" \
    '"action":"revert"' "$BODY"
check_not_contains "no outcome reached the producer" '"outcome":{' "$BODY"
HEAD1=$(qsql "SELECT max(seq) FROM decisions")

# the long poll answers when the held outcome is released
curl -s -o "$T/poll2.json" -H "Authorization: Bearer $TOK_PROD" \
    "$URL/v1/events?after=$HEAD1&wait=20" &
POLL=$!
as bob decide R-0001 approve
R1=$(qsql "SELECT max(seq) FROM decisions")
wait "$POLL"
check_contains "long poll: the outcome once released" \
    "\"seq\":$R1,\"draft_id\":\"R-0001\"" "$(cat "$T/poll2.json")"
check_contains "long poll: released as an outcome" '"outcome":{"action":"approve"' \
    "$(cat "$T/poll2.json")"
api POST /v1/undo "$TOK_BOB" '{"request_id":"u-2"}'
check_eq "undo after release, before any action record: allowed" 200 "$CODE"
api GET "/v1/events?after=$R1" "$TOK_PROD"
check_contains "the revert is an event that revokes the outcome" \
    "\"revokes\":$R1" "$BODY"
as bob decide R-0001 reject --reason policy
R1B=$(qsql "SELECT max(seq) FROM decisions")
api POST /v1/drafts/R-0001/applied "$TOK_PROD" '{"request_id":"ap-r1","ref":"early"}'
check_contains "applied before the release: 409, not released yet" \
    '409 {"error":{"code":"conflict","message":"R-0001: applied: its outcome is not released yet' \
    "$CODE $BODY"
wait_for 10 eval 'api GET "/v1/events?after=$R1" "$TOK_PROD"; case $BODY in *"\"seq\":$R1B"*) true ;; *) false ;; esac'
api POST /v1/drafts/R-0001/applied "$TOK_PROD" '{"request_id":"ap-r1","ref":"ticket 77"}'
check_eq "applied once released: 201" 201 "$CODE"
api POST /v1/undo "$TOK_BOB" '{"request_id":"u-3"}'
check_contains "undo once the producer acted: 409 naming it" \
    'the producer already acted on this outcome' "$CODE $BODY"
check_eq "the refused undo wrote nothing" 0 \
    "$(qsql "SELECT count(*) FROM decisions WHERE request_id = 'u-3'")"

# four-eyes with reveal = never: the producer still gets the final text
"$SO" workflow set fe --reviews 2 --reveal never --queue "$Q" >/dev/null
make_drafts 1 fe F | "$SO" enqueue --queue "$Q" - >/dev/null 2>&1
printf 'Alice wrote this.\n' >"$T/a.txt"
printf 'The supervisor settled on this.\n' >"$T/s.txt"
as alice decide F-0000 edit --body-file "$T/a.txt"
as bob decide F-0000 approve
as sup decide F-0000 edit --body-file "$T/s.txt"
api GET "/v1/events?workflow=fe" "$TOK_PROD"
check_contains "reveal=never: the producer gets the resolved text" \
    '"outcome":{"action":"edit","text":"The supervisor settled on this.\n"' "$BODY"
check_eq "reveal=never: only the resolution is an outcome" 1 \
    "$(printf '%s' "$BODY" | grep -o '"outcome":{' | wc -l)"
check_eq "reveal=never: the feed has every review" 3 \
    "$(printf '%s' "$BODY" | grep -o '"draft_id":"F-0000"' | wc -l)"

# a replayed decision answers the counts of the first reply
make_drafts 1 fe G | "$SO" enqueue --queue "$Q" - >/dev/null 2>&1
api POST /v1/claim "$TOK_ALICE" '{"workflow":"fe"}'
LEASE=$(printf '%s' "$BODY" | sed -n 's/.*"lease_token":\([0-9]*\).*/\1/p')
DEC='{"request_id":"g-1","action":"approve","lease_token":'"$LEASE"'}'
api POST /v1/drafts/G-0000/decision "$TOK_ALICE" "$DEC"
check_contains "first reply: review 1 of 2" '"reviews_done":1,"reviews_needed":2' "$CODE $BODY"
api POST /v1/drafts/G-0000/decision "$TOK_ALICE" "$DEC"
check_contains "replayed reply: the same review 1 of 2" \
    '"replayed":true' "$CODE $BODY"
check_contains "replayed reply: reviews_done and reviews_needed as first" \
    '"reviews_done":1,"reviews_needed":2' "$BODY"

api POST /v1/drafts/D-0000/applied "$TOK_PROD" '{"request_id":"ap-1","ref":"ticket #9999"}'
check_contains "applied: the request id again with another ref: 409" \
    '409 {"error":{"code":"conflict","message":"D-0000: request_id ap-1 already used for a different action record' \
    "$CODE $BODY"

# the signoff client on the remote queue: events and applied
as prod events --workflow fe --format jsonl
check_eq "remote events: exit 0" 0 "$RC"
check_contains "remote events: the resolved text" \
    '"outcome":{"action":"edit","text":"The supervisor settled on this.\n"' "$OUT"
as prod events --after 0 --limit 2
check_eq "remote events --limit 2: two lines" 2 "$(printf '%s\n' "$OUT" | wc -l)"
as alice events
check_contains "remote events as a reviewer: refused, naming the role" \
    "role may not use this route" "$ERR"
as prod applied D-0002 --ref "ticket 5" --request-id ap-cli
check_eq "remote applied: recorded" 0 "$RC"
as prod applied D-0002 --ref "ticket 5" --request-id ap-cli
check_contains "remote applied again: the same record" "(already recorded)" "$OUT"
# stats on the remote queue carries each workflow's unapplied backlog, the
# same as on the queue file (null where no action was ever recorded). Of
# support's outcomes D-0000..D-0005 were released before its first action
# record (ap-1): none is backlog; S-0000, decided after it, is.
make_drafts 1 support S | "$SO" enqueue --queue "$Q" - >/dev/null 2>&1
as alice decide S-0000 approve
"$SO" workflow set support --applied-within 1ms --queue "$Q" >/dev/null
backlog() { python3 -c 'import json,sys
print(" ".join("%s=%s" % (g["key"], g["unapplied"]) for g in json.load(sys.stdin)["groups"]))'; }
LOCAL=$("$SO" stats --format json --queue "$Q" | backlog)
check_contains "local stats: support's backlog is S-0000 alone" "support=1" "$LOCAL"
as sup stats --format json
check_eq "remote stats: the same unapplied per workflow" "$LOCAL" \
    "$(printf '%s' "$OUT" | backlog)"
SIGNOFF_TOKEN_FILE="$T/token.prod" "$SO" events --queue "$URL" --follow --format jsonl --after "$(qsql "SELECT max(seq) FROM decisions")" \
    >"$T/follow.out" 2>"$T/follow.err" &
FOLLOW=$!
on_exit "kill $FOLLOW 2>/dev/null"
make_drafts 1 other H | "$SO" enqueue --queue "$Q" - >/dev/null 2>&1
as alice decide H-0000 approve
check "remote --follow: the new event arrives" \
    wait_for 15 grep -q '"draft_id":"H-0000"' "$T/follow.out"
kill "$FOLLOW" 2>/dev/null

# integrators: a configured workflow with no draft yet has its kill switch;
# HTTP error messages give no command-line advice
"$SO" workflow set empty-wf --threshold 0.3 --queue "$Q" >/dev/null
api GET /v1/workflows/empty-wf "$TOK_PROD"
check_contains "a configured workflow with no draft: 200 with its switch" \
    '"automation":"on"' "$CODE $BODY"
api POST /v1/drafts "$TOK_PROD" '{"id":"D-0001","workflow":"support","body":"other text"}'
check_contains "enqueue of a known id with other content: says why" \
    'already queued with other content' "$BODY"
check_not_contains "enqueue conflict: no command-line advice" '--' "$BODY"
api POST /v1/workflows/empty-wf "$TOK_SUP" '{"automation":"paused","reason":"x"}'
api POST /v1/workflows/empty-wf "$TOK_SUP" '{"automation":"on"}'
check_contains "resume without a reason: 400 saying a reason is required" \
    '400 {"error":{"code":"invalid","message":"resume automation of empty-wf: a reason is required' "$CODE $BODY"
api POST /v1/workflows/empty-wf "$TOK_SUP" '{"automation":"on","reason":"ok"}'
check_contains "resume without an owner: 400 naming it" \
    '400 {"error":{"code":"invalid","message":"workflow empty-wf has no owner' "$CODE $BODY"
check_not_contains "resume without an owner: no command-line advice" 'signoff workflow' "$BODY"

# the unapplied backlog in /metrics
"$SO" workflow set support --applied-within 1ms --queue "$Q" >/dev/null
api GET /metrics "$TOK_PROD"
check_contains "metrics: the unapplied backlog per workflow" \
    'signoff_unapplied_outcomes{workflow="support"} 1' "$BODY"
as sup stats --check
check_contains "remote stats --check: the same backlog" \
    "support: unapplied backlog: 1 final outcome released" "$OUT"

serve_stop
check_eq "serve stops on SIGTERM" 0 "$SRC"
