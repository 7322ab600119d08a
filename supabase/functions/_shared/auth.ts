/**
 * Authentication of Vapi's webhook requests. Fail closed: no configured secret means nobody gets in.
 *
 * Accepted credentials (protocol doc §6):
 * - `X-Vapi-Secret: <VAPI_WEBHOOK_SECRET>` (legacy secret / Bearer credential without prefix)
 * - `Authorization: Bearer <VAPI_WEBHOOK_SECRET>` (scheme is case-insensitive, RFC 9110 §11.1)
 * - when `VAPI_WEBHOOK_HMAC_SECRET` is set: `x-signature` = hex HMAC-SHA256 of `{x-timestamp}.{raw body}`,
 *   with `x-timestamp` (seconds or milliseconds) within ±5 minutes of now.
 */

import { createHash } from "node:crypto";
import { BODY_READ_TIMEOUT_MS, MAX_BODY_BYTES, readBodyCapped } from "./http.ts";

const HMAC_TOLERANCE_MS = 5 * 60 * 1000;

export interface AuthSecrets {
  webhookSecret: string | null;
  /** During a rotation: the secret being replaced, still accepted until it is unset (README "Rotate the secret"). */
  previousWebhookSecret?: string | null;
  hmacSecret: string | null;
}

const encoder = new TextEncoder();

/** SHA-256 in this thread: WebCrypto's digest is an asynchronous op, most of the cost of an authenticated request. */
function sha256(bytes: Uint8Array): Uint8Array {
  return createHash("sha256").update(bytes).digest();
}

/**
 * Constant-time equality: both values are hashed first, so the comparison always walks 32 bytes and
 * neither the length nor the position of the first difference shows in the timing.
 */
export function secretsEqual(given: string, expected: string): boolean {
  const [a, b] = [sha256(encoder.encode(given)), sha256(encoder.encode(expected))];
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

function bearerToken(authorization: string | null): string | null {
  const match = authorization?.match(/^bearer[ \t]+(\S.*)$/i);
  return match ? match[1].trimEnd() : null;
}

/** Epoch milliseconds of an `x-timestamp` value in seconds or milliseconds; null when it is not an integer. */
export function timestampToMs(raw: string | null): number | null {
  if (!raw || !/^\d{1,16}$/.test(raw.trim())) return null;
  const n = Number(raw.trim());
  // 1e12 ms is Sep 2001; any current time in seconds is far below it.
  return n >= 1e12 ? n : n * 1000;
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Hex HMAC-SHA256 of `{timestamp}.{body}` over the raw body bytes (never a re-serialisation). */
export async function signHmac(secret: string, timestamp: string, rawBody: Uint8Array): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const prefix = encoder.encode(`${timestamp}.`);
  const payload = new Uint8Array(prefix.length + rawBody.length);
  payload.set(prefix);
  payload.set(rawBody, prefix.length);
  return toHex(new Uint8Array(await crypto.subtle.sign("HMAC", key, payload)));
}

/**
 * The HMAC credential's headers when the signature is a hex SHA-256 (64 digits) and the timestamp is within the
 * window; else null.
 */
function freshHmacHeaders(headers: Headers, nowMs: number): { signature: string; timestamp: string } | null {
  const signature = headers.get("x-signature")?.trim().toLowerCase();
  const timestamp = headers.get("x-timestamp")?.trim() ?? null;
  const timestampMs = timestampToMs(timestamp);
  if (!signature || !/^[0-9a-f]{64}$/.test(signature) || timestamp === null || timestampMs === null) return null;
  if (Math.abs(nowMs - timestampMs) > HMAC_TOLERANCE_MS) return null;
  return { signature, timestamp };
}

/** True when `X-Vapi-Secret` or `Authorization: Bearer` carries the shared secret (no body needed). */
function sharedSecretValid(headers: Headers, secrets: AuthSecrets): boolean {
  // The previous secret only ever joins a current one (a rotation): alone it opens nothing, as the config log says.
  const accepted = secrets.webhookSecret
    ? [secrets.webhookSecret, secrets.previousWebhookSecret].filter((s): s is string => !!s)
    : [];
  const given = [headers.get("x-vapi-secret"), bearerToken(headers.get("authorization"))].filter((g) => g !== null);
  // Every pair is compared (no early exit), so timing does not tell which secret or header matched.
  const matches = accepted.flatMap((secret) => given.map((g) => secretsEqual(g, secret)));
  return matches.includes(true);
}

/**
 * The HMAC credential worth reading the body for: an HMAC secret is configured and the request carries a well-formed
 * signature with a fresh timestamp. Anything else is refused from the headers, before any body is read.
 */
function offeredHmac(headers: Headers, secrets: AuthSecrets, nowMs: number) {
  if (!secrets.hmacSecret) return null;
  const offered = freshHmacHeaders(headers, nowMs);
  return offered && { ...offered, secret: secrets.hmacSecret };
}

/** The one accept/reject decision for a POST: accepted with its raw body, or refused with the status to answer. */
export type AuthDecision =
  | { ok: true; body: Uint8Array }
  | { ok: false; status: 401 | 413 | 400; outcome: "unauthorized" | "payload_too_large" | "bad_request" };

/**
 * Authenticates a POST. A shared secret is checked from the headers alone, so a request without a credential
 * worth checking is refused before its body is read; only an HMAC credential needs the (size-capped) raw body. Until
 * its signature is checked the sender is unknown: a body too large or unreadable to check is 401, never 413 or 400.
 */
export async function authenticate(
  req: Request,
  secrets: AuthSecrets,
  nowMs: number,
  readWithinMs = BODY_READ_TIMEOUT_MS,
): Promise<AuthDecision> {
  const bySharedSecret = sharedSecretValid(req.headers, secrets);
  const hmac = bySharedSecret ? null : offeredHmac(req.headers, secrets, nowMs);
  if (!bySharedSecret && !hmac) return { ok: false, status: 401, outcome: "unauthorized" };
  const body = await readBodyCapped(req, MAX_BODY_BYTES, readWithinMs);
  if (!body.ok) {
    const outcome = body.reason === "too_large" ? "payload_too_large" : "bad_request";
    // The log says why; the answer cannot say more than "not authenticated" to a sender it could not check.
    if (hmac) return { ok: false, status: 401, outcome };
    return { ok: false, status: outcome === "payload_too_large" ? 413 : 400, outcome };
  }
  if (hmac && !secretsEqual(hmac.signature, await signHmac(hmac.secret, hmac.timestamp, body.bytes))) {
    return { ok: false, status: 401, outcome: "unauthorized" };
  }
  return { ok: true, body: body.bytes };
}
