/**
 * scripts/bench: round trips to PostgreSQL per tool call, counted on the wire rather than inferred from statements.
 * A relay between a gateway of its own and PostgreSQL counts a round trip each time the client speaks again after an
 * answer reached it. The relay delivers each answer a few milliseconds late, as a network would: a client that
 * pipelines has sent everything before the first answer arrives (its writes may be split: postgres.js writes at
 * 1 KiB), while one that waits for an answer cannot have.
 */
import { createHandler } from "../../supabase/functions/vapi-webhook/handler.ts";
import { loadConfig } from "../../supabase/functions/_shared/config.ts";
import { lazyServiceTransport, type RpcTransport } from "../../supabase/functions/_shared/rpc.ts";
import { startGateway } from "../../local-stack/gateway.ts";

export const ANSWER_DELAY_MS = 5;

export interface Relay {
  port: number;
  roundTrips: number;
  close(): void;
}

async function writeAll(to: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let sent = 0; sent < bytes.length;) sent += await to.write(bytes.subarray(sent));
}

/** A relay on 127.0.0.1 (`port`) to `target` that counts round trips (see the header). */
export function countingRelay(target: { hostname: string; port: number }): Relay {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const open = new Set<Deno.TcpConn>();
  const relay: Relay = {
    port: listener.addr.port,
    roundTrips: 0,
    close() {
      listener.close();
      for (const conn of open) conn.close();
    },
  };
  const serve = async (client: Deno.TcpConn) => {
    const server = await Deno.connect(target);
    // Small answers go out at once: with Nagle's algorithm on, the second one waits for an ACK the client delays.
    for (const conn of [client, server]) conn.setNoDelay(true);
    open.add(client).add(server);
    let lastSpoke: "client" | "server" | undefined;
    // Answers are delivered in order, each ANSWER_DELAY_MS after it left PostgreSQL (a network's latency, not a
    // queue: a second answer read meanwhile is not held up twice).
    let delivered = Promise.resolve();
    const pump = async (from: Deno.TcpConn, to: Deno.TcpConn, side: "client" | "server") => {
      const buffer = new Uint8Array(64 * 1024);
      try {
        for (let n = await from.read(buffer); n !== null; n = await from.read(buffer)) {
          if (side === "client") {
            if (lastSpoke !== "client") relay.roundTrips++;
            lastSpoke = side;
            await writeAll(to, buffer.subarray(0, n));
            continue;
          }
          const answer = buffer.slice(0, n), due = performance.now() + ANSWER_DELAY_MS;
          delivered = delivered.then(async () => {
            await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
            await writeAll(to, answer);
            lastSpoke = side;
          });
        }
        await delivered;
      } catch { /* the other side closed */ }
      for (const conn of [from, to]) {
        if (open.delete(conn)) conn.close();
      }
    };
    await Promise.all([pump(client, server, "client"), pump(server, client, "server")]);
  };
  (async () => {
    try {
      for await (const client of listener) serve(client).catch(() => client.close());
    } catch { /* closed */ }
  })();
  return relay;
}

/**
 * Runs `work(api)` against a gateway of its own (the real webhook handler, its log lines dropped) whose connections
 * to `dbUrl` pass through the counting relay; `warmUp(api)` first, uncounted (connections, schema cache, plans).
 * `transport` may wrap the handler's RPC transport (the peer-style function's data access). Resolves to the round
 * trips `work` made and what it returned.
 */
export async function countRoundTrips<T>(
  dbUrl: string,
  secret: string,
  warmUp: (api: string) => Promise<unknown>,
  work: (api: string) => Promise<T>,
  transport: (rpc: RpcTransport) => RpcTransport = (rpc) => rpc,
): Promise<{ roundTrips: number; result: T }> {
  const url = new URL(dbUrl);
  const relay = countingRelay({ hostname: url.hostname, port: Number(url.port) });
  url.port = String(relay.port);
  const gateway = await startGateway({
    databaseUrl: url.href,
    port: 0,
    webhookSecret: secret,
    setProcessEnv: false,
    loadFunctions: (env) => {
      const config = loadConfig((name) => env[name]);
      const rpc = transport(lazyServiceTransport(config));
      const handler = createHandler({ config, rpc, log: () => {}, now: Date.now });
      return Promise.resolve({ "vapi-webhook": handler });
    },
  });
  try {
    await warmUp(gateway.url);
    relay.roundTrips = 0;
    const result = await work(gateway.url);
    return { roundTrips: relay.roundTrips, result };
  } finally {
    await gateway.close();
    relay.close();
  }
}
