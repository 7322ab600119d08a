-- When a staff member is free (20261204080500_staff_free_time.sql): an appointment without a staff member, kept from
-- before the organization added staff, blocks its time for every staff member; a staff member's hours hold the job,
-- not its buffer, as the organization's hours do.
begin;
select plan(7);

insert into public.organizations (id, name, timezone) values
  ('64000000-0000-4000-8000-00000000000a', 'Free A', 'America/New_York'),
  ('64000000-0000-4000-8000-00000000000b', 'Free B', 'America/New_York');
insert into public.customer_configurations (organization_id, vapi_assistant_id) values
  ('64000000-0000-4000-8000-00000000000a', 'asst_free_a'), ('64000000-0000-4000-8000-00000000000b', 'asst_free_b');
insert into public.business_hours (organization_id, weekday, opens_at, closes_at)
select o, d, '08:00', '17:00' from generate_series(0, 6) as d,
  unnest(array['64000000-0000-4000-8000-00000000000a', '64000000-0000-4000-8000-00000000000b']::uuid[]) as o;

select (current_date + 14)::text as day \gset
create function pg_temp.call(p_tool text, p_assistant text, p_call text, p_args jsonb) returns jsonb language sql
as $$ select tests.tool_call(p_tool, p_assistant, p_call, p_args) $$;

-- A: one calendar, Alice booked at 10:00; then the organization adds its first staff member.
select is(pg_temp.call('book', 'asst_free_a', 'free_a1', jsonb_build_object('start_time', :'day' || 'T10:00', 'customer_name', 'Alice'))->>'reason',
  'booked', 'one calendar: Alice books 10:00');
insert into public.staff_members (organization_id, name) values ('64000000-0000-4000-8000-00000000000a', 'Tom Solo');
select unalike(pg_temp.call('check', 'asst_free_a', 'free_a2', jsonb_build_object('from', :'day' || 'T10:00', 'to', :'day' || 'T10:00'))->>'result',
  'Open times: %10:00 AM%', 'with staff now, Alice''s unassigned 10:00 is not offered');
select is(pg_temp.call('book', 'asst_free_a', 'free_a3', jsonb_build_object('start_time', :'day' || 'T10:30', 'customer_name', 'Bob'))->>'reason',
  'slot_taken', 'nor booked again (10:30 overlaps Alice''s 10:00–11:00)');
select is(pg_temp.call('book', 'asst_free_a', 'free_a4', jsonb_build_object('start_time', :'day' || 'T11:00', 'customer_name', 'Bob'))->>'reason',
  'booked', 'the time after it is free for Tom');
select is((select count(*)::int from public.appointments where organization_id = '64000000-0000-4000-8000-00000000000a'
            and is_active and start_time < (:'day' || ' 11:00 America/New_York')::timestamptz
            and blocked_until > (:'day' || ' 10:00 America/New_York')::timestamptz), 1,
  'one active job overlaps 10:00–11:00');

-- B: Ann's hours are the organization's; Repair is 60 minutes plus a 30-minute buffer.
insert into public.staff_members (id, organization_id, name) values
  ('64000000-0000-4000-8000-0000000000b1', '64000000-0000-4000-8000-00000000000b', 'Ann Lee');
insert into public.staff_hours (organization_id, staff_member_id, weekday, opens_at, closes_at)
select '64000000-0000-4000-8000-00000000000b', '64000000-0000-4000-8000-0000000000b1', d, '08:00', '17:00'
from generate_series(0, 6) as d;
insert into public.services (organization_id, name, duration_minutes, buffer_minutes) values
  ('64000000-0000-4000-8000-00000000000b', 'Repair', 60, 30);
select alike(pg_temp.call('check', 'asst_free_b', 'free_b1', jsonb_build_object('from', :'day' || 'T16:00', 'to', :'day' || 'T16:00', 'service', 'Repair'))->>'result',
  'Open times: %4:00 PM%', 'the last hour of Ann''s day is offered for a job whose buffer runs past it');
select is(pg_temp.call('book', 'asst_free_b', 'free_b2', jsonb_build_object('start_time', :'day' || 'T16:00', 'customer_name', 'Cy', 'service', 'Repair'))->>'reason',
  'booked', '… and booked, as without staff hours');

select * from finish();
rollback;
