// The function's timeouts nest around the database's budget and inside Vapi's deadlines (issue 12).
import assert from "node:assert/strict";
import { assertBudgetsNest, budgetProblems } from "../../supabase/functions/_shared/budget.ts";
import { loadConfig } from "../../supabase/functions/_shared/config.ts";

Deno.test("the default configuration nests: database 4 s + margin ≤ 5 s / 8 s < Vapi's 7.5 s / 20 s", () => {
  assert.deepEqual(budgetProblems(loadConfig(() => undefined)), []);
  assertBudgetsNest(loadConfig(() => undefined));
});

Deno.test("VAPI_RPC_TIMEOUT_MS at or below the database budget fails loudly", () => {
  const config = loadConfig((n) => (n === "VAPI_RPC_TIMEOUT_MS" ? "3000" : undefined));
  assert.equal(budgetProblems(config).length, 2, "tool calls and assistant-request both too short");
  assert.throws(() => assertBudgetsNest(config), /VAPI_RPC_TIMEOUT_MS is 3000 ms: below the database's 4000 ms/);
});

Deno.test("VAPI_RPC_TIMEOUT_MS at Vapi's deadline fails loudly", () => {
  const config = loadConfig((n) => (n === "VAPI_RPC_TIMEOUT_MS" ? "20000" : undefined));
  assert.throws(() => assertBudgetsNest(config), /not below Vapi's 20000 ms deadline/);
});
