// One results[] entry per tool call, in request order, whatever the ids; a stated maximum per message; the RPCs of
// one message run one after another, in request order.
import assert from "node:assert/strict";
import { MAX_ID_LENGTH, MAX_TOOL_CALL_ITEMS } from "../../supabase/functions/_shared/schemas.ts";
import { SPOKEN } from "../../supabase/functions/_shared/spoken.ts";
import { MAX_TOOL_CALLS_PER_MESSAGE } from "../../supabase/functions/_shared/tools.ts";
import { toolCallsResponseSchema } from "./_replies.ts";
import { checkItem, delay, okReturn, onlyLogLine, post, setup, toolCallsMessage } from "./_helpers.ts";

Deno.test("missing, empty, duplicate, numeric and over-long ids: exactly one entry each, in request order", async () => {
  const long = "x".repeat(MAX_ID_LENGTH + 1);
  const { handle, rpc } = setup({
    responder: (_fn, args) => Promise.resolve({ data: okReturn(`for ${args.p_tool_call_id}`), error: null }),
  });
  const res = await handle(
    post(toolCallsMessage([checkItem("a"), checkItem(), checkItem(""), checkItem("a"), checkItem(7), checkItem(long)])),
  );
  const body = await res.json();
  assert.ok(toolCallsResponseSchema.safeParse(body).success);
  assert.deepEqual(body.results.map((r: { toolCallId: string }) => r.toolCallId), ["a", "", "", "a", "7", long]);
  assert.deepEqual(body.results.map((r: { result?: string; error?: string }) => r.result ?? r.error), [
    "for a",
    "for null", // no id: SQL derives an idempotency key from the tool and its arguments
    "for ",
    "for a", // a repeated id is answered like its first occurrence, without a second RPC
    "for 7",
    SPOKEN.en.invalid_arguments, // an id no ledger can hold: refused without database access
  ]);
  assert.deepEqual(rpc.calls.map((c) => c.args.p_tool_call_id), ["a", null, "", "7"]);
});

Deno.test("a call id no ledger can hold: every tool call refused alike at each delivery, no RPC (helper-106 #2)", async () => {
  const { handle, rpc } = setup({
    responder: (_fn, args) => Promise.resolve({ data: okReturn(`for ${args.p_tool_call_id}`), error: null }),
  });
  const book = { id: "b1", function: { name: "book_appointment", arguments: { start_time: "2027-01-05T10:00" } } };
  const message = toolCallsMessage([book, checkItem("c1")], { call: { id: "c".repeat(MAX_ID_LENGTH + 1) } });
  for (let delivery = 1; delivery <= 2; delivery++) {
    const body = await (await handle(post(message))).json();
    assert.deepEqual(body.results, [
      { name: "book_appointment", toolCallId: "b1", error: SPOKEN.en.invalid_arguments },
      { name: "check_availability", toolCallId: "c1", error: SPOKEN.en.invalid_arguments },
    ], `delivery ${delivery}`);
  }
  assert.equal(rpc.calls.length, 0, "served as calls without an id, a redelivery could book again");
  const atLimit = toolCallsMessage([checkItem("c1")], { call: { id: "c".repeat(MAX_ID_LENGTH) } });
  assert.equal((await (await handle(post(atLimit))).json()).results[0].result, "for c1");
});

Deno.test("an id repeated for another tool is refused without an RPC, whatever the first's outcome", async () => {
  const { handle, rpc } = setup({
    responder: (fn, args) => Promise.resolve({ data: okReturn(`${fn} for ${args.p_tool_call_id}`), error: null }),
  });
  const book = { id: "same", function: { name: "book_appointment", arguments: { start_time: "2027-01-05T10:00" } } };
  const cancel = { id: " same ", function: { name: "cancel_appointment", arguments: {} } }; // SQL trims ids
  const unknown = { id: "same", function: { name: "no_such_tool", arguments: {} } };
  const res = await handle(post(toolCallsMessage([book, cancel, book, unknown, { ...book, id: "other" }])));
  const { results } = await res.json();
  assert.deepEqual(
    results.map((r: { name: string; result?: string; error?: string }) => [r.name, r.result ?? r.error]),
    [
      ["book_appointment", "resolve_org_and_book for same"],
      ["cancel_appointment", SPOKEN.en.tool_call_conflict],
      ["book_appointment", "resolve_org_and_book for same"], // the same tool again: the first answer, no RPC
      ["no_such_tool", SPOKEN.en.tool_call_conflict],
      ["book_appointment", "resolve_org_and_book for other"],
    ],
  );
  assert.deepEqual(rpc.calls.map((c) => [c.fn, c.args.p_tool_call_id]), [
    ["resolve_org_and_book", "same"],
    ["resolve_org_and_book", "other"],
  ]);
});

Deno.test("a question under a reused id is asked of SQL unless it repeats one word for word; a write after it too", async () => {
  const { handle, rpc } = setup({
    responder: (fn, args) =>
      Promise.resolve({ data: okReturn(`${fn} ${JSON.stringify(args.p_arguments)}`), error: null }),
  });
  const ask = (date: string) => ({ id: "0", function: { name: "check_availability", arguments: { date } } });
  const book = { id: "0", function: { name: "book_appointment", arguments: { start_time: "2027-01-05T10:00" } } };
  const res = await handle(post(toolCallsMessage([ask("2027-01-04"), ask("2027-01-05"), ask("2027-01-04"), book])));
  const answers = (await res.json()).results.map((r: { result?: string; error?: string }) => r.result ?? r.error);
  assert.deepEqual(answers, [
    'resolve_org_and_check_availability {"date":"2027-01-04"}',
    'resolve_org_and_check_availability {"date":"2027-01-05"}', // SQL serves it on its own (<id>#<hash>)
    'resolve_org_and_check_availability {"date":"2027-01-04"}', // word for word again: the first answer, no RPC
    'resolve_org_and_book {"start_time":"2027-01-05T10:00"}',
  ]);
  assert.equal(rpc.calls.length, 3);
});

Deno.test("a ledger key SQL reports as another organization's or another tool's is a warning log line", async () => {
  const { handle, lines } = setup({
    responder: () =>
      Promise.resolve({
        data: okReturn("", {
          ok: false,
          result: null,
          error: "I could not complete that request.",
          reason: "tool_call_conflict",
        }),
        error: null,
      }),
  });
  const res = await handle(post(toolCallsMessage([checkItem("k")])));
  assert.equal((await res.json()).results[0].error, "I could not complete that request.");
  assert.deepEqual([onlyLogLine(lines).level, onlyLogLine(lines).reasons], ["warn", ["tool_call_conflict"]]);
});

Deno.test(`more than ${MAX_TOOL_CALLS_PER_MESSAGE} tool calls: the rest get a spoken error without an RPC`, async () => {
  const { handle, rpc, lines } = setup();
  const n = MAX_TOOL_CALLS_PER_MESSAGE + 5;
  const res = await handle(post(toolCallsMessage(Array.from({ length: n }, (_, i) => checkItem(`t${i}`)))));
  const { results } = await res.json();
  assert.equal(results.length, n);
  assert.deepEqual(
    results.map((r: { toolCallId: string }) => r.toolCallId),
    Array.from({ length: n }, (_, i) => `t${i}`),
  );
  assert.ok(results.slice(0, MAX_TOOL_CALLS_PER_MESSAGE).every((r: { result?: string }) => r.result));
  assert.ok(
    results.slice(MAX_TOOL_CALLS_PER_MESSAGE).every((r: { error?: string }) =>
      r.error === SPOKEN.en.too_many_tool_calls
    ),
  );
  assert.equal(rpc.calls.length, MAX_TOOL_CALLS_PER_MESSAGE);
  const line = onlyLogLine(lines);
  assert.equal(line.level, "warn");
  assert.equal((line.reasons as string[]).filter((r) => r === "too_many_tool_calls").length, 5);
});

Deno.test(`over ${MAX_TOOL_CALL_ITEMS} items in any tool-call list: 413 before any parsing, no RPC; at the bound: 200`, async () => {
  const { handle, rpc, lines } = setup();
  const items = (n: number) => Array.from({ length: n }, (_, i) => checkItem(`t${i}`));
  for (const list of ["toolCallList", "toolCalls", "toolWithToolCallList"]) {
    const tooMany = list === "toolWithToolCallList"
      ? items(MAX_TOOL_CALL_ITEMS + 1).map((toolCall) => ({ toolCall }))
      : items(MAX_TOOL_CALL_ITEMS + 1);
    const res = await handle(post({ message: { type: "tool-calls", call: { id: "flood" }, [list]: tooMany } }));
    assert.equal(res.status, 413, list);
    assert.deepEqual(await res.json(), { error: "Payload too large" });
  }
  assert.equal(rpc.calls.length, 0);
  assert.equal(lines.length, 3);
  assert.ok(lines.every((l) => JSON.parse(l).outcome === "payload_too_large" && JSON.parse(l).level === "warn"));
  const res = await handle(post(toolCallsMessage(items(MAX_TOOL_CALL_ITEMS))));
  assert.equal(res.status, 200);
  assert.equal((await res.json()).results.length, MAX_TOOL_CALL_ITEMS);
});

Deno.test("a message's tool calls run one after another, in request order", async () => {
  let inFlight = 0;
  let peak = 0;
  const started: unknown[] = [];
  const { handle, rpc } = setup({
    responder: async (_fn, args) => {
      started.push(args.p_tool_call_id);
      peak = Math.max(peak, ++inFlight);
      await delay(5);
      inFlight--;
      return { data: okReturn("ok"), error: null };
    },
  });
  const ids = Array.from({ length: 12 }, (_, i) => `p${i}`);
  const res = await handle(post(toolCallsMessage(ids.map((id) => checkItem(id)))));
  assert.equal((await res.json()).results.length, 12);
  assert.equal(rpc.calls.length, 12);
  assert.equal(peak, 1);
  assert.deepEqual(started, ids);
});

Deno.test("10 000 tool calls in one message: 10 000 entries, only the first few reach the database", async () => {
  const { handle, rpc } = setup();
  const res = await handle(post(toolCallsMessage(Array.from({ length: 10_000 }, (_, i) => checkItem(`m${i}`)))));
  const { results } = await res.json();
  assert.equal(results.length, 10_000);
  assert.equal(results[9_999].toolCallId, "m9999");
  assert.equal(rpc.calls.length, MAX_TOOL_CALLS_PER_MESSAGE);
});

Deno.test("arguments reach SQL unchanged (no type coercion in TypeScript)", async () => {
  const { handle, rpc } = setup();
  const args = { customer_name: { first: "Dana" }, duration_minutes: "1e400", start_time: "10:00:60", n: 1.5 };
  await handle(post(toolCallsMessage([{ id: "u1", function: { name: "book_appointment", arguments: args } }])));
  assert.deepEqual(rpc.calls[0].args.p_arguments, args);
});

Deno.test("all tool calls of one message share one RPC budget: a slow database cannot stretch the message", async () => {
  // testConfig: 1000 ms per RPC. 12 calls of 400 ms, one after another, would take 4.8 s: the third gets what is left,
  // the rest are not started.
  const { handle, rpc } = setup({
    responder: async () => {
      await delay(400);
      return { data: okReturn("ok"), error: null };
    },
  });
  const started = performance.now();
  const res = await handle(post(toolCallsMessage(Array.from({ length: 12 }, (_, i) => checkItem(`s${i}`)))));
  const { results } = await res.json();
  assert.ok(performance.now() - started < 1500, "answered within about one RPC budget");
  assert.equal(results.length, 12);
  assert.ok(results.slice(0, 2).every((r: { result?: string }) => r.result === "ok"));
  assert.ok(results.slice(2).every((r: { error?: string }) => r.error === SPOKEN.en.rpc_failure));
  assert.equal(rpc.calls.length, 3);
});
