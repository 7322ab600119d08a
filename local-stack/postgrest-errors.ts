// LOCAL-ONLY stand-in for PostgREST's error responses: the `{ code, message, details, hint }` JSON and the HTTP
// status mapping of PostgREST's src/PostgREST/Error.hs (documented in docs/references/errors.rst).

export interface PostgrestErrorBody {
  code: string;
  message: string;
  details: string | null;
  hint: string | null;
}

/** An error that should reach the client as PostgREST would send it. */
export class PostgrestHttpError extends Error {
  readonly body: PostgrestErrorBody;
  constructor(
    readonly status: number,
    body: Partial<PostgrestErrorBody> & { code: string; message: string },
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
    this.name = "PostgrestHttpError";
    this.body = { code: body.code, message: body.message, details: body.details ?? null, hint: body.hint ?? null };
  }
}

export const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

export function jsonResponse(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { "content-type": JSON_CONTENT_TYPE, ...headers } });
}

export function errorResponse(error: PostgrestHttpError): Response {
  return jsonResponse(error.status, JSON.stringify(error.body), {
    "proxy-status": `PostgREST; error=${error.body.code}`,
    ...error.headers,
  });
}

/**
 * HTTP status for a PostgreSQL SQLSTATE, exactly PostgREST's `mapSQLtoHTTP`. `authenticated` is true when the
 * request runs as a role other than the anonymous one (decides 401 vs 403 for insufficient privilege).
 */
export function statusForSqlState(sqlState: string, message: string, authenticated: boolean): number {
  const exact: Record<string, number> = {
    "23503": 409,
    "23505": 409,
    "25006": 405,
    "53400": 500,
    "57P01": 503,
    "P0001": 400,
    "42P01": 404,
    "42P17": 500,
  };
  if (sqlState in exact) return exact[sqlState];
  if (sqlState === "21000") return message.endsWith("requires a WHERE clause") ? 400 : 500;
  if (sqlState === "22023") return /^role .* does not exist$/.test(message) ? 401 : 400;
  if (sqlState === "42883") return message.startsWith("function xmlagg(") ? 406 : 404;
  if (sqlState === "42501") return authenticated ? 403 : 401;
  if (sqlState.startsWith("PT")) {
    const custom = Number(sqlState.slice(2));
    return Number.isInteger(custom) && custom >= 100 && custom <= 599 ? custom : 500;
  }
  const byClass: Record<string, number> = {
    "08": 503,
    "09": 500,
    "0L": 403,
    "0P": 403,
    "25": 500,
    "28": 403,
    "2D": 500,
    "38": 500,
    "39": 500,
    "3B": 500,
    "40": 500,
    "53": 503,
    "54": 500,
    "55": 500,
    "57": 500,
    "58": 500,
    "F0": 500,
    "HV": 500,
    "P0": 500,
    "XX": 500,
  };
  return byClass[sqlState.slice(0, 2)] ?? 400;
}

/** The fields postgres.js puts on a server error (PostgresError). */
export interface ServerErrorFields {
  code: string;
  message: string;
  detail?: string;
  hint?: string;
}

/** Converts a database error into PostgREST's response, including `RAISE SQLSTATE 'PGRST'` full control. */
export function fromServerError(error: ServerErrorFields, authenticated: boolean): PostgrestHttpError {
  if (error.code === "PGRST") return fromRaisePgrst(error);
  const status = statusForSqlState(error.code, error.message, authenticated);
  return new PostgrestHttpError(
    status,
    { code: error.code, message: error.message, details: error.detail, hint: error.hint },
    status === 401 ? { "www-authenticate": "Bearer" } : {},
  );
}

// `RAISE SQLSTATE 'PGRST' USING message = '{"code":..,"message":..}', detail = '{"status":..,"headers":{..}}'`.
function fromRaisePgrst(error: ServerErrorFields): PostgrestHttpError {
  const parse = (text: string | undefined): Record<string, unknown> | undefined => {
    try {
      const value = text === undefined ? undefined : JSON.parse(text);
      return value !== null && typeof value === "object" ? value : undefined;
    } catch {
      return undefined;
    }
  };
  const message = parse(error.message);
  const detail = parse(error.detail);
  if (typeof message?.code !== "string" || typeof message.message !== "string") {
    return raiseParseError(`Invalid JSON value for MESSAGE: '${error.message}'`);
  }
  if (typeof detail?.status !== "number" || typeof detail.headers !== "object" || detail.headers === null) {
    return raiseParseError(
      error.detail === undefined
        ? "DETAIL is missing in the RAISE statement"
        : `Invalid JSON value for DETAIL: '${error.detail}'`,
    );
  }
  return new PostgrestHttpError(detail.status, {
    code: message.code,
    message: message.message,
    details: typeof message.details === "string" ? message.details : null,
    hint: typeof message.hint === "string" ? message.hint : null,
  }, detail.headers as Record<string, string>);
}

function raiseParseError(details: string): PostgrestHttpError {
  return new PostgrestHttpError(500, {
    code: "PGRST121",
    message: `Could not parse JSON in the "RAISE SQLSTATE 'PGRST'" error`,
    details,
    hint: "MESSAGE must be a JSON object with obligatory keys: 'code', 'message' and optional keys: 'details', " +
      "'hint'; DETAIL must be a JSON object with obligatory keys: 'status', 'headers' and optional key: 'status_text'.",
  });
}

/** True for errors of the connection itself (refused, reset, timed out), which PostgREST answers with 503. */
export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" && /^(E[A-Z]+|CONNECT_TIMEOUT|CONNECTION_.*)$/.test(code);
}

/**
 * 503 for a connection failure: PGRST000 when the request reached no session, PGRST001 when the session was lost
 * mid-transaction (SessionLostError: the outcome is unknown).
 */
export function connectionErrorResponse(
  error: unknown,
  code: "PGRST000" | "PGRST001" = "PGRST000",
): PostgrestHttpError {
  return new PostgrestHttpError(503, {
    code,
    message: "Database connection error. Retrying the connection.",
    details: error instanceof Error ? error.message : String(error),
  });
}
