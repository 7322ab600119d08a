// LOCAL-ONLY stand-in: HS256 JWTs the way `supabase start` makes them. Hosted Supabase issues and verifies its own
// keys; nothing here is used outside the local stack and the tests.
import { createHmac, timingSafeEqual } from "node:crypto";

/** The JWT secret `supabase start` uses unless the project overrides it. */
export const DEFAULT_JWT_SECRET = "super-secret-jwt-token-with-at-least-32-characters-long";

/** Expiry of Supabase's published local demo keys (2032-11-12). */
const DEMO_KEY_EXP = 1983812996;

export type JwtClaims = Record<string, unknown>;

/** Why a token was rejected; `message` mirrors PostgREST's wording for the same failure. */
export class JwtError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JwtError";
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function base64UrlEncode(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function base64UrlDecode(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new JwtError("JWT couldn't be decoded");
  const base64 = text.replaceAll("-", "+").replaceAll("_", "/").padEnd(Math.ceil(text.length / 4) * 4, "=");
  return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
}

function hmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}

/** Signs `claims` as a compact HS256 JWT; the claim order is kept, so the demo keys come out byte-identical. */
export async function signJwt(claims: JwtClaims, secret: string): Promise<string> {
  const header = base64UrlEncode(encoder.encode(JSON.stringify({ alg: "HS256", typ: "JWT" })));
  const payload = base64UrlEncode(encoder.encode(JSON.stringify(claims)));
  const signature = await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(`${header}.${payload}`));
  return `${header}.${payload}.${base64UrlEncode(new Uint8Array(signature))}`;
}

/**
 * Verifies an HS256 JWT and returns its claims. Rejects with JwtError on a malformed token, another algorithm, a bad
 * signature, or `exp`/`nbf` outside the current time (PostgREST allows 30 s of clock skew; so do we).
 */
export function verifyJwt(token: string, secret: string, nowSeconds = Date.now() / 1000): Promise<JwtClaims> {
  return new Promise((resolve) => resolve(verifiedClaims(token, secret, nowSeconds)));
}

// In this thread (node:crypto): WebCrypto's importKey + verify are two asynchronous ops, ~0.2 ms of every RPC.
function verifiedClaims(token: string, secret: string, nowSeconds: number): JwtClaims {
  if (token === "") throw new JwtError("Empty JWT is sent in Authorization header");
  const parts = token.split(".");
  if (parts.length !== 3) throw new JwtError(`Expected 3 parts in JWT; got ${parts.length}`);
  const [headerPart, payloadPart, signaturePart] = parts;
  const header = parseJsonPart(headerPart);
  if (header.alg !== "HS256") throw new JwtError("Wrong or unsupported encoding algorithm");
  const given = base64UrlDecode(signaturePart);
  const expected = createHmac("sha256", secret).update(`${headerPart}.${payloadPart}`).digest();
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new JwtError("JWT cryptographic operation failed");
  }
  const claims = parseJsonPart(payloadPart);
  const skew = 30;
  if (claims.exp !== undefined) {
    if (typeof claims.exp !== "number") throw new JwtError("The JWT 'exp' claim must be a number");
    if (nowSeconds - skew > claims.exp) throw new JwtError("JWT expired");
  }
  if (claims.nbf !== undefined) {
    if (typeof claims.nbf !== "number") throw new JwtError("The JWT 'nbf' claim must be a number");
    if (nowSeconds + skew < claims.nbf) throw new JwtError("JWT not yet valid");
  }
  return claims;
}

function parseJsonPart(part: string): JwtClaims {
  try {
    const value = JSON.parse(decoder.decode(base64UrlDecode(part)));
    if (value !== null && typeof value === "object" && !Array.isArray(value)) return value;
  } catch {
    // fall through: reported as a decode failure like PostgREST does
  }
  throw new JwtError("JWT couldn't be decoded");
}

export interface LocalKeys {
  jwtSecret: string;
  anonKey: string;
  serviceRoleKey: string;
}

/** The keys `supabase start` prints: with the default secret these are Supabase's well-known local demo keys. */
export async function localKeys(jwtSecret = Deno.env.get("SUPABASE_JWT_SECRET") || DEFAULT_JWT_SECRET): Promise<
  LocalKeys
> {
  const demoKey = (role: string) => signJwt({ iss: "supabase-demo", role, exp: DEMO_KEY_EXP }, jwtSecret);
  return { jwtSecret, anonKey: await demoKey("anon"), serviceRoleKey: await demoKey("service_role") };
}
