// Texts end to end: a simulated Vapi call books through the real webhook and the dispatcher sends exactly one
// confirmation request to the spec-validated Twilio mock; a reschedule is one notice; inbound STOP/START through the
// sms-inbound function, signed the way Twilio signs (the official `twilio` helper library computes the signatures).
import assert from "node:assert/strict";
import twilio from "twilio";
import { futureWeekday, post, toolCallsMessage } from "./_stack.ts";
import { INBOUND_URL, type SmsStack, smsSuite } from "./_sms.ts";
import { createInboundHandler } from "../../supabase/functions/sms-inbound/handler.ts";
import type { SmsConfig, TwilioAccount } from "../../supabase/functions/_shared/twilio_config.ts";
import { OTHER_TENANT_ACCOUNT, PLATFORM_ACCOUNT, TEST_ACCOUNT } from "./_twilio.ts";

const suite = smsSuite();
const smsTest = suite.test;
const CUSTOMER = "+15550147777";

async function tool(s: SmsStack, callId: string, toolCallId: string, name: string, args: Record<string, unknown>) {
  const reply = await post(
    `${s.gateway.functionsUrl}/vapi-webhook`,
    toolCallsMessage({ callId, callAssistantId: s.org.assistant }, [{ id: toolCallId, name, args }]),
  );
  assert.equal(reply.status, 200);
  const [entry] = reply.body.results;
  assert.ok(entry.result, `tool error: ${entry.error}`);
  return JSON.parse(entry.result);
}

smsTest("a simulated call books → exactly one confirmation request reaches the Twilio mock", async (s) => {
  const callId = `e2e-sms-${crypto.randomUUID()}`;
  const args = { start_time: `${futureWeekday()}T10:00`, customer_name: "Ana", customer_phone: CUSTOMER };
  const booked = await tool(s, callId, "tc_book", "book_appointment", args);
  assert.equal(booked.status, "booked");
  await tool(s, callId, "tc_book", "book_appointment", args); // Vapi redelivers the same tool call
  const first = await s.dispatch();
  assert.equal(first.body.sent, 1);
  assert.equal((await s.dispatch()).body.claimed, 0);

  assert.equal(s.twilio.requests.length, 1, "one request in all");
  const [request] = s.twilio.accepted();
  assert.equal(request.mockStatus, 201, "valid per Twilio's OpenAPI spec");
  assert.equal(request.to, CUSTOMER);
  assert.equal(request.from, s.org.line);
  assert.match(
    String(request.body),
    /^Texting Test Co: your appointment \([^)]+\) on \w+day, \w+ \d+ at 10:00 AM is confirmed\./,
  );
  const texts = await s.texts();
  assert.deepEqual(texts.map((t) => [t.kind, t.status]), [["confirmation", "sent"], ["reminder", "pending"]]);
  assert.equal(texts[0].appointment_id, booked.appointment_id);
});

smsTest("a rescheduled call is one reschedule text, not a cancellation plus a confirmation", async (s) => {
  const callId = `e2e-sms-${crypto.randomUUID()}`;
  const day = futureWeekday();
  const booked = await tool(s, callId, "tc_1", "book_appointment", {
    start_time: `${day}T09:00`,
    customer_name: "Ana",
    customer_phone: CUSTOMER,
  });
  await s.dispatch();
  const moved = await tool(s, callId, "tc_2", "reschedule_appointment", {
    appointment_id: booked.appointment_id,
    new_start_time: `${day}T15:00`,
  });
  assert.equal(moved.status, "rescheduled");
  assert.equal((await s.dispatch()).body.sent, 1);
  assert.equal(s.twilio.accepted().length, 2);
  assert.match(String(s.twilio.requests[1].body), /moved from .* at 9:00 AM to .* at 3:00 PM/);
  const kinds = (await s.texts()).map((t) => `${t.kind}:${t.status}`).sort();
  assert.deepEqual(kinds, ["confirmation:sent", "reminder:cancelled", "reminder:pending", "reschedule:sent"]);
});

async function inbound(s: SmsStack, params: Record<string, string>, signature?: string, url = INBOUND_URL) {
  const form = new URLSearchParams(params);
  const sig = signature ?? twilio.getExpectedTwilioSignature(TEST_ACCOUNT.authToken, url, params);
  const res = await fetch(`${s.gateway.functionsUrl}/sms-inbound`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": sig },
    body: form,
  });
  return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
}

/** sms-inbound as deployed with other Twilio settings than the suite's stack: its status for one reply `account` signed. */
async function inboundDeployedWith(
  s: SmsStack,
  sms: Partial<SmsConfig>,
  account: TwilioAccount,
  params: Record<string, string>,
): Promise<number> {
  const handler = createInboundHandler({
    publicUrl: INBOUND_URL,
    sms: { ...s.sms, ...sms },
    rpc: s.rpc,
    log: () => {},
  });
  const signed = { ...params, AccountSid: account.accountSid };
  const res = await handler(
    new Request(INBOUND_URL, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": twilio.getExpectedTwilioSignature(account.authToken, INBOUND_URL, signed),
      },
      body: new URLSearchParams(signed),
    }),
  );
  await res.body?.cancel();
  return res.status;
}

const optOuts = async (s: SmsStack) =>
  (await s.sql`select phone, source from public.sms_opt_outs where organization_id = ${s.org.id}`).map((r) => ({
    ...r,
  }));

smsTest("inbound STOP (signed by Twilio) opts the sender out; START opts back in", async (s) => {
  const message = (body: string) => ({
    AccountSid: TEST_ACCOUNT.accountSid,
    MessageSid: "SM0123456789abcdef0123456789abcdef",
    From: CUSTOMER,
    To: s.org.line,
    Body: body,
  });
  const stop = await inbound(s, message("Stop"));
  assert.equal(stop.status, 200);
  assert.equal(stop.type, "text/xml");
  assert.match(stop.text, /<Response><\/Response>/);
  assert.deepEqual(await optOuts(s), [{ phone: CUSTOMER, source: "keyword" }]);
  await s.book([CUSTOMER]);
  const byKind = async () => Object.fromEntries((await s.texts()).map((t) => [t.kind, t.status]));
  assert.deepEqual(await byKind(), { confirmation: "skipped", reminder: "pending" }, "nothing due is sent to it");
  assert.equal((await s.dispatch()).body.claimed, 0, "an opted-out number is never texted");
  assert.equal((await inbound(s, message("START"))).status, 200);
  assert.deepEqual(await optOuts(s), []);
  // Opted back in before the reminder's time: it still waits to go out (claimed when due: pgTAP 95).
  assert.deepEqual(await byKind(), { confirmation: "skipped", reminder: "pending" });
});

smsTest("inbound texts without a valid Twilio signature are refused and change nothing", async (s) => {
  const params = { AccountSid: TEST_ACCOUNT.accountSid, From: CUSTOMER, To: s.org.line, Body: "STOP" };
  const forged = twilio.getExpectedTwilioSignature("some-other-token", INBOUND_URL, params);
  assert.equal((await inbound(s, params, forged)).status, 401, "signed with another token");
  assert.equal((await inbound(s, params, "")).status, 401, "no signature");
  const otherUrl = twilio.getExpectedTwilioSignature(TEST_ACCOUNT.authToken, "https://evil.example/sms", params);
  assert.equal((await inbound(s, params, otherUrl)).status, 401, "signed for another URL");
  const unknown = { ...params, AccountSid: "AC00000000000000000000000000000000" };
  assert.equal((await inbound(s, unknown)).status, 401, "an account we have no token for");
  const tampered = twilio.getExpectedTwilioSignature(TEST_ACCOUNT.authToken, INBOUND_URL, { ...params, Body: "hello" });
  assert.equal((await inbound(s, params, tampered)).status, 401, "the body was changed after signing");
  assert.deepEqual(await optOuts(s), []);
});

smsTest(
  "another tenant's own Twilio account cannot change this tenant's opt-outs (its signature is valid)",
  async (s) => {
    const params = { AccountSid: OTHER_TENANT_ACCOUNT.accountSid, From: CUSTOMER, To: s.org.line, Body: "STOP" };
    const signed = twilio.getExpectedTwilioSignature(OTHER_TENANT_ACCOUNT.authToken, INBOUND_URL, params);
    assert.equal((await inbound(s, params, signed)).status, 200, "a genuine Twilio request: answered");
    assert.deepEqual(await optOuts(s), [], "but not this tenant's line: nothing written");
    assert.equal((await inbound(s, { ...params, AccountSid: TEST_ACCOUNT.accountSid })).status, 200);
    assert.deepEqual(await optOuts(s), [{ phone: CUSTOMER, source: "keyword" }], "its own account: recorded");
  },
);

smsTest(
  "the platform's account changes the opt-outs of the organizations it sends for, not of one with its own account",
  async (s) => {
    const [{ id: other }] = await s.sql`insert into public.organizations (name, timezone)
                                        values ('Platform Texts Co', 'America/Chicago') returning id`;
    const otherLine = `+1555018${String(Math.floor(Math.random() * 10000)).padStart(4, "0")}`;
    await s.sql`insert into public.customer_configurations (organization_id, vapi_phone_number)
                values (${other}, ${otherLine})`;
    // sms-inbound as deployed with the platform's account configured too (the suite's stack has none).
    const stop = (to: string, perOrganization = s.sms.perOrganization) =>
      inboundDeployedWith(s, { global: PLATFORM_ACCOUNT, perOrganization }, PLATFORM_ACCOUNT, {
        From: CUSTOMER,
        To: to,
        Body: "STOP",
      });
    try {
      assert.equal(await stop(s.org.line), 200, "a genuine Twilio request: answered");
      assert.deepEqual(await optOuts(s), [], "the fixture organization texts through its own account: untouched");
      assert.equal(await stop(otherLine), 200);
      const recorded = await s.sql`select phone from public.sms_opt_outs where organization_id = ${other}`;
      assert.deepEqual(recorded.map((r) => r.phone), [CUSTOMER], "an organization the platform sends for: recorded");
      // An entry naming the platform's own account (only to give the organization a sender of its own) still texts
      // through the platform's account: its customers' STOPs arrive signed by it.
      const ownSender = new Map([[s.org.id, { ...PLATFORM_ACCOUNT, fromNumber: s.org.line }]]);
      assert.equal(await stop(s.org.line, ownSender), 200);
      assert.deepEqual(
        await optOuts(s),
        [{ phone: CUSTOMER, source: "keyword" }],
        "same account, own sender: recorded",
      );
    } finally {
      await s.sql`delete from public.organizations where id = ${other}`;
    }
  },
);

smsTest(
  "a tenant texting from its own account's number or Messaging Service hears STOP and START there (helper-93 #1)",
  async (s) => {
    const ownSender = "+15550170123"; // the account's number: no configuration lists it
    const reply = (body: string, extra: Record<string, string> = {}) => ({ From: CUSTOMER, Body: body, ...extra });
    const withSender = new Map([[s.org.id, { ...TEST_ACCOUNT, fromNumber: ownSender }]]);
    const via = (
      params: Record<string, string>,
      perOrganization: SmsConfig["perOrganization"] = withSender,
      account = TEST_ACCOUNT,
    ) => inboundDeployedWith(s, { perOrganization }, account, params);
    assert.equal(await via(reply("STOP", { To: ownSender })), 200);
    assert.deepEqual(await optOuts(s), [{ phone: CUSTOMER, source: "keyword" }], "STOP to its own sender: recorded");
    assert.equal(await via(reply("START", { To: "+1 (555) 017-0123" })), 200);
    assert.deepEqual(await optOuts(s), [], "START to it, however written: opted back in");
    // Through a Messaging Service, Twilio names it in the reply; any of its numbers is the tenant's.
    const withService = new Map([[s.org.id, {
      ...TEST_ACCOUNT,
      messagingServiceSid: "MG0123456789abcdef0123456789abcdef",
    }]]);
    const serviceReply = reply("STOP", {
      To: "+15550170999",
      MessagingServiceSid: "MG0123456789abcdef0123456789abcdef",
    });
    assert.equal(await via(serviceReply, withService), 200);
    assert.deepEqual(await optOuts(s), [{ phone: CUSTOMER, source: "keyword" }], "STOP to its Messaging Service");
    await s.sql`delete from public.sms_opt_outs where organization_id = ${s.org.id}`;
    // Another service's reply, or another tenant's account claiming this sender, changes nothing here.
    assert.equal(
      await via({ ...serviceReply, MessagingServiceSid: "MGffffffffffffffffffffffffffffffff" }, withService),
      200,
    );
    assert.deepEqual(await optOuts(s), [], "another Messaging Service: nothing recorded");
    const [{ id: other }] = await s.sql`insert into public.organizations (name, timezone)
                                        values ('Other Sender Co', 'America/Chicago') returning id`;
    try {
      // Another tenant's own account texting from the same number: its customers' reply is its own, not this one's.
      const otherClaims = new Map([[other as string, { ...OTHER_TENANT_ACCOUNT, fromNumber: ownSender }]]);
      assert.equal(await via(reply("STOP", { To: ownSender }), otherClaims, OTHER_TENANT_ACCOUNT), 200);
      assert.deepEqual(await optOuts(s), [], "nothing recorded for this tenant");
      const theirs = await s.sql`select phone from public.sms_opt_outs where organization_id = ${other}`;
      assert.deepEqual(theirs.map((r) => r.phone), [CUSTOMER], "recorded for the tenant whose account signed");
      // An entry naming the platform's own account, only to give this tenant a sender: replies signed by the platform's
      // account to that sender are this tenant's (helper-94 #3).
      const platformSender = new Map([[s.org.id, { ...PLATFORM_ACCOUNT, fromNumber: ownSender }]]);
      const status = await inboundDeployedWith(
        s,
        { global: PLATFORM_ACCOUNT, perOrganization: platformSender },
        PLATFORM_ACCOUNT,
        reply("STOP", { To: ownSender }),
      );
      assert.equal(status, 200);
      assert.deepEqual(
        await optOuts(s),
        [{ phone: CUSTOMER, source: "keyword" }],
        "its sender on the platform's account",
      );
    } finally {
      await s.sql`delete from public.organizations where id = ${other}`;
    }
  },
);

suite.close();
