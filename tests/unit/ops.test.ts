// What an operator sees: a loud line for a configuration that cannot serve, log lines bounded whatever the caller
// sends, and redeliveries logged as replays.
import assert from "node:assert/strict";
import { configProblems, loadConfig } from "../../supabase/functions/_shared/config.ts";
import { clip } from "../../supabase/functions/_shared/log.ts";
import { createEnvHandler } from "../../supabase/functions/vapi-webhook/handler.ts";
import { capturedConsole, okReturn, onlyLogLine, post, setup, testConfig, toolCallsMessage } from "./_helpers.ts";

// Unit tests run with short timeouts; a configuration that can serve uses the defaults, which nest (budget.ts).
const servable = (overrides: Parameters<typeof testConfig>[0] = {}) =>
  testConfig({ rpcTimeoutMs: 8000, assistantRequestTimeoutMs: 5000, ...overrides });

Deno.test("config: no secret and no database settings are named as problems; a full config has none", () => {
  assert.deepEqual(configProblems(servable()), []);
  assert.deepEqual(configProblems(servable({ webhookSecret: null, hmacSecret: "h" })), []);
  const problems = configProblems(servable({ webhookSecret: null, supabaseUrl: null }));
  assert.equal(problems.length, 2);
  assert.match(problems[0], /VAPI_WEBHOOK_SECRET is not set/);
  assert.match(problems[1], /SUPABASE_URL/);
});

Deno.test("config: a variable set but unreadable is named at start, and its default (or nothing) is used", () => {
  const base: Record<string, string> = {
    VAPI_WEBHOOK_SECRET: "s",
    SUPABASE_URL: "http://127.0.0.1:54321",
    SUPABASE_SERVICE_ROLE_KEY: "k",
  };
  const load = (more: Record<string, string>) => loadConfig((n) => ({ ...base, ...more })[n]);
  assert.deepEqual(configProblems(load({})), []);
  assert.deepEqual(configProblems(load({ VAPI_RPC_TIMEOUT_MS: " 9000 " })), []);
  for (const value of ["abc", "0", "-5", "25000ms", "1e3", "8000.5"]) {
    const config = load({ VAPI_RPC_TIMEOUT_MS: value });
    assert.equal(config.rpcTimeoutMs, 8000, value);
    assert.match(
      configProblems(config).join("; "),
      /VAPI_RPC_TIMEOUT_MS is not a whole number of milliseconds from 4500 to 19500: the default 8000 is used/,
      value,
    );
  }
  for (const value of ["127.0.0.1:54321", "ftp://x.supabase.co", "not a url"]) {
    const config = load({ SUPABASE_URL: value });
    assert.equal(config.supabaseUrl, null, value);
    assert.match(configProblems(config).join("; "), /SUPABASE_URL is not an http\(s\) URL/, value);
  }
});

Deno.test("config: a handler built without a secret logs one config_error line at start, none when configured", () => {
  const bad = capturedConsole(() => createEnvHandler(servable({ webhookSecret: null })));
  assert.equal(bad.length, 1);
  const line = JSON.parse(bad[0]);
  assert.equal(line.level, "error");
  assert.equal(line.event, "config_error");
  assert.match(line.problems[0], /VAPI_WEBHOOK_SECRET/);
  assert.ok(!bad[0].includes("test-webhook-secret"), "no secret value in the line");
  assert.deepEqual(capturedConsole(() => createEnvHandler(servable())), []);
});

Deno.test("log: clip keeps short values and cuts long ones with a mark", () => {
  assert.equal(clip("abc"), "abc");
  assert.equal(clip(null), null);
  assert.equal(clip(undefined), null);
  assert.equal(clip("x".repeat(200)), `${"x".repeat(128)}…`);
  assert.equal(clip("y".repeat(10), 4), "yyyy…");
});

Deno.test("log: a huge call id and 10 000 tool names still make one short line", async () => {
  const { handle, lines } = setup();
  const items = Array.from({ length: 10_000 }, (_, i) => ({
    id: `t${i}`,
    function: { name: `tool_${"n".repeat(300)}_${i}`, arguments: {} },
  }));
  const res = await handle(post(toolCallsMessage(items, { call: { id: "c".repeat(100_000) } })));
  assert.equal(res.status, 200);
  await res.body?.cancel();
  assert.equal(lines.length, 1);
  assert.ok(lines[0].length < 8_000, `log line is ${lines[0].length} characters`);
  const line = onlyLogLine(lines);
  assert.equal(line.call_id, null, "an id over MAX_ID_LENGTH is not a key, so it is not logged either");
  const tools = line.tools as string[];
  assert.equal(tools.length, 33);
  assert.match(tools[32], /^…\+\d+$/);
});

Deno.test("log: a redelivered tool call is logged with reason replayed", async () => {
  const { handle, lines } = setup({
    responder: () => Promise.resolve({ data: okReturn("Booked.", { replayed: true }), error: null }),
  });
  const res = await handle(
    post(toolCallsMessage([{ id: "a", function: { name: "book_appointment", arguments: {} } }])),
  );
  assert.equal(res.status, 200);
  assert.deepEqual((await res.json()).results, [{ toolCallId: "a", name: "book_appointment", result: "Booked." }]);
  assert.deepEqual(onlyLogLine(lines).reasons, ["replayed"]);
});
