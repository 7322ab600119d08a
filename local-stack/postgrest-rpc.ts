// LOCAL-ONLY stand-in for PostgREST's `POST|GET /rpc/<function>` (served at /rest/v1/rpc/<function>), faithful to
// what supabase-js `.rpc()` relies on: JWT → role, one transaction per request with PostgREST's GUCs, named
// arguments, read-only unless the function is volatile, PostgREST's JSON results, error JSON and status codes.
// Hosted Supabase runs the real PostgREST; nothing here ships.
import postgres, { type Sql } from "postgres";
import { type JwtClaims, JwtError, verifyJwt } from "./jwt.ts";
import {
  connectionErrorResponse,
  errorResponse,
  fromServerError,
  isConnectionError,
  jsonResponse,
  PostgrestHttpError,
} from "./postgrest-errors.ts";
import { buildCallSql, findRoutine, quoteIdent } from "./rpc-routine.ts";

export interface RpcOptions {
  /** Pool to the database (see createRpcPool). */
  sql: Sql;
  jwtSecret: string;
  /** PostgREST's db-anon-role: the role of requests without a JWT. */
  anonRole?: string;
  /** PostgREST's db-schemas (Supabase: public, graphql_public); the first is the default. */
  schemas?: string[];
  /** PostgREST's db-extra-search-path (Supabase: public, extensions). */
  extraSearchPath?: string[];
}

/** A small postgres.js pool; results stay text so the JSON built by PostgreSQL reaches the client unchanged. */
export function createRpcPool(databaseUrl: string, max = 5): Sql {
  return postgres(databaseUrl, {
    max,
    idle_timeout: 30,
    connect_timeout: 10,
    onnotice: () => {},
    connection: { application_name: "local-stack-postgrest" },
  });
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

// Role settings (`alter role anon set statement_timeout = ...`) apply to impersonated roles, as in PostgREST >= 12.
const ROLE_SETTINGS_SQL = `
  select set_config(split_part(setting, '=', 1), substr(setting, strpos(setting, '=') + 1), true)
    from pg_catalog.pg_db_role_setting s, unnest(s.setconfig) as setting
   where s.setrole = (select oid from pg_catalog.pg_roles where rolname = $1)
     and s.setdatabase in (0, (select oid from pg_catalog.pg_database where datname = current_database()))
     and split_part(setting, '=', 1) not in ('role', 'session_authorization')
   order by s.setdatabase`;

// The transaction-scoped settings PostgREST sets on every request (docs/references/transactions.rst).
const REQUEST_CONTEXT_SQL = `
  select set_config('search_path', $1, true), set_config('role', $2, true),
         set_config('request.jwt.claims', $3, true), set_config('request.method', $4, true),
         set_config('request.path', $5, true), set_config('request.headers', $6, true),
         set_config('request.cookies', $7, true)`;

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
  const { sql, jwtSecret, anonRole = "anon", schemas = ["public"], extraSearchPath = ["public", "extensions"] } =
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
    const args = await readArgs(req, url);
    const argNames = Object.keys(args);
    const routine = await findRoutine(sql, schema, name, argNames);
    const searchPath = [...new Set([schema, ...extraSearchPath])].map(quoteIdent).join(", ");
    const accessMode = req.method === "POST" && routine.volatile ? "read write" : "read only";
    const result = await sql.begin(accessMode, async (tx) => {
      await tx.unsafe(ROLE_SETTINGS_SQL, [auth.role]);
      await tx.unsafe(REQUEST_CONTEXT_SQL, [
        searchPath,
        auth.role,
        JSON.stringify(auth.claims),
        req.method,
        `/rpc/${name}`,
        JSON.stringify(Object.fromEntries(req.headers)),
        JSON.stringify(cookies(req)),
      ]);
      const [row] = await tx.unsafe<CallResult[]>(buildCallSql(routine, argNames), [JSON.stringify(args)]);
      return row;
    });
    if (routine.returnsVoid) return new Response(null, { status: 204 });
    return resultResponse(req, result, routine.returnsSet);
  } catch (error) {
    if (error instanceof PostgrestHttpError) return errorResponse(error);
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
