// The call lifecycle events (call_events.ts): what record_call_event receives from each message shape.
import assert from "node:assert/strict";
import {
  buildCallEvent,
  callEventMessageSchema,
  normaliseTimestamp,
} from "../../supabase/functions/_shared/call_events.ts";
import { loadPayload } from "./_helpers.ts";

Deno.test("fixtures: end-of-call-report builds a compact event without the caller's number", async () => {
  const { message } = await loadPayload("end-of-call-report.json");
  const event = buildCallEvent(callEventMessageSchema.parse(message));
  assert.equal(event.type, "end-of-call-report");
  assert.equal(event.timestamp, new Date(1767711139410).toISOString());
  assert.equal(event.endedReason, "customer-ended-call");
  assert.equal(event.startedAt, "2026-01-06T14:48:53.512Z");
  assert.equal(event.endedAt, "2026-01-06T14:52:10.031Z");
  assert.equal(event.durationSeconds, 196.519);
  assert.equal(event.cost, 0.2312);
  assert.match(event.summary ?? "", /^Dana Ortiz called/);
  assert.match(event.transcript ?? "", /^AI: Thanks for calling/);
  assert.match(event.recordingUrl ?? "", /mono\.wav$/);
  assert.equal("status" in event, false, "absent fields are left out");
  assert.doesNotMatch(JSON.stringify(event), /\+15557654321/);
});

Deno.test("call event: falls back to analysis.summary / artifact.* and normalises an ISO timestamp", () => {
  const event = buildCallEvent(callEventMessageSchema.parse({
    type: "end-of-call-report",
    timestamp: "2026-01-06T14:52:19+00:00",
    analysis: { summary: "from analysis" },
    artifact: { transcript: "from artifact", recordingUrl: "https://x/y.wav" },
    durationMs: 1500,
  }));
  assert.deepEqual(event, {
    type: "end-of-call-report",
    timestamp: "2026-01-06T14:52:19.000Z",
    durationSeconds: 1.5,
    summary: "from analysis",
    transcript: "from artifact",
    recordingUrl: "https://x/y.wav",
  });
});

Deno.test("call event: without `cost`, the SDK's `costs[]` add up to the call's cost; `cost` wins when given", () => {
  const costs = [{ type: "vapi", cost: 0.5 }, { type: "model", cost: 0.25 }, { type: "voice" }];
  const event = (extra: Record<string, unknown>) =>
    buildCallEvent(callEventMessageSchema.parse({ type: "end-of-call-report", ...extra }));
  assert.equal(event({ costs }).cost, 0.75);
  assert.equal(event({ call: { costs } }).cost, 0.75);
  assert.equal(event({ costs, cost: 0.8 }).cost, 0.8);
  assert.equal("cost" in event({ costs: [] }), false);
  assert.equal("cost" in event({ costs: "nonsense" }), false);
  assert.equal(event({ costs: [{ cost: 0.1 }, { cost: 0.2 }] }).cost, 0.3, "no floating-point noise (helper-57)");
});

Deno.test("call event: only an http(s) recording URL, a plausible cost and a short ended reason are kept (helper-88)", () => {
  const event = (extra: Record<string, unknown>) =>
    buildCallEvent(callEventMessageSchema.parse({ type: "end-of-call-report", ...extra }));
  assert.equal("recordingUrl" in event({ recordingUrl: "javascript:alert(1)" }), false);
  assert.equal("recordingUrl" in event({ artifact: { recordingUrl: "data:text/html,x" } }), false);
  assert.equal(event({ recordingUrl: "HTTPS://r.example/a.wav" }).recordingUrl, "HTTPS://r.example/a.wav");
  assert.equal("cost" in event({ cost: 1e308 }), false);
  assert.equal("cost" in event({ cost: -1 }), false);
  assert.equal(event({ cost: 0 }).cost, 0);
  assert.equal(event({ endedReason: "x".repeat(20_000) }).endedReason?.length, 200);
  assert.equal(event({ endedReason: "customer-ended-call" }).endedReason, "customer-ended-call");
});

Deno.test("call event: structured data nested deeper than 64 is left out (it could not be sent on)", () => {
  let deep: unknown = 1;
  for (let i = 0; i < 10_000; i++) deep = { a: deep };
  const event = (structuredData: unknown) =>
    buildCallEvent(callEventMessageSchema.parse({ type: "end-of-call-report", analysis: { structuredData } }));
  assert.equal("structuredData" in event({ deep }), false);
  assert.deepEqual(event({ booked: true }).structuredData, { booked: true });
});

Deno.test("normaliseTimestamp: ms number, ISO string, digits string, garbage", () => {
  assert.equal(normaliseTimestamp(0), "1970-01-01T00:00:00.000Z");
  assert.equal(normaliseTimestamp(1767710933600), "2026-01-06T14:48:53.600Z");
  assert.equal(normaliseTimestamp("1767710933600"), "2026-01-06T14:48:53.600Z");
  assert.equal(normaliseTimestamp("2026-01-06T14:48:53.6Z"), "2026-01-06T14:48:53.600Z");
  assert.equal(normaliseTimestamp("not a date"), undefined);
  assert.equal(normaliseTimestamp(null), undefined);
});
