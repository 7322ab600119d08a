/**
 * Webhook configuration, read from the environment (once per isolate: `handler.ts` keeps the handler built from it).
 *
 * Nothing here throws: a missing or malformed value becomes `null`, and the code that needs it fails closed
 * (no secret → every POST is 401; no database URL/key → every RPC is a spoken "couldn't reach" error).
 */
import { budgetProblems, RPC_TIMEOUT_RANGE_MS } from "./budget.ts";

export interface WebhookConfig {
  /** Shared secret accepted as `X-Vapi-Secret: <secret>` or `Authorization: Bearer <secret>`. */
  webhookSecret: string | null;
  /** The secret being rotated out (`VAPI_WEBHOOK_SECRET_PREVIOUS`), accepted too until it is unset. */
  previousWebhookSecret: string | null;
  /** Optional key of Vapi's HMAC credential (`x-signature` over `{x-timestamp}.{raw body}`). */
  hmacSecret: string | null;
  supabaseUrl: string | null;
  /** Service-role (secret) key used for the RPCs; never sent back to callers. */
  supabaseSecretKey: string | null;
  /** Budget of one tool / lifecycle RPC. */
  rpcTimeoutMs: number;
  /** Shorter budget for `assistant-request`: Vapi allows 7.5 s end to end, cold start included. */
  assistantRequestTimeoutMs: number;
  /** Variables that are set but cannot be used as written (what was done instead), for the start-up config_error. */
  unreadable?: string[];
  /** The same for VAPI_RPC_TIMEOUT_MS: the webhook's own, so only the webhook names it (not the texts functions). */
  timeoutProblems?: string[];
}

export const DEFAULT_RPC_TIMEOUT_MS = 8000;
export const DEFAULT_ASSISTANT_REQUEST_TIMEOUT_MS = 5000;

export type EnvReader = (name: string) => string | undefined;

export function nonEmpty(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/** The longest delay a timer takes (2^31 − 1 ms); a longer one fires at once. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * A whole number of milliseconds a timer can wait; anything else set is noted in `unreadable` (saying what is usable:
 * `usable`, by default any timer's range) and the default used.
 */
export function positiveInt(
  env: EnvReader,
  name: string,
  fallback: number,
  unreadable: string[],
  usable = `from 1 to ${MAX_TIMER_MS}`,
): number {
  const value = nonEmpty(env(name));
  if (value === null) return fallback;
  const n = /^[0-9]+$/.test(value) ? Number(value) : NaN;
  if (n > 0 && n <= MAX_TIMER_MS) return n;
  unreadable.push(`${name} is not a whole number of milliseconds ${usable}: the default ${fallback} is used`);
  return fallback;
}

/** An http(s) URL, else null (noted in `unreadable`): supabase-js or fetch would refuse it on every request. */
export function httpUrl(
  env: EnvReader,
  name: string,
  unreadable: string[],
  example = "https://<ref>.supabase.co",
): string | null {
  const value = nonEmpty(env(name));
  if (value === null) return null;
  try {
    if (["http:", "https:"].includes(new URL(value).protocol)) return value;
  } catch {
    // not a URL at all
  }
  unreadable.push(`${name} is not an http(s) URL (${example})`);
  return null;
}

/**
 * `SUPABASE_SECRET_KEYS` is a JSON object of named keys (`{"default": "sb_secret_..."}`) on newer projects;
 * `SUPABASE_SERVICE_ROLE_KEY` is the legacy JWT. Malformed JSON falls back instead of crashing the isolate, and is
 * named in `unreadable`.
 */
export function readSecretKey(env: EnvReader, unreadable: string[] = []): string | null {
  const keys = nonEmpty(env("SUPABASE_SECRET_KEYS"));
  if (keys) {
    try {
      const parsed: unknown = JSON.parse(keys);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
        const candidate = (parsed as Record<string, unknown>).default;
        if (typeof candidate === "string" && candidate.trim()) return candidate.trim();
      }
    } catch {
      // named below
    }
    const legacy = nonEmpty(env("SUPABASE_SERVICE_ROLE_KEY"));
    unreadable.push(
      `SUPABASE_SECRET_KEYS is not a JSON object with a "default" key ({"default":"sb_secret_…"}): ` +
        (legacy ? "SUPABASE_SERVICE_ROLE_KEY is used instead" : "no key to call the database with"),
    );
    return legacy;
  }
  return nonEmpty(env("SUPABASE_SERVICE_ROLE_KEY"));
}

/** The RPC timeouts a VAPI_RPC_TIMEOUT_MS gives: assistant-request has a shorter deadline of its own at Vapi. */
function timeoutsFor(rpcTimeoutMs: number) {
  return { rpcTimeoutMs, assistantRequestTimeoutMs: Math.min(rpcTimeoutMs, DEFAULT_ASSISTANT_REQUEST_TIMEOUT_MS) };
}

export function loadConfig(env: EnvReader): WebhookConfig {
  const unreadable: string[] = [];
  const timeoutProblems: string[] = [];
  const [least, most] = RPC_TIMEOUT_RANGE_MS;
  const asked = positiveInt(
    env,
    "VAPI_RPC_TIMEOUT_MS",
    DEFAULT_RPC_TIMEOUT_MS,
    timeoutProblems,
    `from ${least} to ${most}`,
  );
  // One that does not nest (budget.ts) would answer after Vapi stopped listening, or "failed" before the database
  // gave up: the default is used instead, and named. The assistant-request timeout is this one capped at its default,
  // so it nests whenever this one does: checked alone, one mistake is named once.
  const misfit = budgetProblems({
    rpcTimeoutMs: asked,
    assistantRequestTimeoutMs: DEFAULT_ASSISTANT_REQUEST_TIMEOUT_MS,
  });
  const instead =
    `the default ${DEFAULT_RPC_TIMEOUT_MS} ms (${DEFAULT_ASSISTANT_REQUEST_TIMEOUT_MS} ms for assistant-request) is used`;
  timeoutProblems.push(...misfit.map((problem) => `${problem}: ${instead}`));
  return {
    webhookSecret: nonEmpty(env("VAPI_WEBHOOK_SECRET")),
    previousWebhookSecret: nonEmpty(env("VAPI_WEBHOOK_SECRET_PREVIOUS")),
    hmacSecret: nonEmpty(env("VAPI_WEBHOOK_HMAC_SECRET")),
    supabaseUrl: httpUrl(env, "SUPABASE_URL", unreadable),
    supabaseSecretKey: readSecretKey(env, unreadable),
    ...timeoutsFor(misfit.length > 0 ? DEFAULT_RPC_TIMEOUT_MS : asked),
    unreadable,
    timeoutProblems,
  };
}

/**
 * What is wrong with a configuration, in words an operator can act on; empty when it can serve. The function still
 * starts (and fails closed), but says so once, loudly, instead of answering 401 in silence; a timeout that does not
 * nest around the database's budget (budget.ts) is named too (with the default used instead).
 */
export function configProblems(config: WebhookConfig): string[] {
  const secret = config.webhookSecret || config.hmacSecret
    ? []
    : ["VAPI_WEBHOOK_SECRET is not set: every POST is refused with 401 (supabase secrets set …)"];
  return [
    ...secret,
    ...(config.timeoutProblems ?? []),
    ...databaseProblems(config, "every tool call is answered 'couldn't reach the booking system'"),
  ];
}

/** What keeps a function from its RPCs (the unreadable variables too), with what then happens (`consequence`). */
export function databaseProblems(config: WebhookConfig, consequence: string): string[] {
  const missing = config.supabaseUrl && config.supabaseSecretKey
    ? []
    : [`SUPABASE_URL or SUPABASE_SECRET_KEYS / SUPABASE_SERVICE_ROLE_KEY is not set or not usable: ${consequence}`];
  return [...(config.unreadable ?? []), ...missing];
}

/** Reads `Deno.env` without throwing when env access is denied (then everything is unset → fail closed). */
export function denoEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}
