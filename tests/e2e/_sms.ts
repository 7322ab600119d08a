// The SMS stack for tests: a fixture organization with texts enabled, the real notifications-dispatch, sms-inbound
// and vapi-webhook handlers behind the real local gateway (RPCs over PostgreSQL), and the Twilio stand-in in front of
// the spec-validated mock. Only the fixture organization has a Twilio account, so only its texts are ever claimed.
import type { Sql } from "postgres";
import { type RunningGateway, startGateway } from "../../local-stack/gateway.ts";
import { loadConfig } from "../../supabase/functions/_shared/config.ts";
import { getServiceTransport, type RpcTransport } from "../../supabase/functions/_shared/rpc.ts";
import { loadSmsConfig, type SmsConfig } from "../../supabase/functions/_shared/twilio_config.ts";
import { createDispatchHandler, type DispatchDeps } from "../../supabase/functions/notifications-dispatch/handler.ts";
import { createInboundHandler } from "../../supabase/functions/sms-inbound/handler.ts";
import { createEnvHandler } from "../../supabase/functions/vapi-webhook/handler.ts";
import { adminPool, SECRET, testDatabaseUrl } from "./_stack.ts";
import { OTHER_TENANT_ACCOUNT, startTwilioStandIn, TEST_ACCOUNT, type TwilioStandIn } from "./_twilio.ts";

export const DISPATCH_SECRET = `dispatch-${crypto.randomUUID()}`;
export const INBOUND_URL = "https://example.supabase.co/functions/v1/sms-inbound";

export interface SmsStack {
  org: { id: string; assistant: string; line: string };
  gateway: RunningGateway;
  twilio: TwilioStandIn;
  sql: Sql;
  rpc: RpcTransport;
  sms: SmsConfig;
  /** Dispatcher dependencies as the served function has them (for runs with a swapped part). */
  deps: DispatchDeps;
  logs: string[];
  /** POST /functions/v1/notifications-dispatch with the secret; the parsed JSON answer. */
  dispatch(): Promise<{ status: number; body: Record<string, number> }>;
  /** Appointments of the fixture organization (their texts are queued by the trigger); returns their ids. */
  book(phones: string[]): Promise<string[]>;
  texts(): Promise<Record<string, unknown>[]>;
  /** Makes every pending text of the fixture organization due now (instead of waiting out the backoff). */
  makeDue(): Promise<void>;
  /** Makes every unknown text of the fixture organization ready for reconciliation (instead of waiting 2 minutes). */
  makeReconcilable(): Promise<void>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function startSmsStack(): Promise<SmsStack> {
  const suffix = crypto.randomUUID().slice(0, 8);
  const line = `+1555019${String(Math.floor(Math.random() * 10000)).padStart(4, "0")}`;
  const sql = adminPool(4);
  const [{ id }] =
    await sql`insert into public.organizations (name, timezone) values ('Texting Test Co', 'America/New_York')
                             returning id`;
  const org = { id: id as string, assistant: `asst_sms_${suffix}`, line };
  await sql`insert into public.customer_configurations (organization_id, vapi_assistant_id, vapi_phone_number, sms_preferences)
            values (${org.id}, ${org.assistant}, ${line}, ${
    sql.json({ enabled: true, confirmation: true, reminder: true })
  })`;
  const twilio = startTwilioStandIn();
  const sms: SmsConfig = {
    ...loadSmsConfig(() => undefined),
    perOrganization: new Map([[org.id, TEST_ACCOUNT], [crypto.randomUUID(), OTHER_TENANT_ACCOUNT]]),
    apiBaseUrl: twilio.url,
    timeoutMs: 10_000,
  };
  const logs: string[] = [];
  let deps!: DispatchDeps;
  const gateway = await startGateway({
    databaseUrl: testDatabaseUrl(),
    port: 0,
    webhookSecret: SECRET,
    setProcessEnv: false,
    loadFunctions: (env) => {
      const rpc = getServiceTransport(loadConfig((n) => env[n]));
      deps = {
        dispatchSecret: DISPATCH_SECRET,
        sms,
        rpc,
        fetch: (i, init) => fetch(i, init),
        log: (l) => logs.push(l),
      };
      return Promise.resolve({
        "notifications-dispatch": createDispatchHandler(deps),
        "sms-inbound": createInboundHandler({ publicUrl: INBOUND_URL, sms, rpc, log: (l) => logs.push(l) }),
        "vapi-webhook": createEnvHandler(loadConfig((n) => env[n])),
      });
    },
  });
  const reset = async () => {
    await sql`delete from public.appointments where organization_id = ${org.id}`;
    await sql`delete from public.sms_opt_outs where organization_id = ${org.id}`;
    twilio.reset();
    logs.length = 0;
  };
  return {
    org,
    gateway,
    twilio,
    sql,
    rpc: deps.rpc,
    sms,
    deps,
    logs,
    dispatch: async () => {
      const res = await fetch(`${gateway.functionsUrl}/notifications-dispatch`, {
        method: "POST",
        headers: { authorization: `Bearer ${DISPATCH_SECRET}` },
      });
      return { status: res.status, body: await res.json() };
    },
    book: async (phones) => {
      const rows = await sql`
        insert into public.appointments (organization_id, start_time, end_time, customer_name, customer_phone)
        select ${org.id}, now() + interval '3 days' + p.n * interval '2 hours',
               now() + interval '3 days' + p.n * interval '2 hours' + interval '1 hour', 'Pat', p.phone
        from unnest(${sql.array(phones)}::text[]) with ordinality as p(phone, n)
        returning id`;
      return rows.map((r) => r.id as string);
    },
    texts: async () =>
      await sql`select n.* from public.notifications as n where n.organization_id = ${org.id} order by n.created_at, n.kind`,
    makeDue: async () => {
      await sql`update public.notifications set send_after = now() where organization_id = ${org.id} and status = 'pending'
                  and kind <> 'reminder'`;
    },
    makeReconcilable: async () => {
      await sql`update public.notifications set unknown_since = now() - interval '3 minutes'
                where organization_id = ${org.id} and status = 'unknown'`;
    },
    reset,
    close: async () => {
      await reset();
      await sql`delete from public.organizations where id = ${org.id}`;
      await gateway.close();
      await twilio.close();
      await sql.end({ timeout: 5 });
    },
  };
}

/** Deno.test options for tests sharing one SmsStack (the stack outlives each test). */
export const shared = { sanitizeOps: false, sanitizeResources: false } as const;

/** One lazily started SmsStack per test file, reset before each test; `close` registers the file's last test. */
export function smsSuite(): { test: (name: string, fn: (s: SmsStack) => Promise<void>) => void; close: () => void } {
  let stack: Promise<SmsStack> | undefined;
  return {
    test: (name, fn) =>
      Deno.test({
        name,
        ...shared,
        fn: async () => {
          const s = await (stack ??= startSmsStack());
          await s.reset();
          await fn(s);
        },
      }),
    close: () => Deno.test({ name: "(close the SMS stack)", ...shared, fn: async () => await (await stack)?.close() }),
  };
}
