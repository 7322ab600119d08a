import assert from "node:assert/strict";
import { secretsEqual, signHmac, timestampToMs } from "../../supabase/functions/_shared/auth.ts";
import { readBodyCapped } from "../../supabase/functions/_shared/http.ts";
import { HMAC_SECRET, NOW_MS, onlyLogLine, post, SECRET, setup } from "./_helpers.ts";

const OLD = "previous-webhook-secret-9876543210";
const BODY = JSON.stringify({ message: { type: "status-update", status: "in-progress", call: { id: "c1" } } });
const encoder = new TextEncoder();
const seconds = (ms: number) => String(Math.floor(ms / 1000));

async function hmacHeaders(timestamp: string, body = BODY, secret = HMAC_SECRET): Promise<Record<string, string>> {
  return { "x-timestamp": timestamp, "x-signature": await signHmac(secret, timestamp, encoder.encode(body)) };
}

interface AuthCase {
  name: string;
  headers: () => Promise<Record<string, string>> | Record<string, string>;
  body?: string;
  webhookSecret?: string | null;
  previousWebhookSecret?: string | null;
  hmacSecret?: string | null;
  allowed: boolean;
}

const cases: AuthCase[] = [
  { name: "X-Vapi-Secret right", headers: () => ({ "x-vapi-secret": SECRET }), allowed: true },
  { name: "X-Vapi-Secret header name in any case", headers: () => ({ "X-VAPI-SECRET": SECRET }), allowed: true },
  {
    name: "X-Vapi-Secret wrong, same length",
    headers: () => ({ "x-vapi-secret": SECRET.replace(/.$/, "X") }),
    allowed: false,
  },
  { name: "X-Vapi-Secret shorter (prefix)", headers: () => ({ "x-vapi-secret": SECRET.slice(0, -1) }), allowed: false },
  { name: "X-Vapi-Secret longer", headers: () => ({ "x-vapi-secret": `${SECRET}x` }), allowed: false },
  { name: "X-Vapi-Secret empty", headers: () => ({ "x-vapi-secret": "" }), allowed: false },
  { name: "no credential at all", headers: () => ({}), allowed: false },
  { name: "Bearer right", headers: () => ({ authorization: `Bearer ${SECRET}` }), allowed: true },
  { name: "bearer scheme is case-insensitive", headers: () => ({ authorization: `bearer ${SECRET}` }), allowed: true },
  { name: "BEARER scheme upper case", headers: () => ({ authorization: `BEARER ${SECRET}` }), allowed: true },
  { name: "Bearer wrong", headers: () => ({ authorization: "Bearer nope" }), allowed: false },
  { name: "Bearer without token", headers: () => ({ authorization: "Bearer" }), allowed: false },
  { name: "Basic scheme with the secret", headers: () => ({ authorization: `Basic ${SECRET}` }), allowed: false },
  { name: "raw secret without scheme", headers: () => ({ authorization: SECRET }), allowed: false },
  {
    name: "wrong X-Vapi-Secret but right Bearer",
    headers: () => ({ "x-vapi-secret": "no", authorization: `Bearer ${SECRET}` }),
    allowed: true,
  },
  // Rotation (README "Rotate the secret"): the new and the previous secret both pass until the previous is unset.
  {
    name: "rotation: new secret",
    headers: () => ({ "x-vapi-secret": SECRET }),
    previousWebhookSecret: OLD,
    allowed: true,
  },
  {
    name: "rotation: previous secret",
    headers: () => ({ "x-vapi-secret": OLD }),
    previousWebhookSecret: OLD,
    allowed: true,
  },
  {
    name: "rotation: previous secret as Bearer",
    headers: () => ({ authorization: `Bearer ${OLD}` }),
    previousWebhookSecret: OLD,
    allowed: true,
  },
  { name: "rotation over: previous secret refused", headers: () => ({ "x-vapi-secret": OLD }), allowed: false },
  {
    name: "rotation: a third secret refused",
    headers: () => ({ "x-vapi-secret": `${OLD}-other` }),
    previousWebhookSecret: OLD,
    allowed: false,
  },
  {
    // No current secret is no secret configured (README, the config log line): the previous one alone opens nothing.
    name: "rotation: previous secret alone (new one unset) is refused",
    headers: () => ({ "x-vapi-secret": OLD }),
    webhookSecret: null,
    previousWebhookSecret: OLD,
    allowed: false,
  },
  {
    name: "no secret configured, header sent",
    headers: () => ({ "x-vapi-secret": SECRET, authorization: `Bearer ${SECRET}` }),
    webhookSecret: null,
    allowed: false,
  },
  {
    name: "no secret configured, empty header sent",
    headers: () => ({ "x-vapi-secret": "" }),
    webhookSecret: null,
    allowed: false,
  },
  {
    name: "HMAC valid, seconds timestamp",
    headers: () => hmacHeaders(seconds(NOW_MS)),
    hmacSecret: HMAC_SECRET,
    allowed: true,
  },
  {
    name: "HMAC valid, milliseconds timestamp",
    headers: () => hmacHeaders(String(NOW_MS)),
    hmacSecret: HMAC_SECRET,
    allowed: true,
  },
  {
    name: "HMAC valid, 4 minutes old",
    headers: () => hmacHeaders(seconds(NOW_MS - 4 * 60_000)),
    hmacSecret: HMAC_SECRET,
    allowed: true,
  },
  {
    name: "HMAC valid even without the shared secret configured",
    headers: () => hmacHeaders(seconds(NOW_MS)),
    webhookSecret: null,
    hmacSecret: HMAC_SECRET,
    allowed: true,
  },
  {
    name: "HMAC stale (> 5 min old)",
    headers: () => hmacHeaders(seconds(NOW_MS - 5 * 60_000 - 2000)),
    hmacSecret: HMAC_SECRET,
    allowed: false,
  },
  {
    name: "HMAC from the future (> 5 min ahead)",
    headers: () => hmacHeaders(String(NOW_MS + 5 * 60_000 + 2000)),
    hmacSecret: HMAC_SECRET,
    allowed: false,
  },
  {
    name: "HMAC over a tampered body",
    headers: () => hmacHeaders(seconds(NOW_MS)),
    body: BODY.replace("in-progress", "ended"),
    hmacSecret: HMAC_SECRET,
    allowed: false,
  },
  {
    name: "HMAC signed with the wrong key",
    headers: () => hmacHeaders(seconds(NOW_MS), BODY, "another-key"),
    hmacSecret: HMAC_SECRET,
    allowed: false,
  },
  {
    name: "HMAC signature garbage",
    headers: () => ({ "x-timestamp": seconds(NOW_MS), "x-signature": "deadbeef" }),
    hmacSecret: HMAC_SECRET,
    allowed: false,
  },
  {
    name: "HMAC with a non-numeric timestamp",
    headers: async () => ({ ...(await hmacHeaders("yesterday")) }),
    hmacSecret: HMAC_SECRET,
    allowed: false,
  },
  {
    name: "HMAC without timestamp header",
    headers: async () => ({ "x-signature": (await hmacHeaders(seconds(NOW_MS)))["x-signature"] }),
    hmacSecret: HMAC_SECRET,
    allowed: false,
  },
  {
    name: "valid HMAC ignored when no HMAC secret is configured",
    headers: () => hmacHeaders(seconds(NOW_MS)),
    hmacSecret: null,
    allowed: false,
  },
  {
    name: "HMAC secret sent as X-Vapi-Secret is not the shared secret",
    headers: () => ({ "x-vapi-secret": HMAC_SECRET }),
    hmacSecret: HMAC_SECRET,
    allowed: false,
  },
];

for (const c of cases) {
  Deno.test(`auth: ${c.name} → ${c.allowed ? "200" : "401"}`, async () => {
    const { handle, rpc, lines } = setup({
      config: {
        webhookSecret: c.webhookSecret === undefined ? SECRET : c.webhookSecret,
        previousWebhookSecret: c.previousWebhookSecret ?? null,
        hmacSecret: c.hmacSecret ?? null,
      },
    });
    const res = await handle(post(c.body ?? BODY, await c.headers()));
    assert.equal(res.headers.get("content-type"), "application/json");
    if (c.allowed) {
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), {});
      assert.equal(rpc.calls.length, 1, "the authenticated status-update reaches the database once");
    } else {
      assert.equal(res.status, 401);
      assert.deepEqual(await res.json(), { error: "Unauthorized" });
      assert.equal(rpc.calls.length, 0, "a denied request never touches the database");
      const line = onlyLogLine(lines);
      assert.equal(line.outcome, "unauthorized");
      assert.equal(line.level, "warn");
    }
  });
}

Deno.test("auth: a 401 comes before JSON parsing and envelope checks", async () => {
  const { handle, rpc } = setup();
  for (const body of ["not json", "{}", JSON.stringify({ message: {} })]) {
    const res = await handle(post(body, { "x-vapi-secret": "wrong" }));
    assert.equal(res.status, 401);
    await res.body?.cancel();
  }
  assert.equal(rpc.calls.length, 0);
});

Deno.test("secretsEqual: equal, different, different length, empty", () => {
  assert.equal(secretsEqual("abc", "abc"), true);
  assert.equal(secretsEqual("abc", "abd"), false);
  assert.equal(secretsEqual("abc", "abcd"), false);
  assert.equal(secretsEqual("", "abc"), false);
  assert.equal(secretsEqual("", ""), true);
});

Deno.test("timestampToMs: seconds and milliseconds, rejects non-integers", () => {
  assert.equal(timestampToMs("1767711000"), 1767711000000);
  assert.equal(timestampToMs("1767711000123"), 1767711000123);
  assert.equal(timestampToMs("1767711000.5"), null);
  assert.equal(timestampToMs("-5"), null);
  assert.equal(timestampToMs(""), null);
  assert.equal(timestampToMs(null), null);
});

Deno.test("auth: a signature without a fresh x-timestamp, or not 64 hex digits, is refused from its headers; the body is never read", async () => {
  const stale = seconds(NOW_MS - 6 * 60 * 1000);
  const noTimestamp: Record<string, string> = { "x-signature": "ab".repeat(32) };
  for (
    const headers of [
      noTimestamp,
      { "x-signature": "ab".repeat(32), "x-timestamp": stale },
      { "x-signature": "00", "x-timestamp": seconds(NOW_MS) },
      { "x-signature": "sha256=" + "ab".repeat(32), "x-timestamp": seconds(NOW_MS) },
    ]
  ) {
    const { handle, rpc } = setup({ config: { webhookSecret: SECRET, hmacSecret: HMAC_SECRET } });
    let pulled = 0;
    // A body far over the 16 MiB cap: reading it would answer 413 instead of 401.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024 * 1024));
        if (pulled > 40) controller.close();
      },
    }, { highWaterMark: 0 });
    const req = new Request("http://localhost/functions/v1/vapi-webhook", { method: "POST", headers, body });
    const res = await handle(req);
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), { error: "Unauthorized" });
    assert.equal(pulled, 0, "no chunk of the body was read");
    assert.equal(rpc.calls.length, 0);
  }
});

Deno.test("auth: a body too large to check a well-formed HMAC signature by is 401 (the sender is unknown) and logged as too large; with the shared secret it is 413", async () => {
  const oversized = () =>
    new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(1024 * 1024));
      },
    }, { highWaterMark: 0 });
  const cases: [Record<string, string>, number][] = [
    [{ "x-signature": "ab".repeat(32), "x-timestamp": seconds(NOW_MS) }, 401],
    [{ "x-vapi-secret": SECRET }, 413],
  ];
  for (const [headers, status] of cases) {
    const { handle, rpc, lines } = setup({ config: { webhookSecret: SECRET, hmacSecret: HMAC_SECRET } });
    const req = new Request("http://localhost/functions/v1/vapi-webhook", {
      method: "POST",
      headers,
      body: oversized(),
    });
    const res = await handle(req);
    assert.equal(res.status, status, JSON.stringify(headers));
    assert.equal(rpc.calls.length, 0);
    assert.equal(onlyLogLine(lines).outcome, "payload_too_large", "the log line says why, whatever the answer");
  }
});

Deno.test("readBodyCapped: a body that stops arriving is cut off at the time limit; a whole one is read", async () => {
  const encoder = new TextEncoder();
  let sent = 0;
  const stalled = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ === 0) controller.enqueue(encoder.encode('{"message":')); // then nothing, never closed
      return new Promise(() => {});
    },
  });
  const slow = new Request("http://localhost/", {
    method: "POST",
    body: stalled,
    headers: { "content-length": "1000" },
  });
  const started = performance.now();
  assert.deepEqual(await readBodyCapped(slow, 1000, 50), { ok: false, reason: "unreadable" });
  assert.ok(performance.now() - started < 1000, "cut off near its 50 ms limit, not left waiting");

  const whole = await readBodyCapped(new Request("http://localhost/", { method: "POST", body: '{"ok":1}' }), 1000, 50);
  assert.ok(whole.ok);
  assert.equal(new TextDecoder().decode(whole.ok ? whole.bytes : undefined), '{"ok":1}');
});
