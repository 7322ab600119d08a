// scripts/bench's peer-style function must do what the seed does — one RPC per lookup in the seed's order, stopping
// at the first hit, then the insert — or the bench's "1 vs 2/3/4 RPCs" lines would compare against the wrong thing.
import assert from "node:assert/strict";
import { peerTransport } from "../../scripts/lib/bench-peer-handler.ts";
import type { RpcTransport } from "../../supabase/functions/_shared/rpc.ts";
import { toolRpcReturnSchema } from "../../supabase/functions/_shared/rpc_returns.ts";

const ORG = "5cae3ed7-502d-439c-8bf2-072dc39ec55e";

/** A transport that records every RPC and answers lookups from `found` (RPC name → organization id). */
function recording(found: Record<string, string>, fail?: string) {
  const calls: { fn: string; args: Record<string, unknown> }[] = [];
  const rpc: RpcTransport = {
    call: (fn, args) => {
      calls.push({ fn, args });
      if (fn === fail) return Promise.resolve({ data: null, error: { message: "boom", code: "57014" } });
      if (fn === "bench_peer_insert_appointment") return Promise.resolve({ data: "appt-1", error: null });
      return Promise.resolve({ data: found[fn] ?? null, error: null });
    },
  };
  return { rpc, calls };
}

const bookArgs = {
  p_assistant_id: "asst_unknown",
  p_phone_number: "+15550000007",
  p_vapi_call_id: "call-1",
  p_tool_call_id: "tc-1",
  p_arguments: { start_time: "2027-01-11T09:00", customer_name: "Bench Caller", service: "Repair" },
};
const signal = new AbortController().signal;

Deno.test("peer: assistant hit → 2 RPCs, the insert gets the tenant and a 30-minute UTC slot", async () => {
  const { rpc, calls } = recording({ bench_peer_org_by_assistant: ORG });
  const { data, error } = await peerTransport(rpc).call("resolve_org_and_book", bookArgs, signal);
  assert.equal(error, null);
  assert.deepEqual(calls.map((c) => c.fn), ["bench_peer_org_by_assistant", "bench_peer_insert_appointment"]);
  assert.deepEqual(calls[0].args, { p_assistant_id: "asst_unknown" });
  assert.deepEqual(calls[1].args, {
    p_organization_id: ORG,
    p_start_time: "2027-01-11T09:00:00.000Z",
    p_end_time: "2027-01-11T09:30:00.000Z",
    p_customer_name: "Bench Caller",
    p_vapi_call_id: "call-1",
    p_tool_call_id: "tc-1",
  });
  const answer = toolRpcReturnSchema.parse(data);
  assert.equal(answer.ok, true);
  assert.equal(answer.reason, "booked");
  assert.equal(answer.resolved_by, "assistant_id");
  assert.match(JSON.stringify(answer.result), /"booked"/);
});

Deno.test("peer: found only by call id → assistant, line, call, insert (4 RPCs, in the seed's order)", async () => {
  const { rpc, calls } = recording({ bench_peer_org_by_call: ORG });
  const { data } = await peerTransport(rpc).call("resolve_org_and_book", bookArgs, signal);
  assert.deepEqual(calls.map((c) => c.fn), [
    "bench_peer_org_by_assistant",
    "bench_peer_org_by_line",
    "bench_peer_org_by_call",
    "bench_peer_insert_appointment",
  ]);
  assert.equal(toolRpcReturnSchema.parse(data).resolved_by, "call_id");
});

Deno.test("peer: a key the message lacks costs no RPC; no tenant → refused without an insert", async () => {
  const { rpc, calls } = recording({});
  const { data, error } = await peerTransport(rpc).call(
    "resolve_org_and_book",
    { ...bookArgs, p_phone_number: null },
    signal,
  );
  assert.equal(error, null);
  assert.deepEqual(calls.map((c) => c.fn), ["bench_peer_org_by_assistant", "bench_peer_org_by_call"]);
  const answer = toolRpcReturnSchema.parse(data);
  assert.equal(answer.ok, false);
  assert.equal(answer.reason, "unknown_tenant");
});

Deno.test("peer: a failed lookup is passed on as the RPC's failure and nothing is inserted", async () => {
  const { rpc, calls } = recording({ bench_peer_org_by_line: ORG }, "bench_peer_org_by_assistant");
  const { data, error } = await peerTransport(rpc).call("resolve_org_and_book", bookArgs, signal);
  assert.equal(data, null);
  assert.deepEqual(error, { message: "boom", code: "57014" });
  assert.deepEqual(calls.map((c) => c.fn), ["bench_peer_org_by_assistant"]);
});

Deno.test("peer: other tools are not served (the bench books only)", async () => {
  const { rpc, calls } = recording({ bench_peer_org_by_assistant: ORG });
  const { error } = await peerTransport(rpc).call("resolve_org_and_cancel", bookArgs, signal);
  assert.ok(error);
  assert.equal(calls.length, 0);
});
