// The RPC endpoint's transaction reaches PostgreSQL in ONE round trip (local-stack/pg-socket.ts), also when its
// settings pass 1 KiB — as a webhook RPC's headers do — counted on the wire by scripts/bench's relay.
import assert from "node:assert/strict";
import postgres from "postgres";
import { localKeys } from "../../local-stack/jwt.ts";
import { createRpcPool, handleRpc } from "../../local-stack/postgrest-rpc.ts";
import { countingRelay } from "../../scripts/lib/bench-roundtrips.ts";
import { testDatabaseUrl } from "./_fixtures.ts";

Deno.test("one round trip per RPC, with 2 KiB of request headers as with small ones", async () => {
  const { jwtSecret, serviceRoleKey } = await localKeys();
  const admin = postgres(testDatabaseUrl(), { max: 1, onnotice: () => {} });
  const url = new URL(testDatabaseUrl());
  const relay = countingRelay({ hostname: url.hostname, port: Number(url.port) });
  url.port = String(relay.port);
  const db = createRpcPool(url.href, 1);
  try {
    await admin.unsafe(`create or replace function public.gw_test_round_trip(p_n int) returns int language sql as
      $$ select p_n + 1 $$;
      grant execute on function public.gw_test_round_trip(int) to service_role`);
    const call = async (n: number, pad: number) => {
      const res = await handleRpc(
        new Request("http://localhost/rest/v1/rpc/gw_test_round_trip", {
          method: "POST",
          headers: { authorization: `Bearer ${serviceRoleKey}`, "x-pad": "p".repeat(pad) },
          body: JSON.stringify({ p_n: n }),
        }),
        { db, jwtSecret },
      );
      return `${res.status} ${await res.text()}`;
    };
    for (const pad of [0, 2048]) {
      for (let n = 0; n < 3; n++) assert.equal(await call(n, pad), `200 ${n + 1}`); // connection, cache, prepares
      relay.roundTrips = 0;
      for (let n = 0; n < 5; n++) assert.equal(await call(n, pad), `200 ${n + 1}`);
      assert.equal(relay.roundTrips, 5, `${pad} bytes of headers: round trips for 5 RPCs`);
    }
  } finally {
    await db.end(1);
    relay.close();
    await admin.unsafe("drop function if exists public.gw_test_round_trip(int)");
    await admin.end({ timeout: 1 });
  }
});
