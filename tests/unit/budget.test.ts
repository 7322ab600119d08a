// The function's timeouts nest around the database's budget and inside Vapi's deadlines (issue 12).
import assert from "node:assert/strict";
import { budgetProblems } from "../../supabase/functions/_shared/budget.ts";
import { configProblems, loadConfig } from "../../supabase/functions/_shared/config.ts";

const startUpProblems = (config: Parameters<typeof configProblems>[0]) => configProblems(config).join("; ");

Deno.test("the default configuration nests: database 4 s + margin ≤ 5 s / 8 s < Vapi's 7.5 s / 20 s", () => {
  assert.deepEqual(budgetProblems(loadConfig(() => undefined)), []);
  assert.doesNotMatch(startUpProblems(loadConfig(() => undefined)), /budget|deadline/, "no timeout problem at start");
});

Deno.test("VAPI_RPC_TIMEOUT_MS at or below the database budget is named in the start-up config_error line", () => {
  const config = loadConfig((n) => (n === "VAPI_RPC_TIMEOUT_MS" ? "3000" : undefined));
  assert.equal(budgetProblems(config).length, 2, "tool calls and assistant-request both too short");
  assert.match(startUpProblems(config), /VAPI_RPC_TIMEOUT_MS is 3000 ms: below the database's 4000 ms/);
});

Deno.test("VAPI_RPC_TIMEOUT_MS at Vapi's deadline is named in the start-up config_error line", () => {
  const config = loadConfig((n) => (n === "VAPI_RPC_TIMEOUT_MS" ? "20000" : undefined));
  assert.match(startUpProblems(config), /not below Vapi's 20000 ms deadline/);
});
