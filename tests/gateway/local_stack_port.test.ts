// local-stack/main.ts opens its port patiently when only a client connection holds it (our ports lie in Linux's
// ephemeral range) and fails at once when another server listens there.
import assert from "node:assert/strict";
import { PortInUse, startOnPort } from "../../local-stack/main.ts";
import type { RunningGateway } from "../../local-stack/gateway.ts";

const opened = { url: "http://127.0.0.1:1" } as unknown as RunningGateway;

/** A start() that finds the port taken `times` times, then opens. */
function busyFor(times: number) {
  let calls = 0;
  return {
    start: () => {
      calls++;
      return calls <= times ? Promise.reject(new Deno.errors.AddrInUse("in use")) : Promise.resolve(opened);
    },
    calls: () => calls,
  };
}

/** A port nobody listens on (taken from the OS, then released). */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

Deno.test("a port only a client connection holds is retried until it opens", async () => {
  const busy = busyFor(2);
  assert.equal(await startOnPort(freePort(), busy.start, { pauseMs: 10 }), opened);
  assert.equal(busy.calls(), 3);
});

Deno.test("a port another server listens on fails at once; one busy through every retry fails too", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const port = (listener.addr as Deno.NetAddr).port;
    const busy = busyFor(100);
    await assert.rejects(startOnPort(port, busy.start, { pauseMs: 10 }), PortInUse);
    assert.equal(busy.calls(), 1, "no retry while a server listens");
  } finally {
    listener.close();
  }
  const stuck = busyFor(100);
  await assert.rejects(startOnPort(freePort(), stuck.start, { attempts: 3, pauseMs: 10 }), /held by a connection/);
  assert.equal(stuck.calls(), 3);
});

Deno.test("any other start-up error is passed on, not retried", async () => {
  let calls = 0;
  const start = () => {
    calls++;
    return Promise.reject(new Error("no database"));
  };
  await assert.rejects(startOnPort(freePort(), start, { pauseMs: 10 }), /no database/);
  assert.equal(calls, 1);
});
