#!/bin/bash
# Shell completion made from the tables behind --help: bash completes
# commands, each command's options (the same set its --help lists), the
# --by dimensions, decide's actions, workflow's subcommands and workflow
# names read from the queue (given with --queue or $SIGNOFF_QUEUE); the zsh
# script names every option too (zsh -n when zsh is installed).
. "$(dirname "$0")/../lib.sh"
mkdir -p "$T/bin"
ln -s "$SO" "$T/bin/signoff"
export PATH="$T/bin:$PATH" SIGNOFF_QUEUE="$T/q.db"
so completion bash
check_eq "completion bash: exit 0" 0 "$RC"
printf '%s\n' "$OUT" >"$T/signoff.bash"
run bash -n "$T/signoff.bash"
check_eq "the bash script parses" "0 " "$RC $ERR"
# comp WORD...: what bash completes for the last word.
comp() {
    bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
             _signoff; printf "%s\n" "${COMPREPLY[@]}" | sort | paste -sd" "' \
        _ "$T/signoff.bash" "$@"
}
check_eq "signoff st<TAB>: the command" "stats" "$(comp signoff st)"
check_eq "signoff w<TAB>" "workflow" "$(comp signoff w)"
check_eq "signoff stats --b<TAB>" "--by" "$(comp signoff stats --b)"
check_eq "signoff stats --by <TAB>: the dimensions" \
    "band day model pair phase reviewer workflow" "$(comp signoff stats --by '')"
check_eq "signoff decide D-1 <TAB>: the actions" \
    "approve edit escalate reject" "$(comp signoff decide D-1 '')"
check_eq "signoff workflow <TAB>: its subcommands" \
    "list pause resume set show" "$(comp signoff workflow '')"
check_eq "signoff list --workflow <TAB> before any queue exists: nothing" \
    "" "$(comp signoff list --workflow '')"
so init
so workflow set refunds --threshold 0.2
so workflow set support --threshold 0.3
check_eq "signoff list --workflow <TAB>: the queue's workflows" \
    "refunds support" "$(comp signoff list --workflow '')"
check_eq "signoff stats -w s<TAB>" "support" "$(comp signoff stats -w s)"
check_eq "signoff workflow show <TAB>" "refunds support" \
    "$(comp signoff workflow show '')"
SIGNOFF_QUEUE= "$SO" init --queue "$T/other.db" >/dev/null 2>&1
SIGNOFF_QUEUE= "$SO" workflow set other --queue "$T/other.db" --threshold 0.5 >/dev/null 2>&1
check_eq "--queue on the line chooses the queue" "other" \
    "$(SIGNOFF_QUEUE= comp signoff claim --queue "$T/other.db" --workflow '')"
# Every option of every --help, and no other, is offered.
bad=""
for c in $("$SO" --help | awk '/^Commands:/{on=1; next} on && !NF {exit} on {print $1}'); do
    want=$("$SO" "$c" --help | grep -oE '^ {2,6}(-[A-Za-z0-9], )?--[a-z][a-z-]*' |
        grep -oE -- '--?[A-Za-z0-9][a-z-]*' | sort -u | paste -sd' ')
    got=$(comp signoff "$c" - | tr ' ' '\n' | sort -u | paste -sd' ')
    [ "$want" = "$got" ] || bad="$bad $c(help: $want; completion: $got)"
done
check_eq "every command: the options of its --help, exactly" "" "$bad"
so completion zsh
check_eq "completion zsh: exit 0" 0 "$RC"
check_contains "zsh: a #compdef script" "#compdef signoff" "$OUT"
check_contains "zsh: an option with its help" \
    "'(-b --by)'{-b,--by}'[group by workflow (default), model, reviewer, day]:DIM:(workflow model reviewer day band pair phase)'" "$OUT"
if command -v zsh >/dev/null 2>&1; then
    printf '%s\n' "$OUT" >"$T/_signoff"
    run zsh -n "$T/_signoff"
    check_eq "the zsh script parses (zsh -n)" "0 " "$RC $ERR"
else
    echo "# skipped zsh -n: zsh is not installed"
fi
so completion fish
check_eq "completion fish: usage error" 2 "$RC"
