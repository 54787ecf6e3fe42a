#!/bin/bash
# Hostile input (tests/data/hostile): every draft that is accepted is
# enqueued, listed, shown, decided (with hostile notes and edited bodies) and
# exported without a crash, and no text output carries a raw ESC, another C0
# control, DEL, a C1 control or a bidi control; every refused file is refused
# with a "FILE:LINE: field: why" message and leaves nothing behind; a note
# with controls or bidi controls is refused at entry (names.h). JSON
# output carries none of those nor an invisible character raw (they are
# \u escapes) and parses back to the strings that were enqueued.
. "$(dirname "$0")/../lib.sh"
H=$TOP/tests/data/hostile
test_queue q || exit 0
export SIGNOFF_QUEUE=$Q
so init
check_eq "init a queue for the hostile corpus" 0 "$RC"

# Bytes a terminal would act on, in text output.
UNSAFE='\x1b|\xc2[\x80-\x9f]|\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]|\xd8\x9c|[\x00-\x08\x0b-\x1f\x7f]'
# In JSON output also no invisible (ZWSP, ZWNJ, ZWJ, WJ, BOM, soft hyphen).
UNSAFE_JSON="$UNSAFE"'|\xe2\x80[\x8b-\x8d]|\xe2\x81\xa0|\xef\xbb\xbf|\xc2\xad'
# same_strings WHAT KEYS FILE...: ok if every object in the JSON FILEs (an
# array of them or one) has, for each of KEYS it shares with the draft of
# its id in the enqueued corpus, the value that was enqueued.
same_strings() {
    local what=$1 keys=$2; shift 2
    run python3 - "$keys" "$H" "$T/big.jsonl" "$@" <<'EOF'
import json, sys
keys, hdir, big, files = sys.argv[1].split(), sys.argv[2], sys.argv[3], sys.argv[4:]
sent = {}
for name in "escapes overwrite bidi sql nested_ok wide ids".split():
    for line in open(f"{hdir}/{name}.jsonl", encoding="utf-8"):
        try:
            d = json.loads(line)
            sent[d["id"]] = d
        except (ValueError, KeyError, TypeError):
            pass
sent["H-big"] = json.load(open(big, encoding="utf-8"))
n = 0
for f in files:
    got = json.load(open(f, encoding="utf-8"))
    for o in got if isinstance(got, list) else [got]:
        for k in keys:
            if k in o and k in sent[o["id"]] and o[k] != sent[o["id"]][k]:
                sys.exit(f"{o['id']!r}.{k}: {o[k]!r} != {sent[o['id']][k]!r}")
        n += 1
print(n)
EOF
    check_eq "$what parses back to the enqueued strings" "0 ${#ids[@]}" "$RC $OUT"
    [ "$RC" = 0 ] || echo "    $ERR"
}
# clean NAME FILE [PATTERN]: ok if FILE holds none of the unsafe bytes.
clean() {
    local hits
    hits=$(LC_ALL=C grep -caP "${3:-$UNSAFE}" "$2")
    if [ "$hits" = 0 ]; then ok "$1"; else
        notok "$1"; LC_ALL=C grep -naP "${3:-$UNSAFE}" "$2" | head -3 | od -c | head -8; fi
}
# sor ARGS...: run the binary, keeping raw stdout/stderr in files.
sor() { "$SO" "$@" >"$T/out" 2>"$T/err"; RC=$?; }

accepted="escapes overwrite bidi sql nested_ok wide"
for f in $accepted; do
    sor enqueue "$H/$f.jsonl"
    check_eq "$f: enqueued" 0 "$RC"
    clean "$f: enqueue output is clean" "$T/out"
    clean "$f: enqueue errors are clean" "$T/err"
done

# Refused: each file has one bad line; the message names file and line.
for path in "$H"/refuse_*.jsonl; do
    f=$(basename "$path" .jsonl)
    sor enqueue "$path"
    check_eq "$f: refused (exit 1)" 1 "$RC"
    check_contains "$f: the message names file and line" "$path:1: " "$(cat "$T/err")"
    clean "$f: the message is clean" "$T/err"
done

# Id-like fields with controls: refused or accepted, never echoed raw.
sor enqueue "$H/ids.jsonl"
check "ids: enqueue answers (exit 0 or 1)" test "$RC" -le 1
clean "ids: enqueue messages are clean" "$T/err"

# Generated: a 5 MiB line is refused, a body just under 1 MiB accepted.
python3 - "$T" <<'EOF'
import json, sys
t = sys.argv[1]
big = "\x1b[2J" + "A" * (5 << 20)
open(t + "/huge.jsonl", "w").write(json.dumps({"id": "H-huge", "workflow": "hostile", "body": big}) + "\n")
body = ("reject\b\b\b\b\b\bapprove \u202e" * 40000)[: (1 << 20) - 4096]
open(t + "/big.jsonl", "w").write(json.dumps({"id": "H-big", "workflow": "hostile", "body": body}) + "\n")
open(t + "/rawesc.jsonl", "wb").write(b'{"id":"H-rawesc","workflow":"hostile","body":"raw \x1b[2J esc"}\n')
EOF
sor enqueue "$T/huge.jsonl"
check_eq "a 5 MiB line is refused" 1 "$RC"
check_contains "the huge line's message names it" "$T/huge.jsonl:1: " "$(cat "$T/err")"
clean "the huge line's message is clean" "$T/err"
sor enqueue "$T/big.jsonl"
check_eq "a body of almost 1 MiB of overwrites is accepted" 0 "$RC"
sor enqueue "$T/rawesc.jsonl"
check_eq "a raw ESC inside a JSON string is refused" 1 "$RC"
clean "the raw ESC is not echoed" "$T/err"

sor list --limit 1000
check_eq "list with hostile drafts" 0 "$RC"
clean "list output is clean" "$T/out"
sor list --format json --limit 1000
check_eq "list --format json" 0 "$RC"
clean "list json has no raw control, bidi or invisible character" "$T/out" "$UNSAFE_JSON"
mapfile -t ids < <(python3 -c 'import json,sys; [print(d["id"]) for d in json.load(open(sys.argv[1]))]' "$T/out")
check "every accepted draft is listed (${#ids[@]})" test "${#ids[@]}" -ge 21
cp "$T/out" "$T/list.json"
same_strings "list --format json" "id workflow model title" "$T/list.json"

printf 'edited \033]52;c;cm0gLXJmIH4K\007 body \342\200\256 reject\b\b\b\b\b\bapprove\r\n' >"$T/edit.txt"
n=0 bad_show=0 bad_decide=0
for id in "${ids[@]}"; do
    n=$((n + 1))
    sor show "$id"
    if [ "$RC" != 0 ] || LC_ALL=C grep -qaP "$UNSAFE" "$T/out" "$T/err"; then
        bad_show=$((bad_show + 1)); echo "    show $(printf %q "$id"): rc $RC"; fi
    sor show "$id" --format json
    if [ "$RC" != 0 ] || LC_ALL=C grep -qaP "$UNSAFE_JSON" "$T/out"; then
        bad_show=$((bad_show + 1)); echo "    show --format json $(printf %q "$id"): rc $RC"; fi
    cp "$T/out" "$T/show-$n.json"
    case $((n % 3)) in
    0) sor decide "$id" reject --reason factual --note $'note \e]0;pwned\a \xe2\x80\xae'
       if [ "$RC" != 2 ] || LC_ALL=C grep -qaP "$UNSAFE" "$T/out" "$T/err"; then
           bad_decide=$((bad_decide + 1)); echo "    a note with OSC 0 and U+202E: rc $RC (expected 2, refused)"; fi
       sor decide "$id" reject --reason factual --note 'note, "quoted"; --' ;;
    1) sor decide "$id" edit --body-file "$T/edit.txt" --note "it's \"fine\"; DROP TABLE decisions;--" ;;
    2) sor decide "$id" approve ;;
    esac
    if [ "$RC" != 0 ] || LC_ALL=C grep -qaP "$UNSAFE" "$T/out" "$T/err"; then
        bad_decide=$((bad_decide + 1)); echo "    decide $(printf %q "$id"): rc $RC: $(head -c 200 "$T/err")"; fi
done
check_eq "every hostile draft shows with clean output (text and json)" 0 "$bad_show"
same_strings "show --format json" \
    "id workflow model title input body metadata citations" "$T"/show-*.json
check_eq "every hostile draft is decided with clean output" 0 "$bad_decide"
sor show "${ids[0]}"
clean "show after the decision (with its hostile note) is clean" "$T/out"

for by in workflow model reviewer; do
    sor stats --by "$by"
    check_eq "stats --by $by over hostile names" 0 "$RC"
    clean "stats --by $by output is clean" "$T/out"
done
sor workflow list
check_eq "workflow list over hostile names" 0 "$RC"
clean "workflow list output is clean" "$T/out"

sor export
check_eq "export jsonl" 0 "$RC"
# the records: the decisions and the admin records of the workflows the
# enqueues made
nadm=$(sql "$SIGNOFF_QUEUE" "SELECT count(*) FROM decisions WHERE kind = 'admin'")
check_eq "export has a header and one line per record" $((${#ids[@]} + nadm + 1)) "$(wc -l <"$T/out")"
check_eq "export jsonl is printable ASCII only" 0 "$(LC_ALL=C grep -caP '[^\x20-\x7e]' "$T/out")"
cp "$T/out" "$T/export.jsonl"
sor export --format csv
check_eq "export csv" 0 "$RC"
# CSV carries the text itself (RFC 4180 quoting only) for spreadsheets and
# auditors: the hostile bytes are in it as stored, so it is never written
# to a terminal (tests/cli/export_csv.sh); Python's csv module reads one
# row per decision back.
check_eq "export csv: python's csv reads one row per record" "$((${#ids[@]} + nadm))" \
    "$(python3 -c 'import csv,sys; print(len(list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8", errors="surrogateescape")))))' "$T/out")"
# ... and the stored bytes of every text field, hostile ones included.
check_eq "export csv carries the stored text of every decision" "ok" "$(SIGNOFF_TESTS=$TOP/tests python3 - "$T/out" "$SIGNOFF_QUEUE" <<'PY'
import csv, os, sys
sys.path.insert(0, os.environ["SIGNOFF_TESTS"])
from qrows import rows as qrows
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8",
                                errors="surrogateescape")))
cols = ["reviewer", "reason", "note", "final_body"]
want = qrows(sys.argv[2], "SELECT %s FROM decisions ORDER BY seq" % ", ".join(cols))
b = lambda s: s.encode("utf-8", "surrogateescape") if s else None
bad = [(r["seq"], c) for r, w in zip(rows, want) for c, v in zip(cols, w)
       if b(r[c]) != (v or None)]
print("ok" if len(rows) == len(want) and not bad else "differ: %r" % bad[:3])
PY
)"
cp "$T/out" "$T/export.csv"
sor verify
check_eq "the chain of hostile decisions verifies" 0 "$RC"
check_contains "verify counts them" "audit chain ok: $((${#ids[@]} + nadm)) decisions" "$(cat "$T/out")"
sor verify --export "$T/export.jsonl"
check_eq "the jsonl export verifies without the database" 0 "$RC"
sor verify --export "$T/export.csv"
check_eq "the csv export verifies without the database" 0 "$RC"
check_eq "the tables survived the SQL in every field" \
    "$(sql "$SIGNOFF_QUEUE" 'SELECT count(*) FROM drafts')" "${#ids[@]}"
check_eq "integrity_check" ok "$(queue_integrity)"
