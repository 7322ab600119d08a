/**
 * Twilio, the SMS provider: credentials from the environment, one Messages API request per text with its answer
 * classified for the outbox, and the X-Twilio-Signature check of inbound webhooks.
 */
import {
  databaseProblems,
  type EnvReader,
  httpUrl,
  loadConfig,
  nonEmpty,
  positiveInt,
  type WebhookConfig,
} from "./config.ts";
import { logConfigProblems } from "./log.ts";
import { describeError } from "./rpc.ts";

export interface TwilioAccount {
  accountSid: string;
  authToken: string;
  /** Sender: a Messaging Service wins over a number; neither → the tenant's line from the outbox row. */
  messagingServiceSid?: string;
  fromNumber?: string;
}

export interface SmsConfig {
  /** TWILIO_ACCOUNT_SID + TWILIO_AUTH_TOKEN (+ TWILIO_MESSAGING_SERVICE_SID / TWILIO_FROM_NUMBER). */
  global: TwilioAccount | null;
  /** TWILIO_ORG_CREDENTIALS: `{"<organization uuid>": {accountSid, authToken, messagingServiceSid?, fromNumber?}}`. */
  perOrganization: Map<string, TwilioAccount>;
  /** TWILIO_API_BASE_URL, default https://api.twilio.com (tests point it at a mock). */
  apiBaseUrl: string;
  /** Bound of one Messages request (TWILIO_TIMEOUT_MS, default 10000). */
  timeoutMs: number;
  /** Whether any Twilio credential is set: texts are meant to go out (none set: the outbox just waits). */
  configured: boolean;
  /** TWILIO_* variables set but not usable as written (what was done instead), for the start-up config_error. */
  unreadable: string[];
}

const text = (x: unknown) => typeof x === "string" && x.trim() ? x.trim() : undefined;

function account(value: unknown): TwilioAccount | null {
  if (!value || typeof value !== "object") return null;
  const v = value as Record<string, unknown>;
  const accountSid = text(v.accountSid), authToken = text(v.authToken);
  if (!accountSid || !authToken) return null;
  return { accountSid, authToken, messagingServiceSid: text(v.messagingServiceSid), fromNumber: text(v.fromNumber) };
}

const ORGANIZATION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** TWILIO_ORG_CREDENTIALS; each entry that cannot be used is named in `unreadable` and left out. */
function organizationAccounts(raw: string | null, unreadable: string[]): Map<string, TwilioAccount> {
  const accounts = new Map<string, TwilioAccount>();
  if (raw === null) return accounts;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // named below
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    unreadable.push("TWILIO_ORG_CREDENTIALS is not a JSON object of organization ids: ignored");
    return accounts;
  }
  for (const [org, value] of Object.entries(parsed)) {
    const a = account(value);
    if (a && ORGANIZATION_ID.test(org)) accounts.set(org, a);
    else {
      unreadable.push(
        `TWILIO_ORG_CREDENTIALS entry ${JSON.stringify(org.slice(0, 40))} needs a lower-case organization id and ` +
          "accountSid and authToken: ignored",
      );
    }
  }
  return accounts;
}

/** Never throws: a malformed value counts as unset (named in `unreadable`), and nobody is texted from no account. */
export function loadSmsConfig(env: EnvReader): SmsConfig {
  const unreadable: string[] = [];
  const globalValues = ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_MESSAGING_SERVICE_SID", "TWILIO_FROM_NUMBER"]
    .map((name) => nonEmpty(env(name)));
  const [accountSid, authToken, messagingServiceSid, fromNumber] = globalValues;
  const global = account({ accountSid, authToken, messagingServiceSid, fromNumber });
  if (!global && globalValues.some((value) => value !== null)) {
    unreadable.push("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must both be set: no default Twilio account");
  }
  const orgCredentials = nonEmpty(env("TWILIO_ORG_CREDENTIALS"));
  return {
    global,
    perOrganization: organizationAccounts(orgCredentials, unreadable),
    apiBaseUrl: (httpUrl(env, "TWILIO_API_BASE_URL", unreadable, "https://api.twilio.com, used instead") ??
      "https://api.twilio.com").replace(/\/+$/, ""),
    timeoutMs: positiveInt(env, "TWILIO_TIMEOUT_MS", 10_000, unreadable),
    configured: [accountSid, authToken, orgCredentials].some((value) => value !== null),
    unreadable,
  };
}

/** What a texts function runs on: Twilio's settings, the database's, and the one variable of its own it needs. */
export interface TextsFunctionConfig {
  sms: SmsConfig;
  database: WebhookConfig;
  /** NOTIFICATIONS_DISPATCH_SECRET or SMS_INBOUND_URL; null when unset. */
  own: string | null;
}

/**
 * Reads a texts function's configuration and logs its start-up config_error line when it cannot serve as written; its
 * own variable is required only once a Twilio credential is set (texts unused: the outbox just waits).
 */
export function loadTextsFunctionConfig(
  env: EnvReader,
  own: { name: string; unset: string; urlExample?: string },
  withoutDatabase: string,
): TextsFunctionConfig {
  const sms = loadSmsConfig(env);
  const database = loadConfig(env);
  const malformed: string[] = []; // a URL variable that is set but is no http(s) URL counts as unset, said at start
  const value = own.urlExample === undefined
    ? nonEmpty(env(own.name))
    : httpUrl(env, own.name, malformed, `${own.urlExample}; ${own.unset}`);
  logConfigProblems([
    ...sms.unreadable,
    ...malformed,
    ...(sms.configured && !value && !malformed.length ? [`${own.name} is not set: ${own.unset}`] : []),
    ...databaseProblems(database, withoutDatabase),
  ]);
  return { sms, database, own: value };
}

export function accountFor(config: SmsConfig, organizationId: string): TwilioAccount | null {
  return config.perOrganization.get(organizationId) ?? config.global;
}

/** What became of one send, in the outbox's words (record_notification_result's outcomes, plus `unknown`). */
export type SendOutcome =
  | { outcome: "sent"; sid: string | null }
  | { outcome: "retry"; error: string; retryAfterSeconds: number | null }
  | { outcome: "failed" | "opted_out" | "unknown"; error: string };

export interface SmsMessage {
  to: string;
  body: string;
  /** The tenant's sender number, used when the account names no Messaging Service or number. */
  from: string | null;
}

/** Twilio's error code for a recipient who replied STOP: the number is unsubscribed from this sender. */
export const TWILIO_UNSUBSCRIBED = 21610;

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
    const retryAfter = Number(response.headers.get("retry-after"));
    return {
      outcome: "retry",
      error,
      retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
    };
  }
  // Any other 5xx may come from a gateway after Twilio took the message: looked up before any resend.
  if (response.status >= 500) return { outcome: "unknown", error: `outcome_unknown: ${error}` };
  return { outcome: Number(json.code) === TWILIO_UNSUBSCRIBED ? "opted_out" : "failed", error };
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
