-- =====================================================================================================================
-- Section - A database-side time budget for every webhook RPC
-- =====================================================================================================================
-- A failure answer must mean nothing was written. The function gives up on an RPC after VAPI_RPC_TIMEOUT_MS (8 s;
-- assistant-request 5 s); if the database carried on past that point it could commit a booking the caller was told
-- had failed. So the database gives up first, and rolls back:
--   lock_timeout 1 s      — any single lock wait (a table or row held by another session, a concurrent insert of the
--                           same key). Read by PostgreSQL when each wait starts, so a function's SET clause bounds the
--                           waits inside the running call, on hosted Supabase and locally alike.
--   statement_timeout 4 s — the whole call. PostgREST >= 12.2 (hosted Supabase) "hoists" a function's
--                           statement_timeout into the transaction before calling it (db-hoisted-tx-settings); a SET
--                           clause alone cannot re-arm the timer of the statement already running.
-- Nesting (checked by supabase/functions/_shared/db_budget.ts): 4 s (database) < 5 s / 8 s (function) < 7.5 s / 20 s
-- (Vapi's deadlines for assistant-request / tool calls).
-- The webhook RPCs are the functions vapi-webhook calls: resolve_org_and_*, record_call_event, route_assistant_request.
-- `CREATE OR REPLACE FUNCTION` replaces these settings: a later migration that redefines one must repeat them
-- (pgTAP 30-time-budget.sql and tests/e2e/time_budget.test.ts fail otherwise).
do $$
declare
  v_fn regprocedure;
begin
  for v_fn in
    select p.oid::regprocedure
    from pg_catalog.pg_proc as p
    where p.pronamespace = 'public'::regnamespace
      and p.prokind = 'f'
      and p.proname ~ '^(resolve_org_and_.*|record_call_event|route_assistant_request)$'
  loop
    execute pg_catalog.format('alter function %s set lock_timeout = %L', v_fn, '1s');
    execute pg_catalog.format('alter function %s set statement_timeout = %L', v_fn, '4s');
  end loop;
end;
$$;
