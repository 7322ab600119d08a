/**
 * Tool calls: map each Vapi tool to its tenant-resolving RPC, call it once, and shape Vapi's per-call result.
 * Tenant resolution, validation, idempotency and booking rules all live in SQL (docs/rpc-contract.md).
 */
import { callRpc, type RpcTransport, SPOKEN_RPC_FAILURE } from "./rpc.ts";
import type { TenantKeys, ToolCall, ToolCallResult } from "./schemas.ts";
import { toolRpcReturnSchema } from "./schemas.ts";

/** Tool name → RPC name. Looked up with `Object.hasOwn`, so `toString` or `__proto__` are not tools. */
export const TOOL_RPCS: Readonly<Record<string, string>> = Object.freeze({
  book_appointment: "resolve_org_and_book",
  check_availability: "resolve_org_and_check_availability",
  cancel_appointment: "resolve_org_and_cancel",
  reschedule_appointment: "resolve_org_and_reschedule",
});

export const SPOKEN_INVALID_ARGUMENTS = "I couldn't read the details of that request, please try again.";

export function rpcForTool(name: string): string | null {
  return Object.hasOwn(TOOL_RPCS, name) ? TOOL_RPCS[name] : null;
}

/** Vapi wants single-line strings: objects are stringified and line breaks become spaces. */
export function toSingleLine(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
  return text.replace(/\r\n|[\r\n\u2028\u2029]/g, " ");
}

/** The outcome of one tool call: what Vapi hears plus what the log line needs. */
export interface ToolOutcome {
  name: string;
  toolCallId: string | null;
  ok: boolean;
  /** The single-line `result` (ok) or `error` (not ok) text. */
  text: string;
  /** Machine reason for the log: the RPC's `reason`, or `unknown_tool`, `invalid_arguments`, `rpc_failed`. */
  reason: string;
  organizationId: string | null;
  resolvedBy: string | null;
  /** The real failure (RPC error, timeout, exception) for the log only. */
  failure?: string;
}

function localError(call: ToolCall, text: string, reason: string, failure?: string): ToolOutcome {
  return {
    name: call.name,
    toolCallId: call.id,
    ok: false,
    text: toSingleLine(text),
    reason,
    organizationId: null,
    resolvedBy: null,
    failure,
  };
}

/** Runs one tool call: at most one RPC, never throws. */
export async function runToolCall(
  call: ToolCall,
  keys: TenantKeys,
  transport: RpcTransport,
  timeoutMs: number,
): Promise<ToolOutcome> {
  try {
    const rpc = rpcForTool(call.name);
    if (!rpc) return localError(call, `Unknown tool: ${call.name}`, "unknown_tool");
    if (!call.args.ok) return localError(call, SPOKEN_INVALID_ARGUMENTS, "invalid_arguments");
    const outcome = await callRpc(
      transport,
      rpc,
      {
        p_assistant_id: keys.assistantId,
        p_phone_number: keys.phoneNumber,
        p_vapi_call_id: keys.callId,
        p_tool_call_id: call.id,
        p_arguments: call.args.value,
      },
      toolRpcReturnSchema,
      timeoutMs,
    );
    if (!outcome.ok) return localError(call, SPOKEN_RPC_FAILURE, "rpc_failed", outcome.detail);
    const ret = outcome.data;
    const text = ret.ok ? ret.result : ret.error;
    if (text === null || text === undefined || text === "") {
      return localError(
        call,
        SPOKEN_RPC_FAILURE,
        "rpc_failed",
        `${rpc}: malformed return (no ${ret.ok ? "result" : "error"})`,
      );
    }
    return {
      name: call.name,
      toolCallId: call.id,
      ok: ret.ok,
      text: toSingleLine(text),
      reason: ret.reason ?? (ret.ok ? "ok" : "error"),
      organizationId: ret.organization_id,
      resolvedBy: ret.resolved_by,
    };
  } catch (err) {
    // Defensive: nothing above should throw, but a tool call must never turn into a 5xx.
    return localError(call, SPOKEN_RPC_FAILURE, "rpc_failed", `unexpected: ${String(err)}`);
  }
}

/** All tool calls of one message run concurrently; the outcomes keep request order. */
export function runToolCalls(
  calls: ToolCall[],
  keys: TenantKeys,
  transport: RpcTransport,
  timeoutMs: number,
): Promise<ToolOutcome[]> {
  return Promise.all(calls.map((call) => runToolCall(call, keys, transport, timeoutMs)));
}

/** The `results[]` entry Vapi expects for one outcome. */
export function toToolCallResult(outcome: ToolOutcome): ToolCallResult {
  const base = { name: outcome.name, toolCallId: outcome.toolCallId ?? "" };
  return outcome.ok ? { ...base, result: outcome.text } : { ...base, error: outcome.text };
}
