/** Twilio's settings from the environment: the platform's account, each organization's own, and the texts functions'. */
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

/** Twilio's form of a Messaging Service SID (its API spec's pattern). */
const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;
const E164 = /^\+[1-9][0-9]{6,14}$/;

/** A phone number's spacing: spaces, dots, dashes, parentheses. */
const SPACING = /[\s.()\-\u2010-\u2015]/g;

/**
 * An account, or null without its SID and token. A sender Twilio would refuse on every text — a Messaging Service SID
 * of another form, or (when no Messaging Service sends instead) a phone number that is no E.164: a `+`, or 7 digits or
 * more — is kept but named in `unreadable` under `label`.
 */
function account(value: unknown, label: (field: string) => string, unreadable: string[]): TwilioAccount | null {
  if (!value || typeof value !== "object") return null;
  const v = value as Record<string, unknown>;
  const accountSid = text(v.accountSid), authToken = text(v.authToken);
  if (!accountSid || !authToken) return null;
  const messagingServiceSid = text(v.messagingServiceSid);
  // A sender as Twilio takes it: a phone number without its spacing when what is left is E.164; anything else — an
  // alphanumeric sender ID, a short code, a `whatsapp:` address — as written.
  const given = text(v.fromNumber);
  const compact = given?.replace(SPACING, "");
  const fromNumber = compact && E164.test(compact) ? compact : given;
  if (messagingServiceSid && !MESSAGING_SERVICE_SID.test(messagingServiceSid)) {
    unreadable.push(
      `${label("messagingServiceSid")} is not a Messaging Service SID (MG + 32 hex digits): Twilio will ` +
        "refuse every text sent through it",
    );
  }
  if (
    !messagingServiceSid && compact && !E164.test(compact) && /^(\+|[0-9]{7,}$)/.test(compact)
  ) {
    unreadable.push(
      `${label("fromNumber")} is not an E.164 number (like +15550100900): Twilio will refuse every text from it`,
    );
  }
  return { accountSid, authToken, messagingServiceSid, fromNumber };
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
    const a = ORGANIZATION_ID.test(org)
      ? account(value, (field) => `TWILIO_ORG_CREDENTIALS entry ${org} ${field}`, unreadable)
      : null;
    if (a) accounts.set(org, a);
    else {
      unreadable.push(
        `TWILIO_ORG_CREDENTIALS entry ${JSON.stringify(org.slice(0, 40))} needs a lower-case organization id and ` +
          "accountSid and authToken: ignored",
      );
    }
  }
  return accounts;
}

/** A number's digits, for comparing how Twilio writes a number with how an operator wrote it. */
const digitsOf = (phone: string | null | undefined) => phone?.replace(/\D/g, "") || null;

/** Whether `account` texts from this number or Messaging Service (a reply's `To`, another account's sender). */
export function sendsFrom(
  account: TwilioAccount | undefined,
  sender: { number?: string | null; messagingServiceSid?: string | null },
): boolean {
  const digits = digitsOf(sender.number);
  return (digits !== null && digitsOf(account?.fromNumber) === digits) ||
    (!!sender.messagingServiceSid && account?.messagingServiceSid === sender.messagingServiceSid);
}

/** Never throws: a malformed value counts as unset (named in `unreadable`), and nobody is texted from no account. */
export function loadSmsConfig(env: EnvReader): SmsConfig {
  const unreadable: string[] = [];
  const globalValues = ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_MESSAGING_SERVICE_SID", "TWILIO_FROM_NUMBER"]
    .map((name) => nonEmpty(env(name)));
  const [accountSid, authToken, messagingServiceSid, fromNumber] = globalValues;
  const global = account(
    { accountSid, authToken, messagingServiceSid, fromNumber },
    (field) => field === "fromNumber" ? "TWILIO_FROM_NUMBER" : "TWILIO_MESSAGING_SERVICE_SID",
    unreadable,
  );
  if (!global && globalValues.some((value) => value !== null)) {
    unreadable.push("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must both be set: no default Twilio account");
  }
  const orgCredentials = nonEmpty(env("TWILIO_ORG_CREDENTIALS"));
  const perOrganization = organizationAccounts(orgCredentials, unreadable);
  for (const [org, entry] of perOrganization) {
    if (global && sendsFrom(entry, { number: global.fromNumber, messagingServiceSid: global.messagingServiceSid })) {
      unreadable.push(
        `TWILIO_ORG_CREDENTIALS entry ${org} texts from the platform's own sender (TWILIO_FROM_NUMBER or ` +
          "TWILIO_MESSAGING_SERVICE_SID): kept, but every STOP and START sent to that shared sender counts for this " +
          "organization alone; give it a number or Messaging Service of its own",
      );
    }
  }
  return {
    global,
    perOrganization,
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
