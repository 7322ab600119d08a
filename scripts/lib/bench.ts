/**
 * scripts/bench (run by the shell script, which owns the throw-away cluster and the three gateways): measures in one
 * run the SQL limit, per-outcome SQL latencies, the scale ratio, the product over HTTP (closed and open model), the
 * product's function against a peer-style one, and what one tool call costs PostgreSQL; prints the table, writes
 * bench.json and latency.svg.
 */
import { parseArgs } from "node:util";
import { closedModel, type LoadResult, openModel, type Target, TENANT_KEYS, webhookBooking } from "./bench-http.ts";
import { latencySvg, printTable } from "./bench-report.ts";
import { type BenchResults, tableRows } from "./bench-rows.ts";
import { peerTransport } from "./bench-peer-handler.ts";
import { ANSWER_DELAY_MS, countRoundTrips } from "./bench-roundtrips.ts";
import {
  bookingCalendar,
  checkScenarios,
  measureCallCost,
  pgbench,
  type PgbenchResult,
  type SqlScenario,
} from "./bench-sql.ts";
import { combine, type Stats } from "./bench-stats.ts";

const { values: o } = parseArgs({
  args: Deno.args,
  strict: true,
  options: Object.fromEntries(
    [
      "db-url",
      "small-db-url",
      "api",
      "small-api",
      "peer-api",
      "secret",
      "tenants",
      "appointments",
      "small-tenants",
      "seconds",
      "rate",
      "out",
      "onboarding-ms",
      "pg-dir",
      "instructions",
    ].map((name) => [name, { type: "string" as const }]),
  ),
});
const need = (name: string) =>
  o[name] ?? (() => {
    throw new Error(`missing --${name}`);
  })();
const tenants = Number(need("tenants"));
const seconds = Number(need("seconds"));
const rate = Number(need("rate"));
const CALLERS = 8;
const big: Target = { api: need("api"), secret: need("secret"), tenants, ...await bookingCalendar(need("db-url")) };
// The peer-style function (bench-peer-handler.ts) on a gateway of its own, over the same database.
const peer: Target = { ...big, api: need("peer-api") };
const small: Target = {
  ...big,
  api: need("small-api"),
  tenants: Number(need("small-tenants")),
  ...await bookingCalendar(need("small-db-url")),
};
const log = (what: string) => console.error(`[bench] ${what}`);

// 1. PostgreSQL alone (pgbench): the limit, then one client at a time per outcome, then the scale ratio.
const sql = async (scenario: SqlScenario, clients = 1, url = need("db-url"), n = tenants) => {
  log(`pgbench ${scenario} (${clients} client${clients > 1 ? "s" : ""}, ${n} tenants)`);
  return await pgbench(url, scenario, { tenants: n, seconds, clients, workDir: need("pg-dir") });
};
// Ratios compare two measurements taken in alternating short rounds, so a noisy neighbour hits both alike.
const ROUNDS = 4;
const slice = Math.max(1, Math.round(seconds / ROUNDS)); // pgbench -T takes whole seconds
type Run = Stats & { perSecond: number };
async function alternate<A extends Run, B extends Run>(a: () => Promise<A>, b: () => Promise<B>) {
  const as: A[] = [], bs: B[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    as.push(await a());
    bs.push(await b());
  }
  return [combine(as), combine(bs)] as const;
}
await checkScenarios(need("db-url"));
// Warm-up first (unmeasured): right after the load the buffer cache is cold and the first scenario would pay for it.
await sql("booked", 4);
await sql("booked", 4, need("small-db-url"), small.tenants);
const outcomes: Record<string, PgbenchResult> = {};
for (const s of ["booked", "booked_by_line", "booked_by_call", "refused_taken", "refused_closed", "availability"]) {
  outcomes[s] = await sql(s as SqlScenario);
}

// 2. The product over HTTP (closed model at saturation, open model at --rate) and latency against load. Each function
// is warmed up first (unmeasured): a fresh gateway compiles the code and opens its connections on the first requests.
for (const t of [big, small, peer]) await closedModel(webhookBooking(t, "call"), 2, 1);
log(`SQL limit (pgbench, 4 clients) and the webhook, closed model (${CALLERS} callers)`);
const [limit, closed] = await alternate(
  () => pgbench(need("db-url"), "booked", { tenants, seconds: slice, clients: 4, workDir: need("pg-dir") }),
  () => closedModel(webhookBooking(big), CALLERS, slice),
);
log(`webhook, open model (${rate}/s)`);
const open = await openModel(webhookBooking(big), rate, seconds);
const curve: { rate: number; result: LoadResult }[] = [];
for (const r of [rate / 4, rate / 2, rate, rate * 2, rate * 4].map(Math.round)) {
  log(`webhook, open model at ${r}/s (latency against load)`);
  curve.push({ rate: r, result: await openModel(webhookBooking(big), r, Math.max(2, seconds / 2)) });
}
log(`booked p50 at ${tenants} and at ${small.tenants} tenants: SQL, then the webhook with one caller`);
const [bigBooked, smallBooked] = await alternate(
  () => pgbench(need("db-url"), "booked", { tenants, seconds: slice, clients: 1, workDir: need("pg-dir") }),
  () =>
    pgbench(need("small-db-url"), "booked", {
      tenants: small.tenants,
      seconds: slice,
      clients: 1,
      workDir: need("pg-dir"),
    }),
);
const [bigWebhook, smallWebhook] = await alternate(
  () => closedModel(webhookBooking(big), 1, slice),
  () => closedModel(webhookBooking(small), 1, slice),
);

// 3. The product's function against the peer-style function, per tenant key: on loopback (8 callers, alternating),
// then across a network, one caller — each function on a gateway of its own whose database answers come
// ANSWER_DELAY_MS late (the counting relay), as between machines; the round trips are counted on the wire.
const versus = {} as BenchResults["versus"];
const acrossNetwork = {} as BenchResults["acrossNetwork"];
for (const by of TENANT_KEYS) {
  log(`webhook: product vs peer-style function, tenant by ${by}`);
  const [product, peerResult] = await alternate(
    () => closedModel(webhookBooking(big, by), CALLERS, slice),
    () => closedModel(webhookBooking(peer, by), CALLERS, slice),
  );
  versus[by] = { product, peer: peerResult };
  log(`webhook: product vs peer-style function across a network (one caller), tenant by ${by}`);
  const through = async (transport?: typeof peerTransport) => {
    const { roundTrips, result } = await countRoundTrips(
      need("db-url"),
      need("secret"),
      (api) => closedModel(webhookBooking({ ...big, api }, by), 1, 1),
      (api) => closedModel(webhookBooking({ ...big, api }, by), 1, seconds),
      transport,
    );
    return { ...result, roundTrips: roundTrips / result.count };
  };
  acrossNetwork[by] = { product: await through(), peer: await through(peerTransport) };
}

// 4. What one tool call costs PostgreSQL (through the webhook, one at a time): statements and table scans of 200
// bookings, and the round trips the same bookings made on the wire (through the relay's gateway).
log("statements, table scans and round trips per tool call (pg_stat_statements, pg_stat_user_tables, a relay)");
const costCalls = 200;
const bookSerially = (api: string, calls: number) => async () => {
  const op = webhookBooking({ ...big, api });
  for (let i = 0; i < calls; i++) await op(i);
};
const { roundTrips: wireRoundTrips, result: cost } = await countRoundTrips(
  need("db-url"),
  need("secret"),
  (api) => bookSerially(api, 20)(),
  (api) => measureCallCost(need("db-url"), costCalls, bookSerially(api, costCalls)),
);
const roundTrips = wireRoundTrips / costCalls;

const onboardingMs = (o["onboarding-ms"] ?? "").split(",").map(Number).reduce((a, b) => a + b, 0);
// Instructions per call by scenario (bench-callgrind.ts); none when valgrind is not installed.
const instructions: Record<string, number> = o.instructions ? JSON.parse(await Deno.readTextFile(o.instructions)) : {};
const raw: BenchResults = {
  at: new Date().toISOString(),
  tenants,
  smallTenants: small.tenants,
  callers: CALLERS,
  appointments: Number(need("appointments")),
  seconds,
  rate,
  onboardingMs,
  limit,
  outcomes,
  bigBooked,
  smallBooked,
  closed,
  open,
  curve,
  smallWebhook,
  bigWebhook,
  versus,
  acrossNetwork,
  networkMs: ANSWER_DELAY_MS,
  cost,
  roundTripsPerCall: roundTrips,
  instructionsPerCall: instructions,
};
printTable(tableRows(raw));
const errors = [
  closed,
  open,
  ...curve.map((c) => c.result),
  bigWebhook,
  smallWebhook,
  ...Object.values(versus).flatMap((v) => [v.product, v.peer]),
  ...Object.values(acrossNetwork).flatMap((v) => [v.product, v.peer]),
].reduce((n, r) => n + r.errors, 0);
if (errors > 0) console.log(`\n${errors} HTTP requests failed during the run (see bench.json)`);
// Every HTTP booking should book (a bench of refusals would look fast); say so when a run did not.
const product = [closed, open, ...Object.values(versus).map((v) => v.product)];
const bookedShare = product.reduce((n, r) => n + r.booked, 0) / product.reduce((n, r) => n + r.count, 0);
if (bookedShare < 0.95) console.log(`\nonly ${(100 * bookedShare).toFixed(0)} % of the product's tool calls booked`);

const out = need("out");
await Deno.writeTextFile(`${out}/bench.json`, JSON.stringify(raw, null, 2) + "\n");
await Deno.writeTextFile(
  `${out}/latency.svg`,
  latencySvg(curve.map((c) => ({
    rate: c.rate,
    achieved: c.result.perSecond,
    p50: c.result.p50,
    p95: c.result.p95,
    errors: c.result.errors,
  }))),
);
console.log(`\nraw numbers: ${out}/bench.json   chart: ${out}/latency.svg`);
