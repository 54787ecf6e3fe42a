#!/bin/bash
# Names and notes are checked at entry with one rule (names.h; issue 17,
# findings 5 and 14): a reviewer, workflow, model, owner or reason code
# with a control character (ESC, BEL, C1), a bidi control, an invisible
# character or invalid UTF-8 is refused with a message naming the field,
# from every entry point (options, environment, config, enqueue JSON);
# a note refuses ESC, BEL, bidi controls, invalid UTF-8 and the empty
# string, and keeps newlines and tabs. Nothing refused reaches the queue,
# so the export always verifies.
. "$(dirname "$0")/../lib.sh"
test_queue q || exit 0
export SIGNOFF_QUEUE=$Q
so init
printf '%s\n' '{"id":"N-1","workflow":"support","model":"m-1","body":"hello"}' \
    '{"id":"N-2","workflow":"support","body":"hello again"}' \
    '{"id":"N-3","workflow":"support","body":"and again"}' >"$T/d.jsonl"
so enqueue "$T/d.jsonl"
check_eq "drafts enqueued" 0 "$RC"

# clean_err NAME: ok when $ERR has no raw ESC, BEL, C1, bidi or invalid byte.
clean_err() {
    if printf %s "$ERR" | LC_ALL=C grep -qaP '\x1b|\x07|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xff'; then
        notok "$1"; else ok "$1"; fi
}

so decide N-1 approve --note $'bad \xff utf8'
check_eq "--note with invalid UTF-8: usage error" 2 "$RC"
check_contains "... naming the option and the byte" "--note: invalid UTF-8 at byte 4" "$ERR"
so decide N-1 approve --note $'osc \e]52;c;cm0gLXJm\a'
check_eq "--note with an OSC 52 (ESC, BEL): refused" 2 "$RC"
check_contains "... naming the control" "--note: control character U+001B at byte 4" "$ERR"
clean_err "... never echoed"
so decide N-1 approve --note $'rlo \u202e'
check_contains "--note with U+202E: refused" "--note: bidi control U+202E at byte 4" "$ERR"
so decide N-1 approve --note ''
check_eq "--note '': refused (leave --note out for no note)" \
    "2 signoff decide: --note: empty (leave it out for none)" "$RC ${ERR%%$'\n'*}"
check_eq "nothing was recorded" 0 "$(sql "$SIGNOFF_QUEUE" "SELECT count(*) FROM decisions WHERE kind <> 'admin'")"
so decide N-1 reject --reason factual --note $'two lines\n\tand a tab'
check_eq "a note with a newline and a tab is kept" "0 two lines
	and a tab" "$RC $(sql "$SIGNOFF_QUEUE" "SELECT note FROM decisions WHERE draft = 'N-1'")"
so decide N-2 reject --reason $'fact\e[1mual'
check_eq "--reason with ESC: usage error" 2 "$RC"
check_contains "... naming --reason" "--reason: control character U+001B at byte 4" "$ERR"
clean_err "... never echoed"

so list --workflow $'sup\u202eport'
check_contains "--workflow with a bidi control: refused" "--workflow: bidi control U+202E at byte 3" "$ERR"
so decide N-2 approve --reviewer $'bo\xffb'
check_eq "--reviewer with invalid UTF-8: refused" 1 "$RC"
check_contains "... naming --reviewer" "signoff: --reviewer: invalid UTF-8 at byte 2" "$ERR"
SIGNOFF_REVIEWER=$'bob\a' so decide N-2 approve
check_contains "SIGNOFF_REVIEWER with BEL: refused, naming it" \
    "signoff: SIGNOFF_REVIEWER: control character U+0007 at byte 3" "$ERR"
mkdir -p "$XDG_CONFIG_HOME/signoff"
printf 'reviewer = b\342\200\256ob\n' >"$XDG_CONFIG_HOME/signoff/config"
SIGNOFF_REVIEWER= so list
check_contains "a config reviewer with U+202E: the line is refused" \
    "config:1: reviewer: not a valid name" "$ERR"
rm "$XDG_CONFIG_HOME/signoff/config"
check_eq "no decision by a refused name" 0 \
    "$(sql "$SIGNOFF_QUEUE" "SELECT count(*) FROM decisions WHERE draft = 'N-2'")"

so workflow set $'evil\e]0;title\a' --owner ops
check_eq "workflow set with ESC/BEL in the name: usage error" 2 "$RC"
check_contains "... naming the workflow" "workflow name: control character U+001B at byte 4" "$ERR"
so workflow set support --owner $'o\xc2\x9bps'
check_contains "--owner with a C1 control: refused" "--owner: control character U+009B at byte 1" "$ERR"
so workflow pause support --reason $'why \e[2J'
check_contains "pause --reason with ESC: refused" "--reason: control character U+001B at byte 4" "$ERR"
check_eq "no workflow was created or changed" "support|" \
    "$(sql "$SIGNOFF_QUEUE" "SELECT name, coalesce(owner, '') FROM workflows")"

printf '%s\n' '{"id":"B-1","workflow":"ev\u202eil","body":"x"}' \
    '{"id":"B-2","workflow":"ok","model":"m\u0007","body":"x"}' \
    '{"id":"B-3","workflow":"ok","model":"m\u200b","body":"x"}' >"$T/bad.jsonl"
so enqueue "$T/bad.jsonl"
check_eq "enqueue: names with bidi, BEL, invisible characters refused" 1 "$RC"
check_contains "... workflow named" "bad.jsonl:1: workflow: bidi control U+202E at byte 2" "$ERR"
check_contains "... model named" "bad.jsonl:2: model: control character U+0007 at byte 1" "$ERR"
check_contains "... invisible named" "bad.jsonl:3: model: invisible character U+200B at byte 1" "$ERR"

# Finding 14: no false tamper alarm: what was accepted exports and verifies.
so export
check_eq "export" 0 "$RC"
printf '%s\n' "$OUT" >"$T/export.jsonl"
so verify --export "$T/export.jsonl"
check_eq "verify --export of the accepted decisions" 0 "$RC"
