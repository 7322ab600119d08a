/**
 * The Vapi webhook as a plain `(Request) => Promise<Response>` function.
 *
 * Order: GET (or HEAD) health → method check → authentication and size cap (`auth.ts`: 401 before the body is read, 413
 * over 16 MiB) → JSON (400) → envelope (400) → over MAX_TOOL_CALL_ITEMS tool calls (413) → dispatch on
 * `message.type` (always 200). Nothing before dispatch touches the database.
 */
import { configProblems, denoEnv, loadConfig, type WebhookConfig } from "../_shared/config.ts";
import { authenticate } from "../_shared/auth.ts";
import { RETURN_MARGIN_MS, VAPI_ASSISTANT_REQUEST_DEADLINE_MS } from "../_shared/budget.ts";
import { BODY_READ_TIMEOUT_MS, jsonResponse } from "../_shared/http.ts";
import {
  consoleSink,
  logConfigProblems,
  type LogSink,
  requestIdFrom,
  type RequestLog,
  startRequestLog,
} from "../_shared/log.ts";
import { dispatchMessage, type VapiMessage } from "../_shared/messages.ts";
import { lazyServiceTransport, type RpcTransport } from "../_shared/rpc.ts";
import { envelopeSchema, MAX_TOOL_CALL_ITEMS, toolCallItemCount } from "../_shared/schemas.ts";
import { LanguageMemory } from "../_shared/spoken.ts";

export const HEALTH_BODY = Object.freeze({
  success: true,
  message: "Vapi webhook endpoint is active",
  multiTenant: true,
  identificationMethods: [
    "assistant_id (from customer_configurations.vapi_assistant_id)",
    "phone_number (from customer_configurations.vapi_phone_number)",
    "call_id (from call_logs.vapi_call_id)",
  ],
});

export interface HandlerDeps {
  config: WebhookConfig;
  /** Database access; only ever called after a request is authenticated. */
  rpc: RpcTransport;
  /** Receives the one JSON log line per request. */
  log: LogSink;
  /** Epoch milliseconds; drives the HMAC time window and `duration_ms`. */
  now: () => number;
  /** The language memory of this handler (one per isolate in production); a fresh one when not given. */
  languages?: LanguageMemory;
}

export type Handler = (req: Request) => Promise<Response>;

const REFUSALS = {
  401: "Unauthorized",
  413: "Payload too large",
  400: "Unreadable request body",
} as const;

/** A request refused before dispatch, logged as a warning with its outcome. */
function refused(log: RequestLog, status: keyof typeof REFUSALS, outcome: string): Response {
  log.set({ outcome });
  log.raise("warn");
  return jsonResponse(status, { error: REFUSALS[status] });
}

/** An authenticated body we cannot read: a warning, so a change in Vapi's format shows in the logs at once. */
function badRequest(log: RequestLog, error: string): Response {
  log.set({ outcome: "bad_request", error });
  log.raise("warn");
  return jsonResponse(400, { error });
}

async function handlePost(
  req: Request,
  deps: HandlerDeps,
  languages: LanguageMemory,
  log: RequestLog,
  arrivedAt: number,
): Promise<Response> {
  // A body still coming when the message's budget is spent — or so late that no assistant-request answer could reach
  // Vapi in time — is cut off (400; 401 for an HMAC request, whose sender is unknown until its body is read).
  const readFor = Math.min(
    BODY_READ_TIMEOUT_MS,
    deps.config.rpcTimeoutMs,
    VAPI_ASSISTANT_REQUEST_DEADLINE_MS - RETURN_MARGIN_MS,
  );
  const readWithin = arrivedAt + readFor - Date.now();
  const auth = await authenticate(req, deps.config, deps.now(), readWithin);
  if (!auth.ok) return refused(log, auth.status, auth.outcome);

  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder().decode(auth.body));
  } catch {
    return badRequest(log, "Invalid JSON");
  }
  const envelope = envelopeSchema.safeParse(payload);
  if (!envelope.success) return badRequest(log, "Missing message.type");

  const message = envelope.data.message as VapiMessage;
  log.set({ message_type: message.type });
  if (message.type === "tool-calls" && toolCallItemCount(message) > MAX_TOOL_CALL_ITEMS) {
    return refused(log, 413, "payload_too_large");
  }
  const reply = await dispatchMessage(message, { config: deps.config, rpc: deps.rpc, log, languages, arrivedAt });
  return jsonResponse(200, reply);
}

/** Builds the handler from explicit dependencies (tests inject config, a fake RPC, a log sink and a clock). */
export function createHandler(deps: HandlerDeps): Handler {
  const languages = deps.languages ?? new LanguageMemory();
  return async (req) => {
    const arrivedAt = Date.now(); // the budgets count from here: reading a slow body spends them (budget.ts)
    const log = startRequestLog(requestIdFrom(req.headers), deps.log, deps.now);
    try {
      if (req.method === "GET" || req.method === "HEAD") {
        log.set({ outcome: "health" });
        // For HEAD the server sends GET's headers, Content-Length included, and drops the body (RFC 9110 §9.3.2).
        return jsonResponse(200, HEALTH_BODY);
      }
      if (req.method !== "POST") {
        log.set({ outcome: "method_not_allowed" });
        return jsonResponse(405, { error: "Method not allowed" }, { Allow: "GET, HEAD, POST" });
      }
      return await handlePost(req, deps, languages, log, arrivedAt);
    } catch (err) {
      // Only reachable through a bug before dispatch (dispatch itself never throws).
      log.set({ outcome: "internal_error", error: `unexpected: ${String(err)}` });
      log.raise("error");
      return jsonResponse(500, { error: "Internal error" });
    } finally {
      log.flush();
    }
  };
}

/** A handler configured from the environment as it is now (not cached; for embedding and tests). */
export function createEnvHandler(config: WebhookConfig = loadConfig(denoEnv)): Handler {
  logConfigProblems(configProblems(config));
  return createHandler({ config, rpc: lazyServiceTransport(config), log: consoleSink, now: Date.now });
}

let envHandler: Handler | null = null;

/** The production handler: configuration from the environment, read once on the first request (the one cache). */
export function handler(req: Request): Promise<Response> {
  envHandler ??= createEnvHandler();
  return envHandler(req);
}
