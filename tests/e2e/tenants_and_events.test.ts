// Issue 9 end to end, with SDK-typed messages (tests/fixtures/vapi_messages.ts): an event never changes another
// organization's call (every lifecycle event type); every tenant key variant alone; a 1.4 MiB end-of-call report
// recorded; a year-9999 time does not freeze a call; 10 000 tool calls in one message while another tenant is served.
import assert from "node:assert/strict";
import {
  call,
  CALLER,
  endOfCallReport,
  languageChangeDetected,
  longEndOfCallReport,
  type MessageContext,
  statusUpdate,
  tenantKeyVariants,
  toolCall,
  toolCalls,
} from "../fixtures/vapi_messages.ts";
import { captureLogLines, fileStack, futureWeekday, PLUMBING, post, type Stack } from "./_stack.ts";
import { MAX_TOOL_CALLS_PER_MESSAGE } from "../../supabase/functions/_shared/tools.ts";

const { test, close } = fileStack();
/** Any future date: A and B have no business hours, only who answers matters. */
const SOME_DAY = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

export const ORG_A = {
  id: "e9000000-0000-4000-8000-00000000000a",
  assistant: "asst_e2e_keys_a",
  line: "+15557900001",
  lineId: "pn_e2e_keys_a",
};
export const ORG_B = {
  id: "e9000000-0000-4000-8000-00000000000b",
  assistant: "asst_e2e_keys_b",
  line: "+15557900002",
  lineId: "pn_e2e_keys_b",
};

/** Two organizations of this file only (removed with everything they own at the end). */
async function setUpOrgs(s: Stack) {
  await s.sql`delete from public.organizations where id in (${ORG_A.id}, ${ORG_B.id})`;
  await s.sql`insert into public.organizations (id, name, timezone) values
    (${ORG_A.id}, 'E2E Keys A', 'America/New_York'), (${ORG_B.id}, 'E2E Keys B', 'America/Chicago')`;
  await s.sql`insert into public.customer_configurations
    (organization_id, vapi_assistant_id, vapi_phone_number, vapi_phone_number_id) values
    (${ORG_A.id}, ${ORG_A.assistant}, ${ORG_A.line}, ${ORG_A.lineId}),
    (${ORG_B.id}, ${ORG_B.assistant}, ${ORG_B.line}, ${ORG_B.lineId})`;
}

async function send(s: Stack, message: unknown) {
  const { value, lines } = await captureLogLines(() => post(s.webhookUrl, { message }));
  assert.equal(value.status, 200);
  return { body: value.body, line: lines.at(-1)! };
}

async function callLog(s: Stack, callId: string) {
  const rows = await s.sql`select * from public.call_logs where vapi_call_id = ${callId}`;
  return rows[0];
}

test("(set up two organizations)", async (s) => {
  await setUpOrgs(s);
});

test("an event resolving to B never changes A's call: every lifecycle event type, B by assistant, line id or number", async (s) => {
  const callId = s.newCallId();
  const a: MessageContext = { call: call(callId, { assistantId: ORG_A.assistant }) };
  await send(s, statusUpdate(a, "in-progress"));
  const before = await callLog(s, callId);
  assert.equal(before.organization_id, ORG_A.id);

  const bContexts: MessageContext[] = [
    { call: call(callId, { assistantId: ORG_B.assistant }) },
    { call: call(callId, { phoneNumberId: ORG_B.lineId }) },
    { call: call(callId), phoneNumber: { provider: "vapi", number: ORG_B.line } },
  ];
  for (const b of bContexts) {
    for (
      const message of [
        statusUpdate(b, "ended"),
        endOfCallReport(b, { analysis: { summary: "written by B" }, endedReason: "customer-ended-call", cost: 9 }),
        languageChangeDetected(b, "es"),
      ]
    ) {
      const { body, line } = await send(s, message);
      assert.deepEqual(body, {});
      assert.equal(line.level, "warn", message.type);
      assert.equal(line.outcome, "call_of_another_organization", message.type);
      assert.equal(line.organization_id, ORG_B.id);
    }
  }
  const after = await callLog(s, callId);
  assert.deepEqual(
    { ...after, updated_at: null },
    { ...before, updated_at: null },
    "A's call is exactly as before",
  );
  assert.equal(after.updated_at.getTime(), before.updated_at.getTime(), "not even touched");
});

for (const [variant] of Object.entries(tenantKeyVariants(ORG_A, "x"))) {
  test(`tenant key ${variant} alone: the event is recorded for A and a tool call is served for A`, async (s) => {
    const callId = s.newCallId();
    const ctx = tenantKeyVariants(ORG_A, callId)[variant];
    const event = await send(s, statusUpdate(ctx, "in-progress"));
    assert.equal(event.line.resolved_by, variant.includes("ssistant") ? "assistant_id" : "phone_number");
    assert.equal((await callLog(s, callId)).organization_id, ORG_A.id);
    // A second call, so the tool call cannot lean on the call id recorded above.
    const toolCallId = s.newCallId();
    const tool = await send(
      s,
      toolCalls(tenantKeyVariants(ORG_A, toolCallId)[variant], [
        toolCall("tc-1", "check_availability", { date: SOME_DAY }),
      ]),
    );
    assert.equal(tool.body.results.length, 1);
    assert.equal(tool.line.organization_id, ORG_A.id, JSON.stringify(tool.body));
  });
}

test("the caller's customer.number alone is no tenant key, even when it is another tenant's line", async (s) => {
  const callId = s.newCallId();
  const ctx: MessageContext = {
    customer: { number: ORG_A.line },
    call: call(callId, { customer: { number: ORG_A.line } }),
  };
  const { line } = await send(s, statusUpdate(ctx, "in-progress"));
  assert.equal(line.outcome, "organization_not_found");
  assert.equal(await callLog(s, callId), undefined);
  const tool = await send(s, toolCalls(ctx, [toolCall("tc-c", "check_availability", { date: SOME_DAY })]));
  assert.deepEqual(tool.body.results, [{
    name: "check_availability",
    toolCallId: "tc-c",
    error: "Organization not found for this assistant",
  }]);
});

test("a 1.4 MiB SDK-valid end-of-call report of a 30-minute call is recorded in full", async (s) => {
  const callId = s.newCallId();
  const report = longEndOfCallReport({ call: call(callId, { assistantId: ORG_A.assistant }) }, 3000);
  const bytes = new TextEncoder().encode(JSON.stringify({ message: report })).length;
  assert.ok(bytes > 1.4 * 1024 * 1024, `report is ${bytes} bytes`);
  const { line } = await send(s, report);
  assert.equal(line.outcome, "ok");
  const row = await callLog(s, callId);
  assert.equal(row.organization_id, ORG_A.id);
  assert.equal(row.status, "ended");
  assert.equal(row.summary, "A thirty-minute call that ended with a booked furnace check.");
  assert.equal(row.transcript, report.artifact.transcript);
  assert.equal(row.recording_url, "https://storage.vapi.ai/long-call-mono.wav");
  assert.equal(Number(row.duration_seconds), 1800);
  assert.equal(Number(row.cost), 1.8734);
  assert.equal(row.ended_reason, "customer-ended-call");
  assert.deepEqual(row.structured_data, { booked: true, service: "furnace check" });
  assert.equal(row.success_evaluation, "true");
});

test("a year-9999 timestamp does not freeze the call: the next real event still moves it", async (s) => {
  const callId = s.newCallId();
  const ctx: MessageContext = { call: call(callId, { assistantId: ORG_A.assistant }) };
  await send(s, statusUpdate(ctx, "ringing", Date.UTC(9999, 11, 31)));
  await send(s, statusUpdate(ctx, "in-progress"));
  const row = await callLog(s, callId);
  assert.equal(row.status, "in-progress");
  assert.ok(row.last_event_at.getTime() <= Date.now() + 60_000);
});

test("10 000 tool calls in one message: one entry each, while another tenant's calls keep being served", async (s) => {
  const floodCall = s.newCallId();
  const flood = toolCalls(
    { call: call(floodCall, { assistantId: ORG_A.assistant }) },
    Array.from({ length: 10_000 }, (_, i) => toolCall(`flood-${i}`, "check_availability", { date: SOME_DAY })),
  );
  const floodReply = post(s.webhookUrl, { message: flood });
  const day = futureWeekday();
  const served: string[] = [];
  for (let i = 0; i < 6; i++) {
    const reply = await post(s.webhookUrl, {
      message: toolCalls({
        call: call(s.newCallId(), { assistantId: PLUMBING.assistant }),
        customer: { number: CALLER },
      }, [
        toolCall(`other-${i}`, "check_availability", { date: day }),
      ]),
    });
    assert.equal(reply.status, 200);
    assert.ok(reply.body.results[0].result, `the other tenant got ${JSON.stringify(reply.body.results[0])}`);
    served.push(reply.body.results[0].toolCallId);
  }
  const { status, body } = await floodReply;
  assert.equal(status, 200);
  assert.equal(body.results.length, 10_000);
  assert.equal(
    body.results.filter((r: { error?: string }) => r.error).length >= 10_000 - MAX_TOOL_CALLS_PER_MESSAGE,
    true,
  );
  assert.equal(served.length, 6);
});

test("(remove the two organizations)", async (s) => {
  await s.sql`delete from public.organizations where id in (${ORG_A.id}, ${ORG_B.id})`;
});

close();
