// A message's tool calls are served one after another, in the order listed: each answer sees what the calls before
// it did, so the answers read in order match what the database holds (helper-83 #3: two moves in one message were
// both answered "moved" while the later-listed one ran first and lost).
import assert from "node:assert/strict";
import {
  bookingArgs,
  fileStack,
  freshCallerNumber,
  futureWeekday,
  HVAC,
  localIso,
  post,
  toolCallsMessage,
} from "./_stack.ts";

const { test, close } = fileStack();

test("two moves in one message: both answered in order, the last one listed stands", async (s) => {
  for (const [i, day] of [futureWeekday(), futureWeekday("winter"), futureWeekday("summer")].entries()) {
    const keys = { callId: s.newCallId(), callAssistantId: HVAC.assistant, customerNumber: freshCallerNumber() };
    const booked = await post(
      s.webhookUrl,
      toolCallsMessage(keys, [
        { name: "book_appointment", args: bookingArgs(`${day}T09:00`) },
      ]),
    );
    assert.ok(booked.body.results[0].result, booked.body.results[0].error);
    const moves = await post(
      s.webhookUrl,
      toolCallsMessage(keys, [
        { name: "reschedule_appointment", args: { new_start_time: `${day}T13:00` } },
        { name: "reschedule_appointment", args: { new_start_time: `${day}T15:00` } },
      ]),
    );
    const [first, second] = moves.body.results;
    const moved = [first, second].map((r) => JSON.parse(r.result ?? "{}").start_time);
    assert.deepEqual(
      moved,
      [localIso(day, "13:00", HVAC.timezone), localIso(day, "15:00", HVAC.timezone)],
      `run ${i}: ${JSON.stringify(moves.body.results)}`,
    );
    const active = await s.sql`
      select start_time from public.appointments
      where organization_id = ${HVAC.id} and customer_phone = ${keys.customerNumber} and status = 'scheduled'`;
    assert.deepEqual(active.map((r) => (r.start_time as Date).toISOString()), [
      new Date(localIso(day, "15:00", HVAC.timezone)).toISOString(),
    ], `run ${i}`);
  }
});

test("book, then cancel my appointment, in one message: the cancel finds the booking", async (s) => {
  const day = futureWeekday();
  const keys = { callId: s.newCallId(), callAssistantId: HVAC.assistant, customerNumber: freshCallerNumber() };
  const reply = await post(
    s.webhookUrl,
    toolCallsMessage(keys, [
      { name: "book_appointment", args: bookingArgs(`${day}T11:00`) },
      { name: "cancel_appointment", args: {} },
    ]),
  );
  const [book, cancel] = reply.body.results;
  assert.ok(book.result, book.error);
  assert.equal(JSON.parse(cancel.result ?? "{}").status, "cancelled", JSON.stringify(cancel));
  const rows = await s.sql`
    select status from public.appointments where organization_id = ${HVAC.id} and customer_phone = ${keys.customerNumber}`;
  assert.deepEqual(rows.map((r) => r.status), ["cancelled"]);
});

test('an id reused in one message ("0", "1", … each turn): each question is answered for its own day; a booking after a question is made', async (s) => {
  const [day, other] = [futureWeekday(), futureWeekday("winter")];
  const keys = { callId: s.newCallId(), callAssistantId: HVAC.assistant, customerNumber: freshCallerNumber() };
  const ask = async (date: string) =>
    (await post(s.webhookUrl, toolCallsMessage(keys, [{ name: "check_availability", args: { date } }]))).body
      .results[0].result;
  const [dayAnswer, otherAnswer] = [await ask(day), await ask(other)];
  assert.notEqual(dayAnswer, otherAnswer);
  const reply = await post(
    s.webhookUrl,
    toolCallsMessage(keys, [
      { id: "0", name: "check_availability", args: { date: day } },
      { id: "0", name: "check_availability", args: { date: other } },
      { id: "0", name: "check_availability", args: { date: day } }, // word for word again: the first answer
      { id: "0", name: "book_appointment", args: bookingArgs(`${other}T10:00`) },
    ]),
  );
  const [first, second, again, book] = reply.body.results;
  assert.deepEqual([first.result, second.result, again.result], [dayAnswer, otherAnswer, dayAnswer]);
  assert.equal(JSON.parse(book.result ?? "{}").status, "booked", JSON.stringify(book));
  const rows = await s.sql`
    select count(*)::int as n from public.appointments
    where organization_id = ${HVAC.id} and customer_phone = ${keys.customerNumber}`;
  assert.equal(rows[0].n, 1);
});

close();
