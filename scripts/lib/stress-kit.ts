/**
 * scripts/stress toolkit: the gateway as a child process (so a gateway crash is a figure, not the end of the run),
 * PostgreSQL stop/start, Vapi requests, latency statistics, seeded organizations and the table of figures.
 */
import postgres, { type Sql } from "postgres";
import { printMarkdownTable } from "./bench-report.ts";
import { summarize } from "./bench-stats.ts";

export const env = (name: string): string => {
  const value = Deno.env.get(name);
  if (!value) throw new Error(`${name} is not set (run scripts/stress, not this file)`);
  return value;
};

export const SECRET = `stress-${crypto.randomUUID()}`;
export const HVAC = { id: "d91e4aa4-914a-4d76-b5b7-2ee26e09b2a2", assistant: "asst_hvac_company_assistant" };
export const PLUMBING = { id: "6d593c7a-b00f-47be-8f77-cc4d1231f706", assistant: "asst_plumbing_company_assistant" };
export const SPOKEN_FAILURE = "I couldn't reach the booking system, please try again.";

const apiPort = () => Number(env("STRESS_API_PORT"));
export const webhookUrl = () => `http://127.0.0.1:${apiPort()}/functions/v1/vapi-webhook`;
export const dbUrl = () => `postgresql://postgres:postgres@127.0.0.1:${env("STRESS_PG_PORT")}/postgres?sslmode=disable`;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------------------------
// Processes
// ---------------------------------------------------------------------------------------------------------------

let gateway: Deno.ChildProcess | undefined;
export let gatewayExits = 0;

/** Starts local-stack/main.ts (the real function + RPC endpoint) and waits until its health check answers. */
export async function startGateway(): Promise<void> {
  const open = () => Deno.open(`${env("STRESS_DIR")}/gateway.log`, { create: true, append: true });
  gateway = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "local-stack/main.ts", "--port", String(apiPort()), "--db-url", dbUrl()],
    env: { VAPI_WEBHOOK_SECRET: SECRET, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  Deno.writeTextFileSync(`${env("STRESS_DIR")}/gateway.pid`, String(gateway.pid));
  const child = gateway;
  // Ready is its "ready:" line, printed after its own start-up check of the database: a scenario that stops
  // PostgreSQL before then would make that check fail and the gateway exit.
  const ready = Promise.withResolvers<void>();
  let tail = "";
  const watch = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, out) {
      tail = (tail + new TextDecoder().decode(chunk)).slice(-4096);
      if (/^ready: /m.test(tail)) ready.resolve();
      out.enqueue(chunk);
    },
  });
  // One handle per stream: a writable stream takes one pipe at a time.
  child.stdout.pipeTo((await open()).writable).catch(() => {});
  child.stderr.pipeThrough(watch).pipeTo((await open()).writable).catch(() => {});
  child.status.then(() => {
    if (gateway === child) gatewayExits++, gateway = undefined;
    ready.reject(new Error("the gateway exited before it was ready (see gateway.log)"));
  });
  // Its first start compiles every Edge Function it serves: minutes on a busy machine.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("the gateway did not become ready (see gateway.log)")), 180_000);
  });
  await Promise.race([ready.promise, late]).finally(() => clearTimeout(timer));
}

export async function ensureGateway(): Promise<void> {
  if (!gateway) await startGateway();
}

export async function stopGateway(): Promise<void> {
  const child = gateway;
  gateway = undefined;
  if (!child) return;
  const kill = (signal: Deno.Signal) => {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  };
  kill("SIGTERM");
  // A gateway stuck on open transactions does not stop by itself.
  const timer = setTimeout(() => kill("SIGKILL"), 3000);
  await child.status;
  clearTimeout(timer);
}

async function stackSh(script: string): Promise<void> {
  const out = await new Deno.Command("bash", {
    args: ["-c", `source scripts/lib/stack.sh; ${script}`],
    env: { STRESS_DIR: env("STRESS_DIR"), STRESS_PG_PORT: env("STRESS_PG_PORT") },
  }).output();
  if (!out.success) throw new Error(`${script}: ${new TextDecoder().decode(out.stderr)}`);
}

/** `pg_ctl stop -m immediate`: a crash from the clients' point of view. */
export const stopPostgres = () =>
  stackSh('as_pg "$PG_BIN/pg_ctl" -D "$STRESS_DIR/pg/data" -m immediate -w stop >/dev/null');
export const startPostgres = () => stackSh('start_cluster "$STRESS_DIR/pg" "$STRESS_PG_PORT"');

export const adminSql = (): Sql => postgres(dbUrl(), { max: 4, onnotice: () => {} });

// ---------------------------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------------------------

export interface Reply {
  status: number;
  ms: number;
  // deno-lint-ignore no-explicit-any
  body: any;
}

/** Posts a body; a network failure or a 30 s silence is status 0 ("not answered"). */
export async function post(body: unknown): Promise<Reply> {
  const started = performance.now();
  try {
    const res = await fetch(webhookUrl(), {
      method: "POST",
      headers: { "content-type": "application/json", "x-vapi-secret": SECRET },
      body: typeof body === "string" ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // kept as text
    }
    return { status: res.status, ms: performance.now() - started, body: parsed };
  } catch {
    return { status: 0, ms: performance.now() - started, body: null };
  }
}

export function toolCalls(assistant: string, callId: string, calls: { id: string; name: string; args: unknown }[]) {
  return {
    message: {
      type: "tool-calls",
      call: { id: callId, assistantId: assistant },
      toolCallList: calls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.args } })),
    },
  };
}

export const event = (assistant: string, callId: string, type: string, extra: Record<string, unknown> = {}) => ({
  message: { type, call: { id: callId, assistantId: assistant }, ...extra },
});

/** The first tool result of a reply: `{ ok, text, json }` (json: the parsed result string when it is JSON). */
export function firstResult(reply: Reply): { ok: boolean; text: string; json: Record<string, unknown> | null } {
  const r = reply.body?.results?.[0];
  if (!r) return { ok: false, text: `HTTP ${reply.status}`, json: null };
  const text = r.result ?? r.error ?? "";
  let json = null;
  try {
    json = r.result ? JSON.parse(r.result) : null;
  } catch {
    // a spoken sentence
  }
  return { ok: "result" in r, text, json };
}

// Fresh days within the booking horizon (seedOrganizations sets it to ten years): a random start, so runs against
// the same database seldom meet, and a week of notice.
let dayCursor = Date.now() + (7 + Math.floor(Math.random() * 700)) * 86_400_000;

/** The next unused weekday (YYYY-MM-DD); with `HH:MM` it is a wall clock time in the organization's zone. */
export function nextWeekday(): string {
  do dayCursor += 86_400_000; while ([0, 6].includes(new Date(dayCursor).getUTCDay()));
  return new Date(dayCursor).toISOString().slice(0, 10);
}

// Two hours apart, inside every stress organization's opening hours: no booking overlaps another slot's.
const SLOT_TIMES = ["09:00", "11:00", "13:00", "15:00"];
let slotDay = "";
let slotIndex = SLOT_TIMES.length;

/** A start time no earlier call of this run used (`YYYY-MM-DDTHH:MM`), four per fresh weekday. */
export function nextSlot(): string {
  if (slotIndex === SLOT_TIMES.length) slotDay = nextWeekday(), slotIndex = 0;
  return `${slotDay}T${SLOT_TIMES[slotIndex++]}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------------------------------------------

export function stats(ms: number[]): string {
  if (ms.length === 0) return "-";
  const { p50, p95, max } = summarize(ms);
  return `p50 ${Math.round(p50)} / p95 ${Math.round(p95)} / max ${Math.round(max)} ms`;
}

export interface Row {
  scenario: string;
  figure: string;
  bound: string;
  pass: boolean;
}

export const rows: Row[] = [];
export function record(scenario: string, figure: string, bound: string, pass: boolean) {
  rows.push({ scenario, figure, bound, pass });
  console.error(`[stress] ${pass ? "ok  " : "FAIL"} ${scenario}: ${figure}`);
}

export function printTable(): void {
  printMarkdownTable(
    ["scenario", "measured", "bound", "ok"],
    rows.map((r) => [r.scenario, r.figure, r.bound, r.pass ? "yes" : "NO"]),
  );
}

/** Runs `fn` on `items` with at most `limit` in flight. */
export async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  }));
  return out;
}
