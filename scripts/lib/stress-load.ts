/**
 * scripts/stress mixed load: 50 organizations, each with several concurrent calls that use every tool and lifecycle
 * event (colliding on purpose), then the SQL invariants that must hold whatever the interleaving.
 */
import postgres, { type Sql } from "postgres";
import {
  dbUrl,
  event,
  firstResult,
  HVAC,
  nextSlot,
  nextWeekday,
  pool,
  post,
  record,
  type Reply,
  stats,
  toolCalls,
} from "./stress-kit.ts";

const assistantOf = (i: number) => `asst_stress_${i}`;
const lineOf = (i: number) => `+1555030${String(i).padStart(4, "0")}`;
const humanOf = (i: number) => `+1555040${String(i).padStart(4, "0")}`;

/**
 * Organizations with an active configuration (line, human to transfer to, English and Spanish) and weekday hours
 * 08:00–18:00 (idempotent). Every organization books up to ten years ahead: each scenario takes fresh days.
 */
export async function seedOrganizations(sql: Sql, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const [org] = await sql`
      insert into public.organizations (name, timezone)
      select ${`Stress Org ${i}`}, 'America/Chicago'
      where not exists (select 1 from public.customer_configurations where vapi_assistant_id = ${assistantOf(i)})
      returning id`;
    if (!org) continue;
    await sql`insert into public.customer_configurations (organization_id, vapi_assistant_id, vapi_phone_number,
                transfer_phone_number, primary_language, secondary_languages)
              values (${org.id}, ${assistantOf(i)}, ${lineOf(i)}, ${humanOf(i)}, 'en', array['es'])`;
    await sql`insert into public.business_hours (organization_id, weekday, opens_at, closes_at)
              select ${org.id}, d, '08:00', '18:00' from generate_series(1, 5) as d`;
  }
  await sql`update public.organizations set max_advance_days = 3650`;
}

export interface ToolReply {
  callId: string;
  toolCallId: string;
  /** The tool, or the message type of an answer checked in place (`routed` tells whether it was the right one). */
  tool: string;
  reply: Reply;
  routed?: boolean;
}

/**
 * One call of one organization: assistant-request → status → availability → book → language change → reschedule →
 * cancel (every other) → transfer → ended → report. Non-tool answers are checked here (tool ones by `invariants`).
 */
async function call(org: number, callNo: number, day: string, run: string): Promise<ToolReply[]> {
  const assistant = assistantOf(org);
  const callId = `${run}-o${org}-c${callNo}`;
  const out: ToolReply[] = [];
  const tool = async (toolCallId: string, name: string, args: Record<string, unknown>) => {
    const reply = await post(toolCalls(assistant, callId, [{ id: toolCallId, name, args }]));
    out.push({ callId, toolCallId, tool: name, reply });
    return firstResult(reply);
  };
  const answer = async (type: string, body: unknown, right: (reply: Reply) => boolean) => {
    const reply = await post(body);
    out.push({ callId, toolCallId: "", tool: type, reply, routed: right(reply) });
  };
  await answer(
    "assistant-request",
    { message: { type: "assistant-request", call: { id: callId }, phoneNumber: { number: lineOf(org) } } },
    (r) => r.body?.assistantId === assistant,
  );
  await post(event(assistant, callId, "status-update", { status: "in-progress" }));
  await tool("tc-avail", "check_availability", { date: day });
  // Four calls per organization share two start times: collisions are part of the load.
  const booked = await tool("tc-book", "book_appointment", {
    start_time: `${day}T${callNo % 2 ? "10:00" : "10:30"}`,
    customer_name: `Caller ${callNo}`,
    customer_phone: `+1555020${String(org).padStart(2, "0")}${callNo}`,
  });
  await post(event(assistant, callId, "language-change-detected", { language: callNo % 2 ? "es" : "en" }));
  const appointmentId = booked.json?.appointment_id;
  if (appointmentId) {
    await tool("tc-move", "reschedule_appointment", {
      appointment_id: appointmentId,
      new_start_time: `${day}T${12 + (callNo % 3)}:00`,
    });
    if (callNo % 2) await tool("tc-cancel", "cancel_appointment", { appointment_id: appointmentId });
  }
  await answer(
    "transfer-destination-request",
    event(assistant, callId, "transfer-destination-request"),
    (r) => r.body?.destination?.number === humanOf(org),
  );
  await post(event(assistant, callId, "status-update", { status: "ended" }));
  await post(event(assistant, callId, "end-of-call-report", { endedReason: "customer-ended-call", summary: "ok" }));
  return out;
}

export async function mixedLoad(run: string): Promise<ToolReply[]> {
  const day = nextWeekday();
  const jobs = Array.from({ length: 50 * 4 }, (_, i) => ({ org: i % 50, callNo: Math.floor(i / 50) }));
  return (await pool(jobs, 25, (j) => call(j.org, j.callNo, day, run))).flat();
}

/** [scenario, figure, bound, pass] for the table. */
export async function invariants(sql: Sql, all: ToolReply[]): Promise<[string, string, string, boolean]> {
  const others = all.filter((r) => r.routed !== undefined);
  const misrouted = others.filter((r) => r.reply.status !== 200 || !r.routed).length;
  const replies = all.filter((r) => r.routed === undefined);
  const booked = replies.filter((r) => r.tool === "book_appointment" && firstResult(r.reply).ok).length;
  const failures = replies.filter((r) => !firstResult(r.reply).ok);
  const spokenFailures = replies.filter((r) => /couldn't reach/.test(firstResult(r.reply).text)).length;
  const failedKeys = failures.filter((r) => r.tool === "book_appointment").map((r) => `${r.callId}/${r.toolCallId}`);
  const [row] = await sql`
    select
      -- Per calendar (a staff member's, or the organization's one when none), buffers included.
      (select count(*)::int from public.appointments x join public.appointments y
         on x.organization_id = y.organization_id and x.staff_member_id is not distinct from y.staff_member_id
        and x.id < y.id and x.blocked_during && y.blocked_during
       where x.is_active and y.is_active) as overlaps,
      (select count(*)::int from public.appointments a where a.tool_call_id is not null and not exists (
         select 1 from public.tool_call_executions e
          where e.vapi_call_id = a.vapi_call_id and e.tool_call_id = a.tool_call_id
            and e.organization_id = a.organization_id)) as appointments_without_ledger,
      (select count(*)::int from public.tool_call_executions e
        where e.response ->> 'reason' in ('booked', 'already_booked', 'rescheduled') and not exists (
          select 1 from public.appointments a
           where a.id::text = (e.response ->> 'result')::jsonb ->> 'appointment_id')) as ledger_without_appointment,
      (select count(*)::int from public.tool_call_executions where response is null) as partial,
      (select count(*)::int from public.appointments a
        where a.vapi_call_id || '/' || a.tool_call_id = any(${failedKeys})) as behind_failure`;
  const answered = replies.filter((r) => r.reply.status === 200).length;
  const bad = row.overlaps + row.appointments_without_ledger + row.ledger_without_appointment + row.partial +
    row.behind_failure;
  return [
    `mixed load, 50 orgs (${replies.length} tool calls)`,
    `${answered}/${replies.length} answered, ${booked} booked, ${spokenFailures} "couldn't reach"; ` +
    `${others.length - misrouted}/${others.length} routed/transferred right; overlaps ${row.overlaps}, ` +
    `ledger gaps ${row.appointments_without_ledger}+${row.ledger_without_appointment}, partial ${row.partial}, ` +
    `booked behind failure ${row.behind_failure}; ${stats(replies.map((r) => r.reply.ms))}`,
    "all answered, >= 1 booked per org, 0 failures, invariants 0",
    answered === replies.length && booked >= 50 && misrouted === 0 && spokenFailures === 0 && bad === 0,
  ];
}

/** Bookings answered with a failure but committed (ghosts), answered "booked" but absent (lost), unfinished rows. */
export async function ghostsAndLosses(sql: Sql, replies: { id: string; reply: Reply }[]) {
  const failed = replies.filter((r) => !firstResult(r.reply).ok).map((r) => r.id);
  const booked = replies.filter((r) => firstResult(r.reply).ok).map((r) => r.id);
  const [row] = await sql`
    select (select count(*)::int from public.appointments where vapi_call_id = any(${failed})) as ghosts,
           ${booked.length}::int - (select count(*)::int from public.appointments where vapi_call_id = any(${booked}))
             as lost,
           (select count(*)::int from public.tool_call_executions where response is null) as partial`;
  return row as { ghosts: number; lost: number; partial: number };
}

/**
 * Ghosts of a crash: bookings answered with a failure yet committed. One whose transaction began before the kill had
 * its commit durable and its answer cut by the kill — no one can tell the caller otherwise at that moment; the ledger
 * makes it recoverable, so a redelivery of the same tool call must answer "booked". Any other ghost is a bug.
 */
export async function crashGhosts(sql: Sql, replies: { id: string; reply: Reply; body: unknown }[], killedAt: Date) {
  const failed = replies.filter((r) => !firstResult(r.reply).ok);
  const rows = await sql<{ id: string; before: boolean }[]>`
    select vapi_call_id as id, created_at <= ${killedAt} as before from public.appointments
     where vapi_call_id = any(${failed.map((r) => r.id)})`;
  let confirmed = 0;
  for (const row of rows) {
    const redelivered = await post(failed.find((r) => r.id === row.id)!.body);
    if (firstResult(redelivered).ok) confirmed++;
  }
  return { atKill: rows.filter((r) => r.before).length, confirmed };
}

/**
 * The database's share alone: 200 RPCs for one slot straight into PostgreSQL over 20 connections (no gateway). The
 * connections are warmed first, as PostgREST's pool is: a fresh backend compiles the plpgsql tool functions once
 * (~80 ms), which is not what losing a race costs.
 */
export async function databaseRace(callId: () => string): Promise<void> {
  const direct = postgres(dbUrl(), { max: 20, onnotice: () => {} });
  const book = (start: string) =>
    direct.begin(async (tx) => {
      await tx`select set_config('role', 'service_role', true)`;
      return await tx`select public.resolve_org_and_book(p_assistant_id => ${HVAC.assistant},
        p_vapi_call_id => ${callId()}, p_tool_call_id => 'tc-1',
        p_arguments => ${
        JSON.stringify({ start_time: start, customer_name: "Stress" })
      }::text::jsonb) ->> 'reason' as r`;
    }).then(([row]) => row.r as string, (err) => `error ${err.code}`);
  try {
    const warm = nextSlot();
    await book(warm);
    await Promise.all(Array.from({ length: 20 }, () => book(warm)));
    const start = nextSlot();
    const times: number[] = [];
    const reasons = await Promise.all(Array.from({ length: 200 }, async () => {
      const began = performance.now();
      const reason = await book(start);
      times.push(performance.now() - began);
      return reason;
    }));
    const count = (r: string) => reasons.filter((x) => x === r).length;
    record(
      "same-slot race in SQL (200/20 conn)",
      `${count("booked")} booked, ${count("slot_taken")} taken, ${200 - count("booked") - count("slot_taken")} other; ${
        stats(times)
      }`,
      "1 booked, 199 taken, each < 2 s",
      count("booked") === 1 && count("slot_taken") === 199 && times.every((t) => t < 2000),
    );
  } finally {
    await direct.end({ timeout: 5 });
  }
}
