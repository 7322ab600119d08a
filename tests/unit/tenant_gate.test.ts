// One tenant's RPCs cannot take every database connection: at most TENANT_RPCS_IN_FLIGHT run at a time per tenant key.
import assert from "node:assert/strict";
import type { RpcTransport } from "../../supabase/functions/_shared/rpc.ts";
import type { TenantKeys } from "../../supabase/functions/_shared/schemas.ts";
import {
  gateTransport,
  LEARNED_KEYS_MAX,
  TENANT_RPCS_IN_FLIGHT,
  tenantGateKey,
} from "../../supabase/functions/_shared/tenant_gate.ts";

/** Tenant keys as a message carries them (absent ones null). */
function keys(k: Partial<TenantKeys>): TenantKeys {
  return { assistantId: null, phoneNumberId: null, phoneNumber: null, callId: null, callerPhone: null, ...k };
}
const assistant = (id: string) => keys({ assistantId: id });

/** A transport whose calls stay open until released, recording what it was asked; `answer` is what SQL resolved. */
function heldTransport(answer: Record<string, unknown> = {}) {
  const started: string[] = [];
  const open: (() => void)[] = [];
  const transport: RpcTransport = {
    call: (fn) => {
      started.push(fn);
      return new Promise((resolve) => open.push(() => resolve({ data: { ok: true, ...answer }, error: null })));
    },
  };
  return { transport, started, releaseAll: () => open.splice(0).forEach((done) => done()) };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

Deno.test("tenant gate: a tenant's extra calls wait, another tenant's go at once, waiters follow in order", async () => {
  const db = heldTransport();
  const busy = gateTransport(db.transport, assistant("busy"));
  const other = gateTransport(db.transport, assistant("other"));
  const signal = new AbortController().signal;
  const calls = Array.from({ length: TENANT_RPCS_IN_FLIGHT + 2 }, (_, i) => busy.call(`busy-${i}`, {}, signal));
  await tick();
  assert.equal(db.started.length, TENANT_RPCS_IN_FLIGHT);
  const otherCall = other.call("other", {}, signal);
  await tick();
  assert.equal(db.started.at(-1), "other", "another tenant is not queued behind the busy one");
  db.releaseAll();
  await tick();
  assert.deepEqual(db.started.slice(-2), [`busy-${TENANT_RPCS_IN_FLIGHT}`, `busy-${TENANT_RPCS_IN_FLIGHT + 1}`]);
  db.releaseAll();
  assert.equal((await Promise.all([...calls, otherCall])).length, TENANT_RPCS_IN_FLIGHT + 3);
});

Deno.test("tenant gate: a waiter whose budget ends never reaches the database, and frees its place", async () => {
  const db = heldTransport();
  const gated = gateTransport(db.transport, assistant("locked"));
  const live = new AbortController().signal;
  const holders = Array.from({ length: TENANT_RPCS_IN_FLIGHT }, (_, i) => gated.call(`hold-${i}`, {}, live));
  const budget = new AbortController();
  const late = gated.call("late", {}, budget.signal);
  const next = gated.call("next", {}, live);
  budget.abort(new Error("budget spent"));
  await assert.rejects(late, /budget spent/);
  db.releaseAll();
  await Promise.all(holders);
  await tick();
  assert.ok(!db.started.includes("late"), "the abandoned call was never sent");
  assert.equal(db.started.at(-1), "next");
  db.releaseAll();
  await next;
});

Deno.test("tenant gate: two assistants of one organization share its gate once SQL has resolved each", async () => {
  const org = crypto.randomUUID();
  const [first, second] = [assistant(`a1-${org}`), assistant(`a2-${org}`)];
  assert.notEqual(tenantGateKey(first), tenantGateKey(second), "unknown until an RPC resolves them");
  const db = heldTransport({ organization_id: org, resolved_by: "assistant_id" });
  const signal = new AbortController().signal;
  const learning = [
    gateTransport(db.transport, first).call("a1", {}, signal),
    gateTransport(db.transport, second).call("a2", {}, signal),
  ];
  await tick();
  db.releaseAll();
  await Promise.all(learning);
  assert.equal(tenantGateKey(first), `org:${org}`);
  assert.equal(tenantGateKey(second), `org:${org}`);
  // Now their RPCs count together: TENANT_RPCS_IN_FLIGHT in all, not per assistant.
  const calls = Array.from(
    { length: TENANT_RPCS_IN_FLIGHT + 2 },
    (_, i) => gateTransport(db.transport, i % 2 ? first : second).call(`x-${i}`, {}, signal),
  );
  await tick();
  assert.equal(db.started.length - 2, TENANT_RPCS_IN_FLIGHT);
  db.releaseAll();
  await tick();
  db.releaseAll();
  await Promise.all(calls);
});

Deno.test("tenant gate: requests with only a call id do not all share one gate; a resolved call id joins its tenant", async () => {
  const org = crypto.randomUUID();
  const [callA, callB] = [keys({ callId: `c-${crypto.randomUUID()}` }), keys({ callId: `c-${crypto.randomUUID()}` })];
  assert.notEqual(tenantGateKey(callA), tenantGateKey(callB), "two tenants' calls are not queued behind each other");
  const db = heldTransport({ organization_id: org, resolved_by: "call_id" });
  const call = gateTransport(db.transport, callA).call("event", {}, new AbortController().signal);
  await tick();
  db.releaseAll();
  await call;
  assert.equal(tenantGateKey(callA), `org:${org}`);
  assert.equal(tenantGateKey(keys({ assistantId: `unknown-${org}`, callId: callA.callId })), `org:${org}`);
});

Deno.test("tenant gate: a call id learnt for one tenant stays its own when another tenant's message carries it", async () => {
  const signal = new AbortController().signal;
  const [a, b] = [crypto.randomUUID(), crypto.randomUUID()];
  const callId = `c-${crypto.randomUUID()}`;
  const answering = (org: string): RpcTransport => ({
    call: () => Promise.resolve({ data: { ok: true, organization_id: org, resolved_by: "assistant_id" }, error: null }),
  });
  await gateTransport(answering(a), keys({ assistantId: `asst-${a}`, callId })).call("event", {}, signal);
  await gateTransport(answering(b), keys({ assistantId: `asst-${b}`, callId })).call("book", {}, signal); // forged
  assert.equal(tenantGateKey(keys({ callId })), `org:${a}`);
  assert.equal(tenantGateKey(keys({ assistantId: `asst-${b}` })), `org:${b}`, "the other tenant learns its own key");
  // SQL finding the call by its id says whose it is, whatever came first.
  const byCall: RpcTransport = {
    call: () => Promise.resolve({ data: { ok: true, organization_id: b, resolved_by: "call_id" }, error: null }),
  };
  await gateTransport(byCall, keys({ callId })).call("event", {}, signal);
  assert.equal(tenantGateKey(keys({ callId })), `org:${b}`);
});

Deno.test("tenant gate: only the key SQL resolved by is learned (an unknown assistant beside a known line is not)", async () => {
  const org = crypto.randomUUID();
  const request = keys({ assistantId: `stranger-${org}`, phoneNumber: `+1555${org.slice(0, 7)}` });
  const db = heldTransport({ organization_id: org, resolved_by: "phone_number" });
  const call = gateTransport(db.transport, request).call("book", {}, new AbortController().signal);
  await tick();
  db.releaseAll();
  await call;
  assert.equal(tenantGateKey(keys({ phoneNumber: request.phoneNumber })), `org:${org}`);
  assert.equal(tenantGateKey(keys({ assistantId: request.assistantId })), `assistant:${request.assistantId}`);
  // A failed RPC teaches nothing.
  const failing: RpcTransport = {
    call: () => Promise.resolve({ data: { organization_id: "x" }, error: { code: "57014" } }),
  };
  const other = assistant(`failed-${org}`);
  await gateTransport(failing, other).call("book", {}, new AbortController().signal);
  assert.equal(tenantGateKey(other), `assistant:${other.assistantId}`);
});

Deno.test("tenant gate: what it learns is bounded; the least recently resolved keys are forgotten first", async () => {
  const signal = new AbortController().signal;
  const resolved = (org: string): RpcTransport => ({
    call: () => Promise.resolve({ data: { organization_id: org, resolved_by: "assistant_id" }, error: null }),
  });
  const run = crypto.randomUUID();
  const first = assistant(`first-${run}`);
  await gateTransport(resolved("org-first"), first).call("book", {}, signal);
  assert.equal(tenantGateKey(first), "org:org-first");
  for (let i = 0; i < LEARNED_KEYS_MAX; i++) {
    await gateTransport(resolved(`org-${i}`), assistant(`fill-${run}-${i}`)).call("book", {}, signal);
  }
  assert.equal(tenantGateKey(first), `assistant:${first.assistantId}`, "the oldest entry was forgotten");
  assert.equal(tenantGateKey(assistant(`fill-${run}-${LEARNED_KEYS_MAX - 1}`)), `org:org-${LEARNED_KEYS_MAX - 1}`);
});
