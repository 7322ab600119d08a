// The RPC endpoint's schema cache (local-stack/rpc-database.ts): routines are looked up once, not per request, yet a
// function replaced or dropped while the gateway runs is followed without a restart.
import assert from "node:assert/strict";
import { adminSql, dbTest, dropFixturesAndClose, rpc, rpcDatabase, userToken } from "./_fixtures.ts";

const FN = "public.gw_test_cache_probe";

dbTest(
  "schema cache: one catalog lookup serves later requests; replaced or dropped functions are followed",
  async () => {
    const admin = adminSql();
    try {
      await admin.unsafe(`create or replace function ${FN}(p_a int) returns int language sql as $$ select p_a + 1 $$;
      grant execute on function ${FN}(int) to anon, service_role`);
      assert.deepEqual((await rpc("gw_test_cache_probe", { body: { p_a: 1 } })).body, 2);

      // Cached: five more calls, no catalog query.
      const before = rpcDatabase()!.catalogQueries;
      for (let i = 0; i < 5; i++) assert.equal((await rpc("gw_test_cache_probe", { body: { p_a: i } })).body, i + 1);
      assert.equal(rpcDatabase()!.catalogQueries, before, "five calls, no catalog query");

      // Replaced with another body and another parameter: found at once.
      await admin.unsafe(`drop function ${FN}(int);
      create function ${FN}(p_b text) returns text language sql as $$ select 'b:' || p_b $$;
      grant execute on function ${FN}(text) to anon, service_role`);
      const replaced = await rpc("gw_test_cache_probe", { body: { p_b: "x" } });
      assert.equal(replaced.status, 200);
      assert.equal(replaced.body, "b:x");

      // Dropped: the cached entry is not trusted (PostgreSQL's 42883 clears it), then PGRST202.
      await admin.unsafe(`drop function ${FN}(text)`);
      const gone = await rpc("gw_test_cache_probe", { body: { p_b: "x" } });
      assert.equal(gone.status, 404, `dropped → ${gone.status} ${JSON.stringify(gone.body)}`);
      const again = await rpc("gw_test_cache_probe", { body: { p_b: "x" } });
      assert.equal(again.status, 404);
      assert.equal((again.body as { code: string }).code, "PGRST202");
    } finally {
      await admin.unsafe(`drop function if exists ${FN}(int); drop function if exists ${FN}(text)`);
    }
  },
);

dbTest(
  "hoisted function settings: a function's own statement_timeout bounds the whole call, as PostgREST ≥ 12.2 does",
  async () => {
    const admin = adminSql();
    try {
      // A function-level SET applies only once the function runs, after its statement's timer was armed: PostgREST
      // hoists statement_timeout into the transaction so it bounds the call itself (and overrides anon's 3s).
      await admin.unsafe(`create or replace function public.gw_test_hoisted(p_sleep float8) returns text language sql
      volatile set statement_timeout = '300ms' as $$ select pg_sleep(p_sleep)::text || 'slept' $$;
      grant execute on function public.gw_test_hoisted(float8) to anon`);
      const began = performance.now();
      const slow = await rpc("gw_test_hoisted", { body: { p_sleep: 1.5 } });
      const ms = performance.now() - began;
      assert.equal((slow.body as { code: string }).code, "57014", JSON.stringify(slow.body));
      assert.ok(ms < 1200, `cancelled by the function's 300ms, not after the sleep (${Math.round(ms)} ms)`);
      assert.equal((await rpc("gw_test_hoisted", { body: { p_sleep: 0 } })).body, "slept", "a quick call is served");
    } finally {
      await admin.unsafe("drop function if exists public.gw_test_hoisted(float8)");
    }
  },
);

dbTest(
  "schema cache: each impersonated role gets its own `alter role … set` settings (bootstrap: 3s / 8s)",
  async () => {
    const admin = adminSql();
    try {
      await admin.unsafe(`create or replace function public.gw_test_timeout() returns text language sql stable as
      $$ select current_setting('statement_timeout') $$;
      grant execute on function public.gw_test_timeout() to anon, authenticated`);
      assert.equal((await rpc("gw_test_timeout", { body: {} })).body, "3s", "anon");
      assert.equal((await rpc("gw_test_timeout", { body: {}, token: await userToken("u-1") })).body, "8s");
      assert.equal((await rpc("gw_test_timeout", { body: {} })).body, "3s", "anon again, on a pooled connection");
    } finally {
      await admin.unsafe("drop function if exists public.gw_test_timeout()");
      await dropFixturesAndClose();
    }
  },
);
