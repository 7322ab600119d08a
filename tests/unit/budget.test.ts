// The function's timeouts nest around the database's budget and inside Vapi's deadlines (issue 12).
import assert from "node:assert/strict";
import { budgetProblems } from "../../supabase/functions/_shared/budget.ts";
import { configProblems, loadConfig } from "../../supabase/functions/_shared/config.ts";

const startUpProblems = (config: Parameters<typeof configProblems>[0]) => configProblems(config).join("; ");

Deno.test("the default configuration nests: database 4 s + margin ≤ 5 s / 8 s < Vapi's 7.5 s / 20 s", () => {
  assert.deepEqual(budgetProblems(loadConfig(() => undefined)), []);
  assert.doesNotMatch(startUpProblems(loadConfig(() => undefined)), /budget|deadline/, "no timeout problem at start");
});

Deno.test("VAPI_RPC_TIMEOUT_MS at or below the database budget is named at start, and the default is used", () => {
  const config = loadConfig((n) => (n === "VAPI_RPC_TIMEOUT_MS" ? "3000" : undefined));
  assert.equal(budgetProblems({ rpcTimeoutMs: 3000, assistantRequestTimeoutMs: 3000 }).length, 2, "both too short");
  assert.match(
    startUpProblems(config),
    /VAPI_RPC_TIMEOUT_MS is 3000 ms: below the database's 4000 ms.*default 8000 ms/,
  );
  // One mistake, one line: the assistant-request timeout (capped at 5 s) follows from it and is not named again.
  const justUnder = loadConfig((n) => (n === "VAPI_RPC_TIMEOUT_MS" ? "4499" : undefined));
  assert.deepEqual(justUnder.timeoutProblems, [
    "VAPI_RPC_TIMEOUT_MS is 4499 ms: below the database's 4000 ms budget + 500 ms: the default 8000 ms (5000 ms for " +
    "assistant-request) is used",
  ]);
  // Used as set, a failure answered at 3 s could be followed by the database's commit at up to 4 s.
  assert.deepEqual([config.rpcTimeoutMs, config.assistantRequestTimeoutMs], [8000, 5000]);
});

Deno.test("VAPI_RPC_TIMEOUT_MS at Vapi's deadline is named at start, and the default is used", () => {
  const config = loadConfig((n) => (n === "VAPI_RPC_TIMEOUT_MS" ? "25000" : undefined));
  assert.match(startUpProblems(config), /not 500 ms below Vapi's 20000 ms deadline/);
  assert.equal(config.rpcTimeoutMs, 8000, "an answer after 20 s is one Vapi never hears");
  // Just under the deadline leaves the answer no time to travel back (helper-68 #2: answered at 20.013 s).
  const edge = loadConfig((n) => (n === "VAPI_RPC_TIMEOUT_MS" ? "19999" : undefined));
  assert.match(startUpProblems(edge), /VAPI_RPC_TIMEOUT_MS is 19999 ms: not 500 ms below/);
  assert.equal(edge.rpcTimeoutMs, 8000);
  const fine = loadConfig((n) => (n === "VAPI_RPC_TIMEOUT_MS" ? "19500" : undefined));
  assert.equal(fine.rpcTimeoutMs, 19500, "a margin's worth below: accepted");
});
