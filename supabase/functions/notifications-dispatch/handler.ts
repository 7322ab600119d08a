/**
 * The SMS outbox's dispatcher as a plain `(Request) => Promise<Response>` function: POST with
 * `Authorization: Bearer <NOTIFICATIONS_DISPATCH_SECRET>` (Supabase Cron every minute; fail closed) claims due texts
 * (claim_notifications: FOR UPDATE SKIP LOCKED, `sending` under a lease), sends each through Twilio — or, for a text
 * whose earlier send went unanswered, looks it up in Twilio's message list — and records the outcome
 * (record_notification_result). The delivery rules (backoff, bounds, opt-outs, reconciliation) live in SQL.
 */
import { z } from "zod";
import { secretsEqual } from "../_shared/auth.ts";
import { denoEnv, type EnvReader } from "../_shared/config.ts";
import { jsonResponse } from "../_shared/http.ts";
import {
  consoleSink,
  eventLine,
  type LogSink,
  maskedLine,
  maskPhone,
  maskPhonesInText,
  requestIdFrom,
} from "../_shared/log.ts";
import { callRpc, getServiceTransport, type RpcTransport } from "../_shared/rpc.ts";
import { findSentSms, type SendOutcome, sendSms } from "../_shared/twilio.ts";
import { accountFor, loadTextsFunctionConfig, type SmsConfig } from "../_shared/twilio_config.ts";

export const BATCH_SIZE = 10;
/** Texts sent at once; a batch takes at most ceil(BATCH_SIZE / PARALLEL_SENDS) Twilio timeouts. */
const PARALLEL_SENDS = 5;
/**
 * A run claims batch after batch while they come full and this much time is left since it began: a backlog (reminders
 * released together when quiet hours end) drains in one run, and the run still ends well before the next minute's.
 */
export const RUN_BUDGET_MS = 30_000;
const RPC_TIMEOUT_MS = 8000;

const claimedSchema = z.array(z.object({
  id: z.string(),
  claim_id: z.string(),
  organization_id: z.string(),
  kind: z.string(),
  to_phone: z.string(),
  from_phone: z.string().nullable(),
  body: z.string(),
  attempts: z.number(),
  reconcile: z.boolean(),
  last_attempt_at: z.string().nullable(),
}));
type Claimed = z.infer<typeof claimedSchema>[number];

export interface DispatchDeps {
  dispatchSecret: string | null;
  sms: SmsConfig;
  rpc: RpcTransport;
  fetch: typeof fetch;
  log: LogSink;
}

export interface DispatchSummary {
  claimed: number;
  sent: number;
  retry: number;
  failed: number;
  opted_out: number;
  undeliverable: number;
  unknown: number;
  late: number;
}

function authorized(req: Request, secret: string | null): boolean {
  const token = req.headers.get("authorization")?.match(/^bearer[ \t]+(\S+)$/i)?.[1];
  return Boolean(secret && token && secretsEqual(token, secret));
}

/** Sends a claimed text, or for a reconciliation looks up the lost send at Twilio. */
function attempt(row: Claimed, deps: DispatchDeps): Promise<SendOutcome> {
  const credentials = accountFor(deps.sms, row.organization_id);
  if (!credentials) {
    return Promise.resolve({
      outcome: "retry",
      error: "no Twilio account for this organization",
      retryAfterSeconds: null,
    });
  }
  if (row.reconcile) {
    const since = new Date(row.last_attempt_at ?? 0);
    return findSentSms(deps.sms, credentials, { to: row.to_phone, body: row.body, since }, deps.fetch);
  }
  return sendSms(deps.sms, credentials, { to: row.to_phone, body: row.body, from: row.from_phone }, deps.fetch);
}

async function deliver(
  row: Claimed,
  deps: DispatchDeps,
  requestId: string,
  deadline: number,
): Promise<SendOutcome["outcome"] | "late"> {
  // Past the lease (minus one request) another run may already treat this text as unknown: leave it to reconciliation.
  if (Date.now() > deadline) return "late";
  const result = await attempt(row, deps);
  const error = result.outcome === "sent" ? null : maskPhonesInText(result.error); // also stored in the outbox row
  const recorded = await callRpc(
    deps.rpc,
    "record_notification_result",
    {
      p_id: row.id,
      p_claim_id: row.claim_id,
      p_outcome: result.outcome,
      p_provider_message_id: result.outcome === "sent" ? result.sid : null,
      p_error: error,
      p_retry_after_seconds: result.outcome === "retry" ? result.retryAfterSeconds : null,
    },
    z.string().nullable(),
    RPC_TIMEOUT_MS,
  );
  deps.log(maskedLine({
    level: result.outcome === "sent" ? "info" : "warn",
    request_id: requestId,
    message_type: "notification",
    notification_id: row.id,
    organization_id: row.organization_id,
    kind: row.kind,
    reconcile: row.reconcile,
    to: maskPhone(row.to_phone),
    attempt: row.attempts,
    outcome: result.outcome,
    status: recorded.ok ? recorded.data : null,
    ...(error === null ? {} : { error }),
    // Not recorded: the lease runs out and the row becomes failed/outcome_unknown (a sent text is never resent).
    ...(recorded.ok ? {} : { record_error: recorded.detail }),
  }));
  return result.outcome;
}

/**
 * One dispatcher run: claim a batch, send, record — again while the batches come full and RUN_BUDGET_MS lasts. Only a
 * first claim that fails is the run's failure; a later one ends the run with what it sent.
 */
export async function dispatchOnce(deps: DispatchDeps, requestId: string): Promise<DispatchSummary | string> {
  // Without a global account only the organizations with their own account are claimed (the rest wait).
  const organizations = deps.sms.global ? null : [...deps.sms.perOrganization.keys()];
  const summary: DispatchSummary = {
    claimed: 0,
    sent: 0,
    retry: 0,
    failed: 0,
    opted_out: 0,
    undeliverable: 0,
    unknown: 0,
    late: 0,
  };
  if (organizations?.length === 0) return summary;
  const leaseSeconds = Math.ceil(BATCH_SIZE / PARALLEL_SENDS) * Math.ceil(deps.sms.timeoutMs / 1000) * 2 + 60;
  const runEnds = Date.now() + RUN_BUDGET_MS;
  do {
    const deadline = Date.now() + leaseSeconds * 1000 - deps.sms.timeoutMs - 5000;
    const claimed = await callRpc(
      deps.rpc,
      "claim_notifications",
      {
        p_limit: BATCH_SIZE,
        p_lease_seconds: leaseSeconds,
        p_organization_ids: organizations,
      },
      claimedSchema,
      RPC_TIMEOUT_MS,
    );
    if (!claimed.ok) return summary.claimed === 0 ? claimed.detail : summary;
    summary.claimed += claimed.data.length;
    for (let i = 0; i < claimed.data.length; i += PARALLEL_SENDS) {
      const outcomes = await Promise.all(
        claimed.data.slice(i, i + PARALLEL_SENDS).map((r) => deliver(r, deps, requestId, deadline)),
      );
      for (const outcome of outcomes) summary[outcome]++;
    }
    if (claimed.data.length < BATCH_SIZE) return summary;
  } while (Date.now() < runEnds);
  return summary;
}

export function createDispatchHandler(deps: DispatchDeps): (req: Request) => Promise<Response> {
  return async (req) => {
    const requestId = requestIdFrom(req.headers);
    const line = eventLine(deps.log, requestId, "dispatch");
    if (req.method !== "POST") {
      line("warn", "method_not_allowed");
      return jsonResponse(405, { error: "Method not allowed" }, { Allow: "POST" });
    }
    if (!authorized(req, deps.dispatchSecret)) {
      line("warn", "unauthorized");
      return jsonResponse(401, { error: "Unauthorized" });
    }
    await req.body?.cancel();
    const result = await dispatchOnce(deps, requestId);
    if (typeof result === "string") {
      line("error", "rpc_failed", { error: result });
      return jsonResponse(503, { error: "The outbox could not be reached" });
    }
    line("info", "ok", { ...result });
    return jsonResponse(200, result);
  };
}

/**
 * The handler configured from the environment (what index.ts and the local stack serve); a configuration that cannot
 * send texts as written logs its config_error line at start.
 */
export function createEnvDispatchHandler(env: EnvReader = denoEnv): (req: Request) => Promise<Response> {
  const { sms, database, own } = loadTextsFunctionConfig(
    env,
    { name: "NOTIFICATIONS_DISPATCH_SECRET", unset: "every dispatch is refused with 401, texts stay pending" },
    "no text is claimed or sent",
  );
  return createDispatchHandler({
    dispatchSecret: own,
    sms,
    rpc: getServiceTransport(database),
    fetch: (input, init) => fetch(input, init),
    log: consoleSink,
  });
}

export const handler = createEnvDispatchHandler();
