-- Opening, closing and midnight times inside an hour a fall-back night repeats are their FIRST occurrence, as a
-- booking's start is (60, 61): the business's and staff's hours and closed dates end and begin where the caller's
-- clock first shows them (helper-52; 20261204214500). Before, they were read as the second occurrence.
begin;
select plan(14);

-- Next year's fall-back Sundays: New York 02:00 → 01:00 and Havana 01:00 → 00:00 (both the first Sunday of November).
select to_char(make_date(y, 11, 1) + (7 - extract(dow from make_date(y, 11, 1))::int) % 7, 'YYYY-MM-DD') as fa_sun
from (select extract(year from now())::int + 1 as y) as y \gset

-- Havana, no business hours (open every day, all day) and closed on the fall-back Sunday, which begins at the first
-- midnight (-04:00): its first 00:00–00:59 is closed.
insert into public.organizations (id, name, timezone, max_advance_days) values
  ('85000000-0000-4000-8000-00000000000a', 'Havana Closed', 'America/Havana', 3650),
  ('85000000-0000-4000-8000-00000000000b', 'Late Night NY', 'America/New_York', 3650),
  ('85000000-0000-4000-8000-00000000000c', 'Night Crew NY', 'America/New_York', 3650);
insert into public.customer_configurations (organization_id, vapi_assistant_id) values
  ('85000000-0000-4000-8000-00000000000a', 'asst_85_havana'),
  ('85000000-0000-4000-8000-00000000000b', 'asst_85_late'),
  ('85000000-0000-4000-8000-00000000000c', 'asst_85_crew');
insert into public.closed_dates (organization_id, closed_on) values ('85000000-0000-4000-8000-00000000000a', :'fa_sun');

select is(tests.tool_call('book', 'asst_85_havana', 'call_85_a', jsonb_build_object(
    'start_time', :'fa_sun' || 'T00:30:00-04:00', 'customer_name', 'Ola', 'duration_minutes', 15))->>'reason',
  'outside_hours', 'Havana: the first 00:30 of a closed fall-back Sunday is closed');
select is(tests.tool_call('book', 'asst_85_havana', 'call_85_b', jsonb_build_object(
    'start_time', (:'fa_sun'::date - 1)::text || 'T23:00:00-04:00', 'customer_name', 'Ola', 'duration_minutes', 15))->>'reason',
  'booked', '… the Saturday before it is open to its end');
select is((select count(*) from public.appointments where organization_id = '85000000-0000-4000-8000-00000000000a'),
  1::bigint, 'only the Saturday booking was written');

-- New York, open Sundays 00:00–01:30: the day closes at the first 01:30 (-04:00), not an hour later.
insert into public.business_hours (organization_id, weekday, opens_at, closes_at) values
  ('85000000-0000-4000-8000-00000000000b', 0, '00:00', '01:30');
select unialike(tests.tool_call('check', 'asst_85_late', 'call_85_e', jsonb_build_object(
    'date', :'fa_sun', 'duration_minutes', 30))->>'result',
  '%after the clocks go back%', 'availability offers nothing past the first 01:30');
select is(tests.tool_call('book', 'asst_85_late', 'call_85_c', jsonb_build_object(
    'start_time', :'fa_sun' || 'T01:00:00-04:00', 'customer_name', 'Ann', 'duration_minutes', 30))->>'reason',
  'booked', 'New York: 01:00–01:30 EDT ends at the close');
select is(tests.tool_call('book', 'asst_85_late', 'call_85_d', jsonb_build_object(
    'start_time', :'fa_sun' || 'T01:00:00-05:00', 'customer_name', 'Ann', 'duration_minutes', 15))->>'reason',
  'outside_hours', '… the second 01:00 (EST) is after the close');

-- New York, open all the time, one staff member who works Sundays 00:00–01:30: the same close for staff hours.
insert into public.staff_members (id, organization_id, name) values
  ('85000000-0000-4000-8000-0000000000c1', '85000000-0000-4000-8000-00000000000c', 'Rey');
insert into public.staff_hours (organization_id, staff_member_id, weekday, opens_at, closes_at) values
  ('85000000-0000-4000-8000-00000000000c', '85000000-0000-4000-8000-0000000000c1', 0, '00:00', '01:30');
select is(tests.tool_call('book', 'asst_85_crew', 'call_85_f', jsonb_build_object(
    'start_time', :'fa_sun' || 'T01:00:00-04:00', 'customer_name', 'Bo', 'duration_minutes', 30))->>'reason',
  'booked', 'staff: 01:00–01:30 EDT is Rey''s working time');
select isnt(tests.tool_call('book', 'asst_85_crew', 'call_85_g', jsonb_build_object(
    'start_time', :'fa_sun' || 'T01:00:00-05:00', 'customer_name', 'Bo', 'duration_minutes', 15))->>'reason',
  'booked', '… the second 01:00 (EST) is not');
select is((select count(*) from public.appointments where organization_id = '85000000-0000-4000-8000-00000000000c'),
  1::bigint, 'only the first was written');

-- The days a query must read through the helper: those with a change of offset, checked day by day (Casablanca leaves
-- +01 for Ramadan on 2027-02-07 and returns on 2027-03-14: a span around both has +01 at either end).
select is(private.offset_change_days('2027-06-07', '2027-06-13', 'America/New_York'), '{}'::timestamp[],
  'an ordinary week: none');
select is(private.offset_change_days(:'fa_sun'::timestamp - interval '2 days', :'fa_sun'::timestamp, 'America/New_York'),
  array[:'fa_sun'::timestamp - interval '1 day', :'fa_sun'::timestamp], 'a fall-back Sunday, and the Saturday whose 24:00 it is');
select is(private.offset_change_days('2027-02-01', '2027-03-20', 'Africa/Casablanca'),
  array['2027-02-06', '2027-02-07', '2027-03-13', '2027-03-14']::timestamp[], 'both of Casablanca''s changes');
select is(private.offset_change_days('2027-02-08', '2027-03-12', 'Africa/Casablanca'), '{}'::timestamp[], 'between them: none');

-- Quiet hours 21:00–01:30 ending on the fall-back night keep PostgreSQL's reading: a text due in the second 01:10 waits
-- for the second 01:30, never an instant before it (helper-56: the first 01:30 had already passed).
select is(private.after_quiet_hours((:'fa_sun' || 'T01:10:00-05:00')::timestamptz, 'America/New_York', '21:00', '01:30'),
  (:'fa_sun' || 'T01:30:00-05:00')::timestamptz, 'quiet hours end after the time they hold');

select * from finish();
rollback;
