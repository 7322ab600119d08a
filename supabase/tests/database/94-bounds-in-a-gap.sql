-- An opening or closing time a spring-forward night skips takes effect at the jump (20261205*_bounds_in_a_gap_are_the
-- _jump.sql; helper-66 #2): New York's 02:00 → 03:00 night, business and staff hours alike.
begin;
select plan(6);

-- Next year's US spring-forward Sunday (2nd Sunday of March); the organizations take bookings two years ahead.
select to_char(make_date(y, 3, 1) + (7 - extract(dow from make_date(y, 3, 1))::int) % 7 + 7, 'YYYY-MM-DD') as sp_sun
from (select extract(year from now())::int + 1 as y) as y \gset

insert into public.organizations (id, name, timezone, max_advance_days, default_appointment_minutes) values
  ('82000000-0000-4000-8000-00000000000a', 'Closes In The Gap', 'America/New_York', 730, 30),
  ('82000000-0000-4000-8000-00000000000b', 'Opens In The Gap', 'America/New_York', 730, 30),
  ('82000000-0000-4000-8000-00000000000c', 'Staff Stop In The Gap', 'America/New_York', 730, 30);
insert into public.customer_configurations (organization_id, vapi_assistant_id) values
  ('82000000-0000-4000-8000-00000000000a', 'asst_gap_close'), ('82000000-0000-4000-8000-00000000000b', 'asst_gap_open'),
  ('82000000-0000-4000-8000-00000000000c', 'asst_gap_staff');
insert into public.business_hours (organization_id, weekday, opens_at, closes_at) values
  ('82000000-0000-4000-8000-00000000000a', 0, '00:00', '02:30'),
  ('82000000-0000-4000-8000-00000000000b', 0, '02:45', '06:00');
insert into public.staff_members (id, organization_id, name) values
  ('82000000-0000-4000-8000-0000000000c1', '82000000-0000-4000-8000-00000000000c', 'Night Nurse');
insert into public.staff_hours (staff_member_id, weekday, opens_at, closes_at)
values ('82000000-0000-4000-8000-0000000000c1', 0, '00:00', '02:30');

create function pg_temp.book(p_assistant text, p_at text) returns jsonb language sql as $$
  select tests.tool_call('book', p_assistant, 'gap_' || p_assistant || p_at,
                         jsonb_build_object('start_time', p_at, 'customer_name', 'Lee')) $$;

select is(pg_temp.book('asst_gap_close', :'sp_sun' || 'T01:30') ->> 'reason', 'booked',
  'closing at 02:30: a 30-minute job from 01:30 ends at the jump (03:00 EDT) and fits');
select is(pg_temp.book('asst_gap_close', :'sp_sun' || 'T03:00') ->> 'reason', 'outside_hours',
  'closing at 02:30: 03:00 EDT is past closing (it was taken as open until 03:30)');
select is(pg_temp.book('asst_gap_open', :'sp_sun' || 'T03:00') ->> 'reason', 'booked',
  'opening at 02:45: open from the jump, 03:00 EDT (it opened at 03:45)');
select ok((tests.tool_call('check', 'asst_gap_open', 'gap_check', jsonb_build_object('date', :'sp_sun')) ->> 'result')
          ~ (:'sp_sun' || 'T03:30:00-04:00'), 'and its availability lists 03:30 EDT');
select isnt(pg_temp.book('asst_gap_staff', :'sp_sun' || 'T03:00') ->> 'reason', 'booked',
  'staff hours ending at 02:30: nobody works at 03:00 EDT');
select is(pg_temp.book('asst_gap_staff', :'sp_sun' || 'T01:00') ->> 'reason', 'booked',
  'but 01:00 EST, inside them, books');

select * from finish();
rollback;
