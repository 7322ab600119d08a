// LOCAL-ONLY stand-in for PostgREST's `POST|GET /rpc/<function>` (served at /rest/v1/rpc/<function>), faithful to
// what supabase-js `.rpc()` relies on: JWT → role, one transaction per request with PostgREST's GUCs, named
// arguments, read-only unless the function is volatile, PostgREST's JSON results, error JSON and status codes.
// Hosted Supabase runs the real PostgREST; nothing here ships.
import postgres from "postgres";
import { type JwtClaims, JwtError, verifyJwt } from "./jwt.ts";
import {
  connectionErrorResponse,
  errorResponse,
  fromServerError,
  isConnectionError,
  jsonResponse,
  PostgrestHttpError,
} from "./postgrest-errors.ts";
import { ConnectFailedError, DatabaseDownError, PoolTimeoutError, SessionLostError } from "./rpc-connection-errors.ts";
import { createRpcDatabase, type RpcDatabase, type RpcDatabaseOptions } from "./rpc-database.ts";
import { buildCallSql, findRoutine, quoteIdent } from "./rpc-routine.ts";

export interface RpcOptions {
  /** The database: pool, schema cache and connection worker (see createRpcPool). */
  db: RpcDatabase;
  jwtSecret: string;
  /** PostgREST's db-anon-role: the role of requests without a JWT. */
  anonRole?: string;
  /** PostgREST's db-schemas (Supabase: public, graphql_public); the first is the default. */
  schemas?: string[];
  /** PostgREST's db-extra-search-path (Supabase: public, extensions). */
  extraSearchPath?: string[];
}

/** A small pool with PostgREST's schema cache; results stay text so PostgreSQL's JSON reaches the client unchanged. */
export function createRpcPool(databaseUrl: string, max = 5, options: RpcDatabaseOptions = {}): RpcDatabase {
  return createRpcDatabase(databaseUrl, { max, ...options });
}

interface RequestAuth {
  role: string;
  claims: JwtClaims;
}

/** PostgREST reads `Authorization: Bearer`; Supabase's gateway falls back to the `apikey` header. */
export async function authenticate(req: Request, jwtSecret: string, anonRole = "anon"): Promise<RequestAuth> {
  const bearer = req.headers.get("authorization")?.match(/^bearer\s*(.*)$/i)?.[1]?.trim();
  const token = bearer ?? req.headers.get("apikey")?.trim();
  if (token === undefined || token === "") return { role: anonRole, claims: { role: anonRole } };
  try {
    const claims = await verifyJwt(token, jwtSecret);
    const role = typeof claims.role === "string" && claims.role !== "" ? claims.role : anonRole;
    return { role, claims };
  } catch (error) {
    if (!(error instanceof JwtError)) throw error;
    throw new PostgrestHttpError(401, { code: "PGRST301", message: error.message }, {
      "www-authenticate": `Bearer error="invalid_token", error_description=${JSON.stringify(error.message)}`,
    });
  }
}

function functionName(url: URL): string {
  const match = url.pathname.match(/\/rpc\/([^/]+)\/?$/);
  if (!match) {
    throw new PostgrestHttpError(404, { code: "PGRST125", message: "Invalid path specified in request URL" });
  }
  return decodeURIComponent(match[1]);
}

// Content-Profile (POST) / Accept-Profile (GET, HEAD) select the schema, like PostgREST's multiple-schema support.
function requestedSchema(req: Request, schemas: string[]): string {
  const header = req.method === "POST" ? "content-profile" : "accept-profile";
  const schema = req.headers.get(header) ?? schemas[0];
  if (!schemas.includes(schema)) {
    throw new PostgrestHttpError(406, {
      code: "PGRST106",
      message: `Invalid schema: ${schema}`,
      hint: `Only the following schemas are exposed: ${schemas.join(", ")}`,
    });
  }
  return schema;
}

async function readArgs(req: Request, url: URL): Promise<Record<string, unknown>> {
  if (req.method !== "POST") return Object.fromEntries(url.searchParams);
  // On POST, PostgREST reads query parameters as filters/select/order on the result: not emulated, so refuse them
  // instead of silently returning unfiltered rows.
  const unsupported = [...url.searchParams].filter(([key, value]) => !(key === "select" && value === "*"));
  if (unsupported.length > 0) {
    throw new PostgrestHttpError(400, {
      code: "PGRST127",
      message: "Feature not implemented",
      details: `the local stack does not apply query parameters to RPC results: ${url.search}`,
    });
  }
  const text = await req.text();
  if (text.trim() === "") return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new PostgrestHttpError(400, { code: "PGRST102", message: "Empty or invalid json" });
  }
  return body as Record<string, unknown>;
}

// The transaction-scoped settings PostgREST sets on every request (docs/references/transactions.rst), in its order:
// search_path, role, the impersonated role's settings and the function's hoisted ones, then the request context. One
// statement; its text depends only on how many settings there are, so it is prepared once per connection.
function requestContextSql(settings: number): string {
  const setting = (n: number) => `set_config($${n}, $${n + 1}, true)`;
  const settingSet = Array.from({ length: settings }, (_, i) => setting(3 + 2 * i));
  const next = 3 + 2 * settings;
  const context = ["request.jwt.claims", "request.method", "request.path", "request.headers", "request.cookies"]
    .map((name, i) => `set_config('${name}', $${next + i}, true)`);
  return `select ${["set_config('search_path', $1, true)", "set_config('role', $2, true)", ...settingSet, ...context]}`;
}

function cookies(req: Request): Record<string, string> {
  const pairs = (req.headers.get("cookie") ?? "").split(";").map((part) => part.trim()).filter(Boolean);
  return Object.fromEntries(pairs.map((pair) => [pair.split("=")[0], pair.slice(pair.indexOf("=") + 1)]));
}

interface CallResult {
  body: string;
  rows: number;
}

/** Handles one `/rest/v1/rpc/<fn>` (or `/rpc/<fn>`) request. */
export async function handleRpc(req: Request, options: RpcOptions): Promise<Response> {
  const { db, jwtSecret, anonRole = "anon", schemas = ["public"], extraSearchPath = ["public", "extensions"] } =
    options;
  let authenticated = false;
  try {
    const url = new URL(req.url);
    const name = functionName(url);
    if (!["GET", "HEAD", "POST"].includes(req.method)) {
      throw new PostgrestHttpError(405, { code: "PGRST101", message: `Cannot use the ${req.method} method on RPC` });
    }
    const schema = requestedSchema(req, schemas);
    const auth = await authenticate(req, jwtSecret, anonRole);
    authenticated = auth.role !== anonRole;
    if (await db.roleSwitchable(auth.role) === false) { // a role that does not exist: PostgreSQL's 22023 (401)
      throw new PostgrestHttpError(403, { code: "42501", message: `permission denied to set role "${auth.role}"` });
    }
    const args = await readArgs(req, url);
    const argNames = Object.keys(args);
    const routine = await findRoutine(db, schema, name, argNames);
    const searchPath = [...new Set([schema, ...extraSearchPath])].map(quoteIdent).join(", ");
    const accessMode = req.method === "POST" && routine.volatile ? "read write" : "read only";
    // The function's hoisted settings come after the role's, so they win (as in PostgREST).
    const settings = [...await db.roleSettings(auth.role), ...routine.hoisted];
    const context = [
      searchPath,
      auth.role,
      ...settings.flat(),
      JSON.stringify(auth.claims),
      req.method,
      `/rpc/${name}`,
      JSON.stringify(Object.fromEntries(req.headers)),
      JSON.stringify(cookies(req)),
    ];
    let result: CallResult;
    try {
      const [, rows] = await db.transaction(accessMode, [
        [requestContextSql(settings.length), context],
        [buildCallSql(routine, argNames), [JSON.stringify(args)]],
      ]);
      result = rows[0] as unknown as CallResult;
    } catch (error) {
      // PostgreSQL no longer has the cached signature (dropped, replaced): look it up again next time.
      if (["42883", "42P13", "42804"].includes((error as { code?: string }).code ?? "")) {
        db.forgetRoutine(schema, name);
      }
      throw error;
    }
    if (routine.returnsVoid) return new Response(null, { status: 204 });
    return resultResponse(req, result, routine.returnsSet);
  } catch (error) {
    if (error instanceof PostgrestHttpError) return errorResponse(error);
    if (error instanceof PoolTimeoutError) {
      return errorResponse(new PostgrestHttpError(504, { code: "PGRST003", message: error.message }));
    }
    if (error instanceof SessionLostError) return errorResponse(connectionErrorResponse(error, "PGRST001"));
    if (error instanceof DatabaseDownError || error instanceof ConnectFailedError) {
      return errorResponse(connectionErrorResponse(error));
    }
    if (error instanceof postgres.PostgresError) return errorResponse(fromServerError(error, authenticated));
    if (isConnectionError(error)) return errorResponse(connectionErrorResponse(error));
    throw error;
  }
}

// `Accept: application/vnd.pgrst.object+json` (supabase-js `.single()`) and `Prefer: count=exact` for set results.
function resultResponse(req: Request, result: CallResult, returnsSet: boolean): Response {
  const headers: Record<string, string> = {};
  let body = result.body;
  if (returnsSet) {
    const exact = /count=(exact|planned|estimated)/.test(req.headers.get("prefer") ?? "");
    const range = result.rows > 0 ? `0-${result.rows - 1}` : "*";
    headers["content-range"] = `${range}/${exact ? result.rows : "*"}`;
    if ((req.headers.get("accept") ?? "").includes("application/vnd.pgrst.object+json")) {
      if (result.rows !== 1) {
        return errorResponse(
          new PostgrestHttpError(406, {
            code: "PGRST116",
            message: "Cannot coerce the result to a single JSON object",
            details: `The result contains ${result.rows} rows`,
          }),
        );
      }
      body = JSON.stringify(JSON.parse(body)[0]);
    }
  }
  return jsonResponse(200, req.method === "HEAD" ? "" : body, headers);
}

/** Binds the options once: `(req) => handleRpc(req, options)`. */
export function createRpcHandler(options: RpcOptions): (req: Request) => Promise<Response> {
  return (req) => handleRpc(req, options);
}
