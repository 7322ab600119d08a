// LOCAL-ONLY stand-in for the Supabase API gateway (Kong + Edge Runtime + PostgREST on port 54321), so the same
// URLs work as with `supabase start` + `supabase functions serve`, without Docker:
//   /functions/v1/<name>[/...]  → the Edge Function handler (verify_jwt = false, like config.toml says for ours)
//   /rest/v1/rpc/<fn>           → the PostgREST-compatible RPC endpoint (postgrest-rpc.ts)
import { maskPhonesInText } from "../supabase/functions/_shared/log.ts";
import { type LocalKeys, localKeys } from "./jwt.ts";
import { createRpcHandler, createRpcPool } from "./postgrest-rpc.ts";

export type FunctionHandler = (req: Request) => Response | Promise<Response>;

export interface GatewayRoutes {
  functions: Record<string, FunctionHandler>;
  rpc: (req: Request) => Promise<Response>;
}

function json(status: number, body: unknown): Response {
  return Response.json(body, { status });
}

// Methods the Fetch standard forbids: a Request cannot even be built with them, so no function can answer them.
const FORBIDDEN_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);

// The function sees the path without /functions/v1, as on hosted Supabase (`/vapi-webhook`, `/vapi-webhook/x`).
async function callFunction(handler: FunctionHandler, req: Request, url: URL, rest: string): Promise<Response> {
  if (FORBIDDEN_METHODS.has(req.method.toUpperCase())) {
    return json(405, { code: "METHOD_NOT_ALLOWED", message: `${req.method} is not allowed` });
  }
  const functionUrl = new URL(rest + url.search, url.origin);
  try {
    // Not `new Request(url, req)`: copying req.signal trips Deno.serve's legacy-abort warning.
    const body = req.method === "GET" || req.method === "HEAD" ? null : req.body;
    return await handler(new Request(functionUrl, { method: req.method, headers: req.headers, body }));
  } catch (error) {
    console.error(`[local-stack] function ${rest} threw:`, error);
    return json(500, { code: "WORKER_ERROR", message: "Function exited due to an error (please check logs)" });
  }
}

/** The gateway's request router; `functions` is read on every request, so handlers may be added after start. */
export function createGateway(routes: GatewayRoutes): (req: Request) => Promise<Response> {
  return async (req) => {
    const url = new URL(req.url);
    const fn = url.pathname.match(/^\/functions\/v1\/([^/]+)(\/.*)?$/);
    if (fn) {
      const handler = Object.hasOwn(routes.functions, fn[1]) ? routes.functions[fn[1]] : undefined;
      if (!handler) return json(404, { code: "NOT_FOUND", message: "Requested function was not found" });
      return await callFunction(handler, req, url, `/${fn[1]}${fn[2] ?? ""}`);
    }
    if (/^\/rest\/v1\/rpc\/[^/]+\/?$/.test(url.pathname)) return await routes.rpc(req);
    return json(404, {
      message: "no Route matched with those values",
      hint: "the local stack serves only /functions/v1/<name> and /rest/v1/rpc/<function>",
    });
  };
}

export const READINESS_PROBE_HEADER = "x-local-stack-readiness-probe";

/**
 * A path as the access log shows it. A function's sub-path may carry a credential (a calendar feed token), also when
 * the path is written oddly (`//functions/…`, `calendar-feed%2F<token>`): only the function's name is shown, other
 * paths up to four segments, nothing after a `%` and no segment long enough to be a token.
 */
export function loggablePath(pathname: string): string {
  const segments = pathname.replace(/%2f/gi, "/").split("/").filter(Boolean);
  const kept = segments[0] === "functions" ? 3 : 4;
  const shown = segments.slice(0, kept).map((s) => s.length > 40 ? "•••" : maskPhonesInText(s.replace(/%.*$/, "%…")));
  return `/${shown.join("/")}${segments.length > kept ? "/•••" : ""}`;
}

function withAccessLog(handler: (req: Request) => Promise<Response>): (req: Request) => Promise<Response> {
  return async (req) => {
    const started = performance.now();
    const response = await handler(req);
    const ms = Math.round(performance.now() - started);
    // scripts/dev's own readiness probe (an RPC that is meant to 404) is not the user's traffic.
    if (req.headers.has(READINESS_PROBE_HEADER)) return response;
    console.error(`[gateway] ${req.method} ${loggablePath(new URL(req.url).pathname)} ${response.status} ${ms}ms`);
    return response;
  };
}

/** The environment hosted Supabase / `supabase functions serve` give a function, pointing at this gateway. */
export function functionEnv(
  gatewayUrl: string,
  databaseUrl: string,
  keys: LocalKeys,
  webhookSecret?: string,
): Record<string, string> {
  return {
    SUPABASE_URL: gatewayUrl,
    SUPABASE_DB_URL: databaseUrl,
    SUPABASE_ANON_KEY: keys.anonKey,
    SUPABASE_SERVICE_ROLE_KEY: keys.serviceRoleKey,
    SUPABASE_PUBLISHABLE_KEYS: JSON.stringify({ default: keys.anonKey }),
    SUPABASE_SECRET_KEYS: JSON.stringify({ default: keys.serviceRoleKey }),
    ...(webhookSecret === undefined ? {} : { VAPI_WEBHOOK_SECRET: webhookSecret }),
  };
}

export interface StartGatewayOptions {
  databaseUrl: string;
  /** 54321 like `supabase start`; 0 picks a free port. */
  port?: number;
  hostname?: string;
  /** Default: env SUPABASE_JWT_SECRET, else the `supabase start` default secret. */
  jwtSecret?: string;
  /** Handlers that need no environment (e.g. test stand-ins). */
  functions?: Record<string, FunctionHandler>;
  /**
   * Imports handlers after the function environment is known (the URL needs the bound port). Use this for the
   * real Edge Function, which reads its environment when imported.
   */
  loadFunctions?: (env: Record<string, string>) => Promise<Record<string, FunctionHandler>>;
  /** Becomes VAPI_WEBHOOK_SECRET in the function environment. */
  webhookSecret?: string;
  /** Copy the function environment into this process' env (default true: the handler runs in-process). */
  setProcessEnv?: boolean;
  /** Size of the RPC connection pool (default 5). */
  poolSize?: number;
  /** One stderr line per request (method, path, status, duration). */
  accessLog?: boolean;
}

export interface RunningGateway {
  /** e.g. http://127.0.0.1:54321: what SUPABASE_URL is for the function and for supabase-js clients. */
  url: string;
  functionsUrl: string;
  databaseUrl: string;
  keys: LocalKeys;
  env: Record<string, string>;
  /** Stops serving (in-flight requests finish) and closes the database pool. Safe to call twice. */
  close(): Promise<void>;
}

/** Starts the gateway; throws Deno.errors.AddrInUse when the port is taken. */
export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  const hostname = options.hostname ?? "127.0.0.1";
  const keys = await localKeys(options.jwtSecret);
  const db = createRpcPool(options.databaseUrl, options.poolSize);
  const routes: GatewayRoutes = {
    functions: { ...options.functions },
    rpc: createRpcHandler({ db, jwtSecret: keys.jwtSecret, schemas: ["public", "graphql_public"] }),
  };
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    const gateway = createGateway(routes);
    const handler = options.accessLog ? withAccessLog(gateway) : gateway;
    server = Deno.serve({ hostname, port: options.port ?? 54321, onListen: () => {} }, handler);
  } catch (error) {
    await db.end(1);
    throw error;
  }
  const url = `http://${hostname}:${server.addr.port}`;
  const env = functionEnv(url, options.databaseUrl, keys, options.webhookSecret);
  let closed: Promise<void> | undefined;
  const close = () =>
    closed ??= (async () => {
      await server.shutdown();
      await db.end(5);
    })();
  try {
    if (options.setProcessEnv ?? true) { for (const [name, value] of Object.entries(env)) Deno.env.set(name, value); }
    if (options.loadFunctions) Object.assign(routes.functions, await options.loadFunctions(env));
  } catch (error) {
    await close();
    throw error;
  }
  return { url, functionsUrl: `${url}/functions/v1`, databaseUrl: options.databaseUrl, keys, env, close };
}
