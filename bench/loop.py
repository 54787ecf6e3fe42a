#!/usr/bin/env python3
"""Figures of issue 18 (closing the loop), for bench/bench.sh; runs alone:

    python3 bench/loop.py build/signoff [N [QUEUE]]

QUEUE: an empty queue to run on (a PostgreSQL database's spec: bench/pg.sh;
default a file in a temporary directory).

Prints three lines of name=value fields:
  feed    p50, p99: ms from a `signoff decide` process's exit (its commit
          done) to the line of `signoff events --follow` (another process)
  hook    p50, p99: ms from the decide's exit to the webhook's arrival at a
          receiver on loopback (signoff serve delivering)
  rate    deliveries/s of `signoff deliver --once` over N due deliveries,
          and the receiver alone (requests/s from one Python client) as
          its floor
"""
import base64, json, os, select, shutil, subprocess, sys, tempfile, time
import urllib.request

so = os.path.abspath(sys.argv[1])
n_rate = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
w = tempfile.mkdtemp(prefix="signoff-bench-loop.")
q = sys.argv[3] if len(sys.argv) > 3 else os.path.join(w, "q.db")
env = dict(os.environ, SIGNOFF_QUEUE=q, SIGNOFF_REVIEWER="bench")
run = lambda *a, **k: subprocess.run([so, *a], env=env, check=True,
                                     stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, **k)
pct = lambda v, p: sorted(v)[min(len(v) - 1, int(len(v) * p / 100))]


def enqueue(prefix, n, wf):
    lines = "".join('{"id":"%s-%d","workflow":"%s","body":"reply %d"}\n' %
                    (prefix, i, wf, i) for i in range(n))
    run("enqueue", "-", input=lines.encode())


def wait_file(path, t=10):
    end = time.time() + t
    while not (os.path.exists(path) and os.path.getsize(path)):
        if time.time() > end:
            sys.exit("timeout waiting for " + path)
        time.sleep(0.02)


procs = []
try:
    run("init")
    # 1. the feed's wake-up after a commit by another process
    enqueue("F", 50, "feed")
    f = subprocess.Popen([so, "events", "--follow", "--format", "jsonl"],
                         env=env, stdout=subprocess.PIPE)
    procs.append(f)
    lat = []
    for i in range(50):
        run("decide", "F-%d" % i, "approve")
        t0 = time.monotonic()
        if not select.select([f.stdout], [], [], 10)[0]:
            sys.exit("feed: no event")
        f.stdout.readline()
        lat.append((time.monotonic() - t0) * 1000)
        time.sleep(0.02)
    print("feed p50=%.1f p99=%.1f" % (pct(lat, 50), pct(lat, 99)))
    f.kill()

    # 2. decision to webhook received, through signoff serve
    secret = os.path.join(w, "secret")
    with open(secret, "w") as s:
        s.write("whsec_" + base64.b64encode(os.urandom(32)).decode() + "\n")
    log, port, mode = (os.path.join(w, x) for x in ("log", "port", "mode"))
    r = subprocess.Popen([sys.executable, os.path.join(
        top, "tests/http/webhook_receiver.py"), secret, log, port, mode])
    procs.append(r)
    wait_file(port)
    url = "http://127.0.0.1:%s/hook" % open(port).read()
    run("hook", "add", "--workflow", "hook", "--url", url, "--secret-file",
        secret, "--allow-private")
    tokens = os.path.join(w, "tokens")
    with open(tokens, "w") as t:
        t.write("benchtoken00000000000000000000001 bench reviewer\n")
    os.chmod(tokens, 0o600)
    slog = os.path.join(w, "serve.log")
    s = subprocess.Popen([so, "serve", "--queue", q, "--tokens", tokens,
                          "--listen", "127.0.0.1:0"], env=env,
                         stderr=open(slog, "w"))
    procs.append(s)
    end = time.time() + 10
    while "listening" not in open(slog).read():
        if time.time() > end:
            sys.exit("serve did not start")
        time.sleep(0.02)
    enqueue("H", 50, "hook")
    lat = []
    for i in range(50):
        run("decide", "H-%d" % i, "approve")
        t0 = time.time()
        end = t0 + 10
        while True:
            got = [json.loads(l) for l in open(log)] if os.path.exists(log) else []
            hit = [g for g in got if '"H-%d"' % i in g["body"]]
            if hit:
                lat.append(max(0.0, (hit[0]["at"] - t0) * 1000))
                break
            if time.time() > end:
                sys.exit("hook: no delivery")
            time.sleep(0.001)
    print("hook p50=%.1f p99=%.1f" % (pct(lat, 50), pct(lat, 99)))
    s.terminate()
    s.wait()

    # 3. deliveries per second: N due deliveries, one deliverer
    enqueue("R", n_rate, "hook")
    lines = "".join("R-%d\n" % i for i in range(n_rate))
    for i in range(n_rate):
        run("decide", "R-%d" % i, "approve")
    t0 = time.monotonic()
    run("deliver", "--once")
    dt = time.monotonic() - t0
    body = b'{"type":"x"}'
    t1 = time.monotonic()
    for i in range(200):
        urllib.request.urlopen(urllib.request.Request(
            url, data=body, headers={"webhook-id": "x", "webhook-timestamp": "0",
                                     "webhook-signature": "v1,x"})).read()
    floor = 200 / (time.monotonic() - t1)
    print("rate deliveries=%.0f floor=%.0f n=%d" % (n_rate / dt, floor, n_rate))
finally:
    for p in procs:
        if p.poll() is None:
            p.kill()
            p.wait()
    shutil.rmtree(w, ignore_errors=True)
