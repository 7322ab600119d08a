// Issue 5, each tool end to end: check_availability, cancel_appointment, reschedule_appointment.
import assert from "node:assert/strict";
import {
  bookingArgs,
  counts,
  fileStack,
  futureDayOfWeek,
  futureWeekday,
  HVAC,
  localIso,
  PLUMBING,
  post,
  rowsForCall,
  type Stack,
  toolCallsMessage,
} from "./_stack.ts";

const { test, close } = fileStack();

async function tool(s: Stack, callId: string, assistant: string, name: string, args: Record<string, unknown>) {
  const reply = await post(
    s.webhookUrl,
    toolCallsMessage({ callId, callAssistantId: assistant }, [{ id: `tc-${name}-${crypto.randomUUID()}`, name, args }]),
  );
  assert.equal(reply.status, 200);
  assert.equal(reply.body.results.length, 1);
  return reply.body.results[0] as { name: string; toolCallId: string; result?: string; error?: string };
}

async function book(s: Stack, assistant: string, start: string, extra: Record<string, unknown> = {}) {
  const callId = s.newCallId();
  const entry = await tool(s, callId, assistant, "book_appointment", bookingArgs(start, extra));
  assert.ok(entry.result, `booking ${start} failed: ${entry.error}`);
  return { callId, result: JSON.parse(entry.result) };
}

async function appointment(s: Stack, id: string) {
  const [row] = await s.sql`select * from public.appointments where id = ${id}`;
  return row;
}

test("check_availability by date (weekday) lists times in the org's zone, names it, books nothing", async (s) => {
  const day = futureWeekday();
  const taken = await book(s, HVAC.assistant, `${day}T08:00`);
  const callId = s.newCallId();
  const before = await counts(s.sql);
  const entry = await tool(s, callId, HVAC.assistant, "check_availability", { date: day });
  const text = entry.result!;
  assert.ok(text, entry.error);
  assert.match(text, /^Open times: /);
  assert.match(text, /Times are in New York time\./);
  assert.match(text, /Nothing was booked by this check\./);
  // The first open time is 09:00 (08:00 is taken, 60-minute default), in New York's offset.
  assert.ok(text.includes(`(${localIso(day, "09:00", HVAC.timezone)})`), text);
  assert.ok(!text.includes(`(${localIso(day, "08:00", HVAC.timezone)})`), "a taken time is not offered");
  for (const iso of text.matchAll(/\((\d{4}-\d{2}-\d{2})T(\d{2}):\d{2}:\d{2}([+-]\d{2}:\d{2})\)/g)) {
    assert.equal(iso[1], day);
    assert.ok(Number(iso[2]) >= 8 && Number(iso[2]) < 18, `inside 08:00–18:00: ${iso[0]}`);
    assert.equal(iso[3], localIso(day, "09:00", HVAC.timezone).slice(-6));
  }
  const after = await counts(s.sql);
  assert.equal(after.appointments, before.appointments);
  assert.equal(taken.result.status, "booked");

  // Plumbing answers in its own zone.
  const plumbing = await tool(s, s.newCallId(), PLUMBING.assistant, "check_availability", { date: day });
  assert.match(plumbing.result!, /^Horarios disponibles: el /);
  assert.match(plumbing.result!, /Los horarios corresponden a la hora de Los Ángeles\./);
  assert.ok(plumbing.result!.includes(`(${localIso(day, "07:00", PLUMBING.timezone)})`), plumbing.result);
});

test("check_availability on a Sunday for HVAC → closed that day, and the next open times", async (s) => {
  const sunday = futureDayOfWeek(0);
  const entry = await tool(s, s.newCallId(), HVAC.assistant, "check_availability", { date: sunday });
  assert.ok(entry.result, entry.error);
  assert.match(entry.result, /^We are closed that day\. The next open times are: /);
  assert.match(entry.result, /Monday, /);
  assert.match(entry.result, /Times are in New York time\. Nothing was booked by this check\./);
});

test("cancel_appointment by appointment_id; a second cancel succeeds with 'already cancelled'", async (s) => {
  const { result: booked } = await book(s, HVAC.assistant, `${futureWeekday()}T10:00`);
  const callId = s.newCallId();
  const first = await tool(s, callId, HVAC.assistant, "cancel_appointment", { appointment_id: booked.appointment_id });
  const cancelled = JSON.parse(first.result!);
  assert.equal(cancelled.status, "cancelled");
  assert.equal(cancelled.appointment_id, booked.appointment_id);
  assert.equal(cancelled.start_time, booked.start_time);
  const row = await appointment(s, booked.appointment_id);
  assert.equal(row.status, "cancelled");
  assert.ok(row.cancelled_at instanceof Date);

  const second = await tool(s, callId, HVAC.assistant, "cancel_appointment", { appointment_id: booked.appointment_id });
  const again = JSON.parse(second.result!);
  assert.equal(again.status, "already_cancelled");
  assert.match(again.message, /already cancelled/);
  assert.equal((await appointment(s, booked.appointment_id)).cancelled_at.getTime(), row.cancelled_at.getTime());
});

test("cancel_appointment by customer_phone + start_time (wall clock in the org's zone)", async (s) => {
  const day = futureWeekday();
  const { result: booked } = await book(s, PLUMBING.assistant, `${day}T12:00`, { customer_phone: "+15557650001" });
  const entry = await tool(s, s.newCallId(), PLUMBING.assistant, "cancel_appointment", {
    customer_phone: "+1 555 765 0001",
    start_time: `${day}T12:00`,
  });
  const cancelled = JSON.parse(entry.result!);
  assert.equal(cancelled.status, "cancelled");
  assert.equal(cancelled.appointment_id, booked.appointment_id);
  assert.equal((await appointment(s, booked.appointment_id)).status, "cancelled");
  // The freed time can be booked again.
  const rebooked = await book(s, PLUMBING.assistant, `${day}T12:00`);
  assert.equal(rebooked.result.status, "booked");
});

test("cancelling another org's appointment id → not found, and that appointment is untouched", async (s) => {
  const { result: booked } = await book(s, HVAC.assistant, `${futureWeekday()}T10:00`);
  const before = await appointment(s, booked.appointment_id);
  const entry = await tool(s, s.newCallId(), PLUMBING.assistant, "cancel_appointment", {
    appointment_id: booked.appointment_id,
  });
  assert.equal(entry.result, undefined);
  assert.match(entry.error!, /^No encuentro esa cita\.$/);
  const after = await appointment(s, booked.appointment_id);
  assert.equal(after.status, "scheduled");
  assert.equal(after.cancelled_at, null);
  assert.equal(after.updated_at.getTime(), before.updated_at.getTime());
});

test("reschedule_appointment: old row cancelled, new row active with rescheduled_from", async (s) => {
  const day = futureWeekday();
  const { result: booked } = await book(s, HVAC.assistant, `${day}T10:00`, { duration_minutes: 30 });
  const callId = s.newCallId();
  const entry = await tool(s, callId, HVAC.assistant, "reschedule_appointment", {
    appointment_id: booked.appointment_id,
    new_start_time: `${day}T15:00`,
  });
  assert.ok(entry.result, entry.error);
  const moved = JSON.parse(entry.result);
  assert.equal(moved.status, "rescheduled");
  assert.equal(moved.previous_appointment_id, booked.appointment_id);
  assert.equal(moved.start_time, localIso(day, "15:00", HVAC.timezone));
  assert.equal(moved.end_time, localIso(day, "15:30", HVAC.timezone), "keeps the original length");
  assert.equal((await appointment(s, booked.appointment_id)).status, "cancelled");
  const fresh = await appointment(s, moved.appointment_id);
  assert.equal(fresh.status, "scheduled");
  assert.equal(fresh.rescheduled_from, booked.appointment_id);
  assert.equal(fresh.organization_id, HVAC.id);
  assert.equal(fresh.customer_name, "Dana Ortiz");
  assert.equal(fresh.vapi_call_id, callId);
});

test("reschedule_appointment to a time taken by another booking → error, old still scheduled, no new row", async (s) => {
  const day = futureWeekday();
  const { result: mine } = await book(s, HVAC.assistant, `${day}T10:00`);
  const { result: theirs } = await book(s, HVAC.assistant, `${day}T14:00`, { customer_name: "Sam Lee" });
  const callId = s.newCallId();
  const before = await counts(s.sql);
  const entry = await tool(s, callId, HVAC.assistant, "reschedule_appointment", {
    appointment_id: mine.appointment_id,
    new_start_time: `${day}T14:30`,
  });
  assert.equal(entry.result, undefined);
  assert.match(entry.error!, /already taken/);
  assert.match(entry.error!, /original appointment is unchanged/);
  const old = await appointment(s, mine.appointment_id);
  assert.equal(old.status, "scheduled");
  assert.equal(old.cancelled_at, null);
  assert.equal((await appointment(s, theirs.appointment_id)).status, "scheduled");
  assert.equal((await counts(s.sql)).appointments, before.appointments);
  assert.equal((await rowsForCall(s.sql, callId)).appointments.length, 0);
  const [moved] = await s.sql`select count(*)::int as n from public.appointments
                              where rescheduled_from = ${mine.appointment_id}`;
  assert.equal(moved.n, 0);
});

test("reschedule_appointment outside business hours → error, appointment unchanged, nothing written", async (s) => {
  const day = futureWeekday();
  const { result: mine } = await book(s, HVAC.assistant, `${day}T10:00`);
  const before = await counts(s.sql);
  const entry = await tool(s, s.newCallId(), HVAC.assistant, "reschedule_appointment", {
    appointment_id: mine.appointment_id,
    new_start_time: `${futureDayOfWeek(6)}T10:00`,
  });
  assert.match(entry.error!, /^We are closed that day\./);
  assert.match(entry.error!, /not changed/);
  assert.equal((await appointment(s, mine.appointment_id)).status, "scheduled");
  assert.deepEqual(await counts(s.sql), before);
});

close();

test('an id a model back end reuses across turns ("0") serves each new question and the booking; two writes conflict', async (s) => {
  const callId = s.newCallId();
  const turn = async (name: string, args: Record<string, unknown>) => {
    const reply = await post(
      s.webhookUrl,
      toolCallsMessage({ callId, callAssistantId: HVAC.assistant }, [{ id: "0", name, args }]),
    );
    assert.equal(reply.status, 200);
    return reply.body.results[0] as { toolCallId: string; result?: string; error?: string };
  };
  const [monday, tuesday] = [futureDayOfWeek(1), futureDayOfWeek(2)];
  const first = await turn("check_availability", { date: monday });
  const second = await turn("check_availability", { date: tuesday });
  assert.match(first.result!, /Monday/);
  assert.match(second.result!, /Tuesday/, 'another question under "0": its own answer, not Monday\'s');
  assert.equal((await turn("check_availability", { date: tuesday })).result, second.result, "asked again: replayed");
  const booked = await turn("book_appointment", bookingArgs(`${tuesday}T13:30`));
  assert.equal(JSON.parse(booked.result!).status, "booked", `after asking under "0": ${booked.error}`);
  const again = await turn("book_appointment", bookingArgs(`${tuesday}T13:30`));
  assert.equal(again.result, booked.result, "its redelivery: the same answer");
  const cancel = await turn("cancel_appointment", {});
  assert.equal(cancel.error, "I could not complete that request. Please try again.", "a second write: a conflict");
  const rows = await s.sql`select status from public.appointments where vapi_call_id = ${callId}`;
  assert.deepEqual(rows.map((r) => r.status), ["scheduled"], "one booking, not cancelled");
});

test("a tool-call id repeated for another tool in one message is refused; the booking stands", async (s) => {
  const callId = s.newCallId();
  const reply = await post(
    s.webhookUrl,
    toolCallsMessage({ callId, callAssistantId: HVAC.assistant }, [
      { id: "tc-same", name: "book_appointment", args: bookingArgs(`${futureWeekday()}T11:00`) },
      { id: "tc-same", name: "cancel_appointment", args: {} },
    ]),
  );
  assert.equal(reply.status, 200);
  const [booked, cancel] = reply.body.results;
  assert.equal(JSON.parse(booked.result).status, "booked");
  assert.deepEqual(cancel, {
    name: "cancel_appointment",
    toolCallId: "tc-same",
    error: "Two different requests came under one id. Please ask for one thing at a time.",
  });
  const rows = await s.sql`select status from public.appointments where vapi_call_id = ${callId}`;
  assert.deepEqual(rows.map((r) => r.status), ["scheduled"]);
});
