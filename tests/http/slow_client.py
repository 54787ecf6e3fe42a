#!/usr/bin/env python3
"""A client that sends its request body slowly, for the server tests.

usage: slow_client.py PORT TOKEN MODE READYFILE
  stall   send the headers and part of the body, then nothing: print how
          many seconds passed before the server closed the connection
  late    send the headers and part of the body, touch READYFILE, wait
          1 s (the test sends SIGTERM meanwhile), finish the body and print
          the status line of the answer
"""
import os
import socket
import sys
import time

port, token, mode, ready = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
body = b'{"workflow":"support"}'
s = socket.create_connection(("127.0.0.1", port))
s.sendall(b"POST /v1/claim HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
          b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n"
          % (token.encode(), len(body)) + body[:5])
t0 = time.time()
open(ready, "w").close()
if mode == "stall":
    s.settimeout(60)
    try:
        data = s.recv(65536)
    except OSError:
        data = b""
    print("closed after %.1f s (%d bytes)" % (time.time() - t0, len(data)))
else:
    time.sleep(1)
    s.sendall(body[5:])
    s.settimeout(20)
    data = b""
    while b"\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    print(data.split(b"\r\n")[0].decode() if data else "no answer")
