// Cancel and reschedule find "my appointment" by the caller's number and follow a move (rescheduled_from). When the
// other tool is moving or cancelling that same appointment in an open transaction, the lookup waits for it and then
// follows what it did — it never answers "I could not find that appointment" for a booking that still exists.
import assert from "node:assert/strict";
import type { Sql } from "postgres";
import { futureWeekday } from "../e2e/_dates.ts";
import { freshCallerNumber, HVAC } from "../e2e/_stack.ts";
import { activeRows, type RpcReturn, waitUntilBlocked, withClients } from "./_two_clients.ts";

type Tool = "book" | "cancel" | "reschedule";

/** A tool RPC as the gateway calls it (service_role), for HVAC, with the caller's number from the call. */
async function tool(tx: Sql, name: Tool, callId: string, phone: string, args: Record<string, unknown>) {
  await tx`select set_config('role', 'service_role', true)`;
  const fn = `resolve_org_and_${name}`;
  const [row] = await tx`
    select public.${tx(fn)}(p_assistant_id => ${HVAC.assistant}, p_vapi_call_id => ${callId},
      p_tool_call_id => ${`tc-${crypto.randomUUID()}`}, p_arguments => ${JSON.stringify(args)}::text::jsonb,
      p_caller_phone => ${phone}) as r`;
  return row.r as RpcReturn;
}

/** Books one appointment for a fresh caller, then runs `first` in an open transaction and `second` behind it. */
async function race(first: [Tool, Record<string, unknown>], second: [Tool, Record<string, unknown>]) {
  let out: { second: RpcReturn; active: Record<string, unknown>[] } | undefined;
  await withClients(async ({ a, b, admin, ids }) => {
    const callId = `race-caller-${crypto.randomUUID()}`;
    ids.push(callId);
    const phone = freshCallerNumber();
    const booked = await a.begin((tx) =>
      tool(tx as unknown as Sql, "book", callId, phone, { start_time: `${day}T09:00`, customer_name: "Race Caller" })
    );
    assert.equal(booked.reason, "booked", JSON.stringify(booked));
    const held = await a.reserve();
    await held`begin`;
    const fromA = await tool(held as unknown as Sql, first[0], callId, phone, first[1]);
    assert.equal(fromA.ok, true, JSON.stringify(fromA));
    const [{ pid }] = await b`select pg_backend_pid() as pid`;
    const fromB = b.begin((tx) => tool(tx as unknown as Sql, second[0], callId, phone, second[1]));
    await waitUntilBlocked(admin, pid);
    await held`commit`;
    held.release();
    out = { second: await fromB, active: await activeRows(admin, [callId]) };
  });
  return out!;
}

const day = futureWeekday();

Deno.test("cancel 'my appointment' while it is being moved: the cancel follows the move and cancels the new time", async () => {
  const { second, active } = await race(["reschedule", { new_start_time: `${day}T14:00` }], ["cancel", {}]);
  assert.equal(second.reason, "cancelled", JSON.stringify(second));
  assert.equal(active.length, 0, "no appointment is left active");
});

Deno.test("move 'my appointment' while it is being cancelled: told it is no longer active, not that it was not found", async () => {
  const { second, active } = await race(["cancel", {}], ["reschedule", { new_start_time: `${day}T15:00` }]);
  assert.equal(second.ok, false);
  assert.match(second.error ?? "", /no longer active/, JSON.stringify(second));
  assert.equal(active.length, 0, "nothing was moved back to life");
});
