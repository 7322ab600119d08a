import assert from "node:assert/strict";
import {
  envelopeSchema,
  extractFunctionCall,
  extractTenantKeys,
  extractToolCalls,
  functionCallMessageSchema,
  parseArguments,
  toolCallsMessageSchema,
} from "../../supabase/functions/_shared/schemas.ts";
import { assistantRequestResponseSchema, functionCallResponseSchema, toolCallsResponseSchema } from "./_replies.ts";
import { listPayloads, loadPayload } from "./_helpers.ts";

const BOOKING_ARGS = {
  service: "cleaning",
  start_time: "2026-01-08T15:30:00-05:00",
  customer_name: "Dana Ortiz",
  customer_phone: "+15557654321",
  notes: "first visit",
};

/** Expected tenant keys per request fixture: assistant id first, the tenant's own line (never the caller). */
const REQUEST_FIXTURES: Record<string, { type: string; assistantId: string | null; phoneNumber: string | null }> = {
  "assistant-request.json": { type: "assistant-request", assistantId: null, phoneNumber: "+15551230000" },
  "end-of-call-report.json": {
    type: "end-of-call-report",
    assistantId: "a3d5e7f9-1b2c-4d6e-8f90-12ab34cd56ef",
    phoneNumber: "+15551230000",
  },
  "function-call.legacy.json": {
    type: "function-call",
    assistantId: "a3d5e7f9-1b2c-4d6e-8f90-12ab34cd56ef",
    phoneNumber: "+15551230000",
  },
  "status-update.in-progress.json": {
    type: "status-update",
    assistantId: "a3d5e7f9-1b2c-4d6e-8f90-12ab34cd56ef",
    phoneNumber: "+15551230000",
  },
  "tool-calls.booking.inbound-phone.json": {
    type: "tool-calls",
    assistantId: "a3d5e7f9-1b2c-4d6e-8f90-12ab34cd56ef",
    phoneNumber: "+15551230000",
  },
  "tool-calls.web-call.no-phone-number.json": { type: "tool-calls", assistantId: null, phoneNumber: null },
};

const RESPONSE_SCHEMAS = {
  "response.assistant-request.json": assistantRequestResponseSchema,
  "response.function-call.legacy.json": functionCallResponseSchema,
  "response.tool-calls.error.json": toolCallsResponseSchema,
  "response.tool-calls.success.json": toolCallsResponseSchema,
} as const;

Deno.test("fixtures: every file in vapi-payloads is covered by a request or response check", async () => {
  const names = await listPayloads();
  assert.ok(names.length >= 10, `expected the shared fixtures, found ${names.length}`);
  for (const name of names) {
    assert.ok(name in REQUEST_FIXTURES || name in RESPONSE_SCHEMAS, `fixture ${name} has no expectation`);
  }
});

for (const [name, expected] of Object.entries(REQUEST_FIXTURES)) {
  Deno.test(`fixtures: ${name} parses and yields its tenant keys`, async () => {
    const payload = await loadPayload(name);
    const envelope = envelopeSchema.parse(payload);
    assert.equal(envelope.message.type, expected.type);
    const keys = extractTenantKeys(envelope.message);
    assert.equal(keys.assistantId, expected.assistantId);
    assert.equal(keys.phoneNumber, expected.phoneNumber);
    assert.equal(keys.callId, (payload.message as { call: { id: string } }).call.id);
    assert.notEqual(keys.phoneNumber, "+15557654321", "the caller's customer.number is never a tenant key");
  });
}

for (const [name, schema] of Object.entries(RESPONSE_SCHEMAS)) {
  Deno.test(`fixtures: ${name} validates against the response schema`, async () => {
    const result = schema.safeParse(await loadPayload(name));
    assert.ok(result.success, JSON.stringify(!result.success && result.error.issues));
  });
}

Deno.test("fixtures: booking tool call reads object arguments; the duplicate toolCalls copy is not repeated", async () => {
  const { message } = await loadPayload("tool-calls.booking.inbound-phone.json");
  const calls = extractToolCalls(toolCallsMessageSchema.parse(message));
  assert.deepEqual(calls, [
    { id: "call_Qm3xT9aLk2VbR7uN0pYwZs4E", name: "book_appointment", args: { ok: true, value: BOOKING_ARGS } },
  ]);
});

Deno.test("fixtures: web call arguments given as a JSON string parse to an object", async () => {
  const { message } = await loadPayload("tool-calls.web-call.no-phone-number.json");
  const calls = extractToolCalls(toolCallsMessageSchema.parse(message));
  assert.deepEqual(calls, [
    {
      id: "call_Zr8wY1pQe5TnB3xLc7Vm0aKd",
      name: "check_availability",
      args: { ok: true, value: { date: "2026-01-09", service: "cleaning" } },
    },
  ]);
  assert.equal(extractTenantKeys(message).callId, "f2e1d0c9-b8a7-4654-8321-0fedcba98765");
});

Deno.test("fixtures: legacy function-call reads functionCall.name and parameters, id null", async () => {
  const { message } = await loadPayload("function-call.legacy.json");
  const call = extractFunctionCall(functionCallMessageSchema.parse(message));
  assert.deepEqual(call, { id: null, name: "book_appointment", args: { ok: true, value: BOOKING_ARGS } });
});

Deno.test("tenant keys: a Vonage line's bare E.164 digits get their +; other lines' numbers stay as sent", () => {
  const keys = (phoneNumber: Record<string, unknown>, customer = "15557770123") =>
    extractTenantKeys({ type: "tool-calls", phoneNumber, customer: { number: customer } });
  assert.deepEqual(
    [keys({ provider: "vonage", number: "15550100002" }).phoneNumber, keys({ provider: "vonage" }).callerPhone],
    ["+15550100002", "+15557770123"],
  );
  assert.equal(keys({ provider: "vonage", number: "+15550100002" }).phoneNumber, "+15550100002");
  assert.equal(keys({ provider: "vonage", number: "0555010000" }).phoneNumber, "0555010000", "no E.164 digits");
  assert.equal(keys({ provider: "twilio", number: "15550100002" }).phoneNumber, "15550100002");
  assert.equal(keys({ number: "5550100002" }, "5557770123").callerPhone, "5557770123");
  const onCall = extractTenantKeys({ call: { phoneNumber: { provider: "vonage", number: "15550100002" } } });
  assert.equal(onCall.phoneNumber, "+15550100002", "the call's own line object too");
});

Deno.test("envelope: message.type is required; unknown fields pass through", () => {
  assert.equal(envelopeSchema.safeParse({}).success, false);
  assert.equal(envelopeSchema.safeParse({ message: {} }).success, false);
  assert.equal(envelopeSchema.safeParse({ message: { type: "" } }).success, false);
  assert.equal(envelopeSchema.safeParse({ message: { type: 7 } }).success, false);
  assert.equal(envelopeSchema.safeParse([]).success, false);
  const parsed = envelopeSchema.parse({ message: { type: "speech-update", extra: 1 }, other: true });
  assert.deepEqual(parsed, { message: { type: "speech-update", extra: 1 }, other: true });
});

Deno.test("tenant keys: call.assistantId before assistant.id; phoneNumber before call.phoneNumber", () => {
  assert.deepEqual(
    extractTenantKeys({
      call: { id: "c", assistantId: "from-call", phoneNumber: { number: "+15550000002" } },
      assistant: { id: "from-assistant" },
      phoneNumber: { number: "+15550000001" },
      customer: { number: "+15557654321" },
    }),
    {
      assistantId: "from-call",
      phoneNumberId: null,
      phoneNumber: "+15550000001",
      callId: "c",
      callerPhone: "+15557654321",
    },
  );
  assert.deepEqual(
    extractTenantKeys({ call: { phoneNumber: { number: "+15550000002" } }, assistant: { id: "from-assistant" } }),
    {
      assistantId: "from-assistant",
      phoneNumberId: null,
      phoneNumber: "+15550000002",
      callId: null,
      callerPhone: null,
    },
  );
  // The caller's number is read, but only as the caller: it is never the line.
  assert.deepEqual(extractTenantKeys({ customer: { number: "+15557654321" } }), {
    assistantId: null,
    phoneNumberId: null,
    phoneNumber: null,
    callId: null,
    callerPhone: "+15557654321",
  });
  // Wrong types never throw; they read as absent.
  assert.deepEqual(extractTenantKeys({ call: "x", assistant: { id: 5 }, phoneNumber: null }), {
    assistantId: null,
    phoneNumberId: null,
    phoneNumber: null,
    callId: null,
    callerPhone: null,
  });
});

Deno.test("tool calls: every item shape of the protocol doc §3.1-3.2", () => {
  const calls = extractToolCalls(toolCallsMessageSchema.parse({
    type: "tool-calls",
    toolCallList: [
      { id: "a", function: { name: "book_appointment", arguments: { x: 1 } } },
      { id: "b", function: { name: "book_appointment", parameters: { x: 2 } } },
      { id: "c", name: "check_availability", arguments: '{"x":3}' },
      { id: "d", name: "check_availability", parameters: { x: 4 } },
      { id: "a", function: { name: "book_appointment", arguments: { x: 99 } } },
      { function: { name: "no_id" } },
      { id: "e", function: { name: "cancel_appointment" } },
      { id: "f", function: { name: "cancel_appointment", arguments: "{not json" } },
      { id: "g", function: { name: "cancel_appointment", arguments: "[1,2]" } },
    ],
  }));
  // Every item is kept (one results[] entry each): the duplicate "a" and the item without an id too.
  assert.deepEqual(calls.map((c) => [c.id, c.name, c.args]), [
    ["a", "book_appointment", { ok: true, value: { x: 1 } }],
    ["b", "book_appointment", { ok: true, value: { x: 2 } }],
    ["c", "check_availability", { ok: true, value: { x: 3 } }],
    ["d", "check_availability", { ok: true, value: { x: 4 } }],
    ["a", "book_appointment", { ok: true, value: { x: 99 } }],
    [null, "no_id", { ok: true, value: {} }],
    ["e", "cancel_appointment", { ok: true, value: {} }],
    ["f", "cancel_appointment", { ok: false }],
    ["g", "cancel_appointment", { ok: false }],
  ]);
});

Deno.test("tool calls: toolCalls then toolWithToolCallList[].toolCall are fallbacks", () => {
  const fromToolCalls = extractToolCalls(toolCallsMessageSchema.parse({
    type: "tool-calls",
    toolCallList: [],
    toolCalls: [{ id: "t1", function: { name: "book_appointment", arguments: {} } }],
  }));
  assert.deepEqual(fromToolCalls.map((c) => c.id), ["t1"]);
  const fromNested = extractToolCalls(toolCallsMessageSchema.parse({
    type: "tool-calls",
    toolWithToolCallList: [
      // The tool definition's `function.parameters` is a JSON schema, not arguments: only `toolCall` is read.
      {
        function: { name: "book_appointment", parameters: { type: "object" } },
        toolCall: { id: "n1", function: { name: "book_appointment", parameters: { a: 1 } } },
      },
      { function: { name: "orphan" } },
    ],
  }));
  assert.deepEqual(fromNested, [{ id: "n1", name: "book_appointment", args: { ok: true, value: { a: 1 } } }]);
});

Deno.test("legacy function-call: functionName fallback and string parameters", () => {
  const call = extractFunctionCall(functionCallMessageSchema.parse({
    type: "function-call",
    functionCall: { functionName: "check_availability", parameters: '{"date":"2026-01-09"}' },
  }));
  assert.deepEqual(call, { id: null, name: "check_availability", args: { ok: true, value: { date: "2026-01-09" } } });
});

Deno.test("parseArguments: null, empty string, object, JSON string, non-object JSON", () => {
  assert.deepEqual(parseArguments(undefined), { ok: true, value: {} });
  assert.deepEqual(parseArguments("  "), { ok: true, value: {} });
  assert.deepEqual(parseArguments({ a: 1 }), { ok: true, value: { a: 1 } });
  assert.deepEqual(parseArguments('{"a":1}'), { ok: true, value: { a: 1 } });
  assert.deepEqual(parseArguments('"text"'), { ok: false });
  assert.deepEqual(parseArguments(42), { ok: false });
  assert.deepEqual(parseArguments("null"), { ok: true, value: {} }, 'the string "null": JSON for no arguments');
  assert.deepEqual(parseArguments(" null "), { ok: true, value: {} });
  assert.deepEqual(parseArguments("[]"), { ok: false });
});

Deno.test("parseArguments: a number out of JSON's finite range is invalid, not silently null", () => {
  for (const text of ["1e400", "-1e400", "9e999"]) {
    assert.deepEqual(parseArguments(`{"duration_minutes":${text}}`), { ok: false }, text);
    assert.deepEqual(parseArguments(JSON.parse(`{"duration_minutes":${text}}`)), { ok: false }, `object ${text}`);
    assert.deepEqual(parseArguments(`{"a":{"b":[1,${text}]}}`), { ok: false }, `nested ${text}`);
  }
  assert.deepEqual(parseArguments('{"duration_minutes":9e307}'), { ok: true, value: { duration_minutes: 9e307 } });
});

Deno.test("response schemas reject multi-line strings and object results", () => {
  const entry = { name: "book_appointment", toolCallId: "x" };
  assert.equal(toolCallsResponseSchema.safeParse({ results: [{ ...entry, result: "a\nb" }] }).success, false);
  assert.equal(toolCallsResponseSchema.safeParse({ results: [{ ...entry, result: { a: 1 } }] }).success, false);
  assert.equal(toolCallsResponseSchema.safeParse({ results: [{ ...entry, result: "a", error: "b" }] }).success, false);
  assert.equal(functionCallResponseSchema.safeParse({ result: "ok" }).success, true);
  assert.equal(assistantRequestResponseSchema.safeParse({ error: "Sorry" }).success, true);
});

Deno.test("parseArguments: nesting deeper than 64 is invalid (it could not even be sent on); walked without recursion", () => {
  const nested = (depth: number) => {
    let value: unknown = 1;
    for (let i = 0; i < depth; i++) value = i % 2 ? { a: value } : [value];
    return value;
  };
  assert.equal(parseArguments({ notes: nested(63) }).ok, true);
  assert.equal(parseArguments({ notes: nested(64) }).ok, false);
  assert.equal(parseArguments({ notes: nested(100_000) }).ok, false);
  assert.equal(parseArguments(JSON.stringify({ notes: nested(5_000) })).ok, false);
  const long = new Array(1_000_000).fill(0);
  assert.equal(parseArguments({ long }).ok, true);
  long[999_999] = Infinity;
  assert.equal(parseArguments({ long }).ok, false);
});
