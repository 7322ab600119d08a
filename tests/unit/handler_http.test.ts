// The webhook's HTTP surface before any message is read: the health check and the body size cap.
import assert from "node:assert/strict";
import { expectJson, onlyLogLine, post, SECRET, setup, throughServer, WEBHOOK_URL } from "./_helpers.ts";

Deno.test("GET → exact health body, no auth, no database", async () => {
  const { handle, rpc, lines } = setup({ config: { webhookSecret: null } });
  await expectJson(await handle(new Request(WEBHOOK_URL)), 200, {
    success: true,
    message: "Vapi webhook endpoint is active",
    multiTenant: true,
    identificationMethods: [
      "assistant_id (from customer_configurations.vapi_assistant_id)",
      "phone_number (from customer_configurations.vapi_phone_number)",
      "call_id (from call_logs.vapi_call_id)",
    ],
  });
  assert.equal(rpc.calls.length, 0);
  assert.equal(onlyLogLine(lines).outcome, "health");
});

Deno.test("HEAD is the health check without a body (uptime monitors use it): 200, GET's headers and length, no RPC", async () => {
  const { handle, rpc, lines } = setup();
  const path = new URL(WEBHOOK_URL).pathname;
  const head = await throughServer(handle, "HEAD", path);
  const get = await throughServer(handle, "GET", path);
  assert.equal(head.status, 200);
  assert.equal(head.headers.get("content-type"), "application/json");
  assert.equal(head.body, "");
  assert.ok(get.body.length > 0);
  // RFC 9110 §8.6: a HEAD answer's Content-Length, when sent, is the GET body's (it said 0).
  assert.equal(head.headers.get("content-length"), String(new TextEncoder().encode(get.body).length));
  assert.equal(rpc.calls.length, 0);
  assert.equal(JSON.parse(lines[0]).outcome, "health");
});

for (const method of ["OPTIONS", "PUT", "DELETE", "PATCH"]) {
  Deno.test(`${method} → 405 JSON`, async () => {
    const { handle, rpc } = setup();
    const res = await handle(new Request(WEBHOOK_URL, { method, headers: { "x-vapi-secret": SECRET } }));
    assert.equal(res.headers.get("allow"), "GET, HEAD, POST");
    await expectJson(res, 405, { error: "Method not allowed" });
    assert.equal(rpc.calls.length, 0);
  });
}

const MIB = 1024 * 1024;

Deno.test("413 when an authenticated Content-Length declares more than 16 MiB", async () => {
  const { handle, rpc, lines } = setup();
  const big = "x".repeat(16 * MIB + 1);
  await expectJson(await handle(post(big)), 413, { error: "Payload too large" });
  assert.equal(rpc.calls.length, 0);
  assert.equal(onlyLogLine(lines).outcome, "payload_too_large");
});

Deno.test("an oversized request without credentials is refused with 401 before its body is read", async () => {
  const { handle, rpc, lines } = setup();
  const big = "x".repeat(16 * MIB + 1);
  const req = post(big, {});
  await expectJson(await handle(req), 401, { error: "Unauthorized" });
  assert.equal(req.bodyUsed, false);
  assert.equal(rpc.calls.length, 0);
  assert.equal(onlyLogLine(lines).outcome, "unauthorized");
});

Deno.test("413 when a streamed body without Content-Length exceeds 16 MiB; the read stops at the cap", async () => {
  const { handle, rpc } = setup();
  const chunk = new Uint8Array(MIB).fill(0x20);
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      // An endless sender: only the cap ends the read.
      sent++;
      controller.enqueue(chunk);
    },
  });
  const req = new Request(WEBHOOK_URL, { method: "POST", headers: { "x-vapi-secret": SECRET }, body: stream });
  assert.equal(req.headers.get("content-length"), null);
  await expectJson(await handle(req), 413, { error: "Payload too large" });
  assert.equal(rpc.calls.length, 0);
  assert.ok(sent <= 18, `the sender was read ${sent} MiB`);
});

Deno.test("exactly 16 MiB of valid JSON is accepted", async () => {
  const { handle } = setup();
  const base = JSON.stringify({ message: { type: "speech-update", pad: "" } });
  const body = base.replace('"pad":""', `"pad":"${"p".repeat(16 * MIB - base.length)}"`);
  assert.equal(new TextEncoder().encode(body).length, 16 * MIB);
  await expectJson(await handle(post(body)), 200, {});
});

for (
  const [name, body, error] of [
    ["not JSON", "{nope", "Invalid JSON"],
    ["empty body", "", "Invalid JSON"],
    ["no message", "{}", "Missing message.type"],
    ["message without type", '{"message":{}}', "Missing message.type"],
    ["JSON array", "[1]", "Missing message.type"],
  ] as const
) {
  Deno.test(`400 for ${name}, no database access`, async () => {
    const { handle, rpc, lines } = setup();
    await expectJson(await handle(post(body)), 400, { error });
    assert.equal(rpc.calls.length, 0);
    const line = onlyLogLine(lines);
    assert.equal(line.outcome, "bad_request");
    assert.equal(line.level, "warn", "an authenticated body we cannot read is a warning");
    assert.equal(line.error, error, "… naming why");
  });
}
