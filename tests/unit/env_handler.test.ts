import assert from "node:assert/strict";
import { handler, HEALTH_BODY } from "../../supabase/functions/vapi-webhook/handler.ts";

// The exported production handler (what index.ts serves and the local gateway imports) reads its config from
// the environment; these checks hold whatever secret the environment provides, and never reach a database.
Deno.test("exported handler: GET health and a 401 for a bogus credential", async () => {
  const health = await handler(new Request("http://localhost/functions/v1/vapi-webhook"));
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), HEALTH_BODY);

  const denied = await handler(
    new Request("http://localhost/functions/v1/vapi-webhook", {
      method: "POST",
      headers: { "x-vapi-secret": `not-the-secret-${crypto.randomUUID()}` },
      body: JSON.stringify({ message: { type: "tool-calls", toolCallList: [] } }),
    }),
  );
  assert.equal(denied.status, 401);
  assert.deepEqual(await denied.json(), { error: "Unauthorized" });
});
