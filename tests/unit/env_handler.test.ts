import assert from "node:assert/strict";
import { createEnvHandler, handler, HEALTH_BODY } from "../../supabase/functions/vapi-webhook/handler.ts";

// `handler` (what index.ts serves and the local gateway imports) caches its env config on first use, so this
// test builds an uncached twin with createEnvHandler() and leaves `handler` untouched for other suites.
Deno.test("env handler: GET health and a 401 for a bogus credential, whatever the environment", async () => {
  assert.equal(typeof handler, "function");
  const envHandler = createEnvHandler();
  const health = await envHandler(new Request("http://localhost/functions/v1/vapi-webhook"));
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), HEALTH_BODY);

  const denied = await envHandler(
    new Request("http://localhost/functions/v1/vapi-webhook", {
      method: "POST",
      headers: { "x-vapi-secret": `not-the-secret-${crypto.randomUUID()}` },
      body: JSON.stringify({ message: { type: "tool-calls", toolCallList: [] } }),
    }),
  );
  assert.equal(denied.status, 401);
  assert.deepEqual(await denied.json(), { error: "Unauthorized" });
});
