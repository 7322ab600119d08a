// The RPC endpoint's pool (local-stack/rpc-database.ts): more simultaneous requests than connections, on a fresh
// pool, are all served — each request reserves a connection for its one pipelined transaction and gives it back — and
// a pool whose connections were closed opens new ones.
import assert from "node:assert/strict";
import postgres from "postgres";
import { localKeys } from "../../local-stack/jwt.ts";
import { createRpcPool, handleRpc } from "../../local-stack/postgrest-rpc.ts";
import { testDatabaseUrl } from "./_fixtures.ts";

Deno.test("pool: 12 simultaneous RPCs on 3 connections are all answered; closed connections are reopened", async () => {
  const { jwtSecret, serviceRoleKey } = await localKeys();
  const admin = postgres(testDatabaseUrl(), { max: 1, onnotice: () => {} });
  const db = createRpcPool(testDatabaseUrl(), 3, { acquireTimeoutMs: 5000 });
  try {
    await admin.unsafe(`create or replace function public.gw_test_pool_sleep() returns int language sql as
      $$ select 1 from pg_catalog.pg_sleep(0.05) $$;
      grant execute on function public.gw_test_pool_sleep() to service_role`);
    const call = async () => {
      const res = await handleRpc(
        new Request("http://localhost/rest/v1/rpc/gw_test_pool_sleep", {
          method: "POST",
          headers: { authorization: `Bearer ${serviceRoleKey}` },
          body: "{}",
        }),
        { db, jwtSecret },
      );
      return `${res.status} ${await res.text()}`;
    };
    const answers = await Promise.all(Array.from({ length: 12 }, call));
    assert.deepEqual(answers, Array(12).fill("200 1"));

    // Its connections closed behind its back (idle, so no request sees an error): the next request opens a new one.
    await admin`select pg_terminate_backend(pid) from pg_stat_activity
                 where application_name = 'local-stack-postgrest' and pid <> pg_backend_pid()`;
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(await call(), "200 1");
  } finally {
    await db.end(1);
    await admin.unsafe("drop function if exists public.gw_test_pool_sleep()");
    await admin.end({ timeout: 1 });
  }
});
