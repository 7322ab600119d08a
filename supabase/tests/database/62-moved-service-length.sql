-- A moved job of a service keeps the service's length; `duration_minutes` sets only a job without a service
-- (20261204080300_moved_service_keeps_its_length.sql).
begin;
select plan(5);

insert into public.organizations (id, name, timezone) values
  ('62000000-0000-4000-8000-00000000000a', 'Length A', 'America/New_York');
insert into public.customer_configurations (organization_id, vapi_assistant_id) values
  ('62000000-0000-4000-8000-00000000000a', 'asst_length_a');
insert into public.business_hours (organization_id, weekday, opens_at, closes_at)
select '62000000-0000-4000-8000-00000000000a', d, '08:00', '18:00' from generate_series(0, 6) as d;
insert into public.staff_members (organization_id, name) values ('62000000-0000-4000-8000-00000000000a', 'Ann Lee');
insert into public.services (organization_id, name, duration_minutes, buffer_minutes) values
  ('62000000-0000-4000-8000-00000000000a', 'AC repair', 90, 30);

-- A weekday two to three weeks ahead: the seed's HVAC company (the job without a service below) is open Mon–Fri.
select d as day from (select (current_date + n)::text as d from generate_series(14, 20) as n) as x
 where extract(isodow from d::date) < 6 limit 1 \gset
create temp table rpc (k text primary key, r jsonb);
grant select, insert on rpc to service_role;
select tests.authenticate_as_service_role();
insert into rpc values ('alice', public.resolve_org_and_book('asst_length_a', null, 'call_len_a', 'tc_1',
  jsonb_build_object('start_time', :'day' || 'T10:00', 'customer_name', 'Alice', 'service', 'AC repair'), null, '+15550001111'));
insert into rpc values ('shrink', public.resolve_org_and_reschedule('asst_length_a', null, 'call_len_a', 'tc_2',
  jsonb_build_object('start_time', :'day' || 'T10:00', 'new_start_time', :'day' || 'T10:00', 'duration_minutes', 5),
  null, '+15550001111'));
insert into rpc values ('bob', public.resolve_org_and_book('asst_length_a', null, 'call_len_b', 'tc_1',
  jsonb_build_object('start_time', :'day' || 'T10:35', 'customer_name', 'Bob', 'service', 'AC repair')));
insert into rpc values ('stretch', public.resolve_org_and_reschedule('asst_length_a', null, 'call_len_a', 'tc_3',
  jsonb_build_object('start_time', :'day' || 'T10:00', 'new_start_time', :'day' || 'T13:00', 'duration_minutes', 480),
  null, '+15550001111'));
reset role;

select is((select r->>'reason' from rpc where k = 'bob'), 'slot_taken',
  'after "it only takes 5 minutes", Ann''s 10:00 repair still holds 10:35: Bob is refused');
select is((select r->>'reason' from rpc where k = 'stretch'), 'rescheduled', 'the repair moves to 13:00');
select results_eq($$ select to_char(start_time at time zone 'America/New_York', 'HH24:MI'),
                            to_char(end_time at time zone 'America/New_York', 'HH24:MI'),
                            to_char(blocked_until at time zone 'America/New_York', 'HH24:MI')
                     from public.appointments where organization_id = '62000000-0000-4000-8000-00000000000a'
                      and is_active $$,
  $$ values ('13:00', '14:30', '15:00') $$, '… with the service''s 90 minutes and 30-minute buffer, not 480 minutes');
select is((select count(*)::int from public.appointments where organization_id = '62000000-0000-4000-8000-00000000000a'
            and is_active), 1, 'one active job: nothing else was booked');

-- A job without a service still takes the length asked for.
select tests.authenticate_as_service_role();
insert into rpc values ('plain', public.resolve_org_and_book('asst_hvac_company_assistant', null, 'call_len_p', 'tc_1',
  jsonb_build_object('start_time', :'day' || 'T10:00', 'customer_name', 'Pat'), null, '+15550002222'));
insert into rpc values ('plain_move', public.resolve_org_and_reschedule('asst_hvac_company_assistant', null, 'call_len_p',
  'tc_2', jsonb_build_object('new_start_time', :'day' || 'T11:00', 'duration_minutes', 30), null, '+15550002222'));
reset role;
select is((select extract(epoch from a.end_time - a.start_time)::int / 60 from public.appointments as a
           where a.id = ((select r->>'result' from rpc where k = 'plain_move')::jsonb ->> 'appointment_id')::uuid), 30,
  'a job without a service moved with duration_minutes 30 lasts 30 minutes');

select * from finish();
rollback;
