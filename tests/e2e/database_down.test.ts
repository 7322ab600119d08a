// The database unreachable: every message type still answers 200, tool calls with the spoken failure sentence.
import assert from "node:assert/strict";
import type { RunningGateway } from "../../local-stack/gateway.ts";
import {
  assistantRequestMessage,
  bookingArgs,
  counts,
  functionCallMessage,
  futureWeekday,
  HVAC,
  post,
  rowsForCall,
  SPOKEN_RPC_FAILURE,
  type Stack,
  startSharedGateway,
  startStack,
  startWebhookGateway,
  statusUpdateMessage,
  toolCallsMessage,
} from "./_stack.ts";

// A high port nothing listens on (Deno refuses some low ports outright).
const CLOSED_DATABASE_URL = "postgresql://postgres:postgres@127.0.0.1:59999/postgres?sslmode=disable";

/** Sends one of each message type to `webhookUrl` and checks the spoken, 200 answers. */
async function expectSpokenFailures(webhookUrl: string, s: Stack) {
  const callId = s.newCallId();
  const keys = { callId, callAssistantId: HVAC.assistant, line: HVAC.line };
  const before = await counts(s.sql);

  const tools = await post(
    webhookUrl,
    toolCallsMessage(keys, [
      { id: "tc-down-1", name: "book_appointment", args: bookingArgs(`${futureWeekday()}T10:00`) },
      { id: "tc-down-2", name: "check_availability", args: {} },
    ]),
  );
  assert.equal(tools.status, 200);
  assert.deepEqual(tools.body, {
    results: [
      { name: "book_appointment", toolCallId: "tc-down-1", error: SPOKEN_RPC_FAILURE },
      { name: "check_availability", toolCallId: "tc-down-2", error: SPOKEN_RPC_FAILURE },
    ],
  });

  const legacy = await post(webhookUrl, functionCallMessage(keys, "book_appointment", bookingArgs("2027-01-01T10:00")));
  assert.equal(legacy.status, 200);
  assert.deepEqual(legacy.body, { result: SPOKEN_RPC_FAILURE });

  const status = await post(webhookUrl, statusUpdateMessage(keys, "in-progress"));
  assert.equal(status.status, 200);
  assert.deepEqual(status.body, {});

  const routing = await post(webhookUrl, assistantRequestMessage({ callId, line: HVAC.line }));
  assert.equal(routing.status, 200);
  assert.deepEqual(Object.keys(routing.body), ["error"]);

  const rows = await rowsForCall(s.sql, callId);
  assert.equal(rows.appointments.length + rows.callLogs.length + rows.ledger.length, 0);
  assert.deepEqual(await counts(s.sql), before);
}

Deno.test({
  name: "database stopped (a second gateway whose database is a closed port) → spoken errors with HTTP 200",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const s = await startStack();
    let down: RunningGateway | undefined;
    try {
      // Control: the healthy stack books (this also creates the function's service client, as production would).
      const callId = s.newCallId();
      const ok = await post(
        s.webhookUrl,
        toolCallsMessage({ callId, callAssistantId: HVAC.assistant }, [
          { name: "book_appointment", args: bookingArgs(`${futureWeekday()}T10:00`) },
        ]),
      );
      assert.equal(JSON.parse(ok.body.results[0].result).status, "booked");

      // A second handler of this process reaches its own gateway (service clients are kept per URL and key).
      down = await startWebhookGateway(CLOSED_DATABASE_URL);
      await expectSpokenFailures(`${down.functionsUrl}/vapi-webhook`, s);
    } finally {
      await down?.close();
      await s.close();
    }
  },
});

Deno.test({
  name: "database stopped behind the very same gateway URL → spoken errors with HTTP 200",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    // The function's service client is created once per process (see _stack.ts), so this variant swaps the
    // gateway behind one URL: healthy → database unreachable → healthy again.
    const s = await startStack();
    let down: RunningGateway | undefined;
    try {
      await s.gateway.close();
      down = await startSharedGateway(CLOSED_DATABASE_URL);
      assert.equal(down.url, s.gateway.url);
      await expectSpokenFailures(`${down.functionsUrl}/vapi-webhook`, s);
      await down.close();
      down = undefined;

      const healthy = await startSharedGateway(s.gateway.databaseUrl);
      try {
        const callId = s.newCallId();
        const ok = await post(
          `${healthy.functionsUrl}/vapi-webhook`,
          toolCallsMessage({ callId, callAssistantId: HVAC.assistant }, [
            { name: "book_appointment", args: bookingArgs(`${futureWeekday()}T10:00`) },
          ]),
        );
        assert.equal(JSON.parse(ok.body.results[0].result).status, "booked", "recovers once the database is back");
      } finally {
        await healthy.close();
      }
    } finally {
      await down?.close();
      await s.close();
    }
  },
});
