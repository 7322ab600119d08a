import assert from "node:assert/strict";
import { SPOKEN } from "../../supabase/functions/_shared/spoken.ts";
import { UNREADABLE_ARGUMENTS } from "../../supabase/functions/_shared/tools.ts";
import { toolCallsResponseSchema } from "./_replies.ts";
import { delay, expectJson, loadPayload, okReturn, onlyLogLine, post, setup, toolCallsMessage } from "./_helpers.ts";

Deno.test("unknown message types → 200 {} without database access", async () => {
  const { handle, rpc } = setup();
  for (const type of ["speech-update", "conversation-update", "hang", "toString", "__proto__"]) {
    await expectJson(await handle(post({ message: { type } })), 200, {});
  }
  assert.equal(rpc.calls.length, 0);
});

Deno.test("an ignored message's log line carries its call id (it joins the call's other lines)", async () => {
  const { handle, lines } = setup();
  await handle(post({ message: { type: "speech-update", call: { id: "call-7", assistantId: "asst_x" } } }));
  const line = onlyLogLine(lines);
  assert.equal(line.outcome, "ignored");
  assert.equal(line.call_id, "call-7");
  assert.equal(line.assistant_id, "asst_x");
});

Deno.test("tool-calls fixture → one RPC with the contract's named arguments", async () => {
  const { handle, rpc, lines } = setup();
  const res = await handle(post(await loadPayload("tool-calls.booking.inbound-phone.json")));
  const body = await res.json();
  assert.equal(res.status, 200);
  assert.deepEqual(body, {
    results: [
      { name: "book_appointment", toolCallId: "call_Qm3xT9aLk2VbR7uN0pYwZs4E", result: "done by resolve_org_and_book" },
    ],
  });
  assert.ok(toolCallsResponseSchema.safeParse(body).success);
  assert.equal(rpc.calls.length, 1);
  assert.equal(rpc.calls[0].fn, "resolve_org_and_book");
  assert.deepEqual(rpc.calls[0].args, {
    p_assistant_id: "a3d5e7f9-1b2c-4d6e-8f90-12ab34cd56ef",
    p_phone_number: "+15551230000",
    p_vapi_call_id: "0c9a6f3e-5d21-4b8a-9e7f-3a1b2c4d5e6f",
    p_tool_call_id: "call_Qm3xT9aLk2VbR7uN0pYwZs4E",
    p_arguments: {
      service: "cleaning",
      start_time: "2026-01-08T15:30:00-05:00",
      customer_name: "Dana Ortiz",
      customer_phone: "+15557654321",
      notes: "first visit",
    },
    p_phone_number_id: "9c8b7a65-4321-4fed-bcba-0987654321fe",
    p_caller_phone: "+15557654321",
  });
  const line = onlyLogLine(lines);
  assert.equal(line.organization_id, "d91e4aa4-914a-4d76-b5b7-2ee26e09b2a2");
  assert.equal(line.resolved_by, "assistant_id");
  assert.deepEqual(line.reasons, ["booked"]);
});

Deno.test("web-call fixture: null assistant and phone keys, string arguments sent as an object", async () => {
  const { handle, rpc } = setup();
  await handle(post(await loadPayload("tool-calls.web-call.no-phone-number.json")));
  assert.equal(rpc.calls[0].fn, "resolve_org_and_check_availability");
  assert.equal(rpc.calls[0].args.p_assistant_id, null);
  assert.equal(rpc.calls[0].args.p_phone_number, null);
  assert.equal(rpc.calls[0].args.p_vapi_call_id, "f2e1d0c9-b8a7-4654-8321-0fedcba98765");
  assert.deepEqual(rpc.calls[0].args.p_arguments, { date: "2026-01-09", service: "cleaning" });
});

Deno.test("several tool calls run one after another, the first listed first, whatever each takes", async () => {
  let inFlight = 0;
  let maxInFlight = 0;
  const finished: string[] = [];
  const waits: Record<string, number> = { a: 60, b: 5, c: 30 };
  const { handle } = setup({
    responder: async (_fn, args) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await delay(waits[args.p_tool_call_id as string]);
      inFlight--;
      finished.push(args.p_tool_call_id as string);
      return { data: okReturn(`result ${args.p_tool_call_id}`), error: null };
    },
  });
  const res = await handle(post(toolCallsMessage([
    { id: "a", function: { name: "book_appointment", arguments: {} } },
    { id: "b", function: { name: "cancel_appointment", arguments: {} } },
    { id: "c", function: { name: "reschedule_appointment", arguments: {} } },
  ])));
  assert.deepEqual((await res.json()).results, [
    { name: "book_appointment", toolCallId: "a", result: "result a" },
    { name: "cancel_appointment", toolCallId: "b", result: "result b" },
    { name: "reschedule_appointment", toolCallId: "c", result: "result c" },
  ]);
  assert.equal(maxInFlight, 1);
  assert.deepEqual(finished, ["a", "b", "c"]);
});

Deno.test("unknown tools and prototype names get a per-call error and no RPC", async () => {
  const { handle, rpc, lines } = setup();
  const names = ["send_email", "toString", "__proto__", "constructor", "hasOwnProperty"];
  const res = await handle(post(toolCallsMessage([
    ...names.map((name, i) => ({ id: `u${i}`, function: { name, arguments: {} } })),
    { id: "ok", function: { name: "book_appointment", arguments: {} } },
  ])));
  const { results } = await res.json();
  assert.deepEqual(
    results.slice(0, names.length),
    names.map((name, i) => ({ name, toolCallId: `u${i}`, error: `Unknown tool: ${name}` })),
  );
  assert.equal(results[names.length].result, "done by resolve_org_and_book");
  assert.deepEqual(rpc.calls.map((c) => c.fn), ["resolve_org_and_book"]);
  assert.deepEqual(onlyLogLine(lines).reasons, [...names.map(() => "unknown_tool"), "booked"]);
  // An assistant configured with a tool this backend does not serve is worth a look: a warning, not "info".
  assert.equal(onlyLogLine(lines).level, "warn");
});

Deno.test("unreadable arguments still ask SQL (tenant first), marked unreadable: its refusal is the answer", async () => {
  const { handle, rpc } = setup({
    responder: () =>
      Promise.resolve({
        data: okReturn("", { ok: false, result: null, error: "No he entendido algunos de los datos.", language: "es" }),
        error: null,
      }),
  });
  const res = await handle(post(toolCallsMessage([
    { id: "x", function: { name: "book_appointment", arguments: "{" } },
    { id: "y", function: { name: "check_availability", arguments: [1] } },
    { id: "z", function: { name: "cancel_appointment", arguments: `{"n": 1e400}` } },
  ])));
  assert.deepEqual((await res.json()).results.map((r: { error?: string }) => r.error), [
    "No he entendido algunos de los datos.",
    "No he entendido algunos de los datos.",
    "No he entendido algunos de los datos.",
  ]);
  assert.deepEqual(rpc.calls.map((c) => c.args.p_arguments), Array(3).fill(UNREADABLE_ARGUMENTS));
});

Deno.test("an unasked item is answered in the language the message's other answers reported (helper-57 #3)", async () => {
  const { handle, rpc } = setup({
    responder: () => Promise.resolve({ data: okReturn("Reservado", { language: "es" }), error: null }),
  });
  const res = await handle(post(toolCallsMessage([
    { id: "good", function: { name: "book_appointment", arguments: { start_time: "2026-01-07T10:00" } } },
    { id: "x".repeat(513), function: { name: "cancel_appointment", arguments: {} } },
  ])));
  assert.deepEqual((await res.json()).results.map((r: { error?: string }) => r.error), [
    undefined,
    SPOKEN.es.invalid_arguments,
  ]);
  assert.equal(rpc.calls.length, 1, "only the item with a usable id asks the database");
});

Deno.test("RPC ok:false → its spoken error; organization not found logs a warning", async () => {
  const { handle, lines } = setup({
    responder: () =>
      Promise.resolve({
        data: {
          ok: false,
          result: null,
          error: "Organization not found for this assistant",
          reason: "organization_not_found",
          organization_id: null,
          resolved_by: null,
          replayed: false,
        },
        error: null,
      }),
  });
  const res = await handle(post(toolCallsMessage([{ id: "x", function: { name: "book_appointment" } }])));
  assert.deepEqual((await res.json()).results, [
    { name: "book_appointment", toolCallId: "x", error: "Organization not found for this assistant" },
  ]);
  const line = onlyLogLine(lines);
  assert.equal(line.level, "warn");
  assert.equal(line.outcome, "organization_not_found");
});

Deno.test("results are single-line strings: objects stringified, newlines replaced", async () => {
  const { handle } = setup({
    responder: (_fn, args) =>
      Promise.resolve({
        data: args.p_tool_call_id === "obj"
          ? okReturn({ status: "booked", note: "a\nb" } as unknown as string)
          : { ...okReturn(""), ok: false, result: null, error: "That time is taken.\nTry 4 PM.", reason: "slot_taken" },
        error: null,
      }),
  });
  const res = await handle(post(toolCallsMessage([
    { id: "obj", function: { name: "book_appointment" } },
    { id: "err", function: { name: "book_appointment" } },
  ])));
  const body = await res.json();
  assert.deepEqual(body.results, [
    { name: "book_appointment", toolCallId: "obj", result: '{"status":"booked","note":"a\\nb"}' },
    { name: "book_appointment", toolCallId: "err", error: "That time is taken. Try 4 PM." },
  ]);
  assert.ok(toolCallsResponseSchema.safeParse(body).success);
});

const FAILURES: [string, () => Promise<{ data: unknown; error: unknown }>][] = [
  ["PostgREST error", () => Promise.resolve({ data: null, error: { message: "permission denied", code: "42501" } })],
  [
    "network failure (supabase-js resolves with code '' status 0)",
    () => Promise.resolve({ data: null, error: { message: "TypeError: fetch failed", code: "", status: 0 } }),
  ],
  ["thrown exception", () => Promise.reject(new Error("boom"))],
  ["malformed return", () => Promise.resolve({ data: { unexpected: true }, error: null })],
  ["ok:true without result", () => Promise.resolve({ data: { ok: true, result: null }, error: null })],
  ["null data", () => Promise.resolve({ data: null, error: null })],
];

for (const [name, responder] of FAILURES) {
  Deno.test(`RPC failure (${name}) → 200 with the spoken error; real error only in the log`, async () => {
    const { handle, lines } = setup({ responder });
    const res = await handle(post(toolCallsMessage([{ id: "x", function: { name: "book_appointment" } }])));
    await expectJson(res, 200, {
      results: [{ name: "book_appointment", toolCallId: "x", error: SPOKEN.en.rpc_failure }],
    });
    const line = onlyLogLine(lines);
    assert.equal(line.level, "error");
    assert.equal(line.outcome, "rpc_failed");
    assert.match(String(line.error), /resolve_org_and_book/);
  });
}

Deno.test("RPC timeout → spoken error within the budget, even if the transport ignores the abort", async () => {
  const { handle, lines } = setup({
    config: { rpcTimeoutMs: 50 },
    responder: () => new Promise((resolve) => setTimeout(() => resolve({ data: okReturn("late"), error: null }), 400)),
  });
  const started = performance.now();
  const res = await handle(post(toolCallsMessage([{ id: "x", function: { name: "book_appointment" } }])));
  assert.ok(performance.now() - started < 300, "answered before the slow RPC finished");
  assert.deepEqual((await res.json()).results[0].error, SPOKEN.en.rpc_failure);
  // The bound is what is left of the message's budget when the RPC starts: 50 ms, or 49 when a millisecond ticked.
  const bound = Number(/timed out after (\d+) ms/.exec(String(onlyLogLine(lines).error))?.[1]);
  assert.ok(bound >= 40 && bound <= 50, `timed out after ${bound} ms, not within the 50 ms budget`);
  await delay(400); // let the fake's timer finish so the test leaks nothing
});

Deno.test("the RPC receives an abort signal that fires at the timeout", async () => {
  let seen: AbortSignal | null = null;
  const { handle } = setup({
    config: { rpcTimeoutMs: 30 },
    responder: (_fn, _args, signal) => {
      seen = signal;
      return new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
    },
  });
  await handle(post(toolCallsMessage([{ id: "x", function: { name: "book_appointment" } }])));
  assert.equal(seen!.aborted, true);
});

Deno.test("legacy function-call → { result } with a null tool call id", async () => {
  const { handle, rpc } = setup();
  await expectJson(await handle(post(await loadPayload("function-call.legacy.json"))), 200, {
    result: "done by resolve_org_and_book",
  });
  assert.equal(rpc.calls[0].args.p_tool_call_id, null);
});

Deno.test("legacy function-call failure → the spoken error as result", async () => {
  const { handle } = setup({ responder: () => Promise.reject(new Error("down")) });
  await expectJson(await handle(post(await loadPayload("function-call.legacy.json"))), 200, {
    result: SPOKEN.en.rpc_failure,
  });
  const unknown = setup();
  await expectJson(
    await unknown.handle(post({ message: { type: "function-call", functionCall: { name: "nope" } } })),
    200,
    { result: "Unknown tool: nope" },
  );
});
