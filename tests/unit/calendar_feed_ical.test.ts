// The iCalendar writer of the calendar-feed function, read back by a real RFC 5545 parser (ical.js): escaping,
// folding at 75 octets (multibyte-safe), UTC times across a DST change, cancellations and reschedule chains.
import assert from "node:assert/strict";
import fc from "fast-check";
import { buildCalendar, UID_DOMAIN } from "../../supabase/functions/calendar-feed/calendar.ts";
import { escapeText, foldLine, formatUtc } from "../../supabase/functions/calendar-feed/ical.ts";
import { feedEvent as event, feedOf as feed, parseCalendar as parse, wallClock } from "./_calendar_feed.ts";

const encoder = new TextEncoder();

Deno.test("escapeText: backslash, semicolon, comma and every line break; control characters dropped", () => {
  assert.equal(escapeText("a\\b;c,d"), "a\\\\b\\;c\\,d");
  assert.equal(escapeText("one\r\ntwo\nthree\rfour"), "one\\ntwo\\nthree\\nfour");
  assert.equal(escapeText("a\u0085b\u2028c\u2029ATTENDEE:x"), "a\\nb\\nc\\nATTENDEE:x");
  assert.equal(escapeText("bell\x07 tab\t"), "bell tab\t");
});

Deno.test("formatUtc: an instant as DATE-TIME in UTC form", () => {
  assert.equal(formatUtc(new Date("2027-03-14T07:05:09.999Z")), "20270314T070509Z");
});

Deno.test("foldLine: ≤ 75 octets per line, splits only between characters, unfolds to the original", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary", maxLength: 400 }), (value) => {
      const line = `DESCRIPTION:${value.replace(/[\r\n]/g, "")}`;
      const folded = foldLine(line);
      const physical = folded.split("\r\n");
      for (const [i, part] of physical.entries()) {
        assert.ok(encoder.encode(part).length <= 75, `line ${i} has ${encoder.encode(part).length} octets`);
        if (i > 0) assert.equal(part[0], " ");
        assert.ok(!/[\uD800-\uDBFF]$/.test(part), "a surrogate pair was cut");
      }
      assert.equal(physical.map((p, i) => i === 0 ? p : p.slice(1)).join(""), line);
    }),
    { numRuns: 300 },
  );
});

Deno.test("foldLine: a long multibyte line folds at character boundaries exactly at the limit", () => {
  const line = `SUMMARY:${"é".repeat(100)}`; // 8 + 200 octets
  const parts = foldLine(line).split("\r\n");
  assert.equal(encoder.encode(parts[0]).length, 75 - 1); // 8 + 33 × 2 = 74; one more é would be 76
  for (const part of parts) assert.ok(encoder.encode(part).length <= 75);
  assert.equal(foldLine("SHORT:x"), "SHORT:x");
});

Deno.test("round trip: names and notes with commas, semicolons, backslashes, newlines and emoji survive", () => {
  const notes = "Gate code 12;34, dog \\ friendly\nBack door\r\nAsk for José 🐕 ".repeat(4);
  const ics = buildCalendar(feed([event({ customer_name: "O'Brien, Pat; Jr.", service: "Leak, urgent", notes })]));
  for (const line of ics.split("\r\n")) assert.ok(encoder.encode(line).length <= 75, line);
  assert.ok(ics.endsWith("END:VCALENDAR\r\n"));
  const { calendar, events } = parse(ics);
  assert.equal(calendar.getFirstPropertyValue("x-wr-calname"), "HVAC, Heating; & Cooling");
  assert.equal(calendar.getFirstPropertyValue("name"), "HVAC, Heating; & Cooling");
  assert.equal(calendar.getFirstPropertyValue("x-wr-timezone"), "America/New_York");
  assert.equal(events.length, 1);
  const [e] = events;
  assert.equal(e.summary, "Leak, urgent – O'Brien, Pat; Jr.");
  assert.equal(e.uid, `0b1472a5-b794-49ce-9957-aa1380fdf4ac@${UID_DOMAIN}`);
  const description = e.description.split("\n");
  assert.equal(description[0], "Customer: O'Brien, Pat; Jr.");
  assert.ok(description.includes("Phone: +15551234567"));
  assert.ok(description.includes("Booked by phone assistant"));
  assert.ok(description.includes("Call id: call_abc"));
  assert.ok(e.description.includes(`Notes: ${notes.replaceAll("\r\n", "\n")}`));
});

Deno.test("round trip: 09:00 in New York on both sides of the March DST change is 09:00 in the client", () => {
  const before = event({
    uid_id: crypto.randomUUID(),
    start_time: "2027-03-12T14:00:00Z",
    end_time: "2027-03-12T15:00:00Z",
  });
  const after = event({
    uid_id: crypto.randomUUID(),
    start_time: "2027-03-15T13:00:00Z",
    end_time: "2027-03-15T14:00:00Z",
  });
  const { events } = parse(buildCalendar(feed([before, after])));
  assert.deepEqual(events.map((e) => e.startDate.zone?.tzid), ["UTC", "UTC"]);
  assert.deepEqual(events.map((e) => e.startDate.toJSDate().toISOString()), [
    "2027-03-12T14:00:00.000Z",
    "2027-03-15T13:00:00.000Z",
  ]);
  assert.deepEqual(events.map((e) => wallClock(e.startDate.toJSDate(), "America/New_York")), ["09:00", "09:00"]);
  assert.deepEqual(events.map((e) => e.endDate.toJSDate().getTime() - e.startDate.toJSDate().getTime()), [
    3_600_000,
    3_600_000,
  ]);
});

Deno.test("round trip: a cancelled event and a rescheduled chain (one UID, SEQUENCE from the database)", () => {
  const { events } = parse(buildCalendar(feed([
    event({ uid_id: "11111111-1111-4111-8111-111111111111", status: "cancelled", sequence: 1 }),
    event({
      uid_id: "22222222-2222-4222-8222-222222222222",
      appointment_id: "33333333-3333-4333-8333-333333333333",
      sequence: 2,
      vapi_call_id: null,
    }),
  ])));
  const cancelled = events[0].component;
  assert.equal(cancelled.getFirstPropertyValue("status"), "CANCELLED");
  assert.equal(cancelled.getFirstPropertyValue("sequence"), 1);
  assert.match(events[0].summary, /^Cancelled: /);
  assert.equal(events[1].uid, `22222222-2222-4222-8222-222222222222@${UID_DOMAIN}`);
  assert.equal(events[1].sequence, 2);
  assert.equal(events[1].component.getFirstPropertyValue("status"), "CONFIRMED");
  assert.ok(events[1].description.includes("Appointment id: 33333333-3333-4333-8333-333333333333"));
  assert.ok(!events[1].description.includes("Booked by"), "no call id: nothing claimed about who booked it");
  assert.ok(!events[1].description.includes("Call id"));
});

Deno.test("a staff feed is named after the staff member; an organization feed lists each event's staff", () => {
  const staffFeed = parse(buildCalendar(feed([event({ staff_name: "Sam" })], "Sam")));
  assert.equal(staffFeed.calendar.getFirstPropertyValue("x-wr-calname"), "HVAC, Heating; & Cooling – Sam");
  assert.ok(!staffFeed.events[0].description.includes("Staff:"));
  const orgFeed = parse(buildCalendar(feed([event({ staff_name: "Sam" })])));
  assert.ok(orgFeed.events[0].description.includes("Staff: Sam"));
});

Deno.test("the same data gives a byte-identical body (stable ETag); an empty feed is a valid calendar", () => {
  const data = feed([event()]);
  assert.equal(buildCalendar(data), buildCalendar(structuredClone(data)));
  const { calendar, events } = parse(buildCalendar(feed([])));
  assert.equal(events.length, 0);
  assert.equal(calendar.getFirstPropertyValue("version"), "2.0");
  // RFC 5545 §3.6: icalbody = calprops component, at least one component (helper-44): the UTC zone the times use.
  assert.deepEqual(calendar.getAllSubcomponents().map((c: { name: string }) => c.name), ["vtimezone"]);
  assert.equal(calendar.getFirstSubcomponent("vtimezone")?.getFirstPropertyValue("tzid"), "UTC");
});
