/**
 * scripts/bench, the SQL side: pgbench calling the tool RPCs directly (PostgreSQL's own limit and the per-outcome
 * latencies), and pg_stat_statements / pg_stat_database for what one tool call costs PostgreSQL.
 */
import postgres from "postgres";
import { type Stats, summarize } from "./bench-stats.ts";

// Every script picks a random tenant (1..:tenants), a fresh slot / call id from bench.slot_seq and one of the tenant's
// five services (bench-load.sql).
const PICK = `\\set t random(1, :tenants)\n`;
const FRESH = `from (select nextval('bench.slot_seq') as k) as s`;
const BOOK_ARGS =
  `jsonb_build_object('start_time', bench.slot(s.k), 'customer_name', 'Bench Caller', 'service', bench.service(s.k))`;

/** bench-load.sql books bench.taken_slot() for every staff member of tenants 1..TAKEN_TENANTS. */
export const TAKEN_TENANTS = 1000;

/** The tenants a scenario draws from: all of them, or those whose slot is taken. */
export const tenantRange = (scenario: SqlScenario, tenants: number) =>
  scenario === "refused_taken" ? Math.min(tenants, TAKEN_TENANTS) : tenants;

export const SQL_SCENARIOS = {
  /** Booked, tenant found by assistant id. */
  booked: `${PICK}select public.resolve_org_and_book(p_assistant_id => 'asst_bench_' || :t,
    p_vapi_call_id => 'pgb-' || s.k, p_tool_call_id => 'tc', p_arguments => ${BOOK_ARGS}) ${FRESH};`,
  /** Booked, tenant found by its line only (the assistant id is unknown). */
  booked_by_line: `${PICK}select public.resolve_org_and_book(p_assistant_id => 'asst_unknown',
    p_phone_number => '+1555' || lpad(:t::text, 7, '0'), p_vapi_call_id => 'pgb-' || s.k, p_tool_call_id => 'tc',
    p_arguments => ${BOOK_ARGS}) ${FRESH};`,
  /** Booked, tenant found by an earlier event of the call only. */
  booked_by_call: `${PICK}select public.resolve_org_and_book(p_assistant_id => 'asst_unknown',
    p_vapi_call_id => 'bench-call-' || :t, p_tool_call_id => 'tc-' || s.k, p_arguments => ${BOOK_ARGS}) ${FRESH};`,
  /** Refused: every staff member is taken then (tenants 1..TAKEN_TENANTS). */
  refused_taken: `\\set t random(1, least(:tenants, ${TAKEN_TENANTS}))
select public.resolve_org_and_book(p_assistant_id => 'asst_bench_' || :t, p_vapi_call_id => 'pgb-' || s.k,
    p_tool_call_id => 'tc', p_arguments => jsonb_build_object('start_time', bench.taken_slot(),
    'customer_name', 'Bench Caller', 'service', bench.service(s.k))) ${FRESH};`,
  /** Refused: outside business hours (a Saturday). */
  refused_closed: `${PICK}select public.resolve_org_and_book(p_assistant_id => 'asst_bench_' || :t,
    p_vapi_call_id => 'pgb-' || s.k, p_tool_call_id => 'tc', p_arguments => jsonb_build_object(
    'start_time', bench.closed_slot(), 'customer_name', 'Bench Caller', 'service', bench.service(s.k))) ${FRESH};`,
  /** check_availability for one weekday. */
  availability: `${PICK}select public.resolve_org_and_check_availability(p_assistant_id => 'asst_bench_' || :t,
    p_vapi_call_id => 'pgb-' || s.k, p_tool_call_id => 'tc',
    p_arguments => jsonb_build_object('date', left(bench.slot(s.k * 20), 10), 'service', bench.service(s.k))) ${FRESH};`,
} as const;
export type SqlScenario = keyof typeof SQL_SCENARIOS;

/** The reason each scenario must answer with: a bench that times the wrong outcome measures nothing. */
const EXPECTED_REASON: Record<SqlScenario, string> = {
  booked: "booked",
  booked_by_line: "booked",
  booked_by_call: "booked",
  refused_taken: "slot_taken",
  refused_closed: "outside_hours",
  availability: "available",
};

/** The scenario's statement without pgbench's `\set` line, the tenant number written as `tenant` (`1`, `$1`). */
export function scenarioQuery(scenario: SqlScenario, tenant: string): string {
  return SQL_SCENARIOS[scenario].replace(/^\\set .*\n/, "").replaceAll(/(?<!:):t\b/g, () => tenant);
}

/** Runs each scenario once (tenant 1) and throws unless it answers with its expected reason. */
export async function checkScenarios(dbUrl: string): Promise<void> {
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
  try {
    for (const scenario of Object.keys(SQL_SCENARIOS) as SqlScenario[]) {
      const [row] = await sql.unsafe(scenarioQuery(scenario, "1"));
      const answer = Object.values(row)[0] as { reason?: string };
      if (answer?.reason !== EXPECTED_REASON[scenario]) {
        throw new Error(`bench scenario ${scenario} answered ${JSON.stringify(answer)}`);
      }
    }
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** What the HTTP side books with (bench-load.sql): bench.first_day() as YYYY-MM-DD and bench.services(). */
export async function bookingCalendar(dbUrl: string): Promise<{ firstDay: string; services: string[] }> {
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<{ day: string; services: string[] }[]>`
      select bench.first_day()::text as day, bench.services() as services`;
    return { firstDay: row.day, services: row.services };
  } finally {
    await sql.end({ timeout: 1 });
  }
}

export interface PgbenchResult extends Stats {
  scenario: string;
  clients: number;
  perSecond: number;
}

/** Runs one pgbench scenario for `seconds` with `clients` connections; latencies from its per-transaction log. */
export async function pgbench(
  dbUrl: string,
  scenario: SqlScenario,
  opts: { tenants: number; seconds: number; clients: number; workDir: string },
): Promise<PgbenchResult> {
  const url = new URL(dbUrl);
  const dir = await Deno.makeTempDir({ dir: opts.workDir, prefix: `pgbench-${scenario}-` });
  const script = `${dir}/script.sql`;
  await Deno.writeTextFile(script, SQL_SCENARIOS[scenario].replaceAll(/\n\s+/g, " ") + "\n");
  const args = [
    "-h",
    url.hostname,
    "-p",
    url.port,
    "-U",
    "postgres",
    "-n",
    "-M",
    "prepared",
    "-f",
    script,
    "-D",
    `tenants=${opts.tenants}`,
    "-c",
    String(opts.clients),
    "-j",
    String(Math.min(opts.clients, 2)),
    "-T",
    String(opts.seconds),
    "--log",
    `--log-prefix=${dir}/log`,
    url.pathname.slice(1),
  ];
  const out = await new Deno.Command("pgbench", { args, stdout: "piped", stderr: "piped" }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`pgbench ${scenario} failed:\n${text}`);
  const latencies: number[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.name.startsWith("log")) continue;
    for (const line of (await Deno.readTextFile(`${dir}/${entry.name}`)).split("\n")) {
      const fields = line.split(" ");
      if (fields.length >= 3) latencies.push(Number(fields[2]) / 1000);
    }
  }
  await Deno.remove(dir, { recursive: true });
  const tps = Number(text.match(/tps = ([0-9.]+) \(without initial connection time\)/)?.[1] ?? NaN);
  return { scenario, clients: opts.clients, perSecond: tps, ...summarize(latencies) };
}

export interface CallCost {
  toolCalls: number;
  transactionsPerCall: number;
  topLevelStatementsPerCall: number;
  nestedStatementsPerCall: number;
  /** How often those statements were planned per tool call (after the warm-up: each connection plans each once). */
  nestedPlansPerCall: number;
  organizationsReadsPerCall: number;
  /** Sequential scans of our tables (public, private) per tool call, and index scans; which tables were scanned. */
  tableScansPerCall: number;
  indexScansPerCall: number;
  scannedTables: string[];
  topNested: { calls: number; query: string }[];
}

type Scans = Map<string, { seq: number; idx: number }>;

/** Sequential and index scans so far of each table of our schemas (pg_stat_user_tables). */
async function scanCounts(sql: postgres.Sql): Promise<Scans> {
  const rows = await sql<{ name: string; seq: number; idx: number }[]>`
    select schemaname || '.' || relname as name, seq_scan::int as seq, coalesce(idx_scan, 0)::int as idx
      from pg_stat_user_tables where schemaname in ('public', 'private')`;
  return new Map(rows.map((r) => [r.name, r]));
}

/**
 * How long PostgreSQL 15 may hold a backend's counts: one that flushed less than a second before going idle sends the
 * rest 10 s later (PGSTAT_IDLE_INTERVAL). Waiting this long before the first reading keeps earlier loads' late counts
 * out of the window, and after the work lets all of its own arrive (helper-64 #1: a settle test of 1.5 s let the peer
 * runs' counts in and could cut the gateway's own off).
 */
const STATS_FLUSH_WAIT_MS = 11_000;
const statsFlushed = () => new Promise((resolve) => setTimeout(resolve, STATS_FLUSH_WAIT_MS));

/** The scans since `before`, once every backend that worked has flushed its counts. */
async function scansSince(sql: postgres.Sql, before: Scans) {
  await statsFlushed();
  const now = await scanCounts(sql);
  return [...now].map(([name, r]) => ({
    name,
    seq: r.seq - (before.get(name)?.seq ?? 0),
    idx: r.idx - (before.get(name)?.idx ?? 0),
  }));
}

/**
 * What `toolCalls` tool calls (run by `work`) cost PostgreSQL, from pg_stat_statements (track = all, track_planning):
 * transactions (top-level COMMIT/ROLLBACK), top-level statements, nested statements and how often they were planned,
 * statements that read organizations; and from pg_stat_user_tables, how the tables were read (sequential scans vs
 * index scans).
 */
export async function measureCallCost(dbUrl: string, toolCalls: number, work: () => Promise<void>): Promise<CallCost> {
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
  const track = async (level: "all" | "top") => {
    await sql.unsafe(`alter system set pg_stat_statements.track = '${level}'`);
    await sql.unsafe(`alter system set pg_stat_statements.track_planning = ${level === "all" ? "on" : "off"}`);
    await sql`select pg_reload_conf()`;
    await new Promise((resolve) => setTimeout(resolve, 200)); // every backend reloads between statements
  };
  try {
    await track("all");
    await statsFlushed();
    await sql`select pg_stat_statements_reset()`;
    const scansBefore = await scanCounts(sql);
    await work();
    const scans = await scansSince(sql, scansBefore);
    const rows = await sql<{ query: string; calls: number; plans: number; toplevel: boolean }[]>`
      select s.query, s.calls::int, s.plans::int, s.toplevel
        from pg_stat_statements as s join pg_database as d on d.oid = s.dbid
       where d.datname = current_database() and s.query !~* 'pg_stat_(statements|user_tables)'`; // not this meter's own reads
    const sum = (f: (r: (typeof rows)[number]) => boolean, count: "calls" | "plans" = "calls") =>
      rows.filter(f).reduce((n, r) => n + r[count], 0) / toolCalls;
    return {
      toolCalls,
      transactionsPerCall: sum((r) => r.toplevel && /^\s*(commit|rollback)\b/i.test(r.query)),
      topLevelStatementsPerCall: sum((r) => r.toplevel),
      nestedStatementsPerCall: sum((r) => !r.toplevel),
      nestedPlansPerCall: sum((r) => !r.toplevel, "plans"),
      organizationsReadsPerCall: sum((r) => !r.toplevel && /\borganizations\b/.test(r.query)),
      tableScansPerCall: scans.reduce((n, r) => n + r.seq, 0) / toolCalls,
      indexScansPerCall: scans.reduce((n, r) => n + r.idx, 0) / toolCalls,
      scannedTables: scans.filter((r) => r.seq > 0).map((r) => r.name),
      topNested: rows.filter((r) => !r.toplevel).sort((a, b) => b.calls - a.calls).slice(0, 12)
        .map((r) => ({ calls: r.calls / toolCalls, query: r.query.replaceAll(/\s+/g, " ").slice(0, 160) })),
    };
  } finally {
    await track("top");
    await sql.end({ timeout: 1 });
  }
}
