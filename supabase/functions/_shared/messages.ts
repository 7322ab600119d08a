/**
 * One handler per Vapi message type. Each returns the JSON body Vapi expects (always with HTTP 200) and
 * records what it did on the request's log line. Only the RPCs of docs/rpc-contract.md touch the database.
 */
import type { WebhookConfig } from "./config.ts";
import type { RequestLog } from "./log.ts";
import { callRpc, type RpcTransport, SPOKEN_RPC_FAILURE } from "./rpc.ts";
import {
  buildCallEvent,
  callEventMessageSchema,
  callEventRpcReturnSchema,
  extractFunctionCall,
  extractTenantKeys,
  extractToolCalls,
  functionCallMessageSchema,
  routeRpcReturnSchema,
  type TenantKeys,
  type ToolCall,
  toolCallsMessageSchema,
} from "./schemas.ts";
import { runToolCalls, type ToolOutcome, toToolCallResult } from "./tools.ts";

export const SPOKEN_ROUTING_FAILURE = "Sorry, this number is not available right now.";

export interface DispatchContext {
  config: WebhookConfig;
  rpc: RpcTransport;
  log: RequestLog;
}

export type VapiMessage = Record<string, unknown> & { type: string };

function noteTenantKeys(log: RequestLog, keys: TenantKeys): void {
  log.set({ call_id: keys.callId, assistant_id: keys.assistantId, phone_number: keys.phoneNumber });
}

/** Folds the per-call outcomes into the log line: tenant, reasons, the worst outcome and the real errors. */
function noteToolOutcomes(log: RequestLog, outcomes: ToolOutcome[]): void {
  const resolved = outcomes.find((o) => o.organizationId !== null);
  const failures = outcomes.flatMap((o) => (o.failure ? [o.failure] : []));
  const orgNotFound = outcomes.some((o) => o.reason === "organization_not_found");
  log.set({
    organization_id: resolved?.organizationId ?? null,
    resolved_by: resolved?.resolvedBy ?? null,
    tools: outcomes.map((o) => o.name),
    reasons: outcomes.map((o) => o.reason),
    outcome: failures.length ? "rpc_failed" : orgNotFound ? "organization_not_found" : "ok",
  });
  if (orgNotFound) log.raise("warn");
  if (failures.length) {
    log.set({ error: failures.join("; ") });
    log.raise("error");
  }
}

function failedOutcome(call: ToolCall, failure: string): ToolOutcome {
  return {
    name: call.name,
    toolCallId: call.id,
    ok: false,
    text: SPOKEN_RPC_FAILURE,
    reason: "rpc_failed",
    organizationId: null,
    resolvedBy: null,
    failure,
  };
}

async function runCalls(calls: ToolCall[], message: VapiMessage, ctx: DispatchContext): Promise<ToolOutcome[]> {
  const keys = extractTenantKeys(message);
  noteTenantKeys(ctx.log, keys);
  let outcomes: ToolOutcome[];
  try {
    outcomes = await runToolCalls(calls, keys, ctx.rpc, ctx.config.rpcTimeoutMs);
  } catch (err) {
    outcomes = calls.map((call) => failedOutcome(call, `unexpected: ${String(err)}`));
  }
  noteToolOutcomes(ctx.log, outcomes);
  return outcomes;
}

/** `tool-calls` → `{ results: [...] }`, one entry per tool call in request order. */
export async function handleToolCalls(message: VapiMessage, ctx: DispatchContext): Promise<unknown> {
  const calls = extractToolCalls(toolCallsMessageSchema.parse(message));
  const outcomes = await runCalls(calls, message, ctx);
  return { results: outcomes.map(toToolCallResult) };
}

/** Legacy `function-call` → `{ result }`; a failure's spoken error is the result the model hears. */
export async function handleFunctionCall(message: VapiMessage, ctx: DispatchContext): Promise<unknown> {
  const call = extractFunctionCall(functionCallMessageSchema.parse(message));
  const [outcome] = await runCalls([call], message, ctx);
  return { result: outcome.text };
}

/** `status-update` / `end-of-call-report` → one `record_call_event`; the reply is `{}` whatever happens. */
export async function handleCallEvent(message: VapiMessage, ctx: DispatchContext): Promise<unknown> {
  const keys = extractTenantKeys(message);
  noteTenantKeys(ctx.log, keys);
  const event = buildCallEvent(callEventMessageSchema.parse(message));
  const outcome = await callRpc(
    ctx.rpc,
    "record_call_event",
    {
      p_assistant_id: keys.assistantId,
      p_phone_number: keys.phoneNumber,
      p_vapi_call_id: keys.callId,
      p_event: event,
    },
    callEventRpcReturnSchema,
    ctx.config.rpcTimeoutMs,
  );
  if (!outcome.ok) {
    ctx.log.set({ outcome: "rpc_failed", error: outcome.detail });
    ctx.log.raise("error");
    return {};
  }
  const ret = outcome.data;
  const reason = ret.reason ?? (ret.ok ? "ok" : "error");
  ctx.log.set({
    organization_id: ret.organization_id,
    resolved_by: ret.resolved_by,
    outcome: ret.ok ? "ok" : reason,
    reasons: [reason],
  });
  if (!ret.ok) ctx.log.raise("warn");
  return {};
}

/** `assistant-request` → `{ assistantId }` or a spoken `{ error }`, within a budget shorter than Vapi's 7.5 s. */
export async function handleAssistantRequest(message: VapiMessage, ctx: DispatchContext): Promise<unknown> {
  const keys = extractTenantKeys(message);
  noteTenantKeys(ctx.log, keys);
  const outcome = await callRpc(
    ctx.rpc,
    "route_assistant_request",
    { p_phone_number: keys.phoneNumber, p_vapi_call_id: keys.callId },
    routeRpcReturnSchema,
    ctx.config.assistantRequestTimeoutMs,
  );
  if (!outcome.ok) {
    ctx.log.set({ outcome: "rpc_failed", error: outcome.detail });
    ctx.log.raise("error");
    return { error: SPOKEN_ROUTING_FAILURE };
  }
  const ret = outcome.data;
  ctx.log.set({ organization_id: ret.organization_id, reasons: ret.reason ? [ret.reason] : undefined });
  if (ret.ok && ret.assistant_id) {
    ctx.log.set({ outcome: "ok" });
    return { assistantId: ret.assistant_id };
  }
  ctx.log.set({ outcome: ret.reason ?? "not_routed" });
  ctx.log.raise("warn");
  return { error: ret.error || SPOKEN_ROUTING_FAILURE };
}

const HANDLERS: Readonly<Record<string, (m: VapiMessage, ctx: DispatchContext) => Promise<unknown>>> = {
  "tool-calls": handleToolCalls,
  "function-call": handleFunctionCall,
  "status-update": handleCallEvent,
  "end-of-call-report": handleCallEvent,
  "assistant-request": handleAssistantRequest,
};

/** The reply when a handler threw unexpectedly: still a 200 Vapi can use, never a 5xx. */
function fallbackReply(message: VapiMessage): unknown {
  switch (message.type) {
    case "tool-calls": {
      const parsed = toolCallsMessageSchema.safeParse(message);
      const calls = parsed.success ? extractToolCalls(parsed.data) : [];
      return { results: calls.map((call) => toToolCallResult(failedOutcome(call, ""))) };
    }
    case "function-call":
      return { result: SPOKEN_RPC_FAILURE };
    case "assistant-request":
      return { error: SPOKEN_ROUTING_FAILURE };
    default:
      return {};
  }
}

/** Dispatches on `message.type`; unknown types are acknowledged with `{}` and never touch the database. */
export async function dispatchMessage(message: VapiMessage, ctx: DispatchContext): Promise<unknown> {
  const handle = Object.hasOwn(HANDLERS, message.type) ? HANDLERS[message.type] : null;
  if (!handle) {
    ctx.log.set({ outcome: "ignored" });
    return {};
  }
  try {
    return await handle(message, ctx);
  } catch (err) {
    ctx.log.set({ outcome: "internal_error", error: `unexpected: ${String(err)}` });
    ctx.log.raise("error");
    return fallbackReply(message);
  }
}
