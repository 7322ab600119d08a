/**
 * scripts/bench, the HTTP side: Vapi tool-calls messages to the vapi-webhook function — the product's, or the
 * peer-style one (bench-peer-handler.ts: the seed's lookups, then the insert, each its own RPC) — through the local
 * stack, in a closed model (N callers back to back) and an open model (a fixed arrival rate; latency counted from the
 * scheduled send time).
 */
import { type Stats, summarize } from "./bench-stats.ts";

export interface Target {
  api: string;
  secret: string;
  tenants: number;
  /** bench.first_day(): the first bookable Monday (YYYY-MM-DD). */
  firstDay: string;
  /** bench.services(): every tenant's five services; the k-th booking asks for the (k mod 5)-th, as bench.service(k). */
  services: string[];
}

/** How a tool call names its tenant, in the order the seed looks them up. */
export const TENANT_KEYS = ["assistant", "line", "call"] as const;
export type TenantKey = typeof TENANT_KEYS[number];
export interface Op {
  /** One tool call; resolves to true when it booked. */
  (i: number): Promise<boolean>;
}

let slotCounter = 0;
// Half a cycle away from where bench.slot_seq (pgbench) starts, so HTTP bookings rarely meet those.
const SLOT_BASE = 2_000;

/** The k-th weekday slot from `firstDay`, as bench.slot() in bench-load.sql (20 a day, 200 weekdays, cycling). */
function slot(t: Target, k: number): string {
  const day = new Date(`${t.firstDay}T00:00:00Z`);
  const weekday = Math.floor(k / 20) % 200;
  day.setUTCDate(day.getUTCDate() + Math.floor(weekday / 5) * 7 + (weekday % 5));
  const minutes = 8 * 60 + (k % 20) * 30;
  const hh = String(Math.floor(minutes / 60)).padStart(2, "0");
  return `${day.toISOString().slice(0, 10)}T${hh}:${String(minutes % 60).padStart(2, "0")}`;
}

/** A book_appointment's arguments: the next slot and its service. */
function booking(t: Target) {
  const k = SLOT_BASE + slotCounter++;
  return { start_time: slot(t, k), customer_name: "Bench Caller", service: t.services[k % t.services.length] };
}

const tenant = (t: Target) => 1 + Math.floor(Math.random() * t.tenants);
const line = (n: number) => `+1555${String(n).padStart(7, "0")}`;
const run = `${Date.now().toString(36)}`;

/** A request unanswered this long counts as failed: a stalled function must not hold the bench (or a load) forever. */
const REQUEST_TIMEOUT_MS = 15_000;

async function postJson(url: string, headers: Record<string, string>, body: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${url}: HTTP ${res.status} ${text.slice(0, 200)}`);
  return text === "" ? null : JSON.parse(text);
}

// How a tool call names its tenant: the assistant id matches; or it is unknown and the line matches; or both are
// unknown and the call id (seen earlier, bench-load.sql) matches.
function keys(by: TenantKey, n: number, i: number) {
  return {
    assistantId: by === "assistant" ? `asst_bench_${n}` : "asst_unknown",
    line: by === "call" ? "+15559999999" : line(n),
    callId: by === "call" ? `bench-call-${n}` : `http-${run}-${i}-${Math.random()}`,
  };
}

/**
 * One Vapi tool-calls message booking the next slot, sent to the vapi-webhook function at `t.api` — the product's, or
 * the peer-style one (bench-peer-handler.ts) when `t.api` is the peer's gateway; the tenant named as `by` says.
 */
export function webhookBooking(t: Target, by: TenantKey = "assistant"): Op {
  return async (i) => {
    const k = keys(by, tenant(t), i);
    const body = {
      message: {
        type: "tool-calls",
        call: { id: k.callId, assistantId: k.assistantId },
        phoneNumber: { number: k.line },
        toolCallList: [{
          id: `tc-${run}-${i}-${Math.random()}`,
          type: "function",
          function: { name: "book_appointment", arguments: booking(t) },
        }],
      },
    };
    const reply = await postJson(`${t.api}/functions/v1/vapi-webhook`, { "x-vapi-secret": t.secret }, body);
    const result = (reply as { results?: { result?: string }[] })?.results?.[0]?.result;
    return typeof result === "string" && result.includes('"booked"');
  };
}

export interface LoadResult extends Stats {
  perSecond: number;
  booked: number;
  errors: number;
}

/** Closed model: `callers` back to back for `seconds`. */
export async function closedModel(op: Op, callers: number, seconds: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let booked = 0, errors = 0, i = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(Array.from({ length: callers }, async () => {
    while (performance.now() < deadline) {
      const sent = performance.now();
      try {
        if (await op(i++)) booked++;
        latencies.push(performance.now() - sent);
      } catch {
        errors++;
      }
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  return { ...summarize(latencies), perSecond: latencies.length / elapsed, booked, errors };
}

/** Open model: one request every 1/rate s whatever the answers; latency from the scheduled send time. */
export async function openModel(op: Op, rate: number, seconds: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let booked = 0, errors = 0;
  const started = performance.now();
  const total = Math.round(rate * seconds);
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const scheduled = started + (i * 1000) / rate;
    const wait = scheduled - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inflight.push((async () => {
      try {
        if (await op(i)) booked++;
        latencies.push(performance.now() - scheduled);
      } catch {
        errors++;
      }
    })());
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - started) / 1000;
  return { ...summarize(latencies), perSecond: latencies.length / elapsed, booked, errors };
}
