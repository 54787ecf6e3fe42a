#!/bin/bash
# The editor cannot be driven by the draft: vi-family editors ($EDITOR=vim,
# nvim, vi) are started with modelines off, on a private 0600 file, and a
# draft body carrying a vim modeline is edited as plain text. Fake editors
# named like the real ones (first in PATH) record how they were started.
. "$(dirname "$0")/ui.inc"
mkdir -p "$T/bin"
for ed in vim nvim vi; do
    cat >"$T/bin/$ed" <<ED
#!/bin/sh
# the last argument is the file
for f; do :; done
printf '%s\n' "\$*" >"$T/args.$ed"
stat -c %a "\$f" >"$T/perm.$ed"
sed -i 's/30 days/14 days/' "\$f"
ED
    chmod +x "$T/bin/$ed"
done
export PATH="$T/bin:$PATH" TMPDIR="$T"
for ed in vim nvim vi; do
    newq "modeline-$ed"
    jd D-1 "Modeline draft" "Refunds take 30 days [1]. vim: set shell=/bin/evil: ex: !rm -rf ~" 3 | enq
    EDITOR=$ed review 100x30
    ui_wait "Modeline draft"; ui_keys Enter; ui_wait "Refunds take 30 days"
    ui_keys e
    check "$ed: the edit comes back for confirmation" ui_wait "Save this edit?"
    check_contains "$ed: started with modelines off" "set nomodeline" "$(cat "$T/args.$ed" 2>&1)"
    check_eq "$ed: on a private file" 600 "$(cat "$T/perm.$ed" 2>&1)"
    ui_keys y
    ui_keys q q; exited >/dev/null; ui_stop
    check_eq "$ed: the modeline stayed text in the final body" \
        "Refunds take 14 days [1]. vim: set shell=/bin/evil: ex: !rm -rf ~" \
        "$(sql "$Q" "SELECT final_body FROM decisions WHERE draft='D-1'")"
done
