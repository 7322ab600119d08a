// The replies checked against the SDK's own response types (compile time, `deno check`) and shapes (run time), and
// what the function does with transfer-destination-request and language-change-detected.
import assert from "node:assert/strict";
import type { Vapi } from "@vapi-ai/server-sdk";
import type {
  AssistantRequestReply,
  CampaignPredialReply,
  FunctionCallReply,
  ToolCallsReply,
  TransferDestinationReply,
} from "../../supabase/functions/_shared/messages.ts";
import { SPOKEN } from "../../supabase/functions/_shared/spoken.ts";
import { languageChangeDetected, tenantKeyVariants, transferDestinationRequest } from "../fixtures/vapi_messages.ts";
import { transferDestinationResponseSchema } from "./_replies.ts";
import { onlyLogLine, post, setup } from "./_helpers.ts";

// Compile-time: every reply this function builds is a value of the SDK's response type for that message.
const asSdk = {
  toolCalls: (r: ToolCallsReply): Vapi.ServerMessageResponseToolCalls => r,
  assistantRequest: (r: AssistantRequestReply): Vapi.ServerMessageResponseAssistantRequest => r,
  transfer: (r: TransferDestinationReply): Vapi.ServerMessageResponseTransferDestinationRequest => r,
  predial: (r: CampaignPredialReply): Vapi.ServerMessageResponseCampaignPredial => r,
  // Legacy function-call has no SDK type any more; its reply is the ToolCallResult's `result`.
  functionCall: (r: FunctionCallReply): Pick<Vapi.ToolCallResult, "result"> => r,
};

const T = { assistant: "asst_tr", line: "+15557000009", lineId: "pn_tr" };
const TRANSFER_OK = {
  ok: true,
  reason: "transfer",
  destination: "+15557149999",
  language: "es",
  organization_id: "6d593c7a-b00f-47be-8f77-cc4d1231f706",
  resolved_by: "assistant_id",
};

Deno.test("transfer-destination-request → the configured number, in Vapi's destination shape and the call's language", async () => {
  const { handle, rpc, lines } = setup({ responder: () => Promise.resolve({ data: TRANSFER_OK, error: null }) });
  const ctx = tenantKeyVariants(T, "call-tr-1")["call.assistantId"];
  const body = asSdk.transfer(await (await handle(post({ message: transferDestinationRequest(ctx) }))).json());
  assert.deepEqual(body, {
    destination: { type: "number", number: "+15557149999", message: SPOKEN.es.transfer_connecting },
  });
  assert.ok(transferDestinationResponseSchema.safeParse(body).success);
  assert.equal(rpc.calls[0].fn, "transfer_destination");
  assert.equal(onlyLogLine(lines).outcome, "ok");
});

for (
  const [name, data, error, language] of [
    ["no destination configured", { ...TRANSFER_OK, ok: false, destination: null, reason: "no_transfer_destination" }, {
      error: SPOKEN.es.transfer_unavailable,
    }, "es"],
    [
      "unknown tenant",
      {
        ok: false,
        reason: "organization_not_found",
        language: "en",
        organization_id: null,
        resolved_by: null,
      },
      { error: SPOKEN.en.transfer_unavailable },
      "en",
    ],
  ] as const
) {
  Deno.test(`transfer-destination-request, ${name} → Vapi's { error } (${language}), warning`, async () => {
    const { handle, lines } = setup({ responder: () => Promise.resolve({ data, error: null }) });
    const ctx = tenantKeyVariants(T, "call-tr-2")["call.assistantId"];
    const body = await (await handle(post({ message: transferDestinationRequest(ctx) }))).json();
    assert.deepEqual(body, error);
    assert.ok(transferDestinationResponseSchema.safeParse(body).success);
    assert.equal(onlyLogLine(lines).level, "warn");
  });
}

Deno.test("transfer-destination-request with the database down → { error }, logged as an error", async () => {
  const { handle, lines } = setup({ responder: () => Promise.resolve({ data: null, error: { message: "down" } }) });
  const ctx = tenantKeyVariants(T, "call-tr-3")["call.assistantId"];
  const body = await (await handle(post({ message: transferDestinationRequest(ctx) }))).json();
  assert.deepEqual(body, { error: SPOKEN.en.transfer_unavailable });
  assert.equal(onlyLogLine(lines).level, "error");
});

Deno.test("language-change-detected → record_call_event with the language; a language SQL cannot answer in is a warning", async () => {
  for (const [reason, level] of [["recorded", "info"], ["language_not_in_catalog", "warn"]] as const) {
    const { handle, rpc, lines } = setup({
      responder: () =>
        Promise.resolve({
          data: { ok: true, reason, organization_id: "o", resolved_by: "call_id", language: "en", changed: true },
          error: null,
        }),
    });
    const ctx = tenantKeyVariants(T, "call-lang-1")["call.assistantId"];
    const res = await handle(post({ message: languageChangeDetected(ctx, "fr") }));
    assert.deepEqual(await res.json(), {});
    assert.equal(rpc.calls[0].fn, "record_call_event");
    assert.deepEqual((rpc.calls[0].args.p_event as Record<string, unknown>).language, "fr");
    assert.equal((rpc.calls[0].args.p_event as Record<string, unknown>).type, "language-change-detected");
    const line = onlyLogLine(lines);
    assert.equal(line.level, level);
    assert.deepEqual(line.reasons, [reason]);
  }
});

Deno.test("an event refused because the call is another organization's → 200 {}, a warning naming the reason", async () => {
  const { handle, lines } = setup({
    responder: () =>
      Promise.resolve({
        data: { ok: false, reason: "call_of_another_organization", organization_id: "b", resolved_by: "assistant_id" },
        error: null,
      }),
  });
  const ctx = tenantKeyVariants(T, "call-x")["call.assistantId"];
  const res = await handle(post({ message: languageChangeDetected(ctx, "es") }));
  assert.deepEqual(await res.json(), {});
  const line = onlyLogLine(lines);
  assert.equal(line.level, "warn");
  assert.equal(line.outcome, "call_of_another_organization");
});

Deno.test("campaign.predial → { eligible: true } without the database (Vapi reads `{}` as a failure: no call placed)", async () => {
  const { handle, rpc, lines } = setup();
  const message: Vapi.ServerMessageCampaignPredial = {
    type: "campaign.predial",
    campaignId: "camp-1",
    contact: {
      id: "contact-1",
      campaignId: "camp-1",
      orgId: "6f1c2a9e-3b7d-4c11-9a52-0d8e4f7b2c10",
      number: "+15557001234",
      createdAt: "2026-12-04T09:00:00.000Z",
    },
  };
  const res = await handle(post({ message }));
  assert.equal(res.status, 200);
  assert.deepEqual(asSdk.predial(await res.json()), { eligible: true });
  assert.equal(rpc.calls.length, 0);
  const line = onlyLogLine(lines);
  assert.equal(line.message_type, "campaign.predial");
  assert.equal(line.outcome, "eligible");
  assert.doesNotMatch(lines[0], /7001234/, "the contact's number is not logged");
});
