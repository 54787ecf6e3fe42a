#!/usr/bin/env python3
"""Keep docs/openapi.yaml and the server in step.

    openapi_check.py routes SPEC SERVER_C [PROTOCOL_MD]
        Every route in the server's route table (src/server/server.c,
        routes[]) is an operation of SPEC, every operation of SPEC is a
        route, and every operation lists the replies the server gives
        before routing (400, 413, 503; 401 and 429 where a token is needed).
        With PROTOCOL_MD (docs/protocol.md): it describes every operation
        (METHOD /path), and every METHOD /path of its headings is one.
    openapi_check.py replies SPEC DIR
        Every reply the HTTP tests recorded in DIR (N.meta: METHOD PATH
        STATUS CONTENT-TYPE, tab-separated; N.body) matches SPEC: the route
        is in SPEC (a path it does not have may only be a 404, a method it
        does not have only a 405), the status is one SPEC lists for it, and
        a JSON body validates against that reply's schema (JSON Schema
        2020-12, jsonschema); an error reply is the Error object.

Prints one "ok - ..." or "not ok - ..." line per finding, as the shell
tests do; exits 1 when anything is not ok.
"""
import json
import os
import re
import sys

import jsonschema
import yaml

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def template_re(path):
    """The regex of an OpenAPI path template: a parameter is one segment."""
    parts = re.split(r"(\{[^}]+\})", path)
    return re.compile("^" + "".join("[^/]+" if p.startswith("{") else re.escape(p)
                                    for p in parts) + "$")


def shape(path):
    """A path template with its parameter names dropped: /v1/drafts/{}."""
    return re.sub(r"\{[^}]+\}", "{}", path)


def server_routes(server_c):
    """(METHOD, shape) of each line of the route table in server.c."""
    text = open(server_c, encoding="utf-8").read()
    found = set()
    for m in re.finditer(r'\{\s*"([A-Z]+)",\s*"(/[^"]*)",\s*(NULL|"([^"]*)")',
                         text):
        method, prefix, suffix = m.group(1), m.group(2), m.group(4)
        path = prefix if m.group(3) == "NULL" else prefix + "{}" + suffix
        found.add((method, path))
    return found


def check_protocol(spec, protocol_md):
    """docs/protocol.md names every operation of SPEC (METHOD /path, in a
    heading or its text), and every METHOD /path of its headings is one."""
    doc = open(protocol_md, encoding="utf-8").read()
    ops = {(m.upper(), p) for p, item in spec["paths"].items()
           for m in item if m in METHODS}
    good = True
    for method, path in sorted(ops):
        named = re.search(re.escape(method) + r"\s+`?" + re.escape(path)
                          + r"(?![\w/{])", doc)
        good &= report(bool(named), "openapi: docs/protocol.md describes %s %s"
                       % (method, path))
    for head in re.findall(r"(?m)^### (.*)$", doc):
        for method, path in re.findall(
                r"\b(GET|POST|PUT|DELETE|PATCH) (/[\w/{}.-]*)", head):
            good &= report((method, path) in ops, "openapi: %s %s of "
                           "docs/protocol.md is in docs/openapi.yaml"
                           % (method, path))
    return good


def report(ok, what):
    print("%s - %s" % ("ok" if ok else "not ok", what))
    return ok


def check_routes(spec, server_c):
    good = True
    ops = {(m.upper(), shape(p)) for p, item in spec["paths"].items()
           for m in item if m in METHODS}
    routes = server_routes(server_c)
    good &= report(len(routes) >= 10, "read the server's route table "
                   "(%d routes)" % len(routes))
    for method, path in sorted(routes):
        good &= report((method, path) in ops, "openapi: the server's route "
                       "%s %s is in docs/openapi.yaml" % (method, path))
    for method, path in sorted(ops - routes):
        good &= report(False, "openapi: %s %s of docs/openapi.yaml is a route "
                       "of the server" % (method, path))
    # What the server answers from a request's head before any route runs
    # (src/server/server.c, admit): a malformed target 400, a body over the
    # limit 413, no room for it 503; and on a route that takes a token, 401
    # and 429 (an address slowed down after failed authentications).
    for p, item in spec["paths"].items():
        for m, op in item.items():
            if m not in METHODS:
                continue
            codes = {str(code) for code in op["responses"]}
            want = {"400", "413", "503"}
            if op.get("security", spec.get("security")):
                want |= {"401", "429"}
            lacks = ", ".join(sorted(want - codes))
            good &= report(not lacks, "openapi: %s %s lists the replies every "
                           "route can give%s" % (m.upper(), p,
                                                 " (lacks %s)" % lacks
                                                 if lacks else ""))
    return good


_validators = {}


def validator(spec, schema):
    """A validator of schema whose #/components/... refs resolve in spec
    (made once per schema)."""
    held = _validators.get(id(schema))
    if held is None or held[0] is not schema:
        root = dict(schema)
        root["components"] = spec.get("components", {})
        held = (schema, jsonschema.Draft202012Validator(root))
        _validators[id(schema)] = held
    return held[1]


def resolve(spec, obj):
    """Follow a $ref to a component (responses are referenced)."""
    while isinstance(obj, dict) and "$ref" in obj:
        node = spec
        for part in obj["$ref"].lstrip("#/").split("/"):
            node = node[part]
        obj = node
    return obj


def find_operation(spec, method, path):
    """(path template, operation or None); (None, None) when no path fits."""
    for template, item in spec["paths"].items():
        if template_re(template).match(path):
            return template, item.get(method.lower())
    return None, None


def check_reply(spec, error_v, method, path, status, ctype, body):
    """None when the reply matches, else why not."""
    template, op = find_operation(spec, method, path)
    json_body = None
    if body.strip() and ctype.startswith("application/json"):
        try:
            json_body = json.loads(body)
        except ValueError as e:
            return "the body is not JSON: %s" % e
    if op is None:
        allowed = 404 if template is None else 405
        if status != allowed:
            return ("the server answered %d but docs/openapi.yaml has no %s"
                    % (status, "such path" if template is None
                       else "%s for this path" % method))
        if json_body is None:
            return "a %d without the Error object" % status
        errors = sorted(error_v.iter_errors(json_body), key=str)
        return "not the Error object: %s" % errors[0].message if errors else None
    responses = op["responses"]
    reply = responses.get(str(status))
    if reply is None:
        return "status %d is not among %s" % (status, ", ".join(
            str(c) for c in responses))
    reply = resolve(spec, reply)
    content = reply.get("content")
    if not content:
        return "a body where docs/openapi.yaml has none" if body.strip() else None
    media = content.get(ctype.split(";")[0].strip())
    if media is None:
        return "content type %r is not among %s" % (ctype, ", ".join(content))
    if json_body is None:
        return None  # text/plain: no schema to check
    errors = sorted(validator(spec, media["schema"]).iter_errors(json_body),
                    key=lambda e: list(e.absolute_path))
    if errors:
        e = errors[0]
        where = "/".join(str(p) for p in e.absolute_path) or "(the body)"
        return "%s: %s" % (where, e.message)
    extra = undeclared(spec, media["schema"], json_body)
    if extra:
        return "%s: not in docs/openapi.yaml" % ", ".join(sorted(set(
            re.sub(r"/\d+(?=/|$)", "/*", p) for p in extra))[:6])
    return None


def fits(spec, schema, inst):
    """True when inst validates against schema."""
    return validator(spec, schema).is_valid(inst)


def declared(spec, schema, inst):
    """The properties schema declares for the object inst, as a dict name ->
    [subschemas], and whether it allows others (additionalProperties or a
    free-form object); allOf members all count, of oneOf/anyOf those inst
    fits."""
    schema = resolve(spec, schema)
    props, free = {}, False
    if not isinstance(schema, dict):
        return props, True
    for name, sub in schema.get("properties", {}).items():
        props.setdefault(name, []).append(sub)
    extra = schema.get("additionalProperties")
    if extra not in (None, False) or "patternProperties" in schema:
        free = True
    parts = list(schema.get("allOf", []))
    parts += [b for k in ("oneOf", "anyOf") for b in schema.get(k, [])
              if fits(spec, b, inst)]
    for part in parts:
        p, f = declared(spec, part, inst)
        for name, subs in p.items():
            props.setdefault(name, []).extend(subs)
        free |= f
    if not props and not parts:
        free = True  # {type: object} with nothing named: any keys
    return props, free


def undeclared(spec, schema, inst, where=""):
    """The paths of the members of inst that schema does not name: a reply
    field the spec does not describe is drift, even where JSON Schema would
    let it pass (a generated client never sees it)."""
    found = []
    schema = resolve(spec, schema)
    if isinstance(inst, dict):
        props, free = declared(spec, schema, inst)
        for key, val in inst.items():
            if key not in props:
                if not free:
                    found.append("%s/%s" % (where, key))
                continue
            subs = [s for s in props[key] if fits(spec, s, val)] or props[key]
            found += undeclared(spec, subs[0], val, "%s/%s" % (where, key))
    elif isinstance(inst, list) and isinstance(schema, dict):
        items = schema.get("items")
        if items is None:
            for part in schema.get("allOf", []) + [
                    b for k in ("oneOf", "anyOf") for b in schema.get(k, [])
                    if fits(spec, b, inst)]:
                items = resolve(spec, part).get("items")
                if items is not None:
                    break
        if items is not None:
            for i, val in enumerate(inst):
                found += undeclared(spec, items, val, "%s/%d" % (where, i))
    elif isinstance(schema, dict):
        branches = [b for k in ("oneOf", "anyOf", "allOf")
                    for b in schema.get(k, [])]
        for b in branches:
            if fits(spec, b, inst):
                found += undeclared(spec, b, inst, where)
                break
    return found


def check_replies(spec, folder):
    error_v = validator(spec, {"$ref": "#/components/schemas/Error"})
    metas = sorted((f for f in os.listdir(folder) if f.endswith(".meta")),
                   key=lambda f: int(f.split(".")[0]))
    bad = 0
    for meta in metas:
        with open(os.path.join(folder, meta), encoding="utf-8",
                  errors="replace") as f:
            method, path, status, ctype = (f.read().rstrip("\n").split("\t")
                                           + ["", "", "", ""])[:4]
        with open(os.path.join(folder, meta[:-5] + ".body"), "rb") as f:
            body = f.read().decode("utf-8", "replace")
        path = path.split("?", 1)[0]
        why = check_reply(spec, error_v, method, path, int(status or 0),
                          ctype, body)
        if why:
            bad += 1
            report(False, "openapi: %s %s -> %s: %s" % (method, path, status,
                                                       why))
    report(bad == 0, "openapi: %d of %d replies match docs/openapi.yaml"
           % (len(metas) - bad, len(metas)))
    return bad == 0


def main(argv):
    if len(argv) not in (4, 5) or argv[1] not in ("routes", "replies") \
            or (len(argv) == 5 and argv[1] != "routes"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    spec = load(argv[2])
    ok = check_routes(spec, argv[3]) if argv[1] == "routes" \
        else check_replies(spec, argv[3])
    if len(argv) == 5:
        ok &= check_protocol(spec, argv[4])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
