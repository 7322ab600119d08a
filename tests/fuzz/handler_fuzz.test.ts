// Property-based fuzzing (fast-check): 10 000+ generated Vapi-shaped and random requests through the real handler in
// process (a fake RPC that also answers errors, exceptions, timeouts and nonsense), then a sample over HTTP through the
// gateway and PostgreSQL. No exception may escape, every status is one the contract names, every tool-call reply is
// well formed, and nothing is written for a tenant that does not exist.
import assert from "node:assert/strict";
import fc from "fast-check";
import { createHandler } from "../../supabase/functions/vapi-webhook/handler.ts";
import { adminPool, SECRET as STACK_SECRET, startStack } from "../e2e/_stack.ts";
import { okReturn, SECRET, testConfig } from "../unit/_helpers.ts";
import { LINE_BREAK } from "../unit/_replies.ts";

const CONTRACT_STATUSES = new Set([200, 400, 401, 405, 413]);
const TOOLS = ["book_appointment", "check_availability", "cancel_appointment", "reschedule_appointment"];
const TYPES = ["tool-calls", "function-call", "status-update", "end-of-call-report", "assistant-request"];
const NASTY = ["__proto__", "constructor", "toString", "", "\u0000", "' or 1=1 --", "\ud800", "😀", "a".repeat(300)];

const text = fc.oneof(fc.string(), fc.constantFrom(...NASTY), fc.string({ unit: "binary" }));
const scalar = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const args = fc.oneof(
  fc.dictionary(
    fc.oneof(fc.constantFrom("start_time", "customer_name", "date", "appointment_id", ...NASTY), text),
    scalar,
  ),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  text,
  fc.constant(null),
  fc.array(scalar),
);

/** A message as Vapi shapes it, with every field sometimes missing, mistyped or hostile. `tenant` prefixes keys. */
function vapiMessage(tenant: string) {
  const toolCall = fc.record({
    id: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
    type: fc.constantFrom("function", "other"),
    function: fc.record({ name: fc.oneof(fc.constantFrom(...TOOLS), text), arguments: args }, { requiredKeys: [] }),
  }, { requiredKeys: [] });
  return fc.record({
    type: fc.oneof(fc.constantFrom(...TYPES), text),
    call: fc.record({
      id: fc.oneof(fc.string().map((s) => `${tenant}-call-${s}`), scalar),
      assistantId: fc.oneof(fc.string().map((s) => `${tenant}-asst-${s}`), scalar),
      phoneNumber: fc.record({ number: fc.oneof(text, fc.constant("+15550199999")) }, { requiredKeys: [] }),
    }, { requiredKeys: [] }),
    customer: fc.record({ number: fc.oneof(text, fc.constant("+15550100001")) }, { requiredKeys: [] }),
    toolCallList: fc.oneof(fc.array(toolCall, { maxLength: 5 }), scalar),
    functionCall: fc.record({ name: fc.oneof(fc.constantFrom(...TOOLS), text), parameters: args }, {
      requiredKeys: [],
    }),
    status: fc.oneof(fc.constantFrom("in-progress", "ended"), text),
    timestamp: fc.oneof(fc.integer(), text),
  }, { requiredKeys: ["type"] });
}

type Body = { kind: "json"; value: unknown } | { kind: "text"; value: string } | { kind: "bytes"; value: Uint8Array };

const vapiBody = (tenant: string) => vapiMessage(tenant).map((message): Body => ({ kind: "json", value: { message } }));
const randomBody: fc.Arbitrary<Body> = fc.oneof(
  fc.jsonValue().map((value): Body => ({ kind: "json", value })),
  fc.record({ message: fc.jsonValue() }).map((value): Body => ({ kind: "json", value })),
  fc.string().map((value): Body => ({ kind: "text", value })),
  fc.uint8Array({ maxLength: 200 }).map((value): Body => ({ kind: "bytes", value })),
);
const headers = fc.oneof(
  { weight: 8, arbitrary: fc.constant<Record<string, string>>({}) },
  { weight: 1, arbitrary: fc.constant<Record<string, string>>({ "x-vapi-secret": "wrong" }) },
  { weight: 1, arbitrary: fc.record({ "content-type": fc.constantFrom("text/plain", "application/xml", "") }) },
);
const method = fc.oneof({ weight: 9, arbitrary: fc.constant("POST") }, {
  weight: 1,
  arbitrary: fc.constantFrom("PUT", "GET"),
});

function encode(body: Body): BodyInit {
  if (body.kind === "json") return JSON.stringify(body.value) ?? "null";
  if (body.kind === "text") return body.value;
  return new Uint8Array(body.value);
}

// The fake RPC answers anything a broken backend could: valid returns, errors, exceptions, nonsense, slowness.
const rpcAnswers = [
  () => Promise.resolve({ data: okReturn("fine"), error: null }),
  () => Promise.resolve({ data: { ok: false, error: "nope", reason: "x" }, error: null }),
  () => Promise.resolve({ data: null, error: { message: "boom", code: "57014" } }),
  () => Promise.resolve({ data: "nonsense", error: null }),
  () => Promise.reject(new TypeError("network down")),
  (signal: AbortSignal) =>
    new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(signal.reason))),
];

// deno-lint-ignore no-explicit-any
function checkReply(status: number, json: any, rpcCalls: number) {
  assert.ok(CONTRACT_STATUSES.has(status), `status ${status}`);
  if (status !== 200) assert.equal(rpcCalls, 0, "no database access for a refused request");
  if (json && Array.isArray(json.results)) {
    for (const r of json.results) {
      const text = "result" in r ? r.result : r.error;
      assert.ok(("result" in r) !== ("error" in r), "exactly one of result / error");
      assert.equal(typeof text, "string");
      assert.ok(!LINE_BREAK.test(text), "single line");
    }
  }
}

Deno.test("fuzz: 10 000 generated requests through the handler in process — no exception, contract statuses only", async () => {
  let answer = 0;
  let calls = 0;
  const handle = createHandler({
    config: testConfig({ rpcTimeoutMs: 5, assistantRequestTimeoutMs: 5 }),
    rpc: {
      call: (_fn, rpcArgs, signal) => {
        calls++;
        assert.deepEqual(
          Object.keys(rpcArgs).filter((k) => !k.startsWith("p_")),
          [],
          "only the contract's named p_ arguments",
        );
        return rpcAnswers[answer++ % rpcAnswers.length](signal);
      },
    },
    log: () => {},
    now: Date.now,
  });
  const property = fc.asyncProperty(
    fc.oneof({ weight: 3, arbitrary: vapiBody("fuzz") }, { weight: 2, arbitrary: randomBody }),
    headers,
    method,
    async (body, extra, verb) => {
      calls = 0;
      const res = await handle(
        new Request("http://localhost/functions/v1/vapi-webhook", {
          method: verb,
          headers: { "content-type": "application/json", "x-vapi-secret": SECRET, ...extra },
          body: verb === "GET" ? undefined : encode(body),
        }),
      );
      const raw = await res.text();
      checkReply(res.status, JSON.parse(raw), calls);
    },
  );
  await fc.assert(property, { numRuns: 10_000 });
});

Deno.test({
  name: "fuzz: a sample of 300 over HTTP through the gateway and PostgreSQL — contract statuses, nothing written",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const stack = await startStack();
    const sql = adminPool(1);
    const totals = async () =>
      (await sql`select (select count(*) from public.appointments)::int + (select count(*) from public.call_logs)::int
                      + (select count(*) from public.tool_call_executions)::int as n`)[0].n;
    try {
      const before = await totals();
      // Tenant keys never match a real tenant (the seed lines are also the caller's numbers here): nothing may land.
      await fc.assert(
        fc.asyncProperty(fc.oneof(vapiBody("fuzz-http"), randomBody), async (body) => {
          const res = await fetch(stack.webhookUrl, {
            method: "POST",
            headers: { "content-type": "application/json", "x-vapi-secret": STACK_SECRET },
            body: encode(body),
          });
          checkReply(res.status, JSON.parse(await res.text()), 0);
        }),
        { numRuns: 300 },
      );
      assert.equal(await totals(), before, "rows written by requests of unknown tenants");
    } finally {
      await sql.end({ timeout: 5 });
      await stack.close();
    }
  },
});
