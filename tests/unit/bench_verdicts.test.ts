// scripts/bench's throughput verdicts count answers, not attempts (helper-42): a product whose requests all failed
// scored 3257 "bookings"/s against a working peer's 390 and was marked "met". Failed requests are neither answers
// nor latencies, and a line whose loads failed or did not book is shown but not judged.
import assert from "node:assert/strict";
import { closedModel, type LoadResult, openModel, TENANT_KEYS } from "../../scripts/lib/bench-http.ts";
import { latencySvg } from "../../scripts/lib/bench-report.ts";
import { combine, summarize } from "../../scripts/lib/bench-stats.ts";
import { type BenchResults, tableRows } from "../../scripts/lib/bench-rows.ts";

const failing = () => Promise.reject(new Error("HTTP 503"));
const booking = () => new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 20));

Deno.test("closed and open models: a failed request is counted as an error, not as an answer or a latency", async () => {
  const closed = await closedModel(failing, 4, 0.3);
  assert.ok(closed.errors > 0);
  assert.equal(closed.count, 0);
  assert.equal(closed.perSecond, 0);
  const open = await openModel(failing, 20, 0.5);
  assert.equal(open.errors, 10);
  assert.equal(open.count, 0);
  const fine = await closedModel(booking, 2, 0.3);
  assert.equal(fine.errors, 0);
  assert.ok(fine.count > 0 && fine.perSecond > 0);
  assert.equal(fine.booked, fine.count);
});

const stats = { count: 100, p50: 2, p95: 3, p99: 4, max: 5 };
const load = (perSecond: number, more: Partial<LoadResult> = {}): LoadResult => ({
  ...stats,
  perSecond,
  booked: 100,
  errors: 0,
  ...more,
});

function results(product: LoadResult, peer: LoadResult): BenchResults {
  const pgbench = (scenario: string) => ({ ...stats, scenario, clients: 4, perSecond: 500 });
  return {
    at: "2026-12-04T00:00:00Z",
    tenants: 100,
    smallTenants: 10,
    callers: 8,
    appointments: 1000,
    seconds: 1,
    rate: 100,
    onboardingMs: 1000,
    limit: { ...stats, perSecond: 500 },
    outcomes: Object.fromEntries(
      ["booked", "booked_by_line", "booked_by_call", "refused_taken", "refused_closed", "availability"].map((
        s,
      ) => [s, pgbench(s)]),
    ),
    bigBooked: stats,
    smallBooked: stats,
    closed: product,
    open: load(100),
    curve: [],
    smallWebhook: load(50),
    bigWebhook: load(50),
    versus: Object.fromEntries(TENANT_KEYS.map((by) => [by, { product, peer }])) as BenchResults["versus"],
    acrossNetwork: Object.fromEntries(TENANT_KEYS.map((by) => [by, {
      product: { ...load(10), roundTrips: 1 },
      peer: { ...load(5), roundTrips: 2 },
    }])) as BenchResults["acrossNetwork"],
    networkMs: 5,
    cost: {
      toolCalls: 100,
      transactionsPerCall: 1,
      topLevelStatementsPerCall: 4,
      nestedStatementsPerCall: 29,
      nestedPlansPerCall: 0,
      organizationsReadsPerCall: 1,
      tableScansPerCall: 0,
      indexScansPerCall: 10,
      scannedTables: [],
      topNested: [],
    },
    roundTripsPerCall: 1,
    instructionsPerCall: {},
  };
}

const verdicts = (m: BenchResults) =>
  Object.fromEntries(
    tableRows(m).filter(([line]) => line === "product (closed)" || line.startsWith("product vs peer"))
      .map(([line, , value, , met]) => [line, { value, met }]),
  );

Deno.test("a throughput line is judged only when its loads answered and booked", () => {
  const answered = verdicts(results(load(400), load(200)));
  assert.equal(answered["product (closed)"].met, true);
  assert.equal(answered["product vs peer (assistant)"].met, true);

  const productFailed = verdicts(results(load(3257, { errors: 3264 }), load(390)));
  for (const [line, { value, met }] of Object.entries(productFailed)) {
    assert.equal(met, undefined, line);
    assert.match(value, /3264 requests failed: not judged/, line);
  }
  const peerFailed = verdicts(results(load(400), load(100, { errors: 1 })));
  assert.equal(peerFailed["product vs peer (line)"].met, undefined);
  assert.equal(peerFailed["product (closed)"].met, true, "the closed line does not depend on the peer");
  const refused = verdicts(results(load(400, { booked: 10 }), load(100)));
  assert.match(refused["product (closed)"].value, /under 95 % booked: not judged/);
});

Deno.test("the lines without a throughput target say when their loads had failures; product scale is not judged", () => {
  const m = { ...results(load(400), load(200)), tenants: 100_000 };
  const row = (name: string) => tableRows(m).find(([line]) => line === name)!;
  assert.equal(row("product scale")[4], true);
  assert.doesNotMatch(row("product (open)")[2], /failed/);
  m.smallWebhook = load(50, { errors: 7 });
  m.open = load(100, { errors: 3 });
  m.acrossNetwork.line.peer = { ...load(5, { errors: 2 }), roundTrips: 3 };
  assert.equal(row("product scale")[4], undefined);
  assert.match(row("product scale")[2], /7 requests failed: not judged/);
  assert.match(row("product (open)")[2], /\(3 requests failed\)$/);
  assert.match(row("… 5 ms round trips (line)")[2], /\(2 requests failed\)$/);
  assert.doesNotMatch(row("… 5 ms round trips (call)")[2], /failed/);
});

Deno.test("the latency chart leaves out loads nobody answered and says how many requests failed", () => {
  const svg = latencySvg([
    { rate: 25, achieved: 25, p50: 4, p95: 6, errors: 0 },
    { rate: 50, achieved: 0, p50: NaN, p95: NaN, errors: 100 },
    { rate: 100, achieved: 90, p50: 8, p95: 30, errors: 5 },
  ]);
  assert.doesNotMatch(svg, /NaN|Infinity/);
  assert.match(svg, />100 failed</);
  assert.match(svg, />5 failed</);
  assert.equal(svg.match(/<circle /g)?.length, 4, "two answered loads, p50 and p95 each");
  const none = latencySvg([{ rate: 25, achieved: 0, p50: NaN, p95: NaN, errors: 50 }]);
  assert.doesNotMatch(none, /NaN|Infinity/);
  assert.match(none, /no request was answered/);
});

Deno.test("the lines whose targets are set at 100 000 tenants are shown but not judged in a smaller run", () => {
  const scaled = ["onboarding", "SQL booked", "SQL check_availability", "SQL scale", "product scale"];
  for (const tenants of [2_000, 100_000]) {
    const m = { ...results(load(400), load(200)), tenants };
    const rows = tableRows(m);
    for (const name of scaled) {
      const [, , value, , met] = rows.find(([line]) => line === name)!;
      assert.equal(met === undefined, tenants < 100_000, `${name} at ${tenants}`);
      assert.equal(value.endsWith("(judged at 100 000 tenants)"), tenants < 100_000, `${name} at ${tenants}`);
    }
    assert.equal(rows.find(([line]) => line === "SQL refused: taken")![4], true, "a ratio of two outcomes: any size");
    assert.equal(rows.find(([line]) => line === "product (closed)")![4], true);
  }
});

Deno.test("percentiles are nearest-rank, and rounds are pooled, not their percentiles' median", () => {
  const hundred = summarize(Array.from({ length: 100 }, (_, i) => 100 - i)); // 1 … 100, unsorted
  assert.deepEqual([hundred.p50, hundred.p95, hundred.p99, hundred.max], [50, 95, 99, 100]);
  assert.deepEqual(summarize([3, 1]).p50, 1, "the lower middle of an even count");
  assert.ok(Number.isNaN(summarize([]).p50));
  const run = (latencies: number[]) => ({ ...summarize(latencies), perSecond: latencies.length });
  // Four rounds: three quick ones and a slow one. Pooled, p95 sees the slow round; a median of rounds would not.
  const quick = Array.from({ length: 25 }, () => 1);
  const both = combine([run(quick), run(quick), run(quick), run(Array.from({ length: 25 }, () => 10))]);
  assert.deepEqual([both.count, both.p50, both.p95, both.max, both.perSecond], [100, 1, 10, 10, 25]);
  assert.equal(JSON.stringify(both).includes("samples"), false, "the samples stay out of bench.json");
});
