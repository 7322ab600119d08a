// A tool call whose RPC failed in a way that may be transient is asked again, within the message's one budget, only
// under a fixed ledger key (call id + tool call id), so the ledger answers a repeat with the first answer.
import assert from "node:assert/strict";
import { COMMIT_MARGIN_MS } from "../../supabase/functions/_shared/budget.ts";
import { SPOKEN } from "../../supabase/functions/_shared/spoken.ts";
import { checkItem, okReturn, onlyLogLine, post, setup, toolCallsMessage } from "./_helpers.ts";

const book = (id: string) => ({ id, function: { name: "book_appointment", arguments: { date: "2026-01-09" } } });
const brokenConnection = { data: null, error: { message: "TypeError: fetch failed", code: "" }, status: 0 };

Deno.test("a transient failure (connection lost) is asked again: the ledger's answer is heard, same arguments", async () => {
  let n = 0;
  const { handle, rpc, lines } = setup({
    responder: () =>
      Promise.resolve(n++ === 0 ? brokenConnection : { data: okReturn("booked", { replayed: true }), error: null }),
  });
  const { results } = await (await handle(post(toolCallsMessage([book("b1")])))).json();
  assert.deepEqual(results, [{ name: "book_appointment", toolCallId: "b1", result: "booked" }]);
  assert.equal(rpc.calls.length, 2);
  assert.deepEqual(rpc.calls[1], rpc.calls[0], "the same RPC with the same tool call id and arguments");
  assert.deepEqual(onlyLogLine(lines).reasons, ["replayed"]);
});

for (
  const [name, answer] of [
    ["503 from PostgREST without its database", { data: null, error: { message: "x", code: "PGRST001" }, status: 503 }],
    ["the server shutting down (57P01)", { data: null, error: { message: "terminating", code: "57P01" }, status: 503 }],
    ["a deadlock (40P01)", { data: null, error: { message: "deadlock detected", code: "40P01" }, status: 500 }],
  ] as const
) {
  Deno.test(`transient: ${name} → asked again`, async () => {
    let n = 0;
    const { handle, rpc } = setup({
      responder: () => Promise.resolve(n++ === 0 ? answer : { data: okReturn("booked"), error: null }),
    });
    const { results } = await (await handle(post(toolCallsMessage([book("b2")])))).json();
    assert.equal(results[0].result, "booked");
    assert.equal(rpc.calls.length, 2);
  });
}

Deno.test("a definite failure (permission, lock timeout, statement timeout) is not asked again", async () => {
  for (const code of ["42501", "55P03", "57014", "P0001"]) {
    const { handle, rpc } = setup({
      responder: () => Promise.resolve({ data: null, error: { message: "no", code }, status: 500 }),
    });
    const { results } = await (await handle(post(toolCallsMessage([book("b3")])))).json();
    assert.equal(results[0].error, SPOKEN.en.rpc_failure);
    assert.equal(rpc.calls.length, 1, code);
  }
});

Deno.test("no call id, or no tool call id (no fixed ledger key): a transient failure is not asked again", async () => {
  for (const message of [toolCallsMessage([book("b4")], { call: undefined }), toolCallsMessage([checkItem()])]) {
    const { handle, rpc } = setup({ responder: () => Promise.resolve(brokenConnection) });
    const { results } = await (await handle(post(message))).json();
    assert.equal(results[0].error, SPOKEN.en.rpc_failure);
    assert.equal(rpc.calls.length, 1);
  }
});

Deno.test("asking again stays inside the message budget; a failure after a try in doubt is answered at the deadline", async () => {
  // testConfig: 1000 ms. Tries at 0, 100 and 400 ms; a fourth would start after 1100 ms (700 + 500 > what is left).
  // No HTTP answer says a try will not commit (each carried a commit deadline of 1000 − 250 ms): the failure is
  // answered only at 1000 ms, so nothing commits after the caller heard "nothing was booked".
  const { handle, rpc, lines } = setup({ responder: () => Promise.resolve(brokenConnection) });
  const started = performance.now();
  const { results } = await (await handle(post(toolCallsMessage([book("b5")])))).json();
  const ms = performance.now() - started;
  assert.ok(ms >= 990 && ms < 1500, `answered at the deadline: ${ms} ms`);
  assert.equal(results[0].error, SPOKEN.en.rpc_failure);
  assert.equal(rpc.calls.length, 3);
  assert.match(String(onlyLogLine(lines).error), /after 3 tries; answered at the deadline/);
  // Every try could commit only until 250 ms before the answer.
  assert.ok(rpc.deadlines.every((d) => d! <= Date.now() - COMMIT_MARGIN_MS + 5), String(rpc.deadlines));
});

Deno.test("a database PostgREST cannot reach (PGRST000: nothing was sent) is answered as soon as the tries end", async () => {
  const down = { data: null, error: { message: "Database connection error", code: "PGRST000" }, status: 503 };
  const { handle, rpc } = setup({ responder: () => Promise.resolve(down) });
  const started = performance.now();
  const { results } = await (await handle(post(toolCallsMessage([book("b7")])))).json();
  assert.ok(performance.now() - started < 900, "not held to the deadline");
  assert.equal(results[0].error, SPOKEN.en.rpc_failure);
  assert.equal(rpc.calls.length, 3);
});

Deno.test("a tool call asked once (no ledger key) whose try is in doubt is answered at the deadline too", async () => {
  const { handle, rpc } = setup({ responder: () => Promise.resolve(brokenConnection) });
  const started = performance.now();
  const { results } = await (await handle(post(toolCallsMessage([book("b8")], { call: undefined })))).json();
  assert.ok(performance.now() - started >= 990);
  assert.equal(results[0].error, SPOKEN.en.rpc_failure);
  assert.equal(rpc.calls.length, 1);
});

Deno.test("a later try that ran out of lock wait (on the first try's ledger row) is asked once more", async () => {
  const answers = [
    brokenConnection,
    { data: null, error: { message: "canceling statement due to lock timeout", code: "55P03" }, status: 500 },
    { data: okReturn("booked", { replayed: true }), error: null },
  ];
  const { handle, rpc } = setup({ config: { rpcTimeoutMs: 3000 }, responder: () => Promise.resolve(answers.shift()!) });
  const { results } = await (await handle(post(toolCallsMessage([book("b6")])))).json();
  assert.equal(results[0].result, "booked");
  assert.equal(rpc.calls.length, 3);
});
