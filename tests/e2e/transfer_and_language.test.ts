// transfer-destination-request and language-change-detected end to end: the configured human in Vapi's destination
// shape, Vapi's error shape otherwise; a language switch mid-call recorded only when the configuration speaks it; the
// function's own spoken fallbacks in the language SQL reported for the call.
import assert from "node:assert/strict";
import type { Vapi } from "@vapi-ai/server-sdk";
import { SPOKEN, spoken } from "../../supabase/functions/_shared/spoken.ts";
import {
  call,
  languageChangeDetected,
  type MessageContext,
  statusUpdate,
  toolCall,
  toolCalls,
  transferDestinationRequest,
} from "../fixtures/vapi_messages.ts";
import { captureLogLines, fileStack, post, type Stack } from "./_stack.ts";

const { test, close } = fileStack();

const ORG_T = { id: "e9100000-0000-4000-8000-00000000000a", assistant: "asst_e2e_transfer", line: "+15557910001" };
const ORG_N = { id: "e9100000-0000-4000-8000-00000000000b", assistant: "asst_e2e_no_transfer", line: "+15557910002" };
const HUMAN = "+15557919999";

async function send(s: Stack, message: unknown) {
  const { value, lines } = await captureLogLines(() => post(s.webhookUrl, { message }));
  assert.equal(value.status, 200);
  return { body: value.body, line: lines.at(-1)! };
}

/** What SQL says this call is answered in (it depends on which languages the catalog has). */
async function sqlLanguage(s: Stack, org: string, callId: string, assistant: string): Promise<string> {
  const [row] = await s.sql`select private.call_language(${org}::uuid, ${callId}, ${assistant}) as language`;
  return row.language;
}

test("(set up: one organization with a human to transfer to, speaking en + es + fr; one without)", async (s) => {
  await s.sql`delete from public.organizations where id in (${ORG_T.id}, ${ORG_N.id})`;
  await s.sql`insert into public.organizations (id, name, timezone) values
    (${ORG_T.id}, 'E2E Transfer', 'America/New_York'), (${ORG_N.id}, 'E2E No Transfer', 'America/Denver')`;
  await s.sql`insert into public.customer_configurations
    (organization_id, vapi_assistant_id, vapi_phone_number, primary_language, secondary_languages, transfer_phone_number)
    values (${ORG_T.id}, ${ORG_T.assistant}, ${ORG_T.line}, 'en', '{es,fr}', ${HUMAN}),
           (${ORG_N.id}, ${ORG_N.assistant}, ${ORG_N.line}, 'es', '{}', null)`;
});

test("transfer-destination-request → the organization's human, in the SDK's response shape", async (s) => {
  const callId = s.newCallId();
  const { body, line } = await send(
    s,
    transferDestinationRequest({ call: call(callId, { assistantId: ORG_T.assistant }) }),
  );
  const typed: Vapi.ServerMessageResponseTransferDestinationRequest = body;
  assert.deepEqual(typed, { destination: { type: "number", number: HUMAN, message: SPOKEN.en.transfer_connecting } });
  assert.equal(line.organization_id, ORG_T.id);
  assert.equal(line.outcome, "ok");
});

test("transfer-destination-request without a configured human, or for an unknown tenant → { error }", async (s) => {
  const none = await send(
    s,
    transferDestinationRequest({ call: call(s.newCallId(), { assistantId: ORG_N.assistant }) }),
  );
  const lang = await sqlLanguage(s, ORG_N.id, "none", ORG_N.assistant);
  assert.deepEqual(none.body, { error: spoken(lang).transfer_unavailable });
  assert.equal(none.line.outcome, "no_transfer_destination");
  const unknown = await send(
    s,
    transferDestinationRequest({ call: call(s.newCallId(), { assistantId: "asst_nobody" }) }),
  );
  assert.deepEqual(unknown.body, { error: SPOKEN.en.transfer_unavailable });
  assert.equal(unknown.line.outcome, "organization_not_found");
});

test("a language switch mid-call: recorded when configured, refused otherwise, logged once when the catalog lacks it", async (s) => {
  const callId = s.newCallId();
  const ctx: MessageContext = { call: call(callId, { assistantId: ORG_T.assistant }) };
  await send(s, statusUpdate(ctx, "in-progress"));
  const log = async () =>
    (await s.sql`select language from public.call_logs where vapi_call_id = ${callId}`)[0].language;

  const es = await send(s, languageChangeDetected(ctx, "es"));
  assert.equal(await log(), "es");
  // The function's own fallback (an id no ledger can hold needs no database) is now in the call's language; an
  // unknown tool is answered with the contract's text in every language.
  const lang = await sqlLanguage(s, ORG_T.id, callId, ORG_T.assistant);
  const unasked = await send(s, toolCalls(ctx, [toolCall("u".repeat(513), "check_availability", {})]));
  assert.equal(unasked.body.results[0].error, spoken(lang).invalid_arguments);
  const unknown = await send(s, toolCalls(ctx, [toolCall("u-1", "fly_me_to_the_moon", {})]));
  assert.equal(unknown.body.results[0].error, "Unknown tool: fly_me_to_the_moon");
  assert.equal(es.line.level, lang === "es" ? "info" : "warn");

  const de = await send(s, languageChangeDetected(ctx, "de"));
  assert.equal(de.line.outcome, "ok");
  assert.deepEqual(de.line.reasons, ["language_not_configured"]);
  assert.equal(await log(), "es", "a language the configuration does not speak is not recorded");

  const { lines } = await captureLogLines(() => post(s.webhookUrl, { message: languageChangeDetected(ctx, "fr") }));
  assert.equal(lines.length, 1);
  assert.deepEqual(lines[0].reasons, ["language_not_in_catalog"]);
  assert.equal(lines[0].level, "warn");
  assert.equal(await log(), "fr");
  assert.equal(await sqlLanguage(s, ORG_T.id, callId, ORG_T.assistant), "en", "fr is answered in English");
  const after = await send(s, toolCalls(ctx, [toolCall("u-2", "fly_me_to_the_moon", {})]));
  assert.equal(after.body.results[0].error, "Unknown tool: fly_me_to_the_moon");
});

test("another organization's language event never changes this call's language", async (s) => {
  const callId = s.newCallId();
  await send(s, statusUpdate({ call: call(callId, { assistantId: ORG_T.assistant }) }, "in-progress"));
  const { line } = await send(
    s,
    languageChangeDetected({ call: call(callId, { assistantId: ORG_N.assistant }) }, "es"),
  );
  assert.equal(line.outcome, "call_of_another_organization");
  assert.equal((await s.sql`select language from public.call_logs where vapi_call_id = ${callId}`)[0].language, null);
});

test("(remove the organizations)", async (s) => {
  await s.sql`delete from public.organizations where id in (${ORG_T.id}, ${ORG_N.id})`;
});

close();
