#!/usr/bin/env python3
"""A webhook receiver for signoff, standard library only.

Verifies each delivery per the Standard Webhooks specification (the same
check any Standard Webhooks library makes), drops duplicates by
webhook-id (delivery is at least once), acts on outcomes, and answers 2xx
only once the event is handled (anything else is retried):

    receiver.py --secret-file whsec.txt --port 8089 --out handled.jsonl
    signoff hook add --workflow support --url http://HOST:8089/signoff \
        --secret-file whsec.txt

A producer that also records its actions posts them with a producer token
(see producer.py); this example only writes what it would act on.
"""
import argparse, base64, hashlib, hmac, json, os, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE = 300  # seconds between webhook-timestamp and now


def verify(key, headers, body):
    """True when one v1 signature matches HMAC-SHA256(id.timestamp.body)."""
    try:
        msg_id = headers["webhook-id"]
        ts = headers["webhook-timestamp"]
        if abs(time.time() - int(ts)) > TOLERANCE:
            return False
        mac = hmac.new(key, b"%s.%s.%s" % (msg_id.encode(), ts.encode(), body),
                       hashlib.sha256).digest()
        want = base64.b64encode(mac)
        return any(hmac.compare_digest(want, s.split(",", 1)[1].encode())
                   for s in headers["webhook-signature"].split()
                   if s.startswith("v1,"))
    except (KeyError, ValueError, IndexError):
        return False


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--secret-file", required=True)
    p.add_argument("--port", type=int, default=8089)
    p.add_argument("--port-file", help="write the port bound here (port 0)")
    p.add_argument("--out", required=True, help="handled events, JSON Lines")
    a = p.parse_args()
    key = base64.b64decode(open(a.secret_file).read().strip()[len("whsec_"):])
    seen = set()
    if os.path.exists(a.out):
        seen = {json.loads(l)["webhook_id"] for l in open(a.out)}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def answer(self, code):
            self.send_response(code)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_POST(self):
            n = int(self.headers.get("Content-Length", "0"))
            if n > 4 << 20:
                return self.answer(413)
            body = self.rfile.read(n)
            h = {k.lower(): v for k, v in self.headers.items()}
            if not verify(key, h, body):
                return self.answer(401)  # not from signoff: never retried into
            msg_id = h["webhook-id"]
            if msg_id in seen:  # a retry or a replay: handled already
                return self.answer(204)
            msg = json.loads(body)
            event = msg["data"]
            if msg["type"] == "signoff.outcome":
                o = event["outcome"]
                todo = {"send": o["text"]} if o["text"] is not None else \
                    {"close": o["reason"]}
            elif msg["type"] == "signoff.revoke":
                todo = {"take_back": event["revokes"]}
            else:
                todo = None
            with open(a.out, "a") as f:
                f.write(json.dumps({"webhook_id": msg_id, "type": msg["type"],
                                    "draft": event.get("draft_id"),
                                    "todo": todo}) + "\n")
            seen.add(msg_id)
            self.answer(204)

    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    if a.port_file:
        with open(a.port_file + ".tmp", "w") as f:
            f.write(str(srv.server_address[1]))
        os.replace(a.port_file + ".tmp", a.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    main()
