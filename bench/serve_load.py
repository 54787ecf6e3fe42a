#!/usr/bin/env python3
"""Bounded load on `signoff serve`: C keep-alive connections claim and
approve until the queue is empty; prints requests per second and latency
percentiles of the claim and decision requests.

usage: serve_load.py URL TOKEN CONNECTIONS
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse
import uuid

url = urllib.parse.urlparse(sys.argv[1])
token, nconn = sys.argv[2], int(sys.argv[3])
headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
lat = {"claim": [], "decision": []}
lock = threading.Lock()


def worker():
    c = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    mine = {"claim": [], "decision": []}
    while True:
        t = time.perf_counter()
        c.request("POST", "/v1/claim", body='{"lease_s":60}', headers=headers)
        r = c.getresponse()
        data = r.read()
        mine["claim"].append(time.perf_counter() - t)
        if r.status == 204:
            break
        d = json.loads(data)["draft"]
        body = json.dumps({"request_id": str(uuid.uuid4()), "action": "approve",
                           "lease_token": d["lease_token"]})
        t = time.perf_counter()
        c.request("POST", "/v1/drafts/%s/decision" % urllib.parse.quote(d["id"], safe=""),
                  body=body, headers=headers)
        r = c.getresponse()
        r.read()
        mine["decision"].append(time.perf_counter() - t)
        if r.status not in (200, 201):
            raise SystemExit("decision: HTTP %d" % r.status)
    with lock:
        for k in lat:
            lat[k] += mine[k]


t0 = time.perf_counter()
threads = [threading.Thread(target=worker) for _ in range(nconn)]
for t in threads:
    t.start()
for t in threads:
    t.join()
secs = time.perf_counter() - t0


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(len(v) * p / 100))] * 1000 if v else 0


total = len(lat["claim"]) + len(lat["decision"])
print("claim+decide: %d requests in %.2f s = %.0f req/s, %.0f drafts/s, %d connections"
      % (total, secs, total / secs, len(lat["decision"]) / secs, nconn))
for k in ("claim", "decision"):
    print("  %-8s p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  (n=%d)"
          % (k, pct(lat[k], 50), pct(lat[k], 90), pct(lat[k], 99), len(lat[k])))
