// book_appointment end to end, resolving the tenant by each contract method; the caller's number never resolves one.
import assert from "node:assert/strict";
import type { Vapi } from "@vapi-ai/server-sdk";
import {
  bookingArgs,
  captureLogLines,
  counts,
  fileStack,
  freshCallerNumber,
  futureWeekday,
  HVAC,
  localIso,
  ORG_NOT_FOUND,
  PLUMBING,
  post,
  rowsForCall,
  type Stack,
  statusUpdateMessage,
  type Tenant,
  type TenantKeys,
  toolCallsMessage,
  wallClockToUtc,
} from "./_stack.ts";

const { test, close } = fileStack();

/** Books `day`T10:00 (wall clock, no offset) with the given keys and checks the reply, the row and the instant. */
async function bookAndCheck(s: Stack, keys: TenantKeys, tenant: Tenant, day: string, resolvedBy: string) {
  const toolCallId = `tc-${crypto.randomUUID()}`;
  const reply = await post(
    s.webhookUrl,
    toolCallsMessage(keys, [{ id: toolCallId, name: "book_appointment", args: bookingArgs(`${day}T10:00`) }]),
  );
  assert.equal(reply.status, 200);
  assert.equal(reply.body.results.length, 1);
  const entry = reply.body.results[0];
  assert.equal(entry.name, "book_appointment");
  assert.equal(entry.toolCallId, toolCallId);
  assert.equal(entry.error, undefined, `unexpected error: ${entry.error}`);
  assert.doesNotMatch(entry.result, /[\r\n]/);
  const result = JSON.parse(entry.result);
  assert.equal(result.status, "booked");
  assert.equal(result.organization_id, tenant.id);
  assert.equal(result.start_time, localIso(day, "10:00", tenant.timezone));
  assert.match(result.start_time, /[+-]\d{2}:\d{2}$/);

  const { appointments, ledger } = await rowsForCall(s.sql, keys.callId!);
  assert.equal(appointments.length, 1);
  const row = appointments[0];
  assert.equal(row.id, result.appointment_id);
  assert.equal(row.organization_id, tenant.id);
  assert.equal(row.status, "scheduled");
  assert.equal(row.customer_name, "Dana Ortiz");
  assert.equal(row.service, "furnace check");
  assert.equal(row.start_time.toISOString(), wallClockToUtc(day, "10:00", tenant.timezone).toISOString());
  assert.equal(row.end_time.getTime() - row.start_time.getTime(), 60 * 60_000, "default duration is 60 minutes");
  assert.equal(ledger.length, 1);
  assert.equal(ledger[0].organization_id, tenant.id);
  const [log] = await s.sql`select resolved_by from public.tool_call_executions e
    join public.call_logs l using (vapi_call_id) where e.vapi_call_id = ${keys.callId!}`;
  assert.equal(log?.resolved_by, resolvedBy);
  return { result, row };
}

test("by call.assistantId: HVAC books in New York time (winter: 10:00 wall clock = 15:00Z)", async (s) => {
  const day = futureWeekday("winter");
  const callId = s.newCallId();
  const { row } = await bookAndCheck(s, { callId, callAssistantId: HVAC.assistant }, HVAC, day, "assistant_id");
  assert.equal(row.start_time.toISOString(), `${day}T15:00:00.000Z`);
});

test("by call.assistantId in summer: 10:00 New York wall clock = 14:00Z", async (s) => {
  const day = futureWeekday("summer");
  const callId = s.newCallId();
  const { row, result } = await bookAndCheck(s, { callId, callAssistantId: HVAC.assistant }, HVAC, day, "assistant_id");
  assert.equal(row.start_time.toISOString(), `${day}T14:00:00.000Z`);
  assert.equal(result.start_time, `${day}T10:00:00-04:00`);
});

test("by assistant.id only (no call.assistantId, no line): Plumbing, Los Angeles time", async (s) => {
  const day = futureWeekday();
  const callId = s.newCallId();
  await bookAndCheck(s, { callId, assistantId: PLUMBING.assistant }, PLUMBING, day, "assistant_id");
});

test("by the tenant's own line only (phoneNumber.number, E.164)", async (s) => {
  const day = futureWeekday();
  const callId = s.newCallId();
  await bookAndCheck(s, { callId, line: PLUMBING.line }, PLUMBING, day, "phone_number");
});

test("by the tenant's own line written as +1 (555) 010-0002", async (s) => {
  const day = futureWeekday();
  const callId = s.newCallId();
  await bookAndCheck(s, { callId, line: "+1 (555) 010-0002" }, PLUMBING, day, "phone_number");
});

test("by the tenant's own line given only as call.phoneNumber.number", async (s) => {
  const day = futureWeekday();
  const callId = s.newCallId();
  await bookAndCheck(s, { callId, callLine: HVAC.line }, HVAC, day, "phone_number");
});

test("a Vonage line written the Vonage way (E.164 digits without +) resolves its tenant; the caller's number too", async (s) => {
  const callId = s.newCallId();
  const body = toolCallsMessage({ callId }, [
    { id: `tc-${crypto.randomUUID()}`, name: "book_appointment", args: bookingArgs(`${futureWeekday()}T12:00`) },
  ]) as { message: Record<string, unknown> };
  const line: Vapi.ServerMessageToolCallsPhoneNumber = {
    provider: "vonage",
    number: PLUMBING.line.slice(1), // "the digits of the phone number", as Vonage writes them
    credentialId: "cred-vonage",
  };
  body.message.phoneNumber = line;
  body.message.customer = { number: "15557770123" };
  const reply = await post(s.webhookUrl, body);
  assert.equal(reply.status, 200);
  const result = JSON.parse(reply.body.results[0].result);
  assert.equal(result.organization_id, PLUMBING.id);
  const [row] = await s.sql`select customer_phone from public.appointments where vapi_call_id = ${callId}`;
  assert.equal(row.customer_phone, "+15557770123", "the caller's Vonage-style number is the booking's phone");
});

test("by call id only, after a status-update of the same call carried the assistant id (issue 5)", async (s) => {
  const day = futureWeekday();
  const callId = s.newCallId();
  const status = await post(
    s.webhookUrl,
    statusUpdateMessage({ callId, callAssistantId: HVAC.assistant, assistantId: HVAC.assistant }, "in-progress"),
  );
  assert.equal(status.status, 200);
  assert.deepEqual(status.body, {});
  const [log] = await s.sql`select organization_id, resolved_by from public.call_logs where vapi_call_id = ${callId}`;
  assert.equal(log.organization_id, HVAC.id);
  // The tool call itself carries nothing but call.id (a web call without assistant or line). The call log keeps
  // how the call was first resolved; this request's own resolution is on its structured log line.
  const { lines } = await captureLogLines(() => bookAndCheck(s, { callId }, HVAC, day, "assistant_id"));
  const line = lines.find((l) => l.message_type === "tool-calls" && l.call_id === callId);
  assert.equal(line?.resolved_by, "call_id");
  assert.equal(line?.organization_id, HVAC.id);
});

test("a chat session (message.chat, no call): chat.id keys the ledger, so a redelivery replays and books once", async (s) => {
  const chatId = s.newCallId();
  const toolCallId = `tc-${crypto.randomUUID()}`;
  const body = toolCallsMessage({}, [
    { id: toolCallId, name: "book_appointment", args: bookingArgs(`${futureWeekday()}T11:00`) },
  ]) as { message: Record<string, unknown> };
  delete body.message.call;
  body.message.chat = {
    id: chatId,
    orgId: "6f1c2a9e-3b7d-4c11-9a52-0d8e4f7b2c10",
    createdAt: "2026-01-06T14:48:50.000Z",
    updatedAt: "2026-01-06T14:48:50.000Z",
    assistantId: HVAC.assistant,
  };
  const first = await post(s.webhookUrl, body);
  const again = await post(s.webhookUrl, body);
  assert.equal(first.status, 200);
  const result = JSON.parse(first.body.results[0].result);
  assert.equal(result.status, "booked");
  assert.equal(result.organization_id, HVAC.id);
  assert.equal(JSON.parse(again.body.results[0].result).appointment_id, result.appointment_id);
  const { appointments, ledger, callLogs } = await rowsForCall(s.sql, chatId);
  assert.equal(appointments.length, 1, "the redelivery booked nothing");
  assert.equal(ledger.length, 1);
  assert.equal(callLogs[0]?.organization_id, HVAC.id);
});

test("no call and no chat (optional in the SDK): a redelivery from the caller's own number is the same booking, never 'taken'", async (s) => {
  const caller = freshCallerNumber();
  const body = toolCallsMessage({ line: HVAC.line, customerNumber: caller }, [
    { id: `tc-${crypto.randomUUID()}`, name: "book_appointment", args: bookingArgs(`${futureWeekday()}T13:00`) },
  ]) as { message: Record<string, unknown> };
  delete body.message.call;
  const ids: string[] = [];
  try {
    const first = JSON.parse((await post(s.webhookUrl, body)).body.results[0].result);
    ids.push(first.appointment_id);
    assert.equal(first.status, "booked");
    const again = await post(s.webhookUrl, body);
    assert.equal(again.body.results[0].error, undefined, `the redelivery was refused: ${again.body.results[0].error}`);
    assert.equal(JSON.parse(again.body.results[0].result).appointment_id, first.appointment_id);
    // Another caller asking for the same thing is never told someone else's booking is theirs.
    (body.message.customer as { number: string }).number = `+1555${
      String(Number(caller.slice(-7)) + 1).padStart(7, "0")
    }`;
    const other = (await post(s.webhookUrl, body)).body.results[0];
    if (other.result) ids.push(JSON.parse(other.result).appointment_id);
    assert.notEqual(other.result && JSON.parse(other.result).appointment_id, first.appointment_id);
    const [{ n }] = await s.sql`select count(*)::int as n from public.appointments where id = any(${ids}::uuid[])
      and customer_phone = ${caller}`;
    assert.equal(n, 1, "one booking for the caller");
  } finally {
    await s.sql`delete from public.appointments where id = any(${ids}::uuid[])`;
  }
});

test("a chat session's turns (a new chat.id each, one chat.sessionId) are one conversation: a retry is the same booking", async (s) => {
  const sessionId = s.newCallId();
  const args = bookingArgs(`${futureWeekday()}T15:00`);
  const turn = async (n: number) => {
    const body = toolCallsMessage({}, [{ id: `tc-${crypto.randomUUID()}`, name: "book_appointment", args }]) as {
      message: Record<string, unknown>;
    };
    delete body.message.call;
    body.message.chat = {
      id: `chat-${n}-${crypto.randomUUID()}`,
      orgId: "6f1c2a9e-3b7d-4c11-9a52-0d8e4f7b2c10",
      createdAt: "2026-01-06T14:48:50.000Z",
      updatedAt: "2026-01-06T14:48:50.000Z",
      assistantId: HVAC.assistant,
      sessionId,
    } satisfies Vapi.Chat;
    const reply = await post(s.webhookUrl, body);
    assert.equal(reply.status, 200);
    return JSON.parse(reply.body.results[0].result ?? "null");
  };
  const first = await turn(1);
  const second = await turn(2);
  assert.equal(first?.status, "booked");
  assert.equal(second?.appointment_id, first.appointment_id, "the second turn is confirmed as the same appointment");
  const { appointments, callLogs } = await rowsForCall(s.sql, sessionId);
  assert.equal(appointments.length, 1);
  assert.equal(callLogs.length, 1, "one call log for the whole session");
});

test("call id only WITHOUT an earlier event of that call → organization not found, nothing written", async (s) => {
  const callId = s.newCallId();
  const before = await counts(s.sql);
  const reply = await post(
    s.webhookUrl,
    toolCallsMessage({ callId }, [{ name: "book_appointment", args: bookingArgs(`${futureWeekday()}T10:00`) }]),
  );
  assert.equal(reply.status, 200);
  assert.equal(reply.body.results[0].error, ORG_NOT_FOUND);
  assert.deepEqual(await counts(s.sql), before);
});

test("the caller's number (customer.number = a tenant line) never resolves a tenant", async (s) => {
  const callId = s.newCallId();
  const before = await counts(s.sql);
  const reply = await post(
    s.webhookUrl,
    toolCallsMessage({ callId, callAssistantId: "asst_nobody_has_this", customerNumber: HVAC.line }, [
      { name: "book_appointment", args: bookingArgs(`${futureWeekday()}T10:00`, { customer_phone: HVAC.line }) },
    ]),
  );
  assert.equal(reply.status, 200);
  assert.equal(reply.body.results.length, 1);
  assert.equal(reply.body.results[0].error, ORG_NOT_FOUND);
  assert.equal(reply.body.results[0].result, undefined);
  assert.deepEqual(await counts(s.sql), before);
});

test("unknown tenant → per-call error exactly 'Organization not found for this assistant', 200, nothing written", async (s) => {
  const callId = s.newCallId();
  const before = await counts(s.sql);
  const day = futureWeekday();
  const reply = await post(
    s.webhookUrl,
    toolCallsMessage({ callId, callAssistantId: "asst_unknown", assistantId: "asst_unknown", line: "+15559990000" }, [
      { id: "tc-a", name: "book_appointment", args: bookingArgs(`${day}T10:00`) },
      { id: "tc-b", name: "check_availability", args: { date: day } },
      { id: "tc-c", name: "cancel_appointment", args: { appointment_id: crypto.randomUUID() } },
      { id: "tc-d", name: "reschedule_appointment", args: { appointment_id: crypto.randomUUID() } },
    ]),
  );
  assert.equal(reply.status, 200);
  assert.deepEqual(reply.body, {
    results: ["book_appointment", "check_availability", "cancel_appointment", "reschedule_appointment"].map((
      name,
      i,
    ) => ({ name, toolCallId: `tc-${"abcd"[i]}`, error: ORG_NOT_FOUND })),
  });
  assert.deepEqual(await counts(s.sql), before);
});

test("an inactive configuration never matches", async (s) => {
  // A throw-away tenant whose only configuration is inactive.
  const orgId = crypto.randomUUID();
  const assistant = `asst_inactive_${crypto.randomUUID()}`;
  await s.sql`insert into public.organizations (id, name) values (${orgId}, 'E2E inactive org')`;
  try {
    await s.sql`insert into public.customer_configurations (organization_id, vapi_assistant_id, is_active)
                values (${orgId}, ${assistant}, false)`;
    const callId = s.newCallId();
    const before = await counts(s.sql);
    const reply = await post(
      s.webhookUrl,
      toolCallsMessage({ callId, callAssistantId: assistant }, [
        { name: "book_appointment", args: bookingArgs(`${futureWeekday()}T10:00`) },
      ]),
    );
    assert.equal(reply.body.results[0].error, ORG_NOT_FOUND);
    assert.deepEqual(await counts(s.sql), before);
  } finally {
    await s.sql`delete from public.organizations where id = ${orgId}`;
  }
});

close();
