#!/usr/bin/env python3
"""Check a signoff audit export without signoff.

    verify_export.py FILE

FILE is what `signoff export` wrote (JSON Lines or CSV). Written from
docs/audit.md alone, with the Python standard library only. Prints
"FILE: audit chain ok: N decisions" and exits 0, or names the first bad
record on standard error and exits 1 (2: the file cannot be read as an
export at all).
"""
import csv
import hashlib
import io
import json
import sys

GENESIS = "0" * 64
HEX = set("0123456789abcdef")
MAX_INT = 2**53 - 1

# The canonical record: (name, type) in order (docs/audit.md, section 2).
CANONICAL = [
    ("seq", "int"), ("draft", "str"), ("request_id", "str"),
    ("reviewer", "str"), ("action", "str"), ("kind", "str"),
    ("reason", "str"), ("note", "str"), ("edit_size", "int"),
    ("body_sha", "str"), ("final_sha", "str"), ("shown_at", "int"),
    ("decided_at", "int"), ("active_ms", "int"), ("reverts_seq", "int"),
]
# An export record: the canonical members, then these (section 4).
EXPORT = CANONICAL + [("prev_hash", "str"), ("hash", "str"),
                      ("final_body", "str")]
INT_FIELDS = {name for name, kind in EXPORT if kind == "int"}
ACTIONS = {"approve", "edit", "reject", "escalate", "revert", "applied", "admin"}

# Section 2, the string table: these bytes are escaped, all others kept.
SHORT_ESCAPES = {0x22: b'\\"', 0x5C: b"\\\\", 0x08: b"\\b", 0x0C: b"\\f",
                 0x0A: b"\\n", 0x0D: b"\\r", 0x09: b"\\t"}


class Bad(Exception):
    """A record that does not verify."""


def canonical_string(raw):
    out = bytearray(b'"')
    for byte in raw:
        if byte in SHORT_ESCAPES:
            out += SHORT_ESCAPES[byte]
        elif byte < 0x20:
            out += b"\\u%04x" % byte
        else:
            out.append(byte)
    out += b'"'
    return bytes(out)


def canonical_record(rec):
    """The canonical bytes of a record whose strings are bytes or None."""
    parts = []
    for name, kind in CANONICAL:
        value = rec[name]
        if name == "kind" and not value:
            value = b"review"
        if kind == "int":
            text = b"%d" % value
        elif not value:  # None or empty: null
            text = b"null"
        else:  # the hex hashes are kept as text, the rest as bytes
            if type(value) is str:
                value = value.encode("ascii")
            text = canonical_string(value)
        parts.append(b'"' + name.encode("ascii") + b'":' + text)
    return b"{" + b",".join(parts) + b"}"


def record_hash(prev_hash, rec):
    data = prev_hash.encode("ascii") + canonical_record(rec)
    return hashlib.sha256(data).hexdigest()


def text_bytes(value):
    """A decoded JSON string back to the stored bytes (section 4:
    U+DC80..U+DCFF are single bytes, as Python's surrogateescape)."""
    try:
        return value.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raise Bad("a string holds a lone surrogate that is not a byte")


def typed(rec):
    """Check the export's values and turn strings into bytes."""
    out = {}
    for name, kind in EXPORT:
        value = rec.get(name)
        if kind == "int":
            if type(value) is not int or not 0 <= value <= MAX_INT:
                raise Bad("%s: not an integer in 0..2^53-1" % name)
            out[name] = value
        elif value is None:
            out[name] = None
        elif type(value) is not str:
            raise Bad("%s: not a string" % name)
        else:
            out[name] = text_bytes(value)
    for name in ("draft", "request_id", "reviewer", "action", "body_sha",
                 "prev_hash", "hash"):
        if not out[name]:
            raise Bad("%s: missing" % name)
    for name in ("body_sha", "final_sha", "prev_hash", "hash"):
        v = out[name]
        if v is not None and (len(v) != 64 or not set(v.decode()) <= HEX):
            raise Bad("%s: not a lower-case hex SHA-256" % name)
        if v is not None:
            out[name] = v.decode("ascii")
    if out["action"].decode("utf-8", "replace") not in ACTIONS:
        raise Bad("action: unknown")
    return out


def no_duplicates(pairs):
    names = [k for k, _ in pairs]
    if len(set(names)) != len(names):
        raise Bad("a member appears twice")
    return dict(pairs)


def no_constants(name):
    raise Bad("%s is not JSON" % name)


def parse_json(text):
    try:
        return json.loads(text, object_pairs_hook=no_duplicates,
                          parse_constant=no_constants)
    except ValueError as e:
        raise Bad("not JSON: %s" % e)


def jsonl_records(lines, header):
    """(line number, record) from a JSON Lines export after its header."""
    for n, line in enumerate(lines, start=2):
        obj = parse_json(line)
        if type(obj) is not dict:
            raise Bad("line %d: not a JSON object" % n)
        yield n, obj


def csv_cell(name, cell):
    """One CSV cell to the value the JSON Lines export would hold."""
    if cell == "":
        return None
    if name in INT_FIELDS:
        if not cell.isdigit() or not cell.isascii():
            raise Bad("%s: not an integer" % name)
        return int(cell)
    return cell  # the text itself (section 4, CSV)


def csv_records(rows, names):
    missing = [name for name, _ in EXPORT if name not in names]
    if missing:
        raise Bad("CSV header: no column %s" % ", ".join(missing))
    for row in rows:
        n = rows.line_num  # the line the row ends on
        if len(row) != len(names):
            raise Bad("line %d: %d cells, the header has %d" %
                      (n, len(row), len(names)))
        cells = dict(zip(names, row))
        yield n, {name: csv_cell(name, cells[name]) for name, _ in EXPORT}


def link_problem(rec, nxt, expected, prev_seq):
    """Why rec does not follow the record before it (section 3)."""
    if nxt is not None and rec["prev_hash"] == nxt["hash"]:
        return "out of order (it follows the next record): records reordered"
    if rec["seq"] <= prev_seq:
        return "seq does not increase: records reordered"
    if nxt is not None and nxt["prev_hash"] == expected:
        return "not part of the chain (the next record skips it): record inserted"
    if rec["seq"] == prev_seq + 2:
        return "decision %d before it is missing: record removed" % (prev_seq + 1)
    if rec["seq"] > prev_seq + 1:
        return "decisions %d..%d before it are missing: records removed" % (
            prev_seq + 1, rec["seq"] - 1)
    return "does not link to decision %d: a record before it was changed or removed" % prev_seq


def walk(records, from_genesis, head):
    """Check records (an iterator of (line, raw record)); returns the count
    and the last hash, or raises Bad naming the first bad one."""
    count, expected, prev_seq = 0, None, 0
    last_hash = GENESIS
    pending = None  # (line, record): one record of look-ahead

    def typed_at(item):
        line, raw = item
        try:
            return line, typed(raw)
        except Bad as e:
            raise Bad("line %d: %s" % (line, e))

    stream = iter(records)
    item = next(stream, None)
    pending = typed_at(item) if item else None
    while pending:
        line, rec = pending
        item = next(stream, None)
        nxt_item = typed_at(item) if item else None
        nxt = nxt_item[1] if nxt_item else None
        where = "line %d: decision %d (draft %r)" % (
            line, rec["seq"], rec["draft"].decode("utf-8", "replace"))
        if expected is None:  # the first record
            if from_genesis or rec["seq"] == 1:
                expected = GENESIS
            else:
                expected, prev_seq = rec["prev_hash"], rec["seq"] - 1
        if rec["prev_hash"] != expected:
            raise Bad("%s: %s" % (where, link_problem(rec, nxt, expected, prev_seq)))
        if rec["seq"] <= prev_seq:
            raise Bad("%s: seq does not increase: records reordered" % where)
        if record_hash(rec["prev_hash"], rec) != rec["hash"]:
            raise Bad("%s: hash does not match: record changed" % where)
        body = rec["final_body"]
        if body and hashlib.sha256(body).hexdigest() != rec["final_sha"]:
            raise Bad("%s: final body does not match its hash: record changed" % where)
        count += 1
        expected, prev_seq, last_hash = rec["hash"], rec["seq"], rec["hash"]
        pending = nxt_item
    if head is not None:
        head_seq, head_hash = head
        if (prev_seq if count else 0, last_hash) != (head_seq, head_hash):
            if head_seq > prev_seq:
                raise Bad("the chain head is decision %d; the last record is "
                          "decision %d: records removed" % (head_seq, prev_seq))
            raise Bad("the chain head (decision %d) does not match the last "
                      "record (decision %d)" % (head_seq, prev_seq))
    return count, last_hash


def verify(path):
    with open(path, "rb") as f:
        data = f.read()
    text = data.decode("utf-8", "surrogateescape")
    first = text.split("\n", 1)[0].rstrip("\r")
    if first.startswith("{"):
        header = parse_json(first)
        if type(header) is not dict or header.get("format") != "signoff-audit" \
                or header.get("version") != 1:
            raise Bad("line 1: not a signoff audit export (version 1)")
        since = header.get("since", 0)
        head = None
        if "head_seq" in header and "head_hash" in header:
            head = (header["head_seq"], header["head_hash"])
        lines = [l for l in text.split("\n")[1:] if l.strip()]
        return walk(jsonl_records(lines, header), since == 0, head)
    rows = csv.reader(io.StringIO(text, newline=""), strict=True)
    names = next(rows, None)
    if not names or names[:2] != ["seq", "draft"]:
        raise Bad("line 1: neither a JSON Lines nor a CSV audit export")
    return walk(csv_records(rows, names), False, None)


def main(argv):
    if len(argv) != 2:
        print("usage: verify_export.py FILE", file=sys.stderr)
        return 2
    try:
        count, last = verify(argv[1])
    except OSError as e:
        print("%s: %s" % (argv[1], e), file=sys.stderr)
        return 2
    except (Bad, csv.Error) as e:
        print("%s: %s" % (argv[1], e), file=sys.stderr)
        return 1
    print("%s: audit chain ok: %d decisions, head %s" % (argv[1], count, last))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
