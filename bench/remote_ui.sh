#!/bin/sh
# bench/remote_ui.sh SIGNOFF PTYRUN [RUNS]: the time from the decision key
# (a) to the next draft drawn, and to the end of that frame (status-bar
# counts included), on a local queue and on the same queue through
# `signoff serve` behind bench/delay_proxy.py, DELAY_MS (default 50) each
# way. Prints "local drawn_ms=.. done_ms=.." and "remote ..." (medians of
# RUNS, default 5). make bench runs it; it also runs alone.
set -eu
SO=$1
PTY=$2
RUNS=${3:-5}
DELAY=${DELAY_MS:-50}
HERE=$(cd "$(dirname "$0")" && pwd)
W=$(mktemp -d "${TMPDIR:-/var/tmp}/signoff-rui.XXXXXX")
SPID=""
PPID_=""
trap 'kill $SPID $PPID_ 2>/dev/null || true; rm -rf "$W"' EXIT
export HOME="$W/home" XDG_DATA_HOME="$W/home/data" XDG_STATE_HOME="$W/home/state" \
       XDG_CONFIG_HOME="$W/home/config" TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8 \
       SIGNOFF_REVIEWER=bench TERM=xterm-256color
unset SIGNOFF_QUEUE NO_COLOR
mkdir -p "$HOME"

awk 'BEGIN { for (i = 1; i <= 100; i++)
  printf "{\"id\":\"B-%07d\",\"workflow\":\"support-replies\",\"model\":\"m-1\",\"confidence\":0.5,\"title\":\"Request %d about an order\",\"body\":\"Thanks for writing. Your order %d qualifies under our policy [1] and we will follow up within two days.\",\"citations\":[{\"n\":1,\"title\":\"Policy\",\"uri\":\"https://kb.example/p\",\"excerpt\":\"Orders qualify within 30 days of delivery.\",\"quote\":\"within 30 days\"}]}\n", i, i, i }' > "$W/d.jsonl"
"$SO" init --queue "$W/q.db" >/dev/null
"$SO" enqueue --queue "$W/q.db" "$W/d.jsonl" 2>/dev/null
# The key comes 300 ms after the draft is drawn, under the default minimum
# time on screen (1 s), which would answer "look first" and time nothing;
# the UI redraws the lease every second, so the script cannot wait it out.
SIGNOFF_ROLE=supervisor "$SO" workflow set support-replies --min-seen 0 \
    --queue "$W/q.db" >/dev/null

printf 'benchtoken000000000000000000000001 bench reviewer\n' > "$W/tokens"
printf 'benchtoken000000000000000000000001\n' > "$W/token"
chmod 600 "$W/tokens" "$W/token"
: > "$W/serve.log"
"$SO" serve --queue "$W/q.db" --listen 127.0.0.1:0 --tokens "$W/tokens" 2> "$W/serve.log" &
SPID=$!
i=0
while ! grep -q 'listening on' "$W/serve.log" && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
PORT=$(sed -n 's/.*listening on http:[^ ]*:\([0-9]*\).*/\1/p' "$W/serve.log" | head -1)
python3 -u "$HERE/delay_proxy.py" "$DELAY" 127.0.0.1 "$PORT" > "$W/proxy.log" 2>&1 &
PPID_=$!
i=0
while ! grep -q 'listening on' "$W/proxy.log" 2>/dev/null && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
URL="http://127.0.0.1:$(sed -n 's/^listening on //p' "$W/proxy.log")"

# one QUEUE LABEL: RUNS runs of open the first draft, approve it, time the
# next one; prints "LABEL drawn_ms=.. done_ms=..".
one() {
    : > "$W/t.txt"
    n=0
    while [ $n -lt "$RUNS" ]; do
        SIGNOFF_TOKEN_FILE="$W/token" "$PTY" 80 24 \
          'wait:order;key:\n;wait:grounding;settle:300;mark:pre;key:a;wait:approve B-;mark:drawn;settle:600;last:done' \
          -- "$SO" review --queue "$1" >> "$W/t.txt" 2>/dev/null || true
        n=$((n + 1))
    done
    awk -v label="$2" '
      /^pre / { sub("ms=", "", $2); p = $2 }
      /^drawn / { sub("ms=", "", $2); d[++nd] = $2 - p }
      /^done / { sub("ms=", "", $2); e[++ne] = $2 - p }
      function med(a, n,   i, j, t) {
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
          if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
        return n ? a[int((n + 1) / 2)] : -1 }
      END { printf "%s drawn_ms=%.1f done_ms=%.1f\n", label, med(d, nd), med(e, ne) }' "$W/t.txt"
}
one "$W/q.db" local
one "$URL" remote
