-- A webhook RPC whose caller has given up (x-rpc-deadline in the past) cannot commit anything
-- (20261129130200_rpc_deadline.sql). The deferred triggers are fired here by SET CONSTRAINTS ALL IMMEDIATE (what COMMIT does).
begin;
select plan(9);

select is_empty($$
  select t from unnest(array['appointments', 'tool_call_executions', 'call_logs']) as t
  where not exists (select 1 from pg_catalog.pg_trigger g
                    where g.tgrelid = pg_catalog.to_regclass('public.' || t) and g.tgname = t || '_rpc_deadline'
                      and g.tgdeferrable and g.tginitdeferred) $$,
  'every table a webhook RPC writes refuses a late commit (deferred constraint trigger)');

create function pg_temp.deadline_in(p_seconds integer) returns void language sql as $$
  select set_config('request.headers', json_build_object('x-rpc-deadline',
    ((extract(epoch from clock_timestamp()) + p_seconds) * 1000)::bigint::text)::text, true)
$$;
create function pg_temp.book(p_call text, p_hour integer) returns jsonb language sql as $$
  select public.resolve_org_and_book(p_assistant_id => 'asst_hvac_company_assistant', p_vapi_call_id => p_call,
    p_tool_call_id => 'tc_1', p_arguments => jsonb_build_object('customer_name', 'Pat 33', 'start_time',
      to_char(date_trunc('week', now()) + interval '16 days' + make_interval(hours => p_hour), 'YYYY-MM-DD"T"HH24:MI')))
$$;
create function pg_temp.event(p_call text) returns jsonb language sql as $$
  select public.record_call_event(p_assistant_id => 'asst_hvac_company_assistant', p_vapi_call_id => p_call,
                                  p_event => '{"status": "in-progress"}')
$$;
-- What a tool call says when it is refused at once (the same error, raised before any work).
create function pg_temp.try_book(p_call text, p_hour integer) returns text language plpgsql as $$
begin
  perform pg_temp.book(p_call, p_hour);
  return 'ran';
exception when query_canceled then
  return sqlerrm;
end;
$$;
-- What COMMIT would say: pgTAP's throws_ok cannot catch query_canceled (WHEN OTHERS never does), this can.
create function pg_temp.commit_outcome() returns text language plpgsql as $$
begin
  set constraints all immediate;
  set constraints all deferred;
  return 'committed';
exception when query_canceled then
  return sqlerrm;
end;
$$;
grant execute on all functions in schema pg_temp to service_role;
select tests.authenticate_as_service_role() \gset

-- No header (a direct SQL session, or a caller that sends none): nothing changes.
select pg_temp.event('call_33_none') \gset
select is(pg_temp.commit_outcome(), 'committed', 'without x-rpc-deadline the event is recorded');

-- A deadline in the future: the write stands.
select pg_temp.deadline_in(60) \gset
select pg_temp.book('call_33_future', 9) \gset
select is(pg_temp.commit_outcome(), 'committed', 'a booking before its deadline commits');

-- A deadline already passed: the same writes are refused at commit.
select pg_temp.deadline_in(-1) \gset
savepoint late;
select is(pg_temp.try_book('call_33_late', 11), 'the caller gave up on this request before it started; nothing was done',
  'a tool call whose deadline passed before it started is refused at once, before any work');
select is_empty($$ select 1 from public.appointments where vapi_call_id = 'call_33_late'
                   union all select 1 from public.tool_call_executions where vapi_call_id = 'call_33_late' $$,
  'the refused tool call wrote nothing');
rollback to savepoint late;
-- A deadline that passes while the booking runs: refused at commit.
select pg_temp.deadline_in(1) \gset
select pg_temp.book('call_33_slow', 11) \gset
select pg_sleep(1.1);
select is(pg_temp.commit_outcome(), 'the caller gave up on this request before it could commit; rolled back',
  'a booking whose deadline passed while it ran is refused at commit');
rollback to savepoint late;
select pg_temp.deadline_in(-1) \gset
select pg_temp.event('call_33_late') \gset
select is(pg_temp.commit_outcome(), 'the caller gave up on this request before it could commit; rolled back',
  'a lifecycle event after its deadline is refused');
rollback to savepoint late;

-- A malformed header is ignored rather than trusted.
select set_config('request.headers', '{"x-rpc-deadline": "soon"}', true) \gset
select pg_temp.event('call_33_malformed') \gset
select is(pg_temp.commit_outcome(), 'committed', 'a malformed x-rpc-deadline is ignored');
reset role;
select is((select count(*)::int from public.appointments where vapi_call_id = 'call_33_late'), 0,
  'nothing of the late booking is left');

select * from finish();
rollback;
