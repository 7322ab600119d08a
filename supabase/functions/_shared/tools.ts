/**
 * Tool calls: map each Vapi tool to its tenant-resolving RPC, call it once, and shape Vapi's per-call result.
 * Tenant resolution, argument validation, idempotency and booking rules all live in SQL (docs/rpc-contract.md);
 * arguments are passed through unchanged.
 */
import { callRpcPatiently, type RpcName, type RpcTransport } from "./rpc.ts";
import { toolRpcReturnSchema } from "./rpc_returns.ts";
import { MAX_ID_LENGTH, tenantArgs, type TenantKeys, type ToolCall } from "./schemas.ts";
import { answererOf, type LanguageMemory, spoken, type SpokenCatalog } from "./spoken.ts";

/** Tool name → RPC name. Looked up with `Object.hasOwn`, so `toString` or `__proto__` are not tools. */
export const TOOL_RPCS: Readonly<Record<string, ToolRpc>> = Object.freeze({
  book_appointment: "resolve_org_and_book",
  check_availability: "resolve_org_and_check_availability",
  cancel_appointment: "resolve_org_and_cancel",
  reschedule_appointment: "resolve_org_and_reschedule",
});
type ToolRpc = Extract<
  RpcName,
  | "resolve_org_and_book"
  | "resolve_org_and_check_availability"
  | "resolve_org_and_cancel"
  | "resolve_org_and_reschedule"
>;

/** Tool calls served per message; later ones get a spoken error without touching the database. */
export const MAX_TOOL_CALLS_PER_MESSAGE = 16;
export function rpcForTool(name: string): ToolRpc | null {
  return Object.hasOwn(TOOL_RPCS, name) ? TOOL_RPCS[name] : null;
}

/**
 * Vapi wants single-line strings: objects are stringified and every line break becomes a space — CR LF, and each
 * character Unicode or a splitlines() reader ends a line at (LF, VT, FF, CR, FS, GS, RS, NEL, LS, PS).
 */
export function toSingleLine(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value) ?? String(value);
  // deno-lint-ignore no-control-regex
  return text.replace(/\r\n|[\n\v\f\r\x1c-\x1e\x85\u2028\u2029]/g, " ");
}

/** One `results[]` entry (SDK `ToolCallResult`, the fields this function sets). */
export type ToolCallResult =
  | { name: string; toolCallId: string; result: string }
  | { name: string; toolCallId: string; error: string };

/** The outcome of one tool call: what Vapi hears plus what the log line needs. */
export interface ToolOutcome {
  name: string;
  toolCallId: string | null;
  ok: boolean;
  /** The single-line `result` (ok) or `error` (not ok) text. */
  text: string;
  /** Machine reason for the log: the RPC's `reason`, or `unknown_tool`, `invalid_arguments`, `rpc_failed`, … */
  reason: string;
  organizationId: string | null;
  resolvedBy: string | null;
  /** The real failure (RPC error, timeout) for the log only. */
  failure?: string;
}

/** The one way to build a failed outcome that no RPC answered: the spoken text plus the reason for the log. */
export function errorOutcome(call: ToolCall, text: string, reason: string, failure?: string): ToolOutcome {
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

export interface ToolRunContext {
  keys: TenantKeys;
  transport: RpcTransport;
  /** The budget of the whole message: every RPC of it ends by then, so a message never outlasts one RPC's bound. */
  deadline: number;
  languages: LanguageMemory;
}

/**
 * The contract's answer to a tool this function does not serve, in every language alike: it is given without asking
 * the database, so the tenant's language is unknown — and the assistant's model reads it, not the caller.
 */
export const unknownToolError = (name: string) => `Unknown tool: ${name}`;

/**
 * What `p_arguments` carries for arguments that are no plain JSON object (broken JSON, an array, a number): SQL refuses
 * any non-object as unreadable, but only once it has found the tenant — an unknown assistant hears the contract's
 * "Organization not found", a tenant hears the refusal in its own language.
 */
export const UNREADABLE_ARGUMENTS = "unreadable";

type UnaskedReason = "unknown_tool" | "invalid_tool_call_id";
interface AskedCall {
  call: ToolCall;
  rpc: RpcName;
  args: Record<string, unknown> | typeof UNREADABLE_ARGUMENTS;
}

/** The RPC a call asks, or why it is answered without asking the database. */
function triage(call: ToolCall, keys: TenantKeys): AskedCall | UnaskedReason {
  const rpc = rpcForTool(call.name);
  if (!rpc) return "unknown_tool";
  if (keys.callIdTooLong || (call.id !== null && call.id.length > MAX_ID_LENGTH)) return "invalid_tool_call_id";
  return { call, rpc, args: call.args.ok ? call.args.value : UNREADABLE_ARGUMENTS };
}

function unaskedOutcome(call: ToolCall, reason: UnaskedReason, say: SpokenCatalog): ToolOutcome {
  return errorOutcome(call, reason === "unknown_tool" ? unknownToolError(call.name) : say.invalid_arguments, reason);
}

/** Runs one asked tool call: one RPC, never throws. */
async function runToolCall({ call, rpc, args: toolArgs }: AskedCall, ctx: ToolRunContext): Promise<ToolOutcome> {
  const say = () => spoken(ctx.languages.recall(ctx.keys));
  const { keys } = ctx;
  const args = {
    ...tenantArgs(keys),
    p_tool_call_id: call.id,
    p_arguments: toolArgs,
    p_caller_phone: keys.callerPhone,
  };
  // Asked again after a transient failure only under a fixed ledger key — a call id and the tool call's own id (a key
  // SQL derives for an id-less call counts the call's other tool calls, which may change in between): the ledger then
  // answers a repeat with the first answer, so a booking whose answer a broken connection lost is heard as booked.
  // A first try's lock timeout is contention on the slot, answered at once ("try again"), not a queue to join.
  const keyed = keys.callId !== null && call.id !== null && call.id.trim() !== "";
  const outcome = await callRpcPatiently(
    ctx.transport,
    rpc,
    args,
    toolRpcReturnSchema,
    ctx.deadline - Date.now(),
    keyed ? "transient" : "never",
    { settled: true },
  );
  if (!outcome.ok) return errorOutcome(call, say().rpc_failure, "rpc_failed", outcome.detail);
  const ret = outcome.data;
  const text = ret.ok ? ret.result : ret.error;
  if (text === null || text === undefined || text === "") {
    return errorOutcome(
      call,
      say().rpc_failure,
      "rpc_failed",
      `${rpc}: malformed return (no ${ret.ok ? "result" : "error"})`,
    );
  }
  if (ret.organization_id) ctx.languages.remember(keys, ret.language, answererOf(ret));
  return {
    name: call.name,
    toolCallId: call.id,
    ok: ret.ok,
    text: toSingleLine(text),
    // A redelivered tool call is logged as what it is, not as a second booking.
    reason: ret.replayed ? "replayed" : ret.reason ?? (ret.ok ? "ok" : "error"),
    organizationId: ret.organization_id,
    resolvedBy: ret.resolved_by,
  };
}

const isQuestion = (call: ToolCall) => call.name === "check_availability";
const sameRequest = (a: ToolCall, b: ToolCall) =>
  a.name === b.name && JSON.stringify(a.args) === JSON.stringify(b.args);

/**
 * Every tool call of one message gets exactly one outcome, in request order. The first
 * `MAX_TOOL_CALLS_PER_MESSAGE` are served one after another, in request order — each sees what the ones before it did
 * ("move to 1 PM", then "move to 3 PM": 3 PM stands, as the answers say; "book", then "cancel my appointment" finds
 * the booking) —, all within the message's budget (one RPC's timeout, so Vapi's tool timeout is never outlived); the
 * rest are refused unheard. An id repeated for the same write is answered like its first write (what SQL's replay would
 * say) without another RPC; repeated for another write it is refused without one — the ledger cannot tell them apart
 * (it frees a refused call's id), so the message, not timing, decides. A question (check_availability) under a reused
 * id is asked of SQL, which serves it on its own, unless it repeats an earlier question word for word. Ids are
 * compared as SQL keys them: trimmed.
 */
export async function runToolCalls(calls: ToolCall[], ctx: ToolRunContext): Promise<ToolOutcome[]> {
  const served = calls.slice(0, MAX_TOOL_CALLS_PER_MESSAGE);
  const earlierUnder = new Map<string, ToolCall[]>();
  const repeatOf = new Map<ToolCall, ToolCall>();
  const unique = served.filter((call) => {
    const key = call.id?.trim() || null; // no id: SQL derives a key from the tool and its arguments
    if (key === null) return true;
    const earlier = (earlierUnder.get(key) ?? []).find((e) => isQuestion(call) ? sameRequest(e, call) : !isQuestion(e));
    if (earlier) repeatOf.set(call, earlier);
    else earlierUnder.set(key, [...(earlierUnder.get(key) ?? []), call]);
    return !earlier;
  });
  const outcomes = new Map<ToolCall, ToolOutcome>();
  const triaged = unique.map((call) => [call, triage(call, ctx.keys)] as const);
  const asked = triaged.flatMap(([, t]) => typeof t === "string" ? [] : [t]);
  for (const a of asked) outcomes.set(a.call, await runToolCall(a, ctx));
  // The function's own sentences come after the RPCs: in the language their answers reported for this call.
  const say = spoken(ctx.languages.recall(ctx.keys));
  for (const [call, t] of triaged) if (typeof t === "string") outcomes.set(call, unaskedOutcome(call, t, say));
  return calls.map((call, i) => {
    if (i >= MAX_TOOL_CALLS_PER_MESSAGE) return errorOutcome(call, say.too_many_tool_calls, "too_many_tool_calls");
    const earlier = repeatOf.get(call);
    if (!earlier) return outcomes.get(call)!;
    if (earlier.name !== call.name) return errorOutcome(call, say.tool_call_conflict, "tool_call_conflict");
    return { ...outcomes.get(earlier)!, name: call.name, toolCallId: call.id };
  });
}

/** The `results[]` entry Vapi expects for one outcome; the id is echoed exactly ("" when there was none). */
export function toToolCallResult(outcome: ToolOutcome): ToolCallResult {
  const base = { name: outcome.name, toolCallId: outcome.toolCallId ?? "" };
  return outcome.ok ? { ...base, result: outcome.text } : { ...base, error: outcome.text };
}
