// The calendar-feed end-to-end stack: the real local gateway serving the real calendar-feed and vapi-webhook
// handlers over a real PostgreSQL, two fixture organizations of its own (so other suites' bookings never show up in
// these feeds), and helpers to fetch a feed and read it back with ical.js.
import type { Sql } from "postgres";
import { type RunningGateway, startGateway } from "../../local-stack/gateway.ts";
import { loadConfig } from "../../supabase/functions/_shared/config.ts";
import { createEnvFeedHandler } from "../../supabase/functions/calendar-feed/handler.ts";
import { createEnvHandler } from "../../supabase/functions/vapi-webhook/handler.ts";
import { parseCalendar } from "../unit/_calendar_feed.ts";
import { adminPool, post, SECRET, testDatabaseUrl, toolCallsMessage, zoneOffsetMinutes } from "./_stack.ts";

export interface FeedOrg {
  id: string;
  assistant: string;
  timezone: string;
  /** Two staff members, or none (an organization without staff behaves as one calendar). */
  staff: string[];
}

export interface FeedStack {
  gateway: RunningGateway;
  sql: Sql;
  a: FeedOrg;
  b: FeedOrg;
  /** Without staff: the phone assistant books it like any one-calendar organization. */
  c: FeedOrg;
  feedUrl(token: string): string;
  close(): Promise<void>;
}

async function createOrg(sql: Sql, name: string, timezone: string, withStaff = true): Promise<FeedOrg> {
  const id = crypto.randomUUID();
  const assistant = `asst_feed_${id}`;
  await sql`insert into public.organizations (id, name, timezone) values (${id}, ${name}, ${timezone})`;
  await sql`insert into public.customer_configurations (organization_id, vapi_assistant_id, primary_language)
            values (${id}, ${assistant}, 'en')`;
  await sql`insert into public.business_hours (organization_id, weekday, opens_at, closes_at)
            select ${id}, d, '07:00', '20:00' from generate_series(0, 6) as d`;
  if (!withStaff) return { id, assistant, timezone, staff: [] };
  const staff = await sql`insert into public.staff_members (organization_id, name)
                          values (${id}, 'Sam Tech'), (${id}, 'Kim Tech') returning id`;
  return { id, assistant, timezone, staff: staff.map((row) => row.id) };
}

async function dropOrgs(sql: Sql, ids: string[]): Promise<void> {
  await sql`update public.appointments set rescheduled_from = null where organization_id = any(${ids})`;
  await sql`delete from public.appointments where organization_id = any(${ids})`;
  await sql`delete from public.tool_call_executions where organization_id = any(${ids})`;
  await sql`delete from public.call_logs where organization_id = any(${ids})`;
  await sql`delete from public.organizations where id = any(${ids})`;
}

export async function startFeedStack(): Promise<FeedStack> {
  const sql = adminPool();
  const a = await createOrg(sql, 'Feed E2E, "Heating"; Cooling', "America/New_York");
  const b = await createOrg(sql, "Feed E2E Other", "Europe/Madrid");
  const c = await createOrg(sql, "Feed E2E Phone", "America/New_York", false);
  const gateway = await startGateway({
    databaseUrl: testDatabaseUrl(),
    port: 0,
    webhookSecret: SECRET,
    setProcessEnv: false,
    loadFunctions: (env) => {
      const config = loadConfig((n) => env[n]);
      return Promise.resolve({
        "vapi-webhook": createEnvHandler(config),
        "calendar-feed": createEnvFeedHandler(config),
      });
    },
  });
  return {
    gateway,
    sql,
    a,
    b,
    c,
    feedUrl: (token) => `${gateway.functionsUrl}/calendar-feed/${token}.ics`,
    close: async () => {
      await dropOrgs(sql, [a.id, b.id, c.id]);
      await gateway.close();
      await sql.end({ timeout: 5 });
    },
  };
}

export async function createFeed(sql: Sql, orgId: string, staffId: string | null = null): Promise<string> {
  const [row] = await sql`select public.create_calendar_feed(${orgId}, ${staffId}) as token`;
  return row.token;
}

/** One tool call through the real webhook; the parsed result (throws on a per-call error). */
export async function callTool(
  s: FeedStack,
  org: FeedOrg,
  callId: string,
  name: string,
  args: Record<string, unknown>,
  // deno-lint-ignore no-explicit-any
): Promise<any> {
  const reply = await post(
    `${s.gateway.functionsUrl}/vapi-webhook`,
    toolCallsMessage({ callId, callAssistantId: org.assistant }, [{ name, args }]),
  );
  const [entry] = reply.body.results;
  if (!entry.result) throw new Error(`${name} failed: ${entry.error}`);
  return JSON.parse(entry.result);
}

export async function fetchFeed(url: string, headers: HeadersInit = {}) {
  const res = await fetch(url, { headers });
  const body = await res.text();
  return { res, body, ...(res.status === 200 ? parseCalendar(body) : { calendar: null, events: [], byUid: () => [] }) };
}

/** Days (YYYY-MM-DD) two days before and after the next change of the zone's UTC offset, at least 3 days ahead. */
export function aroundNextDstChange(timeZone: string): [string, string] {
  const offsetAtNoon = (ms: number) => zoneOffsetMinutes(timeZone, new Date(ms));
  const day = 86_400_000;
  let ms = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 3, 12);
  for (let i = 0; i < 366; i++, ms += day) {
    if (offsetAtNoon(ms + day) !== offsetAtNoon(ms)) {
      return [new Date(ms - day).toISOString().slice(0, 10), new Date(ms + 3 * day).toISOString().slice(0, 10)];
    }
  }
  throw new Error(`${timeZone} has no offset change within a year`);
}
