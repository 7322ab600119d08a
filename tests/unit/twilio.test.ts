// _shared/twilio.ts and the dispatcher's HTTP surface without a database: credentials from the environment, the
// Messages request and how each answer is classified, Twilio's signature (checked against the official library).
import assert from "node:assert/strict";
import twilio from "twilio";
import { findSentSms, retryAfterSeconds, sendSms, twilioSignature } from "../../supabase/functions/_shared/twilio.ts";
import { loadSmsConfig, type SmsConfig } from "../../supabase/functions/_shared/twilio_config.ts";
import { createDispatchHandler } from "../../supabase/functions/notifications-dispatch/handler.ts";

const ACCOUNT = { accountSid: "AC11111111111111111111111111111111", authToken: "token-1" };
const config: SmsConfig = { ...loadSmsConfig(() => undefined), apiBaseUrl: "https://twilio.test" };
const MESSAGE = { to: "+15551230001", body: "Hi", from: "+15550100001" };

function answering(status: number, body: unknown, headers: Record<string, string> = {}) {
  const seen: Request[] = [];
  const fetchImpl = (input: string | URL | Request, init?: RequestInit) => {
    seen.push(new Request(input, init));
    return Promise.resolve(new Response(JSON.stringify(body), { status, headers }));
  };
  return { seen, fetchImpl: fetchImpl as typeof fetch };
}

const ORG_A = "0a000000-0000-4000-8000-00000000000a";
const MG1 = "MG11111111111111111111111111111111";

Deno.test("loadSmsConfig: global account, per-organization accounts, defaults, malformed JSON ignored", () => {
  const env: Record<string, string> = {
    TWILIO_ACCOUNT_SID: "AC1",
    TWILIO_AUTH_TOKEN: "t",
    TWILIO_FROM_NUMBER: "+15550000000",
    TWILIO_ORG_CREDENTIALS: JSON.stringify({
      [ORG_A]: { accountSid: "AC2", authToken: "u" },
      "0b000000-0000-4000-8000-00000000000b": { accountSid: "" },
    }),
  };
  const c = loadSmsConfig((n) => env[n]);
  assert.deepEqual(c.global, {
    accountSid: "AC1",
    authToken: "t",
    fromNumber: "+15550000000",
    messagingServiceSid: undefined,
  });
  assert.deepEqual([...c.perOrganization.keys()], [ORG_A]);
  assert.equal(c.apiBaseUrl, "https://api.twilio.com");
  assert.equal(c.timeoutMs, 10_000);
  assert.equal(c.configured, true);
  const broken = loadSmsConfig((n) =>
    ({ TWILIO_ORG_CREDENTIALS: "{nope", TWILIO_ACCOUNT_SID: "AC1" } as Record<string, string>)[n]
  );
  assert.equal(broken.global, null, "no auth token, no account");
  assert.equal(broken.perOrganization.size, 0);
  const none = loadSmsConfig(() => undefined);
  assert.deepEqual([none.configured, none.unreadable], [false, []], "texts not set up: nothing to complain about");
});

Deno.test("loadSmsConfig: each Twilio variable set but unusable is named for the start-up config_error", () => {
  const problems = (env: Record<string, string>) => loadSmsConfig((n) => env[n]).unreadable.join("; ");
  assert.match(problems({ TWILIO_ACCOUNT_SID: "AC1" }), /TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must both be set/);
  assert.match(problems({ TWILIO_FROM_NUMBER: "+15550000000" }), /must both be set/);
  for (const raw of ["not-json", "[]", '"x"', "null"]) {
    assert.match(problems({ TWILIO_ORG_CREDENTIALS: raw }), /TWILIO_ORG_CREDENTIALS is not a JSON object/, raw);
  }
  for (
    const entry of [
      { [ORG_A]: { accountSid: "AC1", authtoken: "x" } }, // the key's letter case
      { [ORG_A.toUpperCase()]: { accountSid: "AC1", authToken: "x" } }, // never equal to an organization id
      { "Bench 1": { accountSid: "AC1", authToken: "x" } },
    ]
  ) {
    const c = loadSmsConfig((n) => ({ TWILIO_ORG_CREDENTIALS: JSON.stringify(entry) } as Record<string, string>)[n]);
    assert.equal(c.perOrganization.size, 0);
    assert.match(c.unreadable.join("; "), /TWILIO_ORG_CREDENTIALS entry .* ignored/, JSON.stringify(entry));
  }
  for (const value of ["10s", "3000000000"]) { // a timer longer than 2^31 − 1 ms fires at once
    const timeout = loadSmsConfig((n) => ({ TWILIO_TIMEOUT_MS: value } as Record<string, string>)[n]);
    assert.equal(timeout.timeoutMs, 10_000, value);
    assert.match(timeout.unreadable.join("; "), /TWILIO_TIMEOUT_MS is not a whole number/, value);
  }
  const base = loadSmsConfig((n) => ({ TWILIO_API_BASE_URL: "api.twilio.com" } as Record<string, string>)[n]);
  assert.equal(base.apiBaseUrl, "https://api.twilio.com");
  assert.match(base.unreadable.join("; "), /TWILIO_API_BASE_URL is not an http\(s\) URL/);
  assert.equal(problems({ TWILIO_ACCOUNT_SID: "AC1", TWILIO_AUTH_TOKEN: "t", TWILIO_TIMEOUT_MS: "5000" }), "");
});

Deno.test("loadSmsConfig: an organization's entry naming the platform's own sender is kept, with a warning", () => {
  const load = (entry: { fromNumber?: string; messagingServiceSid?: string }) =>
    loadSmsConfig((n) =>
      ({
        TWILIO_ACCOUNT_SID: "AC1",
        TWILIO_AUTH_TOKEN: "t",
        TWILIO_FROM_NUMBER: "+1 555 010 0900",
        TWILIO_MESSAGING_SERVICE_SID: MG1,
        TWILIO_ORG_CREDENTIALS: JSON.stringify({ [ORG_A]: { accountSid: "AC1", authToken: "t", ...entry } }),
      } as Record<string, string>)[n]
    );
  for (const shared of [{ fromNumber: "+15550100900" }, { messagingServiceSid: MG1 }]) {
    const c = load(shared);
    assert.equal(c.perOrganization.get(ORG_A)?.accountSid, "AC1", "kept");
    assert.match(
      c.unreadable.join("; "),
      new RegExp(`entry ${ORG_A} texts from the platform's own sender.*counts for this organization alone`),
      JSON.stringify(shared),
    );
  }
  for (const own of [{ fromNumber: "+15550100901" }, { messagingServiceSid: MG1.replace("1", "2") }, {}]) {
    assert.deepEqual(load(own).unreadable, [], JSON.stringify(own));
  }
});

Deno.test("loadSmsConfig: a sender Twilio would refuse is named at start (kept); a number's spacing is taken out", () => {
  const load = (env: Record<string, string>) =>
    loadSmsConfig((n) => ({ TWILIO_ACCOUNT_SID: "AC1", TWILIO_AUTH_TOKEN: "t", ...env } as Record<string, string>)[n]);
  const spaced = load({ TWILIO_FROM_NUMBER: "+1 (555) 010-0900", TWILIO_MESSAGING_SERVICE_SID: MG1 });
  assert.deepEqual(spaced.unreadable, []);
  assert.equal(spaced.global?.fromNumber, "+15550100900", "sent to Twilio as E.164");
  assert.equal(load({ TWILIO_FROM_NUMBER: "+1\u2013555\u2013010\u20130900" }).global?.fromNumber, "+15550100900");
  assert.deepEqual(load({ TWILIO_MESSAGING_SERVICE_SID: "bogus" }).unreadable, [
    "TWILIO_MESSAGING_SERVICE_SID is not a Messaging Service SID (MG + 32 hex digits): Twilio will refuse every text " +
    "sent through it",
  ]);
  const national = load({ TWILIO_FROM_NUMBER: "(555) 123-4567" });
  assert.deepEqual(national.unreadable, [
    "TWILIO_FROM_NUMBER is not an E.164 number (like +15550100900): Twilio will refuse every text from it",
  ]);
  assert.equal(national.global?.accountSid, "AC1", "the account is kept");
  // Senders Twilio takes that are no phone number are used as written; a Messaging Service, when set, sends instead.
  for (const from of ["ACME HVAC", "55555", "whatsapp:+15550100900"]) {
    const c = load({ TWILIO_FROM_NUMBER: from });
    assert.deepEqual([c.unreadable, c.global?.fromNumber], [[], from], from);
  }
  assert.deepEqual(load({ TWILIO_FROM_NUMBER: "5551234", TWILIO_MESSAGING_SERVICE_SID: MG1 }).unreadable, []);
  const entry = (org: string) =>
    load({
      TWILIO_ORG_CREDENTIALS: JSON.stringify({ [org]: { accountSid: "AC2", authToken: "u", fromNumber: "+0800 12" } }),
    }).unreadable;
  assert.match(entry(ORG_A).join("; "), new RegExp(`TWILIO_ORG_CREDENTIALS entry ${ORG_A} fromNumber is not an E.164`));
  assert.equal(entry("NOT-AN-ID").length, 1, "an entry left out is named once");
});

Deno.test("sendSms: one form-encoded POST to Messages.json with basic auth; the SID on 201", async () => {
  const { seen, fetchImpl } = answering(201, { sid: "SM0123456789abcdef0123456789abcdef" });
  const result = await sendSms(config, ACCOUNT, MESSAGE, fetchImpl);
  assert.deepEqual(result, { outcome: "sent", sid: "SM0123456789abcdef0123456789abcdef" });
  assert.equal(seen.length, 1);
  assert.equal(seen[0].url, `https://twilio.test/2010-04-01/Accounts/${ACCOUNT.accountSid}/Messages.json`);
  assert.equal(seen[0].headers.get("authorization"), `Basic ${btoa(`${ACCOUNT.accountSid}:token-1`)}`);
  assert.deepEqual(Object.fromEntries(new URLSearchParams(await seen[0].text())), {
    To: MESSAGE.to,
    Body: "Hi",
    From: MESSAGE.from,
  });
});

Deno.test("sendSms: a Messaging Service wins over a number; no sender at all fails without a request", async () => {
  const { seen, fetchImpl } = answering(201, { sid: "SM1" });
  await sendSms(config, { ...ACCOUNT, messagingServiceSid: "MG1", fromNumber: "+15559999999" }, MESSAGE, fetchImpl);
  const form = new URLSearchParams(await seen[0].text());
  assert.equal(form.get("MessagingServiceSid"), "MG1");
  assert.equal(form.get("From"), null);
  const none = await sendSms(config, ACCOUNT, { ...MESSAGE, from: null }, fetchImpl);
  assert.equal(none.outcome, "failed");
  assert.equal(seen.length, 1);
});

Deno.test("sendSms: 429 / 503 retry (Retry-After kept), other 5xx unknown, 4xx fail, 21610 opt-out, 21211 undeliverable", async () => {
  const cases: [number, unknown, Record<string, string>, string, number | null][] = [
    [429, { code: 20429, message: "Too Many Requests" }, { "retry-after": "7" }, "retry", 7],
    [503, {}, {}, "retry", null],
    // A gateway's 500/502/504 may come after Twilio took the message: looked up, never blindly resent.
    [500, { code: 20500, message: "Internal Server Error" }, {}, "unknown", null],
    [502, {}, {}, "unknown", null],
    [504, {}, {}, "unknown", null],
    [400, { code: 21211, message: "Invalid 'To' Phone Number" }, {}, "undeliverable", null],
    [400, { code: 21614, message: "'To' number is not a valid mobile number" }, {}, "undeliverable", null],
    [
      400,
      { code: 21408, message: "Permission to send an SMS has not been enabled for the region" },
      {},
      "failed",
      null,
    ],
    [400, { code: 21610, message: "Attempt to send to unsubscribed recipient" }, {}, "opted_out", null],
    // The account's errors (a rotated token, a suspended account) are every text's until fixed: tried again later.
    [401, { code: 20003, message: "Authenticate" }, {}, "retry", 900],
    [403, { code: 20005, message: "Account not active" }, {}, "retry", 900],
    [429, {}, { "retry-after": "1.5" }, "retry", 2], // record_notification_result takes whole seconds
  ];
  for (const [status, body, headers, outcome, retryAfter] of cases) {
    const result = await sendSms(config, ACCOUNT, MESSAGE, answering(status, body, headers).fetchImpl);
    assert.equal(result.outcome, outcome, `HTTP ${status}`);
    if (result.outcome === "retry") assert.equal(result.retryAfterSeconds, retryAfter);
    if (result.outcome !== "sent") assert.match(result.error, new RegExp(`^(outcome_unknown: )?HTTP ${status}`));
  }
});

Deno.test("retryAfterSeconds: whole seconds, from delta seconds or an HTTP date, within an hour", () => {
  const now = Date.UTC(2026, 11, 5, 12, 0, 0);
  assert.equal(retryAfterSeconds("7", now), 7);
  assert.equal(retryAfterSeconds(" 0.2 ", now), 1);
  assert.equal(retryAfterSeconds("99999999999", now), 3600, "an integer parameter never overflows");
  assert.equal(retryAfterSeconds("Sat, 05 Dec 2026 12:00:30 GMT", now), 30);
  for (const unreadable of [null, "", "0", "-5", "soon", "Sat, 05 Dec 2026 11:00:00 GMT"]) {
    assert.equal(retryAfterSeconds(unreadable, now), null, String(unreadable));
  }
});

Deno.test("sendSms: a timeout is an unknown outcome (never resent); a refused connection is retried", async () => {
  const timeout = await sendSms(
    config,
    ACCOUNT,
    MESSAGE,
    () => Promise.reject(new DOMException("timed out", "TimeoutError")),
  );
  assert.equal(timeout.outcome, "unknown");
  const refused = new TypeError("fetch failed", {
    cause: new Error("error sending request: client error (Connect): tcp connect error: Connection refused"),
  });
  const result = await sendSms(config, ACCOUNT, MESSAGE, () => Promise.reject(refused));
  assert.equal(result.outcome, "retry");
});

Deno.test("findSentSms: the same text to the same number since the attempt is found; else retry; no list is unknown", async () => {
  const since = new Date("2026-11-29T10:00:00Z");
  const listed = (messages: unknown[]) => answering(200, { messages }).fetchImpl;
  const mine = { sid: "SM2", to: MESSAGE.to, body: "Hi", date_created: "Sun, 29 Nov 2026 10:00:05 +0000" };
  const found = await findSentSms(config, ACCOUNT, { to: MESSAGE.to, body: "Hi", since }, listed([mine]));
  assert.deepEqual(found, { outcome: "sent", sid: "SM2" });
  // The same words sent again later (another text: two appointments alike) are not this attempt's message.
  const later = { ...mine, sid: "SM3", date_created: "Sun, 29 Nov 2026 10:00:30 +0000" };
  const both = await findSentSms(config, ACCOUNT, { to: MESSAGE.to, body: "Hi", since }, listed([later, mine]));
  assert.deepEqual(both, { outcome: "sent", sid: "SM2" });
  const older = { ...mine, date_created: "Sun, 29 Nov 2026 09:59:50 +0000" }; // before the attempt (beyond 5 s skew)
  const other = { ...mine, body: "Another text" };
  for (const messages of [[], [older], [other]]) {
    const result = await findSentSms(config, ACCOUNT, { to: MESSAGE.to, body: "Hi", since }, listed(messages));
    assert.equal(result.outcome, "retry", JSON.stringify(messages));
  }
  const { seen, fetchImpl } = answering(503, {});
  assert.equal(
    (await findSentSms(config, ACCOUNT, { to: MESSAGE.to, body: "Hi", since }, fetchImpl)).outcome,
    "unknown",
  );
  assert.equal(new URL(seen[0].url).searchParams.get("To"), MESSAGE.to);
  assert.equal(seen[0].method, "GET");
});

Deno.test("findSentSms: a text Twilio re-encoded (Smart Encoding, a trial prefix) is still found; other words are not", async () => {
  const since = new Date("2026-11-29T10:00:00Z");
  const ours = "Bob’s Plumbing — “Elm St”: your appointment on Mon… is confirmed.\u00A0Reply STOP to opt out.";
  const asListed = (body: string) =>
    answering(200, {
      messages: [{ sid: "SM9", to: MESSAGE.to, body, date_created: "Sun, 29 Nov 2026 10:00:05 +0000" }],
    }).fetchImpl;
  const smart = `Bob's Plumbing - "Elm St": your appointment on Mon... is confirmed. Reply STOP to opt out.`;
  for (const body of [smart, `Sent from your Twilio trial account - ${smart}`, ours]) {
    const found = await findSentSms(config, ACCOUNT, { to: MESSAGE.to, body: ours, since }, asListed(body));
    assert.deepEqual(found, { outcome: "sent", sid: "SM9" }, body);
  }
  const spanish = "Bob’s: su cita está confirmada para el lunes.";
  const transliterated = await findSentSms(
    config,
    ACCOUNT,
    { to: MESSAGE.to, body: spanish, since },
    asListed("Bob's: su cita esta confirmada para el lunes."),
  );
  assert.equal(transliterated.outcome, "sent", "accents dropped by the encoding");
  for (
    const body of ["Bob's: su cita está confirmada para el martes.", "Bob's: su cita está cancelada para el lunes."]
  ) {
    const result = await findSentSms(config, ACCOUNT, { to: MESSAGE.to, body: spanish, since }, asListed(body));
    assert.equal(result.outcome, "retry", `${body}: other words are another text`);
  }
});

Deno.test("twilioSignature matches the official twilio library for varied parameters", async () => {
  const url = "https://abc.supabase.co/functions/v1/sms-inbound?x=1&y=a%20b";
  const samples: Record<string, string>[] = [
    {},
    { Body: "STOP", From: "+15551230001", To: "+15550100001", AccountSid: ACCOUNT.accountSid },
    { b: "2", a: "1", B: "3", Body: "¿Qué tal? ñ 👍 & = +", MessageSid: "SM1" },
  ];
  for (const params of samples) {
    const mine = await twilioSignature("secret-token", url, new URLSearchParams(params));
    assert.equal(mine, twilio.getExpectedTwilioSignature("secret-token", url, params));
    assert.ok(twilio.validateRequest("secret-token", mine, url, params));
  }
});

Deno.test("notifications-dispatch: fail closed without a secret, 405 for GET, nothing claimed without Twilio accounts", async () => {
  const calls: string[] = [];
  const deps = {
    sms: loadSmsConfig(() => undefined),
    rpc: { call: (fn: string) => (calls.push(fn), Promise.resolve({ data: [], error: null })) },
    fetch,
    log: () => {},
  };
  const post = (secret: string | null, auth?: string) =>
    createDispatchHandler({ ...deps, dispatchSecret: secret })(
      new Request("http://x/notifications-dispatch", { method: "POST", headers: auth ? { authorization: auth } : {} }),
    );
  assert.equal((await post(null, "Bearer ")).status, 401);
  assert.equal((await post(null, "Bearer null")).status, 401);
  assert.equal((await post("s3cret", "Bearer s3cre")).status, 401);
  const get = await createDispatchHandler({ ...deps, dispatchSecret: "s3cret" })(
    new Request("http://x/", { method: "GET" }),
  );
  assert.equal(get.status, 405);
  const ok = await post("s3cret", "Bearer s3cret");
  assert.equal(ok.status, 200);
  assert.equal((await ok.json()).claimed, 0);
  assert.deepEqual(calls, [], "no account → no claim");
});
