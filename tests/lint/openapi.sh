#!/bin/bash
# docs/openapi.yaml: Redocly CLI's linter (recommended rules, docs/redocly.yaml)
# finds nothing, and the spec and the server's route table agree both ways
# (scripts/openapi_check.py routes), and docs/protocol.md describes every
# operation and heads none the spec lacks. Every HTTP test checks the
# replies it gets against the spec too (tests/http/serve.inc). A route
# added to the server but not to the spec fails here, and so does a reply
# field the spec does not describe (scripts/openapi_check.py replies). A
# client is generated from it (openapi-typescript) and a client written
# against it type-checks.
. "$(dirname "$0")/../lib.sh"
REDOCLY=$TOP/build/tools/node_modules/.bin/redocly
if [ ! -x "$REDOCLY" ]; then
    notok "redocly is installed in build/tools (make deps)"
    exit 0
fi
run env REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_COLOR=1 \
    "$REDOCLY" lint --config "$TOP/docs/redocly.yaml" "$TOP/docs/openapi.yaml"
check_eq "redocly lint: exit 0" 0 "$RC"
check_contains "redocly lint: the description is valid" \
    "Your API description is valid" "$OUT$ERR"
check_not_contains "redocly lint: no warning or error" "You have" "$OUT$ERR"
printf '%s\n' "$OUT$ERR" | grep -E 'validated in|valid' | sed 's/^/# /'
# A client generated from it: openapi-typescript's types, and a client
# written against them (tests/lint/openapi_client.ts) that tsc --strict
# accepts.
GEN=$TOP/build/tools/node_modules/.bin/openapi-typescript
TSC=$TOP/build/tools/node_modules/.bin/tsc
if [ -x "$GEN" ] && [ -x "$TSC" ]; then
    mkdir -p "$T/client"
    cp "$TOP/tests/lint/openapi_client.ts" "$T/client/"
    run env NO_COLOR=1 "$GEN" "$TOP/docs/openapi.yaml" -o "$T/client/signoff.d.ts"
    check_eq "openapi-typescript generates the client types" "0 yes" \
        "$RC $(grep -q '"/v1/drafts/{id}/decision"' "$T/client/signoff.d.ts" 2>/dev/null && echo yes)"
    run sh -c 'cd "$1" && "$2" --noEmit --strict --target es2022 --lib es2022 \
        --moduleResolution node openapi_client.ts' sh "$T/client" "$TSC"
    check_eq "a client written against the generated types type-checks" "0 " "$RC $OUT"
else
    notok "openapi-typescript and tsc are installed in build/tools (make deps)"
fi
PY=$(openapi_python) || { notok "python3 with jsonschema and yaml (make deps)"; exit 0; }
"$PY" "$TOP/scripts/openapi_check.py" routes "$TOP/docs/openapi.yaml" \
    "$TOP/src/server/server.c" "$TOP/docs/protocol.md"

# The check can fail: a route the spec does not have, and an operation
# without a 4XX reply.
mkdir -p "$T/src"
sed 's|{"GET", "/v1/me", NULL,|{"GET", "/v1/me", NULL, 0, 0, h_me, "me"},\n    {"GET", "/v1/planted", NULL,|' \
    "$TOP/src/server/server.c" >"$T/src/server.c"
run "$PY" "$TOP/scripts/openapi_check.py" routes "$TOP/docs/openapi.yaml" "$T/src/server.c"
check_eq "a route missing from the spec fails the check" 1 "$RC"
check_contains "and is named" "not ok - openapi: the server's route GET /v1/planted is in docs/openapi.yaml" "$OUT"
sed 's|^### GET /v1/me (all roles)|### GET /v1/me, GET /v1/planted (all roles)|; s|GET /v1/count|GET /v1/tally|g' \
    "$TOP/docs/protocol.md" >"$T/protocol.md"
run "$PY" "$TOP/scripts/openapi_check.py" routes "$TOP/docs/openapi.yaml" \
    "$TOP/src/server/server.c" "$T/protocol.md"
check_eq "protocol.md out of step with the spec fails the check" 1 "$RC"
check_contains "an operation protocol.md does not describe is named" \
    "not ok - openapi: docs/protocol.md describes GET /v1/count" "$OUT"
check_contains "a heading the spec lacks is named" \
    "not ok - openapi: GET /v1/planted of docs/protocol.md is in docs/openapi.yaml" "$OUT"
# A reply with a field the spec does not describe fails too (a generated
# client would never see it), though JSON Schema alone lets it pass.
mkdir -p "$T/replies"
printf 'GET\t/healthz\t200\tapplication/json\n' >"$T/replies/1.meta"
printf '{"status":"ok","planted":{"x":1}}' >"$T/replies/1.body"
run "$PY" "$TOP/scripts/openapi_check.py" replies "$TOP/docs/openapi.yaml" "$T/replies"
check_eq "a reply field missing from the spec fails the check" 1 "$RC"
check_contains "and is named" "not ok - openapi: GET /healthz -> 200: /planted: not in docs/openapi.yaml" "$OUT"
