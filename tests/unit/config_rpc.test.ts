import assert from "node:assert/strict";
import { createClient } from "@supabase/supabase-js";
import { z } from "zod";
import { COMMIT_MARGIN_MS } from "../../supabase/functions/_shared/budget.ts";
import {
  configProblems,
  DEFAULT_RPC_TIMEOUT_MS,
  loadConfig,
  readSecretKey,
} from "../../supabase/functions/_shared/config.ts";
import {
  callRpc,
  callRpcPatiently,
  getServiceTransport,
  supabaseTransport,
} from "../../supabase/functions/_shared/rpc.ts";
import { rpcForTool, toSingleLine } from "../../supabase/functions/_shared/tools.ts";
import { testConfig } from "./_helpers.ts";

const env = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test("config: SUPABASE_SECRET_KEYS.default wins, then SUPABASE_SERVICE_ROLE_KEY", () => {
  assert.equal(readSecretKey(env({ SUPABASE_SECRET_KEYS: '{"default":"sb_secret_x"}' })), "sb_secret_x");
  assert.equal(
    readSecretKey(env({ SUPABASE_SECRET_KEYS: '{"default":"sb_secret_x"}', SUPABASE_SERVICE_ROLE_KEY: "jwt" })),
    "sb_secret_x",
  );
  for (const bad of ["{not json", "[]", '"text"', '{"other":"k"}', '{"default":42}', '{"default":""}', "null"]) {
    assert.equal(readSecretKey(env({ SUPABASE_SECRET_KEYS: bad, SUPABASE_SERVICE_ROLE_KEY: "jwt" })), "jwt", bad);
    assert.equal(readSecretKey(env({ SUPABASE_SECRET_KEYS: bad })), null, bad);
    const unreadable: string[] = [];
    readSecretKey(env({ SUPABASE_SECRET_KEYS: bad }), unreadable);
    assert.match(unreadable.join(), /SUPABASE_SECRET_KEYS is not a JSON object with a "default" key.*no key/, bad);
  }
  assert.match(
    configProblems(loadConfig(env({ SUPABASE_SECRET_KEYS: "{bad", SUPABASE_SERVICE_ROLE_KEY: "jwt" }))).join("; "),
    /SUPABASE_SECRET_KEYS is not a JSON object.*SUPABASE_SERVICE_ROLE_KEY is used instead/,
    "named at start",
  );
});

Deno.test("config: secrets, URL and timeouts; empty values count as unset", () => {
  const config = loadConfig(env({
    VAPI_WEBHOOK_SECRET: "s",
    VAPI_WEBHOOK_SECRET_PREVIOUS: "old",
    VAPI_WEBHOOK_HMAC_SECRET: " ",
    SUPABASE_URL: "http://127.0.0.1:54321",
    SUPABASE_SERVICE_ROLE_KEY: "jwt",
  }));
  assert.deepEqual(config, {
    webhookSecret: "s",
    previousWebhookSecret: "old",
    hmacSecret: null,
    supabaseUrl: "http://127.0.0.1:54321",
    supabaseSecretKey: "jwt",
    rpcTimeoutMs: DEFAULT_RPC_TIMEOUT_MS,
    assistantRequestTimeoutMs: 5000,
    unreadable: [],
    timeoutProblems: [],
  });
  assert.equal(loadConfig(env({ VAPI_WEBHOOK_SECRET: "" })).webhookSecret, null);
  assert.equal(loadConfig(env({ VAPI_RPC_TIMEOUT_MS: "6000" })).rpcTimeoutMs, 6000);
  assert.equal(loadConfig(env({ VAPI_RPC_TIMEOUT_MS: "4600" })).assistantRequestTimeoutMs, 4600);
  assert.equal(loadConfig(env({ VAPI_RPC_TIMEOUT_MS: "250" })).rpcTimeoutMs, DEFAULT_RPC_TIMEOUT_MS, "does not nest");
  assert.equal(loadConfig(env({ VAPI_RPC_TIMEOUT_MS: "-1" })).rpcTimeoutMs, DEFAULT_RPC_TIMEOUT_MS);
  assert.equal(loadConfig(env({ VAPI_RPC_TIMEOUT_MS: "abc" })).rpcTimeoutMs, DEFAULT_RPC_TIMEOUT_MS);
});

Deno.test("rpc: supabaseTransport makes exactly one .rpc(name, args).abortSignal(signal) call, with the deadline header", async () => {
  const seen: unknown[] = [];
  const answer = Promise.resolve({ data: 1, error: null, status: 200 });
  const client = {
    rpc(fn: string, args: unknown) {
      seen.push(["rpc", fn, args]);
      const query = Object.assign(answer, {
        setHeader: (name: string, value: string) => (seen.push(["setHeader", name, value]), query),
      });
      return { abortSignal: (signal: AbortSignal) => (seen.push(["abortSignal", signal]), query) };
    },
  };
  const signal = new AbortController().signal;
  // deno-lint-ignore no-explicit-any
  const transport = supabaseTransport(client as any);
  assert.deepEqual(await transport.call("f", { p: 1 }, signal), { data: 1, error: null, status: 200 });
  assert.deepEqual(seen, [["rpc", "f", { p: 1 }], ["abortSignal", signal]]);
  seen.length = 0;
  assert.deepEqual(await transport.call("f", { p: 1 }, signal, 1_700_000_000_123.7), {
    data: 1,
    error: null,
    status: 200,
  });
  assert.deepEqual(seen, [["rpc", "f", { p: 1 }], ["abortSignal", signal], [
    "setHeader",
    "x-rpc-deadline",
    "1700000000123",
  ]]);
  // A retry says which try it is (the database tells it from another delivery); a first try says nothing.
  for (const [attempt, sent] of [[1, []], [3, [["setHeader", "x-rpc-attempt", "3"]]]] as const) {
    seen.length = 0;
    await transport.call("f", {}, signal, undefined, attempt);
    assert.deepEqual(seen.slice(2), sent, `attempt ${attempt}`);
  }
});

Deno.test("rpc: callRpcPatiently numbers its tries for the transport (1, then 2, 3 …)", async () => {
  const attempts: (number | undefined)[] = [];
  const outcome = await callRpcPatiently(
    {
      call: (_fn, _args, _signal, _deadline, attempt) => {
        attempts.push(attempt);
        return Promise.resolve(
          attempts.length < 3 ? { data: null, error: { code: "40001", message: "retry" } } : { data: 1, error: null },
        );
      },
    },
    "resolve_org_and_book",
    {},
    z.unknown(),
    4000,
    "transient",
  );
  assert.equal(outcome.ok, true);
  assert.deepEqual(attempts, [1, 2, 3]);
});

Deno.test("rpc: callRpc hands the transport the database's deadline (now + timeout − the commit margin)", async () => {
  let deadline: number | undefined;
  const before = Date.now();
  await callRpc(
    {
      call: (_fn, _args, _signal, d) => (deadline = d, Promise.resolve({ data: 1, error: null })),
    },
    "resolve_org_and_book",
    {},
    z.unknown(),
    3000,
  );
  const want = 3000 - COMMIT_MARGIN_MS;
  assert.ok(deadline! >= before + want && deadline! <= Date.now() + want, `deadline ${deadline}`);
});

Deno.test("rpc: a real supabase-js client against a closed port → failure value, not an exception", async () => {
  const client = createClient("http://127.0.0.1:59997", "key", {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
  const outcome = await callRpc(supabaseTransport(client), "resolve_org_and_book", {}, z.unknown(), 2000);
  assert.equal(outcome.ok, false);
  assert.match((outcome as { detail: string }).detail, /^resolve_org_and_book: /);
});

Deno.test("rpc: missing database configuration → every call fails as a value", async () => {
  const transport = getServiceTransport(testConfig({ supabaseUrl: null }));
  const outcome = await callRpc(transport, "record_call_event", {}, z.unknown(), 100);
  assert.equal(outcome.ok, false);
  assert.match((outcome as { detail: string }).detail, /SUPABASE_URL/);
});

Deno.test("tools: own-property lookup only", () => {
  assert.equal(rpcForTool("book_appointment"), "resolve_org_and_book");
  assert.equal(rpcForTool("check_availability"), "resolve_org_and_check_availability");
  assert.equal(rpcForTool("cancel_appointment"), "resolve_org_and_cancel");
  assert.equal(rpcForTool("reschedule_appointment"), "resolve_org_and_reschedule");
  for (const name of ["toString", "__proto__", "constructor", "valueOf", "", "Book_Appointment"]) {
    assert.equal(rpcForTool(name), null, name);
  }
});

Deno.test("tools: toSingleLine", () => {
  assert.equal(toSingleLine("a\r\nb\nc\rd"), "a b c d");
  assert.equal(toSingleLine({ a: "x\ny" }), '{"a":"x\\ny"}');
  assert.equal(toSingleLine(42), "42");
  // Unicode's and Python's splitlines() line ends: VT, FF, FS, GS, RS, NEL, LS, PS.
  const breaks = ["\u000b", "\u000c", "\u001c", "\u001d", "\u001e", "\u0085", "\u2028", "\u2029"];
  for (const br of breaks) assert.equal(toSingleLine(`x${br}y`), "x y", JSON.stringify(br));
  assert.equal(toSingleLine("tab\tand\u00a0nbsp stay"), "tab\tand\u00a0nbsp stay");
});

Deno.test("rpc: a real supabase-js client against a server that never answers → timed out as a value", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) held.push(conn); // accept, never answer
  })().catch(() => {});
  try {
    const client = createClient(`http://127.0.0.1:${listener.addr.port}`, "key", {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    });
    const started = performance.now();
    const outcome = await callRpc(supabaseTransport(client), "resolve_org_and_book", {}, z.unknown(), 100);
    assert.ok(performance.now() - started < 1000);
    assert.equal(outcome.ok, false);
    assert.match((outcome as { detail: string }).detail, /^resolve_org_and_book: /);
  } finally {
    listener.close();
    for (const conn of held) conn.close();
    await accepting;
  }
});

Deno.test("rpc: a real supabase-js client sends the deadline header PostgREST passes to the database", async () => {
  const seen: Headers[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    seen.push(req.headers);
    return Response.json({ ok: true });
  });
  try {
    const client = createClient(`http://127.0.0.1:${server.addr.port}`, "key", {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    });
    const before = Date.now();
    const outcome = await callRpc(supabaseTransport(client), "resolve_org_and_book", {}, z.unknown(), 4000);
    assert.equal(outcome.ok, true);
    const deadline = Number(seen[0].get("x-rpc-deadline"));
    const want = 4000 - COMMIT_MARGIN_MS;
    assert.ok(deadline >= before + want && deadline <= Date.now() + want, `x-rpc-deadline ${deadline}`);
  } finally {
    await server.shutdown();
  }
});
