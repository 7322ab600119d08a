// assistant-request routing and the call lifecycle (status-update, end-of-call-report) end to end.
import assert from "node:assert/strict";
import {
  assistantRequestMessage,
  bookingArgs,
  captureLogLines,
  counts,
  endOfCallReportMessage,
  fileStack,
  futureWeekday,
  HVAC,
  PLUMBING,
  post,
  type Stack,
  statusUpdateMessage,
  toolCallsMessage,
} from "./_stack.ts";

const { test, close } = fileStack();

async function callLog(s: Stack, callId: string) {
  const rows = await s.sql`select * from public.call_logs where vapi_call_id = ${callId}`;
  assert.ok(rows.length <= 1);
  return rows[0];
}

async function send(s: Stack, body: unknown) {
  const reply = await post(s.webhookUrl, body);
  assert.equal(reply.status, 200);
  assert.deepEqual(reply.body, {});
}

test("assistant-request on +15550100001 → { assistantId } of HVAC and a call log for that call", async (s) => {
  const callId = s.newCallId();
  const reply = await post(s.webhookUrl, assistantRequestMessage({ callId, line: HVAC.line }));
  assert.equal(reply.status, 200);
  assert.deepEqual(reply.body, { assistantId: HVAC.assistant });
  const log = await callLog(s, callId);
  assert.equal(log.organization_id, HVAC.id);
  assert.equal(log.resolved_by, "phone_number");

  // Later events of that call carry only call.id and still resolve (to HVAC).
  const booked = await post(
    s.webhookUrl,
    toolCallsMessage({ callId }, [{ name: "book_appointment", args: bookingArgs(`${futureWeekday()}T16:00`) }]),
  );
  assert.equal(JSON.parse(booked.body.results[0].result).organization_id, HVAC.id);
});

test("assistant-request with a formatted line (+1 555-010-0002) routes to Plumbing", async (s) => {
  const callId = s.newCallId();
  const reply = await post(s.webhookUrl, assistantRequestMessage({ callId, line: "+1 555-010-0002" }));
  assert.deepEqual(reply.body, { assistantId: PLUMBING.assistant });
  assert.equal((await callLog(s, callId)).organization_id, PLUMBING.id);
});

test("assistant-request on an unknown number (or the caller's number only) → { error }, nothing written", async (s) => {
  const before = await counts(s.sql);
  for (const keys of [{ line: "+15559990001" }, { customerNumber: HVAC.line }]) {
    const callId = s.newCallId();
    const reply = await post(s.webhookUrl, assistantRequestMessage({ callId, ...keys }));
    assert.equal(reply.status, 200);
    assert.deepEqual(Object.keys(reply.body), ["error"]);
    assert.equal(typeof reply.body.error, "string");
    assert.ok(reply.body.error.length > 0);
    assert.equal(await callLog(s, callId), undefined);
  }
  assert.deepEqual(await counts(s.sql), before);
});

test("assistant-request log lines name what routing found: the line, a line without an assistant, another's call", async (s) => {
  const sent = async (body: unknown) => {
    const { value, lines } = await captureLogLines(() => post(s.webhookUrl, body));
    assert.equal(value.status, 200);
    const [line] = lines.filter((l) => l.message_type === "assistant-request");
    return { body: value.body, line };
  };
  const callId = s.newCallId();
  const routed = await sent(assistantRequestMessage({ callId, line: HVAC.line }));
  assert.deepEqual(routed.body, { assistantId: HVAC.assistant });
  assert.deepEqual([routed.line.level, routed.line.outcome, routed.line.organization_id, routed.line.resolved_by], [
    "info",
    "ok",
    HVAC.id,
    "phone_number",
  ]);

  // Plumbing's line asked about HVAC's call: routed by its line, HVAC's row left alone, and a warning says so.
  const crossed = await sent(assistantRequestMessage({ callId, line: PLUMBING.line }));
  assert.deepEqual(crossed.body, { assistantId: PLUMBING.assistant });
  assert.deepEqual([crossed.line.level, crossed.line.outcome, crossed.line.reasons], [
    "warn",
    "ok",
    ["call_of_another_organization"],
  ]);
  assert.equal((await callLog(s, callId)).organization_id, HVAC.id);

  const orgId = crypto.randomUUID();
  await s.sql`insert into public.organizations (id, name, timezone) values (${orgId}, 'Not Yet Set Up', 'UTC')`;
  await s
    .sql`insert into public.customer_configurations (organization_id, vapi_phone_number) values (${orgId}, '+15557300077')`;
  try {
    const unset = await sent(assistantRequestMessage({ callId: s.newCallId(), line: "+15557300077" }));
    assert.deepEqual(Object.keys(unset.body), ["error"]);
    assert.deepEqual([unset.line.level, unset.line.outcome, unset.line.organization_id], [
      "warn",
      "assistant_not_set",
      orgId,
    ]);
  } finally {
    await s.sql`delete from public.organizations where id = ${orgId}`;
  }
});

test("status-update in-progress creates the call log with its status and tenant", async (s) => {
  const callId = s.newCallId();
  await send(s, statusUpdateMessage({ callId, callAssistantId: HVAC.assistant }, "in-progress"));
  const log = await callLog(s, callId);
  assert.equal(log.organization_id, HVAC.id);
  assert.equal(log.status, "in-progress");
  assert.equal(log.resolved_by, "assistant_id");
  assert.equal(log.vapi_assistant_id, HVAC.assistant);
});

test("end-of-call-report stores summary, transcript, recording, duration, cost, reason; a replay changes nothing", async (s) => {
  const callId = s.newCallId();
  const keys = { callId, callAssistantId: PLUMBING.assistant, line: PLUMBING.line };
  const t0 = Date.now() - 60_000;
  await send(s, statusUpdateMessage(keys, "in-progress", t0));
  const report = endOfCallReportMessage(keys, t0 + 30_000);
  await send(s, report);
  const log = await callLog(s, callId);
  assert.equal(log.organization_id, PLUMBING.id);
  assert.equal(log.status, "ended");
  assert.equal(log.summary, "Caller booked a furnace check.");
  assert.equal(log.transcript, "AI: Hello\nUser: Book me in."); // the function trims surrounding whitespace
  assert.equal(log.recording_url, "https://storage.vapi.ai/e2e-mono.wav");
  assert.equal(Number(log.duration_seconds), 196.519);
  assert.equal(Number(log.cost), 0.2312);
  assert.equal(log.ended_reason, "customer-ended-call");
  assert.equal(log.started_at.toISOString(), "2026-01-06T14:48:53.512Z");
  assert.equal(log.ended_at.toISOString(), "2026-01-06T14:52:10.031Z");

  await send(s, report);
  const replayed = await callLog(s, callId);
  assert.equal(replayed.updated_at.getTime(), log.updated_at.getTime(), "a replayed report changes nothing");
  assert.deepEqual(replayed, log);
});

test("a late status-update 'in-progress' with an older timestamp never moves an ended call back", async (s) => {
  const callId = s.newCallId();
  const keys = { callId, callAssistantId: HVAC.assistant };
  const t0 = Date.now() - 60_000;
  await send(s, statusUpdateMessage(keys, "ringing", t0));
  await send(s, endOfCallReportMessage(keys, t0 + 20_000));
  const ended = await callLog(s, callId);
  assert.equal(ended.status, "ended");

  await send(s, statusUpdateMessage(keys, "in-progress", t0 + 10_000));
  assert.equal((await callLog(s, callId)).status, "ended");
  // Not even a newer-stamped straggler, nor one without a timestamp.
  await send(s, statusUpdateMessage(keys, "in-progress", t0 + 40_000));
  const untimed = statusUpdateMessage(keys, "in-progress") as { message: Record<string, unknown> };
  delete untimed.message.timestamp;
  await send(s, untimed);
  const after = await callLog(s, callId);
  assert.equal(after.status, "ended");
  assert.equal(after.summary, ended.summary);
});

test("an end-of-call-report arriving first still creates the row (status ended)", async (s) => {
  const callId = s.newCallId();
  await send(s, endOfCallReportMessage({ callId, assistantId: HVAC.assistant }));
  const log = await callLog(s, callId);
  assert.equal(log.organization_id, HVAC.id);
  assert.equal(log.status, "ended");
  assert.equal(log.summary, "Caller booked a furnace check.");
  // A status-update that was overtaken by the report arrives afterwards: still ended.
  await send(s, statusUpdateMessage({ callId, assistantId: HVAC.assistant }, "in-progress", Date.now() - 120_000));
  assert.equal((await callLog(s, callId)).status, "ended");
});

test("status-update / end-of-call-report of an unknown tenant → 200 {} and no row", async (s) => {
  const before = await counts(s.sql);
  const callId = s.newCallId();
  const keys = { callId, callAssistantId: "asst_unknown", line: "+15559990002", customerNumber: HVAC.line };
  await send(s, statusUpdateMessage(keys, "in-progress"));
  await send(s, endOfCallReportMessage(keys));
  assert.equal(await callLog(s, callId), undefined);
  assert.deepEqual(await counts(s.sql), before);
});

close();
