#!/bin/sh
# Server figures: claim+decide throughput and latency over loopback (a
# bounded run: N drafts, C keep-alive connections), then wrk on /healthz.
#   bench/serve.sh BUILD_DIR [N] [C]
set -eu
bin=${1:-build}/signoff
n=${2:-2000}
c=${3:-8}
dir=$(mktemp -d)
trap 'kill $spid 2>/dev/null; rm -rf "$dir"' EXIT
tok=bench-token-0123456789abcdef
printf '%s bench reviewer\n%s prod producer\n' "$tok" "p$tok" >"$dir/tokens"
chmod 600 "$dir/tokens"
"$bin" init --queue "$dir/q.db" >/dev/null
python3 -c "
import json
for i in range($n):
    print(json.dumps({'id': 'B-%05d' % i, 'workflow': 'bench', 'body': 'text %d [1]' % i,
                      'citations': [{'n': 1, 'title': 't', 'excerpt': 'e'}]}))" >"$dir/d.jsonl"
"$bin" enqueue --queue "$dir/q.db" "$dir/d.jsonl" >/dev/null
"$bin" serve --queue "$dir/q.db" --tokens "$dir/tokens" --listen 127.0.0.1:0 \
    --threads 4 ${SYNC:+--synchronous $SYNC} 2>"$dir/log" &
spid=$!
while ! grep -q listening "$dir/log"; do sleep 0.05; done
url=$(sed -n 's/^signoff: listening on //p' "$dir/log")
echo "== signoff serve, $n drafts, synchronous=${SYNC:-full}, load: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$(dirname "$0")/serve_load.py" "$url" "$tok" "$c"
if command -v wrk >/dev/null; then
    echo "== wrk -t2 -c16 -d5s $url/healthz"
    wrk -t2 -c16 -d5s --latency "$url/healthz" | grep -E "Requests/sec|50%|99%|requests in"
fi
