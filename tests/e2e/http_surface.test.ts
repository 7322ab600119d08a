// The webhook's HTTP surface through the real gateway: health, authentication, size cap and malformed bodies.
// Every refused request must leave the database exactly as it was.
import assert from "node:assert/strict";
import {
  bookingArgs,
  counts,
  fileStack,
  futureWeekday,
  HVAC,
  post,
  rowsForCall,
  SECRET,
  toolCallsMessage,
} from "./_stack.ts";

const { test, close } = fileStack();

test("GET health answers the contract's exact JSON", async (s) => {
  const res = await fetch(s.webhookUrl);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /application\/json/);
  assert.deepEqual(await res.json(), {
    success: true,
    message: "Vapi webhook endpoint is active",
    multiTenant: true,
    identificationMethods: [
      "assistant_id (from customer_configurations.vapi_assistant_id)",
      "phone_number (from customer_configurations.vapi_phone_number)",
      "call_id (from call_logs.vapi_call_id)",
    ],
  });
});

test("401 for a missing or wrong secret, and nothing is written", async (s) => {
  const callId = s.newCallId();
  const body = toolCallsMessage({ callId, callAssistantId: HVAC.assistant }, [
    { name: "book_appointment", args: bookingArgs(`${futureWeekday()}T10:00`) },
  ]);
  const before = await counts(s.sql);
  const attempts: HeadersInit[] = [
    {},
    { "x-vapi-secret": "wrong" },
    { "x-vapi-secret": `${SECRET}x` },
    { "x-vapi-secret": "" },
    { authorization: "Bearer wrong" },
    { authorization: SECRET }, // no "Bearer " scheme
    { authorization: `Basic ${btoa(`vapi:${SECRET}`)}` },
  ];
  for (const headers of attempts) {
    const reply = await post(s.webhookUrl, body, headers);
    assert.equal(reply.status, 401, `headers ${JSON.stringify(headers)}`);
    assert.equal(typeof reply.body.error, "string");
  }
  assert.deepEqual(await counts(s.sql), before);
  const rows = await rowsForCall(s.sql, callId);
  assert.equal(rows.appointments.length + rows.callLogs.length + rows.ledger.length, 0);
});

test("400 for broken JSON and for a missing message.type, nothing written", async (s) => {
  const before = await counts(s.sql);
  const bodies = [
    "{ not json",
    "",
    "null",
    JSON.stringify({}),
    JSON.stringify({ message: {} }),
    JSON.stringify({ message: { type: "" } }),
    JSON.stringify({ message: { type: 42, call: { id: s.newCallId(), assistantId: HVAC.assistant } } }),
    JSON.stringify({
      toolCallList: [{ id: "x", function: { name: "book_appointment", arguments: {} } }],
      call: { id: s.newCallId(), assistantId: HVAC.assistant },
    }),
  ];
  for (const body of bodies) {
    const reply = await post(s.webhookUrl, body);
    assert.equal(reply.status, 400, `body ${body}`);
    assert.equal(typeof reply.body.error, "string");
  }
  assert.deepEqual(await counts(s.sql), before);
});

test("413 for a body over 16 MiB (declared or streamed) with the right secret, nothing written", async (s) => {
  const callId = s.newCallId();
  // One booking whose notes alone exceed the cap (built once: the three copies Vapi sends would triple it).
  const big = JSON.stringify({
    message: {
      type: "tool-calls",
      call: { id: callId, assistantId: HVAC.assistant },
      toolCallList: [{
        id: "call_big",
        type: "function",
        function: {
          name: "book_appointment",
          arguments: bookingArgs(`${futureWeekday()}T10:00`, { notes: "x".repeat(16 * 1024 * 1024) }),
        },
      }],
    },
  });
  const before = await counts(s.sql);
  const declared = await post(s.webhookUrl, big);
  assert.equal(declared.status, 413);

  // Chunked transfer: no Content-Length, so the cap must be enforced while reading.
  const bytes = new TextEncoder().encode(big);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.subarray(i, i + 64 * 1024));
      controller.close();
    },
  });
  const streamed = await fetch(s.webhookUrl, {
    method: "POST",
    headers: { "x-vapi-secret": SECRET, "content-type": "application/json" },
    body: stream,
  });
  await streamed.body?.cancel();
  assert.equal(streamed.status, 413);

  assert.deepEqual(await counts(s.sql), before);
  assert.equal((await rowsForCall(s.sql, callId)).appointments.length, 0);
});

test("Authorization: Bearer <secret> is accepted and books", async (s) => {
  const callId = s.newCallId();
  const day = futureWeekday();
  const reply = await post(
    s.webhookUrl,
    toolCallsMessage({ callId, callAssistantId: HVAC.assistant }, [
      { id: "tc-bearer", name: "book_appointment", args: bookingArgs(`${day}T09:00`) },
    ]),
    { authorization: `Bearer ${SECRET}` },
  );
  assert.equal(reply.status, 200);
  assert.equal(reply.body.results.length, 1);
  assert.equal(reply.body.results[0].toolCallId, "tc-bearer");
  assert.equal(JSON.parse(reply.body.results[0].result).status, "booked");
  const rows = await rowsForCall(s.sql, callId);
  assert.equal(rows.appointments.length, 1);
  assert.equal(rows.appointments[0].organization_id, HVAC.id);
});

test("other message types are acknowledged with 200 {} and write nothing", async (s) => {
  const before = await counts(s.sql);
  for (const type of ["speech-update", "conversation-update", "hang", "transcript", "toString"]) {
    const reply = await post(s.webhookUrl, {
      message: { type, call: { id: s.newCallId(), assistantId: HVAC.assistant } },
    });
    assert.equal(reply.status, 200, type);
    assert.deepEqual(reply.body, {}, type);
  }
  assert.deepEqual(await counts(s.sql), before);
});

close();
