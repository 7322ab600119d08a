/**
 * scripts/bench: latency and contention of book_appointment through a running webhook (scripts/dev by default).
 * Not part of scripts/test: numbers depend on the machine. It books on far-future weekdays of the HVAC demo tenant
 * under a unique call-id prefix, and prints the SQL that removes what it booked.
 */
import { parseArgs } from "node:util";

const { values: opts } = parseArgs({
  args: Deno.args,
  options: {
    url: { type: "string", default: "http://127.0.0.1:54321/functions/v1/vapi-webhook" },
    secret: { type: "string", default: Deno.env.get("VAPI_WEBHOOK_SECRET") || "dev-vapi-secret-change-me" },
    assistant: { type: "string", default: "asst_hvac_company_assistant" },
    bookings: { type: "string", default: "200" },
    concurrency: { type: "string", default: "8" },
    contenders: { type: "string", default: "20" },
  },
});
const total = Number(opts.bookings);
const concurrency = Number(opts.concurrency);
const contenders = Number(opts.contenders);
const run = `bench-${Date.now().toString(36)}`;

/** Distinct 30-minute slots inside HVAC hours (Mon–Fri 08:00–18:00 New York), years ahead of any real booking. */
function* slots(): Generator<string> {
  const day = new Date(Date.UTC(2031 + Math.floor(Math.random() * 50), 0, 1));
  while (true) {
    day.setUTCDate(day.getUTCDate() + 1);
    if (day.getUTCDay() === 0 || day.getUTCDay() === 6) continue;
    for (let minutes = 8 * 60; minutes < 18 * 60; minutes += 30) {
      const hh = String(Math.floor(minutes / 60)).padStart(2, "0");
      yield `${day.toISOString().slice(0, 10)}T${hh}:${String(minutes % 60).padStart(2, "0")}:00`;
    }
  }
}

async function book(callId: string, toolCallId: string, startTime: string): Promise<{ ms: number; text: string }> {
  const body = {
    message: {
      type: "tool-calls",
      call: { id: callId, assistantId: opts.assistant },
      toolCallList: [{
        id: toolCallId,
        type: "function",
        function: {
          name: "book_appointment",
          arguments: { start_time: startTime, customer_name: "Bench Caller", duration_minutes: 30 },
        },
      }],
    },
  };
  const started = performance.now();
  const res = await fetch(opts.url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-vapi-secret": opts.secret },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${text}`);
  return { ms: performance.now() - started, text };
}

function percentile(sorted: number[], p: number): string {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))].toFixed(1);
}

// 1. Latency: distinct slots, `concurrency` callers at a time.
const slotList = slots();
const jobs = Array.from({ length: total }, (_, i) => ({ i, slot: slotList.next().value as string }));
const latencies: number[] = [];
let failures = 0;
const started = performance.now();
await Promise.all(Array.from({ length: concurrency }, async () => {
  for (let job = jobs.shift(); job; job = jobs.shift()) {
    const { ms, text } = await book(`${run}-${job.i}`, "tool-1", job.slot);
    latencies.push(ms);
    if (!text.includes('\\"status\\": \\"booked\\"')) failures++;
  }
}));
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
console.log(
  `bookings: ${total} at concurrency ${concurrency} in ${seconds.toFixed(2)} s ` +
    `(${(total / seconds).toFixed(0)}/s), not booked: ${failures}`,
);
console.log(
  `latency ms: p50 ${percentile(latencies, 50)}  p95 ${percentile(latencies, 95)}  ` +
    `p99 ${percentile(latencies, 99)}  max ${latencies.at(-1)!.toFixed(1)}`,
);

// 2. Contention: `contenders` different callers want the same slot at the same moment; exactly one may win.
const contested = slotList.next().value as string;
const replies = await Promise.all(
  Array.from({ length: contenders }, (_, i) => book(`${run}-contender-${i}`, "tool-1", contested)),
);
const winners = replies.filter((r) => r.text.includes('\\"status\\": \\"booked\\"')).length;
const refused = replies.filter((r) => r.text.includes("already taken")).length;
console.log(`contention: ${contenders} callers for ${contested} → ${winners} booked, ${refused} told it is taken`);
console.log(
  `clean up: delete from appointments where vapi_call_id like '${run}-%'; ` +
    `delete from tool_call_executions where vapi_call_id like '${run}-%'; delete from call_logs where vapi_call_id like '${run}-%';`,
);
if (failures > 0 || winners !== 1 || refused !== contenders - 1) Deno.exit(1);
