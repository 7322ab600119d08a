// Issue 10, over HTTP through the real handler and gateway: simultaneous callers for one slot of the Metro HVAC demo
// tenant (three technicians). Capacity is three for a service all of them perform and one for a service only Priya
// performs; every other caller hears that the time is taken, and no technician is ever double booked.
import assert from "node:assert/strict";
import { fileStack, freshCallerNumber, localIso, post, type Stack, toolCallsMessage } from "../e2e/_stack.ts";

const METRO = { assistant: "asst_metro_hvac_assistant", timezone: "America/Chicago" } as const;
const { test, close } = fileStack();

/** A Monday–Saturday `days` ahead (Metro is open Mon–Sat 07:00–19:00, books up to 90 days ahead). */
function openDay(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  if (d.getUTCDay() === 0) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

async function race(s: Stack, callers: number, start: string, service: string) {
  const replies = await Promise.all(Array.from({ length: callers }, (_, i) =>
    post(
      s.webhookUrl,
      toolCallsMessage(
        { callId: s.newCallId(), callAssistantId: METRO.assistant, customerNumber: freshCallerNumber() },
        [{
          name: "book_appointment",
          args: { start_time: start, customer_name: `Racer ${i}`, service },
        }],
      ),
    )));
  return replies.map((r) => {
    assert.equal(r.status, 200);
    return r.body.results[0] as { result?: string; error?: string };
  });
}

test("10 simultaneous callers, one slot, 3 technicians → exactly 3 booked with 3 different technicians", async (s) => {
  const day = openDay(12);
  const results = await race(s, 10, `${day}T10:00`, "AC repair");
  const booked = results.filter((r) => r.result).map((r) => JSON.parse(r.result!));
  const refused = results.filter((r) => r.error);
  assert.equal(booked.length, 3, JSON.stringify(results));
  assert.deepEqual(booked.map((b) => b.staff_name).sort(), ["James Carter", "Maria Lopez", "Priya Patel"]);
  for (const b of booked) {
    assert.equal(b.status, "booked");
    assert.equal(b.service, "AC repair");
    assert.equal(b.start_time, localIso(day, "10:00", METRO.timezone));
  }
  assert.equal(refused.length, 7);
  for (const r of refused) {
    assert.match(r.error!, /^That time is already taken\. Nearest open times: .*Nothing was booked\.$/);
  }
  const [{ count }] = await s.sql`
    select count(*)::int as count from public.appointments a join public.appointments b
      on a.staff_member_id = b.staff_member_id and a.id < b.id and a.blocked_during && b.blocked_during
    where a.is_active and b.is_active`;
  assert.equal(count, 0, "no technician has overlapping jobs");
});

test("10 simultaneous callers for a service only one technician performs → exactly 1 booked", async (s) => {
  const day = openDay(13);
  const results = await race(s, 10, `${day}T09:00`, "duct cleaning");
  const booked = results.filter((r) => r.result).map((r) => JSON.parse(r.result!));
  assert.equal(booked.length, 1, JSON.stringify(results));
  assert.equal(booked[0].staff_name, "Priya Patel");
  assert.equal(booked[0].service, "Duct cleaning");
  assert.equal(results.filter((r) => r.error?.startsWith("That time is already taken.")).length, 9);
  const rows = await s.sql`
    select count(*)::int as count from public.appointments
    where service_id = '5b8f2c1e-0000-4000-8000-00000000b004' and is_active
      and start_time = ${new Date(localIso(day, "09:00", METRO.timezone))}`;
  assert.equal(rows[0].count, 1);
});

close();
