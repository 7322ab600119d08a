// Answers under contention (20261203100100_answers_under_contention.sql): races the exclusion constraints keep safe
// must also be answered right. A's transaction is held open past the waits B is allowed, then committed.
import assert from "node:assert/strict";
import type { Sql } from "postgres";
import { futureWeekday } from "../e2e/_stack.ts";
import {
  activeRows,
  bookAsService,
  booking,
  holdAThenStartB,
  toolCallInTransaction,
  waitUntilBlocked,
  withClients,
} from "./_two_clients.ts";

const METRO = "asst_metro_hvac_assistant"; // three technicians, all doing "AC repair"
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A Monday–Saturday `days` ahead: Metro is open Mon–Sat and books up to 90 days ahead. */
function metroDay(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  if (d.getUTCDay() === 0) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

Deno.test("a redelivery waits for the first delivery's answer as long as its 4 s budget, then replays it", async () => {
  await withClients(async (c) => {
    const same = booking(`${futureWeekday()}T12:00`);
    c.ids.push(same.callId);
    const { fromA, finishA } = await holdAThenStartB(c, same, same);
    // Any other lock wait gives up after 1 s; the ledger's waited 3.5 s, and a redelivery arriving 0.4 s after a first
    // delivery that ran 3.9 s answered "couldn't reach" while the first booked (helper-68 #1).
    await sleep(3_700);
    const fromB = await finishA("commit");
    assert.equal(fromB.replayed, true);
    assert.deepEqual({ ...fromB, replayed: false }, fromA, "identical apart from replayed");
    assert.equal((await activeRows(c.admin, [same.callId])).length, 1);
  });
});

Deno.test("the caller's own retry (new tool call id) that ran out of the calendar-lock wait is confirmed, not refused", async () => {
  await withClients(async (c) => {
    const first = booking(`${futureWeekday()}T14:00`);
    const retry = booking(first.start, first.callId); // same call, customer and time; Vapi's new tool call id
    c.ids.push(first.callId);
    const { fromA, finishA } = await holdAThenStartB(c, first, retry);
    await sleep(800); // B gives up on the calendar lock after 0.5 s and waits on A's row instead
    const fromB = await finishA("commit");
    assert.equal(fromA.reason, "booked");
    assert.equal(fromB.reason, "already_booked", fromB.error ?? ""); // confirmed as A's booking, not made again
    assert.equal(JSON.parse(fromB.result!).appointment_id, JSON.parse(fromA.result!).appointment_id);
    assert.equal((await activeRows(c.admin, [first.callId])).length, 1, "one booking, not two");
  });
});

Deno.test("a technician taken by a rival while the calendar lock was busy: the booking goes to another free one", async () => {
  await withClients(async (c) => {
    const args = { service: "AC repair" };
    const first = booking(`${metroDay(17)}T15:00`, undefined, undefined, { assistant: METRO, args });
    const second = booking(first.start, undefined, undefined, { assistant: METRO, args });
    c.ids.push(first.callId, second.callId);
    const { fromA, finishA } = await holdAThenStartB(c, first, second);
    await sleep(800); // B picks from a view without A's uncommitted job: the same technician
    const fromB = await finishA("commit");
    assert.equal(fromA.reason, "booked");
    assert.equal(fromB.reason, "booked", fromB.error ?? "");
    const [a, b] = [JSON.parse(fromA.result!), JSON.parse(fromB.result!)];
    assert.notEqual(b.staff_name, a.staff_name);
    const rows = await activeRows(c.admin, [first.callId, second.callId]);
    assert.equal(new Set(rows.map((r) => r.staff_member_id)).size, 2);
    const [{ n }] = await c.admin`
      select count(*)::int as n from public.appointments x join public.appointments y
        on x.staff_member_id = y.staff_member_id and x.id < y.id and x.blocked_during && y.blocked_during
      where x.is_active and y.is_active`;
    assert.equal(n, 0, "no technician double booked");
  });
});

Deno.test("a technician asked for by name and taken by a rival: slot_taken, no other technician substituted", async () => {
  await withClients(async (c) => {
    const args = { service: "AC repair", staff_name: "Maria Lopez" };
    const first = booking(`${metroDay(18)}T15:00`, undefined, undefined, { assistant: METRO, args });
    const second = booking(first.start, undefined, undefined, { assistant: METRO, args });
    c.ids.push(first.callId, second.callId);
    const { fromA, finishA } = await holdAThenStartB(c, first, second);
    await sleep(800);
    const fromB = await finishA("commit");
    assert.equal(fromA.reason, "booked");
    assert.equal(fromB.reason, "slot_taken");
    assert.equal((await activeRows(c.admin, [second.callId])).length, 0, "nothing written for B");
  });
});

Deno.test('a book and a cancel arriving together under an id a question holds ("0"): one runs, the other is refused', async () => {
  await withClients(async (c) => {
    const job = booking(`${futureWeekday()}T15:30`, undefined, "0");
    c.ids.push(job.callId);
    const question = { date: job.start.slice(0, 10) };
    const asked = await toolCallInTransaction(c.admin, "resolve_org_and_check_availability", job.callId, "0", question);
    assert.equal(asked.reason, "available", 'the question under "0" is answered and kept');
    const a = await c.a.reserve();
    await a`begin`;
    assert.equal((await bookAsService(a as unknown as Sql, job)).reason, "booked");
    const [{ pid }] = await c.b`select pg_backend_pid() as pid`;
    const cancel = toolCallInTransaction(c.b, "resolve_org_and_cancel", job.callId, "0", {});
    await waitUntilBlocked(c.admin, pid); // on the id's family, which the uncommitted booking holds
    await a`commit`;
    a.release();
    assert.equal((await cancel).reason, "tool_call_conflict");
    assert.equal((await activeRows(c.admin, [job.callId])).length, 1, "the booking stands, not cancelled");
  });
});
