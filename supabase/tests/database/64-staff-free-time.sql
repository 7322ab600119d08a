-- When a staff member is free (20261204080500_staff_free_time.sql): an appointment without a staff member, kept from
-- before the organization added staff, blocks its time for every staff member; a staff member's hours hold the job,
-- not its buffer, as the organization's hours do; and when every staff member is made inactive, the one calendar it
-- books on again still holds their jobs (20261205172300_inactive_staff_jobs_keep_their_time.sql).
begin;
select plan(14);

insert into public.organizations (id, name, timezone) values
  ('64000000-0000-4000-8000-00000000000a', 'Free A', 'America/New_York'),
  ('64000000-0000-4000-8000-00000000000b', 'Free B', 'America/New_York'),
  ('64000000-0000-4000-8000-00000000000c', 'Free C', 'America/New_York');
insert into public.customer_configurations (organization_id, vapi_assistant_id) values
  ('64000000-0000-4000-8000-00000000000a', 'asst_free_a'), ('64000000-0000-4000-8000-00000000000b', 'asst_free_b'),
  ('64000000-0000-4000-8000-00000000000c', 'asst_free_c');
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

-- C: Dee (the only staff member) booked at 10:00, then made inactive: the one calendar keeps 10:00–11:00 hers.
insert into public.staff_members (id, organization_id, name) values
  ('64000000-0000-4000-8000-0000000000c1', '64000000-0000-4000-8000-00000000000c', 'Dee Fix');
select is(pg_temp.call('book', 'asst_free_c', 'free_c1', jsonb_build_object('start_time', :'day' || 'T10:00', 'customer_name', 'Eve'))->>'reason',
  'booked', 'Dee books 10:00');
set local client_min_messages = error; -- its WARNING (the job's id) is read in tests/integration/time_off_warning.test.ts
update public.staff_members set is_active = false where id = '64000000-0000-4000-8000-0000000000c1';
reset client_min_messages;
select unalike(pg_temp.call('check', 'asst_free_c', 'free_c2', jsonb_build_object('from', :'day' || 'T10:30', 'to', :'day' || 'T10:30'))->>'result',
  'Open times: %10:30 AM%', 'no active staff: 10:30, inside Dee''s job, is not offered');
select is(pg_temp.call('book', 'asst_free_c', 'free_c3', jsonb_build_object('start_time', :'day' || 'T10:30', 'customer_name', 'Flo'))->>'reason',
  'slot_taken', '… nor booked');
select is(pg_temp.call('book', 'asst_free_c', 'free_c4', jsonb_build_object('start_time', :'day' || 'T11:00', 'customer_name', 'Flo'))->>'reason',
  'booked', 'the hour after it is booked on the one calendar');
select is(tests.tool_call('reschedule', 'asst_free_c', 'free_c1', jsonb_build_object('new_start_time', :'day' || 'T09:30',
                          'appointment_id', (select id from public.appointments where vapi_call_id = 'free_c1')), null, 'tc-move')->>'reason',
  'rescheduled', 'Eve''s job moves within its own time (its old row no longer counts)');
select is((select count(*)::int from public.appointments as x join public.appointments as y on x.id < y.id
           where x.organization_id = '64000000-0000-4000-8000-00000000000c' and y.organization_id = x.organization_id
             and x.is_active and y.is_active and x.blocked_during && y.blocked_during), 0, 'no two active jobs overlap');

-- The secret key (service_role) makes someone with a job inactive too: its check runs (made immediate here) unrefused.
insert into public.staff_members (id, organization_id, name) values
  ('64000000-0000-4000-8000-0000000000c2', '64000000-0000-4000-8000-00000000000c', 'Gus Fix');
insert into public.appointments (organization_id, staff_member_id, start_time, end_time, customer_name)
values ('64000000-0000-4000-8000-00000000000c', '64000000-0000-4000-8000-0000000000c2',
        (:'day' || ' 15:00 America/New_York')::timestamptz, (:'day' || ' 16:00 America/New_York')::timestamptz, 'Hal');
set local client_min_messages = error;
set constraints all immediate;
select tests.authenticate_as_service_role();
select lives_ok($$ update public.staff_members set is_active = false where id = '64000000-0000-4000-8000-0000000000c2' $$,
  'service_role makes a staff member with a job inactive (the warning''s check runs with its rights)');
reset role;

select * from finish();
rollback;
