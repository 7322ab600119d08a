// The calendar-feed handler with a fake RPC: path and method rules, one 404 for every token failure, conditional
// GET (ETag / Last-Modified → 304), 503 when the database cannot answer, and log lines without token or phone.
import assert from "node:assert/strict";
import { createFeedHandler, FEED_RPC } from "../../supabase/functions/calendar-feed/handler.ts";
import { feedEvent, feedOf } from "./_calendar_feed.ts";
import { throughServer } from "./_helpers.ts";

const TOKEN = "xv4Y7246lZyzpF-U4Xur3fDjwqIUSL7gFVhCSgAPm1g";
const FEED = feedOf([feedEvent({ customer_name: "Ann Smith", service: "Repair" })], null, "HVAC Company");

function setup(answer: () => { data: unknown; error: unknown } = () => ({ data: FEED, error: null })) {
  const calls: Record<string, unknown>[] = [];
  const lines: string[] = [];
  const handler = createFeedHandler({
    rpc: {
      call: (fn, args) => {
        assert.equal(fn, FEED_RPC);
        calls.push(args);
        return Promise.resolve(answer());
      },
    },
    log: (line) => lines.push(line),
    now: () => 0,
    rpcTimeoutMs: 500,
  });
  const get = (path: string, headers: HeadersInit = {}, method = "GET") =>
    handler(new Request(`http://localhost${path}`, { method, headers }));
  return { get, calls, lines };
}

async function snapshot(res: Response) {
  return { status: res.status, headers: [...res.headers], body: await res.text() };
}

Deno.test("200: text/calendar from ONE RPC with the token, validators set", async () => {
  const { get, calls } = setup();
  const res = await get(`/calendar-feed/${TOKEN}.ics`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/calendar; charset=utf-8");
  assert.match(res.headers.get("etag") ?? "", /^"[A-Za-z0-9_-]{24}"$/);
  assert.equal(res.headers.get("last-modified"), null, "no Last-Modified: it cannot see an event that left the feed");
  assert.match(res.headers.get("cache-control") ?? "", /private/);
  assert.match(await res.text(), /^BEGIN:VCALENDAR\r\n[\s\S]*SUMMARY:Repair – Ann Smith\r\n/);
  assert.deepEqual(calls, [{ p_token: TOKEN }]);
  const plain = await get(`/calendar-feed/${TOKEN}`);
  assert.equal(plain.status, 200, "the .ics suffix is optional");
  await plain.body?.cancel();
});

Deno.test("200 for any uuid PostgreSQL accepts (not only RFC 9562 v4 ids: a migration may pick its own)", async () => {
  const id = "11111111-0000-0000-0000-000000000001";
  const feed = { ...feedOf([feedEvent({ uid_id: id, appointment_id: "00000000-0000-0000-0000-000000000002" })]) };
  const { get } = setup(() => ({ data: { ...feed, organization_id: id }, error: null }));
  const res = await get(`/calendar-feed/${TOKEN}.ics`);
  assert.equal(res.status, 200);
  assert.match(await res.text(), /BEGIN:VEVENT/);
});

Deno.test("404: unknown, revoked or expired (RPC null) looks exactly like a path that cannot hold a token", async () => {
  const { get, calls } = setup(() => ({ data: null, error: null }));
  const unknown = await snapshot(await get(`/calendar-feed/${TOKEN}.ics`));
  assert.equal(calls.length, 1);
  assert.deepEqual(unknown, { status: 404, headers: unknown.headers, body: "Not found\n" });
  for (
    const path of [
      "/calendar-feed",
      "/calendar-feed/",
      "/calendar-feed/short.ics",
      `/calendar-feed/${TOKEN}/x.ics`,
      `/calendar-feed/${TOKEN}.ics.bak`,
      `/calendar-feed/${TOKEN.slice(0, 20)}%2F${TOKEN.slice(20)}.ics`,
      "/other",
    ]
  ) {
    assert.deepEqual(await snapshot(await get(path)), unknown, path);
  }
  assert.equal(calls.length, 1, "a path that cannot hold a token never reaches the database");
});

Deno.test("405 for anything but GET and HEAD; HEAD has GET's headers and no body", async () => {
  const { get, calls } = setup();
  const post = await get(`/calendar-feed/${TOKEN}.ics`, {}, "POST");
  assert.equal(post.status, 405);
  assert.equal(post.headers.get("allow"), "GET, HEAD");
  await post.body?.cancel();
  assert.equal(calls.length, 0);
  const served = (req: Request) => get(new URL(req.url).pathname, {}, req.method);
  const head = await throughServer(served, "HEAD", `/calendar-feed/${TOKEN}.ics`);
  const full = await throughServer(served, "GET", `/calendar-feed/${TOKEN}.ics`);
  assert.equal(head.status, 200);
  assert.equal(head.body, "");
  assert.equal(head.headers.get("etag"), full.headers.get("etag"));
  assert.equal(head.headers.get("content-length"), String(new TextEncoder().encode(full.body).length));
});

Deno.test("304 on a matching If-None-Match (strong, weak, in a list, *); a stale one is 200 whatever else is sent", async () => {
  const { get } = setup();
  const first = await get(`/calendar-feed/${TOKEN}.ics`);
  const etag = first.headers.get("etag")!;
  await first.body?.cancel();
  for (const inm of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
    const res = await get(`/calendar-feed/${TOKEN}.ics`, { "if-none-match": inm });
    assert.equal(res.status, 304, inm);
    assert.equal(res.headers.get("etag"), etag);
    assert.equal(await res.text(), "");
  }
  const changed = await get(`/calendar-feed/${TOKEN}.ics`, {
    "if-none-match": '"stale"',
    "if-modified-since": "Mon, 30 Nov 2026 00:00:00 GMT",
  });
  assert.equal(changed.status, 200, "a stale ETag wins over a recent If-Modified-Since");
  await changed.body?.cancel();
});

Deno.test("If-Modified-Since alone never answers 304 (only the ETag knows whether an event left the feed)", async () => {
  const { get } = setup();
  for (const since of ["Sun, 29 Nov 2026 10:05:00 GMT", "Fri, 01 Jan 2100 00:00:00 GMT", "yesterday"]) {
    const res = await get(`/calendar-feed/${TOKEN}.ics`, { "if-modified-since": since });
    assert.equal(res.status, 200, since);
    await res.body?.cancel();
  }
});

Deno.test("503 (never a 404 or a guess) when the database fails or answers nonsense", async () => {
  for (
    const answer of [{ data: null, error: { message: "fetch failed", code: "" } }, { data: { events: 1 }, error: null }]
  ) {
    const { get, lines } = setup(() => answer);
    const res = await get(`/calendar-feed/${TOKEN}.ics`);
    assert.equal(res.status, 503);
    assert.equal(res.headers.get("retry-after"), "60");
    await res.body?.cancel();
    assert.equal(JSON.parse(lines[0]).outcome, "rpc_error");
  }
});

Deno.test("log: one JSON line per request with organization and outcome, never the token or a phone number", async () => {
  const { get, lines } = setup();
  (await get(`/calendar-feed/${TOKEN}.ics`)).body?.cancel();
  const missing = setup(() => ({ data: null, error: null }));
  (await missing.get(`/calendar-feed/${TOKEN}.ics`)).body?.cancel();
  const all = [...lines, ...missing.lines];
  assert.equal(all.length, 2);
  const [ok, notFound] = all.map((l) => JSON.parse(l));
  assert.equal(ok.message_type, "calendar-feed");
  assert.equal(ok.organization_id, FEED.organization_id);
  assert.equal(ok.outcome, "ok");
  assert.equal(notFound.outcome, "not_found");
  assert.equal(notFound.organization_id, null);
  for (const line of all) {
    assert.ok(!line.includes(TOKEN.slice(0, 12)), "no token in the log");
    assert.ok(!line.includes("5551234567"), "no phone number in the log");
  }
});
