// One tenant's RPCs cannot take every database connection: at most TENANT_RPCS_IN_FLIGHT run at a time per tenant key.
import assert from "node:assert/strict";
import type { RpcTransport } from "../../supabase/functions/_shared/rpc.ts";
import { gateTransport, TENANT_RPCS_IN_FLIGHT } from "../../supabase/functions/_shared/tenant_gate.ts";

/** A transport whose calls stay open until released, recording what it was asked. */
function heldTransport() {
  const started: string[] = [];
  const open: (() => void)[] = [];
  const transport: RpcTransport = {
    call: (fn) => {
      started.push(fn);
      return new Promise((resolve) => open.push(() => resolve({ data: fn, error: null })));
    },
  };
  return { transport, started, releaseAll: () => open.splice(0).forEach((done) => done()) };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

Deno.test("tenant gate: a tenant's extra calls wait, another tenant's go at once, waiters follow in order", async () => {
  const db = heldTransport();
  const busy = gateTransport(db.transport, "assistant:busy");
  const other = gateTransport(db.transport, "assistant:other");
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
  const gated = gateTransport(db.transport, "assistant:locked");
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
