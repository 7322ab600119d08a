// While the database is known to be down (a request's every try found none: PGRST000), a request tries once and fails
// fast instead of waiting out the retry pauses; the first answer clears it (helper-91 #5, issue 12 #5).
import assert from "node:assert/strict";
import { z } from "zod";
import { callRpcPatiently, type Reachability, type RpcTransport } from "../../supabase/functions/_shared/rpc.ts";

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
  const reachability: Reachability = { downSince: null };
  const { transport, setUp } = database(reachability);
  assert.equal((await ask(transport)).ok, false);
  assert.equal(transport.calls, 5, "the first request tried through every pause");
  assert.ok(reachability.downSince !== null, "the database is now known to be down");
  const started = performance.now();
  assert.equal((await ask(transport)).ok, false);
  assert.equal(transport.calls, 6, "one try");
  assert.ok(performance.now() - started < 100, "failed fast");
  setUp(true);
  assert.equal((await ask(transport)).ok, true, "served as soon as the database is back");
  assert.equal(reachability.downSince, null);
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
