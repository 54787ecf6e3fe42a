"""qrows: the rows of a query on a test's queue, for the Python parts of the
shell tests (tests/cli/export_csv.sh, hostile.sh), whatever the store:
rows(spec, sql) gives a list of tuples of bytes (None for NULL). A queue
file is read with sqlite3 as stored (invalid UTF-8 included); a PostgreSQL
spec (tests/lib.sh pg_queue: SIGNOFF_PG_BIN, SIGNOFF_PG_HOST and
SIGNOFF_PG_USER set) through psql, each row as a JSON array."""
import json
import os
import sqlite3
import subprocess


def rows(spec, sql):
    if not spec.startswith("postgresql:///"):
        db = sqlite3.connect(spec)
        db.text_factory = bytes
        return db.execute(sql).fetchall()
    name = spec[len("postgresql:///"):].split("?")[0]
    query = "SELECT coalesce(json_agg(to_json(r)), '[]') FROM (%s) r" % sql
    out = subprocess.run(
        [os.path.join(os.environ["SIGNOFF_PG_BIN"], "psql"), "-X", "-q", "-A",
         "-t", "-v", "ON_ERROR_STOP=1", "-h", os.environ["SIGNOFF_PG_HOST"],
         "-U", os.environ["SIGNOFF_PG_USER"], "-d", name, "-c", query],
        check=True, capture_output=True).stdout
    enc = lambda v: None if v is None else str(v).encode("utf-8")
    return [tuple(enc(v) for v in r.values()) for r in json.loads(out)]
