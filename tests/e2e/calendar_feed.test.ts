// Issue 15 end to end: GET /functions/v1/calendar-feed/<token>.ics through the real gateway and PostgreSQL, read
// back with ical.js. Appointments come from SQL and from the real phone-assistant tools (book → reschedule → cancel).
import assert from "node:assert/strict";
import { loggablePath } from "../../local-stack/gateway.ts";
import { aroundNextDstChange, callTool, createFeed, type FeedStack, fetchFeed, startFeedStack } from "./_feed_stack.ts";
import { captureLogLines } from "./_stack.ts";
import { wallClock } from "../unit/_calendar_feed.ts";

let stack: Promise<FeedStack> | undefined;
const get = () => stack ??= startFeedStack();
function test(name: string, fn: (s: FeedStack) => Promise<void>) {
  Deno.test({ name, sanitizeOps: false, sanitizeResources: false, fn: async () => fn(await get()) });
}

const encoder = new TextEncoder();

async function insertAppointment(s: FeedStack, orgId: string, fields: Record<string, unknown>): Promise<string> {
  const row = { organization_id: orgId, customer_name: "Walk In", ...fields };
  const [{ id }] = await s.sql`insert into public.appointments ${s.sql(row)} returning id`;
  return id;
}

test("an organization's feed: text/calendar that ical.js reads back, escaping and folding intact", async (s) => {
  const notes = `Gate code 12;34, dog \\ friendly\nBack door. Ask for José 🐕 — ${"très très long ".repeat(12)}`;
  const id = await insertAppointment(s, s.a.id, {
    start_time: new Date(Date.now() + 2 * 86_400_000),
    end_time: new Date(Date.now() + 2 * 86_400_000 + 5_400_000),
    customer_name: "O'Brien, Pat; Jr.",
    customer_phone: "+15557654321",
    service: "Leak, urgent",
    notes,
  });
  const token = await createFeed(s.sql, s.a.id);
  const { res, body, calendar, byUid } = await fetchFeed(s.feedUrl(token));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/calendar; charset=utf-8");
  for (const line of body.split("\r\n")) assert.ok(encoder.encode(line).length <= 75, `too long: ${line}`);
  assert.ok(body.split("\r\n").some((l) => l.startsWith(" ")), "the long description was folded");
  assert.equal(calendar!.getFirstPropertyValue("x-wr-calname"), 'Feed E2E, "Heating"; Cooling');
  assert.equal(calendar!.getFirstPropertyValue("x-wr-timezone"), "America/New_York");
  const [event] = byUid(id);
  assert.equal(event.summary, "Leak, urgent – O'Brien, Pat; Jr.");
  assert.ok(event.description.includes(`Notes: ${notes}`));
  assert.ok(event.description.includes("Phone: +15557654321"));
  assert.equal(event.endDate.toJSDate().getTime() - event.startDate.toJSDate().getTime(), 5_400_000);
});

test("09:00 in New York two days before and after the next DST change reads 09:00 in the client", async (s) => {
  const [before, after] = aroundNextDstChange("America/New_York");
  const ids = [];
  for (const day of [before, after]) {
    const [{ at }] = await s.sql`select (${day}::date + time '09:00') at time zone 'America/New_York' as at`;
    ids.push(await insertAppointment(s, s.a.id, { start_time: at, end_time: new Date(at.getTime() + 3_600_000) }));
  }
  const { byUid } = await fetchFeed(s.feedUrl(await createFeed(s.sql, s.a.id)));
  const starts = ids.map((id) => byUid(id)[0].startDate.toJSDate());
  assert.deepEqual(starts.map((d) => wallClock(d, "America/New_York")), ["09:00", "09:00"]);
  assert.notEqual(starts[0].getUTCHours(), starts[1].getUTCHours(), "the UTC hour moves with the offset");
});

test("the phone assistant books, reschedules, cancels: ONE event that moves, SEQUENCE 0 → 1 → 2", async (s) => {
  const token = await createFeed(s.sql, s.c.id);
  const day = new Date(Date.now() + 4 * 86_400_000).toISOString().slice(0, 10);
  const callId = `e2e-feed-${crypto.randomUUID()}`;
  const booked = await callTool(s, s.c, callId, "book_appointment", {
    start_time: `${day}T10:00`,
    customer_name: "Rita Moreno",
    customer_phone: "+15557650000",
    service: "Boiler",
  });
  let feed = await fetchFeed(s.feedUrl(token));
  const [first] = feed.byUid(booked.appointment_id);
  assert.equal(first.sequence, 0);
  assert.ok(first.description.includes("Booked by phone assistant"));
  assert.ok(first.description.includes(`Call id: ${callId}`));

  const moved = await callTool(s, s.c, callId, "reschedule_appointment", {
    appointment_id: booked.appointment_id,
    new_start_time: `${day}T15:00`,
  });
  feed = await fetchFeed(s.feedUrl(token));
  const chain = feed.byUid(booked.appointment_id);
  assert.equal(chain.length, 1, "the moved appointment is still one event under its first UID");
  assert.equal(chain[0].sequence, 1);
  assert.equal(wallClock(chain[0].startDate.toJSDate(), "America/New_York"), "15:00");
  assert.equal(chain[0].component.getFirstPropertyValue("status"), "CONFIRMED");
  assert.equal(feed.byUid(moved.appointment_id).length, 0, "the new row has no UID of its own");

  await callTool(s, s.c, callId, "cancel_appointment", { appointment_id: moved.appointment_id });
  feed = await fetchFeed(s.feedUrl(token));
  const [cancelled] = feed.byUid(booked.appointment_id);
  assert.equal(cancelled.component.getFirstPropertyValue("status"), "CANCELLED");
  assert.equal(cancelled.sequence, 2);
});

test("polling: 304 for If-None-Match (If-Modified-Since alone is 200); a change gives a new ETag", async (s) => {
  const id = await insertAppointment(s, s.a.id, {
    start_time: new Date(Date.now() + 6 * 86_400_000),
    end_time: new Date(Date.now() + 6 * 86_400_000 + 3_600_000),
  });
  const url = s.feedUrl(await createFeed(s.sql, s.a.id));
  const first = await fetchFeed(url);
  const etag = first.res.headers.get("etag")!;
  const again = await fetchFeed(url, { "if-none-match": etag });
  assert.equal(again.res.status, 304);
  assert.equal(again.body, "");
  assert.equal(again.res.headers.get("etag"), etag);
  const byDate = await fetchFeed(url, { "if-modified-since": new Date(Date.now() + 3_600_000).toUTCString() });
  assert.equal(byDate.res.status, 200, "no Last-Modified: a date alone cannot tell that an event left the feed");
  await s.sql`update public.appointments set notes = 'Bring the ladder' where id = ${id}`;
  const changed = await fetchFeed(url, { "if-none-match": etag });
  assert.equal(changed.res.status, 200);
  assert.notEqual(changed.res.headers.get("etag"), etag);
  assert.ok(changed.byUid(id)[0].description.includes("Notes: Bring the ladder"));
});

test("unknown, one character off, revoked, expired or malformed tokens: the same 404, nothing revealed", async (s) => {
  const live = await createFeed(s.sql, s.a.id);
  const revoked = await createFeed(s.sql, s.a.id);
  const [{ ok }] = await s.sql`select public.revoke_calendar_feed(${revoked}) as ok`;
  assert.equal(ok, true);
  const expired = await createFeed(s.sql, s.a.id);
  await s.sql`update public.calendar_feeds set expires_at = now() - interval '1 second'
              where token_hash = sha256(convert_to(${expired}, 'UTF8'))`;
  const flipped = live.slice(0, -1) + (live.endsWith("A") ? "B" : "A");
  const urls = [flipped, revoked, expired, "A".repeat(43), live.slice(0, 42)].map((t) => s.feedUrl(t));
  urls.push(`${s.gateway.functionsUrl}/calendar-feed/not%20a%20token.ics`, `${s.gateway.functionsUrl}/calendar-feed`);
  const answers = [];
  for (const url of urls) {
    const res = await fetch(url);
    const headers = Object.fromEntries([...res.headers].filter(([name]) => name !== "date"));
    answers.push({ status: res.status, headers, body: await res.text() });
  }
  assert.equal(answers[0].status, 404);
  assert.equal(answers[0].body, "Not found\n");
  for (const [i, answer] of answers.entries()) assert.deepEqual(answer, answers[0], urls[i]);
  assert.equal((await fetchFeed(s.feedUrl(live))).res.status, 200, "the live token still works");
});

test("a staff member's feed shows only their appointments; another organization's staff is refused", async (s) => {
  const [sam, kim] = s.a.staff;
  const at = (h: number) => new Date(Date.now() + 8 * 86_400_000 + h * 3_600_000);
  const samsId = await insertAppointment(s, s.a.id, { start_time: at(0), end_time: at(1), staff_member_id: sam });
  const kimsId = await insertAppointment(s, s.a.id, { start_time: at(1), end_time: at(2), staff_member_id: kim });
  const samFeed = await fetchFeed(s.feedUrl(await createFeed(s.sql, s.a.id, sam)));
  assert.equal(samFeed.byUid(samsId).length, 1);
  assert.equal(samFeed.byUid(kimsId).length, 0);
  assert.equal(samFeed.calendar!.getFirstPropertyValue("x-wr-calname"), 'Feed E2E, "Heating"; Cooling – Sam Tech');
  const orgFeed = await fetchFeed(s.feedUrl(await createFeed(s.sql, s.a.id)));
  assert.ok(orgFeed.byUid(kimsId)[0].description.includes("Staff: Kim Tech"));
  const otherOrgsFeed = await fetchFeed(s.feedUrl(await createFeed(s.sql, s.b.id)));
  assert.equal(otherOrgsFeed.events.length, 0, "organization B's feed shows none of A's appointments");
  await assert.rejects(createFeed(s.sql, s.a.id, s.b.staff[0]), (e: { code?: string }) => e.code === "23503");
  await assert.rejects(createFeed(s.sql, s.b.id, sam), (e: { code?: string }) => e.code === "23503");
});

test("over the API only service_role may create feeds or read one through the RPC", async (s) => {
  const rpc = (fn: string, key: string, body: unknown) =>
    fetch(`${s.gateway.url}/rest/v1/rpc/${fn}`, {
      method: "POST",
      headers: { apikey: key, authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const { anonKey, serviceRoleKey } = s.gateway.keys;
  for (
    const [fn, args] of [["create_calendar_feed", { p_organization_id: s.a.id }], ["calendar_feed_events", {
      p_token: "x",
    }], ["revoke_calendar_feed", { p_token: "x" }]] as const
  ) {
    const res = await rpc(fn, anonKey, args);
    assert.equal(res.status, 401, `anon ${fn}`);
    assert.equal((await res.json()).code, "42501");
  }
  const created = await rpc("create_calendar_feed", serviceRoleKey, { p_organization_id: s.a.id });
  assert.equal(created.status, 200);
  const token = await created.json();
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  assert.equal((await fetchFeed(s.feedUrl(token))).res.status, 200);
});

test("logs: one line per feed request, never the token or a customer's phone number", async (s) => {
  await insertAppointment(s, s.a.id, {
    start_time: new Date(Date.now() + 9 * 86_400_000),
    end_time: new Date(Date.now() + 9 * 86_400_000 + 3_600_000),
    customer_phone: "+15557651234",
  });
  const token = await createFeed(s.sql, s.a.id);
  const { lines } = await captureLogLines(async () => {
    await (await fetch(s.feedUrl(token))).text();
    await (await fetch(s.feedUrl(token.slice(1) + "x"))).text();
  });
  const feedLines = lines.filter((l) => l.message_type === "calendar-feed");
  assert.deepEqual(feedLines.map((l) => l.outcome), ["ok", "not_found"]);
  assert.equal(feedLines[0].organization_id, s.a.id);
  const text = JSON.stringify(lines);
  assert.ok(!text.includes(token.slice(0, 16)) && !text.includes(token.slice(1, 17)), "no token");
  assert.ok(!text.includes("5557651234"), "no phone number");
  assert.ok(!loggablePath(new URL(s.feedUrl(token)).pathname).includes(token.slice(0, 8)), "nor in the access log");
});

Deno.test({
  name: "(close the calendar-feed stack)",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    if (stack) await (await stack).close();
    stack = undefined;
  },
});
