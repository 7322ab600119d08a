/**
 * zod schemas: the single description of every Vapi message field this function reads (call lifecycle events:
 * `call_events.ts`; replies are typed in `messages.ts` and checked against the SDK in tests; RPC returns: `rpc.ts`).
 *
 * Inbound schemas are deliberately tolerant (loose objects, wrong-typed optional fields become null) because
 * Vapi's real payloads differ from its SPEC (protocol doc §3.2, §9). Only `message.type` is required.
 */
import { z } from "zod";

/** An optional string field; any other type (or an empty string) reads as null instead of failing the message. */
export const optionalText = z.string().trim().min(1).nullish().catch(null).transform((v) => v ?? null);
/** A field read as-is (arguments may be an object or a JSON string); it may be absent. */
const anyValue = z.unknown().optional();
/** Longer ids are not Vapi's (theirs are ~30 characters) and would not fit the ledger's or call log's index. */
export const MAX_ID_LENGTH = 512;
/** A tenant key or id: as optionalText, and one longer than MAX_ID_LENGTH reads as absent too. */
const optionalId = z.string().trim().min(1).max(MAX_ID_LENGTH).nullish().catch(null).transform((v) => v ?? null);
export const optionalNumber = z.number().finite().nullish().catch(null).transform((v) => v ?? null);
/** An id Vapi types as a string, read as its text when a client sends a number (a tool call's, a call's, a chat's). */
const idText = z.union([z.string(), z.number().finite().transform(String)]);
/** A call's (or chat's) own id: as optionalText, and a number reads as its text, as a tool call's id does. */
const optionalCallId = idText.pipe(z.string().trim().min(1)).nullish().catch(null).transform((v) => v ?? null);
/**
 * An optional nested object; a non-object reads as an empty one. The object schema is built once: zod compiles a
 * parser per schema on its first use, and a schema built per request was compiled again on every request.
 */
export const optionalObject = <T extends z.ZodRawShape>(shape: T) => {
  const object = z.looseObject(shape);
  return object.nullish().catch(null).transform((v) => v ?? object.parse({}));
};

// ---------------------------------------------------------------------------------------------------------------
// Envelope and tenant keys
// ---------------------------------------------------------------------------------------------------------------

export const envelopeSchema = z.looseObject({
  message: z.looseObject({ type: z.string().trim().min(1) }),
});

/** Where a message names the tenant's line: `phoneNumber` (a Vapi, Twilio-imported, BYO, … number object). */
const lineShape = {
  id: optionalId,
  number: optionalId,
  twilioPhoneNumber: optionalId,
  assistantId: optionalId,
  provider: optionalId,
};

/**
 * A Vonage line's numbers come as Vonage writes them, E.164 without the `+` ("the digits of the phone number"): on such
 * a line, 8 to 15 bare digits get their `+`. Elsewhere bare digits stay as sent (a national number is no E.164).
 */
function onLine(number: string | null, provider: string | null): string | null {
  return provider === "vonage" && number !== null && /^[1-9]\d{7,14}$/.test(number) ? `+${number}` : number;
}

const tenantFieldsSchema = z.looseObject({
  call: optionalObject({
    id: optionalCallId, // the call's own id is length-checked below: too long is refused, not read as absent
    assistantId: optionalId,
    phoneNumberId: optionalId,
    phoneNumber: optionalObject(lineShape),
    customer: optionalObject({ number: optionalText }),
  }),
  assistant: optionalObject({ id: optionalId }),
  phoneNumber: optionalObject(lineShape),
  chat: optionalObject({ id: optionalCallId, sessionId: optionalCallId, assistantId: optionalId }),
  customer: optionalObject({ number: optionalText }),
});

/**
 * The keys SQL resolves a tenant from (docs/rpc-contract.md), plus the caller's number, which is never a tenant key
 * (SQL uses it only as the booking's phone and to find "my appointment" within the resolved organization).
 */
export interface TenantKeys {
  assistantId: string | null;
  /** Vapi's id of the tenant's line. */
  phoneNumberId: string | null;
  /** The tenant's line as a phone number (E.164 or close to it; SQL normalises). */
  phoneNumber: string | null;
  callId: string | null;
  /**
   * The message named its call (or chat session) with an id over MAX_ID_LENGTH: no ledger key holds it, so its tool
   * calls are refused alike at every delivery instead of being served as calls without an id (callId is then null).
   */
  callIdTooLong?: boolean;
  /** The caller's number (`customer.number`). */
  callerPhone: string | null;
}

export function extractTenantKeys(message: unknown): TenantKeys {
  const m = tenantFieldsSchema.catch(tenantFieldsSchema.parse({})).parse(message);
  const line = m.phoneNumber;
  const callLine = m.call.phoneNumber;
  const provider = line.provider ?? callLine.provider;
  // A chat has no call: its session keys the ledger and the call log the way a call's id does (each turn of a
  // session is a new chat with a new id); a chat without a session stands alone.
  const callId = m.call.id ?? m.chat.sessionId ?? m.chat.id;
  const callIdTooLong = callId !== null && callId.length > MAX_ID_LENGTH;
  return {
    assistantId: m.call.assistantId ?? m.assistant.id ?? line.assistantId ?? callLine.assistantId ?? m.chat.assistantId,
    phoneNumberId: m.call.phoneNumberId ?? line.id,
    phoneNumber: onLine(
      line.number ?? line.twilioPhoneNumber ?? callLine.number ?? callLine.twilioPhoneNumber,
      provider,
    ),
    callId: callIdTooLong ? null : callId,
    ...(callIdTooLong ? { callIdTooLong } : {}),
    callerPhone: onLine(m.customer.number ?? m.call.customer.number, provider),
  };
}

/** The tenant keys as the named RPC arguments every tenant-resolving RPC takes (docs/rpc-contract.md). */
export function tenantArgs(keys: TenantKeys) {
  return {
    p_assistant_id: keys.assistantId,
    p_phone_number: keys.phoneNumber,
    p_vapi_call_id: keys.callId,
    p_phone_number_id: keys.phoneNumberId,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// tool-calls and legacy function-call
// ---------------------------------------------------------------------------------------------------------------

/** `{id, function:{name, arguments|parameters}}` or `{id, name, arguments|parameters}` (protocol doc §3.1). */
const toolCallItemSchema = z.looseObject({
  id: idText.nullish().catch(null).transform((v) => v ?? null),
  function: optionalObject({ name: optionalText, arguments: anyValue, parameters: anyValue }),
  name: optionalText,
  arguments: anyValue,
  parameters: anyValue,
});
const emptyToolCallItem = toolCallItemSchema.parse({});

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
  /**
   * Vapi's tool call id exactly as sent (echoed back in the result); null when absent, and for legacy
   * `function-call` (SQL then derives an idempotency key from the tool and its arguments).
   */
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
    if (value === null) return { ok: true, value: {} }; // "null": the model's JSON for no arguments
  }
  if (value && typeof value === "object" && !Array.isArray(value) && plainJson(value)) {
    return { ok: true, value: value as Record<string, unknown> };
  }
  return { ok: false };
}

/** Deeper arguments are no tool's (theirs nest 1–2 levels) and would overflow JSON.stringify on the way to SQL. */
export const MAX_ARGUMENT_DEPTH = 64;

/**
 * False when a number anywhere in the arguments is not finite — JSON such as `1e400` parses to Infinity, which would
 * reach SQL as null (JSON.stringify's choice) and so silently become the tool's default instead of an error — or
 * when they nest deeper than MAX_ARGUMENT_DEPTH.
 */
export function plainJson(value: unknown): boolean {
  // A loop, not recursion: arguments may nest deeper than the call stack.
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [next, depth] = pending.pop()!;
    if (typeof next === "number" && !Number.isFinite(next)) return false;
    if (next !== null && typeof next === "object") {
      if (depth >= MAX_ARGUMENT_DEPTH) return false;
      for (const v of Object.values(next)) pending.push([v, depth + 1]);
    }
  }
  return true;
}

/**
 * Items a `tool-calls` message may list at all. Each gets a `results[]` entry, so this bounds the work and the reply
 * (~1 MB); a 16 MiB body could list ~8 million, whose reply would not even fit in one string.
 */
export const MAX_TOOL_CALL_ITEMS = 10_000;

/** The longest of a message's tool-call lists, counted before anything is parsed. */
export function toolCallItemCount(message: Record<string, unknown>): number {
  const length = (list: unknown) => (Array.isArray(list) ? list.length : 0);
  return Math.max(length(message.toolCallList), length(message.toolCalls), length(message.toolWithToolCallList));
}

function firstNonEmpty(...lists: unknown[][]): unknown[] {
  return lists.find((list) => list.length > 0) ?? [];
}

/**
 * Every tool call of a `tool-calls` message, in request order, one per item — duplicates, items without an id and
 * items that are not even objects included, since each gets its own `results[]` entry. `toolCallList` is canonical;
 * `toolCalls` and `toolWithToolCallList[].toolCall` are fallbacks (the latter's `function.parameters` is the tool's
 * JSON schema, so only its nested `toolCall` is read).
 */
export function extractToolCalls(message: z.infer<typeof toolCallsMessageSchema>): ToolCall[] {
  const nested = message.toolWithToolCallList.map((t) =>
    t && typeof t === "object" ? (t as Record<string, unknown>).toolCall : undefined
  ).filter((t) => t !== undefined && t !== null);
  const items = firstNonEmpty(message.toolCallList, message.toolCalls, nested);
  return items.map((item) => {
    const it = toolCallItemSchema.catch(emptyToolCallItem).parse(item);
    const fn = it.function;
    return {
      id: it.id,
      name: fn.name ?? it.name ?? "",
      args: parseArguments(fn.arguments ?? fn.parameters ?? it.arguments ?? it.parameters),
    };
  });
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
