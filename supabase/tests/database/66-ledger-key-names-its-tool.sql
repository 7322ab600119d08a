-- A ledger key replays only the tool it was claimed for (20261204080700_ledger_key_names_its_tool.sql): a cancel sent
-- under a booking's (call id, tool call id) is refused as a conflict, not answered "booked"; a redelivery still replays.
begin;
select plan(5);

select d as day from (select (current_date + n)::text as d from generate_series(10, 16) as n) as x
 where extract(isodow from d::date) < 6 limit 1 \gset
create temp table rpc (k text primary key, r jsonb);
grant select, insert on rpc to service_role;
select tests.authenticate_as_service_role();
insert into rpc values ('book', public.resolve_org_and_book('asst_hvac_company_assistant', null, 'call_ledger_66', 'same-id',
  jsonb_build_object('start_time', :'day' || 'T09:00', 'customer_name', 'Kim'), null, '+15557776666'));
insert into rpc values ('again', public.resolve_org_and_book('asst_hvac_company_assistant', null, 'call_ledger_66', 'same-id',
  jsonb_build_object('start_time', :'day' || 'T09:00', 'customer_name', 'Kim'), null, '+15557776666'));
insert into rpc values ('cancel', public.resolve_org_and_cancel('asst_hvac_company_assistant', null, 'call_ledger_66', 'same-id',
  '{}', null, '+15557776666'));
reset role;

select is((select r->>'reason' from rpc where k = 'book'), 'booked', 'booked');
select is((select (r->>'replayed')::boolean from rpc where k = 'again'), true, 'the same tool again under the key: replayed');
select results_eq($$ select (r->>'ok')::boolean, r->>'reason', r->>'error', r->>'result' from rpc where k = 'cancel' $$,
  $$ values (false, 'tool_call_conflict', 'I could not complete that request. Please try again.', null::text) $$,
  'another tool under the same key: a conflict, not the booking''s "booked"');
select is((select status from public.appointments where vapi_call_id = 'call_ledger_66'), 'scheduled',
  'the appointment was neither cancelled');
select is((select count(*)::int from public.appointments where vapi_call_id = 'call_ledger_66'), 1, '… nor booked twice');

select * from finish();
rollback;
