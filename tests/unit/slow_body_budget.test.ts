// Every budget counts from the request's arrival (helper-92 #3): a body that took seconds to come spends them, so the
// answer still comes before Vapi stops listening, and an RPC never starts after the budget is spent.
import assert from "node:assert/strict";
import { COMMIT_MARGIN_MS } from "../../supabase/functions/_shared/budget.ts";
import { delay, onlyLogLine, SECRET, setup, toolCallsMessage, WEBHOOK_URL } from "./_helpers.ts";

/** A POST whose body arrives in two halves, `ms` apart (a slow network or a slow sender). */
function slowPost(body: unknown, ms: number): Request {
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  const half = Math.floor(bytes.length / 2);
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(bytes.subarray(0, half));
      await delay(ms);
      controller.enqueue(bytes.subarray(half));
      controller.close();
    },
  });
  return new Request(WEBHOOK_URL, { method: "POST", headers: { "x-vapi-secret": SECRET }, body: stream });
}

const booking = toolCallsMessage([{ id: "tc1", function: { name: "book_appointment", arguments: {} } }], {
  call: { id: "call-1", assistantId: "asst-1" },
});

Deno.test("a tool call's budget counts from the request's arrival: the RPC may commit only until arrival + budget", async () => {
  const { handle, rpc } = setup({ config: { rpcTimeoutMs: 1000 } });
  const arrived = Date.now();
  const res = await handle(slowPost(booking, 150));
  assert.equal(res.status, 200);
  assert.equal(rpc.calls.length, 1);
  const deadline = rpc.deadlines[0]!;
  // Counted from when the body was read it would be ≥ arrived + 150 + 1000 - margin.
  assert.ok(
    deadline <= arrived + 1000 - COMMIT_MARGIN_MS + 40,
    `commit deadline ${deadline - arrived} ms after arrival`,
  );
  assert.ok(deadline >= arrived + 1000 - COMMIT_MARGIN_MS - 40, "the whole rest of the budget is given");
});

Deno.test("a body still coming when the budget is spent is cut off then: 400 at the budget, nothing asked", async () => {
  const { handle, rpc, lines } = setup({ config: { rpcTimeoutMs: 100 } });
  const arrived = Date.now();
  const res = await handle(slowPost(booking, 1000));
  const took = Date.now() - arrived;
  assert.equal(res.status, 400);
  assert.deepEqual(await res.json(), { error: "Unreadable request body" });
  assert.equal(rpc.calls.length, 0, "nothing was asked of the database");
  assert.ok(took >= 90 && took < 700, `answered at the budget, not when the body ended: ${took} ms`);
  assert.equal(onlyLogLine(lines).outcome, "bad_request");
  await delay(1000); // the sender's timer ends before the test does
});

Deno.test("a body that ends with the budget nearly spent: no RPC starts without time to run", async () => {
  const { handle, rpc, lines } = setup({ config: { assistantRequestTimeoutMs: 100, rpcTimeoutMs: 1000 } });
  const message = {
    message: { type: "assistant-request", call: { id: "call-2" }, phoneNumber: { number: "+15550100001" } },
  };
  const res = await handle(slowPost(message, 150)); // read within the message's 1 s, past assistant-request's 100 ms
  assert.equal(res.status, 200);
  assert.equal(typeof (await res.json()).error, "string");
  assert.equal(rpc.calls.length, 0);
  assert.match(String(onlyLogLine(lines).error), /route_assistant_request: not started, budget spent/);
});

Deno.test("a body still coming after 7 s is cut off even with a longer budget: no assistant-request answer could be heard", async () => {
  const { handle, rpc } = setup({ config: { rpcTimeoutMs: 19_000 } });
  const arrived = Date.now();
  const res = await handle(slowPost(booking, 7500));
  const took = Date.now() - arrived;
  assert.equal(res.status, 400);
  assert.equal(rpc.calls.length, 0);
  assert.ok(took >= 6900, `cut at 7 s, not before: ${took} ms`); // uncut, the body would end at 7.5 s with a 200
  await delay(600);
});
