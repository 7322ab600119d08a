// The RPC endpoint's connection worker (local-stack/rpc-database.ts) when the server goes away while a request still
// waits on a schema-cache lookup: nothing of that request reached a session, so its answer is PGRST000 (the function
// answers at once), never PGRST001 "outcome unknown" (the function must then wait until its deadline).
import assert from "node:assert/strict";
import net from "node:net";
import { localKeys } from "../../local-stack/jwt.ts";
import { createRpcPool, handleRpc } from "../../local-stack/postgrest-rpc.ts";

/** A TCP server that accepts connections and never answers: PostgreSQL stalled in its startup. */
async function silentServer(): Promise<{ port: number; refuseNew: () => void; close: () => void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    // The port refuses from now on (the probe's "gone"); accepted connections stay open and silent.
    refuseNew: () => void server.close(),
    close: () => sockets.forEach((socket) => socket.destroy()),
  };
}

Deno.test("connection worker: a request stuck in a schema-cache lookup when the server goes is PGRST000", async () => {
  const { jwtSecret, serviceRoleKey } = await localKeys();
  const server = await silentServer();
  const db = createRpcPool(`postgresql://postgres:postgres@127.0.0.1:${server.port}/postgres?sslmode=disable`, 2, {
    suspectAfterMs: 100,
    probeIntervalMs: 50,
  });
  try {
    const answer = handleRpc(
      new Request("http://localhost/rest/v1/rpc/gw_test_echo", {
        method: "POST",
        headers: { authorization: `Bearer ${serviceRoleKey}` },
        body: '{"p_x":1}',
      }),
      { db, jwtSecret },
    );
    await new Promise((resolve) => setTimeout(resolve, 150)); // the lookup waits on the silent server
    server.refuseNew();
    const started = performance.now();
    const res = await answer;
    const body = await res.json();
    assert.equal(res.status, 503);
    assert.equal(body.code, "PGRST000", `answered ${JSON.stringify(body)}`);
    // Probes every 50 ms: seconds, not the connect timeout (a loaded 2-core CI machine took 2 s once).
    assert.ok(performance.now() - started < 5000, "answered once the worker saw the server gone");
    assert.equal(db.isDown, true);
  } finally {
    server.close();
    await db.end(0);
  }
});
