/**
 * At most `TENANT_RPCS_IN_FLIGHT` RPCs of one tenant at a time in this isolate (issue 12): bookings of one
 * organization stuck behind a lock must not take every connection of the database pool while other tenants wait.
 * A waiter gives up when its RPC's signal aborts (the RPC's own budget), and never calls the database afterwards.
 * Tenants are told apart by the organization SQL resolved earlier for the request's keys, else by those keys.
 */
import type { RpcTransport } from "./rpc.ts";
import type { TenantKeys } from "./schemas.ts";

/** Below PostgREST's smallest pool (5 locally), so one tenant always leaves a connection to the others. */
export const TENANT_RPCS_IN_FLIGHT = 4;

const active = new Map<string, number>();
const queues = new Map<string, (() => void)[]>();

/** Request keys → the organization an earlier RPC resolved them to; the most recently used last. */
const learned = new Map<string, string>();
/** Enough for every line and assistant of a large deployment; the oldest are forgotten first (~1 MB at most). */
export const LEARNED_KEYS_MAX = 10_000;

/** A request's tenant keys as gate keys, in SQL's order of resolution (assistant → line id → line → call id). */
function requestKeys(keys: TenantKeys) {
  return {
    assistant_id: keys.assistantId ? [`assistant:${keys.assistantId}`] : [],
    phone_number: [
      ...(keys.phoneNumberId ? [`line-id:${keys.phoneNumberId}`] : []),
      ...(keys.phoneNumber ? [`line:${keys.phoneNumber}`] : []),
    ],
    call_id: keys.callId ? [`call:${keys.callId}`] : [],
  };
}

/**
 * The gate a request's RPCs share: its organization once an earlier RPC resolved one of its keys (so a tenant with
 * several assistants or lines is one tenant here), else its first key. A request without any key has nothing SQL
 * could resolve, so those share one gate.
 */
export function tenantGateKey(keys: TenantKeys): string {
  const all = Object.values(requestKeys(keys)).flat();
  for (const key of all) {
    const organizationId = learned.get(key);
    if (organizationId) return `org:${organizationId}`;
  }
  return all[0] ?? "none";
}

/** Remembers what SQL resolved: the key it resolved by (`resolved_by`) and the call id, which belongs to that tenant
 * unless already learnt for another. */
function learn(keys: TenantKeys, data: unknown): void {
  const { organization_id: organizationId, resolved_by: resolvedBy } = (data ?? {}) as Record<string, unknown>;
  if (typeof organizationId !== "string") return;
  const byKind = requestKeys(keys);
  const resolvedKeys = typeof resolvedBy === "string" && Object.hasOwn(byKind, resolvedBy)
    ? byKind[resolvedBy as keyof typeof byKind]
    : [];
  // A call id learnt for one organization stays its own: another's message under it (forged or misrouted) never
  // moves the call's requests behind that organization's gate — unless SQL found the call by its id (then it is).
  const ownCall = byKind.call_id.filter((key) =>
    resolvedBy === "call_id" || (learned.get(key) ?? organizationId) === organizationId
  );
  for (const key of [...resolvedKeys, ...ownCall]) {
    learned.delete(key); // re-inserted as the most recent
    learned.set(key, organizationId);
  }
  for (const oldest of learned.keys()) {
    if (learned.size <= LEARNED_KEYS_MAX) break;
    learned.delete(oldest);
  }
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

/** `transport` whose calls wait for one of the tenant's slots first, and teach the gate what SQL resolved. */
export function gateTransport(transport: RpcTransport, keys: TenantKeys): RpcTransport {
  return {
    call: async (fn, args, signal, deadline, attempt) => {
      const key = tenantGateKey(keys);
      await acquire(key, signal);
      try {
        const reply = await transport.call(fn, args, signal, deadline, attempt);
        if (!reply.error) learn(keys, reply.data);
        return reply;
      } finally {
        release(key);
      }
    },
    get reachability() { // read when an RPC runs: the lazy transport creates its client on the first RPC only
      return transport.reachability;
    },
  };
}
