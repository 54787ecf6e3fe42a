#!/usr/bin/env python3
"""Hostile clients for tests/http/flood.sh, on 127.0.0.1 only, bounded in
count and time.

usage:
  flood.py slowloris PORT N SECONDS READY
      open N connections that each send a request head one header line
      every 0.5 s and never finish it; touch READY once all are open; stop
      after SECONDS. Prints how many were still open at the end.
  flood.py trickle PORT SECONDS
      one connection sending its request head one byte every 0.25 s (never
      finishing); prints "closed after X s" when the server closes it, or
      "open after SECONDS s".
  flood.py bodies PORT N TOKEN SIZE READY HOLD [METHOD PATH]
      N connections each POST /v1/claim (or METHOD PATH) with
      Content-Length SIZE + 1 and send SIZE bytes of body (TOKEN "-": no
      Authorization header), holding the last byte; touch READY when every
      body is sent or refused, hold HOLD seconds more, then print the
      status codes seen ("401:40").
"""
import collections
import os
import select
import socket
import sys
import time

HOST = "127.0.0.1"


def connect(port):
    try:
        return socket.create_connection((HOST, port), timeout=5)
    except OSError:
        return None


def slowloris(port, n, seconds, ready):
    socks = [s for s in (connect(port) for _ in range(n)) if s]
    for s in socks:
        s.setblocking(False)
    alive = []
    for s in socks:
        try:
            s.send(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            alive.append(s)
        except OSError:
            s.close()
    open(ready, "w").close()
    end = time.time() + seconds
    i = 0
    while time.time() < end:
        time.sleep(0.5)
        still = []
        for s in alive:
            try:
                s.send(b"X-%d: y\r\n" % i)
                still.append(s)
            except OSError:
                s.close()
        alive = still
        i += 1
    print("%d open" % len(alive))


def trickle(port, seconds):
    s = connect(port)
    if not s:
        print("refused")
        return
    s.setblocking(False)
    head = b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"X-slow: " + b"y" * 10000
    t0 = time.time()
    i = 0
    while time.time() - t0 < seconds:
        try:
            s.send(head[i:i + 1])
            i += 1
        except (BlockingIOError, InterruptedError):
            pass
        except OSError:
            break
        r, _, _ = select.select([s], [], [], 0.25)
        if r:
            try:
                if not s.recv(4096):
                    break
            except BlockingIOError:
                pass
            except OSError:
                break
    else:
        print("open after %d s" % seconds)
        return
    print("closed after %.1f s" % (time.time() - t0))


def bodies(port, n, token, size, ready, hold, target="POST /v1/claim"):
    head = target.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    if token != "-":
        head += b"Authorization: Bearer %s\r\n" % token.encode()
    head += b"Content-Length: %d\r\n\r\n" % (size + 1)
    conns = {}
    for _ in range(n):
        s = connect(port)
        if not s:
            continue
        s.setblocking(False)
        conns[s] = {"out": head, "sent": -len(head), "reply": b"", "open": True}
    chunk = b"x" * 65536

    def status(c):
        line = c["reply"].split(b"\r\n", 1)[0].split()
        return line[1].decode() if len(line) > 1 else "none"

    def pump(deadline, until_sent):
        while time.time() < deadline:
            live = [s for s, c in conns.items() if c["open"]]
            sending = [s for s in live if conns[s]["sent"] < size]
            if until_sent and not sending:
                return
            if not live:
                return
            r, w, _ = select.select(live, sending, [], 0.2)
            for s in r:
                try:
                    data = s.recv(65536)
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""
                c = conns[s]
                if data:
                    c["reply"] += data
                else:
                    c["open"] = False
            for s in w:
                c = conns[s]
                if not c["open"]:
                    continue
                try:
                    if c["sent"] < 0:
                        k = s.send(c["out"][len(c["out"]) + c["sent"]:])
                    else:
                        k = s.send(chunk[:min(len(chunk), size - c["sent"])])
                    c["sent"] += k
                except BlockingIOError:
                    pass
                except OSError:
                    c["sent"] = size  # refused: nothing more to send
                    c["open"] = False

    pump(time.time() + 120, True)
    open(ready, "w").close()
    pump(time.time() + hold, False)
    seen = collections.Counter(status(c) for c in conns.values())
    print(" ".join("%s:%d" % kv for kv in sorted(seen.items())))


def main():
    mode, port = sys.argv[1], int(sys.argv[2])
    if mode == "slowloris":
        slowloris(port, int(sys.argv[3]), float(sys.argv[4]), sys.argv[5])
    elif mode == "trickle":
        trickle(port, float(sys.argv[3]))
    else:
        bodies(port, int(sys.argv[3]), sys.argv[4], int(sys.argv[5]),
               sys.argv[6], float(sys.argv[7]), " ".join(sys.argv[8:10]) or
               "POST /v1/claim")


if __name__ == "__main__":
    main()
