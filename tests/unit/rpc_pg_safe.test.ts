// What PostgreSQL's JSON → text conversion rejects (and logs with the payload around it) never leaves the function.
import assert from "node:assert/strict";
import { z } from "zod";
import { callRpc, type RpcTransport } from "../../supabase/functions/_shared/rpc.ts";
import { pgSafeArgs } from "../../supabase/functions/_shared/pg_safe.ts";

Deno.test("pgSafeArgs: U+0000 and lone surrogates become U+FFFD, in values and keys, at any depth", () => {
  const args = {
    p_vapi_call_id: "call\u0000",
    p_arguments: { customer_name: "Da\u0000na", ["k\ud800"]: ["\udc00x", { deep: "a\ud800" }], n: 3, ok: null },
  };
  assert.deepEqual(pgSafeArgs(args), {
    p_vapi_call_id: "call\ufffd",
    p_arguments: { customer_name: "Da\ufffdna", ["k\ufffd"]: ["\ufffdx", { deep: "a\ufffd" }], n: 3, ok: null },
  });
});

Deno.test("pgSafeArgs: clean arguments are passed as they are (same object); pairs and escaped text survive", () => {
  const clean = { p_arguments: { customer_name: "Zoë 😀", notes: "+15551234567" } };
  assert.equal(pgSafeArgs(clean), clean);
  const mixed = { a: "\u0000", b: "😀", c: "\\u0000", d: "\\\u0000", e: "\\\\ud800" };
  assert.deepEqual(pgSafeArgs(mixed), { a: "\ufffd", b: "😀", c: "\\u0000", d: "\\\ufffd", e: "\\\\ud800" });
});

Deno.test("callRpc sends the cleaned arguments", async () => {
  let sent: unknown;
  const transport: RpcTransport = {
    call: (_fn, args) => (sent = args, Promise.resolve({ data: {}, error: null })),
  };
  await callRpc(transport, "record_call_event", { p_vapi_call_id: "c\u0000" }, z.unknown(), 1000);
  assert.deepEqual(sent, { p_vapi_call_id: "c\ufffd" });
});
