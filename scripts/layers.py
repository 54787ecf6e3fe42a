#!/usr/bin/env python3
"""layers: check that dependencies between signoff's files point one way.

  scripts/layers.py [OBJDIR]

1. No include cycle between modules (a module is src/X.c with its header
   include/signoff/X.h; a module depends on another when its .c or .h
   includes the other's header).
2. With OBJDIR (the build's object tree, e.g. build/obj): no cycle between
   object files in the functions and data they use (nm), which also catches
   a call through a declaration kept in a third header.
3. Each layer includes only what docs/architecture.md allows.

Prints one line per finding ("layers: cycle: a -> b -> a", "layers:
src/ui/x.c: includes sqlite3.h (ui must not)") and exits 1 if there is any;
prints "layers: ok (N modules, M objects)" otherwise.
"""
import os
import re
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INC_RE = re.compile(r'^\s*#\s*include\s+([<"])([^>"]+)[>"]', re.M)

# layer: (signoff header folders it may include, system headers it must not)
# "" is the top level (the model and the helpers).
LIBS = {"sqlite3.h", "curl/curl.h", "microhttpd.h", "libpq-fe.h",
        "curses.h", "ncurses.h", "ncursesw/curses.h"}
RULES = {
    "":        ({""}, LIBS),
    "store":   ({"", "store"}, LIBS - {"sqlite3.h", "libpq-fe.h"}),
    "remote":  ({"", "remote"}, LIBS - {"curl/curl.h", "sqlite3.h"}),
    "server":  ({"", "server", "remote"},
                LIBS - {"microhttpd.h"}),
    "ui":      ({"", "ui"}, LIBS - {"curses.h", "ncurses.h",
                                   "ncursesw/curses.h"}),
    "cli":     ({"", "cli", "ui", "server", "remote", "store"}, LIBS),
}
# Named exceptions, each with its reason.
EXTRA = {
    # The one file that knows every backend.
    "backends": ({"", "store", "remote"}, LIBS),
    # The program's entry runs the command dispatcher.
    "main": ({"", "cli"}, LIBS),
    # The key table names curses' KEY_* codes (it only reads them).
    "keys": ({""}, LIBS - {"curses.h"}),
}


def module_of(path):
    """src/ui/app.c and include/signoff/ui/app.h -> ui/app."""
    p = os.path.splitext(path)[0]
    for pre in ("src/", "include/signoff/"):
        if p.startswith(pre):
            return p[len(pre):]
    return None


def layer_of(module):
    return module.split("/")[0] if "/" in module else ""


def sources():
    out = []
    for root in ("src", "include/signoff"):
        for d, _, files in os.walk(os.path.join(TOP, root)):
            for f in files:
                if f.endswith((".c", ".h")):
                    out.append(os.path.relpath(os.path.join(d, f), TOP))
    return sorted(out)


def cycles(graph):
    """Strongly connected components of more than one node (Tarjan)."""
    index, low, stack, on, found = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        work = [(v, iter(sorted(graph.get(v, ()))))]
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        while work:
            node, it = work[-1]
            nxt = next(it, None)
            if nxt is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == node:
                            break
                    if len(comp) > 1:
                        found.append(sorted(comp))
            elif nxt not in index:
                index[nxt] = low[nxt] = counter[0]
                counter[0] += 1
                stack.append(nxt)
                on.add(nxt)
                work.append((nxt, iter(sorted(graph.get(nxt, ())))))
            elif nxt in on:
                low[node] = min(low[node], index[nxt])

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def path_in(graph, comp):
    """One cycle through comp, as a readable chain."""
    comp = set(comp)
    start = min(comp)
    prev, queue, seen = {}, [start], {start}
    while queue:
        v = queue.pop(0)
        for w in sorted(graph.get(v, ())):
            if w == start:
                chain = [v]
                while chain[-1] != start:
                    chain.append(prev[chain[-1]])
                return " -> ".join(reversed(chain)) + " -> " + start
            if w in comp and w not in seen:
                seen.add(w)
                prev[w] = v
                queue.append(w)
    return " <-> ".join(sorted(comp))


def check_includes(findings):
    graph = {}
    for f in sources():
        mod = module_of(f)
        text = open(os.path.join(TOP, f), encoding="utf-8").read()
        graph.setdefault(mod, set())
        allowed, banned = EXTRA.get(mod, RULES.get(layer_of(mod), RULES[""]))
        for kind, name in INC_RE.findall(text):
            if kind == "<":
                if name in banned:
                    findings.append("%s: includes <%s> (%s must not)"
                                    % (f, name, layer_of(mod) or "the model"))
                continue
            if not name.startswith("signoff/"):
                continue
            target = os.path.splitext(name[len("signoff/"):])[0]
            if target != mod:
                graph[mod].add(target)
            tl = layer_of(target)
            # The registry of backends sits above them all: the CLI and
            # the server open queues through it.
            if tl not in allowed and not (target == "backends"
                                          and layer_of(mod) in ("cli", "server")):
                findings.append("%s: includes %s (%s may include %s)"
                                % (f, name, layer_of(mod) or "the model",
                                   ", ".join(sorted(x or "the model"
                                                    for x in allowed))))
    for comp in cycles(graph):
        findings.append("include cycle: " + path_in(graph, comp))
    return len(graph)


def check_objects(objdir, findings):
    objs = []
    for d, _, files in os.walk(objdir):
        for f in files:
            o = os.path.join(d, f)
            # Objects of sources since moved or removed are not the program.
            src = os.path.join(TOP, os.path.relpath(o, objdir)[:-2] + ".c")
            if f.endswith(".o") and os.path.exists(src):
                objs.append(o)
    defined, used = {}, {}
    for o in objs:
        out = subprocess.run(["nm", "-P", o], capture_output=True,
                             text=True, check=True).stdout
        name = os.path.relpath(o, objdir)[:-2]
        used[name] = set()
        for line in out.splitlines():
            parts = line.split()
            if len(parts) < 2:
                continue
            if parts[1] == "U":
                used[name].add(parts[0])
            elif parts[1] in "TDBRVWC":
                defined[parts[0]] = name
    graph = {o: {defined[s] for s in syms if s in defined and defined[s] != o}
             for o, syms in used.items()}
    for comp in cycles(graph):
        findings.append("call cycle: " + path_in(graph, comp))
    return len(objs)


def main():
    findings = []
    nmod = check_includes(findings)
    nobj = 0
    if len(sys.argv) > 1:
        nobj = check_objects(sys.argv[1], findings)
    for f in findings:
        print("layers: " + f)
    if findings:
        return 1
    print("layers: ok (%d modules, %d objects)" % (nmod, nobj))
    return 0


if __name__ == "__main__":
    sys.exit(main())
