// The function's log lines (log.ts): one JSON line per event, phone numbers masked wherever they stand.
import assert from "node:assert/strict";
import { maskPhone, maskPhonesInText, requestIdFrom, startRequestLog } from "../../supabase/functions/_shared/log.ts";
import { createDispatchHandler } from "../../supabase/functions/notifications-dispatch/handler.ts";
import { createInboundHandler } from "../../supabase/functions/sms-inbound/handler.ts";
import { loadSmsConfig } from "../../supabase/functions/_shared/twilio_config.ts";

Deno.test("log: phone masking shows the first and last two digits and hides at least five", () => {
  assert.equal(maskPhone("+15550100001"), "+15•••01");
  assert.equal(maskPhone("+44 20 7946 0958"), "+44•••58");
  assert.equal(maskPhone("(555) 010-0002"), "55•••02", "a national number gets no invented country code");
  assert.equal(maskPhone("12345"), "•••");
  // Short numbers (E.164 allows 8 digits) are not given away: 8 digits → nothing shown, 9 → five hidden.
  assert.equal(maskPhone("+50012345"), "•••");
  assert.equal(maskPhone("+376312345"), "+37•••45");
  assert.equal(maskPhone(null), null);
  assert.equal(maskPhonesInText("caller +15557654321 said"), "caller +15•••21 said");
  assert.equal(maskPhonesInText("at 2026-01-08T15:30:00+05:00"), "at 2026-01-08T15:30:00+05:00");
});

Deno.test("log: a number written without + is masked too; ids, dates, times, decimals and addresses stay", () => {
  for (
    const [text, masked] of [
      ['"call_id":"caller 555-765-4321"', '"call_id":"caller 55•••21"'],
      ['"tools":["lookup (555) 765-4321"]', '"tools":["lookup 55•••21"]'],
      ['"assistant_id":"15557654321"', '"assistant_id":"15•••21"'],
      ["call 555.765.4321 now", "call 55•••21 now"],
      ["+1 555 765 4321 and 5557654321", "+15•••21 and 55•••21"],
      ["tel:5557654321 sip:15557654321@x", "tel:55•••21 sip:15•••21@x"],
      ["call_5557654321 abc-555-765-4321", "call_55•••21 abc-55•••21"],
      ["caller 5557654321: not found", "caller 55•••21: not found"],
      ["1-555-765-4321", "15•••21"],
      // with a trunk or international prefix, in groups (helper-31)
      ['"call_id":"0044 20 7946 0958"', '"call_id":"00•••58"'],
      ["caller 020 7946 0958 said", "caller 02•••58 said"],
      ["06 12 34 56 78", "06•••78"],
      ["(030) 1234 5678", "03•••78"],
      ["030-1234567", "03•••67"],
      ["07911 123456", "07•••56"],
      ["0044 7911 123456", "00•••56"],
      ["030 12345678", "03•••78"],
      ["0171 1234567", "01•••67"],
      ["06-12345678", "06•••78"],
      // other separators and other scripts' digits (helper-37)
      ["tool +1_555_765_4321", "tool +15•••21"],
      ["+1\u00a0555\u00a0765\u00a04321", "+15•••21"],
      ["+1\u2013555\u2013765\u20134321", "+15•••21"],
      ["call 555/765/4321", "call 55•••21"],
      ["call 555_765_4321", "call 55•••21"],
      ["\uff0b\uff11\uff15\uff15\uff15\uff17\uff16\uff15\uff14\uff13\uff12\uff11", "+15•••21"],
      ["\u0665\u0665\u0665\u0667\u0666\u0665\u0664\u0663\u0662\u0661", "55•••21"],
      ["020\u00a07946\u00a00958", "02•••58"],
      // runs of separators and invisible ones (helper-53)
      ["call 555 - 765 - 4321", "call 55•••21"],
      ["555\u200b765\u200b4321", "55•••21"],
      ["555\u2060765\u00ad4321", "55•••21"],
      ["555\uff0d765\uff0d4321", "55•••21"],
      ["555\t\t765\t\t4321", "55•••21"],
      // glued to a letter that is no hex digit
      ["call5557654321 failed", "call55•••21 failed"],
      ["caller15557654321x", "caller15•••21x"],
      ["tel555-765-4321", "tel55•••21"],
      ["tel020 7946 0958 busy", "tel02•••58 busy"],
      ["tel0044 20 7946 0958", "tel00•••58"],
    ]
  ) assert.equal(maskPhonesInText(text), masked, text);
  for (
    const kept of [
      '"call_id":"12345678-1234-4123-8123-123456789012"', // an all-digit UUID
      '"organization_id":"8ab4e5fa-4a4c-4b6a-979d-9d554637206b"', // nine digits inside a UUID's last group
      '"organization_id":"d91e4aa4-914a-4d76-b5b7-2ee26e09b2a2"',
      "at 2026-12-18 10:00:00-05", // a date and time
      "2026-12-18T10:00:00-05:00",
      '"duration_ms":12345678', // 8 digits: too short for a number worth hiding
      "after 3 tries",
      "error sending request for url (http://192.168.100.200:8000/rest/v1/rpc)", // an IP address
      "upstream 192.168.100.200 refused",
      "ratio 0.123456789", // a decimal
      "ids 123 456 789 012",
      "on 05-03-2026", // a date: 8 digits
      "offset 00-05 and 0.5",
      "0123 4567 8901 2345 6789", // 20 digits: not a phone number
      "on 2026/12/04 at 10:30", // a date with slashes
      "12/04/2026",
      "invalid start_time 04/16/2029 07:20", // a US date and time (helper-39)
      "on 01/02/2027 09:30:00",
      "sha 9d554637206bae", // a run of hex
      "id a123456789b", // glued to hex letters: could be any hex id
      "took 1234567890ms", // a count of a unit
      "1073741824KB and 123456789ns",
      "at 20261204214500Z",
    ]
  ) assert.equal(maskPhonesInText(kept), kept, kept);
});

Deno.test("log: a number after or split by a newline, a tab or any Unicode space in a value is masked in the written line (helper-41, 45)", () => {
  const lines: string[] = [];
  const log = startRequestLog("req-1", (line) => lines.push(line), () => 0);
  log.set({
    call_id: "note\n5557654321",
    tools: [
      "x\n555-765-4321",
      "a\t555 765 4321",
      "thin\u2009555\u2009765\u20094321",
      "ideographic\u3000555\u3000765\u30004321",
      "555\u205f765\u205f4321",
      "555\u16807654321",
      "555\n765\n4321",
      "555\r765\r4321",
    ],
    error: "said:\r\n+1 555 765 4321",
  });
  log.flush();
  assert.equal(lines.length, 1);
  assert.doesNotMatch(lines[0], /4321/, lines[0]);
  const line = JSON.parse(lines[0]);
  assert.equal(line.call_id, "note\n55•••21");
  assert.deepEqual(line.tools, [
    "x\n55•••21",
    "a\t55•••21",
    "thin\u200955•••21",
    "ideographic\u300055•••21",
    "55•••21",
    "55•••21",
    "55•••21",
    "55•••21",
  ]);
  assert.equal(line.error, "said:\r\n+15•••21");
});

Deno.test("log: a value is masked before it is cut, so a number at the cut shows no more than any other (helper-53)", () => {
  const lines: string[] = [];
  const log = startRequestLog("req-1", (line) => lines.push(line), () => 0);
  log.set({ call_id: `${"v".repeat(116)}_555-765-4321`, tools: [`${"t".repeat(120)} 555.765.4321`] });
  log.flush();
  assert.doesNotMatch(lines[0], /765/, lines[0]);
});

Deno.test("log: every texts-function line masks like the webhook's, request id included (helper-53)", async () => {
  const lines: string[] = [];
  const inbound = createInboundHandler(
    {
      publicUrl: "https://x.supabase.co/functions/v1/sms-inbound",
      sms: loadSmsConfig((n) => ({ TWILIO_ACCOUNT_SID: "AC1", TWILIO_AUTH_TOKEN: "t" } as Record<string, string>)[n]),
      rpc: () => Promise.reject(new Error("no database here")),
      log: (line: string) => lines.push(line),
    } as unknown as Parameters<typeof createInboundHandler>[0],
  );
  await inbound(new Request("http://x/sms-inbound", { method: "POST", headers: { "x-request-id": "555-765-4321" } }));
  const dispatch = createDispatchHandler(
    { dispatchSecret: "d", log: (line: string) => lines.push(line) } as unknown as Parameters<
      typeof createDispatchHandler
    >[0],
  );
  await dispatch(new Request("http://x/d", { method: "POST", headers: { "x-request-id": "555.765.4321" } }));
  assert.equal(lines.length, 2, lines.join("\n"));
  for (const line of lines) assert.doesNotMatch(line, /765/, line);
  // Every refusal is a line too: a wrong method, an oversized form.
  await inbound(new Request("http://x/sms-inbound", { method: "GET" }));
  await inbound(new Request("http://x/sms-inbound", { method: "POST", body: "a=" + "x".repeat(200_000) }));
  await dispatch(new Request("http://x/d", { method: "GET" }));
  assert.deepEqual(lines.slice(2).map((line) => JSON.parse(line).outcome), [
    "method_not_allowed",
    "payload_too_large",
    "method_not_allowed",
  ]);
});

Deno.test("log: request id from the gateway header, else a fresh UUID", () => {
  assert.equal(requestIdFrom(new Headers({ "sb-request-id": "abc-123" })), "abc-123");
  assert.equal(requestIdFrom(new Headers({ "x-request-id": "xyz" })), "xyz");
  assert.match(requestIdFrom(new Headers({ "x-request-id": 'bad id {"x":1}' })), /^[0-9a-f-]{36}$/);
  assert.match(requestIdFrom(new Headers()), /^[0-9a-f-]{36}$/);
});

Deno.test("log: a number URL-encoded in a query (To=%2B…, a fetch error naming its URL) is masked (helper-72)", () => {
  const error = "error sending request for https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json" +
    "?To=%2B15557654321&PageSize=50 (54.0.0.1:443): client error";
  const masked = maskPhonesInText(error);
  assert.doesNotMatch(masked, /5557654321|7654321/);
  assert.match(masked, /To=\+15•••21&PageSize=50/);
  assert.doesNotMatch(maskPhonesInText("To=%2b1%20%28555%29%20765-4321"), /765.?4321/, "lower case, encoded groups");
  assert.equal(maskPhonesInText("100%25 done, %2Fpath"), "100%25 done, %2Fpath", "other escapes stay");
});
