#!/bin/bash
# --help, --version and usage errors of the commands and of signoff itself:
# help goes to stdout with exit 0, usage errors to stderr with exit 2 and a
# hint, an unknown command lists the commands.
. "$(dirname "$0")/../lib.sh"

for cmd in init enqueue list show claim decide demo; do
    so "$cmd" --help
    check_eq "$cmd --help exits 0" 0 "$RC"
    check_eq "$cmd --help writes nothing on stderr" "" "$ERR"
    case "$OUT" in "usage: signoff $cmd "*) ok "$cmd --help starts with its usage" ;;
        *) notok "$cmd --help starts with its usage"; echo "    got: ${OUT%%$'\n'*}" ;; esac
    check_contains "$cmd --help documents --help" "  -h, --help " "$OUT"
    so "$cmd" -h
    check_eq "$cmd -h is --help" 0 "$RC"

    so "$cmd" --version
    check_eq "$cmd --version" "0 signoff $(cat "$TOP/VERSION")" "$RC $OUT"

    so "$cmd" --frobnicate
    check_eq "$cmd --frobnicate: exit 2" 2 "$RC"
    check_eq "$cmd --frobnicate: message and hint" \
        "signoff $cmd: unknown option '--frobnicate'
Try 'signoff $cmd --help'." "$ERR"
    check_eq "$cmd --frobnicate: nothing on stdout" "" "$OUT"
done

for cmd in init enqueue list show claim decide demo; do
    so "$cmd" --queue
    check_eq "$cmd --queue without a value" "2 signoff $cmd: option '--queue' needs a value" \
        "$RC ${ERR%%$'\n'*}"
done

so list --format xml
check_eq "list --format xml" "2 signoff list: --format: expected table or json, not 'xml'" \
    "$RC ${ERR%%$'\n'*}"
so claim --format yaml
check_eq "claim --format yaml" "2 signoff claim: --format: expected text, json or id, not 'yaml'" \
    "$RC ${ERR%%$'\n'*}"
so list --status done
check_eq "list --status done" \
    "2 signoff list: --status: expected open, pending, claimed, decided, resolve, escalated or all, not 'done'" \
    "$RC ${ERR%%$'\n'*}"
so list --limit 0
check_eq "list --limit 0" "2 signoff list: --limit: expected a positive number, not '0'" \
    "$RC ${ERR%%$'\n'*}"
so claim --lease 0
check_eq "claim --lease 0" "2 signoff claim: --lease: expected seconds from 1 to 86400, not '0'" \
    "$RC ${ERR%%$'\n'*}"
so demo --seed -3
check_eq "demo --seed -3" "2 signoff demo: --seed: expected a number from 0 to 2147483647, not '-3'" \
    "$RC ${ERR%%$'\n'*}"
so show
check_eq "show without an id" "2 signoff show: which draft? (an ID)" "$RC ${ERR%%$'\n'*}"
so show a b
check_eq "show with two ids" "2 signoff show: one draft at a time, not 'b'" "$RC ${ERR%%$'\n'*}"
so enqueue a.jsonl b.jsonl
check_eq "enqueue with two files" "2 signoff enqueue: one input file at most, not 'b.jsonl'" \
    "$RC ${ERR%%$'\n'*}"
so init extra
check_eq "init with an argument" "2 signoff init: unexpected argument 'extra'" "$RC ${ERR%%$'\n'*}"

so --help
check_eq "signoff --help exits 0" 0 "$RC"
check_contains "signoff --help lists enqueue" "  enqueue    add drafts from JSON Lines (a file or -)" "$OUT"
check_contains "signoff --help lists decide" "  decide     record a decision on a draft" "$OUT"
so --version
check_eq "signoff --version" "0 signoff $(cat "$TOP/VERSION")" "$RC $OUT"
so help
check_eq "signoff help exits 0" 0 "$RC"
so frobnicate
check_eq "unknown command: exit 2" 2 "$RC"
check_eq "unknown command: message" "signoff: frobnicate: unknown command" "${ERR%%$'\n'*}"
check_contains "unknown command: lists the commands" "  claim      claim the next draft (for scripts)" "$ERR"

# A bad config line is a warning (once), not a failure.
mkdir -p "$XDG_CONFIG_HOME/signoff"
printf 'queue = %s\nbogus line\n' "$T/cfg.db" >"$XDG_CONFIG_HOME/signoff/config"
so init
check_eq "config: init uses the config's queue" "0 created queue $T/cfg.db" "$RC $OUT"
check_eq "config: a bad line is one warning" \
    "signoff: warning: $XDG_CONFIG_HOME/signoff/config:2: unknown setting 'bogus' (expected queue, theme, reviewer, ca_file, token_file, durability, role, mouse or bind)" \
    "$ERR"
SIGNOFF_QUEUE=$T/env.db so init
check_eq "config: \$SIGNOFF_QUEUE beats the config" "0 created queue $T/env.db" "$RC ${OUT}"
so init --queue "$T/opt.db"
check_eq "config: --queue beats both" "0 created queue $T/opt.db" "$RC ${OUT}"

# Every help fits an 80-column terminal: signoff's own and each command's
# (the commands as signoff --help lists them).
so --help
check "signoff --help: no line over 80 columns" \
    test "$(awk '{ if (length > m) m = length } END { print m + 0 }' <<<"$OUT")" -le 80
for cmd in $(sed -n '/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p' <<<"$OUT"); do
    so "$cmd" --help
    wide=$(awk 'length > 80' <<<"$OUT")
    check_eq "$cmd --help: no line over 80 columns" "" "$wide"
done
