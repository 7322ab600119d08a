// End-to-end stack shared by tests/e2e and tests/integration: the real vapi-webhook handler served by the real local
// gateway (PostgREST-compatible RPC over a real PostgreSQL), a superuser SQL pool to check what landed in the
// database, future-date helpers that never hand out the same day twice in one process, and Vapi message builders.
import postgres, { type Sql } from "postgres";
import { type RunningGateway, startGateway } from "../../local-stack/gateway.ts";
import { loadConfig } from "../../supabase/functions/_shared/config.ts";
import { createEnvHandler } from "../../supabase/functions/vapi-webhook/handler.ts";
import { testDatabaseUrl } from "../_database.ts";

export * from "./_dates.ts";
export * from "./_vapi.ts";

export const SECRET = `e2e-secret-${crypto.randomUUID()}`;

export const HVAC = {
  id: "d91e4aa4-914a-4d76-b5b7-2ee26e09b2a2",
  assistant: "asst_hvac_company_assistant",
  line: "+15550100001",
  timezone: "America/New_York",
} as const;
export const PLUMBING = {
  id: "6d593c7a-b00f-47be-8f77-cc4d1231f706",
  assistant: "asst_plumbing_company_assistant",
  line: "+15550100002",
  timezone: "America/Los_Angeles",
} as const;
export type Tenant = typeof HVAC | typeof PLUMBING;

export const ORG_NOT_FOUND = "Organization not found for this assistant";
export const SPOKEN_RPC_FAILURE = "I couldn't reach the booking system, please try again.";

export { testDatabaseUrl };

/** A superuser pool (the `postgres` role of TEST_DATABASE_URL). */
export function adminPool(max = 2): Sql {
  return postgres(testDatabaseUrl(), { max, onnotice: () => {} });
}

/** Starts a gateway serving the real handler, configured only from the gateway's function environment. */
export function startWebhookGateway(databaseUrl: string, port = 0): Promise<RunningGateway> {
  return startGateway({
    databaseUrl,
    port,
    webhookSecret: SECRET,
    setProcessEnv: false,
    loadFunctions: (env) => Promise.resolve({ "vapi-webhook": createEnvHandler(loadConfig((n) => env[n])) }),
  });
}

// Every stack gateway of this process binds the same port, so they all share one URL: getServiceTransport() in
// supabase/functions/_shared/rpc.ts caches the first service client of the process (first SUPABASE_URL and key) and
// ignores the config of later createEnvHandler() handlers (database_down.test.ts shows it).
let sharedPort = 0;

export interface Stack {
  gateway: RunningGateway;
  webhookUrl: string;
  sql: Sql;
  /** A fresh Vapi call id, deleted (appointments, ledger, call log) by cleanup(). */
  newCallId(): string;
  cleanup(): Promise<void>;
  close(): Promise<void>;
}

/** A webhook gateway on this process' shared port (picked by the first one). */
export async function startSharedGateway(databaseUrl: string): Promise<RunningGateway> {
  const gateway = await startWebhookGateway(databaseUrl, sharedPort);
  sharedPort = Number(new URL(gateway.url).port);
  return gateway;
}

export async function startStack(): Promise<Stack> {
  const gateway = await startSharedGateway(testDatabaseUrl());
  const sql = adminPool();
  const ids: string[] = [];
  const cleanup = async () => {
    const batch = ids.splice(0);
    if (batch.length) await deleteCalls(sql, batch);
  };
  return {
    gateway,
    webhookUrl: `${gateway.functionsUrl}/vapi-webhook`,
    sql,
    newCallId: () => {
      const id = `e2e-${crypto.randomUUID()}`;
      ids.push(id);
      return id;
    },
    cleanup,
    close: async () => {
      await cleanup();
      await gateway.close();
      await sql.end({ timeout: 5 });
    },
  };
}

export async function deleteCalls(sql: Sql, callIds: string[]): Promise<void> {
  await sql`update public.appointments set rescheduled_from = null where vapi_call_id = any(${callIds})`;
  await sql`delete from public.appointments where vapi_call_id = any(${callIds})`;
  await sql`delete from public.tool_call_executions where vapi_call_id = any(${callIds})`;
  await sql`delete from public.call_logs where vapi_call_id = any(${callIds})`;
}

/**
 * One lazily started stack per test file, closed by the file's last test (`closeFileStack`). Tests of a file share
 * the gateway and the pool, so Deno's per-test sanitizers are off for them.
 */
export function fileStack(): { test: (name: string, fn: (s: Stack) => Promise<void>) => void; close: () => void } {
  let stack: Promise<Stack> | undefined;
  const get = () => stack ??= startStack();
  return {
    test: (name, fn) =>
      Deno.test({
        name,
        sanitizeOps: false,
        sanitizeResources: false,
        fn: async () => {
          const s = await get();
          try {
            await fn(s);
          } finally {
            await s.cleanup();
          }
        },
      }),
    close: () =>
      Deno.test({
        name: "(close the stack)",
        sanitizeOps: false,
        sanitizeResources: false,
        fn: async () => {
          if (stack) await (await stack).close();
          stack = undefined;
        },
      }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------------------------------

export interface Reply {
  status: number;
  // deno-lint-ignore no-explicit-any
  body: any;
}

export async function post(url: string, body: unknown, headers: HeadersInit = { "x-vapi-secret": SECRET }) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...Object.fromEntries(new Headers(headers)) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // left as text
  }
  return { status: res.status, body: parsed } as Reply;
}

// ---------------------------------------------------------------------------------------------------------------
// Database checks
// ---------------------------------------------------------------------------------------------------------------

export async function counts(sql: Sql): Promise<Record<string, number>> {
  const [row] = await sql`
    select (select count(*) from public.appointments)::int as appointments,
           (select count(*) from public.call_logs)::int as call_logs,
           (select count(*) from public.tool_call_executions)::int as tool_call_executions`;
  return { ...row };
}

export async function rowsForCall(sql: Sql, callId: string) {
  const appointments = await sql`select * from public.appointments where vapi_call_id = ${callId} order by created_at`;
  const callLogs = await sql`select * from public.call_logs where vapi_call_id = ${callId}`;
  const ledger = await sql`select * from public.tool_call_executions where vapi_call_id = ${callId}`;
  return { appointments, callLogs, ledger };
}

/** Runs `fn` while collecting the handler's JSON log lines (it runs in this process and logs with console.log). */
export async function captureLogLines<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; lines: Record<string, unknown>[] }> {
  const lines: Record<string, unknown>[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].startsWith("{")) {
      try {
        lines.push(JSON.parse(args[0]));
      } catch {
        // not a log line
      }
    }
    original(...args);
  };
  try {
    return { value: await fn(), lines };
  } finally {
    console.log = original;
  }
}
