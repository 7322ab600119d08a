/**
 * Exactly one structured JSON log line per request. It names the request, the call and the tenant that SQL
 * resolved, but never carries the payload, and phone numbers only masked.
 */

export type LogLevel = "info" | "warn" | "error";
export type LogSink = (line: string) => void;

/**
 * `+15550100001` → `+15•••01`: the first and last two digits, enough to tell lines apart in a log; at least five stay
 * hidden (100 000 guesses even for a short number), else nothing is shown.
 */
export function maskPhone(value: string | null | undefined): string | null {
  if (!value) return null;
  const shown = maskDigits(value);
  // A national number (`(555) 010-0002`) keeps no `+`: it would read as a country code it does not have.
  return shown === null ? "•••" : `${/^\s*\+/.test(value) ? "+" : ""}${shown}`;
}

/** The first and last two digits around `•••`, or null under 9 digits (too few to hide five). */
function maskDigits(value: string): string | null {
  const digits = value.replace(/\D/g, "");
  return digits.length < 9 ? null : `${digits.slice(0, 2)}•••${digits.slice(-2)}`;
}

// Group separators: space, tab, line breaks, every other Unicode space (no-break, Ogham, thin, mathematical,
// ideographic…), invisible format characters (soft hyphen, zero-width space and joiners, word joiner, BOM), `.`, `_` and
// every dash (hyphen, en dash, minus sign, full-width hyphen…) — a character class body, written once; `/` is added
// where a date cannot be mistaken for a number.
const SEP = String
  .raw` .\-_\t\n\v\f\r\u00a0\u00ad\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u2010-\u2015\u2212\u3000\ufeff\uff0d`;
// `+` and digits in groups, anywhere.
const E164_IN_TEXT = new RegExp(String.raw`\+\d[\d()${SEP}/]{6,18}\d`, "g");
// Where a number may stand: never glued to a hex letter or a digit (inside a UUID's group, `9d554637206b`, or a longer
// number), nor in a decimal or an IP address, nor a UUID's last group (after `xxxx-`), nor as a count of a unit
// (`1234567890ms`, `1073741824KB`, a compact time's `…Z`). Glued to another letter (`call5557654321`) it is no hex id.
const NOT_AFTER = String.raw`(?<![0-9a-f.]|[0-9a-f]{4}-)`;
const NOT_BEFORE = String.raw`(?![0-9a-f]|\.\d|(?:[mnuµ]?s|[kmgt]?b|z)(?![a-z]))`;

// Without `+`: a run of 9–15 digits (`15557654321`, `tel:5557654321`, `call_5557654321`, `call5557654321`) or a North
// American number in groups (`555-765-4321`, `(555) 765 4321`, `1.555.765.4321`, `555 - 765 - 4321`).
const NATIONAL_IN_TEXT = new RegExp(
  NOT_AFTER +
    String.raw`(?:\d{9,15}|(?:1[${SEP}/]{0,3})?(?:\(\d{3}\)|\d{3})[${SEP}/]{0,3}\d{3}[${SEP}/]{0,3}\d{4})` + NOT_BEFORE,
  "gi",
);

// With a trunk or international prefix, in groups: `020 7946 0958`, `0044 20 7946 0958`, `06 12 34 56 78`,
// `07911 123456`, `030 12345678`, `06-12345678`, `(030) 1234 5678`, `tel020 7946 0958` — masked when 9 to 15 digits,
// so a time's `00-05` stays; never grouped by `/`, so a date and time (`04/16/2029 07:20`) stays; not after a `+`.
const PREFIXED_IN_TEXT = new RegExp(
  String.raw`(?<!\+)` + NOT_AFTER + String.raw`(?:\(0\d{1,4}\) ?|0\d{1,4}[${SEP}])\d{1,8}(?:[${SEP}]\d{1,8}){0,5}` +
    NOT_BEFORE,
  "gi",
);

// Full-width, Arabic-Indic, Persian and Devanagari digits and the full-width plus: read as the ASCII they stand for.
const SCRIPT_DIGIT_ZEROS = [0xff10, 0x0660, 0x06f0, 0x0966];
const SCRIPT_DIGITS = /[\uff10-\uff19\u0660-\u0669\u06f0-\u06f9\u0966-\u096f\uff0b]/g;

// A number inside a URL's query (`To=%2B15557654321`, a fetch error naming the URL it called) is read decoded.
const URL_ENCODED = /%(2B|20|28|29|2D)/gi;
const URL_DECODED: Record<string, string> = { "2B": "+", "20": " ", "28": "(", "29": ")", "2D": "-" };

function asciiDigits(text: string): string {
  return text.replace(URL_ENCODED, (_m, hex: string) => URL_DECODED[hex.toUpperCase()]).replace(SCRIPT_DIGITS, (c) => {
    const code = c.charCodeAt(0);
    if (code === 0xff0b) return "+";
    return String(code - SCRIPT_DIGIT_ZEROS.find((zero) => code >= zero && code <= zero + 9)!);
  });
}

/**
 * Last line of defence over every value of the log line: masks anything that looks like a phone number in free text
 * (an SQL error, a call id or tool name the caller made up, a request id header).
 */
export function maskPhonesInText(text: string): string {
  // A national number (`555-765-4321` → `55•••21`) is shown without inventing a country code.
  return asciiDigits(text).replace(E164_IN_TEXT, (m) => maskPhone(m) ?? "•••")
    .replace(PREFIXED_IN_TEXT, (m) => m.replace(/\D/g, "").length > 15 ? m : maskDigits(m) ?? m)
    .replace(NATIONAL_IN_TEXT, (m) => maskDigits(m) ?? "•••");
}

/** Request ids from Supabase's gateway are reused so log lines join up; anything odd is replaced. */
export function requestIdFrom(headers: Headers): string {
  const given = headers.get("sb-request-id") ?? headers.get("x-request-id");
  return given && /^[\w.:-]{1,128}$/.test(given) ? given : crypto.randomUUID();
}

// Values come from the caller's payload: a log line stays one short line whatever they send.
const MAX_VALUE_CHARS = 128;
const MAX_ERROR_CHARS = 500;
const MAX_LIST_ITEMS = 32; // above the tool calls served per message, so a normal line is never cut

/**
 * A string cut to `max` characters (marked with `…`), or null. One that is cut is masked first: a number cut in two
 * would keep too few digits to be recognised. Uncut values are masked with the whole line (maskedLine).
 */
export function clip(value: string | null | undefined, max = MAX_VALUE_CHARS): string | null {
  if (value === null || value === undefined) return null;
  if (value.length <= max) return value;
  const masked = maskPhonesInText(value);
  return masked.length > max ? `${masked.slice(0, max)}…` : masked;
}

/** The first items of a list, each clipped, and how many were left out. */
function clipList(values: string[]): string[] {
  const shown = values.slice(0, MAX_LIST_ITEMS).map((v) => clip(v) ?? "");
  return values.length > MAX_LIST_ITEMS ? [...shown, `…+${values.length - MAX_LIST_ITEMS}`] : shown;
}

export interface LogFields {
  message_type?: string | null;
  call_id?: string | null;
  assistant_id?: string | null;
  phone_number?: string | null;
  organization_id?: string | null;
  resolved_by?: string | null;
  outcome?: string;
  tools?: string[];
  reasons?: string[];
  error?: string;
}

export interface RequestLog {
  readonly requestId: string;
  set(fields: LogFields): void;
  /** Raises the level (never lowers it): `error` beats `warn` beats `info`. */
  raise(level: LogLevel): void;
  /** Writes the line; later calls are ignored so a request can never log twice. */
  flush(): void;
}

const LEVEL_RANK: Record<LogLevel, number> = { info: 0, warn: 1, error: 2 };

export function startRequestLog(requestId: string, sink: LogSink, now: () => number): RequestLog {
  const startedAt = now();
  const fields: LogFields = {};
  let level: LogLevel = "info";
  let flushed = false;
  return {
    requestId,
    set(more) {
      Object.assign(fields, more);
    },
    raise(next) {
      if (LEVEL_RANK[next] > LEVEL_RANK[level]) level = next;
    },
    flush() {
      if (flushed) return;
      flushed = true;
      const line = {
        level,
        request_id: requestId,
        message_type: clip(fields.message_type),
        call_id: clip(fields.call_id),
        assistant_id: clip(fields.assistant_id),
        phone_number: maskPhone(fields.phone_number),
        organization_id: fields.organization_id ?? null,
        resolved_by: fields.resolved_by ?? null,
        outcome: fields.outcome ?? "ok",
        ...(fields.tools ? { tools: clipList(fields.tools) } : {}),
        ...(fields.reasons ? { reasons: clipList(fields.reasons) } : {}),
        ...(fields.error ? { error: clip(fields.error, MAX_ERROR_CHARS) } : {}),
        duration_ms: Math.max(0, Math.round(now() - startedAt)),
      };
      try {
        sink(maskedLine(line));
      } catch {
        // A broken sink must not break the response.
      }
    },
  };
}

/**
 * A log line as JSON with every string value masked as itself (in the written line a newline or tab before a number is
 * `\n`/`\t`, a letter to the patterns). Every function's lines go through here.
 */
export function maskedLine(fields: Record<string, unknown>): string {
  return JSON.stringify(fields, (_key, value) => typeof value === "string" ? maskPhonesInText(value) : value);
}

/**
 * The line writer of a function that logs one line per outcome (the texts functions): its request id and message type,
 * then a level, the outcome and any fields, masked as every line is.
 */
export function eventLine(sink: LogSink, requestId: string, messageType: string) {
  return (level: LogLevel, outcome: string, extra: Record<string, unknown> = {}) =>
    sink(maskedLine({ level, request_id: requestId, message_type: messageType, outcome, ...extra }));
}

/** Default sink: one line on stdout, which Supabase collects as the function's log. */
export const consoleSink: LogSink = (line) => console.log(line);

/** A function's one start-up line when its configuration cannot serve as written; nothing when it can. */
export function logConfigProblems(problems: string[], sink: LogSink = consoleSink): void {
  if (problems.length) sink(JSON.stringify({ level: "error", event: "config_error", problems }));
}
