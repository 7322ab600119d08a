/**
 * Twilio, the SMS provider: one Messages API request per text with its answer classified for the outbox, the lookup
 * of a send whose answer was lost, and the X-Twilio-Signature check of inbound webhooks. Settings: twilio_config.ts.
 */
import { describeError } from "./rpc.ts";
import type { SmsConfig, TwilioAccount } from "./twilio_config.ts";

/** What became of one send, in the outbox's words (record_notification_result's outcomes, plus `unknown`). */
export type SendOutcome =
  | { outcome: "sent"; sid: string | null }
  | { outcome: "retry"; error: string; retryAfterSeconds: number | null }
  | { outcome: "failed" | "opted_out" | "undeliverable" | "unknown"; error: string };

export interface SmsMessage {
  to: string;
  body: string;
  /** The tenant's sender number, used when the account names no Messaging Service or number. */
  from: string | null;
}

/** Twilio's error code for a recipient who replied STOP: the number is unsubscribed from this sender. */
export const TWILIO_UNSUBSCRIBED = 21610;

/** Twilio's error codes for a number no text can reach: not a valid number (21211), not a mobile one (21614). */
const UNDELIVERABLE_CODES = new Set([21211, 21614]);

/**
 * Errors of the account, not of the text (a rotated auth token, a suspended account): every text meets them until an
 * operator fixes it, so each is tried again this long later rather than failed — an hour's outage loses none.
 */
const ACCOUNT_ERROR_CODES = new Set([20003, 20005, 10001]);
export const ACCOUNT_RETRY_SECONDS = 900;

/** Retry-After in whole seconds (delta seconds, or an HTTP date), within an hour; null when absent or unreadable. */
export function retryAfterSeconds(header: string | null, nowMs = Date.now()): number | null {
  if (header === null || header.trim() === "") return null;
  const seconds = /^\s*\d+(\.\d+)?\s*$/.test(header) ? Number(header) : (Date.parse(header) - nowMs) / 1000;
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(Math.ceil(seconds), 3600) : null;
}

/**
 * POST /2010-04-01/Accounts/{AccountSid}/Messages.json (form-encoded, basic auth). A send is `unknown` when the
 * request may have reached Twilio without an answer (timeout, connection lost, a 5xx other than 503): the outbox looks
 * those up before it ever sends again. An error before the connection was made (refused, DNS), a 429 or a 503 means
 * nothing was sent: `retry`.
 */
export async function sendSms(
  config: SmsConfig,
  credentials: TwilioAccount,
  message: SmsMessage,
  fetchImpl: typeof fetch = fetch,
): Promise<SendOutcome> {
  const form = new URLSearchParams({ To: message.to, Body: message.body });
  const from = credentials.fromNumber ?? message.from;
  if (credentials.messagingServiceSid) form.set("MessagingServiceSid", credentials.messagingServiceSid);
  else if (from) form.set("From", from);
  else {return {
      outcome: "failed",
      error: "no sender: set a Messaging Service, TWILIO_FROM_NUMBER or the tenant's line",
    };}

  const url = `${config.apiBaseUrl}/2010-04-01/Accounts/${encodeURIComponent(credentials.accountSid)}/Messages.json`;
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: "POST",
      headers: {
        authorization: `Basic ${btoa(`${credentials.accountSid}:${credentials.authToken}`)}`,
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
      },
      body: form,
      signal: AbortSignal.timeout(config.timeoutMs),
    });
  } catch (err) {
    // Deno's fetch wraps the cause: "client error (Connect): tcp connect error: Connection refused" / "dns error".
    const cause = err instanceof Error && err.cause ? `: ${describeError(err.cause)}` : "";
    const detail = describeError(err) + cause;
    return /\(Connect\)|tcp connect error|dns error/i.test(detail)
      ? { outcome: "retry", error: `not sent: ${detail}`, retryAfterSeconds: null }
      : { outcome: "unknown", error: `outcome_unknown: ${detail}` };
  }
  const text = await response.text().catch(() => "");
  let json: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object") json = parsed as Record<string, unknown>;
  } catch {
    // a non-JSON body (a proxy's error page): the status decides
  }
  if (response.ok) return { outcome: "sent", sid: typeof json.sid === "string" ? json.sid : null };
  const error = `HTTP ${response.status}${json.code ? ` ${json.code}` : ""}: ${
    String(json.message ?? "").slice(0, 300)
  }`;
  if (response.status === 429 || response.status === 503) {
    return { outcome: "retry", error, retryAfterSeconds: retryAfterSeconds(response.headers.get("retry-after")) };
  }
  if (response.status === 401 || ACCOUNT_ERROR_CODES.has(Number(json.code))) {
    return {
      outcome: "retry",
      error: `${error} (the Twilio account's, not this text's)`,
      retryAfterSeconds: ACCOUNT_RETRY_SECONDS,
    };
  }
  // Any other 5xx may come from a gateway after Twilio took the message: looked up before any resend.
  if (response.status >= 500) return { outcome: "unknown", error: `outcome_unknown: ${error}` };
  const code = Number(json.code);
  const outcome = code === TWILIO_UNSUBSCRIBED
    ? "opted_out"
    : UNDELIVERABLE_CODES.has(code)
    ? "undeliverable"
    : "failed";
  return { outcome, error };
}

/**
 * The words of a text as Twilio may store them: Smart Encoding (on by default for Messaging Services) swaps curly
 * quotes, dashes, ellipses and odd spaces for GSM-7 ones (a business named "Bob’s" is listed as "Bob's"), and a
 * trial account prefixes "Sent from your Twilio trial account - ". Accents are left out too ("está" may go out as
 * "esta"): a false match needs the same number, the same time and the same words otherwise.
 */
function looseText(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "")
    .replace(/[\u2018\u2019\u201A\u201B\u2032\u0060\u00B4]/g, "'")
    .replace(/[\u00AB\u00BB\u201C\u201D\u201E\u201F\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, "-")
    .replace(/\u2026/g, "...")
    .replace(/[\u200B\u200C\u200D\u2060\uFEFF]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** Whether a listed message's body is this text (see looseText). */
function sameText(listed: string, sent: string): boolean {
  const [a, b] = [looseText(listed), looseText(sent)];
  return a === b || a === `Sent from your Twilio trial account - ${b}`;
}

/** Clock skew allowed between this function and Twilio when a send is looked up. */
const CLOCK_SKEW_MS = 5_000;

/**
 * Reconciliation of a send whose answer was lost: GET Messages.json?To=… (newest first) and look for the first message
 * with this body (as Twilio may have re-encoded it: looseText) created since the attempt began. Found → `sent` with its SID; a successful list without it → `retry`
 * (Twilio never took it: safe to send again); no usable answer → `unknown` (ask again later).
 */
export async function findSentSms(
  config: SmsConfig,
  credentials: TwilioAccount,
  message: { to: string; body: string; since: Date },
  fetchImpl: typeof fetch = fetch,
): Promise<SendOutcome> {
  const query = new URLSearchParams({ To: message.to, PageSize: "50" });
  const url = `${config.apiBaseUrl}/2010-04-01/Accounts/${encodeURIComponent(credentials.accountSid)}/Messages.json`;
  try {
    const response = await fetchImpl(`${url}?${query}`, {
      headers: {
        authorization: `Basic ${btoa(`${credentials.accountSid}:${credentials.authToken}`)}`,
        accept: "application/json",
      },
      signal: AbortSignal.timeout(config.timeoutMs),
    });
    const list = await response.json().catch(() => null);
    if (!response.ok || !Array.isArray(list?.messages)) {
      return { outcome: "unknown", error: `outcome_unknown: the message list answered HTTP ${response.status}` };
    }
    // The first message with these words since the attempt began (a few seconds of clock skew allowed; the list is
    // newest first): a later one with the same words is another text's, sent after this attempt.
    const earliest = message.since.getTime() - CLOCK_SKEW_MS;
    const match = (list.messages as Record<string, unknown>[]).findLast((m) =>
      m.to === message.to && sameText(String(m.body ?? ""), message.body) &&
      Date.parse(String(m.date_created)) >= earliest
    );
    return match
      ? { outcome: "sent", sid: typeof match.sid === "string" ? match.sid : null }
      : { outcome: "retry", error: "not in Twilio's message list: it was never sent", retryAfterSeconds: null };
  } catch (err) {
    return { outcome: "unknown", error: `outcome_unknown: the message list could not be read: ${describeError(err)}` };
  }
}

/**
 * Twilio's request signature: base64 HMAC-SHA1, keyed with the auth token, of the full URL Twilio requested followed
 * by every POST parameter name and value, sorted by name.
 */
export async function twilioSignature(authToken: string, url: string, params: URLSearchParams): Promise<string> {
  const entries = [...params.entries()].sort(([a, x], [b, y]) => a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0);
  const data = url + entries.map(([k, v]) => k + v).join("");
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(authToken),
    { name: "HMAC", hash: "SHA-1" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(data)));
  return btoa(String.fromCharCode(...mac));
}
