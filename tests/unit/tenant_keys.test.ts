// Every place Vapi puts a tenant key, each alone, from SDK-typed messages of every type the function handles: the
// key reaches the RPC under its contract argument, and the caller's customer.number never becomes a tenant key.
import assert from "node:assert/strict";
import { extractTenantKeys, type TenantKeys } from "../../supabase/functions/_shared/schemas.ts";
import {
  assistantRequest,
  CALLER,
  endOfCallReport,
  languageChangeDetected,
  type MessageContext,
  statusUpdate,
  tenantKeyVariants,
  toolCall,
  toolCalls,
  transferDestinationRequest,
} from "../fixtures/vapi_messages.ts";
import { okReturn, post, setup } from "./_helpers.ts";

const T = { assistant: "asst_keys", line: "+15557000001", lineId: "pn_keys" };
const CALL = "call-keys-1";
const NONE: TenantKeys = {
  assistantId: null,
  phoneNumberId: null,
  phoneNumber: null,
  callId: CALL,
  callerPhone: CALLER,
};

const EXPECTED: Record<string, Partial<TenantKeys>> = {
  "call.assistantId": { assistantId: T.assistant },
  "assistant.id": { assistantId: T.assistant },
  "phoneNumber.assistantId": { assistantId: T.assistant },
  "chat.assistantId": { assistantId: T.assistant },
  "call.phoneNumberId": { phoneNumberId: T.lineId },
  "phoneNumber.id": { phoneNumberId: T.lineId },
  "phoneNumber.number": { phoneNumber: T.line },
  "phoneNumber.twilioPhoneNumber": { phoneNumber: T.line },
  "call.phoneNumber.twilioPhoneNumber": { phoneNumber: T.line },
};

Deno.test("tenant keys: every variant of the fixtures has an expectation", () => {
  assert.deepEqual(Object.keys(tenantKeyVariants(T, CALL)).sort(), Object.keys(EXPECTED).sort());
});

for (const [name, ctx] of Object.entries(tenantKeyVariants(T, CALL))) {
  Deno.test(`tenant keys: ${name} alone`, () => {
    assert.deepEqual(extractTenantKeys(ctx), { ...NONE, ...EXPECTED[name] });
  });
}

Deno.test("tenant keys: assistant id beats the line; the line id and number are both passed; caller never", () => {
  const ctx: MessageContext = {
    customer: { number: CALLER },
    call: { ...tenantKeyVariants(T, CALL)["call.phoneNumberId"].call!, assistantId: "asst_first" },
    phoneNumber: { provider: "twilio", number: T.line, twilioAccountSid: "AC0", assistantId: "asst_line", id: "pn_2" },
  };
  assert.deepEqual(extractTenantKeys(ctx), {
    assistantId: "asst_first",
    phoneNumberId: T.lineId,
    phoneNumber: T.line,
    callId: CALL,
    callerPhone: CALLER,
  });
});

/** Each message type with a given context, and the RPC argument names it must use. */
const MESSAGES: [string, (ctx: MessageContext) => unknown, string][] = [
  [
    "tool-calls",
    (c) => toolCalls(c, [toolCall("tc1", "check_availability", { date: "2026-01-09" })]),
    "resolve_org_and_check_availability",
  ],
  ["status-update", (c) => statusUpdate(c, "in-progress"), "record_call_event"],
  ["end-of-call-report", (c) => endOfCallReport(c), "record_call_event"],
  ["language-change-detected", (c) => languageChangeDetected(c, "es"), "record_call_event"],
  ["transfer-destination-request", (c) => transferDestinationRequest(c), "transfer_destination"],
];

for (const [type, build, fn] of MESSAGES) {
  Deno.test(`tenant keys: ${type} passes every key variant to ${fn} under the contract's names`, async () => {
    for (const [name, ctx] of Object.entries(tenantKeyVariants(T, CALL))) {
      const { handle, rpc } = setup({ responder: () => Promise.resolve({ data: okReturn("ok"), error: null }) });
      await handle(post({ message: build(ctx) }));
      assert.equal(rpc.calls.length, 1, name);
      assert.equal(rpc.calls[0].fn, fn);
      const want = { ...NONE, ...EXPECTED[name] };
      const args = rpc.calls[0].args;
      assert.equal(args.p_assistant_id, want.assistantId, name);
      assert.equal(args.p_phone_number, want.phoneNumber, name);
      assert.equal(args.p_phone_number_id, want.phoneNumberId, name);
      assert.equal(args.p_vapi_call_id, CALL, name);
      // The caller's number goes to tool RPCs only, as p_caller_phone, and never as a tenant key.
      assert.equal(args.p_caller_phone, type === "tool-calls" ? CALLER : undefined, name);
      assert.ok(!Object.entries(args).some(([k, v]) => k !== "p_caller_phone" && v === CALLER), name);
    }
  });
}

Deno.test("tenant keys: assistant-request routes by the line id or number", async () => {
  for (const name of ["call.phoneNumberId", "phoneNumber.id", "phoneNumber.number", "phoneNumber.twilioPhoneNumber"]) {
    const { handle, rpc } = setup({
      responder: () => Promise.resolve({ data: { ok: true, assistant_id: "asst_x", language: "en" }, error: null }),
    });
    await handle(post({ message: assistantRequest(tenantKeyVariants(T, CALL)[name]) }));
    const want = { ...NONE, ...EXPECTED[name] };
    assert.deepEqual(rpc.calls[0].args, {
      p_phone_number: want.phoneNumber,
      p_vapi_call_id: CALL,
      p_phone_number_id: want.phoneNumberId,
    }, name);
  }
});

Deno.test("tenant keys: a chat session's id is its call id; a call's own id wins when both are sent", () => {
  const chat = tenantKeyVariants(T, CALL)["chat.assistantId"].chat!;
  assert.deepEqual(extractTenantKeys({ customer: { number: CALLER }, chat }), {
    ...NONE,
    assistantId: T.assistant,
    callId: chat.id,
  });
  assert.equal(extractTenantKeys({ call: { id: CALL }, chat }).callId, CALL);
});

Deno.test("tenant keys: a chat's session id keys the conversation (each turn is a new chat); a call's id still wins", () => {
  const chat = { ...tenantKeyVariants(T, CALL)["chat.assistantId"].chat!, sessionId: "sess-1" };
  assert.equal(extractTenantKeys({ chat }).callId, "sess-1");
  assert.equal(extractTenantKeys({ chat: { ...chat, id: "chat-turn-2" } }).callId, "sess-1");
  assert.equal(extractTenantKeys({ call: { id: CALL }, chat }).callId, CALL);
});

Deno.test("tenant keys: a key longer than 512 characters is not a key (no Vapi id is; it would not fit an index)", () => {
  const long = "c".repeat(513);
  const keys = extractTenantKeys({
    call: { id: long, assistantId: long, phoneNumberId: long },
    phoneNumber: { number: long },
  });
  assert.deepEqual(keys, {
    assistantId: null,
    phoneNumberId: null,
    phoneNumber: null,
    callId: null,
    callIdTooLong: true, // its tool calls are refused alike at every delivery (tool_calls.test.ts)
    callerPhone: null,
  });
  assert.equal(extractTenantKeys({ call: { id: "c".repeat(512) } }).callId, "c".repeat(512));
  assert.equal(extractTenantKeys({ call: { id: "c".repeat(512) } }).callIdTooLong, undefined);
  assert.equal(extractTenantKeys({ chat: { sessionId: long } }).callIdTooLong, true);
});

Deno.test("tenant keys: a call or chat id sent as a number is its text, as a tool call's id is (redeliveries replay)", () => {
  // helper-113 #1: `call.id: 777` had read as no call id, so a redelivery booked again or heard "taken".
  assert.equal(extractTenantKeys({ call: { id: 777 } }).callId, "777");
  assert.equal(extractTenantKeys({ chat: { sessionId: 42 } }).callId, "42");
  assert.equal(extractTenantKeys({ chat: { id: 7.5 } }).callId, "7.5");
  for (const odd of [Number.NaN, true, {}, [], "  "]) {
    assert.equal(extractTenantKeys({ call: { id: odd } }).callId, null, String(odd));
  }
});
