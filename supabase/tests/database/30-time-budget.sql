-- Every webhook RPC carries a database-side time budget below the function's RPC timeout
-- (20261129130000_rpc_time_budget.sql), and the calendar lock waits briefly instead of queueing a storm
-- (20261129130100_calendar_lock_bounded_wait.sql). Every overload of the RPCs vapi-webhook calls is checked, so a
-- redefinition without the budget fails here (tests/e2e/time_budget.test.ts checks the function's own RPC list).
begin;
select plan(8);

create temp view webhook_rpcs as
  select p.oid::regprocedure as fn, coalesce(p.proconfig, '{}') as config
  from pg_catalog.pg_proc as p
  where p.pronamespace = 'public'::regnamespace
    and p.prokind = 'f'
    and p.proname ~ '^(resolve_org_and_.*|record_call_event|route_assistant_request|transfer_destination)$';

select cmp_ok((select count(*) from webhook_rpcs)::int, '>=', 7, 'the webhook RPCs are found in the catalog');
select is_empty($$ select fn from webhook_rpcs
                   where pg_catalog.has_function_privilege('authenticated', fn, 'execute')
                      or pg_catalog.has_function_privilege('anon', fn, 'execute') $$,
  'the webhook RPCs are service_role only');
select is_empty($$ select fn from webhook_rpcs where not config @> array['lock_timeout=1s'] $$,
  'every webhook RPC bounds each lock wait (lock_timeout=1s)');
select is_empty($$ select fn from webhook_rpcs where not config @> array['statement_timeout=4s'] $$,
  'every webhook RPC carries the 4 s statement budget that PostgREST hoists (below the function''s 5 s / 8 s)');
select is_empty($$ select fn from webhook_rpcs where not config @> array['jit=off'] $$,
  'every webhook RPC runs without JIT (20261206040954_webhook_rpcs_without_jit.sql: compiling cost ~250 ms a statement)');

-- Waits across two sessions (a held lock → the RPC fails after ~1 s and rolls back) need a second connection:
-- tests/e2e/time_budget.test.ts and tests/integration/calendar_lock.test.ts.
select is(
  (select config from pg_catalog.pg_proc p, lateral (select coalesce(p.proconfig, '{}') as config) c
    where p.oid = 'private.lock_calendar(uuid)'::regprocedure),
  array['search_path=""', 'lock_timeout=500ms'],
  'the calendar lock waits at most 0.5 s, then the exclusion constraint decides');

-- Once acquired (no contention in one session), the calendar lock is held until the end of the transaction.
select private.lock_calendar('30000000-0000-4000-8000-000000000001');
select is(
  (select count(*)::int from pg_catalog.pg_locks
    where locktype = 'advisory' and pid = pg_catalog.pg_backend_pid() and granted),
  1, 'lock_calendar holds the organization''s advisory lock for the transaction');
-- The settings do not leak into the caller: only the call itself runs under them.
select is(pg_catalog.current_setting('lock_timeout'), '0', 'the caller''s lock_timeout is untouched');

select * from finish();
rollback;
