// The database gives up before the function does (20261129130000_rpc_time_budget.sql): with `appointments` locked
// by another session for longer than the budget, a booking answers the spoken failure and NOTHING stays committed —
// not even after the lock is released — and a redelivery of the same tool call then books. Another tenant's
// lifecycle event is answered meanwhile.
import assert from "node:assert/strict";
import {
  adminPool,
  bookingArgs,
  fileStack,
  futureWeekday,
  HVAC,
  PLUMBING,
  post,
  rowsForCall,
  SPOKEN_RPC_FAILURE,
  statusUpdateMessage,
  toolCallsMessage,
} from "./_stack.ts";
import { DB_STATEMENT_BUDGET_MS } from "../../supabase/functions/_shared/budget.ts";
import { TOOL_RPCS } from "../../supabase/functions/_shared/tools.ts";

const { test, close } = fileStack();

/** Holds `lock table … in access exclusive mode` on a reserved connection until release() (or holdMs passes). */
async function holdTableLock(table: string, holdMs: number) {
  const holder = adminPool(1);
  const conn = await holder.reserve();
  await conn`begin`;
  await conn.unsafe(`lock table ${table} in access exclusive mode`);
  const timer = setTimeout(() => conn`rollback`.catch(() => {}), holdMs);
  return {
    release: async () => {
      clearTimeout(timer);
      await conn`rollback`.catch(() => {});
      conn.release();
      await holder.end({ timeout: 5 });
    },
  };
}

test("appointments locked 15 s by another session → spoken failure within the budget, nothing committed, redelivery books", async (s) => {
  const callId = s.newCallId();
  const body = toolCallsMessage({ callId, callAssistantId: HVAC.assistant }, [
    { id: "tc-budget", name: "book_appointment", args: bookingArgs(`${futureWeekday()}T10:00`) },
  ]);
  const lock = await holdTableLock("public.appointments", 15_000);
  let reply;
  const started = Date.now();
  try {
    reply = await post(s.webhookUrl, body);
  } finally {
    // Whatever the answer, let the held lock go only after it, so a late commit would be visible below.
    await new Promise((r) => setTimeout(r, 500));
    await lock.release();
  }
  const elapsed = Date.now() - started;
  assert.equal(reply.status, 200);
  assert.equal(reply.body.results[0].error, SPOKEN_RPC_FAILURE);
  // The database gave up first: lock_timeout (1 s) fires well before the function's own 8 s RPC timeout, which would
  // answer the same words but leave the transaction running.
  assert.ok(elapsed < 7_000, `answered after ${elapsed} ms`);

  // Give a (wrongly) still running transaction every chance to commit, then check that nothing landed.
  await new Promise((r) => setTimeout(r, 1_000));
  const after = await rowsForCall(s.sql, callId);
  assert.deepEqual(
    { appointments: after.appointments.length, ledger: after.ledger.length, callLogs: after.callLogs.length },
    { appointments: 0, ledger: 0, callLogs: 0 },
  );

  const redelivered = await post(s.webhookUrl, body);
  assert.equal(JSON.parse(redelivered.body.results[0].result).status, "booked");
  assert.equal((await rowsForCall(s.sql, callId)).appointments.length, 1);
});

test("deliveries of one booking sent while the first waits on a lock it then gives up on: one answer, nothing booked", async (s) => {
  // helper-97 #1: under a 1.5 s appointments lock the first delivery gave up at its 1 s lock wait (rolled back) and
  // the nine waiting for its key then booked — Vapi heard "couldn't reach" and "booked" for one tool call.
  const callId = s.newCallId();
  const body = toolCallsMessage({ callId, callAssistantId: HVAC.assistant }, [
    { id: "tc-together", name: "book_appointment", args: bookingArgs(`${futureWeekday()}T11:00`) },
  ]);
  const waitingOnKey = async () =>
    (await s.sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`)[0].n as number;
  const lock = await holdTableLock("public.appointments", 5_000);
  let first, rest, waited = 0;
  try {
    first = post(s.webhookUrl, body);
    let firstDone = false;
    first.finally(() => firstDone = true);
    await new Promise((r) => setTimeout(r, 200)); // the first is waiting on the table lock by now
    rest = Array.from({ length: 9 }, () => post(s.webhookUrl, body));
    while (!firstDone) { // how many were waiting for the first delivery when it gave up
      waited = Math.max(waited, await waitingOnKey());
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await lock.release();
  }
  const replies = [await first, ...await Promise.all(rest!)];
  assert.deepEqual(replies.map((r) => r.status), Array(10).fill(200));
  assert.equal(replies[0].body.results[0].error, SPOKEN_RPC_FAILURE, "the first gave up at its lock wait");
  assert.ok(waited >= 1, "at least one delivery waited for the first (the machine was too slow to tell)");
  // Every delivery that waited for the first answers as it did; one that arrived after it had ended is served afresh.
  const failed = replies.filter((r) => r.body.results[0].error === SPOKEN_RPC_FAILURE).length;
  assert.ok(
    failed >= 1 + waited,
    `${failed} failures, ${waited} waited: ${JSON.stringify(replies.map((r) => r.body))}`,
  );
  const booked = (await rowsForCall(s.sql, callId)).appointments.length;
  assert.equal(booked, failed === 10 ? 0 : 1);
});

test("a booking waits at most the budget on a held appointments lock; another tenant's status-update is answered meanwhile", async (s) => {
  const hvacCall = s.newCallId();
  const plumbingCall = s.newCallId();
  const lock = await holdTableLock("public.appointments", 15_000);
  try {
    const booking = post(
      s.webhookUrl,
      toolCallsMessage({ callId: hvacCall, callAssistantId: HVAC.assistant }, [
        { id: "tc-held", name: "book_appointment", args: bookingArgs(`${futureWeekday()}T13:00`) },
      ]),
    );
    const started = Date.now();
    const status = await post(
      s.webhookUrl,
      statusUpdateMessage({ callId: plumbingCall, callAssistantId: PLUMBING.assistant }, "in-progress"),
    );
    assert.equal(status.status, 200);
    assert.ok(Date.now() - started < 3_000, "the other tenant's event is not stuck behind the lock");
    const [row] = await s.sql`select organization_id from public.call_logs where vapi_call_id = ${plumbingCall}`;
    assert.equal(row.organization_id, PLUMBING.id);
    assert.equal((await booking).body.results[0].error, SPOKEN_RPC_FAILURE);
  } finally {
    await lock.release();
  }
  assert.equal((await rowsForCall(s.sql, hvacCall)).appointments.length, 0);
});

test("an RPC whose x-rpc-deadline has passed commits nothing (through the gateway, as PostgREST passes headers)", async (s) => {
  const rpc = (callId: string, deadline: number) =>
    fetch(`${s.gateway.url}/rest/v1/rpc/resolve_org_and_book`, {
      method: "POST",
      headers: {
        apikey: s.gateway.keys.serviceRoleKey,
        authorization: `Bearer ${s.gateway.keys.serviceRoleKey}`,
        "content-type": "application/json",
        "x-rpc-deadline": String(deadline),
      },
      body: JSON.stringify({
        p_assistant_id: HVAC.assistant,
        p_vapi_call_id: callId,
        p_tool_call_id: "tc-deadline",
        p_arguments: bookingArgs(`${futureWeekday()}T09:00`),
      }),
    });
  const late = s.newCallId();
  const refused = await rpc(late, Date.now() - 1);
  assert.notEqual(refused.status, 200, await refused.text());
  assert.deepEqual(Object.values(await rowsForCall(s.sql, late)).map((rows) => rows.length), [0, 0, 0]);

  const inTime = s.newCallId();
  const accepted = await rpc(inTime, Date.now() + 10_000);
  assert.equal((await accepted.json()).reason, "booked");
  assert.equal((await rowsForCall(s.sql, inTime)).appointments.length, 1);
});

test("every RPC the function calls carries the database budget the function assumes", async (s) => {
  const names = [...Object.values(TOOL_RPCS), "record_call_event", "route_assistant_request", "transfer_destination"];
  const rows = await s.sql`
    select p.proname as name, p.proconfig as config from pg_proc p
    where p.pronamespace = 'public'::regnamespace and p.proname = any(${names})`;
  assert.deepEqual([...new Set(rows.map((r) => r.name))].sort(), [...names].sort(), "every RPC exists");
  for (const row of rows) {
    assert.ok(
      row.config?.includes(`statement_timeout=${DB_STATEMENT_BUDGET_MS / 1000}s`),
      `${row.name}: ${row.config}`,
    );
    assert.ok(row.config?.includes("lock_timeout=1s"), `${row.name}: ${row.config}`);
  }
});

close();
