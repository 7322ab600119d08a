// A configuration in a language the message catalog lacks is answered in English, and writing it says so once: a
// WARNING naming the language (helper-91 #2). Languages the catalog has (any case, a regional code of one it has)
// and inactive configurations say nothing.
import assert from "node:assert/strict";
import { inRolledBackTransaction } from "./_notices.ts";

Deno.test("writing a configuration in a language without a catalog warns once, naming it; others say nothing", async () => {
  await inRolledBackTransaction(async (tx, notices) => {
    const [{ id: org }] = await tx`insert into public.organizations (name, timezone)
                                     values ('Language Warning Co', 'Europe/Paris') returning id`;
    await tx`insert into public.customer_configurations (organization_id, vapi_assistant_id, primary_language,
                                                         secondary_languages)
             values (${org}, ${`asst_lang_${crypto.randomUUID()}`}, 'ES-mx', ${["en_US"]})`;
    assert.equal(notices.length, 0, "languages the catalog has, however written: silence");

    await tx`update public.customer_configurations set secondary_languages = ${["de", "fr", "en"]}
             where organization_id = ${org}`;
    assert.equal(notices.length, 1);
    assert.equal(notices[0].severity, "WARNING");
    assert.match(notices[0].message, /no message catalog for de, fr: callers are answered in English there/);
    assert.match(String(notices[0].hint), /private\.message_catalog/);

    await tx`update public.customer_configurations set is_active = false where organization_id = ${org}`;
    assert.equal(notices.length, 1, "an inactive configuration answers nobody: silence");
  });
});
