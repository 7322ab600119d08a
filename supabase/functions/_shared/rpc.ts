/**
 * The one way this function talks to Postgres: a single PostgREST RPC, bounded by a timeout, whose every
 * failure becomes a value (never an exception) so the caller can always answer Vapi with a 200.
 */
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import { z } from "zod";
import { COMMIT_MARGIN_MS } from "./budget.ts";
import type { WebhookConfig } from "./config.ts";
import type { Database, Json } from "./database.types.ts";
import { pgSafeArgs } from "./pg_safe.ts";

type Functions = Database["public"]["Functions"];
/** An RPC of the schema, as `scripts/types` generated it from the migrations: a misspelt name does not compile. */
export type RpcName = keyof Functions & string;
type Args<F extends RpcName> = Functions[F]["Args"];
/** Its arguments by their SQL names and types (jsonb takes any JSON value); null or absent means the SQL default. */
export type RpcArgs<F extends RpcName> = {
  [K in keyof Args<F>]?: (Json extends Args<F>[K] ? unknown : Args<F>[K]) | null;
};

/** The seam tests replace: one RPC call, shaped like supabase-js' `{ data, error }` answer. */
export interface RpcTransport {
  /**
   * `deadline`: epoch ms after which the caller has given up (sent to the database, which then refuses to commit).
   * `attempt`: which try of one request this is (sent when > 1: the database tells a retry from another delivery).
   */
  call(
    fn: string,
    args: Record<string, unknown>,
    signal: AbortSignal,
    deadline?: number,
    attempt?: number,
  ): Promise<{ data: unknown; error: unknown; status?: number }>;
  /** What this instance last learnt of the database behind it (shared by every request; absent: nothing is kept). */
  readonly reachability?: Reachability;
}

/**
 * `downUntil` (epoch ms) is set once a request's every try through all the pauses found no database (PGRST000): an
 * outage, not a restart the tries rode out. Until then, a try that again finds none ends its request's tries (it fails
 * fast instead of waiting out the pauses) and keeps the outage known for KNOWN_DOWN_MS more; any other answer is
 * retried as ever and clears it, so the first request after the database is back is served — and an instance that
 * heard nothing for a while rides out the next short restart again.
 */
export interface Reachability {
  downUntil: number;
}

const KNOWN_DOWN_MS = 30_000;

/**
 * The header PostgREST passes on as `request.headers`: a deferred trigger refuses to COMMIT after this moment
 * (20261129130200_rpc_deadline.sql), so a request that waited in PostgREST's pool past the function's give-up cannot
 * book behind the failure answer the caller already heard.
 */
export const RPC_DEADLINE_HEADER = "x-rpc-deadline";
/** The try of one request a retry is (2, 3, …): its lost first try is no other delivery (private.rpc_retry). */
export const RPC_ATTEMPT_HEADER = "x-rpc-attempt";

/**
 * A failed RPC is `transient` when the failure says nothing about the request itself — the connection broke or was
 * never made, the database restarted, or it asked for the transaction to be run again — so asking again may work.
 * It is `inDoubt` when no answer of PostgreSQL or PostgREST says the transaction will not commit: no HTTP answer, a
 * gateway's 502/504, a connection lost mid-session (PGRST001, SQLSTATE 08…), the budget running out. Such a try may
 * still commit, until the deadline it carried.
 */
export type RpcOutcome<T> =
  | { ok: true; data: T }
  | { ok: false; detail: string; transient: boolean; inDoubt: boolean; code?: string };

// No HTTP answer (supabase-js: status 0), a gateway or PostgREST without its database (502/503/504, PGRST000/1/3).
const TRANSIENT_STATUS = new Set([0, 502, 503, 504]);
// Serialization failure, deadlock, the server shutting down or starting, connection exceptions.
const TRANSIENT_SQLSTATE = /^(40001|40P01|57P0[1-3]|08[0-9A-Z]{3})$/;

// PostgREST's codes for "the request never reached a session": no connection (PGRST000), none free in time (PGRST003).
function isInDoubt(code: unknown): boolean {
  return typeof code !== "string" || code === "" || code === "PGRST001" || code.startsWith("08");
}

function isTransient(error: unknown, status: number | undefined): boolean {
  const e = (error && typeof error === "object" ? error : {}) as { code?: unknown; status?: unknown };
  const httpStatus = status ?? (typeof e.status === "number" ? e.status : undefined);
  return (httpStatus !== undefined && TRANSIENT_STATUS.has(httpStatus)) || TRANSIENT_SQLSTATE.test(String(e.code));
}

/** supabase-js `.rpc()` as an `RpcTransport`: exactly one `.rpc(...).abortSignal(...)` per call. */
export function supabaseTransport(client: Pick<SupabaseClient, "rpc">): RpcTransport {
  return {
    call: async (fn, args, signal, deadline, attempt) => {
      let query = client.rpc(fn, args).abortSignal(signal);
      if (deadline !== undefined) query = query.setHeader(RPC_DEADLINE_HEADER, String(Math.floor(deadline)));
      if (attempt !== undefined && attempt > 1) query = query.setHeader(RPC_ATTEMPT_HEADER, String(attempt));
      const { data, error, status } = await query;
      return { data, error, status };
    },
  };
}

// One client per (URL, key): a deployed isolate only ever has one, but an embedding (the local gateway, tests) may
// build handlers for several configurations in one process and each must reach its own backend.
const serviceTransports = new Map<string, RpcTransport>();

/**
 * The service-role client, created once per isolate and configuration and never with the caller's headers (the
 * caller's `Authorization` is Vapi's secret, not a Supabase JWT). Missing configuration yields a transport that
 * fails every call, so the function still answers (with the spoken error) instead of crashing.
 */
export function getServiceTransport(config: WebhookConfig): RpcTransport {
  const { supabaseUrl, supabaseSecretKey } = config;
  if (!supabaseUrl || !supabaseSecretKey) {
    return failingTransport(
      "SUPABASE_URL or the secret key (SUPABASE_SECRET_KEYS / SUPABASE_SERVICE_ROLE_KEY) is not set",
    );
  }
  const cacheKey = `${supabaseUrl}\n${supabaseSecretKey}`;
  const cached = serviceTransports.get(cacheKey);
  if (cached) return cached;
  try {
    const client = createClient(supabaseUrl, supabaseSecretKey, {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    });
    const transport = { ...supabaseTransport(client), reachability: { downUntil: 0 } };
    serviceTransports.set(cacheKey, transport);
    return transport;
  } catch (err) {
    return failingTransport(`cannot create the Supabase client: ${describeError(err)}`);
  }
}

/** The service-role transport, created on the first RPC (never for GET or for requests refused before an RPC). */
export function lazyServiceTransport(config: WebhookConfig): RpcTransport {
  return {
    call: (fn, args, signal, deadline, attempt) =>
      getServiceTransport(config).call(fn, args, signal, deadline, attempt),
    get reachability() {
      return getServiceTransport(config).reachability;
    },
  };
}

function failingTransport(detail: string): RpcTransport {
  return { call: () => Promise.resolve({ data: null, error: { message: detail, code: "config" } }) };
}

/** A short, single-line description of any error value for the log (never for the caller). */
export function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  if (err && typeof err === "object") {
    const e = err as Record<string, unknown>;
    const parts = [e.code !== undefined && e.code !== "" ? `[${e.code}]` : "", String(e.message ?? "")];
    if (typeof e.status === "number") parts.push(`status ${e.status}`);
    const text = parts.filter(Boolean).join(" ").trim();
    return text || JSON.stringify(err);
  }
  return String(err);
}

/** Rejects when the signal aborts, so a transport that ignores the signal still cannot outlive the budget. */
function whenAborted(signal: AbortSignal): { promise: Promise<never>; dispose: () => void } {
  let onAbort = () => {};
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason ?? new DOMException("aborted", "AbortError"));
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  return { promise, dispose: () => signal.removeEventListener("abort", onAbort) };
}

/**
 * Calls `fn` once and validates its JSON return against `schema`. Error returns of supabase-js (including
 * network failure, which resolves with `code: ""` and `status: 0`), aborts/timeouts, thrown exceptions and a
 * malformed return all come back as `{ ok: false, detail }`.
 */
export async function callRpc<T, F extends RpcName>(
  transport: RpcTransport,
  fn: F,
  args: RpcArgs<F>,
  schema: z.ZodType<T>,
  timeoutMs: number,
  attempt = 1,
): Promise<RpcOutcome<T>> {
  // The database may commit until COMMIT_MARGIN_MS before this function stops waiting (budget.ts).
  const commitDeadline = Date.now() + timeoutMs - COMMIT_MARGIN_MS;
  const signal = AbortSignal.timeout(Math.max(0, timeoutMs)); // never throws: a spent budget aborts at once
  const aborted = whenAborted(signal);
  try {
    const { data, error, status } = await Promise.race([
      transport.call(fn, pgSafeArgs(args) as Record<string, unknown>, signal, commitDeadline, attempt),
      aborted.promise,
    ]);
    if (error) {
      const code = (error as { code?: unknown }).code; // SQLSTATE or PostgREST's PGRST…
      return {
        ok: false,
        detail: `${fn}: ${describeError(error)}`,
        transient: !signal.aborted && isTransient(error, status),
        inDoubt: signal.aborted || isInDoubt(code),
        code: typeof code === "string" && code !== "" ? code : undefined,
      };
    }
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      return {
        ok: false,
        detail: `${fn}: malformed return (${parsed.error.issues[0]?.message})`,
        transient: false,
        inDoubt: false,
      };
    }
    return { ok: true, data: parsed.data };
  } catch (err) {
    // A thrown transport error (not the budget running out) is a broken connection.
    const timedOut = signal.aborted;
    return {
      ok: false,
      detail: `${fn}: ${timedOut ? `timed out after ${timeoutMs} ms` : describeError(err)}`,
      transient: !timedOut,
      inDoubt: true,
    };
  } finally {
    aborted.dispose();
  }
}

/**
 * Pauses before asking again after a transient failure. Every webhook RPC answers a repeat as it answered the first:
 * a tool call under its ledger key (SQL replays the stored answer), a call event (a replay changes nothing),
 * routing and transfer (look-ups that log the call at most once). Each try needs MIN_TRY_MS of the budget.
 */
const RETRY_PAUSES_MS = [100, 300, 700, 1500];
const MIN_TRY_MS = 500;

/** PostgREST reached no database session (PGRST000): nothing was sent. */
const foundNoDatabase = (outcome: RpcOutcome<unknown>) => !outcome.ok && outcome.code === "PGRST000";

/**
 * When a failed RPC is asked again: `never`; after a `transient` failure; or also after any lock timeout (55P03),
 * `lock-wait` — for an RPC whose failed try wrote nothing and whose repeat changes nothing (call events, routing),
 * which a lock held by a concurrent request of the same call only delayed.
 */
export type RetryPolicy = "never" | "transient" | "lock-wait";

/**
 * callRpc, asked again (up to 1 + RETRY_PAUSES_MS.length tries) as `policy` allows while the budget allows, every
 * try ending by the same deadline; the failure's detail says how many tries it took. With `settled`, a failure comes
 * back only once no try can still commit: after a try in doubt, at the deadline (a failure the caller hears as
 * "nothing was done" must not be followed by a commit).
 */
export async function callRpcPatiently<T, F extends RpcName>(
  transport: RpcTransport,
  fn: F,
  args: RpcArgs<F>,
  schema: z.ZodType<T>,
  timeoutMs: number,
  policy: RetryPolicy,
  { settled = false } = {},
): Promise<RpcOutcome<T>> {
  // Nothing left of the budget (a slow body, the message's earlier calls): no try, nothing written, nothing learnt.
  if (timeoutMs <= 0) {
    return { ok: false, detail: `${fn}: not started, budget spent`, transient: false, inDoubt: false };
  }
  const deadline = Date.now() + timeoutMs;
  const known = transport.reachability;
  const knownDown = (known?.downUntil ?? 0) > Date.now();
  let outcome = await callRpc(transport, fn, args, schema, timeoutMs);
  let tries = 1;
  let inDoubt = false;
  let noDatabase = foundNoDatabase(outcome); // every try so far
  for (const pause of policy === "never" ? [] : RETRY_PAUSES_MS) {
    if (outcome.ok || (knownDown && foundNoDatabase(outcome))) break;
    inDoubt ||= outcome.inDoubt;
    // Under `transient` too, a later try that ran out of lock wait most likely waited on a lock of the first try,
    // still running after its connection broke: asked once more, it hears its answer.
    const lockWait = outcome.code === "55P03" && (policy === "lock-wait" || tries > 1);
    if (!outcome.transient && !lockWait) break;
    if (deadline - Date.now() < pause + MIN_TRY_MS) break;
    await new Promise((resolve) => setTimeout(resolve, pause));
    // A timer that fired late (a busy machine) may leave no time to commit in: such a try could only fail.
    if (deadline - Date.now() <= COMMIT_MARGIN_MS) break;
    outcome = await callRpc(transport, fn, args, schema, deadline - Date.now(), ++tries);
    noDatabase &&= foundNoDatabase(outcome);
  }
  if (known && !foundNoDatabase(outcome)) known.downUntil = 0;
  else if (known && (knownDown || (noDatabase && tries > RETRY_PAUSES_MS.length))) {
    known.downUntil = Date.now() + KNOWN_DOWN_MS;
  }
  if (outcome.ok) return outcome;
  inDoubt ||= outcome.inDoubt;
  const waited = settled && inDoubt && deadline > Date.now();
  if (waited) await new Promise((resolve) => setTimeout(resolve, deadline - Date.now()));
  const notes = [tries > 1 ? `after ${tries} tries` : "", waited ? "answered at the deadline: a try was in doubt" : ""];
  const note = notes.filter(Boolean).join("; ");
  return note ? { ...outcome, detail: `${outcome.detail} (${note})` } : outcome;
}
