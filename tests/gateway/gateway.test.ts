// The gateway served on an ephemeral port: routing, the function's environment, and real supabase-js `.rpc()`
// calls, proving the RPC endpoint understands exactly what supabase-js sends.
import assert from "node:assert/strict";
import { createClient } from "@supabase/supabase-js";
import { createGateway, loggablePath, type RunningGateway, startGateway } from "../../local-stack/gateway.ts";
import { dbTest, dropFixturesAndClose, fixtures, testDatabaseUrl } from "./_fixtures.ts";

const seen: { url: string; method: string; body: string }[] = [];
// Stand-in for supabase/functions/vapi-webhook/handler.ts: same signature, records what it receives.
async function standInHandler(req: Request): Promise<Response> {
  seen.push({ url: req.url, method: req.method, body: await req.text() });
  if (new URL(req.url).pathname.endsWith("/boom")) throw new Error("stand-in failure");
  return Response.json({ ok: true, supabaseUrl: Deno.env.get("SUPABASE_URL") });
}

let gateway: RunningGateway | undefined;
async function running(): Promise<RunningGateway> {
  await fixtures();
  return gateway ??= await startGateway({
    port: 0,
    databaseUrl: testDatabaseUrl(),
    webhookSecret: "gateway-test-secret",
    loadFunctions: async (env) => {
      assert.equal(Deno.env.get("SUPABASE_URL"), env.SUPABASE_URL, "env is set before handlers load");
      return await Promise.resolve({ "vapi-webhook": standInHandler });
    },
  });
}

function serviceClient(gw: RunningGateway) {
  return createClient(gw.url, gw.keys.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
}

dbTest("gateway: /functions/v1/<name> reaches the handler with the path hosted Supabase gives it", async () => {
  const gw = await running();
  const res = await fetch(`${gw.functionsUrl}/vapi-webhook?x=1`, { method: "POST", body: '{"message":{}}' });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { ok: true, supabaseUrl: gw.url });
  const last = seen.at(-1)!;
  assert.equal(new URL(last.url).pathname, "/vapi-webhook");
  assert.equal(new URL(last.url).search, "?x=1");
  assert.equal(last.method, "POST");
  assert.equal(last.body, '{"message":{}}');
});

dbTest("gateway: the function environment matches `supabase functions serve`", async () => {
  const gw = await running();
  assert.equal(Deno.env.get("SUPABASE_URL"), gw.url);
  assert.equal(Deno.env.get("SUPABASE_SERVICE_ROLE_KEY"), gw.keys.serviceRoleKey);
  assert.equal(Deno.env.get("SUPABASE_ANON_KEY"), gw.keys.anonKey);
  assert.deepEqual(JSON.parse(Deno.env.get("SUPABASE_SECRET_KEYS")!), { default: gw.keys.serviceRoleKey });
  assert.equal(Deno.env.get("SUPABASE_DB_URL"), testDatabaseUrl());
  assert.equal(Deno.env.get("VAPI_WEBHOOK_SECRET"), "gateway-test-secret");
});

dbTest("gateway: unknown function → 404 NOT_FOUND, other paths → 404 JSON, a throwing handler → 500", async () => {
  const gw = await running();
  const unknown = await fetch(`${gw.functionsUrl}/nope`);
  assert.equal(unknown.status, 404);
  assert.equal((await unknown.json()).code, "NOT_FOUND");
  const other = await fetch(`${gw.url}/rest/v1/gw_test_items`);
  assert.equal(other.status, 404);
  assert.match(other.headers.get("content-type") ?? "", /application\/json/);
  await other.body?.cancel();
  const boom = await fetch(`${gw.functionsUrl}/vapi-webhook/boom`);
  assert.equal(boom.status, 500);
  assert.equal((await boom.json()).code, "WORKER_ERROR");
});

dbTest(
  "gateway: TRACE (a method no Request can carry) → 405, not a 500 from the function call (helper-41)",
  async () => {
    const gw = await running();
    const before = seen.length;
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: Number(new URL(gw.url).port) });
    await conn.write(
      new TextEncoder().encode("TRACE /functions/v1/vapi-webhook HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
    );
    let reply = "";
    const buf = new Uint8Array(4096);
    for (let n = await conn.read(buf); n !== null; n = await conn.read(buf)) {
      reply += new TextDecoder().decode(
        buf.subarray(0, n),
      );
    }
    conn.close();
    assert.match(reply, /^HTTP\/1\.1 405 /, reply);
    assert.match(reply, /METHOD_NOT_ALLOWED/);
    assert.equal(seen.length, before, "the function is not called");
  },
);

Deno.test("gateway: the access log shows no feed token however the path is written (helper-44)", () => {
  const token = "t0R-U9KFzE9nBBZEjTbngGpvWbToZU8FC-x7eZH90BI"; // as create_calendar_feed makes them: 43 characters
  for (
    const path of [
      `/functions/v1/calendar-feed/${token}.ics`,
      `//functions/v1/calendar-feed/${token}.ics`,
      `/functions/v1//calendar-feed/${token}.ics`,
      `/functions/v1/calendar-feed%2F${token}.ics`,
      `/functions/v1/calendar-feed%2f${token}.ics`,
      `/${token}.ics`,
      `/a/b/c/d/${token}.ics`,
    ]
  ) assert.ok(!loggablePath(path).includes(token.slice(4, 12)), `${path} → ${loggablePath(path)}`);
  assert.equal(loggablePath("/functions/v1/vapi-webhook"), "/functions/v1/vapi-webhook");
  // A phone number as a made-up function or RPC name is masked like any log value (helper-53).
  assert.equal(loggablePath("/functions/v1/5557654321"), "/functions/v1/55•••21");
  assert.equal(loggablePath("/rest/v1/rpc/555-765-4321"), "/rest/v1/rpc/55•••21");
  assert.equal(loggablePath("/functions/v1/calendar-feed/x.ics"), "/functions/v1/calendar-feed/•••");
  assert.equal(loggablePath("/rest/v1/rpc/resolve_org_and_book"), "/rest/v1/rpc/resolve_org_and_book");
});

dbTest("gateway: supabase-js .rpc() with the service key → data", async () => {
  const gw = await running();
  const { data, error, status } = await serviceClient(gw).rpc("gw_test_echo", { p_x: 5, p_label: "five" });
  assert.equal(error, null);
  assert.equal(status, 200);
  assert.deepEqual(data, { x: 5, label: "five" });
  const who = await serviceClient(gw).rpc("gw_test_whoami");
  assert.equal((who.data as { current_user: string }).current_user, "service_role");
});

dbTest("gateway: supabase-js .rpc() errors carry PostgREST's code, message, details, hint and status", async () => {
  const gw = await running();
  const raised = await serviceClient(gw).rpc("gw_test_raise");
  assert.equal(raised.status, 400);
  assert.equal(raised.data, null);
  assert.equal(raised.error?.code, "P0001");
  assert.equal(raised.error?.message, "gw test failure");
  assert.equal(raised.error?.details, "some detail");
  assert.equal(raised.error?.hint, "some hint");
  const missing = await serviceClient(gw).rpc("gw_test_echo", { p_nope: 1 });
  assert.equal(missing.status, 404);
  assert.equal(missing.error?.code, "PGRST202");
  const duplicate = await serviceClient(gw).rpc("gw_test_insert", { p_id: 5001, p_label: "dup" });
  assert.equal(duplicate.error, null);
  const again = await serviceClient(gw).rpc("gw_test_insert", { p_id: 5002, p_label: "dup" });
  assert.equal(again.status, 409);
  assert.equal(again.error?.code, "23505");
});

dbTest(
  "gateway: supabase-js with the anon key is anon (401 on service-only RPC); a wrong key is 401 PGRST301",
  async () => {
    const gw = await running();
    const anon = createClient(gw.url, gw.keys.anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
    const denied = await anon.rpc("gw_test_service_only");
    assert.equal(denied.status, 401);
    assert.equal(denied.error?.code, "42501");
    const forged = createClient(gw.url, gw.keys.anonKey.slice(0, -4) + "AAAA", {
      auth: { persistSession: false, autoRefreshToken: false },
    });
    const rejected = await forged.rpc("gw_test_echo", { p_x: 1 });
    assert.equal(rejected.status, 401);
    assert.equal(rejected.error?.code, "PGRST301");
  },
);

dbTest("gateway: supabase-js .rpc() on a set-returning function → array; .single() on many rows → 406", async () => {
  const gw = await running();
  await serviceClient(gw).rpc("gw_test_insert", { p_id: 6001, p_label: "list-me" });
  await serviceClient(gw).rpc("gw_test_insert", { p_id: 6002, p_label: "list-me-too" });
  const list = await serviceClient(gw).rpc("gw_test_items_list");
  assert.equal(list.error, null);
  assert.ok(Array.isArray(list.data));
  assert.ok(list.data.some((row: { id: number }) => row.id === 6001));
  const single = await serviceClient(gw).rpc("gw_test_items_list").single();
  assert.equal(single.status, 406);
  assert.equal(single.error?.code, "PGRST116");
  // Filters on RPC results are not emulated: refused loudly rather than ignored.
  const filtered = await serviceClient(gw).rpc("gw_test_items_list").eq("id", 6001);
  assert.equal(filtered.status, 400);
  assert.equal(filtered.error?.code, "PGRST127");
});

Deno.test("gateway: createGateway routes to the given handlers without a server or database", async () => {
  const route = createGateway({
    functions: { hello: (req) => new Response(new URL(req.url).pathname) },
    rpc: (req) => Promise.resolve(new Response(`rpc ${new URL(req.url).pathname}`)),
  });
  assert.equal(await (await route(new Request("http://gw/functions/v1/hello/a/b"))).text(), "/hello/a/b");
  assert.equal(await (await route(new Request("http://gw/rest/v1/rpc/fn"))).text(), "rpc /rest/v1/rpc/fn");
  assert.equal((await route(new Request("http://gw/functions/v1/toString"))).status, 404);
});

dbTest("gateway: a taken port is reported as AddrInUse; close() stops serving", async () => {
  const gw = await running();
  const port = Number(new URL(gw.url).port);
  await assert.rejects(
    startGateway({ port, databaseUrl: testDatabaseUrl(), setProcessEnv: false }),
    Deno.errors.AddrInUse,
  );
  await gw.close();
  await gw.close();
  gateway = undefined;
  await assert.rejects(fetch(`${gw.functionsUrl}/vapi-webhook`));
  await dropFixturesAndClose();
});
