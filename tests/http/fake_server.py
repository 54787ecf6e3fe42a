#!/usr/bin/env python3
"""A misbehaving HTTP(S) server for the client fault tests.

usage: fake_server.py PORTFILE [CERT KEY]
Prints its port into PORTFILE once listening. The first path segment picks
the misbehaviour, so one server plays them all: a client opened on
http://127.0.0.1:PORT/drip sends /drip/v1/me. Requests are counted in
PORTFILE.hits (one line per request: number, time, path). Modes:
  drip       answer /v1/me with a valid body, one byte a second
  redirect   302 to file:///etc/passwd
  huge       a 10 MiB chunked body
  retry      503 + Retry-After: 1 twice, then a valid /v1/me
  garbage    200 with a non-JSON body
  truncated  Content-Length larger than the body, then close
  ok         a valid /v1/me (for the TLS test)
"""
import http.server
import os
import socketserver
import ssl
import sys
import time

PORTFILE = sys.argv[1]
ME = b'{"reviewer":"alice","role":"reviewer","decided_today":0}'
hits = {}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_plain(self, code, body, headers=()):
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        mode = self.path.split("/")[1]
        hits[mode] = hits.get(mode, 0) + 1
        with open(PORTFILE + ".hits", "a") as f:
            f.write("%d %.3f %s\n" % (hits[mode], time.time(), self.path))
        getattr(self, "mode_" + mode, self.mode_ok)()

    do_POST = do_GET

    def mode_ok(self):
        self.send_plain(200, ME)

    def mode_drip(self):
        self.send_response(200)
        self.send_header("Content-Length", str(len(ME)))
        self.end_headers()
        try:
            for b in ME:
                self.wfile.write(bytes([b]))
                self.wfile.flush()
                time.sleep(1)
        except OSError:
            pass

    def mode_redirect(self):
        self.send_plain(302, b"", [("Location", "file:///etc/passwd")])

    def mode_huge(self):
        self.send_response(200)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = b'"' + b"x" * (64 * 1024 - 2) + b'"'
        try:
            for i in range(160):  # 10 MiB
                piece = (b"," if i else b'{"pad":[') + chunk
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass

    def mode_retry(self):
        if hits["retry"] <= 2:
            self.send_plain(503, b'{"error":{"code":"busy","message":"try later"}}',
                            [("Retry-After", "1")])
        else:
            self.send_plain(200, ME)

    def mode_garbage(self):
        self.send_plain(200, b"<html>\x1b[31mnot json</html>")

    def mode_truncated(self):
        self.send_response(200)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        self.wfile.write(ME[:20])
        self.wfile.flush()
        self.close_connection = True


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # clients that give up early are the point of these tests


srv = Server(("127.0.0.1", 0), Handler)
if len(sys.argv) > 3:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(sys.argv[2], sys.argv[3])
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
with open(PORTFILE + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(PORTFILE + ".tmp", PORTFILE)
srv.serve_forever()
