// notifications-dispatch through the real gateway and database, sending to the spec-validated Twilio mock (via the
// fault-injecting stand-in): valid requests, exactly once under concurrent dispatchers, bounded retries, permanent
// failures, 21610 opt-outs, and the at-most-once rule when an answer is lost (timeout, crash between send and record).
import assert from "node:assert/strict";
import { BATCH_SIZE, dispatchOnce } from "../../supabase/functions/notifications-dispatch/handler.ts";
import { type SmsStack, smsSuite } from "./_sms.ts";

const suite = smsSuite();
const smsTest = suite.test;
const phone = (n: number) => `+1555014${String(n).padStart(4, "0")}`;

smsTest("dispatch refuses a missing or wrong secret and claims nothing", async (s) => {
  await s.book([phone(1)]);
  for (const authorization of [undefined, "Bearer wrong", `Basic ${btoa("x:y")}`]) {
    const res = await fetch(`${s.gateway.functionsUrl}/notifications-dispatch`, {
      method: "POST",
      headers: authorization ? { authorization } : {},
    });
    assert.equal(res.status, 401);
    await res.body?.cancel();
  }
  assert.deepEqual((await s.texts()).map((t) => t.status), ["pending", "pending"]);
  assert.equal(s.twilio.requests.length, 0);
});

smsTest("a confirmation is one valid Messages request (Twilio's spec) and its SID is recorded", async (s) => {
  await s.book([phone(2)]);
  const { status, body } = await s.dispatch();
  assert.equal(status, 200);
  assert.equal(body.claimed, 1);
  assert.equal(body.sent, 1);
  assert.equal(s.twilio.requests.length, 1);
  const [request] = s.twilio.accepted();
  assert.equal(request.mockStatus, 201, "the mock validated the request against twilio_api_v2010.json");
  const [confirmation, reminder] = await s.texts();
  assert.equal(request.to, phone(2));
  assert.equal(request.from, s.org.line, "sent from the tenant's line");
  assert.equal(request.body, confirmation.body);
  assert.equal(confirmation.status, "sent");
  assert.equal(confirmation.provider_message_id, request.mockBody?.sid);
  assert.match(String(confirmation.provider_message_id), /^(SM|MM)[0-9a-fA-F]{32}$/);
  assert.equal(reminder.status, "pending", "the reminder waits for its time");
  assert.ok(s.logs.every((line) => !line.includes(phone(2))), "no phone number in clear in the logs");
});

smsTest("two concurrent dispatchers send each of 25 texts exactly once", async (s) => {
  const phones = Array.from({ length: 25 }, (_, i) => phone(100 + i));
  await s.book(phones);
  let claimed = 0;
  for (let round = 0; round < 10; round++) {
    const runs = await Promise.all([s.dispatch(), s.dispatch()]);
    const got = runs.reduce((sum, r) => sum + r.body.claimed, 0);
    claimed += got;
    if (got === 0) break;
  }
  assert.equal(claimed, 25);
  assert.equal(s.twilio.requests.length, 25, "one request per text, none repeated");
  assert.equal(s.twilio.accepted().length, 25);
  assert.deepEqual(new Set(s.twilio.requests.map((r) => r.to)), new Set(phones));
  const texts = (await s.texts()).filter((t) => t.kind === "confirmation");
  assert.ok(texts.every((t) => t.status === "sent" && t.attempts === 1));
});

smsTest(
  `a backlog over one batch (${BATCH_SIZE}) drains in one run: batch after batch while they come full`,
  async (s) => {
    const phones = Array.from({ length: 2 * BATCH_SIZE + 3 }, (_, i) => phone(300 + i));
    await s.book(phones);
    const { status, body } = await s.dispatch();
    assert.equal(status, 200);
    assert.deepEqual([body.claimed, body.sent], [phones.length, phones.length]);
    assert.equal(s.twilio.accepted().length, phones.length, "one request per text");
    assert.equal((await s.dispatch()).body.claimed, 0, "nothing left for the next run");
  },
);

smsTest("429 and 503 are retried with backoff, then the text is sent once", async (s) => {
  await s.book([phone(3)]);
  s.twilio.inject({ status: 429 }, { status: 503 });
  assert.equal((await s.dispatch()).body.retry, 1);
  let [text] = await s.texts();
  assert.equal(text.status, "pending");
  assert.match(String(text.last_error), /^HTTP 429/);
  assert.ok((text.send_after as Date).getTime() > Date.now(), "not due again at once");
  assert.equal((await s.dispatch()).body.claimed, 0, "the backoff holds it back");
  await s.makeDue();
  assert.equal((await s.dispatch()).body.retry, 1);
  await s.makeDue();
  assert.equal((await s.dispatch()).body.sent, 1);
  [text] = await s.texts();
  assert.equal(text.status, "sent");
  assert.equal(text.attempts, 3);
  assert.equal(s.twilio.requests.length, 3);
  assert.equal(s.twilio.accepted().length, 1);
});

smsTest("a 502 (a gateway's, maybe after Twilio took it) is looked up before the text is sent again", async (s) => {
  await s.book([phone(12)]);
  s.twilio.inject({ status: 502 });
  await s.dispatch();
  assert.equal((await s.texts())[0].status, "unknown", "not resent blindly");
  await s.makeReconcilable();
  await s.dispatch(); // not in Twilio's list: it was never taken
  assert.equal(s.twilio.lookups.length, 1);
  await s.makeDue();
  assert.equal((await s.dispatch()).body.sent, 1);
  assert.equal(s.twilio.accepted().length, 1, "exactly one text reached Twilio");
});

smsTest("retries are bounded: after 5 attempts the text fails", async (s) => {
  await s.book([phone(4)]);
  s.twilio.inject(...Array.from({ length: 5 }, () => ({ status: 503 })));
  for (let i = 0; i < 6; i++) {
    await s.makeDue();
    await s.dispatch();
  }
  const [text] = await s.texts();
  assert.equal(text.status, "failed");
  assert.match(String(text.last_error), /^gave up after 5 attempts: HTTP 503/);
  assert.equal(s.twilio.requests.length, 5);
});

smsTest("a permanent 4xx fails the text with Twilio's reason, no retry", async (s) => {
  await s.book([phone(5)]);
  s.twilio.inject({ status: 400, code: 21408 });
  assert.equal((await s.dispatch()).body.failed, 1);
  await s.makeDue();
  await s.dispatch();
  const [text] = await s.texts();
  assert.equal(text.status, "failed");
  assert.match(String(text.last_error), /^HTTP 400 21408/);
  assert.equal(s.twilio.requests.length, 1);
});

smsTest("Twilio 21211 (not a valid number) fails the text; later texts to that number are not tried", async (s) => {
  await s.book([phone(5)]);
  s.twilio.inject({ status: 400, code: 21211 });
  assert.equal((await s.dispatch()).body.undeliverable, 1);
  const [row] = await s.sql`select source from public.sms_opt_outs where organization_id = ${s.org.id} and phone = ${
    phone(5)
  }`;
  assert.equal(row?.source, "undeliverable");
  await s
    .sql`update public.appointments set start_time = start_time + interval '1 day', end_time = end_time + interval '1 day'
              where organization_id = ${s.org.id}`;
  await s
    .sql`update public.notifications set send_after = now() where organization_id = ${s.org.id} and status = 'pending'`;
  assert.equal((await s.dispatch()).body.claimed, 0, "neither the move's notice nor the new reminder is sent");
  const texts = (await s.texts()).filter((t) => t.status !== "cancelled") // the old time's reminder
    .map((t) => [t.kind, t.status, String(t.last_error).replace(/:.*/, "")]).sort();
  assert.deepEqual(texts, [
    ["confirmation", "failed", "HTTP 400 21211"],
    ["confirmation", "skipped", "undeliverable"],
    ["reminder", "skipped", "undeliverable"],
  ]);
  assert.equal(s.twilio.requests.length, 1, "Twilio was asked once");
});

smsTest("Twilio 21610 (unsubscribed) records an opt-out; later texts to that number are skipped", async (s) => {
  await s.book([phone(6)]);
  s.twilio.inject({ status: 400, code: 21610 });
  assert.equal((await s.dispatch()).body.opted_out, 1);
  const [optOut] = await s.sql`select source from public.sms_opt_outs where organization_id = ${s.org.id} and phone = ${
    phone(6)
  }`;
  assert.equal(optOut?.source, "provider");
  await s
    .sql`update public.appointments set start_time = start_time + interval '1 day', end_time = end_time + interval '1 day'
              where organization_id = ${s.org.id}`;
  assert.equal((await s.dispatch()).body.claimed, 0);
  // The move's notice: a confirmation of the new time (the first one never arrived), skipped as the number opted out.
  const notices = (await s.texts()).filter((t) => t.kind === "confirmation").map((t) => t.status).sort();
  assert.deepEqual(notices, ["failed", "skipped"]);
  assert.equal(s.twilio.requests.length, 1);
});

// Lost answers: a short Twilio timeout so each costs ~1 s.
const withShortTimeout = (s: SmsStack) => ({ ...s.deps, sms: { ...s.sms, timeoutMs: 1000 }, log: () => {} });

smsTest(
  "an answer lost after the send (timeout): unknown, then found in Twilio's list — never sent twice",
  async (s) => {
    await s.book([phone(7)]);
    s.twilio.inject({ lost: true });
    const lost = await dispatchOnce(withShortTimeout(s), "lost");
    assert.equal(typeof lost === "object" && lost.unknown, 1);
    let [text] = await s.texts();
    assert.equal(text.status, "unknown");
    assert.match(String(text.last_error), /^outcome_unknown/);
    await s.makeDue();
    assert.equal((await s.dispatch()).body.claimed, 0, "an unknown text is not resent");
    await s.makeReconcilable();
    assert.equal((await s.dispatch()).body.sent, 1, "the reconciliation finds it");
    [text] = await s.texts();
    assert.equal(text.status, "sent");
    assert.equal(text.attempts, 1);
    assert.equal(text.provider_message_id, s.twilio.accepted()[0].mockBody?.sid, "the SID of the one real send");
    assert.deepEqual(s.twilio.lookups, [{ to: phone(7), mockStatus: 200 }], "one list request, valid per the spec");
    assert.equal(s.twilio.requests.length, 1, "Twilio got it once; it is not repeated");
  },
);

smsTest(
  "a request that never reached Twilio (timeout): unknown, absent from the list, sent exactly once more",
  async (s) => {
    await s.book([phone(10)]);
    s.twilio.inject({ dropped: true });
    await dispatchOnce(withShortTimeout(s), "dropped");
    await s.makeReconcilable();
    assert.equal((await s.dispatch()).body.retry, 1, "not in Twilio's list: back to pending");
    await s.makeDue();
    assert.equal((await s.dispatch()).body.sent, 1);
    const [text] = await s.texts();
    assert.equal(text.status, "sent");
    assert.equal(text.attempts, 2);
    assert.equal(s.twilio.requests.length, 2);
    assert.equal(s.twilio.accepted().length, 1, "exactly one text reached Twilio");
  },
);

smsTest("Twilio's list unreachable: the text stays unknown, then fails after 3 reconciliations", async (s) => {
  await s.book([phone(11)]);
  s.twilio.inject({ dropped: true }, { status: 500 }, { status: 500 }, { status: 500 });
  await dispatchOnce(withShortTimeout(s), "dropped");
  for (const expected of ["unknown", "unknown", "failed"]) {
    await s.makeReconcilable();
    await s.dispatch();
    assert.equal((await s.texts())[0].status, expected);
  }
  assert.equal(s.twilio.lookups.length, 3);
  assert.equal(s.twilio.requests.length, 1);
});

smsTest("a crash between send and record: the lease expires, reconciliation finds the text — sent once", async (s) => {
  await s.book([phone(8)]);
  // The crashed dispatcher: sends, then dies before record_notification_result reaches the database.
  const crashed = await dispatchOnce({
    ...s.deps,
    rpc: {
      call: (fn, args, signal) =>
        fn === "record_notification_result"
          ? Promise.reject(new Error("process killed"))
          : s.rpc.call(fn, args, signal),
    },
    log: () => {},
  }, "crash-test");
  assert.equal(typeof crashed === "object" && crashed.sent, 1);
  let [text] = await s.texts();
  assert.equal(text.status, "sending");
  assert.equal((await s.dispatch()).body.claimed, 0, "a live lease is not claimed");
  await s.sql`update public.notifications set lease_expires_at = now() - interval '1 second'
              where organization_id = ${s.org.id} and status = 'sending'`;
  assert.equal((await s.dispatch()).body.claimed, 0, "an expired lease is not resent");
  [text] = await s.texts();
  assert.equal(text.status, "unknown");
  await s.makeReconcilable();
  assert.equal((await s.dispatch()).body.sent, 1);
  [text] = await s.texts();
  assert.equal(text.status, "sent");
  assert.equal(text.provider_message_id, s.twilio.accepted()[0].mockBody?.sid);
  assert.equal(s.twilio.requests.length, 1);
});

smsTest("nothing listening at Twilio's address: not sent, retried later", async (s) => {
  await s.book([phone(9)]);
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 }); // a port nobody listens on once closed
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  const result = await dispatchOnce({
    ...s.deps,
    sms: { ...s.sms, apiBaseUrl: `http://127.0.0.1:${port}` },
    log: () => {},
  }, "down");
  assert.equal(typeof result === "object" && result.retry, 1);
  const [text] = await s.texts();
  assert.equal(text.status, "pending");
  assert.match(String(text.last_error), /^not sent/);
});

suite.close();
