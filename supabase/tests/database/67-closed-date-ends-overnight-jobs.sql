-- A job may run past midnight while the business is open (20261204080800_closed_date_ends_overnight_jobs.sql): round
-- the clock (no business hours) but not into a closed date; from a row closing at 24:00 on into the next day's 00:00
-- row, for the organization's hours and a staff member's alike; availability agrees.
begin;
select plan(11);

insert into public.organizations (id, name, timezone) values
  ('67000000-0000-4000-8000-00000000000a', 'Always Open', 'America/New_York');
insert into public.customer_configurations (organization_id, vapi_assistant_id) values
  ('67000000-0000-4000-8000-00000000000a', 'asst_always_open');
select (current_date + 10)::text as eve, (current_date + 11)::text as holiday \gset
insert into public.closed_dates (organization_id, closed_on) values ('67000000-0000-4000-8000-00000000000a', :'holiday');

create function pg_temp.call(p_tool text, p_call text, p_args jsonb) returns jsonb language sql
as $$ select tests.tool_call(p_tool, 'asst_always_open', p_call, p_args) $$;

select is(pg_temp.call('book', 'ao_1', jsonb_build_object('start_time', :'eve' || 'T22:00', 'customer_name', 'Nora', 'duration_minutes', 480))->>'reason',
  'outside_hours', 'eight hours from 22:00 the night before a closed date: refused');
select unalike(pg_temp.call('check', 'ao_2', jsonb_build_object('from', :'eve' || 'T22:00', 'to', :'eve' || 'T22:00', 'duration_minutes', 480))->>'result',
  'Open times: %', '… and not offered');
select is(pg_temp.call('book', 'ao_3', jsonb_build_object('start_time', :'eve' || 'T22:00', 'customer_name', 'Nora', 'duration_minutes', 120))->>'reason',
  'booked', 'two hours, ending at midnight: booked');
select is(pg_temp.call('book', 'ao_4', jsonb_build_object('start_time', :'eve' || 'T10:00', 'customer_name', 'Otto', 'duration_minutes', 480))->>'reason',
  'booked', 'a day job on the eve: booked');
select is(pg_temp.call('book', 'ao_5', jsonb_build_object('start_time', (:'holiday'::date + 1)::text || 'T22:00', 'customer_name', 'Pia', 'duration_minutes', 480))->>'reason',
  'booked', 'after the closed date, a job past midnight: booked');

-- Open 18:00–24:00 and 00:00–02:00 every day; Night Staffed has one plumber who works exactly those hours.
insert into public.organizations (id, name, timezone) values
  ('67000000-0000-4000-8000-00000000000b', 'Night Plumbing', 'America/New_York'),
  ('67000000-0000-4000-8000-00000000000c', 'Night Staffed', 'America/New_York');
insert into public.customer_configurations (organization_id, vapi_assistant_id) values
  ('67000000-0000-4000-8000-00000000000b', 'asst_night_plumbing'), ('67000000-0000-4000-8000-00000000000c', 'asst_night_staffed');
insert into public.business_hours (organization_id, weekday, opens_at, closes_at)
select o, d, w.opens, w.closes from generate_series(0, 6) as d,
  (values (time '18:00', time '24:00'), (time '00:00', time '02:00')) as w(opens, closes),
  unnest(array['67000000-0000-4000-8000-00000000000b', '67000000-0000-4000-8000-00000000000c']::uuid[]) as o;
insert into public.closed_dates (organization_id, closed_on) values ('67000000-0000-4000-8000-00000000000b', :'holiday');
insert into public.staff_members (id, organization_id, name) values
  ('67000000-0000-4000-8000-0000000000c1', '67000000-0000-4000-8000-00000000000c', 'Nia Night');
insert into public.staff_hours (organization_id, staff_member_id, weekday, opens_at, closes_at)
select '67000000-0000-4000-8000-00000000000c', '67000000-0000-4000-8000-0000000000c1', d, w.opens, w.closes
from generate_series(0, 6) as d, (values (time '18:00', time '24:00'), (time '00:00', time '02:00')) as w(opens, closes);
select (current_date + 5)::text as night \gset
create function pg_temp.night(p_assistant text, p_tool text, p_call text, p_args jsonb) returns text language sql
as $$ select coalesce(r->>'reason', '') || ' ' || coalesce(r->>'result', r->>'error', '')
      from tests.tool_call(p_tool, p_assistant, p_call, p_args) as r $$;

select alike(pg_temp.night('asst_night_plumbing', 'book', 'np_1', jsonb_build_object('start_time', :'night' || 'T23:00', 'customer_name', 'Ola', 'duration_minutes', 120)),
  'booked %', '23:00 for two hours, on into the 00:00–02:00 row: booked');
select alike(pg_temp.night('asst_night_plumbing', 'book', 'np_2', jsonb_build_object('start_time', (:'night'::date + 1)::text || 'T23:30', 'customer_name', 'Ola', 'duration_minutes', 180)),
  'outside_hours %', '23:30 for three hours ends after 02:00: refused');
select alike(pg_temp.night('asst_night_plumbing', 'check', 'np_3', jsonb_build_object('from', (:'night'::date + 2)::text || 'T23:00', 'to', (:'night'::date + 2)::text || 'T23:00', 'duration_minutes', 120)),
  'available Open times: %11:00 PM%', 'availability offers it too');
select alike(pg_temp.night('asst_night_plumbing', 'book', 'np_4', jsonb_build_object('start_time', :'eve' || 'T23:00', 'customer_name', 'Ola', 'duration_minutes', 120)),
  'outside_hours %', 'not into a closed date: the night before it, 23:00 for two hours is refused');
select alike(pg_temp.night('asst_night_staffed', 'book', 'ns_1', jsonb_build_object('start_time', :'night' || 'T23:00', 'customer_name', 'Ola', 'duration_minutes', 120)),
  'booked %Nia Night%', 'a staff member whose hours run past midnight takes the same job');
select is((select count(*)::int from public.appointments
           where organization_id in ('67000000-0000-4000-8000-00000000000b', '67000000-0000-4000-8000-00000000000c')), 2,
  'only the two bookings were made');

select * from finish();
rollback;
