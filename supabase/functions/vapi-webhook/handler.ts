/**
 * The Vapi webhook as a plain `(Request) => Promise<Response>` function.
 *
 * Order: GET health → method check → authentication (401; shared secrets from the headers before the body is
 * read, HMAC over the size-capped raw body) → size cap (413) → JSON (400) → envelope (400) → dispatch on
 * `message.type` (always 200). Nothing before dispatch touches the database.
 */
import { denoEnv, getConfig, loadConfig, type WebhookConfig } from "../_shared/config.ts";
import { hmacValid, offersHmac, sharedSecretValid } from "../_shared/auth.ts";
import { jsonResponse, readBodyCapped } from "../_shared/http.ts";
import { consoleSink, type LogSink, requestIdFrom, type RequestLog, startRequestLog } from "../_shared/log.ts";
import { dispatchMessage, type VapiMessage } from "../_shared/messages.ts";
import { getServiceTransport, type RpcTransport } from "../_shared/rpc.ts";
import { envelopeSchema } from "../_shared/schemas.ts";

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
}

export type Handler = (req: Request) => Promise<Response>;

function unauthorized(log: RequestLog): Response {
  log.set({ outcome: "unauthorized" });
  log.raise("warn");
  return jsonResponse(401, { error: "Unauthorized" });
}

async function handlePost(req: Request, deps: HandlerDeps, log: RequestLog): Promise<Response> {
  // A shared secret is checked from the headers alone, so an unauthenticated request is refused before its body
  // is read; only an HMAC credential needs the raw body first.
  const bySharedSecret = await sharedSecretValid(req.headers, deps.config);
  if (!bySharedSecret && !offersHmac(req.headers, deps.config)) return unauthorized(log);

  const body = await readBodyCapped(req);
  if (!body.ok) {
    const tooLarge = body.reason === "too_large";
    log.set({ outcome: tooLarge ? "payload_too_large" : "bad_request" });
    log.raise("warn");
    return tooLarge
      ? jsonResponse(413, { error: "Payload too large" })
      : jsonResponse(400, { error: "Unreadable request body" });
  }
  if (!bySharedSecret && !await hmacValid(req.headers, body.bytes, deps.config.hmacSecret ?? "", deps.now())) {
    return unauthorized(log);
  }

  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder().decode(body.bytes));
  } catch {
    log.set({ outcome: "bad_request" });
    return jsonResponse(400, { error: "Invalid JSON" });
  }
  const envelope = envelopeSchema.safeParse(payload);
  if (!envelope.success) {
    log.set({ outcome: "bad_request" });
    return jsonResponse(400, { error: "Missing message.type" });
  }

  const message = envelope.data.message as VapiMessage;
  log.set({ message_type: message.type });
  const reply = await dispatchMessage(message, { config: deps.config, rpc: deps.rpc, log });
  return jsonResponse(200, reply);
}

/** Builds the handler from explicit dependencies (tests inject config, a fake RPC, a log sink and a clock). */
export function createHandler(deps: HandlerDeps): Handler {
  return async (req) => {
    const log = startRequestLog(requestIdFrom(req.headers), deps.log, deps.now);
    try {
      if (req.method === "GET") {
        log.set({ outcome: "health" });
        return jsonResponse(200, HEALTH_BODY);
      }
      if (req.method !== "POST") {
        log.set({ outcome: "method_not_allowed" });
        return jsonResponse(405, { error: "Method not allowed" }, { Allow: "GET, POST" });
      }
      return await handlePost(req, deps, log);
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

/** The service-role transport, created on the first RPC (never for GET or rejected requests). */
function lazyServiceTransport(config: WebhookConfig): RpcTransport {
  return { call: (fn, args, signal) => getServiceTransport(config).call(fn, args, signal) };
}

/** A handler configured from the environment as it is now (not cached; for embedding and tests). */
export function createEnvHandler(config: WebhookConfig = loadConfig(denoEnv)): Handler {
  return createHandler({ config, rpc: lazyServiceTransport(config), log: consoleSink, now: Date.now });
}

let envHandler: Handler | null = null;

/** The production handler: configuration from the environment, read once on the first request. */
export function handler(req: Request): Promise<Response> {
  envHandler ??= createEnvHandler(getConfig());
  return envHandler(req);
}
