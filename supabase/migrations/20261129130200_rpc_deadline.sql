-- =====================================================================================================================
-- Section - Never commit after the caller has given up
-- =====================================================================================================================
-- statement_timeout starts when the statement starts. A request that waited in PostgREST's connection pool (its
-- acquisition timeout is 10 s, longer than the function's 8 s) can start after the function already answered "I
-- couldn't reach the booking system" — and then commit a booking nobody was told about. So the function sends its
-- deadline with every RPC, header `x-rpc-deadline: <epoch milliseconds>` (PostgREST exposes request headers as the
-- transaction setting `request.headers`), and a deferred constraint trigger on every table a webhook RPC writes refuses
-- the COMMIT once that moment has passed: the whole transaction rolls back. Without the header nothing changes.

/** Raises query_canceled (57014) at commit when the request's `x-rpc-deadline` (epoch ms) has passed. */
create or replace function private.enforce_rpc_deadline()
  returns trigger
  language plpgsql
  set search_path = ''
as $$
declare
  v_deadline text := nullif(pg_catalog.current_setting('request.headers', true), '')::json
                     ->> 'x-rpc-deadline';
begin
  if v_deadline ~ '^[0-9]{1,15}$'
     and pg_catalog.clock_timestamp() > pg_catalog.to_timestamp(v_deadline::bigint / 1000.0) then
    raise exception using errcode = 'query_canceled',
      message = 'the caller gave up on this request before it could commit; rolled back';
  end if;
  return null;
end;
$$;
revoke all on function private.enforce_rpc_deadline() from public;

create constraint trigger appointments_rpc_deadline
  after insert or update on public.appointments
  deferrable initially deferred
  for each row execute function private.enforce_rpc_deadline();
create constraint trigger tool_call_executions_rpc_deadline
  after insert or update on public.tool_call_executions
  deferrable initially deferred
  for each row execute function private.enforce_rpc_deadline();
create constraint trigger call_logs_rpc_deadline
  after insert or update on public.call_logs
  deferrable initially deferred
  for each row execute function private.enforce_rpc_deadline();
