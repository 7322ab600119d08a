/**
 * `GET /calendar-feed/<token>.ics` as a plain `(Request) => Promise<Response>` function.
 *
 * Calendar apps send no JWT: the token in the path is the credential. It goes to ONE service-role RPC
 * (`calendar_feed_events`), which finds the feed by its hash; an unknown, revoked or expired token, and a path
 * that cannot hold a token at all, all get the same 404. The token never reaches a log line.
 */
import { denoEnv, loadConfig, type WebhookConfig } from "../_shared/config.ts";
import { consoleSink, type LogSink, requestIdFrom, type RequestLog, startRequestLog } from "../_shared/log.ts";
import { callRpc, lazyServiceTransport, type RpcTransport } from "../_shared/rpc.ts";
import { buildCalendar, feedSchema } from "./calendar.ts";
import { isNotModified } from "./conditional.ts";

export const FEED_RPC = "calendar_feed_events";
/** Tokens are 43 base64url characters; nothing else can be one (a public fact). Hosted Supabase strips /functions/v1. */
const FEED_PATH = /^(?:\/functions\/v1)?\/calendar-feed\/([A-Za-z0-9_-]{16,128})(?:\.ics)?$/;

export interface FeedHandlerDeps {
  rpc: RpcTransport;
  log: LogSink;
  now: () => number;
  rpcTimeoutMs: number;
}

export type Handler = (req: Request) => Promise<Response>;

function plain(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...headers },
  });
}

/** Every token failure looks exactly like this. */
function notFound(log: RequestLog): Response {
  log.set({ outcome: "not_found" });
  return plain(404, "Not found\n");
}

async function strongEtag(body: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body)));
  const b64 = btoa(String.fromCharCode(...digest.subarray(0, 18)));
  return `"${b64.replaceAll("+", "-").replaceAll("/", "_")}"`;
}

async function serveFeed(req: Request, token: string, deps: FeedHandlerDeps, log: RequestLog): Promise<Response> {
  const answer = await callRpc(deps.rpc, FEED_RPC, { p_token: token }, feedSchema, deps.rpcTimeoutMs);
  if (!answer.ok) {
    log.set({ outcome: "rpc_error", error: answer.detail });
    log.raise("error");
    return plain(503, "Calendar temporarily unavailable\n", { "Retry-After": "60" });
  }
  if (answer.data === null) return notFound(log);

  const feed = answer.data;
  log.set({ organization_id: feed.organization_id });
  const body = buildCalendar(feed);
  const etag = await strongEtag(body);
  const headers = {
    "ETag": etag,
    // Clients may keep a copy but must ask again (cheaply, with the ETag) before using it.
    "Cache-Control": "private, no-cache",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
  };
  if (isNotModified(req.headers, etag)) {
    log.set({ outcome: "not_modified" });
    return new Response(null, { status: 304, headers });
  }
  log.set({ outcome: "ok" });
  // For HEAD the server sends these headers, Content-Length included, and drops the body (RFC 9110 §9.3.2).
  return new Response(body, {
    status: 200,
    headers: {
      ...headers,
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": 'inline; filename="calendar.ics"',
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/** Builds the handler from explicit dependencies (tests inject a fake RPC, a log sink and a clock). */
export function createFeedHandler(deps: FeedHandlerDeps): Handler {
  return async (req) => {
    const log = startRequestLog(requestIdFrom(req.headers), deps.log, deps.now);
    log.set({ message_type: "calendar-feed" });
    try {
      if (req.method !== "GET" && req.method !== "HEAD") {
        log.set({ outcome: "method_not_allowed" });
        return plain(405, "Method not allowed\n", { Allow: "GET, HEAD" });
      }
      const match = new URL(req.url).pathname.match(FEED_PATH);
      if (!match) return notFound(log);
      return await serveFeed(req, match[1], deps, log);
    } catch (err) {
      // Only reachable through a bug; the error text never holds the token (it is only in the RPC's arguments).
      log.set({ outcome: "internal_error", error: `unexpected: ${String(err)}` });
      log.raise("error");
      return plain(500, "Internal error\n");
    } finally {
      log.flush();
    }
  };
}

/** A handler configured from the given environment (for embedding and tests). */
export function createEnvFeedHandler(config: WebhookConfig = loadConfig(denoEnv)): Handler {
  return createFeedHandler({
    rpc: lazyServiceTransport(config),
    log: consoleSink,
    now: Date.now,
    rpcTimeoutMs: config.rpcTimeoutMs,
  });
}

let envHandler: Handler | null = null;

/** The production handler: configuration from the environment, read once on the first request. */
export function handler(req: Request): Promise<Response> {
  envHandler ??= createEnvFeedHandler();
  return envHandler(req);
}
