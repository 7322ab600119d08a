// A configuration whose primary language the message catalog lacks is answered in English (a secondary one: in the
// primary language), and writing it says so once: a WARNING naming the language (helper-91 #2, helper-114). Languages
// the catalog has (any case, a regional code of one it has) and inactive configurations say nothing.
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
    // A caller who switches to one hears the primary language (Spanish here), not English (helper-114).
    assert.match(
      notices[0].message,
      /no message catalog for de, fr \(a secondary language\): callers who switch to it are answered in the configuration's primary language$/,
    );
    assert.match(String(notices[0].hint), /private\.message_catalog/);

    await tx`update public.customer_configurations set primary_language = 'fr', secondary_languages = ${["es"]}
             where organization_id = ${org}`;
    assert.equal(notices.length, 2);
    assert.match(notices[1].message, /no message catalog for fr: callers are answered in English there$/);
    // A secondary language of such a configuration is heard in English too (its primary has no catalog either).
    await tx`update public.customer_configurations set secondary_languages = ${["de"]} where organization_id = ${org}`;
    assert.equal(notices.length, 3);
    assert.match(notices[2].message, /no message catalog for de, fr: callers are answered in English there$/);

    await tx`update public.customer_configurations set is_active = false where organization_id = ${org}`;
    assert.equal(notices.length, 3, "an inactive configuration answers nobody: silence");
  });
});
