// The per-organization calendar lock waits briefly (20261129130100_calendar_lock_bounded_wait.sql): a storm for one
// slot is decided quickly ("taken", never a timeout), and a calendar held by one organization never delays another.
import assert from "node:assert/strict";
import postgres, { type Sql } from "postgres";
import { deleteCalls, futureWeekday, HVAC, PLUMBING, testDatabaseUrl } from "../e2e/_stack.ts";

async function book(sql: Sql, assistant: string, start: string, callId: string) {
  const began = performance.now();
  const reason = await sql.begin(async (tx) => {
    await tx`select set_config('role', 'service_role', true)`;
    const [row] =
      await tx`select public.resolve_org_and_book(p_assistant_id => ${assistant}, p_vapi_call_id => ${callId},
      p_tool_call_id => 'tc-1', p_arguments => ${
        JSON.stringify({ start_time: start, customer_name: "Lock" })
      }::text::jsonb
    ) ->> 'reason' as reason`;
    return row.reason as string;
  });
  return { reason, ms: performance.now() - began };
}

async function withPool(max: number, fn: (sql: Sql, ids: string[]) => Promise<void>) {
  const sql = postgres(testDatabaseUrl(), { max, onnotice: () => {} });
  const ids: string[] = [];
  try {
    await fn(sql, ids);
  } finally {
    await deleteCalls(sql, ids);
    await sql.end({ timeout: 5 });
  }
}

Deno.test("40 callers for one slot over 10 connections → one booked, 39 told taken (none times out)", async () => {
  await withPool(10, async (sql, ids) => {
    const start = `${futureWeekday()}T10:00`;
    const replies = await Promise.all(Array.from({ length: 40 }, (_, i) => {
      ids.push(`lock-storm-${i}-${crypto.randomUUID()}`);
      return book(sql, HVAC.assistant, start, ids[i]);
    }));
    const reasons = replies.map((r) => r.reason);
    assert.equal(reasons.filter((r) => r === "booked").length, 1);
    assert.equal(reasons.filter((r) => r === "slot_taken").length, 39);
  });
});

Deno.test("HVAC's calendar lock held by another session: HVAC books after the short wait, Plumbing does not wait", async () => {
  await withPool(3, async (sql, ids) => {
    const holder = await sql.reserve();
    try {
      await holder`select pg_advisory_lock(hashtextextended('appointments:' || ${HVAC.id}, 0))`;
      ids.push(`lock-held-${crypto.randomUUID()}`, `lock-other-${crypto.randomUUID()}`);
      const [hvac, plumbing] = await Promise.all([
        book(sql, HVAC.assistant, `${futureWeekday()}T11:00`, ids[0]),
        book(sql, PLUMBING.assistant, `${futureWeekday()}T11:00`, ids[1]),
      ]);
      assert.equal(hvac.reason, "booked", "the exclusion constraint decides once the wait is over");
      assert.ok(hvac.ms >= 400, `HVAC waited ${hvac.ms} ms for the held lock first`);
      assert.equal(plumbing.reason, "booked");
      assert.ok(plumbing.ms < hvac.ms, `Plumbing (${plumbing.ms} ms) is not queued behind HVAC's calendar`);
    } finally {
      await holder`select pg_advisory_unlock_all()`;
      holder.release();
    }
  });
});
