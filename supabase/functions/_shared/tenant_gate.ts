/**
 * At most `TENANT_RPCS_IN_FLIGHT` RPCs of one tenant at a time in this isolate (issue 12): bookings of one
 * organization stuck behind a lock must not take every connection of the database pool while other tenants wait.
 * A waiter gives up when its RPC's signal aborts (the RPC's own budget), and never calls the database afterwards.
 */
import type { RpcTransport } from "./rpc.ts";
import type { TenantKeys } from "./schemas.ts";

/** Below PostgREST's smallest pool (5 locally), so one tenant always leaves a connection to the others. */
export const TENANT_RPCS_IN_FLIGHT = 4;

const active = new Map<string, number>();
const queues = new Map<string, (() => void)[]>();

/** The key a request's RPCs share: the tenant key SQL resolves first (assistant, then line). */
export function tenantGateKey(keys: TenantKeys): string {
  if (keys.assistantId) return `assistant:${keys.assistantId}`;
  if (keys.phoneNumberId) return `line-id:${keys.phoneNumberId}`;
  return keys.phoneNumber ? `line:${keys.phoneNumber}` : "none";
}

function acquire(key: string, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  const inFlight = active.get(key) ?? 0;
  if (inFlight < TENANT_RPCS_IN_FLIGHT) {
    active.set(key, inFlight + 1);
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    const queue = queues.get(key) ?? [];
    queues.set(key, queue);
    const onAbort = () => {
      queue.splice(queue.indexOf(grant), 1);
      if (queue.length === 0) queues.delete(key);
      reject(signal.reason);
    };
    const grant = () => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    };
    queue.push(grant);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

function release(key: string): void {
  const queue = queues.get(key);
  const next = queue?.shift();
  if (queue?.length === 0) queues.delete(key);
  if (next) return next(); // the slot passes to the next waiter
  const inFlight = (active.get(key) ?? 1) - 1;
  if (inFlight > 0) active.set(key, inFlight);
  else active.delete(key);
}

/** `transport` whose calls wait for one of the tenant's slots first. */
export function gateTransport(transport: RpcTransport, key: string): RpcTransport {
  return {
    call: async (fn, args, signal, deadline) => {
      await acquire(key, signal);
      try {
        return await transport.call(fn, args, signal, deadline);
      } finally {
        release(key);
      }
    },
  };
}
