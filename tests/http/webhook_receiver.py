#!/usr/bin/env python3
"""A webhook receiver for the tests: verifies every Standard Webhooks
signature (HMAC-SHA256 of id.timestamp.body with the whsec_ key) and
records each delivery as one JSON line (headers, body, verified).

    webhook_receiver.py SECRET_FILE LOG_FILE PORT_FILE MODE_FILE

PORT_FILE gets the bound port (127.0.0.1, chosen by the system). MODE_FILE
is read at each request; its first word says how to answer:
    ok (or missing)  204
    delay            204 after 50 ms
    fail             500
    redirect         302 to /elsewhere
    garbage          a status line that is not HTTP
    huge             200 with a 10 MB body
    slow             200 whose body drips one byte a second
Deliveries are logged whatever the answer, with "answer".
"""
import base64, hashlib, hmac, json, os, socketserver, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

secret_file, log_file, port_file, mode_file = sys.argv[1:5]
key = base64.b64decode(open(secret_file).read().strip()[len("whsec_"):])


def verified(h, body):
    try:
        msg_id, ts = h["webhook-id"], h["webhook-timestamp"]
        signed = b"%s.%s.%s" % (msg_id.encode(), ts.encode(), body)
        want = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest())
        sigs = [s.split(",", 1)[1].encode() for s in
                h["webhook-signature"].split() if s.startswith("v1,")]
        return any(hmac.compare_digest(want, s) for s in sigs) and \
            abs(time.time() - int(ts)) < 300
    except Exception:
        return False


class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        try:
            mode = open(mode_file).read().split()[0]
        except (OSError, IndexError):
            mode = "ok"
        h = {k.lower(): v for k, v in self.headers.items()}
        rec = {"path": self.path, "headers": {k: h.get(k) for k in (
            "webhook-id", "webhook-timestamp", "webhook-signature",
            "content-type")}, "body": body.decode("utf-8", "replace"),
            "verified": verified(h, body), "answer": mode, "at": time.time()}
        with open(log_file, "a") as f:
            f.write(json.dumps(rec) + "\n")
        if mode == "delay":
            time.sleep(0.05)
            mode = "ok"
        if mode == "fail":
            self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif mode == "redirect":
            self.send_response(302)
            self.send_header("Location", "/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif mode == "garbage":
            self.wfile.write(b"NOT-HTTP garbage\r\n\r\n")
            self.close_connection = True
        elif mode == "huge":
            self.send_response(200)
            self.send_header("Content-Length", str(10 << 20))
            self.end_headers()
            try:
                for _ in range(160):
                    self.wfile.write(b"x" * 65536)
            except OSError:
                pass
        elif mode == "slow":
            self.send_response(200)
            self.send_header("Content-Length", "60")
            self.end_headers()
            try:
                for _ in range(60):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(1)
            except OSError:
                pass
        else:
            self.send_response(204)
            self.end_headers()


class S(ThreadingHTTPServer):
    daemon_threads = True


srv = S(("127.0.0.1", int(os.environ.get("RECEIVER_PORT", "0"))), H)
with open(port_file + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.replace(port_file + ".tmp", port_file)
srv.serve_forever()
