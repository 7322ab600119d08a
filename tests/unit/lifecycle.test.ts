import assert from "node:assert/strict";
import { SPOKEN } from "../../supabase/functions/_shared/spoken.ts";
import { assistantRequestResponseSchema } from "./_replies.ts";
import { delay, loadPayload, onlyLogLine, post, setup, toolCallsMessage } from "./_helpers.ts";

const EVENT_RETURN = {
  ok: true,
  reason: "recorded",
  organization_id: "6d593c7a-b00f-47be-8f77-cc4d1231f706",
  resolved_by: "phone_number",
  changed: true,
};

Deno.test("status-update → one record_call_event with a compact event, 200 {}", async () => {
  const { handle, rpc, lines } = setup({ responder: () => Promise.resolve({ data: EVENT_RETURN, error: null }) });
  const res = await handle(post(await loadPayload("status-update.in-progress.json")));
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), {});
  assert.equal(rpc.calls.length, 1);
  assert.equal(rpc.calls[0].fn, "record_call_event");
  assert.deepEqual(rpc.calls[0].args, {
    p_assistant_id: "a3d5e7f9-1b2c-4d6e-8f90-12ab34cd56ef",
    p_phone_number: "+15551230000",
    p_vapi_call_id: "0c9a6f3e-5d21-4b8a-9e7f-3a1b2c4d5e6f",
    p_event: {
      type: "status-update",
      timestamp: "2026-01-06T14:48:53.600Z",
      status: "in-progress",
      startedAt: "2026-01-06T14:48:53.512Z",
    },
    p_phone_number_id: "9c8b7a65-4321-4fed-bcba-0987654321fe",
  });
  const line = onlyLogLine(lines);
  assert.equal(line.organization_id, EVENT_RETURN.organization_id);
  assert.equal(line.resolved_by, "phone_number");
  assert.equal(line.outcome, "ok");
});

Deno.test("end-of-call-report → record_call_event without the caller's number", async () => {
  const { handle, rpc } = setup({ responder: () => Promise.resolve({ data: EVENT_RETURN, error: null }) });
  const res = await handle(post(await loadPayload("end-of-call-report.json")));
  assert.deepEqual(await res.json(), {});
  const event = rpc.calls[0].args.p_event as Record<string, unknown>;
  assert.equal(event.type, "end-of-call-report");
  assert.equal(event.endedReason, "customer-ended-call");
  assert.equal(event.durationSeconds, 196.519);
  assert.doesNotMatch(JSON.stringify(rpc.calls[0].args), /\+15557654321/);
});

for (
  const [name, responder] of [
    ["an RPC error", () => Promise.resolve({ data: null, error: { message: "fetch failed", code: "", status: 0 } })],
    ["a thrown exception", () => Promise.reject(new Error("boom"))],
    ["a malformed return", () => Promise.resolve({ data: "nope", error: null })],
  ] as const
) {
  Deno.test(`lifecycle event with ${name} → still 200 {}, error logged`, async () => {
    const { handle, lines } = setup({ responder });
    const res = await handle(post(await loadPayload("status-update.in-progress.json")));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {});
    const line = onlyLogLine(lines);
    assert.equal(line.level, "error");
    assert.equal(line.outcome, "rpc_failed");
  });
}

Deno.test("lifecycle event for an unknown tenant → 200 {}, warning", async () => {
  const { handle, lines } = setup({
    responder: () =>
      Promise.resolve({
        data: { ok: false, reason: "organization_not_found", organization_id: null, resolved_by: null, changed: false },
        error: null,
      }),
  });
  const res = await handle(post(await loadPayload("status-update.in-progress.json")));
  assert.deepEqual(await res.json(), {});
  const line = onlyLogLine(lines);
  assert.equal(line.level, "warn");
  assert.equal(line.outcome, "organization_not_found");
});

Deno.test("assistant-request → route_assistant_request(p_phone_number, p_vapi_call_id, p_phone_number_id) and { assistantId }", async () => {
  const { handle, rpc } = setup({
    responder: () =>
      Promise.resolve({
        data: { ok: true, assistant_id: "asst_hvac_company_assistant", organization_id: "d91e4aa4" },
        error: null,
      }),
  });
  const res = await handle(post(await loadPayload("assistant-request.json")));
  const body = await res.json();
  assert.deepEqual(body, { assistantId: "asst_hvac_company_assistant" });
  assert.ok(assistantRequestResponseSchema.safeParse(body).success);
  assert.deepEqual(rpc.calls, [{
    fn: "route_assistant_request",
    args: {
      p_phone_number: "+15551230000",
      p_vapi_call_id: "0c9a6f3e-5d21-4b8a-9e7f-3a1b2c4d5e6f",
      p_phone_number_id: "9c8b7a65-4321-4fed-bcba-0987654321fe",
    },
  }]);
});

Deno.test("assistant-request not routed → the RPC's spoken { error }", async () => {
  const { handle, lines } = setup({
    responder: () =>
      Promise.resolve({
        data: { ok: false, error: "This number is not in service.", reason: "not_found" },
        error: null,
      }),
  });
  const res = await handle(post(await loadPayload("assistant-request.json")));
  assert.deepEqual(await res.json(), { error: "This number is not in service." });
  assert.equal(onlyLogLine(lines).level, "warn");
});

Deno.test("assistant-request RPC failure → fixed spoken { error }", async () => {
  const { handle } = setup({ responder: () => Promise.resolve({ data: null, error: { message: "x", code: "" } }) });
  const res = await handle(post(await loadPayload("assistant-request.json")));
  assert.deepEqual(await res.json(), { error: SPOKEN.en.routing_failure });
});

Deno.test("assistant-request that cannot reach the database: refused in the language of the line's earlier calls", async () => {
  let down = false;
  const { handle } = setup({
    responder: () =>
      Promise.resolve(
        down ? { data: null, error: { message: "x", code: "" } } : {
          data: { ok: true, assistant_id: "asst_plumbing", organization_id: "o", language: "es" },
          error: null,
        },
      ),
  });
  const payload = await loadPayload("assistant-request.json") as { message: Record<string, unknown> };
  const onLine = (callId: string, phoneNumberId: string) => ({
    message: {
      ...payload.message,
      call: { ...(payload.message.call as object), id: callId, phoneNumberId },
      phoneNumber: { ...(payload.message.phoneNumber as object), id: phoneNumberId, number: null },
    },
  });
  assert.deepEqual(await (await handle(post(onLine("c1", "line-es")))).json(), { assistantId: "asst_plumbing" });
  down = true;
  assert.deepEqual(await (await handle(post(onLine("c2", "line-es")))).json(), { error: SPOKEN.es.routing_failure });
  assert.deepEqual(await (await handle(post(onLine("c3", "line-new")))).json(), { error: SPOKEN.en.routing_failure });
});

Deno.test("assistant-request after a transient failure (connection broken) is asked again: the call is routed", async () => {
  const answers = [
    { data: null, error: { message: "TypeError: fetch failed", code: "" }, status: 0 },
    { data: { ok: true, assistant_id: "asst_hvac_company_assistant", organization_id: "d91e4aa4" }, error: null },
  ];
  const { handle, rpc } = setup({
    config: { assistantRequestTimeoutMs: 2000 }, // as deployed: 5 s (the tries need 0.6 s of it)
    responder: () => Promise.resolve(answers.shift()!),
  });
  const res = await handle(post(await loadPayload("assistant-request.json")));
  assert.deepEqual(await res.json(), { assistantId: "asst_hvac_company_assistant" });
  assert.equal(rpc.calls.length, 2);
  assert.deepEqual(rpc.calls[1], rpc.calls[0]);
});

Deno.test("status-update after a transient failure (the server restarting, 57P01) is recorded on the next try", async () => {
  const answers = [
    {
      data: null,
      error: { message: "terminating connection due to administrator command", code: "57P01" },
      status: 503,
    },
    { data: EVENT_RETURN, error: null },
  ];
  const { handle, rpc, lines } = setup({ responder: () => Promise.resolve(answers.shift()!) });
  const res = await handle(post(await loadPayload("status-update.in-progress.json")));
  assert.deepEqual(await res.json(), {});
  assert.equal(rpc.calls.length, 2);
  assert.equal(onlyLogLine(lines).level, "info");
});

Deno.test("status-update that met a held lock (55P03) is recorded on the next try: a repeated event changes nothing", async () => {
  const answers = [
    { data: null, error: { message: "canceling statement due to lock timeout", code: "55P03" }, status: 500 },
    { data: EVENT_RETURN, error: null },
  ];
  const { handle, rpc, lines } = setup({ responder: () => Promise.resolve(answers.shift()!) });
  const res = await handle(post(await loadPayload("status-update.in-progress.json")));
  assert.deepEqual(await res.json(), {});
  assert.equal(rpc.calls.length, 2);
  assert.deepEqual(rpc.calls[1], rpc.calls[0]);
  assert.equal(onlyLogLine(lines).level, "info");
});

Deno.test("assistant-request uses its own shorter timeout", async () => {
  const { handle } = setup({
    config: { rpcTimeoutMs: 5000, assistantRequestTimeoutMs: 40 },
    responder: () => delay(300).then(() => ({ data: { ok: true, assistant_id: "late" }, error: null })),
  });
  const started = performance.now();
  const res = await handle(post(await loadPayload("assistant-request.json")));
  assert.ok(performance.now() - started < 250);
  assert.deepEqual(await res.json(), { error: SPOKEN.en.routing_failure });
  await delay(300); // let the fake finish so the test leaks no timer
});

Deno.test("log: one line per request, no phone number in clear, no payload", async () => {
  const { handle, lines } = setup({
    responder: () =>
      Promise.resolve({
        data: null,
        error: { message: "duplicate key for +15557654321 / +15550100001", code: "23505" },
      }),
  });
  const payload = toolCallsMessage([
    { id: "t1", function: { name: "book_appointment", arguments: { customer_name: "Dana Ortiz", notes: "secret" } } },
  ]);
  const res = await handle(
    post(payload, { "x-vapi-secret": "test-webhook-secret-0123456789", "x-request-id": "req-42" }),
  );
  await res.body?.cancel();
  const line = onlyLogLine(lines);
  assert.equal(line.request_id, "req-42");
  assert.equal(line.message_type, "tool-calls");
  assert.equal(line.call_id, "call-uuid-1");
  assert.equal(line.phone_number, "+15•••01");
  assert.equal(typeof line.duration_ms, "number");
  assert.equal(line.level, "error");
  assert.match(String(line.error), /23505/);
  for (const secret of ["+15557654321", "+15550100001", "15557654321", "Dana Ortiz", "secret", "test-webhook-secret"]) {
    assert.ok(!lines[0].includes(secret), `log line leaks ${secret}`);
  }
});

Deno.test("log: unauthorized and malformed requests also write exactly one line", async () => {
  const { handle, lines } = setup();
  await (await handle(post({ message: { type: "tool-calls" } }, {}))).body?.cancel();
  await (await handle(post("{"))).body?.cancel();
  await (await handle(new Request("http://localhost/", { method: "GET" }))).body?.cancel();
  assert.equal(lines.length, 3);
  assert.deepEqual(lines.map((l) => JSON.parse(l).outcome), ["unauthorized", "bad_request", "health"]);
  assert.ok(lines.every((l) => JSON.parse(l).request_id));
});
