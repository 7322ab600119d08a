/**
 * scripts/bench's peer-style function: the vapi-webhook function itself — same authentication, parsing, dispatch,
 * budget, log line and answer to Vapi — with the seed's data access in place of the product's one RPC: a
 * book_appointment looks the tenant up by assistant id, then by line, then by call id, then inserts, each its own RPC
 * (defined by bench-load.sql in the bench's database only). Like the seed, it checks nothing else: no idempotency,
 * business hours, staff, service or call log, and the start time is taken as UTC. Served by a gateway of its own
 * (local-stack/main.ts --handler).
 */
import { denoEnv, loadConfig } from "../../supabase/functions/_shared/config.ts";
import { consoleSink } from "../../supabase/functions/_shared/log.ts";
import { lazyServiceTransport, type RpcTransport } from "../../supabase/functions/_shared/rpc.ts";
import { createHandler } from "../../supabase/functions/vapi-webhook/handler.ts";

const APPOINTMENT_MINUTES = 30;

/** The seed's lookups in its order: each key that is present, as its own RPC, until one finds the tenant. */
const LOOKUPS = [
  ["assistant_id", "bench_peer_org_by_assistant", "p_assistant_id"],
  ["phone_number", "bench_peer_org_by_line", "p_phone_number"],
  ["call_id", "bench_peer_org_by_call", "p_vapi_call_id"],
] as const;

/** `rpc` with resolve_org_and_book done the peer's way (1 + the lookups it needs RPCs); nothing else is served. */
export function peerTransport(rpc: RpcTransport): RpcTransport {
  return {
    call: async (fn, args, signal, deadline) => {
      if (fn !== "resolve_org_and_book") return { data: null, error: { message: `the peer books only, not ${fn}` } };
      let organization: unknown = null, resolvedBy: string | null = null;
      for (const [by, lookup, key] of LOOKUPS) {
        if (args[key] === null || args[key] === undefined) continue;
        const { data, error } = await rpc.call(lookup, { [key]: args[key] }, signal, deadline);
        if (error) return { data, error };
        if (data !== null) {
          [organization, resolvedBy] = [data, by];
          break;
        }
      }
      if (organization === null) {
        return { data: { ok: false, error: "Unknown organization.", reason: "unknown_tenant" }, error: null };
      }
      const booking = args.p_arguments as { start_time: string; customer_name: string };
      const start = new Date(`${booking.start_time}Z`);
      const { data, error } = await rpc.call(
        "bench_peer_insert_appointment",
        {
          p_organization_id: organization,
          p_start_time: start.toISOString(),
          p_end_time: new Date(start.getTime() + APPOINTMENT_MINUTES * 60_000).toISOString(),
          p_customer_name: booking.customer_name,
          p_vapi_call_id: args.p_vapi_call_id,
          p_tool_call_id: args.p_tool_call_id,
        },
        signal,
        deadline,
      );
      if (error) return { data, error };
      return {
        data: {
          ok: true,
          result: { status: "booked", appointment_id: data },
          reason: "booked",
          organization_id: organization,
          resolved_by: resolvedBy,
        },
        error: null,
      };
    },
  };
}

const config = loadConfig(denoEnv);
export const handler = createHandler({
  config,
  rpc: peerTransport(lazyServiceTransport(config)),
  log: consoleSink,
  now: Date.now,
});
