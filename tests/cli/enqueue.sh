#!/bin/bash
# signoff enqueue: every kind of bad JSONL line is reported exactly as
# FILE:LINE: field: why, in file order, while the good lines land; the
# summary and the exit status say so; stdin, --replace and --format json.
. "$(dirname "$0")/../lib.sh"
test_queue q || exit 0
export SIGNOFF_QUEUE=$Q
so init

python3 - "$T" <<'PY'
import json, sys
t = sys.argv[1]
lines = [
 '{"id":"ok-1","workflow":"w","body":"fine [1]","citations":[{"n":1,"title":"t","excerpt":"ab","quote":"ab"}]}',
 '{"id":"bad-json","workflow":"w","body":"x"',
 '{"workflow":"w","body":"no id"}',
 '{"id":"no-wf","body":"x"}',
 '{"id":"no-body","workflow":"w"}',
 '{"id":42,"workflow":"w","body":"x"}',
 '{"id":"t-conf","workflow":"w","body":"x","confidence":"high"}',
 '{"id":"t-conf2","workflow":"w","body":"x","confidence":1.5}',
 '{"id":"t-prio","workflow":"w","body":"x","priority":1.5}',
 '{"id":"t-cit","workflow":"w","body":"x","citations":{"n":1}}',
 '{"id":"t-cit2","workflow":"w","body":"x","citations":[{"n":"1"}]}',
 '{"id":"t-meta","workflow":"w","body":"x","metadata":[1]}',
 '',
 '   ',
 '{"id":"deep","workflow":"w","body":"x","metadata":' + '{"a":' * 40 + '1' + '}' * 40 + '}',
 '[1,2]',
 '{"id":"dupkey","id":"x","workflow":"w","body":"x"}',
 '{"id":"ok-2","workflow":"w","body":"second"}',
 '{"id":"ok-1","workflow":"w","body":"other content"}',
 '{"id":"ok-2","workflow":"w","body":"second"}',
 '{"id":"trail","workflow":"w","body":"x"} x',
 '{"id":"nul","workflow":"w","body":"a\\u0000b"}',
 '{"id":"emptybody","workflow":"w","body":""}',
]
with open(t + "/bad.jsonl", "wb") as f:
    for l in lines:
        f.write(l.encode() + b"\n")
    f.write(b'{"id":"utf8","workflow":"w","body":"bad \xff\xfe byte"}\n')
    f.write(b'{"id":"last","workflow":"w","body":"no newline at the end"}')
big = {"id": "big", "workflow": "w", "body": "A" * ((1 << 20) + 1)}
ok = {"id": "after-big", "workflow": "w", "body": "fine"}
open(t + "/big.jsonl", "w").write(json.dumps(big) + "\n" + json.dumps(ok) + "\n")
cit = {"id": "cites", "workflow": "w", "body": "x",
       "citations": [{"n": i + 1, "excerpt": "e"} for i in range(65)]}
open(t + "/cit.jsonl", "w").write(json.dumps(cit) + "\n")
PY

so enqueue "$T/bad.jsonl"
check_eq "bad lines: exit 1" 1 "$RC"
check_eq "bad lines: nothing on stdout" "" "$OUT"
F=$T/bad.jsonl
check_eq "bad lines: every message, in file order, then the summary" \
"$F:2: json: unexpected end at byte 42
$F:3: id: required
$F:4: workflow: required
$F:5: body: required
$F:6: id: expected a string
$F:7: confidence: expected a number
$F:8: confidence: 1.5 is outside 0..1
$F:9: priority: expected an integer
$F:10: citations: expected an array
$F:11: citations[0].n: expected an integer
$F:12: metadata: expected an object
$F:13: empty line
$F:14: empty line
$F:15: json: nesting deeper than 32 at byte 205
$F:16: json: expected an object
$F:17: id: duplicate key (also given as \"id\")
$F:19: id: already queued with other content (use --replace while pending)
$F:21: json: trailing characters after the value at byte 41
$F:22: json: \\u0000 in a string at byte 36
$F:23: body: empty
$F:24: json: invalid UTF-8 at byte 40
enqueued 3 drafts, 1 unchanged, 21 bad lines" "$ERR"
check_eq "bad lines: the good lines landed, the last one without its newline too" \
    "last|no newline at the end
ok-1|fine [1]
ok-2|second" "$(sql "$SIGNOFF_QUEUE" 'SELECT id, body FROM drafts ORDER BY id')"
check_eq "bad lines: the citation landed with its draft" "ok-1|1|ab" \
    "$(sql "$SIGNOFF_QUEUE" 'SELECT d.id, c.n, c.quote FROM citations c JOIN drafts d ON d.rid = c.draft')"

so enqueue "$T/bad.jsonl"
check_eq "again: the same lines are unchanged" \
    "enqueued 0 drafts, 4 unchanged, 21 bad lines" "${ERR##*$'\n'}"
check_eq "again: still 3 drafts" 3 "$(sql "$SIGNOFF_QUEUE" 'SELECT count(*) FROM drafts')"

so enqueue "$T/big.jsonl"
check_eq "a body over 1 MiB is refused, the next line lands" \
"1 $T/big.jsonl:1: body: longer than 1048576 bytes
enqueued 1 draft, 0 unchanged, 1 bad line" "$RC $ERR"
so enqueue "$T/cit.jsonl"
check_eq "65 citations are refused" \
"1 $T/cit.jsonl:1: citations: more than 64 items
enqueued 0 drafts, 0 unchanged, 1 bad line" "$RC $ERR"

printf '{"id":"s-1","workflow":"w","body":"from stdin"}\n{"id":"s-2"}\n' >"$T/in1"
run "$SO" enqueue <"$T/in1"
check_eq "stdin: named <stdin>" \
"1 <stdin>:2: workflow: required
enqueued 1 draft, 0 unchanged, 1 bad line" "$RC $ERR"
printf '{"id":"s-3","workflow":"w","body":"dash"}\n' >"$T/in2"
run "$SO" enqueue - <"$T/in2"
check_eq "stdin via -: all good, exit 0" "0 enqueued 1 draft, 0 unchanged, 0 bad lines" "$RC $ERR"

printf '{"id":"ok-2","workflow":"w","body":"second, revised"}\n' >"$T/rev.jsonl"
so enqueue --replace "$T/rev.jsonl"
check_eq "--replace: a pending draft is replaced" \
    "0 enqueued 0 drafts, 1 replaced, 0 unchanged, 0 bad lines" "$RC $ERR"
check_eq "--replace: the new body is stored" "second, revised" \
    "$(sql "$SIGNOFF_QUEUE" "SELECT body FROM drafts WHERE id = 'ok-2'")"

printf '{"id":"j-1","workflow":"w","body":"x"}\n{"id":"j-2"}\n\n' >"$T/j.jsonl"
so enqueue --format json "$T/j.jsonl"
check_eq "--format json: summary object on stdout" \
    '{"added":1,"replaced":0,"unchanged":0,"bad":2,"errors":[{"line":2,"error":"workflow: required"},{"line":3,"error":"empty line"}]}' \
    "$OUT"
check_eq "--format json: exit 1" 1 "$RC"

so enqueue "$T/none.jsonl"
check_eq "a missing input file" "1 signoff: $T/none.jsonl: No such file or directory" "$RC $ERR"

printf '' >"$T/empty.jsonl"
so enqueue "$T/empty.jsonl"
check_eq "an empty file" "0 enqueued 0 drafts, 0 unchanged, 0 bad lines" "$RC $ERR"

# Batches: 2500 lines with bad ones spread over three batches.
python3 - "$T" <<'PY'
import sys
with open(sys.argv[1] + "/many.jsonl", "w") as f:
    for i in range(2500):
        if i in (10, 1500, 2499):
            f.write('{"id":"m-%d","workflow":"w"}\n' % i)
        else:
            f.write('{"id":"m-%d","workflow":"w","body":"draft %d"}\n' % (i, i))
PY
so enqueue "$T/many.jsonl"
check_eq "2500 lines over three batches" \
"1 $T/many.jsonl:11: body: required
$T/many.jsonl:1501: body: required
$T/many.jsonl:2500: body: required
enqueued 2497 drafts, 0 unchanged, 3 bad lines" "$RC $ERR"
check_eq "2500 lines: 2497 rows" 2497 "$(sql "$SIGNOFF_QUEUE" "SELECT count(*) FROM drafts WHERE id LIKE 'm-%'")"

# Progress: only on a terminal, only for a large or slow input. A FIFO that
# pauses for 1.5 s makes the input slow; `script` gives stderr a terminal.
if command -v script >/dev/null; then
    mkfifo "$T/fifo"
    ( printf '{"id":"f-1","workflow":"w","body":"b"}\n{"id":"f-2","workflow":"w","body":"b"}\n'
      sleep 1.5
      printf '{"id":"f-3","workflow":"w","body":"b"}\n' ) >"$T/fifo" &
    script -qec "$SO enqueue $T/fifo" /dev/null >"$T/tty.out" 2>&1
    check_eq "progress: the run succeeds on a terminal" 0 "$?"
    tty_out=$(tr -d '\r' <"$T/tty.out")
    check "progress: a line with the count and rate on a slow input" \
        grep -qE $'\e\\[Kenqueue: [1-3] drafts?, [0-9]+/s' <<<"$tty_out"
    check_contains "progress: cleared before the summary" \
        $'\e[Kenqueued 3 drafts, 0 unchanged, 0 bad lines' "$tty_out"
    wait
else
    ok "progress needs script(1) (skipped)"
fi
