// Every file in tests/hostile/cases/ is one hostile or malformed request, posted through the real handler, the local
// gateway and PostgreSQL. Each must get its expected status and reply, and write nothing but what the case allows
// (counted in every public table, so tables added later are covered).
import assert from "node:assert/strict";
import { startGateway } from "../../local-stack/gateway.ts";
import { loadConfig } from "../../supabase/functions/_shared/config.ts";
import { MAX_BODY_BYTES } from "../../supabase/functions/_shared/http.ts";
import { createEnvHandler } from "../../supabase/functions/vapi-webhook/handler.ts";
import { adminPool, futureWeekday, HVAC, PLUMBING, SECRET, testDatabaseUrl } from "../e2e/_stack.ts";
import { caseRequests, checkReply, CONTRACT_BODY_BOUND, type Expectation, type HostileCase } from "./_cases.ts";

const HMAC_SECRET = `hostile-hmac-${crypto.randomUUID()}`;
const casesDir = new URL("./cases/", import.meta.url);
const files = [...Deno.readDirSync(casesDir)].map((e) => e.name).filter((n) => n.endsWith(".json")).sort();

Deno.test("tests/hostile holds at least 100 cases", () => {
  assert.ok(files.length >= 100, `${files.length} cases`);
});

const day = futureWeekday();
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
const VARS: Record<string, string> = {
  day,
  past: yesterday,
  hvacAssistant: HVAC.assistant,
  hvacLine: HVAC.line,
  plumbingAssistant: PLUMBING.assistant,
  plumbingLine: PLUMBING.line,
};

let stack: Promise<{ url: string; close: () => Promise<void> }> | undefined;
function getStack() {
  return stack ??= (async () => {
    const gateway = await startGateway({
      databaseUrl: testDatabaseUrl(),
      port: 0,
      webhookSecret: SECRET,
      setProcessEnv: false,
      loadFunctions: (env) => {
        const config = loadConfig((n) => n === "VAPI_WEBHOOK_HMAC_SECRET" ? HMAC_SECRET : env[n]);
        return Promise.resolve({ "vapi-webhook": createEnvHandler(config) });
      },
    });
    return { url: `${gateway.functionsUrl}/vapi-webhook`, close: () => gateway.close() };
  })();
}

const sql = adminPool();
// Row counts of every public table, read from the catalog at each call.
async function tableCounts(): Promise<Record<string, number>> {
  const tables = await sql<{ name: string }[]>`
    select c.relname as name from pg_class c
    where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') order by 1`;
  const query = tables.map((t) => `select '${t.name}' as name, count(*)::int as n from public."${t.name}"`)
    .join(" union all ");
  const rows = await sql.unsafe<{ name: string; n: number }[]>(query);
  return Object.fromEntries(rows.map((r) => [r.name, r.n]));
}

/** Removes what a case wrote under its call id, including ids the case padded after it. */
async function deleteCallsLike(callId: string) {
  const like = `${callId}%`;
  await sql`update public.appointments set rescheduled_from = null where vapi_call_id like ${like}`;
  await sql`delete from public.appointments where vapi_call_id like ${like}`;
  await sql`delete from public.tool_call_executions where vapi_call_id like ${like}`;
  await sql`delete from public.call_logs where vapi_call_id like ${like}`;
}

function delta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of Object.keys(after)) {
    const d = after[name] - (before[name] ?? 0);
    if (d !== 0) out[name] = d;
  }
  return out;
}

for (const file of files) {
  const c: HostileCase = JSON.parse(Deno.readTextFileSync(new URL(file, casesDir)));
  // Bodies around the size bound follow the contract (16 MiB); they run once the function enforces that bound.
  const waitsForBound = c.generate?.startsWith("size:") && MAX_BODY_BYTES !== CONTRACT_BODY_BOUND;
  Deno.test({
    name: `hostile ${file}: ${c.why}${waitsForBound ? " (ignored until the function's bound is 16 MiB)" : ""}`,
    ignore: waitsForBound,
    sanitizeOps: false,
    sanitizeResources: false,
    fn: async () => {
      const { url } = await getStack();
      const callId = `hostile-${crypto.randomUUID()}`;
      const ctx = { secret: SECRET, hmacSecret: HMAC_SECRET, callId, vars: VARS };
      const before = await tableCounts();
      try {
        const replies = [];
        let met = c.expect as Expectation;
        for (const r of await caseRequests(c, ctx, Date.now())) {
          const res = await fetch(url, { method: c.method ?? "POST", headers: r.headers, body: r.body });
          const text = await res.text();
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON: checked as text
          }
          met = checkReply(c, res.status, body);
          replies.push(body);
        }
        if (replies.length === 2) assert.deepEqual(replies[1], replies[0], "a replayed request gets the same reply");
        assert.deepEqual(delta(before, await tableCounts()), met.writes ?? {}, "rows written");
      } finally {
        await deleteCallsLike(callId);
      }
    },
  });
}

Deno.test({
  name: "(close the hostile stack)",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    if (stack) await (await stack).close();
    await sql.end({ timeout: 5 });
  },
});
