// Hostile request cases (tests/hostile/cases/*.json) turned into real HTTP requests: placeholders, generated bodies
// (too big to commit), credentials (shared secret, HMAC fresh/stale/tampered) and the expectation checks.
import assert from "node:assert/strict";
import { signHmac } from "../../supabase/functions/_shared/auth.ts";

/** The contract's body bound (CONTRACT.md: an authenticated body over 16 MiB → 413). */
export const CONTRACT_BODY_BOUND = 16 * 1024 * 1024;

export interface HostileCase {
  /** What the request is and why it is hostile. */
  why: string;
  method?: string;
  /** "secret" (default), "none", "wrong", "bearer", "hmac", "hmac-stale", "hmac-future", "hmac-tampered-body",
   * "hmac-tampered-signature", "hmac-replayed" (the same signed request sent twice). */
  auth?: string;
  headers?: Record<string, string>;
  /** A JSON value sent with JSON.stringify; strings in it may use {{callId}}, {{day}}, {{past}}, {{HVAC}}... */
  body?: unknown;
  /** Sent as is (after placeholders). */
  bodyText?: string;
  /** Raw bytes, for bodies that are not UTF-8. */
  bodyBase64?: string;
  /** Generated at test time: "nesting:<depth>", "tool-calls:<n>", "size:bound+1", "size:bound-1k". */
  generate?: string;
  expect: Expectation & {
    /** Either reply is right (e.g. before and after a planned stricter rule); `writes` must match the one chosen. */
    oneOf?: Expectation[];
  };
}

export interface Expectation {
  status: number;
  /** Exact JSON body. */
  body?: unknown;
  /** Per tool call: `error` / `result` as a regular expression (whole single-line text). */
  results?: { error?: string; result?: string }[];
  /** Every entry of `results` matches this (for generated lists). */
  everyResult?: { error?: string; result?: string; count: number };
  /** Rows the request may add (default: none, in any public table). */
  writes?: Record<string, number>;
}

export interface CaseContext {
  secret: string;
  hmacSecret: string;
  callId: string;
  vars: Record<string, string>;
}

function fill(text: string, ctx: CaseContext): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    if (name === "callId") return ctx.callId;
    const value = ctx.vars[name];
    if (value === undefined) throw new Error(`unknown placeholder {{${name}}}`);
    return value;
  });
}

function fillValue(value: unknown, ctx: CaseContext): unknown {
  if (typeof value === "string") return fill(value, ctx);
  if (Array.isArray(value)) return value.map((v) => fillValue(v, ctx));
  if (value && typeof value === "object") {
    // defineProperty keeps "__proto__" an ordinary own key, as JSON.parse does.
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, k, { value: fillValue(v, ctx), enumerable: true, writable: true });
    }
    return out;
  }
  return value;
}

function statusUpdate(callId: string, extra: Record<string, unknown> = {}) {
  return { message: { type: "status-update", status: "in-progress", call: { id: callId }, ...extra } };
}

function generated(spec: string, ctx: CaseContext): Uint8Array<ArrayBuffer> {
  const [kind, arg] = spec.split(":");
  const encode = (s: string) => new TextEncoder().encode(s);
  if (kind === "nesting") {
    const depth = Number(arg);
    const json = JSON.stringify(statusUpdate(ctx.callId, { deep: "@" }));
    return encode(json.replace('"@"', "[".repeat(depth) + "]".repeat(depth)));
  }
  if (kind === "nesting-args") {
    const depth = Number(arg);
    const call = { id: "tc-deep", type: "function", function: { name: "check_availability", arguments: "@" } };
    const json = JSON.stringify({ message: { type: "tool-calls", call: { id: ctx.callId }, toolCallList: [call] } });
    return encode(json.replace('"@"', '{"d":'.repeat(depth) + "1" + "}".repeat(depth)));
  }
  if (kind === "tool-calls") {
    const list = Array.from({ length: Number(arg) }, (_, i) => ({
      id: `tc-${i}`,
      type: "function",
      function: { name: "no_such_tool", arguments: {} },
    }));
    return encode(JSON.stringify({ message: { type: "tool-calls", call: { id: ctx.callId }, toolCallList: list } }));
  }
  if (kind === "size") {
    const target = arg === "bound+1" ? CONTRACT_BODY_BOUND + 1 : CONTRACT_BODY_BOUND - 1024;
    // A known tenant, so the body is carried all the way to a call_logs row.
    const head = JSON.stringify(statusUpdate(ctx.callId, { transcript: "@" }))
      .replace('"call":{', `"call":{"assistantId":"${ctx.vars.hvacAssistant}",`);
    return encode(head.replace("@", "a".repeat(target - (head.length - 1))));
  }
  throw new Error(`unknown generator ${spec}`);
}

export function caseBody(c: HostileCase, ctx: CaseContext): Uint8Array<ArrayBuffer> {
  if (c.generate) return generated(c.generate, ctx);
  // Raw bytes: placeholders (ASCII) are filled byte for byte, leaving every other byte as it was.
  if (c.bodyBase64 !== undefined) return Uint8Array.from(fill(atob(c.bodyBase64), ctx), (ch) => ch.charCodeAt(0));
  if (c.bodyText !== undefined) return new TextEncoder().encode(fill(c.bodyText, ctx));
  if (c.body !== undefined) return new TextEncoder().encode(JSON.stringify(fillValue(c.body, ctx)));
  return new Uint8Array(0);
}

/** The requests a case sends (two for a replay), each with its headers. */
export async function caseRequests(
  c: HostileCase,
  ctx: CaseContext,
  nowMs: number,
): Promise<{ headers: Record<string, string>; body: Uint8Array<ArrayBuffer> }[]> {
  const body = caseBody(c, ctx);
  const headers: Record<string, string> = { "content-type": "application/json" };
  const auth = c.auth ?? "secret";
  if (auth === "secret") headers["x-vapi-secret"] = ctx.secret;
  if (auth === "bearer") headers["authorization"] = `Bearer ${ctx.secret}`;
  if (auth === "wrong") headers["x-vapi-secret"] = `${ctx.secret}x`;
  if (auth.startsWith("hmac")) {
    const skew = auth === "hmac-stale" ? -6 * 60_000 : auth === "hmac-future" ? 6 * 60_000 : 0;
    const timestamp = String(Math.floor((nowMs + skew) / 1000));
    let signature = await signHmac(ctx.hmacSecret, timestamp, body);
    if (auth === "hmac-tampered-signature") signature = signature.replace(/^./, (d) => (d === "0" ? "1" : "0"));
    headers["x-timestamp"] = timestamp;
    headers["x-signature"] = signature;
  }
  Object.assign(headers, Object.fromEntries(Object.entries(c.headers ?? {}).map(([k, v]) => [k, fill(v, ctx)])));
  for (const [k, v] of Object.entries(headers)) if (v === "") delete headers[k];
  if (auth === "hmac-tampered-body") {
    const tampered = body.slice();
    tampered[tampered.length - 2] ^= 1;
    return [{ headers, body: tampered }];
  }
  return auth === "hmac-replayed" ? [{ headers, body }, { headers, body }] : [{ headers, body }];
}

function matchesWhole(text: unknown, pattern: string, label: string) {
  assert.equal(typeof text, "string", `${label} is a string`);
  assert.match(text as string, new RegExp(`^(?:${pattern})$`), `${label}: ${text}`);
  assert.ok(!/[\r\n]/.test(text as string), `${label} is a single line`);
}

/** Checks one reply against the case's expectation; returns the expectation it met (for its `writes`). */
// deno-lint-ignore no-explicit-any
export function checkReply(c: HostileCase, status: number, body: any): Expectation {
  if (!c.expect.oneOf) {
    checkExpectation(c.expect, status, body);
    return c.expect;
  }
  const failures: string[] = [];
  for (const e of c.expect.oneOf) {
    try {
      checkExpectation(e, status, body);
      return e;
    } catch (err) {
      failures.push(String(err));
    }
  }
  throw new Error(`no expected reply matched:\n${failures.join("\n")}`);
}

// deno-lint-ignore no-explicit-any
function checkExpectation(e: Expectation, status: number, body: any) {
  assert.equal(status, e.status, "status");
  if (e.body !== undefined) assert.deepEqual(body, e.body, "body");
  const results = e.results ?? (e.everyResult ? Array(e.everyResult.count).fill(e.everyResult) : undefined);
  if (results) {
    assert.equal(body?.results?.length, results.length, "one result per tool call");
    results.forEach((want, i) => {
      const got = body.results[i];
      if (want.error !== undefined) matchesWhole(got.error, want.error, `results[${i}].error`);
      if (want.result !== undefined) matchesWhole(got.result, want.result, `results[${i}].result`);
      assert.ok(("error" in got) !== ("result" in got), `results[${i}] has exactly one of result/error`);
    });
  }
}
