// The function's own spoken sentences: one catalog entry per language with the same keys, in the language SQL last
// reported for the call (or its assistant, or its line), English before that and for languages the catalog lacks.
import assert from "node:assert/strict";
import { LanguageMemory, SPOKEN, spoken } from "../../supabase/functions/_shared/spoken.ts";
import { okReturn, post, setup, toolCallsMessage } from "./_helpers.ts";

/** An answer by this organization, not found by call id. */
const by = (organizationId: string) => ({ organizationId, ownsCall: false });

const sentences = (lang: keyof typeof SPOKEN): Record<string, string> => ({ ...SPOKEN[lang] });

Deno.test("spoken: every language has exactly the English keys, each a non-empty single line", () => {
  for (const lang of Object.keys(SPOKEN) as (keyof typeof SPOKEN)[]) {
    assert.deepEqual(Object.keys(SPOKEN[lang]).sort(), Object.keys(SPOKEN.en).sort(), lang);
    for (const [key, text] of Object.entries(sentences(lang))) {
      assert.ok(text.trim() && !/[\r\n]/.test(text), `${lang}.${key}`);
    }
  }
});

Deno.test("spoken: no English left in the Spanish sentences", () => {
  const en = sentences("en");
  const english = /\b(the|please|try|again|couldn't|sorry|transfer|one moment|request|number)\b/i;
  for (const [key, text] of Object.entries(sentences("es"))) {
    assert.notEqual(text, en[key], key);
    assert.ok(!english.test(text.replace("book_x", "")), `es.${key}: ${text}`);
  }
});

Deno.test("spoken: language codes map onto the catalog; unknown ones fall back to English", () => {
  assert.equal(spoken("es"), SPOKEN.es);
  assert.equal(spoken("es-MX"), SPOKEN.es);
  assert.equal(spoken("ES"), SPOKEN.es);
  assert.equal(spoken("fr"), SPOKEN.en);
  assert.equal(spoken(null), SPOKEN.en);
  assert.equal(spoken("toString"), SPOKEN.en);
});

Deno.test("language memory: the call's language beats the assistant's; bounded, oldest forgotten first", () => {
  const memory = new LanguageMemory(4);
  memory.rememberCallStart({ callId: "c1", assistantId: "a1" }, "en", "org-a");
  memory.remember({ callId: "c1", assistantId: "a1" }, "es", by("org-a")); // c1's caller switched
  assert.equal(memory.recall({ callId: "c1", assistantId: "a1" }), "es");
  assert.equal(memory.recall({ callId: "c9", assistantId: "a1" }), "en", "other calls: the assistant's own");
  // An answer on a call sets the assistant's language only when none is known (a call's start sets it; helper-91 #1).
  const fresh = new LanguageMemory();
  fresh.remember({ callId: "c1", assistantId: "a1" }, "es", by("org-a"));
  assert.equal(fresh.recall({ callId: "c2", assistantId: "a1" }), "es", "a tenant seen only through tool calls");
  fresh.remember({ callId: "c2", assistantId: "a1" }, "en", by("org-a")); // c2's caller switched
  assert.equal(fresh.recall({ callId: "c3", assistantId: "a1" }), "es", "one call's switch is not the assistant's");
  fresh.rememberCallStart({ callId: "c4", assistantId: "a1" }, "en", "org-a");
  assert.equal(fresh.recall({ callId: "c5", assistantId: "a1" }), "en", "a call's start says what it is");
  // A call known to have switched (language-change-detected) never teaches its assistant (helper-94 #2).
  const switched = new LanguageMemory();
  switched.rememberSwitch({ callId: "s1" }, "es", by("org-a"));
  switched.remember({ callId: "s1", assistantId: "a3" }, "es", by("org-a"));
  assert.equal(switched.recall({ callId: "s1", assistantId: "a3" }), "es", "the call itself: Spanish");
  assert.equal(switched.recall({ callId: "s2", assistantId: "a3" }), null, "its assistant's other calls: English");
  // The switch is kept with the call's entry: other traffic cannot forget one and keep the other (helper-96 #4).
  const small = new LanguageMemory(4);
  small.rememberSwitch({ callId: "s1" }, "es", by("org-a"));
  for (let i = 0; i < 3; i++) {
    small.remember({ callId: "s1", assistantId: null }, "es", by("org-a")); // the call stays fresh …
    small.remember({ callId: `busy${i}`, assistantId: null }, "en", by("org-a")); // … among other calls
  }
  small.remember({ callId: "s1", assistantId: "a4" }, "es", by("org-a"));
  assert.equal(small.recall({ callId: "s9", assistantId: "a4" }), null, "still known switched: not the assistant's");
  // Without a call id, an answer can only be the assistant's own language.
  fresh.remember({ callId: null, assistantId: "a2" }, "es", by("org-a"));
  assert.equal(fresh.recall({ callId: "c3", assistantId: "a2" }), "es");
  assert.equal(memory.recall({ callId: null, assistantId: null }), null);
  for (let i = 0; i < 10; i++) memory.remember({ callId: `x${i}`, assistantId: null }, "es", by("org-a"));
  assert.equal(memory.size, 4);
  assert.equal(memory.recall({ callId: "c1", assistantId: null }), null);
});

Deno.test("language memory: once SQL tied a call to its organization, another's answer under its id changes nothing", () => {
  const memory = new LanguageMemory();
  memory.rememberCallStart({ callId: "c1", assistantId: "hvac" }, "en", "org-hvac");
  memory.remember({ callId: "c1", assistantId: "plumbing" }, "es", by("org-plumbing")); // a forged or misrouted message
  memory.rememberSwitch({ callId: "c1" }, "es", by("org-plumbing"));
  assert.equal(memory.recall({ callId: "c1", assistantId: "hvac" }), "en", "the call's own caller still hears English");
  assert.equal(memory.recall({ callId: "c9", assistantId: "plumbing" }), "es", "the other assistant learns its own");
  memory.rememberSwitch({ callId: "c1" }, "es", by("org-hvac")); // the call's own caller switches
  assert.equal(memory.recall({ callId: "c1", assistantId: "hvac" }), "es");
  // Found by its call id, an answer is the call's own organization's (SQL looked the call up).
  memory.remember({ callId: "c2", assistantId: "hvac" }, "en", { organizationId: "org-hvac", ownsCall: true });
  memory.remember({ callId: "c2", assistantId: "plumbing" }, "es", by("org-plumbing"));
  assert.equal(memory.recall({ callId: "c2", assistantId: null }), "en");
  // Not tied yet: the latest answer counts, so a misrouted first answer does not pin the call (helper-100 #4).
  memory.remember({ callId: "c3", assistantId: "plumbing" }, "es", by("org-plumbing"));
  memory.remember({ callId: "c3", assistantId: "hvac" }, "en", by("org-hvac"));
  assert.equal(memory.recall({ callId: "c3", assistantId: "hvac" }), "en");
});

Deno.test("language memory: an answer found by the call's line is the line's, not the assistant's it named", () => {
  // helper-114 #1/#3: an English assistant id the organization does not know, on its Spanish line.
  const memory = new LanguageMemory();
  const byLine = { organizationId: "org-a", ownsCall: false, byLine: true };
  const keys = { callId: "c1", assistantId: "asst_unknown", phoneNumberId: "pn-es", phoneNumber: "+15550100002" };
  memory.remember(keys, "es", byLine);
  assert.equal(memory.recall(keys), "es", "the call itself");
  assert.equal(memory.recall({ callId: "c2", assistantId: "asst_unknown" }), null, "not the assistant's language");
  assert.equal(memory.recall({ callId: "c2", assistantId: null, phoneNumberId: "pn-es" }), "es", "the line's, by id");
  assert.equal(memory.recall({ callId: "c3", assistantId: null, phoneNumber: "+15550100002" }), "es", "by number");
  // A known assistant's language still comes before its line's.
  memory.rememberCallStart({ callId: "c4", assistantId: "asst_en" }, "en", "org-a");
  assert.equal(memory.recall({ callId: "c5", assistantId: "asst_en", phoneNumberId: "pn-es" }), "en");
  // A call's start found by its line teaches the line, not an assistant the message named (one shared by several
  // organizations' lines, say: helper-115 #3).
  memory.rememberCallStart({ callId: "c6", assistantId: "asst_shared", phoneNumberId: "pn-b" }, "es", "org-b", true);
  assert.equal(memory.recall({ callId: "c7", assistantId: "asst_shared" }), null, "not the shared assistant's");
  assert.equal(memory.recall({ callId: "c7", assistantId: null, phoneNumberId: "pn-b" }), "es", "the line's");
});

Deno.test("spoken: a tool call on a line routed in Spanish hears its fallbacks in Spanish, naming no assistant", async () => {
  let fail = false;
  const { handle } = setup({
    responder: (fn) =>
      Promise.resolve(
        fail ? { data: null, error: { message: "down", code: "" } } : {
          data: fn === "route_assistant_request"
            ? {
              ok: true,
              reason: "routed",
              assistant_id: "asst_es",
              organization_id: "o",
              resolved_by: "phone_number",
              language: "es",
            }
            : okReturn("ok", { language: "es", resolved_by: "phone_number" }),
          error: null,
        },
      ),
  });
  const line = { phoneNumber: { id: "pn-es", number: "+15550100002" } };
  await handle(post({ message: { type: "assistant-request", call: { id: "call-routed" }, ...line } }));
  fail = true;
  const tool = (callId: string) =>
    toolCallsMessage([{ id: "t1", function: { name: "book_appointment", arguments: {} } }], {
      call: { id: callId, phoneNumberId: "pn-es" },
    });
  const failed = await (await handle(post(tool("call-new")))).json();
  assert.equal(failed.results[0].error, SPOKEN.es.rpc_failure, "another call on the line, database down");
  const elsewhere = await (await handle(post(toolCallsMessage(
    [{ id: "t1", function: { name: "book_appointment", arguments: {} } }],
    { call: { id: "call-other-line", phoneNumberId: "pn-other" } },
  )))).json();
  assert.equal(elsewhere.results[0].error, SPOKEN.en.rpc_failure, "a line nobody answered for: English");
});

Deno.test("spoken: a failure after a Spanish answer is spoken in Spanish, on that call and the assistant's next ones", async () => {
  let fail = false;
  const { handle } = setup({
    responder: (fn) =>
      Promise.resolve(
        fail
          ? { data: null, error: { message: "down", code: "" } }
          : fn === "record_call_event"
          ? { data: { ok: true, changed: true, reason: "created", organization_id: "o", language: "es" }, error: null }
          : { data: okReturn("Tengo huecos el martes.", { language: "es" }), error: null },
      ),
  });
  const message = (callId: string, name = "check_availability") =>
    toolCallsMessage([{ id: crypto.randomUUID(), function: { name, arguments: {} } }], {
      call: { id: callId, assistantId: "asst_es" },
    });
  const first = await (await handle(post(message("call-es")))).json();
  assert.equal(first.results[0].result, "Tengo huecos el martes.");
  fail = true;
  const failed = await (await handle(post(message("call-es")))).json();
  assert.equal(failed.results[0].error, SPOKEN.es.rpc_failure);
  // An id no ledger can hold is refused without asking the database: in the call's language.
  const unasked = await (await handle(post(toolCallsMessage(
    [{ id: "r".repeat(513), function: { name: "check_availability", arguments: {} } }],
    { call: { id: "call-es", assistantId: "asst_es" } },
  )))).json();
  assert.equal(unasked.results[0].error, SPOKEN.es.invalid_arguments);
  // An unknown tool is answered with the contract's text whatever the language (no database asked: none known).
  const unknown = await (await handle(post(message("call-es", "fly_me")))).json();
  assert.equal(unknown.results[0].error, "Unknown tool: fly_me");
  // Another call of the same assistant: the language its tool answers were in (none of its calls' starts was seen) …
  const sibling = await (await handle(post(message("call-other")))).json();
  assert.equal(sibling.results[0].error, SPOKEN.es.rpc_failure);
  // … and what a call's start reports, as the status-update that creates a call's row does (all RPCs answer in Spanish).
  fail = false;
  await handle(
    post({ message: { type: "status-update", status: "ringing", call: { id: "call-3", assistantId: "asst_es" } } }),
  );
  fail = true;
  const later = await (await handle(post(message("call-4")))).json();
  assert.equal(later.results[0].error, SPOKEN.es.rpc_failure);
  // A call nobody answered yet, of an unknown assistant: English.
  const fresh = await (await handle(post(toolCallsMessage([{ id: "z", function: { name: "fly_me" } }], {
    call: { id: "call-new", assistantId: "asst_new" },
  })))).json();
  assert.equal(fresh.results[0].error, "Unknown tool: fly_me");
});

Deno.test("spoken: one call of an English assistant switching to Spanish leaves its other calls' fallbacks English", async () => {
  // Whether this instance saw the call's English answer first, or only its switch (helper-94 #2).
  for (const sawFirst of ["its English answer", "only the switch"]) {
    let language = "en";
    const { handle } = setup({
      responder: (fn) =>
        Promise.resolve({
          data: fn === "record_call_event"
            ? {
              ok: true,
              changed: true,
              reason: "recorded",
              organization_id: okReturn("").organization_id, // the call's one organization
              resolved_by: "assistant_id",
              language,
            }
            : okReturn("ok", { language }),
          error: null,
        }),
    });
    const tool = (callId: string, id: string = crypto.randomUUID()) =>
      toolCallsMessage([{ id, function: { name: "check_availability", arguments: {} } }], {
        call: { id: callId, assistantId: "asst_en" },
      });
    const unasked = "u".repeat(513); // an id no ledger can hold: the function's own refusal, no database asked
    if (sawFirst === "its English answer") await handle(post(tool("call-1")));
    language = "es";
    await handle(post({
      message: { type: "language-change-detected", language: "es", call: { id: "call-1", assistantId: "asst_en" } },
    }));
    await handle(post(tool("call-1"))); // answered in Spanish from now on
    assert.equal(
      (await (await handle(post(tool("call-1", unasked)))).json()).results[0].error,
      SPOKEN.es.invalid_arguments,
      sawFirst,
    );
    // A new call of the same assistant (its first message refused unasked): still the assistant's English.
    assert.equal(
      (await (await handle(post(tool("call-2", unasked)))).json()).results[0].error,
      SPOKEN.en.invalid_arguments,
      sawFirst,
    );
  }
});

Deno.test("spoken: another tenant's tool call under a call's id leaves that call's fallbacks in its own language", async () => {
  // helper-97 #2: an HVAC (English) call, then one Plumbing (Spanish) tool call carrying its call id.
  const hvac = "d91e4aa4-914a-4d76-b5b7-2ee26e09b2a2", plumbing = "6d593c7a-b00f-47be-8f77-cc4d1231f706";
  const { handle } = setup({
    responder: (fn, args) =>
      Promise.resolve({
        data: fn === "record_call_event"
          ? {
            ok: true,
            changed: true,
            reason: "created",
            organization_id: hvac,
            resolved_by: "assistant_id",
            language: "en",
          }
          : okReturn("ok", {
            organization_id: args.p_assistant_id === "asst_plumbing" ? plumbing : hvac,
            language: args.p_assistant_id === "asst_plumbing" ? "es" : "en",
          }),
        error: null,
      }),
  });
  const call = (assistantId: string) => ({ id: "lm-2", assistantId });
  const tool = (assistantId: string, id: string = crypto.randomUUID()) =>
    toolCallsMessage([{ id, function: { name: "check_availability", arguments: {} } }], { call: call(assistantId) });
  await handle(post({ message: { type: "status-update", status: "in-progress", call: call("asst_hvac") } }));
  await handle(post(tool("asst_plumbing")));
  const unasked = "u".repeat(513); // the function's own refusal, no database asked
  assert.equal(
    (await (await handle(post(tool("asst_hvac", unasked)))).json()).results[0].error,
    SPOKEN.en.invalid_arguments,
  );
});
