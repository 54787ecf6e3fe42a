// A client written against the TypeScript types openapi-typescript
// generates from docs/openapi.yaml (tests/lint/openapi.sh): it must
// type-check with tsc --strict, so the spec is one a team can generate a
// client from, with the request and reply shapes the server uses.
import type { components, paths } from "./signoff";

type ApiError = components["schemas"]["Error"];

type Claim = paths["/v1/claim"]["post"];
type ClaimBody = NonNullable<Claim["requestBody"]>["content"]["application/json"];
type Claimed = Claim["responses"][200]["content"]["application/json"];

type Decide = paths["/v1/drafts/{id}/decision"]["post"];
type DecideBody = NonNullable<Decide["requestBody"]>["content"]["application/json"];
type Decided = Decide["responses"][201]["content"]["application/json"];

type Metrics = paths["/metrics"]["get"]["responses"][200]["content"]["text/plain"];

// The transport (fetch, a Node or browser client) is the caller's: only
// the shapes are checked here, with the ES library alone.
declare function post(url: string, token: string, body: string): Promise<string>;
declare function uuid(): string;

async function call<T>(base: string, token: string, path: string,
                       body: unknown): Promise<T | ApiError> {
    return JSON.parse(await post(base + path, token, JSON.stringify(body))) as
        T | ApiError;
}

function failed(r: object): r is ApiError {
    return "error" in r;
}

// Claim the next draft of a workflow and reject it with a reason.
export async function rejectNext(base: string, token: string,
                                 workflow: string): Promise<number | string> {
    const want: ClaimBody = { workflow, lease_s: 60 };
    const c = await call<Claimed>(base, token, "/v1/claim", want);
    if (failed(c))
        return c.error.code;
    const d: DecideBody = {
        request_id: uuid(),
        action: "reject",
        reason: "factual",
        lease_token: c.draft.lease_token,
    };
    const r = await call<Decided>(base, token,
        `/v1/drafts/${encodeURIComponent(c.draft.id)}/decision`, d);
    return failed(r) ? r.error.code : r.seq;
}

export function scrape(m: Metrics): string[] {
    return m.split("\n").filter((l) => l.startsWith("signoff_"));
}
