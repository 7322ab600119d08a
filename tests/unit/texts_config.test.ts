// The texts functions say at start when their configuration cannot serve as written (helper-32): Twilio settings
// that are half set or malformed, and the secret or URL each needs once texts are set up — not when texts are unused.
import assert from "node:assert/strict";
import { createEnvDispatchHandler } from "../../supabase/functions/notifications-dispatch/handler.ts";
import { createEnvInboundHandler } from "../../supabase/functions/sms-inbound/handler.ts";
import { capturedConsole } from "./_helpers.ts";

const DATABASE = { SUPABASE_URL: "http://127.0.0.1:54321", SUPABASE_SERVICE_ROLE_KEY: "k" };
const TWILIO = { TWILIO_ACCOUNT_SID: "AC1", TWILIO_AUTH_TOKEN: "t" };
const DISPATCH = { ...DATABASE, NOTIFICATIONS_DISPATCH_SECRET: "d" };
const INBOUND = { ...DATABASE, SMS_INBOUND_URL: "https://x.supabase.co/functions/v1/sms-inbound" };

/** The problems of the one config_error line a handler built from `env` logs, or null when it logs none. */
function startUpProblems(create: (env: (n: string) => string | undefined) => unknown, env: Record<string, string>) {
  const lines = capturedConsole(() => create((n) => env[n]));
  if (lines.length === 0) return null;
  assert.equal(lines.length, 1);
  const line = JSON.parse(lines[0]);
  assert.deepEqual([line.level, line.event], ["error", "config_error"]);
  return (line.problems as string[]).join("; ");
}

Deno.test("notifications-dispatch: half-set or malformed Twilio settings are one config_error line at start", () => {
  for (
    const [env, expected] of [
      [{ ...DISPATCH, TWILIO_ACCOUNT_SID: "AC1" }, /TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must both be set/],
      [{ ...DISPATCH, TWILIO_ORG_CREDENTIALS: "not-json" }, /TWILIO_ORG_CREDENTIALS is not a JSON object/],
      [
        { ...DISPATCH, TWILIO_ORG_CREDENTIALS: JSON.stringify({ x: { accountSid: "AC1", authtoken: "x" } }) },
        /TWILIO_ORG_CREDENTIALS entry "x" needs/,
      ],
      [{ ...DISPATCH, ...TWILIO, TWILIO_TIMEOUT_MS: "ten" }, /TWILIO_TIMEOUT_MS is not a whole number/],
      [{ ...DATABASE, ...TWILIO }, /NOTIFICATIONS_DISPATCH_SECRET is not set/],
      [{ ...TWILIO, NOTIFICATIONS_DISPATCH_SECRET: "d" }, /SUPABASE_URL .* no text is claimed or sent/],
    ] as const
  ) assert.match(startUpProblems(createEnvDispatchHandler, env) ?? "", expected, JSON.stringify(env));
  assert.equal(startUpProblems(createEnvDispatchHandler, { ...DISPATCH, ...TWILIO }), null, "set up: no line");
  assert.equal(startUpProblems(createEnvDispatchHandler, DATABASE), null, "texts unused: no line");
});

Deno.test("sms-inbound: without SMS_INBOUND_URL once Twilio is set up, or with malformed settings, it says so", () => {
  assert.match(
    startUpProblems(createEnvInboundHandler, { ...DATABASE, ...TWILIO }) ?? "",
    /SMS_INBOUND_URL is not set/,
  );
  assert.match(
    startUpProblems(createEnvInboundHandler, { ...INBOUND, TWILIO_AUTH_TOKEN: "t" }) ?? "",
    /must both be set/,
  );
  assert.equal(startUpProblems(createEnvInboundHandler, { ...INBOUND, ...TWILIO }), null, "set up: no line");
  assert.equal(startUpProblems(createEnvInboundHandler, DATABASE), null, "texts unused: no line");
});

Deno.test("sms-inbound: an SMS_INBOUND_URL that is no http(s) URL is named at start, and its requests are refused", async () => {
  for (
    const url of ["notaurl", "ftp://x.supabase.co/functions/v1/sms-inbound", "x.supabase.co/functions/v1/sms-inbound"]
  ) {
    const problems = startUpProblems(createEnvInboundHandler, { ...DATABASE, ...TWILIO, SMS_INBOUND_URL: url }) ?? "";
    assert.match(problems, /SMS_INBOUND_URL is not an http\(s\) URL \(https:\/\/<ref>.*refused with 401/, url);
    assert.doesNotMatch(problems, /is not set/, url);
  }
  const env: Record<string, string> = { ...DATABASE, ...TWILIO, SMS_INBOUND_URL: "notaurl" };
  let handler!: (req: Request) => Promise<Response>;
  capturedConsole(() => handler = createEnvInboundHandler((n) => env[n]));
  const request = new Request("http://localhost/sms-inbound", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": "c2ln" },
    body: "AccountSid=AC1&From=%2B15550100001&To=%2B15550100002&Body=STOP",
  });
  const lines = await capturedConsole(async () => {
    const res = await handler(request);
    assert.equal(res.status, 401, "nothing can be verified: refused, nothing recorded");
    await res.body?.cancel();
  });
  assert.match(lines.join("\n"), /"outcome":"unauthorized".*SMS_INBOUND_URL is not set \(or not a URL\)/);
});

Deno.test("the texts functions leave the webhook's own VAPI_RPC_TIMEOUT_MS to the webhook (one config_error, not three)", () => {
  for (const value of ["abc", "3000"]) {
    const env = { ...DISPATCH, ...TWILIO, ...INBOUND, VAPI_RPC_TIMEOUT_MS: value };
    assert.equal(startUpProblems(createEnvDispatchHandler, env), null, `dispatch, VAPI_RPC_TIMEOUT_MS=${value}`);
    assert.equal(startUpProblems(createEnvInboundHandler, env), null, `inbound, VAPI_RPC_TIMEOUT_MS=${value}`);
  }
  assert.match(
    startUpProblems(createEnvDispatchHandler, { ...DISPATCH, SUPABASE_URL: "ftp://x" }) ?? "",
    /SUPABASE_URL/,
  );
});
