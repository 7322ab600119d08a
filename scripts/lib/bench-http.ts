/**
 * scripts/bench, the HTTP side: the product (the vapi-webhook function, or its one RPC) and the peer-style path (the
 * seed's lookups, then the insert, each its own RPC) through the same local gateway, in a closed model (N callers
 * back to back) and an open model (a fixed arrival rate; latency counted from the scheduled send time).
 */
import { type Stats, summarize } from "./bench-stats.ts";

export interface Target {
  api: string;
  secret: string;
  serviceKey: string;
  tenants: number;
  /** The tenants' zones (bench-load.sql: 1 + n % 5 of these), for the peer's insert. */
  zones: string[];
  /** bench.first_day(): the first bookable Monday (YYYY-MM-DD). */
  firstDay: string;
  /** bench.services(): every tenant's five services; the k-th booking asks for the (k mod 5)-th, as bench.service(k). */
  services: string[];
}

export type TenantKey = "assistant" | "line" | "call";
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

async function postJson(url: string, headers: Record<string, string>, body: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${url}: HTTP ${res.status} ${text.slice(0, 200)}`);
  return text === "" ? null : JSON.parse(text);
}

/** The product end to end: one Vapi tool-calls message to the webhook function (tenant by assistant id). */
export function webhookBooking(t: Target): Op {
  return async (i) => {
    const n = tenant(t);
    const body = {
      message: {
        type: "tool-calls",
        call: { id: `http-${run}-${i}-${Math.random()}`, assistantId: `asst_bench_${n}` },
        toolCallList: [{
          id: "tc",
          type: "function",
          function: {
            name: "book_appointment",
            arguments: booking(t),
          },
        }],
      },
    };
    const reply = await postJson(`${t.api}/functions/v1/vapi-webhook`, { "x-vapi-secret": t.secret }, body);
    const result = (reply as { results?: { result?: string }[] })?.results?.[0]?.result;
    return typeof result === "string" && result.includes('"booked"');
  };
}

const rpc = (t: Target, fn: string, args: Record<string, unknown>) =>
  postJson(`${t.api}/rest/v1/rpc/${fn}`, { apikey: t.serviceKey, authorization: `Bearer ${t.serviceKey}` }, args);

// How each tenant key is presented: the assistant id matches; or it is unknown and the line matches; or both are
// unknown and the call id (seen earlier, bench-load.sql) matches.
function keys(by: TenantKey, n: number, i: number) {
  return {
    assistant: by === "assistant" ? `asst_bench_${n}` : "asst_unknown",
    line: by === "call" ? "+15559999999" : line(n),
    callId: by === "call" ? `bench-call-${n}` : `rpc-${run}-${i}-${Math.random()}`,
  };
}

/** The product's one RPC per tool call (what the function sends), straight to the gateway. */
export function productRpc(t: Target, by: TenantKey): Op {
  return async (i) => {
    const k = keys(by, tenant(t), i);
    const answer = await rpc(t, "resolve_org_and_book", {
      p_assistant_id: k.assistant,
      p_phone_number: k.line,
      p_vapi_call_id: k.callId,
      p_tool_call_id: `tc-${run}-${i}`,
      p_arguments: booking(t),
    });
    return JSON.stringify(answer).includes('"booked"');
  };
}

/** The peer design: assistant lookup, then line, then call id — each its own RPC — then the insert RPC. */
export function peerRpcs(t: Target, by: TenantKey): Op {
  return async (i) => {
    const n = tenant(t);
    const k = keys(by, n, i);
    let org = await rpc(t, "bench_peer_org_by_assistant", { p_assistant_id: k.assistant });
    if (org === null) org = await rpc(t, "bench_peer_org_by_line", { p_phone_number: k.line });
    if (org === null) org = await rpc(t, "bench_peer_org_by_call", { p_vapi_call_id: k.callId });
    if (org === null) return false;
    const [day, time] = slot(t, SLOT_BASE + slotCounter++).split("T");
    const zone = t.zones[n % t.zones.length];
    const [h, m] = time.split(":").map(Number);
    const end = `${String(h + (m + 30 >= 60 ? 1 : 0)).padStart(2, "0")}:${String((m + 30) % 60).padStart(2, "0")}`;
    await rpc(t, "bench_peer_insert_appointment", {
      p_organization_id: org,
      p_start_time: `${day} ${time} ${zone}`,
      p_end_time: `${day} ${end} ${zone}`,
      p_customer_name: "Bench Caller",
      p_vapi_call_id: k.callId,
      p_tool_call_id: `tc-${run}-${i}`,
    });
    return true;
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
      } catch {
        errors++;
      }
      latencies.push(performance.now() - sent);
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
      } catch {
        errors++;
      }
      latencies.push(performance.now() - scheduled);
    })());
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - started) / 1000;
  return { ...summarize(latencies), perSecond: latencies.length / elapsed, booked, errors };
}
