#!/usr/bin/env python3
"""A producer that closes the loop with signoff, standard library only.

It sends AI drafts to a `signoff serve` queue, waits for their outcomes on
the feed (GET /v1/events, a long poll) from a cursor it stores, acts on
each final outcome, and records that it acted (POST .../applied). Run it
with a producer token:

    producer.py --server http://127.0.0.1:8750 --token-file prod.token \
                --state ./state [--enqueue drafts.jsonl] [--handle N]

What it keeps in --state:
    cursor        "SEQ HASH" of the last event handled (written atomically
                  after each event, so a restart resumes with no gap and no
                  duplicate; HASH lets it check that the next event links)
    sent.jsonl    what it "sent": one line per outcome acted on (a stand-in
                  for the helpdesk/CRM call of a real system)

The rules it follows (signoff-queue(5), OUTCOMES):
  - an event with "outcome" is a final, released outcome: act on it (send
    outcome.text for approve/edit; a reject says why in reason/note), then
    record applied with a request id made from the event, so a retry after
    a crash records it once;
  - an event with "revokes": an outcome it acted on was undone after its
    release: take back what was done;
  - every other event (reviews of four-eyes drafts, retracted outcomes,
    action records) needs nothing.
"""
import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request


class Api:
    def __init__(self, server, token):
        self.server = server.rstrip("/")
        self.token = token

    def call(self, method, path, body=None, ctype="application/json",
             timeout=40):
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
        rq = urllib.request.Request(self.server + path, data=data,
                                    method=method)
        rq.add_header("Authorization", "Bearer " + self.token)
        if data is not None:
            rq.add_header("Content-Type", ctype)
        for attempt in range(5):
            try:
                with urllib.request.urlopen(rq, timeout=timeout) as r:
                    return json.load(r)
            except urllib.error.HTTPError as e:
                if e.code not in (408, 429, 500, 502, 503, 504):
                    raise SystemExit("%s %s: HTTP %d: %s" % (
                        method, path, e.code, e.read()[:300].decode(errors="replace")))
            except (urllib.error.URLError, TimeoutError, ConnectionError):
                pass
            time.sleep(0.2 * 2 ** attempt)
        raise SystemExit("%s %s: the server did not answer" % (method, path))


def read_cursor(state):
    try:
        seq, h = open(os.path.join(state, "cursor")).read().split()
        return int(seq), None if h == "-" else h
    except FileNotFoundError:
        return 0, None


def write_cursor(state, seq, h):
    tmp = os.path.join(state, "cursor.tmp")
    with open(tmp, "w") as f:
        f.write("%d %s\n" % (seq, h))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, os.path.join(state, "cursor"))


def act(state, event):
    """Stand-in for the real action: 'send' the approved or edited text."""
    o = event["outcome"]
    line = {"draft": event["draft_id"], "seq": event["seq"],
            "action": o["action"], "text": o["text"], "reason": o["reason"]}
    with open(os.path.join(state, "sent.jsonl"), "a") as f:
        f.write(json.dumps(line) + "\n")
    return "sent-%d" % event["seq"]


def take_back(state, event):
    with open(os.path.join(state, "sent.jsonl"), "a") as f:
        f.write(json.dumps({"draft": event["draft_id"],
                            "revoked": event["revokes"]}) + "\n")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--server", required=True)
    p.add_argument("--token-file", required=True)
    p.add_argument("--state", required=True)
    p.add_argument("--enqueue", help="a JSON Lines file of drafts to send")
    p.add_argument("--workflow", help="only this workflow's events")
    p.add_argument("--handle", type=int, default=0,
                   help="stop after acting on N outcomes (0: run forever)")
    a = p.parse_args()
    api = Api(a.server, open(a.token_file).read().strip())
    os.makedirs(a.state, exist_ok=True)

    if a.enqueue:
        r = api.call("POST", "/v1/drafts", open(a.enqueue, "rb").read(),
                     "application/x-ndjson")
        if r["failed"]:
            sys.exit("enqueue: %d drafts refused: %s" % (r["failed"], r))

    seq, last_hash = read_cursor(a.state)
    handled = 0
    while not a.handle or handled < a.handle:
        path = "/v1/events?after=%d&limit=100&wait=20" % seq
        if a.workflow:
            path += "&workflow=" + urllib.request.quote(a.workflow, safe="")
        page = api.call("GET", path)
        for e in page["events"]:
            # the chain links: nothing was missed or altered in between
            if last_hash is not None and e["prev_hash"] != last_hash and \
                    not a.workflow:
                sys.exit("feed: event %d does not link to %d" % (e["seq"], seq))
            if e["outcome"]:
                ref = act(a.state, e)
                api.call("POST", "/v1/drafts/%s/applied" %
                         urllib.request.quote(e["draft_id"], safe=""),
                         {"request_id": "applied-%d" % e["seq"], "ref": ref})
                handled += 1
            elif e["revokes"]:
                take_back(a.state, e)
            seq, last_hash = e["seq"], e["hash"]
            write_cursor(a.state, seq, last_hash)
            if a.handle and handled >= a.handle:
                break
        else:
            if page["next_after"] > seq:  # records of other workflows
                seq = page["next_after"]
                last_hash = None
                write_cursor(a.state, seq, "-")


if __name__ == "__main__":
    main()
