/**
 * zod schemas: the single description of every Vapi message field this function reads, and of its replies.
 *
 * Inbound schemas are deliberately tolerant (loose objects, wrong-typed optional fields become null) because
 * Vapi's real payloads differ from its SPEC (protocol doc §3.2, §9). Only `message.type` is required.
 */
import { z } from "zod";

/** An optional string field; any other type (or an empty string) reads as null instead of failing the message. */
const optionalText = z.string().trim().min(1).nullish().catch(null).transform((v) => v ?? null);
/** A field read as-is (arguments may be an object or a JSON string); it may be absent. */
const anyValue = z.unknown().optional();
const optionalNumber = z.number().finite().nullish().catch(null).transform((v) => v ?? null);
/** An optional nested object; a non-object reads as an empty one. */
const optionalObject = <T extends z.ZodRawShape>(shape: T) =>
  z.looseObject(shape).nullish().catch(null).transform((v) => v ?? z.looseObject(shape).parse({}));

// ---------------------------------------------------------------------------------------------------------------
// Envelope and tenant keys
// ---------------------------------------------------------------------------------------------------------------

export const envelopeSchema = z.looseObject({
  message: z.looseObject({ type: z.string().trim().min(1) }),
});

const tenantFieldsSchema = z.looseObject({
  call: optionalObject({
    id: optionalText,
    assistantId: optionalText,
    phoneNumber: optionalObject({ number: optionalText }),
  }),
  assistant: optionalObject({ id: optionalText }),
  phoneNumber: optionalObject({ number: optionalText }),
});

/** The keys SQL resolves a tenant from (docs/rpc-contract.md). Never `customer.number`: that is the caller. */
export interface TenantKeys {
  assistantId: string | null;
  phoneNumber: string | null;
  callId: string | null;
}

export function extractTenantKeys(message: unknown): TenantKeys {
  const m = tenantFieldsSchema.catch(tenantFieldsSchema.parse({})).parse(message);
  return {
    assistantId: m.call.assistantId ?? m.assistant.id,
    phoneNumber: m.phoneNumber.number ?? m.call.phoneNumber.number,
    callId: m.call.id,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// tool-calls and legacy function-call
// ---------------------------------------------------------------------------------------------------------------

/** `{id, function:{name, arguments|parameters}}` or `{id, name, arguments|parameters}` (protocol doc §3.1). */
const toolCallItemSchema = z.looseObject({
  id: z.union([z.string().trim().min(1), z.number().transform(String)]),
  function: optionalObject({ name: optionalText, arguments: anyValue, parameters: anyValue }),
  name: optionalText,
  arguments: anyValue,
  parameters: anyValue,
});

const itemList = z.array(z.unknown()).nullish().catch(null).transform((v) => v ?? []);

export const toolCallsMessageSchema = z.looseObject({
  type: z.literal("tool-calls"),
  toolCallList: itemList,
  toolCalls: itemList,
  toolWithToolCallList: itemList,
});

export const functionCallMessageSchema = z.looseObject({
  type: z.literal("function-call"),
  functionName: optionalText,
  functionCall: optionalObject({
    name: optionalText,
    functionName: optionalText,
    parameters: anyValue,
    arguments: anyValue,
  }),
});

/** Arguments as the RPC receives them, or `invalid` when a JSON string could not be read as an object. */
export type ParsedArguments = { ok: true; value: Record<string, unknown> } | { ok: false };

export interface ToolCall {
  /** Vapi's tool call id; null for legacy `function-call` (SQL derives an idempotency key). */
  id: string | null;
  name: string;
  args: ParsedArguments;
}

export function parseArguments(raw: unknown): ParsedArguments {
  let value = raw;
  if (value === undefined || value === null) return { ok: true, value: {} };
  if (typeof value === "string") {
    if (!value.trim()) return { ok: true, value: {} };
    try {
      value = JSON.parse(value);
    } catch {
      return { ok: false };
    }
  }
  if (value && typeof value === "object" && !Array.isArray(value)) {
    return { ok: true, value: value as Record<string, unknown> };
  }
  return { ok: false };
}

function firstNonEmpty(...lists: unknown[][]): unknown[] {
  return lists.find((list) => list.length > 0) ?? [];
}

/**
 * All tool calls of a `tool-calls` message, in request order, deduplicated by id. `toolCallList` is canonical;
 * `toolCalls` and `toolWithToolCallList[].toolCall` are fallbacks (the latter's `function.parameters` is the tool's
 * JSON schema, so only its nested `toolCall` is read). Items without an id cannot be answered and are skipped.
 */
export function extractToolCalls(message: z.infer<typeof toolCallsMessageSchema>): ToolCall[] {
  const nested = message.toolWithToolCallList.map((t) =>
    t && typeof t === "object" ? (t as Record<string, unknown>).toolCall : undefined
  ).filter((t) => t !== undefined && t !== null);
  const items = firstNonEmpty(message.toolCallList, message.toolCalls, nested);
  const seen = new Set<string>();
  const calls: ToolCall[] = [];
  for (const item of items) {
    const parsed = toolCallItemSchema.safeParse(item);
    if (!parsed.success || seen.has(parsed.data.id)) continue;
    seen.add(parsed.data.id);
    const it = parsed.data;
    const fn = it.function;
    calls.push({
      id: it.id,
      name: fn.name ?? it.name ?? "",
      args: parseArguments(fn.arguments ?? fn.parameters ?? it.arguments ?? it.parameters),
    });
  }
  return calls;
}

/** The single call of a legacy `function-call` message (`functionCall.name ?? functionName`). */
export function extractFunctionCall(message: z.infer<typeof functionCallMessageSchema>): ToolCall {
  const fc = message.functionCall;
  return {
    id: null,
    name: fc.name ?? fc.functionName ?? message.functionName ?? "",
    args: parseArguments(fc.parameters ?? fc.arguments),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Lifecycle events and assistant-request
// ---------------------------------------------------------------------------------------------------------------

export const callEventMessageSchema = z.looseObject({
  type: z.enum(["status-update", "end-of-call-report"]),
  timestamp: z.union([z.number().finite(), z.string()]).nullish().catch(null),
  status: optionalText,
  endedReason: optionalText,
  startedAt: optionalText,
  endedAt: optionalText,
  durationSeconds: optionalNumber,
  durationMs: optionalNumber,
  cost: optionalNumber,
  summary: optionalText,
  transcript: optionalText,
  recordingUrl: optionalText,
  analysis: optionalObject({ summary: optionalText }),
  artifact: optionalObject({ transcript: optionalText, recordingUrl: optionalText }),
  call: optionalObject({ startedAt: optionalText, endedAt: optionalText }),
});

/** The compact `p_event` of `record_call_event`: no caller number, no payload beyond these fields. */
export interface CallEvent {
  type: "status-update" | "end-of-call-report";
  timestamp?: string;
  status?: string;
  endedReason?: string;
  startedAt?: string;
  endedAt?: string;
  durationSeconds?: number;
  cost?: number;
  summary?: string;
  transcript?: string;
  recordingUrl?: string;
}

/** Vapi sends epoch milliseconds (older SPEC: ISO string); both become an ISO string. */
export function normaliseTimestamp(value: number | string | null | undefined): string | undefined {
  if (value === null || value === undefined || value === "") return undefined;
  const ms = typeof value === "number" ? value : /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  const date = new Date(ms);
  return Number.isFinite(date.getTime()) ? date.toISOString() : undefined;
}

export function buildCallEvent(m: z.infer<typeof callEventMessageSchema>): CallEvent {
  const event: CallEvent = {
    type: m.type,
    timestamp: normaliseTimestamp(m.timestamp),
    status: m.status ?? undefined,
    endedReason: m.endedReason ?? undefined,
    startedAt: m.startedAt ?? m.call.startedAt ?? undefined,
    endedAt: m.endedAt ?? m.call.endedAt ?? undefined,
    durationSeconds: m.durationSeconds ?? (m.durationMs !== null ? m.durationMs / 1000 : undefined),
    cost: m.cost ?? undefined,
    summary: m.summary ?? m.analysis.summary ?? undefined,
    transcript: m.transcript ?? m.artifact.transcript ?? undefined,
    recordingUrl: m.recordingUrl ?? m.artifact.recordingUrl ?? undefined,
  };
  // Compact: absent fields are left out rather than sent as null.
  return Object.fromEntries(Object.entries(event).filter(([, v]) => v !== undefined)) as unknown as CallEvent;
}

// ---------------------------------------------------------------------------------------------------------------
// RPC returns (docs/rpc-contract.md)
// ---------------------------------------------------------------------------------------------------------------

const nullableText = z.string().nullish().transform((v) => v ?? null);

export const toolRpcReturnSchema = z.looseObject({
  ok: z.boolean(),
  result: anyValue,
  error: nullableText,
  reason: nullableText,
  organization_id: nullableText,
  resolved_by: nullableText,
  replayed: z.boolean().nullish(),
});
export type ToolRpcReturn = z.infer<typeof toolRpcReturnSchema>;

export const callEventRpcReturnSchema = z.looseObject({
  ok: z.boolean(),
  reason: nullableText,
  organization_id: nullableText,
  resolved_by: nullableText,
  changed: z.boolean().nullish(),
});

export const routeRpcReturnSchema = z.looseObject({
  ok: z.boolean(),
  assistant_id: nullableText,
  organization_id: nullableText,
  error: nullableText,
  reason: nullableText,
});

// ---------------------------------------------------------------------------------------------------------------
// Replies to Vapi
// ---------------------------------------------------------------------------------------------------------------

const singleLine = z.string().refine((s) => !/[\r\n]/.test(s), "must be a single line");

export const toolCallResultSchema = z.union([
  z.strictObject({ name: z.string(), toolCallId: z.string(), result: singleLine }),
  z.strictObject({ name: z.string(), toolCallId: z.string(), error: singleLine }),
]);
export type ToolCallResult = z.infer<typeof toolCallResultSchema>;

export const toolCallsResponseSchema = z.strictObject({ results: z.array(toolCallResultSchema) });
export const functionCallResponseSchema = z.strictObject({ result: singleLine });
export const assistantRequestResponseSchema = z.union([
  z.looseObject({ assistantId: z.string().min(1) }),
  z.strictObject({ error: z.string().min(1) }),
]);
