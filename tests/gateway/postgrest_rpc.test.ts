// The PostgREST-compatible RPC endpoint on its own (handleRpc, no server) against a real database: PostgREST's
// argument mapping, roles and claims, transaction modes, error JSON and status codes.
import assert from "node:assert/strict";
import { localKeys, signJwt } from "../../local-stack/jwt.ts";
import postgres from "postgres";
import { createRpcPool, handleRpc } from "../../local-stack/postgrest-rpc.ts";
import { adminSql, dbTest, dropFixturesAndClose, rpc, testDatabaseUrl, userToken } from "./_fixtures.ts";

const { serviceRoleKey, anonKey, jwtSecret } = await localKeys();

dbTest("rpc: named JSON arguments, defaults, JSON result with PostgREST's content type", async () => {
  const res = await rpc("gw_test_echo", { body: { p_x: 41 } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "application/json; charset=utf-8");
  assert.deepEqual(res.body, { x: 41, label: "none" });
  const given = await rpc("gw_test_echo", { body: { p_x: "7", p_label: "seven" } });
  assert.deepEqual(given.body, { x: 7, label: "seven" });
});

dbTest("rpc: GET passes query parameters as arguments", async () => {
  const res = await rpc("gw_test_echo?p_x=3&p_label=q", { method: "GET" });
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { x: 3, label: "q" });
});

dbTest("rpc: missing function or wrong argument names → 404 PGRST202", async () => {
  const missing = await rpc("gw_test_does_not_exist", { body: {} });
  assert.equal(missing.status, 404);
  assert.equal((missing.body as { code: string }).code, "PGRST202");
  const wrongArgs = await rpc("gw_test_echo", { body: { p_y: 1 } });
  assert.equal(wrongArgs.status, 404);
  assert.deepEqual(Object.keys(wrongArgs.body as object).sort(), ["code", "details", "hint", "message"]);
  assert.match((wrongArgs.body as { message: string }).message, /public\.gw_test_echo\(p_y\)/);
  const missingRequired = await rpc("gw_test_echo", { body: { p_label: "no p_x" } });
  assert.equal(missingRequired.status, 404);
});

dbTest("rpc: RAISE EXCEPTION → 400 with code P0001, message, details and hint", async () => {
  const res = await rpc("gw_test_raise", { token: serviceRoleKey });
  assert.equal(res.status, 400);
  assert.deepEqual(res.body, { code: "P0001", message: "gw test failure", details: "some detail", hint: "some hint" });
});

dbTest("rpc: custom SQLSTATE PTxyz → HTTP xyz", async () => {
  const res = await rpc("gw_test_payment_required");
  assert.equal(res.status, 402);
  assert.deepEqual(res.body, {
    code: "PT402",
    message: "Payment Required",
    details: "Quota exceeded",
    hint: "Upgrade",
  });
});

dbTest("rpc: a stable function runs read-only → writing fails 405 / 25006", async () => {
  const res = await rpc("gw_test_stable_insert", { token: serviceRoleKey });
  assert.equal(res.status, 405);
  assert.equal((res.body as { code: string }).code, "25006");
});

dbTest("rpc: GET runs read-only even for a volatile function", async () => {
  const res = await rpc("gw_test_insert?p_id=900&p_label=via-get", { method: "GET", token: serviceRoleKey });
  assert.equal(res.status, 405);
  assert.equal((res.body as { code: string }).code, "25006");
});

dbTest("rpc: EXECUTE granted only to service_role → anon 401, authenticated 403, service_role 200", async () => {
  const anon = await rpc("gw_test_service_only", { token: anonKey });
  assert.equal(anon.status, 401);
  assert.equal((anon.body as { code: string }).code, "42501");
  assert.equal(anon.headers.get("www-authenticate"), "Bearer");
  const noToken = await rpc("gw_test_service_only");
  assert.equal(noToken.status, 401);
  const user = await rpc("gw_test_service_only", { token: await userToken(crypto.randomUUID()) });
  assert.equal(user.status, 403);
  assert.equal((user.body as { code: string }).code, "42501");
  const service = await rpc("gw_test_service_only", { token: serviceRoleKey });
  assert.equal(service.status, 200);
  assert.equal(service.body, "secret");
});

dbTest("rpc: role, request.jwt.claims, auth.uid(), request.* GUCs and search_path are set", async () => {
  const sub = crypto.randomUUID();
  const res = await rpc("gw_test_whoami", { token: await userToken(sub), headers: { "x-test": "hello" } });
  assert.equal(res.status, 200);
  const who = res.body as Record<string, unknown>;
  assert.equal(who.current_user, "authenticated");
  assert.equal(who.uid, sub);
  assert.equal((who.claims as { sub: string }).sub, sub);
  assert.equal(who.method, "POST");
  assert.equal(who.path, "/rpc/gw_test_whoami");
  assert.equal(who.x_test, "hello");
  assert.equal(who.search_path, '"public", "extensions"');
  assert.equal(who.read_only, "on");
});

dbTest(
  "rpc: no JWT → anon with claims {role: anon}; the apikey header is used when there is no Authorization",
  async () => {
    const anon = await rpc("gw_test_whoami");
    assert.deepEqual((anon.body as { claims: unknown }).claims, { role: "anon" });
    assert.equal((anon.body as { current_user: string }).current_user, "anon");
    const viaApikey = await rpc("gw_test_whoami", { headers: { apikey: serviceRoleKey } });
    assert.equal((viaApikey.body as { current_user: string }).current_user, "service_role");
  },
);

dbTest("rpc: bad signature or expired JWT → 401 PGRST301; unknown role → 401", async () => {
  const [header, payload] = serviceRoleKey.split(".");
  const forged = await rpc("gw_test_whoami", { token: `${header}.${payload}.${anonKey.split(".")[2]}` });
  assert.equal(forged.status, 401);
  assert.deepEqual(forged.body, {
    code: "PGRST301",
    message: "JWT cryptographic operation failed",
    details: null,
    hint: null,
  });
  assert.match(forged.headers.get("www-authenticate") ?? "", /^Bearer error="invalid_token"/);
  const expired = await signJwt({ role: "service_role", exp: Math.floor(Date.now() / 1000) - 3600 }, jwtSecret);
  const expiredRes = await rpc("gw_test_whoami", { token: expired });
  assert.equal(expiredRes.status, 401);
  assert.equal((expiredRes.body as { message: string }).message, "JWT expired");
  const unknownRole = await rpc("gw_test_whoami", { token: await userToken(crypto.randomUUID(), "gw_no_such_role") });
  assert.equal(unknownRole.status, 401);
  assert.equal((unknownRole.body as { code: string }).code, "22023");
});

dbTest("rpc: a signed JWT naming a role authenticator cannot become (postgres) → 403 42501, nothing runs", async () => {
  for (const role of ["postgres", "pg_read_all_data"]) {
    const token = await signJwt({ role, exp: Math.floor(Date.now() / 1000) + 60 }, jwtSecret);
    const res = await rpc("gw_test_whoami", { token });
    assert.equal(res.status, 403, role);
    assert.deepEqual(res.body, {
      code: "42501",
      message: `permission denied to set role "${role}"`,
      details: null,
      hint: null,
    });
  }
  const served = await rpc("gw_test_whoami", { token: serviceRoleKey });
  assert.equal((served.body as { current_user: string }).current_user, "service_role");
  // A role created after the endpoint cached the roles is checked too.
  await adminSql().unsafe(`drop role if exists gw_test_late_role; create role gw_test_late_role;
    grant execute on function public.gw_test_whoami() to gw_test_late_role`); // only the role check may refuse it
  try {
    const late = await signJwt({ role: "gw_test_late_role", exp: Math.floor(Date.now() / 1000) + 60 }, jwtSecret);
    const refused = await rpc("gw_test_whoami", { token: late });
    assert.equal(refused.status, 403);
    assert.equal((refused.body as { message: string }).message, 'permission denied to set role "gw_test_late_role"');
  } finally {
    await adminSql().unsafe("drop owned by gw_test_late_role; drop role gw_test_late_role");
  }
});

dbTest("rpc: unique violation → 409 23505", async () => {
  const first = await rpc("gw_test_insert", { token: serviceRoleKey, body: { p_id: 1, p_label: "one" } });
  assert.equal(first.status, 200);
  assert.equal(first.body, 1);
  const duplicate = await rpc("gw_test_insert", { token: serviceRoleKey, body: { p_id: 2, p_label: "one" } });
  assert.equal(duplicate.status, 409);
  assert.equal((duplicate.body as { code: string }).code, "23505");
});

dbTest("rpc: one transaction per request → an error rolls back what the function wrote", async () => {
  const res = await rpc("gw_test_insert_then_raise", { token: serviceRoleKey, body: { p_id: 77 } });
  assert.equal(res.status, 400);
  const [{ count }] = await adminSql()`select count(*)::int as count from public.gw_test_items where id = 77`;
  assert.equal(count, 0);
});

dbTest("rpc: setof → array with Content-Range; single-object Accept → object or 406 PGRST116", async () => {
  await rpc("gw_test_insert", { token: serviceRoleKey, body: { p_id: 10, p_label: "ten" } });
  const list = await rpc("gw_test_items_list", { token: serviceRoleKey, headers: { prefer: "count=exact" } });
  assert.equal(list.status, 200);
  assert.ok(Array.isArray(list.body));
  const rows = list.body as { id: number; label: string }[];
  assert.deepEqual(rows.find((row) => row.id === 10), { id: 10, label: "ten" });
  assert.equal(list.headers.get("content-range"), `0-${rows.length - 1}/${rows.length}`);
  const single = await rpc("gw_test_items_list", {
    token: serviceRoleKey,
    headers: { accept: "application/vnd.pgrst.object+json" },
  });
  assert.equal(single.status, rows.length === 1 ? 200 : 406);
  if (rows.length !== 1) assert.equal((single.body as { code: string }).code, "PGRST116");
});

dbTest("rpc: a single unnamed jsonb parameter receives the whole body", async () => {
  const res = await rpc("gw_test_whole_body", { body: { anything: [1, "two"] } });
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { anything: [1, "two"] });
});

dbTest("rpc: overloads with the same argument names → 300 PGRST203", async () => {
  const res = await rpc("gw_test_overloaded", { body: { p_a: 1 } });
  assert.equal(res.status, 300);
  assert.equal((res.body as { code: string }).code, "PGRST203");
});

dbTest("rpc: request errors: invalid JSON 400 PGRST102, PUT 405 PGRST101, unexposed schema 406 PGRST106", async () => {
  const invalid = await rpc("gw_test_echo", { body: "{not json" });
  assert.equal(invalid.status, 400);
  assert.equal((invalid.body as { code: string }).code, "PGRST102");
  const put = await rpc("gw_test_echo", { method: "PUT" });
  assert.equal(put.status, 405);
  assert.equal((put.body as { code: string }).code, "PGRST101");
  const schema = await rpc("gw_test_echo", { body: { p_x: 1 }, headers: { "content-profile": "auth" } });
  assert.equal(schema.status, 406);
  assert.equal((schema.body as { code: string }).code, "PGRST106");
});

dbTest("rpc: database unreachable → 503 PGRST000", async () => {
  const db = createRpcPool("postgresql://postgres@127.0.0.1:59997/postgres", 1);
  try {
    const res = await handleRpc(new Request("http://localhost/rest/v1/rpc/x", { method: "POST", body: "{}" }), {
      db,
      jwtSecret,
    });
    assert.equal(res.status, 503);
    assert.equal((await res.json()).code, "PGRST000");
  } finally {
    await db.end(1);
  }
});

dbTest("rpc: fixtures are dropped and leave nothing behind", async () => {
  await dropFixturesAndClose();
  const check = postgres(testDatabaseUrl(), { max: 1 });
  try {
    const left = await check`select count(*)::int as n from pg_proc where proname like 'gw\\_test\\_%'`;
    const tables = await check`select to_regclass('public.gw_test_items') is null as gone`;
    assert.equal(left[0].n, 0);
    assert.equal(tables[0].gone, true);
  } finally {
    await check.end({ timeout: 1 });
  }
});
