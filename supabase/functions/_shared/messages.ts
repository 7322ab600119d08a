/**
 * One handler per Vapi message type. Each returns the JSON body Vapi expects (always with HTTP 200) and
 * records what it did on the request's log line. Only the RPCs of docs/rpc-contract.md touch the database.
 */
import type { z } from "zod";
import type { WebhookConfig } from "./config.ts";
import type { RequestLog } from "./log.ts";
import { callRpcPatiently, type RpcArgs, type RpcName, type RpcTransport } from "./rpc.ts";
import { callEventRpcReturnSchema, routeRpcReturnSchema, transferRpcReturnSchema } from "./rpc_returns.ts";
import { buildCallEvent, CALL_EVENT_TYPES, callEventMessageSchema } from "./call_events.ts";
import {
  extractFunctionCall,
  extractTenantKeys,
  extractToolCalls,
  functionCallMessageSchema,
  tenantArgs,
  type TenantKeys,
  type ToolCall,
  toolCallsMessageSchema,
} from "./schemas.ts";
import { answererOf, type LanguageMemory, spoken } from "./spoken.ts";
import { gateTransport } from "./tenant_gate.ts";
import { errorOutcome, runToolCalls, type ToolCallResult, type ToolOutcome, toToolCallResult } from "./tools.ts";

export interface DispatchContext {
  config: WebhookConfig;
  rpc: RpcTransport;
  log: RequestLog;
  /** The last language SQL reported per call and assistant: the language of this function's own sentences. */
  languages: LanguageMemory;
  /** When the request arrived (epoch ms): every budget counts from then, so a body that was slow to come spends it. */
  arrivedAt: number;
}

export type VapiMessage = Record<string, unknown> & { type: string };

// Replies, as the SDK's ServerMessageResponse* types describe them (tests check them against those types).
export interface ToolCallsReply {
  results: ToolCallResult[];
}
export interface FunctionCallReply {
  result: string;
}
export type AssistantRequestReply = { assistantId: string } | { error: string };
export type TransferDestinationReply =
  | { destination: { type: "number"; number: string; message: string } }
  | { error: string };
export interface CampaignPredialReply {
  eligible: boolean;
}
export type Reply =
  | ToolCallsReply
  | FunctionCallReply
  | AssistantRequestReply
  | TransferDestinationReply
  | CampaignPredialReply
  | Record<
    string,
    never
  >;

/** The message's tenant keys, noted on the log line. */
function tenantKeysOf(message: VapiMessage, log: RequestLog): TenantKeys {
  const keys = extractTenantKeys(message);
  log.set({ call_id: keys.callId, assistant_id: keys.assistantId, phone_number: keys.phoneNumber });
  return keys;
}

/**
 * One non-tool RPC — a call event, routing or a transfer look-up, each safe to repeat — asked again after a transient
 * failure or a lock wait; a failure is logged as an error and comes back as null (the caller answers without it).
 */
async function callOrLog<T, F extends RpcName>(
  ctx: DispatchContext,
  fn: F,
  args: RpcArgs<F>,
  schema: z.ZodType<T>,
  timeoutMs = ctx.config.rpcTimeoutMs,
): Promise<T | null> {
  const left = ctx.arrivedAt + timeoutMs - Date.now();
  const outcome = await callRpcPatiently(ctx.rpc, fn, args, schema, left, "lock-wait");
  if (outcome.ok) return outcome.data;
  ctx.log.set({ outcome: "rpc_failed", error: outcome.detail });
  ctx.log.raise("error");
  return null;
}

const WORTH_A_LOOK = new Set(["too_many_tool_calls", "unknown_tool", "tool_call_conflict"]);

/** Folds the per-call outcomes into the log line: tenant, reasons, the worst outcome and the real errors. */
function noteToolOutcomes(log: RequestLog, outcomes: ToolOutcome[]): void {
  const resolved = outcomes.find((o) => o.organizationId !== null);
  const failures = outcomes.flatMap((o) => (o.failure ? [o.failure] : []));
  const orgNotFound = outcomes.some((o) => o.reason === "organization_not_found");
  // Too many calls, a tool this backend does not serve (the assistant's configuration is off), or a ledger key already
  // used for another tool (a client's error, or someone replaying ids): worth a look.
  const worthALook = outcomes.some((o) => WORTH_A_LOOK.has(o.reason));
  log.set({
    organization_id: resolved?.organizationId ?? null,
    resolved_by: resolved?.resolvedBy ?? null,
    tools: outcomes.map((o) => o.name),
    reasons: outcomes.map((o) => o.reason),
    outcome: failures.length ? "rpc_failed" : orgNotFound ? "organization_not_found" : "ok",
  });
  if (orgNotFound || worthALook) log.raise("warn");
  if (failures.length) {
    log.set({ error: failures.join("; ") });
    log.raise("error");
  }
}

async function runCalls(calls: ToolCall[], message: VapiMessage, ctx: DispatchContext): Promise<ToolOutcome[]> {
  const keys = tenantKeysOf(message, ctx.log);
  const outcomes = await runToolCalls(calls, {
    keys,
    transport: ctx.rpc,
    deadline: ctx.arrivedAt + ctx.config.rpcTimeoutMs,
    languages: ctx.languages,
  });
  noteToolOutcomes(ctx.log, outcomes);
  return outcomes;
}

/** Notes an RPC's answer on the log line (tenant, how it was found, its reason); returns the reason. */
function noteAnswer(
  log: RequestLog,
  ret: { ok: boolean; reason: string | null; organization_id: string | null; resolved_by: string | null },
): string {
  const reason = ret.reason ?? (ret.ok ? "ok" : "error");
  log.set({
    organization_id: ret.organization_id,
    resolved_by: ret.resolved_by,
    outcome: ret.ok ? "ok" : reason,
    reasons: [reason],
  });
  return reason;
}

/** `tool-calls` → `{ results: [...] }`, exactly one entry per tool call in request order. */
async function handleToolCalls(message: VapiMessage, ctx: DispatchContext): Promise<ToolCallsReply> {
  const calls = extractToolCalls(toolCallsMessageSchema.parse(message));
  const outcomes = await runCalls(calls, message, ctx);
  return { results: outcomes.map(toToolCallResult) };
}

/** Legacy `function-call` → `{ result }`; a failure's spoken error is the result the model hears. */
async function handleFunctionCall(message: VapiMessage, ctx: DispatchContext): Promise<FunctionCallReply> {
  const call = extractFunctionCall(functionCallMessageSchema.parse(message));
  const [outcome] = await runCalls([call], message, ctx);
  return { result: outcome.text };
}

/**
 * `status-update`, `end-of-call-report`, `language-change-detected` → one `record_call_event`; the reply is `{}`
 * whatever happens. An event refused by SQL (unknown tenant, another tenant's call) is a warning log line.
 */
async function handleCallEvent(message: VapiMessage, ctx: DispatchContext): Promise<Record<string, never>> {
  const keys = tenantKeysOf(message, ctx.log);
  const ret = await callOrLog(ctx, "record_call_event", {
    ...tenantArgs(keys),
    p_event: buildCallEvent(callEventMessageSchema.parse(message)),
  }, callEventRpcReturnSchema);
  if (!ret) return {};
  const reason = noteAnswer(ctx.log, ret);
  // The event that created the call's row answers before any switch (a detected language is the call's only).
  const by = answererOf(ret);
  if (ret.ok && message.type === "language-change-detected") ctx.languages.rememberSwitch(keys, ret.language, by);
  else if (ret.ok && ret.reason === "created") {
    ctx.languages.rememberCallStart(keys, ret.language, by.organizationId, by.byLine);
  } else if (ret.ok) ctx.languages.remember(keys, ret.language, by);
  // A refusal, or a detected language this call cannot be answered in (logged here, once per event).
  if (!ret.ok || reason.startsWith("language_")) ctx.log.raise("warn");
  return {};
}

/** `assistant-request` → `{ assistantId }` or a spoken `{ error }`, within a budget shorter than Vapi's 7.5 s. */
async function handleAssistantRequest(
  message: VapiMessage,
  ctx: DispatchContext,
): Promise<AssistantRequestReply> {
  const keys = tenantKeysOf(message, ctx.log);
  const ret = await callOrLog(
    ctx,
    "route_assistant_request",
    { p_phone_number: keys.phoneNumber, p_vapi_call_id: keys.callId, p_phone_number_id: keys.phoneNumberId },
    routeRpcReturnSchema,
    ctx.config.assistantRequestTimeoutMs,
  );
  if (!ret) return { error: spoken(ctx.languages.recallLine(keys)).routing_failure };
  noteAnswer(ctx.log, ret);
  if (ret.ok && ret.assistant_id) {
    // Routed by the line, but its call id is recorded for another organization (left alone, its language too).
    const ownCall = ret.reason !== "call_of_another_organization";
    ctx.languages.rememberCallStart(
      { callId: ownCall ? keys.callId : null, assistantId: ret.assistant_id },
      ret.language,
      ret.organization_id,
    );
    ctx.languages.rememberLine(keys, ret.language);
    if (!ownCall) ctx.log.raise("warn"); // worth a look
    return { assistantId: ret.assistant_id };
  }
  ctx.log.raise("warn");
  return { error: ret.error || spoken(ret.language).routing_failure };
}

/**
 * `transfer-destination-request` → the organization's configured human as a `number` destination with a short
 * spoken message, or Vapi's `{ error }` when there is none (or no tenant, or no database).
 */
async function handleTransferDestinationRequest(
  message: VapiMessage,
  ctx: DispatchContext,
): Promise<TransferDestinationReply> {
  const keys = tenantKeysOf(message, ctx.log);
  const ret = await callOrLog(ctx, "transfer_destination", tenantArgs(keys), transferRpcReturnSchema);
  if (!ret) return { error: spoken(ctx.languages.recall(keys)).transfer_unavailable };
  noteAnswer(ctx.log, ret);
  if (ret.organization_id) ctx.languages.remember(keys, ret.language, answererOf(ret));
  const say = spoken(ret.organization_id ? ret.language : null);
  if (ret.ok && ret.destination) {
    return { destination: { type: "number", number: ret.destination, message: say.transfer_connecting } };
  }
  ctx.log.raise("warn");
  return { error: say.transfer_unavailable };
}

/**
 * `campaign.predial` (a campaign whose pre-dial check points here): every contact is eligible, as without the check —
 * Vapi reads any other answer, `{}` included, as a failure and would place none of the campaign's calls.
 */
function handleCampaignPredial(_message: VapiMessage, ctx: DispatchContext): Promise<CampaignPredialReply> {
  ctx.log.set({ outcome: "eligible" });
  return Promise.resolve({ eligible: true });
}

type MessageHandler = (m: VapiMessage, ctx: DispatchContext) => Promise<Reply>;

const HANDLERS: Readonly<Record<string, MessageHandler>> = {
  "tool-calls": handleToolCalls,
  "function-call": handleFunctionCall,
  ...Object.fromEntries(CALL_EVENT_TYPES.map((type) => [type, handleCallEvent])),
  "assistant-request": handleAssistantRequest,
  "transfer-destination-request": handleTransferDestinationRequest,
  "campaign.predial": handleCampaignPredial,
};

/** The reply when a handler threw (a bug): still a 200 Vapi can use, never a 5xx. */
function fallbackReply(message: VapiMessage, ctx: DispatchContext): Reply {
  const say = spoken(ctx.languages.recall(extractTenantKeys(message)));
  switch (message.type) {
    case "tool-calls": {
      const parsed = toolCallsMessageSchema.safeParse(message);
      const calls = parsed.success ? extractToolCalls(parsed.data) : [];
      return { results: calls.map((call) => toToolCallResult(errorOutcome(call, say.rpc_failure, "rpc_failed"))) };
    }
    case "function-call":
      return { result: say.rpc_failure };
    case "assistant-request":
      return { error: say.routing_failure };
    case "transfer-destination-request":
      return { error: say.transfer_unavailable };
    default:
      return {};
  }
}

/** Dispatches on `message.type`; unknown types are acknowledged with `{}` and never touch the database. */
export async function dispatchMessage(message: VapiMessage, ctx: DispatchContext): Promise<Reply> {
  const handle = Object.hasOwn(HANDLERS, message.type) ? HANDLERS[message.type] : null;
  if (!handle) {
    tenantKeysOf(message, ctx.log); // so its line joins the call's others
    ctx.log.set({ outcome: "ignored" });
    return {};
  }
  try {
    return await handle(message, { ...ctx, rpc: gateTransport(ctx.rpc, extractTenantKeys(message)) });
  } catch (err) {
    ctx.log.set({ outcome: "internal_error", error: `unexpected: ${String(err)}` });
    ctx.log.raise("error");
    return fallbackReply(message, ctx);
  }
}
