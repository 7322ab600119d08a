// While the database is known to be down (a request's every try found none: PGRST000), a request tries once and fails
// fast instead of waiting out the retry pauses; the first answer clears it (helper-91 #5, issue 12 #5).
import assert from "node:assert/strict";
import { z } from "zod";
import {
  callRpc,
  callRpcPatiently,
  type Reachability,
  type RpcTransport,
} from "../../supabase/functions/_shared/rpc.ts";

const DOWN = { data: null, error: { message: "Database connection error", code: "PGRST000" }, status: 503 };

function database(reachability?: Reachability) {
  let up = false;
  const transport: RpcTransport & { calls: number } = {
    calls: 0,
    call() {
      transport.calls++;
      return Promise.resolve(up ? { data: "ok", error: null } : DOWN);
    },
    reachability,
  };
  return { transport, setUp: (value: boolean) => up = value };
}

const ask = (transport: RpcTransport, budgetMs = 4000) =>
  callRpcPatiently(transport, "record_call_event", {}, z.string(), budgetMs, "lock-wait");

Deno.test("an outage: the first request rides out the pauses, later ones try once; the first answer clears it", async () => {
  const reachability: Reachability = { downUntil: 0 };
  const { transport, setUp } = database(reachability);
  assert.equal((await ask(transport)).ok, false);
  assert.equal(transport.calls, 5, "the first request tried through every pause");
  assert.ok(reachability.downUntil > Date.now(), "the database is now known to be down");
  const started = performance.now();
  assert.equal((await ask(transport)).ok, false);
  assert.equal(transport.calls, 6, "one try");
  assert.ok(performance.now() - started < 100, "failed fast");
  setUp(true);
  assert.equal((await ask(transport)).ok, true, "served as soon as the database is back");
  assert.equal(reachability.downUntil, 0);
  setUp(false);
  await ask(transport);
  assert.equal(transport.calls, 12, "after an answer, a failure rides out the pauses again (a restart, maybe)");
});

Deno.test("a transport that keeps no reachability always rides out the pauses", async () => {
  const { transport } = database();
  await ask(transport, 1000); // tries after 0.1 and 0.3 s; the 0.7 s pause no longer fits the budget
  await ask(transport, 1000);
  assert.equal(transport.calls, 6);
});

Deno.test("a request with little budget left never marks it down: a 1 s restart is still ridden out (helper-94 #1)", async () => {
  const reachability: Reachability = { downUntil: 0 };
  const upAt = Date.now() + 1000;
  const transport: RpcTransport = {
    call: () => Promise.resolve(Date.now() >= upAt ? { data: "ok", error: null } : DOWN),
    reachability,
  };
  assert.equal((await ask(transport, 700)).ok, false, "two tries, 100 ms apart, both found no database");
  assert.equal(reachability.downUntil, 0, "not an outage: the pauses were not all tried");
  assert.equal((await ask(transport)).ok, true, "the next request rides the restart out");
});

Deno.test("known down, any answer but PGRST000 is retried as ever (a schema cache reloading: PGRST002)", async () => {
  const reachability: Reachability = { downUntil: Date.now() + 10_000 };
  const okAt = Date.now() + 300;
  const loading = {
    data: null,
    error: { message: "Could not query the database for the schema cache", code: "PGRST002" },
  };
  const transport: RpcTransport = {
    call: () => Promise.resolve(Date.now() >= okAt ? { data: "ok", error: null } : { ...loading, status: 503 }),
    reachability,
  };
  assert.equal((await ask(transport)).ok, true);
  assert.equal(reachability.downUntil, 0);
});

Deno.test("a try asked with its budget already spent (a timer that fired late) fails as a value, never throws", async () => {
  const { transport } = database();
  const outcome = await callRpc(transport, "record_call_event", {}, z.string(), -25);
  assert.equal(outcome.ok, false);
});

Deno.test("an outage known long ago is not trusted: the next request rides out a short restart again", async () => {
  const reachability: Reachability = { downUntil: Date.now() - 1 }; // known down, but nothing heard for a while
  const upAt = Date.now() + 300;
  const transport: RpcTransport = {
    call: () => Promise.resolve(Date.now() >= upAt ? { data: "ok", error: null } : DOWN),
    reachability,
  };
  assert.equal((await ask(transport)).ok, true);
});
