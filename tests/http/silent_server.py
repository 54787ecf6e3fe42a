#!/usr/bin/env python3
"""A server that takes connections and never answers (tests/http): listens
on 127.0.0.1:PORT, accepts every connection and keeps it open without a
byte, or with --trickle sends one byte at once and then one a minute.
Writes "ready" to READY_FILE once it listens. Runs until killed."""
import socket
import sys
import threading
import time

port, ready = int(sys.argv[1]), sys.argv[2]
trickle = "--trickle" in sys.argv[3:]

s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
s.listen(16)
with open(ready, "w") as f:
    f.write("ready\n")
held = []


def drip(c):
    try:
        while True:
            c.sendall(b"H")
            time.sleep(60)
    except OSError:
        pass


while True:
    c, _ = s.accept()
    held.append(c)  # kept open, never read or answered
    if trickle:
        threading.Thread(target=drip, args=(c,), daemon=True).start()
