// Concurrency of resolve_org_and_book that pgTAP (one session) cannot show: two real connections, each calling the
// RPC as service_role inside its own transaction, with transaction A held open while B runs.
import assert from "node:assert/strict";
import { futureWeekday, HVAC } from "../e2e/_stack.ts";
import {
  activeRows,
  bookAsService,
  booking,
  bookInTransaction,
  holdAThen,
  holdAThenStartB,
  overlappingActivePairs,
  toolCallAsService,
  toolCallInTransaction,
  withClients,
} from "./_two_clients.ts";

Deno.test("same slot, different tool calls, both started together on two connections → one booked, one slot_taken", async () => {
  await withClients(async (c) => {
    // 20 races: without the per-organization calendar lock about one run in four hit a deadlock (40P01) here.
    for (const day of [futureWeekday(), futureWeekday(), futureWeekday(), futureWeekday()]) {
      for (const time of ["09:00", "11:00", "13:00", "15:00", "17:00"]) {
        const x = booking(`${day}T${time}`);
        const y = booking(`${day}T${time}`);
        c.ids.push(x.callId, y.callId);
        const replies = await Promise.all([bookInTransaction(c.a, x), bookInTransaction(c.b, y)]);
        assert.deepEqual(replies.map((r) => r.reason).sort(), ["booked", "slot_taken"], `${day} ${time}`);
        const refused = replies.find((r) => !r.ok)!;
        assert.match(refused.error!, /already taken/);
        assert.equal((await activeRows(c.admin, [x.callId, y.callId])).length, 1, `${day} ${time}`);
      }
    }
    assert.equal(await overlappingActivePairs(c.admin), 0);
  });
});

Deno.test("same slot, different tool calls: B waits for A's open transaction, then gets slot_taken", async () => {
  await withClients(async (c) => {
    const day = futureWeekday();
    const first = booking(`${day}T10:00`);
    const second = booking(`${day}T10:30`); // overlaps 10:00–11:00
    c.ids.push(first.callId, second.callId);
    const { fromA, finishA } = await holdAThenStartB(c, first, second);
    assert.equal(fromA.reason, "booked");
    const fromB = await finishA("commit");
    assert.equal(fromB.ok, false);
    assert.equal(fromB.reason, "slot_taken");
    assert.match(fromB.error!, /already taken/);
    const rows = await activeRows(c.admin, [first.callId, second.callId]);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].vapi_call_id, first.callId);
    assert.equal(await overlappingActivePairs(c.admin), 0);
  });
});

Deno.test("same slot, different tool calls: when A rolls back, the waiting B books", async () => {
  await withClients(async (c) => {
    const day = futureWeekday();
    const first = booking(`${day}T10:00`);
    const second = booking(`${day}T10:00`);
    c.ids.push(first.callId, second.callId);
    const { fromA, finishA } = await holdAThenStartB(c, first, second);
    assert.equal(fromA.reason, "booked");
    const fromB = await finishA("rollback");
    assert.equal(fromB.reason, "booked");
    const rows = await activeRows(c.admin, [first.callId, second.callId]);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].vapi_call_id, second.callId);
  });
});

Deno.test("same (call id, tool call id) from two connections: B waits, then replays A's response (replayed=true)", async () => {
  await withClients(async (c) => {
    const same = booking(`${futureWeekday()}T12:00`);
    c.ids.push(same.callId);
    const { fromA, finishA } = await holdAThenStartB(c, same, same);
    assert.equal(fromA.reason, "booked");
    assert.equal(fromA.replayed, false);
    const fromB = await finishA("commit");
    assert.equal(fromB.replayed, true);
    assert.deepEqual({ ...fromB, replayed: false }, fromA, "identical apart from replayed");
    const rows = await activeRows(c.admin, [same.callId]);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].id, JSON.parse(fromA.result!).appointment_id);
    const [ledger] = await c.admin`select count(*)::int as n from public.tool_call_executions
                                   where vapi_call_id = ${same.callId}`;
    assert.equal(ledger.n, 1);
  });
});

Deno.test("same (call id, tool call id): when A rolls back, the waiting B fails alike (PT409) and books nothing", async () => {
  await withClients(async (c) => {
    const same = booking(`${futureWeekday()}T12:00`);
    c.ids.push(same.callId);
    const { fromA, finishA } = await holdAThenStartB(c, same, same);
    assert.equal(fromA.reason, "booked");
    // A's caller heard a failure (A rolled back); B, sent together with A, hears one too, not "booked".
    await assert.rejects(finishA("rollback"), (e: { code?: string }) => e.code === "PT409");
    assert.equal((await activeRows(c.admin, [same.callId])).length, 0, "B's booking was undone");
    // Delivered again once both have ended: served afresh, then replayed.
    const later = await bookInTransaction(c.a, same);
    assert.deepEqual([later.reason, later.replayed], ["booked", false]);
    const replay = await bookInTransaction(c.b, same);
    assert.equal(replay.replayed, true);
    assert.equal(replay.result, later.result);
  });
});

Deno.test("same request: the function's own retry of a try whose answer was lost books when that try rolls back", async () => {
  // helper-100 #1: a retry waits for its own first try (still running after the connection broke), not for another
  // delivery: when that try rolls back, the retry books — a lost answer is still heard as booked.
  await withClients(async (c) => {
    const same = booking(`${futureWeekday()}T13:00`);
    c.ids.push(same.callId);
    const { finishA } = await holdAThen(c, (a) => bookAsService(a, same), (b) => bookInTransaction(b, same, 2));
    const retry = await finishA("rollback");
    assert.deepEqual([retry.reason, retry.replayed], ["booked", false]);
    assert.equal((await activeRows(c.admin, [same.callId])).length, 1);
  });
});

Deno.test("a reused id: a delivery waiting for another of the same booking under the id's `<id>#…` key fails alike too", async () => {
  await withClients(async (c) => {
    const same = booking(`${futureWeekday()}T14:00`);
    c.ids.push(same.callId);
    // The id first answered a question (committed): the booking under it is served as `<id>#<hash>`.
    await toolCallInTransaction(c.a, "resolve_org_and_check_availability", same.callId, same.toolCallId, {
      date: same.start.slice(0, 10),
    });
    const { fromA, finishA } = await holdAThenStartB(c, same, same);
    assert.equal(fromA.reason, "booked");
    await assert.rejects(finishA("rollback"), (e: { code?: string }) => e.code === "PT409");
    assert.equal((await activeRows(c.admin, [same.callId])).length, 0);
  });
});

Deno.test("a reused id: a booking that waited for a question under the id (which failed) is its own request and books", async () => {
  await withClients(async (c) => {
    const same = booking(`${futureWeekday()}T15:00`);
    c.ids.push(same.callId);
    const { finishA } = await holdAThen(
      c,
      (a) =>
        toolCallAsService(
          a,
          "resolve_org_and_check_availability",
          HVAC.assistant,
          same.callId,
          same.toolCallId,
          {
            date: same.start.slice(0, 10),
          },
        ),
      (b) => bookInTransaction(b, same),
    );
    const fromB = await finishA("rollback"); // the question failed; the booking is another request (helper-100 #3)
    assert.equal(fromB.reason, "booked");
    assert.equal((await activeRows(c.admin, [same.callId])).length, 1);
  });
});
