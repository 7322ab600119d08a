-- No webhook RPC is JIT-compiled. PostgreSQL JIT-compiles a plan whose estimated cost passes jit_above_cost (100 000),
-- and it estimates 1 000 rows for every set-returning function it cannot see into (a plpgsql one, generate_series over
-- times in PG 15): nested, those estimates pass it although the calls return a few dozen rows. Compiling then took
-- ~250 ms a statement (inlining and optimization), every call: the grid that starts again at each local midnight
-- (20261206035436) made the "nearest open times" of every refused booking such a plan, and scripts/stress' 200 callers
-- racing for one slot heard "I couldn't reach the booking system" (p50 9 s). A tool call's statements touch a few
-- dozen rows; compiling them never pays. The setting holds for every statement the RPC runs, nested functions too.
-- pgTAP 30 checks every webhook RPC carries it; pgTAP 69 that no statement of a tool call was JIT-compiled.
-- `CREATE OR REPLACE FUNCTION` replaces function settings: a later migration that redefines one must repeat it, as
-- it repeats the time budget (20261129130000_rpc_time_budget.sql).
do $$
declare
  v_fn regprocedure;
begin
  for v_fn in
    select p.oid::regprocedure
    from pg_catalog.pg_proc as p
    where p.pronamespace = 'public'::regnamespace
      and p.prokind = 'f'
      and p.proname ~ '^(resolve_org_and_.*|record_call_event|route_assistant_request|transfer_destination)$'
  loop
    execute pg_catalog.format('alter function %s set jit = off', v_fn);
  end loop;
end;
$$;
