#!/usr/bin/env python3
"""A reviewer process for the concurrency test: claim and approve through
`signoff serve` until nothing is left, over one keep-alive connection.

usage: worker.py URL TOKEN OUTFILE
Survives the server being killed: connection errors are retried, and a
decision is always resent with the same request_id, so the server records
it once. Writes one line per decision it got a 200/201 for:
"DRAFT_ID REQUEST_ID STATUS".
"""
import http.client
import json
import sys
import time
import urllib.parse
import uuid

url = urllib.parse.urlparse(sys.argv[1])
token, outfile = sys.argv[2], sys.argv[3]
headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
conn = None


def call(method, path, body=None):
    """One request; retries forever on connection errors (server away)."""
    global conn
    deadline = time.time() + 60
    while True:
        try:
            if conn is None:
                conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
            conn.request(method, path, body=body, headers=headers)
            r = conn.getresponse()
            data = r.read()
            if r.status in (503, 500):
                time.sleep(0.05)
                continue
            return r.status, data
        except (OSError, http.client.HTTPException):
            conn = None
            if time.time() > deadline:
                raise
            time.sleep(0.05)


with open(outfile, "w") as out:
    while True:
        status, data = call("POST", "/v1/claim", json.dumps({"lease_s": 3}))
        if status == 204:
            status, data = call("GET", "/v1/count?status=open")
            if json.loads(data)["count"] == 0:
                break
            time.sleep(0.2)  # drafts held by a lost claim come back soon
            continue
        draft = json.loads(data)["draft"]
        rid = str(uuid.uuid4())
        body = json.dumps({"request_id": rid, "action": "approve",
                           "lease_token": draft["lease_token"]})
        path = "/v1/drafts/%s/decision" % urllib.parse.quote(draft["id"], safe="")
        status, data = call("POST", path, body)
        out.write("%s %s %d\n" % (draft["id"], rid, status))
        out.flush()
