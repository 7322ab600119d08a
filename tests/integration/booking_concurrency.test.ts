// Concurrency of resolve_org_and_book that pgTAP (one session) cannot show: two real connections, each calling the
// RPC as service_role inside its own transaction, with transaction A held open while B runs.
import assert from "node:assert/strict";
import postgres, { type Sql } from "postgres";
import { deleteCalls, futureWeekday, HVAC, testDatabaseUrl } from "../e2e/_stack.ts";

type RpcReturn = {
  ok: boolean;
  result: string | null;
  error: string | null;
  reason: string;
  organization_id: string | null;
  resolved_by: string | null;
  replayed: boolean;
};

interface Booking {
  callId: string;
  toolCallId: string;
  start: string;
}

function booking(start: string, callId = `int-${crypto.randomUUID()}`, toolCallId = `tc-${crypto.randomUUID()}`) {
  return { callId, toolCallId, start } satisfies Booking;
}

/** The RPC exactly as the gateway calls it: role service_role for this transaction, named arguments. */
async function bookAsService(tx: Sql, b: Booking): Promise<RpcReturn> {
  await tx`select set_config('role', 'service_role', true)`;
  const [row] = await tx`
    select public.resolve_org_and_book(
      p_assistant_id => ${HVAC.assistant}, p_phone_number => null, p_vapi_call_id => ${b.callId},
      p_tool_call_id => ${b.toolCallId},
      p_arguments => ${
    JSON.stringify({ start_time: b.start, customer_name: `Caller ${b.callId.slice(-4)}` })
  }::text::jsonb
    ) as r`;
  return row.r as RpcReturn;
}

/** One RPC in its own committed transaction. */
function bookInTransaction(sql: Sql, b: Booking): Promise<RpcReturn> {
  return sql.begin((tx) => bookAsService(tx as unknown as Sql, b)) as Promise<RpcReturn>;
}

/** Two single-connection clients (A, B), an admin pool, and cleanup of every call id used. */
async function withClients(fn: (c: { a: Sql; b: Sql; admin: Sql; ids: string[] }) => Promise<void>): Promise<void> {
  const url = testDatabaseUrl();
  const a = postgres(url, { max: 1, onnotice: () => {} });
  const b = postgres(url, { max: 1, onnotice: () => {} });
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  const ids: string[] = [];
  try {
    await fn({ a, b, admin, ids });
  } finally {
    if (ids.length) await deleteCalls(admin, ids);
    await Promise.all([a.end({ timeout: 5 }), b.end({ timeout: 5 }), admin.end({ timeout: 5 })]);
  }
}

/** Waits until backend `pid` is blocked on a lock (B waiting for A's uncommitted row). */
async function waitUntilBlocked(admin: Sql, pid: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const [row] = await admin`select wait_event_type from pg_stat_activity where pid = ${pid}`;
    if (row?.wait_event_type === "Lock") return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`backend ${pid} never blocked on A's transaction`);
}

async function activeRows(admin: Sql, callIds: string[]) {
  return await admin`select * from public.appointments
                     where vapi_call_id = any(${callIds}) and status in ('scheduled', 'confirmed')`;
}

async function overlappingActivePairs(admin: Sql): Promise<number> {
  const [row] = await admin`
    select count(*)::int as n
    from public.appointments as x join public.appointments as y
      on x.organization_id = y.organization_id and x.id < y.id
     and tstzrange(x.start_time, x.end_time, '[)') && tstzrange(y.start_time, y.end_time, '[)')
    where x.status in ('scheduled', 'confirmed') and y.status in ('scheduled', 'confirmed')`;
  return row.n;
}

/**
 * Opens transaction A on a reserved connection and books `first` in it (uncommitted), then starts `second` on B and
 * waits until B is blocked behind A. Returns A's response, B's pending response and A's connection to finish.
 */
async function holdAThenStartB(c: { a: Sql; b: Sql; admin: Sql }, first: Booking, second: Booking) {
  const a = await c.a.reserve();
  await a`begin`;
  const fromA = await bookAsService(a as unknown as Sql, first);
  // B's client has a single connection, so this is the backend that runs B's transaction.
  const [{ pid }] = await c.b`select pg_backend_pid() as pid`;
  const fromB = bookInTransaction(c.b, second);
  let settled = false;
  fromB.finally(() => settled = true).catch(() => {});
  await waitUntilBlocked(c.admin, pid);
  assert.equal(settled, false, "B must wait for A");
  return {
    fromA,
    finishA: async (how: "commit" | "rollback") => {
      await (how === "commit" ? a`commit` : a`rollback`);
      a.release();
      return await fromB;
    },
  };
}

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

Deno.test("same (call id, tool call id): when A rolls back, the waiting B performs the booking itself", async () => {
  await withClients(async (c) => {
    const same = booking(`${futureWeekday()}T12:00`);
    c.ids.push(same.callId);
    const { fromA, finishA } = await holdAThenStartB(c, same, same);
    assert.equal(fromA.reason, "booked");
    const fromB = await finishA("rollback");
    assert.equal(fromB.reason, "booked");
    assert.equal(fromB.replayed, false);
    const bookedId = JSON.parse(fromB.result!).appointment_id;
    assert.notEqual(bookedId, JSON.parse(fromA.result!).appointment_id, "A's appointment was rolled back");
    const rows = await activeRows(c.admin, [same.callId]);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].id, bookedId);
    // A later redelivery replays B's answer.
    const replay = await bookInTransaction(c.a, same);
    assert.equal(replay.replayed, true);
    assert.equal(replay.result, fromB.result);
  });
});
