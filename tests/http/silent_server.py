#!/usr/bin/env python3
"""A server that takes connections and never answers (tests/http): listens
on 127.0.0.1:PORT, accepts every connection and keeps it open without a
byte, or with --trickle sends one byte at once and then one a minute.
Writes "ready" to READY_FILE once it listens. With --log FILE, appends
"open MS" when it takes a connection and "closed MS HELD" when the client
gives it up (MS: CLOCK_MONOTONIC ms; HELD: how long it was held, ms).
Runs until killed."""
import socket
import sys
import threading
import time

port, ready = int(sys.argv[1]), sys.argv[2]
trickle = "--trickle" in sys.argv[3:]
log = sys.argv[sys.argv.index("--log") + 1] if "--log" in sys.argv[3:] else None


def now_ms():
    return int(time.monotonic() * 1000)


def note(line):
    with open(log, "a") as f:
        f.write(line + "\n")


def watch(c, opened):
    """Read (never answer) until the client closes, then log it."""
    try:
        while c.recv(4096):
            pass
    except OSError:
        pass
    note("closed %d %d" % (now_ms(), now_ms() - opened))

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
    held.append(c)  # kept open, never answered
    if log:
        opened = now_ms()
        note("open %d" % opened)
        threading.Thread(target=watch, args=(c, opened), daemon=True).start()
    if trickle:
        threading.Thread(target=drip, args=(c,), daemon=True).start()
