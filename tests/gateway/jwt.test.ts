// The local HS256 keys: byte-identical to Supabase's published local demo keys, and strict verification.
import assert from "node:assert/strict";
import { DEFAULT_JWT_SECRET, JwtError, localKeys, signJwt, verifyJwt } from "../../local-stack/jwt.ts";

// Published by Supabase for `supabase start` (the CLI prints them; countless projects embed them).
const DEMO_ANON_KEY =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9" +
  ".CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0";
const DEMO_SERVICE_ROLE_KEY =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vf" +
  "cm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU";

Deno.test("jwt: the default secret yields Supabase's well-known local demo keys", async () => {
  const keys = await localKeys(DEFAULT_JWT_SECRET);
  assert.equal(keys.anonKey, DEMO_ANON_KEY);
  assert.equal(keys.serviceRoleKey, DEMO_SERVICE_ROLE_KEY);
  assert.deepEqual(await verifyJwt(keys.serviceRoleKey, DEFAULT_JWT_SECRET), {
    iss: "supabase-demo",
    role: "service_role",
    exp: 1983812996,
  });
});

Deno.test("jwt: another secret yields other keys that verify only with that secret", async () => {
  const secret = "another-secret-with-at-least-32-characters!!";
  const keys = await localKeys(secret);
  assert.notEqual(keys.anonKey, DEMO_ANON_KEY);
  assert.equal((await verifyJwt(keys.anonKey, secret)).role, "anon");
  await assert.rejects(verifyJwt(keys.anonKey, DEFAULT_JWT_SECRET), JwtError);
});

Deno.test("jwt: a tampered payload or signature is rejected", async () => {
  const [header, , signature] = DEMO_ANON_KEY.split(".");
  const payload = btoa(JSON.stringify({ iss: "supabase-demo", role: "service_role", exp: 1983812996 }))
    .replaceAll("=", "");
  await assert.rejects(verifyJwt(`${header}.${payload}.${signature}`, DEFAULT_JWT_SECRET), {
    message: "JWT cryptographic operation failed",
  });
  const flipped = DEMO_ANON_KEY.slice(0, -2) + (DEMO_ANON_KEY.endsWith("I0") ? "J0" : "I0");
  await assert.rejects(verifyJwt(flipped, DEFAULT_JWT_SECRET), JwtError);
});

Deno.test("jwt: expired and not-yet-valid tokens are rejected (30 s clock skew allowed)", async () => {
  const now = 2_000_000_000;
  const expired = await signJwt({ role: "anon", exp: now - 31 }, DEFAULT_JWT_SECRET);
  await assert.rejects(verifyJwt(expired, DEFAULT_JWT_SECRET, now), { message: "JWT expired" });
  const withinSkew = await signJwt({ role: "anon", exp: now - 5 }, DEFAULT_JWT_SECRET);
  assert.equal((await verifyJwt(withinSkew, DEFAULT_JWT_SECRET, now)).role, "anon");
  const future = await signJwt({ role: "anon", nbf: now + 120 }, DEFAULT_JWT_SECRET);
  await assert.rejects(verifyJwt(future, DEFAULT_JWT_SECRET, now), { message: "JWT not yet valid" });
});

Deno.test("jwt: malformed tokens and other algorithms are rejected", async () => {
  await assert.rejects(verifyJwt("", DEFAULT_JWT_SECRET), JwtError);
  await assert.rejects(verifyJwt("a.b", DEFAULT_JWT_SECRET), { message: "Expected 3 parts in JWT; got 2" });
  await assert.rejects(verifyJwt("!!.??.##", DEFAULT_JWT_SECRET), JwtError);
  const none = `${btoa(JSON.stringify({ alg: "none", typ: "JWT" }))}.${
    btoa(JSON.stringify({ role: "service_role" }))
  }.`;
  await assert.rejects(verifyJwt(none.replaceAll("=", ""), DEFAULT_JWT_SECRET), {
    message: "Wrong or unsupported encoding algorithm",
  });
});

Deno.test("jwt: SUPABASE_JWT_SECRET overrides the default secret", async () => {
  const previous = Deno.env.get("SUPABASE_JWT_SECRET");
  Deno.env.set("SUPABASE_JWT_SECRET", "env-secret-with-at-least-32-characters-long!");
  try {
    assert.equal((await localKeys()).jwtSecret, "env-secret-with-at-least-32-characters-long!");
  } finally {
    if (previous === undefined) Deno.env.delete("SUPABASE_JWT_SECRET");
    else Deno.env.set("SUPABASE_JWT_SECRET", previous);
  }
});
