// LOCAL-ONLY entry point used by scripts/dev: serves the real vapi-webhook Edge Function and the RPC endpoint on
// Supabase's local API port, prints the keys like `supabase start`, then exactly one line containing "ready".
//
//   deno run --allow-net --allow-env --allow-read local-stack/main.ts --port 54321 --db-url postgresql://...
//
// Options fall back to env: LOCAL_API_PORT, SUPABASE_DB_URL, LOCAL_STACK_HANDLER_MODULE; the function also gets
// VAPI_WEBHOOK_SECRET (else a printed development secret) and SUPABASE_JWT_SECRET decides the keys.
import { type FunctionHandler, READINESS_PROBE_HEADER, type RunningGateway, startGateway } from "./gateway.ts";
import { DEFAULT_JWT_SECRET } from "./jwt.ts";
import { loadSmsFunctions, startDispatchSchedule } from "./sms.ts";

export const DEV_WEBHOOK_SECRET = "dev-vapi-secret-change-me";
const FUNCTION_NAME = "vapi-webhook";
const DEFAULT_HANDLER_MODULE = new URL(`../supabase/functions/${FUNCTION_NAME}/handler.ts`, import.meta.url).href;
const CALENDAR_FEED_MODULE = new URL("../supabase/functions/calendar-feed/handler.ts", import.meta.url).href;

function option(name: string, envName: string, fallback?: string): string {
  const index = Deno.args.indexOf(`--${name}`);
  const value = index >= 0 ? Deno.args[index + 1] : Deno.env.get(envName) || fallback;
  if (value === undefined) fail(`missing --${name} (or env ${envName})`);
  return value;
}

function fail(message: string): never {
  console.error(`[local-stack] error: ${message}`);
  Deno.exit(1);
}

// A variable specifier: the handler is imported only after its environment is set (it reads env at import).
// --handler (env LOCAL_STACK_HANDLER_MODULE) swaps in another module exporting handler(req), e.g. in tests.
async function loadWebhookHandler(): Promise<Record<string, FunctionHandler>> {
  const path = option("handler", "LOCAL_STACK_HANDLER_MODULE", DEFAULT_HANDLER_MODULE);
  const specifier = new URL(path, `file://${Deno.cwd()}/`).href;
  const module = await import(specifier);
  if (typeof module.handler !== "function") fail(`${specifier} does not export handler(req)`);
  return { [FUNCTION_NAME]: module.handler, ...await loadSmsFunctions() };
}

/** The other Edge Functions, imported the same way (after their environment is set). */
async function loadOtherHandlers(): Promise<Record<string, FunctionHandler>> {
  const calendarFeed = await import(CALENDAR_FEED_MODULE);
  return { "calendar-feed": calendarFeed.handler };
}

// "Ready" means both halves answer: the function's GET health endpoint and the RPC endpoint's catalog lookup.
async function checkHealth(gateway: RunningGateway): Promise<void> {
  const health = await fetch(`${gateway.functionsUrl}/${FUNCTION_NAME}`, {
    headers: { [READINESS_PROBE_HEADER]: "1" },
  });
  const healthBody = await health.text();
  if (!health.ok) fail(`GET /functions/v1/${FUNCTION_NAME} answered ${health.status}: ${healthBody}`);
  const rpc = await fetch(`${gateway.url}/rest/v1/rpc/local_stack_health_probe`, {
    method: "POST",
    headers: { apikey: gateway.keys.anonKey, "content-type": "application/json", [READINESS_PROBE_HEADER]: "1" },
    body: "{}",
  });
  const rpcBody = await rpc.json();
  if (rpcBody.code !== "PGRST202") fail(`the RPC endpoint cannot reach the database: ${JSON.stringify(rpcBody)}`);
}

/** The port is held by another server (or stayed busy through every retry). */
export class PortInUse extends Error {
  constructor(port: number, how = "in use by another process") {
    super(`port ${port} is ${how}`);
  }
}

/**
 * Starts the gateway on `port`. Our ports lie in Linux's ephemeral range, so a client connection may be using the port
 * as its source, and after it a TIME-WAIT keeps it 60 s (seen: `scripts/stress` right after another run): when nothing
 * listens there, binding is retried every 2 s for up to 70 s, as scripts/lib/stack.sh does for PostgreSQL; a port
 * another server holds fails at once.
 */
export async function startOnPort(
  port: number,
  start: () => Promise<RunningGateway>,
  { attempts = 35, pauseMs = 2_000 } = {},
): Promise<RunningGateway> {
  for (let attempt = 1;; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (!(error instanceof Deno.errors.AddrInUse)) throw error;
      if (await listening(port)) throw new PortInUse(port);
      if (attempt >= attempts) {
        const seconds = attempts * pauseMs / 1000;
        throw new PortInUse(port, `held by a connection, not a server, for ${seconds} s (ss -tan 'sport = :${port}')`);
      }
      console.error(
        `[local-stack] port ${port} is busy (a connection uses it; attempt ${attempt} of ${attempts}): retrying`,
      );
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}

/** Whether a server accepts connections on the port (a client socket using it as its source does not). */
async function listening(port: number): Promise<boolean> {
  const connecting = Deno.connect({ hostname: "127.0.0.1", port }).then((conn) => (conn.close(), true), () => false);
  // A server whose queue is full never answers: no answer within a second counts as one listening.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const silent = new Promise<boolean>((resolve) => timer = setTimeout(() => resolve(true), 1_000));
  return await Promise.race([connecting, silent]).finally(() => clearTimeout(timer));
}

async function main(): Promise<void> {
  const port = Number(option("port", "LOCAL_API_PORT", "54321"));
  const databaseUrl = option("db-url", "SUPABASE_DB_URL");
  const envSecret = Deno.env.get("VAPI_WEBHOOK_SECRET");
  const webhookSecret = envSecret || DEV_WEBHOOK_SECRET;
  let gateway: RunningGateway;
  try {
    gateway = await startOnPort(port, () =>
      startGateway({
        port,
        databaseUrl,
        webhookSecret,
        loadFunctions: async () => ({ ...await loadWebhookHandler(), ...await loadOtherHandlers() }),
        accessLog: true,
      }));
  } catch (error) {
    fail(
      error instanceof PortInUse ? error.message : `could not start: ${error instanceof Error ? error.stack : error}`,
    );
  }
  const stop = async (signal: string) => {
    console.error(`[local-stack] ${signal}: stopping`);
    Deno.unrefTimer(setTimeout(() => Deno.exit(1), 10_000));
    await gateway.close();
    Deno.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(signal, () => stop(signal));
  await checkHealth(gateway);
  startDispatchSchedule(gateway.functionsUrl);
  // Banners go to stderr, so stdout carries only the function's JSON log lines (`scripts/dev | jq` works).
  const functionUrl = `${gateway.functionsUrl}/${FUNCTION_NAME}`;
  console.error(`         API URL: ${gateway.url}`);
  console.error(`    Function URL: ${functionUrl}`);
  console.error(`         RPC URL: ${gateway.url}/rest/v1/rpc/<function>`);
  console.error(`  Calendar feeds: ${gateway.functionsUrl}/calendar-feed/<token>.ics`);
  console.error(`          DB URL: ${databaseUrl}`);
  // Like the webhook secret below: a JWT secret the user chose is not printed (the keys it signs are, as supabase start).
  const ownJwtSecret = gateway.keys.jwtSecret !== DEFAULT_JWT_SECRET;
  console.error(
    `      JWT secret: ${ownJwtSecret ? "yours (SUPABASE_JWT_SECRET), not printed" : gateway.keys.jwtSecret}`,
  );
  console.error(`        anon key: ${gateway.keys.anonKey}`);
  console.error(`service_role key: ${gateway.keys.serviceRoleKey}`);
  if (!ownJwtSecret) {
    console.error(
      "            note: these are Supabase's published demo keys: whoever reaches this port may call every RPC " +
        "as service_role. Set SUPABASE_JWT_SECRET before exposing it (README: Real Vapi calls to your machine).",
    );
  }
  // A secret the user chose (environment or supabase/functions/.env) is never printed; the development default is.
  const secretNote = envSecret
    ? "VAPI_WEBHOOK_SECRET from the environment or supabase/functions/.env (not shown)"
    : `VAPI_WEBHOOK_SECRET=${webhookSecret} (development secret; set VAPI_WEBHOOK_SECRET)`;
  console.error(`ready: function ${functionUrl} | db ${databaseUrl} | ${secretNote}`);
}

if (import.meta.main) await main();
