/**
 * How the time limits nest, from the database out (issue 12): the database gives up and rolls back before the
 * function stops waiting, and the function answers before Vapi does — so a spoken failure means nothing was written.
 *
 *   database (statement_timeout of every webhook RPC) + return margin  ≤  function RPC timeout  <  Vapi's deadline
 *
 * The function's timeouts count from the request's arrival, as Vapi's do: a body that was slow to come spends them.
 */

/** statement_timeout of every webhook RPC: supabase/migrations/20261129130000_rpc_time_budget.sql. */
export const DB_STATEMENT_BUDGET_MS = 4000;
/** Commit plus the way back from PostgreSQL through PostgREST to the function. */
export const RETURN_MARGIN_MS = 500;
/**
 * The database's commit deadline (the `x-rpc-deadline` header) comes this long before the function stops waiting: the
 * commit's own write, the way back and the hosts' clock difference fit in between, so no try commits after the
 * function gave up on it.
 */
export const COMMIT_MARGIN_MS = 250;
/** Vapi waits this long for a tool-calls answer (server.timeoutSeconds, default 20). */
export const VAPI_TOOL_DEADLINE_MS = 20_000;
/** Vapi's end-to-end limit for an assistant-request answer. */
export const VAPI_ASSISTANT_REQUEST_DEADLINE_MS = 7_500;

export interface Timeouts {
  rpcTimeoutMs: number;
  assistantRequestTimeoutMs: number;
}

/** The function RPC timeouts that nest: the database's budget + the margin, to Vapi's tool deadline − the margin. */
export const RPC_TIMEOUT_RANGE_MS = [
  DB_STATEMENT_BUDGET_MS + RETURN_MARGIN_MS,
  VAPI_TOOL_DEADLINE_MS - RETURN_MARGIN_MS,
] as const;

/** Every way the configured timeouts fail to nest around the database budget and inside Vapi's deadlines. */
export function budgetProblems(timeouts: Timeouts): string[] {
  const floor = RPC_TIMEOUT_RANGE_MS[0];
  const checks: [number, number, string][] = [
    [timeouts.rpcTimeoutMs, VAPI_TOOL_DEADLINE_MS, "VAPI_RPC_TIMEOUT_MS"],
    [timeouts.assistantRequestTimeoutMs, VAPI_ASSISTANT_REQUEST_DEADLINE_MS, "the assistant-request timeout"],
  ];
  return checks.flatMap(([value, deadline, name]) => [
    ...(value < floor
      ? [`${name} is ${value} ms: below the database's ${DB_STATEMENT_BUDGET_MS} ms budget + ${RETURN_MARGIN_MS} ms`]
      : []),
    // The answer still has to travel back (and a cold start may precede it): the same margin below Vapi's deadline.
    ...(value > deadline - RETURN_MARGIN_MS
      ? [`${name} is ${value} ms: not ${RETURN_MARGIN_MS} ms below Vapi's ${deadline} ms deadline`]
      : []),
  ]);
}
