// Two real connections calling resolve_org_and_book as service_role, each inside its own transaction, with
// transaction A held open while B runs: what pgTAP (one session) cannot show.
import assert from "node:assert/strict";
import postgres, { type Sql } from "postgres";
import { deleteCalls, HVAC, testDatabaseUrl } from "../e2e/_stack.ts";

export type RpcReturn = {
  ok: boolean;
  result: string | null;
  error: string | null;
  reason: string;
  organization_id: string | null;
  resolved_by: string | null;
  replayed: boolean;
};

export interface Booking {
  callId: string;
  toolCallId: string;
  start: string;
  /** HVAC's unless given. */
  assistant?: string;
  /** More tool arguments (service, staff_name, …). */
  args?: Record<string, unknown>;
}

export function booking(
  start: string,
  callId = `int-${crypto.randomUUID()}`,
  toolCallId = `tc-${crypto.randomUUID()}`,
  more: Pick<Booking, "assistant" | "args"> = {},
) {
  return { callId, toolCallId, start, ...more } satisfies Booking;
}

type ToolRpc = "resolve_org_and_book" | "resolve_org_and_check_availability" | "resolve_org_and_cancel";

/** A tool RPC exactly as the gateway calls it: role service_role for this transaction, named arguments. */
export async function toolCallAsService(
  tx: Sql,
  rpc: ToolRpc,
  assistant: string,
  callId: string,
  toolCallId: string,
  args: Record<string, unknown>,
): Promise<RpcReturn> {
  await tx`select set_config('role', 'service_role', true)`;
  const [row] = await tx.unsafe(
    `select public.${rpc}(p_assistant_id => $1, p_phone_number => null, p_vapi_call_id => $2, p_tool_call_id => $3,
                          p_arguments => $4::text::jsonb) as r`,
    [assistant, callId, toolCallId, JSON.stringify(args)],
  );
  return row.r as RpcReturn;
}

/** `b` booked through resolve_org_and_book in the caller's transaction. */
export function bookAsService(tx: Sql, b: Booking): Promise<RpcReturn> {
  const args = { start_time: b.start, customer_name: `Caller ${b.callId.slice(-4)}`, ...b.args };
  return toolCallAsService(tx, "resolve_org_and_book", b.assistant ?? HVAC.assistant, b.callId, b.toolCallId, args);
}

/** One RPC in its own committed transaction; `attempt` > 1 marks it the function's retry of a lost try. */
export function bookInTransaction(sql: Sql, b: Booking, attempt = 1): Promise<RpcReturn> {
  return sql.begin(async (tx) => {
    if (attempt > 1) {
      await tx`select set_config('request.headers', ${JSON.stringify({ "x-rpc-attempt": `${attempt}` })}, true)`;
    }
    return await bookAsService(tx as unknown as Sql, b);
  }) as Promise<RpcReturn>;
}

/** Another tool's RPC (check_availability, cancel, …) for HVAC in its own committed transaction. */
export function toolCallInTransaction(
  sql: Sql,
  rpc: Exclude<ToolRpc, "resolve_org_and_book">,
  callId: string,
  toolCallId: string,
  args: Record<string, unknown>,
): Promise<RpcReturn> {
  return sql.begin((tx) =>
    toolCallAsService(tx as unknown as Sql, rpc, HVAC.assistant, callId, toolCallId, args)
  ) as Promise<RpcReturn>;
}

/** Two single-connection clients (A, B), an admin pool, and cleanup of every call id used. */
export async function withClients(
  fn: (c: { a: Sql; b: Sql; admin: Sql; ids: string[] }) => Promise<void>,
): Promise<void> {
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
export async function waitUntilBlocked(admin: Sql, pid: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const [row] = await admin`select wait_event_type from pg_stat_activity where pid = ${pid}`;
    if (row?.wait_event_type === "Lock") return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`backend ${pid} never blocked on A's transaction`);
}

export async function activeRows(admin: Sql, callIds: string[]) {
  return await admin`select * from public.appointments
                     where vapi_call_id = any(${callIds}) and status in ('scheduled', 'confirmed')`;
}

export async function overlappingActivePairs(admin: Sql): Promise<number> {
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
export function holdAThenStartB(c: { a: Sql; b: Sql; admin: Sql }, first: Booking, second: Booking) {
  return holdAThen(c, (a) => bookAsService(a, first), (b) => bookInTransaction(b, second));
}

/** holdAThenStartB for any work: A's runs in the held transaction, B's on its single connection. */
export async function holdAThen(
  c: { a: Sql; b: Sql; admin: Sql },
  aWork: (a: Sql) => Promise<RpcReturn>,
  bWork: (b: Sql) => Promise<RpcReturn>,
) {
  const a = await c.a.reserve();
  await a`begin`;
  const fromA = await aWork(a as unknown as Sql);
  // B's client has a single connection, so this is the backend that runs B's transaction.
  const [{ pid }] = await c.b`select pg_backend_pid() as pid`;
  const fromB = bWork(c.b);
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
